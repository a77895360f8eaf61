"""The float64 path's rounding-error bound, against independent computation.

``numerics.vectorize`` charges a cancelling sum by the largest ratio ``sum |t_i| / |sum t_i|``
over the batch (one number for the whole batch) where the bound depends on the point only
through those ratios. Held here against (a) the point-wise bound of the same form, (b) the
actual error against 60-digit ``evaluate`` at the same float64 inputs, and (c) dense sampling
for the signs that decide which sums cancel.
"""

import numpy as np
import pytest
import sympy

from numerics import evaluate, vectorize
from numerics.evaluate import resolve
from numerics.float64 import UNIT, RatioChecked, compile_numpy, error_bound, sign
from numerics.namespaces import numpy_functions
from numerics.stable import stable_form
from tests.numerics.test_float64_sweep import _points
from theory.symbols import gamma, lam, parameters, zeta

#: Quantities whose float64 bound depends on the point only through the ratios of their
#: cancelling sums, whose signs are checked at run time.
RATIO_BOUNDED = ["ridge.student_risk", "weighted_ridge.student_risk", "ridge.overlap_B"]


def _compiled(name):
    _, expr, names = resolve(name)
    f, checked = compile_numpy(stable_form(expr), [parameters()[n] for n in names],
                               numpy_functions())
    return f, checked, names


@pytest.mark.parametrize("name", RATIO_BOUNDED)
def test_one_number_bounds_every_points_bound_and_error(name):
    f, checked, names = _compiled(name)
    assert checked and isinstance(f, RatioChecked)
    points = _points(name, 24, seed=31)
    batch = [np.array([p[n] for p in points]) for n in names]
    with np.errstate(all="raise"):
        values, whole = f(*batch)
    assert np.ndim(whole) == 0 and whole * UNIT <= 1e-11  # the batch on the fast path
    pointwise = f.full()(*batch)[1]
    np.testing.assert_allclose(f.full()(*batch)[0], values, rtol=1e-12, atol=0)
    assert whole >= np.max(pointwise)
    for i, point in enumerate(points):
        one = [a[i:i + 1] for a in batch]
        with np.errstate(all="raise"):
            _, alone = f(*one)
        assert alone >= f.full()(*one)[1][0] * (1 - 1e-12), point
        exact = evaluate(name, point, dps=60)
        if exact != 0:  # the first-order bound, with room for its second-order terms
            error = abs((values[i] - float(exact)) / float(exact))
            assert error <= alone * UNIT * (1 + 1e-6) + 1e-300, (point, error, alone)


def test_a_batch_whose_sum_cancels_somewhere_is_bounded_point_by_point():
    """``1 - gamma**2``: the sign of the sum is not known; a batch of one sign (either)
    gets one number, a batch of both signs the point-wise bound, and the point near
    ``gamma = 1`` is recomputed, not returned."""
    f, checked = compile_numpy(1 - gamma**2, [gamma], {})
    with np.errstate(all="raise"):
        assert np.ndim(f(np.array([0.1, 0.5, 0.9]))[1]) == 0
        assert np.ndim(f(np.array([0.5, 3.0]))[1]) == 1
    gammas = np.array([0.5, 0.9, 1 + 2.0**-40, 3.0, 0.25])
    exact = [float(evaluate(1 - gamma**2, {"gamma": g}, dps=40)) for g in gammas]
    np.testing.assert_allclose(vectorize(1 - gamma**2)(gamma=gammas), exact, rtol=1e-15,
                               atol=0)


@pytest.mark.parametrize("poly", [zeta**2 + zeta + 1, zeta - 1, 1 - zeta**4, zeta**2 - zeta,
                                  3 * zeta**3 - zeta + 1, (2 * zeta - 1)**2, lam**2 - 3 * lam + 3,
                                  lam**3 - lam + 1, 1 - lam])
def test_sign_of_a_one_parameter_polynomial_agrees_with_dense_sampling(poly):
    (x,) = poly.free_symbols
    ends = (-1.0, 1.0) if x == zeta else (0.0, 1e3)
    grid = np.concatenate([np.linspace(*ends, 200_001), np.geomspace(1e-9, ends[1], 2001)])
    values = sympy.lambdify(x, poly, "numpy")(grid)
    found = sign(poly)
    if found == 1:
        assert values.min() >= 0
    elif found == -1:
        assert values.max() <= 0
    else:  # both signs occur on the domain
        assert values.min() < 0 < values.max()
    expected = {zeta**2 + zeta + 1: 1, zeta - 1: -1, 1 - zeta**4: 1, (2 * zeta - 1)**2: 1,
                lam**2 - 3 * lam + 3: 1}
    if poly in expected:
        assert found == expected[poly]


@pytest.mark.parametrize("poly", [1 + zeta * (1 + zeta), zeta**2 - zeta + 1, 1 - zeta**2 / 2,
                                  zeta**3 - 3 * zeta + 3, 2 - zeta**4 + zeta / 2, 1 + lam - lam**2 / 8
                                  + lam**2])
def test_the_largest_ratio_of_a_one_parameter_sum_bounds_dense_sampling(poly):
    """The supremum of ``sum |t_i| / |sum t_i|`` over the parameter's domain (exact roots),
    which makes such a sum's rounding-error bound a number, is the largest sampled ratio."""
    from numerics.float64 import hold_sums
    from numerics.float64_bounds import largest_ratio, unheld

    held = hold_sums(poly)
    (x,) = poly.free_symbols
    grid = (np.linspace(-1.0, 1.0, 400_001) if x == zeta
            else np.concatenate([np.linspace(0.0, 50.0, 400_001), np.geomspace(50.0, 1e8, 1000)]))
    terms = [sympy.lambdify(x, unheld(t), "numpy")(grid) + 0 * grid for t in held.args]
    sampled = np.max(sum(np.abs(t) for t in terms) / np.abs(sum(terms)))
    largest = float(largest_ratio(held))
    assert sampled <= largest <= sampled * (1 + 1e-6)
    assert sympy.sympify(error_bound(poly)).is_Number  # nothing left for run time


def test_a_sum_with_a_zero_on_its_domain_keeps_its_bound_at_each_point():
    from numerics.float64 import hold_sums
    from numerics.float64_bounds import largest_ratio

    assert largest_ratio(hold_sums(1 - zeta**2)) is None   # 0 at zeta = +-1
    assert not error_bound(1 - zeta - zeta**2).is_Number   # 0 inside [-1, 1]


@pytest.mark.parametrize("name", ["ridge.student_risk", "multi_index.teacher_risk"])
def test_blocks_give_the_values_of_one_call_on_the_whole_arrays(name):
    """Blocked evaluation (pieces of 64 Ki points, a scalar argument broadcast) returns the
    values of the unblocked code element for element, and the batch's bound its largest."""
    from numerics.float64_blocks import BLOCK

    f, checked, names = _compiled(name)
    rng = np.random.default_rng(5)
    size = 2 * BLOCK + 12_345
    points = _points(name, 40, seed=3)
    columns = {n: np.array([p[n] for p in points]) for n in names}
    args = [columns[n][rng.integers(0, len(points), size)] for n in names]
    args[-1] = float(columns[names[-1]][0])  # a scalar, broadcast against the rest
    with np.errstate(all="ignore"):
        blocked = f(*args)
        pieces = [f(*[a[lo:lo + BLOCK] if np.ndim(a) else a for a in args])
                  for lo in range(0, size, BLOCK)]
    value = blocked[0] if checked else blocked
    expected = np.concatenate([p[0] if checked else p for p in pieces])
    np.testing.assert_array_equal(value, expected)
    if checked and np.ndim(blocked[1]) == 0:  # one number: the largest of the pieces'
        assert blocked[1] == max(np.max(p[1]) for p in pieces)
