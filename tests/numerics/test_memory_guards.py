"""Every simulator refuses, before it allocates, a run that would not fit W2S_MAX_MEMORY_GB
(a MemoryError used to end ``w2s simulate multi_index/single_index`` with exit 1)."""

import re

import pytest

from numerics.simulate import SimulationError, simulate_multi_index, simulate_single_index
from proofs_check.cli import run

MI = dict(gamma_t=0.5, gamma_s=0.5, ce={1: 1.0}, ch={2: 1.0}, sigma2=0.25, eta_t=2.0, eta_s=2.0,
          theta=1.0, zeta_h=1.0, reps=2)
SI = dict(gamma_u=0.25, spike=1.0, eta1=0.45, rho_w=0.9, c3=1.0, b1=0.5, b3=1.0, steps=2, reps=2)


@pytest.mark.parametrize("simulate, kwargs, words", [
    (simulate_multi_index, dict(MI, d=60, gamma_t=1e-9), "n_t = 60000000000"),
    (simulate_multi_index, dict(MI, d=300_000), "d = 300000 (N = 300000 neurons"),
    (simulate_single_index, dict(SI, d=300_000), "d = 300000 (n_u = 1200000"),
])
def test_a_run_that_does_not_fit_is_refused_before_it_starts(simulate, kwargs, words):
    with pytest.raises(SimulationError, match=rf"{re.escape(words)}.*above the limit of 4 GB.*"
                                              r"W2S_MAX_MEMORY_GB"):
        simulate(**kwargs)


def test_the_limit_is_the_environment_variable(monkeypatch):
    simulate_single_index(d=40, **SI)  # fits the default
    monkeypatch.setenv("W2S_MAX_MEMORY_GB", "0.00001")
    with pytest.raises(SimulationError, match=r"above the limit of 1e-05 GB"):
        simulate_single_index(d=40, **SI)
    with pytest.raises(SimulationError, match=r"above the limit of 1e-05 GB"):
        simulate_multi_index(d=40, **MI)


def test_the_command_line_exits_2_with_one_line(capsys):
    code = run(["simulate", "multi_index", "ce1=1", "ch2=1", "sigma2=1/4", "gamma_t=1e-9",
                "gamma_s=1/2", "eta_t=2", "eta_s=2", "theta=1", "zeta_h=1", "--d", "60"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "W2S_MAX_MEMORY_GB" in err
