"""The timeline slider under the map (gui.control.timeline, gui.panels.timeline), driven like a user.

Few window tests (each builds a window): drag back → the map's markers, the leaderboard
and the loss cursor show that step; ← / → walk the recorded steps and → at the end still
takes a step; Resume from here goes on exactly as the uninterrupted race; Space goes live;
the explain overlay shows the walk of the step shown.
"""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from descentlab import engine
from descentlab.engine.race.moment import moment
from descentlab.gui.control.controller import RaceController
from descentlab.gui.panels.leaderboard import short_number


def bowl_scene():
    """A small, quick scene: three runs on Beale, 1 step/s so the worker
    barely moves on its own."""
    run = engine.files.scene.RunConfig
    runs = [run("adam", {"lr": 0.05}), run("sgd", {"lr": 0.002, "momentum": 0.9}), run("rmsprop", {"lr": 0.01})]
    return engine.files.scene.Scene(surface="beale", runs=runs, start=(1.0, 1.5), speed=1.0)


def reference_race(scene, steps):
    race = engine.Race(scene.build_problem(), noise=scene.noise, seed=scene.seed)
    for cfg in scene.runs:
        RaceController._add_to_race(race, cfg, scene.start_point)
    race.advance(steps)
    return race


def loaded(window, qtbot, steps):
    """The scene raced ``steps`` steps by the worker (as → pressed that often), and drawn."""
    c = window.controller
    c.load_scene(bowl_scene())
    c.step(steps)
    qtbot.waitUntil(lambda: window._last_snapshot is not None and window._last_snapshot.step == steps,
                    timeout=10_000)
    return c


def marker_points(window):
    xs, ys = window.panels.map.markers.getData()
    return np.c_[xs, ys]


def test_dragging_back_shows_that_step_and_the_arrow_keys_walk_the_history(window, qtbot):
    c = loaded(window, qtbot, 300)
    bar, t = window.panels.timeline, c.timeline
    assert not t.in_past and bar.slider.maximum() == 300 and bar.slider.value() == 300
    assert not bar.resume.isEnabled() and "300" in bar.label.text()
    live = t.live

    bar.slider.setValue(120)  # what dragging the handle does
    assert t.in_past and t.step == 120 and bar.label.text() == "step 120 of 300" and bar.resume.isEnabled()
    shown = moment(live, 120)
    np.testing.assert_array_equal(marker_points(window), [r.position for r in shown.runs])
    losses = {window.panels.board.item(row, 1).text(): window.panels.board.item(row, 2).text()
              for row in range(window.panels.board.rowCount())}
    assert losses == {r.label: short_number(r.loss, 3) for r in shown.runs}
    assert losses != {r.label: short_number(r.loss, 3) for r in live.runs}
    assert window.panels.loss.cursor.isVisible() and window.panels.loss.cursor.value() == 120
    assert window._last_snapshot.step == 120 and c.race.step == 300  # only the view went back

    QTest.keyClick(window, Qt.Key.Key_Left)
    assert t.step == 119
    QTest.keyClick(window, Qt.Key.Key_Right)
    QTest.keyClick(window, Qt.Key.Key_Right)
    assert t.step == 121 and c.race.step == 300  # → in the past moves through history
    np.testing.assert_array_equal(marker_points(window), [r.position for r in moment(live, 121).runs])

    bar.slider.setValue(299)
    QTest.keyClick(window, Qt.Key.Key_Right)  # to the live end
    assert not t.in_past and not window.panels.loss.cursor.isVisible()
    np.testing.assert_array_equal(marker_points(window), [r.position for r in live.runs])
    QTest.keyClick(window, Qt.Key.Key_Right)  # at the end → takes one step, as before
    qtbot.waitUntil(lambda: c.race.step == 301, timeout=5_000)


@pytest.mark.parametrize("on_a_thread", [False, True])
def test_resume_from_here_goes_on_exactly_as_the_uninterrupted_race(window, qtbot, monkeypatch, on_a_thread):
    from descentlab.gui.control import timeline as timeline_module

    if on_a_thread:  # as a long dataset race does: the replay on its own thread
        monkeypatch.setattr(timeline_module, "REPLAY_BUDGET_S", 0.0)
    c = loaded(window, qtbot, 260)
    window.panels.timeline.slider.setValue(100)
    QTest.mouseClick(window.panels.timeline.resume, Qt.MouseButton.LeftButton)
    if on_a_thread:
        assert "replaying to step 100" in window.panels.timeline.label.text() or not c.timeline.replaying
        qtbot.waitUntil(lambda: not c.timeline.replaying, timeout=10_000)
    assert c.playing and not c.timeline.in_past
    QTest.keyClick(window, Qt.Key.Key_Space)  # pause (1 step/s: it has gone a step or two at most)
    qtbot.waitUntil(lambda: not c.worker.playing, timeout=5_000)
    with c.lock:
        assert 100 <= c.race.step < 150
    window.advance_and_draw(200 - c.race.step)
    reference = reference_race(bowl_scene(), 200)
    with c.lock:
        race = c.race
        assert race.step == 200
        for bundle, other in ((race.runs, reference.runs), (race.hist, reference.hist)):
            for name, a, b in zip(bundle._fields, bundle, other, strict=True):
                assert a.tobytes() == b.tobytes(), name
    assert window.panels.timeline.slider.maximum() == 200


def test_space_in_the_past_races_on_from_the_end_and_the_overlay_explains_the_step_shown(window, qtbot):
    c = loaded(window, qtbot, 80)
    c.explain.set_on(True)
    window.panels.timeline.slider.setValue(30)
    qtbot.waitUntil(lambda: c.timeline.replay is not None and c.explain.walk is not None
                    and c.explain.walk.t == 31.0, timeout=5_000)  # the walk of step 31, from step 30
    assert c.explain_selected()["step"] == 30
    QTest.keyClick(window, Qt.Key.Key_Space)
    assert not c.timeline.in_past and c.playing
    qtbot.waitUntil(lambda: c.race.step > 80, timeout=10_000)  # from the end, not from step 30


def test_resume_before_a_noise_change_shows_that_steps_noise_in_the_box(window, qtbot):
    c = loaded(window, qtbot, 60)
    c.set_noise(0.25)  # a live change at step 60
    box = window.panels.problem.noise
    box.setValue(0.25)
    c.step(40)
    qtbot.waitUntil(lambda: window._last_snapshot is not None and window._last_snapshot.step == 100,
                    timeout=10_000)
    window.panels.timeline.slider.setValue(30)
    QTest.mouseClick(window.panels.timeline.resume, Qt.MouseButton.LeftButton)
    assert c.scene.noise == 0.0 and box.value() == 0.0  # the race at step 30 had no noise


def test_step_by_step_in_the_past_walks_the_races_next_step_from_the_end(window, qtbot):
    c = loaded(window, qtbot, 80)
    window.panels.timeline.slider.setValue(30)
    assert c.timeline.in_past
    c.explain.set_step_by_step(True)
    qtbot.waitUntil(lambda: c.explain.walk is not None, timeout=5_000)
    QTest.keyClick(window, Qt.Key.Key_Right)
    assert not c.timeline.in_past  # back at the live end: the walk is of the race's next step
    with c.lock:
        assert c.race.step == 80  # → showed a line of the rule; the race did not move
