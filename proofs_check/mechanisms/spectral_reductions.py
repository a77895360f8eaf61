r"""Spectral pre-training, reductions for the certified route: the budget claim branch by branch.

``spectral.budget_iff_overlap`` says ``(eta2^2 - s^2)(1/gamma_u - N) >= 0`` with ``eta2^2`` a
``Piecewise`` at the BBP point ``gamma_u = spike^2``. The interval enclosure of a ``Piecewise``
takes the hull of the branches whose condition may hold, so on the boxes the curve crosses the
branch below BBP is evaluated where it does not apply (and is negative there), and those boxes
never close. The claim's proof (:func:`theory.spectral._prove_budget`) writes each branch so its
sign is manifest; :func:`budget_reduction` does the same, exactly, on the whole box:

* above BBP, ``eta2^2 - s^2 = (1/N - gamma_u)(1 + spike s^2)/(spike (spike + gamma_u))`` and
  ``1/gamma_u - N = (1/N - gamma_u) N/gamma_u``: the branch is
  ``(1/N - gamma_u)^2 N (1 + spike s^2)/(gamma_u spike (spike + gamma_u))``, ``>= 0`` everywhere;
* below (``gamma_u >= spike^2``), the branch is ``s^2 (N - 1/gamma_u)`` with
  ``N - 1/gamma_u = s^2 (1 + spike)/(spike^2 (1 - s^2)) + (gamma_u - spike^2)/(spike^2 gamma_u)``,
  and ``gamma_u - spike^2`` is written ``max(gamma_u - spike^2, 0)``, equal to it where the branch
  applies and ``>= 0`` on any box.

SymPy checks both branch identities when the reduction is built.

Examples
--------
>>> from theory.claims import claim
>>> from proofs_check.mechanisms.spectral_reductions import budget_reduction
>>> form, why = budget_reduction(claim("spectral.budget_iff_overlap"))
>>> form.id
'spectral.budget_iff_overlap.branches'
"""

from __future__ import annotations

import sympy

from theory.claims import Claim

__all__ = ["REDUCTIONS", "budget_reduction"]


def _branches():
    from theory.spectral import eta2_min, gamma_u, overlap2_above, spike

    s2 = eta2_min**2
    N = (1 + spike * s2) / (spike**2 * (1 - s2))
    above = (1 / N - gamma_u) ** 2 * N * (1 + spike * s2) / (gamma_u * spike * (spike + gamma_u))
    below = s2 * (s2 * (1 + spike) / (spike**2 * (1 - s2))
                  + sympy.Max(gamma_u - spike**2, 0) / (spike**2 * gamma_u))
    checks = [
        sympy.cancel(sympy.together((overlap2_above - s2) * (1 / gamma_u - N) - above)) == 0,
        sympy.cancel(sympy.together(
            -s2 * (1 / gamma_u - N) - below.xreplace({below.atoms(sympy.Max).pop():
                                                      gamma_u - spike**2}))) == 0,
    ]
    if not all(checks):  # pragma: no cover - guards the identities
        raise ValueError(f"a branch identity of the budget claim does not hold: {checks}")
    return sympy.Piecewise((above, gamma_u < spike**2), (below, True))


def budget_reduction(claim: Claim):
    """The budget claim with each branch in its manifest form (module docs), or ``None`` when
    ``claim`` is not the registered statement (a mutant keeps the id only).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.spectral_reductions import budget_reduction
    >>> c = claim("spectral.budget_iff_overlap")
    >>> budget_reduction(c.replace(margin=-c.margin)) is None
    True
    """
    from theory.claims import claim as registered

    original = registered("spectral.budget_iff_overlap")
    if (claim.kind != "forall" or claim.margin != original.margin or claim.region != original.region
            or claim.assumptions != original.assumptions):
        return None
    stronger = Claim(sympy.GreaterThan(_branches(), 0, evaluate=False), id=f"{claim.id}.branches",
                     statement="the margin with each branch of eta2^2 in its manifest form "
                               "(SymPy: the same function)",
                     source=f"reduction of {claim.id}", region=claim.region)
    return stronger, ("each branch of the margin rewritten exactly (SymPy): above BBP (1/N - "
                      "gamma_u)^2 N (1 + spike s^2)/(gamma_u spike (spike + gamma_u)), below it "
                      "s^2 (s^2 (1 + spike)/(spike^2 (1 - s^2)) + max(gamma_u - spike^2, 0)/"
                      "(spike^2 gamma_u))")


#: Claims whose margin is not certifiable as such, by id (see :mod:`proofs_check.certified`).
REDUCTIONS = {"spectral.budget_iff_overlap": budget_reduction}
