"""The mechanism's figure: the student's risk against its shrinkage, theory and simulation.

``w2s plot shrinkage-risk -o FILE.png`` draws it (the figure is named in the description).
"""

import numpy as np

from numerics import vectorize
from w2s_shrinkage.simulate import simulate

__all__ = ["risk_against_shrink"]


def risk_against_shrink(ax, quick):
    """Draw ``L_s(c)`` for ``r2 = 1``, ``sigma2 = 1/4`` with simulation points and ``L_t``."""
    r2, sigma2 = 1.0, 0.25
    c = np.linspace(0, 1, 101)
    risk = vectorize("shrinkage.student_risk")
    ax.plot(c, risk(shrink=c, r2=r2, sigma2=sigma2), color="C0", label=r"theory $L_s(c)$")
    ax.axhline(sigma2, color="k", ls="--", lw=1, label=r"teacher $L_t = \sigma^2$")
    points = np.linspace(0.1, 1.0, 4 if quick else 10)
    sims = [simulate(x, r2, sigma2, d=200 if quick else 1000, reps=8 if quick else 40, seed=k)[1]
            for k, x in enumerate(points)]
    ax.errorbar(points, [s.mean() for s in sims],
                yerr=[s.std(ddof=1) / np.sqrt(len(s)) for s in sims], fmt="o", color="C1",
                ms=3, label="simulation (mean and SE)")
    ax.set_xlabel(r"shrinkage $c$")
    ax.set_ylabel("risk")
    ax.set_title("A shrinkage student beats its noisy teacher for c near Wiener's factor")
    ax.legend()
