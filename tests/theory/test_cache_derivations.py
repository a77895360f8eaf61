"""Derivations run once per machine: every ``theory.cache.once_per_machine`` function reads back
what it computed (pickles equal and structurally identical, parameters as the declared objects),
and a second process neither recomputes nor writes anything and prints the same."""

import importlib
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sympy

from theory import cache, catalogue
from theory.derivation import Derivation
from theory.symbols import Parameter, parameters


def _structure(value):
    """A text that differs whenever two values differ in structure (not only by ``==``)."""
    if isinstance(value, Derivation):
        return repr((value.name, value.title, value.statement, value.lhs,
                     [(label, sympy.srepr(e)) for label, e in value.steps],
                     sympy.srepr(value.result)))
    return sympy.srepr(value)


def _derivations():
    catalogue.load()
    importlib.import_module("theory.multi_index_claims")
    importlib.import_module("theory.single_index_claims")
    found = []
    for name in cache.theory_modules():
        module = importlib.import_module(name)
        for attr, f in sorted(vars(module).items()):
            if (callable(f) and getattr(f, "once_per_machine", False) is True
                    and f.__module__ == name):
                for args in ([(2,), (3,), (4,)] if attr == "escape_primitive" else [()]):
                    found.append(pytest.param(f, args, id=f"{name}.{attr}{args or ''}"))
    return found


DERIVATIONS = _derivations()


def test_the_import_time_derivations_are_cached():
    names = {p.id.split("(")[0] for p in DERIVATIONS}
    assert {"theory.spectral.budget_derivation", "theory.single_index.second_moment_derivation",
            "theory.single_index.escape_primitive", "theory.multi_index.step2_bound_derivation",
            "theory.single_index_claims._drifts_on_the_line",
            "theory.multi_index_claims.step_slopes"} <= names


@pytest.mark.parametrize("function, args", DERIVATIONS)
def test_a_cached_derivation_reads_back_identical(function, args):
    fresh = function.__wrapped__(*args)
    back = pickle.loads(pickle.dumps(fresh, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == fresh
    assert _structure(back) == _structure(fresh)
    assert _structure(function(*args)) == _structure(fresh)   # what this process holds (maybe read)


def test_parameters_round_trip_through_pickle_as_the_declared_objects():
    catalogue.load()
    for name, p in parameters().items():
        back = pickle.loads(pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL))
        assert back is p, name
        assert type(back) is Parameter and back.assumptions0 == p.assumptions0
    e = parameters()["spike"] ** 2 / (1 + parameters()["gamma_u"])
    assert pickle.loads(pickle.dumps(e)) == e


def test_a_parameter_unknown_to_the_process_unpickles_as_a_new_parameter():
    p = Parameter("not_declared_here", positive=True)
    back = pickle.loads(pickle.dumps(p))
    assert back == p and back.is_positive and isinstance(back, Parameter)


def test_a_derivation_is_keyed_on_its_arguments(tmp_path, monkeypatch):
    monkeypatch.setenv("W2S_CACHE_DIR", str(tmp_path))
    calls = []

    @cache.once_per_machine
    def square(k):
        calls.append(k)
        return k * k

    assert (square(3), square(4), square(3)) == (9, 16, 9)
    assert calls == [3, 4]
    square.cache_clear()                      # a new process: memory empty, the disk remembers
    assert square(3) == 9 and calls == [3, 4]
    assert len(list((tmp_path / cache.directory().name / "derivation").glob("*.pickle"))) == 2


def _without_seconds(report):
    if isinstance(report, dict):
        return {k: _without_seconds(v) for k, v in report.items() if "seconds" not in k}
    if isinstance(report, list):
        return [_without_seconds(v) for v in report]
    return report


def _entries(root: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for p in root.rglob("*.pickle"):
        out.setdefault(p.parent.name, set()).add(p.name)
    return out


SCRIPT = """
import theory.single_index
from proofs_check.cli import main
import sys
import time
sys.argv = ["w2s", "eval", "single_index.pgr_saturation", "c3=1", "b1=1/2", "b3=1", "rho_w=0.9"]
try:
    main()
except SystemExit:
    pass
"""


@pytest.mark.slow
def test_a_second_process_recomputes_nothing(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "W2S_CACHE"}
    env["W2S_CACHE_DIR"] = str(tmp_path)

    def run(*argv):
        done = subprocess.run([sys.executable, *argv], capture_output=True, text=True, env=env,
                              check=True)
        return done.stdout

    first = run("-c", SCRIPT)
    verify = ("-m", "proofs_check", "verify", "spectral.*", "--routes", "symbolic", "--jobs", "1",
              "--json")
    first_verify = run(*verify)
    cold = _entries(tmp_path)
    assert cold.get("derivation") and len(cold.get("proof", ())) == 3
    second = run("-c", SCRIPT)
    second_verify = run(*verify)
    assert _entries(tmp_path) == cold            # nothing computed, so nothing written
    assert second == first == "0.31565656565656565656565656565656565656565656565657\n"
    assert _without_seconds(json.loads(second_verify)) == _without_seconds(json.loads(first_verify))
    assert "proved" in first_verify


def _compute_slowly(directory, started):
    os.environ["W2S_CACHE_DIR"] = directory
    from theory import cache

    def compute():
        started.put(os.getpid())
        time.sleep(0.5)
        return 42

    assert cache.cached("demo", "computed once", compute) == 42


def test_processes_missing_one_entry_at_once_compute_it_once(tmp_path):
    """Three processes miss the same entry together: one computes it, two wait and read it (the
    workers of ``w2s verify --jobs N`` on an empty cache); no lock file is left behind."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    started = context.Queue()
    workers = [context.Process(target=_compute_slowly, args=(str(tmp_path), started))
               for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    computed = 0
    while not started.empty():
        started.get()
        computed += 1
    assert computed == 1
    (folder,) = tmp_path.iterdir()
    assert [p.suffix for p in (folder / "demo").iterdir()] == [".pickle"]
