r"""An interval enclosure of the escape time ``T(q0 -> q1) = int_{q0}^{q1} dq / (G(q)(1 - q^2))``
of gradient flow on the weak loss (``EscapeTime``, arXiv:2605.05710; derived in w2s-theory,
docs/single-index.md), the ``interval`` member of the single-index functions' facet.

Over a box ``q0 in [a0, b0]``, ``q1 in [a1, b1]``, links in a box ``L`` (``0 < a0``, ``b1 < 1``,
``b0 <= a1``), with ``f = 1/(G(q; L)(1 - q^2))`` positive on ``[a0, b1]`` (``G(q; L) > 0`` checked
in interval arithmetic, else the whole line):

    T in  int_{b0}^{a1} f  +  [0, (b0 - a0) max f([a0, b0])]  +  [0, (b1 - a1) max f([a1, b1])]

(the integrand is positive, so the integral grows with ``q1`` and falls with ``q0``). The middle
integral is python-flint's rigorous Gauss-Legendre quadrature (``acb.integral``, with error bounds
from the integrand on complex ellipses) of ``1/(G(q)(1 - q^2))``, ``G``'s coefficients in ``q`` as
``arb`` balls spanning their ranges over ``L`` (each a product of link coefficients, enclosed by
interval arithmetic); where that quadrature does not converge to a finite ball, an interval
Riemann sum on geometric pieces (lower and upper sums of the interval integrand) replaces it. The
quadrature runs with :data:`GUARD` extra bits and is rounded outward, so the enclosure of a point
is one or two ulps wide.

Examples
--------
>>> from numerics.intervals import IntervalArithmetic
>>> from numerics.escape_enclosure import escape_time
>>> iv = IntervalArithmetic()
>>> args = [iv.coordinate(v) for v in ("1/10", "1/2", 0, 0, 1, 0, 0, 0, 1, 0)]
>>> lo, hi = iv.bounds(escape_time(iv, *args))   # G(q) = 6 q^2 for c3 = b3 = 1
>>> import mpmath
>>> exact = (1 / mpmath.mpf("0.1") - 2 + mpmath.atanh(0.5) - mpmath.atanh(0.1)) / 6
>>> float(lo) <= exact <= float(hi), float(hi - lo) < 1e-15
(True, True)
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
from mpmath import libmp

from numerics.enclosures import arb_from_interval, ends, from_ends

__all__ = ["escape_time", "GUARD", "PIECES"]

#: Extra bits of the quadrature (rounded outward to the working precision).
GUARD = 30
#: Geometric pieces of the interval Riemann sum (the fallback of the quadrature).
PIECES = 256


@lru_cache(maxsize=None)
def _programs():
    """Interval programs of ``G``'s coefficients in ``q`` (lowest degree first), over the links."""
    import sympy

    from numerics.intervals import compile_margin
    from theory import single_index as si

    names = [s.name for s in (*si.c, *si.b)]
    poly = sympy.Poly(si.weak_slope, si.q)
    coeffs = list(reversed(poly.all_coeffs()))
    return tuple(compile_margin(sympy.sympify(c), names, stable=False) for c in coeffs)


def _coefficients(iv, links):
    values = dict(zip(_programs()[0].names, links))
    return [p.run(iv, values) for p in _programs()]


def _horner(coeffs, x):
    out = coeffs[-1]
    for a in reversed(coeffs[:-1]):
        out = out * x + a
    return out


def _integrand(iv, coeffs, a, b):
    """``1/(G(q)(1 - q^2))`` over ``q in [a, b]`` (raw ends), or ``None`` where ``G`` or
    ``1 - q^2`` may be ``<= 0``."""
    x = from_ends(iv, a, b)
    g = _horner(coeffs, x)
    w = 1 - x * x
    if not (libmp.mpf_gt(ends(g)[0], libmp.fzero) and libmp.mpf_gt(ends(w)[0], libmp.fzero)):
        return None
    return 1 / (g * w)


def _tail(iv, coeffs, a, b):
    """``[0, (b - a) max f([a, b])]`` (``[0, 0]`` when ``a == b``), or ``None``."""
    if a == b:
        return iv.zero
    f = _integrand(iv, coeffs, a, b)
    if f is None:
        return None
    top = from_ends(iv, b, b) - from_ends(iv, a, a)
    return from_ends(iv, libmp.fzero, ends(top * f)[1])


def _to_arb(flint, lo, hi):
    a = flint.arb(flint.fmpz(lo[1] * (-1) ** lo[0])) * flint.arb(2) ** lo[2]
    b = flint.arb(flint.fmpz(hi[1] * (-1) ** hi[0])) * flint.arb(2) ** hi[2]
    return a if lo == hi else a.union(b)


def _from_arb(iv, ball):
    """The ``iv`` interval holding the ``arb`` ball, rounded outward to ``iv.prec``."""
    lo_m, lo_e = ball.lower().man_exp()
    hi_m, hi_e = ball.upper().man_exp()
    lo = libmp.mpf_pos(libmp.from_man_exp(int(lo_m), int(lo_e)), iv.prec, libmp.round_floor)
    hi = libmp.mpf_pos(libmp.from_man_exp(int(hi_m), int(hi_e)), iv.prec, libmp.round_ceiling)
    return from_ends(iv, lo, hi)


def _quadrature(iv, coeffs, a, b):
    """``int_a^b f`` by ``acb.integral`` (rigorous), or ``None`` when it does not converge."""
    import flint

    if a == b:
        return iv.zero
    prec = iv.prec + GUARD
    with flint.ctx.workprec(prec):
        balls = [flint.acb(_to_arb(flint, *ends(c))) for c in coeffs]

        def f(x, analytic):
            return 1 / (_horner(balls, x) * (1 - x * x))

        lo = flint.acb(_to_arb(flint, a, a))
        hi = flint.acb(_to_arb(flint, b, b))
        value = flint.acb.integral(f, lo, hi, rel_tol=flint.arb(2) ** -prec,
                                   eval_limit=20000)
        if not (value.imag.contains(0) and value.real.is_finite()):
            return None
        if value.real.rad() > abs(value.real.mid()) * flint.arb(2) ** -20 + flint.arb(2) ** -prec \
                and value.real.rad() > 0:
            return None  # did not converge: the Riemann sum may be tighter
        return _from_arb(iv, value.real)


def _riemann(iv, coeffs, a, b):
    """``int_a^b f`` between the interval lower and upper sums on :data:`PIECES` geometric
    pieces (``0 < a < b``), or ``None``."""
    ratio = (mpmath.mpf(b) / mpmath.mpf(a)) ** (mpmath.mpf(1) / PIECES)
    cuts = [a]
    for k in range(1, PIECES):
        x = libmp.mpf_mul(cuts[-1], ratio._mpf_, iv.prec, libmp.round_nearest)
        if libmp.mpf_lt(cuts[-1], x) and libmp.mpf_lt(x, b):
            cuts.append(x)
    cuts.append(b)
    total = iv.zero
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        f = _integrand(iv, coeffs, lo, hi)
        if f is None:
            return None
        total = total + (from_ends(iv, hi, hi) - from_ends(iv, lo, lo)) * f
    return total


def _enclosure(iv, q0, q1, links):
    (a0, b0), (a1, b1) = ends(q0), ends(q1)
    if libmp.fnan in (a0, b0, a1, b1) or not (libmp.mpf_gt(a0, libmp.fzero)
                                               and libmp.mpf_lt(b1, libmp.fone)
                                               and libmp.mpf_le(b0, a1)):
        return iv.whole
    coeffs = _coefficients(iv, links)
    head, tail = _tail(iv, coeffs, a0, b0), _tail(iv, coeffs, a1, b1)
    if head is None or tail is None:
        return iv.whole
    middle = _quadrature(iv, coeffs, b0, a1) if b0 != a1 else iv.zero
    if middle is None:
        middle = _riemann(iv, coeffs, b0, a1)
        if middle is None:
            return iv.whole
    return middle + head + tail


def escape_time(ar, q0, q1, *links):
    """``EscapeTime(q0, q1, c1..c4, b1..b4)`` in the arithmetic ``ar``: an interval enclosure
    (see the module docs), an ``arb`` ball (through the interval enclosure at the ball's
    precision) or an mpmath point (the quadrature of :mod:`numerics.single_index_iterates`).

    Examples
    --------
    >>> from numerics.intervals import IntervalArithmetic
    >>> from numerics.escape_enclosure import escape_time
    >>> iv = IntervalArithmetic()
    >>> box = [iv.coordinate(v) for v in (("1/20", "1/10"), ("1/2", "3/5"),
    ...                                   0, 0, 1, 0, 0, 0, 1, 0)]
    >>> lo, hi = iv.bounds(escape_time(iv, *box))  # T(1/10 -> 1/2) = 1.408, T(1/20 -> 3/5) = 3.163
    >>> 1.40 < float(lo) <= 1.4082 and 3.163 < float(hi) < 5
    True
    """
    if hasattr(ar, "whole"):
        return _enclosure(ar, q0, q1, links)
    if hasattr(ar, "flint"):
        return arb_from_interval(ar, _at_ball_precision(ar),
                                 lambda iv, *a: _enclosure(iv, a[0], a[1], a[2:]),
                                 (q0, q1, *links))
    from numerics.single_index_iterates import mpmath_functions

    return mpmath_functions(ar.ctx)["EscapeTime"](q0, q1, *links)


def _at_ball_precision(ar):
    """Interval arithmetic at the precision of ``ar``'s ``arb`` balls."""
    from numerics.intervals import IntervalArithmetic

    return IntervalArithmetic(prec=ar.flint.ctx.prec)
