"""The map's incrementally drawn paths and the loss view's coarse range: the picture is the
one a full redraw gives, and a path whose past changed is drawn anew."""

import numpy as np
import pyqtgraph as pg
import pytest
from gui_helpers import qimage_to_array
from PySide6.QtGui import QImage

from descentlab.gui.map.run_layer import RunPaths
from descentlab.gui.plots.loss_plot import nice_ceiling, nice_span


@pytest.fixture
def plot(qtbot):
    w = pg.PlotWidget(background="w")
    w.resize(400, 400)
    w.getViewBox().setRange(xRange=(-2, 2), yRange=(-2, 2), padding=0)
    layer = RunPaths(w.getViewBox())
    w.addItem(layer, ignoreBounds=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w, layer


def painted(layer) -> np.ndarray:
    img = layer._image.convertToFormat(QImage.Format.Format_ARGB32)
    h, w = img.height(), img.width()
    buf = np.frombuffer(img.constBits(), np.uint8, count=img.bytesPerLine() * h)
    return buf.reshape(h, img.bytesPerLine())[:, : w * 4].reshape(h, w, 4)[:, :, 3] > 0


def spiral(n: int) -> tuple[np.ndarray, np.ndarray]:
    t = np.linspace(0, 6 * np.pi, n)
    r = 1.8 * np.exp(-t / 8)
    return r * np.cos(t), r * np.sin(t)


def grow(w, layer, x, y, frames: int) -> None:
    for k in np.linspace(2, len(x), frames).astype(int):
        layer.set_path(1, x[:k], y[:k], None)
        w.viewport().repaint()


def test_a_path_drawn_piece_by_piece_is_the_path_drawn_whole(plot):
    w, layer = plot
    layer.set_run(1, pg.mkPen("#c00", width=2), True)
    x, y = spiral(3000)
    grow(w, layer, x, y, frames=120)
    assert layer.records[1].drawn == len(x)
    pieces = painted(layer).copy()
    layer.invalidate()
    w.viewport().repaint()
    whole = painted(layer)
    assert whole.sum() > 2000  # the spiral is there
    overlap = (pieces & whole).sum() / (pieces | whole).sum()
    assert overlap > 0.9, f"incremental and full drawing differ: overlap {overlap:.3f}"


def test_a_path_whose_past_changed_is_drawn_anew(plot):
    w, layer = plot
    layer.set_run(1, pg.mkPen("#c00", width=2), True)
    x, y = spiral(3000)
    grow(w, layer, x, y, frames=20)
    full = painted(layer).sum()
    layer.set_path(1, x[:300], y[:300], None)  # a rewind: the path is shorter now
    w.viewport().repaint()
    short = painted(layer).sum()
    assert short < 0.5 * full
    layer.set_path(1, x[:300] + 0.5, y[:300], None)  # same length, another past (a restart)
    w.viewport().repaint()
    moved = painted(layer)
    layer.invalidate()
    w.viewport().repaint()
    assert (moved == painted(layer)).all()


def test_the_image_follows_the_view_and_hidden_runs_vanish(plot):
    w, layer = plot
    layer.set_run(1, pg.mkPen("#c00", width=2), True)
    x, y = spiral(500)
    layer.set_path(1, x, y, None)
    w.viewport().repaint()
    before = painted(layer).sum()
    w.getViewBox().setRange(xRange=(-8, 8), yRange=(-8, 8), padding=0)  # zoom out: smaller picture
    w.viewport().repaint()
    assert 0 < painted(layer).sum() < 0.6 * before
    layer.set_run(1, pg.mkPen("#c00", width=2), False)
    w.viewport().repaint()
    assert painted(layer).sum() == 0


def test_a_grab_draws_the_paths_as_vectors(plot):
    w, layer = plot
    layer.set_run(1, pg.mkPen("#cc0000", width=3), True)
    x, y = spiral(500)
    layer.set_path(1, x, y, (0.0, 0.0))
    px = qimage_to_array(w.grab().toImage())
    red = (px[:, :, 0] > 180) & (px[:, :, 1] < 60) & (px[:, :, 2] < 60)
    assert red.sum() > 500


def test_the_step_axis_grows_in_nice_jumps():
    assert [nice_ceiling(v) for v in (0, 1, 7, 10, 11, 151, 299, 300, 301, 9001)] == [
        1, 1, 8, 10, 15, 200, 300, 300, 400, 10_000]
    for v in np.geomspace(1.01, 1e7, 200):
        c = nice_ceiling(v)
        assert v <= c <= 1.5 * v + 1e-9
    assert nice_span(-3.2, 1.4, log=True) == (-4.0, 2.0)
    lo, hi = nice_span(0.13, 0.87, log=False)
    assert lo <= 0.13 and hi >= 0.87 and hi - lo <= 1.2


def test_the_loss_range_holds_still_between_jumps_and_a_pan_stops_it(window):
    from gui_helpers import render

    render(window, steps=310)
    vb = window.panels.loss.plotItem.getViewBox()
    (x0, x1), _ = vb.viewRange()
    assert 400 <= x1 <= 420  # 310 steps → an axis to 400 (and its padding)
    render(window, steps=40)
    assert vb.viewRange()[0] == [x0, x1]  # 350 steps: same axis, no new ticks
    vb.translateBy(x=-50)  # the user drags the plot
    vb.sigRangeChangedManually.emit(vb.state["mouseEnabled"])
    held = vb.viewRange()
    render(window, steps=200)
    assert vb.viewRange() == held
