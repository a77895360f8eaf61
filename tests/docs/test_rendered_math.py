"""The docs show rendered math without network access (headless Chromium reads the built DOM).

Two pages (a derivation and the quantities) are built with the docs' own configuration into a
temporary folder, opened from disk in headless Chromium (Debian's ``chromium``), and the DOM
after scripts ran must contain MathJax output and no raw TeX. Skipped when Chromium is absent.
With ``W2S_DOCS_HTML`` set to a built site (CI builds the whole docs first), that site is read.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGES = ["derivations/optimal-lambda", "quantities"]


@pytest.fixture(scope="session")  # session: a module fixture is rebuilt when xdist interleaves
def site(tmp_path_factory):
    built = os.environ.get("W2S_DOCS_HTML")  # CI: the site .ci/run has just built in full
    if built:
        return Path(built).resolve()
    pytest.importorskip("sphinx", reason="needs the docs extra (pip install '.[docs]')")
    from sphinx.cmd.build import build_main

    src = tmp_path_factory.mktemp("src")
    shutil.copy(DOCS / "conf.py", src / "conf.py")
    shutil.copytree(DOCS / "_ext", src / "_ext")
    shutil.copytree(DOCS / "_static", src / "_static")
    (src / "derivations").mkdir()
    for page in PAGES:
        shutil.copy(DOCS / f"{page}.md", src / f"{page}.md")
    (src / "index.md").write_text("# w2s\n\n```{toctree}\n" + "\n".join(PAGES) + "\n```\n")
    out = tmp_path_factory.mktemp("html")
    assert build_main(["-q", "-b", "html", str(src), str(out)]) == 0
    return out


def _rendered_dom(path: Path) -> str:
    run = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                          "--virtual-time-budget=20000", "--dump-dom", path.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"<mjx-assistive-mml.*?</mjx-assistive-mml>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_mathjax_is_served_from_the_build_not_a_cdn(site):
    html = (site / "quantities.html").read_text()
    sources = re.findall(r'<script[^>]*src="([^"]*mathjax[^"]*)"', html, flags=re.I)
    assert sources and not any(s.startswith(("http:", "https:", "//")) for s in sources)
    assert (site / "_static" / "mathjax" / "tex-chtml.js").exists()


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (Debian package `chromium`)")
@pytest.mark.parametrize("page", PAGES)
def test_headless_browser_sees_rendered_math_and_no_raw_tex(site, page):
    raw = (site / f"{page}.html").read_text()
    assert "\\frac" in _visible_text(raw)  # before the scripts run the TeX is there
    dom = _rendered_dom(site / f"{page}.html")
    assert dom.count("<mjx-container") >= 5
    text = _visible_text(dom)
    assert "\\frac" not in text and "\\left(" not in text and "\\begin{aligned}" not in text
