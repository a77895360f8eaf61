"""``w2s plot``: the figures (``w2s plot boundary ...``: a boundary against ``d``)."""

from __future__ import annotations

from pathlib import Path

import click

from proofs_check.cli import UsageFailure, app
from proofs_check.cli.boundary import boundary_options


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
@click.argument("arguments", nargs=-1, metavar="[MODEL PARAM=VALUE...]")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="FILE.png, FILE.pdf or FILE.svg")
@click.option("--quick", is_flag=True, help="smaller simulations")
@boundary_options
def plot(name: str, arguments, output: Path, quick: bool, dims, reps, seed, db, jobs,
         scheduler) -> None:
    """Draw figure NAME (listed below with their mechanisms) to a PNG, PDF or SVG file.

    `w2s plot boundary MODEL PARAM=lo:hi ... -o FILE` draws a phase boundary located at finite
    d (the options of `w2s boundary`; the repetitions already in its SQLite file are reused).

    \b
    Examples:
      w2s plot phase-diagram -o phase.pdf
      w2s plot pgr-emergence -o pgr.png --quick
      w2s plot boundary ridge lam_t=0.02:0.6 -o b.png
      w2s list --figures
    """
    from numerics.plots import figures, plot as draw

    if output.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise UsageFailure(f"-o must end in .png, .pdf or .svg; got {output.name!r}")
    if name == "boundary":
        from numerics.plots.boundary import save_boundary
        from proofs_check.cli.boundary import compute

        if not arguments:
            raise UsageFailure("usage: w2s plot boundary MODEL PARAM=lo:hi [PARAM=VALUE...] "
                               "-o FILE")
        result = compute(arguments[0], arguments[1:], dims, reps, seed, db, jobs, scheduler)
        save_boundary(result, output)
        click.echo(f"wrote {output}", err=True)
        return
    if arguments:
        raise UsageFailure(f"plot {name} takes no further arguments; got {' '.join(arguments)}")
    known = figures()
    if name not in known:
        raise UsageFailure(f"unknown plot {name!r}; known: {', '.join(known)}, boundary")
    from proofs_check.display import spinner

    status = spinner(f"drawing {name}")
    with status as update:  # a terminal: a spinner with the figure's steps; else lines
        draw(name, output, quick=quick,
             progress=(lambda line: update(f"drawing {line}")) if status.live else True)
    click.echo(f"wrote {output}", err=True)
