"""The verdict on checkpoint data: does weak-to-strong generalisation emerge, and where?

``numerics.checkpoints`` estimates (curves, bootstrap, the calibrated statistic ``T`` and its
critical value ``c``, the change point and its CI); this module decides: W2SG emerges iff the
existence test rejects (``T > c``, family-wise level ``alpha_test``), and then it is located at
the change point with its bootstrap CI. It also writes the JSON document of ``w2s pgr --json``
(schema in :data:`SCHEMA_PATH`) and the terminal table.

Verdict statuses:

``emerged``
    The test rejects "every suffix mean of the true gain after the ceiling emerges is <= 0".
``not_detected``
    The test does not reject (absence of evidence, not evidence of absence: see the p-value).
``ceiling_never_beats_weak``
    The ceiling's gap over the weak model is never significantly positive to the end; PGR is
    undefined throughout and nothing is tested.
``too_few_checkpoints``
    Fewer than ``2 min_size`` checkpoints remain after the ceiling emerges.
``untested``
    No replicate-level uncertainty (one seed, no per-example data, no ``n_eval``): only the
    change point is located (residual bootstrap), no test is run.

Examples
--------
>>> from numerics.checkpoints import analyse, synthesize
>>> from proofs_check.emergence import decide
>>> verdict = decide(analyse(synthesize("step", seed=1).data, B=200))
>>> verdict.status, verdict.step
('emerged', 10000)
>>> print(verdict.line())
synthetic/pythia-like/step: W2SG emerges at step 10000 (90% CI (9000, 10000]); T = ... by step 4000
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from numerics.checkpoints import Analysis

__all__ = ["SCHEMA_PATH", "SCHEMA_VERSION", "VERDICTS", "Verdict", "decide", "holm", "verdicts",
           "document", "table", "summary"]

#: The JSON schema of :func:`document`.
SCHEMA_PATH = Path(__file__).with_name("pgr.schema.json")
SCHEMA_VERSION = 2
VERDICTS = ("emerged", "not_detected", "ceiling_never_beats_weak", "too_few_checkpoints",
            "untested")


@dataclass(frozen=True)
class Verdict:
    """The decision for one ``(task, model)``.

    Attributes
    ----------
    group : str
        ``task/model``.
    status : str
        One of :data:`VERDICTS`.
    emerged : bool or None
        ``None`` when nothing was tested.
    step : int or None
        Emergence step (first checkpoint of the second segment) when ``emerged``.
    ci_steps : list or None
        ``[after, by]``: the change happens after step ``after`` and by step ``by``.
    ci_level : float or None
    T, c, p_value, alpha : float or None
        The test statistic, its bootstrap critical value, p-value and level.
    ceiling_step : int or None
        The step from which the ceiling's gap over the weak model stays significantly positive.
    p_floor : float or None
        The smallest p-value ``B`` replicates can give, ``1/(B + 1)`` (shown as ``p < 1/B``).
    p_adjusted : float or None
        Holm's adjusted p-value when several tasks are tested together (the decision then uses
        it at level ``alpha``), else ``None``.
    """

    group: str
    status: str
    emerged: bool | None
    step: int | None
    ci_steps: list | None
    ci_level: float | None
    T: float | None
    c: float | None
    p_value: float | None
    alpha: float | None
    ceiling_step: int | None
    p_floor: float | None = None
    p_adjusted: float | None = None

    def p_text(self) -> str:
        """``p = 0.012``, or ``p < 0.001`` at the bootstrap floor ``1/(B + 1)``."""
        return f"p {_p(self.p_value, self.p_floor)}"

    def line(self) -> str:
        """One line for the terminal."""
        ceiling = ("" if self.ceiling_step is None
                   else f"; ceiling overtakes weak by step {self.ceiling_step}")
        holm = ("" if self.p_adjusted is None else
                f", Holm-adjusted p = {self.p_adjusted:.2g}")
        compare = "" if self.p_adjusted is not None else (
            f"T = {self.T:.3g} {'>' if self.emerged else '<='} c = {self.c:.3g}, "
            if self.T is not None else "")
        test = "" if self.T is None else f"{compare}{self.p_text()}{holm}"
        if self.status == "emerged":
            lo, hi = self.ci_steps
            interval = f"({lo if lo is not None else '-inf'}, {hi}]"
            return (f"{self.group}: W2SG emerges at step {self.step} "
                    f"({self.ci_level:.0%} CI {interval}); {test}{ceiling}")
        if self.status == "not_detected":
            return f"{self.group}: W2SG not detected ({test}){ceiling}"
        if self.status == "ceiling_never_beats_weak":
            return f"{self.group}: ceiling never beats weak; PGR undefined throughout"
        if self.status == "too_few_checkpoints":
            return f"{self.group}: too few checkpoints after the ceiling emerges to test{ceiling}"
        return (f"{self.group}: not tested (no replicate-level uncertainty); change point at "
                f"step {self.step}{ceiling}")


def decide(analysis: Analysis, p_adjusted: float | None = None) -> Verdict:
    """The verdict of an analysis (see the module docstring for the statuses).

    Parameters
    ----------
    analysis : numerics.checkpoints.Analysis
    p_adjusted : float, optional
        Holm's adjusted p-value when several analyses are tested as a family
        (:func:`holm`); W2SG then emerges iff ``p_adjusted <= alpha``.

    Returns
    -------
    Verdict
    """
    group = f"{analysis.task or '-'}/{analysis.model or '-'}"
    ceiling_step = analysis.ceiling["step"]
    change, test = analysis.change, analysis.test
    empty = dict(step=None, ci_steps=None, ci_level=None, T=None, c=None, p_value=None,
                 alpha=None)
    if analysis.k0 is None:
        return Verdict(group, "ceiling_never_beats_weak", None, ceiling_step=None, **empty)
    if change is None:
        return Verdict(group, "too_few_checkpoints", None, ceiling_step=ceiling_step, **empty)
    if test is None:
        return Verdict(group, "untested", None, step=change["step"], ci_steps=change["ci_steps"],
                       ci_level=change["ci_level"], T=None, c=None, p_value=None, alpha=None,
                       ceiling_step=ceiling_step)
    emerged = bool(test["T"] > test["c"] if p_adjusted is None
                   else p_adjusted <= test["alpha"])
    return Verdict(group, "emerged" if emerged else "not_detected", emerged,
                   step=change["step"] if emerged else None,
                   ci_steps=change["ci_steps"] if emerged else None,
                   ci_level=change["ci_level"] if emerged else None,
                   T=test["T"], c=test["c"], p_value=test["p_value"], alpha=test["alpha"],
                   ceiling_step=ceiling_step, p_floor=1 / (analysis.provenance["B"] + 1),
                   p_adjusted=p_adjusted)


def holm(p_values) -> list:
    """Holm's (1979) step-down adjusted p-values (``None`` entries pass through).

    Examples
    --------
    >>> holm([0.01, None, 0.04, 0.03])
    [0.03, None, 0.06, 0.06]
    """
    tested = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m, out, running = len(tested), list(p_values), 0.0
    for rank, (p, i) in enumerate(tested):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = round(running, 12)
    return out


def verdicts(analyses: list) -> list:
    """The verdict of each analysis; with several tested analyses (e.g. ``--task all``) the
    family-wise level is kept by Holm's step-down procedure on their p-values."""
    tested = [a.test["p_value"] if a.test is not None and a.change is not None else None
              for a in analyses]
    if sum(p is not None for p in tested) < 2:
        return [decide(a) for a in analyses]
    return [decide(a, p) for a, p in zip(analyses, holm(tested))]


def document(analyses: list[Analysis]) -> dict:
    """The JSON document of ``w2s pgr --json`` (schema in :data:`SCHEMA_PATH`).

    Examples
    --------
    >>> from numerics.checkpoints import analyse, synthesize
    >>> doc = document([analyse(synthesize("null", seed=0).data, B=100)])
    >>> doc["groups"][0]["verdict"]["status"], len(doc["groups"][0]["checkpoints"])
    ('not_detected', 154)
    """
    groups = []
    for a, v in zip(analyses, verdicts(analyses)):
        entry = a.to_dict()
        entry["verdict"] = asdict(v)
        groups.append(entry)
    tested = sum(g["verdict"]["p_adjusted"] is not None for g in groups)
    multiple = (None if tested < 2 else
                f"Holm's step-down procedure over {tested} tested analyses keeps the family-wise "
                f"level {groups[0]['verdict']['alpha']}")
    return {"schema": SCHEMA_VERSION, "multiple_testing": multiple, "groups": groups}


def _cell(value, lo=None, hi=None, digits=3):
    if value is None or value != value:
        return "—"
    text = f"{value:.{digits}f}"
    if lo is not None and lo == lo:
        text += f" [{lo:.{digits}f}, {hi:.{digits}f}]"
    return text


def table(analysis: Analysis):
    """A ``rich`` table of the per-checkpoint quantities; undefined PGR shows as ``—`` with its
    status, never as inf or NaN."""
    from rich.table import Table

    t = Table(title=f"{analysis.task or '-'}/{analysis.model or '-'}", header_style="bold")
    for column in ("step", "P_weak", "P_w2s", "P_ceil", "gain [CI]", "gap [CI]", "PGR [CI]",
                   "status"):
        t.add_column(column, justify="left" if column == "status" else "right")
    tab = analysis.table
    marks = {analysis.k0: "ceiling", (analysis.change or {}).get("k_hat"): "change"}
    for k in range(len(analysis.steps)):
        status = tab["status"][k] + (f" ← {marks[k]}" if k in marks else "")
        t.add_row(str(int(tab["step"][k])), _cell(tab["P_weak"][k]), _cell(tab["P_w2s"][k]),
                  _cell(tab["P_ceil"][k]), _cell(tab["gain"][k], tab["gain_lo"][k],
                                                 tab["gain_hi"][k]),
                  _cell(tab["gap"][k], tab["gap_lo"][k], tab["gap_hi"][k]),
                  _cell(tab["pgr"][k], tab["pgr_lo"][k], tab["pgr_hi"][k], digits=2), status)
    return t


def summary(analysis: Analysis, verdict: Verdict) -> list:
    """The lines under a verdict: data, ceiling, levels, probe, integrity warnings, notes."""
    a, lines = analysis, []
    prov = a.provenance
    n_eval = a.inputs.get("n_eval")
    status = a.table["status"]
    counts = {s: int((status == s).sum()) for s in dict.fromkeys(status)}
    lines.append(f"  {len(a.steps)} checkpoints, steps {int(a.steps[0])}..{int(a.steps[-1])}; "
                 f"{a.metric or 'score'}"
                 + ("" if n_eval is None else f" on {n_eval} examples"
                    + (f" ({a.inputs['n_eval_source']})" if a.inputs.get("n_eval_source")
                       else ""))
                 + f"; bootstrap {prov['bootstrap_mode']}, B = {prov['B']}, seed {prov['seed']}")
    lines.append("  PGR status: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    levels = a.levels or {}
    post = levels.get("pgr_post") or {}
    if post.get("estimate") is not None:
        ci = post.get("ci")
        lines.append(f"  mean PGR after the change: {post['estimate']:.3g}"
                     + ("" if not ci or None in ci else f" [{ci[0]:.3g}, {ci[1]:.3g}]"))
    if a.probe is not None:
        c = a.probe["correlation"]["gain"]
        ci = c["spearman_ci"]
        lead = a.probe["lead"]
        text = (f"  probe: Spearman correlation with the gain {c['spearman']:.2f}"
                + ("" if ci is None else f" [{ci[0]:.2f}, {ci[1]:.2f}]")
                + f" (moving blocks of {c['block']} checkpoints); probe changes at step "
                f"{a.probe['change']['probe']['step']}")
        if lead["verdict"] == "untested":
            text += "; lead/lag not tested"
        else:
            text += (f"; {lead['verdict'].replace('_', ' ')} (lead {lead['estimate']:.2g} "
                     f"checkpoints, p_lead {_p(lead['p_lead'], verdict.p_floor)}, p_lag "
                     f"{_p(lead['p_lag'], verdict.p_floor)})")
        lines.append(text)
    for flag in a.integrity:
        lines.append(f"  warning: {flag.message}")
    for note in a.notes:
        lines.append(f"  note: {note}")
    return lines


def _p(p, floor):
    """``= 0.012``, or ``< 0.001`` at the bootstrap floor."""
    if floor is not None and p <= floor * (1 + 1e-9):
        return f"< {floor / (1 - floor):.2g}"
    return f"= {p:.2g}"


def _write_table_csv(analyses, path):
    import csv

    from numerics.checkpoints import COLUMNS

    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["task", "model", *COLUMNS])
        for a in analyses:
            for row in a.to_dict()["checkpoints"]:
                writer.writerow([a.task, a.model] + ["" if row[c] is None else row[c]
                                                     for c in COLUMNS])


def run_pgr(file=None, *, examples=None, roles=None, probe=None, task=None, metric="acc",
            probe_task=None, probe_metric=None, schedule=None, drop_flagged=False,
            full_table=False, export=None, as_json=False, plot=None, csv_out=None, seed=0,
            B=1000, mode=None, alpha=0.10, alpha_test=0.05, min_size=3, higher_is_better=True,
            x_axis="log_step", intersect=False, synthetic=None, probe_lead=None, output=None,
            echo=print, warn=None) -> int:
    """The work of ``w2s pgr`` (the click command only parses options); returns the exit code.

    Inputs: the aggregate CSV ``file`` (and ``examples``), or ``roles`` (``weak``, ``w2s``,
    ``ceiling`` -> a directory, glob or file of lm-evaluation-harness results) with ``task``
    (or ``"all"``) and ``metric``; ``probe`` adds a linear-probe series (CSV ``step, probe[,
    probe_se]`` or result files read with ``probe_task``/``probe_metric``). ``schedule`` names
    the checkpoint schedule whose coverage is checked; ``drop_flagged`` drops the checkpoints the
    integrity checks flag. With ``synthetic`` (an emergence kind of
    :func:`numerics.checkpoints.synthesize`) and ``output``, writes a synthetic data set instead.
    Bad input raises :class:`numerics.checkpoints.CheckpointDataError`.
    """
    import json
    import warnings

    from numerics.checkpoints import CheckpointDataError, analyse, synthesize
    from proofs_check import pgr_inputs

    warn = warn or echo
    roles = {r: v for r, v in (roles or {}).items() if v}
    if synthetic is not None:
        if output is None:
            raise CheckpointDataError("--synthetic needs -o FILE (the aggregate CSV to write)")
        if file is not None or roles:
            raise CheckpointDataError("give either input files (to analyse) or --synthetic, "
                                      "not both")
        written = synthesize(synthetic, seed=seed, steps=schedule,
                             probe_lead=probe_lead).write(output)
        warn(f"wrote {written[0]} and {written[1]}")
        return 0
    if probe_lead is not None:
        raise CheckpointDataError("--probe-lead is only for --synthetic")
    if output is not None:
        raise CheckpointDataError("-o is only for --synthetic; use --csv, --export, --json or "
                                  "--plot")
    if plot is not None and Path(plot).suffix.lower() not in (".png", ".pdf"):
        raise CheckpointDataError(f"--plot must end in .png or .pdf; got {Path(plot).name!r}")
    if file is not None and roles:
        raise CheckpointDataError(f"give either FILE (the aggregate CSV) or --{next(iter(roles))}"
                                  f" and the other roles (result files), not both")
    from contextlib import nullcontext

    from rich.console import Console

    size = sum(Path(f).stat().st_size for f in (file, examples) if f is not None)
    reading = (Console(stderr=True).status(f"reading {size / 1e6:.0f} MB of checkpoint scores")
               if size > 5e6 else nullcontext())
    with warnings.catch_warnings(record=True) as caught, reading:
        warnings.simplefilter("always")
        if roles:
            if examples is not None:
                raise CheckpointDataError("--examples goes with FILE (the aggregate CSV), not "
                                          "with result files")
            if not task:
                raise CheckpointDataError("--task is needed with result files (a task name, "
                                          "or 'all')")
            groups = pgr_inputs.from_harness(roles, task=task, metric=metric, schedule=schedule,
                                             drop_flagged=drop_flagged, min_size=min_size)
        elif file is not None:
            if task is not None:
                raise CheckpointDataError("--task and --metric select from result files; the "
                                          "CSV's task column groups the analyses")
            groups = pgr_inputs.from_csv(file, examples, intersect=intersect,
                                         min_size=min_size, schedule=schedule,
                                         drop_flagged=drop_flagged)
        else:
            raise CheckpointDataError("missing FILE (the aggregate CSV), or --weak, --w2s "
                                      "and --ceiling (lm-evaluation-harness result files), or "
                                      "--synthetic KIND -o FILE")
    for w in caught:
        warn(f"warning: {w.message}")
    if probe is not None:
        groups = [(pgr_inputs.with_probe(d, probe, task=probe_task, metric=probe_metric), f, x,
                   {**i, "probe": str(probe)}) for d, f, x, i in groups]
    if export is not None:
        pgr_inputs.export_csv([g[0] for g in groups], export)
        warn(f"wrote {export}")
    options = dict(mode=mode, B=B, alpha=alpha, alpha_test=alpha_test, min_size=min_size,
                   higher_is_better=higher_is_better, x_axis=x_axis, seed=seed)
    analyses = _analyse_all([g[0] for g in groups], analyse, options)
    for a, (_, flags, dropped, inputs) in zip(analyses, groups):
        a.integrity = list(flags)
        a.inputs.update(inputs)
        a.inputs["dropped_steps"] = dropped
        if dropped:
            a.notes.append(f"--drop-flagged dropped step(s) {', '.join(map(str, dropped))}")
    if csv_out is not None:
        _write_table_csv(analyses, csv_out)
    if plot is not None:
        from numerics.plots.checkpoints import checkpoint_figure

        checkpoint_figure(analyses, plot)
        warn(f"wrote {plot}")
    if as_json:
        echo(json.dumps(document(analyses), indent=2))
        return 0
    decided = verdicts(analyses)
    for a, v in zip(analyses, decided):
        echo(v.line())
        for line in summary(a, v):
            echo(line)
    if len(analyses) > 1 and any(v.p_adjusted is not None for v in decided):
        echo(f"multiple testing: Holm's step-down over the tested analyses keeps the "
             f"family-wise level {alpha_test}")
    if full_table:
        from rich.console import Console

        console = Console()
        if not console.is_terminal:
            console = Console(width=160)
        for a in analyses:
            console.print(table(a))
    elif csv_out is None:
        echo("(the per-checkpoint table: --table, or --csv FILE)")
    return 0


def _analyse_all(groups, analyse, options):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    out = []
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} replicates"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as progress:
        for data in groups:
            bar = progress.add_task(f"bootstrap {data.task or '-'}/{data.model or '-'}",
                                    total=options["B"])
            out.append(analyse(data, progress=lambda done, total, bar=bar:
                               progress.update(bar, completed=done), **options))
    return out
