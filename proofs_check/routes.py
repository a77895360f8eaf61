"""Check routes: each decides a claim its own way and returns a :class:`RouteResult`.

``symbolic``
    Runs the claim's SymPy proof; ``proved`` only when SymPy established every step.
``sampled``
    Hypothesis draws points of the region (:mod:`proofs_check.strategies`), the margin is
    evaluated with mpmath at ``dps`` digits, ``target()`` pushes toward the worst case and a
    failure is shrunk to a minimal counterexample. An existence claim searches its witness at each
    point: a log-spaced grid over the witness range (one point a decade down to 1e-64 of its top,
    plus 0 when allowed)
    refined by golden-section search on a log scale around the best grid point.
``montecarlo``
    A hook: unavailable until a simulator for the claim's model is registered with
    :func:`register_route`. A future ``certified`` route (interval arithmetic over boxes) registers
    the same way and returns the same result type.

A margin's sign is decided with an error estimate: the deciding margin is evaluated again at
``dps + 20`` digits and the difference ``err`` between the two is its rounding error; the margin
counts as negative below ``-100 err`` and as zero (identities) within ``100 err``. So exact zeros
stay zero, tiny genuine gains (``1e-25``) are seen, and rounding never refutes a claim. Points where a quantity is not finite (e.g. the ridgeless risk at
``gamma = 1``) and ``iff`` points within a relative ``1e-8`` of the threshold are skipped and
counted in ``skipped``.

Examples
--------
>>> from theory.claims import claim
>>> from proofs_check.routes import sampled
>>> r = sampled(claim("ridge.min_norm_student"), examples=10, seed=1)
>>> r.status, r.points
('holds', 10)
"""

from __future__ import annotations

import math
import time
from typing import Callable

import mpmath
from hypothesis import HealthCheck, Phase, Verbosity, given, seed as hseed, settings, target

from numerics import ParameterError
from numerics.evaluate import evaluate_at
from proofs_check.result import RouteResult
from proofs_check.strategies import points
from theory.claims import Claim

__all__ = ["Judge", "ROUTES", "register_route", "symbolic", "sampled"]


class Judge:
    """Decides a claim at one point: ``(ok, worst, target_value, witness)``.

    ``ok`` is ``None`` when the point is skipped (undefined or on the iff threshold).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.routes import Judge
    >>> j = Judge(claim("ridge.under_regularised_teacher_is_beaten"))
    >>> ok, worst, _, witness = j({"gamma_s": 0.5, "lam_t": 0.01, "gamma_t": 0.5,
    ...                            "sigma2": 1.0, "r2": 1.0})
    >>> ok, worst < 0, witness > 0
    (True, True, True)
    """

    REFINE_STEPS = 40
    BOUNDARY = 1e-8
    EXTRA_DPS = 20

    def __init__(self, claim: Claim, dps: int = 30):
        self.claim, self.dps = claim, dps
        self.condition = None
        if claim.condition is not None:
            self.condition = claim.condition.lhs - claim.condition.rhs
            self.threshold = claim.condition.rhs
        # the witness search may stop early only on a margin far below rounding
        self.clearly_negative = -(10.0 ** (10 - dps))

    def margin(self, point: dict):
        return evaluate_at(self.claim.margin, point, self.dps)

    def decided(self, point: dict):
        """``(margin at dps + EXTRA_DPS, tolerance)`` with the tolerance from the two precisions."""
        low = self.margin(point)
        high = evaluate_at(self.claim.margin, point, self.dps + self.EXTRA_DPS)
        with mpmath.workdps(self.dps + self.EXTRA_DPS):
            err = abs(+high - low)
        return high, 100 * err

    def __call__(self, point: dict):
        kind = self.claim.kind
        if kind == "forall":
            m, tol = self.decided(point)
            if self.claim.identity:
                return abs(m) <= tol, -float(abs(m)), float(abs(m)), None
            return m >= -tol, float(m), -float(m), None
        if kind == "exists":
            witness = self.search(point, stop_below=self.clearly_negative)[1]
            if witness is None:
                return False, math.inf, math.inf, None
            m, tol = self.decided({**point, self.claim.witness: witness})
            return m < -tol, float(m), float(m), witness
        c = evaluate_at(self.condition, point, self.dps)
        scale = 1 + abs(evaluate_at(self.threshold, point, self.dps))
        if abs(c) <= self.BOUNDARY * scale:
            return None, float(abs(c)), -float(abs(c)), None
        holds = c > 0
        witness = self.search(point, stop_below=self.clearly_negative if holds else None)[1]
        if witness is None:
            return not holds, float(abs(c)), -float(abs(c)), None
        m, tol = self.decided({**point, self.claim.witness: witness})
        return (m < -tol) == holds, float(abs(c)), -float(abs(c)), witness

    def search(self, point: dict, stop_below=None):
        """Smallest margin over the witness range: grid on a log scale, then golden refinement."""
        rng = self.claim.witness_range
        name = self.claim.witness
        if rng.is_empty or float(rng.end) <= 0:
            return math.inf, None  # no witness at all
        lo, hi = float(rng.start), float(rng.end)
        floor = max(lo, hi * 1e-64)
        decades = max(1, int(math.ceil(math.log10(hi / floor))))
        grid = [floor * (hi / floor) ** (k / decades) for k in range(decades + 1)]
        if lo == 0 and not rng.left_open:
            grid.insert(0, 0.0)
        values = []
        for w in grid:
            try:
                m = self.margin({**point, name: w})
            except ParameterError:  # not finite at this witness value (e.g. lam_s = 0, gamma_s = 1)
                m = mpmath.inf
            values.append(m)
            if stop_below is not None and m < stop_below:
                return m, w
        k = min(range(len(grid)), key=lambda i: values[i])
        if values[k] == mpmath.inf:
            raise ParameterError("the margin is not finite anywhere on the witness grid")
        best, witness = values[k], grid[k]
        left = grid[max(k - 1, 0)] or floor
        right = grid[min(k + 1, len(grid) - 1)]
        if right > left > 0:
            a, b = math.log(left), math.log(right)
            ratio = (math.sqrt(5) - 1) / 2
            c, d = b - ratio * (b - a), a + ratio * (b - a)
            fc, fd = self.margin({**point, name: math.exp(c)}), self.margin({**point, name: math.exp(d)})
            for _ in range(self.REFINE_STEPS):
                if fc < fd:
                    b, d, fd = d, c, fc
                    c = b - ratio * (b - a)
                    fc = self.margin({**point, name: math.exp(c)})
                else:
                    a, c, fc = c, d, fd
                    d = a + ratio * (b - a)
                    fd = self.margin({**point, name: math.exp(d)})
                if stop_below is not None and min(fc, fd) < stop_below:
                    break
            for m, t in ((fc, c), (fd, d)):
                if m < best:
                    best, witness = m, math.exp(t)
        return best, witness


class _Refuted(Exception):
    def __init__(self, point, worst, witness):
        super().__init__(f"counterexample {point}")
        self.point, self.worst, self.witness = point, worst, witness


def symbolic(claim: Claim, **_) -> RouteResult:
    """Run the claim's SymPy proof.

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.routes import symbolic
    >>> symbolic(claim("ridge.min_norm_student")).status
    'proved'
    """
    start = time.perf_counter()
    if claim.proof is None:
        return RouteResult(claim.id, "symbolic", "unavailable", detail="no SymPy proof attached")
    try:
        proof = claim.proof()
    except Exception as error:  # a proof that crashes establishes nothing
        return RouteResult(claim.id, "symbolic", "error", seconds=time.perf_counter() - start,
                           detail=f"{type(error).__name__}: {error}")
    failed = [step for step, ok in proof.steps if ok != "True"]
    detail = "; ".join(f"{s} [{ok}]" for s, ok in proof.steps)
    return RouteResult(claim.id, "symbolic", "proved" if proof.established else "inconclusive",
                       points=0, seconds=time.perf_counter() - start,
                       detail=detail if not failed else "not established: " + "; ".join(failed))


def sampled(claim: Claim, examples: int = 100, seed: int = 0, dps: int = 30, **_) -> RouteResult:
    """Check ``claim`` at ``examples`` Hypothesis points with mpmath at ``dps`` digits.

    Parameters
    ----------
    claim : Claim
    examples : int
        Number of Hypothesis examples (shrinking a failure adds more).
    seed : int
        Hypothesis seed: the same seed gives the same points and the same result.
    dps : int
        Working precision of the margins.

    Returns
    -------
    RouteResult
    """
    start = time.perf_counter()
    judge = Judge(claim, dps)
    stats = {"points": 0, "undefined": 0, "boundary": 0, "worst": None, "worst_at": None}

    # derandomize=False: the points come from ``seed`` alone, whatever profile is loaded
    @settings(max_examples=examples, deadline=None, database=None, verbosity=Verbosity.quiet,
              derandomize=False,
              suppress_health_check=list(HealthCheck), print_blob=False,
              report_multiple_bugs=False,
              phases=(Phase.explicit, Phase.generate, Phase.target, Phase.shrink))
    @hseed(seed)
    @given(points(claim))
    def run(point):
        try:
            ok, worst, target_value, witness = judge(point)
        except ParameterError:
            stats["undefined"] += 1
            return
        if ok is None:
            stats["boundary"] += 1
            return
        stats["points"] += 1
        if math.isfinite(target_value):
            target(target_value)
        if stats["worst"] is None or _worse(claim, worst, stats["worst"]):
            stats["worst"], stats["worst_at"] = worst, dict(point)
        if not ok:
            raise _Refuted(dict(point), worst, witness)

    result = RouteResult(claim.id, "sampled", "holds", dps=dps)
    try:
        run()
    except _Refuted as refuted:
        result.status = "refuted"
        result.counterexample = {**refuted.point, **({claim.witness: refuted.witness}
                                                     if refuted.witness is not None else {})}
        result.detail = _describe(claim, refuted)
    except Exception as error:  # reported, never a traceback
        result.status, result.detail = "error", f"{type(error).__name__}: {error}"
    result.points = stats["points"]
    result.skipped = stats["undefined"] + stats["boundary"]
    if result.skipped:
        note = (f"skipped {stats['undefined']} point(s) where a quantity is not finite and "
                f"{stats['boundary']} on the threshold")
        result.detail = f"{result.detail}; {note}" if result.detail else note
    result.worst_margin, result.worst_at = stats["worst"], stats["worst_at"]
    if result.status == "holds" and result.points == 0:
        result.status, result.detail = "inconclusive", "no point of the region could be decided"
    result.seconds = time.perf_counter() - start
    return result


def _worse(claim, a, b):
    """Whether worst-value ``a`` is closer to failing than ``b``."""
    if claim.kind == "exists":
        return a > b
    return a < b


def _describe(claim, refuted):
    if claim.kind == "forall" and claim.identity:
        return f"margin is {refuted.worst!r}, not 0"
    if claim.kind == "forall":
        return f"margin {refuted.worst!r} < 0"
    if claim.kind == "exists":
        return f"no {claim.witness} in {claim.witness_range} makes the margin negative " \
               f"(best {refuted.worst!r})"
    return "the condition and the existence of a witness disagree"


def _montecarlo_unavailable(claim: Claim, **_) -> RouteResult:
    return RouteResult(claim.id, "montecarlo", "unavailable",
                       detail="no simulator registered for this claim")


#: Routes by name; :func:`proofs_check.check` runs these.
ROUTES: dict[str, Callable[..., RouteResult]] = {
    "symbolic": symbolic,
    "sampled": sampled,
    "montecarlo": _montecarlo_unavailable,
}


def register_route(name: str, route: Callable[..., RouteResult]) -> None:
    """Add or replace a route (the Monte Carlo and a future certified route plug in here).

    Examples
    --------
    >>> from proofs_check.routes import register_route, ROUTES
    >>> register_route("montecarlo", ROUTES["montecarlo"])
    """
    ROUTES[name] = route
