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


# --- simulation -----------------------------------------------------------------------------

def test_simulated_best_gains_match_the_population_formulas():
    """The simulator's best gains (d = 300, 16 repetitions, n_s = 20 d) against G_1, G_12 and
    G_12 - G_1 - G_2 after the finite-gamma_s shift of the registered risks' optimum."""
    from proofs_check.mechanisms.interaction import simulation

    result = simulation({"lam_t": "0.05", "gamma_t": "0.5", "sigma2": "1", "zeta": "0.6"},
                        d=300, reps=16, seed=1)
    assert result.agree, result.rows
    excess = result.rows[-1]
    assert excess["simulation"] > 10 * excess["standard_error"]   # super-additive, visibly


def test_finite_gamma_s_gains_approach_the_population_gains():
    """The finite-gamma_s optimum (numerical, registered risks) tends to the SymPy optimum as
    gamma_s -> 0, linearly: the offset the plan subtracts is small and shrinks with gamma_s."""
    from proofs_check.mechanisms.interaction import finite_student_gains

    point = {"lam_t": 0.05, "gamma_t": 0.5, "sigma2": 1.0, "zeta": 0.6}
    g12 = float(numerics.evaluate("interaction.combined_population_gain", **point))
    shifts = [g12 - finite_student_gains(point, gamma_s=g, grid=np.geomspace(0.1, 10, 801))[1]
              for g in (0.04, 0.02, 0.01)]
    assert 0 < shifts[2] < shifts[1] < shifts[0] < 0.01
    assert shifts[0] / shifts[1] == pytest.approx(2, rel=0.1)


def test_montecarlo_route_holds_the_claim_and_refutes_a_mutant():
    from proofs_check.montecarlo import montecarlo

    c = claim("interaction.population_gain_superadditive")
    assert montecarlo(c, level=1).status == "holds"
    wrong = c.replace(margin=c.margin - 0.3 * it.ridge_population_gain)  # G_12 >= 1.3 G_1 + G_2
    assert montecarlo(wrong, level=1).status == "refuted"


def test_simulate_interaction_rejects_bad_input():
    from numerics.simulate import SimulationError
    from numerics.simulate.interaction import simulate_interaction

    base = dict(d=20, lam_t=0.1, gamma_t=0.5, sigma2=1.0, zeta=0.5, reps=2)
    for bad, name in (({"zeta": 1.5}, "zeta"), ({"gamma_s": 0.0}, "gamma_s"),
                      ({"lam_s": [-1.0]}, "lam_s"), ({"s": np.nan}, "s")):
        with pytest.raises(SimulationError, match=name):
            simulate_interaction(**{**base, **bad})


def test_cli_bad_input_is_one_line_and_exit_code_2(capsys):
    from proofs_check.cli import run

    for args, name in ((["lam_t=0.05", "gamma_t=0.5", "sigma2=1"], "zeta"),
                       (["lam_t=0.05", "gamma_t=0.5", "sigma2=1", "zeta=1.5"], "zeta"),
                       (["lam_t=-1", "gamma_t=0.5", "sigma2=1", "zeta=0.5"], "lam_t")):
        assert run(["simulate", "interaction", *args, "--d", "40", "--reps", "2"]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and name in err[0], err
