"""Hermite basis and coefficients against independent numerical quadrature."""

import mpmath
import numpy as np
import pytest
import sympy

from theory.hermite import coefficients, from_coefficients, h, information_exponent, \
    mehler

x = sympy.Symbol("x")


def _gauss(f):
    """E[f(z)], z ~ N(0, 1), by mpmath quadrature at 30 digits."""
    with mpmath.workdps(30):
        return mpmath.quad(lambda t: f(t) * mpmath.npdf(t), [-mpmath.inf, 0, mpmath.inf])


@pytest.mark.parametrize("j,k", [(0, 0), (1, 1), (2, 3), (3, 3), (4, 2), (5, 5)])
def test_basis_is_orthonormal_by_quadrature(j, k):
    fj, fk = sympy.lambdify(x, h(j, x), "mpmath"), sympy.lambdify(x, h(k, x), "mpmath")
    assert abs(_gauss(lambda t: fj(t) * fk(t)) - (1 if j == k else 0)) < 1e-25


@pytest.mark.parametrize("link", [sympy.erf(x / sympy.sqrt(2)), x ** 3, x ** 2 - x])
def test_coefficients_against_quadrature(link):
    f = sympy.lambdify(x, link, "mpmath")
    for k, ck in enumerate(coefficients(link, x, 4)):
        hk = sympy.lambdify(x, h(k, x), "mpmath")
        assert abs(float(ck) - float(_gauss(lambda t: f(t) * hk(t)))) < 1e-12, k


def test_mehler_against_two_dimensional_quadrature():
    """E[f(u) g(v)] with corr(u, v) = rho, f = x^3, g = x^3 + x^2, rho = 0.3, by 2-D quadrature.

    Gauss-Hermite nodes for the weight exp(-x^2/2) (NumPy), 20 in each variable: exact for the
    degree-6 polynomial integrand up to rounding.
    """
    from numpy.polynomial.hermite_e import hermegauss

    rho = 0.3
    f, g = x ** 3, x ** 3 + x ** 2
    closed = mehler(coefficients(f, x, 3), coefficients(g, x, 3), sympy.Rational(3, 10))
    fn, gn = sympy.lambdify(x, f, "numpy"), sympy.lambdify(x, g, "numpy")
    nodes, weights = hermegauss(20)
    a, b = np.meshgrid(nodes, nodes, indexing="ij")
    w = np.outer(weights, weights) / (2 * np.pi)
    numeric = np.sum(w * fn(a) * gn(rho * a + np.sqrt(1 - rho ** 2) * b))
    assert abs(float(closed) - numeric) < 1e-10
    assert abs(numeric - (6 * rho ** 3 + 9 * rho)) < 1e-10  # E[u^3 v^3] + E[u^3 v^2], by hand


def test_round_trip_and_information_exponent():
    c = (0, 0, sympy.Rational(1, 2), 0, 3)
    assert sympy.expand(from_coefficients(coefficients(from_coefficients(c, x), x, 4), x)
                        - from_coefficients(c, x)) == 0
    assert information_exponent(c) == 2
    assert information_exponent(x ** 4 - 6 * x ** 2 + 3, x) == 4
    assert information_exponent((1, 0, 0)) is None


def test_bad_degree_is_a_clear_error():
    with pytest.raises(ValueError, match="integer >= 0"):
        h(-1, x)
