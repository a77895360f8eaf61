"""The Monte Carlo route: theory against the independent simulator at a few points of a claim.

A claim has a Monte Carlo *plan* when its margin can be simulated: the plan maps a point to the
simulated margin (mean and standard error over repetitions, paired on the same draws) and the
route compares it with the theory's margin at that point. Simulation and theory agree when::

    |simulation - offset - theory| <= Z * standard error + allowance

with ``Z = 4``. The finite-size terms are declared per quantity by the plan (:class:`Plan`):
``offset(point, d)`` is a *known* ``O(1/d)`` term of the simulated quantity (for example the
per-neuron baseline ``(1 + eta_s^2 gamma_s Q tau_s)/(d den)`` of a Frobenius alignment of a
two-layer network), subtracted before the comparison; ``allowance = relative |theory| + per_d
/ d (+ bias(point, d))`` bounds what is left (an allowance proportional to the quantity, a
measured ``1/d`` coefficient, and a bound on a bias of known order that is not subtracted, e.g.
the ``O(gamma_s)`` bias of a large-sample student standing for a population one), and ``1e-9 (1 + |theory|)`` absorbs float64 rounding of a deterministic quantity.
A margin that a plan computes without sampling (a :class:`Computed` value, e.g. a numerical
integral of the simulator's activation) gets no allowance at all, only the rounding term.
A plan given as a bare function (the API before 0.3) keeps the old flat allowance
``C (1 + |theory|)/d`` with ``C = 4``, and the report says so. The report shows, per point, the
difference in standard errors and the allowance used. Points
are drawn from the claim's own region with a fixed seed and kept *moderate* (aspect ratios in
``[0.2, 5]`` and at least 0.15 away from 1, ``lam`` at most 10), because near ``gamma = 1`` with
``lam -> 0`` the finite-size fluctuations explode. Existence claims are simulated at the
minimiser of the margin over the witness range (the sampled route's search, run to the end:
the first witness below zero may be one where the margin is indistinguishable from 0).

Levels (``w2s verify --mc LEVEL``): 0 off, 1 two points at ``d = 200`` with 24 repetitions,
2 four points at ``d = 400`` with 30 repetitions. (Level 1 had 12 repetitions under the flat
rule; with no flat allowance the standard error itself must be reliable, and with 11 degrees of
freedom a 4-SE excursion is ten times likelier than for a normal mean.)

Examples
--------
>>> from proofs_check.montecarlo import agree
>>> agree(1.02, 0.01, 1.0, d=200)
(True, 2.0)
>>> agree(1.02, 0.001, 1.0, d=200, allowance=0.005)
(False, 20.0)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, NamedTuple, Optional, Union

import numpy as np
from numerics import ParameterError
from numerics.evaluate import Compiled
from numerics.validation import exact_text
from proofs_check.judge import Judge
from proofs_check.result import RouteResult
from proofs_check.strategies import Bound, exact
from theory import catalogue
from theory.claims import Claim

__all__ = ["Z", "C", "ROUNDING", "LEVELS", "Estimate", "OffsetEstimate", "Computed", "Plan", "as_plan", "agree", "plan",
           "plans", "montecarlo", "simulate_claim_point", "moderate_points", "PointComparison"]

Z, C = 4.0, 4.0
#: Relative float64 rounding allowed between a deterministic simulated quantity and the theory.
ROUNDING = 1e-9
#: level -> (points, d, repetitions)
LEVELS = {1: (2, 200, 24), 2: (4, 400, 30)}


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


class OffsetEstimate(NamedTuple):
    """A simulated margin with the known finite-size offset of *this* simulation (one that
    depends on realised quantities, e.g. a teacher's summary statistics): the route subtracts
    ``offset`` from ``mean`` and reports both.

    Examples
    --------
    >>> from proofs_check.montecarlo import OffsetEstimate
    >>> OffsetEstimate(0.013, 0.001, 0.003).offset
    0.003
    """

    mean: float
    se: float
    offset: float = 0.0


class Computed(NamedTuple):
    """A margin a plan *computes* without sampling (a numerical integral of the simulator's own
    functions): no standard error and no finite-size allowance, only float rounding.

    Examples
    --------
    >>> from proofs_check.montecarlo import Computed
    >>> Computed(0.06066).se
    0.0
    """

    mean: float
    se: float = 0.0


@dataclass(frozen=True)
class Plan:
    """A Monte Carlo plan: how to simulate a claim's margin, and its finite-size terms.

    Parameters
    ----------
    simulate : callable
        ``simulate(point, d, reps, seed) -> Estimate``: the simulated margin at a point (float64
        values by parameter name), both sides of the claim simulated on the same draws.
    relative : float
        Allowance proportional to the quantity: ``relative * |theory|``.
    per_d : float
        Allowance ``per_d / d**exponent`` (the measured coefficient of the finite-size bias
        left after the offset).
    exponent : float
        The order of that bias in ``1/d`` (1; ``2/3`` for a top eigenvalue at a bulk edge).
    offset : callable, optional
        ``offset(point, d) -> float``: a known finite-size term of the simulated margin, subtracted
        from the simulation before the comparison.
    note : str
        Where the allowance comes from (shown in the docs and the JSON report).
    bias : callable, optional
        ``bias(point, d) -> float``: a bound on a known-order bias of the simulated margin that
        is not subtracted, added to the allowance (for example the ``O(gamma_s)`` bias of a
        large-sample student standing for a population limit, sized by the theory's
        finite-``gamma_s`` formula).
    flat : bool
        The pre-0.3 rule ``C (1 + |theory|)/d`` (a bare function given as a plan).
    box : dict, optional
        Moderate ranges ``name -> (lo, hi)`` of this plan's points, replacing the route's
        defaults for those parameters (e.g. a spike well above its BBP point, or the readouts'
        projections away from 0 and 1); still intersected with the claim's region.

    Examples
    --------
    >>> from proofs_check.montecarlo import Plan, Estimate
    >>> p = Plan(lambda point, d, reps, seed: Estimate(0.5, 0.01), relative=0.02, per_d=0.5)
    >>> p({}, 100, 4, 0), p.allowance(0.5, {}, 100)
    (Estimate(mean=0.5, se=0.01), 0.015)
    """

    simulate: Callable[[dict, int, int, int], "Estimate"]
    relative: float = 0.0
    per_d: float = 0.0
    exponent: float = 1.0
    offset: Optional[Callable[[dict, int], float]] = None
    note: str = ""
    bias: Optional[Callable[[dict, int], float]] = None
    flat: bool = False
    box: Optional[dict] = None

    def __call__(self, point: dict, d: int, reps: int, seed: int) -> "Estimate":
        return self.simulate(point, d, reps, seed)

    def allowance(self, theory: float, point: dict, d: int) -> float:
        """The finite-size allowance at a point (without the standard errors)."""
        if self.flat:
            return C * (1 + abs(theory)) / d
        extra = 0.0 if self.bias is None else abs(float(self.bias(point, d)))
        return self.relative * abs(theory) + self.per_d / d**self.exponent + extra

    def known_offset(self, point: dict, d: int) -> float:
        """The known finite-size offset of the simulated margin (0 when none is declared)."""
        return 0.0 if self.offset is None else float(self.offset(point, d))


def as_plan(plan: Union[Plan, Callable]) -> Plan:
    """A :class:`Plan` from a plan or a bare function (which keeps the flat pre-0.3 allowance).

    Examples
    --------
    >>> from proofs_check.montecarlo import as_plan
    >>> as_plan(lambda *a: None).flat
    True
    """
    return plan if isinstance(plan, Plan) else Plan(plan, flat=True,
                                                     note="undeclared: flat C (1 + |theory|)/d")


class PointComparison(NamedTuple):
    """One point of the Monte Carlo route: theory against simulation, and the rule's terms."""

    theory: float
    simulation: float
    se: float
    offset: float
    allowance: float
    agree: bool
    difference_in_se: float

    def text(self) -> str:
        """One line for the report."""
        shift = f" - offset {self.offset:.3g}" if self.offset else ""
        return (f"theory {self.theory:.4g} vs simulation {self.simulation:.4g}{shift} +- "
                f"{self.se:.2g} ({self.difference_in_se:.1f} SE, allowance {self.allowance:.2g})")


def agree(mean: float, se: float, theory: float, d: int,
          allowance: Optional[float] = None) -> tuple[bool, float]:
    """Whether a simulated mean agrees with theory; also the difference in standard errors.

    ``|mean - theory| <= Z se + allowance + ROUNDING (1 + |theory|)``; without ``allowance``
    the flat ``C (1 + |theory|)/d`` of a plan that declares none.
    """
    diff = abs(mean - theory)
    rounding = ROUNDING * (1 + abs(theory))
    # a deterministic simulation (se = 0) that agrees to rounding is 0 SE away, not infinitely
    n_se = diff / se if se > 0 else (0.0 if diff <= rounding else float("inf"))
    if allowance is None:
        allowance = C * (1 + abs(theory)) / d
    ok = diff <= Z * se + allowance + rounding
    return bool(ok), round(float(min(n_se, 1e12)), 6)


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
        out.update({k: as_plan(v) for k, v in (m.facet("plans") or {}).items()})
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
    found = owner.facet("plans").get(claim_id)
    return None if found is None else as_plan(found)


_BOX = {"gamma": (0.2, 5.0), "lam": (1e-3, 10.0), "sigma2": (0.05, 3.0), "r2": (0.3, 3.0),
        "zeta": (0.05, 1.0), "s": (0.5, 50.0),
        # the single-index landscape: link coefficients and overlaps of order one
        "c": (0.2, 2.0), "b": (0.2, 2.0), "q": (0.1, 0.95), "m": (0.1, 0.95), "nu": (0.1, 1.0),
        "rho_w": (0.3, 0.97), "eta": (0.01, 1.0), "t": (1.0, 60.0)}


def _box(name, extra=None):
    if extra and name in extra:
        return tuple(extra[name])
    if name in _BOX:
        return _BOX[name]
    for prefix, bounds in _BOX.items():
        if name.startswith(prefix) and (len(prefix) > 1 or name[1:].isdigit()):
            return bounds
    return (0.0, np.inf)


def moderate_points(claim: Claim, count: int, seed: int, box: Optional[dict] = None) -> list[dict]:
    """``count`` moderate exact points of the claim's region (seeded rejection sampling).

    Hypothesis favours the ends of ranges, which is what finding counterexamples needs; typical
    simulation points need the opposite, so they are drawn log-uniformly inside the moderate box
    intersected with the region (each value then made exact, as the shortest decimal of the
    drawn float), keeping those that satisfy the assumptions exactly. ``box`` (a plan's own
    moderate ranges by parameter) replaces the defaults for the parameters it names.
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
            low, high = _box(name, box)
            lo = max(float(value.start), low)
            hi = min(float(value.end), high)
            if hi < lo:
                lo = hi = min(max(float(value.start), low), float(value.end))
            point[name] = float(np.exp(rng.uniform(np.log(max(lo, 1e-12)), np.log(hi))))
        if any(k.startswith("gamma") and abs(v - 1) < 0.15 for k, v in point.items()):
            continue
        point = {k: exact(v) for k, v in point.items()}
        if all(bound.holds(point) for bound in bounds):
            found.append(point)
            if len(found) == count:
                break
    return found


def simulate_claim_point(claim: Claim, point: dict, d: int, reps: int, seed: int, dps: int = 30,
                         the_plan: Optional[Plan] = None) -> PointComparison:
    """The :class:`PointComparison` at an exact point (the simulator receives its values as floats)."""
    the_plan = as_plan(the_plan or plan(claim.id))
    theory = float(Compiled(claim.margin)(point, dps))
    floats = {k: float(v) for k, v in point.items()}
    simulated = the_plan(floats, d, reps, seed)
    mean, se = simulated[0], simulated[1]
    offset = the_plan.known_offset(floats, d) + float(getattr(simulated, "offset", 0.0))
    allowance = 0.0 if isinstance(simulated, Computed) else the_plan.allowance(theory, floats, d)
    ok, n_se = agree(float(mean) - offset, float(se), theory, d, allowance)
    return PointComparison(theory, float(mean), float(se), offset, float(allowance), ok, n_se)


def montecarlo(claim: Claim, examples: int = 100, seed: int = 0, dps: int = 30, level: int = 1,
               **_) -> RouteResult:
    """Compare theory with simulation at a few moderate points of the claim's region."""
    start = time.perf_counter()
    the_plan = plan(claim.id)
    if the_plan is None:
        return RouteResult(claim.id, "montecarlo", "unavailable",
                           detail="no simulator plan for this claim")
    count, d, reps = LEVELS[max(1, min(level, max(LEVELS)))]
    chosen = moderate_points(claim, count, seed, the_plan.box)
    judge = Judge(claim, dps)
    result = RouteResult(claim.id, "montecarlo", "holds", dps=dps)
    details, samples = [], []
    for i, point in enumerate(chosen):
        if claim.witness is not None:
            try:
                found = judge.search(point, dps, stop_below=-np.inf)[1]
                point = {**point, claim.witness: exact(found)}
            except ParameterError:
                continue
        cmp = simulate_claim_point(claim, point, d, reps, seed + i, dps, the_plan)
        result.points += 1
        details.append(cmp.text())
        at = {k: exact_text(v) for k, v in point.items()}
        samples.append({"at": at, **cmp._asdict()})
        worst = -cmp.difference_in_se
        if result.worst_margin is None or worst < result.worst_margin:
            result.worst_margin, result.worst_at = worst, at
        if not cmp.agree:
            result.status = "refuted"
            result.counterexample = at
    if result.points == 0:
        result.status = "inconclusive"
    result.samples = samples
    result.detail = f"d={d}, {reps} reps: " + "; ".join(details)
    result.seconds = time.perf_counter() - start
    return result
