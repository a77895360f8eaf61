"""Bootstrap replicates of the role means across checkpoints, in one of four modes.

Examples
--------
>>> from numerics.checkpoints import synthesize
>>> from numerics.checkpoints.resampling import bootstrap, check_mode
>>> data = synthesize("step", seed=0, n_eval=40).data
>>> check_mode(data, None), bootstrap(data, "examples+seeds", B=20, rng=0).ceiling.shape
('examples+seeds', (20, 154))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from numerics.checkpoints.reading import ROLES, CheckpointData, CheckpointDataError

__all__ = ["MODES", "Replicates", "check_mode", "bootstrap"]

#: Bootstrap modes (``None`` picks the first that the data support, in this order).
MODES = ("examples+seeds", "seeds", "parametric", "residual")
@dataclass(frozen=True)
class Replicates:
    """Bootstrap replicates of the role means, each of shape ``(B, K)``."""

    mode: str
    weak: np.ndarray
    w2s: np.ndarray
    ceiling: np.ndarray


def _available_mode(data: CheckpointData) -> str:
    if data.per_example:
        return "examples+seeds"
    if min(len(s) for s in data.seeds.values()) >= 2:
        return "seeds"
    if data.n_eval is not None:
        return "parametric"
    return "residual"


def check_mode(data: CheckpointData, mode: str | None) -> str:
    """The bootstrap mode to use: ``mode`` checked against the data, or the first they support.

    Parameters
    ----------
    data : CheckpointData
    mode : str or None
        One of :data:`MODES`, or ``None`` for the first mode the data support.

    Returns
    -------
    str

    Raises
    ------
    CheckpointDataError
        An unknown mode, or one the data cannot support (no per-example scores, fewer than two
        seeds, no ``n_eval``, or scores outside ``[0, 1]`` for ``parametric``).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.checkpoints import CheckpointData
    >>> one = np.ones((5, 1, 1))
    >>> data = CheckpointData(np.arange(5), 0.5 * one, one, one, {r: (0,) for r in
    ...                       ("weak", "w2s", "ceiling")}, n_eval=100)
    >>> check_mode(data, None)
    'parametric'
    >>> check_mode(data, "seeds")
    Traceback (most recent call last):
    ...
    numerics.checkpoints.CheckpointDataError: bootstrap mode 'seeds' needs >= 2 seeds per checkpoint
    """
    if mode is None:
        return _available_mode(data)
    if mode not in MODES:
        raise CheckpointDataError(f"bootstrap mode must be one of {', '.join(MODES)}; got {mode!r}")
    if mode == "examples+seeds" and not data.per_example:
        raise CheckpointDataError("bootstrap mode 'examples+seeds' needs the per-example CSV")
    if mode == "seeds" and min(len(s) for s in data.seeds.values()) < 2:
        raise CheckpointDataError("bootstrap mode 'seeds' needs >= 2 seeds per checkpoint")
    if mode == "parametric":
        if data.n_eval is None:
            raise CheckpointDataError("bootstrap mode 'parametric' needs the n_eval column")
        for r in ROLES:
            s = data.role(r)
            if s.min() < 0 or s.max() > 1:
                bad = s.min() if s.min() < 0 else s.max()
                raise CheckpointDataError(f"bootstrap mode 'parametric' needs accuracies in "
                                          f"[0, 1]; column {r!r} has {float(bad)!r}")
    return mode


def _memory_guard(B: int, K: int) -> None:
    """Refuse replicates that would not fit: about six ``(B, K)`` float64 arrays (three roles,
    gain and gap, one temporary) against ``W2S_MAX_MEMORY_GB``."""
    from numerics.simulate.common import MEMORY_LIMIT_VARIABLE, memory_limit_gb

    need, limit = 6 * 8 * B * K / 1e9, memory_limit_gb()
    if need > limit:
        raise CheckpointDataError(
            f"--bootstrap {B} over {K} checkpoints needs about {need:.3g} GB, above the limit of "
            f"{limit:g} GB; lower --bootstrap, or raise the limit with "
            f"{MEMORY_LIMIT_VARIABLE}=GIGABYTES")


def bootstrap(data: CheckpointData, mode: str | None = None, B: int = 1000, rng=None,
              progress: Callable[[int, int], None] | None = None) -> Replicates | None:
    """Bootstrap replicates of the mean score of every role at every checkpoint.

    ``examples+seeds``: per replicate, example ids are drawn with replacement once (shared by all
    roles and checkpoints, which keeps the pairing), and seed ids once per distinct set of seed
    labels (shared across checkpoints, and across roles with the same labels).
    ``seeds``: the same with aggregate rows (whole rows are resampled).
    ``parametric``: ``Binomial(n_eval, P)/n_eval`` independently per checkpoint and role, except a
    role constant over all rows (one fixed model), which gets one draw per replicate.
    ``residual``: no replicates of the curves (returns ``None``); see :func:`analyse`.

    Parameters
    ----------
    data : CheckpointData
    mode : str, optional
        One of :data:`MODES`; default the first the data support.
    B : int
        Number of replicates.
    rng : numpy.random.Generator or int, optional
    progress : callable, optional
        Called as ``progress(done, B)`` after each chunk of replicates.

    Returns
    -------
    Replicates or None

    Examples
    --------
    >>> from numerics.checkpoints import bootstrap, synthesize
    >>> data = synthesize("null", seed=0, n_eval=50).data
    >>> rep = bootstrap(data, B=20, rng=0)
    >>> rep.mode, rep.w2s.shape
    ('examples+seeds', (20, 154))
    """
    mode = check_mode(data, mode)
    if isinstance(B, bool) or not isinstance(B, (int, np.integer)) or B < 20:
        raise CheckpointDataError(f"B must be an integer >= 20; got {B!r}")
    rng = np.random.default_rng(rng)
    K = data.K
    if mode == "residual":
        return None
    _memory_guard(B, K)
    out = {r: np.empty((B, K)) for r in ROLES}
    width = max(data.w2s.shape[2], *(len(s) for s in data.seeds.values()))
    chunk = max(1, min(B, 2_000_000 // max(1, K * width)))
    done = 0
    while done < B:
        b = min(chunk, B - done)
        if mode == "parametric":
            for r in ROLES:
                p = data.role(r).mean(axis=(1, 2))
                p = np.broadcast_to(p, (K,))
                if np.ptp(data.role(r)) == 0:
                    draw = rng.binomial(data.n_eval, p[0], size=(b, 1)) / data.n_eval
                    out[r][done:done + b] = draw
                else:
                    out[r][done:done + b] = rng.binomial(data.n_eval, p, size=(b, K)) / data.n_eval
        else:
            n = data.w2s.shape[2]
            ew = rng.multinomial(n, np.full(n, 1 / n), size=b) / n if n > 1 else np.ones((b, 1))
            seed_w = {}
            for r in ROLES:
                labels = data.seeds[r]
                if labels not in seed_w:
                    S = len(labels)
                    seed_w[labels] = (rng.multinomial(S, np.full(S, 1 / S), size=b) / S
                                      if S > 1 else np.ones((b, 1)))
                per_seed = np.einsum("ksn,bn->bks", data.role(r), ew)
                out[r][done:done + b] = np.einsum("bks,bs->bk", per_seed, seed_w[labels])
        done += b
        if progress is not None:
            progress(done, B)
    return Replicates(mode, out["weak"], out["w2s"], out["ceiling"])
