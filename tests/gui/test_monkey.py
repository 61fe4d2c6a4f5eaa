"""A seeded monkey: thousands of random user actions, the app must stay alive and consistent.

Any seed that ever failed is kept in SEEDS as a regression case.
"""

import random

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from descentlab import engine

SEEDS = [20261126]
ACTIONS = 1200
TEXTS = ["0.01", "0.1", "1e-4", "abc", "", "-1", "1e999", "0.9", "1", "nan", "inf", "3",
         "0,5", "1e-12", "  0.2 ", "−0.3", "9" * 400]


def check_consistent(win):
    c = win.controller
    with c.lock:
        race_ids = c.race.run_ids if c.race is not None else []
        step = c.race.step if c.race is not None else 0
    uids = [e.uid for e in c.entries]
    assert uids == race_ids
    assert set(win.panels.runs.cards) == set(uids)
    assert set(win.panels.map._paths) == set(uids)
    assert set(win.panels.loss._curves) == set(uids)
    assert c.selected_uid in uids or (c.selected_uid == -1 and not uids)
    assert step >= 0
    assert c.worker.isRunning(), "the worker thread died"
    assert win.panels.map.fields.isRunning(), "the field thread died"


def act(win, rng: random.Random, qtbot):
    c = win.controller
    kind = rng.choice(["surface", "preset", "add", "remove", "toggle", "duplicate", "type",
                       "type", "type", "slide", "click", "shift-click", "drag", "play", "pause",
                       "step", "reset", "zoom", "resize", "speed", "limit", "noise", "select",
                       "check", "explain", "step-by-step"])
    if kind == "surface":
        i = rng.randrange(win.panels.problem.surface_combo.count())
        win.panels.problem.surface_combo.setCurrentIndex(i)
        win.panels.problem.surface_combo.activated.emit(i)
    elif kind == "preset" and win.presets:
        win.load_preset(rng.choice(win.presets))
    elif kind == "add" and len(c.entries) < 16:
        i = rng.randrange(1, win.panels.runs.add.count())
        win.panels.runs.add.activated.emit(i)
    elif kind == "remove" and c.entries:
        c.remove_run(rng.choice(c.entries).uid)
    elif kind == "toggle" and win.panels.runs.cards:
        card = rng.choice(list(win.panels.runs.cards.values()))
        card.enabled.toggle()
    elif kind == "duplicate" and c.entries and len(c.entries) < 16:
        c.duplicate_run(rng.choice(c.entries).uid)
    elif kind in ("type", "slide", "check") and win.panels.runs.cards:
        card = rng.choice(list(win.panels.runs.cards.values()))
        control = rng.choice(list(card.controls.values()))
        if control.check is not None:
            control.check.toggle()
        elif kind == "slide":
            control.slider.setValue(rng.randrange(0, 1001))
        else:
            control.field.setText(rng.choice(TEXTS))
            control.field.editingFinished.emit()
    elif kind in ("click", "shift-click"):
        (x0, x1), (y0, y1) = win.panels.map.visible_region()
        p = QPointF(rng.uniform(x0, x1), rng.uniform(y0, y1))
        pos = win.panels.map.mapFromScene(win.panels.map.vb.mapViewToScene(p))
        mod = Qt.KeyboardModifier.ShiftModifier if kind == "shift-click" else Qt.KeyboardModifier.NoModifier
        QTest.mouseClick(win.panels.map.viewport(), Qt.MouseButton.LeftButton, mod, pos)
    elif kind == "drag":
        (x0, x1), (y0, y1) = win.panels.map.visible_region()
        win.panels.map.start_marker.setPos(rng.uniform(x0, x1), rng.uniform(y0, y1))
        win.panels.map.start_marker.sigPositionChangeFinished.emit(win.panels.map.start_marker)
    elif kind == "play":
        win.controller.set_playing(True)
    elif kind == "pause":
        win.controller.set_playing(False)
    elif kind == "step":
        QTest.keyClick(win, Qt.Key.Key_Right)
    elif kind == "reset":
        QTest.keyClick(win, Qt.Key.Key_R)
    elif kind == "zoom":
        f = rng.choice([0.5, 0.8, 1.25, 2.0, 10.0, 0.1])
        win.panels.map.vb.scaleBy((f, f))
    elif kind == "resize":
        win.resize(rng.randrange(640, 1600), rng.randrange(480, 1000))
    elif kind == "speed":
        win.transport.speed.setValue(rng.randrange(win.transport.speed.minimum(), win.transport.speed.maximum() + 1))
    elif kind == "limit":
        win.transport.limit.setValue(rng.choice([0, 1, 10, 500, 100000]))
    elif kind == "noise":
        win.panels.problem.noise.setValue(rng.choice([0.0, 0.1, 1.0, 50.0]))
        win.panels.problem.noise.editingFinished.emit()
    elif kind == "select" and c.entries:
        c.select(rng.choice(c.entries).uid)
    elif kind == "explain":
        QTest.keyClick(win, Qt.Key.Key_E)
    elif kind == "step-by-step":
        QTest.keyClick(win, Qt.Key.Key_S)
    return kind


@pytest.mark.parametrize("seed", SEEDS)
def test_random_user_actions_keep_the_app_alive_and_consistent(window, qtbot, seed):
    rng = random.Random(seed)
    done = []
    for _ in range(ACTIONS):
        done.append(act(window, rng, qtbot))
        QApplication.processEvents()
        window.frame()
        check_consistent(window)
    # Still usable at the end: reset, one step, the race moves.
    window.controller.set_playing(False)
    window.controller.load_scene(engine.files.scene.Scene(surface="bowl",
                                                    runs=[engine.files.scene.RunConfig("gd")]))
    window.controller.worker.step(3)
    qtbot.waitUntil(lambda: window.controller.race.step == 3, timeout=10_000)
    assert len(set(done)) > 15  # the monkey really tried most things
