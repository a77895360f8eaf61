"""Seed 003 (pretraining.md F5-F21, Theorems C1, C2, PT) against independent computations.

Independent routes: 2-D Gauss-Hermite quadrature of the defining expectations (the risks, the weak
loss, S(q), the spiked risk), iteration of the discrete map against the flow formula, and the
page's 10-digit anchors (computed there with mpmath at 30-40 digits).
"""

import math

import mpmath
import numpy as np
import pytest
import sympy
from numpy.polynomial.hermite_e import hermegauss, hermeval

import theory
from numerics import ParameterError, evaluate
from numerics.single_index import gd_trajectory, sgd_ode
from theory.single_index import escape_primitive

D = {"c3": 1, "b1": "1/2", "b3": 1}
M = {"c1": "0.3", "c2": "0.5", "c3": "0.8", "b1": "0.2", "b2": "0.6", "b3": "0.7", "b4": "0.3"}
E = {"c2": 1, "b2": 1, "b4": "1/2"}
Q0, M0 = "0.3137116510431", "0.3485685011590"  # set D after PCA (spectral.initial_q/m)
PT = {**D, "spike": 1, "eta1": "0.45", "rho_w": "0.9", "delta": "0.005"}


def ev(name, point, dps=30, **more):
    point = {**point, **more}
    names = {p.name for p in theory.get(name).parameters}
    return evaluate(name, {k: v for k, v in point.items() if k in names}, dps=dps)


def fl(name, point, **more):
    return float(ev(name, point, **more))


# --- quadrature helpers (independent of the Hermite algebra of theory/) -------------------------

_X, _W = hermegauss(40)
_W = _W / math.sqrt(2 * math.pi)


def _link(point, letter):
    coeffs = [0.0] + [float(eval(str(point.get(f"{letter}{j}", 0)))) for j in range(1, 5)]
    scaled = [a / math.sqrt(math.factorial(j)) for j, a in enumerate(coeffs)]  # h_j -> He_j
    return lambda x: hermeval(x, scaled)


def _pair_mean(fun, rho):
    """E[fun(u, v)] for standard Gaussians with correlation rho (2-D Gauss-Hermite)."""
    u, z = np.meshgrid(_X, _X, indexing="ij")
    w = np.outer(_W, _W)
    v = rho * u + math.sqrt(max(0.0, 1 - rho**2)) * z
    return float(np.sum(w * fun(u, v)))


@pytest.mark.parametrize("point, rho, anchors", [
    (D, 0.9, dict(phi5=1.75, phi0=2, slope=3, mu3=0.351, hess=(-3.312, 1.296))),
    (M, 0.8, dict(phi5=1.585, phi0=1.96, slope=2.51, mu3=0.53664, hess=(-2.29168, 1.29744))),
    (E, 0.85, dict(phi5=1.5, phi0=2, slope=2, mu3=0.78, hess=(-1.12, 1.44))),
])
def test_landscape_anchors_and_quadrature(point, rho, anchors):
    assert fl("single_index.risk", point, m="0.5") == pytest.approx(anchors["phi5"], rel=1e-12)
    assert fl("single_index.risk", point, m=0) == pytest.approx(anchors["phi0"], rel=1e-12)
    assert fl("single_index.mean_slope2", point) == pytest.approx(anchors["slope"], rel=1e-12)
    assert fl("single_index.one_point_convexity", point, m="0.3") == \
        pytest.approx(anchors["mu3"], rel=1e-12)
    assert (fl("single_index.hessian_radial", point, m="0.6"),
            fl("single_index.hessian_tangent", point, m="0.6")) == \
        pytest.approx(anchors["hess"], rel=1e-12)
    f, g = _link(point, "c"), _link(point, "b")
    for mm in (-0.4, 0.3, 0.75):  # F5 and F11 against the defining Gaussian expectations
        assert fl("single_index.risk", point, m=str(mm)) == \
            pytest.approx(_pair_mean(lambda u, v: (f(u) - f(v)) ** 2, mm), rel=1e-9)
        assert fl("single_index.weak_loss", point, q=str(mm)) == \
            pytest.approx(_pair_mean(lambda u, v: (g(u) - f(v)) ** 2, mm), rel=1e-9)
    # the Riemannian Hessian's radial eigenvalue is the second derivative along the geodesic
    phi = lambda th: float(ev("single_index.risk", point, m=mpmath.nstr(mpmath.cos(th), 40)))
    th = math.acos(0.6)
    second = (phi(th + 1e-4) - 2 * phi(th) + phi(th - 1e-4)) / 1e-8
    assert second == pytest.approx(anchors["hess"][0], rel=1e-5)


@pytest.mark.parametrize("point, rho, row", [
    (D, "0.9", (0.792, 0.542, 0.25, 0.3156565657, -1.525252525, 6)),
    (M, "0.8", (0.90656, 0.84064, 0.06592, 0.07271443699, -1.162019061, 4.68)),
    (E, "0.85", (0.805, 0.555, 0.25, 0.3105590062, -1.484472050, 4)),
])
def test_weak_supervisor_anchors(point, rho, row):
    names = ["weak_risk", "saturation_risk", "w2s_gain", "pgr_saturation", "pgr_stuck"]
    got = [fl(f"single_index.{n}", point, rho_w=rho) for n in names]
    got.append(fl("single_index.weak_slope", point, q=1))
    assert got == pytest.approx(list(row), rel=1e-9)
    f, g = _link(point, "c"), _link(point, "b")
    assert got[0] == pytest.approx(_pair_mean(lambda u, v: (g(u) - f(v)) ** 2, float(rho)),
                                   rel=1e-9)


def test_geodesic_cap_of_set_M():
    # lambda_1 = 2(5.76 m^3 + m^2 - 3.75 m - 0.5): its root in (0, 1) is m_g
    root = mpmath.findroot(lambda x: ev("single_index.hessian_radial", M, m=mpmath.nstr(x, 40)),
                           (0.7, 0.9), solver="anderson")
    assert float(root) == pytest.approx(0.7898252834, rel=1e-9)


@pytest.mark.parametrize("m, p, value", [("0.5", "0.3", 2.574245664), ("0.9", "0.45", 0.809755625),
                                         (0, 0, 2.812787539), (1, "0.45", 0.0)])
def test_spiked_risk_anchors(m, p, value):
    point = {"c3": 1, "spike": 1, "eta1": "0.45"}
    got = fl("single_index.spiked_risk", point, m=m, p=p)
    assert got == pytest.approx(value, rel=1e-9, abs=1e-12)


def test_spiked_risk_against_quadrature():
    # JJS link f = He3 (c3 = sqrt 6): (f(X) - f(Y))^2 with X = <a, x>, Y = <a, v0> under the spike
    point = {"c3": mpmath.nstr(mpmath.sqrt(6), 40), "spike": 1, "eta1": "0.45"}
    for m, p, page in [(0.826, 0.783, 19.2507), (0.3, 0.1, 16.5541), (0.0, 0.5, 22.9569),
                       (0.5, -0.2, 16.7541)]:
        got = fl("single_index.spiked_risk", point, m=str(m), p=str(p))
        s1, s0 = math.sqrt(1 + p**2), math.sqrt(1 + 0.45**2)
        r = (m + p * 0.45) / (s1 * s0)
        quad = _pair_mean(lambda u, v: ((s1 * u) ** 3 - 3 * s1 * u - (s0 * v) ** 3 + 3 * s0 * v) ** 2,
                          r)
        assert got == pytest.approx(quad, rel=1e-9)
        assert got == pytest.approx(page, abs=1e-4)


@pytest.mark.parametrize("link", [{"c2": 1}, M, {"c1": "0.3", "c2": "-0.7", "c4": "0.5"}],
                         ids=["h2", "set-M", "mixed"])
def test_spiked_risk_of_even_links_against_quadrature(link):
    """A link with even Hermite components: under the spike, f(s z) has a constant term
    alpha_0(f, s), so the j = 0 term (alpha_0(s_x) - alpha_0(s_0))^2 of F10 is not zero when
    p != eta1 (for f = h2, m = 0.5, p = 0.3 it is 0.006328 of 1.833984)."""
    point = {**{k: v for k, v in link.items() if k.startswith("c")}, "spike": 1, "eta1": "0.45"}
    f = _link(point, "c")
    for m, p in [(0.5, 0.3), (0.0, 0.9), (0.8, -0.4), (1.0, 0.45)]:
        s1, s0 = math.sqrt(1 + p**2), math.sqrt(1 + 0.45**2)
        r = (m + p * 0.45) / (s1 * s0)
        quad = _pair_mean(lambda u, v: (f(s1 * u) - f(s0 * v)) ** 2, r)
        got = fl("single_index.spiked_risk", point, m=str(m), p=str(p))
        assert got == pytest.approx(quad, rel=1e-9, abs=1e-12), (m, p)
    if link == {"c2": 1}:
        assert fl("single_index.spiked_risk", point, m="0.5", p="0.3") == pytest.approx(
            1.833984, abs=1e-6)


def test_second_moment_against_quadrature_and_the_page():
    f, g = _link(D, "c"), _link(D, "b")
    fprime = lambda x: (3 * x**2 - 3) / math.sqrt(6)  # h3' = sqrt(3) h2
    for qq, page in [(0.3, 353.20), (0.7, 220.73), (1.0, 15.0)]:
        got = fl("single_index.second_moment", D, q=str(qq))
        quad = 4 * _pair_mean(lambda u, v: (g(v) - f(u)) ** 2 * fprime(u) ** 2, qq)
        assert got == pytest.approx(quad, rel=1e-9)
        assert got == pytest.approx(page, abs=0.01)
    r6 = math.sqrt(6)  # the page's closed form for set D, with label noise
    qq, s2 = 0.41, 0.3
    page = ((216 + 24 * r6) * qq**4 - 744 * qq**3 + (156 + 24 * r6) * qq**2 - 48 * r6 * qq + 387
            + 12 * s2)
    assert fl("single_index.second_moment", D, q=str(qq), sigma2_s=str(s2)) == \
        pytest.approx(page, rel=1e-12)
    ceiling = {"c3": 1, "b3": 1}  # S_ceil = 216 q^4 - 744 q^3 + 144 q^2 + 384
    assert fl("single_index.second_moment", ceiling, q="0.41") == \
        pytest.approx(216 * qq**4 - 744 * qq**3 + 144 * qq**2 + 384, rel=1e-12)


def test_gd_trajectory_anchors_and_transient_dip():
    point = {"eta": "0.1", "rho_w": "0.9", **D}
    traj = gd_trajectory(point, 10, Q0, M0, dps=30)
    for step, row in [(1, (0.3663739231, 0.3946357848, 1.877080896)),
                      (5, (0.7687641224, 0.7364945000, 1.201015196)),
                      (10, (0.9998177691, 0.9011675029, 0.5363185723))]:
        assert [float(x) for x in traj[step]] == pytest.approx(row, rel=1e-9)
    C = fl("single_index.gd_invariant", {"rho_w": "0.9"}, q=Q0, m=M0)
    assert C == pytest.approx(0.06974906676, rel=1e-9)
    for qt, mt, _ in traj:  # C is invariant along the trajectory (F14's angle form)
        assert float(ev("single_index.gd_invariant", {"rho_w": "0.9"}, q=mpmath.nstr(qt, 40),
                        m=mpmath.nstr(mt, 40))) == pytest.approx(C, rel=1e-20)
    sup_m = math.sqrt(0.81 + C**2)
    assert sup_m == pytest.approx(0.9026986941, rel=1e-9)
    assert fl("single_index.risk", D, m=str(sup_m)) == pytest.approx(0.5288449795, rel=1e-8)
    assert float(traj[10][2]) < 0.542  # below the saturation level phi(rho_w): early stopping helps


def test_gd_bounds_c1_and_c2():
    point = {"eta": "0.1", "rho_w": "0.9", **D}
    bounds = [fl("single_index.gd_bound", point, q=Q0, t=t) for t in (0, 10, 50, 200)]
    assert bounds == pytest.approx([7.861382782, 5.951886374, 2.339009309, 0.6616832559],
                                   rel=1e-9)
    traj = gd_trajectory(point, 200, Q0, M0, dps=20)
    for step in range(0, 201, 10):  # C1 closed and adaptive hold along the exact trajectory
        R = float(traj[step][2])
        assert R <= fl("single_index.gd_bound", point, q=Q0, t=step)
        assert R <= fl("single_index.gd_bound_adaptive", point, q=mpmath.nstr(traj[step][0], 30))
    assert float(traj[200][2]) == pytest.approx(0.542, abs=1e-6)  # saturation at phi(rho_w)
    from theory.single_index import psc_constants
    from numerics.evaluate import evaluate_at
    pt = {**{k: v for k, v in point.items() if k != "eta"}, "q": Q0, "m": M0}
    mu, L, eps = (float(evaluate_at(x, pt)) for x in psc_constants())
    assert (mu, L, eps) == pytest.approx((0.3686336071, 6, 2.683281573), rel=1e-9)


def test_psc_identity_anchor():
    # <grad L_w, x - v0> = G(q)(rho_w - q m) and its lower bound at (rho_w, m, q) = (0.8, 0.6, 0.5)
    for point, ident, lower in [(D, 0.75, 0.3308831175), (M, 0.78, 0.3441184422)]:
        G = fl("single_index.weak_slope", point, q="0.5")
        assert G * (0.8 - 0.5 * 0.6) == pytest.approx(ident, rel=1e-12)
        e, beta = math.sqrt(2 * 0.4), math.sqrt(2 * 0.2)
        assert G * ((0.8 + 0.6) * e**2 / 2 - 0.6 * beta * e) == pytest.approx(lower, rel=1e-9)


@pytest.mark.parametrize("delta, qc, qstar, rsat, threshold", [
    ("0.002", 0.06362450271, 0.9986553663, 0.5478735229, 1.050608266),
    ("0.005", 0.1585550146, 0.9962056724, 0.5585334962, 1.362020910),
    ("0.008", 0.2566274662, 0.9930246260, 0.5722979601, 2.341742661),
])
def test_sgd_roots_and_threshold_anchors(delta, qc, qstar, rsat, threshold):
    point = {**PT, "delta": delta}
    assert fl("single_index.sgd_basin_boundary", point) == pytest.approx(qc, rel=1e-9)
    assert fl("single_index.sgd_stable_point", point) == pytest.approx(qstar, rel=1e-9)
    assert fl("single_index.sgd_saturation_risk", point) == pytest.approx(rsat, rel=1e-9)
    assert fl("single_index.pretraining_threshold", point) == pytest.approx(threshold, rel=1e-9)
    # the roots are zeros of Psi_delta (evaluated as a polynomial, independently of the root finder)
    for name in ("sgd_basin_boundary", "sgd_stable_point"):
        root = ev(f"single_index.{name}", point, dps=40)
        assert abs(ev("single_index.sgd_fixed_point_function", point, dps=40,
                      q=mpmath.nstr(root, 45))) < 1e-35


def test_threshold_variants_and_saddle_node():
    assert fl("single_index.sgd_saddle_node", D) == pytest.approx(0.02213278411, rel=1e-9)
    for change, value in [({"spike": 2}, 0.3857578412), ({"spike": "1.5"}, 0.6455671721),
                          ({"zeta_vw": "0.3"}, 1.203466972)]:
        assert fl("single_index.pretraining_threshold", {**PT, **change}) == \
            pytest.approx(value, rel=1e-9)
    ceiling = {**PT, "b1": 0, "rho_w": 1}  # b = c, w = v0, kappa = eta1
    assert fl("single_index.sgd_basin_boundary", ceiling) == pytest.approx(0.1647829102, rel=1e-9)
    assert fl("single_index.pretraining_threshold", ceiling) == pytest.approx(1.309711265, rel=1e-9)
    above = fl("single_index.sgd_pgr", PT, gamma_u="0.5")
    below = fl("single_index.sgd_pgr", PT, gamma_u=1)
    assert (above, below) == pytest.approx((0.2947809391, -1.525252525), rel=1e-9)
    # set E: q = 0 loses stability at delta = 2A/S(0) = 0.16 (A = 4 b2 c2)
    assert 8 / fl("single_index.second_moment", E, q=0) == pytest.approx(0.16, rel=1e-12)


def test_threshold_to_30_digits():
    low = ev("single_index.pretraining_threshold", PT, dps=30)
    high = ev("single_index.pretraining_threshold", PT, dps=60)
    assert abs(low - high) < mpmath.mpf(10) ** -29
    assert mpmath.nstr(low, 10, strip_zeros=False) == "1.362020910"


def test_sgd_ode_against_the_page():
    point = {"delta": 0.005, "rho_w": 0.9, "c3": 1, "b1": 0.5, "b3": 1}
    taus, qs, ms = sgd_ode(point, 0.3137, 0.3486, 300.0, dtau=0.5)
    at = {tau: int(round(tau / 0.5)) for tau in (60, 120, 180, 300)}
    for tau, qv, mv in [(60, 0.4276, 0.4318), (120, 0.6736, 0.6344), (180, 0.9432, 0.8578),
                        (300, 0.9960, 0.8967)]:
        assert (qs[at[tau]], ms[at[tau]]) == pytest.approx((qv, mv), abs=2e-4)
    assert ms[-1] / qs[-1] == pytest.approx(0.9, abs=1e-3)  # F16: m* = rho_w q*


@pytest.mark.parametrize("k, A, q0, page", [(2, 4, 0.05, 0.929871449), (3, 6, 0.05, 3.385177775),
                                            (4, 8, 0.05, 25.38777523), (3, 6, 0.2, 0.8597293041)])
def test_escape_times_against_the_discrete_map(k, A, q0, page):
    from theory.single_index import q

    phi = escape_primitive(k).result
    assert all(phi.subs(q, x).evalf(30).is_real for x in (q0, 0.5, 0.9))  # real on (0, 1)
    flow = float((phi.subs(q, 0.9) - phi.subs(q, q0)).evalf(20)) / A
    assert flow == pytest.approx(page, rel=1e-9)
    eta, x, steps = 1e-3, q0, 0  # the discrete GD map F14 with G = A q^(k-1)
    while x < 0.9:
        G = A * x ** (k - 1)
        x = (x + eta * G * (1 - x * x)) / math.sqrt(1 + (eta * G) ** 2 * (1 - x * x))
        steps += 1
    assert eta * steps == pytest.approx(page, rel=2e-3)


@pytest.mark.parametrize("change, words", [
    ({"rho_w": 0}, "rho_w must be in (0, 1]"),
    ({"eta1": "1.5"}, "eta1 must be in [0, 1]"),
    ({"delta": "0.03"}, "delta must be below the saddle-node delta_sn = 0.02213278411"),
    ({"eta1": "0.1"}, "must exceed q_c(delta)"),
    ({"eta1": "0.1"}, "no pre-training budget suffices"),
])
def test_bad_input_names_the_condition(change, words):
    with pytest.raises(ParameterError) as info:
        ev("single_index.pretraining_threshold", {**PT, **change})
    assert words in str(info.value)


def test_float64_path_matches_mpmath():
    from numerics import vectorize

    grid = np.linspace(-0.99, 0.99, 23)
    for name, extra in [("single_index.risk", {"m": grid}), ("single_index.weak_loss", {"q": grid}),
                        ("single_index.second_moment", {"q": grid})]:
        f = vectorize(name)
        got = f(**extra, **{k: float(eval(str(v))) for k, v in M.items()
                            if k in f.parameters})
        key = next(iter(extra))
        exact = [fl(name, M, **{key: repr(float(x))}) for x in grid]
        assert np.allclose(got, exact, rtol=1e-10, atol=1e-12)
    f = vectorize("single_index.pretraining_threshold")
    got = f(delta=np.array([0.002, 0.005, 0.008]), spike=1.0, eta1=0.45, rho_w=0.9, c3=1.0,
            b1=0.5, b3=1.0)
    assert got == pytest.approx([1.050608266, 1.362020910, 2.341742661], rel=1e-9)


def _random_configurations(n, seed):
    """(A1) links on random degrees, random-sign misspecification elsewhere (the page's V6)."""
    rng = np.random.default_rng(seed)
    c = np.zeros((n, 4))
    b = np.zeros((n, 4))
    for i in range(n):
        chosen = rng.choice(4, size=rng.integers(1, 5), replace=False)
        c[i, chosen] = rng.uniform(0.2, 1.5, chosen.size)
        b[i, chosen] = c[i, chosen] * rng.uniform(0.3, 2.0, chosen.size)
        other = np.setdiff1d(np.arange(4), chosen)
        b[i, other] = rng.normal(0, 0.5, other.size)
    rho = rng.uniform(0.05, 0.999, n)
    links = {f"c{j + 1}": c[:, j] for j in range(4)}
    links.update({f"b{j + 1}": b[:, j] for j in range(4)})
    return rng, links, rho


def test_psc_inequalities_over_random_feasible_configurations():
    # F17 (A) without the factor G >= 0, and (B): for unit x, w, v0 with Gram-feasible (q, m, rho)
    rng = np.random.default_rng(4)
    rho = rng.uniform(0.01, 1.0, 20000)
    m = rng.uniform(-1, 1, rho.size)
    q = m * rho + rng.uniform(-1, 1, rho.size) * np.sqrt((1 - m**2) * (1 - rho**2))
    e, beta = np.sqrt(2 * (1 - m)), np.sqrt(2 * (1 - rho))
    assert np.all((rho - q * m) - ((rho + m) * e**2 / 2 - np.abs(m) * beta * e) >= -1e-12)
    assert np.all(e + beta - np.sqrt(1 - q**2) >= -1e-12)


def test_c1_bound_and_invariant_region_along_random_trajectories():
    from numerics import vectorize

    rng, links, rho = _random_configurations(150, 8)
    G1 = vectorize("single_index.weak_slope")(q=1.0, **links)
    eta = rng.uniform(0.01, 1.0, rho.size) / G1
    q0 = rng.uniform(0.02, 0.95, rho.size)
    m0 = q0 * rho + rng.uniform(-1, 1, rho.size) * np.sqrt((1 - q0**2) * (1 - rho**2))
    keep = m0 > -rho
    step_q, step_m = vectorize("single_index.gd_next_q"), vectorize("single_index.gd_next_m")
    risk, bound = vectorize("single_index.risk"), vectorize("single_index.gd_bound")
    cl = {k: v for k, v in links.items() if k.startswith("c")}
    q, m = q0.copy(), m0.copy()
    floor = np.minimum(m0, rho)
    for t in range(300):
        R = risk(m=m, **cl)
        B = bound(q=q0, t=t, eta=eta, rho_w=rho, **links)
        assert np.all((R <= B * (1 + 1e-9) + 1e-12)[keep])          # Theorem C1
        q_next = step_q(q=q, eta=eta, **links)
        assert np.all(q_next >= q - 1e-12)                           # F15: q_t non-decreasing
        m = step_m(q=q, m=m, eta=eta, rho_w=rho, **links)
        q = np.minimum(q_next, 1.0)  # float rounding can overshoot 1 by an ulp
        assert np.all((m >= floor - 1e-9)[keep])                     # F15: invariant region


@pytest.mark.parametrize("eta1", ["0.1", "0"])
def test_no_budget_suffices_below_the_basin_boundary(eta1):
    """kappa = rho_w eta1 = 0.09 (or 0) <= q_c(0.005) = 0.1585550146: the PGR is the stuck
    value 1 - phi(0)/R_weak = -1.525252525 of the page for every budget (arXiv:2605.05710,
    pre-training threshold theorem (i)), in both evaluators; the threshold itself refuses."""
    from numerics import vectorize

    point = {**PT, "eta1": eta1}
    for gamma_u in ("0.001", "0.5", "1", "100"):
        assert fl("single_index.sgd_pgr", point, gamma_u=gamma_u) == pytest.approx(
            -1.525252525, rel=1e-9)
    floats = {k: float(sympy.Rational(v)) for k, v in point.items()}
    got = vectorize("single_index.sgd_pgr")(gamma_u=np.array([1e-3, 0.5, 1.0, 100.0]), **floats)
    assert got == pytest.approx([-1.525252525] * 4, rel=1e-9)
    with pytest.raises(ParameterError, match="no pre-training budget suffices"):
        ev("single_index.pretraining_threshold", point)


def test_the_pgr_step_is_at_the_threshold():
    """Two routes: sgd_pgr decides q0 = kappa eta2 > q_c(delta); the threshold solves
    eta2 = q_c/kappa for the budget (F3). The step of the one is at the other, and its two
    values are the page's 0.2947809391 and -1.525252525."""
    threshold = ev("single_index.pretraining_threshold", PT, dps=40)
    below = fl("single_index.sgd_pgr", PT, gamma_u=mpmath.nstr(1 / (threshold * (1 - 1e-9)), 45))
    above = fl("single_index.sgd_pgr", PT, gamma_u=mpmath.nstr(1 / (threshold * (1 + 1e-9)), 45))
    assert (above, below) == pytest.approx((0.2947809391, -1.525252525), rel=1e-9)
