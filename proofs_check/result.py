"""The result types of checks: one :class:`RouteResult` per route, one :class:`ClaimReport` per claim.

The JSON written by ``w2s verify --json`` is ``{"schema": SCHEMA_VERSION, "seed": ...,
"examples": ..., "claims": [ClaimReport.to_dict(), ...]}``; its JSON schema is
``proofs_check/report.schema.json`` (validated in the test suite). Fields:

``status`` of a route
    ``proved`` (the symbolic route: SymPy established every step), ``certified`` (the certified
    route: the margin's interval enclosure is ``>= 0`` on every box of the region), ``holds``
    (no counterexample among the points checked), ``refuted`` (a counterexample, reported
    shrunk), ``inconclusive`` (the route ran but could not decide), ``unavailable`` (the route
    does not apply to this claim, e.g. no proof or no simulator), ``error``.
``worst_margin``
    ``forall``: the smallest margin seen (an identity: the largest ``|margin|``, negated);
    ``exists``: the largest, over points, of the best margin the witness search reached (closest to
    failing; must stay negative); ``iff``: the smallest distance ``|B/A - rho_c|``-style of the
    condition to its threshold among decided points.
``worst_at`` / ``counterexample``
    Exact parameter values of the worst point and of the shrunk counterexample, as strings that
    :func:`numerics.parse_value` reads back to the same rationals (``"0.25"``, ``"1/3"``).
``inconclusive`` / ``inconclusive_at``
    Points where the margin's sign could not be established (zero to the working precision,
    even at the raised precision), and the first such point: neither support nor counterexample.
``points`` / ``drawn``
    The sampled route: distinct points judged, and points Hypothesis drew (a point drawn again,
    the ends of each range most often, is judged once; batches round ``examples`` up and
    shrinking adds draws), so ``points`` can be well below ``examples``.
``boxes``, ``evaluations``, ``certified_fraction``, ``undecided``, ``undecided_count``
    The certified route (:mod:`proofs_check.certified`): boxes certified, interval evaluations,
    fraction of the box's volume certified, the undecided boxes (``{coordinate: [lo, hi]}``, the
    first few) and their number; ``None`` for the other routes.
``lemmas``, ``band``
    The certified route: the ids of the claims its certificate uses (each certified first), and
    the part of the region it leaves out, in words: the tolerance band around an ``iff``
    threshold, or the band at an open face of the region where an existence claim's gain tends
    to 0 (no finite witness certificate reaches such a face); ``None`` when nothing is left out.
``samples``
    The Monte Carlo route: one entry per simulated point (``at``, ``theory``, ``simulation``,
    ``se``, ``offset``, ``allowance``, ``agree``, ``difference_in_se``); ``None`` otherwise.

Examples
--------
>>> from proofs_check.result import RouteResult
>>> RouteResult("demo", "sampled", "holds", points=3).to_dict()["status"]
'holds'
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Optional

__all__ = ["RouteResult", "ClaimReport", "ReportList", "Comparison", "STATUSES",
           "SCHEMA_VERSION"]

SCHEMA_VERSION = 2
STATUSES = ("proved", "certified", "holds", "refuted", "inconclusive", "unavailable", "error")


@dataclass
class RouteResult:
    """Outcome of one route on one claim (see the module docs for the fields)."""

    claim: str
    route: str
    status: str
    points: int = 0
    skipped: int = 0
    worst_margin: Optional[float] = None
    worst_at: Optional[dict] = None
    counterexample: Optional[dict] = None
    dps: Optional[int] = None
    seconds: float = 0.0
    detail: str = ""
    inconclusive: int = 0
    inconclusive_at: Optional[dict] = None
    boxes: Optional[int] = None
    evaluations: Optional[int] = None
    certified_fraction: Optional[float] = None
    undecided: Optional[list] = None
    undecided_count: Optional[int] = None
    drawn: Optional[int] = None
    lemmas: Optional[list] = None
    band: Optional[str] = None
    samples: Optional[list] = None

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}; got {self.status!r}")

    def to_dict(self) -> dict:
        """Plain JSON-ready dictionary (a non-finite margin becomes ``None``)."""
        d = asdict(self)
        if d["worst_margin"] is not None and not math.isfinite(d["worst_margin"]):
            d["worst_margin"] = None
        return d


@dataclass
class ClaimReport:
    """All routes' results for one claim, with the overall status.

    The overall status is ``refuted`` if any route refuted the claim; otherwise ``proved`` if the
    symbolic route proved it; otherwise ``certified`` if the certified route did; otherwise
    ``holds`` if some route found it to hold; otherwise ``inconclusive``. ``supported_by`` counts
    the routes that proved, certified or found it to hold.
    """

    claim: str
    source: str
    statement: str
    kind: str
    routes: list[RouteResult] = field(default_factory=list)

    @property
    def status(self) -> str:
        statuses = [r.status for r in self.routes]
        if "refuted" in statuses:
            return "refuted"
        if "error" in statuses:
            return "error"
        if "proved" in statuses:
            return "proved"
        if "certified" in statuses:
            return "certified"
        if "holds" in statuses:
            return "holds"
        return "inconclusive"

    @property
    def supported_by(self) -> int:
        return sum(r.status in ("proved", "certified", "holds") for r in self.routes)

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.routes)

    def route(self, name: str) -> RouteResult:
        """The result of route ``name``."""
        (result,) = [r for r in self.routes if r.route == name]
        return result

    def _repr_pretty_(self, p, cycle):  # IPython, w2s shell: the verification table
        from proofs_check.display import report_text

        p.text(report_text([self]))

    def _repr_markdown_(self) -> str:  # Jupyter
        from proofs_check.display import report_markdown

        return report_markdown([self])

    def to_dict(self) -> dict:
        """Plain JSON-ready dictionary, with ``status`` and ``supported_by``."""
        return {"claim": self.claim, "source": self.source, "statement": self.statement,
                "kind": self.kind, "status": self.status, "supported_by": self.supported_by,
                "seconds": self.seconds, "routes": [r.to_dict() for r in self.routes]}


class ReportList(list):
    """The reports of :func:`proofs_check.check` on a list of claims: a list that shows itself
    as one table (IPython's ``text/plain``, Jupyter's ``text/markdown``).

    Examples
    --------
    >>> from proofs_check.result import ClaimReport, ReportList, RouteResult
    >>> reports = ReportList([ClaimReport("demo", "conjecture", "x >= 0", "forall",
    ...                                   [RouteResult("demo", "sampled", "holds", points=3)])])
    >>> print(reports._repr_markdown_())
    | claim | status | routes | worst margin | time |
    |---|---|---|---|---|
    | `demo` | holds | sampled holds (3) |  | 0.0s |
    """

    def _repr_pretty_(self, p, cycle):
        from proofs_check.display import report_text

        p.text(report_text(list(self)) if self else "ReportList([])")

    def _repr_markdown_(self) -> str:
        from proofs_check.display import report_markdown

        return report_markdown(list(self))


@dataclass
class Comparison:
    """Simulation against theory at one point: what ``w2s simulate MODEL`` prints.

    Each row is a dict with ``quantity``, ``simulation`` (mean over repetitions),
    ``standard_error``, ``theory``, ``difference_in_se`` and ``agree``; a row compared
    conditionally on the realised values of another simulated quantity also has
    ``conditional: True`` (the text table marks it ``(cond.)``).

    Examples
    --------
    >>> from proofs_check.result import Comparison
    >>> c = Comparison("toy", [{"quantity": "q", "simulation": 1.0, "standard_error": 0.1,
    ...                         "theory": 1.0, "difference_in_se": 0.0, "agree": True}], {})
    >>> c.agree
    True
    """

    model: str
    rows: list
    parameters: dict
    note: str = ""

    @property
    def agree(self) -> bool:
        """Whether every row agrees."""
        return all(r["agree"] for r in self.rows)
