"""Mechanisms 1 and 2 together under the Monte Carlo route (a plan for the super-additivity of
the population gains).

The three gains of ``interaction.population_gain_superadditive`` are simulated on one teacher
(:func:`numerics.simulate.simulate_weighted_ridge`, which imports no formula; two runs with the
same seed draw the same teacher, target and alignment direction, the spike strength ``s`` only
enters the fit):

* ``G_12``: the teacher's risk minus that of an aligned student with ``s = 1e12`` (``c -> 1``)
  on ``n_s = 50 d`` rows, at the theory's optimal ``lam_s = U/(1 - U)``,
  ``U = (G + D)/(B - t^2)``;
* ``G_1``: likewise for a plain ridge student (``s = 0``) at ``lam_s = (B - A)/A``;
* ``G_2 = D^2/(B - t^2)`` from the teacher's simulated overlaps (``D = zeta^2 A (r2 - A)/r2``,
  ``t^2 = zeta^2 A^2/r2``), repetition by repetition.

Both optimal ``lam_s`` are where the population gains are stationary, so an error in them costs
the simulated gains only at second order, while a wrong maximal gain in the theory shows at
first order. The allowance is the ``O(gamma_s)`` bias of the two students
(:mod:`proofs_check.mechanisms.population`) plus 2% of the quantity and ``1/d``.

Examples
--------
>>> from proofs_check.mechanisms.interaction import PLANS
>>> sorted(PLANS)
['interaction.population_gain_superadditive']
"""

from __future__ import annotations

import numpy as np

from numerics.evaluate import Compiled
from numerics.simulate import simulate_weighted_ridge
from proofs_check.mechanisms import population
from proofs_check.mechanisms.weighted_ridge import FULL_ALIGNMENT_S
from proofs_check.montecarlo import Estimate, Plan

__all__ = ["PLANS", "optimal_shrinkages"]


def _optima():
    from theory import interaction as it
    from theory.ridge import overlap_A, overlap_B

    U = (it._G + it._D) / (overlap_B - it._t**2)
    return U / (1 - U), (overlap_B - overlap_A) / overlap_A


_COMPILED = {}


def optimal_shrinkages(point: dict) -> tuple:
    """The population optima ``(lam_12, lam_1)`` of the aligned and the plain student.

    Examples
    --------
    >>> from proofs_check.mechanisms.interaction import optimal_shrinkages
    >>> point = {"lam_t": 0.05, "gamma_t": 0.5, "sigma2": 1.0, "r2": 1.0, "zeta": 0.0}
    >>> a, b = optimal_shrinkages(point)
    >>> round(a, 12) == round(b, 12) > 0      # without alignment the two students coincide
    True
    """
    if not _COMPILED:
        _COMPILED["both"] = tuple(Compiled(e) for e in _optima())
    return tuple(float(c(point, 30)) for c in _COMPILED["both"])


def _superadditive(point, d, reps, seed):
    lam_12, lam_1 = optimal_shrinkages(point)
    common = dict(d=d, gamma_t=point["gamma_t"], gamma_s=float(population.GAMMA),
                  lam_t=point["lam_t"], sigma2=point["sigma2"], r2=point.get("r2", 1.0),
                  zeta=point["zeta"], reps=reps, seed=seed)
    aligned = simulate_weighted_ridge(lam_s=lam_12, s=FULL_ALIGNMENT_S, **common)
    plain = simulate_weighted_ridge(lam_s=lam_1, s=0.0, **common)
    if not np.array_equal(aligned.teacher, plain.teacher):  # pragma: no cover - the pairing
        raise RuntimeError("the two runs did not draw the same teacher")
    r2, z2 = point.get("r2", 1.0), point["zeta"] ** 2
    A, B = aligned.overlap_A[:, 0], aligned.overlap_B[:, 0]
    g_12 = aligned.teacher[:, 0] - aligned.student[:, 0, 0]
    g_1 = plain.teacher[:, 0] - plain.student[:, 0, 0]
    g_2 = (z2 * A * (r2 - A) / r2) ** 2 / (B - z2 * A**2 / r2)
    return Estimate.of(g_12 - g_1 - g_2)


class _Bias(population.PopulationBias):
    """The two students' ``O(gamma_s)`` bias at their optimal ``lam_s`` (the optima given to the
    formula as numbers, so that SymPy differentiates a function of ``gamma_s`` alone)."""

    def __init__(self):
        import sympy

        from theory.ridge import student_risk
        from theory.symbols import gamma_s, lam_s, sigma2_s
        from theory.weighted_ridge import student_risk_weighted

        lam_12, lam_1 = sympy.symbols("lam_opt_12 lam_opt_1", positive=True)
        finite = (student_risk.xreplace({lam_s: lam_1, sigma2_s: 0})
                  - student_risk_weighted(1).xreplace({lam_s: lam_12}))
        super().__init__(finite, (gamma_s,))

    def _at(self, point, dps):
        lam_12, lam_1 = optimal_shrinkages(point)
        return super()._at({**point, "lam_opt_12": lam_12, "lam_opt_1": lam_1}, dps)


#: claim id -> Monte Carlo plan.
PLANS = {"interaction.population_gain_superadditive": Plan(
    _superadditive, relative=0.02, per_d=1.0, bias=_Bias(),
    note="G_12 and G_1 of students on n_s = 50 d rows (gamma_s = 1/50) at their population "
         "optima, G_2 from the teacher's simulated overlaps, one teacher; allowance gamma_s "
         "|f'(0)| + gamma_s^2 |f''(0)| of the finite-gamma_s difference f of the two students' "
         "risks (derived by SymPy), plus 2% of the quantity and 1/d")}
