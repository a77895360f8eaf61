"""Parameter sweeps of the simulator, local (joblib) or on a ``dask.distributed`` cluster.

Each grid point is one task; its seed is derived from the run's seed and a hash of the point's
parameters (``SeedSequence(seed, spawn_key=(hash,))``), so a row's numbers depend neither on the
engine, nor on the number of workers, nor on the order tasks finish. Rows are written to an
SQLite file as they arrive, one committed transaction each, keyed by the point (a primary key):
an interrupted sweep (Ctrl-C, a killed process) resumes where it stopped, with nothing lost or
duplicated. Each row records the code version, the parameters, the simulation (means and standard
errors) and the theory's values at the point.

Examples
--------
>>> import tempfile, pathlib
>>> from numerics.sweep import run_sweep, read_rows
>>> db = pathlib.Path(tempfile.mkdtemp()) / "demo.sqlite"
>>> summary = run_sweep("ridge", {"lam_t": [0.05], "lam_s": [0.0, 0.3], "gamma_t": [0.5],
...                     "gamma_s": [0.5], "sigma2": [1.0]}, d=60, reps=3, seed=0, db=db)
>>> summary.done, summary.skipped, len(read_rows(db))
(2, 0, 2)
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

import numpy as np

from numerics.evaluate import evaluate
from numerics.simulate import simulate_ridge
from numerics.single_index import SWEEP_PARAMETERS as SINGLE_INDEX_PARAMETERS, sweep_task
from numerics.validation import check_params

__all__ = ["SweepError", "SweepSummary", "MODELS", "grid_points", "run_sweep", "read_rows",
           "export_csv", "parse_values", "code_version"]

#: Models a sweep can run, with their parameters (``single_index``: the teacher columns hold the
#: weak supervisor's risk, the student columns the final risk of online SGD from a PCA start).
MODELS = {"ridge": ("lam_t", "lam_s", "gamma_t", "gamma_s", "sigma2", "sigma2_s", "r2"),
          "single_index": SINGLE_INDEX_PARAMETERS}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rows (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    params TEXT NOT NULL,
    d INTEGER NOT NULL,
    reps INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    task_seed INTEGER NOT NULL,
    teacher_mean REAL, teacher_se REAL, student_mean REAL, student_se REAL,
    teacher_theory REAL, student_theory REAL,
    code_version TEXT NOT NULL,
    seconds REAL NOT NULL
)
"""

COLUMNS = ("key", "model", "params", "d", "reps", "seed", "task_seed", "teacher_mean",
           "teacher_se", "student_mean", "student_se", "teacher_theory", "student_theory",
           "code_version", "seconds")


class SweepError(ValueError):
    """Bad sweep input or an unreachable scheduler."""


@dataclass
class SweepSummary:
    """What a run did: tasks in the grid, rows written now, rows already present (resumed)."""

    total: int
    done: int
    skipped: int
    seconds: float


def code_version() -> str:
    """The installed version of w2s-theory (recorded in every row)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("w2s-theory")
    except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        return "unknown"


def parse_values(name: str, text: str) -> list[float]:
    """Grid values from ``a,b,c``, ``start:stop:num`` (linear) or ``log:start:stop:num``.

    Examples
    --------
    >>> from numerics.sweep import parse_values
    >>> parse_values("lam_s", "0,0.5,1"), parse_values("lam_s", "0:1:3")
    ([0.0, 0.5, 1.0], [0.0, 0.5, 1.0])
    >>> parse_values("lam_s", "log:0.01:1:3")
    [0.01, 0.1, 1.0]
    """
    try:
        if text.startswith("log:"):
            a, b, n = text[4:].split(":")
            return [float(v) for v in np.geomspace(float(a), float(b), int(n))]
        if ":" in text:
            a, b, n = text.split(":")
            return [float(v) for v in np.linspace(float(a), float(b), int(n))]
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise SweepError(f"{name}: expected a,b,c or start:stop:num or log:start:stop:num; "
                         f"got {text!r}") from None


def grid_points(model: str, grid: dict[str, Iterable[float]]) -> list[dict[str, float]]:
    """Every point of the grid (checked against the model's parameters and their domains)."""
    if model not in MODELS:
        raise SweepError(f"unknown model {model!r}; known: {', '.join(MODELS)}")
    names = [n for n in MODELS[model] if n in grid]
    unknown = set(grid) - set(MODELS[model])
    if unknown:
        raise SweepError(f"unknown parameter {', '.join(sorted(unknown))} for {model}; "
                         f"expected {', '.join(MODELS[model])}")
    values = [list(grid[n]) for n in names]
    if any(len(v) == 0 for v in values):
        raise SweepError("every swept parameter needs at least one value")
    points = [dict(zip(names, combo)) for combo in itertools.product(*values)]
    for p in points:
        check_params(p, list(MODELS[model]))  # one clear error for a bad value
    return points


def _key(model, point, d, reps, seed) -> str:
    return json.dumps({"model": model, "params": point, "d": d, "reps": reps, "seed": seed},
                      sort_keys=True)


def _task_seed(seed: int, point: dict) -> int:
    digest = hashlib.sha256(json.dumps(point, sort_keys=True).encode()).digest()
    spawn = int.from_bytes(digest[:4], "big")
    return int(np.random.SeedSequence(seed, spawn_key=(spawn,)).generate_state(1)[0])


def _run_task(model, point, d, reps, task_seed):
    """One grid point (runs on a worker): the simulation and the theory at the point."""
    if model == "single_index":
        return sweep_task(point, d, reps, task_seed)
    start = time.perf_counter()
    full = {**{"sigma2_s": 0.0, "r2": 1.0}, **point}
    sim = simulate_ridge(d=d, reps=reps, seed=task_seed, **full)
    teacher = float(evaluate("ridge.teacher_risk", {k: full[k] for k in
                                                     ("lam_t", "gamma_t", "sigma2", "r2")}))
    student = float(evaluate("ridge.student_risk", full))
    return (float(sim.teacher_mean[0]), float(sim.teacher_se[0]), float(sim.student_mean[0, 0]),
            float(sim.student_se[0, 0]), teacher, student, time.perf_counter() - start)


def _connect(db: Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(db), timeout=30)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(_SCHEMA)
    return con


def run_sweep(model: str, grid: dict[str, Iterable[float]], *, d: int, reps: int, seed: int,
              db: Path, n_jobs: int = 1, scheduler: Optional[str] = None,
              progress: Optional[Callable[[int, int], None]] = None) -> SweepSummary:
    """Run (or resume) a sweep, writing each row to ``db`` as it arrives.

    Parameters
    ----------
    model : str
        ``"ridge"``.
    grid : dict
        Values of each parameter (a single value fixes it).
    d, reps, seed : int
        Dimension, repetitions per point (>= 2), seed of the run.
    db : pathlib.Path
        SQLite file (created if needed).
    n_jobs : int
        Local worker processes (joblib), when no scheduler is given.
    scheduler : str, optional
        Address of a ``dask.distributed`` scheduler (``tcp://host:port``).
    progress : callable, optional
        Called as ``progress(done, total)`` after each row.

    Returns
    -------
    SweepSummary
    """
    for name, value, minimum in (("d", d, 2), ("reps", reps, 2), ("seed", seed, 0),
                                 ("jobs", n_jobs, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise SweepError(f"{name} must be an integer >= {minimum}; got {value!r}")
    start = time.perf_counter()
    points = grid_points(model, grid)
    con = _connect(Path(db))
    have = {k for (k,) in con.execute("SELECT key FROM rows")}
    todo = [(p, _key(model, p, d, reps, seed)) for p in points]
    todo = [(p, k) for p, k in todo if k not in have]
    skipped = len(points) - len(todo)
    done = 0
    version = code_version()

    def write(point, key, result):
        nonlocal done
        con.execute("INSERT OR IGNORE INTO rows VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (key, model, json.dumps(point, sort_keys=True), d, reps, seed,
                     _task_seed(seed, point), *result[:6], version, result[6]))
        con.commit()
        done += 1
        if progress:
            progress(skipped + done, len(points))

    if progress:
        progress(skipped, len(points))
    try:
        if scheduler is None:
            _run_local(model, todo, d, reps, seed, n_jobs, write)
        else:
            _run_dask(model, todo, d, reps, seed, scheduler, write)
    finally:
        con.close()
    return SweepSummary(len(points), done, skipped, time.perf_counter() - start)


def _run_local(model, todo, d, reps, seed, n_jobs, write):
    if n_jobs == 1:
        for point, key in todo:
            write(point, key, _run_task(model, point, d, reps, _task_seed(seed, point)))
        return
    from joblib import Parallel, delayed

    results = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_indexed)(i, model, point, d, reps, _task_seed(seed, point))
        for i, (point, _) in enumerate(todo))
    for i, result in results:
        write(todo[i][0], todo[i][1], result)


def _indexed(i, *args):
    return i, _run_task(*args)


def _run_dask(model, todo, d, reps, seed, scheduler, write):
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - dask is an optional dependency
        raise SweepError("--scheduler needs dask.distributed: pip install 'w2s-theory[dask]'") from None
    try:
        client = Client(scheduler, timeout="5s")
    except (OSError, TimeoutError) as error:
        raise SweepError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    try:
        futures = {client.submit(_run_task, model, point, d, reps, _task_seed(seed, point),
                                 pure=False): (point, key) for point, key in todo}
        for future in as_completed(futures):
            point, key = futures[future]
            write(point, key, future.result())
    finally:
        client.close()


def read_rows(db: Path) -> list[dict]:
    """Every row of a sweep file, sorted by key.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from numerics.sweep import read_rows
    >>> read_rows(pathlib.Path(tempfile.mkdtemp()) / "empty.sqlite")
    []
    """
    con = _connect(Path(db))
    try:
        rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM rows ORDER BY key").fetchall()
    finally:
        con.close()
    return [dict(zip(COLUMNS, r)) for r in rows]


def export_csv(db: Path, out: Path) -> int:
    """Write the rows of ``db`` as CSV (parameters as columns); return the number of rows."""
    if not Path(db).exists():
        raise SweepError(f"no sweep file at {db}")
    rows = read_rows(db)
    names = sorted({k for r in rows for k in json.loads(r["params"])})
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["model", "d", "reps", "seed", *names, "teacher_mean", "teacher_se",
                    "student_mean", "student_se", "teacher_theory", "student_theory",
                    "code_version"])
        for r in rows:
            p = json.loads(r["params"])
            w.writerow([r["model"], r["d"], r["reps"], r["seed"], *(p.get(n, "") for n in names),
                        r["teacher_mean"], r["teacher_se"], r["student_mean"], r["student_se"],
                        r["teacher_theory"], r["student_theory"], r["code_version"]])
    return len(rows)
