"""``w2s eval``, ``w2s info``, ``w2s latex`` and ``w2s shell``: quantities as numbers, their
parameters and sources, LaTeX and in a REPL."""

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
    """Value of quantity NAME; values are parsed exactly (0.1 is 1/10).

    \b
    Examples:
      w2s eval ridge.teacher_risk lam_t=0.1 gamma_t=0.5 sigma2=1
      w2s eval ridge.optimal_lambda gamma_t=1/2 sigma2=0.2 --dps 10
      w2s info ridge.teacher_risk        # its parameters and their ranges
    """
    import numerics
    from proofs_check.display import format_number

    value = numerics.evaluate(name, split_assignments(assignments), dps=dps)
    click.echo(format_number(value, dps, pad=pad))


@app.command("info")
@click.argument("name")
def info(name: str) -> None:
    """What quantity or claim NAME is: its meaning, its form (the left side and the
    presentation form), its parameters with their ranges and defaults, its source; for a claim
    its statement, region, assumptions and source.

    \b
    Examples:
      w2s info ridge.student_risk
      w2s info ridge.over_regularised_teacher_never_beaten
      w2s list ridge                     # the names to ask about
    """
    import difflib

    import theory
    from proofs_check.display import terminal_width
    from theory.claims import claim_ids
    from theory.display import claim_text, quantity_text

    width = terminal_width()
    if name in theory.names():
        click.echo(quantity_text(theory.get(name), width))
        return
    if name in claim_ids():
        from theory.claims import claim

        click.echo(claim_text(claim(name), width))
        return
    close = difflib.get_close_matches(name, theory.names() + claim_ids(), n=3)
    raise UsageFailure(f"no quantity or claim named {name!r}"
                       + (f"; did you mean {', '.join(close)}?" if close else
                          "; see `w2s list`"))


@app.command("latex")
@click.argument("name", required=False)
@click.option("--form", type=click.Choice(FORMS), default="compact", show_default=True,
              help="compact: in m, m', kappa; explicit: radicals (not with --document)")
@click.option("--inline", is_flag=True, help="as inline math, $...$ (not with --align)")
@click.option("--align", is_flag=True,
              help="an align* environment broken to the text width (not with --inline)")
@click.option("--width", type=click.FloatRange(min=5), default=None,
              help="with --align: the line width in em [default: 44, the document's]")
@click.option("--document", "as_document", is_flag=True,
              help="a standalone .tex with every quantity and derivation")
@click.option("--claims", "with_claims", is_flag=True,
              help="with --document: every claim as a theorem environment with its source")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="write to FILE instead of standard output")
def latex(name: str | None, form: str, inline: bool, align: bool, width: float | None,
          as_document: bool, with_claims: bool, output: Path | None) -> None:
    """LaTeX of quantity NAME, or (--document) a document that compiles with pdflatex.

    \b
    Examples:
      w2s latex ridge.student_risk
      w2s latex ridge.student_risk --align --width 30
      w2s latex mp.kappa --form explicit --inline
      w2s latex --document --claims -o appendix.tex && pdflatex appendix.tex
    """
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
    if width is not None and not align:
        raise UsageFailure("--width goes with --align (the width the lines are broken to)")
    if as_document:
        from proofs_check.display import spinner

        with spinner("writing the document (every quantity, derivation"
                     + (" and claim)" if with_claims else ")")):
            text = document(claims=with_claims)
    elif align:
        text = _aligned(name, form, width) + "\n"
    else:
        text = latex_of(name, form=form, style="inline" if inline else "equation") + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text)
        click.echo(f"wrote {output}", err=True)


def _aligned(name: str, form: str, width: float | None) -> str:
    """``--align``: an ``align*`` broken to ``width``; a display that fits on one line is one
    aligned line, and standard error says so (with the width that would break it)."""
    from theory.latex import latex as latex_of
    from theory.linebreak import TEXT_WIDTH_EM, tex_width

    width = TEXT_WIDTH_EM if width is None else width
    text = latex_of(name, form=form, style="align", width=width)
    if not text.startswith("\\begin{equation*}"):
        return text
    line = text.split("\n")[1]
    lhs, sep, rhs = line.partition(" = ")
    body = f"{lhs} &= {rhs}" if sep else f"&{line}"
    click.echo(f"w2s: note: {name} fits on one line of {width:g} em (about "
               f"{tex_width(line):.0f} em wide), so the align* has one line; give --width "
               f"below that to break it", err=True)
    return "\\begin{align*}\n" + body + "\n\\end{align*}"


@app.command("shell")
def shell() -> None:
    """An IPython shell with the symbols, quantities, claims and evaluators loaded, pretty
    printing on.

    \b
    Examples:
      w2s shell
        In [1]: get('ridge.student_risk')        # the equation, parameters, source
        In [2]: claims[:3]                           # one line per claim
        In [3]: check('ridge.min_norm_student')      # a table
    """
    from proofs_check.shell import start

    start()
