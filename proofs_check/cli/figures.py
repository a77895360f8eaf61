"""``w2s plot``: the figures (``w2s plot boundary ...``: a boundary against ``d``)."""

from __future__ import annotations

from pathlib import Path

import click

from proofs_check.cli import UsageFailure, app
from proofs_check.cli.boundary import boundary_options


@app.command("plot")
@click.argument("name")
@click.argument("arguments", nargs=-1, metavar="[MODEL PARAM=VALUE...]")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="FILE.png, FILE.pdf or FILE.svg")
@click.option("--quick", is_flag=True, help="smaller simulations")
@boundary_options
def plot(name: str, arguments, output: Path, quick: bool, dims, reps, seed, db, jobs,
         scheduler) -> None:
    """Draw figure NAME (`w2s list --figures` lists them with their mechanisms).

    `w2s plot boundary MODEL PARAM=lo:hi ... -o FILE` draws a phase boundary located at finite
    d (the options of `w2s boundary`; the repetitions already in its SQLite file are reused).
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
    draw(name, output, quick=quick, progress=True)
    click.echo(f"wrote {output}", err=True)
