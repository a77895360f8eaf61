"""w2s-theory, symbolic layer: parameters, primitives, quantities and derivations (SymPy only).

Examples
--------
>>> import theory
>>> theory.quantity("mp.shrinkage_v")
lam**2*m'(-lam, gamma)
>>> "ridge.student_risk" in theory.names()
True
"""

#: The package version (the one source of it: pyproject.toml reads it from here).
__version__ = "0.1.0"

from theory import marchenko_pastur, symbols  # noqa: F401  (the primitives and parameters)
from theory.derivation import Derivation
from theory.errors import UnknownNameError
from theory.registry import Quantity, get, names, quantity
from theory.symbols import symbol

#: ``theory.S("lam_t")``: the project's symbol (with its assumptions); see :mod:`theory.symbols`.
S = symbol



def __getattr__(name):
    """``theory.ridge`` and the other submodules, imported when first used (so that evaluating
    one quantity does not build the others' claims)."""
    import importlib.util

    if not name.startswith("_") and importlib.util.find_spec(f"theory.{name}") is not None:
        return importlib.import_module(f"theory.{name}")
    raise AttributeError(f"module 'theory' has no attribute {name!r}")


__all__ = ["Derivation", "Quantity", "UnknownNameError", "get", "names", "quantity", "symbols",
           "symbol", "S", "catalogue", "claims",
           "hermite", "marchenko_pastur", "ridge", "weighted_ridge", "activations", "multi_index",
           "spectral", "single_index"]
