"""Schedules, the vectorised order quantile, and the speed of a 1e6-row input."""

import time

import numpy as np
import pytest

from numerics.checkpoints import analyse, read, schedule, synthesize
from numerics.checkpoints.statistics import nan_order_quantile
from numerics.validation import ParameterError


def test_schedules():
    pythia = schedule("pythia")
    assert len(pythia) == 154 and pythia[:11].tolist() == [0] + [2 ** i for i in range(10)]
    assert np.array_equal(pythia[11:], np.arange(1000, 143001, 1000))
    olmo = schedule("olmo-7b")
    assert len(olmo) == 563 and olmo[0] == 0 and olmo[-1] == 558000
    assert (np.diff(olmo) > 0).all() and 104750 in olmo  # an off-grid published checkpoint
    assert schedule(" 0, 4, 9 ").tolist() == [0, 4, 9]
    for bad in ("fibonacci", "1,1", "-1,2", "0,1e30", [0, 2 ** 63]):
        with pytest.raises(ParameterError, match="schedule"):
            schedule(bad)
    assert synthesize("null", seed=0, steps="olmo-7b", n_eval=20, n_seeds=1).data.K == 563


def test_negative_seed_refused_by_the_api():
    from numerics.checkpoints import CheckpointDataError

    data = synthesize("null", seed=0, n_eval=20, n_seeds=1).data
    with pytest.raises(CheckpointDataError, match="seed must be an integer >= 0; got -1"):
        analyse(data, seed=-1)
    with pytest.raises(ValueError, match="seed must be an integer >= 0; got -1"):
        synthesize("null", seed=-1)


def test_nan_order_quantile_equals_numpy():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((57, 40))
    a[rng.random(a.shape) < 0.2] = np.nan
    a[0, 3] = np.inf
    a[:, 5] = np.nan
    for method in ("lower", "higher"):
        for q in (0.05, 0.5, 0.95):
            with pytest.warns(RuntimeWarning):
                ref = np.nanquantile(a, q, axis=0, method=method)
            assert np.array_equal(nan_order_quantile(a, q, method), ref, equal_nan=True)


@pytest.mark.slow
def test_a_million_row_per_example_file_is_read_and_analysed_quickly(tmp_path):
    # 154 checkpoints x 3 seeds x 2 roles x 1100 examples (+ the weak model): 1.02e6 rows
    agg, ex = synthesize("step", seed=0, n_eval=1100).write(tmp_path / "big.csv")
    start = time.process_time()
    data = read(agg, ex)[("synthetic", "pythia-like/step")]
    result = analyse(data, B=200, detectors=False)
    assert time.process_time() - start < 30  # about 5 s of CPU here
    assert result.change["step"] == 10000
