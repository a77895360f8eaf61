"""Numbers for arXiv:2605.05710 that need more than a formula: the roots of the online-SGD drift.

Roots (the evaluators of :class:`theory.single_index.SGDBasinBoundary` and friends). With
``Psi_delta(q) = G(q)(1 - q^2) - (delta/2) q S(q)``, a polynomial in ``q`` whose coefficients SymPy
computes once:

1. every real zero of the polynomial in ``(0, 1)`` is *located* by ``polyroots`` (at twice the
   working precision), then *refined* by a bracketed solver (Anderson--Bjorck) on the interval
   between the midpoints to its neighbours, where the polynomial changes sign;
2. ``q_c`` is the smallest zero where ``Psi`` crosses upwards (unstable), ``q*`` the largest where
   it crosses downwards (stable). ``q_c`` needs ``q = 0`` stable: the lowest non-zero coefficient
   of ``Psi`` negative;
3. ``delta_sn`` is the largest local maximum in ``(0, 1)`` of ``F(q) = 2 G(q)(1 - q^2)/(q S(q))``
   (``Psi = (q S/2)(F - delta)``), located and refined the same way on the numerator of ``F'``.

A condition that fails (``delta >= delta_sn``, ``q = 0`` unstable, ``kappa <= q_c``) raises
:class:`~numerics.validation.ParameterError` naming it: a root that does not exist is never a NaN.

The reduced dynamics are in :mod:`numerics.single_index`.

Examples
--------
>>> from numerics import evaluate
>>> D = {"c3": 1, "b1": "1/2", "b3": 1}
>>> evaluate("single_index.sgd_basin_boundary", D, delta="0.005", dps=15)
mpf('0.1585550146193061')
>>> evaluate("single_index.sgd_basin_boundary", D, delta="0.03", dps=15)
Traceback (most recent call last):
...
numerics.validation.ParameterError: delta must be below the saddle-node delta_sn = 0.0221327841 (where the basin boundary q_c exists); got delta = 0.03
"""

from __future__ import annotations

import weakref
from functools import lru_cache

import mpmath
import numpy as np
import sympy

from numerics.primitives import Implementations
from numerics.validation import ParameterError


class _Theory:
    """:mod:`theory.single_index`, imported when first used (the float64 and mpmath namespaces
    load this module at start-up; the theory itself is needed only to evaluate its quantities)."""

    def __getattr__(self, name):
        from theory import single_index

        return getattr(single_index, name)


si = _Theory()

__all__ = ["mpmath_functions", "NUMPY_FUNCTIONS", "FUNCTIONS", "fixed_point_zeros",
           "psi_coefficient_forms"]



@lru_cache(maxsize=None)
def _coefficient_forms():
    """Coefficients of ``Psi_delta`` as a polynomial in ``q`` (highest first), in delta and links."""
    return sympy.Poly(sympy.expand(si.sgd_fixed_point_function()), si.q).all_coeffs()


def psi_coefficient_forms() -> list:
    """The coefficients of ``Psi_delta(q)`` as a polynomial in ``q``, highest degree first
    (SymPy expressions in delta and the links; computed once).

    Examples
    --------
    >>> from numerics.single_index_roots import psi_coefficient_forms
    >>> psi_coefficient_forms()[-1]     # Psi at q = 0
    2*b1*c1
    """
    return list(_coefficient_forms())


#: The compiled coefficients per mpmath context (kept only as long as the context lives).
_COMPILED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _compiled(ctx):
    compiled = _COMPILED.get(ctx)
    if compiled is None:
        namespace = {n: getattr(ctx, n) for n in dir(mpmath)
                     if not n.startswith("_") and hasattr(ctx, n)}
        compiled = _COMPILED[ctx] = sympy.lambdify([si.delta, *si.LINKS], _coefficient_forms(),
                                                   modules=[namespace, "mpmath"])
    return compiled


def _poly(ctx, coeffs):
    return lambda x: ctx.polyval(coeffs, x)


def _zeros(ctx, coeffs):
    """Sign-changing zeros of a real polynomial in ``(0, 1)``: ``[(root, +1 or -1 crossing)]``."""
    coeffs = [ctx.mpf(a) for a in coeffs]
    while coeffs and coeffs[0] == 0:
        coeffs.pop(0)
    while coeffs and coeffs[-1] == 0:  # a zero at q = 0: divide by q
        coeffs.pop()
    if len(coeffs) < 2:
        return []
    scale = max(abs(a) for a in coeffs)  # the roots do not depend on it; findroot's tolerance does
    coeffs = [a / scale for a in coeffs]
    f = _poly(ctx, coeffs)
    with ctx.workdps(2 * ctx.dps + 10):
        located = ctx.polyroots(coeffs, maxsteps=400, extraprec=4 * ctx.prec, cleanup=True)
    tiny = ctx.mpf(10) ** (-ctx.dps // 2)
    real = sorted(ctx.re(r) for r in located if abs(ctx.im(r)) <= tiny)
    inside = [r for r in real if 0 < r < 1]
    out = []
    for i, r in enumerate(inside):
        lo = (inside[i - 1] + r) / 2 if i else r / 2
        hi = (r + inside[i + 1]) / 2 if i + 1 < len(inside) else (r + 1) / 2
        flo, fhi = f(lo), f(hi)
        if flo * fhi >= 0:  # a double zero (tangency): no crossing
            continue
        try:
            root = ctx.findroot(f, (lo, hi), solver="anderson")
        except ValueError:  # tolerance not met (a flat or steep polynomial): bisect the bracket
            root = _bisect(ctx, f, lo, hi, flo)
        out.append((root, 1 if fhi > 0 else -1))
    return out


def _bisect(ctx, f, lo, hi, flo):
    """The sign change of ``f`` in ``[lo, hi]`` to the context's precision."""
    for _ in range(ctx.prec + 8):
        mid = (lo + hi) / 2
        fmid = f(mid)
        if fmid == 0:
            return mid
        if (fmid > 0) == (flo > 0):
            lo, flo = mid, fmid
        else:
            hi = mid
    return (lo + hi) / 2


def fixed_point_zeros(ctx, delta, *links):
    """Sign-changing zeros of ``Psi_delta`` in ``(0, 1)`` with their crossing direction.

    Examples
    --------
    >>> import mpmath
    >>> from numerics.single_index_roots import fixed_point_zeros
    >>> ctx = mpmath.MPContext(); ctx.dps = 12
    >>> D = [0, 0, 1, 0, ctx.mpf(1) / 2, 0, 1, 0, 0]  # c1..c4, b1..b4, sigma2_s
    >>> [(ctx.nstr(r, 8), s) for r, s in fixed_point_zeros(ctx, ctx.mpf("0.005"), *D)]
    [('0.15855501', 1), ('0.99620567', -1)]
    """
    return _zeros(ctx, _compiled(ctx)(delta, *links))


def _lowest_sign(ctx, delta, links):
    for a in reversed(_compiled(ctx)(delta, *links)):
        if a != 0:
            return ctx.sign(a)
    return 0


def _saddle_node(ctx, *links):
    psi0 = _compiled(ctx)(0, *links)  # Psi_0 = G (1 - q^2)
    psi1 = _compiled(ctx)(1, *links)  # Psi_0 - Psi_1 = q S(q)/2
    p2 = [a - b_ for a, b_ in zip(psi0, psi1)]
    # F = Psi_0/(Psi_0 - Psi_1): the numerator of F' is Psi_0' P2 - Psi_0 P2'
    crit = _poly_sub(ctx, _poly_mul(ctx, _poly_der(psi0), p2), _poly_mul(ctx, psi0, _poly_der(p2)))
    candidates = [r for r, sign in _zeros(ctx, crit) if sign < 0]  # F' from + to -
    if not candidates:
        raise ParameterError("the SGD fixed-point curve F(q) = 2 G (1 - q^2)/(q S) has no interior "
                             "maximum for these links (q = 0 is unstable for every delta): there "
                             "is no saddle-node delta_sn")
    def F(x):
        a = ctx.polyval(psi0, x)
        return a / (a - ctx.polyval(psi1, x))

    return max(F(r) for r in candidates)


def _poly_der(a):
    n = len(a) - 1
    return [a[i] * (n - i) for i in range(n)]


def _poly_mul(ctx, a, b_):
    out = [ctx.zero] * (len(a) + len(b_) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b_):
            out[i + j] += x * y
    return out


def _poly_sub(ctx, a, b_):
    n = max(len(a), len(b_))
    a, b_ = [ctx.zero] * (n - len(a)) + list(a), [ctx.zero] * (n - len(b_)) + list(b_)
    return [x - y for x, y in zip(a, b_)]


def _basin_boundary(delta, *links):
    ctx = delta.context
    if _lowest_sign(ctx, delta, links) >= 0:
        raise ParameterError("q_c(delta) needs q = 0 to be stable (Psi_delta < 0 just above 0; "
                             "k* >= 3, or k* = 2 with delta > 2A/S(0)); here q = 0 is unstable")
    for root, sign in fixed_point_zeros(ctx, delta, *links):
        if sign > 0:
            return root
    sn = _saddle_node(ctx, *links)
    raise ParameterError(f"delta must be below the saddle-node delta_sn = {ctx.nstr(sn, 10)} "
                         f"(where the basin boundary q_c exists); got delta = {ctx.nstr(delta, 10)}")


def _stable_point(delta, *links):
    ctx = delta.context
    zeros = [root for root, sign in fixed_point_zeros(ctx, delta, *links) if sign < 0]
    if not zeros:
        raise ParameterError(f"Psi_delta has no stable zero q* in (0, 1) at delta = "
                             f"{ctx.nstr(delta, 10)} (delta beyond the saddle-node?)")
    return zeros[-1]


def _required_overlap(qc, kappa):
    ctx = qc.context
    if not qc < kappa:
        raise ParameterError(f"no pre-training budget suffices: kappa = <v, w> = "
                             f"{ctx.nstr(kappa, 10)} must exceed q_c(delta) = {ctx.nstr(qc, 10)}"
                             " (arXiv:2605.05710, pre-training threshold theorem, part (i)); the "
                             "PGR is the stuck value for every budget (single_index.sgd_pgr)")
    return qc / kappa


def mpmath_functions(ctx) -> dict:
    """Evaluators of the root-defined functions of :mod:`theory.single_index` in ``ctx``.

    Examples
    --------
    >>> import mpmath
    >>> from numerics.single_index_roots import mpmath_functions
    >>> sorted(mpmath_functions(mpmath.MPContext()))[:2]
    ['RequiredOverlap', 'SGDBasinBoundary']
    """

    # a compiled expression may call a root many times with the same arguments (q_c inside a
    # polynomial of q_c, without common-subexpression elimination): each root is found once
    def wrap(f):
        @lru_cache(maxsize=64)
        def g(*args):
            return f(*[ctx.convert(a) for a in args])
        return g

    @lru_cache(maxsize=64)
    def saddle(*links):
        return _saddle_node(ctx, *[ctx.convert(a) for a in links])

    return {"SGDBasinBoundary": wrap(_basin_boundary), "SGDStablePoint": wrap(_stable_point),
            "SGDSaddleNode": saddle, "RequiredOverlap": wrap(_required_overlap)}


def _float_version(name):
    """A float64 ufunc of the root-defined function ``name``: each element at 40 and at 80
    digits, and at ever more while the two differ beyond 1e-13 relative (the root solver's
    tolerance is absolute: a root near 0, ``q* = 1.46e-48``, came out as ``1.53e-48`` at both 20
    and 40 digits); past 640 digits a ParameterError."""
    contexts = []  # built on first use: importing this module (any evaluator does) stays cheap

    def settled(*a):
        if not contexts:
            for dps in (40, 80, 160, 320, 640):
                ctx = mpmath.MPContext()
                ctx.dps = dps
                contexts.append((ctx, mpmath_functions(ctx)[name]))
        previous = None
        for ctx, f in contexts:
            value = float(f(*(ctx.mpf(float(x)) for x in a)))
            if previous is not None and abs(value - previous) <= 1e-13 * abs(value):
                return value
            previous = value
        raise ParameterError(f"{name} does not settle at 640 digits at {a}")

    return np.vectorize(settled, otypes=[float])


#: float64 versions (each element through the 20-digit evaluator).
NUMPY_FUNCTIONS = {n: _float_version(n) for n in
                   ("SGDBasinBoundary", "SGDStablePoint", "SGDSaddleNode", "RequiredOverlap")}

def _all_mpmath(ctx) -> dict:
    from numerics import single_index_iterates

    return {**mpmath_functions(ctx), **single_index_iterates.mpmath_functions(ctx)}


def _all_numpy() -> dict:
    from numerics import single_index_iterates

    return {**NUMPY_FUNCTIONS, **single_index_iterates.NUMPY_FUNCTIONS}


#: The evaluators of the mechanism's root-, iteration- and quadrature-defined functions (those of
#: :mod:`numerics.single_index_iterates` included), for :mod:`numerics.namespaces`.
FUNCTIONS = Implementations(mpmath=_all_mpmath, numpy=_all_numpy(),
                            interval="numerics.single_index_enclosures:enclosures")
