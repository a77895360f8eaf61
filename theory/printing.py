"""Compatibility module: the former home of the LaTeX output, which now lives in

- :mod:`theory.printer`: the LaTeX printer with the papers' conventions (:func:`to_latex`),
- :mod:`theory.linebreak`: width of typeset LaTeX and displays broken to fit (:func:`display`),
- :mod:`theory.latex`: a registered quantity with its left side (:func:`latex`),
- :mod:`theory.prose`: statements that mix words and ASCII math, set as LaTeX (:func:`prose`),
- :mod:`theory.document`: the standalone LaTeX document (:func:`document`).

New code imports from those modules; this one only re-exports their public names.

Examples
--------
>>> from theory.printing import latex
>>> print(latex("ridge.teacher_bias"))
\\mathcal{B}_t = r^2 \\lambda_t^{2} m'_t
"""

from theory.document import document
from theory.latex import FORMS, STYLES, latex, presentation
from theory.linebreak import TEXT_WIDTH_EM, display, tex_width
from theory.printer import to_latex
from theory.prose import prose

__all__ = ["FORMS", "STYLES", "TEXT_WIDTH_EM", "latex", "to_latex", "presentation", "display",
           "prose", "tex_width", "document"]
