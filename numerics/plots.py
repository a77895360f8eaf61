"""Figures of mechanism 1 (matplotlib): theory curves with simulation points.

``student-risk``
    The student's risk against ``lam_s`` for several teachers, the teachers' risks as reference
    lines, simulation points with error bars.
``phase-diagram``
    Where some student beats the teacher in the plane (``lam_t / lam_star``, ``gamma_s``): the
    region is shaded from the contour of the derived boundary ``B/A = rho_c(gamma_s)`` (with its
    jump at ``gamma_s = 1``), and a coarse brute-force grid (minimum of ``L_s - L_t`` over
    ``lam_s``) is drawn over it as dots.
``gain-vs-zeta2``
    Mechanism 2: the weighted student's best gain over the optimal teacher against ``zeta^2``,
    theory lines and simulation points, for several ``s`` and ``gamma_s``.
``alignment-region``
    Mechanism 2: where in (``zeta``, ``gamma_s``) the aligned student wins (the contour of its
    best gain), with the sufficient bound ``zeta_0`` below which an over-parameterised student
    cannot.
``pgr-emergence``
    Checkpoints: the gain of a W2S student with bootstrap CIs over a synthetic Pythia schedule,
    the ceiling's emergence and the change point with its CI (:mod:`numerics.checkpoints`).
``gd-risk-vs-time``, ``pgr-vs-budget``, ``sgd-phase-portrait``
    Seed 003: GD risk against time with the C1 bound and the saturation level; the oracle PGR of
    online SGD against the pre-training budget ``n_u/d`` with the threshold and the BBP point for
    several ``d``; the SGD phase portrait with ``q_c`` and ``q*``.
``convergence``
    The finite-size bias of the ridgeless teacher's risk against ``d`` (log-log, eight sizes), a
    weighted fit with its slope's standard error, and the exact finite-``d`` value.

Every figure is drawn in the house style of :mod:`numerics.style` and has a legend entry for each
line, mark and shaded region.

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
from numerics.style import COLORS, FORMATS, REGION, Progress, figure, save

__all__ = ["PLOTS", "plot", "draw", "convergence_data"]


def _handles(*items):
    """Legend proxies: ``("line", label, kwargs)``, ``("patch", ...)`` or ``("marker", ...)``."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    out = []
    for kind, label, kw in items:
        if kind == "patch":
            out.append(Patch(label=label, **kw))
        elif kind == "marker":
            out.append(Line2D([], [], ls="none", label=label, **kw))
        else:
            out.append(Line2D([], [], label=label, **kw))
    return out


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
    for j, (lt, color) in enumerate(zip(teachers, COLORS)):
        label = rf"student, $\lambda_t={lt:g}$" + (r" $=\lambda^\star$" if lt == lam_star else "")
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
    handles = ax.get_legend_handles_labels()[0] + _handles(
        ("line", r"teacher $\mathcal{L}_t$ (same colour)", {"color": "0.4", "ls": ":", "lw": 1}),
        ("marker", r"simulation $\pm 2$ SE", {"color": "0.4", "marker": "o"}))
    ax.legend(handles=handles)


def _phase_diagram(ax, quick):
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
    ax.set_xlabel(r"teacher regularisation $\lambda_t / \lambda^\star$")
    ax.set_ylabel(r"student aspect ratio $\gamma_s$")
    ax.set_title(rf"Where some student beats the teacher ($\gamma_t={gamma_t}$, "
                 rf"$\sigma^2={sigma2:g}$, $r^2=1$)")
    ax.legend(handles=_handles(
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


def _convergence(ax, quick):
    ds = np.array([8, 16, 32, 64] if quick else [8, 12, 16, 24, 32, 48, 64, 96])
    progress = _progress("convergence", len(ds))
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
    ax.legend()


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
    cases = ((0.5, 10.0), (0.5, 1.0), (2.0, 10.0))
    progress = _progress("gain-vs-zeta2", len(cases) * len(sim_zeta2))
    for (gamma_s, s), color in zip(cases, COLORS):
        gains = [_weighted_gain(np.sqrt(z2), gamma_s, s)[0] for z2 in zeta2]
        ax.plot(zeta2, gains, color=color, label=rf"theory, $\gamma_s={gamma_s}$, $s={s:g}$")
        for z2 in sim_zeta2:
            gain, lam_s = _weighted_gain(np.sqrt(z2), gamma_s, s)
            sim = simulate_weighted_ridge(d=100 if quick else 250, gamma_t=0.5, gamma_s=gamma_s,
                                          lam_t=0.5, lam_s=lam_s, sigma2=1.0, zeta=np.sqrt(z2),
                                          s=s, reps=4 if quick else 16, seed=0)
            ax.errorbar(z2, -sim.gap_mean[0, 0], yerr=2 * sim.gap_se[0, 0], fmt="o",
                        color=color)
            progress.step(f"gamma_s={gamma_s}, s={s:g}, zeta^2={z2:g}")
    ax.set_xlabel(r"alignment $\zeta^2$")
    ax.set_ylabel(r"gain $\mathcal{L}_t - \min_{\lambda_s} \mathcal{L}_s$")
    ax.set_title(r"Weighted student against the optimal teacher ($\lambda_t = \lambda^\star$, "
                 r"$\gamma_t = 0.5$, $\sigma^2 = 1$)")
    handles = ax.get_legend_handles_labels()[0] + _handles(
        ("marker", r"simulation at the best $\lambda_s$, $\pm 2$ SE",
         {"color": "0.4", "marker": "o"}))
    ax.legend(handles=handles)


def _alignment_region(ax, quick):
    n = 30 if quick else 90
    zetas = np.linspace(0.0, 1.0, n)
    gammas = np.sort(np.concatenate([np.geomspace(0.1, 10, n), [0.999, 1.001]]))  # the jump
    s = 10.0
    gain = np.array([[_weighted_gain(z, g, s)[0] for z in zetas] for g in gammas])
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
    ax.legend(handles=_handles(
        ("patch", r"some $\lambda_s$ wins (gain $> 0$, minimum over $\lambda_s$)", REGION),
        ("line", r"sufficient bound $\zeta_0$: no win below it", {"color": "k", "ls": "--",
                                                                 "lw": 1.2}),
        ("line", r"$\gamma_s = 1$", {"color": "0.4", "ls": ":", "lw": 0.8})),
        loc="upper left", framealpha=0.9, frameon=True)


# --- seed 003: pre-training as a spectral warm start (pretraining.md) ------------------------

_SET_D = dict(spike=1.0, eta1=0.45, rho_w=0.9, c3=1.0, b1=0.5, b3=1.0)
_LINKS_D = {"c3": 1, "b1": "1/2", "b3": 1}


def _gd_risk_vs_time(ax, quick):
    from numerics.simulate import simulate_single_index
    from numerics.single_index import gd_trajectory

    start = {"spike": 1, "gamma_u": "0.25", "eta1": "0.45", "rho_w": "0.9"}
    q0 = evaluate("spectral.initial_q", start, dps=20)
    m0 = evaluate("spectral.initial_m", {k: v for k, v in start.items() if k != "rho_w"}, dps=20)
    steps, eta = 60, 0.1
    point = {"eta": "0.1", "rho_w": "0.9", **_LINKS_D}
    traj = gd_trajectory(point, steps, str(q0), str(m0), dps=20)
    t = np.arange(steps + 1)
    risk = [float(x[2]) for x in traj]
    bound = vectorize("single_index.gd_bound")
    adaptive = vectorize("single_index.gd_bound_adaptive")
    D = dict(c3=1.0, b1=0.5, b3=1.0, rho_w=0.9)
    ax.plot(t, risk, color="C0", label="exact risk (map F14)")
    ax.plot(t, bound(q=float(q0), t=t, eta=eta, **D), color="C1", label="C1 bound")
    ax.plot(t, adaptive(q=np.array([float(x[0]) for x in traj]), c3=1.0, rho_w=0.9), color="C1",
            ls="--",
            label="C1 adaptive")
    ax.axhline(0.542, color="k", ls=":", lw=1, label=r"saturation $\varphi(\rho_w)$")
    ax.axhline(0.792, color="C3", ls=":", lw=1, label=r"weak supervisor $R_{\mathrm{weak}}$")
    sim = simulate_single_index(d=100 if quick else 300, gamma_u=0.25, algorithm="gd", eta=eta,
                                steps=steps, record=5, reps=3 if quick else 12, seed=0,
                                sign_samples=200, **_SET_D)
    se = sim.risk.std(0, ddof=1) / np.sqrt(sim.risk.shape[0])
    ax.errorbar(sim.times, sim.risk.mean(0), yerr=2 * se, fmt="o", color="C0", ms=4, capsize=2,
                label=f"simulation, PCA start (d={100 if quick else 300})")
    ax.set_ylim(0, 4)
    ax.set_xlabel("GD step $t$ ($\\eta = 0.1$)")
    ax.set_ylabel("excess risk $R(x_t)$")
    ax.set_title("Improvement, then saturation at the weak supervisor's bias", fontsize=9)
    ax.legend(fontsize=7)


def _pgr_vs_budget(ax, quick):
    from numerics.simulate import simulate_single_index
    from numerics.single_index import pgr_curve

    delta, alpha = 0.005, (100.0 if quick else 600.0)
    base = {**_LINKS_D, "spike": 1, "eta1": "0.45", "rho_w": "0.9", "delta": "0.005"}
    threshold = float(evaluate("single_index.pretraining_threshold", base, dps=20))
    budgets = np.linspace(0.5, 3.0, 16 if quick else 60)
    args = dict(c3=1.0, b1=0.5, b3=1.0, spike=1.0, eta1=0.45, rho_w=0.9, delta=delta)
    ax.step(budgets, pgr_curve(budgets, args), where="post", color="k",
            label=r"theory, $d \to \infty$ then $\alpha \to \infty$")
    finite = pgr_curve(budgets, args, alpha=alpha)
    ax.plot(budgets, finite, color="C2", ls="--", label=rf"ODE at $\alpha = {alpha:g}$")
    ax.axvline(threshold, color="k", ls=":", lw=1, label="pre-training threshold (Theorem PT)")
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
                                        seed=k, **_SET_D)
            mean, se = sim.final("pgr")
            means.append(mean), ses.append(se)
        ax.errorbar(points + 0.015 * k, means, yerr=2 * np.array(ses), fmt="o", ms=4, capsize=2,
                    color=f"C{k}", label=f"simulation d={d}")
    ax.set_xlabel("pre-training budget $n_u/d$")
    ax.set_ylabel("oracle PGR of online SGD")
    ax.set_title("Phase transition in the amount of pre-training (set D, "
                 rf"$\delta = {delta}$)", fontsize=9)
    ax.legend(fontsize=7, loc="center right")


def _sgd_phase_portrait(ax, quick):
    from theory import single_index as si
    import sympy

    delta = 0.005
    dq, dm = si.sgd_drift()
    subs = {si.delta: delta, si.rho_w: sympy.Rational(9, 10), si.c[2]: 1,
            si.b[0]: sympy.Rational(1, 2), si.b[2]: 1}
    subs.update({x: 0 for x in (*si.c, *si.b, si._sigma_xi2) if x not in subs})
    f = sympy.lambdify([si.q, si.m], [dq.subs(subs), dm.subs(subs)], "numpy")
    n = 25 if quick else 45
    Q, M = np.meshgrid(np.linspace(-0.05, 1.0, n), np.linspace(-0.2, 1.0, n))
    U, V = f(Q, M)
    ax.streamplot(Q, M, U * np.ones_like(Q), V * np.ones_like(Q), density=0.8 if quick else 1.3,
                  color="0.6", linewidth=0.7)
    q_c = float(evaluate("single_index.sgd_basin_boundary", _LINKS_D, delta=str(delta), dps=20))
    q_s = float(evaluate("single_index.sgd_stable_point", _LINKS_D, delta=str(delta), dps=20))
    ax.axvline(q_c, color="C3", ls="--", label=rf"basin boundary $q_c = {q_c:.4f}$")
    ax.plot([q_s], [0.9 * q_s], "o", color="C2", label=rf"stable $q^* = {q_s:.4f}$, $m^* = \rho_w q^*$")
    ax.plot([0], [0], "o", color="k", label="stable $q = 0$")
    qq = np.linspace(0, 1, 50)
    ax.plot(qq, 0.9 * qq, color="C2", lw=0.8, ls=":")
    ax.set_xlabel("$q = <x, w>$")
    ax.set_ylabel("$m = <x, v_0>$")
    ax.set_title(rf"Online SGD ODE (F20), set D, $\delta = {delta}$: bistability", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")


#: Figure name -> drawing function(ax, quick).
PLOTS = {"student-risk": _student_risk, "phase-diagram": _phase_diagram,
         "convergence": _convergence, "gain-vs-zeta2": _gain_vs_zeta2,
         "alignment-region": _alignment_region, "gd-risk-vs-time": _gd_risk_vs_time,
         "pgr-vs-budget": _pgr_vs_budget, "sgd-phase-portrait": _sgd_phase_portrait}


_SHOW_PROGRESS = False


def _progress(name: str, total: int) -> Progress:
    """Progress of a long figure, on standard error when :func:`plot` asks for it."""
    return Progress(name, total, enabled=_SHOW_PROGRESS)


def draw(name: str, quick: bool = False):
    """Draw figure ``name`` in the house style and return its axes' legend texts and the figure.

    For tests and notebooks; :func:`plot` saves it.

    Examples
    --------
    >>> from numerics.plots import draw
    >>> "brute force: does not win" in draw("phase-diagram", quick=True)
    True
    """
    with figure() as (fig, ax):
        PLOTS[name](ax, quick)
        legend = ax.get_legend()
        return [t.get_text() for t in legend.get_texts()] if legend else []


def plot(name: str, path, quick: bool = False, progress: bool = False) -> Path:
    """Draw figure ``name`` and save it to ``path`` (PNG, PDF or SVG by suffix).

    Parameters
    ----------
    name : str
        A key of :data:`PLOTS`.
    path : str or pathlib.Path
    quick : bool
        Smaller simulations (for tests and the docs build).
    progress : bool
        Report the progress of long figures on standard error.

    Returns
    -------
    pathlib.Path
    """
    global _SHOW_PROGRESS

    if name not in PLOTS:
        raise ValueError(f"unknown plot {name!r}; known: {', '.join(PLOTS)}")
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"output must end in {', '.join(FORMATS)}; got {path.name!r}")
    _SHOW_PROGRESS = progress
    try:
        with figure() as (fig, ax):
            PLOTS[name](ax, quick)
            save(fig, path)
    finally:
        _SHOW_PROGRESS = False
    return path


# --- checkpoints: PGR and the emergence of W2SG over pre-training (numerics.checkpoints) -------


def _checkpoint_panels(axes, analysis):
    """Gain, gap and PGR with their CIs against the x-axis; ceiling emergence and the change point
    (with its CI) marked."""
    t, x = analysis.table, analysis.x
    specs = (("gain", r"gain $\Delta_k$"), ("gap", r"gap $\Gamma_k$"), ("pgr", "PGR (status ok)"))
    level = f"{1 - analysis.provenance['alpha']:.0%}"
    for ax, (name, label) in zip(axes, specs):
        ax.plot(x, t[name], "o-", ms=2.5, lw=1, color="C0", label=f"{label}, per checkpoint")
        ax.fill_between(x, t[f"{name}_lo"], t[f"{name}_hi"], color="C0", alpha=0.25, lw=0,
                        label=f"{level} bootstrap CI")
        ax.axhline(0, color="k", lw=0.6)
        ax.set_ylabel(label)
        if analysis.k0 is not None:
            ax.axvline(x[analysis.k0], color="C2", ls="--", lw=1,
                       label=f"ceiling > weak (step {analysis.steps[analysis.k0]})")
        if analysis.change is not None:
            lo, hi = analysis.change["ci_k"]
            ax.axvspan(x[max(lo - 1, 0)], x[hi], color="C3", alpha=0.12, lw=0)
            ax.axvline(x[analysis.change["k_hat"]], color="C3", lw=1.2,
                       label=f"change point (step {analysis.change['step']}), "
                             f"{analysis.change['ci_level']:.0%} CI shaded")
    axes[0].legend(fontsize=7, loc="upper left")
    axes[0].set_title(f"{analysis.task or '-'}/{analysis.model or '-'}: bands are "
                      f"{1 - analysis.provenance['alpha']:.0%} bootstrap CIs", fontsize=9)
    axes[-1].set_xlabel({"log_step": r"$\log_{10}(\mathrm{step}+1)$", "step": "step",
                         "index": "checkpoint index",
                         "tokens": "tokens"}[analysis.provenance["x_axis"]])


def checkpoint_figure(analyses, path) -> Path:
    """Figure of ``w2s pgr --plot``: one column of gain, gap and PGR panels per analysis.

    Parameters
    ----------
    analyses : list of numerics.checkpoints.Analysis
    path : str or pathlib.Path
        ``.png`` or ``.pdf``.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from numerics.checkpoints import analyse, synthesize
    >>> from numerics.plots import checkpoint_figure
    >>> a = analyse(synthesize("step", seed=0).data, B=50, detectors=False)
    >>> checkpoint_figure([a], pathlib.Path(tempfile.mkdtemp()) / "pgr.png").exists()
    True
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    fig, axes = plt.subplots(3, len(analyses), figsize=(6.4 * len(analyses), 7.5), sharex="col",
                             squeeze=False, constrained_layout=True)
    try:
        for j, a in enumerate(analyses):
            _checkpoint_panels(axes[:, j], a)
        fig.savefig(path, dpi=130)
    finally:
        plt.close(fig)
    return path


def _pgr_emergence(ax, quick):
    from numerics.checkpoints import analyse, synthesize

    a = analyse(synthesize("logistic", seed=0).data, B=200 if quick else 1000, detectors=False)
    _checkpoint_panels([ax], a)
    ax.set_title("Synthetic Pythia-like schedule: gain with 90% CIs; W2SG emerges after the "
                 "ceiling overtakes the weak model", fontsize=9)


PLOTS["pgr-emergence"] = _pgr_emergence
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
    lines = [("student_alignment_hard", r"$\mathcal{A}(W_1^s, u_h)$", "C0"),
             ("student_alignment_easy", r"$\mathcal{A}(W_1^s, u_e)$", "C1"),
             ("student_neuron_cos2_hard", r"$C(W_1^s, u_h)$", "C2"),
             ("student_neuron_cos2_easy", r"$C(W_1^s, u_e)$", "C3")]
    for name, label, color in lines:
        ax.plot(eta, _mi_theory(name, eta_s=eta), color=color, label=label)
    ax.plot(eta, _mi_theory("teacher_alignment", eta_t=eta), "k--", lw=1,
            label=r"teacher $\mathcal{A}(W_1^t, u_e)$ (step $\tilde\eta_t$)")
    ax.plot(eta, _mi_theory("teacher_alignment", eta_t=eta) * 0, "k:", lw=1,
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
    ax.legend(fontsize=7)


def _mi_w2s_region(ax, quick):
    n = 40 if quick else 160
    g, z = np.meshgrid(np.geomspace(1e-3, 10, n), np.linspace(0.0, 1.0, n))
    base = {"ce1": 1.0, "ch2": 0.5, "sigma2": 0.1, "gamma_t": 0.5, "theta": 1.5}
    gain = _mi_theory("w2s_gain", gamma_s=g, zeta_h=z, **base)
    win, lose = "#d9ecf3", "#f3d9d9"
    ax.contourf(g, z, gain > 0, levels=[-0.5, 0.5, 1.5], colors=[lose, win])
    zs = np.linspace(0.05, 1.0, 200)
    crit = _mi_theory("critical_gamma_s", zeta_h=zs, **base)
    ax.plot(crit, zs, "k")
    ax.set_xscale("log")
    ax.set_xlim(1e-3, 10)
    ax.set_xlabel(r"$\gamma_s = d/n_s$")
    ax.set_ylabel(r"pre-training quality $\zeta_h$")
    ax.set_title("Mechanism 3: the student's features beat the teacher iff "
                 r"$\gamma_s < \gamma_s^*$")
    ax.legend(handles=_handles(
        ("patch", r"W2S in features: $\Delta > 0$", {"facecolor": win, "edgecolor": "0.4", "linewidth": 0.5}),
        ("patch", r"no W2S: $\Delta < 0$", {"facecolor": lose, "edgecolor": "0.4", "linewidth": 0.5}),
        ("line", r"derived threshold $\gamma_s^*$ (W2)", {"color": "k"})),
        fontsize=8, loc="lower right")


PLOTS.update({"multi-index-alignment": _mi_alignment_vs_step,
              "multi-index-forgetting": _mi_forgetting,
              "multi-index-w2s-region": _mi_w2s_region})
