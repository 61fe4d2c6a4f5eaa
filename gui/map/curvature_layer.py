"""The curvature a step feels (View → Curvature, key H), drawn at the selected run's point.

The numbers are ``engine.maps.curvature``'s: the Hessian's two eigen-directions as axes
labelled λ₁ and λ₂ (a negative one red and dashed), the quadratic model's level curve (an
ellipse; on a saddle the hyperbolas and their asymptotes), Newton's step as a grey ghost
arrow, and a legend with κ, 2/λ_max, what the curvature is in words and, for GD and the
momentum methods, what lr·λ does along each direction (overshoot and zig-zag, or crawl).
A model with more than two parameters (up to 64: exact Hessians) gets its Hessian projected
on the map's slice, and the legend says so; 2/λ_max is always the full Hessian's.

``CurvatureState`` (one per controller) holds the switch and the newest curvature computed
(one per shown position: the lr slider's mark reads the same one); ``CurvatureLayer`` (one
per map) owns the plot items, created once and fed with ``setData``, hidden when off. It
draws from the snapshot it is given — the live one, the timeline's past step, a clip's frame.
"""

from __future__ import annotations

import html
import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor

from descentlab.engine.maps import curvature as cv
from descentlab.engine.optimizers._explain import fmt_number
from descentlab.engine.translatable import Filled

from ..support.i18n import QT_TRANSLATE_NOOP, fill, shown, translate
from .explain_layer import arrow_points, selected_run
from .strokes import Strokes

AXIS = "#1a237e"  # positive curvature: deep blue
NEGATIVE = "#c62828"  # negative curvature: red, dashed
LEVEL = "#00695c"  # the model's level curves
GHOST = QColor(40, 40, 40, 150)  # Newton's step
_NAN = np.array([np.nan])
RADIUS = 0.2  # the drawn axes' length, as a fraction of the view's shorter side
# A dataset model's Hessian costs milliseconds (forward-mode, up to 64 parameters): while its
# point moves, it is computed again only after ten times its cost has passed (≤ 10 % of the
# time), and once more when the point rests. A surface's costs microseconds: every frame.
CHEAP_S = 0.002
BUDGET = 0.1
# While the selected run races on (live, the same run, a later step), its numbers change
# every frame: the texts (legend, λ labels, the lr mark) follow at most this often — laying
# out rich text is most of the view's cost, and nobody reads numbers at 60 Hz. The last
# texts always arrive (a timer), and anything else (a selection, the timeline) at once.
TEXT_EVERY_S = 0.2

NO_RUN = QT_TRANSLATE_NOOP("CurvatureLayer", "select a run to see the curvature at its point")


class CurvatureState(QObject):
    """The curvature view on or off, and the newest curvature computed (cached per point)."""

    changed = Signal()  # switched on or off
    refreshed = Signal()  # a curvature held back (a dear one, still moving) is due: draw again

    def __init__(self, controller, parent=None):
        super().__init__(parent if parent is not None else controller)
        self.controller = controller
        self.on = False
        self._key = None
        self._value: tuple = (None, None)
        self._due = 0.0  # perf_counter time before which a dear curvature is not computed again
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.refreshed)

    def set_on(self, on: bool) -> None:
        """Show it or not; the controller's scene keeps the choice (``view.curvature``: a
        saved scene shows it again, a scene loaded says whether it is shown)."""
        on = bool(on)
        scene = getattr(self.controller, "scene", None)
        if scene is not None:
            scene.curvature = on
        if on != self.on:
            self.on = on
            self.changed.emit()

    def at(self, run) -> tuple[cv.Curvature | None, str | None]:
        """(the curvature at ``run``'s shown position, None) or (None, why not), for a
        RunSnapshot; computed once per position."""
        frame = self.controller.map_frame
        if frame is None:
            return None, NO_RUN
        pos = np.asarray(run.position, dtype=float)
        key = (id(frame), run.uid, pos.tobytes())
        if key == self._key:
            return self._value
        now = time.perf_counter()
        if self._key is not None and self._key[:2] == key[:2] and now < self._due:
            self._timer.start(int((self._due - now) * 1000) + 1)
            return self._value  # the same run a moment ago: drawn where it was computed
        self._key = key
        self._value = self._compute(frame, run, pos)
        cost = time.perf_counter() - now
        self._due = now + cost / BUDGET if cost > CHEAP_S else 0.0
        return self._value

    @staticmethod
    def _compute(frame, run, pos) -> tuple:
        problem = frame.problem
        if run.diverged_at is not None or not np.all(np.isfinite(pos)):
            return None, QT_TRANSLATE_NOOP("CurvatureLayer", "the run diverged: no curvature to show")
        if problem.n_params > cv.MAX_HESSIAN_PARAMS:
            return None, Filled(QT_TRANSLATE_NOOP("CurvatureLayer", "no curvature: the model has %1 parameters "
                                                  "(the Hessian is computed for at most %2)"),
                                problem.n_params, cv.MAX_HESSIAN_PARAMS)
        try:
            return cv.curvature_at(problem, pos, frame.plane), None
        except ValueError as exc:
            return None, Filled(QT_TRANSLATE_NOOP("CurvatureLayer", "no curvature here: %1"), str(exc))


class _TightStrokes(Strokes):
    """The view's polylines, bounded by what they cover (not the whole view) and cached as a
    picture: a frame in which the point did not move blits it instead of stroking dashed,
    haloed lines again."""

    MARGIN_PX = 24.0  # the widest pen, half of it, and an arrow head

    def __init__(self, vb):
        super().__init__(vb)
        self._rect = QRectF()
        self.setCacheMode(pg.QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def boundingRect(self) -> QRectF:  # noqa: N802 — Qt's name
        return self._rect

    def refit(self) -> None:
        shown = [s for s in self.strokes if s._visible and s.x.size]
        rect = QRectF()
        if shown:
            xs = np.concatenate([s.x for s in shown])
            ys = np.concatenate([s.y for s in shown])
            if np.isfinite(xs).any() and np.isfinite(ys).any():
                px, py = (abs(v) * self.MARGIN_PX for v in self._vb.viewPixelSize())
                x0, x1 = float(np.nanmin(xs)) - px, float(np.nanmax(xs)) + px
                y0, y1 = float(np.nanmin(ys)) - py, float(np.nanmax(ys)) + py
                rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect


def text_box(item: pg.TextItem) -> QRectF:
    """Where a TextItem's text is, in the scene: at its position, by its anchor, its size in
    pixels. (Its own sceneBoundingRect is not that until it has been painted: the item
    undoes the view's scale when it paints.)"""
    size = item.textItem.boundingRect()
    at = item.parentItem().mapToScene(item.pos()) if item.parentItem() is not None else item.pos()
    w, h = size.width(), size.height()
    return QRectF(at.x() - item.anchor.x() * w, at.y() - item.anchor.y() * h, w, h)


class CurvatureLayer:
    """The curvature view's plot items on one MapView."""

    def __init__(self, map_view, state: CurvatureState):
        self.map = map_view
        self.state = state
        self.presentation = False
        self.strokes = _TightStrokes(map_view.vb)
        self.strokes.setZValue(24)  # over the paths and markers, under the explain overlay
        map_view.addItem(self.strokes, ignoreBounds=True)
        s = self.strokes.stroke
        self.halo = s(0)  # one white stroke under the axes and the arrow: seen on any colour
        self.axes = [s(5), s(6)]
        self.level = s(3)  # the ellipse, or a saddle's branches where the model rises
        self.falling = s(3.5)  # a saddle's branches where it falls
        self.asymptotes = s(2)
        self.newton = s(8)
        self.labels = []
        for _ in range(2):
            t = pg.TextItem(anchor=(0.5, 0.5), fill=pg.mkBrush(255, 255, 255, 215))
            t.setZValue(46)  # over the legend (moved off it where it can be: _under_legend)
            map_view.addItem(t, ignoreBounds=True)
            self.labels.append(t)
        self.legend = pg.TextItem(anchor=(0, 0), fill=pg.mkBrush(255, 255, 255, 230),
                                  border=pg.mkPen("#888"))
        self.legend.setZValue(45)
        map_view.addItem(self.legend, ignoreBounds=True)
        cache = pg.QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache
        for text in (*self.labels, self.legend):  # rich text on a filled box: painted once, then blitted
            text.setCacheMode(cache)
            text.textItem.setCacheMode(cache)
        self._html: dict = {}
        self._text_time = -math.inf  # when texts were last set
        self._drawn_spot = None  # the spot (see _spot) drawn last
        self._text_at: tuple = (None, -1)  # (uid, step) of the last texts
        self._text_timer = QTimer(map_view, singleShot=True)  # goes with the map
        self._text_timer.timeout.connect(self._flush)
        self._pens: dict = {}
        self._width = None  # the legend's text width
        self._corner = ""  # the map's corner the legend is in (_place_legend)
        self._ends = [(np.zeros(2), np.zeros(2))] * 2  # each λ label's (far, near) place
        self.last = None  # the newest snapshot drawn
        self.curvature: cv.Curvature | None = None  # the one drawn now
        self.hide()

    # ------------------------------------------------------------------ state
    def items(self) -> list:
        return [self.halo, *self.axes, self.level, self.falling, self.asymptotes, self.newton,
                *self.labels, self.legend]

    def hide(self) -> None:
        self.curvature = None
        self._text_at = (None, -1)
        self._drawn_spot = None
        for item in self.items():
            item.hide()

    def forget(self) -> None:
        """A new problem: the snapshot kept for redrawing belongs to the old one."""
        self.last = None
        self.hide()

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        self._html.clear()
        self.redraw()

    def redraw(self) -> None:
        if self.last is not None:
            self.draw(self.last)
        else:
            self.hide()

    # ------------------------------------------------------------------ drawing
    def draw(self, snap, entries=None, selected: int | None = None) -> None:
        self.last = snap
        if not self.state.on:
            self.hide()
            return
        entry, run, selected = selected_run(self.map, snap, entries, selected)
        if entry is None or run is None:
            return self._say(shown(NO_RUN))
        timeline = getattr(getattr(self.map, "controller", None), "timeline", None)
        uid0, step0 = self._text_at
        moving = (uid0 == run.uid and snap.step > step0 and not getattr(timeline, "in_past", False))
        now = time.perf_counter()
        texts = not moving or now - self._text_time >= TEXT_EVERY_S  # else: the timer brings them
        # Draw only what the screen resolves: a point that moved less than half a pixel since
        # it was drawn (a long race's late steps) keeps its drawing until the texts are due.
        spot = self._spot(run)
        if moving and not texts and spot is not None and spot == self._drawn_spot:
            self._text_at = (run.uid, snap.step)
            self._later()
            return
        k, why = self.state.at(run)
        if k is None:
            return self._say(shown(why))
        self.curvature = k
        self._text_at = (run.uid, snap.step)
        self._drawn_spot = spot
        if texts:
            self._text_time = now
        else:
            self._later()
        (x0, x1), (y0, y1) = self.map.visible_region()
        radius = RADIUS * min(x1 - x0, y1 - y0)
        if not (radius > 0.0 and math.isfinite(radius)):
            return
        m = cv.model_curves(k, radius)
        wide = 1.5 if self.presentation else 1.0
        p = k.point
        under_x, under_y = [], []  # the halo's pieces
        for j in range(2):
            ax = m.axes[:, j]
            xs = np.array([p[0] - ax[0], p[0] + ax[0]])
            ys = np.array([p[1] - ax[1], p[1] + ax[1]])
            negative = k.eigenvalues[j] < 0.0
            colour = NEGATIVE if negative else AXIS
            style = Qt.PenStyle.DashLine if negative else Qt.PenStyle.SolidLine
            self._show(self.axes[j], xs, ys, colour, 2.5 * wide, style)
            under_x += [xs, _NAN]
            under_y += [ys, _NAN]
            self._label(j, k, p + 1.16 * ax, colour, texts)
            self._ends[j] = (p + 1.16 * ax, p - 1.16 * ax)
        self._show(self.level, *m.positive, LEVEL, 2.0 * wide, Qt.PenStyle.DashLine)
        for item, curve, colour, style in ((self.falling, m.negative, NEGATIVE, Qt.PenStyle.DashLine),
                                           (self.asymptotes, m.asymptotes, "#757575", Qt.PenStyle.DashDotLine)):
            if curve[0].size:
                self._show(item, *curve, colour, (2.0 if item is self.falling else 1.2) * wide, style)
            else:
                item.hide()
        clipped, arrow = self._draw_newton(k, x1 - x0, y1 - y0, wide)
        if arrow is not None:
            under_x.append(arrow[0])
            under_y.append(arrow[1])
        self._show(self.halo, np.concatenate(under_x), np.concatenate(under_y), "#ffffff", 3.0 * wide + 3.0,
                   Qt.PenStyle.SolidLine)
        self.strokes.refit()
        if texts:
            self._set_html(self.legend, self._legend_html(k, entry, run, clipped))
        self._place_legend(choose=texts)
        for j, (far, near) in enumerate(self._ends):  # the far end, or the near one off the legend
            at = near if self._under_legend(far) else far
            self.labels[j].setPos(float(at[0]), float(at[1]))

    def _later(self) -> None:
        """The texts held back now come when they are due."""
        if not self._text_timer.isActive():
            wait = TEXT_EVERY_S - (time.perf_counter() - self._text_time)
            self._text_timer.start(max(1, int(wait * 1000) + 1))

    def _spot(self, run) -> tuple | None:
        """What the drawing depends on, the point to half a pixel: the same spot, the same
        picture (None: not known)."""
        frame = self.map.map_frame
        if frame is None:
            return None
        pos = np.asarray(run.position, dtype=float)
        if not np.all(np.isfinite(pos)):
            return None
        x, y = frame.to_map(pos[None, :])[0]
        sx, sy = self.map.pixel_scale()
        view = self.map.vb.viewRange()
        return (run.uid, id(frame), round(float(x) * sx * 2.0), round(float(y) * sy * 2.0),
                tuple(view[0]), tuple(view[1]), self.presentation)

    def _draw_newton(self, k: cv.Curvature, w: float, h: float, wide: float) -> tuple:
        """Newton's step as a ghost arrow, shortened to the view's size: (shortened?, its
        points or None)."""
        if k.newton is None or not np.all(np.isfinite(k.newton)):
            self.newton.hide()
            return False, None
        step = k.newton
        span = float(np.hypot(w, h))
        n = float(np.hypot(*step))
        clipped = n > span
        if clipped:
            step = step * (span / n)
        sx, sy = self.map.pixel_scale()
        xs, ys = arrow_points(k.point, k.point + step, max(sx, 1e-300), max(sy, 1e-300),
                        22.0 if self.presentation else 13.0)
        self._show(self.newton, xs, ys, GHOST, 3.0 * wide, Qt.PenStyle.DashLine)
        return clipped, (xs, ys)

    def _under_legend(self, at) -> bool:
        """Whether a λ label centred at ``at`` (view coordinates) would cover the legend's text."""
        if not self.legend.isVisible():
            return False
        box = text_box(self.legend).adjusted(-60.0, -20.0, 60.0, 20.0)  # a label's half size
        return box.contains(self.map.vb.mapViewToScene(pg.Point(float(at[0]), float(at[1]))))

    def _label(self, j: int, k: cv.Curvature, at, colour: str, texts: bool) -> None:
        label = self.labels[j]
        if texts:
            size = "16pt" if self.presentation else "10pt"
            name = "λ₁" if j == 0 else "λ₂"
            text = f"{name} = {fmt_number(float(k.eigenvalues[j]))}"
            self._set_html(label, f"<span style='font-size:{size}; font-weight:bold; color:{colour}'>"
                                  f"{html.escape(text)}</span>")
        label.setPos(float(at[0]), float(at[1]))
        label.show()

    def _legend_html(self, k: cv.Curvature, entry, run, clipped: bool) -> str:
        size = "15pt" if self.presentation else "9pt"
        l1, l2 = (float(v) for v in k.eigenvalues)
        name = f"<b style='color:{entry.colour}'>{html.escape(entry.label)}</b>"
        kappa = "∞" if math.isinf(k.kappa) else fmt_number(k.kappa)
        rows = [fill(translate("CurvatureLayer", "%1 — the curvature it feels at step %2"), name, run.step),
                html.escape(fill(translate("CurvatureLayer", "λ₁ = %1, λ₂ = %2, condition number κ = %3"),
                                 fmt_number(l1), fmt_number(l2), kappa)),
                f"<i>{html.escape(shown(k.words()))}</i>"]
        limit = "∞" if math.isinf(k.limit) else fmt_number(k.limit)
        rows.append(html.escape(fill(translate("CurvatureLayer", "2/λ_max = %1: the largest stable lr of GD here"),
                                     limit)))
        lr = run.hyper.get("lr")
        if lr is not None and cv.lr_limit(run.optimizer, run.hyper, k.lam_max) is not None:
            for name_, lam in (("λ₁", l1), ("λ₂", l2)):
                rows.append(html.escape(fill(translate("CurvatureLayer", "along %1: %2"), name_,
                                             shown(cv.step_regime(lr, lam)))))
        glyph = "<span style='color:#555; font-weight:bold'>╌╌▸</span> "
        if k.newton is None:
            rows.append(glyph + html.escape(translate("CurvatureLayer", "no Newton step: the Hessian is singular")))
        elif clipped:
            rows.append(glyph + html.escape(translate("CurvatureLayer", "Newton's step −H⁻¹g (longer than the view)")))
        else:
            rows.append(glyph + html.escape(translate("CurvatureLayer", "Newton's step −H⁻¹g")))
        rows.append(f"<span style='color:{LEVEL}; font-weight:bold'>╌╌</span> "
                    + html.escape(translate("CurvatureLayer", "a level curve of the quadratic model")))
        if k.projected:
            rows.append("<i>" + html.escape(fill(translate(
                "CurvatureLayer", "projected on the map's plane (the model has %1 parameters)"),
                self.map.map_frame.problem.n_params)) + "</i>")
        return f"<div style='font-size:{size}; color:#222'>" + "<br>".join(rows) + "</div>"

    def _show(self, item, xs, ys, colour, width: float, style) -> None:
        item.setData(xs, ys)
        key = (QColor(colour).rgba(), width, style)
        if self._pens.get(item) != key:
            pen = pg.mkPen(colour, width=width, style=style)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            item.setPen(pen)
            self._pens[item] = key
        item.show()

    def _set_html(self, item, text: str) -> None:
        if self._html.get(item) != text:
            item.setHtml(text)
            self._html[item] = text

    def _flush(self) -> None:
        """The texts held back while the run raced on: drawn for the newest snapshot."""
        self._text_at = (None, -1)
        self._text_time = -math.inf
        self.redraw()

    def _say(self, text: str) -> None:
        """Nothing to draw: say why, in the legend's place."""
        self._text_at = (None, -1)
        self._drawn_spot = None
        for item in self.items():
            item.hide()
        self.curvature = None
        size = "15pt" if self.presentation else "9pt"
        self._set_html(self.legend, f"<div style='font-size:{size}; color:#222'><i>"
                                    f"{html.escape(text)}</i></div>")
        self._place_legend()

    def _place_legend(self, choose: bool = True) -> None:
        """In the map's corner where it hides least: the paths and the drawing at the point
        (its axes, the model's curve, Newton's arrow) and the run legend (top right) and the
        note (bottom left) count against a corner; ties go to the top left. It moves only to
        a corner that hides less than half as much (no jumping about while the run races).
        Wrapped to at most half the map's width. ``choose``: weigh the corners again (with the
        texts, at most every TEXT_EVERY_S while the run races; else only follow the view)."""
        rect = self.map.vb.sceneBoundingRect()
        width = max(220.0, min(0.5 * rect.width(), 640.0 if self.presentation else 420.0))
        if self._width != width:
            self._width = width
            self.legend.setTextWidth(width)
        size = self.legend.textItem.boundingRect()  # in pixels (a TextItem ignores the view's scale)
        w, h, m = size.width(), size.height(), 4.0
        W, H = rect.width(), rect.height()
        places = {"top left": (m, m), "bottom right": (W - w - m, H - h - m),
                  "bottom left": (m, H - h - m), "top right": (W - w - m, m)}
        if choose or self._corner not in places:
            points, weights = self._keep_clear()
            costs = {name: self._cost(QRectF(x, y, w, h), points, weights) for name, (x, y) in places.items()}
            best = min(costs, key=lambda name: costs[name])  # the first of equals: the top left
            if self._corner not in places or costs[best] < 0.5 * costs[self._corner]:
                self._corner = best
        x, y = places[self._corner]
        self.legend.setPos(self.map.vb.mapToView(pg.Point(x, y)))
        self.legend.show()

    def _keep_clear(self) -> tuple[np.ndarray, np.ndarray]:
        """The points (the ViewBox's pixels) a legend should not cover, and what each counts:
        the visible paths' points 1, the curvature drawing's 20."""
        parts, weights = [], []
        for rec in self.map.paths.records.values():
            if rec.visible and len(rec.xData):
                step = max(1, len(rec.xData) // 400)
                parts.append(np.column_stack([rec.xData[::step], rec.yData[::step]]))
                weights.append(np.ones(len(parts[-1])))
        for item in (self.axes[0], self.axes[1], self.level, self.falling, self.newton):
            x, y = item.getData() if item.isVisible() else (None, None)
            if x is not None and len(x):
                parts.append(np.column_stack([x, y]))
                weights.append(np.full(len(x), 20.0))
        if not parts:
            return np.zeros((0, 2)), np.zeros(0)
        xy = np.concatenate(parts)
        t = self.map.vb.childTransform()  # data → the ViewBox's pixels
        px = t.m11() * xy[:, 0] + t.m21() * xy[:, 1] + t.dx()
        py = t.m12() * xy[:, 0] + t.m22() * xy[:, 1] + t.dy()
        ok = np.isfinite(px) & np.isfinite(py)
        return np.column_stack([px[ok], py[ok]]), np.concatenate(weights)[ok]

    def _cost(self, box: QRectF, points: np.ndarray, weights: np.ndarray) -> float:
        x0, y0, x1, y1 = box.left(), box.top(), box.right(), box.bottom()
        inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
        cost = float(weights[inside].sum())
        for item, weight in ((self.map.legend, 10.0), (self.map.note, 0.5)):
            where = text_box(item) if isinstance(item, pg.TextItem) else item.sceneBoundingRect()
            if item.isVisible() and where.isValid():
                common = box.intersected(self.map.vb.mapRectFromScene(where))
                if not common.isEmpty():
                    cost += weight * common.width() * common.height() / 100.0
        return cost
