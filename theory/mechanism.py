"""The description of a mechanism: everything the engines need, in one object.

A *mechanism* is one body of theory with its process: the ridge teacher and student, the
weighted-ridge student, the two-layer networks of the one-step analysis, spectral pre-training.
Its :class:`Mechanism` names its theory modules (the quantities they define, by dotted-name
prefix), its claims, its simulator and the rows that compare it with theory, its sweep task,
its Monte Carlo plans, its certified-route reductions, its figures and its docs page. The
engines (the registry, the verification routes, ``w2s simulate``/``sweep``/``plot``, the LaTeX
document) loop over the catalogue of descriptions (:mod:`theory.catalogue`) and never name a
mechanism.

Facets that live in a higher layer (a simulator in ``numerics``, a Monte Carlo plan in
``proofs_check``) or in another package are named by *reference*, ``"module:attribute"``, the
form of a Python entry point, and imported only when an engine needs them: describing a
mechanism costs no import, and the layers stay one-way (``theory`` never imports ``numerics``).

This module is plain Python (no SymPy), so that a third-party package can describe its
mechanism cheaply; see ``docs/extending.md``.

Examples
--------
>>> from theory.mechanism import Mechanism
>>> m = Mechanism(name="toy", title="A toy mechanism", source="derived in my-package",
...               theory=(("toy", "my_package.theory"),), claims="my_package.theory:claims")
>>> m.prefixes
('toy',)
>>> m.owns("toy.risk"), m.owns("ridge.student_risk")
(True, False)
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

__all__ = ["Mechanism", "MechanismError", "resolve"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_REFERENCE = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")


class MechanismError(ValueError):
    """A mechanism description that cannot be used (a bad name, a reference that does not
    import, a prefix claimed twice)."""


def resolve(reference: str) -> Any:
    """The object a ``"module:attribute"`` reference names (the module is imported).

    Parameters
    ----------
    reference : str
        ``"package.module:name"``; the attribute part may be dotted (``"mod:Class.method"``).

    Returns
    -------
    object

    Raises
    ------
    MechanismError
        When the module does not import or has no such attribute (the message names both).

    Examples
    --------
    >>> from theory.mechanism import resolve
    >>> resolve("theory.symbols:symbol")("lam_t")
    lam_t
    >>> resolve("theory.symbols:no_such_thing")
    Traceback (most recent call last):
    ...
    theory.mechanism.MechanismError: 'theory.symbols:no_such_thing': module theory.symbols has no attribute 'no_such_thing'
    """
    if not isinstance(reference, str) or not _REFERENCE.match(reference):
        raise MechanismError(f"{reference!r} is not a reference of the form 'module:attribute'")
    module_name, attribute = reference.split(":")
    try:
        obj = importlib.import_module(module_name)
    except ImportError as error:
        raise MechanismError(f"{reference!r}: module {module_name} does not import "
                             f"({error})") from None
    for part in attribute.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise MechanismError(f"{reference!r}: module {module_name} has no attribute "
                                 f"{attribute!r}") from None
    return obj


@dataclass(frozen=True)
class Mechanism:
    """One mechanism, described for the engines.

    Parameters
    ----------
    name : str
        The mechanism's name: lower case, digits and ``_`` (``"ridge"``). ``w2s simulate NAME``
        and ``w2s sweep NAME`` take it.
    title : str
        One line naming the mechanism (listings and the docs).
    source : str
        Where it comes from: an arXiv id with a theorem or section, or "derived in w2s-theory"
        with the docs page.
    theory : tuple of (prefix, module) pairs
        The modules that define the mechanism's quantities and parameters, each with the
        dotted-name prefix of the quantities it registers (``("ridge", "theory.ridge")``), in
        the order the LaTeX document shows them. A module is imported the first time one of
        its names is looked up.
    claims : str, optional
        Reference to a function of no arguments returning the mechanism's claims (a list of
        :class:`theory.claims.Claim`); called once, the first time a claim is asked for.
    simulation : str, optional
        Reference to ``compare(raw, d, reps, seed, jobs)``, which simulates the process at the
        point ``raw`` (parameter name -> text) and returns a
        :class:`proofs_check.result.Comparison` of simulation and theory: what ``w2s
        simulate NAME`` prints.
    sweep : str, optional
        Reference to a :class:`numerics.sweeps.SweepTask`: the grid's parameters, the
        result columns and the function that computes one grid point.
    plans : str, optional
        Reference to a mapping ``{claim id: plan}`` of Monte Carlo plans
        (:class:`proofs_check.montecarlo.Plan`).
    reductions : str, optional
        Reference to a mapping ``{claim id: reduction}`` used by the certified route
        (:func:`proofs_check.certified.certify`).
    functions : str, optional
        Reference to the numeric implementations (mpmath and float64) of the SymPy functions
        the mechanism's quantities use (a :class:`numerics.primitives.Implementations`).
    figures : mapping of str to str, optional
        ``{figure name: reference}``; each reference names ``draw(ax, quick)`` that draws the
        figure on a Matplotlib axes (``w2s plot NAME``).
    boundaries : mapping of str to str, optional
        ``{boundary name: reference}``; each reference names a
        :class:`numerics.boundaries.Boundary` (the parameter along which a phase boundary is
        located, the simulated margin that changes sign there, the asymptotic location and the
        predicted finite-size exponent) that ``w2s boundary NAME`` locates at finite ``d``.
    docs : str, optional
        The docs page that explains the mechanism (relative to ``docs/`` for the built-ins,
        a URL for a third-party package).
    simulate_help : str, optional
        One paragraph: the parameters ``w2s simulate NAME`` takes.

    Examples
    --------
    >>> from theory.catalogue import mechanism
    >>> ridge = mechanism("ridge")
    >>> ridge.prefixes, ridge.docs
    (('ridge',), 'quantities.md')
    """

    name: str
    title: str
    source: str
    theory: tuple[tuple[str, str], ...] = ()
    claims: str | None = None
    simulation: str | None = None
    sweep: str | None = None
    plans: str | None = None
    reductions: str | None = None
    functions: str | None = None
    figures: Mapping[str, str] = field(default_factory=dict)
    boundaries: Mapping[str, str] = field(default_factory=dict)
    docs: str = ""
    simulate_help: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise MechanismError(f"mechanism name {self.name!r}: use lower case letters, "
                                 f"digits and _ (starting with a letter)")
        pairs = tuple(tuple(p) for p in self.theory)
        for pair in pairs:
            if len(pair) != 2 or not _NAME.match(str(pair[0])):
                raise MechanismError(f"mechanism {self.name}: theory entries are (prefix, "
                                     f"module) pairs; got {pair!r}")
        object.__setattr__(self, "theory", pairs)
        object.__setattr__(self, "figures", MappingProxyType(dict(self.figures)))
        object.__setattr__(self, "boundaries", MappingProxyType(dict(self.boundaries)))
        for label in self.boundaries:
            if not _NAME.match(str(label)):
                raise MechanismError(f"mechanism {self.name}: boundary name {label!r}: use "
                                     f"lower case letters, digits and _")
        for label, ref in (("claims", self.claims), ("simulation", self.simulation),
                           ("sweep", self.sweep), ("plans", self.plans),
                           ("reductions", self.reductions), ("functions", self.functions),
                           *self.figures.items(), *self.boundaries.items()):
            if ref is not None and not _REFERENCE.match(ref):
                raise MechanismError(f"mechanism {self.name}: {label} must be a reference "
                                     f"'module:attribute'; got {ref!r}")

    @property
    def prefixes(self) -> tuple[str, ...]:
        """The dotted-name prefixes the mechanism owns, in document order."""
        return tuple(prefix for prefix, _ in self.theory)

    @property
    def modules(self) -> tuple[str, ...]:
        """The theory modules, in document order."""
        return tuple(module for _, module in self.theory)

    def owns(self, name: str) -> bool:
        """Whether the dotted quantity or claim ``name`` belongs to this mechanism."""
        return name.split(".")[0] in self.prefixes

    def module_of(self, prefix: str) -> str:
        """The theory module that defines the quantities of ``prefix``."""
        return dict(self.theory)[prefix]

    def load(self) -> None:
        """Import the theory modules (they register the quantities and parameters)."""
        for module in self.modules:
            importlib.import_module(module)

    def facet(self, name: str) -> Any:
        """The resolved facet ``name`` (``"claims"``, ``"simulation"``, ``"sweep"``,
        ``"plans"``, ``"reductions"``, ``"functions"``), or ``None`` when the mechanism has none."""
        ref = getattr(self, name)
        return None if ref is None else resolve(ref)
