"""The claims of the chain mechanism and their SymPy proofs (built lazily by the catalogue).

The proofs share one argument. Write ``p_j = 1 - u_j`` and ``q_j = 1 - 2u_j + v_j`` for level
``j``; then ``A_k = A P``, ``B_k = B Q + N`` with ``P = prod p_j``, ``Q = prod q_j`` and a noise
term ``N >= 0``, and ``L_k = r2 - 2 A P + B Q + N``. The Marchenko-Pastur positivity lemma gives
``0 <= p_j <= 1`` and ``q_j - p_j^2 = v_j - u_j^2 >= 0``, hence ``Q >= P^2`` (a product of
ordered non-negative factors). So ``L_k - (r2 - A^2/B) = B (Q - P^2) + (B P - A)^2/B + N >= 0``
(no chain goes below the population floor) and, when ``A >= B`` (the teacher is
over-regularised, ``lam_t >= sigma2 gamma_t/r2``), ``L_k - L_t = B (Q - P^2) + (1 - P)(2(A - B)
+ B (1 - P)) + N >= 0`` (no chain beats such a teacher).

Examples
--------
>>> from theory.claims import claim
>>> claim("chain.population_floor").kind
'forall'
"""

from __future__ import annotations

import sympy
from sympy import Interval, Rational

from theory import chain as ch
from theory.claims import Claim, Proof
from theory.marchenko_pastur import positivity_lemma
from theory.ridge import (lam_star, overlap_A, overlap_B, shrinkage_functionals, student_risk_paper,
                          teacher_risk)
from theory.symbols import gamma_s, gamma_t, lam_s, lam_t, r2, sigma2, sigma2_s  # noqa: F401

__all__ = ["claims", "chain_factors"]

_SCALE = Interval(Rational(1, 100), 100)
_TEACHER = {"gamma_t": _SCALE, "sigma2": Interval(0, 10), "r2": Interval(Rational(1, 10), 10)}


def _levels(k, noise=True):
    region = {}
    for j in range(k):
        region[f"lam_{j + 1}"] = Interval(0, 100)
        region[f"gamma_{j + 1}"] = _SCALE
        if noise:
            region[f"sigma2_{j + 1}"] = Interval(0, 1)
    return region


def chain_factors(k: int):
    """``(P, Q, N)``: level ``k``'s overlaps are ``A_k = A P`` and ``B_k = B Q + N``.

    Built from the products directly (not by the recursion), so that the proofs check the
    recursion against them.

    Examples
    --------
    >>> from theory.chain_claims import chain_factors
    >>> P, Q, N = chain_factors(1)
    >>> sorted(s.name for s in N.free_symbols)
    ['gamma_1', 'lam_1', 'sigma2_1']
    """
    P, Q, N = sympy.Integer(1), sympy.Integer(1), sympy.Integer(0)
    for j in range(k):
        u, v, w, q = ch.functionals(ch.lams[j], ch.gammas[j])
        P, Q, N = P * (1 - u), Q * q, N * q + ch.noises[j] * ch.gammas[j] * w
    return P, Q, N


def _zero(expr) -> bool:
    return sympy.expand(expr) == 0


def _steps(steps) -> Proof:
    return Proof(all(ok for _, ok in steps), tuple((s, str(ok)) for s, ok in steps))


def _teacher_steps():
    """Level 0 in the level functionals is the ridge teacher of arXiv:2505.18346."""
    return [("A_0, B_0, L_0 are the ridge teacher's overlaps and risk",
             _zero(ch.as_mp(ch.teacher_A) - overlap_A) and _zero(ch.as_mp(ch.teacher_B)
                                                                - overlap_B)
             and _zero(ch.as_mp(ch.teacher_L) - teacher_risk))]


def _functional_steps():
    """The level functionals' definitions: ``q = (1 - u)^2 + (v - u^2)`` in the MP primitives."""
    from theory.symbols import gamma, lam

    u, v, w, q = (ch.as_mp(f) for f in ch.functionals(lam, gamma))
    ref = shrinkage_functionals(lam, gamma)
    return [("u, v, w are lam m, lam^2 m', m - lam m' at m = m_gamma(-lam)",
             _zero(u - ref[0]) and _zero(v - ref[1]) and _zero(w - ref[2])),
            ("q = 1 - 2u + v = (1 - u)^2 + (v - u^2)", _zero(q - ((1 - u) ** 2 + (v - u**2))))]


def _common_steps(k: int):
    """The recursion against the products, and ``0 <= p_j <= 1``, ``q_j >= p_j^2``."""
    P, Q, N = chain_factors(k)
    A, B = ch.teacher_A, ch.teacher_B
    steps = _teacher_steps()
    steps += [(f"A_{k} = A P (the recursion against the product)", _zero(ch.overlaps(k)[0]
                                                                        - A * P)),
              (f"B_{k} = B Q + N", _zero(ch.overlaps(k)[1] - (B * Q + N))),
              (f"L_{k} (evaluated form) = r2 - 2 A P + B Q + N",
               _zero(ch.as_mp(ch.risk(k) - (r2 - 2 * A * P + B * Q + N))))]
    steps += list(positivity_lemma())
    steps += _functional_steps()
    kappa = sympy.Symbol("kappa", positive=True)
    steps.append(("p_j = 1 - u_j = 1/(1 + kappa_j) in (0, 1]",
                  sympy.simplify(1 - kappa / (1 + kappa) - 1 / (1 + kappa)) == 0))
    p = sympy.symbols(f"p1:{k + 1}", nonnegative=True)
    e = sympy.symbols(f"e1:{k + 1}", nonnegative=True)
    gap = sympy.expand(sympy.Mul(*[pi**2 + ei for pi, ei in zip(p, e)]) - sympy.Mul(*p) ** 2)
    steps.append(("with q_j = p_j^2 + e_j (e_j = v_j - u_j^2 >= 0): Q - P^2 expands into "
                  "non-negative terms", bool(gap.is_nonnegative)))
    return steps


def _prove_floor(k: int):
    def proof() -> Proof:
        steps = _common_steps(k)
        A, P, E, N = sympy.symbols("A P E N", nonnegative=True)
        B = sympy.Symbol("B", positive=True)
        margin = (r2 - 2 * A * P + B * (P**2 + E) + N) - (r2 - A**2 / B)
        closed = B * E + (B * P - A) ** 2 / B + N
        steps.append(("the floor is r2 - A_0^2/B_0",
                      _zero(ch.population_floor - (r2 - ch.teacher_A**2 / ch.teacher_B))))
        steps.append(("L_k - (r2 - A^2/B) = B (Q - P^2) + (B P - A)^2/B + N, with Q = P^2 + E",
                      sympy.simplify(margin - closed) == 0))
        steps.append(("which is a sum of non-negative terms", bool(closed.is_nonnegative)))
        return _steps(steps)
    proof.__name__ = proof.__qualname__ = f"_prove_floor_{k}"
    return proof


def _prove_floor_4() -> Proof:
    return _prove_floor(4)()


def _prove_over_regularised_4() -> Proof:
    steps = _common_steps(4)
    u_t, _, w_t = shrinkage_functionals(lam_t, gamma_t)
    delta = sympy.Symbol("delta", nonnegative=True)
    steps.append(("A - B = w_t (r2 lam_t - sigma2 gamma_t) = w_t r2 delta at lam_t = lam_star + "
                  "delta", _zero(ch.as_mp(ch.teacher_A - ch.teacher_B)
                                 - w_t * (r2 * lam_t - sigma2 * gamma_t))
                  and _zero(sympy.expand(r2 * lam_t - sigma2 * gamma_t).xreplace(
                      {lam_t: lam_star + delta}) - r2 * delta)))
    B, x, E, N, D = sympy.symbols("B x E N D", nonnegative=True)   # P = 1 - x, A = B + D
    P, A = 1 - x, B + D
    margin = (r2 - 2 * A * P + B * (P**2 + E) + N) - (r2 - 2 * A + B)
    closed = B * E + x * (2 * D + B * x) + N
    steps.append(("L_k - L_t = B (Q - P^2) + (1 - P)(2 (A - B) + B (1 - P)) + N",
                  _zero(margin - closed)))
    steps.append(("with A - B >= 0 and 0 <= P <= 1 it is a sum of non-negative terms",
                  bool(closed.is_nonnegative)))
    return _steps(steps)


def _prove_uniform_floor() -> Proof:
    u, v, _, q = ch.functionals(ch.lam_c, ch.gamma_c)
    steps = list(positivity_lemma()) + _functional_steps()
    k = ch.levels
    p, e, A, B = sympy.symbols("p e A B", positive=True)  # (p = 0 or e = 0: by continuity)
    steps += _teacher_steps()
    steps.append(("uniform risk = r2 - 2 A p^k + B q^k with p = 1 - u, q = 1 - 2u + v",
                  _zero(ch.uniform_risk - (r2 - 2 * ch.teacher_A * (1 - u) ** k
                                           + ch.teacher_B * q ** k))))
    steps.append(("q^k >= p^(2k) for k >= 1 (x -> x^k increases on [0, oo))",
                  bool(sympy.diff((p**2 + e) ** k, e).is_nonnegative)))
    margin = r2 - 2 * A * p**k + B * p ** (2 * k) - (r2 - A**2 / B)
    steps.append(("r2 - 2 A p^k + B p^(2k) - (r2 - A^2/B) = (B p^k - A)^2/B >= 0",
                  sympy.simplify(margin - (B * p**k - A) ** 2 / B) == 0))
    return _steps(steps)


def _population_one_student():
    big = (1 + ch.lams[0]) * (1 + ch.lams[1])
    return r2 - 2 * ch.teacher_A / big + ch.teacher_B / big**2


def _prove_population_chain() -> Proof:
    margin = ch.risk(2).xreplace({ch.gammas[0]: 0, ch.gammas[1]: 0}) - _population_one_student()
    steps = (("m_0(-lam) = 1/(1 + lam): the two population students compose into one with "
              "1 + lam = (1 + lam_1)(1 + lam_2)", sympy.cancel(sympy.expand(ch.as_mp(margin)))
              == 0),)
    return _steps(steps)


def _first_level_as_ridge():
    return student_risk_paper.xreplace({lam_s: ch.lams[0], gamma_s: ch.gammas[0],
                                  sigma2_s: ch.noises[0]})


def _prove_first_level() -> Proof:
    return _steps((("level 1 of the recursion minus the ridge student of arXiv:2505.18346",
                    _zero(ch.as_mp(ch.risk_closed(1) - _first_level_as_ridge()))),))


def _first_aligned_as_weighted():
    from theory.registry import quantity

    return quantity("weighted_ridge.student_risk").xreplace({lam_s: ch.lams[0],
                                                             gamma_s: ch.gammas[0]})


def _prove_first_aligned() -> Proof:
    diff = sympy.cancel(sympy.together(ch.as_mp(ch.aligned_risk(1))
                                       - _first_aligned_as_weighted()))
    return _steps((("the aligned student at level 1 minus the weighted-ridge student of "
                    "arXiv:2505.18346, mechanism 2", diff == 0),))


def claims() -> list[Claim]:
    """The chain's claims (the catalogue builds them on first use)."""
    source = ch.SOURCE
    return [
        Claim(sympy.Eq(ch.as_mp(ch.risk_closed(1)), _first_level_as_ridge(), evaluate=False),
              id="chain.first_level_is_ridge_student",
              statement="Level 1 of the chain recursion is the ridge student of mechanism 1: "
                        "L_1 equals the student risk with (lam_s, gamma_s, sigma2_s) = "
                        "(lam_1, gamma_1, sigma2_1).",
              source=source,
              region={"lam_t": Interval(0, 1000), **_TEACHER, **_levels(1, noise=False)},
              proof=_prove_first_level),
        Claim(sympy.Ge(ch.risk(4), ch.teacher_L, evaluate=False),
              id="chain.over_regularised_teacher_never_beaten",
              statement="If lam_t >= sigma2 gamma_t / r2, no chain of up to four ridge students "
                        "(any regularisations, aspect ratios and label noises) beats the "
                        "teacher. A level without regularisation and with more samples than "
                        "dimensions copies the level before, so shorter chains are included.",
              source=source + "; extends arXiv:2505.18346 Theorem 5 to chains",
              region={"lam_t": Interval(0, 10**4), **_TEACHER, **_levels(4)},
              assumptions=(sympy.Ge(lam_t, lam_star),),
              proof=_prove_over_regularised_4),
        Claim(sympy.Ge(ch.risk(4), ch.population_floor, evaluate=False),
              id="chain.population_floor",
              statement="No chain of up to four ridge students goes below the population floor "
                        "r2 - A^2/B of its teacher (the best population student's risk when "
                        "the teacher is under-regularised).",
              source=source,
              region={"lam_t": Interval(0, 1000), "gamma_t": _SCALE,
                      "sigma2": Interval(Rational(1, 100), 10),
                      "r2": Interval(Rational(1, 10), 10), **_levels(4)},
              proof=_prove_floor_4),
        Claim(sympy.Ge(ch.uniform_risk, ch.population_floor, evaluate=False),
              id="chain.uniform_chain_floor",
              statement="A uniform chain of any length k >= 1 (every level (lam_c, gamma_c), "
                        "noiseless labels) stays above the population floor r2 - A^2/B.",
              source=source,
              region={"levels": Interval(1, 1000), "lam_c": Interval(0, 100),
                      "gamma_c": _SCALE, "lam_t": Interval(0, 1000), "gamma_t": _SCALE,
                      "sigma2": Interval(Rational(1, 100), 10),
                      "r2": Interval(Rational(1, 10), 10)},
              proof=_prove_uniform_floor),
        Claim(sympy.Eq(ch.risk(2).xreplace({ch.gammas[0]: 0, ch.gammas[1]: 0}),
                       _population_one_student(), evaluate=False),
              id="chain.population_chain_is_one_student",
              statement="Two population students (gamma_1, gamma_2 -> 0) in a chain are one "
                        "population student with 1 + lam_s = (1 + lam_1)(1 + lam_2).",
              source=source,
              region={"lam_1": Interval(0, 100), "lam_2": Interval(0, 100),
                      "lam_t": Interval(0, 1000), **_TEACHER},
              proof=_prove_population_chain),
        Claim(sympy.Eq(ch.as_mp(ch.aligned_risk(1)), _first_aligned_as_weighted(),
                       evaluate=False),
              id="chain.first_aligned_level_is_weighted_student",
              statement="An aligned student at level 1 of the chain is the weighted-ridge "
                        "student of mechanism 2 with (lam_s, gamma_s) = (lam_1, gamma_1).",
              source=source,
              region={"lam_1": Interval(0, 100), "gamma_1": _SCALE, "lam_t": Interval(0, 1000),
                      **_TEACHER, "s": Interval(0, 100)},
              proof=_prove_first_aligned),
        Claim(sympy.Ge(ch.weighted_state(4)[0], ch.aligned_floor, evaluate=False),
              id="chain.aligned_floor",
              statement="No chain of up to four levels, each a ridge or a weighted-ridge "
                        "student aligned with one direction theta (any spikes s_j, "
                        "regularisations, aspect ratios, label noises), goes below r2 - "
                        "||P beta_star||^2, P the projection on the span of the teacher and "
                        "theta; the proof holds for chains of any length.",
              source=source,
              region={"lam_t": Interval(0, 1000), "gamma_t": _SCALE,
                      "sigma2": Interval(Rational(1, 100), 10),
                      "r2": Interval(Rational(1, 10), 10), "zeta": Interval(-1, 1),
                      **_levels(4), **{f"s_{j}": Interval(0, 100) for j in range(1, 5)}},
              proof=_prove_aligned_floor),
    ]


def _prove_aligned_floor() -> Proof:
    from theory.chain_weighted import prove_aligned_floor

    return prove_aligned_floor()



