"""The certified route's reductions of ``interaction.population_gain_superadditive`` and
``interaction.gains_not_additive_in_zeta2`` (the latter: :func:`slope_reduction`).

The excess ``G_12 - G_1 - G_2 = (G + D)^2/(B - t^2) - G^2/B - D^2/(B - t^2)`` is tight at
``zeta = 0`` and at ``lam_t = sigma2 gamma_t / r2`` (``G = 0``), so boxes along those faces never
close on the difference of three gains. SymPy writes it (in the symbols ``G, D, B, t``, then with
the claim's own ``G = B - A``, ``D``, ``B``, ``t`` substituted: the same expression tree) as

    2 G D/E + G^2 t^2/(B E),   E = B - t^2 = r2 (1 - zeta^2)(1 - u_t)^2 + r2 (v_t - u_t^2)
                                            + sigma2 gamma_t w_t,

with ``G = w_t (sigma2 gamma_t - r2 lam_t)`` and ``B = r2 ((1 - u_t)^2 + (v_t - u_t^2)) + sigma2
gamma_t w_t`` (each checked by ``expand``): a sum of non-negative terms under the assumption,
which the route certifies in one box.

Examples
--------
>>> from theory.claims import claim
>>> from proofs_check.certified import certify
>>> r = certify(claim("interaction.population_gain_superadditive"))
>>> r.status, r.boxes
('certified', 1)
"""

from __future__ import annotations

import sympy

from theory.claims import Claim

__all__ = ["superadditive_reduction", "slope_reduction", "REDUCTIONS"]


def _parts():
    """``G = B - A``, ``D = zeta^2 r2 u_t (1 - u_t)`` and ``t = zeta sqrt(r2) (1 - u_t)``, built
    as :mod:`theory.interaction` builds them (so the claim's margin is the same tree)."""
    from types import SimpleNamespace

    from theory.ridge import overlap_A, overlap_B, u_t
    from theory.symbols import r2, zeta
    from theory.weighted_ridge import teacher_alignment

    return SimpleNamespace(_G=overlap_B - overlap_A, _D=zeta**2 * r2 * u_t * (1 - u_t),
                           _t=teacher_alignment)


def superadditive_reduction(claim: Claim):
    """The excess of the gains in its non-negative closed form (see the module docs).

    Returns ``None`` unless the claim's margin is ``G_12 - G_1 - G_2`` and its assumption
    ``lam_t <= sigma2 gamma_t / r2``.

    Returns
    -------
    tuple of (Claim, str) or None

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.interaction_reduction import superadditive_reduction
    >>> reduced, why = superadditive_reduction(claim("interaction.population_gain_superadditive"))
    >>> reduced.assumptions == claim("interaction.population_gain_superadditive").assumptions
    True
    """
    from theory.ridge import lam_star, overlap_A, overlap_B, u_t, v_t, w_t
    from theory.symbols import gamma_t, lam_t, r2, sigma2, zeta

    it = _parts()

    if (claim.kind != "forall" or claim.identity or claim.strict
            or tuple(claim.assumptions) != (sympy.Le(lam_t, lam_star),)):
        return None
    G, D, B, t = sympy.symbols("G D B t")
    excess = (G + D) ** 2 / (B - t**2) - G**2 / B - D**2 / (B - t**2)
    closed = 2 * G * D / (B - t**2) + G**2 * t**2 / (B * (B - t**2))
    if (claim.margin != excess.xreplace({G: it._G, D: it._D, B: overlap_B, t: it._t})
            or sympy.cancel(excess - closed) != 0):
        return None
    gap = w_t * (sigma2 * gamma_t - r2 * lam_t)
    positive_B = r2 * ((1 - u_t) ** 2 + (v_t - u_t**2)) + sigma2 * gamma_t * w_t
    positive_E = (r2 * (1 - zeta**2) * (1 - u_t) ** 2 + r2 * (v_t - u_t**2)
                  + sigma2 * gamma_t * w_t)
    if (sympy.expand(overlap_B - overlap_A - gap) != 0
            or sympy.expand(overlap_B - positive_B) != 0
            or sympy.expand(overlap_B - it._t ** 2 - positive_E) != 0):  # pragma: no cover
        return None
    form = (2 * gap * it._D / positive_E
            + gap**2 * it._t ** 2 / (positive_B * positive_E))
    reduced = Claim(sympy.GreaterThan(form, 0), id=f"{claim.id}.closed_form",
                    statement="2 G D/(B - t^2) + G^2 t^2/(B (B - t^2)) >= 0",
                    source=f"rewritten by SymPy ({claim.id})", region=claim.region,
                    assumptions=claim.assumptions)
    why = ("SymPy: G_12 - G_1 - G_2 = 2 G D/(B - t^2) + G^2 t^2/(B (B - t^2)) with G = w_t "
           "(sigma2 gamma_t - r2 lam_t), B and B - t^2 as sums of non-negative terms; that form "
           "certified >= 0")
    return reduced, why


def slope_reduction(claim: Claim):
    """The first-order term in ``zeta^2`` through its factor ``G``.

    The theory's slope ``2 G r2 u_t (1 - u_t)/B + G^2 r2 (1 - u_t)^2/B^2`` (checked against the
    claim's margin by ``expand``, the functionals held as atoms) is ``G C`` with ``G = w_t
    (sigma2 gamma_t - r2 lam_t) > 0`` under the strict assumption ``lam_t < sigma2 gamma_t /
    r2`` (``w_t > 0``, positivity lemma): ``C = 2 r2 u_t (1 - u_t)/B + G r2 (1 - u_t)^2/B^2`` is
    certified ``> 0`` on the region with the *closed* assumption, so the open face where the
    slope tends to 0 needs no band. Returns ``None`` unless the margin is that slope and the
    assumption ``lam_t < sigma2 gamma_t / r2``.

    Returns
    -------
    tuple of (Claim, str) or None

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.interaction_reduction import slope_reduction
    >>> reduced, why = slope_reduction(claim("interaction.gains_not_additive_in_zeta2"))
    >>> reduced.assumptions
    (lam_t <= gamma_t*sigma2/r2,)
    """
    from theory.ridge import lam_star, overlap_B, u_t, v_t, w_t
    from theory.symbols import gamma_t, lam_t, r2, sigma2

    it = _parts()

    if (claim.kind != "forall" or claim.identity or not claim.strict
            or tuple(claim.assumptions) != (sympy.Lt(lam_t, lam_star),)):
        return None
    expected = (2 * it._G * r2 * u_t * (1 - u_t) / overlap_B
                + it._G**2 * r2 * (1 - u_t) ** 2 / overlap_B**2)
    gap = w_t * (sigma2 * gamma_t - r2 * lam_t)
    difference = claim.margin - expected
    atoms = {f: sympy.Dummy() for f in difference.atoms(sympy.Function)}
    if (sympy.cancel(difference.xreplace(atoms)) != 0
            or sympy.expand(it._G - gap) != 0):
        return None
    positive_B = r2 * ((1 - u_t) ** 2 + (v_t - u_t**2)) + sigma2 * gamma_t * w_t
    if sympy.expand(overlap_B - positive_B) != 0:  # pragma: no cover - guards the algebra
        return None
    cofactor = (2 * r2 * u_t * (1 - u_t) / positive_B
                + gap * r2 * (1 - u_t) ** 2 / positive_B**2)
    reduced = Claim(sympy.StrictGreaterThan(cofactor, 0), id=f"{claim.id}.cofactor",
                    statement="C = 2 r2 u_t (1 - u_t)/B + G r2 (1 - u_t)^2/B^2 > 0",
                    source=f"factored by SymPy ({claim.id})", region=claim.region,
                    assumptions=(sympy.Le(lam_t, lam_star),))
    why = ("SymPy: the slope is G C, G = w_t (sigma2 gamma_t - r2 lam_t) > 0 under the "
           "assumption; C certified > 0 with the closed assumption (no band)")
    return reduced, why


#: claim id -> reduction (the facet ``reductions`` of the interaction mechanism).
REDUCTIONS = {"interaction.population_gain_superadditive": superadditive_reduction,
              "interaction.gains_not_additive_in_zeta2": slope_reduction}
