r"""Mechanism 3: one gradient step; easy features from the teacher, hard ones kept from pre-training.

The model of docs/mechanism-3.md (arXiv:2505.18346, mechanism 3, as fixed by that page): labels
``y = g_e(<u_e,x>) + g_h(<u_h,x>) + eps`` with an easy link of information exponent 1
(orthonormal Hermite coefficients ``ce1 != 0, ce2, ce3, ce4``) and a hard link of information exponent
>= 2 (``ch2, ch3, ch4``); two-layer networks ``f = (1/sqrt N) sum_j a_j sigma(<w_j,x>)`` with a fixed
readout and one giant gradient step ``Delta w_j = eta ã_j (1/n) sum_i r_i sigma'(<w_j,x_i>) x_i``.

* **Teacher**: one step on ``n_t = d/gamma_t`` true labels learns only ``u_e``:
  ``rho_t^2 = ce1^2/(ce1^2 + gamma_t Sy)``; its P-ideal labelling function has summary
  ``(B_e, B_2, Q) = (ce1 rho_t^2, ce1^2 rho_t^2, sum_k ce_k^2 rho_t^{2k})``.
* **Student**: pre-trained first layer ``Z' + theta b p^T`` with ``<p, u_h> = zeta_h``, one
  step on ``n_s = d/gamma_s`` teacher labels: ``rho_s^2 = B_e^2/(B_2 + gamma_s chi_s Q)`` and the
  per-neuron alignments ``A_h = theta^2 zeta_h^2/den``, ``A_e = eta_s^2 K_s/den``,
  ``den = 1 + theta^2 + eta_s^2 D_s``.
* **Forgetting**: a larger step dilutes the hard direction; a second step shrinks it.
* **Risks**: the student's features beat the teacher's iff
  ``Delta = H - sum_k ce_k^2 (rho_t^{2k} - rho_s^{2k}) > 0``.

Every student formula is also registered ``*_given_summary``, in the teacher summary ``B_e, B_2, Q``,
for a user's own teacher. The builders take ``activation=`` (``"erf"``: closed forms; ``"tanh"``,
``"relu"`` or a ``sympy.Lambda``: Gaussian integrals evaluated by mpmath quadrature).

This module holds the definitions (parameters, quantities, derivations) and registers the
quantities; the forms the LaTeX shows are in :mod:`theory.multi_index_forms`, the claims and their
proofs in :mod:`theory.multi_index_claims`.

Examples
--------
>>> from theory import quantity
>>> from numerics import evaluate
>>> evaluate("multi_index.teacher_overlap", ce1=1, ch2=1, sigma2="1/4", gamma_t="1/2", dps=15)
mpf('0.470588235294118')
>>> evaluate("multi_index.student_overlap", ce1=1, ch2=1, sigma2="1/4", gamma_t="1/2",
...          gamma_s="1/2", theta=1, dps=15)
mpf('0.30750766755033981')
"""

from __future__ import annotations

from functools import lru_cache

import sympy
from sympy import Interval, Piecewise, Rational, oo, pi, sqrt

from theory import hermite
from theory.activations import Psi, chi, gaussian_expectation, kappa, tau
from theory.cache import once_per_machine
from theory.derivation import Derivation
from theory.multi_index_forms import PRESENTATION, student_forms
from theory.registry import register
from theory.symbols import gamma_s, gamma_t, parameter, sigma2

__all__ = ["ce", "ch", "label_energy", "teacher_overlap", "teacher", "teacher_summary",
           "student", "bgn", "teacher_overlap_regime_a", "student_regime_a", "risks",
           "feature_risk", "critical_gamma_s", "state_evolution_step", "hard_component_step2",
           "critical_ratio_derivation", "optimal_step_derivation", "step2_bound_derivation",
           "derivations", "optimal_step_values", "two_steps_linear", "LINEAR"]

SOURCE = "arXiv:2505.18346, mechanism 3; derived in w2s-theory (docs/mechanism-3.md)"

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
                  "teacher step size (giant step eta/sqrt N; eta itself in regime A)",
                  positive=True)
eta_s = parameter("eta_s", r"\tilde\eta_s", "eta_s", _POS,
                  "student step size (giant step eta/sqrt N; eta itself in regime A)",
                  positive=True)
theta = parameter("theta", r"\theta", "theta", Interval(0, oo),
                  "strength of the pre-trained spike, per neuron (in regime A its operator norm)",
                  nonnegative=True)
zeta_h = parameter("zeta_h", r"\zeta_h", "zeta_h", Interval(0, 1),
                   "pre-training quality <p, u_h>", nonnegative=True)
psi = parameter("psi", r"\psi_N", "psi_N", _POS, "width ratio N/d (regime A)", positive=True)
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
    """``{"overlap", "alignment", "neuron_cos2", "A", "D"}`` of the teacher after one step.

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
    """The P-ideal teacher's ``(B_e, B_2, Q)`` at overlap ``rho2``.

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
    """Overlaps, alignments and cosines of the pre-trained student after one step on the teacher's labels.

    Parameters
    ----------
    activation : str or sympy.Lambda
        ``"erf"`` (closed forms), ``"tanh"``, ``"relu"`` or a one-variable ``Lambda``.
    summary : {None, "P-ideal"}
        ``None``: in the teacher summary parameters ``B_e, B_2, Q``; ``"P-ideal"``: at the P-ideal teacher's summary.

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
    """Overlap of the top right singular vector of ``W1_t`` with ``u_e`` for ``eta = Theta(1)``.

    Examples
    --------
    >>> from theory.multi_index import teacher_overlap_regime_a
    >>> sorted(s.name for s in teacher_overlap_regime_a().free_symbols)[-3:]
    ['gamma_t', 'psi', 'sigma2']
    """
    strength = eta_t * kappa(1, activation) * sqrt(ce1**2 + gamma_t * label_energy)
    return bgn(strength, psi) * teacher_overlap


def student_regime_a(activation="erf", summary=None) -> dict:
    """Top-2 subspace capture of ``u_e`` and ``u_h`` with a spectral spike of norm ``theta``.

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
    """Risk of the best readout of ``P_S x`` for a subspace with projections ``(pe, ph, peh)``.

    Examples
    --------
    >>> from theory.multi_index import feature_risk, label_energy
    >>> sympy.expand(feature_risk(0, 0, 0) - label_energy)
    0
    """
    return (label_energy - _easy_energy(pe) - sum(c**2 * ph**k for k, c in ch.items())
            - 2 * sum(ce[k] * ch[k] * peh**k for k in ch))


def risks(activation="erf") -> dict:
    """The risks with a P-ideal teacher: ``teacher_risk``, ``student_probe_risk``,
    ``student_fit_risk`` (readout on teacher labels), ``w2s_gain``.

    Examples
    --------
    >>> from theory.multi_index import risks
    >>> sorted(risks())
    ['student_fit_risk', 'student_probe_risk', 'teacher_risk', 'w2s_gain']
    """
    rho_s2 = student(activation, "P-ideal")["overlap"]
    # feature_risk(teacher_overlap, 0, 0) as a sum of nonnegative terms, so that no evaluation
    # can make it negative: Sy - sum_k ce_k^2 rho^k = sum_k ce_k^2 (1 - rho) (1 + ... + rho^(k-1))
    # + the hard and noise energies, with 1 - rho_t^2 = gamma_t Sy/(ce1^2 + gamma_t Sy) exactly
    # (a test checks that it equals the feature risk)
    shortfall = gamma_t * label_energy / (ce1**2 + gamma_t * label_energy)
    L_t = (sum(c**2 * shortfall * sum(teacher_overlap**j for j in range(k)) for k, c in ce.items())
           + sum(c**2 for c in ch.values()) + sigma2)
    R = feature_risk(rho_s2, zeta_h**2, 0)
    # the gain keeps the feature-risk form its presentation is written in (a difference may be
    # negative; nothing to protect)
    return {"teacher_risk": L_t, "student_probe_risk": R,
            "student_fit_risk": label_energy - _easy_energy(rho_s2),
            "w2s_gain": feature_risk(teacher_overlap, 0, 0) - R}


# --- derivations -------------------------------------------------------------------------------

#: A linear easy link, ``ce2 = ce3 = ce4 = 0`` (for ``xreplace``): W2 and F2 assume one.
LINEAR = {ce2: 0, ce3: 0, ce4: 0}


@once_per_machine
def critical_ratio_derivation() -> Derivation:
    """For a linear easy link, ``Delta = H - c^2 rho_t^2 gamma_s chi_s/(1 + gamma_s chi_s)``
    and SymPy solves ``Delta = 0`` for ``gamma_s``.

    Examples
    --------
    >>> from theory.multi_index import critical_ratio_derivation
    >>> critical_ratio_derivation().steps[0][1]
    0
    """
    H, c2r, x = sympy.symbols("H c2rho2 chi_s", positive=True)
    xs = chi(theta)
    gain = risks()["w2s_gain"].xreplace(LINEAR)
    rho2 = teacher_overlap.xreplace(LINEAR)
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


@once_per_machine
def optimal_step_derivation() -> Derivation:
    """SymPy maximises ``A_e A_h`` over ``x = eta_s^2``: ``eta* = sqrt(q_s/D_s)``, maximum
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


def optimal_step_values() -> dict:
    """The optimal step at the P-ideal teacher: each step of :func:`optimal_step_derivation` by its label, in
    the model's parameters (``"eta* = sqrt(x)"``, ``"maximum of A_e A_h"``, ...).

    Examples
    --------
    >>> from theory.multi_index import optimal_step_values
    >>> list(optimal_step_values())[1]
    'eta* = sqrt(x)'
    """
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
    """``E[h_k(s) sigma^{(m)}(alpha s + sqrt(q - alpha^2) g)]`` for erf (docs/mechanism-3.md)."""
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
    """One step of the state evolution (correlation loss, fresh batch, erf, P-ideal teacher).

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


def two_steps_linear():
    """``<w, p>`` after two steps, divided by ``theta b``, for a linear easy link (in the
    readout :data:`a_tilde`).

    Examples
    --------
    >>> from theory.multi_index import two_steps_linear, a_tilde
    >>> two_steps_linear().xreplace({a_tilde: 0})
    1
    """
    step = state_evolution_step({1: ce1 * sqrt(teacher_overlap.xreplace(LINEAR))})
    alpha1, _, q1 = (e.xreplace({alpha: 0, q_state: 1 + theta**2, eta_p: 1}) for e in step)
    return step[1].xreplace({alpha: alpha1, q_state: q1, eta_p: 1})


def hard_component_step2():
    """``E<w, p>^2`` after two steps of the correlation loss, linear easy link (an Integral
    over the readout ``ã ~ N(0, 1)``).

    Examples
    --------
    >>> from theory.multi_index import hard_component_step2
    >>> isinstance(hard_component_step2(), sympy.Mul)
    True
    """
    a = sympy.Dummy("a")
    return theta**2 * gaussian_expectation(two_steps_linear().xreplace({a_tilde: a}) ** 2, a)


@once_per_machine
def step2_bound_derivation() -> Derivation:
    """The factor ``1 - omega(ã)`` of step 2 and SymPy's bound ``omega <= 2/3^{3/2}``.

    With ``y = eta^2 ã^2 nu_s^2 c^2`` and ``a = 2 + theta^2``, ``D_s >= nu_s^2 c^2`` gives
    ``omega <= y sqrt(a) (a + y)^{-3/2}``, maximised at ``y = 2a``.

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
    check = sympy.simplify((1 - two_steps_linear() - phi).xreplace(LINEAR))
    y, a = sympy.symbols("y a", positive=True)
    envelope = y * sqrt(a) * (a + y) ** Rational(-3, 2)
    (y_star,) = sympy.solve(sympy.diff(envelope, y), y)
    bound = sympy.simplify(envelope.xreplace({y: y_star}))
    envelope_check = sympy.simplify(
        (x * ks * c1**2 * sqrt(2 / pi) * (2 + theta**2 + x * ks**2 * c1**2) ** Rational(-3, 2))
        - envelope.xreplace({y: x * ks**2 * c1**2, a: 2 + theta**2}))
    return Derivation(
        "multi_index.step2_bound", "Step 2 shrinks every neuron's hard component",
        "After two steps of the correlation loss <w,p> = theta b (1 - omega(ã)); omega is at most "
        "its value with D_s replaced by nu_s^2 c^2, a function of y only, maximised at y = 2a.",
        (("1 - factor - omega (SymPy: 0)", check),
         ("omega at D_s = nu_s^2 c^2, minus its envelope (SymPy: 0)", envelope_check),
         ("maximiser y*", y_star), ("maximum", bound)),
        bound)


def critical_gamma_s():
    """``gamma_s* = H/(chi_s (c^2 rho_t^2 - H))`` for a linear easy link (from SymPy).

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

# --- registration (the forms the LaTeX shows: theory.multi_index_forms) --------------------------

# The quantities below are registered with builds: their expressions are built on first use (and
# kept in the disk cache by the registry), their parameters read from the disk cache
# (:func:`_free_parameters`), so importing the module costs no SymPy work beyond the parameters.


@lru_cache(maxsize=None)
def _group(group: str) -> dict:
    """The expressions of a group of registered quantities, built once."""
    if group == "teacher":
        return teacher()
    if group == "teacher_summary":
        return teacher_summary()
    if group == "student":
        return student(summary="P-ideal")
    if group == "student_summary":
        return student()
    if group == "student_regime_a":
        return student_regime_a(summary="P-ideal")
    if group == "risks":
        return risks()
    return {"bgn": bgn(theta, psi), "teacher_overlap_regime_a": teacher_overlap_regime_a(),
            "chi": chi(theta), "feature_risk": feature_risk()}[group]


_GROUPS = ("teacher", "teacher_summary", "student", "student_summary", "student_regime_a",
           "risks", "bgn", "teacher_overlap_regime_a", "chi", "feature_risk")


@once_per_machine
def _free_parameters() -> dict:
    """The names of the free symbols of each expression of :func:`_group`, by ``(group, key)``
    (kept in the disk cache: registering a quantity declares its parameters without building
    it)."""
    found = {}
    for group in _GROUPS:
        built = _group(group)
        for key, expr in (built.items() if isinstance(built, dict) else [(None, built)]):
            found[group, key] = tuple(sorted(s.name for s in expr.free_symbols))
    return found


def _register(name, group, key, symbol, description, presentation):
    """Register ``multi_index.name`` as the expression ``key`` of ``group`` (``None``: the
    group's one expression), built on first use."""
    def build():
        built = _group(group)
        return built if key is None else built[key]
    register(f"multi_index.{name}", build, symbol, description, SOURCE,
             declared=_free_parameters()[group, key], presentation=presentation)


@lru_cache(maxsize=None)
def _student_forms(summary: bool) -> dict:
    return student_forms(summary)


def _student_form(summary: bool, key: str):
    return lambda: _student_forms(summary)[key]()


for _name, _key, _sym, _desc in [
        ("teacher_overlap", "overlap", r"\rho_t^2",
         "squared overlap of the teacher's learned direction with the easy direction"),
        ("teacher_alignment", "alignment", r"\mathcal{A}(W_1^t, u_e)",
         "Frobenius fraction of the teacher's updated first layer along the easy direction"),
        ("teacher_neuron_cos2", "neuron_cos2", r"\overline{\cos^2}(W_1^t, u_e)",
         "mean squared cosine of the teacher's neurons with the easy direction")]:
    _register(_name, "teacher", _key, _sym, _desc, PRESENTATION[_name])

for _key, _sym in [("B_e", r"B_e"), ("B_2", r"B_2"), ("Q", r"Q")]:
    _register(f"teacher_summary_{_key}", "teacher_summary", _key, _sym,
              f"{_key} of the P-ideal teacher", PRESENTATION[f"teacher_summary_{_key}"])

_register("bgn", "bgn", None, r"\mathrm{BGN}(\theta;\psi)",
          "Benaych-Georges-Nadakuditi overlap of a rank-one perturbation of strength theta",
          PRESENTATION["bgn"])

_register("teacher_overlap_regime_a", "teacher_overlap_regime_a", None,
          r"\langle r_1, u_e\rangle^2",
          "squared overlap of the teacher's top singular direction with the easy direction "
          "(regime A)", PRESENTATION["teacher_overlap_regime_a"])

_register("chi", "chi", None, r"\chi(\theta)",
          "noise inflation of the student's rank-one update by the shared pre-trained coordinate",
          PRESENTATION["chi"])

_TOP2 = "the student's top two singular directions"
for _key, _sym, _desc in [
        ("overlap", r"\rho_s^2",
         "squared overlap of the student's learned direction with the easy direction"),
        ("D", r"D_s", "growth rate of the student's squared neuron norms with the step"),
        ("K", r"K_s", "growth rate of the student's squared easy component with the step"),
        ("alignment_hard", r"\mathcal{A}(W_1^s, u_h)",
         "Frobenius fraction of the student's first layer along the hard direction"),
        ("alignment_easy", r"\mathcal{A}(W_1^s, u_e)",
         "Frobenius fraction of the student's first layer along the easy direction"),
        ("neuron_cos2_hard", r"\overline{\cos^2}(W_1^s, u_h)",
         "mean squared cosine of the student's neurons with the hard direction"),
        ("neuron_cos2_easy", r"\overline{\cos^2}(W_1^s, u_e)",
         "mean squared cosine of the student's neurons with the easy direction"),
        ("subspace_hard", r"\|P_2 u_h\|^2", f"part of the hard direction in {_TOP2}"),
        ("subspace_easy", r"\|P_2 u_e\|^2", f"part of the easy direction in {_TOP2}")]:
    _n = {"D": "student_norm_rate", "K": "student_easy_rate"}.get(_key, f"student_{_key}")
    _register(_n, "student", _key, _sym, _desc + " (P-ideal teacher)",
              _student_form(False, _key))
    _register(f"{_n}_given_summary", "student_summary", _key, _sym,
              _desc + " (teacher summary B_e, B_2, Q)", _student_form(True, _key))

_register("student_subspace_easy_regime_a", "student_regime_a", "subspace_easy",
          r"\|P_2 u_e\|^2_{A}",
          f"part of the easy direction in {_TOP2} (regime A, P-ideal teacher)",
          PRESENTATION["student_subspace_easy_regime_a"])
_register("student_subspace_hard_regime_a", "student_regime_a", "subspace_hard",
          r"\|P_2 u_h\|^2_{A}",
          f"part of the hard direction in {_TOP2} (regime A, pre-training of norm theta)",
          PRESENTATION["student_subspace_hard_regime_a"])

_register("feature_risk", "feature_risk", None, r"R_{\mathrm{feat}}(S)",
          "risk of the best readout of the projection of the input on a subspace, from its "
          "overlaps pi_e, pi_h, pi_eh", PRESENTATION["feature_risk"])
for _key, _sym, _desc in [
        ("teacher_risk", r"\mathcal{L}_t",
         "the P-ideal teacher's test error (= its probe risk)"),
        ("student_probe_risk", r"R_{\mathrm{feat}}(S_s)",
         f"probe risk of {_TOP2} (readout fitted on true labels)"),
        ("student_fit_risk", r"\mathcal{L}_s^{\mathrm{fit}}",
         "risk of the student's best readout fitted on the teacher's labels"),
        ("w2s_gain", r"\Delta", "teacher risk minus the student's probe risk")]:
    _register(_key, "risks", _key, _sym, _desc, PRESENTATION[_key])

register("multi_index.critical_gamma_s", critical_gamma_s, r"\gamma_s^*",
         "student ratio below which the student's features win (linear easy link)", SOURCE,
         declared=('gamma_t', 'sigma2', 'ce1', 'ch2', 'ch3', 'ch4', 'theta', 'zeta_h'),
         presentation=PRESENTATION["critical_gamma_s"])
register("multi_index.optimal_step", lambda: optimal_step_values()["eta* = sqrt(x)"],
         r"\tilde\eta_s^*",
         "student step size that maximises the product of the easy and hard Frobenius "
         "fractions", SOURCE,
         declared=('gamma_t', 'gamma_s', 'sigma2', 'ce1', 'ce2', 'ce3', 'ce4', 'ch2', 'ch3', 'ch4', 'theta'),
         presentation=PRESENTATION["optimal_step"])
register("multi_index.optimal_step_product", lambda: optimal_step_values()["maximum of A_e A_h"],
         r"\max_{\tilde\eta_s} \mathcal{A}_e \mathcal{A}_h",
         "the maximum of that product over the step size", SOURCE,
         declared=('gamma_t', 'gamma_s', 'sigma2', 'ce1', 'ce2', 'ce3', 'ce4', 'ch2', 'ch3', 'ch4', 'theta', 'zeta_h'),
         presentation=PRESENTATION["optimal_step_product"])
register("multi_index.balanced_step",
         lambda: optimal_step_values()["eta_bal = sqrt(x) at A_e = A_h"],
         r"\tilde\eta_{\mathrm{bal}}",
         "student step size at which the easy and hard Frobenius fractions are equal", SOURCE,
         declared=('gamma_t', 'sigma2', 'ce1', 'ce2', 'ce3', 'ce4', 'ch2', 'ch3', 'ch4', 'theta', 'zeta_h'),
         presentation=PRESENTATION["balanced_step"])
register("multi_index.hard_component_step2", hard_component_step2,
         r"\mathbb{E}\langle w_2, p\rangle^2",
         "hard component after two steps of the correlation loss (linear easy link)", SOURCE,
         declared=('gamma_t', 'gamma_s', 'sigma2', 'ce1', 'ch2', 'ch3', 'ch4', 'eta_s', 'theta'),
         presentation=PRESENTATION["hard_component_step2"])
