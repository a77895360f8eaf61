"""The simulator against theory (independent routes), finite-size behaviour, reproducibility."""

import numpy as np
import pytest

from numerics import evaluate
from numerics.plots.ridge import convergence_data
from numerics.simulate import SimulationError, simulate_ridge, simulate_weighted_ridge

CASES = [  # (gamma_t, gamma_s, lam_t, lam_s grid, sigma2, sigma2_s)
    (0.5, 0.5, 0.05, [0.0, 0.1, 1.0], 1.0, 0.0),      # under-parameterised, noisy teacher
    (0.5, 2.0, 0.05, [0.0, 0.3], 1.0, 0.0),           # over-parameterised student, min-norm
    (2.0, 0.5, 0.0, [0.0, 0.3], 0.5, 0.0),            # ridgeless over-parameterised teacher
    (2.0, 3.0, 0.5, [0.0, 0.3], 0.5, 0.2),            # student label noise
    (0.3, 0.7, 0.2, [0.05, 2.0], 0.0, 0.0),           # noiseless teacher
]


@pytest.mark.parametrize("gamma_t, gamma_s, lam_t, lam_s, sigma2, sigma2_s", CASES)
def test_simulation_agrees_with_theory(gamma_t, gamma_s, lam_t, lam_s, sigma2, sigma2_s):
    d = 200
    sim = simulate_ridge(d=d, gamma_t=gamma_t, gamma_s=gamma_s, lam_t=lam_t, lam_s=lam_s,
                         sigma2=sigma2, sigma2_s=sigma2_s, reps=12, seed=11)
    teacher = float(evaluate("ridge.teacher_risk", lam_t=lam_t, gamma_t=gamma_t, sigma2=sigma2))
    allowance = 4 * (1 + teacher) / d
    assert abs(sim.teacher_mean[0] - teacher) <= 4 * sim.teacher_se[0] + allowance
    for k, ls in enumerate(lam_s):
        student = float(evaluate("ridge.student_risk", lam_t=lam_t, gamma_t=gamma_t,
                                 sigma2=sigma2, lam_s=ls, gamma_s=gamma_s, sigma2_s=sigma2_s))
        assert abs(sim.student_mean[0, k] - student) <= \
            4 * sim.student_se[0, k] + 4 * (1 + student) / d
    for name, values in (("ridge.overlap_A", sim.overlap_A), ("ridge.overlap_B", sim.overlap_B)):
        params = dict(lam_t=lam_t, gamma_t=gamma_t) if name.endswith("A") else \
            dict(lam_t=lam_t, gamma_t=gamma_t, sigma2=sigma2)
        th = float(evaluate(name, params))
        se = values.std(axis=0, ddof=1)[0] / np.sqrt(values.shape[0])
        assert abs(values.mean(axis=0)[0] - th) <= 4 * se + 4 * (1 + th) / d


def test_min_norm_student_matches_its_formula_in_simulation():
    sim = simulate_ridge(d=200, gamma_t=0.5, gamma_s=2.5, lam_t=0.1, lam_s=0.0, sigma2=1.0,
                         reps=12, seed=3)
    x = sim.student[:, 0, 0] - (sim.teacher[:, 0] / 2.5 + (1 - 1 / 2.5))
    assert abs(x.mean()) <= 4 * x.std(ddof=1) / np.sqrt(len(x)) + 0.02


def test_finite_size_bias_is_the_exact_inverse_wishart_mean_and_shrinks_like_1_over_d():
    """Ridgeless teacher, gamma_t = 1/2: E L = sigma2 d / (n - d - 1) at finite d (literature)."""
    data = convergence_data([16, 32, 64], reps_per_d=64, seed=5)
    d, gap, se = data.T
    exact = d / (2 * d - d - 1) - 1.0
    assert np.all(np.abs(gap - exact) <= 4 * se)
    slope = np.polyfit(np.log(d), np.log(np.abs(gap)), 1, w=np.abs(gap) / se)[0]
    assert -1.6 < slope < -0.5


@pytest.mark.parametrize("lam_s", [[0.0, 0.5], 0.5])  # the eigendecomposition and the solve
def test_same_seed_is_bit_identical_whatever_the_number_of_workers(lam_s):
    """d = 300 is large enough for OpenBLAS's thread count to change the last bits: every
    repetition runs with one BLAS thread, in the serial path and in the workers."""
    kw = dict(d=300, gamma_t=0.5, gamma_s=2.0, lam_t=[0.0, 0.1], lam_s=lam_s, sigma2=1.0,
              reps=4, seed=42)
    one, two = simulate_ridge(**kw, n_jobs=1), simulate_ridge(**kw, n_jobs=2)
    assert np.array_equal(one.student, two.student) and np.array_equal(one.teacher, two.teacher)
    other = simulate_ridge(**{**kw, "seed": 43})
    assert not np.array_equal(one.student, other.student)
    wkw = dict(d=300, gamma_t=0.5, gamma_s=2.0, lam_t=0.1, lam_s=lam_s, sigma2=1.0, zeta=0.7,
               s=3.0, reps=4, seed=42)
    w1, w2 = simulate_weighted_ridge(**wkw, n_jobs=1), simulate_weighted_ridge(**wkw, n_jobs=2)
    assert np.array_equal(w1.student, w2.student)


@pytest.mark.parametrize("gamma_s", [0.5, 2.0])
def test_grid_equals_separate_fits(gamma_s):
    """A grid (one eigendecomposition) and single values (a linear solve when lam > 0) agree."""
    kw = dict(d=50, gamma_t=0.5, gamma_s=gamma_s, sigma2=1.0, reps=3, seed=1)
    grid = simulate_ridge(lam_t=[0.1, 1.0], lam_s=[0.0, 0.2, 2.0], **kw)
    for j, lt in enumerate([0.1, 1.0]):
        assert np.allclose(grid.teacher[:, j], simulate_ridge(lam_t=lt, lam_s=0.2, **kw)
                           .teacher[:, 0], rtol=1e-11)
        for k, ls in enumerate([0.0, 0.2, 2.0]):
            single = simulate_ridge(lam_t=lt, lam_s=ls, **kw)
            assert np.allclose(grid.student[:, j, k], single.student[:, 0, 0], rtol=1e-11)


def test_estimators_are_the_textbook_ridge_solutions():
    """ridge_path against a direct solve of (X^T X / n + lam I) b = X^T y / n and, at lam = 0,
    against the pseudo-inverse: n >= d and n < d (tridiagonal path), a rank-deficient X (n >= d but
    rank 10 < d: the eigendecomposition fallback), and a single lam (Cholesky)."""
    from numerics.simulate import ridge_path

    rng = np.random.default_rng(0)
    low_rank = rng.standard_normal((30, 10)) @ rng.standard_normal((10, 20))
    cases = [(rng.standard_normal((30, 20)), np.array([0.0, 0.3, 5.0])),
             (rng.standard_normal((12, 20)), np.array([0.0, 0.3, 5.0])),
             (low_rank, np.array([0.0, 0.3, 5.0])),
             (rng.standard_normal((30, 20)), np.array([0.3])),
             (rng.standard_normal((12, 20)), np.array([0.3]))]
    for X, lams in cases:
        (n, d), Y = X.shape, rng.standard_normal((X.shape[0], 2))
        paths = ridge_path(X, Y, lams)
        assert np.isfinite(paths).all()
        for j in range(2):
            for k, lam in enumerate(lams):
                if lam == 0:
                    expected = np.linalg.pinv(X) @ Y[:, j]  # least squares / minimum norm
                else:
                    expected = np.linalg.solve(X.T @ X / n + lam * np.eye(d), X.T @ Y[:, j] / n)
                assert np.allclose(paths[j, k], expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("n, d, s", [(60, 30, 0.0), (60, 30, 3.0), (20, 30, 3.0), (60, 30, 1e20),
                                     (20, 30, 1e20), (20, 30, 1e300)])
def test_weighted_ridge_student_is_the_penalised_solution(n, d, s):
    """The Sherman-Morrison student against a direct solve of ``(S + lam Omega) b = S b_t`` (and,
    at lam = 0 with n < d, the minimum-Omega-norm interpolator ``Omega^-1 X^T (X Omega^-1
    X^T)^-1 X b_t``), for every s: at s = 1e20 and 1e300, c = s/(1 + s) is 1 in float64, where
    the old reparametrisation gave NaN."""
    from numerics.simulate import weighted_ridge_repetition

    rng = np.random.default_rng(7)
    lams = np.array([0.0, 0.2, 2.0])
    out = weighted_ridge_repetition(np.random.default_rng(3), d, 0.5, d / n, np.array([0.3]),
                                    lams, 1.0, 1.0, 0.6, s)
    assert np.all(np.isfinite(out[1]))
    # replay the repetition's draws to get its data, then solve directly
    rng = np.random.default_rng(3)
    g = rng.standard_normal(d)
    beta = g / np.linalg.norm(g)
    other = rng.standard_normal(d)
    other -= (other @ beta) * beta
    theta = 0.6 * beta + 0.8 * other / np.linalg.norm(other)
    X_t = rng.standard_normal((2 * d, d))
    y = X_t @ beta + rng.standard_normal(2 * d)
    b_t = np.linalg.solve(X_t.T @ X_t / (2 * d) + 0.3 * np.eye(d), X_t.T @ y / (2 * d))
    X = rng.standard_normal((n, d))
    S, c = X.T @ X / n, s / (1 + s)
    for k, lam in enumerate(lams):
        if lam > 0:
            b = np.linalg.solve(S + lam * (np.eye(d) - c * np.outer(theta, theta)), S @ b_t)
        elif n >= d:
            b = b_t
        elif s < 1e12:
            inverse = np.eye(d) + s * np.outer(theta, theta)
            b = inverse @ X.T @ np.linalg.solve(X @ inverse @ X.T, X @ b_t)
        else:
            continue  # the direct formula itself is ill-conditioned there
        assert out[1][0, k] == pytest.approx(((b - beta) ** 2).sum(), rel=1e-9)


def test_weighted_ridge_with_a_huge_spike_is_finite_and_continuous():
    kw = dict(d=80, gamma_t=0.5, gamma_s=2.0, lam_t=0.1, lam_s=[0.0, 0.3], sigma2=1.0, zeta=0.5,
              reps=3, seed=2)
    large = simulate_weighted_ridge(s=1e16, **kw)
    for huge in (1e300, np.finfo(float).max):
        sim = simulate_weighted_ridge(s=huge, **kw)
        assert np.all(np.isfinite(sim.student))
        assert np.allclose(sim.student, large.student, rtol=1e-12)


def test_memory_guard_states_the_limit_and_how_to_raise_it(monkeypatch):
    kw = dict(gamma_t=0.5, gamma_s=0.5, lam_t=0.1, lam_s=0.1, sigma2=1.0, reps=2)
    with pytest.raises(SimulationError, match=r"d = 100000 .* about 720 GB.*limit of 4 GB.*"
                                              r"W2S_MAX_MEMORY_GB"):
        simulate_ridge(d=100000, **kw)
    monkeypatch.setenv("W2S_MAX_MEMORY_GB", "0.001")  # 1 MB: d = 200 needs about 2.6 MB
    with pytest.raises(SimulationError, match="limit of 0.001 GB"):
        simulate_ridge(d=200, **kw)
    monkeypatch.setenv("W2S_MAX_MEMORY_GB", "0.01")
    assert simulate_ridge(d=200, **kw).student.shape == (2, 1, 1)
    monkeypatch.setenv("W2S_MAX_MEMORY_GB", "lots")
    with pytest.raises(SimulationError, match="W2S_MAX_MEMORY_GB must be a positive number"):
        simulate_ridge(d=20, **kw)


@pytest.mark.parametrize("kwargs, message", [
    (dict(d=0), "d must be an integer >= 2"),
    (dict(d=10.5), "d must be an integer >= 2"),
    (dict(reps=1), "reps must be an integer >= 2"),
    (dict(gamma_t=-1.0), "gamma_t must be in (0, inf)"),
    (dict(lam_s=[0.1, -0.2]), "lam_s must be in [0, inf)"),
    (dict(sigma2=float("nan")), "sigma2 must be a finite number"),
    (dict(n_jobs=0), "n_jobs must be an integer >= 1"),
    (dict(gamma_s=1e-300), "gamma_s = 1e-300 asks for"),
])
def test_bad_input(kwargs, message):
    base = dict(d=20, gamma_t=0.5, gamma_s=0.5, lam_t=0.1, lam_s=0.1, sigma2=1.0, reps=3)
    with pytest.raises(SimulationError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[")):
        simulate_ridge(**{**base, **kwargs})


def test_simulators_never_import_the_theory():
    """Every simulator module imports NumPy, SciPy's linear algebra, joblib, threadpoolctl, the
    standard library and its siblings only."""
    import ast
    import pathlib
    import sys

    import numerics.simulate as package

    modules = sorted(pathlib.Path(package.__file__).parent.glob("*.py"))
    assert len(modules) >= 4
    for path in modules:
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
        allowed = {"numpy", "scipy.linalg", "joblib", "threadpoolctl"} | set(sys.stdlib_module_names)
        foreign = {m for m in imported
                   if m.split(".")[0] not in allowed and not m.startswith("scipy.linalg") and not m.startswith("numerics.simulate")}
        assert not foreign, (path.name, foreign)
