"""Seed fans drawn (engine.race.fans): one loss curve with its 10–90 % band, the repeats faint on
the map under one median path, mean ± sd in the leaderboard — one entry per fan everywhere."""

import math

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.files.scene import RunConfig
from descentlab.gui.control.controller import RunEntry
from descentlab.gui.map.map_widget import MapView, fan_key
from descentlab.gui.panels.leaderboard import Leaderboard
from descentlab.gui.plots.loss_plot import LossView
from descentlab.gui.problem_looks import look_for

N = 5


@pytest.fixture(scope="module")
def raced():
    race = engine.Race("rosenbrock", noise=3.0, seed=1)
    entries = []
    for i, (key, lr, repeats) in enumerate([("adam", 0.02, N), ("sgd", 5e-4, 1)]):
        uid = race.add_run(key, lr=lr, repeats=repeats)
        entries.append(RunEntry(uid, RunConfig(key, {"lr": lr}, repeats=repeats),
                                ("#e6194b", "#3cb44b")[i]))
    race.advance(300)
    return race, race.snapshot(), entries


def test_the_loss_view_draws_one_curve_and_a_band_holding_it(qtbot, raced):
    race, snap, entries = raced
    view = LossView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.set_problem(race.problem, look_for(race.problem).loss_axis)
    view.set_runs(entries)
    view.update_runs(snap, entries)
    fan_uid, plain_uid = entries[0].uid, entries[1].uid
    assert set(view.bands) == {fan_uid} and set(view.curves.records) == {fan_uid, plain_uid}
    x, low, high = view.bands[fan_uid].data()
    assert len(x) > 10 and np.all(low <= high) and np.any(low < high)
    curve = view.curves.records[fan_uid]
    median = np.interp(x, curve.xData, curve.yData)
    assert np.all(low <= median + 1e-12) and np.all(median <= high + 1e-12)
    assert view.bands[fan_uid].fill.brush().color().alpha() < 255  # see-through
    view.set_runs(entries[1:])  # the fan removed: its band goes with it
    assert view.bands == {}


def test_the_map_draws_the_repeats_faintly_under_the_median(qtbot, raced):
    race, snap, entries = raced
    view = MapView()
    qtbot.addWidget(view)
    view.resize(400, 400)
    look = look_for(race.problem)
    view.set_problem(look.map_frame(race.problem, race.problem.default_start, 1))
    view.set_runs(entries)
    view.update_runs(snap, entries)
    fan_uid = entries[0].uid
    faint = view.fan_paths.records
    assert set(faint) == {fan_key(fan_uid, k) for k in range(N)}
    fan = next(r for r in snap.runs if r.uid == fan_uid)
    for k in range(N):
        assert np.array_equal(faint[fan_key(fan_uid, k)].xData, fan.fan.paths[k, :, 0])
        assert faint[fan_key(fan_uid, k)].pen.color().alpha() < 255
    strong = view.paths.records[fan_uid]
    assert np.array_equal(strong.xData, np.median(fan.fan.paths[:, :, 0], axis=0))
    assert strong.pen.widthF() > faint[fan_key(fan_uid, 0)].pen.widthF()


def test_the_leaderboard_has_one_row_per_fan_with_mean_and_sd(qtbot, raced):
    race, snap, entries = raced
    board = Leaderboard(controller=None)
    qtbot.addWidget(board)
    board.f_min, board.minima_values = race.problem.f_min, ()
    board.update_runs(snap, entries)
    assert board.rowCount() == 2
    fan = next(r for r in snap.runs if r.uid == entries[0].uid)
    mean, sd, n = fan.fan.final_stats()
    assert n == N and sd > 0 and math.isfinite(mean)
    texts = [board.item(row, 2).text() for row in range(2)]
    assert f"{mean:.3g} ± {sd:.2g}" in texts
