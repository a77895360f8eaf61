r"""How quantities and claims show themselves in IPython, Jupyter and ``w2s shell``.

A :class:`~theory.registry.Quantity` shows its left side and presentation form (as SymPy's
pretty print in a terminal, as ``text/latex`` in Jupyter) with its parameters and source; a
:class:`~theory.claims.Claim` its statement, region, assumptions and source (``text/markdown``
with the region as mathematics in Jupyter); a list of claims one line each
(:class:`ClaimList`). :class:`LatexString` is a ``str`` that IPython prints without escaping
(``\lambda``, not ``\\lambda``) and Jupyter renders. The classes call these functions from their
``_repr_pretty_`` / ``_repr_latex_`` / ``_repr_markdown_`` hooks, so nothing has to be loaded.

Examples
--------
>>> from theory.display import quantity_text
>>> from theory.registry import get
>>> print(quantity_text(get("ridge.optimal_lambda")))
ridge.optimal_lambda: optimal teacher regularisation ...
<BLANKLINE>
       σ²⋅γₜ
  λ⋆ = ─────
        r²
<BLANKLINE>
  parameters:
    gamma_t  in (0, oo)             teacher aspect ratio d/n_t
    sigma2   in [0, oo)             ...
    r2       in (0, oo), default 1  ...
  source: ...
"""

from __future__ import annotations

import re
import textwrap

import sympy

__all__ = ["LatexString", "ClaimList", "plain_symbol", "quantity_text", "quantity_latex",
           "claim_text",
           "claim_line", "claim_markdown", "claim_latex", "region_latex"]

_GREEK = {name: sympy.pretty(sympy.Symbol(name), use_unicode=True)
          for name in ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
                       "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "phi",
                       "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Pi",
                       "Sigma", "Phi", "Psi", "Omega")}


def plain_symbol(latex: str) -> str:
    r"""A quantity's LaTeX symbol as a SymPy symbol name whose pretty print reads like it.

    Examples
    --------
    >>> from theory.display import plain_symbol
    >>> plain_symbol(r"\mathcal{L}_s"), plain_symbol(r"\lambda^\star")
    ('L_s', 'λ⋆')
    >>> plain_symbol(r"\tilde\eta_{s}")
    'η_s'
    """
    text = re.sub(r"\\(?:math[a-z]+|operatorname|text[a-z]*|tilde|hat|bar|widetilde)\s*"
                  r"\{([^{}]*)\}", r"\1", latex)
    text = re.sub(r"\\(?:tilde|hat|bar)\s*", "", text)
    text = re.sub(r"\^\{?\\star\}?|\^\{?\*\}?", "⋆", text)
    text = re.sub(r"\\([A-Za-z]+)", lambda m: _GREEK.get(m.group(1), m.group(1)), text)
    return re.sub(r"[{}\s]", "", text)


class LatexString(str):
    r"""LaTeX text: prints as itself in IPython (no doubled backslashes), renders in Jupyter.

    Examples
    --------
    >>> from IPython.core.formatters import DisplayFormatter
    >>> from theory.display import LatexString
    >>> data, _ = DisplayFormatter().format(LatexString(r"\lambda^\star = 1"))
    >>> print(data["text/plain"])
    \lambda^\star = 1
    >>> data["text/latex"]
    '$\\displaystyle \\lambda^\\star = 1$'
    """

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))

    def _repr_latex_(self) -> str:
        text = str(self).strip()
        if text.startswith("$") or text.startswith("\\begin"):
            return text
        return r"$\displaystyle %s$" % text


def _interval_text(value) -> str:
    if isinstance(value, sympy.Interval):
        lo = "[" if not value.left_open else "("
        hi = "]" if not value.right_open else ")"
        return f"{lo}{value.start}, {value.end}{hi}"
    return f"= {value}"


def _parameter_lines(parameters, width: int) -> list[str]:
    """One line per parameter: name, range (and default), meaning (cut to ``width``)."""
    rows = []
    for p in parameters:
        where = f"in {_interval_text(p.domain)}"
        if p.default is not None:
            where += f", default {p.default}"
        rows.append((p.name, where, p.description))
    name_w = max((len(r[0]) for r in rows), default=0)
    where_w = max((len(r[1]) for r in rows), default=0)
    return [_shorten(f"    {n:<{name_w}}  {w:<{where_w}}  {d}".rstrip(), width)
            for n, w, d in rows]


def quantity_text(quantity, width: int = 100) -> str:
    """What a terminal shows for a quantity: name and meaning, ``symbol = presentation form``
    (SymPy's pretty print), parameters with their domains, and the source.

    Parameters
    ----------
    quantity : theory.registry.Quantity
    width : int
        Columns for the pretty print.

    Examples
    --------
    >>> from theory.display import quantity_text
    >>> from theory.registry import get
    >>> text = quantity_text(get("ridge.teacher_bias"))
    >>> text.splitlines()[0]
    'ridge.teacher_bias: bias of the ridge teacher'
    >>> print(text.split("parameters:")[1].splitlines()[1])
        lam_t    in [0, oo)             ...
    """
    form = quantity.presentation_form()
    if form is None:
        form, order = quantity.expr, None
    else:
        order = "none"
    if not isinstance(form, sympy.Eq):
        form = sympy.Eq(sympy.Symbol(plain_symbol(quantity.symbol)), form, evaluate=False)
    settings = {"use_unicode": True, "num_columns": max(40, width - 2)}
    if order:
        settings["order"] = order
    try:
        pretty = sympy.pretty(form, **settings)
    except Exception:  # a printer that cannot keep the written order: SymPy's
        settings.pop("order", None)
        pretty = sympy.pretty(form, **settings)
    lines = [f"{quantity.name}: {quantity.description}", "",
             textwrap.indent(pretty, "  "), ""]
    lines.append("  parameters:")
    lines += _parameter_lines(quantity.parameters, width)
    if quantity.source:
        lines.append(textwrap.fill("source: " + quantity.source, width, initial_indent="  ",
                                   subsequent_indent="    "))
    return "\n".join(lines)


def quantity_latex(quantity) -> str:
    r"""What Jupyter shows for a quantity: ``symbol = presentation form`` in display style, as
    :func:`theory.latex.latex` prints it for the document.

    Examples
    --------
    >>> from theory.display import quantity_latex
    >>> from theory.registry import get
    >>> print(quantity_latex(get("ridge.optimal_lambda")))
    $\displaystyle \lambda^\star = \frac{\sigma^2 \gamma_t}{r^2}$
    """
    from theory.latex import repr_latex

    return repr_latex(quantity)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _relation_text(relation, limit: int = 140) -> str:
    from theory.notation import abbreviate

    return _shorten(sympy.sstr(abbreviate(relation)), limit)


def claim_line(claim, width: int = 100) -> str:
    """One line for a claim: id, kind and the start of its statement.

    Examples
    --------
    >>> from theory.claims import claim
    >>> from theory.display import claim_line
    >>> claim_line(claim("ridge.min_norm_student"), width=60)
    'ridge.min_norm_student  [forall]  ...'
    """
    head = f"{claim.id}  [{claim.kind}]  "
    return head + _shorten(" ".join(claim.statement.split()), max(10, width - len(head)))


def claim_text(claim, width: int = 100) -> str:
    """What a terminal shows for a claim: id and kind, the statement, the region, the
    assumptions (abbreviated; long ones cut, the full relation is ``claim.assumptions``), the
    witness and the source.

    Examples
    --------
    >>> from theory.claims import claim
    >>> from theory.display import claim_text
    >>> print(claim_text(claim("ridge.over_regularised_teacher_never_beaten")))
    claim ridge.over_regularised_teacher_never_beaten [forall]
      If lam_t >= sigma2 gamma_t / r2, no ridge student beats the teacher: ...
      region: lam_t in [0, 10000], lam_s in [0, 1000], gamma_t in [1/100, 100], ...
      assuming: lam_t >= gamma_t*sigma2/r2
      source: ...
    """
    fill = lambda text: textwrap.fill(text, width, initial_indent="  ",
                                      subsequent_indent="    ")
    lines = [f"claim {claim.id} [{claim.kind}]", fill(" ".join(claim.statement.split()))]
    region = [f"{n} in {_interval_text(claim.region[n])}" if isinstance(claim.region[n],
              sympy.Interval) else f"{n} = {claim.region[n]}" for n in claim.parameters]
    lines.append(fill("region: " + ", ".join(region)))
    if claim.assumptions:
        lines.append(fill("assuming: " + "; ".join(_relation_text(a)
                                                   for a in claim.assumptions)))
    if claim.witness is not None:
        lines.append(fill(f"witness: some {claim.witness} in "
                          f"{_interval_text(claim.witness_range)}"))
    if claim.condition is not None:
        lines.append(fill("condition: " + _relation_text(claim.condition)))
    lines.append(fill("source: " + claim.source))
    return "\n".join(lines)


def region_latex(claim) -> str:
    r"""The region of a claim as LaTeX, one ``p \in [a, b]`` per parameter.

    Examples
    --------
    >>> from theory.claims import claim
    >>> from theory.display import region_latex
    >>> region_latex(claim("ridge.min_norm_student"))[:40]
    '\\lambda_t \\in \\left[0, 1000\\right], \\lam'
    """
    from theory.printer import to_latex
    from theory.symbols import parameters

    declared = parameters()
    parts = []
    for name in claim.parameters:
        value = claim.region[name]
        rel = r"\in" if isinstance(value, sympy.Interval) else "="
        parts.append(f"{declared[name].latex_name} {rel} {to_latex(value)}")
    return ", ".join(parts)


def claim_markdown(claim) -> str:
    """A claim as Markdown with its mathematics in ``$...$`` (what Jupyter renders).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from theory.display import claim_markdown
    >>> print(claim_markdown(claim("ridge.min_norm_student")))  # doctest: +ELLIPSIS
    **ridge.min_norm_student** (forall): An over-parameterised minimum-norm student ...
    <BLANKLINE>
    - region: $\\lambda_t \\in \\left[0, 1000\\right], \\lambda_s = 0, ...$
    - source: ...
    """
    from theory.printer import to_latex

    lines = [f"**{claim.id}** ({claim.kind}): {' '.join(claim.statement.split())}", "",
             f"- region: ${region_latex(claim)}$"]
    if claim.assumptions:
        lines.append("- assuming: " + ", ".join(f"${to_latex(a)}$" for a in claim.assumptions))
    if claim.witness is not None:
        from theory.symbols import parameters

        lines.append(f"- witness: some ${parameters()[claim.witness].latex_name} \\in "
                     f"{to_latex(claim.witness_range)}$")
    if claim.condition is not None:
        lines.append(f"- condition: ${to_latex(claim.condition)}$")
    lines.append(f"- source: {claim.source}")
    return "\n".join(lines)


def claim_latex(claim) -> str:
    r"""A claim's conclusion over its region as one LaTeX display (``text/latex``).

    Examples
    --------
    >>> from theory.claims import claim
    >>> from theory.display import claim_latex
    >>> claim_latex(claim("ridge.min_norm_student")).startswith(r"$\displaystyle ")
    True
    """
    from theory.printer import to_latex

    body = to_latex(claim.conclusion)
    if claim.witness is not None:
        from theory.symbols import parameters

        body = (r"\exists\, %s \in %s:\ " % (parameters()[claim.witness].latex_name,
                                             to_latex(claim.witness_range))) + body
    if claim.condition is not None:
        body = to_latex(claim.condition) + r"\iff " + body
    tail = r"\quad \text{for } " + region_latex(claim)
    if claim.assumptions:
        tail += r" \text{ with } " + ", ".join(to_latex(a) for a in claim.assumptions)
    return r"$\displaystyle %s%s$" % (body, tail)


class ClaimList(list):
    """A list of claims that prints one line per claim (a slice is a ``ClaimList`` too).

    Examples
    --------
    >>> from theory.claims import claims
    >>> from theory.display import ClaimList
    >>> listing = ClaimList(claims("ridge.*"))
    >>> from IPython.lib.pretty import pretty
    >>> len(pretty(listing[:3]).splitlines())
    4
    """

    def __getitem__(self, item):
        got = super().__getitem__(item)
        return ClaimList(got) if isinstance(item, slice) else got

    def _repr_pretty_(self, p, cycle):
        width = _columns()
        p.text(f"{len(self)} claim{'s' if len(self) != 1 else ''} "
               f"(claim(id) shows one in full):")
        for c in self:
            p.break_()
            p.text("  " + claim_line(c, width - 2))

    def _repr_markdown_(self) -> str:
        return "\n".join(f"- **{c.id}** ({c.kind}): {' '.join(c.statement.split())}"
                         for c in self)


def _columns() -> int:
    import shutil

    return max(60, shutil.get_terminal_size((100, 24)).columns)
