"""The data view: a dataset's points and, live, what the selected run has learnt.

* 1-D regression: the points (y against x) and the fitted curve ŷ(x) in the run's colour;
* 2-D classification: the points coloured by class over a pale field of the model's
  belief — P(class 1) on a diverging map centred at ½ for two classes, the most likely
  class (paler where less sure) for K classes — with the decision boundary in the run's
  colour (the ½ contour, or where the most likely class changes);
* 1-D classification: the points at y = 0 and y = 1 (by class) and the curve P(class 1 | x);
* 2-D regression (a CSV file): the points coloured by their target over a field of ŷ.

Training points are filled with a dark outline, held-out test points hollow. Every item
is created once in ``__init__`` and fed with ``setData`` / ``setImage``; :meth:`show_fit`
is cheap (≈ 1–3 ms for the datasets shipped) so it can follow a running race at a few Hz.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer

from descentlab.engine.maps.drawing import contour_pieces, nan_joined

from ..support.i18n import fill, shown, translate

# Class colours: blue, orange, green, then more of Paul Tol's "bright"/"vibrant" sets.
# Blue/orange is the classic pair that stays apart for every kind of colour blindness;
# classes also get their own marker symbol, so colour is never the only cue.
CLASS_COLOURS = ["#3b75af", "#ef8a17", "#2ca05a", "#aa3377", "#66ccee", "#bbbbbb", "#ccbb44"]
CLASS_SYMBOLS = ["o", "s", "t", "d", "p", "h", "star"]
OUTLINE = "#1b1b1b"
REGRESSION_POINT = "#2f5d7c"  # training targets: dark slate; test targets: hollow, lighter
REGRESSION_TEST = "#7fa3bd"
FIELD_NEUTRAL = "#f7f7f5"
FIELD_STRENGTH = 0.42  # how far the field goes from neutral towards a class colour (pale)
GRID = 120  # field resolution (GRID × GRID evaluations of the model)
CURVE_POINTS = 200
VIRIDIS = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]
JITTER = 0.035  # 1-D classification: vertical spread of the points around y = 0 / 1


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _pale(hex_colour: str, strength: float = FIELD_STRENGTH) -> np.ndarray:
    return _rgb(FIELD_NEUTRAL) + strength * (_rgb(hex_colour) - _rgb(FIELD_NEUTRAL))


def _percent(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{100.0 * x:.0f} %"


def _number(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{x:.4g}"


class DataView(pg.PlotWidget):
    """The points of a :class:`engine.DatasetProblem` and the selected run's fit.

    ``set_problem(problem)`` (or None to empty the view), then ``show_fit(theta, colour,
    label)`` for the selected run as often as wanted (≈ 5 Hz is fine), ``clear_fit()``
    when no run is selected. A θ with NaN/inf (a diverged run) or of the wrong length
    draws no fit and never raises.
    """

    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self.setMinimumSize(240, 150)  # (a 1024 × 700 screen holds the window with it on the right)
        self.plotItem.setMenuEnabled(False)
        self.plotItem.hideButtons()
        self.vb = self.plotItem.getViewBox()
        for axis in ("left", "bottom"):
            self.plotItem.getAxis(axis).setPen(pg.mkPen("#444"))
            self.plotItem.getAxis(axis).setTextPen(pg.mkPen("#222"))

        # The field of the model's belief: scalar P(class 1) (or ŷ) through a colour map,
        # or an RGB image for K classes. Both with explicit levels (no auto-levelling).
        self.field = pg.ImageItem(axisOrder="row-major")
        self.field.setZValue(-20)
        self.addItem(self.field, ignoreBounds=True)
        self.field_rgb = pg.ImageItem(axisOrder="row-major")
        self.field_rgb.setZValue(-20)
        self.addItem(self.field_rgb, ignoreBounds=True)
        # The decision boundary (or the ½ crossings in 1-D): one NaN-separated curve, over
        # a wider white halo so it reads on any field.
        self.boundary_halo = pg.PlotCurveItem(connect="finite", skipFiniteCheck=True,
                                              pen=pg.mkPen(255, 255, 255, 200, width=4.5))
        self.boundary_halo.setZValue(-6)
        self.addItem(self.boundary_halo, ignoreBounds=True)
        self.boundary = pg.PlotCurveItem(connect="finite", skipFiniteCheck=True)
        self.boundary.setZValue(-5)
        self.addItem(self.boundary, ignoreBounds=True)
        # The fitted curve ŷ(x), or P(class 1 | x) for 1-D classification.
        self.curve = pg.PlotCurveItem(connect="finite", skipFiniteCheck=True)
        self.curve.setZValue(5)
        self.addItem(self.curve, ignoreBounds=True)
        self._others: list[pg.PlotCurveItem] = []  # other runs' curves (set_other_fits), under it
        self._other_fits: list = []
        self.test_points = pg.ScatterPlotItem(pxMode=True)
        self.test_points.setZValue(9)
        self.addItem(self.test_points)
        self.train_points = pg.ScatterPlotItem(pxMode=True)
        self.train_points.setZValue(10)
        self.addItem(self.train_points)

        # Class names (a CSV file's labels), top left inside the plot.
        self.legend = pg.LegendItem(offset=(6, 6), labelTextColor="#222", brush=pg.mkBrush(255, 255, 255, 200),
                                    pen=pg.mkPen("#bbb"))
        self.legend.setParentItem(self.vb)
        self.legend.setZValue(30)
        self.legend.setVisible(False)
        self._legend_items: list = []

        self.problem = None
        self._note = ""  # e.g. "5 features: x₁, x₂ shown" (no fit field beyond two features)
        self._mode = "none"  # "regression1d", "classification1d", "classification2d", "regression2d", "none"
        self._point_size = 7
        self._pen_width = 2.5
        self._last: tuple | None = None  # the last show_fit arguments (redrawn on pan / zoom)
        self._title = None
        self._title_parts = None
        self._levels = (0.0, 1.0)
        self._lut_binary = None
        self._pale_classes = None
        # viridis, from five of its stops (pg.colormap.get reads a file the frozen app may lack)
        self._regression_cmap = pg.ColorMap([0.0, 0.25, 0.5, 0.75, 1.0], VIRIDIS)
        self._refit_timer = QTimer(self, singleShot=True, interval=120)
        self._refit_timer.timeout.connect(self._refit)
        self.vb.sigRangeChanged.connect(self._range_changed)
        self._set_title("")

    # ------------------------------------------------------------------ setup
    def set_problem(self, problem) -> None:
        """Show the points of ``problem`` (a DatasetProblem), or empty the view for None."""
        self.problem = problem
        self._last = None
        self._clear_fit_items()
        self._title_parts = None
        if problem is None:
            self._mode = "none"
            self._note = ""
            self.legend.setVisible(False)
            self.train_points.setData([], [])
            self.test_points.setData([], [])
            self._set_title("")
            return
        ds = problem.dataset
        dim, cls = ds.dim, ds.task == "classification"
        self._mode = {(1, False): "regression1d", (1, True): "classification1d",
                      (2, False): "regression2d", (2, True): "classification2d"}.get((min(dim, 2), cls), "none")
        self._set_legend(ds)
        self._label_texts()
        if self._mode == "none":
            self.train_points.setData([], [])
            self.test_points.setData([], [])
            return
        self.vb.setAspectLocked(dim == 2)

        if cls:
            K = max(int(ds.n_classes), 2)
            colours = [CLASS_COLOURS[k % len(CLASS_COLOURS)] for k in range(K)]
            self._pale_classes = np.array([_pale(c) for c in colours])
            # Two classes: a diverging lookup table, class 0 colour → neutral → class 1 colour.
            t = np.linspace(0.0, 1.0, 256)[:, None]
            a, n, b = _pale(colours[0]), _rgb(FIELD_NEUTRAL), _pale(colours[1])
            lut = np.where(t < 0.5, a + (n - a) * (t / 0.5), n + (b - n) * ((t - 0.5) / 0.5))
            self._lut_binary = np.clip(np.round(lut), 0, 255).astype(np.uint8)
            self.field.setLookupTable(self._lut_binary)
            self._levels = (0.0, 1.0)
        self._draw_points()
        self._set_range()
        self._compose_title(None, "", "")

    def _label_texts(self) -> None:
        """The axes' names, the note and (for data it cannot draw) the title, in the
        current language."""
        ds = self.problem.dataset
        dim = ds.dim
        self._note = fill(translate("DataView", "2 of %1 features shown"), dim) if dim > 2 else ""
        if self._mode == "none":
            self._set_title(html.escape(fill(translate("DataView", "%1 · %2 features: the data view draws 1-D and 2-D "
                                                       "data only"), shown(ds.name), dim)))
            return
        if self._mode == "regression1d":
            self.plotItem.setLabel("bottom", "x")
            self.plotItem.setLabel("left", "y")
        elif self._mode == "classification1d":
            self.plotItem.setLabel("bottom", "x")
            self.plotItem.setLabel("left", translate("DataView", "P(class 1)"))
        else:
            self.plotItem.setLabel("bottom", "x₁")
            self.plotItem.setLabel("left", "x₂")
        names = getattr(ds, "feature_names", ())
        if names:  # a CSV header's names
            scaled = translate("DataView", " (standardised)") if ds.params.get("standardised") else ""
            self.plotItem.setLabel("bottom", names[0] + scaled)
            if dim >= 2:
                self.plotItem.setLabel("left", names[1] + scaled)

    def retranslate(self) -> None:
        """The language changed: the texts again, the points and the view as they are."""
        if self.problem is None:
            return
        self._label_texts()
        if self._last is not None:
            self.show_fit(*self._last[:3], **self._last[3])
        elif self._mode != "none":
            self._compose_title(None, "", "")

    def _set_legend(self, ds) -> None:
        self.legend.clear()
        self._legend_items = []
        names = getattr(ds, "class_names", ()) if ds.task == "classification" else ()
        for k, name in enumerate(names):
            colour = CLASS_COLOURS[k % len(CLASS_COLOURS)]
            sample = pg.ScatterPlotItem(symbol=CLASS_SYMBOLS[k % len(CLASS_SYMBOLS)], size=9,
                                        brush=pg.mkBrush(colour), pen=pg.mkPen(OUTLINE, width=1))
            self._legend_items.append(sample)
            self.legend.addItem(sample, html.escape(str(name)))
        self.legend.setVisible(bool(names))

    def legend_names(self) -> list[str]:
        """The class names the legend shows (empty when it is hidden)."""
        if not self.legend.isVisible():
            return []
        return [label.text for _, label in self.legend.items]

    def _model_text(self, short: bool = False) -> str:
        p = self.problem
        if p.model.key == "mlp":
            sizes = "-".join(str(int(s)) for s in p.network.sizes)
            return f"MLP {sizes}" if short else f"MLP {sizes} ({p.model.activation})"
        return shown(p.model.spec.name)

    def _draw_points(self) -> None:
        p, mode = self.problem, self._mode
        size = self._point_size
        if mode == "regression1d":
            self.train_points.setData(p.X[:, 0], p.y, size=size, symbol="o",
                                      pen=pg.mkPen(OUTLINE, width=1), brush=pg.mkBrush(REGRESSION_POINT))
            self.test_points.setData(p.X_test[:, 0], p.y_test, size=size, symbol="o",
                                     pen=pg.mkPen(REGRESSION_TEST, width=1.5), brush=None)
            return
        if mode == "regression2d":
            lo, hi = float(np.min(p.y)), float(np.max(p.y))
            self._levels = (lo, hi if hi > lo else lo + 1.0)
            self.field.setLookupTable(self._regression_lut())
            for item, X, y, train in ((self.train_points, p.X, p.y, True),
                                      (self.test_points, p.X_test, p.y_test, False)):
                cols = self._regression_cmap.map((np.asarray(y, float) - self._levels[0])
                                                 / (self._levels[1] - self._levels[0]), mode="qcolor")
                if train:
                    item.setData(X[:, 0], X[:, 1], size=size, symbol="o",
                                 pen=pg.mkPen(OUTLINE, width=1), brush=cols)
                else:
                    item.setData(X[:, 0], X[:, 1], size=size, symbol="o",
                                 pen=[pg.mkPen(c, width=1.5) for c in cols], brush=None)
            return
        K = len(self._pale_classes)
        brushes = [pg.mkBrush(CLASS_COLOURS[k % len(CLASS_COLOURS)]) for k in range(K)]
        pens = [pg.mkPen(CLASS_COLOURS[k % len(CLASS_COLOURS)], width=1.6) for k in range(K)]
        symbols = [CLASS_SYMBOLS[k % len(CLASS_SYMBOLS)] for k in range(K)]
        outline = pg.mkPen(OUTLINE, width=1)
        for item, X, y, train in ((self.train_points, p.X, p.y, True),
                                  (self.test_points, p.X_test, p.y_test, False)):
            y = np.asarray(y, dtype=np.int64)
            if mode == "classification1d":
                rng = np.random.default_rng(len(y) + (0 if train else 1))
                xs, ys = X[:, 0], y + JITTER * rng.uniform(-1.0, 1.0, len(y))
            else:
                xs, ys = X[:, 0], X[:, 1]
            item.setData(xs, ys, size=size, symbol=[symbols[k] for k in y],
                         pen=outline if train else [pens[k] for k in y],
                         brush=[brushes[k] for k in y] if train else None)

    def _regression_lut(self) -> np.ndarray:
        rgb = self._regression_cmap.getLookupTable(0.0, 1.0, 256, alpha=False).astype(float)
        return np.clip(np.round(_rgb(FIELD_NEUTRAL) + 0.35 * (rgb - _rgb(FIELD_NEUTRAL))),
                       0, 255).astype(np.uint8)

    def _set_range(self) -> None:
        b = self.problem.dataset.bounds
        if self._mode == "regression1d":
            ys = np.r_[self.problem.y, self.problem.y_test]
            lo, hi = float(ys.min()), float(ys.max())
            pad = 0.1 * max(hi - lo, 1e-9)
            self.vb.setRange(xRange=b[:2], yRange=(lo - pad, hi + pad), padding=0)
        elif self._mode == "classification1d":
            self.vb.setRange(xRange=b[:2], yRange=(-0.12, 1.12), padding=0)
        else:
            self.vb.setRange(xRange=b[:2], yRange=b[2:4], padding=0)

    def set_presentation(self, on: bool) -> None:
        """Bigger points and a wider fit line for a lecture hall."""
        self._point_size = 11 if on else 7
        self._pen_width = 4.0 if on else 2.5
        self.boundary_halo.setPen(pg.mkPen(255, 255, 255, 200, width=self._pen_width + 2.5))
        if self.problem is not None and self._mode != "none":
            self._draw_points()
        if self._last is not None:
            self.show_fit(*self._last[:3], **self._last[3])

    # ---------------------------------------------------------------- the fit
    def show_fit(self, theta, colour: str, label: str = "", *, loss: float | None = None,
                 test_loss: float | None = None) -> None:
        """Draw what the run with parameters ``theta`` predicts, in ``colour``.

        ``label`` names the run in the title. The title gives accuracy (train and test)
        for classification; for regression the training objective and the test loss —
        ``loss`` / ``test_loss`` when given (e.g. the run's own recorded values, which
        include its own loss and penalties), else the problem's at θ.
        """
        self._last = (theta, colour, label, {"loss": loss, "test_loss": test_loss})
        p = self.problem
        if p is None or self._mode == "none":
            return
        try:
            theta = np.asarray(theta, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            theta = np.full(1, np.nan)
        if theta.shape != (p.n_params,):  # e.g. a stale snapshot of the previous scene
            self._clear_fit_items()
            self._compose_title(None, "", "")
            return
        if not np.isfinite(theta).all():
            self._clear_fit_items()
            self._compose_title(colour, label, translate("DataView", "diverged: no fit to show"))
            return
        with np.errstate(all="ignore"):
            if self._mode == "regression1d":
                self._fit_regression1d(theta, colour)
            elif self._mode == "classification1d":
                self._fit_classification1d(theta, colour)
            elif not self._note:
                self._fit_field(theta, colour)
            self._compose_title(colour, label, self._score_text(theta, loss, test_loss))

    @property
    def draws_curves(self) -> bool:
        """Whether a fit is a curve over the points (1-D data), so several runs share one plot."""
        return self._mode in ("regression1d", "classification1d")

    def set_other_fits(self, fits) -> None:
        """Besides the selected run's fit, other runs' curves, each in its colour: ``fits`` is a
        list of (θ, colour). 1-D data only (a field shows one run); a θ that is not finite or not
        of the problem's size draws nothing."""
        fits = list(fits) if self.draws_curves else []
        self._other_fits = fits
        while len(self._others) < len(fits):
            item = pg.PlotCurveItem(connect="finite", skipFiniteCheck=True)
            item.setZValue(4)
            self.addItem(item, ignoreBounds=True)
            self._others.append(item)
        if fits:
            x0, x1 = self._x_span()
            xs = np.linspace(x0, x1, CURVE_POINTS)
        for i, item in enumerate(self._others):
            theta = np.asarray(fits[i][0], float).reshape(-1) if i < len(fits) else None
            if theta is None or theta.shape != (self.problem.n_params,) or not np.isfinite(theta).all():
                item.setData([], [])
                continue
            with np.errstate(all="ignore"):
                y = self.problem.predict(theta, xs)
            if y.ndim == 2:  # a softmax with two outputs: P(class 1)
                y = y[:, 1]
            y = np.where(np.isfinite(y) & (np.abs(y) < 1e12), y, np.nan)
            item.setPen(pg.mkPen(fits[i][1], width=self._pen_width * 0.75))
            item.setData(xs, y, connect="finite")

    def other_curves(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The other runs' curves as drawn (x, y), for tests."""
        return [item.getData() for item in self._others[: len(self._other_fits)]]

    def clear_fit(self) -> None:
        """No run selected: only the points."""
        self._last = None
        self._clear_fit_items()
        if self.problem is not None and self._mode != "none":
            self._compose_title(None, "", "")

    def _clear_fit_items(self) -> None:
        self.field.clear()
        self.field_rgb.clear()
        self.field.setVisible(False)
        self.field_rgb.setVisible(False)
        for item in (self.boundary, self.boundary_halo, self.curve, *self._others):
            item.setData([], [])

    def _score_text(self, theta, loss, test_loss) -> str:
        p = self.problem
        if p.dataset.task == "classification":
            acc = p.accuracy(theta)
            test = p.accuracy(theta, test=True) if p.n_test else math.nan
            if p.n_test:
                return fill(translate("DataView", "accuracy %1 (test %2)"), _percent(acc), _percent(test))
            return fill(translate("DataView", "accuracy %1"), _percent(acc))
        train = p.loss(theta) if loss is None else float(loss)
        test = (p.test_loss(theta) if p.n_test else math.nan) if test_loss is None else float(test_loss)
        if p.n_test:
            return fill(translate("DataView", "loss %1 (test %2)"), _number(train), _number(test))
        return fill(translate("DataView", "loss %1"), _number(train))

    def _x_span(self) -> tuple[float, float]:
        (x0, x1), _ = self.vb.viewRange()
        b = self.problem.dataset.bounds
        if not (math.isfinite(x0) and math.isfinite(x1) and x1 > x0):
            x0, x1 = b[0], b[1]
        return x0, x1

    def _fit_regression1d(self, theta, colour) -> None:
        x0, x1 = self._x_span()
        xs = np.linspace(x0, x1, CURVE_POINTS)
        yhat = self.problem.predict(theta, xs)
        yhat = np.where(np.isfinite(yhat) & (np.abs(yhat) < 1e12), yhat, np.nan)
        self.curve.setPen(pg.mkPen(colour, width=self._pen_width))
        self.curve.setData(xs, yhat, connect="finite")

    def _fit_classification1d(self, theta, colour) -> None:
        x0, x1 = self._x_span()
        xs = np.linspace(x0, x1, CURVE_POINTS)
        prob = self.problem.predict(theta, xs)
        if prob.ndim == 2:  # a softmax with two outputs
            prob = prob[:, 1]
        prob = np.where(np.isfinite(prob), prob, np.nan)
        self.curve.setPen(pg.mkPen(colour, width=self._pen_width))
        self.curve.setData(xs, prob, connect="finite")
        # The decision threshold: a vertical line at every ½ crossing.
        s = np.sign(prob - 0.5)
        cross = np.nonzero(s[:-1] * s[1:] < 0)[0]
        bx = []
        for i in cross:
            p0, p1 = prob[i], prob[i + 1]
            bx.append(xs[i] + (0.5 - p0) / (p1 - p0) * (xs[i + 1] - xs[i]))
        if bx:
            px = np.repeat(np.array(bx), 3)
            py = np.tile([-0.1, 1.1, np.nan], len(bx))
            px[2::3] = np.nan
            self._set_boundary(px, py, colour, dashed=True)
        else:
            self._set_boundary([], [], colour)

    def _fit_field(self, theta, colour) -> None:
        (x0, x1), (y0, y1) = self.vb.viewRange()
        if not all(math.isfinite(v) for v in (x0, x1, y0, y1)) or x1 <= x0 or y1 <= y0:
            x0, x1, y0, y1 = self.problem.dataset.bounds
        xs = np.linspace(x0, x1, GRID)
        ys = np.linspace(y0, y1, GRID)
        pred = self.problem.predict_grid(theta, xs, ys)
        # Pixel centres sit on the grid points: the image spans half a cell more each side.
        dx, dy = (x1 - x0) / (GRID - 1), (y1 - y0) / (GRID - 1)
        rect = QRectF(x0 - dx / 2, y0 - dy / 2, x1 - x0 + dx, y1 - y0 + dy)
        if self._mode == "regression2d":
            z = np.where(np.isfinite(pred), pred, self._levels[0])
            self._show_scalar(z, rect)
            self._set_boundary([], [], colour)
            return
        if pred.ndim == 2:  # P(class 1)
            prob = np.where(np.isfinite(pred), pred, 0.5)
            self._show_scalar(prob, rect)
            edge = contour_pieces(xs, ys, prob, [0.5])
            lines = edge[0] if edge else np.empty((0, 2))
        else:  # (ny, nx, K) probabilities
            prob = np.where(np.isfinite(pred), pred, 0.0)
            K = prob.shape[2]
            k = prob.argmax(axis=2)
            part = np.partition(prob, K - 2, axis=2)
            top, second = part[..., K - 1], part[..., K - 2]
            sure = np.clip((top - 1.0 / K) / (1.0 - 1.0 / K), 0.0, 1.0)[..., None]
            rgb = _rgb(FIELD_NEUTRAL) + sure * (self._pale_classes[k] - _rgb(FIELD_NEUTRAL))
            self.field.setVisible(False)
            self.field_rgb.setImage(np.clip(rgb, 0, 255).astype(np.uint8), levels=(0, 255),
                                    autoLevels=False)
            self.field_rgb.setRect(rect)
            self.field_rgb.setVisible(True)
            # Each class's region edge: where its probability meets the best of the others.
            pieces = []
            for c in range(K):
                others = np.where(k == c, second, top)
                pieces += contour_pieces(xs, ys, prob[..., c] - others, [0.0])
            lines = nan_joined(pieces)
        if len(lines):
            self._set_boundary(lines[:, 0], lines[:, 1], colour)
        else:
            self._set_boundary([], [], colour)

    def _show_scalar(self, z, rect) -> None:
        self.field_rgb.setVisible(False)
        self.field.setImage(z, levels=self._levels, autoLevels=False)
        self.field.setRect(rect)
        self.field.setVisible(True)

    def _set_boundary(self, xs, ys, colour, dashed=False) -> None:
        pen = pg.mkPen(colour, width=self._pen_width)
        if dashed:
            pen.setDashPattern([4, 3])
        self.boundary.setPen(pen)
        self.boundary.setData(np.asarray(xs, float), np.asarray(ys, float), connect="finite")
        self.boundary_halo.setData(np.asarray(xs, float), np.asarray(ys, float), connect="finite")

    # ------------------------------------------------------------------ title
    def _compose_title(self, colour, label: str, tail: str) -> None:
        """The longest of "■ run · dataset · model · tail" (dropping the activation, the
        dataset, the run's name in that order) that fits the widget's width."""
        self._title_parts = (colour, label, tail)
        if getattr(self, "plotItem", None) is None:  # closed
            return
        ds = shown(self.problem.dataset.name)
        full, short = self._model_text(), self._model_text(short=True)
        options = [(label, ds, full), (label, ds, short), (label, "", short), (label, "", ""),
                   ("", "", "")]
        if self._note:  # "2 of 5 features shown", dropped last
            noted = f"{tail} · {self._note}" if tail else self._note
            options = [(*o, noted) for o in options] + [(*o, tail) for o in options[2:]]
        else:
            options = [(*o, tail) for o in options]
        # The title sits above the plot area only (not above the left axis).
        room = max(self.width() - self.plotItem.getAxis("left").width() - 24, 60)
        text = ""
        for name, data, model, end in options:
            text = html.escape(" · ".join(x for x in (name, data, model, end) if x))
            if colour:
                text = f'<span style="color:{html.escape(colour)}">■</span> {text}'
            self._set_title(text)
            if self.plotItem.titleLabel.item.boundingRect().width() <= room:
                break

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        if (getattr(self, "_title_parts", None) is not None and self.problem is not None
                and getattr(self, "plotItem", None) is not None):  # (None once closed)
            self._compose_title(*self._title_parts)

    def _set_title(self, text: str) -> None:
        if text != self._title:
            self._title = text
            # Never None: hiding the title row would move the plot area (and re-range it).
            self.plotItem.setTitle(text or "&nbsp;", size="10pt", color="#222")

    def title_text(self) -> str:
        """The title as plain text (for tests and tooltips)."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self._title or ""))

    def _range_changed(self, *_):
        if self._last is not None:
            self._refit_timer.start()

    def _refit(self) -> None:
        if self._last is not None and getattr(self, "plotItem", None) is not None:
            theta, colour, label, kw = self._last
            self.show_fit(theta, colour, label, **kw)
            self.set_other_fits(self._other_fits)

