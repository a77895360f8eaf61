r"""Interval enclosures of the root-defined quantities of online SGD (arXiv:2605.05710):
``q*(delta)`` (``SGDStablePoint``), ``q_c(delta)`` (``SGDBasinBoundary``) and
``RequiredOverlap = q_c / kappa``, and the GD iterates ``GDOverlap``, ``GDTargetOverlap`` (the exact
reduced GD map iterated ``floor(t)`` times, in interval arithmetic; over a box of ``t``, the hull of
the iterates ``k`` in ``[floor(t_lo), floor(t_hi)]``, at most :data:`MAX_INTERVAL_STEPS`; tested,
not registered for the certified route, see :data:`ENCLOSURES`); the ``interval`` member of
:data:`numerics.single_index_roots.FUNCTIONS`.

Over a box ``P`` of arguments ``(delta, c1..c4, b1..b4, sigma2_s)``, with
``Psi_delta(q) = sum_j a_j(P) q^j`` (coefficients enclosed by compiling SymPy's coefficient forms
to interval programs):

1. **Locate.** The point evaluator (:mod:`numerics.single_index_roots`) gives the root ``r`` at
   the middle of ``P``.
2. **Enclose (interval Newton).** For ``X = [r - h, r + h]`` (``h`` doubled from ``2^-40``), with
   ``m`` the middle of ``X``: ``N(X) = m - Psi(m; P)/Psi'(X; P)``. If ``0`` is not in
   ``Psi'(X; P)`` and ``N(X)`` lies inside ``X``, then for *every* argument in ``P`` the polynomial
   has exactly one zero in ``X``, a simple one, crossing upwards (``Psi' > 0``) or downwards; the
   enclosure is ``N(X)``, narrowed by two more Newton steps.
3. **Identify.** ``q_c`` is the smallest zero in ``(0, 1)``, crossing upwards: proved by
   ``Psi(q; P)/q^j < 0`` on ``[0, lo X]`` (``j`` the lowest coefficient not exactly zero), checked
   on a subdivision (on a piece where ``Psi'`` has one sign, at its end where ``Psi`` is largest). ``q*`` is the largest zero, crossing downwards: ``Psi(q; P) < 0`` on
   ``[hi X, 1]``.

If any check fails (a box reaching the saddle-node, where ``q_c`` and ``q*`` merge, or where
``q = 0`` turns unstable) the enclosure is the whole line: sound, and the branch and bound
splits the box. ``RequiredOverlap(q_c, kappa)`` is ``q_c/kappa`` where ``hi q_c < lo kappa``
(the threshold theorem's condition), else the whole line.

Examples
--------
>>> from numerics.intervals import IntervalArithmetic
>>> from numerics.single_index_enclosures import stable_point
>>> iv = IntervalArithmetic()
>>> args = [iv.coordinate(v) for v in ("0.005", 0, 0, 1, 0, "1/2", 0, 1, 0, 0)]
>>> lo, hi = iv.bounds(stable_point(iv, *args))
>>> 0.9962056 < float(lo) <= float(hi) < 0.9962057, float(hi - lo) < 1e-13
(True, True)
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
from mpmath import libmp

from numerics.enclosures import arb_from_interval, ends, from_ends
from numerics.escape_enclosure import escape_time

__all__ = ["ENCLOSURES", "enclosures", "stable_point", "basin_boundary", "required_overlap",
           "gd_overlap", "gd_target_overlap", "saddle_node", "SUBDIVISION", "GUARD",
           "MAX_INTERVAL_STEPS"]

#: Pieces of ``[0, lo X]`` or ``[hi X, 1]`` on which the sign of ``Psi`` is checked first (a
#: piece that does not decide is halved, up to ``8 SUBDIVISION`` pieces in all).
SUBDIVISION = 16
#: Extra bits of a root's enclosure at one delta (rounded outward to the working precision).
GUARD = 30


@lru_cache(maxsize=None)
def _programs():
    """Interval programs of ``Psi``'s coefficients (lowest degree first) in delta and the links."""
    from numerics.intervals import compile_margin
    from numerics.single_index_roots import psi_coefficient_forms
    from theory import single_index as si

    names = [s.name for s in (si.delta, *si.LINKS)]
    return tuple(compile_margin(c, names, stable=False) for c in reversed(psi_coefficient_forms()))


def _coefficients(iv, args):
    values = dict(zip(_programs()[0].names, args))
    return [p.run(iv, values) for p in _programs()]


def _horner(iv, coeffs, x):
    out = coeffs[-1]
    for a in reversed(coeffs[:-1]):
        out = out * x + a
    return out


def _derivative(coeffs):
    return [a * j for j, a in enumerate(coeffs)][1:]


def _positive(x):
    return libmp.mpf_gt(ends(x)[0], libmp.fzero)


def _negative(x):
    return libmp.mpf_lt(ends(x)[1], libmp.fzero)


def _inside(inner, outer):
    (a, b), (c, d) = ends(inner), ends(outer)
    return libmp.mpf_gt(a, c) and libmp.mpf_lt(b, d)


def _negative_on(iv, coeffs, lo, hi):
    """``poly < 0`` on ``[lo, hi]`` (raw ends), by interval Horner on a subdivision."""
    pieces = [(lo, hi)]
    slope = _derivative(coeffs)
    n = 0
    while pieces:
        a, b = pieces.pop()
        n += 1
        if n > 8 * SUBDIVISION:
            return False
        piece = from_ends(iv, a, b)
        if _negative(_horner(iv, coeffs, piece)):
            continue
        d = _horner(iv, slope, piece)  # monotone on the piece: its largest value at one end
        if (_negative(d) and _negative(_horner(iv, coeffs, from_ends(iv, a, a)))) or (
                _positive(d) and _negative(_horner(iv, coeffs, from_ends(iv, b, b)))):
            continue
        if not libmp.mpf_lt(a, b):
            return False
        m = libmp.mpf_shift(libmp.mpf_add(a, b, iv.prec + 10), -1)
        pieces += [(a, m), (m, b)]
    return True


def _newton(iv, coeffs, r):
    """``(N, X, sign)``: ``X`` a box around ``r`` where ``Psi'`` has the sign ``sign`` and which
    holds exactly one zero for every argument, ``N`` (inside ``X``) an enclosure of that zero;
    or ``None``."""
    ctx = iv.ctx
    slope = _derivative(coeffs)
    h = mpmath.mpf(2) ** -40
    while h < 1:
        X0 = X = ctx.mpf([r - h, r + h])
        if _positive(_horner(iv, slope, X)) or _negative(_horner(iv, slope, X)):
            for step in range(3):
                m = ctx.mpf((mpmath.mpf(X.a) + mpmath.mpf(X.b)) / 2)
                N = m - _horner(iv, coeffs, m) / _horner(iv, slope, X)
                if not _inside(N, X):
                    break
                X = N
            if step:  # N(X) inside X at least once: a unique simple zero in X
                return X, X0, (1 if _positive(_horner(iv, slope, X0)) else -1)
        h *= 4
    return None


@lru_cache(maxsize=8)
def _point_evaluators(prec):
    from numerics.single_index_roots import mpmath_functions

    point = mpmath.MPContext()
    point.prec = prec
    return point, mpmath_functions(point)


def _is_point(x):
    a, b = ends(x)
    return a == b


def _root(iv, args, name):
    """The enclosure of ``name`` over the box ``args`` (see the module docs)."""
    delta, links = args[0], args[1:]
    if all(_is_point(x) for x in links):
        return _monotone_root(iv, delta, links, name)
    return _newton_root(iv, args, name)


def _monotone_root(iv, delta, links, name):
    """Fixed links, a range of delta: ``Psi`` is decreasing in delta (``dPsi/ddelta = -q S/2``,
    checked ``< 0`` on ``(0, 1]``), so ``q*`` decreases and ``q_c`` increases with delta, and the
    enclosures at the two ends of the range span it (the argument is on the docs' Certified
    proofs page)."""
    a, b = ends(delta)
    key = tuple(ends(x) for x in links)
    if a != b and not _decreasing_in_delta(iv.prec, key):
        return iv.whole
    ends_ = [from_ends(iv, *_point_root(iv.prec, e, key, name)) for e in (a, b)]
    if any(iv.bounds(x)[0] == -mpmath.inf for x in ends_):
        return iv.whole
    if name == "SGDBasinBoundary" and not _stable_origin(iv, _coefficients(iv, (delta, *links))):
        return iv.whole
    lows, highs = zip(*(ends(x) for x in ends_))
    low = lows[0] if libmp.mpf_le(lows[0], lows[1]) else lows[1]
    high = highs[0] if libmp.mpf_ge(highs[0], highs[1]) else highs[1]
    return from_ends(iv, low, high)


@lru_cache(maxsize=64)
def _decreasing_in_delta(prec, links):
    """``dPsi/ddelta = -q S(q)/2 < 0`` on ``(0, 1]`` at these (point) links."""
    from numerics.intervals import IntervalArithmetic

    iv = IntervalArithmetic(prec)
    at = [from_ends(iv, *e) for e in links]
    zero, one = iv.coordinate(0), iv.coordinate(1)
    slope = [b - a for a, b in zip(_coefficients(iv, (zero, *at)), _coefficients(iv, (one, *at)))]
    return iv.is_zero(slope[0]) and _negative_on(iv, slope[1:], libmp.fzero, libmp.fone)


@lru_cache(maxsize=4096)
def _point_root(prec, delta, links, name):
    """The raw ends of the enclosure at one delta (raw mpf) and point links (raw ends), computed
    with ``GUARD`` more bits and rounded outward (an enclosure one or two ulps wide); the branch
    and bound asks for the same ends many times."""
    from numerics.intervals import IntervalArithmetic

    iv = IntervalArithmetic(prec + GUARD)
    x = _newton_root(iv, (from_ends(iv, delta, delta), *(from_ends(iv, *e) for e in links)), name)
    lo, hi = ends(x)
    if lo in (libmp.fnan, libmp.fninf) or hi in (libmp.fnan, libmp.finf):
        return ends(iv.whole)
    return (libmp.mpf_pos(lo, prec, libmp.round_floor), libmp.mpf_pos(hi, prec, libmp.round_ceiling))


def _stable_origin(iv, coeffs):
    low = 0
    while low < len(coeffs) and iv.is_zero(coeffs[low]):
        low += 1
    return low < len(coeffs) and _negative(coeffs[low])


def _newton_root(iv, args, name):
    from numerics.validation import ParameterError

    middle = [(mpmath.mpf(x.a) + mpmath.mpf(x.b)) / 2 for x in args]
    point, functions = _point_evaluators(iv.prec + 30)
    try:
        r = mpmath.mpf(functions[name](*[point.mpf(v) for v in middle]))
    except (ParameterError, ValueError, ZeroDivisionError):
        return iv.whole
    coeffs = _coefficients(iv, args)
    found = _newton(iv, coeffs, r)
    if found is None:
        return iv.whole
    X, X0, sign = found
    lo, hi = ends(X0)  # Psi has one sign on each side of the zero inside X0
    if not (libmp.mpf_gt(lo, libmp.fzero) and libmp.mpf_lt(hi, libmp.fone)):
        return iv.whole  # a zero in (0, 1) is not proved
    if name == "SGDStablePoint":
        if sign > 0 or not _negative_on(iv, coeffs, hi, libmp.fone):
            return iv.whole
    else:
        low = 0
        while low < len(coeffs) and iv.is_zero(coeffs[low]):
            low += 1
        reduced = coeffs[low:]
        if sign < 0 or not reduced or not _negative(reduced[0]) \
                or not _negative_on(iv, reduced, libmp.fzero, lo):
            return iv.whole
    return X


def _dispatch(name):
    def f(ar, delta, *links):
        args = (delta, *links)
        if hasattr(ar, "whole"):  # intervals
            return _root(ar, args, name)
        if hasattr(ar, "flint"):  # arb balls: the interval enclosure at the ball's precision
            return arb_from_interval(ar, _at_ball_precision(ar),
                                     lambda iv, *a: _root(iv, a, name), args)
        from numerics.single_index_roots import mpmath_functions  # points

        return mpmath_functions(ar.ctx)[name](*args)
    return f


stable_point = _dispatch("SGDStablePoint")
basin_boundary = _dispatch("SGDBasinBoundary")


def required_overlap(ar, qc, kappa):
    """``q_c / kappa``, defined where ``q_c < kappa`` (else the whole line, or NaN at a point)."""
    if hasattr(ar, "whole"):
        if not libmp.mpf_lt(ends(qc)[1], ends(kappa)[0]) or not _positive(kappa):
            return ar.whole
        return qc / kappa
    if hasattr(ar, "flint"):
        return qc / kappa if qc < kappa else ar.flint.arb("nan")
    return qc / kappa if qc < kappa else ar.ctx.nan


# --- the saddle-node delta_sn ------------------------------------------------------------------

@lru_cache(maxsize=None)
def _saddle_programs():
    """Interval programs of the coefficients (lowest degree first) of ``Psi_0`` and of
    ``P = -dPsi_delta/ddelta`` (each one SymPy expression in the links, so the enclosure of a
    coefficient keeps its links' dependence)."""
    import sympy

    from numerics.intervals import compile_margin
    from numerics.single_index_roots import psi_coefficient_forms
    from theory import single_index as si

    names = [s.name for s in si.LINKS]
    forms = list(reversed(psi_coefficient_forms()))  # Psi_delta is linear in delta
    return tuple(tuple(compile_margin(sympy.expand(f), names, stable=False) for f in column)
                 for column in ([c.subs(si.delta, 0) for c in forms],
                                [-sympy.diff(c, si.delta) for c in forms]))


def _saddle_node(iv, links):
    """``delta_sn = max_{q in [0, 1]} F(q)``, ``F = Psi_0/P`` with ``Psi_delta = Psi_0 - delta P``
    (``P = q S(q)/2 > 0``), over the box ``links`` (see :func:`saddle_node`), or the whole line."""
    values = dict(zip(_saddle_programs()[0][0].names, links))
    psi0, slope = ([p.run(iv, values) for p in programs] for programs in _saddle_programs())
    while psi0 and iv.is_zero(psi0[0]) and iv.is_zero(slope[0]):  # F = (Psi_0/q)/(P/q)
        psi0, slope = psi0[1:], slope[1:]
    if not psi0 or not iv.is_zero(psi0[0]) or not _negative_on(iv, [-a for a in slope],
                                                               libmp.fzero, libmp.fone):
        return iv.whole  # F(0) != 0 (q = 0 not stable for small delta) or P not > 0 on [0, 1]
    # F' has the sign of crit = Psi_0' P - Psi_0 P' (P > 0); its zero of crossing + to - is the
    # maximum: located at the middle of the box, enclosed by interval Newton, and crit > 0
    # below it, crit < 0 above it (checked on subdivisions) make it the maximum on [0, 1]
    crit = _poly_sub(_poly_mul(_derivative(psi0), slope), _poly_mul(psi0, _derivative(slope)))
    r = _argmax_guess(iv, psi0, slope, crit)
    found = None if r is None else _newton(iv, crit, r)
    if found is None or found[2] > 0:
        return iv.whole
    X = found[0]
    lo, hi = ends(found[1])  # crit has one sign on each side of the zero inside this box
    low = 0
    while low < len(crit) and iv.is_zero(crit[low]):
        low += 1
    rising = [-a for a in crit[low:]]
    if not (libmp.mpf_gt(lo, libmp.fzero) and libmp.mpf_lt(hi, libmp.fone) and rising
            and _negative_on(iv, rising, libmp.fzero, lo)
            and _negative_on(iv, crit, hi, libmp.fone)):
        return iv.whole
    num, den = _horner(iv, psi0, X), _horner(iv, slope, X)
    m = from_ends(iv, *([libmp.mpf_shift(libmp.mpf_add(*ends(X), iv.prec + 10), -1)] * 2))
    mean = (_horner(iv, psi0, m) / _horner(iv, slope, m)
            + _horner(iv, crit, X) / (den * den) * (X - m))
    natural = num / den
    top = _smaller(ends(natural)[1], ends(mean)[1])
    bottom = _larger(ends(natural)[0], ends(mean)[0])
    if not libmp.mpf_gt(bottom, libmp.fzero):
        return iv.whole
    return from_ends(iv, bottom, top)


def _poly_mul(p, q):
    out = [None] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] = a * b if out[i + j] is None else out[i + j] + a * b
    return out


def _poly_sub(p, q):
    n = max(len(p), len(q))
    p, q = p + [p[0] * 0] * (n - len(p)), q + [q[0] * 0] * (n - len(q))
    return [a - b for a, b in zip(p, q)]


def _argmax_guess(iv, psi0, slope, crit):
    """The maximum of ``F = Psi_0/P`` at the middle of the box (mpmath, ``iv.prec + 30`` bits):
    the best of 64 grid points, refined by a secant search for the zero of ``crit``."""
    ctx = mpmath.MPContext()
    ctx.prec = iv.prec + 30
    mid = lambda x: (ctx.mpf(mpmath.mpf(x.a)) + ctx.mpf(mpmath.mpf(x.b))) / 2  # noqa: E731
    p0, p1, c = ([mid(a) for a in reversed(poly)] for poly in (psi0, slope, crit))
    grid = [ctx.mpf(k) / 64 for k in range(1, 64)]
    start = max(grid, key=lambda x: ctx.polyval(p0, x) / ctx.polyval(p1, x))
    try:
        r = ctx.findroot(lambda x: ctx.polyval(c, x), (start - ctx.mpf(1) / 128,
                                                       start + ctx.mpf(1) / 128), solver="anderson")
    except (ValueError, ZeroDivisionError):
        return None
    return mpmath.mpf(r) if 0 < r < 1 else None


def _larger(a, b):
    return a if libmp.mpf_ge(a, b) else b


def _smaller(a, b):
    return a if libmp.mpf_le(a, b) else b


def _guarded_saddle_node(iv, links):
    """:func:`_saddle_node` with ``GUARD`` more bits, rounded outward to ``iv``'s precision."""
    from numerics.intervals import IntervalArithmetic

    fine = IntervalArithmetic(iv.prec + GUARD)
    lo, hi = ends(_saddle_node(fine, [from_ends(fine, *ends(x)) for x in links]))
    if lo in (libmp.fnan, libmp.fninf) or hi in (libmp.fnan, libmp.finf):
        return iv.whole
    return from_ends(iv, libmp.mpf_pos(lo, iv.prec, libmp.round_floor),
                     libmp.mpf_pos(hi, iv.prec, libmp.round_ceiling))


def saddle_node(ar, *links):
    """``SGDSaddleNode(c1..c4, b1..b4, sigma2_s)``: the largest ``delta`` at which ``Psi_delta``
    still has a zero in ``(0, 1)``, enclosed over a box of links.

    With ``Psi_delta = Psi_0 - delta P`` (``P = Psi_0 - Psi_1 = q S(q)/2``), ``delta_sn`` is the
    maximum over ``[0, 1]`` of ``F = Psi_0/P`` (both divided by their common power of ``q``):
    ``F(0) = 0`` is checked (its numerator's lowest coefficient is exactly 0; otherwise ``q = 0``
    is unstable and there is no saddle-node), ``F(1) = 0`` (``Psi_0(1) = 0``, proved in the
    bistability claim's proof) and ``P > 0`` on ``[0, 1]`` is proved by interval Horner on a
    subdivision. ``F'`` has the sign of ``crit = Psi_0' P - Psi_0 P'``: its zero where it crosses
    from ``+`` to ``-`` is located at the middle of the box (mpmath), enclosed by interval Newton
    in a box ``X`` (one simple zero for every link of the box), and ``crit > 0`` below ``X``,
    ``crit < 0`` above it are checked on subdivisions, so ``F``'s maximum on ``[0, 1]`` is
    attained in ``X``: ``delta_sn`` lies in the enclosure of ``F`` over ``X`` (the natural one cut
    by the mean-value form), computed with ``GUARD`` more bits and rounded outward (one or two
    ulps at a point). Anything unproved gives the whole line. In ``arb`` balls: through the
    interval enclosure at the ball's precision; at mpmath points: the point
    evaluator.

    Examples
    --------
    >>> from numerics.intervals import IntervalArithmetic
    >>> from numerics.single_index_enclosures import saddle_node
    >>> iv = IntervalArithmetic()
    >>> links = [iv.coordinate(v) for v in (0, 0, 1, 0, "1/2", 0, 1, 0, 0)]
    >>> lo, hi = iv.bounds(saddle_node(iv, *links))
    >>> 0.0221327 < float(lo) <= float(hi) < 0.0221328, float(hi - lo) < 1e-16
    (True, True)
    """
    if hasattr(ar, "whole"):
        return _guarded_saddle_node(ar, links)
    if hasattr(ar, "flint"):
        return arb_from_interval(ar, _at_ball_precision(ar),
                                 lambda iv, *a: _saddle_node(iv, a), links)
    from numerics.single_index_roots import mpmath_functions

    return mpmath_functions(ar.ctx)["SGDSaddleNode"](*links)


# --- the GD map iterated floor(t) times ------------------------------------------------------

#: Most steps iterated in interval arithmetic (a box reaching beyond gets the whole line).
MAX_INTERVAL_STEPS = 1000


@lru_cache(maxsize=None)
def _map_programs():
    """Interval programs of one exact GD step ``(q, m) -> (q', m')`` over
    ``(q, m, eta, rho_w, c1..c4, b1..b4)``."""
    from numerics.intervals import compile_margin
    from theory import single_index as si
    from theory.spectral import rho_w

    names = [x.name for x in (si.q, si.m, si.eta, rho_w, *si.c, *si.b)]
    return tuple(compile_margin(e, names, stable=False) for e in si.gd_map())


def _iterates(iv, args, index):
    """The hull of the ``index``-th component of the iterates ``k = floor(t)`` over the box of
    ``t`` (``args[0]`` is ``floor(t)``), each iterate the interval image of the previous one."""
    steps, rest = args[0], args[1:]
    k0, k1 = (mpmath.mpf(e) for e in ends(steps))
    if not (k0 >= 0 and k1 <= MAX_INTERVAL_STEPS) or mpmath.isnan(k0) or mpmath.isnan(k1):
        return iv.whole
    names = _map_programs()[0].names
    eta, q0, m0, *params = rest
    state = [q0, m0]
    hull = None
    for k in range(int(k1) + 1):
        if k >= k0:
            x = state[index]
            hull = x if hull is None else from_ends(iv, *_hull_ends(ends(hull), ends(x)))
        if k == int(k1):
            break
        values = dict(zip(names, (state[0], state[1], eta, *params)))
        state = [p.run(iv, values) for p in _map_programs()]
        if any(libmp.fnan in ends(x) or not libmp.mpf_lt(
                libmp.mpf_sub(ends(x)[1], ends(x)[0], 53), libmp.from_int(2)) for x in state):
            return iv.whole  # wider than [-1, 1]: an overlap's enclosure says nothing more
    return hull


def _hull_ends(a, b):
    lo = a[0] if libmp.mpf_le(a[0], b[0]) else b[0]
    hi = a[1] if libmp.mpf_ge(a[1], b[1]) else b[1]
    return lo, hi


def _guarded_iterates(iv, args, index):
    """:func:`_iterates` with ``GUARD`` more bits, rounded outward to ``iv``'s precision."""
    from numerics.intervals import IntervalArithmetic

    fine = IntervalArithmetic(iv.prec + GUARD)
    lo, hi = ends(_iterates(fine, [from_ends(fine, *ends(x)) for x in args], index))
    if lo in (libmp.fnan, libmp.fninf) or hi in (libmp.fnan, libmp.finf):
        return iv.whole
    return from_ends(iv, libmp.mpf_pos(lo, iv.prec, libmp.round_floor),
                     libmp.mpf_pos(hi, iv.prec, libmp.round_ceiling))


def _iterate_dispatch(name, index):
    def f(ar, *args):
        if hasattr(ar, "whole"):
            return _guarded_iterates(ar, args, index)
        if hasattr(ar, "flint"):
            return arb_from_interval(ar, _at_ball_precision(ar),
                                     lambda iv, *a: _iterates(iv, a, index), args)
        from numerics.single_index_iterates import mpmath_functions

        return mpmath_functions(ar.ctx)[name](*args)
    return f


gd_overlap = _iterate_dispatch("GDOverlap", 0)
gd_target_overlap = _iterate_dispatch("GDTargetOverlap", 1)

#: ``{name: f(arith, *args)}``. The GD iterates are not registered: the claims written with them
#: have 13 parameters, over which the interval iteration widens to ``[-1, 1]`` within a few steps;
#: the branch and bound then spends minutes (about 100 s for 20 boxes) without deciding a box.
#: Nor is the saddle-node (:func:`saddle_node`): the one claim written with it
#: (``single_index.sgd_bistability``) then spends more than 5 minutes on 30 boxes (each box
#: encloses the SGD roots over a box of links), and its strict margin vanishes at the face
#: ``delta = delta_sn`` inside the region, which no finite set of boxes reaches.
ENCLOSURES = {"SGDStablePoint": stable_point, "SGDBasinBoundary": basin_boundary,
              "RequiredOverlap": required_overlap, "EscapeTime": escape_time}


def enclosures() -> dict:
    """The enclosures (the facet's ``interval`` member).

    Examples
    --------
    >>> from numerics.single_index_enclosures import enclosures
    >>> sorted(enclosures())
    ['EscapeTime', 'RequiredOverlap', 'SGDBasinBoundary', 'SGDStablePoint']
    """
    return dict(ENCLOSURES)


def _at_ball_precision(ar):
    """Interval arithmetic at the precision of ``ar``'s ``arb`` balls."""
    from numerics.intervals import IntervalArithmetic

    return IntervalArithmetic(prec=ar.flint.ctx.prec)
