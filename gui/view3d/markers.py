"""Markers of the 3-D view painted flat on the screen, over everything: the minima's stars,
the start's ring and every run's current position, in the same shapes as on the map.

A 3-D scatter item draws round dots only and hides them behind hills; a lecturer wants
the map's symbols (a run's square or triangle, the white star of a minimum) and wants to
see where every run is, whichever way the surface is turned. So the points are projected
with the view's matrix and painted with QPainter, in pixels, as GLTextItem paints text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from pyqtgraph.opengl.GLGraphicsItem import GLGraphicsItem
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen


@dataclass(frozen=True)
class MarkerStyle:
    symbol: str  # a pyqtgraph symbol name: "o", "s", "t", "d", "star", "x", …
    size: float  # pixels
    fill: str  # colour ("" = not filled)
    edge: str = "#111"
    edge_width: float = 1.5


class ScreenMarkers(GLGraphicsItem):
    """Points in world coordinates, each drawn as a symbol of constant pixel size."""

    def __init__(self, parentItem=None):
        super().__init__(parentItem=parentItem)
        self.setGLOptions("additive")  # no depth test: always on top
        self.points = np.empty((0, 3))
        self.styles: list[MarkerStyle] = []

    def setData(self, points, styles) -> None:  # noqa: N802 — pyqtgraph's name
        points = np.asarray(points, dtype=float).reshape(-1, 3)
        if len(styles) != len(points):
            raise ValueError(f"{len(points)} points but {len(styles)} marker styles")
        self.points = points
        self.styles = list(styles)
        self.update()

    def screen_positions(self) -> np.ndarray:
        """(n, 2) pixel positions (NaN behind the camera), with the view's current camera."""
        view = self.view()
        if view is None or not len(self.points):
            return np.full((len(self.points), 2), np.nan)
        m = np.array(self.mvpMatrix().data(), dtype=float).reshape(4, 4).T
        homogeneous = np.column_stack([self.points, np.ones(len(self.points))]) @ m.T
        w = homogeneous[:, 3]
        with np.errstate(divide="ignore", invalid="ignore"):
            ndc = homogeneous[:, :2] / w[:, None]
        px = np.column_stack([(ndc[:, 0] + 1) * 0.5 * view.width(), (1 - ndc[:, 1]) * 0.5 * view.height()])
        px[w <= 1e-9] = np.nan
        return px

    def paint(self) -> None:
        if not len(self.points):
            return
        self.setupGLState()
        positions = self.screen_positions()
        painter = QPainter(self.view())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            for (x, y), style in zip(positions, self.styles, strict=True):
                if not (np.isfinite(x) and np.isfinite(y)):
                    continue
                path = Symbols.get(style.symbol, Symbols["o"])
                pen = QPen(QColor(style.edge), style.edge_width)
                pen.setCosmetic(True)
                painter.setPen(pen)
                painter.setBrush(QBrush(QColor(style.fill)) if style.fill else Qt.BrushStyle.NoBrush)
                painter.save()
                painter.translate(QPointF(float(x), float(y)))
                painter.scale(style.size, style.size)
                painter.drawPath(path)
                painter.restore()
        finally:
            painter.end()
