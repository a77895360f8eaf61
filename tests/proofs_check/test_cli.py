"""The ``w2s`` command line: outputs, exit codes, one-line errors."""

import shutil
import subprocess
import sys

import mpmath
import pytest

from proofs_check.cli import run


def test_eval_prints_40_digits(capsys):
    code = run(["eval", "ridge.student_risk", "lam_s=0.3", "gamma_s=0.5", "lam_t=0.05",
                "gamma_t=0.5", "sigma2=1", "--dps", "40"])
    out = capsys.readouterr().out.strip()
    assert code == 0
    digits = out.replace(".", "").lstrip("0")
    assert len(digits) == 40
    # independent check of the value: the population-free formula from the overlaps
    with mpmath.workdps(45):
        assert abs(mpmath.mpf(out) - mpmath.mpf("0.5278777634208545017496211631998520573375")) \
            < mpmath.mpf(10) ** -39


def test_list_shows_quantities(capsys):
    assert run(["list"]) == 0
    out = capsys.readouterr().out
    assert "ridge.student_risk" in out and "mp.stieltjes" in out


def test_latex_compact_and_explicit(capsys):
    assert run(["latex", "ridge.teacher_risk"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(r"\mathcal{L}_t = ") and r"m'_t" in out
    assert run(["latex", "ridge.teacher_risk", "--form", "explicit"]) == 0
    assert r"\sqrt" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["eval", "ridge.teacher_risk", "lam_t=0.1", "gamma_t=-1", "sigma2=1"], "gamma_t must be in"),
    (["eval", "ridge.teacher_risk", "lam_t=nan", "gamma_t=1", "sigma2=1"], "lam_t must be a finite"),
    (["eval", "ridge.teacher_risk", "gamma_t=1", "sigma2=1"], "missing parameter lam_t"),
    (["eval", "ridge.no_such"], "unknown quantity 'ridge.no_such'"),
    (["eval", "mp.kappa", "lam"], "expected PARAM=VALUE"),
    (["eval", "mp.kappa", "lam=1", "gamma=1", "--dps", "x"], "--dps"),
    (["latex"], "give a quantity NAME or --document"),
    (["latex", "mp.kappa", "--form", "fancy"], "--form"),
    (["nonsense"], "No such command"),
])
def test_bad_input_exits_2_with_one_line(argv, message, capsys):
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_console_script_has_no_traceback():
    exe = shutil.which("w2s")
    if exe is None:
        pytest.skip("the package is not installed (no w2s on PATH)")
    proc = subprocess.run([exe, "eval", "ridge.teacher_risk", "lam_t=1", "gamma_t=-1",
                           "sigma2=1"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("w2s: error: gamma_t must be in (0, inf)")
    assert "Traceback" not in proc.stderr


def test_latex_document_compiles(tmp_path):
    tex = tmp_path / "w2s.tex"
    assert run(["latex", "--document", "-o", str(tex)]) == 0
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (CI installs texlive-latex-base)")
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert (tmp_path / "w2s.pdf").stat().st_size > 10_000


def test_module_runs_as_script():
    proc = subprocess.run([sys.executable, "-c", "from proofs_check.cli import run; "
                           "raise SystemExit(run(['eval', 'mp.kappa', 'lam=0', 'gamma=3']))"],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout == "2\n"


def test_command_line_constants_match_the_modules_they_mirror():
    """The CLI keeps route names, default routes and LaTeX forms as constants (so `w2s --help`
    imports nothing heavy); they must stay equal to the modules' own."""
    from proofs_check import cli
    from proofs_check.checking import DEFAULT_ROUTES
    from proofs_check.routes import ROUTES
    from theory.latex import FORMS

    assert cli.ROUTE_NAMES == tuple(ROUTES)
    assert cli.DEFAULT_ROUTES == tuple(DEFAULT_ROUTES)
    assert cli.FORMS == tuple(FORMS)
