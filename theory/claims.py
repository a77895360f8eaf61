"""Claims: theorems stated as data, and their registry.

A :class:`Claim` has an id, the source it comes from, a parameter region (a range per parameter),
assumptions (SymPy relations among the parameters) and a conclusion about a *margin* expression.
Three shapes cover the theory:

``forall``
    for every point of the region that satisfies the assumptions, ``margin >= 0``
    (``margin == 0`` when ``identity=True``);
``exists``
    for every such point, some value of the ``witness`` parameter in ``witness_range`` gives
    ``margin < 0`` (e.g. some ``lam_s`` with ``L_s - L_t < 0``);
``iff``
    for every such point, ``condition`` holds exactly when some witness gives ``margin < 0``
    (a threshold, checked in both directions).

A claim may carry a ``proof``: a function doing a SymPy proof and returning a :class:`Proof`.
Mechanism modules register their claims here; ``proofs_check`` decides them.

Examples
--------
>>> from sympy import Interval
>>> from theory.claims import Claim
>>> from theory.symbols import lam, gamma
>>> from theory import quantity
>>> c = Claim("demo.u_below_one", "u = lam m(-lam) never exceeds 1", "derived here",
...           margin=1 - quantity("mp.shrinkage_u"),
...           region={"lam": Interval(0, 10**6), "gamma": Interval(10**-3, 10**3)})
>>> c.kind, c.parameters
('forall', ('lam', 'gamma'))
"""

from __future__ import annotations

import difflib
import fnmatch
from dataclasses import dataclass, field
from typing import Callable, Literal, Mapping, Optional

import sympy

from theory.registry import UnknownNameError
from theory.symbols import parameters

__all__ = ["Claim", "Proof", "register_claim", "claim", "claims", "claim_ids"]


@dataclass(frozen=True)
class Proof:
    """Outcome of a SymPy proof: whether every step was established, and the steps.

    Examples
    --------
    >>> from theory.claims import Proof
    >>> Proof(True, (("identity", "expand(a - a) == 0"),)).established
    True
    """

    established: bool
    steps: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Claim:
    """A theorem stated as data (see the module docs for the three shapes).

    Parameters
    ----------
    id : str
        Dotted id, e.g. ``"ridge.over_regularised_teacher_never_beaten"``.
    statement : str
        The theorem in words.
    source : str
        Where it comes from: paper and theorem number as the seeds give it, a theory page, or
        ``"derived here"``.
    margin : sympy.Expr
        The expression the conclusion is about.
    region : dict
        ``{parameter name: sympy.Interval or number}``; a number fixes the parameter. Every free
        parameter of the margin (and of the condition) that has no default must be given.
    kind : {"forall", "exists", "iff"}
    assumptions : tuple of sympy relations
        Constraints among the parameters, e.g. ``lam_t >= sigma2*gamma_t/r2``. Each must isolate one
        parameter on its left-hand side, bounded by an expression in the others.
    identity : bool
        For ``forall``: the margin is identically zero (checked to the working precision).
    witness : str, optional
        For ``exists`` and ``iff``: the parameter searched for.
    witness_range : sympy.Interval, optional
        Where the witness is searched.
    condition : sympy relation, optional
        For ``iff``: the threshold condition.
    proof : callable, optional
        A SymPy proof returning :class:`Proof` (used by the symbolic route).

    Examples
    --------
    >>> from theory.claims import claim
    >>> c = claim("ridge.over_regularised_teacher_never_beaten")
    >>> c.kind, c.source
    ('forall', 'arXiv:2505.18346 Theorem 5; linear.md sec. 3 claim 1')
    """

    id: str
    statement: str
    source: str
    margin: sympy.Expr
    region: Mapping[str, object]
    kind: Literal["forall", "exists", "iff"] = "forall"
    assumptions: tuple = ()
    identity: bool = False
    witness: Optional[str] = None
    witness_range: Optional[sympy.Interval] = None
    condition: Optional[sympy.Basic] = None
    proof: Optional[Callable[[], Proof]] = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.kind not in ("forall", "exists", "iff"):
            raise ValueError(f"kind must be forall, exists or iff; got {self.kind!r}")
        if self.kind in ("exists", "iff") and (self.witness is None or self.witness_range is None):
            raise ValueError(f"a {self.kind} claim needs a witness and a witness_range")
        if self.kind == "iff" and self.condition is None:
            raise ValueError("an iff claim needs a condition")
        if self.identity and self.kind != "forall":
            raise ValueError("identity=True is for forall claims")
        declared = parameters()
        needed = {s.name for s in self.margin.free_symbols}
        if self.condition is not None:
            needed |= {s.name for s in self.condition.free_symbols}
        for rel in self.assumptions:
            needed |= {s.name for s in rel.free_symbols}
        unknown = needed - set(declared)
        if unknown:
            raise ValueError(f"claim {self.id}: symbols {sorted(unknown)} are not parameters")
        for name in needed - set(self.region):
            if declared[name].default is None and name != self.witness:
                raise ValueError(f"claim {self.id}: no range for parameter {name}")
        for name in set(self.region) - needed:
            raise ValueError(f"claim {self.id}: parameter {name} in the region is not used")

    @property
    def parameters(self) -> tuple[str, ...]:
        """Names of the parameters drawn from the region (the witness excluded), in order."""
        return tuple(n for n in parameters() if n in self.region and n != self.witness)

    def replace(self, **changes) -> "Claim":
        """A copy with some fields changed (for variants and mutation tests).

        A proof belongs to the statement it proves: when the statement changes (margin, region,
        assumptions, condition, witness, kind) the copy has no proof unless one is passed.

        Examples
        --------
        >>> from theory.claims import claim
        >>> c = claim("ridge.min_norm_student").replace(id="mutant")
        >>> c.id, c.proof is None
        ('mutant', False)
        >>> c.replace(identity=False).proof is None
        True
        """
        import dataclasses

        statement = {"margin", "region", "assumptions", "condition", "witness", "witness_range",
                     "kind", "identity"}
        if statement & set(changes) and "proof" not in changes:
            changes["proof"] = None
        return dataclasses.replace(self, **changes)


_CLAIMS: dict[str, Claim] = {}


def register_claim(c: Claim) -> Claim:
    """Register a claim under its id (each mechanism module registers its own).

    Examples
    --------
    >>> from theory.claims import register_claim, claim
    >>> register_claim(claim("ridge.min_norm_student")) is claim("ridge.min_norm_student")
    True
    """
    if c.id in _CLAIMS and _CLAIMS[c.id] is not c:
        raise ValueError(f"claim {c.id!r} is already registered")
    _CLAIMS[c.id] = c
    return c


def claim_ids(pattern: str = "*") -> list[str]:
    """Ids of the registered claims matching a glob ``pattern`` (or containing it), sorted.

    Examples
    --------
    >>> from theory.claims import claim_ids
    >>> claim_ids("ridge.min*")
    ['ridge.min_norm_student']
    """
    ids = sorted(_CLAIMS)
    if any(ch in pattern for ch in "*?["):
        return [i for i in ids if fnmatch.fnmatchcase(i, pattern)]
    return [i for i in ids if pattern in i]


def claims(pattern: str = "*") -> list[Claim]:
    """The registered claims matching ``pattern`` (see :func:`claim_ids`)."""
    return [_CLAIMS[i] for i in claim_ids(pattern)]


def claim(claim_id: str) -> Claim:
    """The registered claim with this id.

    Raises
    ------
    UnknownNameError
        With the closest ids.
    """
    try:
        return _CLAIMS[claim_id]
    except KeyError:
        close = difflib.get_close_matches(claim_id, sorted(_CLAIMS), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `w2s list`"
        raise UnknownNameError(f"unknown claim {claim_id!r}{hint}") from None
