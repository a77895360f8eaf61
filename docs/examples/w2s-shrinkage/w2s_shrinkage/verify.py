"""What w2s-theory's engines need to check the mechanism against its simulation.

``simulation`` serves ``w2s simulate shrinkage``; ``PLANS`` give the Monte Carlo route
(``w2s verify --mc 1``) the simulated margin of each claim. The plan's shrinkage factor is
Wiener's ``r2/(r2 + sigma2)`` written out here, not imported from the theory.

Examples
--------
>>> from w2s_shrinkage.verify import simulation
>>> simulation({"shrink": "0.8", "r2": "1", "sigma2": "0.25"}, d=400, reps=10, seed=0).agree
True
"""

import numerics
import theory
from proofs_check.montecarlo import Estimate, agree
from proofs_check.result import Comparison
from w2s_shrinkage.simulate import simulate

__all__ = ["simulation", "PLANS"]


def simulation(raw: dict, d: int, reps: int, seed: int, jobs: int = 1) -> Comparison:
    """Teacher and student risk at ``raw`` (parameter name -> text), simulated and predicted."""
    names = [p.name for p in theory.get("shrinkage.student_risk").parameters]
    values = numerics.check_params(raw, names)
    point = {k: float(v) for k, v in values.items()}
    teacher, student = simulate(d=d, reps=reps, seed=seed, **point)
    rows = []
    for name, sample in (("shrinkage.teacher_risk", teacher),
                         ("shrinkage.student_risk", student)):
        params = {p.name: values[p.name] for p in theory.get(name).parameters}
        predicted = float(numerics.evaluate(name, params))
        mean, se = Estimate.of(sample)
        ok, n_se = agree(mean, se, predicted, d)
        rows.append({"quantity": name, "simulation": mean, "standard_error": se,
                     "theory": predicted, "difference_in_se": n_se, "agree": ok})
    return Comparison("shrinkage", rows, point)


def _optimal_gap(point, d, reps, seed):
    r2, sigma2 = point["r2"], point["sigma2"]
    teacher, student = simulate(r2 / (r2 + sigma2), r2, sigma2, d, reps, seed)
    return Estimate.of(teacher - student)


#: claim id -> Monte Carlo plan (the simulated margin L_t - L_s(c*)).
PLANS = {"shrinkage.optimal_student_beats_teacher": _optimal_gap}
