"""The basin layer, the hyperparameter map, the lr sweep, tuning and schedules in the window."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from descentlab import engine
from descentlab.gui.fair_race import open_lr_sweep, tune_the_race
from descentlab.gui.map.map_thread import MapThread


def test_key_b_shows_the_basins_coarse_first_then_fine(window, qtbot):
    layer = window.panels.map.basins
    sizes = []
    layer.thread.computed.connect(lambda serial, r: sizes.append(r[1].which.shape))
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_B)
    assert layer.on and window.basins_action.isChecked()
    qtbot.waitUntil(lambda: (256, 256) in sizes, timeout=60_000)
    assert sizes[0] == (64, 64)
    assert layer.image.isVisible() and "diverged" in layer.legend.textItem.toPlainText()
    # every cell equals the selected run's race from there (a few spot checks)
    c = window.controller
    info = c.race.run_info(c.selected_uid)
    m = layer.last
    for j, i in ((3, 5), (128, 40), (200, 250)):
        race = engine.Race(c.race.problem, history=2)
        race.add_run(info.optimizer, (m.xs[i], m.ys[j]), schedule=info.schedule, **info.hyper)
        race.advance(m.n_steps)
        s = race.snapshot(history=False).runs[0]
        want = s.reached_minimum if s.reached_minimum is not None else (
            -1 if s.diverged_at is not None else -2)
        assert m.which[j, i] == want
    QTest.keyClick(window, Qt.Key.Key_B)
    assert not layer.on and not layer.image.isVisible()


def test_the_basins_follow_the_selected_runs_hyperparameters(window, qtbot):
    layer = window.panels.map.basins
    window.basins_action.setChecked(True)
    qtbot.waitUntil(lambda: layer.last is not None, timeout=60_000)
    c = window.controller
    uid = c.selected_uid
    lr = c.hyper_of(uid)["lr"] * 0.5
    seen = []
    layer.thread.computed.connect(lambda serial, r: seen.append(r[0]["hyper"]["lr"]))
    c.set_hyper(uid, "lr", lr)
    qtbot.waitUntil(lambda: lr in seen and layer.last.which.shape == (256, 256)
                    and seen[-1] == lr, timeout=60_000)


def test_a_new_request_cancels_the_map_in_flight(qtbot):
    thread = MapThread()
    thread.start()
    try:
        slow = lambda cancel: engine.basin_map(  # noqa: E731
            "rosenbrock", "adam", np.linspace(-2, 2, 64), np.linspace(-1, 3, 64), 10_000_000,
            cancel=cancel, lr=1e-6)
        quick = lambda cancel: "quick"  # noqa: E731
        with qtbot.waitSignal(thread.cancelled, timeout=30_000) as cancelled:
            thread.submit(1, [slow])
            qtbot.wait(50)  # let it start; the cancel is what is tested, not the time
            with qtbot.waitSignal(thread.computed, timeout=30_000) as done:
                thread.submit(2, [quick])
        assert cancelled.args == [1]
        assert done.args == [2, "quick"]
    finally:
        assert thread.stop(30_000)


def test_the_hyper_map_defaults_to_lr_and_momentum_and_a_click_sets_them(window, qtbot):
    c = window.controller
    uid = c.add_run("sgd", lr=0.001, momentum=0.5)
    panel = window.panels.hyper
    qtbot.waitUntil(lambda: panel.last is not None and panel.last[0]["uid"] == uid
                    and panel.last[1].steps.shape == (96, 96), timeout=60_000)
    assert panel.axes() == ("lr", "momentum")
    s, m = panel.last
    assert m.x_values[0] < m.x_values[-1] and np.allclose(np.diff(np.log(m.x_values)),
                                                          np.log(m.x_values[1] / m.x_values[0]))
    c.advance_now(20)
    panel.pick(np.log10(m.x_values[10]), m.y_values[70])
    hyper = c.hyper_of(uid)
    assert hyper["lr"] == m.x_values[10] and hyper["momentum"] == m.y_values[70]
    assert c.race.runs.t[c.race.run_ids.index(uid)] == 0  # restarted
    # the cell clicked is the race the run now runs
    race = engine.Race(c.race.problem, history=2)
    race.add_run("sgd", c.race.run_info(uid).start, **hyper)
    race.advance(m.n_steps)
    r = race.snapshot(history=False).runs[0]
    assert m.steps[70, 10] == (r.reached_at if r.reached_at is not None else -1)
    assert m.final_loss[70, 10] == r.loss
    # picking moves only the ring: the map is not recomputed
    assert panel.last[1] is m


def test_a_new_problems_hyper_map_says_it_is_computing_until_it_comes(window, qtbot):
    from descentlab.gui.support.presets import find_preset

    panel = window.panels.hyper
    qtbot.waitUntil(lambda: panel.last is not None, timeout=60_000)  # the default surface's map
    window.apply_scene(find_preset("spirals-adam-vs-sgd").scene)  # a dataset: seconds per map
    # (no event processed yet: the thread's answer cannot be in)
    assert "computing the map over lr × momentum" in panel.note.text()
    assert panel.image.image is None  # not the previous problem's map under the new title
    assert window.controller.entries[0].config.label in panel.title.text()
    qtbot.waitUntil(lambda: panel.last[0]["problem"] is window.controller.race.problem,
                    timeout=120_000)
    assert "yellow = lowest loss" in panel.note.text() and panel.image.image is not None


def test_tune_the_race_sets_the_best_lrs_and_undo_restores_them(window, qtbot):
    c = window.controller
    old = {u: c.hyper_of(u)["lr"] for u in c.race.run_ids}
    dlg = tune_the_race(window)
    qtbot.addWidget(dlg)
    assert len(dlg.rows) == len(old)
    for uid, _label, r in dlg.rows:
        assert c.hyper_of(uid)["lr"] == r.lr
        assert r.old_lr == old[uid]
    assert dlg.table.rowCount() == len(old)
    dlg.undo()
    assert {u: c.hyper_of(u)["lr"] for u in c.race.run_ids} == old


def test_the_lr_sweep_plots_one_curve_per_shown_run(window, qtbot):
    dlg = open_lr_sweep(window)
    qtbot.addWidget(dlg)
    shown = [e.uid for e in window.controller.entries if e.config.enabled]
    assert sorted(dlg.curves) == sorted(shown)


def test_a_schedule_chosen_on_a_run_card_is_raced_and_saved(window, qtbot, tmp_path):
    c = window.controller
    uid = c.selected_uid
    card = window.panels.runs.cards[uid]
    box = card.schedule.kind
    box.setCurrentIndex(box.findData("cosine"))
    box.activated.emit(box.currentIndex())
    qtbot.waitUntil(lambda: c.schedule_of(uid).name == "cosine", timeout=5_000)
    assert card.schedule.spark.isVisibleTo(card)
    card.schedule.params.setText("T_max=40, eta_min=0")
    card.schedule.params.editingFinished.emit()
    qtbot.waitUntil(lambda: c.schedule_of(uid).params["T_max"] == 40, timeout=5_000)
    snap = c.advance_now(60)
    lr = c.hyper_of(uid)["lr"]
    r = c.race.run_ids.index(uid)
    assert c.race.runs.hyper[r, 0] == engine.schedule_lrs("cosine", lr, 60, T_max=40)[-1]
    assert snap.step == 60
    path = tmp_path / "s.toml"
    assert window.save_scene_file(path)
    assert "schedule" in path.read_text()
    saved = engine.files.scene.load_scene(path)
    index = [e.uid for e in c.entries].index(uid)
    assert saved.runs[index].schedule == {"name": "cosine", "T_max": 40, "eta_min": 0.0}


def test_the_basins_follow_zoom_and_pan(window, qtbot):
    layer = window.panels.map.basins
    window.basins_action.setChecked(True)
    qtbot.waitUntil(lambda: layer.last is not None and layer.last.which.shape == (256, 256),
                    timeout=60_000)
    before = layer.last_region
    window.panels.map.vb.scaleBy((0.5, 0.5))
    (x0, x1), (y0, y1) = window.panels.map.visible_region()
    qtbot.waitUntil(lambda: layer.last_region != before and layer.last.which.shape == (256, 256)
                    and np.allclose(layer.last_region, (x0, x1, y0, y1)), timeout=60_000)
    assert np.allclose(layer.last.xs[[0, -1]], [x0 + (x1 - x0) / 512, x1 - (x1 - x0) / 512])


def test_a_step_limit_of_a_billion_is_capped_for_the_maps(window, qtbot):
    """Issue 25: a map's races finish in seconds whatever the step limit, and say how long."""
    from descentlab.engine.maps.races import map_steps

    c = window.controller
    momentum = next(e.uid for e in c.entries if c.race.run_info(e.uid).optimizer == "momentum")
    c.select(momentum)  # two axes: lr × momentum, 96² cells
    c.set_step_limit(10**9)
    panel = window.panels.hyper
    s = panel._settings()
    assert s["steps"] == 10**9
    assert s["map_steps"] == map_steps(c.race.problem, 96 * 96, 10**9) < 100_000
    panel.request()
    qtbot.waitUntil(lambda: panel.last is not None and panel.last[0]["steps"] == 10**9, timeout=60_000)
    panel.thread.cancel()  # the coarse map came: enough (the fine one is the same length)
    assert panel.last[1].n_steps == s["map_steps"]
    assert f"capped from the limit of {10**9:,}" in panel.note.text()
    window.basins_action.setChecked(True)
    layer = window.panels.map.basins
    assert layer.settings()["map_steps"] == map_steps(c.race.problem, 256 * 256, 10**9) < 10_000
    window.basins_action.setChecked(False)
    from descentlab.gui.fair_race import fair_steps

    infos = [c.race.run_info(u) for u in c.race.run_ids]  # the sweep and the tune too
    assert fair_steps(c, c.race.problem, infos, 41) <= 2.0 / (41 * len(infos) * 1e-7)
