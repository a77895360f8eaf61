"""Monte Carlo plans of the single-index mechanism (spectral pre-training, fine-tuning).

Each plan simulates *both sides* of its claim at a point, with no formula of the theory:

* landscape claims (the quadratic envelope, one-point convexity, the gain identity, perturbed
  strong convexity): the expectations that define each side, as sample means over draws of
  ``(<a, x>, <a, w>, <a, v0>)`` (:func:`numerics.simulate.single_index.overlap_sample`, exact in
  law in any dimension), ``SAMPLES_PER_D * d`` draws per repetition. These expectations do not
  depend on ``d``: the allowance is zero, the standard error is the whole tolerance;
* the generalisation bounds and the step inequality of perturbed strong convexity: population
  GD run in ``R^d`` (:func:`numerics.simulate.single_index.gd_from_overlaps`, the gradient by
  quadrature), the bounds' constants (``E f'^2``, ``G(q)``) from the same quadrature. These are
  deterministic: standard error 0, the tolerance is float64 rounding.

Examples
--------
>>> from proofs_check.mechanisms.single_index_plans import PLANS
>>> est = PLANS["single_index.quadratic_envelope"]({"c3": 1.0, "m": 0.5}, 50, 4, 0)
>>> bool(abs(est.mean - 1.25) < 5 * est.se + 1e-9)   # 3 * 2 * 0.5 - phi(0.5) = 3 - 1.75
True
"""

from __future__ import annotations

import math

import numpy as np

from numerics.simulate.single_index import (Links, gd_from_overlaps, overlap_sample,
                                            sgd_chain)
from proofs_check.mechanisms.spectral_plans import PLANS as SPECTRAL_PLANS
from proofs_check.montecarlo import Estimate, Plan

__all__ = ["PLANS", "SAMPLES_PER_D"]

#: Draws per repetition and unit of ``d`` for the landscape plans.
SAMPLES_PER_D = 250


def _links(point) -> Links:
    return Links(tuple(point.get(f"c{j}", 0.0) for j in range(1, 5)),
                 tuple(point.get(f"b{j}", 0.0) for j in range(1, 5)))


def _placed(point):
    q, rho, nu = point["q"], point["rho_w"], point.get("nu", 0.0)
    return rho * q + nu * math.sqrt(max(0.0, (1 - q * q) * (1 - rho * rho)))


def _per_rep(point, d, reps, seed, q, m, rho_w, statistic):
    """``Estimate`` over repetitions of ``statistic(links, u, zw, z0)`` (a per-draw array)."""
    links = _links(point)
    values = []
    for child in np.random.SeedSequence(seed).spawn(reps):
        u, zw, z0 = overlap_sample(np.random.default_rng(child), SAMPLES_PER_D * d, q, m, rho_w)
        values.append(float(np.mean(statistic(links, u, zw, z0))))
    return Estimate.of(values)


def _envelope(point, d, reps, seed):
    m = point["m"]

    def stat(L, u, zw, z0):
        return 2 * (1 - m) * L.df(u) ** 2 - (L.f(u) - L.f(z0)) ** 2
    return _per_rep(point, d, reps, seed, m, m, 1.0, stat)


def _one_point(point, d, reps, seed):
    m = point["m"]

    def stat(L, u, zw, z0):
        # <grad R, x - v0> = 2 E[(f(u) - f(z0)) f'(u)(u m - z0)];  mu(m) 2 (1 - m) = 2 (1 - m^2)
        # E[f'(u) f'(z0)] (Mehler: E f'(u) f'(z0) = sum j c_j^2 m^(j-1))
        return (2 * (L.f(u) - L.f(z0)) * L.df(u) * (u * m - z0)
                - 2 * (1 - m * m) * L.df(u) * L.df(z0))
    return _per_rep(point, d, reps, seed, m, m, 1.0, stat)


def _gain(point, d, reps, seed):
    """Both sides from independent draws: ``R_weak - phi(rho_w)`` from pairs ``(z_w, z0)``,
    ``||h||^2 + 2 E[f h] - 2 E[f(z0) h(z_w)]`` from a second, independent sample."""
    rho = point["rho_w"]
    L = _links(point)
    values = []
    for child in np.random.SeedSequence(seed).spawn(reps):
        rng = np.random.default_rng(child)
        _, zw, z0 = overlap_sample(rng, SAMPLES_PER_D * d, rho, rho, rho)
        lhs = np.mean((L.g(zw) - L.f(z0)) ** 2 - (L.f(zw) - L.f(z0)) ** 2)
        _, zw, z0 = overlap_sample(rng, SAMPLES_PER_D * d, rho, rho, rho)
        h = L.g(zw) - L.f(zw)
        rhs = np.mean(h**2) + 2 * np.mean(L.f(zw) * h) - 2 * np.mean(L.f(z0) * h)
        values.append(float(lhs - rhs))
    return Estimate.of(values)


def _psc(point, d, reps, seed):
    q, rho = point["q"], point["rho_w"]
    m = _placed(point)
    e, beta = math.sqrt(max(0.0, 2 * (1 - m))), math.sqrt(2 * (1 - rho))
    links = _links(point)
    values = []
    for child in np.random.SeedSequence(seed).spawn(reps):
        u, zw, z0 = overlap_sample(np.random.default_rng(child), SAMPLES_PER_D * d, q, m, rho)
        s = 2 * (links.g(zw) - links.f(u)) * links.df(u)
        inner = -np.mean(s * (u * m - z0))                      # <grad L_w, x - v0>
        G = np.mean(s * (zw - q * u)) / (1 - q * q) if q < 1 else 0.0
        values.append(float(inner - G * ((rho + m) * (1 - m) - abs(m) * beta * e)))
    return Estimate.of(values)


def _slope(links, q):
    """``G(q)`` from the simulator's quadrature of the gradient coefficient ``G sqrt(1 - q^2)``."""
    return float(links.gradient_coefficient(q)) / math.sqrt(1 - q * q) if q < 1 else float(
        2 * sum(j * b * c for j, (b, c) in enumerate(zip(links.b, links.c), start=1)))


def _mean_slope2(links):
    return float(links.pair_mean(lambda u, v: links.df(u) ** 2, 0.0))


def _bound(adaptive):
    def plan(point, d, reps, seed):
        links = _links(point)
        q0, rho, eta = point["q"], point["rho_w"], point["eta"]
        steps = int(math.floor(point["t"]))
        qs, ms = gd_from_overlaps(max(d, 3), q0, _placed(point), rho, links, eta, steps)
        risk = float(links.risk(ms[-1]))
        beta = math.sqrt(2 * (1 - rho))
        if adaptive:
            bound = _mean_slope2(links) * (math.sqrt(max(0.0, 2 * (1 - qs[-1]))) + beta) ** 2
        else:
            mu_w = (1 + q0) * _slope(links, q0) / 2
            bound = _mean_slope2(links) * ((1 - eta * mu_w) ** (steps / 2)
                                           * math.sqrt(2 * (1 - q0)) + beta) ** 2
        return Estimate(bound - risk, 0.0)
    return plan


def _step(point, d, reps, seed):
    links = _links(point)
    q, rho, eta = point["q"], point["rho_w"], point["eta"]
    m = _placed(point)
    _, ms = gd_from_overlaps(max(d, 3), q, m, rho, links, eta, 1)
    G, beta, e2 = _slope(links, q), math.sqrt(2 * (1 - rho)), 2 * (1 - m)
    mu = G * (rho + m) / 2
    bound = (1 - eta * mu / 2) * e2 + 2 * eta * (G * abs(m) * beta) ** 2 / mu \
        + 2 * eta**2 * (G * beta) ** 2
    return Estimate(bound - 2 * (1 - ms[-1]), 0.0)


def _overlap_step(point, d, reps, seed):
    links = _links(point)
    q = point["q"]
    rho = point.get("rho_w", 1.0)
    # any feasible target overlap: the q-update does not depend on m
    qs, _ = gd_from_overlaps(max(d, 3), q, rho * q, rho, links, point["eta"], 1)
    return Estimate(qs[-1] - qs[0], 0.0)


#: The online-SGD window (in ``tau = steps/d``) over which the drift off the line is measured.
SGD_WINDOW = 1.0


def _sgd_off_line(point, d, reps, seed):
    """Online SGD from ``x0 = q w + sqrt(1 - q^2) e`` (on the line ``m = rho_w q``) for
    ``SGD_WINDOW d`` steps: the mean of ``(Delta m - rho_w Delta q)/tau`` over repetitions.

    Reflecting the direction of ``v0 - rho_w w`` leaves the labels, the samples' law and
    ``x0`` unchanged, so at any ``d`` and time the simulated mean is 0 exactly in law: the
    standard error is the whole tolerance."""
    q, rho = point["q"], point["rho_w"]
    links = Links(_links(point).c, _links(point).b, point.get("sigma2_s", 0.0))
    rngs = [np.random.default_rng(c) for c in np.random.SeedSequence(seed).spawn(reps)]
    start = np.tile([rho * q, math.sqrt(max(0.0, 1 - rho * rho)) * q], (reps, 1))
    qs, ms = sgd_chain(rngs, start, d, rho, links, point["delta"], SGD_WINDOW, SGD_WINDOW)
    return Estimate.of(((ms[:, -1] - ms[:, 0]) - rho * (qs[:, -1] - qs[:, 0])) / SGD_WINDOW)


_EXACT = "expectations that do not depend on d: no allowance, the standard error decides"
_DETERMINISTIC = ("population GD in R^d with the gradient by quadrature: deterministic, "
                  "float64 rounding only (1e-7 of the quantity)")

#: claim id -> Monte Carlo plan.
PLANS = {
    # the spectral start: a plan of its own module
    **SPECTRAL_PLANS,
    "single_index.quadratic_envelope": Plan(_envelope, note=_EXACT),
    "single_index.one_point_convexity": Plan(_one_point, note=_EXACT),
    "single_index.gain_identity": Plan(_gain, note=_EXACT),
    "single_index.perturbed_strong_convexity": Plan(_psc, note=_EXACT),
    "single_index.generalisation_bound": Plan(_bound(False), relative=1e-7, note=_DETERMINISTIC),
    "single_index.generalisation_bound_adaptive": Plan(_bound(True), relative=1e-7,
                                                       note=_DETERMINISTIC),
    "single_index.psc_step_inequality": Plan(_step, relative=1e-7, note=_DETERMINISTIC),
    "single_index.gd_overlap_increases": Plan(_overlap_step, relative=1e-7,
                                              note=_DETERMINISTIC),
    "single_index.sgd_fixed_points_keep_the_bias": Plan(
        _sgd_off_line,
        note="online SGD (the chain exact in law) for d steps from a start on the line "
             "m = rho_w q: the drift of m - rho_w q is 0 at any d by the reflection symmetry of "
             "v0 - rho_w w; no allowance, the standard error decides"),
}
