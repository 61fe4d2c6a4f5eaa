"""The window, driven like a user would: keys, clicks, typing; offscreen."""

import numpy as np
import pytest
from gui_helpers import has_colour, render
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from descentlab import engine
from descentlab.gui.support.presets import list_presets


def test_the_app_starts_with_the_default_scene(window):
    c = window.controller
    assert c.scene.surface == "beale"
    assert len(c.entries) >= 5
    assert window.windowTitle().startswith(f"Descent Lab {engine.__version__}")
    assert len(window.panels.runs.cards) == len(c.entries)


def test_space_runs_the_race_and_r_resets_it(window, qtbot):
    c = window.controller
    QTest.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.race.step > 50, timeout=10_000)
    qtbot.waitUntil(lambda: window._last_snapshot is not None
                    and window._last_snapshot.step > 0, timeout=10_000)
    QTest.keyClick(window, Qt.Key.Key_Space)  # pause
    qtbot.waitUntil(lambda: not c.worker.playing)
    QTest.keyClick(window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: window._last_snapshot.step == 0
                    and all(r.step == 0 for r in window._last_snapshot.runs), timeout=5_000)
    assert c.race.step == 0


def test_right_arrow_takes_one_step(window, qtbot):
    c = window.controller
    QTest.keyClick(window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: c.race.step == 1, timeout=5_000)
    QTest.keyClick(window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: c.race.step == 2, timeout=5_000)


def test_a_click_on_the_map_moves_every_start(window, qtbot):
    vb = window.panels.map.vb
    x_view, y_view = 2.0, -1.0
    widget_pos = window.panels.map.mapFromScene(vb.mapViewToScene(QPointF(x_view, y_view)))
    QTest.mouseClick(window.panels.map.viewport(), Qt.MouseButton.LeftButton, pos=widget_pos)
    c = window.controller
    qtbot.waitUntil(lambda: c.scene.start is not None, timeout=5_000)
    sx, sy = c.scene.start
    assert abs(sx - x_view) < 0.1 and abs(sy - y_view) < 0.1
    with c.lock:
        snap = c.race.snapshot()
    for run in snap.runs:
        np.testing.assert_array_equal(run.path[0], [sx, sy])
    assert np.allclose(window.panels.map.start_marker.pos(), (sx, sy))


def test_changing_lr_mid_race_takes_effect(window, qtbot):
    from PySide6.QtWidgets import QApplication

    c = window.controller
    c.load_scene(engine.files.scene.Scene(surface="bowl", runs=[engine.files.scene.RunConfig("gd", {"lr": 0.1})],
                                    start=(2.0, -1.0)))
    uid = c.entries[0].uid
    card = window.panels.runs.cards[uid]
    field = card.controls["lr"].field
    c.worker.step(10)
    qtbot.waitUntil(lambda: c.race.step == 10, timeout=5_000)
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, "0.5")
    QTest.keyClick(field, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert c.hyper_of(uid)["lr"] == 0.5
    with c.lock:
        before = c.race.snapshot().runs[0].position
    c.worker.step(1)
    qtbot.waitUntil(lambda: c.race.step == 11, timeout=5_000)
    with c.lock:
        after = c.race.snapshot().runs[0].position
    # On the bowl f = |θ|²/2 the gradient is θ: one GD step is θ ← θ − lr·θ.
    np.testing.assert_allclose(after, before - 0.5 * before, rtol=1e-15)


def test_a_bad_learning_rate_is_refused_with_a_hint(window, qtbot):
    c = window.controller
    uid = c.entries[0].uid
    c.select(uid)
    card = window.panels.runs.cards[uid]
    control = card.controls["lr"]
    good = c.hyper_of(uid)["lr"]
    for text in ("abc", "", "-1", "1e999"):
        control.field.setFocus()
        control.field.selectAll()
        if text:
            QTest.keyClicks(control.field, text)
        else:
            QTest.keyClick(control.field, Qt.Key.Key_Delete)
        QTest.keyClick(control.field, Qt.Key.Key_Return)
        assert c.hyper_of(uid)["lr"] == good, text
        assert card.hint.isVisibleTo(card) and card.hint.text(), text
        assert "border" in control.field.styleSheet()
        assert control.field.text() == f"{good:.4g}"


def test_a_diverging_run_is_shown_as_diverged(window, qtbot):
    c = window.controller
    c.load_scene(engine.files.scene.Scene(surface="rosenbrock", runs=[
        engine.files.scene.RunConfig("gd", {"lr": 0.5}, label="too fast"),
        engine.files.scene.RunConfig("adam", {"lr": 0.01}, label="fine")]))
    before = window.panels.map.visible_region()
    snap, _ = render(window, steps=100)
    bad = next(r for r in snap.runs if r.label == "too fast")
    assert bad.diverged_at is not None
    texts = [window.panels.board.item(r, 3).text() for r in range(window.panels.board.rowCount())]
    assert f"diverged at {bad.diverged_at:,}" in texts
    assert any(t == "running" or t.startswith("min at") for t in texts)
    symbols = window.panels.map.markers.symbols
    assert "x" in list(symbols) and "o" in list(symbols)
    # the blown-up run neither zooms the map out nor stretches the loss axis to infinity
    window.panels.loss.plotItem.getViewBox().updateAutoRange()
    assert window.panels.map.visible_region() == before
    (_, _), (y0, y1) = window.panels.loss.plotItem.getViewBox().viewRange()
    assert np.isfinite(y0) and np.isfinite(y1) and y1 - y0 < 400  # decades, log10 units


def test_closing_mid_race_ends_the_worker_quickly(qtbot, capfd):
    from descentlab.gui.app import DEFAULT_PRESET
    from descentlab.gui.control.controller import RaceController
    from descentlab.gui.main_window import MainWindow
    from descentlab.gui.support.presets import find_preset

    c = RaceController()
    win = MainWindow(c)
    win.show()
    c.start()
    win.apply_scene(find_preset(DEFAULT_PRESET).scene)
    qtbot.waitUntil(lambda: c.is_ready and c.race is not None, timeout=60_000)
    win.transport._speed_changed(500)
    win.transport.toggle_play()
    qtbot.waitUntil(lambda: c.race.step > 100, timeout=10_000)
    win.close()
    assert not c.worker.isRunning()  # the race stops at once (it is not compiling any more)
    qtbot.waitUntil(lambda: not win.panels.map.fields.isRunning(), timeout=120_000)  # maybe mid-compile
    assert "Destroyed while thread" not in capfd.readouterr().err


def test_switching_surface_keeps_the_runs(window, qtbot):
    c = window.controller
    labels = [e.config.label for e in c.entries]
    index = window.panels.problem.surface_combo.findData("himmelblau")
    window.panels.problem.surface_combo.setCurrentIndex(index)
    window.panels.problem.surface_combo.activated.emit(index)
    assert c.scene.surface == "himmelblau"
    assert [e.config.label for e in c.entries] == labels
    with c.lock:
        assert c.race.problem.key == "himmelblau"


def test_add_duplicate_and_remove_runs(window, qtbot):
    c = window.controller
    n = len(c.entries)
    index = window.panels.runs.add.findData("lion")
    window.panels.runs.add.activated.emit(index)
    assert len(c.entries) == n + 1 and c.entries[-1].config.optimizer == "lion"
    uid = c.entries[-1].uid
    c.duplicate_run(uid)
    assert len(c.entries) == n + 2
    c.remove_run(uid)
    assert len(c.entries) == n + 1 and uid not in window.panels.runs.cards
    with c.lock:
        assert len(c.race.run_ids) == n + 1


def test_save_and_open_a_scene(window, tmp_path):
    c = window.controller
    c.set_start(1.5, 1.0)
    path = tmp_path / "mine.toml"
    assert window.save_scene_file(path)
    c.load_scene(engine.files.scene.Scene(surface="bowl", runs=[engine.files.scene.RunConfig("gd")]))
    assert window.open_scene_file(path)
    assert c.scene.surface == "beale" and c.scene.start == (1.5, 1.0)


def test_a_broken_scene_file_leaves_the_current_scene(window, tmp_path):
    c = window.controller
    before = c.current_scene()
    path = tmp_path / "broken.toml"
    path.write_text('[problem]\nsurface = "beale"\n[[runs]]\noptimizer = "adam"\nlr = -1\n')
    assert not window.open_scene_file(path)
    assert window.messages and "broken.toml" in window.messages[-1] and "lr" in window.messages[-1]
    assert c.current_scene() == before


def test_presentation_mode_enlarges_type_and_lines(window, qtbot):
    from PySide6.QtWidgets import QApplication

    size = QApplication.font().pointSizeF()
    width = window.panels.map._path_width
    window.set_presentation(True)
    window.showNormal()  # offscreen "full screen" has no real screen size: set it ourselves
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.height() == 1080)
    assert QApplication.font().pointSizeF() == pytest.approx(1.5 * size)
    assert window.panels.map._path_width > width
    # a 720-line projector shows its lines as large as a 1080-line one: less enlargement
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.height() == 720)
    assert QApplication.font().pointSizeF() == pytest.approx(1.1 * size)
    from descentlab.gui.support.palette import COLOUR_BLIND_SAFE

    assert window.controller.entries[0].colour == COLOUR_BLIND_SAFE[0]
    window.set_presentation(False)
    assert QApplication.font().pointSizeF() == size


def test_a_long_race_draws_a_bounded_number_of_points(window):
    """Frames do not get slower as a lecture goes on: what is drawn is bounded."""
    c = window.controller
    render(window, steps=10)
    counts_early = {u: len(item.xData) for u, item in window.panels.map._paths.items()}
    render(window, steps=2_000_000)
    width = window.panels.loss.plotItem.getViewBox().sceneBoundingRect().width()
    with c.lock:
        history = c.race.history
    for item in window.panels.map._paths.values():
        assert len(item.xData) <= history + 2
    for item in window.panels.loss._curves.values():  # drawn incrementally: what is new
        assert len(item.xData) <= history + 2
    for item in window.panels.loss._tests.values():  # thinned to two points a pixel column
        if item.xData is not None:
            assert len(item.xData) <= 2 * width + 3
    assert counts_early  # paths existed from the start


def test_beta_of_one_and_a_huge_beta_are_refused(window):
    c = window.controller
    uid = next(e.uid for e in c.entries if e.config.optimizer == "adam")
    c.select(uid)
    card = window.panels.runs.cards[uid]
    control = card.controls["beta1"]
    good = c.hyper_of(uid)["beta1"]
    for text in ("1", "1.5", "1e300", "beta"):
        control.field.setText(text)
        control.field.editingFinished.emit()
        assert c.hyper_of(uid)["beta1"] == good, text
        assert "beta" in card.hint.text(), text
    control.field.setText("0.8")
    control.field.editingFinished.emit()
    assert c.hyper_of(uid)["beta1"] == 0.8
    assert not card.hint.isVisibleTo(card)


@pytest.mark.parametrize("preset", list_presets(), ids=lambda p: p.name)
def test_every_preset_renders_a_map_with_its_runs_visible(module_window, preset):
    # One window for every preset (each loads its own scene; last in this file, so no other
    # window is open beside it): a window per preset cost 23 openings.
    window = module_window
    window.apply_scene(preset.scene)
    # A model of more than 2 parameters shows its data view as the big picture and the map small
    # on the right (key D): this test looks at the map, so it puts the map back in the centre.
    window.data_swap.set_big(False)
    snap, pixels = render(window, steps=300)
    assert pixels.std() > 10, "the map is blank"
    for e in window.controller.entries:
        run = next(r for r in snap.runs if r.uid == e.uid)
        start = run.path[0]
        (x0, x1), (y0, y1) = window.panels.map.visible_region()
        if e.config.enabled and x0 <= start[0] <= x1 and y0 <= start[1] <= y1:
            assert has_colour(pixels, e.colour), f"{e.config.label} ({e.colour}) is not visible"
