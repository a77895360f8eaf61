r"""Reductions of the single-index claims for the certified route (facet ``reductions``).

``single_index.escape_time_law`` says ``T(q0 -> q1) >= (sqrt(d) - 1/q1)/G(1)`` with
``q0 = d^(-1/2)`` and ``T = int_{q0}^{q1} dq/(G(q)(1 - q^2))`` (arXiv:2605.05710, failure of
random initialisation; derived in w2s-theory, docs/single-index.md). The bound is itself an
integral over the same range, ``(1/q0 - 1/q1)/G(1) = int_{q0}^{q1} dq/(G(1) q^2)`` (SymPy
integrates and the difference simplifies to 0), so the claim follows from the pointwise inequality
of the integrands

    1/(G(q)(1 - q^2)) - 1/(G(1) q^2) >= 0   for q between the least q0 and the largest q1

(with ``q0 <= q1`` on the whole region), a claim of the links and ``q`` alone: the dimension drops
out. Over the box of ``d`` the margin itself is a difference of two quantities of order
``sqrt(d)`` whose enclosures cancel badly; the integrand's does not.

Examples
--------
>>> from theory.claims import claim
>>> from proofs_check.mechanisms.single_index_reductions import escape_reduction
>>> lemma, why = escape_reduction(claim("single_index.escape_time_law"))
>>> sorted(lemma.region)
['b3', 'b4', 'c3', 'c4', 'q']
"""

from __future__ import annotations

import sympy

from theory.claims import Claim

__all__ = ["escape_reduction", "REDUCTIONS"]


def escape_reduction(claim: Claim):
    """The escape-time law through the pointwise comparison of integrands (see the module docs).

    Returns ``None`` when the claim's margin is not ``EscapeTime(q0, q1, links) - B`` with ``B``
    the integral of ``1/(G(1) q^2)`` from ``q0`` to ``q1`` (a mutant keeps its id, not its
    margin), or when ``q0 <= q1`` does not hold on the whole region.

    Returns
    -------
    tuple of (Claim, str) or None
        The integrand claim and the argument in words.

    Examples
    --------
    >>> from theory.claims import claim
    >>> from theory.single_index_central import escape_margin
    >>> from proofs_check.mechanisms.single_index_reductions import escape_reduction
    >>> mutant = claim("single_index.escape_time_law").replace(
    ...     margin=escape_margin(power=1))
    >>> escape_reduction(mutant) is None
    True
    """
    from theory import single_index as si
    from theory.single_index_dynamics import EscapeTime

    if claim.kind != "forall" or claim.identity or claim.assumptions or claim.strict:
        return None
    times = [a for a in sympy.Add.make_args(claim.margin) if isinstance(a, EscapeTime)]
    if len(times) != 1:
        return None
    time = times[0]
    bound = time - claim.margin
    q0, q1, *links = time.args
    qq = sympy.Dummy("q", positive=True)
    fixed = dict(zip((*si.c, *si.b), links))
    slope = si.weak_slope.xreplace(fixed)
    comparison = 1 / (slope.subs(si.q, 1) * qq**2)
    if sympy.simplify(sympy.integrate(comparison, (qq, q0, q1)) - bound) != 0:
        return None
    q_range = _range(q0, claim.region), _range(q1, claim.region)
    if None in q_range or not bool(q_range[0].end <= q_range[1].start):
        return None
    lemma_region = {s.name: claim.region[s.name] for s in slope.free_symbols if s != si.q}
    lemma_region[si.q.name] = sympy.Interval(q_range[0].start, q_range[1].end)
    difference = 1 / (slope * (1 - si.q**2)) - comparison.xreplace({qq: si.q})
    # one fraction, its numerator collected on the products c_j b_j of the links: then
    # 3 b3 c3 q^2 + b4 c4 (4 q^3 - 4 q + 4), whose enclosure keeps each product once
    numerator, denominator = sympy.fraction(sympy.factor(sympy.together(difference)))
    pairs = [cj * bj for cj, bj in zip(si.c, si.b)]
    collected = sympy.collect(sympy.expand(-numerator), pairs) / (-denominator)
    if sympy.cancel(collected - difference) != 0:  # pragma: no cover - guards the rewriting
        return None
    lemma = Claim(
        sympy.GreaterThan(collected, 0, evaluate=False),
        id=f"{claim.id}.integrands",
        statement="the escape time's integrand 1/(G(q)(1 - q^2)) is at least 1/(G(1) q^2)",
        source=f"the integral of the bound, by SymPy ({claim.id})", region=lemma_region)
    why = (f"the bound is int_q0^q1 dq/(G(1) q^2) (SymPy integrates) and q0 <= q1 on the region, "
           f"so the claim follows from 1/(G(q)(1 - q^2)) >= 1/(G(1) q^2) for q in "
           f"{lemma_region[si.q.name]}")
    return lemma, why


def _range(expr, region):
    """The exact range of ``expr`` (monotone in its one parameter) over the region, or ``None``."""
    free = list(expr.free_symbols)
    if not free:
        return sympy.Interval(expr, expr)
    if len(free) != 1 or not isinstance(region.get(free[0].name), sympy.Interval):
        return None
    x, box = free[0], region[free[0].name]
    ends = [expr.subs(x, box.start), expr.subs(x, box.end)]
    derivative = sympy.diff(expr, x)
    inside = sympy.Symbol("x", positive=True)
    sign = sympy.simplify(derivative.subs(x, box.start + inside))
    if not (sign.is_positive or sign.is_negative):
        return None
    return sympy.Interval(min(ends), max(ends))


#: Claims whose margin is not certifiable as such, by id (see
#: :func:`proofs_check.certified.reduction`).
REDUCTIONS = {"single_index.escape_time_law": escape_reduction}
