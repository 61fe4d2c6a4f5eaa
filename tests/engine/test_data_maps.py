"""Maps that mean something for data (issue 25, item 4): a dataset's maps are coloured by
the final training loss or by the steps to a target loss, never one uniform colour where the
runs differ; a map's races are capped so that a map finishes whatever the step limit."""

from __future__ import annotations

import numpy as np

from descentlab import engine
from descentlab.engine.maps import races as maps


def _colours(rgba: np.ndarray) -> int:
    return len({tuple(c) for c in rgba.reshape(-1, 4)})


def test_a_dataset_hyper_map_is_coloured_by_its_final_loss():
    p = engine.DatasetProblem("xor", "mlp")
    xv, yv = maps.axis_grid("adam", "lr", 4), maps.axis_grid("adam", "beta1", 3)
    m = engine.hyper_map(p, "adam", p.default_start, x=("lr", xv), y=("beta1", yv), steps=60,
                         batch_size=8)
    assert (m.steps < 0).all()  # no minimum to reach: the old colouring was one grey
    ok = ~m.diverged
    assert len(np.unique(m.final_loss[ok])) > 1
    rgba = maps.loss_rgba(m.final_loss, m.diverged)
    shade = maps.loss_shade(np.where(ok, m.final_loss, np.nan))
    assert len(np.unique(shade[ok])) == len(np.unique(m.final_loss[ok]))  # each loss its own shade
    assert _colours(rgba[ok]) >= 4  # and colours to tell them apart
    lowest = np.unravel_index(np.where(ok, m.final_loss, np.inf).argmin(), m.final_loss.shape)
    assert tuple(rgba[lowest][:3]) == tuple(maps.SPEED_LUT[0].astype(np.uint8))  # yellow
    # the checkpoints: every cell's loss, the last one its final loss
    assert m.trace_steps[0] == 0 and m.trace_steps[-1] == 60
    assert (np.diff(m.trace_steps) > 0).all() and len(m.trace_steps) <= maps.TRACE_POINTS + 1
    assert np.array_equal(m.trace[..., -1][ok], m.final_loss[ok])


def test_steps_to_a_target_loss():
    p = engine.DatasetProblem("xor", "mlp")
    xv = maps.axis_grid("gd", "lr", 6)
    m = engine.hyper_map(p, "gd", p.default_start, x=("lr", xv), steps=200)
    target = m.default_target()
    assert target == m.best_loss * 1.05
    to = m.steps_to(target)
    assert (to >= 0).any() and (to[to >= 0] <= 200).all()
    best = np.unravel_index(np.where(np.isfinite(m.trace), m.trace, np.inf).min(axis=-1).argmin(),
                            to.shape)
    assert to[best] >= 0  # the best cell reaches the default target
    for j, i in zip(*np.nonzero(to >= 0), strict=True):  # the first checkpoint at or under it
        c = int(np.searchsorted(m.trace_steps, to[j, i]))
        assert m.trace[j, i, c] <= target and (m.trace[j, i, :c] > target).all()
    rgba = maps.target_rgba(to, m.diverged)
    assert _colours(rgba) > 1
    assert (m.steps_to(-1.0) == -1).all()  # nothing reaches a loss below 0


def test_losses_too_close_for_a_log_still_shade_apart():
    s = maps.loss_shade(np.array([1.0, 1.0 + 1e-12, 1.0 + 2e-12, np.nan]))
    assert s[0] == 0.0 and s[2] == 1.0 and 0 < s[1] < 1 and np.isnan(s[3])
    assert (maps.loss_shade(np.array([2.0, 2.0])) == 0).all()


def test_a_basin_map_keeps_its_final_loss_and_trace():
    p = engine.DatasetProblem("line", "linear")
    x0, x1, y0, y1 = p.domain
    m = engine.basin_map(p, "sgd", np.linspace(x0, x1, 4), np.linspace(y0, y1, 3), 50, lr=0.05)
    assert m.final_loss.shape == (3, 4) and m.trace.shape[:2] == (3, 4)
    assert len(np.unique(m.final_loss)) > 1
    assert _colours(maps.loss_rgba(m.final_loss, m.which == -1)) > 1


def test_map_steps_caps_a_long_step_limit():
    rosen = engine.as_problem("rosenbrock")
    assert maps.map_steps(rosen, 96 * 96, 500) == 500  # a short limit stays
    capped = maps.map_steps(rosen, 96 * 96, 10**9)
    assert 1000 <= capped < 10**6
    assert str(capped)[0] in "125" and set(str(capped)[1:]) <= {"0"}  # 1, 2 or 5 × 10ᵏ
    assert capped * 96 * 96 * maps.CHEAP_STEP_SECONDS <= maps.MAP_SECONDS
    mlp = engine.DatasetProblem("xor", "mlp")
    small = maps.map_steps(mlp, 32 * 32, 10**9, {"batch_size": 8})
    full = maps.map_steps(mlp, 32 * 32, 10**9, {"batch_size": None})
    assert maps.MIN_MAP_STEPS <= full <= small < capped  # a bigger step, fewer steps


def test_a_map_of_l_bfgs_counts_its_evaluations_a_step():
    """One L-BFGS step makes up to max_eval evaluations (torch's None: max_iter·5/4): its
    maps race proportionally fewer steps, so they cost what a first-order method's do."""
    assert maps.evaluations_per_step("adam", {"lr": 0.1}) == 1
    assert maps.evaluations_per_step("lbfgs") == 25
    assert maps.evaluations_per_step("lbfgs", {"max_iter": 4}) == 5
    assert maps.evaluations_per_step("lbfgs", {"max_eval": 7}) == 7
    rosen = engine.as_problem("rosenbrock")
    one = maps.map_steps(rosen, 96 * 96, 10**9)
    lbfgs = maps.map_steps(rosen, 96 * 96, 10**9, evaluations=25)
    cost = 25 * 96 * 96 * maps.CHEAP_STEP_SECONDS  # a step's worst case, every cell
    assert lbfgs * cost <= maps.MAP_SECONDS < one * cost
    assert maps.map_steps(rosen, 96 * 96, 40, evaluations=25) == 40  # a short limit stays


def test_a_map_with_a_step_limit_of_a_billion_finishes():
    rosen = engine.as_problem("rosenbrock")
    steps = maps.map_steps(rosen, 8 * 8, 10**9, seconds=0.02)
    assert steps < 10**9
    m = engine.hyper_map(rosen, "gd", x=("lr", maps.axis_grid("gd", "lr", 8)), steps=steps)
    assert m.n_steps == steps and m.trace_steps[-1] == steps
