"""``w2s boundary``: a phase boundary located at finite ``d`` and extrapolated to ``d -> oo``.

Examples
--------
>>> from proofs_check.cli import run
>>> run(["boundary", "ridge", "lam_t=0.1:0.2", "gamma_t=0.3:0.4"])
2
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import click

from proofs_check.cli import UsageFailure, app, split_assignments

__all__ = ["boundary_options", "compute", "report"]


def _dims(text: str | None):
    if text is None:
        return None
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part.lstrip("-").isdigit():
            raise UsageFailure(f"--d expects dimensions separated by commas (100,200,400,800); "
                               f"got {text!r}")
        out.append(int(part))
    return out


def boundary_options(function):
    """The options ``w2s boundary`` and ``w2s plot boundary`` share."""
    for option in reversed([
        click.option("--d", "dims", metavar="D1,D2,...",
                     help="dimensions [default: the boundary's, 100,200,400,800]"),
        click.option("--reps", type=int, help="repetitions per d (>= 4) [default: the "
                                              "boundary's]"),
        click.option("--seed", type=int, default=0, show_default=True, help="seed of the run"),
        click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
                     help="SQLite file of the repetitions; rerunning resumes "
                          "[default: boundary-MODEL.sqlite]"),
        click.option("--jobs", type=click.IntRange(min=1),
                     help="local worker processes [default: every core]"),
        click.option("--scheduler", help="address of a dask.distributed scheduler "
                                         "(tcp://host:port)"),
    ]):
        function = option(function)
    return function


def compute(model, assignments, dims, reps, seed, db, jobs, scheduler):
    """Prepare and run a boundary (bad input: :class:`UsageFailure`)."""
    from numerics.boundary import BoundaryError, prepare, run_boundary
    from numerics.simulate import SimulationError

    try:
        prepared = prepare(model, split_assignments(assignments), dims=_dims(dims), reps=reps,
                           seed=seed)
    except BoundaryError as error:
        raise UsageFailure(str(error)) from None
    db = Path(db) if db is not None else Path(f"boundary-{prepared.name.replace('.', '-')}"
                                              f".sqlite")
    jobs = jobs or os.cpu_count() or 1
    try:
        return run_boundary(prepared, db, n_jobs=jobs, scheduler=scheduler)
    except (BoundaryError, SimulationError, ValueError) as error:
        if isinstance(error, (BoundaryError, SimulationError)) or \
                type(error).__name__ == "SweepError":
            raise UsageFailure(str(error)) from None
        raise
    except KeyboardInterrupt:
        raise click.exceptions.Abort() from None


def _g(x) -> str:
    return "n/a" if x is None or not math.isfinite(x) else f"{x:.5g}"


def report(result) -> str:
    """The result as text (one table: the location at each ``d``, the extrapolation, the
    theory)."""
    f = result.extrapolated
    lines = [f"boundary    {result.name}: {result.title}",
             f"at          {', '.join(f'{k}={v}' for k, v in result.configuration.items())}",
             f"along       {result.parameter} in [{_g(result.interval[0])}, "
             f"{_g(result.interval[1])}]; {result.reps} repetitions per d, seed {result.seed}",
             f"margin      {result.statistic}",
             "",
             f"{'d':>9}  {'estimate':>10}  95% interval"]
    for row in result.per_d:
        note = ("" if not row["censored"] else
                "  (at the interval's end: a bound, not an estimate" +
                ("; left out of the fit)" if not row.get("in_fit", True) else ")"))
        lines.append(f"{row['d']:>9}  {_g(row['estimate']):>10}  [{_g(row['ci'][0])}, "
                     f"{_g(row['ci'][1])}]{note}")
    lines.append(f"{'d -> oo':>9}  {_g(f.estimate):>10}  [{_g(f.ci[0])}, {_g(f.ci[1])}]  "
                 f"(fit x + a d^-{f.predicted_exponent:.3g}; chi2 {f.chi2:.3g} on {f.dof} dof)")
    lines.append(f"{'theory':>9}  {_g(result.asymptotic):>10}  ({result.source})")
    lines.append("")
    lines.append(f"fitted exponent {_g(f.exponent)} +- {_g(f.exponent_se)} (predicted "
                 f"{f.predicted_exponent:.3g})")
    if not math.isfinite(result.asymptotic):
        lines.append("verdict: the theory has no boundary at this configuration")
    elif f.ci[0] <= result.asymptotic <= f.ci[1]:
        lines.append("verdict: the extrapolated interval contains the theory's value")
    else:
        lines.append("verdict: the extrapolated interval does not contain the theory's value "
                     "(see docs/boundaries.md: reading a boundary that has not converged)")
    return "\n".join(lines)


@app.command("boundary")
@click.argument("model")
@click.argument("assignments", nargs=-1, metavar="PARAM=VALUE...")
@boundary_options
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def boundary(model, assignments, dims, reps, seed, db, jobs, scheduler, as_json) -> int:
    """Locate a phase boundary of MODEL at finite d and extrapolate it to d -> oo.

    Exactly one parameter is given as an interval lo:hi (the one along which the boundary is
    located); the others take the boundary's reference configuration unless given. MODEL is a
    mechanism (ridge, weighted_ridge, multi_index, single_index) or MECHANISM.BOUNDARY. Exit 0
    when the extrapolated interval contains the theory's value, 1 when it does not.

    \b
    Examples:
      w2s boundary ridge lam_t=0.02:0.6 --d 100,200,400,800
      w2s boundary weighted_ridge zeta=0.5:0.95 --reps 32 --json
      w2s boundary multi_index gamma_s=0.12:0.8
      w2s boundary single_index budget=0.8:2.0 --d 400,800,1600 --db nu.sqlite
      w2s boundary single_index spike=0.6:2.4 budget=1
    """
    result = compute(model, assignments, dims, reps, seed, db, jobs, scheduler)
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2))
    else:
        click.echo(report(result))
    f = result.extrapolated
    inside = math.isfinite(result.asymptotic) and f.ci[0] <= result.asymptotic <= f.ci[1]
    return 0 if inside or not math.isfinite(result.asymptotic) else 1
