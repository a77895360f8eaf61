"""Mechanism 1 against the literature and against numerical computations.

Literature: Dobriban & Wager (2018) optimal ridge lam* = gamma sigma^2 / r^2 with risk
sigma^2 gamma m(-lam*); Hastie, Montanari, Rosset & Tibshirani (2022) ridgeless risks
sigma^2 gamma/(1 - gamma) and r^2 (1 - 1/gamma) + sigma^2/(gamma - 1). The derivations are
checked against numerical optimisation of the evaluated risks.
"""

import mpmath
import pytest
import sympy
from hypothesis import given, strategies as st

from numerics import evaluate
from theory import ridge
from tests.helpers import argmin_log
from theory.symbols import gamma_s, gamma_t, lam_t, r2, sigma2

ratios = st.floats(0.05, 20).filter(lambda g: abs(g - 1) > 0.02)
positive = st.floats(0.05, 5)
DPS = 30


def mp(x):
    with mpmath.workdps(DPS):
        return mpmath.mpf(x)


def teacher(l, g, s2, rr=1):
    return evaluate("ridge.teacher_risk", lam_t=l, gamma_t=g, sigma2=s2, r2=rr, dps=DPS)


def test_optimal_lambda_is_dobriban_wager():
    assert sympy.simplify(ridge.optimal_teacher_lambda().result - gamma_t * sigma2 / r2) == 0


def test_derivative_factor_contains_r2_lam_minus_sigma2_gamma():
    factored = ridge.optimal_teacher_lambda().steps[1][1]
    target = r2 * lam_t - sigma2 * gamma_t
    assert any(sympy.expand(f - target) == 0 or sympy.expand(f + target) == 0
               for f in sympy.Mul.make_args(factored))
    # and the other factor, in kappa, is 2 (1 + kappa)^3 / D^3 > 0
    other = ridge.optimal_teacher_lambda().steps[2][1]
    k = [s for s in other.free_symbols if s.name == "kappa_t"][0]
    assert sympy.cancel(other - 2 * (1 + k) ** 3 / ((1 + k) ** 2 - gamma_t) ** 3) == 0


@given(g=ratios, s2=positive, rr=positive)
def test_optimal_lambda_minimises_the_evaluated_risk(g, s2, rr):
    with mpmath.workdps(DPS):
        found = argmin_log(lambda x: teacher(x, g, s2, rr), mpmath.mpf("1e-4"), mpmath.mpf("1e4"))
        assert abs(found - mp(g) * mp(s2) / mp(rr)) < 1e-10 * (1 + found)
        for factor in ("0.5", "2"):
            assert teacher(found * mpmath.mpf(factor), g, s2, rr) > teacher(found, g, s2, rr)


@given(g=ratios, s2=positive)
def test_risk_at_optimum_is_sigma2_gamma_m(g, s2):
    lam_star = evaluate("ridge.optimal_lambda", gamma_t=g, sigma2=s2, dps=DPS)
    m = evaluate("mp.stieltjes", z=-lam_star, gamma=g, dps=DPS)
    with mpmath.workdps(DPS):
        assert abs(teacher(lam_star, g, s2) - mp(s2) * mp(g) * m) < 1e-25
        assert abs(evaluate("ridge.optimal_teacher_risk", gamma_t=g, sigma2=s2, dps=DPS)
                   - mp(s2) * mp(g) * m) < 1e-25


@pytest.mark.parametrize("g", ["0.2", "0.5", "0.9", "1.1", "2", "10"])
@pytest.mark.parametrize("s2", ["0", "0.3", "1"])
def test_ridgeless_teacher_is_hastie_et_al(g, s2):
    with mpmath.workdps(DPS):
        gv, sv = mp(g), mp(s2)
        hastie = sv * gv / (1 - gv) if gv < 1 else (1 - 1 / gv) + sv / (gv - 1)
        assert abs(teacher(0, g, s2) - hastie) < 1e-25
        assert abs(teacher("1e-20", g, s2) - hastie) < 1e-15
        derived = ridge.ridgeless_teacher_risk().result.subs(
            {gamma_t: sympy.Rational(g), sigma2: sympy.Rational(s2), r2: 1})
        assert abs(mpmath.mpf(sympy.Float(derived, DPS)) - hastie) < 1e-25


@given(l=st.floats(0, 5), g=ratios, s2=positive, rr=positive)
def test_overlap_gap_identity_numerically(l, g, s2, rr):
    p = dict(lam_t=l, gamma_t=g, sigma2=s2, r2=rr)
    B = evaluate("ridge.overlap_B", p, dps=DPS)
    A = evaluate("ridge.overlap_A", dict(lam_t=l, gamma_t=g, r2=rr), dps=DPS)
    w = evaluate("mp.shrinkage_w", lam=l, gamma=g, dps=DPS)
    with mpmath.workdps(DPS):
        assert abs((B - A) - w * (mp(s2) * mp(g) - mp(rr) * mp(l))) < 1e-22 * (1 + abs(B))
        # L_t = r2 - 2A + B
        assert abs(teacher(l, g, s2, rr) - (mp(rr) - 2 * A + B)) < 1e-22 * (1 + abs(B))


def test_overlap_gap_derivation_is_the_stated_identity():
    """SymPy's factorisation is linear.md's (m_t - lam_t m_t')(sigma2 gamma_t - r2 lam_t)."""
    result = ridge.overlap_gap_identity().result
    stated = ridge.shrinkage_functionals(lam_t, gamma_t)[2] * (sigma2 * gamma_t - r2 * lam_t)
    assert sympy.expand(result - stated) == 0


@given(lt=st.floats(0, 3), gt=ratios, gs=st.floats(1.05, 20), s2=positive)
def test_min_norm_student_formula(lt, gt, gs, s2):
    p = dict(lam_t=lt, gamma_t=gt, sigma2=s2)
    Lt = teacher(lt, gt, s2)
    Ls = evaluate("ridge.student_risk", {**p, "lam_s": 0, "gamma_s": gs}, dps=DPS)
    with mpmath.workdps(DPS):
        assert abs(Ls - (Lt / mp(gs) + (1 - 1 / mp(gs)))) < 1e-22 * (1 + Lt)
    L_sym, = [s for s in ridge.min_norm_student_risk().result.free_symbols if s.name == "L_t"]
    derived = ridge.min_norm_student_risk().result.subs({L_sym: sympy.Float(Lt, DPS), r2: 1,
                                                       gamma_s: sympy.Rational(gs)})
    assert abs(sympy.Float(derived, DPS) - sympy.Float(Ls, DPS)) < 1e-20


@given(lt=st.floats(0, 3), gt=ratios, s2=positive, ls=st.floats(0, 5))
def test_population_student(lt, gt, s2, ls):
    p = dict(lam_t=lt, gamma_t=gt, sigma2=s2)
    A = evaluate("ridge.overlap_A", lam_t=lt, gamma_t=gt, dps=DPS)
    B = evaluate("ridge.overlap_B", p, dps=DPS)
    Ls = evaluate("ridge.student_risk", {**p, "lam_s": ls, "gamma_s": "1e-25"}, dps=DPS)
    with mpmath.workdps(DPS):
        expected = 1 - 2 * A / (1 + mp(ls)) + B / (1 + mp(ls)) ** 2
        assert abs(Ls - expected) < 1e-20


@given(lt=st.floats(0, 0.3), gt=ratios, s2=st.floats(0.5, 5))
def test_population_student_optimum_and_gain(lt, gt, s2):
    p = dict(lam_t=lt, gamma_t=gt, sigma2=s2)
    A = evaluate("ridge.overlap_A", lam_t=lt, gamma_t=gt, dps=DPS)
    B = evaluate("ridge.overlap_B", p, dps=DPS)
    if B <= A:
        return  # over-regularised teacher: claim 1 territory
    risk = lambda l: evaluate("ridge.student_risk", {**p, "lam_s": l, "gamma_s": "1e-25"}, dps=DPS)
    with mpmath.workdps(DPS):
        lam_opt = argmin_log(risk, mpmath.mpf("1e-6"), mpmath.mpf("1e6"))
        assert abs(lam_opt - (B - A) / A) < 1e-10 * (1 + lam_opt)
        gain = teacher(lt, gt, s2) - risk(lam_opt)
        assert abs(gain - (B - A) ** 2 / B) < 1e-18


@pytest.mark.parametrize("g", ["1", "1.5", "3", "10", "1000"])
def test_critical_ratio_against_numerical_infimum(g):
    """inf over lam_s of v_s/u_s (dense log grid, then refined) gives 2 - 2/rho_c."""
    rho_c = evaluate("ridge.critical_ratio", gamma_s=g, dps=DPS)
    ratio = lambda l: (evaluate("mp.shrinkage_v", lam=l, gamma=g, dps=DPS)
                       / evaluate("mp.shrinkage_u", lam=l, gamma=g, dps=DPS))
    with mpmath.workdps(DPS):
        # at gamma_s = 1 the infimum is approached as lam_s -> 0: search far down
        inf_ratio = ratio(argmin_log(ratio, mpmath.mpf("1e-40"), mpmath.mpf("1e8"), 300))
        assert abs(inf_ratio - (2 - 2 / rho_c)) < 1e-15
        assert abs(rho_c - 4 / (3 - mpmath.sqrt(1 - 1 / mp(g)))) < 1e-25


def test_critical_ratio_jumps_at_one():
    assert evaluate("ridge.critical_ratio", gamma_s="0.999") == 1
    with mpmath.workdps(60):
        assert abs(evaluate("ridge.critical_ratio", gamma_s=1) - mpmath.mpf(4) / 3) < 1e-40
    assert abs(evaluate("ridge.critical_ratio", gamma_s="1e12") - 2) < 1e-5


def test_student_equals_teacher_for_interpolating_underparameterised_student():
    """lam_s = 0 with gamma_s < 1: the student reproduces the teacher (linear.md claim 1)."""
    p = dict(lam_t="0.3", gamma_t="0.7", sigma2="0.4")
    Ls = evaluate("ridge.student_risk", {**p, "lam_s": 0, "gamma_s": "0.5"}, dps=40)
    assert abs(Ls - evaluate("ridge.teacher_risk", p, dps=40)) < 1e-38


def test_student_label_noise_adds_variance_term():
    p = dict(lam_t="0.3", gamma_t="0.7", sigma2="0.4", lam_s="0.2", gamma_s="0.5")
    clean = evaluate("ridge.student_risk", p, dps=30)
    noisy = evaluate("ridge.student_risk", {**p, "sigma2_s": "0.25"}, dps=30)
    w = evaluate("mp.shrinkage_w", lam="0.2", gamma="0.5", dps=30)
    with mpmath.workdps(30):
        assert abs(noisy - clean - mpmath.mpf("0.25") * mpmath.mpf("0.5") * w) < 1e-25
