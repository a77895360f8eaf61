"""Hypothesis strategies generated from a claim's region and assumptions.

Parameters are drawn, never matrices. Scale parameters (a range spanning two decades or more,
or starting at 0) are drawn log-uniformly; every range also yields its extremes (an open end is
approached within a relative ``1e-9``). An assumption ``p >= bound(others)`` (or ``>``, ``<``,
``<=``) is met by construction: the others are drawn first and ``p`` is drawn in the part of its
range that satisfies it (often within a factor 2 of the bound, where theorems are sharp), so no
example is rejected.

Recent Hypothesis versions also bias floats toward constants found in the loaded modules, so
the points for a given seed are reproducible within one environment (same versions, same
imports), not across them.

Examples
--------
>>> from hypothesis import find
>>> from theory.claims import claim
>>> from proofs_check.strategies import points
>>> p = find(points(claim("ridge.over_regularised_teacher_never_beaten")), lambda p: True)
>>> sorted(p)
['gamma_s', 'gamma_t', 'lam_s', 'lam_t', 'r2', 'sigma2']
>>> p["lam_t"] >= p["sigma2"] * p["gamma_t"] / p["r2"]
True
"""

from __future__ import annotations


import sympy
from hypothesis import strategies as st

from numerics.evaluate import evaluate_at
from theory.claims import Claim

__all__ = ["points", "interval_values", "OPEN_END"]

#: Relative distance at which an open end of a range is approached.
OPEN_END = 1e-9


def _ends(interval: sympy.Interval) -> tuple[float, float]:
    lo, hi = float(interval.start), float(interval.end)
    if interval.left_open:
        lo = lo + OPEN_END * max(abs(lo), 1.0) if lo != 0 else OPEN_END * max(hi, 1.0) * 1e-3
    if interval.right_open:
        hi = hi - OPEN_END * max(abs(hi), 1.0)
    return lo, hi


def interval_values(interval: sympy.Interval) -> st.SearchStrategy[float]:
    """Floats in ``interval``: its extremes, and log-uniform or uniform values inside.

    Examples
    --------
    >>> from hypothesis import find
    >>> from sympy import Interval
    >>> from proofs_check.strategies import interval_values
    >>> find(interval_values(Interval(0, 10**3)), lambda v: v > 500) > 500
    True
    """
    return _values(*_ends(interval))


def _values(lo: float, hi: float) -> st.SearchStrategy[float]:
    if hi <= lo:
        return st.just(lo)
    extremes = st.sampled_from(sorted({lo, hi}))
    floor = lo if lo > 0 else hi * 1e-8
    # drawn through t in [0, 1], which Hypothesis shrinks toward 0, i.e. toward the low end
    if hi / floor >= 100:
        body = st.floats(0, 1).map(lambda t: min(max(floor * (hi / floor) ** t, lo), hi))
    else:
        body = st.floats(0, 1).map(lambda t: lo + (hi - lo) * t)
    return st.one_of(extremes, body)


def _bounded(interval, relation, bound):
    """Values of the constrained parameter allowed by ``relation`` with the bound evaluated."""
    lo, hi = _ends(interval)
    strict = isinstance(relation, (sympy.StrictGreaterThan, sympy.StrictLessThan))
    above = isinstance(relation, (sympy.GreaterThan, sympy.StrictGreaterThan))
    if above:
        lo = max(lo, (bound * (1 + OPEN_END) if bound else OPEN_END) if strict else bound)
    else:
        hi = min(hi, bound * (1 - OPEN_END) if strict else bound)
    if hi < lo:
        return None
    # theorems are sharp at their assumptions' bounds: also draw within a factor 2 of the bound
    if above:
        near = st.floats(0, 1).map(lambda t: min(lo * (1 + t), hi) if lo > 0 else lo)
    else:
        near = st.floats(0, 1).map(lambda t: max(hi * (1 - t / 2), lo))
    return st.one_of(near, _values(lo, hi))


def points(claim: Claim) -> st.SearchStrategy[dict]:
    """Points of ``claim``'s region satisfying its assumptions, as ``{name: float}``.

    Parameters
    ----------
    claim : Claim

    Returns
    -------
    hypothesis.strategies.SearchStrategy
    """
    constrained = {}
    for relation in claim.assumptions:
        name = relation.lhs.name if isinstance(relation.lhs, sympy.Symbol) else None
        if name is None or name not in claim.region:
            raise ValueError(f"claim {claim.id}: assumption {relation} must isolate a parameter "
                             f"of the region on its left-hand side")
        constrained[name] = relation

    @st.composite
    def draw_point(draw):
        point = {}
        for name in claim.parameters:
            if name in constrained:
                continue
            value = claim.region[name]
            point[name] = (float(value) if not isinstance(value, sympy.Interval)
                           else draw(interval_values(value)))
        for name, relation in constrained.items():
            rhs = relation.rhs
            bound = float(evaluate_at(rhs, point, 20)) if rhs.free_symbols else float(rhs)
            values = _bounded(claim.region[name], relation, bound)
            if values is None:  # the assumption empties the range at this point
                values = st.nothing()
            point[name] = draw(values)
        return point

    return draw_point()
