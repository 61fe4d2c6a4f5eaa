"""Axes that never crowd (issue 25, item 6): no two tick labels overlap, measured from each
axis' own tick strings and positions with QFontMetrics, on the loss panel (log), the map and
the hyperparameter map, at 1280×720 and 1920×1080 in presentation mode, in both languages;
and TidyAxis' choices on their own (decades first, 2· and 5· with room, ≤ about six linear)."""

import math

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QApplication

from descentlab.gui.plots.axes import MAX_LINEAR_LABELS, TidyAxis, tidy_axis_items
from descentlab.gui.support import i18n
from descentlab.gui.support.presets import find_preset


def labels(axis: pg.AxisItem) -> list[tuple[QRectF, str]]:
    """(box, text) of each tick label the axis draws now: its own draw specs, the box the
    tick font's metrics give the text, centred where the axis puts it."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    font = axis.style["tickFont"] or QApplication.font()
    painter.setFont(font)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    if specs is None:
        return []
    fm = QFontMetricsF(font)
    out = []
    for rect, _, text in specs[2]:
        if not text:
            continue
        w, h = fm.horizontalAdvance(text), fm.height()
        c = rect.center()
        out.append((QRectF(c.x() - w / 2, c.y() - h / 2, w, h), text))
    return out


def assert_apart(axis: pg.AxisItem, where: str) -> list[str]:
    labels(axis)  # a wider label widens the axis first (pyqtgraph drops what sticks out)
    QApplication.processEvents()
    found = labels(axis)
    for i, (a, ta) in enumerate(found):
        for b, tb in found[i + 1:]:
            inter = a.intersected(b)
            assert inter.width() <= 0.5 or inter.height() <= 0.5, \
                f"{where}: {ta!r} and {tb!r} overlap ({a} and {b})"
    return [t for _, t in found]


@pytest.fixture
def english_after():
    yield
    i18n.set_language("en", remember=False)


def test_no_tick_labels_overlap_in_presentation_mode(window, qtbot, english_after):
    window.apply_scene(find_preset("narrow-ellipse").scene)
    window.set_presentation(True)
    try:
        for lang in ("en", "zh_CN"):
            i18n.set_language(lang, remember=False)
            for size in ((1280, 720), (1920, 1080)):
                window.showNormal()  # offscreen "full screen" has no real size: set it ourselves
                window.resize(*size)
                qtbot.waitUntil(lambda s=size: window.width() == s[0])
                QApplication.processEvents()
                window.advance_and_draw(150)
                QApplication.processEvents()
                loss = window.panels.loss.plotItem
                hyper = window.panels.hyper.plot.plotItem
                mapv = window.panels.map.plotItem
                seen = {}
                for name, item in (("loss", loss), ("hyper", hyper), ("map", mapv)):
                    for side in ("left", "bottom"):
                        axis = item.getAxis(side)
                        assert isinstance(axis, TidyAxis)
                        seen[name, side] = assert_apart(axis, f"{name} {side} {size} {lang}")
                assert len(seen["loss", "left"]) >= 2  # a log axis over decades: labelled
                assert len(seen["map", "bottom"]) >= 2
                for key, texts in seen.items():
                    if key != ("loss", "left"):
                        assert len(texts) <= MAX_LINEAR_LABELS + 1, (key, texts)
    finally:
        window.set_presentation(False)


@pytest.fixture
def plot(qtbot):
    w = pg.PlotWidget(background="w", axisItems=tidy_axis_items())
    qtbot.addWidget(w)
    w.show()
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * 2.2)  # presentation-sized type
    for side in ("left", "bottom"):
        w.plotItem.getAxis(side).setStyle(tickFont=font)
    return w


@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("size", [(260, 160), (900, 500)])
def test_tidy_axes_fit_at_every_range(plot, qtbot, log, size):
    plot.resize(*size)
    plot.plotItem.setLogMode(False, log)
    ranges = ([(0.2, 0.9), (0.25, 0.45), (0.031, 0.4), (1e-12, 3.0), (1e-300, 1e5), (0.99, 1.01)]
              if log else [(-1.0, 1.0), (0.0, 3000.0), (-2.5e-4, 7.1e-4), (1e9, 1e9 + 3), (-5, 95)])
    for lo, hi in ranges:
        if log:
            plot.plotItem.setYRange(math.log10(lo), math.log10(hi), padding=0)
        else:
            plot.plotItem.setYRange(lo, hi, padding=0)
        plot.plotItem.setXRange(lo if not log else 0, hi if not log else 1, padding=0)
        QApplication.processEvents()
        for side in ("left", "bottom"):
            texts = assert_apart(plot.plotItem.getAxis(side), f"{side} {lo}..{hi} {size}")
            if side == "left" and not log:
                assert 1 <= len(texts) <= MAX_LINEAR_LABELS + 1, texts
            if side == "left" and log:
                assert texts, (lo, hi)  # at least one label, whatever the span


def test_a_log_axis_labels_decades_and_adds_2_and_5_only_with_room(plot, qtbot):
    axis = plot.plotItem.getAxis("left")
    plot.plotItem.setLogMode(False, True)
    plot.plotItem.setYRange(-6, 0, padding=0)
    plot.resize(300, 180)  # little room: decades, not all of them
    QApplication.processEvents()
    small = assert_apart(axis, "small")
    assert small and all(t in {"1", "0.1", "0.01", "0.001", "10⁻⁴", "10⁻⁵", "10⁻⁶"} for t in small)
    plot.resize(300, 1400)  # room: 2· and 5· too
    QApplication.processEvents()
    big = assert_apart(axis, "big")
    assert "0.5" in big and "0.02" in big and "1" in big
    plot.plotItem.setYRange(math.log10(0.2), math.log10(0.9), padding=0)  # under one decade
    plot.resize(300, 300)
    QApplication.processEvents()
    narrow = assert_apart(axis, "narrow")
    assert len(narrow) >= 2 and all(0.2 <= float(t) <= 0.9 for t in narrow)


def test_cached_axes_follow_a_new_range_as_uncached_ones_would(plot, qtbot):
    """The axes paint from a cached picture (frames repaint them unchanged): after a pan, a
    zoom or a new tick font the picture is their new ticks, the one an uncached axis paints."""
    from gui_helpers import qimage_to_array
    from PySide6.QtWidgets import QGraphicsItem

    plot.resize(420, 300)
    axes = [plot.plotItem.getAxis(side) for side in ("left", "bottom")]
    assert all(a.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache for a in axes)
    before = None
    for lo, hi in ((0.0, 1.0), (3.0, 7.5), (-250.0, 40.0)):
        plot.grab()  # the cache holds the old ticks
        plot.plotItem.setXRange(lo, hi, padding=0)
        plot.plotItem.setYRange(lo * 2, hi * 2, padding=0)
        QApplication.processEvents()
        cached = qimage_to_array(plot.grab().toImage())
        for a in axes:
            a.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        plain = qimage_to_array(plot.grab().toImage())
        for a in axes:
            a.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        assert (cached == plain).all(), (lo, hi)
        assert before is None or (cached != before).any()  # the ticks did change
        before = cached
