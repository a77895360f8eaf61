"""Sphinx directives that render quantities and derivations from their SymPy definitions.

``{w2s-quantity} NAME`` shows the compact form (and with ``:explicit:`` the radicals);
``{w2s-derivation} NAME`` shows every step SymPy computed. The docs cannot drift from the code.
"""

from docutils import nodes
from docutils.parsers.rst import Directive, directives


def _math(tex):
    node = nodes.math_block(tex, tex)
    node["nowrap"] = False
    node["number"] = None
    return node


class QuantityDirective(Directive):
    required_arguments = 1
    option_spec = {"explicit": directives.flag}

    def run(self):
        from theory.printing import latex
        from theory.registry import get

        q = get(self.arguments[0])
        params = ", ".join(f"``{p.name}``" for p in q.parameters)
        out = [nodes.paragraph(text=f"{q.name}: {q.description} (parameters: "
                                    f"{', '.join(p.name for p in q.parameters)}).")]
        out.append(_math(latex(q.name)))
        if "explicit" in self.options:
            out.append(nodes.paragraph(text="Explicit form (radicals):"))
            out.append(_math(latex(q.name, form="explicit")))
        del params
        return out


class DerivationDirective(Directive):
    required_arguments = 1

    def run(self):
        from theory import multi_index, ridge, weighted_ridge

        (d,) = [d for d in ridge.derivations() + weighted_ridge.derivations()
                + multi_index.derivations() if d.name == self.arguments[0]]
        out = [nodes.paragraph(text=d.statement)]
        for label, tex in d.latex_steps():
            out += [nodes.paragraph(text=f"{label[0].upper()}{label[1:]}:"), _math(tex)]
        return out


def setup(app):
    app.add_directive("w2s-quantity", QuantityDirective)
    app.add_directive("w2s-derivation", DerivationDirective)
    return {"parallel_read_safe": True}
