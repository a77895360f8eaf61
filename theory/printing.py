r"""LaTeX of quantities and derivations, and the standalone document with all of them.

Examples
--------
>>> from theory.printing import latex
>>> latex("ridge.teacher_bias")
"\\mathcal{B}_t = \\lambda_t^{2} r^2 m'_{\\gamma_t}\\left(- \\lambda_t\\right)"
>>> latex("mp.kappa", form="explicit")[:40]
'\\kappa_{\\gamma}(\\lambda) = \\frac{\\gamma}'
"""

from __future__ import annotations

import sympy

from theory.registry import get, names

__all__ = ["FORMS", "latex", "document"]

#: The forms a quantity can be printed in.
FORMS = ("compact", "explicit")


def latex(name: str, form: str = "compact") -> str:
    r"""LaTeX ``symbol = expression`` of the quantity ``name``.

    Parameters
    ----------
    name : str
        Registered quantity name.
    form : {"compact", "explicit"}
        ``compact``: in the primitives ``m``, ``m'``, ``kappa``; ``explicit``: radicals.

    Returns
    -------
    str

    Examples
    --------
    >>> from theory.printing import latex
    >>> print(latex("ridge.optimal_lambda"))
    \lambda^* = \frac{\gamma_t \sigma^2}{r^2}
    """
    if form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}; got {form!r}")
    q = get(name)
    expr = q.expr if form == "compact" else q.explicit()
    return f"{q.symbol} = {sympy.latex(expr)}"


_ESCAPES = {"\\": r"\textbackslash{}", "_": r"\_", "&": r"\&", "%": r"\%", "#": r"\#",
            "$": r"\$", "{": r"\{", "}": r"\}", "^": r"\^{}", "~": r"\~{}", "<": r"$<$",
            ">": r"$>$", "|": r"$|$"}


def _broken(lhs: str, expr: sympy.Basic, width: int = 180) -> str:
    """``lhs = expr`` with a long top-level sum broken into ``multline`` lines."""
    head = f"{lhs} = " if lhs else ""
    if not isinstance(expr, sympy.Add):
        return head + sympy.latex(expr)
    lines, current = [], head
    for i, term in enumerate(expr.as_ordered_terms()):
        tex = sympy.latex(term)
        piece = tex if i == 0 else (f" {tex}" if tex.startswith("-") else f" + {tex}")
        if len(current) + len(piece) > width and current.strip() not in ("", head.strip()):
            lines.append(current)
            current = ""
        current += piece
    return " \\\\\n".join(lines + [current])


def _display(tex: str) -> str:
    env = "multline*" if "\\\\" in tex else "equation*"
    return f"\\begin{{{env}}}\n{tex}\n\\end{{{env}}}"


def _text(s: str) -> str:
    return "".join(_ESCAPES.get(c, c) for c in s)


def document() -> str:
    r"""A standalone LaTeX document with every quantity and every derivation.

    It uses only ``amsmath`` and ``amssymb`` (Debian's ``texlive-latex-base``) and compiles with
    ``pdflatex``.

    Examples
    --------
    >>> from theory.printing import document
    >>> doc = document()
    >>> doc.startswith(r"\documentclass") and doc.rstrip().endswith(r"\end{document}")
    True
    """
    from theory import multi_index, ridge, weighted_ridge  # each mechanism's derivations

    lines = [
        r"\documentclass[10pt]{article}",
        r"\usepackage[margin=2cm]{geometry}",
        r"\usepackage{amsmath,amssymb}",
        r"\allowdisplaybreaks",
        r"\title{w2s-theory: quantities and derivations}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
        r"\section{Quantities}",
        "Each quantity is defined once as a SymPy expression; this document is generated from "
        "those definitions (command \\texttt{w2s latex --document}).",
    ]
    for name in names():
        q = get(name)
        lines += [
            r"\paragraph{\texttt{%s}} %s." % (_text(name), _text(q.description)),
            _display(_broken(q.symbol, q.expr)),
        ]
    lines.append(r"\section{Derivations}")
    for d in ridge.derivations() + weighted_ridge.derivations() + multi_index.derivations():
        lines += [r"\subsection{%s}" % _text(d.title), _text(d.statement)]
        for label, expr in d.steps:
            lines += [r"\paragraph{%s}" % _text(label), _display(_broken("", expr))]
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"
