"""One place that parses and checks parameter values.

Values are parsed exactly: a string such as ``"0.3"`` becomes the rational ``3/10`` (never a
Python float), a float is taken at its exact binary value, a complex string such as
``"-1+0.5j"`` becomes an exact complex number. A bad value raises :class:`ParameterError`, whose
message names the parameter and its allowed range.

Examples
--------
>>> from numerics.validation import check_params
>>> check_params({"lam_t": "0.05", "gamma_t": "1/2", "sigma2": 1}, ["lam_t", "gamma_t", "sigma2", "r2"])
{'lam_t': 1/20, 'gamma_t': 1/2, 'sigma2': 1, 'r2': 1}
>>> check_params({"gamma_t": -1}, ["gamma_t"])
Traceback (most recent call last):
...
numerics.validation.ParameterError: gamma_t must be in (0, inf) (teacher aspect ratio d/n_t); got -1
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
import re
from typing import Iterable, Mapping

import numpy as np
import sympy

from theory.marchenko_pastur import support_edges
from theory.symbols import parameters

__all__ = ["ParameterError", "parse_value", "check_params", "check_arrays", "describe_domain"]


class ParameterError(ValueError):
    """A parameter is missing, unknown, not a number, or outside its domain."""


_COMPLEX = re.compile(r"^\s*([+-]?[^+-]+(?:[eE][+-]?\d+)?)\s*([+-])\s*([^+-]*(?:[eE][+-]?\d+)?)[jJ]\s*$")


def describe_domain(domain: sympy.Set) -> str:
    """Human form of a domain: ``[0, inf)``, ``(0, inf)``, ``complex``.

    Examples
    --------
    >>> from sympy import Interval, oo
    >>> from numerics.validation import describe_domain
    >>> describe_domain(Interval.Ropen(0, oo)), describe_domain(Interval(-1, 1))
    ('[0, inf)', '[-1, 1]')
    """
    if isinstance(domain, sympy.Interval):
        lo = "-inf" if domain.start == -sympy.oo else str(domain.start)
        hi = "inf" if domain.end == sympy.oo else str(domain.end)
        return f"{'(' if domain.left_open else '['}{lo}, {hi}{')' if domain.right_open else ']'}"
    if isinstance(domain, sympy.Union):  # e.g. a non-zero real: (-inf, 0) or (0, inf)
        return " or ".join(describe_domain(part) for part in domain.args)
    return "complex numbers" if domain == sympy.S.Complexes else str(domain)


def _real(name: str, text: str) -> sympy.Rational:
    try:
        return sympy.Rational(text.strip())
    except (TypeError, ValueError, SyntaxError):
        raise ParameterError(f"{name} must be a number; got {text!r}") from None


def parse_value(name: str, raw) -> sympy.Expr:
    """Parse one value exactly into a SymPy number.

    Parameters
    ----------
    name : str
        Parameter name (for the message).
    raw : str, int, float, complex, fractions.Fraction, sympy or mpmath number
        The value. Strings are parsed as decimals, fractions (``1/3``), scientific notation
        (``1e-8``) or complex (``-1+0.5j``).

    Returns
    -------
    sympy.Expr
        A ``Rational`` or an exact complex number.

    Raises
    ------
    ParameterError
        When the value is not a finite number.

    Examples
    --------
    >>> from numerics.validation import parse_value
    >>> parse_value("lam", "0.1"), parse_value("lam", "1e-8"), parse_value("z", "-1+0.5j")
    (1/10, 1/100000000, -1 + I/2)
    >>> parse_value("lam", "nan")
    Traceback (most recent call last):
    ...
    numerics.validation.ParameterError: lam must be a finite number; got 'nan'
    """
    if isinstance(raw, str):
        text = raw.strip()
        if text.lower().lstrip("+-") in {"nan", "inf", "infinity", "oo"}:
            raise ParameterError(f"{name} must be a finite number; got {raw!r}")
        match = _COMPLEX.match(text) if text.lower().endswith("j") else None
        if match:
            re_part, sign, im_part = match.groups()
            im = _real(name, im_part or "1")
            return _real(name, re_part) + (1 if sign == "+" else -1) * im * sympy.I
        if text.lower().endswith("j"):
            return _real(name, text[:-1] or "1") * sympy.I
        return _real(name, text)
    if isinstance(raw, bool):
        raise ParameterError(f"{name} must be a number; got {raw!r}")
    if isinstance(raw, complex):
        if not (math.isfinite(raw.real) and math.isfinite(raw.imag)):
            raise ParameterError(f"{name} must be a finite number; got {raw!r}")
        return sympy.Rational(raw.real) + sympy.Rational(raw.imag) * sympy.I
    if isinstance(raw, numbers.Real) or hasattr(raw, "_mpf_"):
        value = sympy.sympify(raw)
        if not value.is_finite:
            raise ParameterError(f"{name} must be a finite number; got {raw!r}")
        return sympy.Rational(value) if value.is_Float else value
    if hasattr(raw, "_mpc_"):
        return parse_value(name, complex(raw))
    if isinstance(raw, sympy.Expr) and raw.is_number:
        if not raw.is_finite:
            raise ParameterError(f"{name} must be a finite number; got {raw}")
        return raw
    raise ParameterError(f"{name} must be a number; got {raw!r}")


def _unknown_message(unknown: Iterable[str], expected: list[str]) -> str:
    return (f"unknown parameter{'s' if len(list(unknown)) > 1 else ''} "
            f"{', '.join(sorted(unknown))}; expected {', '.join(expected)}")


def _missing(p) -> ParameterError:
    return ParameterError(f"missing parameter {p.name} ({p.description}, "
                          f"in {describe_domain(p.domain)})")


def check_params(values: Mapping[str, object], expected: list[str]) -> dict[str, sympy.Expr]:
    """Parse and check ``values`` against the parameters ``expected`` (in that order).

    Missing parameters with a default (``r2 = 1``, ``sigma2_s = 0``) take it; any other missing,
    unknown, non-finite or out-of-domain value raises :class:`ParameterError`.

    Examples
    --------
    >>> from numerics.validation import check_params
    >>> check_params({"lam": 1}, ["lam", "gamma"])
    Traceback (most recent call last):
    ...
    numerics.validation.ParameterError: missing parameter gamma (aspect ratio d/n, in (0, inf))
    """
    declared = parameters()
    unknown = set(values) - set(expected)
    if unknown:
        raise ParameterError(_unknown_message(unknown, expected))
    out: dict[str, sympy.Expr] = {}
    for name in expected:
        p = declared[name]
        if name not in values:
            if p.default is None:
                raise _missing(p)
            out[name] = p.default
            continue
        value = parse_value(name, values[name])
        if p.domain != sympy.S.Complexes and not (value.is_real and _inside(value, p.domain)):
            raise ParameterError(f"{name} must be in {describe_domain(p.domain)} "
                                 f"({p.description}); got {values[name]}")
        out[name] = value
    _check_off_support(out)
    return out


def _bound(x):
    return float(x) if x.is_infinite else Fraction(int(x.p), int(x.q))


def _inside(value: sympy.Rational, domain: sympy.Interval) -> bool:
    """Exact membership of a rational in an interval or a union of intervals (SymPy's
    ``contains`` is slow)."""
    if isinstance(domain, sympy.Union):
        return any(_inside(value, part) for part in domain.args)
    v = Fraction(int(value.p), int(value.q))
    lo, hi = _bound(domain.start), _bound(domain.end)
    above = v > lo if domain.left_open else v >= lo
    below = v < hi if domain.right_open else v <= hi
    return above and below


def _check_off_support(values: dict) -> None:
    """``z`` must lie off the support of the MP law of ratio ``gamma``."""
    if "z" not in values or "gamma" not in values:
        return
    z, g = values["z"], values["gamma"]
    if z.is_real:
        a, b = support_edges(g)
        if (a <= z <= b) or (z == 0 and g > 1):
            raise ParameterError(f"z must lie off the support [{sympy.N(a, 6)}, {sympy.N(b, 6)}] "
                                 f"of the Marchenko-Pastur law (and off 0 when gamma > 1); "
                                 f"got {z}")


def _outside_array(a: np.ndarray, domain: sympy.Set) -> np.ndarray:
    if isinstance(domain, sympy.Union):
        return np.logical_and.reduce([_outside_array(a, part) for part in domain.args])
    lo, hi = float(domain.start), float(domain.end)
    below = (a <= lo) if domain.left_open else (a < lo)
    above = (a >= hi) if domain.right_open else (a > hi)
    return below | above


def check_arrays(arrays: Mapping[str, object], expected: list[str]) -> dict[str, np.ndarray]:
    """The array version of :func:`check_params`, for the float64 evaluator.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.validation import check_arrays
    >>> check_arrays({"lam": np.array([0.1, np.nan]), "gamma": 1.0}, ["lam", "gamma"])
    Traceback (most recent call last):
    ...
    numerics.validation.ParameterError: lam must be finite; got nan at index 1
    """
    declared = parameters()
    unknown = set(arrays) - set(expected)
    if unknown:
        raise ParameterError(_unknown_message(unknown, expected))
    out = {}
    for name in expected:
        p = declared[name]
        if name not in arrays:
            if p.default is None:
                raise _missing(p)
            out[name] = float(p.default)
            continue
        a = np.asarray(arrays[name])
        if a.dtype.kind not in "biufc":
            raise ParameterError(f"{name} must be numeric; got dtype {a.dtype}")
        complex_ok = p.domain == sympy.S.Complexes
        a = a.astype(np.complex128 if (complex_ok and a.dtype.kind == "c") else np.float64,
                     copy=False)
        finite = np.isfinite(a)
        if not finite.all():
            bad = np.flatnonzero(~finite.ravel())[0]
            raise ParameterError(f"{name} must be finite; got {a.ravel()[bad]} at index {bad}")
        if not complex_ok:
            outside = _outside_array(a, p.domain)
            if outside.any():
                bad = np.flatnonzero(outside.ravel())[0]
                raise ParameterError(f"{name} must be in {describe_domain(p.domain)} "
                                     f"({p.description}); got {a.ravel()[bad]} at index {bad}")
        out[name] = a
    return out
