"""The inputs of ``w2s pgr``: the project's CSVs or lm-evaluation-harness result files mapped to
roles, an optional linear-probe series, the integrity checks and the optional dropping of flagged
checkpoints. Returns one :class:`numerics.checkpoints.CheckpointData` per analysis with its flags.

Examples
--------
>>> from proofs_check.pgr_inputs import from_harness
>>> base = "tests/data/pythia/v0/pythia-"
>>> groups = from_harness({"weak": base + "70m", "w2s": base + "160m",
...                        "ceiling": base + "410m"}, task="sciq", metric="acc")
>>> [(d.task, d.K, d.n_eval, [f.kind for f in flags]) for d, flags, dropped, _ in groups]
[('sciq', 27, 1000, ['identical', 'identical', 'identical'])]
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import numpy as np

from numerics.checkpoints import (CheckpointData, CheckpointDataError, assemble, check_data,
                                  check_runs, drop_runs, drop_steps, read, read_results)
from numerics.checkpoints.reading import ROLES

__all__ = ["from_csv", "from_harness", "read_probe", "export_csv"]


def _dropped(flags) -> list:
    return sorted({int(s) for f in flags for s in f.steps})


def from_csv(file, examples=None, *, intersect=False, min_size=3, schedule=None,
             drop_flagged=False) -> list:
    """The project's CSVs: ``[(data, flags, dropped_steps, inputs)]`` per ``(task, model)``."""
    out = []
    for data in read(file, examples, intersect=intersect, min_size=min_size).values():
        flags = check_data(data, schedule)
        dropped = _dropped(flags) if drop_flagged else []
        out.append((drop_steps(data, dropped) if dropped else data, flags, dropped,
                    {"format": "csv", "file": str(file),
                     "examples": None if examples is None else str(examples),
                     "n_eval_source": ("per-example rows" if data.per_example else
                                       "n_eval column" if data.n_eval is not None else None)}))
    return out


def read_probe(source, steps, *, task=None, metric=None) -> tuple:
    """A probe series aligned on ``steps``: ``(values, standard errors or None)``.

    ``source`` is a CSV with columns ``step, probe`` (optionally ``probe_se``), or
    lm-evaluation-harness result files (a directory, glob or file) read with ``task`` and
    ``metric``. Every analysed step needs a probe value (the message names the first missing).
    """
    path = Path(str(source))
    if path.is_file() and path.suffix.lower() == ".csv":
        from numerics.checkpoints.reading import read_series

        step, values, se = read_series(path, "probe", "probe_se")
        where = {int(v): i for i, v in enumerate(step)}
        label = str(path)
    else:
        run = read_results(source)
        if len(np.unique(run.steps)) != run.K:
            s = int(run.steps[np.flatnonzero(np.diff(run.steps) == 0)[0]])
            raise CheckpointDataError(f"{run.source}: probe step {s} given by two files")
        values = run.score(task, metric)
        se = run.stderr(task, metric)
        se = None if np.isnan(se).any() else se
        where = {int(s): i for i, s in enumerate(run.steps)}
        label = run.source
    missing = [int(s) for s in steps if int(s) not in where]
    if missing:
        raise CheckpointDataError(f"{label}: no probe value for step {missing[0]} "
                                  f"({len(missing)} analysed step(s) missing)")
    idx = np.array([where[int(s)] for s in steps])
    return values[idx], None if se is None else se[idx]


def from_harness(sources: dict, *, task: str, metric: str = "acc", schedule=None,
                 drop_flagged=False, min_size=3) -> list:
    """lm-evaluation-harness result files per role: ``[(data, flags, dropped_steps, inputs)]``
    (``inputs`` describes the files for the report), one per
    task (``task="all"``: every task common to the three roles that has ``metric``)."""
    runs = {}
    for role in ROLES:
        if not sources.get(role):
            raise CheckpointDataError(f"missing --{role} (a directory, glob or file of "
                                      f"lm-evaluation-harness results)")
        runs[role] = read_results(sources[role])
    if task == "all":
        common = set.intersection(*(set(r.tasks()) for r in runs.values()))
        tasks = sorted(t for t in common
                       if all(metric in res.get(t, {}) for r in runs.values()
                              for res in r.results))
        if not tasks:
            raise CheckpointDataError(f"no task has metric {metric!r} in every file of the three "
                                      f"roles")
    else:
        tasks = [task]
    out = []
    for t in tasks:
        flags = check_runs(runs, t, metric, schedule)
        dropped = _dropped(flags) if drop_flagged else []
        data = assemble(drop_runs(runs, dropped) if dropped else runs, t, metric)
        if data.K < 2 * min_size + 1:
            raise CheckpointDataError(f"task {t!r}: {data.K} checkpoints; at least "
                                      f"{2 * min_size + 1} (2 min_size + 1) are needed")
        counts = {r: runs[r].n_eval(t) for r in ROLES}
        source = next((src for n, src in counts.values() if n is not None), None)
        out.append((data, flags, dropped, {
            "format": "lm-evaluation-harness", "task": t, "metric": metric,
            "sources": {r: str(sources[r]) for r in ROLES},
            "layouts": sorted({x for r in ROLES for x in runs[r].layouts}),
            "n_eval_source": {"n-samples": "n-samples", "stderr": "recovered from the accuracy's "
                              "standard error", None: None}[source],
            "models": {r: runs[r].model for r in ROLES}}))
    return out


def with_probe(data: CheckpointData, source, *, task=None, metric=None) -> CheckpointData:
    """``data`` with the probe series of ``source`` (see :func:`read_probe`)."""
    values, se = read_probe(source, data.steps, task=task or data.task,
                            metric=metric or data.metric)
    return replace(data, probe=values, probe_se=se)


def export_csv(groups, path) -> None:
    """Write the assembled inputs as the project's aggregate CSV (one row per task, model, step
    and seed; ``probe`` and ``probe_se`` when present)."""
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        probe = any(d.probe is not None for d in groups)
        probe_se = any(d.probe_se is not None for d in groups)
        w.writerow(["task", "model", "step", "seed", "weak", "w2s", "ceiling", "n_eval",
                    "metric"] + (["probe"] if probe else []) + (["probe_se"] if probe_se else []))
        for d in groups:
            if d.per_example:
                raise CheckpointDataError("--export writes aggregate inputs; per-example data "
                                          "are already in the project's format")
            for k, step in enumerate(d.steps):
                for j, seed in enumerate(d.seeds["w2s"]):
                    row = [d.task, d.model, int(step), seed]
                    row += [repr(float(d.role(r)[min(k, d.role(r).shape[0] - 1),
                                                 min(j, d.role(r).shape[1] - 1), 0]))
                            for r in ROLES]
                    row += ["" if d.n_eval is None else d.n_eval, d.metric]
                    if probe:
                        row.append("" if d.probe is None else repr(float(d.probe[k])))
                    if probe_se:
                        row.append("" if d.probe_se is None else repr(float(d.probe_se[k])))
                    w.writerow(row)
