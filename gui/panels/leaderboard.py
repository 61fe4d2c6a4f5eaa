"""The race table: who reached the minimum first, who is still going, who blew up."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from descentlab import engine

from ..support.i18n import QT_TRANSLATE_NOOP, fill, shown, translate
from .base import Panel

HEADERS = ("#", QT_TRANSLATE_NOOP("Leaderboard", "run"), QT_TRANSLATE_NOOP("Leaderboard", "loss"),
           QT_TRANSLATE_NOOP("Leaderboard", "standing"))


def reached_global(run: engine.RunSnapshot, minima_values, f_min: float) -> bool:
    if run.reached_minimum is None or not 0 <= run.reached_minimum < len(minima_values):
        return False
    value = minima_values[run.reached_minimum]
    return bool(abs(value - f_min) <= 1e-9 * max(1.0, abs(f_min)))


def standing(run: engine.RunSnapshot, minima_values=(), f_min: float = math.nan,
             evaluations: bool = False) -> str:
    """Where the run stands; ``evaluations``: a minimum reached is told in function
    evaluations used (View → Count function evaluations), not steps."""
    if run.diverged_at is not None:
        return fill(translate("Leaderboard", "diverged at %1"), f"{run.diverged_at:,}")
    if run.reached_at is not None:
        local = len(minima_values) and not reached_global(run, minima_values, f_min)
        if evaluations and run.reached_evals is not None:
            if local:
                return fill(translate("Leaderboard", "local min after %1 evaluations"),
                            f"{run.reached_evals:,}")
            return fill(translate("Leaderboard", "min after %1 evaluations"), f"{run.reached_evals:,}")
        if local:
            return fill(translate("Leaderboard", "local min at %1"), f"{run.reached_at:,}")
        return fill(translate("Leaderboard", "min at %1"), f"{run.reached_at:,}")
    return translate("Leaderboard", "running")


def fan_loss(run: engine.RunSnapshot) -> str:
    """A run's final loss as the leaderboard shows it: a seed fan's as mean ± sd over its repeats."""
    if run.fan is None:
        return short_number(run.loss, 3)
    mean, sd, n = run.fan.final_stats()
    return f"{short_number(mean, 3)} ± {short_number(sd, 1)}" if n else short_number(run.loss, 3)


def short_number(value: float, digits: int) -> str:
    """``value`` to ``digits`` significant digits, as short as a narrow column needs:
    no exponent's "+" or leading zero (1.2e-5, not 1.2e-05)."""
    text = f"{value:.{digits}g}"
    mantissa, e, exponent = text.partition("e")
    return f"{mantissa}e{int(exponent)}" if e else text


def fan_standing(run: engine.RunSnapshot) -> str | None:
    """A seed fan's steps to the minimum as mean ± sd over the repeats that reached it (and how
    many of them did, unless all), or None while none has."""
    mean, sd, n = run.fan.reach_stats()
    if not n:
        return None
    if n == run.fan.repeats:
        return fill(translate("Leaderboard", "min at %1 ± %2"), f"{mean:,.0f}", f"{sd:,.0f}")
    return fill(translate("Leaderboard", "min at %1 ± %2 (%3/%4)"), f"{mean:,.0f}", f"{sd:,.0f}",
                str(n), str(run.fan.repeats))


def race_order(run: engine.RunSnapshot, f_min: float, minima_values=(),
               evaluations: bool = False) -> tuple:
    """Who reached the global minimum, earliest first (in steps, or in function evaluations
    with ``evaluations``); then everyone still going (a local minimum included) by loss;
    then the diverged, latest first."""
    if run.diverged_at is not None:
        return (2, -run.diverged_at, 0.0)
    if run.reached_at is not None and (not len(minima_values)
                                       or reached_global(run, minima_values, f_min)):
        if evaluations and run.reached_evals is not None:
            return (0, run.reached_evals, 0.0)
        return (0, run.reached_at, 0.0)
    loss = run.loss - f_min if math.isfinite(f_min) else run.loss
    return (1, 0, loss if math.isfinite(loss) else math.inf)


class Leaderboard(QTableWidget, Panel):
    initial_height = 200
    needs_height = Signal(int)  # the height its rows need (the window's columns give it room)

    def __init__(self, controller, parent=None):
        super().__init__(0, 4, parent)
        self.controller = controller
        self.retranslate()
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        # One line a row, so every run shows in a lecture hall: a long name is elided (in
        # full in its tooltip), never wrapped onto lines that push the other rows out of view.
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setWordWrap(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.f_min = math.nan
        self.minima_values: tuple[float, ...] = ()
        # A classification dataset: runs may each have a loss of their own, so they are
        # ranked by what they all share, training accuracy (shown as the standing).
        self.classifier = None

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([shown(h) for h in HEADERS])

    def share(self, look) -> float:
        return 0.22 if look is not None and look.data_view else 0.29

    def scene_changed(self) -> None:
        c = self.controller
        self.f_min = c.map_frame.f_min
        self.minima_values = c.map_frame.minima_values
        self.classifier = c.look.classifier(c.race.problem)

    def refresh_table(self, snapshot: engine.Snapshot) -> None:
        self.update_runs(snapshot, self.controller.entries)

    def _accuracy(self, run: engine.RunSnapshot) -> float:
        """Training accuracy (a seed fan's: the mean over its repeats)."""
        if run.fan is not None:
            return float(np.mean(self._accuracies(run)))
        return self._accuracy_at(run.position)

    def _accuracies(self, run: engine.RunSnapshot) -> np.ndarray:
        return np.array([self._accuracy_at(p) for p in run.fan.positions])

    def _accuracy_at(self, position) -> float:
        if not np.all(np.isfinite(position)):
            return 0.0
        value = self.classifier.accuracy(position)
        return value if math.isfinite(value) else 0.0

    def update_runs(self, snap: engine.Snapshot, entries) -> None:
        shown = {e.uid: e for e in entries if e.config.enabled}
        runs = [r for r in snap.runs if r.uid in shown]
        counting = bool(getattr(getattr(self.controller, "scene", None), "count_evaluations", False))
        if self.classifier is not None:
            acc = {r.uid: self._accuracy(r) for r in runs}
            runs.sort(key=lambda r: (r.diverged_at is not None, -acc[r.uid]))
        else:
            runs.sort(key=lambda r: race_order(r, self.f_min, self.minima_values, counting))
        self.setRowCount(len(runs))
        for row, run in enumerate(runs):
            e = shown[run.uid]
            if self.classifier is not None and run.diverged_at is None and run.fan is not None:
                sd = float(np.std(self._accuracies(run), ddof=1))
                state = fill(translate("Leaderboard", "accuracy %1 ± %2"), f"{acc[run.uid]:.0%}",
                             f"{sd:.0%}")
            elif self.classifier is not None and run.diverged_at is None:
                state = fill(translate("Leaderboard", "accuracy %1"), f"{acc[run.uid]:.0%}")
            else:
                state = (run.fan is not None and run.diverged_at is None and not counting and fan_standing(run)) \
                    or standing(run, self.minima_values, self.f_min, counting)
            cells = [f"{row + 1}", e.label, fan_loss(run), state]
            for col, text in enumerate(cells):
                item = self.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    self.setItem(row, col, item)
                if item.text() != text:
                    item.setText(text)
                    item.setToolTip(text)  # (the name, if elided, in full)
            self.item(row, 1).setForeground(QBrush(QColor(e.colour)))
            font = self.item(row, 1).font()
            font.setBold(True)
            self.item(row, 1).setFont(font)
            self.item(row, 3).setForeground(
                QBrush(QColor("#b00020" if run.diverged_at is not None else "#202020")))
        self.resizeRowsToContents()
        self._show_every_row()

    def _show_every_row(self) -> None:
        """Every run's row in view without scrolling (a lecture hall sees no scroll bar): asks
        the column for the room its rows need (``needs_height``)."""
        if not self.isVisible() or not self.rowCount():
            return
        needed = (self.horizontalHeader().height() + sum(self.rowHeight(r) for r in range(self.rowCount()))
                  + 2 * self.frameWidth() + (self.horizontalScrollBar().height()
                                             if self.horizontalScrollBar().isVisible() else 0))
        if self.height() < needed:
            self.needs_height.emit(needed)
