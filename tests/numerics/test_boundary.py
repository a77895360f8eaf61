"""Phase boundaries at finite d (numerics.boundary): location, bootstrap, fit, the built-in
boundaries against independent computations."""

from __future__ import annotations

import json
import sqlite3
from fractions import Fraction

import numpy as np
import pytest

from numerics.boundary import (BoundaryError, bootstrap, boundaries, fit, locate, prepare,
                               run_boundary)
from theory.mechanism import Mechanism, MechanismError


# -- the engine on synthetic margins whose boundary is known -------------------------------

def test_locate_interpolates_the_sign_change_and_ignores_one_stray_sign():
    grid = np.linspace(0.0, 1.0, 11)
    mean = 0.37 - grid
    assert locate(mean, grid) == pytest.approx(0.37)
    noisy = mean.copy()
    noisy[8] = 0.01                       # one stray positive far above the crossing
    assert locate(noisy, grid) == pytest.approx(0.37)
    assert locate(-mean, grid, positive_below=False) == pytest.approx(0.37)
    assert locate(mean + 5, grid) == 1.0      # positive everywhere: censored at the top
    assert locate(mean - 5, grid) == 0.0


def test_bootstrap_interval_covers_a_known_boundary_at_the_nominal_rate():
    grid = np.linspace(0.0, 1.0, 9)
    rng = np.random.default_rng(3)
    covered = 0
    for _ in range(60):
        margins = 0.43 - grid + rng.normal(0, 0.2, (16, grid.size)) + rng.normal(0, 0.1, (16, 1))
        x = bootstrap(margins, grid, resamples=400, seed=int(rng.integers(1000)))
        lo, hi = np.percentile(x, [2.5, 97.5])
        covered += lo <= 0.43 <= hi
    assert 50 <= covered <= 60                # 95% nominal: 57 expected


def test_fit_recovers_the_limit_and_a_non_default_exponent():
    d = np.array([100, 200, 400, 800, 1600])
    truth = 2.0 - 1.5 * d ** -0.5
    rng = np.random.default_rng(0)
    replicates = truth[:, None] + rng.normal(0, 1e-3, (d.size, 500))
    f = fit(d, truth, replicates, 0.5)
    assert f.estimate == pytest.approx(2.0, abs=1e-9)
    assert f.ci[0] < 2.0 < f.ci[1] and f.ci[1] - f.ci[0] < 0.02
    assert f.exponent == pytest.approx(0.5, abs=1e-3) and f.exponent_se < 0.05
    wrong = fit(d, truth, replicates, 1.0)    # the wrong exponent: a bad fit, flagged by chi2
    assert wrong.chi2 / wrong.dof > 20 and not wrong.ci[0] < 2.0 < wrong.ci[1]


# -- the catalogue ---------------------------------------------------------------------------

def test_mechanisms_declare_their_boundaries_by_reference():
    assert {"ridge.teacher_beaten", "single_index.pretraining_threshold"} <= set(boundaries())
    assert Mechanism(name="toy", title="t", source="s").boundaries == {}
    with pytest.raises(MechanismError, match="x must be a reference"):
        Mechanism(name="toy", title="t", source="s", boundaries={"x": "not a reference"})


@pytest.mark.parametrize("assignments, message", [
    ({"lam_t": "0.1:0.2", "gamma_t": "0.1:0.3"}, "exactly one parameter"),
    ({"gamma_t": "1/2"}, "exactly one parameter"),
    ({"lam_t": "0.3:0.1"}, "lo < hi"),
    ({"lam_t": "0.1:0.2", "zeta": "1"}, "unknown parameter zeta"),
    ({"lam_t": "0.1:0.2", "gamma_s": "1/2"}, "gamma_s must be in"),
    ({"lam_t": "0.1:0.2", "sigma2": "-1"}, "sigma2"),
])
def test_bad_requests_are_refused_with_the_parameter_named(assignments, message):
    with pytest.raises(BoundaryError, match=message):
        prepare("ridge", assignments)


def test_too_small_d_and_unknown_model_are_refused():
    with pytest.raises(BoundaryError, match="integer >= 20"):
        prepare("ridge", {"lam_t": "0.1:0.2"}, dims=[10, 100])
    with pytest.raises(BoundaryError, match="unknown model"):
        prepare("mp", {"lam": "0.1:0.2"})


# -- the built-in boundaries: asymptotic values by a second route ----------------------------

def test_ridge_asymptote_is_where_the_best_student_ties_the_teacher():
    """A second route: the theory's student risk minimised over lam_s by brute force, against
    the teacher's risk (no B/A, no critical ratio)."""
    from numerics.boundaries.ridge import TEACHER_BEATEN
    from numerics.evaluate import vectorize

    student, teacher = vectorize("ridge.student_risk"), vectorize("ridge.teacher_risk")
    lam_s = np.geomspace(1e-4, 1e4, 4001)
    config = dict(gamma_t=0.5, gamma_s=2.0, sigma2=2.0, r2=1.0)

    def gain(lam_t):
        best = student(lam_t=lam_t, lam_s=lam_s, sigma2_s=0.0, **config).min()
        return teacher(lam_t=lam_t, gamma_t=0.5, sigma2=2.0, r2=1.0) - best

    from scipy.optimize import brentq
    brute = brentq(gain, 0.1, 0.4, xtol=1e-10)
    value = TEACHER_BEATEN.asymptotic({"gamma_t": "1/2", "gamma_s": "2", "sigma2": "2",
                                       "r2": "1"})
    assert value == pytest.approx(brute, rel=1e-5)


def test_single_index_asymptote_is_the_published_anchor():
    from numerics.boundaries.single_index import PRETRAINING_THRESHOLD as b

    point = {k: v for k, v in b.reference.items() if k != "budget"}
    assert b.asymptotic(point) == pytest.approx(1.362020910, abs=1e-9)     # arXiv:2605.05710 set
    assert b.asymptotic({**point, "delta": "0.002"}) == pytest.approx(1.050608266, abs=1e-9)


def test_single_index_margin_simulates_the_warm_start_and_the_drift_from_its_starts():
    """One repetition's columns: the warm start q_0 = <v_hat, w> at each budget, then SGD's
    mean change q_T - q_0 from each start. At budget 4 the warm start is near kappa eta_2
    (Paul 2007: eta_2^2 = (1 - gamma/spike^2)/(1 + gamma/spike), kappa = 0.405); below the BBP
    point it is of order d^(-1/2); the drift is negative near q = 0 and positive at large
    overlaps (the flow's unstable zero q_c = 0.1586 lies between: arXiv:2605.05710)."""
    from numerics.boundaries.single_index import (PRETRAINING_THRESHOLD as b, SGD_STARTS,
                                                  margin, sgd_starts)

    point = {k: float(Fraction(v)) for k, v in b.reference.items() if k != "budget"}
    rng = np.random.default_rng(7)
    rows = np.array([margin(point, np.array([0.3, 4.0]), 200, rng) for _ in range(4)])
    assert rows.shape == (4, 2 + SGD_STARTS)
    eta2 = ((1 - 0.25) / (1 + 0.25)) ** 0.5
    assert abs(rows[:, 1].mean() - 0.405 * eta2) < 0.05
    assert abs(rows[:, 0]).max() < 0.25
    starts, drift = sgd_starts(point), rows[:, 2:].mean(axis=0)
    assert starts[-1] == pytest.approx(0.3645, abs=1e-4)
    assert 0.033 < drift[-1] < 0.058
    assert drift[0] == pytest.approx(-0.003, abs=0.015)     # SGD noise 0.0045 at 4 x 16 runs
    assert np.all(np.diff(drift[2:]) > 0)                 # common random numbers: smooth


def test_basin_boundary_is_the_zero_of_a_noisy_convex_drift():
    """The zero of the drift curve, against a known root (1/6 of q (6 q - 1)) with a
    common-random-numbers shift of noise and a stray sign far from the root."""
    from numerics.boundaries.single_index import basin_boundary

    q = np.linspace(0.03, 0.38, 13)
    drift = q * (6 * q - 1)
    assert basin_boundary(q, drift) == pytest.approx(1 / 6, abs=1e-9)
    noisy = drift.copy()
    noisy[-1] = -0.01                                 # one stray sign at the top
    assert basin_boundary(q, noisy) == pytest.approx(1 / 6, abs=1e-9)
    assert basin_boundary(q[::-1], drift[::-1]) == pytest.approx(1 / 6, abs=1e-9)
    assert basin_boundary(q, drift + 1) == q[0]       # positive everywhere: at the bottom


def test_combined_margin_bootstraps_the_ratio_of_means():
    """A boundary with extra columns: the bootstrap recombines each resample's mean row, so
    its interval covers the located value of the full sample (a level 0.5 reached by a mean
    line x, the level itself estimated from the extra column). Its width is that of the
    difference of two means of 40 draws of sd 0.1: 2 x 1.96 x 0.1 (2/40)^(1/2) = 0.088."""
    grid = np.linspace(0, 1, 11)
    rng = np.random.default_rng(3)
    rows = np.column_stack([grid + rng.normal(0, 0.1, (40, 1)), rng.normal(0.5, 0.1, 40)])
    combine = lambda mean: mean[:-1] - mean[-1]
    x = locate(combine(rows.mean(axis=0)), grid, positive_below=False)
    boot = bootstrap(rows, grid, positive_below=False, resamples=400, combine=combine)
    lo, hi = np.percentile(boot, [2.5, 97.5])
    assert lo < x < hi and 0.06 < hi - lo < 0.12
    assert abs(x - 0.5) < 0.05


# -- a small run end to end: resumable, and the interval holds the theory --------------------

def test_ridge_boundary_small_run_contains_the_asymptote_and_resumes(tmp_path):
    p = prepare("ridge", {"lam_t": "0.05:0.6"}, dims=[60, 120], reps=8, seed=1)
    db = tmp_path / "b.sqlite"
    first = run_boundary(p, db)
    f = first.extrapolated
    assert f.ci[0] <= first.asymptotic <= f.ci[1]
    for row in first.per_d:
        assert row["ci"][0] <= row["estimate"] <= row["ci"][1]
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM rows").fetchone()[0] == 16
    # every row names the version of the margin's definition
    assert {m for (m,) in con.execute("SELECT model FROM rows")} == \
        {"boundary:ridge.teacher_beaten@v1"}
    con.execute("DELETE FROM rows WHERE d = 120 AND params LIKE '%\"rep\": 3%'")
    # a row of another version of the margin (here a changed value) is never read
    con.execute("UPDATE rows SET model = 'boundary:ridge.teacher_beaten@v0', key = key || "
                "'-v0', m_000 = m_000 + 5 WHERE d = 120 AND params LIKE '%\"rep\": 2%'")
    con.commit()
    con.close()
    again = run_boundary(p, db)                # recomputes only the two missing repetitions
    assert json.dumps(again.as_json()) == json.dumps(first.as_json())
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM rows").fetchone()[0] == 17


@pytest.mark.slow
def test_ridge_boundary_extrapolates_to_the_theory():
    """The defaults' configuration at three d (about 30 s on one core)."""
    p = prepare("ridge", {"lam_t": "0.02:0.6"}, dims=[100, 200, 400], reps=24)
    import tempfile, pathlib
    r = run_boundary(p, pathlib.Path(tempfile.mkdtemp()) / "b.sqlite")
    f = r.extrapolated
    assert f.ci[0] <= r.asymptotic <= f.ci[1]
    assert f.ci[1] - f.ci[0] < 0.1



# -- mechanism 3's critical gamma_s and the BBP point ----------------------------------------

def test_multi_index_asymptote_is_where_the_registered_gain_vanishes():
    """A second route: Brent's method on the registered gain Delta(gamma_s) (no critical_gamma_s
    formula), and the theory page's 10-digit anchor."""
    from scipy.optimize import brentq

    from numerics.boundaries.multi_index import CRITICAL_GAMMA_S as b
    from numerics.evaluate import evaluate

    point = {k: v for k, v in b.reference.items() if k != "gamma_s"}
    gain = lambda g: float(evaluate("multi_index.w2s_gain", {**point, "gamma_s": repr(g),
                                                              "ce2": "0", "ce3": "0",
                                                              "ce4": "0"}))
    assert b.asymptotic(point) == pytest.approx(brentq(gain, 0.05, 2.0, xtol=1e-12), rel=1e-8)
    assert b.asymptotic(point) == pytest.approx(0.3213771544, abs=1e-9)   # arXiv:2505.18346 W2
    assert np.isnan(b.asymptotic({**point, "ch2": "2"}))    # H >= c^2 rho_t^2: always a win


def test_multi_index_margin_is_the_simulated_gain():
    """The simulated L_t - R_feat of the networks against the theory's gain Delta at two
    gamma_s on either side of the threshold (d = 150, 6 repetitions; the allowance is 4 standard
    errors plus the 1/d bias of the overlaps, 1/d)."""
    from fractions import Fraction

    from numerics.boundaries.multi_index import CRITICAL_GAMMA_S as b, margin
    from numerics.evaluate import evaluate

    exact = {k: v for k, v in b.reference.items() if k != "gamma_s"}
    point = {k: float(Fraction(v)) for k, v in exact.items()}
    grid = np.array([0.15, 0.6])
    d = 150
    m = np.array([margin(point, grid, d, np.random.default_rng(40 + r)) for r in range(6)])
    for i, g in enumerate(grid):
        theory = float(evaluate("multi_index.w2s_gain", {**exact, "gamma_s": repr(float(g)), "ce2": "0",
                                                          "ce3": "0", "ce4": "0"}))
        se = m[:, i].std(ddof=1) / np.sqrt(len(m))
        assert abs(m[:, i].mean() - theory) <= 4 * se + 1 / d, (g, m[:, i].mean(), theory, se)
    assert m[:, 0].mean() > 0 > m[:, 1].mean()


def test_probe_risk_is_the_feature_risk_of_the_subspace():
    """The fitted readout's test risk against the exact Gaussian identity for a subspace,
    R = Sy - c1^2 pi_e - c2^2 pi_h^2 (a linear easy and a quadratic hard link)."""
    from numerics.boundaries.multi_index import probe_risk
    from numerics.simulate.multi_index import hermite

    rng = np.random.default_rng(5)
    n = 200_000
    x = rng.standard_normal((3, n))
    y = 1.0 * x[0] + 0.5 * hermite(2, x[1]) + np.sqrt(0.1) * rng.standard_normal(n)
    angle = 0.6                       # the subspace: e2 and cos(a) e0 + sin(a) e1
    u = np.cos(angle) * x[0] + np.sin(angle) * x[1]
    pi_e, pi_h = np.cos(angle) ** 2, np.sin(angle) ** 2
    exact = 1 + 0.25 + 0.1 - pi_e - 0.25 * pi_h ** 2
    assert probe_risk([x[2], u], y, 2, n // 2) == pytest.approx(exact, abs=0.01)


def test_bbp_margin_has_the_papers_overlap_away_from_the_window():
    """Well above the BBP point the squared overlap is Paul's (2007) limit (1 - g/s^2)/(1 + g/s)
    (written out here); well below it is of order 1/d."""
    from numerics.boundaries.single_index import BBP_POINT as b, bbp_margin

    d, budget = 200, 1.0
    m = np.array([bbp_margin({"budget": budget}, np.array([0.3, 3.0]), d,
                             np.random.default_rng(r)) for r in range(6)])
    overlap2 = (m + 1) / d ** (1 / 3)
    g, s = 1 / budget, 3.0
    assert overlap2[:, 1].mean() == pytest.approx((1 - g / s**2) / (1 + g / s), abs=0.03)
    assert overlap2[:, 0].mean() < 10 / d
    assert b.asymptotic({"budget": "4"}) == 0.5 and b.asymptotic({"budget": "1"}) == 1.0


@pytest.mark.parametrize("model, assignments, message", [
    ("multi_index", {"gamma_s": "0.1:0.8", "ch2": "0"}, "at least one must be non-zero"),
    ("multi_index", {"gamma_s": "0:0.8"}, "gamma_s must be"),
    ("multi_index", {"gamma_s": "0.1:0.8", "zeta_h": "2"}, "zeta_h"),
    ("single_index", {"spike": "-1:2"}, "spike must be a number in (0, inf)"),
    ("single_index", {"spike": "0.5:2", "budget": "0"}, "budget must be a number in (0, inf)"),
])
def test_new_boundaries_refuse_bad_configurations(model, assignments, message):
    with pytest.raises(BoundaryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        prepare(model, assignments)


def test_multi_index_and_bbp_small_runs_locate_a_boundary(tmp_path):
    """Small runs end to end (the engine with the new margins): every located value is inside
    the interval and its own confidence interval."""
    for model, assignments, dims in [("multi_index", {"gamma_s": "0.12:0.8"}, [40, 80]),
                                     ("single_index", {"spike": "0.6:2.4"}, [60, 120]),
                                     ("single_index", {"budget": "0.8:2", "alpha": "2"},
                                      [50, 100])]:
        p = prepare(model, assignments, dims=dims, reps=4)
        r = run_boundary(p, tmp_path / f"{p.name}.db")      # one file per boundary, as the CLI
        assert [row["d"] for row in r.per_d] == dims
        for row in r.per_d:
            assert row["ci"][0] <= row["estimate"] <= row["ci"][1]
        assert np.isfinite(r.asymptotic) and np.isfinite(r.extrapolated.estimate)


@pytest.mark.slow
def test_pretraining_threshold_extrapolates_to_the_theory():
    """The threshold n_u*/d = 1.362 (arXiv:2605.05710, reference configuration) inside the
    extrapolated 95% interval from d = 200, 400 (32 repetitions, one to three minutes on two
    cores; measured 1.02 [0.42, 1.62]: two dimensions and the exponent 1 triple the noise),
    narrower than the version-1 margin's 2.59 [0.83, 4.02] from d = 200, 400, 800. The full
    default run (64 repetitions, d = 200, 400, 800: 1.52 [1.10, 1.88]) is measured in
    docs/boundaries.md."""
    import pathlib
    import tempfile

    p = prepare("single_index", {"budget": "0.8:2"}, dims=[200, 400], reps=32)
    r = run_boundary(p, pathlib.Path(tempfile.mkdtemp()) / "b.sqlite", n_jobs=2)
    assert not any(row["censored"] for row in r.per_d), r.per_d
    f = r.extrapolated
    assert f.ci[0] <= r.asymptotic <= f.ci[1], f
    assert f.ci[1] - f.ci[0] < 1.5, f


def test_censored_dimensions_are_marked_and_the_fit_falls_back_to_all_of_them(tmp_path):
    """An interval wholly above the ridge boundary (0.242): every d is censored at its lower
    end; with fewer than two uncensored dimensions the fit uses all of them."""
    p = prepare("ridge", {"lam_t": "0.4:0.6"}, dims=[40, 80], reps=4)
    r = run_boundary(p, tmp_path / "b.sqlite")
    assert [row["estimate"] for row in r.per_d] == [0.4, 0.4]
    assert all(row["censored"] and row["in_fit"] for row in r.per_d)
    assert all(row["in_fit"] for row in r.as_json()["per_d"])
