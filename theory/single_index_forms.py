r"""Single-index model (arXiv:2605.05710), presentation: the notation of docs/single-index.md and the forms the LaTeX shows.

The docs page's shorthand (``\|f\|^2``, ``h_j``, ``\varphi'(m)``, ``s_x``, ``N_t``, ``\mu_w``,
``s_*``, ...) is declared here with :func:`theory.notation.notation`, and :data:`PRESENTATION` gives the
hand-chosen form of each quantity of :mod:`theory.single_index`. A test checks that every form
equals its definition (``tests/theory/test_presentation.py``).

:mod:`theory.single_index` imports this module to register its quantities with these forms, so
this module does not import it: a form names the model's parameters through
:func:`theory.symbols.symbol` (``_P.q``) and its quantities through :func:`theory.notation.ref`
or :func:`theory.registry.get`, all looked up when the form is built. Two pieces of that
notation are also used by the definitions, which import them from here:
:func:`scaled_coefficient` (``alpha_j(s)``, in the spiked risk) and
:class:`RequiredOverlap` (``s_* = q_c(delta)/kappa``, in the pre-training threshold (docs/single-index.md)).

Examples
--------
>>> from theory.single_index_forms import PRESENTATION
>>> PRESENTATION["misfit"]()
Sum(h_j**2, (j, 1, 4))
>>> from theory.notation import notations
>>> [n.latex_name for n in notations("single_index")][:3]
['\\|f\\|^2', '\\|g\\|^2', 'h_j']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

import sympy
from sympy import Function, Min, Piecewise, factorial, factorial2, sqrt

from theory.notation import minus, notation, over, plus, ref, times
from theory.registry import get
from theory import spectral as _sp
from theory.spectral import eta1, gamma_u, overlap2_above, rho_w, spike
from theory.symbols import by_name, sigma2_s, symbol

__all__ = ["PRESENTATION", "RequiredOverlap", "scaled_coefficient"]

#: Highest Hermite degree of the links, the upper end of the sums (that of
#: :data:`theory.single_index.DEGREE`: the presentation tests fail if the two differ).
_DEGREE = 4
_J = range(1, _DEGREE + 1)


_P = by_name  # parameters of :mod:`theory.single_index`, looked up on use


def _links(name: str) -> tuple:
    """The coefficients ``c1..c4`` (``name="c"``) or ``b1..b4`` (``"b"``) of the links."""
    return tuple(symbol(f"{name}{j}") for j in _J)


def _quantity(name: str) -> sympy.Expr:
    """The defining expression of the quantity ``single_index.<name>``."""
    return get(f"single_index.{name}").expr


def scaled_coefficient(coeffs, j, scale):
    """Orthonormal coefficient ``alpha_j`` of ``z -> F(scale z)`` for ``F = sum coeffs h_k``
    (``coeffs`` = the coefficients of ``h_1, h_2, ...``).

    Examples
    --------
    >>> from sympy import symbols
    >>> from theory.single_index_forms import scaled_coefficient
    >>> c1, c2, c3, s = symbols("c1 c2 c3 s")
    >>> scaled_coefficient((c1, c2, c3), 1, s)
    c1*s + sqrt(6)*c3*s*(s**2 - 1)/2
    """
    total = 0
    for k in range(0, (len(coeffs) - j) // 2 + 1):
        n = j + 2 * k
        if n == 0:
            continue
        total += (coeffs[n - 1] * scale**j * (scale**2 - 1) ** k * sqrt(factorial(n))
                  / (factorial(k) * 2**k * sqrt(factorial(j))))
    return total


class RequiredOverlap(Function):
    r"""``q_c / kappa``: the spectral overlap ``eta2`` a warm start needs; defined when ``q_c < kappa``.

    When ``kappa <= q_c`` no pre-training budget suffices (the pre-training threshold, docs/single-index.md); the evaluator says so.
    It is the shorthand ``s_*`` of docs/single-index.md; :data:`theory.single_index.pretraining_threshold`
    is written with it.
    """

    nargs = 2

    def _latex(self, printer, exp=None):
        s = r"\frac{%s}{%s}" % tuple(printer._print(a) for a in self.args)
        return s if exp is None else r"\left(%s\right)^{%s}" % (s, exp)


# --- the notation of docs/single-index.md -------------------------------------------------------

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
        return symbol(f"c{j}") if 1 <= j <= _DEGREE else sympy.S.Zero


class _b(_Indexed):
    _tex = "b"

    @classmethod
    def _value(cls, j):
        return symbol(f"b{j}") if 1 <= j <= _DEGREE else sympy.S.Zero


class _h(_Indexed):
    _tex = "h"

    @classmethod
    def _value(cls, j):
        return symbol(f"b{j}") - symbol(f"c{j}") if 1 <= j <= _DEGREE else sympy.S.Zero


def _sum(term, lo=1, hi=_DEGREE, index=_j):
    return sympy.Sum(term, (index, lo, hi))


class _Alpha(Function):
    """``alpha_j(s)``, the orthonormal coefficient of ``z -> f(s z)`` (printing; at an
    integer ``j`` it is :func:`scaled_coefficient` of the target link's coefficients)."""

    nargs = 2

    @classmethod
    def eval(cls, j, s):
        if j.is_Integer:
            return scaled_coefficient(_links("c"), int(j), s)
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
    c, b = _links("c"), _links("b")
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
_n_dphi = notation(_S, r"\varphi'(\mathsf{m})",
                   lambda: times(-2, _sum(times(_j, _c(_j) ** 2, _P.m ** plus(_j, -1)))),
                   "slope of the risk phi(m)", real=True,
                   shown=r"- 2 \sum_{j=1}^{4} j c_{j}^{2} \mathsf{m}^{j - 1}")
_n_ddphi = notation(_S, r"\varphi''(\mathsf{m})",
                    lambda: times(-2, _sum(times(_j, _j - 1, _c(_j) ** 2, _P.m ** plus(_j, -2)),
                                           lo=2)),
                    "curvature of the risk phi(m)", real=True,
                    shown=r"- 2 \sum_{j=2}^{4} j \left(j - 1\right) c_{j}^{2} \mathsf{m}^{j - 2}")
_n_sx = notation(_S, "s_x", lambda: sqrt(1 + spike * _P.p**2),
                 "scale of <a, x> under spiked covariates",
                 positive=True, shown=r"\sqrt{1 + \ell p^{2}}")
_n_s0 = notation(_S, "s_0", lambda: sqrt(1 + spike * eta1**2), "scale of <a, v0> under spiked covariates",
                 positive=True, shown=r"\sqrt{1 + \ell \eta_1^{2}}")
_n_r = notation(_S, r"\varrho", lambda: (_P.m + spike * _P.p * eta1) / (sqrt(1 + spike * _P.p**2)
                                                           * sqrt(1 + spike * eta1**2)),
                "correlation of <a, x> and <a, v0> under spiked covariates", real=True,
                shown=r"\frac{\mathsf{m} + \ell p \eta_1}{s_x s_0}")
notation(_S, r"\alpha_j(s)", _Alpha(_j, sympy.Symbol("s", positive=True)),
         "orthonormal Hermite coefficients of z -> f(s z)",
         shown=r"\sum_{k \geq 0} c_{j+2k}\, s^j (s^2 - 1)^k \frac{\sqrt{(j+2k)!}}{k!\, 2^k \sqrt{j!}}")
_n_sigma_xi2 = notation(_S, r"\sigma_\xi^2", sigma2_s,
                       "variance of the weak labels' extra noise (parameter sigma2_s)",
                       nonnegative=True, shown=r"\sigma_s^2")
# the GD state (F14-F17): q, m are the current overlaps q_t, m_t, or the initial q_0, m_0
_n_qt = notation(_S, "q_t", lambda: _P.q, "overlap <x_t, w> with the weak direction (parameter q)",
                 real=True, shown=r"\langle x_t, w\rangle")
_n_mt = notation(_S, r"\mathsf{m}_t", lambda: _P.m, "overlap <x_t, v0> with the target (parameter m)",
                 real=True, shown=r"\langle x_t, v_0\rangle")
_n_Gt = notation(_S, "G(q_t)", lambda: _quantity("weak_slope"), "the weak loss's slope G at q_t",
                 real=True, shown=r"G(q)\big|_{q = q_t}")
_n_N = notation(_S, "N_t",
                lambda: sqrt(plus(1, times(_P.eta**2, _n_Gt**2, plus(1, minus(_n_qt**2))))),
                "normalisation of the projected GD step", positive=True,
                shown=r"\sqrt{1 + \eta^{2} G(q_t)^{2} \left(1 - q_t^{2}\right)}")
_n_q0 = notation(_S, "q_0", lambda: _P.q, "initial overlap <x_0, w> (parameter q)", real=True,
                 shown=r"\langle x_0, w\rangle")
_n_m0 = notation(_S, r"\mathsf{m}_0", lambda: _P.m, "initial overlap <x_0, v0> (parameter m)", real=True,
                 shown=r"\langle x_0, v_0\rangle")
_n_G0 = notation(_S, "G(q_0)", lambda: _quantity("weak_slope"), "the weak loss's slope G at q_0",
                 real=True, shown=r"G(q)\big|_{q = q_0}")
_n_G1 = notation(_S, "G(1)", lambda: _quantity("weak_slope").subs(_P.q, 1),
                 "the weak loss's slope G at q = 1", real=True, shown=r"G(q)\big|_{q = 1}")
_n_beta = notation(_S, r"\beta", lambda: sqrt(times(2, plus(1, minus(rho_w)))),
                   "direction bias ||w - v0|| of the weak supervisor", nonnegative=True,
                   shown=r"\|w - v_0\| = \sqrt{2 \left(1 - \rho_w\right)}")
_n_muw = notation(_S, r"\mu_w", over(times(plus(1, _n_q0), _n_G0), 2),
                  "contraction rate of GD towards w (the generalisation bound of arXiv:2605.05710)", real=True,
                  shown=r"\frac{\left(1 + q_0\right) G(q_0)}{2}")
_n_mlo = notation(_S, r"\mathsf{m}_{\mathrm{lo}}", lambda: Min(_n_m0, rho_w),
                  "lower end of m on the invariant region (the perturbed strong-convexity bound of arXiv:2605.05710)", real=True)
_n_mu = notation(_S, r"\mu_{\mathrm{eff}}", over(times(_n_G0, plus(rho_w, _n_mlo)), 2),
                 "strong-convexity constant on the effective region", real=True,
                 shown=r"\frac{G(q_0) \left(\rho_w + \mathsf{m}_{\mathrm{lo}}\right)}{2}")
_n_eps = notation(_S, r"\varepsilon", times(_n_G1, _n_beta),
                  "perturbation proportional to the weak bias", real=True)
_n_e0 = notation(_S, "e_0^2", times(2, plus(1, minus(_n_m0))),
                 "initial squared distance ||x_0 - v0||^2", nonnegative=True,
                 shown=r"\|x_0 - v_0\|^{2} = 2 \left(1 - \mathsf{m}_0\right)")
notation(_S, "[F]_k", _FP2(_k), "orthonormal Hermite coefficient E[F(u) h_k(u)] of a polynomial "
         "F of the links", shown=r"\mathbb{E}\left[F(u)\, h_k(u)\right]")
# Theorem PT
_n_sstar = notation(_S, "s_*", lambda: RequiredOverlap(_quantity("sgd_basin_boundary"), _sp.kappa),
                    "spectral overlap the warm start needs (the pre-training threshold, docs/single-index.md)", nonnegative=True,
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


def _pgr_condition():
    """The condition of :data:`theory.single_index.sgd_pgr` as the paper reads it,
    ``kappa > 0`` and ``kappa^2 eta_2^2 > q_c(delta)^2`` (the spectral start ``q_0 = kappa eta_2``
    beyond the basin boundary), with ``eta_2^2`` the BBP formula, negative below the BBP point."""
    q0_squared = _stated(r"\kappa^{2} \eta_2^{2}", _sp.kappa**2 * overlap2_above,
                         "squared overlap q_0^2 = kappa^2 eta_2^2 of the spectral start with the weak "
                         "direction (the BBP formula for eta_2^2, negative below the BBP point)")
    return sympy.And(ref("spectral.kappa") > 0,
                     q0_squared > _quantity("sgd_basin_boundary") ** 2)


def _risk_form(x):
    return times(2, _sum(times(_c(_j) ** 2, plus(1, minus(x ** _j)))))


def _weak_form(x):
    return plus(_n_g2, _n_f2, minus(times(2, _sum(times(_b(_j), _c(_j), x ** _j)))))


def _step_form(num):
    return over(num, _n_N)


def _second_moment_form():
    # S(q) = 4 E[((g(z_w) - f(u))^2 + sigma_xi^2) f'(u)^2] by Mehler's formula, term by term
    return plus(
        times(4, _sum(times(_FP2(_k), plus(times(_G2(_k), _P.q ** _k), _F2(_k))), lo=0, hi=6,
                      index=_k)),
        minus(times(8, _sum(times(_b(_k), _FFP2(_k), _P.q ** _k), lo=1, hi=_DEGREE, index=_k))),
        times(4, _n_sigma_xi2, _REF["mean_slope2"]()))


#: The presentation form of each quantity of :mod:`theory.single_index`, by name without the
#: ``single_index.`` prefix.
PRESENTATION: dict[str, Callable[[], sympy.Basic]] = {
    "risk": lambda: _risk_form(_P.m),
    "one_point_convexity": lambda: times(plus(1, _P.m),
                                         _sum(times(_j, _c(_j) ** 2, _P.m ** plus(_j, -1)))),
    "hessian_radial": lambda: plus(times(_n_ddphi, plus(1, minus(_P.m**2))),
                                   minus(times(_P.m, _n_dphi))),
    "hessian_tangent": lambda: minus(times(_P.m, _n_dphi)),
    "mean_slope2": lambda: _sum(times(_j, _c(_j) ** 2)),
    "spiked_risk": lambda: _sum(plus(_Alpha(_j0, _n_sx) ** 2, _Alpha(_j0, _n_s0) ** 2,
                                     minus(times(2, _n_r ** _j0, _Alpha(_j0, _n_sx),
                                                 _Alpha(_j0, _n_s0)))), lo=0, index=_j0),
    "weak_loss": lambda: _weak_form(_P.q),
    "weak_slope": lambda: times(2, _sum(times(_j, _b(_j), _c(_j), _P.q ** plus(_j, -1)))),
    "weak_risk": lambda: _weak_form(rho_w),
    "saturation_risk": lambda: _risk_form(rho_w),
    "w2s_gain": lambda: plus(_REF["misfit"](),
                             times(2, _sum(times(_c(_j), _h(_j), plus(1, minus(rho_w ** _j)))))),
    "misfit": lambda: _sum(_h(_j) ** 2),
    "pgr_saturation": lambda: over(_REF["w2s_gain"](), _REF["weak_risk"]()),
    "pgr_stuck": lambda: plus(1, minus(over(times(2, _n_f2), _REF["weak_risk"]()))),
    "gd_next_q": lambda: _step_form(plus(_n_qt, times(_P.eta, _n_Gt, plus(1, minus(_n_qt**2))))),
    "gd_next_m": lambda: _step_form(plus(_n_mt, times(_P.eta, _n_Gt,
                                                      plus(rho_w, minus(times(_n_qt, _n_mt)))))),
    "gd_invariant": lambda: over(plus(_n_mt, minus(times(rho_w, _n_qt))),
                                 sqrt(plus(1, minus(_n_qt**2)), evaluate=False)),
    "gd_bound": lambda: times(_REF["mean_slope2"](), plus(
        times(plus(1, minus(times(_P.eta, _n_muw))) ** _stated("t/2", _P.t / 2, "half the steps"),
              sqrt(times(2, plus(1, minus(_n_q0))), evaluate=False)), _n_beta) ** 2),
    "gd_bound_adaptive": lambda: times(_REF["mean_slope2"](), plus(
        sqrt(times(2, plus(1, minus(_n_qt))), evaluate=False), _n_beta) ** 2),
    "psc_bound": lambda: times(_REF["mean_slope2"](), plus(
        times(plus(1, minus(over(times(_P.eta, _n_mu), 2))) ** _P.t, _n_e0),
        over(times(4, _n_eps**2, plus(1, times(_P.eta, _n_mu))), _n_mu**2))),
    "second_moment": _second_moment_form,
    "sgd_fixed_point_function": lambda: plus(
        times(_REF["weak_slope"](), plus(1, minus(_P.q**2))),
        minus(times(over(_P.delta, 2), _P.q, _REF["second_moment"]()))),
    "sgd_basin_boundary": lambda: _stated(
        r"\min\left\{q \in (0, 1) : \Psi_\delta(q) = 0\right\}", _quantity("sgd_basin_boundary"),
        "q_c(delta) is the smallest zero of Psi_delta in (0, 1)"),
    "sgd_stable_point": lambda: _stated(
        r"\max\left\{q \in (0, 1) : \Psi_\delta(q) = 0\right\}", _quantity("sgd_stable_point"),
        "q*(delta) is the largest zero of Psi_delta in (0, 1)"),
    "sgd_saddle_node": lambda: _stated(
        r"\max_{0 < q < 1} \frac{2\, G(q) \left(1 - q^{2}\right)}{q\, S(q)}",
        _quantity("sgd_saddle_node"),
        "delta_sn is the largest delta at which Psi_delta has a zero in (0, 1)"),
    "sgd_saturation_risk": lambda: _risk_form(times(rho_w, _quantity("sgd_stable_point"))),
    "pretraining_threshold": lambda: over(plus(1, times(spike, _n_sstar**2)),
                                          times(spike**2, plus(1, minus(_n_sstar**2)))),
    # the definition's condition (the spectral start beyond the basin boundary, q0 > q_c); where
    # kappa > q_c it is n_u/d > the pre-training threshold (docs/single-index.md)
    "sgd_pgr": lambda: Piecewise((_n_pgr_star, _pgr_condition()), (_REF["pgr_stuck"](), True)),
}
