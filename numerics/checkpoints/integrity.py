"""Integrity checks on checkpoint data: warnings naming the steps, never silent fixes.

Real checkpoint suites have defects that wreck a phase-transition analysis: checkpoints whose
weights are identical (the Pythia issue tracker reports identical weights from step 0 on),
outlier checkpoints later re-uploaded, missing steps, repeated or out-of-order steps. Each check
returns :class:`Flag` entries naming the role and the steps; :func:`drop_steps` (``w2s pgr
--drop-flagged``) removes flagged checkpoints when the user asks, and nothing is changed otherwise.

* ``identical``: consecutive checkpoints with identical scores on every example, seed or task
  (at least two numbers compared); the later step is flagged.
* ``outlier``: an interior checkpoint off *both* neighbours in the same direction by more than
  ``z`` standard errors of the difference, ``z`` the two-sided Bonferroni quantile
  ``z_{1 - 0.05/(2K)}`` (on a locally flat curve with independent noise, the chance of any false
  flag is at most 5%; a monotone trend cannot trigger it).
* ``missing`` / ``off_schedule``: steps of a named schedule absent from the data, and steps of the
  data not in it (reported, nothing to drop for a missing step).
* ``duplicate_step``: a step given by two files of one role.
* ``non_monotone``: rows of a CSV whose step decreases in file order, or ``tokens`` that do not
  increase with the step.

Examples
--------
>>> import numpy as np
>>> from numerics.checkpoints.integrity import outliers
>>> y = np.array([0.50, 0.51, 0.52, 0.70, 0.54, 0.55, 0.56])
>>> outliers(np.arange(7) * 1000, y, np.full(7, 0.01))
[3000]
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from numerics.checkpoints.harness import HarnessRun
from numerics.checkpoints.reading import ROLES, CheckpointData, CheckpointDataError
from numerics.checkpoints.schedules import schedule as _schedule
from numerics.checkpoints.statistics import normal_quantile

__all__ = ["KINDS", "Flag", "identical", "outliers", "coverage", "check_data", "check_runs",
           "drop_steps", "drop_runs"]

#: Kinds of flags, in report order.
KINDS = ("duplicate_step", "non_monotone", "identical", "outlier", "missing", "off_schedule")


@dataclass(frozen=True)
class Flag:
    """One integrity warning.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    role : str
        ``weak``, ``w2s``, ``ceiling``, ``probe`` or ``all``.
    steps : tuple of int
        The checkpoints ``--drop-flagged`` would drop (empty for ``missing``).
    message : str
    """

    kind: str
    role: str
    steps: tuple
    message: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "role": self.role, "steps": [int(s) for s in self.steps],
                "message": self.message}


def _list(steps, limit=8):
    steps = [int(s) for s in steps]
    text = ", ".join(map(str, steps[:limit]))
    return text + (f", ... ({len(steps)} in all)" if len(steps) > limit else "")


def identical(steps, fingerprints) -> list:
    """Pairs ``(step_k, step_{k+1})`` whose rows of ``fingerprints`` (shape ``(K, m)``, ``m >= 2``)
    are identical.

    Examples
    --------
    >>> identical([0, 1, 2], np.array([[0.5, 0.2], [0.5, 0.2], [0.6, 0.2]]))
    [(0, 1)]
    """
    f = np.asarray(fingerprints, dtype=float)
    if f.ndim != 2 or f.shape[1] < 2 or f.shape[0] < 2:
        return []
    same = np.flatnonzero(np.all(f[1:] == f[:-1], axis=1))
    return [(int(steps[k]), int(steps[k + 1])) for k in same]


def outliers(steps, values, se, z: float | None = None) -> list:
    """Interior steps off both neighbours in the same direction by more than ``z`` standard
    errors of each difference (default ``z_{1 - 0.05/(2K)}``); NaN standard errors skip a point.

    Parameters
    ----------
    steps, values, se : array_like
        Shape ``(K,)``.
    z : float, optional

    Returns
    -------
    list of int
    """
    y, s = np.asarray(values, dtype=float), np.asarray(se, dtype=float)
    K = len(y)
    if K < 3:
        return []
    z = normal_quantile(1 - 0.05 / (2 * K)) if z is None else z
    with np.errstate(invalid="ignore", divide="ignore"):
        left = (y[1:-1] - y[:-2]) / np.hypot(s[1:-1], s[:-2])
        right = (y[1:-1] - y[2:]) / np.hypot(s[1:-1], s[2:])
        hit = (np.sign(left) == np.sign(right)) & (np.minimum(np.abs(left), np.abs(right)) > z)
    return [int(steps[k + 1]) for k in np.flatnonzero(hit)]


def coverage(steps, spec) -> tuple:
    """``(missing, extra)``: steps of the schedule ``spec`` absent from ``steps``, and steps not
    in the schedule.

    Examples
    --------
    >>> missing, extra = coverage([0, 1, 2, 8, 7500], "pythia")
    >>> len(missing), missing[:3], extra
    (150, [4, 16, 32], [7500])
    """
    full = _schedule(spec)
    have = np.asarray(steps, dtype=np.int64)
    return (full[~np.isin(full, have)].tolist(), sorted(set(have[~np.isin(have, full)].tolist())))


def _schedule_flags(role, steps, spec) -> list:
    if spec is None:
        return []
    name = spec if isinstance(spec, str) and "," not in spec else "the given list"
    missing, extra = coverage(steps, spec)
    out = []
    if missing:
        out.append(Flag("missing", role, (), f"{len(missing)} step(s) of schedule {name} have no "
                                              f"checkpoint: {_list(missing)}"))
    if extra:
        out.append(Flag("off_schedule", role, tuple(extra),
                        f"step(s) not in schedule {name}: {_list(extra)}"))
    return out


def _series_flags(role, steps, values, se, fingerprints) -> list:
    out = []
    pairs = identical(steps, fingerprints)
    if pairs:
        m = np.asarray(fingerprints).shape[1]
        text = "; ".join(f"{a} and {b}" for a, b in pairs[:6]) + (
            f"; ... ({len(pairs)} pairs in all)" if len(pairs) > 6 else "")
        out.append(Flag("identical", role, tuple(b for _, b in pairs),
                        f"--{role}: identical scores on all {m} numbers compared at steps {text} "
                        f"(identical weights?)"))
    hits = outliers(steps, values, se)
    if hits:
        out.append(Flag("outlier", role, tuple(hits),
                        f"--{role}: outlier checkpoint(s) at step(s) {_list(hits)} (off both "
                        f"neighbours in the same direction beyond the Bonferroni z = "
                        f"{normal_quantile(1 - 0.05 / (2 * len(steps))):.2f})"))
    return out


def _role_se(data: CheckpointData, role: str, values) -> np.ndarray:
    a = data.role(role)
    m = a.shape[1] * a.shape[2]
    if data.per_example or a.shape[1] >= 2:
        flat = a.reshape(a.shape[0], m)
        return flat.std(axis=1, ddof=1) / np.sqrt(m)
    if data.n_eval is not None and np.all((values >= 0) & (values <= 1)):
        return np.sqrt(values * (1 - values) / data.n_eval)
    return np.full(len(values), np.nan)


def check_data(data: CheckpointData, schedule=None) -> list:
    """The checks on :class:`CheckpointData` (from the CSVs or :func:`assemble`).

    Examples
    --------
    >>> from numerics.checkpoints import synthesize
    >>> d = synthesize("step", seed=0, n_eval=60).data
    >>> w2s = d.w2s.copy(); w2s[80] = w2s[79]          # a duplicated checkpoint
    >>> [(f.kind, f.role, f.steps) for f in check_data(replace(d, w2s=w2s))]
    [('identical', 'w2s', (70000,))]
    """
    flags = []
    if data.order_steps is not None:
        order = np.asarray(data.order_steps)
        back = np.flatnonzero(np.diff(order) < 0)
        if len(back):
            flags.append(Flag("non_monotone", "all", tuple(int(order[k + 1]) for k in back),
                              f"rows out of step order: step(s) {_list(order[back + 1])} come "
                              f"after a larger step in the file (analysed in step order)"))
    if data.tokens is not None:
        down = np.flatnonzero(np.diff(data.tokens) <= 0)
        if len(down):
            flags.append(Flag("non_monotone", "all", tuple(int(data.steps[k + 1]) for k in down),
                              f"tokens do not increase with the step at step(s) "
                              f"{_list(data.steps[down + 1])}"))
    for role in ROLES:
        a = data.role(role)
        if a.shape[0] < 2 or np.ptp(a) == 0:  # one fixed model repeated on every row
            continue
        values = a.mean(axis=(1, 2))
        flags += _series_flags(role, data.steps, values, _role_se(data, role, values),
                               a.reshape(a.shape[0], -1))
    if data.probe is not None:
        flags += _series_flags("probe", data.steps, data.probe,
                               np.full(data.K, np.nan) if data.probe_se is None
                               else data.probe_se, np.zeros((data.K, 0)))
    return flags + _schedule_flags("all", data.steps, schedule)


def check_runs(runs: dict, task: str, metric: str, schedule=None) -> list:
    """The checks on lm-evaluation-harness runs (role -> :class:`HarnessRun`): repeated steps,
    identical files (every number of every task), outliers of ``task``/``metric`` relative to the
    reported standard errors, and the coverage of ``schedule``.

    Examples
    --------
    >>> from numerics.checkpoints.harness import read_results
    >>> runs = {"w2s": read_results("tests/data/pythia/v0/pythia-160m")}
    >>> [(f.kind, f.steps) for f in check_runs(runs, "sciq", "acc")]
    [('identical', (1,))]
    """
    flags = []
    for role, run in runs.items():
        if run.K < 2:
            continue
        rep = np.flatnonzero(np.diff(run.steps) == 0)
        if len(rep):
            text = "; ".join(f"step {int(run.steps[k])} in {run.files[k].name} and "
                             f"{run.files[k + 1].name}" for k in rep[:4])
            flags.append(Flag("duplicate_step", role, tuple(sorted({int(run.steps[k])
                                                                    for k in rep})),
                              f"--{role}: {text}"))
        keep = np.concatenate([[True], np.diff(run.steps) != 0])
        steps = run.steps[keep]
        values = run.score(task, metric)[keep]
        se = run.stderr(task, metric)[keep]
        n, _ = run.n_eval(task)
        if np.isnan(se).any() and n is not None and np.all((values >= 0) & (values <= 1)):
            se = np.where(np.isnan(se), np.sqrt(values * (1 - values) / max(n - 1, 1)), se)
        flags += _series_flags(role, steps, values, se, run.fingerprints()[keep])
    first = runs.get("w2s") or next(iter(runs.values()))
    return flags + _schedule_flags("all", first.steps, schedule)


def drop_steps(data: CheckpointData, steps) -> CheckpointData:
    """``data`` without the checkpoints at ``steps`` (every role; a fixed weak model stays).

    Examples
    --------
    >>> from numerics.checkpoints import synthesize
    >>> d = synthesize("null", seed=0, n_eval=20).data
    >>> drop_steps(d, [0, 143000]).K
    152
    """
    keep = ~np.isin(data.steps, np.asarray(list(steps), dtype=np.int64))
    if keep.all():
        return data
    if keep.sum() == 0:
        raise CheckpointDataError("--drop-flagged would drop every checkpoint")

    def cut(a):
        return a if a is None or np.ndim(a) == 0 or len(a) != data.K else a[keep]

    return replace(data, steps=data.steps[keep], **{r: cut(data.role(r)) for r in ROLES},
                   tokens=cut(data.tokens), probe=cut(data.probe), probe_se=cut(data.probe_se),
                   order_steps=None)


def drop_runs(runs: dict, steps) -> dict:
    """The runs without the files at ``steps`` (a one-file weak run is kept)."""
    steps = np.asarray(list(steps), dtype=np.int64)
    out = {}
    for role, run in runs.items():
        keep = ~np.isin(run.steps, steps)
        if run.K == 1 or keep.all():
            out[role] = run
            continue
        idx = np.flatnonzero(keep)
        out[role] = HarnessRun(run.source, tuple(run.files[i] for i in idx), run.steps[idx],
                               tuple(run.layouts[i] for i in idx),
                               tuple(run.results[i] for i in idx),
                               tuple(run.n_samples[i] for i in idx), run.model)
    return out
