"""The seed-003 simulator (numpy only) against the theory (pretraining.md sec. 3, V1, V4, V7, V8).

Finite size: the BBP overlap fluctuates in a ``d^(-1/3)`` window and SGD noise is ``O(d^(-1/2))``;
tolerances are a few standard errors plus an explicit finite-``d`` allowance, named in each test.
"""

import math

import mpmath
import numpy as np
import pytest

from numerics import evaluate
from numerics.simulate import SimulationError, sgd_chain, simulate_single_index
from numerics.simulate.single_index import Links
from numerics.single_index import gd_trajectory, sgd_ode

SET_D = dict(spike=1.0, eta1=0.45, rho_w=0.9, c3=1.0, b1=0.5, b3=1.0)
LINKS_D = {"c3": 1, "b1": "1/2", "b3": 1}


def test_population_gd_follows_the_exact_reduced_map():
    # simulator: Riemannian gradient in R^d with E[s t] by quadrature of the defining expectation;
    # theory: the closed-form map F14 with G = -psi' (F11). Deterministic given (q0, m0).
    sim = simulate_single_index(d=120, gamma_u=0.25, algorithm="gd", eta=0.1, steps=12, reps=2,
                                seed=3, **SET_D)
    for rep in range(2):
        q0, m0 = (mpmath.nstr(mpmath.mpf(float(x)), 20) for x in (sim.q[rep, 0], sim.m[rep, 0]))
        traj = gd_trajectory({"eta": "0.1", "rho_w": "0.9", **LINKS_D}, 12, q0, m0, dps=20)
        assert np.allclose(sim.q[rep], [float(t[0]) for t in traj], atol=1e-9)
        assert np.allclose(sim.m[rep], [float(t[1]) for t in traj], atol=1e-9)
        assert np.allclose(sim.risk[rep], [float(t[2]) for t in traj], atol=1e-9)


def test_saturation_and_pgr_of_population_gd():
    sim = simulate_single_index(d=60, gamma_u=0.25, algorithm="gd", eta=0.1, steps=300,
                                record=300, reps=1, seed=0, **SET_D)
    assert sim.weak_risk == pytest.approx(0.792, rel=1e-10)  # quadrature vs F12's psi(rho_w)
    assert sim.risk[0, -1] == pytest.approx(0.542, rel=1e-8)  # phi(rho_w)
    assert sim.pgr[0, -1] == pytest.approx(0.3156565657, rel=1e-7)


def test_random_initialisation_stays_stuck():
    # F18: k* = 3, q0 ~ d^(-1/2): after T = 2 time units GD has not left the equator, while the
    # spectral start of set D reaches q = 0.9998 in 10 steps (Claim 5 anchors)
    sim = simulate_single_index(d=20000, gamma_u=1.0, init="random", algorithm="gd", eta=0.1,
                                steps=20, record=20, reps=3, seed=1, **SET_D)
    assert np.all(np.abs(sim.q[:, -1]) < 0.05)
    assert np.allclose(sim.risk[:, -1], 2.0, atol=1e-3)  # phi(0)
    assert np.allclose(sim.pgr[:, -1], -1.525252525, atol=2e-3)


@pytest.mark.slow
def test_pca_initialisation_matches_bbp_and_f4():
    d, reps = 400, 4
    sim = simulate_single_index(d=d, gamma_u=0.25, algorithm="gd", steps=0, reps=reps, seed=5,
                                **SET_D)
    se = lambda x: x.std(ddof=1) / math.sqrt(len(x))
    finite = 0.03  # allowance for the d = 400 BBP bias (the page: 0.6096 (0.0043) at d = 1000)
    for sim_values, theory in [(sim.overlap2, 0.6), (sim.top_eigenvalue, 2.5),
                               (sim.q[:, 0], 0.3137116510), (sim.m[:, 0], 0.3485685012)]:
        assert abs(sim_values.mean() - theory) <= 4 * se(sim_values) + finite, \
            (sim_values.mean(), se(sim_values), theory)
    assert np.all(sim.q[:, 0] > 0)  # the sign rule picks <x0, w> > 0


@pytest.mark.slow
def test_large_batch_gd_saturates_where_the_f19_map_does():
    # V4: the S(q)/beta_B term of F19 holds the saturation below q = 1 (population GD: q -> 1).
    # The transient is noisy at small d (the map is the d -> oo limit); the plateau is sharp.
    d, beta_B, steps = 200, 10, 80
    sim = simulate_single_index(d=d, gamma_u=0.25, algorithm="mb", eta=0.05, steps=steps,
                                beta_B=beta_B, reps=2, seed=2, **SET_D)
    window = slice(50, steps + 1)
    plateau = sim.q[:, window].mean(1)
    traj = gd_trajectory({"eta": "0.05", "rho_w": "0.9", **LINKS_D}, steps,
                         repr(float(sim.q[0, 0])), repr(float(sim.m[0, 0])), dps=20,
                         beta_B=beta_B)
    predicted = float(traj[-1][0])
    assert predicted == pytest.approx(0.99538, abs=2e-4)  # the page: pred .9954 at beta_B = 10
    spread = sim.q[:, window].std()  # stationary fluctuation, of order 1/sqrt(d B)
    assert np.all(np.abs(plateau - predicted) <= 4 * spread + 5e-4), (plateau, predicted, spread)
    assert np.all(1 - plateau > 0.003)  # far from the population fixed point q = 1
    ratio = sim.m[:, window].mean(1) / plateau
    assert np.allclose(ratio, 0.9, atol=3e-3)  # F16: m*/q* = rho_w


@pytest.mark.slow
def test_online_sgd_chain_follows_the_ode():
    d, reps, tau = 1000, 8, 40.0
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(11).spawn(reps)]
    L = Links((0, 0, 1, 0), (0.5, 0, 1, 0))
    w_perp = (0.3137116510 - 0.9 * 0.3485685012) / math.sqrt(1 - 0.81)
    q, m = sgd_chain(rngs, np.array([[0.3485685012, w_perp]] * reps), d, 0.9, L, 0.005, tau, tau)
    taus, qo, mo = sgd_ode({"delta": 0.005, "rho_w": 0.9, **{k: float(eval(str(v)))
                                                             for k, v in LINKS_D.items()}},
                           0.3137116510, 0.3485685012, tau, dtau=0.5)
    for sim, ode in [(q[:, -1], qo[-1]), (m[:, -1], mo[-1])]:
        se = sim.std(ddof=1) / math.sqrt(reps)
        assert abs(sim.mean() - ode) <= 4 * se + 3 / math.sqrt(d), (sim.mean(), se, ode)


@pytest.mark.slow
def test_online_sgd_is_bistable_around_q_c():
    # F21 at delta = 0.012: q_c = 0.397, q* = 0.987; starts 0.15 either side, m0 = q0/rho_w
    delta = 0.012
    q_c = float(evaluate("single_index.sgd_basin_boundary", LINKS_D, delta=str(delta)))
    q_star = float(evaluate("single_index.sgd_stable_point", LINKS_D, delta=str(delta)))
    d, reps, tau = 500, 6, 150.0
    L = Links((0, 0, 1, 0), (0.5, 0, 1, 0))
    ends = {}
    for side, q0 in (("above", q_c + 0.15), ("below", q_c - 0.15)):
        m0 = q0 / 0.9
        w_perp = (q0 - 0.9 * m0) / math.sqrt(1 - 0.81)
        rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(7).spawn(reps)]
        ends[side] = sgd_chain(rngs, np.array([[m0, w_perp]] * reps), d, 0.9, L, delta, tau,
                               tau)[0][:, -1]
    # at d = 500 the transition is metastable (V8): compare medians, not every run
    assert np.median(np.abs(ends["above"] - q_star)) < 0.02
    assert np.median(np.abs(ends["below"])) < 0.1
    assert (ends["above"] > q_c).sum() >= reps - 1 and (ends["below"] < q_c).sum() >= reps - 1


@pytest.mark.parametrize("kwargs, word", [({"rho_w": 0.0}, "rho_w"), ({"eta1": 1.5}, "eta1"),
                                          ({"algorithm": "adam"}, "algorithm"),
                                          ({"gamma_u": -1.0}, "gamma_u")])
def test_bad_input_names_the_parameter(kwargs, word):
    with pytest.raises(SimulationError, match=word):
        simulate_single_index(d=20, **{**dict(gamma_u=1.0, **SET_D), **kwargs})


def test_sweep_over_the_pretraining_budget_resumes(tmp_path):
    from numerics.sweep import read_rows, run_sweep

    grid = {"gamma_u": [0.5, 1.0], "spike": [1.0], "eta1": [0.45], "rho_w": [0.9], "c3": [1.0],
            "b1": [0.5], "b3": [1.0], "delta": [0.005], "alpha": [1.0]}
    db = tmp_path / "pt.sqlite"
    first = run_sweep("single_index", grid, d=40, reps=2, seed=0, db=db)
    again = run_sweep("single_index", grid, d=40, reps=2, seed=0, db=db)
    assert (first.done, again.done, again.skipped) == (2, 0, 2)
    rows = read_rows(db)
    assert all(r["weak_risk_theory"] == pytest.approx(0.792) for r in rows)
    predicted = sorted(r["final_risk_theory"] for r in rows)  # above / below n_u*/d = 1.362
    assert predicted == pytest.approx([0.5585334962, 2.0], rel=1e-8)


def test_cli_simulate_single_index(capsys):
    from proofs_check.cli import run

    code = run(["simulate", "single_index", "spike=1", "gamma_u=0.25", "eta1=0.45", "rho_w=0.9",
                "c3=1", "b1=0.5", "b3=1", "steps=5", "--d", "60", "--reps", "2", "--json"])
    out = capsys.readouterr().out
    assert code in (0, 1) and '"spectral.overlap2"' in out
    assert run(["simulate", "single_index", "spike=1", "gamma_u=1", "eta1=0.45", "rho_w=0",
                "--d", "20"]) == 2
    assert "rho_w must be in (0, 1]" in capsys.readouterr().err


def test_gd_trajectory_is_that_of_the_quadrature_rebuilt_every_step():
    """The GD loop reuses its quadrature grid and ``f``, ``f'`` on it; the trajectory is bit for
    bit that of the plain loop rebuilding the grid and the series at every step."""
    from numpy.polynomial.hermite_e import hermeder, hermegauss, hermeval

    from numerics.simulate.single_index import _frame, _gd, _random_direction

    c, b = (0.3, 0.2, 1.0, -0.1), (0.5, 0.0, 1.0, 0.2)

    def series(a):
        return np.array([0.0] + [v / math.sqrt(math.factorial(j)) for j, v in enumerate(a, 1)])

    def coefficient(q):  # every step from scratch
        nodes, weights = hermegauss(48)
        weights = weights / math.sqrt(2 * math.pi)
        u, t = np.meshgrid(nodes, nodes, indexing="ij")
        q = np.asarray(q, float)[..., None, None]
        zw = q * u + np.sqrt(np.clip(1 - q**2, 0, None)) * t
        s = 2 * (hermeval(zw, series(b)) - hermeval(u, series(c))) * hermeval(
            u, hermeder(series(c)))
        return (np.outer(weights, weights) * s * t).sum((-1, -2))

    v0, w, _ = _frame(50, 0.45, 0.9, 0.0)
    x = x0 = _random_direction(np.random.default_rng(3), 50)
    qs = [x @ w]
    for _ in range(40):
        q = float(x @ w)
        e = w - q * x
        x = x + 0.2 * float(coefficient(q)) * e / np.linalg.norm(e)
        x /= np.linalg.norm(x)
        qs.append(float(x @ w))
    ours, _ = _gd(x0, w, v0, Links(c, b), 0.2, 40, 1)
    assert np.array_equal(ours, np.array(qs))
