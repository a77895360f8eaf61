r"""Prose with its math set as LaTeX: statements and descriptions that mix words and ASCII math.

Descriptions of quantities, claim statements and derivation steps are written in ASCII
(``lam_t >= sigma2 gamma_t / r2``); :func:`prose` keeps the words as text and sets maximal runs of
parameter names, shorthand, numbers and operators as ``$...$`` math in the papers' notation.

Examples
--------
>>> from theory.prose import prose, sentence
>>> prose("the optimal lam_star = sigma2 gamma_t / r2")
'the optimal $\\lambda^\\star = \\sigma^2 \\gamma_t / r^2$'
>>> sentence("solve for kappa")
'Solve for $\\kappa$:'
"""

from __future__ import annotations

import re

from theory.symbols import parameters

__all__ = ["prose", "sentence", "escape"]

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
#: A docs page the text cites (``docs/single-index.md``): a file name, set in typewriter type.
_DOCS_PAGE = re.compile(r"docs/[A-Za-z0-9_/.-]*[A-Za-z0-9_]\.md")
_PROSE_TOKEN = re.compile(_DOCS_PAGE.pattern + r"|\s+|>=|<=|!=|->|\|\||[A-Za-z][A-Za-z0-9_]*(?:'(?![A-Za-z]))?"
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
    if sub in _GREEK:  # m_gamma, kappa_gamma
        return f"{base}_{{\\{sub}}}"
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
    >>> from theory.prose import prose
    >>> prose("If lam_t >= sigma2 gamma_t / r2, no student wins.")
    'If $\\lambda_t \\geq \\sigma^2 \\gamma_t / r^2$, no student wins.'
    >>> prose("derived in w2s-theory (docs/verify.md)")
    'derived in w2s-theory (\\texttt{docs/\\allowbreak{}verify.md})'
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
        if _DOCS_PAGE.fullmatch(tok):
            if span:
                flush()
            out.append(r"\texttt{%s}" % _text(tok).replace("/", r"/\allowbreak{}") if escape else tok)
            continue
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


def escape(s: str) -> str:
    r"""``s`` as LaTeX text: the characters special to LaTeX escaped.

    Examples
    --------
    >>> from theory.prose import escape
    >>> print(escape("ridge.teacher_risk: 5% of #1 & {x}"))
    ridge.teacher\_risk: 5\% of \#1 \& \{x\}
    """
    return "".join(_ESCAPES.get(c, c) for c in s)


_escape = escape  # prose() has a parameter called escape


def sentence(label: str, escape: bool = True) -> str:
    r"""A derivation step's label as a sentence: capitalised (unless it starts with math), its
    math set by :func:`prose`, ending with a colon (or its own full stop).

    Parameters
    ----------
    label : str
    escape : bool
        As for :func:`prose` (``False`` for HTML).

    Examples
    --------
    >>> from theory.prose import sentence
    >>> sentence("the quadratic for kappa")
    'The quadratic for $\\kappa$:'
    >>> sentence("lam_t = 0 gives the ridgeless teacher.")
    '$\\lambda_t = 0$ gives the ridgeless teacher.'
    """
    label = label.strip()
    first = re.match(r"[A-Za-z_0-9']+", label)
    if first and _math_token(first.group(0)) is None:
        label = label[:1].upper() + label[1:]
    return prose(label, escape) + ("" if label.endswith(".") else ":")
