r"""First-order tools of the certified route's branch and bound: the gradient of a margin.

SymPy differentiates the compiled margin once per coordinate (:func:`gradient_program`; the work is
kept in the disk cache like the rest of the certified preparation) and the margin and its partial
derivatives are compiled into one :class:`numerics.intervals.Program` sharing their common
subexpressions. One run over a box then gives the natural enclosure ``F(X)`` and the gradient
enclosure ``G(X)``, from which :func:`first_order_lower` builds

* the **monotonicity test**: a coordinate whose partial derivative has a constant sign on the box is
  fixed at the end where the margin is smallest (the box loses a dimension; the minimum over the box
  is the minimum over that face);
* the **mean-value (centred) form** ``f(c) + G(X) . (X - c)`` at the box's middle ``c``, intersected
  with the natural enclosure (its width shrinks quadratically with the box);
* the **smear** of each coordinate, ``|G_i(X)| (hi_i - lo_i)``, which ranks the coordinates to split.

The primitives are differentiated by their own rules: ``kappa = kappa(lam, gamma)`` is the positive
root of ``k^2 - (lam + gamma - 1) k - lam = 0``, so ``dk/dlam = (1 + k)^2/D`` and
``dk/dgamma = k (1 + k)/D`` with ``D = (1 + k)^2 - gamma`` (checked by SymPy in the tests against the
radical), and ``dD/dk = 2 (1 + k)``, ``dD/dgamma = -1``. An operation without a derivative that has
an enclosure (``Min``, ``Max``, ``Abs``, a ``Piecewise``) makes the gradient unavailable; the branch
and bound then uses the natural enclosure alone.

Examples
--------
>>> from theory import quantity
>>> from numerics.intervals import compile_margin
>>> from proofs_check.certified_gradient import gradient_program
>>> g = gradient_program(compile_margin(quantity("mp.shrinkage_w")).form, ("lam", "gamma"))
>>> g.partials[0]   # d(1/D)/dlam = -D'(kappa) kappa'(lam)/D^2 = -2 (1 + kappa)^3/D^3
-2*(kappa(lam, gamma) + 1)**3/KappaDenominator(kappa(lam, gamma), gamma)**3
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy
from mpmath import libmp

from numerics.intervals import IntervalUnavailable, Program
from numerics.stable import KappaDenominator
from theory.marchenko_pastur import EffectiveRegularization

__all__ = ["GradientProgram", "gradient_program", "first_order_lower"]


class _K(sympy.Function):
    """``kappa`` with its derivative (a private stand-in while SymPy differentiates)."""

    nargs = 2

    def fdiff(self, argindex=1):
        lam, gamma = self.args
        d = _D(self, gamma)
        return (1 + self) ** 2 / d if argindex == 1 else self * (1 + self) / d


class _D(sympy.Function):
    """``D = (1 + k)^2 - gamma`` with its derivative (a private stand-in)."""

    nargs = 2

    def fdiff(self, argindex=1):
        k, _ = self.args
        return 2 * (1 + k) if argindex == 1 else sympy.S.NegativeOne


_TO = {EffectiveRegularization: _K, KappaDenominator: _D}
_BACK = {_K: EffectiveRegularization, _D: KappaDenominator}


def _swap(expr, table):
    """Every primitive (innermost first) replaced by its counterpart in ``table``."""
    def walk(e):
        if e.is_Atom:
            return e
        args = [walk(a) for a in e.args]
        for old, new in table.items():
            if isinstance(e, old):
                return new(*args)
        return e.func(*args) if args != list(e.args) else e
    return walk(expr)


def _partials(form, names):
    """The SymPy work: ``[d form / d name for name in names]`` in the primitives' own terms."""
    local = _swap(form, _TO)
    symbols = {s.name: s for s in form.free_symbols}
    out = []
    for n in names:
        if n not in symbols:
            out.append(sympy.S.Zero)
            continue
        partial = sympy.diff(local, symbols[n])
        if partial.has(sympy.Derivative, sympy.Subs, sympy.Heaviside, sympy.sign,
                       sympy.DiracDelta):
            raise IntervalUnavailable(f"no derivative with an enclosure for {form}")
        out.append(_swap(_factored(partial), _BACK))
    return out


#: Operations beyond which a partial derivative is not factored (SymPy's factor grows fast).
FACTOR_LIMIT = 250


def _factored(partial):
    """``factor(together(partial))`` with the primitives as atoms, when it is small enough: an
    exact rewriting that often makes the sign manifest (``2 s/(1 + s) - 2 s^2/(1 + s)^2`` is the
    manifest ``2 s/(1 + s)^2``), where the interval enclosure of the sum would straddle 0."""
    if sympy.count_ops(partial) > FACTOR_LIMIT:
        return partial
    atoms = {f: sympy.Dummy() for f in partial.atoms(sympy.Function)}
    factored = sympy.factor(sympy.together(partial.xreplace(atoms)))
    return factored.xreplace({v: k for k, v in atoms.items()})


@dataclass
class GradientProgram:
    """A margin and its partial derivatives compiled into one program.

    Attributes
    ----------
    program : numerics.intervals.Program
        Holds the margin's slots and the partials' slots (shared subexpressions once).
    margin : int
        The slot of the margin.
    slots : tuple of int
        The slot of each partial derivative, in the order of ``program.names``.
    partials : list of sympy.Expr
        The partial derivatives.
    """

    program: Program
    margin: int
    slots: tuple
    partials: list


def gradient_program(form, names) -> GradientProgram:
    """Differentiate ``form`` in each coordinate of ``names`` (SymPy, cached on disk) and compile
    the margin and its gradient into one program.

    Raises
    ------
    numerics.intervals.IntervalUnavailable
        When a partial derivative holds an operation without an enclosure (from ``Min``, ``Abs``,
        a ``Piecewise``...).

    Examples
    --------
    >>> import sympy
    >>> from proofs_check.certified_gradient import gradient_program
    >>> x, y = sympy.symbols("x y", nonnegative=True)
    >>> g = gradient_program(x**2 * y, ("x", "y"))
    >>> g.partials
    [2*x*y, x**2]
    """
    from theory import cache

    names = tuple(names)
    key = sympy.srepr(form) + "\0" + repr(names)
    partials = cache.cached("certified-gradient", key, lambda: _partials(form, names),
                            depends_on=cache.theory_modules() + (
                                "numerics.stable", "numerics.intervals",
                                "proofs_check.certified_gradient"))
    program = Program(form, names)
    margin = len(program.ops) - 1
    slots = tuple(program._emit(p) for p in partials)  # shared slots: one run gives all
    return GradientProgram(program, margin, slots, partials)


def _lo(x):
    return mpmath.mpf(x._mpi_[0])


def _hi(x):
    return mpmath.mpf(x._mpi_[1])


#: Runs of the monotonicity test per box: the first fixes every coordinate of constant sign, the
#: second re-encloses the gradient on that face (and fixes the coordinates it reveals).
PASSES = 2


def first_order_lower(gp: GradientProgram, arith, box: dict, strict: bool = False):
    """A lower bound of the margin over ``box`` from its first-order information.

    Returns ``(lower, upper, box, smear)``: ``lower`` is the larger of the natural enclosure's and
    the mean-value form's lower ends, computed on the face of ``box`` to which the monotonicity test
    reduces it (returned as ``box``: the minimum over the original box is the minimum over it);
    ``upper`` is the natural enclosure's upper end over ``box``; ``smear`` maps each coordinate to
    ``|G_i| (hi_i - lo_i)`` (``inf`` when the gradient is unbounded there). A NaN end is ``-inf``.

    Examples
    --------
    >>> import sympy
    >>> from numerics.intervals import IntervalArithmetic
    >>> from proofs_check.certified_gradient import gradient_program, first_order_lower
    >>> x, y = sympy.symbols("x y", nonnegative=True)
    >>> gp = gradient_program((x - y) ** 2 + x - 1, ("x", "y"))
    >>> lower, upper, face, smear = first_order_lower(gp, IntervalArithmetic(),
    ...                                              {"x": (1, 2), "y": (0, 0.5)})
    >>> face   # increasing in x, decreasing in y: the minimum is at the corner (1, 1/2)
    {'x': (1, 1), 'y': (0.5, 0.5)}
    >>> float(lower)
    0.25
    """
    reduced = dict(box)
    upper = None
    for _ in range(PASSES):
        slots = gp.program.run(arith, reduced, slots=True)
        if upper is None:  # the natural enclosure's upper end over the whole box
            upper = _hi(slots[gp.margin])
        changed = False
        for name, slot in zip(gp.program.names, gp.slots):
            lo, hi = reduced[name]
            if lo == hi:
                continue
            g = slots[slot]
            g_lo, g_hi = _lo(g), _hi(g)
            if mpmath.isnan(g_lo) or mpmath.isnan(g_hi):
                continue
            if g_lo >= 0:
                reduced[name], changed = (lo, lo), True
            elif g_hi <= 0:
                reduced[name], changed = (hi, hi), True
        if not changed:
            break
    natural = slots[gp.margin]
    lower = _lo(natural)
    if mpmath.isnan(lower):
        lower = -mpmath.inf
    if mpmath.isnan(upper):
        upper = mpmath.inf
    middle = {n: _middle(lo, hi) for n, (lo, hi) in reduced.items()}
    smear = {}
    try:
        at_middle = gp.program.run(arith, {n: (m, m) for n, m in middle.items()}, slots=True)
    except ZeroDivisionError:
        at_middle = None
    centred = None if at_middle is None else at_middle[gp.margin]
    if centred is not None and mpmath.isnan(_lo(centred)):
        centred = None
    for name, slot in zip(gp.program.names, gp.slots):
        lo, hi = reduced[name]
        g = slots[slot]
        g_lo, g_hi = _lo(g), _hi(g)
        if mpmath.isnan(g_lo) or mpmath.isnan(g_hi):
            smear[name], centred = mpmath.inf, None
            continue
        smear[name] = max(abs(g_lo), abs(g_hi)) * (hi - lo)
        if centred is not None and lo != hi:
            c = arith.coordinate(middle[name])
            centred = centred + g * (arith.coordinate((lo, hi)) - c)
    if centred is not None:
        c_lo = _lo(centred)
        if not mpmath.isnan(c_lo) and c_lo > lower:
            lower = c_lo
    return lower, upper, reduced, smear


def _middle(lo, hi):
    """The middle of ``[lo, hi]`` rounded to 53 bits (any point of the box serves the centred
    form; a short one keeps the point evaluation cheap)."""
    m = (mpmath.mpf(lo) + mpmath.mpf(hi)) / 2
    return mpmath.mpf(libmp.mpf_pos(m._mpf_, 53, libmp.round_nearest))
