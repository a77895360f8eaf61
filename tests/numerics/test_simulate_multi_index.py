"""Mechanism 3 against the simulation of the actual two-layer networks (nonlinear.md section 4).

The student formulas are compared *conditionally*: at each repetition's realised teacher summary
(B_e, B_2, Q), paired, as the page prescribes. Tolerance: 4 standard errors plus the finite-size
allowance C (1 + |theory|)/d of the Monte Carlo route (the 1/d baselines of section 4).
"""

import numpy as np
import pytest

from numerics import vectorize
from numerics.simulate import SimulationError, simulate_forgetting, simulate_multi_index
from numerics.state_evolution import hard_component_path

Z, C = 4.0, 4.0
SA = dict(ce1=1.0, ch2=1.0, sigma2=0.25, gamma_t=0.5)


def close(sim, theory, d):
    """Paired comparison: ``sim`` and ``theory`` are arrays over repetitions (or theory scalar)."""
    diff = np.asarray(sim - theory, float)
    mean, se = diff.mean(axis=0), diff.std(axis=0, ddof=1) / np.sqrt(diff.shape[0])
    allowance = C * (1 + np.abs(np.mean(np.atleast_2d(np.asarray(theory, float).T).T, axis=0))) / d
    assert np.all(np.abs(mean) <= Z * se + allowance), (mean, se)


@pytest.mark.slow
@pytest.mark.parametrize("teacher", ["ideal", "ridge"])
def test_teacher_and_student_against_the_closed_forms(teacher):
    d, etas = 200, np.array([1.0, 4.0])
    r = simulate_multi_index(d=d, gamma_t=0.5, gamma_s=0.5, ce={1: 1}, ch={2: 1}, sigma2=0.25,
                             eta_t=3.0, eta_s=etas, theta=1.0, zeta_h=1.0, teacher=teacher,
                             reps=4, seed=11)
    close(r.teacher["overlap"], float(vectorize("multi_index.teacher_overlap")(**SA)), d)
    close(r.teacher["alignment"],
          float(vectorize("multi_index.teacher_alignment")(eta_t=3.0, **SA)), d)
    close(r.teacher["neuron_cos2"],
          float(vectorize("multi_index.teacher_neuron_cos2")(eta_t=3.0, **SA)), d)
    assert r.teacher["overlap_hard"].mean() < 5 / d  # a random direction: about 1/d
    summary = {k: r.summary[k][:, None] for k in ("B_e", "B_2", "Q")}
    common = dict(gamma_s=0.5, theta=1.0, zeta_h=1.0, eta_s=etas[None, :], **summary)
    for name in ("overlap", "alignment_hard", "alignment_easy", "neuron_cos2_hard",
                 "neuron_cos2_easy", "subspace_hard", "subspace_easy"):
        f = vectorize(f"multi_index.student_{name}_given_summary")
        cond = f(**{k: v for k, v in common.items() if k in f.parameters})
        close(r.student[name], np.broadcast_to(cond, r.student[name].shape), d)
    assert r.student["overlap_hard"].mean() < 5 / d


@pytest.mark.slow
def test_forgetting_over_steps_follows_the_state_evolution():
    d, c1 = 200, np.sqrt(8 / 17)
    params = dict(gamma_s=0.5, theta=1.0, zeta_h=1.0, eta_s=2.0)
    corr = simulate_forgetting(d=d, coefficients={1: c1}, steps=3, reps=3, seed=5, **params)
    path = hard_component_path(3, {k: str(v) for k, v in params.items()},
                               coefficients={1: f"{c1:.17f}"}, dps=15)
    se_path = np.array([float(p["hard_component"]) for p in path])
    close(corr["hard_component"], se_path, d)
    close(corr["alignment_hard"], np.array([float(p["alignment_hard"]) for p in path]), d)
    square = simulate_forgetting(d=d, coefficients={1: c1}, steps=3, reps=3, seed=5,
                                 loss="squared", **params)
    # F3 (conjecture): the squared loss forgets monotonically, and more slowly than F2
    sq = square["hard_component"].mean(axis=0)
    assert np.all(np.diff(sq[1:]) < 0) and np.all(sq[2:] > se_path[2:])


def test_simulation_input_errors_name_the_parameter():
    ok = dict(d=20, gamma_t=0.5, gamma_s=0.5, ce={1: 1}, ch={2: 1}, sigma2=0.25, eta_t=1.0,
              eta_s=1.0, theta=1.0, zeta_h=1.0, reps=2)
    for bad, text in [({"zeta_h": 2}, "zeta_h"), ({"ce": {1: 0}}, "non-zero first"),
                      ({"theta": -1}, "theta"), ({"teacher": "oracle"}, "teacher"),
                      ({"ch": {1: 1}}, "ch must map degrees 2")]:
        with pytest.raises(SimulationError, match=text):
            simulate_multi_index(**{**ok, **bad})
    with pytest.raises(SimulationError, match="loss"):
        simulate_forgetting(d=20, gamma_s=1, coefficients={1: 1}, theta=1, zeta_h=1, eta_s=1,
                            steps=1, loss="hinge")


def test_repetitions_do_not_depend_on_the_number_of_workers():
    kw = dict(d=24, gamma_t=0.5, gamma_s=0.5, ce={1: 1}, ch={2: 1}, sigma2=0.25, eta_t=1.0,
              eta_s=[1.0], theta=1.0, zeta_h=0.8, reps=2, seed=3)
    a = simulate_multi_index(**kw)
    b = simulate_multi_index(n_jobs=2, **kw)
    assert np.array_equal(a.student["alignment_hard"], b.student["alignment_hard"])


@pytest.mark.parametrize("shape", [(40, 30), (30, 40), (25, 25)])
def test_top_right_singular_vectors_span_what_the_full_svd_gives(shape):
    """The simulator takes only the top ``k`` right singular vectors (from the smaller Gram
    matrix): they span the subspace of NumPy's full SVD, to rounding."""
    from numerics.simulate.multi_index import _top_right

    rng = np.random.default_rng(7)
    M = rng.standard_normal(shape) + 3 * np.outer(rng.standard_normal(shape[0]),
                                                  rng.standard_normal(shape[1]))
    reference = np.linalg.svd(M, full_matrices=False)[2]
    for k in (1, 2):
        ours = _top_right(M, k)
        assert ours.shape == (k, shape[1])
        assert np.allclose(ours @ ours.T, np.eye(k), atol=1e-10)
        # the same subspace: the projectors agree
        assert np.allclose(ours.T @ ours, reference[:k].T @ reference[:k], atol=1e-9)
