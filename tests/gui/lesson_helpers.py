"""Helpers for the lesson tests: one window (with its worker) per test module, tiny lessons."""

import pytest
from gui_helpers import threads_stopper
from pytestqt.qtbot import QtBot

from descentlab.engine.files.lesson import loads_lesson

BOWL = """
[steps.scene]
title = { en = "bowl", zh_CN = "碗" }
[steps.scene.problem]
surface = "ellipse"
start = [-4.5, 1.5]
[steps.scene.view]
speed = SPEED
[[steps.scene.runs]]
optimizer = "gd"
label = "GD"
lr = 0.12
[[steps.scene.runs]]
optimizer = "adam"
label = "Adam"
lr = 0.1
"""


def lesson_text(*steps: str, speed: int = 100_000) -> str:
    """A lesson of ``steps``: each the keys of one [[steps]] table; a step starting with
    "+" gets the bowl (raced at ``speed`` steps a second) as its scene."""
    text = '[lesson]\ntitle = { en = "Test lesson", zh_CN = "测试课" }\n'
    for k, step in enumerate(steps):
        bowl = BOWL.replace("SPEED", str(speed)) if step.startswith("+") else ""
        title = "" if step.lstrip("+").startswith("title") else f'title = "step {k + 1}"\n'
        text += "\n[[steps]]\n" + title + step.lstrip("+") + "\n" + bowl
    return text


def lesson(*steps: str, speed: int = 100_000):
    return loads_lesson(lesson_text(*steps, speed=speed))


START = "narrow-ellipse"  # a small preset (four runs): a test's lesson gives it back when it leaves


def module_window(qapp, request):
    """The main window with its worker running and a small preset loaded: built once for a
    module (a window costs a second), given back as it was after each test (:func:`fresh`)."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from descentlab.gui.control.controller import RaceController
    from descentlab.gui.main_window import MainWindow
    from descentlab.gui.support.presets import find_preset

    font = QApplication.font()
    messages = []
    patch = pytest.MonkeyPatch()
    patch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: messages.append(text))
    controller = RaceController()
    win = MainWindow(controller)
    win.messages = messages
    win.show()
    controller.start()
    win.apply_scene(find_preset(START).scene)
    bot = QtBot(request)
    bot.waitUntil(lambda: controller.is_ready and controller.race is not None, timeout=60_000)
    yield win
    stopped = threads_stopper(win)
    win.close()
    patch.undo()
    QApplication.setFont(font)
    bot.waitUntil(stopped, timeout=120_000)


def activate(win, qtbot):
    """The window active again (keys go to the active window's shortcuts)."""
    from PySide6.QtWidgets import QApplication

    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5_000)


def fresh(win):
    """After a test: no lesson, no draft, English, the default scene, no messages."""
    from descentlab.gui.support import i18n
    from descentlab.gui.support.presets import find_preset

    win.lessons.leave()
    win.authoring.dirty = False  # a test's draft let go without asking
    win.authoring.new_draft()
    if i18n.current() != "en":
        i18n.set_language("en", remember=False)
    win.controller.set_playing(False)
    if win.controller.scene.title != find_preset(START).scene.title:
        win.apply_scene(find_preset(START).scene)
    win.messages.clear()
