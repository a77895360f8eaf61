"""Numerical implementations of the primitives, each stable on both sides of ``1 - gamma + lam = 0``.

Two number systems share each algorithm: :func:`mpmath_namespace` binds them to a given mpmath
context (never the global one), :data:`NUMPY_NAMESPACE` gives the float64 vectorised versions.
These are the only places where the Marchenko–Pastur law is turned into numbers; every quantity
reaches them through :mod:`numerics.stable`.

* ``kappa``: ``b = lam + gamma - 1``, ``r = sqrt(b^2 + 4 lam)``; ``(b + r)/2`` when ``b >= 0``,
  ``2 lam/(r - b)`` when ``b < 0`` (no cancellation on either side; ``lam = 0`` gives
  ``max(gamma - 1, 0)``).
* ``D = (1 + kappa)^2 - gamma``, computed as ``(1 - gamma) + kappa (2 + kappa)``.
* ``m(z)`` for complex ``z`` off the support: ``[(1-gamma-z) + S] / (2 gamma z)`` with
  ``S = sqrt(z-a) sqrt(z-b)``, or equivalently ``2 / ((1-gamma-z) - S)``; the form whose sum does not
  cancel is used. ``m'`` is the closed form in ``m``.

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

import numpy as np

__all__ = ["mpmath_namespace", "NUMPY_NAMESPACE"]


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
        b = lam + gamma - 1
        r = ctx.sqrt(b * b + 4 * lam)
        return (b + r) / 2 if b >= 0 else 2 * lam / (r - b)

    def denominator(kappa, gamma):
        return (1 - gamma) + kappa * (2 + kappa)

    def stieltjes(z, gamma):
        a, b = (1 - ctx.sqrt(gamma)) ** 2, (1 + ctx.sqrt(gamma)) ** 2
        c = 1 - gamma - z
        if ctx.im(z) == 0 and ctx.re(z) < 0:
            s = -ctx.sqrt((z - a) * (z - b))  # the same branch, without a complex detour
        else:
            s = ctx.sqrt(z - a) * ctx.sqrt(z - b)
        if abs(c - s) >= abs(c + s):
            return 2 / (c - s)
        return (c + s) / (2 * gamma * z)

    def stieltjes_derivative(z, gamma):
        m = stieltjes(z, gamma)
        return m * (1 + gamma * m) / ((1 - gamma - z) - 2 * gamma * z * m)

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
    b = lam + gamma - 1.0
    r = np.sqrt(b * b + 4.0 * lam)
    with np.errstate(divide="ignore", invalid="ignore"):  # the masked branch may divide by 0
        return np.where(b >= 0, 0.5 * (b + r), 2.0 * lam / (r - b))


def _np_denominator(kappa, gamma):
    return (1.0 - gamma) + kappa * (2.0 + kappa)


def _np_stieltjes(z, gamma):
    z = np.asarray(z)
    zc = z.astype(np.complex128)
    g = np.asarray(gamma, float)
    a, b = (1.0 - np.sqrt(g)) ** 2, (1.0 + np.sqrt(g)) ** 2
    c = 1.0 - g - zc
    s = np.sqrt(zc - a) * np.sqrt(zc - b)
    with np.errstate(divide="ignore", invalid="ignore"):
        m = np.where(np.abs(c - s) >= np.abs(c + s), 2.0 / (c - s), (c + s) / (2.0 * g * zc))
    return m.real if z.dtype.kind != "c" else m


def _np_stieltjes_derivative(z, gamma):
    m = _np_stieltjes(z, gamma)
    return m * (1.0 + gamma * m) / ((1.0 - gamma - z) - 2.0 * gamma * z * m)


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
