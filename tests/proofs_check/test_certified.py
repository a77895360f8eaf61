"""The certified route: claim 1 certified, its false variants refuted with a confirmed point."""

import json

import jsonschema
import pytest
import sympy
from sympy import Interval, Rational

from numerics import evaluate
from proofs_check import check
from proofs_check.certified import certify, prepare
from proofs_check.cli import run
from proofs_check.report import SCHEMA_PATH, document
from theory import quantity
from theory.claims import Claim, claim
from theory.symbols import gamma_t, lam_t, r2, sigma2

CLAIM_1 = "ridge.over_regularised_teacher_never_beaten"


def test_claim_1_certified_on_its_registered_region():
    r = certify(claim(CLAIM_1))
    assert r.status == "certified" and r.certified_fraction == 1.0
    assert r.boxes >= 1 and r.evaluations >= 1 and r.seconds < 10
    assert "lam_t = gamma_t*sigma2/r2 + d[lam_t]" in r.detail


def _refuted_with_a_confirmed_point(c):
    r = certify(c, seconds=60)
    assert r.status == "refuted", r.detail
    assert "arb at 256 bits" in r.detail
    point = {n: Rational(v) for n, v in r.counterexample.items()}  # exact, as found
    for rel in c.assumptions:
        assert bool(rel.xreplace({s: point[s.name] for s in rel.free_symbols}))
    for n, v in point.items():  # inside the range, or the parameter's fixed value
        where = c.region[n]
        assert where.contains(v) if isinstance(where, sympy.Set) else where == v
    # an independent evaluation of the compact margin at 60 digits agrees on the sign
    assert evaluate(c.margin, point, dps=60) < 0
    doc = document([check(c, routes=[])], seed=0, examples=1, dps=30, routes=["certified"])
    doc["claims"][0]["routes"] = [r.to_dict()]
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text()))
    return r


def test_threshold_halved_is_refuted_never_certified():
    c = claim(CLAIM_1)
    half = c.replace(id="mutant.half", assumptions=(sympy.Ge(lam_t, gamma_t * sigma2 / r2 / 2),))
    _refuted_with_a_confirmed_point(half)


def test_inequality_flipped_is_refuted_never_certified():
    c = claim(CLAIM_1)
    _refuted_with_a_confirmed_point(c.replace(id="mutant.flipped", margin=-c.margin))


def test_v_above_u_squared_in_one_box():
    c = Claim(quantity("mp.shrinkage_v") >= quantity("mp.shrinkage_u") ** 2, id="demo.v_above_u2",
              source="linear.md positivity lemma",
              region={"lam": Interval(0, 10**6), "gamma": Interval(Rational(1, 1000), 1000)})
    r = certify(c)
    assert (r.status, r.boxes) == ("certified", 1)


def test_dobriban_wager_certified_through_its_factored_derivative():
    c = claim("ridge.dobriban_wager_optimal_ridge")
    r = certify(c)
    assert r.status == "certified" and "via ridge.dobriban_wager_optimal_ridge.cofactor" in r.detail
    # a mutant keeps the id but not the statement: no reduction, and it is refuted
    flipped = _refuted_with_a_confirmed_point(c.replace(margin=-c.margin))
    assert "via" not in flipped.detail


def test_budget_gives_inconclusive_with_undecided_boxes():
    # Dobriban-Wager as a user's claim (no reduction): the margin vanishes inside the box
    direct = claim("ridge.dobriban_wager_optimal_ridge").replace(id="mine.dw")
    r = certify(direct, boxes=5, seconds=30)
    assert r.status == "inconclusive"
    assert r.undecided and r.undecided_count >= len(r.undecided)
    assert 0 <= r.certified_fraction < 1
    assert "box budget of 5 spent" in r.detail


def test_budget_in_boxes_is_reproducible_and_a_time_limit_says_so():
    direct = claim("ridge.dobriban_wager_optimal_ridge").replace(id="mine.dw")
    a, b = certify(direct, boxes=8), certify(direct, boxes=8)
    assert (a.status, a.evaluations, a.undecided) == (b.status, b.evaluations, b.undecided)
    stopped = certify(direct, boxes=10**6, seconds=0.0)
    assert stopped.status == "inconclusive"
    assert "stopped by the time limit" in stopped.detail


def test_unavailable_claims_say_why():
    assert "identity" in certify(claim("ridge.min_norm_student")).detail


def test_reparametrisation_of_an_upper_bound():
    s = prepare(claim("ridge.population_student_optimum"))
    assert "t[lam_t]" in s.box and s.box["t[lam_t]"] == (0, 1)


def test_report_with_certified_route_matches_schema(capsys):
    reports = [check(CLAIM_1, routes=["symbolic", "certified"]),
               check("ridge.min_norm_student", routes=["certified"])]
    assert reports[0].route("certified").status == "certified"
    doc = document(reports, seed=0, examples=1, dps=30, routes=["symbolic", "certified"])
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text()))
    assert run(["verify", CLAIM_1, "--routes", "symbolic,sampled,certified", "--examples", "5",
                "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    jsonschema.validate(out, json.loads(SCHEMA_PATH.read_text()))
    routes = {r["route"]: r for r in out["claims"][0]["routes"]}
    assert routes["certified"]["status"] == "certified" and routes["certified"]["boxes"] >= 1


def test_mutants_of_the_certified_ridge_claims_are_refuted():
    from tests.proofs_check.test_mutations import _mutants

    chosen = {("ridge.population_student_optimum", "gain halved"),
              ("ridge.dobriban_wager_optimal_ridge", "optimum doubled")}
    mutants = [m for name, m in _mutants() if (m.id, name) in chosen]
    assert len(mutants) == 2
    for m in mutants:
        _refuted_with_a_confirmed_point(m)


def test_a_cached_preparation_is_the_fresh_one():
    """The SymPy preparation is read back from the disk cache: the read one has the same forms,
    box, reparametrisation and fixed values as one computed afresh, and its programs enclose the
    same values."""
    import mpmath

    from numerics.evaluate import evaluate_at
    from proofs_check.certified_boxes import _prepared

    for factored in (False, True):
        c = claim(CLAIM_1)
        prepare(c, factored=factored)  # stored (or already there)
        read = prepare(c, factored=factored)
        form, names, original, original_names, box, back, fixed, words = _prepared(c, factored)
        assert sympy.srepr(read.program.form) == sympy.srepr(form)
        assert list(read.program.names) == list(names)
        assert list(read.original.names) == list(original_names)
        assert read.box == box and read.back == back and read.fixed == fixed
        assert read.description == words
        mid = {n: (lo + hi) / 2 if hi < 10**6 else lo + 1 for n, (lo, hi) in box.items()}
        exact = read.point(mid)
        assert exact == prepare(c, factored=factored).point(mid)
        # the stored margin (fixed values substituted) is the claim's margin at a point
        assert mpmath.almosteq(evaluate_at(original, exact, dps=30),
                               evaluate_at(c.margin, exact, dps=30), 1e-25)


@pytest.mark.slow
def test_mutants_of_the_other_certified_claims_are_refuted_never_certified():
    from tests.proofs_check.test_mutations import _mutants

    chosen = {("weighted_ridge.unaligned_student_never_beats_optimal_teacher", "alignment restored"),
              ("weighted_ridge.population_gain_is_optimal", "gain halved"),
              ("single_index.quadratic_envelope", "factor 2 dropped"),
              ("single_index.geodesic_cap_pure_cubic", "cap lowered to m >= 0.7")}
    mutants = [m for name, m in _mutants() if (m.id, name) in chosen]
    assert len(mutants) == 4
    for m in mutants:
        assert certify(claim(m.id), boxes=200).status == "certified", m.id  # the original
        _refuted_with_a_confirmed_point(m)


@pytest.mark.slow
def test_mechanism_3_claims_certified_and_their_mutants_refuted():
    from tests.proofs_check.test_mutations import _mutants

    # the claims certified through reductions: tests/proofs_check/test_certified_reductions.py
    chosen = {("multi_index.regime_a_threshold", "threshold theta_e^2 > psi")}
    mutants = [m for name, m in _mutants() if (m.id, name) in chosen]
    assert len(mutants) == 1
    for m in mutants:
        r = certify(claim(m.id), boxes=50)
        assert r.status == "certified" and r.certified_fraction == 1.0, m.id
        _refuted_with_a_confirmed_point(m)


def test_boxes_decided_before_the_budget_ran_out_count_as_certified():
    # the heap holds decided boxes behind the undecided one with the lowest end; when the budget
    # stops the search they are certified volume, not undecided boxes (they used to be reported
    # as "0 boxes, 0 %" with every leaf listed as undecided)
    r = certify(claim("spectral.budget_iff_overlap"), boxes=100)
    assert r.boxes >= 1 and r.certified_fraction > 0
    if r.status == "inconclusive":
        assert r.undecided_count + r.boxes <= 101
