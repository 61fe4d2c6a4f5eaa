"""The runs panel: one card per run (colour, on/off, label, hyperparameters) and a
catalogue to add more — the same optimizer several times with different settings too.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from descentlab import engine
from descentlab.engine.maps.races import DEFAULT_STEPS
from descentlab.engine.optimizers._explain import fmt_number
from descentlab.engine.race import schedules

from ..map.curvature_layer import TEXT_EVERY_S
from ..support.hyper_controls import HyperControl
from ..support.i18n import QT_TRANSLATE_NOOP, bind, fill, shown, translate
from .base import Panel


def sparkline(values, colour: str, width: int = 150, height: int = 26, mark: int = -1) -> QPixmap:
    """A small lr-against-step picture (linear lr axis from 0 to its maximum)."""
    pix = QPixmap(width, height)
    pix.fill(QColor(0, 0, 0, 0))
    n = len(values)
    top = max(float(max(values)) if n else 0.0, 1e-300)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#bbb"), 1))
    painter.drawLine(0, height - 1, width, height - 1)
    if n:
        step = max(1, n // (2 * width))
        pts = [QPointF(i / max(n - 1, 1) * (width - 2) + 1,
                       (height - 2) - float(values[i]) / top * (height - 4) + 1)
               for i in range(0, n, step)]
        painter.setPen(QPen(QColor(colour), 1.5))
        painter.drawPolyline(QPolygonF(pts))
        if 0 <= mark < n:
            x = mark / max(n - 1, 1) * (width - 2) + 1
            painter.setPen(QPen(QColor("#333"), 1))
            painter.drawLine(QPointF(x, 0), QPointF(x, height))
    painter.end()
    return pix


class ScheduleRow(QWidget):
    """A run's lr schedule: its kind, its parameters (torch's names) and a sparkline."""

    def __init__(self, controller, uid: int, colour: str, parent=None):
        super().__init__(parent)
        self.controller, self.uid, self.colour = controller, uid, colour
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        row = QHBoxLayout()
        self.kind = QComboBox(self)
        for key in schedules.KINDS:
            self.kind.addItem(shown(schedules.NAMES[key]), key)
        bind(self.kind.setToolTip, QT_TRANSLATE_NOOP(
            "ScheduleRow", "lr schedule, stepped after every step as torch.optim.lr_scheduler"))
        self.params = QLineEdit(self)
        bind(self.params.setToolTip, QT_TRANSLATE_NOOP("ScheduleRow", "parameters, e.g. T_max=100, eta_min=0"))
        row.addWidget(self.kind)
        row.addWidget(self.params, 1)
        layout.addLayout(row)
        self.spark = QLabel(self)
        bind(self.spark.setToolTip, QT_TRANSLATE_NOOP("ScheduleRow", "lr against step"))
        layout.addWidget(self.spark)
        self.kind.activated.connect(self._kind_changed)
        self.params.editingFinished.connect(self._params_changed)
        self.hint = None
        self.refresh()

    def retranslate(self) -> None:
        for i in range(self.kind.count()):
            self.kind.setItemText(i, shown(schedules.NAMES[self.kind.itemData(i)]))
        self.refresh()

    def refresh(self) -> None:
        sched = self.controller.schedule_of(self.uid)
        self.kind.setCurrentIndex(self.kind.findData(sched.name))
        if not self.params.hasFocus():
            self.params.setText(", ".join(f"{k}={v:g}" for k, v in sched.params.items()))
        self.params.setVisible(not sched.is_constant)
        self.spark.setVisible(not sched.is_constant)
        if not sched.is_constant:
            lr = self.controller.hyper_of(self.uid)["lr"]
            n = int(self.controller.scene.step_limit or DEFAULT_STEPS)
            self.spark.setPixmap(sparkline(engine.schedule_lrs(sched, lr, n), self.colour))
            self.spark.setToolTip(fill(translate("ScheduleRow", "lr from %1 over %2 steps: %3"),
                                       f"{lr:g}", n, shown(sched.describe())))

    def _apply(self, schedule) -> None:
        def apply():
            try:
                self.controller.set_schedule(self.uid, schedule)
            except ValueError as exc:
                if self.hint is not None:
                    self.hint(str(exc))
            self.refresh()
        QTimer.singleShot(0, apply)

    def _kind_changed(self, index: int) -> None:
        self._apply(self.kind.itemData(index))

    def _params_changed(self) -> None:
        params = {}
        try:
            for part in self.params.text().replace(";", ",").split(","):
                if part.strip():
                    k, v = part.split("=")
                    v = float(v)
                    params[k.strip()] = int(v) if k.strip() in schedules.INT_PARAMS else v
        except ValueError:
            if self.hint is not None:
                self.hint(translate("ScheduleRow", "write the parameters as name=value, name=value"))
            return
        current = self.controller.schedule_of(self.uid)
        if params != current.params:
            self._apply({"name": current.name, **params})


def swatch(colour: str, size: int = 14) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(QColor(colour))
    return QIcon(pix)


class RunCard(QFrame):
    clicked = Signal(int)

    def __init__(self, controller, entry, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.uid = entry.uid
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("RunCard")
        spec = engine.get_optimizer(entry.config.optimizer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(2)

        head = QHBoxLayout()
        self.colour = QLabel(self)
        self.enabled = QCheckBox(self)
        self.enabled.setChecked(entry.config.enabled)
        bind(self.enabled.setToolTip, QT_TRANSLATE_NOOP("RunCard", "show this run"))
        self.enabled.toggled.connect(lambda on: controller.set_enabled(self.uid, on))
        self.label = QLineEdit(entry.label, self)
        self.label.setMaxLength(80)
        self.label.setCursorPosition(0)  # show a long label's beginning, not its end
        self.label.editingFinished.connect(self._relabel)
        self.spec = spec
        self.kind = kind = QLabel(shown(spec.name), self)
        kind.setStyleSheet("color: #666")
        dup = QToolButton(self, text="+")
        bind(dup.setToolTip, QT_TRANSLATE_NOOP("RunCard", "duplicate this run (same settings)"))
        dup.clicked.connect(lambda: controller.duplicate_run(self.uid))
        rm = QToolButton(self, text="×")
        bind(rm.setToolTip, QT_TRANSLATE_NOOP("RunCard", "remove this run"))
        rm.clicked.connect(lambda: controller.remove_run(self.uid))
        # The label gets the card's whole width (large type in presentation mode would
        # cut it otherwise); the optimizer's name and the buttons go on the line below.
        for w in (self.colour, self.enabled):
            head.addWidget(w)
        head.addWidget(self.label, 1)
        layout.addLayout(head)
        tools = QHBoxLayout()
        tools.addWidget(kind)
        tools.addStretch(1)
        for w in (dup, rm):
            tools.addWidget(w)
        layout.addLayout(tools)

        self.form = form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(1)
        hyper = controller.hyper_of(self.uid)
        self.controls: dict[str, HyperControl] = {}
        for h in spec.hyper:
            control = HyperControl(h, hyper[h.name], self._apply, self)
            control.rejected.connect(self._show_hint)
            control.accepted.connect(lambda: self.hint.setVisible(False))
            self.controls[h.name] = control
            form.addRow(h.name, control)
        self.always_shown = {0}
        if controller.is_dataset:
            self._add_data_rows(entry)
        self.schedule = ScheduleRow(controller, self.uid, entry.colour, self)
        self.schedule.hint = self._show_hint
        form.addRow(self._row_label(QT_TRANSLATE_NOOP("RunCard", "schedule")), self.schedule)
        self.always_shown.add(form.rowCount() - 1)
        layout.addLayout(form)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #b00020")
        self.hint.setVisible(False)
        layout.addWidget(self.hint)
        self.update_entry(entry, selected=False)

    def _row_label(self, text) -> QLabel:
        label = QLabel(self)
        bind(label.setText, text)
        return label

    def retranslate(self) -> None:
        """The texts made when the card was built (bound ones follow by themselves)."""
        self.kind.setText(shown(self.spec.name))
        loss = getattr(self, "loss", None)
        if loss is not None:
            for i in range(loss.count()):
                loss.setItemText(i, shown(engine.LOSSES[loss.itemData(i)].name))
        self.schedule.retranslate()

    def _add_data_rows(self, entry) -> None:
        """Dataset problems: the batch size (GD ↔ mini-batch ↔ SGD) and the run's loss."""
        problem = self.controller.race.problem
        n_train = len(problem.y)
        self.batch = QSpinBox(self)
        self.batch.setRange(0, n_train)
        bind(self.batch.setSpecialValueText, QT_TRANSLATE_NOOP("RunCard", "all %1 (GD)"), n_train)
        self.batch.setValue(entry.config.batch_size or 0)
        bind(self.batch.setToolTip, QT_TRANSLATE_NOOP(
            "RunCard", "samples per step: all = batch GD, B = mini-batch, 1 = SGD"))
        self.batch.editingFinished.connect(self._batch_changed)
        self.form.insertRow(1, self._row_label(QT_TRANSLATE_NOOP("RunCard", "batch")), self.batch)
        self.always_shown.add(1)
        fitting = problem.losses_that_fit()
        if len(fitting) > 1:
            self.loss = QComboBox(self)
            self.loss.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.loss.setMinimumContentsLength(8)
            for key in fitting:
                self.loss.addItem(shown(engine.LOSSES[key].name), key)
            self.loss.setCurrentIndex(max(0, self.loss.findData(entry.config.loss or problem.loss_key)))
            self.loss.activated.connect(self._loss_changed)
            self.form.insertRow(2, self._row_label(QT_TRANSLATE_NOOP("RunCard", "loss")), self.loss)

    def _batch_changed(self) -> None:
        value = self.batch.value() or None
        if value != self.controller.entry(self.uid).config.batch_size:
            self._restart_with(batch_size=value)

    def _loss_changed(self, index: int) -> None:
        self._restart_with(loss=self.loss.itemData(index))

    def _restart_with(self, **changes) -> None:
        # The race restarts (and this card is rebuilt): do it after this signal returns.
        def apply():
            try:
                self.controller.set_run_data(self.uid, **changes)
            except ValueError as exc:
                self._show_hint(str(exc))
        QTimer.singleShot(0, apply)

    def update_entry(self, entry, selected: bool) -> None:
        # Only the selected card shows every hyperparameter; the others show the
        # learning rate (and batch size), so a dozen runs still fit on one screen.
        for row in range(1, self.form.rowCount()):
            self.form.setRowVisible(row, selected or row in self.always_shown)
        self.colour.setPixmap(swatch(entry.colour).pixmap(14, 14))
        border = entry.colour if selected else "#c8c8c8"
        width = 2 if selected else 1
        self.setStyleSheet(f"#RunCard {{ border: {width}px solid {border}; border-radius: 4px; }}")
        if self.label.text() != entry.label and not self.label.hasFocus():
            self.label.setText(entry.label)
            self.label.setCursorPosition(0)

    def refresh_values(self) -> None:
        hyper = self.controller.hyper_of(self.uid)
        for name, control in self.controls.items():
            control.set_value(hyper[name])
        self.schedule.refresh()

    def _apply(self, name: str, value: float) -> None:
        self.controller.set_hyper(self.uid, name, value)

    def _show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(True)

    def _relabel(self) -> None:
        text = self.label.text().strip()
        # Unchanged, it stays what it is (a preset's label in both languages stays both).
        if text and text != self.controller.entry(self.uid).label:
            self.controller.set_label(self.uid, text)

    def mousePressEvent(self, event):  # noqa: N802 — Qt's name
        self.clicked.emit(self.uid)
        super().mousePressEvent(event)


class RunsPanel(QWidget, Panel):
    notice = Signal(str, float)  # for the status line: text, seconds

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.add = QComboBox(self)
        self.add.addItem(translate("RunsPanel", "Add an optimizer…"))
        for key, spec in engine.OPTIMIZERS.items():
            self.add.addItem(shown(spec.name), key)
        self.add.activated.connect(self._add)
        layout.addWidget(self.add)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inner = QWidget()
        self.cards_layout = QVBoxLayout(self.inner)
        self.cards_layout.setContentsMargins(2, 2, 2, 2)
        self.cards_layout.setSpacing(6)
        self.cards_layout.addStretch(1)
        self.scroll.setWidget(self.inner)
        layout.addWidget(self.scroll, 1)
        self.cards: dict[int, RunCard] = {}
        self._last_snapshot = None
        self._mark_at: tuple = (None, -1)  # (uid, step) of the last 2/λ_max mark
        self._mark_time = -math.inf
        self._mark_timer = QTimer(self, singleShot=True)
        self._mark_timer.timeout.connect(self._mark_now)
        controller.curvature.changed.connect(lambda: self.draw(self._last_snapshot))
        controller.curvature.refreshed.connect(lambda: self.draw(self._last_snapshot))

    def scene_changed(self) -> None:
        self.rebuild()

    def _mark_now(self) -> None:
        self._mark_time = -math.inf
        self._mark_at = (None, -1)
        self.draw(self._last_snapshot)

    def draw(self, snapshot) -> None:
        """With the curvature view on (key H): the selected run's lr slider marks 2/λ_max at
        the point shown (the stability limit of GD there); every other lr slider, none. While
        the run races on, the mark follows at most every TEXT_EVERY_S (a timer brings the last)."""
        self._last_snapshot = snapshot
        c = self.controller
        selected = c.selected_uid
        run = None
        if c.curvature.on and snapshot is not None:
            run = next((r for r in snapshot.runs if r.uid == selected), None)
        if run is not None:
            uid0, step0 = self._mark_at
            moving = uid0 == run.uid and snapshot.step > step0 and not c.timeline.in_past
            self._mark_at = (run.uid, snapshot.step)
            now = time.perf_counter()
            if moving and now - self._mark_time < TEXT_EVERY_S:
                if not self._mark_timer.isActive():  # the newest value follows
                    self._mark_timer.start(int((TEXT_EVERY_S - (now - self._mark_time)) * 1000) + 1)
                return
            self._mark_time = now
        k = c.curvature.at(run)[0] if run is not None else None
        limit = k.limit if k is not None and math.isfinite(k.limit) else None
        for uid, card in self.cards.items():
            control = card.controls.get("lr")
            if control is None:
                continue
            if uid == selected and limit is not None:
                control.set_mark(limit, fill(translate("RunCard", "2/λ_max = %1"), fmt_number(limit)))
            elif control.mark_value is not None:
                control.set_mark(None)

    def retranslate(self) -> None:
        self.add.setItemText(0, translate("RunsPanel", "Add an optimizer…"))
        for i in range(1, self.add.count()):
            self.add.setItemText(i, shown(engine.OPTIMIZERS[self.add.itemData(i)].name))
        for card in self.cards.values():
            card.retranslate()

    def runs_changed(self) -> None:
        self.sync()

    def selection_changed(self, snapshot) -> None:
        self.sync()
        self.draw(snapshot if snapshot is not None else self._last_snapshot)  # the 2/λ_max mark moves

    def run_edited(self, uid: int) -> None:
        card = self.cards.get(uid)
        if card is not None:
            card.refresh_values()  # a map click or a tune set them elsewhere

    def rebuild(self) -> None:
        for card in self.cards.values():
            card.setParent(None)
            card.deleteLater()
        self.cards.clear()
        self.sync()

    def sync(self) -> None:
        entries = self.controller.entries
        wanted = {e.uid for e in entries}
        for uid in list(self.cards):
            if uid not in wanted:
                card = self.cards.pop(uid)
                card.setParent(None)
                card.deleteLater()
        for i, e in enumerate(entries):
            card = self.cards.get(e.uid)
            if card is None:
                card = RunCard(self.controller, e, self.inner)
                card.clicked.connect(self.controller.select)
                self.cards[e.uid] = card
                self.cards_layout.insertWidget(i, card)
            card.update_entry(e, selected=e.uid == self.controller.selected_uid)

    def _add(self, index: int) -> None:
        key = self.add.itemData(index)
        self.add.setCurrentIndex(0)
        if key:
            try:
                self.controller.add_run(key)
            except ValueError as exc:  # Newton on a model too big for exact Hessians
                self.notice.emit(str(exc), 8)
