"""The witness function of Theorem 5's converse (the certified route's reduction of
``ridge.under_regularised_teacher_is_beaten``) and the square of the population student's
optimum (the reduction of ``ridge.population_student_optimum``).

For an under-regularised teacher (``lam_t < sigma2 gamma_t / r2``) and ``gamma_s < 1`` some student
beats the teacher; the gain tends to 0 at ``lam_t -> sigma2 gamma_t / r2`` and at ``gamma_s -> 1``,
so no partition with a witness per box reaches those faces. A proof names the witness as a
function of the parameters, ``kappa_s = (1 - gamma_s)(B - A)/B``; SymPy factors the margin there
into factors positive on the claim's region and one cofactor, certified on the closed region.

Examples
--------
>>> from theory.claims import claim
>>> from proofs_check.certified import certify
>>> r = certify(claim("ridge.under_regularised_teacher_is_beaten"))
>>> r.status, r.boxes, r.band
('certified', 1, None)
"""

from __future__ import annotations

import sympy

from theory.claims import Claim

__all__ = ["teacher_gap_ratio", "under_regularised_witness", "under_regularised_reduction",
           "population_optimum_reduction"]


def _closed(interval):
    return sympy.Interval(interval.start, interval.end)


def _positive(value) -> bool:
    low = value.start if isinstance(value, sympy.Interval) else value
    return value is not None and bool(low > 0)


def _nonnegative(value) -> bool:
    low = value.start if isinstance(value, sympy.Interval) else value
    return value is not None and bool(low >= 0)


def teacher_gap_ratio():
    """``(B - A)/B`` in a form with non-negative terms that stays finite where ``w_t`` does not.

    ``B - A = w_t (sigma2 gamma_t - r2 lam_t)`` and ``B / w_t = r2 ((1 - u_t)^2 / w_t + gamma_t
    u_t^2) + sigma2 gamma_t`` (checked by SymPy in kappa coordinates by the reductions that use
    it), so ``(B - A)/B = (sigma2 gamma_t - r2 lam_t) / (r2 ((1 - u_t)^2/w_t + gamma_t u_t^2) +
    sigma2 gamma_t)``: at ``gamma_t = 1, lam_t = 0`` the teacher's risk is not finite but this is.

    Examples
    --------
    >>> from sympy import Symbol
    >>> from theory.marchenko_pastur import in_kappa
    >>> from theory.ridge import overlap_A, overlap_B
    >>> from theory.symbols import gamma_t, lam_t
    >>> from proofs_check.mechanisms.ridge_witness import teacher_gap_ratio
    >>> k = Symbol("k", positive=True)
    >>> in_kappa(teacher_gap_ratio() - (overlap_B - overlap_A) / overlap_B, lam_t, gamma_t, k)
    0
    """
    from theory.ridge import u_t, w_t
    from theory.symbols import gamma_t, lam_t, r2, sigma2

    return (sigma2 * gamma_t - r2 * lam_t) / (r2 * ((1 - u_t) ** 2 / w_t + gamma_t * u_t**2)
                                              + sigma2 * gamma_t)


def under_regularised_witness():
    """The witness of Theorem 5's converse and the cofactor its margin is certified through.

    With the student's ``kappa_s`` as coordinate (``in_kappa``), ``r = (B - A)/B`` and the
    witness ``kappa_s = W = (1 - gamma_s) r``, SymPy checks (``cancel``)

        L_s - L_t = -(1 - gamma_s)^2 r (B - A) C / ((1 + W) ((1 + W)^2 - gamma_s)),
        C = 1 + r (3 + gamma_s + 2 W),

    and ``lam_s = W (1 + W - gamma_s)/(1 + W)`` (``lam_of_kappa``), which lies in ``(0, W)``.

    Returns
    -------
    tuple of (sympy.Expr, sympy.Expr)
        ``lam_s`` at the witness and the cofactor ``C``, in the teacher's functionals.

    Examples
    --------
    >>> from proofs_check.mechanisms.ridge_witness import under_regularised_witness
    >>> lam_w, cofactor = under_regularised_witness()
    >>> sorted(s.name for s in cofactor.free_symbols)
    ['gamma_s', 'gamma_t', 'lam_t', 'r2', 'sigma2']
    """
    from theory.marchenko_pastur import in_kappa, lam_of_kappa
    from theory.ridge import overlap_A, overlap_B, student_risk_from_overlaps
    from theory.symbols import gamma_s, gamma_t, lam_s, lam_t

    L, A, B, K = sympy.symbols("L A B K", positive=True)
    margin = in_kappa(student_risk_from_overlaps(L, A, B, lam_s, gamma_s) - L, lam_s, gamma_s, K)
    r = (B - A) / B
    W = (1 - gamma_s) * r
    C = 1 + r * (3 + gamma_s + 2 * W)
    lam_w = lam_of_kappa(W, gamma_s)
    k = sympy.Dummy("k", positive=True)
    if (sympy.cancel(-margin.xreplace({K: W}) - (1 - gamma_s) ** 2 * r * (B - A) * C
                     / ((1 + W) * ((1 + W) ** 2 - gamma_s))) != 0
            or sympy.cancel(lam_w - W * (1 + W - gamma_s) / (1 + W)) != 0
            or in_kappa(teacher_gap_ratio() - (overlap_B - overlap_A) / overlap_B,
                        lam_t, gamma_t, k) != 0):  # pragma: no cover - guards the algebra
        raise AssertionError("the witness factorisation does not hold")
    ratio = teacher_gap_ratio()
    return (lam_w.xreplace({A: overlap_A, B: overlap_B}),
            C.xreplace({r: ratio}).xreplace({A: overlap_A, B: overlap_B}).xreplace({r: ratio}))


def under_regularised_reduction(claim: Claim):
    """Theorem 5's converse through a witness function: a ``forall`` claim on one cofactor.

    The existence claim "some ``lam_s`` in the witness range gives ``L_s < L_t``" (``gamma_s < 1``,
    ``lam_t < sigma2 gamma_t / r2``) holds at every point where the witness of
    :func:`under_regularised_witness` has ``L_s - L_t < 0`` and lies in the range. There
    ``L_s - L_t = -(1 - gamma_s)^2 r (B - A) C/((1 + W) D_s)`` with every factor but ``C``
    positive on the claim's region: ``1 - gamma_s > 0``; ``B - A = w_t (sigma2 gamma_t - r2
    lam_t) > 0`` and ``B > 0`` by the positivity lemma (``w_t > 0``), so ``r > 0`` and
    ``W = (1 - gamma_s) r > 0``; ``D_s = (1 + W)^2 - gamma_s > 0``. ``A >= 0`` gives ``r <= 1``,
    so the witness ``lam_s < W < 1`` lies in ``(0, 1)``. The route certifies ``C > 0`` on the
    *closed* region (``gamma_s <= 1``, ``lam_t <= sigma2 gamma_t / r2``): no band at the open
    faces where the gain tends to 0. Returns ``None`` unless the claim is that statement (its
    margin, its assumption, a witness range containing ``(0, 1)``, ``gamma_s`` within ``[0, 1)``,
    ``r2, gamma_t > 0``, ``sigma2 >= 0``).

    Returns
    -------
    tuple of (Claim, str) or None

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.ridge_witness import under_regularised_reduction
    >>> cofactor, why = under_regularised_reduction(claim("ridge.under_regularised_teacher_is_beaten"))
    >>> cofactor.kind, cofactor.strict, cofactor.region["gamma_s"]
    ('forall', True, Interval(1/100, 1))
    """
    from theory.ridge import lam_star, student_risk_paper, teacher_risk
    from theory.symbols import lam_t

    g = claim.region.get("gamma_s")
    if (claim.kind != "exists" or claim.witness != "lam_s"
            or claim.margin != student_risk_paper - teacher_risk
            or tuple(claim.assumptions) != (sympy.Lt(lam_t, lam_star),)
            or not isinstance(g, sympy.Interval) or g.start < 0
            or not (g.end < 1 or (g.end == 1 and g.right_open))
            or not sympy.Interval.open(0, 1).is_subset(claim.witness_range)
            or not all(_positive(claim.region.get(n)) for n in ("r2", "gamma_t"))
            or not _nonnegative(claim.region.get("sigma2"))):
        return None
    _, cofactor = under_regularised_witness()
    region = {n: (_closed(v) if isinstance(v, sympy.Interval) else v)
              for n, v in claim.region.items()}
    reduced = Claim(sympy.StrictGreaterThan(cofactor, 0), id=f"{claim.id}.cofactor",
                    statement="the cofactor C = 1 + r (3 + gamma_s + 2 W) of the margin at the "
                              "witness kappa_s = (1 - gamma_s)(B - A)/B is > 0",
                    source=f"factored by SymPy ({claim.id})", region=region,
                    assumptions=(sympy.Le(lam_t, lam_star),))
    why = ("witness function kappa_s = (1 - gamma_s)(B - A)/B, i.e. lam_s = W (1 + W - gamma_s)"
           "/(1 + W) in (0, 1); SymPy: L_s - L_t = -(1 - gamma_s)^2 r (B - A) C/((1 + W) D_s) "
           "with r = (B - A)/B, every factor but C positive on the region (positivity lemma), "
           "and C > 0 certified on the closed region (no band)")
    return reduced, why


def population_optimum_reduction(claim: Claim):
    """The population student's best risk through its square: ``B > 0`` certified instead.

    SymPy checks (``cancel``, the teacher's functionals held as atoms) that the margin
    ``L_s(lam_s) - (L_t - (B - A)^2/B)`` of a population student equals ``(B/(1 + lam_s) -
    A)^2 / B``: zero along the curve ``lam_s = (B - A)/A`` inside the region, so no box around
    that curve has an enclosure ``>= 0``, but ``>= 0`` wherever ``B > 0``. The route certifies
    ``B > 0`` on the region (with the claim's assumption). Returns ``None`` unless the claim's
    margin is that expression.

    Returns
    -------
    tuple of (Claim, str) or None

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.ridge_witness import population_optimum_reduction
    >>> reduced, why = population_optimum_reduction(claim("ridge.population_student_optimum"))
    >>> reduced.strict, sorted(reduced.region)
    (True, ['gamma_t', 'lam_t', 'r2', 'sigma2'])
    """
    from theory.ridge import overlap_A, overlap_B
    from theory.symbols import lam_s

    if claim.kind != "forall" or claim.identity or claim.strict:
        return None
    difference = claim.margin - (overlap_B / (1 + lam_s) - overlap_A) ** 2 / overlap_B
    atoms = {f: sympy.Dummy() for f in difference.atoms(sympy.Function)}
    if sympy.cancel(difference.xreplace(atoms)) != 0:
        return None
    region = {n: v for n, v in claim.region.items() if n != "lam_s"}
    reduced = Claim(sympy.StrictGreaterThan(overlap_B, 0), id=f"{claim.id}.overlap_positive",
                    statement="B = ||b_t||^2 > 0", source=f"factored by SymPy ({claim.id})",
                    region=region, assumptions=claim.assumptions)
    why = ("SymPy: the margin is (B/(1 + lam_s) - A)^2/B, a square over B, and B > 0 is "
           "certified on the region (whatever lam_s is)")
    return reduced, why
