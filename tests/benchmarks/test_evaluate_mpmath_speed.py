"""``numerics.evaluate`` against a hand-written mpmath formula, as a CPU-time ratio (issue 24).

Run with ``pytest tests/benchmarks --benchmark-only -s -n0`` (skipped in the normal suite). The
baseline is the ridge student's risk typed by hand in ``kappa`` and evaluated once at ``dps``
digits in a private mpmath context, from the same decimal strings; ``evaluate`` parses them
exactly, checks them, and returns a value confirmed to ``dps`` digits (its guard digits and its
confirmation included). Target: at most 1.5x at 30 and at 50 digits, over 20 points, after one
call (a user's session compiles a quantity once).
"""

import mpmath
import numpy as np
import pytest

from numerics import evaluate
from tests.benchmarks.ratios import interleaved, record

NAMES = ("lam_s", "gamma_s", "lam_t", "gamma_t", "sigma2")


def hand_written_student_risk(p, ctx):
    """The student's risk of the ridge mechanism in ``kappa`` (derived in w2s-theory,
    docs/quantities.md), ``r2 = 1``, ``sigma2_s = 0``."""
    def kappa(lam, gamma):
        b = lam + gamma - 1
        r = ctx.sqrt(b * b + 4 * lam)
        return (b + r) / 2 if b >= 0 else 2 * lam / (r - b)

    lam_s, gamma_s, lam_t, gamma_t, sigma2 = (ctx.mpf(p[k]) for k in NAMES)
    kt, ks = kappa(lam_t, gamma_t), kappa(lam_s, gamma_s)
    dt, ds = (1 - gamma_t) + kt * (2 + kt), (1 - gamma_s) + ks * (2 + ks)
    u_s, v_s = ks / (1 + ks), ks * ks / ds
    teacher = (kt * kt + sigma2 * gamma_t) / dt
    b_minus_a = (sigma2 * gamma_t - lam_t) / dt
    b = sigma2 * gamma_t / dt + ((1 + kt) - gamma_t * (1 - kt)) / ((1 + kt) * dt)
    return teacher - 2 * u_s * b_minus_a + v_s * b


@pytest.mark.parametrize("dps", [30, 50])
def test_evaluate_against_hand_written_mpmath(benchmark, dps):
    rng = np.random.default_rng(np.random.SeedSequence(3))
    points = [{k: f"{rng.uniform(0.01, 3):.6f}" for k in NAMES} for _ in range(20)]
    ctx = mpmath.MPContext()
    ctx.dps = dps

    def ours():
        return [evaluate("ridge.student_risk", p, dps=dps) for p in points]

    def theirs():
        return [hand_written_student_risk(p, ctx) for p in points]

    for a, b in zip(ours(), theirs()):
        assert abs(a - b) <= abs(b) * mpmath.mpf(10) ** (2 - dps)
    result = interleaved(ours, theirs, runs=9)
    record(f"evaluate_vs_hand_written_mpmath_{dps}", result, target="<= 1.5",
           description=f"numerics.evaluate at {dps} digits, 20 points / a hand-written mpmath "
                       f"formula, CPU")
    benchmark.extra_info.update(result)
    benchmark.pedantic(lambda: None, rounds=1)
    assert result["ratio"] <= 1.5
