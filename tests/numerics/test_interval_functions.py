"""Soundness of the enclosures of Psi, pi, Min, Max, Abs and Piecewise (numerics.intervals).

Each enclosure over a random box holds the 50-digit values at random points of the box, computed
independently with mpmath (Psi from its erfc form, checked against the Gaussian integral that
defines it); an enclosure shrunk by one ulp is caught.
"""

import random

import mpmath
import sympy

from numerics.enclosures import psi_bounds
from numerics.intervals import IntervalArithmetic, compile_margin
from theory.activations import Psi

ARITH = IntervalArithmetic()


def _psi50(c):
    """Psi(c) = E[c g^2/(1 + c g^2)] at 50 digits, from the erfc form (mpmath, not arb)."""
    with mpmath.workdps(50 + 10 + max(0, int(-mpmath.log10(c)))):
        x = 1 / mpmath.sqrt(2 * c)
        return +(1 - mpmath.sqrt(mpmath.pi) * x * mpmath.exp(x * x) * mpmath.erfc(x))


def _draw(rng):
    return mpmath.mpf(10 ** rng.uniform(-3, 3))  # a binary number, log-uniform in [1e-3, 1e3]


def test_erfc_form_is_the_gaussian_integral():
    for c in (mpmath.mpf("0.01"), mpmath.mpf(2), mpmath.mpf(300)):
        with mpmath.workdps(30):
            integral = mpmath.quad(lambda g: c * g * g / (1 + c * g * g)
                                   * mpmath.exp(-g * g / 2) / mpmath.sqrt(2 * mpmath.pi),
                                   [-mpmath.inf, 0, mpmath.inf])
        assert abs(integral - _psi50(c)) < mpmath.mpf(10) ** -25


def test_psi_enclosure_holds_1000_points_at_50_digits():
    rng = random.Random(0)
    for _ in range(1000):
        a, b = sorted((_draw(rng), _draw(rng)))
        if rng.random() < 1 / 3:
            b = a
        lo, hi = ARITH.bounds(ARITH.psi(ARITH.coordinate((a, b))))
        c = a if a == b else a + (b - a) * mpmath.mpf(rng.random())
        assert lo <= _psi50(c) <= hi


def test_psi_enclosure_shrunk_by_one_ulp_is_caught():
    rng = random.Random(1)
    caught = 0
    for _ in range(200):
        c = _draw(rng)
        lo, hi = psi_bounds(c._mpf_, 53)
        lo, hi = mpmath.mpf(lo), mpmath.mpf(hi)
        ulp = mpmath.mpf(2) ** (mpmath.floor(mpmath.log(abs(lo), 2)) - 52)
        caught += not (lo + ulp <= _psi50(c) <= hi) or not (lo <= _psi50(c) <= hi - ulp)
    assert caught > 150  # a one-ulp error is visible at most points: the enclosure is tight


def test_psi_at_the_ends():
    assert ARITH.bounds(ARITH.psi(ARITH.coordinate((0, 0)))) == (0, 0)
    lo, hi = ARITH.bounds(ARITH.psi(ARITH.coordinate((0, mpmath.inf))))
    assert (lo, hi) == (0, 1)


def test_min_max_abs_piecewise_and_pi_hold_200_points_each():
    x, y = sympy.symbols("x y", real=True)
    exprs = [sympy.Min(x**2 - y, y * x), sympy.Max(x - 1, -y, x * y), sympy.Abs(x - y) * sympy.pi,
             sympy.Piecewise((x**2, x < y), (y - x, True)), Psi(x**2 + 1) - sympy.Abs(y) / 7,
             (x**2 + y**2 + 1) ** sympy.Rational(-1, 4)]
    rng = random.Random(2)
    for expr in exprs:
        program = compile_margin(expr, ["x", "y"], stable=False)
        f = sympy.lambdify((x, y), expr.rewrite(sympy.sqrt), modules="mpmath")
        for _ in range(200):
            box = {n: tuple(sorted(mpmath.mpf(rng.uniform(-3, 3)) for _ in range(2)))
                   for n in ("x", "y")}
            lo, hi = ARITH.bounds(program.run(ARITH, box))
            point = {n: a + (b - a) * mpmath.mpf(rng.random()) for n, (a, b) in box.items()}
            with mpmath.workdps(50):
                value = f(point["x"], point["y"])
            assert lo <= value <= hi, (expr, box, point)


def test_psi_below_2_to_the_minus_30_holds_1000_points_and_is_one_ulp_tight():
    # the series enclosure [c - 3c^2, c - 3c^2 + 15c^3] (arb's erfc is an unbounded ball there):
    # each point against the erfc form at 50 digits, and the asymptotic series with 6 terms
    # (alternating, error below the next term) as a second, independent value
    rng = random.Random(3)
    caught = 0
    for _ in range(1000):
        c = mpmath.mpf(10 ** rng.uniform(-40, -9.1))
        lo, hi = ARITH.bounds(ARITH.psi(ARITH.coordinate((c, c))))
        with mpmath.workdps(60 + 2 * int(-mpmath.log10(c))):  # x^2 ~ 1/c costs its digits twice
            x = 1 / mpmath.sqrt(2 * c)
            exact = 1 - mpmath.sqrt(mpmath.pi) * x * mpmath.exp(x * x) * mpmath.erfc(x)
        with mpmath.workdps(60):
            series = sum((-1) ** (k + 1) * mpmath.fac2(2 * k - 1) * c**k for k in range(1, 7))
            assert abs(series - exact) <= mpmath.fac2(13) * c**7 + c * mpmath.mpf(10) ** -55
        assert 0 < lo <= exact <= hi
        ulp = mpmath.mpf(2) ** (mpmath.floor(mpmath.log(lo, 2)) - 52)
        caught += not (lo + ulp <= exact) or not (exact <= hi - ulp)
    assert caught > 900
    # over a box reaching below 2^-30 the lower end is positive (it used to be 0)
    lo, hi = ARITH.bounds(ARITH.psi(ARITH.coordinate((mpmath.mpf("1e-20"), 2))))
    assert 0 < lo < mpmath.mpf("1e-19") and hi < 1
