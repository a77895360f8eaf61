"""The escape-time law of arXiv:2605.05710 certified through its reduction (the comparison of
integrands), and its false variant refuted with a counterexample confirmed by ``arb``."""

import mpmath
import sympy
from sympy import Rational

from numerics import evaluate
from proofs_check.certified import certify, reduction
from theory.claims import claim


def test_escape_time_law_certified_through_the_integrands():
    c = claim("single_index.escape_time_law")
    r = certify(c)
    assert r.status == "certified" and r.certified_fraction == 1.0, r.detail
    assert r.boxes == 1 and "via single_index.escape_time_law.integrands" in r.detail
    lemma, why = reduction(c)(c)
    # the lemma's range of q covers every q0 = d^(-1/2) and q1 of the region
    assert lemma.region["q"] == sympy.Interval(Rational(1, 1000), Rational(99, 100))
    # the comparison integrand, integrated independently (mpmath), is the claim's bound
    with mpmath.workdps(30):
        g1 = 6 * 1 * 1 + 8 * Rational(1, 2) * 2
        exact = mpmath.quad(lambda x: 1 / (g1 * x * x), [mpmath.mpf(1) / 30, mpmath.mpf(0.9)])
        bound = (30 - 1 / mpmath.mpf(0.9)) / g1
        assert abs(exact - bound) < 1e-25


def test_escape_time_law_lemma_holds_at_points_at_50_digits():
    """The lemma's margin, evaluated at 50 digits at a few points, is positive (an independent
    check of the statement certified)."""
    c = claim("single_index.escape_time_law")
    lemma, _ = reduction(c)(c)
    for q in ("1/1000", "1/2", "99/100"):
        point = {"q": q, "c3": "1/10", "b3": "1/10", "c4": 2, "b4": 2}
        assert evaluate(lemma.margin, point, dps=50) > 0


def test_escape_time_mutant_is_refuted_never_certified():
    from tests.proofs_check.test_mutations import _mutants

    (m,) = [m for name, m in _mutants() if (m.id, name) == (
        "single_index.escape_time_law", "escape time said to grow like d")]
    assert reduction(m)(m) is None  # a mutant keeps the id, not the statement
    r = certify(m, seconds=60)
    assert r.status == "refuted", r.detail
    assert "arb at 256 bits" in r.detail
    point = {n: Rational(v) for n, v in r.counterexample.items()}
    for n, v in point.items():
        assert m.region[n].contains(v)
    # an independent evaluation (mpmath's quadrature of the escape time) at 60 digits
    assert evaluate(m.margin, point, dps=60) < 0
