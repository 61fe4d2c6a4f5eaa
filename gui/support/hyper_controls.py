"""Controls that fit a hyperparameter: log slider + field for learning rates, a slider for
betas, a check box for flags. Bad values are refused with a visible hint; the run keeps
its last good value.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QVBoxLayout,
    QWidget,
)

from descentlab.engine.quoted import quoted
from descentlab.engine.spec import HyperSpec

from . import i18n
from .i18n import fill, shown, translate

SLIDER_STEPS = 1000
BAD_STYLE = "QLineEdit { border: 2px solid #d0021b; background: #fff0f0; }"


def parse_number(text: str) -> float:
    """A float from what a person typed; ValueError with a readable message otherwise."""
    cleaned = text.strip().replace(",", ".").replace("−", "-")
    if not cleaned:
        raise ValueError(translate("HyperControl", "type a number"))
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(fill(translate("HyperControl", "%1 is not a number"), quoted(text))) from None


class SliderMap:
    """Maps slider positions 0..SLIDER_STEPS to values (log or linear) and back."""

    def __init__(self, spec: HyperSpec):
        low, high = spec.slider_range
        if math.isinf(high):
            high = max(10.0, low * 10)
        self.log = spec.log and low > 0
        self.low, self.high = low, high
        self.integer = spec.kind == "int"

    def value(self, pos: int) -> float:
        if self.integer:  # whole numbers only: the nearest one
            return float(round(self.low + pos / SLIDER_STEPS * (self.high - self.low)))
        f = pos / SLIDER_STEPS
        if self.log:
            return float(10 ** (math.log10(self.low) + f * (math.log10(self.high) - math.log10(self.low))))
        return self.low + f * (self.high - self.low)

    def position(self, value: float) -> int:
        if not math.isfinite(value):
            return 0
        if self.log:
            if value <= 0:
                return 0
            f = (math.log10(value) - math.log10(self.low)) / (math.log10(self.high) - math.log10(self.low))
        else:
            f = (value - self.low) / (self.high - self.low) if self.high > self.low else 0.0
        return int(round(min(max(f, 0.0), 1.0) * SLIDER_STEPS))


def nice(value: float) -> str:
    """A short readable number for the field: 0.001, 3e-05, 0.9."""
    return f"{value:.4g}"


MARK_COLOUR = "#c62828"


class MarkedSlider(QSlider):
    """A slider with one optional red tick across its groove (the lr slider's 2/λ_max)."""

    def __init__(self, orientation, parent=None):
        super().__init__(orientation, parent)
        self.mark: int | None = None  # a slider position, or None

    def set_mark(self, position: int | None) -> None:
        if position != self.mark:
            self.mark = position
            self.update()

    def mark_x(self) -> float | None:
        """The tick's x in the slider's pixels (where the handle's centre would be)."""
        if self.mark is None:
            return None
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        handle = self.style().pixelMetric(QStyle.PixelMetric.PM_SliderLength, opt, self)
        span = max(1, self.width() - handle)
        x = QStyle.sliderPositionFromValue(self.minimum(), self.maximum(), self.mark, span)
        return x + handle / 2.0

    def paintEvent(self, event):  # noqa: N802 — Qt's name
        super().paintEvent(event)
        x = self.mark_x()
        if x is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(MARK_COLOUR), 3))
        painter.drawLine(QPointF(x, 1.0), QPointF(x, self.height() - 1.0))
        painter.end()


class HyperControl(QWidget):
    """One hyperparameter. ``apply(name, value)`` commits (and may raise ValueError)."""

    rejected = Signal(str)  # the hint to show
    accepted = Signal()

    def __init__(self, spec: HyperSpec, value: float, apply: Callable[[str, float], None],
                 parent=None):
        super().__init__(parent)
        self.spec = spec
        self._apply = apply
        self._good = value
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(layout)
        self.retranslate()
        i18n.language_changed().connect(self.retranslate)
        if spec.kind == "bool":
            self.check = QCheckBox(self)
            self.check.setChecked(bool(value))
            self.check.toggled.connect(lambda on: self._commit(1.0 if on else 0.0))
            layout.addWidget(self.check)
            layout.addStretch(1)
            self.slider = self.field = None
            return
        self.check = None
        self.map = SliderMap(spec)
        self.slider = MarkedSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setValue(self.map.position(value))
        self.slider.valueChanged.connect(self._slid)
        self.field = QLineEdit(nice(value), self)
        self.field.setFixedWidth(self.fontMetrics().horizontalAdvance("0.000000") + 14)
        self.field.editingFinished.connect(self._typed)
        self.field.textEdited.connect(lambda _: self.field.setStyleSheet(""))
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.field)
        # The stability limit 2/λ_max at the selected run's point (View → Curvature), lr only.
        self.mark_label = QLabel(self)
        self.mark_label.setStyleSheet(f"color: {MARK_COLOUR}; font-weight: bold")
        self.mark_label.hide()
        outer.addWidget(self.mark_label)  # under the slider: the row keeps its width
        self.mark_value: float | None = None

    def retranslate(self) -> None:
        """The tooltip in the current language: the name, what it does (the engine's text)
        and the values allowed."""
        spec = self.spec
        allowed = translate("HyperControl", "True or False") if spec.kind == "bool" else spec.range_text()
        self.setToolTip(fill(translate("HyperControl", "%1: %2\nallowed: %3"), spec.name, shown(spec.doc), allowed))

    @property
    def value(self) -> float:
        return self._good

    def set_mark(self, value: float | None, text: str = "") -> None:
        """A red tick on the slider at ``value`` and ``text`` beside the field (None: none).
        A value beyond the slider's range puts the tick at that end."""
        if self.slider is None:
            return
        if value is None or not math.isfinite(value):
            self.mark_value = None
            self.slider.set_mark(None)
            self.mark_label.hide()
            return
        self.mark_value = value
        self.slider.set_mark(self.map.position(value))
        if self.mark_label.text() != text:
            self.mark_label.setText(text)
        self.mark_label.setToolTip(self.mark_label.text())
        self.mark_label.show()

    def set_value(self, value: float) -> None:
        """Show a value that was set elsewhere (no commit)."""
        self._good = value
        if self.check is not None:
            self.check.blockSignals(True)
            self.check.setChecked(bool(value))
            self.check.blockSignals(False)
            return
        self.slider.blockSignals(True)
        self.slider.setValue(self.map.position(value))
        self.slider.blockSignals(False)
        self.field.setText(nice(value))
        self.field.setStyleSheet("")

    def _slid(self, pos: int) -> None:
        value = float(nice(self.map.value(pos)))
        if self._commit(value):
            self.field.setText(nice(value))
            self.field.setStyleSheet("")

    def _typed(self) -> None:
        text = self.field.text()
        try:
            value = parse_number(text)
        except ValueError as exc:
            self._refuse(fill(translate("HyperControl", "%1: %2; kept %3"), self.spec.name, exc, nice(self._good)))
            return
        if value == self._good:
            self.field.setStyleSheet("")
            self.accepted.emit()
            return
        if self._commit(value):
            self.slider.blockSignals(True)
            self.slider.setValue(self.map.position(value))
            self.slider.blockSignals(False)

    def _commit(self, value: float) -> bool:
        try:
            self._apply(self.spec.name, value)
        except ValueError as exc:
            self._refuse(fill(translate("HyperControl", "%1; kept %2"), exc, nice(self._good)))
            if self.check is not None:
                self.check.blockSignals(True)
                self.check.setChecked(bool(self._good))
                self.check.blockSignals(False)
            elif self.slider is not None:
                self.slider.blockSignals(True)
                self.slider.setValue(self.map.position(self._good))
                self.slider.blockSignals(False)
            return False
        self._good = value
        self.accepted.emit()
        return True

    def _refuse(self, hint: str) -> None:
        if self.field is not None:
            self.field.setStyleSheet(BAD_STYLE)
            self.field.setText(nice(self._good))
            self.field.selectAll()
        self.rejected.emit(hint)
