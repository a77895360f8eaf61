"""The example third-party mechanism of docs/examples installs into a fresh virtual environment
and ``w2s`` serves it with no change to w2s-theory: listed, evaluated, printed, verified,
simulated and plotted.

The fresh environment gets w2s-theory and the example package by ``pip install --no-deps``
(the packages under test are installed anew, their entry points read from the new environment's
metadata); their dependencies (SymPy, NumPy, ...) are shared with the running environment by a
``.pth`` file, so the test does not download and build them again.
"""

import json
import os
import site
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "w2s-shrinkage"

# one worker builds the fresh environment once for all the tests of this module
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("example-mechanism-venv")]


@pytest.fixture(scope="session")  # session: a module fixture is rebuilt when xdist interleaves
def fresh(tmp_path_factory):
    """A new virtual environment with w2s-theory and the example package installed."""
    home = tmp_path_factory.mktemp("fresh")
    venv.EnvBuilder(with_pip=True).create(home / "venv")
    python = home / "venv" / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                              "['purelib'])"], capture_output=True, text=True,
                             check=True).stdout.strip()
    shared = [p for p in {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
              if Path(p).is_dir()]
    Path(purelib, "_shared_dependencies.pth").write_text("\n".join(shared) + "\n")
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(ROOT), str(EXAMPLE)],
                   check=True, env=env, capture_output=True)
    return python, home


def _w2s(fresh, *args, check=True):
    python, home = fresh
    # the suite's disk cache (the built-in mechanisms' derivations are keyed on their source,
    # which the fresh copy shares; the plug-in's own are derived in the fresh environment):
    # a cache of its own made `latex --document` derive every mechanism again, 40 s
    out = subprocess.run([python, "-c", "from proofs_check.cli import main; main()", *args],
                         capture_output=True, text=True, cwd=home)
    if check:
        assert out.returncode == 0, out.stderr
    return out


def test_the_installed_package_is_the_fresh_one(fresh):
    python, home = fresh
    out = subprocess.run([python, "-c", "import w2s_shrinkage, theory; "
                          "print(w2s_shrinkage.__file__); print(theory.__file__)"],
                         capture_output=True, text=True, check=True, cwd=home)
    assert all(str(home) in line for line in out.stdout.split())


def test_listed_with_its_quantity_claim_and_figure(fresh):
    listing = _w2s(fresh, "list").stdout
    assert "shrinkage.optimal_shrink" in listing
    assert "shrinkage.optimal_student_beats_teacher" in listing
    assert "shrinkage" in _w2s(fresh, "list", "--mechanisms").stdout
    assert "shrinkage-risk" in _w2s(fresh, "list", "--figures").stdout


def test_eval_and_latex_of_the_derived_quantity(fresh):
    # Wiener's factor r2/(r2 + sigma2) at r2 = 1, sigma2 = 1/4 is exactly 4/5
    assert _w2s(fresh, "eval", "shrinkage.optimal_shrink", "r2=1", "sigma2=1/4",
                "--dps", "20").stdout.strip() == "0.8"
    # the best student's risk r2 sigma2/(r2 + sigma2) = 1/5
    assert _w2s(fresh, "eval", "shrinkage.optimal_student_risk", "r2=1",
                "sigma2=1/4").stdout.strip() == "0.2"
    assert _w2s(fresh, "latex", "shrinkage.optimal_shrink").stdout.strip() == \
        r"c^\star = \frac{r^2}{r^2 + \sigma^2}"
    document = _w2s(fresh, "latex", "--document", "--claims").stdout
    assert r"\texttt{shrinkage.\allowbreak{}optimal\_shrink}" in document
    assert r"\begin{claim}[\texttt{shrinkage.optimal\_\allowbreak{}student" in document


def test_verified_by_proof_sampling_and_monte_carlo(fresh):
    report = json.loads(_w2s(fresh, "verify", "shrinkage", "--json", "--jobs", "1", "--mc",
                             "1").stdout)
    (claim,) = report["claims"]
    assert claim["claim"] == "shrinkage.optimal_student_beats_teacher"
    routes = {r["route"]: r["status"] for r in claim["routes"]}
    assert routes == {"symbolic": "proved", "sampled": "holds", "montecarlo": "holds"}
    assert claim["status"] == "proved"


def test_simulated_against_theory(fresh):
    out = _w2s(fresh, "simulate", "shrinkage", "shrink=0.8", "r2=1", "sigma2=0.25", "--d", "400",
               "--reps", "20").stdout
    assert "shrinkage.student_risk" in out and "DISAGREE" not in out


def test_bad_input_is_one_line_and_exit_2(fresh):
    out = _w2s(fresh, "eval", "shrinkage.student_risk", "shrink=2", "r2=1", "sigma2=1",
               check=False)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "shrink" in out.stderr


def test_plotted(fresh):
    python, home = fresh
    _w2s(fresh, "plot", "shrinkage-risk", "-o", str(home / "risk.png"), "--quick")
    assert (home / "risk.png").stat().st_size > 10_000


def test_a_mutant_of_the_plug_in_claim_is_refuted(fresh):
    # the student at c = 1/2 (not Wiener's factor) is not always better: at r2 = 1, sigma2 = 0
    # it loses r2/4 to a noiseless teacher; the sampled route must find such a point
    python, home = fresh
    code = (
        "import sympy\n"
        "from proofs_check import check\n"
        "from theory import quantity\n"
        "from theory.claims import claim\n"
        "c = claim('shrinkage.optimal_student_beats_teacher')\n"
        "from theory.symbols import symbol\n"
        "half = quantity('shrinkage.student_risk').xreplace({symbol('shrink'): sympy.Rational(1, 2)})\n"
        "mutant = c.replace(conclusion=sympy.Le(half, quantity('shrinkage.teacher_risk')))\n"
        "r = check(mutant, routes=['sampled'], examples=50).route('sampled')\n"
        "print(r.status, sorted(r.counterexample))\n")
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=home)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "refuted" and "r2" in out.stdout, out.stdout
