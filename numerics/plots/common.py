"""Pieces every figure module shares: legend proxies and the progress of long figures.

Examples
--------
>>> from numerics.plots.common import handles
>>> [h.get_label() for h in handles(("line", "theory", {"color": "k"}))]
['theory']
"""

from __future__ import annotations

from contextvars import ContextVar

from numerics.style import Progress

__all__ = ["handles", "progress", "showing_progress"]

#: Whether :func:`progress` reports (set by :func:`numerics.plots.plot` for the command line):
#: ``True`` prints lines on standard error, a callable receives them.
showing_progress: ContextVar = ContextVar("showing_progress", default=False)


def handles(*items):
    """Legend proxies: ``("line", label, kwargs)``, ``("patch", ...)`` or ``("marker", ...)``."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    out = []
    for kind, label, kw in items:
        if kind == "patch":
            out.append(Patch(label=label, **kw))
        elif kind == "marker":
            out.append(Line2D([], [], ls="none", label=label, **kw))
        else:
            out.append(Line2D([], [], label=label, **kw))
    return out



def progress(name: str, total: int) -> Progress:
    """Progress of a long figure, on standard error when :func:`numerics.plots.plot` asks."""
    shown = showing_progress.get()
    return Progress(name, total, enabled=bool(shown), report=shown if callable(shown) else None)
