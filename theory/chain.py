r"""Chains of teachers: each level is a ridge student trained on the level before.

Level 0 is the ridge teacher of mechanism 1 (arXiv:2505.18346); level ``j = 1..k`` is a ridge
student with ``(lam_j, gamma_j)`` fitted on *fresh* Gaussian inputs labelled by level ``j - 1``
(plus an optional label noise ``sigma2_j``). Conditionally on ``b_{j-1}`` the student's sample
covariance is rotation invariant and independent of it, so only two scalars of ``b_{j-1}`` enter
(as for the ridge student): the overlaps obey the recursion, derived in w2s-theory
(docs/chains.md),

.. math:: A_j = (1 - u_j) A_{j-1}, \qquad B_j = (1 - 2u_j + v_j) B_{j-1} + \sigma_j^2 \gamma_j w_j,
          \qquad \mathcal{L}_j = r^2 - 2 A_j + B_j,

with ``u_j = lam_j m_j``, ``v_j = lam_j^2 m_j'``, ``w_j = m_j - lam_j m_j'`` at
``m_j = m_{gamma_j}(-lam_j)``. The quantities below are built by running this recursion on the
SymPy expressions of the teacher's overlaps; the risk is registered in a form that is a sum of
non-negative terms (float64 does not cancel), which SymPy checks equals ``r2 - 2A_k + B_k``.

Examples
--------
>>> from theory import quantity
>>> sorted(str(s) for s in quantity("chain.risk_2").free_symbols)[:4]
['gamma_1', 'gamma_2', 'gamma_t', 'lam_1']
"""

from __future__ import annotations

import sympy
from sympy import Interval, oo

from sympy import Function

from theory.derivation import Derivation
from theory.marchenko_pastur import StieltjesMP, StieltjesMPDerivative
from theory.registry import register
from theory.symbols import gamma_t, lam_t, parameter, r2, sigma2

__all__ = ["ChainU", "ChainV", "ChainW", "ChainQ", "as_mp", "functionals", "LEVELS",
           "ALIGNED_LEVELS", "lams", "gammas", "noises", "levels", "lam_c", "gamma_c", "step",
           "overlaps", "risk", "risk_closed", "aligned_risk", "uniform_risk",
           "population_floor", "teacher_A", "teacher_B", "teacher_L", "long_chain_limit",
           "derivations", "weighted_step_derivation", "STEP_SYMBOLS", "zeta_r", "aligned_floor", "spikes", "ridge_alignment", "weighted_step", "weighted_state"]

SOURCE = "derived in w2s-theory (docs/chains.md); teacher of arXiv:2505.18346, mechanism 1"

#: Longest chain with its own parameters (levels 1..LEVELS).
LEVELS = 4
#: Longest chain whose last level may be an aligned student.
ALIGNED_LEVELS = LEVELS

lams = tuple(parameter(f"lam_{j}", rf"\lambda_{j}", f"lambda_{j}", Interval(0, oo),
                       f"ridge regularisation of chain level {j}", nonnegative=True)
             for j in range(1, LEVELS + 1))
gammas = tuple(parameter(f"gamma_{j}", rf"\gamma_{j}", f"gamma_{j}", Interval.open(0, oo),
                         f"aspect ratio d/n_{j} of chain level {j} (fresh data)", positive=True)
               for j in range(1, LEVELS + 1))
noises = tuple(parameter(f"sigma2_{j}", rf"\sigma_{j}^2", f"sigma_{j}^2", Interval(0, oo),
                         f"extra label noise on chain level {j}", default=0, nonnegative=True)
               for j in range(1, LEVELS + 1))
spikes = tuple(parameter(f"s_{j}", rf"s_{j}", f"s_{j}", Interval(0, oo),
                         f"spike strength of chain level {j}'s aligned penalty "
                         f"(0: a ridge level)", default=0, nonnegative=True)
               for j in range(1, LEVELS + 1))


class _LevelFunctional(Function):
    """A functional of one level's Marchenko-Pastur law at ``-lam``, kept opaque so that a long
    chain's risk stays a short expression (its numeric implementations are the mechanism's
    ``functions`` facet, :mod:`numerics.chain_functions`); :meth:`as_mp` is its definition in
    the MP primitives, which the proofs substitute. At ``gamma = 0`` (a population student)
    it evaluates to its closed form."""

    nargs = 2
    _latex_name = ""

    def as_mp(self):
        lam, gamma = self.args
        m, mp = StieltjesMP(-lam, gamma), StieltjesMPDerivative(-lam, gamma)
        return self._definition(lam, m, mp)

    @classmethod
    def eval(cls, lam, gamma):
        if gamma == 0:  # m_0(-lam) = 1/(1 + lam), m_0'(-lam) = 1/(1 + lam)^2
            return cls._definition(lam, 1 / (1 + lam), 1 / (1 + lam) ** 2)
        return None

    def _latex(self, printer, exp=None):
        lam, gamma = (printer._print(a) for a in self.args)
        s = r"%s_{%s}(%s)" % (self._latex_name, gamma, lam)
        return s if exp is None else r"%s^{%s}" % (s, exp)


class ChainU(_LevelFunctional):
    """``u = lam m(-lam)``: the shrinkage of one level (``A_j = (1 - u_j) A_{j-1}``)."""

    _latex_name = "u"

    @staticmethod
    def _definition(lam, m, mp):
        return lam * m


class ChainV(_LevelFunctional):
    """``v = lam^2 m'(-lam)``."""

    _latex_name = "v"

    @staticmethod
    def _definition(lam, m, mp):
        return lam**2 * mp


class ChainW(_LevelFunctional):
    """``w = m(-lam) - lam m'(-lam)``: the variance functional."""

    _latex_name = "w"

    @staticmethod
    def _definition(lam, m, mp):
        return m - lam * mp


class ChainQ(_LevelFunctional):
    """``q = 1 - 2u + v = int (x/(x + lam))^2 dMP``: what one level multiplies ``B`` by."""

    _latex_name = "q"

    @staticmethod
    def _definition(lam, m, mp):
        return 1 - 2 * lam * m + lam**2 * mp


def as_mp(expr):
    """``expr`` with every level functional replaced by its definition in the MP primitives.

    Examples
    --------
    >>> from theory.chain import ChainU, as_mp
    >>> from theory.symbols import lam, gamma
    >>> as_mp(1 - ChainU(lam, gamma))
    -lam*m(-lam, gamma) + 1
    """
    return expr.replace(lambda e: isinstance(e, _LevelFunctional), lambda e: e.as_mp())


def functionals(lam, gamma):
    """``(u, v, w, q)`` of one level, as opaque functions of ``(lam, gamma)``."""
    return ChainU(lam, gamma), ChainV(lam, gamma), ChainW(lam, gamma), ChainQ(lam, gamma)


_u_t, _v_t, _w_t, _q_t = functionals(lam_t, gamma_t)
#: The teacher's overlaps and risk in the level functionals (the proofs check them against
#: :mod:`theory.ridge`): ``A_0 = r2 (1 - u_t)``, ``B_0 = r2 q_t + sigma2 gamma_t w_t``,
#: ``L_0 = r2 v_t + sigma2 gamma_t w_t``.
teacher_A = r2 * (1 - _u_t)
teacher_B = r2 * _q_t + sigma2 * gamma_t * _w_t
teacher_L = r2 * _v_t + sigma2 * gamma_t * _w_t

#: Uniform chains: every level has ``(lam_c, gamma_c)``; ``levels`` is their number ``k``.
levels = parameter("levels", r"k", "k", Interval(1, oo), "number of students in a uniform chain",
                   positive=True)
lam_c = parameter("lam_c", r"\lambda_c", "lambda_c", Interval(0, oo),
                  "ridge regularisation of every level of a uniform chain", nonnegative=True)
gamma_c = parameter("gamma_c", r"\gamma_c", "gamma_c", Interval.open(0, oo),
                    "aspect ratio of every level of a uniform chain", positive=True)


def step(A, B, lam, gamma, noise=0):
    """One level of the recursion: the overlaps ``(A_j, B_j)`` from ``(A_{j-1}, B_{j-1})``.

    Examples
    --------
    >>> from sympy import symbols
    >>> from theory.chain import step
    >>> A, B, l = symbols("A B lam", positive=True)
    >>> step(A, B, l, 0)          # a population student shrinks by 1/(1 + lam)
    (A*(-lam/(lam + 1) + 1), B*(lam**2/(lam + 1)**2 - 2*lam/(lam + 1) + 1))
    >>> step(A, B, l, 1)[0]
    A*(1 - ChainU(lam, 1))
    """
    u, v, w, q = functionals(lam, gamma)
    return (1 - u) * A, q * B + noise * gamma * w


def overlaps(k: int):
    """``(A_k, B_k)`` after ``k`` levels (``k = 0``: the teacher's).

    Examples
    --------
    >>> from theory.chain import overlaps
    >>> overlaps(0)[0]
    r2*(1 - ChainU(lam_t, gamma_t))
    """
    _check_level(k, allow_zero=True)
    A, B = teacher_A, teacher_B
    for j in range(k):
        A, B = step(A, B, lams[j], gammas[j], noises[j])
    return A, B


def risk_closed(k: int):
    """``r2 - 2 A_k + B_k``: level ``k``'s excess risk in the form of the recursion.

    Examples
    --------
    >>> from theory.chain import risk_closed, as_mp
    >>> from theory.ridge import teacher_risk
    >>> import sympy
    >>> sympy.expand(as_mp(risk_closed(0)) - teacher_risk)
    0
    """
    A, B = overlaps(k)
    return r2 - 2 * A + B


def risk(k: int):
    """Level ``k``'s excess risk as a sum of non-negative terms (the evaluated form).

    With ``q_j = 1 - 2u_j + v_j``, ``u_j - v_j = lam_j w_j`` and ``R_j = r2 - A_j``
    (``R_0 = r2 u_t``, ``R_j = R_{j-1} + u_j A_{j-1}``):
    ``L_j = q_j L_{j-1} + 2 lam_j w_j R_{j-1} + v_j r2 + sigma2_j gamma_j w_j``.

    Examples
    --------
    >>> from theory.chain import risk, risk_closed, as_mp
    >>> import sympy
    >>> sympy.expand(as_mp(risk(2) - risk_closed(2)))
    0
    """
    _check_level(k, allow_zero=True)
    L, A, R = teacher_L, teacher_A, r2 * _u_t
    for j in range(k):
        u, v, w, q = functionals(lams[j], gammas[j])
        L = (q * L + 2 * lams[j] * w * R + v * r2
             + noises[j] * gammas[j] * w)
        A, R = (1 - u) * A, R + u * A
    return L


def aligned_risk(k: int, c=None):
    """Risk of an aligned weighted-ridge student (``zeta``, ``s``; arXiv:2505.18346,
    mechanism 2) with ``(lam_k, gamma_k)`` at the end of a chain of ``k - 1`` ridge students.

    Its labels come from level ``k - 1``; the rank-one closed form of mechanism 2 needs that
    level's risk, overlaps and alignment ``t_{k-1} = <theta, b_{k-1}>``, which follows the same
    recursion as ``A`` (``theta`` is a fixed direction): ``t_j = (1 - u_j) t_{j-1}``,
    ``t_0 = zeta sqrt(r2) (1 - u_t)``.

    Examples
    --------
    >>> from theory.chain import aligned_risk
    >>> from theory.symbols import zeta
    >>> aligned_risk(2).has(zeta)
    True
    """
    _check_level(k)
    c = _c() if c is None else c
    A, B = overlaps(k - 1)
    t = ridge_alignment(k - 1)
    u, v, _, _ = functionals(lams[k - 1], gammas[k - 1])
    delta = -c * t * (1 - u) / (1 - c * u)
    return (risk(k - 1) - 2 * u * ((B - A) + delta * (t - zeta_r()))
            + v * (B + 2 * delta * t + delta**2))


def _c():
    from theory.symbols import s
    return s / (1 + s)


def zeta_r():
    """``zeta sqrt(r2) = <theta, beta_star>``.

    Examples
    --------
    >>> from theory.chain import zeta_r
    >>> zeta_r()
    sqrt(r2)*zeta
    """
    from theory.symbols import zeta
    return zeta * sympy.sqrt(r2)


def ridge_alignment(k: int):
    """``t_k = <theta, b_k>`` after ``k`` ridge levels: ``zeta sqrt(r2) (1 - u_t) prod (1 - u_j)``.

    Examples
    --------
    >>> from theory.chain import ridge_alignment
    >>> ridge_alignment(0)
    sqrt(r2)*zeta*(1 - ChainU(lam_t, gamma_t))
    """
    _check_level(k, allow_zero=True)
    t = zeta_r() * (1 - _u_t)
    for j in range(k):
        t = (1 - ChainU(lams[j], gammas[j])) * t
    return t


def weighted_step(state, j: int):
    r"""One level of the chain when level ``j`` (1-based) may be a weighted-ridge student.

    Level ``j`` fits ``b_j = (S_j + lam_j Omega_j)^{-1} S_j b_{j-1}`` (plus its label noise),
    ``Omega_j = I - c_j theta theta^T``, ``c_j = s_j/(1 + s_j)``, with one direction ``theta``
    shared by every level (``<theta, beta_star> = zeta sqrt(r2)``); ``s_j = 0`` is a ridge
    level. By the Sherman-Morrison formula ``b_j = h_j b_{j-1} + e_j (I - h_j) theta`` with
    ``h_j = S_j (S_j + lam_j)^{-1}`` and the scalar ``e_j = s_j <theta, h_j b_{j-1}>/(1 + s_j
    <theta, h_j theta>)``, which concentrates at ``s_j (1 - u_j) t_{j-1}/(1 + s_j (1 - u_j))``.
    Since ``S_j`` is independent of ``b_{j-1}``, ``theta`` and ``beta_star``, every bilinear
    form concentrates (``h -> 1 - u``, ``h^2 -> q``, ``h (I - h) -> u - v``, ``(I - h)^2 ->
    v``), and with ``E = b - beta_star``, ``zr = zeta sqrt(r2)`` (derived in w2s-theory,
    docs/chains.md):

    .. math:: A_j = (1 - u_j) A_{j-1} + e_j u_j zr, \quad t_j = (1 - u_j) t_{j-1} + e_j u_j,

    .. math:: B_j = q_j B_{j-1} + 2 e_j (u_j - v_j) t_{j-1} + e_j^2 v_j + \sigma_j^2\gamma_j w_j,

    .. math:: L_j = q_j L_{j-1} + 2 (u_j - v_j)(e_j (t_{j-1} - zr) + r^2 - A_{j-1})
              + v_j (e_j^2 - 2 e_j zr + r^2) + \sigma_j^2\gamma_j w_j.

    ``state`` is ``(L, A, B, t)`` of level ``j - 1``; returns level ``j``'s and ``e_j``.

    Examples
    --------
    >>> from theory.chain import weighted_step, weighted_state
    >>> L, A, B, t = weighted_state(0)
    >>> new, e = weighted_step((L, A, B, t), 1)
    >>> sorted(str(x) for x in e.free_symbols)
    ['gamma_1', 'gamma_t', 'lam_1', 'lam_t', 'r2', 's_1', 'zeta']
    """
    L, A, B, t = state
    i = j - 1
    u, v, w, q = functionals(lams[i], gammas[i])
    zr = zeta_r()
    e = spikes[i] * (1 - u) * t / (1 + spikes[i] * (1 - u))
    noise = noises[i] * gammas[i] * w
    return ((q * L + 2 * (u - v) * (e * (t - zr) + r2 - A) + v * (e**2 - 2 * e * zr + r2)
             + noise,
             (1 - u) * A + e * u * zr, q * B + 2 * e * (u - v) * t + e**2 * v + noise,
             (1 - u) * t + e * u), e)


def weighted_state(k: int):
    """``(L_k, A_k, B_k, t_k)`` of a chain whose levels may be weighted-ridge students (per-level
    spikes ``s_j``, one shared direction ``theta``; see :func:`weighted_step`).

    Examples
    --------
    >>> from theory.chain import weighted_state, risk, as_mp
    >>> from theory.symbols import symbol
    >>> import sympy
    >>> L = weighted_state(2)[0].xreplace({symbol("s_1"): 0, symbol("s_2"): 0})
    >>> sympy.expand(as_mp(L - risk(2)))        # no spike: the ridge chain
    0
    """
    _check_level(k, allow_zero=True)
    state = (teacher_L, teacher_A, teacher_B, ridge_alignment(0))
    for j in range(1, k + 1):
        state = weighted_step(state, j)[0]
    return state


def _check_level(k, allow_zero=False):
    if isinstance(k, bool) or not isinstance(k, int) or not (0 if allow_zero else 1) <= k <= LEVELS:
        raise ValueError(f"chain level k must be an integer in [{0 if allow_zero else 1}, "
                         f"{LEVELS}]; got {k!r}")


#: A uniform chain of ``k`` noiseless levels: ``r2 - 2 A (1 - u)^k + B q^k``.
uniform_risk = (r2 - 2 * teacher_A * (1 - ChainU(lam_c, gamma_c)) ** levels
                + teacher_B * ChainQ(lam_c, gamma_c) ** levels)
#: The population floor ``r2 - A^2/B``: the best population student's risk when ``A <= B``.
population_floor = r2 - teacher_A**2 / teacher_B


def _aligned_floor():
    t, zr = ridge_alignment(0), zeta_r()
    return r2 - (teacher_A**2 - 2 * teacher_A * t * zr + teacher_B * zr**2) / (teacher_B - t**2)


#: ``r2 - ||P beta_star||^2``, ``P`` the projection on the span of the teacher and ``theta``:
#: no chain of ridge and weighted-ridge levels goes below it (:mod:`theory.chain_weighted`).
aligned_floor = _aligned_floor()


# --- a weighted-ridge level, derived from the MP moments --------------------------------

_H = sympy.Symbol("h")
_u, _v, _s, _w, _noise = sympy.symbols("u v s w N", nonnegative=True)
#: The level's state before the step: overlaps, alignment, risk (generic symbols).
_A, _B, _t, _L, _r2, _zr = sympy.symbols("A B t L r2 zr", real=True)
#: The generic symbols of :func:`weighted_step_derivation`, by name (its steps are in them).
STEP_SYMBOLS = {"u": _u, "v": _v, "s": _s, "N": _noise, "A": _A, "B": _B, "t": _t, "L": _L,
                "r2": _r2, "zr": _zr}


def _moments(poly):
    """The MP moment of a polynomial in ``h``: ``h^0 -> 1``, ``h -> 1 - u``, ``h^2 -> 1 - 2u +
    v`` (``int x/(x + lam) dMP = 1 - u``, ``int (x/(x + lam))^2 dMP = 1 - 2u + v``)."""
    mu = {0: 1, 1: 1 - _u, 2: 1 - 2 * _u + _v}
    p = sympy.Poly(sympy.expand(poly), _H)
    return sum(c * mu[k] for (k,), c in p.terms())


def _form(x, y, gram):
    """``<x, y>`` for ``x, y`` given as ``{vector name: polynomial in h}``, concentrated."""
    return sympy.expand(sum(_moments(px * py) * gram[frozenset((a, b))]
                            for a, px in x.items() for b, py in y.items()))


def weighted_step_derivation() -> Derivation:
    """SymPy: one weighted-ridge level's overlaps, alignment and risk from the moments.

    Examples
    --------
    >>> from theory.chain import weighted_step_derivation
    >>> d = weighted_step_derivation()
    >>> d.steps[1][1]
    e*u + t*(1 - u)
    """
    gram = {frozenset(("b",)): _B, frozenset(("b", "theta")): _t, frozenset(("b", "beta")): _A,
            frozenset(("theta",)): 1, frozenset(("theta", "beta")): _zr,
            frozenset(("beta",)): _r2}
    e = sympy.Symbol("e", real=True)
    new = {"b": _H, "theta": e * (1 - _H)}                  # b' = h b + e (I - h) theta
    err = {**new, "beta": sympy.Integer(-1)}                # b' - beta_star
    A1 = _form(new, {"beta": 1}, gram)
    t1 = _form(new, {"theta": 1}, gram)
    B1 = _form(new, new, gram) + _noise
    L1 = _form(err, err, gram) + _noise
    # e concentrates: s <theta, h b>/(1 + s <theta, h theta>)
    e_value = _s * _form({"theta": 1}, {"b": _H}, gram) / (
        1 + _s * _form({"theta": 1}, {"theta": _H}, gram))
    steps = (("A'", sympy.collect(A1, [_A, e])), ("t'", sympy.collect(t1, [_t, e])),
             ("B'", sympy.collect(B1, [_B, e])),
             ("L' (with L = r2 - 2A + B)",
              sympy.collect(sympy.expand(L1 - (_r2 - 2 * _A + _B) * (1 - 2 * _u + _v)),
                            [e, _r2]) + (1 - 2 * _u + _v) * _L),
             ("e", sympy.factor(e_value)))
    return Derivation("chain.weighted_step", "A weighted-ridge level inside a chain",
                      "b' = h b + e (I - h) theta on fresh data; N = sigma_j^2 gamma_j w_j is "
                      "the level's label-noise term.", steps, steps[3][1],
                      lhs=("A_j", "t_j", "B_j", r"\mathcal{L}_j", "e_j"))



def long_chain_limit() -> Derivation:
    r"""A long chain of gentle students: ``k`` levels with ``lam = c/k`` and ``gamma < 1``.

    For ``gamma < 1``, ``m_gamma(0) = 1/(1 - gamma)`` and ``m'_gamma(0) = 1/(1 - gamma)^3``, so
    ``u = c/(k(1 - gamma)) + O(k^-2)`` and ``v = O(k^-2)``; SymPy takes the limits
    ``(1 - u)^k -> exp(-c/(1 - gamma))`` and ``(1 - 2u + v)^k -> exp(-2c/(1 - gamma))``: the
    chain's risk tends to ``r2 - 2A P + B P^2`` with ``P = exp(-c/(1 - gamma))``, the risk of a
    *population* student with ``1/(1 + lam_s) = P``; its minimum over ``c`` is the population
    floor ``r2 - A^2/B`` (when ``A <= B``).

    Examples
    --------
    >>> from theory.chain import long_chain_limit
    >>> long_chain_limit().steps[0][1]
    exp(-c/(1 - gamma))
    """
    c, k, g, A, B, R = sympy.symbols("c k gamma A B r2", positive=True)
    m0, m1 = 1 / (1 - g), 1 / (1 - g) ** 3          # m(0), m'(0) for gamma < 1
    lam = c / k
    u = lam * m0 + lam**2 * m1                       # lam m(-lam) to second order
    v = lam**2 * m1
    P = sympy.limit((1 - u) ** k, k, oo)
    Q = sympy.limit((1 - 2 * u + v) ** k, k, oo)
    limit = R - 2 * A * P + B * Q
    best = (1 - g) * sympy.log(B / A)                 # c* = (1 - gamma) log(B/A), A <= B
    if sympy.simplify(sympy.diff(limit, c).subs(c, best)) != 0:
        raise RuntimeError("c* is not a stationary point of the long chain's limit")
    floor = sympy.simplify(limit.subs(c, best))
    return Derivation("chain.long_chain_limit", "A long chain of gentle students",
                      "k students with lam = c/k on fresh data, gamma < 1, k -> oo.",
                      (("(1 - u)^k ->", P), ("(1 - 2u + v)^k ->", Q), ("risk ->", limit),
                       ("best c", best), ("risk at the best c", floor)),
                      floor, lhs=(r"P_\infty", r"Q_\infty", r"\mathcal{L}_\infty", r"c^\star",
                                  r"\mathcal{L}_\infty(c^\star)"))


def derivations() -> list:
    """The derivations the LaTeX document shows."""
    return [long_chain_limit(), weighted_step_derivation()]


_PARAMS_T = ("lam_t", "gamma_t", "sigma2", "r2")


def _declared(k, aligned=False):
    names = list(_PARAMS_T)
    for j in range(1, k + 1):
        names += [f"lam_{j}", f"gamma_{j}"]
        if not (aligned and j == k):
            names.append(f"sigma2_{j}")
    return tuple(names + (["zeta", "s"] if aligned else []))


for _k in range(1, LEVELS + 1):
    register(f"chain.overlap_A_{_k}", overlaps(_k)[0], rf"A_{_k}",
             f"overlap <b_{_k}, beta_star> of chain level {_k}",
             SOURCE, presentation=overlaps(_k)[0])
    register(f"chain.overlap_B_{_k}", overlaps(_k)[1], rf"B_{_k}",
             f"squared norm ||b_{_k}||^2 of chain level {_k}",
             SOURCE, presentation=overlaps(_k)[1])
    register(f"chain.risk_{_k}", risk(_k), rf"\mathcal{{L}}_{_k}",
             f"excess risk of chain level {_k} (a ridge student of level {_k - 1})",
             SOURCE, presentation=risk(_k))
from theory.notation import notation, ref  # noqa: E402

#: Level 0 in the level functionals, as named shorthand for the displays.
_N_LEVEL0 = (notation("chain", r"\mathcal{L}_0", teacher_L, "the teacher's excess risk "
                      "(level 0)", positive=True),
             notation("chain", r"A_0", teacher_A, "the teacher's overlap <b_0, beta_star>"),
             notation("chain", r"B_0", teacher_B, "the teacher's squared norm ||b_0||^2",
                      positive=True))


def _previous(k, weighted=False):
    """Shorthand for level ``k - 1``'s risk, overlaps and alignment (named subexpressions keep
    a long chain's display short: the document shows them in its list of notation)."""
    if k == 1:
        L, A, B = _N_LEVEL0
    elif weighted:
        L = ref(f"chain.weighted_risk_{k - 1}")
        state = weighted_state(k - 1)
        A = notation("chain", rf"A^{{\Omega}}_{{{k - 1}}}", state[1],
                     f"overlap <b_{k - 1}, beta_star> of a chain with weighted levels")
        B = notation("chain", rf"B^{{\Omega}}_{{{k - 1}}}", state[2],
                     f"squared norm ||b_{k - 1}||^2 of a chain with weighted levels",
                     positive=True)
    else:
        L, A, B = (ref(f"chain.{n}_{k - 1}") for n in ("risk", "overlap_A", "overlap_B"))
    if weighted:
        t = notation("chain", rf"t^{{\Omega}}_{{{k - 1}}}", weighted_state(k - 1)[3],
                     f"alignment <theta, b_{k - 1}> of a chain with weighted levels")
    else:
        t = notation("chain", rf"t_{{{k - 1}}}", ridge_alignment(k - 1),
                     f"alignment <theta, b_{k - 1}> after {k - 1} ridge levels")
    return L, A, B, t


def _aligned_presentation(k):
    L, A, B, t = _previous(k)
    u, v, _, _ = functionals(lams[k - 1], gammas[k - 1])
    c = _c()
    delta = notation("chain", rf"\delta_{{{k}}}", -c * t * (1 - u) / (1 - c * u),
                     f"the aligned level {k}'s shift -c t_{k - 1} (1 - u_{k})/(1 - c u_{k})")
    return (L - 2 * u * ((B - A) + delta * (t - zeta_r()))
            + v * (B + 2 * delta * t + delta**2))


def _weighted_presentation(k):
    L, A, B, t = _previous(k, weighted=True)
    i = k - 1
    u, v, w, q = functionals(lams[i], gammas[i])
    zr = zeta_r()
    e = notation("chain", rf"e_{{{k}}}", spikes[i] * (1 - u) * t / (1 + spikes[i] * (1 - u)),
                 f"level {k}'s weight on (I - h) theta, s_{k} (1 - u_{k}) t_{k - 1}/(1 + s_{k} "
                 f"(1 - u_{k}))")
    return (q * L + 2 * (u - v) * (e * (t - zr) + r2 - A) + v * (e**2 - 2 * e * zr + r2)
            + noises[i] * gammas[i] * w)


for _k in range(1, ALIGNED_LEVELS + 1):
    register(f"chain.aligned_risk_{_k}", aligned_risk(_k), rf"\mathcal{{L}}^{{\Omega}}_{_k}",
             f"excess risk of an aligned weighted-ridge student at level {_k}"
             + (f" (after {_k - 1} ridge student{'s' if _k > 2 else ''})" if _k > 1
                else " (of the teacher)"),
             SOURCE, presentation=lambda k=_k: _aligned_presentation(k))
    register(f"chain.weighted_risk_{_k}", weighted_state(_k)[0],
             rf"\mathcal{{L}}^{{\mathrm{{w}}}}_{_k}",
             f"excess risk of chain level {_k} when each level j may be a weighted-ridge "
             f"student aligned with one direction (spike s_j; s_j = 0: ridge)",
             SOURCE, presentation=lambda k=_k: _weighted_presentation(k))
register("chain.uniform_risk", uniform_risk, r"\mathcal{L}_k^{\mathrm{unif}}",
         "excess risk after k noiseless levels with the same (lam_c, gamma_c)",
             SOURCE, presentation=uniform_risk)
register("chain.aligned_floor", aligned_floor, r"\mathcal{L}_{\mathrm{floor}}^{\theta}",
         "r2 - ||P beta_star||^2 (P: projection on span(b_t, theta)): no chain of ridge and "
         "weighted-ridge levels goes below it",
         SOURCE, presentation=aligned_floor)
register("chain.population_floor", population_floor, r"\mathcal{L}_{\mathrm{floor}}",
         "r2 - A^2/B: no chain of ridge students goes below it",
             SOURCE, presentation=population_floor)

del _k
