"""Reports of a verification run: the JSON document (the table is in :mod:`proofs_check.display`).

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

__all__ = ["SCHEMA_PATH", "document"]

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
