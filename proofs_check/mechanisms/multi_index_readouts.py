"""Monte Carlo plans of mechanism 3's readout claims: risks of fitted readouts, simulated.

The readouts are least-squares polynomial readouts of simulated features, fitted on ``200 d``
fresh samples and tested on as many (:mod:`numerics.simulate.readout`):

* ``multi_index.feature_risk_is_a_risk``: labels of the multi-index model on Gaussian inputs, a
  two-dimensional subspace ``S`` built with the point's projections ``(pi_e, pi_h, pi_eh)``
  (:func:`numerics.simulate.readout.subspace_geometry`), the readout of ``P_S x`` fitted on true
  labels; the margin is the smaller of ``R - noise energy`` and ``label energy - R``, each
  measured on the same test samples. The identity is exact at every dimension, so the only
  finite-size term is the fitted readout's excess risk, about ``p R/n`` for ``p`` polynomial
  features on ``n = 200 d`` samples: the plan allows ``2 p Sy/n`` (``Sy`` the label energy
  ``sum c^2 + sigma2``, the largest risk).
* ``multi_index.no_easy_w2s``: the networks of :func:`numerics.simulate.simulate_multi_index`
  with ``risks=True`` (P-ideal teacher): ``rho_t^2 - rho_s^2`` (the squared overlaps of the
  teacher's and the student's top singular directions with ``u_e``), ``L_s^fit - L_t`` (the true-label
  risk of the student's readout fitted on the teacher's labels minus the teacher's own, on the
  same test samples), and ``chi(theta) - 1`` by numerical integration of the activation's
  derivative (:func:`numerics.simulate.multi_index.spike_noise_excess`, a
  :class:`~proofs_check.montecarlo.Computed` value: judged to rounding, without allowance); the
  simulated margin is the component with the smallest mean. The overlaps' finite-size correction is of order
  ``1/d`` (measured: within 2 SE of 0 at ``d = 100, 200, 400`` at three points, SE 0.004 to
  0.014), so the plan allows ``2%`` of the quantity plus ``1/d``, plus the readout's
  ``2 p Sy/n``.

Examples
--------
>>> from proofs_check.mechanisms.multi_index_readouts import PLANS
>>> sorted(PLANS)[:2]
['multi_index.feature_risk_is_a_risk', 'multi_index.no_easy_w2s']
"""

from __future__ import annotations

import numpy as np

from numerics.simulate import simulate_multi_index
from numerics.simulate.common import repeat
from numerics.simulate.multi_index import spike_noise_excess
from numerics.simulate.readout import PROBE_SAMPLES, feature_count, subspace_risk
from proofs_check.montecarlo import Computed, Estimate, Plan

__all__ = ["PLANS", "feature_risk_margin", "no_easy_w2s_margin"]

#: The noise variance of the simulated labels of the feature-risk plan (the claim's margin does
#: not depend on it: both sides subtract or add the same noise energy).
_NOISE = 0.25


def _smallest(components: dict):
    """The component with the smallest mean: an :class:`Estimate` of a sampled one, a
    :class:`Computed` value of one computed without sampling (a float)."""
    name = min(components, key=lambda k: float(np.mean(components[k])))
    value = components[name]
    return Computed(float(value)) if np.isscalar(value) else Estimate.of(value)


def feature_risk_margin(point: dict, d: int, reps: int, seed: int) -> Estimate:
    """``min(R - s2, Sy - R)`` of a fitted readout of a subspace with the point's projections.

    Examples
    --------
    >>> from proofs_check.mechanisms.multi_index_readouts import feature_risk_margin
    >>> point = {"ce1": 1.0, "ce2": 0.5, "ch2": 1.0, "pi_e": 0.5, "pi_h": 0.5, "pi_eh": 0.2}
    >>> est = feature_risk_margin(point, 50, 4, 0)
    >>> bool(0.3 < est.mean < 1.0 and est.se < 0.05)
    True
    """
    ce = {1: point["ce1"], 2: point.get("ce2", 0.0)}
    ch = {2: point.get("ch2", 0.0)}
    (r,) = repeat(_feature_repetition, (ce, ch, point["pi_e"], point["pi_h"], point["pi_eh"],
                                       PROBE_SAMPLES * d), reps, seed)
    risk, energy, noise = r.T
    return _smallest({"risk above noise": risk - noise, "energy above risk": energy - risk})


def _feature_repetition(rng, ce, ch, pi_e, pi_h, pi_eh, n):
    return (subspace_risk(ce, ch, _NOISE, pi_e, pi_h, pi_eh, n, rng),)


def _feature_bias(point: dict, d: int) -> float:
    energy = point["ce1"] ** 2 + point.get("ce2", 0.0) ** 2 + point.get("ch2", 0.0) ** 2 + _NOISE
    return 2 * feature_count(2, 2) * energy / (PROBE_SAMPLES * d)


def no_easy_w2s_margin(point: dict, d: int, reps: int, seed: int) -> Estimate:
    """The smallest of ``rho_t^2 - rho_s^2``, ``L_s^fit - L_t`` and ``chi(theta) - 1``, simulated.

    Examples
    --------
    >>> from proofs_check.mechanisms.multi_index_readouts import no_easy_w2s_margin
    >>> point = {"ce1": 1.0, "ce3": 0.0, "ch2": 1.0, "sigma2": 0.25, "gamma_t": 0.5,
    ...          "gamma_s": 0.5, "theta": 1.5}
    >>> est = no_easy_w2s_margin(point, 40, 3, 0)
    >>> bool(0.05 < est.mean < 0.3)
    True
    """
    ce = {k: point.get(f"ce{k}", 0.0) for k in (1, 3) if point.get(f"ce{k}", 0.0)}
    r = simulate_multi_index(d=d, gamma_t=point["gamma_t"], gamma_s=point["gamma_s"], ce=ce,
                             ch={2: point["ch2"]} if point.get("ch2") else {},
                             sigma2=point["sigma2"], eta_t=1.0, eta_s=1.0,
                             theta=point["theta"], zeta_h=1.0, reps=reps, seed=seed, risks=True)
    return _smallest({
        "overlaps": r.teacher["overlap"] - r.student["overlap"][:, 0],
        "risks": r.risks["student_fit_risk"] - r.risks["teacher_risk"],
        "chi": spike_noise_excess(point["theta"])})


def _no_easy_bias(point: dict, d: int) -> float:
    energy = (sum(point.get(f"ce{k}", 0.0) ** 2 for k in (1, 3)) + point.get("ch2", 0.0) ** 2
              + point["sigma2"])
    return 2 * feature_count(2, 3) * energy / (PROBE_SAMPLES * d)


#: The ``gamma_s`` grid on which the gain's sign change is located (three points a decade),
#: with the point's own ``gamma_s`` added. The plan's box keeps ``gamma_s* >= 0.1``; a
#: ``gamma_s*`` above 50 (``H`` within 2% of ``c^2 rho_t^2``) would be taken at the grid's end.
GAIN_GRID = np.geomspace(0.05, 50.0, 10)


def _gain_repetition(rng, point, grid, d):
    from numerics.boundaries.multi_index import margin

    return (margin(point, grid, d, rng),)


def _first_sign_change(grid: np.ndarray, gain: np.ndarray) -> float:
    """Where the mean gain first turns from positive to negative: the root in the bracketing
    interval of the cubic through the four nearest grid points (in ``log gamma``); the grid's
    end when the gain never changes sign.

    Examples
    --------
    >>> import numpy as np
    >>> from proofs_check.mechanisms.multi_index_readouts import _first_sign_change
    >>> grid = np.geomspace(0.05, 50, 10)
    >>> bool(abs(_first_sign_change(grid, 0.3 - grid / (1 + grid)) - 3 / 7) < 0.002)
    True
    """
    below = np.flatnonzero((gain[:-1] > 0) & (gain[1:] <= 0))
    if below.size == 0:
        return float(grid[-1] if gain[-1] > 0 else grid[0])
    i = int(below[0])
    u = np.log(grid)
    near = slice(max(0, i - 1), min(len(grid), i + 3))
    coefficients = np.polyfit(u[near], gain[near], min(3, len(u[near]) - 1))
    roots = [r.real for r in np.roots(coefficients)
             if abs(r.imag) < 1e-12 and u[i] <= r.real <= u[i + 1]]
    if not roots:  # the linear interpolation
        roots = [u[i] + gain[i] / (gain[i] - gain[i + 1]) * (u[i + 1] - u[i])]
    return float(np.exp(roots[0]))


def critical_ratio_margin(point: dict, d: int, reps: int, seed: int) -> Estimate:
    """``Delta(gamma_s) (gamma_s*_sim - gamma_s)``: the simulated gain at the point times the
    distance to the simulated gain's sign change over :data:`GAIN_GRID` (common random numbers
    along the grid); the standard error by the jackknife over repetitions.

    Examples
    --------
    >>> from proofs_check.mechanisms.multi_index_readouts import critical_ratio_margin
    >>> point = {"ce1": 1.0, "ch2": 0.5, "sigma2": 0.1, "gamma_t": 0.5, "theta": 1.5,
    ...          "zeta_h": 0.9, "gamma_s": 1.0}
    >>> est = critical_ratio_margin(point, 40, 3, 0)
    >>> bool(est.mean > 0)        # gamma_s = 1 is above gamma_s* = 0.32: both factors negative
    True
    """
    grid = np.union1d(GAIN_GRID, [point["gamma_s"]])
    at = int(np.flatnonzero(grid == point["gamma_s"])[0])
    full = {"ch3": 0.0, "ch4": 0.0, **{k: v for k, v in point.items() if k != "gamma_s"}}
    (gains,) = repeat(_gain_repetition, (full, grid, d), reps, seed)

    def margin(sample):
        mean = sample.mean(axis=0)
        return mean[at] * (_first_sign_change(grid, mean) - point["gamma_s"])

    value = margin(gains)
    leave_one_out = np.array([margin(np.delete(gains, i, axis=0)) for i in range(reps)])
    se = float(np.sqrt((reps - 1) / reps * np.sum((leave_one_out - leave_one_out.mean()) ** 2)))
    return Estimate(float(value), se)


def _critical_ratio_bias(point: dict, d: int) -> float:
    """The gain's ``1/d`` bias propagated through both factors, sized by the theory's gain and
    threshold: ``(|gamma_s* - gamma_s| + |Delta(gamma_s)| / |Delta'(gamma_s*)|) / d``."""
    import theory
    from numerics.evaluate import evaluate

    values = {k: repr(float(point.get(k, 0.0))) for k in
              ("ce1", "ch2", "sigma2", "gamma_t", "theta", "zeta_h", "gamma_s")}
    values.update(ce2="0", ce3="0", ce4="0", ch3="0", ch4="0")

    def value(name, **changed):
        given = {**values, **{k: repr(float(v)) for k, v in changed.items()}}
        return float(evaluate(name, {q.name: given[q.name] for q in theory.get(name).parameters}))

    star = value("multi_index.critical_gamma_s")

    def gain(g):
        return value("multi_index.w2s_gain", gamma_s=g)

    h = 1e-4 * star
    slope = abs(gain(star + h) - gain(star - h)) / (2 * h)
    return (abs(star - point["gamma_s"]) + abs(gain(point["gamma_s"])) / slope) / d


#: claim id -> Monte Carlo plan (merged into :data:`proofs_check.mechanisms.multi_index.PLANS`).
PLANS = {
    "multi_index.feature_risk_is_a_risk": Plan(
        feature_risk_margin, bias=_feature_bias,
        box={"ce1": (0.3, 2.0), "ce2": (0.2, 2.0), "ch2": (0.2, 2.0), "pi_e": (0.05, 0.95),
             "pi_h": (0.05, 0.95), "pi_eh": (0.01, 0.5)},
        note="exact at every d (a Gaussian identity): only the fitted readout's excess risk, "
             "allowed as 2 p Sy/n (p = 6 features, n = 200 d samples)"),
    "multi_index.no_easy_w2s": Plan(
        no_easy_w2s_margin, relative=0.02, per_d=1.0, bias=_no_easy_bias,
        box={"ce1": (0.5, 3.0), "theta": (1.5, 3.0), "ce3": (0.2, 0.8), "ch2": (0.3, 2.0)},
        note="overlaps of the top singular directions: 2% of the quantity plus 1/d (measured "
             "bias within 2 SE of 0 at d = 100..400); the readout's excess risk 2 p Sy/n"),
    "multi_index.w2s_iff_below_critical_ratio": Plan(
        critical_ratio_margin, relative=0.02, bias=_critical_ratio_bias,
        box={"ce1": (1.0, 1.5), "ch2": (0.8, 2.0), "zeta_h": (0.8, 1.0), "theta": (0.5, 3.0)},
        note="the gain's 1/d bias (as measured for the boundary of docs/boundaries.md) through "
             "both factors, sized by the theory's gain and threshold, plus 2%"),
}
