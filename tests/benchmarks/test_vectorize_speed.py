"""``numerics.vectorize`` of one quantity per mechanism within 1.3x of hand-written NumPy.

CPU time (``time.process_time``) of interleaved pairs, ratio of the medians
(:mod:`tests.benchmarks.ratios`), and peak memory of one call under ``tracemalloc``. The
baselines are the formulas as a careful person types them (the effective regularisation by
``hypot``, each repeated denominator computed once); each is also a cross-check of the value.
Run with ``pytest tests/benchmarks --benchmark-only -s -n0``.
"""

import tracemalloc

import numpy as np
import pytest

from numerics import vectorize
from tests.benchmarks.ratios import interleaved, record
from tests.benchmarks.test_evaluate_speed import hand_written_student_risk

N = 400_000
TARGET = 1.3


def _kappa(lam, gamma):
    b = lam + gamma - 1.0
    r = np.hypot(b, 2.0 * np.sqrt(lam))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b >= 0, 0.5 * (b + r), 2.0 * lam / (r - b))


def mp_shrinkage_v(lam, gamma):
    k = _kappa(lam, gamma)
    return k * k / ((1.0 - gamma) + k * (2.0 + k))


def weighted_ridge_teacher_alignment(lam_t, gamma_t, r2, zeta):
    return np.sqrt(r2) * zeta / (1.0 + _kappa(lam_t, gamma_t))


def multi_index_teacher_risk(gamma_t, sigma2, ce1, ce2, ce3, ce4, ch2, ch3, ch4):
    e1, e2, e3, e4 = ce1 * ce1, ce2 * ce2, ce3 * ce3, ce4 * ce4
    energy = e1 + e2 + e3 + e4 + ch2 * ch2 + ch3 * ch3 + ch4 * ch4 + sigma2
    den = e1 + gamma_t * energy
    rho = e1 / den
    short = gamma_t * energy / den
    return (short * (e1 + e2 * (1 + rho) + e3 * (1 + rho * (1 + rho))
                     + e4 * (1 + rho * (1 + rho * (1 + rho))))
            + ch2 * ch2 + ch3 * ch3 + ch4 * ch4 + sigma2)


def single_index_risk(c1, c2, c3, c4, m):
    one = 1.0 - m
    m2 = m * m
    return 2.0 * one * (c1 * c1 + c2 * c2 * (1 + m) + c3 * c3 * (1 + m + m2)
                        + c4 * c4 * (1 + m) * (1 + m2))


@pytest.fixture(scope="module")
def rng():
    return np.random.default_rng(np.random.SeedSequence(24))


def _cases(rng):
    u = lambda a, b: 10 ** rng.uniform(a, b, N)  # noqa: E731
    s = lambda: rng.normal(size=N)  # noqa: E731
    return [
        ("mp.shrinkage_v", mp_shrinkage_v, dict(lam=u(-3, 3), gamma=u(-2, 2))),
        ("ridge.student_risk", hand_written_student_risk,
         dict(lam_s=u(-3, 3), gamma_s=u(-2, 2), lam_t=u(-3, 3), gamma_t=u(-2, 2),
              sigma2=rng.uniform(0, 2, N))),
        ("weighted_ridge.teacher_alignment", weighted_ridge_teacher_alignment,
         dict(lam_t=u(-3, 3), gamma_t=u(-2, 2), r2=u(-1, 1), zeta=rng.uniform(-1, 1, N))),
        ("multi_index.teacher_risk", multi_index_teacher_risk,
         dict(gamma_t=u(-2, 2), sigma2=u(-2, 0), ce1=s(), ce2=s(), ce3=s(), ce4=s(), ch2=s(),
              ch3=s(), ch4=s())),
        ("single_index.risk", single_index_risk,
         dict(c1=s(), c2=s(), c3=s(), c4=s(), m=rng.uniform(-1, 1, N))),
    ]


def _peak(f, kwargs) -> int:
    tracemalloc.start()
    try:
        f(**kwargs)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


_IDS = ["mp", "ridge", "weighted_ridge", "multi_index", "single_index"]


@pytest.mark.parametrize("index", [pytest.param(i, id=n) for i, n in enumerate(_IDS)])
def test_vectorize_within_1_3x_of_hand_written_numpy(benchmark, rng, index):
    name, hand, kwargs = _cases(rng)[index]
    f = vectorize(name)
    np.testing.assert_allclose(f(**kwargs), hand(**kwargs), rtol=1e-11, atol=0)
    result = interleaved(lambda: f(**kwargs), lambda: hand(**kwargs), runs=7,
                         clock="cpu")
    memory = _peak(f, kwargs) / _peak(hand, kwargs)
    record(f"vectorize_{name}", {**result, "memory_ratio": memory}, target=f"ratio <= {TARGET}",
           description=f"numerics.vectorize({name!r}) on {N} points vs hand-written NumPy "
                       f"(CPU time; peak memory ratio {memory:.2f})")
    benchmark.extra_info.update(result)
    benchmark.pedantic(lambda: None, rounds=1)
    assert result["ratio"] <= TARGET
    assert memory <= TARGET
