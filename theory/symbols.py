"""Symbols of the theory: parameters with SymPy assumptions, LaTeX names and domains.

Every parameter of every quantity is a :class:`Parameter`: a SymPy ``Symbol``
whose ASCII name is the one used everywhere (command line, keyword arguments,
JSON) and which prints in the papers' notation. Its *domain* is the set of
values at which quantities are defined (limits included, e.g. ``lam_t = 0`` is
the ridgeless teacher); it is used by parameter validation and by the
Hypothesis strategies of claims.

The parameters carry SymPy assumptions that agree with their domains (``gamma_t`` and ``r2`` are
positive, ``lam_t`` and ``sigma2`` non-negative since ``0`` is in their domains, ``zeta`` real,
...), which let SymPy simplify ``sqrt(r2**2)`` to ``r2`` and decide signs in proofs; a proof
never relies on a sign its parameter's domain does not have. A symbol made by hand with
the same name but without those assumptions, ``sympy.Symbol("lam_t")``, is a *different*
symbol: substituting it into a quantity silently does nothing. Get the project's own symbol with
:func:`symbol` (``theory.S`` is the same function), or import it from this module.

>>> import sympy
>>> from theory.symbols import symbol, lam_t
>>> sympy.Symbol("lam_t") == lam_t, symbol("lam_t") == lam_t
(False, True)

Examples
--------
>>> from sympy import latex
>>> from theory.symbols import lam_t, gamma_s, sigma2
>>> latex(lam_t**2 + sigma2 * gamma_s)
'\\\\gamma_s \\\\sigma^2 + \\\\lambda_t^{2}'
>>> lam_t.domain
Interval(0, oo)
>>> str(lam_t)
'lam_t'
"""

from __future__ import annotations

import sympy
from sympy import Interval, oo

__all__ = [
    "Parameter",
    "parameter",
    "parameters",
    "symbol",
    "by_name",
    "lam",
    "gamma",
    "z",
    "x",
    "lam_t",
    "lam_s",
    "gamma_t",
    "gamma_s",
    "sigma2",
    "sigma2_s",
    "r2",
    "zeta",
    "s",
]

# name -> (LaTeX, pretty unicode, domain, description)
_INFO: dict[str, tuple[str, str, sympy.Set, str]] = {}


class Parameter(sympy.Symbol):
    """A SymPy symbol that knows its LaTeX name, its domain and its meaning.

    Create parameters with :func:`parameter`; the class only adds printing and
    metadata to ``Symbol`` (equality, hashing and pickling are those of a
    ``Symbol`` of the same name and assumptions).

    Examples
    --------
    >>> from theory.symbols import gamma_t
    >>> gamma_t.description
    'teacher aspect ratio d/n_t'
    >>> gamma_t.is_positive
    True
    """

    @property
    def domain(self) -> sympy.Set:
        """Values at which quantities are defined (a SymPy ``Interval``)."""
        return _INFO[self.name][2]

    @property
    def description(self) -> str:
        """One-line meaning of the parameter."""
        return _INFO[self.name][3]

    @property
    def default(self):
        """Value used when the parameter is not given, or ``None`` when it is required."""
        return _DEFAULTS[self.name]

    @property
    def latex_name(self) -> str:
        """The parameter's name in the papers' notation."""
        return _INFO[self.name][0]

    def _latex(self, printer):  # noqa: D401 - SymPy printer hook
        return _INFO[self.name][0]

    def _pretty(self, printer):
        return printer._print_Symbol(sympy.Symbol(_INFO[self.name][1]))

    def _sympystr(self, printer):
        return self.name

    def __reduce__(self):
        # unpickled (from the disk cache, or by a worker process) as the declared parameter
        # itself, not a copy: equal either way, but one object keeps lookups and caches shared
        return _unpickle_parameter, (self.name, dict(self._assumptions_orig))


def _unpickle_parameter(name: str, assumptions: dict) -> "Parameter":
    """The declared parameter ``name`` if it has these assumptions, else a new one (pickle)."""
    declared = _SYMBOLS.get(name)
    if declared is not None and dict(declared._assumptions_orig) == assumptions:
        return declared
    return Parameter(name, **assumptions)


def parameter(name: str, latex: str, pretty: str, domain: sympy.Set, description: str,
              default=None, **assumptions) -> Parameter:
    r"""Declare a parameter (used by each mechanism module for its own parameters).

    Parameters
    ----------
    name : str
        ASCII name, used on the command line and as keyword argument.
    latex : str
        LaTeX in the papers' notation.
    pretty : str
        A SymPy symbol name whose pretty form is the terminal rendering
        (``'lambda_t'`` prints as a Greek letter with subscript).
    domain : sympy.Set
        Allowed values.
    description : str
        One line of meaning.
    default : number, optional
        Value used when the parameter is not given (``None``: required).
    **assumptions
        SymPy assumptions (``positive=True``, ...).

    Returns
    -------
    Parameter

    Examples
    --------
    >>> from sympy import Interval, oo
    >>> from theory.symbols import parameter, gamma
    >>> parameter("gamma", r"\gamma", "gamma", Interval.open(0, oo), "aspect ratio d/n",
    ...           positive=True) == gamma   # declaring again identically is harmless
    True
    """
    if name in _INFO and _INFO[name][:3] != (latex, pretty, domain):
        raise ValueError(f"parameter {name!r} is already declared differently")
    _INFO[name] = (latex, pretty, domain, description)
    _DEFAULTS[name] = None if default is None else sympy.sympify(default)
    _SYMBOLS[name] = Parameter(name, **assumptions)
    return _SYMBOLS[name]


def parameters() -> dict[str, Parameter]:
    """All declared parameters by name.

    Examples
    --------
    >>> from theory.symbols import parameters
    >>> 'gamma_s' in parameters()
    True
    """
    return dict(_SYMBOLS)


def symbol(name: str) -> Parameter:
    """The project's symbol called ``name``, with its assumptions (``symbol("lam_t")``).

    Raises
    ------
    KeyError
        With the declared names, when ``name`` is not a parameter.

    Examples
    --------
    >>> from theory.symbols import symbol
    >>> symbol("gamma_t").is_positive
    True
    >>> symbol("theta").is_nonnegative      # declared by mechanism 3, loaded on demand
    True
    >>> symbol("lambda_t")
    Traceback (most recent call last):
    ...
    KeyError: "no parameter 'lambda_t'; did you mean lam_t, gamma_t, lam_s?"
    """
    if name not in _SYMBOLS:
        from theory.catalogue import load

        load()  # parameters of a mechanism not imported yet
    try:
        return _SYMBOLS[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, list(_SYMBOLS), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see theory.symbols"
        raise KeyError(f"no parameter {name!r}{hint}") from None


class _ByName:
    """The project's parameters as attributes, each looked up when used (:func:`symbol`)."""

    def __getattr__(self, name: str) -> Parameter:
        if name.startswith("_"):  # not a parameter (``__wrapped__``, asked by inspect)
            raise AttributeError(name)
        try:
            return symbol(name)
        except KeyError as error:
            raise AttributeError(str(error)) from None


#: ``by_name.theta``: a parameter looked up when it is used, for a module that must not import
#: the mechanism module declaring it (a presentation-forms module imported by that module).
by_name = _ByName()


_SYMBOLS: dict[str, Parameter] = {}
_DEFAULTS: dict[str, sympy.Expr | None] = {}
_declare = parameter


_NONNEG = Interval(0, oo)
_POS = Interval.open(0, oo)

# Generic Marchenko-Pastur arguments.
lam = _declare("lam", r"\lambda", "lambda", _NONNEG, "ridge regularisation", nonnegative=True)
gamma = _declare("gamma", r"\gamma", "gamma", _POS, "aspect ratio d/n", positive=True)
z = _declare("z", r"z", "z", sympy.S.Complexes, "complex spectral argument off the MP support",
             complex=True)
x = _declare("x", r"x", "x", _NONNEG, "point of the spectrum", nonnegative=True)

# Mechanism 1 (arXiv:2505.18346).
lam_t = _declare("lam_t", r"\lambda_t", "lambda_t", _NONNEG, "teacher ridge regularisation",
                 nonnegative=True)
lam_s = _declare("lam_s", r"\lambda_s", "lambda_s", _NONNEG,
                 "student ridge regularisation (0: minimum-norm interpolator)", nonnegative=True)
gamma_t = _declare("gamma_t", r"\gamma_t", "gamma_t", _POS, "teacher aspect ratio d/n_t",
                   positive=True)
gamma_s = _declare("gamma_s", r"\gamma_s", "gamma_s", _POS, "student aspect ratio d/n_s",
                   positive=True)
sigma2 = _declare("sigma2", r"\sigma^2", "sigma^2", _NONNEG,
                  "noise variance of the teacher's labels", nonnegative=True)
sigma2_s = _declare("sigma2_s", r"\sigma_s^2", "sigma_s^2", _NONNEG,
                    "extra noise variance on the student's labels", default=0, nonnegative=True)
r2 = _declare("r2", r"r^2", "r^2", _POS, "signal energy ||beta_star||^2", default=1,
             positive=True)

# Mechanism 2 (arXiv:2505.18346).
zeta = _declare("zeta", r"\zeta", "zeta", Interval(-1, 1),
                "alignment <theta, beta_star>/||beta_star|| of the pre-trained direction", real=True)
s = _declare("s", r"s", "s", _NONNEG, "spike strength of the pre-trained structure "
             "Gamma = I + s theta theta^T (penalty weight c = s/(1+s))", nonnegative=True)
