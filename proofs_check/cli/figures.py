"""``w2s plot``: the figures."""

from __future__ import annotations

from pathlib import Path

import click

from proofs_check.cli import UsageFailure, app


@app.command("plot")
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="FILE.png, FILE.pdf or FILE.svg")
@click.option("--quick", is_flag=True, help="smaller simulations")
def plot(name: str, output: Path, quick: bool) -> None:
    """Draw figure NAME (`w2s list --figures` lists them with their mechanisms)."""
    from numerics.plots import figures, plot as draw

    known = figures()
    if name not in known:
        raise UsageFailure(f"unknown plot {name!r}; known: {', '.join(known)}")
    if output.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise UsageFailure(f"-o must end in .png, .pdf or .svg; got {output.name!r}")
    draw(name, output, quick=quick, progress=True)
    click.echo(f"wrote {output}", err=True)
