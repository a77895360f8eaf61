"""w2s-theory, deciding layer: state a claim, check it by several routes, report.

The names below are imported on first use (PEP 562), so that the ``w2s`` command line, which
lives in this package, starts without importing SymPy or Hypothesis.

Examples
--------
>>> from proofs_check import check
>>> check("ridge.hastie_ridgeless_risk", examples=10).status
'proved'
"""

import importlib

__all__ = ["Claim", "ClaimReport", "DEFAULT_ROUTES", "Proof", "ROUTES", "RouteResult", "check",
           "claim", "claim_ids", "claims", "register_route"]

_WHERE = {"check": "proofs_check.checking", "DEFAULT_ROUTES": "proofs_check.checking",
          "ClaimReport": "proofs_check.result", "RouteResult": "proofs_check.result",
          "ROUTES": "proofs_check.routes", "register_route": "proofs_check.routes",
          "Claim": "theory.claims", "Proof": "theory.claims", "claim": "theory.claims",
          "claim_ids": "theory.claims", "claims": "theory.claims"}


def __getattr__(name):
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'proofs_check' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
