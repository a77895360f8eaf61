"""The first-order branch and bound (proofs_check.certified_gradient) and the minimum's lemmas.

Soundness: the lower end that the monotonicity test and the mean-value form give for a box is below
the 50-digit margin at 1000 random points of the box (the *original* box, not the face it was reduced
to), every partial derivative agrees with a 50-digit central difference of the margin (independent
of SymPy's differentiation), and an arithmetic whose kappa is shrunk by one ulp is caught. Mutation:
a false variant of each claim certified by the new techniques is refuted with a point confirmed by
``arb``, never certified.
"""

import random
import types

import mpmath
import pytest
import sympy
from sympy import Interval, Rational

from numerics.intervals import IntervalArithmetic, PointArithmetic, shrink_kappa
from proofs_check.certified import certify, prepare
from proofs_check.certified_gradient import first_order_lower, gradient_program
from proofs_check.certified_lemmas import min_lemmas
from theory.claims import Claim, claim
from theory.marchenko_pastur import kappa_radical
from theory.symbols import gamma, lam
from tests.numerics.test_intervals import violations

CLAIMS = ("ridge.over_regularised_teacher_never_beaten", "ridge.population_student_optimum",
          "interaction.population_gain_superadditive",
          "multi_index.teacher_learns_only_easy_direction")


@pytest.fixture(scope="module")
def programs():
    out = []
    for cid in CLAIMS:
        s = prepare(claim(cid))
        out.append((s, gradient_program(s.program.form, s.program.names)))
    return out


def _draw(rng, lo, hi):
    lo, hi = float(lo), float(hi)
    if lo > 0 and hi > 8 * lo:
        return mpmath.mpf(lo * (hi / lo) ** rng.random())
    if lo == 0 and hi > 8 and rng.random() < 0.7:
        return mpmath.mpf(hi * 10 ** (-8 * rng.random()))
    return mpmath.mpf(min(max(lo + (hi - lo) * rng.random(), lo), hi))


def _below(setup, gp, arith, points, seed=0, per_box=10):
    """Points of random sub-boxes where the 50-digit margin is below the first-order lower end
    (or above the upper end) of the box."""
    rng = random.Random(seed)
    exact = PointArithmetic(50)
    bad, checked = [], 0
    while checked < points:
        box = {}
        narrow = rng.random() < 0.5  # small boxes: where the mean-value form is the tighter one
        for n, (lo, hi) in setup.box.items():
            a = _draw(rng, lo, hi)
            b = min(a * (1 + mpmath.mpf(2) ** -12), hi) if narrow else _draw(rng, lo, hi)
            box[n] = tuple(sorted((a, b)))
        lower, upper, _, _ = first_order_lower(gp, arith, box)
        for _ in range(per_box):
            point = {n: _draw(rng, lo, hi) for n, (lo, hi) in box.items()}
            try:
                value = setup.program.run(exact, point)
            except ZeroDivisionError:
                continue
            checked += 1
            if not lower <= value <= upper:
                bad.append((point, value, lower, upper))
    return bad


def test_first_order_lower_end_is_below_300_points_at_50_digits(programs):
    for setup, gp in programs:
        assert _below(setup, gp, IntervalArithmetic(), 300) == [], setup.claim.id


@pytest.mark.slow
def test_first_order_lower_end_and_gradient_slots_hold_1000_points_at_50_digits(programs):
    for setup, gp in programs:
        assert _below(setup, gp, IntervalArithmetic(), 1000, seed=3) == [], setup.claim.id
        assert violations(_as_setup(setup, gp), IntervalArithmetic(), seed=3,
                          independent=False) == [], setup.claim.id


def _as_setup(setup, gp):
    return types.SimpleNamespace(box=setup.box, program=gp.program, point=setup.point)


def test_every_slot_of_the_gradient_encloses_300_points(programs):
    """Each partial derivative's enclosure (and every shared subexpression) holds its 50-digit
    value; the check fails on an arithmetic whose kappa is shrunk by one ulp."""
    for setup, gp in programs[:2]:
        assert violations(_as_setup(setup, gp), IntervalArithmetic(), points=300,
                          independent=False) == [], setup.claim.id
    setup, gp = programs[0]
    bad = violations(_as_setup(setup, gp), shrink_kappa(IntervalArithmetic()), points=200,
                     independent=False)
    assert len(bad) > 10


def test_partials_agree_with_a_central_difference_at_50_digits(programs):
    rng = random.Random(2)
    exact = PointArithmetic(60)
    h = mpmath.mpf(10) ** -25
    for setup, gp in programs:
        for _ in range(20):
            point = {n: _draw(rng, lo, hi) for n, (lo, hi) in setup.box.items()}
            point = {n: v if v > 0 else mpmath.mpf(2) ** -10 for n, v in point.items()}
            slots = gp.program.run(exact, point, slots=True)
            for name, slot in zip(gp.program.names, gp.slots):
                with mpmath.workdps(80):  # the shifted coordinates exactly
                    shifted = [point[name] + h, point[name] - h]
                up, down = (setup.program.run(exact, {**point, name: x}) for x in shifted)
                with mpmath.workdps(60):
                    difference = (up - down) / (2 * h)
                scale = 1 + abs(difference)
                assert abs(slots[slot] - difference) < mpmath.mpf(10) ** -20 * scale, \
                    (setup.claim.id, name)


def test_kappa_derivatives_match_the_radical():
    """dk/dlam = (1 + k)^2/D and dk/dgamma = k (1 + k)/D (the module's rules) equal SymPy's
    derivatives of the radical, at rational points to 40 digits."""
    from theory.marchenko_pastur import EffectiveRegularization

    gp = gradient_program(EffectiveRegularization(lam, gamma), ("lam", "gamma"))
    radical = kappa_radical()
    exact = PointArithmetic(50)
    for lv, gv in [(Rational(1, 3), Rational(1, 2)), (2, 3), (Rational(1, 100), 1), (7, 50)]:
        slots = gp.program.run(exact, {"lam": lv, "gamma": gv}, slots=True)
        for slot, symbol in zip(gp.slots, (lam, gamma)):
            truth = sympy.diff(radical, symbol).xreplace({lam: lv, gamma: gv}).evalf(45)
            with mpmath.workdps(50):
                assert abs(slots[slot] - mpmath.mpf(str(truth))) < mpmath.mpf(10) ** -40


def test_monotone_coordinates_are_fixed_at_the_worst_end():
    x, y = sympy.symbols("x y", nonnegative=True)
    gp = gradient_program(x**3 - y + 1, ("x", "y"))
    lower, upper, face, _ = first_order_lower(gp, IntervalArithmetic(), {"x": (0, 2), "y": (0, 1)})
    assert face == {"x": (0, 0), "y": (1, 1)} and lower == 0 and upper >= 9


def _confirmed_refutation(mutant):
    r = certify(mutant, boxes=100)
    assert r.status == "refuted", r.detail
    assert "arb at 256 bits" in r.detail
    return r


@pytest.mark.parametrize("cid", ["multi_index.teacher_learns_only_easy_direction",
                                 "spectral.top_eigenvalue_above_bulk_edge"])
def test_newly_certified_claims_and_their_mutants(cid):
    """Certified in one box (merged coefficients; a factored Piecewise with gamma_u = y^2); the
    registered false variant of each is refuted with an arb-confirmed point, never certified."""
    from tests.proofs_check.test_mutations import _mutants

    r = certify(claim(cid))
    assert r.status == "certified" and r.certified_fraction == 1.0 and r.boxes == 1
    mutants = [m for _, m in _mutants() if m.id == cid]
    assert mutants
    for mutant in mutants:
        _confirmed_refutation(mutant)


def test_a_minimum_is_certified_through_its_arguments_and_refuted_by_one():
    x, y = sympy.symbols("x y", nonnegative=True)
    from theory.symbols import parameters

    lam_s, gamma_s = parameters()["lam_s"], parameters()["gamma_s"]
    region = {"lam_s": Interval(0, 1), "gamma_s": Interval(Rational(1, 2), 2)}
    true = Claim(sympy.Ge(sympy.Min(lam_s**2 - 2 * lam_s + 1, gamma_s - Rational(1, 2)), 0),
                 id="demo.min_true", source="test", region=region)
    lemmas = min_lemmas(true)
    assert sorted(sorted(lemma.region) for lemma in lemmas) == [["gamma_s"], ["lam_s"]]
    r = certify(true)
    assert r.status == "certified" and r.lemmas == [lemma.id for lemma in lemmas]
    false = true.replace(id="demo.min_false", margin=sympy.Min(lam_s**2 - 2 * lam_s + 1,
                                                               gamma_s - 1))
    r = certify(false)
    assert r.status == "refuted" and set(r.counterexample) == {"lam_s", "gamma_s"}
    point = {n: Rational(v) for n, v in r.counterexample.items()}
    assert point["gamma_s"] < 1 and region["lam_s"].contains(point["lam_s"])
