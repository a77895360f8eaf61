"""Figures of checkpoint analyses: PGR and the emergence of W2SG over pre-training.

:func:`checkpoint_figure` draws ``w2s pgr --plot``; ``pgr-emergence`` is the gallery's synthetic
example (:mod:`numerics.checkpoints`).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["checkpoint_figure", "checkpoint_panels", "pgr_emergence"]




def checkpoint_panels(axes, analysis):
    """Gain, gap and PGR with their CIs against the x-axis; ceiling emergence and the change point
    (with its CI) marked."""
    t, x = analysis.table, analysis.x
    specs = (("gain", r"gain $\Delta_k$"), ("gap", r"gap $\Gamma_k$"), ("pgr", "PGR (where defined)"))
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
    >>> from numerics.plots.checkpoints import checkpoint_figure
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
            checkpoint_panels(axes[:, j], a)
        fig.savefig(path, dpi=130)
    finally:
        plt.close(fig)
    return path


def pgr_emergence(ax, quick):
    from numerics.checkpoints import analyse, synthesize

    a = analyse(synthesize("logistic", seed=0).data, B=200 if quick else 1000, detectors=False)
    checkpoint_panels([ax], a)
    ax.set_title("Synthetic Pythia-like schedule: gain with 90% CIs; W2SG emerges after the "
                 "ceiling overtakes the weak model", fontsize=9)
