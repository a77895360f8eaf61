"""LaTeX names and forms."""

from types import SimpleNamespace

import pytest
import sympy

from theory import quantity
from theory.latex import latex
from theory.symbols import gamma_s, lam_s, lam_t, r2, sigma2, sigma2_s


def test_parameter_latex_names_are_the_papers_notation():
    assert sympy.latex(lam_t) == r"\lambda_t"
    assert sympy.latex(gamma_s) == r"\gamma_s"
    assert sympy.latex(sigma2) == r"\sigma^2"
    assert sympy.latex(sigma2_s) == r"\sigma_s^2"
    assert sympy.latex(r2) == "r^2"
    assert str(lam_s) == "lam_s"


def test_terminal_rendering_is_readable():
    text = sympy.pretty(quantity("ridge.teacher_bias"), use_unicode=True)
    assert "λ" in text and "m'" in text


def test_jupyter_rendering():
    from IPython.core.formatters import DisplayFormatter

    from theory import get
    from theory.latex import load_ipython_extension

    assert quantity("ridge.teacher_risk")._repr_latex_().startswith("$")
    shell = SimpleNamespace(display_formatter=DisplayFormatter())
    load_ipython_extension(shell)  # %load_ext theory.latex
    data, _ = shell.display_formatter.format(get("ridge.teacher_risk"))
    assert data["text/latex"].startswith(r"$\displaystyle \mathcal{L}_t =")


def test_explicit_form_has_no_primitives():
    from theory import get
    explicit = get("ridge.student_risk").explicit()
    assert not explicit.atoms(sympy.Function) - explicit.atoms(sympy.Abs)
    assert "sqrt" in str(explicit)
    assert latex("ridge.optimal_lambda") == r"\lambda^\star = \frac{\sigma^2 \gamma_t}{r^2}"


def test_statements_and_descriptions_are_set_as_math():
    """Every claim statement and quantity description reads as prose with real math in the
    document: no identifier is left as escaped ASCII (``rho\\_t``, ``m\\^{}2``)."""
    from theory import get, names
    from theory.claims import claims
    from theory.prose import prose

    texts = [c.statement for c in claims()] + [get(n).description for n in names()]
    left = [t for t in texts if "\\_" in prose(t) or "\\^{}" in prose(t)]
    assert not left, left[:3]


@pytest.mark.parametrize("text, expected", [
    ("H = sum ch_k^2 zeta_h^{2k} < ce1^2", r"$H = \sum c_{h,k}^{2} \zeta_h^{2k} < c_{e,1}^{2}$"),
    ("with q* != 0 has m* = rho_w q*", r"with $q^{*} \neq 0$ has $\mathsf{m}^{*} = \rho_w q^{*}$"),
    ("mu(m) = (1 + m) sum j c_j^2 m^(j-1)", r"$\mu(\mathsf{m}) = (1 + \mathsf{m}) \sum j c_{j}^{2} \mathsf{m}^{j-1}$"),
    ("the spike strength s", "the spike strength $s$"),
    ("is never below 1/spike^2", r"is never below $1/\ell^{2}$"),
    ("R_weak - phi(rho_w) under (A1)", r"$R_{\mathrm{weak}} - \phi(\rho_w)$ under (A1)"),
])
def test_prose_of_the_papers_notation(text, expected):
    from theory.prose import prose

    assert prose(text) == expected


@pytest.mark.parametrize("name", ["ridge.student_risk", "weighted_ridge.student_risk",
                                  "multi_index.student_overlap", "single_index.gd_next_m"])
def test_explicit_form_names_repeated_subexpressions_and_substitutes_back(name):
    """``--form explicit`` names what repeats (as a paper does); the names put back give the
    definition exactly, and the LaTeX is shorter than writing everything out."""
    from theory.latex import latex, named_subexpressions
    from theory.printer import to_latex
    from theory.registry import get

    explicit = get(name).explicit()
    defs, reduced = named_subexpressions(explicit)
    for sym, value in reversed(defs):
        reduced = reduced.xreplace({sym: value})
    assert reduced == explicit
    assert all(sympy.count_ops(v) >= 5 for _, v in defs)
    text = latex(name, form="explicit")
    assert len(text) <= len(to_latex(explicit)) + len(get(name).symbol) + 3
