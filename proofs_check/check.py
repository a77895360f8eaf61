"""``check(claim)``: run the routes on a claim and collect a :class:`ClaimReport`.

Examples
--------
>>> from proofs_check import check
>>> report = check("ridge.min_norm_student", examples=10)
>>> report.status, [r.route for r in report.routes]
('proved', ['symbolic', 'sampled'])
"""

from __future__ import annotations

from typing import Iterable, Union

from proofs_check.result import ClaimReport
from proofs_check.routes import ROUTES
from theory.claims import Claim, claim as registered

__all__ = ["check", "DEFAULT_ROUTES"]

#: Routes run when none are asked for.
DEFAULT_ROUTES = ("symbolic", "sampled")


def check(claim: Union[Claim, str], routes: Iterable[str] = DEFAULT_ROUTES, examples: int = 100,
          seed: int = 0, dps: int = 30, level: int = 1) -> ClaimReport:
    """Check a claim (a :class:`~theory.claims.Claim` or a registered id) by several routes.

    Parameters
    ----------
    claim : Claim or str
    routes : iterable of str
        Route names (see :data:`proofs_check.routes.ROUTES`).
    examples : int
        Hypothesis examples for the sampled route.
    seed : int
        Seed: the same seed gives the same points and the same report.
    dps : int
        mpmath precision of the sampled route.
    level : int
        Monte Carlo level (see :mod:`proofs_check.montecarlo`), when that route is asked for.

    Returns
    -------
    ClaimReport

    Examples
    --------
    >>> from sympy import Interval
    >>> from proofs_check import Claim, check
    >>> from theory import quantity
    >>> report = check(Claim(quantity("mp.shrinkage_u") <= 0.5), examples=50)
    >>> report.status, report.route("sampled").counterexample   # exact values, as text
    ('refuted', {'lam': '0', 'gamma': '1000'})
    """
    c = registered(claim) if isinstance(claim, str) else claim
    report = ClaimReport(c.id, c.source, c.statement, c.kind)
    for name in routes:
        if name not in ROUTES:
            raise ValueError(f"unknown route {name!r}; known: {', '.join(ROUTES)}")
        report.routes.append(ROUTES[name](c, examples=examples, seed=seed, dps=dps, level=level))
    return report
