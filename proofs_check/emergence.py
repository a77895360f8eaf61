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

__all__ = ["SCHEMA_PATH", "SCHEMA_VERSION", "VERDICTS", "Verdict", "decide", "document", "table"]

#: The JSON schema of :func:`document`.
SCHEMA_PATH = Path(__file__).with_name("pgr.schema.json")
SCHEMA_VERSION = 1
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

    def line(self) -> str:
        """One line for the terminal."""
        ceiling = ("" if self.ceiling_step is None
                   else f"; ceiling overtakes weak by step {self.ceiling_step}")
        test = ("" if self.T is None else
                f"T = {self.T:.3g} {'>' if self.emerged else '<='} c = {self.c:.3g}, "
                f"p = {self.p_value:.3g}")
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


def decide(analysis: Analysis) -> Verdict:
    """The verdict of an analysis (see the module docstring for the statuses).

    Parameters
    ----------
    analysis : numerics.checkpoints.Analysis

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
    emerged = bool(test["T"] > test["c"])
    return Verdict(group, "emerged" if emerged else "not_detected", emerged,
                   step=change["step"] if emerged else None,
                   ci_steps=change["ci_steps"] if emerged else None,
                   ci_level=change["ci_level"] if emerged else None,
                   T=test["T"], c=test["c"], p_value=test["p_value"], alpha=test["alpha"],
                   ceiling_step=ceiling_step)


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
    for a in analyses:
        entry = a.to_dict()
        entry["verdict"] = asdict(decide(a))
        groups.append(entry)
    return {"schema": SCHEMA_VERSION, "groups": groups}


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


def run_pgr(file, *, examples=None, as_json=False, plot=None, csv_out=None, seed=0, B=1000,
            mode=None, alpha=0.10, alpha_test=0.05, min_size=3, higher_is_better=True,
            x_axis="log_step", intersect=False, synthetic=None, output=None, echo=print,
            warn=None) -> int:
    """The work of ``w2s pgr`` (the click command only parses options); returns the exit code.

    With ``synthetic`` (an emergence kind of :func:`numerics.checkpoints.synthesize`) and
    ``output``, writes a synthetic data set (aggregate CSV at ``output``, per-example CSV next to
    it) instead of analysing. Bad input raises :class:`numerics.checkpoints.CheckpointDataError`.
    """
    import csv
    import json
    import warnings

    from numerics.checkpoints import (COLUMNS, CheckpointDataError, analyse, read, synthesize)

    warn = warn or echo
    if synthetic is not None:
        if output is None:
            raise CheckpointDataError("--synthetic needs -o FILE (the aggregate CSV to write)")
        if file is not None:
            raise CheckpointDataError("give either FILE (to analyse) or --synthetic, not both")
        written = synthesize(synthetic, seed=seed).write(output)
        warn(f"wrote {written[0]} and {written[1]}")
        return 0
    if output is not None:
        raise CheckpointDataError("-o is only for --synthetic; use --csv, --json or --plot")
    if file is None:
        raise CheckpointDataError("missing FILE (the aggregate CSV), or --synthetic KIND -o FILE")
    if plot is not None and Path(plot).suffix.lower() not in (".png", ".pdf"):
        raise CheckpointDataError(f"--plot must end in .png or .pdf; got {Path(plot).name!r}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        groups = read(file, examples, intersect=intersect, min_size=min_size)
    for w in caught:
        warn(f"warning: {w.message}")
    analyses = _analyse_all(groups, analyse, dict(mode=mode, B=B, alpha=alpha,
                                                  alpha_test=alpha_test, min_size=min_size,
                                                  higher_is_better=higher_is_better,
                                                  x_axis=x_axis, seed=seed))
    if csv_out is not None:
        with open(csv_out, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["task", "model", *COLUMNS])
            for a in analyses:
                for row in a.to_dict()["checkpoints"]:
                    writer.writerow([a.task, a.model] + ["" if row[c] is None else row[c]
                                                         for c in COLUMNS])
    if plot is not None:
        from numerics.plots.checkpoints import checkpoint_figure

        checkpoint_figure(analyses, plot)
        warn(f"wrote {plot}")
    if as_json:
        echo(json.dumps(document(analyses), indent=2))
    else:
        from rich.console import Console

        console = Console()
        if not console.is_terminal:
            console = Console(width=160)
        for a in analyses:
            console.print(table(a))
            for note in a.notes:
                console.print(f"note: {note}", markup=False)
        for a in analyses:
            console.print(decide(a).line(), markup=False)
    return 0


def _analyse_all(groups, analyse, options):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    out = []
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} replicates"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as progress:
        for (task, model), data in groups.items():
            bar = progress.add_task(f"bootstrap {task or '-'}/{model or '-'}",
                                    total=options["B"])
            out.append(analyse(data, progress=lambda done, total, bar=bar:
                               progress.update(bar, completed=done), **options))
    return out
