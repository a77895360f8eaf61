"""Numeric implementations of the chain mechanism's level functionals (mpmath and float64).

:mod:`theory.chain` keeps one level's Marchenko-Pastur functionals opaque (``ChainU``,
``ChainV``, ``ChainW``, ``ChainQ`` of ``(lam, gamma)``), so that a chain's risk stays short.
They are evaluated here through the effective regularisation ``kappa = kappa_gamma(lam)`` and
``D = (1 + kappa)^2 - gamma`` (the primitives' own implementations), in forms without
cancellation::

    u = kappa/(1 + kappa),   v = kappa^2/D,   w = 1/D,
    q = 1 - 2u + v = ((1 - gamma) + kappa (1 + gamma)) / ((1 + kappa) D)

(the last numerator is at least ``gamma (gamma - 1) > 0`` when ``gamma > 1``, as
``kappa >= gamma - 1``). The tests check each against the MP primitives' definitions.

Examples
--------
>>> import mpmath
>>> from numerics.chain_functions import FUNCTIONS
>>> ctx = mpmath.MPContext(); ctx.dps = 20
>>> FUNCTIONS.mpmath(ctx)["ChainQ"](ctx.mpf(0), ctx.mpf(2))     # min-norm: q = 1/gamma
mpf('0.5')
"""

from __future__ import annotations

import numpy as np

from numerics.primitives import NUMPY_NAMESPACE, Implementations, mpmath_namespace

__all__ = ["FUNCTIONS", "mpmath_functions", "NUMPY_FUNCTIONS"]


def _forms(kappa, denominator):
    def u(lam, gamma):
        k = kappa(lam, gamma)
        return k / (1 + k)

    def v(lam, gamma):
        k = kappa(lam, gamma)
        return k * k / denominator(k, gamma)

    def w(lam, gamma):
        return 1 / denominator(kappa(lam, gamma), gamma)

    def q(lam, gamma):
        k = kappa(lam, gamma)
        return ((1 - gamma) + k * (1 + gamma)) / ((1 + k) * denominator(k, gamma))

    return {"ChainU": u, "ChainV": v, "ChainW": w, "ChainQ": q}


def mpmath_functions(ctx) -> dict:
    """The level functionals bound to the mpmath context ``ctx``.

    Examples
    --------
    >>> import mpmath
    >>> from numerics.chain_functions import mpmath_functions
    >>> ctx = mpmath.MPContext(); ctx.dps = 15
    >>> mpmath_functions(ctx)["ChainU"](ctx.mpf(1), ctx.mpf("1e-30"))   # population: lam/(1+lam)
    mpf('0.5')
    """
    base = mpmath_namespace(ctx)
    kappa, denominator = base["EffectiveRegularization"], base["KappaDenominator"]

    def converted(f):
        return lambda lam, gamma: f(ctx.convert(lam), ctx.convert(gamma))

    return {name: converted(f) for name, f in _forms(kappa, denominator).items()}


def _np(f):
    def g(lam, gamma):
        return f(np.asarray(lam, dtype=float), np.asarray(gamma, dtype=float))
    return g


#: Float64 vectorised versions.
NUMPY_FUNCTIONS = {name: _np(f) for name, f in
                   _forms(NUMPY_NAMESPACE["EffectiveRegularization"],
                          NUMPY_NAMESPACE["KappaDenominator"]).items()}

#: The chain mechanism's ``functions`` facet.
#: (:mod:`numerics.chain_enclosures` encloses the level functionals, but is not named here: over
#: the chain claims' 16-parameter boxes the branch and bound spent 9 to 10 minutes per claim at the
#: default budget and decided no box, which would triple the certified route's run time.)
FUNCTIONS = Implementations(mpmath=mpmath_functions, numpy=NUMPY_FUNCTIONS)
