"""The certified route's reduction of the misfit inequality on the realisable ridge population
student (``misfit.ridge_population_realisable``).

Realisability is ``sigma2 >= sigma2_b`` with ``sigma2_b = r2 ((1 + lam_s)^2 - (1 - 2 u_t + v_t))
/ (gamma_t w_t)``. With the population student's ``u = lam_s/(1 + lam_s)``, ``v_s = u^2``, SymPy
checks (``cancel``, the teacher's functionals held as atoms)

    gain - misfit = 2 u (1 - u) gamma_t w_t (sigma2 - sigma2_b) + 2 u r2 (lam_s + u_t):

linear and increasing in ``sigma2``, and ``2 u r2 (lam_s + u_t) >= 0`` at the bound. So the claim
follows from the two coefficients being ``>= 0`` (a minimum of two lemmas, neither of which
depends on ``sigma2``), with no ``max(bound, 0)`` reparametrisation to enclose.

Examples
--------
>>> from theory.claims import claim
>>> from proofs_check.certified import certify
>>> r = certify(claim("misfit.ridge_population_realisable"))
>>> r.status, len(r.lemmas)
('certified', 3)
"""

from __future__ import annotations

import sympy

from theory.claims import Claim

__all__ = ["realisable_reduction", "REDUCTIONS"]


def realisable_reduction(claim: Claim):
    """``gain - misfit = P (sigma2 - sigma2_b) + R``: certify ``min(P, R) >= 0`` instead.

    Returns ``None`` unless the margin has that form (checked by SymPy) and the claim's one
    assumption is ``sigma2 >= sigma2_b``.

    Returns
    -------
    tuple of (Claim, str) or None

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.misfit_reduction import realisable_reduction
    >>> reduced, why = realisable_reduction(claim("misfit.ridge_population_realisable"))
    >>> "sigma2" in reduced.region
    False
    """
    from theory.misfit import realisable_sigma2
    from theory.ridge import u_t as _u_t, w_t as _w_t
    from theory.symbols import gamma_t, lam_s, r2, sigma2

    if (claim.kind != "forall" or claim.identity or claim.strict
            or tuple(claim.assumptions) != (sympy.Ge(sigma2, realisable_sigma2),)):
        return None
    u = lam_s / (1 + lam_s)
    slope = 2 * u * (1 - u) * gamma_t * _w_t
    at_bound = 2 * u * r2 * (lam_s + _u_t)
    difference = claim.margin - (slope * (sigma2 - realisable_sigma2) + at_bound)
    atoms = {f: sympy.Dummy() for f in difference.atoms(sympy.Function)}
    if sympy.cancel(difference.xreplace(atoms)) != 0:
        return None
    region = {n: v for n, v in claim.region.items() if n != "sigma2"}
    reduced = Claim(sympy.GreaterThan(sympy.Min(slope, at_bound), 0),
                    id=f"{claim.id}.coefficients",
                    statement="the slope in sigma2 and the value at the realisability bound "
                              "are >= 0", source=f"factored by SymPy ({claim.id})",
                    region=region)
    why = ("SymPy: gain - misfit = 2 u (1 - u) gamma_t w_t (sigma2 - sigma2_b) + 2 u r2 "
           "(lam_s + u_t), u = lam_s/(1 + lam_s); sigma2 >= sigma2_b is the assumption, and "
           "both coefficients are certified >= 0")
    return reduced, why


#: claim id -> reduction (the facet ``reductions`` of the misfit mechanism).
REDUCTIONS = {"misfit.ridge_population_realisable": realisable_reduction}
