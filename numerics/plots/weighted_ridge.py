"""Figures of the weighted-ridge mechanism.

``gain-vs-zeta2``
    The weighted student's best gain over the optimal teacher against ``zeta^2``, theory lines
    and simulation points, for several ``s`` and ``gamma_s``.
``alignment-region``
    Where in (``zeta``, ``gamma_s``) the aligned student wins (the contour of its best gain),
    with the sufficient bound ``zeta_0`` below which an over-parameterised student cannot.

Examples
--------
>>> from numerics.plots.weighted_ridge import weighted_gain
>>> gain, lam_s = weighted_gain(0.9, 0.5, 10.0)
>>> bool(gain > 0)
True
"""

from __future__ import annotations

import numpy as np

from numerics.evaluate import evaluate, vectorize
from numerics.plots import common, layout
from numerics.style import COLORS, REGION

__all__ = ["gain_vs_zeta2", "alignment_region", "weighted_gain"]


LAM_GRID = np.concatenate([[0.0], np.geomspace(1e-6, 1e4, 400)])


def weighted_gain(zeta, gamma_s, s, gamma_t=0.5, sigma2=1.0):
    """Theory: ``(gain, best lam_s)`` of the weighted student over the teacher at ``lam_star``."""
    lam_star = sigma2 * gamma_t
    risk = vectorize("weighted_ridge.student_risk")(
        lam_s=LAM_GRID, gamma_s=gamma_s, lam_t=lam_star, gamma_t=gamma_t, sigma2=sigma2,
        zeta=zeta, s=s)
    teacher = float(evaluate("ridge.teacher_risk", lam_t=lam_star, gamma_t=gamma_t,
                             sigma2=sigma2))
    k = int(np.argmin(risk))
    return teacher - risk[k], LAM_GRID[k]


def gain_vs_zeta2(ax, quick):
    from numerics.simulate import simulate_weighted_ridge

    zeta2 = np.linspace(0, 1, 41)
    sim_zeta2 = np.array([0.25, 0.5, 0.75, 1.0]) if not quick else np.array([0.5, 1.0])
    cases = ((0.5, 10.0), (0.5, 1.0), (2.0, 10.0))
    progress = common.progress("gain-vs-zeta2", len(cases) * len(sim_zeta2))
    for (gamma_s, s), color in zip(cases, COLORS):
        gains = [weighted_gain(np.sqrt(z2), gamma_s, s)[0] for z2 in zeta2]
        ax.plot(zeta2, gains, color=color, label=rf"theory, $\gamma_s={gamma_s}$, $s={s:g}$")
        for z2 in sim_zeta2:
            gain, lam_s = weighted_gain(np.sqrt(z2), gamma_s, s)
            sim = simulate_weighted_ridge(d=100 if quick else 250, gamma_t=0.5, gamma_s=gamma_s,
                                          lam_t=0.5, lam_s=lam_s, sigma2=1.0, zeta=np.sqrt(z2),
                                          s=s, reps=4 if quick else 16, seed=0)
            ax.errorbar(z2, -sim.gap_mean[0, 0], yerr=2 * sim.gap_se[0, 0], fmt="o",
                        color=color)
            progress.step(f"gamma_s={gamma_s}, s={s:g}, zeta^2={z2:g}")
    ax.set_xlabel(r"alignment $\zeta^2$")
    ax.set_ylabel(r"gain $\mathcal{L}_t - \min_{\lambda_s} \mathcal{L}_s$")
    ax.set_title(r"Weighted student against the optimal teacher ($\lambda_t = \lambda^{*}$, "
                 r"$\gamma_t = 0.5$, $\sigma^2 = 1$)")
    handles = ax.get_legend_handles_labels()[0] + common.handles(
        ("marker", r"simulation at the best $\lambda_s$, $\pm 2$ SE",
         {"color": "0.4", "marker": "o"}))
    layout.legend(ax, handles=handles)


def alignment_region(ax, quick):
    n = 30 if quick else 90
    zetas = np.linspace(0.0, 1.0, n)
    gammas = np.sort(np.concatenate([np.geomspace(0.1, 10, n), [0.999, 1.001]]))  # the jump
    s = 10.0
    gain = np.array([[weighted_gain(z, g, s)[0] for z in zetas] for g in gammas])
    # the gain is continuous and vanishes outside the region: its contour is the region's edge
    ax.contourf(zetas, gammas, gain, levels=[1e-9, np.inf], colors=[REGION["color"]],
                alpha=REGION["alpha"])
    over = np.geomspace(1.0001, 10, 200)
    bound = vectorize("weighted_ridge.weak_alignment_bound")(gamma_s=over, gamma_t=0.5,
                                                             sigma2=1.0, s=s)
    ax.plot(np.minimum(bound, 1), over, "k--", lw=1.2)
    ax.axhline(1.0, color="0.4", ls=":", lw=0.8)
    ax.set_yscale("log")
    ax.set_xlabel(r"alignment $\zeta$")
    ax.set_ylabel(r"student aspect ratio $\gamma_s$")
    ax.set_title(rf"Where the aligned student beats the optimal teacher ($s = {s:g}$, "
                 r"$\gamma_t = 0.5$, $\sigma^2 = 1$)")
    layout.legend(ax, handles=common.handles(
        ("patch", r"some $\lambda_s$ wins (gain $> 0$, minimum over $\lambda_s$)", REGION),
        ("line", r"sufficient bound $\zeta_0$: no win below it", {"color": "k", "ls": "--",
                                                                 "lw": 1.2}),
        ("line", r"$\gamma_s = 1$", {"color": "0.4", "ls": ":", "lw": 0.8})),
        loc="upper left", framealpha=0.9, frameon=True)
