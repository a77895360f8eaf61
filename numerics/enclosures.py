r"""Interval enclosures of operations that are not field operations: a real power with an interval
exponent, ``floor``, rigorous bounds of the activation functional ``Psi`` (:func:`psi_bounds`),
and the bridge that lets ``arb`` balls use an interval enclosure.

:class:`numerics.intervals.IntervalArithmetic` calls these; a mechanism's own functions (roots,
iterations, level functionals) are enclosed by the ``interval`` member of its
:class:`~numerics.primitives.Implementations` (:func:`numerics.namespaces.interval_functions`).

Examples
--------
>>> from numerics.intervals import IntervalArithmetic
>>> iv = IntervalArithmetic()
>>> x, n = iv.coordinate(("1/2", 1)), iv.coordinate((1, 3))
>>> lo, hi = iv.bounds(iv.rpow(x, n))     # x**n over the box: [1/8, 1]
>>> float(lo), float(hi)
(0.125, 1.0)
"""

from __future__ import annotations

from mpmath import libmp

__all__ = ["interval_rpow", "interval_floor", "ends", "from_ends", "arb_from_interval",
           "psi_bounds"]


def ends(x):
    """The raw ``(lo, hi)`` mpf ends of an ``iv`` interval."""
    return x._mpi_


def _raw(x):
    """The raw mpf tuple of ``x`` (a raw tuple, an mpf, an int or a float), exactly."""
    if isinstance(x, tuple):
        return x
    if hasattr(x, "_mpf_"):
        return x._mpf_
    return libmp.from_float(x) if isinstance(x, float) else libmp.from_int(int(x))


def from_ends(arith, lo, hi):
    """The ``iv`` interval of raw ends ``lo <= hi`` in ``arith``'s context, each end rounded
    outward to the context's precision (never to mpmath's global 53 bits: an end with more bits
    rounded to the nearest 53-bit number could move inwards).

    Examples
    --------
    >>> from mpmath import libmp
    >>> from numerics.intervals import IntervalArithmetic
    >>> from numerics.enclosures import ends, from_ends
    >>> x = libmp.from_man_exp(2**80 + 1, -80)           # 1 + 2^-80: 81 bits
    >>> lo, hi = ends(from_ends(IntervalArithmetic(100), x, x))
    >>> lo == hi == x                                    # kept at 100 bits
    True
    >>> lo, hi = ends(from_ends(IntervalArithmetic(53), x, x))
    >>> libmp.mpf_lt(lo, x) and libmp.mpf_lt(x, hi)      # rounded outward at 53 bits
    True
    """
    lo, hi = (_raw(x) for x in (lo, hi))
    prec = arith.ctx.prec
    return arith.ctx.make_mpf((libmp.mpf_pos(lo, prec, libmp.round_floor),
                               libmp.mpf_pos(hi, prec, libmp.round_ceiling)))


def interval_rpow(arith, x, n):
    """``x**n`` over ``x in [a, b]``, ``n in [n0, n1]`` (any real ``n``), for ``x >= 0``.

    ``x**n = exp(n log x)`` with each argument once, so the ``iv`` enclosure is the exact range
    up to rounding; at ``a = 0``, ``0**n = 0`` for ``n > 0`` and ``x**n <= b**n`` (``x**n`` is
    increasing in ``x`` for ``n > 0``). A base that may be negative (an integer exponent could
    make the power real there) and ``[0, 0]**n`` with ``n`` reaching 0 or below give the whole
    line.

    Examples
    --------
    >>> from numerics.intervals import IntervalArithmetic
    >>> iv = IntervalArithmetic()
    >>> lo, hi = iv.bounds(iv.rpow(iv.coordinate((0, 2)), iv.coordinate((2, 3))))
    >>> float(lo), float(hi)
    (0.0, 8.0)
    """
    ctx = arith.ctx
    a, b = ends(x)
    n0, n1 = ends(n)
    zero = libmp.fzero
    if libmp.mpf_lt(a, zero) or a == libmp.fnan or n0 == libmp.fnan:
        return arith.whole
    if libmp.mpf_gt(a, zero):
        return ctx.exp(n * ctx.log(x))
    if b == zero or not libmp.mpf_gt(n0, zero):
        return arith.zero if b == zero and libmp.mpf_gt(n0, zero) else arith.whole
    top = ctx.exp(n * ctx.log(from_ends(arith, b, b)))
    return from_ends(arith, zero, ends(top)[1])


def interval_floor(arith, x):
    """``floor`` over an interval: ``[floor(lo), floor(hi)]`` (exact on integers).

    Examples
    --------
    >>> from numerics.intervals import IntervalArithmetic
    >>> iv = IntervalArithmetic()
    >>> [float(v) for v in iv.bounds(iv.floor(iv.coordinate(("3/2", "7/2"))))]
    [1.0, 3.0]
    """
    a, b = ends(x)
    if a == libmp.fnan or b == libmp.fnan:
        return arith.whole
    lo = a if a in (libmp.finf, libmp.fninf) else libmp.mpf_floor(a)
    hi = b if b in (libmp.finf, libmp.fninf) else libmp.mpf_floor(b)
    return from_ends(arith, lo, hi)


def arb_from_interval(ar, iv, enclosure, args):
    """An ``arb`` ball of ``enclosure(iv, *boxes)`` (an interval enclosure) for the ``arb`` balls
    ``args`` of the arithmetic ``ar``: each ball becomes the interval of its ends, the enclosure
    runs in the interval arithmetic ``iv`` (at the balls' precision), and its ends become the
    ball (``nan`` when it is not finite).

    Examples
    --------
    >>> import flint
    >>> from numerics.intervals import ArbArithmetic, IntervalArithmetic
    >>> from numerics.enclosures import arb_from_interval
    >>> ar, iv = ArbArithmetic(), IntervalArithmetic(100)
    >>> with flint.ctx.workprec(100):
    ...     y = arb_from_interval(ar, iv, lambda iv, x: x * x, [flint.arb(3)])
    >>> y.mid() == 9
    True
    """
    flint = ar.flint
    boxes = []
    for x in args:
        lo_m, lo_e = x.lower().man_exp()
        hi_m, hi_e = x.upper().man_exp()
        boxes.append(from_ends(iv, libmp.from_man_exp(int(lo_m), int(lo_e)),
                               libmp.from_man_exp(int(hi_m), int(hi_e))))
    lo, hi = ends(enclosure(iv, *boxes))
    if lo in (libmp.fnan, libmp.fninf) or hi in (libmp.fnan, libmp.finf):
        return flint.arb("nan")
    a = flint.arb(flint.fmpz(lo[1] * (-1) ** lo[0])) * flint.arb(2) ** lo[2]
    b = flint.arb(flint.fmpz(hi[1] * (-1) ** hi[0])) * flint.arb(2) ** hi[2]
    return a.union(b)


#: Below this ``c``, :func:`psi_bounds` encloses ``Psi`` by its series (three moments).
_PSI_SERIES_BELOW = libmp.from_man_exp(1, -30)


def psi_bounds(c, prec: int):
    """Rigorous ``(lower, upper)`` raw mpf bounds of ``Psi(c) = 1 - sqrt(pi) x erfcx(x)``,
    ``x = 1/sqrt(2 c)``, at a positive binary ``c`` (raw mpf), from a python-flint ``arb`` ball
    (``erfcx = exp(x^2) erfc(x)``); the working precision is raised until the ball is narrower
    than ``2^-prec`` relative (the cancellation costs about ``log2(1/c)`` bits). Below
    ``c = 2^-30`` it returns ``[c - 3 c^2, c - 3 c^2 + 15 c^3]`` (from ``t - t^2 <= t/(1 + t)
    <= t - t^2 + t^3`` and the Gaussian moments 1, 3, 15), rounded outward: ``arb``'s ``erfc``
    returns an unbounded ball there.

    Examples
    --------
    >>> import mpmath
    >>> from numerics.enclosures import psi_bounds
    >>> lo, hi = psi_bounds(mpmath.mpf(2)._mpf_, 53)
    >>> lo, hi = mpmath.mpf(lo), mpmath.mpf(hi)
    >>> bool(mpmath.mpf("0.45435863915") < lo <= hi < mpmath.mpf("0.45435863925"))
    True
    >>> bool(hi - lo < mpmath.mpf(2) ** -50)
    True
    """
    if libmp.mpf_lt(c, _PSI_SERIES_BELOW):
        # t - t^2 <= t/(1 + t) <= t - t^2 + t^3 (t >= 0) and E g^2, g^4, g^6 = 1, 3, 15:
        # Psi(c) in [c - 3 c^2, c - 3 c^2 + 15 c^3], relative width 15 c^2 < 2^-56 here (arb's
        # erfc(x) at x = 1/sqrt(2 c) > 2^14 returns an unbounded ball); exact, then rounded out
        c2 = libmp.mpf_mul(c, c)
        low = libmp.mpf_sub(c, libmp.mpf_mul(libmp.from_int(3), c2))
        high = libmp.mpf_add(low, libmp.mpf_mul(libmp.from_int(15), libmp.mpf_mul(c2, c)))
        return (libmp.mpf_pos(low, prec, libmp.round_floor),
                libmp.mpf_pos(high, prec, libmp.round_ceiling))
    import flint

    sign, man, exp, _ = c
    bits = prec + 20
    while True:
        with flint.ctx.workprec(bits):
            cc = flint.arb(flint.fmpz((-1) ** sign * man)) * flint.arb(2) ** exp
            x = 1 / (2 * cc).sqrt()
            value = 1 - flint.arb.pi().sqrt() * x * (x * x).exp() * x.erfc()
            lo_m, lo_e = value.lower().man_exp()
            hi_m, hi_e = value.upper().man_exp()
            lo, hi = libmp.from_man_exp(int(lo_m), int(lo_e)), libmp.from_man_exp(int(hi_m),
                                                                                  int(hi_e))
            width = libmp.mpf_sub(hi, lo, 30, libmp.round_ceiling)
            scale = libmp.mpf_mul(_larger(libmp.mpf_abs(hi), libmp.mpf_abs(lo)),
                                  libmp.from_man_exp(1, -prec), 30)
            if libmp.mpf_le(width, scale) or bits > 4 * prec + 4000:
                return lo, hi
        bits *= 2


def _larger(a, b):
    return a if libmp.mpf_ge(a, b) else b
