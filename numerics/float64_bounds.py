"""Signs and running rounding-error bounds of the held forms :mod:`numerics.float64` prints.

A held form is a SymPy expression whose sums are :class:`HeldSum` nodes (kept whole through
common-subexpression elimination), whose powers of products may be :class:`HeldPower` nodes
and whose factors taken out of sums are :class:`HeldProduct` nodes. :func:`running_bound`
bounds the relative rounding error of its float64 evaluation (the rules are in
:mod:`numerics.float64`), from the signs :func:`sign` finds: SymPy's assumptions, the
primitives' signs, the real roots of a polynomial in one parameter and interval arithmetic over
the parameters' domains. :func:`largest_ratio` bounds the cancellation of a sum in one
parameter over its whole domain, so its bound is a number.

Examples
--------
>>> from theory.symbols import gamma, zeta
>>> from numerics.float64_bounds import HeldSum, running_bound, sign
>>> sign(zeta**2 + zeta + 1), running_bound(HeldSum(1, gamma))
(1, 1)
"""

from __future__ import annotations

from functools import lru_cache

import sympy
from sympy import Abs, Add, Function, Piecewise, S

__all__ = ["HeldSum", "HeldPower", "HeldProduct", "UNIT", "FUNCTION_ROUNDINGS",
           "NONNEGATIVE_FUNCTIONS", "sign", "one_sign", "unheld", "largest_ratio",
           "running_bound"]

#: float64 unit roundoff.
UNIT = 2.0**-53
#: Roundings charged to one evaluation of a primitive (kappa, m, Psi, the roots of the SGD
#: fixed-point equation) at exact arguments; their implementations are accurate to a few ulps.
FUNCTION_ROUNDINGS = 8
#: Functions whose values are nonnegative wherever they are defined (a mechanism's own functions
#: say so through SymPy's assumptions, ``_eval_is_nonnegative``).
NONNEGATIVE_FUNCTIONS = (sympy.exp, Abs)


class HeldSum(Function):
    """A sum kept whole through common-subexpression elimination (printed as a grouped sum)."""


class HeldPower(Function):
    """``HeldPower(b, k)``: the power ``b**k`` of a product ``b``, kept as one (SymPy spreads an
    integer power over a product), so that common-subexpression elimination shares ``b``
    between ``b`` and ``b**2``: ``ce1**4/D**2`` is ``(ce1**2/D)**2``, the square of the
    ``ce1**2/D`` computed anyway (printed as repeated products)."""


class HeldProduct(Function):
    """A factor taken out of the terms of a sum (:func:`hold_sums`), kept whole: SymPy would
    otherwise merge its parts with the factors around the sum, and ``lam * (1/lam) * S``
    would become ``S``, a value where the formula (and :func:`numerics.evaluate`) has none at
    ``lam = 0``."""

    def _print_held(self, printer):  # any code printer: the product, parenthesised
        return "(%s)" % printer._print(self.args[0])

    _numpycode = _mpmathcode = _pythoncode = _print_held



def sign(expr, assumed=None) -> int:
    """``1`` if ``expr`` is known to be ``>= 0``, ``-1`` if ``<= 0``, ``0`` if unknown.

    ``assumed`` maps sums (:class:`HeldSum` nodes) to the sign they are taken to have (one
    checked at run time, see :func:`compile_numpy`).

    Examples
    --------
    >>> from theory.symbols import gamma, lam, zeta
    >>> sign(lam * gamma), sign(-zeta**2), sign(zeta)
    (1, -1, 0)
    >>> sign(zeta**2 + zeta + 1), sign(zeta - 1)   # on zeta's domain [-1, 1], by its roots
    (1, -1)
    """
    if not assumed:
        return _known_sign(expr)
    if expr in assumed:
        return assumed[expr]
    return _sign(expr, assumed)


@lru_cache(maxsize=8192)
def _known_sign(expr) -> int:
    """:func:`sign` without assumptions (kept: the same terms are asked about many times)."""
    return _sign(expr, None)


def _sign(expr, assumed) -> int:
    if expr.is_number:
        value = expr.is_extended_nonnegative
        return 1 if value else (-1 if expr.is_extended_nonpositive else 0)
    if expr.is_Symbol:
        return 1 if expr.is_nonnegative else (-1 if expr.is_nonpositive else 0)
    if expr.is_Mul:
        out = 1
        for a in expr.args:
            out *= sign(a, assumed)
        return out
    if expr.is_Pow:
        base, k = expr.args
        if k.is_Integer and k.p % 2 == 0:  # an even power of a real number
            real = sign(base, assumed) != 0 or all(
                x.is_real for x in base.free_symbols) and not base.has(sympy.I)
            return 1 if real else 0
        if sign(base, assumed) == 1:
            return 1
        return -1 if sign(base, assumed) == -1 and k.is_Integer and k.p % 2 else 0
    if expr.is_Add or isinstance(expr, HeldSum):
        signs = {sign(a, assumed) for a in expr.args}
        if len(signs) == 1:
            return signs.pop()
        return _sign_on_domains(unheld(Add(*expr.args)))
    if isinstance(expr, HeldPower):
        return sign(sympy.Pow(*expr.args, evaluate=False), assumed)
    if isinstance(expr, HeldProduct):
        return sign(expr.args[0], assumed)
    if isinstance(expr, NONNEGATIVE_FUNCTIONS):
        return 1
    if expr.is_nonnegative:
        return 1
    if expr.is_nonpositive:
        return -1
    return 0


def unheld(expr):
    """``expr`` with its held nodes back as SymPy sums, powers and products.

    Examples
    --------
    >>> from theory.symbols import gamma
    >>> unheld(HeldSum(1, gamma) * 2)
    2*gamma + 2
    """
    expr = expr.replace(lambda e: isinstance(e, HeldPower), lambda e: sympy.Pow(*e.args))
    expr = expr.replace(lambda e: isinstance(e, HeldProduct), lambda e: e.args[0])
    return expr.replace(lambda e: isinstance(e, HeldSum), lambda e: Add(*e.args))


def _sign_on_domains(expr) -> int:
    """The sign of a polynomial over its parameters' domains (``m - 1 <= 0`` for ``|m| <= 1``),
    by interval arithmetic (SymPy's ``AccumBounds``); ``0`` where that does not decide it."""
    if not expr.is_polynomial() or len(expr.free_symbols) > 4:
        return 0
    if len(expr.free_symbols) == 1:
        found = _sign_of_univariate(expr)
        if found:
            return found
    ranges = {}
    for x in expr.free_symbols:
        domain = getattr(x, "domain", None)
        if not isinstance(domain, sympy.Interval):
            return 0
        ranges[x] = sympy.AccumBounds(domain.start, domain.end)
    try:
        value = expr.xreplace(ranges)
    except (TypeError, ValueError):
        return 0
    if not isinstance(value, sympy.AccumBounds):
        return sign(value) if value.is_number else 0
    if value.min.is_extended_nonnegative:
        return 1
    if value.max.is_extended_nonpositive:
        return -1
    return 0


def _sign_of_univariate(expr) -> int:
    """The sign of a polynomial in one parameter over its domain, from its real roots (Sturm
    sequences, exact): one sign where no root lies inside the domain (``1 + m + m**2`` on
    ``[-1, 1]``), ``0`` otherwise."""
    (x,) = expr.free_symbols
    domain = getattr(x, "domain", None)
    if not isinstance(domain, sympy.Interval):
        return 0
    poly = sympy.Poly(expr, x)
    if not poly.domain.is_QQ and not poly.domain.is_ZZ:
        return 0
    lo, hi = domain.start, domain.end
    inside = poly.count_roots(None if lo.is_infinite else lo, None if hi.is_infinite else hi)
    inside -= sum(1 for end in (lo, hi) if end.is_finite and poly.eval(end) == 0)
    if inside:
        return 0
    if lo.is_finite and hi.is_finite:
        point = (lo + hi) / 2
    else:
        point = lo + 1 if lo.is_finite else (hi - 1 if hi.is_finite else S.Zero)
    value = poly.eval(point)
    return 1 if value > 0 else (-1 if value < 0 else 0)


@lru_cache(maxsize=1024)
def largest_ratio(held_sum):
    """The supremum of ``sum |t_i| / |sum t_i|`` over the domain of the one parameter of a sum
    of polynomial terms (``1 + m (1 + m)`` on ``[-1, 1]``: ``5/3``, at ``m = -1/2``), rounded
    up (by a relative ``1e-9``); ``None`` for more parameters, other terms, or a sum with a zero on the closed domain.

    Exact root isolation (SymPy's real roots) splits the domain where a term changes sign; on
    each piece the ratio is a rational function whose largest value is at an end or at a root
    of its derivative's numerator.

    Examples
    --------
    >>> from theory.symbols import zeta
    >>> largest_ratio(HeldSum(1, zeta, zeta**2))   # (1 + 1 + 1)/1 at zeta = -1, rounded up
    3.00000000300000
    >>> largest_ratio(HeldSum(1, -zeta**2)) is None   # 0 at zeta = +-1
    True
    """
    sum_ = unheld(Add(*held_sum.args))
    if len(sum_.free_symbols) != 1 or not sum_.is_polynomial():
        return None
    (x,) = sum_.free_symbols
    domain = getattr(x, "domain", None)
    terms = [unheld(t) for t in held_sum.args]
    if not isinstance(domain, sympy.Interval) or not all(t.is_polynomial(x) for t in terms):
        return None
    lo, hi = domain.start, domain.end
    total = sympy.Poly(sum_, x)
    if total.is_zero or total.count_roots(None if lo.is_infinite else lo,
                                          None if hi.is_infinite else hi):
        return None
    cuts = {r for t in terms if t.has(x) for r in sympy.Poly(t, x).real_roots()
            if lo < r < hi}
    ends = [lo, *sorted(cuts, key=lambda r: float(r)), hi]
    largest = 0.0
    for a, b in zip(ends, ends[1:]):
        inside = (a + b) / 2 if a.is_finite and b.is_finite else (
            b - 1 if a.is_infinite and b.is_finite else (a + 1 if a.is_finite else S.Zero))
        signs = [1 if t.subs(x, inside) >= 0 else -1 for t in terms]
        magnitude = sympy.Poly(Add(*[s * t for s, t in zip(signs, terms)]), x)
        points = [p for p in (a, b) if p.is_finite]
        slope = (magnitude.diff(x) * total - magnitude * total.diff(x))
        if not slope.is_zero:
            points += [r for r in slope.real_roots() if a < r < b]
        values = [sympy.N(magnitude.eval(p) / total.eval(p), 30) for p in points]
        for end in (a, b):
            if end.is_infinite:
                if magnitude.degree() > total.degree():
                    return None
                values.append(sympy.N(magnitude.LC() / total.LC(), 30)
                              if magnitude.degree() == total.degree() else S.Zero)
        largest = max([largest, *[abs(float(v)) for v in values]])
    return sympy.Float(largest * (1 + 1e-9))


def _exact_constant(n) -> bool:
    if n.is_Integer:
        return abs(int(n)) <= 2**53
    if n.is_Rational:
        q = int(n.q)
        return q & (q - 1) == 0 and abs(int(n.p)) <= 2**53
    return False



def _max(bounds):
    bounds = list(bounds)
    if all(b.is_Number for b in bounds):
        return max(bounds, default=S.Zero)
    return Add(*bounds)  # a sum of nonnegative bounds: above their maximum, cheaper than Max


def running_bound(e, ratios=None):
    """The bound of :func:`numerics.float64.error_bound` of a held form ``e``: a first-order
    bound, in units of ``2**-53``, on the relative rounding error of its float64 evaluation.

    ``ratios`` maps each sum charged for its cancellation to ``(s, rho)``: its sign ``s``
    (known, or taken and checked at run time) and a symbol ``rho`` for an upper bound of its
    ratio ``sum |t_i| / |sum t_i|`` (see :func:`numerics.float64.compile_numpy`).

    Examples
    --------
    >>> from sympy import Symbol
    >>> from theory.symbols import gamma
    >>> running_bound(HeldSum(1, -gamma**2))        # at each point
    (gamma**2 + 1)/Abs(gamma**2 - 1) + 1
    >>> rho = Symbol("rho", positive=True)
    >>> running_bound(HeldSum(1, -gamma**2), {HeldSum(1, -gamma**2): (1, rho)})
    rho + 1
    """
    def bound(x):
        return running_bound(x, ratios)

    if e.is_Symbol:
        return S.Zero
    if e.is_Number:
        return S.Zero if _exact_constant(e) else S.One
    if e.is_NumberSymbol or e.is_number:
        return S.One
    if e.is_Mul:
        coeff = e.args[0]
        exact = coeff.is_Number and _exact_constant(coeff) and coeff.is_Integer and abs(
            int(coeff)) & (abs(int(coeff)) - 1) == 0  # a product by +-2**j rounds nothing
        return Add(*[bound(a) for a in e.args]) + (len(e.args) - 1 - (1 if exact else 0))
    if e.is_Pow:
        base, k = e.args
        b = bound(base)
        if k.is_Integer:  # printed as repeated products (and one division)
            return abs(k) * b + abs(int(k)) - 1 + (1 if k.is_negative else 0)
        if k.is_Rational:
            return abs(k) * b + 3
        return Abs(k) * b + Abs(k * sympy.log(base)) * bound(k) + 4
    if e.is_Add or isinstance(e, HeldSum):
        terms = e.args
        bounds = [bound(t) for t in terms]
        n = len(terms)
        assumed = {k: v[0] for k, v in ratios.items()} if ratios else None
        if ratios and e in ratios:  # (max B_i + n - 2) sum |t_i| / |sum t_i| + 1, the ratio
            return (_max(bounds) + max(n - 2, 0)) * ratios[e][1] + 1  # bounded by rho
        if one_sign(terms, assumed):
            return _max(bounds) + (n - 1)
        largest = largest_ratio(e)
        if largest is not None:  # one parameter: the ratio's supremum over its domain
            return (_max(bounds) + max(n - 2, 0)) * largest + 1
        magnitude = Add(*[Abs(t) for t in terms])
        if all(b.is_Number for b in bounds):  # one weight for all terms: fewer operations
            return (max(bounds) + max(n - 2, 0)) * magnitude / Abs(Add(*terms)) + 1
        weighted = Add(*[Abs(t) * b for t, b in zip(terms, bounds) if b != 0])
        return (weighted + max(n - 2, 0) * magnitude) / Abs(Add(*terms)) + 1
    if isinstance(e, HeldPower):  # printed as repeated products, like an integer power
        return bound(sympy.Pow(*e.args, evaluate=False))
    if isinstance(e, HeldProduct):
        return bound(e.args[0])
    if isinstance(e, Piecewise):
        return Piecewise(*[(bound(piece), cond) for piece, cond in e.args])
    if isinstance(e, (Abs, sympy.Min, sympy.Max)):  # a selection or a sign: exact
        return _max(bound(a) for a in e.args)
    if isinstance(e, sympy.exp):
        return Abs(e.args[0]) * bound(e.args[0]) + 2
    if isinstance(e, sympy.log):
        return bound(e.args[0]) / Abs(e) + 2
    if isinstance(e, sympy.Function):
        return _max(bound(a) for a in e.args) + FUNCTION_ROUNDINGS
    raise NotImplementedError(f"no rounding-error rule for {type(e).__name__}")


def one_sign(terms, assumed=None) -> bool:
    """Whether the terms of a sum are known to share one sign (no cancellation).

    Examples
    --------
    >>> from theory.symbols import gamma, zeta
    >>> one_sign((1 + gamma).args), one_sign((1 + zeta).args)
    (True, False)
    """
    first = sign(terms[0], assumed)
    return first != 0 and all(sign(t, assumed) == first for t in terms[1:])
