"""numerics.checkpoints: estimates against independent computations, input validation, and the
statistical behaviour of ``theory/checkpoints.md`` section 6 (Monte Carlo over synthetic data)."""

import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from numerics.checkpoints import (CheckpointData, CheckpointDataError, analyse, bootstrap,
                                  ceiling_emergence, change_point, default_theory_profile,
                                  fieller, normal_quantile, population_score, pythia_steps, read,
                                  read_aggregate, read_examples, synthesize)

# --------------------------------------------------------------------------------------------
# building blocks against independent computations


def test_pythia_schedule():
    s = pythia_steps()
    assert len(s) == 154 and s[10] == 512 and s[11] == 1000 and s[-1] == 143000
    assert np.all(np.diff(s) > 0)


def test_population_score_matches_page_anchor_and_monte_carlo():
    # page: true_weak = 0.669 for P_w = 0.70; independent Monte Carlo of E sigma(logit p + u)
    value = float(population_score(0.70))
    assert round(value, 3) == 0.669
    rng = np.random.default_rng(0)
    u = rng.standard_normal(2_000_000)
    mc = 1 / (1 + np.exp(-(math.log(0.7 / 0.3) + u)))
    assert abs(mc.mean() - value) < 4 * mc.std() / math.sqrt(len(u))
    assert float(population_score(0.3, s_item=0.0)) == pytest.approx(0.3, abs=1e-15)


def test_normal_quantile_literature_values():
    assert normal_quantile(0.95) == pytest.approx(1.6448536269514722, abs=1e-15)
    assert normal_quantile(0.975) == pytest.approx(1.959963984540054, abs=1e-15)


def _brute_force_change(y, m):
    best = None
    for j in range(m, len(y) - m + 1):
        sse = ((y[:j] - y[:j].mean()) ** 2).sum() + ((y[j:] - y[j:].mean()) ** 2).sum()
        if best is None or sse < best[0] - 1e-12:
            best = (sse, j)
    return best[1]


def test_change_point_is_the_least_squares_split():
    rng = np.random.default_rng(1)
    for _ in range(30):
        L, m = rng.integers(8, 60), rng.integers(1, 4)
        y = rng.normal(size=L) + (np.arange(L) >= rng.integers(m, L - m)) * rng.normal(0, 2)
        assert change_point(y, m) == _brute_force_change(y, m)


def test_change_point_matches_ruptures_dynp():
    ruptures = pytest.importorskip("ruptures")
    rng = np.random.default_rng(2)
    for _ in range(30):
        L = int(rng.integers(10, 80))
        y = rng.normal(size=L) + (np.arange(L) >= rng.integers(3, L - 3)) * rng.normal(0, 1.5)
        expected = ruptures.Dynp(model="l2", min_size=3, jump=1).fit(y[:, None]).predict(
            n_bkps=1)[0]
        assert change_point(y, 3) == expected


def test_fieller_interval_solves_its_defining_inequality():
    delta, gamma, v_dd, v_gg, v_dg = 0.05, 0.12, 4e-4, 5e-4, 2e-4
    lo, hi = fieller(delta, gamma, v_dd, v_gg, v_dg, alpha=0.10)
    z2 = 1.6448536269514722 ** 2

    def excess(rho):
        return (delta - rho * gamma) ** 2 - z2 * (v_dd - 2 * rho * v_dg + rho ** 2 * v_gg)

    assert abs(excess(lo)) < 1e-15 and abs(excess(hi)) < 1e-15
    grid = np.linspace(lo - 1, hi + 1, 2001)
    inside = (grid >= lo) & (grid <= hi)
    assert np.all(excess(grid[inside]) <= 1e-15) and np.all(excess(grid[~inside]) > 0)
    # bounded iff gamma^2 / v_gg > z^2
    v_edge = gamma ** 2 / z2
    assert fieller(delta, gamma, v_dd, v_edge * 0.99, 0.0) is not None
    assert fieller(delta, gamma, v_dd, v_edge * 1.01, 0.0) is None


def test_fieller_agrees_with_bootstrap_on_single_seed_data():
    # one seed: the examples bootstrap and Fieller's paired covariance estimate the same thing
    data = synthesize("logistic", seed=5, n_seeds=1, n_eval=2000).data
    a = analyse(data, B=2000, seed=1, detectors=False)
    t = a.table
    # two routes to "the ratio is defined": bootstrap CI of the gap above 0, Fieller bounded
    bounded = ~np.isnan(t["fieller_lo"]) & (t["gap"] > 0)
    assert np.array_equal(a.defined, bounded)
    for k in (60, 100, 150):
        assert a.defined[k]
        width = t["pgr_hi"][k] - t["pgr_lo"][k]
        assert abs(t["fieller_lo"][k] - t["pgr_lo"][k]) < 0.15 * width
        assert abs(t["fieller_hi"][k] - t["pgr_hi"][k]) < 0.15 * width


def test_parametric_bootstrap_sd_is_binomial():
    d = synthesize("step", seed=0).data
    agg = CheckpointData(d.steps, d.weak.mean(axis=(1, 2), keepdims=True),
                         d.w2s.mean(axis=(1, 2), keepdims=True)[:, :1],
                         d.ceiling.mean(axis=(1, 2), keepdims=True)[:, :1],
                         {"weak": (0,), "w2s": (0,), "ceiling": (0,)}, n_eval=500)
    rep = bootstrap(agg, "parametric", B=4000, rng=0)
    p = agg.means()["w2s"]
    se_formula = np.sqrt(p * (1 - p) / 500)
    # sd of a sample sd of 4000 normal-ish draws: relative se ~ 1/sqrt(2 * 4000) = 1.1%
    assert np.allclose(rep.w2s.std(axis=0), se_formula, rtol=0.06)
    assert np.ptp(rep.weak, axis=1).max() == 0  # one fixed weak model: one draw per replicate


def test_ceiling_emergence_and_statuses_on_small_data():
    assert ceiling_emergence([-0.2, 0.1, -0.01, 0.05, 0.2]) == 3
    steps = np.arange(9) * 10
    weak = np.full((9, 2, 1), 0.6)
    ceil = np.array([0.5, 0.55, 0.6, 0.6, 0.7, 0.8, 0.8, 0.8, 0.8])[:, None, None] + \
        np.array([-0.01, 0.01])[None, :, None]
    ceil[2:4] = 0.6  # exactly equal to the weak score in both seeds
    w2s = weak + 0.5 * (ceil - weak)
    data = CheckpointData(steps, weak, w2s, ceil, {r: (0, 1) for r in ("weak", "w2s", "ceiling")})
    a = analyse(data, B=100, min_size=2, detectors=False)
    status = list(a.table["status"])
    assert status[2] == status[3] == "zero_gap"
    assert status[0] == "ceiling_below_weak"
    # PGR exactly 0.5: the student lands between weak and ceiling
    assert all(s == "partial_recovery" for s in status[4:])
    assert np.isnan(a.table["pgr"][:4]).all() and np.isnan(a.table["pgr_raw"][2:4]).all()
    assert a.to_dict()["checkpoints"][2]["pgr"] is None
    assert np.allclose(a.table["pgr"][4:], 0.5)


# --------------------------------------------------------------------------------------------
# properties (Hypothesis)


def _small(seed, K=9, S=3, n=40):
    rng = np.random.default_rng(seed)
    base = rng.random(n)
    weak = (rng.random((1, 1, n)) < 0.6 + 0.2 * base).astype(float)
    up = np.linspace(-0.2, 0.3, K)[:, None, None]
    ceil = (rng.random((K, S, n)) < np.clip(0.6 + up + 0.1 * base, 0, 1)).astype(float)
    w2s = (rng.random((K, S, n)) < np.clip(0.6 + 0.5 * up + 0.1 * base, 0, 1)).astype(float)
    seeds = tuple(range(S))
    return CheckpointData(np.arange(K) * 100, weak, w2s, ceil,
                          {"weak": (0,), "w2s": seeds, "ceiling": seeds}, per_example=True,
                          n_eval=n)


@given(seed=st.integers(0, 10_000), a=st.floats(0.1, 10) | st.floats(-10, -0.1),
       b=st.floats(-5, 5))
def test_pgr_invariant_under_affine_rescaling(seed, a, b):
    data = _small(seed)
    scaled = CheckpointData(data.steps, a * data.weak + b, a * data.w2s + b, a * data.ceiling + b,
                            data.seeds, per_example=True, n_eval=data.n_eval)
    x = analyse(data, B=50, seed=1, min_size=2, detectors=False)
    y = analyse(scaled, B=50, seed=1, min_size=2, detectors=False, higher_is_better=a > 0)
    assert list(x.table["status"]) == list(y.table["status"])
    for column in ("pgr", "pgr_lo", "pgr_hi", "pgr_raw"):
        assert np.allclose(x.table[column], y.table[column], equal_nan=True, rtol=1e-9,
                           atol=1e-9)


@given(seed=st.integers(0, 10_000), perm=st.permutations(range(3)))
def test_gain_unchanged_by_permuting_seeds(seed, perm):
    data = _small(seed)
    shuffled = CheckpointData(data.steps, data.weak, data.w2s[:, list(perm)],
                              data.ceiling[:, list(perm)], data.seeds, per_example=True)
    x = analyse(data, B=20, min_size=2, detectors=False).table
    y = analyse(shuffled, B=20, min_size=2, detectors=False).table
    assert np.allclose(x["gain"], y["gain"], rtol=0, atol=1e-14)
    assert np.allclose(x["gap"], y["gap"], rtol=0, atol=1e-14)


@given(seed=st.integers(0, 10_000), boot=st.integers(0, 2 ** 32 - 1))
def test_bootstrap_deterministic_given_seed(seed, boot):
    data = _small(seed)
    x = analyse(data, B=30, seed=boot, min_size=2, detectors=False).to_dict()
    y = analyse(data, B=30, seed=boot, min_size=2, detectors=False).to_dict()
    x["provenance"].pop("versions"), y["provenance"].pop("versions")
    assert x == y


@given(seed=st.integers(0, 10_000))
def test_zero_gap_when_ceiling_equals_weak(seed):
    data = _small(seed)
    flat = CheckpointData(data.steps, data.weak, data.w2s,
                          np.broadcast_to(data.weak, data.ceiling.shape[:2] + (40,)).copy(),
                          {**data.seeds, "ceiling": (0, 1, 2)}, per_example=True)
    a = analyse(flat, B=20, min_size=2, detectors=False)
    assert set(a.table["status"]) == {"zero_gap"} and a.k0 is None
    assert all(row["pgr"] is None and row["pgr_raw"] is None
               for row in a.to_dict()["checkpoints"])


# --------------------------------------------------------------------------------------------
# reading and validation


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


GOOD = "step,seed,weak,w2s,ceiling\n" + "".join(
    f"{s},{seed},0.7,{0.6 + s / 1e4 + 0.01 * seed + 0.1 * (s >= 700)},{0.5 + s / 1e3}\n"
    for s in range(0, 1200, 100) for seed in (1, 2))


@pytest.mark.parametrize("text, message", [
    ("", "the file is empty"),
    ("step,weak,w2s\n0,0.7,0.6\n", "missing column 'ceiling'"),
    ("step,weak,w2s,ceiling\n", "no data rows"),
    ("step,weak,w2s,ceiling\n0,0.7,abc,0.5\n", "row 2, column 'w2s': 'abc' is not a number"),
    ("step,weak,w2s,ceiling\n0,0.7,inf,0.5\n", "row 2, column 'w2s': 'inf' is not finite"),
    ("step,weak,w2s,ceiling\n-3,0.7,0.6,0.5\n", "row 2, column 'step': '-3' is not an integer"),
    ("step,weak,w2s,ceiling\n0,0.7,0.6,0.5\n0,0.7,0.6,0.5\n", "row 3: duplicate"),
    ("step,seed,weak,w2s,ceiling\n0,1,0.7,0.6,0.5\n0,2,0.7,0.6,0.5\n1,1,0.7,0.6,0.5\n",
     "step 1 has no row for seed '2'"),
    ("step,weak,w2s,ceiling\n0,0.7,0.6\n", "row 2: 3 fields"),
])
def test_bad_aggregate_files(tmp_path, text, message):
    with pytest.raises(CheckpointDataError, match=message.replace("(", r"\(")):
        read_aggregate(_write(tmp_path, "a.csv", text))


def test_too_few_checkpoints(tmp_path):
    text = "step,weak,w2s,ceiling\n" + "".join(f"{s},0.7,0.6,0.8\n" for s in range(6))
    with pytest.raises(CheckpointDataError, match="6 checkpoints; at least 7"):
        read(_write(tmp_path, "a.csv", text))


def _examples_text(drop=None, extra=""):
    rows = ["step,seed,role,example_id,score"]
    rows += [f"-1,0,weak,{e},{e % 2}" for e in range(4)]
    for s in range(0, 700, 100):
        for seed in (1, 2):
            for r in ("w2s", "ceiling"):
                for e in range(4):
                    if (s, seed, r, e) != drop:
                        rows.append(f"{s},{seed},{r},{e},{(e + s // 100) % 2}")
    return "\n".join(rows) + "\n" + extra


def test_mismatched_example_sets(tmp_path):
    path = _write(tmp_path, "e.csv", _examples_text(drop=(300, 2, "w2s", 1)))
    with pytest.raises(CheckpointDataError,
                       match=r"\(step 300, seed '2', role w2s\) lacks example_id '1'"):
        read_examples(path)
    with pytest.warns(UserWarning, match="kept the 3 common examples of 4"):
        data = read_examples(path, intersect=True)[("", "")]
    assert data.w2s.shape == (7, 2, 3)


def test_duplicate_example_row(tmp_path):
    path = _write(tmp_path, "e.csv", _examples_text(extra="200,1,w2s,3,1\n"))
    with pytest.raises(CheckpointDataError, match=r"duplicate \(step, seed, role, example_id\)"):
        read_examples(path)


def test_unknown_role(tmp_path):
    path = _write(tmp_path, "e.csv", _examples_text(extra="200,1,teacher,9,1\n"))
    with pytest.raises(CheckpointDataError, match="column 'role': 'teacher' is not one of"):
        read_examples(path)


def test_aggregate_must_match_example_means(tmp_path):
    ex = _write(tmp_path, "e.csv", _examples_text())
    data = read_examples(ex)[("", "")]
    rows = ["step,seed,weak,w2s,ceiling"]
    for k, s in enumerate(data.steps):
        for j, seed in enumerate(data.seeds["w2s"]):
            rows.append(f"{s},{seed},{float(data.weak.mean())!r},"
                        f"{float(data.w2s[k, j].mean())!r},{float(data.ceiling[k, j].mean())!r}")
    good = _write(tmp_path, "a.csv", "\n".join(rows) + "\n")
    assert read(good, ex)[("", "")].per_example
    rows[5] = rows[5].rsplit(",", 1)[0] + ",0.123"
    bad = _write(tmp_path, "b.csv", "\n".join(rows) + "\n")
    with pytest.raises(CheckpointDataError, match="column 'ceiling': 0.123 differs from the mean"):
        read(bad, ex)


def test_synthetic_round_trip_through_csv(tmp_path):
    s = synthesize("step", seed=2, n_eval=60)
    agg, ex = s.write(tmp_path / "syn.csv")
    data = read(agg, ex)[("synthetic", "pythia-like/step")]
    for r in ("weak", "w2s", "ceiling"):
        assert np.array_equal(data.role(r), s.data.role(r))
    assert data.metric == "accuracy"
    aggregate_only = read(agg)[("synthetic", "pythia-like/step")]
    assert np.allclose(aggregate_only.means()["w2s"], s.data.means()["w2s"], atol=1e-12)


def test_modes_follow_the_data(tmp_path):
    a = read(_write(tmp_path, "a.csv", GOOD))[("", "")]
    assert analyse(a, B=50).provenance["bootstrap_mode"] == "seeds"
    one = CheckpointData(a.steps, a.weak[:, :1], a.w2s[:, :1], a.ceiling[:, :1],
                         {r: (1,) for r in ("weak", "w2s", "ceiling")})
    res = analyse(one, B=50)
    assert res.provenance["bootstrap_mode"] == "residual" and res.test is None
    assert res.change is not None and res.change["resampling"] == "residual"
    with pytest.raises(CheckpointDataError, match="'parametric' needs the n_eval column"):
        analyse(one, mode="parametric")


# --------------------------------------------------------------------------------------------
# the synthetic generator and its theory mode


def test_synthetic_truth_orders_ceiling_before_emergence():
    s = synthesize("logistic", seed=0)
    t = s.truth
    assert t["k0"] < t["k_change"]
    assert np.all(t["gap"][t["k0"]:] > 0) and t["gap"][t["k0"] - 1] <= 0
    # after emergence the true PGR approaches pgr_hi on the latent scale (smaller after the
    # item-difficulty average); independent: the latent formula at the last checkpoint
    latent = s.truth["latent"]
    assert (latent["w2s"][-1] - 0.7) / (latent["ceiling"][-1] - 0.7) == pytest.approx(0.45,
                                                                                       abs=1e-3)
    null = synthesize("null", seed=0).truth
    assert np.allclose(null["gain"][null["k0"]:], 0, atol=1e-12) and null["k_change"] is None


def test_theory_mode_default_is_computed_by_the_theory():
    """The default profile's thresholds and PGR come from theory.single_index (set D), and agree
    with pretraining.md's 10-digit values and the explicit profile's placement."""
    from numerics.checkpoints import single_index_profile

    profile = single_index_profile()
    assert profile.thresholds["ceiling"] == pytest.approx(1.309711265, abs=1e-9)
    assert profile.thresholds["w2s"] == pytest.approx(1.362020910, abs=1e-9)
    s = synthesize("theory", seed=0, s_item=0.0, seed_sd=0.0)
    steps = s.data.steps
    assert steps[s.truth["k0"]] == 96000 and steps[s.truth["k_change"]] == 100000
    pgr = s.truth["pgr"]
    assert pgr[steps == 98000][0] < 0 < pgr[steps == 120000][0]
    a = analyse(s.data, B=200, detectors=False)
    assert a.steps[a.k0] == 96000 and a.change["step"] == 100000


def test_theory_mode_explicit_profile_is_the_pt_ordering():
    s = synthesize("theory", seed=0, s_item=0.0, seed_sd=0.0, theory=default_theory_profile())
    steps = s.data.steps
    assert steps[s.truth["k0"]] == 96000 and steps[s.truth["k_change"]] == 100000
    # with s_item = 0 the truth is the profile itself: PGR = -lag/gap before, 0.45 after
    pgr = s.truth["pgr"]
    assert pgr[steps == 98000][0] == pytest.approx(-0.05 / 0.16)
    assert pgr[steps == 120000][0] == pytest.approx(0.45)
    a = analyse(s.data, B=200, detectors=False)
    assert a.steps[a.k0] == 96000 and a.change["step"] == 100000
    assert a.test["T"] > a.test["c"]


def test_theory_mode_accepts_a_custom_profile():
    from numerics.checkpoints import TheoryProfile

    def scores(nu):
        return 0.7, np.where(nu > 2, 0.78, 0.68), np.where(nu > 1, 0.85, 0.6)

    s = synthesize("theory", seed=0, theory=TheoryProfile(scores, step_scale=20000))
    steps = s.data.steps
    assert steps[s.truth["k0"]] == 21000 and steps[s.truth["k_change"]] == 41000
    with pytest.raises(ValueError, match="weak score must be constant"):
        synthesize("theory", theory=TheoryProfile(lambda nu: (nu / 1e9, nu, nu), 1.0))
    assert default_theory_profile().step_scale == 73000


# --------------------------------------------------------------------------------------------
# statistical behaviour (checkpoints.md section 6): Monte Carlo over synthetic data sets.
# Acceptance bands are derived from the binomial standard error of the Monte Carlo proportion.

N_NULL, N_ALT, B_MC = 100, 60, 200


def _band(p, n, z=2.5):
    return z * math.sqrt(p * (1 - p) / n)


@pytest.mark.slow
def test_false_emergence_rate_at_most_nominal_on_null_data():
    rejections = []
    for i in range(N_NULL):
        a = analyse(synthesize("null", seed=10_000 + i).data, B=B_MC, seed=i, detectors=False)
        rejections.append(a.test["T"] > a.test["c"])
    rate = float(np.mean(rejections))
    assert rate <= 0.05 + _band(0.05, N_NULL), rate  # <= 0.105 with N = 100


@pytest.mark.slow
def test_power_pgr_coverage_and_change_location_coverage_on_logistic_emergence():
    detected, covered, located, widths, errors = [], [], [], [], []
    for i in range(N_ALT):
        s = synthesize("logistic", seed=20_000 + i)
        a = analyse(s.data, B=B_MC, seed=i, detectors=False)
        detected.append(a.test["T"] > a.test["c"])
        for k in (80, 110, 150):
            assert a.defined[k]
            covered.append(a.table["pgr_lo"][k] <= s.truth["pgr"][k] <= a.table["pgr_hi"][k])
        lo, hi = a.change["ci_k"]
        located.append(lo <= s.truth["k_change"] <= hi)
        widths.append(hi - lo)
        errors.append(abs(a.change["k_hat"] - s.truth["k_change"]))
    power, coverage, loc = np.mean(detected), np.mean(covered), np.mean(located)
    # reference implementation: power 0.925; require >= 0.80 (= 0.925 - 2.5 se at N = 60 ~ 0.84)
    assert power >= 0.80, power
    # PGR percentile CI, 90% nominal (reference 0.925-0.933): within 2.5 binomial se of nominal,
    # counting 3 checkpoints per data set as N_ALT * 3 draws
    assert abs(coverage - 0.90) <= _band(0.90, 3 * N_ALT), coverage
    # change-location CI: conservative by design; the page asks >= 0.85
    assert loc >= 0.85, loc
    assert np.median(errors) <= 2 and np.median(widths) <= 12


@pytest.mark.slow
def test_step_emergence_located_exactly_and_weak_jump_has_lower_power():
    located, exact, detected = [], [], []
    for i in range(30):
        s = synthesize("step", seed=30_000 + i)
        a = analyse(s.data, B=B_MC, seed=i, detectors=False)
        lo, hi = a.change["ci_k"]
        located.append(lo <= s.truth["k_change"] <= hi)
        exact.append(a.change["k_hat"] == s.truth["k_change"])
        weak = analyse(synthesize("logistic", seed=40_000 + i, pgr_hi=0.2).data, B=B_MC,
                       seed=i, detectors=False)
        detected.append(weak.test["T"] > weak.test["c"])
    assert np.mean(located) >= 0.85 and np.mean(exact) >= 0.5
    # reference power at pgr_hi = 0.2: 0.40; it must stay clearly below the 0.925 of pgr_hi = 0.45
    assert 0.40 - _band(0.40, 30, 3) <= np.mean(detected) <= 0.80, np.mean(detected)


def test_optional_detectors_on_a_step():
    pytest.importorskip("ruptures")
    s = synthesize("step", seed=6)
    a = analyse(s.data, B=200, seed=0)
    truth = s.truth["k_change"]
    assert truth in a.detectors["pelt"]["k"] or min(
        abs(k - truth) for k in a.detectors["pelt"]["k"]) <= 1
    # the hinge onset is continuous: it starts before or at the jump it approximates
    assert a.k0 <= a.detectors["hinge"]["k"] <= truth
    # the max-t band fires only after the change (it is conservative)
    assert a.detectors["sustained"] is None or a.detectors["sustained"]["k"] >= truth


def test_residual_mode_locates_a_clear_step_without_a_test():
    s = synthesize("step", seed=7, n_seeds=1, n_eval=5000)
    d = s.data
    one = CheckpointData(d.steps, d.weak.mean(axis=2, keepdims=True),
                         d.w2s.mean(axis=2, keepdims=True), d.ceiling.mean(axis=2, keepdims=True),
                         d.seeds)
    a = analyse(one, B=200)
    assert a.provenance["bootstrap_mode"] == "residual" and a.test is None
    lo, hi = a.change["ci_k"]
    assert lo <= s.truth["k_change"] <= hi and a.change["k_hat"] == s.truth["k_change"]
