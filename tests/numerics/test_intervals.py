"""Soundness of the interval enclosures (numerics.intervals) against 50-digit point evaluations.

Every compiled margin without a special function: at 1000 random points (400 in the default
run, 600 more under ``pytest -m slow``), each inside a random box (a third of the boxes are
points; the margins with special functions at 100 points, and 100 more under ``pytest -m
slow``), the value of *every* subexpression at 50 digits lies in its enclosure over the box,
and (every fifth point) the margin's enclosure holds ``numerics.evaluate`` of the claim's own
(compact) margin. The check must be able to fail: a
kappa whose lower end is raised by one ulp is caught.
"""

import random
from fractions import Fraction

import mpmath
import pytest
from sympy import Interval, Rational

from numerics import ParameterError, evaluate
from numerics.intervals import (IntervalArithmetic, IntervalUnavailable, PointArithmetic,
                                shrink_kappa)
from proofs_check.certified import Unavailable, prepare
from proofs_check.mechanisms.ridge import optimum_reduction
from theory import quantity
from theory.claims import Claim, claims

# one worker prepares the claims' programs (the fixture) once for every test here
pytestmark = pytest.mark.xdist_group("compiled-margins")

V_ABOVE_U2 = Claim(quantity("mp.shrinkage_v") >= quantity("mp.shrinkage_u") ** 2, id="demo.v_above_u2",
                   source="linear.md positivity lemma",
                   region={"lam": Interval(0, 10**6), "gamma": Interval(Rational(1, 1000), 1000)})


def _setups():
    cofactor, _ = optimum_reduction(claims("ridge.dobriban_wager_optimal_ridge")[0])
    out = [prepare(V_ABOVE_U2), prepare(cofactor)]
    for c in claims():
        try:
            out.append(prepare(c))
        except (Unavailable, IntervalUnavailable):  # e.g. Min, an unbounded range, an exists claim
            continue
    return out


@pytest.fixture(scope="session")  # session: a module fixture is rebuilt when xdist interleaves
def setups():
    return _setups()


def _draw(rng, lo, hi):
    """A binary number in [lo, hi], log-uniform on wide positive ranges."""
    lo, hi = float(lo), float(hi)
    if lo > 0 and hi > 8 * lo:
        x = lo * (hi / lo) ** rng.random()
    elif lo == 0 and hi > 8 and rng.random() < 0.7:
        x = hi * 10 ** (-8 * rng.random())
    else:
        x = lo + (hi - lo) * rng.random()
    return mpmath.mpf(min(max(x, lo), hi))


def violations(setup, arith, points=1000, per_box=20, seed=0, independent=True):
    """``(slot, point)`` pairs where a 50-digit value falls outside its enclosure."""
    rng = random.Random(seed)
    exact = PointArithmetic(50)
    found, checked = [], 0
    while checked < points:
        box = {}
        degenerate = rng.random() < 1 / 3
        for name, (lo, hi) in setup.box.items():
            a, b = sorted((_draw(rng, lo, hi), _draw(rng, lo, hi)))
            box[name] = (a, a) if degenerate else (a, b)
        try:
            enclosures = setup.program.run(arith, box, slots=True)
        except ZeroDivisionError:
            continue
        for _ in range(1 if degenerate else per_box):
            point = {n: (lo if lo == hi else _draw(rng, lo, hi)) for n, (lo, hi) in box.items()}
            try:
                values = setup.program.run(exact, point, slots=True)
            except ZeroDivisionError:
                continue  # a singular point: the margin is not finite there
            checked += 1
            for slot, (value, enclosure) in enumerate(zip(values, enclosures)):
                lo, hi = arith.bounds(enclosure)
                if not lo <= value <= hi:
                    found.append((slot, point))
            if not (independent and checked % 5 == 0):
                continue
            original = setup.point(point)  # exact, through SymPy: only where it is used
            if all(v.is_Rational for v in original.values()):
                try:
                    truth = evaluate(setup.claim.margin, original, dps=50)
                except ParameterError:
                    continue
                lo, hi = arith.bounds(enclosures[-1])
                slack = mpmath.mpf(10) ** -40 * (1 + abs(truth))
                if not lo - slack <= truth <= hi + slack:
                    found.append(("margin vs evaluate", point))
    return found


# (a mechanism's own function, a root or a level functional, or a real power: their own
# enclosures are tested at 1000 points in tests/numerics/test_root_enclosures.py)
SPECIAL = ("psi", "piecewise", "min", "max", "abs", "pi", "function", "rpow", "floor")


def _special(setup):
    """Whether the program holds a special function (Psi, Min, a Piecewise...): larger programs
    from the multi-index and spectral mechanisms, checked at fewer points by default."""
    return any(op[0] in SPECIAL for op in setup.program.ops)


def test_every_compiled_margin_encloses_400_points(setups):
    ids = [s.claim.id for s in setups]
    assert "ridge.over_regularised_teacher_never_beaten" in ids and "demo.v_above_u2" in ids
    unsound = [s.claim.id for s in setups
               if not _special(s) and violations(s, IntervalArithmetic(), points=400)]
    assert unsound == []


@pytest.mark.slow
def test_every_compiled_margin_encloses_600_more_points(setups):
    """With the default run's 400, 1000 random points for every compiled margin."""
    unsound = [s.claim.id for s in setups
               if not _special(s) and violations(s, IntervalArithmetic(), points=600, seed=7)]
    assert unsound == []


def test_a_bound_below_the_region_keeps_the_box_bounded(setups):
    """Regression: ``sigma2 >= bound`` with a bound that is negative (and has no finite lower
    enclosure: ``kappa^2/D`` near ``gamma_t = 1``) gave ``d[sigma2]`` the range ``[0, inf]``; a
    point drawn at ``d = inf`` was read as ``0`` by the point arithmetic (an infinite ``mpf`` has a
    zero mantissa) and fell outside its enclosure ``[inf, inf]``. Now ``sigma2 = max(bound, 0) +
    d`` with ``d`` in ``[0, 10^6]``, and an infinite coordinate is an error, not ``0``."""
    (setup,) = [s for s in setups if s.claim.id == "misfit.ridge_population_realisable"]
    assert setup.box["d[sigma2]"] == (0, 10**6)
    with pytest.raises(ValueError, match="finite"):
        PointArithmetic(50).coordinate(mpmath.inf)
    # the point that failed, with d moved to 0 and to 1: the 50-digit margin is in the enclosure
    # of a small box around it
    point = {"lam_t": mpmath.mpf("3.6299825056536394"), "lam_s": mpmath.mpf("0.00052578932418183473"),
             "gamma_t": mpmath.mpf("32.016408030465435"), "r2": mpmath.mpf("0.56951363946708411")}
    iv = IntervalArithmetic()
    for d in (0, 1):
        at = {**point, "d[sigma2]": mpmath.mpf(d)}
        value = setup.program.run(PointArithmetic(50), at)
        box = {n: (v * (1 - mpmath.mpf(2) ** -30), v * (1 + mpmath.mpf(2) ** -30))
               for n, v in at.items()}
        lo, hi = iv.bounds(setup.program.run(iv, box))
        assert lo <= value <= hi


def test_margins_with_special_functions_enclose_100_points(setups):
    special = [s for s in setups if _special(s)]
    assert any(s.claim.id.startswith("multi_index.") for s in special)
    for setup in special:
        assert violations(setup, IntervalArithmetic(), points=100, per_box=5) == [], \
            setup.claim.id


@pytest.mark.slow
def test_margins_with_special_functions_enclose_100_more_points(setups):
    """The large programs at 100 other points (each special function's own enclosure is checked
    at 1000 points by itself: tests/numerics/test_interval_functions.py, test_root_enclosures.py)."""
    for setup in [s for s in setups if _special(s)]:
        assert violations(setup, IntervalArithmetic(), points=100, seed=1) == [], setup.claim.id


def test_a_kappa_shrunk_by_one_ulp_is_caught(setups):
    (setup,) = [s for s in setups if s.claim.id == "ridge.over_regularised_teacher_never_beaten"]
    bad = violations(setup, shrink_kappa(IntervalArithmetic()), points=200, independent=False)
    assert len(bad) > 10


def test_kappa_enclosure_of_a_point_is_one_ulp_and_contains_kappa():
    iv = IntervalArithmetic()
    for lam, gamma in [(Fraction(3, 8), Fraction(3, 4)), (Fraction(10**6), Fraction(7)),
                       (Fraction(1, 2**30), Fraction(1))]:  # binary: exact coordinates
        lo, hi = iv.bounds(iv.kappa(iv.coordinate(lam), iv.coordinate(gamma)))
        with mpmath.workdps(60):  # kappa from the quadratic's radical, independently
            l, g = (mpmath.mpf(x.numerator) / x.denominator for x in (lam, gamma))
            b = l + g - 1
            true = (b + mpmath.sqrt(b * b + 4 * l)) / 2
            assert lo < true < hi
            assert hi - lo <= mpmath.mpf(2) ** -52 * hi  # one ulp (guard bits, then outward)


def test_exact_zeros():
    iv = IntervalArithmetic()
    zero = iv.coordinate(0)
    assert iv.bounds(iv.kappa(zero, iv.coordinate(("1/100", 1)))) == (0, 0)
    assert iv.bounds(iv.mul([zero, iv.coordinate((1, mpmath.inf))])) == (0, 0)
    # D >= |1 - gamma| max(1, gamma): at lam = 0, gamma in [2, 3], D is at least 2
    k = iv.kappa(zero, iv.coordinate((2, 3)))
    assert iv.bounds(iv.denominator(k, iv.coordinate((2, 3))))[0] >= 2
