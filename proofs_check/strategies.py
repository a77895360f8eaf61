"""Hypothesis strategies generated from a claim's region and assumptions: exact points.

Parameters are drawn, never matrices, and every point is *exact*: a value is a
:class:`fractions.Fraction` (a drawn float becomes the shortest decimal that round-trips to it,
so ``0.1`` is exactly ``1/10``), so the routes evaluate, check assumptions and report
counterexamples at exactly the point that was drawn. Scale parameters (a range spanning two decades
or more, or starting at 0) are drawn log-uniformly; every range also yields its extremes (an open
end is approached within a relative ``1e-9``). An assumption ``p >= bound(others)`` (or ``>``,
``<``, ``<=``) is met by construction: the others are drawn first, the bound is computed from
them exactly (a rational function of rationals) or, when it is irrational, at 60 digits and then
moved inside by a relative ``1e-40``, and ``p`` is drawn in the part of its range on the allowed
side (often within a factor 2 of the bound, where theorems are sharp; exactly *on* the bound of
a non-strict assumption too). So no example is rejected and no point lies outside an assumption
by rounding.

A point is decoded from raw bytes (5 per parameter), which Hypothesis does not bias toward
constants found in the loaded modules (it does so for floats and integers), so the points of a
seed depend on the Hypothesis version only, not on what else is imported.

Examples
--------
>>> from hypothesis import find
>>> from theory.claims import claim
>>> from proofs_check.strategies import points
>>> p = find(points(claim("ridge.over_regularised_teacher_never_beaten")), lambda p: True)
>>> sorted(p)
['gamma_s', 'gamma_t', 'lam_s', 'lam_t', 'r2', 'sigma2']
>>> p["lam_t"] >= p["sigma2"] * p["gamma_t"] / p["r2"]    # exactly, in rationals
True
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import sympy
from hypothesis import strategies as st
from sympy.printing.pycode import PythonCodePrinter

from numerics.evaluate import Compiled
from theory.claims import Claim

__all__ = ["points", "interval_values", "exact", "OPEN_END", "Bound"]

#: Relative distance at which an open end of a range is approached.
OPEN_END = Fraction(1, 10**9)
#: Relative distance by which an irrational assumption bound is moved to the allowed side.
INSIDE = Fraction(1, 10**40)


#: 10**k for the digits after the point of a float's shortest decimal without exponent (17
#: significant digits and up to 4 zeros after the point: at most 21).
_POWERS_OF_TEN = tuple(10**k for k in range(30))


def exact(x) -> Fraction:
    """A drawn float as the shortest decimal that reads back as the same float, exactly.

    Examples
    --------
    >>> from proofs_check.strategies import exact
    >>> exact(0.1), exact(2.5e-12)
    (Fraction(1, 10), Fraction(1, 400000000000))
    """
    text = repr(x if type(x) is float else float(x))  # shortest round trip: '1.5e-05', '0.1'
    if "e" not in text:                        # the common case, in one Fraction
        whole, _, decimals = text.partition(".")
        return Fraction(int(whole + decimals), _POWERS_OF_TEN[len(decimals)])
    mantissa, _, exponent = text.partition("e")
    whole, _, decimals = mantissa.partition(".")
    digits, shift = int(whole + decimals), (int(exponent) if exponent else 0) - len(decimals)
    return Fraction(digits * 10**shift) if shift >= 0 else Fraction(digits, 10**-shift)


def _fraction(value) -> Fraction:
    if isinstance(value, (float, sympy.Float)):
        return exact(value)  # a range written with floats: 0.01 means 1/100
    value = sympy.Rational(value)
    return Fraction(int(value.p), int(value.q))


def _ends(interval: sympy.Interval) -> tuple[Fraction, Fraction]:
    lo, hi = _fraction(interval.start), _fraction(interval.end)
    if interval.left_open:
        lo = lo + OPEN_END * max(abs(lo), 1) if lo != 0 else OPEN_END * max(hi, 1) / 1000
    if interval.right_open:
        hi = hi - OPEN_END * max(abs(hi), 1)
    return lo, hi


def interval_values(interval: sympy.Interval) -> st.SearchStrategy[Fraction]:
    """Exact values in ``interval``: its extremes, and log-uniform or uniform values inside.

    Examples
    --------
    >>> from hypothesis import find
    >>> from sympy import Interval
    >>> from proofs_check.strategies import interval_values
    >>> find(interval_values(Interval(0, 10**3)), lambda v: v > 500) > 500
    True
    """
    return _values(*_ends(interval))


#: Per parameter 5 bytes: the first choosing the kind of value (an end of the range with
#: probability 1/2, else a value inside; for a parameter bounded by an assumption: the bound 1/8,
#: the other end 1/8, within a factor 2 of the bound 1/2, inside 1/4), the other four the
#: position ``t in [0, 1)`` in steps of ``2^-32`` (Hypothesis draws bytes one at a time, so
#: fewer bytes a point make it cheaper).
#: Bytes are not biased toward constants of the loaded modules (Hypothesis biases floats and
#: integers toward them), so the points of a seed do not depend on which modules are imported.
#: They shrink toward zero bytes: the low end of each range.


PARAMETER_BYTES = 5
_STEPS = 2 ** (8 * (PARAMETER_BYTES - 1))


def _decode(b: bytes) -> tuple[int, Fraction]:
    return b[0], Fraction(int.from_bytes(b[1:], "big"), _STEPS)


class _Range:
    """``[lo, hi]`` with the constants of :meth:`inside` computed once (a point is decoded in
    microseconds: the sampled route decodes one per evaluation)."""

    def __init__(self, lo: Fraction, hi: Fraction):
        self.lo, self.hi, self.single = lo, hi, hi <= lo
        # a scale range (lo >= 0, two decades or more) is log-uniform; a range with negative
        # values is uniform (a log scale from 1e-8 hi would never draw a negative interior value)
        floor = lo if lo > 0 else hi / 10**8
        ratio = hi / floor if hi > lo >= 0 else None
        self.log = ratio is not None and ratio >= 100
        if self.log:
            self.floor, self.ratio = float(floor), float(ratio)
            # floats inside these are inside [lo, hi] exactly (no Fraction comparison needed)
            self.clear = (float(lo) * (1 + 1e-12), float(hi) * (1 - 1e-12))
        else:
            width = hi - lo
            self._den = lo.denominator * width.denominator * _STEPS
            self._lo_num = lo.numerator * width.denominator * _STEPS
            self._width_num = width.numerator * lo.denominator

    def inside(self, t: int) -> Fraction:
        """The point at position ``t / 2^32`` in ``[lo, hi]``: log-uniform for a scale range,
        else uniform; ``t = 0`` (where shrinking goes) is the low end."""
        if self.log:
            x = self.floor * self.ratio ** (t / _STEPS)
            value = exact(x)
            if self.clear[0] < x < self.clear[1]:
                return value
            return self.lo if value < self.lo else self.hi if value > self.hi else value
        # lo + (hi - lo) t / 2^32 as one fraction (a third of the cost of three operations)
        return Fraction(self._lo_num + self._width_num * t, self._den)

    def value(self, b: bytes) -> Fraction:
        mode = b[0]
        if self.single or mode < 32:
            return self.lo
        return self.hi if mode < 64 else self.inside(int.from_bytes(b[1:], "big"))


def _values(lo: Fraction, hi: Fraction) -> st.SearchStrategy[Fraction]:
    return st.binary(min_size=PARAMETER_BYTES, max_size=PARAMETER_BYTES).map(_Range(lo, hi).value)


class Bound:
    """The bound of an assumption ``p REL bound(others)``, computed exactly when it can be.

    ``side(point)`` is the bound as an exact rational on the allowed side: the bound itself
    when it is a rational function of the other parameters (exact rational arithmetic), else its
    60-digit value moved inside by a relative :data:`INSIDE` (so that the point still satisfies
    the assumption exactly). ``holds(point)`` checks the assumption at an exact point.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from theory.claims import claim
    >>> from proofs_check.strategies import Bound
    >>> b = Bound(claim("ridge.over_regularised_teacher_never_beaten").assumptions[0])
    >>> point = {"sigma2": Fraction(1, 3), "gamma_t": Fraction(1, 2), "r2": Fraction(1)}
    >>> b.side(point)
    Fraction(1, 6)
    >>> b.holds({**point, "lam_t": Fraction(1, 6)}), b.holds({**point, "lam_t": Fraction(1, 7)})
    (True, False)
    """

    def __init__(self, relation):
        self.relation = relation
        self.name = relation.lhs.name
        self.above = isinstance(relation, (sympy.GreaterThan, sympy.StrictGreaterThan))
        self.strict = isinstance(relation, (sympy.StrictGreaterThan, sympy.StrictLessThan))
        rhs = relation.rhs
        self.rational = not rhs.atoms(sympy.Function) and all(
            p.exp.is_Integer for p in rhs.atoms(sympy.Pow))
        self._symbols = sorted(rhs.free_symbols, key=lambda x: x.name)
        # the arguments' names and their defaults, found once (a bound is computed per point)
        self._names = tuple(s.name for s in self._symbols)
        self._defaults = {s.name: _fraction(d) for s, d in
                          ((s, _default(s)) for s in self._symbols) if d is not None}
        if self.rational:
            self._exact = _exact_function(rhs, tuple(self._symbols))
        else:
            self._numeric = Compiled(rhs)

    def value(self, point) -> Fraction:
        """The exact bound (rational bounds only)."""
        defaults = self._defaults
        args = [point[n] if n in point else defaults[n] for n in self._names]
        value = self._exact(*args)
        return value if type(value) is Fraction else Fraction(value)

    def side(self, point) -> Fraction:
        if self.rational:
            return self.value(point)
        exact_b = _mpf_fraction(self._numeric(point, dps=60))
        shift = abs(exact_b) * INSIDE + Fraction(1, 10**300)
        return exact_b + shift if self.above else exact_b - shift

    def holds(self, point) -> bool:
        """Whether the assumption holds exactly at ``point`` (irrational bounds: beyond 60-digit
        rounding)."""
        v = point[self.name]
        if self.rational:
            b = self.value(point)
        else:
            b = _mpf_fraction(self._numeric(point, dps=60))
            slack = abs(b) * INSIDE / 2
            b = b + slack if self.above else b - slack
        if self.above:
            return v > b if self.strict else v >= b
        return v < b if self.strict else v <= b


@lru_cache(maxsize=256)
def _exact_function(expr, symbols):
    """``expr`` as a function on Fractions (constants printed as Fractions too): exact."""
    return sympy.lambdify(symbols, expr, modules=[{"Fraction": Fraction}],
                          printer=_FractionPrinter)


def _mpf_fraction(x) -> Fraction:
    """The exact value of a finite mpmath number (``man_exp`` drops the sign: it is taken from
    the raw tuple).

    Examples
    --------
    >>> import mpmath
    >>> from proofs_check.strategies import _mpf_fraction
    >>> _mpf_fraction(mpmath.mpf(-4.5))
    Fraction(-9, 2)
    """
    sign, man, exp, _ = x._mpf_
    value = Fraction(int(man) * 2 ** exp) if exp >= 0 else Fraction(int(man), 2 ** -exp)
    return -value if sign else value


class _FractionPrinter(PythonCodePrinter):
    def _print_Rational(self, expr):
        return f"Fraction({expr.p}, {expr.q})"

    def _print_Integer(self, expr):
        return f"Fraction({expr.p})"


def _default(symbol):
    from theory.symbols import parameters

    declared = parameters().get(symbol.name)
    return declared.default if declared is not None else None


def _bounded(lo: Fraction, hi: Fraction, bound: Bound, at: Fraction, b: bytes) -> Fraction | None:
    """The constrained parameter's value in ``[lo, hi]`` from bytes ``b``, on the allowed side of
    ``bound`` (whose value at this point is ``at``); ``None`` when the assumption empties the
    range here."""
    if bound.above:
        if bound.strict:
            at = at + (abs(at) * OPEN_END if at else OPEN_END * max(hi, 1) / 1000)
        lo = max(lo, at)
    else:
        if bound.strict:
            at = at - (abs(at) * OPEN_END if at else OPEN_END)
        hi = min(hi, at)
    if hi < lo:
        return None
    mode = b[0]
    if hi == lo or mode < 32:
        return lo if bound.above else hi   # exactly on the bound (or the range's end)
    if mode < 64:
        return hi if bound.above else lo
    if mode < 192:  # theorems are sharp at their assumptions' bounds: within a factor 2 of it
        # lo (1 + t) or hi (1 - t / 2), t = n / 2^32, each as one fraction
        n = int.from_bytes(b[1:], "big")
        if bound.above:
            if lo <= 0:
                return lo
            value = Fraction(lo.numerator * (_STEPS + n), lo.denominator * _STEPS)
            return value if value <= hi else hi
        if hi <= 0:
            return hi
        value = Fraction(hi.numerator * (2 * _STEPS - n), hi.denominator * 2 * _STEPS)
        return value if value >= lo else lo
    return _Range(lo, hi).inside(int.from_bytes(b[1:], "big"))


def points(claim: Claim, batch: int | None = None, raw: bool = False) -> st.SearchStrategy:
    """Exact points of ``claim``'s region satisfying its assumptions, as ``{name: Fraction}``.

    A point is :data:`PARAMETER_BYTES` bytes per parameter (see the comment above
    :func:`_decode`) decoded by plain Python, so a point costs Hypothesis one draw whatever the
    dimension. A chunk of bytes drawn again (Hypothesis repeats the all-zero one most) is decoded
    once.

    Parameters
    ----------
    claim : Claim
    batch : int, optional
        Draw lists of ``batch`` points in one example (the sampled route does, to spread
        Hypothesis's per-example cost over several points); points whose assumption empties the
        range are left out of a batch.
    raw : bool
        With ``batch``: each point as ``(bytes, point)``, the bytes it was decoded from (a
        batch's counterexample is shrunk alone from them).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Of points, or of lists of points with ``batch``.
    """
    bounds = {}
    for relation in claim.assumptions:
        name = relation.lhs.name if isinstance(relation.lhs, sympy.Symbol) else None
        if name is None or name not in claim.region:
            raise ValueError(f"claim {claim.id}: assumption {relation} must isolate a parameter "
                             f"of the region on its left-hand side")
        bounds[name] = Bound(relation)
    order = claim.parameters
    fixed = {n: _fraction(claim.region[n]) for n in order
             if not isinstance(claim.region[n], sympy.Interval)}
    ranges = {n: _Range(*_ends(claim.region[n])) for n in order
              if n not in fixed and n not in bounds}
    bounded = [(n, bound, *_ends(claim.region[n])) for n, bound in bounds.items()]

    width = PARAMETER_BYTES
    decoded = {}

    def decode(raw: bytes):
        if raw in decoded:
            return decoded[raw]
        point = decoded[raw] = _decode_point(raw)
        return point

    def _decode_point(raw: bytes):
        chunks = [raw[width * i:width * (i + 1)] for i in range(len(ranges) + len(bounds))]
        point = dict(fixed)
        for (name, values), b in zip(ranges.items(), chunks):
            point[name] = values.value(b)
        for (name, bound, lo, hi), b in zip(bounded, chunks[len(ranges):]):
            value = _bounded(lo, hi, bound, bound.side(point), b)
            if value is None:
                return None
            point[name] = value
        return {n: point[n] for n in order}

    size = width * (len(ranges) + len(bounds))
    if batch is None:
        return st.binary(min_size=size, max_size=size).map(decode).filter(lambda p: p is not None)

    def decode_batch(data: bytes):
        chunks = (data[size * i:size * (i + 1)] for i in range(batch))
        found = ((chunk, decode(chunk)) for chunk in chunks)
        if raw:
            return [(chunk, p) for chunk, p in found if p is not None]
        return [p for _, p in found if p is not None]

    return st.binary(min_size=size * batch, max_size=size * batch).map(decode_batch)
