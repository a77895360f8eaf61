"""Numerical implementations of the primitives, each stable on both sides of ``1 - gamma + lam = 0``.

Two number systems share each algorithm: :func:`mpmath_namespace` binds them to a given mpmath
context (never the global one), :data:`NUMPY_NAMESPACE` gives the float64 vectorised versions.
These are the only places where the Marchenko–Pastur law is turned into numbers; every quantity
reaches them through :mod:`numerics.stable`.

* ``kappa``: ``b = (gamma - 1) + lam`` (``gamma - 1`` first, so a tiny ``lam`` is not lost near
  ``gamma = 1``), ``r = sqrt(b^2 + 4 lam)``; ``(b + r)/2`` when ``b >= 0``, ``2 lam/(r - b)`` when
  ``b < 0`` (no cancellation on either side; ``lam = 0`` gives ``max(gamma - 1, 0)``). In float64
  ``r = hypot(b, 2 sqrt(lam))`` where ``|b|`` is beyond ``1e150`` or below ``1e-150`` (elsewhere
  ``sqrt(b^2 + 4 lam)``, four times faster) and ``b/2 + r/2``, so no intermediate overflows:
  ``kappa`` is accurate for every ``lam`` up to the float64 maximum.
* ``D = (1 + kappa)^2 - gamma``, computed as ``(1 - gamma) + kappa (2 + kappa)`` (for
  ``gamma > 1``, ``kappa >= gamma - 1`` bounds the cancellation by a factor 2).
* ``m(z)`` for ``z`` off the support: ``[(1-gamma-z) + S] / (2 gamma z)`` with
  ``S = sqrt(z-a) sqrt(z-b)``, or equivalently ``2 / ((1-gamma-z) - S)``; the form whose sum does not
  cancel is used. For real ``z`` the arithmetic is real: ``S = -sqrt((1-gamma-z)^2 + 4 gamma |z|)``
  on ``z < 0`` (a sum of squares) and ``+-sqrt((z-a)(z-b))`` elsewhere, with
  ``a = ((gamma-1)/(1+sqrt(gamma)))^2`` accurate near ``gamma = 1``.
* ``m' = -m (1 + gamma m) / S``: the closed form in ``m``, whose denominator
  ``(1 - gamma - z) - 2 gamma z m`` equals ``-S`` exactly (no cancellation).

The float64 versions compute each branch only where it is taken (no division by zero or invalid
operation in a discarded branch), so :func:`numerics.vectorize` can treat any floating-point
exception as a sign that a point needs the high-precision path.

Examples
--------
>>> import mpmath
>>> from numerics.primitives import mpmath_namespace
>>> ctx = mpmath.MPContext(); ctx.dps = 30
>>> ns = mpmath_namespace(ctx)
>>> ns["EffectiveRegularization"](ctx.mpf(0), ctx.mpf(3))
mpf('2.0')
>>> ns["StieltjesMP"](ctx.mpf(-0.5), ctx.mpf(0.5))   # 2 (sqrt 2 - 1)
mpf('0.828427124746190097603377448419411')
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

__all__ = ["mpmath_namespace", "NUMPY_NAMESPACE", "Implementations", "FUNCTIONS"]


def mpmath_namespace(ctx) -> dict:
    """Implementations of the primitives bound to the mpmath context ``ctx``.

    Examples
    --------
    >>> import mpmath
    >>> from numerics.primitives import mpmath_namespace
    >>> ctx = mpmath.MPContext(); ctx.dps = 20
    >>> mpmath_namespace(ctx)["KappaDenominator"](ctx.mpf(1), ctx.mpf(2))
    mpf('2.0')
    """

    def kappa(lam, gamma):
        b = (gamma - 1) + lam
        r = ctx.sqrt(b * b + 4 * lam)
        return (b + r) / 2 if b >= 0 else 2 * lam / (r - b)

    def denominator(kappa, gamma):
        return (1 - gamma) + kappa * (2 + kappa)

    def stieltjes_and_root(z, gamma):
        c = (1 - gamma) - z
        if ctx.im(z) == 0:  # real z off the support: real arithmetic, S of the right sign
            x, c = ctx.re(z), ctx.re(c)
            if x < 0:
                s = -ctx.sqrt(c * c + 4 * gamma * (-x))
            else:
                root = 1 + ctx.sqrt(gamma)
                a, b = ((gamma - 1) / root) ** 2, root**2
                s = ctx.sqrt((x - a) * (x - b)) * (1 if x > b else -1)
            if c * s <= 0:
                return 2 / (c - s), s
            return (c + s) / (2 * gamma * x), s
        a, b = (1 - ctx.sqrt(gamma)) ** 2, (1 + ctx.sqrt(gamma)) ** 2
        s = ctx.sqrt(z - a) * ctx.sqrt(z - b)
        if abs(c - s) >= abs(c + s):
            return 2 / (c - s), s
        return (c + s) / (2 * gamma * z), s

    def stieltjes(z, gamma):
        return stieltjes_and_root(z, gamma)[0]

    def stieltjes_derivative(z, gamma):
        m, s = stieltjes_and_root(z, gamma)
        return -m * (1 + gamma * m) / s

    def psi(c):
        if c == 0:
            return ctx.zero
        x = 1 / ctx.sqrt(2 * c)
        # 1 - sqrt(pi) x erfcx(x) cancels like c as c -> 0: add the lost digits locally
        extra = 10 + max(0, int(-ctx.log10(c))) if c < 1 else 10
        with ctx.extradps(extra):
            x = 1 / ctx.sqrt(2 * ctx.mpf(c))
            value = 1 - ctx.sqrt(ctx.pi) * x * ctx.erfc(x) * ctx.exp(x * x)
        return +value

    return {
        "Psi": psi,
        "EffectiveRegularization": kappa,
        "KappaDenominator": denominator,
        "StieltjesMP": stieltjes,
        "StieltjesMPDerivative": stieltjes_derivative,
    }


def _np_kappa(lam, gamma):
    lam, gamma = np.asarray(lam, float), np.asarray(gamma, float)
    shape = np.broadcast_shapes(lam.shape, gamma.shape)
    lam, gamma = np.atleast_1d(lam), np.atleast_1d(gamma)  # arrays, so that out= works
    b = (gamma - 1.0) + lam
    with np.errstate(over="ignore", under="ignore"):  # only where |b| is outside 1e-150..1e150
        r = b * b
        r += 4.0 * lam
        np.sqrt(r, out=r)
    extreme = np.abs(b) > 1e150
    extreme |= np.abs(b) < 1e-150
    if extreme.any():  # hypot (4x slower) only where b^2 could overflow or underflow
        r = np.where(extreme, np.hypot(b, 2.0 * np.sqrt(lam)), r)
    # b >= 0: b/2 + r/2; b < 0: 2 lam/(r - b), r - b > 0 (no cancellation on either side); in
    # place, since a temporary array costs as much as the arithmetic
    below = b < 0
    gap = np.subtract(r, b) if below.any() else None
    kappa = np.multiply(b, 0.5)
    r *= 0.5
    kappa += r
    if gap is not None:
        np.divide(2.0 * lam, gap, out=kappa, where=below)
    return kappa.reshape(shape)


def _np_denominator(kappa, gamma):
    return (1.0 - gamma) + kappa * (2.0 + kappa)


def _np_stieltjes_and_root(z, gamma):
    z, g = np.asarray(z), np.asarray(gamma, float)
    if z.dtype.kind == "c":
        a, b = (1.0 - np.sqrt(g)) ** 2, (1.0 + np.sqrt(g)) ** 2
        c = (1.0 - g) - z
        s = np.sqrt(z - a) * np.sqrt(z - b)
        first = np.abs(c - s) >= np.abs(c + s)
    else:  # real z off the support: real arithmetic, S of the right sign
        x = z.astype(float)
        c = (1.0 - g) - x
        root = 1.0 + np.sqrt(g)
        a, b = ((g - 1.0) / root) ** 2, root**2
        s = np.where(x < 0, -np.hypot(c, 2.0 * np.sqrt(g) * np.sqrt(np.abs(x))),
                     np.sqrt(np.abs(x - a)) * np.sqrt(np.abs(x - b)) * np.where(x > b, 1.0, -1.0))
        first = c * s <= 0
        z = x
    # one division, of the non-cancelling form: no exception from the discarded branch
    m = np.where(first, 2.0, c + s) / np.where(first, c - s, 2.0 * g * z)
    return m, s


def _np_stieltjes(z, gamma):
    return _np_stieltjes_and_root(z, gamma)[0]


def _np_stieltjes_derivative(z, gamma):
    m, s = _np_stieltjes_and_root(z, gamma)
    return -m * (1.0 + gamma * m) / s


def _np_psi(c):
    """``Psi(c) = 1 - sqrt(pi) x erfcx(x)``, ``x = 1/sqrt(2c)``; series ``c - 3c^2 + 15c^3 - 105c^4``
    below ``1e-4``, where the difference cancels (relative error ``~945 c^4``)."""
    from scipy.special import erfcx

    c = np.asarray(c, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        x = 1.0 / np.sqrt(2.0 * c)
        direct = 1.0 - np.sqrt(np.pi) * x * erfcx(x)
    series = c * (1.0 - c * (3.0 - c * (15.0 - 105.0 * c)))
    return np.where(c < 1e-4, series, direct)


#: Float64 vectorised implementations, by the name of the SymPy function they evaluate.
NUMPY_NAMESPACE = {
    "Psi": _np_psi,
    "EffectiveRegularization": _np_kappa,
    "KappaDenominator": _np_denominator,
    "StieltjesMP": _np_stieltjes,
    "StieltjesMPDerivative": _np_stieltjes_derivative,
}



class Implementations(NamedTuple):
    """The numeric implementations of a mechanism's SymPy functions, by function name.

    ``mpmath(ctx)`` returns them bound to an mpmath context; ``numpy`` holds the float64
    vectorised versions; ``interval`` (optional) is a reference ``"module:function"`` to a
    function of no arguments returning their *enclosures* ``{name: f(arith, *args)}`` (imported
    only when an enclosure is needed), each computing a sound enclosure of the function over interval
    arguments with the operations of an arithmetic of :mod:`numerics.intervals` (see
    the docs' Certified proofs page). A mechanism's description names one (facet ``functions``) and
    :mod:`numerics.namespaces` merges them into the evaluators' namespaces.
    """

    mpmath: Callable[[object], dict]
    numpy: dict
    interval: str | None = None


#: The Marchenko-Pastur primitives (and the activation functional ``Psi``).
FUNCTIONS = Implementations(mpmath=mpmath_namespace, numpy=NUMPY_NAMESPACE)
