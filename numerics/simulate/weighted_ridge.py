"""Monte Carlo simulation of mechanism 2: the weighted-ridge student and a diagonal penalty.

Like every simulator, it implements the process and never imports the theory's formulas.
"""

from __future__ import annotations

import numpy as np

from numerics.simulate.common import (SimulationError, memory_check, lam_grid, positive_int,
                                       repeat, sample_rows)
from numerics.simulate.ridge import RidgeSimulation, ridge_path

__all__ = ["target_and_direction", "weighted_ridge_repetition", "simulate_weighted_ridge",
           "simulate_diagonal_penalty"]


def target_and_direction(rng: np.random.Generator, d: int, r2: float,
                         zeta: float) -> tuple[np.ndarray, np.ndarray]:
    """A target ``beta`` uniform on the sphere of radius ``sqrt(r2)`` and a unit direction
    ``theta`` with ``<theta, beta/|beta|> = zeta`` (its other part uniform among unit vectors
    orthogonal to ``beta``).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.weighted_ridge import target_and_direction
    >>> beta, theta = target_and_direction(np.random.default_rng(0), 50, 2.0, 0.3)
    >>> round(float(beta @ beta), 12), round(float(theta @ theta), 12)
    (2.0, 1.0)
    >>> round(float(theta @ beta / np.sqrt(2.0)), 12)
    0.3
    """
    g = rng.standard_normal(d)
    direction = g / np.linalg.norm(g)
    beta = np.sqrt(r2) * direction
    other = rng.standard_normal(d)
    other -= (other @ direction) * direction
    theta = zeta * direction + np.sqrt(max(0.0, 1 - zeta**2)) * other / np.linalg.norm(other)
    return beta, theta


def weighted_ridge_repetition(rng: np.random.Generator, d: int, gamma_t: float, gamma_s: float,
                              lam_t: np.ndarray, lam_s: np.ndarray, sigma2: float, r2: float,
                              zeta: float, s: float):
    """One repetition of mechanism 2: ``(teacher risks, student risks, <theta, b_t>, A, B)``.

    The student is ``b = (S + lam_s Omega)^{-1} S b_t`` with ``S = X_s^T X_s / n_s``,
    ``Omega = I - c theta theta^T``, ``c = s/(1 + s)`` and ``<theta, beta_star> = zeta
    ||beta_star||``. By the Sherman-Morrison formula, with ``R = (S + lam_s I)^{-1}``,
    ``z = R S b_t`` (the ridge student) and ``w = lam_s R theta = theta - R S theta``::

        b = z + s <theta, z> w / (1 + s p),    p = <theta, R S theta> in [0, 1],

    where ``1 + s p = (1 + s)(1 - c <theta, w>)`` is computed without cancellation, so every
    ``s`` in ``[0, inf)`` is exact (``c`` rounding to 1 in float64 is harmless), and ``lam_s = 0``
    gives the limit, the minimum-``Omega``-norm interpolator. Both ridge fits share one
    factorisation (:func:`ridge_path` with two label columns).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate import weighted_ridge_repetition
    >>> out = weighted_ridge_repetition(np.random.default_rng(0), 40, 0.5, 0.5, np.array([0.5]),
    ...                                 np.array([0.1, 1.0]), 1.0, 1.0, 0.8, 9.0)
    >>> out[1].shape
    (1, 2)
    """
    n_t, n_s = sample_rows(d, gamma_t), sample_rows(d, gamma_s)
    beta, theta = target_and_direction(rng, d, r2, zeta)
    X_t = rng.standard_normal((n_t, d))
    y = X_t @ beta + np.sqrt(sigma2) * rng.standard_normal(n_t)
    b_t = ridge_path(X_t, y, lam_t)[0]                               # (J, d)
    teacher = ((b_t - beta) ** 2).sum(-1)
    X_s = rng.standard_normal((n_s, d))
    labels = np.column_stack([X_s @ b_t.T, X_s @ theta])             # (n_s, J + 1)
    fits = ridge_path(X_s, labels, lam_s)                            # (J + 1, K, d)
    z, r_theta = fits[:-1], fits[-1]                                 # R S b_t, R S theta
    p = r_theta @ theta                                              # (K,)
    w = theta - r_theta                                              # lam_s R theta
    b_s = z + ((z @ theta) * (s / (1 + s * p)))[..., None] * w       # s/(1 + s p) <= 1/p
    student = ((b_s - beta) ** 2).sum(-1)
    return teacher, student, b_t @ theta, b_t @ beta, (b_t**2).sum(-1)


def simulate_weighted_ridge(*, d: int, gamma_t: float, gamma_s: float, lam_t, lam_s,
                            sigma2: float, zeta: float, s: float, r2: float = 1.0,
                            reps: int = 20, seed: int = 0, n_jobs: int = 1) -> RidgeSimulation:
    """Simulate mechanism 2 (see :func:`weighted_ridge_repetition`); ``c = s/(1 + s)``.

    Parameters are those of :func:`simulate_ridge` plus the alignment ``zeta`` in ``[-1, 1]`` and
    the spike strength ``s >= 0`` (any finite value: the computation has no ``1 - c``).

    Examples
    --------
    >>> from numerics.simulate import simulate_weighted_ridge
    >>> r = simulate_weighted_ridge(d=60, gamma_t=0.5, gamma_s=0.5, lam_t=0.5, lam_s=0.2,
    ...                             sigma2=1.0, zeta=0.9, s=10.0, reps=3, seed=0)
    >>> r.student.shape
    (3, 1, 1)
    """
    d = positive_int("d", d, 2)
    reps = positive_int("reps", reps, 2)
    seed = positive_int("seed", seed, 0)
    n_jobs = positive_int("n_jobs", n_jobs, 1)
    for name, value, open_lower in (("gamma_t", gamma_t, True), ("gamma_s", gamma_s, True),
                                    ("sigma2", sigma2, False), ("r2", r2, True),
                                    ("s", s, False)):
        lam_grid(name, value, open_lower=open_lower)
        if np.ndim(value) != 0:
            raise SimulationError(f"{name} must be a single number; got {value!r}")
    if not (np.isfinite(zeta) and -1 <= zeta <= 1):
        raise SimulationError(f"zeta must be in [-1, 1] (an alignment); got {zeta!r}")
    lam_t, lam_s = lam_grid("lam_t", lam_t), lam_grid("lam_s", lam_s)
    memory_check(d, sample_rows(d, float(gamma_t), "gamma_t"),
                 sample_rows(d, float(gamma_s), "gamma_s"), (lam_t.size + 1) * (1 + lam_s.size), min(n_jobs, reps))
    args = (d, float(gamma_t), float(gamma_s), lam_t, lam_s, float(sigma2), float(r2),
            float(zeta), float(s))
    teacher, student, _, A, B = repeat(weighted_ridge_repetition, args, reps, seed, n_jobs)
    return RidgeSimulation(d, reps, seed, lam_t, lam_s, teacher, student, A, B)


def simulate_diagonal_penalty(*, d: int, gamma_t: float, gamma_s: float, lam_t: float,
                              lam_s, sigma2: float, omega, beta, reps: int = 20,
                              seed: int = 0) -> RidgeSimulation:
    """Simulate a ridge teacher and a student with the diagonal penalty ``diag(omega)``.

    The target ``beta`` is fixed (``r2 = ||beta||^2``); the student is
    ``b = (S + lam_s diag(omega))^{-1} S b_t``, computed as the ridge of the labels on the design
    ``X_s diag(omega)^{-1/2}`` followed by ``b = diag(omega)^{-1/2} z``.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate import simulate_diagonal_penalty
    >>> r = simulate_diagonal_penalty(d=20, gamma_t=0.5, gamma_s=0.5, lam_t=0.1, lam_s=[0.1],
    ...                               sigma2=1.0, omega=np.ones(20), beta=np.ones(20) / 20**0.5,
    ...                               reps=2, seed=0)
    >>> r.student.shape
    (2, 1, 1)
    """
    d = positive_int("d", d, 2)
    reps = positive_int("reps", reps, 2)
    omega, beta = np.asarray(omega, float), np.asarray(beta, float)
    if omega.shape != (d,) or beta.shape != (d,):
        raise SimulationError(f"omega and beta must have length d = {d}")
    if not np.all(np.isfinite(omega)) or np.any(omega <= 0):
        raise SimulationError("omega must be positive (the penalty must be positive definite)")
    lam_t, lam_s = lam_grid("lam_t", lam_t), lam_grid("lam_s", lam_s)
    seed = positive_int("seed", seed, 0)
    args = (d, float(gamma_t), float(gamma_s), lam_t, lam_s, float(sigma2), omega, beta)
    teacher, student, A, B = repeat(_diagonal_repetition, args, reps, seed)
    return RidgeSimulation(d, reps, seed, lam_t, lam_s, teacher, student, A, B)


def _diagonal_repetition(rng, d, gamma_t, gamma_s, lam_t, lam_s, sigma2, omega, beta):
    n_t, n_s = sample_rows(d, gamma_t), sample_rows(d, gamma_s)
    scale = 1 / np.sqrt(omega)
    X_t = rng.standard_normal((n_t, d))
    y = X_t @ beta + np.sqrt(sigma2) * rng.standard_normal(n_t)
    b_t = ridge_path(X_t, y, lam_t)[0]
    X_s = rng.standard_normal((n_s, d))
    b_s = ridge_path(X_s * scale, X_s @ b_t.T, lam_s) * scale
    return ((b_t - beta) ** 2).sum(-1), ((b_s - beta) ** 2).sum(-1), b_t @ beta, (b_t**2).sum(-1)
