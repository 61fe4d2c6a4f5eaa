"""A few short polylines that change every frame, painted by one item.

The step-explained overlay moves its arrows, their white halos and the scale ellipse with
the selected run at every frame. As separate pyqtgraph curves each would work out its
bounds, build a path and set up its pen on every repaint; here one item paints them all,
in device pixels, straight from their points. ``Stroke`` keeps the small part of the
curve interface the overlay uses (``setData``, ``setPen``, ``opts["pen"]``, ``show``,
``hide``, ``isVisible``).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPen

from ..support.device_paint import device_points, picture_scale, widened


class Stroke:
    """One polyline of a :class:`Strokes` layer; NaN points split it into pieces."""

    def __init__(self, layer: Strokes, z: float):
        self._layer = layer
        self.z = z
        self.x = np.empty(0)
        self.y = np.empty(0)
        self.opts = {"pen": pg.mkPen("#000")}
        self._visible = False

    def setData(self, x, y) -> None:  # noqa: N802 — pyqtgraph's name
        self.x = np.asarray(x, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self._layer.update()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802
        return self.x, self.y

    def setPen(self, pen: QPen) -> None:  # noqa: N802
        self.opts["pen"] = pen
        self._layer.update()

    def show(self) -> None:
        if not self._visible:
            self._visible = True
            self._layer.update()

    def hide(self) -> None:
        if self._visible:
            self._visible = False
            self._layer.update()

    def setVisible(self, on: bool) -> None:  # noqa: N802
        self.show() if on else self.hide()

    def isVisible(self) -> bool:  # noqa: N802
        return self._visible and self._layer.isVisible()


class Strokes(pg.GraphicsObject):
    """Polylines in data coordinates, painted lowest ``z`` first."""

    def __init__(self, vb: pg.ViewBox):
        super().__init__()
        self._vb = vb
        self.strokes: list[Stroke] = []
        vb.sigRangeChanged.connect(lambda *_: self.prepareGeometryChange())

    def stroke(self, z: float) -> Stroke:
        s = Stroke(self, z)
        self.strokes.append(s)
        self.strokes.sort(key=lambda k: k.z)
        return s

    def boundingRect(self) -> QRectF:  # noqa: N802 — Qt's name
        return self._vb.viewRect()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        shown = [s for s in self.strokes if s._visible and len(s.x) >= 2]
        if not shown:
            return
        t = painter.transform()
        scale = picture_scale(painter)  # a 2× export: pens twice as wide
        painter.save()
        painter.resetTransform()
        for s in shown:
            painter.setPen(widened(s.opts["pen"], scale))
            x, y = device_points(t, s.x, s.y)
            painter.drawPath(pg.arrayToQPath(x, y, connect="finite"))
        painter.restore()
