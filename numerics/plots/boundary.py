"""The figure of ``w2s plot boundary``: a phase boundary located at finite ``d`` against ``d``.

The located boundary and its bootstrap interval at each ``d`` (on the axis ``d^(-p)`` of the
predicted exponent, so that the fitted correction is a straight line ending at ``d -> oo``), the
fitted line with the extrapolated interval at ``d^(-p) = 0``, and the theory's asymptotic value.

Examples
--------
>>> import tempfile, pathlib
>>> from numerics.boundary import prepare, run_boundary
>>> from numerics.plots.boundary import save_boundary
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> p = prepare("ridge", {"lam_t": "0.02:0.6"}, dims=[40, 60, 80], reps=4)
>>> save_boundary(run_boundary(p, folder / "b.sqlite"), folder / "b.png").exists()
True
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from numerics.plots.common import handles
from numerics.style import COLORS, figure, save

__all__ = ["draw_boundary", "save_boundary"]


def draw_boundary(ax, result) -> None:
    """Draw a :class:`numerics.boundary.BoundaryResult` on ``ax``."""
    f = result.extrapolated
    p = f.predicted_exponent
    d = np.array([r["d"] for r in result.per_d], float)
    x = d ** -p
    est = np.array([r["estimate"] for r in result.per_d])
    lo = np.array([r["ci"][0] for r in result.per_d])
    hi = np.array([r["ci"][1] for r in result.per_d])
    ax.errorbar(x, est, yerr=[est - lo, hi - est], fmt="o", color=COLORS[0], capsize=3)
    grid = np.linspace(0, x.max() * 1.05, 50)
    slope = float(np.linalg.lstsq(x[:, None], est - f.estimate, rcond=None)[0][0])
    line = f.estimate + slope * grid
    ax.plot(grid, line, color=COLORS[0], lw=1, ls="--")
    ax.errorbar([0], [f.estimate], yerr=[[f.estimate - f.ci[0]], [f.ci[1] - f.estimate]],
                fmt="s", color=COLORS[3], capsize=4)
    if math.isfinite(result.asymptotic):
        ax.axhline(result.asymptotic, color="k", lw=1)
    ax.set_xlabel(f"$d^{{-{p:.3g}}}$ (d = {', '.join(str(int(v)) for v in d)})")
    ax.set_ylabel(f"boundary in {result.parameter}")
    ax.set_title(result.title, fontsize="small")
    items = [("marker", "located at finite d (95% bootstrap interval)",
              {"marker": "o", "color": COLORS[0]}),
             ("line", f"fit x + a d^-{p:.3g}", {"color": COLORS[0], "ls": "--"}),
             ("marker", "extrapolated to d -> oo", {"marker": "s", "color": COLORS[3]})]
    if math.isfinite(result.asymptotic):
        items.append(("line", "theory (d -> oo)", {"color": "k"}))
    ax.legend(handles=handles(*items), fontsize="small")


def save_boundary(result, path) -> Path:
    """Draw ``result`` and save it to ``path`` (PNG, PDF or SVG by suffix)."""
    path = Path(path)
    with figure() as (fig, ax):
        draw_boundary(ax, result)
        save(fig, path)
    return path
