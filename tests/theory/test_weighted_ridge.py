"""Mechanism 2 against independent computations: simulation, a direct solve, SymPy series."""

import mpmath
import numpy as np
import pytest
import sympy

from numerics import ParameterError, evaluate, vectorize
from numerics.simulate import (SimulationError, simulate_weighted_ridge,
                               weighted_ridge_repetition)
from theory import weighted_ridge
from theory.symbols import zeta

POINTS = [  # (gamma_s, lam_s, zeta, s, lam_t): at lam_t = lam_star = 0.5 unless noted
    (0.5, 0.3, 0.8, 5.0, 0.5),    # aligned, under-parameterised: beats the optimal teacher
    (0.5, 1.0, 0.0, 5.0, 0.5),    # unaligned: cannot
    (2.0, 0.3, 0.9, 20.0, 0.5),   # over-parameterised, strongly aligned: beats it
    (2.0, 0.3, 0.1, 20.0, 0.5),   # over-parameterised, weakly aligned: does not
    (0.5, 0.3, 0.5, 0.0, 0.1),    # s = 0: mechanism 1, under-regularised teacher
]


@pytest.mark.parametrize("gamma_s, lam_s, z, s, lam_t", POINTS)
def test_closed_form_agrees_with_simulation(gamma_s, lam_s, z, s, lam_t):
    d = 250
    sim = simulate_weighted_ridge(d=d, gamma_t=0.5, gamma_s=gamma_s, lam_t=lam_t, lam_s=lam_s,
                                  sigma2=1.0, zeta=z, s=s, reps=12, seed=7)
    theory = float(evaluate("weighted_ridge.student_risk", lam_s=lam_s, gamma_s=gamma_s,
                            lam_t=lam_t, gamma_t=0.5, sigma2=1, zeta=z, s=s))
    assert abs(sim.student_mean[0, 0] - theory) <= 4 * sim.student_se[0, 0] + 4 * (1 + theory) / d
    teacher = float(evaluate("ridge.teacher_risk", lam_t=lam_t, gamma_t=0.5, sigma2=1))
    gap = float(sim.gap_mean[0, 0])
    assert abs(gap - (theory - teacher)) <= 4 * sim.gap_se[0, 0] + 4 * (1 + teacher) / d


def test_estimator_is_the_weighted_ridge_solution():
    """The simulator's change of variables against a direct solve of
    (X^T X/n + lam Omega) b = X^T X b_t / n with Omega = I - c theta theta^T."""
    from numerics.simulate import ridge_path

    rng = np.random.default_rng(3)
    n, d, c, lam = 20, 12, 0.8, 0.4
    theta = rng.standard_normal(d)
    theta /= np.linalg.norm(theta)
    X, b_t = rng.standard_normal((n, d)), rng.standard_normal(d)
    stretch = 1 / np.sqrt(1 - c) - 1  # the same transform as weighted_ridge_repetition
    z = ridge_path(X + stretch * np.outer(X @ theta, theta), X @ b_t, np.array([lam]))[0, 0]
    b = z + stretch * (z @ theta) * theta
    omega = np.eye(d) - c * np.outer(theta, theta)
    assert np.allclose(b, np.linalg.solve(X.T @ X / n + lam * omega, X.T @ X @ b_t / n),
                       rtol=1e-10)


def test_simulated_direction_has_the_requested_alignment():
    """theta as the simulator draws it: unit norm, <theta, beta_star>/||beta_star|| = zeta."""
    rng = np.random.default_rng(0)
    teacher, student, t, A, B = weighted_ridge_repetition(rng, 50, 0.5, 0.5, np.array([0.0]),
                                                          np.array([0.0]), 0.0, 1.0, 0.6, 0.5)
    # noiseless over-determined teacher at lam_t = 0 recovers beta_star: <theta, b_t> = zeta
    assert abs(t[0] - 0.6) < 1e-8 and abs(A[0] - 1) < 1e-8


def test_reduces_to_mechanism_1_at_s_zero():
    assert weighted_ridge.reduction_to_ridge().result == 0
    a = evaluate("weighted_ridge.student_risk", lam_s="0.3", gamma_s="0.5", lam_t="0.1",
                 gamma_t="0.5", sigma2=1, zeta="0.7", s=0, dps=40)
    b = evaluate("ridge.student_risk", lam_s="0.3", gamma_s="0.5", lam_t="0.1", gamma_t="0.5",
                 sigma2=1, dps=40)
    assert abs(a - b) < 1e-38


def test_zeta_squared_leading_term_comes_out_of_sympy():
    d = weighted_ridge.slope_at_zero()
    slope, series = d.steps[0][1], d.steps[1][1]
    assert sympy.Poly(sympy.expand(series), zeta).monoms() == [(2,)]  # only zeta^2
    assert sympy.expand(slope - series) == 0                          # exact, not just leading
    assert sympy.limit(slope, zeta, 0) == 0


def test_population_gain_matches_numerical_optimum():
    """min over lam_s of the population student's risk (golden search) = L_t - D^2/(B - t^2)."""
    from tests.helpers import argmin_log

    p = dict(gamma_t="0.5", sigma2=1, zeta="0.8")
    margin = weighted_ridge._population_margin
    f = lambda l: evaluate(margin, {**p, "lam_s": l}, dps=30)
    with mpmath.workdps(30):
        best = f(argmin_log(f, mpmath.mpf("1e-6"), mpmath.mpf("1e6")))
        gain = evaluate("weighted_ridge.optimal_population_gain", p, dps=30)
        assert abs(-best - gain) < 1e-18


def test_float64_path_matches_50_digits():
    f = vectorize("weighted_ridge.student_risk")
    lam_s = np.concatenate([[0.0], np.logspace(-8, 6, 15)])
    for gamma_s in (1e-3, 0.5, 0.999, 2.0, 1e3):
        for z, s in ((0.0, 1.0), (0.7, 0.5), (1.0, 1e4)):
            fast = f(lam_s=lam_s, gamma_s=gamma_s, lam_t=0.3, gamma_t=0.5, sigma2=1.0, zeta=z, s=s)
            exact = np.array([float(evaluate("weighted_ridge.student_risk", lam_s=l,
                                             gamma_s=gamma_s, lam_t=0.3, gamma_t=0.5, sigma2=1,
                                             zeta=z, s=s)) for l in lam_s])
            assert np.max(np.abs(fast - exact) / np.abs(exact)) < 1e-10


def test_bad_input():
    with pytest.raises(ParameterError, match=r"zeta must be in \[-1, 1\]"):
        evaluate("weighted_ridge.student_risk", lam_s=1, gamma_s=1, lam_t=1, gamma_t=0.5,
                 sigma2=1, zeta="1.5", s=1)
    with pytest.raises(ParameterError, match=r"s must be in \[0, inf\)"):
        evaluate("weighted_ridge.student_risk", lam_s=1, gamma_s=1, lam_t=1, gamma_t=0.5,
                 sigma2=1, zeta="0.5", s=-1)
    with pytest.raises(SimulationError, match=r"zeta must be in \[-1, 1\]"):
        simulate_weighted_ridge(d=10, gamma_t=0.5, gamma_s=0.5, lam_t=0.1, lam_s=0.1,
                                sigma2=1.0, zeta=-2.0, s=1.0, reps=2)
    with pytest.raises(SimulationError, match=r"s must be in \[0, inf\)"):
        simulate_weighted_ridge(d=10, gamma_t=0.5, gamma_s=0.5, lam_t=0.1, lam_s=0.1,
                                sigma2=1.0, zeta=0.5, s=-0.5, reps=2)


def test_teacher_alignment_and_gain_coefficient_against_simulation():
    """t = <theta, b_t> and D = -t (t - zeta sqrt(r2)) from simulated teachers at lam_star."""
    d, zeta_value, reps = 300, 0.7, 16
    rng_children = np.random.SeedSequence(9).spawn(reps)
    t = np.array([weighted_ridge_repetition(np.random.default_rng(c), d, 0.5, 0.5,
                                            np.array([0.5]), np.array([1.0]), 1.0, 1.0,
                                            zeta_value, 0.5)[2][0] for c in rng_children])
    se = t.std(ddof=1) / np.sqrt(reps)
    t_theory = float(evaluate("weighted_ridge.teacher_alignment", lam_t="0.5", gamma_t="0.5",
                              zeta="0.7"))
    assert abs(t.mean() - t_theory) <= 4 * se + 4 / d
    D_sim = -t.mean() * (t.mean() - zeta_value)
    D_theory = float(evaluate("weighted_ridge.gain_coefficient", gamma_t="0.5", sigma2=1,
                              zeta="0.7"))
    assert abs(D_sim - D_theory) <= 4 * se + 4 / d
