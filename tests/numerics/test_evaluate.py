"""The evaluators: stability of float64, agreement with SymPy's evalf, precision discipline."""

import threading

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from numerics import MAX_DPS, ParameterError, evaluate, vectorize
from theory import quantity
from theory.symbols import parameters

LAMS = np.concatenate([[0.0], np.logspace(-8, 6, 29)])
GAMMAS = np.concatenate([np.logspace(-4, 4, 33), [0.999, 1.0, 1.001]])


def _sweep(name, lam_name, gamma_name, fixed):
    L, G = (a.ravel() for a in np.meshgrid(LAMS, GAMMAS))
    keep = ~((L == 0) & (G == 1))  # the ridgeless risk diverges at gamma = 1
    L, G = L[keep], G[keep]
    fast = vectorize(name)(**{lam_name: L, gamma_name: G}, **fixed)
    exact = np.array([float(evaluate(name, {lam_name: l, gamma_name: g, **fixed}, dps=50))
                      for l, g in zip(L, G)])
    scale = np.maximum(np.abs(exact), 1e-300)
    return np.max(np.abs(fast - exact) / scale)


@pytest.mark.parametrize("name", ["mp.kappa", "mp.shrinkage_u", "mp.shrinkage_v",
                                  "mp.shrinkage_w"])
def test_float64_matches_50_digits_for_functionals(name):
    assert _sweep(name, "lam", "gamma", {}) < 1e-10


@pytest.mark.parametrize("name", ["ridge.teacher_risk", "ridge.overlap_B", "ridge.overlap_ratio"])
@pytest.mark.parametrize("s2", [0.0, 1.0])
def test_float64_matches_50_digits_for_teacher(name, s2):
    assert _sweep(name, "lam_t", "gamma_t", {"sigma2": s2}) < 1e-10


def test_float64_matches_50_digits_for_overlap_A():
    assert _sweep("ridge.overlap_A", "lam_t", "gamma_t", {}) < 1e-10


@pytest.mark.parametrize("teacher", [(0.05, 0.5), (0.0, 2.0), (1e-8, 1e4), (1e6, 1e-4), (3.0, 1.0)])
def test_float64_matches_50_digits_for_student(teacher):
    lt, gt = teacher
    fixed = {"lam_t": lt, "gamma_t": gt, "sigma2": 1.0, "sigma2_s": 0.1}
    assert _sweep("ridge.student_risk", "lam_s", "gamma_s", fixed) < 1e-10


def test_float64_stieltjes_on_and_off_axis():
    z = np.array([-1e-8, -0.5, -1e6, 25.0, 1 + 1j, -3 - 2j, 0.5j])
    for g in (0.25, 3.0):
        fast = vectorize("mp.stieltjes")(z=z, gamma=g)
        exact = np.array([complex(evaluate("mp.stieltjes", z=complex(v), gamma=g)) for v in z])
        assert np.max(np.abs(fast - exact) / np.abs(exact)) < 1e-10


def _sympy_evalf(name, values, digits):
    """SymPy's own evalf of the compact form (radicals), an independent route from numerics."""
    expr = quantity(name)
    symbols = parameters()
    subs = {symbols[k]: sympy.Rational(v) for k, v in values.items()}
    return expr.xreplace(subs).evalf(digits)


@settings(max_examples=25)
@given(lt=st.floats(1e-3, 1e3), gt=st.floats(1e-2, 1e2), ls=st.floats(1e-3, 1e3),
       gs=st.floats(1e-2, 1e2), s2=st.floats(0, 10))
def test_evaluate_matches_sympy_evalf_of_compact_form(lt, gt, ls, gs, s2):
    values = {"lam_t": lt, "gamma_t": gt, "lam_s": ls, "gamma_s": gs, "sigma2": s2,
              "r2": 1, "sigma2_s": 0}
    expected = _sympy_evalf("ridge.student_risk", values, 40)
    got = evaluate("ridge.student_risk", values, dps=40)
    assert abs(sympy.Float(got, 40) - expected) < sympy.Float("1e-30") * (1 + abs(expected))


def test_precision_is_local_and_recorded():
    before = mpmath.mp.dps
    value = evaluate("mp.kappa", lam="0.1", gamma="0.5", dps=120)
    assert mpmath.mp.dps == before
    assert value.context.dps == 120
    with mpmath.workdps(130):
        again = evaluate("mp.kappa", lam="0.1", gamma="0.5", dps=125)
        assert abs(+value - again) < mpmath.mpf(10) ** -118


def test_threads_do_not_race():
    results, errors = {}, []

    def work(dps):
        try:
            for _ in range(20):
                results[dps] = evaluate("ridge.teacher_risk", lam_t="0.1", gamma_t="0.5",
                                        sigma2=1, dps=dps)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(d,)) for d in (15, 40, 80, 160)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with mpmath.workdps(200):
        reference = +results[160]
        for dps, value in results.items():
            assert value.context.dps == dps
            assert abs(+value - reference) < mpmath.mpf(10) ** (-dps + 2)


def test_strings_are_parsed_exactly_not_through_float():
    exact = evaluate("ridge.optimal_lambda", gamma_t="0.1", sigma2=1, dps=60)
    via_float = evaluate("ridge.optimal_lambda", gamma_t=0.1, sigma2=1, dps=60)
    with mpmath.workdps(60):
        assert exact == mpmath.mpf(1) / 10
        assert via_float != exact  # a float 0.1 is not 1/10; strings avoid that


@pytest.mark.parametrize("params, message", [
    ({"lam_t": "0.1", "gamma_t": "-1", "sigma2": 1}, "gamma_t must be in (0, inf)"),
    ({"lam_t": "nan", "gamma_t": "1", "sigma2": 1}, "lam_t must be a finite number"),
    ({"lam_t": float("inf"), "gamma_t": "1", "sigma2": 1}, "lam_t must be a finite number"),
    ({"gamma_t": "1", "sigma2": 1}, "missing parameter lam_t"),
    ({"lam_t": "0.1", "gamma_t": "1", "sigma2": 1, "zeta": 1}, "unknown parameter zeta"),
    ({"lam_t": "abc", "gamma_t": "1", "sigma2": 1}, "lam_t must be a number"),
    ({"lam_t": "0", "gamma_t": "1", "sigma2": 1}, "not finite at lam_t=0, gamma_t=1"),
    ({"lam_t": "1+2j", "gamma_t": "1", "sigma2": 1}, "lam_t must be in [0, inf)"),
])
def test_bad_input_names_the_parameter(params, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[")):
        evaluate("ridge.teacher_risk", params)


def test_bad_dps_and_unknown_name():
    with pytest.raises(ParameterError, match="dps must be an integer"):
        evaluate("mp.kappa", lam=1, gamma=1, dps=0)
    with pytest.raises(ParameterError, match="dps must be an integer"):
        evaluate("mp.kappa", lam=1, gamma=1, dps=MAX_DPS + 1)
    with pytest.raises(KeyError, match="unknown quantity 'ridge.nope'"):
        evaluate("ridge.nope", {})


def test_z_on_the_support_is_rejected():
    with pytest.raises(ParameterError, match="z must lie off the support"):
        evaluate("mp.stieltjes", z="1", gamma="0.5")
    with pytest.raises(ParameterError, match="z must lie off the support"):
        evaluate("mp.stieltjes", z=0, gamma="2")


def test_user_expression():
    from theory.symbols import gamma, lam
    value = evaluate(lam * quantity("mp.shrinkage_w"), lam=2, gamma="0.5", dps=30)
    w = evaluate("mp.shrinkage_w", lam=2, gamma="0.5", dps=30)
    assert value == 2 * w
    with pytest.raises(ParameterError, match="not parameters"):
        evaluate(sympy.Symbol("foo") * gamma, gamma=1)


def test_vectorize_broadcasts_and_validates():
    f = vectorize("ridge.teacher_risk")
    out = f(lam_t=np.array([[0.1], [1.0]]), gamma_t=np.array([0.5, 2.0, 3.0]), sigma2=1.0)
    assert out.shape == (2, 3)
    assert f.parameters == ("lam_t", "gamma_t", "sigma2", "r2")
    scalar = f(lam_t=0.1, gamma_t=0.5, sigma2=1.0)
    assert np.ndim(scalar) == 0
    with pytest.raises(ParameterError, match=r"gamma_t must be in \(0, inf\).*got -1.0 at index 1"):
        f(lam_t=0.1, gamma_t=np.array([0.5, -1.0]), sigma2=1.0)
    with pytest.raises(ParameterError, match="missing parameter sigma2"):
        f(lam_t=0.1, gamma_t=0.5)
    with pytest.raises(ParameterError, match="lam_t must be finite"):
        f(lam_t=np.nan, gamma_t=0.5, sigma2=1.0)
