"""Spectral initialisation (pretraining.md F1-F4) against the page's 10-digit anchors (sec. 4 claims 1-2)."""

import mpmath
import pytest

from numerics import ParameterError, evaluate, vectorize
from theory.spectral import budget_derivation


@pytest.mark.parametrize("spike, gamma_u, overlap2, top, edge", [
    ("1", "0.25", 0.6, 2.5, 2.25),
    ("2", "1", 0.5, 4.5, 4.0),
    ("0.7", "0.3", 0.2714285714, 2.428571429, 2.395445115),
    ("1.5", "2.5", 0.0, 6.662277660, 6.662277660),  # below BBP: no overlap, the bulk edge
])
def test_bbp_anchors(spike, gamma_u, overlap2, top, edge):
    p = {"spike": spike, "gamma_u": gamma_u}
    assert float(evaluate("spectral.overlap2", p, dps=30)) == pytest.approx(overlap2, abs=1e-10)
    assert float(evaluate("spectral.top_eigenvalue", p, dps=30)) == pytest.approx(top, rel=1e-9)
    assert float(evaluate("spectral.bulk_edge", gamma_u=gamma_u)) == pytest.approx(edge, rel=1e-9)


@pytest.mark.parametrize("spike, s, budget", [("1", "0.3", 1.197802198), ("0.7", "0.2", 2.185374150),
                                              ("2", "0.5", 0.5)])
def test_budget_anchors(spike, s, budget):
    assert float(evaluate("spectral.pretraining_budget", spike=spike, eta2_min=s)) == \
        pytest.approx(budget, rel=1e-9)


def test_budget_inverts_the_overlap():
    # N(spike, s) fed back into F2 gives overlap s exactly (an independent route: evaluation of F2)
    n = evaluate("spectral.pretraining_budget", spike="1.3", eta2_min="0.45", dps=40)
    eta2sq = evaluate("spectral.overlap2", spike="1.3", gamma_u=mpmath.nstr(1 / n, 45), dps=40)
    assert abs(eta2sq * 400 - 81) < 1e-30  # s^2 = 81/400 (exact integers: no global-context rounding)
    assert budget_derivation().steps[-1][1] == 0


def test_induced_overlaps_set_D():
    d = {"spike": 1, "gamma_u": "0.25", "eta1": "0.45"}
    assert float(evaluate("spectral.initial_q", {**d, "rho_w": "0.9"})) == \
        pytest.approx(0.3137116510, rel=1e-9)
    assert float(evaluate("spectral.initial_m", d)) == pytest.approx(0.3485685012, rel=1e-9)
    assert float(evaluate("spectral.overlap2", spike=1, gamma_u="0.25")) ** 0.5 == \
        pytest.approx(0.7745966692, rel=1e-9)
    assert float(evaluate("spectral.kappa", eta1="0.45", rho_w="0.9", zeta_vw="0.3")) == \
        pytest.approx(0.5217786367, rel=1e-9)


def test_float64_matches_mpmath_across_bbp():
    import numpy as np

    f = vectorize("spectral.overlap2")
    g = np.geomspace(1e-3, 1e3, 41)
    exact = [float(evaluate("spectral.overlap2", spike="1.7", gamma_u=x, dps=40)) for x in g]
    assert np.allclose(f(spike=1.7, gamma_u=g), exact, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("params, word", [({"spike": 0, "gamma_u": 1}, "spike"),
                                          ({"spike": 1, "gamma_u": -1}, "gamma_u")])
def test_bad_input_names_the_parameter(params, word):
    with pytest.raises(ParameterError, match=word):
        evaluate("spectral.overlap2", params)
    with pytest.raises(ParameterError, match="eta1 must be in \\[0, 1\\]"):
        evaluate("spectral.initial_m", spike=1, gamma_u=1, eta1="1.5")
