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

#: claim id -> Monte Carlo plan.
PLANS = {name: Plan(_weighted_gap, relative=0.02, per_d=1.0, note=_GAP) for name in (
    "weighted_ridge.aligned_student_beats_optimal_teacher",
    "weighted_ridge.unaligned_student_never_beats_optimal_teacher",
    "weighted_ridge.weak_alignment_cannot_help_overparameterised")}
