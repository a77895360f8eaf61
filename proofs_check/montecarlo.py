"""The Monte Carlo route: theory against the independent simulator at a few points of a claim.

A claim has a Monte Carlo *plan* when its margin can be simulated: the plan maps a point to the
simulated margin (mean and standard error over repetitions, paired on the same draws) and the
route compares it with the theory's margin at that point. Simulation and theory agree when::

    |simulation - theory| <= Z * standard error + C * (1 + |theory|) / d

with ``Z = 4`` and the finite-size allowance ``C = 4``: the asymptotic formulas carry an ``O(1/d)``
bias at dimension ``d`` (measured in the test suite, where the gap shrinks like ``1/d``). Points
are drawn from the claim's own region with a fixed seed and kept *moderate* (aspect ratios in
``[0.2, 5]`` and at least 0.15 away from 1, ``lam`` at most 10), because near ``gamma = 1`` with
``lam -> 0`` the finite-size fluctuations explode. Existence claims are simulated at the witness
the sampled route's search finds.

Levels (``w2s verify --mc LEVEL``): 0 off, 1 two points at ``d = 200`` with 12 repetitions,
2 four points at ``d = 400`` with 30 repetitions.

Examples
--------
>>> from proofs_check.montecarlo import agree
>>> agree(1.02, 0.01, 1.0, d=200)
(True, 2.0)
"""

from __future__ import annotations

import time
from typing import Callable, NamedTuple, Optional

import numpy as np
from numerics import ParameterError
from numerics.evaluate import Compiled
from numerics.validation import exact_text
from proofs_check.judge import Judge
from proofs_check.result import RouteResult
from proofs_check.strategies import Bound, exact
from theory import catalogue
from theory.claims import Claim

__all__ = ["Z", "C", "LEVELS", "Estimate", "Plan", "agree", "plan", "plans", "montecarlo",
           "simulate_claim_point", "moderate_points"]

Z, C = 4.0, 4.0
#: level -> (points, d, repetitions)
LEVELS = {1: (2, 200, 12), 2: (4, 400, 30)}


class Estimate(NamedTuple):
    """A simulated margin: its mean over repetitions and the standard error of the mean."""

    mean: float
    se: float

    @classmethod
    def of(cls, sample) -> "Estimate":
        """The mean and standard error of a sample (one value per repetition).

        Examples
        --------
        >>> from proofs_check.montecarlo import Estimate
        >>> Estimate.of([1.0, 2.0, 3.0])
        Estimate(mean=2.0, se=0.5773502691896258)
        """
        x = np.asarray(sample, dtype=float)
        return cls(float(x.mean()), float(x.std(ddof=1) / np.sqrt(len(x))))


#: A Monte Carlo plan: ``plan(point, d, reps, seed)`` simulates a claim's margin at a point
#: (float64 values by parameter name) and returns its :class:`Estimate`.
Plan = Callable[[dict, int, int, int], Estimate]


def agree(mean: float, se: float, theory: float, d: int) -> tuple[bool, float]:
    """Whether a simulated mean agrees with theory; also the difference in standard errors."""
    diff = abs(mean - theory)
    n_se = diff / se if se > 0 else (0.0 if diff == 0 else float("inf"))
    return bool(diff <= Z * se + C * (1 + abs(theory)) / d), round(float(n_se), 6)


def plans() -> dict[str, Plan]:
    """Every Monte Carlo plan of the catalogue's mechanisms, by claim id.

    Examples
    --------
    >>> from proofs_check.montecarlo import plans
    >>> "ridge.min_norm_student" in plans()
    True
    """
    out = {}
    for m in catalogue.catalogue().values():
        out.update(m.facet("plans") or {})
    return out


def plan(claim_id: str) -> Optional[Plan]:
    """The Monte Carlo plan of a claim (from its mechanism's description), or ``None``.

    Examples
    --------
    >>> from proofs_check.montecarlo import plan
    >>> plan("ridge.min_norm_student") is not None, plan("mp.nothing")
    (True, None)
    """
    owner = catalogue.owner(claim_id)
    if owner is None or owner.plans is None:
        return None
    return owner.facet("plans").get(claim_id)


_BOX = {"gamma": (0.2, 5.0), "lam": (1e-3, 10.0), "sigma2": (0.05, 3.0), "r2": (0.3, 3.0),
        "zeta": (0.05, 1.0), "s": (0.5, 50.0)}


def _box(name):
    for prefix, bounds in _BOX.items():
        if name.startswith(prefix):
            return bounds
    return (0.0, np.inf)


def moderate_points(claim: Claim, count: int, seed: int) -> list[dict]:
    """``count`` moderate exact points of the claim's region (seeded rejection sampling).

    Hypothesis favours the ends of ranges, which is what finding counterexamples needs; typical
    simulation points need the opposite, so they are drawn log-uniformly inside the moderate box
    intersected with the region (each value then made exact, as the shortest decimal of the
    drawn float), keeping those that satisfy the assumptions exactly.
    """
    import sympy

    rng = np.random.default_rng(np.random.SeedSequence(seed))
    bounds = [Bound(rel) for rel in claim.assumptions]
    found: list[dict] = []
    for _ in range(500 * count):
        point = {}
        for name in claim.parameters:
            value = claim.region[name]
            if not isinstance(value, sympy.Interval):
                point[name] = float(value)
                continue
            lo = max(float(value.start), _box(name)[0])
            hi = min(float(value.end), _box(name)[1])
            if hi < lo:
                lo = hi = min(max(float(value.start), _box(name)[0]), float(value.end))
            point[name] = float(np.exp(rng.uniform(np.log(max(lo, 1e-12)), np.log(hi))))
        if any(k.startswith("gamma") and abs(v - 1) < 0.15 for k, v in point.items()):
            continue
        point = {k: exact(v) for k, v in point.items()}
        if all(bound.holds(point) for bound in bounds):
            found.append(point)
            if len(found) == count:
                break
    return found


def simulate_claim_point(claim: Claim, point: dict, d: int, reps: int, seed: int, dps: int = 30):
    """``(theory margin, simulated mean, standard error, agree, difference in SE)`` at an exact
    point (the simulator receives its values as floats)."""
    theory = float(Compiled(claim.margin)(point, dps))
    mean, se = plan(claim.id)({k: float(v) for k, v in point.items()}, d, reps, seed)
    ok, n_se = agree(mean, se, theory, d)
    return theory, float(mean), float(se), ok, n_se


def montecarlo(claim: Claim, examples: int = 100, seed: int = 0, dps: int = 30, level: int = 1,
               **_) -> RouteResult:
    """Compare theory with simulation at a few moderate points of the claim's region."""
    start = time.perf_counter()
    if plan(claim.id) is None:
        return RouteResult(claim.id, "montecarlo", "unavailable",
                           detail="no simulator plan for this claim")
    count, d, reps = LEVELS[max(1, min(level, max(LEVELS)))]
    chosen = moderate_points(claim, count, seed)
    judge = Judge(claim, dps)
    result = RouteResult(claim.id, "montecarlo", "holds", dps=dps)
    details = []
    for i, point in enumerate(chosen):
        if claim.witness is not None:
            try:
                point = {**point, claim.witness: exact(judge.search(point, dps)[1])}
            except ParameterError:
                continue
        theory, mean, se, ok, n_se = simulate_claim_point(claim, point, d, reps, seed + i, dps)
        result.points += 1
        details.append(f"theory {theory:.4g} vs simulation {mean:.4g} +- {se:.2g} ({n_se:.1f} SE)")
        worst = -n_se
        if result.worst_margin is None or worst < result.worst_margin:
            result.worst_margin, result.worst_at = worst, {k: exact_text(v) for k, v in point.items()}
        if not ok:
            result.status = "refuted"
            result.counterexample = {k: exact_text(v) for k, v in point.items()}
    if result.points == 0:
        result.status = "inconclusive"
    result.detail = f"d={d}, {reps} reps: " + "; ".join(details)
    result.seconds = time.perf_counter() - start
    return result
