"""Figures (matplotlib): theory curves with simulation points, one module per mechanism.

Each mechanism's description names its figures (``figures``: name -> ``"module:function"``,
:class:`theory.mechanism.Mechanism`); a figure is a function ``draw(ax, quick)`` that draws on
one Matplotlib axes. :func:`plot` and :func:`draw` find it in the catalogue, so a third-party
mechanism's figures are served the same way as the built-ins (``w2s plot NAME``).

Every figure is drawn in the house style of :mod:`numerics.style` and has a legend entry for each
line, mark and shaded region. The built-in figures are listed in ``docs/gallery.md``.

Examples
--------
>>> import tempfile, pathlib
>>> from numerics.plots import plot
>>> path = pathlib.Path(tempfile.mkdtemp()) / "phase.png"
>>> plot("phase-diagram", path, quick=True).exists()
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from numerics.style import FORMATS, figure, save

__all__ = ["figures", "figure_function", "plot", "draw", "layout_problems"]


def figures() -> dict[str, str]:
    """Every figure of the catalogue's mechanisms: name -> the mechanism that draws it.

    Examples
    --------
    >>> from numerics.plots import figures
    >>> figures()["phase-diagram"]
    'ridge'
    """
    from theory.catalogue import catalogue

    return {name: m.name for m in catalogue().values() for name in m.figures}


def figure_function(name: str) -> Callable:
    """The drawing function ``draw(ax, quick)`` of figure ``name``.

    Raises
    ------
    ValueError
        For an unknown figure (the message lists the known ones).

    Examples
    --------
    >>> from numerics.plots import figure_function
    >>> figure_function("student-risk").__name__
    'student_risk'
    """
    from theory.catalogue import mechanism
    from theory.mechanism import resolve

    known = figures()
    if name not in known:
        raise ValueError(f"unknown plot {name!r}; known: {', '.join(known)}")
    return resolve(mechanism(known[name]).figures[name])


def draw(name: str, quick: bool = False):
    """Draw figure ``name`` in the house style and return its axes' legend texts.

    For tests and notebooks; :func:`plot` saves it.

    Examples
    --------
    >>> from numerics.plots import draw
    >>> "brute force: does not win" in draw("phase-diagram", quick=True)
    True
    """
    function = figure_function(name)
    with figure() as (fig, ax):
        function(ax, quick)
        legend = ax.get_legend()
        return [t.get_text() for t in legend.get_texts()] if legend else []


def layout_problems(name: str, quick: bool = True) -> list[str]:
    """Draw figure ``name`` and list what its layout does wrong: a legend over plotted data,
    text off the canvas (:func:`numerics.plots.layout.problems`; empty when none).

    Examples
    --------
    >>> from numerics.plots import layout_problems
    >>> layout_problems("phase-diagram")
    []
    """
    from numerics.plots.layout import problems

    function = figure_function(name)
    with figure() as (fig, ax):
        function(ax, quick)
        return problems(fig)


def plot(name: str, path, quick: bool = False, progress=False) -> Path:
    """Draw figure ``name`` and save it to ``path`` (PNG, PDF or SVG by suffix).

    Parameters
    ----------
    name : str
        A figure of :func:`figures`.
    path : str or pathlib.Path
    quick : bool
        Smaller simulations (for tests and the docs build).
    progress : bool or callable
        Report the progress of long figures on standard error (``True``), or to a function of
        one line of text.

    Returns
    -------
    pathlib.Path
    """
    from numerics.plots.common import showing_progress

    function = figure_function(name)
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"output must end in {', '.join(FORMATS)}; got {path.name!r}")
    token = showing_progress.set(progress)
    try:
        with figure() as (fig, ax):
            function(ax, quick)
            save(fig, path)
    finally:
        showing_progress.reset(token)
    return path
