"""Checkpoint plots (`w2s pgr --plot` and the gallery's pgr-emergence): steps on a log axis,
robust y-limits, the house colours."""

import matplotlib
import numpy as np

matplotlib.use("Agg")

from numerics.checkpoints import analyse, synthesize  # noqa: E402
from numerics.plots.checkpoints import checkpoint_panels, robust_limits  # noqa: E402
from numerics.plots.layout import problems  # noqa: E402
from numerics.style import COLORS, figure  # noqa: E402


def test_robust_limits_ignore_one_absurd_bound_but_keep_every_estimate():
    est = np.array([0.1, -0.4, 0.3, 0.2])
    lo, hi = est - 0.1, est + 0.1
    hi[2] = 1e6  # one checkpoint's bootstrap blew up
    a, b = robust_limits(est, lo, hi)
    assert a <= -0.5 and b >= 0.3 and b < 1.0  # the band's reasonable bounds are shown
    assert a <= est.min() and b >= est.max()
    a2, b2 = robust_limits(est, lo, est + 0.1)  # without it: only that bound (0.4) differs
    assert abs(a2 - a) < 0.01 and 0 < b2 - b <= 0.1 + 0.01


def test_checkpoint_axes_are_steps_on_a_log_scale_in_the_house_colours():
    a = analyse(synthesize("step", seed=0).data, B=50, detectors=False)
    assert a.provenance["x_axis"] == "log_step"
    with figure() as (fig, ax):
        checkpoint_panels([ax], a)
        line = ax.get_lines()[0]
        assert ax.get_xscale() == "symlog"
        np.testing.assert_array_equal(line.get_xdata(), a.steps)  # steps, not log10(step+1)
        assert ax.get_xlabel() == "step (log scale)"
        assert matplotlib.colors.to_hex(line.get_color()) == COLORS[0].lower()
        assert problems(fig) == []
