"""``evaluate`` returns only digits it has: confirmed at a higher precision, raised where the
digits cancel, and refused past the cap."""

import mpmath
import pytest
import sympy

from numerics import ParameterError, evaluate
from theory import quantity
from theory.symbols import lam


def test_extreme_multi_index_point_is_right_to_every_digit_it_claims():
    # 1e20-sized couplings and gamma_t = 1e-40: at 30 working digits the terms cancel and the
    # value came out as 100000001.25; SymPy's own adaptive evalf gives the reference
    point = {"ce1": "1e20", "ce3": "0.5", "ch2": "1", "sigma2": "1e8", "gamma_t": "1e-40"}
    expr = quantity("multi_index.teacher_risk")
    subs = {sym: sympy.Rational(point.get(sym.name, 0)) for sym in expr.free_symbols}
    reference = sympy.N(expr.xreplace(subs).rewrite(sympy.sqrt).doit(), 60)
    assert abs(reference - 100000002) < 1  # the true value; 100000001.25 was the old answer
    value = evaluate("multi_index.teacher_risk", point, dps=30)
    assert abs(value - mpmath.mpf(str(reference))) <= abs(value) * mpmath.mpf(10) ** -30


def test_cancellation_is_resolved_by_raising_the_precision():
    # (lam + 10^40) - 10^40 at lam = 1: 0 or garbage at 30 (and 40) working digits
    expr = sympy.Add(lam, sympy.Integer(10) ** 40, -sympy.Integer(10) ** 40, evaluate=False)
    with mpmath.workdps(30):
        naive = (mpmath.mpf(1) + mpmath.mpf(10) ** 40) - mpmath.mpf(10) ** 40
    assert naive != 1
    assert evaluate(expr, lam=1, dps=30) == 1


def test_a_value_that_never_settles_is_refused_with_the_point():
    expr = sympy.sin(sympy.Integer(10) ** 500 * lam)
    with pytest.raises(ParameterError, match=r"lam=1: the value does not settle to 30 digits"):
        evaluate(expr, lam=1, dps=30)


def test_exact_zero_is_returned_as_zero():
    # f = h2: the spiked risk at full overlap m = 1 is exactly 0; rounding noise is not returned
    value = evaluate("single_index.spiked_risk", spike=1, eta1="9/20", c1="3/10", c2="-7/10",
                     c3=0, c4="1/2", m=1, p="9/20", dps=30)
    assert value == 0


@pytest.mark.parametrize("dps", [15, 30, 50])
def test_returned_digits_agree_with_a_400_digit_evaluation(dps):
    point = {"lam_s": "0.3", "gamma_s": "0.5", "lam_t": "0.05", "gamma_t": "0.5", "sigma2": 1}
    value = evaluate("ridge.student_risk", point, dps=dps)
    reference = evaluate("ridge.student_risk", point, dps=400)
    assert abs(value - reference) <= abs(reference) * mpmath.mpf(10) ** -dps


def test_repeated_calls_confirm_cheaply_and_still_catch_cancellation():
    # from the second call at a precision on, the value at dps + 10 digits is confirmed by its
    # float64 evaluation when they agree to 1e-12; where they do not (here the float64 value is
    # 0, the 40-digit one rounding noise) the precision ladder runs as on the first call
    expr = sympy.Add(lam, sympy.Integer(10) ** 40, -sympy.Integer(10) ** 40, evaluate=False)
    assert [evaluate(expr, lam=1, dps=30) for _ in range(3)] == [1, 1, 1]
    point = {"lam_s": "0.3", "gamma_s": "0.5", "lam_t": "0.05", "gamma_t": "0.5", "sigma2": 1}
    reference = evaluate("ridge.student_risk", point, dps=400)
    for _ in range(3):
        value = evaluate("ridge.student_risk", point, dps=50)
        assert abs(value - reference) <= abs(reference) * mpmath.mpf(10) ** -50


def test_the_float_confirmation_refuses_what_float64_cannot_see():
    # a value near 1e-330 underflows float64: the ladder decides, and still gives every digit
    expr = lam * sympy.Integer(10) ** -330
    values = [evaluate(expr, lam="1/3", dps=30) for _ in range(2)]
    assert values[0] == values[1]
    with mpmath.workdps(60):
        assert abs(values[1] * mpmath.mpf(10) ** 330 * 3 - 1) < mpmath.mpf(10) ** -29
