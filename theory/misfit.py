r"""The misfit inequality (gain >= misfit), stated once and instantiated on the toolkit's models.

Charikar, Pabbaraju & Shiragur (NeurIPS 2024, arXiv:2405.15116, Theorem 1) show, for the squared
loss: if the strong model's function class is a *convex* set, the target is in it
(*realisability*) and the strong model is the class's closest function to the weak model's under
the data distribution (the *population fit*), then

.. math:: \mathrm{gain} := \mathcal{L}_t - \mathcal{L}_s \ \ge\ \mathrm{misfit} := \mathbb{E}(f_s - f_t)^2 .

(It is the Pythagorean inequality of the projection onto a convex set.) Instantiated here:

* ridge (arXiv:2505.18346, mechanism 1): ``misfit = v_s B`` (``b_s - b_t = -lam_s (S +
  lam_s)^{-1} b_t``), ``gain - misfit = 2 u_s (B - A) - 2 v_s B``. The population student
  (``gamma_s -> 0``) is the projection of ``b_t`` onto the ball of radius ``|b_t|/(1 + lam_s)``,
  a convex class; realisable when ``r2 (1 + lam_s)^2 <= B``. Derived in w2s-theory
  (docs/misfit.md).
* the single-index student of arXiv:2605.05710 (class: the target's link on every unit
  direction, *not convex*): at saturation ``gain - misfit = 2 sum_j c_j h_j (1 - rho_w^j)``
  (``single_index.gain_identity``).

Examples
--------
>>> from theory import quantity
>>> quantity("misfit.ridge_misfit")
lam_s**2*(gamma_t*sigma2*(-lam_t*m'(-lam_t, gamma_t) + m(-lam_t, gamma_t)) + r2*(lam_t**2*m'(-lam_t, gamma_t) - 2*lam_t*m(-lam_t, gamma_t) + 1))*m'(-lam_s, gamma_s)
"""

from __future__ import annotations

import sympy
from sympy import Interval, Rational, sqrt

from theory.claims import Claim, Proof
from theory.marchenko_pastur import positivity_lemma
from theory.registry import register
from theory.ridge import (overlap_A, overlap_B, shrinkage_functionals, student_risk_paper,
                          teacher_risk)
from theory.symbols import gamma_s, gamma_t, lam_s, lam_t, r2, sigma2, sigma2_s

__all__ = ["ridge_misfit", "ridge_gain", "ridge_gain_minus_misfit", "realisable_sigma2",
           "STATEMENT", "claims"]

SOURCE = ("Charikar, Pabbaraju & Shiragur, arXiv:2405.15116, Theorem 1; instantiated in "
          "w2s-theory (docs/misfit.md)")
#: The inequality in words, once.
STATEMENT = ("gain >= misfit: if the strong class is convex, contains the target and the strong "
             "model is its closest function to the weak model under the data distribution, then "
             "L_t - L_s >= E (f_s - f_t)^2 (arXiv:2405.15116, Theorem 1)")

u_s, v_s, w_s = shrinkage_functionals(lam_s, gamma_s)
#: ``E (f_s - f_t)^2 = ||b_s - b_t||^2 = v_s B`` for the noiseless ridge student.
ridge_misfit = v_s * overlap_B
#: ``L_t - L_s`` (noiseless student labels).
ridge_gain = teacher_risk - student_risk_paper.xreplace({sigma2_s: 0})
#: ``gain - misfit = 2 u_s (B - A) - 2 v_s B``.
ridge_gain_minus_misfit = 2 * u_s * (overlap_B - overlap_A) - 2 * v_s * overlap_B
_u_t, _v_t, _w_t = shrinkage_functionals(lam_t, gamma_t)
#: Realisability ``r2 (1 + lam_s)^2 <= B`` solved for the noise: ``sigma2 >= realisable_sigma2``.
realisable_sigma2 = r2 * ((1 + lam_s) ** 2 - (1 - 2 * _u_t + _v_t)) / (gamma_t * _w_t)

register("misfit.ridge_misfit", ridge_misfit, r"\mathrm{misfit}",
         "E (f_s - f_t)^2 = v_s B: the ridge student's misfit to its teacher",
             SOURCE, presentation=ridge_misfit)
register("misfit.ridge_gain", ridge_gain, r"\mathcal{L}_t - \mathcal{L}_s",
         "the ridge student's gain over its teacher",
             SOURCE, presentation=ridge_gain)
register("misfit.ridge_gain_minus_misfit", ridge_gain_minus_misfit,
         r"\mathrm{gain} - \mathrm{misfit}", "2 u_s (B - A) - 2 v_s B", SOURCE,
         presentation=ridge_gain_minus_misfit)
register("misfit.realisable_sigma2", realisable_sigma2, r"\sigma^2_{\mathrm{real}}",
         "r2 ((1 + lam_s)^2 - q_t)/(gamma_t w_t): above it the population student's ball "
         "contains the target",
             SOURCE, presentation=realisable_sigma2)


def _zero(expr) -> bool:
    return sympy.expand(expr) == 0


def _steps(steps) -> Proof:
    return Proof(all(bool(ok) for _, ok in steps), tuple((s, str(bool(ok))) for s, ok in steps))


def _gap_identity():
    return ("gain - misfit = 2 u_s (B - A) - 2 v_s B",
            _zero(ridge_gain - ridge_misfit - ridge_gain_minus_misfit))


def _prove_population_realisable() -> Proof:
    steps = [_gap_identity(),
             ("sigma2 >= r2 ((1 + lam_s)^2 - q_t)/(gamma_t w_t) is r2 (1 + lam_s)^2 <= B",
              sympy.cancel(sympy.together(overlap_B - r2 * (1 + lam_s) ** 2
                                          - gamma_t * _w_t * (sigma2 - realisable_sigma2))) == 0)]
    a = lam_s / (1 + lam_s)
    population = ridge_gain_minus_misfit.xreplace({gamma_s: 0})
    steps.append(("gamma_s -> 0: u_s = a = lam_s/(1 + lam_s), v_s = a^2 and gain - misfit = "
                  "2 a (B/(1 + lam_s) - A)",
                  sympy.simplify(population - 2 * a * (overlap_B / (1 + lam_s) - overlap_A)) == 0))
    steps += list(positivity_lemma())
    u_t, v_t, w_t = shrinkage_functionals(lam_t, gamma_t)
    steps.append(("Cauchy-Schwarz: r2 B - A^2 = r2^2 (v_t - u_t^2) + r2 sigma2 gamma_t w_t >= 0",
                  _zero(r2 * overlap_B - overlap_A**2 - (r2**2 * (v_t - u_t**2)
                                                         + r2 * sigma2 * gamma_t * w_t))))
    R, B, lam, eps = sympy.symbols("r2 B lam epsilon", positive=True)
    # realisable: sqrt(B) = (1 + lam) sqrt(r2) + eps, eps >= 0
    root_B = (1 + lam) * sqrt(R) + eps
    lower = sympy.expand(root_B**2 / (1 + lam) - sqrt(R) * root_B)
    steps.append(("realisable (sqrt(B) >= (1 + lam_s) sqrt(r2)): B/(1 + lam_s) - sqrt(r2 B) = "
                  "eps sqrt(B)/(1 + lam_s) >= 0",
                  sympy.simplify(lower - eps * root_B / (1 + lam)) == 0
                  and bool((eps * root_B / (1 + lam)).is_nonnegative)))
    steps.append(("so B/(1 + lam_s) >= sqrt(r2 B) >= A and gain - misfit >= 0", True))
    return _steps(steps)


def _exact_sign(expr, point, negative=True) -> bool:
    value = sympy.nsimplify(expr.xreplace(point)).rewrite(sqrt)
    value = sympy.simplify(value)
    return bool(value.is_negative) if negative else bool(value.is_positive)


#: The teacher of the counterexamples (under-regularised: lam_t < sigma2 gamma_t / r2 = 1/2).
_TEACHER = {lam_t: Rational(1, 20), gamma_t: Rational(1, 2), sigma2: 1, r2: 1}


def _prove_population_unrealisable() -> Proof:
    point = {**_TEACHER, lam_s: 2}
    population = ridge_gain_minus_misfit.xreplace({gamma_s: 0})
    return _steps([_gap_identity(),
                   ("at lam_s = 2 the target is outside the ball: r2 (1 + lam_s)^2 - B > 0 "
                    "(exact)", _exact_sign(r2 * (1 + lam_s) ** 2 - overlap_B, point, False)),
                   ("and gain - misfit < 0 there (exact algebraic number)",
                    _exact_sign(population, point))])


_FINITE_POINT = {**_TEACHER, gamma_s: 2, lam_s: Rational(1, 100)}


def _prove_finite_realisable_fails() -> Proof:
    return _steps([_gap_identity(),
                   ("at gamma_s = 2, lam_s = 1/100 the population ball would contain the target: "
                    "B - r2 (1 + lam_s)^2 > 0 (exact)",
                    _exact_sign(overlap_B - r2 * (1 + lam_s) ** 2, _FINITE_POINT, False)),
                   ("and gain - misfit < 0 there (exact algebraic number)",
                    _exact_sign(ridge_gain_minus_misfit, _FINITE_POINT))])


def _single_index():
    from theory import single_index as si
    from theory.spectral import rho_w

    return si, rho_w


def _single_index_gap():
    si, rho_w = _single_index()
    return si.w2s_gain - si.misfit


def _prove_single_index_overshoot() -> Proof:
    si, rho_w = _single_index()
    h = [sympy.Symbol(f"h{j}", nonnegative=True) for j in range(1, 5)]
    cs = [sympy.Symbol(f"C{j}", nonnegative=True) for j in range(1, 5)]
    rho = sympy.Symbol("rho", positive=True)
    form = 2 * sum(cs[j] * h[j] * (1 - rho ** (j + 1)) for j in range(4))
    leq = sympy.Symbol("x", nonnegative=True)
    return _steps([("gain - misfit = 2 sum_j c_j (b_j - c_j)(1 - rho_w^j) (the gain identity)",
                    _zero(_single_index_gap() - 2 * sum(
                        si.c[j] * (si.b[j] - si.c[j]) * (1 - rho_w ** (j + 1)) for j in range(4)))),
                   ("with c_j >= 0, h_j = b_j - c_j >= 0 and rho_w = 1/(1 + x) in (0, 1] each "
                    "term is non-negative",
                    bool(sympy.expand(sympy.cancel(sympy.together(
                        form.xreplace({rho: 1 / (1 + leq)}) * (1 + leq) ** 4))).is_nonnegative))])


_SI_POINT = {"c1": 1, "b1": Rational(1, 2), "rho_w": Rational(1, 2)}


def _prove_single_index_fails() -> Proof:
    si, rho_w = _single_index()
    values = {s: _SI_POINT.get(s.name, 0) for s in _single_index_gap().free_symbols}
    gap = sympy.nsimplify(_single_index_gap().xreplace(values))
    projection = [("the student at saturation, f(<w, x>), is the class's closest function to the "
                   "weak model: E (f(<u,x>) - g(<w,x>))^2 = sum c_j^2 + b_j^2 - 2 c_j b_j <u,w>^j "
                   "is smallest at u = w when every c_j b_j >= 0 (here c1 b1 = 1/2)", True),
                  ("the target f(<v0, x>) is in the class (realisable)", True)]
    return _steps(projection + [(f"gain - misfit = {gap} < 0 at c1 = 1, b1 = 1/2, rho_w = 1/2",
                                 gap == Rational(-1, 2))])


def claims() -> list[Claim]:
    """The instantiations (the catalogue builds them on first use)."""
    from theory.single_index import b, c

    si, rho_w = _single_index()
    teacher = {"lam_t": Rational(1, 20), "gamma_t": Rational(1, 2), "sigma2": 1}
    return [
        Claim(sympy.Ge(ridge_gain.xreplace({gamma_s: 0}), ridge_misfit.xreplace({gamma_s: 0}),
                       evaluate=False),
              id="misfit.ridge_population_realisable",
              statement="Ridge, population student (gamma_s -> 0), realisable (r2 (1 + lam_s)^2 "
                        "<= B): gain >= misfit, as the theorem says (the student is the "
                        "projection of b_t on a ball containing the target).",
              source=SOURCE,
              region={"lam_s": Interval(0, 10), "lam_t": Interval(0, 10),
                      "gamma_t": Interval(Rational(1, 100), 100),
                      "sigma2": Interval(0, 10**6), "r2": Interval(Rational(1, 10), 10)},
              assumptions=(sympy.Ge(sigma2, realisable_sigma2),),
              proof=_prove_population_realisable),
        Claim(sympy.Lt(ridge_gain.xreplace({gamma_s: 0}), ridge_misfit.xreplace({gamma_s: 0}),
                       evaluate=False),
              id="misfit.ridge_population_unrealisable_fails",
              statement="Ridge, population student, realisability dropped: at lam_t = 1/20, "
                        "gamma_t = 1/2, sigma2 = 1, r2 = 1 some lam_s in [1, 10] (e.g. 2, whose "
                        "ball excludes the target) gives gain < misfit.",
              source=SOURCE, region=dict(teacher), witness="lam_s",
              witness_range=Interval(1, 10), proof=_prove_population_unrealisable),
        Claim(sympy.Lt(ridge_gain, ridge_misfit, evaluate=False),
              id="misfit.ridge_finite_student_fails",
              statement="Ridge, finite student data (gamma_s = 2: the population fit dropped), "
                        "target inside the population ball: at lam_t = 1/20, gamma_t = 1/2, "
                        "sigma2 = 1 some lam_s in [0, 1/10] gives gain < misfit.",
              source=SOURCE, region={**teacher, "gamma_s": 2}, witness="lam_s",
              witness_range=Interval(0, Rational(1, 10)),
              proof=_prove_finite_realisable_fails),
        Claim(sympy.Ge(si.w2s_gain, si.misfit, evaluate=False),
              id="misfit.single_index_overshooting_weak_link",
              statement="Single-index student at saturation: gain >= misfit whenever every "
                        "c_j >= 0 and b_j >= c_j (the weak link overshoots the target's), "
                        "although the class is not convex.",
              source=SOURCE + "; arXiv:2605.05710",
              region={**{str(x): Interval(0, 5) for x in c}, **{str(x): Interval(0, 10)
                                                                 for x in b},
                      "rho_w": Interval.Lopen(0, 1)},
              assumptions=tuple(sympy.Ge(bj, cj) for bj, cj in zip(b, c)),
              proof=_prove_single_index_overshoot),
        Claim(sympy.Lt(si.w2s_gain, si.misfit, evaluate=False),
              id="misfit.single_index_nonconvex_fails",
              statement="Single-index student at saturation (a non-convex class: one link, "
                        "every unit direction; realisable; the student is the class's closest "
                        "function to the weak model): at c1 = 1, b1 = 1/2, rho_w = 1/2 (other "
                        "coefficients 0) gain = -1/4 < misfit = 1/4.",
              source=SOURCE + "; arXiv:2605.05710",
              region={**{str(x): 0 for x in c + b}, "c1": 1, "b1": Rational(1, 2),
                      "rho_w": Rational(1, 2)},
              proof=_prove_single_index_fails),
    ]

