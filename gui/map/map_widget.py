"""The map: a surface's colour map and contour lines, the known minima, and every run's
path with a marker at its current position. Items are created once and fed with setData.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont

from descentlab import engine
from descentlab.engine.maps.fields import Field

from ..plots.axes import tidy_axis_items
from ..support.i18n import QT_TRANSLATE_NOOP, shown
from .caption_layer import CaptionLayer
from .legend import MapLegend
from .run_layer import RunMarkers, RunPaths

PREPARING = QT_TRANSLATE_NOOP("MapView", "Preparing the engine — the first launch compiles it (a few seconds)…")

# A pale, nearly neutral map (blue-grey valleys, warm white heights): every run colour,
# blue ones included, stays readable on top of it, also from a projector.
FIELD_COLOURS = ["#9fb3c8", "#c3d0dc", "#e2e7ea", "#f3f1ea", "#fbf9f3"]


FAINT_ALPHA = 70  # a seed fan's repeats on the map: 70/255 of the run's colour

class MapView(pg.PlotWidget):
    start_picked = Signal(float, float, bool)  # x, y, only the selected run
    view_region_changed = Signal()  # debounced: the visible region moved or zoomed

    def __init__(self, parent=None):
        super().__init__(parent, background="w", axisItems=tidy_axis_items())
        self.setMinimumSize(300, 250)
        self.plotItem.setMenuEnabled(False)
        self.plotItem.hideButtons()
        self.plotItem.showGrid(False, False)
        self.vb = self.plotItem.getViewBox()
        self.vb.setAspectLocked(True)
        self.vb.setMouseEnabled(True, True)
        for axis in ("left", "bottom"):
            self.plotItem.getAxis(axis).setPen(pg.mkPen("#444"))
            self.plotItem.getAxis(axis).setTextPen(pg.mkPen("#222"))
            # The tick labels' space only grows: with the aspect locked, a narrower label
            # widens the view, which changes the ticks, which can narrow the labels back —
            # a layout that swings between two widths forever (seen with the CJK fallback font).
            self.plotItem.getAxis(axis).setStyle(autoReduceTextSpace=False)
        self.plotItem.setLabel("bottom", "x")
        self.plotItem.setLabel("left", "y")

        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.ColorMap(np.linspace(0.0, 1.0, len(FIELD_COLOURS)),
                                           FIELD_COLOURS))
        self.image.setZValue(-20)
        self.image.setCacheMode(pg.QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.addItem(self.image, ignoreBounds=True)
        self.contours = pg.PlotCurveItem(connect="finite", pen=pg.mkPen(40, 60, 90, 110, width=1),
                                         skipFiniteCheck=True)
        self.contours.setZValue(-10)
        self.contours.setCacheMode(pg.QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.addItem(self.contours, ignoreBounds=True)
        self.minima = pg.ScatterPlotItem(symbol="star", size=16, pen=pg.mkPen("#222", width=1),
                                         brush=pg.mkBrush("#fff"))
        self.minima.setZValue(5)
        # (static: a cached picture, not pyqtgraph's scatter paint every frame, ≈ 0.1 ms)
        self.minima.setCacheMode(pg.QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.addItem(self.minima, ignoreBounds=True)
        self.start_marker = pg.TargetItem(pos=(0, 0), size=14, symbol="o",
                                          pen=pg.mkPen("#111", width=2),
                                          brush=pg.mkBrush(255, 255, 255, 200), movable=True)
        self.start_marker.setZValue(15)  # under the runs' markers, which start there too
        self.start_marker.sigPositionChangeFinished.connect(self._start_dragged)
        self.addItem(self.start_marker, ignoreBounds=True)
        self.markers = RunMarkers(self.vb)
        self.markers.setZValue(20)
        self.addItem(self.markers, ignoreBounds=True)
        # L-BFGS: the points its last step evaluated (inner iterations, line-search probes)
        self.probes = pg.ScatterPlotItem(size=6, pen=pg.mkPen("#111", width=0.8), pxMode=True)
        self.probes.setZValue(18)
        self.addItem(self.probes, ignoreBounds=True)
        self._probes_key = None  # what the dots show now (runs, steps, counts)
        self.paths = RunPaths(self.vb)  # every run's path, drawn incrementally
        self.paths.setZValue(10)
        self.addItem(self.paths, ignoreBounds=True)
        # A seed fan's repeats (engine.race.fans), faint under the paths: one bundle of N paths
        # (points (N, k)) per fan, under the fan's uid.
        self.fan_paths = RunPaths(self.vb)
        self.fan_paths.setZValue(9)
        self.addItem(self.fan_paths, ignoreBounds=True)
        self._path_width = 2.0
        self._marker_size = 12
        self.map_frame = None  # the MapFrame: plane, field, coordinates
        self.note = pg.TextItem(color="#333", anchor=(0, 1))
        self.note.setZValue(40)
        self.addItem(self.note, ignoreBounds=True)
        # Until the first problem arrives (a first launch compiles the engine meanwhile):
        self.note.setText(shown(PREPARING))
        self.start_marker.hide()
        self._region_timer = QTimer(self, singleShot=True, interval=150)
        self._region_timer.timeout.connect(self.view_region_changed)
        self.vb.sigRangeChanged.connect(lambda *_: self._region_timer.start())
        self.vb.sigRangeChanged.connect(lambda *_: self._place_note())
        self.vb.sigResized.connect(lambda *_: self._place_note())
        self.scene().sigMouseClicked.connect(self._clicked)
        self.legend = MapLegend(self.vb)
        self._legend_on = False  # asked for (key L, presentation mode); hidden while small
        self.small = False  # a small picture beside the data view (gui.centre_swap.DataSwap)
        self.caption = CaptionLayer(self.vb, avoid=(self.legend,), light=(self.note,))  # a lesson's caption

    # ------------------------------------------------------------------ setup
    def label_frame(self) -> None:
        """The axes' names and the note of the problem's frame, in the current language."""
        view = self.map_frame
        if view is None:
            self.note.setText(shown(PREPARING))
            return
        self.plotItem.setLabel("bottom", shown(view.x_label))
        self.plotItem.setLabel("left", shown(view.y_label))
        self.note.setText(shown(view.note))
        # Small, the map hides its note and axes' names: they are here (the note's lines joined).
        self._small_tip = "\n".join((shown(view.x_label), shown(view.y_label), shown(view.note)))
        self._show_axis_names()
        self._place_note()

    def set_problem(self, view, xrange=None, yrange=None) -> None:
        """Show a problem through its MapFrame (a surface, a parameter plane, a slice)."""
        self.map_frame = view
        self.vb.setAspectLocked(view.lock_aspect)
        xmin, xmax, ymin, ymax = view.domain
        xr = xrange or (xmin, xmax)
        yr = yrange or (ymin, ymax)
        self.vb.setRange(xRange=xr, yRange=yr, padding=0)
        self.label_frame()
        minima = view.minima()
        if minima:
            self.minima.setData([m.x for m in minima], [m.y for m in minima],
                                brush=[pg.mkBrush("#fff" if m.is_global else "#bbb")
                                       for m in minima])
        else:
            self.minima.setData([], [])
        self.start_marker.show()
        self.image.clear()
        self.contours.setData([], [])
        self.paths.invalidate()  # another plane: the same numbers land elsewhere
        self.fan_paths.invalidate()

    def set_field(self, field: Field) -> None:
        (x0, x1), (y0, y1) = field.xrange, field.yrange
        self.image.setImage(field.values, levels=field.levels, autoLevels=False)
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        pts = field.contours
        if len(pts):
            self.contours.setData(pts[:, 0], pts[:, 1], connect="finite")
        else:
            self.contours.setData([], [])

    def set_runs(self, entries) -> None:
        """Create (or re-colour) one path item per run; drop items of removed runs."""
        wanted = {e.uid: e for e in entries}
        for uid in list(self._paths):
            if uid not in wanted:
                self.paths.remove(uid)
        for uid, e in wanted.items():
            self.paths.set_run(uid, pg.mkPen(e.colour, width=self._path_width), e.config.enabled)
        self._set_fans(entries)
        self.legend.set_runs(entries)

    def _set_fans(self, entries) -> None:
        """One faint 1-px path per repeat of every seed fan, in one bundle per fan (its median
        path is ``paths``')."""
        faint = {}
        for e in entries:
            colour = QColor(e.colour)
            colour.setAlpha(FAINT_ALPHA)
            if e.config.repeats > 1:
                faint[e.uid] = (pg.mkPen(colour, width=1), e.config.enabled)
        for key in list(self.fan_paths.records):
            if key not in faint:
                self.fan_paths.remove(key)
        for key, (pen, visible) in faint.items():
            self.fan_paths.set_run(key, pen, visible)

    @property
    def _paths(self) -> dict:
        """uid → the run's path as drawn (``xData``, ``yData``)."""
        return self.paths.records

    def show_legend(self, on: bool) -> None:
        self._legend_on = bool(on)
        self.legend.setVisible(self._legend_on and not self.small)

    def set_small(self, on: bool) -> None:
        """A small picture (the data view has the centre): the field and the paths only — no
        legend (the data view's panels name the runs), no note and no axes' names over a map
        a few lines tall (both in the tooltip); the ticks stay."""
        self.small = bool(on)
        self.legend.setVisible(self._legend_on and not self.small)
        self.note.setVisible(not self.small)
        self._show_axis_names()

    def _show_axis_names(self) -> None:
        self.setToolTip(getattr(self, "_small_tip", "") if self.small else "")  # (big: all on show)
        for axis in ("left", "bottom"):  # (setLabel shows them again)
            self.plotItem.getAxis(axis).showLabel(not self.small)

    def set_start(self, x: float, y: float) -> None:
        self.start_marker.blockSignals(True)
        self.start_marker.setPos(x, y)
        self.start_marker.blockSignals(False)

    def set_presentation(self, on: bool) -> None:
        self._path_width = 4.0 if on else 2.0
        self._marker_size = 20 if on else 12
        for uid, rec in self._paths.items():
            self.paths.set_run(uid, pg.mkPen(QColor(rec.pen.color()), width=self._path_width), rec.visible)
        self.minima.setSize(26 if on else 16)
        self.legend.set_large(on)
        self.show_legend(on)  # full screen: the run cards are far from the map
        note_font = QFont()
        note_font.setPointSizeF(note_font.pointSizeF() * (1.3 if on else 1.0))
        self.note.setFont(note_font)
        self._place_note()
        # TargetItem has no size setter: its size is ``scale``, baked into a cached shape.
        self.start_marker.scale = 22 if on else 14
        self.start_marker._shape = None
        self.start_marker.prepareGeometryChange()
        self.start_marker.update()

    def _place_note(self) -> None:
        """Bottom left, wrapped to half the map's width (the legend has the top right)."""
        (x0, _), (y0, _) = self.vb.viewRange()
        self.note.setPos(x0, y0)
        self.note.setTextWidth(max(160.0, 0.5 * self.vb.sceneBoundingRect().width()))

    def visible_region(self) -> tuple[tuple[float, float], tuple[float, float]]:
        (x0, x1), (y0, y1) = self.vb.viewRange()
        return (x0, x1), (y0, y1)

    def pixel_scale(self) -> tuple[float, float]:
        (x0, x1), (y0, y1) = self.vb.viewRange()
        rect = self.vb.sceneBoundingRect()
        return rect.width() / max(x1 - x0, 1e-300), rect.height() / max(y1 - y0, 1e-300)

    # ---------------------------------------------------------------- drawing
    def update_runs(self, snap: engine.Snapshot, entries) -> None:
        colours = {e.uid: e for e in entries}
        xs, ys, brushes, symbols = [], [], [], []
        self._draw_probes(snap, colours)
        for run in snap.runs:
            e = colours.get(run.uid)
            if e is None or run.uid not in self._paths or not e.config.enabled:
                continue
            path = run.path
            diverged = run.diverged_at is not None
            if diverged:
                path = np.vstack([path, run.position[None, :]])
            if self.map_frame is not None:
                path = self.map_frame.to_map(path)  # a slice projects; other planes are the identity
            tail = None
            if diverged:
                path = self._until_it_leaves(path)
                marker = path[-1]
            elif run.step != run.last_recorded:  # past the last record: a segment drawn anew each frame
                here = run.position[None, :]
                marker = self.map_frame.to_map(here)[0] if self.map_frame is not None else here[0]
                tail = (float(marker[0]), float(marker[1]))
            else:
                marker = path[-1]
            self.paths.set_path(run.uid, path[:, 0], path[:, 1], tail)
            if run.fan is not None:
                self._draw_fan(run)
            xs.append(marker[0])
            ys.append(marker[1])
            brushes.append(pg.mkBrush(e.colour))
            symbols.append("x" if run.diverged_at is not None else e.symbol)
        self.markers.setData(xs, ys, brush=brushes, symbol=symbols, size=self._marker_size,
                             pen=pg.mkPen("#111", width=1.5))

    def _draw_fan(self, run) -> None:
        fan = run.fan
        if run.uid not in self.fan_paths.records:
            return
        N, k = fan.paths.shape[:2]
        paths = fan.paths
        if not k:
            self.fan_paths.set_path(run.uid, np.empty((N, 0)), np.empty((N, 0)), None)
            return
        if self.map_frame is not None:  # (a slice projects; other planes are the identity)
            paths = self.map_frame.to_map(paths.reshape(N * k, -1)).reshape(N, k, 2)
        if (fan.diverged_at >= 0).any():
            paths = paths.copy()
            for j in np.flatnonzero(fan.diverged_at >= 0):
                cut = self._until_it_leaves(paths[j])  # (NaN after it: drawn no further)
                paths[j, :len(cut)], paths[j, len(cut):] = cut, np.nan
        # The last row is the latest step, off the rows kept (engine.race.fans.faint_rows)
        # or partial: it moves, the rows before it stay put (drawn once, into the image).
        self.fan_paths.set_path(run.uid, paths[:, :, 0], paths[:, :, 1], None, settled=k - 1)

    def _draw_probes(self, snap: engine.Snapshot, colours) -> None:
        """Small dots where each L-BFGS run's last step evaluated f (its inner iterations and
        line-search probes); redrawn only when a run took another step."""
        shown = [(run, colours[run.uid]) for run in snap.runs
                 if run.probes is not None and len(run.probes) and run.uid in colours
                 and colours[run.uid].config.enabled and run.diverged_at is None]
        key = (tuple((run.uid, run.step, len(run.probes), e.colour) for run, e in shown),
               self._marker_size, id(self.map_frame))
        if key == self._probes_key:
            return
        self._probes_key = key
        if not shown:
            self.probes.setData([], [])
            return
        points, brushes = [], []
        for run, e in shown:
            pts = run.probes if self.map_frame is None else self.map_frame.to_map(run.probes)
            points.append(pts[:, :2])
            brushes += [pg.mkBrush(e.colour)] * len(pts)
        pts = np.vstack(points)
        self.probes.setData(pts[:, 0], pts[:, 1], brush=brushes,
                            size=max(5.0, self._marker_size * 0.45))

    def _until_it_leaves(self, path: np.ndarray) -> np.ndarray:
        """A diverged path up to its first point outside the view (which it ends with).

        A run that blew up swings out to enormous values before it is stopped; drawing
        all of that would paint bands across the map. It is cut where it leaves the view,
        and its × sits there.
        """
        (x0, x1), (y0, y1) = self.vb.viewRange()
        outside = ~((path[:, 0] >= x0) & (path[:, 0] <= x1) & (path[:, 1] >= y0) & (path[:, 1] <= y1))
        first = int(np.argmax(outside)) if outside.any() else len(path) - 1
        if first == 0:
            return path[:1]
        exit_point = _clip_to_box(path[first - 1], path[first], x0, x1, y0, y1)
        return np.vstack([path[:first], exit_point[None, :]])

    # ------------------------------------------------------------------ mouse
    def _clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double():
            return
        if not self.vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        p = self.vb.mapSceneToView(ev.scenePos())
        only_selected = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self.start_picked.emit(float(p.x()), float(p.y()), only_selected)
        ev.accept()

    def _start_dragged(self, *_):
        p = self.start_marker.pos()
        self.start_picked.emit(float(p.x()), float(p.y()), False)


def _clip_to_box(inside: np.ndarray, outside: np.ndarray, x0, x1, y0, y1) -> np.ndarray:
    """Where the segment from ``inside`` to ``outside`` crosses the box's edge."""
    d = outside - inside
    t = 1.0
    for k, (lo, hi) in enumerate(((x0, x1), (y0, y1))):
        if d[k] > 0 and outside[k] > hi:
            t = min(t, (hi - inside[k]) / d[k])
        elif d[k] < 0 and outside[k] < lo:
            t = min(t, (lo - inside[k]) / d[k])
    if not np.isfinite(t):
        return inside
    return inside + max(t, 0.0) * d
