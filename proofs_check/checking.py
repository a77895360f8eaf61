"""``check(claim)``: run the routes on a claim (or a list of claims, over worker processes).

Examples
--------
>>> from proofs_check import check
>>> report = check("ridge.min_norm_student", examples=10)
>>> report.status, [r.route for r in report.routes]
('proved', ['symbolic', 'sampled'])
"""

from __future__ import annotations

import json
import numbers
import os
import tempfile
from typing import Callable, Iterable, Optional, Sequence, Union

from proofs_check.result import ClaimReport, ReportList
from proofs_check.routes import ROUTES
from theory.claims import Claim, claim as registered

__all__ = ["check", "DEFAULT_ROUTES", "default_jobs", "DPS_RANGE", "LEVELS"]

#: Routes run when none are asked for.
DEFAULT_ROUTES = ("symbolic", "sampled")
#: Allowed mpmath precision of the sampled route (``w2s verify --dps``): ``(lowest, highest)``.
DPS_RANGE = (15, 1000)
#: Allowed Monte Carlo levels (``proofs_check.montecarlo.LEVELS``; ``w2s verify --mc``).
LEVELS = (1, 2)


def default_jobs() -> int:
    """Worker processes used by default: every core this process may run on.

    Examples
    --------
    >>> from proofs_check.checking import default_jobs
    >>> default_jobs() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check(claim: Union[Claim, str, Sequence[Union[Claim, str]]],
          routes: Iterable[str] = DEFAULT_ROUTES, examples: int = 100, seed: int = 0,
          dps: int = 30, level: int = 1, jobs: Optional[int] = None,
          progress: Optional[Callable[[ClaimReport], None]] = None):
    """Check a claim (a :class:`~theory.claims.Claim` or a registered id) by several routes.

    Given a list of claims, check each and return the list of reports, in the same order; the
    claims are spread over ``jobs`` worker processes (default: every core) and the reports are
    the same whatever ``jobs`` is (timings aside): every claim's points come from ``seed`` alone.

    Parameters
    ----------
    claim : Claim, str, or a list of them
    routes : iterable of str
        Route names (see :data:`proofs_check.routes.ROUTES`).
    examples : int
        Hypothesis examples for the sampled route (an integer >= 1).
    seed : int
        Seed (an integer >= 0): the same seed gives the same points and the same report.
    dps : int
        mpmath precision of the sampled route (an integer in :data:`DPS_RANGE`, 15 to 1000).
    level : int
        Monte Carlo level, 1 or 2 (see :mod:`proofs_check.montecarlo`), when that route is asked
        for.
    jobs : int, optional
        For a list of claims: worker processes, an integer >= 1 (default :func:`default_jobs`;
        1 runs in this process).
    progress : callable, optional
        For a list of claims: called with each report as it completes.

    Returns
    -------
    ClaimReport, or a :class:`~proofs_check.result.ReportList` of them for a list of claims
        (both show as a table in IPython and Jupyter)

    Raises
    ------
    TypeError
        When ``claim`` is not a Claim, a str or a list of them, or an option is not an integer.
    ValueError
        When an option is out of its range (the message names it and the range), a route is
        unknown.

    Examples
    --------
    >>> from sympy import Interval
    >>> from proofs_check import Claim, check
    >>> from theory import quantity
    >>> report = check(Claim(quantity("mp.shrinkage_u") <= 0.5), examples=50)
    >>> report.status, report.route("sampled").counterexample   # exact values, as text
    ('refuted', {'lam': '0', 'gamma': '1000'})
    >>> check("ridge.min_norm_student", examples=0)
    Traceback (most recent call last):
    ...
    ValueError: examples must be an integer >= 1 (Hypothesis examples of the sampled route); got 0
    """
    _integer("examples", examples, 1, None, "Hypothesis examples of the sampled route")
    _integer("seed", seed, 0, None, "the seed of the points")
    _integer("dps", dps, *DPS_RANGE, "mpmath digits of the sampled route")
    if isinstance(level, bool) or not isinstance(level, numbers.Integral):
        raise TypeError(f"level must be an integer, one of {', '.join(map(str, LEVELS))} (Monte "
                        f"Carlo level); got {type(level).__name__} {level!r}")
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(map(str, LEVELS))} (Monte Carlo "
                         f"level); got {level!r}")
    if jobs is not None:
        _integer("jobs", jobs, 1, None, "worker processes")
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be callable or None; got {type(progress).__name__}")
    if isinstance(routes, str):
        raise TypeError(f"routes must be an iterable of route names, e.g. ({routes!r},); got "
                        f"the str {routes!r}")
    routes = tuple(routes)
    for name in routes:
        if name not in ROUTES:
            raise ValueError(f"unknown route {name!r}; known: {', '.join(ROUTES)}")
    for item in (claim if isinstance(claim, (list, tuple)) else [claim]):
        if not isinstance(item, (Claim, str)):
            raise TypeError(f"claim must be a theory.claims.Claim, a registered claim id (str) "
                            f"or a list of them; got {type(item).__name__} {item!r:.60}")
    options = dict(routes=routes, examples=examples, seed=seed, dps=dps, level=level)
    if isinstance(claim, (list, tuple)):
        return ReportList(_check_many(list(claim), options, jobs, progress))
    c = registered(claim) if isinstance(claim, str) else claim
    report = ClaimReport(c.id, c.source, c.statement, c.kind)
    for name in routes:
        report.routes.append(ROUTES[name](c, examples=examples, seed=seed, dps=dps, level=level))
    return report


def _integer(name: str, value, lowest: int, highest: Optional[int], what: str) -> None:
    """Check that ``value`` is an integer (not a bool) in ``[lowest, highest]``, with a
    message naming ``name``, the range and ``what`` it is."""
    allowed = f">= {lowest}" if highest is None else f"in [{lowest}, {highest}]"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer {allowed} ({what}); got "
                        f"{type(value).__name__} {value!r}")
    if value < lowest or (highest is not None and value > highest):
        raise ValueError(f"{name} must be an integer {allowed} ({what}); got {value!r}")


def _check_many(items, options, jobs, progress):
    jobs = default_jobs() if jobs is None else jobs
    # a registered claim travels by id; a claim of the user's by value (it must pickle)
    payload = [c.id if isinstance(c, Claim) and _is_registered(c) else c for c in items]
    jobs = min(jobs, len(payload))
    if jobs <= 1:
        reports = []
        for item in payload:
            reports.append(check(item, **options))
            if progress:
                progress(reports[-1])
        return reports
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers inherit the imported modules and the caches of this process
    context = multiprocessing.get_context("fork")
    reports: list = [None] * len(payload)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                               initializer=_worker_setup, initargs=(os.getpid(),))
    try:
        futures = {pool.submit(check, payload[i], **options): i
                   for i in longest_first(payload, _last_seconds())}
        from concurrent.futures import as_completed

        for future in as_completed(futures):
            reports[futures[future]] = future.result()
            if progress:
                progress(reports[futures[future]])
    except BaseException:  # Ctrl-C, SIGTERM (as KeyboardInterrupt) or a failure: stop now
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in multiprocessing.active_children():
            worker.kill()  # a worker mid-claim would otherwise finish it first
        raise
    pool.shutdown()
    _remember_seconds({item: report.seconds for item, report in zip(payload, reports)
                       if isinstance(item, str)})
    return reports


def longest_first(payload: Sequence, seconds: dict) -> list[int]:
    """The order in which to hand the claims to the workers: longest first by ``seconds`` (the
    last run's times by claim id), claims without a time before all others, ties in the given
    order. Starting the long claims first lets the workers finish together; the reports keep
    the order of ``payload`` whatever this order is.

    Examples
    --------
    >>> from proofs_check.checking import longest_first
    >>> longest_first(["a", "b", "c", "d"], {"a": 0.1, "b": 3.0, "d": 1.0})
    [2, 1, 3, 0]
    """
    def key(i):
        known = seconds.get(payload[i]) if isinstance(payload[i], str) else None
        return -known if known is not None else float("-inf")
    return sorted(range(len(payload)), key=key)


def _timings_file():
    from theory import cache

    return cache.directory() / "claim-seconds.json" if cache.enabled() else None


def _last_seconds() -> dict:
    path = _timings_file()
    try:
        return json.loads(path.read_text()) if path is not None else {}
    except (OSError, ValueError):
        return {}


def _remember_seconds(measured: dict) -> None:
    """Keep each registered claim's time for the next run's order (an optimisation only)."""
    path = _timings_file()
    if path is None:
        return
    seconds = {**_last_seconds(), **measured}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w") as handle:
            json.dump(seconds, handle)
        os.replace(tmp, path)
    except OSError:
        pass


def _is_registered(c: Claim) -> bool:
    try:
        return registered(c.id) is c
    except KeyError:
        return False


def _worker_setup(parent: int):
    """A worker ends with the ``w2s verify`` process that started it, and uses one BLAS thread
    (the workers share the cores; the Monte Carlo route's linear algebra)."""
    from numerics.simulate.common import die_with_parent

    die_with_parent(parent)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn and numpy
        return
    threadpool_limits(1)
