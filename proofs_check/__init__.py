"""w2s-theory, deciding layer: state a claim, check it by several routes, report.

Examples
--------
>>> from proofs_check import check
>>> check("ridge.hastie_ridgeless_risk", examples=10).status
'proved'
"""

from proofs_check import certified, montecarlo  # noqa: F401  (register their routes)
from proofs_check.check import DEFAULT_ROUTES, check
from proofs_check.result import ClaimReport, RouteResult
from proofs_check.routes import ROUTES, register_route
from theory.claims import Claim, Proof, claim, claim_ids, claims

__all__ = ["Claim", "ClaimReport", "DEFAULT_ROUTES", "Proof", "ROUTES", "RouteResult", "check",
           "claim", "claim_ids", "claims", "register_route"]
