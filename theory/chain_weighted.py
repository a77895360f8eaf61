r"""Weighted-ridge levels inside a chain: the step derived by SymPy, and the aligned floor.

A level ``j`` that is a weighted-ridge student (mechanism 2 of arXiv:2505.18346, spike ``s_j``,
one direction ``theta`` shared by the chain) fits ``b' = h b + e (I - h) theta`` with ``h =
S (S + lam)^{-1}`` of fresh data and a scalar ``e`` (the Sherman-Morrison form). Its sample
covariance is independent of ``b``, ``theta`` and ``beta_star``, so every bilinear form
``<x, p(h) y>`` concentrates at ``<x, y>`` times the MP moment of the polynomial ``p``
(``h -> 1 - u``, ``h^2 -> q = 1 - 2u + v``). :func:`theory.chain.weighted_step_derivation` lets SymPy
expand the forms of ``b'`` and take those moments; :func:`derived_step_is_the_recursion` checks
that the result is the recursion :func:`theory.chain.weighted_step` runs (derived in
w2s-theory, docs/chains.md).

The aligned floor. Every chain of ridge and weighted-ridge levels keeps the form
``A_k = <beta_star, y_k>``, ``t_k = <theta, y_k>``, ``B_k = ||y_k||^2 + nu_k`` with ``y_k =
alpha_k b_0 + eta_k theta`` in the span of the teacher and ``theta`` and a variance ``nu_k >= 0``
(:func:`floor_invariant_steps`); so ``L_k >= r2 - ||P beta_star||^2``, ``P`` the projection on
that span:

.. math:: \mathcal{L}_k \ge r^2 - \frac{A^2 - 2 A t \zeta r + B \zeta^2 r^2}{B - t^2},

the ridge chains' floor ``r2 - A^2/B`` at ``zeta = 0``.

Examples
--------
>>> from theory.chain_weighted import derived_step_is_the_recursion
>>> derived_step_is_the_recursion()
True
"""

from __future__ import annotations

import sympy

from theory.chain import STEP_SYMBOLS, weighted_step_derivation
from theory.claims import Proof
from theory.marchenko_pastur import positivity_lemma

__all__ = ["weighted_step_derivation", "derived_step_is_the_recursion", "floor_invariant_steps",
           "prove_aligned_floor"]

_u, _v, _s, _noise = (STEP_SYMBOLS[k] for k in ("u", "v", "s", "N"))
_A, _B, _t, _L, _r2, _zr = (STEP_SYMBOLS[k] for k in ("A", "B", "t", "L", "r2", "zr"))


def _zero(expr) -> bool:
    """``expr == 0`` with each level's ``q`` written as ``1 - 2u + v`` (its definition)."""
    from theory.chain import ChainQ, ChainU, ChainV

    expr = expr.replace(ChainQ, lambda lam, gamma: 1 - 2 * ChainU(lam, gamma)
                        + ChainV(lam, gamma))
    return sympy.expand(expr) == 0 or sympy.cancel(sympy.together(expr)) == 0


def derived_step_is_the_recursion() -> bool:
    """Whether :func:`theory.chain.weighted_step` (level 1) is the SymPy-derived step.

    Examples
    --------
    >>> from theory.chain_weighted import derived_step_is_the_recursion
    >>> derived_step_is_the_recursion()
    True
    """
    from theory import chain as ch

    d = weighted_step_derivation()
    (L1, A1, B1, t1), e1 = ch.weighted_step((_L, _A, _B, _t), 1)
    u, v, w, q = ch.functionals(ch.lams[0], ch.gammas[0])
    table = {_u: u, _v: v, _s: ch.spikes[0], _noise: ch.noises[0] * ch.gammas[0] * w,
             _zr: ch.zeta_r(), _r2: ch.r2}
    e = sympy.Symbol("e", real=True)
    derived = [expr.xreplace(table) for _, expr in d.steps]
    return (all(_zero(a.xreplace({e: e1}) - b) for a, b in zip(derived[:4], (A1, t1, B1, L1)))
            and _zero(derived[4] - e1)
            and _zero(ch.as_mp(q) - ch.as_mp(1 - 2 * u + v)))


def floor_invariant_steps():
    """SymPy steps: the invariant ``(alpha, eta, nu)`` is kept by any level, and what it gives.

    Examples
    --------
    >>> from theory.chain_weighted import floor_invariant_steps
    >>> all(ok for _, ok in floor_invariant_steps())
    True
    """
    from theory import chain as ch

    al, et, nu = sympy.symbols("alpha eta nu", real=True)
    A0, B0, t0 = sympy.symbols("A_0 B_0 t_0", real=True)
    zr, r2 = ch.zeta_r(), ch.r2
    X = al**2 * B0 + 2 * al * et * t0 + et**2                  # ||y||^2, y = alpha b_0 + eta theta
    state = (r2 - 2 * (al * A0 + et * zr) + X + nu, al * A0 + et * zr, X + nu, al * t0 + et)
    (L1, A1, B1, t1), e = ch.weighted_step(state, 1)
    u, v, w, q = ch.functionals(ch.lams[0], ch.gammas[0])
    al1, et1 = (1 - u) * al, (1 - u) * et + e * u
    X1 = al1**2 * B0 + 2 * al1 * et1 * t0 + et1**2
    nu1 = (v - u**2) * (X - 2 * e * (al * t0 + et) + e**2) + q * nu \
        + ch.noises[0] * ch.gammas[0] * w
    steps = [("a level keeps A = <beta, y>, t = <theta, y> with alpha' = (1 - u) alpha, eta' = "
              "(1 - u) eta + e u", _zero(A1 - (al1 * A0 + et1 * zr)) and _zero(t1 - (al1 * t0 + et1))),
             ("and B = ||y||^2 + nu with nu' = (v - u^2) ||y - e theta||^2 + q nu + "
              "sigma_j^2 gamma_j w_j", _zero(B1 - X1 - nu1)),
             ("and L = r2 - 2A + B", _zero(L1 - (r2 - 2 * A1 + B1))),
             ("the teacher is alpha = 1, eta = 0, nu = 0", True)]
    # L - floor = (alpha - a, eta - c) G (alpha - a, eta - c)^T + nu, G = [[B, t], [t, 1]]
    a = (A0 - t0 * zr) / (B0 - t0**2)                         # P beta = a b_0 + c theta
    c = (B0 * zr - t0 * A0) / (B0 - t0**2)
    floor = r2 - (A0**2 - 2 * A0 * t0 * zr + B0 * zr**2) / (B0 - t0**2)
    gap = ((al - a) ** 2 * B0 + 2 * (al - a) * (et - c) * t0 + (et - c) ** 2) + nu
    steps.append(("L - floor = (alpha - a, eta - c) G (alpha - a, eta - c)^T + nu, with "
                  "P beta_star = a b_0 + c theta",
                  sympy.cancel(sympy.together(state[0] - floor - gap)) == 0))
    G = sympy.Matrix([[B0, t0], [t0, 1]])
    steps.append(("G = [[B, t], [t, 1]] has det B - t^2 and trace B + 1: positive definite when "
                  "B > t^2", _zero(G.det() - (B0 - t0**2))))
    return steps


def prove_aligned_floor() -> Proof:
    """Proof of ``chain.aligned_floor`` for chains of any length (by induction on the level)."""
    from theory import chain as ch
    from theory.ridge import overlap_A, overlap_B, shrinkage_functionals
    from theory.symbols import gamma_t, lam_t, sigma2, zeta

    u_t, v_t, w_t = shrinkage_functionals(lam_t, gamma_t)
    steps = [("the recursion run by the registered quantities is the SymPy-derived step",
              derived_step_is_the_recursion())]
    steps += floor_invariant_steps()
    steps += list(positivity_lemma())
    t_0 = ch.as_mp(ch.ridge_alignment(0))
    r2 = ch.r2
    steps.append(("B - t^2 = r2 (1 - zeta^2)(1 - u_t)^2 + r2 (v_t - u_t^2) + sigma2 gamma_t w_t "
                  "> 0 (sigma2 > 0)",
                  _zero(ch.as_mp(ch.teacher_B) - t_0**2 - (r2 * (1 - zeta**2) * (1 - u_t) ** 2
                                                           + r2 * (v_t - u_t**2)
                                                           + sigma2 * gamma_t * w_t))
                  and _zero(ch.as_mp(ch.teacher_A) - overlap_A)
                  and _zero(ch.as_mp(ch.teacher_B) - overlap_B)))
    steps.append(("so nu_k >= 0 (v >= u^2, q >= 0, a norm, label noise >= 0) and L_k >= floor "
                  "for every k; the registered floor is this one",
                  _zero(sympy.cancel(sympy.together(
                      ch.aligned_floor - (r2 - (ch.teacher_A**2 - 2 * ch.teacher_A * ch.ridge_alignment(0)
                                                * ch.zeta_r() + ch.teacher_B * ch.zeta_r()**2)
                                          / (ch.teacher_B - ch.ridge_alignment(0)**2)))))))
    return Proof(all(bool(ok) for _, ok in steps), tuple((s, str(bool(ok))) for s, ok in steps))
