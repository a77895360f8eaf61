r"""Certificates for existence and threshold claims (the certified route's ``exists`` and ``iff``).

An existence claim says: at every point of the region some witness ``w`` (in its range) gives
``margin < 0``.

* **Refuting it is a** ``forall`` **at one point.** The witness search (the sampled route's
  :class:`~proofs_check.judge.Judge`) proposes the point, among the centre of the region and
  points near its corners: one where it finds no witness, or whose best margin is largest. There
  the claim
  "``margin >= 0`` for every ``w`` of the witness range" is certified by branch and bound on the
  witness (:func:`proofs_check.certified.certify`). A certificate means no witness exists at that
  exact point: the existence claim is refuted, with the point and the certificate (boxes,
  evaluations, seconds). A witness whose margin is exactly 0 is none: the interval enclosure keeps
  exact zeros, and ``>= 0`` is what is certified.
* **Proving it is a witness certificate.** The region (reparametrised as in
  :func:`proofs_check.certified_boxes.prepare`) is split into boxes; each box gets the witness that the
  search finds best at its centre, and is certified when the enclosure of the margin over the
  box, at that witness, is ``< 0``. A box that is not is split (along the coordinate whose halves
  have the smallest largest upper end). Where the claim's region is open and the gain tends to 0
  on the missing face (``lam_t -> sigma2 gamma_t / r2`` in Theorem 5, ``zeta -> 0`` for the
  weighted student), no finite partition reaches the face: a band of relative width
  :data:`BAND` at each open face is left out and stated in the result (``band``).
* **Threshold** (``iff``) **claims** are both directions on the region: "condition implies a
  witness" is a witness certificate on the boxes where the condition holds beyond a band, and "no
  witness without the condition" is a ``forall`` over region and witness range, where a box is
  also decided when the condition holds beyond the band there. The band
  ``|lhs - rhs| <= BAND`` around the threshold is left out, and the result says so.

Examples
--------
>>> from sympy import Interval, Rational
>>> from theory.claims import claim
>>> from proofs_check.certified import certify
>>> c = claim("ridge.under_regularised_teacher_is_beaten")
>>> small = c.replace(id="mine.small", region={**c.region, "gamma_t": Rational(1, 2), "sigma2": 1,
...     "r2": 1, "gamma_s": Interval(Rational(1, 2), Rational(3, 4)), "lam_t": Interval(0, 1)})
>>> r = certify(small, boxes=100)
>>> r.status, r.band
('certified', 't[lam_t] <= 0.999')
"""

from __future__ import annotations

import heapq
import itertools
import time
from fractions import Fraction

import mpmath
import sympy

from numerics.intervals import (IntervalArithmetic, IntervalUnavailable, Program,
                                positive_parts)
from numerics.stable import stable_form
from numerics import ParameterError
from numerics.validation import exact_text
from proofs_check import certified_boxes as boxes_engine
from proofs_check.result import RouteResult
from theory.claims import Claim
from theory.symbols import parameters

__all__ = ["existence", "threshold", "refute_at", "BAND", "CORNERS"]

#: Width of the band left out at an open face of the region (``BAND`` times the range, at most
#: ``BAND``), and of the band ``|lhs - rhs| <= BAND`` around an ``iff`` threshold.
BAND = Fraction(1, 1000)
#: Points (besides the centre) tried for a refutation: a quarter of the way in from the corners.
CORNERS = 32
#: Digits of the witness search at a box's centre (the search stops at a margin below
#: ``-10^(10 - SEARCH_DPS)``, so a low precision lets it reach the best witness; the certificate
#: is the interval enclosure, not this search).
SEARCH_DPS = 8
#: Witnesses tried per box: the search's and LADDER - 1 smaller ones (see ``_ladder``).
LADDER = 12
#: A box narrower than this fraction of its coordinate's range (in ``log(x + s)``) is not split.
FINEST = 2.0 ** -30


def _closure(interval: sympy.Interval) -> sympy.Interval:
    return sympy.Interval(interval.start, interval.end)


def refute_at(claim: Claim, point: dict, boxes: int) -> RouteResult:
    """Certify that no witness of ``claim`` exists at ``point`` (exact rationals).

    Returns the route result of the ``forall`` claim "``margin >= 0`` for every witness in the
    closed witness range" at that point (``certified`` means the existence claim is refuted).

    Examples
    --------
    >>> from sympy import Rational
    >>> from theory.claims import claim
    >>> from proofs_check.certified_witness import refute_at
    >>> c = claim("ridge.under_regularised_teacher_is_beaten")
    >>> point = {"gamma_s": Rational(1, 2), "lam_t": 1, "gamma_t": 1, "sigma2": 1, "r2": 1}
    >>> refute_at(c, point, boxes=50).status   # lam_t at the threshold: no student beats it
    'certified'
    """
    region = {n: sympy.Rational(point[n]) for n in claim.parameters}
    region[claim.witness] = _closure(claim.witness_range)
    forall = Claim(sympy.GreaterThan(claim.margin, 0), id=f"{claim.id}.no_witness_at_point",
                   statement=f"no {claim.witness} in {claim.witness_range} gives a negative "
                             f"margin at one point", source=f"refutation of {claim.id}",
                   region=region)
    return boxes_engine.certify_forall(forall, boxes=boxes)


def _candidates(claim: Claim):
    """Points where a refutation is tried (exact rationals, in the region and meeting the
    assumptions), among the centre of the reparametrised box and the points a quarter of the way
    in from its corners: up to three where the witness search finds no witness, as they are found,
    else the one whose best margin is largest."""
    from proofs_check.judge import Judge

    try:
        setup = _setup(claim)
    except (boxes_engine.Unavailable, IntervalUnavailable, ValueError):
        return
    w = claim.witness
    box = {n: v for n, v in setup.box.items() if n != w}
    names = list(box)
    fractions = [(Fraction(1, 2),) * len(names)]
    fractions += list(itertools.islice(itertools.product((Fraction(1, 4), Fraction(3, 4)),
                                                         repeat=len(names)), CORNERS))
    judge = Judge(claim, dps=SEARCH_DPS + 12)
    ranked, tried = [], 0
    for k, where in enumerate(fractions):
        coordinates = {n: box[n][0] + (box[n][1] - box[n][0]) * mpmath.mpf(f.numerator) / f.denominator
                       for n, f in zip(names, where)}
        point = setup.point({**coordinates, w: setup.box[w][0]})
        point = {n: v for n, v in point.items() if n != w}
        if not boxes_engine._in_claim(setup, point):
            continue
        try:
            verdict, best, _ = judge.witness({n: Fraction(int(v.p), int(v.q))
                                              for n, v in point.items()})
        except (ParameterError, ValueError, ZeroDivisionError):  # not finite at this point
            continue
        if verdict is not True:  # no witness found here: try it at once
            yield point
            tried += 1
            if tried == 3:
                return
        else:
            ranked.append((float(best), -k, point))
    if not tried and ranked:
        yield max(ranked, key=lambda r: r[:2])[2]


def existence(claim: Claim, boxes: int) -> RouteResult:
    """The certified route on an ``exists`` claim: a refutation at a point, else a proof by a
    witness certificate over the region (see the module docs)."""
    start = time.perf_counter()
    if claim.witness_range.is_empty:
        for point in _candidates(claim):
            result = RouteResult(claim.id, "certified", "refuted", boxes=0, evaluations=0)
            result.counterexample = {n: exact_text(v) for n, v in point.items()}
            result.detail = f"the witness range of {claim.witness} is empty: no witness anywhere"
            result.seconds = time.perf_counter() - start
            return result
    for point in _candidates(claim):
        attempt = refute_at(claim, point, boxes)
        if attempt.status == "certified":
            return _refutation(claim, point, attempt, start)
    result = witness_certificate(claim, boxes)
    result.seconds = time.perf_counter() - start
    return result


def _refutation(claim, point, attempt, start) -> RouteResult:
    result = RouteResult(claim.id, "certified", "refuted", boxes=attempt.boxes,
                         evaluations=attempt.evaluations, certified_fraction=None)
    result.counterexample = {n: exact_text(v) for n, v in point.items()}
    result.seconds = time.perf_counter() - start
    result.detail = (f"no {claim.witness} in [{claim.witness_range.start}, "
                     f"{claim.witness_range.end}] gives margin < 0 at this exact point: margin >= 0 "
                     f"certified over the whole witness range ({attempt.detail})")
    return result


# --- witness certificates ---------------------------------------------------------------------

def _setup(claim: Claim):
    """The reparametrised program of ``-margin`` with the witness as a coordinate."""
    region = {n: claim.region[n] for n in claim.parameters}
    # an empty witness range (no witness anywhere) still gives the region's points
    region[claim.witness] = (_closure(claim.witness_range) if not claim.witness_range.is_empty
                             else sympy.Interval(0, 1))
    negated = Claim(sympy.StrictGreaterThan(-claim.margin, 0), id=f"{claim.id}.witness",
                    region=region, assumptions=claim.assumptions)
    setup = boxes_engine.prepare(negated)
    # common factors pulled out of each sum (gamma sigma2 - gamma sigma2 t = gamma sigma2 (1 - t)):
    # an exact rewriting that removes a dependency the enclosure would otherwise pay for
    setup.program = Program(_factor_terms(setup.program.form), setup.program.names)
    return setup


def _factor_terms(form):
    atoms = {f: sympy.Dummy() for f in form.atoms(sympy.Function)}
    return sympy.factor_terms(form.xreplace(atoms)).xreplace({v: k for k, v in atoms.items()})


def _condition_program(claim: Claim, setup, names, sign: int) -> Program:
    """``sign (lhs - rhs)`` of the ``iff`` condition over the setup's coordinates."""
    cond = claim.condition
    if isinstance(cond, (sympy.LessThan, sympy.StrictLessThan)):
        sign = -sign
    box = {n: setup.box[n] for n in names}
    sides = [_resolve_piecewise(side, setup, box) for side in (cond.lhs, cond.rhs)]
    # each side in its stable form on its own (a side without primitives stays as it is)
    lhs, rhs = (positive_parts(stable_form(e)) if e.atoms(sympy.Function) else e for e in sides)
    declared = parameters()
    form = (sign * (lhs - rhs)).xreplace({declared[n]: v for n, v in setup.fixed.items()})
    form = form.xreplace({declared[n]: e for n, e in setup.back.items()})
    unknown = {s.name for s in form.free_symbols} - set(setup.program.names)
    if unknown:
        raise IntervalUnavailable(f"the condition uses {sorted(unknown)}")
    return Program(form, setup.program.names)


def _resolve_piecewise(expr, setup, box):
    """Each ``Piecewise`` whose branch is decided on the whole region replaced by that branch."""
    arith = IntervalArithmetic()
    declared = parameters()
    values = {**{n: (lo, hi) for n, (lo, hi) in box.items() if n in declared},
              **{n: (v, v) for n, v in setup.fixed.items()}}
    for pw in sorted(expr.atoms(sympy.Piecewise), key=str):
        chosen = None
        for branch, cond in pw.args:
            if cond is sympy.true:
                chosen = branch
                break
            relation = cond if isinstance(cond, sympy.core.relational.Relational) else None
            if relation is None or relation.free_symbols - {declared[n] for n in values}:
                raise IntervalUnavailable(f"the branch condition {cond} is not decided on the box")
            diff = relation.lhs - relation.rhs
            p = Program(diff, [s.name for s in diff.free_symbols])
            lo, hi = arith.bounds(p.run(arith, {n: values[n] for n in p.names}))
            below = isinstance(relation, (sympy.StrictLessThan, sympy.LessThan))
            strict = isinstance(relation, (sympy.StrictLessThan, sympy.StrictGreaterThan))
            holds = (hi < 0 or (hi <= 0 and not strict)) if below else \
                (lo > 0 or (lo >= 0 and not strict))
            fails = (lo >= 0 if strict else lo > 0) if below else (hi <= 0 if strict else hi < 0)
            if holds:
                chosen = branch
                break
            if not fails:
                raise IntervalUnavailable(f"the branch condition {cond} is not decided on the box")
        if chosen is None:
            raise IntervalUnavailable(f"no branch of {pw} holds on the box")
        expr = expr.xreplace({pw: chosen})
    return expr


def _banded(claim: Claim, setup) -> tuple[dict, list]:
    """The box without the witness, with a band of width ``BAND min(range, 1)`` cut at each open
    face (an open end of the region, a strict assumption's equality face); the faces in words."""
    box = {n: v for n, v in setup.box.items() if n != claim.witness}
    band = mpmath.mpf(BAND.numerator) / BAND.denominator
    faces = []
    for name, (lo, hi) in list(box.items()):
        interval = claim.region.get(name)
        cut_lo = cut_hi = False
        if isinstance(interval, sympy.Interval):
            cut_lo, cut_hi = interval.left_open, interval.right_open
        for relation in claim.assumptions:
            if name in (f"t[{relation.lhs}]",) and isinstance(relation, sympy.StrictLessThan):
                cut_hi = True
            if name in (f"d[{relation.lhs}]",) and isinstance(relation, sympy.StrictGreaterThan):
                cut_lo = True
        cut = band * min(hi - lo, 1)  # BAND of the range, at most BAND in absolute terms
        if cut_lo:
            lo = lo + cut
            faces.append(f"{name} >= {mpmath.nstr(lo, 6)}")
        if cut_hi:
            hi = hi - cut
            faces.append(f"{name} <= {mpmath.nstr(hi, 6)}")
        box[name] = (mpmath.mpf(lo), mpmath.mpf(hi))
    return box, faces


def witness_certificate(claim: Claim, boxes: int, condition_sign: int = 0) -> RouteResult:
    """Partition the region into boxes, each with a witness whose margin is certified ``< 0``.

    With ``condition_sign = 1`` (an ``iff`` claim) a box where the condition fails or lies
    within the band (``lhs - rhs <= BAND`` over the box) is decided without a witness.
    """
    from proofs_check.judge import Judge

    start = time.perf_counter()
    result = RouteResult(claim.id, "certified", "inconclusive")
    try:
        setup = _setup(claim)
        base, faces = _banded(claim, setup)
        condition = (_condition_program(claim, setup, list(base), -1) if condition_sign
                     else None)
    except (boxes_engine.Unavailable, IntervalUnavailable, ValueError) as why:
        result.status, result.detail = "unavailable", str(why)
        return result
    judge = Judge(claim, dps=SEARCH_DPS)
    arith = IntervalArithmetic()
    w = claim.witness
    scales = boxes_engine._scales(base)
    band = mpmath.mpf(BAND.numerator) / BAND.denominator
    evaluations = 0

    def upper(box, value):
        """Upper end of ``margin`` over ``box`` at witness ``value`` (from ``-margin``'s lower)."""
        nonlocal evaluations
        evaluations += 1
        lo, _ = arith.bounds(setup.program.run(arith, {**box, w: (value, value)}))
        return -lo if not mpmath.isnan(lo) else mpmath.inf

    def outside(box):
        nonlocal evaluations
        if condition is None:
            return False
        evaluations += 1
        lo, _ = arith.bounds(condition.run(arith, {**box, w: setup.box[w]}))
        return not mpmath.isnan(lo) and lo >= -band  # rhs - lhs >= -BAND: lhs - rhs <= BAND

    def witness_at(box):
        middle = {n: (lo + hi) / 2 for n, (lo, hi) in box.items()}
        point = setup.point({**middle, w: setup.box[w][0]})
        point = {n: Fraction(int(v.p), int(v.q)) for n, v in point.items() if n != w}
        try:
            best, value = judge.search(point, SEARCH_DPS)
        except (ParameterError, ValueError, ZeroDivisionError):  # the margin is not finite
            return None
        return mpmath.mpf(value) if value is not None and best < 0 else None

    low = setup.box[w][0]
    counter = itertools.count()
    queue = [(0.0, next(counter), base, None)]
    certified_volume, decided, splits = 0.0, 0, 0
    undecided = []
    while queue:
        _, _, box, value = heapq.heappop(queue)
        if outside(box):
            certified_volume += boxes_engine._volume(box, base)
            decided += 1
            continue
        candidates = [v for v in _ladder([v for v in (value, witness_at(box)) if v is not None],
                                         low) if claim.witness_range.contains(_rational(v))]
        ups = [(upper(box, v), v) for v in candidates]
        if ups and min(ups)[0] < 0:
            certified_volume += boxes_engine._volume(box, base)
            decided += 1
            continue
        candidates = [min(ups)[1]] if ups else []
        if splits >= boxes:
            undecided.append(box)
            continue
        splits += 1
        best = None
        for name, (lo, hi) in box.items():
            if boxes_engine._log_width(lo, hi, scales[name]) < FINEST * max(
                    boxes_engine._log_width(*base[name], scales[name]), 1e-300):
                continue
            for m in boxes_engine._split_points(lo, hi, scales[name])[-1:]:
                halves = [{**box, name: (lo, m)}, {**box, name: (m, hi)}]
                ups = [min([upper(h, v) for v in candidates] or [mpmath.inf]) for h in halves]
                score = (-min(ups), boxes_engine._log_width(lo, hi, scales[name]))
                if best is None or score > best[0]:
                    best = (score, halves)
        if best is None:
            undecided.append(box)
            continue
        for half in best[1]:
            heapq.heappush(queue, (-boxes_engine._volume(half, base), next(counter), half,
                                   value if value is not None else
                                   (candidates[0] if candidates else None)))
    result.seconds = time.perf_counter() - start
    result.boxes, result.evaluations = decided, evaluations
    bands = list(faces)
    if condition is not None:
        bands.append(f"the band |lhs - rhs| <= {BAND} around the threshold")
    result.band = "; ".join(bands) or None
    result.detail = (f"witness certificate: {decided} boxes, each with a {w} whose margin is "
                     f"certified < 0 over the box; reparametrisation: {setup.description}")
    if result.band:
        result.detail += f"; left out: {result.band}"
    if not undecided:
        result.status, result.certified_fraction = "certified", 1.0
        return result
    result.certified_fraction = min(1.0, certified_volume)
    result.undecided = [{n: [float(lo), float(hi)] for n, (lo, hi) in b.items()}
                        for b in undecided[:boxes_engine.LISTED]]
    result.undecided_count = len(undecided)
    result.detail = (f"{len(undecided)} boxes undecided (box budget of {boxes} spent); "
                     + result.detail)
    return result


def _rational(v) -> sympy.Rational:
    return boxes_engine._rational(v)


def _ladder(values, low):
    """Each witness and the witnesses between it and the range's low end at ratios 4^-k: the
    best witness at a box's centre is often too bold for the box's corners, a smaller one (a
    gain that is smaller but robust) is certified over the whole box. A witness at the low end
    (``lam_s = 0``, an over-parameterised minimum-norm student) is kept; the caller keeps only
    witnesses inside the witness range."""
    out = []
    for v in values:
        for k in range(LADDER):
            candidate = low + (v - low) * mpmath.mpf(4) ** -k
            # the low end itself only when it is the witness found (a closed range's end)
            if (candidate > low or k == 0) and candidate not in out:
                out.append(candidate)
    return out


# --- threshold claims ---------------------------------------------------------------------------

def threshold(claim: Claim, boxes: int) -> RouteResult:
    """Both directions of an ``iff`` claim on its region, outside a band around the threshold.

    "Condition implies a witness" is a witness certificate on the boxes where the condition holds
    beyond the band; "no witness without the condition" certifies ``margin >= 0`` over the region
    and the whole witness range, a box being decided also where the condition holds beyond
    ``-BAND``. Refuted when either direction is (a point where the condition fails and a witness
    exists is confirmed with ``arb``; a point where it holds and no witness exists is a
    certificate on the witness at that point).
    """
    start = time.perf_counter()
    forward = witness_certificate(claim, boxes, condition_sign=1)
    backward = _no_witness_without_condition(claim, boxes)
    result = RouteResult(claim.id, "certified", "inconclusive")
    result.seconds = time.perf_counter() - start
    result.band = f"the band |lhs - rhs| <= {BAND} around the threshold"
    parts = (("condition => witness", forward), ("no condition => no witness", backward))
    result.detail = "; ".join(f"{name}: {r.status} ({r.detail})" for name, r in parts)
    result.boxes = sum(r.boxes or 0 for _, r in parts)
    result.evaluations = sum(r.evaluations or 0 for _, r in parts)
    statuses = {forward.status, backward.status}
    if statuses == {"certified"}:
        result.status, result.certified_fraction = "certified", 1.0
        if forward.band and forward.band != result.band:
            result.band = forward.band
    elif "refuted" in statuses:
        bad = backward if backward.status == "refuted" else forward
        result.status, result.counterexample = "refuted", bad.counterexample
    elif "unavailable" in statuses:
        result.status = "unavailable"
    else:
        fractions = [r.certified_fraction for _, r in parts if r.certified_fraction is not None]
        result.certified_fraction = min(fractions) if fractions else 0.0
        result.undecided = (forward.undecided or []) + (backward.undecided or [])
        result.undecided = result.undecided[:boxes_engine.LISTED] or None
        result.undecided_count = (forward.undecided_count or 0) + (backward.undecided_count or 0)
    return result


def _no_witness_without_condition(claim: Claim, boxes: int) -> RouteResult:
    """``margin >= 0`` over region x witness range, where the condition fails beyond the band."""
    region = {n: claim.region[n] for n in claim.parameters}
    region[claim.witness] = _closure(claim.witness_range)
    forall = Claim(sympy.GreaterThan(claim.margin, 0), id=f"{claim.id}.no_witness",
                   region=region, assumptions=claim.assumptions)
    try:
        setup = boxes_engine.prepare(forall)
        condition = _condition_program(claim, setup, list(setup.box), 1)
    except (boxes_engine.Unavailable, IntervalUnavailable, ValueError) as why:
        return RouteResult(claim.id, "certified", "unavailable", detail=str(why))
    shifted = Program(condition.form - sympy.Rational(BAND.numerator, BAND.denominator),
                      condition.names)
    result = boxes_engine._branch_and_bound(setup, boxes, None, alternative=shifted)
    if result.status == "refuted":
        # the witness point found must also fail the condition (checked with arb at the point)
        point = {n: sympy.Rational(v) for n, v in result.counterexample.items()}
        if not _condition_fails(claim, point):
            result.status, result.counterexample = "inconclusive", None
    return result


def _condition_fails(claim: Claim, point: dict) -> bool:
    from numerics.exact_sign import exact_sign

    cond = claim.condition
    diff = cond.lhs - cond.rhs
    if isinstance(cond, (sympy.LessThan, sympy.StrictLessThan)):
        diff = -diff
    declared = parameters()
    diff = diff.xreplace({declared[n]: v for n, v in point.items() if n in declared})
    sign = exact_sign(diff, point) if diff.free_symbols else exact_sign(diff, {})
    strict = isinstance(cond, (sympy.StrictGreaterThan, sympy.StrictLessThan))
    return sign is not None and (sign < 0 or (sign == 0 and strict))
