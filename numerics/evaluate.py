"""Turn expressions into numbers: :func:`evaluate` (mpmath, any precision) and :func:`vectorize` (float64).

Both compile the same :func:`numerics.stable.stable_form` of the one definition, so they cannot
disagree beyond rounding, and the ridgeless limits (``lam = 0``) are ordinary evaluations.
mpmath work happens in a context private to the calling thread and precision: the global
``mpmath.mp`` is never touched, so threads and Dask workers do not race.

Examples
--------
>>> from numerics import evaluate, vectorize
>>> evaluate("mp.stieltjes", {"z": "-1/2", "gamma": "1/2"}, dps=30)
mpf('0.828427124746190097603377448419411')
>>> f = vectorize("ridge.teacher_risk")
>>> f(lam_t=[0.0, 0.5], gamma_t=0.5, sigma2=1.0).round(12)
array([1.        , 0.41421356])
"""

from __future__ import annotations

import math
import os
import threading
from fractions import Fraction
from functools import lru_cache

import mpmath
from mpmath.libmp import from_int, from_rational
import numpy as np
import sympy
from sympy.printing.pycode import MpmathPrinter

from numerics.evaluate_confirm import agrees, confirmed_by_float, held_source, sized_digits
from numerics.float64 import TOLERANCE, UNIT, compile_numpy
from numerics.namespaces import mpmath_functions, numpy_functions
from numerics.stable import stable_form
from numerics.validation import (ParameterError, check_arrays, check_params, exact_rationals,
                                 exact_scalar, rational_spec)
from theory.registry import get
from theory.symbols import parameters

__all__ = ["evaluate", "evaluate_at", "vectorize", "resolve", "local_context", "to_mpmath",
           "Compiled", "MAX_DPS"]

#: Largest precision :func:`evaluate` accepts (decimal digits); raise it with the environment
#: variable ``W2S_MAX_DPS``.
MAX_DPS = int(os.environ.get("W2S_MAX_DPS", 10_000))

_local = threading.local()


def resolve(expr_or_name) -> tuple[str, sympy.Expr, list[str]]:
    """``(label, expression, parameter names)`` for a registered name or a SymPy expression.

    Examples
    --------
    >>> from numerics.evaluate import resolve
    >>> resolve("mp.kappa")
    ('mp.kappa', kappa(lam, gamma), ['lam', 'gamma'])
    """
    if isinstance(expr_or_name, str):
        q = get(expr_or_name)
        return q.name, q.expr, [p.name for p in q.parameters]
    expr = expr_or_name if isinstance(expr_or_name, sympy.Basic) else sympy.sympify(expr_or_name)
    return ("the expression",) + _expression_parameters(expr)


@lru_cache(maxsize=1024)
def _expression_parameters(expr):
    declared = parameters()
    foreign = sorted(s.name for s in expr.free_symbols if declared.get(s.name) != s)
    if foreign:
        raise ParameterError(f"expression uses symbols that are not parameters: "
                             f"{', '.join(foreign)}; build it from theory.symbols")
    names = {s.name for s in expr.free_symbols}
    return expr, [n for n in declared if n in names]


def local_context(dps: int):
    """``(context, namespace)``: an mpmath context at ``dps`` private to this thread.

    Examples
    --------
    >>> from numerics.evaluate import local_context
    >>> ctx, _ = local_context(25)
    >>> ctx.dps
    25
    """
    cache = getattr(_local, "contexts", None)
    if cache is None:
        cache = _local.contexts = {}
    if dps not in cache:
        ctx = mpmath.MPContext()
        ctx.dps = dps
        namespace = {n: getattr(ctx, n) for n in dir(mpmath)
                     if not n.startswith("_") and hasattr(ctx, n)}
        namespace.update(mpmath_functions(ctx))
        cache[dps] = (ctx, namespace)
    return cache[dps]


@lru_cache(maxsize=1)
def _float_namespace() -> dict:
    """The primitives on Python floats, through mpmath's float context ``mpmath.fp``."""
    fp = mpmath.fp
    namespace = {n: getattr(fp, n) for n in dir(mpmath) if not n.startswith("_") and hasattr(fp, n)}
    namespace.update(mpmath_functions(fp))
    return namespace


@lru_cache(maxsize=512)
def _compiled(expr: sympy.Expr, names: tuple[str, ...], backend: str, dps: int | None,
              thread: int, name: str | None = None):
    """The function of ``expr``'s stable form on ``backend`` (``"mpmath"`` at ``dps`` digits
    for ``thread``, ``"float"``, or ``"numpy"``: see :func:`numerics.float64.compile_numpy`);
    ``name``, the quantity ``expr`` defines, if any, keys its disk cache entry."""
    return _compile(lambda: expr, names, backend, dps, name)


@lru_cache(maxsize=512)
def _compiled_quantity(name: str, names: tuple[str, ...], backend: str, dps: int | None,
                       thread: int):
    """:func:`_compiled` of the registered quantity ``name``, whose expression is built only
    when its evaluator's code is not in the disk cache (a warm ``w2s eval`` builds none)."""
    return _compile(lambda: get(name).expr, names, backend, dps, name)


def _compile(expr_of, names: tuple[str, ...], backend: str, dps: int | None, name: str | None):
    """The body of :func:`_compiled`; ``expr_of()`` returns the expression."""
    args = list(map(parameters().__getitem__, names))
    if backend == "numpy":
        return compile_numpy(stable_form(expr_of()), args, numpy_functions())
    namespace = _float_namespace() if backend.startswith("float") else local_context(dps)[1]
    # the code is the same at every precision (the namespace binds the context): it is printed
    # once per machine and kept in the disk cache, keyed on the expression and on the source
    # of the theory package and of the modules that print it
    from theory import cache
    from theory.catalogue import owner

    # a quantity is defined by the source of its mechanism's modules
    mechanism = owner(name) if name is not None else None
    if mechanism is not None:
        key, modules = f"quantity {name}", mechanism.modules
    else:
        key, modules = sympy.srepr(expr_of()), ()
    source = cache.cached("evaluator", f"{backend}\0{names}\0{key}",
                          lambda: _source(expr_of(), args, namespace, backend),
                          depends_on=cache.theory_modules() + tuple(modules) + _PRINTING_MODULES)
    return _defined(source, _globals(namespace))


#: The modules whose source the printed code of an evaluator depends on.
_PRINTING_MODULES = ("numerics.evaluate", "numerics.evaluate_confirm", "numerics.stable",
                     "numerics.float64", "numerics.namespaces")


def _source(expr, args, namespace, backend: str = "mpmath") -> str:
    """The Python code of the mpmath (or float) function of ``expr``'s stable form; for the
    ``-held`` backends, with its sums held as its error bound describes them
    (:func:`numerics.evaluate_confirm.held_source`; ``float-held`` returns the bound too)."""
    import linecache

    if backend.endswith("-held"):
        return held_source(expr, args, namespace, with_bound=backend == "float-held")
    form = stable_form(expr)
    # cse would hoist an integrand out of its quadrature
    cse = _cse if not form.has(sympy.Integral) else False
    f = sympy.lambdify(args, form, modules=[namespace, "mpmath"], cse=cse,
                       printer=_grouping_printer(MpmathPrinter, args, namespace))
    return "".join(linecache.getlines(f.__code__.co_filename))


_GLOBALS: dict = {}


def _globals(namespace) -> dict:
    """The global namespace lambdify gives a function over ``namespace`` and mpmath."""
    key = id(namespace)
    found = _GLOBALS.get(key)
    if found is None or found[0] is not namespace:
        import builtins

        from sympy.utilities.lambdify import MPMATH_TRANSLATIONS

        merged: dict = {}
        exec("from mpmath import *", merged)  # noqa: S102  (as lambdify's "mpmath" module)
        merged.update({k: getattr(mpmath, v) for k, v in MPMATH_TRANSLATIONS.items()
                       if hasattr(mpmath, v)})
        merged.update(namespace)
        merged.update(builtins=builtins, range=range)
        found = _GLOBALS[key] = (namespace, merged)
    return found[1]


def _defined(source: str, namespace: dict):
    """The function defined by ``source`` (one ``def``) in the global ``namespace``."""
    import linecache

    global _DEFINED
    _DEFINED += 1
    filename = f"<w2s-evaluator-{_DEFINED}>"
    found: dict = {}
    exec(compile(source, filename, "exec"), namespace, found)  # noqa: S102  (printed by SymPy)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    (function,) = found.values()
    return function


_DEFINED = 0


def _cse(expr):
    """Common subexpressions, except sums: those stay inline so that :func:`_grouping_printer`
    sees all the terms of a sum (``kappa + 1`` taken out would hide the ``1`` of ``1 - gamma``)."""
    replacements, reduced = sympy.cse(expr, list=False)
    kept, sums = [], {}
    for symbol, sub in replacements:
        sub = sub.xreplace(sums)
        if sub.is_Add:
            sums[symbol] = sub
        else:
            kept.append((symbol, sub))
    return kept, reduced.xreplace(sums)


def _grouping_printer(base, args, namespace):
    """A lambdify printer that sums the terms made of parameters alone before the others.

    A stable form's numerator such as ``gamma kappa - gamma + kappa + 1`` is otherwise evaluated
    left to right, ``((gamma kappa - gamma) + kappa) + 1``, which loses ``kappa`` next to 1 (at
    ``gamma = 1``, ``lam = 1e-29`` the float64 ``1 - 2u + v`` was 2% off, and at ``lam = 1e-300``
    even 50 digits gave 0 instead of 1); ``(1 - gamma) + (gamma kappa + kappa)`` does not.
    """
    params = frozenset(args)

    class Grouping(base):
        def _print_Add(self, expr, order=None):
            fixed = [a for a in expr.args if a.free_symbols <= params]
            rest = [a for a in expr.args if not a.free_symbols <= params]
            if len(fixed) > 1 and rest:
                return "(%s) + (%s)" % (self._print(sympy.Add(*fixed)),
                                        self._print(sympy.Add(*rest)))
            return super()._print_Add(expr, order)

    return Grouping({"fully_qualified_modules": False, "inline": True,
                     "allow_unknown_functions": True, "user_functions": {k: k for k in namespace}})


def evaluate(expr_or_name, params=None, dps: int = 50, **kwargs):
    """Value of a quantity at the given parameters, with mpmath at ``dps`` decimal digits.

    Parameters
    ----------
    expr_or_name : str or sympy.Expr
        A registered quantity name (``"ridge.student_risk"``) or an expression built from
        :mod:`theory.symbols`.
    params : dict, optional
        Parameter values by name; strings are parsed exactly (``"0.1"`` is ``1/10``).
    dps : int, default 50
        Working precision in decimal digits (1 to ``MAX_DPS``).
    **kwargs
        More parameter values.

    Returns
    -------
    mpmath.mpf or mpmath.mpc
        Correct to ``dps`` digits (relative), and carrying them (its context is private to this
        thread and precision): the value is computed with guard digits and confirmed at a higher
        precision, raised further where the two disagree (catastrophic cancellation), up to
        ``8 dps`` (at least ``dps + 300``) working digits. A value that is rounding noise at
        every precision up to that cap (it shrinks as the precision rises) is returned as 0. A
        quantity defined by a quadrature (an ``Integral``) is evaluated once, at ``dps``
        digits, under the error control of mpmath's ``quad``.

    Raises
    ------
    ParameterError
        A parameter missing, unknown, not finite or outside its domain, a bad ``dps``, a value
        that is infinite at these parameters, or one whose digits do not settle below the
        precision cap (it names the point and the two disagreeing values).

    Examples
    --------
    >>> from numerics import evaluate
    >>> evaluate("ridge.optimal_lambda", gamma_t="0.5", sigma2="0.2")
    mpf('0.1')
    >>> evaluate("ridge.teacher_risk", lam_t=0, gamma_t=2, sigma2=1, dps=20)  # ridgeless limit
    mpf('1.5')
    >>> evaluate("mp.stieltjes", z="1+1j", gamma=2, dps=15)
    mpc(real='-0.1812248307705854', imag='0.52817343192463495')
    """
    if isinstance(dps, bool) or not isinstance(dps, (int, np.integer)) or not 1 <= dps <= MAX_DPS:
        raise ParameterError(f"dps must be an integer in [1, {MAX_DPS}] (raise the limit with "
                             f"W2S_MAX_DPS); got {dps!r}")
    plan = _plan(expr_or_name)
    if params and kwargs:
        twice = sorted(set(params) & set(kwargs))
        if twice:
            raise ParameterError(f"parameter {', '.join(twice)} given twice (in params and as a "
                                 f"keyword); give each once")
    names = plan.names
    given = {**params, **kwargs} if params and kwargs else (params or kwargs)
    # the usual values (decimal strings, integers, fractions inside their domains) as exact
    # (p, q) pairs, with no SymPy number built; anything else through check_params
    point = exact_rationals(given, plan.spec) if plan.fast else None
    if point is None:
        values = check_params(given, names)
        for relation in plan.valid:
            if relation.xreplace({declared: values[declared.name]
                                  for declared in relation.free_symbols}) is not sympy.true:
                raise ParameterError(_invalid(plan.label, relation, values))
        point = [(int(v.p), int(v.q)) if v.is_Rational else v for v in
                 (values[n] for n in names)]
    dps = int(dps)
    ctx = local_context(dps)[0]
    f = plan.functions.get(dps)
    if f is None:
        f = plan.compiled("mpmath", dps, threading.get_ident())
        if threading.current_thread() is threading.main_thread():
            plan.functions[dps] = f  # another thread compiles its own (its own context)

    def at(digits, g=f):
        prec = ctx.prec
        ctx.dps = digits
        try:
            value = g(*[_point_mpmath(ctx, v) for v in point])
            if type(value) is not ctx.mpf:
                value = ctx.convert(value)
        except ZeroDivisionError:
            value = ctx.inf
        finally:
            ctx.prec = prec
        if not ctx.isfinite(value):
            raise ParameterError(f"{plan.label} is not finite at {_where(names, point)}")
        return value

    if plan.integral:
        # a quadrature costs a power of the digits (a nested one at 2 dps: 25x); mpmath's quad
        # controls its own error, so these quantities are evaluated once, at dps digits
        return at(dps)
    calls = plan.calls
    if calls.get(dps, 0) > 0:
        # one evaluation confirmed by float64 (numerics.evaluate_confirm): at guard digits
        # sized by the float64 pass's error bound, else at the precision the ladder confirms
        # at first; where float64 disagrees, the ladder decides
        ladder = min(2 * (dps + GUARD_DIGITS) + GUARD_DIGITS,
                     max(SETTLE_FACTOR * dps, dps + SETTLE_MIN_EXTRA))
        sized = sized_digits(plan, point, dps, ladder)
        held = _held(plan, dps) if sized is not None else None
        if held is not None:
            high = at(sized[0], held)
            if agrees(ctx, high, sized[1]):
                return +high
        else:
            high = at(ladder)
            if confirmed_by_float(ctx, plan, high, point):
                return +high
    calls[dps] = calls.get(dps, 0) + 1
    return +_settled(ctx, at, dps, plan.label, lambda: _where(names, point))


def _held(plan, dps):
    """The mpmath function of ``plan``'s stable form with its sums held as its error bound
    describes them (:func:`numerics.evaluate_confirm.held_source`), for this thread; ``None``
    where it cannot be printed (the confirmation at the ladder's precision is used instead)."""
    key = ("held", dps)
    g = plan.functions.get(key)
    if g is None:
        try:
            g = plan.compiled("mpmath-held", dps, threading.get_ident())
        except Exception:  # a form the held printer cannot print
            g = False
        if threading.current_thread() is threading.main_thread():
            plan.functions[key] = g
    return g or None


def _point_mpmath(ctx, value):
    """A value of an evaluation point (an exact ``(p, q)`` pair or a SymPy number) in ``ctx``,
    rounded once to its precision."""
    if type(value) is tuple:
        return ctx.make_mpf(from_rational(value[0], value[1], ctx.prec, "n"))
    return _to_mpmath(ctx, value)


def _text(value) -> str:
    """A point's value as SymPy prints it (``1/20``, ``3``)."""
    if type(value) is tuple:
        return str(value[0]) if value[1] == 1 else f"{value[0]}/{value[1]}"
    return str(value)


class _Plan:
    """What :func:`evaluate` needs of a quantity or an expression, found once: its label, its
    expression, its parameter names, its validity relations, whether it holds a quadrature; and
    how many times it was evaluated at each precision (the float64 confirmation is compiled
    from the second time on: a one-shot ``w2s eval`` does not pay for it)."""

    __slots__ = ("label", "name", "_expr", "names", "spec", "fast", "valid", "integral",
                 "calls", "float_function", "float_held", "functions")

    def __init__(self, expr_or_name):
        if isinstance(expr_or_name, str):  # a quantity's expression is built only if needed
            q = get(expr_or_name)
            self.label, self._expr, names = q.name, None, [p.name for p in q.parameters]
            self.name, self.integral = q.name, _holds_integral(q)
        else:
            self.label, self._expr, names = resolve(expr_or_name)
            self.name, self.integral = None, self._expr.has(sympy.Integral)
        self.names = tuple(names)
        self.valid = _validity(expr_or_name)
        declared = parameters()  # get declared them (it loaded the owning mechanism)
        self.spec = rational_spec([declared[n] for n in self.names])
        # the point is checked without SymPy numbers unless a relation needs them (validity,
        # z off the support of the Marchenko-Pastur law)
        self.fast = not self.valid and not {"z", "gamma"} <= set(self.names)
        self.calls: dict[int, int] = {}
        self.float_function = self.float_held = None
        self.functions: dict = {}  # compiled at each precision, for the main thread


    @property
    def expr(self) -> sympy.Expr:
        """The expression (a registered quantity's is built on first use)."""
        if self._expr is None:
            self._expr = get(self.name).expr
        return self._expr

    def compiled(self, backend: str, dps: int | None, thread: int):
        if self.name is not None:
            return _compiled_quantity(self.name, self.names, backend, dps, thread)
        return _compiled(self._expr, self.names, backend, dps, thread)


def _holds_integral(q) -> bool:
    """Whether the quantity ``q`` is a quadrature (has an ``Integral``); for one not built yet,
    kept in the disk cache (keyed on the source of ``theory`` and of its mechanism)."""
    if not callable(q.build) or "expr" in q.__dict__:
        return q.expr.has(sympy.Integral)
    from theory import cache
    from theory.catalogue import owner

    modules = getattr(owner(q.name), "modules", ())
    return cache.cached("integral", q.name, lambda: q.expr.has(sympy.Integral),
                        depends_on=cache.theory_modules() + tuple(modules))


@lru_cache(maxsize=1024)
def _plan(expr_or_name) -> _Plan:
    return _Plan(expr_or_name)


def _where(names, point) -> str:
    return ", ".join(f"{n}={_text(v)}" for n, v in zip(names, point))


#: Guard digits of :func:`evaluate`'s first evaluation, and the largest working precision it
#: raises to (as a multiple of the requested digits, and at least ``dps + SETTLE_MIN_EXTRA``).
GUARD_DIGITS, SETTLE_FACTOR, SETTLE_MIN_EXTRA = 10, 8, 300


def _settled(ctx, at, dps: int, label: str, where):
    """The value of ``at(digits)`` correct to ``dps`` digits: evaluated at ``dps + 10`` and at a
    higher precision, and again at ever higher ones while the two disagree beyond ``dps`` digits
    (cancellation). At ``SETTLE_FACTOR * dps`` (at least ``dps + 300``) digits, a value whose
    magnitude fell as fast as the working precision rose is rounding noise around an exact 0
    (returned as 0); any other is a :class:`ParameterError`. The value returned is the more
    precise of the last two."""
    cap = max(SETTLE_FACTOR * dps, dps + SETTLE_MIN_EXTRA)
    low_digits = dps + GUARD_DIGITS
    low = at(low_digits)
    tolerance = ctx.ldexp(1, -int(dps * 3.3219280948873626) - 1)
    while True:
        high_digits = min(2 * low_digits + GUARD_DIGITS, cap)
        high = at(high_digits)
        with ctx.workdps(high_digits):
            if high == low or abs(high - low) <= tolerance * abs(high):
                return high
        if high_digits >= cap:
            # rounding noise shrinks with the precision: a value that fell at least as fast
            # as the working digits rose, to below 10^-cap of the terms, is 0 at every precision
            if abs(high) <= abs(low) * ctx.mpf(10) ** (GUARD_DIGITS - (high_digits - low_digits)):
                return ctx.zero
            raise ParameterError(
                f"{label} at {where()}: the value does not settle to {dps} digits (it is "
                f"{ctx.nstr(low, 8)} at {low_digits} working digits and {ctx.nstr(high, 8)} at "
                f"{high_digits}): its terms cancel beyond the working precision (the value may be "
                f"exactly 0); ask fewer digits, or a point away from the cancellation")
        low, low_digits = high, high_digits


def _validity(expr_or_name) -> tuple:
    """The relations where a registered quantity is defined (``Quantity.valid``), or ``()``."""
    return get(expr_or_name).valid if isinstance(expr_or_name, str) else ()


def _invalid(label, relation, values) -> str:
    used = sorted(s.name for s in relation.free_symbols)
    got = ", ".join(f"{n} = {values[n]}" for n in used)
    return f"{label} is defined only where {relation}; got {got}"


def _to_mpmath(ctx, value):
    """:func:`to_mpmath` in one rounding (``from_rational``) for a rational, the common case."""
    if value.is_Rational:
        return ctx.make_mpf(from_rational(int(value.p), int(value.q), ctx.prec, "n"))
    return to_mpmath(ctx, value)


def to_mpmath(ctx, value: sympy.Expr):
    """An exact SymPy number (rational or complex rational) as a number of ``ctx``.

    Examples
    --------
    >>> from sympy import Rational
    >>> from numerics.evaluate import local_context, to_mpmath
    >>> to_mpmath(local_context(20)[0], Rational(1, 3))
    mpf('0.33333333333333333333')
    """
    if value.is_Rational:
        return ctx.mpf(value.p) / value.q
    re, im = value.as_real_imag()
    return ctx.mpc(to_mpmath(ctx, re), to_mpmath(ctx, im))


def evaluate_at(expr: sympy.Expr, point, dps: int = 50):
    """:func:`evaluate` of ``expr`` at a point that may also hold other parameters.

    ``evaluate`` rejects unknown parameters; a point of a claim's region holds every parameter of
    the claim, of which an expression (a bound, a condition) may use only some.

    Examples
    --------
    >>> from theory.symbols import gamma_t, r2, sigma2
    >>> evaluate_at(sigma2 * gamma_t / r2, {"sigma2": 1, "gamma_t": "0.5", "r2": 1, "lam_s": 3},
    ...             dps=10)
    mpf('0.5')
    """
    used = {s.name for s in expr.free_symbols}
    return evaluate(expr, {k: v for k, v in point.items() if k in used}, dps=dps)


class Compiled:
    """An expression compiled once, for repeated mpmath evaluation at exact points.

    The routes evaluate one margin at thousands of points: :class:`Compiled` resolves the
    expression, its parameter order and its stable form once, and a call converts the point's
    exact values (``fractions.Fraction``, ``int`` or ``float``, taken at its exact binary value)
    straight to mpmath numbers, with no parsing or domain checks. The points must already be
    valid (a claim's strategies build them inside the domains); parameters with a default
    (``r2 = 1``) may be left out; other keys of the point are ignored.

    Parameters
    ----------
    expr_or_name : str or sympy.Expr

    Examples
    --------
    >>> from fractions import Fraction
    >>> from numerics.evaluate import Compiled
    >>> f = Compiled("ridge.optimal_lambda")
    >>> f.names
    ('gamma_t', 'sigma2', 'r2')
    >>> f({"gamma_t": Fraction(1, 2), "sigma2": Fraction(1, 5), "lam_s": 3}, dps=20)
    mpf('0.1')
    """

    def __init__(self, expr_or_name):
        self.label, self.expr, names = resolve(expr_or_name)
        self.name = expr_or_name if isinstance(expr_or_name, str) else None
        self.names = tuple(names)
        declared = parameters()
        self.defaults = {n: Fraction(int(declared[n].default.p), int(declared[n].default.q))
                         for n in self.names if declared[n].default is not None}
        self._functions: dict = {}

    def __call__(self, point, dps: int = 30):
        """The value at ``point`` (a mapping of exact values) with ``dps`` digits.

        Raises
        ------
        ParameterError
            When the value is not finite there.
        """
        key = (dps, threading.get_ident())
        compiled = self._functions.get(key)
        if compiled is None:
            compiled = self._functions[key] = (
                _compiled(self.expr, self.names, "mpmath", dps, key[1], self.name),
                local_context(dps)[0])
        f, ctx = compiled
        prec, make, defaults = ctx.prec, ctx.make_mpf, self.defaults
        args = []
        for n in self.names:
            v = point[n] if n in point else defaults[n]
            if isinstance(v, Fraction):
                # p/q rounded once to the context's precision (as mpf(p)/q, at a third of the
                # cost); an integer (a range's end, a default) without the division
                q = v.denominator
                args.append(make(from_int(v.numerator, prec, "n") if q == 1
                                 else from_rational(v.numerator, q, prec, "n")))
            else:
                args.append(ctx.mpf(v))
        try:
            result = f(*args)
        except ZeroDivisionError:
            result = ctx.inf
        if type(result) is not ctx.mpf:
            result = ctx.convert(result)  # a Piecewise branch may return a plain number
        if not ctx.isfinite(result):
            raise ParameterError(f"{self.label} is not finite at "
                                 + ", ".join(f"{n}={point.get(n, self.defaults.get(n))}"
                                             for n in self.names))
        return result

    def estimate(self, point) -> float | None:
        """A float64 value at ``point`` (the same stable form, in Python floats: about a
        microsecond), or ``None`` where float64 gives no finite real value.

        The sampled route uses it as the low-precision value of its error estimate: a margin
        whose ``dps``-digit value is far from zero compared with its distance to this one is
        decided by one high-precision evaluation.

        Examples
        --------
        >>> from fractions import Fraction
        >>> from numerics.evaluate import Compiled
        >>> Compiled("ridge.optimal_lambda").estimate({"gamma_t": Fraction(1, 2),
        ...                                            "sigma2": Fraction(1, 5)})
        0.1
        """
        f = self._functions.get("float")
        if f is None:
            f = self._functions["float"] = _compiled(self.expr, self.names, "float", None, 0,
                                                     self.name)
        try:
            value = f(*(float(point[n] if n in point else self.defaults[n])
                        for n in self.names))
        except (ArithmeticError, ValueError, TypeError, AttributeError):
            return None  # overflow, 0/0, a complex intermediate, no float version: no estimate
        if not isinstance(value, (float, int)) or not math.isfinite(value):
            return None
        return float(value)


def vectorize(expr_or_name):
    """A float64 NumPy function of the quantity, with keyword arguments by parameter name.

    The arguments broadcast against each other; missing parameters with a default take it;
    values are checked (finite, in the domain, ``z`` off the support) and a bad one raises
    :class:`~numerics.validation.ParameterError`. The result never holds a silent NaN or a
    wrong finite value:

    * every point is first computed in float64 from the stable form, accurate to about
      ``1e-10`` relative over the whole domain (``lam = 0`` and ``gamma`` within ``1e-12`` of 1
      included; the test suite sweeps it and reports the figure);
    * a point whose float64 evaluation raises any floating-point exception (an overflow for
      ``lam`` beyond about ``1e100``, an underflow, a ``0/0``) is recomputed with
      :func:`evaluate` at 30 digits and rounded to float64, so values up to the float64
      maximum are accurate;
    * where the quantity is infinite or undefined (the ridgeless teacher at ``gamma_t = 1``) or
      its value exceeds the float64 range, :class:`~numerics.validation.ParameterError` names
      the point and the reason. No +inf is returned: like :func:`evaluate`, the float64 path
      does not give a value where the formula has none.

    Parameters
    ----------
    expr_or_name : str or sympy.Expr

    Returns
    -------
    callable
        ``f(**arrays) -> numpy.ndarray``, with attribute ``parameters`` (names, in order).

    Examples
    --------
    >>> import numpy as np
    >>> from numerics import vectorize
    >>> u = vectorize("mp.shrinkage_u")
    >>> u.parameters
    ('lam', 'gamma')
    >>> u(lam=np.array([0.0, 1.0, 1e6]), gamma=2.0).round(6)
    array([0.5     , 0.707107, 0.999999])
    >>> vectorize("ridge.teacher_bias")(lam_t=1e300, gamma_t=1.0)  # kappa^2 overflows: recomputed
    array(1.)
    >>> vectorize("ridge.teacher_risk")(lam_t=[0.0, 0.0], gamma_t=[0.5, 1.0], sigma2=1.0)
    Traceback (most recent call last):
    ...
    numerics.validation.ParameterError: ridge.teacher_risk is not finite at lam_t=0.0, gamma_t=1.0, sigma2=1.0, r2=1.0 (element 1)
    """
    label, expr, names = resolve(expr_or_name)
    f, checked = _compiled(expr, tuple(names), "numpy", None, 0)
    checks = [(relation, sympy.lambdify([parameters()[n] for n in names], relation, "numpy"))
              for relation in _validity(expr_or_name)]

    def vectorized(**arrays):
        values = check_arrays(arrays, names)
        args = [values[n] for n in names]
        shape = np.broadcast_shapes(*(np.shape(a) for a in args))
        for relation, holds in checks:
            ok = np.broadcast_to(holds(*args), shape)
            if not ok.all():
                index = int(np.flatnonzero(~ok.ravel())[0])
                point = {n: np.broadcast_to(a, shape).ravel()[index] for n, a in zip(names, args)}
                raise ParameterError(_invalid(label, relation, point) + f" (element {index})")
        if shape == ():  # NumPy's select (a Piecewise) wants arrays, not 0-d values
            return vectorized(**{n: np.reshape(v, (1,)) for n, v in values.items()}).reshape(())
        if f is None:  # a quadrature: every point through the high-precision path
            flat = [np.broadcast_to(a, shape).ravel() for a in args]
            out = np.array([_recompute(expr, names, label, [a[i] for a in flat], i)
                            for i in range(flat[0].size if flat else 1)])
            return out.reshape(shape)
        try:
            with np.errstate(all="raise"):
                out = f(*args)
        except _FLOAT_EXCEPTIONS:
            out = None  # some point needs the high-precision path (outside this handler)
        if out is not None and checked:
            out, bound = out
            if not np.max(bound) * UNIT <= TOLERANCE:  # a NaN bound fails this too
                out = None  # a cancellation the stable form did not remove, at some point
        if out is None:
            flat = [np.broadcast_to(a, shape).ravel() for a in args]
            return _guarded(f, checked, flat, names, label, expr).reshape(shape)
        return np.broadcast_to(out, shape).copy() if np.shape(out) != shape else out

    vectorized.__name__ = label
    vectorized.__doc__ = f"float64 evaluation of {label}; parameters: {', '.join(names)}"
    vectorized.parameters = tuple(names)
    return vectorized


#: Digits of the recomputation of a point whose float64 evaluation raised an exception.
_FALLBACK_DPS = 30
#: NumPy's exceptions under ``errstate(all="raise")``, Python's own for float scalars (a
#: parameter's default is a Python float), and a primitive's refusal at one point (NumPy
#: evaluates every branch of a ``Piecewise``, also where it is not taken): the points are then
#: found by bisection and computed one by one.
_FLOAT_EXCEPTIONS = (FloatingPointError, ZeroDivisionError, OverflowError, ParameterError)


def _guarded(f, checked, flat, names, label, expr):
    """Evaluate ``f`` on the flat arrays; points that raise a floating-point exception (found by
    bisection) or whose error bound exceeds the tolerance are recomputed by :func:`evaluate`,
    and a non-finite value raises."""
    pieces, flagged = [], []

    def run(lo, hi):
        try:
            with np.errstate(all="raise"):
                out = f(*(a[lo:hi] for a in flat))
        except _FLOAT_EXCEPTIONS:
            if hi - lo == 1:
                flagged.append(lo)
            else:
                mid = (lo + hi) // 2
                run(lo, mid)
                run(mid, hi)
            return
        if checked:
            out, bound = out
            loose = ~(np.broadcast_to(bound, (hi - lo,)) * UNIT <= TOLERANCE)
            flagged.extend(lo + np.flatnonzero(loose))
        pieces.append((lo, np.broadcast_to(out, (hi - lo,))))

    run(0, len(flat[0]))
    exact = {int(i): _recompute(expr, names, label, [a[i] for a in flat], int(i))
             for i in flagged}
    kinds = [p.dtype for _, p in pieces] + [np.asarray(v).dtype for v in exact.values()]
    out = np.empty(len(flat[0]), dtype=np.result_type(*kinds))
    for lo, piece in pieces:
        out[lo:lo + len(piece)] = piece
    for i, value in exact.items():
        out[i] = value
    return out


def _recompute(expr, names, label, point, index):
    at = ", ".join(f"{n}={v.item()!r}" for n, v in zip(names, point))
    try:
        value = evaluate(expr, {n: exact_scalar(v) for n, v in zip(names, point)},
                         dps=_FALLBACK_DPS)
    except ParameterError:
        raise ParameterError(f"{label} is not finite at {at} (element {index})") from None
    complex_input = any(np.iscomplexobj(v) for v in point)
    if hasattr(value, "_mpc_") and not complex_input:
        if value.imag != 0:
            raise ParameterError(f"{label} is not real at {at} (element {index})")
        value = value.real
    with np.errstate(over="ignore"):
        number = complex(value) if complex_input else float(value)
    if not np.isfinite(number):
        raise ParameterError(f"{label} at {at} (element {index}) is {mpmath.nstr(value, 6)}, "
                             f"beyond the float64 range; use numerics.evaluate")
    return number
