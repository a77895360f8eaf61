"""Exact points, assumptions on their boundary, inconclusive signs, conjectures as relations."""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings

from numerics import parse_value
from proofs_check import Claim, check
from proofs_check.judge import Judge
from proofs_check.strategies import Bound, points
from theory import quantity
from theory.ridge import lam_star, overlap_gap_identity
from theory.symbols import gamma_t, lam_t, r2, sigma2

A, B = quantity("ridge.overlap_A"), quantity("ridge.overlap_B")


def test_conjecture_in_three_lines_is_refuted_with_an_exact_counterexample():
    u = quantity("mp.shrinkage_u")
    report = check(Claim(u <= sympy.Rational(1, 2)))
    assert report.status == "refuted"
    cx = report.route("sampled").counterexample
    # the counterexample is text that parses back exactly, and it really violates u <= 1/2
    values = {k: parse_value(k, v) for k, v in cx.items()}
    from numerics import evaluate
    assert evaluate(u, values, dps=50) > sympy.Rational(1, 2)


def test_claim_with_equality_on_its_assumption_boundary_holds():
    """B - A = (sigma2 gamma_t - r2 lam_t)/D-type identity: A >= B exactly when lam_t >= lam_star,
    with equality on the boundary, where the sampler puts points *exactly*."""
    c = Claim(A >= B, assumptions=(r2 * lam_t >= sigma2 * gamma_t,),
              region={"sigma2": sympy.Interval(sympy.Rational(1, 100), 10)})
    result = check(c, examples=150).route("sampled")
    assert result.status == "holds", result.to_dict()
    # and the same statement with the assumption reversed is refuted
    flipped = c.replace(assumptions=(sympy.Lt(lam_t, lam_star),))
    assert check(flipped, examples=150).status == "refuted"


def test_linear_margin_zero_on_the_boundary_is_never_refuted():
    """r2 lam_t - sigma2 gamma_t >= 0 under lam_t >= sigma2 gamma_t / r2: zero on the boundary,
    negative just outside it (rounding the bound once made such a point a 'counterexample')."""
    c = Claim(r2 * lam_t - sigma2 * gamma_t >= 0 * lam_t + 0,
              assumptions=(sympy.Ge(lam_t, sigma2 * gamma_t / r2),),
              region={"r2": sympy.Interval(sympy.Rational(1, 10), 10)})
    assert check(c, examples=200).route("sampled").status == "holds"


@settings(max_examples=60, deadline=None)
@given(points(Claim(A >= B, assumptions=(lam_t >= lam_star,))))
def test_points_are_exact_and_satisfy_assumptions_exactly(point):
    assert all(isinstance(v, Fraction) for v in point.values())
    assert point["lam_t"] * point.get("r2", 1) >= point["sigma2"] * point["gamma_t"]


def test_irrational_bound_is_moved_inside():
    bound = Bound(sympy.Le(lam_t, sympy.sqrt(2) * gamma_t))
    point = {"gamma_t": Fraction(1)}
    side = bound.side(point)
    sqrt2 = Fraction("1.4142135623730950488016887242096980785696718753769")  # 50 digits, below
    assert sqrt2 - Fraction(1, 10**39) < side < sqrt2
    assert bound.holds({**point, "lam_t": side})


def test_tiny_gain_is_a_witness_at_any_precision_asked():
    """The population student's gain is of order zeta^4 = 1e-48 at zeta = 1e-12 (this point was
    once reported as a counterexample at 30 digits)."""
    from theory.claims import claim

    c = claim("weighted_ridge.aligned_population_student_beats_optimal_teacher")
    point = {"zeta": Fraction(1, 10**12), "gamma_t": Fraction(1, 2), "sigma2": Fraction(1),
             "r2": Fraction(1)}
    for dps in (15, 30, 60):
        verdict, worst, _, witness = Judge(c, dps=dps)(point)
        assert verdict == "ok" and worst < 0 and witness > 0, dps


def test_zero_margin_is_decided_exactly_and_is_no_witness():
    """'Some lam_t makes B - A < (m - lam_t m')(sigma2 gamma_t - r2 lam_t)', two sides equal for
    every lam_t (the B - A identity): the best margin is zero to 60 digits, SymPy decides that it
    is exactly 0 (an algebraic number at a rational point), and exactly 0 is no witness of the
    strict inequality: the search finds none."""
    c = Claim(B - A < overlap_gap_identity().result, witness="lam_t",
              region={"sigma2": sympy.Interval(sympy.Rational(1, 10), 1)})
    result = check(c, examples=20).route("sampled")
    assert result.status == "refuted" and result.inconclusive == 0
    assert "decided exactly" in result.detail and "best 0" in result.detail


def test_assumption_isolated_from_a_relation_as_written():
    c = Claim(A >= B, assumptions=(r2 * lam_t >= sigma2 * gamma_t,))
    assert c.assumptions == (sympy.Ge(lam_t, gamma_t * sigma2 / r2),)
    with pytest.raises(ValueError, match="isolate"):
        Claim(A >= B, assumptions=(lam_t ** 2 + gamma_t ** 2 >= sigma2 ** 2,))


def test_bad_conclusions_are_clear_errors():
    with pytest.raises(ValueError, match="SymPy relation"):
        Claim(A)
    with pytest.raises(ValueError, match="strict"):
        Claim(A >= B, witness="lam_t")
    with pytest.raises(ValueError, match="not used"):
        Claim(A >= B, region={"gamma_s": sympy.Interval(1, 2)})
