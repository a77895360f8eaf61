"""The single-index sweep: online SGD from a PCA warm start at each grid point.

Each row holds the weak supervisor's risk (simulated and predicted) and the final risk of the
student after ``alpha d`` online SGD steps (simulated mean and standard error, and the limit of
:func:`numerics.single_index.predicted_final_risk`).

Examples
--------
>>> from numerics.sweeps.single_index import TASK
>>> D = dict(spike=1, eta1=0.45, rho_w=0.9, c3=1, b1=0.5, b3=1, delta=0.005, alpha=2)
>>> row = TASK.run({**D, "gamma_u": 0.5}, 40, 2, 0)
>>> round(row["weak_risk"], 6), round(row["weak_risk_theory"], 6)
(0.792, 0.792)
"""

from __future__ import annotations

from numerics.evaluate import evaluate_at
from numerics.simulate import simulate_single_index
from numerics.single_index import predicted_final_risk
from numerics.sweeps import SweepTask
from theory import single_index as si

__all__ = ["TASK", "PARAMETERS", "COLUMNS", "run"]

#: Parameters of the sweep (online SGD from a PCA warm start).
PARAMETERS = ("gamma_u", "spike", "eta1", "rho_w", "zeta_vw", "c1", "c2", "c3", "c4", "b1",
              "b2", "b3", "b4", "sigma2_s", "delta", "alpha")
COLUMNS = ("weak_risk", "final_risk_mean", "final_risk_se", "weak_risk_theory",
           "final_risk_theory")


def run(point: dict, d: int, reps: int, seed: int) -> dict:
    """One grid point: PCA warm start, online SGD for ``alpha d`` steps (``alpha`` 600 unless
    given), and the theory's weak risk and predicted final risk."""
    full = {**{n: 0.0 for n in PARAMETERS if n.startswith(("c", "b", "z", "sigma"))},
            "alpha": 600.0, **{k: float(v) for k, v in point.items()}}
    sim = simulate_single_index(d=d, algorithm="sgd", record=full["alpha"], reps=reps, seed=seed,
                                **full)
    mean, se = sim.final("risk")
    values = {k: repr(v) for k, v in full.items() if k != "alpha"}
    weak = float(evaluate_at(si.weak_risk, values, 20))
    return dict(zip(COLUMNS, (float(sim.weak_risk), float(mean), float(se), weak,
                              predicted_final_risk(full))))


#: The single-index mechanism's sweep. Files written before 0.2 stored these values in the
#: ridge-shaped columns (the teacher's standard error a placeholder 0.0).
TASK = SweepTask(PARAMETERS, COLUMNS, run,
                 legacy={"teacher_mean": "weak_risk", "teacher_se": "",
                         "student_mean": "final_risk_mean", "student_se": "final_risk_se",
                         "teacher_theory": "weak_risk_theory",
                         "student_theory": "final_risk_theory"})
