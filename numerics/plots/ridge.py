"""Figures of the ridge mechanism: the student's risk, the phase diagram, the finite-size bias.

``student-risk``
    The student's risk against ``lam_s`` for several teachers, the teachers' risks as reference
    lines, simulation points with error bars.
``phase-diagram``
    Where some student beats the teacher in the plane (``lam_t / lam_star``, ``gamma_s``): the
    region is shaded from the contour of the derived boundary ``B/A = rho_c(gamma_s)`` (with its
    jump at ``gamma_s = 1``), and a coarse brute-force grid (minimum of ``L_s - L_t`` over
    ``lam_s``) is drawn over it as dots.
``convergence``
    The finite-size bias of the ridgeless teacher's risk against ``d`` (log-log, eight sizes), a
    weighted fit with its slope's standard error, and the exact finite-``d`` value.

Examples
--------
>>> from numerics.plots import draw
>>> "brute force: does not win" in draw("phase-diagram", quick=True)
True
"""

from __future__ import annotations

import numpy as np

from numerics.evaluate import evaluate, vectorize
from numerics.plots import common, layout
from numerics.simulate import simulate_ridge
from numerics.style import COLORS, REGION

__all__ = ["student_risk", "phase_diagram", "convergence", "convergence_data"]


def student_risk(ax, quick):
    gamma_t, gamma_s, sigma2 = 0.5, 0.5, 1.0
    lam_star = sigma2 * gamma_t
    lam_s = np.geomspace(1e-3, 1e2, 200)
    points = np.geomspace(1e-2, 10, 6)
    f_s, f_t = vectorize("ridge.student_risk"), vectorize("ridge.teacher_risk")
    teachers = [0.02, 0.1, lam_star]
    sim = simulate_ridge(d=100 if quick else 300, gamma_t=gamma_t, gamma_s=gamma_s,
                         lam_t=teachers, lam_s=points, sigma2=sigma2,
                         reps=4 if quick else 20, seed=0)
    for j, (lt, color) in enumerate(zip(teachers, COLORS)):
        label = rf"student, $\lambda_t={lt:g}" + (r"=\lambda^{*}$" if lt == lam_star else "$")
        ax.plot(lam_s, f_s(lam_s=lam_s, gamma_s=gamma_s, lam_t=lt, gamma_t=gamma_t,
                           sigma2=sigma2), color=color, label=label)
        ax.axhline(f_t(lam_t=lt, gamma_t=gamma_t, sigma2=sigma2), color=color, ls=":", lw=1)
        ax.errorbar(points, sim.student_mean[j], yerr=2 * sim.student_se[j], fmt="o",
                    color=color)
    ax.set_xscale("log")
    ax.set_xlabel(r"student regularisation $\lambda_s$")
    ax.set_ylabel(r"excess risk")
    ax.set_title(rf"Ridge student trained on a ridge teacher ($\gamma_t=\gamma_s={gamma_s}$, "
                 rf"$\sigma^2={sigma2:g}$, $r^2=1$)")
    handles = ax.get_legend_handles_labels()[0] + common.handles(
        ("line", r"teacher $\mathcal{L}_t$ (same colour)", {"color": "0.4", "ls": ":", "lw": 1}),
        ("marker", r"simulation $\pm 2$ SE", {"color": "0.4", "marker": "o"}))
    layout.legend(ax, handles=handles)


def phase_diagram(ax, quick):
    gamma_t, sigma2 = 0.5, 1.0
    lam_star = sigma2 * gamma_t
    n = 200 if quick else 500
    ratio = np.geomspace(1e-2, 3, n)
    gammas = np.geomspace(0.1, 10, n)
    rho = vectorize("ridge.overlap_ratio")(lam_t=ratio * lam_star, gamma_t=gamma_t,
                                           sigma2=sigma2)
    rho_c = vectorize("ridge.critical_ratio")(gamma_s=gammas)
    field = rho[None, :] - rho_c[:, None]  # > 0: some student wins (derived)
    R, G = np.meshgrid(ratio, gammas)
    ax.contourf(R, G, field, levels=[0, np.inf], colors=[REGION["color"]], alpha=REGION["alpha"])
    ax.contour(R, G, field, levels=[0], colors="k", linewidths=1.2)
    ax.axhline(1.0, color="0.4", ls="--", lw=0.8)
    # brute force on a coarse grid: the minimum of L_s - L_t over a lam_s grid
    coarse_r, coarse_g = np.geomspace(1.2e-2, 2.5, 14), np.geomspace(0.12, 8.5, 14)
    Rc, Gc = np.meshgrid(coarse_r, coarse_g)
    lam_s = np.concatenate([[0.0], np.geomspace(1e-8, 1e4, 120 if quick else 300)])
    f_s, f_t = vectorize("ridge.student_risk"), vectorize("ridge.teacher_risk")
    lt = (Rc * lam_star)[..., None]
    gap = f_s(lam_s=lam_s[None, None, :], gamma_s=Gc[..., None], lam_t=lt, gamma_t=gamma_t,
              sigma2=sigma2) - f_t(lam_t=lt, gamma_t=gamma_t, sigma2=sigma2)
    wins = np.nanmin(gap, axis=-1) < -1e-12
    ax.plot(Rc[wins], Gc[wins], "k.", ms=3)
    ax.plot(Rc[~wins], Gc[~wins], ".", color="0.6", ms=2)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"teacher regularisation $\lambda_t / \lambda^{*}$")
    ax.set_ylabel(r"student aspect ratio $\gamma_s$")
    ax.set_title(rf"Where some student beats the teacher ($\gamma_t={gamma_t}$, "
                 rf"$\sigma^2={sigma2:g}$, $r^2=1$)")
    layout.legend(ax, handles=common.handles(
        ("patch", r"some $\lambda_s$ wins: $B/A > \rho_c(\gamma_s)$", REGION),
        ("line", r"derived boundary $B/A = \rho_c(\gamma_s)$", {"color": "k", "lw": 1.2}),
        ("line", r"$\gamma_s = 1$ (jump of $\rho_c$)", {"color": "0.4", "ls": "--", "lw": 0.8}),
        ("marker", r"brute force over $\lambda_s$: wins", {"color": "k", "marker": ".",
                                                            "ms": 3}),
        ("marker", "brute force: does not win", {"color": "0.6", "marker": ".", "ms": 2})),
        loc="upper right", framealpha=0.9, frameon=True)


def convergence_data(ds, reps_per_d, seed=0):
    """``(d, mean - theory, standard error)`` of the ridgeless teacher's risk (``gamma_t = 1/2``).

    The finite-``d`` mean is ``sigma2 d / (n - d - 1)`` (inverse Wishart) against the limit
    ``sigma2 gamma / (1 - gamma)``: a bias of order ``1/d``, large enough to see with
    ``reps = reps_per_d * d`` repetitions (the standard error shrinks like ``1/sqrt(d reps)``).
    """
    point = dict(gamma_t=0.5, lam_t=0.0, sigma2=1.0, gamma_s=10.0, lam_s=1.0)
    theory = float(evaluate("ridge.teacher_risk", lam_t=0, gamma_t="0.5", sigma2=1))
    out = []
    for d in ds:
        sim = simulate_ridge(d=int(d), reps=int(reps_per_d * d), seed=seed, **point)
        out.append((d, sim.teacher_mean[0] - theory, sim.teacher_se[0]))
    return np.array(out)


def convergence(ax, quick):
    ds = np.array([8, 16, 32, 64] if quick else [8, 12, 16, 24, 32, 48, 64, 96])
    progress = common.progress("convergence", len(ds))
    rows = []
    for d_ in ds:
        rows.append(convergence_data([d_], reps_per_d=64 if quick else 128)[0])
        progress.step(f"d={d_}")
    d, gap, se = np.array(rows).T
    exact = d / (2 * d - d - 1) - 1.0  # n = d / gamma_t = 2d: inverse-Wishart mean, minus 1
    # weighted least squares in log-log (weights: 1 / SE of log gap), with the slope's SE
    keep = gap > 0
    (slope, intercept), cov = np.polyfit(np.log(d[keep]), np.log(gap[keep]), 1,
                                         w=gap[keep] / se[keep], cov="unscaled")
    exact_slope = np.polyfit(np.log(d), np.log(exact), 1)[0]
    fine = np.geomspace(d.min(), d.max(), 100)
    ax.errorbar(d, gap, yerr=2 * se, fmt="o", color=COLORS[0],
                label=r"simulation $-$ limit, $\pm 2$ SE")
    ax.plot(fine, fine / (fine - 1) - 1.0, "-", color="0.3", lw=1,
            label=rf"exact: $d/(n-d-1) - 1$ (slope {exact_slope:.2f})")
    ax.plot(fine, np.exp(intercept) * fine**slope, "--", color=COLORS[3], lw=1,
            label=rf"fit: slope {slope:.2f} $\pm$ {np.sqrt(cov[0, 0]):.2f}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    ax.set_xticks(d)
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(r"dimension $d$ ($n = 2d$ samples)")
    ax.set_ylabel(r"finite-size bias $\bar{\mathcal{L}}_t - \mathcal{L}_t$")
    ax.set_title(r"Finite-size bias of the ridgeless teacher ($\gamma_t = 1/2$, $\sigma^2 = 1$): "
                 r"order $1/d$")
    layout.legend(ax)
