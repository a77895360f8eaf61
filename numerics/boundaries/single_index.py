"""The pre-training threshold ``n_u*/d`` of spectral pre-training followed by online SGD, and
the BBP point of the spectral start.

**The threshold.** One repetition draws one unlabelled sample of the largest budget and, for
every budget ``n_u/d`` of the grid, takes its first ``n_u`` rows (common random numbers along
the grid): the top eigenvector ``v_hat`` of their uncentred covariance, with the sign the theory
assumes (``<v_hat, w> >= 0``), is the warm start, from which :data:`CHAINS` independent runs of
online SGD on weak labels go ``alpha d`` steps (the chain exact in law of
:func:`numerics.simulate.single_index.sgd_chain`). The margin is the *sign* of the mean change
``q_T - q_0`` of the overlap ``q = <x, w>`` with the weak direction over those runs: the sign
of SGD's drift at the warm start. As ``d -> oo`` the overlap follows a one-dimensional
autonomous flow ``dq/dtau = delta Psi_delta(q)`` whose basin boundary is ``q_c(delta)``
(arXiv:2605.05710; derived in w2s-theory, ``docs/single-index.md``), so the drift has the sign
of ``q_0 - q_c`` at every horizon, and the mean margin over repetitions, ``2 P(drift > 0) -
1``, changes sign where the *median* warm start sits at ``q_c``: at ``n_u*/d``. The mean change
itself would not do: ``Psi_delta`` is convex near ``q_c`` and the warm start fluctuates by
``O(d^(-1/2))`` (at ``d = 400`` its spread is about half of ``q_c``), so its mean is pushed up by
``Psi'' Var(q_0)/2`` and the mean margin changes sign well below the threshold. The horizon
``alpha = 20`` is short (``delta alpha = 0.1``): SGD moves ``q`` by ``delta alpha Psi_delta(q_0)``
plus noise of order ``sqrt(alpha/d)`` and has no time for noise-driven escapes. The remaining
finite-size shift is that of the warm start: the threshold (1.362 for the reference
configuration) lies a few BBP windows, of width ``d^(-1/3)``, above the BBP point, and the
predicted exponent is ``1/3``.

**The BBP point.** One sample of ``n_u = budget d`` rows ``g_i + sqrt(spike) z_i v`` serves
every spike of the grid; the margin is ``d^(1/3) <v_hat, v>^2 - 1``: the squared overlap of the
top eigenvector with the spike in units of the window ``d^(-1/3)``. Below the BBP point
``spike = budget^(-1/2)`` the squared overlap vanishes like ``1/d``, above it tends to
``eta_2^2 > 0``; in between, the window, it is of order ``d^(-1/3)``, so the level is reached a
fixed number of windows from the point and the location converges to it like ``d^(-1/3)``.

Examples
--------
>>> import numpy as np
>>> from numerics.boundaries.single_index import PRETRAINING_THRESHOLD, margin
>>> from fractions import Fraction
>>> point = {k: float(Fraction(v)) for k, v in PRETRAINING_THRESHOLD.reference.items()
...          if k != "budget"}
>>> sorted(set(margin(point, np.array([1.2, 2.0]), 60, np.random.default_rng(0))) - {-1, 1})
[]
>>> round(PRETRAINING_THRESHOLD.asymptotic(
...     {k: v for k, v in PRETRAINING_THRESHOLD.reference.items() if k != "budget"}), 9)
1.36202091
>>> from numerics.boundaries.single_index import BBP_POINT, bbp_margin
>>> BBP_POINT.asymptotic({"budget": "4"})
0.5
"""

from __future__ import annotations

import math

import numpy as np
from numerics.boundaries import Boundary
from numerics.simulate.single_index import (Links, frame, pca_direction, sgd_chain,
                                            spiked_sample)
from numerics.validation import ParameterError, check_params

__all__ = ["PRETRAINING_THRESHOLD", "BBP_POINT", "margin", "asymptotic", "nested_directions",
           "bbp_margin", "bbp_asymptotic"]

#: SGD runs from each warm start (the sign of their mean change is the repetition's margin: the
#: SGD noise averages out, the fluctuation of the PCA start stays).
CHAINS = 64

_LINKS = ("c1", "c2", "c3", "c4", "b1", "b2", "b3", "b4")
_THEORY = ("spike", "eta1", "rho_w", "zeta_vw", *_LINKS, "sigma2_s", "delta")
_PARAMETERS = ("budget", *_THEORY, "alpha")


def nested_directions(point: dict, grid: np.ndarray, d: int, rng: np.random.Generator,
                      along=None):
    """The PCA direction ``v_hat`` at every budget ``n_u/d`` of ``grid``, from the first ``n_u``
    rows of one spiked sample (common random numbers along the grid).

    The sample is :func:`numerics.simulate.single_index.spiked_sample` of the largest budget, its
    uncentred covariance accumulated over the nested blocks (one pass over the sample), and the
    top eigenvector taken with the sign ``<v_hat, along> >= 0`` by
    :func:`numerics.simulate.single_index.pca_direction` (``along``: the weak direction ``w`` by
    default, the sign the theory assumes).

    Returns
    -------
    (frame, directions)
        ``frame = (v0, w, v)`` (target, weak direction, spike) and a list of unit vectors, one
        per grid value.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.boundaries.single_index import nested_directions
    >>> point = {"spike": 1.0, "eta1": 0.45, "rho_w": 0.9, "zeta_vw": 0.0}
    >>> (v0, w, v), dirs = nested_directions(point, np.array([0.5, 4.0]), 200,
    ...                                      np.random.default_rng(0))
    >>> bool((dirs[0] @ v) ** 2 < 0.2 < 0.4 < (dirs[1] @ v) ** 2), bool(dirs[1] @ w >= 0)
    (True, True)
    """
    v0, w, v = frame(d, point.get("eta1", 1.0), point.get("rho_w", 1.0),
                      point.get("zeta_vw", 0.0))
    sizes = [max(2, round(b * d)) for b in grid]
    order = np.argsort(sizes, kind="stable")
    a = spiked_sample(rng, max(sizes), point["spike"], v)
    cov, done, out = np.zeros((d, d)), 0, [None] * len(sizes)
    for i in order:
        block = a[done:sizes[i]]
        cov += block.T @ block
        done = max(done, sizes[i])
        out[i] = pca_direction(cov / sizes[i], w if along is None else along)[0]
    return (v0, w, v), out


def margin(point: dict, grid: np.ndarray, d: int, rng: np.random.Generator) -> np.ndarray:
    """One repetition of ``q_T - q_0`` at every budget ``n_u/d`` of ``grid``."""
    (v0, w, _), directions = nested_directions(point, grid, d, rng)
    w_perp = w - point["rho_w"] * v0
    w_perp /= np.linalg.norm(w_perp)
    starts = [(v_hat @ v0, v_hat @ w_perp) for v_hat in directions]
    links = Links(tuple(point[c] for c in _LINKS[:4]), tuple(point[b] for b in _LINKS[4:]),
                  point["sigma2_s"])
    chains = [np.random.default_rng(s) for s in
              np.random.SeedSequence(rng.integers(2**63)).spawn(len(grid) * CHAINS)]
    q, _ = sgd_chain(chains, np.repeat(np.array(starts), CHAINS, axis=0), d, point["rho_w"],
                     links, point["delta"], point["alpha"], point["alpha"])
    return np.sign((q[:, -1] - q[:, 0]).reshape(len(grid), CHAINS).mean(axis=1))


def asymptotic(point: dict) -> float:
    """``n_u*/d = N(spike, q_c(delta)/kappa)`` (the pre-training phase transition of
    arXiv:2605.05710, derived in w2s-theory, ``docs/single-index.md``); NaN when no budget
    suffices (``kappa <= q_c``)."""
    from numerics.evaluate import evaluate

    try:
        return float(evaluate("single_index.pretraining_threshold",
                              {k: point[k] for k in _THEORY}, dps=20))
    except ParameterError:
        return math.nan


def check(values: dict) -> None:
    """The budget is positive, the horizon ``alpha`` positive, the rest as everywhere."""
    from numerics.validation import parse_value

    for name, meaning in (("budget", "n_u/d, the pre-training budget"),
                          ("alpha", "SGD horizon in samples per dimension")):
        value = parse_value(name, values[name])
        if not (value.is_real and value > 0):
            raise ParameterError(f"{name} must be a number in (0, inf) ({meaning}); got "
                                 f"{values[name]}")
    check_params({k: values[k] for k in _THEORY}, list(_THEORY))


#: The pre-training phase transition: the budget ``n_u/d`` above which online SGD from the PCA
#: warm start escapes to its stable point.
PRETRAINING_THRESHOLD = Boundary(
    title="pre-training budget n_u/d above which online SGD from the PCA start escapes",
    parameter="budget",
    parameters=_PARAMETERS,
    reference={"budget": "0.8:2.0", "spike": "1", "eta1": "0.45", "rho_w": "0.9",
               "zeta_vw": "0", "c1": "0", "c2": "0", "c3": "1", "c4": "0", "b1": "1/2",
               "b2": "0", "b3": "1", "b4": "0", "sigma2_s": "0", "delta": "0.005",
               "alpha": "20"},
    margin=margin,
    asymptotic=asymptotic,
    statistic="the sign of the mean change q_T - q_0 of the overlap with the weak direction "
              f"over {CHAINS} runs of alpha d online SGD steps from the PCA warm start: positive "
              "above the threshold",
    positive_below=False,
    exponent=1 / 3,
    exponent_reason="at these d the PCA overlap is still inside the BBP window, of width "
                    "d^(-1/3) in n_u/d (the 1/d corrections of the SGD stage are smaller)",
    scale="linear",
    points=13,
    reps=32,
    dims=(200, 400, 800),
    min_d=50,
    check=check,
    source="arXiv:2605.05710, pre-training phase transition: n_u*/d = N(spike, "
           "q_c(delta)/kappa) (derived in w2s-theory, docs/single-index.md)",
)


# --- the BBP point ----------------------------------------------------------------------------

#: The BBP margin's level, in units of the window scale ``d^(-1/3)`` of the squared overlap.
BBP_LEVEL = 1.0


def bbp_margin(point: dict, grid: np.ndarray, d: int, rng: np.random.Generator) -> np.ndarray:
    """One repetition of ``d^(1/3) <v_hat, v>^2 - 1`` at every spike strength of ``grid``.

    One sample ``a_i = g_i + sqrt(spike) z_i v`` of ``n_u = budget d`` rows serves every spike
    (the same ``g_i, z_i``: common random numbers); its covariance is ``G^T G`` plus a rank-two
    term in ``spike``.
    """
    n = max(2, round(point["budget"] * d))
    g = rng.standard_normal((n, d))
    z = rng.standard_normal(n)
    v = np.zeros(d)
    v[0] = 1.0
    bulk, cross, energy = g.T @ g, g.T @ z, z @ z
    out = []
    for spike in grid:
        root = math.sqrt(spike)
        cov = bulk + root * (np.outer(cross, v) + np.outer(v, cross)) + spike * energy * np.outer(v, v)
        v_hat, _ = pca_direction(cov / n, v)
        out.append(d ** (1 / 3) * (v_hat @ v) ** 2 - BBP_LEVEL)
    return np.array(out)


def bbp_asymptotic(point: dict) -> float:
    """The BBP point ``spike = sqrt(gamma_u) = budget^(-1/2)``: the spike at which
    ``N(spike, 0) = 1/spike^2`` equals the budget (Baik, Ben Arous and Peche 2005; the
    spectral start of arXiv:2605.05710 at overlap 0), a root in ``spike`` by Brent's method."""
    from scipy.optimize import brentq

    from numerics.evaluate import evaluate
    from numerics.validation import parse_value

    budget = float(parse_value("budget", point["budget"]))
    need = lambda spike: float(evaluate("spectral.pretraining_budget",
                                        {"spike": repr(spike), "eta2_min": "0"})) - budget
    return brentq(need, 1e-6, 1e6, xtol=1e-14, rtol=1e-13)


def bbp_check(values: dict) -> None:
    """A positive budget and spike."""
    from numerics.validation import parse_value

    for name, meaning in (("budget", "n_u/d, the pre-training budget"),
                          ("spike", "the spike's strength")):
        value = parse_value(name, values[name])
        if not (value.is_real and value > 0):
            raise ParameterError(f"{name} must be a number in (0, inf) ({meaning}); got "
                                 f"{values[name]}")


#: The BBP point: the spike above which the top sample eigenvector carries overlap.
BBP_POINT = Boundary(
    title="spike above which the top sample eigenvector carries overlap (the BBP point)",
    parameter="spike",
    parameters=("spike", "budget"),
    reference={"spike": "0.6:2.4", "budget": "1"},
    margin=bbp_margin,
    asymptotic=bbp_asymptotic,
    statistic="d^(1/3) <v_hat, v>^2 - 1, the squared overlap of the top sample eigenvector "
              "with the spike in units of the BBP window d^(-1/3): positive above the point",
    positive_below=False,
    exponent=1 / 3,
    exponent_reason="the squared overlap reaches the level d^(-1/3) a fixed number of BBP "
                    "windows, of width d^(-1/3) in the spike, above the point",
    scale="linear",
    points=13,
    reps=48,
    min_d=50,
    check=bbp_check,
    source="Baik, Ben Arous and Peche (Ann. Probab. 33, 2005); arXiv:2605.05710, spectral "
           "start: spike^2 = d/n_u",
)
