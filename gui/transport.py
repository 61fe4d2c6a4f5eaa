"""The transport toolbar: play / pause, one step, reset, the speed and the step limit."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QSlider, QSpinBox, QToolBar

from descentlab.engine.files.scene import MAX_SPEED


def speed_from_slider(pos: int) -> float:
    """Slider 0..600 → 1 … 1,000,000 steps per second, logarithmic (100 positions a decade),
    rounded to a whole number below 10 steps per second and to a multiple of 10 from 10 on."""
    value = 10 ** (pos / 100.0)
    digits = max(0, 1 - int(math.floor(math.log10(value))))
    return float(round(value, digits - 1)) if value >= 10 else float(round(value))


def slider_from_speed(speed: float) -> int:
    return int(round(100 * math.log10(min(max(speed, 1.0), MAX_SPEED))))


class Transport(QToolBar):
    def __init__(self, controller, parent=None):
        super().__init__("Transport", parent)
        self.controller = controller
        self.setMovable(False)
        self.play_action = QAction("▶ Play", self, shortcut=QKeySequence(Qt.Key.Key_Space))
        self.play_action.setToolTip("Play / pause (Space)")
        self.play_action.triggered.connect(self.toggle_play)
        self.step_action = QAction("Step ▸", self, shortcut=QKeySequence(Qt.Key.Key_Right))
        self.step_action.setToolTip("One step (→)")
        self.step_action.triggered.connect(lambda: controller.step(1))
        self.reset_action = QAction("↺ Reset", self, shortcut=QKeySequence(Qt.Key.Key_R))
        self.reset_action.setToolTip("Back to step 0 (R)")
        self.reset_action.triggered.connect(controller.reset)
        for a in (self.play_action, self.step_action, self.reset_action):
            self.addAction(a)
        self.addSeparator()
        self.addWidget(QLabel(" speed ", self))
        self.speed = QSlider(Qt.Orientation.Horizontal, self)
        self.speed.setRange(0, slider_from_speed(MAX_SPEED))
        self.speed.setFixedWidth(160)
        self.speed.valueChanged.connect(self._speed_changed)
        self.addWidget(self.speed)
        self.speed_label = QLabel(self)
        self.speed_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("1,000,000 steps/s "))
        self.addWidget(self.speed_label)
        self.addSeparator()
        self.addWidget(QLabel(" stop at step ", self))
        self.limit = QSpinBox(self)
        self.limit.setRange(0, 1_000_000_000)
        self.limit.setSpecialValueText("no limit")
        self.limit.setGroupSeparatorShown(True)
        self.limit.setSingleStep(100)
        self.limit.valueChanged.connect(self._limit_changed)
        self.addWidget(self.limit)
        controller.playing_changed.connect(self._show_playing)

    def scene_changed(self) -> None:
        scene = self.controller.scene
        self.speed.blockSignals(True)
        self.speed.setValue(slider_from_speed(scene.speed))
        self.speed.blockSignals(False)
        self.speed_label.setText(f"{int(scene.speed):,} steps/s")
        self.limit.blockSignals(True)
        self.limit.setValue(scene.step_limit or 0)
        self.limit.blockSignals(False)

    def save_into(self, scene) -> None:
        # The scene's own speed, not the slider's rounding of it (12 steps/s stays 12).
        scene.speed = self.controller.scene.speed
        scene.step_limit = self.limit.value() or None

    def toggle_play(self) -> None:
        self.controller.set_playing(not self.controller.playing)

    def _show_playing(self, on: bool) -> None:
        self.play_action.setText("❚❚ Pause" if on else "▶ Play")

    def _speed_changed(self, pos: int) -> None:
        speed = speed_from_slider(pos)
        self.speed_label.setText(f"{int(speed):,} steps/s")
        self.controller.set_speed(speed)

    def _limit_changed(self, value: int) -> None:
        self.controller.set_step_limit(value or None)
