"""Soundness of the enclosure of the escape time ``T(q0 -> q1) = int dq/(G(q)(1 - q^2))``.

Each enclosure over a random box holds the value at a random point of the box computed
independently at 50 digits: mpmath's tanh-sinh quadrature of the SymPy integrand (the enclosure
uses python-flint's Gauss-Legendre quadrature of a coefficient list), and for a pure cubic link
the closed form ``(1/q0 - 1/q1 + atanh(q1) - atanh(q0))/(6 c3 b3)``. An enclosure of a point shrunk
by one ulp is caught.
"""

import random

import mpmath
import pytest
import sympy
from mpmath import libmp

from numerics.escape_enclosure import escape_time
from numerics.intervals import IntervalArithmetic
from theory import single_index as si

IV = IntervalArithmetic()
_COEFFS = [sympy.lambdify([*si.c, *si.b], a, modules="mpmath")
           for a in sympy.Poly(si.weak_slope, si.q).all_coeffs()]


def _value(q0, q1, links):
    """``T`` at 50 digits (mpmath's Gauss-Legendre quadrature on geometric pieces; ``G`` from
    the SymPy expression's coefficients at these links)."""
    with mpmath.workdps(50):
        coeffs = [a(*links) for a in _COEFFS]
        f = lambda x: 1 / (mpmath.polyval(coeffs, x) * (1 - x * x))  # noqa: E731
        cuts = [q0 * (q1 / q0) ** (mpmath.mpf(k) / 6) for k in range(7)]
        return mpmath.quad(f, cuts, method="gauss-legendre")


def _draw(rng, lo, hi):
    return mpmath.mpf(float(lo + (hi - lo) * rng.random()))


def _cases(count, seed):
    """``count`` boxes of ``(q0, q1, c1..c4, b1..b4)``: a third points, the rest narrow or wide."""
    rng = random.Random(seed)
    for _ in range(count):
        point = rng.random() < 1 / 3
        width = mpmath.mpf(0) if point else mpmath.mpf(2) ** -rng.randint(3, 40)
        q0 = _draw(rng, 1e-3, 0.45)
        q1 = _draw(rng, 0.5, 0.98)
        links = [_draw(rng, 0, 2) if rng.random() < 0.5 else mpmath.mpf(0) for _ in range(8)]
        links[2], links[6] = _draw(rng, 0.1, 2), _draw(rng, 0.1, 2)  # c3 b3 > 0: G > 0 on (0, 1)
        yield [(x, x + width if k in (0, 1) or rng.random() < 0.3 else x)
               for k, x in enumerate((q0, q1, *links))]


def _violations(count, seed=11):
    rng = random.Random(seed + 1)
    missed, caught, checked = [], 0, 0
    for box in _cases(count, seed):
        enclosure = escape_time(IV, *[IV.coordinate(b) for b in box])
        lo, hi = IV.bounds(enclosure)
        x = [a + (b - a) * mpmath.mpf(rng.random()) for a, b in box]
        value = _value(x[0], x[1], x[2:])
        checked += 1
        if not lo <= value <= hi:
            missed.append(box)
        if all(a == b for a, b in box):
            assert hi - lo <= 4 * abs(value) * mpmath.mpf(2) ** -52  # one or two ulps wide
            a, b = enclosure._mpi_
            ulp = lambda e: libmp.from_man_exp(1, e[2] + e[3] - IV.prec)  # noqa: E731
            shrunk = (mpmath.mpf(libmp.mpf_add(a, ulp(a), 200)),
                      mpmath.mpf(libmp.mpf_sub(b, ulp(b), 200)))
            caught += not shrunk[0] <= value <= shrunk[1]
    return checked, missed, caught


def test_escape_time_enclosure_holds_200_points_at_50_digits():
    checked, missed, caught = _violations(200)
    assert checked == 200 and missed == []
    assert caught > 2  # a point enclosure one ulp narrower misses the value


@pytest.mark.slow
def test_escape_time_enclosure_holds_1000_points_at_50_digits():
    checked, missed, caught = _violations(1000, seed=12)
    assert checked == 1000 and missed == [] and caught > 10


def test_pure_cubic_link_against_the_closed_form():
    """``G = 6 c3 b3 q^2``: ``T = (1/q0 - 1/q1 + atanh(q1) - atanh(q0))/(6 c3 b3)``."""
    for q0, q1, c3, b3 in (("1/1000", "99/100", 1, 1), ("1/3", "1/2", "1/10", 2),
                           ("1/100", "9/10", "3/2", "1/4")):
        with mpmath.workdps(50):
            a, b = mpmath.mpf(sympy.Rational(q0)), mpmath.mpf(sympy.Rational(q1))
            g = 6 * mpmath.mpf(sympy.Rational(c3)) * mpmath.mpf(sympy.Rational(b3))
            exact = (1 / a - 1 / b + mpmath.atanh(b) - mpmath.atanh(a)) / g
        box = [IV.coordinate(v) for v in (q0, q1, 0, 0, c3, 0, 0, 0, b3, 0)]
        lo, hi = IV.bounds(escape_time(IV, *box))
        assert lo <= exact <= hi and hi - lo < 1e-13 * exact


def test_escape_time_over_a_box_spans_its_corners():
    """T falls with q0 and with the links, rises with q1: the box's enclosure holds the corners'
    values, and the enclosure is finite (the tails bound the moving ends)."""
    box = [("1/20", "1/10"), ("1/2", "3/5"), 0, 0, ("1/2", 1), 0, 0, 0, 1, ("0", "1/2")]
    lo, hi = IV.bounds(escape_time(IV, *[IV.coordinate(v) for v in box]))
    links_lo = [0, 0, mpmath.mpf(0.5), 0, 0, 0, 1, 0]
    links_hi = [0, 0, 1, 0, 0, 0, 1, mpmath.mpf(0.5)]
    largest = _value(mpmath.mpf(1) / 20, mpmath.mpf(3) / 5, links_lo)
    smallest = _value(mpmath.mpf(1) / 10, mpmath.mpf(1) / 2, links_hi)
    assert lo <= smallest < largest <= hi < mpmath.inf


def test_where_the_integrand_is_not_positive_the_enclosure_is_the_whole_line():
    whole = (-mpmath.inf, mpmath.inf)
    no_slope = [IV.coordinate(v) for v in ("1/10", "1/2", 0, 0, 0, 0, 0, 0, 0, 0)]  # G = 0
    assert IV.bounds(escape_time(IV, *no_slope)) == whole
    reaching_one = [IV.coordinate(v) for v in ("1/10", ("1/2", 1), 0, 0, 1, 0, 0, 0, 1, 0)]
    assert IV.bounds(escape_time(IV, *reaching_one)) == whole
    crossing = [IV.coordinate(v) for v in (("1/10", "3/5"), "1/2", 0, 0, 1, 0, 0, 0, 1, 0)]
    assert IV.bounds(escape_time(IV, *crossing)) == whole
