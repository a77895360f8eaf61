"""Cost of the certified route, as a ratio against the sampled route in the same run.

Run with ``pytest tests/benchmarks/test_certified_speed.py --benchmark-only -s -n0``. Reports boxes
per second of branch and bound (on the Dobriban-Wager margin taken directly, without its
reduction: it vanishes inside the box and keeps splitting) and the time to certify claim 1 against the sampled route's time for 100 examples.
"""

from proofs_check.certified import certify
from proofs_check.routes import sampled
from tests.benchmarks.ratios import interleaved, record
from theory.claims import claim

CLAIM_1 = "ridge.over_regularised_teacher_never_beaten"


def test_certify_claim_1_against_sampled_100(benchmark):
    c = claim(CLAIM_1)
    timing = interleaved(lambda: certify(c), lambda: sampled(c, examples=100, seed=0), runs=5)
    result = certify(c)
    record("certify_claim_1_vs_sampled_100", timing, target="< 1",
           description=f"certify claim 1 ({result.boxes} boxes, {result.evaluations} interval "
                       f"evaluations) / the sampled route at 100 examples")
    benchmark.extra_info.update(timing)
    benchmark.pedantic(lambda: None, rounds=1)
    assert result.status == "certified"
    assert timing["ratio"] < 1


def test_boxes_per_second(benchmark):
    c = claim("ridge.dobriban_wager_optimal_ridge").replace(id="mine.dw")
    result = benchmark.pedantic(certify, args=(c,), kwargs={"boxes": 200, "seconds": 60},
                                rounds=1, iterations=1)
    rate = result.evaluations / result.seconds
    print(f"\n{result.evaluations} interval evaluations in {result.seconds:.2f} s: "
          f"{rate:.0f} evaluations/s, {200 / result.seconds:.1f} boxes split/s")
    assert rate > 100
