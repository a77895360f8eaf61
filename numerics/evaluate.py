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

__all__ = ["evaluate", "vectorize", "resolve", "MAX_DPS"]

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


def _context(dps: int):
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
    if backend == "numpy":
        return sympy.lambdify(args, form, modules=[NUMPY_NAMESPACE, "numpy"], cse=True)
    _, namespace = _context(dps)
    return sympy.lambdify(args, form, modules=[namespace, "mpmath"], cse=True)


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
    ctx, _ = _context(int(dps))
    f = _compiled(expr, tuple(names), "mpmath", int(dps), threading.get_ident())
    args = [_to_mp(ctx, values[n]) for n in names]
    try:
        result = f(*args)
    except ZeroDivisionError:
        result = ctx.inf
    if isinstance(result, (int, float)) or isinstance(result, sympy.Basic):
        result = ctx.mpf(result) if not isinstance(result, sympy.Basic) else ctx.mpf(
            sympy.Float(result, dps))
    if not ctx.isfinite(result):
        at = ", ".join(f"{n}={values[n]}" for n in names)
        raise ParameterError(f"{label} is not finite at {at}")
    return result


def _to_mp(ctx, value: sympy.Expr):
    if value.is_Rational:
        return ctx.mpf(value.p) / value.q
    re, im = value.as_real_imag()
    return ctx.mpc(_to_mp(ctx, re), _to_mp(ctx, im))


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
