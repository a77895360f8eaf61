r"""The standalone LaTeX document: per mechanism its notation, quantities, derivations and claims.

``w2s latex --document [--claims]`` writes :func:`document`; it compiles with ``pdflatex`` without
overfull boxes (``.ci/check_latex.sh``).

Examples
--------
>>> from theory.document import document, sections
>>> sections()[:2]
[('mp', 'theory.marchenko_pastur'), ('ridge', 'theory.ridge')]
>>> r"\section{" in document()
True
"""

from __future__ import annotations

import importlib
import re

import sympy

from theory.latex import presentation
from theory.linebreak import display
from theory.notation import notations
from theory.printer import to_latex
from theory.prose import escape, prose, sentence
from theory.registry import get, names, registered

__all__ = ["document", "sections"]


def sections() -> list[tuple[str, str]]:
    """``[(prefix, module)]`` of every mechanism with quantities, in the document's order.

    The order is the catalogue's (the built-ins first, each mechanism's modules as its
    description lists them), so that a section comes after those whose shorthand it uses.

    Examples
    --------
    >>> from theory.document import sections
    >>> dict(sections())["single_index"]
    'theory.single_index'
    """
    from theory.catalogue import catalogue

    used = {name.split(".")[0] for name in names()}
    return [pair for m in catalogue().values() for pair in m.theory if pair[0] in used]


def _title(module) -> str:
    doc = (module.__doc__ or module.__name__).strip().splitlines()[0].rstrip(".")
    doc = re.sub(r"\s*\(``[^`]*``[^)]*\)", "", doc)
    return prose(doc.replace("``", ""))


def _claims_block(prefix: str) -> list[str]:
    from theory.claims import claims

    out = []
    for c in claims():
        if c.id.split(".")[0] != prefix:
            continue
        out += [r"\begin{claim}[\texttt{%s}]" % escape(c.id).replace(r"\_", r"\_\allowbreak{}"),
                prose(c.statement),
                r"\par\smallskip\noindent\emph{Source:} %s." % prose(c.source.rstrip(".")),
                r"\end{claim}"]
    return out


def document(claims: bool = False) -> str:
    r"""A standalone LaTeX document: per mechanism its notation, quantities and derivations.

    Each quantity appears once with its symbol as the left side; primitives appear by their
    defining equations; every derivation step has a left side or a sentence. With
    ``claims=True`` each registered claim follows as a theorem-like ``claim`` environment with
    its source. Only ``amsmath``, ``amssymb``, ``amsthm``, ``graphicx`` and ``geometry`` are used
    (Debian's ``texlive-latex-base``); the document compiles with ``pdflatex`` without overfull
    boxes (a display with a single term wider than the page is scaled to the text width).

    Examples
    --------
    >>> from theory.document import document
    >>> doc = document()
    >>> doc.startswith(r"\documentclass") and doc.rstrip().endswith(r"\end{document}")
    True
    >>> r"\begin{claim}" in document(claims=True)
    True
    """
    lines = [
        r"\documentclass[10pt,a4paper]{article}",
        r"\usepackage[margin=2.2cm]{geometry}",
        r"\usepackage{amsmath,amssymb,amsthm,graphicx}",
        r"\allowdisplaybreaks",
        r"\sloppy",
        r"\newtheorem{claim}{Claim}",
        r"\title{w2s-theory: quantities, derivations%s}" % (" and claims" if claims else ""),
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
        "Each quantity is defined once as a SymPy expression; this appendix is generated from "
        "those definitions (\\texttt{w2s latex --document%s}). Every displayed form is checked "
        "equal to its definition by the test suite, and every derivation step is computed by "
        "SymPy." % (" --claims" if claims else ""),
    ]
    lines += _notation_section()
    for prefix, module_name in sections():
        module = importlib.import_module(module_name)
        lines.append(r"\section{%s}" % _title(module))
        shorthand = notations(prefix)
        if shorthand:
            lines.append(r"\paragraph{Notation.}")
            # an atomic notation's definition printed with shorthand would read m_t = m_t
            items = [r"%s &= %s" % (n.latex_name,
                                    n.shown or to_latex(n.definition, shorthand=not n.atomic))
                     for n in shorthand]
            lines.append("\\begin{align*}\n%s\n\\end{align*}" % " \\\\\n".join(items))
        lines.append(r"\subsection{Quantities}")
        for name in registered():
            if name.split(".")[0] != prefix:
                continue
            q = get(name)
            expr, order = presentation(name)
            if isinstance(expr, sympy.Eq):
                lines.append(r"\paragraph{%s} (\texttt{%s}): $%s$ is defined by" % (
                    _title_case(q.description), escape(name).replace(".", r".\allowbreak{}"),
                    q.symbol))
                lines.append(display(None, expr, order))
                continue
            lines.append(r"\paragraph{%s} (\texttt{%s})." % (
                _title_case(q.description), escape(name).replace(".", r".\allowbreak{}")))
            lhs = None if isinstance(expr, sympy.Eq) else q.symbol
            lines.append(display(lhs, expr, order))
        derivations = getattr(module, "derivations", None)
        if derivations is not None:
            lines.append(r"\subsection{Derivations}")
            for d in derivations():
                lines += [r"\subsubsection*{%s}" % prose(d.title), prose(d.statement)]
                for label, lhs, expr in _as_written(d):
                    lines += [sentence(label), display(lhs, expr)]
        if claims:
            block = _claims_block(prefix)
            if block:
                lines += [r"\subsection{Claims}"] + block
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def _is_check(label: str, expr) -> bool:
    """A bookkeeping step: a difference SymPy reduces to 0 (the test suite runs it)."""
    return "(SymPy" in label and expr == 0


def _as_written(d) -> list[tuple[str, str | None, sympy.Expr]]:
    """The steps of derivation ``d`` as a paper writes them: without the checks, and a result
    that SymPy factors shown once, factored (the raw form stays in ``d.steps``).

    Examples
    --------
    >>> from theory.document import _as_written
    >>> from theory.ridge import overlap_gap_identity
    >>> [label for label, _, _ in _as_written(overlap_gap_identity())]
    ['B - A, factored by SymPy']
    """
    steps = [(label, d.lhs[k] if k < len(d.lhs) else None, expr)
             for k, (label, expr) in enumerate(d.steps) if not _is_check(label, expr)]
    out: list[tuple[str, str | None, sympy.Expr]] = []
    for label, lhs, expr in steps:
        if label.lower().startswith("factored") and out and out[-1][1] == lhs:
            label = re.sub(r"\s*expanded$", "", out.pop()[0]) + ", factored by SymPy"
        out.append((label, lhs, expr))
    return out


#: Where the two papers use one letter for two objects, the appendix renames one (said once).
RENAMED = (
    r"The two papers use some letters for different objects; this appendix gives each object its "
    r"own glyph: $m_\gamma$ and $\kappa_\gamma$ are the Marchenko--Pastur primitives, "
    r"$\mathsf{m}$ is the single-index overlap $\langle x, v_0\rangle$ (written $m$ in "
    r"arXiv:2605.05710), $\ell$ its spike strength, $\psi_N$ the width ratio $N/d$ of mechanism 3, $\eta_{\min}$ the spectral overlap a "
    r"pre-training budget must reach, $\nu(q) = \mathbb{E}[\sigma'(\sqrt{q}\, g)]$ the "
    r"activation's slope in mechanism 3 and $\omega$ its step-two factor, and $t_\theta$, "
    r"$\delta_s$ the weighted-ridge teacher's and student's components along the pre-trained "
    r"direction.")


def _notation_section() -> list[str]:
    """The parameters of every quantity in the document, once, with their meaning and range."""
    from theory.symbols import parameters

    used = set()
    for name in names():
        used.update(p.name for p in get(name).parameters)
    items = [r"\item[$%s$] %s; in $%s$." % (p.latex_name, prose(p.description.rstrip(".")),
                                               sympy.latex(p.domain))
             for name, p in sorted(parameters().items(), key=lambda kv: kv[0].lower())
             if name in used]
    return [r"\section*{Notation}", RENAMED, r"\begin{description}", *items,
            r"\end{description}"]


def _title_case(description: str) -> str:
    text = prose(description)
    return text[:1].upper() + text[1:]
