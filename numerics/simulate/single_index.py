"""Monte Carlo simulation of arXiv:2605.05710: PCA pre-training, then fine-tuning a single index on weak labels.

The process of docs/single-index.md, implemented from scratch (NumPy only, never the theory):

1. **pre-training** -- ``n_u = d/gamma_u`` samples ``a ~ N(0, I + spike v v^T)``; ``v_hat`` is the
   top eigenvector of the uncentred sample covariance; ``x0 = +-v_hat`` with the sign the theory
   assumes, ``<x0, w> >= 0`` (``sign="overlap"``; ``sign="loss"`` picks the sign with the smaller
   empirical weak loss on ``sign_samples d`` fresh weak-labelled samples, which is wrong in about
   half of the repetitions when the overlap is small or the links have even components).
   ``init="random"``: ``x0`` uniform on the sphere;
2. **fine-tuning** on weak labels ``y = g(<a, w>) + xi`` with isotropic ``a`` and per-sample loss
   ``(y - f(<a, x>))^2``, projected on the sphere:

   * ``"gd"``: population GD; the Riemannian gradient lies in ``span(x, w)`` and its coefficient
     ``E[s t]`` (``s = 2 (y - f(u)) f'(u)``, ``t`` the coordinate of ``a`` along ``w`` orthogonal
     to ``x``) is a 2-D Gauss--Hermite quadrature of the defining expectation;
   * ``"mb"``: large-batch GD, a fresh batch of ``B = beta_B d`` samples per step, in ``R^d``;
   * ``"sgd"``: online SGD ``x <- N(x + (delta/d) s (a - u x))`` for ``alpha d`` steps, run as the
     chain that is exact in law: the state is ``x = a0 v0 + a1 w_perp + r e`` and a fresh sample
     has three standard coordinates along ``v0, w_perp, e`` and an independent
     ``chi^2_{d-3}`` remainder, so every replica costs O(1) per step whatever ``d``.

Risks are the population risks of the trained direction, ``E (f(<a, x>) - f(<a, v0>))^2``, and
``R_weak = E (g(<a, w>) - f(<a, v0>))^2``, both by 2-D Gauss--Hermite quadrature (exact for these
polynomial links); oracle PGR is ``(R_weak - R)/R_weak``.

Examples
--------
>>> from numerics.simulate import simulate_single_index
>>> r = simulate_single_index(d=100, gamma_u=0.25, spike=1.0, eta1=0.45, rho_w=0.9, c3=1.0,
...                           b1=0.5, b3=1.0, algorithm="gd", steps=30, reps=2, seed=0)
>>> r.m.shape, bool(r.risk[:, -1].mean() < r.risk[:, 0].mean())
((2, 31), True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.polynomial.hermite_e import hermegauss, hermeval

from numerics.simulate.common import SimulationError, memory_guard, positive_int, repeat

__all__ = ["SingleIndexSimulation", "Links", "pca_initialisation", "simulate_single_index",
           "single_index_repetition", "sgd_chain", "overlap_sample", "gd_from_overlaps",
           "top_eigenvalue", "spiked_sample", "pca_direction", "frame"]

_NODES, _WEIGHTS = hermegauss(48)
_WEIGHTS = _WEIGHTS / math.sqrt(2 * math.pi)
#: The 2-D quadrature grid (first and second Gaussian) and its weights, built once.
_U, _Z = np.meshgrid(_NODES, _NODES, indexing="ij")
_W2 = np.outer(_WEIGHTS, _WEIGHTS)


@dataclass(frozen=True)
class Links:
    """The target link ``f = sum c_j h_j`` and the weak link ``g = sum b_j h_j`` (orthonormal ``h_j``).

    Examples
    --------
    >>> from numerics.simulate.single_index import Links
    >>> L = Links((0, 0, 1, 0), (0.5, 0, 1, 0))
    >>> round(float(L.f(2.0)), 6)   # h3(2) = (8 - 6)/sqrt(6)
    0.816497
    """

    c: tuple
    b: tuple
    sigma2_s: float = 0.0

    def _he(self, coeffs):
        return np.array([0.0] + [a / math.sqrt(math.factorial(j)) for j, a in
                                 enumerate(coeffs, start=1)])

    @cached_property
    def _series(self):
        """The HermiteE series of ``f``, ``f'`` and ``g`` (computed once per links)."""
        he = self._he(self.c)
        return he, np.polynomial.hermite_e.hermeder(he), self._he(self.b)

    @cached_property
    def _on_grid(self):
        """``f`` and ``f'`` at the first Gaussian of the quadrature grid (they do not depend on
        the overlaps, so every quadrature of a GD run reuses them)."""
        return self.f(_U), self.df(_U)

    def f(self, x):
        return hermeval(x, self._series[0])

    def df(self, x):
        return hermeval(x, self._series[1])

    def g(self, x):
        return hermeval(x, self._series[2])

    def pair_mean(self, fun, rho):
        """``E fun(u, v)`` for standard Gaussians of correlation ``rho`` (array), by quadrature."""
        rho = np.asarray(rho, float)[..., None, None]
        v = rho * _U + np.sqrt(np.clip(1 - rho**2, 0, None)) * _Z
        return (_W2 * fun(_U, v)).sum((-1, -2))

    def risk(self, m):
        """Excess risk ``E (f(u) - f(v))^2`` of a direction with overlap ``m`` with ``v0``."""
        fu = self._on_grid[0]
        return self.pair_mean(lambda u, v: (fu - self.f(v)) ** 2, m)

    def weak_risk(self, rho_w):
        """``E (g(<a, w>) - f(<a, v0>))^2``."""
        return self.pair_mean(lambda u, v: (self.g(u) - self.f(v)) ** 2, rho_w)

    def gradient_coefficient(self, q):
        """``E[s t]`` with ``u = <a, x>``, ``t`` independent, ``z_w = q u + sqrt(1 - q^2) t``."""
        q = np.asarray(q, float)[..., None, None]
        fu, dfu = self._on_grid
        zw = q * _U + np.sqrt(np.clip(1 - q**2, 0, None)) * _Z
        s = 2 * (self.g(zw) - fu) * dfu
        return (_W2 * s * _Z).sum((-1, -2))


@dataclass
class SingleIndexSimulation:
    """Stacked repetitions: initial spectra and the trajectories of ``q, m`` and the risk.

    ``times`` are step counts (``gd``, ``mb``) or ``tau = steps/d`` (``sgd``); ``q, m, risk`` and
    ``pgr`` have shape ``(reps, len(times))``; ``top_eigenvalue`` and ``overlap2`` (``<v_hat, v>^2``)
    have shape ``(reps,)`` (NaN with random initialisation).
    """

    times: np.ndarray
    q: np.ndarray
    m: np.ndarray
    risk: np.ndarray
    pgr: np.ndarray
    weak_risk: float
    top_eigenvalue: np.ndarray
    overlap2: np.ndarray

    def final(self, name: str) -> tuple[float, float]:
        """Mean and standard error over repetitions of ``name`` at the last time."""
        x = getattr(self, name)[:, -1]
        return float(x.mean()), float(x.std(ddof=1) / math.sqrt(len(x))) if len(x) > 1 else 0.0


def frame(d, eta1, rho_w, zeta_vw):
    """Unit ``v0`` (target), ``w`` (weak direction), ``v`` (spike) in ``R^d`` with the
    prescribed inner products ``<v, v0> = eta1``, ``<w, v0> = rho_w`` (coordinates 0, 1, 2).

    Examples
    --------
    >>> from numerics.simulate.single_index import frame
    >>> v0, w, v = frame(5, 0.45, 0.9, 0.0)
    >>> round(float(v @ v0), 6), round(float(w @ v0), 6), round(float(v @ v), 6)
    (0.45, 0.9, 1.0)
    """
    v0, w, v = np.zeros(d), np.zeros(d), np.zeros(d)
    v0[0] = 1.0
    w[0], w[1] = rho_w, math.sqrt(max(0.0, 1 - rho_w**2))
    perp = math.sqrt(max(0.0, 1 - eta1**2))
    v[0], v[1], v[2] = eta1, perp * zeta_vw, perp * math.sqrt(max(0.0, 1 - zeta_vw**2))
    return v0, w, v


def spiked_sample(rng, n, spike, v):
    """``n`` rows ``a ~ N(0, I + spike v v^T)`` (unit ``v``): the unlabelled pre-training sample.

    The ``n d`` isotropic draws come first, then the ``n`` draws along ``v``.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.single_index import spiked_sample
    >>> v = np.array([1.0, 0.0, 0.0])
    >>> a = spiked_sample(np.random.default_rng(0), 100_000, 3.0, v)
    >>> np.round(np.var(a, axis=0), 1)
    array([4., 1., 1.])
    """
    return rng.standard_normal((n, v.size)) + math.sqrt(spike) * rng.standard_normal((n, 1)) * v


def pca_direction(cov, w):
    """The top eigenvector of ``cov`` with the sign the theory assumes, ``<v_hat, w> >= 0``,
    and the top eigenvalue (LAPACK on the top eigenpair only).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.single_index import pca_direction
    >>> v_hat, top = pca_direction(np.diag([1.0, 3.0, 2.0]), np.array([0.0, -1.0, 0.0]))
    >>> v_hat.round(6).tolist(), round(top, 6)
    ([0.0, -1.0, 0.0], 3.0)
    """
    from scipy.linalg import eigh

    d = cov.shape[0]
    values, vectors = eigh(cov, subset_by_index=[d - 1, d - 1])
    v_hat = vectors[:, 0]
    return (v_hat if v_hat @ w >= 0 else -v_hat), float(values[0])


_frame = frame


def pca_initialisation(rng, d, gamma_u, spike, v, w, links, sign_samples=20, sign="overlap"):
    """PCA warm start: ``(x0, top eigenvalue, <v_hat, v>^2)``.

    ``sign="overlap"`` (the default) resolves the sign of ``v_hat`` as the theory does,
    ``<x0, w> >= 0`` (arXiv 2605.05710's initial overlaps are stated for the resolved sign).
    ``sign="loss"`` takes the sign with the smaller empirical weak loss on ``sign_samples * d``
    fresh samples: for the reference configuration the loss gap is ``4 b3 c3 q0^3 = 0.12`` against a per-sample spread
    of about 5, so ``20 d`` samples pick the wrong sign about 16% of the time at ``d = 100``, and
    for links with even components the loss barely depends on the sign at all.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.single_index import pca_initialisation, Links, _frame
    >>> v0, w, v = _frame(200, 0.45, 0.9, 0.0)
    >>> x0, top, ov = pca_initialisation(np.random.default_rng(1), 200, 0.25, 1.0, v, w,
    ...                                  Links((0, 0, 1, 0), (0.5, 0, 1, 0)))
    >>> bool(0.4 < ov < 0.8), bool(x0 @ w > 0)
    (True, True)
    """
    n_u = max(2, round(d / gamma_u))
    a = spiked_sample(rng, n_u, spike, v)
    v_hat, top = pca_direction(a.T @ a / n_u, w)
    if sign == "overlap":
        return v_hat, top, float((v_hat @ v) ** 2)
    n_s = int(sign_samples * d)
    sample = rng.standard_normal((n_s, d))
    y = links.g(sample @ w) + math.sqrt(links.sigma2_s) * rng.standard_normal(n_s)
    u = sample @ v_hat
    loss_plus = np.mean((y - links.f(u)) ** 2)
    loss_minus = np.mean((y - links.f(-u)) ** 2)
    x0 = v_hat if loss_plus <= loss_minus else -v_hat
    return x0, top, float((v_hat @ v) ** 2)


def overlap_sample(rng, n, q, m, rho_w):
    """``n`` draws of ``(<a, x>, <a, w>, <a, v0>)`` for ``a ~ N(0, I_d)`` and unit ``x, w, v0``
    with ``<x, w> = q``, ``<x, v0> = m``, ``<w, v0> = rho_w`` (exact in law for any ``d >= 3``:
    only the three coordinates enter the expectations of the landscape).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.single_index import overlap_sample
    >>> u, zw, z0 = overlap_sample(np.random.default_rng(0), 200_000, 0.5, 0.3, 0.8)
    >>> round(float(np.mean(u * z0)), 2), round(float(np.mean(zw * z0)), 2)
    (0.3, 0.8)
    """
    cov = np.array([[1.0, q, m], [q, 1.0, rho_w], [m, rho_w, 1.0]])
    values, vectors = np.linalg.eigh(cov)
    if values[0] < -1e-12:
        raise SimulationError(f"(q, m, rho_w) = ({q}, {m}, {rho_w}) is not the geometry of three "
                              "unit vectors")
    root = vectors * np.sqrt(np.clip(values, 0, None))
    z = rng.standard_normal((n, 3)) @ root.T
    return z[:, 0], z[:, 1], z[:, 2]


def gd_from_overlaps(d, q0, m0, rho_w, links, eta, steps):
    """Population GD in ``R^d`` from the unit ``x0`` with ``<x0, w> = q0``, ``<x0, v0> = m0``:
    ``(q_t, m_t)`` for ``t = 0..steps`` (the gradient by quadrature, :meth:`Links.gradient_coefficient`).

    Examples
    --------
    >>> from numerics.simulate.single_index import gd_from_overlaps, Links
    >>> q, m = gd_from_overlaps(50, 0.3, 0.33, 0.9, Links((0, 0, 1, 0), (0.5, 0, 1, 0)), 0.1, 10)
    >>> bool(q[-1] > q[0])
    True
    """
    v0, w, _ = _frame(d, 0.0, rho_w, 0.0)
    # x0 = a v0 + b w_perp + c e3 with <x0, v0> = m0 and <x0, w> = q0
    cw = math.sqrt(max(0.0, 1 - rho_w**2))
    a = m0
    b = (q0 - rho_w * m0) / cw if cw > 0 else 0.0
    x = np.zeros(d)
    x[0], x[1], x[2] = a, b, math.sqrt(max(0.0, 1 - a * a - b * b))
    return _gd(x, w, v0, links, eta, steps, 1)


def top_eigenvalue(rng, d, gamma_u, spike):
    """Top eigenvalue of the sample covariance of ``d/gamma_u`` draws of ``N(0, I + spike e1
    e1^T)`` (``spike = 0``: the null model, whose top eigenvalue sits at the bulk edge).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.single_index import top_eigenvalue
    >>> round(top_eigenvalue(np.random.default_rng(0), 400, 0.25, 1.0), 1)
    2.5
    """
    n = max(2, round(d / gamma_u))
    a = rng.standard_normal((n, d))
    a[:, 0] *= math.sqrt(1 + spike)
    return float(np.linalg.eigvalsh(a.T @ a / n)[-1])


def _random_direction(rng, d):
    x = rng.standard_normal(d)
    return x / np.linalg.norm(x)


def _gd(x, w, v0, links, eta, steps, record):
    # links.gradient_coefficient for one overlap, with its arrays and the grid's f, f' hoisted
    fu, dfu = links._on_grid
    g = links._series[2]

    def gradient_coefficient(q):
        zw = q * _U + math.sqrt(max(1 - q * q, 0.0)) * _Z
        return float((_W2 * (2 * (hermeval(zw, g) - fu) * dfu) * _Z).sum())

    qs, ms = [], []
    for t in range(steps + 1):
        q = float(x @ w)
        if t % record == 0:
            qs.append(q), ms.append(float(x @ v0))
        if t == steps:
            break
        e = w - q * x
        norm = np.linalg.norm(e)
        if norm > 0:
            x = x + eta * gradient_coefficient(q) * e / norm
            x /= np.linalg.norm(x)
    return np.array(qs), np.array(ms)


def _mb(rng, x, w, v0, links, eta, steps, batch, record):
    qs, ms = [], []
    d = x.size
    for t in range(steps + 1):
        if t % record == 0:
            qs.append(float(x @ w)), ms.append(float(x @ v0))
        if t == steps:
            break
        a = rng.standard_normal((batch, d))
        u = a @ x
        y = links.g(a @ w) + math.sqrt(links.sigma2_s) * rng.standard_normal(batch)
        s = 2 * (y - links.f(u)) * links.df(u)
        grad = -(s @ a) / batch
        grad -= (grad @ x) * x
        x = x - eta * grad
        x /= np.linalg.norm(x)
    return np.array(qs), np.array(ms)


def _power_basis(links):
    """Power-basis coefficients (lowest first) of ``f``, ``f'`` and ``g``, for Horner on arrays."""
    from numpy.polynomial import hermite_e

    return tuple(hermite_e.herme2poly(he) for he in
                 (links._he(links.c), hermite_e.hermeder(links._he(links.c)), links._he(links.b)))


def _horner(coeffs, x):
    out = np.full_like(x, coeffs[-1])
    for a in coeffs[-2::-1]:
        out = out * x + a
    return out


#: Most samples (steps) of an online SGD run, ``alpha d``: beyond it a run takes hours.
MAX_SGD_SAMPLES = 10**8


def sgd_chain(rngs, starts, d, rho_w, links, delta, alpha, record_tau):
    """Online SGD for all replicas at once, as the chain exact in law (see the module docs).

    Parameters
    ----------
    rngs : list of numpy.random.Generator
        One generator per replica (each replica draws only from its own).
    starts : array, shape (reps, 2)
        Initial ``(m0, <x0, w_perp>)`` with ``w_perp`` the unit direction of ``w - rho_w v0``.
    d, rho_w, links, delta, alpha, record_tau
        Dimension, weak direction bias, links, step ``delta/d``, ``alpha d`` steps, and the
        recording interval in ``tau = steps/d``.

    Returns
    -------
    (q, m) : arrays of shape (reps, records)

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.single_index import sgd_chain, Links
    >>> L = Links((0, 0, 1, 0), (0.5, 0, 1, 0))
    >>> rngs = [np.random.default_rng(i) for i in range(2)]
    >>> q, m = sgd_chain(rngs, np.array([[0.35, 0.0], [0.0, 0.0]]), 200, 0.9, L, 0.005, 2.0, 1.0)
    >>> q.shape
    (2, 3)
    """
    f, df, g = _power_basis(links)
    h = delta / d
    a0, a1 = starts[:, 0].astype(float).copy(), starts[:, 1].astype(float).copy()
    r = np.sqrt(np.clip(1 - a0**2 - a1**2, 0, None))
    cw = math.sqrt(max(0.0, 1 - rho_w**2))
    steps = int(round(alpha * d))
    every = max(1, int(round(record_tau * d)))
    sd_xi = math.sqrt(links.sigma2_s)
    qs, ms = [], []
    block = 2048
    for start in range(0, steps + 1, block):
        n = min(block, steps + 1 - start)
        draws = np.stack([rng.standard_normal((4, n)) for rng in rngs], axis=-1)  # (4, n, reps)
        rest = np.stack([rng.chisquare(max(d - 3, 1), n) for rng in rngs], axis=-1)
        g0, g1, g2, xi = draws
        xi = sd_xi * xi
        zw = rho_w * g0 + cw * g1
        gz = _horner(g, zw) + xi
        for i in range(n):
            t = start + i
            if t % every == 0:
                qs.append(rho_w * a0 + cw * a1), ms.append(a0.copy())
            if t == steps:
                break
            u = a0 * g0[i] + a1 * g1[i] + r * g2[i]
            hs = h * 2 * (gz[i] - _horner(f, u)) * _horner(df, u)
            a0 = a0 + hs * (g0[i] - u * a0)
            a1 = a1 + hs * (g1[i] - u * a1)
            along = r + hs * (g2[i] - u * r)
            r = np.sqrt(along * along + hs * hs * rest[i])
            norm = np.sqrt(a0 * a0 + a1 * a1 + r * r)
            a0, a1, r = a0 / norm, a1 / norm, r / norm
    return np.array(qs).T, np.array(ms).T


def single_index_repetition(rng, d, gamma_u, spike, eta1, rho_w, zeta_vw, links, init,
                            algorithm, eta, steps, beta_B, delta, alpha, record, sign_samples=20,
                            sign="overlap"):
    """One repetition: ``(q trajectory, m trajectory, top eigenvalue, <v_hat, v>^2)``.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.single_index import single_index_repetition, Links
    >>> L = Links((0, 0, 1, 0), (0.5, 0, 1, 0))
    >>> q, m, top, ov = single_index_repetition(np.random.default_rng(0), 50, 0.25, 1.0, 0.45,
    ...     0.9, 0.0, L, "random", "gd", 0.1, 5, 10, 0.005, 1.0, 1)
    >>> q.shape, bool(np.isnan(top))
    ((6,), True)
    """
    v0, w, v = _frame(d, eta1, rho_w, zeta_vw)
    if init == "spectral":
        x, top, ov = pca_initialisation(rng, d, gamma_u, spike, v, w, links, sign_samples, sign)
    else:
        x, top, ov = _random_direction(rng, d), math.nan, math.nan
    if algorithm == "gd":
        q, m = _gd(x, w, v0, links, eta, steps, record)
    elif algorithm == "mb":
        q, m = _mb(rng, x, w, v0, links, eta, steps, max(1, round(beta_B * d)), record)
    else:  # the chain runs for all replicas at once (simulate_single_index)
        w_perp = w - rho_w * v0
        nw = np.linalg.norm(w_perp)
        q, m = np.array([x @ w_perp / nw if nw > 0 else 0.0]), np.array([x @ v0])
    return q, m, np.array(top), np.array(ov)


def _unit(name, value, lower=0.0, open_lower=False):
    x = float(value)
    if not math.isfinite(x) or x > 1 or (x <= lower if open_lower else x < lower):
        raise SimulationError(f"{name} must be in {'(' if open_lower else '['}{lower:g}, 1]; "
                              f"got {value!r}")
    return x


def _positive(name, value):
    x = float(value)
    if not math.isfinite(x) or x <= 0:
        raise SimulationError(f"{name} must be in (0, inf); got {value!r}")
    return x


def simulate_single_index(*, d: int, gamma_u: float, spike: float, eta1: float, rho_w: float,
                          zeta_vw: float = 0.0, c1: float = 0.0, c2: float = 0.0,
                          c3: float = 0.0, c4: float = 0.0, b1: float = 0.0, b2: float = 0.0,
                          b3: float = 0.0, b4: float = 0.0, sigma2_s: float = 0.0,
                          init: str = "spectral", algorithm: str = "gd", eta: float = 0.1,
                          steps: int = 100, beta_B: float = 10.0, delta: float = 0.005,
                          alpha: float = 600.0, record: float | int = None, reps: int = 8,
                          seed: int = 0, n_jobs: int = 1,
                          sign_samples: float = 20.0,
                          sign: str = "overlap") -> SingleIndexSimulation:
    """Simulate pre-training and fine-tuning (see the module docs); ``reps`` seeded repetitions.

    Parameters
    ----------
    d : int
        Dimension (>= 4).
    gamma_u, spike, eta1, rho_w, zeta_vw
        ``d/n_u``, the spike strength, ``<v, v0>``, ``<w, v0>``, ``<v_perp, w_perp>``.
    c1..c4, b1..b4, sigma2_s
        Orthonormal Hermite coefficients of the target and weak links; weak-label noise variance.
    init : {"spectral", "random"}
    algorithm : {"gd", "mb", "sgd"}
    eta, steps, beta_B
        Step size and number of steps of GD / large-batch GD; batch ``B = beta_B d``.
    delta, alpha
        Online SGD step ``delta/d`` and ``alpha d`` samples.
    record : number, optional
        Record every ``record`` steps (gd, mb; default 1) or ``tau`` units (sgd; default 1).
    reps, seed, n_jobs
        Repetitions, seed of the ``SeedSequence``, joblib workers (results do not depend on it).
    sign_samples : float
        Weak-labelled samples per dimension for ``sign="loss"``.
    sign : {"overlap", "loss"}
        How the sign of the PCA direction is resolved: ``<x0, w> >= 0`` as the theory assumes
        (default), or by the empirical weak loss.

    Returns
    -------
    SingleIndexSimulation

    Raises
    ------
    SimulationError
        A parameter outside its range (the message names it).
    """
    d = positive_int("d", d, 4)
    reps = positive_int("reps", reps, 1)
    gamma_u, spike = _positive("gamma_u", gamma_u), _positive("spike", spike)
    eta1, rho_w = _unit("eta1", eta1), _unit("rho_w", rho_w, open_lower=True)
    if not -1 <= float(zeta_vw) <= 1:
        raise SimulationError(f"zeta_vw must be in [-1, 1]; got {zeta_vw!r}")
    if init not in ("spectral", "random"):
        raise SimulationError(f"init must be 'spectral' or 'random'; got {init!r}")
    if algorithm not in ("gd", "mb", "sgd"):
        raise SimulationError(f"algorithm must be 'gd', 'mb' or 'sgd'; got {algorithm!r}")
    if float(sigma2_s) < 0:
        raise SimulationError(f"sigma2_s must be in [0, inf); got {sigma2_s!r}")
    eta, delta, alpha, beta_B = (_positive("eta", eta), _positive("delta", delta),
                                 _positive("alpha", alpha), _positive("beta_B", beta_B))
    steps = positive_int("steps", steps, 0)
    if algorithm == "sgd" and alpha * d > MAX_SGD_SAMPLES:
        raise SimulationError(f"alpha must be at most {MAX_SGD_SAMPLES / d:g} at d = {d}: online "
                              f"SGD takes alpha d samples, at most 10^8 (here {alpha * d:g})")
    links = Links((c1, c2, c3, c4), (b1, b2, b3, b4), float(sigma2_s))
    if record is None:
        record = 1
    if algorithm != "sgd":
        record = positive_int("record", int(record), 1)
    sign_samples = _positive("sign_samples", sign_samples)
    if sign not in ("overlap", "loss"):
        raise SimulationError(f"sign must be 'overlap' or 'loss'; got {sign!r}")
    # largest arrays of a repetition: for the spectral start the unlabelled sample, its
    # covariance with eigenvectors and the sign rule's weak-labelled sample; a large batch
    n_u, n_s = max(2, round(d / gamma_u)), (sign_samples * d if sign == "loss" else 0)
    batch = beta_B * d if algorithm == "mb" else 0
    pca = (n_u + n_s) * d + 2 * d * d if init == "spectral" else 0
    memory_guard(pca + batch * d + 8 * d, n_jobs,
                 f"d = {d} (" + (f"n_u = {n_u}, {n_s:g} sign samples" if pca else "random start")
                 + (f", batches of {batch:g}" if batch else "") + ")")
    args = (d, gamma_u, spike, eta1, rho_w, float(zeta_vw), links, init, algorithm, eta, steps,
            beta_B, delta, alpha, record, sign_samples, sign)
    q, m, top, ov = repeat(single_index_repetition, args, reps, seed, n_jobs)
    if algorithm == "sgd":
        rngs = [np.random.default_rng(s) for s in np.random.SeedSequence([seed, 3]).spawn(reps)]
        q, m = sgd_chain(rngs, np.column_stack([m[:, 0], q[:, 0]]), d, rho_w, links, delta,
                         alpha, record)
        times = np.arange(q.shape[1]) * max(1, int(round(record * d))) / d
    else:
        times = np.arange(q.shape[1]) * record
    risk = links.risk(m)
    weak = float(links.weak_risk(rho_w))
    return SingleIndexSimulation(times, q, m, risk, (weak - risk) / weak, weak, top, ov)
