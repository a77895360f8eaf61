"""LaTeX names and forms."""

import sympy

from theory import quantity
from theory.printing import latex
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
    assert quantity("ridge.teacher_risk")._repr_latex_().startswith("$")
    from theory import get
    assert get("ridge.teacher_risk")._repr_latex_().startswith(r"$\displaystyle \mathcal{L}_t =")


def test_explicit_form_has_no_primitives():
    from theory import get
    explicit = get("ridge.student_risk").explicit()
    assert not explicit.atoms(sympy.Function) - explicit.atoms(sympy.Abs)
    assert "sqrt" in str(explicit)
    assert latex("ridge.optimal_lambda") == r"\lambda^\star = \frac{\sigma^2 \gamma_t}{r^2}"
