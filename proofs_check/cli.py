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

import numerics
import proofs_check.montecarlo  # noqa: F401  (registers the Monte Carlo route)
import theory
from numerics.simulate import SimulationError
from numerics.validation import ParameterError
from proofs_check.check import DEFAULT_ROUTES, check
from proofs_check.routes import ROUTES
from theory.claims import claims
from theory.printing import FORMS, document, latex as latex_of
from theory.registry import UnknownNameError

__all__ = ["app", "main", "run", "UsageFailure"]


@click.group(name="w2s", no_args_is_help=True,
             context_settings={"help_option_names": ["-h", "--help"]})
def app() -> None:
    """Verify the theory of weak-to-strong generalisation: quantities, LaTeX, claims."""


class UsageFailure(Exception):
    """Bad usage or bad input detected by a command (exit code 2)."""


def _split_assignments(items) -> dict[str, str]:
    values = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name or not value:
            raise UsageFailure(f"expected PARAM=VALUE, got {item!r}")
        if name in values:
            raise UsageFailure(f"parameter {name} given twice")
        values[name.strip()] = value.strip()
    return values


@app.command("list")
def list_() -> None:
    """List the quantities and the claims, one a line."""
    for name in theory.names():
        q = theory.get(name)
        params = ", ".join(p.name for p in q.parameters)
        click.echo(f"quantity  {name:28s} ({params})  {q.description}")
    for c in claims():
        click.echo(f"claim     {c.id:45s} [{c.kind}] {c.source}")


@app.command("verify")
@click.argument("pattern", required=False, default="*")
@click.option("--examples", type=click.IntRange(min=1), default=100, show_default=True,
              help="Hypothesis examples per claim (sampled route)")
@click.option("--seed", type=int, default=0, show_default=True,
              help="the same seed gives the same points and the same report")
@click.option("--dps", type=click.IntRange(min=15, max=1000), default=30, show_default=True,
              help="mpmath precision of the sampled route")
@click.option("--routes", default=",".join(DEFAULT_ROUTES), show_default=True,
              help="comma-separated routes: " + ", ".join(ROUTES))
@click.option("--mc", type=click.IntRange(0, 2), default=0, show_default=True,
              help="Monte Carlo level: 0 off, 1 two points at d=200, 2 four points at d=400")
@click.option("--json", "as_json", is_flag=True, help="write the report as JSON on stdout")
def verify(pattern: str, examples: int, seed: int, dps: int, routes: str, mc: int,
           as_json: bool) -> int:
    """Check every registered claim matching PATTERN (a glob or a substring of the id).

    Exit code 1 if a claim is refuted or a check fails.
    """
    import json

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from proofs_check.report import document, table

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
    reports = []
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total}"), TimeElapsedColumn(), console=Console(stderr=True),
                  transient=True) as progress:
        task = progress.add_task("verifying", total=len(chosen))
        for c in chosen:
            progress.update(task, description=c.id)
            reports.append(check(c, routes=route_names, examples=examples, seed=seed, dps=dps,
                                 level=mc or 1))
            progress.advance(task)
    if as_json:
        doc = document(reports, seed=seed, examples=examples, dps=dps, routes=route_names)
        click.echo(json.dumps(doc, indent=2))
    else:
        console = Console()
        if not console.is_terminal:
            console = Console(width=160)
        console.print(table(reports))
        for r in reports:
            for x in r.routes:
                if x.status in ("refuted", "error"):
                    console.print(f"[bold red]{r.claim}[/] ({x.route}): {x.detail}", markup=True)
                    if x.counterexample:
                        pairs = ", ".join(f"{k}={v!r}" for k, v in x.counterexample.items())
                        console.print(f"  counterexample: {pairs}", markup=False)
        n = len(reports)
        bad = sum(r.status in ("refuted", "error") for r in reports)
        console.print(f"{n - bad} of {n} claims hold" + (f"; {bad} refuted or failed" if bad
                                                          else ""))
    return 1 if any(r.status in ("refuted", "error") for r in reports) else 0


@app.command("eval")
@click.argument("name")
@click.argument("assignments", nargs=-1, metavar="PARAM=VALUE...")
@click.option("--dps", type=int, default=50, show_default=True,
              help="decimal digits of working precision")
def eval_(name: str, assignments: tuple[str, ...], dps: int) -> None:
    """Value of quantity NAME; values are parsed exactly (0.1 is 1/10)."""
    import mpmath

    value = numerics.evaluate(name, _split_assignments(assignments), dps=dps)
    click.echo(mpmath.nstr(value, dps, strip_zeros=False) if dps > 1 else str(value))


@app.command("latex")
@click.argument("name", required=False)
@click.option("--form", type=click.Choice(FORMS), default="compact", show_default=True,
              help="compact: in m, m', kappa; explicit: radicals")
@click.option("--document", "as_document", is_flag=True,
              help="a standalone .tex with every quantity and derivation")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="write to FILE instead of standard output")
def latex(name: str | None, form: str, as_document: bool, output: Path | None) -> None:
    """LaTeX of quantity NAME, or (--document) a document that compiles with pdflatex."""
    if as_document == (name is not None):
        raise UsageFailure("give a quantity NAME or --document (not both)")
    text = document() if as_document else latex_of(name, form=form) + "\n"
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
@click.option("--jobs", type=int, default=1, show_default=True, help="worker processes")
@click.option("--json", "as_json", is_flag=True, help="write the comparison as JSON")
def simulate(model: str, assignments, d: int, reps: int, seed: int, jobs: int,
             as_json: bool) -> int:
    """Simulate MODEL (ridge, weighted_ridge, multi_index) and print simulation and theory.

    ridge: lam_t, lam_s, gamma_t, gamma_s, sigma2 (required), r2 = 1, sigma2_s = 0;
    weighted_ridge: the same (no sigma2_s) plus zeta in [-1, 1] and s >= 0;
    multi_index: ce1..ce4, ch2..ch4, sigma2, gamma_t, gamma_s, eta_t, eta_s, theta, zeta_h.
    """
    import json

    from numerics.simulate import SimulationError, simulate_ridge
    from proofs_check.montecarlo import agree

    if model == "multi_index":  # mechanism 3: two-layer networks (proofs_check.multi_index_table)
        return _simulate_multi_index(_split_assignments(assignments), d, reps, seed, jobs, as_json)
    if model not in SIMULATORS:
        raise UsageFailure(f"unknown model {model!r}; known: {', '.join(SIMULATORS)}, "
                           "multi_index")
    raw = _split_assignments(assignments)
    student = SIMULATORS[model]
    values = numerics.check_params(raw, [p.name for p in theory.get(student).parameters])
    floats = {k: float(v) for k, v in values.items()}
    try:
        if model == "ridge":
            sim = simulate_ridge(d=d, reps=reps, seed=seed, n_jobs=jobs, **floats)
        else:
            from numerics.simulate import simulate_weighted_ridge

            sim = simulate_weighted_ridge(d=d, reps=reps, seed=seed, **floats)
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
@click.option("--jobs", type=int, default=1, show_default=True, help="local worker processes")
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

    from numerics.sweep import SweepError, export_csv, parse_values, run_sweep

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
    if config is not None:
        import tomllib

        try:
            data = tomllib.loads(config.read_text())
        except tomllib.TOMLDecodeError as error:
            raise UsageFailure(f"{config}: {error}") from None
        if data.get("model", model) != model:
            raise UsageFailure(f"{config} is for model {data['model']!r}, not {model!r}")
        settings_.update({k: data[k] for k in settings_ if k in data})
        for name, value in data.get("grid", {}).items():
            grid[name] = (parse_values(name, value) if isinstance(value, str)
                          else [float(v) for v in (value if isinstance(value, list) else [value])])
    for name, text in _split_assignments(assignments).items():
        try:
            grid[name] = parse_values(name, text)
        except SweepError as error:
            raise UsageFailure(str(error)) from None
    for key, value in (("d", d), ("reps", reps), ("seed", seed), ("db", db)):
        if value is not None:
            settings_[key] = value
    if settings_["d"] is None:
        raise UsageFailure("--d is required (or d in the --config file)")
    with Progress(TextColumn("sweep"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("sweep", total=None)
        try:
            summary = run_sweep(model, grid, d=settings_["d"], reps=settings_["reps"],
                                seed=settings_["seed"], db=Path(settings_["db"]), n_jobs=jobs,
                                scheduler=scheduler,
                                progress=lambda done, total: bar.update(task, completed=done,
                                                                        total=total))
        except (SweepError, SimulationError) as error:
            raise UsageFailure(str(error)) from None
    click.echo(f"{summary.done} new rows, {summary.skipped} already present, {summary.total} "
               f"grid points in {settings_['db']} ({summary.seconds:.1f} s)")
    return 0


@app.command("plot")
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="FILE.png or FILE.pdf")
@click.option("--quick", is_flag=True, help="smaller simulations")
def plot(name: str, output: Path, quick: bool) -> None:
    """Draw figure NAME: student-risk, phase-diagram, convergence, gain-vs-zeta2 or
    alignment-region."""
    from numerics.plots import PLOTS, plot as draw

    if name not in PLOTS:
        raise UsageFailure(f"unknown plot {name!r}; known: {', '.join(PLOTS)}")
    if output.suffix.lower() not in (".png", ".pdf"):
        raise UsageFailure(f"-o must end in .png or .pdf; got {output.name!r}")
    draw(name, output, quick=quick)
    click.echo(f"wrote {output}", err=True)


#: Models ``w2s simulate`` knows, with the student quantity each simulates.
SIMULATORS = {"ridge": "ridge.student_risk", "weighted_ridge": "weighted_ridge.student_risk"}


@app.command("shell")
def shell() -> None:
    """An IPython shell with the symbols, quantities and evaluators loaded, pretty printing on."""
    import sympy

    namespace = {"sympy": sympy, "pprint": sympy.pprint, "theory": theory, "numerics": numerics,
                 "quantity": theory.quantity, "evaluate": numerics.evaluate,
                 "vectorize": numerics.vectorize, **theory.symbols.parameters()}
    sympy.init_printing(use_unicode=True)
    banner = ("w2s shell: quantity(name), evaluate(name, params, dps), vectorize(name); "
              "parameters loaded as symbols (lam_t, gamma_s, ...).")
    try:
        from IPython import start_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        import code

        code.interact(banner=banner, local=namespace)
        return
    from traitlets.config import Config

    config = Config()
    config.TerminalInteractiveShell.banner2 = banner + "\n"
    start_ipython(argv=[], user_ns=namespace, config=config)


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
    except (ParameterError, UnknownNameError, UsageFailure) as error:
        return _fail(str(error))
    except (click.exceptions.Abort, KeyboardInterrupt):
        return _fail("interrupted; finished rows are kept (rerun a sweep to resume)", code=130)
    except OSError as error:
        return _fail(f"{error.strerror}: {error.filename}" if error.filename else str(error))
    except Exception as error:  # a bug: one line, or the traceback with W2S_DEBUG=1
        if os.environ.get("W2S_DEBUG"):
            raise
        return _fail(f"internal error ({type(error).__name__}: {error}); rerun with W2S_DEBUG=1 "
                     f"for the traceback", code=1)
    return result if isinstance(result, int) else 0


def _fail(message: str, code: int = 2) -> int:
    print(f"w2s: error: {message}", file=sys.stderr)
    return code


def main() -> None:  # pragma: no cover - console-script entry point
    """Entry point of the ``w2s`` console script."""
    sys.exit(run())
