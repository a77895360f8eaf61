"""The lean paths of the evaluators (issue 24): exact parsing without SymPy numbers, the printed
evaluator code kept in the disk cache, temporaries freed and powers of products shared in the
float64 code. Each is held against an independent route: ``check_params`` (the full parser),
a hand-written mpmath formula, a hand-written NumPy formula."""

import os
import subprocess
import sys
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, strategies as st

from numerics import ParameterError, check_params, evaluate, vectorize
from numerics.validation import exact_rationals, rational_spec
from theory.symbols import parameters

NAMES = ["lam_t", "gamma_t", "sigma2", "r2"]


def _spec():
    return rational_spec([parameters()[n] for n in NAMES])


def _full(values):
    """The full parser's exact values as ``(p, q)`` pairs, or ``None`` where it raises."""
    try:
        checked = check_params(values, NAMES)
    except ParameterError:
        return None
    return [(int(checked[n].p), int(checked[n].q)) for n in NAMES]


@pytest.mark.parametrize("values", [
    {"lam_t": "0.30", "gamma_t": "2.50", "sigma2": "1"},
    {"lam_t": " +.5 ", "gamma_t": "007", "sigma2": "0", "r2": "0.125"},
    {"lam_t": 0, "gamma_t": Fraction(1, 3), "sigma2": 2},
    {"lam_t": "-0", "gamma_t": "1", "sigma2": "0."},
])
def test_the_fast_parser_reads_the_same_exact_numbers_as_check_params(values):
    fast = exact_rationals(values, _spec())
    assert fast is not None and fast == _full(values)


@pytest.mark.parametrize("values", [
    {"lam_t": "-0.1", "gamma_t": "1", "sigma2": "1"},          # outside its domain
    {"lam_t": "0.1", "gamma_t": "0", "sigma2": "1"},           # open end
    {"lam_t": "0.1", "gamma_t": "1"},                          # missing, no default
    {"lam_t": "0.1", "gamma_t": "1", "sigma2": "1", "zeta": "1"},  # unknown name
    {"lam_t": "1e-3", "gamma_t": "1", "sigma2": "1"},          # not a plain decimal
    {"lam_t": "1/3", "gamma_t": "1", "sigma2": "1"},
    {"lam_t": 0.5, "gamma_t": "1", "sigma2": "1"},             # a float: the full parser
    {"lam_t": True, "gamma_t": "1", "sigma2": "1"},
    {"lam_t": "nan", "gamma_t": "1", "sigma2": "1"},
])
def test_anything_unusual_goes_to_check_params(values):
    assert exact_rationals(values, _spec()) is None


@given(st.fractions(min_value=-10**6, max_value=10**6, max_denominator=10**6),
       st.integers(0, 12))
def test_decimal_strings_read_alike_on_both_paths(value, places):
    text = f"{float(value):.{places}f}"
    values = {"lam_t": text, "gamma_t": "1", "sigma2": "1"}
    assert exact_rationals(values, _spec()) == _full(values)


def _student_risk(ctx, lam_s, gamma_s, lam_t, gamma_t, sigma2):
    """The ridge student's risk written out in ``kappa`` (derived in w2s-theory,
    docs/quantities.md), ``r2 = 1``, ``sigma2_s = 0``, at ``ctx``'s precision."""
    def kappa(lam, gamma):
        b = lam + gamma - 1
        r = ctx.sqrt(b * b + 4 * lam)
        return (b + r) / 2 if b >= 0 else 2 * lam / (r - b)

    kt, ks = kappa(lam_t, gamma_t), kappa(lam_s, gamma_s)
    dt, ds = (1 - gamma_t) + kt * (2 + kt), (1 - gamma_s) + ks * (2 + ks)
    teacher = (kt * kt + sigma2 * gamma_t) / dt
    b = sigma2 * gamma_t / dt + ((1 + kt) - gamma_t * (1 - kt)) / ((1 + kt) * dt)
    return teacher - 2 * ks / (1 + ks) * (sigma2 * gamma_t - lam_t) / dt + ks * ks / ds * b


POINT = {"lam_s": "0.3", "gamma_s": "0.5", "lam_t": "0.05", "gamma_t": "0.5", "sigma2": "1"}


def test_both_input_paths_give_the_same_digits_and_the_hand_written_value():
    ctx = mpmath.MPContext()
    ctx.dps = 80
    exact = _student_risk(ctx, *(ctx.mpf(sympy.Rational(POINT[k]).p) / sympy.Rational(POINT[k]).q
                                 for k in POINT))
    by_strings = [evaluate("ridge.student_risk", POINT, dps=40) for _ in range(3)]
    by_sympy = evaluate("ridge.student_risk", {k: sympy.Rational(v) for k, v in POINT.items()},
                        dps=40)
    assert all(v == by_sympy for v in by_strings)  # first call (ladder) and later ones alike
    assert abs(by_sympy - exact) <= abs(exact) * mpmath.mpf(10) ** -40


def test_a_bad_value_still_gets_the_full_message():
    with pytest.raises(ParameterError, match=r"gamma_t must be in \(0, inf\)"):
        evaluate("ridge.student_risk", {**POINT, "gamma_t": "-0.5"}, dps=20)
    with pytest.raises(ParameterError, match="unknown parameter zeta"):
        evaluate("ridge.student_risk", {**POINT, "zeta": "1"}, dps=20)


def test_the_printed_evaluator_is_read_back_by_a_second_process():
    """This process stores the evaluator's code in the disk cache; a second process reads it
    (with ``sympy.lambdify`` disabled) and gives the same digits, those of the hand-written
    formula."""
    from theory import cache

    if not cache.enabled():
        pytest.skip("the disk cache is off (W2S_CACHE=0)")
    ours = evaluate("ridge.student_risk", POINT, dps=45)
    assert any((cache.directory() / "evaluator").iterdir())
    code = ("import sympy\n"
            "def refuse(*a, **k):\n    raise AssertionError('printed again')\n"
            "sympy.lambdify = refuse\n"
            "from numerics import evaluate\n"
            f"print(evaluate('ridge.student_risk', {POINT!r}, dps=45))")
    theirs = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=dict(os.environ), check=True).stdout.strip()
    ctx = mpmath.MPContext()
    ctx.dps = 80
    exact = _student_risk(ctx, *(ctx.mpf(sympy.Rational(POINT[k]).p) / sympy.Rational(POINT[k]).q
                                 for k in POINT))
    assert ctx.mpf(theirs) == ctx.mpf(str(ours))
    assert abs(ctx.mpf(theirs) - exact) <= abs(exact) * ctx.mpf(10) ** -44


def _multi_index_teacher_risk(gamma_t, sigma2, ce1, ce2, ce3, ce4, ch2, ch3, ch4):
    """The multi-index teacher's risk nested by hand (derived in w2s-theory,
    docs/multi-index.md): ``rho = e1/D``, ``D = e1 + gamma_t E``."""
    e1, e2, e3, e4 = ce1 * ce1, ce2 * ce2, ce3 * ce3, ce4 * ce4
    energy = e1 + e2 + e3 + e4 + ch2 * ch2 + ch3 * ch3 + ch4 * ch4 + sigma2
    den = e1 + gamma_t * energy
    rho = e1 / den
    short = gamma_t * energy / den
    return (short * (e1 + e2 * (1 + rho) + e3 * (1 + rho * (1 + rho))
                     + e4 * (1 + rho * (1 + rho * (1 + rho))))
            + ch2 * ch2 + ch3 * ch3 + ch4 * ch4 + sigma2)


def test_shared_powers_keep_the_float64_value():
    """``ce1**4/D**2`` computed as the square of ``ce1**2/D``: the values stay within the
    documented float64 accuracy of a hand-nested formula, over a wide range."""
    rng = np.random.default_rng(np.random.SeedSequence(24))
    n = 20_000
    args = dict(gamma_t=10 ** rng.uniform(-3, 3, n), sigma2=10 ** rng.uniform(-3, 1, n),
                **{k: rng.normal(size=n) * 10 ** rng.uniform(-2, 2, n)
                   for k in ("ce1", "ce2", "ce3", "ce4", "ch2", "ch3", "ch4")})
    np.testing.assert_allclose(vectorize("multi_index.teacher_risk")(**args),
                               _multi_index_teacher_risk(**args), rtol=1e-12, atol=0)
