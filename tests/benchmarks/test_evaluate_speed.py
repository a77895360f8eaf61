"""Speed targets of the evaluators, as ratios against baselines measured in the same run.

Run with ``pytest tests/benchmarks --benchmark-only -s -n0`` (skipped in the normal suite); candidate
and baseline are interleaved and the ratio of the medians goes to ``.benchmarks/ratios.json``
(:mod:`tests.benchmarks.ratios`). Targets (issue 2): ``numerics.vectorize`` within 1.5x of a
hand-written NumPy formula on 10^6 points; ``numerics.evaluate`` at 50 digits at least 50x faster
than SymPy ``subs``+``evalf``.
"""

import numpy as np
import pytest
import sympy

from numerics import evaluate, vectorize
from tests.benchmarks.ratios import interleaved, record
from theory import quantity
from theory.symbols import parameters


def hand_written_student_risk(lam_s, gamma_s, lam_t, gamma_t, sigma2, r2=1.0):
    """linear.md section 3 typed by hand with the kappa forms (the baseline and a cross-check)."""
    def kappa(l, g):
        b = l + g - 1.0
        r = np.sqrt(b * b + 4.0 * l)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(b >= 0, 0.5 * (b + r), 2.0 * l / (r - b))

    kt, ks = kappa(lam_t, gamma_t), kappa(lam_s, gamma_s)
    Dt = (1.0 - gamma_t) + kt * (2.0 + kt)
    Ds = (1.0 - gamma_s) + ks * (2.0 + ks)
    u_s, v_s = ks / (1.0 + ks), ks * ks / Ds
    L_t = (r2 * kt * kt + sigma2 * gamma_t) / Dt
    B_minus_A = (sigma2 * gamma_t - r2 * lam_t) / Dt
    B = sigma2 * gamma_t / Dt + r2 * ((1.0 + kt) - gamma_t * (1.0 - kt)) / ((1.0 + kt) * Dt)
    return L_t - 2.0 * u_s * B_minus_A + v_s * B


@pytest.fixture(scope="module")
def grid():
    rng = np.random.default_rng(np.random.SeedSequence(2))
    n = 10**6
    return dict(lam_s=10 ** rng.uniform(-3, 3, n), gamma_s=10 ** rng.uniform(-2, 2, n),
                lam_t=10 ** rng.uniform(-3, 3, n), gamma_t=10 ** rng.uniform(-2, 2, n),
                sigma2=rng.uniform(0, 2, n))


def test_vectorize_against_hand_written_numpy(benchmark, grid):
    f = vectorize("ridge.student_risk")
    assert np.allclose(f(**grid), hand_written_student_risk(**grid), rtol=1e-12, atol=0)
    result = interleaved(lambda: f(**grid), lambda: hand_written_student_risk(**grid), runs=7)
    record("vectorize_student_risk_1e6", result, target="ratio <= 1.5",
           description="numerics.vectorize on 1e6 points vs hand-written NumPy")
    benchmark.extra_info.update(result)
    benchmark.pedantic(lambda: None, rounds=1)
    assert result["ratio"] <= 1.5


def test_evaluate_50_digits_against_sympy_evalf(benchmark):
    rng = np.random.default_rng(np.random.SeedSequence(3))
    points = [dict(lam_s=str(rng.uniform(0.01, 3)), gamma_s=str(rng.uniform(0.1, 3)),
                   lam_t=str(rng.uniform(0.01, 3)), gamma_t=str(rng.uniform(0.1, 3)),
                   sigma2=str(rng.uniform(0, 2)), r2="1", sigma2_s="0") for _ in range(20)]
    expr = quantity("ridge.student_risk")
    symbols = parameters()

    def by_sympy():
        return [expr.subs({symbols[k]: sympy.Rational(v) for k, v in p.items()}).evalf(50)
                for p in points]

    def by_numerics():
        return [evaluate("ridge.student_risk", p, dps=50) for p in points]

    by_numerics()  # compile once, as a user's session would
    for a, b in zip(by_sympy(), by_numerics()):
        assert abs(a - sympy.Float(b, 50)) < sympy.Float("1e-40")
    result = interleaved(by_numerics, by_sympy, runs=3)
    record("evaluate_50_digits", result, target="speed-up >= 50 (ratio <= 0.02)",
           description=f"numerics.evaluate at 50 digits vs SymPy subs+evalf, {len(points)} points")
    benchmark.extra_info.update(result)
    benchmark.pedantic(lambda: None, rounds=1)
    assert 1 / result["ratio"] >= 50
