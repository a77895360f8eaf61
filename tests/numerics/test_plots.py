"""Figures: a legend entry for every line, mark and shaded region; vector output; progress."""

import pytest

from numerics.plots import draw, figures, plot

LEGENDS = {
    "student-risk": [r"student, $\lambda_t=0.02$", r"teacher $\mathcal{L}_t$ (same colour)",
                     r"simulation $\pm 2$ SE"],
    "phase-diagram": [r"some $\lambda_s$ wins: $B/A > \rho_c(\gamma_s)$",
                      r"derived boundary $B/A = \rho_c(\gamma_s)$",
                      r"$\gamma_s = 1$ (jump of $\rho_c$)",
                      r"brute force over $\lambda_s$: wins", "brute force: does not win"],
    "alignment-region": [r"some $\lambda_s$ wins (gain $> 0$, minimum over $\lambda_s$)",
                         r"sufficient bound $\zeta_0$: no win below it", r"$\gamma_s = 1$"],
    "multi-index-alignment": [r"$\mathcal{A}(W_1^s, u_h)$", r"$\mathcal{A}(W_1^s, u_e)$",
                              r"$C(W_1^s, u_h)$", r"$C(W_1^s, u_e)$",
                              r"simulation $\pm 2$ SE (same colour)"],
    "multi-index-forgetting": [r"state evolution, $\tilde\eta_s = 1$",
                               r"simulation, correlation loss, $\tilde\eta_s = 1$",
                               r"simulation, squared loss, $\tilde\eta_s = 2$"],
    "multi-index-w2s-region": [r"W2S in features: $\Delta > 0$", r"no W2S: $\Delta < 0$",
                               r"derived threshold $\gamma_s^*$"],
    "gd-risk-vs-time": ["exact risk (the reduced GD map)",
                        "generalisation bound (arXiv:2605.05710)", r"saturation $\varphi(\rho_w)$",
                        "simulation, PCA start (d=100)"],
    "sgd-phase-portrait": [r"stable $q = 0$"],
    "pgr-vs-budget": [r"theory, $d \to \infty$ then $\alpha \to \infty$",
                      "pre-training threshold (arXiv:2605.05710)", r"BBP point $n_u/d = 1/\lambda^2$",
                      "simulation d=60"],
    "pgr-emergence": [r"gain $\Delta_k$, per checkpoint", "90% bootstrap CI"],
}


@pytest.mark.parametrize("name", sorted(LEGENDS))
def test_every_mark_line_and_region_has_a_legend_entry(name):
    texts = draw(name, quick=True)
    for entry in LEGENDS[name]:
        assert entry in texts, (name, texts)


@pytest.mark.slow
def test_convergence_fit_is_consistent_with_the_exact_curve():
    texts = draw("convergence", quick=True)
    fit = [t for t in texts if t.startswith("fit: slope")][0]
    exact = [t for t in texts if t.startswith("exact:")][0]
    slope, se = (float(x) for x in fit.replace("$\\pm$", "").split("slope")[1].split())
    exact_slope = float(exact.split("slope ")[1].rstrip(")"))
    assert any(t.startswith("simulation") for t in texts)
    assert abs(slope - exact_slope) <= 3 * se + 0.05, (slope, se, exact_slope)


def test_vector_output_and_progress(tmp_path, capsys):
    for suffix in (".svg", ".pdf"):
        path = plot("phase-diagram", tmp_path / f"phase{suffix}", quick=True)
        assert path.stat().st_size > 1000
    assert (tmp_path / "phase.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(ValueError, match="must end in"):
        plot("phase-diagram", tmp_path / "phase.jpg", quick=True)
    assert set(LEGENDS) | {"convergence", "gain-vs-zeta2"} <= set(figures())
