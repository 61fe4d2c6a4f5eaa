"""A loss curve at the floating-point floor draws as a line (issue 25, item 5): loss − f*
that is only rounding (0, 1, 2 ulp of f*) is drawn at one level, not zig-zagging over
decades of a log axis as a filled band; a real descent above the floor is drawn as it is."""

import numpy as np
import pytest

from descentlab.gui.plots.loss_plot import FLOOR, LossView


@pytest.mark.parametrize("f_min", [-1.0316284534898774, 1234.5, 0.2263])
def test_jitter_of_a_few_ulps_of_f_star_is_one_level(qtbot, f_min):
    view = LossView()
    qtbot.addWidget(view)
    view._f_min = f_min
    ulp = np.spacing(abs(f_min))
    losses = f_min + ulp * np.array([0, 1, 2, 0, 3, 1, -1, 2, 4])
    assert np.ptp(losses - f_min) > 0  # the raw gaps jitter over decades of a log axis …
    assert np.ptp(view.gap(losses)) == 0  # … the curve is drawn at one level: a line
    descent = f_min + np.array([1e-1, 1e-3, 1e-6, 1e-9])
    expected = np.log10(np.maximum(descent - f_min, FLOOR))
    assert np.array_equal(view.gap(descent), expected)  # above the floor nothing changes
