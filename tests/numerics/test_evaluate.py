"""The evaluators: stability of float64, agreement with SymPy's evalf, precision discipline."""

import itertools
import threading

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from numerics import MAX_DPS, ParameterError, evaluate, vectorize
from theory import quantity
from theory.registry import get, names
from theory.symbols import parameters

# --- float64 against 50 digits over the whole domain, for every quantity ---------------------

NEAR_ONE = [1 - 1e-8, 1 - 1e-12, 1.0, 1 + 1e-12, 1 + 1e-8]
#: dense grids for quantities of one (lam, gamma) pair; coarse ones where pairs multiply
LAM_DENSE = np.concatenate([[0.0, 1e-300, 1e-100, 1e-30], np.logspace(-12, 6, 37),
                            [1e12, 1e100, 1e300, 1.7e308]])
GAMMA_DENSE = np.concatenate([np.logspace(-8, 8, 33), NEAR_ONE, [0.999, 1.001]])
LAM_COARSE = [0.0, 1e-300, 1e-12, 1e-3, 1.0, 1e6, 1e300]
GAMMA_COARSE = [1e-8, 1e-2, 1 - 1e-12, 1.0, 1 + 1e-12, 2.0, 1e8]
SIDE = {"sigma2": [0.0, 1.0], "sigma2_s": [0.0, 0.1], "r2": [1.0, 0.01], "zeta": [-1.0, 0.5, 1.0],
        "s": [0.0, 1.0, 1e8], "x": [0.0, 1e-3, 0.5, 0.9, 1.0, 3.0, 1e3]}
TINY = np.finfo(float).tiny


def _grid(names):
    """The (lam, gamma) parameters in full product, the others cycled through their values."""
    pairs = [n for n in names if n.startswith(("lam", "gamma"))]
    dense = len(pairs) <= 2
    axes = [(LAM_DENSE if dense else LAM_COARSE) if n.startswith("lam")
            else (GAMMA_DENSE if dense else GAMMA_COARSE) for n in pairs]
    side = [n for n in names if n not in pairs]
    core = list(itertools.product(*axes))
    combos = list(itertools.product(*(SIDE[n] for n in side)))
    if len(core) * len(combos) <= 6000:
        points = [c + o for c in core for o in combos]
    else:
        points = [c + combos[i % len(combos)] for i, c in enumerate(core)]
    order = pairs + side
    return [{n: p[order.index(n)] for n in names} for p in points]


def _reference(name, point):
    """50-digit value, or None where the quantity has no finite real value."""
    try:
        value = evaluate(name, point, dps=50)
    except ParameterError:
        return None
    if hasattr(value, "_mpc_"):
        return None if value.imag != 0 else float(value.real)
    return float(value)


#: every quantity of the Marchenko-Pastur family (the sweep's axes are its lam and gamma; the
#: quantities of mechanism 3 and seed 003 have their own float64 tests)
SWEPT = [n for n in names() if n.startswith(("mp.", "ridge.", "weighted_ridge."))
         and n not in ("mp.stieltjes", "mp.stieltjes_derivative")]


@pytest.mark.parametrize("name", SWEPT)
def test_float64_matches_50_digits_everywhere(name):
    """lam from 0 to the float64 maximum, gamma from 1e-8 to 1e8 and within 1e-12 of 1."""
    params = [p.name for p in get(name).parameters]
    points = _grid(params)
    exact = [_reference(name, p) for p in points]
    good = [p for p, e in zip(points, exact) if e is not None]
    ref = np.array([e for e in exact if e is not None])
    fast = vectorize(name)(**{n: np.array([p[n] for p in good]) for n in params})
    error = np.abs(fast - ref) / np.maximum(np.abs(ref), TINY)
    assert np.all(np.isfinite(fast))
    assert error.max() <= 1e-10, (error.max(), good[int(error.argmax())])
    # where 50 digits give no finite real value, float64 raises instead of returning one
    for p in [p for p, e in zip(points, exact) if e is None][:40]:
        with pytest.raises(ParameterError, match=r"is not (finite|real) at|is defined only where"):
            vectorize(name)(**p)


def test_sweep_covers_lam_zero_and_gamma_near_one():
    grid = _grid(["lam_t", "lam_s", "gamma_t", "gamma_s", "sigma2", "sigma2_s", "r2"])
    assert {"lam_t": 0.0, "gamma_t": 1 - 1e-12, "lam_s": 1e6} in [
        {k: p[k] for k in ("lam_t", "gamma_t", "lam_s")} for p in grid]
    for g in ("gamma_t", "gamma_s"):
        assert {1 - 1e-12, 1 + 1e-12, 1.0} <= {p[g] for p in grid}


def test_float64_stieltjes_on_and_off_axis():
    z = np.array([-1e-8, -0.5, -1e6, 25.0, 1 + 1j, -3 - 2j, 0.5j, -1e300, 1e300 + 1j])
    for g in (0.25, 3.0, 1 - 1e-12):
        for name in ("mp.stieltjes", "mp.stieltjes_derivative"):
            fast = vectorize(name)(z=z, gamma=g)
            exact = np.array([complex(evaluate(name, z=complex(v), gamma=g)) for v in z])
            scale = np.maximum(np.abs(exact), TINY)
            assert np.max(np.abs(fast - exact) / scale) < 1e-10


def test_float64_stieltjes_on_the_real_axis_is_real_and_accurate():
    for g in (0.25, 3.0, 1 + 1e-12):
        z = np.array([-1e300, -1e3, -1.0, -1e-12, 12.0, 1e5, 1e300])
        if g < 1:
            z = np.append(z, [0.0, 0.1])
        for name in ("mp.stieltjes", "mp.stieltjes_derivative"):
            fast = vectorize(name)(z=z, gamma=g)
            assert fast.dtype == np.float64
            exact = np.array([float(evaluate(name, z=v, gamma=g)) for v in z])
            scale = np.maximum(np.abs(exact), TINY)
            assert np.max(np.abs(fast - exact) / scale) < 1e-10


# --- an independent reference: the textbook (cancelling) formulas from the MP radical -------

def _radical_functionals(ctx, lam, gamma):
    """(u, v, w) from the radical m(-lam) (Hastie et al.'s ridgeless values at lam = 0)."""
    lam, gamma = ctx.mpf(lam), ctx.mpf(gamma)
    if lam == 0:
        if gamma < 1:
            return ctx.mpf(0), ctx.mpf(0), 1 / (1 - gamma)
        return 1 - 1 / gamma, 1 - 1 / gamma, 1 / (gamma * (gamma - 1))
    c = 1 - gamma + lam
    m = (-c + ctx.sqrt(c * c + 4 * gamma * lam)) / (2 * gamma * lam)
    mp_ = m * (1 + gamma * m) / (c + 2 * gamma * lam * m)
    return lam * m, lam**2 * mp_, m - lam * mp_


def _textbook(lam_t, gamma_t, lam_s, gamma_s, sigma2=1, sigma2_s=0, r2=1, zeta=0, s=0, dps=800):
    """Teacher, overlaps and students in the papers' forms, mpmath at ``dps`` digits."""
    ctx = mpmath.MPContext()
    ctx.dps = dps
    sigma2, sigma2_s, r2, zeta, s = map(ctx.mpf, (sigma2, sigma2_s, r2, zeta, s))
    ut, vt, wt = _radical_functionals(ctx, lam_t, gamma_t)
    us, vs, ws = _radical_functionals(ctx, lam_s, gamma_s)
    L = r2 * vt + sigma2 * gamma_t * wt
    A, B = r2 * (1 - ut), r2 * (1 - 2 * ut + vt) + sigma2 * gamma_t * wt
    student = L - 2 * us * (B - A) + vs * B + sigma2_s * gamma_s * ws
    c, t = s / (1 + s), zeta * ctx.sqrt(r2) * (1 - ut)
    delta = -c * t * (1 - us) / (1 - c * us)
    weighted = (L - 2 * us * ((B - A) + delta * (t - zeta * ctx.sqrt(r2)))
                + vs * (B + 2 * delta * t + delta**2))
    return {"ridge.teacher_risk": L, "ridge.overlap_A": A, "ridge.overlap_B": B,
            "ridge.student_risk": student, "weighted_ridge.student_risk": weighted}


INDEPENDENT_POINTS = [
    # the point: ridgeless teacher 1e-12 below gamma_t = 1, a strongly shrinking student
    dict(lam_t=0.0, gamma_t=1 - 1e-12, lam_s=1e6, gamma_s=0.5),
    dict(lam_t=0.0, gamma_t=1 + 1e-12, lam_s=1e6, gamma_s=2.0),
    dict(lam_t=0.0, gamma_t=1 - 1e-12, lam_s=0.0, gamma_s=3.0),
    # a good teacher: r2 - 2A + B cancels here
    dict(lam_t=0.0, gamma_t=1e-4, lam_s=1e-8, gamma_s=1e-4, sigma2=0.0),
    dict(lam_t=1e-29, gamma_t=1.0, lam_s=1e-29, gamma_s=1.0, sigma2=0.0),
    dict(lam_t=1e-300, gamma_t=1.0, lam_s=0.5, gamma_s=1 + 1e-12, sigma2=0.0),
    dict(lam_t=1e-20, gamma_t=1 + 1e-12, lam_s=1e-20, gamma_s=1 - 1e-12, sigma2_s=0.1),
    # the weighted student cancelled by 5e3 relative here
    dict(lam_t=1e-12, gamma_t=1e-8, lam_s=1e-3, gamma_s=1e-8, sigma2=0.0, zeta=1.0, s=1e8),
    dict(lam_t=1e-3, gamma_t=1e-8, lam_s=0.0, gamma_s=1e8, sigma2=0.0, zeta=0.5, s=1e8),
]


@pytest.mark.parametrize("point", INDEPENDENT_POINTS)
def test_float64_matches_textbook_formulas_at_800_digits(point):
    point = {"sigma2": 1.0, "sigma2_s": 0.0, "r2": 1.0, "zeta": 0.0, "s": 0.0, **point}
    exact = _textbook(**point)
    for name, value in exact.items():
        params = [p.name for p in get(name).parameters]
        fast = vectorize(name)(**{k: v for k, v in point.items() if k in params})
        assert abs(fast - value) <= 1e-13 * abs(value), (name, float(fast), float(value))


def test_fifty_digits_keep_kappa_next_to_one():
    """Regression: 1 - 2u + v at gamma = 1, lam = 1e-300 evaluated to 0 (not 1) even at 50 digits,
    its numerator summed as ((gamma kappa - gamma) + kappa) + 1 with kappa = 1e-150."""
    assert abs(evaluate("ridge.overlap_B", lam_t=1e-300, gamma_t=1, sigma2=0) - 1) < 1e-140
    assert vectorize("ridge.overlap_B")(lam_t=1e-300, gamma_t=1.0, sigma2=0.0) == 1.0


@pytest.mark.parametrize("lam", [1e154, 1.34e154, 1e200, 1e300, np.finfo(float).max])
@pytest.mark.parametrize("gamma", [1e-8, 1.0, 1e8])
def test_kappa_does_not_overflow(lam, gamma):
    """Regression: b^2 overflowed for lam >= 1.34e154, giving inf."""
    with mpmath.workdps(40):
        b = mpmath.mpf(gamma) - 1 + mpmath.mpf(lam)
        exact = (b + mpmath.sqrt(b * b + 4 * mpmath.mpf(lam))) / 2
        fast = vectorize("mp.kappa")(lam=lam, gamma=gamma)
        assert abs(fast - exact) <= 1e-15 * exact


def test_values_that_overflow_inside_float64_are_recomputed():
    """kappa^2 and kappa D overflow for lam > 1e103 while the quantities are representable."""
    lam = np.array([1e103, 1e150, 1e200])
    B = vectorize("ridge.overlap_B")(lam_t=lam, gamma_t=2.0, sigma2=1.0)
    exact = np.array([float(_textbook(v, 2.0, 1.0, 1.0)["ridge.overlap_B"]) for v in lam])
    assert np.all(np.abs(B - exact) <= 1e-14 * exact)
    assert vectorize("ridge.teacher_bias")(lam_t=1e300, gamma_t=1.0) == pytest.approx(1, rel=1e-15)


def test_vectorize_never_returns_nan_where_the_value_is_infinite():
    """Regression: the ridgeless teacher at gamma_t = 1 came back as NaN."""
    f = vectorize("ridge.teacher_risk")
    with pytest.raises(ParameterError, match=r"ridge.teacher_risk is not finite at lam_t=0.0, "
                       r"gamma_t=1.0, sigma2=1.0, r2=1.0 \(element 2\)"):
        f(lam_t=np.array([0.1, 0.0, 0.0]), gamma_t=np.array([1.0, 0.5, 1.0]), sigma2=1.0)
    from theory.symbols import gamma_s, r2, sigma2_s
    import sympy
    with pytest.raises(ParameterError, match="is not real at"):  # an expression has no validity
        vectorize(sympy.sqrt(1 - 1 / gamma_s))(gamma_s=0.5)
    with pytest.raises(ParameterError, match="defined only where gamma_s > 1"):  # a quantity's
        vectorize("weighted_ridge.weak_alignment_bound")(gamma_t=1.0, gamma_s=0.5, sigma2=1.0,
                                                         s=1.0)
    assert vectorize(gamma_s * r2**2 / (1 + r2))(gamma_s=np.array([1.0, 2.0]), r2=1e200).tolist() \
        == [1e200, 2e200]  # r2^2 overflows: recomputed
    square = vectorize(gamma_s * r2**2)
    with pytest.raises(ParameterError, match=r"is 1.0e\+400, beyond the float64 range"):
        square(gamma_s=np.array([1.0, 2.0]), r2=1e200)
    with pytest.raises(ParameterError, match="not finite at gamma_s=1.0, sigma2_s=0.0"):
        vectorize(gamma_s / sigma2_s)(gamma_s=1.0)  # a Python-float default divides by zero


def test_vectorize_rejects_z_on_the_support_like_evaluate():
    """Regression: vectorize("mp.stieltjes") accepted z on the support."""
    f = vectorize("mp.stieltjes")
    with pytest.raises(ParameterError, match=r"z must lie off the support.*got 1.0 at index 1"):
        f(z=np.array([-1.0, 1.0]), gamma=0.5)
    with pytest.raises(ParameterError, match="z must lie off the support"):
        f(z=0.0, gamma=2.0)
    a = (1 - 0.5**0.5) ** 2  # the float edges decide exactly as the rational check does
    for z in (a, np.nextafter(a, 0), np.nextafter(a, 1), 1 + 1e-300j):
        try:
            evaluate("mp.stieltjes", z=complex(z) if isinstance(z, complex) else z, gamma=0.5)
            scalar_ok = True
        except ParameterError:
            scalar_ok = False
        try:
            f(z=z, gamma=0.5)
            vector_ok = True
        except ParameterError:
            vector_ok = False
        assert scalar_ok == vector_ok, z


def test_definition_forms_equal_the_textbook_forms():
    """The non-cancelling definitions are the papers' formulas (SymPy)."""
    from theory.ridge import (overlap_A, overlap_B, student_risk, student_risk_from_overlaps,
                              teacher_risk)
    from theory.symbols import gamma_s, lam_s, sigma2_s
    from theory.weighted_ridge import _student_risk_nonnegative_terms, student_risk_weighted
    textbook = student_risk_from_overlaps(teacher_risk, overlap_A, overlap_B, lam_s, gamma_s,
                                          sigma2_s)
    assert sympy.expand(student_risk - textbook) == 0
    assert sympy.expand(quantity("ridge.student_risk") - textbook) == 0
    weighted = sympy.cancel(sympy.together(_student_risk_nonnegative_terms()
                                           - student_risk_weighted()))
    assert weighted == 0
    assert quantity("weighted_ridge.student_risk") == _student_risk_nonnegative_terms()


def _sympy_evalf(name, values, digits):
    """SymPy's own evalf of the compact form (radicals), an independent route from numerics."""
    expr = quantity(name)
    symbols = parameters()
    subs = {symbols[k]: sympy.Rational(v) for k, v in values.items()}
    return expr.xreplace(subs).evalf(digits)


@settings(max_examples=12)  # SymPy's evalf is the slow side: about 0.6 s a point
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


def test_a_recomputed_point_is_evaluated_at_the_exact_float64_inputs():
    """vectorize recomputes with evaluate the points where float64 raises (here ``q = 1`` and
    ``m = rho_w``, where GD has converged: a division by zero in float64); the float64 inputs
    are passed on as the exact binary fractions they are (not through SymPy's parsing of NumPy
    scalars, which was two thirds of the recomputation's cost), and the value is the same."""
    import sys
    from fractions import Fraction

    from numerics.validation import exact_scalar

    assert exact_scalar(np.float64(0.1)) == Fraction(0.1) != Fraction(1, 10)
    assert exact_scalar(np.int64(3)) == 3 and exact_scalar(np.float64("nan")) != 0
    point = {"rho_w": 0.8627803303276282, "c1": 0.8967237126938836, "c2": 0.5264340282152966,
             "c3": 0.4858983916299922, "c4": 1.0986333984002963, "b1": 0.45882811318910327,
             "b2": 0.6108945757844074, "b3": 0.20903411495937, "b4": 1.1867679691605861,
             "m": 0.8627803303276282, "eta": 0.07521395458481085}
    recomputed = []
    module = sys.modules["numerics.evaluate"]
    original = module._recompute

    def spy(*args):
        recomputed.append(args[4])
        return original(*args)

    module._recompute = spy
    try:
        got = vectorize("single_index.gd_next_m")(q=np.array([0.5, 1.0]), **point)
    finally:
        module._recompute = original
    assert recomputed == [1]
    for q, value in zip((0.5, 1.0), got):
        exact = evaluate("single_index.gd_next_m",
                         {k: Fraction(v) for k, v in {**point, "q": q}.items()}, dps=30)
        assert value == pytest.approx(float(exact), rel=1e-13)
