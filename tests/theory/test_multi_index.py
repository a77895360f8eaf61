"""Mechanism 3 (nonlinear.md): every closed form against the page's 40-digit anchors (section 5),
the erf closed forms of kappa, tau, chi against mpmath quadrature, Psi's float64 path against
mpmath, the F2 state evolution against an independent grid integration, and the derivations."""

import mpmath
import numpy as np
import pytest
import sympy
from sympy import Lambda, Rational, erf, sqrt

from numerics import ParameterError, evaluate, vectorize
from numerics.state_evolution import hard_component_path
from theory import activations, get, multi_index as mi

SA = dict(ce1=1, ch2=1, sigma2="1/4", gamma_t="1/2", gamma_s="1/2", theta=1, zeta_h=1)
SB = dict(ce1="0.8", ce3="0.6", ch3=1, sigma2=0, gamma_t=1, gamma_s="0.25", theta="1.5",
          zeta_h="0.8")
LOW = dict(ce1=1, ch2="0.3", sigma2=0, zeta_h="0.7", gamma_t="0.25", theta=1)


def ev(name, dps=30, **point):
    used = {p.name for p in get(name).parameters}
    return evaluate(name, {k: v for k, v in point.items() if k in used}, dps=dps)


ANCHORS = [  # (quantity, point, value printed to 10 significant digits in nonlinear.md sec. 5)
    ("teacher_overlap", SA, "0.4705882353"),
    ("teacher_overlap", SB, "0.2424242424"),
    ("teacher_alignment", {**SA, "eta_t": "0.5"}, "0.06727026608"),
    ("teacher_alignment", {**SA, "eta_t": 2}, "0.3242083521"),
    ("teacher_alignment", {**SA, "eta_t": 6}, "0.4190579917"),
    ("teacher_neuron_cos2", {**SA, "eta_t": "0.5"}, "0.05490502441"),
    ("teacher_neuron_cos2", {**SA, "eta_t": 2}, "0.2237138488"),
    ("teacher_neuron_cos2", {**SA, "eta_t": 6}, "0.3434405720"),
    ("student_overlap", SA, "0.3075076676"),
    ("student_alignment_hard", {**SA, "eta_s": 2}, "0.3748961495"),
    ("student_alignment_easy", {**SA, "eta_s": 2}, "0.07047124930"),
    ("student_neuron_cos2_hard", {**SA, "eta_s": 2}, "0.4049681886"),
    ("student_neuron_cos2_easy", {**SA, "eta_s": 2}, "0.05353160952"),
    ("student_alignment_hard", {**SA, "eta_s": 8}, "0.07887377201"),
    ("student_alignment_easy", {**SA, "eta_s": 8}, "0.2372212468"),
    ("student_neuron_cos2_hard", {**SA, "eta_s": 8}, "0.1981066828"),
    ("student_neuron_cos2_easy", {**SA, "eta_s": 8}, "0.1700571096"),
    ("student_overlap", SB, "0.1858474310"),
    ("student_alignment_hard", {**SB, "eta_s": 3}, "0.4064354664"),
    ("student_alignment_easy", {**SB, "eta_s": 3}, "0.01431182037"),
    ("student_neuron_cos2_hard", {**SB, "eta_s": 3}, "0.4108331926"),
    ("student_neuron_cos2_easy", {**SB, "eta_s": 3}, "0.01259410844"),
    ("chi", {"theta": 1}, "1.060660172"), ("chi", {"theta": "1.5"}, "1.178737917"),
    ("chi", {"theta": 2}, "1.341640786"),
    ("student_norm_rate", SA, "0.1668513409"), ("student_easy_rate", SA, "0.04699384710"),
    ("optimal_step", SA, "3.462184017"), ("optimal_step_product", SA, "0.03520637505"),
    ("balanced_step", SA, "4.612957998"),
    ("student_norm_rate", SB, "0.03255532118"), ("student_easy_rate", SB, "0.005634083266"),
    ("optimal_step", SB, "9.991499900"), ("optimal_step_product", SB, "0.01916992513"),
    ("hard_component_step2", {**SA, "eta_s": 1}, "0.9477686050"),
    ("hard_component_step2", {**SA, "eta_s": 2}, "0.8655291324"),
    ("teacher_risk", SA, "1.779411765"), ("student_fit_risk", SA, "1.942492332"),
    ("teacher_overlap", LOW, "0.7858546169"), ("student_overlap", {**LOW, "gamma_s": 2},
                                               "0.2517699340"),
    ("teacher_risk", LOW, "0.3041453831"), ("student_fit_risk", {**LOW, "gamma_s": 2},
                                            "0.8382300660"),
    ("student_probe_risk", SA, "0.9424923325"), ("w2s_gain", SA, "0.8369194323"),
    ("teacher_risk", SB, "1.839719509"), ("student_probe_risk", SB, "1.616602792"),
    ("w2s_gain", SB, "0.2231167173"),
    ("critical_gamma_s", LOW, "0.02665787036"),
    ("w2s_gain", {**LOW, "gamma_s": 2}, "-0.5124756829"),
    ("critical_gamma_s", dict(ce1=1, ch2="0.5", sigma2="0.1", gamma_t="0.5", theta="1.5",
                              zeta_h="0.9"), "0.3213771544"),
    ("feature_risk", dict(ce1=1, ch2=1, sigma2="0.25", pi_e="0.3075076676", pi_h=1, pi_eh=0),
     "0.9424923325"),
    ("feature_risk", dict(ce1="0.8", ce3="0.6", ch3=1, sigma2=0, pi_e="0.1858474310",
                          pi_h="0.64", pi_eh=0), "1.616602792"),
    ("bgn", {"theta": 2, "psi": 1}, "0.75"), ("bgn", {"theta": "1.5", "psi": 2}, "0.4188034188"),
    ("teacher_overlap_regime_a", {**SA, "eta_t": 2, "psi": 1}, "0.2966592303"),
    ("teacher_overlap_regime_a", {**SA, "gamma_t": 1, "eta_t": 3, "psi": "0.5"}, "0.2762472646"),
    ("teacher_overlap_regime_a", {**SA, "eta_t": 1, "psi": 1}, "0"),
    ("student_subspace_easy_regime_a", {**SA, "gamma_s": 1, "eta_s": 3, "psi": 1},
     "0.1480276550"),
    ("student_subspace_hard_regime_a", {"theta": "1.2", "zeta_h": "0.9", "psi": 1}, "0.2475"),
]


@pytest.mark.parametrize("name, point, value", ANCHORS,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(ANCHORS)])
def test_anchor(name, point, value):
    got = ev(f"multi_index.{name}", **point)
    assert abs(got - mpmath.mpf(value)) <= 6e-10 * max(1, abs(mpmath.mpf(value)))


def test_w2s_gain_changes_sign_at_the_critical_ratio():
    g = ev("multi_index.critical_gamma_s", **LOW)
    assert abs(ev("multi_index.w2s_gain", **{**LOW, "gamma_s": g / 2}) - mpmath.mpf("0.01065388107")) < 1e-10
    assert abs(ev("multi_index.w2s_gain", **{**LOW, "gamma_s": 2 * g}) + mpmath.mpf("0.02045241815")) < 1e-10
    assert abs(ev("multi_index.w2s_gain", **{**LOW, "gamma_s": g})) < 1e-25


def test_summary_form_reduces_to_the_p_ideal_teacher():
    rho = ev("multi_index.teacher_overlap", **SA)
    summary = {"B_e": rho, "B_2": rho, "Q": rho}  # ce1 = 1, linear easy link
    for name in ("overlap", "alignment_easy", "neuron_cos2_hard"):
        full = ev(f"multi_index.student_{name}", **SA, eta_s=2)
        given = ev(f"multi_index.student_{name}_given_summary", **SA, eta_s=2, **summary)
        assert abs(full - given) < 1e-25


# --- activations: closed forms against quadrature ---------------------------------------------

ERF_BY_QUADRATURE = Lambda(activations._u, erf(activations._u / sqrt(2)))


@pytest.mark.parametrize("which, arg, dps", [("kappa", 1, 25), ("kappa", 2, 25), ("tau", 1, 25),
                                             ("tau", 2, 25), ("chi", Rational(7, 10), 10)])
def test_erf_closed_forms_against_quadrature(which, arg, dps):
    f = getattr(activations, which)
    closed = f(arg)
    by_quad = f(arg, ERF_BY_QUADRATURE)  # the generic path: nested mpmath quadrature
    assert by_quad.has(sympy.Integral)
    assert abs(evaluate(closed, dps=dps) - evaluate(by_quad, dps=dps)) < 10.0 ** (5 - dps)


def test_erf_literature_constants():
    assert abs(evaluate(activations.kappa(1), dps=20) - mpmath.mpf("0.5641895835")) < 1e-10
    assert abs(evaluate(activations.tau(2), dps=20) - mpmath.mpf("0.2847050174")) < 1e-10
    assert abs(evaluate(activations.chi(Rational(7, 10)), dps=20) - mpmath.mpf("1.019943741")) < 1e-9


@pytest.mark.parametrize("expr, value", [
    (activations.kappa(1, "tanh"), "0.6057055096"), (activations.tau(1, "tanh"), "0.4644029024"),
    (activations.kappa(Rational(149, 100), "tanh"), "0.5329279256"),
    (activations.tau(Rational(149, 100), "tanh"), "0.3959665441"),
    (activations.chi(Rational(7, 10), "tanh"), "1.026243019")])
def test_tanh_constants_by_quadrature(expr, value):
    assert abs(evaluate(expr, dps=11) - mpmath.mpf(value)) < 2e-9


def test_relu_constants_by_quadrature():
    # sigma' = 1{u > 0}: kappa = tau = 1/2 at every q
    assert abs(evaluate(activations.kappa(3, "relu"), dps=15) - 0.5) < 1e-12
    assert abs(evaluate(activations.tau(3, "relu"), dps=15) - 0.5) < 1e-12


@pytest.mark.parametrize("c, value", [("0.5", "0.2421278439"), (2, "0.4543586392"),
                                      (10, "0.6867478197")])
def test_psi_anchors(c, value):
    assert abs(evaluate(activations.Psi(Rational(c)), dps=30) - mpmath.mpf(value)) < 1e-10


def test_psi_float64_matches_mpmath_over_the_domain_without_overflow():
    c = np.geomspace(1e-12, 1e12, 25)
    f = vectorize(activations.Psi(mi.eta_s))
    fast = f(eta_s=c)
    with mpmath.workdps(20):
        exact = np.array([float(mpmath.quad(lambda g: c_ * g**2 / (1 + c_ * g**2)
                                            * mpmath.npdf(g), [-mpmath.inf, 0, mpmath.inf]))
                          for c_ in map(mpmath.mpf, c)])
    assert np.all(np.isfinite(fast))
    assert np.max(np.abs(fast / exact - 1)) < 1e-10


def test_psi_derivative_is_the_closed_form():
    c = sympy.Symbol("c", positive=True)
    d = sympy.diff(activations.Psi(c), c).xreplace({c: 3})
    psi = activations.Psi(mi.eta_s)
    h = Rational(1, 10**10)  # central difference at 60 digits: error ~ h^2
    numeric = (evaluate(psi, eta_s=3 + h, dps=60) - evaluate(psi, eta_s=3 - h, dps=60)) / (2 * h)
    assert abs(evaluate(d, dps=30) - numeric) < 1e-18


# --- F2 state evolution ------------------------------------------------------------------------

def test_state_evolution_anchors():
    point = {**SA, "eta_s": 1}
    path = hard_component_path(4, point, dps=20)
    assert [round(float(p["hard_component"]), 5) for p in path[:3]] == [1.0, 1.0, 0.94777]
    assert abs(path[3]["hard_component"] - mpmath.mpf("0.87515")) < 1e-4
    assert abs(path[4]["hard_component"] - mpmath.mpf("0.79986")) < 1e-4
    # the registered step-2 Integral and the iterated map agree
    assert abs(path[2]["hard_component"] - ev("multi_index.hard_component_step2", **point)) < 1e-15
    third = hard_component_path(4, {"gamma_s": 1, "theta": "1.5", "zeta_h": "0.8",
                                    "eta_s": "1.5"}, coefficients={1: "0.56", 3: "0.2058"})
    assert [round(float(p["hard_component"]), 4) for p in third] == [2.25, 2.25, 2.1667, 2.0498,
                                                                      1.9239]


def test_state_evolution_against_grid_integration():
    """Independent: iterate the map in float64 on a fine grid of ã (not mpmath's quadrature)."""
    step = mi.state_evolution_step({1: sqrt(Rational(8, 17))})
    f = sympy.lambdify([mi.alpha, mi.eta_p, mi.q_state, mi.a_tilde, mi.gamma_s, mi.eta_s],
                       step, "numpy")
    a = np.linspace(-12, 12, 40001)
    w = np.exp(-a**2 / 2)
    w /= w.sum()
    state = (0 * a, 1 + 0 * a, 2 + 0 * a)
    grid = []
    for _ in range(5):
        grid.append(float(w @ state[1] ** 2))
        state = f(*state, a, 0.5, 2.0)
    path = hard_component_path(4, {"gamma_s": "1/2", "eta_s": 2, "theta": 1, "zeta_h": 1},
                               coefficients={1: sympy.sqrt(Rational(8, 17)).evalf(30)})
    assert np.allclose(grid, [float(p["hard_component"]) for p in path], atol=1e-9)
    assert abs(grid[4] - 0.61700) < 1e-4  # the page's anchor (tolerance 1e-4)


def test_hermite_moments_against_quadrature():
    """A, C, E2 inside the map against 2-d Gauss-Hermite quadrature (120 x 120 nodes)."""
    al, q, c1, c3, a, eta, gam = 0.4, 1.7, 0.6, 0.3, 0.7, 1.3, 0.9
    x, w = np.polynomial.hermite_e.hermegauss(120)
    w = w / w.sum()
    s, g = np.meshgrid(x, x, indexing="ij")
    W = np.outer(w, w)
    u = al * s + np.sqrt(q - al**2) * g
    dsig = np.sqrt(2 / np.pi) * np.exp(-u**2 / 2)
    h = c1 * s + c3 * (s**3 - 3 * s) / np.sqrt(6)
    dh = c1 + c3 * (3 * s**2 - 3) / np.sqrt(6)
    A, C, E2 = (np.sum(W * dh * dsig), np.sum(W * h * (-u) * dsig), np.sum(W * h**2 * dsig**2))
    f = 1 + eta * a * C
    expected = (f * al + eta * a * A, f,
                f**2 * q + 2 * f * eta * a * A * al + eta**2 * a**2 * (A**2 + gam * E2))
    new = mi.state_evolution_step({1: Rational(3, 5), 3: Rational(3, 10)})
    sub = {mi.alpha: Rational(2, 5), mi.q_state: Rational(17, 10), mi.eta_p: 1,
           mi.a_tilde: Rational(7, 10), mi.eta_s: Rational(13, 10), mi.gamma_s: Rational(9, 10)}
    for got, want in zip(new, expected):
        assert abs(float(got.xreplace(sub)) - want) < 1e-11


# --- derivations and input errors --------------------------------------------------------------

def test_derivations():
    assert mi.step2_bound_derivation().result == 2 * sqrt(3) / 9
    steps = dict(mi.step2_bound_derivation().steps)
    assert steps["1 - factor - omega (SymPy: 0)"] == 0
    assert dict(mi.critical_ratio_derivation().steps)[
        "Delta minus H - c^2 rho_t^2 gamma_s chi_s/(1+gamma_s chi_s) (SymPy: 0)"] == 0
    assert abs(float((1 - mi.step2_bound_derivation().result) ** 2) - 0.3783477892) < 1e-10


@pytest.mark.parametrize("bad, message", [({"zeta_h": 2}, "zeta_h must be in [0, 1]"),
                                          ({"ce1": 0}, "ce1 must be in (-inf, 0) or (0, inf)"),
                                          ({"theta": -1}, "theta must be in [0, inf)")])
def test_bad_input_names_the_parameter(bad, message):
    point = {**SA, "eta_s": 2, **bad}
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[").replace("]", r"\]")):
        ev("multi_index.student_alignment_hard", **point)


def test_teacher_risk_is_the_feature_risk_written_as_nonnegative_terms():
    """The registered teacher risk (a sum of nonnegative terms, so that float64 cannot make it
    negative) equals R_feat(rho_t^2, 0, 0), symbolically and at an extreme point at 60 digits
    (where the textbook form R_feat cancels to 9 digits of 4.9e6 in 1e26-sized terms)."""
    import sympy

    from numerics import evaluate
    from theory.multi_index import feature_risk, risks, teacher_overlap

    registered = risks()["teacher_risk"]
    textbook = feature_risk(teacher_overlap, 0, 0)
    assert sympy.simplify(registered - textbook) == 0
    for term in sympy.Add.make_args(registered):
        assert term.is_nonnegative
    point = dict(ce1=-7e12, ce2=0, ce3=1e9, ce4=0, ch2="0.3", ch3=0, ch4=0, sigma2="2.5",
                 gamma_t="1e-19")
    assert abs(evaluate(textbook, point, dps=80) - evaluate("multi_index.teacher_risk", point,
                                                             dps=60)) < 1e-45 * 4.9e6
