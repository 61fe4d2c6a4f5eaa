"""The presenter view: the lecturer's own window while a lesson plays — the step's notes,
the next step's title and a thumbnail of it, the time since the lesson opened and the
clock, the step list to jump to, and *Swap screens*.

With two screens or more (``QGuiApplication.screens()``) it goes on a screen of its own
and the audience's window goes full screen in presentation mode on the other; with one it
is a plain window the lecturer puts where the audience does not look. Every key of the
main window works in it too (Page Down, Space, …): the same actions, triggered.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QSize, Qt, QTime, QTimer
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from descentlab.engine.files.lesson import LessonError
from descentlab.engine.files.scene import SceneError

from ..support.i18n import QT_TRANSLATE_NOOP, bind, fill, shown, translate

THUMB = QSize(320, 200)


def elapsed_text(seconds: float) -> str:
    """0:07:05 — hours, minutes, seconds."""
    s = int(max(0, seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class PresenterView(QWidget):
    def __init__(self, player):
        super().__init__(None, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("presenterView")
        self.player = player
        self.main = player.window
        bind(self.setWindowTitle, QT_TRANSLATE_NOOP("PresenterView", "Descent Lab — presenter view"))
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        bold = QFont(big)
        bold.setBold(True)

        self.where = QLabel()
        self.where.setFont(bold)
        self.where.setWordWrap(True)
        self.notes = QTextBrowser()
        self.notes.setFont(big)
        self.notes.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.notes.setOpenExternalLinks(False)
        left = QVBoxLayout()
        left.addWidget(self.where)
        left.addWidget(self.notes, 1)

        self.next_title = QLabel()
        self.next_title.setFont(bold)
        self.next_title.setWordWrap(True)
        self.thumbnail = QLabel()
        self.thumbnail.setFixedSize(THUMB)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setStyleSheet("background: #eef1f4; border: 1px solid #99a")
        self.elapsed = QLabel()
        self.clock = QLabel()
        for label in (self.elapsed, self.clock):
            label.setFont(bold)
        times = QHBoxLayout()
        times.addWidget(self.elapsed)
        times.addStretch(1)
        times.addWidget(self.clock)
        self.steps = QListWidget()
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its keys stay the lesson's
        self.steps.itemClicked.connect(lambda item: self.player.go(self.steps.row(item)))
        buttons = QHBoxLayout()
        self.buttons = {}
        for name, text, slot in (("previous", "◀", player.previous), ("next", "▶", player.next),
                                 ("reset", QT_TRANSLATE_NOOP("PresenterView", "Reset this step"), player.reset_step),
                                 ("swap", QT_TRANSLATE_NOOP("PresenterView", "Swap screens"), self.swap)):
            button = QPushButton()
            if isinstance(text, str) and not hasattr(text, "context"):
                button.setText(text)
            else:
                bind(button.setText, text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, s=slot: s())
            buttons.addWidget(button)
            self.buttons[name] = button
        right = QVBoxLayout()
        next_head = QLabel()
        bind(next_head.setText, QT_TRANSLATE_NOOP("PresenterView", "Next:"))
        right.addWidget(next_head)
        right.addWidget(self.next_title)
        right.addWidget(self.thumbnail)
        right.addLayout(times)
        right.addWidget(self.steps, 1)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

        self.own_screen = False  # on a screen of its own, the audience's window on another
        self._rendered: dict[int, object] = {}  # step → a thumbnail drawn from its scene
        self._thumb_view = None
        self.shortcuts = self._mirror_keys()
        self.timer = QTimer(self, interval=1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        player.changed.connect(self.refresh)
        self.resize(1000, 640)
        self.refresh()
        self.tick()

    # ------------------------------------------------------------------ keys
    def _mirror_keys(self) -> list[QShortcut]:
        """One shortcut here per key of the main window, triggering the first of its actions
        with that key that is enabled (Page Down: the lesson's step, not the preset's)."""
        by_key: dict[str, list[QAction]] = {}
        for action in self.main.findChildren(QAction):
            for seq in action.shortcuts():
                if not seq.isEmpty():
                    by_key.setdefault(seq.toString(), []).append(action)
        shortcuts = []
        for key, actions in by_key.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda a=actions: _trigger_first_enabled(a))
            shortcuts.append(shortcut)
        return shortcuts

    # ------------------------------------------------------------------ contents
    def refresh(self) -> None:
        p = self.player
        if p.lesson is None:
            self.close()
            return
        steps = p.lesson.steps
        step = p.step
        self.where.setText(fill(translate("PresenterView", "%1 — step %2 of %3: %4"), shown(p.lesson.title),
                                p.index + 1, len(steps), shown(step.title) if step and step.title else ""))
        notes = shown(step.notes) if step is not None and step.notes else ""
        self.notes.setPlainText(notes or translate("PresenterView", "(no notes for this step)"))
        following = p.index + 1
        if following < len(steps):
            nxt = steps[following]
            self.next_title.setText(shown(nxt.title) if nxt.title else fill(translate("PresenterView", "Step %1"),
                                                                             following + 1))
            pixmap = p.thumbnails.get(following) or self._render(following)
            if pixmap is not None:
                self.thumbnail.setPixmap(pixmap.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                                       Qt.TransformationMode.SmoothTransformation))
            else:
                self.thumbnail.clear()
        else:
            self.next_title.setText(translate("PresenterView", "(the last step)"))
            self.thumbnail.clear()
        self.steps.blockSignals(True)
        self.steps.clear()
        for k, s in enumerate(steps, start=1):
            title = shown(s.title) if s.title else ""
            self.steps.addItem(f"{k}. {title}")
        self.steps.setCurrentRow(p.index)
        self.steps.blockSignals(False)
        self.buttons["previous"].setEnabled(p.index > 0)
        self.buttons["next"].setEnabled(following < len(steps) or p.ask.waiting)
        self.buttons["swap"].setEnabled(len(QGuiApplication.screens()) > 1)

    def tick(self) -> None:
        self.elapsed.setText(fill(translate("PresenterView", "elapsed %1"),
                                  elapsed_text(time.monotonic() - self.player.opened_at)))
        self.clock.setText(QTime.currentTime().toString("HH:mm"))

    def _render(self, index: int):
        """A thumbnail of step ``index`` drawn from its scene (its surface or loss plane),
        when its kernels are loaded; None otherwise."""
        if index in self._rendered:
            return self._rendered[index]
        controller = self.player.controller
        try:
            scene = self.player.lesson.scene_of(index)
        except (LessonError, SceneError):
            return None
        if not (controller.readiness.scene_ready(scene) and controller.readiness.fields_ready):
            return None
        from .thumbnail import render_scene

        if self._thumb_view is None:
            from ..map.map_widget import MapView

            self._thumb_view = MapView()
            self._thumb_view.resize(THUMB)
        pixmap = render_scene(self._thumb_view, scene)
        self._rendered[index] = pixmap
        return pixmap

    # ------------------------------------------------------------------ screens
    def place(self) -> None:
        """Show it: on a screen of its own when there are two (the audience's window full
        screen in presentation mode on the other), else as a window beside the main one."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            audience = self.main.screen()
            mine = next((s for s in screens if s is not audience), screens[-1])
            move_to(self, mine, full=False)
            if not self.main.presentation:
                self.main.presentation_action.setChecked(True)  # full screen, large type
            move_to(self.main, audience, full=True)
            self.own_screen = True
        else:
            self.show()
        self.raise_()
        self.activateWindow()

    def swap(self) -> None:
        """The audience's window and this one change screens."""
        audience, mine = self.main.screen(), self.screen()
        if audience is mine:
            return
        full = self.main.presentation
        move_to(self.main, mine, full=full)
        move_to(self, audience, full=False)

    def closeEvent(self, event):  # noqa: N802 — Qt's name
        self.timer.stop()
        if self._thumb_view is not None:
            self._thumb_view.deleteLater()
        super().closeEvent(event)


def _trigger_first_enabled(actions) -> None:
    for action in actions:
        if action.isEnabled():
            action.trigger()
            return


def move_to(widget: QWidget, screen, full: bool) -> None:
    """Show top-level ``widget`` on ``screen``: full screen, or filling its free area."""
    if widget.isFullScreen():
        widget.showNormal()
    widget.setScreen(screen)
    handle = widget.windowHandle()
    if handle is not None:
        handle.setScreen(screen)
    area = screen.availableGeometry()
    if full:
        widget.setGeometry(screen.geometry())  # (what full screen is, also without a window manager)
        widget.showFullScreen()
        return
    widget.move(area.topLeft())
    widget.resize(min(widget.width(), area.width()), min(widget.height(), area.height()))
    widget.show()
