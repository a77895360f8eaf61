"""Reports of a verification run: the JSON document and the terminal table.

Examples
--------
>>> from proofs_check import check
>>> from proofs_check.report import document
>>> doc = document([check("ridge.min_norm_student", examples=5)], seed=0, examples=5, dps=30,
...                routes=["symbolic", "sampled"])
>>> doc["summary"]["proved"]
1
"""

from __future__ import annotations

from pathlib import Path

from proofs_check.result import SCHEMA_VERSION, ClaimReport

__all__ = ["SCHEMA_PATH", "document", "table"]

#: The JSON schema of :func:`document`.
SCHEMA_PATH = Path(__file__).with_name("report.schema.json")


def document(reports: list[ClaimReport], *, seed: int, examples: int, dps: int,
             routes: list[str]) -> dict:
    """The JSON document of a run (schema in :data:`SCHEMA_PATH`)."""
    statuses = [r.status for r in reports]
    summary = {"claims": len(reports)}
    summary.update({s: statuses.count(s) for s in ("proved", "certified", "holds", "refuted",
                                                   "inconclusive", "error")})
    return {"schema": SCHEMA_VERSION, "seed": seed, "examples": examples, "dps": dps,
            "routes": list(routes), "summary": summary, "claims": [r.to_dict() for r in reports]}


_STYLE = {"proved": "bold green", "certified": "bold green", "holds": "green",
          "refuted": "bold red", "error": "red",
          "inconclusive": "yellow", "unavailable": "dim"}


def table(reports: list[ClaimReport]):
    """A ``rich`` table: claim, source, routes, status, worst margin, time."""
    from rich.table import Table

    t = Table(show_lines=False, header_style="bold")
    for column in ("claim", "source", "routes", "status", "worst margin", "time"):
        t.add_column(column, overflow="fold", justify="right" if column == "time" else "left")
    for r in reports:
        routes = ", ".join(
            f"{x.route} [{_STYLE[x.status]}]{x.status}[/]"
            + (f" ({x.points})" if x.route == "sampled" else "")
            + (f" ({x.boxes} box{'es' if x.boxes != 1 else ''})"
               if x.route == "certified" and x.boxes is not None else "")
            for x in r.routes if x.status != "unavailable")
        margins = [x.worst_margin for x in r.routes if x.worst_margin is not None]
        t.add_row(r.claim, r.source, routes, f"[{_STYLE[r.status]}]{r.status}[/]",
                  f"{margins[0]:.3g}" if margins else "", f"{r.seconds:.1f}s")
    return t
