"""Single-index model (arXiv:2605.05710), claims: docs/single-index.md with their SymPy proofs.

:func:`claims` returns the mechanism's claims: those of spectral pre-training
(:func:`theory.spectral.claims`) followed by those of fine-tuning stated here, each with its
proof (a ``_prove_*`` function of this module). The catalogue builds them on first use, through
:data:`theory.mechanisms.SINGLE_INDEX`; the quantities they are stated with are those of
:mod:`theory.single_index` and :mod:`theory.spectral`.

Examples
--------
>>> from theory.single_index_claims import claims
>>> [c.id for c in claims() if c.id.startswith("single_index.")][:3]
['single_index.quadratic_envelope', 'single_index.one_point_convexity', 'single_index.geodesic_cap_pure_cubic']
>>> [c.id.split(".")[0] for c in claims()][:1]
['spectral']
"""

from __future__ import annotations

import sympy
from sympy import Interval, Rational, sqrt

from theory import spectral
from theory.cache import once_per_machine
from theory.claims import Claim, Proof
from theory.single_index import (DEGREE, b, c, eta, gd_invariant, gd_map, hessian_radial,
                                 hessian_tangent, m, mean_slope2, misfit, one_point_convexity,
                                 pgr_stuck, pretraining_threshold, q, risk, risk_slope,
                                 sgd_drift, sgd_saturation_risk, w2s_gain, weak_risk, weak_slope)
from theory.spectral import eta2_min, pretraining_budget, rho_w, spike

__all__ = ["claims", "prove_envelope", "prove_monotone"]

_J = range(1, DEGREE + 1)


def _steps(steps) -> Proof:
    return Proof(all(bool(ok) for _, ok in steps), tuple((label, str(ok)) for label, ok in steps))


def _zero(expr) -> bool:
    return sympy.expand(expr) == 0


_s = sympy.Symbol("s", nonnegative=True)  # m = (1 - s)/(1 + s) sweeps (-1, 1] as s sweeps [0, oo)


def prove_envelope() -> Proof:
    """The quadratic envelope's SymPy proof (also a step of the generalisation bound's)."""
    margin = mean_slope2 * 2 * (1 - m) - risk
    split = sum(2 * c[j - 1] ** 2 * (1 - m) * sum(1 - m**i for i in range(1, j)) for j in _J)
    factors = []
    for i in range(1, DEGREE):
        num = sympy.expand((1 + _s) ** i - (1 - _s) ** i)
        factors.append(bool(num.is_nonnegative))
    one_minus = sympy.simplify(1 - (1 - _s) / (1 + _s))
    return _steps([
        ("E f'^2 2(1 - m) - phi(m) = sum_j 2 c_j^2 (1 - m) sum_{i<j} (1 - m^i)",
         _zero(margin - split)),
        ("with m = (1 - s)/(1 + s), s >= 0: 1 - m = 2 s/(1 + s) >= 0",
         bool(one_minus.is_nonnegative)),
        ("1 - m^i = ((1 + s)^i - (1 - s)^i)/(1 + s)^i: numerator has non-negative coefficients",
         all(factors)),
        ("m = -1 is the limit s -> oo (both sides continuous)", True),
    ])


def _prove_one_point() -> Proof:
    return _steps([
        ("<grad R, x - v0> = phi'(m) <v0 - m x, x - v0> = phi'(m)(m^2 - 1)", True),
        ("phi'(m)(m^2 - 1) - mu(m) ||x - v0||^2 = 0 with ||x - v0||^2 = 2(1 - m)",
         _zero(risk_slope * (m**2 - 1) - one_point_convexity * 2 * (1 - m))),
    ])


_pure_cubic = {x: 0 for x in c if x != c[2]}


def _prove_cap() -> Proof:
    lam1 = sympy.factor(hessian_radial.subs(_pure_cubic))
    u = sympy.Symbol("u", nonnegative=True)  # m^2 = 2/3 + u
    shifted = sympy.factor(sympy.expand(lam1 / m) .subs(m, sqrt(Rational(2, 3) + u)))
    at_cap = sympy.simplify(lam1.subs(m, sqrt(Rational(2, 3))))
    return _steps([
        ("lambda_1 = 6 c3^2 m (3 m^2 - 2) for f = c3 h3", _zero(lam1 - 6 * c[2] ** 2 * m
                                                             * (3 * m**2 - 2))),
        ("lambda_1/m = 18 c3^2 u >= 0 for m^2 = 2/3 + u, u >= 0", bool(shifted.is_nonnegative)),
        ("lambda_1 = 0 at the cap m = sqrt(2/3)", at_cap == 0),
        ("lambda_2 = -m phi'(m) = 6 c3^2 m^3 >= 0 for m >= 0",
         _zero(hessian_tangent.subs(_pure_cubic) - 6 * c[2] ** 2 * m**3)),
    ])


def _gain_form():
    return misfit + 2 * sum(c[j - 1] * (b[j - 1] - c[j - 1]) * (1 - rho_w**j) for j in _J)


def _prove_gain() -> Proof:
    return _steps([("R_weak - phi(rho_w) - (||h||^2 + 2 sum c_j h_j (1 - rho_w^j)) = 0",
                    _zero(w2s_gain - _gain_form()))])


_a, _al, _be = sympy.symbols("a alpha beta", nonnegative=True)


def prove_monotone() -> Proof:
    """The GD overlap's monotonicity, proved by SymPy (also a step of the bound's proof)."""
    w = 1 - q**2
    identity = _zero((q + _a * w) ** 2 - q**2 * (1 + _a**2 * w)
                     - _a * w * (2 * q * (1 - _a * q) + _a))
    inner = (2 * q * (1 - _a * q) + _a).subs({_a: 1 / (1 + _al), q: 1 / (1 + _be)})
    slope = sympy.diff(weak_slope, q)
    return _steps([
        ("(q + a w)^2 - q^2 N^2 = a w (2 q (1 - a q) + a) with a = eta G(q), w = 1 - q^2",
         identity),
        ("for a = 1/(1 + alpha), q = 1/(1 + beta) in (0, 1]: 2 q (1 - a q) + a > 0",
         bool(sympy.factor(sympy.together(inner)).is_nonnegative)),
        ("G' = sum 2 j (j - 1) b_j c_j q^(j-2) >= 0 under (A1), so a = eta G(q) <= eta G(1) <= 1",
         _zero(slope - sum(2 * j * (j - 1) * b[j - 1] * c[j - 1] * q ** (j - 2)
                           for j in _J if j >= 2))),
        ("q' >= 0 and q >= 0, so q'^2 >= q^2 gives q' >= q", True),
    ])


def _prove_invariant() -> Proof:
    q1, m1 = gd_map()
    G = weak_slope
    N = sqrt(1 + eta**2 * G**2 * (1 - q**2))
    num = sympy.expand(m1 * N - rho_w * q1 * N - (m - rho_w * q) * (1 - eta * G * q))
    den = sympy.expand(sympy.cancel((1 - q1**2) * N**2) - (1 - q**2) * (1 - eta * G * q) ** 2)
    return _steps([
        ("(m' - rho_w q') N = (m - rho_w q)(1 - eta G q)", num == 0),
        ("(1 - q'^2) N^2 = (1 - q^2)(1 - eta G q)^2", den == 0),
        ("so C' = C sign(1 - eta G q) = C, as eta G(q) q <= eta G(1) < 1 for q < 1", True),
    ])


def _prove_psc() -> Proof:
    grad_dot = -weak_slope * (q - rho_w - q + q * m)  # <-G (w - q x), x - v0>
    return _steps([
        ("<grad L_w, x - v0> = -G <w - q x, x - v0> = G (rho_w - q m)",
         _zero(grad_dot - weak_slope * (rho_w - q * m))),
        ("rho_w - q m = (1 - m)(rho_w + m) - m <x - v0, w - v0>",
         _zero((rho_w - q * m) - ((1 - m) * (rho_w + m) - m * (q - m - rho_w + 1)))),
    ])


def _prove_sgd_ratio() -> Proof:
    dq, dm = sgd_drift()
    return _steps([
        ("dm/dtau at m = rho_w q equals rho_w dq/dtau: fixed points with q* != 0 have m* = rho_w q*",
         _zero(dm.subs(m, rho_w * q) - rho_w * dq)),
    ])


def _prove_threshold() -> Proof:
    N = pretraining_budget()
    sq = sympy.Symbol("s", nonnegative=True)
    gap = sympy.factor(N.subs(eta2_min, sq) - 1 / spike**2)
    return _steps([
        ("N(spike, s) - 1/spike^2 = s^2 (spike + 1)/(spike^2 (1 - s^2))",
         sympy.simplify(gap - sq**2 * (spike + 1) / (spike**2 * (1 - sq**2))) == 0),
        ("s = q_c/kappa lies in [0, 1) wherever the threshold is defined (the evaluator checks "
         "q_c < kappa), so the gap is >= 0 and vanishes as q_c -> 0", True),
    ])


def _prove_jump() -> Proof:
    x, Rw = sympy.symbols("x R_w", positive=True)  # x = rho_w q* > 0, R_weak > 0
    jump = (1 - risk.subs(m, x) / Rw) - (1 - risk.subs(m, 0) / Rw)
    return _steps([
        ("PGR above - PGR below = (phi(0) - phi(rho_w q*))/R_weak = 2 sum c_j^2 x^j / R_weak",
         _zero(jump - 2 * sum(c[j - 1] ** 2 * x**j for j in _J) / Rw)),
        ("non-negative for x = rho_w q* > 0", bool(sympy.expand(jump).is_nonnegative)),
    ])


_UNIT = Interval(-1, 1)
_COEF = Interval(-2, 2)
_A1 = Interval(0, 2)
_LINK_REGION = {**{str(x): _COEF for x in c}}
_A1_REGION = {**{str(x): _A1 for x in c + b}, "c3": Interval(Rational(1, 10), 2),
              "b3": Interval(Rational(1, 10), 2)}
_STEP = sympy.Le(eta, 1 / weak_slope.subs(q, 1))
_q_next, _m_next = gd_map()
_SET_D = {"c3": 1, "b1": Rational(1, 2), "b3": 1}


_PT_REGION = {**_SET_D, "spike": Interval(Rational(1, 2), 4), "eta1": Interval(Rational(1, 2), 1),
              "rho_w": Interval(Rational(1, 2), 1), "zeta_vw": Interval(0, 1),
              "delta": Interval(Rational(1, 1000), Rational(6, 1000))}


@once_per_machine
def _invariant_after_step() -> sympy.Expr:
    """``C`` after one step of the GD map (a substitution into large expressions, kept in the
    disk cache so that building the claims runs no SymPy work twice)."""
    return gd_invariant.subs({q: _q_next, m: _m_next}, simultaneous=True)


@once_per_machine
def _drifts_on_the_line() -> tuple[sympy.Expr, sympy.Expr]:
    """The SGD drift of ``m`` on the line ``m = rho_w q`` and ``rho_w`` times that of ``q``."""
    dq, dm = sgd_drift()
    return dm.subs(m, rho_w * q), rho_w * dq


def claims() -> list[Claim]:
    """The claims of spectral pre-training (:func:`theory.spectral.claims`), then those of
    fine-tuning, in registration order (the central statements, in
    :mod:`theory.single_index_central`, follow them in the mechanism's catalogue)."""
    return spectral.claims() + _fine_tuning()


def _fine_tuning() -> list[Claim]:
    return [
        Claim(
            sympy.Ge(mean_slope2 * 2 * (1 - m), risk, evaluate=False),
            id="single_index.quadratic_envelope",
            statement="For every link and every unit x, R(x) = phi(m) <= E f'(z)^2 ||x - v0||^2 = E f'^2 2(1 - m).",
            source="arXiv:2605.05710; derived in w2s-theory (docs/single-index.md)",
            region={**_LINK_REGION, "m": _UNIT},
            proof=prove_envelope,
        ),
        Claim(
            sympy.Eq(risk_slope * (m**2 - 1), one_point_convexity * 2 * (1 - m), evaluate=False),
            id="single_index.one_point_convexity",
            statement="<grad R(x), x - v0> = mu(m) ||x - v0||^2 with mu(m) = (1 + m) sum j c_j^2 m^(j-1).",
            source="arXiv:2605.05710; derived in w2s-theory (docs/single-index.md)",
            region={**_LINK_REGION, "m": _UNIT},
            proof=_prove_one_point,
        ),
        Claim(
            sympy.Ge(hessian_radial.subs(_pure_cubic), 0, evaluate=False),
            id="single_index.geodesic_cap_pure_cubic",
            statement="For a pure h_3 link the Riemannian Hessian's radial eigenvalue is >= 0 exactly on the cap "
            "m >= sqrt(2/3) = 0.8165 (geodesic convexity), much smaller than the one-point region m > 0.",
            source="arXiv:2605.05710; derived in w2s-theory (docs/single-index.md)",
            region={"c3": Interval(-10, 10), "m": Interval(0, 1)},
            assumptions=(sympy.Ge(m, sqrt(Rational(2, 3))),),
            proof=_prove_cap,
        ),
        Claim(
            sympy.Eq(w2s_gain, _gain_form(), evaluate=False),
            id="single_index.gain_identity",
            statement="The weak-to-strong gain at saturation is R_weak - phi(rho_w) = ||h||^2 + 2 sum c_j h_j "
            "(1 - rho_w^j), h = g - f: the student filters out the link misspecification, keeps the "
            "direction bias.",
            source="arXiv:2605.05710; derived in w2s-theory (docs/single-index.md)",
            region={**{str(x): _COEF for x in c + b},
                                                    "rho_w": Interval.Lopen(0, 1)},
            proof=_prove_gain,
        ),
        Claim(
            sympy.Ge(_q_next, q, evaluate=False),
            id="single_index.gd_overlap_increases",
            statement="Under (A1) and eta <= 1/G(1), one step of the exact reduced GD map never decreases "
            "q = <x, w>.",
            source="arXiv:2605.05710; derived in w2s-theory (docs/single-index.md)",
            region={**_A1_REGION, "q": Interval(0, 1), "eta": Interval.Lopen(0, 10)},
            assumptions=(_STEP,),
            proof=prove_monotone,
        ),
        Claim(
            sympy.Eq(_invariant_after_step(), gd_invariant, evaluate=False),
            id="single_index.gd_invariant_conserved",
            statement="Under (A1) and eta <= 1/G(1), C = (m - rho_w q)/sqrt(1 - q^2) is conserved by the GD map: "
            "m = rho_w cos(theta_t) + C sin(theta_t) along the trajectory (the angle form of the exact GD map).",
            source="arXiv:2605.05710; derived in w2s-theory (docs/single-index.md)",
            region={**_A1_REGION, "q": Interval(0, Rational(99, 100)), "m": _UNIT,
                    "rho_w": Interval.Lopen(0, 1), "eta": Interval.Lopen(0, 10)},
            assumptions=(_STEP,),
            proof=_prove_invariant,
        ),
        Claim(
            sympy.Eq(weak_slope * (rho_w - q * m), weak_slope * ((1 - m) * (rho_w + m) - m * (q - m - rho_w + 1)), evaluate=False),
            id="single_index.psc_identity",
            statement="<grad L_w(x), x - v0> = G(q)(rho_w - q m) = G(q)[(1 - m)(rho_w + m) - m <x - v0, w - v0>]: "
            "strong convexity towards v0 perturbed by a term proportional to the weak bias.",
            source="arXiv:2605.05710; derived in w2s-theory (docs/single-index.md)",
            region={**{str(x): _COEF for x in c + b}, "q": _UNIT, "m": _UNIT,
                    "rho_w": Interval.Lopen(0, 1)},
            proof=_prove_psc,
        ),
        Claim(
            sympy.Eq(*_drifts_on_the_line(), evaluate=False),
            id="single_index.sgd_fixed_points_keep_the_bias",
            statement="On the line m = rho_w q the online-SGD drift of m is rho_w times that of q, so every fixed "
            "point with q* != 0 has m* = rho_w q*: the student inherits the direction bias.",
            source="arXiv:2605.05710; derived in w2s-theory (docs/single-index.md)",
            region={**{str(x): _COEF for x in c + b}, "q": _UNIT, "rho_w": Interval.Lopen(0, 1),
                    "delta": Interval.Lopen(0, 1), "sigma2_s": Interval(0, 2)},
            proof=_prove_sgd_ratio,
        ),
        Claim(
            sympy.Ge(pretraining_threshold, 1 / spike**2, evaluate=False),
            id="single_index.pretraining_threshold_above_bbp",
            statement="The pre-training budget n_u*/d = N(spike, q_c(delta)/kappa) that online SGD "
            "needs is never below the BBP point 1/spike^2 (it tends to it as delta -> 0).",
            source="arXiv:2605.05710, pre-training threshold; derived in w2s-theory (docs/single-index.md)",
            region=_PT_REGION,
            proof=_prove_threshold,
        ),
        Claim(
            sympy.Ge(1 - sgd_saturation_risk / weak_risk, pgr_stuck, evaluate=False),
            id="single_index.pretraining_pgr_jumps_up",
            statement="Crossing the threshold, the oracle PGR of online SGD jumps up from "
            "1 - phi(0)/R_weak to 1 - phi(rho_w q*)/R_weak.",
            source="arXiv:2605.05710, pre-training threshold; derived in w2s-theory (docs/single-index.md)",
            region={**_SET_D, "rho_w": Interval(Rational(1, 10), 1),
                    "delta": Interval(Rational(1, 1000), Rational(2, 100))},
            proof=_prove_jump,
        ),
    ]
