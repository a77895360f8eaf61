"""Mechanisms 1 and 2 together: the combined population gain against a numerical minimisation
of the registered finite-gamma_s risk, and refuted mutants."""

import numpy as np
import pytest
import sympy
from scipy.optimize import minimize_scalar

import numerics
from proofs_check import check
from theory import interaction as it
from theory.claims import claim
from theory.ridge import lam_star
from theory.symbols import lam_t, zeta


def test_combined_gain_matches_a_numerical_minimum_of_the_weighted_student():
    """G_12 from SymPy against the registered weighted-ridge risk (gamma_s = 1e-7, s = 1e9,
    a numerical minimum over lam_s): an independent route."""
    T = {"lam_t": 0.05, "gamma_t": 0.5, "sigma2": 1.0, "zeta": 0.6}
    risk = numerics.vectorize("weighted_ridge.student_risk")
    teacher = float(numerics.evaluate("ridge.teacher_risk", lam_t=0.05, gamma_t=0.5, sigma2=1))
    r = minimize_scalar(lambda x: float(risk(**T, lam_s=np.exp(x), gamma_s=1e-7, s=1e9)),
                        bounds=(-10, 5), method="bounded", options={"xatol": 1e-10})
    g12 = float(numerics.evaluate("interaction.combined_population_gain", **T))
    assert abs((teacher - r.fun) - g12) < 1e-5
    g1 = float(numerics.evaluate("interaction.ridge_population_gain",
                                 **{k: v for k, v in T.items() if k != "zeta"}))
    g2 = float(numerics.evaluate("interaction.alignment_population_gain", **T))
    assert g12 > g1 + g2 > g1 > 0


def _mutants():
    c = claim("interaction.population_gain_superadditive")
    yield "assumption reversed", c.replace(assumptions=(sympy.Ge(lam_t, lam_star),),
                                           region={**c.region, "lam_t": sympy.Interval(0, 1000)})
    yield "cross term claimed", c.replace(
        margin=it.combined_population_gain - it.ridge_population_gain
        - 4 * it.alignment_population_gain - 3 * zeta**2 * it.ridge_population_gain)
    n = claim("interaction.gains_not_additive_in_zeta2")
    yield "threshold reversed", n.replace(assumptions=(sympy.Gt(lam_t, lam_star),))


@pytest.mark.parametrize("label, mutant", list(_mutants()), ids=[m[0] for m in _mutants()])
def test_each_mutant_is_refuted(label, mutant):
    report = check(mutant, routes=("sampled",), examples=100)
    assert report.route("sampled").status == "refuted", (label, report.route("sampled").detail)
