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
import os
from fractions import Fraction
import re
from functools import lru_cache
from typing import Iterable, Mapping

import numpy as np
import sympy

from theory.marchenko_pastur import support_edges
from theory.symbols import parameters

__all__ = ["ParameterError", "parse_value", "check_params", "check_arrays", "describe_domain",
           "exact_text", "exact_rationals", "exact_scalar", "rational_spec"]


class ParameterError(ValueError):
    """A parameter is missing, unknown, not a number, or outside its domain."""


_UNSIGNED = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUMBER = rf"[+-]?{_UNSIGNED}"
_REAL = re.compile(rf"^(?P<num>{_NUMBER})(?:/(?P<den>{_NUMBER}))?$")
_COMPLEX = re.compile(rf"^(?:(?P<re>{_NUMBER})(?P<sign>[+-])(?P<im>{_UNSIGNED})?"
                      rf"|(?P<only>{_NUMBER}|[+-]?))[jJ]$")
_EXPONENT = re.compile(r"[eE]([+-]?\d+)")
_PLAIN_DECIMAL = re.compile(r"^[+-]?(\d+(?:\.\d*)?|\.\d+)$")

#: Largest decimal exponent a value may carry (``1e100000000`` would take minutes to expand);
#: raise it with the environment variable ``W2S_MAX_EXPONENT``.
MAX_EXPONENT = int(os.environ.get("W2S_MAX_EXPONENT", 4000))


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
    if isinstance(domain, sympy.Union):
        return " or ".join(describe_domain(a) for a in domain.args)
    return "complex numbers" if domain == sympy.S.Complexes else str(domain)


def _fraction(name: str, text: str) -> Fraction | None:
    """A decimal, scientific or ``p/q`` string as an exact fraction (``None`` if not one)."""
    match = _REAL.match(text)
    if not match:
        return None
    for exponent in _EXPONENT.findall(text):
        if abs(int(exponent)) > MAX_EXPONENT:
            raise ParameterError(
                f"{name}: the exponent of {text!r} is beyond +-{MAX_EXPONENT}, too costly to "
                f"expand exactly (raise the limit with W2S_MAX_EXPONENT)")
    value = Fraction(match["num"])
    if match["den"] is not None:
        den = Fraction(match["den"])
        if den == 0:
            raise ParameterError(f"{name} must be a finite number; got {text!r} (division by 0)")
        value /= den
    return value


def _rational(f: Fraction) -> sympy.Rational:
    return sympy.Rational(f.numerator, f.denominator)


def parse_value(name: str, raw) -> sympy.Expr:
    """Parse one value exactly into a SymPy number.

    Parameters
    ----------
    name : str
        Parameter name (for the message).
    raw : str, int, float, complex, fractions.Fraction, sympy or mpmath number
        The value. Strings are parsed as decimals (``0.1`` is exactly ``1/10``), fractions
        (``1/3``), scientific notation (``1e-8``) or complex numbers (``-1+0.5j``, ``1e-3j``);
        nothing else is accepted (``1 2``, ``1/0``, ``0x10`` are errors, never guesses).

    Returns
    -------
    sympy.Expr
        A ``Rational`` or an exact complex number.

    Raises
    ------
    ParameterError
        When the value is not a finite number, or its exponent is beyond :data:`MAX_EXPONENT`.

    Examples
    --------
    >>> from numerics.validation import parse_value
    >>> parse_value("lam", "0.1"), parse_value("lam", "1e-8"), parse_value("z", "-1+0.5j")
    (1/10, 1/100000000, -1 + I/2)
    >>> parse_value("z", "1e-3j"), parse_value("lam", "1/3")
    (I/1000, 1/3)
    >>> parse_value("lam", "nan")
    Traceback (most recent call last):
    ...
    numerics.validation.ParameterError: lam must be a finite number; got 'nan'
    >>> parse_value("lam", "1 2")
    Traceback (most recent call last):
    ...
    numerics.validation.ParameterError: lam must be a number (a decimal, p/q or a+bj); got '1 2'
    """
    if isinstance(raw, str):
        text = raw.strip()
        plain = _PLAIN_DECIMAL.match(text)
        if plain:  # the common case, read without Fraction's own parser
            whole, _, part = plain[1].partition(".")
            sign = -1 if text[0] == "-" else 1
            return sympy.Rational(sign * int(whole + part), 10 ** len(part))
        if text.lower().lstrip("+-") in {"nan", "inf", "infinity", "oo"}:
            raise ParameterError(f"{name} must be a finite number; got {raw!r}")
        real = _fraction(name, text)
        if real is not None:
            return _rational(real)
        match = _COMPLEX.match(text)
        if match and match["only"] is not None:
            only = match["only"]
            return _rational(_fraction(name, only + "1" if only in ("", "+", "-") else only)) * sympy.I
        if match:
            im = _rational(_fraction(name, match["im"] or "1"))
            return _rational(_fraction(name, match["re"])) + (1 if match["sign"] == "+" else -1) * im * sympy.I
        raise ParameterError(f"{name} must be a number (a decimal, p/q or a+bj); got {raw!r}")
    if isinstance(raw, bool):
        raise ParameterError(f"{name} must be a number; got {raw!r}")
    if isinstance(raw, complex):
        if not (math.isfinite(raw.real) and math.isfinite(raw.imag)):
            raise ParameterError(f"{name} must be a finite number; got {raw!r}")
        return sympy.Rational(raw.real) + sympy.Rational(raw.imag) * sympy.I
    if isinstance(raw, Fraction):
        return _rational(raw)
    if isinstance(raw, numbers.Integral):
        return sympy.Integer(int(raw))
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


def exact_text(value) -> str:
    """An exact value as text that :func:`parse_value` reads back to the same number.

    A value with a finite decimal expansion of at most 60 significant digits is written as a
    decimal, any other rational as ``p/q``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from numerics.validation import exact_text, parse_value
    >>> exact_text(Fraction(3, 10)), exact_text(Fraction(1, 3)), exact_text(0.1)
    ('0.3', '1/3', '0.1000000000000000055511151231257827021181583404541015625')
    >>> parse_value("x", exact_text(Fraction(1, 3)))
    1/3
    """
    f = Fraction(value)
    den, twos, fives = f.denominator, 0, 0
    while den % 2 == 0:
        den, twos = den // 2, twos + 1
    while den % 5 == 0:
        den, fives = den // 5, fives + 1
    if den == 1:
        places = max(twos, fives)
        digits = str(abs(f.numerator) * 10 ** places // f.denominator)
        if len(digits.lstrip("0")) <= 60:
            sign = "-" if f < 0 else ""
            if places == 0:
                return sign + digits
            digits = digits.rjust(places + 1, "0")
            return f"{sign}{digits[:-places]}.{digits[-places:]}"
    return f"{f.numerator}/{f.denominator}"


def _unknown_message(unknown: Iterable[str], expected: list[str]) -> str:
    return (f"unknown parameter{'s' if len(list(unknown)) > 1 else ''} "
            f"{', '.join(sorted(unknown))}; expected {', '.join(expected)}")


def _missing(ps) -> ParameterError:
    what = "; ".join(f"{p.name} ({p.description}, in {describe_domain(p.domain)})" for p in ps)
    return ParameterError(f"missing parameter{'s' if len(ps) > 1 else ''} {what}")


def _parse_in_domain(p, raw) -> sympy.Expr:
    """``parse_value`` with the domain in every message; checks the value lies in the domain.
    (The messages are built only when raising: this runs for every parameter of every call.)"""
    def where():
        return f"in {describe_domain(p.domain)} ({p.description})"

    try:
        value = parse_value(p.name, raw)
    except ParameterError as error:
        if "W2S_MAX_EXPONENT" in str(error):
            raise
        kind = "a finite number" if "finite" in str(error) else "a number"
        raise ParameterError(f"{p.name} must be {kind} {where()}; got {raw!r}") from None
    if not _complex_domain(p.domain) and not (value.is_Rational and _inside(value, p.domain)):
        raise ParameterError(f"{p.name} must be {where()}; got {raw}")
    return value


@lru_cache(maxsize=None)
def _complex_domain(domain: sympy.Set) -> bool:
    return domain == sympy.S.Complexes


def _declared(names) -> dict:
    """The declared parameters, including those of ``names``: a mechanism module declares its
    parameters when it is imported (on first use), so a caller that names them first (a
    simulator's comparison) loads them here."""
    declared = parameters()
    if any(n not in declared for n in names):
        from theory.catalogue import load

        load()
        declared = parameters()
    return declared


def check_params(values: Mapping[str, object], expected: list[str]) -> dict[str, sympy.Expr]:
    """Parse and check ``values`` against the parameters ``expected`` (in that order).

    Missing parameters with a default (``r2 = 1``, ``sigma2_s = 0``) take it; any other missing
    (all named in one message), unknown, non-finite or out-of-domain value raises
    :class:`ParameterError`, whose message states the allowed range.

    Examples
    --------
    >>> from numerics.validation import check_params
    >>> check_params({"lam": 1}, ["lam", "gamma"])
    Traceback (most recent call last):
    ...
    numerics.validation.ParameterError: missing parameter gamma (aspect ratio d/n, in (0, inf))
    >>> check_params({"lam": "nan", "gamma": 1}, ["lam", "gamma"])
    Traceback (most recent call last):
    ...
    numerics.validation.ParameterError: lam must be a finite number in [0, inf) (ridge regularisation); got 'nan'
    """
    declared = _declared(expected)
    unknown = set(values) - set(expected)
    if unknown:
        raise ParameterError(_unknown_message(unknown, expected))
    missing = [declared[n] for n in expected if n not in values and declared[n].default is None]
    if missing:
        raise _missing(missing)
    out: dict[str, sympy.Expr] = {}
    for name in expected:
        p = declared[name]
        out[name] = _parse_in_domain(p, values[name]) if name in values else p.default
    _check_off_support(out)
    return out


@lru_cache(maxsize=None)
def _intervals(domain: sympy.Set) -> tuple:
    """``(lo, hi, left_open, right_open)`` of each interval of a domain; a finite end as a pair
    ``(p, q)`` of integers (``q > 0``), an infinite one as ``None``."""
    parts = domain.args if isinstance(domain, sympy.Union) else (domain,)

    def end(x):
        return None if x.is_infinite else (int(x.p), int(x.q))

    return tuple((end(d.start), end(d.end), bool(d.left_open), bool(d.right_open))
                 for d in parts)


def _inside(value: sympy.Rational, domain: sympy.Set) -> bool:
    """Exact membership of a rational in an interval or a union of intervals (SymPy's
    ``contains`` is slow), by comparing integer cross products."""
    return _in_intervals(int(value.p), int(value.q), _intervals(domain))


def rational_spec(expected) -> tuple:
    """What :func:`exact_rationals` needs of the parameters ``expected`` (parameter objects, in
    order), found once: each one's name, default as a ``(p, q)`` pair (or ``None``) and
    interval ends (:func:`_intervals`; ``None`` for a complex domain).

    Examples
    --------
    >>> from numerics.validation import rational_spec
    >>> from theory.symbols import parameters
    >>> rational_spec([parameters()["r2"]])
    (('r2', (1, 1), (((0, 1), None, True, True),)),)
    """
    spec = []
    for p in expected:
        default = p.default
        pq = (int(default.p), int(default.q)) if default is not None and default.is_Rational \
            else None
        try:
            intervals = None if _complex_domain(p.domain) else _intervals(p.domain)
        except (AttributeError, TypeError):  # not intervals: every value through check_params
            intervals = ()
        spec.append((p.name, pq, intervals))
    return tuple(spec)


def exact_rationals(values: Mapping[str, object], spec: tuple) -> list | None:
    """The values of the parameters of ``spec`` (:func:`rational_spec`) as exact ``(p, q)``
    integer pairs (``q > 0``, in lowest terms), checked against their domains; ``None`` when
    any value needs the full :func:`check_params` (a value that is not a plain decimal string,
    an ``int`` or a ``Fraction``, one outside its domain, a missing or an unknown name: its
    message is built there).

    The fast path of :func:`numerics.evaluate`: the same exact numbers as :func:`check_params`
    (``"0.30"`` is ``3/10``), without building SymPy numbers.

    Examples
    --------
    >>> from numerics.validation import exact_rationals, rational_spec
    >>> from theory.symbols import parameters
    >>> spec = rational_spec([parameters()["lam"], parameters()["gamma"]])
    >>> exact_rationals({"lam": "0.250", "gamma": 2}, spec)
    [(1, 4), (2, 1)]
    >>> exact_rationals({"lam": "-1", "gamma": 2}, spec) is None  # check_params says why
    True
    """
    out, found = [], 0
    for name, default, intervals in spec:
        raw = values.get(name, _MISSING)
        if raw is _MISSING:
            if default is None:
                return None
            out.append(default)
            continue
        found += 1
        kind = type(raw)
        if kind is str:
            text = raw.strip()
            plain = _PLAIN_DECIMAL.match(text)
            if plain is None:
                return None
            whole, _, part = plain[1].partition(".")
            num, den = int(whole + part), 10 ** len(part)
            if text[0] == "-":
                num = -num
            if den > 1:
                common = math.gcd(num, den)
                if common > 1:
                    num, den = num // common, den // common
        elif kind is int:
            num, den = raw, 1
        elif kind is Fraction:
            num, den = raw.numerator, raw.denominator
        else:
            return None
        if intervals is not None and not _in_intervals(num, den, intervals):
            return None
        out.append((num, den))
    return out if found == len(values) else None  # else an unknown name


_MISSING = object()


def exact_scalar(value):
    """A NumPy (or Python) real scalar as the exact number it holds, a ``Fraction`` (a float64
    is a binary fraction), which :func:`exact_rationals` reads without building a SymPy number;
    anything else (a complex, a NaN, a string) as it is.

    Examples
    --------
    >>> import numpy as np
    >>> from numerics.validation import exact_scalar
    >>> exact_scalar(np.float64(0.5)), exact_scalar(np.int64(3)), exact_scalar("0.1")
    (Fraction(1, 2), Fraction(3, 1), '0.1')
    >>> exact_scalar(np.float64(0.1)) == Fraction(1, 10)     # the float64 nearest 1/10
    False
    """
    if isinstance(value, (np.floating, float)) and math.isfinite(value):
        return Fraction(float(value))
    if isinstance(value, (np.integer, int)) and not isinstance(value, (bool, np.bool_)):
        return Fraction(int(value))
    return value


def _in_intervals(p: int, q: int, intervals: tuple) -> bool:
    """Whether ``p/q`` (``q > 0``) lies in one of ``intervals`` (:func:`_intervals`), by
    comparing integer cross products."""
    for lo, hi, left_open, right_open in intervals:
        if lo is not None:
            a, b = p * lo[1], lo[0] * q
            if a < b or (a == b and left_open):
                continue
        if hi is not None:
            a, b = p * hi[1], hi[0] * q
            if a > b or (a == b and right_open):
                continue
        return True
    return False


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


def _inside_at_once(a: np.ndarray, domain: sympy.Set) -> bool:
    """True when every element of the real array ``a`` is finite and in ``domain``, decided by
    its minimum and maximum (a NaN makes both NaN); False means: look element by element.

    On the whole real line one reduction decides it: a sum of finite numbers is finite unless
    it overflows (and then the elements are looked at), one with an inf or a NaN is not."""
    whole_line, parts, nonzero = _domain_plan(domain)
    if whole_line:
        with np.errstate(over="ignore", invalid="ignore"):
            return bool(np.isfinite(np.add.reduce(a, axis=None)))
    low, high = a.min(), a.max()
    if not (np.isfinite(low) and np.isfinite(high)):
        return False
    for lo, hi, left_open, right_open in parts:
        if ((low > lo) if left_open else (low >= lo)) and (
                (high < hi) if right_open else (high <= hi)):
            return True
    if nonzero:
        return not (a == 0).any()
    return False


@lru_cache(maxsize=256)
def _domain_plan(domain: sympy.Set):
    """``(whole real line, intervals as float (lo, hi, left open, right open), nonzero)`` of a
    domain, read once (SymPy's comparisons cost more than a reduction of a small array)."""
    parts = domain.args if isinstance(domain, sympy.Union) else (domain,)
    intervals = []
    for part in parts:
        if not isinstance(part, sympy.Interval):
            intervals = []
            break
        intervals.append((float(part.start), float(part.end), bool(part.left_open),
                          bool(part.right_open)))
    return domain == sympy.S.Reals, tuple(intervals), domain == _NONZERO


_NONZERO = sympy.Union(sympy.Interval.open(-sympy.oo, 0), sympy.Interval.open(0, sympy.oo))


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
    declared = _declared(expected)
    unknown = set(arrays) - set(expected)
    if unknown:
        raise ParameterError(_unknown_message(unknown, expected))
    missing = [declared[n] for n in expected if n not in arrays and declared[n].default is None]
    if missing:
        raise _missing(missing)
    out = {}
    for name in expected:
        p = declared[name]
        if name not in arrays:
            out[name] = float(p.default)
            continue
        a = np.asarray(arrays[name])
        if a.dtype.kind not in "biufc":
            raise ParameterError(f"{name} must be numeric; got dtype {a.dtype}")
        complex_ok = _complex_domain(p.domain)
        if a.dtype.kind == "c" and not complex_ok:
            imaginary = np.flatnonzero(a.ravel().imag != 0)
            if imaginary.size:  # astype would drop the imaginary part silently
                bad = imaginary[0]
                raise ParameterError(f"{name} must be real ({p.description}); got "
                                     f"{a.ravel()[bad]} at index {bad}")
            a = a.real  # every imaginary part is 0
        a = a.astype(np.complex128 if (complex_ok and a.dtype.kind == "c") else np.float64,
                     copy=False)
        if not complex_ok and a.size and _inside_at_once(a, p.domain):
            out[name] = a  # two reductions, no temporary arrays (the usual case)
            continue
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
    _check_off_support_arrays(out)
    return out


def _check_off_support_arrays(values: dict) -> None:
    """The array analogue of :func:`_check_off_support`, exact at the float values.

    Real ``z`` lies on ``[a, b]`` iff
    ``(z - a)(z - b) = z^2 - 2 (1 + gamma) z + (1 - gamma)^2 <= 0``.
    The float edges (``a = ((gamma - 1)/(1 + sqrt(gamma)))^2``, accurate near ``gamma = 1``) flag
    the candidates, each then decided exactly (floats are binary rationals).
    """
    if "z" not in values or "gamma" not in values:
        return
    z, g = np.broadcast_arrays(values["z"], values["gamma"])
    x = np.real(z)
    root = 1.0 + np.sqrt(g)
    a, b = ((g - 1.0) / root) ** 2, root**2
    candidates = (np.imag(z) == 0) & (((x >= a * (1 - 1e-12)) & (x <= b * (1 + 1e-12))) | (x == 0))
    for index in np.flatnonzero(candidates.ravel()):
        zi, gi = Fraction(float(x.ravel()[index])), Fraction(float(g.ravel()[index]))
        if zi * zi - 2 * (1 + gi) * zi + (1 - gi) ** 2 <= 0 or (zi == 0 and gi > 1):
            a, b = support_edges(sympy.Rational(gi.numerator, gi.denominator))
            raise ParameterError(f"z must lie off the support [{sympy.N(a, 6)}, {sympy.N(b, 6)}] "
                                 f"of the Marchenko-Pastur law (and off 0 when gamma > 1); "
                                 f"got {z.ravel()[index]} at index {index}")
