"""The central statements of arXiv 2605.05710: values against independent computations."""

from fractions import Fraction

import mpmath
import pytest
import sympy

from numerics import evaluate
from proofs_check.judge import Judge
from proofs_check.strategies import Bound
from theory.claims import claim
from theory.single_index import gd_bound
from theory.single_index_dynamics import EscapeTime

D = {"c3": 1, "b1": "1/2", "b3": 1}
Q0, M0 = "0.3137116510431", "0.3485685011590"   # set D from its PCA start


@pytest.mark.parametrize("t, value", [(0, 7.861382782), (10, 5.951886374), (50, 2.339009309),
                                      (200, 0.6616832559)])
def test_closed_bound_matches_the_anchors(t, value):
    got = evaluate(gd_bound, {**D, "rho_w": "0.9", "eta": "0.1", "q": "0.3137116510", "t": t})
    assert abs(float(got) - value) < 1e-8


@pytest.mark.parametrize("k, q0, time", [(2, "0.05", 0.929871449), (3, "0.05", 3.385177775),
                                         (3, "0.2", 0.8597293041), (4, "0.05", 25.38777523)])
def test_escape_time_against_the_closed_flow_time(k, q0, time):
    # pure aligned link of degree k with b_k = c_k = 1: A = 2 k
    links = [0] * 8
    links[k - 1] = links[4 + k - 1] = 1
    value = evaluate(EscapeTime(sympy.Rational(q0), sympy.Rational(9, 10), *links), {})
    assert abs(float(value) - time) < 1e-8
    # and against a direct mpmath quadrature of 1/(A q^(k-1) (1 - q^2))
    direct = mpmath.quad(lambda q: 1 / (2 * k * q ** (k - 1) * (1 - q * q)), [float(q0), 0.9])
    assert abs(float(value) - float(direct)) < 1e-10


def test_generalisation_bound_margin_against_iterating_the_map_by_hand():
    # the margin at set D (rho_w = 0.9, eta = 0.1, t = 10) from the iterates computed here with
    # the page's map in mpmath, independently of the theory's functions
    q, m, rho, eta = mpmath.mpf(Q0), mpmath.mpf(M0), mpmath.mpf("0.9"), mpmath.mpf("0.1")

    G = lambda x: 6 * x**2  # noqa: E731  (c1 = 0, so only j = 3 contributes)
    for _ in range(10):
        N = mpmath.sqrt(1 + eta**2 * G(q) ** 2 * (1 - q**2))
        q, m = (q + eta * G(q) * (1 - q**2)) / N, (m + eta * G(q) * (rho - q * m)) / N
    risk = 2 * (1 - m**3)
    assert abs(float(risk) - 0.5363185723) < 1e-9
    c = claim("single_index.generalisation_bound_adaptive")
    nu = (mpmath.mpf(M0) - rho * mpmath.mpf(Q0)) / mpmath.sqrt((1 - mpmath.mpf(Q0) ** 2)
                                                              * (1 - rho**2))
    point = {**{k: Fraction(v) for k, v in {"c1": 0, "c2": 0, "c3": 1, "c4": 0, "b1": "1/2",
                                             "b2": 0, "b3": 1, "b4": 0}.items()},
             "q": Fraction(Q0), "rho_w": Fraction("0.9"), "eta": Fraction("0.1"), "t": 10,
             "nu": Fraction(mpmath.nstr(nu, 25))}
    margin = Judge(c)(point).worst
    adaptive = 3 * (mpmath.sqrt(2 * (1 - q)) + mpmath.sqrt(2 * (1 - rho))) ** 2
    assert abs(margin - float(adaptive - risk)) < 1e-8
    assert margin > 0


def test_bistability_margin_at_set_d():
    c = claim("single_index.sgd_bistability")
    point = {"c3": Fraction(1), "b1": Fraction(1, 2), "b3": Fraction(1), "sigma2_s": Fraction(0),
             "delta": Fraction(1, 200)}
    decision = Judge(c)(point)
    assert decision.verdict == "ok"
    assert decision.worst <= 0.9962056724 - 0.1585550146 + 1e-9


def test_negative_irrational_assumption_bound_keeps_its_sign():
    # regression: the bound's exact value lost its sign, so a point with an empty range passed
    c = claim("single_index.psc_step_inequality")
    b = Bound(c.assumptions[0])
    point = {"rho_w": Fraction(1, 10**12), "nu": Fraction(-1), "q": Fraction(1, 10**12),
             "c1": 0, "c2": 0, "c3": Fraction(1, 10), "c4": 0, "b1": 0, "b2": 0,
             "b3": Fraction(1, 10), "b4": 0, "eta": Fraction(1)}
    point = {k: Fraction(v) for k, v in point.items()}
    assert b.side(point) < 0 and not b.holds(point)
