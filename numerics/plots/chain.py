"""The chain mechanism's figure: risk against level, for the best uniform chain and a fixed lam.

``chain-risk``
    A teacher (``lam_t = 0.01``, ``gamma_t = 0.5``, ``sigma2 = 1``) followed by students on fresh
    data with ``gamma = 0.5``: the risk at level ``k`` of the chain whose common ``lam`` is best
    for that ``k`` (theory, decreasing to the population floor ``r2 - A^2/B``), of a chain with a
    fixed ``lam = 0.3`` at every level (theory line, simulation points), and the floor.

Examples
--------
>>> from numerics.plots.chain import best_uniform
>>> risk, lam = best_uniform(4)
>>> bool(0.49 < risk < 0.56)
True
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

from numerics.evaluate import vectorize
from numerics.simulate.chain import simulate_chain

__all__ = ["risk_against_level", "best_uniform", "TEACHER", "GAMMA", "FIXED_LAM"]

#: The teacher of the figure (under-regularised: lam_star = sigma2 gamma_t = 0.5).
TEACHER = {"lam_t": 0.01, "gamma_t": 0.5, "sigma2": 1.0}
GAMMA, FIXED_LAM = 0.5, 0.3


def best_uniform(k: int, gamma: float = GAMMA) -> tuple[float, float]:
    """Theory: ``(risk, lam)`` of the best uniform chain of ``k`` levels (one ``lam`` for all)."""
    risk = vectorize("chain.uniform_risk")
    r = minimize_scalar(lambda x: float(risk(**TEACHER, levels=k, lam_c=np.exp(x),
                                             gamma_c=gamma)),
                        bounds=(-14, 4), method="bounded", options={"xatol": 1e-7})
    return float(r.fun), float(np.exp(r.x))


def risk_against_level(ax, quick):
    """Draw the figure on ``ax`` (``quick``: fewer levels and repetitions)."""
    top = 8 if quick else 16
    levels = np.arange(0, top + 1)
    risk = vectorize("chain.uniform_risk")
    teacher = float(vectorize("ridge.teacher_risk")(**TEACHER))
    floor = float(vectorize("chain.population_floor")(**TEACHER))
    best = [teacher] + [best_uniform(int(k))[0] for k in levels[1:]]
    fixed = [teacher] + [float(risk(**TEACHER, levels=int(k), lam_c=FIXED_LAM, gamma_c=GAMMA))
                         for k in levels[1:]]
    ax.plot(levels, best, "-o", ms=3, color="C0", label="best uniform chain of k levels (theory)")
    ax.plot(levels, fixed, "-", color="C1", label=rf"every level $\lambda = {FIXED_LAM}$ (theory)")
    shown = levels[: (5 if quick else 9)]
    sim = simulate_chain(d=150 if quick else 400, **TEACHER, levels=[(FIXED_LAM, GAMMA)]
                         * int(shown[-1]), reps=6 if quick else 24, seed=0)
    mean, se = sim.mean_se(sim.risk)
    ax.errorbar(shown, mean[: len(shown)], yerr=se[: len(shown)], fmt="s", ms=3, color="C1",
                label="simulation (mean and SE)")
    ax.axhline(floor, color="k", ls="--", lw=1, label=r"population floor $r^2 - A^2/B$")
    ax.set_xlabel("level k (0: the teacher)")
    ax.set_ylabel("excess risk")
    ax.set_title(r"Chains of ridge students on fresh data ($\gamma = 0.5$ per level)")
    ax.legend(fontsize="small")
