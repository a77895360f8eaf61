"""Witness functions of the existence claims (the mechanisms' reductions for the certified route).

Soundness: at random points of each region (50 digits, the margin evaluated by the evaluator from
the claim's own expression, not from the reduction's factorisation) the witness lies in the
witness range and gives a negative margin, including near the open faces where the gain tends
to 0. False variants are never reduced, and are refuted.
"""

import random

import pytest
import sympy
from sympy import Interval, Rational

from numerics import evaluate
from proofs_check.certified import certify, reduction
from proofs_check.mechanisms.ridge_witness import under_regularised_witness
from proofs_check.mechanisms.weighted_ridge_witness import aligned_witness
from theory.claims import claim
from theory.ridge import lam_star
from theory.symbols import gamma_t, lam_t, r2, sigma2, zeta

BEATEN = "ridge.under_regularised_teacher_is_beaten"
FINITE = "weighted_ridge.aligned_student_beats_optimal_teacher"
POPULATION = "weighted_ridge.aligned_population_student_beats_optimal_teacher"
POINTS = 40


def _draw(rng, interval, edge):
    """A rational in ``interval`` (log-uniform when it spans decades), or near one end."""
    lo, hi = interval.start, interval.end
    if edge == "high":
        return hi - (hi - lo) * Rational(1, 10 ** rng.randint(3, 9))
    if edge == "low":
        return lo + (hi - lo) * Rational(1, 10 ** rng.randint(3, 9))
    if lo > 0 and hi / lo > 100:
        return sympy.nsimplify(float(lo) * (float(hi) / float(lo)) ** rng.random(),
                               rational=True, tolerance=1e-12)
    return lo + (hi - lo) * Rational(rng.randint(1, 10**6 - 1), 10**6)


def _points(c, faces, seed):
    rng = random.Random(seed)
    for k in range(POINTS):
        edge = {name: (side if k % 3 == i % 3 + 1 else None)
                for i, (name, side) in enumerate(faces.items())}
        point = {n: _draw(rng, c.region[n], edge.get(n)) for n in c.parameters
                 if isinstance(c.region[n], Interval) and n != "lam_t"}
        yield point, edge


@pytest.mark.parametrize("name", [BEATEN, FINITE, POPULATION])
def test_the_witness_function_beats_the_teacher_at_random_points(name):
    c = claim(name)
    if name == BEATEN:
        lam_w, _ = under_regularised_witness()
        faces = {"gamma_s": "high", "t": "high"}
    else:
        lam_w, _ = aligned_witness(population=name == POPULATION)
        faces = {"zeta": "low", "gamma_s": "high"} if name == FINITE else {"zeta": "low"}
    worst = None
    for point, edge in _points(c, faces, seed=sum(map(ord, name))):
        if name == BEATEN:  # lam_t = t lam_star, t in (0, 1), near 1 on a third of the points
            t = Rational(1) - Rational(1, 10 ** random.Random(len(point)).randint(3, 8)) \
                if edge.get("t") else Rational(random.Random(str(point)).randint(1, 999), 1000)
            point["lam_t"] = t * lam_star.xreplace({gamma_t: point["gamma_t"],
                                                    sigma2: point["sigma2"], r2: point["r2"]})
        witness = evaluate(lam_w, point, dps=50)
        assert 0 < witness <= 1, (point, witness)
        margin = evaluate(c.margin, {**point, "lam_s": witness}, dps=50)
        assert margin < 0, (point, witness, margin)
        worst = margin if worst is None else max(worst, margin)
    assert worst < 0


def test_population_witness_gain_is_three_quarters_of_the_optimum():
    # an independent value: the optimal population gain D^2/(B - t^2) (arXiv:2505.18346 Thm 8)
    from theory.weighted_ridge import optimal_population_gain

    c = claim(POPULATION)
    lam_w, _ = aligned_witness(population=True)
    for point, _ in _points(c, {"zeta": "low"}, seed=3):
        margin = evaluate(c.margin, {**point, "lam_s": evaluate(lam_w, point, dps=50)}, dps=50)
        gain = evaluate(optimal_population_gain, point, dps=50)
        assert abs(margin + Rational(3, 4) * gain) <= 1e-40 * (1 + gain)


@pytest.mark.parametrize("name,variant", [
    (BEATEN, {"assumptions": (lam_t >= sigma2 * gamma_t / r2,)}),
    (BEATEN, {"witness_range": Interval(2, 10)}),
    (FINITE, {"region": {**claim(FINITE).region, "zeta": Interval(0, 1)}}),
    (FINITE, {"region": {**claim(FINITE).region, "gamma_s": Interval(Rational(1, 2), 2)}}),
    (FINITE, {"region": {**claim(FINITE).region, "sigma2": Interval(0, 10)}}),
    (POPULATION, {"margin": -claim(POPULATION).margin}),
    (POPULATION, {"witness_range": sympy.EmptySet}),
])
def test_false_or_unproved_variants_are_never_reduced(name, variant):
    c = claim(name).replace(**variant)
    assert reduction(c)(c) is None


def test_mutant_without_alignment_is_refuted_with_a_certificate_not_certified():
    # zeta = 0: the unaligned student never beats the optimal teacher (a certificate over the
    # whole witness range at one point refutes the existence claim)
    c = claim(POPULATION)
    mutant = c.replace(margin=c.margin.xreplace({zeta: 0}),
                       region={k: v for k, v in c.region.items() if k != "zeta"})
    r = certify(mutant, boxes=40)
    assert r.status == "refuted", r.detail
    assert "certified over the whole witness range" in r.detail
    point = {n: Rational(v) for n, v in r.counterexample.items()}
    grid = [Rational(10) ** k for k in range(-8, 5)]
    assert all(evaluate(mutant.margin, {**point, "lam_s": w}, dps=50) >= -1e-45 for w in grid)


@pytest.mark.parametrize("name", [BEATEN, FINITE, POPULATION])
def test_registered_existence_claim_is_certified_without_a_band(name):
    r = certify(claim(name))
    assert r.status == "certified" and r.band is None and r.certified_fraction == 1.0
    assert r.lemmas == [f"{name}.cofactor"] and r.boxes == 1


def test_a_witness_at_the_low_end_of_a_closed_range_is_tried():
    # at gamma_s = 2 the best student is the minimum-norm one, lam_s = 0 (the range's low end)
    c = claim("misfit.ridge_finite_student_fails")
    r = certify(c)
    assert r.status == "certified" and r.boxes == 1
    point = {n: v for n, v in c.region.items()}
    assert evaluate(c.margin, {**point, "lam_s": 0}, dps=50) < -Rational(9, 10)
    # its false variant (the misfit said to be exceeded by the gain) is refuted at the point
    flipped = c.replace(margin=-c.margin)
    r = certify(flipped)
    assert r.status == "refuted" and "certified over the whole witness range" in r.detail


def test_population_optimum_is_certified_through_its_square_and_its_mutant_refuted():
    from theory.ridge import overlap_A as A, overlap_B as B, student_risk, teacher_risk
    from theory.symbols import gamma_s, lam_s

    c = claim("ridge.population_student_optimum")
    r = certify(c)
    assert r.status == "certified" and r.lemmas == [f"{c.id}.overlap_positive"]
    # at the optimum lam_s = (B - A)/A the margin is 0 (50 digits, the evaluator's own forms)
    point = {"lam_t": Rational(1, 10), "gamma_t": Rational(1, 2), "sigma2": 1, "r2": 1}
    a, b = (evaluate(e, {s.name: point[s.name] for s in e.free_symbols}, dps=50)
            for e in (A, B))
    assert abs(evaluate(c.margin, {**point, "lam_s": (b - a) / a}, dps=50)) < 1e-45
    # the gain halved is a false bound: refuted, the counterexample confirmed with arb
    mutant = c.replace(margin=student_risk.xreplace({gamma_s: 0})
                       - (teacher_risk - (B - A) ** 2 / (2 * B)))
    r = certify(mutant, boxes=100)
    assert r.status == "refuted", r.detail
    bad = {n: Rational(v) for n, v in r.counterexample.items()}
    assert evaluate(mutant.margin, bad, dps=50) < 0
    assert lam_s.name in bad


def test_realisable_misfit_is_certified_through_its_linear_form_and_its_mutant_refuted():
    from theory.misfit import realisable_sigma2

    c = claim("misfit.ridge_population_realisable")
    r = certify(c)
    assert r.status == "certified" and r.lemmas[0] == f"{c.id}.coefficients"
    # the decomposition at 50 digits (independent of SymPy's cancel): at the realisability
    # bound the margin is 2 u r2 (lam_s + u_t), and it grows linearly with sigma2 beyond it
    rng = random.Random(5)
    for _ in range(20):
        point = {"lam_s": Rational(rng.randint(1, 1000), 100),
                 "lam_t": Rational(rng.randint(1, 1000), 100),
                 "gamma_t": Rational(rng.randint(1, 10**4), 100),
                 "r2": Rational(rng.randint(1, 100), 10)}
        bound = evaluate(realisable_sigma2, point, dps=50)
        u = point["lam_s"] / (1 + point["lam_s"])
        margins = [evaluate(c.margin, {**point, "sigma2": max(bound, 0) + e}, dps=50)
                   for e in (0, 1, 2)]
        assert min(margins) >= -1e-40
        assert abs(margins[2] - 2 * margins[1] + margins[0]) <= 1e-40 * (1 + abs(margins[0]))
        assert margins[1] >= margins[0] - 1e-40 and u > 0
    # realisability dropped: refuted, the counterexample confirmed with arb
    r = certify(c.replace(assumptions=()), boxes=100)
    assert r.status == "refuted"
    bad = {n: Rational(v) for n, v in r.counterexample.items()}
    assert evaluate(c.margin, bad, dps=50) < 0
