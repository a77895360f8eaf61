"""The analysis of one ``(task, model)``: the per-checkpoint table of gain, gap and PGR with CIs,
the ceiling's emergence, the emergence test, the change point with its CI, the levels before and
after it, and the optional detectors (``docs/checkpoint-analysis.md``).

:func:`analyse` runs the steps below in order; each is a small function of the previous ones'
results (:class:`_Curves` carries the curves and their bootstrap replicates, :class:`_Suffix` the
gain from the ceiling's emergence on).

Examples
--------
>>> from numerics.checkpoints import synthesize
>>> from numerics.checkpoints.analysis import COLUMNS, analyse
>>> a = analyse(synthesize("step", seed=2).data, B=100, detectors=False)
>>> list(a.table) == list(COLUMNS), a.change["step"]
(True, 10000)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

import numpy as np

from numerics.checkpoints.probes import probe_report
from numerics.checkpoints.reading import CheckpointData, CheckpointDataError
from numerics.checkpoints.resampling import Replicates, bootstrap, check_mode
from numerics.checkpoints.statistics import (ceiling_emergence, fieller_bounds, fieller_variances,
                                             hinge, nan_order_quantile,
                                             pelt, percentile_interval, ratio, segment_fit,
                                             suffix_means, sustained)

__all__ = ["STATUSES", "DEFINED", "X_AXES", "COLUMNS", "Analysis", "analyse"]

#: PGR statuses, in the order they are tested (first match wins). The PGR is defined (shown with
#: its CI) for the last three, which say where the student lands: below the weak model (PGR < 0),
#: between weak and ceiling (0 <= PGR <= 1), above the ceiling (PGR > 1).
STATUSES = ("zero_gap", "ceiling_below_weak", "gap_not_significant", "student_below_weak",
            "partial_recovery", "student_above_ceiling")
#: The statuses with a defined PGR (the ceiling is significantly above the weak model).
DEFINED = ("student_below_weak", "partial_recovery", "student_above_ceiling")
#: Above this many checkpoints after the ceiling emerges, the optional detectors are skipped.
MAX_DETECTOR_CHECKPOINTS = 5000
#: Reporting axes of :func:`analyse`.
X_AXES = ("index", "step", "log_step", "tokens")


@dataclass
class Analysis:
    """Estimates for one ``(task, model)``; see :func:`analyse`. ``to_dict()`` is JSON-ready."""

    task: str
    model: str
    metric: str
    steps: np.ndarray
    x: np.ndarray
    table: dict
    k0: int | None
    ceiling: dict
    test: dict | None
    change: dict | None
    levels: dict | None
    detectors: dict
    provenance: dict
    notes: list = field(default_factory=list)
    probe: dict | None = None
    integrity: list = field(default_factory=list)
    inputs: dict = field(default_factory=dict)

    @property
    def defined(self) -> np.ndarray:
        """Whether the PGR is defined at each checkpoint (status in :data:`DEFINED`)."""
        return np.isin(self.table["status"], DEFINED)

    def step_of(self, k):
        """Step of checkpoint index ``k`` (``None`` passes through)."""
        return None if k is None else int(self.steps[k])

    def to_dict(self) -> dict:
        """A JSON-ready dict: NaN becomes ``None``, arrays become lists."""
        rows = []
        for k in range(len(self.steps)):
            rows.append({c: _plain(v[k]) for c, v in self.table.items()})
        return {"task": self.task, "model": self.model, "metric": self.metric,
                "checkpoints": rows,
                "ceiling": _plain(self.ceiling), "test": _plain(self.test),
                "change": _plain(self.change), "levels": _plain(self.levels),
                "detectors": _plain(self.detectors), "provenance": _plain(self.provenance),
                "notes": list(self.notes), "inputs": _plain(self.inputs),
                "probe": _plain(self.probe),
                "integrity": [f.to_dict() for f in self.integrity]}


def _plain(v):
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, np.ndarray):
        return [_plain(x) for x in v.tolist()]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v) if math.isfinite(v) else None
    return v


#: Columns of the per-checkpoint table (the CSV output of ``w2s pgr``).
COLUMNS = ("step", "x", "P_weak", "P_w2s", "P_ceil", "gain", "gain_lo", "gain_hi", "gain_se",
           "gap", "gap_lo", "gap_hi", "gap_se", "pgr", "pgr_lo", "pgr_hi", "pgr_raw", "fieller_lo",
           "fieller_hi", "status")


def _x_axis(data: CheckpointData, x_axis: str) -> np.ndarray:
    if x_axis not in X_AXES:
        raise CheckpointDataError(f"x_axis must be one of {', '.join(X_AXES)}; got {x_axis!r}")
    if x_axis == "index":
        return np.arange(data.K, dtype=float)
    if x_axis == "step":
        return data.steps.astype(float)
    if x_axis == "tokens":
        if data.tokens is None:
            raise CheckpointDataError("x_axis 'tokens' needs the tokens column")
        return data.tokens.astype(float)
    return np.log10(data.steps + 1.0)


def analyse(data: CheckpointData, *, mode: str | None = None, B: int = 1000, alpha: float = 0.10,
            alpha_test: float = 0.05, min_size: int = 3, higher_is_better: bool = True,
            x_axis: str = "log_step", seed: int = 0, tol: float = 1e-12,
            detectors: bool = True,
            progress: Callable[[int, int], None] | None = None) -> Analysis:
    """Per-checkpoint gain, gap and PGR with CIs; ceiling emergence; the emergence test and the
    change point with its CI (``docs/checkpoint-analysis.md``).

    Parameters
    ----------
    data : CheckpointData
    mode : str, optional
        Bootstrap mode (:data:`MODES`); default the first the data support.
    B : int
        Bootstrap replicates (>= 20).
    alpha : float
        Two-sided level of the CIs (default 0.10: 90% intervals).
    alpha_test : float
        Family-wise level of the existence test.
    min_size : int
        Minimum segment length of the change point and of the tested suffixes.
    higher_is_better : bool
        ``False`` for losses (``sign = -1``).
    x_axis : {"log_step", "step", "index", "tokens"}
        Reporting axis (and the hinge detector's axis); change points use checkpoint order.
    seed : int
        Seed of the bootstrap (``numpy.random.SeedSequence``).
    tol : float
        ``|gap| <= tol`` gives status ``zero_gap``.
    detectors : bool
        Also run the optional detectors (hinge onset, first sustained crossing, ``ruptures``
        PELT segmentation if installed); they are reported, never used for the decision.
    progress : callable, optional
        ``progress(done, B)``, see :func:`bootstrap`.

    Returns
    -------
    Analysis

    Examples
    --------
    >>> from numerics.checkpoints import analyse, synthesize
    >>> a = analyse(synthesize("null", seed=3).data, B=200)
    >>> a.provenance["bootstrap_mode"], a.table["status"][0], a.table["status"][-1]
    ('examples+seeds', 'ceiling_below_weak', 'student_below_weak')
    """
    _check_options(data, alpha, alpha_test, min_size)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise CheckpointDataError(f"seed must be an integer >= 0; got {seed!r}")
    mode = check_mode(data, mode)
    sign = 1.0 if higher_is_better else -1.0
    x = _x_axis(data, x_axis)
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    curves = _curves(data, bootstrap(data, mode, B, rng, progress), sign)
    table = _checkpoint_table(data, x, curves, sign, alpha, tol)
    notes = _bootstrap_notes(data, mode)
    ceiling = _ceiling(data.steps, curves, alpha)
    k0 = ceiling["k0"]
    test = change = levels = None
    found = dict.fromkeys(("hinge", "sustained", "pelt"))
    note = _not_testable(data.steps, k0, min_size)
    if note is not None:
        notes.append(note)
    else:
        suffix = curves.after(k0)
        if suffix.gain_star is not None:
            test = _emergence_test(suffix, min_size, alpha_test)
        change = _change(data.steps, suffix, min_size, alpha, mode, rng, B)
        levels = _levels(curves, table, k0, change["k_hat"], alpha, tol)
        if detectors and len(suffix.gain) > MAX_DETECTOR_CHECKPOINTS:
            notes.append(f"optional detectors skipped: {len(suffix.gain)} checkpoints after the "
                         f"ceiling emerges, above {MAX_DETECTOR_CHECKPOINTS} (the hinge fit is "
                         f"quadratic in their number)")
        elif detectors:
            found = _detectors(data.steps, x, suffix, alpha)
    probe = None
    if data.probe is not None:
        probe = probe_report(data.steps, data.probe, data.probe_se, curves.gain, curves.gain_star,
                             table["pgr"], k0, min_size=min_size, alpha=alpha,
                             alpha_test=alpha_test, B=B, rng=rng, w2s_change=change)
    inputs = {"n_eval": data.n_eval, "checkpoints": data.K}
    provenance = {"seed": seed, "B": B, "bootstrap_mode": mode, "alpha": alpha,
                  "min_size": min_size, "tolerance": tol, "higher_is_better": higher_is_better,
                  "x_axis": x_axis, "versions": _versions()}
    return Analysis(data.task, data.model, data.metric, data.steps, x, table, k0, ceiling, test,
                    change, levels, found, provenance, notes, probe, inputs=inputs)


# --------------------------------------------------------------------------------------------
# the steps of analyse


class _Curves(NamedTuple):
    """Role means, gain and gap per checkpoint (shape ``(K,)``, signed so that higher is better),
    and the bootstrap replicates of gain and gap (shape ``(B, K)``; ``None`` in residual mode)."""

    means: dict
    gain: np.ndarray
    gap: np.ndarray
    gain_star: np.ndarray | None
    gap_star: np.ndarray | None

    @property
    def bootstrapped(self) -> bool:
        return self.gain_star is not None

    def after(self, k0: int) -> _Suffix:
        """The gain from checkpoint ``k0`` on."""
        return _Suffix(k0, self.gain[k0:],
                       None if self.gain_star is None else self.gain_star[:, k0:])


class _Suffix(NamedTuple):
    """The gain from the ceiling's emergence ``k0`` on, ``gain[k0:]``, and its replicates
    ``gain_star[:, k0:]`` (``None`` in residual mode); indices into it are relative to ``k0``."""

    k0: int
    gain: np.ndarray
    gain_star: np.ndarray | None


def _tails(alpha: float) -> tuple[float, float]:
    """Quantile levels ``(alpha/2, 1 - alpha/2)`` of a two-sided ``1 - alpha`` interval."""
    return alpha / 2, 1 - alpha / 2


def _check_options(data: CheckpointData, alpha, alpha_test, min_size) -> None:
    if not 0 < alpha < 1 or not 0 < alpha_test < 1:
        raise CheckpointDataError(f"alpha and alpha_test must be in (0, 1); got {alpha}, "
                                  f"{alpha_test}")
    if isinstance(min_size, bool) or not isinstance(min_size, (int, np.integer)) or min_size < 1:
        raise CheckpointDataError(f"min_size must be an integer >= 1; got {min_size!r}")
    if data.K < 2 * min_size + 1:
        raise CheckpointDataError(f"{data.K} checkpoints; at least {2 * min_size + 1} "
                                  f"(2 min_size + 1) are needed")


def _curves(data: CheckpointData, rep: Replicates | None, sign: float) -> _Curves:
    P = data.means()
    gain = sign * (P["w2s"] - P["weak"])
    gap = sign * (P["ceiling"] - P["weak"])
    if rep is None:
        return _Curves(P, gain, gap, None, None)
    return _Curves(P, gain, gap, sign * (rep.w2s - rep.weak), sign * (rep.ceiling - rep.weak))


def _bands(curves: _Curves, lo_q: float, hi_q: float) -> dict:
    """Columns ``gain_lo, gain_hi, gain_se, gap_lo, gap_hi, gap_se``: percentile CIs and bootstrap
    standard errors (NaN without replicates)."""
    if not curves.bootstrapped:
        nan = np.full(len(curves.gain), np.nan)
        return dict.fromkeys(("gain_lo", "gain_hi", "gain_se", "gap_lo", "gap_hi", "gap_se"), nan)
    out = {}
    for name, star in (("gain", curves.gain_star), ("gap", curves.gap_star)):
        out[f"{name}_lo"], out[f"{name}_hi"] = percentile_interval(star, lo_q, hi_q)
        out[f"{name}_se"] = star.std(axis=0, ddof=1)
    return out


def _statuses(curves: _Curves, gap_lo, gap_hi, tol: float) -> np.ndarray:
    """The :data:`STATUSES` entry of each checkpoint (first match wins)."""
    gap, gain = curves.gap, curves.gain
    upper = gap_hi if curves.bootstrapped else gap
    unsure = (gap_lo <= tol) & (gap_hi >= -tol) if curves.bootstrapped else np.zeros(len(gap), bool)
    # where the student lands, by the ratio (scale-free; 1e-9 absorbs rounding at PGR 0 and 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = gain / np.where(gap == 0, 1.0, gap)
    conditions = [np.abs(gap) <= tol, upper < -tol, unsure, r < -1e-9, r <= 1 + 1e-9]
    return np.select(conditions, list(STATUSES[:5]), STATUSES[5]).astype(object)


def _pgr_columns(curves: _Curves, ok: np.ndarray, tol: float, lo_q: float, hi_q: float) -> dict:
    """Columns ``pgr, pgr_lo, pgr_hi, pgr_raw``: the ratio where the PGR is defined (``pgr_raw``
    wherever ``|gap| > tol``) and its percentile CI."""
    gain, gap = curves.gain, curves.gap
    nan = np.full(len(gain), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        pgr_raw = np.where(np.abs(gap) > tol, gain / np.where(gap == 0, 1, gap), np.nan)
    pgr = np.where(ok, pgr_raw, np.nan)
    pgr_lo, pgr_hi = nan.copy(), nan.copy()
    if curves.bootstrapped and ok.any():
        star = ratio(curves.gain_star[:, ok], curves.gap_star[:, ok], tol)
        pgr_lo[ok] = nan_order_quantile(star, lo_q, "lower")
        pgr_hi[ok] = nan_order_quantile(star, hi_q, "higher")
    return {"pgr": pgr, "pgr_lo": pgr_lo, "pgr_hi": pgr_hi, "pgr_raw": pgr_raw}


def _fieller_columns(data: CheckpointData, curves: _Curves, sign: float, alpha: float) -> dict:
    """Columns ``fieller_lo, fieller_hi`` (NaN where the interval is unbounded or the data give
    no variance)."""
    f_lo, f_hi = np.full(data.K, np.nan), np.full(data.K, np.nan)
    variances = fieller_variances(data, sign)
    if variances is not None:
        f_lo, f_hi = fieller_bounds(curves.gain, curves.gap, *variances, alpha)
    return {"fieller_lo": f_lo, "fieller_hi": f_hi}


def _checkpoint_table(data: CheckpointData, x: np.ndarray, curves: _Curves, sign: float,
                      alpha: float, tol: float) -> dict:
    """The per-checkpoint table: :data:`COLUMNS` -> array of shape ``(K,)``."""
    lo_q, hi_q = _tails(alpha)
    bands = _bands(curves, lo_q, hi_q)
    status = _statuses(curves, bands["gap_lo"], bands["gap_hi"], tol)
    columns = {"step": data.steps, "x": x, "P_weak": curves.means["weak"],
               "P_w2s": curves.means["w2s"], "P_ceil": curves.means["ceiling"],
               "gain": curves.gain, "gap": curves.gap, **bands,
               **_pgr_columns(curves, np.isin(status, DEFINED), tol, lo_q, hi_q),
               **_fieller_columns(data, curves, sign, alpha), "status": status}
    return {c: columns[c] for c in COLUMNS}


def _bootstrap_notes(data: CheckpointData, mode: str) -> list:
    if mode != "seeds":
        return []
    return [f"bootstrap over {len(data.seeds['w2s'])} seeds only: the noise of the evaluation set "
            f"(and of a weak model scored once) is not in the CIs; prefer the per-example CSV, or "
            f"n_eval with mode 'parametric'"]


def _ceiling(steps: np.ndarray, curves: _Curves, alpha: float) -> dict:
    """The ceiling's emergence ``k0`` (:func:`ceiling_emergence`), its step, and the last crossing
    of the gap above 0 with a bootstrap CI."""
    k0 = ceiling_emergence(curves.gap, curves.gap_star)
    ceiling = {"k0": k0, "step": None if k0 is None else int(steps[k0]), "level": 0.95}
    crossing = _last_crossing(curves.gap)
    if crossing >= 0:
        ceiling["crossing_step"] = int(steps[crossing])
    if curves.gap_star is not None and k0 is not None:
        crossings = np.array([_last_crossing(g) for g in curves.gap_star])
        crossings = crossings[crossings >= 0]
        if len(crossings):
            lo_q, hi_q = _tails(alpha)
            lo = int(np.quantile(crossings, lo_q, method="lower"))
            hi = int(np.quantile(crossings, hi_q, method="higher"))
            ceiling["crossing_ci_steps"] = _step_interval(steps, lo, hi)
    return ceiling


def _not_testable(steps: np.ndarray, k0: int | None, min_size: int) -> str | None:
    """Why the test and the change point cannot run (a note), or ``None`` if they can."""
    if k0 is None:
        return "ceiling never beats weak; PGR undefined throughout"
    if len(steps) - k0 < 2 * min_size:
        return (f"only {len(steps) - k0} checkpoints after the ceiling emerges at step "
                f"{steps[k0]}; the test and the change point need {2 * min_size}")
    return None


def _emergence_test(suffix: _Suffix, min_size: int, alpha_test: float) -> dict:
    """The existence test: ``T`` = max over suffixes (at least ``min_size`` long) of the
    studentised suffix mean, its bootstrap critical value ``c`` and p-value."""
    y, ys = suffix.gain, suffix.gain_star
    L, B = len(y), len(ys)
    means = suffix_means(y, 0, L - min_size)
    star = suffix_means(ys, 0, L - min_size)
    se = star.std(axis=0, ddof=1)
    se = np.where(se > 0, se, np.inf)
    T = float(np.max(means / se))
    max_star = np.max((star - means) / se, axis=1)
    c = float(np.quantile(max_star, 1 - alpha_test))
    p_value = float((1 + np.sum(max_star >= T)) / (B + 1))
    return {"T": T, "c": c, "p_value": p_value, "alpha": alpha_test,
            "k_max": int(suffix.k0 + np.argmax(means / se))}


def _change_replicates(suffix: _Suffix, k_hat: int, min_size: int, rng, B: int) -> np.ndarray:
    """The change point (relative to ``k0``) of each replicate: of the bootstrapped gain, or in
    residual mode of ``B`` residual-bootstrap curves around the fitted two-segment model (the
    one use of ``rng`` after :func:`bootstrap`)."""
    if suffix.gain_star is not None:
        return segment_fit(suffix.gain_star, min_size)
    y = suffix.gain
    fit = np.where(np.arange(len(y)) < k_hat, y[:k_hat].mean(), y[k_hat:].mean())
    resid = y - fit
    resid = resid - resid.mean()
    ys = fit + rng.choice(resid, size=(B, len(y)), replace=True)
    return segment_fit(ys, min_size)


def _change(steps: np.ndarray, suffix: _Suffix, min_size: int, alpha: float, mode: str, rng,
            B: int) -> dict:
    """The least-squares change point of the gain after ``k0``, its percentile CI and its mode
    over the replicates."""
    k0 = suffix.k0
    k_hat = int(segment_fit(suffix.gain[None, :], min_size)[0])
    ks = _change_replicates(suffix, k_hat, min_size, rng, B)
    lo_q, hi_q = _tails(alpha)
    values, counts = np.unique(ks, return_counts=True)
    lo = int(np.quantile(ks, lo_q, method="lower")) + k0
    hi = int(np.quantile(ks, hi_q, method="higher")) + k0
    mode_k = int(values[np.argmax(counts)]) + k0
    return {"k_hat": k0 + k_hat, "step": int(steps[k0 + k_hat]),
            "step_interval": [int(steps[k0 + k_hat - 1]), int(steps[k0 + k_hat])],
            "ci_k": [lo, hi], "ci_steps": _step_interval(steps, lo, hi),
            "ci_level": 1 - alpha, "mode_k": mode_k, "mode_step": int(steps[mode_k]),
            "mode_prob": float(counts.max() / len(ks)), "resampling": mode}


def _levels(curves: _Curves, table: dict, k0: int, k_change: int, alpha: float,
            tol: float) -> dict:
    """Mean gain and mean PGR (over checkpoints where it is defined) before and after the change
    point,
    ``[k0, k_change)`` and ``[k_change, K)``, with percentile CIs."""
    lo_q, hi_q = _tails(alpha)
    K = len(curves.gain)
    ok, pgr = np.isin(table["status"], DEFINED), table["pgr"]
    gain_s, gap_s = curves.gain_star, curves.gap_star
    levels = {}
    for name, sl in (("pre", slice(k0, k_change)), ("post", slice(k_change, K))):
        entry = {"estimate": float(curves.gain[sl].mean()), "ci": None}
        if gain_s is not None:
            entry["ci"] = list(percentile_interval(gain_s[:, sl].mean(axis=1), lo_q, hi_q))
        levels[f"gain_{name}"] = entry
        sel = np.arange(K)[sl][ok[sl]]
        entry = {"estimate": float(pgr[sel].mean()) if len(sel) else None, "ci": None,
                 "checkpoints": int(len(sel))}
        if len(sel) and gain_s is not None:
            star = ratio(gain_s[:, sel], gap_s[:, sel], tol).mean(axis=1)
            entry["ci"] = [np.nanquantile(star, lo_q, method="lower"),
                           np.nanquantile(star, hi_q, method="higher")]
        levels[f"pgr_{name}"] = entry
    return levels


def _detectors(steps: np.ndarray, x: np.ndarray, suffix: _Suffix, alpha: float) -> dict:
    """The optional detectors on the gain after ``k0``: hinge onset, first sustained crossing
    (needs replicates), ``ruptures`` PELT (``None`` if not installed)."""
    k0, y = suffix.k0, suffix.gain
    onset = hinge(x[k0:], y)
    out = {"hinge": {**onset, "k": onset["k"] + k0, "step": int(steps[onset["k"] + k0])},
           "sustained": None, "pelt": None}
    if suffix.gain_star is not None:
        s = sustained(y, suffix.gain_star, alpha)
        out["sustained"] = None if s is None else {"k": s + k0, "step": int(steps[s + k0])}
    sigma = float(np.median(np.abs(np.diff(y))) / (0.6744897501960817 * math.sqrt(2)))
    bkps = pelt(y, sigma ** 2)
    out["pelt"] = None if bkps is None else {
        "k": [b + k0 for b in bkps], "steps": [int(steps[b + k0]) for b in bkps]}
    return out


def _last_crossing(g):
    """Index after the last non-positive value of ``g`` (``-1`` if the last one is not positive)."""
    bad = np.flatnonzero(~(g > 0))
    if len(bad) == 0:
        return 0
    return -1 if bad[-1] == len(g) - 1 else int(bad[-1]) + 1


def _step_interval(steps, lo, hi):
    """``(steps[lo - 1], steps[hi]]``: the change happens after the first and by the second."""
    return [int(steps[lo - 1]) if lo > 0 else None, int(steps[hi])]


def _versions():
    from importlib import metadata

    out = {}
    for name in ("w2s-theory", "numpy", "mpmath", "ruptures"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out
