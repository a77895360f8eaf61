"""Phase boundaries at finite ``d``: located from simulation, extrapolated to ``d -> oo``.

A mechanism declares its boundaries (:class:`numerics.boundaries.Boundary`, named by the
``boundaries`` facet of its description); this engine never names a mechanism. For each ``d``:

1. **simulate** -- every repetition evaluates the boundary's *margin* (a statistic of the
   mechanism's simulated process whose mean changes sign at the boundary) on a grid of the
   interval ``lo:hi``, with common random numbers along the grid. One repetition at one ``d`` is
   one task of the sweep engine (:func:`numerics.sweep.run_points`): its seed derives from the
   run's seed and the task, rows go to an SQLite file as they finish, an interrupted run resumes,
   and the tasks run on local worker processes or on a ``dask.distributed`` cluster;
2. **locate** -- the boundary is where the mean margin changes sign: the grid cell whose sign
   pattern agrees best with one crossing, then linear interpolation inside it; a mean margin of
   one sign over the whole interval puts the boundary at the interval's end (censored);
3. **bootstrap** -- resampling the repetitions (with replacement) gives the percentile
   confidence interval of the location at each ``d``.

Then the finite-size correction ``x(d) = x_oo + a d^(-p)`` is fitted to the located points (a
censored point, a bound rather than an estimate, is left out while two points remain):
with the exponent ``p`` the theory predicts (weighted least squares, the interval of ``x_oo``
from the same bootstrap replicates, independent across ``d``), and with ``p`` free (nonlinear
weighted least squares: the fitted exponent and its standard error), next to the asymptotic
value from the theory.

Examples
--------
>>> from numerics.boundary import locate
>>> import numpy as np
>>> float(locate(np.array([[0.3, 0.1, -0.1, -0.3]]).mean(0), np.array([0.0, 1.0, 2.0, 3.0])))
1.5
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from numerics.boundaries import Boundary
from numerics.simulate.common import SimulationError
from numerics.validation import ParameterError, check_params, parse_value

__all__ = ["BoundaryError", "BoundaryResult", "boundaries", "find", "parse_interval", "prepare",
           "locate", "bootstrap", "fit", "run_boundary", "BOOTSTRAP"]

#: Bootstrap resamples per ``d``.
BOOTSTRAP = 2000
_LEVEL = 0.95


class BoundaryError(ValueError):
    """Bad boundary input (unknown model or parameter, no or two intervals, ``lo >= hi``, ``d``
    below the boundary's minimum)."""


def boundaries() -> dict[str, tuple[str, str]]:
    """Every boundary of the catalogue: ``"mechanism.name"`` -> (mechanism, reference).

    Examples
    --------
    >>> from numerics.boundary import boundaries
    >>> "ridge.teacher_beaten" in boundaries()
    True
    """
    from theory.catalogue import catalogue

    return {f"{m.name}.{name}": (m.name, ref) for m in catalogue().values()
            for name, ref in m.boundaries.items()}


def _resolve(reference: str) -> Boundary:
    from theory.mechanism import resolve

    boundary = resolve(reference)
    if not isinstance(boundary, Boundary):
        raise BoundaryError(f"{reference} is not a numerics.boundaries.Boundary")
    return boundary


def find(model: str, interval_parameter: Optional[str] = None) -> tuple[str, Boundary]:
    """The boundary ``model`` names: ``"mechanism.name"``, or a mechanism whose boundaries
    include exactly one along ``interval_parameter``.

    Examples
    --------
    >>> from numerics.boundary import find
    >>> find("ridge", "lam_t")[0]
    'ridge.teacher_beaten'
    >>> find("mp")
    Traceback (most recent call last):
    ...
    numerics.boundary.BoundaryError: unknown model 'mp' for w2s boundary; known: ...
    """
    known = boundaries()
    if model in known:
        return model, _resolve(known[model][1])
    mine = {name: ref for name, (mech, ref) in known.items() if mech == model}
    if not mine:
        names = sorted({mech for mech, _ in known.values()} | set(known))
        raise BoundaryError(f"unknown model {model!r} for w2s boundary; known: "
                            f"{', '.join(names)}")
    candidates = {name: _resolve(ref) for name, ref in mine.items()}
    if interval_parameter is not None:
        along = {n: b for n, b in candidates.items() if b.parameter == interval_parameter}
        if len(along) == 1:
            return next(iter(along.items()))
        if not along:
            options = ", ".join(f"{n} along {b.parameter}" for n, b in candidates.items())
            raise BoundaryError(f"{model} has no boundary along {interval_parameter}; its "
                                f"boundaries: {options}")
        candidates = along
    if len(candidates) == 1:
        return next(iter(candidates.items()))
    raise BoundaryError(f"{model} has several boundaries ({', '.join(candidates)}); name one "
                        f"as MODEL")


def parse_interval(name: str, text: str) -> tuple:
    """``lo:hi`` as two exact numbers with ``lo < hi``.

    Examples
    --------
    >>> from numerics.boundary import parse_interval
    >>> parse_interval("lam_t", "0.005:0.3")
    (1/200, 3/10)
    >>> parse_interval("lam_t", "0.3:0.1")
    Traceback (most recent call last):
    ...
    numerics.boundary.BoundaryError: lam_t=0.3:0.1: the interval lo:hi needs lo < hi
    """
    parts = text.split(":")
    if len(parts) != 2:
        raise BoundaryError(f"{name}={text}: expected an interval lo:hi")
    try:
        lo, hi = parse_value(name, parts[0]), parse_value(name, parts[1])
    except ParameterError as error:
        raise BoundaryError(str(error)) from None
    if not (lo.is_real and hi.is_real):
        raise BoundaryError(f"{name}={text}: the interval's ends must be real numbers")
    if not lo < hi:
        raise BoundaryError(f"{name}={text}: the interval lo:hi needs lo < hi")
    return lo, hi


@dataclass(frozen=True)
class Prepared:
    """A boundary and the configuration it runs at (after the checks)."""

    name: str
    boundary: Boundary
    exact: dict          # parameter -> text, every parameter but the interval's
    point: dict          # the same as floats (the simulator's precision)
    lo: float
    hi: float
    grid: np.ndarray
    dims: tuple
    reps: int
    seed: int

    @property
    def description(self) -> str:
        """The configuration in one line (``gamma_t=1/2, ...``)."""
        return ", ".join(f"{k}={v}" for k, v in self.exact.items())


def prepare(model: str, assignments: dict, dims=None, reps=None, seed: int = 0) -> Prepared:
    """Check a boundary request (as ``w2s boundary`` gets it) and fill in the defaults.

    Parameters
    ----------
    model : str
        A mechanism with boundaries, or ``"mechanism.name"``.
    assignments : dict
        ``{parameter: text}``; exactly one value is an interval ``lo:hi``; parameters not given
        take the boundary's reference configuration.
    dims : sequence of int, optional
        The dimensions (default: the boundary's).
    reps : int, optional
        Repetitions per ``d`` (default: the boundary's).
    seed : int

    Examples
    --------
    >>> from numerics.boundary import prepare
    >>> p = prepare("ridge", {"lam_t": "0.005:0.3"})
    >>> p.name, p.lo, p.hi, p.dims
    ('ridge.teacher_beaten', 0.005, 0.3, (100, 200, 400, 800))
    >>> prepare("ridge", {"lam_t": "0.005:0.3", "gamma_t": "0.1:0.2"})
    Traceback (most recent call last):
    ...
    numerics.boundary.BoundaryError: give exactly one parameter as an interval lo:hi; got 2 (lam_t, gamma_t)
    """
    intervals = [n for n, v in assignments.items() if ":" in str(v)]
    if len(intervals) != 1:
        raise BoundaryError(f"give exactly one parameter as an interval lo:hi; got "
                            f"{len(intervals)}" + (f" ({', '.join(intervals)})" if intervals
                                                   else ""))
    along = intervals[0]
    name, boundary = find(model, along)
    unknown = sorted(set(assignments) - set(boundary.parameters))
    if unknown:
        raise BoundaryError(f"unknown parameter {', '.join(unknown)} for {name}; expected "
                            f"{', '.join(boundary.parameters)}")
    lo, hi = parse_interval(along, assignments[along])
    exact = {n: str(assignments.get(n, boundary.reference[n])) for n in boundary.parameters
             if n != along}
    try:
        values = {n: parse_value(n, v) for n, v in exact.items()}
        values[along] = (lo + hi) / 2
        for end in (lo, hi):
            _check(boundary, {**values, along: end})
    except ParameterError as error:
        raise BoundaryError(str(error)) from None
    if boundary.scale == "log" and not lo > 0:
        raise BoundaryError(f"{along}={assignments[along]}: this boundary's grid is "
                            f"logarithmic, so lo must be > 0")
    dims = boundary.dims if dims is None else tuple(dims)
    if len(dims) < 2 or len(set(dims)) != len(dims):
        raise BoundaryError(f"--d needs at least two different dimensions; got "
                            f"{','.join(map(str, dims))}")
    for d in dims:
        if isinstance(d, bool) or not isinstance(d, int) or d < boundary.min_d:
            raise BoundaryError(f"--d: every dimension must be an integer >= {boundary.min_d} "
                                f"for {name}; got {d}")
    reps = boundary.reps if reps is None else reps
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 4:
        raise BoundaryError(f"--reps must be an integer >= 4 (the bootstrap resamples them); "
                            f"got {reps}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise BoundaryError(f"--seed must be an integer >= 0; got {seed}")
    flo, fhi = float(lo), float(hi)
    grid = (np.geomspace(flo, fhi, boundary.points) if boundary.scale == "log"
            else np.linspace(flo, fhi, boundary.points))
    point = {n: float(v) for n, v in values.items() if n != along}
    return Prepared(name, boundary, exact, point, flo, fhi, grid, tuple(sorted(dims)), reps,
                    seed)


def _check(boundary: Boundary, values: dict) -> None:
    if boundary.check is not None:
        boundary.check(values)
    else:
        check_params(values, list(boundary.parameters))


def locate(mean: np.ndarray, grid: np.ndarray, positive_below: bool = True) -> float:
    """Where the mean margin changes sign along the grid.

    The crossing is put in the grid cell whose sign pattern disagrees least with one change of
    sign (of the declared orientation: positive below the boundary, or above it); inside the cell
    the mean margin is interpolated linearly. A margin of one sign everywhere gives the
    interval's end on that side (the boundary is outside the interval: censored).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.boundary import locate
    >>> g = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    >>> float(locate(np.array([0.4, 0.2, -0.1, 0.05, -0.3]), g))   # noise at 3.0 ignored
    1.666...
    >>> float(locate(np.array([0.4, 0.2, 0.1, 0.05, 0.01]), g))    # all positive: at the top
    4.0
    """
    s = np.asarray(mean, float) if positive_below else -np.asarray(mean, float)
    positive = s > 0
    # crossing after grid[k]: the negatives up to k and the positives after k disagree with it
    cost = np.cumsum(~positive) + (positive.sum() - np.cumsum(positive))
    below, above = int(positive.sum()), int(cost[-1])   # crossing below / above the grid
    k = int(np.argmin(cost[:-1]))
    if below < cost[k] or above < cost[k]:                 # the boundary is outside the interval
        return float(grid[0] if below < above else grid[-1])
    a, b = s[k], s[k + 1]
    if a > 0 >= b:
        return float(grid[k] + (grid[k + 1] - grid[k]) * a / (a - b))
    return float((grid[k] + grid[k + 1]) / 2)


def bootstrap(margins: np.ndarray, grid: np.ndarray, positive_below: bool = True,
              resamples: int = BOOTSTRAP, seed: int = 0,
              combine: Optional[Callable] = None) -> np.ndarray:
    """Locations of the boundary in ``resamples`` bootstrap resamples of the repetitions.

    Parameters
    ----------
    margins : (reps, columns) array
        One row per repetition.
    combine : callable, optional
        ``combine(mean) -> mean margin along the grid`` from the mean row of a resample (the
        boundary's ``combine``); by default the mean row is the mean margin.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.boundary import bootstrap
    >>> rng = np.random.default_rng(0)
    >>> g = np.linspace(0, 1, 11)
    >>> m = 0.5 - g + rng.normal(0, 0.1, (20, 11))
    >>> x = bootstrap(m, g, resamples=500)
    >>> bool(0.4 < np.percentile(x, 2.5) < 0.5 < np.percentile(x, 97.5) < 0.6)
    True
    """
    rng = np.random.default_rng(seed)
    n = margins.shape[0]
    index = rng.integers(0, n, size=(resamples, n))
    means = margins[index].mean(axis=1)
    if combine is not None:
        means = [combine(row) for row in means]
    return np.array([locate(row, grid, positive_below) for row in means])


@dataclass
class Fit:
    """The finite-size fit ``x(d) = x_oo + a d^(-p)``."""

    estimate: float
    ci: tuple
    exponent: float
    exponent_se: float
    predicted_exponent: float
    chi2: float
    dof: int


def fit(dims, estimates, replicates, exponent: float) -> Fit:
    """Fit ``x(d) = x_oo + a d^(-p)``: ``x_oo`` and its bootstrap interval at the predicted
    exponent ``p``; the fitted exponent (free ``p``) and its standard error.

    Parameters
    ----------
    dims : sequence of int
    estimates : sequence of float
        The located boundary at each ``d``.
    replicates : (len(dims), B) array
        Bootstrap locations at each ``d`` (independent across ``d``).
    exponent : float
        The predicted exponent.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.boundary import fit
    >>> d = np.array([100, 200, 400, 800])
    >>> rng = np.random.default_rng(1)
    >>> x = 1 + 3 / d
    >>> reps = x[:, None] + rng.normal(0, 0.002, (4, 400))
    >>> f = fit(d, x, reps, 1.0)
    >>> round(f.estimate, 6), bool(f.ci[0] < 1 < f.ci[1]), round(f.exponent, 3)
    (1.0, True, 1.0)
    """
    d = np.asarray(dims, float)
    x = np.asarray(estimates, float)
    reps = np.asarray(replicates, float)
    se = np.maximum(reps.std(axis=1, ddof=1), 1e-12 * (1 + np.abs(x)))
    w = 1 / se**2
    design = np.column_stack([np.ones_like(d), d ** -exponent])
    sw = np.sqrt(w)[:, None]
    solve = np.linalg.pinv(design * sw) * sw.T           # (2, n): coefficients = solve @ x
    coef = solve @ x
    chi2 = float((((design @ coef) - x) ** 2 * w).sum())
    dof = len(d) - 2
    boot = solve[0] @ reps                                # x_oo of every bootstrap replicate
    scale = math.sqrt(max(1.0, chi2 / dof)) if dof > 0 else 1.0
    centre = float(coef[0])
    lo, hi = np.percentile(boot, [50 * (1 - _LEVEL), 50 * (1 + _LEVEL)])
    lo, hi = centre - scale * (centre - lo), centre + scale * (hi - centre)
    p_hat, p_se = _free_exponent(d, x, se, coef, exponent)
    return Fit(centre, (float(lo), float(hi)), p_hat, p_se, float(exponent), chi2, dof)


def _free_exponent(d, x, se, coef, exponent) -> tuple[float, float]:
    """Weighted nonlinear least squares of ``x_oo + a d^(-p)`` with ``p`` free: ``(p, se)``
    (NaN when the fit does not converge or has no degree of freedom)."""
    if len(d) < 3:
        return math.nan, math.nan
    from scipy.optimize import curve_fit

    model = lambda dd, x0, a, p: x0 + a * dd ** -p
    try:
        with np.errstate(all="ignore"):
            values, cov = curve_fit(model, d, x, p0=(coef[0], coef[1], exponent), sigma=se,
                                    absolute_sigma=True, maxfev=20000,
                                    bounds=([-np.inf, -np.inf, 0.01], [np.inf, np.inf, 5.0]))
    except (RuntimeError, ValueError, np.linalg.LinAlgError):
        return math.nan, math.nan
    p_se = math.sqrt(cov[2, 2]) if np.isfinite(cov[2, 2]) and cov[2, 2] >= 0 else math.nan
    return float(values[2]), p_se


@dataclass
class BoundaryResult:
    """What :func:`run_boundary` found (:meth:`as_json` is what ``w2s boundary --json`` prints)."""

    name: str
    title: str
    parameter: str
    configuration: dict
    interval: tuple
    asymptotic: float
    per_d: list = field(default_factory=list)       # {d, estimate, ci, censored, in_fit}
    extrapolated: Optional[Fit] = None
    reps: int = 0
    seed: int = 0
    db: str = ""
    source: str = ""
    statistic: str = ""

    def as_json(self) -> dict:
        """The result as one JSON object (``asymptotic``, ``per_d``, ``extrapolated``)."""
        f = self.extrapolated
        clean = lambda v: None if v is None or (isinstance(v, float) and not math.isfinite(v)) \
            else v
        return {
            "boundary": self.name, "title": self.title, "parameter": self.parameter,
            "configuration": self.configuration, "interval": list(self.interval),
            "asymptotic": clean(self.asymptotic),
            "per_d": [{"d": r["d"], "estimate": r["estimate"], "ci": list(r["ci"]),
                       "censored": r["censored"], "in_fit": r.get("in_fit", True)}
                      for r in self.per_d],
            "extrapolated": None if f is None else {
                "estimate": clean(f.estimate), "ci": [clean(c) for c in f.ci],
                "exponent": clean(f.exponent), "exponent_se": clean(f.exponent_se),
                "predicted_exponent": f.predicted_exponent, "chi2": clean(f.chi2),
                "dof": f.dof,
                "contains_asymptotic": (None if not math.isfinite(self.asymptotic) else
                                        bool(f.ci[0] <= self.asymptotic <= f.ci[1]))},
            "reps": self.reps, "seed": self.seed, "db": self.db, "source": self.source,
            "statistic": self.statistic}


def _columns(points: int) -> tuple[str, ...]:
    return tuple(f"m_{i:03d}" for i in range(points))


def _run_repetition(name: str, reference: str, grid: tuple, point: dict, d: int, reps: int,
                    seed: int) -> dict:
    """One task: one repetition of the margin at every grid value (runs on a worker)."""
    from threadpoolctl import threadpool_limits

    boundary = _resolve(reference)
    fixed = {k: v for k, v in point.items() if k != "rep"}
    with threadpool_limits(limits=1):
        values = np.asarray(boundary.margin(fixed, np.asarray(grid), d,
                                            np.random.default_rng(seed)), float)
    width = len(grid) + boundary.extra
    if values.shape != (width,) or not np.all(np.isfinite(values)):
        raise SimulationError(f"{name}: the margin at d = {d} is not finite "
                              f"(the simulator's precision was exceeded)")
    return dict(zip(_columns(width), map(float, values)))


def run_boundary(prepared: Prepared, db: Path, n_jobs: int = 1,
                 scheduler: Optional[str] = None,
                 progress: Optional[Callable[[int, int], None]] = None) -> BoundaryResult:
    """Simulate (or resume), locate, bootstrap and extrapolate a prepared boundary.

    Parameters
    ----------
    prepared : Prepared
        From :func:`prepare`.
    db : pathlib.Path
        SQLite file of the repetitions (created if needed; a rerun resumes).
    n_jobs : int
        Local worker processes (results do not depend on it).
    scheduler : str, optional
        Address of a ``dask.distributed`` scheduler.
    progress : callable, optional
        ``progress(finished, total)`` over all tasks.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from numerics.boundary import prepare, run_boundary
    >>> p = prepare("ridge", {"lam_t": "0.02:0.3", "gamma_t": "1/2", "sigma2": "2",
    ...                       "gamma_s": "2"}, dims=[40, 80], reps=4)
    >>> r = run_boundary(p, pathlib.Path(tempfile.mkdtemp()) / "b.sqlite")
    >>> round(r.asymptotic, 4), [row["d"] for row in r.per_d]
    (0.2423, [40, 80])
    """
    from numerics.sweep import SweepError, read_rows, run_points
    from numerics.sweeps import SweepTask

    b = prepared.boundary
    from theory.catalogue import catalogue

    reference = dict(catalogue()[prepared.name.split(".")[0]].boundaries)[
        prepared.name.split(".", 1)[1]]
    columns = _columns(len(prepared.grid) + b.extra)
    model = _model(prepared.name, b)
    run = functools.partial(_run_repetition, prepared.name, reference,
                            tuple(float(g) for g in prepared.grid))
    base = {**prepared.point, "interval": [prepared.lo, prepared.hi, len(prepared.grid)]}
    task = SweepTask(tuple(base) + ("rep",), columns, run)
    total = len(prepared.dims) * prepared.reps
    finished = 0
    for d in prepared.dims:
        points = [{**base, "rep": i} for i in range(prepared.reps)]
        tick = (lambda done, _n, f=finished: progress(f + done, total)) if progress else None
        try:
            run_points(model, task, points, d=d, reps=prepared.reps,
                       seed=prepared.seed, db=Path(db), n_jobs=n_jobs, scheduler=scheduler,
                       progress=tick)
        except SweepError as error:
            raise BoundaryError(str(error)) from None
        finished += prepared.reps
    rows = read_rows(Path(db))
    import json

    margins = {d: [] for d in prepared.dims}
    for row in rows:
        params = json.loads(row["params"])
        if (row["model"] == model and row["d"] in margins
                and row["seed"] == prepared.seed and row["reps"] == prepared.reps
                and {k: v for k, v in params.items() if k != "rep"} == base):
            margins[row["d"]].append([row[c] for c in columns])
    result = BoundaryResult(prepared.name, b.title, b.parameter, dict(prepared.exact),
                            (prepared.lo, prepared.hi), _asymptotic(prepared),
                            reps=prepared.reps, seed=prepared.seed, db=str(db),
                            source=b.source, statistic=b.statistic)
    estimates, replicates = [], []
    combine = None if b.combine is None else functools.partial(
        b.combine, grid=prepared.grid, point=prepared.point)
    for i, d in enumerate(prepared.dims):
        m = np.array(margins[d])
        mean = m.mean(axis=0) if combine is None else combine(m.mean(axis=0))
        x = locate(mean, prepared.grid, b.positive_below)
        boot = bootstrap(m, prepared.grid, b.positive_below, seed=prepared.seed + i,
                         combine=combine)
        lo, hi = np.percentile(boot, [50 * (1 - _LEVEL), 50 * (1 + _LEVEL)])
        censored = bool(x in (prepared.lo, prepared.hi) or lo == prepared.lo
                        or hi == prepared.hi)
        result.per_d.append({"d": d, "estimate": x, "ci": (float(lo), float(hi)),
                             "censored": censored})
        estimates.append(x)
        replicates.append(boot)
    # a censored location is a bound, not an estimate: the fit leaves it out when at least two
    # dimensions remain
    use = [i for i, row in enumerate(result.per_d) if not row["censored"]]
    if len(use) < 2:
        use = list(range(len(prepared.dims)))
    for i, row in enumerate(result.per_d):
        row["in_fit"] = i in use
    result.extrapolated = fit([prepared.dims[i] for i in use], [estimates[i] for i in use],
                              np.array([replicates[i] for i in use]), b.exponent)
    return result


def _model(name: str, boundary: Boundary) -> str:
    """The store's model name of a boundary's rows: its name and the version of its margin's
    definition (rows stored before versions were recorded, named without it, are not read; the
    task seeds do not depend on the name, so recomputing them gives the same numbers).

    Examples
    --------
    >>> from numerics.boundary import _model, find
    >>> _model(*find("ridge", "lam_t"))
    'boundary:ridge.teacher_beaten@v1'
    """
    return f"boundary:{name}@v{boundary.version}"


def _asymptotic(prepared: Prepared) -> float:
    try:
        return float(prepared.boundary.asymptotic(dict(prepared.exact)))
    except (ParameterError, ValueError, ArithmeticError):
        return math.nan
