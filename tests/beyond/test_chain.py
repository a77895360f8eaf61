"""The chain mechanism: its level functionals, its recursion against simulation, its claims'
mutants (each refuted by the verifier) and its plug-in form."""

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
