"""Synthetic Pythia-like checkpoint data with known truth (``docs/checkpoint-analysis.md``).

:func:`synthesize` draws per-example scores on Pythia's checkpoint schedule
(:func:`pythia_steps`) from latent scores that are logistic curves, a step, the null, or a
:class:`TheoryProfile` (by default :func:`single_index_profile`, the pre-training threshold (docs/single-index.md) computed by
:mod:`theory.single_index`).

Examples
--------
>>> from numerics.checkpoints.synthetic import synthesize
>>> s = synthesize("step", seed=0, n_eval=50)
>>> s.data.K, int(s.data.steps[s.truth["k_change"]])
(154, 10000)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from numerics.checkpoints.reading import CheckpointData
from numerics.checkpoints.schedules import pythia_steps, schedule
from numerics.checkpoints.statistics import ceiling_emergence, change_point

__all__ = ["pythia_steps", "population_score", "TheoryProfile", "PT_CEILING_THRESHOLD",
           "PT_W2S_THRESHOLD", "default_theory_profile", "SET_D", "single_index_profile",
           "SyntheticData", "synthesize"]


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def _logit(p):
    p = np.asarray(p, dtype=float)
    return np.log(p) - np.log1p(-p)


def population_score(p, s_item: float = 1.0) -> np.ndarray:
    """``E_u[sigma(logit p + s_item u)]``, ``u ~ N(0, 1)`` (60-node Gauss-Hermite): the expected
    accuracy of a model with latent score ``p`` on the synthetic evaluation.

    Examples
    --------
    >>> round(float(population_score(0.70)), 3)
    0.669
    """
    nodes, weights = np.polynomial.hermite_e.hermegauss(60)
    weights = weights / weights.sum()
    p = np.asarray(p, dtype=float)
    return (_sigmoid(_logit(p)[..., None] + s_item * nodes) * weights).sum(-1)


@dataclass(frozen=True)
class TheoryProfile:
    """The theory mode of :func:`synthesize`: latent scores as functions of ``n_u/d``.

    Attributes
    ----------
    scores : callable
        ``scores(nu) -> (P_weak, P_w2s, P_ceil)``: for an array ``nu`` of ``n_u/d`` values, three
        arrays (or scalars) of population scores in ``(0, 1)``, higher is better. ``P_weak``
        must be constant (one fixed weak model).
    step_scale : float
        Checkpoint ``step`` has ``n_u/d = step / step_scale``.
    description : str
    thresholds : dict, optional
        The ``n_u/d`` of the ceiling's and W2SG's transitions, when the profile knows them.
    """

    scores: Callable
    step_scale: float
    description: str = ""
    thresholds: dict | None = None

    def nu(self, steps) -> np.ndarray:
        """``n_u/d`` at each step."""
        return np.asarray(steps, dtype=float) / self.step_scale


#: The two thresholds of the phase transition of arXiv:2605.05710 at the docs' anchor point
#: (``docs/single-index.md``): the ceiling's and the W2S student's.
PT_CEILING_THRESHOLD = 1.309711265
PT_W2S_THRESHOLD = 1.362020910


def default_theory_profile(*, p_weak: float = 0.70, ceiling_low: float = 0.55,
                           ceiling_high: float = 0.86, pgr_hi: float = 0.45, lag: float = 0.05,
                           nu_ceiling: float = PT_CEILING_THRESHOLD,
                           nu_w2s: float = PT_W2S_THRESHOLD,
                           step_scale: float = 73000.0) -> TheoryProfile:
    """An explicit two-threshold profile of the pre-training threshold (docs/single-index.md) (first-order jumps in ``n_u/d``).

    * ceiling: ``ceiling_low`` (< weak) for ``nu <= nu_ceiling``, ``ceiling_high`` above;
    * W2S: ``min(P_ceil, P_weak) - lag`` for ``nu <= nu_w2s`` (negative gain, PGR < 0 between the
      thresholds), ``P_weak + pgr_hi (P_ceil - P_weak)`` above (PGR = ``pgr_hi``).

    The defaults are the anchor point's thresholds 1.309711265 and 1.362020910;
    ``step_scale = 73000`` puts them at steps 95609 and 99427 of Pythia's schedule (the ceiling
    overtakes the weak model at checkpoint 96000, W2SG emerges at 100000). The generator's item difficulty (``s_item``)
    maps these latent scores to expected accuracies; ``s_item = 0`` keeps them exactly.

    Examples
    --------
    >>> profile = default_theory_profile()
    >>> weak, w2s, ceil = profile.scores(profile.nu([90000, 97000, 120000]))
    >>> ceil.tolist(), w2s.round(3).tolist()
    ([0.55, 0.86, 0.86], [0.5, 0.65, 0.772])
    """
    if not ceiling_low < p_weak < ceiling_high or not nu_ceiling < nu_w2s:
        raise ValueError("need ceiling_low < p_weak < ceiling_high and nu_ceiling < nu_w2s")

    def scores(nu):
        nu = np.asarray(nu, dtype=float)
        ceil = np.where(nu > nu_ceiling, ceiling_high, ceiling_low)
        before = np.minimum(ceil, p_weak) - lag
        after = p_weak + pgr_hi * (ceil - p_weak)
        return np.full(nu.shape, p_weak), np.where(nu > nu_w2s, after, before), ceil

    return TheoryProfile(scores, step_scale,
                         f"the pre-training threshold (docs/single-index.md) profile: ceiling jumps at n_u/d={nu_ceiling}, W2SG "
                         f"at {nu_w2s}; step_scale={step_scale}")


#: The anchor point of arXiv:2605.05710 used in the docs (``docs/single-index.md``), the default of
#: :func:`single_index_profile`.
SET_D = {"spike": "1", "eta1": "0.45", "rho_w": "0.9", "c3": "1", "b1": "1/2", "b3": "1",
         "delta": "0.005"}


def single_index_profile(params: dict | None = None, *, p_weak: float = 0.70,
                         ceiling_low: float = 0.55, ceiling_high: float = 0.86,
                         lag: float = 0.05, step_scale: float = 73000.0) -> TheoryProfile:
    """The profile of the pre-training threshold (docs/single-index.md) computed by :mod:`theory.single_index` (the theory mode's default).

    Both thresholds are evaluated from the theory at ``params`` (default :data:`SET_D`): W2SG's,
    ``single_index.pretraining_threshold``, and the ceiling's, the same threshold for a
    supervisor matched to the target (``b = c``, ``rho_w = 1``). Above the ceiling's threshold the
    student's score is ``P_weak + PGR(nu) (P_ceil - P_weak)`` with the oracle PGR of online SGD
    from :func:`numerics.single_index.pgr_curve` (negative until the W2S threshold, then the
    plateau of the pre-training threshold (docs/single-index.md)); below it the ceiling is under the weak model and the student is at
    ``min(P_ceil, P_weak) - lag``. The scores ``P_ceil`` and ``P_weak`` are illustrative levels
    (the theory fixes the thresholds and the PGR, not accuracies).

    Examples
    --------
    >>> profile = single_index_profile()
    >>> {k: round(v, 9) for k, v in profile.thresholds.items()}
    {'ceiling': 1.309711265, 'w2s': 1.36202091}
    >>> weak, w2s, ceil = profile.scores(profile.nu([90000, 97000, 120000]))
    >>> ceil.tolist(), w2s.round(4).tolist()
    ([0.55, 0.86, 0.86], [0.5, 0.456, 0.7472])
    """
    from fractions import Fraction

    from numerics.evaluate import evaluate
    from numerics.single_index import pgr_curve

    params = dict(SET_D if params is None else params)
    matched = {**params, "rho_w": 1}
    for k in range(1, 5):
        matched[f"b{k}"] = params.get(f"c{k}", 0)
    nu_w2s = float(evaluate("single_index.pretraining_threshold", params, dps=20))
    nu_ceiling = float(evaluate("single_index.pretraining_threshold", matched, dps=20))
    floats = {k: float(Fraction(str(v))) for k, v in params.items()}

    def scores(nu):
        nu = np.asarray(nu, dtype=float)
        ceil = np.where(nu > nu_ceiling, ceiling_high, ceiling_low)
        w2s = np.minimum(ceil, p_weak) - lag
        above = nu > nu_ceiling
        if above.any():
            pgr = pgr_curve(nu[above], floats)
            w2s = w2s.copy()
            w2s[above] = p_weak + pgr * (ceil[above] - p_weak)
        return np.full(nu.shape, p_weak), w2s, ceil

    return TheoryProfile(scores, step_scale,
                         f"the pre-training threshold (docs/single-index.md) by theory.single_index: ceiling threshold n_u/d = "
                         f"{nu_ceiling:.10g}, W2SG threshold {nu_w2s:.10g}; "
                         f"step_scale={step_scale}",
                         {"ceiling": nu_ceiling, "w2s": nu_w2s})


@dataclass(frozen=True)
class SyntheticData:
    """A synthetic data set and its ground truth.

    ``truth`` holds arrays over checkpoints: ``weak, w2s, ceiling`` (expected accuracies), ``gain,
    gap, pgr`` (NaN where the true gap is not positive), and the indices ``k0`` (first index after
    which the true gap stays positive) and ``k_change`` (the least-squares step projection of the
    true gain on ``[k0, K)``; ``None`` for the null).
    """

    data: CheckpointData
    truth: dict

    def write(self, path) -> tuple[Path, Path]:
        """Write the aggregate CSV to ``path`` and the per-example CSV next to it
        (``NAME.examples.csv``); return both paths."""
        path = Path(path)
        ex_path = path.with_name(path.stem + ".examples.csv")
        d = self.data
        with path.open("w", newline="") as fh:
            w = csv.writer(fh)
            probe = [] if d.probe is None else ["probe", "probe_se"]
            w.writerow(["task", "model", "step", "seed", "weak", "w2s", "ceiling", "n_eval",
                        "metric", *probe])
            weak = d.weak.mean(axis=(1, 2))[0]
            for k, step in enumerate(d.steps):
                for j, seed in enumerate(d.seeds["w2s"]):
                    w.writerow([d.task, d.model, step, seed, repr(float(weak)),
                                repr(float(d.w2s[k, j].mean())),
                                repr(float(d.ceiling[k, j].mean())), d.n_eval, d.metric,
                                *([] if d.probe is None else [repr(float(d.probe[k])),
                                                             repr(float(d.probe_se[k]))])])
        with ex_path.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["task", "model", "step", "seed", "role", "example_id", "score"])
            for i, v in enumerate(d.weak[0, 0]):
                w.writerow([d.task, d.model, -1, d.seeds["weak"][0], "weak", i, int(v)])
            for r in ("w2s", "ceiling"):
                for k, step in enumerate(d.steps):
                    for j, seed in enumerate(d.seeds[r]):
                        w.writerows([d.task, d.model, step, seed, r, i, int(v)]
                                    for i, v in enumerate(d.role(r)[k, j]))
        return path, ex_path


def synthesize(emergence: str = "logistic", *, seed: int = 0, steps: Sequence[int] | None = None,
               n_eval: int = 500, n_seeds: int = 3, p_weak: float = 0.70,
               ceiling: tuple = (0.50, 0.86, 3.3, 0.35), x_c: float = 4.0, width: float = 0.08,
               lag: float | None = None, pgr_hi: float = 0.45, s_item: float = 1.0,
               seed_sd: float = 0.05, theory: TheoryProfile | None = None,
               probe_lead: float | None = None, probe_levels: tuple = (0.55, 0.85),
               n_probe: int = 2000) -> SyntheticData:
    """A synthetic Pythia-like data set (``docs/checkpoint-analysis.md``).

    Latent scores per checkpoint (``x = log10(step + 1)``): ceiling ``c_lo + (c_hi - c_lo)
    sigma((x - c_mid)/c_w)``; W2S ``(1 - e)(min(P_c, P_w) - lag) + e (P_w + pgr_hi (P_c - P_w))``
    with the emergence indicator ``e`` logistic ``sigma((x - x_c)/width)``, a ``step`` at ``x_c``,
    or 0 (``null``, where ``lag`` defaults to 0). ``theory``: the latent scores come from
    ``theory.scores(step / theory.step_scale)`` (default :func:`single_index_profile`, the pre-training threshold (docs/single-index.md)
    computed by :mod:`theory.single_index`).

    Evaluation: ``n_eval`` examples with difficulty ``u_i ~ N(0, 1)`` shared by every role and
    checkpoint; a model with latent ``P`` and seed offset ``o ~ N(0, seed_sd^2)`` answers example
    ``i`` correctly with probability ``sigma(logit P + s_item u_i + o)``. The weak model is scored
    once (step ``-1``); w2s and ceiling have ``n_seeds`` seeds at every checkpoint.

    Parameters
    ----------
    emergence : {"logistic", "step", "null", "theory"}
    seed : int
    steps : sequence of int, optional
        Default :func:`pythia_steps`.
    n_eval, n_seeds : int
    p_weak : float
    ceiling : tuple
        ``(c_lo, c_hi, c_mid, c_w)``.
    x_c, width, lag, pgr_hi, s_item, seed_sd : float
    theory : TheoryProfile, optional
    probe_lead : float, optional
        Add a linear-probe series whose emergence precedes W2SG's by ``probe_lead`` in
        ``log10(step + 1)`` (negative: it lags; 0: simultaneous): latent probe accuracy
        ``lo + (hi - lo) e(x + probe_lead)`` with ``e`` the emergence indicator above (for
        ``null``, the one at ``x_c``; for ``theory``, a step at the profile's W2SG threshold),
        observed as ``Binomial(n_probe, .)/n_probe`` per checkpoint from its own random stream
        (the other draws do not change). ``truth["probe"]`` holds the latent curve.
    probe_levels : tuple
        ``(lo, hi)`` of the probe's latent accuracy.
    n_probe : int
        Examples of the probe's evaluation.

    Returns
    -------
    SyntheticData

    Examples
    --------
    >>> s = synthesize("logistic", seed=0)
    >>> s.data.w2s.shape, round(float(s.truth["weak"][0]), 3)
    ((154, 3, 500), 0.669)
    >>> int(s.data.steps[s.truth["k0"]]), int(s.data.steps[s.truth["k_change"]])
    (3000, 12000)
    """
    kinds = ("logistic", "step", "null", "theory")
    if emergence not in kinds:
        raise ValueError(f"emergence must be one of {', '.join(kinds)}; got {emergence!r}")
    for name, value, low in (("n_eval", n_eval, 2), ("n_seeds", n_seeds, 1), ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}; got {value!r}")
    steps = pythia_steps() if steps is None else schedule(steps)
    x = np.log10(steps + 1.0)
    if emergence == "theory":
        theory = theory or single_index_profile()
        pw, pws, pc = (np.broadcast_to(np.asarray(a, dtype=float), steps.shape)
                       for a in theory.scores(theory.nu(steps)))
        if np.ptp(pw) > 0:
            raise ValueError("the theory profile's weak score must be constant (one weak model)")
        pw = float(pw[0])
    else:
        c_lo, c_hi, c_mid, c_w = ceiling
        pw = p_weak
        pc = c_lo + (c_hi - c_lo) * _sigmoid((x - c_mid) / c_w)
        e = {"logistic": _sigmoid((x - x_c) / width), "step": (x >= x_c).astype(float),
             "null": np.zeros_like(x)}[emergence]
        lag = (0.0 if emergence == "null" else 0.05) if lag is None else lag
        pws = (1 - e) * (np.minimum(pc, pw) - lag) + e * (pw + pgr_hi * (pc - pw))
    for name, p in (("weak", pw), ("w2s", pws), ("ceiling", pc)):
        if not np.all((np.asarray(p) > 0) & (np.asarray(p) < 1)):
            raise ValueError(f"latent {name} scores must lie in (0, 1)")
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    u = rng.standard_normal(n_eval)
    K = len(steps)

    def answers(p, shape):
        offset = rng.normal(0.0, seed_sd, size=shape + (1,))
        logits = _logit(p)[:, None, None] + s_item * u + offset
        return (rng.random(logits.shape) < _sigmoid(logits)).astype(float)

    weak = (rng.random((1, 1, n_eval)) < _sigmoid(_logit(pw) + s_item * u)).astype(float)
    w2s = answers(np.asarray(pws), (K, n_seeds))
    ceil = answers(np.asarray(pc), (K, n_seeds))
    labels = tuple(range(n_seeds))
    data = CheckpointData(steps=steps, weak=weak, w2s=w2s, ceiling=ceil,
                          seeds={"weak": (0,), "w2s": labels, "ceiling": labels},
                          per_example=True, n_eval=n_eval, task="synthetic",
                          model=f"pythia-like/{emergence}", metric="accuracy")
    t_weak = np.full(K, float(population_score(pw, s_item)))
    t_w2s, t_ceil = population_score(pws, s_item), population_score(pc, s_item)
    gain, gap = t_w2s - t_weak, t_ceil - t_weak
    k0 = ceiling_emergence(gap)
    k_change = None
    if emergence != "null" and k0 is not None and K - k0 >= 6:
        k_change = k0 + change_point(gain[k0:], 3)
    with np.errstate(divide="ignore", invalid="ignore"):
        pgr = np.where(gap > 0, gain / gap, np.nan)
    if probe_lead is not None:
        data, truth_probe = _with_probe(data, emergence, x, x_c, width, theory, probe_lead,
                                        probe_levels, n_probe, seed)
    truth = {"weak": t_weak, "w2s": t_w2s, "ceiling": t_ceil, "gain": gain, "gap": gap,
             "pgr": pgr, "k0": k0, "k_change": k_change, "latent": {"weak": pw, "w2s": pws,
                                                                    "ceiling": pc}}
    if probe_lead is not None:
        truth["probe"] = truth_probe
    return SyntheticData(data, truth)


def _with_probe(data, emergence, x, x_c, width, theory, lead, levels, n_probe, seed):
    """``data`` with a binomial probe series; and the latent probe curve."""
    from dataclasses import replace

    lo, hi = levels
    if not 0 < lo < hi < 1:
        raise ValueError(f"probe_levels must satisfy 0 < lo < hi < 1; got {levels!r}")
    if isinstance(n_probe, bool) or not isinstance(n_probe, (int, np.integer)) or n_probe < 2:
        raise ValueError(f"n_probe must be an integer >= 2; got {n_probe!r}")
    if emergence == "theory":
        if not (theory.thresholds or {}).get("w2s"):
            raise ValueError("probe_lead with a theory profile needs its thresholds['w2s']")
        x_c = float(np.log10(theory.thresholds["w2s"] * theory.step_scale + 1))
    z = x + lead
    e = _sigmoid((z - x_c) / width) if emergence == "logistic" else (z >= x_c).astype(float)
    latent = lo + (hi - lo) * e
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7]))
    observed = rng.binomial(n_probe, latent) / n_probe
    se = np.sqrt(observed * (1 - observed) / n_probe)
    return replace(data, probe=observed, probe_se=se), latent
