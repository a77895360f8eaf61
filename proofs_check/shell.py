"""``w2s shell``: IPython with the theory loaded and SymPy's pretty printing on.

The namespace holds every parameter symbol (``lam_t``, ``gamma_s``, ...), the primitives ``m``,
``mprime`` and ``kappa``, each mechanism's quantities as attributes (``ridge.teacher_risk``,
``mp.kappa``), the claims (``claims``, ``claim(id)``), and ``quantity``, ``latex``,
``evaluate``, ``vectorize``, ``check``, ``symbol``. ``%whos`` lists them. A line that makes a
``Symbol`` with a parameter's name but not its assumptions gets a warning (it would be a
different symbol and substitute nothing).

Examples
--------
>>> from proofs_check.shell import namespace
>>> ns = namespace()
>>> ns["ridge"].teacher_risk == ns["quantity"]("ridge.teacher_risk")
True
>>> from IPython.lib.pretty import pretty  # what the shell shows
>>> print(pretty(ns["latex"]("ridge.optimal_lambda")))  # no doubled backslashes
\\lambda^\\star = \\frac{\\sigma^2 \\gamma_t}{r^2}
>>> print(pretty(ns["claims"][:2]))  # one line per claim
2 claims (claim(id) shows one in full):
  ...
>>> ns["m"](-ns["lam"], ns["gamma"])
m(-lam, gamma)
"""

from __future__ import annotations

import ast
import sys
from types import SimpleNamespace

__all__ = ["namespace", "banner", "SymbolWarning", "start"]


def _latex(obj, **options) -> str:
    """LaTeX of a quantity name (with its left side) or of any SymPy expression, as a
    :class:`~theory.display.LatexString` (shown without doubled backslashes, rendered in
    Jupyter)."""
    from theory.display import LatexString
    from theory.latex import latex
    from theory.printer import to_latex

    return LatexString(latex(obj, **options) if isinstance(obj, str) else to_latex(obj))


def namespace() -> dict:
    """The names ``w2s shell`` starts with."""
    import sympy

    import numerics
    import theory
    from proofs_check import check
    from theory.claims import claim, claims
    from theory.display import ClaimList
    from theory.marchenko_pastur import (EffectiveRegularization, StieltjesMP,
                                         StieltjesMPDerivative)

    groups: dict[str, dict] = {}
    for name in theory.names():
        prefix, short = name.split(".", 1)
        groups.setdefault(prefix, {})[short] = theory.get(name).expr
    # parameters first: a parameter named like a primitive (seed 003's overlap m, q) stays
    # reachable as symbol("m"), and m, mprime, kappa are the Marchenko-Pastur primitives
    ns = {**theory.symbols.parameters(),
          "sympy": sympy, "pprint": sympy.pprint, "theory": theory, "numerics": numerics,
          "quantity": theory.quantity, "get": theory.get, "latex": _latex,
          "evaluate": numerics.evaluate, "vectorize": numerics.vectorize, "check": check,
          "claims": ClaimList(claims()), "claim": claim, "symbol": theory.symbol,
          "m": StieltjesMP, "mprime": StieltjesMPDerivative, "kappa": EffectiveRegularization}
    ns.update({prefix: SimpleNamespace(**qs) for prefix, qs in groups.items()})
    return ns


def banner() -> str:
    """The lines the shell prints at start."""
    return ("w2s shell: quantity(name), get(name) (its equation, parameters, source), latex(name "
            "or expr),\n  evaluate(name, params, dps), vectorize(name), claims (one a line), "
            "claim(id), check(c) (a table);"
            "\n  quantities by mechanism: ridge.teacher_risk, mp.kappa, ...; primitives m, mprime,"
            " kappa;\n  parameters as symbols (lam_t, gamma_s, ...). They carry assumptions: "
            "sympy.Symbol('lam_t') is a\n  different symbol; use symbol('lam_t').\n")


class SymbolWarning(ast.NodeVisitor):
    """Warn (on stderr) when a line makes ``Symbol``/``symbols`` with a parameter's name.

    Registered as an IPython AST transformer; the code itself is left unchanged.

    Examples
    --------
    >>> import ast, io, contextlib
    >>> from proofs_check.shell import SymbolWarning
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err):
    ...     _ = SymbolWarning().visit(ast.parse("x = sympy.Symbol('lam_t')"))
    >>> "symbol('lam_t')" in err.getvalue()
    True
    """

    def visit_Call(self, node):
        from theory.symbols import parameters

        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        if name in ("Symbol", "symbols") and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            declared = parameters()
            for word in node.args[0].value.replace(",", " ").split():
                if word in declared:
                    print(f"w2s: {name}({word!r}) is not the project's {word} (which carries "
                          f"assumptions); use symbol({word!r})", file=sys.stderr)
        self.generic_visit(node)
        return node


class _Transformer(ast.NodeTransformer):
    def visit(self, node):
        SymbolWarning().visit(node)
        return node


def start() -> None:  # pragma: no cover - interactive
    """Start IPython with :func:`namespace`, pretty printing and the symbol warning."""
    import sympy
    from IPython.terminal.ipapp import TerminalIPythonApp
    from traitlets.config import Config

    from theory.latex import load_ipython_extension

    config = Config()
    config.TerminalInteractiveShell.banner2 = banner()
    app = TerminalIPythonApp.instance(config=config)
    app.initialize(argv=[])
    shell = app.shell
    sympy.init_printing(use_unicode=True, ip=shell)
    # text/latex of a quantity, as in Jupyter (the terminal itself shows text/plain only)
    load_ipython_extension(shell)
    shell.push(namespace(), interactive=True)  # visible to %whos
    shell.ast_transformers.append(_Transformer())
    app.start()
