"""Monte Carlo plan of the spectral start: the slope in ``gamma_u`` of the squared PCA overlap.

``spectral.overlap_decreases_with_gamma`` states ``-d eta2^2/d gamma_u >= 0`` above the BBP point.
One repetition draws one unlabelled sample ``a ~ N(0, I + spike v v^T)``
(:func:`numerics.simulate.single_index.spiked_sample`) of ``n = d/(gamma_u (1 - h))`` rows and takes
the top eigenvector of the sample covariance of its first ``d/(gamma_u (1 + h))`` rows and of all
of them (nested samples: common random numbers); the margin is minus the central difference of
``<v_hat, v>^2`` over the realised ``gamma_u = d/n`` of the two. The finite-size terms: the
difference's truncation, relative ``(h gamma_u/(spike + gamma_u))^2 <= 1.6%`` in the plan's box
(``spike >= 3``, ``gamma_u <= 5``, ``h = 0.2``), and the slope of the squared overlap's
``O(1/n) = O(gamma_u/d)`` bias, ``O(1/d)``: the plan allows 2% plus ``1/d`` (measured at
``d = 200``, 24 repetitions: within 1.6 SE of the limit at four points, SE 6-16% of the slope).
The box keeps the points away from the BBP edge ``spike = sqrt(gamma_u)``, where the overlap's
finite-size correction is of order ``d^(-1/3)``.

Examples
--------
>>> from proofs_check.mechanisms.spectral_plans import overlap_slope
>>> est = overlap_slope({"spike": 5.0, "gamma_u": 1.0}, 60, 4, 0)
>>> bool(0 < est.mean < 1)      # the limit is (spike + 1)/(spike + gamma_u)^2 = 1/6
True
"""

from __future__ import annotations

import numpy as np

from numerics.simulate.common import repeat
from numerics.simulate.single_index import pca_direction, spiked_sample
from proofs_check.montecarlo import Estimate, Plan

__all__ = ["PLANS", "overlap_slope", "H"]

#: Relative half-width of the central difference in ``gamma_u``.
H = 0.2


def _repetition(rng, d, gamma_u, spike):
    v = np.zeros(d)
    v[0] = 1.0
    n_many, n_few = round(d / (gamma_u * (1 - H))), round(d / (gamma_u * (1 + H)))
    a = spiked_sample(rng, n_many, spike, v)
    few = a[:n_few].T @ a[:n_few]
    many = few + a[n_few:].T @ a[n_few:]
    overlap_few = pca_direction(few / n_few, v)[0][0] ** 2
    overlap_many = pca_direction(many / n_many, v)[0][0] ** 2
    return (np.array([-(overlap_few - overlap_many) / (d / n_few - d / n_many)]),)


def overlap_slope(point: dict, d: int, reps: int, seed: int) -> Estimate:
    """Minus the central difference in ``gamma_u`` of the simulated squared PCA overlap."""
    (slopes,) = repeat(_repetition, (d, point["gamma_u"], point["spike"]), reps, seed)
    return Estimate.of(slopes[:, 0])


#: claim id -> Monte Carlo plan (merged into the single-index mechanism's plans).
PLANS = {
    "spectral.overlap_decreases_with_gamma": Plan(
        overlap_slope, relative=0.02, per_d=1.0, box={"spike": (3.0, 10.0)},
        note="central difference on nested samples: truncation <= 1.6%, the slope of the "
             "overlap's O(gamma_u/d) bias 1/d; points well above the BBP edge"),
}
