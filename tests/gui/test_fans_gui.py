"""Seed fans drawn (engine.race.fans): one loss curve with its 10–90 % band, the repeats faint on
the map under one median path, mean ± sd in the leaderboard — one entry per fan everywhere."""

import math

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.files.scene import RunConfig
from descentlab.gui.control.controller import RunEntry
from descentlab.gui.map.map_widget import MapView
from descentlab.gui.panels.leaderboard import Leaderboard, short_number
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
    faint = view.fan_paths.records  # one bundle of N paths per fan
    assert set(faint) == {fan_uid}
    fan = next(r for r in snap.runs if r.uid == fan_uid)
    assert faint[fan_uid].xData.shape == (N, fan.fan.paths.shape[1])
    for k in range(N):
        assert np.array_equal(faint[fan_uid].xData[k], fan.fan.paths[k, :, 0])
        assert np.array_equal(faint[fan_uid].yData[k], fan.fan.paths[k, :, 1])
    assert faint[fan_uid].pen.color().alpha() < 255
    strong = view.paths.records[fan_uid]
    assert np.array_equal(strong.xData, np.median(fan.fan.paths[:, :, 0], axis=0))
    assert strong.pen.widthF() > faint[fan_uid].pen.widthF()


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
    assert f"{short_number(mean, 3)} ± {short_number(sd, 1)}" in texts


def test_the_timeline_shows_a_fan_on_a_thinned_history_as_it_was_at_an_old_step(qtbot):
    """A small history (head 1, the stride doubling): dragged back, the band ends at the step
    shown, at the steps its rows hold, and the leaderboard's mean is of the losses then."""
    import threading

    from descentlab.gui.control.timeline import Timeline

    race = engine.Race("rosenbrock", noise=3.0, seed=1, history=64)
    uid = race.add_run("adam", lr=0.02, repeats=N)
    entries = [RunEntry(uid, RunConfig("adam", {"lr": 0.02}, repeats=N), "#e6194b")]
    race.advance(700)  # stride 16
    snap = race.snapshot()
    timeline = Timeline(threading.Lock(), lambda: 1.0)
    timeline.shown(snap)
    timeline.seek(timeline.positions // 3)
    old = timeline.step
    cut = timeline.shown(snap)
    assert 0 < old < snap.step and cut.step == old
    (run,) = cut.runs
    assert run.fan.steps[-1] <= old < run.fan.steps[-1] + run.stride and run.stride > 1
    view = LossView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.set_problem(race.problem, look_for(race.problem).loss_axis)
    view.set_runs(entries)
    view.update_runs(cut, entries)
    x, low, high = view.bands[uid].data()
    assert np.array_equal(x, run.steps.astype(float)) and x[-1] <= old
    (live,) = snap.runs
    assert np.array_equal(low, view.gap(live.fan.low[:len(x)]))
    assert np.array_equal(high, view.gap(live.fan.high[:len(x)]))
    board = Leaderboard(controller=None)
    qtbot.addWidget(board)
    board.f_min, board.minima_values = race.problem.f_min, ()
    board.update_runs(cut, entries)
    mean, sd, _ = run.fan.final_stats()
    assert np.allclose(run.fan.final_losses, live.fan.losses[:, len(x) - 1])
    assert board.item(0, 2).text() == f"{short_number(mean, 3)} ± {short_number(sd, 1)}"


def test_a_long_fans_band_covers_its_quantiles_and_its_curve_is_the_fresh_gap(qtbot):
    """The loss view works a curve's gaps out for new rows only and reduces a long band to
    pixel blocks before taking the gap: the curve is still the gap of every recorded median
    (through the history thinning), and each block of the band spans the lowest 10 % and the
    highest 90 % quantile of its rows."""
    race = engine.Race("rosenbrock", noise=3.0, seed=1, history=1024)  # a head of 64 rows
    uid = race.add_run("adam", lr=0.02, repeats=N)
    entries = [RunEntry(uid, RunConfig("adam", {"lr": 0.02}, repeats=N), "#e6194b")]
    view = LossView()
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.set_problem(race.problem, look_for(race.problem).loss_axis)
    view.set_runs(entries)
    strides = set()
    for n in (30, 1, 400, 700, 2500, 10):  # the history thins (stride 1 → 4)
        race.advance(n)
        snap = race.snapshot()
        view.update_runs(snap, entries)
        (run,) = snap.runs
        strides.add(run.stride)
        fresh = view.gap(run.losses)
        assert np.array_equal(view.curves.records[uid].yData, fresh[np.isfinite(fresh)])
    assert len(strides) > 1
    x, low, high = view.bands[uid].data()
    lo, hi = view.gap(run.fan.low), view.gap(run.fan.high)
    starts = np.searchsorted(run.steps, x)
    block = int(starts[1] - starts[0])
    assert block > 1 and np.all(np.diff(starts) == block) and len(x) == len(lo) // block
    for b, i in enumerate(starts):
        assert low[b] == lo[i:i + block].min() and high[b] == hi[i:i + block].max()
    assert np.all(low < high)


def test_the_help_names_key_d_in_both_languages():
    from descentlab.gui.menus import HELP
    from descentlab.gui.support import i18n

    assert "\nD  the data view in the centre" in HELP
    i18n.set_language("zh_CN", remember=False)
    try:
        assert "\nD  数据视图放在中间" in i18n.translate("Menus", HELP)
    finally:
        i18n.set_language("en", remember=False)
