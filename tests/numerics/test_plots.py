"""Figures: a legend entry for every line, mark and shaded region, no legend over data and no
text off the canvas (every registered figure); vector output; progress."""

import numpy as np
import pytest

from numerics.plots import draw, figure_function, figures, plot
from numerics.plots.layout import legend as place_legend, problems
from numerics.style import figure

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


@pytest.mark.parametrize("name", sorted(figures()))
def test_every_figure_has_its_legend_off_the_data_and_its_text_on_the_canvas(name):
    """Every figure of the catalogue (not a hand list): its legend entries, and the drawn
    layout measured by the renderer (legend box against the lines, marks, error bars and shaded
    regions in display coordinates; every text's extent against the canvas)."""
    with figure() as (fig, ax):
        figure_function(name)(ax, True)
        found = problems(fig)
        legend = ax.get_legend()
        texts = [t.get_text() for t in legend.get_texts()] if legend else []
    assert found == [], (name, found)
    for entry in LEGENDS.get(name, []):
        assert entry in texts, (name, texts)
    assert not any(r"\star" in t for t in texts)  # lambda^* is a real superscript star


def test_the_layout_check_sees_a_legend_over_data_and_text_off_the_canvas():
    with figure() as (fig, ax):
        x = np.linspace(0, 1, 100)
        ax.plot(x, x, label="diagonal")
        ax.legend(loc="center")
        ax.set_title("a title far too long for the canvas " * 6)
        found = problems(fig)
    assert "legend of axes 0 lies over plotted data" in found
    assert any(p.startswith("text 'a title far too long") for p in found)
    with figure() as (fig, ax):  # a shaded region under the legend counts as data
        ax.fill_between([0, 1], [0, 0], [1, 1], alpha=0.2, label="region")
        ax.set_xlim(0, 1), ax.set_ylim(0, 1)
        ax.legend(loc="upper right")
        assert problems(fig) == ["legend of axes 0 lies over plotted data"]
    with figure() as (fig, ax):  # a filled contour on a log axis (a non-affine transform)
        g = np.geomspace(0.1, 10, 30)
        ax.contourf(np.linspace(0, 1, 30), g, np.ones((30, 30)), levels=[0, 2], alpha=0.8)
        ax.set_yscale("log")
        ax.plot([], [], label="entry")
        ax.legend(loc="lower left")
        assert problems(fig) == ["legend of axes 0 lies over plotted data"]
    with figure() as (fig, ax):  # placed: off the data, inside where there is room
        ax.plot(x, x ** 2, label="parabola")
        ax.plot(x, 0 * x + 0.5, label="a level line across the axes")
        leg = place_legend(ax)
        assert problems(fig) == []
        assert leg.get_bbox_to_anchor().x0 <= ax.get_window_extent().x1  # still inside


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
