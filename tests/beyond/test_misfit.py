"""The misfit inequality's instantiations: values against simulation, mutants refuted."""

import pytest
import sympy

from proofs_check import check
from proofs_check.mechanisms.misfit import simulation
from theory import misfit as mf
from theory.claims import claim
from theory.symbols import gamma_s, lam_s


def test_ridge_gain_and_misfit_against_simulation():
    """The theory page's two points (d = 400 there; d = 300 here): gain and misfit simulated."""
    for lam, gamma in (("0.3", "0.5"), ("1", "2")):
        result = simulation({"lam_t": "0.01", "gamma_t": "0.5", "sigma2": "1", "lam_s": lam,
                             "gamma_s": gamma}, d=300, reps=12, seed=5)
        assert result.agree, result.rows
    assert abs(result.rows[1]["theory"] - 0.1442) < 5e-4      # gain at (1, 2)
    assert abs(result.rows[2]["theory"] - 1.1400) < 5e-4      # misfit at (1, 2)


def _mutants():
    c = claim
    yield "realisability dropped", c("misfit.ridge_population_realisable").replace(assumptions=())
    yield "counterexample moved inside the ball", c(
        "misfit.ridge_population_unrealisable_fails").replace(
        witness_range=sympy.Interval(sympy.Rational(1, 10), sympy.Rational(1, 2)))
    yield "finite student replaced by the population one", c(
        "misfit.ridge_finite_student_fails").replace(
        conclusion=sympy.Lt(mf.ridge_gain.xreplace({gamma_s: 0}),
                            mf.ridge_misfit.xreplace({gamma_s: 0})),
        region={k: v for k, v in c("misfit.ridge_finite_student_fails").region.items()
                if k != "gamma_s"},
        witness_range=sympy.Interval(sympy.Rational(1, 100), sympy.Rational(1, 10)))
    yield "overshoot condition reversed", c("misfit.single_index_overshooting_weak_link").replace(
        assumptions=tuple(sympy.Le(a.lhs, a.rhs) for a in
                          c("misfit.single_index_overshooting_weak_link").assumptions))
    original = c("misfit.single_index_nonconvex_fails")
    yield "weak link overshooting the target", original.replace(
        region={**original.region, "b1": 2})


@pytest.mark.parametrize("label, mutant", list(_mutants()), ids=[m[0] for m in _mutants()])
def test_each_mutant_is_refuted(label, mutant):
    report = check(mutant, routes=("sampled",), examples=100)
    assert report.route("sampled").status == "refuted", (label, report.route("sampled").detail)


def test_counterexample_points_are_exact():
    """At the population counterexample lam_s = 2 the target is outside the ball and the
    gap is negative (high-precision evaluation, an independent route from the proof's)."""
    import numerics

    point = {"lam_t": "1/20", "gamma_t": "1/2", "sigma2": "1", "lam_s": "2"}
    assert numerics.evaluate("misfit.realisable_sigma2",
                             {k: v for k, v in point.items() if k != "sigma2"}, dps=40) > 1
    gap = numerics.evaluate(mf.ridge_gain_minus_misfit.xreplace({gamma_s: 0}), point, dps=40)
    assert gap < -0.1
    _ = lam_s
