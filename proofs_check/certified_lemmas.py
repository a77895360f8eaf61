r"""Lemmas for the certified route: a claim split into smaller claims, each certified first.

:func:`square_lemmas` writes a polynomial margin as ``sum_k s_k g_k``, where each ``s_k`` is a
monomial in parameters that occur only with even exponents (so ``s_k >= 0``: the squared Hermite
coefficients ``c_j^2`` of a link) and each ``g_k`` depends on the other parameters only. If every
``g_k >= 0`` is certified on the region, so is the margin: the ``g_k`` are the lemmas, each a
claim of lower dimension (``2 (m^3 - 1) + 6 (1 - m) = 2 (m - 1)^2 (m + 2)`` in one variable instead
of a polynomial in five). The result lists the lemmas (``lemmas``).

Examples
--------
>>> from theory.claims import claim
>>> from proofs_check.certified_lemmas import square_lemmas
>>> [sorted(l.region) for l in square_lemmas(claim("single_index.quadratic_envelope"))][:2]
[['m'], ['m']]
"""

from __future__ import annotations

import sympy

from theory.claims import Claim

__all__ = ["square_lemmas", "min_lemmas"]


def min_lemmas(claim: Claim) -> list[Claim] | None:
    """The lemmas ``g_k >= 0`` (``> 0`` for a strict claim) of a margin ``Min(g_1, ..., g_n)``:
    the minimum is ``>= 0`` exactly when every argument is, so the claim holds exactly when every
    lemma does (each over the claim's region and assumptions, on fewer parameters when it can).
    ``None`` when the margin is not a ``Min``.

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.certified_lemmas import min_lemmas
    >>> [sorted(l.region) for l in min_lemmas(claim("multi_index.no_easy_w2s"))][0]
    ['theta']
    """
    if claim.kind != "forall" or claim.identity or not isinstance(claim.margin, sympy.Min):
        return None
    relation = sympy.StrictGreaterThan if claim.strict else sympy.GreaterThan
    lemmas = []
    for k, g in enumerate(claim.margin.args):
        names = {s.name for s in g.free_symbols}
        assumptions = tuple(a for a in claim.assumptions
                            if {s.name for s in a.free_symbols} <= names | set(claim.region))
        used = names | {s.name for a in assumptions for s in a.free_symbols}
        region = {n: v for n, v in claim.region.items() if n in used}
        rel = relation(g, 0, evaluate=False)
        lemmas.append(Claim(rel, id=f"{claim.id}.lemma[min{k + 1}]",
                            statement=f"argument {k + 1} of the minimum in the margin is "
                                      f"{'>' if claim.strict else '>='} 0",
                            source=f"lemma of {claim.id}", region=region,
                            assumptions=assumptions))
    return lemmas


def square_lemmas(claim: Claim) -> list[Claim] | None:
    """The lemma claims ``g_k >= 0`` of the decomposition in the module docs, or ``None`` when
    the margin is not such a polynomial (or the claim is strict, or an assumption involves a
    squared parameter).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.certified_lemmas import square_lemmas
    >>> square_lemmas(claim("ridge.over_regularised_teacher_never_beaten")) is None
    True
    """
    if claim.kind != "forall" or claim.identity or claim.strict:
        return None
    margin = claim.margin
    if margin.atoms(sympy.Function) or any(not p.exp.is_Integer for p in margin.atoms(sympy.Pow)):
        return None
    ranged = [s for s in margin.free_symbols
              if isinstance(claim.region.get(s.name), sympy.Interval)]
    expanded = sympy.expand(margin)
    if not expanded.is_polynomial(*margin.free_symbols):
        return None  # a Min, a square root...
    squares = []
    for s in sorted(ranged, key=lambda x: x.name):
        poly = sympy.Poly(expanded, s)
        if all(e % 2 == 0 for (e,) in poly.monoms()) and poly.degree() > 0:
            squares.append(s)
    used = set().union(*[r.free_symbols for r in claim.assumptions]) if claim.assumptions else set()
    if not squares or set(squares) & used:
        return None
    lemmas = []
    for k, (monomial, cofactor) in enumerate(sorted(sympy.Poly(expanded, *squares).terms(),
                                                     key=lambda t: t[0])):
        cofactor = sympy.factor(cofactor)
        if cofactor.is_number:
            if cofactor < 0:
                return None
            continue
        names = {s.name for s in cofactor.free_symbols}
        if not names <= set(claim.region):
            return None
        region = {n: v for n, v in claim.region.items() if n in names}
        assumptions = tuple(a for a in claim.assumptions
                            if {s.name for s in a.free_symbols} <= names)
        label = "*".join(f"{s}^{e}" for s, e in zip(squares, monomial) if e) or "1"
        relation = sympy.GreaterThan(cofactor, 0)
        if relation is sympy.true:  # SymPy's sign rules decide it from the parameters' domains
            continue
        if relation is sympy.false:
            return None
        lemmas.append(Claim(relation, id=f"{claim.id}.lemma[{label}]",
                            statement=f"the coefficient of {label} in the margin is >= 0",
                            source=f"lemma of {claim.id}", region=region,
                            assumptions=assumptions))
    return lemmas or None
