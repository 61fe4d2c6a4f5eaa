"""Figures out of the window: the map, the loss curves or the whole window as PNG or SVG.

PNG is rendered again at the asked scale (a QImage with a device-pixel ratio of 2 or 4:
lines, markers and text are drawn at that resolution, nothing is upscaled). SVG goes
through Qt's QSvgGenerator: paths and contour lines become ``<path>``/``<polyline>``
elements, text stays ``<text>``, only the field under the contours is an image. While a
figure is drawn, pyqtgraph's items are in "export mode", so the scatter markers are drawn
as shapes rather than copied from their pixel cache. Files are written atomically.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QAbstractGraphicsShapeItem, QGraphicsItem, QGraphicsView, QWidget

from descentlab.engine.files.atomic_file import os_error_text, write_atomically
from descentlab.engine.quoted import quoted

from ..support.device_paint import widened
from ..support.i18n import QT_TRANSLATE_NOOP, fill, translate
from .errors import ExportError

WHAT = {"map": QT_TRANSLATE_NOOP("FigureRequest", "the map"),
        "loss": QT_TRANSLATE_NOOP("FigureRequest", "the loss curves"),
        "window": QT_TRANSLATE_NOOP("FigureRequest", "the whole window")}
FORMATS = ("png", "svg")
SCALES = (1, 2, 4)
MAX_PIXELS = 16384  # a side, for PNG (a 4× whole window at 1280×800 is 5120×3200)


@dataclass(frozen=True)
class FigureRequest:
    what: str = "map"  # a key of WHAT
    fmt: str = "png"  # "png" or "svg"
    scale: float = 1.0  # PNG: 1, 2, 4 … (ignored when width is given)
    width: int | None = None  # PNG: the picture's width in pixels (the height follows)

    def png_scale(self, widget: QWidget) -> float:
        return self.width / max(1, widget.width()) if self.width else float(self.scale)


def figure_widget(window, what: str) -> QWidget:
    """The widget ``what`` names in ``window`` (a MainWindow)."""
    if what == "map":
        return window.panels.map
    if what == "loss":
        return window.panels.loss
    if what == "window":
        return window
    raise ExportError(f"unknown figure {quoted(what)} (allowed: {', '.join(WHAT)})")


def format_for(path) -> str:
    """"png" or "svg", from the file's suffix."""
    fmt = Path(path).suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ExportError(fill(translate("Export", "%1: a figure is a .png or .svg file"), path))
    return fmt


@contextmanager
def export_mode(widget: QWidget, scale: float = 1.0):
    """pyqtgraph's items in ``widget`` drawn for export: markers as shapes, antialiased, and
    at ``scale`` > 1 every cosmetic pen (a width in device pixels) ``scale`` times wider, so a
    4× picture looks like the window, only sharper."""
    views = [widget] if isinstance(widget, QGraphicsView) else []
    views += widget.findChildren(QGraphicsView)
    items = [item for view in views if view.scene() is not None for item in view.scene().items()]
    exported = [item for item in items if hasattr(item, "setExportMode")]
    restore = _widen_pens(items, scale) if scale > 1 else []
    # Layers the window keeps as cached pixmaps (the field, the contour lines) are drawn
    # afresh: as vectors in an SVG, at the picture's resolution in a PNG.
    cached = [(item, item.cacheMode()) for item in items
              if item.cacheMode() != QGraphicsItem.CacheMode.NoCache]
    for item, _ in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    for item in exported:
        item.setExportMode(True, {"antialias": True})
    try:
        yield
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)
        for item in exported:
            item.setExportMode(False)
        for put_back in reversed(restore):
            put_back()
        for item in items:
            if restore and hasattr(item, "picture"):
                item.picture = None  # an AxisItem's cached drawing, made with the wide pens


_PEN_ATTRIBUTES = ("pen", "currentPen", "_pen", "_tickPen")
_PEN_OPTIONS = ("pen", "shadowPen")


def _widen_pens(items, scale: float) -> list:
    """Widen the cosmetic pens of ``items`` (the kinds our views hold); the undo steps."""
    undo = []
    for item in items:
        if isinstance(item, QAbstractGraphicsShapeItem):
            pen = item.pen()
            item.setPen(widened(pen, scale))
            undo.append(lambda item=item, pen=pen: item.setPen(pen))
        opts = getattr(item, "opts", None)
        if isinstance(opts, dict):
            for key in _PEN_OPTIONS:
                if isinstance(opts.get(key), QPen):
                    undo.append(lambda opts=opts, key=key, pen=opts[key]: opts.__setitem__(key, pen))
                    opts[key] = widened(opts[key], scale)
        for name in _PEN_ATTRIBUTES:
            pen = item.__dict__.get(name) if hasattr(item, "__dict__") else None
            if isinstance(pen, QPen):
                setattr(item, name, widened(pen, scale))
                undo.append(lambda item=item, name=name, pen=pen: setattr(item, name, pen))
        data = getattr(item, "data", None)
        if isinstance(data, np.ndarray) and data.dtype.names and "pen" in data.dtype.names:
            pens = data["pen"].copy()  # a ScatterPlotItem's pen per spot
            data["pen"] = [widened(pen, scale) for pen in pens]
            undo.append(lambda data=data, pens=pens: data.__setitem__("pen", pens))
        if hasattr(item, "picture"):
            item.picture = None
    return undo


def _render(widget: QWidget, painter: QPainter, scale: float = 1.0) -> None:
    with export_mode(widget, scale):
        # QWidget.render, not QGraphicsView.render: the view's frame, axes and children too.
        QWidget.render(widget, painter, QPoint())


def render_png(widget: QWidget, scale: float = 1.0) -> bytes:
    """``widget`` drawn at ``scale`` × its size, as PNG bytes."""
    w, h = round(widget.width() * scale), round(widget.height() * scale)
    if not (1 <= w <= MAX_PIXELS and 1 <= h <= MAX_PIXELS):
        raise ExportError(fill(translate("Export", "a %1×%2 picture is too large (at most %3 pixels a side)"),
                               w, h, f"{MAX_PIXELS:,}"))
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise ExportError(fill(translate("Export", "not enough memory for a %1×%2 picture"), w, h))
    image.setDevicePixelRatio(scale)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    try:
        _render(widget, painter, scale)
    finally:
        painter.end()
    return _encoded(image, "PNG")


def render_svg(widget: QWidget, title: str = "Descent Lab") -> bytes:
    """``widget`` drawn as SVG: vector paths and text, in the widget's own pixel size."""
    from PySide6.QtSvg import QSvgGenerator

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    size = QSize(widget.width(), widget.height())
    generator.setSize(size)
    generator.setViewBox(QRect(QPoint(), size))
    # The screen's resolution, so that text set in points keeps its size on the page.
    generator.setResolution(widget.logicalDpiX())
    generator.setTitle(title)
    generator.setDescription("Exported from Descent Lab")
    painter = QPainter(generator)
    try:
        _render(widget, painter)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def _encoded(image: QImage, fmt: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = image.save(buffer, fmt)
    buffer.close()
    if not ok:
        raise ExportError(fill(translate("Export", "could not encode the picture as %1"), fmt))
    return bytes(data.data())


def export_figure(widget: QWidget, path, request: FigureRequest | None = None) -> Path:
    """Draw ``widget`` as ``request`` asks (its PNG size; the format is ``path``'s suffix)
    and write it to ``path`` atomically.

    Raises ExportError with a one-line message (the path and the reason) on any failure;
    nothing is left behind then.
    """
    request = request or FigureRequest()
    path = Path(path)
    fmt = format_for(path)  # the file's own suffix decides
    if fmt == "svg":
        data = render_svg(widget, title=widget.window().windowTitle() or "Descent Lab")
    else:
        scale = request.png_scale(widget)
        if not 0.1 <= scale <= 16:
            raise ExportError(fill(translate("Export", "scale %1 out of range (0.1 to 16)"), f"{scale:g}"))
        data = render_png(widget, scale)
    try:
        return write_atomically(path, data)
    except OSError as exc:
        raise ExportError(os_error_text(path, exc)) from None


def write_image(image: QImage, path) -> Path:
    """Write a picture made elsewhere (the 3-D view's grab) to ``path`` (PNG) atomically."""
    path = Path(path)
    if format_for(path) != "png":
        raise ExportError(fill(translate("Export", "%1: a picture of the 3-D view is a .png file"), path))
    try:
        return write_atomically(path, _encoded(image, "PNG"))
    except OSError as exc:
        raise ExportError(os_error_text(path, exc)) from None
