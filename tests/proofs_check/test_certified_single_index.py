"""Single-index claims of arXiv:2605.05710 certified through their reductions (the escape-time
law by the comparison of integrands, perturbed strong convexity by Cauchy-Schwarz in half-angle
coordinates, the GD overlap step in the one variable ``a = eta G(q)``), and their false variants
refuted with a counterexample confirmed by ``arb``, never certified."""

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


def test_perturbed_strong_convexity_certified_through_cauchy_schwarz():
    c = claim("single_index.perturbed_strong_convexity")
    r = certify(c)
    assert r.status == "certified" and r.certified_fraction == 1.0, r.detail
    assert "via single_index.perturbed_strong_convexity.cauchy_schwarz" in r.detail
    lemma, _ = reduction(c)(c)
    assert sorted(lemma.region) == ["nu", "q", "rho_w"]
    # the lemma is ||x - v0||^2 ||w - v0||^2 - <x - v0, w - v0>^2, checked here at 50 digits
    # from the vectors themselves: x, w, v0 in R^3 with <x, w> = q, <w, v0> = rho_w and
    # <x, v0> = rho_w q + nu sqrt((1 - q^2)(1 - rho_w^2))
    import random

    rng = random.Random(3)
    with mpmath.workdps(50):
        for _ in range(20):
            q, rho, nu = (mpmath.mpf(rng.random()), mpmath.mpf(rng.random()),
                          mpmath.mpf(2 * rng.random() - 1))
            w = mpmath.matrix([1, 0, 0])
            x = mpmath.matrix([q, mpmath.sqrt(1 - q**2), 0])
            s = mpmath.sqrt(1 - nu**2)
            v0 = mpmath.matrix([rho, nu * mpmath.sqrt(1 - rho**2), s * mpmath.sqrt(1 - rho**2)])
            dot = lambda a, b: sum(a[i] * b[i] for i in range(3))  # noqa: E731
            xv, wv = x - v0, w - v0
            gram = dot(xv, xv) * dot(wv, wv) - dot(xv, wv) ** 2
            point = {"q": sympy.Rational(str(q)), "rho_w": sympy.Rational(str(rho)),
                     "nu": sympy.Rational(str(nu))}
            value = evaluate(lemma.margin, point, dps=50)
            assert abs(value - gram) < mpmath.mpf(10) ** -30 * (1 + abs(gram)) + 1e-40


def test_gd_overlap_step_certified_in_one_variable():
    c = claim("single_index.gd_overlap_increases")
    r = certify(c)
    assert r.status == "certified" and r.certified_fraction == 1.0, r.detail
    lemma, _ = reduction(c)(c)
    assert {s.name for s in lemma.margin.free_symbols} == {"eta", "q"}
    # the lemma at a = eta G(q) equals the claim's margin at a point (50 digits)
    point = {"q": "3/10", "eta": "1/50", "c1": "1/2", "b1": 1, "c3": 1, "b3": "3/2"}
    g = 2 * Rational(1, 2) + 6 * Rational(3, 2) * Rational(9, 100)  # G(3/10)
    same = evaluate(lemma.margin, {"q": "3/10", "eta": Rational(1, 50) * g}, dps=50)
    assert abs(evaluate(c.margin, point, dps=50) - same) < 1e-45


def test_mutants_of_the_reduced_claims_are_refuted_never_certified():
    from tests.proofs_check.test_mutations import _mutants

    chosen = {("single_index.perturbed_strong_convexity", "strong-convexity constant doubled"),
              ("single_index.gd_overlap_increases", "ascent instead of descent")}
    mutants = [m for name, m in _mutants() if (m.id, name) in chosen]
    assert len(mutants) == 2
    for m in mutants:
        assert reduction(m)(m) is None
        r = certify(m, seconds=60)
        assert r.status == "refuted", r.detail
        assert "arb at 256 bits" in r.detail
        point = {n: Rational(v) for n, v in r.counterexample.items()}
        for rel in m.assumptions:
            assert bool(rel.xreplace({s: point[s.name] for s in rel.free_symbols}))
        for n, v in point.items():
            assert m.region[n].contains(v)
        assert evaluate(m.margin, point, dps=60) < 0


def test_step_inequality_reduced_to_four_variables_agrees_with_the_claim():
    """Not decided yet (docs/certified.md): the reduction only cuts the route's time; its lemma
    at a = eta G(q) equals the claim's margin (50 digits), and a mutant is not reduced."""
    from tests.proofs_check.test_mutations import _mutants

    c = claim("single_index.psc_step_inequality")
    lemma, _ = reduction(c)(c)
    point = {"q": "1/2", "nu": "1/3", "rho_w": "4/5", "eta": "1/100", "c3": 1, "b3": 1,
             "b1": "1/2", "c1": "1/2"}
    g = 2 * Rational(1, 4) + 6 * Rational(1, 4)  # G(1/2) = 2 b1 c1 + 6 b3 c3 q^2
    at = {"q": "1/2", "nu": "1/3", "rho_w": "4/5", "eta": Rational(1, 100) * g}
    assert abs(evaluate(c.margin, point, dps=50) - evaluate(lemma.margin, at, dps=50)) < 1e-45
    (m,) = [m for name, m in _mutants() if m.id == c.id]
    assert reduction(m)(m) is None
