"""The stage a clip is filmed on: a hidden copy of the main window with a race of its own.

It is built from a scene (the current one, or a preset's), at the clip's size, in
presentation style or not, and never shown on screen (``WA_DontShowOnScreen``): each
frame is the same panels the window uses, drawn by the same code, rendered into a QImage.
The window the lecturer is looking at, its race and its worker are not touched — its
font neither: presentation style enlarges the *application's* font, so the stage is
built under the font it wants and then holds that font as its own.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QImage
from PySide6.QtWidgets import QApplication

from descentlab import engine

ADVANCE_SLICE_S = 0.03  # a long run-up to the first step goes in slices of about this long


@contextmanager
def application_font(font: QFont):
    """The application's font is ``font`` inside the block and what it was afterwards."""
    before = QFont(QApplication.font())
    QApplication.setFont(font)
    try:
        yield
    finally:
        QApplication.setFont(before)


class ClipStage:
    def __init__(self, scene, size: tuple[int, int], window_class, presentation: bool = False,
                 base_font: QFont | None = None, explain: bool = False, basins: bool = False):
        """``window_class``: the main window's class (gui.main_window.MainWindow), passed in
        because the main window's menus lead here."""
        from .controller import RaceController

        self.size = (int(size[0]), int(size[1]))
        base = QFont(base_font) if base_font is not None else QFont(QApplication.font())
        with application_font(base):
            self.controller = RaceController()
            window = window_class(self.controller)
            self.window = window
            window.timer.stop()  # no frame timer: the clip says when to draw
            window.snapshot_mode = True
            window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
            window.menuBar().hide()
            window.transport.hide()
            window.resize(*self.size)
            try:
                self.controller.load_scene(scene)  # ValueError, with its message, if it cannot
            except BaseException:
                self.close()  # no hidden window or field thread is left behind
                raise
            if presentation:
                window.set_presentation(True)  # sets the application font, restored below
                window.showNormal()
                window.resize(*self.size)
            if explain:
                self.controller.explain.set_on(True)
            if basins:
                window.basins_action.setChecked(True)
            window.show()
            window.setFont(QFont(QApplication.font()))  # the stage keeps its own type size
        QApplication.processEvents()
        self._image = QImage(*self.size, QImage.Format.Format_RGB32)
        self.snapshot = window.advance_and_draw(0)  # the field, computed now
        # Painted only into the clip's image: the event loop must not paint the hidden
        # window too (that doubled the cost of a frame). Layouts still settle as usual.
        window.setUpdatesEnabled(False)

    @property
    def step(self) -> int:
        return int(self.controller.race.step)

    def advance_towards(self, target: int, budget_s: float = ADVANCE_SLICE_S) -> bool:
        """Step the race towards ``target`` for about ``budget_s`` seconds; True once there.

        Chunks grow while they are quick, so a long run-up costs few calls."""
        chunk = 64
        t_end = time.perf_counter() + budget_s
        race = self.controller.race
        while race.step < target:
            n = min(chunk, target - race.step)
            t0 = time.perf_counter()
            self.controller.advance_now(n)
            if time.perf_counter() >= t_end:
                break
            if time.perf_counter() - t0 < budget_s / 8:
                chunk *= 2
        return race.step >= target

    def draw(self, fps: float, steps_per_frame: float) -> engine.Snapshot:
        """Draw the race as it is now; the status line gives the step and the clip's pace."""
        c = self.controller
        with c.lock:
            c.race.explain_uid = c.explain_uid
            snap = c.race.snapshot()
        self.window.draw(snap, force_table=True)
        self.window.status.show_race(snap, "clip", steps_per_frame * fps, fps)
        self.snapshot = snap
        return snap

    def render(self) -> np.ndarray:
        """The window as drawn, ``(height, width, 4)`` uint8 in QImage.Format_RGB32's bytes
        (a copy: it may be encoded while the next frame is drawn)."""
        img = self._image
        img.fill(0xFFFFFFFF)
        self.window.setUpdatesEnabled(True)  # render() draws nothing while updates are off
        try:
            self.window.render(img)
        finally:
            self.window.setUpdatesEnabled(False)
        w, h = self.size
        buf = np.frombuffer(img.constBits(), np.uint8, count=img.bytesPerLine() * h)
        return buf.reshape(h, img.bytesPerLine())[:, : w * 4].reshape(h, w, 4).copy()

    def close(self) -> None:
        window = self.window
        for thread in window.panel_threads():
            thread.stop(1000)
        window.close()
        window.deleteLater()
