"""The chain mechanism: its level functionals, its recursion against simulation, its claims'
mutants (each refuted by the verifier) and its plug-in form."""

import re

import mpmath
import numpy as np
import pytest
import sympy

import numerics
import theory
from numerics.chain_functions import FUNCTIONS
from numerics.simulate.chain import simulate_chain
from proofs_check import check
from proofs_check.mechanisms.chain import simulation
from theory import chain as ch
from theory.claims import claim


def _values(name, point):
    q = theory.get(name)
    return float(numerics.evaluate(name, {p.name: point[p.name] for p in q.parameters
                                          if p.name in point}))


@pytest.mark.parametrize("lam, gamma", [(0.0, 0.5), (0.0, 2.0), (1e-9, 3.0), (0.3, 1.0),
                                        (5.0, 0.2), (1e4, 7.0)])
def test_level_functionals_match_the_mp_primitives(lam, gamma):
    """The kappa forms of u, v, w, q against the MP quantities evaluated by the primitives
    (at lam = 0 the primitives' own limits), at 40 digits."""
    ctx = mpmath.MPContext()
    ctx.dps = 40
    f = FUNCTIONS.mpmath(ctx)
    point = {"lam": sympy.Rational(str(lam)), "gamma": sympy.Rational(str(gamma))}
    u = numerics.evaluate("mp.shrinkage_u", point, dps=40)
    v = numerics.evaluate("mp.shrinkage_v", point, dps=40)
    w = numerics.evaluate("mp.shrinkage_w", point, dps=40)
    args = (ctx.mpf(str(lam)), ctx.mpf(str(gamma)))
    for got, want in ((f["ChainU"](*args), u), (f["ChainV"](*args), v), (f["ChainW"](*args), w),
                      (f["ChainQ"](*args), 1 - 2 * u + v)):
        assert abs(got - want) <= 1e-30 * (1 + abs(want))
    numpy = FUNCTIONS.numpy["ChainQ"](np.array([lam]), np.array([gamma]))[0]
    assert abs(numpy - float(1 - 2 * u + v)) <= 1e-12 * (1 + float(1 - 2 * u + v))


def test_population_functionals_are_closed_forms():
    lam = sympy.Symbol("lam", positive=True)
    assert ch.ChainU(lam, 0) == lam / (1 + lam)
    assert sympy.simplify(ch.ChainQ(lam, 0) - 1 / (1 + lam) ** 2) == 0


#: The simulated table of the theory page (d = 400, 40 repetitions), its recursion column.
PAGE = {"lam_t": 0.01, "gamma_t": 0.5, "sigma2": 1.0, "r2": 1.0, "lam_1": 0.3, "gamma_1": 2.0,
        "lam_2": 0.5, "gamma_2": 0.5, "lam_3": 0.2, "gamma_3": 1.5}


def test_recursion_reproduces_the_theory_page_table():
    got = [_values("ridge.teacher_risk", PAGE)] + [_values(f"chain.risk_{k}", PAGE)
                                                    for k in (1, 2, 3)]
    assert np.allclose(got, [0.9273, 0.8376, 0.7760, 0.8616], atol=6e-5)


def test_chain_of_four_against_simulation():
    """Every level's risk and overlaps against the simulator (which imports no formula)."""
    raw = {k: str(v) for k, v in PAGE.items()} | {"lam_4": "1", "gamma_4": "0.8"}
    result = simulation(raw, d=300, reps=12, seed=3)
    assert len(result.rows) == 13 and result.agree, result.rows


_LEVELS4 = {k: str(v) for k, v in PAGE.items()} | {"lam_4": "1", "gamma_4": "0.8"}


def _first(k):
    return {n: v for n, v in _LEVELS4.items()
            if not re.search(r"_\d$", n) or int(n[-1]) <= k}


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_chains_of_one_to_four_with_an_aligned_last_level_at_d400(k):
    """The issue's done-when at d = 400 for every length 1..4: each ridge level's risk and
    overlaps and the aligned last level's risk (mechanism 2's student of level k - 1) agree
    with the recursion within the Monte Carlo rule."""
    result = simulation(_first(k) | {"zeta": "0.8", "s": "5"}, d=400, reps=12, seed=10 + k)
    assert result.rows[-1]["quantity"] == f"chain.aligned_risk_{k}"
    assert len(result.rows) == 3 * k - 1 and result.agree, result.rows


def test_weighted_levels_in_the_middle_of_a_chain_against_simulation():
    """Weighted-ridge levels at positions 1, 3 and 4 (one shared direction), d = 400: every
    level's risk against the SymPy-derived recursion."""
    raw = _LEVELS4 | {"zeta": "0.7", "s_1": "3", "s_3": "20", "s_4": "1"}
    result = simulation(raw, d=400, reps=12, seed=5)
    assert [r["quantity"] for r in result.rows][1:] == [f"chain.weighted_risk_{j}"
                                                        for j in (1, 2, 3, 4)]
    assert result.agree, result.rows
    ridge = _values("chain.risk_1", {k: float(v) for k, v in PAGE.items()})
    assert result.rows[1]["theory"] < ridge - 0.1            # the aligned level 1 helps


def test_weighted_recursion_reduces_to_the_ridge_chain_and_the_aligned_last_level():
    """Two independent formulas at a point, k = 1..4: the weighted recursion with no spike is
    the ridge recursion; with only the last spike it is mechanism 2's closed form applied to
    level k - 1 (chain.aligned_risk_k)."""
    point = {k: float(v) for k, v in _LEVELS4.items()} | {"zeta": 0.6}
    for k in range(1, 5):
        none = point | {f"s_{j}": 0.0 for j in range(1, k + 1)}
        last = none | {f"s_{k}": 7.0}
        assert _values(f"chain.weighted_risk_{k}", none) == pytest.approx(
            _values(f"chain.risk_{k}", point), rel=1e-12)
        assert _values(f"chain.weighted_risk_{k}", last) == pytest.approx(
            _values(f"chain.aligned_risk_{k}", point | {"s": 7.0}), rel=1e-12)


def test_a_population_weighted_level_is_the_exact_penalised_solution():
    """At gamma_j = 0 the level is deterministic, b' = (I + lam (I - c theta theta^T))^{-1} b:
    the recursion's step against NumPy linear algebra on explicit vectors."""
    rng = np.random.default_rng(0)
    b, theta, beta = rng.standard_normal((3, 5))
    theta /= np.linalg.norm(theta)
    lam, s = 0.7, 3.0
    c = s / (1 + s)
    new = np.linalg.solve((1 + lam) * np.eye(5) - lam * c * np.outer(theta, theta), b)
    r2, zr = beta @ beta, theta @ beta
    zeta = zr / np.sqrt(r2)
    state = (((b - beta) ** 2).sum(), b @ beta, b @ b, b @ theta)
    sub = {ch.lams[0]: sympy.Rational(7, 10), ch.gammas[0]: 0, ch.spikes[0]: 3,
           ch.noises[0]: 0, ch.r2: sympy.Float(r2, 30),
           theory.symbol("zeta"): sympy.Float(zeta, 30)}
    (L, A, B, t), _ = ch.weighted_step(tuple(sympy.Float(x, 30) for x in state), 1)
    got = [float(x.xreplace(sub).evalf(30)) for x in (L, A, B, t)]
    want = [((new - beta) ** 2).sum(), new @ beta, new @ new, new @ theta]
    assert np.allclose(got, want, rtol=1e-12)


def test_ridgeless_level_with_more_samples_than_dimensions_copies_its_teacher():
    r = simulate_chain(d=120, lam_t=0.2, gamma_t=0.5, sigma2=1.0, levels=[(0.0, 0.5)] * 2,
                       reps=3, seed=0)
    assert np.allclose(r.risk[:, 2], r.risk[:, 0], atol=1e-9)
    assert np.allclose(r.misfit[:, 1:], 0, atol=1e-12)


def test_long_uniform_chain_approaches_the_population_floor():
    """The best uniform chain's risk decreases in k towards r2 - A^2/B (gamma_c < 1), as the
    long-chain derivation says; at k = 1024 within 1e-3 of it."""
    from scipy.optimize import minimize_scalar

    T = {"lam_t": 0.01, "gamma_t": 0.5, "sigma2": 1.0}
    risk = numerics.vectorize("chain.uniform_risk")
    floor = float(numerics.vectorize("chain.population_floor")(**T))
    best = []
    for k in (1, 4, 64, 1024):
        r = minimize_scalar(lambda x: float(risk(**T, levels=k, lam_c=np.exp(x), gamma_c=0.5)),
                            bounds=(-12, 3), method="bounded", options={"xatol": 1e-8})
        best.append(r.fun)
    assert all(a > b for a, b in zip(best, best[1:]))
    assert floor < best[-1] < floor + 1e-3


def test_simulate_errors_name_the_parameter():
    from numerics import ParameterError
    from numerics.simulate import SimulationError

    with pytest.raises(ParameterError, match="lam_1"):
        simulation({"lam_t": "0.1", "gamma_t": "0.5", "sigma2": "1"}, d=50, reps=2, seed=0)
    with pytest.raises(ParameterError, match="gamma_1"):
        simulation({"lam_t": "0.1", "gamma_t": "0.5", "sigma2": "1", "lam_1": "1"}, d=50,
                   reps=2, seed=0)
    with pytest.raises(SimulationError, match="gamma_1"):
        simulate_chain(d=50, lam_t=0.1, gamma_t=0.5, sigma2=1.0, levels=[(0.1, -1.0)], reps=2)


def _mutants():
    L4, Lt, A, B = ch.risk(4), ch.teacher_L, ch.teacher_A, ch.teacher_B
    yield "inequality flipped", claim("chain.over_regularised_teacher_never_beaten").replace(
        margin=Lt - L4)
    yield "floor raised to the teacher's risk", claim("chain.population_floor").replace(
        margin=L4 - Lt)
    yield "floor without its square", claim("chain.uniform_chain_floor").replace(
        margin=ch.uniform_risk - (1 - A / B * A / 2))
    big = 1 + ch.lams[0] + ch.lams[1]
    yield "regularisations added", claim("chain.population_chain_is_one_student").replace(
        margin=ch.risk(2).xreplace({ch.gammas[0]: 0, ch.gammas[1]: 0})
        - (1 - 2 * A / big + B / big**2))
    aligned = claim("chain.first_aligned_level_is_weighted_student")
    yield "aligned level off by 1%", aligned.replace(
        margin=aligned.margin + aligned.conclusion.rhs / 100)
    floor = claim("chain.aligned_floor")
    yield "aligned chains above the ridge floor", floor.replace(
        margin=ch.weighted_state(4)[0] - ch.population_floor)
    original = claim("chain.first_level_is_ridge_student")
    yield "student's lam doubled", original.replace(
        margin=original.margin.xreplace({ch.lams[0]: 2 * ch.lams[0]})
        + (original.conclusion.lhs - original.conclusion.lhs.xreplace({ch.lams[0]: 2 * ch.lams[0]})))


@pytest.mark.parametrize("label, mutant", list(_mutants()), ids=[m[0] for m in _mutants()])
def test_each_mutant_is_refuted(label, mutant):
    report = check(mutant, routes=("sampled",), examples=100)
    assert report.route("sampled").status == "refuted", (label, report.route("sampled").detail)


def test_the_chain_plugs_in_without_naming_it_in_an_engine():
    from theory.catalogue import catalogue

    m = catalogue()["chain"]
    assert m.facet("plans") and m.facet("simulation") and m.facet("functions")
    assert "chain.risk_4" in theory.names() and "chain.population_floor" in theory.names()
