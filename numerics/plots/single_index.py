"""Figures of spectral pre-training and fine-tuning of a single-index student.

``gd-risk-vs-time``
    GD risk against time with the generalisation bound and the saturation level.
``pgr-vs-budget``
    The oracle PGR of online SGD against the pre-training budget ``n_u/d`` with the threshold
    and the BBP point for several ``d``.
``sgd-phase-portrait``
    The SGD phase portrait with the basin boundary ``q_c`` and the stable point ``q*``.

Examples
--------
>>> from numerics.plots import draw
>>> len(draw("sgd-phase-portrait", quick=True)) > 0
True
"""

from __future__ import annotations

from numerics.plots import layout

import numpy as np

from numerics.evaluate import evaluate, vectorize

__all__ = ["gd_risk_vs_time", "pgr_vs_budget", "sgd_phase_portrait"]



SET_D = dict(spike=1.0, eta1=0.45, rho_w=0.9, c3=1.0, b1=0.5, b3=1.0)
LINKS_D = {"c3": 1, "b1": "1/2", "b3": 1}


def gd_risk_vs_time(ax, quick):
    from numerics.simulate import simulate_single_index
    from numerics.single_index import gd_trajectory

    start = {"spike": 1, "gamma_u": "0.25", "eta1": "0.45", "rho_w": "0.9"}
    q0 = evaluate("spectral.initial_q", start, dps=20)
    m0 = evaluate("spectral.initial_m", {k: v for k, v in start.items() if k != "rho_w"}, dps=20)
    steps, eta = 60, 0.1
    point = {"eta": "0.1", "rho_w": "0.9", **LINKS_D}
    traj = gd_trajectory(point, steps, str(q0), str(m0), dps=20)
    t = np.arange(steps + 1)
    risk = [float(x[2]) for x in traj]
    bound = vectorize("single_index.gd_bound")
    adaptive = vectorize("single_index.gd_bound_adaptive")
    D = dict(c3=1.0, b1=0.5, b3=1.0, rho_w=0.9)
    ax.plot(t, risk, color="C0", label="exact risk (the reduced GD map)")
    ax.plot(t, bound(q=float(q0), t=t, eta=eta, **D), color="C1",
            label="generalisation bound (arXiv:2605.05710)")
    ax.plot(t, adaptive(q=np.array([float(x[0]) for x in traj]), c3=1.0, rho_w=0.9), color="C1",
            ls="--",
            label="bound, adaptive form")
    ax.axhline(0.542, color="k", ls=":", lw=1, label=r"saturation $\varphi(\rho_w)$")
    ax.axhline(0.792, color="C3", ls=":", lw=1, label=r"weak supervisor $R_{\mathrm{weak}}$")
    sim = simulate_single_index(d=100 if quick else 300, gamma_u=0.25, algorithm="gd", eta=eta,
                                steps=steps, record=5, reps=3 if quick else 12, seed=0,
                                sign_samples=200, **SET_D)
    se = sim.risk.std(0, ddof=1) / np.sqrt(sim.risk.shape[0])
    ax.errorbar(sim.times, sim.risk.mean(0), yerr=2 * se, fmt="o", color="C0", ms=4, capsize=2,
                label=f"simulation, PCA start (d={100 if quick else 300})")
    ax.set_ylim(0, 4)
    ax.set_xlabel("GD step $t$ ($\\eta = 0.1$)")
    ax.set_ylabel("excess risk $R(x_t)$")
    ax.set_title("Improvement, then saturation at the weak supervisor's bias", fontsize=9)
    layout.legend(ax, fontsize=7)


def pgr_vs_budget(ax, quick):
    from numerics.simulate import simulate_single_index
    from numerics.single_index import pgr_curve

    delta, alpha = 0.005, (100.0 if quick else 600.0)
    base = {**LINKS_D, "spike": 1, "eta1": "0.45", "rho_w": "0.9", "delta": "0.005"}
    threshold = float(evaluate("single_index.pretraining_threshold", base, dps=20))
    budgets = np.linspace(0.5, 3.0, 16 if quick else 60)
    args = dict(c3=1.0, b1=0.5, b3=1.0, spike=1.0, eta1=0.45, rho_w=0.9, delta=delta)
    ax.step(budgets, pgr_curve(budgets, args), where="post", color="k",
            label=r"theory, $d \to \infty$ then $\alpha \to \infty$")
    finite = pgr_curve(budgets, args, alpha=alpha)
    ax.plot(budgets, finite, color="C2", ls="--", label=rf"ODE at $\alpha = {alpha:g}$")
    ax.axvline(threshold, color="k", ls=":", lw=1,
               label="pre-training threshold (arXiv:2605.05710)")
    ax.axvline(1.0, color="C7", ls=":", lw=1, label=r"BBP point $n_u/d = 1/\lambda^2$")
    ax.text(threshold, 0.0, rf" $n_u^*/d = {threshold:.3f}$", fontsize=8)
    ax.text(1.0, -0.8, " BBP", fontsize=8, color="C7")
    ds = (60,) if quick else (250, 500, 1000)
    points = np.array([0.8, 1.6, 2.4] if quick else [0.6, 0.9, 1.1, 1.25, 1.35, 1.45, 1.55,
                                                     1.75, 2.0, 3.0])
    for k, d in enumerate(ds):
        means, ses = [], []
        for n in points:
            sim = simulate_single_index(d=d, gamma_u=1 / n, algorithm="sgd", delta=delta,
                                        sign_samples=200 if quick else 20,
                                        alpha=alpha, record=alpha, reps=3 if quick else 16,
                                        seed=k, **SET_D)
            mean, se = sim.final("pgr")
            means.append(mean), ses.append(se)
        ax.errorbar(points + 0.015 * k, means, yerr=2 * np.array(ses), fmt="o", ms=4, capsize=2,
                    color=f"C{k}", label=f"simulation d={d}")
    ax.set_xlabel("pre-training budget $n_u/d$")
    ax.set_ylabel("oracle PGR of online SGD")
    ax.set_title("Phase transition in the amount of pre-training\n"
                 rf"(anchor links of the docs, $\delta = {delta}$)", fontsize=9)
    layout.legend(ax, fontsize=7, loc="center right")


def sgd_phase_portrait(ax, quick):
    from theory import single_index as si
    import sympy

    delta = 0.005
    dq, dm = si.sgd_drift()
    subs = {si.delta: delta, si.rho_w: sympy.Rational(9, 10), si.c[2]: 1,
            si.b[0]: sympy.Rational(1, 2), si.b[2]: 1}
    subs.update({x: 0 for x in si.LINKS if x not in subs})
    f = sympy.lambdify([si.q, si.m], [dq.subs(subs), dm.subs(subs)], "numpy")
    n = 25 if quick else 45
    Q, M = np.meshgrid(np.linspace(-0.05, 1.0, n), np.linspace(-0.2, 1.0, n))
    U, V = f(Q, M)
    ax.streamplot(Q, M, U * np.ones_like(Q), V * np.ones_like(Q), density=0.8 if quick else 1.3,
                  color="0.6", linewidth=0.7)
    q_c = float(evaluate("single_index.sgd_basin_boundary", LINKS_D, delta=str(delta), dps=20))
    q_s = float(evaluate("single_index.sgd_stable_point", LINKS_D, delta=str(delta), dps=20))
    ax.axvline(q_c, color="C3", ls="--", label=rf"basin boundary $q_c = {q_c:.4f}$")
    ax.plot([q_s], [0.9 * q_s], "o", color="C2", label=rf"stable $q^* = {q_s:.4f}$, $m^* = \rho_w q^*$")
    ax.plot([0], [0], "o", color="k", label="stable $q = 0$")
    qq = np.linspace(0, 1, 50)
    ax.plot(qq, 0.9 * qq, color="C2", lw=0.8, ls=":")
    ax.set_xlabel("$q = <x, w>$")
    ax.set_ylabel("$m = <x, v_0>$")
    ax.set_title(rf"Online SGD ODE, anchor links of the docs, $\delta = {delta}$: bistability",
                 fontsize=9)
    layout.legend(ax, fontsize=7, loc="upper left")
