"""Monte Carlo simulation of mechanisms 1 and 2 together: an aligned student of a ridge teacher.

Like every simulator, it implements the *process* and never imports the theory's formulas. One
repetition:

1. ``beta_star`` uniform on the sphere of radius ``sqrt(r2)`` in dimension ``d`` and a unit
   direction ``theta`` with ``<theta, beta_star> = zeta sqrt(r2)``;
2. the ridge teacher: ``n_t = round(d / gamma_t)`` Gaussian rows, labels ``X beta_star +
   sqrt(sigma2) eps``, ridge with ``lam_t`` (any ``lam_t >= 0``: under-regularised teachers
   included);
3. the students, on the same fresh ``n_s = round(d / gamma_s)`` Gaussian inputs labelled by the
   teacher, for every ``lam_s`` of a grid: the ridge student ``z = (S + lam_s I)^{-1} S b_t``
   (mechanism 1 alone) and the weighted-ridge student ``(S + lam_s Omega)^{-1} S b_t``,
   ``Omega = I - c theta theta^T``, ``c = s/(1 + s)`` (both mechanisms), computed from ``z`` by
   the Sherman-Morrison formula as in :func:`numerics.simulate.weighted_ridge_repetition`;
4. the excess risks ``||b - beta_star||^2`` of the teacher and of both students on the whole
   grid, and the teacher's overlaps ``A = <b_t, beta_star>``, ``B = ||b_t||^2`` and alignment
   ``t = <theta, b_t>``.

A *population* student (``gamma_s -> 0``) is approached with ``n_s >> d``; the best gain of each
student is read off the grid (:meth:`InteractionSimulation.best_gain`).

Examples
--------
>>> import numpy as np
>>> from numerics.simulate.interaction import simulate_interaction
>>> r = simulate_interaction(d=60, lam_t=0.05, gamma_t=0.5, sigma2=1.0, zeta=0.6,
...                          lam_s=np.geomspace(0.01, 10, 5), gamma_s=0.1, reps=3, seed=0)
>>> r.ridge.shape, r.aligned.shape, r.teacher.shape
((3, 5), (3, 5), (3,))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from numerics.simulate.common import (SimulationError, lam_grid, memory_guard, positive_int,
                                       repeat, sample_rows)
from numerics.simulate.ridge import ridge_path
from numerics.simulate.weighted_ridge import target_and_direction

__all__ = ["InteractionSimulation", "simulate_interaction", "interaction_repetition",
           "default_grid"]


def default_grid() -> np.ndarray:
    """The ``lam_s`` grid a best gain is read off: 161 points, log-spaced on ``[1e-3, 1e3]``.

    Examples
    --------
    >>> from numerics.simulate.interaction import default_grid
    >>> g = default_grid()
    >>> g.size, float(g[0]), float(g[-1])
    (161, 0.001, 1000.0)
    """
    return np.geomspace(1e-3, 1e3, 161)


@dataclass
class InteractionSimulation:
    """Per-repetition arrays: ``teacher`` ``(reps,)``; ``ridge`` and ``aligned`` ``(reps, K)``
    (one column per ``lam_s``); the teacher's overlaps ``A``, ``B`` and alignment ``t``."""

    d: int
    reps: int
    seed: int
    lam_s: np.ndarray
    teacher: np.ndarray = field(repr=False)
    ridge: np.ndarray = field(repr=False)
    aligned: np.ndarray = field(repr=False)
    A: np.ndarray = field(repr=False)
    B: np.ndarray = field(repr=False)
    t: np.ndarray = field(repr=False)

    def best_gain(self, student: str) -> tuple[np.ndarray, float]:
        """The gain ``L_t - L_s`` per repetition at the grid's best ``lam_s`` for ``student``
        (``"ridge"`` or ``"aligned"``), and that ``lam_s``.

        The ``lam_s`` is chosen once, where the *mean* gain over the repetitions is largest, so
        the per-repetition values stay an unselected sample (their mean is not biased upwards
        by a per-repetition maximum).

        Examples
        --------
        >>> from numerics.simulate.interaction import simulate_interaction
        >>> r = simulate_interaction(d=40, lam_t=0.05, gamma_t=0.5, sigma2=1.0, zeta=0.6,
        ...                          gamma_s=0.2, reps=3, seed=0)
        >>> gains, lam = r.best_gain("aligned")
        >>> gains.shape, lam > 0
        ((3,), True)
        """
        if student not in ("ridge", "aligned"):
            raise SimulationError(f"student must be 'ridge' or 'aligned'; got {student!r}")
        gains = self.teacher[:, None] - getattr(self, student)
        k = int(np.argmax(gains.mean(axis=0)))
        return gains[:, k], float(self.lam_s[k])


def interaction_repetition(rng: np.random.Generator, d: int, lam_t: float, gamma_t: float,
                           sigma2: float, r2: float, zeta: float, s: float, lam_s: np.ndarray,
                           gamma_s: float):
    """One repetition: ``(teacher risk, ridge risks (K,), aligned risks (K,), A, B, t)``.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.interaction import interaction_repetition
    >>> out = interaction_repetition(np.random.default_rng(0), 30, 0.1, 0.5, 1.0, 1.0, 0.5,
    ...                              1e9, np.array([0.1, 1.0]), 0.5)
    >>> out[1].shape, out[2].shape
    ((2,), (2,))
    """
    beta, theta = target_and_direction(rng, d, r2, zeta)
    X = rng.standard_normal((sample_rows(d, gamma_t), d))
    y = X @ beta + np.sqrt(sigma2) * rng.standard_normal(X.shape[0])
    b_t = ridge_path(X, y, np.array([lam_t]))[0, 0]
    X = rng.standard_normal((sample_rows(d, gamma_s), d))
    fits = ridge_path(X, np.column_stack([X @ b_t, X @ theta]), lam_s)   # (2, K, d)
    z, r_theta = fits[0], fits[1]                                        # R S b_t, R S theta
    p = r_theta @ theta                                                  # (K,)
    w = theta - r_theta                                                  # lam_s R theta
    b_s = z + ((z @ theta) * (s / (1 + s * p)))[:, None] * w
    return (((b_t - beta) ** 2).sum(), ((z - beta) ** 2).sum(-1), ((b_s - beta) ** 2).sum(-1),
            b_t @ beta, b_t @ b_t, b_t @ theta)


def simulate_interaction(*, d: int, lam_t: float, gamma_t: float, sigma2: float, zeta: float,
                         s: float = 1e9, gamma_s: float = 0.05, lam_s=None, r2: float = 1.0,
                         reps: int = 20, seed: int = 0,
                         n_jobs: int = 1) -> InteractionSimulation:
    """Simulate a ridge teacher, its ridge student and its aligned weighted-ridge student.

    Parameters
    ----------
    d : int
        Dimension (>= 2).
    lam_t, gamma_t, sigma2 : float
        The teacher's regularisation (>= 0), aspect ratio ``d/n_t`` (> 0) and label noise
        (>= 0).
    zeta : float
        Alignment ``<theta, beta_star>/sqrt(r2)`` of the student's penalty direction, in
        ``[-1, 1]``.
    s : float
        Spike strength (>= 0; ``c = s/(1 + s)``); the default ``1e9`` is the full alignment
        weight ``c -> 1`` (exact: the computation has no ``1 - c``).
    gamma_s : float
        The students' aspect ratio ``d/n_s`` (> 0); small values approach the population
        student.
    lam_s : array_like, optional
        The students' regularisations (>= 0); default :func:`default_grid`.
    r2 : float
        ``||beta_star||^2`` (> 0).
    reps, seed, n_jobs : int
        Repetitions (>= 2), the ``SeedSequence`` seed (>= 0), worker processes (the result does
        not depend on it).

    Returns
    -------
    InteractionSimulation

    Raises
    ------
    numerics.simulate.SimulationError
        A parameter out of its range (the message names it).

    Examples
    --------
    >>> from numerics.simulate.interaction import simulate_interaction
    >>> r = simulate_interaction(d=100, lam_t=0.5, gamma_t=0.5, sigma2=1.0, zeta=0.0, s=0.0,
    ...                          lam_s=[0.2], gamma_s=0.5, reps=3, seed=0)
    >>> bool(abs(r.ridge - r.aligned).max() < 1e-12)     # s = 0: the student is ridge
    True
    """
    d = positive_int("d", d, 2)
    reps = positive_int("reps", reps, 2)
    seed = positive_int("seed", seed, 0)
    n_jobs = positive_int("n_jobs", n_jobs, 1)
    for name, value, open_lower in (("lam_t", lam_t, False), ("gamma_t", gamma_t, True),
                                    ("sigma2", sigma2, False), ("r2", r2, True), ("s", s, False),
                                    ("gamma_s", gamma_s, True)):
        lam_grid(name, value, open_lower=open_lower)
        if np.ndim(value) != 0:
            raise SimulationError(f"{name} must be a single number; got {value!r}")
    if not (np.ndim(zeta) == 0 and np.isfinite(zeta) and -1 <= zeta <= 1):
        raise SimulationError(f"zeta must be in [-1, 1] (an alignment); got {zeta!r}")
    grid = default_grid() if lam_s is None else lam_grid("lam_s", lam_s)
    rows = max(sample_rows(d, float(gamma_t), "gamma_t"), sample_rows(d, float(gamma_s),
                                                                       "gamma_s"))
    memory_guard(float(rows) * d * 3 + 2.0 * grid.size * d, min(n_jobs, reps),
                 f"an interaction simulation at d = {d}")
    args = (d, float(lam_t), float(gamma_t), float(sigma2), float(r2), float(zeta), float(s),
            grid, float(gamma_s))
    teacher, ridge, aligned, A, B, t = repeat(interaction_repetition, args, reps, seed, n_jobs)
    return InteractionSimulation(d, reps, seed, grid, teacher, ridge, aligned, A, B, t)
