"""Speed targets of the command line and the verifier, as ratios measured in the same run.

Run with ``pytest tests/benchmarks --benchmark-only -s -n0`` (skipped in the normal suite); the ratios
go to ``.benchmarks/ratios.json``. Targets (issue 10):

* ``w2s eval ridge.student_risk ...`` with a warm cache at most 1.5x the time of
  ``python -c "import sympy, mpmath, numpy"``; ``w2s --help`` within 0.3 s (recorded against
  ``python -c pass`` too);
* ``w2s verify`` (defaults) on every core at most 0.5x the time it took before this work (34 s on
  one core, measured before the change; recorded here against ``--jobs 1``);
* the sampled route at 100 examples at most 3x the time of the same points evaluated by a
  hand-written mpmath formula at ``dps`` digits. "The same points" are the distinct points the
  route judged (it judges a repeated point once); the route's cost includes Hypothesis, the
  exact points, the assumption checks and its error estimate (one evaluation at ``dps + 20``
  digits plus a float64 one, and one more at ``dps`` digits for a margin near zero).
"""

import os
import subprocess
import sys
from fractions import Fraction

import mpmath

from tests.benchmarks.ratios import interleaved, record

EVAL = ["eval", "ridge.student_risk", "lam_s=0.3", "gamma_s=0.5", "lam_t=0.05", "gamma_t=0.5",
        "sigma2=1", "--dps", "40"]


def _done(benchmark, result):
    """Skipped with the other benchmarks unless ``--benchmark-only`` (the ``benchmark`` fixture)."""
    benchmark.extra_info.update(result)
    benchmark.pedantic(lambda: None, rounds=1)


def _w2s(*args):
    return lambda: subprocess.run([sys.executable, "-m", "proofs_check", *args], check=True,
                                  capture_output=True)


def _python(code):
    return lambda: subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_eval_starts_fast_with_a_warm_cache(benchmark):
    _w2s(*EVAL)()  # warm the disk cache
    result = interleaved(_w2s(*EVAL), _python("import sympy, mpmath, numpy"), runs=7)
    record("cli_eval_vs_imports", result, target="<= 1.5",
           description="w2s eval ridge.student_risk (warm cache) / import sympy, mpmath, numpy")
    _done(benchmark, result)
    assert result["ratio"] <= 1.5


def test_help_imports_nothing_heavy(benchmark):
    result = interleaved(_w2s("--help"), _python("pass"), runs=9)
    record("cli_help_vs_bare_python", result, target="<= 0.3 s absolute",
           description="w2s --help / python -c pass")
    _done(benchmark, result)
    assert result["candidate_seconds"] <= 0.3


def test_verify_uses_every_core(benchmark):
    cores = len(os.sched_getaffinity(0))
    result = interleaved(_w2s("verify", "--jobs", str(cores)), _w2s("verify", "--jobs", "1"),
                         runs=3)
    record("verify_all_cores_vs_one", result, target=f"about 1/{cores} (and <= 0.5x of 34 s)",
           description=f"w2s verify --jobs {cores} / --jobs 1")
    print(f"w2s verify on {cores} cores: {result['candidate_seconds']:.1f} s "
          f"(34 s on one core before this work: {result['candidate_seconds'] / 34:.2f}x)")
    _done(benchmark, result)


def _hand_written_margin(p, ctx):
    """``L_s - L_t`` of claim 1 written out by hand in ``kappa`` (linear.md section 2)."""
    def kappa(lam, g):
        b = lam + g - 1
        r = ctx.sqrt(b * b + 4 * lam)
        return (b + r) / 2 if b >= 0 else 2 * lam / (r - b)

    def mpf(v):
        return ctx.mpf(v.numerator) / v.denominator

    lt, ls, gt, gs, s2 = (mpf(p[k]) for k in ("lam_t", "lam_s", "gamma_t", "gamma_s", "sigma2"))
    r2 = mpf(p.get("r2", Fraction(1)))
    kt = kappa(lt, gt)
    dt = (1 + kt) ** 2 - gt
    ut, vt, wt = kt / (1 + kt), kt ** 2 / dt, 1 / dt
    a, b, lt_risk = r2 * (1 - ut), r2 * (1 - 2 * ut + vt) + s2 * gt * wt, r2 * vt + s2 * gt * wt
    ks = kappa(ls, gs)
    us, vs = ks / (1 + ks), ks ** 2 / ((1 + ks) ** 2 - gs)
    return -2 * us * (b - a) + vs * b


def test_sampled_route_overhead(benchmark):
    from proofs_check.routes import Judge, sampled
    from theory.claims import claim

    c = claim("ridge.over_regularised_teacher_never_beaten")
    seen = []
    judge_call = Judge.__call__

    def spy(self, point):
        seen.append(point)
        return judge_call(self, point)

    Judge.__call__ = spy
    try:
        sampled(c, examples=100, seed=0)
        points = list(seen)
    finally:
        Judge.__call__ = judge_call
    ctx = mpmath.MPContext()
    ctx.dps = 30
    # the hand-written formula agrees with the route's compiled margin (an independent check)
    from numerics.evaluate import Compiled

    margin = Compiled(c.margin)
    assert max(abs(margin(p, 30) - _hand_written_margin(p, ctx)) for p in points[:20]) < 1e-25
    result = interleaved(lambda: sampled(c, examples=100, seed=0),
                         lambda: [_hand_written_margin(p, ctx) for p in points], runs=9)
    record("sampled_route_vs_hand_written", result, target="<= 3",
           description=f"sampled route, 100 examples ({len(points)} points) / the same points "
                       f"by a hand-written mpmath formula")
    _done(benchmark, result)
