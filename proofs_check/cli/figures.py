"""``w2s plot``: the figures."""

from __future__ import annotations

from pathlib import Path

import click

from proofs_check.cli import UsageFailure, app


class _PlotCommand(click.Command):
    """``w2s plot --help`` lists every figure of the catalogue with its mechanism."""

    def format_help_text(self, ctx, formatter):
        from numerics.plots import figures

        super().format_help_text(ctx, formatter)
        with formatter.section("Figures"):
            formatter.write_dl([(name, f"({mechanism})")
                                for name, mechanism in figures().items()])


@app.command("plot", cls=_PlotCommand)
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="FILE.png, FILE.pdf or FILE.svg")
@click.option("--quick", is_flag=True, help="smaller simulations")
def plot(name: str, output: Path, quick: bool) -> None:
    """Draw figure NAME (listed below with their mechanisms) to a PNG, PDF or SVG file.

    \b
    Examples:
      w2s plot phase-diagram -o phase.pdf
      w2s plot pgr-emergence -o pgr.png --quick
      w2s list --figures
    """
    from numerics.plots import figures, plot as draw

    known = figures()
    if name not in known:
        raise UsageFailure(f"unknown plot {name!r}; known: {', '.join(known)}")
    if output.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise UsageFailure(f"-o must end in .png, .pdf or .svg; got {output.name!r}")
    from proofs_check.display import spinner

    status = spinner(f"drawing {name}")
    with status as update:  # a terminal: a spinner with the figure's steps; else lines
        draw(name, output, quick=quick,
             progress=(lambda line: update(f"drawing {line}")) if status.live else True)
    click.echo(f"wrote {output}", err=True)
