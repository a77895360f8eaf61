r"""LaTeX a paper can use: presentation forms, line breaking by width, the standalone document.

Every quantity prints with its own symbol as the left side. Its right side is the quantity's
*presentation form* when its mechanism registered one (``register(..., presentation=...)``: an
expression in the papers' shorthand such as ``m_t`` or ``u_s``, checked equal to the definition
by the test suite), otherwise the definition with the shorthand of atomic notations substituted
(:func:`theory.notation.abbreviate`). A display too wide for the page is broken over lines of an
``align*`` (or ``aligned``) at the top-level sums, and inside a product or a fraction when one
term alone is too wide; the width is estimated from the typeset LaTeX.

Examples
--------
>>> from theory.printing import latex
>>> print(latex("ridge.teacher_bias"))
\mathcal{B}_t = r^2 \lambda_t^{2} m'_t
>>> print(latex("ridge.optimal_lambda", style="inline"))
$\lambda^\star = \frac{\sigma^2 \gamma_t}{r^2}$
>>> latex("mp.kappa", form="explicit")[:40]
'\\kappa_{\\gamma}(\\lambda) = \\frac{\\gamma}'
"""

from __future__ import annotations

import importlib
import re

import sympy
from sympy.printing.latex import LatexPrinter

from theory.notation import abbreviate, notations
from theory.registry import get, names
from theory.symbols import Parameter, parameters

__all__ = ["FORMS", "STYLES", "latex", "to_latex", "presentation", "display", "prose",
           "tex_width", "document"]

#: The forms a quantity can be printed in.
FORMS = ("compact", "explicit")
#: How ``latex`` wraps the equation.
STYLES = ("equation", "inline", "align")

#: Width of the document's text block, in em of its 10pt font (A4, 2.2 cm margins).
TEXT_WIDTH_EM = 44.0


class _Printer(LatexPrinter):
    r"""SymPy's LaTeX printer with the papers' conventions.

    ``sigma2**2`` prints ``\sigma^{4}`` (not ``(\sigma^2)^2``), ``sqrt(r2)`` prints ``r``.
    """

    def _print_Pow(self, expr):
        base, exp = expr.as_base_exp()
        if isinstance(base, Parameter) and exp.is_Rational and exp > 0:
            match = re.fullmatch(r"(.+)\^2", base.latex_name)
            if match:
                power = 2 * exp
                stem = match.group(1)
                return stem if power == 1 else "%s^{%s}" % (stem, self._print(power))
        if isinstance(base, Parameter) and exp.is_Integer and exp > 1:
            return "%s^{%s}" % (base.latex_name, exp)
        return super()._print_Pow(expr)

    def _print_Add(self, expr, order=None):
        if self.order != "none":
            terms = list(self._as_ordered_terms(expr, order=order))
            # a sum reads from a positive term: m - lam m', not -lam m' + m
            lead = next((k for k, t in enumerate(terms) if not _split_sign(t)[0]), 0)
            terms = [terms[lead]] + terms[:lead] + terms[lead + 1:]
        else:
            terms = list(expr.args)
        tex = ""
        for i, term in enumerate(terms):
            negative, body = _split_sign(term)
            if i:
                tex += " - " if negative else " + "
            elif negative:
                tex += "- "
            inner = self._print(body)
            if (self.order == "none" and isinstance(body, sympy.Add)) or (
                    negative and inner.lstrip().startswith("-")) or (
                    negative and isinstance(body, sympy.Add)):
                inner = r"\left(%s\right)" % inner
            tex += inner
        return tex

    def _print_Mul(self, expr):
        if self.order != "none":
            return super()._print_Mul(expr)
        negative, body = _split_sign(expr)
        if negative:
            inner = self._print(body)
            if isinstance(body, sympy.Add):
                inner = r"\left(%s\right)" % inner
            return "- " + inner
        return super()._print_Mul(expr)

    def _print_And(self, expr):
        # lo <= x <= hi reads as a chain
        rels = expr.args
        if len(rels) == 2 and all(isinstance(r, (sympy.Le, sympy.Ge)) for r in rels):
            pairs = [(r.lhs, r.rhs) if isinstance(r, sympy.Le) else (r.rhs, r.lhs) for r in rels]
            (a, b), (c, d) = pairs
            if b == c:
                return r"%s \leq %s \leq %s" % (self._print(a), self._print(b), self._print(d))
            if d == a:
                return r"%s \leq %s \leq %s" % (self._print(c), self._print(a), self._print(b))
        return super()._print_And(expr)

    def _print_Symbol(self, expr, style="plain"):
        if isinstance(expr, Parameter) and not re.search(r"\^", expr.latex_name):
            return expr.latex_name
        if type(expr) is sympy.Symbol and expr.name in _SYMBOL_TEX:
            return _SYMBOL_TEX[expr.name]
        return super()._print_Symbol(expr, style).replace("^{star}", r"^{\star}")


#: Plain symbols of derivations (``Symbol("L_t")``) printed in the papers' notation.
_SYMBOL_TEX = {"L_t": r"\mathcal{L}_t", "L_s": r"\mathcal{L}_s", "kappa_t": r"\kappa_t",
               "kappa_s": r"\kappa_s", "u_s": "u_s", "u_t": "u_t", "U_t": "u_t", "v_s": "v_s"}


def _split_sign(term):
    """``(negative, body)`` with ``term = -body`` when negative, keeping the written order."""
    if term.is_Number and term.is_negative:
        return True, -term
    if term.is_Mul and not term.args[0].is_Number and term.could_extract_minus_sign():
        return True, -term
    if term.is_Mul and term.args and term.args[0].is_Number and term.args[0].is_negative:
        coeff, rest = term.args[0], term.args[1:]
        if coeff == -1:
            body = rest[0] if len(rest) == 1 else sympy.Mul(*rest, evaluate=False)
        else:
            body = sympy.Mul(-coeff, *rest, evaluate=False)
        return True, body
    return False, term


def to_latex(expr, order: str | None = None) -> str:
    r"""LaTeX of a SymPy expression with the papers' conventions and shorthand.

    Parameters
    ----------
    expr : sympy.Basic
    order : str, optional
        ``"none"`` keeps the order of unevaluated sums and products as written (presentation
        forms); default: SymPy's order.

    Examples
    --------
    >>> from sympy import sqrt
    >>> from theory.printing import to_latex
    >>> from theory.symbols import sigma2, r2
    >>> to_latex(sigma2**2 * sqrt(r2))
    'r \\sigma^{4}'
    """
    settings = {"order": order} if order else {}
    return _Printer(settings).doprint(abbreviate(expr))


def presentation(name: str):
    """The presentation form of quantity ``name`` and the print order it needs.

    Returns
    -------
    tuple of (sympy.Basic, str or None)
        The registered presentation form (printed with ``order="none"``) or, when there is none,
        the definition (printed in SymPy's order).

    Examples
    --------
    >>> from theory.printing import presentation
    >>> presentation("ridge.student_risk")[0]
    B*v_s + L_t - 2*u_s*(-A + B) + w_s*gamma_s*sigma2_s
    """
    q = get(name)
    form = q.presentation_form()
    return (form, "none") if form is not None else (q.expr, None)


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
    >>> from theory.printing import tex_width
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
    printer = _Printer({"order": order} if order else {})
    if isinstance(expr, sympy.Add):
        out = []
        for k, term in enumerate(printer._as_ordered_terms(expr, order=order)):
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
    >>> from theory.printing import display
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


def latex(name: str, form: str = "compact", style: str = "equation",
          width: float = TEXT_WIDTH_EM) -> str:
    r"""LaTeX ``symbol = expression`` of the quantity ``name``.

    Parameters
    ----------
    name : str
        Registered quantity name.
    form : {"compact", "explicit"}
        ``compact``: the presentation form, in the primitives and the papers' shorthand
        (``m_t = m_{\gamma_t}(-\lambda_t)``, ``u_s = \lambda_s m_s``, ...); ``explicit``: every
        primitive rewritten as radicals.
    style : {"equation", "inline", "align"}
        ``equation``: the bare ``lhs = rhs`` for an ``equation`` environment; ``inline``: inside
        ``$...$``; ``align``: an ``align*`` broken to fit ``width``.
    width : float
        Text width in em for ``align`` (default: the standalone document's).

    Returns
    -------
    str

    Examples
    --------
    >>> from theory.printing import latex
    >>> print(latex("ridge.student_risk"))
    \mathcal{L}_s = \mathcal{L}_t - 2 u_s \left(B - A\right) + v_s B + \sigma_s^2 \gamma_s w_s
    >>> print(latex("mp.kappa"))
    \kappa^{2} - \left(\lambda + \gamma - 1\right) \kappa - \lambda = 0
    """
    if form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}; got {form!r}")
    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}; got {style!r}")
    q = get(name)
    if form == "compact":
        expr, order = presentation(name)
    else:
        expr, order = q.explicit(), None
    lhs = None if isinstance(expr, sympy.Eq) else q.symbol
    if style == "align":
        return display(lhs, expr, order, width=width)
    if isinstance(expr, sympy.Eq):
        text = f"{to_latex(expr.lhs, order)} = {to_latex(expr.rhs, order)}"
    else:
        text = f"{q.symbol} = {to_latex(expr, order)}"
    return f"${text}$" if style == "inline" else text


# --- prose: the ASCII math of statements, as LaTeX ------------------------------------------

_WORDS = {"lam": r"\lambda", "kappa": r"\kappa", "lam_star": r"\lambda^\star", "rho_c": r"\rho_c",
          "L_t": r"\mathcal{L}_t", "L_s": r"\mathcal{L}_s", "theta": r"\theta",
          "beta_star": r"\beta_\star", "b_t": "b_t", "b_s": "b_s", "Gamma": r"\Gamma",
          "Omega": r"\Omega", "inf": r"\inf", "oo": r"\infty", "delta": r"\delta",
          "eta": r"\eta", "epsilon": r"\epsilon", "mu": r"\mu", "pi": r"\pi",
          "zeta_0": r"\zeta_0", "kappa_t": r"\kappa_t", "kappa_s": r"\kappa_s",
          "kappa_0": r"\kappa_0", "rho": r"\rho", "tau": r"\tau", "chi": r"\chi",
          "sigma": r"\sigma", "alpha": r"\alpha", "beta": r"\beta", "eps": r"\epsilon",
          "m_t'": "m'_t", "m_s'": "m'_s", "m'": "m'", "lam_s_max": r"\lambda_s^{\max}",
          "u_t": "u_t", "v_t": "v_t", "w_t": "w_t", "u_s": "u_s", "v_s": "v_s", "w_s": "w_s",
          "m_t": "m_t", "m_s": "m_s", "f_min": r"f_{\min}", "Im": r"\operatorname{Im}",
          "max": r"\max", "min": r"\min", "log": r"\log", "exp": r"\exp", "T": r"\top",
          "sum": r"\sum", "grad": r"\nabla", "cos": r"\cos", "sin": r"\sin",
          "E": r"\mathbb{E}", "BGN": r"\mathrm{BGN}", "Sy": "S_y", "a_tilde": r"\tilde a",
          "ch_k": "c_{h,k}", "W1_s": "W_1^s", "W1_t": "W_1^t", "fit": r"\mathrm{fit}"}
_LETTERS = set("ABCDGHIKNQRSUVWbcdfghjkmnpqstuvwxz")
#: Parameter names that are also English words: in prose they are the word ("the spike
#: strength s"), not the parameter.
_ENGLISH = {"spike"}
#: Greek letters by name: ``theta_e`` is ``\theta_e``, ``Delta`` is ``\Delta``.
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
          "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
          "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega"}
_OPS = {">=": r"\geq", "<=": r"\leq", "!=": r"\neq", "->": r"\to", "=": "=", "<": "<", ">": ">",
        "+": "+", "-": "-", "*": r"\,", "/": "/", "^": "^", "(": "(", ")": ")", "[": "[",
        "]": "]", ",": ",", "||": r"\|", "|": "|", "~": r"\sim", "{": "{", "}": "}"}
_PROSE_TOKEN = re.compile(r"\s+|>=|<=|!=|->|\|\||[A-Za-z][A-Za-z0-9_]*(?:'(?![A-Za-z]))?"
                          r"(?:\*(?![A-Za-z0-9(]))?|\d+(?:\.\d+)?|.",
                          re.S)


def _math_token(tok: str) -> str | None:
    if tok in _OPS:
        return _OPS[tok]
    if len(tok) > 1 and tok.endswith("*"):  # q*, eta*, gamma_s*: an optimum or a threshold
        core = _math_token(tok[:-1])
        return None if core is None else core + "^{*}"
    name = _name_token(tok)
    if name is None and len(tok) > 1 and tok.endswith("'"):  # f', phi'
        core = _name_token(tok[:-1])
        return None if core is None else core + "'"
    return name


def _name_token(tok: str) -> str | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", tok):
        return tok
    declared = parameters()
    if tok in declared and tok not in _ENGLISH:
        return declared[tok].latex_name
    if tok in _WORDS:
        return _WORDS[tok]
    if len(tok) == 1 and tok in _LETTERS:
        return tok
    return _subscripted(tok)


def _subscripted(tok: str) -> str | None:
    """A Greek name, or a letter with a subscript: ``rho_t``, ``Theta``, ``v0``, ``R_weak``."""
    match = re.fullmatch(r"([A-Za-z]+)(\d*)(?:_([A-Za-z0-9]+))?", tok)
    if match is None:
        return None
    head, digits, sub = match.groups()
    if digits and (sub or head.isupper()):  # R1, A1, F14 are labels of the theory pages
        return None
    if head in _GREEK:
        base = "\\" + head
    elif len(head) == 1 and (digits or sub):
        base = head
    else:
        return None
    if digits:
        return f"{base}_{{{digits}}}"
    if sub:
        return f"{base}_{{\\mathrm{{{sub}}}}}" if len(sub) > 1 and sub.isalpha() else f"{base}_{{{sub}}}"
    return base


def _span_to_latex(tokens: list[str]) -> str:
    out, i = [], 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "sqrt" and i + 1 < len(tokens) and tokens[i + 1] == "(":
            depth, j = 0, i + 1
            while j < len(tokens):
                depth += {"(": 1, ")": -1}.get(tokens[j], 0)
                if depth == 0:
                    break
                j += 1
            inner = [t for t in tokens[i + 2:j] if not t.isspace()]
            declared = parameters()
            if len(inner) == 1 and inner[0] in declared and re.fullmatch(
                    r".+\^2", declared[inner[0]].latex_name):
                out.append(declared[inner[0]].latex_name[:-2])  # sqrt(r2) is r
            else:
                out.append(r"\sqrt{%s}" % _span_to_latex(tokens[i + 2:j]))
            i = j + 1
            continue
        if tok == "^" and i + 1 < len(tokens):
            close = {"(": ")", "{": "}"}.get(tokens[i + 1])
            if close is not None:  # m^(j-1), zeta_h^{2k}: the whole group is the exponent
                depth, j = 0, i + 1
                while j < len(tokens):
                    depth += {tokens[i + 1]: 1, close: -1}.get(tokens[j], 0)
                    if depth == 0:
                        break
                    j += 1
                out.append("^{%s}" % _span_to_latex(tokens[i + 2:j]))
                i = j + 1
                continue
            out.append("^{%s}" % _span_to_latex([tokens[i + 1]]))
            i += 2
            continue
        if tok.isspace():
            out.append(" ")
        elif tok == "sqrt":
            out.append(r"\sqrt")
        elif tok in _ENGLISH:
            out.append(parameters()[tok].latex_name)
        else:
            out.append(_math_token(tok) or tok)
        i += 1
    text = "".join(out)
    text = re.sub(r"<\s*([^<>]+?),\s*([^<>]+?)\s*>", r"\\langle \1, \2\\rangle", text)
    return re.sub(r"\s+", " ", text).strip()


def prose(text: str, escape: bool = True) -> str:
    r"""Statement text with its ASCII math (``lam_t >= sigma2 gamma_t / r2``) set as LaTeX math.

    Words stay text (escaped for LaTeX unless ``escape=False``, for HTML); maximal runs of
    parameter names, shorthand, numbers and operators become ``$...$``.

    Examples
    --------
    >>> from theory.printing import prose
    >>> prose("If lam_t >= sigma2 gamma_t / r2, no student wins.")
    'If $\\lambda_t \\geq \\sigma^2 \\gamma_t / r^2$, no student wins.'
    >>> prose("alignment <theta, beta_star> and c -> 1")
    'alignment $\\langle \\theta, \\beta_\\star\\rangle$ and $c \\to 1$'
    """
    tokens = _PROSE_TOKEN.findall(text)
    out, span = [], []
    _text = _escape if escape else str

    def flush():
        while span and (span[-1].isspace() or span[-1] in (",", ".", "(", "[")
                        or (span[-1] == ")" and "".join(span).count("(") < "".join(span).count(")"))):
            trailing.insert(0, span.pop())
        while span and (span[0].isspace() or span[0] in (",", ".", ")", "]")):
            out.append(_text(span.pop(0)))
        meaningful = [t for t in span if not t.isspace() and t not in "(),[]"]
        has_symbol = any(t not in _OPS and not re.fullmatch(r"\d+(?:\.\d+)?", t)
                         for t in meaningful)
        math = _span_to_latex(span) if meaningful else ""
        if meaningful and (has_symbol or any(t in _OPS for t in meaningful)) and not (
                len(meaningful) == 1 and re.fullmatch(r"\d+|-", meaningful[0])) and _sound(math):
            out.append("$%s$" % math)
        else:
            out.append(_text("".join(span)))
        out.extend(_text(t) for t in trailing)
        span.clear()
        trailing.clear()

    trailing: list[str] = []
    for k, tok in enumerate(tokens):
        mathy = tok.isspace() and span or _math_token(tok) is not None or tok == "sqrt" or (
            tok == "." and span and k + 1 < len(tokens) and tokens[k + 1][:1].isdigit())
        if tok in _ENGLISH:  # the parameter inside a formula, the word elsewhere
            after = next((t for t in tokens[k + 1:] if not t.isspace()), "")
            mathy = any(not t.isspace() for t in span) or after in _OPS and after not in ",."
        if tok in ("<", ">") and not span:
            mathy = True
        if k and tokens[k - 1] == "'" and tok.isalpha():
            mathy = False
        if mathy and not (tok == "." and not span):
            span.append(tok)
        else:
            if span:
                flush()
            out.append(_text(tok))
    if span:
        flush()
    return "".join(out)


def _sound(math: str) -> bool:
    """Whether converted math is safe to typeset: balanced braces, every ``^`` and ``_`` with an
    argument (else the span stays escaped text rather than break the document)."""
    depth = 0
    for ch in math:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and not re.search(r"[\^_]\s*(?:$|[})])|\\(?:sqrt|frac)\s*(?:$|[^\s{\[])"
                                          r"|\\(?:sqrt|frac)\s*$", math)


_ESCAPES = {"\\": r"\textbackslash{}", "_": r"\_", "&": r"\&", "%": r"\%", "#": r"\#",
            "$": r"\$", "{": r"\{", "}": r"\}", "^": r"\^{}", "~": r"\~{}", "<": r"$<$",
            ">": r"$>$", "|": r"$|$"}


def _escape(s: str) -> str:
    return "".join(_ESCAPES.get(c, c) for c in s)


_text = _escape


# --- the standalone document ----------------------------------------------------------------

def _sections():
    """``[(prefix, module)]`` of every mechanism with quantities, in registration order."""
    seen = {}
    for name in names():
        q = get(name)
        prefix = name.split(".")[0]
        seen.setdefault(prefix, q.module)
    # a section comes after those whose shorthand it uses (single_index uses spectral's kappa)
    order = {m: i for i, m in enumerate(("theory.marchenko_pastur", "theory.ridge",
                                         "theory.weighted_ridge", "theory.multi_index",
                                         "theory.spectral", "theory.single_index"))}
    return sorted(seen.items(), key=lambda kv: (order.get(kv[1], len(order)), kv[0]))


def _title(module) -> str:
    doc = (module.__doc__ or module.__name__).strip().splitlines()[0].rstrip(".")
    doc = re.sub(r"\s*\(``[^`]*``[^)]*\)", "", doc)
    return prose(doc.replace("``", ""))


def _sentence(label: str, escape: bool = True) -> str:
    label = label.strip()
    first = re.match(r"[A-Za-z_0-9']+", label)
    if first and _math_token(first.group(0)) is None:
        label = label[:1].upper() + label[1:]
    return prose(label, escape) + ("" if label.endswith(".") else ":")


def _claims_block(prefix: str) -> list[str]:
    from theory.claims import claims

    out = []
    for c in claims():
        if c.id.split(".")[0] != prefix:
            continue
        out += [r"\begin{claim}[\texttt{%s}]" % _text(c.id).replace(r"\_", r"\_\allowbreak{}"),
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
    >>> from theory.printing import document
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
    for prefix, module_name in _sections():
        module = importlib.import_module(module_name)
        lines.append(r"\section{%s}" % _title(module))
        shorthand = notations(prefix)
        if shorthand:
            lines.append(r"\paragraph{Notation.}")
            items = [r"%s &= %s" % (n.latex_name, n.shown or (
                _Printer().doprint(n.definition) if n._info[4] else to_latex(n.definition)))
                for n in shorthand]
            lines.append("\\begin{align*}\n%s\n\\end{align*}" % " \\\\\n".join(items))
        lines.append(r"\subsection{Quantities}")
        for name in _registration_order():
            if name.split(".")[0] != prefix:
                continue
            q = get(name)
            expr, order = presentation(name)
            if isinstance(expr, sympy.Eq):
                lines.append(r"\paragraph{%s} (\texttt{%s}): $%s$ is defined by" % (
                    _title_case(q.description), _text(name).replace(".", r".\allowbreak{}"),
                    q.symbol))
                lines.append(display(None, expr, order))
                continue
            lines.append(r"\paragraph{%s} (\texttt{%s})." % (
                _title_case(q.description), _text(name).replace(".", r".\allowbreak{}")))
            lhs = None if isinstance(expr, sympy.Eq) else q.symbol
            lines.append(display(lhs, expr, order))
        derivations = getattr(module, "derivations", None)
        if derivations is not None:
            lines.append(r"\subsection{Derivations}")
            for d in derivations():
                lines += [r"\subsubsection*{%s}" % prose(d.title), prose(d.statement)]
                for k, (label, expr) in enumerate(d.steps):
                    lhs = d.lhs[k] if k < len(d.lhs) else None
                    lines += [_sentence(label), display(lhs, expr)]
        if claims:
            block = _claims_block(prefix)
            if block:
                lines += [r"\subsection{Claims}"] + block
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def _registration_order() -> list[str]:
    from theory import registry

    return list(registry._REGISTRY)


def _title_case(description: str) -> str:
    text = prose(description)
    return text[:1].upper() + text[1:]
