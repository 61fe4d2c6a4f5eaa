"""The runs on the map, drawn the cheap way.

Paths only grow: each frame draws just their new segments into an image kept in device
pixels, and a repaint blits that image (one ``drawImage`` instead of ten polylines). The
image is drawn anew only when what it shows is no longer a prefix of what is wanted: the
view moved or zoomed, a pen changed, a run was hidden, or a path's past changed (a reset,
a rewind, the history thinned). The last recorded point → current position segment of
each run changes every frame, so it is drawn on top, not into the image.

Anything that is not the live view — ``grab()``, a figure export, an SVG — gets the paths
as plain vector polylines, drawn directly.

A record may also hold N paths drawn with one pen (a seed fan's faint repeats): 2-D
``(N, k)`` points, NaN where a path has no point (one that diverged ends early). Such a
bundle costs what one path costs in Python — each frame one look at whether it grew, and
its moving last points drawn with one ``drawPath`` — instead of N times that.

The markers (one symbol per run at its current point) are painted directly too: ten
symbols cost less than pyqtgraph's ScatterPlotItem rebuilding its spots every frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from pyqtgraph import functions as fn
from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPen, QTransform
from PySide6.QtWidgets import QWidget

from descentlab.engine.maps.drawing import thin_path

from ..support.device_paint import device_points, picture_scale, widened


@dataclass
class PathRecord:
    """One run's path as the map shows it (data coordinates): points (k,), or a bundle of N
    paths (N, k), NaN where a path of the bundle has no point."""

    pen: QPen
    visible: bool = True
    xData: np.ndarray = field(default_factory=lambda: np.empty(0))  # noqa: N815 — pyqtgraph's names
    yData: np.ndarray = field(default_factory=lambda: np.empty(0))  # noqa: N815
    tail: tuple[float, float] | None = None  # current position, when past the last record
    settled: int | None = None  # points of the path that no longer change (None: all of them);
    #                             the image holds these, the rest is drawn anew every frame
    drawn: int = 0  # points of (xData, yData) already in the image
    drawn_first: tuple | None = None  # its first and last point then (a bundle: arrays of N)
    drawn_last: tuple | None = None


def _polyline(painter: QPainter, x: np.ndarray, y: np.ndarray) -> None:
    if len(x) < 2:
        return
    poly = fn.create_qpolygonf(len(x))
    arr = fn.ndarray_from_qpolygonf(poly)
    arr[:, 0] = x
    arr[:, 1] = y
    painter.drawPolyline(poly)


def _bundle(painter: QPainter, x: np.ndarray, y: np.ndarray, thin: bool = False) -> None:
    """N polylines (N, m) in device pixels, NaN where one has no point (only at its end). A
    few points each: their segments in one ``drawLines``; many (a first draw): each
    polyline on its own, thinned to the pixels if ``thin``."""
    n, m = x.shape
    if m == 0:
        return
    if m <= 64:
        ok = np.isfinite(x) & np.isfinite(y)
        if m == 1:  # single points
            for px, py in zip(x[ok], y[ok], strict=True):
                painter.drawPoint(QPointF(px, py))
            return
        if ok.all():  # the usual case: every segment
            pairs = fn.create_qpolygonf(2 * n * (m - 1))  # start, end, start, end, …
            arr = fn.ndarray_from_qpolygonf(pairs).reshape(n, m - 1, 2, 2)
            arr[:, :, 0, 0], arr[:, :, 1, 0] = x[:, :-1], x[:, 1:]
            arr[:, :, 0, 1], arr[:, :, 1, 1] = y[:, :-1], y[:, 1:]
            painter.drawLines(pairs)
            return
        seg = ok[:, :-1] & ok[:, 1:]
        k = int(np.count_nonzero(seg))
        if k:
            pairs = fn.create_qpolygonf(2 * k)
            arr = fn.ndarray_from_qpolygonf(pairs)
            arr[0::2, 0], arr[1::2, 0] = x[:, :-1][seg], x[:, 1:][seg]
            arr[0::2, 1], arr[1::2, 1] = y[:, :-1][seg], y[:, 1:][seg]
            painter.drawLines(pairs)
        return
    for xr, yr in zip(x, y, strict=True):
        ok = np.isfinite(xr) & np.isfinite(yr)
        if not ok.all():
            xr, yr = xr[ok], yr[ok]
        if thin and len(xr) > 64:
            idx = thin_path(xr, yr, 1.0, 1.0, 0.75)
            xr, yr = xr[idx], yr[idx]
        _polyline(painter, xr, yr)


class RunPaths(pg.GraphicsObject):
    """Every run's path: one item, an incrementally drawn image under the live view."""

    def __init__(self, vb: pg.ViewBox):
        super().__init__()
        self._vb = vb
        self.records: dict[int, PathRecord] = {}
        self._image: QImage | None = None
        self._key: tuple | None = None  # the transform and size the image was drawn for
        self._full = True  # the image must be drawn anew
        self._blank = True  # the image is empty (or there is none)
        self._ink: tuple | None = None  # (x0, y0, x1, y1): where the image has been drawn on
        vb.sigRangeChanged.connect(lambda *_: self.prepareGeometryChange())
        vb.sigResized.connect(lambda *_: self.prepareGeometryChange())

    # ------------------------------------------------------------------ data
    def set_run(self, uid: int, pen: QPen, visible: bool) -> None:
        rec = self.records.get(uid)
        if rec is None:
            self.records[uid] = PathRecord(pen=pen, visible=visible)
        else:
            rec.pen, rec.visible = pen, visible
        self.invalidate()

    def remove(self, uid: int) -> None:
        if self.records.pop(uid, None) is not None:
            self.invalidate()

    def set_path(self, uid: int, x: np.ndarray, y: np.ndarray, tail: tuple[float, float] | None,
                 settled: int | None = None) -> None:
        """``uid``'s path: its points (x, y), the current position past them (``tail``) and how
        many of its first points are settled (None: all). Only settled points go into the
        image; the points after them move (a seed fan's last row, partial or off its grid)
        and are drawn on top, anew every frame, like the tail."""
        rec = self.records[uid]
        rec.xData, rec.yData, rec.tail, rec.settled = x, y, tail, settled
        self.update()

    def invalidate(self) -> None:
        self._full = True
        self.update()

    # --------------------------------------------------------------- drawing
    def boundingRect(self) -> QRectF:  # noqa: N802 — Qt's name
        return self._vb.viewRect()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if not any(rec.xData.shape[-1] for rec in self._shown()):
            if not self._blank:  # nothing to draw (a map without seed fans: their layer)
                self._clear()
            return
        t = painter.transform()
        # The live view (a repaint, grab()) uses the image; an export (pyqtgraph's export
        # mode, set by gui/export/figure.py) gets vectors, pens as wide as the picture's scale.
        live = isinstance(painter.device(), QWidget) and not self._exportOpts
        widen = 1.0 if live else picture_scale(painter)
        pens = {id(rec): widened(rec.pen, widen) for rec in self._shown()}
        painter.save()
        painter.resetTransform()
        if live:
            self._paint_cached(painter, t)
        else:
            for rec in self._shown():
                painter.setPen(pens[id(rec)])
                x, y = device_points(t, rec.xData, rec.yData)
                if x.ndim == 2:
                    _bundle(painter, x, y)
                else:
                    _polyline(painter, x, y)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for rec in self._shown():  # what moves (unsettled points, the tail), every frame anew
            n = rec.xData.shape[-1]
            if not n:
                continue
            start = _settled(rec) - 1 if live else n - 1
            if rec.tail is None and start >= n - 1:
                continue
            painter.setPen(pens[id(rec)])
            xs, ys = rec.xData[..., max(start, 0):], rec.yData[..., max(start, 0):]
            if xs.ndim == 2:  # a bundle (it has no tail)
                _bundle(painter, *device_points(t, xs, ys))
                continue
            if rec.tail is not None:
                xs, ys = np.append(xs, rec.tail[0]), np.append(ys, rec.tail[1])
            x, y = device_points(t, xs, ys)
            if len(x) == 2:
                painter.drawLine(QPointF(x[0], y[0]), QPointF(x[1], y[1]))
            else:
                _polyline(painter, x, y)
        painter.restore()

    def _shown(self):
        return (r for r in self.records.values() if r.visible)

    def _clear(self) -> None:
        """An empty image: everything is drawn anew when there is something to draw."""
        if self._image is not None:
            self._image.fill(Qt.GlobalColor.transparent)
        for rec in self.records.values():
            rec.drawn = 0
        self._full = self._blank = True
        self._ink = None

    def _paint_cached(self, painter: QPainter, t: QTransform) -> None:
        rect = t.mapRect(self._vb.viewRect()).toAlignedRect()
        if rect.width() <= 0 or rect.height() <= 0:
            return
        key = (t.m11(), t.m12(), t.m21(), t.m22(), round(t.dx() - rect.x(), 6),
               round(t.dy() - rect.y(), 6), rect.width(), rect.height())
        if key != self._key or self._image is None:
            self._image = QImage(rect.width(), rect.height(), QImage.Format.Format_ARGB32_Premultiplied)
            self._key = key
            self._full = True
        # The image's origin is the view box's corner: draw into it shifted by that corner.
        shift = QTransform(t.m11(), t.m12(), t.m21(), t.m22(), t.dx() - rect.x(), t.dy() - rect.y())
        if not self._full and any(not _grew(rec) for rec in self._shown()):
            self._full = True  # a path's past changed: draw them all anew
        if self._full:
            self._clear()
        self._full = False
        grown = [rec for rec in self._shown() if _settled(rec) != rec.drawn]
        if grown:  # (most frames a fan's faint paths gain no settled row: no painter then)
            img_painter = QPainter(self._image)
            for rec in grown:
                self._ink = _union(self._ink, _append(img_painter, shift, rec))
            img_painter.end()
            self._blank = False
        if self._ink is None:
            return
        # Only the part drawn on: the rest is transparent (a blit costs by its area).
        x0, y0 = max(0, math.floor(self._ink[0])), max(0, math.floor(self._ink[1]))
        x1 = min(self._image.width(), math.ceil(self._ink[2]))
        y1 = min(self._image.height(), math.ceil(self._ink[3]))
        if x1 > x0 and y1 > y0:
            painter.drawImage(QPoint(rect.x() + x0, rect.y() + y0), self._image,
                              QRect(x0, y0, x1 - x0, y1 - y0))


def _union(a: tuple | None, b: tuple | None) -> tuple | None:
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _extent(pen: QPen, x: np.ndarray, y: np.ndarray) -> tuple | None:
    """The pixels a polyline through (x, y) drawn with ``pen`` can touch: its points' box,
    widened by half the pen and a pixel of antialiasing either side."""
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.all():
        x, y = x[ok], y[ok]
    if not len(x):
        return None
    m = max(pen.widthF(), 1.0) / 2 + 2
    return float(x.min()) - m, float(y.min()) - m, float(x.max()) + m, float(y.max()) + m


def _settled(rec: PathRecord) -> int:
    """How many of ``rec``'s points the image may hold."""
    n = rec.xData.shape[-1]
    return n if rec.settled is None else max(0, min(rec.settled, n))


def _ends(x: np.ndarray, y: np.ndarray, k: int) -> tuple[tuple, tuple]:
    """The first point and point ``k`` − 1 of a path (of each path of a bundle: as bytes,
    which compare bit for bit, NaN too)."""
    if x.ndim == 1:
        return (x[0], y[0]), (x[k - 1], y[k - 1])
    return ((x[:, 0].tobytes(), y[:, 0].tobytes()),
            (x[:, k - 1].tobytes(), y[:, k - 1].tobytes()))


def _grew(rec: PathRecord) -> bool:
    """Whether the image's part of ``rec`` is still the start of its path."""
    x, y, k = rec.xData, rec.yData, rec.drawn
    if k == 0:
        return True
    if _settled(rec) < k:
        return False
    first, last = _ends(x, y, k)  # (a bundle of another N: other bytes)
    return last == rec.drawn_last and first == rec.drawn_first


def _append(painter: QPainter, t: QTransform, rec: PathRecord) -> tuple | None:
    """Draw what ``rec`` gained since the image last saw it (all of it after a clear); the
    pixels it may have touched (:func:`_extent`)."""
    n, k = _settled(rec), rec.drawn
    x, y = rec.xData[..., :n], rec.yData[..., :n]
    if n == 0 or n == k:
        return None
    start = max(k - 1, 0)
    dx, dy = device_points(t, x[..., start:], y[..., start:])
    ink = _extent(rec.pen, dx, dy)
    painter.setPen(rec.pen)
    if dx.ndim == 2:
        _bundle(painter, dx, dy, thin=True)
    else:
        if len(dx) > 64:  # a long new piece (a first draw, a fast race): thin it to the pixels
            idx = thin_path(dx, dy, 1.0, 1.0, 0.75)
            dx, dy = dx[idx], dy[idx]
        if len(dx) == 1:
            painter.drawPoint(QPointF(dx[0], dy[0]))
        else:
            _polyline(painter, dx, dy)
    rec.drawn = n
    rec.drawn_first, rec.drawn_last = _ends(x, y, n)
    return ink


class RunMarkers(pg.GraphicsObject):
    """One symbol per run at its current point, sized in pixels."""

    def __init__(self, vb: pg.ViewBox):
        super().__init__()
        self._vb = vb
        self.x = np.empty(0)
        self.y = np.empty(0)
        self.symbols: list[str] = []
        self.brushes: list = []
        self.size = 12.0
        self.pen = pg.mkPen("#111", width=1.5)
        vb.sigRangeChanged.connect(lambda *_: self.prepareGeometryChange())

    def setData(self, x, y, brush, symbol, size, pen=None) -> None:  # noqa: N802 — pyqtgraph's name
        self.x = np.asarray(x, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.brushes, self.symbols, self.size = list(brush), list(symbol), float(size)
        if pen is not None:
            self.pen = pen
        self.update()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802 — pyqtgraph's name
        return self.x, self.y

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._vb.viewRect()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if not len(self.x):
            return
        t = painter.transform()
        px, py = device_points(t, self.x, self.y)
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        edge = QPen(self.pen)
        edge.setCosmetic(True)  # the symbol is scaled to its size; its edge is not
        painter.setPen(edge)
        for xi, yi, brush, name in zip(px, py, self.brushes, self.symbols, strict=True):
            if not (np.isfinite(xi) and np.isfinite(yi)):
                continue
            painter.setBrush(brush)
            painter.setTransform(QTransform(self.size, 0, 0, self.size, xi, yi))
            painter.drawPath(Symbols[name])
        painter.restore()
