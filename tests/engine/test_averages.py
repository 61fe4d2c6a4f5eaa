"""engine.maps.averages: ASGD's averaged point ax, from the path, against the engine's state."""

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.maps.averages import averaged_path


@pytest.mark.parametrize("steps", [3, 8, 40])
def test_the_average_from_the_path_is_asgds_own_ax(steps):
    race = engine.Race("bowl", noise=1.0, seed=3)
    uid = race.add_run("asgd", lr=0.05, t0=5.0, start=(-2.0, 1.0))
    race.advance(steps)
    run = race.snapshot().runs[0]
    assert run.stride == 1
    ax = averaged_path("asgd", run.hyper, run.path, run.stride)
    state_ax = race.explain(uid)["ax"]
    if steps < 7:  # μ = 1 up to step t₀ + 1: ax is θ, nothing to draw
        assert ax is None
        np.testing.assert_array_equal(state_ax, run.position)
    else:
        np.testing.assert_allclose(ax[-1], state_ax, rtol=1e-13, atol=1e-15)
        assert np.abs(ax[-1] - run.position).max() > 1e-3  # a second point, apart from the run's


def test_other_optimizers_and_the_default_t0_have_no_average_to_draw():
    path = np.zeros((50, 2))
    assert averaged_path("gd", {}, path) is None
    assert averaged_path("asgd", {"t0": 1e6}, path) is None
    with pytest.raises(ValueError, match=r"Invalid stride: 0 \(allowed: ≥ 1\)"):
        averaged_path("asgd", {"t0": 1.0}, path, 0)


def test_a_thinned_history_averages_the_points_it_kept():
    path = np.arange(20.0)[:, None] * np.array([[1.0, -1.0]])  # rows at steps 0, 4, 8, …
    ax = averaged_path("asgd", {"t0": 10.0}, path, stride=4)  # averaging from step 12 = row 3
    np.testing.assert_array_equal(ax[:3], path[:3])
    np.testing.assert_allclose(ax[-1], path[3:].mean(axis=0))
