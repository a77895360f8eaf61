"""Mechanism 3 and the spectral budget through their reductions (the certified route).

Each reduced margin is checked against the claim's own margin at random exact points of the
region at 30 digits (numerics.evaluate, independent of SymPy's rewriting); the slopes of C_h and
C_e against Psi'(c) computed by quadrature of its defining integral E[g^2/(1 + c g^2)^2]; each
claim is certified, and each mutant (tests/proofs_check/test_mutations.py) is refuted with a
point confirmed by arb at 256 bits, never certified.
"""

import random
import zlib

import mpmath
import pytest
import sympy

from numerics.evaluate import evaluate_at
from proofs_check.certified import certify, reduction
from theory.claims import claim

MULTI = ["multi_index.optimal_joint_step", "multi_index.w2s_iff_below_critical_ratio",
         "multi_index.no_easy_w2s", "multi_index.second_step_shrinks_hard_component",
         "multi_index.feature_risk_is_a_risk", "spectral.budget_iff_overlap"]


def _points(c, n, seed):
    """``n`` exact points of the region of ``c`` meeting its assumptions (rejection)."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        point = {}
        for name, interval in c.region.items():
            lo, hi = sympy.Rational(interval.start), sympy.Rational(interval.end)
            point[name] = lo + (hi - lo) * sympy.Rational(rng.randint(1, 999), 1000)
        values = {s: point[s.name] for a in c.assumptions for s in a.free_symbols}
        if all(bool(a.xreplace(values)) for a in c.assumptions):
            out.append(point)
    return out


def _arguments(c):
    return list(c.margin.args) if isinstance(c.margin, sympy.Min) else [c.margin]


@pytest.mark.parametrize("cid", MULTI)
def test_reduced_margins_are_the_claims_margins_at_30_digits(cid):
    c = claim(cid)
    stronger, _ = reduction(c)(c)
    lemmas = stronger if isinstance(stronger, list) else [stronger]
    originals = _arguments(c)
    assert len(lemmas) == len(originals)
    for point in _points(c, 5, seed=zlib.crc32(cid.encode())):
        for lemma, g in zip(lemmas, originals):
            a, b = evaluate_at(g, point, dps=30), evaluate_at(lemma.margin, point, dps=30)
            assert abs(a - b) <= mpmath.mpf(10) ** -25 * (1 + abs(a)), (cid, lemma.id, point)


def _psi_slope(c):
    """Psi'(c) = E[g^2/(1 + c g^2)^2] by quadrature at 40 digits."""
    with mpmath.workdps(40):
        return mpmath.quad(lambda g: g * g / (1 + c * g * g) ** 2 * mpmath.npdf(g),
                           [-mpmath.inf, 0, mpmath.inf])


def test_dilution_slopes_are_psi_prime_times_the_reduced_forms():
    from theory.multi_index import eta_s, student, theta

    c = claim("multi_index.larger_step_dilutes_hard_direction")
    lemmas, _ = reduction(c)(c)
    from theory.multi_index_claims import step_slopes

    slopes = step_slopes()
    D = student(summary="P-ideal")["D"]
    for point in _points(c, 6, seed=5):
        cc = evaluate_at(eta_s**2 * D / (1 + theta**2), point, dps=40)
        p = _psi_slope(cc)
        assert 0 < p <= 1  # the fact the reduction divides by
        for k, (slope, lemma) in enumerate(zip(slopes, lemmas)):
            a, b = evaluate_at(slope, point, dps=40), evaluate_at(lemma.margin, point, dps=40)
            expected = b * p if k >= 2 else b  # the C_h, C_e slopes carry Psi'(c)
            assert abs(a - expected) <= mpmath.mpf(10) ** -30 * (1 + abs(a)), (k, point)


@pytest.mark.parametrize("cid", MULTI + ["multi_index.larger_step_dilutes_hard_direction",
                                         "multi_index.simultaneous_alignment"])
def test_claim_is_certified_in_a_few_boxes(cid):
    r = certify(claim(cid))
    assert r.status == "certified" and r.certified_fraction == 1.0, r.detail
    assert r.boxes <= 4


def test_a_mutant_with_the_same_id_gets_no_reduction():
    for cid in MULTI + ["multi_index.larger_step_dilutes_hard_direction"]:
        c = claim(cid)
        assert reduction(c.replace(margin=-c.margin)) is None or \
            reduction(c)(c.replace(margin=-c.margin)) is None


def test_mutants_of_the_reduced_claims_are_refuted_never_certified():
    from tests.proofs_check.test_certified import _refuted_with_a_confirmed_point
    from tests.proofs_check.test_mutations import _mutants

    chosen = {("multi_index.simultaneous_alignment", "no dilution of the hard component"),
              ("multi_index.larger_step_dilutes_hard_direction", "hard alignment claimed to grow"),
              ("multi_index.optimal_joint_step", "optimal step doubled"),
              ("multi_index.second_step_shrinks_hard_component",
               "shrinkage of at least 1% claimed"),
              ("multi_index.no_easy_w2s", "student claimed to beat the teacher"),
              ("multi_index.w2s_iff_below_critical_ratio", "direction of the threshold flipped"),
              ("multi_index.feature_risk_is_a_risk", "contraction condition dropped"),
              ("spectral.budget_iff_overlap", "budget halved")}
    mutants = [m for name, m in _mutants() if (m.id, name) in chosen]
    assert len(mutants) == len(chosen)
    for m in mutants:
        _refuted_with_a_confirmed_point(m)
