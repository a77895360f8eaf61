"""The weighted-ridge student: the comparison of ``w2s simulate weighted_ridge`` and the Monte
Carlo plans (simulated by :func:`numerics.simulate.simulate_weighted_ridge`, which imports no
formula of the theory).

Examples
--------
>>> from proofs_check.mechanisms.weighted_ridge import simulation
>>> result = simulation({"lam_t": "0.05", "lam_s": "0.3", "gamma_t": "0.5", "gamma_s": "0.5",
...                      "sigma2": "1", "zeta": "0.5", "s": "2"}, d=100, reps=4, seed=0)
>>> result.rows[1]["quantity"]
'weighted_ridge.student_risk'
"""

from __future__ import annotations

import numerics
import theory
from numerics.simulate import simulate_weighted_ridge
from numerics.simulate.common import to_float64
from proofs_check.mechanisms.ridge import compare_rows
from proofs_check.mechanisms import population
from proofs_check.montecarlo import Estimate, Plan
from proofs_check.result import Comparison

__all__ = ["simulation", "PLANS"]


def simulation(raw: dict, d: int, reps: int, seed: int, jobs: int = 1) -> Comparison:
    """Simulate the ridge teacher and the weighted student at ``raw`` and compare with theory."""
    student = "weighted_ridge.student_risk"
    values = numerics.check_params(raw, [p.name for p in theory.get(student).parameters])
    floats = {k: to_float64(k, v) for k, v in values.items()}
    sim = simulate_weighted_ridge(d=d, reps=reps, seed=seed, n_jobs=jobs, **floats)
    return Comparison("weighted_ridge", compare_rows(sim, values, student, d, reps), floats)


def _weighted_gap(point, d, reps, seed):
    lam_star = point["sigma2"] * point["gamma_t"] / point.get("r2", 1.0)
    r = simulate_weighted_ridge(d=d, gamma_t=point["gamma_t"], gamma_s=point["gamma_s"],
                                lam_t=lam_star, lam_s=point["lam_s"], sigma2=point["sigma2"],
                                r2=point.get("r2", 1.0), zeta=point.get("zeta", 0.0),
                                s=point.get("s", 0.0), reps=reps, seed=seed)
    return Estimate(r.gap_mean[0, 0], r.gap_se[0, 0])


_GAP = ("paired difference of the simulated risks; 2% of the quantity plus 1/d (finite-size "
        "bias measured shrinking like 1/d)")

#: The spike strength standing for ``c -> 1`` (no penalty along ``theta``): ``1 - c = 1e-12``.
FULL_ALIGNMENT_S = 1e12


def _population_run(point, d, reps, seed):
    """The teacher at ``lam_star`` and an aligned student with ``c -> 1`` on ``n_s = 50 d`` rows."""
    return simulate_weighted_ridge(
        d=d, gamma_t=point["gamma_t"], gamma_s=float(population.GAMMA),
        lam_t=point["sigma2"] * point["gamma_t"] / point.get("r2", 1.0), lam_s=point["lam_s"],
        sigma2=point["sigma2"], r2=point.get("r2", 1.0), zeta=point["zeta"],
        s=FULL_ALIGNMENT_S, reps=reps, seed=seed)


def _population_gap(point, d, reps, seed):
    r = _population_run(point, d, reps, seed)
    return Estimate(r.gap_mean[0, 0], r.gap_se[0, 0])


def _population_gap_plus_bound(point, d, reps, seed):
    """``L_s - L_t + D^2/(B - t^2)`` with ``D = zeta^2 A (r2 - A)/r2`` and ``t^2 = zeta^2 A^2/r2``
    from the teacher's simulated overlaps (``A = r2 (1 - u_t)``), repetition by repetition."""
    r = _population_run(point, d, reps, seed)
    r2, z2 = point.get("r2", 1.0), point["zeta"] ** 2
    A, B = r.overlap_A[:, 0], r.overlap_B[:, 0]
    D = z2 * A * (r2 - A) / r2
    return Estimate.of(r.student[:, 0, 0] - r.teacher[:, 0] + D**2 / (B - z2 * A**2 / r2))


def _aligned_bias():
    from theory.ridge import lam_star
    from theory.symbols import gamma_s, lam_t
    from theory.weighted_ridge import student_risk_weighted

    return population.PopulationBias(student_risk_weighted(1), (gamma_s,), {lam_t: lam_star})


_POPULATION = ("teacher at lam_star and an aligned student with s = 1e12 (c -> 1) on n_s = 50 d "
               "rows (gamma_s = 1/50) for the population one, paired; allowance gamma_s |f'(0)| "
               "+ gamma_s^2 |f''(0)| of the finite-gamma_s student risk f (derived by SymPy), "
               "plus 2% of the quantity and 1/d")

#: claim id -> Monte Carlo plan.
PLANS = {name: Plan(_weighted_gap, relative=0.02, per_d=1.0, note=_GAP) for name in (
    "weighted_ridge.aligned_student_beats_optimal_teacher",
    "weighted_ridge.unaligned_student_never_beats_optimal_teacher",
    "weighted_ridge.weak_alignment_cannot_help_overparameterised")}
PLANS["weighted_ridge.aligned_population_student_beats_optimal_teacher"] = Plan(
    _population_gap, relative=0.02, per_d=1.0, bias=_aligned_bias(), note=_POPULATION)
PLANS["weighted_ridge.population_gain_is_optimal"] = Plan(
    _population_gap_plus_bound, relative=0.02, per_d=1.0, bias=_aligned_bias(), note=_POPULATION)
