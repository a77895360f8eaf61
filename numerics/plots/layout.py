"""Where a figure's legend and text may go: off the data and on the canvas.

:func:`legend` places an axes' legend at the first inside location where its box touches no
plotted data (lines, marks, error bars, shaded regions, contours), else outside the axes on the
right; :func:`problems` lists what a drawn figure does wrong (a legend over data, text that
leaves the canvas). Geometry is measured as Matplotlib draws it: display coordinates from the
renderer (``get_window_extent``), paths through their transforms, clipped to the axes.

Examples
--------
>>> from numerics.style import figure
>>> from numerics.plots.layout import legend, problems
>>> with figure() as (fig, ax):
...     _ = ax.plot([0, 1], [0, 1], label="rising line")
...     _ = ax.fill_between([0, 1], [0.9, 0.9], [1, 1], alpha=0.3, label="band at the top")
...     _ = legend(ax)
...     problems(fig)
[]
"""

from __future__ import annotations

import numpy as np

__all__ = ["legend", "problems", "data_geometry", "INSIDE"]

#: Inside locations tried, in order (after the one a figure asks for).
INSIDE = ("upper right", "upper left", "lower left", "lower right", "center right",
          "center left", "upper center", "lower center", "center")
#: Distance (pixels) under which a mark counts as touching the legend box.
PAD = 2.0


def _renderer(fig):
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def _densify(points: np.ndarray, step: float = 2.0) -> np.ndarray:
    """Points every ``step`` pixels along the polyline ``points`` (display coordinates)."""
    points = points[np.all(np.isfinite(points), axis=1)]
    if len(points) < 2:
        return points
    out = [points[:1]]
    for a, b in zip(points[:-1], points[1:]):
        n = max(1, int(np.ceil(np.hypot(*(b - a)) / step)))
        t = np.linspace(0, 1, n + 1)[1:, None]
        out.append(a + t * (b - a))
    return np.concatenate(out)


def _path_polylines(path, transform):
    """The polylines of a path in display coordinates (curves flattened, one per subpath)."""
    lines = []
    # transform_path handles a non-affine (log) transform; to_polygons(transform) would not
    for polygon in transform.transform_path(path).to_polygons(closed_only=False):
        if len(polygon):
            lines.append(np.asarray(polygon, float))
    return lines


def data_geometry(ax, renderer):
    """What is plotted in ``ax``, in display coordinates: ``(points, areas)``.

    ``points`` is an ``(n, 3)`` array of ``x, y, radius`` (vertices of lines and marks, points
    every 2 pixels along lines, contours and error bars); ``areas`` a list of filled paths
    (``matplotlib.path.Path`` in display coordinates: shaded regions, CI bands, filled contours).
    """
    from matplotlib.collections import Collection, PathCollection
    from matplotlib.path import Path

    points, areas = [], []

    def add(xy, radius):
        if len(xy):
            points.append(np.column_stack([xy, np.full(len(xy), radius)]))

    for line in ax.get_lines():
        if not line.get_visible():
            continue
        xy = line.get_transform().transform(line.get_xydata())
        radius = line.get_markersize() / 2 * ax.figure.dpi / 72 if line.get_marker() not in (
            None, "None", "none", "", " ") else 0.0
        if line.get_linestyle() not in ("None", "none", "", " "):
            add(_densify(xy), line.get_linewidth() / 2)
        if radius:
            add(xy[np.all(np.isfinite(xy), axis=1)], radius)
    for patch in ax.patches:
        if patch.get_visible():
            path = patch.get_transform().transform_path(patch.get_path())
            areas.append(path)
    for coll in ax.collections:
        if not coll.get_visible() or not isinstance(coll, Collection):
            continue
        if isinstance(coll, PathCollection) and len(coll.get_offsets()):  # scatter marks
            xy = coll.get_offset_transform().transform(coll.get_offsets())
            sizes = coll.get_sizes() if len(coll.get_sizes()) else [36.0]
            add(xy, np.sqrt(max(sizes)) / 2 * ax.figure.dpi / 72)
            continue
        transform = coll.get_transform()
        faces = coll.get_facecolor()
        filled = len(faces) and np.any(np.asarray(faces)[:, 3] > 0) \
            and getattr(coll, "filled", True)
        for path in coll.get_paths():
            for poly in _path_polylines(path, transform):
                if filled and len(poly) >= 3:
                    areas.append(Path(poly))
                else:
                    add(_densify(poly), 1.0)
    box = ax.get_window_extent(renderer)
    pts = np.concatenate(points) if points else np.zeros((0, 3))
    inside = ((pts[:, 0] >= box.x0 - 1) & (pts[:, 0] <= box.x1 + 1)
              & (pts[:, 1] >= box.y0 - 1) & (pts[:, 1] <= box.y1 + 1))
    return pts[inside], areas


def _touches(bbox, points, areas, box) -> bool:
    """Whether the display box ``bbox`` touches a point (within its radius and :data:`PAD`) or
    a filled area (inside the axes box ``box``)."""
    x0, y0, x1, y1 = bbox.x0, bbox.y0, bbox.x1, bbox.y1
    if len(points):
        r = points[:, 2] + PAD
        hit = ((points[:, 0] >= x0 - r) & (points[:, 0] <= x1 + r)
               & (points[:, 1] >= y0 - r) & (points[:, 1] <= y1 + r))
        if hit.any():
            return True
    if areas:
        gx = np.linspace(max(x0, box.x0), min(x1, box.x1), 12)
        gy = np.linspace(max(y0, box.y0), min(y1, box.y1), 8)
        if len(gx) and len(gy) and gx[0] <= gx[-1] and gy[0] <= gy[-1]:
            grid = np.array([(x, y) for x in gx for y in gy])
            for path in areas:
                if path.contains_points(grid).any():
                    return True
                verts = _densify(np.asarray(path.vertices, float), 4.0)
                if len(verts) and ((verts[:, 0] > x0) & (verts[:, 0] < x1)
                                   & (verts[:, 1] > y0) & (verts[:, 1] < y1)).any():
                    return True
    return False


def legend(ax, handles=None, loc: str | None = None, **options):
    """Place ``ax``'s legend off the data: the first location of ``loc``, then :data:`INSIDE`,
    whose box touches nothing plotted; else outside the axes, right of it.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Drawn completely (the legend goes last).
    handles : list, optional
        Legend handles (default: the labelled artists of ``ax``).
    loc : str, optional
        The preferred inside location.
    **options
        Passed to ``ax.legend`` (``fontsize``, ``ncols``, ...).

    Returns
    -------
    matplotlib.legend.Legend

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.style import figure
    >>> from numerics.plots.layout import legend
    >>> with figure() as (fig, ax):
    ...     x = np.linspace(0, 1, 50)
    ...     _ = ax.fill_between(x, 0, 1, alpha=0.3, label="everywhere")
    ...     leg = legend(ax)
    ...     bool(leg.get_bbox_to_anchor().x0 > ax.get_window_extent().x1)  # outside, right
    True
    """
    fig = ax.figure
    kw = dict(options)
    if handles is not None:
        kw["handles"] = handles
    order = ([loc] if loc else []) + [c for c in INSIDE if c != loc]
    leg = ax.legend(loc=order[0], **kw)
    renderer = _renderer(fig)
    points, areas = data_geometry(ax, renderer)
    box = ax.get_window_extent(renderer)
    for candidate in order:
        leg.set_loc(candidate)
        fig.draw_without_rendering()
        bbox = leg.get_window_extent(renderer)
        if (bbox.x0 >= box.x0 - 1 and bbox.x1 <= box.x1 + 1 and bbox.y0 >= box.y0 - 1
                and bbox.y1 <= box.y1 + 1 and not _touches(bbox, points, areas, box)):
            return leg
    leg.remove()
    return ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), borderaxespad=0, **kw)


def problems(fig) -> list[str]:
    """What a drawn figure does wrong: a legend box over plotted data, text off the canvas.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    list of str
        One line per problem (empty: none).

    Examples
    --------
    >>> from numerics.style import figure
    >>> from numerics.plots.layout import problems
    >>> with figure() as (fig, ax):
    ...     _ = ax.plot([0, 1], [0, 1], label="diagonal")
    ...     _ = ax.legend(loc="center")
    ...     problems(fig)
    ['legend of axes 0 lies over plotted data']
    """
    renderer = _renderer(fig)
    canvas = fig.bbox
    out = []
    for i, ax in enumerate(fig.axes):
        leg = ax.get_legend()
        if leg is not None and leg.get_visible():
            points, areas = data_geometry(ax, renderer)
            if _touches(leg.get_window_extent(renderer), points, areas,
                        ax.get_window_extent(renderer)):
                out.append(f"legend of axes {i} lies over plotted data")
        texts = [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label,
                 *ax.texts, *(leg.get_texts() if leg is not None else [])]
        for t in texts:
            _off_canvas(t, renderer, canvas, out)
        for axis in (ax.xaxis, ax.yaxis):
            extent = axis.get_tightbbox(renderer)
            if extent is not None and not _within(extent, canvas):
                out.append(f"tick labels of axes {i} leave the canvas")
    for t in fig.texts:
        _off_canvas(t, renderer, canvas, out)
    return out


def _within(bbox, canvas, slack: float = 0.5) -> bool:
    return (bbox.x0 >= canvas.x0 - slack and bbox.x1 <= canvas.x1 + slack
            and bbox.y0 >= canvas.y0 - slack and bbox.y1 <= canvas.y1 + slack)


def _off_canvas(text, renderer, canvas, out) -> None:
    if not text.get_visible() or not text.get_text().strip():
        return
    if not _within(text.get_window_extent(renderer), canvas):
        out.append(f"text {text.get_text()[:50]!r} leaves the canvas")
