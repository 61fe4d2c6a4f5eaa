"""The hyperparameter map, beside the loss curves: engine.hyper_map for the selected run.

Two hyperparameters of the selected run's optimizer (by default lr on a log axis against
its momentum / β₁), each over its slider range from descentlab.engine.spec. Colour: steps to reach a
minimum from the run's start (viridis: yellow = soonest, purple = latest, log scale), grey by final loss where none is
reached, near-black where the run diverges. The run's current setting is the ring; a click
sets the run's two hyperparameters there and restarts it — the α–β diagram for any
optimizer on any surface. Computed on a thread (gui.map.map_thread): 32² first, then 96².

A dataset has no minimum to reach: there each cell is coloured by its final training loss
(log; yellow = lowest) or, as the user picks, by the steps it took to reach a target loss
(by default 1.05 × the best loss any cell reached; a number typed in the box instead).
Each cell races the step limit capped by ``engine.maps.races.map_steps`` (a map finishes in
seconds whatever the limit), and the caption says how long.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from descentlab import engine
from descentlab.engine.maps.curvature import stable_outline
from descentlab.engine.maps.races import (
    axis_grid,
    default_axes,
    evaluations_per_step,
    hyper_rgba,
    loss_rgba,
    map_steps,
    reached_range,
    target_rgba,
    trace_every,
)
from descentlab.engine.problems.hessian import MAX_HESSIAN_PARAMS

from ..map.map_thread import MapThread
from ..plots.axes import tidy_axis_items
from ..support.i18n import QT_TRANSLATE_NOOP, bind, fill, shown, translate
from .base import Panel

COARSE, FINE = 32, 96
COARSE_DATA, FINE_DATA = 12, 32  # a dataset's step is a pass over its data (and a model)


def _cheap(problem) -> bool:
    """A problem whose step costs a few nanoseconds (a surface, a formula): no own state."""
    return len(problem.new_run_state(0)) == 0


FINAL_LOSS, TO_TARGET = "loss", "target"  # what a dataset's map is coloured by


def _is_log(optimizer: str, name: str) -> bool:
    h = engine.get_optimizer(optimizer).hyper_spec(name)
    return bool(h.log and h.slider_range[0] > 0)


class HyperMapPanel(QWidget, Panel):
    initial_height = 160

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.serial = 0
        self.optimizer: str | None = None
        self.last = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        # the title on its own line (a run's label and what the colour says, full width),
        # then the two axes and, for a dataset, what the colour says and the target loss
        self.title = QLabel(translate("HyperMapPanel", "Hyperparameter map"), self)
        self.title.setWordWrap(True)  # a long run label wraps instead of widening the window
        layout.addWidget(self.title)
        row = QHBoxLayout()
        self.x_box, self.y_box = QComboBox(self), QComboBox(self)
        bind(self.x_box.setToolTip, QT_TRANSLATE_NOOP("HyperMapPanel", "horizontal axis"))
        bind(self.y_box.setToolTip, QT_TRANSLATE_NOOP("HyperMapPanel", "vertical axis"))
        row.addWidget(self.x_box)
        row.addWidget(QLabel("×", self))
        row.addWidget(self.y_box)
        row.addStretch(1)
        # a dataset's map: coloured by the final loss or by the steps to a target loss
        self.colour_box = QComboBox(self)
        self.colour_box.addItem("", FINAL_LOSS)
        self.colour_box.addItem("", TO_TARGET)
        self._name_colours()
        bind(self.colour_box.setToolTip, QT_TRANSLATE_NOOP("HyperMapPanel", "what the colour of a cell says"))
        self.target_edit = QLineEdit(self)
        bind(self.target_edit.setPlaceholderText, QT_TRANSLATE_NOOP("HyperMapPanel", "auto"))
        bind(self.target_edit.setToolTip, QT_TRANSLATE_NOOP(
            "HyperMapPanel", "the target loss (a positive number); empty: 1.05 × the best loss any cell reached"))
        self.target_edit.setMaximumWidth(90)
        row.addWidget(self.colour_box)
        row.addWidget(self.target_edit)
        self.colour_box.hide()
        self.target_edit.hide()
        layout.addLayout(row)
        self.colour_box.activated.connect(lambda _: self._recolour())
        self.target_edit.editingFinished.connect(self._recolour)
        self.plot = pg.PlotWidget(self, background="w", axisItems=tidy_axis_items())
        self.plot.setMinimumHeight(60)  # with its wrapped caption it must fit a short panel
        for axis in ("left", "bottom"):
            self.plot.plotItem.getAxis(axis).enableAutoSIPrefix(False)
        self.plot.plotItem.setMenuEnabled(False)
        self.plot.plotItem.hideButtons()
        self.plot.setMouseEnabled(False, False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.marker = pg.ScatterPlotItem(size=13, symbol="o", pen=pg.mkPen("#fff", width=2.5),
                                         brush=pg.mkBrush(0, 0, 0, 0))
        self.marker.setZValue(10)
        self.plot.addItem(self.marker)
        # With the curvature view on (key H): the edge of the stable region of the local
        # quadratic model at the start, for GD and the momentum methods (dashed white on black).
        self.outline_halo = pg.PlotCurveItem(pen=pg.mkPen("#111", width=4.5), connect="finite")
        self.outline = pg.PlotCurveItem(pen=pg.mkPen("#fff", width=2, style=Qt.PenStyle.DashLine),
                                        connect="finite")
        for z, item in enumerate((self.outline_halo, self.outline)):
            item.setZValue(8 + z)
            item.hide()
            self.plot.addItem(item)
        self._lam_max: tuple | None = None  # (problem id, start, λ_max at the start)
        controller.curvature.changed.connect(self._curvature_switched)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555; font-size: 9pt")
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.note)
        self.x_box.activated.connect(lambda _: self.request())
        self.y_box.activated.connect(lambda _: self.request())
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.thread = MapThread(self)
        self.thread.computed.connect(self._computed)
        self.thread.failed.connect(
            lambda tb: controller.report_error(
                translate("HyperMapPanel", "Could not compute the hyperparameter map"), tb))
        self._waiting = None  # the settings of a map being computed, none of it shown yet
        self.thread.start()

    def resizeEvent(self, event):  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        self._fit_note()

    def _fit_note(self) -> None:
        """The wrapped caption's height at this width (up to two lines) is part of the
        panel's minimum, so a short panel (a small window, a clip) never lays the caption
        over the map."""
        lines = self.note.fontMetrics().lineSpacing()
        need = min(self.note.heightForWidth(max(1, self.width())), 2 * lines + 2)  # at most 2 lines
        if need > 0 and need != self.note.minimumHeight():
            self.note.setMinimumHeight(need)

    def _name_colours(self) -> None:
        self.colour_box.setItemText(0, translate("HyperMapPanel", "final loss"))
        self.colour_box.setItemText(1, translate("HyperMapPanel", "steps to target"))

    def colour_by(self) -> str:
        return self.colour_box.currentData()

    def set_colour_by(self, mode: str, target: float | None = None) -> None:
        """Colour a dataset's map by the final loss (FINAL_LOSS) or the steps to ``target``
        (TO_TARGET; None: 1.05 × the best loss any cell reached)."""
        self.colour_box.setCurrentIndex(max(0, self.colour_box.findData(mode)))
        self.target_edit.setText("" if target is None else f"{target:g}")
        self._recolour()

    def target(self) -> float | None:
        """The typed target loss, None for automatic; ValueError for a bad number."""
        text = self.target_edit.text().strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise ValueError(fill(translate("HyperMapPanel", "Invalid target loss: %1 (allowed: a positive "
                                            "number, or empty for automatic)"), text))
        return value

    def _show_data_controls(self, data: bool) -> None:
        self.colour_box.setVisible(data)
        self.target_edit.setVisible(data and self.colour_by() == TO_TARGET)

    def _recolour(self) -> None:
        self._show_data_controls(self.colour_box.isVisibleTo(self))
        if self.last is not None:
            self._show(*self.last)

    # ------------------------------------------------------------------ hooks
    def retranslate(self) -> None:
        self._name_colours()
        if self.last is not None:
            self._show(*self.last)
        elif self._waiting is not None:
            self._say_computing(self._waiting)
        else:
            self.title.setText(translate("HyperMapPanel", "Hyperparameter map"))

    def scene_changed(self) -> None:
        self.optimizer = None
        self.request()

    def runs_changed(self) -> None:
        self.request()

    def selection_changed(self, snapshot) -> None:
        self.request()

    def run_edited(self, uid: int) -> None:
        if uid == self.controller.selected_uid:
            self.request()

    def start_changed(self) -> None:
        self.request()

    def threads(self) -> tuple:
        return (self.thread,)

    def shown_for(self, look) -> bool:
        return True

    def share(self, look) -> float:
        return 0.4

    def settle(self) -> None:
        """The fine map now, on this thread (``--snapshot``): surfaces and 2-parameter
        problems only; a bigger model's map arrives from the thread, as it does live."""
        s = self._settings()
        if s is not None and (_cheap(s["problem"]) or s["problem"].n_params <= 2):
            self.serial += 1
            self._show(*self._job(s, FINE if _cheap(s["problem"]) else FINE_DATA)(None))

    # ------------------------------------------------------------------ axes
    def _fill_axes(self, optimizer: str) -> None:
        if optimizer == self.optimizer:
            return
        self.optimizer = optimizer
        spec = engine.get_optimizer(optimizer)
        names = [h.name for h in spec.hyper if h.kind == "float"]
        dx, dy = default_axes(optimizer)
        for box, default in ((self.x_box, dx), (self.y_box, dy)):
            box.blockSignals(True)
            box.clear()
            for n in names:
                box.addItem(n, n)
            box.setCurrentIndex(max(0, box.findData(default)) if default else 0)
            box.blockSignals(False)
        self.y_box.setEnabled(len(names) > 1)

    def axes(self) -> tuple[str, str | None]:
        x = self.x_box.currentData()
        y = self.y_box.currentData() if self.y_box.count() > 1 else None
        return x, (y if y != x else None)

    def set_axes(self, x: str, y: str | None) -> None:
        self.x_box.setCurrentIndex(self.x_box.findData(x))
        if y is not None:
            self.y_box.setCurrentIndex(self.y_box.findData(y))
        self.request()

    # ------------------------------------------------------------------ computing
    def _settings(self) -> dict | None:
        s = self.controller.map_settings()
        if s is None:
            return None
        self._fill_axes(s["optimizer"])
        x, y = self.axes()
        if x is None:
            return None
        n = FINE if _cheap(s["problem"]) else FINE_DATA
        cells = n ** (2 if y else 1)
        widest = dict(s["hyper"])  # (an axis of max_iter: its longest steps count)
        for name in (x, y):
            if name:
                widest[name] = float(np.max(axis_grid(s["optimizer"], name, n)))
        evaluations = evaluations_per_step(s["optimizer"], widest)
        return {**s, "x": x, "y": y,
                "map_steps": map_steps(s["problem"], cells, s["steps"], s["options"],
                                       evaluations=evaluations)}

    def _job(self, s: dict, n: int):
        xv = axis_grid(s["optimizer"], s["x"], n)
        yv = axis_grid(s["optimizer"], s["y"], n) if s["y"] else None

        def job(cancel):
            hyper = {k: v for k, v in s["hyper"].items() if k not in (s["x"], s["y"])}
            m = engine.hyper_map(s["problem"], s["optimizer"], s["start"], x=(s["x"], xv),
                                 y=(s["y"], yv) if s["y"] else None, steps=s["map_steps"],
                                 cancel=cancel, schedule=s["schedule"], noise=s["noise"],
                                 seed=s["seed"], **hyper, **s["options"])
            return s, m
        return job

    @staticmethod
    def _key(s: dict) -> tuple:
        """What the map depends on: everything but the values of its own two axes."""
        hyper = tuple(sorted((k, v) for k, v in s["hyper"].items() if k not in (s["x"], s["y"])))
        return (id(s["problem"]), s["optimizer"], hyper, tuple(sorted(s["options"].items())),
                s["schedule"], tuple(s["start"]), s["noise"], s["seed"], s["map_steps"], s["x"],
                s["y"])

    def request(self) -> None:
        s = self._settings()
        if s is not None and self.last is not None and self._key(s) == self._key(self.last[0]):
            self.last = (s, self.last[1])  # only the run's own setting moved: the ring follows
            self._place_marker()
            return
        self.serial += 1
        if s is None:
            self.thread.cancel()
            return
        cheap = _cheap(s["problem"])
        self.thread.submit(self.serial, [self._job(s, COARSE if cheap else COARSE_DATA),
                                         self._job(s, FINE if cheap else FINE_DATA)])
        if self.last is None or self.last[0]["problem"] is not s["problem"]:
            # Nothing of this problem's to show yet (a dataset's map takes seconds): say so,
            # rather than leave empty axes under another problem's title.
            self.image.clear()
            self.marker.setData([], [])
            self._waiting = s
            self._set_axes(s)
            self._say_computing(s)

    def _say_computing(self, s: dict) -> None:
        self.title.setText(self._title_text(s))
        over = f"{s['x']} × {s['y']}" if s["y"] else s["x"]
        self.note.setText(fill(translate("HyperMapPanel", "computing the map over %1: each cell is a race of "
                                         "%2 steps…"), over, f"{s['map_steps']:,}"))
        self._fit_note()

    def _title_text(self, s: dict, target: float | None = None) -> str:
        label = f"<b>{shown(s['label'])}</b>"
        if _cheap(s["problem"]):
            return fill(translate("HyperMapPanel", "%1: steps to a minimum"), label)
        if self.colour_by() == TO_TARGET and target is not None:
            return fill(translate("HyperMapPanel", "%1: steps to a loss of %2"), label, f"{target:.3g}")
        return fill(translate("HyperMapPanel", "%1: final training loss"), label)

    @staticmethod
    def _raced(s: dict) -> str:
        """How long each cell raced, and whether the step limit was capped for the map."""
        if s["map_steps"] < s["steps"]:
            return fill(translate("HyperMapPanel", "Each cell raced %1 steps (capped from the limit of %2: a map "
                                  "finishes in seconds)."), f"{s['map_steps']:,}", f"{s['steps']:,}")
        return fill(translate("HyperMapPanel", "Each cell raced %1 steps."), f"{s['map_steps']:,}")

    def _computed(self, serial: int, result) -> None:
        if serial == self.serial:
            self._show(*result)

    # ------------------------------------------------------------------ drawing
    def _coord(self, optimizer: str, name: str, value: float) -> float:
        return math.log10(value) if _is_log(optimizer, name) else value

    def _edges(self, optimizer: str, name: str | None) -> tuple[float, float]:
        if name is None:
            return 0.0, 1.0
        lo, hi = engine.get_optimizer(optimizer).hyper_spec(name).slider_range
        if _is_log(optimizer, name):
            return math.log10(lo), math.log10(hi)
        return lo, hi

    def _label(self, optimizer, name):
        if name is None:
            return ""
        return f"log₁₀ {name}" if _is_log(optimizer, name) else name

    def _show(self, s: dict, m) -> None:
        self.last = (s, m)
        self._waiting = None
        opt = s["optimizer"]
        x0, x1 = self._edges(opt, s["x"])
        y0, y1 = self._edges(opt, s["y"])
        data = not _cheap(s["problem"])
        self._show_data_controls(data)
        if data:
            rgba, caption, target = self._data_colours(s, m)
            for item in (self.outline_halo, self.outline):  # the stable region: surfaces' only
                item.hide()
        else:
            rgba, caption, target = hyper_rgba(m), self._surface_caption(s, m), None
        self.image.setImage(rgba, autoLevels=False)
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self._set_axes(s)
        self._place_marker()
        self.title.setText(self._title_text(s, target))
        if s["y"]:
            axes = fill(translate("HyperMapPanel", "across: %1, up: %2."), self._label(opt, s["x"]),
                        self._label(opt, s["y"]))
        else:
            axes = fill(translate("HyperMapPanel", "across: %1."), self._label(opt, s["x"]))
        # the sentences, joined as the language joins them (Chinese: no spaces)
        self.note.setText(fill(translate("HyperMapPanel", "%1 %2"), axes, caption))
        self._fit_note()

    def _set_axes(self, s: dict) -> None:
        """The plot spans the map's hyperparameter ranges (while it computes too: never a
        meaningless default range)."""
        opt = s["optimizer"]
        x0, x1 = self._edges(opt, s["x"])
        y0, y1 = self._edges(opt, s["y"])
        self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        # The horizontal axis is named in the caption: in a short panel its label and the
        # caption would overlap.
        self.plot.setLabel("bottom", "")
        self.plot.plotItem.showLabel("bottom", False)
        self.plot.setLabel("left", self._label(opt, s["y"]))
        self.plot.plotItem.getAxis("left").setStyle(showValues=bool(s["y"]))

    def _cell_name(self, s: dict, m, j: int, i: int) -> str:
        yb = f", {s['y']}={m.y_values[j]:.3g}" if s["y"] else ""
        return f"{s['x']}={m.x_values[i]:.3g}{yb}"

    def _surface_caption(self, s: dict, m) -> str:
        reached = m.steps >= 0
        raced = self._raced(s)
        if not reached.any():  # never "(0) … (0 steps)": say that nothing was reached
            return fill(translate("HyperMapPanel", "No cell reached a minimum: grey by the final loss (darker = "
                                  "higher), black = diverged. %1 Click to use."), raced)
        j, i = np.unravel_index(np.where(reached, m.steps, np.iinfo(np.int64).max).argmin(),
                                m.steps.shape)
        lo, hi = reached_range(m.steps)
        colours = fill(translate("HyperMapPanel", "yellow = soon (%1) … purple = late (%2 steps, log), grey = not "
                                 "reached in %3 (darker = higher loss), black = diverged. Click to use."),
                       lo, hi, m.n_steps)
        if self._draw_outline(s):
            colours = fill(translate("HyperMapPanel", "%1 %2"), colours,
                           translate("HyperMapPanel", "Dashed: the edge of the stable region of the local "
                                     "quadratic model at the start (smaller lr: stable)."))
        best = fill(translate("HyperMapPanel", "Fastest: %1 (%2 steps)."), self._cell_name(s, m, j, i), m.steps[j, i])
        return fill(translate("HyperMapPanel", "%1 %2 %3"), colours, raced, best)

    def _data_colours(self, s: dict, m):
        """A dataset's map: (rgba, caption, target or None)."""
        diverged = m.diverged
        raced = self._raced(s)
        loss = np.where(diverged | ~np.isfinite(m.final_loss), np.inf, m.final_loss)
        if self.colour_by() == TO_TARGET:
            try:
                target = self.target()
            except ValueError as exc:
                target = None
                problem = str(exc)
            else:
                problem = ""
            if target is None:
                target = m.default_target()
            if math.isfinite(target):
                to = m.steps_to(target)
                every = f"{trace_every(m.n_steps):,}"
                if (to >= 0).any():
                    j, i = np.unravel_index(np.where(to >= 0, to, np.iinfo(np.int64).max).argmin(), to.shape)
                    lo, hi = reached_range(to)
                    if lo == hi:  # one cell, or all at one checkpoint: no scale to read
                        caption = fill(translate("HyperMapPanel", "yellow = reached in %1 steps, grey = the loss "
                                                 "stayed above %2, black = diverged; checked every %3 steps. %4 "
                                                 "Click to use."), f"{lo:,}", f"{target:.3g}", every, raced)
                        if problem:
                            caption = fill(translate("HyperMapPanel", "%1 %2"), problem, caption)
                        return target_rgba(to, diverged), caption, target
                    caption = fill(translate("HyperMapPanel", "yellow = soonest (%1 steps) … purple = latest (%2, "
                                             "log), grey = the loss stayed above %3, black = diverged; checked every "
                                             "%4 steps. %5 Fastest: %6 (%7 steps). Click to use."),
                                   f"{lo:,}", f"{hi:,}", f"{target:.3g}", every, raced,
                                   self._cell_name(s, m, j, i), f"{to[j, i]:,}")
                else:
                    caption = fill(translate("HyperMapPanel", "No cell reached a loss of %1 (the lowest was %2): grey "
                                             "= above it, black = diverged. %3 Click to use."),
                                   f"{target:.3g}", f"{m.best_loss:.3g}", raced)
                if problem:
                    caption = fill(translate("HyperMapPanel", "%1 %2"), problem, caption)
                return target_rgba(to, diverged), caption, target
        if not np.isfinite(loss).any():
            return loss_rgba(m.final_loss, diverged), fill(translate(
                "HyperMapPanel", "Every cell diverged (black). %1"), raced), None
        j, i = np.unravel_index(loss.argmin(), loss.shape)
        lo, hi = float(loss[np.isfinite(loss)].min()), float(loss[np.isfinite(loss)].max())
        ceiling = m.start_ceiling()
        if ceiling is not None:  # the scale ends at the start's loss: worse is all purple
            caption = fill(translate("HyperMapPanel", "yellow = lowest loss (%1) … purple = the start's loss (%2) or "
                                     "higher (log), black = diverged. %3 Lowest: %4. Click to use."),
                           f"{lo:.3g}", f"{ceiling:.3g}", raced, self._cell_name(s, m, j, i))
        else:
            caption = fill(translate("HyperMapPanel", "yellow = lowest loss (%1) … purple = highest (%2, log), "
                                     "black = diverged. %3 Lowest: %4. Click to use."),
                           f"{lo:.3g}", f"{hi:.3g}", raced, self._cell_name(s, m, j, i))
        return loss_rgba(m.final_loss, diverged, ceiling=ceiling), caption, None

    # ------------------------------------------------------------------ stability
    def _curvature_switched(self) -> None:
        if self.last is not None:
            self._show(*self.last)

    def _start_lam_max(self, s: dict) -> float | None:
        """The largest eigenvalue of the Hessian at the map's start (None: no Hessian)."""
        problem, start = s["problem"], tuple(float(v) for v in s["start"])
        if self._lam_max is not None and self._lam_max[:2] == (id(problem), start):
            return self._lam_max[2]
        lam = None
        if problem.n_params <= MAX_HESSIAN_PARAMS:
            try:
                H = engine.hessian(problem, np.array(start))
                lam = float(np.linalg.eigvalsh(0.5 * (H + H.T))[-1]) if np.all(np.isfinite(H)) else None
            except ValueError:
                lam = None
        self._lam_max = (id(problem), start, lam)
        return lam

    def _draw_outline(self, s: dict) -> bool:
        """The stable region's edge over the map's axes; True if drawn."""
        items = (self.outline_halo, self.outline)
        lam = self._start_lam_max(s) if self.controller.curvature.on else None
        edge = None
        if lam is not None:
            opt = s["optimizer"]
            xv = axis_grid(opt, s["x"], 96)
            yv = axis_grid(opt, s["y"], 96) if s["y"] else None
            edge = stable_outline(opt, s["hyper"], lam, (s["x"], xv), (s["y"], yv) if s["y"] else None)
        if edge is None:
            for item in items:
                item.hide()
            return False
        opt = s["optimizer"]
        xs, ys = edge
        if s["y"] is None:  # one row: a vertical line at the limit
            x = self._coord(opt, s["x"], float(xs[0]))
            xs, ys = np.array([x, x]), np.array([0.0, 1.0])
        else:
            with np.errstate(all="ignore"):
                xs = np.log10(xs) if _is_log(opt, s["x"]) else xs
                ys = np.log10(ys) if _is_log(opt, s["y"]) else ys
        for item in items:
            item.setData(np.asarray(xs, float), np.asarray(ys, float))
            item.show()
        return True

    def _place_marker(self) -> None:
        if self.last is None:
            return
        s, _ = self.last
        c = self.controller
        try:
            hyper = c.hyper_of(s["uid"])
        except (ValueError, AttributeError):
            self.marker.setData([], [])
            return
        if s["x"] not in hyper or (s["y"] and s["y"] not in hyper):
            # the map was of another scene's run with this id (another optimizer): no ring on it
            self.marker.setData([], [])
            return
        x = self._coord(s["optimizer"], s["x"], hyper[s["x"]])
        y = self._coord(s["optimizer"], s["y"], hyper[s["y"]]) if s["y"] else 0.5
        self.marker.setData([x], [y])

    def _clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or self.last is None:
            return
        vb = self.plot.plotItem.vb
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        p = vb.mapSceneToView(ev.scenePos())
        self.pick(float(p.x()), float(p.y()))
        ev.accept()

    def pick(self, px: float, py: float) -> None:
        """Set the selected run's two hyperparameters at plot point (px, py) and restart it."""
        s, m = self.last
        opt = s["optimizer"]

        def value(name, values, coord):  # the nearest cell centre
            cells = np.array([self._coord(opt, name, v) for v in values])
            return float(values[int(np.abs(cells - coord).argmin())])

        changes = {s["x"]: value(s["x"], m.x_values, px)}
        if s["y"]:
            changes[s["y"]] = value(s["y"], m.y_values, py)
        try:
            self.controller.set_hypers(s["uid"], **changes)
        except ValueError as exc:
            self.note.setText(str(exc))
