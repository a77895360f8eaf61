"""The house style of the figures: one look, vector output, a legend entry for every mark.

Every figure of :mod:`numerics.plots` is drawn inside :func:`figure` and saved by :func:`save`,
so all of them share fonts, sizes, colours and grid. :data:`COLORS` is the palette (colour-blind
safe, Okabe–Ito), :data:`REGION` the fill of a shaded region. :class:`Progress` reports on
standard error for figures that take more than a few seconds.

Examples
--------
>>> import tempfile, pathlib
>>> from numerics.style import figure, save
>>> with figure() as (fig, ax):
...     _ = ax.plot([0, 1], [0, 1], label="a line")
...     _ = ax.legend()
...     path = save(fig, pathlib.Path(tempfile.mkdtemp()) / "demo.svg")
>>> path.read_text()[:5]
'<?xml'
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

__all__ = ["COLORS", "REGION", "FORMATS", "RC", "figure", "save", "Progress"]

#: Okabe–Ito colours (distinguishable with the common colour-vision deficiencies).
COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
#: Fill colour and opacity of a shaded region.
REGION = {"color": "#9ecae1", "alpha": 0.8}
#: File types :func:`save` writes.
FORMATS = (".png", ".pdf", ".svg")

#: Matplotlib settings of the house style.
RC = {
    "figure.figsize": (6.4, 4.4),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.5,
    "lines.markersize": 4,
    "errorbar.capsize": 2,
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
}


@contextlib.contextmanager
def figure():
    """A figure and axes in the house style; closed on exit.

    Numerical libraries are limited to one thread inside (``threadpoolctl``, when installed): the
    figures' simulations are many small eigendecompositions, for which threads only contend.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cycler import cycler

    try:
        from threadpoolctl import threadpool_limits
        limits = threadpool_limits(1)
    except ImportError:  # pragma: no cover - optional
        limits = contextlib.nullcontext()
    with limits, plt.rc_context({**RC, "axes.prop_cycle": cycler(color=COLORS)}):
        fig, ax = plt.subplots(constrained_layout=True)
        try:
            yield fig, ax
        finally:
            plt.close(fig)


def save(fig, path) -> Path:
    """Save ``fig`` as PNG, PDF or SVG (by the suffix of ``path``).

    Raises
    ------
    ValueError
        For any other suffix.
    """
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"output must end in {', '.join(FORMATS)}; got {path.name!r}")
    fig.savefig(path)
    return path


class Progress:
    """Progress of a long figure on standard error: ``name: k/n label`` (at most once a second).

    Parameters
    ----------
    name : str
        The figure.
    total : int
        Number of steps.
    enabled : bool
        Print nothing when ``False`` (tests, the docs build).
    report : callable, optional
        Called with the line instead of printing it (the command line's spinner).

    Examples
    --------
    >>> from numerics.style import Progress
    >>> p = Progress("demo", 2, enabled=False)
    >>> p.step("a"); p.step("b"); p.done
    2
    """

    def __init__(self, name: str, total: int, enabled: bool = True, report=None):
        self.name, self.total, self.enabled, self.done = name, total, enabled, 0
        self.report = report
        self._start = self._last = time.monotonic()

    def step(self, label: str = "") -> None:
        """One step finished."""
        self.done += 1
        now = time.monotonic()
        if self.report is not None:
            self.report(f"{self.name}: {self.done}/{self.total} {label}")
            return
        if self.enabled and (now - self._last >= 1.0 or self.done == self.total):
            self._last = now
            print(f"{self.name}: {self.done}/{self.total} {label} ({now - self._start:.0f} s)",
                  file=sys.stderr, flush=True)
