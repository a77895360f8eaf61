"""The ``w2s`` command line.

Exit codes: 0 success, 1 a claim refuted or a check failed, 2 bad usage or bad input. Errors are
one line on standard error, never a traceback.

Examples
--------
>>> from proofs_check.cli import run
>>> run(["eval", "ridge.optimal_lambda", "gamma_t=1/2", "sigma2=0.2", "--dps", "10"])
0.1
0
>>> run(["eval", "ridge.teacher_risk", "gamma_t=-1"])
2
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

# Only click is imported here: each command imports what it uses (SymPy, Hypothesis, rich,
# matplotlib), so `w2s --help` starts in a fraction of a second and `w2s eval` never imports
# Hypothesis.

__all__ = ["app", "main", "run", "UsageFailure"]

#: Route names (``proofs_check.routes.ROUTES``), for the help text without importing Hypothesis.
ROUTE_NAMES = ("symbolic", "sampled", "montecarlo", "certified")
#: Routes ``w2s verify`` runs by default (``proofs_check.checking.DEFAULT_ROUTES``).
DEFAULT_ROUTES = ("symbolic", "sampled")
#: LaTeX forms (``theory.printing.FORMS``).
FORMS = ("compact", "explicit")


@click.group(name="w2s", no_args_is_help=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="w2s-theory", prog_name="w2s", message="%(prog)s %(version)s")
def app() -> None:
    """Verify the theory of weak-to-strong generalisation: quantities, LaTeX, claims."""


class UsageFailure(Exception):
    """Bad usage or bad input detected by a command (exit code 2)."""


def _split_assignments(items) -> dict[str, str]:
    values = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise UsageFailure(f"expected PARAM=VALUE, got {item!r}")
        if not name.isidentifier():
            raise UsageFailure(f"{name!r} is not a parameter name (expected PARAM=VALUE, got "
                               f"{item!r})")
        if name in values:
            raise UsageFailure(f"parameter {name} given twice")
        values[name] = value
    return values


@app.command("list")
def list_() -> None:
    """List the quantities and the claims, one a line."""
    import theory
    from proofs_check.display import name_list
    from theory.claims import claims

    quantities = [("quantity", n, f"({', '.join(p.name for p in theory.get(n).parameters)})  "
                   f"{theory.get(n).description}") for n in theory.names()]
    claim_rows = [("claim   ", c.id, f"[{c.kind}] {c.source}") for c in claims()]
    click.echo("\n".join(name_list(quantities) + name_list(claim_rows)))


@app.command("verify")
@click.argument("pattern", required=False, default="*")
@click.option("--examples", type=click.IntRange(min=1), default=100, show_default=True,
              help="Hypothesis examples per claim (sampled route)")
@click.option("--seed", type=int, default=0, show_default=True,
              help="the same seed gives the same points and the same report")
@click.option("--dps", type=click.IntRange(min=15, max=1000), default=30, show_default=True,
              help="mpmath precision of the sampled route")
@click.option("--routes", default=",".join(DEFAULT_ROUTES), show_default=True,
              help="comma-separated routes: " + ", ".join(ROUTE_NAMES))
@click.option("--mc", type=click.IntRange(0, 2), default=0, show_default=True,
              help="Monte Carlo level: 0 off, 1 two points at d=200, 2 four points at d=400")
@click.option("--jobs", type=int, default=None,
              help="worker processes, claims spread over them (default: every core); the "
                   "report is the same for any number")
@click.option("--json", "as_json", is_flag=True, help="write the report as JSON on stdout")
def verify(pattern: str, examples: int, seed: int, dps: int, routes: str, mc: int,
           jobs: int | None, as_json: bool) -> int:
    """Check every registered claim matching PATTERN (a glob or a substring of the id).

    Exit code 1 if a claim is refuted or a check fails.
    """
    import json

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from proofs_check.checking import check, default_jobs
    from proofs_check.display import MARGIN_NOTE, terminal_width, verify_table
    from proofs_check.report import document
    from proofs_check.routes import ROUTES
    from theory.claims import claims

    jobs = default_jobs() if jobs is None else _jobs(jobs)
    chosen = claims(pattern)
    if not chosen:
        raise UsageFailure(f"no claim matches {pattern!r}; see `w2s list`")
    route_names = [r.strip() for r in routes.split(",") if r.strip()]
    if mc and "montecarlo" not in route_names:
        route_names.append("montecarlo")
    unknown = [r for r in route_names if r not in ROUTES]
    if unknown or not route_names:
        raise UsageFailure(f"unknown route {', '.join(unknown) or '(none)'}; known: "
                           f"{', '.join(ROUTES)}")
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total}"), TimeElapsedColumn(), console=Console(stderr=True),
                  transient=True) as progress:
        task = progress.add_task(f"verifying on {min(jobs, len(chosen))} process(es)",
                                 total=len(chosen))
        reports = check(chosen, routes=route_names, examples=examples, seed=seed, dps=dps,
                        level=mc or 1, jobs=jobs,
                        progress=lambda report: progress.advance(task))
    if as_json:
        doc = document(reports, seed=seed, examples=examples, dps=dps, routes=route_names)
        click.echo(json.dumps(doc, indent=2))
    else:
        console = Console(width=terminal_width())
        console.print(verify_table(reports, console.width))
        for r in reports:
            for x in r.routes:
                if x.status in ("refuted", "error"):
                    console.print(f"[bold red]{r.claim}[/] ({x.route}): {x.detail}", markup=True)
                    if x.counterexample:
                        pairs = ", ".join(f"{k}={v}" for k, v in x.counterexample.items())
                        console.print(f"  counterexample: {pairs}", markup=False)
        n = len(reports)
        bad = sum(r.status in ("refuted", "error") for r in reports)
        console.print(f"{n - bad} of {n} claims hold" + (f"; {bad} refuted or failed" if bad
                                                          else ""))
        console.print(MARGIN_NOTE, style="dim", markup=False)
    return 1 if any(r.status in ("refuted", "error") for r in reports) else 0


@app.command("eval")
@click.argument("name")
@click.argument("assignments", nargs=-1, metavar="PARAM=VALUE...")
@click.option("--dps", type=click.IntRange(min=1), default=50, show_default=True,
              help="decimal digits of working precision (and printed)")
@click.option("--pad", is_flag=True, help="print all DPS digits, even trailing zeros")
def eval_(name: str, assignments: tuple[str, ...], dps: int, pad: bool) -> None:
    """Value of quantity NAME; values are parsed exactly (0.1 is 1/10)."""
    import numerics
    from proofs_check.display import format_number

    value = numerics.evaluate(name, _split_assignments(assignments), dps=dps)
    click.echo(format_number(value, dps, pad=pad))


@app.command("latex")
@click.argument("name", required=False)
@click.option("--form", type=click.Choice(FORMS), default="compact", show_default=True,
              help="compact: in m, m', kappa; explicit: radicals")
@click.option("--inline", "style", flag_value="inline", help="as inline math, $...$")
@click.option("--align", "style", flag_value="align",
              help="an align* environment broken to the text width")
@click.option("--document", "as_document", is_flag=True,
              help="a standalone .tex with every quantity and derivation")
@click.option("--claims", "with_claims", is_flag=True,
              help="with --document: every claim as a theorem environment with its source")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="write to FILE instead of standard output")
def latex(name: str | None, form: str, style: str | None, as_document: bool, with_claims: bool,
          output: Path | None) -> None:
    """LaTeX of quantity NAME, or (--document) a document that compiles with pdflatex."""
    from theory.printing import document, latex as latex_of

    if as_document == (name is not None):
        raise UsageFailure("give a quantity NAME or --document (not both)")
    if with_claims and not as_document:
        raise UsageFailure("--claims goes with --document")
    text = (document(claims=with_claims) if as_document
            else latex_of(name, form=form, style=style or "equation") + "\n")
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text)
        click.echo(f"wrote {output}", err=True)


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
    import json

    import numerics
    import theory
    from numerics.simulate import SimulationError, simulate_ridge
    from numerics.simulate._common import to_float64
    from proofs_check.montecarlo import agree

    if model == "multi_index":  # mechanism 3: two-layer networks (proofs_check.multi_index_table)
        return _simulate_multi_index(_split_assignments(assignments), d, reps, seed, jobs, as_json)
    if model not in SIMULATORS:
        raise UsageFailure(f"unknown model {model!r}; known: {', '.join(SIMULATORS)}, "
                           "multi_index")
    raw = _split_assignments(assignments)
    if model == "single_index":  # seed 003 (logic in proofs_check.single_index)
        from proofs_check.single_index import report, simulate_rows

        try:
            rows = simulate_rows(raw, d, reps, seed, jobs)
        except SimulationError as error:
            raise UsageFailure(str(error)) from None
        click.echo(report(rows, d, reps, seed, raw, as_json))
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
    if as_json:
        click.echo(json.dumps({"model": model, "d": d, "reps": reps, "seed": seed,
                               "parameters": floats, "rows": rows}, indent=2))
    else:
        click.echo(f"{'quantity':29s} {'simulation':>22s} {'theory':>12s} {'diff/SE':>8s}  verdict")
        for r in rows:
            sim_text = f"{r['simulation']:.6g} +- {r['standard_error']:.2g}"
            click.echo(f"{r['quantity']:29s} {sim_text:>22s} {r['theory']:>12.6g} "
                       f"{r['difference_in_se']:>8.2f}  {'agree' if r['agree'] else 'DISAGREE'}")
        click.echo(f"d={d}, {reps} repetitions, seed {seed}; agreement: within 4 SE + "
                   f"4 (1 + |theory|)/d")
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


@app.command("plot")
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="FILE.png, FILE.pdf or FILE.svg")
@click.option("--quick", is_flag=True, help="smaller simulations")
def plot(name: str, output: Path, quick: bool) -> None:
    """Draw figure NAME: student-risk, phase-diagram, convergence, gain-vs-zeta2,
    alignment-region, pgr-emergence, gd-risk-vs-time, pgr-vs-budget or sgd-phase-portrait."""
    from numerics.plots import PLOTS, plot as draw

    if name not in PLOTS:
        raise UsageFailure(f"unknown plot {name!r}; known: {', '.join(PLOTS)}")
    if output.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise UsageFailure(f"-o must end in .png, .pdf or .svg; got {output.name!r}")
    draw(name, output, quick=quick, progress=True)
    click.echo(f"wrote {output}", err=True)


@app.group("cache")
def cache_() -> None:
    """The disk cache of symbolic work (derived quantities, stable forms)."""


@cache_.command("info")
def cache_info() -> None:
    """Where the cache is, and how many entries it holds."""
    from theory import cache

    i = cache.info()
    click.echo(f"{i['directory']}: {i['entries']} entries, {i['bytes'] / 1024:.1f} KiB"
               + ("" if i["enabled"] else " (disabled by W2S_CACHE=0)"))


@cache_.command("clear")
def cache_clear() -> None:
    """Delete every entry (each is recomputed when next needed)."""
    from theory import cache

    click.echo(f"removed {cache.clear()} entries from {cache.directory().parent}")


#: Models ``w2s simulate`` knows, with the student quantity each simulates.
SIMULATORS = {"ridge": "ridge.student_risk", "weighted_ridge": "weighted_ridge.student_risk",
              "single_index": "single_index.weak_risk"}


@app.command("shell")
def shell() -> None:
    """An IPython shell with the symbols, quantities, claims and evaluators loaded, pretty
    printing on."""
    from proofs_check.shell import start

    start()


@app.command("pgr")
@click.argument("file", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--examples", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="per-example CSV (step, seed, role, example_id, score)")
@click.option("--json", "as_json", is_flag=True, help="write the report as JSON on stdout")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path),
              help="figure of gain, gap and PGR with CIs (.png or .pdf)")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path),
              help="write the per-checkpoint table as CSV")
@click.option("--seed", type=int, default=0, show_default=True,
              help="bootstrap (or synthetic) seed")
@click.option("--bootstrap", "B", type=click.IntRange(min=20), default=1000, show_default=True,
              help="bootstrap replicates")
@click.option("--mode", type=click.Choice(["examples+seeds", "seeds", "parametric", "residual"]),
              help="bootstrap mode [default: the first the data support]")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.10,
              show_default=True, help="two-sided level of the CIs")
@click.option("--alpha-test", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              default=0.05, show_default=True, help="level of the emergence test")
@click.option("--min-size", type=click.IntRange(min=1), default=3, show_default=True,
              help="minimum segment length (checkpoints)")
@click.option("--lower-is-better", is_flag=True, help="scores are losses")
@click.option("--x-axis", type=click.Choice(["log_step", "step", "index", "tokens"]),
              default="log_step", show_default=True)
@click.option("--intersect-examples", is_flag=True,
              help="keep the examples common to all roles/steps/seeds instead of failing")
@click.option("--synthetic", type=click.Choice(["logistic", "step", "null", "theory"]),
              help="write a synthetic Pythia-like data set to -o FILE instead of analysing")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="with --synthetic: the aggregate CSV to write (per-example CSV next to it)")
def pgr(file, examples, as_json, plot, csv_out, seed, B, mode, alpha, alpha_test, min_size,
        lower_is_better, x_axis, intersect_examples, synthetic, output) -> int:
    """PGR with CIs per checkpoint and the emergence of W2SG over pre-training (FILE: aggregate
    CSV with step, weak, w2s, ceiling)."""
    from proofs_check.emergence import run_pgr

    return run_pgr(file, examples=examples, as_json=as_json, plot=plot, csv_out=csv_out,
                   seed=seed, B=B, mode=mode, alpha=alpha, alpha_test=alpha_test,
                   min_size=min_size, higher_is_better=not lower_is_better, x_axis=x_axis,
                   intersect=intersect_examples, synthetic=synthetic, output=output,
                   echo=click.echo, warn=lambda m: click.echo(m, err=True))


def _simulate_multi_index(raw, d, reps, seed, jobs, as_json) -> int:
    import json

    from numerics.simulate import SimulationError
    from proofs_check.multi_index_table import compare, format_rows

    try:
        rows = compare(raw, d=d, reps=reps, seed=seed, n_jobs=jobs)
    except SimulationError as error:
        raise UsageFailure(str(error)) from None
    if as_json:
        click.echo(json.dumps({"model": "multi_index", "d": d, "reps": reps, "seed": seed,
                               "parameters": raw, "rows": rows}, indent=2))
    else:
        click.echo(format_rows(rows))
        click.echo(f"d={d}, {reps} repetitions, seed {seed}; student rows conditional on the "
                   f"realised teacher summary; agreement: within 4 SE + 4 (1 + |theory|)/d")
    return 0 if all(r["agree"] for r in rows) else 1


def run(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv``; return the exit code instead of exiting.

    Errors (bad usage, bad values, unknown names) print one line on standard error.
    """
    try:
        result = app.main(args=argv, prog_name="w2s", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as error:
        click.echo(error.ctx.get_help() if error.ctx else str(error))
        return 0
    except click.exceptions.UsageError as error:
        return _fail(error.format_message())
    except UsageFailure as error:
        return _fail(str(error))
    except (click.exceptions.Abort, KeyboardInterrupt):
        return _fail("interrupted; finished rows are kept (rerun a sweep to resume)", code=130)
    except OSError as error:
        return _fail(f"{error.strerror}: {error.filename}" if error.filename else str(error))
    except Exception as error:  # bad input found by a library layer, or a bug
        if _bad_input(error):
            return _fail(str(error))
        if os.environ.get("W2S_DEBUG"):
            raise
        return _fail(f"internal error ({type(error).__name__}: {error}); rerun with W2S_DEBUG=1 "
                     f"for the traceback", code=1)
    return result if isinstance(result, int) else 0


def _jobs(value: int) -> int:
    if value < 1:
        raise UsageFailure(f"--jobs must be an integer >= 1 (worker processes); got {value}")
    return value


def _bad_input(error: Exception) -> bool:
    """Whether ``error`` is bad input (a ParameterError, an unknown name, a simulation's bad
    argument); the classes are looked up only in modules already imported, which they must be if
    they were raised."""
    for module, name in (("numerics.validation", "ParameterError"),
                         ("theory.registry", "UnknownNameError"),
                         ("numerics.simulate._common", "SimulationError")):
        cls = getattr(sys.modules.get(module), name, None)
        if cls is not None and isinstance(error, cls):
            return True
    return False


def _fail(message: str, code: int = 2) -> int:
    print(f"w2s: error: {message}", file=sys.stderr)
    return code


def main() -> None:  # pragma: no cover - console-script entry point
    """Entry point of the ``w2s`` console script."""
    sys.exit(run())
