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

from proofs_check.mechanisms.spectral_reductions import REDUCTIONS as SPECTRAL_REDUCTIONS
from theory.claims import Claim

__all__ = ["escape_reduction", "psc_reduction", "step_reduction", "psc_step_reduction",
           "REDUCTIONS"]


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


def _same(a, b) -> bool:
    """``a == b`` by SymPy's expand, each square root's argument with its numeric factor taken
    out first (``sqrt(2 - 2 x)`` becomes ``sqrt(2) sqrt(1 - x)``, exact for any ``x``)."""
    def pulled(e):
        return e.replace(lambda x: x.is_Pow and x.exp == sympy.Rational(1, 2),
                         lambda x: sympy.sqrt(sympy.factor_terms(x.base)))
    return sympy.expand(pulled(a) - pulled(b)) == 0


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


def psc_reduction(claim: Claim):
    """Perturbed strong convexity through Cauchy-Schwarz in half-angle coordinates.

    The margin is ``G(q) R`` with ``R = |m| e beta - m <x - v0, w - v0>`` (``e = ||x - v0||``,
    ``beta = ||w - v0||``, ``m = m0(q, rho_w, nu)``; both identities checked by SymPy's expand),
    and ``G >= 0`` on the region (its coefficients in ``q`` are products of links, ``>= 0`` there).
    ``R >= |m| (e beta - |<x - v0, w - v0>|) >= 0`` once ``e^2 beta^2 - <x - v0, w - v0>^2 >= 0``.
    That difference holds ``sqrt((1 - q^2)(1 - rho_w^2))``; with ``q = (1 - u^2)/(1 + u^2)``,
    ``rho_w = (1 - v^2)/(1 + v^2)`` (``u, v >= 0`` cover ``(-1, 1]``) it is rational, SymPy
    factors it to ``16 u^2 v^2 P/((1 + u^2)^2 (1 + v^2)^2)`` with ``P`` quadratic in ``u``, and
    completing the square gives ``P = (u - nu v)^2 + (1 - nu)(1 + nu)(1 + v^2)``: manifestly
    ``>= 0`` for ``|nu| <= 1``. Written back in ``q, rho_w`` (``u = sqrt((1 - q)/(1 + q))``) it is
    the lemma certified; the identity with the difference is checked by SymPy in ``u, v``.

    Returns
    -------
    tuple of (Claim, str) or None
        The lemma claim and the argument in words; ``None`` when the claim is not the registered
        statement (a mutant keeps its id, not its margin).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.single_index_reductions import psc_reduction
    >>> lemma, why = psc_reduction(claim("single_index.perturbed_strong_convexity"))
    >>> sorted(lemma.region)
    ['nu', 'q', 'rho_w']
    """
    from theory import single_index as si
    from theory.single_index_central import psc_margin
    from theory.single_index_dynamics import nu, placed_m
    from theory.spectral import rho_w

    q = si.q
    if (claim.kind != "forall" or claim.identity or claim.assumptions
            or claim.margin != psc_margin()):
        return None
    slope = si.weak_slope
    factors = list(sympy.Mul.make_args(sympy.factor_terms(claim.margin)))
    for f in sympy.Mul.make_args(sympy.factor_terms(slope)):  # 2 (b1 c1 + 2 b2 c2 q + ...)
        if f not in factors:
            return None  # pragma: no cover - G is not a factor
        factors.remove(f)
    cofactor = sympy.Mul(*factors)
    m0 = placed_m(q, rho_w, nu)
    e2, beta2, inner = 2 * (1 - m0), 2 * (1 - rho_w), q - m0 - rho_w + 1
    schwarz = sympy.Abs(m0) * sympy.sqrt(e2) * sympy.sqrt(beta2) - m0 * inner
    if not (_same(claim.margin, slope * cofactor) and _same(cofactor, schwarz)):
        return None  # pragma: no cover - guards the factorisation
    links = [x for x in (*si.c, *si.b) if x in slope.free_symbols]
    region = claim.region
    nonneg = {x: sympy.Symbol(x.name, nonnegative=True) for x in (*links, q)}
    if not (all(isinstance(region[x.name], sympy.Interval) and region[x.name].start >= 0
                for x in (*links, q))
            and all(k.is_nonnegative for k in sympy.Poly(slope.xreplace(nonneg),
                                                         nonneg[q]).coeffs())
            and region["nu"].is_subset(sympy.Interval(-1, 1))
            and region[q.name].is_subset(sympy.Interval(0, 1))
            and region[rho_w.name].is_subset(sympy.Interval(0, 1))):
        return None
    u, v = sympy.symbols("u v", positive=True)
    half = {q: (1 - u**2) / (1 + u**2), rho_w: (1 - v**2) / (1 + v**2)}
    gram = sympy.expand(e2 * beta2 - inner**2)
    gram_uv = sympy.factor(sympy.simplify(gram.xreplace(half)))
    numerator, denominator = sympy.fraction(gram_uv)
    quadratic = [f for f in sympy.Mul.make_args(numerator) if f.has(nu)]
    if len(quadratic) != 1 or sympy.degree(quadratic[0], u) != 2:
        return None  # pragma: no cover - guards the factorisation
    a, b, c = sympy.Poly(quadratic[0], u).all_coeffs()
    completed = a * (u + b / (2 * a)) ** 2 + sympy.factor(c - b**2 / (4 * a))
    form = numerator.xreplace({quadratic[0]: completed}) / denominator
    if not a.is_positive or sympy.cancel(form - gram_uv) != 0:
        return None  # pragma: no cover - guards the rewriting
    lemma_margin = form.xreplace({u: sympy.sqrt((1 - q) / (1 + q)),
                                  v: sympy.sqrt((1 - rho_w) / (1 + rho_w))})
    if sympy.cancel(sympy.simplify(lemma_margin.xreplace(half)) - gram_uv) != 0:
        return None  # pragma: no cover - guards the change of variables
    lemma = Claim(
        sympy.GreaterThan(lemma_margin, 0, evaluate=False), id=f"{claim.id}.cauchy_schwarz",
        statement="||x - v0||^2 ||w - v0||^2 - <x - v0, w - v0>^2 >= 0, in half-angle "
        "coordinates with the square completed",
        source=f"factored by SymPy ({claim.id})",
        region={n: region[n] for n in (q.name, rho_w.name, "nu")})
    why = ("the margin is G(q) (|m| e beta - m <x - v0, w - v0>) with G >= 0 on the region "
           "(SymPy), which is >= |m| G (e beta - |<x - v0, w - v0>|) >= 0 once e^2 beta^2 >= "
           "<x - v0, w - v0>^2 (Cauchy-Schwarz, certified in half-angle coordinates "
           "q = (1 - u^2)/(1 + u^2), rho_w = (1 - v^2)/(1 + v^2))")
    return lemma, why


def step_reduction(claim: Claim):
    """The GD overlap claim in the one variable ``a = eta G(q)`` that the map depends on.

    The margin ``q' - q`` of one exact reduced GD step depends on ``eta`` and the links only
    through ``a = eta G(q)`` (SymPy: substituting ``eta = a/G`` leaves ``q`` and ``a`` alone).
    Under (A1) (links ``>= 0`` on the region, ``q in [0, 1]``) ``G`` and ``G'`` have non-negative
    coefficients, so ``0 <= G(q) <= G(1)``, and ``eta <= 1/G(1)`` gives ``a in [0, 1]``; at
    ``a = 0`` the margin is exactly 0. The lemma is the claim for ``q in [0, 1]``,
    ``a in (0, 1]`` (written with ``eta`` for ``a``: the map of a link with ``G = 1``).

    Returns
    -------
    tuple of (Claim, str) or None
        The lemma and the argument in words; ``None`` for any other statement (a mutant keeps
        its id, not its margin).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.single_index_reductions import step_reduction
    >>> lemma, why = step_reduction(claim("single_index.gd_overlap_increases"))
    >>> sorted(s.name for s in lemma.margin.free_symbols)
    ['eta', 'q']
    """
    from theory import single_index as si

    q, eta, slope = si.q, si.eta, si.weak_slope
    if (claim.kind != "forall" or claim.identity or claim.strict
            or claim.margin != si.gd_map()[0] - q
            or claim.assumptions != (sympy.Le(eta, 1 / slope.subs(q, 1)),)):
        return None
    lemma_margin = sympy.simplify(claim.margin.xreplace({eta: eta / slope}))
    if not lemma_margin.free_symbols <= {q, eta} or lemma_margin.subs(eta, 0) != 0:
        return None
    if sympy.simplify(lemma_margin.xreplace({eta: eta * slope}) - claim.margin) != 0:
        return None  # pragma: no cover - guards the substitution
    links = [x for x in (*si.c, *si.b) if x in slope.free_symbols]
    nonneg = {x: sympy.Symbol(x.name, nonnegative=True) for x in (*links, q)}
    region = claim.region
    monotone = [sympy.Poly(f.xreplace(nonneg), nonneg[q]).coeffs()
                for f in (slope, sympy.diff(slope, q))]
    if not (all(isinstance(region[x.name], sympy.Interval) and region[x.name].start >= 0
                for x in links)
            and region[q.name].is_subset(sympy.Interval(0, 1))
            and all(k.is_nonnegative for ks in monotone for k in ks)):
        return None
    lemma = Claim(
        sympy.GreaterThan(lemma_margin, 0, evaluate=False), id=f"{claim.id}.one_variable",
        statement="one GD step never decreases q, as a function of a = eta G(q) in (0, 1]",
        source=f"the substitution eta = a/G(q), by SymPy ({claim.id})",
        region={q.name: region[q.name], eta.name: sympy.Interval.Lopen(0, 1)})
    why = ("the margin depends on eta and the links only through a = eta G(q) (SymPy), and "
           "0 <= a <= G(q)/G(1) <= 1 under (A1) (G, G' with non-negative coefficients); at a = 0 "
           "the margin is 0")
    return lemma, why


def psc_step_reduction(claim: Claim):
    """The state-dependent step inequality in ``a = eta G(q)``: four variables instead of twelve.

    The margin depends on ``eta`` and the links only through ``a = eta G(q)`` (SymPy, as for
    :func:`step_reduction`), and the step condition ``eta <= (rho_w + m)/(4 G(q))`` becomes
    ``a <= (rho_w + m)/4 <= 1/2``. The lemma is the inequality over ``q, nu, rho_w`` and
    ``a in (0, 1/2]`` (written with ``eta`` for ``a``) under ``a <= (rho_w + m)/4``; at ``a = 0``
    the margin is exactly 0. (Not yet decided within the default budget: see the docs'
    Certified proofs page.)

    Returns
    -------
    tuple of (Claim, str) or None
        The lemma and the argument in words; ``None`` for any other statement.

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.single_index_reductions import psc_step_reduction
    >>> lemma, why = psc_step_reduction(claim("single_index.psc_step_inequality"))
    >>> sorted(lemma.region)
    ['eta', 'nu', 'q', 'rho_w']
    """
    from theory import single_index as si
    from theory.single_index_central import step_margin

    q, eta, slope = si.q, si.eta, si.weak_slope
    if (claim.kind != "forall" or claim.identity or claim.strict or len(claim.assumptions) != 1
            or claim.margin != step_margin()):
        return None
    (relation,) = claim.assumptions
    if not (isinstance(relation, sympy.LessThan) and relation.lhs == eta):
        return None
    lemma_margin = sympy.simplify(claim.margin.xreplace({eta: eta / slope}))
    bound = sympy.simplify(relation.rhs * slope)
    others = {s.name for s in lemma_margin.free_symbols | bound.free_symbols}
    if not others <= {"q", "nu", "rho_w", "eta"} or eta in bound.free_symbols \
            or sympy.simplify(lemma_margin.subs(eta, 0)) != 0:
        return None
    region = claim.region
    if not (region["nu"].is_subset(sympy.Interval(-1, 1))
            and region["rho_w"].is_subset(sympy.Interval(0, 1))
            and region[q.name].is_subset(sympy.Interval(0, 1))):
        return None  # then rho_w + m <= 2 and a <= 1/2
    lemma = Claim(
        sympy.GreaterThan(lemma_margin, 0, evaluate=False), id=f"{claim.id}.four_variables",
        statement="the step inequality as a function of a = eta G(q), q, nu and rho_w",
        source=f"the substitution eta = a/G(q), by SymPy ({claim.id})",
        region={q.name: region[q.name], "nu": region["nu"], "rho_w": region["rho_w"],
                eta.name: sympy.Interval.Lopen(0, sympy.Rational(1, 2))},
        assumptions=(sympy.Le(eta, bound),))
    why = ("the margin depends on eta and the links only through a = eta G(q) (SymPy) and the "
           "step condition is a <= (rho_w + m)/4 <= 1/2")
    return lemma, why


#: Claims whose margin is not certifiable as such, by id (see
#: :func:`proofs_check.certified.reduction`); the spectral start's are among them.
REDUCTIONS = {**SPECTRAL_REDUCTIONS,
              "single_index.escape_time_law": escape_reduction,
              "single_index.perturbed_strong_convexity": psc_reduction,
              "single_index.gd_overlap_increases": step_reduction,
              "single_index.psc_step_inequality": psc_step_reduction}
