"""Painting in device pixels: the pieces the hand-painted layers (gui/map/run_layer.py,
gui/map/strokes.py) and the figure export (gui/export/figure.py) share."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPen, QTransform


def device_points(t: QTransform, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Data coordinates through a view box's transform (scale and shift only) to pixels."""
    return x * t.m11() + y * t.m21() + t.dx(), x * t.m12() + y * t.m22() + t.dy()


def widened(pen, scale: float):
    """A cosmetic pen (a width in device pixels) ``scale`` times wider; others as they are."""
    if scale == 1.0 or not isinstance(pen, QPen) or not pen.isCosmetic() or pen.style() == Qt.PenStyle.NoPen:
        return pen
    wide = QPen(pen)
    wide.setWidthF(max(pen.widthF(), 1.0) * scale)  # width 0 is one device pixel
    return wide


def picture_scale(painter: QPainter) -> float:
    """The pixel ratio of what ``painter`` really paints on (a 2× or 4× export: 2 or 4)."""
    engine = painter.paintEngine()
    target = engine.paintDevice() if engine is not None else None
    return max(1.0, target.devicePixelRatioF()) if target is not None else 1.0
