"""The registry of quantities: every quantity is defined once, by name, as a SymPy expression.

A mechanism module calls :func:`register` for each of its quantities; everything else (LaTeX,
evaluators, the command line) looks quantities up here by their dotted name.

Examples
--------
>>> import theory
>>> q = theory.registry.get("ridge.teacher_risk")
>>> [p.name for p in q.parameters]
['lam_t', 'gamma_t', 'sigma2', 'r2']
>>> q.symbol
'\\\\mathcal{L}_t'
"""

from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Union

import sympy

from theory import catalogue
from theory.errors import UnknownNameError
from theory.symbols import Parameter, parameters

__all__ = ["Quantity", "UnknownNameError", "register", "get", "names", "quantity", "registered"]


@dataclass(frozen=True, eq=False)
class Quantity:
    """A registered quantity: its name, meaning, LaTeX symbol and defining expression.

    Parameters
    ----------
    name : str
        Dotted name, e.g. ``"ridge.student_risk"``.
    build : sympy.Expr or callable
        The defining (compact) expression, or a function returning it (for quantities that are
        the result of a SymPy derivation, computed on first use).
    symbol : str
        LaTeX of the quantity's own symbol (the left-hand side).
    description : str
        One line of meaning.
    source : str
        Where the quantity comes from (a section of the theory pages, a paper).
    declared : tuple of str, optional
        The parameter names of a quantity built by a derivation, so that listing its parameters
        does not run the derivation (a test checks them against the built expression).
    presentation : sympy.Basic or callable, optional
        The hand-chosen form the LaTeX shows (an expression in the papers' shorthand of
        :mod:`theory.notation`, with unevaluated sums kept in reading order; or, for a primitive,
        the ``Eq`` that defines it). A test checks that it equals the definition.
    valid : tuple of sympy relations, optional
        Where the quantity is defined, when that is less than its parameters' domains (the
        weak-alignment bound needs ``gamma_s > 1``): evaluating it elsewhere is an error that
        says so, never a complex or NaN value.

    Examples
    --------
    >>> from theory.registry import get
    >>> q = get("mp.shrinkage_u")
    >>> q.expr
    lam*m(-lam, gamma)
    >>> q.description
    'u = lam m_gamma(-lam) = average of lam/(s + lam)'
    """

    name: str
    build: Union[sympy.Expr, Callable[[], sympy.Expr]] = field(repr=False)
    symbol: str
    description: str
    source: str = ""
    declared: tuple[str, ...] | None = None
    presentation: Union[sympy.Basic, Callable[[], sympy.Basic], None] = field(default=None,
                                                                              repr=False)
    valid: tuple = ()

    @cached_property
    def expr(self) -> sympy.Expr:
        """The compact defining expression (in the primitives ``m``, ``m'``, ...).

        A derived quantity's derivation runs once per machine: its result is kept in the disk
        cache (:mod:`theory.cache`), keyed on the source of the ``theory`` package.
        """
        if not callable(self.build):
            return self.build
        from theory import cache

        return cache.cached("quantity", self.name, self.build, depends_on=_theory_modules())

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """The parameters the quantity depends on, in declaration order."""
        if self.declared is not None and "expr" not in self.__dict__:
            free = set(self.declared)
        else:
            free = {s.name for s in self.expr.free_symbols}
        return tuple(p for n, p in parameters().items() if n in free)

    def explicit(self) -> sympy.Expr:
        """The expression with every primitive rewritten as radicals."""
        return self.expr.rewrite(sympy.sqrt)

    def presentation_form(self):
        """The registered presentation form, or ``None``."""
        p = self.presentation
        return p() if callable(p) else p

    def __str__(self) -> str:
        return f"{self.name} = {self.expr}"

    # IPython, w2s shell and Jupyter show a quantity with its left side and presentation form.
    # theory.display prints through theory.latex, which looks quantities up here: it is found
    # by name when a quantity is shown, so the registry does not depend on its printers.
    def _repr_pretty_(self, p, cycle):
        p.text(importlib.import_module("theory.display").quantity_text(self))

    def _repr_latex_(self) -> str:
        return importlib.import_module("theory.display").quantity_latex(self)

    @property
    def mechanism(self) -> str:
        """The name of the mechanism that owns the quantity (:mod:`theory.catalogue`).

        Examples
        --------
        >>> from theory.registry import get
        >>> get("spectral.overlap2").mechanism
        'single_index'
        """
        owner = catalogue.owner(self.name)
        return owner.name if owner is not None else ""


_REGISTRY: dict[str, Quantity] = {}


def _theory_modules() -> tuple[str, ...]:
    """Every module of the ``theory`` package (a derivation may use any of them)."""
    from theory.cache import theory_modules

    return theory_modules()


def register(name, build, symbol, description, source="", declared=None,
             presentation=None, valid=()) -> Quantity:
    """Register a quantity under a dotted name.

    Parameters
    ----------
    name, build, symbol, description, source, declared, presentation, valid
        See :class:`Quantity`.

    Returns
    -------
    Quantity

    Examples
    --------
    >>> from theory.registry import get, register
    >>> q = get("mp.kappa")
    >>> register(q.name, q.build, q.symbol, q.description) is get("mp.kappa")  # idempotent
    True
    """
    if name in _REGISTRY:
        if _REGISTRY[name].build is not build:
            raise ValueError(f"quantity {name!r} is already registered")
        return _REGISTRY[name]
    if callable(build) and declared is None:
        raise ValueError(f"quantity {name!r} is built by a derivation: declare its parameters "
                         f"(declared=...), so that listing them does not run it")
    _REGISTRY[name] = Quantity(name, build, symbol, description, source,
                               tuple(declared) if declared is not None else None, presentation,
                               tuple(valid))
    return _REGISTRY[name]


def names() -> list[str]:
    """Names of every registered quantity, sorted.

    Examples
    --------
    >>> from theory.registry import names
    >>> "mp.stieltjes" in names()
    True
    """
    catalogue.load()
    return sorted(_REGISTRY)


def get(name: str) -> Quantity:
    """The registered :class:`Quantity` called ``name``.

    Raises
    ------
    UnknownNameError
        With the closest registered names.

    Examples
    --------
    >>> from theory.registry import get
    >>> get("ridge.teacher_risq")
    Traceback (most recent call last):
    ...
    theory.errors.UnknownNameError: unknown quantity 'ridge.teacher_risq'; did you mean ridge.teacher_risk, ridge.teacher_bias, ridge.teacher_variance?
    """
    if name not in _REGISTRY:
        catalogue.load(name)
    try:
        return _REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(name, names(), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `w2s list`"
        raise UnknownNameError(f"unknown quantity {name!r}{hint}") from None


def quantity(name: str) -> sympy.Expr:
    """The defining SymPy expression of the quantity ``name``.

    Examples
    --------
    >>> from theory import quantity
    >>> quantity("ridge.teacher_bias")
    lam_t**2*r2*m'(-lam_t, gamma_t)
    """
    return get(name).expr


def registered() -> list[str]:
    """Names of the quantities registered so far, in registration order (the order of the
    mechanisms' definitions; the LaTeX document follows it).

    Examples
    --------
    >>> from theory.registry import get, registered
    >>> _ = get("ridge.teacher_risk")
    >>> registered().index("ridge.teacher_bias") < registered().index("ridge.teacher_risk")
    True
    """
    return list(_REGISTRY)
