"""PGR with confidence intervals and the emergence of weak-to-strong generalisation over
pre-training checkpoints.

Estimation only (``proofs_check.emergence`` turns the estimates into a verdict). Specification:
``theory/checkpoints.md``. Given the scores of a weak supervisor, a weak-to-strong student and a
strong ceiling across pre-training checkpoints ``k = 0..K-1`` of the strong model:

* per checkpoint: gain ``Delta_k = sign (P_w2s - P_weak)``, gap
  ``Gamma_k = sign (P_ceil - P_weak)``, ``PGR_k = Delta_k / Gamma_k`` with a status
  (:data:`STATUSES`), bootstrap percentile CIs and the Fieller (1954) interval of the ratio as an
  analytic cross-check;
* the ceiling-emergence checkpoint ``k0``: the first index after which the one-sided 95% lower
  bound of the gap stays positive;
* the existence test of emergence on the gain curve after ``k0`` (max over suffixes of the
  studentised suffix mean, calibrated by the bootstrap) and the single mean-shift change point with
  its bootstrap CI;
* a synthetic generator on Pythia's checkpoint schedule (:func:`synthesize`), with a theory mode
  driven by a :class:`TheoryProfile`.

Inputs are the aggregate CSV (one row per checkpoint and seed: ``step, weak, w2s, ceiling`` and
optionally ``seed, tokens, n_eval, task, model, metric``) and optionally the per-example CSV (long
format ``step, seed, role, example_id, score``). Invalid input raises :class:`CheckpointDataError`
naming the file, row and column.

Examples
--------
>>> from numerics.checkpoints import analyse, synthesize
>>> synthetic = synthesize("step", seed=1)
>>> result = analyse(synthetic.data, B=200, seed=0)
>>> int(result.steps[result.k0]), result.change["step"]
(4000, 10000)
>>> bool(result.test["T"] > result.test["c"])
True
"""

from __future__ import annotations

import contextlib
import csv
import functools
import gc
import math
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from numerics.validation import ParameterError

__all__ = ["CheckpointDataError", "CheckpointData", "Analysis", "Replicates", "STATUSES", "MODES",
           "read", "read_aggregate", "read_examples", "bootstrap", "analyse", "fieller",
           "change_point", "ceiling_emergence", "normal_quantile", "pythia_steps",
           "TheoryProfile", "default_theory_profile", "single_index_profile", "SET_D",
           "SyntheticData", "synthesize",
           "population_score"]

#: PGR statuses, in the order they are tested (first match wins).
STATUSES = ("zero_gap", "ceiling_below_weak", "gap_not_significant", "ok")
#: Bootstrap modes (``None`` picks the first that the data support, in this order).
MODES = ("examples+seeds", "seeds", "parametric", "residual")
ROLES = ("weak", "w2s", "ceiling")
X_AXES = ("index", "step", "log_step", "tokens")


class CheckpointDataError(ParameterError):
    """An input file or option is invalid (the message names the file, row and column)."""


# --------------------------------------------------------------------------------------------
# data


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
        wrong = next((i for i, r in enumerate(body) if len(r) != len(header)), None)
        if wrong is not None:
            raise CheckpointDataError(f"{self.path}, row {lines[wrong]}: {len(body[wrong])} "
                                      f"fields, the header has {len(header)}")
        self.columns = header
        self.lines = lines
        self.n = len(body)
        with _no_gc():
            self.data = {h: [v.strip() for v in col] for h, col in zip(header, zip(*body))}

    def where(self, i, column):
        return f"{self.path}, row {self.lines[i]}, column {column!r}"

    def has(self, column):
        return column in self.columns

    def text(self, column):
        return self.data[column] if column in self.columns else [""] * self.n

    def numbers(self, column):
        values = self.data[column]
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
        return a

    def integers(self, column, minimum):
        a = self.numbers(column)
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
        model, metric``; one row per ``(task, model, step, seed)``.

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
    optional = ("seed", "tokens", "n_eval", "task", "model", "metric")
    src = _Columns(path, ("step", "weak", "w2s", "ceiling"), optional)
    step = src.integers("step", 0)
    scores = {r: src.numbers(r) for r in ROLES}
    tokens = src.numbers("tokens") if src.has("tokens") else None
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
            tokens=tok, task=key[0], model=key[1], metric=src.text("metric")[rows[0]])
    return out


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
            out[key] = replace(e, tokens=a.tokens, metric=a.metric)
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


# --------------------------------------------------------------------------------------------
# bootstrap


@dataclass(frozen=True)
class Replicates:
    """Bootstrap replicates of the role means, each of shape ``(B, K)``."""

    mode: str
    weak: np.ndarray
    w2s: np.ndarray
    ceiling: np.ndarray


def _available_mode(data: CheckpointData) -> str:
    if data.per_example:
        return "examples+seeds"
    if min(len(s) for s in data.seeds.values()) >= 2:
        return "seeds"
    if data.n_eval is not None:
        return "parametric"
    return "residual"


def _check_mode(data: CheckpointData, mode: str | None) -> str:
    if mode is None:
        return _available_mode(data)
    if mode not in MODES:
        raise CheckpointDataError(f"bootstrap mode must be one of {', '.join(MODES)}; got {mode!r}")
    if mode == "examples+seeds" and not data.per_example:
        raise CheckpointDataError("bootstrap mode 'examples+seeds' needs the per-example CSV")
    if mode == "seeds" and min(len(s) for s in data.seeds.values()) < 2:
        raise CheckpointDataError("bootstrap mode 'seeds' needs >= 2 seeds per checkpoint")
    if mode == "parametric":
        if data.n_eval is None:
            raise CheckpointDataError("bootstrap mode 'parametric' needs the n_eval column")
        for r in ROLES:
            s = data.role(r)
            if s.min() < 0 or s.max() > 1:
                bad = s.min() if s.min() < 0 else s.max()
                raise CheckpointDataError(f"bootstrap mode 'parametric' needs accuracies in "
                                          f"[0, 1]; column {r!r} has {float(bad)!r}")
    return mode


def bootstrap(data: CheckpointData, mode: str | None = None, B: int = 1000, rng=None,
              progress: Callable[[int, int], None] | None = None) -> Replicates | None:
    """Bootstrap replicates of the mean score of every role at every checkpoint.

    ``examples+seeds``: per replicate, example ids are drawn with replacement once (shared by all
    roles and checkpoints, which keeps the pairing), and seed ids once per distinct set of seed
    labels (shared across checkpoints, and across roles with the same labels).
    ``seeds``: the same with aggregate rows (whole rows are resampled).
    ``parametric``: ``Binomial(n_eval, P)/n_eval`` independently per checkpoint and role, except a
    role constant over all rows (one fixed model), which gets one draw per replicate.
    ``residual``: no replicates of the curves (returns ``None``); see :func:`analyse`.

    Parameters
    ----------
    data : CheckpointData
    mode : str, optional
        One of :data:`MODES`; default the first the data support.
    B : int
        Number of replicates.
    rng : numpy.random.Generator or int, optional
    progress : callable, optional
        Called as ``progress(done, B)`` after each chunk of replicates.

    Returns
    -------
    Replicates or None

    Examples
    --------
    >>> from numerics.checkpoints import bootstrap, synthesize
    >>> data = synthesize("null", seed=0, n_eval=50).data
    >>> rep = bootstrap(data, B=20, rng=0)
    >>> rep.mode, rep.w2s.shape
    ('examples+seeds', (20, 154))
    """
    mode = _check_mode(data, mode)
    if isinstance(B, bool) or not isinstance(B, (int, np.integer)) or B < 20:
        raise CheckpointDataError(f"B must be an integer >= 20; got {B!r}")
    rng = np.random.default_rng(rng)
    K = data.K
    if mode == "residual":
        return None
    out = {r: np.empty((B, K)) for r in ROLES}
    chunk = max(1, min(B, 200_000 // max(1, K * data.w2s.shape[2])))
    done = 0
    while done < B:
        b = min(chunk, B - done)
        if mode == "parametric":
            for r in ROLES:
                p = data.role(r).mean(axis=(1, 2))
                p = np.broadcast_to(p, (K,))
                if np.ptp(data.role(r)) == 0:
                    draw = rng.binomial(data.n_eval, p[0], size=(b, 1)) / data.n_eval
                    out[r][done:done + b] = draw
                else:
                    out[r][done:done + b] = rng.binomial(data.n_eval, p, size=(b, K)) / data.n_eval
        else:
            n = data.w2s.shape[2]
            ew = rng.multinomial(n, np.full(n, 1 / n), size=b) / n if n > 1 else np.ones((b, 1))
            seed_w = {}
            for r in ROLES:
                labels = data.seeds[r]
                if labels not in seed_w:
                    S = len(labels)
                    seed_w[labels] = (rng.multinomial(S, np.full(S, 1 / S), size=b) / S
                                      if S > 1 else np.ones((b, 1)))
                per_seed = np.einsum("ksn,bn->bks", data.role(r), ew)
                out[r][done:done + b] = np.einsum("bks,bs->bk", per_seed, seed_w[labels])
        done += b
        if progress is not None:
            progress(done, B)
    return Replicates(mode, out["weak"], out["w2s"], out["ceiling"])


# --------------------------------------------------------------------------------------------
# statistics


@functools.lru_cache(maxsize=64)
def normal_quantile(p: float) -> float:
    """The standard normal quantile ``z_p`` (mpmath, to double precision).

    Examples
    --------
    >>> round(normal_quantile(0.95), 6)
    1.644854
    """
    import mpmath

    if not 0 < p < 1:
        raise ValueError(f"p must be in (0, 1); got {p!r}")
    with mpmath.workdps(30):
        return float(-mpmath.sqrt(2) * mpmath.erfinv(1 - 2 * mpmath.mpf(p)))


def fieller(delta: float, gamma: float, v_dd: float, v_gg: float, v_dg: float, alpha: float = 0.10):
    """Fieller's (1954) ``1 - alpha`` confidence set for the ratio ``delta/gamma``.

    The set ``{rho : (delta - rho gamma)^2 <= z^2 (v_dd - 2 rho v_dg + rho^2 v_gg)}`` is a bounded
    interval iff ``gamma^2 / v_gg > z^2`` (``z = z_{1-alpha/2}``); otherwise ``None``.

    Parameters
    ----------
    delta, gamma : float
        Estimates of the numerator (gain) and the denominator (gap).
    v_dd, v_gg, v_dg : float
        Their variances and covariance.
    alpha : float

    Returns
    -------
    tuple of float or None

    Examples
    --------
    >>> lo, hi = fieller(1.0, 2.0, 0.01, 0.01, 0.0, alpha=0.05)
    >>> round(lo, 4), round(hi, 4)
    (0.3946, 0.6151)
    >>> fieller(1.0, 0.1, 0.01, 0.01, 0.0) is None
    True
    """
    z2 = normal_quantile(1 - alpha / 2) ** 2
    a = gamma * gamma - z2 * v_gg
    if not a > 0:
        return None
    b = delta * gamma - z2 * v_dg
    c = delta * delta - z2 * v_dd
    disc = max(b * b - a * c, 0.0)
    root = math.sqrt(disc)
    return ((b - root) / a, (b + root) / a)


def _fieller_variances(data: CheckpointData, sign: float):
    """Per checkpoint ``(v_dd, v_gg, v_dg)`` of gain and gap: paired per-example (or per-seed)
    covariance, or binomial variances for aggregate data with ``n_eval``."""
    K = data.K
    if data.per_example or min(len(s) for s in data.seeds.values()) >= 2:
        axis = 2 if data.per_example else 1
        other = 1 if data.per_example else 2
        w = np.broadcast_to(data.weak.mean(axis=other), (K, data.weak.shape[axis]))
        d = sign * (data.w2s.mean(axis=other) - w)
        g = sign * (data.ceiling.mean(axis=other) - w)
        m = d.shape[1]
        if m < 2:
            return None
        dc, gc = d - d.mean(1, keepdims=True), g - g.mean(1, keepdims=True)
        scale = 1 / (m * (m - 1))
        return ((dc * dc).sum(1) * scale, (gc * gc).sum(1) * scale, (dc * gc).sum(1) * scale)
    if data.n_eval is not None:
        p = data.means()
        v = {r: p[r] * (1 - p[r]) / data.n_eval for r in ROLES}
        return (v["w2s"] + v["weak"], v["ceiling"] + v["weak"], v["weak"])
    return None


def _segment_fit(y: np.ndarray, min_size: int) -> np.ndarray:
    """Index (relative) of the first point of the second segment of the least-squares single
    mean shift of each row of ``y`` (shape ``(B, L)``), segments of length ``>= min_size``."""
    L = y.shape[-1]
    c = np.cumsum(y, axis=-1)
    total = c[..., -1:]
    j = np.arange(min_size, L - min_size + 1)
    left = c[..., j - 1]
    score = left ** 2 / j + (total - left) ** 2 / (L - j)
    return j[np.argmax(score, axis=-1)]


def change_point(y, min_size: int = 3) -> int:
    """The exact least-squares single mean-shift change point of ``y``.

    Returns the index of the first point of the second segment; both segments have at least
    ``min_size`` points. The same as ``ruptures.Dynp(model="l2", min_size=min_size,
    jump=1).fit(y[:, None]).predict(n_bkps=1)[0]``.

    Examples
    --------
    >>> change_point([0, 0.1, -0.1, 0, 1, 1.1, 0.9, 1], min_size=2)
    4
    """
    y = np.asarray(y, dtype=float)
    if y.ndim != 1 or len(y) < 2 * min_size:
        raise ValueError(f"y must be 1-d with at least 2 min_size = {2 * min_size} points; "
                         f"got shape {y.shape}")
    return int(_segment_fit(y[None, :], min_size)[0])


def ceiling_emergence(gap, gap_star=None, level: float = 0.95):
    """First index after which the one-sided ``level`` lower bound of the gap stays positive.

    The lower bound is ``gap_k - q_level(gap*_k - gap_k)`` over the replicates ``gap_star``
    (shape ``(B, K)``); without replicates, the point estimate itself. ``None`` if the last
    checkpoint's bound is not positive.

    Examples
    --------
    >>> ceiling_emergence([-0.2, 0.1, -0.01, 0.05, 0.2, 0.2])
    3
    >>> ceiling_emergence([0.1, 0.2, -0.1]) is None
    True
    """
    gap = np.asarray(gap, dtype=float)
    lower = gap if gap_star is None else gap - np.quantile(gap_star - gap, level, axis=0)
    bad = np.flatnonzero(~(lower > 0))
    if len(bad) == 0:
        return 0
    k0 = int(bad[-1]) + 1
    return None if k0 >= len(gap) else k0


def _suffix_means(y: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Means of ``y[..., k:]`` for ``k`` in ``[start, stop]``."""
    rev = np.cumsum(y[..., ::-1], axis=-1)[..., ::-1]
    K = y.shape[-1]
    k = np.arange(start, stop + 1)
    return rev[..., k] / (K - k)


def _ratio(num, den, tol):
    """``num/den`` with ``|den| <= tol`` mapped to ``+-inf`` by the sign of ``num``, and to NaN
    when ``|num| <= tol`` too (so that rounding cannot flip the sign of such a replicate)."""
    zero = np.abs(den) <= tol
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / np.where(zero, 1.0, den)
    limit = np.where(num > tol, np.inf, np.where(num < -tol, -np.inf, np.nan))
    return np.where(zero, limit, out)


def _ci(star, lo_q, hi_q, axis=0):
    return (np.quantile(star, lo_q, axis=axis), np.quantile(star, hi_q, axis=axis))


def _hinge(x, y):
    """Continuous piecewise-linear onset ``a + b (x - tau)_+`` by exact least squares over
    ``tau`` at the data points (the last 3 excluded)."""
    best = None
    for j in range(len(x) - 3):
        X = np.column_stack([np.ones_like(x), np.maximum(x - x[j], 0)])
        coef, *_ = np.linalg.lstsq(X, y, rcond=None)
        sse = float(((X @ coef - y) ** 2).sum())
        if best is None or sse < best[0]:
            best = (sse, j, coef)
    return {"k": best[1], "tau": float(x[best[1]]), "a": float(best[2][0]),
            "b": float(best[2][1])}


def _sustained(gain, gain_star, alpha, r=3):
    """First ``k`` whose simultaneous (max-t) lower band of the gain is positive for ``r``
    consecutive checkpoints, or ``None``."""
    se = gain_star.std(axis=0, ddof=1)
    se = np.where(se > 0, se, np.inf)
    c = float(np.quantile(np.max(np.abs(gain_star - gain) / se, axis=1), 1 - alpha))
    above = gain - c * se > 0
    for k in range(len(gain) - r + 1):
        if above[k:k + r].all():
            return k
    return None


def _pelt(y, sigma2):
    try:
        import ruptures
    except ImportError:
        return None
    pen = 2 * sigma2 * math.log(len(y))
    bkps = ruptures.Pelt(model="l2", min_size=2, jump=1).fit(y[:, None]).predict(pen=pen)
    return [int(b) for b in bkps[:-1]]


@dataclass
class Analysis:
    """Estimates for one ``(task, model)``; see :func:`analyse`. ``to_dict()`` is JSON-ready."""

    task: str
    model: str
    metric: str
    steps: np.ndarray
    x: np.ndarray
    table: dict
    k0: int | None
    ceiling: dict
    test: dict | None
    change: dict | None
    levels: dict | None
    detectors: dict
    provenance: dict
    notes: list = field(default_factory=list)

    def step_of(self, k):
        """Step of checkpoint index ``k`` (``None`` passes through)."""
        return None if k is None else int(self.steps[k])

    def to_dict(self) -> dict:
        """A JSON-ready dict: NaN becomes ``None``, arrays become lists."""
        rows = []
        for k in range(len(self.steps)):
            rows.append({c: _plain(v[k]) for c, v in self.table.items()})
        return {"task": self.task, "model": self.model, "metric": self.metric,
                "checkpoints": rows,
                "ceiling": _plain(self.ceiling), "test": _plain(self.test),
                "change": _plain(self.change), "levels": _plain(self.levels),
                "detectors": _plain(self.detectors), "provenance": _plain(self.provenance),
                "notes": list(self.notes)}


def _plain(v):
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, np.ndarray):
        return [_plain(x) for x in v.tolist()]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v) if math.isfinite(v) else None
    return v


#: Columns of the per-checkpoint table (the CSV output of ``w2s pgr``).
COLUMNS = ("step", "x", "P_weak", "P_w2s", "P_ceil", "gain", "gain_lo", "gain_hi", "gain_se",
           "gap", "gap_lo", "gap_hi", "gap_se", "pgr", "pgr_lo", "pgr_hi", "pgr_raw", "fieller_lo",
           "fieller_hi", "status")


def _x_axis(data: CheckpointData, x_axis: str) -> np.ndarray:
    if x_axis not in X_AXES:
        raise CheckpointDataError(f"x_axis must be one of {', '.join(X_AXES)}; got {x_axis!r}")
    if x_axis == "index":
        return np.arange(data.K, dtype=float)
    if x_axis == "step":
        return data.steps.astype(float)
    if x_axis == "tokens":
        if data.tokens is None:
            raise CheckpointDataError("x_axis 'tokens' needs the tokens column")
        return data.tokens.astype(float)
    return np.log10(data.steps + 1.0)


def analyse(data: CheckpointData, *, mode: str | None = None, B: int = 1000, alpha: float = 0.10,
            alpha_test: float = 0.05, min_size: int = 3, higher_is_better: bool = True,
            x_axis: str = "log_step", seed: int = 0, tol: float = 1e-12,
            detectors: bool = True,
            progress: Callable[[int, int], None] | None = None) -> Analysis:
    """Per-checkpoint gain, gap and PGR with CIs; ceiling emergence; the emergence test and the
    change point with its CI (``theory/checkpoints.md`` sections 2-4).

    Parameters
    ----------
    data : CheckpointData
    mode : str, optional
        Bootstrap mode (:data:`MODES`); default the first the data support.
    B : int
        Bootstrap replicates (>= 20).
    alpha : float
        Two-sided level of the CIs (default 0.10: 90% intervals).
    alpha_test : float
        Family-wise level of the existence test.
    min_size : int
        Minimum segment length of the change point and of the tested suffixes.
    higher_is_better : bool
        ``False`` for losses (``sign = -1``).
    x_axis : {"log_step", "step", "index", "tokens"}
        Reporting axis (and the hinge detector's axis); change points use checkpoint order.
    seed : int
        Seed of the bootstrap (``numpy.random.SeedSequence``).
    tol : float
        ``|gap| <= tol`` gives status ``zero_gap``.
    detectors : bool
        Also run the optional detectors (hinge onset, first sustained crossing, ``ruptures``
        PELT segmentation if installed); they are reported, never used for the decision.
    progress : callable, optional
        ``progress(done, B)``, see :func:`bootstrap`.

    Returns
    -------
    Analysis

    Examples
    --------
    >>> from numerics.checkpoints import analyse, synthesize
    >>> a = analyse(synthesize("null", seed=3).data, B=200)
    >>> a.provenance["bootstrap_mode"], a.table["status"][0], a.table["status"][-1]
    ('examples+seeds', 'ceiling_below_weak', 'ok')
    """
    if not 0 < alpha < 1 or not 0 < alpha_test < 1:
        raise CheckpointDataError(f"alpha and alpha_test must be in (0, 1); got {alpha}, "
                                  f"{alpha_test}")
    if isinstance(min_size, bool) or not isinstance(min_size, (int, np.integer)) or min_size < 1:
        raise CheckpointDataError(f"min_size must be an integer >= 1; got {min_size!r}")
    if data.K < 2 * min_size + 1:
        raise CheckpointDataError(f"{data.K} checkpoints; at least {2 * min_size + 1} "
                                  f"(2 min_size + 1) are needed")
    mode = _check_mode(data, mode)
    sign = 1.0 if higher_is_better else -1.0
    x = _x_axis(data, x_axis)
    K = data.K
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    rep = bootstrap(data, mode, B, rng, progress)
    P = data.means()
    gain = sign * (P["w2s"] - P["weak"])
    gap = sign * (P["ceiling"] - P["weak"])
    lo_q, hi_q = alpha / 2, 1 - alpha / 2
    nan = np.full(K, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        pgr_raw = np.where(np.abs(gap) > tol, gain / np.where(gap == 0, 1, gap), np.nan)
    if rep is not None:
        gain_s = sign * (rep.w2s - rep.weak)
        gap_s = sign * (rep.ceiling - rep.weak)
        gain_lo, gain_hi = _ci(gain_s, lo_q, hi_q)
        gap_lo, gap_hi = _ci(gap_s, lo_q, hi_q)
        gain_se, gap_se = gain_s.std(axis=0, ddof=1), gap_s.std(axis=0, ddof=1)
    else:
        gain_s = gap_s = None
        gain_lo = gain_hi = gap_lo = gap_hi = gain_se = gap_se = nan
    status = []
    for k in range(K):
        if abs(gap[k]) <= tol:
            status.append("zero_gap")
        elif (gap_hi[k] if rep is not None else gap[k]) < -tol:
            status.append("ceiling_below_weak")
        elif rep is not None and gap_lo[k] <= tol and gap_hi[k] >= -tol:
            status.append("gap_not_significant")
        else:
            status.append("ok")
    ok = np.array([s == "ok" for s in status])
    pgr = np.where(ok, pgr_raw, np.nan)
    pgr_lo, pgr_hi = nan.copy(), nan.copy()
    if rep is not None and ok.any():
        star = _ratio(gain_s[:, ok], gap_s[:, ok], tol)
        pgr_lo[ok] = np.nanquantile(star, lo_q, axis=0, method="lower")
        pgr_hi[ok] = np.nanquantile(star, hi_q, axis=0, method="higher")
    f_lo, f_hi = nan.copy(), nan.copy()
    variances = _fieller_variances(data, sign)
    if variances is not None:
        for k in range(K):
            interval = fieller(gain[k], gap[k], variances[0][k], variances[1][k], variances[2][k],
                               alpha)
            if interval is not None:
                f_lo[k], f_hi[k] = interval
    table = {"step": data.steps, "x": x, "P_weak": P["weak"], "P_w2s": P["w2s"],
             "P_ceil": P["ceiling"], "gain": gain, "gain_lo": gain_lo, "gain_hi": gain_hi,
             "gain_se": gain_se, "gap": gap, "gap_lo": gap_lo, "gap_hi": gap_hi,
             "gap_se": gap_se, "pgr": pgr, "pgr_lo": pgr_lo, "pgr_hi": pgr_hi, "pgr_raw": pgr_raw,
             "fieller_lo": f_lo, "fieller_hi": f_hi,
             "status": np.array(status, dtype=object)}
    notes = []
    if mode == "seeds":
        notes.append(f"bootstrap over {len(data.seeds['w2s'])} seeds only: the noise of the "
                     f"evaluation set (and of a weak model scored once) is not in the CIs; prefer "
                     f"the per-example CSV, or n_eval with mode 'parametric'")
    k0 = ceiling_emergence(gap, gap_s)
    ceiling = {"k0": k0, "step": None if k0 is None else int(data.steps[k0]), "level": 0.95}
    crossing = _last_crossing(gap)
    if crossing >= 0:
        ceiling["crossing_step"] = int(data.steps[crossing])
    if gap_s is not None and k0 is not None:
        crossings = np.array([_last_crossing(g) for g in gap_s])
        crossings = crossings[crossings >= 0]
        if len(crossings):
            lo = int(np.quantile(crossings, lo_q, method="lower"))
            hi = int(np.quantile(crossings, hi_q, method="higher"))
            ceiling["crossing_ci_steps"] = _step_interval(data.steps, lo, hi)
    test = change = levels = None
    run_detectors, detectors = detectors, {"hinge": None, "sustained": None, "pelt": None}
    if k0 is None:
        notes.append("ceiling never beats weak; PGR undefined throughout")
    elif K - k0 < 2 * min_size:
        notes.append(f"only {K - k0} checkpoints after the ceiling emerges at step "
                     f"{data.steps[k0]}; the test and the change point need {2 * min_size}")
    else:
        y = gain[k0:]
        if gain_s is not None:
            ys = gain_s[:, k0:]
            L = K - k0
            means = _suffix_means(y, 0, L - min_size)
            star = _suffix_means(ys, 0, L - min_size)
            se = star.std(axis=0, ddof=1)
            se = np.where(se > 0, se, np.inf)
            T = float(np.max(means / se))
            max_star = np.max((star - means) / se, axis=1)
            c = float(np.quantile(max_star, 1 - alpha_test))
            p_value = float((1 + np.sum(max_star >= T)) / (B + 1))
            test = {"T": T, "c": c, "p_value": p_value, "alpha": alpha_test,
                    "k_max": int(k0 + np.argmax(means / se))}
        k_hat = int(_segment_fit(y[None, :], min_size)[0])
        if gain_s is not None:
            ks = _segment_fit(gain_s[:, k0:], min_size)
        else:  # residual bootstrap around the fitted two-segment model
            fit = np.where(np.arange(len(y)) < k_hat, y[:k_hat].mean(), y[k_hat:].mean())
            resid = y - fit
            resid = resid - resid.mean()
            ys = fit + rng.choice(resid, size=(B, len(y)), replace=True)
            ks = _segment_fit(ys, min_size)
        values, counts = np.unique(ks, return_counts=True)
        lo = int(np.quantile(ks, lo_q, method="lower")) + k0
        hi = int(np.quantile(ks, hi_q, method="higher")) + k0
        mode_k = int(values[np.argmax(counts)]) + k0
        change = {"k_hat": k0 + k_hat, "step": int(data.steps[k0 + k_hat]),
                  "step_interval": [int(data.steps[k0 + k_hat - 1]),
                                    int(data.steps[k0 + k_hat])],
                  "ci_k": [lo, hi], "ci_steps": _step_interval(data.steps, lo, hi),
                  "ci_level": 1 - alpha, "mode_k": mode_k, "mode_step": int(data.steps[mode_k]),
                  "mode_prob": float(counts.max() / len(ks)), "resampling": mode}
        kk = k0 + k_hat
        levels = {}
        for name, sl in (("pre", slice(k0, kk)), ("post", slice(kk, K))):
            est = float(gain[sl].mean())
            entry = {"estimate": est, "ci": None}
            if gain_s is not None:
                entry["ci"] = list(_ci(gain_s[:, sl].mean(axis=1), lo_q, hi_q))
            levels[f"gain_{name}"] = entry
            sel = np.arange(K)[sl][ok[sl]]
            entry = {"estimate": float(pgr[sel].mean()) if len(sel) else None, "ci": None,
                     "checkpoints": int(len(sel))}
            if len(sel) and gain_s is not None:
                star = _ratio(gain_s[:, sel], gap_s[:, sel], tol).mean(axis=1)
                entry["ci"] = [np.nanquantile(star, lo_q, method="lower"),
                               np.nanquantile(star, hi_q, method="higher")]
            levels[f"pgr_{name}"] = entry
    if change is not None and run_detectors:
        y = gain[k0:]
        hinge = _hinge(x[k0:], y)
        detectors["hinge"] = {**hinge, "k": hinge["k"] + k0,
                              "step": int(data.steps[hinge["k"] + k0])}
        if gain_s is not None:
            s = _sustained(y, gain_s[:, k0:], alpha)
            detectors["sustained"] = None if s is None else {"k": s + k0,
                                                              "step": int(data.steps[s + k0])}
        sigma = float(np.median(np.abs(np.diff(y))) / (0.6744897501960817 * math.sqrt(2)))
        bkps = _pelt(y, sigma ** 2)
        detectors["pelt"] = None if bkps is None else {
            "k": [b + k0 for b in bkps], "steps": [int(data.steps[b + k0]) for b in bkps]}
    provenance = {"seed": seed, "B": B, "bootstrap_mode": mode, "alpha": alpha,
                  "min_size": min_size, "tolerance": tol, "higher_is_better": higher_is_better,
                  "x_axis": x_axis, "versions": _versions()}
    return Analysis(data.task, data.model, data.metric, data.steps, x, table, k0, ceiling, test,
                    change, levels, detectors, provenance, notes)


def _last_crossing(g):
    """Index after the last non-positive value of ``g`` (``-1`` if the last one is not positive)."""
    bad = np.flatnonzero(~(g > 0))
    if len(bad) == 0:
        return 0
    return -1 if bad[-1] == len(g) - 1 else int(bad[-1]) + 1


def _step_interval(steps, lo, hi):
    """``(steps[lo - 1], steps[hi]]``: the change happens after the first and by the second."""
    return [int(steps[lo - 1]) if lo > 0 else None, int(steps[hi])]


def _versions():
    from importlib import metadata

    out = {}
    for name in ("w2s-theory", "numpy", "mpmath", "ruptures"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


# --------------------------------------------------------------------------------------------
# synthetic data


def pythia_steps() -> np.ndarray:
    """Pythia's 154 checkpoint steps: ``0, 1, 2, 4, ..., 512`` then ``1000, 2000, ..., 143000``.

    Examples
    --------
    >>> s = pythia_steps()
    >>> len(s), s[:4].tolist(), s[-1]
    (154, [0, 1, 2, 4], np.int64(143000))
    """
    return np.array([0] + [2 ** i for i in range(10)] + list(range(1000, 143001, 1000)))


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def _logit(p):
    p = np.asarray(p, dtype=float)
    return np.log(p) - np.log1p(-p)


def population_score(p, s_item: float = 1.0) -> np.ndarray:
    """``E_u[sigma(logit p + s_item u)]``, ``u ~ N(0, 1)`` (60-node Gauss-Hermite): the expected
    accuracy of a model with latent score ``p`` on the synthetic evaluation.

    Examples
    --------
    >>> round(float(population_score(0.70)), 3)
    0.669
    """
    nodes, weights = np.polynomial.hermite_e.hermegauss(60)
    weights = weights / weights.sum()
    p = np.asarray(p, dtype=float)
    return (_sigmoid(_logit(p)[..., None] + s_item * nodes) * weights).sum(-1)


@dataclass(frozen=True)
class TheoryProfile:
    """The theory mode of :func:`synthesize`: latent scores as functions of ``n_u/d``.

    Attributes
    ----------
    scores : callable
        ``scores(nu) -> (P_weak, P_w2s, P_ceil)``: for an array ``nu`` of ``n_u/d`` values, three
        arrays (or scalars) of population scores in ``(0, 1)``, higher is better. ``P_weak``
        must be constant (one fixed weak model).
    step_scale : float
        Checkpoint ``step`` has ``n_u/d = step / step_scale``.
    description : str
    thresholds : dict, optional
        The ``n_u/d`` of the ceiling's and W2SG's transitions, when the profile knows them.
    """

    scores: Callable
    step_scale: float
    description: str = ""
    thresholds: dict | None = None

    def nu(self, steps) -> np.ndarray:
        """``n_u/d`` at each step."""
        return np.asarray(steps, dtype=float) / self.step_scale


#: Theorem PT(iii) thresholds of set D (``pretraining.md``): the ceiling's and the W2S student's.
PT_CEILING_THRESHOLD = 1.309711265
PT_W2S_THRESHOLD = 1.362020910


def default_theory_profile(*, p_weak: float = 0.70, ceiling_low: float = 0.55,
                           ceiling_high: float = 0.86, pgr_hi: float = 0.45, lag: float = 0.05,
                           nu_ceiling: float = PT_CEILING_THRESHOLD,
                           nu_w2s: float = PT_W2S_THRESHOLD,
                           step_scale: float = 73000.0) -> TheoryProfile:
    """An explicit two-threshold profile of Theorem PT(iii) (first-order jumps in ``n_u/d``).

    * ceiling: ``ceiling_low`` (< weak) for ``nu <= nu_ceiling``, ``ceiling_high`` above;
    * W2S: ``min(P_ceil, P_weak) - lag`` for ``nu <= nu_w2s`` (negative gain, PGR < 0 between the
      thresholds), ``P_weak + pgr_hi (P_ceil - P_weak)`` above (PGR = ``pgr_hi``).

    The defaults are set D's thresholds 1.309711265 and 1.362020910; ``step_scale = 73000`` puts
    them at steps 95609 and 99427 of Pythia's schedule (the ceiling overtakes the weak model at
    checkpoint 96000, W2SG emerges at 100000). The generator's item difficulty (``s_item``)
    maps these latent scores to expected accuracies; ``s_item = 0`` keeps them exactly.

    Examples
    --------
    >>> profile = default_theory_profile()
    >>> weak, w2s, ceil = profile.scores(profile.nu([90000, 97000, 120000]))
    >>> ceil.tolist(), w2s.round(3).tolist()
    ([0.55, 0.86, 0.86], [0.5, 0.65, 0.772])
    """
    if not ceiling_low < p_weak < ceiling_high or not nu_ceiling < nu_w2s:
        raise ValueError("need ceiling_low < p_weak < ceiling_high and nu_ceiling < nu_w2s")

    def scores(nu):
        nu = np.asarray(nu, dtype=float)
        ceil = np.where(nu > nu_ceiling, ceiling_high, ceiling_low)
        before = np.minimum(ceil, p_weak) - lag
        after = p_weak + pgr_hi * (ceil - p_weak)
        return np.full(nu.shape, p_weak), np.where(nu > nu_w2s, after, before), ceil

    return TheoryProfile(scores, step_scale,
                         f"Theorem PT(iii) profile: ceiling jumps at n_u/d={nu_ceiling}, W2SG "
                         f"at {nu_w2s}; step_scale={step_scale}")


#: Set D of ``pretraining.md`` (Theorem PT's anchors), the default of :func:`single_index_profile`.
SET_D = {"spike": "1", "eta1": "0.45", "rho_w": "0.9", "c3": "1", "b1": "1/2", "b3": "1",
         "delta": "0.005"}


def single_index_profile(params: dict | None = None, *, p_weak: float = 0.70,
                         ceiling_low: float = 0.55, ceiling_high: float = 0.86,
                         lag: float = 0.05, step_scale: float = 73000.0) -> TheoryProfile:
    """The profile of Theorem PT computed by :mod:`theory.single_index` (the theory mode's default).

    Both thresholds are evaluated from the theory at ``params`` (default :data:`SET_D`): W2SG's,
    ``single_index.pretraining_threshold``, and the ceiling's, the same threshold for a
    supervisor matched to the target (``b = c``, ``rho_w = 1``). Above the ceiling's threshold the
    student's score is ``P_weak + PGR(nu) (P_ceil - P_weak)`` with the oracle PGR of online SGD
    from :func:`numerics.single_index.pgr_curve` (negative until the W2S threshold, then the
    plateau of Theorem PT); below it the ceiling is under the weak model and the student is at
    ``min(P_ceil, P_weak) - lag``. The scores ``P_ceil`` and ``P_weak`` are illustrative levels
    (the theory fixes the thresholds and the PGR, not accuracies).

    Examples
    --------
    >>> profile = single_index_profile()
    >>> {k: round(v, 9) for k, v in profile.thresholds.items()}
    {'ceiling': 1.309711265, 'w2s': 1.36202091}
    >>> weak, w2s, ceil = profile.scores(profile.nu([90000, 97000, 120000]))
    >>> ceil.tolist(), w2s.round(4).tolist()
    ([0.55, 0.86, 0.86], [0.5, 0.456, 0.7472])
    """
    from fractions import Fraction

    from numerics.evaluate import evaluate
    from numerics.single_index import pgr_curve

    params = dict(SET_D if params is None else params)
    matched = {**params, "rho_w": 1}
    for k in range(1, 5):
        matched[f"b{k}"] = params.get(f"c{k}", 0)
    nu_w2s = float(evaluate("single_index.pretraining_threshold", params, dps=20))
    nu_ceiling = float(evaluate("single_index.pretraining_threshold", matched, dps=20))
    floats = {k: float(Fraction(str(v))) for k, v in params.items()}

    def scores(nu):
        nu = np.asarray(nu, dtype=float)
        ceil = np.where(nu > nu_ceiling, ceiling_high, ceiling_low)
        w2s = np.minimum(ceil, p_weak) - lag
        above = nu > nu_ceiling
        if above.any():
            pgr = pgr_curve(nu[above], floats)
            w2s = w2s.copy()
            w2s[above] = p_weak + pgr * (ceil[above] - p_weak)
        return np.full(nu.shape, p_weak), w2s, ceil

    return TheoryProfile(scores, step_scale,
                         f"Theorem PT by theory.single_index: ceiling threshold n_u/d = "
                         f"{nu_ceiling:.10g}, W2SG threshold {nu_w2s:.10g}; "
                         f"step_scale={step_scale}",
                         {"ceiling": nu_ceiling, "w2s": nu_w2s})


@dataclass(frozen=True)
class SyntheticData:
    """A synthetic data set and its ground truth.

    ``truth`` holds arrays over checkpoints: ``weak, w2s, ceiling`` (expected accuracies), ``gain,
    gap, pgr`` (NaN where the true gap is not positive), and the indices ``k0`` (first index after
    which the true gap stays positive) and ``k_change`` (the least-squares step projection of the
    true gain on ``[k0, K)``; ``None`` for the null).
    """

    data: CheckpointData
    truth: dict

    def write(self, path) -> tuple[Path, Path]:
        """Write the aggregate CSV to ``path`` and the per-example CSV next to it
        (``NAME.examples.csv``); return both paths."""
        path = Path(path)
        ex_path = path.with_name(path.stem + ".examples.csv")
        d = self.data
        with path.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["task", "model", "step", "seed", "weak", "w2s", "ceiling", "n_eval",
                        "metric"])
            weak = d.weak.mean(axis=(1, 2))[0]
            for k, step in enumerate(d.steps):
                for j, seed in enumerate(d.seeds["w2s"]):
                    w.writerow([d.task, d.model, step, seed, repr(float(weak)),
                                repr(float(d.w2s[k, j].mean())),
                                repr(float(d.ceiling[k, j].mean())), d.n_eval, d.metric])
        with ex_path.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["task", "model", "step", "seed", "role", "example_id", "score"])
            for i, v in enumerate(d.weak[0, 0]):
                w.writerow([d.task, d.model, -1, d.seeds["weak"][0], "weak", i, int(v)])
            for r in ("w2s", "ceiling"):
                for k, step in enumerate(d.steps):
                    for j, seed in enumerate(d.seeds[r]):
                        w.writerows([d.task, d.model, step, seed, r, i, int(v)]
                                    for i, v in enumerate(d.role(r)[k, j]))
        return path, ex_path


def synthesize(emergence: str = "logistic", *, seed: int = 0, steps: Sequence[int] | None = None,
               n_eval: int = 500, n_seeds: int = 3, p_weak: float = 0.70,
               ceiling: tuple = (0.50, 0.86, 3.3, 0.35), x_c: float = 4.0, width: float = 0.08,
               lag: float | None = None, pgr_hi: float = 0.45, s_item: float = 1.0,
               seed_sd: float = 0.05, theory: TheoryProfile | None = None) -> SyntheticData:
    """A synthetic Pythia-like data set (``theory/checkpoints.md`` section 6).

    Latent scores per checkpoint (``x = log10(step + 1)``): ceiling ``c_lo + (c_hi - c_lo)
    sigma((x - c_mid)/c_w)``; W2S ``(1 - e)(min(P_c, P_w) - lag) + e (P_w + pgr_hi (P_c - P_w))``
    with the emergence indicator ``e`` logistic ``sigma((x - x_c)/width)``, a ``step`` at ``x_c``,
    or 0 (``null``, where ``lag`` defaults to 0). ``theory``: the latent scores come from
    ``theory.scores(step / theory.step_scale)`` (default :func:`single_index_profile`, Theorem PT
    computed by :mod:`theory.single_index`).

    Evaluation: ``n_eval`` examples with difficulty ``u_i ~ N(0, 1)`` shared by every role and
    checkpoint; a model with latent ``P`` and seed offset ``o ~ N(0, seed_sd^2)`` answers example
    ``i`` correctly with probability ``sigma(logit P + s_item u_i + o)``. The weak model is scored
    once (step ``-1``); w2s and ceiling have ``n_seeds`` seeds at every checkpoint.

    Parameters
    ----------
    emergence : {"logistic", "step", "null", "theory"}
    seed : int
    steps : sequence of int, optional
        Default :func:`pythia_steps`.
    n_eval, n_seeds : int
    p_weak : float
    ceiling : tuple
        ``(c_lo, c_hi, c_mid, c_w)``.
    x_c, width, lag, pgr_hi, s_item, seed_sd : float
    theory : TheoryProfile, optional

    Returns
    -------
    SyntheticData

    Examples
    --------
    >>> s = synthesize("logistic", seed=0)
    >>> s.data.w2s.shape, round(float(s.truth["weak"][0]), 3)
    ((154, 3, 500), 0.669)
    >>> int(s.data.steps[s.truth["k0"]]), int(s.data.steps[s.truth["k_change"]])
    (3000, 12000)
    """
    kinds = ("logistic", "step", "null", "theory")
    if emergence not in kinds:
        raise ValueError(f"emergence must be one of {', '.join(kinds)}; got {emergence!r}")
    for name, value, low in (("n_eval", n_eval, 2), ("n_seeds", n_seeds, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}; got {value!r}")
    steps = pythia_steps() if steps is None else np.asarray(steps)
    x = np.log10(steps + 1.0)
    if emergence == "theory":
        theory = theory or single_index_profile()
        pw, pws, pc = (np.broadcast_to(np.asarray(a, dtype=float), steps.shape)
                       for a in theory.scores(theory.nu(steps)))
        if np.ptp(pw) > 0:
            raise ValueError("the theory profile's weak score must be constant (one weak model)")
        pw = float(pw[0])
    else:
        c_lo, c_hi, c_mid, c_w = ceiling
        pw = p_weak
        pc = c_lo + (c_hi - c_lo) * _sigmoid((x - c_mid) / c_w)
        e = {"logistic": _sigmoid((x - x_c) / width), "step": (x >= x_c).astype(float),
             "null": np.zeros_like(x)}[emergence]
        lag = (0.0 if emergence == "null" else 0.05) if lag is None else lag
        pws = (1 - e) * (np.minimum(pc, pw) - lag) + e * (pw + pgr_hi * (pc - pw))
    for name, p in (("weak", pw), ("w2s", pws), ("ceiling", pc)):
        if not np.all((np.asarray(p) > 0) & (np.asarray(p) < 1)):
            raise ValueError(f"latent {name} scores must lie in (0, 1)")
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    u = rng.standard_normal(n_eval)
    K = len(steps)

    def answers(p, shape):
        offset = rng.normal(0.0, seed_sd, size=shape + (1,))
        logits = _logit(p)[:, None, None] + s_item * u + offset
        return (rng.random(logits.shape) < _sigmoid(logits)).astype(float)

    weak = (rng.random((1, 1, n_eval)) < _sigmoid(_logit(pw) + s_item * u)).astype(float)
    w2s = answers(np.asarray(pws), (K, n_seeds))
    ceil = answers(np.asarray(pc), (K, n_seeds))
    labels = tuple(range(n_seeds))
    data = CheckpointData(steps=steps, weak=weak, w2s=w2s, ceiling=ceil,
                          seeds={"weak": (0,), "w2s": labels, "ceiling": labels},
                          per_example=True, n_eval=n_eval, task="synthetic",
                          model=f"pythia-like/{emergence}", metric="accuracy")
    t_weak = np.full(K, float(population_score(pw, s_item)))
    t_w2s, t_ceil = population_score(pws, s_item), population_score(pc, s_item)
    gain, gap = t_w2s - t_weak, t_ceil - t_weak
    k0 = ceiling_emergence(gap)
    k_change = None
    if emergence != "null" and k0 is not None and K - k0 >= 6:
        k_change = k0 + change_point(gain[k0:], 3)
    with np.errstate(divide="ignore", invalid="ignore"):
        pgr = np.where(gap > 0, gain / gap, np.nan)
    truth = {"weak": t_weak, "w2s": t_w2s, "ceiling": t_ceil, "gain": gain, "gap": gap,
             "pgr": pgr, "k0": k0, "k_change": k_change, "latent": {"weak": pw, "w2s": pws,
                                                                    "ceiling": pc}}
    return SyntheticData(data, truth)
