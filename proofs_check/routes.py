"""Check routes: each decides a claim its own way and returns a :class:`RouteResult`.

``symbolic``
    Runs the claim's SymPy proof; ``proved`` only when SymPy established every step.
``sampled``
    Hypothesis draws points of the region (:mod:`proofs_check.strategies`), the margin is
    evaluated with mpmath at ``dps`` digits, ``target()`` pushes toward the worst case and a
    failure is shrunk to a minimal counterexample (a point found in a batch is shrunk alone:
    :func:`_shrunk`). An existence claim searches its witness at each
    point: a log-spaced grid over the witness range (one point a decade down to 1e-64 of its top,
    plus 0 when allowed)
    refined by golden-section search on a log scale around the best grid point.
``montecarlo``
    Theory against the independent simulators at a few points (:mod:`proofs_check.montecarlo`,
    imported on first use); ``unavailable`` for a claim without a simulation plan. Other routes
    register with :func:`register_route` and return the same result type.

Points are exact (:mod:`proofs_check.strategies`) and satisfy the assumptions exactly. A margin's
sign is decided with an error estimate: it is evaluated at ``dps + 20`` digits and at a lower
precision and the difference ``err`` is the rounding error; the sign counts only beyond
``100 err``. The lower precision is float64 first (one high-precision evaluation settles a margin
far from zero) and ``dps`` digits when the float64 tolerance does not decide the sign. A
refutation is a certificate: the contradicting sign is established again at a raised precision
(``max(2 dps, dps + 30)``), and for an existence claim the whole witness search is repeated
there. A margin
that is zero to the working precision (an exact zero, or a gain below the precision) is decided
exactly where it is an algebraic number at the (rational) point (:mod:`numerics.exact_sign`: a
minimal polynomial and an isolating interval); exactly 0 holds a non-strict claim, fails a strict
one and is no witness. Otherwise the point is *inconclusive*, never a counterexample; the report
counts such points. So an existence
claim ("some ``lam_s`` gives ``margin < 0``") is supported at a point only by a witness whose
margin is provably negative: a best margin of ``-1e-57`` computed at 30 digits, where the exact
margin may be 0, is neither a witness nor a counterexample until a higher precision decides it.
Points where a quantity is not finite (e.g. the ridgeless risk at ``gamma = 1``) and ``iff`` points
within a relative ``1e-8`` of the threshold are skipped and counted in ``skipped``.

Examples
--------
>>> from theory.claims import claim
>>> from proofs_check.routes import sampled
>>> r = sampled(claim("ridge.min_norm_student"), examples=10, seed=1)
>>> r.status, r.points      # distinct points judged
('holds', 10)
"""

from __future__ import annotations

import math
import time
from typing import Callable

from hypothesis import HealthCheck, Phase, Verbosity, given, seed as hseed, settings, target

from numerics import ParameterError
from numerics.validation import exact_text
from proofs_check.judge import Judge
from proofs_check.result import RouteResult
from proofs_check.strategies import points
from theory.claims import Claim

__all__ = ["ROUTES", "register_route", "symbolic", "sampled"]


class _Refuted(Exception):
    def __init__(self, point, worst, witness):
        super().__init__(f"counterexample {point}")
        self.point, self.worst, self.witness = point, worst, witness
        self.raw = None  # the bytes the point was decoded from, when a batch knows them


try:  # Hypothesis's encoding of an example's choices, as its example databases store them
    from hypothesis.database import InMemoryExampleDatabase, choices_to_bytes as _choices_to_bytes
except ImportError:  # an older Hypothesis: a batch's counterexample is shrunk in its batch
    _choices_to_bytes = None

_ALL_PHASES = (Phase.explicit, Phase.generate, Phase.target, Phase.shrink)
_GENERATE_PHASES = (Phase.explicit, Phase.generate, Phase.target)
#: The key under which :func:`_shrunk` hands Hypothesis the counterexample to shrink.
_SHRINK_KEY = b"w2s-theory sampled route: counterexample"


def _search(strategy, body, examples: int, seed: int, phases, database=None, key=None):
    """Run ``body`` on ``examples`` Hypothesis examples of ``strategy`` (points from ``seed``
    alone, whatever Hypothesis profile is loaded); exceptions propagate."""

    @settings(max_examples=max(1, examples), deadline=None, database=database,
              verbosity=Verbosity.quiet, derandomize=False,
              suppress_health_check=list(HealthCheck), print_blob=False,
              report_multiple_bugs=False, phases=phases)
    @hseed(seed)
    @given(strategy)
    def run(value):
        body(value)

    # with no database there is no database key to compute: without this Hypothesis hashes
    # ``run``'s source (a millisecond of tokenizing per call, an eighth of a 100-example run);
    # its own ``find`` sets the same attribute, and a Hypothesis that ignores it is only slower
    run._hypothesis_internal_database_key = key
    run()


def _shrunk(claim: Claim, refuted: _Refuted, judge_batch, seed: int) -> _Refuted:
    """The counterexample of a batch, shrunk alone: Hypothesis replays its bytes as an example
    of one point (from an in-memory example database) and shrinks that; ``refuted`` itself
    when the replay does not fail (it does: the judge is deterministic)."""
    if refuted.raw is None:
        return refuted
    database = InMemoryExampleDatabase()
    # under the key's secondary corpus, where Hypothesis keeps failing examples that are not
    # minimal (an example under the key itself it takes as shrunk already, and replays only)
    database.save(_SHRINK_KEY + b".secondary", _choices_to_bytes((refuted.raw,)))
    try:
        _search(points(claim, batch=1, raw=True), judge_batch, 1, seed,
                (Phase.reuse, Phase.shrink), database=database, key=_SHRINK_KEY)
    except _Refuted as smaller:
        return smaller
    except Exception:  # whatever goes wrong in the shrink, the point found is a counterexample
        pass
    return refuted


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
        proof = _proof(claim)
    except Exception as error:  # a proof that crashes establishes nothing
        return RouteResult(claim.id, "symbolic", "error", seconds=time.perf_counter() - start,
                           detail=f"{type(error).__name__}: {error}")
    failed = [step for step, ok in proof.steps if ok != "True"]
    detail = "; ".join(f"{s} [{ok}]" for s, ok in proof.steps)
    return RouteResult(claim.id, "symbolic", "proved" if proof.established else "inconclusive",
                       points=0, seconds=time.perf_counter() - start,
                       detail=detail if not failed else "not established: " + "; ".join(failed))


def _statement_key(claim: Claim) -> str | None:
    """What a cached proof of ``claim`` is keyed on: its id and a fingerprint of its statement
    (conclusion, assumptions, region, witness, condition) and of its proof function; ``None``
    when the proof is not cacheable.

    A proof is cached only when it is a registered claim's own (the claim registered under its
    id is this object) and a module-level function of a ``theory`` module, whose result depends
    on the ``theory`` source alone: a user's claim, a mutant (``claim.replace(...)`` keeps the
    id), a lambda or a closure always runs its proof.
    """
    from theory import cache
    from theory.claims import claim as registered

    proof = claim.proof
    module = getattr(proof, "__module__", None) or ""
    qualname = getattr(proof, "__qualname__", None) or ""
    if (module not in cache.theory_modules() or "<" in qualname
            or getattr(proof, "__closure__", None) is not None):
        return None
    try:
        if registered(claim.id) is not claim:
            return None
    except Exception:  # an unregistered id
        return None
    import sympy

    region = sorted((name, sympy.srepr(sympy.sympify(value)))
                    for name, value in claim.region.items())
    parts = (claim.id, sympy.srepr(claim.conclusion),
             repr([sympy.srepr(a) for a in claim.assumptions]), repr(region),
             repr(claim.witness), sympy.srepr(claim.witness_range) if claim.witness_range
             is not None else "None",
             sympy.srepr(claim.condition) if claim.condition is not None else "None",
             f"{module}.{qualname}")
    return "\0".join(parts)


def _proof(claim: Claim):
    """``claim.proof()``, computed once per machine for a registered claim's own proof (kept in
    the disk cache, :mod:`theory.cache`, keyed on the claim's statement and the ``theory``
    source); run every time otherwise."""
    key = _statement_key(claim)
    if key is None:
        return claim.proof()
    from theory import cache

    return cache.cached("proof", key, claim.proof, depends_on=cache.theory_modules())


#: Most points per Hypothesis example in the sampled route, for a ``forall`` claim: an example
#: costs Hypothesis about 0.2 ms, three mpmath evaluations, so a batch spreads it. A run keeps at
#: least :data:`MIN_EXAMPLES` examples (Hypothesis's first example is the all-low point, so a
#: single batch would hold one distinct point). An existence claim's witness search costs a
#: hundred evaluations a point, so Hypothesis's own cost is negligible there: one point an
#: example, which also keeps shrinking a counterexample cheap.
BATCH = 16
MIN_EXAMPLES = 6


def sampled(claim: Claim, examples: int = 100, seed: int = 0, dps: int = 30, **_) -> RouteResult:
    """Check ``claim`` at ``examples`` exact Hypothesis points with mpmath at ``dps`` digits.

    Parameters
    ----------
    claim : Claim
    examples : int
        Number of points drawn, for a ``forall`` claim rounded up to whole batches (a Hypothesis
        example is a batch of up to :data:`BATCH` points; shrinking a failure adds more). A point
        drawn again is not judged again: ``points`` counts distinct points.
    seed : int
        Hypothesis seed: the same seed gives the same points and the same result.
    dps : int
        Working precision of the margins (a refutation is confirmed at a raised precision).

    Returns
    -------
    RouteResult
        ``refuted`` only with a certified counterexample (see :class:`Judge`): exact values as
        strings that parse back to the same rationals. Points whose sign cannot be established
        are counted in ``inconclusive``; when no point was decided the status is
        ``inconclusive``.
    """
    start = time.perf_counter()
    judge = Judge(claim, dps, constructed=True)  # its points satisfy the assumptions
    stats = {"points": 0, "drawn": 0, "undefined": 0, "boundary": 0, "outside": 0,
             "inconclusive": 0,
             "inconclusive_at": None, "worst": None, "worst_at": None}

    seen = {}  # Hypothesis repeats points (the all-low point most): each is judged once

    def decide(point):
        """The target value of a point (judged and recorded the first time it is drawn), or
        raise on a certified refutation."""
        key = tuple((v.numerator, v.denominator) for v in point.values())  # cheaper hash
        stats["drawn"] += 1
        if key not in seen:
            seen[key] = judged(point)
        return seen[key]

    def judged(point):
        """Judge one point, record it; the target value, or raise on a certified refutation."""
        try:
            verdict, worst, target_value, witness = judge(point)
        except ParameterError:
            stats["undefined"] += 1
            return None
        if verdict in ("boundary", "outside"):
            stats[verdict] += 1
            return None
        if verdict == "inconclusive":
            stats["inconclusive"] += 1
            stats["inconclusive_at"] = stats["inconclusive_at"] or dict(point)
            return None
        stats["points"] += 1
        if stats["worst"] is None or _worse(claim, worst, stats["worst"]):
            stats["worst"], stats["worst_at"] = worst, dict(point)
        if verdict == "refuted":
            raise _Refuted(dict(point), worst, witness)
        return target_value if math.isfinite(target_value) else None

    # a Hypothesis example is a batch of points (its own cost is spread over them);
    # derandomize=False: the points come from ``seed`` alone, whatever profile is loaded
    batch = min(BATCH, max(1, examples // MIN_EXAMPLES)) if claim.kind == "forall" else 1

    def judge_batch(batch):
        targets = []
        for raw, point in batch:
            try:
                value = decide(point)
            except _Refuted as refuted:
                refuted.raw = raw
                raise
            if value is not None:
                targets.append(value)
        if targets:
            target(max(targets))

    # a counterexample found in a batch is shrunk alone (:func:`_shrunk`): shrinking the whole
    # batch's bytes costs Hypothesis up to sixteen times the work
    alone = batch > 1 and _choices_to_bytes is not None
    result = RouteResult(claim.id, "sampled", "holds", dps=dps)
    try:
        _search(points(claim, batch=batch, raw=True), judge_batch, -(-examples // batch), seed,
                _GENERATE_PHASES if alone else _ALL_PHASES)
    except _Refuted as refuted:
        if alone:
            refuted = _shrunk(claim, refuted, judge_batch, seed)
        result.status = "refuted"
        result.counterexample = _exact({**refuted.point, **({claim.witness: refuted.witness}
                                                            if refuted.witness is not None
                                                            else {})})
        result.detail = _describe(claim, refuted, judge.raised)
    except Exception as error:  # reported, never a traceback
        result.status, result.detail = "error", f"{type(error).__name__}: {error}"
    result.points, result.drawn = stats["points"], stats["drawn"]
    result.skipped = stats["undefined"] + stats["boundary"] + stats["outside"]
    result.inconclusive = stats["inconclusive"]
    notes = []
    if result.skipped:
        notes.append(f"skipped {stats['undefined']} point(s) where a quantity is not finite and "
                     f"{stats['boundary']} on the threshold")
    if result.inconclusive:
        result.inconclusive_at = _exact(stats["inconclusive_at"])
        notes.append(f"{result.inconclusive} point(s) inconclusive: the margin is zero to "
                     f"{judge.raised} digits, so its sign is not established")
    if judge.exact_decisions:
        notes.append(f"{judge.exact_decisions} margin(s) zero to the working precision decided "
                     f"exactly (SymPy: minimal polynomial and isolating interval)")
    if notes:
        result.detail = "; ".join(([result.detail] if result.detail else []) + notes)
    result.worst_margin = stats["worst"]
    result.worst_at = _exact(stats["worst_at"]) if stats["worst_at"] else None
    if result.status == "holds" and result.points == 0:
        result.status = "inconclusive"
        result.detail = "no point of the region could be decided" + (
            f"; {result.detail}" if result.detail else "")
    result.seconds = time.perf_counter() - start
    return result


def _exact(point: dict) -> dict:
    """Exact values as text (see :func:`numerics.validation.exact_text`)."""
    return {k: exact_text(v) for k, v in point.items()}


def _worse(claim, a, b):
    """Whether worst-value ``a`` is closer to failing than ``b``."""
    if claim.kind == "exists":
        return a > b
    return a < b


def _describe(claim, refuted, raised):
    confirmed = f"confirmed at {raised} digits"
    if claim.kind == "forall" and claim.identity:
        return f"margin is {-refuted.worst!r}, not 0 ({confirmed})"
    if claim.kind == "forall":
        return f"margin {refuted.worst!r} < 0 ({confirmed})"
    if claim.kind == "exists":
        return f"no {claim.witness} in {claim.witness_range} makes the margin negative " \
               f"(best {refuted.worst!r}, search repeated at {raised} digits)"
    return f"the condition and the existence of a witness disagree ({confirmed})"


def _montecarlo(claim: Claim, **options) -> RouteResult:
    """The Monte Carlo route (:mod:`proofs_check.montecarlo`, imported when first used)."""
    from proofs_check.montecarlo import montecarlo

    return montecarlo(claim, **options)


def _certified(claim: Claim, **options) -> RouteResult:
    """The certified route (:mod:`proofs_check.certified`, imported when first used)."""
    from proofs_check.certified import certified

    return certified(claim, **options)


#: Routes by name; :func:`proofs_check.check` runs these.
ROUTES: dict[str, Callable[..., RouteResult]] = {
    "symbolic": symbolic,
    "sampled": sampled,
    "montecarlo": _montecarlo,
    "certified": _certified,
}


def register_route(name: str, route: Callable[..., RouteResult]) -> None:
    """Add or replace a route (the Monte Carlo and a future certified route plug in here).

    Examples
    --------
    >>> from proofs_check.routes import register_route, ROUTES
    >>> register_route("montecarlo", ROUTES["montecarlo"])
    """
    ROUTES[name] = route
