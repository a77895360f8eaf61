"""Sweeps: resume after a real kill, a real dask.distributed cluster, CSV export, bad input."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from numerics.sweep import SweepError, export_csv, read_rows, run_sweep

GRID = {"lam_t": [0.05], "lam_s": [0.0, 0.1, 0.3, 1.0], "gamma_t": [0.5],
        "gamma_s": [0.5, 2.0], "sigma2": [1.0]}


def _values(rows):
    return [(r["key"], r["task_seed"], r["teacher_mean"], r["student_mean"], r["student_se"])
            for r in rows]


def test_resume_adds_nothing_twice(tmp_path):
    db = tmp_path / "s.sqlite"
    first = run_sweep("ridge", {**GRID, "lam_s": [0.0, 0.1]}, d=40, reps=3, seed=0, db=db)
    second = run_sweep("ridge", GRID, d=40, reps=3, seed=0, db=db)
    assert (first.done, second.done, second.skipped) == (4, 4, 4)
    fresh = tmp_path / "fresh.sqlite"
    run_sweep("ridge", GRID, d=40, reps=3, seed=0, db=fresh, n_jobs=2)
    assert _values(read_rows(db)) == _values(read_rows(fresh))  # same numbers, any engine


def test_rows_match_theory_roughly_and_record_version(tmp_path):
    db = tmp_path / "s.sqlite"
    run_sweep("ridge", {**GRID, "lam_s": [0.3]}, d=150, reps=8, seed=1, db=db)
    for r in read_rows(db):
        assert abs(r["student_mean"] - r["student_theory"]) < 4 * r["student_se"] + 0.05
        assert r["code_version"] and json.loads(r["params"])["lam_s"] == 0.3


def test_killed_sweep_resumes_with_every_point_exactly_once(tmp_path):
    db = tmp_path / "kill.sqlite"
    exe = shutil.which("w2s")
    cmd = ([exe] if exe else [sys.executable, "-c", "from proofs_check.cli import main; main()"])
    cmd += ["sweep", "ridge", "lam_t=0.05", "lam_s=0:1:12", "gamma_t=0.5", "gamma_s=0.5,2",
            "sigma2=1", "--d", "120", "--reps", "6", "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        if db.exists() and len(read_rows(db)) >= 3:
            break
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = len(read_rows(db))
    assert 3 <= partial < 24, partial
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = read_rows(db)
    keys = [r["key"] for r in rows]
    assert len(rows) == 24 and len(set(keys)) == 24
    points = {(json.loads(r["params"])["lam_s"], json.loads(r["params"])["gamma_s"]) for r in rows}
    assert len(points) == 24


def test_dask_cluster_gives_exactly_the_local_rows(tmp_path):
    distributed = pytest.importorskip("distributed")
    local, remote = tmp_path / "local.sqlite", tmp_path / "dask.sqlite"
    run_sweep("ridge", GRID, d=40, reps=3, seed=2, db=local)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        from proofs_check.cli import run

        assert run(["sweep", "ridge", "lam_t=0.05", "lam_s=0,0.1,0.3,1", "gamma_t=0.5",
                    "gamma_s=0.5,2", "sigma2=1", "--d", "40", "--reps", "3", "--seed", "2",
                    "--db", str(remote), "--scheduler", cluster.scheduler_address]) == 0
    assert _values(read_rows(local)) == _values(read_rows(remote))


def test_export_csv(tmp_path):
    db, out = tmp_path / "s.sqlite", tmp_path / "s.csv"
    run_sweep("ridge", {**GRID, "lam_s": [0.0, 1.0]}, d=30, reps=2, seed=0, db=db)
    assert export_csv(db, out) == 4
    rows = list(csv.DictReader(open(out)))
    assert len(rows) == 4 and {"lam_s", "gamma_s", "student_mean", "student_theory"} <= set(rows[0])


@pytest.mark.parametrize("kwargs, message", [
    (dict(d=0), "d must be an integer >= 2"),
    (dict(reps=1), "reps must be an integer >= 2"),
    (dict(grid={**GRID, "zeta": [1.0]}), "unknown parameter zeta"),
    (dict(grid={**GRID, "gamma_s": [-1.0]}), "gamma_s must be in"),
    (dict(model="logistic"), "unknown model 'logistic'"),
    (dict(scheduler="tcp://127.0.0.1:9"), "cannot reach the Dask scheduler"),
])
def test_bad_input(tmp_path, kwargs, message):
    pytest.importorskip("distributed")
    args = dict(model="ridge", grid=GRID, d=20, reps=2, seed=0, db=tmp_path / "x.sqlite")
    args.update(kwargs)
    model, grid = args.pop("model"), args.pop("grid")
    with pytest.raises((SweepError, ValueError), match=message):
        run_sweep(model, grid, **args)


def test_cli_sweep_errors_exit_2(tmp_path, capsys):
    from proofs_check.cli import run

    assert run(["sweep", "ridge", "lam_s=a,b", "--d", "10", "--db", str(tmp_path / "x")]) == 2
    assert run(["sweep", "export", str(tmp_path / "none.sqlite"), "-o", str(tmp_path / "o.csv")]) == 2
    assert run(["sweep", "ridge", "lam_t=0.1", "lam_s=0", "gamma_t=0.5", "gamma_s=0.5",
                "sigma2=1", "--db", str(tmp_path / "x")]) == 2  # no --d
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("w2s: error:") == 3


def test_cli_sweep_from_toml(tmp_path, capsys):
    from proofs_check.cli import run

    config = tmp_path / "sweep.toml"
    config.write_text('model = "ridge"\nd = 30\nreps = 2\nseed = 4\n'
                      f'db = "{tmp_path / "t.sqlite"}"\n'
                      '[grid]\nlam_t = 0.05\nlam_s = "log:0.01:1:3"\ngamma_t = [0.5]\n'
                      'gamma_s = [0.5]\nsigma2 = [1.0]\n')
    assert run(["sweep", "ridge", "--config", str(config)]) == 0
    assert len(read_rows(tmp_path / "t.sqlite")) == 3
