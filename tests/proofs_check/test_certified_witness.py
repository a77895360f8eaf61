"""Certificates for existence and threshold claims: refutation at a point, witness partitions."""

import json

import jsonschema
import pytest
from sympy import Interval, Rational

from numerics import evaluate
from proofs_check import check
from proofs_check.certified import certify
from proofs_check.report import SCHEMA_PATH, document
from theory.claims import claim
from theory.symbols import gamma_t, lam_t, r2, sigma2

BEATEN = "ridge.under_regularised_teacher_is_beaten"


def _conjecture():
    """Some lam_s in [0, 10^4] gives L_s < L_t whenever lam_t >= sigma2 gamma_t / r2 and
    gamma_s < 1: false (arXiv:2505.18346 Theorem 5), and the best witness, lam_s = 0, has margin
    exactly 0."""
    base = claim(BEATEN)
    return base.replace(id="mine.conjecture", assumptions=(lam_t >= sigma2 * gamma_t / r2,),
                        witness_range=Interval(0, 10**4))


def test_false_existence_conjecture_is_refuted_with_a_certificate():
    c = _conjecture()
    r = certify(c, boxes=200)
    assert r.status == "refuted" and r.boxes >= 1 and r.evaluations >= 1
    assert "certified over the whole witness range" in r.detail
    point = {n: Rational(v) for n, v in r.counterexample.items()}
    assert set(point) == set(c.parameters)
    for rel in c.assumptions:
        assert bool(rel.xreplace({s: point[s.name] for s in rel.free_symbols}))
    for n, v in point.items():
        assert c.region[n].contains(v)
    # independently: at 50 digits no lam_s of a log grid over the range beats the teacher
    grid = [Rational(0)] + [Rational(10) ** k for k in range(-12, 5)]
    assert all(evaluate(c.margin, {**point, "lam_s": w}, dps=50) >= 0 for w in grid)
    doc = document([check(c, routes=[])], seed=0, examples=1, dps=30, routes=["certified"])
    doc["claims"][0]["routes"] = [r.to_dict()]
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text()))


def test_true_existence_claim_gets_a_witness_certificate_with_its_band_stated():
    c = claim(BEATEN)
    small = c.replace(id="mine.small", region={**c.region, "gamma_s": Interval(Rational(1, 2),
                                                                             Rational(3, 4)),
                                               "gamma_t": Rational(1, 2), "sigma2": 1, "r2": 1,
                                               "lam_t": Interval(0, 1)})
    r = certify(small, boxes=100)
    assert r.status == "certified" and r.certified_fraction == 1.0 and r.boxes >= 1
    assert r.band == "t[lam_t] <= 0.999" and "witness certificate" in r.detail
    # independently: at the band's edge and at a corner some lam_s beats the teacher
    for t, g in ((Rational(999, 1000), Rational(3, 4)), (0, Rational(1, 2))):
        point = {"gamma_s": g, "lam_t": t / 2, "gamma_t": Rational(1, 2), "sigma2": 1, "r2": 1}
        margins = [evaluate(c.margin, {**point, "lam_s": Rational(1, 2) ** k}, dps=50)
                   for k in range(1, 40)]
        assert min(margins) < 0


def test_mutant_of_a_certified_existence_claim_is_refuted_never_certified():
    # the same small region with the teacher over-regularised: no student beats it
    c = claim(BEATEN)
    mutant = c.replace(id="mine.mutant", assumptions=(lam_t >= sigma2 * gamma_t / r2,),
                       region={**c.region, "gamma_s": Interval(Rational(1, 2), Rational(3, 4)),
                               "gamma_t": Rational(1, 2), "sigma2": 1, "r2": 1,
                               "lam_t": Interval(0, 1)})
    r = certify(mutant, boxes=100)
    assert r.status == "refuted" and r.counterexample is not None


def test_threshold_claim_reports_both_directions_and_its_band():
    r = certify(claim("ridge.overparameterised_student_threshold"), boxes=5)
    assert "condition => witness" in r.detail and "no condition => no witness" in r.detail
    assert r.band == "the band |lhs - rhs| <= 1/1000 around the threshold"
    assert r.status in ("certified", "inconclusive")


def _mutant(label, claim_id):
    from tests.proofs_check.test_mutations import _mutants

    (m,) = [m for name, m in _mutants() if (name, m.id) == (label, claim_id)]
    return m


@pytest.mark.slow
def test_mutants_of_the_existence_claim_are_refuted_with_a_certificate():
    for label in ("witness range emptied", "witness range moved out"):
        r = certify(_mutant(label, BEATEN), boxes=100)
        assert r.status == "refuted" and r.counterexample, (label, r.detail)
