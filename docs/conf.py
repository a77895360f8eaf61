"""Sphinx configuration for the w2s-theory documentation."""

project = "w2s-theory"
author = "w2s-theory developers"
copyright = "2026, w2s-theory developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    # (sphinx-mathjax-offline, declared parallel-safe: docs/_ext/mathjax_offline.py, added below)
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx.ext.intersphinx",
]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "examples", "_intersphinx"]
html_theme = "furo"
html_title = "w2s-theory"
html_static_path = ["_static"]
html_css_files = ["w2s.css"]
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()
autodoc_default_options = {"members": True, "undoc-members": False}
autosummary_generate = False
suppress_warnings = ["myst.header"]
nitpicky = False

import os
import sys
from pathlib import Path

# Links into the docs of the libraries the API names (sympy.Expr, mpmath.mpf, numpy.ndarray,
# hypothesis strategies). The build never goes online: an inventory is read from
# docs/_intersphinx/NAME.inv when it is there (`python docs/_intersphinx/fetch.py` downloads
# them), and fetched from the site only with W2S_DOCS_ONLINE=1; otherwise that library's names
# stay plain text.
INTERSPHINX = {
    "python": "https://docs.python.org/3/",
    "sympy": "https://docs.sympy.org/latest/",
    "mpmath": "https://mpmath.org/doc/current/",
    "numpy": "https://numpy.org/doc/stable/",
    "hypothesis": "https://hypothesis.readthedocs.io/en/latest/",
}
_inventories = Path(__file__).parent / "_intersphinx"
intersphinx_mapping = {}
for _name, _url in INTERSPHINX.items():
    if (_inventories / f"{_name}.inv").exists():
        intersphinx_mapping[_name] = (_url, str(_inventories / f"{_name}.inv"))
    elif os.environ.get("W2S_DOCS_ONLINE") == "1":
        intersphinx_mapping[_name] = (_url, None)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "_ext"))
extensions += ["mathjax_offline", "w2s_docs"]  # MathJax 3 served from _static: no network
autodoc_inherit_docstrings = False


def _gallery(app):
    """Draw the gallery's figures (quick simulations) into docs/_generated at build time."""
    from pathlib import Path

    from numerics.plots import figures, plot

    if not (Path(app.srcdir) / "gallery.md").exists():  # a partial build (the render test)
        return
    out = Path(app.srcdir) / "_generated"
    out.mkdir(exist_ok=True)
    for name in figures():
        target = out / f"{name}.png"
        if not target.exists():
            plot(name, target, quick=True)
    _pythia_figure(out / "pythia-sciq.png")


def _pythia_figure(target):
    """The figure of docs/checkpoints-harness.md: the shipped Pythia subset, SciQ accuracy."""
    from pathlib import Path

    if target.exists():
        return
    from numerics.checkpoints import analyse
    from numerics.plots.checkpoints import checkpoint_figure
    from proofs_check.pgr_inputs import from_harness

    base = Path(__file__).resolve().parents[1] / "tests" / "data" / "pythia" / "v0"
    roles = {"weak": base / "pythia-70m", "w2s": base / "pythia-160m",
             "ceiling": base / "pythia-410m"}
    ((data, _, _, _),) = from_harness(roles, task="sciq", metric="acc")
    checkpoint_figure([analyse(data, B=1000, seed=0)], target)


def setup(app):
    app.connect("builder-inited", _gallery)
