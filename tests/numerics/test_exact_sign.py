"""Exact signs of margins that are zero to the working precision (SymPy, minimal polynomials)."""

from fractions import Fraction as F

import mpmath
import sympy
from sympy import Rational, sqrt

from numerics.exact_sign import exact_sign, exact_value
from proofs_check.judge import Judge
from theory import quantity
from theory.claims import Claim, claim
from theory.symbols import gamma, gamma_t, lam, lam_t, r2, sigma2

RIDGELESS = {"lam_s": 0, "gamma_s": Rational(1, 2), "lam_t": 3, "gamma_t": Rational(1, 2),
             "sigma2": 1, "r2": 1}


def test_ridgeless_student_reproduces_the_teacher_exactly():
    margin = claim("ridge.under_regularised_teacher_is_beaten").margin
    assert exact_sign(margin, RIDGELESS) == 0
    # and a student with a little ridge does worse than this over-regularised teacher
    assert exact_sign(margin, {**RIDGELESS, "lam_s": Rational(1, 10**40)}) == 1


def test_a_tiny_non_zero_algebraic_number_gets_its_sign():
    with mpmath.workdps(80):
        for k in (70, 71):  # rational approximants of sqrt(2) from below and above, ~1e-75 off
            q = Rational(int(mpmath.floor(mpmath.sqrt(2) * 10**75)) + (k - 70), 10**75)
            truth = mpmath.sign(mpmath.sqrt(2) - mpmath.mpf(q.p) / q.q)
            assert exact_sign(sqrt(2) - q, {}) == int(truth) != 0


def test_the_value_in_radicals_matches_mpmath():
    u = exact_value(quantity("mp.shrinkage_u"), {"lam": Rational(1, 3), "gamma": Rational(5, 2)})
    k = (Rational(1, 3) + Rational(3, 2) + sqrt((Rational(1, 3) + Rational(3, 2)) ** 2
                                                 + Rational(4, 3))) / 2
    assert abs(sympy.N(u - k / (1 + k), 50)) < 1e-45


def test_a_strict_claim_with_an_exact_zero_margin_is_refuted_not_supported():
    # u >= 0 holds at lam = 0, gamma = 1/2 with equality; u > 0 does not
    u = quantity("mp.shrinkage_u")
    point = {"lam": F(0), "gamma": F(1, 2)}
    region = {"lam": sympy.Interval(0, 1), "gamma": sympy.Interval(Rational(1, 100), 1)}
    weak, strict = Claim(u >= 0, region=region), Claim(u > 0, region=region)
    assert Judge(weak)(point).verdict == "ok"
    judge = Judge(strict)
    assert judge(point).verdict == "refuted" and judge.exact_decisions == 1
    assert Judge(strict)({"lam": F(1, 3), "gamma": F(1, 2)}).verdict == "ok"


def test_a_zero_best_margin_is_no_witness():
    base = claim("ridge.under_regularised_teacher_is_beaten")
    conjecture = base.replace(assumptions=(lam_t >= sigma2 * gamma_t / r2,),
                              region={**base.region, "lam_t": sympy.Interval(0, 10**4)},
                              witness_range=sympy.Interval(0, 10**4))
    j = Judge(conjecture)
    # lam_t at the threshold sigma2 gamma_t / r2 (Theorem 5's edge): no lam_s beats the teacher,
    # and the best margin of the search, at lam_s = 0, is exactly 0
    point = {"gamma_s": F(1, 100), "lam_t": F(1, 1000), "gamma_t": F(1, 100), "sigma2": F(1, 100),
             "r2": F(1, 10)}
    verdict, m, witness = j.witness(point)
    assert verdict is False and m == 0 and j.exact_decisions >= 1


def test_no_algebraic_value_gives_none():
    assert exact_sign(sympy.erf(lam) - gamma, {"lam": 1, "gamma": Rational(1, 2)}) is None
