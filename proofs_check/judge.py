"""Deciding a claim at one exact point: the judge that the sampled and Monte Carlo routes share.

Examples
--------
>>> from fractions import Fraction as F
>>> from theory.claims import claim
>>> from proofs_check.judge import Judge
>>> decision = Judge(claim("ridge.over_regularised_teacher_never_beaten"))(
...     {"lam_s": F(1), "gamma_s": F(1, 2), "lam_t": F(1), "gamma_t": F(1, 2), "sigma2": F(1),
...      "r2": F(1)})
>>> decision.verdict, decision.worst > 0
('ok', True)
"""

from __future__ import annotations

import math
from typing import NamedTuple, Optional

import mpmath

from numerics import ParameterError
from numerics.evaluate import Compiled
from numerics.exact_sign import exact_sign
from proofs_check.strategies import Bound
from theory.claims import Claim

__all__ = ["Judge", "Decision"]


class Decision(NamedTuple):
    """What :class:`Judge` decides at a point.

    ``verdict`` (``"ok"``, ``"refuted"``, ``"inconclusive"``, ``"boundary"`` or ``"outside"``),
    ``worst`` (the margin, or the best margin of the witness search, or the distance to an
    ``iff`` threshold), ``target`` (the value the sampled route's search minimises) and
    ``witness`` (the witness value found, for ``exists`` and ``iff`` claims).
    """

    verdict: str
    worst: float
    target: float
    witness: Optional[float]


class Judge:
    """Decides a claim at one exact point.

    ``judge(point)`` returns a :class:`Decision` ``(verdict, worst, target, witness)`` with
    ``verdict`` one of

    ``"ok"``
        the claim holds at the point;
    ``"refuted"``
        the point is a certified counterexample: it satisfies every assumption exactly and the
        margin's sign contradicting the claim was established at ``dps`` *and* again at the raised
        precision :attr:`raised` (for an existence claim, the witness search was repeated there);
    ``"inconclusive"``
        the margin (or the best margin of the witness search) is zero to the working precision
        even at the raised precision, and it is not an algebraic number whose sign SymPy decides
        exactly (:func:`numerics.exact_sign.exact_sign`: a minimal polynomial and an isolating
        interval): the point is neither support nor a counterexample. A margin decided exactly
        to be 0 holds a non-strict claim, fails a strict one, and is no witness of an existence
        claim;
    ``"boundary"``
        an ``iff`` point on its threshold (within a relative ``1e-8``), where no side is decided;
    ``"outside"``
        the point violates an assumption (never for points of :func:`points`).

    ``Judge(claim, dps, constructed=True)`` is for points built inside the assumptions
    (:func:`proofs_check.strategies.points`, the sampled route): the assumptions are then
    checked only at a point about to be reported as a counterexample.

    A sign is established when the margin at ``dps + EXTRA_DPS`` digits exceeds ``100 err`` in
    magnitude, ``err`` being its difference from the margin at a lower precision (float64
    first, then ``dps`` digits: :meth:`decided`).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from theory.claims import claim
    >>> from proofs_check.judge import Judge
    >>> j = Judge(claim("ridge.under_regularised_teacher_is_beaten"))
    >>> verdict, worst, _, witness = j({"gamma_s": F(1, 2), "lam_t": F(1, 100),
    ...                                 "gamma_t": F(1, 2), "sigma2": F(1), "r2": F(1)})
    >>> verdict, worst < 0, witness > 0
    ('ok', True, True)
    """

    REFINE_STEPS = 40
    BOUNDARY = 1e-8
    EXTRA_DPS = 20

    def __init__(self, claim: Claim, dps: int = 30, constructed: bool = False):
        self.claim, self.dps, self.constructed = claim, dps, constructed
        self.raised = max(2 * dps, dps + 30)
        self.margin = Compiled(claim.margin)
        self.exact_decisions = 0
        self.bounds = [Bound(a) for a in claim.assumptions]
        if claim.condition is not None:
            self.condition = Compiled(claim.condition.lhs - claim.condition.rhs)
            self.threshold = Compiled(claim.condition.rhs)

    def decided(self, f, point, dps):
        """``(value at dps + EXTRA_DPS, tolerance)``: the tolerance from two precisions.

        The lower precision is first float64 (:meth:`Compiled.estimate`, a thousandth of the
        cost): when the value exceeds that looser tolerance its sign is established by one
        high-precision evaluation. Otherwise (a margin within ``1e-14`` or so of zero, relative)
        the value at ``dps`` digits gives the tolerance.
        """
        high = f(point, dps + self.EXTRA_DPS)
        low = f.estimate(point) if dps == self.dps else None
        if low is not None:
            tolerance = 100 * abs(high - low)
            if abs(high) > tolerance:
                return high, tolerance
        low = f(point, dps)
        return high, 100 * abs(high - low)

    def __call__(self, point: dict):
        outside = Decision("outside", math.nan, math.nan, None)
        if not self.constructed:
            if not all(b.holds(point) for b in self.bounds):
                return outside
            return self._decide(point)
        # a point built inside the assumptions (proofs_check.strategies.points) is checked
        # only before it is reported as a counterexample
        decision = self._decide(point)
        if decision.verdict == "refuted" and not all(b.holds(point) for b in self.bounds):
            return outside
        return decision

    def _decide(self, point: dict):
        kind = self.claim.kind
        if kind == "forall":
            return self._forall(point)
        if kind == "exists":
            verdict, m, witness = self.witness(point)
            return Decision({True: "ok", False: "refuted", None: "inconclusive"}[verdict],
                            float(m), float(m), witness)
        c, tol = self.decided(self.condition, point, self.dps)
        scale = 1 + abs(self.threshold(point, self.dps))
        if abs(c) <= max(self.BOUNDARY * scale, tol):
            return Decision("boundary", float(abs(c)), -float(abs(c)), None)
        holds = c > 0
        verdict, m, witness = self.witness(point)
        outcome = "inconclusive" if verdict is None else "ok" if verdict == holds else "refuted"
        return Decision(outcome, float(abs(c)), -float(abs(c)), witness)

    def _forall(self, point):
        identity, strict = self.claim.identity, self.claim.strict
        for dps in (self.dps, self.raised):
            m, tol = self.decided(self.margin, point, dps)
            bad = abs(m) > tol if identity else m < -tol
            if not bad:
                break
        else:
            value = -float(abs(m)) if identity else float(m)
            return Decision("refuted", value, -value, None)
        value = -float(abs(m)) if identity else float(m)
        if dps == self.raised or (strict and abs(m) <= tol):
            # zero to the working precision: decide exactly where the margin is algebraic
            sign = self.exact(point)
            if sign is None:
                return Decision("inconclusive", float(m), -float(m), None)
            holds = sign == 0 if identity else sign > 0 if strict else sign >= 0
            exact = 0.0 if sign == 0 else value
            return Decision("ok" if holds else "refuted", exact, -exact, None)
        return Decision("ok", value, -value, None)

    def exact(self, point):
        """The margin's sign at ``point`` decided exactly (:func:`numerics.exact_sign.exact_sign`),
        or ``None`` when the margin is not an algebraic number there; :attr:`exact_decisions`
        counts the points decided so."""
        try:
            sign = exact_sign(self.claim.margin, point)
        except (ValueError, TypeError, ZeroDivisionError):
            return None
        if sign is not None:
            self.exact_decisions += 1
        return sign

    def witness(self, point):
        """``(verdict, best margin, witness)``: whether some witness makes the margin negative.

        ``True`` when the best margin is negative beyond its error, ``False`` when it is positive
        beyond its error at ``dps`` and again after repeating the search at :attr:`raised`,
        ``None`` (inconclusive) when it is zero to the working precision.
        """
        verdict, m = None, math.inf
        for dps in (self.dps, self.raised):
            m, witness = self.search(point, dps)
            if witness is None:  # no witness value at all (an empty range)
                verdict = False
                continue
            m, tol = self.decided(self.margin, {**point, self.claim.witness: witness}, dps)
            if m < -tol:
                return True, m, witness
            verdict = False if m > tol else None
        if verdict is None:
            # the best margin is zero to the working precision: exactly 0 is not a witness of
            # the strict inequality, and a margin proved negative exactly is one
            sign = self.exact({**point, self.claim.witness: witness})
            if sign is not None:
                verdict = sign < 0
                m = m if sign else mpmath.mpf(0)
        return verdict, m, witness

    def search(self, point: dict, dps: int, stop_below=None):
        """Smallest margin over the witness range: grid on a log scale, then golden refinement.

        Witness values are floats (exact binary rationals); the search stops early on a margin
        below ``stop_below`` (default: far below rounding, ``-10^(10 - dps)``); the Monte Carlo
        route passes ``-inf`` to get the minimiser itself, where the margin is clearest.
        """
        rng = self.claim.witness_range
        name = self.claim.witness
        if rng.is_empty or float(rng.end) <= 0:
            return math.inf, None  # no witness at all
        if stop_below is None:
            stop_below = -(10.0 ** (10 - dps))
        margin = self.margin

        def at(w):
            try:
                return margin({**point, name: w}, dps)
            except ParameterError:  # not finite at this witness (e.g. lam_s = 0, gamma_s = 1)
                return mpmath.inf

        lo, hi = float(rng.start), float(rng.end)
        floor = max(lo, hi * 1e-64)
        decades = max(1, int(math.ceil(math.log10(hi / floor))))
        grid = [floor * (hi / floor) ** (k / decades) for k in range(decades + 1)]
        if lo == 0 and not rng.left_open:
            grid.insert(0, 0.0)
        values = []
        for w in grid:
            values.append(at(w))
            if values[-1] < stop_below:
                return values[-1], w
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
            fc, fd = at(math.exp(c)), at(math.exp(d))
            for _ in range(self.REFINE_STEPS):
                if fc < fd:
                    b, d, fd = d, c, fc
                    c = b - ratio * (b - a)
                    fc = at(math.exp(c))
                else:
                    a, c, fc = c, d, fd
                    d = a + ratio * (b - a)
                    fd = at(math.exp(d))
                if min(fc, fd) < stop_below:
                    break
            for m, t in ((fc, c), (fd, d)):
                if m < best:
                    best, witness = m, math.exp(t)
        return best, witness
