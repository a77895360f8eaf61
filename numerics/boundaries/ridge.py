"""Mechanism 1's boundary for an over-parameterised student: the ``lam_t`` below which some
``lam_s`` beats the teacher.

The margin of one repetition is ``L_t - min_{lam_s} L_s``: the simulated teacher's excess risk
minus the best simulated student's, the student's ``lam_s`` optimised over a logarithmic grid
(``lam_s = 0``, the minimum-norm interpolator, included), on the same draw for every ``lam_t``
of the grid. It is positive where some student beats the teacher. The theory (arXiv:2505.18346,
mechanism 1; the threshold derived in w2s-theory, ``docs/quantities.md``) puts the boundary where
``B/A`` equals the critical ratio ``rho_c(gamma_s)``; the finite-size bias of the risks is of
order ``1/d`` (the fluctuations of the optimum over ``lam_s`` add a bias of the same order).

Examples
--------
>>> import numpy as np
>>> from numerics.boundaries.ridge import TEACHER_BEATEN, margin
>>> point = {"gamma_t": 0.5, "gamma_s": 2.0, "sigma2": 2.0, "r2": 1.0}
>>> m = margin(point, np.array([0.01, 1.0]), 200, np.random.default_rng(0))
>>> bool(m[0] > 0 > m[1])
True
>>> round(TEACHER_BEATEN.asymptotic({"gamma_t": "1/2", "gamma_s": "2", "sigma2": "2",
...                                  "r2": "1"}), 6)
0.242317
"""

from __future__ import annotations

import math

import numpy as np

from numerics.boundaries import Boundary
from numerics.boundaries.students import LAM_S, best_student_margin
from numerics.simulate import ridge_repetition
from numerics.validation import ParameterError, check_params

__all__ = ["TEACHER_BEATEN", "margin", "asymptotic", "LAM_S"]

_PARAMETERS = ("lam_t", "gamma_t", "gamma_s", "sigma2", "r2")


def margin(point: dict, grid: np.ndarray, d: int, rng: np.random.Generator) -> np.ndarray:
    """One repetition of ``L_t - min_{lam_s} L_s`` at every ``lam_t`` of ``grid``."""
    def simulate(generator, lam_t):
        return ridge_repetition(generator, d, point["gamma_t"], point["gamma_s"], lam_t, LAM_S,
                                point["sigma2"], point.get("r2", 1.0), 0.0)[:2]

    return best_student_margin(simulate, grid, rng)


def asymptotic(point: dict) -> float:
    """The ``lam_t`` at which ``B/A = rho_c(gamma_s)`` (NaN when no ``lam_t`` reaches it).

    ``B/A`` decreases from its ridgeless value to 1 at the optimal ``lam_t``; the root is found
    by Brent's method on the theory's values (50 digits).
    """
    from scipy.optimize import brentq

    from numerics.evaluate import evaluate

    teacher = {k: point[k] for k in ("gamma_t", "sigma2", "r2")}
    rho_c = float(evaluate("ridge.critical_ratio", {"gamma_s": point["gamma_s"]}))
    lam_star = float(evaluate("ridge.optimal_lambda", teacher))
    gap = lambda lam: float(evaluate("ridge.overlap_ratio", {**teacher, "lam_t": repr(lam)})) \
        - rho_c
    lo = lam_star * 1e-12
    if gap(lo) <= 0:
        return math.nan
    return brentq(gap, lo, lam_star, xtol=1e-14, rtol=1e-13)


def check(values: dict) -> None:
    """The student must be over-parameterised (``gamma_s > 1``); the rest as everywhere."""
    check_params(values, list(_PARAMETERS))
    if not values["gamma_s"] > 1:
        raise ParameterError(f"gamma_s must be in (1, inf) for this boundary (an "
                             f"over-parameterised student); got {values['gamma_s']}")


#: Mechanism 1: the ``lam_t`` below which some ``lam_s`` beats the teacher (``gamma_s > 1``).
TEACHER_BEATEN = Boundary(
    title="lam_t below which some ridge student beats the teacher (over-parameterised student)",
    parameter="lam_t",
    parameters=_PARAMETERS,
    reference={"lam_t": "0.02:0.6", "gamma_t": "1/2", "gamma_s": "2", "sigma2": "2", "r2": "1"},
    margin=margin,
    asymptotic=asymptotic,
    statistic="L_t - min over lam_s of L_s (simulated excess risks, same draw): positive where "
              "some student beats the teacher",
    positive_below=True,
    exponent=1.0,
    exponent_reason="the risks' finite-size bias is O(1/d) away from gamma = 1",
    scale="log",
    points=13,
    reps=48,
    min_d=20,
    check=check,
    source="arXiv:2505.18346, mechanism 1: B/A = rho_c(gamma_s) (derived in w2s-theory, "
           "docs/quantities.md)",
)
