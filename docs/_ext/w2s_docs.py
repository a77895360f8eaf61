"""Sphinx directives that render quantities and derivations from their SymPy definitions.

``{w2s-quantity} NAME`` shows the presentation form (and with ``:explicit:`` the radicals);
``{w2s-derivation} NAME`` shows every step SymPy computed, each with its left side. Displays are
broken over ``aligned`` lines to fit the page (MathJax does not break lines), and the prose's
ASCII math becomes inline math, so words and formulas use the same notation. The docs cannot
drift from the code.
"""

import functools
import importlib
import re

from docutils import nodes
from docutils.parsers.rst import Directive, directives

#: Width of the docs' text column, in em of the math font.
WIDTH_EM = 34.0


def _math(tex):
    node = nodes.math_block(tex, tex)
    node["nowrap"] = False
    node["number"] = None
    return node


def _paragraph(text, sentence=False):
    """A paragraph whose ``$...$`` spans (from :func:`theory.prose.prose`) are math nodes."""
    from theory.prose import prose, sentence

    para = nodes.paragraph()
    tex = sentence(text, escape=False) if sentence else prose(text, escape=False)
    for k, piece in enumerate(re.split(r"\$([^$]+)\$", tex)):
        if k % 2:
            para += nodes.math(piece, piece)
        elif piece:
            para += nodes.Text(piece)
    return para


class QuantityDirective(Directive):
    required_arguments = 1
    option_spec = {"explicit": directives.flag}

    def run(self):
        import sympy

        from theory.latex import presentation
        from theory.linebreak import display
        from theory.registry import get

        q = get(self.arguments[0])
        params = ", ".join(p.name for p in q.parameters)
        out = [_paragraph(f"{q.name}: {q.description} (parameters: {params}).")]
        expr, order = presentation(q.name)
        lhs = None if isinstance(expr, sympy.Eq) else q.symbol
        out.append(_math(display(lhs, expr, order, width=WIDTH_EM, env="aligned")))
        if "explicit" in self.options:
            out.append(nodes.paragraph(text="Explicit form (radicals):"))
            out.append(_math(display(q.symbol, q.explicit(), width=WIDTH_EM, env="aligned")))
        return out


@functools.lru_cache(maxsize=1)
def _derivations():
    """Every mechanism's derivations, by name: built once per docs build (each directive
    rebuilding all of them cost about half of the build)."""
    from theory.document import sections

    found = {}
    for _, module_name in sections():
        module = importlib.import_module(module_name)
        if hasattr(module, "derivations"):
            found.update((d.name, d) for d in module.derivations())
    return found


class DerivationDirective(Directive):
    required_arguments = 1

    def run(self):
        from theory.linebreak import display

        d = _derivations()[self.arguments[0]]
        out = [_paragraph(d.statement)]
        for k, (label, expr) in enumerate(d.steps):
            lhs = d.lhs[k] if k < len(d.lhs) else None
            out += [_paragraph(label, sentence=True),
                    _math(display(lhs, expr, width=WIDTH_EM, env="aligned"))]
        return out


def _shared_navigation(app, pagename, templatename, context, doctree):
    """The navigation of a source page (``_modules/...``, viewcode's) computed once per folder.

    Those pages are in no toctree, so the site's navigation on each of them is the same but for
    its links, which are relative to the page's folder; the theme computes the whole tree for
    every page (for the 124 source pages, a third of the build, in one process)."""
    if not pagename.startswith("_modules/") or "toctree" not in context:
        return
    folder = pagename.rpartition("/")[0]
    shared = app.builder.__dict__.setdefault("_w2s_navigation", {})
    toctree = context["toctree"]

    def navigation(**options):
        key = (folder, tuple(sorted(options.items())))
        if key not in shared:
            shared[key] = toctree(**options)
        return shared[key]

    context["toctree"] = navigation


def setup(app):
    app.add_directive("w2s-quantity", QuantityDirective)
    app.add_directive("w2s-derivation", DerivationDirective)
    app.connect("html-page-context", _shared_navigation, priority=400)  # before the theme's
    return {"parallel_read_safe": True, "parallel_write_safe": True}
