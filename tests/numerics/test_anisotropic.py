"""The general-penalty fixed point: reduces to the rank-one closed form, agrees with simulation."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from numerics import ParameterError, evaluate
from numerics.anisotropic import from_diagonal, solve_kappa, student_risk_general
from numerics.simulate import simulate_diagonal_penalty


@settings(max_examples=20)
@given(ls=st.sampled_from(["0", "0.01", "0.3", "5"]), gs=st.sampled_from(["0.3", "0.9", "2", "7"]),
       lt=st.sampled_from(["0.05", "0.5", "2"]), z=st.sampled_from(["0", "0.3", "0.9", "1"]),
       s=st.sampled_from(["0", "1", "5", "1000"]))
def test_reduces_to_the_rank_one_closed_form(ls, gs, lt, z, s):
    from fractions import Fraction

    c = Fraction(s) / (1 + Fraction(s))
    zz = Fraction(z) ** 2
    r = student_risk_general([1, str(1 - c)], [1, 0], [str(1 - zz), str(zz)], lam_s=ls,
                             gamma_s=gs, lam_t=lt, gamma_t="0.5", sigma2=1, dps=40)
    closed = evaluate("weighted_ridge.student_risk", lam_s=ls, gamma_s=gs, lam_t=lt,
                      gamma_t="0.5", sigma2=1, zeta=z, s=s, dps=40)
    assert r.converged
    assert abs(r.risk - closed) < 1e-30 * (1 + abs(closed))


def test_identity_penalty_is_mechanism_1():
    r = student_risk_general([1], [1], [1], lam_s="0.2", gamma_s="0.4", lam_t="0.1",
                             gamma_t="0.6", sigma2="0.5", dps=30)
    ridge = evaluate("ridge.student_risk", lam_s="0.2", gamma_s="0.4", lam_t="0.1",
                     gamma_t="0.6", sigma2="0.5", dps=30)
    assert abs(r.risk - ridge) < 1e-25
    kappa = evaluate("mp.kappa", lam="0.2", gamma="0.4", dps=30)
    assert abs(r.kappa - kappa) < 1e-25


@pytest.mark.parametrize("lam_s, gamma_s", [(0.3, 0.5), (1.0, 2.0), (0.0, 0.5), (0.05, 3.0)])
def test_agrees_with_simulation_of_a_diagonal_penalty(lam_s, gamma_s):
    d = 400
    omega = np.r_[np.full(d // 2, 0.5), np.full(d // 2, 2.0)]
    beta = np.r_[np.full(d // 2, np.sqrt(0.7 / (d // 2))), np.full(d // 2, np.sqrt(0.3 / (d // 2)))]
    sim = simulate_diagonal_penalty(d=d, gamma_t=0.5, gamma_s=gamma_s, lam_t=0.1, lam_s=[lam_s],
                                    sigma2=1.0, omega=omega, beta=beta, reps=8, seed=4)
    theory = student_risk_general(*from_diagonal(omega, beta), lam_s=lam_s, gamma_s=gamma_s,
                                  lam_t="0.1", gamma_t="0.5", sigma2=1)
    assert theory.converged
    t = float(theory.risk)
    assert abs(sim.student_mean[0, 0] - t) <= 4 * sim.student_se[0, 0] + 4 * (1 + t) / d


def test_fixed_point_residual_and_ridgeless_branches():
    import mpmath

    ctx = mpmath.MPContext()
    ctx.dps = 30
    om, p = [ctx.mpf(1), ctx.mpf(3)], [ctx.mpf("0.5"), ctx.mpf("0.5")]
    k, residual, iterations = solve_kappa(om, p, ctx.mpf("0.2"), ctx.mpf(2), ctx)
    assert residual < ctx.mpf(10) ** -25 and iterations > 0
    assert abs(k - ctx.mpf("0.2") - k * 2 * sum(pi / (1 + k * o) for o, pi in zip(om, p))) < 1e-25
    assert solve_kappa(om, p, ctx.zero, ctx.mpf("0.5"), ctx)[0] == 0       # gamma < 1, lam = 0
    k0 = solve_kappa(om, p, ctx.zero, ctx.mpf(3), ctx)[0]                   # gamma > 1, lam = 0
    assert abs(1 - 3 * sum(pi / (1 + k0 * o) for o, pi in zip(om, p))) < 1e-25


@pytest.mark.parametrize("args, message", [
    (([1, -0.5], [0.5, 0.5], [0.5, 0.5]), "must be positive"),
    (([1, 2], [0.5, 0.4], [0.5, 0.5]), "must each sum to 1"),
    (([1, 2], [0.5, 0.5], [1.0]), "same length"),
    (([1, 2], [0.5, 0.5], [1.2, -0.2]), "non-negative"),
])
def test_bad_penalty_is_refused(args, message):
    with pytest.raises(ParameterError, match=message):
        student_risk_general(*args, lam_s=1, gamma_s=1, lam_t=1, gamma_t=0.5, sigma2=1)
