"""Figures of one gradient step of two-layer networks (mechanism 3).

``multi-index-alignment``, ``multi-index-forgetting``, ``multi-index-w2s-region``: the
alignments against the step size, forgetting of the hard direction over steps, and where the
student beats the teacher in features.

Examples
--------
>>> from numerics.plots.multi_index import theory_curve
>>> float(theory_curve("teacher_alignment", eta_t=1.0)) > 0
True
"""

from __future__ import annotations

import numpy as np

from numerics.plots import common, layout

__all__ = ["alignment_vs_step", "forgetting", "w2s_region", "theory_curve"]



BASE = {"ce1": 1.0, "ch2": 1.0, "sigma2": 0.25, "gamma_t": 0.5, "gamma_s": 0.5, "theta": 1.0,
       "zeta_h": 1.0}


def theory_curve(name, **values):
    from numerics import vectorize

    f = vectorize(f"multi_index.{name}")
    return f(**{k: v for k, v in {**BASE, **values}.items() if k in f.parameters})


def alignment_vs_step(ax, quick):
    from numerics.simulate import simulate_multi_index

    eta = np.geomspace(0.25, 16, 200)
    lines = [("student_alignment_hard", r"$\mathcal{A}(W_1^s, u_h)$", "C0"),
             ("student_alignment_easy", r"$\mathcal{A}(W_1^s, u_e)$", "C1"),
             ("student_neuron_cos2_hard", r"$C(W_1^s, u_h)$", "C2"),
             ("student_neuron_cos2_easy", r"$C(W_1^s, u_e)$", "C3")]
    for name, label, color in lines:
        ax.plot(eta, theory_curve(name, eta_s=eta), color=color, label=label)
    ax.plot(eta, theory_curve("teacher_alignment", eta_t=eta), "k--", lw=1,
            label=r"teacher $\mathcal{A}(W_1^t, u_e)$ (step $\tilde\eta_t$)")
    ax.plot(eta, theory_curve("teacher_alignment", eta_t=eta) * 0, "k:", lw=1,
            label=r"teacher $\mathcal{A}(W_1^t, u_h) = 0$")
    grid = np.array([0.5, 2.0, 8.0]) if quick else np.array([0.5, 1.0, 2.0, 4.0, 8.0])
    sim = simulate_multi_index(d=80 if quick else 400, gamma_t=0.5, gamma_s=0.5, ce={1: 1},
                               ch={2: 1}, sigma2=0.25, eta_t=3.0, eta_s=grid, theta=1.0,
                               zeta_h=1.0, reps=2 if quick else 8, seed=0)
    keys = ["alignment_hard", "alignment_easy", "neuron_cos2_hard", "neuron_cos2_easy"]
    for k, (key, (_, _, color)) in enumerate(zip(keys, lines)):
        ax.errorbar(grid, sim.mean("student", key), yerr=2 * sim.se("student", key), fmt="o",
                    color=color, ms=4,
                    label=r"simulation $\pm 2$ SE (same colour)" if k == 0 else None)
    ax.set_xscale("log")
    ax.set_xlabel(r"step size $\tilde\eta_s$ (giant-step scale)")
    ax.set_ylabel("alignment")
    ax.set_title("Mechanism 3: one step trades the hard direction for the easy one")
    layout.legend(ax, fontsize=7)


def forgetting(ax, quick):
    from numerics.simulate import simulate_forgetting
    from numerics.state_evolution import hard_component_path

    steps = 3 if quick else 6
    c1 = np.sqrt(8 / 17)
    for eta, color in ((1.0, "C0"), (2.0, "C1")):
        path = hard_component_path(steps, {"gamma_s": "1/2", "theta": 1, "zeta_h": 1,
                                           "eta_s": eta}, coefficients={1: f"{c1:.17f}"}, dps=15)
        ax.plot(range(steps + 1), [float(p["hard_component"]) for p in path], color=color,
                label=rf"state evolution, $\tilde\eta_s = {eta:g}$")
        for loss, marker in (("correlation", "o"), ("squared", "s")):
            sim = simulate_forgetting(d=60 if quick else 400, gamma_s=0.5, coefficients={1: c1},
                                      theta=1.0, zeta_h=1.0, eta_s=eta, steps=steps,
                                      loss=loss, reps=2 if quick else 4, seed=0)
            h = sim["hard_component"]
            ax.errorbar(range(steps + 1), h.mean(0), yerr=2 * h.std(0, ddof=1) / np.sqrt(len(h)),
                        fmt=marker, color=color, mfc="none" if loss == "squared" else color,
                        ms=5, label=rf"simulation, {loss} loss, $\tilde\eta_s = {eta:g}$")
    ax.set_xlabel("gradient steps k (fresh batches)")
    ax.set_ylabel(r"$\mathbb{E}\langle w, p\rangle^2$")
    ax.set_title("Mechanism 3: more steps erase the pre-trained component")
    layout.legend(ax, fontsize=7)


def w2s_region(ax, quick):
    n = 40 if quick else 160
    g, z = np.meshgrid(np.geomspace(1e-3, 10, n), np.linspace(0.0, 1.0, n))
    base = {"ce1": 1.0, "ch2": 0.5, "sigma2": 0.1, "gamma_t": 0.5, "theta": 1.5}
    gain = theory_curve("w2s_gain", gamma_s=g, zeta_h=z, **base)
    win, lose = "#d9ecf3", "#f3d9d9"
    ax.contourf(g, z, gain > 0, levels=[-0.5, 0.5, 1.5], colors=[lose, win])
    zs = np.linspace(0.05, 1.0, 200)
    crit = theory_curve("critical_gamma_s", zeta_h=zs, **base)
    ax.plot(crit, zs, "k")
    ax.set_xscale("log")
    ax.set_xlim(1e-3, 10)
    ax.set_xlabel(r"$\gamma_s = d/n_s$")
    ax.set_ylabel(r"pre-training quality $\zeta_h$")
    ax.set_title("Mechanism 3: the student's features beat the teacher iff "
                 r"$\gamma_s < \gamma_s^*$")
    layout.legend(ax, handles=common.handles(
        ("patch", r"W2S in features: $\Delta > 0$", {"facecolor": win, "edgecolor": "0.4", "linewidth": 0.5}),
        ("patch", r"no W2S: $\Delta < 0$", {"facecolor": lose, "edgecolor": "0.4", "linewidth": 0.5}),
        ("line", r"derived threshold $\gamma_s^*$", {"color": "k"})),
        fontsize=8, loc="lower right")
