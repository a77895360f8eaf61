r"""Mechanism 2: a weighted-ridge student aligned by pre-training (arXiv:2505.18346, mechanism 2).

The student minimises ``(1/n_s) ||X_s b_t - X_s b||^2 + lam_s b^T Omega b`` with
``Omega = Gamma^{-1} = I - c theta theta^T``, ``Gamma = I + s theta theta^T``, ``c = s/(1+s)``; the
pre-trained direction ``theta`` has alignment ``zeta = <theta, beta_star>/||beta_star||``. The
teacher is the isotropic ridge of mechanism 1. Rank-one closed form, with
``t_theta = <theta, b_t> -> zeta sqrt(r2) (1 - u_t)`` and ``delta_s = -c t_theta (1 - u_s)/(1 - c u_s)``::

    L_s = L_t - 2 u_s [(B - A) + delta_s (t_theta - zeta sqrt(r2))] + v_s [B + 2 delta_s t_theta + delta_s^2]

At ``s = 0`` it is mechanism 1 (a SymPy check). At the teacher's optimum ``lam_t = lam_star``
(``B = A``) the gain coefficient is ``D = zeta^2 r2 u_t (1 - u_t)``: the slope of the student's risk
at ``lam_s = 0`` is ``-2 c D m_s(0)`` (of order ``zeta^2``), and a population student with ``c -> 1``
gains at best ``D^2/(B - t_theta^2)``. Both come out of SymPy below.

Examples
--------
>>> from theory import quantity
>>> quantity("weighted_ridge.teacher_alignment")
sqrt(r2)*zeta*(-lam_t*m(-lam_t, gamma_t) + 1)
"""

from __future__ import annotations


import sympy
from sympy import Rational, sqrt

from theory.cache import once_per_machine
from theory.derivation import Derivation
from theory.registry import register
from theory.marchenko_pastur import StieltjesMP
from theory.ridge import (shrinkage_functionals, lam_star, overlap_A, overlap_B, student_risk,
                          teacher_risk)
from theory.symbols import gamma_s, gamma_t, lam_s, lam_t, r2, s, sigma2, sigma2_s, zeta

__all__ = ["penalty_weight", "teacher_alignment", "student_risk_weighted", "gain_coefficient",
           "optimal_population_gain", "reduction_to_ridge", "population_gain",
           "slope_at_zero", "derivations"]

SOURCE = "arXiv:2505.18346, mechanism 2; derived in w2s-theory (docs/mechanism-2.md)"

u_t, v_t, w_t = shrinkage_functionals(lam_t, gamma_t)
u_s, v_s, w_s = shrinkage_functionals(lam_s, gamma_s)

#: ``c = s/(1+s)``: the penalty is ``I - c theta theta^T``.
penalty_weight = s / (1 + s)
#: Limit of ``<theta, b_t>``.
teacher_alignment = zeta * sqrt(r2) * (1 - u_t)


def student_risk_weighted(c=penalty_weight):
    """The rank-one student risk with penalty weight ``c`` (``c = 1``: no penalty along theta).

    Examples
    --------
    >>> from theory.weighted_ridge import student_risk_weighted
    >>> student_risk_weighted(0).has(sympy.Symbol("zeta"))
    False
    """
    t = teacher_alignment
    delta = -c * t * (1 - u_s) / (1 - c * u_s)
    return (teacher_risk - 2 * u_s * ((overlap_B - overlap_A) + delta * (t - zeta * sqrt(r2)))
            + v_s * (overlap_B + 2 * delta * t + delta**2))


def _student_risk_nonnegative_terms(c=penalty_weight):
    """:func:`student_risk_weighted` as a sum of nonnegative terms (float64 does not cancel).

    With ``L_t = r2 - 2A + B``, ``u_s - v_s = lam_s w_s`` and
    ``g = [(1 - c) + c (1 - u_s)((1 - zeta^2) + zeta^2 u_t)] / (1 - c u_s)`` (so that
    ``sqrt(r2) + delta_s zeta = sqrt(r2) g``; ``1 - c u_s`` is computed as ``(1 - c) + c (1 - u_s)``),
    the risk is
    ``(1 - 2 u_s + v_s) L_t + 2 lam_s w_s r2 u_t g + v_s (r2 g^2 + delta_s^2 (1 - zeta^2))``.
    The textbook form cancels catastrophically (relative error 5e3 in float64 at
    ``lam_t = 1e-12, gamma_t = gamma_s = 1e-8, lam_s = 1e-3, zeta = 1, s = 1e8``).

    Examples
    --------
    >>> from sympy import cancel, together
    >>> from theory.weighted_ridge import _student_risk_nonnegative_terms, student_risk_weighted
    >>> cancel(together(_student_risk_nonnegative_terms() - student_risk_weighted()))
    0
    """
    t, one_minus_c = teacher_alignment, sympy.cancel(1 - c)
    one_minus_cu = one_minus_c + c * (1 - u_s)  # 1 - c u_s, both terms >= 0
    delta = -c * t * (1 - u_s) / one_minus_cu
    one_minus_zeta2 = (1 - zeta) * (1 + zeta)
    g = (one_minus_c + c * (1 - u_s) * (one_minus_zeta2 + zeta**2 * u_t)) / one_minus_cu
    return ((1 - 2 * u_s + v_s) * teacher_risk + 2 * lam_s * w_s * r2 * u_t * g
            + v_s * (r2 * g**2 + delta**2 * one_minus_zeta2))


_at_optimum = {lam_t: lam_star}
#: ``D = zeta^2 r2 u_t (1 - u_t)`` at ``lam_t = lam_star``.
gain_coefficient = (zeta**2 * r2 * u_t * (1 - u_t)).xreplace(_at_optimum)
#: ``D^2 / (B - t^2)`` at ``lam_t = lam_star``: the best gain of a population student, ``c -> 1``.
optimal_population_gain = (gain_coefficient**2
                           / (overlap_B - teacher_alignment**2).xreplace(_at_optimum))


@once_per_machine
def reduction_to_ridge() -> Derivation:
    """At ``s = 0`` (``c = 0``) the weighted student is the ridge student of mechanism 1.

    Examples
    --------
    >>> from theory.weighted_ridge import reduction_to_ridge
    >>> reduction_to_ridge().result
    0
    """
    difference = sympy.expand(student_risk_weighted().xreplace({s: 0})
                              - student_risk.xreplace({sigma2_s: 0}))
    return Derivation("weighted_ridge.reduction", "Reduction to mechanism 1",
                      "The weighted student's risk at s = 0 minus the ridge student's risk.",
                      (("difference, expanded", difference),), difference,
                      lhs=(r"\mathcal{L}_s^{\Omega}\big|_{s=0} - \mathcal{L}_s",))


@once_per_machine
def population_gain() -> Derivation:
    """Population student (``gamma_s = 0``, ``u_s = lam_s/(1+lam_s)``, ``v_s = u_s^2``), ``c = 1``,
    ``lam_t = lam_star``: SymPy minimises over ``u_s`` and finds the gain ``D^2/(B - t_theta^2)``.

    Examples
    --------
    >>> from theory.weighted_ridge import population_gain
    >>> d = population_gain()
    >>> d.steps[1][0]
    'optimal u_s'
    """
    U = sympy.Symbol("u_s", positive=True)
    B, t_sym, Dsym = sympy.symbols("B t_theta D", positive=True)
    margin = student_risk_weighted(1).xreplace({gamma_s: 0}) - teacher_risk
    # at gamma_s = 0: u_s = lam_s/(1 + lam_s) and v_s = u_s^2, i.e. lam_s = U/(1 - U)
    margin = sympy.cancel(margin.xreplace({lam_s: U / (1 - U)}))
    t = teacher_alignment
    generic = (-2 * U * (overlap_B - overlap_A) - 2 * U * (-t * (t - zeta * sqrt(r2)))
               + U**2 * (overlap_B - t**2))
    check = sympy.simplify(margin - generic)
    quadratic = -2 * U * Dsym + U**2 * (B - t_sym**2)
    (u_opt,) = sympy.solve(quadratic.diff(U), U)
    gain = sympy.factor(-quadratic.xreplace({U: u_opt}))
    if sympy.cancel(gain - Dsym**2 / (B - t_sym**2)) == 0:
        gain = Dsym**2 / (B - t_sym**2)  # the same, with the denominator's sign as written
    d_identity = sympy.expand(-t * (t - zeta * sqrt(r2)) - zeta**2 * r2 * u_t * (1 - u_t))
    return Derivation(
        "weighted_ridge.population_gain", "Population gain at the teacher's optimum",
        "With gamma_s = 0 and c = 1, L_s - L_t = -2 u_s (B - A) - 2 u_s D + u_s^2 (B - t_theta^2) where "
        "D = -t_theta (t_theta - zeta sqrt(r2)) = zeta^2 r2 u_t (1 - u_t); at lam_t = lam_star, B = A.",
        (("L_s - L_t minus that form (SymPy: 0)", check),
         ("optimal u_s", u_opt),
         ("D - zeta^2 r2 u_t (1 - u_t) (SymPy: 0)", d_identity),
         ("gain", gain)),
        gain, lhs=(r"\mathcal{L}_s - \mathcal{L}_t - \bigl(-2 u_s (B - A) - 2 u_s D "
                   r"+ u_s^2 (B - t_\theta^2)\bigr)", r"u_s^\star",
                   r"D - \zeta^2 r^2 u_t (1 - u_t)", r"G^\star"))


@once_per_machine
def slope_at_zero() -> Derivation:
    """Slope of the student's risk in ``u_s`` at ``u_s = 0`` when ``B = A``: ``-2 c D``, order ``zeta^2``.

    For ``gamma_s < 1``, ``v_s = O(u_s^2)`` so the first-order change of the risk is
    ``-2 u_s c D``; SymPy's series in ``zeta`` shows the leading term is ``zeta^2``.

    Examples
    --------
    >>> from theory.weighted_ridge import slope_at_zero
    >>> slope_at_zero().result
    2*r2*zeta**2*U_t*c*(U_t - 1)
    """
    U, V, c, Ut = sympy.symbols("u_s v_s c U_t", positive=True)
    A = sympy.Symbol("A", positive=True)
    t = zeta * sqrt(r2) * (1 - Ut)
    delta = -c * t * (1 - U) / (1 - c * U)
    margin = -2 * U * (0 + delta * (t - zeta * sqrt(r2))) + V * (A + 2 * delta * t + delta**2)
    slope = sympy.factor(sympy.diff(margin, U).xreplace({U: 0, V: 0}))
    series = sympy.series(slope, zeta, 0, 3).removeO()
    return Derivation(
        "weighted_ridge.slope_at_zero", "The zeta^2 gain",
        "With B = A (lam_t = lam_star) and v_s = O(u_s^2): d(L_s - L_t)/du_s at u_s = 0.",
        (("slope", slope), ("series in zeta to second order", series)),
        sympy.factor(series),
        lhs=(r"\frac{\partial (\mathcal{L}_s - \mathcal{L}_t)}{\partial u_s}\Big|_{u_s=0}",
             r"\frac{\partial (\mathcal{L}_s - \mathcal{L}_t)}{\partial u_s}\Big|_{u_s=0}"))


def derivations() -> list[Derivation]:
    """The derivations of mechanism 2, in the order of the docs."""
    return [reduction_to_ridge(), population_gain(), slope_at_zero()]


from theory.notation import minus, notation, notation_for, over, plus, ref, times  # noqa: E402

_c = notation("weighted_ridge", "c", penalty_weight, "penalty weight s/(1 + s)", positive=True)
_u_s, _v_s = notation_for("ridge", "u_s"), notation_for("ridge", "v_s")


def _t():
    return ref("weighted_ridge.teacher_alignment")


_delta = notation("weighted_ridge", r"\delta_s",
                  lambda: minus(over(times(_c, _t(), plus(1, minus(_u_s))),
                                     plus(1, minus(times(_c, _u_s))))),
                  "correction of the student along theta, -c t_theta (1 - u_s)/(1 - c u_s)", real=True)
_lam_star = notation("weighted_ridge", r"\lambda^\star", over(times(sigma2, gamma_t), r2),
                     "the teacher's optimal regularisation sigma2 gamma_t / r2", positive=True)
_u_star = notation("weighted_ridge", r"u_t^\star",
                   times(_lam_star, StieltjesMP(-_lam_star, gamma_t)),
                   "u_t at lam_t = lam_star", positive=True)
_B_star = notation("weighted_ridge", r"B^\star", overlap_B.xreplace({lam_t: lam_star}),
                   "B at lam_t = lam_star", shown=r"B\big|_{\lambda_t = \lambda^\star}",
                   positive=True)
_t_star = notation("weighted_ridge", r"t_\theta^\star", teacher_alignment.xreplace({lam_t: lam_star}),
                   "t_theta at lam_t = lam_star", shown=r"t_\theta\big|_{\lambda_t = \lambda^\star}",
                   real=True)


def _risk_form():
    # L_t - 2 u_s [(B - A) + delta (t - zeta r)] + v_s [B + 2 delta t + delta^2]
    A, B, t = ref("ridge.overlap_A"), ref("ridge.overlap_B"), _t()
    return plus(ref("ridge.teacher_risk"),
                times(-2, _u_s, plus(plus(B, minus(A)),
                                     times(_delta, plus(t, minus(times(zeta, sqrt(r2))))))),
                times(_v_s, plus(B, times(2, _delta, t), _delta**2)))


register("weighted_ridge.teacher_alignment", teacher_alignment, r"t_\theta",
         "teacher's component <theta, b_t> along the pre-trained direction", SOURCE,
         presentation=lambda: times(zeta, sqrt(r2), plus(1, minus(times(lam_t, notation_for(
             "ridge", "m_t"))))))
register("weighted_ridge.student_risk", _student_risk_nonnegative_terms(),
         r"\mathcal{L}_s^{\Omega}",
         "excess risk of the weighted-ridge student (rank-one penalty I - c theta theta^T)",
         SOURCE, presentation=_risk_form)
register("weighted_ridge.gain_coefficient", gain_coefficient, r"D",
         "gain coefficient zeta^2 r2 u_t (1 - u_t) at the teacher's optimum", SOURCE,
         presentation=lambda: times(zeta**2, r2, _u_star, plus(1, minus(_u_star))))
register("weighted_ridge.optimal_population_gain", optimal_population_gain,
         r"G^\star", "best gain D^2/(B - t_theta^2) of a population student with c -> 1 at lam_star",
         SOURCE, presentation=lambda: over(ref("weighted_ridge.gain_coefficient")**2,
                                          plus(_B_star, minus(_t_star**2))))


# --- claims of mechanism 2 ----------------------------------------------------------------

from sympy import Interval  # noqa: E402

from theory.claims import Claim, Proof  # noqa: E402
from theory.marchenko_pastur import in_kappa, positivity_lemma  # noqa: E402

_SCALE = Interval(Rational(1, 100), 100)
_OPTIMAL_TEACHER = {"gamma_t": _SCALE, "sigma2": Interval(Rational(1, 100), 10),
                    "r2": Interval(Rational(1, 10), 10)}
_ALIGNED = Interval.Lopen(0, 1)


def _steps(steps):
    return Proof(all(ok for _, ok in steps), tuple((label, str(ok)) for label, ok in steps))


def _teacher_at_optimum():
    return ("B = A at lam_t = lam_star",
            sympy.expand((overlap_B - overlap_A - w_t * (sigma2 * gamma_t - r2 * lam_t))) == 0
            and sympy.expand((sigma2 * gamma_t - r2 * lam_t).xreplace(_at_optimum)) == 0)


def _slope_negative():
    k = sympy.Symbol("k", positive=True)  # u_t = 1/(1 + k) lies in (0, 1)
    slope = slope_at_zero().result
    Ut = [x for x in slope.free_symbols if x.name == "U_t"][0]
    z = sympy.Symbol("zeta_abs", positive=True)  # the slope depends on zeta^2 only
    even = sympy.expand(slope - slope.xreplace({zeta: -zeta})) == 0
    return ("the slope -2 c D (even in zeta) is negative for zeta != 0, c > 0, 0 < u_t < 1",
            even and bool(slope.xreplace({Ut: 1 / (1 + k), zeta: z}).is_negative))


def _prove_finite_student() -> Proof:
    kappa = sympy.Symbol("kappa_s", positive=True)
    ratio = in_kappa(v_s / u_s, lam_s, gamma_s, kappa)
    return _steps([_teacher_at_optimum(), *positivity_lemma(), _slope_negative(),
                   ("v_s/u_s -> 0 as lam_s -> 0 when gamma_s < 1 (kappa_s -> 0)",
                    sympy.limit(ratio, kappa, 0, "+") == 0)])


def _prove_population_student() -> Proof:
    d = population_gain()
    return _steps([_teacher_at_optimum(), _slope_negative(),
                   ("L_s - L_t = -2 u_s D + u_s^2 (B - t_theta^2) at gamma_s = 0, c = 1",
                    d.steps[0][1] == 0 and d.steps[2][1] == 0)])


def _prove_unaligned() -> Proof:
    margin = (student_risk_weighted() - teacher_risk).xreplace({zeta: 0, **_at_optimum})
    reduced = sympy.expand(margin - v_s * overlap_B.xreplace(_at_optimum)
                           + 2 * u_s * (overlap_B - overlap_A).xreplace(_at_optimum))
    # with B = A the margin is v_s B: v_s > 0 (lemma) and B is a sum of non-negative terms
    V, U, W = sympy.symbols("V U W", positive=True)
    Q = sympy.Symbol("Q", nonnegative=True)  # v_t - u_t^2 >= 0 (lemma)
    B_terms = r2 * ((1 - U) ** 2 + Q) + sigma2 * gamma_t * W
    return _steps([_teacher_at_optimum(), *positivity_lemma(),
                   ("at zeta = 0: L_s - L_t = -2 u_s (B - A) + v_s B", reduced == 0),
                   ("B = r2 ((1 - u_t)^2 + (v_t - u_t^2)) + sigma2 gamma_t w_t",
                    sympy.expand(overlap_B - (r2 * ((1 - u_t) ** 2 + (v_t - u_t**2))
                                              + sigma2 * gamma_t * w_t)) == 0),
                   ("so with B = A the margin v_s B >= 0", bool((V * B_terms).is_nonnegative))])


def _prove_population_optimum() -> Proof:
    U, D, B, t = sympy.symbols("u_s D B t_theta", positive=True)
    gap = sympy.Symbol("g", positive=True)  # B - t^2 > 0
    square = sympy.factor(sympy.together((-2 * U * D + U**2 * gap + D**2 / gap)))
    cauchy = sympy.expand(overlap_B - teacher_alignment**2 - (
        r2 * ((1 - u_t) ** 2 * (1 - zeta**2) + (v_t - u_t**2)) + sigma2 * gamma_t * w_t))
    return _steps([*positivity_lemma(), _teacher_at_optimum(),
                   ("B - t_theta^2 = r2 ((1 - u_t)^2 (1 - zeta^2) + v_t - u_t^2) + sigma2 gamma_t w_t "
                    "> 0", cauchy == 0),
                   (f"L_s - (L_t - D^2/(B - t_theta^2)) = {square} >= 0",
                    bool(square.is_nonnegative))])


_margin = (student_risk_weighted() - teacher_risk).xreplace(_at_optimum)
_population_margin = (student_risk_weighted(1).xreplace({gamma_s: 0})
                      - teacher_risk).xreplace(_at_optimum)


#: At ``lam_t = lam_star`` the margin is ``v_s B - zeta^2 K(lam_s)`` with ``K <= 2 c r2 (1 - u_t)``
#: and, for ``gamma_s > 1``, ``v_s >= 1 - 1/gamma_s``: alignments below this bound cannot help.
weak_alignment_bound = sqrt((1 - 1 / gamma_s) * overlap_B
                            / (2 * penalty_weight * r2 * (1 - u_t))).xreplace(_at_optimum)

register("weighted_ridge.weak_alignment_bound", weak_alignment_bound, r"\zeta_0",
         "alignment below which an over-parameterised student cannot beat the optimal teacher",
         SOURCE, valid=(sympy.StrictGreaterThan(gamma_s, 1),), presentation=lambda: sympy.sqrt(over(
             times(plus(1, minus(over(1, gamma_s))), _B_star),
             times(2, _c, r2, plus(1, minus(_u_star)))), evaluate=False))

def _prove_weak_alignment() -> Proof:
    poly = sympy.Poly(sympy.expand(_margin), zeta)
    a0, a2 = poly.coeff_monomial(1), poly.coeff_monomial(zeta**2)
    U, V, Ut, c = sympy.symbols("U V U_t c", positive=True)
    q = (1 - U) / (1 - c * U)
    K = r2 * (1 - Ut) * (2 * c * U * Ut * q + V * (1 - Ut) * (2 * c * q - c**2 * q**2))
    K_expr = K.xreplace({U: u_s, V: v_s, Ut: u_t.xreplace(_at_optimum), c: penalty_weight})
    K_matches = sympy.cancel(sympy.together(a2 + K_expr)) == 0
    a, b, e, f, eta, eps = sympy.symbols("a b e f eta epsilon", positive=True)
    bound = sympy.together((2 * c * r2 * (1 - Ut) - K).xreplace(
        {U: 1 / (1 + a), V: 1 / (1 + b), c: 1 / (1 + e), Ut: 1 / (1 + f)}))
    kappa, g = eta + eps, 1 + eta  # gamma_s = 1 + eta > 1, kappa_s > gamma_s - 1
    v_gap = sympy.together(kappa**2 / ((1 + kappa) ** 2 - g) - (1 - 1 / g))
    return _steps([
        _teacher_at_optimum(), *positivity_lemma(),
        ("the margin is a0 + a2 zeta^2 with a0 = v_s B", poly.degree() == 2 and poly.monoms()
         == [(2,), (0,)] and sympy.expand(a0 - v_s * overlap_B.xreplace(_at_optimum)) == 0),
        ("-a2 = K(u_s, v_s, u_t, c) = r2 (1-u_t) [2 c u_s u_t q + v_s (1-u_t)(2 c q - c^2 q^2)], "
         "q = (1-u_s)/(1-c u_s)", K_matches),
        ("K <= 2 c r2 (1 - u_t) for u_s, v_s, u_t, c in (0, 1) (numerator expanded)",
         bool(sympy.expand(sympy.numer(bound)).is_positive)
         and bool(sympy.expand(sympy.denom(bound)).is_positive)),
        ("v_s >= 1 - 1/gamma_s for gamma_s > 1 (numerator epsilon^2)",
         bool(sympy.expand(sympy.numer(v_gap)).is_nonnegative)
         and bool(sympy.expand(sympy.denom(v_gap)).is_positive)),
        ("so margin >= (1 - 1/gamma_s) B - zeta^2 2 c r2 (1 - u_t) >= 0 for zeta <= zeta_0",
         sympy.expand(weak_alignment_bound**2 * 2 * penalty_weight * r2
                      * (1 - u_t).xreplace(_at_optimum)
                      - (1 - 1 / gamma_s) * overlap_B.xreplace(_at_optimum)) == 0),
    ])


def claims() -> list[Claim]:
    """The mechanism's claims in registration order (the catalogue builds them on first use)."""
    return [
        Claim(
            sympy.Lt(_margin, 0, evaluate=False),
            id="weighted_ridge.aligned_student_beats_optimal_teacher",
            statement="At the teacher's optimum lam_t = lam_star, an aligned weighted-ridge student (zeta != 0, "
            "s > 0) with gamma_s < 1 beats the teacher for some lam_s > 0.",
            source="arXiv:2505.18346, mechanism 2; derived in w2s-theory (docs/mechanism-2.md)",
            witness="lam_s",
            witness_range=Interval.Lopen(0, 10**4),
            region={"gamma_s": Interval.Ropen(Rational(1, 100), 1), "zeta": _ALIGNED,
                    "s": Interval(Rational(1, 100), 1000), **_OPTIMAL_TEACHER},
            proof=_prove_finite_student,
        ),
        Claim(
            sympy.Lt(_population_margin, 0, evaluate=False),
            id="weighted_ridge.aligned_population_student_beats_optimal_teacher",
            statement="At lam_t = lam_star, a population student (gamma_s -> 0) with no penalty along an aligned "
            "direction (c -> 1, zeta != 0) beats the teacher for some lam_s > 0.",
            source="arXiv:2505.18346, mechanism 2; derived in w2s-theory (docs/mechanism-2.md)",
            witness="lam_s",
            witness_range=Interval.Lopen(0, 10**4),
            region={"zeta": _ALIGNED, **_OPTIMAL_TEACHER},
            proof=_prove_population_student,
        ),
        Claim(
            sympy.Ge((student_risk_weighted() - teacher_risk).xreplace({zeta: 0, **_at_optimum}), 0, evaluate=False),
            id="weighted_ridge.unaligned_student_never_beats_optimal_teacher",
            statement="With zeta = 0 no weighted-ridge student beats the optimally tuned teacher, whatever the "
            "spike strength s (which then drops out of the risk).",
            source="arXiv:2505.18346, mechanism 2; derived in w2s-theory (docs/mechanism-2.md)",
            region={"lam_s": Interval(0, 1000), "gamma_s": _SCALE, **_OPTIMAL_TEACHER},
            proof=_prove_unaligned,
        ),
        Claim(
            sympy.Ge(_population_margin + optimal_population_gain, 0, evaluate=False),
            id="weighted_ridge.population_gain_is_optimal",
            statement="At lam_t = lam_star the population student with c -> 1 has risk at least "
            "L_t - D^2/(B - t_theta^2), D = zeta^2 r2 u_t (1 - u_t): the gain is at most D^2/(B - t_theta^2) "
            "(reached at u_s = D/(B - t_theta^2)), and vanishes with zeta.",
            source="arXiv:2505.18346, Theorem 8",
            region={"lam_s": Interval(0, 1000), "zeta": Interval(-1, 1), **_OPTIMAL_TEACHER},
            proof=_prove_population_optimum,
        ),
        Claim(
            sympy.Ge(_margin, 0, evaluate=False),
            id="weighted_ridge.weak_alignment_cannot_help_overparameterised",
            statement="For gamma_s > 1 and lam_t = lam_star, no weighted-ridge student beats the teacher when "
            "|zeta| <= zeta_0 = sqrt((1 - 1/gamma_s) B / (2 c r2 (1 - u_t))): with an over-parameterised "
            "student the alignment must be strong before it helps.",
            source="arXiv:2505.18346, Theorem 8 (threshold derived in w2s-theory, docs/mechanism-2.md: the margin is v_s B - zeta^2 K(lam_s), "
            "K <= 2 c r2 (1 - u_t), v_s >= 1 - 1/gamma_s)",
            region={"lam_s": Interval(0, 1000), "gamma_s": Interval.Lopen(1, 100),
                    "s": Interval(Rational(1, 100), 1000), "zeta": Interval(0, 1), **_OPTIMAL_TEACHER},
            assumptions=(sympy.Le(zeta, weak_alignment_bound),),
            proof=_prove_weak_alignment,
        ),
    ]
