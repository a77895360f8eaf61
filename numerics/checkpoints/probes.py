"""A linear probe across checkpoints: its correlation with the W2S gain and the PGR, its change
point, and whether its emergence precedes W2SG's (``docs/checkpoint-analysis.md``).

arXiv 2605.05710 reports a positive correlation between W2SG performance and the emergence of
linear representations (linear-probe accuracy) over pre-training checkpoints. Given a probe score
per checkpoint (optionally with its standard error):

* **correlation** (Spearman and Pearson) of the probe with the gain over all checkpoints and with
  the PGR where it is defined, with percentile CIs from a *moving-block bootstrap over
  checkpoints*: blocks of ``L = max(2, round(K^(1/3)))`` consecutive checkpoints are drawn with
  replacement and the pairs (probe, gain) keep their pairing, so the dependence between
  neighbouring checkpoints stays in the replicates;
* **change points**: the least-squares single mean shift of the probe (over all checkpoints), with
  a percentile CI from the probe's replicates, next to W2SG's from the main analysis;
* **lead/lag test**: the onset of a curve is the posterior mean :func:`onset` of its single
  mean-shift location (in checkpoint indices): of the gain on ``[k0, K)``, after the ceiling
  emerges (where W2SG is located by the main analysis), and of the probe on all checkpoints.
  Unlike the least-squares location it moves continuously with the data, so its bootstrap
  distribution is smooth. The lead is ``D = tau(gain) - tau(probe)`` (checkpoints); its
  replicates combine the gain's bootstrap replicates with the probe's (normal with the given
  standard errors, else residuals around its two-segment fit, independent of the gain's). One-sided shift-method p-values: ``p_lead = (1 + #{D* - D >= D}) /
  (B + 1)`` for "the probe emerges first", ``p_lag`` likewise for "it emerges later", each at
  level ``alpha_test``. Size and power are measured in ``docs/checkpoint-analysis.md``.

Examples
--------
>>> import numpy as np
>>> from numerics.checkpoints.probes import onset
>>> onset(np.array([0.0, 0.01, -0.01, 1, 1.01, 0.99, 1]), 2).round(6)
array([3.])
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from numerics.checkpoints.statistics import percentile_interval, segment_fit

__all__ = ["LEAD_VERDICTS", "block_indices", "correlations", "onset", "probe_report"]

#: Verdicts of the lead/lag test.
LEAD_VERDICTS = ("probe_leads", "probe_lags", "not_resolved", "untested")


def block_indices(K: int, B: int, rng, block: int | None = None) -> tuple:
    """Moving-block bootstrap indices: ``B`` rows of ``K`` checkpoint indices made of blocks of
    ``block`` consecutive checkpoints (default ``max(2, round(K^(1/3)))``); and the block length.

    Examples
    --------
    >>> idx, L = block_indices(10, 3, np.random.default_rng(0))
    >>> idx.shape, L, bool((np.diff(idx[:, :2], axis=1) == 1).all())
    ((3, 10), 2, True)
    """
    L = block or max(2, int(round(K ** (1 / 3))))
    L = min(L, K)
    n_blocks = -(-K // L)
    starts = rng.integers(0, K - L + 1, size=(B, n_blocks))
    idx = (starts[:, :, None] + np.arange(L)).reshape(B, n_blocks * L)[:, :K]
    return idx, L


def _pearson(x, y):
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    den = np.sqrt((xc * xc).sum(-1) * (yc * yc).sum(-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (xc * yc).sum(-1) / np.where(den > 0, den, 1), np.nan)


def _spearman(x, y):
    return _pearson(rankdata(x, axis=-1), rankdata(y, axis=-1))


def correlations(x, y, *, B: int = 1000, alpha: float = 0.10, rng=None,
                 block: int | None = None) -> dict:
    """Spearman and Pearson correlation of ``x`` and ``y`` (paired, in checkpoint order) with
    moving-block bootstrap percentile CIs.

    Parameters
    ----------
    x, y : array_like
        Shape ``(K,)``, ``K >= 4``.
    B : int
    alpha : float
        The CIs are two-sided ``1 - alpha``.
    rng : numpy.random.Generator or int, optional
    block : int, optional

    Returns
    -------
    dict
        ``spearman, spearman_ci, pearson, pearson_ci, checkpoints, block, B``.

    Examples
    --------
    >>> x = np.arange(20.0)
    >>> c = correlations(x, 2 * x + np.sin(x), B=200, rng=0)
    >>> round(c["spearman"], 4), c["block"], c["spearman_ci"][0] > 0.9
    (1.0, 3, True)
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    K = len(x)
    rng = np.random.default_rng(rng)
    idx, L = block_indices(K, B, rng, block)
    xs, ys = x[idx], y[idx]
    out = {"checkpoints": K, "block": L, "B": B}
    for name, f in (("spearman", _spearman), ("pearson", _pearson)):
        out[name] = float(f(x, y))
        star = f(xs, ys)
        star = star[np.isfinite(star)]
        out[f"{name}_ci"] = (list(map(float, percentile_interval(star, alpha / 2,
                                                                 1 - alpha / 2)))
                             if len(star) >= 20 else None)
    return out


def onset(y, m: int) -> np.ndarray:
    """The posterior mean of the single mean-shift location of each row of ``y`` (the index of
    the first point of the second segment, segments of at least ``m`` points): weights
    ``exp(-(SSE_j - SSE_min) / (2 s^2))`` over the split points ``j``, ``s^2 = SSE_min / (L - 2)``
    (a flat prior on ``j``, the segment means profiled out). It concentrates on the least-squares
    location (:func:`numerics.checkpoints.change_point`) when the shift is clear, and unlike it
    moves continuously with the data.

    Examples
    --------
    >>> y = np.array([[0.0, 0.1, -0.1, 0, 1, 1.1, 0.9, 1], [0, 0, 0, 0, 0, 0, 1, 1.0]])
    >>> onset(y + 0.01 * np.sin(np.arange(8)), 2).round(3).tolist()
    [4.0, 6.0]
    """
    y = np.atleast_2d(np.asarray(y, dtype=float))
    L = y.shape[-1]
    c = np.cumsum(y, axis=-1)
    total = c[..., -1:]
    j = np.arange(m, L - m + 1)
    left = c[..., j - 1]
    score = left ** 2 / j + (total - left) ** 2 / (L - j)
    sse_min = (y * y).sum(-1, keepdims=True) - score.max(-1, keepdims=True)
    s2 = np.maximum(sse_min, 1e-300) / (L - 2)
    logw = (score - score.max(-1, keepdims=True)) / (2 * s2)
    w = np.exp(logw)
    return (w * j).sum(-1) / w.sum(-1)


def _replicates(y, se, B, rng, min_size):
    """Replicates of a series: normal with standard errors ``se``, else residuals around its
    least-squares two-segment fit."""
    if se is not None:
        noise = np.asarray(se) * rng.standard_normal((B, len(y)))
        return y + noise, "normal (given standard errors)"
    k = int(segment_fit(y[None, :], min_size)[0])
    fit = np.where(np.arange(len(y)) < k, y[:k].mean(), y[k:].mean())
    resid = y - fit
    draws = rng.choice(resid - resid.mean(), size=(B, len(y)))
    return fit + draws, "residuals of the two-segment fit"


def probe_report(steps, probe, probe_se, gain, gain_star, pgr, k0, *, min_size: int = 3,
                 alpha: float = 0.10, alpha_test: float = 0.05, B: int = 1000, rng=None,
                 w2s_change: dict | None = None) -> dict:
    """The probe's part of the report (see the module docstring).

    Parameters
    ----------
    steps, probe, gain : numpy.ndarray
        Shape ``(K,)``.
    probe_se : numpy.ndarray or None
    gain_star : numpy.ndarray or None
        Bootstrap replicates of the gain, shape ``(B', K)`` (``None``: residual bootstrap).
    pgr : numpy.ndarray
        The PGR where defined, NaN elsewhere.
    k0 : int or None
        The ceiling's emergence (``None``: no lead/lag test).
    w2s_change : dict, optional
        The main analysis' change point, copied into the report.

    Returns
    -------
    dict

    Examples
    --------
    >>> from numerics.checkpoints import analyse, synthesize
    >>> a = analyse(synthesize("step", seed=0, probe_lead=0.5).data, B=200)
    >>> a.probe["lead"]["verdict"], a.probe["change"]["probe"]["step"]
    ('probe_leads', 4000)
    """
    rng = np.random.default_rng(rng)
    probe = np.asarray(probe, dtype=float)
    K = len(probe)
    corr_gain = correlations(probe, gain, B=B, alpha=alpha, rng=rng)
    defined = np.isfinite(pgr)
    corr_pgr = (correlations(probe[defined], pgr[defined], B=B, alpha=alpha, rng=rng)
                if defined.sum() >= 2 * min_size + 1 else None)
    p_star, p_method = _replicates(probe, probe_se, B, rng, min_size)
    k_hat = int(segment_fit(probe[None, :], min_size)[0])
    ks = segment_fit(p_star, min_size)
    lo = int(np.quantile(ks, alpha / 2, method="lower"))
    hi = int(np.quantile(ks, 1 - alpha / 2, method="higher"))
    change = {"probe": {"k_hat": k_hat, "step": int(steps[k_hat]),
                        "ci_steps": [int(steps[lo - 1]) if lo > 0 else None, int(steps[hi])],
                        "ci_level": 1 - alpha},
              "w2s": None if w2s_change is None else {
                  k: w2s_change[k] for k in ("k_hat", "step", "ci_steps", "ci_level")}}
    report = {"checkpoints": K, "probe_resampling": p_method,
              "correlation": {"gain": corr_gain, "pgr": corr_pgr,
                              "resampling": f"moving-block bootstrap over checkpoints (blocks "
                                            f"of {corr_gain['block']} consecutive checkpoints, "
                                            f"{B} replicates)"},
              "change": change, "lead": _lead(steps, probe, p_star, gain, gain_star, k0,
                                              min_size, alpha, alpha_test, rng)}
    return report


def _lead(steps, probe, p_star, gain, gain_star, k0, m, alpha, alpha_test, rng):
    K = len(probe)
    if k0 is None or K - k0 < 2 * m:
        return {"verdict": "untested", "estimate": None, "ci": None, "p_lead": None,
                "p_lag": None, "alpha": alpha_test, "window_start_step": None,
                "onset_w2s": None, "onset_probe": None}
    B = len(p_star)
    if gain_star is None:
        g_star, _ = _replicates(gain[k0:], None, B, rng, m)
    else:
        g_star = gain_star[rng.integers(0, len(gain_star), size=B), k0:] if len(
            gain_star) != B else gain_star[:, k0:]
    tau_g = float(onset(gain[k0:], m)[0]) + k0
    tau_p = float(onset(probe, m)[0])
    D = tau_g - tau_p
    D_star = (onset(g_star, m) + k0) - onset(p_star, m)
    D_star = D_star[np.isfinite(D_star)]
    if not np.isfinite(D) or len(D_star) < 20:
        return {"verdict": "untested", "estimate": None, "ci": None, "p_lead": None,
                "p_lag": None, "alpha": alpha_test, "window_start_step": int(steps[k0]),
                "onset_w2s": None, "onset_probe": None}
    dev = D_star - D
    p_lead = float((1 + np.sum(dev >= D)) / (len(dev) + 1))
    p_lag = float((1 + np.sum(dev <= D)) / (len(dev) + 1))
    verdict = ("probe_leads" if p_lead <= alpha_test else "probe_lags" if p_lag <= alpha_test
               else "not_resolved")

    def step_at(tau):
        return int(steps[int(np.clip(round(tau), 0, K - 1))])

    return {"verdict": verdict, "estimate": D,
            "ci": list(map(float, percentile_interval(D_star, alpha / 2, 1 - alpha / 2))),
            "p_lead": p_lead, "p_lag": p_lag, "alpha": alpha_test,
            "window_start_step": int(steps[k0]),
            "onset_w2s": {"checkpoints": tau_g, "step": step_at(tau_g)},
            "onset_probe": {"checkpoints": tau_p, "step": step_at(tau_p)}}
