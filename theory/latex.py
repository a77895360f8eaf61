r"""LaTeX of a registered quantity, with its own symbol as the left side: :func:`latex`.

The right side is the quantity's *presentation form* when its mechanism registered one
(``register(..., presentation=...)``: an expression in the papers' shorthand such as ``m_t`` or
``u_s``, checked equal to the definition by the test suite), otherwise the definition with the
shorthand of atomic notations substituted (:func:`theory.notation.abbreviate`). A display too
wide for the page is broken over lines of an ``align*`` (:func:`theory.linebreak.display`).
In IPython or Jupyter, ``%load_ext theory.latex`` renders quantities this way.

Examples
--------
>>> from theory.latex import latex
>>> print(latex("ridge.teacher_bias"))
\mathcal{B}_t = r^2 \lambda_t^{2} m'_t
>>> print(latex("ridge.optimal_lambda", style="inline"))
$\lambda^\star = \frac{\sigma^2 \gamma_t}{r^2}$
>>> latex("mp.kappa", form="explicit")[:40]
'\\kappa_{\\gamma}(\\lambda) = \\frac{\\gamma}'
"""

from __future__ import annotations

import sympy

from theory.linebreak import TEXT_WIDTH_EM, display
from theory.printer import to_latex
from theory.registry import Quantity, get

__all__ = ["FORMS", "STYLES", "latex", "presentation", "named_subexpressions", "repr_latex",
           "load_ipython_extension"]

#: The forms a quantity can be printed in.
FORMS = ("compact", "explicit")
#: How ``latex`` wraps the equation.
STYLES = ("equation", "inline", "align")


def presentation(name: str):
    """The presentation form of quantity ``name`` and the print order it needs.

    Returns
    -------
    tuple of (sympy.Basic, str or None)
        The registered presentation form (printed with ``order="none"``) or, when there is none,
        the definition (printed in SymPy's order).

    Examples
    --------
    >>> from theory.latex import presentation
    >>> presentation("ridge.student_risk")[0]
    B*v_s + L_t - 2*u_s*(-A + B) + w_s*gamma_s*sigma2_s
    """
    q = get(name)
    form = q.presentation_form()
    return (form, "none") if form is not None else (q.expr, None)


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
    >>> from theory.latex import latex
    >>> print(latex("ridge.student_risk"))
    \mathcal{L}_s = \mathcal{L}_t - 2 u_s \left(B - A\right) + v_s B + \sigma_s^2 \gamma_s w_s
    >>> print(latex("mp.kappa"))
    \kappa_\gamma^{2} - \left(\lambda + \gamma - 1\right) \kappa_\gamma - \lambda = 0
    """
    if form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}; got {form!r}")
    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}; got {style!r}")
    q = get(name)
    named: list[tuple[sympy.Symbol, sympy.Expr]] = []
    if form == "compact":
        expr, order = presentation(name)
    else:
        expr, order = q.explicit(), None
        if not isinstance(expr, sympy.Eq):
            named, expr = named_subexpressions(expr)
    lhs = None if isinstance(expr, sympy.Eq) else q.symbol
    if style == "align":
        return "\n".join([display(lhs, expr, order, width=width)]
                         + [display(to_latex(s), v, width=width) for s, v in named])
    where = "".join(r",\quad %s = %s" % (to_latex(s), to_latex(v)) for s, v in named)
    if isinstance(expr, sympy.Eq):
        text = f"{to_latex(expr.lhs, order)} = {to_latex(expr.rhs, order)}"
    else:
        text = f"{q.symbol} = {to_latex(expr, order)}{where}"
    return f"${text}$" if style == "inline" else text


def named_subexpressions(expr: sympy.Expr, min_ops: int = 5
                         ) -> tuple[list[tuple[sympy.Symbol, sympy.Expr]], sympy.Expr]:
    r"""``expr`` with its repeated subexpressions named ``\xi_1, \xi_2, ...``, as a paper does.

    SymPy's :func:`~sympy.simplify.cse_main.cse` finds the repeated subexpressions; those with
    fewer than ``min_ops`` operations (``\lambda_s^2``, ``\sqrt{\gamma_s}``) and those used once
    are put back, so that a name stands for something worth naming.

    Parameters
    ----------
    expr : sympy.Expr
    min_ops : int
        The fewest operations (:func:`sympy.count_ops`) of a named subexpression.

    Returns
    -------
    definitions : list of (sympy.Symbol, sympy.Expr)
        In order of use: each definition uses only names before it.
    reduced : sympy.Expr
        ``expr`` in the names; substituting the definitions back (last first) gives ``expr``.

    Examples
    --------
    >>> import sympy
    >>> from theory.latex import named_subexpressions
    >>> x, y = sympy.symbols("x y", positive=True)
    >>> root = sympy.sqrt(x**2 + y**2 + 1)
    >>> defs, reduced = named_subexpressions(root / (1 + root) + x * root)
    >>> defs
    [(\xi_{1}, sqrt(x**2 + y**2 + 1))]
    >>> print(sympy.latex(reduced))
    \xi_{1} x + \frac{\xi_{1}}{\xi_{1} + 1}
    """
    repl, (reduced,) = sympy.cse(expr, symbols=sympy.numbered_symbols("_cse"))
    trivial: dict = {}
    defs = []
    for sym, value in repl:
        value = value.xreplace(trivial)
        if sympy.count_ops(value) < min_ops:
            trivial[sym] = value
        else:
            defs.append((sym, value))
    reduced = reduced.xreplace(trivial)
    while True:  # a name used once is no saving: put it back
        once = next((k for k, (sym, _) in enumerate(defs)
                     if sum(e.count(sym) for e in [reduced] + [v for _, v in defs[k + 1:]]) <= 1),
                    None)
        if once is None:
            break
        sym, value = defs.pop(once)
        defs = [(s, v.xreplace({sym: value})) for s, v in defs]
        reduced = reduced.xreplace({sym: value})
    names = {sym: sympy.Symbol(r"\xi_{%d}" % (k + 1)) for k, (sym, _) in enumerate(defs)}
    return [(names[s], v.xreplace(names)) for s, v in defs], reduced.xreplace(names)


def repr_latex(quantity: Quantity) -> str:
    r"""What IPython shows for a :class:`~theory.registry.Quantity`: its equation, display style.

    Examples
    --------
    >>> from theory.latex import repr_latex
    >>> from theory.registry import get
    >>> print(repr_latex(get("ridge.optimal_lambda")))
    $\displaystyle \lambda^\star = \frac{\sigma^2 \gamma_t}{r^2}$
    """
    return r"$\displaystyle %s$" % latex(quantity.name)


def load_ipython_extension(ipython) -> None:
    r"""Render quantities (``theory.get(name)``) as their equations: ``%load_ext theory.latex``.

    Registers :func:`repr_latex` as the ``text/latex`` formatter of
    :class:`~theory.registry.Quantity` (``w2s shell`` does this at start). SymPy expressions
    render by themselves.

    Parameters
    ----------
    ipython : IPython.core.interactiveshell.InteractiveShell
        The running shell (anything with a ``display_formatter``).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from IPython.core.formatters import DisplayFormatter
    >>> from theory.latex import load_ipython_extension
    >>> from theory.registry import get
    >>> shell = SimpleNamespace(display_formatter=DisplayFormatter())
    >>> load_ipython_extension(shell)
    >>> data, _ = shell.display_formatter.format(get("ridge.teacher_bias"))
    >>> print(data["text/latex"])
    $\displaystyle \mathcal{B}_t = r^2 \lambda_t^{2} m'_t$
    """
    ipython.display_formatter.formatters["text/latex"].for_type(Quantity, repr_latex)
