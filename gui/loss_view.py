"""Loss curves: loss − f* (or the loss itself when the minimum is unknown) per step, log y."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

import engine
from engine.drawing import envelope

FLOOR = 1e-16  # the smallest gap drawn: below it float64 cannot tell


class LossView(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self.setMinimumSize(200, 150)
        self.plotItem.setMenuEnabled(False)
        self.plotItem.hideButtons()
        # No grid: pyqtgraph's translucent grid costs ~8 ms a frame at this size.
        self.plotItem.setLogMode(False, True)
        for axis in ("left", "bottom"):
            self.plotItem.getAxis(axis).setPen(pg.mkPen("#444"))
            self.plotItem.getAxis(axis).setTextPen(pg.mkPen("#222"))
        self.plotItem.setLabel("bottom", "step")
        self._curves: dict[int, pg.PlotCurveItem] = {}
        self._f_min = math.nan
        self._width = 1.0  # wide pens are slow in Qt's raster engine; the map gets the width

    def set_problem(self, problem: engine.SurfaceProblem) -> None:
        self._f_min = problem.f_min
        label = "loss − f*" if math.isfinite(self._f_min) else "loss"
        self.plotItem.setLabel("left", label)
        for item in self._curves.values():
            item.setData([], [])

    def set_runs(self, entries) -> None:
        wanted = {e.uid: e for e in entries}
        for uid in list(self._curves):
            if uid not in wanted:
                self.removeItem(self._curves.pop(uid))
        for uid, e in wanted.items():
            item = self._curves.get(uid)
            if item is None:
                item = pg.PlotCurveItem(skipFiniteCheck=True)
                self.addItem(item)
                self._curves[uid] = item
            item.setPen(pg.mkPen(e.colour, width=self._width))
            item.setVisible(e.config.enabled)

    def set_presentation(self, on: bool) -> None:
        self._width = 3.0 if on else 1.0
        for item in self._curves.values():
            item.setPen(pg.mkPen(item.opts["pen"].color(), width=self._width))

    def gap(self, losses: np.ndarray) -> np.ndarray:
        """What is plotted: log10 of max(loss − f*, FLOOR) (log mode wants log10 data)."""
        base = self._f_min if math.isfinite(self._f_min) else 0.0
        return np.log10(np.maximum(losses - base, FLOOR))

    def update_runs(self, snap: engine.Snapshot, entries) -> None:
        enabled = {e.uid for e in entries if e.config.enabled}
        last_step = max((r.step for r in snap.runs), default=0)
        columns = max(int(self.plotItem.getViewBox().sceneBoundingRect().width()), 50)
        for run in snap.runs:
            item = self._curves.get(run.uid)
            if item is None or run.uid not in enabled:
                continue
            steps = run.steps.astype(float)
            y = self.gap(run.losses)
            if run.step % run.stride != 0:
                steps = np.append(steps, float(run.step))
                y = np.append(y, self.gap(np.array([run.loss]))[0])
            # Two points (lowest, highest) per pixel column: noisy curves keep their band,
            # and no curve costs more than ~2 × width points to draw.
            idx = envelope(steps, y, 0.0, max(last_step, 1), columns)
            # PlotCurveItem in a log-mode plot takes already-logged y values.
            item.setData(steps[idx], y[idx])
