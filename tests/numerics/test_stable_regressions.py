"""Regression tests named after the stable_form defects found by the certified route."""

import sympy

from numerics import evaluate
from numerics.stable import stable_form
from theory import quantity
from theory.claims import claim
from theory.marchenko_pastur import EffectiveRegularization, StieltjesMP, StieltjesMPDerivative
from theory.symbols import gamma, lam, parameters


def test_stable_form_accepts_an_expression_already_holding_kappa():
    e = EffectiveRegularization(lam, gamma) ** 2 + quantity("mp.shrinkage_u")
    form = stable_form(e)
    assert not form.has(StieltjesMP)
    at = {lam: sympy.Rational(3, 10), gamma: 2}
    assert abs(form.xreplace(at).evalf(30) - e.xreplace(at).evalf(30)) < 1e-25


def test_stable_form_rewrites_m_at_a_non_symbol_argument():
    c = claim("ridge.dobriban_wager_optimal_ridge")
    form = stable_form(c.margin)
    assert not form.has(StieltjesMP, StieltjesMPDerivative)
    point = {"lam_t": sympy.Rational(3, 10), "gamma_t": 2, "sigma2": sympy.Rational(1, 2), "r2": 3}
    direct = c.margin.xreplace({parameters()[k]: v for k, v in point.items()}).evalf(40)
    assert abs(evaluate(c.margin, point, dps=40) - direct) < 1e-35


def test_a_primitive_at_a_scaled_argument_in_a_denominator():
    """``u(2 lam)`` in a denominator beside ``u(lam)``: the combining step measured the
    denominator as a polynomial in ``lam`` holding ``m(-2 lam, gamma)`` and raised SymPy's
    PolynomialError (a traceback from ``evaluate`` of a claim with a perturbed argument)."""
    at = {lam: sympy.Rational(3, 10), gamma: sympy.Rational(1, 2)}
    for name in ("mp.shrinkage_u", "mp.shrinkage_v"):
        q = quantity(name)
        e = 1 / (1 + q.xreplace({lam: 2 * lam})) + q
        assert abs(evaluate(e, {"lam": "0.3", "gamma": "0.5"}, dps=40)
                   - e.xreplace(at).evalf(45)) < 1e-35, name
