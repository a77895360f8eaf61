"""w2s-theory, numerical layer: exact parsing, validation, mpmath and float64 evaluation.

Examples
--------
>>> import numerics
>>> numerics.evaluate("mp.kappa", lam=1, gamma=1, dps=20)
mpf('1.6180339887498948482')
"""

from numerics.evaluate import MAX_DPS, evaluate, vectorize
from numerics.validation import ParameterError, check_params, parse_value

__all__ = ["MAX_DPS", "ParameterError", "check_params", "evaluate", "parse_value", "vectorize"]
