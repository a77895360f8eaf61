r"""Mechanism 3, presentation: the shorthand of docs/mechanism-3.md and the form the LaTeX shows of each quantity.

The shorthand of docs/mechanism-3.md is declared here with
:func:`theory.notation.notation` (``S_y``, ``H``, ``\rho_t``, ``q_s``, ``\nu_s``, ...), and
each quantity of :mod:`theory.multi_index` gets its hand-chosen form: :data:`PRESENTATION` by
quantity name, :func:`student_forms` for the student's quantities. A test checks that
every form equals its definition (``tests/theory/test_presentation.py``).

:mod:`theory.multi_index` imports this module to register its quantities with these forms, so
this module does not import it: a form names the mechanism's parameters through
:func:`theory.symbols.symbol` (``_P.theta``) and its quantities through
:func:`theory.notation.ref` or :func:`theory.registry.get`, all looked up when the form is built.

Examples
--------
>>> from theory.multi_index_forms import PRESENTATION
>>> PRESENTATION["teacher_overlap"]()
ce1**2/(S_y*gamma_t + ce1**2)
>>> from theory.notation import notations
>>> [n.latex_name for n in notations("multi_index")][:4]
['S_y', 'H', '\\rho_t', '\\rho_s']
"""

from __future__ import annotations

from typing import Callable

import sympy
from sympy import Piecewise, Rational, pi, sqrt

from theory.activations import Psi, gaussian_expectation, kappa, tau
from theory.notation import minus, notation, over, plus, ref, times
from theory.registry import get
from theory.symbols import by_name, gamma_s, gamma_t, sigma2, symbol

__all__ = ["PRESENTATION", "student_forms"]


_P = by_name  # parameters of :mod:`theory.multi_index`, looked up on use

#: Degree of a Hermite coefficient in the sums of the presentation forms.
_k = sympy.Symbol("k", integer=True, positive=True)


class _EasyCoefficient(sympy.Function):
    """``c_{e,k}`` at a symbolic degree ``k`` (sums in presentation forms); the parameter ``ce<k>``
    at an integer ``k``."""

    nargs = 1
    _link, _degrees = "e", range(1, 5)

    @classmethod
    def eval(cls, k):
        if k.is_Integer:
            return symbol(f"c{cls._link}{k}") if int(k) in cls._degrees else sympy.S.Zero
        return None

    def _latex(self, printer, exp=None):
        tex = r"c_{%s,%s}" % (self._link, printer._print(self.args[0]))
        return tex if exp is None else r"%s^{%s}" % (tex, exp)

    def _sympystr(self, printer):
        return f"c_{self._link}[{printer._print(self.args[0])}]"


class _HardCoefficient(_EasyCoefficient):
    """``c_{h,k}`` at a symbolic degree ``k``; the parameter ``ch<k>`` at an integer ``k``."""

    _link, _degrees = "h", range(2, 5)


class _FiniteSum(sympy.Sum):
    """A ``Sum`` over a few integers whose :meth:`doit` writes out its terms (SymPy's own would
    try partial fractions on a large summand)."""

    def doit(self, **hints):
        ((k, low, high),) = self.limits
        body = self.function.doit(**hints) if hints.get("deep", True) else self.function
        return sympy.Add(*(body.xreplace({k: j}) for j in range(int(low), int(high) + 1)))


def _sum(term, low=1):
    """``sum_{k=low}^{4} term``: the registered Hermite degrees."""
    return _FiniteSum(term, (_k, low, 4))


class _BGN(sympy.Function):
    """``BGN(t; psi)`` kept as a name for printing; :meth:`doit` gives the quantity
    ``multi_index.bgn`` (:func:`theory.multi_index.bgn`) at ``(t, psi)``."""

    nargs = 2

    def doit(self, **hints):
        args = [a.doit(**hints) for a in self.args] if hints.get("deep", True) else self.args
        return get("multi_index.bgn").expr.xreplace(dict(zip((_P.theta, _P.psi), args)))

    def _latex(self, printer, exp=None):
        tex = r"\mathrm{BGN}(%s;%s)" % tuple(printer._print(a) for a in self.args)
        return tex if exp is None else r"%s^{%s}" % (tex, exp)

    def _sympystr(self, printer):
        return "BGN(%s; %s)" % tuple(printer._print(a) for a in self.args)


class _GaussianMean(sympy.Function):
    r"""``E_a[f(a)]`` over ``a ~ N(0, 1)`` kept as a name for printing (``\mathbb{E}_{a}[f]``);
    :meth:`doit` gives the unevaluated :func:`~theory.activations.gaussian_expectation`."""

    nargs = 2

    def doit(self, **hints):
        body, variable = self.args
        body = body.doit(**hints) if hints.get("deep", True) else body
        g = sympy.Dummy(variable.name)  # a plain variable, products distributed: evalf is faster
        return gaussian_expectation(sympy.expand_mul(body.xreplace({variable: g})), g)

    def _latex(self, printer, exp=None):
        tex = r"\mathbb{E}_{%s}\left[%s\right]" % (printer._print(self.args[1]),
                                                   printer._print(self.args[0]))
        return tex if exp is None else r"%s^{%s}" % (tex, exp)

    def _sympystr(self, printer):
        return "E_%s[%s]" % (printer._print(self.args[1]), printer._print(self.args[0]))


class _LinearLink(sympy.Subs):
    """An expression at a linear easy link, ``ce2 = ce3 = ce4 = 0``, printed as ``.|_{...}``."""

    def __new__(cls, expr):
        return super().__new__(cls, expr, (_P.ce2, _P.ce3, _P.ce4), (0, 0, 0))

    @property
    def func(self):
        return lambda expr, *_: _LinearLink(expr)

    def doit(self, **hints):
        # substitute without evaluating again (that would integrate a Gaussian mean)
        return self.expr.doit(**hints).xreplace(dict(zip(self.variables, self.point)))

    def _latex(self, printer, exp=None):
        return r"\left.%s\right|_{c_{e,2} = c_{e,3} = c_{e,4} = 0}" % printer._print(self.expr)

    def _sympystr(self, printer):
        return "(%s)|_(ce2 = ce3 = ce4 = 0)" % printer._print(self.expr)


def _root(x):
    """``sqrt(x)`` kept as written (SymPy would split ``sqrt(a/b)`` into ``sqrt(a)/sqrt(b)``)."""
    return sympy.Pow(x, Rational(1, 2), evaluate=False)


def _tex(build):
    """LaTeX of ``build()`` as written (for the list of notation), on use."""
    def shown():
        from theory.printer import to_latex

        return to_latex(build(), "none")
    return shown


def _shorthand(latex, build, description, prefix="", **assumptions):
    return notation("multi_index", latex, build, description,
                    shown=lambda: prefix + _tex(build)(), **assumptions)


# --- the shorthand of docs/mechanism-3.md --------------------------------------------------------

_c_e, _c_h = _EasyCoefficient, _HardCoefficient
_S_y = _shorthand("S_y", lambda: plus(_sum(_c_e(_k)**2), _sum(_c_h(_k)**2, 2), sigma2),
                  "label energy ||g_e||^2 + ||g_h||^2 + sigma^2", positive=True)
_H = _shorthand("H", lambda: _sum(times(_c_h(_k)**2, _P.zeta_h**(2 * _k)), 2),
                "probe gain of the pre-trained direction, sum_k ch_k^2 zeta_h^(2k)",
                nonnegative=True)
_rho_t = notation("multi_index", r"\rho_t", lambda: sqrt(ref("multi_index.teacher_overlap")),
                  "the teacher's overlap <v_t, u_e> (positive root of rho_t^2)",
                  shown=r"\langle v_t, u_e\rangle = \sqrt{\rho_t^2}", positive=True)
_rho_s = notation("multi_index", r"\rho_s", lambda: sqrt(ref("multi_index.student_overlap")),
                  "the student's overlap <v_s, u_e> with a P-ideal teacher",
                  shown=r"\langle v_s, u_e\rangle = \sqrt{\rho_s^2}", positive=True)
_kappa_1 = notation("multi_index", r"\nu(1)", kappa(1), "E[sigma'(g)] (erf activation)",
                    positive=True)
_tau_1 = notation("multi_index", r"\tau(1)", tau(1), "E[sigma'(g)^2] (erf activation)",
                  positive=True)
_A_t = _shorthand("A_t", lambda: times(_kappa_1**2, _P.ce1**2),
                  "growth rate of the teacher's easy component", positive=True)
_D_t = _shorthand("D_t",
                  lambda: plus(times(_kappa_1**2, _P.ce1**2), times(gamma_t, _S_y, _tau_1)),
                  "growth rate of the teacher's neuron norms", positive=True)
_q_s = _shorthand("q_s", lambda: plus(1, _P.theta**2), "squared norm of a pre-trained neuron",
                  positive=True)
_kappa_s = _shorthand(r"\nu_s", lambda: _root(over(2, times(pi, plus(1, _q_s)))),
                      "nu(q_s) = E[sigma'(sqrt(q_s) g)]", prefix=r"\nu(q_s) = ",
                      positive=True)
_tau_s = _shorthand(r"\tau_s", lambda: over(2, times(pi, sqrt(plus(1, times(2, _q_s))))),
                    "tau(q_s) = E[sigma'(sqrt(q_s) g)^2]", prefix=r"\tau(q_s) = ", positive=True)
_chi_s = _shorthand(r"\chi_s", lambda: ref("multi_index.chi"),
                    "noise inflation chi(theta) of the student's spike", positive=True)
_theta_e = _shorthand(
    r"\theta_e", lambda: times(_P.eta_t, _kappa_1, sqrt(plus(_P.ce1**2, times(gamma_t, _S_y)))),
    "strength of the teacher's spike in regime A (eta_t = eta)", positive=True)
_theta_es = _shorthand(
    r"\theta_{es}", lambda: times(_P.eta_s, _kappa_1, sqrt(plus(
        times(_P.ce1**2, _rho_t**2), times(gamma_s, ref("multi_index.teacher_summary_Q"))))),
    "strength of the student's easy spike in regime A (P-ideal teacher, eta_s = eta)",
    positive=True)


def _phi_form():
    # the feature alignment of arXiv:2505.18346, mechanism 3, c'_1 = ce1 rho_t:
    # phi = eta^2 a^2 kappa_s c'_1^2 sqrt(2/pi) (2 + theta^2 + eta^2 a^2 D_s)^(-3/2)
    step = times(_P.eta_s**2, _P.a_tilde**2)
    return times(_root(over(2, pi)), over(times(_kappa_s, _P.ce1**2, _rho_t**2, step), sympy.Pow(
        plus(2, _P.theta**2, times(step, ref("multi_index.student_norm_rate"))), Rational(3, 2),
        evaluate=False)))


_phi = _shorthand(r"\omega(\tilde a)", _phi_form,
                  "shrinkage of a neuron's hard component by step 2 (readout a_tilde)",
                  positive=True)


# --- the forms of the quantities -----------------------------------------------------------------

def student_forms(summary: bool) -> dict[str, Callable[[], sympy.Basic]]:
    """Presentation forms of the student's quantities, keyed like :func:`theory.multi_index.student`: in
    ``B_e, B_2, Q`` (``summary``) or at the P-ideal teacher, where ``B_e = ce1 rho_t^2``,
    ``B_2 = ce1^2 rho_t^2`` and ``Q`` is the P-ideal teacher's.

    Examples
    --------
    >>> from theory.multi_index_forms import student_forms
    >>> student_forms(True)["alignment_hard"]()
    (theta**2*zeta_h**2)/(q_s + D_s*eta_s**2)
    """
    suffix = "_given_summary" if summary else ""

    def summary_():
        if summary:
            return _P.B_e**2, _P.B_2, _P.Q
        return (times(_P.ce1**2, _rho_t**4), times(_P.ce1**2, _rho_t**2),
                ref("multi_index.teacher_summary_Q"))

    def rates():
        D, K = (ref(f"multi_index.student_{n}_rate{suffix}") for n in ("norm", "easy"))
        return D, K, plus(_q_s, times(_P.eta_s**2, D)), Psi(over(times(_P.eta_s**2, D), _q_s))

    def overlap():
        Be2, B2, Qt = summary_()
        return over(Be2, plus(B2, times(gamma_s, _chi_s, Qt)))

    def norm_rate():
        _, B2, Qt = summary_()
        return plus(times(_kappa_s**2, B2), times(gamma_s, _tau_s, Qt))

    def alignment_easy():
        _, K, den, _ = rates()
        return over(times(_P.eta_s**2, K), den)

    def cos2_easy():
        D, K, _, psi_c = rates()
        return times(over(K, D), psi_c)

    def hard():
        return times(_P.theta**2, _P.zeta_h**2)

    return {
        "overlap": overlap, "D": norm_rate,
        "K": lambda: times(_kappa_s**2, summary_()[0]),
        "alignment_hard": lambda: over(hard(), rates()[2]),
        "alignment_easy": alignment_easy,
        "neuron_cos2_hard": lambda: times(over(hard(), _q_s), plus(1, minus(rates()[3]))),
        "neuron_cos2_easy": cos2_easy,
        "subspace_hard": lambda: _P.zeta_h**2,
        "subspace_easy": lambda: ref(f"multi_index.student_overlap{suffix}"),
    }


def _easy_sum(rho):
    return _sum(times(_c_e(_k)**2, rho**(2 * _k)))


def _w2s_gain():
    return plus(_H, minus(_sum(times(_c_e(_k)**2, plus(_rho_t**(2 * _k),
                                                         minus(_rho_s**(2 * _k)))))))


#: The presentation form of each quantity of :mod:`theory.multi_index` but the student's
#: (:func:`student_forms`), by name without the ``multi_index.`` prefix.
PRESENTATION: dict[str, Callable[[], sympy.Basic]] = {
    "teacher_overlap": lambda: over(_P.ce1**2, plus(_P.ce1**2, times(gamma_t, _S_y))),
    "teacher_alignment": lambda: over(times(_P.eta_t**2, _A_t),
                                      plus(1, times(_P.eta_t**2, _D_t))),
    "teacher_neuron_cos2": lambda: times(over(_A_t, _D_t), Psi(times(_P.eta_t**2, _D_t))),
    "teacher_summary_B_e": lambda: times(_P.ce1, _rho_t**2),
    "teacher_summary_B_2": lambda: times(_P.ce1**2, _rho_t**2),
    "teacher_summary_Q": lambda: _easy_sum(_rho_t),
    "bgn": lambda: Piecewise(
        (plus(1, minus(over(plus(_P.psi, _P.theta**2),
                            times(_P.theta**2, plus(1, _P.theta**2))))),
         sympy.StrictGreaterThan(_P.theta**4, _P.psi, evaluate=False)), (0, True),
        evaluate=False),
    "teacher_overlap_regime_a": lambda: times(_BGN(_theta_e, _P.psi), _rho_t**2),
    "chi": lambda: over(plus(2, _P.theta**2), times(2, sqrt(plus(1, _P.theta**2)))),
    "student_subspace_easy_regime_a": lambda: times(_BGN(_theta_es, _P.psi), over(
        times(_P.ce1**2, _rho_t**4),
        plus(times(_P.ce1**2, _rho_t**2), times(gamma_s, ref("multi_index.teacher_summary_Q"))))),
    "student_subspace_hard_regime_a": lambda: times(_BGN(_P.theta, _P.psi), _P.zeta_h**2),
    "feature_risk": lambda: plus(
        _S_y, minus(_sum(times(_c_e(_k)**2, _P.pi_e**_k))),
        minus(_sum(times(_c_h(_k)**2, _P.pi_h**_k), 2)),
        times(-2, _sum(times(_c_e(_k), _c_h(_k), _P.pi_eh**_k), 2))),
    "teacher_risk": lambda: plus(_S_y, minus(_easy_sum(_rho_t))),
    "student_probe_risk": lambda: plus(_S_y, minus(_easy_sum(_rho_s)), minus(_H)),
    "student_fit_risk": lambda: plus(_S_y, minus(_easy_sum(_rho_s))),
    "w2s_gain": _w2s_gain,
    "critical_gamma_s": lambda: _LinearLink(over(_H, times(_chi_s, plus(
        times(_P.ce1**2, _rho_t**2), minus(_H))))),
    "optimal_step": lambda: _root(over(_q_s, ref("multi_index.student_norm_rate"))),
    "optimal_step_product": lambda: over(
        times(_P.theta**2, _P.zeta_h**2, ref("multi_index.student_easy_rate")),
        times(4, _q_s, ref("multi_index.student_norm_rate"))),
    "balanced_step": lambda: over(times(_P.theta, _P.zeta_h),
                                  sqrt(ref("multi_index.student_easy_rate"))),
    "hard_component_step2": lambda: _LinearLink(times(_P.theta**2, _GaussianMean(
        plus(1, minus(_phi))**2, _P.a_tilde))),
}
