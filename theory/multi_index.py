r"""Mechanism 3: one gradient step; easy features from the teacher, hard ones kept from pre-training.

The model of ``nonlinear.md`` (arXiv:2505.18346, mechanism 3, as fixed by that page): labels
``y = g_e(<u_e,x>) + g_h(<u_h,x>) + eps`` with an easy link of information exponent 1
(orthonormal Hermite coefficients ``ce1 != 0, ce2, ce3, ce4``) and a hard link of information exponent
>= 2 (``ch2, ch3, ch4``); two-layer networks ``f = (1/sqrt N) sum_j a_j sigma(<w_j,x>)`` with a fixed
readout and one giant gradient step ``Delta w_j = eta ã_j (1/n) sum_i r_i sigma'(<w_j,x_i>) x_i``.

* **Teacher** (T1-T5): one step on ``n_t = d/gamma_t`` true labels learns only ``u_e``:
  ``rho_t^2 = ce1^2/(ce1^2 + gamma_t Sy)``; its P-ideal labelling function has summary
  ``(B_e, B_2, Q) = (ce1 rho_t^2, ce1^2 rho_t^2, sum_k ce_k^2 rho_t^{2k})``.
* **Student** (S1-S5): pre-trained first layer ``Z' + theta b p^T`` with ``<p, u_h> = zeta_h``, one
  step on ``n_s = d/gamma_s`` teacher labels: ``rho_s^2 = B_e^2/(B_2 + gamma_s chi_s Q)`` and the
  per-neuron alignments ``A_h = theta^2 zeta_h^2/den``, ``A_e = eta_s^2 K_s/den``,
  ``den = 1 + theta^2 + eta_s^2 D_s``.
* **Forgetting** (F1, F2): a larger step dilutes the hard direction; a second step shrinks it.
* **Risks** (R1-R3, W1-W2): the student's features beat the teacher's iff
  ``Delta = H - sum_k ce_k^2 (rho_t^{2k} - rho_s^{2k}) > 0``.

Every student formula is also registered ``*_given_summary``, in the teacher summary ``B_e, B_2, Q``,
for a user's own teacher. The builders take ``activation=`` (``"erf"``: closed forms; ``"tanh"``,
``"relu"`` or a ``sympy.Lambda``: Gaussian integrals evaluated by mpmath quadrature).

Examples
--------
>>> from theory import quantity
>>> from numerics import evaluate
>>> evaluate("multi_index.teacher_overlap", ce1=1, ch2=1, sigma2="1/4", gamma_t="1/2", dps=15)
mpf('0.470588235294118')
>>> evaluate("multi_index.student_overlap", ce1=1, ch2=1, sigma2="1/4", gamma_t="1/2",
...          gamma_s="1/2", theta=1, dps=15)
mpf('0.30750766755033987')
"""

from __future__ import annotations

from functools import lru_cache

import sympy
from sympy import Interval, Piecewise, Rational, oo, pi, sqrt

from theory import hermite
from theory.activations import Psi, chi, gaussian_expectation, kappa, tau
from theory.derivation import Derivation
from theory.registry import register
from theory.symbols import gamma_s, gamma_t, parameter, sigma2

__all__ = ["ce", "ch", "label_energy", "teacher_overlap", "teacher", "teacher_summary",
           "student", "bgn", "teacher_overlap_regime_a", "student_regime_a", "risks",
           "feature_risk", "critical_gamma_s", "state_evolution_step", "hard_component_step2",
           "critical_ratio_derivation", "optimal_step_derivation", "step2_bound_derivation",
           "derivations"]

SOURCE = "nonlinear.md (arXiv:2505.18346, mechanism 3)"

_REAL = Interval.open(-oo, oo)
_NONZERO = sympy.Union(Interval.open(-oo, 0), Interval.open(0, oo))
_POS = Interval.open(0, oo)

ce1 = parameter("ce1", r"c_{e,1}", "c_e1", _NONZERO,
                "first Hermite coefficient of the easy link (information exponent 1: non-zero)",
                real=True, nonzero=True)
ce2, ce3, ce4 = (parameter(f"ce{k}", rf"c_{{e,{k}}}", f"c_e{k}", _REAL,
                           f"Hermite coefficient h_{k} of the easy link", default=0, real=True)
                 for k in (2, 3, 4))
ch2, ch3, ch4 = (parameter(f"ch{k}", rf"c_{{h,{k}}}", f"c_h{k}", _REAL,
                           f"Hermite coefficient h_{k} of the hard link", default=0, real=True)
                 for k in (2, 3, 4))
eta_t = parameter("eta_t", r"\tilde\eta_t", "eta_t", _POS,
                  "teacher step size (giant step eta/sqrt N; regime-A quantities: eta itself)",
                  positive=True)
eta_s = parameter("eta_s", r"\tilde\eta_s", "eta_s", _POS,
                  "student step size (giant step eta/sqrt N; regime-A quantities: eta itself)",
                  positive=True)
theta = parameter("theta", r"\theta", "theta", Interval(0, oo),
                  "strength of the pre-trained spike (per neuron; regime A: its operator norm)",
                  nonnegative=True)
zeta_h = parameter("zeta_h", r"\zeta_h", "zeta_h", Interval(0, 1),
                   "pre-training quality <p, u_h>", nonnegative=True)
psi = parameter("psi", r"\psi", "psi", _POS, "width ratio N/d (regime A)", positive=True)
B_e = parameter("B_e", r"B_e", "B_e", _REAL, "teacher summary <E[f_t(x) x], u_e>", real=True)
B_2 = parameter("B_2", r"B_2", "B_2", Interval(0, oo), "teacher summary ||E[f_t(x) x]||^2",
                nonnegative=True)
Q = parameter("Q", r"Q", "Q", _POS, "teacher summary E[f_t(x)^2]", positive=True)
pi_e = parameter("pi_e", r"\pi_e", "pi_e", Interval(0, 1), "||P_S u_e||^2 of a subspace S",
                 nonnegative=True)
pi_h = parameter("pi_h", r"\pi_h", "pi_h", Interval(0, 1), "||P_S u_h||^2 of a subspace S",
                 nonnegative=True)
pi_eh = parameter("pi_eh", r"\pi_{eh}", "pi_eh", Interval(-1, 1),
                  "<P_S u_e, P_S u_h> of a subspace S", real=True)

#: Hermite coefficients ``c_e[k]``, ``c_h[k]`` (index = degree).
ce = {1: ce1, 2: ce2, 3: ce3, 4: ce4}
ch = {2: ch2, 3: ch3, 4: ch4}
#: ``Sy = ||g_e||^2 + ||g_h||^2 + s2``.
label_energy = sum(c**2 for c in ce.values()) + sum(c**2 for c in ch.values()) + sigma2
#: T1: ``rho_t^2 = ce1^2/(ce1^2 + gamma_t Sy)``.
teacher_overlap = ce1**2 / (ce1**2 + gamma_t * label_energy)
#: ``H = sum_k ch_k^2 zeta_h^{2k}``: the probe gain of the pre-trained direction.
hard_gain = sum(c**2 * zeta_h ** (2 * k) for k, c in ch.items())


def _easy_energy(rho2):
    return sum(c**2 * rho2**k for k, c in ce.items())


def teacher(activation="erf") -> dict:
    """T1-T3: ``{"overlap", "alignment", "neuron_cos2", "A", "D"}`` of the teacher after one step.

    Examples
    --------
    >>> from theory.multi_index import teacher
    >>> sorted(teacher())
    ['A', 'D', 'alignment', 'neuron_cos2', 'overlap']
    """
    k1, t1 = kappa(1, activation), tau(1, activation)
    A = k1**2 * ce1**2
    D = k1**2 * ce1**2 + gamma_t * label_energy * t1
    return {"overlap": teacher_overlap, "A": A, "D": D,
            "alignment": eta_t**2 * A / (1 + eta_t**2 * D),
            "neuron_cos2": A / D * Psi(eta_t**2 * D)}


def teacher_summary(rho2=teacher_overlap) -> dict:
    """T5: the P-ideal teacher's ``(B_e, B_2, Q)`` at overlap ``rho2``.

    Examples
    --------
    >>> from sympy import Symbol
    >>> from theory.multi_index import teacher_summary
    >>> teacher_summary(Symbol("r"))["B_2"]
    ce1**2*r
    """
    return {"B_e": ce1 * rho2, "B_2": ce1**2 * rho2, "Q": _easy_energy(rho2)}


_P_IDEAL = {B_e: ce1 * teacher_overlap, B_2: ce1**2 * teacher_overlap,
            Q: _easy_energy(teacher_overlap)}


def student(activation="erf", summary=None) -> dict:
    """S1-S4 of the pre-trained student after one step on the teacher's labels.

    Parameters
    ----------
    activation : str or sympy.Lambda
        ``"erf"`` (closed forms), ``"tanh"``, ``"relu"`` or a one-variable ``Lambda``.
    summary : {None, "P-ideal"}
        ``None``: in the teacher summary parameters ``B_e, B_2, Q``; ``"P-ideal"``: at T5.

    Returns
    -------
    dict
        ``overlap`` (rho_s^2), ``alignment_hard``, ``alignment_easy``, ``neuron_cos2_hard``,
        ``neuron_cos2_easy``, ``D`` (D_s), ``K`` (K_s), ``subspace_hard``, ``subspace_easy``.

    Examples
    --------
    >>> from theory.multi_index import student
    >>> student()["overlap"]
    B_e**2/(B_2 + Q*gamma_s*(theta**2 + 2)/(2*sqrt(theta**2 + 1)))
    """
    qs = 1 + theta**2
    ks, ts, xs = kappa(qs, activation), tau(qs, activation), chi(theta, activation)
    D = ks**2 * B_2 + gamma_s * Q * ts
    K = ks**2 * B_e**2
    den = qs + eta_s**2 * D
    c = eta_s**2 * D / qs
    out = {"overlap": B_e**2 / (B_2 + gamma_s * xs * Q), "D": D, "K": K,
           "alignment_hard": theta**2 * zeta_h**2 / den,
           "alignment_easy": eta_s**2 * K / den,
           "neuron_cos2_hard": theta**2 * zeta_h**2 / qs * (1 - Psi(c)),
           "neuron_cos2_easy": K / D * Psi(c)}
    out["subspace_hard"] = zeta_h**2
    out["subspace_easy"] = out["overlap"]
    if summary == "P-ideal":
        out = {k: v.xreplace(_P_IDEAL) for k, v in out.items()}
    elif summary is not None:
        raise ValueError(f"summary must be None or 'P-ideal'; got {summary!r}")
    return out


def bgn(strength, ratio):
    """Benaych-Georges--Nadakuditi overlap ``1 - (psi + t^2)/(t^2 (1 + t^2))`` above ``t^4 > psi``.

    Examples
    --------
    >>> from theory.multi_index import bgn
    >>> bgn(2, 1)
    0.750000000000000
    """
    return Piecewise((1 - (ratio + strength**2) / (strength**2 * (1 + strength**2)),
                      strength**4 > ratio), (0, True))


def teacher_overlap_regime_a(activation="erf"):
    """T4: overlap of the top right singular vector of ``W1_t`` with ``u_e`` for ``eta = Theta(1)``.

    Examples
    --------
    >>> from theory.multi_index import teacher_overlap_regime_a
    >>> sorted(s.name for s in teacher_overlap_regime_a().free_symbols)[-3:]
    ['gamma_t', 'psi', 'sigma2']
    """
    strength = eta_t * kappa(1, activation) * sqrt(ce1**2 + gamma_t * label_energy)
    return bgn(strength, psi) * teacher_overlap


def student_regime_a(activation="erf", summary=None) -> dict:
    """S5: top-2 subspace capture of ``u_e`` and ``u_h`` with a spectral spike of norm ``theta``.

    Examples
    --------
    >>> from theory.multi_index import student_regime_a
    >>> student_regime_a()["subspace_hard"]
    zeta_h**2*Piecewise((1 - (psi + theta**2)/(theta**2*(theta**2 + 1)), psi < theta**4), (0, True))
    """
    strength = eta_s * kappa(1, activation) * sqrt(B_2 + gamma_s * Q)
    out = {"subspace_easy": bgn(strength, psi) * B_e**2 / (B_2 + gamma_s * Q),
           "subspace_hard": bgn(theta, psi) * zeta_h**2}
    if summary == "P-ideal":
        out = {k: v.xreplace(_P_IDEAL) for k, v in out.items()}
    return out


def feature_risk(pe=pi_e, ph=pi_h, peh=pi_eh):
    """R1: risk of the best readout of ``P_S x`` for a subspace with projections ``(pe, ph, peh)``.

    Examples
    --------
    >>> from theory.multi_index import feature_risk, label_energy
    >>> sympy.expand(feature_risk(0, 0, 0) - label_energy)
    0
    """
    return (label_energy - _easy_energy(pe) - sum(c**2 * ph**k for k, c in ch.items())
            - 2 * sum(ce[k] * ch[k] * peh**k for k in ch))


def risks(activation="erf") -> dict:
    """R2, R3, W1 with a P-ideal teacher: ``teacher_risk``, ``student_probe_risk``,
    ``student_fit_risk`` (readout on teacher labels), ``w2s_gain``.

    Examples
    --------
    >>> from theory.multi_index import risks
    >>> sorted(risks())
    ['student_fit_risk', 'student_probe_risk', 'teacher_risk', 'w2s_gain']
    """
    rho_s2 = student(activation, "P-ideal")["overlap"]
    L_t = feature_risk(teacher_overlap, 0, 0)
    R = feature_risk(rho_s2, zeta_h**2, 0)
    return {"teacher_risk": L_t, "student_probe_risk": R,
            "student_fit_risk": label_energy - _easy_energy(rho_s2), "w2s_gain": L_t - R}


# --- derivations -------------------------------------------------------------------------------

_LINEAR = {ce2: 0, ce3: 0, ce4: 0}


@lru_cache(maxsize=None)
def critical_ratio_derivation() -> Derivation:
    """W2: for a linear easy link, ``Delta = H - c^2 rho_t^2 gamma_s chi_s/(1 + gamma_s chi_s)``
    and SymPy solves ``Delta = 0`` for ``gamma_s``.

    Examples
    --------
    >>> from theory.multi_index import critical_ratio_derivation
    >>> critical_ratio_derivation().steps[0][1]
    0
    """
    H, c2r, x = sympy.symbols("H c2rho2 chi_s", positive=True)
    xs = chi(theta)
    gain = risks()["w2s_gain"].xreplace(_LINEAR)
    rho2 = teacher_overlap.xreplace(_LINEAR)
    form = hard_gain - ce1**2 * rho2 * gamma_s * xs / (1 + gamma_s * xs)
    check = sympy.simplify(gain - form)
    (root,) = sympy.solve(H - c2r * gamma_s * x / (1 + gamma_s * x), gamma_s)
    result = root.xreplace({H: hard_gain, c2r: ce1**2 * rho2, x: xs})
    return Derivation(
        "multi_index.critical_gamma_s", "The weak-to-strong threshold gamma_s*",
        "For c_e = {1: c} and a P-ideal teacher, rho_s^2 = rho_t^2/(1 + gamma_s chi_s), so the gain "
        "is H - c^2 rho_t^2 gamma_s chi_s/(1 + gamma_s chi_s); it vanishes at gamma_s*.",
        (("Delta minus H - c^2 rho_t^2 gamma_s chi_s/(1+gamma_s chi_s) (SymPy: 0)", check),
         ("root of H - C gamma chi/(1 + gamma chi) in gamma", root)),
        result)


@lru_cache(maxsize=None)
def optimal_step_derivation() -> Derivation:
    """F1: SymPy maximises ``A_e A_h`` over ``x = eta_s^2``: ``eta* = sqrt(q_s/D_s)``, maximum
    ``theta^2 zeta_h^2 K_s/(4 q_s D_s)``; and solves ``A_e = A_h``: ``eta_bal = theta zeta_h/sqrt(K_s)``.

    Examples
    --------
    >>> from theory.multi_index import optimal_step_derivation
    >>> optimal_step_derivation().steps[1][1]
    sqrt(q_s)/sqrt(D_s)
    """
    X, qs, D, K, T = sympy.symbols("x q_s D_s K_s T", positive=True)  # T = theta^2 zeta_h^2
    product = (X * K / (qs + X * D)) * (T / (qs + X * D))
    (x_star,) = sympy.solve(sympy.diff(product, X), X)
    best = sympy.simplify(product.xreplace({X: x_star}))
    (x_bal,) = sympy.solve(X * K - T, X)
    return Derivation(
        "multi_index.optimal_step", "The step size that best balances easy and hard alignment",
        "A_e A_h = x K_s T/(q_s + x D_s)^2 with x = eta_s^2, T = theta^2 zeta_h^2; its stationary "
        "point and maximum, and the balance point A_e = A_h.",
        (("stationary x", x_star), ("eta* = sqrt(x)", sqrt(x_star)),
         ("maximum of A_e A_h", best), ("eta_bal = sqrt(x) at A_e = A_h", sqrt(x_bal))),
        sqrt(x_star))


def _optimal_step_values():
    s = student(summary="P-ideal")
    sub = {sympy.Symbol("q_s", positive=True): 1 + theta**2,
           sympy.Symbol("D_s", positive=True): s["D"], sympy.Symbol("K_s", positive=True): s["K"],
           sympy.Symbol("T", positive=True): theta**2 * zeta_h**2}
    d = optimal_step_derivation()
    return {label: expr.xreplace(sub) for label, expr in d.steps}


# --- F2: state evolution of the correlation loss over K steps ---------------------------------

#: Neuron state ``(alpha, eta_p, q) = (<w, v_t>, <w, p>, ||w||^2)`` and its readout ``ã``.
alpha, eta_p, q_state = sympy.symbols("alpha eta_p q", real=True)
a_tilde = parameter("a_tilde", r"\tilde a", "a_tilde", _REAL,
                    "readout weight of one neuron (times sqrt N), N(0, 1) over neurons", real=True)


def _hermite_moment(k: int, m: int, al, qq):
    """``E[h_k(s) sigma^{(m)}(alpha s + sqrt(q - alpha^2) g)]`` for erf (``nonlinear.md`` 3.3)."""
    n = m + k - 1
    return (al**k / sqrt(sympy.factorial(k)) * sqrt(2 / pi) * (-1) ** n
            * sympy.hermite_prob_poly(n, 0) * (1 + qq) ** (-Rational(m + k, 2)))


@lru_cache(maxsize=None)
def _squared_moment(degrees, al, qq):
    """``E[h(s)^2 sigma'(u)^2]`` for erf and ``h = sum_k c_k h_k`` (symbols ``c_k``): with
    ``E[s^{2m} sigma'(u)^2] = (2/pi) (2m-1)!! r^m / sqrt(1 + 2q)``, ``r = (1+2q-2 alpha^2)/(1+2q)``."""
    s = sympy.Dummy("s")
    h = sum(sympy.Symbol(f"c{k}") * hermite.h(k, s) for k in degrees)
    h2 = sympy.Poly(sympy.expand(h**2), s)
    r = (1 + 2 * qq - 2 * al**2) / (1 + 2 * qq)
    return 2 / pi / sqrt(1 + 2 * qq) * sum(
        coef * sympy.factorial2(deg - 1) * r ** (deg // 2)
        for (deg,), coef in h2.terms() if deg % 2 == 0)


def state_evolution_step(coefficients=None) -> tuple:
    """One step of the F2 state evolution (correlation loss, fresh batch, erf, P-ideal teacher).

    Parameters
    ----------
    coefficients : dict, optional
        ``{k: c'_k}`` of the teacher's function ``h = sum_k c'_k h_k(<v_t, x>)``; by default the
        P-ideal ``c'_k = ce_k rho_t^k``.

    Returns
    -------
    (new_alpha, new_eta_p, new_q) : tuple of sympy.Expr
        In the state symbols :data:`alpha`, :data:`eta_p`, :data:`q_state`, the readout
        :data:`a_tilde` and the parameters ``eta_s, gamma_s``.

    Examples
    --------
    >>> from theory.multi_index import state_evolution_step, alpha, eta_p, q_state
    >>> a1, e1, q1 = state_evolution_step({1: 1})
    >>> e1.xreplace({alpha: 0})
    eta_p
    """
    if coefficients is None:
        rho = sqrt(teacher_overlap)
        coefficients = {k: c * rho**k for k, c in ce.items()}
    al, qq = alpha, q_state
    A = sum(c * sqrt(k) * _hermite_moment(k - 1, 1, al, qq) for k, c in coefficients.items())
    C = sum(c * _hermite_moment(k, 2, al, qq) for k, c in coefficients.items())
    E2 = _squared_moment(tuple(sorted(coefficients)), al, qq).xreplace(
        {sympy.Symbol(f"c{k}"): c for k, c in coefficients.items()})
    f = 1 + eta_s * a_tilde * C
    return (f * al + eta_s * a_tilde * A, f * eta_p,
            f**2 * qq + 2 * f * eta_s * a_tilde * A * al + eta_s**2 * a_tilde**2 * A**2
            + eta_s**2 * a_tilde**2 * gamma_s * E2)


def _two_steps_linear():
    """``<w, p>`` after two steps, divided by ``theta b``, for a linear easy link."""
    step = state_evolution_step({1: ce1 * sqrt(teacher_overlap.xreplace(_LINEAR))})
    alpha1, _, q1 = (e.xreplace({alpha: 0, q_state: 1 + theta**2, eta_p: 1}) for e in step)
    return step[1].xreplace({alpha: alpha1, q_state: q1, eta_p: 1})


def hard_component_step2():
    """F2: ``E<w, p>^2`` after two steps of the correlation loss, linear easy link (an Integral
    over the readout ``ã ~ N(0, 1)``).

    Examples
    --------
    >>> from theory.multi_index import hard_component_step2
    >>> isinstance(hard_component_step2(), sympy.Mul)
    True
    """
    a = sympy.Dummy("a")
    return theta**2 * gaussian_expectation(_two_steps_linear().xreplace({a_tilde: a}) ** 2, a)


@lru_cache(maxsize=None)
def step2_bound_derivation() -> Derivation:
    """F2: the factor ``1 - phi(ã)`` of step 2 and SymPy's bound ``phi <= 2/3^{3/2}``.

    With ``y = eta^2 ã^2 kappa_s^2 c^2`` and ``a = 2 + theta^2``, ``D_s >= kappa_s^2 c^2`` gives
    ``phi <= y sqrt(a) (a + y)^{-3/2}``, maximised at ``y = 2a``.

    Examples
    --------
    >>> from theory.multi_index import step2_bound_derivation
    >>> step2_bound_derivation().result
    2*sqrt(3)/9
    """
    s = student(summary="P-ideal")
    ks = kappa(1 + theta**2)
    c1 = ce1 * sqrt(teacher_overlap)
    x = eta_s**2 * a_tilde**2
    phi = x * ks * c1**2 * sqrt(2 / pi) * (2 + theta**2 + x * s["D"]) ** Rational(-3, 2)
    check = sympy.simplify((1 - _two_steps_linear() - phi).xreplace(_LINEAR))
    y, a = sympy.symbols("y a", positive=True)
    envelope = y * sqrt(a) * (a + y) ** Rational(-3, 2)
    (y_star,) = sympy.solve(sympy.diff(envelope, y), y)
    bound = sympy.simplify(envelope.xreplace({y: y_star}))
    envelope_check = sympy.simplify(
        (x * ks * c1**2 * sqrt(2 / pi) * (2 + theta**2 + x * ks**2 * c1**2) ** Rational(-3, 2))
        - envelope.xreplace({y: x * ks**2 * c1**2, a: 2 + theta**2}))
    return Derivation(
        "multi_index.step2_bound", "Step 2 shrinks every neuron's hard component",
        "After two steps of the correlation loss <w,p> = theta b (1 - phi(ã)); phi is at most "
        "its value with D_s replaced by kappa_s^2 c^2, a function of y only, maximised at y = 2a.",
        (("1 - factor - phi (SymPy: 0)", check),
         ("phi at D_s = kappa_s^2 c^2, minus its envelope (SymPy: 0)", envelope_check),
         ("maximiser y*", y_star), ("maximum", bound)),
        bound)


def critical_gamma_s():
    """W2: ``gamma_s* = H/(chi_s (c^2 rho_t^2 - H))`` for a linear easy link (from SymPy).

    Examples
    --------
    >>> from theory.multi_index import critical_gamma_s
    >>> critical_gamma_s().has(sympy.Symbol("ce2", real=True))
    False
    """
    return critical_ratio_derivation().result


def derivations() -> list[Derivation]:
    """The derivations of mechanism 3, in the order of the docs."""
    return [optimal_step_derivation(), step2_bound_derivation(), critical_ratio_derivation()]


# --- presentation forms: the page's shorthand (nonlinear.md sections 1.4, 3) --------------------

from theory.notation import minus, notation, over, plus, ref, times  # noqa: E402

#: Degree of a Hermite coefficient in the sums of the presentation forms.
_k = sympy.Symbol("k", integer=True, positive=True)


class _EasyCoefficient(sympy.Function):
    """``c_{e,k}`` at a symbolic degree ``k`` (sums in presentation forms); the parameter ``ce<k>``
    at an integer ``k``."""

    nargs = 1
    _link, _table = "e", ce

    @classmethod
    def eval(cls, k):
        if k.is_Integer:
            return cls._table.get(int(k), sympy.S.Zero)
        return None

    def _latex(self, printer, exp=None):
        tex = r"c_{%s,%s}" % (self._link, printer._print(self.args[0]))
        return tex if exp is None else r"%s^{%s}" % (tex, exp)

    def _sympystr(self, printer):
        return f"c_{self._link}[{printer._print(self.args[0])}]"


class _HardCoefficient(_EasyCoefficient):
    """``c_{h,k}`` at a symbolic degree ``k``; the parameter ``ch<k>`` at an integer ``k``."""

    _link, _table = "h", ch


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
    """``BGN(t; psi)`` kept as a name for printing; :meth:`doit` gives :func:`bgn`."""

    nargs = 2

    def doit(self, **hints):
        args = [a.doit(**hints) for a in self.args] if hints.get("deep", True) else self.args
        return bgn(*args)

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
        return super().__new__(cls, expr, (ce2, ce3, ce4), (0, 0, 0))

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
        from theory.printing import to_latex

        return to_latex(build(), "none")
    return shown


def _shorthand(latex, build, description, prefix="", **assumptions):
    return notation("multi_index", latex, build, description,
                    shown=lambda: prefix + _tex(build)(), **assumptions)


_c_e, _c_h = _EasyCoefficient, _HardCoefficient
_S_y = _shorthand("S_y", lambda: plus(_sum(_c_e(_k)**2), _sum(_c_h(_k)**2, 2), sigma2),
                  "label energy ||g_e||^2 + ||g_h||^2 + sigma^2", positive=True)
_H = _shorthand("H", lambda: _sum(times(_c_h(_k)**2, zeta_h**(2 * _k)), 2),
                "probe gain of the pre-trained direction, sum_k ch_k^2 zeta_h^(2k)",
                nonnegative=True)
_rho_t = notation("multi_index", r"\rho_t", lambda: sqrt(ref("multi_index.teacher_overlap")),
                  "the teacher's overlap <v_t, u_e> (positive root of rho_t^2)",
                  shown=r"\langle v_t, u_e\rangle = \sqrt{\rho_t^2}", positive=True)
_rho_s = notation("multi_index", r"\rho_s", lambda: sqrt(ref("multi_index.student_overlap")),
                  "the student's overlap <v_s, u_e> with a P-ideal teacher",
                  shown=r"\langle v_s, u_e\rangle = \sqrt{\rho_s^2}", positive=True)
_kappa_1 = notation("multi_index", r"\kappa(1)", kappa(1), "E[sigma'(g)] (erf activation)",
                    positive=True)
_tau_1 = notation("multi_index", r"\tau(1)", tau(1), "E[sigma'(g)^2] (erf activation)",
                  positive=True)
_A_t = _shorthand("A_t", lambda: times(_kappa_1**2, ce1**2),
                  "growth rate of the teacher's easy component", positive=True)
_D_t = _shorthand("D_t", lambda: plus(times(_kappa_1**2, ce1**2), times(gamma_t, _S_y, _tau_1)),
                  "growth rate of the teacher's neuron norms", positive=True)
_q_s = _shorthand("q_s", lambda: plus(1, theta**2), "squared norm of a pre-trained neuron",
                  positive=True)
_kappa_s = _shorthand(r"\kappa_s", lambda: _root(over(2, times(pi, plus(1, _q_s)))),
                      "kappa(q_s) = E[sigma'(sqrt(q_s) g)]", prefix=r"\kappa(q_s) = ",
                      positive=True)
_tau_s = _shorthand(r"\tau_s", lambda: over(2, times(pi, sqrt(plus(1, times(2, _q_s))))),
                    "tau(q_s) = E[sigma'(sqrt(q_s) g)^2]", prefix=r"\tau(q_s) = ", positive=True)
_chi_s = _shorthand(r"\chi_s", lambda: ref("multi_index.chi"),
                    "noise inflation chi(theta) of the student's spike", positive=True)
_theta_e = _shorthand(
    r"\theta_e", lambda: times(eta_t, _kappa_1, sqrt(plus(ce1**2, times(gamma_t, _S_y)))),
    "strength of the teacher's spike in regime A (eta_t = eta)", positive=True)
_theta_es = _shorthand(
    r"\theta_{es}", lambda: times(eta_s, _kappa_1, sqrt(plus(
        times(ce1**2, _rho_t**2), times(gamma_s, ref("multi_index.teacher_summary_Q"))))),
    "strength of the student's easy spike in regime A (P-ideal teacher, eta_s = eta)",
    positive=True)


def _phi_form():
    # nonlinear.md F2, c'_1 = ce1 rho_t:
    # phi = eta^2 a^2 kappa_s c'_1^2 sqrt(2/pi) (2 + theta^2 + eta^2 a^2 D_s)^(-3/2)
    step = times(eta_s**2, a_tilde**2)
    return times(_root(over(2, pi)), over(times(_kappa_s, ce1**2, _rho_t**2, step), sympy.Pow(
        plus(2, theta**2, times(step, ref("multi_index.student_norm_rate"))), Rational(3, 2),
        evaluate=False)))


_phi = _shorthand(r"\varphi(\tilde a)", _phi_form,
                  "shrinkage of a neuron's hard component by step 2 (readout a_tilde)",
                  positive=True)


def _student_forms(summary: bool) -> dict:
    """Presentation forms of S1-S4: in ``B_e, B_2, Q`` (``summary``) or at the P-ideal teacher,
    where ``B_e = ce1 rho_t^2``, ``B_2 = ce1^2 rho_t^2`` and ``Q`` is the P-ideal teacher's."""
    suffix = "_given_summary" if summary else ""

    def summary_():
        if summary:
            return B_e**2, B_2, Q
        return (times(ce1**2, _rho_t**4), times(ce1**2, _rho_t**2),
                ref("multi_index.teacher_summary_Q"))

    def rates():
        D, K = (ref(f"multi_index.student_{n}_rate{suffix}") for n in ("norm", "easy"))
        return D, K, plus(_q_s, times(eta_s**2, D)), Psi(over(times(eta_s**2, D), _q_s))

    def overlap():
        Be2, B2, Qt = summary_()
        return over(Be2, plus(B2, times(gamma_s, _chi_s, Qt)))

    def norm_rate():
        _, B2, Qt = summary_()
        return plus(times(_kappa_s**2, B2), times(gamma_s, _tau_s, Qt))

    def alignment_easy():
        _, K, den, _ = rates()
        return over(times(eta_s**2, K), den)

    def cos2_easy():
        D, K, _, psi_c = rates()
        return times(over(K, D), psi_c)

    hard = times(theta**2, zeta_h**2)
    return {
        "overlap": overlap, "D": norm_rate,
        "K": lambda: times(_kappa_s**2, summary_()[0]),
        "alignment_hard": lambda: over(hard, rates()[2]),
        "alignment_easy": alignment_easy,
        "neuron_cos2_hard": lambda: times(over(hard, _q_s), plus(1, minus(rates()[3]))),
        "neuron_cos2_easy": cos2_easy,
        "subspace_hard": lambda: zeta_h**2,
        "subspace_easy": lambda: ref(f"multi_index.student_overlap{suffix}"),
    }


def _easy_sum(rho):
    return _sum(times(_c_e(_k)**2, rho**(2 * _k)))


# --- registration --------------------------------------------------------------------------------

_T = teacher()
_S = student(summary="P-ideal")
_S_SUMMARY = student()
_R = risks()
_TS = teacher_summary()

for _name, _key, _sym, _desc, _form in [
        ("teacher_overlap", "overlap", r"\rho_t^2",
         "T1: squared overlap of the teacher's learned direction with the easy direction",
         lambda: over(ce1**2, plus(ce1**2, times(gamma_t, _S_y)))),
        ("teacher_alignment", "alignment", r"\mathcal{A}(W_1^t, u_e)",
         "T2: Frobenius fraction of the teacher's updated first layer along the easy direction",
         lambda: over(times(eta_t**2, _A_t), plus(1, times(eta_t**2, _D_t)))),
        ("teacher_neuron_cos2", "neuron_cos2", r"C(W_1^t, u_e)",
         "T3: mean squared cosine of the teacher's neurons with the easy direction",
         lambda: times(over(_A_t, _D_t), Psi(times(eta_t**2, _D_t))))]:
    register(f"multi_index.{_name}", _T[_key], _sym, _desc, SOURCE, presentation=_form)

for _key, _sym, _form in [("B_e", r"B_e", lambda: times(ce1, _rho_t**2)),
                          ("B_2", r"B_2", lambda: times(ce1**2, _rho_t**2)),
                          ("Q", r"Q", lambda: _easy_sum(_rho_t))]:
    register(f"multi_index.teacher_summary_{_key}", _TS[_key], _sym,
             f"T5: {_key} of the P-ideal teacher", SOURCE, presentation=_form)

register("multi_index.bgn", bgn(theta, psi), r"\mathrm{BGN}(\theta;\psi)",
         "Benaych-Georges-Nadakuditi overlap of a rank-one perturbation of strength theta",
         SOURCE,
         presentation=lambda: Piecewise(
             (plus(1, minus(over(plus(psi, theta**2), times(theta**2, plus(1, theta**2))))),
              sympy.StrictGreaterThan(theta**4, psi, evaluate=False)), (0, True),
             evaluate=False))

register("multi_index.teacher_overlap_regime_a", teacher_overlap_regime_a(),
         r"\langle r_1, u_e\rangle^2",
         "T4: squared overlap of the teacher's top singular direction with the easy direction "
         "(regime A)", SOURCE,
         presentation=lambda: times(_BGN(_theta_e, psi), _rho_t**2))

register("multi_index.chi", chi(theta), r"\chi(\theta)",
         "noise inflation of the student's rank-one update by the shared pre-trained coordinate",
         SOURCE,
         presentation=lambda: over(plus(2, theta**2), times(2, sqrt(plus(1, theta**2)))))

_FORMS, _FORMS_SUMMARY = _student_forms(False), _student_forms(True)
_TOP2 = "the student's top two singular directions"
for _key, _sym, _desc in [
        ("overlap", r"\rho_s^2",
         "S1: squared overlap of the student's learned direction with the easy direction"),
        ("D", r"D_s", "growth rate of the student's squared neuron norms with the step"),
        ("K", r"K_s", "growth rate of the student's squared easy component with the step"),
        ("alignment_hard", r"\mathcal{A}(W_1^s, u_h)",
         "S2: Frobenius fraction of the student's first layer along the hard direction"),
        ("alignment_easy", r"\mathcal{A}(W_1^s, u_e)",
         "S2: Frobenius fraction of the student's first layer along the easy direction"),
        ("neuron_cos2_hard", r"C(W_1^s, u_h)",
         "S3: mean squared cosine of the student's neurons with the hard direction"),
        ("neuron_cos2_easy", r"C(W_1^s, u_e)",
         "S3: mean squared cosine of the student's neurons with the easy direction"),
        ("subspace_hard", r"\|P_2 u_h\|^2", f"S4: part of the hard direction in {_TOP2}"),
        ("subspace_easy", r"\|P_2 u_e\|^2", f"S4: part of the easy direction in {_TOP2}")]:
    _n = {"D": "student_norm_rate", "K": "student_easy_rate"}.get(_key, f"student_{_key}")
    register(f"multi_index.{_n}", _S[_key], _sym, _desc + " (P-ideal teacher)", SOURCE,
             presentation=_FORMS[_key])
    register(f"multi_index.{_n}_given_summary", _S_SUMMARY[_key], _sym,
             _desc + " (teacher summary B_e, B_2, Q)", SOURCE, presentation=_FORMS_SUMMARY[_key])

_SA = student_regime_a(summary="P-ideal")
register("multi_index.student_subspace_easy_regime_a", _SA["subspace_easy"],
         r"\|P_2 u_e\|^2_{A}",
         f"S5: part of the easy direction in {_TOP2} (regime A, P-ideal teacher)", SOURCE,
         presentation=lambda: times(_BGN(_theta_es, psi), over(
             times(ce1**2, _rho_t**4),
             plus(times(ce1**2, _rho_t**2), times(gamma_s, ref("multi_index.teacher_summary_Q"))))))
register("multi_index.student_subspace_hard_regime_a", _SA["subspace_hard"],
         r"\|P_2 u_h\|^2_{A}",
         f"S5: part of the hard direction in {_TOP2} (regime A, pre-training of norm theta)",
         SOURCE,
         presentation=lambda: times(_BGN(theta, psi), zeta_h**2))

register("multi_index.feature_risk", feature_risk(), r"R_{\mathrm{feat}}(S)",
         "R1: risk of the best readout of the projection of the input on a subspace, from its "
         "overlaps pi_e, pi_h, pi_eh", SOURCE,
         presentation=lambda: plus(
             _S_y, minus(_sum(times(_c_e(_k)**2, pi_e**_k))),
             minus(_sum(times(_c_h(_k)**2, pi_h**_k), 2)),
             times(-2, _sum(times(_c_e(_k), _c_h(_k), pi_eh**_k), 2))))
for _key, _sym, _desc, _form in [
        ("teacher_risk", r"\mathcal{L}_t",
         "R2: the P-ideal teacher's test error (= its probe risk)",
         lambda: plus(_S_y, minus(_easy_sum(_rho_t)))),
        ("student_probe_risk", r"R_{\mathrm{feat}}(S_s)",
         f"R2: probe risk of {_TOP2} (readout fitted on true labels)",
         lambda: plus(_S_y, minus(_easy_sum(_rho_s)), minus(_H))),
        ("student_fit_risk", r"\mathcal{L}_s^{\mathrm{fit}}",
         "R3: risk of the student's best readout fitted on the teacher's labels",
         lambda: plus(_S_y, minus(_easy_sum(_rho_s)))),
        ("w2s_gain", r"\Delta", "W1: teacher risk minus the student's probe risk",
         lambda: plus(_H, minus(_sum(times(_c_e(_k)**2, plus(_rho_t**(2 * _k),
                                                               minus(_rho_s**(2 * _k))))))))]:
    register(f"multi_index.{_key}", _R[_key], _sym, _desc, SOURCE, presentation=_form)

register("multi_index.critical_gamma_s", critical_gamma_s, r"\gamma_s^*",
         "W2: student ratio below which the student's features win (linear easy link)", SOURCE,
         declared=('gamma_t', 'sigma2', 'ce1', 'ch2', 'ch3', 'ch4', 'theta', 'zeta_h'),
         presentation=lambda: _LinearLink(over(_H, times(_chi_s, plus(
             times(ce1**2, _rho_t**2), minus(_H))))))
register("multi_index.optimal_step", lambda: _optimal_step_values()["eta* = sqrt(x)"],
         r"\tilde\eta_s^*",
         "F1: student step size that maximises the product of the easy and hard Frobenius "
         "fractions", SOURCE,
         declared=('gamma_t', 'gamma_s', 'sigma2', 'ce1', 'ce2', 'ce3', 'ce4', 'ch2', 'ch3', 'ch4', 'theta'),
         presentation=lambda: _root(over(_q_s, ref("multi_index.student_norm_rate"))))
register("multi_index.optimal_step_product", lambda: _optimal_step_values()["maximum of A_e A_h"],
         r"\max_{\tilde\eta_s} \mathcal{A}_e \mathcal{A}_h",
         "F1: the maximum of that product over the step size", SOURCE,
         declared=('gamma_t', 'gamma_s', 'sigma2', 'ce1', 'ce2', 'ce3', 'ce4', 'ch2', 'ch3', 'ch4', 'theta', 'zeta_h'),
         presentation=lambda: over(
             times(theta**2, zeta_h**2, ref("multi_index.student_easy_rate")),
             times(4, _q_s, ref("multi_index.student_norm_rate"))))
register("multi_index.balanced_step",
         lambda: _optimal_step_values()["eta_bal = sqrt(x) at A_e = A_h"],
         r"\tilde\eta_{\mathrm{bal}}",
         "F1: student step size at which the easy and hard Frobenius fractions are equal", SOURCE,
         declared=('gamma_t', 'sigma2', 'ce1', 'ce2', 'ce3', 'ce4', 'ch2', 'ch3', 'ch4', 'theta', 'zeta_h'),
         presentation=lambda: over(times(theta, zeta_h),
                                   sqrt(ref("multi_index.student_easy_rate"))))
register("multi_index.hard_component_step2", hard_component_step2,
         r"\mathbb{E}\langle w_2, p\rangle^2",
         "F2: hard component after two steps of the correlation loss (linear easy link)", SOURCE,
         declared=('gamma_t', 'gamma_s', 'sigma2', 'ce1', 'ch2', 'ch3', 'ch4', 'eta_s', 'theta'),
         presentation=lambda: _LinearLink(times(theta**2, _GaussianMean(
             plus(1, minus(_phi))**2, a_tilde))))


# --- claims (nonlinear.md section 5, claims 1-8) -------------------------------------------------

from sympy import Min as _Min  # noqa: E402


def Min(*args):
    """``Min`` without SymPy's pairwise comparison of its (large) arguments."""
    return _Min(*args, evaluate=False)

from theory.claims import Claim, Proof  # noqa: E402

_CLAIM_SOURCE = "arXiv:2505.18346 mechanism 3; nonlinear.md claim {}"
_R = Rational
_TEACHER_REGION = {"ce1": Interval(_R(1, 10), 3), "ch2": Interval(0, 3),
                   "sigma2": Interval(0, 3), "gamma_t": Interval(_R(1, 100), 100)}
_STUDENT_REGION = {**_TEACHER_REGION, "gamma_s": Interval(_R(1, 100), 100),
                   "theta": Interval(_R(1, 10), 5), "zeta_h": Interval(_R(1, 100), 1),
                   "eta_s": Interval(_R(1, 100), 100)}


def _steps(steps) -> Proof:
    return Proof(all(bool(ok) for _, ok in steps), tuple((label, str(bool(ok)))
                                                         for label, ok in steps))


_pos = sympy.symbols("x_1:8", positive=True)


def _prove_teacher() -> Proof:
    c, x, e = _pos[:3]  # c = ce1^2, x = gamma_t Sy, e = eta_t^2
    k2, t = kappa(1) ** 2, tau(1)
    A, D = k2 * c, k2 * c + x * t
    gap = sympy.factor(sympy.together(c / (c + x) - A / D))
    return _steps([
        ("tau(1) - kappa(1)^2 = 2/(pi sqrt 3) - 1/pi > 0", (t - k2).is_positive),
        (f"rho_t^2 - A_t/D_t = {gap} > 0", gap.is_positive),
        ("A_t/D_t - e A_t/(1 + e D_t) = A_t/(D_t (1 + e D_t)) > 0",
         sympy.simplify(A / D - e * A / (1 + e * D) - A / (D * (1 + e * D))) == 0),
    ])


def _prove_simultaneous() -> Proof:
    s = student()
    return _steps([
        ("A_h = theta^2 zeta_h^2/(1 + theta^2 + eta_s^2 D_s) > 0 for theta, zeta_h > 0",
         s["alignment_hard"].xreplace({theta: _pos[0], zeta_h: _pos[1], B_2: _pos[2]}).is_positive),
        ("A_e = eta_s^2 kappa_s^2 B_e^2/(...) > 0 for B_e != 0",
         s["alignment_easy"].xreplace({B_e: _pos[3], theta: _pos[0], B_2: _pos[2]}).is_positive),
        ("Psi(c) = E[c g^2/(1 + c g^2)] lies in (0, 1) for c > 0, so C_h, C_e > 0",
         Psi(_pos[4]).is_positive),
    ])


_S_P = student(summary="P-ideal")


def _prove_dilution() -> Proof:
    x, T, K, D, q = _pos[:5]
    A_h, A_e = T / (q + x * D), x * K / (q + x * D)
    c = sympy.Symbol("c", positive=True)
    return _steps([
        ("d A_h/d(eta^2) = -T D/(q + x D)^2 < 0", (-sympy.diff(A_h, x)).is_positive),
        ("d A_e/d(eta^2) = K q/(q + x D)^2 > 0", sympy.factor(sympy.diff(A_e, x)).is_positive),
        ("C_h, C_e move with Psi(c), c = eta^2 D_s/q_s increasing; Psi'(c) = E[g^2/(1+cg^2)^2] "
         "> 0 and its closed form is SymPy's derivative",
         sympy.simplify(sympy.diff(Psi(c), c) - ((1 - Psi(c)) * (1 + c) - 1) / (2 * c**2)) == 0),
    ])


def _product(eta):
    return (_S_P["alignment_easy"] * _S_P["alignment_hard"]).xreplace({eta_s: eta})


def _prove_optimal_step() -> Proof:
    x, T, K, D, q = _pos[:5]
    P = x * K * T / (q + x * D) ** 2
    gap = sympy.factor(sympy.together(P.xreplace({x: q / D}) - P))
    return _steps([(f"P(eta*) - P(eta) = {gap} >= 0", gap.is_nonnegative),
                   ("P(eta*) = T K/(4 q D)", sympy.simplify(P.xreplace({x: q / D})
                                                            - T * K / (4 * q * D)) == 0)])


def _prove_step2() -> Proof:
    d = step2_bound_derivation()
    steps = dict(d.steps)
    return _steps([("<w,p> after step 2 = theta b (1 - phi), phi > 0 (SymPy: 1 - factor - phi = 0)",
                    steps["1 - factor - phi (SymPy: 0)"] == 0),
                   ("phi <= y sqrt(a)(a+y)^{-3/2} since D_s >= kappa_s^2 c^2",
                    steps["phi at D_s = kappa_s^2 c^2, minus its envelope (SymPy: 0)"] == 0),
                   ("max over y is 2/3^{3/2} < 1, so (1 - phi)^2 in [(1 - 2/3^{3/2})^2, 1)",
                    d.result == 2 / sqrt(27) and (1 - d.result).is_positive)])


_RISKS = risks()


def _prove_no_easy_w2s() -> Proof:
    c, r, x, Qv = _pos[:4]  # ce1^2, rho_t^2, gamma_s chi_s
    ratio = sympy.cancel((c * r**2 / (c * r + x * Qv)) / r)
    return _steps([
        (f"rho_s^2/rho_t^2 = {ratio} < 1 for gamma_s chi_s Q > 0",
         sympy.cancel(1 - ratio).is_positive),
        ("L_s^fit - L_t = sum_k ce_k^2 (rho_t^{2k} - rho_s^{2k}) >= 0",
         sympy.expand(_RISKS["student_fit_risk"] - _RISKS["teacher_risk"]
                      - sum(ck**2 * (teacher_overlap**k - _S_P["overlap"]**k)
                            for k, ck in ce.items())) == 0),
        ("chi(theta) - 1 = (2 + t - 2 sqrt(1+t))/(2 sqrt(1+t)) = (sqrt(1+t) - 1)^2/(2 sqrt(1+t))",
         sympy.simplify(chi(theta) - 1 - (sqrt(1 + theta**2) - 1) ** 2
                        / (2 * sqrt(1 + theta**2))) == 0),
    ])


_GAIN = _RISKS["w2s_gain"].xreplace(_LINEAR)
_CRIT = critical_gamma_s()


def _prove_threshold() -> Proof:
    H, C, x, g, G = sympy.symbols("H C chi gamma gamma_star", positive=True)
    gain = H - C * g * x / (1 + g * x)
    star = H / (x * (C - H))
    identity = sympy.simplify(gain * (star - g) - x * (C - H) * (star - g) ** 2 / (1 + g * x))
    return _steps([("Delta = H - c^2 rho_t^2 gamma_s chi_s/(1 + gamma_s chi_s) (SymPy)",
                    critical_ratio_derivation().steps[0][1] == 0),
                   ("Delta (gamma* - gamma_s) = chi (c^2 rho_t^2 - H)(gamma* - gamma_s)^2/"
                    "(1 + gamma_s chi) >= 0 when H < c^2 rho_t^2", identity == 0)])


def _prove_feature_risk() -> Proof:
    a, b, u, v = sympy.symbols("a b u v", real=True)
    return _steps([
        ("R - s2 = sum_k [ce_k^2 (1 - pi_e^k) + ch_k^2 (1 - pi_h^k) - 2 ce_k ch_k pi_eh^k] and "
         "pi_eh^{2k} <= (1-pi_e)(1-pi_h) <= (1-pi_e^k)(1-pi_h^k)",
         sympy.expand(feature_risk() - sigma2 - sum(
             ce[k]**2 * (1 - pi_e**k) for k in ce) - sum(ch[k]**2 * (1 - pi_h**k) for k in ch)
             + 2 * sum(ce[k] * ch[k] * pi_eh**k for k in ch)) == 0),
        ("a^2 u^2 + b^2 v^2 - 2 a b u v = (a u - b v)^2 >= 0 (each k, u v >= |pi_eh|^k)",
         sympy.expand(a**2 * u**2 + b**2 * v**2 - 2 * a * b * u * v - (a * u - b * v) ** 2) == 0),
    ])


_STRENGTH = eta_t * kappa(1) * sqrt(ce1**2 + gamma_t * label_energy)
_RAW_BGN = 1 - (psi + _STRENGTH**2) / (_STRENGTH**2 * (1 + _STRENGTH**2))


def claims() -> list[Claim]:
    """The mechanism's claims in registration order (the catalogue builds them on first use)."""
    return [
        Claim(
            sympy.Ge(teacher()["overlap"], teacher()["alignment"], evaluate=False),
            id="multi_index.teacher_learns_only_easy_direction",
            statement="One step on true labels: the teacher's spike has rho_t^2 = ce1^2/(ce1^2 + gamma_t Sy) "
            "(hard overlaps 0), and its Frobenius alignment stays below A_t/D_t < rho_t^2 at every step.",
            source=_CLAIM_SOURCE.format(1),
            region={**_TEACHER_REGION, "eta_t": Interval(_R(1, 100), 100)},
            proof=_prove_teacher,
        ),
        Claim(
            sympy.Ge(Min(_S_P["alignment_hard"], _S_P["alignment_easy"], _S_P["neuron_cos2_hard"],
                       _S_P["neuron_cos2_easy"]), 0, evaluate=False),
            id="multi_index.simultaneous_alignment",
            statement="After one step on the teacher's labels the pre-trained student is aligned with both "
            "directions: A(W1_s, u_h), A(W1_s, u_e), C(W1_s, u_h), C(W1_s, u_e) are all positive.",
            source=_CLAIM_SOURCE.format(2),
            region=_STUDENT_REGION,
            proof=_prove_simultaneous,
        ),
        Claim(
            sympy.Ge(Min(-sympy.diff(_S_P["alignment_hard"], eta_s), sympy.diff(_S_P["alignment_easy"], eta_s),
                       -sympy.diff(_S_P["neuron_cos2_hard"], eta_s),
                       sympy.diff(_S_P["neuron_cos2_easy"], eta_s)), 0, evaluate=False),
            id="multi_index.larger_step_dilutes_hard_direction",
            statement="Over the step size eta_s, A_h and C_h strictly decrease (to 0) and A_e and C_e strictly "
            "increase (to K_s/D_s): a larger step trades the hard direction for the easy one.",
            source=_CLAIM_SOURCE.format(3),
            region={**_STUDENT_REGION, "eta_s": Interval(_R(1, 100), 30)},
            proof=_prove_dilution,
        ),
        Claim(
            sympy.Ge(_product(_optimal_step_values()["eta* = sqrt(x)"]), _product(eta_s), evaluate=False),
            id="multi_index.optimal_joint_step",
            statement="The product A_e A_h is maximised over eta_s at eta* = sqrt(q_s/D_s), with maximum "
            "theta^2 zeta_h^2 K_s/(4 q_s D_s).",
            source=_CLAIM_SOURCE.format(3),
            region=_STUDENT_REGION,
            proof=_prove_optimal_step,
        ),
        Claim(
            sympy.Ge(Min(1 - _two_steps_linear(), _two_steps_linear() - (1 - 2 / sqrt(27))), 0, evaluate=False),
            id="multi_index.second_step_shrinks_hard_component",
            statement="Correlation loss, fresh batches, linear easy link: step 1 leaves every neuron's hard "
            "component <w,p> = theta b unchanged and step 2 multiplies it by a factor in "
            "[1 - 2/3^{3/2}, 1], below 1 when a_tilde != 0; so E<w,p>^2 after step 2 lies in "
            "[theta^2 (1 - 2/3^{3/2})^2, theta^2).",
            source=_CLAIM_SOURCE.format(4),
            region={"ce1": Interval(_R(1, 10), 3), "ch2": Interval(0, 2), "sigma2": Interval(0, 1),
                    "gamma_t": Interval(_R(1, 100), 10), "gamma_s": Interval.Lopen(0, 10),
                    "theta": Interval(0, 3), "eta_s": Interval(_R(1, 10), 10),
                    "a_tilde": Interval(-5, 5)},
            proof=_prove_step2,
        ),
        Claim(
            sympy.Ge(Min(teacher_overlap - _S_P["overlap"],
                       _RISKS["student_fit_risk"] - _RISKS["teacher_risk"], chi(theta) - 1), 0, evaluate=False),
            id="multi_index.no_easy_w2s",
            statement="With a P-ideal teacher the student's easy overlap never exceeds the teacher's "
            "(rho_s^2 <= rho_t^2), a readout fitted on teacher labels never beats the teacher "
            "(L_s^fit >= L_t), and chi(theta) >= 1.",
            source=_CLAIM_SOURCE.format(5),
            region={"ce1": Interval(_R(1, 10), 3), "ce3": Interval(-1, 1), "ch2": Interval(0, 2),
                    "sigma2": Interval(0, 1), "gamma_t": Interval(_R(1, 100), 100),
                    "gamma_s": Interval(_R(1, 100), 100), "theta": Interval(0, 5)},
            proof=_prove_no_easy_w2s,
        ),
        Claim(
            sympy.Ge(_GAIN * (_CRIT - gamma_s), 0, evaluate=False),
            id="multi_index.w2s_iff_below_critical_ratio",
            statement="Linear easy link, H = sum ch_k^2 zeta_h^{2k} < ce1^2 rho_t^2: the student's features beat the "
            "teacher (Delta > 0) exactly when gamma_s < gamma_s* = H/(chi_s (ce1^2 rho_t^2 - H)).",
            source=_CLAIM_SOURCE.format(6),
            region={"ce1": Interval(_R(1, 2), 2), "ch2": Interval(_R(1, 10), 2),
                    "sigma2": Interval(0, 1), "gamma_t": Interval(_R(1, 100), 10),
                    "gamma_s": Interval(_R(1, 100), 100), "theta": Interval(0, 3),
                    "zeta_h": Interval(0, 1)},
            assumptions=(sympy.StrictLessThan(
                zeta_h, (ce1**2 * teacher_overlap.xreplace({ch3: 0, ch4: 0, **_LINEAR})
                         / ch2**2) ** _R(1, 4)),),
            proof=_prove_threshold,
        ),
        Claim(
            sympy.Ge(Min(feature_risk() - sigma2, label_energy - feature_risk()), 0, evaluate=False),
            id="multi_index.feature_risk_is_a_risk",
            statement="For every subspace S (projections pi_e, pi_h, pi_eh of a contraction), the feature risk "
            "R_feat(S) of R1 lies between the noise s2 and the label energy Sy.",
            source=_CLAIM_SOURCE.format(7),
            region={"ce1": Interval(_R(1, 10), 2), "ce2": Interval(-2, 2), "ch2": Interval(-2, 2),
                    "pi_e": Interval(0, 1), "pi_h": Interval(0, 1),
                    "pi_eh": Interval(0, 1)},
            assumptions=(sympy.LessThan(pi_eh, sqrt(Min(pi_e * pi_h, (1 - pi_e) * (1 - pi_h)))),),
            proof=_prove_feature_risk,
        ),
        Claim(
            sympy.Ge(_RAW_BGN * (_STRENGTH**4 - psi), 0, evaluate=False),
            id="multi_index.regime_a_threshold",
            statement="Regime A (eta = Theta(1)): the teacher's top singular vector has overlap BGN(theta_e; psi) "
            "rho_t^2 with u_e, positive exactly when theta_e^4 > psi (the BGN expression changes sign "
            "there and nowhere else).",
            source=_CLAIM_SOURCE.format(8),
            region={**_TEACHER_REGION, "eta_t": Interval(_R(1, 10), 10), "psi": Interval(_R(1, 10), 10)},
            proof=lambda: _steps([("1 - (psi + t^2)/(t^2 (1 + t^2)) = (t^4 - psi)/(t^2 (1 + t^2))",
                                   sympy.simplify(_RAW_BGN - (_STRENGTH**4 - psi)
                                                  / (_STRENGTH**2 * (1 + _STRENGTH**2))) == 0)]),
        ),
    ]
