"""The process, simulated: a noisy teacher, a shrinkage student (NumPy only).

This module never imports the theory (:mod:`w2s_shrinkage.theory`): an agreement between the
two is evidence only because the simulation knows nothing of the formulas.

Examples
--------
>>> from w2s_shrinkage.simulate import simulate
>>> t, s = simulate(shrink=0.8, r2=1.0, sigma2=0.25, d=200, reps=3, seed=0)
>>> t.shape, s.shape
((3,), (3,))
"""

import numpy as np

__all__ = ["simulate"]


def simulate(shrink: float, r2: float, sigma2: float, d: int, reps: int, seed: int):
    """Teacher and student losses ``||b - beta||^2`` over ``reps`` repetitions.

    Each repetition draws a target ``beta`` uniformly on the sphere of radius ``sqrt(r2)`` in
    ``d`` dimensions, the teacher ``b_t = beta + sqrt(sigma2/d) z`` and the student
    ``b_s = shrink * b_t``. Seeds are spawned per repetition (``numpy.random.SeedSequence``).
    """
    if not (0 <= shrink <= 1 and r2 > 0 and sigma2 >= 0 and d >= 1 and reps >= 2):
        raise ValueError("need 0 <= shrink <= 1, r2 > 0, sigma2 >= 0, d >= 1, reps >= 2")
    teacher, student = np.empty(reps), np.empty(reps)
    for i, child in enumerate(np.random.SeedSequence(seed).spawn(reps)):
        rng = np.random.default_rng(child)
        beta = rng.standard_normal(d)
        beta *= np.sqrt(r2) / np.linalg.norm(beta)
        b_t = beta + np.sqrt(sigma2 / d) * rng.standard_normal(d)
        teacher[i] = np.sum((b_t - beta) ** 2)
        student[i] = np.sum((shrink * b_t - beta) ** 2)
    return teacher, student
