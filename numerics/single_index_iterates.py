"""Evaluators of the dynamics quantities of :mod:`theory.single_index_dynamics`.

``GDOverlap`` and ``GDTargetOverlap`` iterate the exact reduced GD map
(:func:`theory.single_index.gd_map`, compiled once per mpmath context, or once for float64)
``floor(t)`` times; ``EscapeTime`` integrates ``1/(G(q)(1 - q^2))`` from ``q0`` to ``q1`` with
mpmath's tanh-sinh quadrature (``+inf`` when ``G`` vanishes inside: the flow never gets there).

Examples
--------
>>> import sympy
>>> from numerics import evaluate
>>> from theory.single_index_dynamics import GDTargetOverlap
>>> from theory.single_index import risk, m
>>> args = ("10", "0.1", "0.3137116510431", "0.3485685011590", "0.9", 0, 0, 1, 0, "0.5", 0, 1, 0)
>>> m10 = GDTargetOverlap(*[sympy.Rational(a) for a in args])
>>> float(evaluate(risk.subs(m, m10), {"c3": 1}, dps=15))
0.5363185723...
"""

from __future__ import annotations

import math
import weakref

import mpmath
import numpy as np
import sympy

from numerics.validation import ParameterError

__all__ = ["mpmath_functions", "NUMPY_FUNCTIONS", "MAX_STEPS"]

#: Most steps an iterate is evaluated at (``t`` beyond it is refused).
MAX_STEPS = 10**5

_COMPILED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_FLOAT = {}


def _symbols():
    from theory import single_index as si
    from theory.spectral import rho_w

    return si, [si.q, si.m, si.eta, rho_w, *si.c, *si.b]


def _map(ctx):
    """The GD map and ``G`` compiled for ``ctx`` (``None``: float64 with :mod:`math`)."""
    key = "float" if ctx is None else ctx
    store = _FLOAT if ctx is None else _COMPILED
    found = store.get(key)
    if found is None:
        si, args = _symbols()
        if ctx is None:
            modules = "math"
        else:
            modules = [{n: getattr(ctx, n) for n in dir(mpmath)
                        if not n.startswith("_") and hasattr(ctx, n)}, "mpmath"]
        step = sympy.lambdify(args, list(si.gd_map()), modules=modules)
        slope = sympy.lambdify([si.q, *si.c, *si.b], si.weak_slope, modules=modules)
        found = store[key] = (step, slope)
    return found


def _steps(t):
    if not t >= 0 or t > MAX_STEPS:
        raise ParameterError(f"t must be a number of steps in [0, {MAX_STEPS}]; got t = {t}")
    return int(math.floor(float(t)))


def _iterate(ctx, t, eta, q0, m0, rho_w, *links):
    step, _ = _map(ctx)
    q, m = q0, m0
    for _ in range(_steps(t)):
        q, m = step(q, m, eta, rho_w, *links)
    return q, m


def _escape(ctx, q0, q1, *links):
    _, slope = _map(ctx)
    if not 0 < q0 <= q1 < 1:
        raise ParameterError(f"the escape time needs 0 < q0 <= q1 < 1; got q0 = {q0}, q1 = {q1}")
    f = lambda x: 1 / (slope(x, *links) * (1 - x * x))  # noqa: E731
    for x in (q0, q1):
        if not slope(x, *links) > 0:
            return ctx.inf
    return ctx.quad(f, [q0, (q0 + q1) / 2, q1])


def mpmath_functions(ctx) -> dict:
    """The evaluators bound to ``ctx``.

    Examples
    --------
    >>> import mpmath
    >>> from numerics.single_index_iterates import mpmath_functions
    >>> sorted(mpmath_functions(mpmath.MPContext()))
    ['EscapeTime', 'GDOverlap', 'GDTargetOverlap']
    """

    def conv(args):
        return [ctx.convert(a) for a in args]

    return {"GDOverlap": lambda *a: _iterate(ctx, *conv(a))[0],
            "GDTargetOverlap": lambda *a: _iterate(ctx, *conv(a))[1],
            "EscapeTime": lambda *a: _escape(ctx, *conv(a))}


def _float_iterate(index):
    def f(*args):
        return _iterate(None, *(float(a) for a in args))[index]
    return np.vectorize(f, otypes=[float])


def _float_escape(*args):
    ctx = mpmath.MPContext()
    ctx.dps = 17
    return float(_escape(ctx, *(ctx.mpf(float(a)) for a in args)))


#: float64 versions (the iteration in Python floats; the quadrature at 17 digits).
NUMPY_FUNCTIONS = {"GDOverlap": _float_iterate(0), "GDTargetOverlap": _float_iterate(1),
                   "EscapeTime": np.vectorize(_float_escape, otypes=[float])}
