"""View → Curvature (key H), driven like a user: the overlay sits at the selected run's point,
follows the selection and the timeline, marks 2/λ_max on the lr slider and outlines the
stable region on the hyperparameter map, says "saddle" on a saddle, and vanishes when
switched off. ASGD's averaged point is drawn where the engine's state has it.
"""

import math

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from descentlab.engine.files.scene import RunConfig, Scene
from descentlab.engine.race.moment import moment
from descentlab.gui.map.curvature_layer import NEGATIVE, text_box


def raced(window, qtbot, scene, steps):
    c = window.controller
    c.load_scene(scene)
    c.step(steps)
    qtbot.waitUntil(lambda: window._last_snapshot is not None and window._last_snapshot.step == steps,
                    timeout=10_000)
    return c


def centre(layer) -> np.ndarray:
    """Where the drawn eigen-axes cross."""
    x, y = layer.axes[0].getData()
    return np.array([x.mean(), y.mean()])


def test_the_curvature_follows_the_selected_run_and_the_timeline_and_vanishes_when_off(window, qtbot):
    scene = Scene(surface="ellipse", start=(-4.5, 1.0), speed=1.0, runs=[
        RunConfig("gd", {"lr": 0.05}), RunConfig("momentum", {"lr": 0.05, "beta": 0.5})])
    c = raced(window, qtbot, scene, 20)
    layer = window.panels.map.curvature
    assert not any(item.isVisible() for item in layer.items())
    QTest.keyClick(window, Qt.Key.Key_H)
    assert c.curvature.on and window.curvature_action.isChecked()
    gd, mom = (e.uid for e in c.entries)
    c.select(gd)
    live = c.timeline.live
    position = {r.uid: r.position for r in live.runs}
    np.testing.assert_allclose(centre(layer), position[gd], atol=1e-9)
    np.testing.assert_allclose(layer.curvature.eigenvalues, [16.0, 0.5])
    assert "λ₁ = 16" in layer.labels[0].textItem.toPlainText()
    assert "κ = 32" in layer.legend.textItem.toPlainText()
    assert layer.newton.isVisible() and layer.level.isVisible() and not layer.falling.isVisible()
    # the lr slider of the selected run marks 2/λ_max = 2/16; the other run's, nothing
    cards = window.panels.runs.cards
    assert cards[gd].controls["lr"].mark_value == pytest.approx(0.125)
    assert "0.125" in cards[gd].controls["lr"].mark_label.text()
    assert cards[mom].controls["lr"].mark_value is None

    c.select(mom)
    np.testing.assert_allclose(centre(layer), position[mom], atol=1e-9)
    assert cards[mom].controls["lr"].mark_value == pytest.approx(0.125)
    assert cards[gd].controls["lr"].mark_value is None
    # the hyper map of heavy-ball momentum: lr × β, the edge α·(1 − β)·λ = 2(1 + β)
    hyper = window.panels.hyper
    hyper.set_axes("lr", "beta")
    hyper.settle()
    xs, ys = hyper.outline.getData()
    assert hyper.outline.isVisible() and len(xs) > 10
    np.testing.assert_allclose(10 ** xs, 2 * (1 + ys) / ((1 - ys) * 16.0), rtol=1e-9)
    assert "stable region" in hyper.note.text()

    window.panels.timeline.slider.setValue(5)  # the timeline: the curvature at step 5
    np.testing.assert_allclose(centre(layer), moment(live, 5).runs[1].position, atol=1e-9)
    qtbot.waitUntil(lambda: c.timeline.replay is not None, timeout=5_000)  # the exact state, redrawn
    np.testing.assert_allclose(centre(layer), moment(live, 5).runs[1].position, atol=1e-9)
    assert layer.legend.textItem.toPlainText().count("step 5") == 1

    assert c.current_scene().curvature  # a saved scene shows it again
    QTest.keyClick(window, Qt.Key.Key_H)
    assert not c.curvature.on and not c.current_scene().curvature
    assert not any(item.isVisible() for item in layer.items())
    assert all(card.controls["lr"].mark_value is None for card in cards.values())
    assert not hyper.outline.isVisible() and "stable region" not in hyper.note.text()


def test_a_saddle_is_said_and_drawn_as_one_and_asgds_average_is_its_state(window, qtbot):
    scene = Scene(surface="saddle", start=(-2.0, 0.05), speed=1.0, curvature=True, runs=[
        RunConfig("gd", {"lr": 0.05}), RunConfig("asgd", {"lr": 0.05, "t0": 3.0})])
    c = raced(window, qtbot, scene, 12)
    assert c.curvature.on and window.curvature_action.isChecked()  # the scene turned it on
    layer = window.panels.map.curvature
    k = layer.curvature
    assert k.saddle and k.eigenvalues[1] < 0
    assert QColorName(layer.axes[1]) == NEGATIVE and layer.falling.isVisible() and layer.asymptotes.isVisible()
    assert "saddle" in layer.legend.textItem.toPlainText()
    assert "λ₂ = −" in layer.labels[1].textItem.toPlainText()
    gd, asgd = (e.uid for e in c.entries)
    averages = window.panels.map.averages
    assert set(averages.points) == {asgd}
    with c.lock:
        ax = c.race.explain(asgd)["ax"]
    np.testing.assert_allclose(averages.points[asgd], ax, rtol=1e-12)
    xs, ys = averages.markers.getData()
    np.testing.assert_allclose([xs[0], ys[0]], ax, rtol=1e-12)
    assert math.isfinite(k.limit) and k.limit == pytest.approx(2.0 / k.lam_max)
    # racing on, the texts follow (at most every 0.2 s): the last one always arrives
    c.step(1)
    qtbot.waitUntil(lambda: window._last_snapshot.step == 13, timeout=10_000)
    c.step(1)
    qtbot.waitUntil(lambda: "at step 14" in layer.legend.textItem.toPlainText(), timeout=5_000)
    position = next(r.position for r in window._last_snapshot.runs if r.uid == c.selected_uid)
    np.testing.assert_allclose(centre(layer), position, atol=1e-9)
    # step by step: → walks the rule's lines; the curvature stays at the point shown
    c.select(gd)
    QTest.keyClick(window, Qt.Key.Key_S)
    assert c.explain.step_by_step
    here = centre(layer).copy()
    QTest.keyClick(window, Qt.Key.Key_Right)
    np.testing.assert_allclose(centre(layer), here)
    assert layer.axes[0].isVisible() and layer.falling.isVisible()


def QColorName(stroke) -> str:  # noqa: N802
    return stroke.opts["pen"].color().name()


def test_a_clip_of_a_scene_that_shows_the_curvature_draws_it(qtbot):
    from descentlab.gui.clips.stage import ClipStage
    from descentlab.gui.main_window import MainWindow

    scene = Scene(surface="ellipse", start=(-4.5, 1.0), curvature=True, runs=[RunConfig("gd", {"lr": 0.1})])
    stage = ClipStage(scene, (640, 360), MainWindow)
    try:
        while not stage.advance_towards(3):
            pass
        snap = stage.draw(30.0, 1.0)
        layer = stage.window.panels.map.curvature
        assert stage.controller.curvature.on and layer.curvature is not None
        np.testing.assert_allclose(centre(layer), snap.runs[0].position, atol=1e-9)
        assert layer.axes[0].isVisible() and layer.legend.isVisible()
        assert stage.render().shape == (360, 640, 4)
    finally:
        stage.close()


def test_the_legend_takes_the_corner_that_hides_least(window, qtbot):
    """On the narrow ellipse GD's zig-zags fill the top left (the legend's first place) and
    the run legend has the top right: the curvature legend goes where it covers neither."""
    scene = Scene(surface="ellipse", start=(-4.5, 3.0), speed=1.0, xrange=(-4.9, 0.9), yrange=(-3.2, 3.2),
                  runs=[RunConfig("gd", {"lr": 0.12}), RunConfig("momentum", {"lr": 0.12, "beta": 0.9})])
    c = raced(window, qtbot, scene, 6)
    view = window.panels.map
    view.show_legend(True)  # (key L; presentation mode shows it)
    QTest.keyClick(window, Qt.Key.Key_H)
    c.select(c.entries[0].uid)
    layer = view.curvature
    box = text_box(layer.legend)
    assert layer.legend.isVisible() and view.vb.sceneBoundingRect().contains(box)
    assert not box.intersects(view.legend.sceneBoundingRect())
    hidden = 0
    for rec in view.paths.records.values():
        for x, y in zip(rec.xData, rec.yData, strict=True):
            hidden += box.contains(view.vb.mapViewToScene(pg.Point(float(x), float(y))))
    assert hidden == 0, layer._corner
