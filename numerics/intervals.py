r"""A margin compiled to interval arithmetic: a sound enclosure of its values over a box.

:func:`compile_margin` turns an expression (its :func:`numerics.stable.stable_form`, in which the
primitives ``kappa`` and ``D`` stay visible) into a :class:`Program`: the distinct subexpressions
in evaluation order, each an operation on earlier slots. The program runs in three arithmetics:

:class:`IntervalArithmetic`
    inf-sup intervals of a private mpmath ``iv`` context (outward rounding), with

    * *exact zeros*: a product with a factor exactly ``[0, 0]`` is ``[0, 0]`` (``0 * [1, inf]``
      would be the whole line in ``iv``), and ``kappa(0, gamma <= 1) = 0`` exactly, so a margin
      that vanishes on a face of the box keeps the lower end ``0`` there;
    * *facts on the primitives*, intersected with each enclosure: ``kappa`` is increasing in both
      arguments, so its range over a box is spanned by two corners (each evaluated with 20 guard
      bits and rounded outward: one ulp wide for a point box), and ``kappa >= max(gamma - 1, 0)``;
      ``D = (1 + kappa)^2 - gamma`` is at least ``D(0, gamma) = |1 - gamma| max(1, gamma)``
      (:func:`theory.marchenko_pastur.positivity_lemma`).
:class:`PointArithmetic`
    mpmath numbers at any precision (the soundness tests compare every slot with it);
:class:`ArbArithmetic`
    python-flint ``arb`` balls, to confirm the sign of a margin at a point at 200+ bits.

An enclosure is sound at *regular* points, where every subexpression of the form is finite: a
point where a denominator vanishes (``D = 0`` at ``lam = 0, gamma = 1``) is one where the margin
itself is not finite, and no claim is decided there (the sampled route skips it too).

Examples
--------
>>> from theory import quantity
>>> from numerics.intervals import compile_margin, IntervalArithmetic
>>> p = compile_margin(quantity("mp.shrinkage_v") - quantity("mp.shrinkage_u") ** 2)
>>> p.names
('lam', 'gamma')
>>> iv = IntervalArithmetic()
>>> lo, hi = iv.bounds(p.run(iv, {"lam": (0, 10**6), "gamma": ("1e-3", 10**3)}))
>>> lo >= 0
True
"""

from __future__ import annotations

import operator
from fractions import Fraction
from functools import lru_cache

import mpmath
import sympy
from mpmath import libmp
from mpmath.libmp import libmpi
from mpmath.ctx_iv import MPIntervalContext

from numerics import enclosures
from numerics.stable import KappaDenominator, stable_form
from theory.marchenko_pastur import EffectiveRegularization

__all__ = ["IntervalUnavailable", "Program", "compile_margin", "positive_parts",
           "IntervalArithmetic", "PointArithmetic", "ArbArithmetic", "shrink_kappa"]


class IntervalUnavailable(ValueError):
    """The expression holds an operation without an interval enclosure (named in the message)."""


# --- compilation ----------------------------------------------------------------------------

class Program:
    """The distinct subexpressions of a form, in evaluation order.

    Attributes
    ----------
    names : tuple of str
        The free symbols (box coordinates), in the order given to :func:`compile_margin`.
    ops : list of tuple
        ``(kind, payload, argument slots)``; the last slot is the margin.
    exprs : list of sympy.Expr
        The subexpression of each slot.
    form : sympy.Expr
        The compiled form.
    """

    def __init__(self, form, names):
        self.form, self.names = form, tuple(names)
        self.ops, self.exprs, self._slot = [], [], {}
        index = {n: i for i, n in enumerate(self.names)}
        self._index = index
        self._emit(form)

    def _emit(self, e):
        if e in self._slot:
            return self._slot[e]
        if e.is_Symbol:
            if e.name not in self._index:
                raise IntervalUnavailable(f"symbol {e.name} is not a coordinate of the box")
            op = ("var", e.name, ())
        elif e.is_Rational or e.is_Float:  # a Float is its exact binary value
            r = sympy.Rational(e)
            op = ("const", Fraction(int(r.p), int(r.q)), ())
        elif e.is_Add:
            op = ("add", None, tuple(self._emit(a) for a in e.args))
        elif e.is_Mul:
            op = ("mul", None, tuple(self._emit(a) for a in e.args))
        elif e.is_Pow and e.exp.is_Integer:
            op = ("pow", int(e.exp), (self._emit(e.base),))
        elif e.is_Pow and e.exp == sympy.S.Half:
            op = ("sqrt", None, (self._emit(e.base),))
        elif e.is_Pow and e.exp.is_Rational and e.exp.q == 2:
            root = self._emit(sympy.sqrt(e.base, evaluate=False))
            op = ("pow", int(e.exp.p), (root,))
        elif e is sympy.pi:
            op = ("pi", None, ())
        elif isinstance(e, (sympy.Min, sympy.Max)):
            op = (e.func.__name__.lower(), None, tuple(self._emit(a) for a in e.args))
        elif isinstance(e, sympy.Abs):
            op = ("abs", None, (self._emit(e.args[0]),))
        elif e.is_Pow and e.exp.is_Rational and e.exp.q in (4, 8):
            root = self._emit(sympy.sqrt(e.base ** sympy.Rational(2, e.exp.q), evaluate=False))
            op = ("pow", int(e.exp.p), (root,))
        elif isinstance(e, sympy.Piecewise):
            op = ("piecewise", self._piecewise(e), ())
        elif _is_psi(e):
            op = ("psi", None, (self._emit(e.args[0]),))
        elif isinstance(e, EffectiveRegularization):
            op = ("kappa", None, tuple(self._emit(a) for a in e.args))
        elif isinstance(e, KappaDenominator):
            k, g = e.args
            fact = isinstance(k, EffectiveRegularization) and k.args[1] == g
            op = ("D", fact, tuple(self._emit(a) for a in e.args))
        elif e.is_Pow:  # a symbolic exponent (x**levels, x**(floor(t)/2)): x >= 0
            op = ("rpow", None, (self._emit(e.base), self._emit(e.exp)))
        elif isinstance(e, sympy.floor):
            op = ("floor", None, (self._emit(e.args[0]),))
        elif isinstance(e, sympy.Function) and e.func.__name__ in _enclosures():
            op = ("function", e.func.__name__, tuple(self._emit(a) for a in e.args))
        else:
            head = e.func.__name__ if isinstance(e, sympy.Function) else type(e).__name__
            raise IntervalUnavailable(f"no interval enclosure for {head} (in {e})")
        self.ops.append(op)
        self.exprs.append(e)
        self._slot[e] = len(self.ops) - 1
        return self._slot[e]

    def _piecewise(self, e):
        """``[(value slot, condition slot or None, kind), ...]``: a condition ``a < b`` is the
        slot of ``a - b`` with kind ``"<"`` (``"<="``, ``">"``, ``">="``); ``True`` is ``None``."""
        branches = []
        for value, cond in e.args:
            if cond is sympy.true:
                branches.append((self._emit(value), None, None))
                break
            if not isinstance(cond, sympy.core.relational.Relational) or isinstance(
                    cond, (sympy.Eq, sympy.Ne)):
                raise IntervalUnavailable(f"no interval enclosure for the condition {cond}")
            branches.append((self._emit(value), self._emit(cond.lhs - cond.rhs), cond.rel_op))
        return tuple(branches)

    def run(self, arith, values, slots=False):
        """Evaluate in ``arith`` at ``values`` (``{name: value or (lo, hi)}``).

        Returns the margin, or the list of every slot when ``slots`` is true.
        """
        out = []
        for kind, payload, args in self.ops:
            a = [out[i] for i in args]
            if kind == "var":
                out.append(arith.coordinate(values[payload]))
            elif kind == "const":
                out.append(arith.const(payload))
            elif kind == "add":
                out.append(arith.add(a))
            elif kind == "mul":
                out.append(arith.mul(a))
            elif kind == "pow":
                out.append(arith.pow(a[0], payload))
            elif kind == "sqrt":
                out.append(arith.sqrt(a[0]))
            elif kind == "kappa":
                out.append(arith.kappa(*a))
            elif kind == "pi":
                out.append(arith.pi())
            elif kind == "function":
                out.append(arith.function(payload, *a))
            elif kind in ("min", "max", "abs", "psi", "rpow", "floor"):
                out.append(getattr(arith, kind)(*a))
            elif kind == "piecewise":
                out.append(arith.piecewise([(out[v], None if c is None else out[c], r)
                                            for v, c, r in payload]))
            else:
                out.append(arith.denominator(*a, fact=payload))
        return out if slots else out[-1]

    def __len__(self):
        return len(self.ops)


def _enclosures() -> dict:
    from numerics.namespaces import interval_functions

    return interval_functions()


def _is_psi(e):
    return isinstance(e, sympy.Function) and type(e).__name__ == "Psi" and len(e.args) == 1 \
        and hasattr(type(e), "_eval_rewrite_as_sqrt")


def positive_parts(form):
    """Write ``1 - 2u + v`` of each ``kappa`` in ``form`` as the positive ``(1 - u)^2 + (v - u^2)``.

    :func:`~numerics.stable.stable_form` turns ``1 - 2u + v`` into
    ``(1 + kappa - gamma + gamma kappa)/((1 + kappa) D)``: accurate in floating point, but its
    numerator has mixed signs, so no interval enclosure of it is ``>= 0`` unless the box is tiny in
    ``gamma``. The same value is ``1/(1 + kappa)^2 + gamma kappa^2/((1 + kappa)^2 D)`` (checked here
    by SymPy with ``D = (1 + kappa)^2 - gamma``), a sum of non-negative terms.

    Examples
    --------
    >>> from theory import quantity
    >>> from numerics.intervals import positive_parts
    >>> from numerics.stable import stable_form
    >>> u, v = quantity("mp.shrinkage_u"), quantity("mp.shrinkage_v")
    >>> stable_form(1 - 2 * u + v)
    (gamma*kappa(lam, gamma) - gamma + kappa(lam, gamma) + 1)/(kappa(lam, gamma)*KappaDenominator(kappa(lam, gamma), gamma) + KappaDenominator(kappa(lam, gamma), gamma))
    >>> positive_parts(_)
    gamma*kappa(lam, gamma)**2/((kappa(lam, gamma) + 1)**2*KappaDenominator(kappa(lam, gamma), gamma)) + (kappa(lam, gamma) + 1)**(-2)
    """
    for k in sorted(form.atoms(EffectiveRegularization), key=str):
        g = k.args[1]
        d = KappaDenominator(k, g)
        mixed, positive = _positive_identity(k, g, d)
        form = form.subs(mixed, positive)
    return form


def _positive_identity(k, g, d):
    """``(mixed, positive)`` forms of ``1 - 2u + v`` in ``kappa = k``, ``gamma = g``, ``D = d``;
    their equality is checked by SymPy once (in symbols), not at every use."""
    _identity_checked()
    return ((g * k - g + k + 1) / (k * d + d),
            1 / (1 + k) ** 2 + g * k**2 / ((1 + k) ** 2 * d))


@lru_cache(maxsize=None)
def _identity_checked() -> bool:
    k, g, d = sympy.symbols("kappa gamma D")
    mixed = (g * k - g + k + 1) / (k * d + d)
    positive = 1 / (1 + k) ** 2 + g * k**2 / ((1 + k) ** 2 * d)
    if sympy.cancel((mixed - positive).xreplace({d: (1 + k) ** 2 - g})) != 0:  # pragma: no cover
        raise RuntimeError("1 - 2u + v did not match its positive form")
    return True


def compile_margin(expr, names=None, stable=True) -> Program:
    """Compile ``expr`` (after :func:`~numerics.stable.stable_form` unless ``stable=False``).

    Parameters
    ----------
    expr : sympy.Expr
    names : sequence of str, optional
        Coordinates, in order; by default the free symbols in the order of
        :func:`theory.symbols.parameters` (unknown symbols last, by name).
    stable : bool
        Whether to rewrite ``expr`` in its stable form (and :func:`positive_parts`) first.

    Raises
    ------
    IntervalUnavailable
        An operation without an enclosure (a Piecewise, a primitive at a complex argument...).

    Examples
    --------
    >>> from theory import quantity
    >>> from numerics.intervals import compile_margin
    >>> p = compile_margin(quantity("mp.shrinkage_w"))
    >>> p.form, len(p)
    (1/KappaDenominator(kappa(lam, gamma), gamma), 5)
    """
    from theory.symbols import parameters

    form = positive_parts(stable_form(expr)) if stable else expr
    if names is None:
        order = list(parameters())
        free = sorted((s.name for s in form.free_symbols),
                      key=lambda n: (order.index(n) if n in order else len(order), n))
        names = free
    return Program(form, names)


# --- arithmetics ----------------------------------------------------------------------------

class IntervalArithmetic:
    """Outward-rounded inf-sup intervals (a private mpmath ``iv`` context) with exact zeros.

    Parameters
    ----------
    prec : int
        Working precision in bits (53 by default).
    guard : int
        Extra bits for the primitives' corner values, rounded outward to ``prec`` afterwards.

    Examples
    --------
    >>> from numerics.intervals import IntervalArithmetic
    >>> iv = IntervalArithmetic()
    >>> iv.bounds(iv.kappa(iv.coordinate((0, 0)), iv.coordinate(("1/2", 1))))
    (mpf('0.0'), mpf('0.0'))
    """

    def __init__(self, prec: int = 53, guard: int = 20):
        self.ctx = MPIntervalContext()
        self.ctx.prec = prec
        self.fine = MPIntervalContext()
        self.fine.prec = prec + guard
        self.prec = prec
        self.whole = self.ctx.mpf([-self.ctx.inf, self.ctx.inf])
        self.zero = self.ctx.mpf(0)
        # constants made once: an operation with a Python number (or a value of another
        # context) makes mpmath convert it, most of the cost of a cheap operation
        self.one, self.two = self.ctx.mpf(1), self.ctx.mpf(2)
        self._fine_constants = (self.fine.mpf(1), self.fine.mpf(2), self.fine.mpf(4))
        self._constants = {}

    def coordinate(self, value):
        """The interval ``[lo, hi]`` (a pair) or a point, endpoints rounded outward."""
        lo, hi = value if isinstance(value, tuple) else (value, value)
        return self._of(self.interval(lo)._mpi_[0], self.interval(hi)._mpi_[1])

    def interval(self, x):
        """The enclosure of one number (int, Fraction, sympy Rational, decimal string, mpf)."""
        if isinstance(x, (Fraction, sympy.Rational)):
            p, q = (x.numerator, x.denominator) if isinstance(x, Fraction) else (x.p, x.q)
            return self.ctx.mpf(int(p)) / int(q)
        if isinstance(x, str) and "/" in x:
            return self.interval(Fraction(x))
        return self.ctx.mpf(x)

    def const(self, q: Fraction):
        value = self._constants.get(q)
        if value is None:
            value = self._constants[q] = self.interval(q)
        return value

    @staticmethod
    def is_zero(x):
        a, b = x._mpi_
        return a == libmp.fzero and b == libmp.fzero

    def add(self, args):
        return self._combine(args, libmpi.mpi_add, operator.add)

    def mul(self, args):
        if any(self.is_zero(x) for x in args):
            return self.zero  # exact zero: finite factors at regular points
        return self._combine(args, libmpi.mpi_mul, operator.mul)

    def _combine(self, args, raw, op):
        """``args`` combined left to right: by mpmath's own interval function ``raw`` on the
        raw ends when every one is an interval of this context (what its operator ``op`` would
        call, without the operator's conversions), else by ``op``."""
        if all(type(x) is self.ctx.mpf for x in args):
            prec, total = self.ctx.prec, args[0]._mpi_
            for x in args[1:]:
                total = raw(total, x._mpi_, prec)
            return self.ctx.make_mpf(total)
        total = args[0]
        for x in args[1:]:
            total = op(total, x)
        return total

    def pow(self, x, n):
        if n >= 0:  # what ``x**n`` computes, without converting ``n`` to an interval first
            return self.ctx.make_mpf(libmpi.mpi_pow_int(x._mpi_, n, self.ctx.prec))
        return self.reciprocal(x ** (-n))  # an even power first: 1/x^2 stays one-sided

    def reciprocal(self, x):
        """``1/x``; one-sided when an end is exactly 0, the whole line when 0 is inside."""
        if self.is_zero(x):
            return self.whole
        lo, hi = x._mpi_
        if libmp.mpf_lt(lo, libmp.fzero) and libmp.mpf_gt(hi, libmp.fzero):
            return self.whole
        return self.one / x

    def sqrt(self, x):
        lo, hi = x._mpi_
        if libmp.mpf_lt(hi, libmp.fzero):
            return self.whole  # no regular point
        if libmp.mpf_lt(lo, libmp.fzero):
            x = self.ctx.mpf([0, self.ctx.mpf(x.b)])
        return self.ctx.sqrt(x)

    def pi(self):
        return self.ctx.pi

    def _of(self, lo, hi):
        """The interval of the raw ends ``lo <= hi`` as they are (what ``ctx.mpf([lo, hi])``
        makes of two mpf numbers, without its conversions); a NaN end gives the whole line."""
        if lo == libmp.fnan or hi == libmp.fnan:
            return self.whole
        if not libmp.mpf_le(lo, hi):
            raise ValueError("interval ends out of order")
        return self.ctx.make_mpf((lo, hi))

    def min(self, *args):
        ends = [x._mpi_ for x in args]
        return self._of(_fold(_min, [a for a, _ in ends]), _fold(_min, [b for _, b in ends]))

    def max(self, *args):
        ends = [x._mpi_ for x in args]
        return self._of(_fold(_max, [a for a, _ in ends]), _fold(_max, [b for _, b in ends]))

    def abs(self, x):
        lo, hi = x._mpi_
        if libmp.mpf_ge(lo, libmp.fzero):
            return x
        if libmp.mpf_le(hi, libmp.fzero):
            return -x
        return self._of(libmp.fzero, _max(libmp.mpf_neg(lo), hi))

    def piecewise(self, branches):
        """The hull of the branches whose condition may hold before one that surely holds."""
        possible = []
        for value, cond, rel in branches:
            if cond is None:
                possible.append(value)
                break
            lo, hi = cond._mpi_
            if lo == libmp.fnan or hi == libmp.fnan:
                certain, maybe = False, True
            else:
                certain, maybe = _relation_on_range(rel, lo, hi)
            if maybe:
                possible.append(value)
            if certain:
                break
        if not possible:
            return self.whole  # no branch holds: not a regular point
        ends = [x._mpi_ for x in possible]
        if any(e == libmp.fnan for pair in ends for e in pair):
            return self.whole
        return self._of(_fold(_min, [a for a, _ in ends]), _fold(_max, [b for _, b in ends]))

    def psi(self, c):
        """``Psi`` is increasing: ``[Psi(c_lo), Psi(c_hi)]`` from two ``arb`` corner values,
        rounded outward, intersected with ``[0, 1]``."""
        lo, hi = c._mpi_
        bounds = enclosures.psi_bounds
        low = bounds(lo, self.prec + 10)[0] if libmp.mpf_gt(lo, libmp.fzero) else libmp.fzero
        high = (bounds(hi, self.prec + 10)[1] if hi != libmp.finf and libmp.mpf_gt(
            hi, libmp.fzero) else (libmp.fone if hi == libmp.finf else libmp.fzero))
        low = _max(libmp.mpf_pos(low, self.prec, libmp.round_floor), libmp.fzero)
        high = _min(libmp.mpf_pos(high, self.prec, libmp.round_ceiling), libmp.fone)
        return self._of(low, high)

    def function(self, name, *args):
        """A mechanism's function (:func:`numerics.namespaces.interval_functions`)."""
        return _enclosures()[name](self, *args)

    def rpow(self, x, n):
        """``x**n`` for ``x >= 0`` and a real exponent interval (:mod:`numerics.enclosures`)."""
        return enclosures.interval_rpow(self, x, n)

    def floor(self, x):
        return enclosures.interval_floor(self, x)

    def bounds(self, x):
        """``(lo, hi)`` as mpmath ``mpf`` numbers."""
        a, b = x._mpi_
        return mpmath.mpf(a), mpmath.mpf(b)

    def _kappa_point(self, lam, gamma):
        """kappa at a corner, in the fine context (``lam``, ``gamma`` raw mpf values)."""
        ctx = self.fine
        one, two, four = self._fine_constants
        lam, gamma = ctx.make_mpf((lam, lam)), ctx.make_mpf((gamma, gamma))  # exact points
        b = lam + gamma - one
        r = ctx.sqrt(b * b + four * lam)
        if libmp.mpf_lt(b._mpi_[1], libmp.fzero):
            return two * lam / (r - b)
        return (b + r) / two

    def kappa(self, lam, gamma):
        """Increasing in both arguments: two corners span the range; ``>= max(gamma - 1, 0)``."""
        (l0, l1), (g0, g1) = lam._mpi_, gamma._mpi_
        if libmp.mpf_lt(l0, libmp.fzero):
            l0 = libmp.fzero  # kappa is defined for lam >= 0 only; regular points have lam >= 0
        low = self._kappa_point(l0, g0)._mpi_[0]
        high = (self._kappa_point(l1, g1)._mpi_[1] if l1 != libmp.finf and g1 != libmp.finf
                else libmp.finf)
        low = _max(_max(libmp.mpf_pos(low, self.prec, libmp.round_floor), libmp.fzero),
                   libmp.mpf_sub(g0, libmp.fone, self.prec, libmp.round_floor))
        high = libmp.mpf_pos(high, self.prec, libmp.round_ceiling)
        return self._of(low, high)

    def denominator(self, k, gamma, fact=True):
        """``(1 - gamma) + k (2 + k)``, intersected with ``[D(0, gamma), inf)`` when ``fact``."""
        value = (self.one - gamma) + k * (self.two + k)
        if not fact:
            return value
        g0, g1 = gamma._mpi_
        one = libmp.fone
        if libmp.mpf_lt(g1, one):  # gamma < 1: D(0, gamma) = 1 - gamma, smallest at g1
            floor = libmp.mpf_sub(one, g1, self.prec, libmp.round_floor)
        elif libmp.mpf_gt(g0, one):  # gamma > 1: (gamma - 1) gamma, smallest at g0
            floor = libmp.mpf_mul(libmp.mpf_sub(g0, one, self.prec, libmp.round_floor), g0,
                                  self.prec, libmp.round_floor)
        else:
            floor = libmp.fzero
        lo, hi = value._mpi_
        return self._of(_max(lo, floor), _max(hi, floor))


def _exact(value) -> Fraction:
    """A point coordinate as an exact fraction (a range is an error here)."""
    if isinstance(value, tuple):
        raise ValueError("a point evaluation takes numbers, not ranges")
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, mpmath.mpf):
        if not mpmath.isfinite(value):  # inf/nan have a zero mantissa: not the number 0
            raise ValueError(f"a point coordinate must be finite, not {value}")
        sign, man, exp, _ = value._mpf_
        return Fraction((-1) ** sign * man) * Fraction(2) ** exp
    return Fraction(value)


def _min(a, b):
    return a if libmp.mpf_le(a, b) else b


def _max(a, b):
    return a if libmp.mpf_ge(a, b) else b


def _fold(f, values):
    out = values[0]
    for v in values[1:]:
        out = f(out, v)
    return out


def _relation_on_range(rel, lo, hi):
    """``(certain, possible)`` for ``x rel 0`` with ``x`` in ``[lo, hi]`` (raw mpf ends)."""
    z = libmp.fzero
    if rel == "<":
        return libmp.mpf_lt(hi, z), libmp.mpf_lt(lo, z)
    if rel == "<=":
        return libmp.mpf_le(hi, z), libmp.mpf_le(lo, z)
    if rel == ">":
        return libmp.mpf_gt(lo, z), libmp.mpf_gt(hi, z)
    return libmp.mpf_ge(lo, z), libmp.mpf_ge(hi, z)


def shrink_kappa(arith: IntervalArithmetic, ulps: int = 1) -> IntervalArithmetic:
    """A deliberately *unsound* copy of ``arith``: every ``kappa`` lower end raised by ``ulps``.

    Only for the test that proves the soundness check can fail.

    Examples
    --------
    >>> from numerics.intervals import IntervalArithmetic, shrink_kappa
    >>> bad = shrink_kappa(IntervalArithmetic())
    >>> lo, hi = bad.bounds(bad.kappa(bad.coordinate(1), bad.coordinate(1)))
    >>> lo == hi   # the sound enclosure of this point is one ulp wide
    True
    """
    bad = IntervalArithmetic(arith.prec)
    sound = bad.kappa

    def kappa(lam, gamma):
        lo, hi = sound(lam, gamma)._mpi_
        raised = libmp.mpf_add(lo, libmp.mpf_mul(libmp.from_int(ulps), _ulp(lo, bad.prec)),
                               bad.prec, libmp.round_nearest)
        return bad.ctx.mpf([mpmath.mpf(_max(_min(raised, hi), lo)), mpmath.mpf(hi)])

    bad.kappa = kappa
    return bad


def _ulp(x, prec):
    if x == libmp.fzero:
        return libmp.from_man_exp(1, -1074)
    sign, man, exp, bc = x
    return libmp.from_man_exp(1, exp + bc - prec)


class PointArithmetic:
    """mpmath numbers at ``dps`` digits in a private context (a point evaluation of a program).

    Examples
    --------
    >>> from theory import quantity
    >>> from numerics.intervals import PointArithmetic, compile_margin
    >>> p = compile_margin(quantity("mp.shrinkage_u"))
    >>> p.run(PointArithmetic(30), {"lam": 1, "gamma": "1/2"})
    mpf('0.561552812808830274910704927987')
    """

    def __init__(self, dps: int = 50):
        from numerics.namespaces import mpmath_functions

        self.ctx = mpmath.MPContext()
        self.ctx.dps = dps
        ns = mpmath_functions(self.ctx)
        self._kappa, self._d = ns["EffectiveRegularization"], ns["KappaDenominator"]

    def coordinate(self, value):
        return self.const(_exact(value))

    def const(self, q: Fraction):
        return self.ctx.mpf(q.numerator) / q.denominator

    def add(self, args):
        return self.ctx.fsum(args)

    def mul(self, args):
        return self.ctx.fprod(args)

    def pow(self, x, n):
        return x**n

    def sqrt(self, x):
        return self.ctx.sqrt(x) if x >= 0 else self.ctx.nan  # an unused branch's value

    def kappa(self, lam, gamma):
        return self._kappa(lam, gamma)

    def denominator(self, k, gamma, fact=True):
        return self._d(k, gamma)

    def pi(self):
        return +self.ctx.pi

    def min(self, *args):
        return min(args)

    def max(self, *args):
        return max(args)

    def abs(self, x):
        return abs(x)

    def piecewise(self, branches):
        for value, cond, rel in branches:
            if cond is None or _relation_on_range(rel, cond._mpf_, cond._mpf_)[0]:
                return value
        return self.ctx.nan

    def function(self, name, *args):
        return _enclosures()[name](self, *args)

    def rpow(self, x, n):
        return x**n if x > 0 else (self.ctx.zero if x == 0 and n > 0 else self.ctx.nan)

    def floor(self, x):
        return self.ctx.floor(x)

    def psi(self, c):
        """``1 - sqrt(pi) x erfc(x) exp(x^2)``, ``x = 1/sqrt(2c)``, with guard digits for the
        cancellation (about ``log10(1/c)``)."""
        ctx = self.ctx
        if c <= 0:
            return ctx.zero if c == 0 else ctx.nan
        extra = 15 + max(0, int(-ctx.log10(c)))
        with ctx.extradps(extra):
            x = 1 / ctx.sqrt(2 * c)
            value = 1 - ctx.sqrt(ctx.pi) * x * ctx.exp(x * x) * ctx.erfc(x)
        return +value


class ArbArithmetic:
    """python-flint ``arb`` balls (call :meth:`run` inside ``flint.ctx.workprec(bits)``).

    Examples
    --------
    >>> import flint
    >>> from theory import quantity
    >>> from numerics.intervals import ArbArithmetic, compile_margin
    >>> p = compile_margin(quantity("mp.shrinkage_u"))
    >>> with flint.ctx.workprec(200):
    ...     u = p.run(ArbArithmetic(), {"lam": 1, "gamma": "1/2"})
    >>> bool(u.rad() < 1e-55), bool(u > 0.5615528128) and bool(u < 0.5615528129)
    (True, True)
    """

    def __init__(self):
        import flint

        self.flint = flint

    def coordinate(self, value):
        return self.const(_exact(value))

    def const(self, q: Fraction):
        return self.flint.arb(self.flint.fmpq(q.numerator, q.denominator))

    def add(self, args):
        total = args[0]
        for x in args[1:]:
            total = total + x
        return total

    def mul(self, args):
        total = args[0]
        for x in args[1:]:
            total = total * x
        return total

    def pow(self, x, n):
        return x**n if n >= 0 else 1 / x ** (-n)

    def sqrt(self, x):
        return x.sqrt()

    def kappa(self, lam, gamma):
        b = lam + gamma - 1
        r = (b * b + 4 * lam).sqrt()
        return 2 * lam / (r - b) if b < 0 else (b + r) / 2

    def pi(self):
        return self.flint.arb.pi()

    def min(self, *args):
        out = args[0]
        for x in args[1:]:
            out = x if x < out else out if out < x else out.union(x)
        return out

    def max(self, *args):
        out = args[0]
        for x in args[1:]:
            out = x if x > out else out if out > x else out.union(x)
        return out

    def abs(self, x):
        return abs(x)

    def piecewise(self, branches):
        possible = []
        for value, cond, rel in branches:
            if cond is None:
                possible.append(value)
                break
            certain = {"<": cond < 0, "<=": cond <= 0, ">": cond > 0, ">=": cond >= 0}[rel]
            ruled_out = {"<": cond >= 0, "<=": cond > 0, ">": cond <= 0, ">=": cond < 0}[rel]
            if not ruled_out:
                possible.append(value)
            if certain:
                break
        out = possible[0]
        for x in possible[1:]:
            out = out.union(x)
        return out

    def function(self, name, *args):
        return _enclosures()[name](self, *args)

    def rpow(self, x, n):
        return x**n

    def floor(self, x):
        return x.floor()

    def psi(self, c):
        x = 1 / (2 * c).sqrt()
        return 1 - self.flint.arb.pi().sqrt() * x * (x * x).exp() * x.erfc()

    def denominator(self, k, gamma, fact=True):
        return (1 - gamma) + k * (2 + k)
