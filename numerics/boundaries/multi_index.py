"""Mechanism 3's critical ``gamma_s``: the sample ratio ``d/n_s`` below which the pre-trained
student's features beat the teacher's (a linear easy link).

One repetition simulates the networks of :mod:`numerics.simulate.multi_index` (erf activation,
``N = d`` neurons): the teacher's giant step on ``n_t = d/gamma_t`` true labels, its top right
singular direction ``v_t`` and its P-ideal labelling function ``E[y | <v_t, x>]``; the pre-trained
student (random weights plus ``theta b p^T``) and its gradient on the first ``n_s = d/gamma_s`` rows of one sample
labelled by the teacher (common random numbers along the grid), whose top right singular
direction is ``v_s``. The margin is ``L_t - R_feat(span{p, v_s})``: the test risk of the best
readout of ``<v_t, x>`` minus that of ``(<p, x>, <v_s, x>)``, each readout a polynomial of the
links' degree fitted by least squares on ``200 d`` fresh true-labelled samples and its risk
measured on ``200 d`` more (the projections of a Gaussian input on the few directions involved
are drawn exactly in law from their Gram matrix, so this costs nothing in ``d``). It is positive
below the threshold: the student's features carry the hard direction ``p`` from pre-training, and
lose easy signal as ``gamma_s`` grows. The theory (arXiv:2505.18346, mechanism 3; the threshold
derived in w2s-theory, ``docs/mechanism-3.md``) puts the boundary at ``gamma_s* = H/(chi_s
(c^2 rho_t^2 - H))``; the overlaps' finite-size bias is of order ``1/d``, and so is the fitted
readouts' (their ``p/n`` excess risk with ``n = 200 d``).

Examples
--------
>>> import numpy as np
>>> from numerics.boundaries.multi_index import CRITICAL_GAMMA_S as b, margin
>>> from fractions import Fraction
>>> point = {k: float(Fraction(v)) for k, v in b.reference.items() if k != "gamma_s"}
>>> m = margin(point, np.array([0.05, 2.0]), 60, np.random.default_rng(0))
>>> bool(m[0] > 0 > m[1])
True
>>> round(b.asymptotic({k: v for k, v in b.reference.items() if k != "gamma_s"}), 6)
0.321377
"""

from __future__ import annotations

import math

import numpy as np

from numerics.boundaries import Boundary
from numerics.simulate.multi_index import activation, squared_loss_gradient
from numerics.simulate.readout import (PROBE_SAMPLES, hermite, orthonormal_complement, probe_risk,
                                       projections)
from numerics.validation import ParameterError, check_params

__all__ = ["CRITICAL_GAMMA_S", "margin", "asymptotic", "probe_risk"]

_THEORY = ("ce1", "ch2", "ch3", "ch4", "sigma2", "gamma_t", "theta", "zeta_h")
_PARAMETERS = ("gamma_s", *_THEORY)


def _top_right(M: np.ndarray) -> np.ndarray:
    """The top right singular vector of ``M`` (unit; LAPACK on the top eigenpair of the Gram
    matrix only)."""
    from scipy.linalg import eigh

    gram = M.T @ M
    k = gram.shape[0]
    return eigh(gram, subset_by_index=[k - 1, k - 1])[1][:, 0]


def margin(point: dict, grid: np.ndarray, d: int, rng: np.random.Generator) -> np.ndarray:
    """One repetition of ``L_t - R_feat(span{p, v_s})`` at every ``gamma_s`` of ``grid``."""
    sigma, dsigma = activation("erf")
    ce = {1: point["ce1"]}
    ch = {k: point[f"ch{k}"] for k in (2, 3, 4) if point[f"ch{k}"] != 0}
    degree = max([1, *ch])
    noise = math.sqrt(point["sigma2"])

    def link(coefficients, z):
        return sum((c * hermite(k, z) for k, c in coefficients.items()), np.zeros_like(z))

    # the teacher: one step on n_t true labels; v_t its top right singular direction
    N, n_t = d, max(2, round(d / point["gamma_t"]))
    W0, a = rng.standard_normal((N, d)) / math.sqrt(d), rng.standard_normal(N)
    X = rng.standard_normal((n_t, d))
    y = link(ce, X[:, 0]) + link(ch, X[:, 1]) + noise * rng.standard_normal(n_t)
    v_t = _top_right(squared_loss_gradient(W0, a, X, y))
    v_t *= np.sign(v_t[0]) or 1.0
    ideal = {k: ce.get(k, 0.0) * v_t[0] ** k + ch.get(k, 0.0) * v_t[1] ** k
             for k in set(ce) | set(ch)}

    # the pre-trained student; its gradient on nested teacher-labelled samples
    p = np.zeros(d)
    p[1], p[2] = point["zeta_h"], math.sqrt(max(0.0, 1 - point["zeta_h"] ** 2))
    b = rng.choice([-1.0, 1.0], size=N)
    Ws = rng.standard_normal((N, d)) / math.sqrt(d) + point["theta"] * np.outer(b, p)
    a_s = rng.standard_normal(N)
    sizes = [max(2, round(d / g)) for g in grid]
    Xs = rng.standard_normal((max(sizes), d))
    H = Xs @ Ws.T
    residual = link(ideal, Xs @ v_t) - sigma(H) @ a_s / N
    M = dsigma(H) * residual[:, None]
    total, done, directions = np.zeros((N, d)), 0, [None] * len(sizes)
    for i in np.argsort(sizes, kind="stable"):
        total += M[done:sizes[i]].T @ Xs[done:sizes[i]]
        done = max(done, sizes[i])
        directions[i] = _top_right(a_s[:, None] * total / sizes[i])

    # probes on fresh true-labelled inputs: projections drawn from their Gram matrix
    rows = [np.eye(d)[0], np.eye(d)[1], v_t, p] + [orthonormal_complement(v_s, p)
                                                  for v_s in directions]
    n = 2 * PROBE_SAMPLES * d
    z = projections(np.array(rows), n, rng)
    labels = link(ce, z[0]) + link(ch, z[1]) + noise * rng.standard_normal(n)
    teacher = probe_risk([z[2]], labels, degree, n // 2)
    return np.array([teacher - probe_risk([z[3], z[4 + i]], labels, degree, n // 2)
                     for i in range(len(grid))])


def asymptotic(point: dict) -> float:
    """``gamma_s* = H/(chi_s (c^2 rho_t^2 - H))`` (arXiv:2505.18346, mechanism 3, derived in
    w2s-theory, ``docs/mechanism-3.md``); NaN when the student wins at every ``gamma_s``
    (``H >= c^2 rho_t^2``)."""
    from numerics.evaluate import evaluate

    value = float(evaluate("multi_index.critical_gamma_s", {k: point[k] for k in _THEORY}))
    return value if value > 0 else math.nan


def check(values: dict) -> None:
    """The parameters' domains; ``gamma_s > 0``; the hard link must be non-zero."""
    check_params({k: values[k] for k in _THEORY}, list(_THEORY))
    if not values["gamma_s"] > 0:
        raise ParameterError(f"gamma_s must be in (0, inf) (d/n_s, the student's sample "
                             f"ratio); got {values['gamma_s']}")
    if all(values[f"ch{k}"] == 0 for k in (2, 3, 4)):
        raise ParameterError("ch2, ch3, ch4: at least one must be non-zero (without a hard "
                             "link the student never beats the teacher)")


#: Mechanism 3: the ``gamma_s`` below which the pre-trained student's features win.
CRITICAL_GAMMA_S = Boundary(
    title="gamma_s = d/n_s below which the pre-trained student's features beat the teacher's",
    parameter="gamma_s",
    parameters=_PARAMETERS,
    reference={"gamma_s": "0.12:0.8", "ce1": "1", "ch2": "1/2", "ch3": "0", "ch4": "0",
               "sigma2": "1/10", "gamma_t": "1/2", "theta": "3/2", "zeta_h": "9/10"},
    margin=margin,
    asymptotic=asymptotic,
    statistic="L_t - R_feat(span{p, v_s}), the test risks of polynomial readouts of the "
              "teacher's and the student's features fitted on fresh true labels: positive where "
              "the student's features win",
    positive_below=True,
    exponent=1.0,
    exponent_reason="the overlaps of the singular directions and the fitted readouts' excess "
                    "risk have finite-size biases of order 1/d",
    scale="log",
    points=11,
    reps=24,
    dims=(100, 200, 400, 800),
    min_d=30,
    check=check,
    source="arXiv:2505.18346, mechanism 3: gamma_s* = H/(chi_s (c^2 rho_t^2 - H)) (derived in "
           "w2s-theory, docs/mechanism-3.md)",
)
