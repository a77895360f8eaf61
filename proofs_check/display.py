"""What the command line prints: numbers, the list of names, the verification table, simulation
against theory.

Examples
--------
>>> import mpmath
>>> from proofs_check.display import format_number
>>> format_number(mpmath.mpf(1) / 10, 50)
'0.1'
>>> format_number(mpmath.mpf(1) / 3, 10)
'0.3333333333'
>>> format_number(mpmath.mpf(0), 50), format_number(mpmath.mpf(2), 50)
('0', '2')
>>> format_number(mpmath.mpf(1) / 10, 5, pad=True)
'0.10000'
"""

from __future__ import annotations

import os
import shutil

import mpmath

__all__ = ["format_number", "name_list", "terminal_width", "verify_table", "MARGIN_NOTE",
           "comparison_table", "comparison", "report_text", "report_markdown", "route_summary",
           "points_note", "wrapped_list", "spinner"]


def format_number(value, digits: int, pad: bool = False) -> str:
    """``value`` to ``digits`` significant digits.

    A value whose decimal expansion ends within those digits (an exact ``0.1``, ``2``, ``0``) is
    printed without trailing zeros; ``pad=True`` prints every digit (``0.10000``).

    Parameters
    ----------
    value : mpmath.mpf or mpmath.mpc
    digits : int
        Significant digits (``>= 1``).
    pad : bool
        Keep the trailing zeros.

    Examples
    --------
    >>> import mpmath
    >>> from proofs_check.display import format_number
    >>> format_number(mpmath.mpc(1, -0.5), 5)
    '(1.0 - 0.5j)'
    """
    if isinstance(value, mpmath.mpc):
        return mpmath.nstr(value, digits, strip_zeros=not pad)
    if not pad and value == 0:
        return "0"
    text = mpmath.nstr(value, digits, strip_zeros=not pad)
    if not pad and text.endswith(".0"):
        text = text[:-2]
    return text


def terminal_width() -> int:
    """Columns of the terminal: ``COLUMNS`` when set, else the terminal's, else 80.

    Examples
    --------
    >>> import os
    >>> from proofs_check.display import terminal_width
    >>> os.environ["COLUMNS"] = "100"; terminal_width()
    100
    >>> del os.environ["COLUMNS"]
    """
    try:
        return max(40, int(os.environ["COLUMNS"]))
    except (KeyError, ValueError):
        return shutil.get_terminal_size((80, 24)).columns


def name_list(rows: list[tuple[str, str, str]], width: int | None = None) -> list[str]:
    """Rows ``(kind, name, rest)`` as aligned lines: the name column is as wide as the longest.

    Examples
    --------
    >>> from proofs_check.display import name_list
    >>> for line in name_list([("quantity", "a.b", "x"), ("claim", "a.longer_name", "y")]):
    ...     print(line)
    quantity  a.b            x
    claim     a.longer_name  y
    """
    kind_w = max(len(k) for k, _, _ in rows)
    name_w = max(len(n) for _, n, _ in rows)
    return [f"{k:<{kind_w}}  {n:<{name_w}}  {rest}".rstrip() for k, n, rest in rows]


#: The footer of the verification table: what the sign of the worst margin means.
MARGIN_NOTE = ("worst margin: the closest a claim came to failing among the points checked; "
               "forall: min margin (>= 0 holds; identities show -max|margin|), exists: max over "
               "points of the best margin found (< 0 holds), iff: min distance to the threshold, "
               "montecarlo: -(SE of disagreement).")

_STYLE = {"proved": "bold green", "certified": "bold green", "holds": "green", "refuted": "bold red", "error": "red",
          "inconclusive": "yellow", "unavailable": "dim"}


def _wrap_id(claim_id: str, width: int) -> str:
    """Break a dotted id after ``.`` or ``_`` (never inside a word) into lines of ``width``."""
    if len(claim_id) <= width:
        return claim_id
    parts, current = [], ""
    for piece in _pieces(claim_id):
        if current and len(current) + len(piece) > width:
            parts.append(current)
            current = ""
        current += piece
    return "\n".join(parts + [current])


def _pieces(text: str) -> list[str]:
    out, current = [], ""
    for ch in text:
        current += ch
        if ch in "._":
            out.append(current)
            current = ""
    return out + ([current] if current else [])


def verify_table(reports, width: int | None = None):
    """A ``rich`` table of a verification run that fits ``width`` columns.

    Claim ids break only after ``.`` or ``_``; the source column is shown when there is room.

    Examples
    --------
    >>> from proofs_check import check
    >>> from proofs_check.display import verify_table
    >>> from rich.console import Console
    >>> console = Console(width=80, color_system=None)
    >>> with console.capture() as cap:
    ...     console.print(verify_table([check("ridge.min_norm_student", examples=5)], width=80))
    >>> "min_norm_student" in cap.get()
    True
    """
    from rich.table import Table

    width = width or terminal_width()
    longest = max([len("claim")] + [len(r.claim) for r in reports])
    with_source = width >= longest + 100
    id_width = min(longest, max(18, width - (95 if with_source else 58)))
    t = Table(show_lines=False, header_style="bold", width=None, caption=None)
    t.add_column("claim", no_wrap=True, min_width=id_width, max_width=id_width)
    if with_source:
        t.add_column("source", overflow="fold", ratio=1)
    t.add_column("routes")
    t.add_column("status", no_wrap=True)
    t.add_column("worst margin", justify="right", no_wrap=True)
    t.add_column("time", justify="right", no_wrap=True)
    for r in reports:
        routes = ", ".join(
            f"{x.route} [{_STYLE[x.status]}]{x.status}[/]"
            + (f" ({x.points})" if x.route == "sampled" else "")
            + (_certificate(x) if x.route == "certified" and x.boxes is not None else "")
            for x in r.routes if x.status != "unavailable")
        margins = [x.worst_margin for x in r.routes if x.worst_margin is not None]
        row = [_wrap_id(r.claim, id_width)]
        if with_source:
            row.append(r.source)
        row += [routes, f"[{_STYLE[r.status]}]{r.status}[/]",
                f"{margins[0]:.3g}" if margins else "", f"{r.seconds:.1f}s"]
        t.add_row(*row)
    return t


def route_summary(report) -> str:
    """The routes of a report in a few words: ``symbolic proved, sampled holds (257)``.

    Examples
    --------
    >>> from proofs_check.display import route_summary
    >>> from proofs_check.result import ClaimReport, RouteResult
    >>> route_summary(ClaimReport("c", "", "", "forall", [RouteResult("c", "sampled", "holds",
    ...                                                               points=12)]))
    'sampled holds (12)'
    """
    return ", ".join(
        f"{x.route} {x.status}" + (f" ({x.points})" if x.route == "sampled" else "")
        + (_certificate(x) if x.route == "certified" and x.boxes is not None else "")
        for x in report.routes if x.status != "unavailable")


def report_text(reports, width: int | None = None) -> str:
    """Reports as the text of :func:`verify_table` (what IPython and ``w2s shell`` show), with
    the refutations' counterexamples below.

    Examples
    --------
    >>> from proofs_check.display import report_text
    >>> from proofs_check.result import ClaimReport, RouteResult
    >>> r = ClaimReport("demo", "", "", "forall", [RouteResult("demo", "sampled", "refuted",
    ...                 points=2, counterexample={"lam": "0"}, detail="margin -1 < 0")])
    >>> print(report_text([r], width=70))  # doctest: +ELLIPSIS
    ┏━━...
    ┃ claim ┃ routes              ┃ status  ┃ worst margin ┃ time ┃
    ...
    demo (sampled): margin -1 < 0; counterexample lam=0
    """
    from rich.console import Console

    console = Console(width=width or terminal_width(), color_system=None, record=True,
                      file=open(os.devnull, "w"))
    console.print(verify_table(reports, console.width))
    for r in reports:
        for x in r.routes:
            if x.status in ("refuted", "error"):
                pairs = ", ".join(f"{k}={v}" for k, v in (x.counterexample or {}).items())
                console.print(f"{r.claim} ({x.route}): {x.detail}"
                              + (f"; counterexample {pairs}" if pairs else ""), markup=False,
                              soft_wrap=True)
    console.file.close()
    return console.export_text().rstrip("\n")


def report_markdown(reports) -> str:
    """Reports as a Markdown table (what Jupyter shows).

    Examples
    --------
    >>> from proofs_check import check
    >>> from proofs_check.display import report_markdown
    >>> print(report_markdown([check("ridge.min_norm_student", examples=5)]))
    ... # doctest: +ELLIPSIS
    | claim | status | routes | worst margin | time |
    |---|---|---|---|---|
    | `ridge.min_norm_student` | proved | symbolic proved, sampled holds (...) | ... |
    """
    lines = ["| claim | status | routes | worst margin | time |", "|---|---|---|---|---|"]
    for r in reports:
        margins = [x.worst_margin for x in r.routes if x.worst_margin is not None]
        margin = f"{margins[0]:.3g}" if margins else ""
        lines.append(f"| `{r.claim}` | {r.status} | {route_summary(r)} | {margin} | "
                     f"{r.seconds:.1f}s |")
    return "\n".join(lines)


def points_note(reports, examples: int) -> str | None:
    """Why the sampled route's count (``sampled holds (257)``) is not ``--examples``: the
    points drawn, the repeats judged once, the skipped ones (``None`` without a sampled route).

    Examples
    --------
    >>> from proofs_check.display import points_note
    >>> from proofs_check.result import ClaimReport, RouteResult
    >>> r = ClaimReport("c", "", "", "forall", [RouteResult("c", "sampled", "holds", points=257,
    ...                                                     drawn=512, skipped=3)])
    >>> print(points_note([r], 500))
    sampled (n): n distinct points judged. For --examples 500 Hypothesis drew 512 points (whole batches; shrinking adds more); 252 repeated a point already judged (the ends of each range most often; a point is judged once) and 3 were skipped (a quantity not finite there, or a point on a claim's threshold).
    """
    routes = [x for r in reports for x in r.routes if x.route == "sampled" and x.drawn]
    if not routes:
        return None
    drawn = sum(x.drawn for x in routes)
    judged = sum(x.points + x.skipped + x.inconclusive for x in routes)
    skipped = sum(x.skipped for x in routes)
    over = f" over {len(routes)} claims" if len(routes) > 1 else ""
    return (f"sampled (n): n distinct points judged. For --examples {examples} Hypothesis "
            f"drew {drawn:,} points{over} (whole batches; shrinking adds more); "
            f"{drawn - judged:,} repeated a point already judged (the ends of each range most "
            f"often; a point is judged once) and {skipped:,} were skipped (a quantity not "
            f"finite there, or a point on a claim's threshold).")


def wrapped_list(rows: list[tuple[str, str, str]], width: int | None = None) -> list[str]:
    """Rows ``(kind, name, rest)`` as :func:`name_list` lines wrapped to ``width`` columns: the
    rest continues under itself, or (no room beside the name) on the next lines, indented.

    Examples
    --------
    >>> from proofs_check.display import wrapped_list
    >>> for line in wrapped_list([("quantity", "a.b", "one two three four five six")], 30):
    ...     print(line)
    quantity  a.b  one two three
                   four five six
    """
    import textwrap

    width = width or terminal_width()
    kind_w = max(len(k) for k, _, _ in rows)
    name_w = max(len(n) for _, n, _ in rows)
    lines = []
    for kind, name, rest in rows:
        head = f"{kind:<{kind_w}}  {name:<{name_w}}  "
        room = width - len(head)
        if room >= 24:
            body = textwrap.wrap(rest, room) or [""]
            lines.append((head + body[0]).rstrip())
            lines += [" " * len(head) + b for b in body[1:]]
        else:
            lines.append(f"{kind:<{kind_w}}  {name}".rstrip())
            lines += textwrap.wrap(rest, width, initial_indent="    ", subsequent_indent="    ")
    return lines


class spinner:
    """A transient spinner with the elapsed time on standard error (when it is a terminal) for
    commands that run for seconds; ``update(text)`` changes its line.

    Examples
    --------
    >>> from proofs_check.display import spinner
    >>> with spinner("drawing") as update:   # not a terminal here: silent
    ...     update("drawing: 1/2")
    """

    def __init__(self, description: str):
        from rich.console import Console

        self.console = Console(stderr=True)
        self.description = description
        self.live = None

    def __enter__(self):
        if not self.console.is_terminal:
            return lambda text: None
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.live = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                             TimeElapsedColumn(), console=self.console, transient=True)
        self.live.__enter__()
        task = self.live.add_task(self.description, total=None)
        return lambda text: self.live.update(task, description=text)

    def __exit__(self, *exc):
        if self.live is not None:
            self.live.__exit__(*exc)
        return False


def _certificate(x) -> str:
    """`` (3 boxes, 2 lemmas, band)`` or `` (40 boxes, 99.8 % of the volume)``: the certified
    route's certificate in short (the JSON report has every field)."""
    parts = [f"{x.boxes} box{'es' if x.boxes != 1 else ''}"]
    if x.lemmas:
        parts.append(f"{len(x.lemmas)} lemma{'s' if len(x.lemmas) != 1 else ''}")
    if x.status == "inconclusive" and x.certified_fraction is not None:
        parts.append(f"{100 * x.certified_fraction:.3g} % of the volume")
    if x.band:
        parts.append("band left out")
    return f" ({', '.join(parts)})"


def comparison_table(rows: list[dict]) -> str:
    """Simulation against theory, a row per quantity: ``simulation +- SE``, the theory, their
    difference in standard errors and the verdict (rows as the Monte Carlo comparisons make
    them: ``quantity``, ``simulation``, ``standard_error``, ``theory``, ``difference_in_se``,
    ``agree``).

    Examples
    --------
    >>> from proofs_check.display import comparison_table
    >>> print(comparison_table([{"quantity": "ridge.teacher_risk", "simulation": 0.74211,
    ...                          "standard_error": 0.015, "theory": 0.733843,
    ...                          "difference_in_se": 0.55, "agree": True}]))
    quantity                           simulation       theory  diff/SE  verdict
    ridge.teacher_risk           0.74211 +- 0.015     0.733843     0.55  agree
    """
    width = max([29] + [len(r["quantity"]) + 1 for r in rows])
    lines = [f"{'quantity':{width}s} {'simulation':>22s} {'theory':>12s} {'diff/SE':>8s}  verdict"]
    for r in rows:
        simulated = f"{r['simulation']:.6g} +- {r['standard_error']:.2g}"
        lines.append(f"{r['quantity']:{width}s} {simulated:>22s} {r['theory']:>12.6g} "
                     f"{r['difference_in_se']:>8.2f}  {'agree' if r['agree'] else 'DISAGREE'}")
    return "\n".join(lines)


def comparison(result, d: int, reps: int, seed: int, as_json: bool) -> str:
    """What ``w2s simulate MODEL`` prints: :func:`comparison_table` of a
    :class:`~proofs_check.result.Comparison` (conditional rows marked ``(cond.)``) and the
    agreement rule, or the same as JSON.

    Examples
    --------
    >>> from proofs_check.display import comparison
    >>> from proofs_check.result import Comparison
    >>> print(comparison(Comparison("ridge", [{"quantity": "q", "simulation": 1.0,
    ...                                        "standard_error": 0.1, "theory": 1.0,
    ...                                        "difference_in_se": 0.0, "agree": True}], {}),
    ...                  d=10, reps=2, seed=0, as_json=False))
    ... # doctest: +NORMALIZE_WHITESPACE
    quantity simulation theory diff/SE verdict
    q 1 +- 0.1 1 0.00 agree
    d=10, 2 repetitions, seed 0; agreement: within 4 SE + 4 (1 + |theory|)/d
    """
    if as_json:
        import json

        return json.dumps({"model": result.model, "d": d, "reps": reps, "seed": seed,
                           "parameters": result.parameters, "rows": result.rows}, indent=2)
    shown = [{**r, "quantity": r["quantity"] + (" (cond.)" if r.get("conditional") else "")}
             for r in result.rows]
    return (comparison_table(shown) + f"\nd={d}, {reps} repetitions, seed {seed}; {result.note}"
            "agreement: within 4 SE + 4 (1 + |theory|)/d")
