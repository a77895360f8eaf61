"""Claims: theorems stated as data, the way a paper states them, and their registry.

A :class:`Claim` is a SymPy relation (its *conclusion*) that holds over a parameter region under
some assumptions:

>>> from theory import quantity
>>> from theory.claims import Claim
>>> u = quantity("mp.shrinkage_u")
>>> Claim(u <= 1).statement
'lam*m(-lam, gamma) <= 1 for all lam in [0, 1000], gamma in [1/1000, 1000]'

Three shapes cover the theory:

``forall`` (no witness)
    at every point of the region that satisfies the assumptions, the conclusion holds
    (``a >= b``, ``a > b``, ``a <= b``, ``a < b``; ``Eq(a, b)`` is an identity);
``exists`` (a ``witness`` and its ``witness_range``)
    at every such point, some value of the witness makes the strict conclusion hold (e.g. some
    ``lam_s`` with ``L_s < L_t``);
``iff`` (a witness and a ``condition``)
    at every such point, ``condition`` holds exactly when some witness makes the conclusion hold
    (a threshold, checked in both directions).

Internally a conclusion ``a >= b`` (or ``a < b`` with a witness) is stored as its *margin*
``a - b``, the expression the routes evaluate: a ``forall`` claim needs ``margin >= 0`` (``== 0``
for an identity), an existence claim a witness with ``margin < 0``.

Defaults, so that a conjecture takes one line: ``id`` is ``conjecture.`` and a hash of the
statement, ``statement`` is the relation in words, ``source`` is ``"conjecture"``, and a parameter
without a given range gets a default box derived from its domain (:func:`default_range`):
``(0, oo)`` becomes ``[1/1000, 1000]`` (sampled log-uniformly), ``[0, oo)`` becomes
``[0, 1000]``, ``(-oo, oo)`` becomes ``[-1000, 1000]``, and a bounded domain (``zeta`` in
``[-1, 1]``) is its own range. Parameters with a default value (``r2 = 1``, ``sigma2_s = 0``) are
fixed at it unless given a range.

An assumption is a relation ``p >= bound`` (or ``>``, ``<=``, ``<``) isolating one parameter;
a relation linear in some parameter with a coefficient of known sign (``r2 lam_t >= sigma2
gamma_t``) is solved for it. A claim may carry a ``proof``: a function doing a SymPy proof and
returning a :class:`Proof`. Mechanism modules register their claims here; ``proofs_check``
decides them.

Examples
--------
>>> from sympy import Interval
>>> from theory.symbols import lam_t, gamma_t, sigma2, r2
>>> c = Claim(quantity("mp.shrinkage_v") >= u**2, source="my notes, lemma 2",
...           region={"lam": Interval(0, 10**6)})
>>> c.kind, c.parameters, c.region["gamma"]
('forall', ('lam', 'gamma'), Interval(1/1000, 1000))
>>> L_s, L_t = quantity("ridge.student_risk"), quantity("ridge.teacher_risk")
>>> Claim(L_s >= L_t, assumptions=(r2 * lam_t >= sigma2 * gamma_t,)).assumptions
(lam_t >= gamma_t*sigma2/r2,)
"""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import math
import numbers
from dataclasses import dataclass
from typing import Callable, Mapping, Optional

import sympy

from theory import catalogue
from theory.errors import UnknownNameError
from theory.symbols import parameters

__all__ = ["Claim", "Proof", "register_claim", "claim", "claims", "claim_ids", "default_range"]


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


#: Default box of a parameter whose domain is unbounded on one or both sides.
DEFAULT_SCALE = (sympy.Rational(1, 1000), sympy.Integer(1000))


def default_range(name: str) -> sympy.Interval:
    """The default range of a parameter in a claim's region, derived from its domain.

    Examples
    --------
    >>> from theory.claims import default_range
    >>> default_range("gamma_t"), default_range("lam_s"), default_range("zeta")
    (Interval(1/1000, 1000), Interval(0, 1000), Interval(-1, 1))
    """
    domain = parameters()[name].domain
    if not isinstance(domain, sympy.Interval):
        raise ValueError(f"parameter {name} (domain {domain}) has no default range; give one in "
                         f"region=")
    lo, hi = domain.start, domain.end
    small, large = DEFAULT_SCALE
    if lo == -sympy.oo:
        lo = -large if hi == sympy.oo or hi > -large else hi - large
    elif domain.left_open and hi == sympy.oo and lo == 0:
        lo = small
    if hi == sympy.oo:
        hi = max(large, lo + large) if lo != small else large
    return sympy.Interval(lo, hi, domain.left_open and lo == domain.start,
                          domain.right_open and hi == domain.end)


_FLIP = {sympy.GreaterThan: sympy.LessThan, sympy.StrictGreaterThan: sympy.StrictLessThan,
         sympy.LessThan: sympy.GreaterThan, sympy.StrictLessThan: sympy.StrictGreaterThan}


def _isolate(relation, region_names, claim_id):
    """``relation`` as ``p REL bound`` for a parameter ``p`` of the region."""
    if not isinstance(relation, tuple(_FLIP)):
        raise ValueError(f"claim {claim_id}: assumption {relation} must be an inequality "
                         f"(>=, >, <=, <)")
    if isinstance(relation.lhs, sympy.Symbol) and relation.lhs.name in region_names \
            and relation.lhs not in relation.rhs.free_symbols:
        return relation
    if isinstance(relation.rhs, sympy.Symbol) and relation.rhs.name in region_names \
            and relation.rhs not in relation.lhs.free_symbols:
        return _FLIP[type(relation)](relation.rhs, relation.lhs)
    e = relation.lhs - relation.rhs
    order = list(parameters())
    by_order = lambda side: sorted(side.free_symbols, key=lambda x: order.index(x.name))
    for p in by_order(relation.lhs) + by_order(relation.rhs):
        if p.name not in region_names or sympy.degree(e, p) != 1:
            continue
        c = e.coeff(p)
        if p in c.free_symbols:
            continue
        bound = sympy.simplify(-(e - c * p) / c)
        if c.is_positive:
            return type(relation)(p, bound)
        if c.is_negative:
            return _FLIP[type(relation)](p, bound)
    raise ValueError(f"claim {claim_id}: assumption {relation} must isolate a parameter of the "
                     f"region (p >= bound), or be linear in one with a coefficient of known sign")


def _margin_of(conclusion, existential: bool):
    """``(margin, identity, strict)`` of a conclusion relation."""
    if isinstance(conclusion, sympy.Equality):
        if existential:
            raise ValueError("an existence claim's conclusion must be a strict inequality")
        return conclusion.lhs - conclusion.rhs, True, False
    if isinstance(conclusion, (sympy.GreaterThan, sympy.StrictGreaterThan)):
        margin = conclusion.rhs - conclusion.lhs if existential else conclusion.lhs - conclusion.rhs
    elif isinstance(conclusion, (sympy.LessThan, sympy.StrictLessThan)):
        margin = conclusion.lhs - conclusion.rhs if existential else conclusion.rhs - conclusion.lhs
    elif conclusion in (sympy.true, sympy.false) or isinstance(conclusion, bool):
        raise ValueError(f"the conclusion evaluated to {conclusion} before any parameter was "
                         f"chosen: state it with parameters from theory.symbols")
    else:
        raise ValueError(f"a conclusion must be a SymPy relation (a >= b, a < b, Eq(a, b)); "
                         f"got {conclusion!r}")
    strict = isinstance(conclusion, (sympy.StrictGreaterThan, sympy.StrictLessThan))
    if existential and not strict:
        raise ValueError("an existence claim's conclusion must be a strict inequality (< or >)")
    return margin, False, strict


@dataclass(frozen=True, init=False)
class Claim:
    """A theorem stated as data (see the module docs for the three shapes and the defaults).

    Parameters
    ----------
    conclusion : sympy relation
        ``a >= b``, ``a > b``, ``a <= b``, ``a < b``, or ``Eq(a, b)`` for an identity. With a
        ``witness``: the strict inequality some witness value must make true.
    id : str, optional
        Dotted id, e.g. ``"ridge.over_regularised_teacher_never_beaten"`` (default:
        ``conjecture.<hash>``).
    statement : str, optional
        The theorem in words (default: the relation and the region).
    source : str, optional
        Where it comes from: paper and theorem number as the seeds give it, a theory page, or
        ``"derived here"`` (default ``"conjecture"``).
    region : dict, optional
        ``{parameter name: sympy.Interval or number}``; a number fixes the parameter. A range is a
        sympy Interval with finite ends (integers, fractions or decimals) inside the parameter's
        domain. A free parameter not given takes :func:`default_range` (or its default value, if
        it has one).
    assumptions : tuple of sympy relations
        Constraints among the parameters, e.g. ``lam_t >= sigma2*gamma_t/r2``.
    witness : str, optional
        The parameter searched for (an ``exists`` claim, or ``iff`` with a ``condition``).
    witness_range : sympy.Interval, optional
        Where the witness is searched (default: its default range).
    condition : sympy relation, optional
        For ``iff``: the threshold condition.
    proof : callable, optional
        A SymPy proof returning :class:`Proof` (used by the symbolic route).

    Raises
    ------
    TypeError
        A region that is not a dict, a range that is neither an Interval nor a number, a
        ``proof`` that is not callable, assumptions that are not a tuple (the message names the
        parameter and what is allowed).
    ValueError
        An unknown parameter, a range with an infinite end or outside the domain, a conclusion
        that is not a relation.

    Attributes
    ----------
    margin : sympy.Expr
        The expression the conclusion is about (see the module docs).
    kind : {"forall", "exists", "iff"}
    identity, strict : bool

    Examples
    --------
    >>> from theory.claims import claim
    >>> c = claim("ridge.over_regularised_teacher_never_beaten")
    >>> c.kind, c.source
    ('forall', 'arXiv:2505.18346, Theorem 5')
    """

    id: str
    statement: str
    source: str
    conclusion: sympy.Basic
    margin: sympy.Expr
    region: Mapping[str, object]
    kind: str
    assumptions: tuple
    identity: bool
    strict: bool
    witness: Optional[str]
    witness_range: Optional[sympy.Interval]
    condition: Optional[sympy.Basic]
    proof: Optional[Callable[[], Proof]]

    def __init__(self, conclusion, *, id: str | None = None, statement: str | None = None,
                 source: str = "conjecture", region: Mapping[str, object] | None = None,
                 assumptions=(), witness: str | None = None,
                 witness_range: sympy.Interval | None = None, condition=None,
                 proof: Callable[[], Proof] | None = None):
        existential = witness is not None
        margin, identity, strict = _margin_of(conclusion, existential)
        declared = parameters()
        label = id or "conjecture..."
        region = _checked_region(region, declared, label)
        if proof is not None and not callable(proof):
            raise TypeError(f"claim {label}: proof must be a callable returning a "
                            f"theory.claims.Proof, or None; got {type(proof).__name__}")
        if isinstance(assumptions, sympy.Basic) or not isinstance(assumptions, (tuple, list)):
            raise TypeError(f"claim {label}: assumptions must be a tuple of relations (e.g. "
                            f"(lam_t >= sigma2*gamma_t/r2,)); got {type(assumptions).__name__}")
        if condition is not None and not isinstance(condition, sympy.Basic):
            raise TypeError(f"claim {label}: condition must be a SymPy relation; got "
                            f"{type(condition).__name__}")
        if witness is not None and (not isinstance(witness, str) or witness not in declared):
            raise ValueError(f"claim {label}: witness must be the name of a parameter "
                             f"(theory.symbols); got {witness!r}")
        if witness_range is not None:
            _check_range(label, f"witness_range of {witness}", witness_range,
                         declared[witness].domain if witness in declared else None,
                         allow_number=False)
        needed = {s.name for s in margin.free_symbols}
        if condition is not None:
            needed |= {s.name for s in condition.free_symbols}
        unknown = {s.name for s in margin.free_symbols if declared.get(s.name) != s}
        if unknown:
            raise ValueError(f"claim {label}: symbols {sorted(unknown)} are not parameters "
                             f"(build expressions from theory.symbols or theory.S)")
        for name in sorted(set(region) - needed - {witness}):
            raise ValueError(f"claim {label}: parameter {name} in the region is not used")
        for name in [n for n in declared if n in needed - set(region) - {witness}]:
            if declared[name].default is None:
                region[name] = default_range(name)
        for name, value in region.items():
            _check_range(label, name, value, declared[name].domain)
        if existential:
            if condition is None and witness in region:
                raise ValueError(f"claim {label}: the witness {witness} must not have a region "
                                 f"range (give witness_range)")
            witness_range = witness_range if witness_range is not None else default_range(witness)
        elif witness_range is not None or condition is not None:
            raise ValueError(f"claim {label}: witness_range and condition need a witness")
        names = set(region) - {witness}
        fixed = {n for n, p in declared.items() if p.default is not None}
        isolated = []
        for relation in assumptions:
            used = {s.name for s in relation.free_symbols}
            if not used <= names | fixed:
                raise ValueError(f"claim {label}: assumption {relation} uses "
                                 f"{', '.join(sorted(used - names - fixed, key=list(declared).index))}, "
                                 f"which the conclusion does not")
            isolated.append(_isolate(relation, names, label))
        kind = "iff" if condition is not None else "exists" if existential else "forall"
        if statement is None:
            ranges = ", ".join(f"{n} in {_range_text(region[n])}" for n in declared
                               if n in region and n != witness)
            lead = (f"some {witness} in {_range_text(witness_range)} gives "
                    if existential else "")
            cond = f"{sympy.sstr(condition)} iff " if condition is not None else ""
            statement = f"{cond}{lead}{sympy.sstr(conclusion)} for all {ranges}"
            if isolated:
                statement += " with " + ", ".join(sympy.sstr(a) for a in isolated)
        if id is None:
            digest = hashlib.sha1(statement.encode()).hexdigest()[:8]
            id = f"conjecture.{digest}"
        for name, value in (("id", id), ("statement", statement), ("source", source),
                            ("conclusion", conclusion), ("margin", margin),
                            ("region", region), ("kind", kind), ("assumptions", tuple(isolated)),
                            ("identity", identity), ("strict", strict), ("witness", witness),
                            ("witness_range", witness_range), ("condition", condition),
                            ("proof", proof)):
            object.__setattr__(self, name, value)

    @property
    def parameters(self) -> tuple[str, ...]:
        """Names of the parameters drawn from the region (the witness excluded), in order."""
        return tuple(n for n in parameters() if n in self.region and n != self.witness)

    def _repr_pretty_(self, p, cycle):  # IPython, w2s shell: theory.display
        from theory.display import claim_text

        p.text(claim_text(self))

    def _repr_markdown_(self) -> str:  # Jupyter: statement, region and assumptions as math
        from theory.display import claim_markdown

        return claim_markdown(self)

    def _repr_latex_(self) -> str:
        from theory.display import claim_latex

        return claim_latex(self)

    def replace(self, **changes) -> "Claim":
        """A copy with some fields changed (for variants and mutation tests).

        ``margin=`` may replace the conclusion by the relation it stands for (``margin >= 0``,
        ``Eq(margin, 0)`` for an identity, ``margin < 0`` with a witness). A proof belongs to the
        statement it proves: when the statement changes the copy has no proof unless one is
        passed.

        Examples
        --------
        >>> from theory.claims import claim
        >>> c = claim("ridge.min_norm_student").replace(id="mutant")
        >>> c.id, c.proof is None
        ('mutant', False)
        >>> c.replace(conclusion=c.conclusion.lhs >= c.conclusion.rhs).proof is None
        True
        """
        fields = {"conclusion": self.conclusion, "id": self.id, "statement": self.statement,
                  "source": self.source, "region": self.region, "assumptions": self.assumptions,
                  "witness": self.witness, "witness_range": self.witness_range,
                  "condition": self.condition, "proof": self.proof}
        margin = changes.pop("margin", None)
        if margin is not None:
            changes["conclusion"] = (sympy.Eq(margin, 0, evaluate=False) if self.identity
                                     else sympy.StrictLessThan(margin, 0) if self.witness
                                     else sympy.GreaterThan(margin, 0))
        unknown = set(changes) - set(fields)
        if unknown:
            raise TypeError(f"Claim.replace got unknown fields {sorted(unknown)}")
        statement = set(fields) - {"id", "statement", "source", "proof"}
        if statement & set(changes) and "proof" not in changes:
            changes["proof"] = None
        return Claim(**{**fields, **changes})


def _checked_region(region, declared, label) -> dict:
    """``region`` as a dict, its keys checked to be parameter names (its ranges are checked by
    :func:`_check_range` once the defaults are added)."""
    if region is None:
        return {}
    if not isinstance(region, Mapping):
        raise TypeError(f"claim {label}: region must be a dict {{parameter name: "
                        f"sympy.Interval or number}}; got {type(region).__name__}")
    if any(isinstance(name, str) and name not in declared for name in region):
        catalogue.load()  # a parameter of a mechanism not imported yet
        declared.update(parameters())
    for name in region:
        if not isinstance(name, str):
            raise TypeError(f"claim {label}: region keys must be parameter names (str); got "
                            f"{type(name).__name__} {name!r}")
        if name not in declared:
            close = difflib.get_close_matches(name, list(declared), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ValueError(f"claim {label}: region: {name!r} is not a parameter (see "
                             f"theory.symbols){hint}")
    return dict(region)


def _finite_number(x) -> bool:
    """Whether ``x`` is a finite real number the routes can take exactly (an int, a Fraction, a
    finite float, a SymPy Rational or Float; not a bool, a str or an irrational expression)."""
    if isinstance(x, bool):
        return False
    if isinstance(x, (numbers.Rational, sympy.Rational)):
        return True
    if isinstance(x, (float, sympy.Float)):
        return bool(math.isfinite(float(x)))
    return False


def _check_range(label, name, value, domain, allow_number=True) -> None:
    """``value`` is a sympy Interval with finite numeric ends (or, if ``allow_number``, a single
    finite number) inside ``domain``; else a TypeError/ValueError naming ``name``."""
    where = f" inside its domain {_range_text(domain)}" if isinstance(domain, sympy.Interval) \
        else ""
    allowed = (f"a sympy Interval with finite ends{where}"
               + (", or a single number (fixing it)" if allow_number else ""))
    if isinstance(value, sympy.Interval):
        for end in (value.start, value.end):
            if not _finite_number(end):
                raise ValueError(f"claim {label}: the range {_range_text(value)} of {name} must "
                                 f"be {allowed}: {end} is not a finite integer, fraction or "
                                 f"decimal (the sampled route draws from bounded ranges)")
    elif value is sympy.EmptySet and not allow_number:
        return  # an empty witness range: the existence claim fails everywhere
    elif not allow_number or not _finite_number(value):
        raise TypeError(f"claim {label}: the range of {name} must be {allowed}; got "
                        f"{type(value).__name__} {value!r}")
    if domain is not None and not _within(value, domain):
        raise ValueError(f"claim {label}: the range {_range_text(value)} of {name} leaves its "
                         f"domain {domain}")


def _within(value, domain) -> bool:
    """Whether a range (an Interval or a number) lies in a parameter's domain (an Interval, a
    union of them, or the complex plane), by comparing ends (``Set.is_subset`` is slow)."""
    if domain == sympy.S.Complexes:
        return True
    if isinstance(domain, sympy.Union):
        return any(_within(value, part) for part in domain.args)
    if not isinstance(value, sympy.Interval):  # a fixed value
        v = sympy.sympify(value)
        return bool(v.is_real) and bool(domain.contains(v))
    lo_ok = value.start > domain.start or (value.start == domain.start
                                          and (value.left_open or not domain.left_open))
    hi_ok = value.end < domain.end or (value.end == domain.end
                                      and (value.right_open or not domain.right_open))
    return bool(lo_ok) and bool(hi_ok)


def _range_text(value) -> str:
    if isinstance(value, sympy.Interval):
        return (f"{'(' if value.left_open else '['}{value.start}, {value.end}"
                f"{')' if value.right_open else ']'}")
    return str(value)



_CLAIMS: dict[str, Claim] = {}
_BUILT: set[str] = set()


def _build(mechanism) -> None:
    """Register the claims of ``mechanism`` (a :class:`~theory.mechanism.Mechanism`) once.

    A mechanism's claims are built the first time a claim is asked for, not at import:
    constructing claims runs SymPy's assumption system over their relations (30 ms for the
    ridge claims), which a command that only evaluates a quantity (``w2s eval``) does not need.
    """
    if mechanism.name in _BUILT:
        return
    build = mechanism.facet("claims")
    built = list(build()) if build is not None else []
    for c in built:
        if not isinstance(c, Claim):
            raise TypeError(f"mechanism {mechanism.name}: its claims function returned "
                            f"{type(c).__name__}, not a Claim")
        if not mechanism.owns(c.id):
            raise ValueError(f"mechanism {mechanism.name} registers the claim {c.id!r} outside "
                             f"its prefixes {', '.join(mechanism.prefixes)}")
    for c in built:
        register_claim(c)
    _BUILT.add(mechanism.name)


def _build_all() -> None:
    for m in catalogue.catalogue().values():
        _build(m)


def register_claim(c: Claim) -> Claim:
    """Register a claim under its id (the catalogue registers each mechanism's claims; a user
    may register one of their own for the session).

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
    _build_all()
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

    Examples
    --------
    >>> from theory.claims import claim
    >>> claim("ridge.min_norm_student").kind
    'forall'
    """
    if claim_id not in _CLAIMS:
        owner = catalogue.owner(claim_id)
        if owner is not None:
            _build(owner)
    try:
        return _CLAIMS[claim_id]
    except KeyError:
        close = difflib.get_close_matches(claim_id, claim_ids(), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `w2s list`"
        raise UnknownNameError(f"unknown claim {claim_id!r}{hint}") from None
