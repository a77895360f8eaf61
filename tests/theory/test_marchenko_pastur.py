"""The Marchenko–Pastur primitives against independent computations.

Independent routes used here: numerical integration of the density (mpmath.quad), the empirical
spectrum of a sampled Wishart matrix, numerical differentiation, SymPy's own evalf of the radical
forms, and the identities of linear.md section 2.
"""

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, strategies as st
from sympy import Rational, sqrt

from numerics import evaluate
from theory.marchenko_pastur import (EffectiveRegularization, StieltjesMP, StieltjesMPDerivative,
                                     atom_mass, density, in_kappa, kappa_forms, kappa_quadratic,
                                     lam_of_kappa, mp_quadratic, support_edges)
from theory.symbols import gamma, lam, z

ratios = st.floats(1e-3, 1e3).filter(lambda g: abs(g - 1) > 1e-3)
lams = st.floats(1e-6, 1e4)


def stieltjes_by_quadrature(zv, g):
    """int f(s)/(s - z) ds over the support plus the atom's share, with mpmath.quad."""
    a, b = (1 - mpmath.sqrt(g)) ** 2, (1 + mpmath.sqrt(g)) ** 2
    f = lambda s: mpmath.sqrt((b - s) * (s - a)) / (2 * mpmath.pi * g * s)  # literature density
    return mpmath.quad(lambda s: f(s) / (s - zv), [a, (a + b) / 2, b]) + max(0, 1 - 1 / g) / (0 - zv)


@pytest.mark.parametrize("g", ["0.25", "0.5", "2", "5"])
@pytest.mark.parametrize("zv", ["-0.5", "-3", "25", "1+1j", "2-0.5j", "0.3j"])
def test_stieltjes_matches_quadrature_of_density(g, zv):
    with mpmath.workdps(30):
        expected = stieltjes_by_quadrature(mpmath.mpmathify(zv), mpmath.mpf(g))
        value = evaluate("mp.stieltjes", z=zv, gamma=g, dps=30)
        assert abs(value - expected) < mpmath.mpf(10) ** -20 * max(1, abs(expected))


@pytest.mark.parametrize("g", ["0.25", "3"])
def test_density_and_atom_carry_unit_mass(g):
    with mpmath.workdps(25):
        a, b = support_edges(sympy.Rational(g))
        mass = mpmath.quad(lambda s: evaluate("mp.density", x=mpmath.nstr(s, 30), gamma=g, dps=25),
                           [float(a), float(b)])
        assert abs(mass + evaluate("mp.atom", gamma=g) - 1) < 1e-15


@pytest.mark.parametrize("g", [0.5, 2.0])
def test_stieltjes_matches_wishart_spectrum(g):
    """Empirical Stieltjes transform of X^T X / n (d = 800) against m at a few points."""
    rng = np.random.default_rng(np.random.SeedSequence(20261122))
    d = 800
    n = int(round(d / g))
    X = rng.standard_normal((n, d))
    eig = np.linalg.eigvalsh(X.T @ X / n)
    for zv in (-0.5, -2.0, 1 + 1j):
        empirical = np.mean(1.0 / (eig - zv))
        theory_value = complex(evaluate("mp.stieltjes", z=zv, gamma=g, dps=20))
        assert abs(empirical - theory_value) < 0.02 * abs(theory_value)


def test_sanity_value_of_linear_md():
    value = evaluate("mp.stieltjes", z="-1/2", gamma="1/2", dps=40)
    with mpmath.workdps(50):
        assert abs(value - 2 * (mpmath.sqrt(2) - 1)) < mpmath.mpf(10) ** -38
    assert sympy.simplify(StieltjesMP(-Rational(1, 2), Rational(1, 2)).rewrite(sqrt)
                          - 2 * (sqrt(2) - 1)) == 0


@given(g=ratios, re=st.floats(-20, 20), im=st.floats(1e-3, 20))
def test_branch_has_positive_imaginary_part_in_upper_half_plane(g, re, im):
    value = evaluate("mp.stieltjes", z=complex(re, im), gamma=g, dps=20)
    assert value.imag > 0


@given(g=ratios, l=lams)
def test_branch_is_positive_on_negative_axis_and_a_root(g, l):
    m = evaluate("mp.stieltjes", z=-l, gamma=g, dps=30)
    assert m > 0
    with mpmath.workdps(30):
        residual = mp_quadratic(+m, -mpmath.mpf(l), mpmath.mpf(g))
        assert abs(residual) < mpmath.mpf(10) ** -25 * max(1, m**2 * l * g)


@pytest.mark.parametrize("g", ["0.3", "4"])
def test_branch_decays_like_minus_one_over_z(g):
    for zv in ("1e8", "-1e8", "1e8j"):
        zz = mpmath.mpmathify(zv)
        m = evaluate("mp.stieltjes", z=zv, gamma=g, dps=30)
        assert abs(zz * m + 1) < 1e-6


@given(g=ratios, re=st.floats(-5, 5), im=st.floats(0.05, 5))
def test_derivative_matches_numerical_derivative(g, re, im):
    zv = mpmath.mpc(re, im)
    with mpmath.workdps(30):
        numeric = mpmath.diff(lambda t: stieltjes_by_quadrature(t, mpmath.mpf(g)), zv)
    value = evaluate("mp.stieltjes_derivative", z=complex(re, im), gamma=g, dps=30)
    assert abs(value - numeric) < 1e-10 * max(1, abs(numeric))


def test_derivative_is_closed_over_m():
    second = StieltjesMP(z, gamma).diff(z, 2)
    assert second.atoms(sympy.Function) <= {StieltjesMP(z, gamma), StieltjesMPDerivative(z, gamma)}
    assert not second.has(sympy.Derivative)


def test_gamma_derivative_by_finite_difference():
    d = StieltjesMP(z, gamma).diff(gamma)
    point = {z: Rational(-1, 3), gamma: Rational(2, 3)}
    h = Rational(1, 10**12)
    fd = (StieltjesMP(point[z], point[gamma] + h) - StieltjesMP(point[z], point[gamma] - h)) / (2 * h)
    assert abs((d.subs(point) - fd).evalf(40)) < 1e-15


def test_kappa_quadratic_is_the_mp_quadratic_in_kappa():
    """Substituting m = kappa/(lam (1 + kappa)) into the MP quadratic gives the kappa quadratic."""
    k = sympy.Symbol("k", positive=True)
    q = sympy.numer(sympy.together(mp_quadratic(k / (lam * (1 + k)), -lam, gamma)))
    assert sympy.rem(sympy.expand(q), kappa_quadratic(k, lam, gamma), k) == 0
    assert sympy.degree(q, k) == 2


def test_kappa_form_of_derivative_is_the_closed_derivative():
    k = sympy.Symbol("k", positive=True)
    forms = kappa_forms(lam, gamma, k)
    closed = StieltjesMPDerivative(-lam, gamma).closed().xreplace(forms)
    difference = (closed - forms[StieltjesMPDerivative(-lam, gamma)]).xreplace(
        {lam: lam_of_kappa(k, gamma)})
    assert sympy.cancel(difference) == 0


@given(g=ratios, l=lams)
def test_kappa_forms_of_shrinkage_functionals(g, l):
    """u, v, w from the compact forms (SymPy evalf of radicals) against the kappa formulas."""
    gs, ls = Rational(g), Rational(l)
    kappa = EffectiveRegularization(ls, gs).rewrite(sqrt).evalf(40)
    m = StieltjesMP(-ls, gs).evalf(40)
    mp_ = StieltjesMPDerivative(-ls, gs).evalf(40)
    assert abs(ls * m - kappa / (1 + kappa)) < 1e-30
    assert abs(ls**2 * mp_ - kappa**2 / ((1 + kappa) ** 2 - gs)) < 1e-30
    assert abs((m - ls * mp_) - 1 / ((1 + kappa) ** 2 - gs)) < 1e-30 * max(1, abs(m))


@given(g=ratios, l=lams)
def test_duality_of_shrinkage_functionals(g, l):
    for name in ("mp.shrinkage_u", "mp.shrinkage_v"):
        direct = evaluate(name, lam=l, gamma=g, dps=30)
        with mpmath.workdps(30):
            gm = mpmath.mpf(g)
            dual = (1 - 1 / gm) + evaluate(name, lam=mpmath.mpf(l) / gm, gamma=1 / gm, dps=30) / gm
        if g > 1:
            assert abs(direct - dual) < 1e-25


@given(g=ratios, l=lams)
def test_v_is_at_least_u_squared_and_all_in_unit_interval(g, l):
    u = evaluate("mp.shrinkage_u", lam=l, gamma=g, dps=30)
    v = evaluate("mp.shrinkage_v", lam=l, gamma=g, dps=30)
    assert 0 < u <= 1 and 0 < v <= 1
    assert v >= u**2


@pytest.mark.parametrize("g", ["0.5", "3"])
def test_limits_of_shrinkage_functionals(g):
    with mpmath.workdps(60):
        at_zero = max(0, 1 - 1 / mpmath.mpf(g))
    for name in ("mp.shrinkage_u", "mp.shrinkage_v"):
        assert abs(evaluate(name, lam=0, gamma=g) - at_zero) < 1e-40
        assert abs(evaluate(name, lam="1e-30", gamma=g) - at_zero) < 1e-25
        assert abs(evaluate(name, lam="1e30", gamma=g) - 1) < 1e-25
    # gamma -> 0: the law is the point mass at 1
    with mpmath.workdps(50):
        exact = 1 / mpmath.mpf("1.7")
    assert abs(evaluate("mp.stieltjes", z="-0.7", gamma="1e-30") - exact) < 1e-25


def test_kappa_limits():
    assert evaluate("mp.kappa", lam=0, gamma=3) == 2
    assert evaluate("mp.kappa", lam=0, gamma="0.5") == 0
    assert EffectiveRegularization(lam, 0) == lam


def test_in_kappa_of_w():
    k = sympy.Symbol("k", positive=True)
    w = StieltjesMP(-lam, gamma) - lam * StieltjesMPDerivative(-lam, gamma)
    assert sympy.cancel(in_kappa(w, lam, gamma, k) - 1 / ((1 + k) ** 2 - gamma)) == 0


def test_atom_and_density_shapes():
    assert atom_mass(Rational(1, 2)) == 0 and atom_mass(4) == Rational(3, 4)
    assert density(Rational(10), Rational(1, 4)) == 0
    assert density(Rational(1), Rational(1, 4)) == sqrt(15) / (2 * sympy.pi)  # sqrt((9/4-1)(1-1/4))/(pi/2)


def test_latex_of_primitives():
    assert sympy.latex(StieltjesMP(z, gamma)) == r"m_{\gamma}\left(z\right)"
    assert sympy.latex(StieltjesMPDerivative(z, gamma)) == r"m'_{\gamma}\left(z\right)"
    assert sympy.latex(EffectiveRegularization(lam, gamma)) == r"\kappa_{\gamma}\left(\lambda\right)"
    assert "m_" in sympy.pretty(StieltjesMP(z, gamma))
