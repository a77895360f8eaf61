"""``w2s pgr``: PGR and the emergence of weak-to-strong generalisation over checkpoints."""

from __future__ import annotations

from pathlib import Path

import click

from proofs_check.cli import app
from proofs_check.cli.helptext import examples


@app.command("pgr", epilog=examples(
    "w2s pgr checkpoints.csv", "w2s pgr checkpoints.csv --plot pgr.pdf --csv table.csv",
    "w2s pgr --examples per-example.csv --json"))
@click.argument("file", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--examples", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="per-example CSV (step, seed, role, example_id, score)")
@click.option("--json", "as_json", is_flag=True, help="write the report as JSON on stdout")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path),
              help="figure of gain, gap and PGR with CIs (.png or .pdf)")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path),
              help="write the per-checkpoint table as CSV")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
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
