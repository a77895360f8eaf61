"""The presentation forms of mechanism 3 (``theory/multi_index.py``): how they read and print.

That each form equals its definition is checked for every quantity by ``test_presentation.py``.
"""

import random

import sympy

from theory import get, names
from theory.latex import presentation
from theory.linebreak import TEXT_WIDTH_EM, display, tex_width
from theory.notation import expand_notation, ref

MINE = [n for n in names() if n.startswith("multi_index.")]


def test_ref_is_one_symbol_per_quantity_when_two_share_a_latex_symbol():
    """Regression: ``ref`` was keyed on the LaTeX symbol, so ``ref("multi_index.teacher_risk")``
    returned ridge's ``L_t`` (and a ``*_given_summary`` ref its P-ideal twin)."""
    for a, b in [("ridge.teacher_risk", "multi_index.teacher_risk"),
                 ("multi_index.student_norm_rate", "multi_index.student_norm_rate_given_summary")]:
        assert get(a).symbol == get(b).symbol
        assert ref(a) != ref(b)
        assert expand_notation(ref(a)) == get(a).expr
        assert expand_notation(ref(b)) == get(b).expr


def test_each_pair_is_one_formula_with_and_without_the_summary_substituted():
    """``X`` is ``X_given_summary`` at the P-ideal teacher's ``(B_e, B_2, Q)`` (T5)."""
    from theory.multi_index import B_2, B_e, Q

    summary = {B_e: get("multi_index.teacher_summary_B_e").expr,
               B_2: get("multi_index.teacher_summary_B_2").expr,
               Q: get("multi_index.teacher_summary_Q").expr}
    pairs = [n for n in MINE if n + "_given_summary" in MINE]
    assert len(pairs) == 9
    rng = random.Random(9)
    for name in pairs:
        ideal = expand_notation(presentation(name)[0])
        given = expand_notation(presentation(name + "_given_summary")[0]).xreplace(summary)
        at = {s: sympy.Rational(rng.randint(1, 300), 100)
              for s in ideal.free_symbols | given.free_symbols}
        a, b = ideal.xreplace(at).evalf(30), given.xreplace(at).evalf(30)
        assert abs(a - b) <= 1e-25 * (1 + abs(b)), name


def test_every_display_fits_the_text_width_on_one_line():
    for name in MINE:
        expr, order = presentation(name)
        tex = display(get(name).symbol, expr, order)
        assert "resizebox" not in tex and tex.startswith(r"\begin{equation*}"), name
        assert tex_width(tex.splitlines()[1]) <= TEXT_WIDTH_EM, name


def test_the_notation_list_reads_as_the_model_is_written():
    from theory.notation import notations

    shown = {n.latex_name: n.shown for n in notations("multi_index")}
    assert shown["S_y"] == r"\sum_{k=1}^{4} c_{e,k}^{2} + \sum_{k=2}^{4} c_{h,k}^{2} + \sigma^2"
    assert shown["q_s"] == r"1 + \theta^{2}"
    assert shown[r"\nu_s"] == r"\nu(q_s) = \sqrt{\frac{2}{\pi \left(1 + q_s\right)}}"
