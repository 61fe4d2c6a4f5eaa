"""The main window: problem and runs on the left, the map in the middle, loss curves,
leaderboard and equations on the right; transport in the toolbar, figures in the status bar.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSlider,
    QSpinBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

import engine
from engine.scene import SceneError, load_scene, save_scene

from .data_view import DataView
from .equations import EquationsPanel
from .field import FieldRequest, FieldThread, compute_field, retire
from .leaderboard import Leaderboard
from .loss_view import LossView
from .map_view import MapView
from .presets import Preset, list_presets
from .runs_panel import RunsPanel

FRAME_MS = 16  # ≤ 60 frames per second
TABLE_EVERY_S = 0.2  # the leaderboard and status bar refresh at 5 Hz: readable, cheap
MAX_SPEED = 100_000


def speed_from_slider(pos: int) -> float:
    """Slider 0..500 → 1 … 100,000 steps per second, logarithmic, rounded to 2 digits."""
    value = 10 ** (pos / 100.0)
    digits = max(0, 1 - int(math.floor(math.log10(value))))
    return float(round(value, digits - 1)) if value >= 10 else float(round(value))


def slider_from_speed(speed: float) -> int:
    return int(round(100 * math.log10(min(max(speed, 1.0), MAX_SPEED))))


class MainWindow(QMainWindow):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.presentation = False
        self.snapshot_mode = False
        self._field_waiting = False
        self._scene_path: Path | None = None
        self._field_serial = 0
        self._last_table = 0.0
        self._frames = 0
        self._fps = 0.0
        self._fps_t0 = time.perf_counter()
        self._last_snapshot: engine.Snapshot | None = None
        self._table_stale = False
        self._base_font = QApplication.font()

        self.map = MapView(self)
        self.loss = LossView(self)
        self.board = Leaderboard(self)
        self.equations = EquationsPanel(self)
        self.data = DataView(self)  # the points and the selected run's fit (dataset scenes)
        self.data.setVisible(False)
        self.runs = RunsPanel(controller, self)
        self._build_problem_panel()
        self._build_layout()
        self._build_toolbar()
        self._build_menus()
        self.status = QLabel(self)
        self.statusBar().addPermanentWidget(self.status, 1)
        # One permanent label for everything: the status bar's own temporary messages would
        # be hidden behind it (see notify).
        self._status_line = "preparing the engine (a first launch compiles it: a few seconds)…"
        self._notice: tuple[str, float] | None = None
        self.status.setText(self._status_line)

        self.fields = FieldThread(self)
        self.fields.computed.connect(self._field_ready)
        self.fields.failed.connect(lambda tb: self._report_error("Could not draw the surface", tb))
        self.fields.start()

        controller.scene_changed.connect(self._scene_changed)
        controller.runs_changed.connect(self._runs_changed)
        controller.run_edited.connect(self._run_edited)
        controller.selection_changed.connect(lambda _: self._selection_changed())
        controller.start_changed.connect(self._start_changed)
        controller.worker.editable.connect(self._field_kernels_ready)
        controller.worker.ready.connect(self._engine_ready)
        controller.worker.failed.connect(lambda tb: self._report_error("The race stopped", tb))
        controller.worker.finished_limit.connect(self._limit_reached)
        self.map.start_picked.connect(self._start_picked)
        self.map.view_region_changed.connect(self._request_field)

        self.timer = QTimer(self, interval=FRAME_MS)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.frame)
        # Slow ticks until the engine is ready: nothing moves yet, and the compile in the
        # worker wants the interpreter (the GIL) to itself.
        self.timer.start(200)
        self.setWindowTitle(f"Descent Lab {engine.__version__}")
        self.resize(1280, 800)

    # ------------------------------------------------------------------ building
    def _build_problem_panel(self) -> None:
        self.problem_box = QWidget(self)
        form = QFormLayout(self.problem_box)
        form.setContentsMargins(4, 4, 4, 4)
        self.surface_combo = QComboBox(self.problem_box)
        for key, s in engine.SURFACES.items():
            self.surface_combo.addItem(f"{s.name}   {s.formula}", key)
        self.surface_combo.setMaxVisibleItems(20)
        self.surface_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.surface_combo.setMinimumContentsLength(12)
        self.surface_combo.setPlaceholderText("a dataset (see Presets)")
        self.surface_combo.activated.connect(self._surface_picked)
        self.formula = QLabel(self.problem_box)
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setWordWrap(True)
        self.noise = QDoubleSpinBox(self.problem_box)
        self.noise.setRange(0.0, 1000.0)
        self.noise.setDecimals(3)
        self.noise.setSingleStep(0.1)
        self.noise.setMaximumWidth(120)
        self.noise.setToolTip("σ of Gaussian noise added to every gradient (0 = exact gradients)")
        self.noise.editingFinished.connect(self._noise_changed)
        form.addRow("surface", self.surface_combo)
        form.addRow(self.formula)
        form.addRow("gradient noise σ", self.noise)

    def _build_layout(self) -> None:
        left = QWidget(self)
        left.setMinimumWidth(260)
        left.setMaximumWidth(460)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.problem_box)
        lv.addWidget(self.runs, 1)
        self.right = right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.data)
        right.addWidget(self.loss)
        right.addWidget(self.board)
        right.addWidget(self.equations)
        right.setSizes([0, 330, 200, 170])
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.map)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([285, 655, 340])
        self.setCentralWidget(self.splitter)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Transport", self)
        bar.setMovable(False)
        self.addToolBar(bar)
        self.play_action = QAction("▶ Play", self, shortcut=QKeySequence(Qt.Key.Key_Space))
        self.play_action.setToolTip("Play / pause (Space)")
        self.play_action.triggered.connect(self.toggle_play)
        self.step_action = QAction("Step ▸", self, shortcut=QKeySequence(Qt.Key.Key_Right))
        self.step_action.setToolTip("One step (→)")
        self.step_action.triggered.connect(lambda: self.controller.worker.step(1))
        self.reset_action = QAction("↺ Reset", self, shortcut=QKeySequence(Qt.Key.Key_R))
        self.reset_action.setToolTip("Back to step 0 (R)")
        self.reset_action.triggered.connect(self.reset)
        for a in (self.play_action, self.step_action, self.reset_action):
            bar.addAction(a)
        bar.addSeparator()
        bar.addWidget(QLabel(" speed ", self))
        self.speed = QSlider(Qt.Orientation.Horizontal, self)
        self.speed.setRange(0, slider_from_speed(MAX_SPEED))
        self.speed.setFixedWidth(160)
        self.speed.valueChanged.connect(self._speed_changed)
        bar.addWidget(self.speed)
        self.speed_label = QLabel(self)
        self.speed_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("100,000 steps/s "))
        bar.addWidget(self.speed_label)
        bar.addSeparator()
        bar.addWidget(QLabel(" stop at step ", self))
        self.limit = QSpinBox(self)
        self.limit.setRange(0, 1_000_000_000)
        self.limit.setSpecialValueText("no limit")
        self.limit.setGroupSeparatorShown(True)
        self.limit.setSingleStep(100)
        self.limit.valueChanged.connect(self._limit_changed)
        bar.addWidget(self.limit)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction("&Open scene…", QKeySequence.StandardKey.Open, self.open_scene)
        file_menu.addAction("&Save scene…", QKeySequence.StandardKey.Save, self.save_scene)
        file_menu.addSeparator()
        file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.presets_menu = self.menuBar().addMenu("&Presets")
        self.presets: list[Preset] = list_presets()
        for preset in self.presets:
            act = self.presets_menu.addAction(preset.title)
            act.setToolTip(preset.scene.description)
            act.triggered.connect(lambda _=False, p=preset: self.load_preset(p))
        view = self.menuBar().addMenu("&View")
        self.presentation_action = QAction("&Presentation mode", self, checkable=True,
                                           shortcut=QKeySequence(Qt.Key.Key_F11))
        self.presentation_action.toggled.connect(self.set_presentation)
        view.addAction(self.presentation_action)
        view.addAction("&Fit the surface", QKeySequence("F"), self.fit_view)
        self.epochs_action = QAction("Loss against &epochs (datasets)", self, checkable=True)
        self.epochs_action.toggled.connect(self.set_loss_per_epoch)
        view.addAction(self.epochs_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction("&Keyboard and mouse", self._show_help)

    # ------------------------------------------------------------------ scenes
    def load_preset(self, preset: Preset) -> None:
        self.apply_scene(preset.scene)
        self._scene_path = None

    def apply_scene(self, scene) -> bool:
        try:
            self.controller.load_scene(scene)
        except ValueError as exc:
            QMessageBox.warning(self, "Cannot use this scene", str(exc))
            return False
        if self.controller.loading and self.controller.worker.is_ready:
            # Only a dataset scene waits once the race can run: for its kernels (first launch).
            self.notify(f"“{scene.title or 'the scene'}” opens as soon as the dataset kernels are "
                        "compiled (first launch only, a few seconds)", 120)
        return True

    def open_scene(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open scene", "", "Scenes (*.toml)")
        if path:
            self.open_scene_file(path)

    def open_scene_file(self, path) -> bool:
        try:
            scene = load_scene(path)
        except SceneError as exc:
            QMessageBox.warning(self, "Cannot open the scene", str(exc))
            return False
        if self.apply_scene(scene):
            self._scene_path = Path(path)
            return True
        return False

    def save_scene(self) -> None:
        start = str(self._scene_path or "scene.toml")
        path, _ = QFileDialog.getSaveFileName(self, "Save scene", start, "Scenes (*.toml)")
        if path:
            self.save_scene_file(path)

    def save_scene_file(self, path) -> bool:
        scene = self.controller.current_scene()
        (x0, x1), (y0, y1) = self.map.visible_region()
        scene.xrange, scene.yrange = (x0, x1), (y0, y1)
        scene.speed = speed_from_slider(self.speed.value())
        scene.step_limit = self.limit.value() or None
        try:
            save_scene(scene, path)
        except OSError as exc:
            QMessageBox.warning(self, "Cannot save the scene", f"{path}: {exc.strerror or exc}")
            return False
        self._scene_path = Path(path)
        self.notify(f"Saved {path}", 4)
        return True

    # --------------------------------------------------------- controller events
    def _scene_changed(self) -> None:
        self._notice = None  # a notice about the scene to come ("opens as soon as …") is past
        self._show_status()
        c = self.controller
        scene = c.scene
        view = c.view
        if scene.data is None:
            self.surface_combo.setCurrentIndex(self.surface_combo.findData(scene.surface))
        else:
            self.surface_combo.setCurrentIndex(-1)  # shows the placeholder: a dataset
        self.noise.setEnabled(scene.data is None)
        self.formula.setText(f"<b>{view.title}</b><br>"
                             f"<span style='font-size:115%'>{view.formula_html}</span>"
                             f"<br><span style='color:#555'>{view.description}</span>")
        self.noise.blockSignals(True)
        self.noise.setValue(scene.noise)
        self.noise.blockSignals(False)
        self.speed.blockSignals(True)
        self.speed.setValue(slider_from_speed(scene.speed))
        self.speed.blockSignals(False)
        self.speed_label.setText(f"{int(scene.speed):,} steps/s")
        self.limit.blockSignals(True)
        self.limit.setValue(scene.step_limit or 0)
        self.limit.blockSignals(False)
        with c.lock:
            problem = c.race.problem
        self._last_snapshot = None  # it belongs to the previous scene
        self.map.set_problem(view, scene.xrange, scene.yrange)
        dataset = isinstance(problem, engine.DatasetProblem)
        self.data.set_problem(problem if dataset else None)
        if dataset != self.data.isVisible():
            self.data.setVisible(dataset)
            total = sum(self.right.sizes())
            shares = (0.36, 0.27, 0.22, 0.15) if dataset else (0.0, 0.47, 0.29, 0.24)
            self.right.setSizes([int(total * f) for f in shares])
        self.loss.set_problem(problem)
        self.board.f_min = view.f_min
        self.board.minima_values = view.minima_values
        classify = isinstance(problem, engine.DatasetProblem) and problem.dataset.task == "classification"
        self.board.classifier = problem if classify else None
        self._runs_changed()
        self._start_changed()
        self._request_field()
        title = f" — {scene.title}" if scene.title else f" — {view.title}"
        self.setWindowTitle(f"Descent Lab {engine.__version__}{title}")
        self._set_playing(False)

    def _runs_changed(self) -> None:
        entries = self.controller.entries
        self.map.set_runs(entries)
        self.loss.set_runs(entries)
        self._show_equations()
        if self._last_snapshot is not None:
            self.draw(self._last_snapshot, force_table=True)

    def _selection_changed(self) -> None:
        self._show_equations()
        if self._last_snapshot is not None:
            self._show_fit(self._last_snapshot)

    def _run_edited(self, uid: int) -> None:
        if uid == self.controller.selected_uid:
            self._show_equations()

    def _show_equations(self) -> None:
        c = self.controller
        try:
            e = c.entry(c.selected_uid)
        except ValueError:
            self.equations.show_nothing()
            return
        self.equations.show_run(e.config.optimizer, c.hyper_of(e.uid), e.config.label or "",
                                e.colour)

    def _start_changed(self) -> None:
        c = self.controller
        x, y = c.view.to_map(c.start_theta[None, :])[0]
        self.map.set_start(float(x), float(y))

    def _field_kernels_ready(self) -> None:
        if self._field_waiting:
            self._field_waiting = False
            self._request_field()

    def _engine_ready(self) -> None:
        self.timer.setInterval(FRAME_MS)

    def _limit_reached(self) -> None:
        self._set_playing(False)
        self.notify("Reached the step limit", 4)

    def _report_error(self, title: str, details: str) -> None:
        from .app import log_error

        log_path = log_error(details)
        self._set_playing(False)
        last = details.strip().splitlines()[-1] if details.strip() else title
        where = f" (details in {log_path})" if log_path else ""
        self.notify(f"{title}: {last}{where}", 15)

    # ------------------------------------------------------------------ inputs
    def _surface_picked(self, index: int) -> None:
        key = self.surface_combo.itemData(index)
        if key and key != self.controller.scene.surface:
            self.controller.set_surface(key)

    def _noise_changed(self) -> None:
        self.controller.set_noise(self.noise.value())

    def _start_picked(self, x: float, y: float, only_selected: bool) -> None:
        c = self.controller
        if only_selected and c.selected_uid >= 0:
            c.set_start(x, y, c.selected_uid)
        else:
            c.set_start(x, y)

    def _speed_changed(self, pos: int) -> None:
        speed = speed_from_slider(pos)
        self.speed_label.setText(f"{int(speed):,} steps/s")
        self.controller.worker.set_speed(speed)
        self.controller.scene.speed = speed

    def _limit_changed(self, value: int) -> None:
        self.controller.worker.set_step_limit(value or None)
        self.controller.scene.step_limit = value or None

    def toggle_play(self) -> None:
        self._set_playing(not self.controller.worker.playing)

    def _set_playing(self, on: bool) -> None:
        worker = self.controller.worker
        if on:
            worker.play()
        else:
            worker.pause()
        self.play_action.setText("❚❚ Pause" if on else "▶ Play")

    def reset(self) -> None:
        self.controller.reset()

    def fit_view(self) -> None:
        self.map.set_problem(self.controller.view)
        self._request_field()

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        font = QFont(self._base_font)
        if on:
            font.setPointSizeF(self._base_font.pointSizeF() * 1.5)
        QApplication.setFont(font)
        for w in (self.map, self.loss):
            for axis in ("left", "bottom"):
                ax = w.plotItem.getAxis(axis)
                axis_font = QFont(font)
                ax.setStyle(tickFont=axis_font)
                ax.label.setFont(axis_font)
        self.map.set_presentation(on)
        self.loss.set_presentation(on)
        self.data.set_presentation(on)
        self.controller.set_colour_blind_safe(on)
        if on:
            self.showFullScreen()
        else:
            self.showNormal()
        # Large type needs wider side panels; the map keeps about half the width.
        total = sum(self.splitter.sizes())
        shares = (0.22, 0.48, 0.30) if on else (0.22, 0.51, 0.27)
        self.splitter.setSizes([int(total * f) for f in shares])
        if self.presentation_action.isChecked() != on:
            self.presentation_action.setChecked(on)

    def set_loss_per_epoch(self, on: bool) -> None:
        self.loss.per_epoch = on
        with self.controller.lock:
            problem = self.controller.race.problem if self.controller.race else None
        if problem is not None:
            self.loss.set_problem(problem)
        if self._last_snapshot is not None:
            self.draw(self._last_snapshot, force_table=True)

    def _show_help(self) -> None:
        QMessageBox.information(self, "Keyboard and mouse", (
            "Space  play / pause\n→  one step\nR  reset to step 0\nF  fit the surface\n"
            "F11  presentation mode\n\nClick the map: every run starts there.\n"
            "Shift+click: only the selected run.\nDrag the ring to move the start.\n"
            "Wheel: zoom; drag: pan."))

    # ------------------------------------------------------------------ fields
    def _request_field(self) -> None:
        self._field_serial += 1
        view = self.controller.view
        if view is None:
            return
        worker = self.controller.worker
        if worker.isRunning() and not worker.is_editable:
            # First launch: the field's kernel comes with the worker's first group (see
            # engine.precompile); the field follows as soon as that is loaded.
            self._field_waiting = True
            return
        xr, yr = self.map.visible_region()
        w, h = xr[1] - xr[0], yr[1] - yr[0]
        n = view.grid_size
        self.fields.submit(FieldRequest(self._field_serial, view.field_function(),
                                        (xr[0] - 0.05 * w, xr[1] + 0.05 * w),
                                        (yr[0] - 0.05 * h, yr[1] + 0.05 * h), n, n))

    def advance_and_draw(self, steps: int) -> engine.Snapshot:
        """Run ``steps`` steps on this thread and draw them over a field computed right now.

        For ``--snapshot`` and tests: no worker, no field thread, one finished picture.
        """
        c = self.controller
        with c.lock:
            c.race.advance(steps)
            snap = c.race.snapshot()
        xr, yr = self.map.visible_region()
        self._field_serial += 1
        view = c.view
        self.map.set_field(compute_field(FieldRequest(self._field_serial, view.field_function(),
                                                      xr, yr, view.grid_size, view.grid_size)))
        self.draw(snap, force_table=True)
        return snap

    def _field_ready(self, field) -> None:
        if field.serial == self._field_serial:
            self.map.set_field(field)

    # ------------------------------------------------------------------ frames
    def frame(self) -> None:
        """The frame timer: draw the newest snapshot, if any; refresh the figures at 5 Hz."""
        snap = self.controller.worker.take_snapshot()
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
        if getattr(snap, "generation", self.controller.generation) != self.controller.generation:
            return  # taken just before a new scene was loaded
        entries = self.controller.entries
        self.map.update_runs(snap, entries)
        self.loss.update_runs(snap, entries)
        self._last_snapshot = snap
        self._table_stale = True
        self._frames += 1
        now = time.perf_counter()
        if force_table or now - self._last_table >= TABLE_EVERY_S:
            self._refresh_table(snap, now)

    def _refresh_table(self, snap: engine.Snapshot, now: float) -> None:
        self._last_table = now
        if self._table_stale:
            self.board.update_runs(snap, self.controller.entries)
            self._show_fit(snap)
            self._table_stale = False
        self._update_status(snap)

    def _show_fit(self, snap: engine.Snapshot) -> None:
        """The data view follows the selected run (5 times a second, like the table)."""
        if not self.data.isVisible():
            return
        c = self.controller
        run = next((r for r in snap.runs if r.uid == c.selected_uid), None)
        if run is None:
            self.data.clear_fit()
            return
        e = c.entry(run.uid)
        self.data.show_fit(run.position, e.colour, e.config.label or "", loss=run.loss,
                           test_loss=run.test_loss)

    def _update_status(self, snap: engine.Snapshot) -> None:
        worker = self.controller.worker
        if self.snapshot_mode:
            state = "snapshot"
        else:
            state = ("preparing…" if not worker.is_ready or self.controller.loading else
                     "running" if worker.playing else
                     "paused — press Space to race" if snap.step == 0 else "paused")
        rate = worker.steps_per_second if worker.playing else 0.0
        self._status_line = (f"step {snap.step:,}   ·   {rate:,.0f} steps/s   ·   "
                             f"{self._fps:.0f} fps   ·   {state}")
        self._show_status()

    def notify(self, text: str, seconds: float) -> None:
        """Show ``text`` in the status bar, ahead of the step line, for ``seconds``."""
        self._notice = (text, time.monotonic() + seconds)
        self._show_status()

    def _show_status(self) -> None:
        notice = self._notice
        if notice is not None and time.monotonic() > notice[1]:
            notice = self._notice = None
        self.status.setText(self._status_line if notice is None
                            else f"{notice[0]}   ·   {self._status_line}")

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event):  # noqa: N802 — Qt's name
        self.timer.stop()
        self.fields.stop(0)  # both threads are told at once, then waited for
        self.controller.shutdown(400)
        self.fields.stop(100)
        retire(self.fields)  # still inside a compile: it ends by itself, never destroyed running
        retire(self.controller.worker)
        super().closeEvent(event)
