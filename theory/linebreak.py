r"""Line breaking of displays by width: :func:`tex_width` estimates how wide typeset LaTeX is,
:func:`display` breaks ``lhs = expr`` over the lines of an ``align*`` (or ``aligned``) to fit.

A display too wide for the page breaks at the top-level sums, and inside a product or a fraction
when one term alone is too wide.

Examples
--------
>>> from theory.linebreak import display, tex_width
>>> from theory.symbols import lam, gamma
>>> tex_width("a + b") < tex_width("a + b + c")
True
>>> print(display("x", lam + gamma))
\begin{equation*}
x = \gamma + \lambda
\end{equation*}
"""

from __future__ import annotations

import re

import sympy

from theory.printer import ordered_terms, to_latex

__all__ = ["TEXT_WIDTH_EM", "tex_width", "display"]

#: Width of the document's text block, in em of its 10pt font (A4, 2.2 cm margins).
TEXT_WIDTH_EM = 44.0


# --- width of typeset LaTeX ---------------------------------------------------------------

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_]|[^\s]")
_ZERO = {r"\left", r"\right", r"\displaystyle", r"\limits", r"\nolimits", r"\bigl", r"\bigr",
         r"\Bigl", r"\Bigr", r"\biggl", r"\biggr", r"\mathrm", r"\operatorname", r"\mathcal",
         r"\mathbf", r"\text", r"\begin", r"\end", "&", r"\\", r"\nonumber", r"\star"}
_WIDE = {"+": 1.3, "-": 1.3, "=": 1.4, "<": 1.4, ">": 1.4, r"\geq": 1.4, r"\leq": 1.4,
         r"\ge": 1.4, r"\le": 1.4, r"\neq": 1.4, r"\cdot": 0.8, r"\quad": 1.0, r"\qquad": 2.0,
         r"\,": 0.17, r"\;": 0.28, ",": 0.5, r"\to": 1.5, r"\max": 1.6, r"\min": 1.6,
         r"\log": 1.4, r"\infty": 1.0, r"\int": 0.8, r"\sum": 1.2, r"\langle": 0.4,
         r"\rangle": 0.4, r"\star": 0.5, "'": 0.3}


def _group(tokens, i):
    """Parse one argument (a ``{...}`` group or a single token) starting at ``i``."""
    if i < len(tokens) and tokens[i] == "{":
        depth, j = 1, i + 1
        while j < len(tokens) and depth:
            depth += {"{": 1, "}": -1}.get(tokens[j], 0)
            j += 1
        return tokens[i + 1:j - 1], j
    return tokens[i:i + 1], i + 1


def _width(tokens, scale: float) -> float:
    total, i = 0.0, 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == r"\frac" or tok == r"\dfrac":
            num, i = _group(tokens, i + 1)
            den, i = _group(tokens, i)
            inner = scale if scale == 1.0 else 0.7 * scale
            total += max(_width(num, 0.85 * inner), _width(den, 0.85 * inner)) + 0.3 * scale
            continue
        if tok in ("^", "_"):
            arg, i = _group(tokens, i + 1)
            total += _width(arg, 0.7 * scale)
            continue
        if tok == r"\sqrt":
            arg, i = _group(tokens, i + 1)
            total += _width(arg, scale) + 1.0 * scale
            continue
        if tok in (r"\begin", r"\end"):
            _, i = _group(tokens, i + 1)
            continue
        if tok in ("{", "}") or tok in _ZERO:
            i += 1
            continue
        if tok in _WIDE:
            total += _WIDE[tok] * scale
        elif tok.startswith("\\"):
            total += 0.68 * scale
        else:
            total += 0.6 * scale
        i += 1
    return total


def tex_width(tex: str) -> float:
    r"""Estimated width, in em, of ``tex`` typeset in display style.

    Fractions count their wider part, scripts count at 70%, ``\left``/``\right`` count nothing;
    the estimate is calibrated so that what it admits fits (the document's CI check compiles it
    and fails on any overfull box).

    Examples
    --------
    >>> from theory.linebreak import tex_width
    >>> tex_width(r"\frac{a + b}{c}") < tex_width("a + b + c")
    True
    """
    return _width(_TOKEN.findall(tex), 1.0)


# --- breaking a display over lines ---------------------------------------------------------

def _chunks(expr, order, width) -> list[str]:
    """LaTeX pieces of ``expr`` that may be put on separate lines, each narrower than ``width``
    when that is possible (a sum breaks between terms, a product or fraction inside its sum)."""
    tex = to_latex(expr, order)
    if tex_width(tex) <= width:
        return [tex]
    if isinstance(expr, sympy.Add):
        out = []
        for k, term in enumerate(ordered_terms(expr, order)):
            negative = term.could_extract_minus_sign()
            body = -term if negative else term
            pieces = _chunks(body, order, width - 1.5)
            sign = "- " if negative else ("" if k == 0 else "+ ")
            if len(pieces) > 1 and isinstance(body, sympy.Add):
                pieces = [r"\Bigl(" + pieces[0]] + pieces[1:-1] + [pieces[-1] + r"\Bigr)"]
            out += [sign + pieces[0]] + pieces[1:]
        return out
    if isinstance(expr, (sympy.FiniteSet, sympy.Tuple)):
        items = [to_latex(a, order) for a in expr.args]
        if isinstance(expr, sympy.FiniteSet):
            return [r"\Bigl\{" + items[0] + ","] + [t + "," for t in items[1:-1]] + [
                items[-1] + r"\Bigr\}"] if len(items) > 1 else [tex]
        return [tex]
    if isinstance(expr, sympy.Mul):
        numer, denom = sympy.fraction(expr) if order != "none" else (expr, sympy.S.One)
        if denom != 1:
            prefix = r"\frac{1}{%s}" % to_latex(denom, order)
            inner = _chunks(numer, order, width - tex_width(prefix) - 1)
            if len(inner) > 1:
                return [prefix + r"\Bigl(" + inner[0]] + inner[1:-1] + [inner[-1] + r"\Bigr)"]
            return [tex]
        factors = list(expr.args) if order == "none" else list(expr.as_ordered_factors())
        adds = [f for f in factors if isinstance(f, sympy.Add)]
        if adds:
            big = max(adds, key=lambda f: tex_width(to_latex(f, order)))
            rest = [f for f in factors if f is not big]
            prefix = to_latex(sympy.Mul(*rest, evaluate=False), order) if rest else ""
            if prefix.startswith("-") or prefix == "1":
                prefix = prefix.lstrip("-1 ")
            inner = _chunks(big, order, width - tex_width(prefix) - 1)
            if len(inner) > 1:
                return ([prefix + r" \Bigl(" + inner[0]] + inner[1:-1]
                        + [inner[-1] + r"\Bigr)"])
    return [tex]


def _pack(first_width: float, chunks: list[str], width: float) -> list[str]:
    lines, current, room = [], "", first_width
    for piece in chunks:
        candidate = f"{current} {piece}".strip()
        if current and tex_width(candidate) > room:
            lines.append(current)
            current, room = piece, width - 2.0
        else:
            current = candidate
    return lines + [current]


def display(lhs: str | None, expr, order: str | None = None, *, width: float = TEXT_WIDTH_EM,
            env: str = "align*", relation: str = "=") -> str:
    r"""A display ``lhs = expr`` that fits ``width`` em: one line, or broken over ``align*``.

    Parameters
    ----------
    lhs : str or None
        LaTeX of the left side (``None``: the expression alone).
    expr : sympy.Basic
        The right side (a relation ``Eq``/``Ge``/... prints its own two sides).
    order : str, optional
        Print order (``"none"`` for presentation forms).
    width : float
        Available width in em.
    env : {"align*", "aligned", "equation*"}
        ``aligned`` gives an environment that goes inside ``$$ ... $$`` (the docs).
    relation : str
        The relation between the sides.

    Returns
    -------
    str

    Examples
    --------
    >>> from theory.linebreak import display
    >>> from theory.ridge import teacher_risk
    >>> print(display(r"\mathcal{L}_t", teacher_risk, width=12))
    \begin{align*}
    \mathcal{L}_t &= \gamma_t \sigma^2 \left(m_t - m'_t \lambda_t\right)\\
    &\qquad + m'_t \lambda_t^{2} r^2
    \end{align*}
    """
    if isinstance(expr, sympy.core.relational.Relational) and lhs is None:
        rel = {"==": "=", ">=": r"\geq", "<=": r"\leq", ">": ">", "<": "<", "!=": r"\neq"}
        lhs, relation, expr = to_latex(expr.lhs, order), rel[expr.rel_op], expr.rhs
    head = f"{lhs} {relation} " if lhs else ""
    chunks = _chunks(expr, order, width - 2.0)
    one_line = head + " ".join(chunks)
    if tex_width(one_line) <= width:
        if env == "aligned":
            return one_line
        return "\\begin{equation*}\n%s\n\\end{equation*}" % one_line
    lines = _pack(width - tex_width(head), chunks, width)
    if env != "aligned" and max(map(tex_width, lines)) > 1.05 * width:
        # a single term wider than the page (an explicit form or a user's expression: every
        # registered quantity's presentation form fits, and the document test checks that none
        # lands here): scaled to the text width rather than overflowing
        return ("\\begin{equation*}\n\\resizebox{\\linewidth}{!}{$\\displaystyle %s$}\n"
                "\\end{equation*}" % one_line)
    amp = f"{lhs} &{relation} " if lhs else "&"
    body = amp + lines[0] + "".join("\\\\\n&\\qquad " + line for line in lines[1:])
    if env == "aligned":
        return "\\begin{aligned}\n%s\n\\end{aligned}" % body
    return "\\begin{%s}\n%s\n\\end{%s}" % (env, body, env)
