"""The stage a clip is filmed on: a hidden copy of the main window with a race of its own.

It is built from a scene (the current one, or a preset's), at the clip's size, in
presentation style or not, and never shown on screen (``WA_DontShowOnScreen``): each
frame is the same panels the window uses, drawn by the same code, rendered into a QImage.
The window the lecturer is looking at, its race and its worker are not touched — its
font neither: presentation style enlarges the *application's* font, so the stage is
built under the font it wants and then holds that font as its own.

A clip smaller than 1280 × 720 is drawn at the smallest size of the clip's shape that is
at least that large (and that the window allows) and scaled down smoothly: the whole
window as it looks at 720 lines, never a corner of it, and never a column squeezed until
its captions and axis labels run into each other (as they did at 960 × 540).
"""

from __future__ import annotations

import math
import time
from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import QEventLoop, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QImage
from PySide6.QtWidgets import QApplication

from descentlab import engine

from ..support.i18n import translate

ADVANCE_SLICE_S = 0.03  # a long run-up to the first step goes in slices of about this long
SETTLE_MS = 250  # longer than the panels' debounce timers (the map's region waits 150 ms)
SETTLE_MAX_S = 5.0  # the longest the first frame waits for the panels' maps
STAGE_AT_LEAST = (1280, 720)  # a smaller clip is drawn this large, then scaled down


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
        from ..control.controller import RaceController

        self.size = (int(size[0]), int(size[1]))
        w, h = self.size
        self._least = max(STAGE_AT_LEAST[0] / w, STAGE_AT_LEAST[1] / h, 1.0)
        # Sized while the application font is the stage's: presentation type follows the
        # window's height (gui.main_window.presentation_scale), set as the application's.
        self.render_size = (math.ceil(w * self._least), math.ceil(h * self._least))
        self.unfinished: list[str] = []  # panels whose maps were still computing (see settle)
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
            window.resize(*self.render_size)
            try:
                self.controller.load_scene(scene)  # ValueError, with its message, if it cannot
            except BaseException:
                self.close()  # no hidden window or field thread is left behind
                raise
            if presentation:
                window.set_presentation(True)  # sets the application font, restored below
                window.showNormal()
                window.resize(*self.render_size)
            if explain:
                self.controller.explain.set_on(True)
            if basins:
                window.basins_action.setChecked(True)
            window.show()
            window.setFont(QFont(QApplication.font()))  # the stage keeps its own type size
        QApplication.processEvents()
        self._fit()
        self.snapshot = window.advance_and_draw(0)  # the field, computed now
        QApplication.processEvents()
        self._fit()
        # Painted only into the clip's image: the event loop must not paint the hidden
        # window too (that doubled the cost of a frame). Layouts still settle as usual.
        window.setUpdatesEnabled(False)

    def settle(self, fps: float, steps_per_frame: float) -> None:
        """Draw once so the layout takes its final shape, let the panels' debounce timers
        fire, then compute now what panels would otherwise get from their threads (the
        field of the map's final region, …): a result that arrived from a thread at some
        frame would make two recordings of the same clip differ. Later thread results
        carry older request numbers and are ignored."""
        for _ in range(3):  # again if settling changed the layout (the window grew, say)
            self.draw(fps, steps_per_frame)
            self._fit()
            self._pump(SETTLE_MS)
            t_end = time.perf_counter() + SETTLE_MAX_S
            while self._busy_threads() and time.perf_counter() < t_end:
                self._pump(20)
            for thread in self._busy_threads():
                # A map that takes longer (a big model's hyperparameter map): stopped, so
                # the clip shows it as it is now from the first frame to the last.
                thread.stop(100)
                self.unfinished.append(type(thread.parent()).__name__)
            self._pump(0)  # the threads' last results, queued as signals
            for panel in self.window.panels:
                panel.settle()
            self.draw(fps, steps_per_frame)
            QApplication.processEvents()
            before = (self.render_size, self._layout())
            self._fit()
            if (self.render_size, self._layout()) == before:
                break
        self._settled_layout = self._layout()

    @staticmethod
    def _pump(ms: int) -> None:
        """Run the event loop for ``ms`` milliseconds (timers fire, signals arrive)."""
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def _fit(self) -> None:
        """The window at the clip's size, or — if that is below STAGE_AT_LEAST or the window
        cannot be that small — at the smallest size of the clip's shape that is neither
        (the frames are scaled down)."""
        w, h = self.size
        for _ in range(4):
            have = self.window.size()
            if have.toTuple() == self.render_size:
                break
            hint = self.window.minimumSizeHint().expandedTo(self.window.minimumSize())
            scale = max(hint.width() / w, hint.height() / h, have.width() / w if have.width() > self.render_size[0]
                        else 0.0, have.height() / h if have.height() > self.render_size[1] else 0.0, self._least)
            self.render_size = (math.ceil(w * scale), math.ceil(h * scale))
            self.window.resize(*self.render_size)
            QApplication.processEvents()
        self._image = QImage(*self.render_size, QImage.Format.Format_RGB32)

    def _busy_threads(self) -> list:
        return [t for t in self.window.panel_threads() if t.isRunning() and not getattr(t, "idle", True)]

    def _layout(self) -> tuple:
        return tuple(panel.size().toTuple() for panel in self.window.panels)

    def settle_if_moved(self, fps: float, steps_per_frame: float) -> bool:
        """Settle again if a panel changed size since (a longer label widened a column,
        say): the map's field of its new region would come from its thread otherwise."""
        if self._layout() == self._settled_layout:
            return False
        self.settle(fps, steps_per_frame)
        return True

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
            c.race.walk_in_snapshots(c.explain_uid)
            snap = c.race.snapshot()
        self.window.draw(snap, force_table=True)
        self.window.status.show_race(snap, translate("ClipStage", "clip"), steps_per_frame * fps, fps)
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
        if self.render_size != self.size:
            img = img.scaled(QSize(w, h), Qt.AspectRatioMode.IgnoreAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
            img = img.convertToFormat(QImage.Format.Format_RGB32)
        buf = np.frombuffer(img.constBits(), np.uint8, count=img.bytesPerLine() * h)
        return buf.reshape(h, img.bytesPerLine())[:, : w * 4].reshape(h, w, 4).copy()

    def close(self) -> None:
        window = self.window
        for thread in window.panel_threads():
            thread.stop(1000)
        window.close()
        window.deleteLater()
