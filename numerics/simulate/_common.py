"""Shared pieces of the simulators: input checks and seeded repetitions.

Randomness: one :class:`numpy.random.SeedSequence` per run, spawned once per repetition, so a
repetition's numbers do not depend on how many workers run the repetitions.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SimulationError"]


class SimulationError(ValueError):
    """Bad simulation input (the message names the parameter and the allowed range)."""


def _positive_int(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise SimulationError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def _grid(name, value, lower=0.0, open_lower=False):
    a = np.atleast_1d(np.asarray(value, dtype=float))
    if a.ndim != 1 or a.size == 0 or not np.all(np.isfinite(a)):
        raise SimulationError(f"{name} must be a finite number or a 1-d grid; got {value!r}")
    if np.any(a <= lower) if open_lower else np.any(a < lower):
        raise SimulationError(f"{name} must be in {'(' if open_lower else '['}{lower:g}, inf); "
                              f"got {a.min():g}")
    return a


def _repeat(repetition, args, reps: int, seed: int, n_jobs: int = 1):
    """Run ``repetition(rng, *args)`` once per child of ``SeedSequence(seed)``; stack the outputs.

    Each repetition has its own child sequence, so the numbers do not depend on ``n_jobs``.
    """
    children = np.random.SeedSequence(seed).spawn(reps)
    if n_jobs == 1:
        results = [repetition(np.random.default_rng(c), *args) for c in children]
    else:
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=n_jobs)(
            delayed(_from_seed)(repetition, c, args) for c in children)
    return [np.stack(x) for x in zip(*results)]


def _from_seed(repetition, seed_sequence, args):
    return repetition(np.random.default_rng(seed_sequence), *args)
