"""The evaluators' namespaces: the numeric implementations of every mechanism's SymPy functions.

Each mechanism whose quantities use a SymPy function of its own (the Marchenko-Pastur
primitives, the roots that define a basin boundary) names its implementations in its
description (facet ``functions``: a :class:`numerics.primitives.Implementations`). The
evaluators (:mod:`numerics.evaluate`, :mod:`numerics.intervals`) take them from here, merged
over the catalogue, so no evaluator names a mechanism.

Examples
--------
>>> import mpmath
>>> from numerics.namespaces import mpmath_functions, numpy_functions
>>> ctx = mpmath.MPContext(); ctx.dps = 20
>>> mpmath_functions(ctx)["KappaDenominator"](ctx.mpf(1), ctx.mpf(2))
mpf('2.0')
>>> "SGDBasinBoundary" in numpy_functions()
True
"""

from __future__ import annotations

from functools import lru_cache

from numerics.primitives import Implementations

__all__ = ["implementations", "mpmath_functions", "numpy_functions", "interval_functions"]


@lru_cache(maxsize=1)
def implementations() -> tuple[Implementations, ...]:
    """The implementations named by the catalogue's mechanisms, in catalogue order."""
    from theory.catalogue import catalogue

    found = []
    for m in catalogue().values():
        facet = m.facet("functions")
        if facet is None:
            continue
        if not isinstance(facet, Implementations):
            raise TypeError(f"mechanism {m.name}: its functions facet {m.functions!r} is a "
                            f"{type(facet).__name__}, not numerics.primitives.Implementations")
        found.append(facet)
    return tuple(found)


def mpmath_functions(ctx) -> dict:
    """Every mechanism's functions bound to the mpmath context ``ctx``, by SymPy function name."""
    out = {}
    for impl in implementations():
        out.update(impl.mpmath(ctx))
    return out


@lru_cache(maxsize=1)
def numpy_functions() -> dict:
    """Every mechanism's float64 vectorised functions, by SymPy function name."""
    out = {}
    for impl in implementations():
        out.update(impl.numpy)
    return out


@lru_cache(maxsize=1)
def interval_functions() -> dict:
    """Every mechanism's interval enclosures ``{name: f(arith, *args)}`` (the optional
    ``interval`` member of its :class:`~numerics.primitives.Implementations`).

    Examples
    --------
    >>> from numerics.namespaces import interval_functions
    >>> "SGDStablePoint" in interval_functions()
    True
    """
    from theory.mechanism import resolve

    out = {}
    for impl in implementations():
        if impl.interval is not None:
            out.update(resolve(impl.interval)())
    return out
