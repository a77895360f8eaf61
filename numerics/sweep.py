"""Parameter sweeps of the simulator, local (joblib) or on a ``dask.distributed`` cluster.

Each grid point is one task; its seed is derived from the run's seed and a hash of the point's
parameters (``SeedSequence(seed, spawn_key=(hash,))``), so a row's numbers depend neither on the
engine, nor on the number of workers, nor on the order tasks finish. Rows are written to an
SQLite file as they arrive, one committed transaction each, keyed by the point (a primary key):
an interrupted sweep (Ctrl-C, a killed process) resumes where it stopped, with nothing lost or
duplicated. Several processes may write one file at once: a row counts as new only for the process
that inserted it. Each row records the code version, the parameters, the simulation (means and
standard errors) and the theory's values at the point, in the columns the mechanism's sweep task
declares (:class:`numerics.sweeps.SweepTask`); a sweep file holds one mechanism's sweep.

Values are parsed exactly by :func:`numerics.validation.parse_value` (the parser of every command:
``1/3``, ``1e-8``) and checked against the parameter's domain, then converted to float64 at the
simulator's boundary; a value that is not zero but underflows to 0.0, or overflows, is refused.
A grid of more than ``W2S_MAX_GRID_POINTS`` points (default 100000) is refused before anything
runs, and so is a run whose arrays exceed ``W2S_MAX_MEMORY_GB``
(see the simulators). SQLite, configuration and scheduler problems raise
:class:`SweepError` with one clear message.

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
import math
import os
import sqlite3
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

import numpy as np

from numerics.simulate import SimulationError
from numerics.simulate.common import die_with_parent, interruptible, to_float64
from numerics.sweeps import SweepTask
from numerics.validation import ParameterError, check_params, parse_value

__all__ = ["SweepError", "SweepSummary", "GRID_LIMIT_VARIABLE", "grid_points", "models",
           "task", "run_sweep", "run_points", "read_rows", "export_csv", "migrate", "parse_values",
           "read_config", "code_version"]

#: Environment variable that raises (or lowers) the number of grid points a sweep may have.
GRID_LIMIT_VARIABLE = "W2S_MAX_GRID_POINTS"
_DEFAULT_GRID_LIMIT = 100_000

#: The engine's own columns of every row (the mechanism's result columns follow them).
KEY_COLUMNS = ("key", "model", "params", "d", "reps", "seed", "task_seed")
TAIL_COLUMNS = ("code_version", "seconds")
_TYPES = {"key": "TEXT PRIMARY KEY", "model": "TEXT NOT NULL", "params": "TEXT NOT NULL",
          "d": "INTEGER NOT NULL", "reps": "INTEGER NOT NULL", "seed": "INTEGER NOT NULL",
          "task_seed": "INTEGER NOT NULL", "code_version": "TEXT NOT NULL",
          "seconds": "REAL NOT NULL"}
#: The columns of every sweep file written before sweeps had per-mechanism columns.
LEGACY_COLUMNS = ("key", "model", "params", "d", "reps", "seed", "task_seed", "teacher_mean",
                  "teacher_se", "student_mean", "student_se", "teacher_theory",
                  "student_theory", "code_version", "seconds")


class SweepError(ValueError):
    """Bad sweep input, an unusable sweep file or an unreachable scheduler."""


@dataclass
class SweepSummary:
    """What a run did: points in the grid, rows this process wrote, rows written by an earlier
    run or by another process meanwhile (``skipped = total - done``)."""

    total: int
    done: int
    skipped: int
    seconds: float


def code_version() -> str:
    """The version of w2s-theory (recorded in every row)."""
    from theory import __version__

    return __version__


def grid_limit() -> int:
    """The largest number of grid points a sweep may have (``W2S_MAX_GRID_POINTS``, default
    100000)."""
    text = os.environ.get(GRID_LIMIT_VARIABLE, "").strip()
    if not text:
        return _DEFAULT_GRID_LIMIT
    if not text.isdigit() or int(text) < 1:
        raise SweepError(f"{GRID_LIMIT_VARIABLE} must be a positive integer; got {text!r}")
    return int(text)


def _exact(name: str, raw):
    try:
        return parse_value(name, raw)
    except ParameterError as error:
        raise SweepError(str(error)) from None


def _count(name: str, text: str) -> int:
    text = text.strip()
    if not text.isdigit() or int(text) < 1:
        raise SweepError(f"{name}: the number of points in start:stop:num must be an integer "
                         f">= 1; got {text!r}")
    n, limit = int(text), grid_limit()
    if n > limit:
        raise SweepError(f"{name}: {n} points is more than the limit of {limit} grid points; "
                         f"raise it with {GRID_LIMIT_VARIABLE}=N")
    return n


def parse_values(name: str, text: str) -> list:
    """Exact grid values from ``a,b,c``, ``start:stop:num`` (linear) or ``log:start:stop:num``.

    Every value goes through :func:`numerics.validation.parse_value`, the parser of every
    command (``1/3`` and ``1e-8`` are exact); a linear grid is exact too, the interior of a
    logarithmic grid is computed in float64.

    Examples
    --------
    >>> from numerics.sweep import parse_values
    >>> [float(v) for v in parse_values("lam_s", "0,1/4,1")]
    [0.0, 0.25, 1.0]
    >>> [str(v) for v in parse_values("lam_s", "0:1:4")]
    ['0', '1/3', '2/3', '1']
    >>> [float(v) for v in parse_values("lam_s", "log:0.01:1:3")]
    [0.01, 0.1, 1.0]
    >>> parse_values("lam_s", "0:1:x")
    Traceback (most recent call last):
    ...
    numerics.sweep.SweepError: lam_s: the number of points in start:stop:num must be an integer >= 1; got 'x'
    """
    if not isinstance(text, str):
        raise SweepError(f"{name}: expected a string of values; got {text!r}")
    parts = text.split(":")
    if parts[0].strip() == "log":
        if len(parts) != 4:
            raise SweepError(f"{name}: expected log:start:stop:num; got {text!r}")
        a, b, n = _exact(name, parts[1]), _exact(name, parts[2]), _count(name, parts[3])
        if not (_positive(a) and _positive(b)):
            raise SweepError(f"{name}: log:start:stop:num needs start > 0 and stop > 0; "
                             f"got {text!r}")
        if n == 1:
            return [a]
        inner = np.geomspace(_float(name, a), _float(name, b), n)[1:-1]
        return [a, *(_exact(name, float(v)) for v in inner), b]
    if len(parts) == 3:
        a, b, n = _exact(name, parts[0]), _exact(name, parts[1]), _count(name, parts[2])
        return [a] if n == 1 else [a + (b - a) * i / (n - 1) for i in range(n)]
    if len(parts) != 1:
        raise SweepError(f"{name}: expected a,b,c or start:stop:num or log:start:stop:num; "
                         f"got {text!r}")
    return [_exact(name, v) for v in text.split(",")]


def _positive(value) -> bool:
    try:
        return bool(value > 0)
    except TypeError:  # a complex number
        return False


def _grid_entry(name: str, value) -> list:
    """Values of one parameter as given in a TOML ``[grid]`` table or by a Python caller."""
    if isinstance(value, str):
        return parse_values(name, value)
    items = list(value) if isinstance(value, (list, tuple, np.ndarray)) else [value]
    if not items or any(isinstance(v, (bool, list, tuple, dict)) for v in items):
        raise SweepError(f"{name}: expected a number, a string of values or a list of numbers; "
                         f"got {value!r}")
    return [_exact(name, v) for v in items]


def _float(name: str, value) -> float:
    try:
        return to_float64(name, value)
    except SimulationError as error:
        raise SweepError(str(error)) from None


def models() -> dict[str, SweepTask]:
    """The mechanisms that have a sweep, with their tasks (from the catalogue).

    Examples
    --------
    >>> from numerics.sweep import models
    >>> list(models())
    ['ridge', 'single_index']
    """
    from theory.catalogue import catalogue

    return {name: m.facet("sweep") for name, m in catalogue().items() if m.sweep is not None}


def task(model: str) -> SweepTask:
    """The sweep task of the mechanism ``model``.

    Examples
    --------
    >>> from numerics.sweep import task
    >>> task("ridge").parameters[:2]
    ('lam_t', 'lam_s')
    >>> task("mp")
    Traceback (most recent call last):
    ...
    numerics.sweep.SweepError: unknown model 'mp'; known: ridge, single_index
    """
    from theory.catalogue import catalogue

    m = catalogue().get(model)
    if m is None or m.sweep is None:
        known = [name for name, m in catalogue().items() if m.sweep is not None]
        raise SweepError(f"unknown model {model!r}; known: {', '.join(known)}")
    return m.facet("sweep")


def grid_points(model: str, grid: dict[str, Iterable]) -> list[dict[str, float]]:
    """Every point of the grid, in float64 (each value parsed exactly and checked against the
    model's parameters and their domains first).

    Examples
    --------
    >>> from numerics.sweep import grid_points
    >>> grid_points("ridge", {"lam_t": "1/10", "lam_s": [0, "1/3"], "gamma_t": 0.5,
    ...                       "gamma_s": 0.5, "sigma2": 1})
    [{'lam_t': 0.1, 'lam_s': 0.0, 'gamma_t': 0.5, 'gamma_s': 0.5, 'sigma2': 1.0}, {'lam_t': 0.1, 'lam_s': 0.333..., 'gamma_t': 0.5, 'gamma_s': 0.5, 'sigma2': 1.0}]
    """
    parameters = task(model).parameters
    unknown = set(grid) - set(parameters)
    if unknown:
        raise SweepError(f"unknown parameter {', '.join(sorted(unknown))} for {model}; "
                         f"expected {', '.join(parameters)}")
    names = [n for n in parameters if n in grid]
    exact = {n: _grid_entry(n, grid[n]) for n in names}
    size, limit = math.prod(len(v) for v in exact.values()), grid_limit()
    if size > limit:
        raise SweepError(f"the grid has {size} points, more than the limit of {limit}; sweep "
                         f"fewer values or raise the limit with {GRID_LIMIT_VARIABLE}=N")
    values = {}
    for n in names:
        floats = []
        for v in exact[n]:
            try:
                checked = check_params({n: v}, [n])[n]  # the parameter's domain
            except ParameterError as error:
                raise SweepError(str(error)) from None
            x = _float(n, checked)
            if x not in floats:
                floats.append(x)
        values[n] = floats
    try:  # missing parameters (those with a default take it later)
        check_params({n: exact[n][0] for n in names}, list(parameters))
    except ParameterError as error:
        raise SweepError(str(error)) from None
    return [dict(zip(names, combo)) for combo in itertools.product(*values.values())]


def read_config(path: Path, model: str) -> tuple[dict, dict]:
    """Settings (``d``, ``reps``, ``seed``, ``db``) and grid of a TOML sweep file, type-checked.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from numerics.sweep import read_config
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.toml"
    >>> _ = path.write_text('model = "ridge"\\nd = 30\\n[grid]\\nlam_s = "0,1/2"\\nsigma2 = 1\\n')
    >>> read_config(path, "ridge")
    ({'d': 30}, {'lam_s': '0,1/2', 'sigma2': 1})
    >>> _ = path.write_text('d = "abc"\\n')
    >>> read_config(path, "ridge")
    Traceback (most recent call last):
    ...
    numerics.sweep.SweepError: ...s.toml: d must be an integer; got 'abc'
    """
    import tomllib

    try:
        data = tomllib.loads(Path(path).read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise SweepError(f"{path}: {error}") from None
    known = {"model", "d", "reps", "seed", "db", "grid"}
    unknown = set(data) - known
    if unknown:
        raise SweepError(f"{path}: unknown key {', '.join(sorted(unknown))}; expected "
                         f"{', '.join(sorted(known))}")
    if "model" in data and data["model"] != model:
        raise SweepError(f"{path} is for model {data['model']!r}, not {model!r}")
    settings = {}
    for key in ("d", "reps", "seed"):
        if key in data:
            if isinstance(data[key], bool) or not isinstance(data[key], int):
                raise SweepError(f"{path}: {key} must be an integer; got {data[key]!r}")
            settings[key] = data[key]
    if "db" in data:
        if not isinstance(data["db"], str) or not data["db"]:
            raise SweepError(f"{path}: db must be a file name (a string); got {data['db']!r}")
        settings["db"] = data["db"]
    grid = data.get("grid", {})
    if not isinstance(grid, dict):
        raise SweepError(f"{path}: grid must be a table ([grid]); got {grid!r}")
    for name, value in grid.items():
        if not isinstance(value, (int, float, str, list)) or isinstance(value, bool):
            raise SweepError(f"{path}: grid.{name} must be a number, a string of values or a "
                             f"list of numbers; got {value!r}")
    return settings, dict(grid)


def _key(model, point, d, reps, seed) -> str:
    return json.dumps({"model": model, "params": point, "d": d, "reps": reps, "seed": seed},
                      sort_keys=True)


def _task_seed(seed: int, point: dict) -> int:
    digest = hashlib.sha256(json.dumps(point, sort_keys=True).encode()).digest()
    spawn = int.from_bytes(digest[:4], "big")
    return int(np.random.SeedSequence(seed, spawn_key=(spawn,)).generate_state(1)[0])


def _run_task(run, point, d, reps, task_seed, parent=None):
    """One grid point (runs on a worker): the task's columns and the seconds it took. A local
    worker ends with the sweep process ``parent`` that started it."""
    if parent is not None:
        die_with_parent(parent)
    start = time.perf_counter()
    result = run(point, d, reps, task_seed)
    return result, time.perf_counter() - start


def _columns(con) -> tuple[str, ...]:
    return tuple(row[1] for row in con.execute("PRAGMA table_info(rows)"))


def _open(db: Path) -> sqlite3.Connection:
    if not db.parent.is_dir():
        raise SweepError(f"cannot create the sweep file {db}: the directory {db.parent} does "
                         f"not exist")
    try:
        con = sqlite3.connect(str(db), timeout=30)
    except sqlite3.Error as error:
        raise _db_error(db, error) from None
    return con


def _connect(db: Path, model: str | None = None,
             results: tuple[str, ...] | None = None) -> sqlite3.Connection:
    """Open (or, given ``model``, create) a sweep file; any SQLite problem or a file of another
    shape becomes one :class:`SweepError`. ``results`` are the result columns (default: those
    of the model's sweep task)."""
    con = _open(db)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        columns = _columns(con)
        if model is not None:
            wanted = (*KEY_COLUMNS, *(results if results is not None else task(model).columns),
                      *TAIL_COLUMNS)
            if not columns:
                con.execute("CREATE TABLE IF NOT EXISTS rows (%s)" % ", ".join(
                    f"{c} {_TYPES.get(c, 'REAL')}" for c in wanted))
                columns = _columns(con)
            if columns != wanted:
                con.close()
                raise SweepError(_shape_error(db, model, columns, results))
        elif columns and (columns[:len(KEY_COLUMNS)] != KEY_COLUMNS
                          or columns[-2:] != TAIL_COLUMNS):
            con.close()
            raise SweepError(f"{db} is not a w2s sweep file: its table 'rows' has the columns "
                             f"{', '.join(columns) or '(none)'}")
    except sqlite3.Error as error:
        con.close()
        raise _db_error(db, error) from None
    return con


def _shape_error(db: Path, model: str, columns: tuple[str, ...], results=None) -> str:
    """Why a sweep file cannot take rows of ``model``, and what to do."""
    if columns[:len(KEY_COLUMNS)] != KEY_COLUMNS or columns[-2:] != TAIL_COLUMNS:
        return (f"{db} is not a w2s sweep file: its table 'rows' has the columns "
                f"{', '.join(columns)}")
    if columns == LEGACY_COLUMNS and model in models() and task(model).legacy:
        return (f"{db} was written before sweeps had per-mechanism columns; convert it with "
                f"`w2s sweep migrate {db}` (numerics.sweep.migrate)")
    held = ", ".join(columns[len(KEY_COLUMNS):-2])
    return (f"{db} holds another sweep (result columns {held}); write the {model} sweep to "
            f"another file (--db)")


def _db_error(db: Path, error: sqlite3.Error) -> SweepError:
    return SweepError(f"cannot use the sweep file {db}: {error}")


def run_sweep(model: str, grid: dict[str, Iterable], *, d: int, reps: int, seed: int,
              db: Path, n_jobs: int = 1, scheduler: Optional[str] = None,
              progress: Optional[Callable[[int, int], None]] = None) -> SweepSummary:
    """Run (or resume) a sweep, writing each row to ``db`` as it arrives.

    Parameters
    ----------
    model : str
        ``"ridge"``.
    grid : dict
        Values of each parameter: a number, a string (``a,b,c``, ``start:stop:num``,
        ``log:start:stop:num``) or a list; a single value fixes the parameter.
    d, reps, seed : int
        Dimension, repetitions per point (>= 2), seed of the run.
    db : pathlib.Path
        SQLite file (created if needed).
    n_jobs : int
        Local worker processes (joblib, one BLAS thread each), when no scheduler is given.
    scheduler : str, optional
        Address of a ``dask.distributed`` scheduler (``tcp://host:port``).
    progress : callable, optional
        Called as ``progress(finished, total)`` after each point.

    Returns
    -------
    SweepSummary
        ``done`` counts the rows this process inserted: when several processes sweep into one
        file at once, every row is counted once over all of them.
    """
    for name, value, minimum in (("d", d, 2), ("reps", reps, 2), ("seed", seed, 0),
                                 ("jobs", n_jobs, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise SweepError(f"{name} must be an integer >= {minimum}; got {value!r}")
    start = time.perf_counter()
    points = grid_points(model, grid)
    sweep = task(model)
    if sweep.check_cost is not None:
        try:
            sweep.check_cost(points, d, n_jobs if scheduler is None else 1)
        except SimulationError as error:
            raise SweepError(str(error)) from None
    return run_points(model, sweep, points, d=d, reps=reps, seed=seed, db=db, n_jobs=n_jobs,
                      scheduler=scheduler, progress=progress, start=start)


def run_points(model: str, sweep: SweepTask, points: list[dict], *, d: int, reps: int,
               seed: int, db: Path, n_jobs: int = 1, scheduler: Optional[str] = None,
               progress: Optional[Callable[[int, int], None]] = None,
               start: Optional[float] = None) -> SweepSummary:
    """Run (or resume) the task ``sweep`` at ``points`` (float64 values by name, already
    checked), writing each row to ``db`` under the name ``model`` as it arrives.

    The engine of :func:`run_sweep`, also used by :mod:`numerics.boundary` (whose tasks are not a
    mechanism's sweep): the same keys, seeds, store, local workers and Dask scheduling.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from numerics.sweep import run_points, read_rows
    >>> from numerics.sweeps import SweepTask
    >>> from numerics.sweeps.ridge import run
    >>> db = pathlib.Path(tempfile.mkdtemp()) / "p.sqlite"
    >>> point = {"lam_t": 0.05, "lam_s": 0.3, "gamma_t": 0.5, "gamma_s": 0.5, "sigma2": 1.0}
    >>> task = SweepTask(tuple(point), ("teacher_mean", "teacher_se", "student_mean",
    ...                  "student_se", "teacher_theory", "student_theory"), run)
    >>> run_points("ridge-demo", task, [point], d=40, reps=2, seed=0, db=db).done
    1
    >>> run_points("ridge-demo", task, [point], d=40, reps=2, seed=0, db=db).skipped
    1
    """
    start = time.perf_counter() if start is None else start
    if scheduler is not None:
        _check_scheduler(scheduler)  # before the sweep file is made
    db = Path(db)
    created = not db.exists()
    con = _connect(db, model, sweep.columns)
    done = finished = 0
    version = code_version()
    insert = "INSERT OR IGNORE INTO rows VALUES (%s)" % ",".join(
        "?" * (len(KEY_COLUMNS) + len(sweep.columns) + len(TAIL_COLUMNS)))

    def write(point, key, outcome):
        nonlocal done, finished
        result, seconds = outcome
        cursor = con.execute(insert, (key, model, json.dumps(point, sort_keys=True), d, reps,
                                      seed, _task_seed(seed, point),
                                      *(float(result[c]) for c in sweep.columns), version,
                                      seconds))
        con.commit()
        done += cursor.rowcount == 1  # 0 when another process wrote the row meanwhile
        finished += 1
        if progress:
            progress(finished, len(points))

    try:
        with interruptible():
            have = {k for (k,) in con.execute("SELECT key FROM rows")}
            todo = [(p, _key(model, p, d, reps, seed)) for p in points]
            todo = [(p, k) for p, k in todo if k not in have]
            finished = len(points) - len(todo)
            if progress:
                progress(finished, len(points))
            if scheduler is None:
                _run_local(sweep.run, todo, d, reps, seed, n_jobs, write)
            else:
                _run_dask(sweep.run, todo, d, reps, seed, scheduler, write)
    except sqlite3.Error as error:
        _forget(con, db, created)
        raise _db_error(db, error) from None
    except BaseException:
        _forget(con, db, created)
        raise
    finally:
        con.close()
    return SweepSummary(len(points), done, len(points) - done, time.perf_counter() - start)


def _forget(con, db: Path, created: bool) -> None:
    """Remove the sweep file this run created if the run failed before its first row (a failed
    start leaves nothing behind); a file that holds rows, or was there before, is kept."""
    if not created:
        return
    try:
        rows = con.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
    except sqlite3.Error:
        rows = 0
    if rows:
        return
    con.close()
    for path in (db, *(db.with_name(db.name + tail) for tail in ("-journal", "-wal", "-shm"))):
        path.unlink(missing_ok=True)


def _run_local(run, todo, d, reps, seed, n_jobs, write):
    if n_jobs == 1:
        for point, key in todo:
            write(point, key, _run_task(run, point, d, reps, _task_seed(seed, point)))
        return
    from joblib import Parallel, delayed

    # an exception or Ctrl-C (SIGTERM too, see run_sweep) while iterating makes joblib kill
    # its workers, so none outlives the sweep
    results = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_indexed)(i, run, point, d, reps, _task_seed(seed, point), os.getpid())
        for i, (point, _) in enumerate(todo))
    # closing the generator early (an interrupt) makes joblib warn that it cancelled the
    # pending tasks; the command line already says so in its one line, so the warning is dropped
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*adjusting the input task iterator",
                                category=UserWarning)
        try:
            for i, result in results:
                write(todo[i][0], todo[i][1], result)
        finally:
            results.close()


def _indexed(i, *args):
    return i, _run_task(*args)


def _check_scheduler(address: str) -> None:
    """Refuse a malformed or unreachable scheduler address before a client is made."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        host, port = parse_host_port(location)
    except (ValueError, TypeError) as error:
        raise SweepError(f"--scheduler {address!r} is not a scheduler address "
                         f"(tcp://host:port): {error}") from None
    if scheme not in ("tcp", "tls", "ws", "wss"):
        raise SweepError(f"--scheduler {address!r}: unknown scheme {scheme!r}; expected "
                         f"tcp://host:port (or tls, ws, wss)")
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as error:
        raise SweepError(f"--scheduler {address}: cannot reach a Dask scheduler there: "
                         f"{error.strerror or error}") from None


def _run_dask(run, todo, d, reps, seed, scheduler, write):
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - dask is an optional dependency
        raise SweepError("--scheduler needs dask.distributed: pip install 'w2s-theory[dask]'") from None
    _check_scheduler(scheduler)
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as error:
        raise SweepError(f"--scheduler {scheduler}: cannot reach a Dask scheduler there: "
                         f"{error}") from None
    except Exception as error:  # a peer that is not a Dask scheduler: garbage in the handshake
        # (a ValueError, or a MemoryError for a frame length read from foreign bytes)
        raise SweepError(f"--scheduler {scheduler} is not a Dask scheduler (the handshake "
                         f"failed: {type(error).__name__})") from None
    try:
        futures = {client.submit(_run_task, run, point, d, reps, _task_seed(seed, point),
                                 pure=False): (point, key) for point, key in todo}
        for future in as_completed(futures):
            point, key = futures[future]
            write(point, key, future.result())
    finally:
        client.close()


def read_rows(db: Path) -> list[dict]:
    """Every row of a sweep file, sorted by key (a missing file reads as no rows).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from numerics.sweep import read_rows
    >>> read_rows(pathlib.Path(tempfile.mkdtemp()) / "empty.sqlite")
    []
    """
    db = Path(db)
    if not db.exists():
        return []
    con = _connect(db)
    try:
        columns = _columns(con)
        if not columns:  # created, but stopped before its first row
            return []
        rows = con.execute(f"SELECT {', '.join(columns)} FROM rows ORDER BY key").fetchall()
    except sqlite3.Error as error:
        raise _db_error(db, error) from None
    finally:
        con.close()
    return [dict(zip(columns, r)) for r in rows]


def export_csv(db: Path, out: Path) -> int:
    """Write the rows of ``db`` as CSV (parameters as columns, then the mechanism's result
    columns); return the number of rows."""
    if not Path(db).exists():
        raise SweepError(f"no sweep file at {db}")
    rows = read_rows(db)
    con = _connect(Path(db))
    try:
        results = _columns(con)[len(KEY_COLUMNS):-len(TAIL_COLUMNS)] if rows else ()
    finally:
        con.close()
    names = sorted({k for r in rows for k in json.loads(r["params"])})
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["model", "d", "reps", "seed", *names, *results, "code_version"])
        for r in rows:
            p = json.loads(r["params"])
            w.writerow([r["model"], r["d"], r["reps"], r["seed"], *(p.get(n, "") for n in names),
                        *(r[c] for c in results), r["code_version"]])
    return len(rows)


def migrate(db: Path) -> str:
    """Convert a sweep file written before sweeps had per-mechanism columns; return its model.

    A file of ridge rows already has the ridge sweep's columns and is left as it is. A file of
    another mechanism's rows gets that mechanism's columns, by the ``legacy`` mapping of its
    sweep task (:class:`numerics.sweeps.SweepTask`), in one transaction.

    Raises
    ------
    SweepError
        For a file that is not an old sweep file, or holds rows of several models.

    Examples
    --------
    >>> import sqlite3, tempfile, pathlib
    >>> from numerics.sweep import migrate, read_rows, LEGACY_COLUMNS
    >>> db = pathlib.Path(tempfile.mkdtemp()) / "old.sqlite"
    >>> con = sqlite3.connect(db)
    >>> _ = con.execute("CREATE TABLE rows (%s)" % ", ".join(LEGACY_COLUMNS))
    >>> _ = con.execute("INSERT INTO rows VALUES ('k', 'single_index', '{}', 40, 2, 0, 1, "
    ...                 "0.79, 0.0, 0.6, 0.01, 0.792, 0.56, '0.1.0', 1.0)")
    >>> con.commit(); con.close()
    >>> migrate(db)
    'single_index'
    >>> read_rows(db)[0]["final_risk_mean"]
    0.6
    """
    db = Path(db)
    if not db.exists():
        raise SweepError(f"no sweep file at {db}")
    con = _open(db)
    try:
        columns = _columns(con)
        held = [m for (m,) in con.execute("SELECT DISTINCT model FROM rows")] if columns else []
        if columns != LEGACY_COLUMNS:
            raise SweepError(f"{db} is not a sweep file of the old layout (nothing to migrate)")
        if len(held) != 1:
            raise SweepError(f"{db} holds rows of {len(held)} models ({', '.join(held)}); "
                             f"migrate needs a file of one model")
        model = held[0]
        sweep = task(model)
        if not sweep.legacy:
            return model  # the old columns are this mechanism's own (ridge)
        new = (*KEY_COLUMNS, *sweep.columns, *TAIL_COLUMNS)
        source = {new_name: old for old, new_name in sweep.legacy.items() if new_name}
        selected = [source.get(c, c) for c in new]
        with con:
            con.execute("ALTER TABLE rows RENAME TO rows_old")
            con.execute("CREATE TABLE rows (%s)" % ", ".join(
                f"{c} {_TYPES.get(c, 'REAL')}" for c in new))
            con.execute(f"INSERT INTO rows SELECT {', '.join(selected)} FROM rows_old")
            con.execute("DROP TABLE rows_old")
        return model
    except sqlite3.Error as error:
        raise _db_error(db, error) from None
    finally:
        con.close()
