"""Averaged points on the map: ASGD's ``ax`` as a second, hollow marker in the run's colour
with its own faint path (``engine.maps.averages``: computed from the path shown, so the
timeline's past steps and clips draw the average of that moment).

Drawn for every shown run whose optimizer keeps an average, once averaging has begun
(after t₀ steps; before, ``ax`` is the run's own point). Items are created once: one
``Strokes`` item paints the faint paths, one scatter item the hollow markers.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from descentlab.engine.maps.averages import averaged_path
from descentlab.engine.maps.drawing import thin_path

from .strokes import Strokes


class AverageLayer:
    def __init__(self, map_view):
        self.map = map_view
        self.strokes = Strokes(map_view.vb)
        self.strokes.setZValue(11)  # just over the paths, under the markers
        map_view.addItem(self.strokes, ignoreBounds=True)
        # A ring in the run's colour on a white ring: seen over its own path's tangle
        self.halo = pg.ScatterPlotItem(symbol="o", brush=pg.mkBrush(0, 0, 0, 0))
        self.markers = pg.ScatterPlotItem(symbol="o", brush=pg.mkBrush(0, 0, 0, 0))
        for z, item in ((21, self.halo), (22, self.markers)):  # over the run markers
            item.setZValue(z)
            map_view.addItem(item, ignoreBounds=True)
        self.paths: dict[int, object] = {}  # uid → its Stroke
        self.halos: dict[int, object] = {}  # uid → the white stroke under it
        self._pens: dict[int, tuple] = {}
        self.presentation = False
        self.points: dict[int, np.ndarray] = {}  # uid → ax drawn (map coordinates)
        self._marker_key = None

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        self._pens.clear()
        self._marker_key = None

    def forget(self) -> None:
        for stroke in (*self.paths.values(), *self.halos.values()):
            stroke.hide()
        self.points = {}
        self.markers.setData([], [])
        self.halo.setData([], [])
        self._marker_key = None

    def draw(self, snap, entries) -> None:
        frame = self.map.map_frame
        by_uid = {e.uid: e for e in entries}
        points: dict[int, np.ndarray] = {}
        colours = {}
        for run in snap.runs:
            e = by_uid.get(run.uid)
            if e is None or not e.config.enabled or run.diverged_at is not None:
                continue
            ax = averaged_path(run.optimizer, run.hyper, run.path, run.stride)
            if ax is None:
                continue
            if frame is not None:
                ax = frame.to_map(ax)
            if not np.all(np.isfinite(ax[-1])):
                continue
            points[run.uid] = ax[-1]
            colours[run.uid] = e.colour
            self._draw_path(run.uid, ax, e.colour)
        for uid, stroke in self.paths.items():
            if uid not in points:
                stroke.hide()
                self.halos[uid].hide()
        self.points = points
        key = tuple((uid, float(p[0]), float(p[1]), colours[uid]) for uid, p in points.items())
        if key != self._marker_key:
            self._marker_key = key
            size = 28 if self.presentation else 18
            width = 4.0 if self.presentation else 2.5
            uids = list(points)
            xs, ys = [points[u][0] for u in uids], [points[u][1] for u in uids]
            self.halo.setData(xs, ys, size=size, pen=pg.mkPen("#ffffff", width=width + 4.0))
            self.markers.setData(xs, ys, size=size, pen=[pg.mkPen(colours[u], width=width) for u in uids])

    def _draw_path(self, uid: int, ax: np.ndarray, colour: str) -> None:
        stroke = self.paths.get(uid)
        if stroke is None:
            self.halos[uid] = self.strokes.stroke(-1)  # every halo under every path
            stroke = self.paths[uid] = self.strokes.stroke(uid)
        halo = self.halos[uid]
        sx, sy = self.map.pixel_scale()
        keep = thin_path(ax[:, 0], ax[:, 1], max(sx, 1e-300), max(sy, 1e-300), 1.5)
        for item in (halo, stroke):
            item.setData(ax[keep, 0], ax[keep, 1])
            item.show()
        width = 3.0 if self.presentation else 1.5
        key = (colour, width)
        if self._pens.get(uid) != key:
            c = QColor(colour)
            c.setAlpha(150)  # faint: the average's path, not the run's
            stroke.setPen(pg.mkPen(c, width=width))
            halo.setPen(pg.mkPen(QColor(255, 255, 255, 170), width=width + 3.0))
            self._pens[uid] = key
