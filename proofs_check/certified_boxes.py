r"""Branch and bound on a ``forall`` claim: the machinery of the certified route.

:func:`prepare` compiles a claim (reparametrising its assumptions), :func:`certify_forall` splits
its box until every piece is decided, :func:`confirm_sign` confirms a counterexample with
python-flint ``arb``. :mod:`proofs_check.certified` (the route) and
:mod:`proofs_check.certified_witness` (existence and threshold claims) build on it; the method is
described in :mod:`proofs_check.certified`.

Examples
--------
>>> from theory.claims import claim
>>> from proofs_check.certified_boxes import prepare
>>> prepare(claim("ridge.over_regularised_teacher_never_beaten")).program.names[-1]
'd[lam_t]'
"""

from __future__ import annotations

import heapq
import itertools
import time
from dataclasses import dataclass

import mpmath
import sympy
from mpmath import libmp

from numerics.intervals import (ArbArithmetic, IntervalArithmetic, IntervalUnavailable,
                                PointArithmetic, Program, compile_margin, positive_parts)
from numerics.stable import stable_form
from proofs_check.certified_gradient import GradientProgram, first_order_lower, gradient_program
from proofs_check.result import RouteResult
from numerics.validation import exact_text
from theory.claims import Claim
from theory.symbols import parameters

__all__ = ["Setup", "Unavailable", "prepare", "certify_forall", "confirm_sign", "BOXES", "SECONDS",
           "CONFIRM_BITS", "LISTED"]
#: Default budget: boxes split (reproducible: the same claim gives the same verdict on any machine).
#: ``SECONDS`` is an optional wall-time limit, off by default; a run it stops says so.
BOXES, SECONDS = 300, None
#: Boxes split by the probes of the stable and the factored form before the rest of the budget.
PROBE = 50
#: The first-order stage splits ``boxes // FIRST_ORDER_SHARE`` boxes: each of its boxes costs
#: about three runs of a program several times the margin's size.
FIRST_ORDER_SHARE = 3
#: Slots beyond which the margin-and-gradient program is not used (the natural enclosure is).
GRADIENT_LIMIT = 400
#: Precision (bits) at which a counterexample's sign is confirmed.
CONFIRM_BITS = 256
#: Operations beyond which the stable form is not factored (the factored probe is skipped).
FACTOR_LIMIT = 300
#: Undecided boxes listed in a result (the count is always given).
LISTED = 20


class Unavailable(Exception):
    """The route does not apply to this claim (the message says why)."""


@dataclass
class Setup:
    """A claim prepared for branch and bound.

    Attributes
    ----------
    program : numerics.intervals.Program
        The reparametrised margin, over the coordinates ``program.names``.
    box : dict
        ``{coordinate: (lo, hi)}`` with ``mpf`` ends (outward-rounded region ends).
    original : numerics.intervals.Program
        The claim's margin over its own parameters (to confirm a counterexample).
    back : dict
        ``{parameter: expression in the coordinates}`` for the reparametrised parameters.
    fixed : dict
        Parameters fixed by the region or by their defaults, as exact rationals.
    description : str
        The reparametrisation in words.
    """

    claim: Claim
    program: Program
    box: dict
    original: Program
    back: dict
    fixed: dict
    description: str

    def point(self, coordinates: dict) -> dict:
        """The claim's parameters (exact rationals) at a point of the box.

        Examples
        --------
        >>> from theory.claims import claim
        >>> from proofs_check.certified import prepare
        >>> s = prepare(claim("ridge.over_regularised_teacher_never_beaten"))
        >>> p = s.point({n: 1 for n in s.program.names})
        >>> p["lam_t"]   # sigma2 gamma_t / r2 + d
        2
        """
        declared = parameters()
        exact = {n: _rational(v) for n, v in coordinates.items()}
        symbols = {declared[n] if n in declared else sympy.Symbol(n, **_ASSUME): v
                   for n, v in exact.items()}
        values = {**self.fixed, **{n: v for n, v in exact.items() if n in declared}}
        values.update({n: e.xreplace(symbols) for n, e in self.back.items()})
        return {n: values[n] for n in self.claim.parameters if n in values}


_ASSUME = {"nonnegative": True}


def _rational(v) -> sympy.Rational:
    if isinstance(v, mpmath.mpf):
        if not mpmath.isfinite(v):  # inf/nan have a zero mantissa: not the number 0
            raise ValueError(f"a coordinate must be finite, not {v}")
        sign, man, exp, _ = v._mpf_
        return sympy.Integer((-1) ** sign * man) * sympy.Integer(2) ** exp
    return sympy.Rational(v)


def _ends(interval, arith):
    if not (interval.start.is_finite and interval.end.is_finite):
        raise Unavailable(f"the range {interval} is unbounded: certify a bounded region")
    lo, hi = (arith.interval(sympy.Rational(e) if e.is_Float else e)
              for e in (interval.start, interval.end))
    return mpmath.mpf(lo.a), mpmath.mpf(hi.b)


def _expand_outside(expr, new, eager=False):
    """Expand each sum holding ``new`` symbols where that lowers its number of terms (with
    ``eager``: where it does not raise it, so ``3 (d + sqrt(6)/3)^2 - 2`` becomes the manifest
    ``3 d^2 + 2 sqrt(6) d``), then pull a common factor out of it (``gamma s - gamma s t``
    becomes ``gamma s (1 - t)``, in which ``t`` occurs once and the factor is not straddled)."""
    def walk(e):
        if e.is_Atom or not e.has(*new):
            return e
        e = e.func(*[walk(a) for a in e.args])
        if e.is_Add:
            atoms = {f: sympy.Dummy() for f in e.atoms(sympy.Function)}
            expanded = sympy.expand(e.xreplace(atoms)).xreplace({v: k for k, v in atoms.items()})
            terms, before = len(sympy.Add.make_args(expanded)), len(e.args)
            if terms < before or (eager and terms == before and expanded != e):
                e = expanded
            if e.is_Add:  # a common factor pulled out: gamma s - gamma s t = gamma s (1 - t)
                common = sympy.factor_terms(e.xreplace(atoms)).xreplace(
                    {v: k for k, v in atoms.items()})
                if common.is_Mul:
                    return common
        return e
    return walk(expr)


def prepare(claim: Claim, factored: bool = False, eager: bool = False) -> Setup:
    """Compile ``claim`` for branch and bound (reparametrising its assumptions).

    With ``factored``, the stable form is first factored by SymPy with the primitives as atoms
    (an exact rewriting): a margin that is a square over a positive denominator then shows it.

    Raises
    ------
    Unavailable
        For identities, ``exists``/``iff`` claims, an assumption that cannot be reparametrised, or
        an operation without an interval enclosure.

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.certified import prepare
    >>> s = prepare(claim("ridge.over_regularised_teacher_never_beaten"))
    >>> s.description
    'lam_t = gamma_t*sigma2/r2 + d[lam_t], d[lam_t] >= 0'
    """
    if claim.kind != "forall":
        raise Unavailable(f"kind {claim.kind}: the route proves forall inequalities only")
    if claim.identity:
        raise Unavailable("an identity: intervals cannot prove an equality (symbolic route)")
    from theory import cache

    key = "\0".join((sympy.srepr(claim.margin), repr([sympy.srepr(a) for a in claim.assumptions]),
                      repr([(n, sympy.srepr(sympy.sympify(claim.region[n])))
                            for n in claim.parameters]), repr((factored, eager))))
    form, names, original, original_names, box, back, fixed, words = cache.cached(
        "certified-setup", key, lambda: _prepared(claim, factored, eager),
        depends_on=cache.theory_modules() + _PREPARATION_MODULES)
    return Setup(claim, Program(form, names), box,
                 compile_margin(original, original_names, stable=False), back, fixed, words)


#: The modules whose source a cached preparation depends on (besides the ``theory`` package).
_PREPARATION_MODULES = ("numerics.stable", "numerics.intervals", "proofs_check.certified_boxes")


def _prepared(claim: Claim, factored: bool, eager: bool = False) -> tuple:
    """The SymPy work of :func:`prepare` (seconds for a factored form), kept in the disk cache
    keyed on the claim's statement: ``(form, names, original form, its names, box, back, fixed,
    description)``, every part of which pickles."""
    arith = IntervalArithmetic()
    declared = parameters()
    box, fixed = {}, {}
    for name in claim.parameters:
        value = claim.region[name]
        if isinstance(value, sympy.Interval):
            box[name] = _ends(value, arith)
        else:
            fixed[name] = sympy.Rational(value)
    for s in claim.margin.free_symbols:
        if s.name not in claim.region and declared[s.name].default is not None:
            fixed[s.name] = declared[s.name].default
    if any(not v.is_Rational for v in fixed.values()):
        raise Unavailable("a fixed parameter that is not a rational number")
    form = positive_parts(stable_form(claim.margin))
    if factored:
        if sympy.count_ops(form) > FACTOR_LIMIT:
            raise Unavailable(f"the stable form has more than {FACTOR_LIMIT} operations: not "
                              f"factored (SymPy's factor would take minutes)")
        form = _factor_outside(form)
    form = form.xreplace({declared[n]: v for n, v in fixed.items()})
    original_names = [n for n in claim.parameters if n in box]
    compile_margin(form, original_names, stable=False)  # raises where no enclosure exists
    original = form

    back, words, new = {}, [], []
    for relation in claim.assumptions:
        p = relation.lhs
        if not isinstance(p, sympy.Symbol) or p.name not in box:
            raise Unavailable(f"assumption {relation} does not isolate a parameter of the box")
        bound = positive_parts(stable_form(relation.rhs))
        bound = bound.xreplace({declared[n]: v for n, v in fixed.items()})
        if bound.has(*[declared[n] for n in back]):
            raise Unavailable(f"assumption {relation} depends on another constrained parameter")
        others = {n: box[n] for n in box if n != p.name and n not in back}
        b_lo, b_hi = _bound_range(bound, others, arith)
        lo, hi = box.pop(p.name)
        if isinstance(relation, (sympy.GreaterThan, sympy.StrictGreaterThan)):
            d = sympy.Symbol(f"d[{p.name}]", **_ASSUME)
            if b_lo < lo:
                # the bound can fall below the region's lower end (or has no finite lower
                # bound): p = max(bound, lo) + d keeps p in the region and d in a bounded range
                bound = sympy.Max(bound, _rational(lo))
                b_lo = lo
            back[p.name] = bound + d
            top = libmp.mpf_sub(hi._mpf_, b_lo._mpf_, 53, libmp.round_ceiling)
            if not mpmath.isfinite(mpmath.mpf(top)):
                raise Unavailable(f"assumption {relation}: the range of {d.name} is unbounded")
            box[d.name] = (mpmath.mpf(0), mpmath.mpf(top))
            words.append(f"{p.name} = {bound} + {d.name}, {d.name} >= 0")
            new.append(d)
        elif lo == 0 and b_lo >= 0:
            t = sympy.Symbol(f"t[{p.name}]", **_ASSUME)
            back[p.name] = t * bound
            box[t.name] = (mpmath.mpf(0), mpmath.mpf(1))
            words.append(f"{p.name} = {t.name} * {bound}, {t.name} in [0, 1]")
            new.append(t)
        else:
            # p in [a, b] with p <= bound: p = a + t (min(bound, b) - a), t in [0, 1], covers
            # every point of the region (a superset where bound < a, which is stronger)
            region = claim.region[p.name]
            a, b = (sympy.Rational(e) if e.is_Float else e for e in (region.start, region.end))
            t = sympy.Symbol(f"t[{p.name}]", **_ASSUME)
            back[p.name] = a + t * (sympy.Min(bound, b) - a)
            box[t.name] = (mpmath.mpf(0), mpmath.mpf(1))
            words.append(f"{p.name} = {back[p.name]}, {t.name} in [0, 1]")
            new.append(t)
    form = _expand_outside(form.xreplace({declared[n]: e for n, e in back.items()}), new, eager)
    if factored:
        form = _square_roots_as_coordinates(form, claim, box, back, words)
    names = list(box)
    Program(form, names)  # raises where no enclosure exists
    return form, names, original, original_names, box, back, fixed, "; ".join(words) or "none"


def _square_roots_as_coordinates(form, claim, box, back, words):
    """The change of variables ``x = y^2`` for each parameter ``x`` of the box (not constrained
    by an assumption) that occurs as ``sqrt(x)``, then the form factored again: a margin
    polynomial in ``x`` and ``sqrt(x)`` becomes polynomial in ``y``, where SymPy's factor sees
    ``s - 2 sqrt(g) + g/s = (s - y)^2/s``. ``y`` ranges over ``[sqrt(lo), sqrt(hi)]`` rounded
    outward (a superset of the region)."""
    declared = parameters()
    constrained = {s.name for a in claim.assumptions for s in a.free_symbols}
    changed = False
    for name in list(box):
        if name not in declared or name in constrained or name in back:
            continue
        x = declared[name]
        if not form.has(sympy.sqrt(x)):
            continue
        y = sympy.Symbol(f"sqrt[{name}]", **_ASSUME)
        lo, hi = box.pop(name)
        box[y.name] = (mpmath.mpf(libmp.mpf_sqrt(lo._mpf_, 53, libmp.round_floor)),
                       mpmath.mpf(libmp.mpf_sqrt(hi._mpf_, 53, libmp.round_ceiling)))
        back[name] = y**2
        words.append(f"{name} = {y.name}**2")
        form = form.xreplace({x: y**2})
        changed = True
    return _factor_outside(form) if changed else form


def _factor_outside(form):
    """``factor(together(form))`` with every primitive (``kappa``, ``D``) held as an atom; a
    ``Piecewise`` (with the terms around it folded in) has each branch factored."""
    form = sympy.piecewise_fold(form)
    if isinstance(form, sympy.Piecewise):
        return sympy.Piecewise(*[(_factor_outside(v), c) for v, c in form.args])
    atoms = {f: sympy.Dummy() for f in form.atoms(sympy.Function)}
    factored = _collect_numbers(sympy.factor(sympy.together(form.xreplace(atoms))))
    return factored.xreplace({v: k for k, v in atoms.items()})


def _collect_numbers(expr):
    """Each sum with its terms of equal symbolic part merged: ``-3 x + 2 sqrt(3) x`` becomes
    ``(2 sqrt(3) - 3) x``, whose enclosure is one positive number times ``x`` (the enclosure of
    the sum straddles 0 on a wide box; ``(a + b) x`` is always inside ``a x + b x``)."""
    if expr.is_Atom:
        return expr
    args = [_collect_numbers(a) for a in expr.args]
    if not expr.is_Add:
        return expr.func(*args) if args != list(expr.args) else expr
    groups = {}
    for term in args:
        number, part = term.as_independent(*term.free_symbols, as_Add=False) \
            if term.free_symbols else (term, sympy.S.One)
        groups.setdefault(part, []).append(number)
    return sympy.Add(*[sympy.Add(*numbers) * part if len(numbers) > 1 else numbers[0] * part
                       for part, numbers in groups.items()])


def _bound_range(bound, box, arith):
    if not bound.free_symbols and not bound.is_finite:
        raise Unavailable(f"the bound {bound} is not finite")
    declared = parameters()  # the box also holds reparametrised coordinates (d[b1], t[x])
    p = compile_margin(bound, [n for n in box if n in declared
                               and declared[n] in bound.free_symbols], stable=False)
    return arith.bounds(p.run(arith, box))


def confirm_sign(setup: Setup, point: dict, bits: int = CONFIRM_BITS):
    """Whether the margin at ``point`` (exact rationals) is proved negative, and its value.

    With python-flint: an ``arb`` ball at ``bits`` bits whose upper end is negative. Without it,
    mpmath at ``bits`` bits (not rigorous; said in the second element).

    Examples
    --------
    >>> from sympy import Rational
    >>> from theory.claims import claim
    >>> from proofs_check.certified import prepare, confirm_sign
    >>> s = prepare(claim("ridge.over_regularised_teacher_never_beaten"))
    >>> confirm_sign(s, {"lam_s": 1, "gamma_s": Rational(1, 2), "lam_t": 1, "gamma_t": 1,
    ...                  "sigma2": 1, "r2": 1})[0]
    False
    """
    values = {n: point[n] for n in setup.original.names}
    try:
        import flint
    except ImportError:  # pragma: no cover - python-flint is a test dependency
        value = setup.original.run(PointArithmetic(int(bits * 0.30103) + 1), values)
        return bool(value < 0), f"mpmath at {bits} bits (python-flint missing): {value}"
    with flint.ctx.workprec(bits):
        value = setup.original.run(ArbArithmetic(), values)
        return bool(value < 0), f"arb at {bits} bits: {value.str(20)}"


def _in_claim(setup: Setup, point: dict) -> bool:
    """The point is rational, lies in the region and meets the assumptions, checked exactly."""
    claim = setup.claim
    if not all(v.is_Rational for v in point.values()):
        return False  # an irrational point (a square-root bound) is not confirmed exactly
    for name, value in point.items():
        region = claim.region[name]
        if isinstance(region, sympy.Interval) and not region.contains(value):
            return False
    subs = {parameters()[n]: v for n, v in {**point, **setup.fixed}.items()}
    return all(bool(rel.xreplace(subs)) for rel in claim.assumptions)


def _rationalised(point: dict) -> dict:
    """The point with each irrational value (a reparametrisation's square or fourth root)
    replaced by a rational within ``10^-40`` relative of it: the point then goes through the
    exact checks of the region and the assumptions like any other (the middle of a box lies
    strictly inside its bounds, so a rounding this small keeps it there)."""
    return {n: v if v.is_Rational else sympy.Rational(sympy.Float(v.evalf(45), 45))
            for n, v in point.items()}


def _scales(base):
    """Shift ``s`` per coordinate: boxes are split in ``log(x + s)`` (``s = 0`` when ``x > 0``)."""
    return {n: (mpmath.mpf(0) if lo > 0 else (hi - lo) * mpmath.mpf(2) ** -20 - lo)
            for n, (lo, hi) in base.items()}


def _log_width(lo, hi, s):
    return float(mpmath.log((hi + s) / (lo + s))) if hi > lo else 0.0


def _split_points(lo, hi, s):
    """The arithmetic middle and the middle in ``log(x + s)``, rounded to 53 bits."""
    mids = [(lo + hi) / 2]
    if hi + s > 0 and lo + s > 0:
        mids.append(mpmath.sqrt((lo + s) * (hi + s)) - s)
    out = []
    for m in mids:
        m = mpmath.mpf(libmp.mpf_pos(m._mpf_, 53, libmp.round_nearest))
        if lo < m < hi and m not in out:
            out.append(m)
    return out


#: Coordinates whose split is probed per box when the gradient ranks them (largest smear first).
SMEAR_CANDIDATES = 1


def _candidates(box, smear, scales):
    """The coordinates to probe for a split: all of them (the probing rule), or with a gradient
    the :data:`SMEAR_CANDIDATES` of largest smear ``|G_i| w_i`` (ties, e.g. an unbounded
    gradient, by the width in ``log(x + s)``)."""
    names = [n for n, (l, h) in box.items() if h > l]
    if smear is None:
        return names
    order = sorted(names, key=lambda n: (-smear[n], -_log_width(*box[n], scales[n])))
    return order[:SMEAR_CANDIDATES]


def _volume(box, base):
    v = 1.0
    for n, (lo, hi) in box.items():
        blo, bhi = base[n]
        if bhi > blo:
            v *= float((hi - lo) / (bhi - blo))
    return v


def _branch_and_bound(setup: Setup, boxes: int, seconds: float | None,
                      alternative: Program | None = None,
                      gradient: GradientProgram | None = None) -> RouteResult:
    """Branch and bound on ``setup``'s box. A box is decided when the margin's enclosure is
    ``>= 0`` (``> 0`` for a strict claim), or when that of ``alternative`` (a program over the
    same coordinates, e.g. an ``iff`` condition beyond its band) is ``> 0``. With ``gradient``
    (the margin and its partial derivatives, :mod:`proofs_check.certified_gradient`), each box is
    first reduced by the monotonicity test, bounded by the larger of the natural and the
    mean-value enclosure, and split along the coordinates of largest smear."""
    start = time.perf_counter()
    claim = setup.claim
    result = RouteResult(claim.id, "certified", "inconclusive")
    arith = IntervalArithmetic()
    program, base = setup.program, setup.box
    scales = _scales(base)
    evaluations = 0
    tiny = mpmath.mpf(2) ** -1074

    def lower(b):
        """``(lower end, upper end, box, smear)``: the lower end of the enclosure, moved below 0
        by the least amount when the claim is strict and the end is exactly 0 (so ``>= 0``
        decides ``> 0``); the box the monotonicity test reduced ``b`` to (``b`` without a
        gradient); the smear of each coordinate (``None`` without a gradient)."""
        nonlocal evaluations
        evaluations += 1
        if gradient is not None:
            lo, hi, b, smear = first_order_lower(gradient, arith, b)
        else:
            lo, hi = arith.bounds(program.run(arith, b))
            smear = None
        lo = lo if not mpmath.isnan(lo) else -mpmath.inf
        if claim.strict and lo == 0:
            lo = -tiny
        if alternative is not None:
            a_lo, a_hi = arith.bounds(alternative.run(arith, b))
            if not mpmath.isnan(a_lo) and a_lo > 0:
                return a_lo, max(hi, a_hi), b, smear
            hi = max(hi, a_hi) if not mpmath.isnan(a_hi) else mpmath.inf
        return lo, hi, b, smear

    counter = itertools.count()
    lo0, _, face0, smear0 = lower(base)
    queue = [(lo0, next(counter), face0, 1.0, smear0)]
    certified_volume, decided, splits = 0.0, 0, 0
    counterexample, timed_out = None, False
    while queue:
        lo, _, box, volume, smear = queue[0]
        if lo >= 0:
            heapq.heappop(queue)
            certified_volume += volume
            decided += 1
            continue
        if splits >= boxes:
            break
        if seconds is not None and time.perf_counter() - start > seconds:
            timed_out = True
            break
        heapq.heappop(queue)
        splits += 1
        middle = {n: (l + h) / 2 for n, (l, h) in box.items()}
        hi_mid = arith.bounds(program.run(arith, {n: (v, v) for n, v in middle.items()}))[1]
        evaluations += 1
        if hi_mid < 0:
            point = _rationalised(setup.point(middle))
            if _in_claim(setup, point):
                negative, how = confirm_sign(setup, point)
                if negative:
                    counterexample = (point, how)
                    break
        best = None
        for name in _candidates(box, smear, scales):
            l, h = box[name]
            for m in _split_points(l, h, scales[name]):
                halves = [{**box, name: (l, m)}, {**box, name: (m, h)}]
                bounds = [lower(x) for x in halves]
                lows = [x[0] for x in bounds]
                # the best smaller lower end; on a tie, the widest coordinate in log(x + s)
                width = _log_width(l, h, scales[name])
                score = (min(lows), width - max(_log_width(l, m, scales[name]),
                                                _log_width(m, h, scales[name])))
                if best is None or score > best[0]:
                    shares = [float((m - l) / (h - l)), float((h - m) / (h - l))]
                    best = (score, bounds, shares)
        if best is None:  # a point box that is not decided
            queue.append((lo, next(counter), box, volume, smear))
            heapq.heapify(queue)
            break
        for (low, _, face, smear_half), share in zip(best[1], best[2]):
            heapq.heappush(queue, (low, next(counter), face, volume * share, smear_half))

    # the heap is ordered by lower end: when the budget stops it, boxes already decided (lower
    # end >= 0) may still wait behind an undecided one; they count as certified, not undecided
    settled = [e for e in queue if e[0] >= 0]
    queue = [e for e in queue if e[0] < 0]
    certified_volume += sum(e[3] for e in settled)
    decided += len(settled)
    result.seconds = time.perf_counter() - start
    result.evaluations, result.boxes = evaluations, decided
    result.detail = f"reparametrisation: {setup.description}"
    if counterexample is not None:
        point, how = counterexample
        result.status = "refuted"
        result.counterexample = {n: exact_text(v) for n, v in point.items()}
        result.detail = f"margin < 0 at an exact point of the region ({how}); " + result.detail
        return result
    result.certified_fraction = min(1.0, certified_volume)
    undecided = sorted(queue, key=lambda e: e[0])
    if not undecided:
        result.status, result.certified_fraction = "certified", 1.0
        result.detail = f"{decided} boxes, {evaluations} interval evaluations; " + result.detail
        return result
    result.undecided = [{n: [float(l), float(h)] for n, (l, h) in b.items()}
                        for _, _, b, _, _ in undecided[:LISTED]]
    result.undecided_count = len(undecided)
    result.worst_margin = float(undecided[0][0])
    stop = (f"stopped by the time limit of {seconds:.3g} s, not by the box budget (a verdict "
            f"that depends on the machine)" if timed_out else f"box budget of {boxes} spent")
    result.detail = (f"{len(undecided)} boxes undecided after {splits} splits ({stop}, "
                     f"{result.seconds:.1f} s); " + result.detail)
    return result



def certify_forall(claim: Claim, boxes: int = BOXES, seconds: float | None = SECONDS) -> RouteResult:
    """Branch and bound on a ``forall`` claim: a short probe of the stable form, of its factored
    form and of its expanded form, then the rest of the budget on the stable form with its
    gradient (:mod:`proofs_check.certified_gradient`); no reduction is looked up.

    Examples
    --------
    >>> from theory.claims import claim
    >>> from proofs_check.certified_boxes import certify_forall
    >>> certify_forall(claim("ridge.over_regularised_teacher_never_beaten")).status
    'certified'
    """
    start = time.perf_counter()
    setups, result = {}, None
    # short probes of the stable form, its factored form and its eagerly expanded form, then the
    # rest of the budget on the stable form with its gradient (natural enclosure alone when the
    # gradient has no enclosure)
    for factored, eager, share, first_order in ((False, False, PROBE, False),
                                                (True, False, PROBE, False),
                                                (False, True, PROBE, False),
                                                (False, False, boxes, True)):
        key = (factored, eager)
        try:
            if key not in setups:
                setups[key] = prepare(claim, factored=factored, eager=eager)
        except (Unavailable, IntervalUnavailable) as why:
            if not setups:
                return RouteResult(claim.id, "certified", "unavailable", detail=str(why))
            continue
        left = None if seconds is None else seconds - (time.perf_counter() - start)
        gradient = None
        if first_order:
            try:
                gradient = gradient_program(setups[key].program.form, setups[key].program.names)
            except IntervalUnavailable:
                gradient = None
            if gradient is not None and len(gradient.program) > GRADIENT_LIMIT:
                gradient = None
            if gradient is not None:
                share = max(1, boxes // FIRST_ORDER_SHARE)
        attempt = _branch_and_bound(setups[key], min(share, boxes), left, gradient=gradient)
        if factored or eager:
            attempt.detail = ("factored form: " if factored else "expanded form: ") + attempt.detail
        if gradient is not None:
            attempt.detail = ("first order (monotonicity, mean-value form, smear): "
                              + attempt.detail)
        if (result is None or attempt.status != "inconclusive"
                or attempt.evaluations > result.evaluations):
            result = attempt
        if result.status != "inconclusive" or (left is not None and left <= 0):
            break
    result.seconds = time.perf_counter() - start
    return result

