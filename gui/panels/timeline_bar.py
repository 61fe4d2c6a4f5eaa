"""The timeline bar under the map: a slider over the recorded steps, "step k of n", and
*Resume from here*. ← goes one recorded step back, → forward (gui.control.timeline has the
logic; the bar sends its intents to the controller, which drives the timeline).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSlider, QWidget

from ..support.i18n import QT_TRANSLATE_NOOP, bind, fill, translate
from .base import Panel


class TimelineBar(QWidget, Panel):
    initial_height = 34

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.timeline = controller.timeline
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 0)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # ← and → are the window's keys
        bind(self.slider.setToolTip, QT_TRANSLATE_NOOP(
            "TimelineBar", "Drag back to any recorded step (← / → step through them when paused)"))
        self.slider.valueChanged.connect(controller.seek)
        self.label = QLabel(self)
        # Room for most races; the window stays narrow enough for a 1024-pixel screen.
        self._fit_label()
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.resume = QPushButton(self)
        bind(self.resume.setText, QT_TRANSLATE_NOOP("TimelineBar", "Resume from here"))
        self.resume.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bind(self.resume.setToolTip, QT_TRANSLATE_NOOP(
            "TimelineBar", "Go back to this step — exactly, by replaying the race — and race on from it"))
        self.resume.clicked.connect(controller.resume)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.resume)
        self.back_action = QAction(self, shortcut=QKeySequence(Qt.Key.Key_Left))
        bind(self.back_action.setText, QT_TRANSLATE_NOOP("TimelineBar", "One recorded step back"))
        self.back_action.triggered.connect(controller.step_back)
        self.addAction(self.back_action)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMaximumHeight(self.sizeHint().height())
        self.timeline.changed.connect(self.refresh)
        self.timeline.resuming.connect(self._replaying)
        self.refresh()

    def changeEvent(self, event):  # noqa: N802 — Qt's name
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:  # presentation type: a taller bar
            self._fit_label()
            self.setMaximumHeight(self.sizeHint().height())

    def _fit_label(self) -> None:
        widest = fill(translate("TimelineBar", "step %1 of %2"), "99,999", "99,999") + " "
        self.label.setMinimumWidth(self.fontMetrics().horizontalAdvance(widest))

    def retranslate(self) -> None:
        self._fit_label()
        self.setMaximumHeight(self.sizeHint().height())
        self.refresh()

    def share(self, look) -> float:
        return 0.05  # (its maximum height caps it)

    def _replaying(self, step: int) -> None:
        self.label.setText(fill(translate("TimelineBar", "replaying to step %1…"), f"{step:,}"))
        self.resume.setEnabled(False)

    def refresh(self) -> None:
        t = self.timeline
        if t.replaying:
            return
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, t.positions - 1))
        self.slider.setValue(t.position)
        self.slider.blockSignals(False)
        end = t.live.step if t.live is not None else 0
        if t.in_past:
            self.label.setText(fill(translate("TimelineBar", "step %1 of %2"), f"{t.step:,}", f"{end:,}"))
        else:
            self.label.setText(fill(translate("TimelineBar", "step %1 (live)"), f"{end:,}"))
        self.resume.setEnabled(t.in_past)
