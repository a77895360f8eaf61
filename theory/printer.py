r"""SymPy's LaTeX printer with the papers' conventions: :func:`to_latex` of any expression.

``sigma2**2`` prints ``\sigma^{4}``, ``sqrt(r2)`` prints ``r``, a sum reads from a positive term,
and the definitions of atomic notations print as their shorthand
(:func:`theory.notation.abbreviate`). Sums and products built with the helpers of
:mod:`theory.notation` keep the order written when printed with ``order="none"``.
:mod:`theory.linebreak` breaks what this prints over lines; :mod:`theory.latex` prints registered
quantities with their left sides.

Examples
--------
>>> from theory.printer import to_latex
>>> from theory.symbols import lam_t, r2
>>> to_latex(lam_t**2 * r2)
'\\lambda_t^{2} r^2'
"""

from __future__ import annotations

import re

import sympy
from sympy.printing.latex import LatexPrinter

from theory.notation import abbreviate
from theory.symbols import Parameter

__all__ = ["to_latex", "ordered_terms"]


class _Printer(LatexPrinter):
    r"""SymPy's LaTeX printer with the papers' conventions.

    ``sigma2**2`` prints ``\sigma^{4}`` (not ``(\sigma^2)^2``), ``sqrt(r2)`` prints ``r``.
    """

    def _print_Pow(self, expr):
        base, exp = expr.as_base_exp()
        if isinstance(base, Parameter) and exp.is_Rational and exp > 0:
            match = re.fullmatch(r"(.+)\^2", base.latex_name)
            if match:
                power = 2 * exp
                stem = match.group(1)
                return stem if power == 1 else "%s^{%s}" % (stem, self._print(power))
        if isinstance(base, Parameter) and exp.is_Integer and exp > 1:
            return "%s^{%s}" % (base.latex_name, exp)
        return super()._print_Pow(expr)

    def _print_Add(self, expr, order=None):
        if self.order != "none":
            terms = list(self._as_ordered_terms(expr, order=order))
            # a sum reads from a positive term: m - lam m', not -lam m' + m
            lead = next((k for k, t in enumerate(terms) if not _split_sign(t)[0]), 0)
            terms = [terms[lead]] + terms[:lead] + terms[lead + 1:]
        else:
            terms = list(expr.args)
        tex = ""
        for i, term in enumerate(terms):
            negative, body = _split_sign(term)
            if i:
                tex += " - " if negative else " + "
            elif negative:
                tex += "- "
            inner = self._print(body)
            if (self.order == "none" and isinstance(body, sympy.Add)) or (
                    negative and inner.lstrip().startswith("-")) or (
                    negative and isinstance(body, sympy.Add)):
                inner = r"\left(%s\right)" % inner
            tex += inner
        return tex

    def _print_Mul(self, expr):
        if self.order != "none":
            return super()._print_Mul(expr)
        negative, body = _split_sign(expr)
        if negative:
            inner = self._print(body)
            if isinstance(body, sympy.Add):
                inner = r"\left(%s\right)" % inner
            return "- " + inner
        return super()._print_Mul(expr)

    def _print_And(self, expr):
        # lo <= x <= hi reads as a chain
        rels = expr.args
        if len(rels) == 2 and all(isinstance(r, (sympy.Le, sympy.Ge)) for r in rels):
            pairs = [(r.lhs, r.rhs) if isinstance(r, sympy.Le) else (r.rhs, r.lhs) for r in rels]
            (a, b), (c, d) = pairs
            if b == c:
                return r"%s \leq %s \leq %s" % (self._print(a), self._print(b), self._print(d))
            if d == a:
                return r"%s \leq %s \leq %s" % (self._print(c), self._print(a), self._print(b))
        return super()._print_And(expr)

    def _print_Symbol(self, expr, style="plain"):
        if isinstance(expr, Parameter) and not re.search(r"\^", expr.latex_name):
            return expr.latex_name
        if type(expr) is sympy.Symbol and expr.name in _SYMBOL_TEX:
            return _SYMBOL_TEX[expr.name]
        return super()._print_Symbol(expr, style).replace("^{star}", r"^{\star}")


#: Plain symbols of derivations (``Symbol("L_t")``) printed in the papers' notation.
_SYMBOL_TEX = {"L_t": r"\mathcal{L}_t", "L_s": r"\mathcal{L}_s", "kappa_t": r"\kappa_t",
               "kappa_s": r"\kappa_s", "u_s": "u_s", "u_t": "u_t", "U_t": "u_t", "v_s": "v_s"}


def _split_sign(term):
    """``(negative, body)`` with ``term = -body`` when negative, keeping the written order."""
    if term.is_Number and term.is_negative:
        return True, -term
    if term.is_Mul and not term.args[0].is_Number and term.could_extract_minus_sign():
        return True, -term
    if term.is_Mul and term.args and term.args[0].is_Number and term.args[0].is_negative:
        coeff, rest = term.args[0], term.args[1:]
        if coeff == -1:
            body = rest[0] if len(rest) == 1 else sympy.Mul(*rest, evaluate=False)
        else:
            body = sympy.Mul(-coeff, *rest, evaluate=False)
        return True, body
    return False, term


def to_latex(expr, order: str | None = None, *, shorthand: bool = True) -> str:
    r"""LaTeX of a SymPy expression with the papers' conventions and shorthand.

    Parameters
    ----------
    expr : sympy.Basic
    order : str, optional
        ``"none"`` keeps the order of unevaluated sums and products as written (presentation
        forms); default: SymPy's order.
    shorthand : bool
        Replace the definition of every atomic notation by its shorthand
        (:func:`theory.notation.abbreviate`); ``False`` prints the definition itself (the list
        of notation, where ``m_t = m_t`` would say nothing).

    Examples
    --------
    >>> from sympy import sqrt
    >>> from theory.printer import to_latex
    >>> from theory.symbols import sigma2, r2
    >>> to_latex(sigma2**2 * sqrt(r2))
    'r \\sigma^{4}'
    >>> from theory.notation import notation_for
    >>> m_t = notation_for("ridge", "m_t")
    >>> to_latex(m_t.definition), to_latex(m_t.definition, shorthand=False)
    ('m_t', 'm_{\\gamma_t}\\left(- \\lambda_t\\right)')
    """
    settings = {"order": order} if order else {}
    return _Printer(settings).doprint(abbreviate(expr) if shorthand else expr)


def ordered_terms(expr, order: str | None = None) -> list:
    """The terms of the sum ``expr`` in print order: SymPy's, or as written for ``order="none"``.

    (:func:`to_latex` then starts a sum at its first positive term; the line breaker
    :func:`theory.linebreak.display` keeps this order.)

    Parameters
    ----------
    expr : sympy.Add
    order : str, optional
        As for :func:`to_latex`.

    Returns
    -------
    list of sympy.Basic

    Examples
    --------
    >>> from theory.notation import minus, plus
    >>> from theory.printer import ordered_terms
    >>> from theory.symbols import gamma, lam
    >>> ordered_terms(plus(lam, minus(gamma), 1), "none")
    [lam, -gamma, 1]
    >>> ordered_terms(plus(lam, minus(gamma), 1))
    [-gamma, lam, 1]
    """
    settings = {"order": order} if order else {}
    return list(_Printer(settings)._as_ordered_terms(expr, order=order))
