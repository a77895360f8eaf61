"""The :class:`Derivation` type: a SymPy computation with its steps, for docs and LaTeX.

Examples
--------
>>> from theory.ridge import optimal_teacher_lambda
>>> d = optimal_teacher_lambda()
>>> d.result
gamma_t*sigma2/r2
>>> [label for label, _ in d.steps][:2]
['derivative of the teacher risk', 'factored by SymPy']
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

__all__ = ["Derivation"]


@dataclass(frozen=True)
class Derivation:
    """A derivation done by SymPy: its statement, its intermediate steps and its result.

    Parameters
    ----------
    name : str
        Dotted name (``ridge.optimal_lambda``, ...).
    title : str
        Short title.
    statement : str
        What is derived, in words.
    steps : tuple of (str, sympy.Basic)
        Labelled intermediate expressions, in order, as SymPy computed them.
    result : sympy.Basic
        The final expression (or relation).
    lhs : tuple of (str or None), optional
        LaTeX of each step's left side (``None`` or missing: the step prints as its label
        followed by the expression, or a relation's own sides).

    Examples
    --------
    >>> from sympy import symbols
    >>> from theory.derivation import Derivation
    >>> x = symbols('x')
    >>> d = Derivation("demo", "square", "x squared", (("x", x),), x**2)
    >>> d.latex_steps()[0]
    ('x', 'x')
    """

    name: str
    title: str
    statement: str
    steps: tuple[tuple[str, sympy.Basic], ...]
    result: sympy.Basic
    lhs: tuple = ()

    def latex_steps(self) -> list[tuple[str, str]]:
        """The steps with each expression printed as LaTeX."""
        return [(label, sympy.latex(expr)) for label, expr in self.steps]

    def _repr_latex_(self) -> str:
        return r"$\displaystyle %s$" % sympy.latex(self.result)
