"""The transport toolbar: play / pause, one step, reset, the speed and the step limit."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QSlider, QSpinBox, QToolBar

from descentlab.engine.files.scene import MAX_SPEED

from .support.i18n import QT_TRANSLATE_NOOP, bind, fill, translate


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
        super().__init__(parent)
        bind(self.setWindowTitle, QT_TRANSLATE_NOOP("Transport", "Transport"))
        self.controller = controller
        self.setMovable(False)
        self.play_action = QAction(self, shortcut=QKeySequence(Qt.Key.Key_Space))
        self._show_playing(False)
        bind(self.play_action.setToolTip, QT_TRANSLATE_NOOP("Transport", "Play / pause (Space)"))
        self.play_action.triggered.connect(self.toggle_play)
        self.step_action = QAction(self, shortcut=QKeySequence(Qt.Key.Key_Right))
        bind(self.step_action.setText, QT_TRANSLATE_NOOP("Transport", "Step ▸"))
        bind(self.step_action.setToolTip, QT_TRANSLATE_NOOP("Transport", "One step (→)"))
        self.step_action.triggered.connect(lambda: controller.step(1))
        self.reset_action = QAction(self, shortcut=QKeySequence(Qt.Key.Key_R))
        bind(self.reset_action.setText, QT_TRANSLATE_NOOP("Transport", "↺ Reset"))
        bind(self.reset_action.setToolTip, QT_TRANSLATE_NOOP("Transport", "Back to step 0 (R)"))
        self.reset_action.triggered.connect(controller.reset)
        for a in (self.play_action, self.step_action, self.reset_action):
            self.addAction(a)
        self.addSeparator()
        speed_label = QLabel(self)
        bind(speed_label.setText, QT_TRANSLATE_NOOP("Transport", " speed "))
        self.addWidget(speed_label)
        self.speed = QSlider(Qt.Orientation.Horizontal, self)
        self.speed.setRange(0, slider_from_speed(MAX_SPEED))
        self.speed.setFixedWidth(160)
        self.speed.valueChanged.connect(self._speed_changed)
        self.addWidget(self.speed)
        self.speed_label = QLabel(self)
        self.speed_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("1,000,000 steps/s "))
        self.addWidget(self.speed_label)
        self.addSeparator()
        limit_label = QLabel(self)
        bind(limit_label.setText, QT_TRANSLATE_NOOP("Transport", " stop at step "))
        self.addWidget(limit_label)
        self.limit = QSpinBox(self)
        self.limit.setRange(0, 1_000_000_000)
        bind(self.limit.setSpecialValueText, QT_TRANSLATE_NOOP("Transport", "no limit"))
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
        self._show_speed(scene.speed)
        self.limit.blockSignals(True)
        self.limit.setValue(scene.step_limit or 0)
        self.limit.blockSignals(False)

    def save_into(self, scene) -> None:
        # The scene's own speed, not the slider's rounding of it (12 steps/s stays 12).
        scene.speed = self.controller.scene.speed
        scene.step_limit = self.limit.value() or None

    def toggle_play(self) -> None:
        self.controller.set_playing(not self.controller.playing)

    def retranslate(self) -> None:
        self._show_playing(self.controller.playing)
        self._show_speed(self.controller.scene.speed)

    def _show_playing(self, on: bool) -> None:
        self.play_action.setText(translate("Transport", "❚❚ Pause") if on else translate("Transport", "▶ Play"))

    def _show_speed(self, speed: float) -> None:
        self.speed_label.setText(fill(translate("Transport", "%1 steps/s"), f"{int(speed):,}"))

    def _speed_changed(self, pos: int) -> None:
        speed = speed_from_slider(pos)
        self._show_speed(speed)
        self.controller.set_speed(speed)

    def _limit_changed(self, value: int) -> None:
        self.controller.set_step_limit(value or None)
