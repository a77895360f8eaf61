"""Statistics of the checkpoint curves: quantiles, Fieller's interval, change points, the ceiling's
emergence, the suffix means of the emergence test, and the optional onset detectors.

Examples
--------
>>> from numerics.checkpoints.statistics import ceiling_emergence, change_point
>>> gain = [0.0, 0.01, -0.01, 0.0, 0.2, 0.21, 0.19, 0.2]
>>> change_point(gain, min_size=2), ceiling_emergence([-0.1, 0.0, 0.1, 0.2])
(4, 2)
"""

from __future__ import annotations

import functools
import math

import numpy as np

from numerics.checkpoints.reading import ROLES, CheckpointData

__all__ = ["normal_quantile", "fieller", "fieller_bounds", "fieller_variances", "segment_fit",
           "change_point", "ceiling_emergence", "suffix_means", "ratio", "percentile_interval",
           "nan_order_quantile", "hinge", "sustained", "pelt"]


@functools.lru_cache(maxsize=64)
def normal_quantile(p: float) -> float:
    """The standard normal quantile ``z_p`` (mpmath, to double precision).

    Examples
    --------
    >>> round(normal_quantile(0.95), 6)
    1.644854
    """
    import mpmath

    if not 0 < p < 1:
        raise ValueError(f"p must be in (0, 1); got {p!r}")
    with mpmath.workdps(30):
        return float(-mpmath.sqrt(2) * mpmath.erfinv(1 - 2 * mpmath.mpf(p)))


def fieller(delta: float, gamma: float, v_dd: float, v_gg: float, v_dg: float, alpha: float = 0.10):
    """Fieller's (1954) ``1 - alpha`` confidence set for the ratio ``delta/gamma``.

    The set ``{rho : (delta - rho gamma)^2 <= z^2 (v_dd - 2 rho v_dg + rho^2 v_gg)}`` is a bounded
    interval iff ``gamma^2 / v_gg > z^2`` (``z = z_{1-alpha/2}``); otherwise ``None``.

    Parameters
    ----------
    delta, gamma : float
        Estimates of the numerator (gain) and the denominator (gap).
    v_dd, v_gg, v_dg : float
        Their variances and covariance.
    alpha : float

    Returns
    -------
    tuple of float or None

    Examples
    --------
    >>> lo, hi = fieller(1.0, 2.0, 0.01, 0.01, 0.0, alpha=0.05)
    >>> round(lo, 4), round(hi, 4)
    (0.3946, 0.6151)
    >>> fieller(1.0, 0.1, 0.01, 0.01, 0.0) is None
    True
    """
    lo, hi = fieller_bounds(delta, gamma, v_dd, v_gg, v_dg, alpha)
    return None if math.isnan(lo) else (float(lo), float(hi))


def fieller_bounds(delta, gamma, v_dd, v_gg, v_dg, alpha: float = 0.10):
    """:func:`fieller` elementwise over arrays: ``(lo, hi)``, NaN where the set is unbounded.

    Examples
    --------
    >>> lo, hi = fieller_bounds(np.array([1.0, 1.0]), np.array([2.0, 0.1]), 0.01, 0.01, 0.0, 0.05)
    >>> lo.round(4).tolist(), bool(np.isnan(hi[1]))
    ([0.3946, nan], True)
    """
    z2 = normal_quantile(1 - alpha / 2) ** 2
    delta, gamma = np.asarray(delta, dtype=float), np.asarray(gamma, dtype=float)
    a = gamma * gamma - z2 * np.asarray(v_gg, dtype=float)
    b = delta * gamma - z2 * np.asarray(v_dg, dtype=float)
    c = delta * delta - z2 * np.asarray(v_dd, dtype=float)
    ok = a > 0
    root = np.sqrt(np.maximum(b * b - a * c, 0.0))
    safe = np.where(ok, a, 1.0)
    return (np.where(ok, (b - root) / safe, np.nan), np.where(ok, (b + root) / safe, np.nan))


def fieller_variances(data: CheckpointData, sign: float):
    """Per checkpoint ``(v_dd, v_gg, v_dg)`` of gain and gap: paired per-example (or per-seed)
    covariance, or binomial variances for aggregate data with ``n_eval``.

    Parameters
    ----------
    data : CheckpointData
    sign : float
        ``1`` if higher scores are better, ``-1`` for losses.

    Returns
    -------
    tuple of numpy.ndarray or None
        Three arrays of shape ``(K,)`` (the variances of the gain's and the gap's means and their
        covariance), or ``None`` when the data give no variance (one seed and no ``n_eval``).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.checkpoints import CheckpointData
    >>> one = np.ones((5, 1, 1))
    >>> seeds = {r: (0,) for r in ("weak", "w2s", "ceiling")}
    >>> v_dd, v_gg, v_dg = fieller_variances(
    ...     CheckpointData(np.arange(5), 0.5 * one, 0.6 * one, 0.8 * one, seeds, n_eval=100), 1.0)
    >>> v_dd[0], v_gg[0], v_dg[0]
    (np.float64(0.0049), np.float64(0.0041), np.float64(0.0025))
    >>> fieller_variances(CheckpointData(np.arange(5), one, one, one, seeds), 1.0) is None
    True
    """
    K = data.K
    if data.per_example or min(len(s) for s in data.seeds.values()) >= 2:
        axis = 2 if data.per_example else 1
        other = 1 if data.per_example else 2
        w = np.broadcast_to(data.weak.mean(axis=other), (K, data.weak.shape[axis]))
        d = sign * (data.w2s.mean(axis=other) - w)
        g = sign * (data.ceiling.mean(axis=other) - w)
        m = d.shape[1]
        if m < 2:
            return None
        dc, gc = d - d.mean(1, keepdims=True), g - g.mean(1, keepdims=True)
        scale = 1 / (m * (m - 1))
        return ((dc * dc).sum(1) * scale, (gc * gc).sum(1) * scale, (dc * gc).sum(1) * scale)
    if data.n_eval is not None:
        p = data.means()
        v = {r: p[r] * (1 - p[r]) / data.n_eval for r in ROLES}
        return (v["w2s"] + v["weak"], v["ceiling"] + v["weak"], v["weak"])
    return None


def segment_fit(y: np.ndarray, min_size: int) -> np.ndarray:
    """Index (relative) of the first point of the second segment of the least-squares single
    mean shift of each row of ``y`` (shape ``(B, L)``), segments of length ``>= min_size``.

    The vectorised form of :func:`change_point` (one fit per row, e.g. per bootstrap replicate).

    Parameters
    ----------
    y : numpy.ndarray
        Shape ``(B, L)`` with ``L >= 2 min_size``.
    min_size : int

    Returns
    -------
    numpy.ndarray
        Shape ``(B,)``.

    Examples
    --------
    >>> import numpy as np
    >>> segment_fit(np.array([[0, 0, 1, 1, 1], [0, 0, 0, 0, 1.0]]), 1).tolist()
    [2, 4]
    """
    L = y.shape[-1]
    c = np.cumsum(y, axis=-1)
    total = c[..., -1:]
    j = np.arange(min_size, L - min_size + 1)
    left = c[..., j - 1]
    score = left ** 2 / j + (total - left) ** 2 / (L - j)
    return j[np.argmax(score, axis=-1)]


def change_point(y, min_size: int = 3) -> int:
    """The exact least-squares single mean-shift change point of ``y``.

    Returns the index of the first point of the second segment; both segments have at least
    ``min_size`` points. The same as ``ruptures.Dynp(model="l2", min_size=min_size,
    jump=1).fit(y[:, None]).predict(n_bkps=1)[0]``.

    Examples
    --------
    >>> change_point([0, 0.1, -0.1, 0, 1, 1.1, 0.9, 1], min_size=2)
    4
    """
    y = np.asarray(y, dtype=float)
    if y.ndim != 1 or len(y) < 2 * min_size:
        raise ValueError(f"y must be 1-d with at least 2 min_size = {2 * min_size} points; "
                         f"got shape {y.shape}")
    return int(segment_fit(y[None, :], min_size)[0])


def ceiling_emergence(gap, gap_star=None, level: float = 0.95):
    """First index after which the one-sided ``level`` lower bound of the gap stays positive.

    The lower bound is ``gap_k - q_level(gap*_k - gap_k)`` over the replicates ``gap_star``
    (shape ``(B, K)``); without replicates, the point estimate itself. ``None`` if the last
    checkpoint's bound is not positive.

    Examples
    --------
    >>> ceiling_emergence([-0.2, 0.1, -0.01, 0.05, 0.2, 0.2])
    3
    >>> ceiling_emergence([0.1, 0.2, -0.1]) is None
    True
    """
    gap = np.asarray(gap, dtype=float)
    lower = gap if gap_star is None else gap - np.quantile(gap_star - gap, level, axis=0)
    bad = np.flatnonzero(~(lower > 0))
    if len(bad) == 0:
        return 0
    k0 = int(bad[-1]) + 1
    return None if k0 >= len(gap) else k0


def suffix_means(y: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Means of ``y[..., k:]`` for ``k`` in ``[start, stop]``.

    Parameters
    ----------
    y : numpy.ndarray
        Shape ``(..., K)``.
    start, stop : int
        First and last suffix start, ``0 <= start <= stop < K``.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., stop - start + 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> suffix_means(np.array([1.0, 2, 3, 6]), 0, 2).round(4).tolist()
    [3.0, 3.6667, 4.5]
    """
    rev = np.cumsum(y[..., ::-1], axis=-1)[..., ::-1]
    K = y.shape[-1]
    k = np.arange(start, stop + 1)
    return rev[..., k] / (K - k)


def ratio(num, den, tol):
    """``num/den`` with ``|den| <= tol`` mapped to ``+-inf`` by the sign of ``num``, and to NaN
    when ``|num| <= tol`` too (so that rounding cannot flip the sign of such a replicate).

    Parameters
    ----------
    num, den : numpy.ndarray
        Numerators and denominators (broadcast together), e.g. gain and gap replicates.
    tol : float
        Denominators with ``|den| <= tol`` count as zero.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import numpy as np
    >>> ratio(np.array([1.0, 1.0, -1.0, 0.0]), np.array([2.0, 0.0, 0.0, 0.0]), 1e-12).tolist()
    [0.5, inf, -inf, nan]
    """
    zero = np.abs(den) <= tol
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / np.where(zero, 1.0, den)
    limit = np.where(num > tol, np.inf, np.where(num < -tol, -np.inf, np.nan))
    return np.where(zero, limit, out)


def nan_order_quantile(star, q: float, method: str) -> np.ndarray:
    """``numpy.nanquantile(star, q, axis=0, method=method)`` for ``method`` ``"lower"`` or
    ``"higher"``, vectorised over the columns (NumPy loops over them in Python); NaN for a column
    without a number.

    Examples
    --------
    >>> star = np.array([[1.0, np.nan], [3.0, 2.0], [2.0, np.nan], [np.inf, 5.0]])
    >>> nan_order_quantile(star, 0.5, "lower").tolist()
    [2.0, 2.0]
    >>> nan_order_quantile(star, 0.5, "higher").tolist()
    [3.0, 5.0]
    """
    star = np.asarray(star, dtype=float)
    ordered = np.sort(star, axis=0)  # NaN last
    n = (~np.isnan(star)).sum(axis=0)
    pos = q * np.maximum(n - 1, 0)
    k = np.floor(pos) if method == "lower" else np.ceil(pos)
    out = np.take_along_axis(ordered, k.astype(np.int64)[None, :], axis=0)[0]
    return np.where(n > 0, out, np.nan)


def percentile_interval(star, lo_q, hi_q, axis=0):
    """Bootstrap percentile interval: the ``lo_q`` and ``hi_q`` quantiles of ``star`` along
    ``axis`` (linear interpolation).

    Parameters
    ----------
    star : numpy.ndarray
        Replicates, e.g. of shape ``(B, K)``.
    lo_q, hi_q : float
        Quantile levels in ``[0, 1]``.
    axis : int

    Returns
    -------
    tuple of numpy.ndarray

    Examples
    --------
    >>> import numpy as np
    >>> percentile_interval(np.arange(1.0, 101).reshape(100, 1), 0.05, 0.95)
    (array([5.95]), array([95.05]))
    """
    return (np.quantile(star, lo_q, axis=axis), np.quantile(star, hi_q, axis=axis))


def hinge(x, y):
    """Continuous piecewise-linear onset ``a + b (x - tau)_+`` by exact least squares over
    ``tau`` at the data points (the last 3 excluded).

    Parameters
    ----------
    x, y : numpy.ndarray
        Abscissae and values, shape ``(L,)`` with ``L >= 4``.

    Returns
    -------
    dict
        ``k`` (index of ``tau`` in ``x``), ``tau``, ``a``, ``b``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(8.0)
    >>> fit = hinge(x, 1 + 0.5 * np.maximum(x - 3, 0))
    >>> fit["k"], fit["tau"], round(fit["a"], 9), round(fit["b"], 9)
    (3, 3.0, 1.0, 0.5)
    """
    best = None
    for j in range(len(x) - 3):
        X = np.column_stack([np.ones_like(x), np.maximum(x - x[j], 0)])
        coef, *_ = np.linalg.lstsq(X, y, rcond=None)
        sse = float(((X @ coef - y) ** 2).sum())
        if best is None or sse < best[0]:
            best = (sse, j, coef)
    return {"k": best[1], "tau": float(x[best[1]]), "a": float(best[2][0]),
            "b": float(best[2][1])}


def sustained(gain, gain_star, alpha, r=3):
    """First ``k`` whose simultaneous (max-t) lower band of the gain is positive for ``r``
    consecutive checkpoints, or ``None``.

    Parameters
    ----------
    gain : numpy.ndarray
        Shape ``(L,)``.
    gain_star : numpy.ndarray
        Bootstrap replicates of ``gain``, shape ``(B, L)``.
    alpha : float
        The band is simultaneous at level ``1 - alpha``.
    r : int
        Consecutive checkpoints required.

    Returns
    -------
    int or None

    Examples
    --------
    >>> import numpy as np
    >>> gain = np.array([0, 0, 0, 0.5, 0.5, 0.5, 0.5])
    >>> star = gain + 0.05 * np.random.default_rng(0).standard_normal((200, 7))
    >>> sustained(gain, star, 0.05)
    3
    """
    se = gain_star.std(axis=0, ddof=1)
    se = np.where(se > 0, se, np.inf)
    c = float(np.quantile(np.max(np.abs(gain_star - gain) / se, axis=1), 1 - alpha))
    above = gain - c * se > 0
    for k in range(len(gain) - r + 1):
        if above[k:k + r].all():
            return k
    return None


def pelt(y, sigma2):
    """Change points of ``y`` by ``ruptures.Pelt`` (``l2`` cost, ``min_size = 2``) with the BIC-like
    penalty ``2 sigma2 log L``; ``None`` if ``ruptures`` is not installed.

    Parameters
    ----------
    y : numpy.ndarray
        Shape ``(L,)``.
    sigma2 : float
        Noise variance of ``y``.

    Returns
    -------
    list of int or None
        Indices of the first point of each new segment.

    Examples
    --------
    >>> import numpy as np
    >>> pelt(np.array([0, 0, 0, 0, 1, 1, 1, 1.0]), 0.01) in ([4], None)
    True
    """
    try:
        import ruptures
    except ImportError:
        return None
    pen = 2 * sigma2 * math.log(len(y))
    bkps = ruptures.Pelt(model="l2", min_size=2, jump=1).fit(y[:, None]).predict(pen=pen)
    return [int(b) for b in bkps[:-1]]
