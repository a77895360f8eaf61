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
from theory import single_index, spectral  # noqa: F401
from theory import activations, multi_index  # noqa: F401
from theory.derivation import Derivation
from theory.registry import Quantity, UnknownNameError, get, names, quantity
from theory.symbols import symbol

#: ``theory.S("lam_t")``: the project's symbol (with its assumptions); see :mod:`theory.symbols`.
S = symbol

__all__ = ["Derivation", "Quantity", "UnknownNameError", "get", "names", "quantity", "symbols",
           "symbol", "S",
           "hermite", "marchenko_pastur", "ridge", "weighted_ridge", "spectral", "single_index"]
