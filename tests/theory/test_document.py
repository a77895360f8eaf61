"""The standalone LaTeX document compiles with pdflatex and fits the page (no overfull box)."""

import shutil
import subprocess

import pytest

from theory.document import document

pytestmark = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")


@pytest.mark.slow
def test_document_compiles_without_overfull_boxes(tmp_path):
    (tmp_path / "w2s.tex").write_text(document(claims=True))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "w2s.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    log = (tmp_path / "w2s.log").read_text(errors="replace")
    assert run.returncode == 0, log[-2000:]
    overfull = [line for line in log.splitlines() if "Overfull" in line]
    assert overfull == []
    # every display fits by its form and line breaking, none by shrinking the font
    text = (tmp_path / "w2s.tex").read_text()
    scaled = [block.rsplit(r"\paragraph{", 1)[-1].split("}")[0]
              for block in text.split(r"\resizebox")[:-1]]
    assert scaled == []
    assert (tmp_path / "w2s.pdf").stat().st_size > 10_000


def test_document_has_a_section_per_mechanism_and_no_tautology():
    text = document()
    for title in ("Marchenko", "Mechanism 1", "Mechanism 2", "Mechanism 3"):
        assert f"\\section{{{title}" in text
    assert r"m_{\gamma}(z) = m_{\gamma}(z)" not in text
    assert r"\kappa_{\gamma}(\lambda) = \kappa_{\gamma}" not in text
    assert "multline" not in text and "(\\sigma^2)^" not in text and "\\sqrt{r^2}" not in text
