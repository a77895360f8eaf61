"""``w2s eval``, ``w2s latex`` and ``w2s shell``: quantities as numbers, LaTeX and in a REPL."""

from __future__ import annotations

from pathlib import Path

import click

from proofs_check.cli import FORMS, UsageFailure, split_assignments, app


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

    value = numerics.evaluate(name, split_assignments(assignments), dps=dps)
    click.echo(format_number(value, dps, pad=pad))


@app.command("latex")
@click.argument("name", required=False)
@click.option("--form", type=click.Choice(FORMS), default="compact", show_default=True,
              help="compact: in m, m', kappa; explicit: radicals (not with --document)")
@click.option("--inline", is_flag=True, help="as inline math, $...$ (not with --align)")
@click.option("--align", is_flag=True,
              help="an align* environment broken to the text width (not with --inline)")
@click.option("--document", "as_document", is_flag=True,
              help="a standalone .tex with every quantity and derivation")
@click.option("--claims", "with_claims", is_flag=True,
              help="with --document: every claim as a theorem environment with its source")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="write to FILE instead of standard output")
def latex(name: str | None, form: str, inline: bool, align: bool, as_document: bool,
          with_claims: bool, output: Path | None) -> None:
    """LaTeX of quantity NAME, or (--document) a document that compiles with pdflatex."""
    from theory.document import document
    from theory.latex import latex as latex_of

    if inline and align:
        raise UsageFailure("--inline and --align exclude each other (give one: inline math or "
                           "an align* environment)")
    if as_document == (name is not None):
        raise UsageFailure("give a quantity NAME or --document (not both)")
    if with_claims and not as_document:
        raise UsageFailure("--claims goes with --document")
    if as_document and (inline or align):
        raise UsageFailure(f"--{'inline' if inline else 'align'} goes with a quantity NAME, not "
                           f"with --document")
    given = click.get_current_context().get_parameter_source("form")
    if as_document and given is not None and given.name == "COMMANDLINE":
        raise UsageFailure("--form goes with a quantity NAME, not with --document (the document "
                           "has its own forms)")
    style = "inline" if inline else "align" if align else None
    text = (document(claims=with_claims) if as_document
            else latex_of(name, form=form, style=style or "equation") + "\n")
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text)
        click.echo(f"wrote {output}", err=True)


@app.command("shell")
def shell() -> None:
    """An IPython shell with the symbols, quantities, claims and evaluators loaded, pretty
    printing on."""
    from proofs_check.shell import start

    start()
