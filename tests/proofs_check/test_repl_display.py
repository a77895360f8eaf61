"""What `w2s shell`, IPython and Jupyter show for quantities, claims, listings and reports.

Checked through IPython's display formatter with SymPy's printing installed, as `w2s shell`
does (``sympy.init_printing(ip=shell)``): the terminal shows ``text/plain``, Jupyter the richest of
``text/markdown`` / ``text/latex``.
"""

import pytest
import sympy
from IPython.core.interactiveshell import InteractiveShell

import theory
from proofs_check import check
from proofs_check.shell import namespace
from theory.claims import claims
from theory.latex import latex
from theory.latex import load_ipython_extension


@pytest.fixture(scope="module")
def shell():
    ip = InteractiveShell.instance()
    sympy.init_printing(use_unicode=True, ip=ip)
    load_ipython_extension(ip)
    yield ip
    InteractiveShell.clear_instance()


@pytest.fixture(scope="module")
def ns():
    return namespace()


def shown(shell, obj):
    data, _ = shell.display_formatter.format(obj)
    return data


def test_a_quantity_shows_its_left_side_and_presentation_form(shell, ns):
    data = shown(shell, ns["get"]("ridge.student_risk"))
    text = data["text/plain"]
    assert "Quantity(" not in text and "build=" not in text  # no dataclass repr
    first, *rest = text.splitlines()
    assert first.startswith("ridge.student_risk: excess risk")
    # the presentation form in the papers' shorthand, left side first, as SymPy pretty-prints
    assert any(line.strip().startswith("Lₛ = Lₜ") and "uₛ" in line for line in rest), text
    params = text.split("parameters:")[1].split("source:")[0].split()
    assert params[:4] == ["lam_t", "in", "[0,", "oo)"]
    # Jupyter: the equation as the document prints it
    assert data["text/latex"] == r"$\displaystyle %s$" % latex("ridge.student_risk")
    assert data["text/latex"].startswith(r"$\displaystyle \mathcal{L}_s = \mathcal{L}_t - 2 u_s")


def test_a_primitive_shows_its_defining_equation(shell, ns):
    text = shown(shell, ns["get"]("mp.kappa"))["text/plain"]
    assert "κ" in text and "= 0" in text  # kappa^2 - (lam + gamma - 1) kappa - lam = 0


def test_a_claim_shows_statement_region_assumptions_and_source(shell, ns):
    c = ns["claim"]("ridge.over_regularised_teacher_never_beaten")
    data = shown(shell, c)
    text = data["text/plain"]
    assert "Claim(" not in text and "margin=" not in text
    assert text.splitlines()[0] == "claim ridge.over_regularised_teacher_never_beaten [forall]"
    assert "no ridge student beats the teacher" in text
    assert "region: lam_t in [0, 10000]" in text
    assert "assuming: lam_t >= gamma_t*sigma2/r2" in text
    assert "source: arXiv:2505.18346" in text
    assert len(text.splitlines()) <= 12
    md = data["text/markdown"]
    assert r"$\lambda_t \in \left[0, 10000\right]" in md
    assert r"$\lambda_t \geq \frac{\gamma_t \sigma^2}{r^2}$" in md
    assert data["text/latex"].startswith(r"$\displaystyle ")


def test_an_existence_claim_shows_its_witness(shell):
    exists = [c for c in claims() if c.kind in ("exists", "iff")]
    assert exists
    text = shown(shell, exists[0])["text/plain"]
    assert f"witness: some {exists[0].witness} in [" in text


def test_the_claims_listing_is_one_line_per_claim(shell, ns):
    listing = ns["claims"]
    assert len(listing) == len(claims())
    text = shown(shell, listing[:3])["text/plain"]
    lines = text.splitlines()
    assert len(lines) == 4, text  # a header and three claims (was ~60 lines of SymPy)
    for line, c in zip(lines[1:], claims()[:3]):
        assert line.strip().startswith(f"{c.id}  [{c.kind}]")
        assert len(line) <= 200
    everything = shown(shell, listing)["text/plain"].splitlines()
    assert len(everything) == len(claims()) + 1


def test_latex_prints_without_escaping(shell, ns):
    data = shown(shell, ns["latex"]("ridge.optimal_lambda"))
    assert data["text/plain"] == r"\lambda^\star = \frac{\sigma^2 \gamma_t}{r^2}"
    assert data["text/latex"] == r"$\displaystyle \lambda^\star = \frac{\sigma^2 \gamma_t}{r^2}$"
    # of any expression too
    assert shown(shell, ns["latex"](ns["lam_t"] ** 2))["text/plain"] == r"\lambda_t^{2}"


def test_a_report_shows_as_a_table(shell):
    report = check("ridge.min_norm_student", examples=5)
    data = shown(shell, report)
    text = data["text/plain"]
    assert "ClaimReport(" not in text
    header = next(line for line in text.splitlines() if "claim" in line and "status" in line)
    assert "routes" in header and "worst margin" in header
    row = next(line for line in text.splitlines() if "ridge.min_norm_student" in line)
    assert "proved" in row
    md = data["text/markdown"].splitlines()
    assert md[0] == "| claim | status | routes | worst margin | time |"
    assert md[2].startswith("| `ridge.min_norm_student` | proved | symbolic proved, sampled holds")


def test_several_reports_show_as_one_table_with_the_refutation(shell):
    refuted = theory.claims.Claim(theory.quantity("mp.shrinkage_u") <= sympy.Rational(1, 2),
                                  id="demo.half")
    reports = check(["ridge.min_norm_student", refuted], examples=20, jobs=1)
    data = shown(shell, reports)
    text = data["text/plain"]
    assert text.count("┏") == 1  # one table
    assert "ridge.min_norm_student" in text and "demo.half" in text
    assert "counterexample lam=0, gamma=1000" in text  # u = lam m(-lam) is 1 - 1/gamma there
    assert len(data["text/markdown"].splitlines()) == 4
