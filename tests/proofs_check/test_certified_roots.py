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


# --- an upper bound on a parameter whose range does not start at 0 ---------------------------

def test_upper_bound_with_a_nonzero_lower_end_covers_the_region():
    """``p <= u`` with ``p in [a, b]`` becomes ``p = a + t (min(u, b) - a)``: every point of the
    region (meeting the assumption) has a ``t`` in ``[0, 1]``, computed here exactly."""
    import random

    from proofs_check.certified import prepare

    c = claim("spectral.overlap_decreases_with_gamma")
    s = prepare(c)
    assert set(s.back) == {"gamma_u"} and s.box["t[gamma_u]"] == (0, 1)
    back = s.back["gamma_u"]
    (t,) = [x for x in back.free_symbols if x.name == "t[gamma_u]"]
    (spike,) = [x for x in back.free_symbols if x.name == "spike"]
    rng = random.Random(5)
    lo, hi = c.region["gamma_u"].start, c.region["gamma_u"].end
    for _ in range(200):
        sp = c.region["spike"].start + (c.region["spike"].end - c.region["spike"].start) \
            * Rational(rng.randint(0, 1000), 1000)
        g = lo + (min(sp**2, hi) - lo) * Rational(rng.randint(0, 1000), 1000)
        solved = sympy.solve(sympy.Eq(back.xreplace({spike: sp}), g), t)
        assert len(solved) == 1 and 0 <= solved[0] <= 1


def test_overlap_decreasing_in_gamma_certified_and_its_mutant_refuted():
    from tests.proofs_check.test_mutations import _mutants

    r = certify(claim("spectral.overlap_decreases_with_gamma"))
    assert r.status == "certified" and r.certified_fraction == 1.0
    assert "gamma_u = t[gamma_u]*(Min(100, spike**2) - 1/100) + 1/100" in r.detail
    (m,) = [m for name, m in _mutants() if (m.id, name) == (
        "spectral.overlap_decreases_with_gamma", "overlap said to increase")]
    _refuted_with_a_confirmed_point(m)
