r"""Witness functions for the weighted-ridge existence claims (the certified route's reductions).

At the teacher's optimum ``lam_t = lam_star`` (``B = A = r2 (1 - u_t)``) an aligned student beats
the teacher for some ``lam_s``. The gain is of order ``zeta^4`` and the best ``lam_s`` changes by
decades across the region, so no partition with a fixed witness per box reaches ``zeta -> 0``. A
proof names the witness as a function of the parameters; SymPy then factors the margin there into
factors positive on the claim's region and one cofactor, which the route certifies on the
*closed* region (no band at ``zeta = 0`` or ``gamma_s = 1``).

* **Finite student** (``gamma_s < 1``, ``c = s/(1 + s)``): in the student's coordinate ``K =
  kappa_s`` the witness ``K = c zeta^2 u_t (1 - gamma_s)/2`` (at most ``1/2``) gives

      L_s - L_t = -K c D N,   D = zeta^2 r2 u_t (1 - u_t),
      N = 2/((1 + K)(1 + K/(1 + s))) - (1 - a (1 - y^2)) / (2 (1 + c zeta^2 u_t (1 + K/2))),

  with ``a = zeta^2 (1 - u_t)`` and ``y = 1/(1 + s/(1 + K))``, each in ``[0, 1]`` (so ``N >=
  8/9 - 1/2``); ``lam_s = K (1 + K - gamma_s)/(1 + K)`` lies in ``(0, 1/2)``.
* **Population student** (``gamma_s -> 0``, ``c -> 1``): the risk is ``L_t - 2 u D + u^2
  (B - t^2)`` in ``u = lam_s/(1 + lam_s)``; half the optimum, ``u = D/(2 (B - t^2)) = zeta^2
  u_t/(2 ((1 - zeta^2) + zeta^2 u_t))`` (at most ``1/2``, so ``lam_s <= 1``), gives

      L_s - L_t = -(3/4) zeta^4 C,   C = r2 u_t^2 (1 - u_t)/((1 - zeta^2) + zeta^2 u_t).

``u_t`` enters as ``1 - 1/(1 + kappa_t)`` (``kappa_t = kappa(lam_star, gamma_t)``) so that its
enclosure lies in ``[0, 1]``. Every identity is checked by SymPy (``cancel``) once per machine.

Examples
--------
>>> from theory.claims import claim
>>> from proofs_check.mechanisms.weighted_ridge_witness import aligned_reduction
>>> reduced, why = aligned_reduction(claim("weighted_ridge.aligned_student_beats_optimal_teacher"))
>>> reduced.region["zeta"], reduced.strict
(Interval(0, 1), True)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import sympy

from theory.cache import once_per_machine
from theory.claims import Claim

__all__ = ["aligned_witness", "aligned_reduction", "REDUCTIONS"]

_FINITE = "weighted_ridge.aligned_student_beats_optimal_teacher"
_POPULATION = "weighted_ridge.aligned_population_student_beats_optimal_teacher"


def _risk(L, A, B, t, us, vs, c):
    """The weighted student's risk in its overlaps (the form of ``student_risk_weighted``)."""
    from theory.symbols import r2, zeta

    delta = -c * t * (1 - us) / (1 - c * us)
    return L - 2 * us * ((B - A) + delta * (t - zeta * sympy.sqrt(r2))) + \
        vs * (B + 2 * delta * t + delta**2)


def _forms(kappa_t, population: bool):
    """``(lam_s at the witness, cofactor)`` in terms of ``u_t = U`` (a SymPy expression)."""
    from theory.symbols import gamma_s, r2, s, zeta

    U = 1 - 1 / (1 + kappa_t)
    if population:
        u = zeta**2 * U / (2 * ((1 - zeta**2) + zeta**2 * U))
        return u / (1 - u), r2 * U**2 * (1 - U) / ((1 - zeta**2) + zeta**2 * U)
    c = 1 / (1 + 1 / s)
    K = c * zeta**2 * U * (1 - gamma_s) / 2
    y = 1 / (1 + s / (1 + K))
    a = zeta**2 / (1 + kappa_t)
    N = 2 / ((1 + K) * (1 + K / (1 + s))) - (1 - a * (1 - y**2)) / (
        2 * (1 + c * zeta**2 * U * (1 + K / 2)))
    return K * (1 + K - gamma_s) / (1 + K), N


@once_per_machine
def _identities(digest: str) -> tuple:
    """SymPy's checks of the module docs' identities (``digest``: this module's source, so an
    edit re-runs them). Returns the names of the checks that failed (empty when all hold)."""
    from theory.marchenko_pastur import in_kappa, lam_of_kappa
    from theory.ridge import lam_star, overlap_A, overlap_B, teacher_risk, u_s, u_t, v_s
    from theory.symbols import gamma_s, gamma_t, lam_s, lam_t, r2, s, zeta
    from theory.weighted_ridge import penalty_weight, student_risk_weighted, teacher_alignment

    K, U, c, L, k = sympy.symbols("K U c L k", positive=True)
    failed = []
    checks = {  # the first two are the same expression tree (SymPy gives 0 at once)
        "risk in overlaps": (student_risk_weighted() - _risk(
            teacher_risk, overlap_A, overlap_B, teacher_alignment, u_s, v_s, penalty_weight)),
        "population risk": (student_risk_weighted(1).xreplace({gamma_s: 0}) - _risk(
            teacher_risk, overlap_A, overlap_B, teacher_alignment, lam_s / (1 + lam_s),
            (lam_s / (1 + lam_s))**2, 1)),
        "B = A at lam_star": sympy.expand((overlap_B - overlap_A).xreplace({lam_t: lam_star})),
        "A = r2 (1 - u_t)": sympy.expand(overlap_A - r2 * (1 - u_t)),
        "t = zeta sqrt(r2) (1 - u_t)": sympy.expand(teacher_alignment
                                                     - zeta * sympy.sqrt(r2) * (1 - u_t)),
        "u_t = kappa_t/(1 + kappa_t)": in_kappa(u_t, lam_t, gamma_t, k) - k / (1 + k),
        "lam of kappa": sympy.cancel(lam_of_kappa(K, gamma_s) - K * (1 + K - gamma_s) / (1 + K)),
    }
    A = r2 * (1 - U)
    t = zeta * sympy.sqrt(r2) * (1 - U)
    D = zeta**2 * r2 * U * (1 - U)
    # finite student, in steps (one cancel of the whole margin at the witness costs minutes):
    # L_s - L_t = K (-2 c D/((1 + K)^2 (1 - c u)) + K Bt/D_s), Bt = B (1 - a (1 - y^2)), and at
    # K = Kw: K/(c D) = (1 - gamma_s)/(2 B), (1 - gamma_s)/D_s = 1/(1 + c zeta^2 U (1 + K/2)),
    # (1 + K)^2 (1 - c u) = (1 + K)(1 + K/(1 + s)), y = 1/(1 + s/(1 + K)); so -M/(K c D) = N
    u = K / (1 + K)
    Ds = (1 + K)**2 - gamma_s
    delta = -c * t * (1 - u) / (1 - c * u)
    Bt = A + 2 * delta * t + delta**2
    y = (1 - c) / (1 - c * u)
    Kw = c * zeta**2 * U * (1 - gamma_s) / 2
    at = {c: s / (1 + s)}
    checks["finite: margin in Bt"] = sympy.cancel(
        _risk(L, A, A, t, u, K**2 / Ds, c) - L
        - K * (-2 * c * D / ((1 + K)**2 * (1 - c * u)) + K * Bt / Ds))
    checks["finite: Bt = B (1 - a (1 - y^2))"] = sympy.cancel(
        Bt - A * (1 - zeta**2 * (1 - U) * (1 - y**2)))
    checks["finite: y"] = sympy.cancel((y - 1 / (1 + s / (1 + K))).xreplace(at))
    checks["finite: (1 + K)^2 (1 - c u)"] = sympy.cancel(
        ((1 + K)**2 * (1 - c * u) - (1 + K) * (1 + K / (1 + s))).xreplace(at))
    checks["finite: K/(c D)"] = sympy.cancel(Kw / (c * D) - (1 - gamma_s) / (2 * A))
    checks["finite: (1 - gamma_s)/D_s"] = sympy.cancel(
        ((1 - gamma_s) / Ds - 1 / (1 + c * zeta**2 * U * (1 + K / 2))).xreplace({K: Kw}))
    lam_w, N = _forms(U / (1 - U), population=False)
    checks["finite: N"] = sympy.cancel(
        (N - (2 / ((1 + K) * (1 + K / (1 + s))) - (1 - zeta**2 * (1 - U) * (1 - (1 / (
            1 + s / (1 + K)))**2)) / (2 * (1 + c * zeta**2 * U * (1 + K / 2))))).xreplace(
            {K: Kw}).xreplace(at))
    checks["finite: witness lam_s"] = sympy.cancel(
        lam_w - (Kw * (1 + Kw - gamma_s) / (1 + Kw)).xreplace(at))
    # population student: u_s = lam_s/(1 + lam_s), v_s = u_s^2, c = 1
    lam_p, C = _forms(U / (1 - U), population=True)
    u = lam_p / (1 + lam_p)
    checks["population: L_s - L_t = -(3/4) zeta^4 C"] = sympy.expand(sympy.numer(sympy.together(
        (_risk(L, A, A, t, u, u**2, 1) - L) + sympy.Rational(3, 4) * zeta**4 * C)))
    for name, value in checks.items():
        if value != 0:
            failed.append(name)
    return tuple(failed)


def _digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def aligned_witness(population: bool):
    """The witness ``lam_s`` and the cofactor certified for it, in the claim's parameters.

    Parameters
    ----------
    population : bool
        The population student (``gamma_s -> 0``, ``c -> 1``) or the finite one.

    Returns
    -------
    tuple of (sympy.Expr, sympy.Expr)

    Examples
    --------
    >>> from proofs_check.mechanisms.weighted_ridge_witness import aligned_witness
    >>> lam_w, cofactor = aligned_witness(population=True)
    >>> sorted(s.name for s in cofactor.free_symbols)
    ['gamma_t', 'r2', 'sigma2', 'zeta']
    """
    from theory.marchenko_pastur import EffectiveRegularization
    from theory.ridge import lam_star
    from theory.symbols import gamma_t

    failed = _identities(_digest())
    if failed:  # pragma: no cover - guards the algebra
        raise AssertionError(f"the witness identities fail: {failed}")
    return _forms(EffectiveRegularization(lam_star, gamma_t), population)


def aligned_reduction(claim: Claim):
    """An aligned-student existence claim reduced to its cofactor ``> 0`` (see the module docs).

    The positive factors: ``zeta > 0`` (the region), ``c = s/(1 + s) > 0``, ``u_t`` in ``(0, 1)``
    (``lam_star > 0`` as ``sigma2 > 0``), so ``D > 0`` and ``K > 0`` (``gamma_s < 1``), and the
    witness lies in ``(0, 1]``. Returns ``None`` unless the claim is the registered statement (its
    margin, no assumption, ``zeta`` in ``(0, 1]``, ``sigma2, r2, gamma_t, s > 0``, ``gamma_s`` in
    ``[0, 1)``, a witness range containing ``(0, 1]``).

    Returns
    -------
    tuple of (Claim, str) or None

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.mechanisms.weighted_ridge_witness import aligned_reduction
    >>> c = claim("weighted_ridge.aligned_population_student_beats_optimal_teacher")
    >>> aligned_reduction(c.replace(witness_range=sympy.Interval(2, 10))) is None
    True
    """
    from theory.ridge import lam_star, teacher_risk
    from theory.symbols import gamma_s, lam_t
    from theory.weighted_ridge import student_risk_weighted

    population = claim.id == _POPULATION
    student = student_risk_weighted(1).xreplace({gamma_s: 0}) if population else \
        student_risk_weighted()
    expected = (student - teacher_risk).xreplace({lam_t: lam_star})
    region = claim.region
    if (claim.kind != "exists" or claim.witness != "lam_s" or claim.assumptions
            or claim.margin != expected
            or not sympy.Interval.Lopen(0, 1).is_subset(claim.witness_range)
            or not _within(region.get("zeta"), 0, 1, open_low=True)
            or not all(_within(region.get(n), 0, sympy.oo, open_low=True)
                       for n in ("sigma2", "r2", "gamma_t"))
            or (not population and not (_within(region.get("s"), 0, sympy.oo, open_low=True)
                                        and _within(region.get("gamma_s"), 0, 1,
                                                    open_high=True)))):
        return None
    _, cofactor = aligned_witness(population)
    closed = {n: (sympy.Interval(v.start, v.end) if isinstance(v, sympy.Interval) else v)
              for n, v in region.items()}
    reduced = Claim(sympy.StrictGreaterThan(cofactor, 0), id=f"{claim.id}.cofactor",
                    statement="the cofactor of the margin at the witness function is > 0",
                    source=f"factored by SymPy ({claim.id})", region=closed)
    if population:
        why = ("witness function u_s = zeta^2 u_t/(2 ((1 - zeta^2) + zeta^2 u_t)) (half the "
               "optimum, lam_s <= 1); SymPy: L_s - L_t = -(3/4) zeta^4 C, C = r2 u_t^2 (1 - u_t)"
               "/((1 - zeta^2) + zeta^2 u_t) certified > 0 on the closed region (no band)")
    else:
        why = ("witness function kappa_s = K = c zeta^2 u_t (1 - gamma_s)/2 (lam_s in (0, 1/2)); "
               "SymPy: L_s - L_t = -K c D N with K, c, D = zeta^2 r2 u_t (1 - u_t) positive on "
               "the region and N certified > 0 on the closed region (no band)")
    return reduced, why


def _within(interval, low, high, open_low=False, open_high=False) -> bool:
    """``interval`` lies in ``[low, high]`` and, with ``open_low``/``open_high``, avoids that
    end (a number is a point interval)."""
    if interval is None:
        return False
    if not isinstance(interval, sympy.Interval):
        interval = sympy.Interval(interval, interval)
    if interval.start < low or interval.end > high:
        return False
    if open_low and interval.start == low and not interval.left_open:
        return False
    if open_high and interval.end == high and not interval.right_open:
        return False
    return True


#: claim id -> reduction (the facet ``reductions`` of the weighted-ridge mechanism).
REDUCTIONS = {_FINITE: aligned_reduction, _POPULATION: aligned_reduction}
