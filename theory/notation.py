r"""Shorthand of the papers (``m_t``, ``u_s``, ``B``, ...) for presentation forms and LaTeX.

A :class:`Notation` is a SymPy symbol that stands for an expression (its *definition*) and prints
as the papers write it. Presentation forms of quantities are written with them
(``L_s = L_t - 2 u_s (B - A) + v_s B``); :func:`expand_notation` substitutes the definitions back,
so a test can check that each presentation form equals the quantity's definition.
:func:`abbreviate` goes the other way for printing: it replaces the definitions of *atomic*
notations (applications of a primitive, ``m_{gamma_t}(-lam_t) -> m_t``) by their shorthand.

Notation symbols are for printing only; never evaluate an expression that contains one (the
evaluators reject the unknown symbol).

Examples
--------
>>> from sympy import latex
>>> from theory.notation import expand_notation, notation_for
>>> from theory.ridge import teacher_risk
>>> m_t = notation_for("ridge", r"m_t")
>>> m_t.definition
m(-lam_t, gamma_t)
>>> latex(2 * m_t)
'2 m_t'
>>> expand_notation(2 * m_t)
2*m(-lam_t, gamma_t)
"""

from __future__ import annotations

import re
from typing import Callable, Union

import sympy

__all__ = ["Notation", "notation", "notations", "notation_for", "expand_notation", "abbreviate",
           "ref", "plus", "times", "minus", "over"]

_NOTATIONS: dict[str, "Notation"] = {}


class Notation(sympy.Symbol):
    r"""A shorthand symbol: prints as ``latex``, stands for ``definition``.

    Create them with :func:`notation` (or :func:`ref` for the symbol of a registered quantity).

    Examples
    --------
    >>> from theory.notation import notation_for
    >>> u_s = notation_for("ridge", "u_s")
    >>> u_s.description
    'student shrinkage lam_s m_s'
    """

    @property
    def _info(self):
        return _INFO[self.name]

    @property
    def definition(self) -> sympy.Expr:
        """The expression the shorthand stands for."""
        build = self._info[1]
        return build() if callable(build) else build

    @property
    def description(self) -> str:
        """One line of meaning."""
        return self._info[2]

    @property
    def section(self) -> str:
        """The prefix of the mechanism whose notation it is (``"ridge"``, ...)."""
        return self._info[3]

    @property
    def shown(self) -> str | None:
        """LaTeX of the right side for the list of notation (``None``: print the definition)."""
        shown = self._info[5]
        return shown() if callable(shown) else shown

    @property
    def latex_name(self) -> str:
        """The shorthand as LaTeX."""
        return self._info[0]

    @property
    def atomic(self) -> bool:
        """Whether the definition is a single application of a primitive, which
        :func:`abbreviate` replaces by the shorthand in any printed expression.

        Examples
        --------
        >>> from theory.notation import notation_for
        >>> notation_for("ridge", "m_t").atomic, notation_for("ridge", "u_s").atomic
        (True, False)
        """
        return self._info[4]

    def _latex(self, printer):
        return self._info[0]

    @property
    def ascii_name(self) -> str:
        """The shorthand in ASCII (``L_t``, ``m'_t``, ``lambda^star``)."""
        text = re.sub(r"\\math[a-z]+\{(\w+)\}", r"\1", self._info[0])
        return re.sub(r"[\\{}]", "", text)

    def _sympystr(self, printer):
        return self.ascii_name

    def _pretty(self, printer):
        return printer._print_Symbol(sympy.Symbol(self.ascii_name.replace("^star", "⋆")))


# name -> (latex, definition or callable, description, section, atomic, shown)
_INFO: dict[str, tuple] = {}


def notation(section: str, latex: str, definition: Union[sympy.Expr, Callable[[], sympy.Expr]],
             description: str, *, atomic: bool = False,
             shown: Union[str, Callable[[], str], None] = None,
             **assumptions) -> Notation:
    r"""Declare a shorthand of mechanism ``section``.

    Parameters
    ----------
    section : str
        Prefix of the mechanism (``"mp"``, ``"ridge"``, ...): the notation is listed in its section
        of the document.
    latex : str
        How it prints (``r"m_t"``).
    definition : sympy.Expr or callable
        What it stands for (a callable is evaluated on use, for definitions that need a
        derivation).
    description : str
        One line of meaning.
    atomic : bool
        ``True`` when the definition is a single application of a primitive that
        :func:`abbreviate` should replace in any printed expression.
    shown : str or callable, optional
        LaTeX of the right side in the document's list of notation, when the definition is
        better stated in words or through other notation (``B|_{\lambda_t = \lambda^\star}``);
        a callable returns it on use.
    **assumptions
        SymPy assumptions of the symbol (``positive=True``): they decide signs when printing.

    Returns
    -------
    Notation

    Examples
    --------
    >>> from theory.notation import notation
    >>> from theory.symbols import lam
    >>> notation("demo", r"\ell", 2 * lam, "twice lam").definition
    2*lam
    """
    name = f"{section}:{latex}"
    if name in _INFO and _INFO[name][0] != latex:  # pragma: no cover - guards redeclaration
        raise ValueError(f"notation {name!r} is already declared")
    _INFO[name] = (latex, definition, description, section, atomic, shown)
    _NOTATIONS[name] = Notation(name, **assumptions)
    return _NOTATIONS[name]


def notations(section: str | None = None) -> list[Notation]:
    """The declared notations (of one section), in declaration order.

    Examples
    --------
    >>> from theory.notation import notations
    >>> [n.latex_name for n in notations("ridge")][:2]
    ['m_t', "m'_t"]
    """
    return [n for n in _NOTATIONS.values() if section is None or n.section == section]


def notation_for(section: str, latex: str) -> Notation:
    """The notation of ``section`` that prints as ``latex``.

    Examples
    --------
    >>> from theory.notation import notation_for
    >>> notation_for("ridge", "u_t").definition
    lam_t*m(-lam_t, gamma_t)
    """
    return _NOTATIONS[f"{section}:{latex}"]


def ref(name: str) -> Notation:
    r"""The symbol of the registered quantity ``name`` (``\mathcal{L}_t``, ``B``), standing for it.

    Examples
    --------
    >>> from sympy import latex
    >>> from theory.notation import ref
    >>> latex(ref("ridge.overlap_B") / ref("ridge.overlap_A"))
    '\\frac{B}{A}'
    """
    from theory.registry import get

    q = get(name)
    section = f"ref:{name}"  # one symbol per quantity, also when two share a LaTeX symbol
    if f"{section}:{q.symbol}" not in _NOTATIONS:
        # the symbol's sign is the quantity's own: ``kappa = <v, w>`` may be negative, and a
        # symbol declared positive would print ``kappa > 0`` as ``True``
        sign = {"positive": True} if q.expr.is_positive else {"real": True}
        notation(section, q.symbol, lambda: get(name).expr, q.description, **sign)
    return _NOTATIONS[f"{section}:{q.symbol}"]


def expand_notation(expr):
    """Replace every notation in ``expr`` by its definition, recursively, and evaluate.

    Examples
    --------
    >>> from theory.notation import expand_notation, notation_for
    >>> expand_notation(notation_for("ridge", "w_s"))
    -lam_s*m'(-lam_s, gamma_s) + m(-lam_s, gamma_s)
    """
    expr = sympy.sympify(expr)
    for _ in range(10):
        found = [a for a in expr.atoms(Notation)]
        if not found:
            break
        expr = expr.xreplace({a: a.definition for a in found})
    return expr.doit()


def abbreviate(expr):
    """Replace the definition of every atomic notation in ``expr`` by its shorthand (for printing).

    Examples
    --------
    >>> from sympy import latex
    >>> from theory.notation import abbreviate
    >>> from theory.ridge import teacher_bias
    >>> latex(abbreviate(teacher_bias))
    "m'_t \\\\lambda_t^{2} r^2"
    """
    table = {}
    for n in _NOTATIONS.values():
        if n.atomic:
            table[n.definition] = n
    return sympy.sympify(expr).xreplace(table) if table else expr


def plus(*terms):
    r"""A sum kept in the order written (printed with ``order="none"``).

    Examples
    --------
    >>> from sympy import latex
    >>> from theory.notation import plus, minus
    >>> from theory.symbols import lam, gamma
    >>> latex(plus(1, minus(gamma), lam), order="none")
    '1 - \\gamma + \\lambda'
    """
    return sympy.Add(*terms, evaluate=False)


def times(*factors):
    """A product kept in the order written."""
    return sympy.Mul(*factors, evaluate=False)


def minus(x):
    """``-x`` kept as written (``-(1 - gamma)`` is not distributed)."""
    return sympy.Mul(-1, x, evaluate=False)


def over(numerator, denominator):
    """``numerator / denominator`` kept as written."""
    if numerator == 1:
        return sympy.Pow(denominator, -1, evaluate=False)
    return sympy.Mul(numerator, sympy.Pow(denominator, -1, evaluate=False), evaluate=False)
