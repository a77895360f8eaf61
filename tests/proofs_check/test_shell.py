"""`w2s shell`: the namespace, pretty printing on, `%whos`, the warning on hand-made symbols."""

import subprocess
import sys

import sympy

import theory
from proofs_check.shell import namespace


def test_namespace_has_primitives_quantities_claims_and_latex():
    ns = namespace()
    for name in ("m", "mprime", "kappa", "latex", "quantity", "claims", "claim", "symbol",
                 "lam_t", "gamma_s", "ridge", "mp", "weighted_ridge", "evaluate", "check"):
        assert name in ns, name
    assert ns["ridge"].student_risk == theory.quantity("ridge.student_risk")
    assert ns["latex"](ns["lam_t"] ** 2) == r"\lambda_t^{2}"
    assert ns["claim"]("ridge.min_norm_student").id == "ridge.min_norm_student"


def test_the_projects_symbol_is_the_one_with_assumptions():
    assert sympy.Symbol("lam_t") != theory.symbols.lam_t  # the trap the shell warns about
    assert theory.S("lam_t") == theory.symbols.lam_t == theory.symbol("lam_t")
    e = theory.quantity("ridge.optimal_lambda")
    assert e.subs(theory.S("sigma2"), 0) == 0
    assert e.subs(sympy.Symbol("sigma2"), 0) == e


def test_shell_session_pretty_prints_and_lists_its_namespace():
    script = 'whos\nridge.teacher_bias\nx = sympy.Symbol("lam_t")\nexit\n'
    proc = subprocess.run([sys.executable, "-c", "from proofs_check.cli import main; main()",
                           "shell"], input=script, capture_output=True, text=True, timeout=120)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "lam_t" in out and "quantity" in out and "ridge" in out  # %whos is not empty
    assert "λₜ" in out  # the quantity is pretty-printed, not a plain string
    assert "use symbol('lam_t')" in out
