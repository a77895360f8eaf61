r"""Seed 003: fine-tuning a single-index student from a spectral warm start (``pretraining.md`` sec. 2).

The student ``a -> f(<a, x>)`` (``x`` on the unit sphere, link ``f`` known) is fine-tuned on the
labels of a weak supervisor ``g(<a, w>)`` with isotropic covariates. With orthonormal Hermite
coefficients ``c1..c4`` of ``f`` and ``b1..b4`` of ``g`` (:mod:`theory.hermite`), ``m = <x, v0>``,
``q = <x, w>`` and ``rho_w = <w, v0>``:

* landscape (F5-F8): ``R = phi(m) = 2 sum c_j^2 (1 - m^j)``, one-point convexity ``mu(m)``,
  Riemannian Hessian eigenvalues and the geodesic cap; spiked risk by Mehler's formula (F9-F10);
* weak loss and its two biases (F11-F13): ``psi(q)``, ``G = -psi'``, ``R_weak = psi(rho_w)``, the
  saturation level ``phi(rho_w)`` and the gain identity;
* exact reduced GD (F14-F16): the map ``(q, m) -> (q', m')``, its invariant ``C`` and the large-batch
  correction ``S(q)/beta_B`` with ``S`` derived by SymPy from Gaussian moments (F19);
* bounds: Theorem C1 (sharp) and the perturbed strong-convexity constants of Theorem C2 (F17);
* online SGD (F20-F21): the ODE drift, ``Psi_delta(q) = G(q)(1 - q^2) - (delta/2) q S(q)``, its
  basin boundary ``q_c(delta)``, stable point ``q*(delta)`` and saddle-node ``delta_sn``, which are
  defined by roots (:class:`SGDBasinBoundary`, :class:`SGDStablePoint`, :class:`SGDSaddleNode`,
  evaluated by :mod:`numerics.single_index`);
* Theorem PT: the pre-training threshold ``n_u*/d = N(spike, q_c(delta)/kappa)`` and the PGR as a
  function of ``gamma_u = d/n_u`` (:data:`sgd_pgr`, the "theory mode" of synthetic checkpoints).

Examples
--------
>>> from numerics import evaluate
>>> D = {"c3": 1, "b1": "1/2", "b3": 1, "rho_w": "0.9"}
>>> float(evaluate("single_index.weak_risk", D)), float(evaluate("single_index.w2s_gain", D))
(0.792, 0.25)
"""

from __future__ import annotations

from functools import lru_cache

import sympy
from sympy import (Function, Interval, Min, Piecewise, Rational, factorial, factorial2,
                   oo, sqrt)

from theory.claims import Claim, Proof
from theory.derivation import Derivation
from theory.hermite import mehler
from theory.registry import register
from theory.spectral import (eta1, eta2_min, gamma_u, kappa, pretraining_budget, rho_w, spike)
from theory.symbols import parameter, sigma2_s

__all__ = ["c", "b", "m", "q", "p", "eta", "delta", "t", "beta_B", "alpha", "risk", "risk_slope",
           "one_point_convexity", "hessian_radial", "hessian_tangent", "spiked_risk",
           "weak_loss", "weak_slope", "weak_risk", "saturation_risk", "w2s_gain", "misfit",
           "pgr_saturation", "pgr_stuck", "gd_map", "gd_invariant", "gd_bound",
           "gd_bound_adaptive", "psc_constants", "psc_bound", "second_moment",
           "second_moment_derivation", "sgd_drift", "sgd_fixed_point_function",
           "SGDBasinBoundary", "SGDStablePoint", "SGDSaddleNode", "RequiredOverlap",
           "sgd_basin_boundary", "sgd_stable_point", "sgd_saddle_node", "pretraining_threshold",
           "sgd_pgr", "escape_primitive", "second_moment_set_d", "derivations", "DEGREE"]

SOURCE = "pretraining.md sec. 2 (arXiv:2605.05710, seed 003)"
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
m = parameter("m", r"m", "m", _UNIT, "<x, v0>, the student's overlap with the target", real=True)
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
_sigma_xi2 = sigma2_s  # the weak labels' extra noise (pretraining.md sigma_xi^2)

# --- landscape (F5-F8) ------------------------------------------------------------------------

_f, _g = (0, *c), (0, *b)  # orthonormal coefficients h_0..h_4 (no constant terms)
#: F5: ``R(x) = phi(m) = 2 (E f(u)^2 - E f(u) f(v))`` by Mehler's formula, ``corr(u, v) = m``.
risk = sympy.expand(2 * (mehler(_f, _f, 1) - mehler(_f, _f, m)))
#: ``phi'(m)``.
risk_slope = sympy.diff(risk, m)
#: ``E f'(z)^2 = sum j c_j^2``.
mean_slope2 = sum(j * c[j - 1] ** 2 for j in _J)
#: F7: ``<grad R, x - v0> = mu(m) ||x - v0||^2``.
one_point_convexity = (1 + m) * sum(j * c[j - 1] ** 2 * m ** (j - 1) for j in _J)
#: F8: Riemannian Hessian eigenvalue along ``P_x v0``.
hessian_radial = sympy.diff(risk, m, 2) * (1 - m**2) - m * risk_slope
#: F8: Riemannian Hessian eigenvalue on the other tangent directions.
hessian_tangent = -m * risk_slope


def _alpha(coeffs, j, scale):
    """F9: orthonormal coefficient ``alpha_j`` of ``z -> F(scale z)`` for ``F = sum coeffs h_k``."""
    total = 0
    for k in range(0, (DEGREE - j) // 2 + 1):
        n = j + 2 * k
        if n == 0:
            continue
        total += (coeffs[n - 1] * scale**j * (scale**2 - 1) ** k * sqrt(factorial(n))
                  / (factorial(k) * 2**k * sqrt(factorial(j))))
    return total


def _spiked_risk():
    s_x, s_0 = sqrt(1 + spike * p**2), sqrt(1 + spike * eta1**2)
    r = (m + spike * p * eta1) / (s_x * s_0)
    # from j = 0: under the spike f(s z) has a constant term alpha_0 when f has even components
    return sum(_alpha(c, j, s_x) ** 2 + _alpha(c, j, s_0) ** 2
               - 2 * r**j * _alpha(c, j, s_x) * _alpha(c, j, s_0) for j in range(DEGREE + 1))


#: F10: excess risk under spiked fine-tuning covariates ``N(0, I + spike v v^T)``.
spiked_risk = _spiked_risk()

# --- weak supervisor (F11-F13) ------------------------------------------------------------------

#: F11: the weak loss ``psi(q) = E g^2 + E f^2 - 2 E g(z_w) f(u)`` (Mehler; ``sigma_xi = 0``).
weak_loss = sympy.expand(mehler(_g, _g, 1) + mehler(_f, _f, 1) - 2 * mehler(_g, _f, q))
#: ``G(q) = -psi'(q)``.
weak_slope = -sympy.diff(weak_loss, q)
#: F12: ``R_weak = psi(rho_w)``.
weak_risk = weak_loss.subs(q, rho_w)
#: F12: the saturation level ``phi(rho_w)``.
saturation_risk = risk.subs(m, rho_w)
#: F12: ``R_weak - phi(rho_w)``.
w2s_gain = weak_risk - saturation_risk
#: ``||h||^2 = ||g - f||^2``, the student-to-weak misfit.
misfit = sum((b[j - 1] - c[j - 1]) ** 2 for j in _J)
#: F12: oracle PGR at convergence, ``gain / R_weak``.
pgr_saturation = w2s_gain / weak_risk
#: F13: oracle PGR of a student stuck at ``m = 0``.
pgr_stuck = 1 - risk.subs(m, 0) / weak_risk

# --- exact reduced GD (F14-F16) and the large-batch correction (F19) --------------------------


def gd_map(large_batch: bool = False) -> tuple[sympy.Expr, sympy.Expr]:
    """F14 (F19 with ``large_batch``): one projected GD step ``(q, m) -> (q', m')``.

    Examples
    --------
    >>> from theory.single_index import gd_map, q, m, eta
    >>> q_next, m_next = gd_map()
    >>> q_next.subs({eta: 0}), m_next.subs({eta: 0})
    (q, m)
    """
    G = weak_slope
    norm2 = 1 + eta**2 * G**2 * (1 - q**2)
    if large_batch:
        norm2 += eta**2 * second_moment() / beta_B
    return ((q + eta * G * (1 - q**2)) / sqrt(norm2),
            (m + eta * G * (rho_w - q * m)) / sqrt(norm2))


#: F14: ``C = (m - q rho_w)/sqrt(1 - q^2)``, invariant under the GD map when ``eta G(q) q < 1``.
gd_invariant = (m - q * rho_w) / sqrt(1 - q**2)

_beta = sqrt(2 * (1 - rho_w))
_mu_w = (1 + q) * weak_slope / 2
#: Theorem C1 (closed form; ``q`` is ``q0``, ``t`` the step count).
gd_bound = mean_slope2 * ((1 - eta * _mu_w) ** (t / 2) * sqrt(2 * (1 - q)) + _beta) ** 2
#: Theorem C1, adaptive form ``E f'^2 (sqrt(2(1 - q_t)) + beta)^2`` (``q`` is ``q_t``).
gd_bound_adaptive = mean_slope2 * (sqrt(2 * (1 - q)) + _beta) ** 2


def psc_constants() -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
    """F17: uniform ``(mu, L, eps)`` on ``{q' >= q, m' >= min(m, rho_w)}`` (``q = q0``, ``m = m0``).

    Examples
    --------
    >>> from theory.single_index import psc_constants
    >>> [str(e) for e in psc_constants()][1]
    '2*b1*c1 + 4*b2*c2 + 6*b3*c3 + 8*b4*c4'
    """
    G1 = weak_slope.subs(q, 1)
    return weak_slope * (rho_w + Min(m, rho_w)) / 2, G1, G1 * _beta


def _psc_bound():
    mu, _, eps = psc_constants()
    return mean_slope2 * ((1 - eta * mu / 2) ** t * 2 * (1 - m) + 4 * eps**2 * (1 + eta * mu)
                          / mu**2)


#: Theorem C2: ``R(x_t) <= E f'^2 e_t^2`` with the PSC recursion (valid for ``eta <= mu/(2 L^2)``).
psc_bound = _psc_bound()


@lru_cache(maxsize=None)
def second_moment_derivation() -> Derivation:
    """F19: ``S(q) = 4 E[((g(z_w) - f(u))^2 + sigma_xi^2) f'(u)^2]`` as a polynomial in ``q``.

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
        "single_index.second_moment", "Second moment of the per-sample gradient scalar (F19)",
        "S(q) = E s^2 with s = 2 (y_weak - f(u)) f'(u): Gaussian moments of (u, z_w), "
        "z_w = q u + sqrt(1 - q^2) z.",
        (("number of monomials with even powers of u and z (the others have mean zero)",
          sympy.Integer(len(even))),
         ("odd powers of r = sqrt(1 - q^2) left (SymPy: 0)", sympy.Integer(len(odd_r))),
         ("S(q)", S)), S)


def second_moment() -> sympy.Expr:
    """F19: ``S(q)``, a polynomial in ``q`` (see :func:`second_moment_derivation`).

    Examples
    --------
    >>> from sympy import expand
    >>> from theory.single_index import second_moment, c, b, q
    >>> expand(second_moment().subs({c[2]: 1, b[2]: 1}).subs({x: 0 for x in c + b}).subs(q, 1))
    12*sigma2_s
    """
    return second_moment_derivation().result


def sgd_drift() -> tuple[sympy.Expr, sympy.Expr]:
    """F20: ``(dq/dtau, dm/dtau)`` of online SGD with step ``delta/d`` as ``d -> oo``.

    Examples
    --------
    >>> from theory.single_index import sgd_drift, q, m
    >>> dq, dm = sgd_drift()
    >>> dq.subs(q, 0)
    2*b1*c1*delta
    """
    S, G = second_moment(), weak_slope
    return (delta * G * (1 - q**2) - delta**2 / 2 * q * S,
            delta * G * (rho_w - q * m) - delta**2 / 2 * m * S)


def sgd_fixed_point_function() -> sympy.Expr:
    """F21: ``Psi_delta(q) = G(q)(1 - q^2) - (delta/2) q S(q)`` (``dq/dtau = delta Psi``).

    Examples
    --------
    >>> from theory.single_index import sgd_fixed_point_function, q, delta
    >>> sgd_fixed_point_function().subs(q, 0).subs(delta, 0)
    2*b1*c1
    """
    return weak_slope * (1 - q**2) - delta / 2 * q * second_moment()


_LINKS = (*c, *b, _sigma_xi2)


class SGDBasinBoundary(Function):
    r"""``q_c(delta)``: the smallest zero of ``Psi_delta`` in ``(0, 1)`` (unstable; F21).

    Arguments ``(delta, c1..c4, b1..b4, sigma2_s)``. Defined when ``q = 0`` is stable
    (``Psi_delta < 0`` just above 0) and ``delta < delta_sn``; evaluated by a bracketed root in
    :mod:`numerics.single_index` at any precision.
    """

    nargs = 2 + 2 * DEGREE

    def _latex(self, printer, exp=None):
        s = r"q_c(%s)" % printer._print(self.args[0])
        return s if exp is None else r"%s^{%s}" % (s, exp)


class SGDStablePoint(Function):
    r"""``q*(delta)``: the largest zero of ``Psi_delta`` in ``(0, 1)`` (stable; F21).

    Arguments ``(delta, c1..c4, b1..b4, sigma2_s)``; a bracketed root in :mod:`numerics.single_index`.
    """

    nargs = 2 + 2 * DEGREE

    def _latex(self, printer, exp=None):
        s = r"q^*(%s)" % printer._print(self.args[0])
        return s if exp is None else r"%s^{%s}" % (s, exp)


class SGDSaddleNode(Function):
    r"""``delta_sn``: the largest step for which ``Psi_delta`` has zeros in ``(0, 1)`` (F21).

    ``Psi_delta(q) = (q S(q)/2) (F(q) - delta)`` with ``F(q) = 2 G(q)(1 - q^2)/(q S(q))``, so
    ``delta_sn`` is the maximum of ``F`` over its interior critical points (roots of a polynomial,
    each refined on a bracket). Arguments ``(c1..c4, b1..b4, sigma2_s)``.
    """

    nargs = 1 + 2 * DEGREE

    def _latex(self, printer, exp=None):
        return r"\delta_{\mathrm{sn}}" if exp is None else r"\delta_{\mathrm{sn}}^{%s}" % exp


class RequiredOverlap(Function):
    r"""``q_c / kappa``: the spectral overlap ``eta2`` a warm start needs; defined when ``q_c < kappa``.

    When ``kappa <= q_c`` no pre-training budget suffices (Theorem PT(i)); the evaluator says so.
    """

    nargs = 2

    def _latex(self, printer, exp=None):
        s = r"\frac{%s}{%s}" % tuple(printer._print(a) for a in self.args)
        return s if exp is None else r"\left(%s\right)^{%s}" % (s, exp)


#: F21: the basin boundary ``q_c(delta)``.
sgd_basin_boundary = SGDBasinBoundary(delta, *_LINKS)
#: F21: the stable fixed point ``q*(delta)``.
sgd_stable_point = SGDStablePoint(delta, *_LINKS)
#: F21: the saddle-node step ``delta_sn``.
sgd_saddle_node = SGDSaddleNode(*_LINKS)
#: F16/F21: saturation risk of online SGD, ``phi(rho_w q*)``.
sgd_saturation_risk = risk.subs(m, rho_w * sgd_stable_point)


def _threshold():
    return pretraining_budget().subs(eta2_min, RequiredOverlap(sgd_basin_boundary, kappa))


#: Theorem PT(i): ``n_u*/d = N(spike, q_c(delta)/kappa)``.
pretraining_threshold = _threshold()
#: Theorem PT(i): oracle PGR as ``d -> oo`` then ``alpha -> oo``, a step in ``n_u/d = 1/gamma_u``.
sgd_pgr = Piecewise((1 - sgd_saturation_risk / weak_risk, 1 / gamma_u > pretraining_threshold),
                    (pgr_stuck, True))


@lru_cache(maxsize=None)
def escape_primitive(k: int) -> Derivation:
    """F18: ``Phi_k`` with ``dPhi_k/dq = 1/(q^(k-1)(1 - q^2))`` (SymPy integrates); the flow time
    from ``q0`` to ``q1`` of an aligned pure ``h_k`` link with ``G = A q^(k-1)`` is
    ``[Phi_k(q1) - Phi_k(q0)]/A``.

    Examples
    --------
    >>> from theory.single_index import escape_primitive
    >>> escape_primitive(3).result
    -log(q - 1)/2 + log(q + 1)/2 - 1/q
    """
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be an integer >= 1; got {k!r}")
    qq = sympy.Symbol("q", positive=True)
    integrand = 1 / (qq ** (k - 1) * (1 - qq**2))
    primitive = sympy.integrate(sympy.apart(integrand, qq), qq)
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


@lru_cache(maxsize=None)
def second_moment_set_d() -> Derivation:
    """F19 for set D (``f = h3``, ``g = h3 + h1/2``): the general ``S(q)`` specialised, against the
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
        "single_index.second_moment_set_d", "Second moment S(q) for set D (F19)",
        "The general S(q), computed by SymPy from Gaussian moments for links of degree <= 4, at "
        "c3 = 1, b1 = 1/2, b3 = 1.",
        (*general.steps[:2], ("S(q) for set D", S_D),
         ("S(q) for set D minus the closed form of pretraining.md F19 (SymPy: 0)",
          sympy.expand(S_D - page))), S_D,
        lhs=(r"\#\{(i, k)\}", r"\#\{\text{odd powers of } r\}", r"S_D(q)",
             r"S_D(q) - S_D^{\mathrm{page}}(q)"))


def derivations() -> list[Derivation]:
    """The derivations of this module, in the order of the docs."""
    return [second_moment_set_d(), escape_primitive(2), escape_primitive(3), escape_primitive(4)]


# --- presentation: the page's notation (pretraining.md sec. 1-2) -------------------------------

from theory.notation import minus, notation, over, plus, ref, times  # noqa: E402

_j = sympy.Symbol("j", integer=True, positive=True)  # Hermite degree of the sums
_k = sympy.Symbol("k", integer=True, nonnegative=True)
_j0 = sympy.Symbol("j", integer=True, nonnegative=True)  # a sum from j = 0 (F10)


class _Indexed(Function):
    """A coefficient with a symbolic index (``c_j`` in a sum); at an integer index, its value.

    Printing only: a presentation form sums it with :class:`sympy.Sum`, and ``doit`` (which
    :func:`theory.notation.expand_notation` runs) replaces every ``c_j`` by the parameter.
    """

    nargs = 1
    _tex = ""

    @classmethod
    def eval(cls, j):
        if j.is_Integer:
            return cls._value(int(j))
        return None

    @classmethod
    def _value(cls, j):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _latex(self, printer, exp=None):
        s = "%s_{%s}" % (self._tex, printer._print(self.args[0]))
        return s if exp is None else "%s^{%s}" % (s, exp)

    def _sympystr(self, printer):
        return "%s_%s" % (self._tex, printer._print(self.args[0]))


class _c(_Indexed):
    _tex = "c"

    @classmethod
    def _value(cls, j):
        return c[j - 1] if 1 <= j <= DEGREE else sympy.S.Zero


class _b(_Indexed):
    _tex = "b"

    @classmethod
    def _value(cls, j):
        return b[j - 1] if 1 <= j <= DEGREE else sympy.S.Zero


class _h(_Indexed):
    _tex = "h"

    @classmethod
    def _value(cls, j):
        return b[j - 1] - c[j - 1] if 1 <= j <= DEGREE else sympy.S.Zero


def _sum(term, lo=1, hi=DEGREE, index=_j):
    return sympy.Sum(term, (index, lo, hi))


class _Alpha(Function):
    """F9: ``alpha_j(s)``, the orthonormal coefficient of ``z -> f(s z)`` (printing; ``doit``
    at an integer ``j`` gives :func:`_alpha`)."""

    nargs = 2

    @classmethod
    def eval(cls, j, s):
        if j.is_Integer:
            return _alpha(c, int(j), s)
        return None

    def _latex(self, printer, exp=None):
        s = r"\alpha_{%s}(%s)" % tuple(printer._print(a) for a in self.args)
        return s if exp is None else "%s^{%s}" % (s, exp)


_u = sympy.Symbol("u", real=True)


def _gauss_mean(poly) -> sympy.Expr:
    """``E[P(u)]`` for ``u ~ N(0, 1)`` and a polynomial ``P`` (moments ``(i - 1)!!``)."""
    p = sympy.Poly(sympy.expand(poly), _u)
    return sympy.expand(sympy.Add(*(coeff * factorial2(i - 1) for (i,), coeff in p.terms()
                                    if i % 2 == 0)))


@lru_cache(maxsize=None)
def _product_coefficients(name: str) -> tuple:
    """Orthonormal Hermite coefficients ``[F]_0 ..`` of ``F`` = ``f^2``, ``g^2``, ``f'^2`` or
    ``f f'^2`` (polynomials in ``u``), by Gaussian moments."""
    f = sum(c[j - 1] * sympy.hermite_prob_poly(j, _u) / sqrt(factorial(j)) for j in _J)
    g = sum(b[j - 1] * sympy.hermite_prob_poly(j, _u) / sqrt(factorial(j)) for j in _J)
    fp = sympy.diff(f, _u)
    F = {"f^2": f**2, "g^2": g**2, "f'^2": fp**2, "f f'^2": f * fp**2}[name]
    degree = sympy.Poly(sympy.expand(F), _u).degree()
    return tuple(_gauss_mean(F * sympy.hermite_prob_poly(k, _u)) / sqrt(factorial(k))
                 for k in range(degree + 1))


class _HermiteOf(Function):
    """``[F]_k``: the ``k``-th orthonormal Hermite coefficient of a product of the links."""

    nargs = 1
    _of = ""
    _tex = ""

    @classmethod
    def eval(cls, k):
        if k.is_Integer:
            values = _product_coefficients(cls._of)
            return values[int(k)] if 0 <= int(k) < len(values) else sympy.S.Zero
        return None

    def _latex(self, printer, exp=None):
        s = r"[%s]_{%s}" % (self._tex, printer._print(self.args[0]))
        return s if exp is None else r"%s^{%s}" % (s, exp)

    def _sympystr(self, printer):
        return "[%s]_%s" % (self._tex.replace(" ", ""), printer._print(self.args[0]))


class _FP2(_HermiteOf):
    _of, _tex = "f'^2", "f'^2"


class _F2(_HermiteOf):
    _of, _tex = "f^2", "f^2"


class _G2(_HermiteOf):
    _of, _tex = "g^2", "g^2"


class _FFP2(_HermiteOf):
    _of, _tex = "f f'^2", "f f'^2"


_S = "single_index"
# shorthand of the landscape (F5-F10)
_n_f2 = notation(_S, r"\|f\|^2", _sum(_c(_j) ** 2), "squared norm of the target link f",
                 nonnegative=True)
_n_g2 = notation(_S, r"\|g\|^2", _sum(_b(_j) ** 2), "squared norm of the weak link g",
                 nonnegative=True)
notation(_S, "h_j", _b(_j) - _c(_j), "link misspecification h = g - f, degree j")
_n_dphi = notation(_S, r"\varphi'(m)", times(-2, _sum(times(_j, _c(_j) ** 2, m ** plus(_j, -1)))),
                   "slope of the risk phi(m)", real=True,
                   shown=r"- 2 \sum_{j=1}^{4} j c_{j}^{2} m^{j - 1}")
_n_ddphi = notation(_S, r"\varphi''(m)",
                    times(-2, _sum(times(_j, _j - 1, _c(_j) ** 2, m ** plus(_j, -2)), lo=2)),
                    "curvature of the risk phi(m)", real=True,
                    shown=r"- 2 \sum_{j=2}^{4} j \left(j - 1\right) c_{j}^{2} m^{j - 2}")
_n_sx = notation(_S, "s_x", sqrt(1 + spike * p**2), "scale of <a, x> under spiked covariates",
                 positive=True, shown=r"\sqrt{1 + \lambda p^{2}}")
_n_s0 = notation(_S, "s_0", sqrt(1 + spike * eta1**2), "scale of <a, v0> under spiked covariates",
                 positive=True, shown=r"\sqrt{1 + \lambda \eta_1^{2}}")
_n_r = notation(_S, "r", (m + spike * p * eta1) / (sqrt(1 + spike * p**2)
                                                   * sqrt(1 + spike * eta1**2)),
                "correlation of <a, x> and <a, v0> under spiked covariates", real=True,
                shown=r"\frac{m + \lambda p \eta_1}{s_x s_0}")
notation(_S, r"\alpha_j(s)", _Alpha(_j, sympy.Symbol("s", positive=True)),
         "orthonormal Hermite coefficients of z -> f(s z) (F9)",
         shown=r"\sum_{k \geq 0} c_{j+2k}\, s^j (s^2 - 1)^k \frac{\sqrt{(j+2k)!}}{k!\, 2^k \sqrt{j!}}")
_n_sigma_xi2 = notation(_S, r"\sigma_\xi^2", _sigma_xi2,
                       "variance of the weak labels' extra noise (parameter sigma2_s)",
                       nonnegative=True, shown=r"\sigma_s^2")
# the GD state (F14-F17): q, m are the current overlaps q_t, m_t, or the initial q_0, m_0
_n_qt = notation(_S, "q_t", q, "overlap <x_t, w> with the weak direction (parameter q)",
                 real=True, shown=r"\langle x_t, w\rangle")
_n_mt = notation(_S, "m_t", m, "overlap <x_t, v0> with the target (parameter m)", real=True,
                 shown=r"\langle x_t, v_0\rangle")
_n_Gt = notation(_S, "G(q_t)", weak_slope, "the weak loss's slope G at q_t", real=True,
                 shown=r"G(q)\big|_{q = q_t}")
_n_N = notation(_S, "N_t", sqrt(plus(1, times(eta**2, _n_Gt**2, plus(1, minus(_n_qt**2))))),
                "normalisation of the projected GD step", positive=True,
                shown=r"\sqrt{1 + \eta^{2} G(q_t)^{2} \left(1 - q_t^{2}\right)}")
_n_q0 = notation(_S, "q_0", q, "initial overlap <x_0, w> (parameter q)", real=True,
                 shown=r"\langle x_0, w\rangle")
_n_m0 = notation(_S, "m_0", m, "initial overlap <x_0, v0> (parameter m)", real=True,
                 shown=r"\langle x_0, v_0\rangle")
_n_G0 = notation(_S, "G(q_0)", weak_slope, "the weak loss's slope G at q_0", real=True,
                 shown=r"G(q)\big|_{q = q_0}")
_n_G1 = notation(_S, "G(1)", weak_slope.subs(q, 1), "the weak loss's slope G at q = 1",
                 real=True, shown=r"G(q)\big|_{q = 1}")
_n_beta = notation(_S, r"\beta", sqrt(times(2, plus(1, minus(rho_w)))),
                   "direction bias ||w - v0|| of the weak supervisor", nonnegative=True,
                   shown=r"\|w - v_0\| = \sqrt{2 \left(1 - \rho_w\right)}")
_n_muw = notation(_S, r"\mu_w", over(times(plus(1, _n_q0), _n_G0), 2),
                  "contraction rate of GD towards w (Theorem C1)", real=True,
                  shown=r"\frac{\left(1 + q_0\right) G(q_0)}{2}")
_n_mlo = notation(_S, r"m_{\mathrm{lo}}", Min(_n_m0, rho_w),
                  "lower end of m on the invariant region (Theorem C2)", real=True)
_n_mu = notation(_S, r"\mu", over(times(_n_G0, plus(rho_w, _n_mlo)), 2),
                 "strong-convexity constant on the effective region (F17)", real=True,
                 shown=r"\frac{G(q_0) \left(\rho_w + m_{\mathrm{lo}}\right)}{2}")
_n_eps = notation(_S, r"\varepsilon", times(_n_G1, _n_beta),
                  "perturbation proportional to the weak bias (F17)", real=True)
_n_e0 = notation(_S, "e_0^2", times(2, plus(1, minus(_n_m0))),
                 "initial squared distance ||x_0 - v0||^2", nonnegative=True,
                 shown=r"\|x_0 - v_0\|^{2} = 2 \left(1 - m_0\right)")
notation(_S, "[F]_k", _FP2(_k), "orthonormal Hermite coefficient E[F(u) h_k(u)] of a polynomial "
         "F of the links", shown=r"\mathbb{E}\left[F(u)\, h_k(u)\right]")
# Theorem PT
_n_sstar = notation(_S, "s_*", RequiredOverlap(sgd_basin_boundary, kappa),
                    "spectral overlap the warm start needs (Theorem PT)", nonnegative=True,
                    shown=r"\frac{q_c(\delta)}{\kappa}")
_n_pgr_star = notation(_S, r"\mathrm{PGR}_{q^*}", lambda: plus(1, minus(over(
    ref("single_index.sgd_saturation_risk"), ref("single_index.weak_risk")))),
    "oracle PGR of online SGD saturated at q*", real=True,
    shown=r"1 - \frac{\varphi(\rho_w q^*)}{R_{\mathrm{weak}}}")
_n_budget = notation(_S, "n_u/d", 1 / gamma_u, "unlabelled pre-training samples per dimension",
                     positive=True, shown=r"1/\gamma_u")


def _stated(tex, expr, description):
    """``expr`` printed as ``tex`` (not in the list of notation): a root-defined quantity by its
    defining property, or a term as a paper writes it inline (``t/2`` in an exponent)."""
    return notation(f"{_S}:defined", tex, expr, description, real=True)


_REF = {name: (lambda name=name: ref(f"single_index.{name}"))
        for name in ("weak_slope", "mean_slope2", "weak_risk", "w2s_gain", "misfit",
                     "second_moment", "sgd_fixed_point_function", "pgr_stuck",
                     "sgd_saturation_risk", "pretraining_threshold")}


def _risk_form(x):
    return times(2, _sum(times(_c(_j) ** 2, plus(1, minus(x ** _j)))))


def _weak_form(x):
    return plus(_n_g2, _n_f2, minus(times(2, _sum(times(_b(_j), _c(_j), x ** _j)))))


def _step_form(num):
    return over(num, _n_N)


def _second_moment_form():
    # S(q) = 4 E[((g(z_w) - f(u))^2 + sigma_xi^2) f'(u)^2] by Mehler's formula, term by term
    return plus(
        times(4, _sum(times(_FP2(_k), plus(times(_G2(_k), q ** _k), _F2(_k))), lo=0, hi=6,
                      index=_k)),
        minus(times(8, _sum(times(_b(_k), _FFP2(_k), q ** _k), lo=1, hi=DEGREE, index=_k))),
        times(4, _n_sigma_xi2, _REF["mean_slope2"]()))


_PRESENTATION = {
    "risk": lambda: _risk_form(m),
    "one_point_convexity": lambda: times(plus(1, m), _sum(times(_j, _c(_j) ** 2, m ** plus(_j, -1)))),
    "hessian_radial": lambda: plus(times(_n_ddphi, plus(1, minus(m**2))),
                                   minus(times(m, _n_dphi))),
    "hessian_tangent": lambda: minus(times(m, _n_dphi)),
    "mean_slope2": lambda: _sum(times(_j, _c(_j) ** 2)),
    "spiked_risk": lambda: _sum(plus(_Alpha(_j0, _n_sx) ** 2, _Alpha(_j0, _n_s0) ** 2,
                                     minus(times(2, _n_r ** _j0, _Alpha(_j0, _n_sx),
                                                 _Alpha(_j0, _n_s0)))), lo=0, index=_j0),
    "weak_loss": lambda: _weak_form(q),
    "weak_slope": lambda: times(2, _sum(times(_j, _b(_j), _c(_j), q ** plus(_j, -1)))),
    "weak_risk": lambda: _weak_form(rho_w),
    "saturation_risk": lambda: _risk_form(rho_w),
    "w2s_gain": lambda: plus(_REF["misfit"](),
                             times(2, _sum(times(_c(_j), _h(_j), plus(1, minus(rho_w ** _j)))))),
    "misfit": lambda: _sum(_h(_j) ** 2),
    "pgr_saturation": lambda: over(_REF["w2s_gain"](), _REF["weak_risk"]()),
    "pgr_stuck": lambda: plus(1, minus(over(times(2, _n_f2), _REF["weak_risk"]()))),
    "gd_next_q": lambda: _step_form(plus(_n_qt, times(eta, _n_Gt, plus(1, minus(_n_qt**2))))),
    "gd_next_m": lambda: _step_form(plus(_n_mt, times(eta, _n_Gt,
                                                      plus(rho_w, minus(times(_n_qt, _n_mt)))))),
    "gd_invariant": lambda: over(plus(_n_mt, minus(times(rho_w, _n_qt))),
                                 sqrt(plus(1, minus(_n_qt**2)), evaluate=False)),
    "gd_bound": lambda: times(_REF["mean_slope2"](), plus(
        times(plus(1, minus(times(eta, _n_muw))) ** _stated("t/2", t / 2, "half the steps"),
              sqrt(times(2, plus(1, minus(_n_q0))), evaluate=False)), _n_beta) ** 2),
    "gd_bound_adaptive": lambda: times(_REF["mean_slope2"](), plus(
        sqrt(times(2, plus(1, minus(_n_qt))), evaluate=False), _n_beta) ** 2),
    "psc_bound": lambda: times(_REF["mean_slope2"](), plus(
        times(plus(1, minus(over(times(eta, _n_mu), 2))) ** t, _n_e0),
        over(times(4, _n_eps**2, plus(1, times(eta, _n_mu))), _n_mu**2))),
    "second_moment": _second_moment_form,
    "sgd_fixed_point_function": lambda: plus(
        times(_REF["weak_slope"](), plus(1, minus(q**2))),
        minus(times(over(delta, 2), q, _REF["second_moment"]()))),
    "sgd_basin_boundary": lambda: _stated(
        r"\min\left\{q \in (0, 1) : \Psi_\delta(q) = 0\right\}", sgd_basin_boundary,
        "q_c(delta) is the smallest zero of Psi_delta in (0, 1)"),
    "sgd_stable_point": lambda: _stated(
        r"\max\left\{q \in (0, 1) : \Psi_\delta(q) = 0\right\}", sgd_stable_point,
        "q*(delta) is the largest zero of Psi_delta in (0, 1)"),
    "sgd_saddle_node": lambda: _stated(
        r"\max_{0 < q < 1} \frac{2\, G(q) \left(1 - q^{2}\right)}{q\, S(q)}", sgd_saddle_node,
        "delta_sn is the largest delta at which Psi_delta has a zero in (0, 1)"),
    "sgd_saturation_risk": lambda: _risk_form(times(rho_w, sgd_stable_point)),
    "pretraining_threshold": lambda: over(plus(1, times(spike, _n_sstar**2)),
                                          times(spike**2, plus(1, minus(_n_sstar**2)))),
    "sgd_pgr": lambda: Piecewise(
        (_n_pgr_star,
         sympy.Gt(_n_budget, _REF["pretraining_threshold"](), evaluate=False)),
        (_REF["pgr_stuck"](), True)),
}

_q_next, _m_next = gd_map()
_ROOTS = ('sigma2_s', 'c1', 'c2', 'c3', 'c4', 'b1', 'b2', 'b3', 'b4')
for _name, _expr, _sym, _desc, _declared in [
    ("risk", risk, r"\varphi(m)", "excess risk of the student with isotropic covariates (F5)",
     None),
    ("one_point_convexity", one_point_convexity, r"\mu(m)",
     "one-point strong convexity towards the target (F7)", None),
    ("hessian_radial", hessian_radial, r"\lambda_1(m)",
     "Riemannian Hessian eigenvalue of the risk towards the target direction (F8)", None),
    ("hessian_tangent", hessian_tangent, r"\lambda_2(m)",
     "Riemannian Hessian eigenvalue of the risk on the other tangent directions (F8)", None),
    ("mean_slope2", mean_slope2, r"\mathbb{E} f'(z)^2", "mean squared slope of the target link", None),
    ("spiked_risk", spiked_risk, r"R_{\Sigma}(m, p)",
     "excess risk under spiked covariates I + spike v v^T, by Mehler's formula (F10)", None),
    ("weak_loss", weak_loss, r"\psi(q)", "population loss on the weak labels, without label noise (F11)", None),
    ("weak_slope", weak_slope, r"G(q)", "minus the slope of the weak loss (F11)", None),
    ("weak_risk", weak_risk, r"R_{\mathrm{weak}}", "risk of the weak supervisor psi(rho_w) (F12)",
     None),
    ("saturation_risk", saturation_risk, r"\varphi(\rho_w)",
     "saturation level of population GD on weak labels (F12)", None),
    ("w2s_gain", w2s_gain, r"R_{\mathrm{weak}} - \varphi(\rho_w)",
     "weak-to-strong gain at saturation (F12)", None),
    ("misfit", misfit, r"\|h\|^2", "student-to-weak misfit, the squared norm of the link misspecification (F12)", None),
    ("pgr_saturation", pgr_saturation, r"\mathrm{PGR}_{\infty}",
     "oracle PGR at saturation, the gain over the weak risk (F12)", None),
    ("pgr_stuck", pgr_stuck, r"\mathrm{PGR}_{0}",
     "oracle PGR of a student stuck at m = 0 (F13)", None),
    ("gd_next_q", _q_next, r"q_{t+1}", "exact reduced population GD map, q component (F14)", None),
    ("gd_next_m", _m_next, r"m_{t+1}", "exact reduced population GD map, m component (F14)", None),
    ("gd_invariant", gd_invariant, r"C", "invariant of the reduced GD map (F14)", None),
    ("gd_bound", gd_bound, r"\bar R_t", "Theorem C1: bound on the risk after t steps of GD", None),
    ("gd_bound_adaptive", gd_bound_adaptive, r"\bar R(q_t)",
     "Theorem C1, adaptive form in the current overlap", None),
    ("psc_bound", psc_bound, r"\bar R^{\mathrm{PSC}}_t",
     "Theorem C2: perturbed strong-convexity bound on the risk after t steps of GD", None),
    ("second_moment", second_moment, r"S(q)",
     "second moment of the per-sample gradient scalar (F19)", (*_ROOTS, 'q')),
    ("sgd_fixed_point_function", sgd_fixed_point_function, r"\Psi_\delta(q)",
     "drift of q under online SGD, per unit of delta (F21)", (*_ROOTS, 'q', 'delta')),
    ("sgd_basin_boundary", sgd_basin_boundary, r"q_c(\delta)",
     "basin boundary of online SGD (F21)", None),
    ("sgd_stable_point", sgd_stable_point, r"q^*(\delta)",
     "stable fixed point of online SGD (F21)", None),
    ("sgd_saddle_node", sgd_saddle_node, r"\delta_{\mathrm{sn}}",
     "largest SGD step with a basin boundary (F21)", None),
    ("sgd_saturation_risk", sgd_saturation_risk, r"\varphi(\rho_w q^*)",
     "saturation risk of online SGD (F21)", None),
    ("pretraining_threshold", pretraining_threshold, r"n_u^*/d",
     "Theorem PT(i): pre-training budget above which online SGD reaches its stable point", None),
    ("sgd_pgr", sgd_pgr, r"\mathrm{PGR}(n_u/d)",
     "Theorem PT(i): oracle PGR of online SGD against the pre-training budget (d, then alpha -> oo)", None),
]:
    register(f"single_index.{_name}", _expr, _sym, _desc, SOURCE, declared=_declared,
             presentation=_PRESENTATION[_name])


# --- claims (pretraining.md sec. 4) ----------------------------------------------------------

def _steps(steps) -> Proof:
    return Proof(all(bool(ok) for _, ok in steps), tuple((label, str(ok)) for label, ok in steps))


def _zero(expr) -> bool:
    return sympy.expand(expr) == 0


_s = sympy.Symbol("s", nonnegative=True)  # m = (1 - s)/(1 + s) sweeps (-1, 1] as s sweeps [0, oo)


def _prove_envelope() -> Proof:
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


def _prove_monotone() -> Proof:
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


_COEF = Interval(-2, 2)
_A1 = Interval(0, 2)
_LINK_REGION = {**{str(x): _COEF for x in c}}
_A1_REGION = {**{str(x): _A1 for x in c + b}, "c3": Interval(Rational(1, 10), 2),
              "b3": Interval(Rational(1, 10), 2)}
_STEP = sympy.Le(eta, 1 / weak_slope.subs(q, 1))
_SET_D = {"c3": 1, "b1": Rational(1, 2), "b3": 1}
_SRC = "pretraining.md sec. 4"


_PT_REGION = {**_SET_D, "spike": Interval(Rational(1, 2), 4), "eta1": Interval(Rational(1, 2), 1),
              "rho_w": Interval(Rational(1, 2), 1), "zeta_vw": Interval(0, 1),
              "delta": Interval(Rational(1, 1000), Rational(6, 1000))}


def claims() -> list[Claim]:
    """The mechanism's claims in registration order (the catalogue builds them on first use)."""
    return [
        Claim(
            sympy.Ge(mean_slope2 * 2 * (1 - m), risk, evaluate=False),
            id="single_index.quadratic_envelope",
            statement="For every link and every unit x, R(x) = phi(m) <= E f'(z)^2 ||x - v0||^2 = E f'^2 2(1 - m).",
            source=f"derived here (F6); {_SRC} claim 3",
            region={**_LINK_REGION, "m": _UNIT},
            proof=_prove_envelope,
        ),
        Claim(
            sympy.Eq(risk_slope * (m**2 - 1), one_point_convexity * 2 * (1 - m), evaluate=False),
            id="single_index.one_point_convexity",
            statement="<grad R(x), x - v0> = mu(m) ||x - v0||^2 with mu(m) = (1 + m) sum j c_j^2 m^(j-1).",
            source=f"derived here (F7); {_SRC} claim 3",
            region={**_LINK_REGION, "m": _UNIT},
            proof=_prove_one_point,
        ),
        Claim(
            sympy.Ge(hessian_radial.subs(_pure_cubic), 0, evaluate=False),
            id="single_index.geodesic_cap_pure_cubic",
            statement="For a pure h_3 link the Riemannian Hessian's radial eigenvalue is >= 0 exactly on the cap "
            "m >= sqrt(2/3) = 0.8165 (geodesic convexity), much smaller than the one-point region m > 0.",
            source=f"derived here (F8); {_SRC} claim 3",
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
            source=f"derived here (F12); {_SRC} claim 4",
            region={**{str(x): _COEF for x in c + b},
                                                    "rho_w": Interval.Lopen(0, 1)},
            proof=_prove_gain,
        ),
        Claim(
            sympy.Ge(_q_next, q, evaluate=False),
            id="single_index.gd_overlap_increases",
            statement="Under (A1) and eta <= 1/G(1), one step of the exact reduced GD map never decreases "
            "q = <x, w>.",
            source=f"derived here (F14, F15); {_SRC} claim 5",
            region={**_A1_REGION, "q": Interval(0, 1), "eta": Interval.Lopen(0, 10)},
            assumptions=(_STEP,),
            proof=_prove_monotone,
        ),
        Claim(
            sympy.Eq(gd_invariant.subs({q: _q_next, m: _m_next}, simultaneous=True), gd_invariant, evaluate=False),
            id="single_index.gd_invariant_conserved",
            statement="Under (A1) and eta <= 1/G(1), C = (m - rho_w q)/sqrt(1 - q^2) is conserved by the GD map: "
            "m_t = rho_w cos(theta_t) + C sin(theta_t) (the angle form of F14).",
            source=f"derived here (F14); {_SRC} claim 5",
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
            source=f"derived here (F17); {_SRC} claim 7",
            region={**{str(x): _COEF for x in c + b}, "q": _UNIT, "m": _UNIT,
                    "rho_w": Interval.Lopen(0, 1)},
            proof=_prove_psc,
        ),
        Claim(
            sympy.Eq(sgd_drift()[1].subs(m, rho_w * q), rho_w * sgd_drift()[0], evaluate=False),
            id="single_index.sgd_fixed_points_keep_the_bias",
            statement="On the line m = rho_w q the online-SGD drift of m is rho_w times that of q, so every fixed "
            "point with q* != 0 has m* = rho_w q*: the student inherits the direction bias.",
            source=f"derived here (F16, F20); {_SRC} claim 8",
            region={**{str(x): _COEF for x in c + b}, "q": _UNIT, "rho_w": Interval.Lopen(0, 1),
                    "delta": Interval.Lopen(0, 1), "sigma2_s": Interval(0, 2)},
            proof=_prove_sgd_ratio,
        ),
        Claim(
            sympy.Ge(pretraining_threshold, 1 / spike**2, evaluate=False),
            id="single_index.pretraining_threshold_above_bbp",
            statement="Theorem PT(i): the pre-training budget n_u*/d = N(spike, q_c(delta)/kappa) that online SGD "
            "needs is never below the BBP point 1/spike^2 (it tends to it as delta -> 0).",
            source=f"derived here (Theorem PT); {_SRC} claim 9",
            region=_PT_REGION,
            proof=_prove_threshold,
        ),
        Claim(
            sympy.Ge(1 - sgd_saturation_risk / weak_risk, pgr_stuck, evaluate=False),
            id="single_index.pretraining_pgr_jumps_up",
            statement="Theorem PT(i): crossing the threshold, the oracle PGR of online SGD jumps up from "
            "1 - phi(0)/R_weak to 1 - phi(rho_w q*)/R_weak.",
            source=f"derived here (Theorem PT); {_SRC} claim 9",
            region={**_SET_D, "rho_w": Interval(Rational(1, 10), 1),
                    "delta": Interval(Rational(1, 1000), Rational(2, 100))},
            proof=_prove_jump,
        ),
    ]


def mechanism_claims() -> list[Claim]:
    """The claims of spectral pre-training and of fine-tuning, in registration order."""
    from theory import spectral

    return spectral.claims() + claims()
