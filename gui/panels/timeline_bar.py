"""The timeline bar under the map: a slider over the recorded steps, "step k of n", and
*Resume from here*. ← goes one recorded step back, → forward (gui.control.timeline has the
logic; the bar sends its intents to the controller, which drives the timeline).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSlider, QWidget

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
        self.slider.setToolTip("Drag back to any recorded step (← / → step through them when paused)")
        self.slider.valueChanged.connect(controller.seek)
        self.label = QLabel(self)
        # Room for most races; the window stays narrow enough for a 1024-pixel screen.
        self.label.setMinimumWidth(self.fontMetrics().horizontalAdvance("step 99,999 of 99,999 "))
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.resume = QPushButton("Resume from here", self)
        self.resume.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.resume.setToolTip("Go back to this step — exactly, by replaying the race — and race on from it")
        self.resume.clicked.connect(controller.resume)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.resume)
        self.back_action = QAction("One recorded step back", self, shortcut=QKeySequence(Qt.Key.Key_Left))
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
            self.label.setMinimumWidth(self.fontMetrics().horizontalAdvance("step 99,999 of 99,999 "))
            self.setMaximumHeight(self.sizeHint().height())

    def share(self, look) -> float:
        return 0.05  # (its maximum height caps it)

    def _replaying(self, step: int) -> None:
        self.label.setText(f"replaying to step {step:,}…")
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
            self.label.setText(f"step {t.step:,} of {end:,}")
        else:
            self.label.setText(f"step {end:,} (live)")
        self.resume.setEnabled(t.in_past)
