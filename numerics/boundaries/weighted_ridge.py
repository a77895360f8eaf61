"""Mechanism 2's alignment threshold at the optimal teacher: the ``zeta`` above which a
weighted-ridge student (over-parameterised, ``gamma_s > 1``) beats the optimally tuned teacher.

The teacher is the ridge at its optimal regularisation ``lam_t = sigma2 gamma_t / r2`` (Dobriban
and Wager 2018), so an isotropic student never beats it; the student's penalty ``I - c theta
theta^T`` (``c = s/(1 + s)``) is aligned with ``beta_star`` by ``zeta``. One repetition's margin is
``L_t - min_{lam_s} L_s`` from :func:`numerics.simulate.weighted_ridge_repetition`, the same draw
(one seed) for every ``zeta`` of the grid; it is positive above the threshold (arXiv:2505.18346,
mechanism 2: the alignment must be strong before it helps an over-parameterised student). The
finite-size bias of the risks is of order ``1/d``.

Examples
--------
>>> from numerics.boundaries.weighted_ridge import ALIGNMENT_THRESHOLD as b
>>> round(b.asymptotic({k: v for k, v in b.reference.items() if k != "zeta"}), 4)
0.7644
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from numerics.boundaries import Boundary
from numerics.boundaries.students import LAM_S, best_student_margin
from numerics.simulate import weighted_ridge_repetition
from numerics.validation import ParameterError, check_params

__all__ = ["ALIGNMENT_THRESHOLD", "margin", "asymptotic", "LAM_S"]

_PARAMETERS = ("zeta", "gamma_t", "gamma_s", "sigma2", "r2", "s")


def margin(point: dict, grid: np.ndarray, d: int, rng: np.random.Generator) -> np.ndarray:
    """One repetition of ``L_t - min_{lam_s} L_s`` at every ``zeta`` of ``grid`` (one draw)."""
    lam_t = np.array([point["sigma2"] * point["gamma_t"] / point["r2"]])

    def simulate(generator, zeta):
        teacher, student, *_ = weighted_ridge_repetition(
            generator, d, point["gamma_t"], point["gamma_s"], lam_t, LAM_S, point["sigma2"],
            point["r2"], float(zeta[0]), point["s"])
        return teacher, student

    return best_student_margin(simulate, grid, rng, vectorised=False)


def asymptotic(point: dict) -> float:
    """The ``zeta`` at which the best student ties the optimal teacher: the theory's student
    risk minimised over ``lam_s`` (a logarithmic grid of 4001 values, refined by a bounded
    scalar minimisation), then Brent's method in ``zeta``; NaN when no ``zeta`` in ``(0, 1)``
    reaches it."""
    from scipy.optimize import brentq, minimize_scalar

    from numerics.evaluate import vectorize

    student, teacher = vectorize("weighted_ridge.student_risk"), vectorize("ridge.teacher_risk")
    p = {k: float(Fraction(str(point[k]))) for k in ("gamma_t", "gamma_s", "sigma2", "r2", "s")}
    lam_t = p["sigma2"] * p["gamma_t"] / p["r2"]
    risk_t = float(teacher(lam_t=lam_t, gamma_t=p["gamma_t"], sigma2=p["sigma2"], r2=p["r2"]))
    grid = np.geomspace(1e-5, 1e5, 4001)

    def gain(zeta):
        f = lambda x: float(student(lam_t=lam_t, lam_s=math.exp(x), zeta=zeta, **p))
        values = student(lam_t=lam_t, lam_s=grid, zeta=zeta, **p)
        k = int(np.argmin(values))
        lo, hi = math.log(grid[max(k - 1, 0)]), math.log(grid[min(k + 1, grid.size - 1)])
        best = min(float(values[k]), minimize_scalar(f, bounds=(lo, hi), method="bounded",
                                                     options={"xatol": 1e-10}).fun)
        return risk_t - best

    lo, hi = 1e-6, 1 - 1e-9
    if gain(hi) <= 0 or gain(lo) >= 0:
        return math.nan
    return brentq(gain, lo, hi, xtol=1e-12)


def check(values: dict) -> None:
    """An over-parameterised student (``gamma_s > 1``), ``zeta`` in ``[-1, 1]``."""
    check_params(values, list(_PARAMETERS))
    if not values["gamma_s"] > 1:
        raise ParameterError(f"gamma_s must be in (1, inf) for this boundary (an "
                             f"over-parameterised student); got {values['gamma_s']}")


#: Mechanism 2: the alignment above which the aligned student beats the optimal teacher.
ALIGNMENT_THRESHOLD = Boundary(
    title="alignment zeta above which a weighted-ridge student beats the optimal teacher "
          "(over-parameterised student)",
    parameter="zeta",
    parameters=_PARAMETERS,
    reference={"zeta": "0.4:0.95", "gamma_t": "1/2", "gamma_s": "2", "sigma2": "2", "r2": "1",
               "s": "99"},
    margin=margin,
    asymptotic=asymptotic,
    statistic="L_t - min over lam_s of L_s at the optimal teacher (simulated excess risks, same "
              "draw): positive where the aligned student beats the teacher",
    positive_below=False,
    exponent=1.0,
    exponent_reason="the risks' finite-size bias is O(1/d) away from gamma = 1",
    scale="linear",
    points=12,
    reps=32,
    min_d=20,
    check=check,
    source="arXiv:2505.18346, mechanism 2 (the threshold computed in w2s-theory, "
           "docs/mechanism-2.md)",
)
