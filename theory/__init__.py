"""w2s-theory, symbolic layer: parameters, primitives, quantities and derivations (SymPy only).

Examples
--------
>>> import theory
>>> theory.quantity("mp.shrinkage_v")
lam**2*m'(-lam, gamma)
>>> "ridge.student_risk" in theory.names()
True
"""

from theory import hermite, marchenko_pastur, ridge, symbols, weighted_ridge  # noqa: F401
from theory import activations, multi_index  # noqa: F401
from theory.derivation import Derivation
from theory.registry import Quantity, UnknownNameError, get, names, quantity

__all__ = ["Derivation", "Quantity", "UnknownNameError", "get", "names", "quantity", "symbols",
           "hermite", "marchenko_pastur", "ridge", "weighted_ridge"]
