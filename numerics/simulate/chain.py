"""Monte Carlo simulation of a chain of teachers: each level is a student of the level before.

Like every simulator, it implements the *process* and never imports the theory's formulas. One
repetition:

1. ``beta_star`` uniform on the sphere of radius ``sqrt(r2)`` in dimension ``d`` (and, for an
   aligned last level, a unit direction ``theta`` with ``<theta, beta_star> = zeta sqrt(r2)``);
2. level 0, the ridge teacher: ``n_0 = round(d / gamma_t)`` Gaussian rows, labels
   ``X beta_star + sqrt(sigma2) eps``, ridge with ``lam_t``;
3. level ``j = 1..k``: *fresh* Gaussian inputs (``round(d / gamma_j)`` rows) labelled by level
   ``j - 1``'s predictor, plus optional noise of variance ``sigma2_j``; a ridge fit with
   ``lam_j`` (the minimum-norm interpolator at ``lam_j = 0``). A level given a spike
   ``s_j > 0`` is instead the weighted-ridge student ``(S + lam_j Omega_j)^{-1} X^T y / n`` with
   ``Omega_j = I - c_j theta theta^T``, ``c_j = s_j/(1 + s_j)`` (Sherman-Morrison, as in
   :func:`numerics.simulate.weighted_ridge_repetition`), every level with the same ``theta``;
   when ``zeta`` and ``s`` are given, the last level is such a student with spike ``s``;
4. per level: the excess risk ``||b_j - beta_star||^2``, the overlaps ``A_j = <b_j, beta_star>``,
   ``B_j = ||b_j||^2`` and the misfit ``||b_j - b_{j-1}||^2`` (the squared distance of the
   level's predictions to its labels' source, on fresh isotropic inputs).

Examples
--------
>>> from numerics.simulate.chain import simulate_chain
>>> r = simulate_chain(d=100, lam_t=0.01, gamma_t=0.5, sigma2=1.0,
...                    levels=[(0.3, 2.0), (0.5, 0.5)], reps=3, seed=0)
>>> r.risk.shape, r.misfit.shape
((3, 3), (3, 3))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from numerics.simulate.common import (SimulationError, lam_grid, memory_guard, positive_int,
                                       repeat, sample_rows)
from numerics.simulate.ridge import ridge_path

__all__ = ["ChainSimulation", "simulate_chain", "chain_repetition"]


@dataclass
class ChainSimulation:
    """Per-repetition, per-level arrays (``(reps, k + 1)``; column 0 is the teacher).

    ``misfit[:, 0]`` is 0 (the teacher fits data, not a predictor).
    """

    d: int
    reps: int
    seed: int
    levels: tuple
    risk: np.ndarray = field(repr=False)
    overlap_A: np.ndarray = field(repr=False)
    overlap_B: np.ndarray = field(repr=False)
    misfit: np.ndarray = field(repr=False)
    alignment: np.ndarray = field(repr=False)

    @staticmethod
    def mean_se(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean over repetitions and its standard error, per column."""
        return x.mean(axis=0), x.std(axis=0, ddof=1) / np.sqrt(x.shape[0])


def _fit(X, y, lam):
    return ridge_path(X, y, np.array([lam]))[0, 0]


def _weighted_fit(X, y, lam, theta, s):
    """``(S + lam Omega)^{-1} X^T y / n``, ``Omega = I - s/(1+s) theta theta^T`` (one
    factorisation for the two ridge fits; exact for every ``s >= 0``)."""
    fits = ridge_path(X, np.column_stack([y, X @ theta]), np.array([lam]))[:, 0]
    z, r_theta = fits[0], fits[1]
    p = r_theta @ theta
    w = theta - r_theta
    return z + (z @ theta) * (s / (1 + s * p)) * w


def chain_repetition(rng: np.random.Generator, d: int, lam_t: float, gamma_t: float,
                     sigma2: float, r2: float, levels: tuple, zeta, s):
    """One repetition: ``(risk, A, B, misfit, <theta, b>)``, each of length ``k + 1``.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.chain import chain_repetition
    >>> out = chain_repetition(np.random.default_rng(0), 50, 0.1, 0.5, 1.0, 1.0,
    ...                        ((0.2, 0.5, 0.0, 0.0),), None, 0.0)
    >>> [x.shape for x in out]
    [(2,), (2,), (2,), (2,), (2,)]
    """
    g = rng.standard_normal(d)
    direction = g / np.linalg.norm(g)
    beta = np.sqrt(r2) * direction
    theta = direction
    if zeta is not None:
        other = rng.standard_normal(d)
        other -= (other @ direction) * direction
        theta = zeta * direction + np.sqrt(max(0.0, 1 - zeta**2)) * other / np.linalg.norm(other)
    X = rng.standard_normal((sample_rows(d, gamma_t), d))
    b = _fit(X, X @ beta + np.sqrt(sigma2) * rng.standard_normal(X.shape[0]), lam_t)
    out = [[((b - beta) ** 2).sum(), b @ beta, b @ b, 0.0, b @ theta]]
    for j, (lam, gamma, noise, spike) in enumerate(levels):
        X = rng.standard_normal((sample_rows(d, gamma), d))
        y = X @ b
        if noise > 0:
            y = y + np.sqrt(noise) * rng.standard_normal(y.shape)
        if zeta is not None and j == len(levels) - 1 and s > 0:
            spike = s
        new = _weighted_fit(X, y, lam, theta, spike) if spike > 0 else _fit(X, y, lam)
        out.append([((new - beta) ** 2).sum(), new @ beta, new @ new, ((new - b) ** 2).sum(),
                    new @ theta])
        b = new
    return tuple(np.array(column) for column in zip(*out))


def simulate_chain(*, d: int, lam_t: float, gamma_t: float, sigma2: float, levels,
                   r2: float = 1.0, zeta: float | None = None, s: float = 0.0, reps: int = 20,
                   seed: int = 0, n_jobs: int = 1) -> ChainSimulation:
    """Simulate a ridge teacher followed by ``k`` students, each on fresh data.

    Parameters
    ----------
    d : int
        Dimension (>= 2).
    lam_t, gamma_t, sigma2 : float
        The teacher's regularisation (>= 0), aspect ratio ``d/n`` (> 0) and label noise (>= 0).
    levels : sequence of (lam_j, gamma_j), (lam_j, gamma_j, sigma2_j) or
            (lam_j, gamma_j, sigma2_j, s_j)
        The students, in order: regularisation (>= 0), aspect ratio (> 0), optional extra label
        noise (>= 0, default 0) and optional spike (>= 0, default 0: a ridge level; > 0: a
        weighted-ridge level aligned with ``theta``, which needs ``zeta``). At least one.
    r2 : float
        ``||beta_star||^2`` (> 0).
    zeta, s : float, optional
        ``zeta`` (in ``[-1, 1]``) places ``theta`` (``<theta, beta_star> = zeta sqrt(r2)``);
        ``s > 0`` makes the last level a weighted-ridge student with spike ``s``.
    reps, seed, n_jobs : int
        Repetitions (>= 2), the ``SeedSequence`` seed (>= 0), worker processes (the result does
        not depend on it).

    Returns
    -------
    ChainSimulation

    Raises
    ------
    numerics.simulate.SimulationError
        A parameter out of its range (the message names it).

    Examples
    --------
    >>> from numerics.simulate.chain import simulate_chain
    >>> r = simulate_chain(d=200, lam_t=0.5, gamma_t=0.5, sigma2=1.0, levels=[(0.0, 0.5)],
    ...                    reps=4, seed=1)
    >>> bool(abs(r.risk[:, 1] - r.risk[:, 0]).max() < 1e-8)   # a ridgeless copy, n > d
    True
    """
    d = positive_int("d", d, 2)
    reps = positive_int("reps", reps, 2)
    seed = positive_int("seed", seed, 0)
    n_jobs = positive_int("n_jobs", n_jobs, 1)
    for name, value, open_lower in (("lam_t", lam_t, False), ("gamma_t", gamma_t, True),
                                    ("sigma2", sigma2, False), ("r2", r2, True), ("s", s, False)):
        lam_grid(name, value, open_lower=open_lower)
        if np.ndim(value) != 0:
            raise SimulationError(f"{name} must be a single number; got {value!r}")
    checked = []
    for j, level in enumerate(levels, start=1):
        if len(level) not in (2, 3, 4):
            raise SimulationError(f"level {j} must be (lam_{j}, gamma_{j}), "
                                  f"(lam_{j}, gamma_{j}, sigma2_{j}) or (lam_{j}, gamma_{j}, "
                                  f"sigma2_{j}, s_{j}); got {level!r}")
        lam, gamma, noise, spike = (*level, 0.0, 0.0)[:4]
        for name, value, open_lower in ((f"lam_{j}", lam, False), (f"gamma_{j}", gamma, True),
                                        (f"sigma2_{j}", noise, False), (f"s_{j}", spike, False)):
            lam_grid(name, value, open_lower=open_lower)
        if spike > 0 and zeta is None:
            raise SimulationError(f"s_{j} > 0 makes level {j} an aligned student: give zeta "
                                  f"in [-1, 1] (the alignment of its direction)")
        checked.append((float(lam), float(gamma), float(noise), float(spike)))
    if not checked:
        raise SimulationError("levels: give at least one student level (lam_1, gamma_1)")
    if zeta is not None and not (np.isfinite(zeta) and -1 <= zeta <= 1):
        raise SimulationError(f"zeta must be in [-1, 1] (an alignment); got {zeta!r}")
    rows = max(sample_rows(d, g, f"gamma_{j}") for j, g in
               enumerate([float(gamma_t)] + [c[1] for c in checked]))
    memory_guard(float(rows) * d * 3 + float(min(rows, d)) ** 2, min(n_jobs, reps),
                 f"a chain at d = {d}")
    args = (d, float(lam_t), float(gamma_t), float(sigma2), float(r2), tuple(checked),
            None if zeta is None else float(zeta), float(s))
    risk, A, B, misfit, alignment = repeat(chain_repetition, args, reps, seed, n_jobs)
    return ChainSimulation(d, reps, seed, tuple(checked), risk, A, B, misfit, alignment)
