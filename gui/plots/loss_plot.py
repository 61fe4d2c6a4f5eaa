"""Loss curves: loss − f* (or the loss itself when the minimum is unknown) per step, log y."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from pyqtgraph import functions as fn
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPainterPath
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsPathItem

from descentlab import engine
from descentlab.engine.maps.drawing import envelope

from ..map.run_layer import RunPaths
from ..support.i18n import QT_TRANSLATE_NOOP, shown, translate
from .axes import tidy_axis_items

# The key in the plot's corner, as gui.problem_looks writes it (a plain English text there).
KEYS = {"training ——   test - - -": QT_TRANSLATE_NOOP("LossView", "training ——   test - - -")}
ROUNDING_ULPS = 4  # loss − f* within this many ulps of f* (or of the loss) is rounding
FLOOR = 1e-16  # the smallest gap drawn: below it float64 cannot tell
NICE = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(v: float) -> float:
    """The smallest 1-1.5-2-3-4-5-6-8 × 10^k at or above ``v`` (≥ 1): the step axis grows
    in these jumps, so it keeps its ticks (and the frame its cached layout) in between."""
    if not v > 1.0:
        return 1.0
    k = math.floor(math.log10(v))
    for m in NICE:
        if m * 10.0**k >= v * (1 - 1e-12):
            return m * 10.0**k
    return 10.0 ** (k + 1)


def nice_span(lo: float, hi: float, log: bool) -> tuple[float, float]:
    """A y range around [lo, hi] that changes rarely as curves grow: on a log axis (log10
    units) whole decades for a wide span, quarter decades for a narrow one; on a linear
    axis steps of a 1-2-5 unit. A little margin either side."""
    span = hi - lo
    if log:
        unit = 1.0 if span > 3 else 0.5 if span > 1.5 else 0.25
    else:
        size = max(span, abs(hi), 1e-12)
        unit = 10.0 ** math.floor(math.log10(size))
        for m in (0.1, 0.2, 0.5, 1.0):
            if size / (m * unit) <= 10:
                unit *= m
                break
    margin = 0.02 * max(span, unit)
    a = math.floor((lo - margin) / unit) * unit
    b = math.ceil((hi + margin) / unit) * unit
    return float(a), float(max(b, a + unit))


BAND_ALPHA = 60  # a seed fan's band: 60/255 of the run's colour


class FanBand:
    """A seed fan's 10–90 % band: one filled polygon (the low edge forward, the high edge
    back), created once and given a new path each frame. (pyqtgraph's FillBetweenItem rebuilds
    its path once per edge curve, from the curves' own paths: ~3 ms a band a frame.)"""

    def __init__(self):
        self.fill = QGraphicsPathItem()
        self.fill.setPen(pg.mkPen(None))
        self.fill.setBrush(pg.mkBrush(0, 0, 0, BAND_ALPHA))
        self.fill.setZValue(-5)  # under the curves
        # Painted from a cached picture until the band changes (a translucent fill of a few
        # hundred vertices costs ~1 ms a paint).
        self.fill.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._data = (np.empty(0), np.empty(0), np.empty(0))

    def set_colour(self, colour: str) -> None:
        c = QColor(colour)
        c.setAlpha(BAND_ALPHA)
        self.fill.setBrush(pg.mkBrush(c))

    def set_data(self, x, low, high) -> None:
        old = self._data
        if len(x) == len(old[0]) and (not len(x) or (x[0], x[-1], low[-1], high[-1], low[0])
                                      == (old[0][0], old[0][-1], old[1][-1], old[2][-1], old[1][0])):
            return  # the same band: its cached picture stays
        self._data = (x, low, high)
        path = QPainterPath()
        n = len(x)
        if n >= 2:
            poly = fn.create_qpolygonf(2 * n)
            arr = fn.ndarray_from_qpolygonf(poly)
            arr[:n, 0], arr[:n, 1] = x, low
            arr[n:, 0], arr[n:, 1] = x[::-1], high[::-1]
            path.addPolygon(poly)
        self.fill.setPath(path)

    def clear(self) -> None:
        self.set_data(np.empty(0), np.empty(0), np.empty(0))

    def data(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, low, high) as drawn."""
        return self._data


class LossView(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent, background="w", axisItems=tidy_axis_items())
        self.setMinimumSize(200, 150)
        self.plotItem.setMenuEnabled(False)
        self.plotItem.hideButtons()
        # No grid: pyqtgraph's translucent grid costs ~8 ms a frame at this size.
        self.plotItem.setLogMode(False, True)
        for axis in ("left", "bottom"):
            self.plotItem.getAxis(axis).enableAutoSIPrefix(False)
            self.plotItem.getAxis(axis).setPen(pg.mkPen("#444"))
            self.plotItem.getAxis(axis).setTextPen(pg.mkPen("#222"))
        self.plotItem.setLabel("bottom", translate("LossView", "step"))
        # Training curves only grow: drawn incrementally like the map's paths (RunPaths).
        self.curves = RunPaths(self.plotItem.getViewBox())
        self.addItem(self.curves, ignoreBounds=True)
        self._tests: dict[int, pg.PlotCurveItem] = {}  # held-out loss, dataset problems (dashed)
        self.bands: dict[int, FanBand] = {}  # a seed fan's 10–90 % band (engine.race.fans)
        self.per_epoch = False  # x axis in epochs instead of steps (dataset problems)
        # x axis in function evaluations (an L-BFGS step makes several; it wins over epochs)
        self.per_evaluation = False
        self._problem = None
        self._axis = None  # gui.problem_looks.LossAxis: what the problem's type shows on this axis
        self._linear = False
        self._f_min = math.nan
        self._gaps: dict[int, tuple] = {}  # uid → (losses, their gap, f*, linear): see _gap_of
        self._width = 1.0  # wide pens are slow in Qt's raster engine; the map gets the width
        self.key = pg.TextItem(color="#333", anchor=(0, 1))  # (corner: _place_key)
        self.key.setParentItem(self.plotItem.getViewBox())
        self.key.hide()
        self.plotItem.getViewBox().sigResized.connect(self._place_key)
        # The range follows the curves in coarse jumps (see nice_ceiling): pyqtgraph's
        # auto-range would move the axes — and redo their ticks and every curve's
        # geometry — every frame. A pan or zoom with the mouse stops the following
        # until the race starts again from step 0 or the problem changes.
        vb = self.plotItem.getViewBox()
        vb.disableAutoRange()
        self._follow = True
        self._range: tuple | None = None
        vb.sigRangeChangedManually.connect(self._stop_following)

    def _stop_following(self, *_) -> None:
        self._follow = False

    def _place_key(self, *_) -> None:
        """A corner falling curves leave empty: on a log axis the bottom left (they start at
        the top), on a linear one the top right (they drop to the bottom at once)."""
        vb = self.plotItem.getViewBox()
        if self._linear:
            self.key.setAnchor((1, 0))
            self.key.setPos(vb.width() - 4, 2)
        else:
            self.key.setAnchor((0, 1))
            self.key.setPos(4, vb.height() - 2)

    def set_problem(self, problem, axis) -> None:
        """Show ``problem``'s losses on an axis like ``axis`` (a gui.problem_looks.LossAxis)."""
        self._problem = problem
        self._axis = axis
        self._f_min = problem.f_min
        self.label_axes()
        for uid in self._curves:
            self.curves.set_path(uid, np.empty(0), np.empty(0), None)
        for item in self._tests.values():
            item.setData([], [])
        for band in self.bands.values():
            band.clear()
        self._follow, self._range = True, None

    def label_axes(self) -> None:
        """The axes' names and the key, in the current language."""
        if self._axis is None:
            return
        if math.isfinite(self._f_min):
            self.plotItem.setLabel("left", translate("LossView", "loss − f*"))
        else:
            self.plotItem.setLabel("left", translate("LossView", "loss"))
        # Which line is which goes into the plot's corner: on the axis it would be cut.
        self.key.setText(shown(KEYS.get(self._axis.key, self._axis.key)))
        self.key.setVisible(bool(self._axis.key))
        if self.per_evaluation:
            self.plotItem.setLabel("bottom", translate("LossView", "function evaluations"))
        elif self._in_epochs:
            self.plotItem.setLabel("bottom", translate("LossView", "epoch"))
        else:
            self.plotItem.setLabel("bottom", translate("LossView", "step"))

    def set_runs(self, entries) -> None:
        wanted = {e.uid: e for e in entries}
        for uid in list(self._curves):
            if uid not in wanted:
                self.curves.remove(uid)
        self._gaps = {uid: g for uid, g in self._gaps.items() if uid in wanted}
        for uid in list(self._tests):
            if uid not in wanted:
                self.removeItem(self._tests.pop(uid))
        for uid in list(self.bands):
            if uid not in wanted or wanted[uid].config.repeats <= 1:
                self.removeItem(self.bands.pop(uid).fill)
        for uid, e in wanted.items():
            if e.config.repeats > 1:
                band = self.bands.get(uid)
                if band is None:
                    band = self.bands[uid] = FanBand()
                    self.addItem(band.fill, ignoreBounds=True)
                band.set_colour(e.colour)
                band.fill.setVisible(e.config.enabled)
        tests = self._axis is not None and self._axis.test_curves
        for uid, e in wanted.items():
            self.curves.set_run(uid, pg.mkPen(e.colour, width=self._width), e.config.enabled)
            if not tests:
                continue
            item = self._tests.get(uid)
            if item is None:
                item = pg.PlotCurveItem(skipFiniteCheck=True)
                self.addItem(item)
                self._tests[uid] = item
            item.setPen(pg.mkPen(e.colour, width=self._width, style=Qt.PenStyle.DashLine))
            item.setVisible(e.config.enabled)

    @property
    def _curves(self) -> dict:
        """uid → the run's training curve as drawn (``xData``, ``yData``)."""
        return self.curves.records

    @property
    def _in_epochs(self) -> bool:
        return (self.per_epoch and not self.per_evaluation and self._axis is not None
                and self._axis.epochs)

    def _rows_x(self, run) -> np.ndarray:
        """The x of each history row: its step, or the evaluations up to it."""
        if self.per_evaluation and getattr(run, "eval_counts", None) is not None:
            return run.eval_counts.astype(float)
        return run.steps.astype(float)

    def _now_x(self, run) -> float:
        """The x of the run's current step."""
        return float(run.evaluations) if self.per_evaluation else float(run.step)

    def set_presentation(self, on: bool) -> None:
        self._width = 3.0 if on else 1.0
        self.key.setFont(QFont(QApplication.font()))  # as large as the axes' labels
        for uid, rec in self._curves.items():
            self.curves.set_run(uid, pg.mkPen(rec.pen.color(), width=self._width), rec.visible)
        for item in self._tests.values():
            pen = item.opts["pen"]
            item.setPen(pg.mkPen(pen.color(), width=self._width, style=pen.style()))

    def gap(self, losses: np.ndarray) -> np.ndarray:
        """What is plotted: log10 of max(loss − f*, FLOOR) (log mode wants log10 data);
        the loss itself on a linear axis when a loss can be negative (Tanimoto, Cauchy–
        Schwarz), where a log axis would pin it to the floor."""
        if self._linear:
            return np.asarray(losses, dtype=float)
        losses = np.asarray(losses, dtype=float)
        base = self._f_min if math.isfinite(self._f_min) else 0.0
        gap = losses - base
        # At the floating-point floor loss − f* is rounding noise (0, 1 ulp, 2 ulp … of f*):
        # on a log axis it would zig-zag over decades and draw as a filled band. Anything
        # within ROUNDING_ULPS of f* is drawn at that level: a line.
        floor = ROUNDING_ULPS * np.spacing(np.maximum(abs(base), np.abs(losses)))
        return np.log10(np.maximum(np.where(gap <= floor, floor, gap), FLOOR))

    def _gap_of(self, uid: int, losses: np.ndarray) -> np.ndarray:
        """``gap(losses)`` of run ``uid``'s whole curve, worked out for the new rows only: a
        curve only grows (its rows, once recorded, stay), so where the last curve is still the
        start of this one its gaps are kept (a thinned history, a restart: all anew)."""
        old = self._gaps.get(uid)
        m = 0
        if old is not None and old[2:] == (self._f_min, self._linear):
            raw, y = old[0], old[1]
            m = len(raw) - 1  # its last row again: it may have been partial
            if not (0 <= m <= len(losses) and raw[:m].tobytes() == losses[:m].tobytes()):
                m = 0  # (bit for bit: NaN is NaN)
        y = np.concatenate([y[:m], self.gap(losses[m:])]) if m else self.gap(losses)
        self._gaps[uid] = (losses, y, self._f_min, self._linear)
        return y

    def _use_linear(self, snap: engine.Snapshot) -> None:
        negative = (not math.isfinite(self._f_min)
                    and any(np.isfinite(r.loss) and r.loss <= 0 for r in snap.runs))
        if negative != self._linear:
            self._linear = negative
            self.plotItem.setLogMode(False, not negative)
            self._range = None
            self._place_key()

    def update_runs(self, snap: engine.Snapshot, entries) -> None:
        self._use_linear(snap)
        enabled = {e.uid for e in entries if e.config.enabled}
        last_step = max((self._now_x(r) for r in snap.runs), default=0)
        columns = max(int(self.plotItem.getViewBox().sceneBoundingRect().width()), 50)
        if last_step == 0:
            self._follow = True  # a reset: follow the new race
        self._extent = [0.0, math.inf, -math.inf]  # largest x, lowest y, highest y drawn
        for run in snap.runs:
            if run.uid not in self._curves or run.uid not in enabled:
                continue
            self._set_training_curve(run)
            band = self.bands.get(run.uid)
            if band is not None and run.fan is not None:
                self._set_band(band, run, columns)
            test = self._tests.get(run.uid)
            if test is not None and getattr(run, "test_losses", None) is not None:
                ty = self.gap(run.test_losses)
                self._set_curve(test, self._rows_x(run), ty, last_step, columns, run)
        self._follow_curves()

    def _follow_curves(self) -> None:
        x_max, lo, hi = self._extent
        if not self._follow or not math.isfinite(lo):
            return
        xr = (0.0, nice_ceiling(x_max))
        yr = nice_span(lo, hi, log=not self._linear)
        if (xr, yr) != self._range:
            self._range = (xr, yr)
            self.plotItem.getViewBox().setRange(xRange=xr, yRange=yr, padding=0.02)

    def _set_training_curve(self, run) -> None:
        """The whole recorded curve (the layer draws only what is new), and the segment to
        the current step when that is past the last record."""
        steps = self._rows_x(run)
        y = self._gap_of(run.uid, run.losses)
        keep = np.isfinite(y)  # dataset runs evaluate the full loss every k steps only
        if not keep.all():
            steps, y = steps[keep], y[keep]
        per = self._problem.steps_per_epoch(run.batch_size) if self._in_epochs else 1.0
        x = steps / per if self._in_epochs else steps
        tail = None
        if run.step != run.last_recorded:
            last = float(self.gap(np.array([run.loss]))[0])
            if math.isfinite(last):
                tail = (self._now_x(run) / per, last)
        self.curves.set_path(run.uid, x, y, tail)
        if self._curves[run.uid].visible and (len(x) or tail):
            ext = self._extent
            tx, ty = tail if tail is not None else (x[-1], y[-1])
            ext[0] = max(ext[0], float(tx))
            ext[1] = min(ext[1], float(y.min()) if len(y) else ty, ty)
            ext[2] = max(ext[2], float(y.max()) if len(y) else ty, ty)

    def _set_band(self, band: FanBand, run, columns: int) -> None:
        """The fan's 10–90 % band under its median curve: per block of rows the lowest low and
        the highest high, about one block per pixel column. Blocks are a power of two rows from
        row 0 and only whole ones are drawn, so the band's past stays put as the race grows and
        its (cached) picture is redrawn only when a block completes."""
        lo, hi = run.fan.low, run.fan.high
        x = self._rows_x(run)[: len(lo)]  # steps, or evaluations (repeat 0's) when counting them
        if not (np.isfinite(lo).all() and np.isfinite(hi).all()):
            keep = np.isfinite(lo) & np.isfinite(hi)
            x, lo, hi = x[keep], lo[keep], hi[keep]
        block = 1 << max(0, math.ceil(math.log2(max(len(x), 1) / columns)))
        if block > 1:  # (the gap grows with the loss: the blocks' extremes are the gaps')
            whole = len(x) // block * block
            starts = np.arange(0, whole, block)
            x, lo, hi = (x[starts], np.minimum.reduceat(lo[:whole], starts),
                         np.maximum.reduceat(hi[:whole], starts))
        x = x.astype(float)
        if self._in_epochs:
            x = x / self._problem.steps_per_epoch(run.batch_size)
        lo, hi = self.gap(lo), self.gap(hi)
        band.set_data(x, lo, hi)
        if len(x) and band.fill.isVisible():
            ext = self._extent
            ext[1] = min(ext[1], float(lo.min()))
            ext[2] = max(ext[2], float(hi.max()))

    def _set_curve(self, item, steps, y, last_step, columns, run) -> None:
        keep = np.isfinite(y)  # dataset runs evaluate the full loss every k steps only
        if not keep.all():
            steps, y = steps[keep], y[keep]
        # Two points (lowest, highest) per pixel column: noisy curves keep their band,
        # and no curve costs more than ~2 × width points to draw.
        idx = envelope(steps, y, 0.0, max(last_step, 1), columns)
        x = steps[idx]
        if self._in_epochs:
            x = x / self._problem.steps_per_epoch(run.batch_size)
        # PlotCurveItem in a log-mode plot takes already-logged y values.
        item.setData(x, y[idx])
        if len(x) and item.isVisible():
            shown = y[idx]
            ext = self._extent
            ext[0] = max(ext[0], float(x[-1]))
            ext[1] = min(ext[1], float(shown.min()))
            ext[2] = max(ext[2], float(shown.max()))
