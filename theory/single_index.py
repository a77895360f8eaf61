r"""Single-index model (arXiv:2605.05710): fine-tuning a student from a spectral warm start.

The student ``a -> f(<a, x>)`` (``x`` on the unit sphere, link ``f`` known) is fine-tuned on the
labels of a weak supervisor ``g(<a, w>)`` with isotropic covariates. With orthonormal Hermite
coefficients ``c1..c4`` of ``f`` and ``b1..b4`` of ``g`` (:mod:`theory.hermite`), ``m = <x, v0>``,
``q = <x, w>`` and ``rho_w = <w, v0>``:

* landscape: ``R = phi(m) = 2 sum c_j^2 (1 - m^j)``, one-point convexity ``mu(m)``,
  Riemannian Hessian eigenvalues and the geodesic cap; spiked risk by Mehler's formula;
* weak loss and its two biases: ``psi(q)``, ``G = -psi'``, ``R_weak = psi(rho_w)``, the
  saturation level ``phi(rho_w)`` and the gain identity;
* exact reduced GD: the map ``(q, m) -> (q', m')``, its invariant ``C`` and the large-batch
  correction ``S(q)/beta_B`` with ``S`` derived by SymPy from Gaussian moments;
* bounds: the generalisation bound of arXiv:2605.05710 (sharp) and the perturbed strong-convexity constants of its perturbed strong-convexity bound;
* online SGD: the ODE drift, ``Psi_delta(q) = G(q)(1 - q^2) - (delta/2) q S(q)``, its
  basin boundary ``q_c(delta)``, stable point ``q*(delta)`` and saddle-node ``delta_sn``, which are
  defined by roots (:class:`SGDBasinBoundary`, :class:`SGDStablePoint`, :class:`SGDSaddleNode`,
  evaluated by :mod:`numerics.single_index`);
* the pre-training threshold ``n_u*/d = N(spike, q_c(delta)/kappa)`` and the PGR as a
  function of ``gamma_u = d/n_u`` (:data:`sgd_pgr`, the "theory mode" of synthetic checkpoints).

This module holds the definitions (parameters, quantities, derivations) and registers the
quantities; the notation of docs/single-index.md and the forms the LaTeX shows are in
:mod:`theory.single_index_forms` (with ``alpha_j(s)`` and ``s_* = q_c/kappa``, which the
definitions use), the claims and their proofs in :mod:`theory.single_index_claims`.

Examples
--------
>>> from numerics import evaluate
>>> D = {"c3": 1, "b1": "1/2", "b3": 1, "rho_w": "0.9"}
>>> float(evaluate("single_index.weak_risk", D)), float(evaluate("single_index.w2s_gain", D))
(0.792, 0.25)
"""

from __future__ import annotations


import threading

import sympy
from sympy import (Function, Interval, Min, Piecewise, Rational, factorial, factorial2,
                   oo, sqrt)

from theory.cache import once_per_machine
from theory.derivation import Derivation
from theory.hermite import mehler
from theory.registry import register
from theory.single_index_dynamics import nu as _nu  # noqa: F401  (declares the dynamics' parameters)
from theory.single_index_forms import PRESENTATION, RequiredOverlap, scaled_coefficient
from theory import spectral as _sp
from theory.spectral import eta1, eta2_min, pretraining_budget, rho_w, spike
from theory.symbols import parameter, sigma2_s

__all__ = ["c", "b", "m", "q", "p", "eta", "delta", "t", "beta_B", "alpha", "risk", "risk_slope",
           "one_point_convexity", "hessian_radial", "hessian_tangent", "spiked_risk",
           "weak_loss", "weak_slope", "weak_risk", "saturation_risk", "w2s_gain", "misfit",
           "pgr_saturation", "pgr_stuck", "gd_map", "gd_invariant", "gd_bound",
           "gd_bound_adaptive", "psc_constants", "psc_bound", "second_moment",
           "second_moment_derivation", "sgd_drift", "sgd_fixed_point_function",
           "SGDBasinBoundary", "SGDStablePoint", "SGDSaddleNode", "RequiredOverlap",
           "sgd_basin_boundary", "sgd_stable_point", "sgd_saddle_node", "pretraining_threshold",
           "sgd_pgr", "escape_primitive", "second_moment_set_d", "derivations", "DEGREE",
           "LINKS"]

SOURCE = "arXiv:2605.05710; derived in w2s-theory (docs/single-index.md)"
#: Highest Hermite degree of the links.
DEGREE = 4

_REAL = Interval(-oo, oo)
_UNIT = Interval(-1, 1)
c = tuple(parameter(f"c{j}", rf"c_{j}", f"c_{j}", _REAL,
                    f"orthonormal Hermite coefficient of degree {j} of the target link f",
                    default=0, real=True) for j in range(1, DEGREE + 1))
b = tuple(parameter(f"b{j}", rf"b_{j}", f"b_{j}", _REAL,
                    f"orthonormal Hermite coefficient of degree {j} of the weak link g",
                    default=0, real=True) for j in range(1, DEGREE + 1))
m = parameter("m", r"\mathsf{m}", "m", _UNIT, "<x, v0>, the student's overlap with the target", real=True)
q = parameter("q", r"q", "q", _UNIT, "<x, w>, the student's overlap with the weak direction",
              real=True)
p = parameter("p", r"p", "p", _UNIT, "<x, v>, the student's overlap with the spike", real=True)
eta = parameter("eta", r"\eta", "eta", Interval.open(0, oo), "GD step size", positive=True)
delta = parameter("delta", r"\delta", "delta", Interval.open(0, oo),
                  "online SGD step (delta/d per sample)", positive=True)
t = parameter("t", r"t", "t", Interval(0, oo), "number of GD steps", nonnegative=True)
beta_B = parameter("beta_B", r"\beta_B", "beta_B", Interval.open(0, oo),
                   "batch size per dimension B/d of large-batch GD", positive=True)
alpha = parameter("alpha", r"\alpha", "alpha", Interval.open(0, oo),
                  "online SGD samples per dimension n/d (simulations and sweeps)", default=600,
                  positive=True)

_J = range(1, DEGREE + 1)
_sigma_xi2 = sigma2_s  # the weak labels' extra noise sigma_xi^2

# --- landscape (F5-F8) ------------------------------------------------------------------------

_f, _g = (0, *c), (0, *b)  # orthonormal coefficients h_0..h_4 (no constant terms)
def _spiked_risk():
    s_x, s_0 = sqrt(1 + spike * p**2), sqrt(1 + spike * eta1**2)
    r = (m + spike * p * eta1) / (s_x * s_0)
    # F9's alpha_j(s) (scaled_coefficient), from j = 0: under the spike f(s z) has a constant
    # term alpha_0 when f has even components
    return sum(scaled_coefficient(c, j, s_x) ** 2 + scaled_coefficient(c, j, s_0) ** 2
               - 2 * r**j * scaled_coefficient(c, j, s_x) * scaled_coefficient(c, j, s_0)
               for j in range(DEGREE + 1))


# --- exact reduced GD (F14-F16) and the large-batch correction (F19) --------------------------


def gd_map(large_batch: bool = False) -> tuple[sympy.Expr, sympy.Expr]:
    """One projected GD step (exact reduced map; the large-batch correction with ``large_batch``) ``(q, m) -> (q', m')``.

    Examples
    --------
    >>> from theory.single_index import gd_map, q, m, eta
    >>> q_next, m_next = gd_map()
    >>> q_next.subs({eta: 0}), m_next.subs({eta: 0})
    (q, m)
    """
    G = _e("weak_slope")
    norm2 = 1 + eta**2 * G**2 * (1 - q**2)
    if large_batch:
        norm2 += eta**2 * second_moment() / beta_B
    return ((q + eta * G * (1 - q**2)) / sqrt(norm2),
            (m + eta * G * (rho_w - q * m)) / sqrt(norm2))


def psc_constants() -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
    """Perturbed strong-convexity constants: uniform ``(mu, L, eps)`` on ``{q' >= q, m' >= min(m, rho_w)}`` (``q = q0``, ``m = m0``).

    Examples
    --------
    >>> from theory.single_index import psc_constants
    >>> [str(e) for e in psc_constants()][1]
    '2*b1*c1 + 4*b2*c2 + 6*b3*c3 + 8*b4*c4'
    """
    G = _e("weak_slope")
    G1 = G.subs(q, 1)
    return G * (rho_w + Min(m, rho_w)) / 2, G1, G1 * _e("_beta")


def _psc_bound():
    mu, _, eps = psc_constants()
    return _e("mean_slope2") * ((1 - eta * mu / 2) ** t * 2 * (1 - m) + 4 * eps**2 * (1 + eta * mu)
                          / mu**2)


@once_per_machine
def second_moment_derivation() -> Derivation:
    """``S(q) = 4 E[((g(z_w) - f(u))^2 + sigma_xi^2) f'(u)^2]`` as a polynomial in ``q``.

    SymPy writes ``z_w = q u + r z`` with ``u, z`` independent standard Gaussians and
    ``r = sqrt(1 - q^2)``, expands in the monomials ``u^i z^k`` (in the unnormalised basis
    ``He_j``, so the ring is polynomial) and replaces each by its Gaussian moment
    ``(i-1)!! (k-1)!!``; only even powers of ``r`` survive and become powers of ``1 - q^2``.

    Examples
    --------
    >>> from theory.single_index import second_moment_derivation
    >>> second_moment_derivation().steps[0][0]
    'number of monomials with even powers of u and z (the others have mean zero)'
    """
    u, z, r = sympy.symbols("u z r", real=True)
    A = sympy.symbols(f"A1:{DEGREE + 1}")  # coefficients in the unnormalised basis He_j
    B = sympy.symbols(f"B1:{DEGREE + 1}")
    gens = (q, r, _sigma_xi2) + A + B

    def poly(e):
        return sympy.Poly(e, u, z, domain=sympy.ZZ[gens])

    f = sum((poly(A[j - 1] * sympy.hermite_prob_poly(j, u)) for j in _J), poly(0))
    g = sum((poly(B[j - 1] * sympy.hermite_prob_poly(j, q * u + r * z)) for j in _J), poly(0))
    integrand = ((g - f) ** 2 + poly(_sigma_xi2)) * f.diff(u) ** 2
    moments = integrand.as_dict(native=True)
    even = [(i, k) for i, k in moments if i % 2 == 0 and k % 2 == 0]
    mean = sum((moments[i, k] * int(factorial2(i - 1) * factorial2(k - 1)) for i, k in even),
               integrand.domain.zero)
    odd_r = [mon for mon in mean.keys() if mon[1] % 2]
    terms = []
    for mon, coeff in mean.items():  # r^(2l) = (1 - q^2)^l; He_j coefficient = c_j/sqrt(j!)
        scale = sympy.Mul(*[(c[j - 1] / sqrt(factorial(j))) ** mon[2 + j]
                            * (b[j - 1] / sqrt(factorial(j))) ** mon[2 + DEGREE + j] for j in _J])
        terms.append(int(coeff) * q ** mon[0] * (1 - q**2) ** (mon[1] // 2)
                     * _sigma_xi2 ** mon[2] * scale)
    S = sympy.expand(4 * sympy.Add(*terms))
    return Derivation(
        "single_index.second_moment", "Second moment of the per-sample gradient scalar",
        "S(q) = E s^2 with s = 2 (y_weak - f(u)) f'(u): Gaussian moments of (u, z_w), "
        "z_w = q u + sqrt(1 - q^2) z.",
        (("number of monomials with even powers of u and z (the others have mean zero)",
          sympy.Integer(len(even))),
         ("odd powers of r = sqrt(1 - q^2) left (SymPy: 0)", sympy.Integer(len(odd_r))),
         ("S(q)", S)), S)


def second_moment() -> sympy.Expr:
    """``S(q)``, a polynomial in ``q`` (see :func:`second_moment_derivation`).

    Examples
    --------
    >>> from sympy import expand
    >>> from theory.single_index import second_moment, c, b, q
    >>> expand(second_moment().subs({c[2]: 1, b[2]: 1}).subs({x: 0 for x in c + b}).subs(q, 1))
    12*sigma2_s
    """
    return second_moment_derivation().result


def sgd_drift() -> tuple[sympy.Expr, sympy.Expr]:
    """``(dq/dtau, dm/dtau)`` of online SGD with step ``delta/d`` as ``d -> oo``.

    Examples
    --------
    >>> from theory.single_index import sgd_drift, q, m
    >>> dq, dm = sgd_drift()
    >>> dq.subs(q, 0)
    2*b1*c1*delta
    """
    S, G = second_moment(), _e("weak_slope")
    return (delta * G * (1 - q**2) - delta**2 / 2 * q * S,
            delta * G * (rho_w - q * m) - delta**2 / 2 * m * S)


def sgd_fixed_point_function() -> sympy.Expr:
    """``Psi_delta(q) = G(q)(1 - q^2) - (delta/2) q S(q)`` (``dq/dtau = delta Psi``).

    Examples
    --------
    >>> from theory.single_index import sgd_fixed_point_function, q, delta
    >>> sgd_fixed_point_function().subs(q, 0).subs(delta, 0)
    2*b1*c1
    """
    return _e("weak_slope") * (1 - q**2) - delta / 2 * q * second_moment()


#: The links' coefficients and the weak labels' extra noise, ``(c1..c4, b1..b4, sigma2_s)``: the
#: last arguments of the root-defined functions below (and of their evaluators in
#: :mod:`numerics.single_index`).
LINKS = (*c, *b, _sigma_xi2)


class SGDBasinBoundary(Function):
    r"""``q_c(delta)``: the smallest zero of ``Psi_delta`` in ``(0, 1)`` (unstable).

    Arguments ``(delta, c1..c4, b1..b4, sigma2_s)``. Defined when ``q = 0`` is stable
    (``Psi_delta < 0`` just above 0) and ``delta < delta_sn``; evaluated by a bracketed root in
    :mod:`numerics.single_index` at any precision.
    """

    nargs = 2 + 2 * DEGREE

    def _latex(self, printer, exp=None):
        s = r"q_c(%s)" % printer._print(self.args[0])
        return s if exp is None else r"%s^{%s}" % (s, exp)


class SGDStablePoint(Function):
    r"""``q*(delta)``: the largest zero of ``Psi_delta`` in ``(0, 1)`` (stable).

    Arguments ``(delta, c1..c4, b1..b4, sigma2_s)``; a bracketed root in :mod:`numerics.single_index`.
    """

    nargs = 2 + 2 * DEGREE

    def _latex(self, printer, exp=None):
        s = r"q^*(%s)" % printer._print(self.args[0])
        return s if exp is None else r"%s^{%s}" % (s, exp)


class SGDSaddleNode(Function):
    r"""``delta_sn``: the largest step for which ``Psi_delta`` has zeros in ``(0, 1)``.

    ``Psi_delta(q) = (q S(q)/2) (F(q) - delta)`` with ``F(q) = 2 G(q)(1 - q^2)/(q S(q))``, so
    ``delta_sn`` is the maximum of ``F`` over its interior critical points (roots of a polynomial,
    each refined on a bracket). Arguments ``(c1..c4, b1..b4, sigma2_s)``.
    """

    nargs = 1 + 2 * DEGREE

    def _latex(self, printer, exp=None):
        return r"\delta_{\mathrm{sn}}" if exp is None else r"\delta_{\mathrm{sn}}^{%s}" % exp


#: F21: the basin boundary ``q_c(delta)``.
sgd_basin_boundary = SGDBasinBoundary(delta, *LINKS)
#: F21: the stable fixed point ``q*(delta)``.
sgd_stable_point = SGDStablePoint(delta, *LINKS)
#: F21: the saddle-node step ``delta_sn``.
sgd_saddle_node = SGDSaddleNode(*LINKS)
def _threshold():
    return pretraining_budget().subs(eta2_min, RequiredOverlap(sgd_basin_boundary, _sp.kappa))


# --- the expressions, built on first use -------------------------------------------------------

# The module attributes below are built on first use (see ``_build``); annotated here so that
# the docs and the linters see them.
#: ``R(x) = phi(m) = 2 (E f(u)^2 - E f(u) f(v))`` by Mehler's formula, ``corr(u, v) = m``.
risk: sympy.Expr
#: ``phi'(m)``.
risk_slope: sympy.Expr
#: ``E f'(z)^2 = sum j c_j^2``.
mean_slope2: sympy.Expr
#: ``<grad R, x - v0> = mu(m) ||x - v0||^2``.
one_point_convexity: sympy.Expr
#: Riemannian Hessian eigenvalue along ``P_x v0``.
hessian_radial: sympy.Expr
#: Riemannian Hessian eigenvalue on the other tangent directions.
hessian_tangent: sympy.Expr
#: excess risk under spiked fine-tuning covariates ``N(0, I + spike v v^T)``.
spiked_risk: sympy.Expr
#: the weak loss ``psi(q) = E g^2 + E f^2 - 2 E g(z_w) f(u)`` (Mehler; ``sigma_xi = 0``).
weak_loss: sympy.Expr
#: ``G(q) = -psi'(q)``.
weak_slope: sympy.Expr
#: ``R_weak = psi(rho_w)``.
weak_risk: sympy.Expr
#: the saturation level ``phi(rho_w)``.
saturation_risk: sympy.Expr
#: ``R_weak - phi(rho_w)``.
w2s_gain: sympy.Expr
#: ``||h||^2 = ||g - f||^2``, the student-to-weak misfit.
misfit: sympy.Expr
#: oracle PGR at convergence, ``gain / R_weak``.
pgr_saturation: sympy.Expr
#: oracle PGR of a student stuck at ``m = 0``.
pgr_stuck: sympy.Expr
#: ``C = (m - q rho_w)/sqrt(1 - q^2)``, invariant under the GD map when ``eta G(q) q < 1``.
gd_invariant: sympy.Expr
#: The generalisation bound of arXiv:2605.05710 (closed form; ``q`` is ``q0``, ``t`` the step count).
gd_bound: sympy.Expr
#: The generalisation bound of arXiv:2605.05710, adaptive form ``E f'^2 (sqrt(2(1 - q_t)) + beta)^2`` (``q`` is ``q_t``).
gd_bound_adaptive: sympy.Expr
#: The perturbed strong-convexity bound of arXiv:2605.05710: ``R(x_t) <= E f'^2 e_t^2`` with the PSC recursion (valid for ``eta <= mu/(2 L^2)``).
psc_bound: sympy.Expr
#: saturation risk of online SGD, ``phi(rho_w q*)``.
sgd_saturation_risk: sympy.Expr
#: The pre-training threshold of arXiv:2605.05710: ``n_u*/d = N(spike, q_c(delta)/kappa)``.
pretraining_threshold: sympy.Expr
#: Oracle PGR as ``d -> oo`` then ``alpha -> oo``, a step in ``n_u/d = 1/gamma_u``.
#: SGD from the spectral start ``q0 = kappa eta2`` reaches ``q*`` exactly when ``q0 > q_c(delta)``,
#: which for ``kappa > q_c`` is ``n_u/d > pretraining_threshold`` (a test checks that the step is
#: there); where ``kappa <= q_c`` no budget suffices and the PGR is the stuck value for every
#: ``gamma_u``.
#: (``q0 > q_c`` is written as ``kappa > 0`` and ``kappa^2 eta2^2 > q_c^2`` with the squared overlap before its
#: ``max``, negative below the BBP point: a condition that is finite everywhere.)
sgd_pgr: sympy.Expr



#: The module's expressions that SymPy builds (expansions, derivatives, substitutions): built
#: together on first use (as module attributes, or through the registry, which keeps them in the
#: disk cache), not at import, so that importing the module costs no SymPy work.
_LAZY = ("risk", "risk_slope", "mean_slope2", "one_point_convexity", "hessian_radial",
         "hessian_tangent", "spiked_risk", "weak_loss", "weak_slope", "weak_risk",
         "saturation_risk", "w2s_gain", "misfit", "pgr_saturation", "pgr_stuck", "gd_invariant",
         "_beta", "_mu_w", "gd_bound", "gd_bound_adaptive", "psc_bound", "sgd_saturation_risk",
         "pretraining_threshold", "sgd_pgr", "_q_next", "_m_next")
_BUILDING = threading.RLock()


def _build() -> None:
    """Define the expressions of :data:`_LAZY` in the module (once, under a lock)."""
    with _BUILDING:
        if "_m_next" in globals():
            return
        here = globals()
        # F5: ``R(x) = phi(m) = 2 (E f(u)^2 - E f(u) f(v))`` by Mehler's formula, ``corr(u, v) = m``.
        risk = sympy.expand(2 * (mehler(_f, _f, 1) - mehler(_f, _f, m)))
        # ``phi'(m)``.
        risk_slope = sympy.diff(risk, m)
        # ``E f'(z)^2 = sum j c_j^2``.
        mean_slope2 = sum(j * c[j - 1] ** 2 for j in _J)
        # F7: ``<grad R, x - v0> = mu(m) ||x - v0||^2``.
        one_point_convexity = (1 + m) * sum(j * c[j - 1] ** 2 * m ** (j - 1) for j in _J)
        # F8: Riemannian Hessian eigenvalue along ``P_x v0``.
        hessian_radial = sympy.diff(risk, m, 2) * (1 - m**2) - m * risk_slope
        # F8: Riemannian Hessian eigenvalue on the other tangent directions.
        hessian_tangent = -m * risk_slope
        # F10: excess risk under spiked fine-tuning covariates ``N(0, I + spike v v^T)``.
        spiked_risk = _spiked_risk()
        # F11: the weak loss ``psi(q) = E g^2 + E f^2 - 2 E g(z_w) f(u)`` (Mehler; ``sigma_xi = 0``).
        weak_loss = sympy.expand(mehler(_g, _g, 1) + mehler(_f, _f, 1) - 2 * mehler(_g, _f, q))
        # ``G(q) = -psi'(q)``.
        weak_slope = -sympy.diff(weak_loss, q)
        # F12: ``R_weak = psi(rho_w)``.
        weak_risk = weak_loss.subs(q, rho_w)
        # F12: the saturation level ``phi(rho_w)``.
        saturation_risk = risk.subs(m, rho_w)
        # F12: ``R_weak - phi(rho_w)``.
        w2s_gain = weak_risk - saturation_risk
        # ``||h||^2 = ||g - f||^2``, the student-to-weak misfit.
        misfit = sum((b[j - 1] - c[j - 1]) ** 2 for j in _J)
        # F12: oracle PGR at convergence, ``gain / R_weak``.
        pgr_saturation = w2s_gain / weak_risk
        # F13: oracle PGR of a student stuck at ``m = 0``.
        pgr_stuck = 1 - risk.subs(m, 0) / weak_risk
        # F14: ``C = (m - q rho_w)/sqrt(1 - q^2)``, invariant under the GD map when ``eta G(q) q < 1``.
        gd_invariant = (m - q * rho_w) / sqrt(1 - q**2)
        _beta = sqrt(2 * (1 - rho_w))
        _mu_w = (1 + q) * weak_slope / 2
        # Theorem C1 (closed form; ``q`` is ``q0``, ``t`` the step count).
        gd_bound = mean_slope2 * ((1 - eta * _mu_w) ** (t / 2) * sqrt(2 * (1 - q)) + _beta) ** 2
        # Theorem C1, adaptive form ``E f'^2 (sqrt(2(1 - q_t)) + beta)^2`` (``q`` is ``q_t``).
        gd_bound_adaptive = mean_slope2 * (sqrt(2 * (1 - q)) + _beta) ** 2
        # what psc_constants, gd_map and _psc_bound read
        here.update(weak_slope=weak_slope, _beta=_beta, mean_slope2=mean_slope2)
        # Theorem C2: ``R(x_t) <= E f'^2 e_t^2`` with the PSC recursion (valid for
        # ``eta <= mu/(2 L^2)``).
        psc_bound = _psc_bound()
        # F16/F21: saturation risk of online SGD, ``phi(rho_w q*)``.
        sgd_saturation_risk = risk.subs(m, rho_w * sgd_stable_point)
        # Theorem PT(i): ``n_u*/d = N(spike, q_c(delta)/kappa)``.
        pretraining_threshold = _threshold()
        # Theorem PT(i): oracle PGR as ``d -> oo`` then ``alpha -> oo``, a step in
        # ``n_u/d = 1/gamma_u``. SGD from the spectral start ``q0 = kappa eta2`` reaches ``q*``
        # exactly when ``q0 > q_c(delta)``, which for ``kappa > q_c`` is
        # ``n_u/d > pretraining_threshold`` (a test checks that the step is there); where
        # ``kappa <= q_c`` no budget suffices and the PGR is the stuck value for every ``gamma_u``.
        # (``q0 > q_c`` is written as ``kappa > 0`` and ``kappa^2 eta2^2 > q_c^2`` with F2 before
        # its ``max``, negative below the BBP point: a condition that is finite everywhere.)
        kappa = _sp.kappa
        sgd_pgr = Piecewise((1 - sgd_saturation_risk / weak_risk,
                             sympy.And(kappa > 0,
                                       kappa**2 * _sp.overlap2_above > sgd_basin_boundary**2)),
                            (pgr_stuck, True))
        _q_next, _m_next = gd_map()
        built = locals()
        here.update({name: built[name] for name in _LAZY})  # _m_next last: the flag


def _e(name: str):
    """The expression ``name`` of :data:`_LAZY` (built on first use)."""
    try:
        return globals()[name]
    except KeyError:
        _build()
        return globals()[name]


def __getattr__(name: str):
    # the expressions of _LAZY are module attributes, built on first use
    if name in _LAZY:
        return _e(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _real_logs(expr: sympy.Expr, var: sympy.Symbol) -> sympy.Expr:
    """``expr`` with every ``log(u)`` whose argument is negative on ``0 < var < 1`` written
    ``log(-u)``: the two differ by the constant ``i pi``, so a primitive stays a primitive and is
    real where the flow runs (the arguments SymPy leaves, ``q - 1`` and ``q^2 - 1``, keep one sign
    there)."""
    def real(arg):
        negative = arg.subs(var, sympy.Rational(1, 2)).is_negative
        return sympy.log(sympy.expand(-arg)) if negative else sympy.log(arg)
    return expr.replace(lambda e: isinstance(e, sympy.log), lambda e: real(e.args[0]))


@once_per_machine
def escape_primitive(k: int) -> Derivation:
    """Escape from the equator: ``Phi_k`` with ``dPhi_k/dq = 1/(q^(k-1)(1 - q^2))`` (SymPy integrates); the flow time
    from ``q0`` to ``q1`` of an aligned pure ``h_k`` link with ``G = A q^(k-1)`` is
    ``[Phi_k(q1) - Phi_k(q0)]/A``.

    Examples
    --------
    >>> from theory.single_index import escape_primitive
    >>> escape_primitive(3).result
    -log(1 - q)/2 + log(q + 1)/2 - 1/q
    """
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be an integer >= 1; got {k!r}")
    qq = sympy.Symbol("q", positive=True)
    integrand = 1 / (qq ** (k - 1) * (1 - qq**2))
    primitive = _real_logs(sympy.integrate(sympy.apart(integrand, qq), qq), qq)
    check = sympy.simplify(sympy.diff(primitive, qq) - integrand)
    result = primitive.subs(qq, q)
    slope = {1: "A", 2: "A q"}.get(k, f"A q^{k - 1}")
    return Derivation(f"single_index.escape_primitive_{k}", f"Escape-time primitive, k = {k}",
                      f"Gradient flow of a pure link of degree {k}, dq/dt = {slope} (1 - q^2): "
                      "separate the variables and integrate.",
                      (("integrand", integrand.subs(qq, q)), ("primitive", result),
                       ("derivative of the primitive minus the integrand (SymPy: 0)", check)), result,
                      lhs=(r"\frac{d \Phi_{%d}}{d q}" % k, r"\Phi_{%d}(q)" % k,
                           r"\frac{d \Phi_{%d}}{d q} - %s" % (k, sympy.latex(integrand.subs(qq, q)))))


@once_per_machine
def second_moment_set_d() -> Derivation:
    """``S(q)`` for the reference configuration (``f = h3``, ``g = h3 + h1/2``): the general ``S(q)`` specialised, against the
    page's closed form.

    Examples
    --------
    >>> from theory.single_index import second_moment_set_d
    >>> second_moment_set_d().steps[-1][1]
    0
    """
    general = second_moment_derivation()
    D = {x: 0 for x in (*c, *b)}
    D.update({c[2]: 1, b[0]: Rational(1, 2), b[2]: 1})
    S_D = sympy.collect(sympy.expand(general.result.xreplace(D)), q)
    r6 = sqrt(6)
    page = ((216 + 24 * r6) * q**4 - 744 * q**3 + (156 + 24 * r6) * q**2 - 48 * r6 * q + 387
            + 12 * _sigma_xi2)
    return Derivation(
        "single_index.second_moment_set_d", "Second moment S(q) for the reference configuration",
        "The general S(q), computed by SymPy from Gaussian moments for links of degree <= 4, at "
        "c3 = 1, b1 = 1/2, b3 = 1.",
        (*general.steps[:2], ("S(q) for the reference configuration", S_D),
         ("S(q) for the reference configuration minus the closed form of docs/single-index.md (SymPy: 0)",
          sympy.expand(S_D - page))), S_D,
        lhs=(r"\#\{(i, k)\}", r"\#\{\text{odd powers of } r\}", r"S_D(q)",
             r"S_D(q) - S_D^{\mathrm{page}}(q)"))


def derivations() -> list[Derivation]:
    """The derivations of this module, in the order of the docs."""
    return [second_moment_set_d(), escape_primitive(2), escape_primitive(3), escape_primitive(4)]


# --- registration (the forms the LaTeX shows: theory.single_index_forms) ---------------------

def _builder(attr: str):
    """The registry's build of the expression ``attr`` of :data:`_LAZY`."""
    def build():
        return _e(attr)
    build.attribute = attr
    return build


@once_per_machine
def _free_parameters() -> dict:
    """The names of the free symbols of each expression of :data:`_LAZY` (kept in the disk
    cache: registering a quantity declares its parameters without building it)."""
    _build()
    return {n: tuple(sorted(s.name for s in globals()[n].free_symbols)) for n in _LAZY}


_ROOTS = ('sigma2_s', 'c1', 'c2', 'c3', 'c4', 'b1', 'b2', 'b3', 'b4')
for _name, _expr, _sym, _desc, _declared in [
    ("risk", _builder("risk"), r"\varphi(\mathsf{m})", "excess risk of the student with isotropic covariates",
     None),
    ("one_point_convexity", _builder("one_point_convexity"), r"\mu(\mathsf{m})",
     "one-point strong convexity towards the target", None),
    ("hessian_radial", _builder("hessian_radial"), r"\lambda_{\mathrm{rad}}(\mathsf{m})",
     "Riemannian Hessian eigenvalue of the risk towards the target direction", None),
    ("hessian_tangent", _builder("hessian_tangent"), r"\lambda_{\mathrm{tan}}(\mathsf{m})",
     "Riemannian Hessian eigenvalue of the risk on the other tangent directions", None),
    ("mean_slope2", _builder("mean_slope2"), r"\mathbb{E} f'(z)^2", "mean squared slope of the target link", None),
    ("spiked_risk", _builder("spiked_risk"), r"R_{\Sigma}(\mathsf{m}, p)",
     "excess risk under spiked covariates I + spike v v^T, by Mehler's formula", None),
    ("weak_loss", _builder("weak_loss"), r"\psi(q)", "population loss on the weak labels, without label noise", None),
    ("weak_slope", _builder("weak_slope"), r"G(q)", "minus the slope of the weak loss", None),
    ("weak_risk", _builder("weak_risk"), r"R_{\mathrm{weak}}", "risk of the weak supervisor psi(rho_w)",
     None),
    ("saturation_risk", _builder("saturation_risk"), r"\varphi(\rho_w)",
     "saturation level of population GD on weak labels", None),
    ("w2s_gain", _builder("w2s_gain"), r"R_{\mathrm{weak}} - \varphi(\rho_w)",
     "weak-to-strong gain at saturation", None),
    ("misfit", _builder("misfit"), r"\|h\|^2", "student-to-weak misfit, the squared norm of the link misspecification", None),
    ("pgr_saturation", _builder("pgr_saturation"), r"\mathrm{PGR}_{\infty}",
     "oracle PGR at saturation, the gain over the weak risk", None),
    ("pgr_stuck", _builder("pgr_stuck"), r"\mathrm{PGR}_{0}",
     "oracle PGR of a student stuck at m = 0", None),
    ("gd_next_q", _builder("_q_next"), r"q_{t+1}", "exact reduced population GD map, q component", None),
    ("gd_next_m", _builder("_m_next"), r"\mathsf{m}_{t+1}", "exact reduced population GD map, m component", None),
    ("gd_invariant", _builder("gd_invariant"), r"C", "invariant of the reduced GD map", None),
    ("gd_bound", _builder("gd_bound"), r"\bar R_t", "generalisation bound of arXiv:2605.05710 on the risk after t steps of GD", None),
    ("gd_bound_adaptive", _builder("gd_bound_adaptive"), r"\bar R(q_t)",
     "generalisation bound of arXiv:2605.05710, adaptive form in the current overlap", None),
    ("psc_bound", _builder("psc_bound"), r"\bar R^{\mathrm{PSC}}_t",
     "perturbed strong-convexity bound of arXiv:2605.05710 on the risk after t steps of GD", None),
    ("second_moment", second_moment, r"S(q)",
     "second moment of the per-sample gradient scalar", (*_ROOTS, 'q')),
    ("sgd_fixed_point_function", sgd_fixed_point_function, r"\Psi_\delta(q)",
     "drift of q under online SGD, per unit of delta", (*_ROOTS, 'q', 'delta')),
    ("sgd_basin_boundary", sgd_basin_boundary, r"q_c(\delta)",
     "basin boundary of online SGD", None),
    ("sgd_stable_point", sgd_stable_point, r"q^*(\delta)",
     "stable fixed point of online SGD", None),
    ("sgd_saddle_node", sgd_saddle_node, r"\delta_{\mathrm{sn}}",
     "largest SGD step with a basin boundary", None),
    ("sgd_saturation_risk", _builder("sgd_saturation_risk"), r"\varphi(\rho_w q^*)",
     "saturation risk of online SGD", None),
    ("pretraining_threshold", _builder("pretraining_threshold"), r"n_u^*/d",
     "pre-training budget (the pre-training threshold, docs/single-index.md) above which online SGD reaches its stable point", None),
    ("sgd_pgr", _builder("sgd_pgr"), r"\mathrm{PGR}(n_u/d)",
     "oracle PGR of online SGD against the pre-training budget (d, then alpha -> oo)", None),
]:
    if _declared is None and hasattr(_expr, "attribute"):
        _declared = _free_parameters()[_expr.attribute]
    register(f"single_index.{_name}", _expr, _sym, _desc, SOURCE, declared=_declared,
             presentation=PRESENTATION.get(_name))
