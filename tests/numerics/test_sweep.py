"""Sweeps: resume after a real kill, a real dask.distributed cluster, CSV export, bad input,
concurrent writers, workers that end with the parent."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from numerics.sweep import SweepError, export_csv, grid_points, parse_values, read_rows, run_sweep

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
    cmd += ["sweep", "ridge", "lam_t=0.05", "lam_s=0:1:100", "gamma_t=0.5", "gamma_s=0.5,2",
            "sigma2=1", "--d", "160", "--reps", "6", "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        if db.exists() and len(read_rows(db)) >= 3:
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = len(read_rows(db))
    # 200 points: far more than can finish between two looks at the file
    assert 3 <= partial < 200, partial
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = read_rows(db)
    keys = [r["key"] for r in rows]
    assert len(rows) == 200 and len(set(keys)) == 200
    points = {(json.loads(r["params"])["lam_s"], json.loads(r["params"])["gamma_s"]) for r in rows}
    assert len(points) == 200


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
    (dict(scheduler="tcp://127.0.0.1:9"), "cannot reach a Dask scheduler"),
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


def _w2s():  # this interpreter's w2s (not another one on the PATH)
    return [sys.executable, "-c", "from proofs_check.cli import main; main()"]


def test_grid_values_are_parsed_exactly_like_every_command():
    assert [str(v) for v in parse_values("lam_s", "1/3,1e-8,0.1")] == ["1/3", "1/100000000",
                                                                       "1/10"]
    assert [str(v) for v in parse_values("lam_s", "0:1:4")] == ["0", "1/3", "2/3", "1"]
    logs = parse_values("lam_s", "log:1/100:1:5")
    assert str(logs[0]) == "1/100" and str(logs[-1]) == "1"
    assert [float(v) for v in logs] == pytest.approx([0.01, 0.01**0.75, 0.1, 0.1**0.5, 1.0],
                                                     rel=1e-15)
    points = grid_points("ridge", {"lam_t": "1/3", "lam_s": [0, "2/3", 1e-300], "gamma_t": 0.5,
                                   "gamma_s": 0.5, "sigma2": 1})
    assert [p["lam_s"] for p in points] == [0.0, 2 / 3, 1e-300] and points[0]["lam_t"] == 1 / 3
    # the same value written twice is one point
    assert len(grid_points("ridge", {**GRID, "lam_s": "0.1,1/10"})) == 2


@pytest.mark.slow
def test_concurrent_sweeps_count_each_row_once(tmp_path):
    """Three processes sweep into one file at once: the new rows they report add up to the grid."""
    db = tmp_path / "shared.sqlite"
    cmd = _w2s() + ["sweep", "ridge", "lam_t=0.05", "lam_s=0:1:6", "gamma_t=0.5", "gamma_s=0.5,2",
                    "sigma2=1", "--d", "100", "--reps", "4", "--db", str(db)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    new = [int(out.split(" new rows")[0]) for out, _ in outputs]
    assert sum(new) == 12 and len(read_rows(db)) == 12, new


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_parallel_sweep_ends_its_workers(tmp_path, sig):
    db = tmp_path / "kill.sqlite"
    # 800 points: the signal arrives while rows are still to come
    cmd = _w2s() + ["sweep", "ridge", "lam_t=0.05", "lam_s=0:1:400", "gamma_t=0.5",
                    "gamma_s=0.5,2", "sigma2=1", "--d", "200", "--reps", "20", "--db", str(db),
                    "--jobs", "2"]
    # SIGINT as a terminal's Ctrl-C delivers it: a process started in the background by a
    # non-interactive shell (a CI runner's `cmd &`) inherits SIGINT ignored, and so would the
    # command, which then finished its sweep and exited 0
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120
    while time.time() < deadline and not (db.exists() and read_rows(db)):
        time.sleep(0.2)
    children = _children(proc.pid)
    assert len(children) >= 2, children  # the workers are running
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and err.count("\n") == 1 and "interrupted" in err, err
    deadline = time.time() + 30
    while time.time() < deadline and any(_alive(c) for c in children):
        time.sleep(0.2)
    assert not [c for c in children if _alive(c)]
    assert 0 < len(read_rows(db)) < 800  # finished rows are kept


def _children(pid):
    path = f"/proc/{pid}/task/{pid}/children"
    return [int(c) for c in open(path).read().split()] if os.path.exists(path) else []


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def _foreign(path):
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("CREATE TABLE rows (a, b)")
    con.commit()
    con.close()


def _corrupt(path):
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.executemany("INSERT INTO t VALUES (?)", [("x" * 100,)] * 500)
    con.commit()
    con.close()
    data = bytearray(path.read_bytes())
    data[100:4000] = b"\xff" * 3900
    path.write_bytes(bytes(data))


POINT = ["lam_t=0.05", "lam_s=0.3", "gamma_t=0.5", "gamma_s=0.5", "sigma2=1"]
SMALL = ["--d", "20", "--reps", "2"]


def _db(tmp_path, name="x.sqlite"):
    return ["--db", str(tmp_path / name)]


def _config(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text)
    return ["--config", str(path)]


BAD = [  # (argv builder, words the one error line must contain)
    (lambda t: ["simulate", "ridge", *POINT, *SMALL, "--jobs", "0"], ["--jobs"]),
    (lambda t: ["simulate", "ridge", *POINT, *SMALL, "--jobs", "-1"], ["--jobs"]),
    (lambda t: ["simulate", "ridge", *POINT[:1], "lam_s=1e-400", *POINT[2:], *SMALL],
     ["lam_s", "underflows"]),
    (lambda t: ["simulate", "ridge", *POINT, "--d", "100000"], ["d = 100000", "W2S_MAX_MEMORY_GB"]),
    (lambda t: ["sweep", "ridge", *POINT, *SMALL, *_db(t), "--jobs", "0"], ["--jobs"]),
    (lambda t: ["sweep", "ridge", *POINT[:1], "lam_s=1e-400", *POINT[2:], *SMALL, *_db(t)],
     ["lam_s", "underflows"]),
    (lambda t: ["sweep", "ridge", *POINT[:1], "lam_s=1e400", *POINT[2:], *SMALL, *_db(t)],
     ["lam_s", "overflows"]),
    (lambda t: ["sweep", "ridge", *POINT[:1], "lam_s=0,abc", *POINT[2:], *SMALL, *_db(t)],
     ["lam_s"]),
    (lambda t: ["sweep", "ridge", *POINT[:1], "lam_s=0:1:x", *POINT[2:], *SMALL, *_db(t)],
     ["lam_s", "num"]),
    (lambda t: ["sweep", "ridge", *POINT[:1], "lam_s=log:0:1:3", *POINT[2:], *SMALL, *_db(t)],
     ["lam_s", "start > 0"]),
    (lambda t: ["sweep", "ridge", *POINT[:1], "lam_s=0:1:100000000", *POINT[2:], *SMALL,
                *_db(t)], ["lam_s", "W2S_MAX_GRID_POINTS"]),
    (lambda t: ["sweep", "ridge", "lam_t=0:1:1000", "lam_s=0:1:1000", *POINT[2:], *SMALL,
                *_db(t)], ["1000000 points", "W2S_MAX_GRID_POINTS"]),
    (lambda t: ["sweep", "ridge", *POINT, "--d", "100000", *_db(t)],
     ["d = 100000", "W2S_MAX_MEMORY_GB"]),
    (lambda t: ["sweep", "ridge", *POINT, *SMALL, "--db", str(t / "missing" / "x.sqlite")],
     ["missing", "does not exist"]),
    (lambda t: ["sweep", "ridge", *POINT, *SMALL, "--db", "/proc/w2s.sqlite"],  # read-only fs
     ["/proc/w2s.sqlite"]),
    (lambda t: (t / "text.sqlite").write_text("not a database\n") and
     ["sweep", "ridge", *POINT, *SMALL, *_db(t, "text.sqlite")], ["text.sqlite", "not a database"]),
    (lambda t: _corrupt(t / "bad.sqlite") or
     ["sweep", "ridge", *POINT, *SMALL, *_db(t, "bad.sqlite")], ["bad.sqlite", "malformed"]),
    (lambda t: _foreign(t / "other.sqlite") or
     ["sweep", "ridge", *POINT, *SMALL, *_db(t, "other.sqlite")], ["other.sqlite", "not a w2s"]),
    (lambda t: ["sweep", "ridge", *POINT, *_db(t), *_config(t, 'd = "abc"\n')], ["d must be"]),
    (lambda t: ["sweep", "ridge", *POINT, *_db(t), *_config(t, "d = 20\nreps = 1.5\n")],
     ["reps must be"]),
    (lambda t: ["sweep", "ridge", *_db(t), *_config(t, "d = 20\ndb = 3\n")], ["db must be"]),
    (lambda t: ["sweep", "ridge", *_db(t), *_config(t, "d = 20\n[grid]\nlam_s = true\n")],
     ["lam_s"]),
    (lambda t: ["sweep", "ridge", *_db(t), *_config(t, "d = 20\n[grid]\nlam_s = [[1]]\n")],
     ["lam_s"]),
    (lambda t: ["sweep", "ridge", *_db(t), *_config(t, "d = 20\n[grid]\nlam_s = 'x'\n")],
     ["lam_s"]),
    (lambda t: ["sweep", "ridge", *_db(t), *_config(t, "d = 20\ngird = 1\n")], ["gird"]),
    (lambda t: ["sweep", "ridge", *POINT, *SMALL, *_db(t), "--scheduler", "localhost"],
     ["--scheduler", "localhost"]),
    (lambda t: ["sweep", "ridge", *POINT, *SMALL, *_db(t), "--scheduler", "http://h:1"],
     ["--scheduler", "http"]),
    (lambda t: ["sweep", "ridge", *POINT, *SMALL, *_db(t), "--scheduler", "tcp://127.0.0.1:9"],
     ["scheduler", "127.0.0.1:9"]),
]


@pytest.mark.parametrize("argv, words", BAD, ids=range(len(BAD)))
def test_cli_bad_input_exits_2_with_one_line(tmp_path, capsys, argv, words):
    from proofs_check.cli import run

    code = run(argv(tmp_path))
    out, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and err.startswith("w2s: error: "), err
    assert all(w in err for w in words), err
    assert "Warning" not in err and "nan" not in out.lower()


# --- one mechanism's columns per sweep file; files of the old layout ---------------------------

_LEGACY = ("key", "model", "params", "d", "reps", "seed", "task_seed", "teacher_mean",
           "teacher_se", "student_mean", "student_se", "teacher_theory", "student_theory",
           "code_version", "seconds")
_PT_GRID = {"gamma_u": [0.5], "spike": [1.0], "eta1": [0.45], "rho_w": [0.9], "c3": [1.0],
            "b1": [0.5], "b3": [1.0], "delta": [0.005], "alpha": [1.0]}


def _legacy_file(path, model, row_values):
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("CREATE TABLE rows (%s)" % ", ".join(_LEGACY))
    con.execute("INSERT INTO rows VALUES (%s)" % ",".join("?" * len(_LEGACY)),
                ("k1", model, json.dumps({"gamma_u": 0.5}), 40, 2, 0, 7, *row_values, "0.1.0", 1.5))
    con.commit()
    con.close()


def test_each_mechanism_stores_its_own_columns(tmp_path):
    run_sweep("single_index", _PT_GRID, d=40, reps=2, seed=0, db=tmp_path / "pt.sqlite")
    (row,) = read_rows(tmp_path / "pt.sqlite")
    assert {"weak_risk", "final_risk_mean", "final_risk_se", "weak_risk_theory",
            "final_risk_theory"} <= set(row)
    assert "teacher_mean" not in row and row["weak_risk_theory"] == pytest.approx(0.792)
    # a file holds one mechanism's sweep: ridge rows cannot go into it
    with pytest.raises(SweepError, match="holds another sweep.*write the ridge sweep to another"):
        run_sweep("ridge", GRID, d=40, reps=3, seed=0, db=tmp_path / "pt.sqlite")


def test_an_old_ridge_file_opens_as_it_is(tmp_path):
    db = tmp_path / "old.sqlite"
    _legacy_file(db, "ridge", (0.7, 0.01, 0.5, 0.02, 0.71, 0.52))
    summary = run_sweep("ridge", GRID, d=40, reps=3, seed=2, db=db)
    assert summary.done == summary.total and len(read_rows(db)) == summary.total + 1


def test_an_old_single_index_file_is_refused_then_migrated(tmp_path, capsys):
    from proofs_check.cli import run

    db = tmp_path / "old-pt.sqlite"
    _legacy_file(db, "single_index", (0.79, 0.0, 0.61, 0.03, 0.792, 0.558))
    with pytest.raises(SweepError, match=r"w2s sweep migrate .*old-pt.sqlite"):
        run_sweep("single_index", _PT_GRID, d=40, reps=2, seed=0, db=db)
    assert run(["sweep", "migrate", str(db)]) == 0
    (row,) = read_rows(db)
    assert (row["weak_risk"], row["final_risk_mean"], row["final_risk_se"],
            row["weak_risk_theory"], row["final_risk_theory"]) == (0.79, 0.61, 0.03, 0.792, 0.558)
    assert row["task_seed"] == 7 and row["code_version"] == "0.1.0" and "teacher_se" not in row
    # migrated, it takes new rows of the same sweep
    assert run_sweep("single_index", _PT_GRID, d=40, reps=2, seed=0, db=db).done == 1
    assert run(["sweep", "migrate", str(db)]) == 2
    assert "not a sweep file of the old layout" in capsys.readouterr().err
