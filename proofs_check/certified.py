r"""The certified route: prove a ``forall`` claim over its whole bounded region (branch and bound).

The claim's margin is compiled to interval arithmetic (:mod:`numerics.intervals`) from its stable
form. Branch and bound splits the region into boxes until the enclosure of the margin on every box
is ``>= 0`` (the box is *certified*), or a point with a margin proved negative is found
(*refuted*), or the budget of boxes runs out (*inconclusive*, with the undecided boxes and
the certified fraction of the volume). The budget counts boxes, not seconds, so a claim gets the
same verdict on any machine; an optional time limit may stop a run early, and the result says so.

* **Assumptions by reparametrisation.** ``p >= bound(others)`` becomes ``p = bound + d`` with
  ``d in [0, hi_p - inf bound]``; ``p <= bound`` (or ``<``) with ``p`` ranging from 0 becomes
  ``p = t bound`` with ``t in [0, 1]``, and with ``p`` ranging over ``[a, b]`` otherwise
  ``p = a + t (min(bound, b) - a)``. A sum in which the substitution cancels is expanded, so
  ``sigma2 gamma_t - r2 lam_t`` is the manifest ``-r2 d``. The box then covers a *superset* of the
  claim's region (a stronger statement); a counterexample must lie in the region itself.
* **Two forms.** The stable form (with :func:`numerics.intervals.positive_parts`) and its
  factorisation by SymPy with the primitives as atoms (a square over a positive denominator is then
  manifest) each get a short probe; the rest of the budget goes to the stable form.
* **Probing split rule.** A box is split along the coordinate (and at the candidate point:
  arithmetic or geometric middle) whose two halves have the largest smaller lower end.
* **Counterexamples.** The middle of each undecided box is evaluated; a negative enclosure there
  gives a point, mapped back to the claim's parameters *exactly* (rationals), checked against the
  region and the assumptions exactly, and its margin's sign confirmed with python-flint ``arb`` at
  256 bits.

* **First order.** The rest of the budget after the probes runs with the margin's gradient
  (:mod:`proofs_check.certified_gradient`): the monotonicity test fixes a coordinate whose partial
  derivative has a constant sign, the mean-value form tightens the enclosure of a small box, and
  the coordinate of largest smear is split.
* **A minimum.** A margin ``Min(g_1, ..., g_n)`` is decided through its arguments, each a lemma
  (:func:`proofs_check.certified_lemmas.min_lemmas`).
* **Lemmas.** A polynomial margin ``sum_k s_k g_k`` with even monomials ``s_k`` is certified
  through its lemmas ``g_k >= 0`` (:mod:`proofs_check.certified_lemmas`), each certified first and
  listed in the result.
* **Reductions.** A mechanism may declare a reduction of a claim (facet ``reductions``): a
  certifiable claim that implies it, checked by SymPy (a cofactor, a square, a witness
  *function* for an existence claim). It is tried first, for every kind of claim; the result
  lists the reduced claim under ``lemmas``, and anything but ``certified`` is ``inconclusive``.
* **Existence and threshold claims** (:mod:`proofs_check.certified_witness`): refuted by a
  certificate over the whole witness range at one point, proved by a witness certificate;
  ``iff`` claims in both directions outside a stated band around the threshold.

Status ``certified`` means: at every point of the reparametrised box where the margin is finite,
``margin >= 0`` (``> 0`` for a strict claim). It says nothing outside the box (unbounded
parameters are certified on the registered region only) and nothing about finite-size systems
(the margin is the asymptotic formula). Identities and margins with an operation that has no
enclosure are ``unavailable`` here.

Examples
--------
>>> from theory.claims import claim
>>> from proofs_check.certified import certified
>>> r = certified(claim("ridge.over_regularised_teacher_never_beaten"))
>>> r.status, r.certified_fraction
('certified', 1.0)
"""

from __future__ import annotations

import time

import sympy

from proofs_check.certified_boxes import (BOXES, CONFIRM_BITS, LISTED, PROBE, SECONDS, Setup,
                                          Unavailable, certify_forall, confirm_sign, prepare)
from proofs_check.certified_lemmas import min_lemmas, square_lemmas
from numerics.validation import exact_text
from proofs_check.result import RouteResult
from theory.claims import Claim

#: An existence or threshold claim gets ``boxes // WITNESS_SHARE`` boxes: a box of a witness
#: certificate costs a witness search and a ladder of witnesses (about 20 interval evaluations),
#: a few times a box of a ``forall`` claim.
WITNESS_SHARE = 4

__all__ = ["Setup", "Unavailable", "prepare", "certify", "certified", "confirm_sign", "reduction",
           "BOXES", "SECONDS", "CONFIRM_BITS", "LISTED", "PROBE"]


def reduction(claim: Claim):
    """The reduction of ``claim`` that its mechanism declares (facet ``reductions`` of its
    description), or ``None``: a function returning a certifiable claim (or a list of claims,
    each certified as a lemma) that implies it, with the argument in words (or ``None`` when
    the claim is not the statement it reduces).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.certified import reduction
    >>> reduction(claim("ridge.dobriban_wager_optimal_ridge")) is not None
    True
    >>> reduction(claim("ridge.min_norm_student")) is None
    True
    """
    from theory import catalogue

    owner = catalogue.owner(claim.id)
    if owner is None or owner.reductions is None:
        return None
    return owner.facet("reductions").get(claim.id)


def certify(claim: Claim, boxes: int = BOXES, seconds: float | None = SECONDS) -> RouteResult:
    """Branch and bound over the claim's region (see the module docs).

    Parameters
    ----------
    claim : Claim
    boxes : int
        Budget: boxes split at most. The verdict depends on the claim and this budget only, so
        it is the same on any machine and under any load.
    seconds : float, optional
        A wall-time limit (none by default). A run it stops is ``inconclusive`` and its detail
        says that the time limit, not the box budget, stopped it (such a verdict depends on the
        machine).

    Returns
    -------
    RouteResult
        ``certified``, ``refuted`` (counterexample confirmed), ``inconclusive`` (undecided boxes
        listed, ``certified_fraction`` of the volume) or ``unavailable``.

    Examples
    --------
    >>> from sympy import Interval
    >>> from theory import quantity
    >>> from theory.claims import Claim
    >>> from proofs_check.certified import certify
    >>> c = Claim(quantity("mp.shrinkage_v") >= quantity("mp.shrinkage_u") ** 2,
    ...           region={"lam": Interval(0, 10**6), "gamma": Interval(10**-3, 10**3)})
    >>> r = certify(c)
    >>> r.status, r.boxes
    ('certified', 1)
    """
    reduce = reduction(claim)
    reduced = reduce(claim) if reduce is not None else None
    if claim.kind in ("exists", "iff") and reduced is None:
        from proofs_check import certified_witness

        route = certified_witness.existence if claim.kind == "exists" else \
            certified_witness.threshold
        return route(claim, max(1, boxes // WITNESS_SHARE))
    if reduced is not None:
        stronger, why = reduced
        if isinstance(stronger, (list, tuple)):
            return _by_reduced_claims(claim, stronger, why, boxes, seconds)
        result = certify(stronger, boxes=boxes, seconds=seconds)
        result.claim = claim.id
        result.lemmas = [stronger.id] + list(result.lemmas or [])
        if result.status != "certified":  # a negative cofactor does not refute the claim
            result.status, result.counterexample = "inconclusive", None
        result.detail = f"via {stronger.id}: {why}; {result.detail}"
        return result
    lemmas = min_lemmas(claim)
    if lemmas:
        return _by_min_lemmas(claim, lemmas, boxes, seconds)
    lemmas = square_lemmas(claim)
    if lemmas:
        proved = _by_lemmas(claim, lemmas, boxes, seconds)
        if proved is not None:
            return proved
    return certify_forall(claim, boxes=boxes, seconds=seconds)


def _by_reduced_claims(claim: Claim, lemmas, why: str, boxes, seconds):
    """A reduction to several claims that together imply ``claim``: certified when every one
    is (the budget shared), otherwise inconclusive with their results (a counterexample to a
    stronger claim does not refute ``claim``)."""
    start = time.perf_counter()
    share = max(1, boxes // len(lemmas))
    results = [certify(lemma, boxes=share, seconds=seconds) for lemma in lemmas]
    words = "; ".join(f"{lemma.id}: {r.status} ({r.boxes or 0} box(es))"
                      for lemma, r in zip(lemmas, results))
    result = RouteResult(claim.id, "certified", "inconclusive",
                         boxes=sum(r.boxes or 0 for r in results),
                         evaluations=sum(r.evaluations or 0 for r in results),
                         lemmas=[lemma.id for lemma in lemmas])
    if all(r.status == "certified" for r in results):
        result.status, result.certified_fraction = "certified", 1.0
    else:
        fractions = [r.certified_fraction for r in results if r.certified_fraction is not None]
        result.certified_fraction = min(fractions) if fractions else None
    result.detail = f"via {len(lemmas)} lemmas: {why}; {words}"
    result.seconds = time.perf_counter() - start
    return result


def _by_lemmas(claim: Claim, lemmas, boxes, seconds):
    """Certify each lemma first; the claim's certificate if all are certified, else ``None``."""
    start = time.perf_counter()
    results = []
    for lemma in lemmas:
        results.append(certify_forall(lemma, boxes=boxes, seconds=seconds))
        if results[-1].status != "certified":
            return None
    result = RouteResult(claim.id, "certified", "certified", certified_fraction=1.0,
                         boxes=sum(r.boxes for r in results),
                         evaluations=sum(r.evaluations for r in results),
                         lemmas=[lemma.id for lemma in lemmas])
    result.seconds = time.perf_counter() - start
    result.detail = ("the margin is sum_k s_k g_k with each s_k a product of even powers (>= 0) "
                     "and each lemma g_k >= 0 certified: " + "; ".join(
                         f"{lemma.id}: {r.boxes} box(es)" for lemma, r in zip(lemmas, results)))
    return result


def _by_min_lemmas(claim: Claim, lemmas, boxes, seconds):
    """A margin ``Min(g_1, ..., g_n)``: certified when every lemma ``g_k >= 0`` is, refuted by a
    lemma's counterexample (a point where ``g_k < 0`` is one where the minimum is), otherwise
    inconclusive with the lemmas' results. The budget is shared: each lemma gets ``boxes``
    divided by the number of lemmas (at least one)."""
    start = time.perf_counter()
    share = max(1, boxes // len(lemmas))
    results = [certify(lemma, boxes=share, seconds=seconds) for lemma in lemmas]
    result = RouteResult(claim.id, "certified", "inconclusive",
                         boxes=sum(r.boxes or 0 for r in results),
                         evaluations=sum(r.evaluations or 0 for r in results),
                         lemmas=[lemma.id for lemma in lemmas])
    words = "; ".join(f"{lemma.id}: {r.status} ({r.boxes or 0} box(es))"
                      for lemma, r in zip(lemmas, results))
    refuted = [r for r in results if r.status == "refuted"]
    if refuted:
        point = dict(refuted[0].counterexample)
        for name, value in claim.region.items():  # the minimum is < 0 whatever the others are
            if name not in point and isinstance(value, sympy.Interval):
                inside = value.start if value.contains(value.start) else \
                    (value.start + value.end) / 2
                point[name] = exact_text(inside)
        result.status, result.counterexample = "refuted", point
        result.detail = f"an argument of the minimum is negative: {refuted[0].detail}; {words}"
    elif all(r.status == "certified" for r in results):
        result.status, result.certified_fraction = "certified", 1.0
        result.detail = ("the margin is the minimum of its arguments, each certified "
                         f"{'> 0' if claim.strict else '>= 0'} as a lemma: {words}")
    elif any(r.status == "unavailable" for r in results):
        result.status = "unavailable"
        result.detail = f"the margin is a minimum and a lemma is unavailable: {words}; " + \
            "; ".join(r.detail for r in results if r.status == "unavailable")
    else:
        fractions = [r.certified_fraction for r in results if r.certified_fraction is not None]
        result.certified_fraction = min(fractions) if fractions else None
        result.detail = f"the margin is a minimum; its lemmas: {words}"
    result.seconds = time.perf_counter() - start
    return result


def certified(claim: Claim, boxes: int = BOXES, seconds: float | None = SECONDS,
              **_) -> RouteResult:
    """The route ``certified`` (in :data:`proofs_check.routes.ROUTES`, imported on first use).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.certified import certified
    >>> certified(claim("ridge.min_norm_student")).status
    'unavailable'
    """
    return certify(claim, boxes=boxes, seconds=seconds)

