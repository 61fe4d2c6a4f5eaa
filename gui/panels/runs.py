"""The runs panel: one card per run (colour, on/off, label, hyperparameters) and a
catalogue to add more — the same optimizer several times with different settings too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
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

import engine

from ..hyper_controls import HyperControl
from .base import Panel


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
        self.enabled.setToolTip("show this run")
        self.enabled.toggled.connect(lambda on: controller.set_enabled(self.uid, on))
        self.label = QLineEdit(entry.config.label or spec.name, self)
        self.label.setMaxLength(80)
        self.label.setCursorPosition(0)  # show a long label's beginning, not its end
        self.label.editingFinished.connect(self._relabel)
        kind = QLabel(spec.name, self)
        kind.setStyleSheet("color: #666")
        dup = QToolButton(self, text="+", toolTip="duplicate this run (same settings)")
        dup.clicked.connect(lambda: controller.duplicate_run(self.uid))
        rm = QToolButton(self, text="×", toolTip="remove this run")
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
        layout.addLayout(form)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #b00020")
        self.hint.setVisible(False)
        layout.addWidget(self.hint)
        self.update_entry(entry, selected=False)

    def _add_data_rows(self, entry) -> None:
        """Dataset problems: the batch size (GD ↔ mini-batch ↔ SGD) and the run's loss."""
        problem = self.controller.race.problem
        n_train = len(problem.y)
        self.batch = QSpinBox(self)
        self.batch.setRange(0, n_train)
        self.batch.setSpecialValueText(f"all {n_train} (GD)")
        self.batch.setValue(entry.config.batch_size or 0)
        self.batch.setToolTip("samples per step: all = batch GD, B = mini-batch, 1 = SGD")
        self.batch.editingFinished.connect(self._batch_changed)
        self.form.insertRow(1, "batch", self.batch)
        self.always_shown.add(1)
        fitting = problem.losses_that_fit()
        if len(fitting) > 1:
            self.loss = QComboBox(self)
            self.loss.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.loss.setMinimumContentsLength(8)
            for key in fitting:
                self.loss.addItem(engine.LOSSES[key].name, key)
            self.loss.setCurrentIndex(max(0, self.loss.findData(entry.config.loss or problem.loss_key)))
            self.loss.activated.connect(self._loss_changed)
            self.form.insertRow(2, "loss", self.loss)

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
        if self.label.text() != entry.config.label and not self.label.hasFocus():
            self.label.setText(entry.config.label or "")
            self.label.setCursorPosition(0)

    def refresh_values(self) -> None:
        hyper = self.controller.hyper_of(self.uid)
        for name, control in self.controls.items():
            control.set_value(hyper[name])

    def _apply(self, name: str, value: float) -> None:
        self.controller.set_hyper(self.uid, name, value)

    def _show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(True)

    def _relabel(self) -> None:
        text = self.label.text().strip()
        if text:
            self.controller.set_label(self.uid, text)

    def mousePressEvent(self, event):  # noqa: N802 — Qt's name
        self.clicked.emit(self.uid)
        super().mousePressEvent(event)


class RunsPanel(QWidget, Panel):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.add = QComboBox(self)
        self.add.addItem("Add an optimizer…")
        for key, spec in engine.OPTIMIZERS.items():
            self.add.addItem(spec.name, key)
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

    def scene_changed(self) -> None:
        self.rebuild()

    def runs_changed(self) -> None:
        self.sync()

    def selection_changed(self, snapshot) -> None:
        self.sync()

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
            self.controller.add_run(key)
