"""Mutation tests: a deliberately wrong variant of every registered claim is refuted.

A verifier that never says "refuted" is worthless; these show it can, with a counterexample.
"""

import pytest
import sympy
from sympy import Interval, Piecewise

from numerics import evaluate
from proofs_check import check
from proofs_check.routes import symbolic
from theory import quantity
from theory.claims import claim, claim_ids
from theory.ridge import lam_star
from theory import weighted_ridge
from theory.symbols import gamma_s, gamma_t, lam_s, lam_t, r2, s as s_, sigma2, zeta

L_t, L_s = quantity("ridge.teacher_risk"), quantity("ridge.student_risk")
A, B = quantity("ridge.overlap_A"), quantity("ridge.overlap_B")


def _mutants():
    c = claim
    yield "threshold halved", c("ridge.over_regularised_teacher_never_beaten").replace(
        assumptions=(sympy.Ge(lam_t, lam_star / 2),))
    yield "inequality flipped", c("ridge.over_regularised_teacher_never_beaten").replace(
        margin=L_t - L_s)
    yield "witness range emptied", c("ridge.under_regularised_teacher_is_beaten").replace(
        witness_range=sympy.EmptySet)
    yield "witness range moved out", c("ridge.under_regularised_teacher_is_beaten").replace(
        witness_range=Interval(10**3, 10**4))
    original = c("ridge.overparameterised_student_threshold")
    yield "threshold halved", original.replace(
        condition=sympy.StrictGreaterThan(original.condition.lhs, original.condition.rhs / 2))
    yield "factor dropped", c("ridge.min_norm_student").replace(
        margin=L_s - (L_t + (1 - 1 / gamma_s) * r2))
    yield "square dropped", c("ridge.population_student").replace(
        margin=L_s.xreplace({gamma_s: 0}) - (r2 - 2 * A / (1 + lam_s) + B / (1 + lam_s)))
    # (doubling the gain would only lower the bound, which stays true: halve it instead)
    yield "gain halved", c("ridge.population_student_optimum").replace(
        margin=L_s.xreplace({gamma_s: 0}) - (L_t - (B - A) ** 2 / (2 * B)))
    yield "optimum doubled", c("ridge.dobriban_wager_optimal_ridge").replace(
        margin=L_t - L_t.xreplace({lam_t: 2 * lam_star}))
    yield "witness range emptied", c(
        "weighted_ridge.aligned_student_beats_optimal_teacher").replace(witness_range=sympy.EmptySet)
    yield "alignment removed", c(
        "weighted_ridge.aligned_population_student_beats_optimal_teacher").replace(
        margin=weighted_ridge._population_margin.xreplace({zeta: 0}), region={
            k: v for k, v in c("weighted_ridge.aligned_population_student_beats_optimal_teacher")
            .region.items() if k != "zeta"})
    yield "alignment restored", c(
        "weighted_ridge.unaligned_student_never_beats_optimal_teacher").replace(
        margin=weighted_ridge._margin.xreplace({zeta: sympy.Rational(9, 10), s_: 10}))
    yield "gain halved", c("weighted_ridge.population_gain_is_optimal").replace(
        margin=weighted_ridge._population_margin + weighted_ridge.optimal_population_gain / 2)
    yield "bound relaxed to any alignment", c(
        "weighted_ridge.weak_alignment_cannot_help_overparameterised").replace(assumptions=())
    yield "variance term dropped", c("ridge.hastie_ridgeless_risk").replace(
        margin=L_t - Piecewise((sigma2 * gamma_t / (1 - gamma_t), gamma_t < 1),
                               (r2 * (1 - 1 / gamma_t), True)))
    # --- mechanism 3 (multi_index) ---
    from theory import multi_index as mi
    S = mi.student(summary="P-ideal")
    yield "alignment bound tightened to rho_t^2/2", c(
        "multi_index.teacher_learns_only_easy_direction").replace(
        margin=mi.teacher_overlap / 2 - mi.teacher()["alignment"])
    yield "no dilution of the hard component", c("multi_index.simultaneous_alignment").replace(
        margin=mi.Min(S["alignment_hard"] - mi.theta**2 * mi.zeta_h**2 / (1 + mi.theta**2),
                      S["alignment_easy"]))
    yield "hard alignment claimed to grow", c(
        "multi_index.larger_step_dilutes_hard_direction").replace(
        margin=sympy.diff(S["alignment_hard"], mi.eta_s))
    yield "optimal step doubled", c("multi_index.optimal_joint_step").replace(
        margin=mi._product(2 * mi._optimal_step_values()["eta* = sqrt(x)"]) - mi._product(mi.eta_s))
    yield "shrinkage of at least 1% claimed", c(
        "multi_index.second_step_shrinks_hard_component").replace(
        margin=sympy.Rational(99, 100) - mi._two_steps_linear())
    yield "student claimed to beat the teacher", c("multi_index.no_easy_w2s").replace(
        margin=mi._RISKS["teacher_risk"] - mi._RISKS["student_fit_risk"])
    yield "direction of the threshold flipped", c(
        "multi_index.w2s_iff_below_critical_ratio").replace(
        margin=mi._GAIN * (gamma_s - mi._CRIT))
    yield "contraction condition dropped", c("multi_index.feature_risk_is_a_risk").replace(
        assumptions=())
    yield "threshold theta_e^2 > psi", c("multi_index.regime_a_threshold").replace(
        margin=mi._RAW_BGN * (mi._STRENGTH**2 - mi.psi))


MUTANTS = list(_mutants())


def test_every_registered_claim_has_a_mutant():
    mutated = {m.id for _, m in MUTANTS}
    assert mutated == set(claim_ids())


@pytest.mark.parametrize("what, mutant", MUTANTS, ids=[f"{m.id}:{w}" for w, m in MUTANTS])
def test_mutant_is_refuted_with_a_counterexample(what, mutant):
    result = check(mutant, routes=("sampled",), examples=100).route("sampled")
    assert result.status == "refuted", result.to_dict()
    assert result.counterexample
    # the mutant's proof is not the original's: nothing is "proved" about a changed statement
    assert symbolic(mutant).status == "unavailable"
    # the counterexample really violates the mutant (checked here independently, at 60 digits)
    point = {k: v for k, v in result.counterexample.items()}
    if mutant.kind == "forall":
        used = {s.name for s in mutant.margin.free_symbols}
        m = evaluate(mutant.margin, {k: v for k, v in point.items() if k in used}, dps=60)
        assert (abs(m) > 1e-40) if mutant.identity else (m < 0)


def test_counterexample_is_shrunk_toward_simple_values():
    _, mutant = MUTANTS[0]  # threshold halved: lam_t between lam_star/2 and lam_star
    cx = check(mutant, routes=("sampled",), examples=100).route("sampled").counterexample
    lam_star_value = cx["sigma2"] * cx["gamma_t"] / cx["r2"]
    assert lam_star_value / 2 <= cx["lam_t"] < lam_star_value
    # shrinking drives the free parameters to the ends of their ranges
    assert cx["gamma_s"] in (0.01, 100.0) and cx["r2"] in (0.1, 10.0)
