"""Feature risks of simulated subspaces: least-squares polynomial readouts of Gaussian projections.

The risk of the best readout of a subspace ``S`` of features, ``E[(y - E[y | P_S x])^2]``, is
measured on fresh Gaussian inputs. When the labels depend on ``x`` through a few directions
(the multi-index links) and ``S`` is spanned by a few more, only the projections of ``x`` on
those directions matter: :func:`projections` draws them exactly in law from their Gram matrix,
so a readout on ``200 d`` samples costs nothing in ``d``. :func:`probe_risk` fits a polynomial
of the links' degree in orthonormal coordinates of ``S`` by least squares on one half of the
samples and measures its test risk on the other half; the best readout is such a polynomial
(the multivariate Mehler formula), so the fitted readout converges to it, with an excess risk of
about ``R p/n`` for ``p`` polynomial features on ``n`` fitting samples.

Used by the multi-index simulator (:func:`numerics.simulate.simulate_multi_index` with
``risks=True``) and by the finite-size boundary of mechanism 3
(:mod:`numerics.boundaries.multi_index`).

Examples
--------
>>> import numpy as np
>>> from numerics.simulate.readout import probe_risk, projections
>>> z = projections(np.eye(3)[:2], 20000, np.random.default_rng(0))
>>> y = z[0] + 0.5 * np.random.default_rng(1).standard_normal(20000)
>>> bool(abs(probe_risk([z[0]], y, 1, 10000) - 0.25) < 0.02)
True
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["PROBE_SAMPLES", "hermite", "probe_risk", "projections", "orthonormal_complement",
           "feature_count", "subspace_geometry", "subspace_risk"]

#: Fresh samples per dimension for fitting each readout, and as many again for its test risk.
PROBE_SAMPLES = 200


def hermite(k: int, x: np.ndarray) -> np.ndarray:
    """The orthonormal Hermite polynomial ``h_k(x) = He_k(x)/sqrt(k!)`` (three-term recurrence).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.readout import hermite
    >>> hermite(2, np.array([0.0, 1.0]))
    array([-0.70710678,  0.        ])
    """
    prev, cur = np.ones_like(x), x
    if k == 0:
        return prev
    for j in range(1, k):
        prev, cur = cur, x * cur - j * prev
    return cur / math.sqrt(math.factorial(k))


def feature_count(coordinates: int, degree: int) -> int:
    """Polynomial features of total degree at most ``degree`` in 1 or 2 coordinates.

    Examples
    --------
    >>> from numerics.simulate.readout import feature_count
    >>> feature_count(1, 3), feature_count(2, 2)
    (4, 6)
    """
    return degree + 1 if coordinates == 1 else (degree + 1) * (degree + 2) // 2


def _features(coordinates: list, degree: int) -> np.ndarray:
    basis = [[hermite(k, z) for k in range(degree + 1)] for z in coordinates]
    if len(basis) == 1:
        return np.array(basis[0])
    if len(basis) != 2:
        raise ValueError("a readout takes 1 or 2 coordinates")
    return np.array([basis[0][i] * basis[1][j] for i in range(degree + 1)
                     for j in range(degree + 1 - i)])


def probe_risk(coordinates: list, y: np.ndarray, degree: int, half: int,
               fit: np.ndarray | None = None) -> float:
    """Test risk of the least-squares polynomial readout of degree ``degree`` in orthonormal
    Gaussian ``coordinates``, fitted on the first ``half`` samples and tested on the rest.

    Parameters
    ----------
    coordinates : list of array
        One or two orthonormal Gaussian coordinates of the subspace (one value per sample).
    y : array
        The labels the risk is measured on (the test half).
    degree : int
        Total degree of the polynomial readout (the links' largest degree).
    half : int
        Samples ``[0, half)`` fit the readout, ``[half, n)`` measure its risk.
    fit : array, optional
        The labels the readout is fitted to (default ``y``); e.g. a teacher's labels, to measure
        the risk on true labels of a readout fitted on the teacher's.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.readout import probe_risk
    >>> rng = np.random.default_rng(0)
    >>> z = rng.standard_normal((2, 20000))
    >>> y = z[0] + (z[1] ** 2 - 1) + 0.5 * rng.standard_normal(20000)   # energy 1 + 2 + 1/4
    >>> risks = probe_risk([z[0]], y, 2, 10000), probe_risk([z[0], z[1]], y, 2, 10000)
    >>> bool(abs(risks[0] - 2.25) < 0.2), bool(abs(risks[1] - 0.25) < 0.02)
    (True, True)
    """
    features = _features(coordinates, degree)
    target = y if fit is None else fit
    coef = np.linalg.lstsq(features[:, :half].T, target[:half], rcond=None)[0]
    return float(np.mean((y[half:] - coef @ features[:, half:]) ** 2))


def projections(rows: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """The projections ``<r_i, x>`` of ``n`` standard Gaussian inputs ``x`` on the rows ``r_i``,
    drawn exactly in law from the rows' Gram matrix (shape ``(len(rows), n)``).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.readout import projections
    >>> rows = np.array([[1.0, 0.0, 0.0], [0.6, 0.8, 0.0]])
    >>> z = projections(rows, 200000, np.random.default_rng(0))
    >>> bool(np.allclose(np.cov(z), [[1.0, 0.6], [0.6, 1.0]], atol=0.02))
    True
    """
    rows = np.asarray(rows, dtype=float)
    values, vectors = np.linalg.eigh(rows @ rows.T)
    root = vectors * np.sqrt(np.clip(values, 0, None))
    return root @ rng.standard_normal((len(rows), n))


def orthonormal_complement(v: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The unit vector along ``v - <v, p> p`` (a second orthonormal coordinate of
    ``span{p, v}``, ``p`` a unit vector).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.readout import orthonormal_complement
    >>> orthonormal_complement(np.array([1.0, 1.0]), np.array([1.0, 0.0]))
    array([0., 1.])
    """
    u = v - (v @ p) * p
    return u / np.linalg.norm(u)


def _factor(gram: np.ndarray) -> np.ndarray:
    """Rows with the given 2 x 2 Gram matrix (a PSD square root)."""
    values, vectors = np.linalg.eigh(gram)
    return (vectors * np.sqrt(np.clip(values, 0, None))).T


def subspace_geometry(pi_e: float, pi_h: float, pi_eh: float) -> tuple:
    """Orthonormal ``u_e, u_h`` in ``R^4`` and the subspace ``S = span{e_0, e_1}`` with
    ``||P_S u_e||^2 = pi_e``, ``||P_S u_h||^2 = pi_h``, ``<P_S u_e, P_S u_h> = pi_eh``.

    ``P_S u_e, P_S u_h`` are built in ``S`` from their Gram matrix and the parts orthogonal to
    ``S`` from ``[[1 - pi_e, -pi_eh], [-pi_eh, 1 - pi_h]]`` (so ``<u_e, u_h> = 0``); both Gram
    matrices must be positive semi-definite.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.readout import subspace_geometry
    >>> u_e, u_h = subspace_geometry(0.5, 0.3, 0.2)
    >>> np.round([u_e @ u_e, u_h @ u_h, u_e @ u_h, u_e[:2] @ u_e[:2], u_e[:2] @ u_h[:2]], 12)
    array([1. , 1. , 0. , 0.5, 0.2])
    """
    inside = np.array([[pi_e, pi_eh], [pi_eh, pi_h]])
    outside = np.array([[1 - pi_e, -pi_eh], [-pi_eh, 1 - pi_h]])
    for name, gram in (("the projections", inside), ("the complements", outside)):
        if np.linalg.eigvalsh(gram)[0] < -1e-12:
            raise ValueError(f"pi_e, pi_h, pi_eh: {name} have no real geometry "
                             f"(need pi_eh^2 <= pi_e pi_h and <= (1 - pi_e)(1 - pi_h))")
    a, b = _factor(inside), _factor(outside)
    return np.concatenate([a[:, 0], b[:, 0]]), np.concatenate([a[:, 1], b[:, 1]])


def subspace_risk(ce: dict, ch: dict, sigma2: float, pi_e: float, pi_h: float, pi_eh: float,
                  n: int, rng: np.random.Generator) -> np.ndarray:
    """One repetition of the risk of the best readout of a two-dimensional subspace: labels
    ``y = sum_k ce_k h_k(<u_e, x>) + sum_k ch_k h_k(<u_h, x>) + noise`` on ``2 n`` Gaussian
    inputs, the readout fitted on ``n`` and tested on the other ``n``.

    Returns
    -------
    array
        ``[risk, label energy E y^2, noise energy]`` of the test half.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.simulate.readout import subspace_risk
    >>> r = subspace_risk({1: 1.0}, {2: 1.0}, 0.0, 1.0, 0.0, 0.0, 20000, np.random.default_rng(0))
    >>> np.round(r[:2], 1)    # S holds u_e: the hard energy 1 is left of 2
    array([1., 2.])
    """
    u_e, u_h = subspace_geometry(pi_e, pi_h, pi_eh)
    x = rng.standard_normal((4, 2 * n))
    noise = math.sqrt(sigma2) * rng.standard_normal(2 * n)
    y = (sum((c * hermite(k, u_e @ x) for k, c in ce.items()), np.zeros(2 * n))
         + sum((c * hermite(k, u_h @ x) for k, c in ch.items()), np.zeros(2 * n)) + noise)
    degree = max([1, *ce, *ch])
    return np.array([probe_risk([x[0], x[1]], y, degree, n), np.mean(y[n:] ** 2),
                     np.mean(noise[n:] ** 2)])
