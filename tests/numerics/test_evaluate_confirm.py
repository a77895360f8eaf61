"""The cheap confirmation of ``evaluate`` (numerics.evaluate_confirm): one evaluation at guard
digits sized by the float64 pass's error bound, and the conditions that send a point elsewhere."""

import mpmath
import pytest

from numerics import evaluate
from numerics import evaluate_confirm
from numerics.evaluate import _held, _plan, _point_mpmath, local_context
from numerics.evaluate_confirm import generic, sized_digits

POINT = {"lam_s": "0.3", "gamma_s": "0.5", "lam_t": "0.05", "gamma_t": "0.5", "sigma2": 1}


def _kappa_reference(lam, gamma, digits=400):
    """kappa = (b + sqrt(b^2 + 4 lam)) / 2, b = gamma - 1 + lam > 0, at 400 digits."""
    with mpmath.workdps(digits):
        b = (gamma - 1) + lam
        return (b + mpmath.sqrt(b * b + 4 * lam)) / 2


@pytest.mark.parametrize("dps", [15, 30, 50])
def test_repeated_calls_take_the_sized_digits_and_keep_every_digit(dps):
    plan = _plan("ridge.student_risk")
    evaluate("ridge.student_risk", POINT, dps=dps)  # the first call runs the ladder
    assert plan.names == ("lam_t", "lam_s", "gamma_t", "gamma_s", "sigma2", "sigma2_s", "r2")
    point = [(1, 20), (3, 10), (1, 2), (1, 2), (1, 1), (0, 1), (1, 1)]
    digits, estimate = sized_digits(plan, point, dps, 2 * (dps + 10) + 10)
    # a well-conditioned point: a bound of at most 10^3 ulp, so 20 to 23 guard digits, far
    # below the 2 dps + 30 of the ladder's confirmation
    assert dps + 20 <= digits <= dps + 23
    reference = evaluate("ridge.student_risk", POINT, dps=400)
    assert abs(estimate - float(reference)) <= 1e-13 * float(reference)
    for _ in range(3):
        value = evaluate("ridge.student_risk", POINT, dps=dps)
        assert abs(value - reference) <= abs(reference) * mpmath.mpf(10) ** -dps


def test_a_parameter_float64_rounds_like_the_sized_digits_is_not_trusted_to_them():
    # gamma = 1 + 1e-80 is 1 in float64 and at the 70 sized digits: both lose gamma - 1 and
    # agree on kappa = 1e-75, 5e-6 (relative) off; the parameter's float64 rounding (1e-80) is
    # below 2^-80, so the value is confirmed at 130 digits instead, where gamma - 1 is kept
    lam, gamma = "1e-150", "1." + "0" * 79 + "1"
    with mpmath.workdps(400):
        reference = _kappa_reference(mpmath.mpf(lam), mpmath.mpf(gamma))
    point = [(1, 10**150), (10**80 + 1, 10**80)]
    assert not generic(point)
    values = [evaluate("mp.kappa", lam=lam, gamma=gamma, dps=50) for _ in range(3)]
    for value in values:
        assert abs(value - reference) <= abs(reference) * mpmath.mpf(10) ** -50

    # without the check on the parameters the sized confirmation would accept a wrong value
    plan = _plan("mp.kappa")
    try:
        evaluate_confirm.generic, saved = (lambda p: True), evaluate_confirm.generic
        digits, estimate = sized_digits(plan, point, 50, 130)
    finally:
        evaluate_confirm.generic = saved
    ctx = local_context(50)[0]
    try:
        ctx.dps = digits
        unchecked = _held(plan, 50)(*[_point_mpmath(ctx, v) for v in point])
    finally:
        ctx.dps = 50
    assert abs(float(unchecked) - estimate) <= 1e-12 * abs(estimate)  # they agree ...
    assert abs(unchecked - reference) > abs(reference) * mpmath.mpf(10) ** -10  # ... and are wrong


def test_a_cancellation_the_float64_bound_sees_goes_to_the_ladder_precision():
    # 1 - gamma**2 at gamma = 1 + 2^-40 (a float64 number): the sum cancels by 2^40, its
    # bound (1.1e12 ulp) exceeds 1e-12 / u, so no sized digits; every call is exact to 50
    from fractions import Fraction

    import sympy
    from theory.symbols import gamma

    expr = 1 - gamma**2
    g = Fraction(2**40 + 1, 2**40)
    exact = 1 - g * g  # -2^-39 - 2^-80
    assert sized_digits(_plan(expr), [(g.numerator, g.denominator)], 50, 130) is None
    reference = mpmath.mpf(exact.numerator) / exact.denominator
    for _ in range(3):
        value = evaluate(expr, gamma=sympy.Rational(g.numerator, g.denominator), dps=50)
        assert abs(value - reference) <= abs(reference) * mpmath.mpf(10) ** -50


def test_the_extreme_multi_index_point_is_right_on_every_call():
    # 1e20-sized couplings and gamma_t = 1e-40 (the stable form does not cancel there: the
    # sized digits apply); every call gives the true value 100000002 to 30 digits
    point = {"ce1": "1e20", "ce3": "0.5", "ch2": "1", "sigma2": "1e8", "gamma_t": "1e-40"}
    for _ in range(3):
        value = evaluate("multi_index.teacher_risk", point, dps=30)
        assert abs(value - 100000002) <= 100000002 * mpmath.mpf(10) ** -30


@pytest.mark.parametrize("values, expected", [
    ([(1, 10), (7, 3)], True),                      # rounding errors near 1e-17: generic
    ([(0, 1), (-5, 4), (3, 2**70)], True),         # float64 numbers (exact)
    ([(10**30 + 1, 10**30)], False),                 # 1e-30 below 2^-80 (8.3e-25)
    ([(1, 10**400)], False),                         # underflows float64
    ([(10**400, 1)], False),                         # overflows float64
])
def test_generic_parameters(values, expected):
    assert generic(values) is expected
