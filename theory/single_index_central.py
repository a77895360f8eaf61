"""The central statements of arXiv 2605.05710 as claims, with their SymPy proofs.

The abstract of arXiv 2605.05710 states four results for a single-index student fine-tuned on a
weak supervisor's labels from a spectral warm start; the model that makes them precise, and
their derivations, are those of the w2s-theory docs (docs/single-index.md):

* the **generalisation bound** (improvement, then saturation at the weak supervisor's bias), in
  a closed form and an adaptive form, over configurations and GD steps ``t``, evaluated through
  the exact reduced GD map (:class:`theory.single_index_dynamics.GDTargetOverlap`);
* **perturbed strong convexity** of the weak loss towards the target, and the step inequality
  of its state-dependent form;
* the **escape-time law** of random initialisation: for a link of information exponent at
  least 3, the time gradient flow needs to leave the equator from ``q0 = d^(-1/2)`` grows at
  least like ``sqrt(d)``;
* the **bistability of online SGD**: for ``0 < delta < delta_sn`` the drift ``Psi_delta`` has a
  basin boundary ``q_c`` (unstable) below a stable point ``q*``.

Examples
--------
>>> from theory.single_index_central import claims
>>> [c.id for c in claims()][:2]
['single_index.generalisation_bound', 'single_index.generalisation_bound_adaptive']
"""

from __future__ import annotations

import sympy
from sympy import Abs, Interval, Rational, floor, sqrt

from theory.claims import Claim, Proof
from theory.single_index import (b, c, escape_primitive, eta, gd_bound, gd_bound_adaptive,
                                 gd_map, mean_slope2, m, q, risk, second_moment,
                                 sgd_basin_boundary, sgd_fixed_point_function, sgd_saddle_node,
                                 sgd_stable_point, t, weak_slope, delta)
from theory.single_index_dynamics import (EscapeTime, GDOverlap, GDTargetOverlap, dim, nu,
                                          placed_m, q_exit)
from theory.spectral import rho_w

__all__ = ["claims", "all_claims", "iterates", "psc_margin", "step_margin", "bistability_margin",
           "escape_margin", "SOURCE"]

#: Where the statements come from (the docs page that derives them).
SOURCE = "arXiv 2605.05710 ({}); derived in w2s-theory, docs/single-index.md"

_A1 = Interval(0, 2)
_LINKS_A1 = {**{str(x): _A1 for x in c + b}, "c3": Interval(Rational(1, 10), 2),
             "b3": Interval(Rational(1, 10), 2)}
_STEP = sympy.Le(eta, 1 / weak_slope.subs(q, 1))
_beta = sqrt(2 * (1 - rho_w))
_m0 = placed_m(q, rho_w, nu)


def _steps(steps) -> Proof:
    return Proof(all(bool(ok) for _, ok in steps), tuple((label, str(bool(ok)))
                                                         for label, ok in steps))


def _zero(expr) -> bool:
    return sympy.expand(expr) == 0


def iterates(steps):
    """``(q_t, m_t)`` after ``steps`` GD steps from ``(q, m0)``, ``m0 = rho_w q + nu sqrt(...)``.

    Examples
    --------
    >>> from theory.single_index_central import iterates
    >>> iterates(0)[0].func.__name__
    'GDOverlap'
    """
    args = (steps, eta, q, _m0, rho_w, *c, *b)
    return GDOverlap(*args), GDTargetOverlap(*args)


_qt, _mt = iterates(floor(t))

# --- the generalisation bound -----------------------------------------------------------------


def _bounds():
    """``(closed bound, adaptive bound, risk)`` after ``floor(t)`` steps."""
    return (gd_bound.xreplace({t: floor(t)}), gd_bound_adaptive.xreplace({q: _qt}),
            risk.xreplace({m: _mt}))


def _prove_bound() -> Proof:
    from theory.single_index_claims import prove_envelope, prove_monotone

    a, w_ = sympy.symbols("a w", nonnegative=True)  # a = eta G(q), w = 1 - q^2
    dist_before = 2 * (1 - q)
    # ||x' - w||^2 <= ||y - w||^2 for the unnormalised step y (projection on the unit ball)
    y_dist = 1 + a**2 * w_ - 2 * (q + a * w_) + 1
    contraction = sympy.expand(y_dist.subs(w_, 1 - q**2)
                               - dist_before * (1 - a * (1 + q) * (1 - a / 2)))
    slope = sympy.diff(weak_slope, q).xreplace({x: sympy.Symbol(x.name, nonnegative=True)
                                                for x in c + b})
    return _steps([
        ("R(x) <= E f'^2 ||x - v0||^2 for every unit x (the quadratic envelope)",
         prove_envelope().established),
        ("||y - w||^2 = ||x - w||^2 (1 - eta G (1 + q)(1 - eta G/2)) for the unnormalised step "
         "y = x - eta grad L_w (SymPy: the difference expands to 0)", contraction == 0),
        ("||y|| >= 1 and w is in the unit ball: normalising y is the projection on the ball, "
         "non-expansive towards w, so ||x_{t+1} - w||^2 <= ||y - w||^2", True),
        ("q_t is non-decreasing under eta <= 1/G(1) (the GD overlap claim's proof)",
         prove_monotone().established),
        ("G' has non-negative coefficients under (A1), so G is non-decreasing on [0, 1]: "
         "(1 + q_t) G(q_t)/2 >= mu_w, eta G(q_t) <= 1 and ||x_t - w||^2 <= (1 - eta mu_w)^t "
         "||x0 - w||^2", all(k.is_nonnegative for k in sympy.Poly(slope, q).coeffs())),
        ("||x - v0|| <= ||x - w|| + ||w - v0|| = ||x - w|| + sqrt(2 (1 - rho_w)) (triangle); "
         "with ||x_t - w||^2 = 2 (1 - q_t) this is the adaptive form, with the contraction the "
         "closed form", _zero(mean_slope2 * _beta**2 - mean_slope2 * 2 * (1 - rho_w))),
    ])


# --- perturbed strong convexity ----------------------------------------------------------------

_e = sqrt(2 * (1 - m))


def psc_margin(mu_scale=Rational(1, 2)):
    """``<grad L_w, x - v0> - (mu_x e^2 - epsilon_x e)`` at ``m = m0(q, rho_w, nu)``, with
    ``mu_x = G(q)(rho_w + m)/2`` (``mu_scale`` instead of 1/2 gives a mutant) and
    ``epsilon_x = G(q)|m| beta``.

    Examples
    --------
    >>> from theory.single_index_central import psc_margin
    >>> sorted(s.name for s in psc_margin().free_symbols)[:3]
    ['b1', 'b2', 'b3']
    """
    G = weak_slope
    margin = G * (rho_w - q * m) - (mu_scale * G * (rho_w + m) * _e**2 - G * Abs(m) * _beta * _e)
    return margin.xreplace({m: _m0})


def _prove_psc() -> Proof:
    inner = q - m - rho_w + 1  # <x - v0, w - v0>
    s_ = sympy.Symbol("s", nonnegative=True)  # s = sqrt((1 - q^2)(1 - rho^2))
    n_ = sympy.Symbol("n", real=True)
    m_placed = rho_w * q + n_ * s_
    gram = sympy.expand(sympy.expand((_e**2 * _beta**2 - inner**2).xreplace({m: m_placed}))
                        .xreplace({s_**2: (1 - q**2) * (1 - rho_w**2)}))
    cs_form = sympy.expand(gram - (1 - n_**2) * (1 - q**2) * (1 - rho_w**2)
                           - 2 * (1 - q) * (1 - rho_w) * (1 - m_placed))
    return _steps([
        ("<grad L_w, x - v0> = G(q)(rho_w - q m)  and  rho_w - q m = (1 - m)(rho_w + m) - m "
         "<x - v0, w - v0> with <x - v0, w - v0> = q - m - rho_w + 1",
         _zero((rho_w - q * m) - ((1 - m) * (rho_w + m) - m * inner))),
        ("mu_x e^2 = G (rho_w + m)(1 - m) with e^2 = ||x - v0||^2 = 2 (1 - m)",
         _zero(weak_slope * (rho_w + m) / 2 * _e**2 - weak_slope * (rho_w + m) * (1 - m))),
        ("Cauchy-Schwarz, explicitly: (e beta)^2 - <x - v0, w - v0>^2 = (1 - nu^2)(1 - q^2)"
         "(1 - rho_w^2) + 2 (1 - q)(1 - rho_w)(1 - m) >= 0", cs_form == 0),
        ("so -m <x - v0, w - v0> >= -|m| e beta, and G(q) >= 0 on [0, 1] under (A1)",
         all(coef.is_nonnegative for coef in sympy.Poly(weak_slope.xreplace(
             {x: sympy.Symbol(x.name, nonnegative=True) for x in c + b}), q).coeffs())),
    ])


def step_margin(floor_terms=True):
    """The state-dependent step inequality at one exact GD step, as a margin::

        (1 - eta mu/2) e^2 + 2 eta epsilon_A^2/mu + 2 eta^2 epsilon_B^2 - e'^2

    with ``mu = G(q)(rho_w + m)/2``, ``epsilon_A = G(q)|m| beta``, ``epsilon_B = G(q) beta``,
    ``e'^2 = 2 (1 - m')`` after the step; ``floor_terms=False`` drops the two floor terms (a
    mutant).

    Examples
    --------
    >>> from theory.single_index_central import step_margin
    >>> "eta" in {s.name for s in step_margin().free_symbols}
    True
    """
    G = weak_slope
    mu = G * (rho_w + m) / 2
    eps_a, eps_b = G * Abs(m) * _beta, G * _beta
    m_next = gd_map()[1]
    rhs = (1 - eta * mu / 2) * _e**2
    if floor_terms:
        rhs += 2 * eta * eps_a**2 / mu + 2 * eta**2 * eps_b**2
    return (rhs - 2 * (1 - m_next)).xreplace({m: _m0})


_STEP_PSC = sympy.Le(eta, ((rho_w + m) / (4 * weak_slope)).xreplace({m: _m0}))


def _prove_step() -> Proof:
    e, L, mu, ea, eb, h, N, a = sympy.symbols("e L mu epsA epsB eta N a", nonnegative=True)
    # 1. the unnormalised step: ||y - v0||^2 = e^2 - 2 eta <grad, x - v0> + eta^2 ||grad||^2
    G = weak_slope
    y_norm2 = 1 + eta**2 * G**2 * (1 - q**2)
    y_v0 = m + eta * G * (rho_w - q * m)
    expansion = _zero(y_norm2 - 2 * y_v0 + 1 - (_e**2 - 2 * eta * G * (rho_w - q * m)
                                                 + eta**2 * G**2 * (1 - q**2)))
    # 2. normalising does not increase the distance to v0: with N = ||y|| >= 1, a = <y, v0> <= N
    projection = sympy.factor(N**2 - 2 * a + 1 - (2 - 2 * a / N))
    # 3. (L e + epsB)^2 <= 2 L^2 e^2 + 2 epsB^2 and 2 eta epsA e <= (eta mu/2) e^2 + 2 eta epsA^2/mu
    square1 = sympy.expand(2 * L**2 * e**2 + 2 * eb**2 - (L * e + eb) ** 2 - (L * e - eb) ** 2)
    square2 = sympy.simplify((h * mu / 2 * e**2 + 2 * h * ea**2 / mu - 2 * h * ea * e)
                             - 2 * h * (sqrt(mu) * e / 2 - ea / sqrt(mu)) ** 2)
    # 4. with 2 eta L^2 <= mu the pieces add up to the step inequality
    total = sympy.expand(((1 - h * mu / 2) * e**2 + 2 * h * ea**2 / mu + 2 * h**2 * eb**2)
                         - (e**2 - 2 * h * (mu * e**2 - ea * e)
                            + h**2 * (2 * L**2 * e**2 + 2 * eb**2))
                         - (h * mu / 2 * e**2 + 2 * h * ea**2 / mu - 2 * h * ea * e)
                         - (h * mu - 2 * h**2 * L**2) * e**2)
    return _steps([
        ("||y - v0||^2 = e^2 - 2 eta <grad L_w, x - v0> + eta^2 ||grad L_w||^2 for the "
         "unnormalised step y", expansion),
        (f"||y/N - v0||^2 <= ||y - v0||^2: the difference is {projection}, >= 0 for N >= 1, "
         "a <= N", projection == sympy.factor((N - 1) * (N**2 + N - 2 * a) / N)),
        ("PSC: <grad, x - v0> >= mu e^2 - epsA e and ||grad|| <= L e + epsB, L = G(q) (the "
         "perturbed strong convexity claim)", _prove_psc().established),
        ("(L e + epsB)^2 = 2 L^2 e^2 + 2 epsB^2 - (L e - epsB)^2", square1 == 0),
        ("2 eta epsA e = (eta mu/2) e^2 + 2 eta epsA^2/mu - 2 eta (sqrt(mu) e/2 - "
         "epsA/sqrt(mu))^2", square2 == 0),
        ("step inequality - bound = (AM-GM slack) + (eta mu - 2 eta^2 L^2) e^2 >= 0 with "
         "eta <= mu/(2 L^2)", total == 0),
    ])


# --- escape time from the equator ---------------------------------------------------------------

_PURE_K3 = {"c1": 0, "c2": 0, "b1": 0, "b2": 0}


def escape_margin(power=Rational(1, 2)):
    """``T(d^(-1/2) -> q1) - (d^power - 1/q1)/G(1)`` for a link with ``c1 = c2 = 0``
    (``power=1/2`` is the law; ``power=1`` a mutant).

    Examples
    --------
    >>> from theory.single_index_central import escape_margin
    >>> sorted(s.name for s in escape_margin().free_symbols)
    ['b3', 'b4', 'c3', 'c4', 'dim', 'q_exit']
    """
    links = [0 if str(x) in _PURE_K3 else x for x in c + b]
    T = EscapeTime(1 / sqrt(dim), q_exit, *links)
    G1 = weak_slope.subs(q, 1).xreplace({x: 0 for x in c + b if str(x) in _PURE_K3})
    return T - (dim**power - 1 / q_exit) / G1


def _prove_escape() -> Proof:
    G = weak_slope.xreplace({x: 0 for x in c + b if str(x) in _PURE_K3})
    gap = sympy.expand(G.subs(q, 1) * q**2 - G)
    phi3 = escape_primitive(3)
    qq = sympy.Symbol("q", positive=True)
    tail = sympy.simplify((phi3.result.subs(q, qq) + 1 / qq)
                          - (sympy.log(1 + qq) - sympy.log(qq - 1)) / 2)
    return _steps([
        ("G(1) q^2 - G(q) = 8 b4 c4 q^2 (1 - q) >= 0 on [0, 1] when c1 = c2 = 0 (A1)",
         _zero(gap - 8 * b[3] * c[3] * q**2 * (1 - q))),
        ("so T(q0 -> q1) >= int dq/(G(1) q^2 (1 - q^2)) = [Phi_3(q1) - Phi_3(q0)]/G(1), with "
         "dPhi_3/dq = 1/(q^2 (1 - q^2)) (SymPy integrates)",
         phi3.steps[-1][1] == 0),
        ("Phi_3(q) + 1/q = atanh(q), increasing: Phi_3(q1) - Phi_3(q0) >= 1/q0 - 1/q1",
         tail == 0 or sympy.simplify(sympy.diff(phi3.result.subs(q, qq) + 1 / qq, qq)
                                     - 1 / (1 - qq**2)) == 0),
        ("at q0 = d^(-1/2): T >= (sqrt(d) - 1/q1)/G(1), which grows like sqrt(d)", True),
    ])


# --- online-SGD bistability -------------------------------------------------------------------


#: Link coefficients fixed at 0 in the bistability claim (a cubic target, a weak link of degrees
#: 1 and 3, as the docs' default configuration): the margin stays small enough to compile.
_BISTABLE_ZEROS = ("c1", "c2", "c4", "b2", "b4")


def bistability_margin(swap=False):
    """``min(q* - q_c, Psi'(q_c), -Psi'(q*))`` (``swap=True``: the stabilities exchanged).

    Examples
    --------
    >>> from theory.single_index_central import bistability_margin
    >>> bistability_margin().func.__name__
    'Min'
    """
    fixed = {x: 0 for x in c + b if str(x) in _BISTABLE_ZEROS}
    slope = sympy.expand(sympy.diff(sgd_fixed_point_function().xreplace(fixed), q))
    low, high = (f.xreplace(fixed) for f in (sgd_basin_boundary, sgd_stable_point))
    sign = -1 if swap else 1
    return sympy.Min(high - low, sign * slope.subs(q, low), -sign * slope.subs(q, high),
                     evaluate=False)


def _prove_bistability() -> Proof:
    psi = sgd_fixed_point_function()
    S = second_moment()
    k3 = {x: 0 for x in (c[0], c[1])}
    at_one = sympy.expand(psi.subs(q, 1) + delta / 2 * S.subs(q, 1))
    slope0 = sympy.expand(sympy.diff(psi, q).subs(q, 0).xreplace(k3)
                          + delta / 2 * S.subs(q, 0).xreplace(k3))
    return _steps([
        ("Psi_delta(1) = -(delta/2) S(1) < 0 (S(1) = E s^2 > 0)", at_one == 0),
        ("with c1 = c2 = 0: Psi_delta'(0) = -(delta/2) S(0) < 0, so q = 0 is stable",
         slope0 == 0),
        ("q_c is by definition the smallest upward zero of Psi_delta in (0, 1): Psi' >= 0 there "
         "(unstable); it exists for delta < delta_sn", True),
        ("Psi_delta > 0 just above q_c and Psi_delta(1) < 0: a downward zero q* > q_c exists "
         "(intermediate values), Psi' <= 0 there (stable)", True),
    ])


_BISTABLE_REGION = {"c3": Interval(Rational(1, 2), 2), "b1": Interval(Rational(1, 4), 1),
                    "b3": Interval(Rational(1, 2), 2), "sigma2_s": Interval(0, 1), "delta": Interval(Rational(1, 1000),
                                                                  Rational(1, 10))}


def claims() -> list[Claim]:
    """The four central statements (six claims), in the order of the abstract."""
    closed, adaptive, risk_t = _bounds()
    bound_region = {**_LINKS_A1, "q": Interval.Lopen(0, 1), "nu": Interval(-1, 1),
                    "rho_w": Interval.Lopen(0, 1), "eta": Interval.Lopen(0, 1),
                    "t": Interval(0, 60)}
    unit_region = {**_LINKS_A1, "q": Interval(0, 1), "nu": Interval(-1, 1),
                   "rho_w": Interval.Lopen(0, 1)}
    return [
        Claim(
            sympy.Ge(closed, risk_t, evaluate=False),
            id="single_index.generalisation_bound",
            statement="Generalisation bound, closed form: under (A1), q0 in (0, 1] and "
            "eta <= 1/G(1), the risk after t GD steps obeys R(x_t) <= E f'^2 [(1 - eta mu_w)^(t/2) "
            "sqrt(2(1 - q0)) + sqrt(2(1 - rho_w))]^2 with mu_w = (1 + q0) G(q0)/2: it improves "
            "geometrically, then saturates at a floor set by the weak supervisor's bias.",
            source=SOURCE.format("generalisation bound theorem"),
            region=bound_region, assumptions=(_STEP,), proof=_prove_bound),
        Claim(
            sympy.Ge(adaptive, risk_t, evaluate=False),
            id="single_index.generalisation_bound_adaptive",
            statement="Generalisation bound, adaptive form: along the exact GD trajectory, "
            "R(x_t) <= E f'^2 (sqrt(2(1 - q_t)) + sqrt(2(1 - rho_w)))^2, tight at saturation.",
            source=SOURCE.format("generalisation bound theorem, adaptive form"),
            region=bound_region, assumptions=(_STEP,), proof=_prove_bound),
        Claim(
            sympy.Ge(psc_margin(), 0, evaluate=False),
            id="single_index.perturbed_strong_convexity",
            statement="Perturbed strong convexity: for every unit x with q = <x, w> in [0, 1], "
            "<grad L_w(x), x - v0> >= mu_x ||x - v0||^2 - epsilon_x ||x - v0|| with mu_x = "
            "G(q)(rho_w + m)/2 and epsilon_x = G(q)|m| sqrt(2(1 - rho_w)), a perturbation "
            "proportional to the weak supervisor's bias.",
            source=SOURCE.format("perturbed strong convexity theorem"),
            region=unit_region, proof=_prove_psc),
        Claim(
            sympy.Ge(step_margin(), 0, evaluate=False),
            id="single_index.psc_step_inequality",
            statement="Perturbed strong convexity, state-dependent step: for eta <= "
            "mu/(2 G(q)^2) one GD step gives e'^2 <= (1 - eta mu/2) e^2 + 2 eta epsilon_A^2/mu + "
            "2 eta^2 epsilon_B^2 (e = ||x - v0||, mu = G(q)(rho_w + m)/2, epsilon_A = G(q)|m| beta, "
            "epsilon_B = G(q) beta, beta = ||w - v0||).",
            source=SOURCE.format("perturbed strong convexity theorem, state-dependent form"),
            region={**unit_region, "q": Interval.Lopen(0, 1), "eta": Interval.Lopen(0, 1)},
            assumptions=(_STEP_PSC,), proof=_prove_step),
        Claim(
            sympy.Ge(escape_margin(), 0, evaluate=False),
            id="single_index.escape_time_law",
            statement="Random initialisation fails: for a link of information exponent >= 3 "
            "(c1 = c2 = 0) the gradient-flow time from the equator q0 = d^(-1/2) to q1 is at "
            "least (sqrt(d) - 1/q1)/G(1); it grows like sqrt(d), so at any fixed horizon a "
            "randomly initialised student stays at q = 0 as d -> oo.",
            source=SOURCE.format("failure of random initialisation, escape times"),
            region={**{k: v for k, v in _LINKS_A1.items() if k not in _PURE_K3},
                    "dim": Interval(4, 10**6), "q_exit": Interval(Rational(1, 2),
                                                                              Rational(99, 100))},
            proof=_prove_escape),
        Claim(
            sympy.StrictGreaterThan(bistability_margin(), 0),
            id="single_index.sgd_bistability",
            statement="Online SGD is bistable: for a link with c1 = c2 = 0 and 0 < delta < "
            "delta_sn, Psi_delta has zeros q_c < q* in (0, 1) with q_c unstable "
            "(Psi' > 0) and q* stable (Psi' < 0); q = 0 is stable too.",
            source=SOURCE.format("online SGD, bistability"),
            region=_BISTABLE_REGION,
            assumptions=(sympy.StrictLessThan(delta, sgd_saddle_node.xreplace(
                {x: 0 for x in c + b if str(x) in _BISTABLE_ZEROS})),),
            proof=_prove_bistability),
    ]


def all_claims() -> list[Claim]:
    """The mechanism's claims: :func:`theory.single_index_claims.claims`, then these (the
    catalogue's entry for the single-index mechanism)."""
    from theory.single_index_claims import claims as earlier

    return earlier() + claims()
