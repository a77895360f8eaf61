"""``w2s simulate`` and ``w2s sweep``: the simulators against the theory."""

from __future__ import annotations

from pathlib import Path

import click

from proofs_check.cli import UsageFailure, _split_assignments, app


#: Models ``w2s simulate`` knows, with the student quantity each simulates.
SIMULATORS = {"ridge": "ridge.student_risk", "weighted_ridge": "weighted_ridge.student_risk",
              "single_index": "single_index.weak_risk"}


@app.command("simulate")
@click.argument("model")
@click.argument("assignments", nargs=-1, metavar="PARAM=VALUE...")
@click.option("--d", "d", type=int, required=True, help="dimension")
@click.option("--reps", type=int, default=20, show_default=True, help="repetitions (>= 2)")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="worker processes (the result does not depend on it)")
@click.option("--json", "as_json", is_flag=True, help="write the comparison as JSON")
def simulate(model: str, assignments, d: int, reps: int, seed: int, jobs: int,
             as_json: bool) -> int:
    """Simulate MODEL (ridge, weighted_ridge, multi_index, single_index) and print simulation and
    theory side by side.

    ridge: lam_t, lam_s, gamma_t, gamma_s, sigma2 (required), r2 = 1, sigma2_s = 0;
    weighted_ridge: the same (no sigma2_s) plus zeta in [-1, 1] and s >= 0;
    multi_index: ce1..ce4, ch2..ch4, sigma2, gamma_t, gamma_s, eta_t, eta_s, theta, zeta_h;
    single_index: spike, gamma_u, eta1, rho_w (required), c1..c4, b1..b4, zeta_vw, sigma2_s,
    eta, delta, alpha, beta_B, algorithm=gd|mb|sgd, init=spectral|random, steps=N.
    """
    import numerics
    import theory
    from numerics.simulate import SimulationError, simulate_ridge
    from numerics.simulate._common import to_float64
    from proofs_check.display import comparison
    from proofs_check.montecarlo import agree

    if model == "multi_index":  # mechanism 3: two-layer networks (proofs_check.multi_index_table)
        return _simulate_multi_index(_split_assignments(assignments), d, reps, seed, jobs, as_json)
    if model not in SIMULATORS:
        raise UsageFailure(f"unknown model {model!r}; known: {', '.join(SIMULATORS)}, "
                           "multi_index")
    raw = _split_assignments(assignments)
    if model == "single_index":  # seed 003 (logic in proofs_check.single_index)
        from proofs_check.single_index import simulate_rows

        try:
            rows = simulate_rows(raw, d, reps, seed, jobs)
        except SimulationError as error:
            raise UsageFailure(str(error)) from None
        click.echo(comparison(model, rows, d, reps, seed, raw, as_json))
        return 0 if all(r["agree"] for r in rows) else 1
    student = SIMULATORS[model]
    values = numerics.check_params(raw, [p.name for p in theory.get(student).parameters])
    try:
        floats = {k: to_float64(k, v) for k, v in values.items()}
        if model == "ridge":
            sim = simulate_ridge(d=d, reps=reps, seed=seed, n_jobs=jobs, **floats)
        else:
            from numerics.simulate import simulate_weighted_ridge

            sim = simulate_weighted_ridge(d=d, reps=reps, seed=seed, n_jobs=jobs, **floats)
    except SimulationError as error:
        raise UsageFailure(str(error)) from None
    rows = []
    for name, mean, se in (("ridge.teacher_risk", sim.teacher_mean[0], sim.teacher_se[0]),
                           (student, sim.student_mean[0, 0], sim.student_se[0, 0]),
                           ("ridge.overlap_A", sim.overlap_A.mean(0)[0],
                            sim.overlap_A.std(0, ddof=1)[0] / reps**0.5),
                           ("ridge.overlap_B", sim.overlap_B.mean(0)[0],
                            sim.overlap_B.std(0, ddof=1)[0] / reps**0.5)):
        q = theory.get(name)
        th = float(numerics.evaluate(name, {p.name: values[p.name] for p in q.parameters}))
        ok, n_se = agree(float(mean), float(se), th, d)
        rows.append({"quantity": name, "simulation": float(mean), "standard_error": float(se),
                     "theory": th, "difference_in_se": n_se, "agree": ok})
    click.echo(comparison(model, rows, d, reps, seed, floats, as_json))
    return 0 if all(r["agree"] for r in rows) else 1


def _simulate_multi_index(raw, d, reps, seed, jobs, as_json) -> int:
    from numerics.simulate import SimulationError
    from proofs_check.display import comparison
    from proofs_check.multi_index_table import compare, labelled

    try:
        rows = compare(raw, d=d, reps=reps, seed=seed, n_jobs=jobs)
    except SimulationError as error:
        raise UsageFailure(str(error)) from None
    click.echo(comparison("multi_index", rows if as_json else labelled(rows), d, reps, seed, raw,
                          as_json, note="student rows conditional on the realised teacher "
                                        "summary; "))
    return 0 if all(r["agree"] for r in rows) else 1


@app.command("sweep")
@click.argument("model")
@click.argument("assignments", nargs=-1, metavar="PARAM=VALUES...")
@click.option("--d", "d", type=int, help="dimension")
@click.option("--reps", type=int, help="repetitions per grid point (>= 2) [default: 20]")
@click.option("--seed", type=int, help="seed of the run [default: 0]")
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
    sweep. `w2s sweep export DB -o FILE.csv` writes a sweep file as CSV.
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from numerics.simulate import SimulationError
    from numerics.sweep import SweepError, export_csv, parse_values, read_config, run_sweep

    if model == "export":
        if len(assignments) != 1 or output is None:
            raise UsageFailure("usage: w2s sweep export DB -o FILE.csv")
        try:
            n = export_csv(Path(assignments[0]), output)
        except SweepError as error:
            raise UsageFailure(str(error)) from None
        click.echo(f"wrote {n} rows to {output}", err=True)
        return 0
    settings_ = {"d": None, "reps": 20, "seed": 0, "db": "sweep.sqlite"}
    grid = {}
    try:
        if config is not None:
            file_settings, grid = read_config(config, model)
            settings_.update(file_settings)
        for name, text in _split_assignments(assignments).items():
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
