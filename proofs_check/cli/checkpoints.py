"""``w2s pgr``: PGR and the emergence of weak-to-strong generalisation over checkpoints."""

from __future__ import annotations

from pathlib import Path

import click

from proofs_check.cli import app

_ROLE_HELP = "a directory, glob or file of lm-evaluation-harness result JSON (one per checkpoint)"


@app.command("pgr", epilog="""\b
Examples:
  w2s pgr --weak evals/pythia-70m --w2s evals/pythia-160m --ceiling evals/pythia-410m \\
          --task sciq --metric acc --schedule pythia --plot sciq.png
  w2s pgr runs.csv --examples runs.examples.csv --json
  w2s pgr --synthetic step --probe-lead 0.2 -o syn.csv && w2s pgr syn.csv   # probe columns
""")
@click.argument("file", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--examples", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="per-example CSV (step, seed, role, example_id, score)")
@click.option("--weak", help=f"weak supervisor: {_ROLE_HELP}; one file = one fixed model")
@click.option("--w2s", "w2s_", help=f"weak-to-strong student: {_ROLE_HELP}")
@click.option("--ceiling", help=f"strong ceiling: {_ROLE_HELP}")
@click.option("--probe", help="linear probe per checkpoint: CSV (step, probe[, probe_se]) or "
                              "result files (read with --probe-task/--probe-metric)")
@click.option("--task", help="task of the result files to analyse, or 'all' (one analysis per "
                             "task, Holm's correction across them)")
@click.option("--metric", default="acc", show_default=True,
              help="metric of the result files (0.4 filters other than none: 'acc,FILTER')")
@click.option("--probe-task", help="task of --probe result files [default: --task]")
@click.option("--probe-metric", help="metric of --probe result files [default: --metric]")
@click.option("--schedule", help="checkpoint schedule to check coverage against (and for "
                                 "--synthetic): pythia, olmo-7b, or a comma-separated list")
@click.option("--drop-flagged", is_flag=True,
              help="drop the checkpoints the integrity checks flag (identical, outlier, "
                   "repeated, out-of-order or off-schedule steps) before the analysis")
@click.option("--table", "full_table", is_flag=True,
              help="also print the per-checkpoint table (default: verdict and summary only)")
@click.option("--export", type=click.Path(dir_okay=False, path_type=Path),
              help="write the assembled inputs as the project's aggregate CSV")
@click.option("--json", "as_json", is_flag=True, help="write the report as JSON on stdout")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path),
              help="figure of gain, gap and PGR with CIs (.png or .pdf)")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path),
              help="write the per-checkpoint table as CSV")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="bootstrap (or synthetic) seed, an integer >= 0")
@click.option("--bootstrap", "B", type=click.IntRange(min=20, max=1_000_000), default=1000,
              show_default=True, help="bootstrap replicates")
@click.option("--mode", type=click.Choice(["examples+seeds", "seeds", "parametric", "residual"]),
              help="bootstrap mode [default: the first the data support]")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.10,
              show_default=True, help="two-sided level of the CIs")
@click.option("--alpha-test", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              default=0.05, show_default=True, help="level of the emergence and lead/lag tests")
@click.option("--min-size", type=click.IntRange(min=1), default=3, show_default=True,
              help="minimum segment length (checkpoints)")
@click.option("--lower-is-better", is_flag=True, help="scores are losses")
@click.option("--x-axis", type=click.Choice(["log_step", "step", "index", "tokens"]),
              default="log_step", show_default=True)
@click.option("--intersect-examples", is_flag=True,
              help="keep the examples common to all roles/steps/seeds instead of failing")
@click.option("--synthetic", type=click.Choice(["logistic", "step", "null", "theory"]),
              help="write a synthetic Pythia-like data set to -o FILE instead of analysing")
@click.option("--probe-lead", type=click.FloatRange(-3, 3),
              help="with --synthetic: add a probe series leading W2SG by this much "
                   "log10(step + 1)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="with --synthetic: the aggregate CSV to write (per-example CSV next to it)")
def pgr(file, examples, weak, w2s_, ceiling, probe, task, metric, probe_task, probe_metric,
        schedule, drop_flagged, full_table, export, as_json, plot, csv_out, seed, B, mode, alpha,
        alpha_test, min_size, lower_is_better, x_axis, intersect_examples, synthetic, probe_lead,
        output) -> int:
    """PGR with CIs per checkpoint and the emergence of W2SG over pre-training.

    Input: FILE (aggregate CSV with step, weak, w2s, ceiling), or lm-evaluation-harness result
    files per role (--weak, --w2s, --ceiling with --task and --metric). Prints the verdict and a
    summary; --table for the per-checkpoint table, --json for everything.
    """
    from numerics.checkpoints.schedules import schedule as parse_schedule
    from proofs_check.emergence import run_pgr

    if schedule is not None:
        parse_schedule(schedule)  # a bad name or list fails before any file is read
    return run_pgr(file, examples=examples,
                   roles={"weak": weak, "w2s": w2s_, "ceiling": ceiling}, probe=probe,
                   task=task, metric=metric, probe_task=probe_task, probe_metric=probe_metric,
                   schedule=schedule,
                   drop_flagged=drop_flagged, full_table=full_table, export=export,
                   as_json=as_json, plot=plot, csv_out=csv_out, seed=seed, B=B, mode=mode,
                   alpha=alpha, alpha_test=alpha_test, min_size=min_size,
                   higher_is_better=not lower_is_better, x_axis=x_axis,
                   intersect=intersect_examples, synthetic=synthetic, probe_lead=probe_lead,
                   output=output, echo=click.echo, warn=lambda m: click.echo(m, err=True))
