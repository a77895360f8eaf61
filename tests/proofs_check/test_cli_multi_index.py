"""The command line on mechanism 3: 30 digits, one-line errors, the simulation table."""

import json

import mpmath
import pytest

from proofs_check.cli import run

POINT = ["ce1=1", "ch2=1", "sigma2=1/4", "gamma_t=1/2", "gamma_s=1/2", "theta=1"]


def test_eval_student_overlap_prints_30_digits(capsys):
    assert run(["eval", "multi_index.student_overlap", *POINT, "--dps", "30"]) == 0
    out = capsys.readouterr().out.strip()
    assert len(out.replace("0.", "", 1)) == 30
    # the page's anchor (section 5, claim 2), printed there to 10 digits
    assert abs(mpmath.mpf(out) - mpmath.mpf("0.3075076676")) < 1e-10


@pytest.mark.parametrize("bad, name", [("zeta_h=2", "zeta_h"), ("ce1=0", "ce1"),
                                       ("theta=-1", "theta")])
def test_bad_input_exits_2_with_one_line(bad, name, capsys):
    args = [a for a in POINT + ["eta_s=2", "zeta_h=1"] if a.split("=")[0] != bad.split("=")[0]]
    assert run(["eval", "multi_index.student_alignment_hard", *args, bad]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith(f"w2s: error: {name} must be in")


def test_simulate_multi_index_json(capsys):
    code = run(["simulate", "multi_index", *POINT, "zeta_h=1", "eta_t=2", "eta_s=2",
                "--d", "60", "--reps", "3", "--json"])
    report = json.loads(capsys.readouterr().out)
    names = [r["quantity"] for r in report["rows"]]
    assert "multi_index.student_alignment_hard" in names and code in (0, 1)
    assert all(r["conditional"] == r["quantity"].startswith("multi_index.student")
               for r in report["rows"])


def test_simulate_multi_index_bad_input(capsys):
    assert run(["simulate", "multi_index", *POINT, "zeta_h=3", "eta_t=2", "eta_s=2",
                "--d", "60", "--reps", "3"]) == 2
    assert "zeta_h" in capsys.readouterr().err


@pytest.mark.parametrize("argv, first_row", [
    (["simulate", "multi_index", *POINT, "eta_t=1", "eta_s=1", "zeta_h=1", "--d", "100",
      "--reps", "2"], "multi_index.teacher_overlap"),
    (["simulate", "single_index", "spike=1", "gamma_u=0.5", "eta1=0.45", "rho_w=0.9", "c3=1",
      "b1=0.5", "b3=1", "--d", "60", "--reps", "2"], "spectral.overlap2"),
])
def test_simulate_in_a_fresh_process(argv, first_row):
    """In a new process only the parameters of the loaded mechanisms are declared: the simulators'
    comparisons name parameters of modules nobody has imported yet (a KeyError 'ce2' before)."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "proofs_check", *argv], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stdout.splitlines()[1].startswith(first_row), proc.stdout
