"""Fair races (the Race menu): a learning-rate sweep per run and "Tune the race".

Both run engine.maps in the compiled engine from each run's own start with its own
settings: a sweep is 41 lrs per run, tuning 25 lrs refined twice around the best (about
43 races per run) — a fraction of a second on a surface. They run on the window's thread,
so their race length is the step limit capped to about FAIR_SECONDS of CPU in all
(``engine.maps.races.map_steps``): a step limit of 10⁹ does not freeze the window.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from descentlab import engine
from descentlab.engine.maps.races import DEFAULT_STEPS, axis_grid, evaluations_per_step, map_steps

from .support import i18n
from .support.i18n import fill, translate

FAIR_SECONDS = 2.0  # a sweep's or a tune's races cost about this much CPU time at most
TUNE_RACES = 43  # races per run of a tune (25 + 9 + 9)


def fair_steps(controller, problem, infos, races_per_run: int) -> int:
    """The step limit (500 without one), capped so that all the runs' races cost about
    FAIR_SECONDS (the slowest run's options decide)."""
    limit = int(controller.scene.step_limit or DEFAULT_STEPS)
    cells = races_per_run * max(len(infos), 1)
    return min([limit] + [map_steps(problem, cells, limit, {k: v for k, v in info.options.items()
                                                            if v is not None}, FAIR_SECONDS,
                                    evaluations_per_step(info.optimizer, info.hyper))
                          for info in infos])


def _busy(fn):
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return fn()
    finally:
        QGuiApplication.restoreOverrideCursor()


def _runs(controller):
    with controller.lock:
        race = controller.race
        infos = [race.run_info(u) for u in race.run_ids]
        return race.problem, race.noise, race.seed, infos


def sweep_data(controller, n: int = 41) -> list[tuple]:
    """(entry, lrs, HyperMap) per shown run: final loss and steps to reach against lr."""
    problem, noise, seed, infos = _runs(controller)
    steps = fair_steps(controller, problem, infos, n)
    out = []
    for info in infos:
        entry = controller.entry(info.uid)
        if not entry.config.enabled:
            continue
        lrs = axis_grid(info.optimizer, "lr", n)
        hyper = {k: v for k, v in info.hyper.items() if k != "lr"}
        m = engine.lr_sweep(problem, info.optimizer, info.start, lrs, steps,
                            schedule=info.schedule, noise=noise, seed=seed, **hyper,
                            **{k: v for k, v in info.options.items() if v is not None})
        out.append((entry, info, lrs, m))
    return out


class SweepDialog(QDialog):
    def __init__(self, window, data, steps: int):
        super().__init__(window)
        self.steps = steps
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        self.about = QLabel(self)
        layout.addWidget(self.about)
        self.loss_plot = pg.PlotWidget(self, background="w")
        self.steps_plot = pg.PlotWidget(self, background="w")
        self.loss_plot.setLogMode(True, True)
        self.steps_plot.setLogMode(True, False)
        self.steps_plot.setLabel("bottom", "lr")
        self.steps_plot.setXLink(self.loss_plot)
        self.loss_plot.addLegend(offset=(-10, 10))
        self.curves = {}
        for entry, info, lrs, m in data:
            pen = pg.mkPen(entry.colour, width=2)
            loss = np.where(m.diverged[0] | ~np.isfinite(m.final_loss[0]), np.nan,
                            m.final_loss[0])
            loss = np.where(loss > 0, loss, np.nan)
            ok = np.isfinite(loss)
            reach = m.steps[0] >= 0
            self.curves[entry.uid] = (
                self.loss_plot.plot(lrs[ok], loss[ok], pen=pen, name=entry.label),
                self.steps_plot.plot(lrs[reach], m.steps[0][reach].astype(float), pen=pen,
                                     symbol="o", symbolSize=4, symbolBrush=entry.colour))
            cur = info.hyper["lr"]
            i = int(np.abs(np.log(lrs) - np.log(cur)).argmin())
            if np.isfinite(loss[i]):
                self.loss_plot.plot([cur], [loss[i]], pen=None, symbol="o", symbolSize=11,
                                    symbolPen=pg.mkPen(entry.colour, width=2),
                                    symbolBrush=pg.mkBrush(0, 0, 0, 0))
        layout.addWidget(self.loss_plot, 3)
        layout.addWidget(self.steps_plot, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.retranslate()
        i18n.language_changed().connect(self.retranslate)

    def retranslate(self) -> None:
        """Its texts in the current language (now and after every switch)."""
        self.setWindowTitle(translate("SweepDialog", "Learning-rate sweep"))
        steps = self.steps  # (lupdate sees a %n text's number only as a name or a literal)
        self.about.setText(translate("SweepDialog", "Each run's optimizer from its own start, %n steps, "
                                     "every other setting kept. Rings: the runs' current lr.", "", steps))
        self.loss_plot.setLabel("left", translate("SweepDialog", "final loss"))
        self.steps_plot.setLabel("left", translate("SweepDialog", "steps to reach a minimum"))


def open_lr_sweep(window) -> SweepDialog | None:
    c = window.controller
    if c.race is None or not c.entries:
        return None
    data = _busy(lambda: sweep_data(c))
    dlg = SweepDialog(window, data, data[0][3].n_steps if data else int(c.scene.step_limit or DEFAULT_STEPS))
    dlg.show()
    window.sweep_dialog = dlg
    return dlg


class TuneDialog(QDialog):
    """Old → new lr per run, applied already; Undo puts the old ones back."""

    def __init__(self, window, rows):
        super().__init__(window)
        self.controller = window.controller
        self.rows = rows  # (uid, label, TuneResult)
        layout = QVBoxLayout(self)
        self.about = QLabel(self)
        layout.addWidget(self.about)
        self.table = QTableWidget(len(rows), 4, self)
        layout.addWidget(self.table)
        self.undo_button = QPushButton(self)
        self.undo_button.clicked.connect(self.undo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.retranslate()
        i18n.language_changed().connect(self.retranslate)
        self.resize(560, 160 + 30 * len(rows))

    def retranslate(self) -> None:
        """Its texts and the table in the current language (now and after every switch)."""
        self.setWindowTitle(translate("TuneDialog", "Tune the race"))
        self.about.setText(translate("TuneDialog", "Each run now has the lr (of a log grid refined around "
                                     "the best) that reaches the minimum first from its start;\n"
                                     "ties and runs that never reach it are ranked by final loss."))
        self.table.setHorizontalHeaderLabels([translate("TuneDialog", "run"), translate("TuneDialog", "old lr"),
                                              translate("TuneDialog", "new lr"),
                                              translate("TuneDialog", "reaches in")])
        for i, (_uid, label, r) in enumerate(self.rows):
            steps = r.steps  # (lupdate sees a %n text's number only as a name or a literal)
            reach = translate("TuneDialog", "%n steps", "", steps) if steps >= 0 else \
                fill(translate("TuneDialog", "— (loss %1)"), f"{r.final_loss:.3g}")
            for j, text in enumerate((label, f"{r.old_lr:.4g}", f"{r.lr:.4g}", reach)):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.undo_button.setText(translate("TuneDialog", "Undo"))

    def undo(self) -> None:
        for uid, _label, r in self.rows:
            try:
                self.controller.set_hypers(uid, lr=r.old_lr)
            except ValueError:
                pass  # the run was removed meanwhile
        self.controller.reset()
        self.undo_button.setEnabled(False)


def tune_the_race(window) -> TuneDialog | None:
    c = window.controller
    if c.race is None or not c.entries or c.refuses("runs"):  # (a lesson's step locks the runs)
        return None
    problem, _, _, infos = _runs(c)
    steps = fair_steps(c, problem, infos, TUNE_RACES)

    def tune():
        with c.lock:
            return engine.tune_race(c.race, steps)

    results = _busy(tune)
    rows = []
    for uid, r in results.items():
        c.set_hypers(uid, lr=r.lr)
        rows.append((uid, c.entry(uid).label, r))
    c.reset()
    dlg = TuneDialog(window, rows)
    dlg.show()
    window.tune_dialog = dlg
    return dlg
