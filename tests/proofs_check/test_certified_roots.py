"""Claims certified through the enclosures of root-defined functions (the SGD roots of
arXiv:2605.05710), and their false variants refuted with a counterexample confirmed by ``arb``."""

import mpmath
import pytest
import sympy
from sympy import Rational

from numerics import evaluate
from proofs_check.certified import certify
from theory.claims import claim

CERTIFIED = ("single_index.pretraining_pgr_jumps_up", "single_index.pretraining_threshold_above_bbp")


@pytest.mark.parametrize("claim_id", CERTIFIED)
def test_certified_over_the_whole_region(claim_id):
    r = certify(claim(claim_id))
    assert r.status == "certified" and r.certified_fraction == 1.0, r.detail
    assert 1 <= r.boxes <= 50


def test_their_mutants_are_refuted_never_certified():
    from tests.proofs_check.test_mutations import _mutants

    chosen = {("single_index.pretraining_pgr_jumps_up", "jump said to go down"),
              ("single_index.pretraining_threshold_above_bbp", "threshold said to be below BBP")}
    mutants = [m for name, m in _mutants() if (m.id, name) in chosen]
    assert len(mutants) == 2
    for m in mutants:
        _refuted_with_a_confirmed_point(m)


def _refuted_with_a_confirmed_point(c):
    r = certify(c, seconds=60)
    assert r.status == "refuted", r.detail
    assert "arb at 256 bits" in r.detail
    point = {n: Rational(v) for n, v in r.counterexample.items()}  # exact, as found
    for n, v in point.items():
        region = c.region[n]
        assert region.contains(v) if isinstance(region, sympy.Interval) else v == region
    # an independent evaluation of the compact margin at 60 digits (the roots by the point
    # evaluator's bracketed solver, not the interval Newton) agrees on the sign
    assert evaluate(c.margin, point, dps=60) < 0
    assert mpmath.mpf(r.detail.split("[")[1].split()[0]) < 0
