"""Chains of teachers: the comparison of ``w2s simulate chain`` and the Monte Carlo plans.

The simulator (:func:`numerics.simulate.chain.simulate_chain`) fits the actual estimators and
imports no formula of the theory; the plans subtract no formula either (the floor
``r2 - A^2/B`` is computed from the *simulated* teacher overlaps, repetition by repetition).

Examples
--------
>>> from proofs_check.mechanisms.chain import simulation
>>> result = simulation({"lam_t": "0.01", "gamma_t": "0.5", "sigma2": "1", "lam_1": "0.3",
...                      "gamma_1": "2"}, d=100, reps=4, seed=0)
>>> [r["quantity"] for r in result.rows]
['ridge.teacher_risk', 'chain.risk_1', 'chain.overlap_A_1', 'chain.overlap_B_1']
"""

from __future__ import annotations

import numpy as np

import numerics
import theory
from numerics import ParameterError
from numerics.simulate.chain import simulate_chain
from numerics.simulate.common import to_float64
from proofs_check.mechanisms import population
from proofs_check.montecarlo import Estimate, Plan, agree
from proofs_check.result import Comparison

__all__ = ["simulation", "PLANS", "chain_length"]

#: Longest chain ``w2s simulate chain`` takes (the levels with their own parameters).
MAX_LEVELS = 4


def chain_length(raw: dict) -> int:
    """The number ``k`` of student levels given (``lam_j`` or ``gamma_j`` for ``j = 1..k``).

    Examples
    --------
    >>> from proofs_check.mechanisms.chain import chain_length
    >>> chain_length({"lam_1": "0.1", "gamma_1": "1", "lam_2": "0", "gamma_2": "0.5"})
    2
    """
    k = 0
    while k < MAX_LEVELS and (f"lam_{k + 1}" in raw or f"gamma_{k + 1}" in raw):
        k += 1
    if k == 0:
        raise ParameterError("chain: give at least one student level, lam_1 >= 0 and "
                             "gamma_1 > 0 (levels j = 1..4, in order)")
    return k


def _value(name: str, values: dict) -> float:
    q = theory.get(name)
    return float(numerics.evaluate(name, {p.name: values[p.name] for p in q.parameters}))


def simulation(raw: dict, d: int, reps: int, seed: int, jobs: int = 1) -> Comparison:
    """Simulate the teacher and its chain of ``k`` students at ``raw`` (parameter name ->
    text) and compare each level's risk and overlaps with the recursion.

    ``zeta`` with ``s`` makes the last level an aligned student (``chain.aligned_risk_k``);
    ``zeta`` with per-level spikes ``s_j`` makes any level a weighted-ridge student
    (``chain.weighted_risk_j``, every level's risk compared)."""
    k = chain_length(raw)
    weighted = any(f"s_{j}" in raw for j in range(1, MAX_LEVELS + 1))
    aligned = not weighted and ("zeta" in raw or "s" in raw)
    if weighted and "s" in raw:
        raise ParameterError("chain: give either s (an aligned last level) or per-level "
                             "spikes s_1..s_k, not both")
    if weighted:
        last = f"chain.weighted_risk_{k}"
    else:
        last = f"chain.aligned_risk_{k}" if aligned else f"chain.risk_{k}"
    values = numerics.check_params(raw, [p.name for p in theory.get(last).parameters])
    floats = {name: to_float64(name, v) for name, v in values.items()}
    levels = [(floats[f"lam_{j}"], floats[f"gamma_{j}"], floats.get(f"sigma2_{j}", 0.0),
               floats.get(f"s_{j}", 0.0)) for j in range(1, k + 1)]
    sim = simulate_chain(d=d, lam_t=floats["lam_t"], gamma_t=floats["gamma_t"],
                         sigma2=floats["sigma2"], r2=floats["r2"], levels=levels,
                         zeta=floats.get("zeta") if aligned or weighted else None,
                         s=floats.get("s", 0.0), reps=reps, seed=seed, n_jobs=jobs)
    risk, risk_se = sim.mean_se(sim.risk)
    A, A_se = sim.mean_se(sim.overlap_A)
    B, B_se = sim.mean_se(sim.overlap_B)
    rows = [("ridge.teacher_risk", risk[0], risk_se[0])]
    for j in range(1, k + 1):
        if weighted:
            rows.append((f"chain.weighted_risk_{j}", risk[j], risk_se[j]))
            continue
        if aligned and j == k:
            rows.append((last, risk[j], risk_se[j]))
            continue
        rows += [(f"chain.risk_{j}", risk[j], risk_se[j]),
                 (f"chain.overlap_A_{j}", A[j], A_se[j]),
                 (f"chain.overlap_B_{j}", B[j], B_se[j])]
    out = []
    for name, mean, se in rows:
        th = _value(name, values)
        ok, n_se = agree(float(mean), float(se), th, d)
        out.append({"quantity": name, "simulation": float(mean), "standard_error": float(se),
                    "theory": th, "difference_in_se": n_se, "agree": ok})
    return Comparison("chain", out, floats)


# --- Monte Carlo plans ----------------------------------------------------------------------

def _run(point, d, reps, seed, k):
    levels = [(point[f"lam_{j}"], point[f"gamma_{j}"], point.get(f"sigma2_{j}", 0.0))
              for j in range(1, k + 1)]
    return simulate_chain(d=d, lam_t=point["lam_t"], gamma_t=point["gamma_t"],
                          sigma2=point["sigma2"], r2=point.get("r2", 1.0), levels=levels,
                          reps=reps, seed=seed)


def _beats_teacher(point, d, reps, seed):
    sim = _run(point, d, reps, seed, 4)
    return Estimate.of(sim.risk[:, 4] - sim.risk[:, 0])


def _floor(point, d, reps, seed):
    sim = _run(point, d, reps, seed, 4)
    r2 = point.get("r2", 1.0)
    floor = r2 - sim.overlap_A[:, 0] ** 2 / sim.overlap_B[:, 0]
    return Estimate.of(sim.risk[:, 4] - floor)


def _uniform_floor(point, d, reps, seed):
    k = int(round(min(point["levels"], 6)))  # a long chain costs k fits per repetition
    level = (point["lam_c"], point["gamma_c"])
    sim = simulate_chain(d=d, lam_t=point["lam_t"], gamma_t=point["gamma_t"],
                         sigma2=point["sigma2"], r2=point.get("r2", 1.0), levels=[level] * k,
                         reps=reps, seed=seed)
    r2 = point.get("r2", 1.0)
    return Estimate.of(sim.risk[:, k] - (r2 - sim.overlap_A[:, 0] ** 2 / sim.overlap_B[:, 0]))


def _aligned_floor(point, d, reps, seed):
    """Four levels with their spikes ``s_j``, one direction ``theta``; the floor from each
    simulated teacher's realised overlaps and alignment ``t = <theta, b_t>``."""
    levels = [(point[f"lam_{j}"], point[f"gamma_{j}"], point.get(f"sigma2_{j}", 0.0),
               point.get(f"s_{j}", 0.0)) for j in range(1, 5)]
    r2 = point.get("r2", 1.0)
    sim = simulate_chain(d=d, lam_t=point["lam_t"], gamma_t=point["gamma_t"],
                         sigma2=point["sigma2"], r2=r2, levels=levels, zeta=point["zeta"],
                         reps=reps, seed=seed)
    A, B, t = sim.overlap_A[:, 0], sim.overlap_B[:, 0], sim.alignment[:, 0]
    zr = point["zeta"] * np.sqrt(r2)
    floor = r2 - (A**2 - 2 * A * t * zr + B * zr**2) / (B - t**2)
    return Estimate.of(sim.risk[:, 4] - floor)


def _first_level(point, d, reps, seed):
    """Level 1 of the chain simulator against the ridge student simulator (independent draws:
    the difference of two means, its standard error from both)."""
    from numerics.simulate import simulate_ridge

    sim = _run(point, d, reps, seed, 1)
    ridge = simulate_ridge(d=d, gamma_t=point["gamma_t"], gamma_s=point["gamma_1"],
                           lam_t=point["lam_t"], lam_s=point["lam_1"], sigma2=point["sigma2"],
                           r2=point.get("r2", 1.0), reps=reps, seed=seed + 1)
    a, b = Estimate.of(sim.risk[:, 1]), Estimate.of(ridge.student[:, 0, 0])
    return Estimate(a.mean - b.mean, float(np.hypot(a.se, b.se)))


def _population_pair(point, d, reps, seed):
    """Two large-sample levels ``(lam_1, lam_2)`` against one ``(1 + lam_1)(1 + lam_2) - 1``,
    both on ``n = 50 d`` rows; the same seed gives both the same teacher and the same first
    level's inputs (paired)."""
    g = float(population.GAMMA)
    both = [(point["lam_1"], g, 0.0), (point["lam_2"], g, 0.0)]
    one = [((1 + point["lam_1"]) * (1 + point["lam_2"]) - 1, g, 0.0)]
    common = dict(d=d, lam_t=point["lam_t"], gamma_t=point["gamma_t"], sigma2=point["sigma2"],
                  r2=point.get("r2", 1.0), reps=reps, seed=seed)
    two_levels, one_level = simulate_chain(levels=both, **common), simulate_chain(levels=one,
                                                                                  **common)
    return Estimate.of(two_levels.risk[:, 2] - one_level.risk[:, 1])


def _pair_bias():
    import sympy

    from theory.ridge import student_risk
    from theory.symbols import gamma_s, lam_s, sigma2_s

    names = {s.name: s for s in theory.get("chain.risk_2").expr.free_symbols}
    finite = (theory.get("chain.risk_2").expr
              - student_risk.xreplace({lam_s: (1 + names["lam_1"]) * (1 + names["lam_2"]) - 1,
                                       sigma2_s: 0}))
    zero = {names["sigma2_1"]: sympy.S.Zero, names["sigma2_2"]: sympy.S.Zero}
    return population.PopulationBias(finite, (names["gamma_1"], names["gamma_2"], gamma_s),
                                      zero)


_LEVELS = ("paired differences of the simulated chain's risks; 2% of the quantity plus k/d for a "
           "chain of k levels (each level's fit carries the ridge gap's finite-size bias, 1/d)")

#: claim id -> Monte Carlo plan.
PLANS = {
    "chain.first_level_is_ridge_student": Plan(
        _first_level, per_d=1.0,
        note="level 1 of the chain against the ridge student simulator on independent draws; "
             "1/d (the ridge gap's finite-size bias)"),
    "chain.over_regularised_teacher_never_beaten": Plan(_beats_teacher, relative=0.02,
                                                        per_d=4.0, note=_LEVELS),
    "chain.population_floor": Plan(_floor, relative=0.02, per_d=4.0, note=_LEVELS),
    "chain.aligned_floor": Plan(_aligned_floor, relative=0.02, per_d=4.0, note=_LEVELS),
    "chain.uniform_chain_floor": Plan(_uniform_floor, relative=0.02, per_d=6.0, note=_LEVELS),
    "chain.population_chain_is_one_student": Plan(
        _population_pair, per_d=0.1, bias=_pair_bias(),
        note="two levels against one, each on n = 50 d rows (gamma = 1/50) for the population "
             "students, the same teacher; allowance gamma |f'(0)| + gamma^2 |f''(0)| of the "
             "finite-gamma difference f of the two risks (derived by SymPy), plus 0.1/d for the "
             "1/d part of that O(gamma) bias"),
}
