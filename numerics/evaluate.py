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

import threading
from functools import lru_cache

import mpmath
import numpy as np
import sympy

from numerics.primitives import NUMPY_NAMESPACE, mpmath_namespace
from numerics.stable import stable_form
from numerics.validation import ParameterError, check_arrays, check_params
from theory.registry import get
from theory.symbols import parameters

__all__ = ["evaluate", "evaluate_at", "vectorize", "resolve", "local_context", "to_mpmath",
           "MAX_DPS"]

#: Largest precision :func:`evaluate` accepts (decimal digits).
MAX_DPS = 10_000

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
        namespace.update(mpmath_namespace(ctx))
        cache[dps] = (ctx, namespace)
    return cache[dps]


@lru_cache(maxsize=512)
def _compiled(expr: sympy.Expr, names: tuple[str, ...], backend: str, dps: int | None,
              thread: int):
    declared = parameters()
    args = [declared[n] for n in names]
    form = stable_form(expr)
    cse = not form.has(sympy.Integral)  # cse would hoist an integrand out of its quadrature
    if backend == "numpy":
        return sympy.lambdify(args, form, modules=[NUMPY_NAMESPACE, "numpy"], cse=cse)
    _, namespace = local_context(dps)
    return sympy.lambdify(args, form, modules=[namespace, "mpmath"], cse=cse)


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
        Carries ``dps`` digits (its context is private to this thread and precision).

    Raises
    ------
    ParameterError
        A parameter missing, unknown, not finite or outside its domain, a bad ``dps``, or a
        value that is infinite at these parameters.

    Examples
    --------
    >>> from numerics import evaluate
    >>> evaluate("ridge.optimal_lambda", gamma_t="0.5", sigma2="0.2")
    mpf('0.1')
    >>> evaluate("ridge.teacher_risk", lam_t=0, gamma_t=2, sigma2=1, dps=20)  # ridgeless limit
    mpf('1.5')
    >>> evaluate("mp.stieltjes", z="1+1j", gamma=2, dps=15)
    mpc(real='-0.18122483077058543', imag='0.52817343192463495')
    """
    if isinstance(dps, bool) or not isinstance(dps, (int, np.integer)) or not 1 <= dps <= MAX_DPS:
        raise ParameterError(f"dps must be an integer in [1, {MAX_DPS}]; got {dps!r}")
    label, expr, names = resolve(expr_or_name)
    values = check_params({**(params or {}), **kwargs}, names)
    ctx, _ = local_context(int(dps))
    f = _compiled(expr, tuple(names), "mpmath", int(dps), threading.get_ident())
    args = [to_mpmath(ctx, values[n]) for n in names]
    try:
        result = f(*args)
    except ZeroDivisionError:
        result = ctx.inf
    result = ctx.convert(result)  # a Piecewise branch may return a plain 0
    if not ctx.isfinite(result):
        at = ", ".join(f"{n}={values[n]}" for n in names)
        raise ParameterError(f"{label} is not finite at {at}")
    return result


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


def vectorize(expr_or_name):
    """A float64 NumPy function of the quantity, with keyword arguments by parameter name.

    The arguments broadcast against each other; missing parameters with a default take it;
    values are checked (finite, in the domain) and a bad one raises
    :class:`~numerics.validation.ParameterError`. Accurate to about ``1e-10`` relative over
    ``lam`` in ``[0, 1e6]`` and ``gamma`` in ``[1e-4, 1e4]`` (see the test suite).

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
    """
    label, expr, names = resolve(expr_or_name)
    f = _compiled(expr, tuple(names), "numpy", None, 0)

    def vectorized(**arrays):
        values = check_arrays(arrays, names)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = f(*(values[n] for n in names))
        shape = np.broadcast_shapes(*(np.shape(values[n]) for n in names))
        return np.broadcast_to(out, shape).copy() if np.shape(out) != shape else out

    vectorized.__name__ = label
    vectorized.__doc__ = f"float64 evaluation of {label}; parameters: {', '.join(names)}"
    vectorized.parameters = tuple(names)
    return vectorized
