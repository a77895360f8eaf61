"""Soundness of the enclosures of root-, iteration- and level-defined functions.

Each enclosure over a random box holds the 50-digit values at random points of the box, computed
independently: the chain's level functionals from the Marchenko-Pastur primitives' definitions
(``u = 1 - lam m(-lam)`` etc. through ``numerics.evaluate`` of the MP quantities), ``x**n`` with
mpmath's ``power``, and the SGD roots ``q*``, ``q_c`` by bisection of ``Psi_delta`` (the SymPy
expression, not its coefficient list) on a grid of sign changes, each root found in its bracket
at 60 digits. An enclosure shrunk by one ulp
is caught.
"""

import random

import mpmath
import pytest
import sympy
from mpmath import libmp

from numerics import evaluate
from numerics.chain_enclosures import ENCLOSURES as CHAIN
from numerics.intervals import IntervalArithmetic
from numerics.single_index_enclosures import basin_boundary, required_overlap, stable_point
from theory import quantity

IV = IntervalArithmetic()
U, V, W = (quantity(f"mp.shrinkage_{x}") for x in "uvw")
_MP = {"ChainU": U, "ChainV": V, "ChainW": W, "ChainQ": 1 - 2 * U + V}


def _inside(enclosure, value):
    lo, hi = IV.bounds(enclosure)
    return lo <= value <= hi


def _shrunk(enclosure):
    """The ends of the enclosure, each moved inwards by one ulp (unsound on purpose)."""
    a, b = enclosure._mpi_
    ulp = lambda x: libmp.from_man_exp(1, x[2] + x[3] - IV.prec) if x != libmp.fzero \
        else libmp.from_man_exp(1, -1074)  # noqa: E731
    return mpmath.mpf(libmp.mpf_add(a, ulp(a), 200)), mpmath.mpf(libmp.mpf_sub(b, ulp(b), 200))


def _draw(rng, lo, hi, log=False):
    x = lo * (hi / lo) ** rng.random() if log else lo + (hi - lo) * rng.random()
    return mpmath.mpf(float(x))


def _boxes(rng, draw, count):
    """``count`` boxes ``(a, b)``: a third of them points."""
    for _ in range(count):
        a, b = sorted((draw(), draw()))
        yield (a, a) if rng.random() < 1 / 3 else (a, b)


def test_chain_enclosures_hold_1000_points_at_50_digits():
    rng = random.Random(1)
    checked, missed, caught = 0, [], 0
    for name, f in CHAIN.items():
        lams = list(_boxes(rng, lambda: _draw(rng, 1e-6, 100, log=True), 50))
        gammas = list(_boxes(rng, lambda: _draw(rng, 1e-2, 100, log=True), 50))
        for lam, gamma in zip(lams, gammas):
            enclosure = f(IV, IV.coordinate(lam), IV.coordinate(gamma))
            for _ in range(5):
                point = {"lam": lam[0] + (lam[1] - lam[0]) * mpmath.mpf(rng.random()),
                         "gamma": gamma[0] + (gamma[1] - gamma[0]) * mpmath.mpf(rng.random())}
                value = evaluate(_MP[name], point, dps=50)
                checked += 1
                if not _inside(enclosure, value):
                    missed.append((name, point))
                if lam[0] == lam[1] and gamma[0] == gamma[1]:
                    lo, hi = _shrunk(enclosure)
                    caught += not lo <= value <= hi
    assert checked == 1000 and missed == []
    assert caught > 10  # a point enclosure one ulp narrower misses the value


def test_real_power_holds_1000_points_and_shrunk_is_caught():
    rng = random.Random(2)
    missed, caught = 0, 0
    for _ in range(1000):
        x = sorted((_draw(rng, 0, 3), _draw(rng, 0, 3)))
        n = sorted((_draw(rng, 1, 60), _draw(rng, 1, 60)))
        if rng.random() < 1 / 3:
            x, n = (x[0], x[0]), (mpmath.mpf(int(n[0])),) * 2
        if rng.random() < 0.1:
            x = (mpmath.mpf(0), x[1])
        enclosure = IV.rpow(IV.coordinate(tuple(x)), IV.coordinate(tuple(n)))
        px = x[0] + (x[1] - x[0]) * mpmath.mpf(rng.random())
        pn = n[0] + (n[1] - n[0]) * mpmath.mpf(rng.random())
        with mpmath.workdps(50):
            value = mpmath.power(px, pn)
        missed += not _inside(enclosure, value)
        if x[0] == x[1] and n[0] == n[1] and x[0] > 0:
            lo, hi = _shrunk(enclosure)
            caught += not lo <= value <= hi
    assert missed == 0 and caught > 10


def test_floor_of_an_interval():
    lo, hi = IV.bounds(IV.floor(IV.coordinate(("-1/2", "59/2"))))
    assert (lo, hi) == (-1, 29)


# --- the SGD roots ---------------------------------------------------------------------------

LINKS = (0, 0, 1, 0, sympy.Rational(1, 2), 0, 1, 0, 0)  # c1..c4, b1..b4, sigma2_s (He3 + He1/2)


def _psi_function(links):
    from theory import single_index as si

    expr = si.sgd_fixed_point_function().xreplace(dict(zip(si.LINKS, links)))
    return sympy.lambdify([si.delta, si.q], expr, "mpmath")


def _roots_by_bisection(f, delta, grid=400):
    """The sign changes of ``Psi_delta`` on a grid of ``(0, 1]``, each bisected at 60 digits:
    ``[(root, +1 up / -1 down)]``."""
    out = []
    with mpmath.workdps(60):
        xs = [mpmath.mpf(k) / grid for k in range(1, grid + 1)]
        vs = [f(delta, x) for x in xs]
        for (a, fa), (b, fb) in zip(zip(xs, vs), zip(xs[1:], vs[1:])):
            if fa * fb < 0:
                up = fb > 0
                out.append((_bracketed_root(lambda x: f(delta, x), a, b, up), 1 if up else -1))
    return out


def _bracketed_root(g, a, b, up):
    """The root of ``g`` in ``[a, b]`` (a sign change, ``g(b) > 0`` when ``up``) at 60 digits:
    mpmath's Illinois method (it keeps a bracket), confirmed by the signs of ``g`` at
    ``root -+ 1e-55``; bisection (200 halvings) if either fails."""
    eps = mpmath.mpf(10) ** -55
    try:
        root = mpmath.findroot(g, (a, b), solver="illinois", tol=mpmath.mpf(10) ** -110)
        if a <= root <= b and (g(root - eps) > 0) != up and (g(root + eps) > 0) == up:
            return root
    except (ValueError, ZeroDivisionError):
        pass
    for _ in range(200):
        m = (a + b) / 2
        if (g(m) > 0) == up:
            b = m
        else:
            a = m
    return (a + b) / 2


def _sgd_root_violations(boxes):
    """``(checked, missed, caught)`` over ``boxes`` random delta boxes, 5 points each."""
    f = _psi_function(LINKS)
    rng = random.Random(3)
    links = [IV.coordinate(v) for v in LINKS]
    checked, missed, caught = 0, [], 0
    for box in _boxes(rng, lambda: _draw(rng, 1e-3, 2.2e-2), boxes):
        enclosures = (stable_point(IV, IV.coordinate(box), *links),
                      basin_boundary(IV, IV.coordinate(box), *links))
        assert all(IV.bounds(e)[0] > 0 for e in enclosures), box  # decided below delta_sn
        for _ in range(5):
            delta = box[0] + (box[1] - box[0]) * mpmath.mpf(rng.random())
            roots = _roots_by_bisection(f, delta, grid=100)
            q_star = max(r for r, s in roots if s < 0)
            q_c = min(r for r, s in roots if s > 0)
            for enclosure, value in zip(enclosures, (q_star, q_c)):
                checked += 1
                if not _inside(enclosure, value):
                    missed.append((box, delta))
                if box[0] == box[1]:
                    lo, hi = _shrunk(enclosure)
                    caught += not lo <= value <= hi
    return checked, missed, caught


def test_sgd_root_enclosures_hold_200_points_at_50_digits():
    checked, missed, caught = _sgd_root_violations(20)
    assert checked == 200 and missed == [] and caught > 2


@pytest.mark.slow
def test_sgd_root_enclosures_hold_1000_points_at_50_digits():
    checked, missed, caught = _sgd_root_violations(100)
    assert checked == 1000 and missed == []
    assert caught > 10  # a point enclosure one ulp narrower misses the value


def test_sgd_root_enclosure_with_interval_links_and_beyond_the_saddle_node():
    f = _psi_function(LINKS)
    rng = random.Random(4)
    for _ in range(20):  # links in small boxes: the interval Newton path
        delta = _draw(rng, 1e-3, 2e-2)
        b1 = IV.coordinate((mpmath.mpf("0.4999"), mpmath.mpf("0.5001")))
        args = [IV.coordinate(delta), *[IV.coordinate(v) for v in LINKS]]
        args[5] = b1
        q_star = max(r for r, s in _roots_by_bisection(f, delta, grid=100) if s < 0)
        lo, hi = IV.bounds(stable_point(IV, *args))
        assert lo <= q_star <= hi and hi - lo < 1e-2
    # across the saddle node (delta_sn = 0.02213...) no root is proved: the whole line
    beyond = stable_point(IV, IV.coordinate(("0.02", "0.03")), *[IV.coordinate(v) for v in LINKS])
    assert IV.bounds(beyond) == (-mpmath.inf, mpmath.inf)


def test_required_overlap_only_where_qc_is_below_kappa():
    lo, hi = IV.bounds(required_overlap(IV, IV.coordinate(("0.1", "0.2")),
                                        IV.coordinate(("0.5", "1"))))
    assert lo <= mpmath.mpf("0.1") and mpmath.mpf("0.4") <= hi < mpmath.mpf("0.4000001")
    whole = required_overlap(IV, IV.coordinate(("0.1", "0.6")), IV.coordinate(("0.5", "1")))
    assert IV.bounds(whole) == (-mpmath.inf, mpmath.inf)


# --- the GD iterates ---------------------------------------------------------------------------

def _gd_point(t, eta, q0, m0, links, index):
    """The GD map iterated at 50 digits by the point evaluator (numerics.single_index_iterates)."""
    name = ("GDOverlap", "GDTargetOverlap")[index]
    return _gd_functions()[name](t, eta, q0, m0, *links)


_GD = {}


def _gd_functions():
    from numerics.single_index_iterates import mpmath_functions

    if not _GD:
        ctx = mpmath.MPContext()
        ctx.dps = 50
        _GD.update(mpmath_functions(ctx))
    return _GD


def _gd_cases(count, seed=6):
    """Random small boxes ``(floor(t) range, eta, q0, m0)`` around the links He3 + He1/2."""
    rng = random.Random(seed)
    for _ in range(count):
        k = rng.randint(0, 30)
        width = mpmath.mpf(2) ** -rng.randint(12, 40)
        eta = _draw(rng, 0.01, 0.2)
        q0 = _draw(rng, 0.05, 0.9)
        m0 = _draw(rng, 0.05, 0.9)
        yield (k, k + rng.randint(0, 3)), (eta, eta + width), (q0, q0 + width), (m0, m0)


def _gd_violations(count):
    from numerics.single_index_enclosures import gd_overlap, gd_target_overlap

    rng = random.Random(7)
    links = [mpmath.mpf("0.9"), *[mpmath.mpf(v) for v in (0, 0, 1, 0, "0.5", 0, 1, 0)]]
    missed, caught, checked = [], 0, 0
    for steps, eta, q0, m0 in _gd_cases(count):
        box = [IV.coordinate(tuple(mpmath.mpf(s) for s in steps)), *(IV.coordinate(x) for x in
                                                                    (eta, q0, m0)),
               *(IV.coordinate(v) for v in links)]
        for index, f in enumerate((gd_overlap, gd_target_overlap)):
            enclosure = f(IV, *box)
            t = rng.randint(*steps)
            e = eta[0] + (eta[1] - eta[0]) * mpmath.mpf(rng.random())
            q = q0[0] + (q0[1] - q0[0]) * mpmath.mpf(rng.random())
            value = _gd_point(t, e, q, m0[0], links, index)
            checked += 1
            if not _inside(enclosure, value):
                missed.append((steps, eta, q0, m0, index))
            if steps[0] == steps[1] and eta[0] == eta[1] and q0[0] == q0[1]:
                lo, hi = _shrunk(enclosure)
                caught += not lo <= value <= hi
    return checked, missed, caught


def test_gd_iterate_enclosures_hold_200_points_at_50_digits():
    checked, missed, _ = _gd_violations(100)
    assert checked == 200 and missed == []


@pytest.mark.slow
def test_gd_iterate_enclosures_hold_1000_points_at_50_digits():
    checked, missed, _ = _gd_violations(500)
    assert checked == 1000 and missed == []


def test_gd_iterate_enclosure_of_a_point_shrunk_by_one_ulp_is_caught():
    from numerics.single_index_enclosures import gd_overlap

    links = [mpmath.mpf("0.9"), *[mpmath.mpf(v) for v in (0, 0, 1, 0, "0.5", 0, 1, 0)]]
    caught = 0
    for k in range(1, 31):
        box = [IV.coordinate(v) for v in (k, "0.1", "0.3", "0.35", *links)]
        value = _gd_point(k, mpmath.mpf("0.1"), mpmath.mpf("0.3"), mpmath.mpf("0.35"), links, 0)
        assert _inside(gd_overlap(IV, *box), value)
        lo, hi = _shrunk(gd_overlap(IV, *box))
        caught += not lo <= value <= hi
    assert caught >= 1  # (2 of these 30 one- or two-ulp enclosures lose the value)
    # beyond the interval iteration's reach (wrapping widens a box of t at each step): whole line
    wide = [IV.coordinate(("0", "2000")), *[IV.coordinate(v) for v in ("0.1", "0.3", "0.35")],
            *[IV.coordinate(v) for v in links]]
    assert IV.bounds(gd_overlap(IV, *wide)) == (-mpmath.inf, mpmath.inf)


# --- the saddle-node delta_sn ------------------------------------------------------------------

def _saddle_reference():
    """``delta_sn = max_q Psi_0(q)/P(q)`` at 50 digits from the SymPy expression of ``Psi_delta``
    (``P = -dPsi/ddelta``, each a polynomial in ``q`` whose coefficients SymPy's ``Poly`` gives as
    functions of the links): the best of a grid, then the zero of the quotient's derivative by
    mpmath's findroot; a function of the links ``(c1..c4, b1..b4, sigma2_s)``."""
    from theory import single_index as si

    psi = si.sgd_fixed_point_function()
    columns = [[sympy.lambdify(list(si.LINKS), a, "mpmath")
                for a in sympy.Poly(sympy.expand(e), si.q).all_coeffs()]
               for e in (psi.subs(si.delta, 0), -sympy.diff(psi, si.delta))]

    def reference(links):
        with mpmath.workdps(50):
            num, den = ([a(*links) for a in column] for column in columns)
            d_num, d_den = ([a * (len(p) - 1 - k) for k, a in enumerate(p[:-1])]
                            for p in (num, den))

            def f(x):
                return mpmath.polyval(num, x) / mpmath.polyval(den, x)

            def df(x):
                u, v = mpmath.polyval(num, x), mpmath.polyval(den, x)
                return mpmath.polyval(d_num, x) * v - u * mpmath.polyval(d_den, x)

            grid = [mpmath.mpf(k) / 100 for k in range(1, 100)]
            start = max(grid, key=f)
            r = mpmath.findroot(df, (start - mpmath.mpf(1) / 100, start + mpmath.mpf(1) / 100),
                                solver="anderson")
            return f(r)
    return reference


def _saddle_violations(count, seed=17):
    from numerics.single_index_enclosures import saddle_node

    reference = _saddle_reference()
    rng = random.Random(seed)
    checked, missed, caught = 0, [], 0
    for _ in range(count):
        # a link of information exponent 3 (c1 = c2 = 0), as in the bistability claim
        links = [0, 0, _draw(rng, 0.5, 2), _draw(rng, 0, 1) if rng.random() < 0.3 else 0,
                 _draw(rng, 0.25, 1), 0, _draw(rng, 0.5, 2), 0, _draw(rng, 0, 1)]
        enclosure = saddle_node(IV, *[IV.coordinate(v) for v in links])
        value = reference(links)
        checked += 1
        lo, hi = IV.bounds(enclosure)
        if not lo <= value <= hi:
            missed.append(links)
        assert hi - lo < 1e-13 * value, links  # decided at a point: a few ulps wide
        lo, hi = _shrunk(enclosure)
        caught += not lo <= value <= hi
    return checked, missed, caught


def test_saddle_node_enclosure_holds_200_points_at_50_digits():
    checked, missed, caught = _saddle_violations(200)
    assert checked == 200 and missed == [] and caught > 2


@pytest.mark.slow
def test_saddle_node_enclosure_holds_1000_points_at_50_digits():
    checked, missed, caught = _saddle_violations(1000, seed=18)
    assert checked == 1000 and missed == [] and caught > 10


def test_saddle_node_over_a_box_of_links_and_where_there_is_none():
    from numerics.single_index_enclosures import saddle_node

    reference = _saddle_reference()
    box = [IV.coordinate(v) for v in (0, 0, ("1", "1.0001"), 0, "1/2", 0, 1, 0, 0)]
    lo, hi = IV.bounds(saddle_node(IV, *box))
    for c3 in ("1", "1.00005", "1.0001"):
        assert lo <= reference([0, 0, mpmath.mpf(c3), 0, mpmath.mpf(0.5), 0, 1, 0, 0]) <= hi
    assert hi - lo < 1e-3
    # c1 != 0: q = 0 is unstable for small delta, there is no saddle-node (whole line)
    unstable = [IV.coordinate(v) for v in ("1/2", 0, 1, 0, "1/2", 0, 1, 0, 0)]
    assert IV.bounds(saddle_node(IV, *unstable)) == (-mpmath.inf, mpmath.inf)
