"""Monte Carlo simulation of mechanism 1: the actual estimators fitted on sampled data.

This module implements the *process* and never imports the theory's formulas: its agreement with
:mod:`theory` is evidence because it is independent. One repetition:

1. ``beta_star`` uniform on the sphere of radius ``sqrt(r2)`` in dimension ``d``;
2. teacher data ``X_t`` (``n_t = round(d / gamma_t)`` rows, i.i.d. ``N(0, 1)`` entries),
   labels ``y = X_t beta_star + sqrt(sigma2) eps``;
3. ridge teacher ``b_t = (X_t^T X_t / n_t + lam_t I)^{-1} X_t^T y / n_t`` (minimum-norm
   least squares when ``lam_t = 0``);
4. fresh student inputs ``X_s`` (``n_s = round(d / gamma_s)`` rows), labels ``X_s b_t`` plus
   optional noise of variance ``sigma2_s``;
5. ridge student ``b_s`` likewise (minimum-norm interpolator when ``lam_s = 0``);
6. excess risks ``||b - beta_star||^2``.

``lam_t`` and ``lam_s`` may be whole grids (:func:`ridge_path`). The work is done with the smaller
Gram matrix, ``X^T X / n`` when ``n >= d`` and ``X X^T / n`` when ``n < d`` (``b = X^T (X X^T / n +
lam I)^{-1} y / n``, which at ``lam = 0`` is the minimum-norm interpolator and stays well
conditioned). A single ``lam > 0`` is one Cholesky solve; a grid reduces the Gram matrix once to
tridiagonal form and then costs one tridiagonal solve per value.

Randomness: one :class:`numpy.random.SeedSequence` per run, spawned once per repetition, so a
repetition's numbers do not depend on how many workers run the repetitions; each repetition runs
its linear algebra with one BLAS thread, so the bits do not depend on ``n_jobs`` either.

Examples
--------
>>> from numerics.simulate import simulate_ridge
>>> r = simulate_ridge(d=100, gamma_t=0.5, gamma_s=0.5, lam_t=0.05, lam_s=[0.0, 0.3],
...                    sigma2=1.0, reps=4, seed=0)
>>> r.student_mean.shape, r.teacher_mean.shape
((1, 2), (1,))
"""


from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import cho_factor, cho_solve, lapack

from numerics.simulate.common import (SimulationError, memory_check, lam_grid, positive_int,
                                       repeat, sample_rows)

__all__ = ["RidgeSimulation", "simulate_ridge", "ridge_repetition", "ridge_path"]


@dataclass
class RidgeSimulation:
    """Means and standard errors over repetitions (teacher risk per ``lam_t``; student risk per
    ``(lam_t, lam_s)``; the teacher overlaps ``A = <b_t, beta_star>`` and ``B = ||b_t||^2``)."""

    d: int
    reps: int
    seed: int
    lam_t: np.ndarray
    lam_s: np.ndarray
    teacher: np.ndarray = field(repr=False)  # (reps, n_lam_t)
    student: np.ndarray = field(repr=False)  # (reps, n_lam_t, n_lam_s)
    overlap_A: np.ndarray = field(repr=False)
    overlap_B: np.ndarray = field(repr=False)

    @staticmethod
    def _se(x):
        return x.std(axis=0, ddof=1) / np.sqrt(x.shape[0])

    @property
    def teacher_mean(self):
        return self.teacher.mean(axis=0)

    @property
    def teacher_se(self):
        return self._se(self.teacher)

    @property
    def student_mean(self):
        return self.student.mean(axis=0)

    @property
    def student_se(self):
        return self._se(self.student)

    @property
    def gap_mean(self):
        """Mean of the paired difference ``L_s - L_t`` (same draws: a smaller standard error)."""
        return (self.student - self.teacher[:, :, None]).mean(axis=0)

    @property
    def gap_se(self):
        return self._se(self.student - self.teacher[:, :, None])


def ridge_path(X: np.ndarray, Y: np.ndarray, lams: np.ndarray) -> np.ndarray:
    """Ridge estimates ``(X^T X / n + lam I)^{-1} X^T y / n`` for every ``lam`` and label vector.

    The work is done with the smaller Gram matrix ``G`` (``X^T X / n`` when ``n >= d``, else
    ``X X^T / n``). A single ``lam > 0`` is one Cholesky solve. A grid reduces ``G`` once to a
    tridiagonal ``T = Q^T G Q`` (Householder, LAPACK ``sytrd``: about a quarter of the cost of an
    eigendecomposition) and then costs one tridiagonal solve per ``lam``. A grid that contains
    ``lam = 0`` (or a ``lam`` below ``m eps tr G``, zero to working precision) uses the
    eigendecomposition, whose eigenvalues below that size count as zero: the least-squares
    solution (``n >= d``) or the minimum-norm interpolator (``n < d``), also for a
    rank-deficient ``X``.

    Parameters
    ----------
    X : (n, d) array
    Y : (n,) or (n, J) array
        Label vectors.
    lams : (K,) array
        Regularisations (>= 0).

    Returns
    -------
    (J, K, d) array (``J = 1`` for a single label vector)

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate import ridge_path
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.standard_normal((30, 5)), rng.standard_normal(30)
    >>> b = ridge_path(X, y, np.array([0.0, 0.5]))[0]
    >>> bool(np.allclose(b[1], np.linalg.solve(X.T @ X / 30 + 0.5 * np.eye(5), X.T @ y / 30)))
    True
    >>> bool(np.allclose(b[0], np.linalg.lstsq(X, y, rcond=None)[0]))
    True
    """
    n, d = X.shape
    Y = Y.reshape(n, -1)
    primal = n >= d
    G = X.T @ X if primal else X @ X.T
    G /= n
    R = X.T @ Y / n if primal else Y / n                         # b = G^-1 R  or  X^T G^-1 R
    # below this, lam is 0 to working precision and a rank-deficient G needs the pseudo-inverse
    negligible = G.shape[0] * np.finfo(float).eps * np.trace(G)
    if lams.min() <= negligible:
        Z = _eigen_path(G, R, lams, negligible)
    elif lams.size == 1:
        G.flat[::G.shape[0] + 1] += lams[0]
        Z = cho_solve(cho_factor(G, lower=True, overwrite_a=True), R)[:, None, :]
    else:
        Z = _tridiagonal_path(G, R, lams)
    if not primal:
        Z = np.einsum("nd,nkj->dkj", X, Z, optimize=True)
    return Z.transpose(2, 1, 0)                                  # (J, K, d)


def _tridiagonal_path(G, R, lams):
    """``(G + lam I)^{-1} R`` as an (m, K, J) array via ``G = Q T Q^T``; every ``lam > 0``."""
    m, J = R.shape
    if m == 1:
        return R[:, None, :] / (G[0, 0] + lams[None, :, None])
    lwork = int(lapack.dsytrd_lwork(m, lower=1)[0])
    packed, T, e, tau, _ = lapack.dsytrd(G, lower=1, lwork=lwork, overwrite_a=1)
    reflectors = packed[1:, :-1]                                 # Q = diag(1, Q_qr(reflectors))
    R = R.copy()
    R[1:] = lapack.dormqr("L", "T", reflectors, tau, R[1:], lwork=64 * J)[0]   # R <- Q^T R
    Z = np.empty((m, lams.size, J))
    for k, lam in enumerate(lams):
        _, _, Z[:, k, :], info = lapack.dptsv(T + lam, e, R)
        if info != 0:
            raise np.linalg.LinAlgError(f"T + {lam} I is not positive definite")
    flat = Z.reshape(m, -1)
    flat[1:] = lapack.dormqr("L", "N", reflectors, tau, flat[1:], lwork=64 * flat.shape[1])[0]
    return Z                                                     # Z <- Q Z (in place)


def _eigen_path(G, R, lams, negligible):
    """``(G + lam I)^+ R`` as an (m, K, J) array from the eigendecomposition of ``G``; eigenvalues
    of ``G + lam I`` below ``negligible`` count as 0 (least squares or the minimum-norm
    interpolator at ``lam = 0``)."""
    e, W = np.linalg.eigh(G)
    shifted = e[None, :] + lams[:, None]
    scale = np.where(shifted > negligible, 1 / np.maximum(shifted, negligible), 0.0)
    return np.einsum("mr,kr,rj->mkj", W, scale, W.T @ R, optimize=True)


def ridge_repetition(rng: np.random.Generator, d: int, gamma_t: float, gamma_s: float,
                     lam_t: np.ndarray, lam_s: np.ndarray, sigma2: float, r2: float,
                     sigma2_s: float):
    """One repetition: ``(teacher risks, student risks, A, B)`` for the grids.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate import ridge_repetition
    >>> t, s, A, B = ridge_repetition(np.random.default_rng(0), 50, 0.5, 0.5, np.array([0.1]),
    ...                               np.array([0.0, 1.0]), 1.0, 1.0, 0.0)
    >>> s.shape
    (1, 2)
    """
    n_t, n_s = sample_rows(d, gamma_t), sample_rows(d, gamma_s)
    g = rng.standard_normal(d)
    beta = g * (np.sqrt(r2) / np.linalg.norm(g))
    X_t = rng.standard_normal((n_t, d))
    y = X_t @ beta + np.sqrt(sigma2) * rng.standard_normal(n_t)
    b_t = ridge_path(X_t, y, lam_t)[0]                               # (J, d)
    teacher = ((b_t - beta) ** 2).sum(-1)
    A, B = b_t @ beta, (b_t**2).sum(-1)
    X_s = rng.standard_normal((n_s, d))
    labels = X_s @ b_t.T                                             # (n_s, J)
    if sigma2_s > 0:
        labels = labels + np.sqrt(sigma2_s) * rng.standard_normal(labels.shape)
    b_s = ridge_path(X_s, labels, lam_s)                             # (J, K, d)
    student = ((b_s - beta) ** 2).sum(-1)
    return teacher, student, A, B


def simulate_ridge(*, d: int, gamma_t: float, gamma_s: float, lam_t, lam_s, sigma2: float,
                   r2: float = 1.0, sigma2_s: float = 0.0, reps: int = 20, seed: int = 0,
                   n_jobs: int = 1) -> RidgeSimulation:
    """Simulate the ridge teacher and student ``reps`` times.

    Parameters
    ----------
    d : int
        Dimension (>= 2).
    gamma_t, gamma_s : float
        Aspect ratios ``d/n_t`` and ``d/n_s`` (> 0).
    lam_t, lam_s : float or 1-d array
        Regularisations (>= 0); grids share one SVD per draw.
    sigma2, sigma2_s : float
        Label noise of the teacher's data and extra noise on the student's labels (>= 0).
    r2 : float
        ``||beta_star||^2`` (> 0).
    reps : int
        Repetitions (>= 2, for a standard error).
    seed : int
        Seed of the run's ``SeedSequence`` (>= 0).
    n_jobs : int
        Worker processes (joblib, one BLAS thread each); the result does not depend on it, to
        the last bit.

    Returns
    -------
    RidgeSimulation

    Examples
    --------
    >>> from numerics.simulate import simulate_ridge
    >>> r = simulate_ridge(d=200, gamma_t=0.5, gamma_s=0.5, lam_t=0.5, lam_s=0.0, sigma2=1.0,
    ...                    reps=10, seed=1)
    >>> bool(abs(r.teacher_mean[0] - 0.414) < 4 * r.teacher_se[0] + 0.02)  # theory: sqrt(2) - 1
    True
    """
    d = positive_int("d", d, 2)
    reps = positive_int("reps", reps, 2)
    seed = positive_int("seed", seed, 0)
    n_jobs = positive_int("n_jobs", n_jobs, 1)
    for name, value, open_lower in (("gamma_t", gamma_t, True), ("gamma_s", gamma_s, True),
                                    ("sigma2", sigma2, False), ("sigma2_s", sigma2_s, False),
                                    ("r2", r2, True)):
        lam_grid(name, value, open_lower=open_lower)
        if np.ndim(value) != 0:
            raise SimulationError(f"{name} must be a single number; got {value!r}")
    lam_t, lam_s = lam_grid("lam_t", lam_t), lam_grid("lam_s", lam_s)
    memory_check(d, sample_rows(d, float(gamma_t), "gamma_t"),
                 sample_rows(d, float(gamma_s), "gamma_s"), lam_t.size * (1 + lam_s.size), min(n_jobs, reps))
    args = (d, float(gamma_t), float(gamma_s), lam_t, lam_s, float(sigma2), float(r2),
            float(sigma2_s))
    teacher, student, A, B = repeat(ridge_repetition, args, reps, seed, n_jobs)
    return RidgeSimulation(d, reps, seed, lam_t, lam_s, teacher, student, A, B)
