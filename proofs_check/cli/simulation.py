"""``w2s simulate`` and ``w2s sweep``: the simulators against the theory."""

from __future__ import annotations

from pathlib import Path

import click

from proofs_check.cli import UsageFailure, split_assignments, app


def _simulators() -> dict:
    """The mechanisms ``w2s simulate`` can run (those whose description has a simulation)."""
    from theory.catalogue import catalogue

    return {name: m for name, m in catalogue().items() if m.simulation is not None}


class _SimulateCommand(click.Command):
    """``w2s simulate --help`` lists every mechanism of the catalogue with its parameters."""

    def format_help_text(self, ctx, formatter):
        super().format_help_text(ctx, formatter)
        with formatter.section("Models"):
            formatter.write_dl([(name, m.simulate_help or m.title)
                                for name, m in _simulators().items()])


@app.command("simulate", cls=_SimulateCommand)
@click.argument("model")
@click.argument("assignments", nargs=-1, metavar="PARAM=VALUE...")
@click.option("--d", "d", type=int, required=True,
              help="dimension (each model has its own minimum, named when d is below it)")
@click.option("--reps", type=click.IntRange(min=2), default=20, show_default=True,
              help="repetitions (>= 2)")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="seed of the run")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="worker processes (the result does not depend on it)")
@click.option("--json", "as_json", is_flag=True, help="write the comparison as JSON")
def simulate(model: str, assignments, d: int, reps: int, seed: int, jobs: int,
             as_json: bool) -> int:
    """Simulate MODEL (a mechanism, listed below) and print simulation and theory side by side.

    \b
    Examples:
      w2s simulate ridge lam_t=0.1 lam_s=1 gamma_t=0.5 gamma_s=0.5 sigma2=1 --d 200 --reps 20
      w2s simulate weighted_ridge lam_t=0.5 lam_s=0.3 gamma_t=0.5 gamma_s=2 sigma2=1 zeta=0.9 s=10 --d 200 --json
    """
    from numerics.simulate import SimulationError
    from proofs_check.display import comparison

    known = _simulators()
    if model not in known:
        raise UsageFailure(f"unknown model {model!r}; known: {', '.join(known)}")
    run = known[model].facet("simulation")
    try:
        result = run(split_assignments(assignments), d, reps, seed, jobs)
    except SimulationError as error:
        raise UsageFailure(str(error)) from None
    click.echo(comparison(result, d, reps, seed, as_json))
    return 0 if result.agree else 1


@app.command("sweep")
@click.argument("model")
@click.argument("assignments", nargs=-1, metavar="PARAM=VALUES...")
@click.option("--d", "d", type=int,
              help="dimension (each model has its own minimum, named when d is below it)")
@click.option("--reps", type=click.IntRange(min=2),
              help="repetitions per grid point (>= 2) [default: 20]")
@click.option("--seed", type=click.IntRange(min=0), help="seed of the run [default: 0]")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
              help="SQLite file the rows go to [default: sweep.sqlite]")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="local worker processes")
@click.option("--scheduler", help="address of a dask.distributed scheduler (tcp://host:port)")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML file with model, d, reps, seed, db and a [grid] table")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="with `w2s sweep export DB`: the CSV file to write")
def sweep(model, assignments, d, reps, seed, db, jobs, scheduler, config, output) -> int:
    """Sweep MODEL over a grid (PARAM=a,b,c | start:stop:num | log:start:stop:num).

    Rows go to an SQLite file as they arrive; rerunning the same command resumes an interrupted
    sweep. `w2s sweep export DB -o FILE.csv` writes a sweep file as CSV; `w2s sweep migrate DB`
    converts a file written before sweeps had per-mechanism columns.

    \b
    Examples:
      w2s sweep ridge lam_t=log:0.01:1:5 lam_s=0.1,1 gamma_t=0.5 gamma_s=0.5 sigma2=1 --d 100
      w2s sweep ridge --config sweep.toml --jobs 2     # rerun the same command to resume
      w2s sweep export sweep.sqlite -o sweep.csv
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from numerics.simulate import SimulationError
    from numerics.sweep import (SweepError, export_csv, migrate, parse_values, read_config,
                                run_sweep)

    if model == "export":
        if len(assignments) != 1 or output is None:
            raise UsageFailure("usage: w2s sweep export DB -o FILE.csv")
        try:
            n = export_csv(Path(assignments[0]), output)
        except SweepError as error:
            raise UsageFailure(str(error)) from None
        click.echo(f"wrote {n} rows to {output}", err=True)
        return 0
    if model == "migrate":
        if len(assignments) != 1:
            raise UsageFailure("usage: w2s sweep migrate DB")
        try:
            held = migrate(Path(assignments[0]))
        except SweepError as error:
            raise UsageFailure(str(error)) from None
        click.echo(f"{assignments[0]}: a {held} sweep with its own columns", err=True)
        return 0
    settings_ = {"d": None, "reps": 20, "seed": 0, "db": "sweep.sqlite"}
    grid = {}
    try:
        if config is not None:
            file_settings, grid = read_config(config, model)
            settings_.update(file_settings)
        for name, text in split_assignments(assignments).items():
            grid[name] = parse_values(name, text)
    except SweepError as error:
        raise UsageFailure(str(error)) from None
    for key, value in (("d", d), ("reps", reps), ("seed", seed), ("db", db)):
        if value is not None:
            settings_[key] = value
    if settings_["d"] is None:
        raise UsageFailure("--d is required (or d in the --config file)")
    console = Console(stderr=True)
    with Progress(TextColumn("sweep"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task("sweep", total=None)
        try:
            summary = run_sweep(model, grid, d=settings_["d"], reps=settings_["reps"],
                                seed=settings_["seed"], db=Path(settings_["db"]), n_jobs=jobs,
                                scheduler=scheduler,
                                progress=lambda done, total: bar.update(task, completed=done,
                                                                        total=total))
        except (SweepError, SimulationError) as error:
            raise UsageFailure(str(error)) from None
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM; click would print an empty line first
            raise click.exceptions.Abort() from None
    click.echo(f"{summary.done} new rows, {summary.skipped} already present, {summary.total} "
               f"grid points in {settings_['db']} ({summary.seconds:.1f} s)")
    return 0
