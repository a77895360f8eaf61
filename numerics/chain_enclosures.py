r"""Interval enclosures of the chain's level functionals ``ChainU``, ``ChainV``, ``ChainW``,
``ChainQ`` (the ``interval`` member of :data:`numerics.chain_functions.FUNCTIONS`).

Each is written with the arithmetic's own enclosures of the Marchenko-Pastur primitives
(``kappa``, increasing in both arguments, and ``D = (1 + kappa)^2 - gamma >= D(0, gamma)``,
:mod:`numerics.intervals`), in forms where each monotone piece appears once::

    u = 1 - 1/(1 + kappa),   v = kappa^2 / D,   w = 1/D,
    q = 1/(1 + kappa)^2 + gamma kappa^2 / ((1 + kappa)^2 D)

(``q = 1 - 2u + v`` as a sum of non-negative terms: :func:`numerics.intervals.positive_parts`).
The same functions run in every arithmetic of :mod:`numerics.intervals` (intervals, mpmath points,
``arb`` balls), so a point evaluation and an enclosure share one definition; the tests compare
both with :mod:`numerics.chain_functions` at 50 digits.

Examples
--------
>>> from numerics.intervals import IntervalArithmetic
>>> from numerics.chain_enclosures import ENCLOSURES
>>> iv = IntervalArithmetic()
>>> lo, hi = iv.bounds(ENCLOSURES["ChainQ"](iv, iv.coordinate(0), iv.coordinate(2)))
>>> float(lo), float(hi)      # min-norm at gamma = 2: q = 1/gamma
(0.5, 0.5)
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["ENCLOSURES", "enclosures"]

_ONE, _MINUS = Fraction(1), Fraction(-1)


def _parts(ar, lam, gamma):
    k = ar.kappa(lam, gamma)
    one_k = ar.add([ar.const(_ONE), k])
    return k, one_k, ar.denominator(k, gamma, fact=True)


def chain_u(ar, lam, gamma):
    _, one_k, _ = _parts(ar, lam, gamma)
    return ar.add([ar.const(_ONE), ar.mul([ar.const(_MINUS), ar.pow(one_k, -1)])])


def chain_v(ar, lam, gamma):
    k, _, d = _parts(ar, lam, gamma)
    return ar.mul([ar.pow(k, 2), ar.pow(d, -1)])


def chain_w(ar, lam, gamma):
    _, _, d = _parts(ar, lam, gamma)
    return ar.pow(d, -1)


def chain_q(ar, lam, gamma):
    k, one_k, d = _parts(ar, lam, gamma)
    inverse = ar.pow(one_k, -2)
    return ar.add([inverse, ar.mul([gamma, ar.pow(k, 2), inverse, ar.pow(d, -1)])])


#: ``{name: f(arith, lam, gamma)}``.
ENCLOSURES = {"ChainU": chain_u, "ChainV": chain_v, "ChainW": chain_w, "ChainQ": chain_q}


def enclosures() -> dict:
    """The enclosures (the facet's ``interval`` member).

    Examples
    --------
    >>> from numerics.chain_enclosures import enclosures
    >>> sorted(enclosures())
    ['ChainQ', 'ChainU', 'ChainV', 'ChainW']
    """
    return dict(ENCLOSURES)
