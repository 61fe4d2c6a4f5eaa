"""The loss panel: every run's loss curve (and test curve), against steps or epochs."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from ..plots.loss_plot import LossView
from ..plots.style import set_axis_font
from ..support.i18n import QT_TRANSLATE_NOOP, bind
from .base import Panel


class LossPanel(LossView, Panel):
    initial_height = 330

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        # The timeline's step (gui.control.timeline) while the slider is in the past: the curves stay
        # whole, the cursor marks the moment the map shows.
        self.cursor = pg.InfiniteLine(angle=90, movable=False,
                                      pen=pg.mkPen("#333", width=1, style=Qt.PenStyle.DashLine))
        self.cursor.setZValue(30)
        self.cursor.hide()
        self.addItem(self.cursor, ignoreBounds=True)
        self._last = None  # the snapshot drawn last (this scene's)
        self._count_action: QAction | None = None

    def share(self, look) -> float:
        return 0.27 if look is not None and look.data_view else 0.47

    def scene_changed(self) -> None:
        self._last = None  # the previous scene's
        on = bool(getattr(self.controller.scene, "count_evaluations", False))
        if self._count_action is not None and self._count_action.isChecked() != on:
            self._count_action.blockSignals(True)
            self._count_action.setChecked(on)
            self._count_action.blockSignals(False)
        self.per_evaluation = on
        self._set_axis()

    def _set_axis(self) -> None:
        c = self.controller
        self.set_problem(c.race.problem, c.look.loss_axis)

    def runs_changed(self) -> None:
        self.set_runs(self.controller.entries)

    def draw(self, snapshot) -> None:
        self._last = snapshot
        timeline = self.controller.timeline
        past = timeline.in_past and timeline.live is not None
        self.update_runs(timeline.live if past else snapshot, self.controller.entries)
        self.cursor.setVisible(past)
        if past:
            self.cursor.setPos(self._cursor_x(snapshot))

    def _cursor_x(self, snapshot) -> float:
        """The shown step on this axis (in epochs: the selected run's epochs; in evaluations:
        the selected run's, or the most any run had used)."""
        if self.per_evaluation:
            runs = [r for r in snapshot.runs if r.uid == self.controller.selected_uid] or snapshot.runs
            return float(max((r.evaluations for r in runs), default=0))
        if not self._in_epochs:
            return float(snapshot.step)
        run = next((r for r in snapshot.runs if r.uid == self.controller.selected_uid), None)
        batch = run.batch_size if run is not None else None
        return snapshot.step / self._problem.steps_per_epoch(batch)

    def set_presentation(self, on: bool) -> None:
        super().set_presentation(on)
        set_axis_font(self)

    def menu_actions(self) -> list[QAction]:
        epochs = QAction(self, checkable=True, objectName="epochs")
        bind(epochs.setText, QT_TRANSLATE_NOOP("LossPanel", "Loss against &epochs (datasets)"))
        epochs.toggled.connect(self.set_per_epoch)
        count = QAction(self, checkable=True, objectName="count_evaluations")
        bind(count.setText, QT_TRANSLATE_NOOP("LossPanel", "Count function e&valuations"))
        bind(count.setToolTip, QT_TRANSLATE_NOOP(
            "LossPanel", "Loss curves and the leaderboard count function evaluations instead of "
            "steps, so that a quasi-Newton method races first-order ones fairly: a first-order "
            "step is one evaluation (a gradient), a Newton step one too (its Hessian counts as "
            "one evaluation), an L-BFGS step as many as it made (inner iterations and "
            "line-search probes)."))
        count.toggled.connect(self.set_count_evaluations)
        self._count_action = count
        return [epochs, count]

    def retranslate(self) -> None:
        self.label_axes()

    def set_count_evaluations(self, on: bool) -> None:
        self.per_evaluation = on
        self.controller.set_count_evaluations(on)
        self._follow, self._range = True, None  # the x range starts again
        if self.controller.race is not None:
            self._set_axis()
        if self._last is not None:
            self.draw(self._last)

    def set_per_epoch(self, on: bool) -> None:
        self.per_epoch = on
        if self.controller.race is not None:
            self._set_axis()
        if self._last is not None:
            self.draw(self._last)
