"""Mutation tests: a deliberately wrong variant of every registered claim is refuted.

A verifier that never says "refuted" is worthless; these show it can, with a counterexample.
"""

from fractions import Fraction

import pytest
import sympy
from sympy import Interval, Piecewise

from numerics import evaluate, parse_value
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
    from theory import multi_index as mi, multi_index_claims as mic
    S = mi.student(summary="P-ideal")
    yield "alignment bound tightened to rho_t^2/2", c(
        "multi_index.teacher_learns_only_easy_direction").replace(
        margin=mi.teacher_overlap / 2 - mi.teacher()["alignment"])
    yield "no dilution of the hard component", c("multi_index.simultaneous_alignment").replace(
        margin=mic.Min(S["alignment_hard"] - mi.theta**2 * mi.zeta_h**2 / (1 + mi.theta**2),
                       S["alignment_easy"]))
    yield "hard alignment claimed to grow", c(
        "multi_index.larger_step_dilutes_hard_direction").replace(
        margin=sympy.diff(S["alignment_hard"], mi.eta_s))
    yield "optimal step doubled", c("multi_index.optimal_joint_step").replace(
        margin=mic.alignment_product(2 * mi.optimal_step_values()["eta* = sqrt(x)"])
        - mic.alignment_product(mi.eta_s))
    yield "shrinkage of at least 1% claimed", c(
        "multi_index.second_step_shrinks_hard_component").replace(
        margin=sympy.Rational(99, 100) - mi.two_steps_linear())
    yield "student claimed to beat the teacher", c("multi_index.no_easy_w2s").replace(
        margin=mic.RISKS["teacher_risk"] - mic.RISKS["student_fit_risk"])
    yield "direction of the threshold flipped", c(
        "multi_index.w2s_iff_below_critical_ratio").replace(
        margin=mic.GAIN_LINEAR * (gamma_s - mic.CRITICAL_GAMMA_S))
    yield "contraction condition dropped", c("multi_index.feature_risk_is_a_risk").replace(
        assumptions=())
    yield "threshold theta_e^2 > psi", c("multi_index.regime_a_threshold").replace(
        margin=mic.RAW_BGN * (mic.TEACHER_STRENGTH**2 - mi.psi))

    yield from _seed003_mutants()


def _seed003_mutants():
    from theory import single_index as si, spectral as sp

    c = claim
    yield "BBP eigenvalue without its gamma_u/spike factor", c(
        "spectral.top_eigenvalue_above_bulk_edge").replace(
        margin=Piecewise((1 + sp.spike, sp.spike**2 > sp.gamma_u), (sp.bulk_edge, True))
        - sp.bulk_edge)
    yield "overlap said to increase", c("spectral.overlap_decreases_with_gamma").replace(
        margin=sympy.diff(sp.overlap2_above, sp.gamma_u))
    budget = (1 + sp.spike * sp.eta2_min**2) / (sp.spike**2 * (1 - sp.eta2_min**2))
    yield "budget halved", c("spectral.budget_iff_overlap").replace(
        margin=(sp.overlap2 - sp.eta2_min**2) * (1 / sp.gamma_u - budget / 2))
    yield "factor 2 dropped", c("single_index.quadratic_envelope").replace(
        margin=si.mean_slope2 * (1 - si.m) - si.risk)
    yield "(1 + m) dropped", c("single_index.one_point_convexity").replace(
        margin=si.risk_slope * (si.m**2 - 1)
        - si.one_point_convexity / (1 + si.m) * 2 * (1 - si.m))
    yield "cap lowered to m >= 0.7", c("single_index.geodesic_cap_pure_cubic").replace(
        assumptions=(sympy.Ge(si.m, sympy.Rational(7, 10)),))
    yield "cross term halved", c("single_index.gain_identity").replace(
        margin=si.w2s_gain - si.misfit - sum(si.c[j - 1] * (si.b[j - 1] - si.c[j - 1])
                                            * (1 - sp.rho_w**j) for j in range(1, 5)))
    big_step = (sympy.Le(si.eta, 10 / si.weak_slope.subs(si.q, 1)),)
    G, w = si.weak_slope, 1 - si.q**2
    yield "ascent instead of descent", c("single_index.gd_overlap_increases").replace(
        margin=(si.q - si.eta * G * w) / sympy.sqrt(1 + si.eta**2 * G**2 * w) - si.q)
    yield "step bound relaxed tenfold", c("single_index.gd_invariant_conserved").replace(
        assumptions=big_step)
    yield "bias term dropped", c("single_index.psc_identity").replace(
        margin=si.weak_slope * (sp.rho_w - si.q * si.m)
        - si.weak_slope * (1 - si.m) * (sp.rho_w + si.m))
    dq, dm = si.sgd_drift()
    original = c("single_index.sgd_fixed_points_keep_the_bias")
    yield "bias forgotten (m* = q*)", original.replace(
        margin=dm.subs(si.m, si.q) - dq,  # the S(q) terms cancel: sigma2_s drops out
        region={k: v for k, v in original.region.items() if k != "sigma2_s"})
    yield "threshold said to be below BBP", c(
        "single_index.pretraining_threshold_above_bbp").replace(
        margin=1 / sp.spike**2 - si.pretraining_threshold)
    yield "jump said to go down", c("single_index.pretraining_pgr_jumps_up").replace(
        margin=si.pgr_stuck - (1 - si.sgd_saturation_risk / si.weak_risk))
    yield from _central_mutants()


def _central_mutants():
    """The central statements of arXiv 2605.05710, each with a wrong variant."""
    from theory import single_index as si, single_index_central as sc

    c = claim
    closed = c("single_index.generalisation_bound")
    # the floor at the weak supervisor's bias dropped: the bound then decays to 0
    risk_t = si.risk.xreplace({si.m: sc.iterates(sympy.floor(si.t))[1]})
    no_floor = si.mean_slope2 * ((1 - si.eta * (1 + si.q) * si.weak_slope / 2)
                                 ** (sympy.floor(si.t) / 2) * sympy.sqrt(2 * (1 - si.q))) ** 2
    yield "floor at the weak bias dropped", closed.replace(margin=no_floor - risk_t)
    adaptive = c("single_index.generalisation_bound_adaptive")
    q_t = sc.iterates(sympy.floor(si.t))[0]
    yield "bias term dropped from the adaptive bound", adaptive.replace(
        margin=si.mean_slope2 * 2 * (1 - q_t) - risk_t)
    yield "strong-convexity constant doubled", c("single_index.perturbed_strong_convexity") \
        .replace(margin=sc.psc_margin(mu_scale=1))
    yield "floor terms of the step inequality dropped", c(
        "single_index.psc_step_inequality").replace(margin=sc.step_margin(floor_terms=False))
    yield "escape time said to grow like d", c("single_index.escape_time_law").replace(
        margin=sc.escape_margin(power=1))
    yield "stabilities exchanged", c("single_index.sgd_bistability").replace(
        margin=sc.bistability_margin(swap=True))


MUTANTS = list(_mutants())


def _exact_side(side, values, point):
    """A side of an assumption at 60 digits: SymPy's own evaluation, or (for a function defined
    by a root, which SymPy cannot evaluate) the project's evaluator."""
    if any(type(f).__module__.startswith("theory") for f in side.atoms(sympy.Function)):
        used = {s.name for s in side.free_symbols}
        return sympy.Float(str(evaluate(side, {k: v for k, v in point.items() if k in used},
                                        dps=60)), 60)
    return sympy.N(side.xreplace(values), 60)


#: Mechanisms whose mutants are tested with their own suite (tests/beyond).
_ELSEWHERE = ("chain", "misfit", "interaction")


def test_every_registered_claim_has_a_mutant():
    mutated = {m.id for _, m in MUTANTS}
    assert mutated == {i for i in claim_ids() if i.split(".")[0] not in _ELSEWHERE}


#: Mutants whose refutation iterates the GD map at every shrinking step (about a minute each).
_SLOW = {"single_index.generalisation_bound", "single_index.generalisation_bound_adaptive"}


@pytest.mark.parametrize("what, mutant", [
    pytest.param(w, m, marks=pytest.mark.slow) if m.id in _SLOW else (w, m) for w, m in MUTANTS],
    ids=[f"{m.id}:{w}" for w, m in MUTANTS])
def test_mutant_is_refuted_with_a_counterexample(what, mutant):
    result = check(mutant, routes=("sampled",), examples=200).route("sampled")
    assert result.status == "refuted", result.to_dict()
    assert result.counterexample
    # the mutant's proof is not the original's: nothing is "proved" about a changed statement
    assert symbolic(mutant).status == "unavailable"
    # the counterexample is exact: text that parses back to rationals, and it satisfies every
    # assumption exactly (SymPy, independently of the route's own check)
    point = {k: parse_value(k, v) for k, v in result.counterexample.items()}
    assert all(isinstance(v, sympy.Rational) for v in point.values())
    symbols = {s.name: s for a in mutant.assumptions for s in a.free_symbols}
    for relation in mutant.assumptions:
        values = {symbols[k]: v for k, v in point.items() if k in symbols}
        lhs, rhs = (_exact_side(side, values, point) for side in (relation.lhs, relation.rhs))
        assert bool(relation.func(lhs, rhs)), (relation, point)
    # the counterexample really violates the mutant (checked here independently, at 60 digits)
    if mutant.kind == "forall":
        used = {s.name for s in mutant.margin.free_symbols}
        m = evaluate(mutant.margin, {k: v for k, v in point.items() if k in used}, dps=60)
        assert (abs(m) > 1e-40) if mutant.identity else (m < 0)


def test_counterexample_is_shrunk_toward_simple_values():
    _, mutant = MUTANTS[0]  # threshold halved: lam_t between lam_star/2 and lam_star
    cx = check(mutant, routes=("sampled",), examples=200).route("sampled").counterexample
    x = {k: Fraction(v) for k, v in cx.items()}  # exact values, as text
    lam_star_value = x["sigma2"] * x["gamma_t"] / x["r2"]
    assert lam_star_value / 2 <= x["lam_t"] < lam_star_value
    # shrinking drives the free parameters to the ends of their ranges
    assert cx["gamma_s"] in ("0.01", "100") and cx["r2"] in ("0.1", "10")


def test_a_counterexample_found_in_a_batch_is_shrunk_alone():
    """The failing point's bytes are shrunk as an example of one point, not with the 15 other
    points of its batch: the same minimal counterexample as shrinking the whole batch (which
    drew 3982 points for it) from about 190 points drawn."""
    from proofs_check import routes

    _, mutant = MUTANTS[0]
    result = check(mutant, routes=("sampled",), examples=200).route("sampled")
    assert result.counterexample == {"lam_t": "0.5", "lam_s": "0.00001", "gamma_t": "0.01",
                                     "gamma_s": "0.01", "sigma2": "10", "r2": "0.1"}
    assert result.drawn < 1000
    # the point found in its batch is not yet minimal: the shrink of it alone made it so
    found = []
    shrunk = routes._shrunk

    def spy(claim, refuted, judge_batch, seed):
        found.append(dict(refuted.point))
        return shrunk(claim, refuted, judge_batch, seed)

    routes._shrunk = spy
    try:
        again = check(mutant, routes=("sampled",), examples=200).route("sampled")
    finally:
        routes._shrunk = shrunk
    assert again.counterexample == result.counterexample
    minimal = {k: Fraction(v) for k, v in result.counterexample.items()}
    assert len(found) == 1 and found[0] != minimal


def test_the_other_suites_mutate_every_claim_of_their_mechanisms():
    from tests.beyond import test_chain, test_interaction, test_misfit

    mutated = {m.id for module in (test_chain, test_interaction, test_misfit)
               for _, m in module._mutants()}
    assert mutated == {i for i in claim_ids() if i.split(".")[0] in _ELSEWHERE}
