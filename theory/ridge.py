r"""Mechanism 1: a ridge teacher labels fresh inputs for a ridge student (arXiv:2505.18346, mechanism 1).

The mechanism is the first of [3]_; the teacher formulas are those of Dobriban and Wager [1]_
and of Hastie et al. [2]_.

Notation: ``m_t = m_{gamma_t}(-lam_t)``, ``m_t' = m'_{gamma_t}(-lam_t)``, ``u_t = lam_t m_t``,
``v_t = lam_t^2 m_t'``, ``w_t = m_t - lam_t m_t'`` and likewise for the student with
``(gamma_s, lam_s)``. All risks are excess risks ``||b - beta_star||^2``.

The quantities are defined once, in the compact form below; the derivations (optimal teacher
regularisation, the ``B - A`` identity, ridgeless and minimum-norm limits, the population student,
the over-parameterised threshold) are SymPy computations on these very expressions.

Examples
--------
>>> from theory import quantity
>>> quantity("ridge.teacher_risk")
gamma_t*sigma2*(-lam_t*m'(-lam_t, gamma_t) + m(-lam_t, gamma_t)) + lam_t**2*r2*m'(-lam_t, gamma_t)
>>> from theory.ridge import optimal_teacher_lambda
>>> optimal_teacher_lambda().result
gamma_t*sigma2/r2

References
----------
.. [1] E. Dobriban and S. Wager, "High-dimensional asymptotics of prediction: ridge regression
   and classification", Ann. Statist. 46 (2018).
.. [2] T. Hastie, A. Montanari, S. Rosset and R. J. Tibshirani, "Surprises in high-dimensional
   ridgeless least squares interpolation", Ann. Statist. 50 (2022).
.. [3] arXiv:2505.18346, "On the Mechanisms of Weak-to-Strong Generalization: A Theoretical
   Perspective", mechanism 1 (Theorem 5).
"""

from __future__ import annotations


import sympy
from sympy import Eq, Piecewise, Rational, Symbol, cancel, factor, solve, sqrt

from theory.cache import once_per_machine
from theory.derivation import Derivation
from theory.marchenko_pastur import StieltjesMP, StieltjesMPDerivative, in_kappa
from theory.registry import register
from theory.symbols import gamma_s, gamma_t, lam_s, lam_t, r2, sigma2, sigma2_s

__all__ = [
    "teacher_bias",
    "teacher_variance",
    "teacher_risk",
    "overlap_A",
    "overlap_B",
    "student_risk",
    "student_risk_paper",
    "student_risk_from_overlaps",
    "optimal_teacher_lambda",
    "overlap_gap_identity",
    "ridgeless_teacher_risk",
    "min_norm_student_risk",
    "population_student",
    "critical_ratio",
    "derivations",
    "shrinkage_functionals",
    "claims",
]

SOURCE = "arXiv:2505.18346, mechanism 1; derived in w2s-theory (docs/quantities.md)"


def shrinkage_functionals(lam, gamma):
    """``(u, v, w) = (lam m, lam^2 m', m - lam m')`` at ``m = m_gamma(-lam)``: the functionals in
    which the ridge risks are written.

    Examples
    --------
    >>> from theory.ridge import shrinkage_functionals
    >>> from theory.symbols import lam, gamma
    >>> shrinkage_functionals(lam, gamma)[0]
    lam*m(-lam, gamma)
    """
    m, mp = StieltjesMP(-lam, gamma), StieltjesMPDerivative(-lam, gamma)
    return lam * m, lam**2 * mp, m - lam * mp


u_t, v_t, w_t = shrinkage_functionals(lam_t, gamma_t)
u_s, v_s, w_s = shrinkage_functionals(lam_s, gamma_s)

# the papers' shorthand (docs/quantities.md), used by the presentation forms below
from theory.notation import minus, notation, over, plus, ref, times  # noqa: E402

_n_m_t = notation("ridge", "m_t", StieltjesMP(-lam_t, gamma_t), "teacher resolvent m_gamma_t(-lam_t)",
                  atomic=True, positive=True)
_n_mp_t = notation("ridge", "m'_t", StieltjesMPDerivative(-lam_t, gamma_t),
                   "its derivative m'_gamma_t(-lam_t)", atomic=True, positive=True)
_n_m_s = notation("ridge", "m_s", StieltjesMP(-lam_s, gamma_s), "student resolvent m_gamma_s(-lam_s)",
                  atomic=True, positive=True)
_n_mp_s = notation("ridge", "m'_s", StieltjesMPDerivative(-lam_s, gamma_s),
                   "its derivative m'_gamma_s(-lam_s)", atomic=True, positive=True)
_n_u_t = notation("ridge", "u_t", u_t, "teacher shrinkage lam_t m_t", positive=True)
_n_v_t = notation("ridge", "v_t", v_t, "teacher shrinkage lam_t^2 m_t'", positive=True)
_n_w_t = notation("ridge", "w_t", w_t, "teacher variance functional m_t - lam_t m_t'",
                  positive=True)

#: Bias of the ridge teacher, ``r2 lam_t^2 m_t'``.
teacher_bias = r2 * v_t
#: Variance of the ridge teacher, ``sigma2 gamma_t (m_t - lam_t m_t')``.
teacher_variance = sigma2 * gamma_t * w_t
#: Excess risk of the ridge teacher.
teacher_risk = teacher_bias + teacher_variance
#: Limit of ``<b_t, beta_star>``.
overlap_A = r2 * (1 - u_t)
#: Limit of ``||b_t||^2``.
overlap_B = r2 * (1 - 2 * u_t + v_t) + sigma2 * gamma_t * w_t


def student_risk_from_overlaps(L_t, A, B, lam_s, gamma_s, sigma2_s=0):
    """Student risk ``L_t - 2 u_s (B - A) + v_s B + sigma2_s gamma_s w_s`` from the teacher's overlaps.

    Only two scalars of the teacher enter: ``A = <b_t, beta_star>`` and ``B = ||b_t||^2``
    (the student's resolvent is independent of ``b_t`` and rotation invariant).

    Parameters
    ----------
    L_t, A, B : sympy.Expr
        Teacher risk and overlaps (expressions or plain symbols).
    lam_s, gamma_s : sympy.Expr
        Student regularisation and aspect ratio.
    sigma2_s : sympy.Expr, optional
        Extra label noise on the student's labels.

    Returns
    -------
    sympy.Expr

    Examples
    --------
    >>> from sympy import symbols
    >>> from theory.ridge import student_risk_from_overlaps
    >>> L, A, B, l = symbols('L A B lam', positive=True)
    >>> student_risk_from_overlaps(L, A, B, l, 0)
    B*lam**2/(lam + 1)**2 + L - 2*lam*(-A + B)/(lam + 1)
    """
    u_s, v_s, w_s = shrinkage_functionals(lam_s, gamma_s)
    return L_t - 2 * u_s * (B - A) + v_s * B + sigma2_s * gamma_s * w_s


_n_u_s = notation("ridge", "u_s", shrinkage_functionals(lam_s, gamma_s)[0], "student shrinkage lam_s m_s",
                  positive=True)
_n_v_s = notation("ridge", "v_s", shrinkage_functionals(lam_s, gamma_s)[1],
                  "student shrinkage lam_s^2 m_s'", positive=True)
_n_w_s = notation("ridge", "w_s", shrinkage_functionals(lam_s, gamma_s)[2],
                  "student variance functional m_s - lam_s m_s'", positive=True)

#: Excess risk of the ridge student trained on the teacher's labels. It equals
#: ``student_risk_from_overlaps(teacher_risk, overlap_A, overlap_B, lam_s, gamma_s, sigma2_s)``
#: (SymPy checks it: ``_overlap_steps`` and the tests) but is written as a sum of nonnegative terms,
#: so float64 does not cancel: ``L_t - 2 u_s (B - A) + v_s B`` does when the teacher's risk is
#: large (ridgeless near ``gamma_t = 1``) and the student shrinks hard, and
#: ``r2 - 2 (1 - u_s) A + (1 - 2 u_s + v_s) B`` does when the teacher's risk is small. With
#: ``L_t = r2 - 2A + B``, ``u_s - v_s = lam_s w_s`` and ``r2 - A = r2 u_t``: the teacher's error
#: seen through the student's shrinkage, the cross term, the student's bias, its noise.
#: The same risk in the papers' form, ``L_t - 2 u_s (B - A) + v_s B + sigma2_s gamma_s w_s``: the
#: claims are stated with it (their margin then shows the factor ``B - A``, which the certified
#: route needs), the evaluators use :data:`student_risk`.
student_risk_paper = student_risk_from_overlaps(teacher_risk, overlap_A, overlap_B, lam_s, gamma_s,
                                                sigma2_s)
student_risk = ((1 - 2 * u_s + v_s) * teacher_risk + 2 * lam_s * w_s * r2 * u_t + v_s * r2
                + sigma2_s * gamma_s * w_s)


# --- derivations --------------------------------------------------------------------------

@once_per_machine
def optimal_teacher_lambda() -> Derivation:
    r"""Optimal teacher regularisation: SymPy factors ``dL_t/dlam_t`` and solves.

    The derivative factors as ``(r2 lam_t - sigma2 gamma_t)`` times a factor free of ``r2`` and
    ``sigma2``; rewritten in ``kappa_t`` that factor is a ratio of positive terms, so the only
    stationary point is ``lam_star = sigma2 gamma_t / r2`` and it is the minimum.

    Returns
    -------
    Derivation
        ``result`` is ``lam_star``; the last step is the risk at the optimum.

    Examples
    --------
    >>> from theory.ridge import optimal_teacher_lambda
    >>> d = optimal_teacher_lambda()
    >>> d.result
    gamma_t*sigma2/r2
    >>> d.steps[-1][1]
    gamma_t*sigma2*m(-gamma_t*sigma2/r2, gamma_t)
    """
    derivative = teacher_risk.diff(lam_t)
    factored = factor(sympy.together(derivative))
    linear = [f for f in sympy.Mul.make_args(factored) if f.has(r2) and f.has(sigma2)]
    other = sympy.Mul(*[f for f in sympy.Mul.make_args(factored) if f not in linear])
    if len(linear) != 1 or sympy.degree(linear[0], lam_t) != 1 or other.has(r2, sigma2):
        raise RuntimeError("the teacher risk's derivative did not factor as expected")
    kappa = Symbol(r"kappa_t", positive=True)
    other_kappa = in_kappa(other, lam_t, gamma_t, kappa)
    D = Symbol("D", positive=True)  # D = (1 + kappa_t)^2 - gamma_t > 0 (positivity lemma)
    other_D = sympy.factor(other_kappa.xreplace({gamma_t: (1 + kappa) ** 2 - D}))
    (lam_star,) = solve(linear[0], lam_t)
    risk_at_optimum = sympy.expand(teacher_risk.xreplace({lam_t: lam_star}))
    return Derivation(
        "ridge.optimal_lambda",
        "Optimal teacher regularisation",
        "The teacher risk is stationary only where its derivative's factor linear in lam_t "
        "vanishes; the other factor, written in kappa_t, has a fixed sign.",
        (
            ("derivative of the teacher risk", derivative),
            ("factored by SymPy", factored),
            ("the factor free of r2 and sigma2, in kappa_t", other_kappa),
            ("with D = (1 + kappa_t)^2 - gamma_t > 0 it is positive", other_D),
            ("stationary point", Eq(Symbol(r"lambda^star"), lam_star)),
            ("teacher risk at the optimum", risk_at_optimum),
        ),
        lam_star,
        lhs=(r"\frac{\partial \mathcal{L}_t}{\partial \lambda_t}",
             r"\frac{\partial \mathcal{L}_t}{\partial \lambda_t}",
             r"\frac{\partial \mathcal{L}_t / \partial \lambda_t}{r^2 \lambda_t - \sigma^2 \gamma_t}",
             r"\frac{\partial \mathcal{L}_t / \partial \lambda_t}{r^2 \lambda_t - \sigma^2 \gamma_t}",
             None,
             r"\mathcal{L}_t(\lambda^\star)"),
    )


@once_per_machine
def overlap_gap_identity() -> Derivation:
    """The identity ``B - A = (m_t - lam_t m_t')(sigma2 gamma_t - r2 lam_t)``, factored by SymPy.

    So the teacher is under-regularised (``lam_t < lam_star``) exactly when ``B > A``.

    Examples
    --------
    >>> from theory.ridge import overlap_gap_identity
    >>> overlap_gap_identity().result
    (-gamma_t*sigma2 + lam_t*r2)*(lam_t*m'(-lam_t, gamma_t) - m(-lam_t, gamma_t))
    """
    gap = sympy.expand(overlap_B - overlap_A)
    factored = factor(gap)
    return Derivation(
        "ridge.overlap_gap",
        "The B - A identity",
        "B - A factors into the variance functional w_t > 0 and (sigma2 gamma_t - r2 lam_t).",
        (("B - A expanded", gap), ("factored by SymPy", factored)),
        factored,
        lhs=("B - A", "B - A"),
    )


@once_per_machine
def ridgeless_teacher_risk() -> Derivation:
    """Teacher risk as ``lam_t -> 0``: the ridgeless (minimum-norm) teacher.

    In ``kappa_t`` the risk is rational and ``lam_t -> 0`` is ``kappa_t -> max(gamma_t - 1, 0)``.

    Examples
    --------
    >>> from theory.ridge import ridgeless_teacher_risk
    >>> ridgeless_teacher_risk().result
    Piecewise((-gamma_t*sigma2/(gamma_t - 1), gamma_t < 1), (sigma2/(gamma_t - 1) + (gamma_t*r2 - r2)/gamma_t, True))
    """
    kappa = Symbol("kappa_t", positive=True)
    risk = in_kappa(teacher_risk, lam_t, gamma_t, kappa)
    under = factor(sympy.limit(risk, kappa, 0, "+"))
    over = sympy.apart(factor(risk.xreplace({kappa: gamma_t - 1})), sigma2)
    result = Piecewise((under, gamma_t < 1), (over, True))
    return Derivation(
        "ridge.ridgeless_teacher_risk",
        "Ridgeless teacher",
        "The teacher risk at lam_t -> 0 (kappa_t -> 0 if gamma_t < 1, gamma_t - 1 if gamma_t > 1).",
        (("teacher risk in kappa_t", risk), ("gamma_t < 1", under), ("gamma_t > 1", over)),
        result,
        lhs=(r"\mathcal{L}_t", r"\lim_{\lambda_t \to 0} \mathcal{L}_t",
             r"\lim_{\lambda_t \to 0} \mathcal{L}_t"),
    )


_L, _A, _B = sympy.symbols("L_t A B", positive=True)


@once_per_machine
def min_norm_student_risk() -> Derivation:
    """Minimum-norm student (``lam_s -> 0``) with ``gamma_s > 1``: ``L_t/gamma_s + (1 - 1/gamma_s) r2``.

    Examples
    --------
    >>> from theory.ridge import min_norm_student_risk
    >>> min_norm_student_risk().result
    r2 - r2/gamma_s + L_t/gamma_s
    """
    kappa = Symbol("kappa_s", positive=True)
    risk = student_risk_from_overlaps(_L, _A, _B, lam_s, gamma_s)
    risk_kappa = in_kappa(risk, lam_s, gamma_s, kappa)
    at_zero = factor(cancel(risk_kappa.xreplace({kappa: gamma_s - 1})))
    # eliminate A through L_t = r2 - 2A + B
    result = sympy.expand(cancel(at_zero.xreplace({_A: (r2 + _B - _L) / 2})))
    return Derivation(
        "ridge.min_norm_student",
        "Minimum-norm student",
        "lam_s -> 0 is kappa_s -> gamma_s - 1 when gamma_s > 1; L_t = r2 - 2A + B eliminates A.",
        (("student risk in kappa_s", risk_kappa), ("at kappa_s = gamma_s - 1", at_zero)),
        result,
        lhs=(r"\mathcal{L}_s", r"\lim_{\lambda_s \to 0} \mathcal{L}_s"),
    )


@once_per_machine
def population_student() -> Derivation:
    """Population student (``gamma_s -> 0``): risk, optimal ``lam_s`` and gain.

    At ``gamma = 0`` the MP law is the point mass at 1, so ``m(-lam) = 1/(1 + lam)``.

    Returns
    -------
    Derivation
        ``result`` is the tuple ``(risk, optimal lam_s, gain L_t - L_s)`` in terms of ``A, B``.

    Examples
    --------
    >>> from theory.ridge import population_student
    >>> risk, lam_opt, gain = population_student().result
    >>> lam_opt, gain
    (-(A - B)/A, (A - B)**2/B)
    """
    risk = student_risk_from_overlaps(r2 - 2 * _A + _B, _A, _B, lam_s, 0)
    risk = sympy.collect(sympy.expand(cancel(risk)), r2)
    stationary = solve(sympy.numer(sympy.together(risk.diff(lam_s))), lam_s)
    (lam_opt,) = [s for s in stationary if s.has(_A)]
    lam_opt = factor(lam_opt)
    gain = factor(cancel((r2 - 2 * _A + _B) - risk.xreplace({lam_s: lam_opt})))
    risk_display = r2 - 2 * _A / (1 + lam_s) + _B / (1 + lam_s) ** 2
    if cancel(risk - risk_display) != 0:  # pragma: no cover - guards the displayed form
        raise RuntimeError("population student risk did not reduce to the displayed form")
    return Derivation(
        "ridge.population_student",
        "Population student",
        "gamma_s -> 0: L_s = r2 - 2A/(1+lam_s) + B/(1+lam_s)^2, optimum (B-A)/A, gain (B-A)^2/B.",
        (("student risk at gamma_s = 0", risk_display),
         ("stationary point", Eq(Symbol(r"lambda_s^star"), lam_opt)),
         ("gain L_t - L_s at the optimum", gain)),
        (risk_display, lam_opt, gain),
        lhs=(r"\mathcal{L}_s", None, r"\mathcal{L}_t - \mathcal{L}_s"),
    )


@once_per_machine
def critical_ratio() -> Derivation:
    r"""Threshold ``rho_c(gamma_s)`` on ``B/A`` above which some student beats the teacher.

    ``L_s - L_t = -2 u_s (B - A) + v_s B < 0`` iff ``v_s/u_s < 2 (1 - A/B)``. So some ``lam_s`` wins
    iff ``B/A > 2 / (2 - inf v_s/u_s)``. In ``kappa_s``, ``v_s/u_s = kappa(1+kappa)/((1+kappa)^2 -
    gamma_s)`` on ``kappa >= max(gamma_s - 1, 0)``: its infimum is 0 (not attained) when
    ``gamma_s < 1``, and SymPy finds the interior minimum when ``gamma_s >= 1``.

    Examples
    --------
    >>> from theory.ridge import critical_ratio
    >>> critical_ratio().result
    4/(3 - sqrt(1 - 1/gamma_s))
    """
    kappa = Symbol("kappa_s", positive=True)
    u_s, v_s, _ = shrinkage_functionals(lam_s, gamma_s)
    ratio = in_kappa(v_s / u_s, lam_s, gamma_s, kappa)
    delta = Symbol("delta", positive=True)  # gamma_s = 1 + delta
    stationary = solve(sympy.numer(sympy.together(ratio.diff(kappa))), kappa)
    inside = [k for k in stationary
              if sympy.simplify(k.xreplace({gamma_s: 1 + delta}) - delta).is_positive]
    (k_min,) = inside
    f_min = sympy.radsimp(sympy.simplify(ratio.xreplace({kappa: k_min})))
    rho_c = sympy.simplify(2 / (2 - f_min))
    target = 4 / (3 - sqrt(1 - 1 / gamma_s))
    if sympy.simplify((rho_c - target).xreplace({gamma_s: 1 + delta})) == 0:
        rho_c = target  # same expression, shown in the form of docs/quantities.md
    return Derivation(
        "ridge.critical_ratio",
        "Over-parameterised threshold",
        "Some lam_s gives L_s < L_t iff B/A > 2/(2 - inf_{lam_s} v_s/u_s).",
        (("v_s/u_s in kappa_s", ratio), ("stationary points", sympy.FiniteSet(*stationary)),
         ("minimiser with kappa_s > gamma_s - 1", k_min), ("minimum of v_s/u_s", f_min),
         ("threshold 2/(2 - min)", rho_c)),
        rho_c,
        lhs=(r"\frac{v_s}{u_s}", r"\kappa_s", r"\kappa_s^{\min}", r"\min \frac{v_s}{u_s}",
             r"\rho_c"),
    )


def derivations() -> list[Derivation]:
    """Every derivation of this mechanism, in the order of the docs.

    Examples
    --------
    >>> from theory.ridge import derivations
    >>> [d.name for d in derivations()][:2]
    ['ridge.optimal_lambda', 'ridge.overlap_gap']
    """
    return [optimal_teacher_lambda(), overlap_gap_identity(), ridgeless_teacher_risk(),
            min_norm_student_risk(), population_student(), critical_ratio()]


# --- registration -------------------------------------------------------------------------

def _risk_form():
    # r2 lam_t^2 m_t' + sigma2 gamma_t (m_t - lam_t m_t')  (docs/quantities.md)
    return plus(times(r2, lam_t**2, _n_mp_t), times(sigma2, gamma_t, _w_t_form()))


def _w_t_form():
    return plus(_n_m_t, minus(times(lam_t, _n_mp_t)))


register("ridge.teacher_bias", teacher_bias, r"\mathcal{B}_t", "bias of the ridge teacher",
         SOURCE, presentation=lambda: times(r2, lam_t**2, _n_mp_t))
register("ridge.teacher_variance", teacher_variance, r"\mathcal{V}_t",
         "variance of the ridge teacher", SOURCE,
         presentation=lambda: times(sigma2, gamma_t, _w_t_form()))
register("ridge.teacher_risk", teacher_risk, r"\mathcal{L}_t",
         "excess risk of the ridge teacher", SOURCE, presentation=_risk_form)
register("ridge.overlap_A", overlap_A, r"A", "teacher overlap <b_t, beta_star>", SOURCE,
         presentation=lambda: times(r2, plus(1, minus(times(lam_t, _n_m_t)))))
register("ridge.overlap_B", overlap_B, r"B", "teacher norm ||b_t||^2", SOURCE,
         presentation=lambda: plus(
             times(r2, plus(1, minus(times(2, lam_t, _n_m_t)), times(lam_t**2, _n_mp_t))),
             times(sigma2, gamma_t, _w_t_form())))
register("ridge.overlap_ratio", overlap_B / overlap_A, r"\rho",
         "B/A, compared with the critical ratio", SOURCE,
         presentation=lambda: over(ref("ridge.overlap_B"), ref("ridge.overlap_A")))
register("ridge.student_risk", student_risk, r"\mathcal{L}_s",
         "excess risk of the ridge student trained on the teacher's labels", SOURCE,
         presentation=lambda: plus(
             ref("ridge.teacher_risk"),
             times(-2, _n_u_s, plus(ref("ridge.overlap_B"), minus(ref("ridge.overlap_A")))),
             times(_n_v_s, ref("ridge.overlap_B")), times(sigma2_s, gamma_s, _n_w_s)))
register("ridge.optimal_lambda", lambda: optimal_teacher_lambda().result, r"\lambda^\star",
         "optimal teacher regularisation (derived by SymPy)", SOURCE,
         declared=("gamma_t", "sigma2", "r2"),
         presentation=lambda: over(times(sigma2, gamma_t), r2))
register("ridge.optimal_teacher_risk", lambda: optimal_teacher_lambda().steps[-1][1],
         r"\mathcal{L}_t(\lambda^\star)", "teacher risk at the optimal regularisation", SOURCE,
         declared=("gamma_t", "sigma2", "r2"),
         presentation=lambda: times(sigma2, gamma_t,
                                    StieltjesMP(-ref("ridge.optimal_lambda"), gamma_t)))
register("ridge.critical_ratio",
         lambda: Piecewise((1, gamma_s < 1), (critical_ratio().result, True)), r"\rho_c",
         "B/A above which some student beats the teacher (derived by SymPy)", SOURCE,
         declared=("gamma_s",),
         presentation=lambda: Piecewise(
             (1, gamma_s < 1),
             (over(4, plus(3, minus(sqrt(plus(1, minus(over(1, gamma_s))), evaluate=False)))),
              True)))


# --- claims of mechanism 1 -----------------------------------------------------------------

from sympy import Interval  # noqa: E402

from theory.claims import Claim, Proof  # noqa: E402
from theory.marchenko_pastur import kappa_radical, positivity_lemma  # noqa: E402
from theory import symbols as _sym  # noqa: E402

lam_star = gamma_t * sigma2 / r2
_SCALE = Interval(Rational(1, 100), 100)
_TEACHER_REGION = {"gamma_t": _SCALE, "sigma2": Interval(0, 10), "r2": Interval(Rational(1, 10), 10)}


def _zero(expr) -> bool:
    return sympy.expand(expr) == 0


def _overlap_steps():
    """Steps shared by the proofs: the margin in overlaps and the B - A identity (SymPy checks)."""
    margin = student_risk - teacher_risk
    return (
        ("L_s - L_t = -2 u_s (B - A) + v_s B + sigma2_s gamma_s w_s",
         _zero(margin - (-2 * u_s * (overlap_B - overlap_A) + v_s * overlap_B
                         + sigma2_s * gamma_s * w_s))),
        ("B - A = w_t (sigma2 gamma_t - r2 lam_t)",
         _zero(overlap_B - overlap_A - w_t * (sigma2 * gamma_t - r2 * lam_t))),
    )


def _prove_over_regularised() -> Proof:
    steps = list(_overlap_steps())
    steps.append(("B = r2 ((1 - u_t)^2 + (v_t - u_t^2)) + sigma2 gamma_t w_t",
                  _zero(overlap_B - (r2 * ((1 - u_t) ** 2 + (v_t - u_t**2))
                                     + sigma2 * gamma_t * w_t))))
    steps += list(positivity_lemma())
    U_s, V_s, W_t, W_s, U_t = sympy.symbols("U_s V_s W_t W_s U_t", positive=True)
    Q_t, delta = sympy.symbols("Q_t delta", nonnegative=True)
    gap = sympy.expand((sigma2 * gamma_t - r2 * lam_t).xreplace({lam_t: lam_star + delta}))
    margin = (-2 * U_s * W_t * gap + V_s * (r2 * ((1 - U_t) ** 2 + Q_t) + sigma2 * gamma_t * W_t)
              + sigma2_s * gamma_s * W_s)
    steps.append(("with lam_t = lam_star + delta (delta >= 0) the margin is a sum of "
                  "non-negative terms", bool(margin.is_nonnegative)))
    return Proof(all(ok for _, ok in steps), tuple((s, str(ok)) for s, ok in steps))


def _prove_under_regularised_exists() -> Proof:
    steps = list(_overlap_steps())
    steps += list(positivity_lemma())
    k, eta, G, B, delta, W = sympy.symbols("kappa_s eta G B delta W_t", positive=True)
    g_s = 1 / (1 + eta)  # gamma_s < 1
    margin = -2 * k / (1 + k) * G + k**2 / ((1 + k) ** 2 - g_s) * B
    slope = sympy.limit(margin / k, k, 0, "+")
    steps.append(("margin / kappa_s -> -2 (B - A) as kappa_s -> 0", _zero(slope + 2 * G)))
    gap = sympy.expand(W * (sigma2 * gamma_t - r2 * lam_t).xreplace({lam_t: lam_star - delta}))
    steps.append(("B - A = w_t r2 delta > 0 for lam_t = lam_star - delta",
                  bool(gap.is_positive)))
    kappa_at_zero = sympy.limit(kappa_radical().xreplace({_sym.gamma: g_s}), _sym.lam, 0, "+")
    steps.append(("kappa_s -> 0 as lam_s -> 0+ when gamma_s < 1",
                  sympy.simplify(sympy.factor(kappa_at_zero, deep=True)) == 0))
    return Proof(all(ok for _, ok in steps), tuple((s, str(ok)) for s, ok in steps))


def _prove_threshold() -> Proof:
    steps = [("L_s - L_t = u_s (B v_s/u_s - 2 (B - A))",
              _zero(student_risk.xreplace({sigma2_s: 0}) - teacher_risk
                    - u_s * (overlap_B * v_s / u_s - 2 * (overlap_B - overlap_A))))]
    d = critical_ratio()
    ratio, k_min, f_min = d.steps[0][1], d.steps[2][1], d.steps[3][1]
    kappa = [s for s in ratio.free_symbols if s.name == "kappa_s"][0]
    delta = sympy.Symbol("delta", positive=True)
    at = {gamma_s: 1 + delta}
    steps.append(("v_s/u_s = 1 at lam_s = 0 (kappa_s = gamma_s - 1)",
                  sympy.simplify(ratio.xreplace({kappa: gamma_s - 1})) == 1))
    steps.append(("v_s/u_s -> 1 as lam_s -> oo", sympy.limit(ratio, kappa, sympy.oo) == 1))
    s = sympy.simplify((2 * f_min - 1).xreplace(at))  # f_min = (1 + s)/2; 0 <= s < 1
    steps.append(("the only stationary point lies above gamma_s - 1",
                  bool(sympy.simplify((k_min - gamma_s + 1).xreplace(at)).is_positive)))
    steps.append(("the value there is below 1: f_min = (1 + s)/2 with s >= 0, 1 - s^2 > 0",
                  bool(s.is_nonnegative) and bool(sympy.simplify(1 - s**2).is_positive)))
    steps.append(("at gamma_s = 1, v_s/u_s = (1+kappa)/(2+kappa) has infimum 1/2 (lam_s -> 0)",
                  sympy.cancel(ratio.xreplace({gamma_s: 1}) - (1 + kappa) / (2 + kappa)) == 0
                  and sympy.limit(ratio.xreplace({gamma_s: 1}), kappa, 0) == Rational(1, 2)
                  and sympy.simplify(d.result.xreplace({gamma_s: 1}) - Rational(4, 3)) == 0))
    steps.append(("B/A > 2/(2 - min v_s/u_s) is B/A > rho_c",
                  sympy.simplify((2 / (2 - f_min) - d.result).xreplace(at)) == 0))
    return Proof(all(ok for _, ok in steps), tuple((s, str(ok)) for s, ok in steps))


def _min_norm_formula():
    return teacher_risk / gamma_s + (1 - 1 / gamma_s) * r2


def _prove_min_norm() -> Proof:
    L_sym = [s for s in min_norm_student_risk().result.free_symbols if s.name == "L_t"][0]
    steps = (
        ("student risk = L_t - 2 u_s (B - A) + v_s B with the teacher's overlaps",
         _zero(student_risk - student_risk_from_overlaps(teacher_risk, overlap_A, overlap_B,
                                                          lam_s, gamma_s, sigma2_s))),
        ("at kappa_s = gamma_s - 1 that is L_t/gamma_s + (1 - 1/gamma_s) r2",
         sympy.cancel(min_norm_student_risk().result
                      - (L_sym / gamma_s + (1 - 1 / gamma_s) * r2)) == 0),
    )
    return Proof(all(ok for _, ok in steps), tuple((s, str(ok)) for s, ok in steps))


def _population_formula():
    return r2 - 2 * overlap_A / (1 + lam_s) + overlap_B / (1 + lam_s) ** 2


def _prove_population() -> Proof:
    margin = student_risk.xreplace({gamma_s: 0, sigma2_s: 0}) - _population_formula()
    steps = (("m_0(-lam) = 1/(1 + lam) makes the difference vanish",
              sympy.cancel(sympy.expand(margin)) == 0),)
    return Proof(steps[0][1], tuple((s, str(ok)) for s, ok in steps))


def _prove_population_optimum() -> Proof:
    A, B = sympy.symbols("A B", positive=True)
    steps = [("L_t = r2 - 2A + B", _zero(teacher_risk - (r2 - 2 * overlap_A + overlap_B)))]
    margin = (r2 - 2 * A / (1 + lam_s) + B / (1 + lam_s) ** 2) - (r2 - 2 * A + B - (B - A) ** 2 / B)
    factored = sympy.factor(sympy.together(margin))
    steps.append((f"L_s - (L_t - (B - A)^2/B) = {factored}", bool(factored.is_nonnegative)))
    return Proof(all(ok for _, ok in steps), tuple((s, str(ok)) for s, ok in steps))


def _prove_dobriban_wager() -> Proof:
    d = optimal_teacher_lambda()
    other = d.steps[2][1]
    kappa = [s for s in other.free_symbols if s.name == "kappa_t"][0]
    D = sympy.Symbol("D", positive=True)
    positive = sympy.simplify(other.xreplace({gamma_t: (1 + kappa) ** 2 - D}))
    steps = list(positivity_lemma())
    steps.append((f"dL_t/dlam_t = (r2 lam_t - sigma2 gamma_t) * {positive}, the second factor > 0",
                  bool(positive.is_positive)))
    steps.append(("so L_t decreases below lam_star and increases above it",
                  sympy.simplify(d.result - lam_star) == 0))
    return Proof(all(ok for _, ok in steps), tuple((s, str(ok)) for s, ok in steps))


def _hastie_formula():
    return Piecewise((sigma2 * gamma_t / (1 - gamma_t), gamma_t < 1),
                     (r2 * (1 - 1 / gamma_t) + sigma2 / (gamma_t - 1), True))


def _prove_hastie() -> Proof:
    derived = ridgeless_teacher_risk().result
    steps = tuple(
        (f"branch {i}: the SymPy limit equals Hastie et al.",
         sympy.simplify(a[0] - b[0]) == 0)
        for i, (a, b) in enumerate(zip(derived.args, _hastie_formula().args)))
    return Proof(all(ok for _, ok in steps), tuple((s, str(ok)) for s, ok in steps))


def claims() -> list[Claim]:
    """Claims 1-6 of the ridge mechanism and the teacher's classical risks, in registration
    order (the catalogue builds them on first use)."""
    return [
        Claim(
            sympy.Ge(student_risk_paper, teacher_risk, evaluate=False),
            id="ridge.over_regularised_teacher_never_beaten",
            statement="If lam_t >= sigma2 gamma_t / r2, no ridge student beats the teacher: L_s >= L_t for every "
            "lam_s >= 0 and gamma_s > 0.",
            source="arXiv:2505.18346, Theorem 5",
            region={"lam_s": Interval(0, 10**3), "gamma_s": _SCALE, "lam_t": Interval(0, 10**4),
                    **_TEACHER_REGION},
            assumptions=(sympy.Ge(lam_t, lam_star),),
            proof=_prove_over_regularised,
        ),
        Claim(
            sympy.Lt(student_risk_paper, teacher_risk, evaluate=False),
            id="ridge.under_regularised_teacher_is_beaten",
            statement="If lam_t < sigma2 gamma_t / r2 and gamma_s < 1, some lam_s > 0 gives L_s < L_t.",
            source="arXiv:2505.18346, mechanism 1 (converse of Theorem 5); derived in w2s-theory (docs/derivations/overlap-gap.md)",
            witness="lam_s",
            witness_range=Interval.Lopen(0, 10**4),
            region={"gamma_s": Interval.Ropen(Rational(1, 100), 1), "lam_t": Interval(0, 10**4),
                    "gamma_t": _SCALE, "sigma2": Interval(Rational(1, 100), 10),
                    "r2": Interval(Rational(1, 10), 10)},
            assumptions=(sympy.Lt(lam_t, lam_star),),
            proof=_prove_under_regularised_exists,
        ),
        Claim(
            sympy.Lt(student_risk_paper, teacher_risk, evaluate=False),
            id="ridge.overparameterised_student_threshold",
            statement="For gamma_s >= 1, some lam_s >= 0 gives L_s < L_t iff B/A > rho_c(gamma_s) = "
            "4/(3 - sqrt(1 - 1/gamma_s)).",
            source="derived in w2s-theory (docs/derivations/critical-ratio.md)",
            witness="lam_s",
            witness_range=Interval(0, 10**4),
            condition=sympy.StrictGreaterThan(overlap_B / overlap_A,
                                              Piecewise((1, gamma_s < 1), (4 / (3 - sqrt(1 - 1 / gamma_s)),
                                                                           True))),
            region={"gamma_s": Interval(1, 100), "lam_t": Interval(0, 10**3), **_TEACHER_REGION},
            proof=_prove_threshold,
        ),
        Claim(
            sympy.Eq(student_risk, _min_norm_formula(), evaluate=False),
            id="ridge.min_norm_student",
            statement="An over-parameterised minimum-norm student (gamma_s > 1, lam_s = 0) has "
            "L_s = L_t/gamma_s + (1 - 1/gamma_s) r2.",
            source="derived in w2s-theory (docs/derivations/min-norm-student.md)",
            region={"lam_s": 0, "gamma_s": Interval.Lopen(1, 100), "lam_t": Interval(0, 10**3),
                    **_TEACHER_REGION},
            proof=_prove_min_norm,
        ),
        Claim(
            sympy.Eq(student_risk.xreplace({gamma_s: 0}), _population_formula(), evaluate=False),
            id="ridge.population_student",
            statement="A population student (gamma_s -> 0) has L_s = r2 - 2A/(1 + lam_s) + B/(1 + lam_s)^2.",
            source="derived in w2s-theory (docs/derivations/population-student.md)",
            region={"lam_s": Interval(0, 10**3), "lam_t": Interval(0, 10**3), **_TEACHER_REGION},
            proof=_prove_population,
        ),
        Claim(
            sympy.Ge(student_risk.xreplace({gamma_s: 0}), teacher_risk - (overlap_B - overlap_A) ** 2
                                                         / overlap_B, evaluate=False),
            id="ridge.population_student_optimum",
            statement="For an under-regularised teacher the population student's best risk is "
            "L_t - (B - A)^2/B, reached at lam_s = (B - A)/A.",
            source="derived in w2s-theory (docs/derivations/population-student.md)",
            region={"lam_s": Interval(0, 10**3), "lam_t": Interval(0, 10**3), "gamma_t": _SCALE,
                    "sigma2": Interval(Rational(1, 100), 10), "r2": Interval(Rational(1, 10), 10)},
            assumptions=(sympy.Lt(lam_t, lam_star),),
            proof=_prove_population_optimum,
        ),
        Claim(
            sympy.Ge(teacher_risk, teacher_risk.xreplace({lam_t: lam_star}), evaluate=False),
            id="ridge.dobriban_wager_optimal_ridge",
            statement="The teacher risk is smallest at lam_t = gamma_t sigma2 / r2.",
            source="Dobriban & Wager (2018), Ann. Statist. 46; docs/derivations/optimal-lambda.md",
            region={"lam_t": Interval(0, 10**4), "gamma_t": _SCALE, "sigma2": Interval(Rational(1, 100), 10),
                    "r2": Interval(Rational(1, 10), 10)},
            proof=_prove_dobriban_wager,
        ),
        Claim(
            sympy.Eq(teacher_risk, _hastie_formula(), evaluate=False),
            id="ridge.hastie_ridgeless_risk",
            statement="The ridgeless teacher's risk is sigma2 gamma_t/(1 - gamma_t) for gamma_t < 1 and "
            "r2 (1 - 1/gamma_t) + sigma2/(gamma_t - 1) for gamma_t > 1.",
            source="Hastie, Montanari, Rosset & Tibshirani (2022), Ann. Statist. 50; docs/derivations/ridgeless.md",
            region={"lam_t": 0, **_TEACHER_REGION},
            proof=_prove_hastie,
        ),
    ]
