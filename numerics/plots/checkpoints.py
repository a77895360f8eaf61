"""Figures of checkpoint analyses: PGR and the emergence of W2SG over pre-training.

:func:`checkpoint_figure` draws ``w2s pgr --plot``; ``pgr-emergence`` is the gallery's synthetic
example (:mod:`numerics.checkpoints`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from numerics.plots import layout
from numerics.style import COLORS

__all__ = ["checkpoint_figure", "checkpoint_panels", "pgr_emergence", "robust_limits"]



def _x(analysis):
    """The x values and the scale of the panels: steps on a log axis for ``log_step`` (step 0
    sits on the linear stretch of a symmetric-log axis), else the analysis' own x."""
    kind = analysis.provenance["x_axis"]
    if kind == "log_step":
        return analysis.steps.astype(float), "step (log scale)", "symlog"
    label = {"step": "step", "index": "checkpoint index", "tokens": "tokens"}[kind]
    return np.asarray(analysis.x, float), label, "linear"


def robust_limits(values, lo, hi, spread: float = 3.0):
    """y-limits that show every estimate and the CI bands except bounds far outside them.

    The limits cover the estimates and the CI bounds that lie within ``spread`` times the
    estimates' range of them (a bootstrap band blown up by one near-empty checkpoint does not
    squash the panel); ``None`` when there are no finite values.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.plots.checkpoints import robust_limits
    >>> est = np.array([0.1, 0.2, 0.3])
    >>> robust_limits(est, est - 0.05, np.array([0.35, 0.25, 40.0]))  # one absurd bound
    (0.0..., 0.37...)
    """
    est = np.asarray(values, float)
    est = est[np.isfinite(est)]
    if not len(est):
        return None
    a, b = float(est.min()), float(est.max())
    width = max(b - a, 1e-12 * max(1.0, abs(a), abs(b)), 1e-9)
    bounds = np.concatenate([np.asarray(lo, float), np.asarray(hi, float)])
    bounds = bounds[np.isfinite(bounds) & (bounds >= a - spread * width)
                    & (bounds <= b + spread * width)]
    if len(bounds):
        a, b = min(a, float(bounds.min())), max(b, float(bounds.max()))
    pad = 0.05 * (b - a if b > a else width)
    return a - pad, b + pad


def checkpoint_panels(axes, analysis, title: str | None = None):
    """Gain, gap and PGR with their CIs against the checkpoints (steps on a log axis); the
    ceiling emergence and the change point (with its CI) marked; colours of
    :data:`numerics.style.COLORS`, y-limits by :func:`robust_limits`."""
    t = analysis.table
    x, xlabel, scale = _x(analysis)
    specs = (("gain", r"gain $\Delta_k$"), ("gap", r"gap $\Gamma_k$"),
             ("pgr", r"PGR $\Delta_k / \Gamma_k$"))
    level = f"{1 - analysis.provenance['alpha']:.0%}"
    for ax, (name, label) in zip(axes, specs):
        ax.plot(x, t[name], "o-", ms=2.5, lw=1, color=COLORS[0], label=f"{label}, per checkpoint")
        ax.fill_between(x, t[f"{name}_lo"], t[f"{name}_hi"], color=COLORS[0], alpha=0.25, lw=0,
                        label=f"{level} bootstrap CI")
        ax.axhline(0, color="k", lw=0.6)
        ax.set_ylabel(label)
        if analysis.k0 is not None:
            ax.axvline(x[analysis.k0], color=COLORS[2], ls="--", lw=1,
                       label=f"ceiling > weak (step {analysis.steps[analysis.k0]})")
        if analysis.change is not None:
            lo, hi = analysis.change["ci_k"]
            ax.axvspan(x[max(lo - 1, 0)], x[hi], color=COLORS[3], alpha=0.12, lw=0)
            ax.axvline(x[analysis.change["k_hat"]], color=COLORS[3], lw=1.2,
                       label=f"change point (step {analysis.change['step']}), "
                             f"{analysis.change['ci_level']:.0%} CI shaded")
        limits = robust_limits(np.append(np.asarray(t[name], float), 0.0), t[f"{name}_lo"],
                               t[f"{name}_hi"])
        if limits is not None:
            ax.set_ylim(*limits)
        if scale == "symlog":
            ax.set_xscale("symlog", linthresh=1.0, linscale=0.3)
            ax.set_xlim(0, max(float(np.nanmax(x)), 1.0) * 1.3)
    axes[0].set_title(title or f"{analysis.task or '-'}/{analysis.model or '-'}: bands are "
                               f"{level} bootstrap CIs", fontsize=9)
    axes[-1].set_xlabel(xlabel)
    layout.legend(axes[0], fontsize=7, loc="upper left")


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
    >>> from numerics.plots.checkpoints import checkpoint_figure
    >>> a = analyse(synthesize("step", seed=0).data, B=50, detectors=False)
    >>> checkpoint_figure([a], pathlib.Path(tempfile.mkdtemp()) / "pgr.png").exists()
    True
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cycler import cycler

    from numerics.style import RC

    path = Path(path)
    with plt.rc_context({**RC, "axes.prop_cycle": cycler(color=COLORS)}):  # the house style
        fig, axes = plt.subplots(3, len(analyses), figsize=(6.4 * len(analyses), 7.5),
                                 sharex="col", squeeze=False, constrained_layout=True)
        try:
            for j, a in enumerate(analyses):
                checkpoint_panels(axes[:, j], a)
            fig.savefig(path, dpi=130)
        finally:
            plt.close(fig)
    return path


def pgr_emergence(ax, quick):
    from numerics.checkpoints import analyse, synthesize

    a = analyse(synthesize("logistic", seed=0).data, B=200 if quick else 1000, detectors=False)
    checkpoint_panels([ax], a, title="Synthetic Pythia-like schedule (gain with 90% CIs):\n"
                      "W2SG emerges after the ceiling overtakes the weak model")
