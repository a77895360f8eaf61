r"""Mechanisms 1 and 2 together: an aligned student of an under-regularised teacher.

The weighted-ridge student of arXiv:2505.18346 (mechanism 2) accepts any teacher, so an aligned
student (alignment ``zeta``) of an under-regularised ridge teacher (``lam_t < sigma2 gamma_t /
r2``, mechanism 1's source of gain) combines both. For the population student with the full
alignment weight (``gamma_s -> 0``, ``c -> 1``) SymPy minimises the risk over the student's
shrinkage ``U = lam_s/(1 + lam_s)`` (derived in w2s-theory, docs/interaction.md): with
``G = B - A`` (mechanism 1's lever), ``D = zeta^2 r2 u_t (1 - u_t)`` (mechanism 2's) and
``t = zeta sqrt(r2) (1 - u_t)``,

.. math:: \mathcal{L}_s - \mathcal{L}_t = -2U (G + D) + U^2 (B - t^2), \qquad
          G_{12} = \frac{(G + D)^2}{B - t^2},

against ``G_1 = G^2/B`` (mechanism 1 alone: ``zeta = 0``) and ``G_2 = D^2/(B - t^2)`` (the
alignment term alone, mechanism 2's gain at a teacher with ``B = A``). The combined gain is
super-additive, ``G_12 - G_1 - G_2 = 2GD/(B - t^2) + G^2 t^2/(B (B - t^2)) >= 0``: its excess
over the sum is of first order in ``zeta^2`` (``G_2`` is of order ``zeta^4``), so the two gains
are *not* additive to first order in ``zeta^2``.

Examples
--------
>>> from theory.interaction import combined_population_gain
>>> from theory.symbols import zeta
>>> combined_population_gain.has(zeta)
True
"""

from __future__ import annotations

import sympy
from sympy import Interval, Rational, sqrt

from theory.claims import Claim, Proof
from theory.derivation import Derivation
from theory.marchenko_pastur import positivity_lemma
from theory.registry import register
from theory.ridge import lam_star, overlap_A, overlap_B, shrinkage_functionals, teacher_risk
from theory.symbols import gamma_s, gamma_t, lam_s, lam_t, r2, sigma2, zeta
from theory.weighted_ridge import student_risk_weighted, teacher_alignment

__all__ = ["combined_population_gain", "ridge_population_gain", "alignment_population_gain",
           "population_gain_derivation", "claims", "derivations"]

SOURCE = ("derived in w2s-theory (docs/interaction.md) from arXiv:2505.18346, mechanisms 1 "
          "and 2")

u_t, v_t, w_t = shrinkage_functionals(lam_t, gamma_t)
_G = overlap_B - overlap_A
_D = zeta**2 * r2 * u_t * (1 - u_t)
_t = teacher_alignment


def population_gain_derivation() -> Derivation:
    """SymPy: the population student's risk margin in ``U``, its minimiser and the gain."""
    U = sympy.Symbol("U", positive=True)
    margin = student_risk_weighted(1).xreplace({gamma_s: 0}) - teacher_risk
    margin = sympy.cancel(margin.xreplace({lam_s: U / (1 - U)}))
    quadratic = -2 * U * (_G + _D) + U**2 * (overlap_B - _t**2)
    if sympy.simplify(margin - quadratic) != 0:
        raise RuntimeError("the population margin is not the expected quadratic in U")
    best = sympy.solve(sympy.diff(quadratic, U), U)[0]
    gain = sympy.factor(-quadratic.subs(U, best))
    return Derivation("interaction.population_gain", "The combined population gain",
                      "Population aligned student (gamma_s -> 0, c -> 1) of any ridge teacher; "
                      "U = lam_s/(1 + lam_s).",
                      (("L_s - L_t", quadratic), ("best U", best), ("gain", gain)), gain,
                      lhs=(r"\mathcal{L}_s - \mathcal{L}_t", r"U^\star", r"G_{12}"))


#: ``G_12 = (G + D)^2/(B - t^2)``.
combined_population_gain = (_G + _D) ** 2 / (overlap_B - _t**2)
#: ``G_1 = G^2/B`` (mechanism 1 alone).
ridge_population_gain = _G**2 / overlap_B
#: ``G_2 = D^2/(B - t^2)`` (the alignment term alone).
alignment_population_gain = _D**2 / (overlap_B - _t**2)

register("interaction.combined_population_gain", combined_population_gain, r"G_{12}",
         "best gain of a population aligned student (c -> 1) over its ridge teacher",
             SOURCE, presentation=combined_population_gain)
register("interaction.ridge_population_gain", ridge_population_gain, r"G_{1}",
         "best gain of a population ridge student over its teacher, (B - A)^2/B",
             SOURCE, presentation=ridge_population_gain)
register("interaction.alignment_population_gain", alignment_population_gain, r"G_{2}",
         "the alignment term alone, D^2/(B - t^2)",
             SOURCE, presentation=alignment_population_gain)


def derivations() -> list:
    """The derivations the LaTeX document shows."""
    return [population_gain_derivation()]


def _zero(expr) -> bool:
    return sympy.simplify(expr) == 0


def _steps(steps) -> Proof:
    return Proof(all(bool(ok) for _, ok in steps), tuple((s, str(bool(ok))) for s, ok in steps))


def _common():
    d = population_gain_derivation()
    steps = [("the population margin is -2U (G + D) + U^2 (B - t^2) and its minimum is "
              "(G + D)^2/(B - t^2) (SymPy)", _zero(d.result - combined_population_gain))]
    steps += list(positivity_lemma())
    steps.append(("B - t^2 = r2 (1 - zeta^2)(1 - u_t)^2 + r2 (v_t - u_t^2) + sigma2 gamma_t w_t "
                  "> 0", _zero(overlap_B - _t**2 - (r2 * (1 - zeta**2) * (1 - u_t) ** 2
                                                  + r2 * (v_t - u_t**2)
                                                  + sigma2 * gamma_t * w_t))))
    k = sympy.Symbol("kappa_t", nonnegative=True)             # u_t = kappa_t/(1 + kappa_t)
    u = k / (1 + k)
    steps.append(("D = zeta^2 r2 u_t (1 - u_t) >= 0: u_t (1 - u_t) = kappa_t/(1 + kappa_t)^2",
                  bool(sympy.factor(u * (1 - u)).is_nonnegative)))
    return steps


def _prove_superadditive() -> Proof:
    steps = _common()
    G, D, B, T = sympy.symbols("G D B T", nonnegative=True)   # T = t^2 <= B: B = T + E
    E = sympy.Symbol("E", positive=True)
    excess = (G + D) ** 2 / E - G**2 / (T + E) - D**2 / E
    closed = 2 * G * D / E + G**2 * T / ((T + E) * E)
    steps.append(("G_12 - G_1 - G_2 = 2 G D/(B - t^2) + G^2 t^2/(B (B - t^2))",
                  _zero(excess - closed)))
    steps.append(("with G = B - A = w_t (sigma2 gamma_t - r2 lam_t) >= 0 (lam_t <= lam_star) "
                  "each term is non-negative", bool(closed.is_nonnegative)
                  and _zero(_G - w_t * (sigma2 * gamma_t - r2 * lam_t))))
    return _steps(steps)


def _prove_not_additive() -> Proof:
    steps = _common()
    z2 = sympy.Symbol("z2", nonnegative=True)
    excess = (combined_population_gain - ridge_population_gain - alignment_population_gain)
    slope = sympy.diff(excess.xreplace({zeta: sqrt(z2)}), z2).xreplace({z2: 0})
    expected = (2 * _G * r2 * u_t * (1 - u_t) / overlap_B
                + _G**2 * r2 * (1 - u_t) ** 2 / overlap_B**2)
    steps.append(("d(G_12 - G_1 - G_2)/d(zeta^2) at zeta = 0 is 2 G r2 u_t (1 - u_t)/B + "
                  "G^2 r2 (1 - u_t)^2/B^2", _zero(slope - expected)))
    G, R, B, k = sympy.symbols("G R B kappa_t", positive=True)  # lam_t > 0: kappa_t > 0
    u = k / (1 + k)
    steps.append(("which is > 0 when G > 0 (lam_t < lam_star) and lam_t > 0",
                  bool(sympy.factor(2 * G * R * u * (1 - u) / B
                                    + G**2 * R * (1 - u) ** 2 / B**2).is_positive)))
    return _steps(steps)


def claims() -> list[Claim]:
    """The interaction's claims (built lazily by the catalogue)."""
    region = {"lam_t": Interval(0, 1000), "gamma_t": Interval(Rational(1, 100), 100),
              "sigma2": Interval(Rational(1, 100), 10), "r2": Interval(Rational(1, 10), 10),
              "zeta": Interval(-1, 1)}
    z2 = sympy.Symbol("z2", nonnegative=True)
    excess = combined_population_gain - ridge_population_gain - alignment_population_gain
    slope = sympy.diff(excess.xreplace({zeta: sqrt(z2)}), z2).xreplace({z2: 0})
    return [
        Claim(sympy.Ge(combined_population_gain,
                       ridge_population_gain + alignment_population_gain, evaluate=False),
              id="interaction.population_gain_superadditive",
              statement="For an under-regularised teacher (lam_t <= sigma2 gamma_t/r2) the "
                        "population aligned student's best gain is at least the sum of the two "
                        "mechanisms' gains: G_12 >= G_1 + G_2 (so at least the larger).",
              source=SOURCE, region=region,
              assumptions=(sympy.Le(lam_t, lam_star),), proof=_prove_superadditive),
        Claim(sympy.StrictGreaterThan(slope, 0, evaluate=False),
              id="interaction.gains_not_additive_in_zeta2",
              statement="The excess G_12 - G_1 - G_2 has a positive first-order term in zeta^2 "
                        "when 0 < lam_t < sigma2 gamma_t/r2: the gains do not add to first "
                        "order in zeta^2.",
              source=SOURCE,
              region={k: v for k, v in region.items() if k != "zeta"}
              | {"lam_t": Interval(Rational(1, 1000), 1000)},
              assumptions=(sympy.Lt(lam_t, lam_star),), proof=_prove_not_additive),
    ]
