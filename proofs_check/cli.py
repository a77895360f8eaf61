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

import sys
from pathlib import Path

import click

import numerics
import theory
from numerics.validation import ParameterError
from theory.printing import FORMS, document, latex as latex_of
from proofs_check.check import DEFAULT_ROUTES, check
from proofs_check.routes import ROUTES
from theory.claims import claims
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
@click.option("--json", "as_json", is_flag=True, help="write the report as JSON on stdout")
def verify(pattern: str, examples: int, seed: int, dps: int, routes: str, as_json: bool) -> int:
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
            reports.append(check(c, routes=route_names, examples=examples, seed=seed, dps=dps))
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


@app.command("shell")
def shell() -> None:
    """An IPython shell with the symbols, quantities and evaluators loaded, pretty printing on."""
    import sympy

    namespace = {"sympy": sympy, "theory": theory, "numerics": numerics,
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
    except click.exceptions.Abort:
        return _fail("aborted", code=130)
    except OSError as error:
        return _fail(f"{error.strerror}: {error.filename}" if error.filename else str(error))
    return result if isinstance(result, int) else 0


def _fail(message: str, code: int = 2) -> int:
    print(f"w2s: error: {message}", file=sys.stderr)
    return code


def main() -> None:  # pragma: no cover - console-script entry point
    """Entry point of the ``w2s`` console script."""
    sys.exit(run())
