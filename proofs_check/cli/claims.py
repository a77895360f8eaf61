"""``w2s list`` and ``w2s verify``."""

from __future__ import annotations

import click

from proofs_check.cli import DEFAULT_ROUTES, ROUTE_NAMES, UsageFailure, jobs_option, app


def _matches(pattern: str | None, *texts: str) -> bool:
    """Whether a glob ``pattern`` matches one of ``texts`` or is a substring of one (any case)."""
    import fnmatch

    if not pattern:
        return True
    p = pattern.lower()
    return any(fnmatch.fnmatch(t.lower(), p) or p in t.lower() for t in texts)


@app.command("list")
@click.argument("pattern", required=False)
@click.option("--mechanisms", is_flag=True,
              help="list the mechanisms of the catalogue instead (built-in and installed)")
@click.option("--figures", is_flag=True, help="list the figures of `w2s plot` instead")
def list_(pattern: str | None, mechanisms: bool, figures: bool) -> None:
    """List the quantities and the claims (those matching PATTERN: a glob or a substring of the
    name or the description), one an entry; on a terminal the entries wrap to its width,
    piped they stay one a line (for grep).

    \b
    Examples:
      w2s list                        # everything, wrapped to the terminal
      w2s list ridge.student          # names containing it (or a glob: 'ridge.*risk')
      w2s list overlap                # also matches descriptions
      w2s list --figures
      w2s info ridge.student_risk     # one of them in full
    """
    import sys

    from proofs_check.display import name_list, terminal_width, wrapped_list

    fits = ((lambda rows: wrapped_list(rows, terminal_width()))
            if sys.stdout.isatty() else name_list)

    if mechanisms or figures:
        from theory.catalogue import catalogue

        rows = []
        for m in catalogue().values():
            if not _matches(pattern, m.name, m.title, *m.figures):
                continue
            if figures:
                rows += [("figure", name, f"({m.name})") for name in m.figures
                         if _matches(pattern, name, m.name)]
                continue
            facets = [f for f in ("claims", "simulation", "sweep", "plans", "reductions")
                      if getattr(m, f) is not None] + (["figures"] if m.figures else [])
            rows.append(("mechanism", m.name, f"{m.title}; prefixes {', '.join(m.prefixes)}; "
                                              f"{', '.join(facets) or 'quantities only'}"))
        if not rows:
            raise UsageFailure(f"nothing matches {pattern!r}; see `w2s list --"
                               f"{'figures' if figures else 'mechanisms'}`")
        click.echo("\n".join(fits(rows)))
        return

    from theory.listing import listing

    quantity_rows, claim_rows = listing()  # kept in the disk cache: no derivation, no claim built
    quantities = [("quantity", n, f"({', '.join(params)})  {description}")
                  for n, params, description in quantity_rows if _matches(pattern, n, description)]
    claims = [("claim   ", i, f"[{kind}] {source}") for i, kind, source in claim_rows
              if _matches(pattern, i, source)]
    if not quantities and not claims:
        raise UsageFailure(f"no quantity or claim matches {pattern!r}; see `w2s list`")
    click.echo("\n".join((fits(quantities) if quantities else [])
                          + (fits(claims) if claims else [])))


@app.command("verify")
@click.argument("pattern", required=False, default="*")
@click.option("--examples", type=click.IntRange(min=1), default=100, show_default=True,
              help="Hypothesis examples per claim (sampled route)")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="the same seed gives the same points and the same report")
@click.option("--dps", type=click.IntRange(min=15, max=1000), default=30, show_default=True,
              help="mpmath precision of the sampled route")
@click.option("--routes", default=",".join(DEFAULT_ROUTES), show_default=True,
              help="comma-separated routes: " + ", ".join(ROUTE_NAMES))
@click.option("--mc", type=click.IntRange(0, 2), default=0, show_default=True,
              help="Monte Carlo level: 0 off, 1 two points at d=200, 2 four points at d=400")
@click.option("--jobs", type=int, default=None,
              help="worker processes, claims spread over them (default: every core); the "
                   "report is the same for any number")
@click.option("--json", "as_json", is_flag=True, help="write the report as JSON on stdout")
def verify(pattern: str, examples: int, seed: int, dps: int, routes: str, mc: int,
           jobs: int | None, as_json: bool) -> int:
    """Check every registered claim matching PATTERN (a glob or a substring of the id).

    Exit code 1 if a claim is refuted or a check fails. The sampled route's count is of
    distinct points (a point Hypothesis draws again is judged once); the report says how many
    were drawn. Hypothesis keeps its files under the w2s cache (`w2s cache info`), not in the
    working folder.

    \b
    Examples:
      w2s verify                              # every claim, symbolic and sampled routes
      w2s verify 'ridge.*' --examples 500     # more points per claim
      w2s verify ridge.min_norm_student --routes symbolic,sampled,certified
      w2s verify --mc 1 --json > report.json  # with Monte Carlo, as JSON
    """
    import json
    import os

    from theory.cache import directory

    # Hypothesis writes its example database and constants cache under a home directory
    # (default: .hypothesis/ in the working folder); ours is in the user's w2s cache
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(directory() / "hypothesis"))

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from proofs_check.checking import check, default_jobs
    from proofs_check.display import MARGIN_NOTE, points_note, terminal_width, verify_table
    from proofs_check.report import document
    from proofs_check.routes import ROUTES
    from theory.claims import claims

    jobs = default_jobs() if jobs is None else jobs_option(jobs)
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
    from numerics.simulate.common import interruptible

    finished = []

    def done(report):
        finished.append(report)
        progress.advance(task)

    interrupted = False
    status = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total}"), TimeElapsedColumn(), console=status, transient=True,
                  disable=not status.is_terminal) as progress:
        task = progress.add_task(f"verifying on {min(jobs, len(chosen))} process(es)",
                                 total=len(chosen))
        try:
            with interruptible():  # SIGTERM unwinds like Ctrl-C
                reports = check(chosen, routes=route_names, examples=examples, seed=seed,
                                dps=dps, level=mc or 1, jobs=jobs, progress=done)
        except KeyboardInterrupt:  # keep what finished: its report, then exit code 130
            order = {c.id: i for i, c in enumerate(chosen)}
            reports = sorted(finished, key=lambda r: order.get(r.claim, len(order)))
            interrupted = True
    if as_json:
        doc = document(reports, seed=seed, examples=examples, dps=dps, routes=route_names)
        click.echo(json.dumps(doc, indent=2))
    else:
        console = Console(width=terminal_width())
        console.print(verify_table(reports, console.width))
        for r in reports:
            for x in r.routes:
                if x.status in ("refuted", "error"):
                    console.print(f"[bold red]{r.claim}[/] ({x.route}): {x.detail}", markup=True)
                    if x.counterexample:
                        pairs = ", ".join(f"{k}={v}" for k, v in x.counterexample.items())
                        console.print(f"  counterexample: {pairs}", markup=False)
                elif x.route == "montecarlo" and x.samples:  # diff/SE and the allowance used
                    console.print(f"{r.claim} ({x.route}): {x.detail}", style="dim",
                                  markup=False)
        n = len(reports)
        bad = sum(r.status in ("refuted", "error") for r in reports)
        console.print(f"{n - bad} of {n} claims hold" + (f"; {bad} refuted or failed" if bad
                                                          else ""))
        console.print(MARGIN_NOTE, style="dim", markup=False)
        note = points_note(reports, examples)
        if note:
            console.print(note, style="dim", markup=False)
    if interrupted:
        click.echo(f"w2s: error: interrupted; the report above holds the {len(reports)} of "
                   f"{len(chosen)} claims that finished", err=True)
        return 130
    return 1 if any(r.status in ("refuted", "error") for r in reports) else 0
