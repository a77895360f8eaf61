r"""The exact sign of a margin at a rational point, when the margin is an algebraic number there.

A margin that is zero to 60 digits may be exactly zero (an under-parameterised ridgeless student
reproduces its teacher: ``L_s - L_t = 0`` at ``lam_s = 0``) or a tiny non-zero number. Floating
point cannot tell them apart; SymPy can when the value is algebraic, which every quantity built
from the Marchenko-Pastur primitives is at a rational point (``kappa`` is the positive root of a
quadratic with rational coefficients).

:func:`exact_sign` substitutes the point into the margin's stable form (in which ``m(-lam)`` is
written through ``kappa``, so ``lam = 0`` is no ``0/0``), writes ``kappa`` with its radical and
``D = (1 + kappa)^2 - gamma`` out, and computes the minimal polynomial of the value
(:func:`sympy.minimal_polynomial`). The value is ``0`` exactly when that polynomial is ``x``;
otherwise 0 is not a root of it, and the value's sign is that of the unique isolating interval of
the polynomial's real roots (:meth:`sympy.Poly.intervals`, refined until it excludes 0) that holds
a 60-digit evaluation of the value. Values that are not algebraic (``erf`` of a rational) or whose
isolating interval is not unique give ``None``.

Examples
--------
>>> from sympy import Rational
>>> from theory.claims import claim
>>> from numerics.exact_sign import exact_sign
>>> c = claim("ridge.under_regularised_teacher_is_beaten")
>>> point = {"lam_s": 0, "gamma_s": Rational(1, 2), "lam_t": 3, "gamma_t": Rational(1, 2),
...          "sigma2": 1, "r2": 1}
>>> exact_sign(c.margin, point)         # the student reproduces the teacher exactly
0
>>> exact_sign(c.margin, {**point, "lam_s": Rational(1, 3)})
1
"""

from __future__ import annotations

import mpmath
import sympy
from sympy.polys.polyerrors import NotAlgebraic, PolynomialError

from numerics.stable import KappaDenominator, stable_form
from theory.marchenko_pastur import EffectiveRegularization

__all__ = ["exact_value", "exact_sign"]

#: Digits of the evaluation matched against the isolating intervals.
DIGITS = 60
#: Distinct radicals beyond which no minimal polynomial is attempted (its degree doubles with each).
MAX_RADICALS = 4


def exact_value(expr: sympy.Expr, point: dict) -> sympy.Expr | None:
    """``expr`` at ``point`` (exact rationals) as an expression in radicals, or ``None``.

    Parameters left out of ``point`` take their declared default (``sigma2_s = 0``, ``r2 = 1``).
    ``None`` when a function without a radical form remains (the value is then not known to be
    algebraic) or the value is not finite.

    Examples
    --------
    >>> from theory import quantity
    >>> from numerics.exact_sign import exact_value
    >>> exact_value(quantity("mp.shrinkage_u"), {"lam": 1, "gamma": 1})
    (-1 + sqrt(5))/2
    """
    from theory.symbols import parameters

    declared = parameters()
    values = {s: sympy.Rational(point[s.name]) if s.name in point else declared[s.name].default
              for s in expr.free_symbols if s.name in declared}
    if any(v is None for v in values.values()):
        missing = sorted(s.name for s, v in values.items() if v is None)
        raise ValueError(f"exact_value: no value for the parameter(s) {', '.join(missing)}")
    form = stable_form(expr).xreplace(values)
    form = form.replace(lambda e: isinstance(e, KappaDenominator),
                        lambda e: (1 + e.args[0]) ** 2 - e.args[1])
    form = form.replace(lambda e: isinstance(e, EffectiveRegularization),
                        lambda e: e.rewrite(sympy.sqrt))
    form = form.rewrite(sympy.sqrt)
    if form.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or form.atoms(sympy.Function):
        return None
    if not form.is_number:
        return None
    try:
        return sympy.radsimp(form)
    except (PolynomialError, KeyError):  # pragma: no cover - radsimp on an unusual radical
        return form


def exact_sign(expr: sympy.Expr, point: dict) -> int | None:
    """The sign (``-1``, ``0`` or ``1``) of ``expr`` at ``point``, proved exactly, or ``None``.

    See the module docs for the method (minimal polynomial and an isolating interval).

    Examples
    --------
    >>> from sympy import sqrt, Symbol
    >>> from numerics.exact_sign import exact_sign
    >>> exact_sign(sqrt(2) * sqrt(3) - sqrt(6), {})
    0
    """
    value = exact_value(expr, point) if expr.free_symbols else expr
    if value is None or value.free_symbols:
        return None
    if value.is_Rational:
        return int(sympy.sign(value))
    radicals = {r for r in value.atoms(sympy.Pow) if r.exp.is_Rational and not r.exp.is_Integer}
    if len(radicals) > MAX_RADICALS:
        return None  # the minimal polynomial's degree would be up to 2^radicals
    x = sympy.Dummy("x")
    try:
        poly = sympy.Poly(sympy.minimal_polynomial(value, x), x)
    except (NotAlgebraic, PolynomialError, NotImplementedError, ValueError):
        return None
    if poly.degree() == 1 and poly.TC() == 0:
        return 0
    with mpmath.workdps(DIGITS):
        approx = sympy.N(value, DIGITS)
        if not approx.is_real:
            return None
        approx = sympy.Rational(str(approx))
    # isolating intervals of the real roots, refined until none contains 0 (0 is not a root)
    intervals = []
    for (a, b), _ in poly.intervals():
        a, b = sympy.Rational(a), sympy.Rational(b)
        while a <= 0 <= b and a != b:
            a, b = poly.refine_root(a, b, eps=(b - a) / 4)
            a, b = sympy.Rational(a), sympy.Rational(b)
        intervals.append((a, b))
    slack = abs(approx) * sympy.Rational(1, 10**(DIGITS - 10)) + sympy.Rational(1, 10**(DIGITS - 5))
    holding = [(a, b) for a, b in intervals if a - slack <= approx <= b + slack]
    while len(holding) > 1 and all(b - a > slack for a, b in holding):
        holding = [tuple(map(sympy.Rational, poly.refine_root(a, b, eps=(b - a) / 4)))
                   for a, b in holding]
        holding = [(a, b) for a, b in holding if a - slack <= approx <= b + slack]
    if len(holding) != 1:
        return None
    a, b = holding[0]
    return 1 if a > 0 else -1 if b < 0 else None
