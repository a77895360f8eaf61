"""Reading EleutherAI lm-evaluation-harness result files: one JSON file per checkpoint.

Both layouts are read: the older one (``results: {task: {acc, acc_stderr, acc_norm, ...}}``,
``versions``, ``config``) and the 0.4 one (``"acc,none"``, ``"acc_stderr,none"``, ``n-samples``,
``configs``, ``versions``, ``config``). A checkpoint's step comes from the model revision in
``config.model_args`` (``revision=stepN``) or, failing that, from ``stepN`` in the file name (both
present and different is an error). The number of evaluation examples comes from ``n-samples``
(``effective``) or, failing that, is recovered from an accuracy and its standard error: the
harness reports the sample standard error ``se = sqrt(p (1 - p) / (n - 1))``, so
``n = p (1 - p) / se^2 + 1`` (accepted only when it is an integer to 1e-6 and every checkpoint
agrees).

:func:`read_results` reads the files of one role (a directory, a glob or one file);
:func:`assemble` aligns the roles on their steps into :class:`CheckpointData` for one task and
metric. Invalid input raises :class:`CheckpointDataError` naming the file and the field.

Examples
--------
>>> from pathlib import Path
>>> from numerics.checkpoints.harness import read_results
>>> run = read_results(Path("tests/data/pythia/v0/pythia-160m"))
>>> run.K, run.steps[:4].tolist(), run.n_eval("piqa")
(27, [0, 1, 2, 4], (1838, 'stderr'))
>>> round(float(run.score("piqa", "acc")[run.index(3000)]), 6)
0.593036
"""

from __future__ import annotations

import glob
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from numerics.checkpoints.reading import MAX_SCORE, ROLES, CheckpointData, CheckpointDataError
from numerics.checkpoints.schedules import INT64_MAX

__all__ = ["HarnessRun", "read_results", "assemble", "ROLE_OPTIONS"]

#: The roles a user maps to runs (``probe`` is optional).
ROLE_OPTIONS = ROLES + ("probe",)

_STEP_IN_NAME = re.compile(r"step[-_]?(\d+)")


@dataclass(frozen=True)
class HarnessRun:
    """The result files of one role, ordered by step.

    Attributes
    ----------
    source : str
        The directory, glob or file given.
    files : tuple of pathlib.Path
        One file per checkpoint, in step order.
    steps : numpy.ndarray
        The steps (int64), in file order (increasing unless steps repeat).
    layouts : tuple of str
        ``"0.4"`` or ``"older"`` per file.
    results : tuple of dict
        Per file: task -> {metric: value} (metrics without the ``,filter`` suffix when the
        filter is ``none``); standard errors are kept as ``<metric>_stderr``.
    n_samples : tuple of dict
        Per file: task -> number of examples from ``n-samples`` (empty for the older layout).
    model : str
        ``pretrained=`` of the first file's ``model_args`` (empty if absent).
    """

    source: str
    files: tuple
    steps: np.ndarray
    layouts: tuple
    results: tuple
    n_samples: tuple
    model: str

    @property
    def K(self) -> int:
        """Number of files (checkpoints)."""
        return len(self.files)

    def index(self, step: int) -> int:
        """Position of ``step`` (the first file with it)."""
        hits = np.flatnonzero(self.steps == step)
        if not len(hits):
            raise CheckpointDataError(f"{self.source}: no result file for step {step}")
        return int(hits[0])

    def tasks(self) -> list:
        """Tasks present in every file, sorted."""
        common = set(self.results[0])
        for r in self.results[1:]:
            common &= set(r)
        return sorted(common)

    def score(self, task: str, metric: str) -> np.ndarray:
        """``metric`` of ``task`` per file, shape ``(K,)``; a missing or non-finite value is an
        error naming the file."""
        out = np.empty(self.K)
        for k, (path, res) in enumerate(zip(self.files, self.results)):
            if task not in res:
                raise CheckpointDataError(f"{path}: no task {task!r} in 'results' (tasks: "
                                          f"{', '.join(sorted(res)[:8])})")
            if metric not in res[task]:
                raise CheckpointDataError(
                    f"{path}: task {task!r} has no metric {metric!r} (metrics: "
                    f"{', '.join(m for m in res[task] if not m.endswith('_stderr'))})")
            out[k] = _finite(res[task][metric], path, f"results.{task}.{metric}")
        return out

    def stderr(self, task: str, metric: str) -> np.ndarray:
        """The reported standard error of ``metric`` per file (NaN where absent or 'N/A')."""
        out = np.full(self.K, np.nan)
        for k, res in enumerate(self.results):
            value = res.get(task, {}).get(f"{metric}_stderr")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out[k] = value
        return out

    def n_eval(self, task: str) -> tuple:
        """``(n, source)``: the number of examples of ``task`` from ``n-samples`` (source
        ``"n-samples"``), else recovered from the accuracy's standard error (``"stderr"``), else
        ``(None, None)``. Files that disagree are an error naming both."""
        found = [(n.get(task), path) for n, path in zip(self.n_samples, self.files)]
        found = [(v, p) for v, p in found if v is not None]
        if found:
            return _agree(found, task, "n-samples"), "n-samples"
        recovered = []
        for path, res in zip(self.files, self.results):
            n = _n_from_stderr(res.get(task, {}))
            if n is not None:
                recovered.append((n, path))
        if recovered:
            return _agree(recovered, task, "recovered from acc_stderr"), "stderr"
        return None, None

    def fingerprints(self) -> np.ndarray:
        """Every number of every task common to all files, shape ``(K, m)`` (the identical-
        weights check compares consecutive rows)."""
        keys = [(t, m) for t in self.tasks() for m in sorted(self.results[0][t])
                if all(isinstance(r[t].get(m), (int, float)) for r in self.results)]
        return np.array([[float(r[t][m]) for t, m in keys] for r in self.results]).reshape(
            self.K, len(keys))


def _finite(value, path, where):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CheckpointDataError(f"{path}: {where} is {value!r}, not a number")
    if not math.isfinite(value):
        raise CheckpointDataError(f"{path}: {where} is {value!r}, not finite")
    if abs(value) > MAX_SCORE:
        raise CheckpointDataError(f"{path}: {where} is {value!r}, beyond +-{MAX_SCORE:g}, where "
                                  f"differences and bootstrap sums lose all precision or "
                                  f"overflow; rescale the scores")
    return float(value)


def _agree(found, task, what):
    values = sorted({v for v, _ in found})
    if len(values) > 1:
        a = next(p for v, p in found if v == values[0])
        b = next(p for v, p in found if v == values[1])
        raise CheckpointDataError(f"{b}: task {task!r} has {values[1]} examples ({what}), "
                                  f"{a} has {values[0]}")
    return values[0]


def _n_from_stderr(metrics: dict):
    p, se = metrics.get("acc"), metrics.get("acc_stderr")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (p, se)):
        return None
    if not (0 < p < 1 and se > 0 and math.isfinite(se)):
        return None
    n = p * (1 - p) / (se * se) + 1
    if not n < 1e12 or abs(n - round(n)) > 1e-6 * n:
        return None
    n = round(n)
    return n if abs(p * n - round(p * n)) <= 1e-6 * n else None


def _model_args(config) -> dict:
    args = config.get("model_args") if isinstance(config, dict) else None
    if isinstance(args, dict):
        return {str(k): str(v) for k, v in args.items()}
    if isinstance(args, str):
        out = {}
        for part in args.split(","):
            key, sep, value = part.partition("=")
            if sep:
                out[key.strip()] = value.strip()
        return out
    return {}


def _step(path: Path, args: dict) -> int:
    from_config = from_name = None
    revision = args.get("revision", "")
    if revision:
        m = re.fullmatch(r"step[-_]?(\d+)(?:-tokens\w+)?", revision)
        if m is None:
            raise CheckpointDataError(f"{path}: config.model_args revision {revision!r} is not "
                                      f"'stepN'")
        from_config = m.group(1)
    names = _STEP_IN_NAME.findall(path.name)
    if names:
        from_name = names[-1]
    text = from_config if from_config is not None else from_name
    if text is None:
        raise CheckpointDataError(f"{path}: no step: neither config.model_args revision=stepN nor "
                                  f"'stepN' in the file name")
    step = int(text)
    if step > INT64_MAX:
        raise CheckpointDataError(f"{path}: step {text} is beyond 2**63 - 1")
    if from_config is not None and from_name is not None and int(from_name) != step:
        raise CheckpointDataError(f"{path}: the file name says step {int(from_name)}, "
                                  f"config.model_args revision says step {step}")
    return step


def _parse(path: Path):
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CheckpointDataError(f"{path}: not a UTF-8 text file") from None
    except json.JSONDecodeError as error:
        raise CheckpointDataError(f"{path}, line {error.lineno}, column {error.colno}: not JSON "
                                  f"({error.msg})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), dict):
        raise CheckpointDataError(f"{path}: no 'results' object (not an lm-evaluation-harness "
                                  f"result file)")
    results, layout = {}, "older"
    for task, metrics in doc["results"].items():
        if not isinstance(metrics, dict):
            raise CheckpointDataError(f"{path}: results.{task} is not an object")
        out = {}
        for key, value in metrics.items():
            if key == "alias":
                continue
            name, sep, filt = key.partition(",")
            if sep:
                layout = "0.4"
                if filt != "none":
                    name = f"{name},{filt}"
            if name.endswith("_stderr,none"):
                name = name[:-len(",none")]
            if name.endswith(f"_stderr,{filt}") and filt != "none":
                name = name[:-len(f"_stderr,{filt}")] + f",{filt}_stderr"
            out[name] = value
        results[task] = out
    n_samples = {}
    if isinstance(doc.get("n-samples"), dict):
        layout = "0.4"
        for task, entry in doc["n-samples"].items():
            n = entry.get("effective", entry.get("original")) if isinstance(entry, dict) else entry
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise CheckpointDataError(f"{path}: n-samples.{task} is {entry!r}; expected a "
                                          f"positive integer 'effective'")
            n_samples[task] = n
    args = _model_args(doc.get("config", {}))
    return _step(path, args), layout, results, n_samples, args.get("pretrained", "")


def _files(source) -> list:
    text = str(source)
    path = Path(text)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.json") if p.is_file())
        if not files:
            raise CheckpointDataError(f"{path}: no .json result files in this directory")
        return files
    if path.is_file():
        return [path]
    if any(c in text for c in "*?["):
        files = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        if not files:
            raise CheckpointDataError(f"{text}: the pattern matches no file")
        return files
    raise CheckpointDataError(f"{text}: no such file or directory")


def read_results(source) -> HarnessRun:
    """Read the lm-evaluation-harness result files of one role.

    Parameters
    ----------
    source : str or pathlib.Path
        A directory (every ``*.json`` below it), a glob pattern, or one file (a model scored
        once, e.g. the weak supervisor).

    Returns
    -------
    HarnessRun
        Files in step order (ties keep file-name order; repeated steps are reported by
        :func:`numerics.checkpoints.integrity.check`, never merged).

    Raises
    ------
    CheckpointDataError
        A file that is not JSON or has no ``results``, no step, a step beyond ``2**63 - 1``, a
        file name and a revision that disagree, or malformed ``n-samples``.

    Examples
    --------
    >>> run = read_results("tests/data/pythia/v04/pythia-410m")
    >>> run.layouts[0], run.n_eval("sciq"), run.model
    ('0.4', (1000, 'n-samples'), 'EleutherAI/pythia-v1.1-410m')
    """
    parsed = [(p, *_parse(p)) for p in _files(source)]
    parsed.sort(key=lambda t: t[1])  # stable: ties keep file-name order
    return HarnessRun(str(source), tuple(t[0] for t in parsed),
                      np.array([t[1] for t in parsed], dtype=np.int64),
                      tuple(t[2] for t in parsed), tuple(t[3] for t in parsed),
                      tuple(t[4] for t in parsed), parsed[0][5])


def _check_steps(run: HarnessRun, role: str):
    same = np.flatnonzero(np.diff(run.steps) == 0)
    if len(same):
        k = int(same[0])
        raise CheckpointDataError(f"{run.files[k + 1]}: step {int(run.steps[k])} of --{role} "
                                  f"also in {run.files[k]}; drop one of the two files "
                                  f"(--drop-flagged drops both)")


def assemble(runs: dict, task: str, metric: str) -> CheckpointData:
    """Align the roles' runs on their steps: :class:`CheckpointData` for one task and metric.

    Parameters
    ----------
    runs : dict
        Role (``weak``, ``w2s``, ``ceiling``) -> :class:`HarnessRun`. ``weak`` may hold one file
        (one fixed weak model); ``w2s`` and ``ceiling`` must have the same steps (and ``weak``
        too when it has more than one file).
    task, metric : str
        E.g. ``"piqa"`` and ``"acc"`` (a 0.4 filter other than ``none`` as ``"acc,filter"``).

    Returns
    -------
    CheckpointData
        Aggregate data (one seed); ``n_eval`` from ``n-samples`` or the standard errors.

    Examples
    --------
    >>> base = "tests/data/pythia/v0/pythia-"
    >>> runs = {r: read_results(base + m) for r, m in zip(ROLES, ("70m", "160m", "410m"))}
    >>> data = assemble(runs, "sciq", "acc")
    >>> data.K, data.n_eval, float(data.ceiling[-1, 0, 0])
    (27, 1000, 0.811)
    """
    for role in ROLES:
        if role not in runs:
            raise CheckpointDataError(f"missing --{role} (a directory, glob or file of "
                                      f"lm-evaluation-harness results)")
    for role in ROLES:
        if runs[role].K > 1:
            _check_steps(runs[role], role)
    steps = runs["w2s"].steps
    for role in ROLES:
        run = runs[role]
        if role == "weak" and run.K == 1:
            continue
        if not np.array_equal(run.steps, steps):
            other = "w2s"
            a, b = set(run.steps.tolist()), set(steps.tolist())
            if a - b:
                s = min(a - b)
                raise CheckpointDataError(f"{run.files[run.index(s)]}: step {s} of --{role} has "
                                          f"no --{other} file ({runs[other].source})")
            s = min(b - a)
            raise CheckpointDataError(f"{runs[other].files[runs[other].index(s)]}: step {s} of "
                                      f"--{other} has no --{role} file ({run.source})")
    arrays = {r: runs[r].score(task, metric)[:, None, None] for r in ROLES}
    counts = {r: runs[r].n_eval(task) for r in ROLES}
    known = {r: c for r, c in counts.items() if c[0] is not None}
    if len({c[0] for c in known.values()}) > 1:
        detail = ", ".join(f"--{r}: {n} ({src})" for r, (n, src) in known.items())
        raise CheckpointDataError(f"task {task!r}: the roles were scored on different numbers "
                                  f"of examples ({detail})")
    n_eval = next(iter(known.values()))[0] if known else None
    return CheckpointData(steps=steps.copy(), **arrays, seeds={r: ("0",) for r in ROLES},
                          per_example=False, n_eval=n_eval, task=task,
                          model=runs["w2s"].model, metric=metric)
