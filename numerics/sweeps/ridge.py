"""The ridge sweep: teacher and student risks, simulated and predicted, at each grid point.

Examples
--------
>>> from numerics.sweeps.ridge import TASK
>>> row = TASK.run({"lam_t": 0.05, "lam_s": 0.3, "gamma_t": 0.5, "gamma_s": 0.5,
...                 "sigma2": 1.0}, 60, 3, 0)
>>> round(row["student_theory"], 6)
0.527878
"""

from __future__ import annotations

from numerics.evaluate import evaluate
from numerics.simulate import memory_check, sample_rows, simulate_ridge
from numerics.sweeps import SweepTask

__all__ = ["TASK", "run", "check_cost"]

PARAMETERS = ("lam_t", "lam_s", "gamma_t", "gamma_s", "sigma2", "sigma2_s", "r2")
COLUMNS = ("teacher_mean", "teacher_se", "student_mean", "student_se", "teacher_theory",
           "student_theory")


def run(point: dict, d: int, reps: int, seed: int) -> dict:
    """One grid point: the simulated teacher and student risks and their theory values."""
    full = {**{"sigma2_s": 0.0, "r2": 1.0}, **point}
    sim = simulate_ridge(d=d, reps=reps, seed=seed, **full)
    teacher = float(evaluate("ridge.teacher_risk", {k: full[k] for k in
                                                     ("lam_t", "gamma_t", "sigma2", "r2")}))
    student = float(evaluate("ridge.student_risk", full))
    return dict(zip(COLUMNS, (float(sim.teacher_mean[0]), float(sim.teacher_se[0]),
                              float(sim.student_mean[0, 0]), float(sim.student_se[0, 0]),
                              teacher, student)))


def check_cost(points: list, d: int, n_jobs: int) -> None:
    """Refuse a sweep whose largest repetition does not fit the memory limit."""
    if not points:
        return
    n_t = max(sample_rows(d, p["gamma_t"], "gamma_t") for p in points if "gamma_t" in p) \
        if "gamma_t" in points[0] else d
    n_s = max(sample_rows(d, p["gamma_s"], "gamma_s") for p in points if "gamma_s" in p) \
        if "gamma_s" in points[0] else d
    memory_check(d, n_t, n_s, 2, n_jobs)


#: The ridge mechanism's sweep (the columns of the sweep files written before 0.2, unchanged).
TASK = SweepTask(PARAMETERS, COLUMNS, run, check_cost)
