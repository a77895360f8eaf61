"""The Monte Carlo route: agreement where the theory is right, refutation where it is wrong."""

import json

import pytest

from proofs_check import check
from proofs_check.cli import run
from proofs_check.montecarlo import agree, moderate_points, plans
from theory import quantity
from theory.claims import claim
from theory.symbols import gamma_s, r2


@pytest.mark.parametrize("claim_id", sorted(plans()))
def test_montecarlo_route_holds_for_every_plan(claim_id):
    result = check(claim_id, routes=("montecarlo",), level=1).route("montecarlo")
    assert result.status == "holds", result.detail
    assert result.points == 2 and "theory" in result.detail


def test_montecarlo_route_refutes_a_wrong_formula():
    original = claim("ridge.min_norm_student")
    wrong = original.replace(margin=quantity("ridge.student_risk")
                             - (quantity("ridge.teacher_risk") + (1 - 1 / gamma_s) * r2))
    result = check(wrong, routes=("montecarlo",), level=1).route("montecarlo")
    assert result.status == "refuted" and result.counterexample


def test_moderate_points_satisfy_the_assumptions():
    c = claim("ridge.over_regularised_teacher_never_beaten")
    for p in moderate_points(c, 5, seed=0):
        assert p["lam_t"] >= p["sigma2"] * p["gamma_t"] / p["r2"]
        assert 0.2 <= p["gamma_s"] <= 5 and abs(p["gamma_s"] - 1) >= 0.15


def test_agreement_rule():
    assert agree(1.0, 0.01, 1.0, 100) == (True, 0.0)
    assert agree(1.5, 0.01, 1.0, 1000)[0] is False


def test_verify_with_mc_level(capsys):
    assert run(["verify", "min_norm", "--examples", "5", "--mc", "1", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    routes = {r["route"]: r["status"] for r in doc["claims"][0]["routes"]}
    assert routes == {"symbolic": "proved", "sampled": "holds", "montecarlo": "holds"}
    assert doc["claims"][0]["supported_by"] == 3


def test_simulate_command(capsys):
    assert run(["simulate", "ridge", "lam_t=0.05", "lam_s=0.3", "gamma_t=0.5", "gamma_s=0.5",
                "sigma2=1", "--d", "150", "--reps", "8", "--seed", "3", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["quantity"] for r in doc["rows"]] == ["ridge.teacher_risk", "ridge.student_risk",
                                                     "ridge.overlap_A", "ridge.overlap_B"]
    assert all(r["agree"] for r in doc["rows"])
    assert run(["simulate", "ridge", "lam_t=0.05", "lam_s=0.3", "gamma_t=0.5", "gamma_s=0.5",
                "sigma2=1", "--d", "60", "--reps", "3"]) == 0
    assert "agree" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["simulate", "ridge", "lam_t=0.1", "--d", "0"], "missing parameter"),
    (["simulate", "ridge", "lam_t=0.1", "lam_s=0", "gamma_t=1", "gamma_s=1", "sigma2=1",
      "--d", "0"], "d must be an integer >= 2"),
    (["simulate", "ridge", "lam_t=0.1", "lam_s=0", "gamma_t=1", "gamma_s=1", "sigma2=1",
      "--d", "10", "--reps", "1"], "'--reps': 1 is not in the range x>=2"),
    (["simulate", "logistic", "--d", "10"], "unknown model 'logistic'"),
    (["plot", "nope", "-o", "x.png"], "unknown plot 'nope'"),
    (["plot", "convergence", "-o", "x.gif"], "must end in .png, .pdf or .svg"),
])
def test_bad_simulation_input_exits_2(argv, message, capsys):
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize("name", ["student-risk", "phase-diagram", "convergence",
                                  "gain-vs-zeta2", "alignment-region"])
def test_plots_are_written(name, tmp_path):
    out = tmp_path / f"{name}.png"
    assert run(["plot", name, "-o", str(out), "--quick"]) == 0
    assert out.stat().st_size > 20_000
