"""The main window: it assembles the registered panels (gui.panels) in their columns, the
transport toolbar, the menus (with the panels' own entries) and the status line, and
passes the controller's news on to the panels' hooks.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox

from descentlab import engine
from descentlab.engine.files.scene import SceneError, load_scene, save_scene

from .centre_swap import CentreSwap, DataSwap
from .columns import Columns
from .control.readiness import RACE
from .menus import build_menus
from .own_data import CsvDrop
from .panels import PANELS, Panels
from .status import StatusLine
from .support import i18n
from .support.fonts import install_cjk_fallback
from .support.i18n import fill, shown, translate
from .support.log import log_error
from .support.presets import Preset
from .support.threads import retire
from .support.window_geometry import restore_geometry, save_geometry
from .transport import Transport

FRAME_MS = 16  # ≤ 60 frames per second
TABLE_EVERY_S = 0.2  # the leaderboard and status bar refresh at 5 Hz: readable, cheap


def presentation_scale(height: int) -> float:
    """Presentation type: 1.5× at 1080 pixels tall, less on a smaller screen — a projector
    shows 720 lines as large as 1080, so the same share of the height reads the same."""
    return max(1.1, min(1.5, 1.5 * height / 1080))


class MainWindow(QMainWindow):
    drawn = Signal(object)  # every snapshot drawn (the lesson player's stops)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.presentation = False
        self.snapshot_mode = False
        self.remembers_geometry = False  # set by remember_geometry (the interactive window only)
        self._scene_path: Path | None = None
        self._scene_shown = False  # the title names the scene once there is one
        self._last_table = 0.0
        self._frames = 0
        self._fps = 0.0
        self._fps_t0 = time.perf_counter()
        self._last_snapshot: engine.Snapshot | None = None
        self._table_stale = False
        install_cjk_fallback()  # before the fonts below are taken from the application's
        self._base_font = QApplication.font()
        self._font_scale = 1.0

        self.panels = Panels()
        self._preset_index: int | None = None
        self.columns = Columns(self)
        for place in PANELS:
            panel = place.panel(controller, self)
            self.panels.add(place.name, panel)
            self.columns.add(panel, place.column, place.stretch)
        self.columns.start(None)
        self.setCentralWidget(self.columns)
        self.data_swap = DataSwap(self.panels.map, self.panels.data, self.panels.view3d)  # key D
        self.centre = CentreSwap(self.panels.map, self.panels.view3d)  # key 3
        self.transport = Transport(controller, self)
        self.addToolBar(self.transport)
        build_menus(self)
        self.csv_drop = CsvDrop(self)  # a .csv file dropped on the window opens as the problem
        self.status = StatusLine(self)
        self.statusBar().addPermanentWidget(self.status, 1)
        for panel in self.panels:
            notice = getattr(panel, "notice", None)  # (gui.panels.base)
            if notice is not None:
                notice.connect(self.notify)

        controller.scene_changed.connect(self._scene_changed)
        controller.runs_changed.connect(self._runs_changed)
        controller.run_edited.connect(lambda uid: self._each("run_edited", uid))
        controller.selection_changed.connect(lambda _: self._each("selection_changed",
                                                                  self._last_snapshot))
        controller.start_changed.connect(lambda: self._each("start_changed"))
        controller.readiness.group_ready.connect(self._group_ready)
        controller.timeline.moved.connect(lambda: self.draw(controller.timeline.live, True)
                                          if controller.timeline.live is not None else None)
        controller.failed.connect(self._report_error)
        controller.limit_reached.connect(lambda: self.notify(translate("MainWindow", "Reached the step limit"), 4))
        controller.play_deferred.connect(lambda: self.notify(translate(
            "MainWindow", "The race starts as soon as the engine is ready (a first launch compiles it)"), 60))
        i18n.language_changed().connect(self.retranslate)

        self.timer = QTimer(self, interval=FRAME_MS)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.frame)
        # Slow ticks until the engine is ready: nothing moves yet, and the compile in the
        # worker wants the interpreter (the GIL) to itself.
        self.timer.start(200)
        self._set_title()
        self.resize(1280, 800)

    def _set_title(self) -> None:
        c = self.controller
        title = (shown(c.scene.title) or shown(c.map_frame.title)) if self._scene_shown else ""
        self.setWindowTitle(f"Descent Lab {engine.__version__}" + (f" — {title}" if title else ""))

    def retranslate(self) -> None:
        """The language changed (View → Language): every panel makes its texts again and
        the newest picture is drawn again; the race goes on."""
        self._each("retranslate")
        self.transport.retranslate()
        self.status.retranslate()
        self._set_title()
        for action in self.language_actions.actions():
            action.setChecked(action.data() == i18n.current())
        if self._last_snapshot is not None:
            self.draw(self._last_snapshot, force_table=True)

    def _group_ready(self, group: str) -> None:
        if group == RACE:
            self.timer.setInterval(FRAME_MS)

    def _each(self, hook: str, *args) -> None:
        for panel in self.panels:
            getattr(panel, hook)(*args)

    # ------------------------------------------------------------------ scenes
    def load_preset(self, preset: Preset) -> None:
        if self.controller.refuses("problem", "runs"):  # a lesson's step locks them
            return
        if self.apply_scene(preset.scene):
            self._scene_path = None

    def step_preset(self, delta: int) -> None:
        """The next (+1) or previous (−1) preset of the menu, wrapping round; full screen stays."""
        index = self._preset_index if self._preset_index is not None else (-1 if delta > 0 else 0)
        self.load_preset(self.presets[(index + delta) % len(self.presets)])

    def apply_scene(self, scene) -> bool:
        try:
            self.controller.load_scene(scene)
        except ValueError as exc:
            QMessageBox.warning(self, translate("MainWindow", "Cannot use this scene"), str(exc))
            return False
        titles = [p.scene.title for p in self.presets]
        if scene.title and scene.title in titles:  # where Page Down / Page Up go on from
            self._preset_index = titles.index(scene.title)
        if self.controller.loading and self.controller.is_ready:
            # Only a dataset scene waits once the race can run: for its kernels (first launch).
            self.notify(fill(translate("MainWindow", "“%1” opens as soon as the dataset kernels are "
                                       "compiled (first launch only, a few seconds)"),
                             shown(scene.title) or translate("MainWindow", "the scene")), 120)
        return True

    def open_scene(self) -> None:
        if self.controller.refuses("problem", "runs"):  # before asking for a file
            return
        path, _ = QFileDialog.getOpenFileName(self, translate("MainWindow", "Open scene"), "",
                                              translate("MainWindow", "Scenes (*.toml)"))
        if path:
            self.open_scene_file(path)

    def open_scene_file(self, path) -> bool:
        if self.controller.refuses("problem", "runs"):
            return False
        try:
            scene = load_scene(path)
        except SceneError as exc:
            QMessageBox.warning(self, translate("MainWindow", "Cannot open the scene"), str(exc))
            return False
        if self.apply_scene(scene):
            self._scene_path = Path(path)
            return True
        return False

    def save_scene(self) -> None:
        start = str(self._scene_path or "scene.toml")
        path, _ = QFileDialog.getSaveFileName(self, translate("MainWindow", "Save scene"), start,
                                              translate("MainWindow", "Scenes (*.toml)"))
        if path:
            self.save_scene_file(path)

    def save_scene_file(self, path) -> bool:
        scene = self.controller.current_scene()
        for part in (*self.panels, self.transport):
            part.save_into(scene)
        try:
            save_scene(scene, path)
        except OSError as exc:
            QMessageBox.warning(self, translate("MainWindow", "Cannot save the scene"),
                                f"{path}: {exc.strerror or exc}")
            return False
        self._scene_path = Path(path)
        self.notify(fill(translate("MainWindow", "Saved %1"), path), 4)
        return True

    # --------------------------------------------------------- controller events
    def _scene_changed(self) -> None:
        self.status.clear_notice()  # a notice about the scene to come ("opens as soon as …") is past
        c = self.controller
        self._last_snapshot = None  # it belongs to the previous scene
        self.transport.scene_changed()
        self._each("scene_changed")
        self.columns.show_for(c.look)
        self._runs_changed()
        self._each("start_changed")
        self._scene_shown = True
        self._set_title()

    def _runs_changed(self) -> None:
        self._each("runs_changed")
        if self._last_snapshot is not None:
            self.draw(self._last_snapshot, force_table=True)

    def _report_error(self, title: str, details: str) -> None:
        log_path = log_error(details)
        title = shown(title)  # a marked text (QT_TRANSLATE_NOOP) or one made already
        last = details.strip().splitlines()[-1] if details.strip() else title
        where = fill(translate("MainWindow", " (details in %1)"), log_path) if log_path else ""
        self.notify(fill(translate("MainWindow", "%1: %2"), title, last) + where, 15)

    # ------------------------------------------------------------------ view menu
    def fit_view(self) -> None:
        """F: the map back to the whole domain; in the 3-D view, the first camera again."""
        view3d = getattr(self.panels, "view3d", None)
        if view3d is not None and view3d.active and view3d.view is not None:
            view3d.view.reset_camera()
        else:
            self.panels.map.fit()

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        # The window's height now; going full screen below resizes it, and resizeEvent
        # then sizes the type for the screen's height.
        self._apply_font(presentation_scale(self.height()) if on else 1.0)
        self._each("set_presentation", on)
        self.legend_action.setChecked(on)
        self.controller.set_colour_blind_safe(on)
        if on:
            self.showFullScreen()
        else:
            self.showNormal()
        self.columns.set_presentation(on)
        if self.presentation_action.isChecked() != on:
            self.presentation_action.setChecked(on)

    def _apply_font(self, scale: float) -> None:
        self._font_scale = scale
        font = QFont(self._base_font)
        font.setPointSizeF(self._base_font.pointSizeF() * scale)
        QApplication.setFont(font)

    def resizeEvent(self, event):  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        if self.presentation and abs(presentation_scale(self.height()) - self._font_scale) > 0.01:
            self._apply_font(presentation_scale(self.height()))  # e.g. full screen on a 720p projector
            self._each("set_presentation", True)
            self.columns.set_presentation(True)

    # ------------------------------------------------------------------ frames
    def advance_and_draw(self, steps: int) -> engine.Snapshot:
        """Run ``steps`` steps on this thread and draw them over a field computed right now.

        For ``--snapshot`` and tests: no worker, no field thread, one finished picture.
        """
        snap = self.controller.advance_now(steps)
        self._each("settle")
        self.draw(snap, force_table=True)
        return snap

    def frame(self) -> None:
        """The frame timer: draw the newest snapshot, if any; refresh the figures at 5 Hz."""
        snap = self.controller.take_snapshot()
        if snap is not None:
            self.draw(snap)
        now = time.perf_counter()
        if now - self._fps_t0 >= 1.0:
            self._fps = self._frames / (now - self._fps_t0)
            self._frames = 0
            self._fps_t0 = now
        if self._last_snapshot is not None and now - self._last_table >= TABLE_EVERY_S:
            self._refresh_table(self._last_snapshot, now)

    def draw(self, snap: engine.Snapshot, force_table: bool = False) -> None:
        snap = self.controller.timeline.shown(snap)  # the live end, or the slider's step
        self._each("draw", snap)
        self._last_snapshot = snap
        self._table_stale = True
        self._frames += 1
        now = time.perf_counter()
        if force_table or now - self._last_table >= TABLE_EVERY_S:
            self._refresh_table(snap, now)
        self.drawn.emit(snap)

    def _refresh_table(self, snap: engine.Snapshot, now: float) -> None:
        self._last_table = now
        if self._table_stale:
            self._each("refresh_table", snap)
            self._table_stale = False
        c = self.controller
        if self.snapshot_mode:
            state = translate("MainWindow", "snapshot")
        else:
            state = (translate("MainWindow", "preparing…") if not c.is_ready or c.loading else
                     translate("MainWindow", "running") if c.playing else
                     translate("MainWindow", "paused — press Space to race") if snap.step == 0 else
                     translate("MainWindow", "paused"))
        self.status.show_race(snap, state, c.steps_per_second, self._fps)

    def notify(self, text: str, seconds: float) -> None:
        """Show ``text`` in the status bar, ahead of the step line, for ``seconds``."""
        self.status.notify(text, seconds)

    # ------------------------------------------------------------------ closing
    def panel_threads(self) -> list:
        return [t for panel in self.panels for t in panel.threads()]

    def threads_running(self) -> bool:
        return self.controller.is_running or any(t.isRunning() for t in self.panel_threads())

    def remember_geometry(self) -> None:
        """Open where the window last closed (else fitted to the screen), and save it on
        close. Only the interactive window does: --snapshot and --record size theirs."""
        restore_geometry(self)
        self.remembers_geometry = True

    def closeEvent(self, event):  # noqa: N802 — Qt's name
        if not self.snapshot_mode and not self.authoring.may_drop_draft():  # a lesson being written
            event.ignore()
            return
        if self.remembers_geometry and not self.snapshot_mode:
            save_geometry(self)
        self.timer.stop()
        threads = self.panel_threads()
        for t in threads:
            t.stop(0)  # every thread is told at once, then waited for
        self.controller.shutdown(400)  # the worker is retired if it is still compiling
        for t in threads:
            t.stop(100)
            retire(t)  # still inside a compile: it ends by itself, never destroyed running
        super().closeEvent(event)
