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


def test_a_bundle_with_a_moving_last_point_grows_without_redrawing_and_shows_every_path(plot):
    """A seed fan's faint repeats: N paths in one record, the last point moving every frame
    (settled = all but it). The image only grows (a dot put into it survives), each frame
    draws the moving point live, and at the end it is the bundle drawn whole, every path of
    it there — one per quadrant."""
    from PySide6.QtGui import QColor, QPainter

    w, layer = plot
    layer.set_run(7, pg.mkPen("#0000c0", width=1), True)
    sx, sy = spiral(800)
    corners = [(-1, -1), (-1, 1), (1, -1), (1, 1)]
    x = np.stack([0.45 * sx + cx for cx, _ in corners])
    y = np.stack([0.45 * sy + cy for _, cy in corners])
    rng = np.random.default_rng(0)
    for i, k in enumerate(np.linspace(3, x.shape[1], 60).astype(int)):
        xk, yk = x[:, :k].copy(), y[:, :k].copy()
        xk[:, -1] += rng.normal(0, 0.05, 4)  # off the kept rows: it moves
        layer.set_path(7, xk, yk, None, settled=k - 1)
        w.viewport().repaint()
        assert layer.records[7].drawn == k - 1
        if i == 0:  # a mark in the image, where no path goes: a redraw would wipe it
            p = QPainter(layer._image)
            p.fillRect(0, 0, 3, 3, QColor("#ff0000"))
            p.end()
    assert painted(layer)[:3, :3].all(), "the image was drawn anew while the bundle only grew"
    pieces = painted(layer).copy()
    pieces[:3, :3] = False
    layer.invalidate()
    w.viewport().repaint()
    whole = painted(layer)
    overlap = (pieces & whole).sum() / (pieces | whole).sum()
    assert overlap > 0.9, f"incremental and full drawing differ: overlap {overlap:.3f}"
    h, wd = whole.shape
    for qy, qx in ((slice(h // 2, h), slice(0, wd // 2)), (slice(0, h // 2), slice(0, wd // 2)),
                   (slice(h // 2, h), slice(wd // 2, wd)), (slice(0, h // 2), slice(wd // 2, wd))):
        assert whole[qy, qx].sum() > 300  # every path of the bundle is there
    grabs, images = [], []
    for end in (1.9, -1.9):  # the moving last points: drawn on top, never into the image
        xk[:, -1], yk[:, -1] = 0.0, end
        layer.set_path(7, xk, yk, None, settled=xk.shape[1] - 1)
        grabs.append(qimage_to_array(w.grab().toImage()))
        images.append(painted(layer).copy())
    assert (images[0] == images[1]).all() and (images[0] == whole).all()
    assert (grabs[0] != grabs[1]).any(axis=2).sum() > 50


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
