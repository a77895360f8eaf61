"""The misfit inequality on the ridge student: ``w2s simulate misfit`` and the Monte Carlo plan.

Simulated with :func:`numerics.simulate.chain.simulate_chain` (a teacher and one student level,
which records the student's misfit ``||b_s - b_t||^2`` directly); no formula is imported.

Examples
--------
>>> from proofs_check.mechanisms.misfit import simulation
>>> result = simulation({"lam_t": "0.01", "gamma_t": "0.5", "sigma2": "1", "lam_s": "0.3",
...                      "gamma_s": "0.5"}, d=100, reps=4, seed=0)
>>> [r["quantity"] for r in result.rows]
['ridge.teacher_risk', 'misfit.ridge_gain', 'misfit.ridge_misfit']
"""

from __future__ import annotations

import numerics
import theory
from numerics.simulate.chain import simulate_chain
from numerics.simulate.common import to_float64
from proofs_check.mechanisms import population
from proofs_check.montecarlo import Estimate, Plan, agree
from proofs_check.result import Comparison

__all__ = ["simulation", "PLANS"]


def _run(point, d, reps, seed):
    return simulate_chain(d=d, lam_t=point["lam_t"], gamma_t=point["gamma_t"],
                          sigma2=point["sigma2"], r2=point.get("r2", 1.0),
                          levels=[(point["lam_s"], point["gamma_s"])], reps=reps, seed=seed)


def simulation(raw: dict, d: int, reps: int, seed: int, jobs: int = 1) -> Comparison:
    """The teacher's risk, the student's gain and its misfit at ``raw``: simulated and
    predicted."""
    values = numerics.check_params(raw, [p.name for p in
                                         theory.get("misfit.ridge_gain").parameters])
    floats = {k: to_float64(k, v) for k, v in values.items()}
    sim = _run(floats, d, reps, seed)
    rows = []
    for name, sample in (("ridge.teacher_risk", sim.risk[:, 0]),
                         ("misfit.ridge_gain", sim.risk[:, 0] - sim.risk[:, 1]),
                         ("misfit.ridge_misfit", sim.misfit[:, 1])):
        q = theory.get(name)
        th = float(numerics.evaluate(name, {p.name: values[p.name] for p in q.parameters}))
        mean, se = Estimate.of(sample)
        ok, n_se = agree(mean, se, th, d)
        rows.append({"quantity": name, "simulation": mean, "standard_error": se, "theory": th,
                     "difference_in_se": n_se, "agree": ok})
    return Comparison("misfit", rows, floats)


def _gain_minus_misfit(point, d, reps, seed):
    sim = _run(point, d, reps, seed)
    return Estimate.of(sim.risk[:, 0] - sim.risk[:, 1] - sim.misfit[:, 1])


def _population_gain_minus_misfit(point, d, reps, seed):
    return _gain_minus_misfit({**point, "gamma_s": float(population.GAMMA)}, d, reps, seed)


def _gain_minus_misfit_bias():
    from theory.symbols import gamma_s

    return population.PopulationBias(theory.get("misfit.ridge_gain_minus_misfit").expr,
                                      (gamma_s,))


#: claim id -> Monte Carlo plan (the simulated gain - misfit, paired on the same draws).
PLANS = {"misfit.ridge_finite_student_fails": Plan(
    _gain_minus_misfit, relative=0.02, per_d=1.0,
    note="gain and misfit simulated on the same draws; 2% of the quantity plus 1/d (the ridge "
         "gap's finite-size bias)")}
_POPULATION = ("gain and misfit of a student on n_s = 50 d rows (gamma_s = 1/50) for the "
               "population one, on the same draws; allowance gamma_s |f'(0)| + gamma_s^2 "
               "|f''(0)| of the finite-gamma_s gain - misfit f (derived by SymPy), plus 2% of "
               "the quantity and 1/d")
PLANS.update({name: Plan(_population_gain_minus_misfit, relative=0.02, per_d=1.0,
                         bias=_gain_minus_misfit_bias(), note=_POPULATION)
              for name in ("misfit.ridge_population_realisable",
                           "misfit.ridge_population_unrealisable_fails")})
