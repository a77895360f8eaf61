"""Reading and validating checkpoint scores: the aggregate and the per-example CSV.

:func:`read_aggregate` and :func:`read_examples` parse one file each into
:class:`CheckpointData` per ``(task, model)``; :func:`read` reads both and cross-checks them.
Invalid input raises :class:`CheckpointDataError` naming the file, row and column.

Examples
--------
>>> import tempfile, pathlib
>>> from numerics.checkpoints.reading import read_aggregate
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
>>> _ = path.write_text("step,seed,weak,w2s,ceiling\\n0,1,0.7,0.6,0.5\\n0,2,0.7,0.62,0.5\\n")
>>> read_aggregate(path)[("", "")].w2s.shape
(1, 2, 1)
"""

from __future__ import annotations

import contextlib
import csv
import gc
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from numerics.validation import ParameterError

__all__ = ["ROLES", "MAX_SCORE", "MAX_EXACT_INTEGER", "CheckpointDataError", "CheckpointData",
           "read_aggregate", "read_examples", "read", "read_series"]

#: The three roles, in the order of the aggregate CSV's score columns.
ROLES = ("weak", "w2s", "ceiling")
#: Largest accepted magnitude of a score: sums of squares over millions of bootstrap terms stay
#: finite and differences keep their digits (a finite 1e308 used to give inf CIs).
MAX_SCORE = 1e12
#: Largest accepted step (and count): 2**53, the largest integer every float64 holds exactly.
MAX_EXACT_INTEGER = 2 ** 53


class CheckpointDataError(ParameterError):
    """An input file or option is invalid (the message names the file, row and column)."""

    # the name it is imported by: tracebacks and the doctests below print it
    __module__ = "numerics.checkpoints"


@dataclass(frozen=True)
class CheckpointData:
    """Scores of one ``(task, model)`` across checkpoints.

    Each role holds an array of shape ``(K_role, S_role, n)``: checkpoints, seeds, examples.
    ``K_role`` is ``K`` or 1 (one fixed model broadcast to every checkpoint, e.g. the weak
    supervisor scored once); aggregate data have ``n = 1``.

    Attributes
    ----------
    steps : numpy.ndarray
        Increasing pre-training steps, shape ``(K,)``.
    weak, w2s, ceiling : numpy.ndarray
        Scores, shape ``(K or 1, S, n)``.
    seeds : dict
        Role -> tuple of seed labels (roles with the same labels are resampled together).
    per_example : bool
        Whether the last axis holds examples (else ``n = 1`` and it holds aggregates).
    n_eval : int or None
        Number of evaluation examples behind an aggregate score (parametric bootstrap).
    tokens : numpy.ndarray or None
        Tokens seen at each checkpoint.
    task, model, metric : str
        Grouping keys and metric name (empty when absent).
    probe : numpy.ndarray or None
        A linear probe's score per checkpoint, shape ``(K,)`` (optional role).
    probe_se : numpy.ndarray or None
        Its standard error per checkpoint (``None``: unknown).
    order_steps : numpy.ndarray or None
        The steps in the order the input file gave them (for the order check).
    """

    steps: np.ndarray
    weak: np.ndarray
    w2s: np.ndarray
    ceiling: np.ndarray
    seeds: dict
    per_example: bool = False
    n_eval: int | None = None
    tokens: np.ndarray | None = None
    task: str = ""
    model: str = ""
    metric: str = ""
    probe: np.ndarray | None = None
    probe_se: np.ndarray | None = None
    order_steps: np.ndarray | None = None

    @property
    def K(self) -> int:
        """Number of checkpoints."""
        return len(self.steps)

    def role(self, name: str) -> np.ndarray:
        """Scores of role ``name``."""
        return getattr(self, name)

    def means(self) -> dict:
        """Role -> mean score per checkpoint, shape ``(K,)`` (mean over seeds and examples).

        Examples
        --------
        >>> import numpy as np
        >>> from numerics.checkpoints import CheckpointData
        >>> d = CheckpointData(np.arange(3), np.full((1, 1, 1), 0.5), np.ones((3, 2, 1)),
        ...                    np.ones((3, 2, 1)), {"weak": (0,), "w2s": (0, 1), "ceiling": (0, 1)})
        >>> d.means()["weak"]
        array([0.5, 0.5, 0.5])
        """
        return {r: np.broadcast_to(self.role(r).mean(axis=(1, 2)), (self.K,)).copy()
                for r in ROLES}


def _key(task, model):
    return f"{task or '-'}/{model or '-'}"


@contextlib.contextmanager
def _no_gc():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Stripped:
    """Columns of raw CSV cells; a column's stripped values are made on first use."""

    def __init__(self, raw):
        self.raw = raw
        self._done = {}

    def __contains__(self, column):
        return column in self.raw

    def __getitem__(self, column):
        if column not in self._done:
            with _no_gc():
                self._done[column] = [v.strip() for v in self.raw[column]]
        return self._done[column]


class _Columns:
    """A CSV as columns of stripped strings, with located, vectorised parsers.

    Row numbers in messages are file lines (the header is row 1).
    """

    def __init__(self, path, required, optional):
        self.path = Path(path)
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise CheckpointDataError(f"{self.path}: not a UTF-8 text file") from None
        if not text.strip():
            raise CheckpointDataError(f"{self.path}: the file is empty")
        with _no_gc():  # millions of small objects: the cyclic collector only slows this down
            rows = list(csv.reader(text.splitlines()))
        header = [h.strip() for h in rows[0]]
        if len(set(header)) != len(header):
            dup = next(h for h in header if header.count(h) > 1)
            raise CheckpointDataError(f"{self.path}: column {dup!r} appears twice in the header")
        missing = [c for c in required if c not in header]
        if missing:
            raise CheckpointDataError(
                f"{self.path}: missing column {missing[0]!r} (required: {', '.join(required)}; "
                f"optional: {', '.join(optional)}; found: {', '.join(header) or 'none'})")
        body, lines = rows[1:], np.arange(2, len(rows) + 1)
        keep = [i for i, r in enumerate(body) if len(r) > 1 or (r and r[0].strip())]
        if len(keep) != len(body):
            body, lines = [body[i] for i in keep], lines[keep]
        if not body:
            raise CheckpointDataError(f"{self.path}: no data rows after the header")
        wrong = (None if set(map(len, body)) == {len(header)} else
                 next(i for i, r in enumerate(body) if len(r) != len(header)))
        if wrong is not None:
            raise CheckpointDataError(f"{self.path}, row {lines[wrong]}: {len(body[wrong])} "
                                      f"fields, the header has {len(header)}")
        self.columns = header
        self.lines = lines
        self.n = len(body)
        with _no_gc():
            self.data = _Stripped(dict(zip(header, zip(*body))))

    def where(self, i, column):
        return f"{self.path}, row {self.lines[i]}, column {column!r}"

    def has(self, column):
        return column in self.columns

    def text(self, column):
        return self.data[column] if column in self.columns else [""] * self.n

    def numbers(self, column, limit=MAX_SCORE):
        values = self.data.raw[column]  # numpy ignores surrounding blanks: no strip needed
        try:
            a = np.array(values, dtype=float)
        except ValueError:
            for i, v in enumerate(values):
                try:
                    float(v)
                except ValueError:
                    raise CheckpointDataError(f"{self.where(i, column)}: {v!r} is not a "
                                              f"number") from None
            raise  # pragma: no cover - numpy and float() disagree
        bad = np.flatnonzero(~np.isfinite(a))
        if len(bad):
            raise CheckpointDataError(f"{self.where(bad[0], column)}: {values[bad[0]]!r} is "
                                      f"not finite")
        if limit is not None:
            bad = np.flatnonzero(np.abs(a) > limit)
            if len(bad):
                raise CheckpointDataError(f"{self.where(bad[0], column)}: {values[bad[0]]!r} is "
                                          f"beyond +-{limit:g}, where differences, variances "
                                          f"and bootstrap sums lose all precision or overflow; "
                                          f"rescale the scores")
        return a

    def integers(self, column, minimum):
        a = self.numbers(column, limit=None)
        big = np.flatnonzero(np.abs(a) > MAX_EXACT_INTEGER)
        if len(big):
            raise CheckpointDataError(f"{self.where(big[0], column)}: "
                                      f"{self.data[column][big[0]]!r} is beyond the largest "
                                      f"supported value 2**53 = {MAX_EXACT_INTEGER} (a 64-bit "
                                      f"step or count that floats hold exactly)")
        bad = np.flatnonzero((a != np.round(a)) | (a < minimum))
        if len(bad):
            raise CheckpointDataError(f"{self.where(bad[0], column)}: "
                                      f"{self.data[column][bad[0]]!r} is not an integer >= "
                                      f"{minimum}")
        return a.astype(np.int64)

    def groups(self):
        """``(task, model)`` -> row indices, in order of first appearance."""
        if not (self.has("task") or self.has("model")):
            return {("", ""): np.arange(self.n)}
        out: dict = {}
        for i, key in enumerate(zip(self.text("task"), self.text("model"))):
            out.setdefault(key, []).append(i)
        return {k: np.array(v) for k, v in out.items()}


def _seed_order(s):
    try:
        return (0, float(s), s)
    except ValueError:
        return (1, 0.0, s)


def _codes(values, order=None):
    """Sorted distinct values and the code of each entry."""
    labels = sorted(set(values), key=order)
    index = {v: i for i, v in enumerate(labels)}
    return labels, np.array([index[v] for v in values], dtype=np.int64)


def _duplicates(src, rows, codes, names):
    """Raise on the first repeated combination of ``codes`` (one int array per key column)."""
    key = np.zeros(len(rows), dtype=np.int64)
    for c in codes:
        key = key * (int(c.max()) + 1) + c
    order = np.argsort(key, kind="stable")
    same = np.flatnonzero(key[order][1:] == key[order][:-1])
    if len(same):
        first, second = rows[order[same[0]]], rows[order[same[0] + 1]]
        values = ", ".join(repr(src.data[n][second]) if n in src.columns else "''"
                           for n in names)
        raise CheckpointDataError(f"{src.path}, row {src.lines[second]}: duplicate "
                                  f"({', '.join(names)}) = ({values}); first at row "
                                  f"{src.lines[first]}")


def read_aggregate(path) -> dict:
    """Read an aggregate CSV: ``(task, model)`` -> :class:`CheckpointData` (``n = 1``).

    Parameters
    ----------
    path : str or pathlib.Path
        CSV with columns ``step, weak, w2s, ceiling`` and optionally ``seed, tokens, n_eval, task,
        model, metric, probe, probe_se`` (a linear probe's score per step and its standard
        error); one row per ``(task, model, step, seed)``.

    Returns
    -------
    dict

    Raises
    ------
    CheckpointDataError
        Empty file, missing column, a non-numeric or non-finite value, a duplicate key, seeds
        that differ between checkpoints, or a metric/``n_eval`` that varies within a group.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = path.write_text("step,weak,w2s,ceiling\\n0,0.7,0.6,0.5\\n10,0.7,nan,0.8\\n")
    >>> read_aggregate(path)
    Traceback (most recent call last):
    ...
    numerics.checkpoints.CheckpointDataError: ..., row 3, column 'w2s': 'nan' is not finite
    """
    optional = ("seed", "tokens", "n_eval", "task", "model", "metric", "probe", "probe_se")
    src = _Columns(path, ("step", "weak", "w2s", "ceiling"), optional)
    step = src.integers("step", 0)
    scores = {r: src.numbers(r) for r in ROLES}
    tokens = src.numbers("tokens", limit=1e18) if src.has("tokens") else None
    n_eval = src.integers("n_eval", 1) if src.has("n_eval") else None
    seed = src.text("seed")
    if src.has("seed") and "" in seed:
        raise CheckpointDataError(f"{src.where(seed.index(''), 'seed')}: empty seed")
    out = {}
    for key, rows in src.groups().items():
        name = _key(*key)
        steps, k = _codes(step[rows].tolist())
        labels, s = _codes([seed[i] for i in rows], _seed_order)
        _duplicates(src, rows, [k, s], ["task", "model", "step", "seed"])
        filled = np.zeros((len(steps), len(labels)), dtype=bool)
        filled[k, s] = True
        if not filled.all():
            a, b = np.argwhere(~filled)[0]
            raise CheckpointDataError(f"{src.path}: group {name}: step {steps[a]} has no row for "
                                      f"seed {labels[b]!r} (every step needs the same seeds)")
        for column, values in (("metric", src.text("metric")), ("n_eval", n_eval)):
            if values is None:
                continue
            first = values[rows[0]]
            odd = [i for i in rows if values[i] != first]
            if odd:
                raise CheckpointDataError(f"{src.where(odd[0], column)}: {column} varies within "
                                          f"group {name}")
        arrays = {}
        for r in ROLES:
            arrays[r] = np.empty((len(steps), len(labels), 1))
            arrays[r][k, s, 0] = scores[r][rows]
        per_step = {}
        for column in ("probe", "probe_se"):
            if not src.has(column):
                continue
            values = src.numbers(column)
            arr = np.empty(len(steps))
            arr[k] = values[rows]
            odd = np.flatnonzero(values[rows] != arr[k])
            if len(odd):
                raise CheckpointDataError(f"{src.where(rows[odd[0]], column)}: {column} differs "
                                          f"between seeds of step {steps[k[odd[0]]]}")
            per_step[column] = arr
        if "probe_se" in per_step and "probe" not in per_step:
            raise CheckpointDataError(f"{src.path}: column 'probe_se' without 'probe'")
        if "probe_se" in per_step and (per_step["probe_se"] < 0).any():
            i = int(np.flatnonzero(per_step["probe_se"] < 0)[0])
            raise CheckpointDataError(f"{src.path}: step {steps[i]}: probe_se is negative")
        tok = None
        if tokens is not None:
            tok = np.empty(len(steps))
            tok[k] = tokens[rows]
            odd = np.flatnonzero(tokens[rows] != tok[k])
            if len(odd):
                raise CheckpointDataError(f"{src.where(rows[odd[0]], 'tokens')}: tokens differ "
                                          f"between seeds of step {steps[k[odd[0]]]}")
        out[key] = CheckpointData(
            steps=np.array(steps), **arrays, seeds={r: tuple(labels) for r in ROLES},
            per_example=False, n_eval=None if n_eval is None else int(n_eval[rows[0]]),
            tokens=tok, task=key[0], model=key[1], metric=src.text("metric")[rows[0]],
            order_steps=_first_seen(step[rows]), probe=per_step.get("probe"),
            probe_se=per_step.get("probe_se"))
    return out


def _first_seen(steps):
    """Steps in order of first appearance in the file."""
    _, first = np.unique(steps, return_index=True)
    return steps[np.sort(first)]


def read_examples(path, *, intersect: bool = False) -> dict:
    """Read a per-example CSV: ``(task, model)`` -> :class:`CheckpointData`.

    Parameters
    ----------
    path : str or pathlib.Path
        Long-format CSV ``step, seed, role, example_id, score`` (optionally ``task, model``);
        ``role`` is ``weak``, ``w2s`` or ``ceiling``; ``weak`` rows may use ``step = -1`` for one
        fixed weak model.
    intersect : bool
        If the example sets differ between roles, checkpoints or seeds, keep their intersection
        and warn (default: raise).

    Returns
    -------
    dict

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "e.csv"
    >>> rows = ["step,seed,role,example_id,score", "-1,0,weak,a,1", "-1,0,weak,b,0"]
    >>> rows += [f"{s},0,{r},{e},1" for s in (0, 5, 9) for r in ("w2s", "ceiling") for e in "ab"]
    >>> _ = path.write_text("\\n".join(rows))
    >>> data = read_examples(path)[("", "")]
    >>> data.weak.shape, data.w2s.shape
    ((1, 1, 2), (3, 1, 2))
    """
    src = _Columns(path, ("step", "seed", "role", "example_id", "score"), ("task", "model"))
    role = np.array(src.data["role"])
    bad = np.flatnonzero(~np.isin(role, ROLES))
    if len(bad):
        raise CheckpointDataError(f"{src.where(bad[0], 'role')}: {str(role[bad[0]])!r} is not "
                                  f"one of {', '.join(ROLES)}")
    step = src.integers("step", -1)
    bad = np.flatnonzero((step < 0) & (role != "weak"))
    if len(bad):
        raise CheckpointDataError(f"{src.where(bad[0], 'step')}: step -1 is only for weak rows "
                                  f"(one fixed weak model)")
    if "" in src.data["example_id"]:
        raise CheckpointDataError(f"{src.where(src.data['example_id'].index(''), 'example_id')}: "
                                  f"empty example_id")
    score = src.numbers("score")
    out = {}
    for key, rows in src.groups().items():
        name = _key(*key)
        r_codes = np.array([ROLES.index(x) for x in role[rows]])
        for j, r in enumerate(ROLES):
            if not (r_codes == j).any():
                raise CheckpointDataError(f"{src.path}: group {name} has no {r!r} rows")
        all_steps, k = _codes(step[rows].tolist())
        labels, s = _codes([src.data["seed"][i] for i in rows], _seed_order)
        examples, e = _codes([src.data["example_id"][i] for i in rows], _seed_order)
        _duplicates(src, rows, [k, s, r_codes, e], ["step", "seed", "role", "example_id"])
        steps = sorted(set(step[rows][r_codes != 0].tolist()))
        weak_steps = sorted(set(step[rows][r_codes == 0].tolist()))
        if weak_steps != [-1] and weak_steps != steps:
            raise CheckpointDataError(
                f"{src.path}: group {name}: weak rows must use step -1 (one fixed weak model) or "
                f"exactly the steps of the w2s/ceiling rows; got steps {weak_steps[:5]}")
        cell = (k * len(labels) + s) * 3 + r_codes
        cells, c = np.unique(cell, return_inverse=True)
        present = np.zeros((len(cells), len(examples)), dtype=bool)
        present[c, e] = True
        common = present.all(axis=0)
        if not common.all():
            odd = int(np.flatnonzero(~present.all(axis=1))[0])
            i = rows[np.flatnonzero(c == odd)[0]]
            lost = [examples[j] for j in np.flatnonzero(~present[odd])[:3]]
            where = (f"(step {step[i]}, seed {src.data['seed'][i]!r}, role {role[i]}) lacks "
                     f"example_id {', '.join(map(repr, lost))}")
            if not intersect:
                raise CheckpointDataError(
                    f"{src.path}: group {name}: example sets differ: {where}; pass "
                    f"intersect=True (--intersect-examples) to keep the common examples")
            if not common.any():
                raise CheckpointDataError(f"{src.path}: group {name}: no example is common to "
                                          f"all roles, steps and seeds")
            warnings.warn(f"{src.path}: group {name}: example sets differ ({where}); kept the "
                          f"{int(common.sum())} common examples of {len(examples)}", stacklevel=2)
        position = np.cumsum(common) - 1
        keep = common[e]
        arrays, seeds = {}, {}
        for j, r in enumerate(ROLES):
            mine = keep & (r_codes == j)
            rstep = [all_steps[x] for x in np.unique(k[mine])]
            rseed = np.unique(s[mine])
            kk = np.searchsorted(rstep, np.array(all_steps)[k[mine]])
            ss = np.searchsorted(rseed, s[mine])
            filled = np.zeros((len(rstep), len(rseed)), dtype=bool)
            filled[kk, ss] = True
            if not filled.all():
                a, b = np.argwhere(~filled)[0]
                raise CheckpointDataError(
                    f"{src.path}: group {name}: role {r} at step {rstep[a]} has no rows for seed "
                    f"{labels[rseed[b]]!r} (every step needs the same seeds)")
            arrays[r] = np.empty((len(rstep), len(rseed), int(common.sum())))
            arrays[r][kk, ss, position[e[mine]]] = score[rows[mine]]
            seeds[r] = tuple(labels[x] for x in rseed)
        out[key] = CheckpointData(steps=np.array(steps), **arrays, seeds=seeds, per_example=True,
                                  n_eval=int(common.sum()), task=key[0], model=key[1])
    return out


def read(aggregate, examples=None, *, intersect: bool = False, min_size: int = 3,
         tol: float = 1e-9) -> dict:
    """Read the aggregate CSV and, if given, the per-example CSV, and cross-validate them.

    With both files the per-example data are analysed; the aggregate supplies ``tokens`` and
    ``metric``, and each aggregate score must equal the mean of its per-example scores to ``tol``.

    Parameters
    ----------
    aggregate : str or pathlib.Path
    examples : str or pathlib.Path, optional
    intersect : bool
        See :func:`read_examples`.
    min_size : int
        Minimum segment length; every group needs ``2 min_size + 1`` checkpoints.
    tol : float
        Allowed difference between an aggregate and its per-example mean.

    Returns
    -------
    dict
        ``(task, model)`` -> :class:`CheckpointData`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = path.write_text("step,weak,w2s,ceiling\\n0,0.7,0.6,0.5\\n10,0.7,0.8,0.9\\n")
    >>> read(path)
    Traceback (most recent call last):
    ...
    numerics.checkpoints.CheckpointDataError: ...: group -/-: 2 checkpoints; at least 7 ... needed
    """
    agg = read_aggregate(aggregate)
    out = agg
    if examples is not None:
        ex = read_examples(examples, intersect=intersect)
        out = {}
        for key, a in agg.items():
            if key not in ex:
                raise CheckpointDataError(f"{examples}: no rows for group {_key(*key)} of "
                                          f"{aggregate}")
            e = ex[key]
            if not np.array_equal(a.steps, e.steps):
                diff = sorted(set(a.steps.tolist()) ^ set(e.steps.tolist()))[0]
                raise CheckpointDataError(f"{examples}: group {_key(*key)}: step {diff} is in "
                                          f"only one of the two files")
            _check_means(a, e, aggregate, tol)
            out[key] = replace(e, tokens=a.tokens, metric=a.metric, order_steps=a.order_steps,
                               probe=a.probe, probe_se=a.probe_se)
        extra = set(ex) - set(agg)
        if extra:
            raise CheckpointDataError(f"{examples}: group {_key(*sorted(extra)[0])} is not in "
                                      f"{aggregate}")
    for key, d in out.items():
        if d.K < 2 * min_size + 1:
            raise CheckpointDataError(f"{aggregate}: group {_key(*key)}: {d.K} checkpoints; at "
                                      f"least {2 * min_size + 1} (2 min_size + 1) are needed")
    return out


def _check_means(a: CheckpointData, e: CheckpointData, path, tol):
    for r in ROLES:
        arr = e.role(r).mean(axis=2)  # (K or 1, S)
        labels = e.seeds[r]
        for i, step in enumerate(a.steps):
            for j, seed in enumerate(a.seeds[r]):
                if seed in labels:
                    value = arr[min(i, arr.shape[0] - 1), labels.index(seed)]
                else:
                    value = arr[min(i, arr.shape[0] - 1)].mean()
                if abs(value - a.role(r)[i, j, 0]) > tol:
                    raise CheckpointDataError(
                        f"{path}: step {step}, seed {seed!r}, column {r!r}: "
                        f"{float(a.role(r)[i, j, 0])!r} differs from the mean of the per-example "
                        f"scores ({float(value)!r})")


def read_series(path, column: str, se_column: str | None = None) -> tuple:
    """A per-step series from a CSV with columns ``step, COLUMN`` (and optionally ``SE_COLUMN``):
    ``(steps, values, standard errors or None)``, one row per step.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
    >>> _ = path.write_text("step,probe\\n0,0.5\\n10,0.7\\n10,0.8\\n")
    >>> read_series(path, "probe")
    Traceback (most recent call last):
    ...
    numerics.checkpoints.CheckpointDataError: ..., row 4, column 'step': step 10 repeated (first at row 3)
    """
    src = _Columns(path, ("step", column), () if se_column is None else (se_column,))
    step = src.integers("step", 0)
    values = src.numbers(column)
    se = src.numbers(se_column) if se_column is not None and src.has(se_column) else None
    if se is not None and (se < 0).any():
        i = int(np.flatnonzero(se < 0)[0])
        raise CheckpointDataError(f"{src.where(i, se_column)}: negative standard error")
    uniq, counts = np.unique(step, return_counts=True)
    if (counts > 1).any():
        s = int(uniq[counts > 1][0])
        first, second = np.flatnonzero(step == s)[:2]
        raise CheckpointDataError(f"{src.where(second, 'step')}: step {s} repeated (first at row "
                                  f"{src.lines[first]})")
    return step, values, se
