"""Run by tests/gui/test_lesson_presenter.py in a child process on an Xvfb with two X
screens: open a lesson, show the presenter view, swap screens, press keys in both windows,
and print what it saw as JSON (screens by their index in QGuiApplication.screens()).

    QT_QPA_PLATFORM=xcb DISPLAY=:n python tests/gui/presenter_probe.py
"""

from __future__ import annotations

import json
import sys

from lesson_helpers import lesson  # (run as a script from this folder)

from descentlab import engine  # noqa: F401 — numba before Qt


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from descentlab.gui.control.controller import RaceController
    from descentlab.gui.main_window import MainWindow

    screens = QGuiApplication.screens()

    def index(widget) -> int:
        return screens.index(widget.screen())

    def settle():
        for _ in range(5):
            app.processEvents()

    def activate(widget):
        """``widget``'s window active (its shortcuts answer keys), waited for as waitUntil does."""
        widget.activateWindow()
        for _ in range(500):  # at most 5 s
            if QApplication.activeWindow() is widget:
                return
            QTest.qWait(10)

    facts: dict = {"screens": [[s.size().width(), s.size().height()] for s in screens]}
    controller = RaceController()  # no worker: placement and keys need no race
    win = MainWindow(controller)
    win.resize(1000, 700)
    win.show()
    settle()
    player = win.lessons
    player.open(lesson('+notes = "Say this first"', '+title = "the second"\nnotes = "then this"',
                       "+view = { presentation = false }"))
    player.show_presenter()
    settle()
    p = player.presenter
    facts["before_swap"] = {"window": index(win), "presenter": index(p), "full_screen": win.isFullScreen(),
                            "presentation": bool(win.presentation), "presenter_visible": p.isVisible(),
                            "window_size": [win.width(), win.height()]}
    facts["notes"] = p.notes.toPlainText()
    facts["next_title"] = p.next_title.text()
    facts["thumbnail"] = p.thumbnail.pixmap() is not None and not p.thumbnail.pixmap().isNull()
    facts["steps_listed"] = p.steps.count()
    facts["elapsed"] = p.elapsed.text()
    facts["clock"] = p.clock.text()
    p.swap()
    settle()
    facts["after_swap"] = {"window": index(win), "presenter": index(p), "full_screen": win.isFullScreen(),
                           "window_size": [win.width(), win.height()]}
    # Keys: Page Down in the presenter's window, Page Up in the audience's, Page Down again.
    keys = []
    activate(p)
    QTest.keyClick(p, Qt.Key.Key_PageDown)
    keys.append(player.index)
    facts["notes_after_key"] = p.notes.toPlainText()
    activate(win)
    QTest.keyClick(win, Qt.Key.Key_PageUp)
    keys.append(player.index)
    activate(p)
    QTest.keyClick(p, Qt.Key.Key_PageDown)
    QTest.keyClick(p, Qt.Key.Key_PageDown)
    keys.append(player.index)
    facts["keys"] = keys
    facts["full_screen_after_keys"] = win.isFullScreen() and bool(win.presentation)
    p.steps.itemClicked.emit(p.steps.item(0))  # a click in the step list jumps there
    facts["jumped_to"] = player.index
    player.leave()
    settle()
    facts["presenter_after_leave"] = player.presenter is None
    win.close()
    print(json.dumps(facts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
