"""Figures of mechanism 1 (matplotlib): theory curves with simulation points.

``student-risk``
    The student's risk against ``lam_s`` for several teachers, the teachers' risks as reference
    lines, simulation points with error bars.
``phase-diagram``
    Where some student beats the teacher in the plane (``lam_t / lam_star``, ``gamma_s``): the
    region is found by brute force (minimum of ``L_s - L_t`` over a ``lam_s`` grid) and the derived
    boundary (``B/A = rho_c(gamma_s)``, with its jump at ``gamma_s = 1``) is drawn over it.
``gain-vs-zeta2``
    Mechanism 2: the weighted student's best gain over the optimal teacher against ``zeta^2``,
    theory lines and simulation points, for several ``s`` and ``gamma_s``.
``alignment-region``
    Mechanism 2: where in (``zeta``, ``gamma_s``) the aligned student wins, with the sufficient
    bound ``zeta_0`` below which an over-parameterised student cannot.
``convergence``
    The finite-size bias of the ridgeless teacher's risk against ``d`` (log-log), the fitted slope
    and the exact finite-``d`` value.

Examples
--------
>>> import tempfile, pathlib
>>> from numerics.plots import plot
>>> path = pathlib.Path(tempfile.mkdtemp()) / "phase.png"
>>> plot("phase-diagram", path, quick=True).exists()
True
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from numerics.evaluate import evaluate, vectorize
from numerics.simulate import simulate_ridge

__all__ = ["PLOTS", "plot", "convergence_data"]


def _student_risk(ax, quick):
    gamma_t, gamma_s, sigma2 = 0.5, 0.5, 1.0
    lam_star = sigma2 * gamma_t
    lam_s = np.geomspace(1e-3, 1e2, 200)
    points = np.geomspace(1e-2, 10, 6)
    f_s, f_t = vectorize("ridge.student_risk"), vectorize("ridge.teacher_risk")
    teachers = [0.02, 0.1, lam_star]
    sim = simulate_ridge(d=100 if quick else 300, gamma_t=gamma_t, gamma_s=gamma_s,
                         lam_t=teachers, lam_s=points, sigma2=sigma2,
                         reps=4 if quick else 20, seed=0)
    for j, (lt, color) in enumerate(zip(teachers, ("C0", "C1", "C2"))):
        label = rf"$\lambda_t={lt:g}$" + (r" $=\lambda^*$" if lt == lam_star else "")
        ax.plot(lam_s, f_s(lam_s=lam_s, gamma_s=gamma_s, lam_t=lt, gamma_t=gamma_t,
                           sigma2=sigma2), color=color, label=label)
        ax.axhline(f_t(lam_t=lt, gamma_t=gamma_t, sigma2=sigma2), color=color, ls=":", lw=1)
        ax.errorbar(points, sim.student_mean[j], yerr=2 * sim.student_se[j], fmt="o",
                    color=color, ms=4, capsize=2)
    ax.set_xscale("log")
    ax.set_xlabel(r"student regularisation $\lambda_s$")
    ax.set_ylabel(r"excess risk $\mathcal{L}_s$")
    ax.set_title(rf"Ridge student ($\gamma_t=\gamma_s={gamma_s}$, $\sigma^2={sigma2}$); dotted: "
                 r"teacher $\mathcal{L}_t$; points: simulation $\pm 2$ SE", fontsize=9)
    ax.legend(fontsize=8)


def _phase_diagram(ax, quick):
    gamma_t, sigma2 = 0.5, 1.0
    lam_star = sigma2 * gamma_t
    n = 60 if quick else 160
    ratio = np.geomspace(1e-2, 3, n)
    gammas = np.geomspace(0.1, 10, n)
    R, G = np.meshgrid(ratio, gammas)
    lam_s = np.concatenate([[0.0], np.geomspace(1e-8, 1e4, 120 if quick else 300)])
    f_s, f_t = vectorize("ridge.student_risk"), vectorize("ridge.teacher_risk")
    gap = f_s(lam_s=lam_s[None, None, :], gamma_s=G[..., None], lam_t=(R * lam_star)[..., None],
              gamma_t=gamma_t, sigma2=sigma2) - f_t(lam_t=(R * lam_star)[..., None],
                                                    gamma_t=gamma_t, sigma2=sigma2)
    wins = np.nanmin(gap, axis=-1) < -1e-12
    ax.contourf(R, G, wins, levels=[0.5, 1.5], colors=["#9ecae1"])
    rho = vectorize("ridge.overlap_ratio")(lam_t=ratio * lam_star, gamma_t=gamma_t,
                                           sigma2=sigma2)
    rho_c = vectorize("ridge.critical_ratio")(gamma_s=gammas)
    ax.contour(R, G, rho[None, :] - rho_c[:, None], levels=[0], colors="k", linewidths=1.2)
    ax.axhline(1.0, color="0.4", ls="--", lw=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$\lambda_t / \lambda^*$")
    ax.set_ylabel(r"student aspect ratio $\gamma_s$")
    ax.set_title(r"Shaded: some $\lambda_s$ beats the teacher (brute force); line: "
                 rf"$B/A=\rho_c(\gamma_s)$ ($\gamma_t={gamma_t}$, $\sigma^2={sigma2}$)", fontsize=9)


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


def _convergence(ax, quick):
    ds = np.array([8, 16, 32, 64])
    d, gap, se = convergence_data(ds, reps_per_d=32 if quick else 64).T
    slope, intercept = np.polyfit(np.log(d), np.log(np.abs(gap)), 1)
    ax.errorbar(d, gap, yerr=2 * se, fmt="o", capsize=2, label="simulation - theory")
    ax.plot(d, np.exp(intercept) * d**slope, "k--", lw=1, label=f"fit: slope {slope:.2f}")
    n = d / 0.5
    ax.plot(d, d / (n - d - 1) - 1.0, ":", color="0.4", label=r"exact: $d/(n-d-1) - 1$")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("dimension d")
    ax.set_ylabel(r"$\bar{\mathcal{L}}_t - \mathcal{L}_t$")
    ax.set_title(r"Finite-size bias, ridgeless teacher ($\gamma_t = 1/2$, $\sigma^2 = 1$), "
                 r"$\pm 2$ SE", fontsize=9)
    ax.legend(fontsize=8)


_LAM_GRID = np.concatenate([[0.0], np.geomspace(1e-6, 1e4, 400)])


def _weighted_gain(zeta, gamma_s, s, gamma_t=0.5, sigma2=1.0):
    """Theory: ``(gain, best lam_s)`` of the weighted student over the teacher at ``lam_star``."""
    lam_star = sigma2 * gamma_t
    risk = vectorize("weighted_ridge.student_risk")(
        lam_s=_LAM_GRID, gamma_s=gamma_s, lam_t=lam_star, gamma_t=gamma_t, sigma2=sigma2,
        zeta=zeta, s=s)
    teacher = float(evaluate("ridge.teacher_risk", lam_t=lam_star, gamma_t=gamma_t,
                             sigma2=sigma2))
    k = int(np.argmin(risk))
    return teacher - risk[k], _LAM_GRID[k]


def _gain_vs_zeta2(ax, quick):
    from numerics.simulate import simulate_weighted_ridge

    zeta2 = np.linspace(0, 1, 41)
    sim_zeta2 = np.array([0.25, 0.5, 0.75, 1.0]) if not quick else np.array([0.5, 1.0])
    for (gamma_s, s, color) in ((0.5, 10.0, "C0"), (0.5, 1.0, "C1"), (2.0, 10.0, "C2")):
        gains = [_weighted_gain(np.sqrt(z2), gamma_s, s)[0] for z2 in zeta2]
        ax.plot(zeta2, gains, color=color, label=rf"$\gamma_s={gamma_s}$, $s={s:g}$")
        for z2 in sim_zeta2:
            gain, lam_s = _weighted_gain(np.sqrt(z2), gamma_s, s)
            sim = simulate_weighted_ridge(d=100 if quick else 250, gamma_t=0.5, gamma_s=gamma_s,
                                          lam_t=0.5, lam_s=lam_s, sigma2=1.0, zeta=np.sqrt(z2),
                                          s=s, reps=4 if quick else 16, seed=0)
            ax.errorbar(z2, -sim.gap_mean[0, 0], yerr=2 * sim.gap_se[0, 0], fmt="o", ms=4,
                        color=color, capsize=2)
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xlabel(r"alignment $\zeta^2$")
    ax.set_ylabel(r"gain $\mathcal{L}_t - \min_{\lambda_s} \mathcal{L}_s$")
    ax.set_title(r"Weighted student against the optimal teacher ($\gamma_t = 0.5$, $\sigma^2 = 1$);"
                 r" points: simulation $\pm 2$ SE", fontsize=9)
    ax.legend(fontsize=8)


def _alignment_region(ax, quick):
    n = 30 if quick else 70
    zetas = np.linspace(0.0, 1.0, n)
    gammas = np.geomspace(0.1, 10, n)
    s = 10.0
    wins = np.array([[_weighted_gain(z, g, s)[0] > 1e-12 for z in zetas] for g in gammas])
    ax.contourf(zetas, gammas, wins, levels=[0.5, 1.5], colors=["#a1d99b"])
    over = gammas[gammas > 1]
    bound = vectorize("weighted_ridge.weak_alignment_bound")(gamma_s=over, gamma_t=0.5,
                                                             sigma2=1.0, s=s)
    ax.plot(np.minimum(bound, 1), over, "k--", lw=1.2, label=r"sufficient bound $\zeta_0$")
    ax.axhline(1.0, color="0.4", ls=":", lw=0.8)
    ax.set_yscale("log")
    ax.set_xlabel(r"alignment $\zeta$")
    ax.set_ylabel(r"student aspect ratio $\gamma_s$")
    ax.set_title(rf"Shaded: the aligned student beats the optimal teacher (s = {s:g}, brute "
                 r"force over $\lambda_s$)", fontsize=9)
    ax.legend(fontsize=8, loc="upper left")


#: Figure name -> drawing function(ax, quick).
PLOTS = {"student-risk": _student_risk, "phase-diagram": _phase_diagram,
         "convergence": _convergence, "gain-vs-zeta2": _gain_vs_zeta2,
         "alignment-region": _alignment_region}


def plot(name: str, path, quick: bool = False) -> Path:
    """Draw figure ``name`` and save it to ``path`` (PNG or PDF by suffix).

    Parameters
    ----------
    name : {"student-risk", "phase-diagram", "convergence"}
    path : str or pathlib.Path
    quick : bool
        Smaller simulations (for tests and the docs build).

    Returns
    -------
    pathlib.Path
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if name not in PLOTS:
        raise ValueError(f"unknown plot {name!r}; known: {', '.join(PLOTS)}")
    path = Path(path)
    if path.suffix.lower() not in (".png", ".pdf"):
        raise ValueError(f"output must end in .png or .pdf; got {path.name!r}")
    fig, ax = plt.subplots(figsize=(6.4, 4.4), constrained_layout=True)
    try:
        PLOTS[name](ax, quick)
        fig.savefig(path, dpi=130)
    finally:
        plt.close(fig)
    return path


# --- mechanism 3 (multi_index) ---------------------------------------------------------------

_MI = {"ce1": 1.0, "ch2": 1.0, "sigma2": 0.25, "gamma_t": 0.5, "gamma_s": 0.5, "theta": 1.0,
       "zeta_h": 1.0}


def _mi_theory(name, **values):
    from numerics import vectorize

    f = vectorize(f"multi_index.{name}")
    return f(**{k: v for k, v in {**_MI, **values}.items() if k in f.parameters})


def _mi_alignment_vs_step(ax, quick):
    from numerics.simulate import simulate_multi_index

    eta = np.geomspace(0.25, 16, 200)
    lines = [("student_alignment_hard", "A(W1_s, u_h)", "C0"),
             ("student_alignment_easy", "A(W1_s, u_e)", "C1"),
             ("student_neuron_cos2_hard", "C(W1_s, u_h)", "C2"),
             ("student_neuron_cos2_easy", "C(W1_s, u_e)", "C3")]
    for name, label, color in lines:
        ax.plot(eta, _mi_theory(name, eta_s=eta), color=color, label=label)
    ax.plot(eta, _mi_theory("teacher_alignment", eta_t=eta), "k--", lw=1,
            label="teacher A(W1_t, u_e) (step eta_t)")
    ax.plot(eta, _mi_theory("teacher_alignment", eta_t=eta) * 0, "k:", lw=1,
            label="teacher A(W1_t, u_h) = 0")
    grid = np.array([0.5, 2.0, 8.0]) if quick else np.array([0.5, 1.0, 2.0, 4.0, 8.0])
    sim = simulate_multi_index(d=80 if quick else 400, gamma_t=0.5, gamma_s=0.5, ce={1: 1},
                               ch={2: 1}, sigma2=0.25, eta_t=3.0, eta_s=grid, theta=1.0,
                               zeta_h=1.0, reps=2 if quick else 8, seed=0)
    keys = ["alignment_hard", "alignment_easy", "neuron_cos2_hard", "neuron_cos2_easy"]
    for key, (_, _, color) in zip(keys, lines):
        ax.errorbar(grid, sim.mean("student", key), yerr=2 * sim.se("student", key), fmt="o",
                    color=color, ms=4)
    ax.set_xscale("log")
    ax.set_xlabel("step size eta_s (giant-step scale)")
    ax.set_ylabel("alignment")
    ax.set_title("Mechanism 3: one step trades the hard direction for the easy one")
    ax.legend(fontsize=7)


def _mi_forgetting(ax, quick):
    from numerics.simulate import simulate_forgetting
    from numerics.state_evolution import hard_component_path

    steps = 3 if quick else 6
    c1 = np.sqrt(8 / 17)
    for eta, color in ((1.0, "C0"), (2.0, "C1")):
        path = hard_component_path(steps, {"gamma_s": "1/2", "theta": 1, "zeta_h": 1,
                                           "eta_s": eta}, coefficients={1: f"{c1:.17f}"}, dps=15)
        ax.plot(range(steps + 1), [float(p["hard_component"]) for p in path], color=color,
                label=f"state evolution, eta_s = {eta:g}")
        for loss, marker in (("correlation", "o"), ("squared", "s")):
            sim = simulate_forgetting(d=60 if quick else 400, gamma_s=0.5, coefficients={1: c1},
                                      theta=1.0, zeta_h=1.0, eta_s=eta, steps=steps,
                                      loss=loss, reps=2 if quick else 4, seed=0)
            h = sim["hard_component"]
            ax.errorbar(range(steps + 1), h.mean(0), yerr=2 * h.std(0, ddof=1) / np.sqrt(len(h)),
                        fmt=marker, color=color, mfc="none" if loss == "squared" else color,
                        ms=5, label=f"simulation, {loss} loss, eta_s = {eta:g}")
    ax.set_xlabel("gradient steps k (fresh batches)")
    ax.set_ylabel("E <w, p>^2")
    ax.set_title("Mechanism 3: more steps erase the pre-trained component")
    ax.legend(fontsize=7)


def _mi_w2s_region(ax, quick):
    n = 40 if quick else 160
    g, z = np.meshgrid(np.geomspace(1e-3, 10, n), np.linspace(0.0, 1.0, n))
    base = {"ce1": 1.0, "ch2": 0.5, "sigma2": 0.1, "gamma_t": 0.5, "theta": 1.5}
    gain = _mi_theory("w2s_gain", gamma_s=g, zeta_h=z, **base)
    ax.contourf(g, z, gain > 0, levels=[-0.5, 0.5, 1.5], colors=["#f3d9d9", "#d9ecf3"])
    zs = np.linspace(0.05, 1.0, 200)
    crit = _mi_theory("critical_gamma_s", zeta_h=zs, **base)
    ax.plot(crit, zs, "k", label="gamma_s* (W2)")
    ax.set_xscale("log")
    ax.set_xlim(1e-3, 10)
    ax.set_xlabel("gamma_s = d/n_s")
    ax.set_ylabel("pre-training quality zeta_h")
    ax.set_title("Mechanism 3: W2S in features (blue) iff gamma_s < gamma_s*")
    ax.legend(fontsize=8, loc="lower right")


PLOTS.update({"multi-index-alignment": _mi_alignment_vs_step,
              "multi-index-forgetting": _mi_forgetting,
              "multi-index-w2s-region": _mi_w2s_region})
