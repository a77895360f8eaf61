"""The pre-training threshold ``n_u*/d`` of spectral pre-training followed by online SGD, and
the BBP point of the spectral start.

**The threshold.** As ``d -> oo`` the overlap ``q = <x, w>`` of online SGD on weak labels follows
a one-dimensional autonomous flow ``dq/dtau = delta Psi_delta(q)`` whose unstable zero is the basin
boundary ``q_c(delta)`` (arXiv:2605.05710; derived in w2s-theory, ``docs/single-index.md``), and
the PCA warm start has overlap ``q_0 -> kappa eta_2(budget)``: the threshold ``n_u*/d`` is the
budget at which the warm start reaches the basin boundary. The margin measures both sides of
that statement by simulation and compares their *means* (version 2 of its definition):

* the warm start: one repetition draws one unlabelled sample of the largest budget and, for
  every budget ``n_u/d`` of the grid, takes its first ``n_u`` rows (common random numbers along
  the grid); the top eigenvector ``v_hat`` of their uncentred covariance, with the sign the
  theory assumes (``<v_hat, w> >= 0``), gives ``q_0(b) = <v_hat, w>``, averaged over weak
  directions turned about the plane of the target and the spike (:func:`warm_overlap`: the
  same mean);
* the basin boundary: the law of SGD's overlap depends on its start only through ``q_0`` (the
  fine-tuning data are isotropic and the labels depend on ``w`` alone), so the same repetition
  runs :data:`CHAINS` chains of ``alpha d`` steps (the chain exact in law of
  :func:`numerics.simulate.single_index.sgd_chain`) from each of :data:`SGD_STARTS` overlaps
  evenly inside ``(0, <v, w>)``, one random stream per chain shared by the starts, and records the
  mean change ``q_T - q_0`` at each start;
* :func:`combine` takes the means over repetitions: the zero of the mean drift is the simulated
  basin boundary ``q_c_hat``, and the margin ``E q_0(b) - q_c_hat`` changes sign at the located
  budget. The bootstrap resamples repetitions and recombines.

The earlier definitions failed at the dimensions one can simulate: the mean drift at the realised
warm start is pushed up by ``Psi'' Var(q_0)/2`` (the warm start spreads by a third to a half of
``q_c``), and the sign of that drift per repetition carries both the warm start's spread and the
SGD noise, which at ``alpha = 20`` and ``d = 200`` is as large as ``Psi`` itself a quarter of
``q_c`` away from ``q_c`` (a change of ``0.035`` per chain). Comparing means leaves a finite-size
shift of order ``1/d`` at a fixed budget above the BBP point: the bias of the sample eigenvector's
overlap and the Ito correction of SGD's finite step are both ``O(1/d)``, so the predicted
exponent is ``1``.

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
>>> row = margin(point, np.array([1.2, 2.0]), 60, np.random.default_rng(0))
>>> row.shape                      # two warm starts, then the drift at the SGD starts
(11,)
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

__all__ = ["PRETRAINING_THRESHOLD", "BBP_POINT", "margin", "combine", "basin_boundary",
           "sgd_starts", "warm_overlap", "asymptotic",
           "nested_directions",
           "bbp_margin", "bbp_asymptotic"]

#: SGD runs from each of the :data:`SGD_STARTS` starts of one repetition (one random stream per
#: run, shared by the starts: common random numbers).
CHAINS = 16

#: Starts of SGD, evenly inside ``(0, <v, w>)``, at which one repetition simulates the drift.
SGD_STARTS = 9

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


def sgd_starts(point: dict) -> np.ndarray:
    """The :data:`SGD_STARTS` overlaps ``q_0`` at which one repetition runs SGD: evenly inside
    ``(0, <v, w>)``, the largest overlap a warm start reaches (the frame's, not a formula).

    Examples
    --------
    >>> from numerics.boundaries.single_index import sgd_starts
    >>> sgd_starts({"eta1": 0.45, "rho_w": 0.9, "zeta_vw": 0.0})[[0, -1]].round(4).tolist()
    [0.0405, 0.3645]
    """
    _, w, v = frame(3, point.get("eta1", 1.0), point.get("rho_w", 1.0),
                    point.get("zeta_vw", 0.0))
    return np.linspace(0.0, float(v @ w), SGD_STARTS + 2)[1:-1]


def margin(point: dict, grid: np.ndarray, d: int, rng: np.random.Generator) -> np.ndarray:
    """One repetition: the warm starts ``q_0(b) = <v_hat, w>`` at every budget ``b = n_u/d``
    of ``grid``, then SGD's mean change ``q_T - q_0`` at every start of :func:`sgd_starts`.

    The warm starts come from nested samples (:func:`nested_directions`); the mean change is
    over :data:`CHAINS` runs of ``alpha d`` steps from each start, one random stream per run
    shared by the starts (common random numbers). :func:`combine` turns the mean of these
    columns over repetitions into the margin along the grid.
    """
    (v0, w, v), directions = nested_directions(point, grid, d, rng)
    q0 = np.array([warm_overlap(v_hat, v0, w, v, rng) for v_hat in directions])
    links = Links(tuple(point[c] for c in _LINKS[:4]), tuple(point[b] for b in _LINKS[4:]),
                  point["sigma2_s"])
    # the law of SGD's overlap q = <x, w> depends on the start only through q_0 (the data are
    # isotropic and the labels depend on w alone), so x_0 = q_0 w + (1 - q_0^2)^(1/2) u stands
    # for every start of overlap q_0
    starts = sgd_starts(point)
    rho = point["rho_w"]
    along = np.column_stack([rho * starts, math.sqrt(max(0.0, 1 - rho**2)) * starts])
    seeds = np.random.SeedSequence(rng.integers(2**63)).spawn(CHAINS)
    chains = [np.random.default_rng(s) for _ in starts for s in seeds]
    q, _ = sgd_chain(chains, np.repeat(along, CHAINS, axis=0), d, rho, links, point["delta"],
                     point["alpha"], point["alpha"])
    drift = (q[:, -1] - q[:, 0]).reshape(len(starts), CHAINS).mean(axis=1)
    return np.concatenate([q0, drift])


def warm_overlap(v_hat: np.ndarray, v0: np.ndarray, w: np.ndarray, v: np.ndarray,
                 rng: np.random.Generator, turns: int = 64) -> float:
    """``|<v_hat, w'>|`` averaged over ``turns`` weak directions ``w'`` turned about the plane
    of ``v0`` and ``v``: an unbiased estimate of the warm start's mean overlap ``E q_0`` (its
    variance is at most that of ``|<v_hat, w>|``; the gain is small where ``<v_hat, v>``
    fluctuates most, near the BBP point).

    A rotation that fixes ``v0`` and ``v`` leaves the spiked sample's law, and the target's,
    unchanged and moves ``w`` to ``w' = P w + |w - P w| u`` (``P`` the projection on the plane,
    ``u`` a unit vector orthogonal to it), so every such ``w'`` has the same law of
    ``|<v_hat, w'>|`` (the sign the theory assumes, ``<v_hat, w'> >= 0``); ``u`` is drawn
    uniformly, ``turns`` times.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.boundaries.single_index import warm_overlap
    >>> from numerics.simulate.single_index import frame
    >>> v0, w, v = frame(50, 0.45, 0.9, 0.0)
    >>> round(warm_overlap(v, v0, w, v, np.random.default_rng(0)), 6)    # <v, w'> = kappa
    0.405
    """
    plane, _ = np.linalg.qr(np.column_stack([v0, v]))
    inside = plane @ (plane.T @ w)
    radius = float(np.linalg.norm(w - inside))
    u = rng.standard_normal((v_hat.size, turns))
    u -= plane @ (plane.T @ u)
    u /= np.linalg.norm(u, axis=0)
    return float(np.abs(v_hat @ inside + radius * (v_hat @ u)).mean())


def combine(mean: np.ndarray, grid: np.ndarray, point: dict) -> np.ndarray:
    """The mean margin ``E q_0(b) - q_c_hat`` along the grid from the mean of the columns of
    :func:`margin` over repetitions: ``q_c_hat`` is the simulated basin boundary, the zero of
    the mean drift (:func:`basin_boundary`), and the margin is positive above the threshold.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.boundaries.single_index import combine, sgd_starts, SGD_STARTS
    >>> point = {"eta1": 0.45, "rho_w": 0.9, "zeta_vw": 0.0}
    >>> s = sgd_starts(point)
    >>> grid = np.array([1.0, 1.5, 2.0])
    >>> combine(np.concatenate([[0.1, 0.2, 0.3], s - 0.15]), grid, point).round(6).tolist()
    [-0.05, 0.05, 0.15]
    """
    q0, drift = mean[:len(grid)], mean[len(grid):]
    return q0 - basin_boundary(sgd_starts(point), drift)


def basin_boundary(starts: np.ndarray, drift: np.ndarray) -> float:
    """Where a simulated mean drift changes sign from negative to positive along the starts.

    The crossing is put in the cell of the (sorted) starts whose sign pattern disagrees least
    with one change of sign (negative below, positive above), and found there as the root of
    the least-squares quadratic through the cell's ends and their neighbours (the drift is
    smooth in the start: common random numbers), or linearly when that has no root in the cell.
    A drift of one sign at every start puts the boundary at the end on the other side.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.boundaries.single_index import basin_boundary
    >>> q = np.linspace(0.05, 0.35, 7)
    >>> round(basin_boundary(q, q * (6 * q - 1)), 9)      # root 1/6 of a convex drift
    0.166666667
    >>> round(basin_boundary(q, q - 0.5), 6)              # negative everywhere: the top end
    0.35
    """
    order = np.argsort(starts, kind="stable")
    x, y = np.asarray(starts, float)[order], np.asarray(drift, float)[order]
    positive = y > 0
    if positive.all() or not positive.any():
        return float(x[0] if positive.all() else x[-1])
    # a crossing after x[k]: the positives up to k and the negatives after k disagree with it
    cost = (np.cumsum(positive) + ((~positive).sum() - np.cumsum(~positive)))[:-1]
    k = int(np.argmin(cost))
    lo, hi = x[k], x[k + 1]
    near = slice(max(0, k - 1), min(len(x), k + 3))
    if near.stop - near.start >= 3:
        roots = np.roots(np.polyfit(x[near], y[near], 2))
        inside = [r.real for r in roots if abs(r.imag) < 1e-12 and lo <= r.real <= hi]
        if len(inside) == 1:
            return float(inside[0])
    a, b = y[k], y[k + 1]
    if a <= 0 < b:
        return float(lo - (hi - lo) * a / (b - a))
    return float((lo + hi) / 2)


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
    combine=combine,
    extra=SGD_STARTS,
    version=2,
    asymptotic=asymptotic,
    statistic="E q_0 - q_c: the mean overlap q_0 = <v_hat, w> of the PCA warm start minus the "
              "zero of the mean change q_T - q_0 of online SGD over alpha d steps (from "
              f"{SGD_STARTS} starts, {CHAINS} runs each): positive above the threshold",
    positive_below=False,
    exponent=1.0,
    exponent_reason="at a fixed budget above the BBP point the sample eigenvector's mean "
                    "overlap and SGD's mean drift both have 1/d biases",
    scale="linear",
    points=13,
    reps=64,
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
