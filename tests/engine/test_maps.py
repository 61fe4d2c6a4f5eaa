"""Maps (basins, hyperparameter maps, lr sweeps, tuning): every cell equals a single race."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.maps import races as maps


def single(problem, optimizer, start, steps, **kw):
    race = engine.Race(problem, history=2)
    race.add_run(optimizer, start, **kw)
    race.advance(steps)
    s = race.snapshot(history=False).runs[0]
    which = s.reached_minimum if s.reached_minimum is not None else (
        -1 if s.diverged_at is not None else -2)
    return which, (-1 if s.reached_at is None else s.reached_at), s.loss


BASIN_CASES = [
    ("himmelblau", "adam", 300, {"lr": 0.1}),
    ("himmelblau", "sgd", 200, {"lr": 0.02, "momentum": 0.9}),
    ("rosenbrock", "rmsprop", 300, {"lr": 0.01, "centered": True}),
    ("six_hump_camel", "nag", 200, {"lr": 0.02}),
    ("saddle", "gd", 150, {"lr": 0.1}),
    ("three_hump_camel", "adagrad", 200, {"lr": 0.5, "initial_accumulator_value": 0.1}),
    ("himmelblau", "nadam", 200, {"lr": 0.1, "schedule": "cosine", "T_max": 50}),
    ("beale", "lion", 200, {"lr": 0.05}),
]


@pytest.mark.parametrize(("surface", "opt", "steps", "hyper"), BASIN_CASES)
@pytest.mark.parametrize("threaded", [False, True])
def test_basin_map_equals_single_races_cell_by_cell(surface, opt, steps, hyper, threaded,
                                                     monkeypatch):
    if threaded:  # force the two-thread split and many small chunks (freezing between them)
        monkeypatch.setattr(maps, "THREADED_WORK", 0)
        monkeypatch.setattr(maps, "FIRST_CHUNK_WORK", 300)
        monkeypatch.setattr(maps, "CHUNK_SECONDS", 1e-9)  # one step a chunk
    p = engine.as_problem(surface)
    x0, x1, y0, y1 = p.domain
    xs, ys = np.linspace(x0, x1, 7), np.linspace(y0, y1, 5)
    m = engine.basin_map(surface, opt, xs, ys, steps, **hyper)
    assert m.which.shape == m.steps.shape == (5, 7)
    for j, y in enumerate(ys):
        for i, x in enumerate(xs):
            which, at, _ = single(surface, opt, (x, y), steps, **hyper)
            assert (m.which[j, i], m.steps[j, i]) == (which, at), (x, y)


def test_himmelblau_has_four_basins():
    m = engine.basin_map("himmelblau", "gd", np.linspace(-4.5, 4.5, 24),
                         np.linspace(-4.5, 4.5, 24), 500, lr=0.01)
    assert set(np.unique(m.which)) == {0, 1, 2, 3}


def test_basin_map_starts_out_of_the_box_and_on_a_minimum():
    p = engine.as_problem("bowl")
    mx, my = p.minima[0]
    m = engine.basin_map("bowl", "adam", [mx, 1e6], [my], 10, lr=0.1)
    assert (m.which[0, 0], m.steps[0, 0]) == (0, 0)
    assert m.which[0, 1] == -1


def test_basin_map_on_a_two_parameter_dataset_problem():
    p = engine.DatasetProblem("line", "linear")
    assert p.n_params == 2
    x0, x1, y0, y1 = p.domain
    xs, ys = np.linspace(x0, x1, 4), np.linspace(y0, y1, 3)
    for batch in (None, 8):
        m = engine.basin_map(p, "sgd", xs, ys, 150, lr=0.2, momentum=0.5, batch_size=batch)
        for j, y in enumerate(ys):
            for i, x in enumerate(xs):
                which, at, _ = single(p, "sgd", (x, y), 150, lr=0.2, momentum=0.5,
                                      batch_size=batch)
                assert (m.which[j, i], m.steps[j, i]) == (which, at)


HYPER_CASES = [
    ("ellipse", "sgd", "lr", "momentum", {}),
    ("rosenbrock", "adam", "lr", "beta1", {"beta2": 0.99}),
    ("himmelblau", "nag", "lr", "momentum", {}),
    ("beale", "adagrad", "lr", "initial_accumulator_value", {}),
    ("rosenbrock", "sgd", "momentum", "lr", {"schedule": "step", "step_size": 20}),
]


@pytest.mark.parametrize(("surface", "opt", "xn", "yn", "hyper"), HYPER_CASES)
@pytest.mark.parametrize("threaded", [False, True])
def test_hyper_map_equals_single_races_cell_by_cell(surface, opt, xn, yn, hyper, threaded,
                                                    monkeypatch):
    if threaded:
        monkeypatch.setattr(maps, "THREADED_WORK", 0)
        monkeypatch.setattr(maps, "FIRST_CHUNK_WORK", 200)
        monkeypatch.setattr(maps, "CHUNK_SECONDS", 1e-9)
    xv, yv = maps.axis_grid(opt, xn, 5), maps.axis_grid(opt, yn, 4)
    start = engine.as_problem(surface).default_start
    m = engine.hyper_map(surface, opt, start, x=(xn, xv), y=(yn, yv), steps=200, **hyper)
    assert m.steps.shape == m.final_loss.shape == (4, 5)
    for j, y in enumerate(yv):
        for i, x in enumerate(xv):
            which, at, loss = single(surface, opt, start, 200, **{**hyper, xn: x, yn: y})
            assert m.steps[j, i] == at and m.which[j, i] == which
            np.testing.assert_equal(m.final_loss[j, i], loss)


def test_hyper_map_validates_its_axes():
    with pytest.raises(ValueError, match="momentum"):
        engine.hyper_map("ellipse", "nag", None, x=("lr", [0.01]), y=("momentum", [0.0]))
    with pytest.raises(ValueError, match="lr"):
        engine.hyper_map("ellipse", "sgd", None, x=("lr", [-1.0]), y=("momentum", [0.5]))
    with pytest.raises(ValueError):
        engine.hyper_map("ellipse", "sgd", None, x=("lr", [0.1]), y=("lr", [0.2]))


def test_default_axes_and_log_grids():
    assert maps.default_axes("sgd") == ("lr", "momentum")
    assert maps.default_axes("adam") == ("lr", "beta1")
    assert maps.default_axes("momentum") == ("lr", "beta")
    assert maps.default_axes("gd") == ("lr", None)
    g = maps.axis_grid("sgd", "lr", 10)
    lo, hi = engine.get_optimizer("sgd").hyper_spec("lr").slider_range
    assert lo < g[0] < g[-1] < hi
    np.testing.assert_allclose(np.diff(np.log(g)), np.log(g[1] / g[0]))


@pytest.mark.parametrize("threaded", [False, True])
def test_a_set_cancel_flag_stops_a_map(threaded, monkeypatch):
    monkeypatch.setattr(maps, "FIRST_CHUNK_WORK", 100)
    monkeypatch.setattr(maps, "CHUNK_SECONDS", 1e-9)
    if threaded:
        monkeypatch.setattr(maps, "THREADED_WORK", 0)
    flag = threading.Event()
    calls = []

    def cancel():  # set after the first few chunks: the map stops between chunks
        calls.append(1)
        if len(calls) >= 3:
            flag.set()
        return flag.is_set()

    with pytest.raises(maps.Cancelled):
        engine.basin_map("rosenbrock", "adam", np.linspace(-2, 2, 10), np.linspace(-1, 3, 10),
                         100000, cancel=cancel, lr=1e-4)
    assert flag.is_set() and len(calls) < 50
    with pytest.raises(maps.Cancelled):  # an Event works too
        engine.hyper_map("ellipse", "sgd", None, x=("lr", [1e-3, 1e-2]), y=("momentum", [0.5]),
                         steps=1000, cancel=flag)


def test_lr_sweep_is_one_row_of_single_races():
    lrs = np.geomspace(1e-4, 1.0, 6)
    m = engine.lr_sweep("rosenbrock", "adam", None, lrs, 300)
    assert m.final_loss.shape == (1, 6)
    for i, lr in enumerate(lrs):
        _, at, loss = single("rosenbrock", "adam", None, 300, lr=lr)
        assert m.steps[0, i] == at and m.final_loss[0, i] == loss


@pytest.mark.parametrize(("surface", "opt", "hyper"), [
    ("rosenbrock", "adam", {}),
    ("ellipse", "sgd", {"momentum": 0.9}),
    ("himmelblau", "rmsprop", {"alpha": 0.9}),
    ("plateau", "gd", {}),
])
def test_tune_picks_the_best_lr_of_its_grid(surface, opt, hyper):
    res = engine.tune_lr(surface, opt, None, 300, **hyper)
    assert len(res.tried) > 25  # the first grid and at least one refinement
    # rank every lr it tried by independent single races
    best_key, best_lr = None, None
    for lr in res.tried:
        which, at, loss = single(surface, opt, None, 300, **{**hyper, "lr": lr})
        key = (at < 0, at, np.inf if which == -1 or not np.isfinite(loss) else loss)
        if best_key is None or key < best_key:
            best_key, best_lr = key, lr
    assert res.lr == best_lr
    assert res.old_lr == hyper.get("lr", engine.get_optimizer(opt).defaults["lr"])


def test_tune_race_keeps_each_runs_settings():
    race = engine.Race("himmelblau")
    a = race.add_run("sgd", (-1.0, -1.0), lr=1e-4, momentum=0.9)
    b = race.add_run("adam", lr=1e-3, schedule="cosine", T_max=200)
    out = engine.tune_race(race, 300)
    assert set(out) == {a, b}
    r = out[b]
    which, at, _ = single("himmelblau", "adam", None, 300, lr=r.lr, schedule="cosine", T_max=200)
    assert at == r.steps
    assert out[a].steps >= 0 and out[a].lr != 1e-4


def test_a_map_costs_its_grid():
    cells = maps._Cells(engine.as_problem("rosenbrock"), "adam", np.zeros((1000, 2)),
                        {"lr": 0.1}, {}, None, {})
    nbytes = sum(a.nbytes for a in cells.runs) + sum(a.nbytes for a in cells.hist)
    assert nbytes < 1000 * 600  # a few hundred bytes a cell, whatever the number of steps


def test_a_dataset_map_can_be_cancelled_while_it_sets_its_cells_up():
    flag = threading.Event()
    flag.set()
    p = engine.DatasetProblem("line", "linear")
    with pytest.raises(maps.Cancelled):
        engine.basin_map(p, "sgd", np.linspace(-1, 2, 40), np.linspace(-1, 1, 40), 100,
                         cancel=flag, lr=0.1)


def test_hyper_map_on_an_mlp_with_mini_batches_equals_single_races():
    p = engine.DatasetProblem("xor", "mlp")
    xv, yv = maps.axis_grid("adam", "lr", 4), maps.axis_grid("adam", "beta1", 3)
    m = engine.hyper_map(p, "adam", p.default_start, x=("lr", xv), y=("beta1", yv), steps=100,
                         batch_size=8, schedule="cosine", T_max=30)
    for j, y in enumerate(yv):
        for i, x in enumerate(xv):
            _, at, loss = single(p, "adam", p.default_start, 100, lr=x, beta1=y, batch_size=8,
                                 schedule="cosine", T_max=30)
            assert m.steps[j, i] == at and m.final_loss[j, i] == loss
