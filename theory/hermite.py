"""Orthonormal Hermite polynomials, Hermite coefficients of a link, Mehler's formula.

Both seeds describe a link function ``f`` by its coefficients in the orthonormal probabilists'
Hermite basis ``h_k = He_k / sqrt(k!)``, for which ``E[h_j(z) h_k(z)] = delta_jk`` when
``z ~ N(0, 1)`` (docs/mechanism-3.md, docs/single-index.md). This module holds
that basis once:

* :func:`h` -- the polynomial ``h_k(x)``;
* :func:`coefficient`, :func:`coefficients` -- ``c_k = E[f(z) h_k(z)]``, computed by SymPy as a
  Gaussian integral (exact for polynomials and for ``erf``-type links);
* :func:`mehler` -- Mehler's formula: for standard Gaussians ``u, v`` with correlation ``rho``,
  ``E[f(u) g(v)] = sum_k a_k b_k rho**k``;
* :func:`information_exponent` -- the index of the first non-zero coefficient of degree >= 1.

Conversion to the unnormalised basis: ``f = sum_k c_k h_k = sum_k (c_k / sqrt(k!)) He_k``.

Examples
--------
>>> from sympy import symbols, sqrt
>>> from theory.hermite import h, coefficients, mehler, information_exponent
>>> x, rho = symbols("x rho")
>>> h(2, x)
sqrt(2)*(x**2 - 1)/2
>>> coefficients(x**3, x, 3)
(0, 3, 0, sqrt(6))
>>> mehler((0, 3, 0, sqrt(6)), (0, 3, 0, sqrt(6)), rho)
6*rho**3 + 9*rho
>>> information_exponent(x**2 - 1, x)
2
"""

from __future__ import annotations

from typing import Sequence

import sympy

__all__ = ["h", "coefficient", "coefficients", "mehler", "information_exponent",
           "from_coefficients"]


def h(k: int, x: sympy.Expr) -> sympy.Expr:
    """The orthonormal probabilists' Hermite polynomial ``h_k(x) = He_k(x) / sqrt(k!)``.

    Parameters
    ----------
    k : int
        Degree, ``k >= 0``.
    x : sympy.Expr
        The argument.

    Returns
    -------
    sympy.Expr

    Examples
    --------
    >>> from sympy import Symbol
    >>> from theory.hermite import h
    >>> x = Symbol("x")
    >>> h(0, x), h(1, x), h(3, x)
    (1, x, sqrt(6)*(x**3 - 3*x)/6)
    """
    k = _degree(k)
    return sympy.hermite_prob_poly(k, x) / sympy.sqrt(sympy.factorial(k))


#: Functions whose presence in a link's derivative makes :func:`coefficient` integrate the link
#: against ``h_k`` as stated rather than its derivative (Stein's lemma needs a smooth link).
_NOT_SMOOTH = (sympy.Heaviside, sympy.DiracDelta, sympy.sign, sympy.Abs, sympy.Piecewise,
               sympy.Max, sympy.Min, sympy.Derivative, sympy.Subs)


def coefficient(f: sympy.Expr, k: int, x: sympy.Symbol) -> sympy.Expr:
    """``E[f(z) h_k(z)]`` for ``z ~ N(0, 1)``, integrated by SymPy.

    For a smooth link the integral is ``E[f^(k)(z)] / sqrt(k!)`` (Stein's lemma applied ``k``
    times: ``He_k(x) phi(x) = (-1)^k phi^(k)(x)``); a link with kinks or pieces is integrated
    against ``h_k`` directly.

    Parameters
    ----------
    f : sympy.Expr
        The link, an expression in ``x``.
    k : int
        Degree, ``k >= 0``.
    x : sympy.Symbol
        The variable of ``f``.

    Returns
    -------
    sympy.Expr
        The exact coefficient (simplified).

    Raises
    ------
    ValueError
        When SymPy cannot do the integral in closed form (evaluate it by quadrature instead).

    Examples
    --------
    >>> from sympy import Symbol, erf, sqrt
    >>> from theory.hermite import coefficient
    >>> x = Symbol("x")
    >>> coefficient(erf(x / sqrt(2)), 1, x)
    1/sqrt(pi)
    """
    k = _degree(k)
    density = sympy.exp(-x ** 2 / 2) / sympy.sqrt(2 * sympy.pi)
    # Stein's lemma, k times: He_k(x) phi(x) = (-1)**k phi^(k)(x), so integrating by parts
    # E[f(z) He_k(z)] = E[f^(k)(z)] for a smooth f of polynomial growth. The derivative's
    # integral is much cheaper for SymPy (erf's fourth coefficient: 0.06 s instead of 7 s);
    # a link with kinks or pieces is integrated as stated.
    derivative = sympy.diff(f, x, k)
    if not derivative.has(*_NOT_SMOOTH):
        integrand, scale = derivative, 1 / sympy.sqrt(sympy.factorial(k))
    else:
        integrand, scale = f * h(k, x), 1
    # term by term: SymPy integrates a sum of Gaussian moments by a slower, erf-laden route
    terms = sympy.Add.make_args(sympy.expand(integrand * density))
    value = scale * sympy.Add(*(sympy.integrate(t, (x, -sympy.oo, sympy.oo)) for t in terms))
    if value.has(sympy.erfc):  # erf(a) + erfc(a) = 1, which simplify does not see
        value = value.rewrite(sympy.erf)
    if value.has(sympy.Integral):
        raise ValueError(f"SymPy cannot integrate E[f(z) h_{k}(z)] for f = {f}; "
                         "use numerical quadrature")
    return sympy.simplify(value)


def coefficients(f: sympy.Expr, x: sympy.Symbol, kmax: int) -> tuple[sympy.Expr, ...]:
    """``(c_0, ..., c_kmax)`` of ``f`` in the orthonormal Hermite basis.

    Examples
    --------
    >>> from sympy import Symbol
    >>> from theory.hermite import coefficients
    >>> x = Symbol("x")
    >>> coefficients(x**2, x, 2)
    (1, 0, sqrt(2))
    """
    return tuple(coefficient(f, k, x) for k in range(_degree(kmax) + 1))


def from_coefficients(c: Sequence, x: sympy.Expr) -> sympy.Expr:
    """The function ``sum_k c[k] h_k(x)`` (the inverse of :func:`coefficients` on polynomials).

    Examples
    --------
    >>> from sympy import Symbol, sqrt, expand
    >>> from theory.hermite import from_coefficients
    >>> x = Symbol("x")
    >>> expand(from_coefficients((0, 3, 0, sqrt(6)), x))
    x**3
    """
    return sympy.Add(*(sympy.sympify(ck) * h(k, x) for k, ck in enumerate(c)))


def mehler(a: Sequence, b: Sequence, rho: sympy.Expr) -> sympy.Expr:
    """Mehler's formula: ``E[f(u) g(v)] = sum_k a_k b_k rho**k``.

    ``u`` and ``v`` are standard Gaussians with correlation ``rho``, and ``a``, ``b`` are the
    orthonormal Hermite coefficients of ``f`` and ``g`` (DLMF 18.18.28).

    Parameters
    ----------
    a, b : sequences
        Coefficients ``a_0, a_1, ...`` and ``b_0, b_1, ...`` (the shorter is padded with zeros).
    rho : sympy.Expr
        The correlation.

    Returns
    -------
    sympy.Expr

    Examples
    --------
    >>> from sympy import Symbol
    >>> from theory.hermite import mehler
    >>> rho = Symbol("rho")
    >>> mehler((0, 1, 2), (0, 1, 1), rho)
    2*rho**2 + rho
    """
    n = min(len(a), len(b))
    return sympy.Add(*(sympy.sympify(a[k]) * sympy.sympify(b[k]) * rho ** k for k in range(n)))


def information_exponent(f: sympy.Expr | Sequence, x: sympy.Symbol | None = None,
                         kmax: int = 8) -> int | None:
    """The smallest ``k >= 1`` with a non-zero Hermite coefficient (``None`` if none up to kmax).

    Parameters
    ----------
    f : sympy.Expr or sequence
        A link in ``x``, or its coefficients ``(c_0, c_1, ...)``.
    x : sympy.Symbol, optional
        The variable, when ``f`` is an expression.
    kmax : int
        Highest degree examined for an expression.

    Examples
    --------
    >>> from sympy import Symbol
    >>> from theory.hermite import information_exponent
    >>> x = Symbol("x")
    >>> information_exponent(x**3 - 3*x, x), information_exponent((0, 0, 0, 1, 1))
    (3, 3)
    """
    if isinstance(f, sympy.Basic):
        if x is None:
            raise ValueError("information_exponent of an expression needs its variable x")
        c = coefficients(f, x, kmax)
    else:
        c = tuple(sympy.sympify(ck) for ck in f)
    for k, ck in enumerate(c):
        if k >= 1 and ck != 0:
            return k
    return None


def _degree(k) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"a Hermite degree must be an integer >= 0; got {k!r}")
    return k
