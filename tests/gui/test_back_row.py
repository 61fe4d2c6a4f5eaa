"""A dataset race read from the back row of a lecture hall (issue 25's look): in presentation
mode every leaderboard row shows, one line high; the small map beside the data view stays a
picture (no legend, no note over it, a least height); the loss key is as large as the axes'
labels; the hyperparameter map shows its real axes while it computes."""

import dataclasses

import pytest
from PySide6.QtWidgets import QApplication

from descentlab.engine.files.scene import RunConfig
from descentlab.gui.centre_swap import SMALL_MAP_HEIGHT
from descentlab.gui.panels.leaderboard import fan_loss, short_number
from descentlab.gui.support import i18n
from descentlab.gui.support.presets import find_preset

LONG = "SGD + momentum 0.9, Nesterov, a name longer than any column"


def tiny_spirals():
    """The spirals race, small: 60 points, an MLP 2-4-1, 4 runs (one a seed fan of 2)."""
    scene = find_preset("spirals-adam-vs-sgd").scene
    runs = [RunConfig("sgd", {"lr": 0.1}, label=LONG, batch_size=16, repeats=2),
            RunConfig("sgd", {"lr": 0.1, "momentum": 0.9}, label="SGD + momentum 0.9", batch_size=16),
            RunConfig("rmsprop", {"lr": 0.01}, label="RMSprop lr 0.01", batch_size=16),
            RunConfig("adam", {"lr": 0.01}, label="Adam lr 0.01", batch_size=16)]
    data = dataclasses.replace(scene.data, n_points=60, hidden=(4,))
    return dataclasses.replace(scene, data=data, runs=runs)


@pytest.mark.parametrize(("size", "language"), [((1920, 1080), "en"), ((1280, 720), "zh_CN")])
def test_a_dataset_race_reads_from_the_back_row(window, qtbot, size, language):
    i18n.set_language(language, remember=False)
    window.set_presentation(True)
    try:
        window.apply_scene(tiny_spirals())
        hyper = window.panels.hyper
        qtbot.waitUntil(lambda: window.controller.map_settings() is not None, timeout=30_000)
        hyper.last = None  # nothing of this problem's shown yet: it says it computes…
        hyper.request()
        s = hyper._waiting  # (the result comes through the event loop, not run since)
        assert s is not None and s["y"]  # …over axes that span the lr × momentum ranges already
        (x0, x1), (y0, y1) = hyper.plot.plotItem.getViewBox().viewRange()
        assert (x0, x1) == pytest.approx(hyper._edges(s["optimizer"], s["x"]), abs=1e-9)
        assert (y0, y1) == pytest.approx(hyper._edges(s["optimizer"], s["y"]), abs=1e-9)
        window.showNormal()  # offscreen "full screen" has no real screen size: set it ourselves
        window.resize(*size)
        qtbot.waitUntil(lambda: window.width() == size[0])
        QApplication.processEvents()
        snap = window.advance_and_draw(20)
        QApplication.processEvents()

        board = window.panels.board
        assert board.rowCount() == 4 and not board.wordWrap()
        one_line = board.fontMetrics().height()
        viewport = board.viewport().rect()
        for row in range(4):
            rect = board.visualItemRect(board.item(row, 1))
            assert viewport.contains(rect), (row, rect, viewport)  # every run seen, no scrolling
            assert board.rowHeight(row) < 2 * one_line  # one line a row
            name = board.item(row, 1)
            assert name.toolTip() == name.text()  # the full name, even where it is elided
        assert LONG in [board.item(r, 1).text() for r in range(4)]
        fan = next(r for r in snap.runs if r.fan is not None)
        mean, sd, _ = fan.fan.final_stats()
        assert fan_loss(fan) == f"{short_number(mean, 3)} ± {short_number(sd, 1)}"

        the_map, swap = window.panels.map, window.data_swap
        assert swap.big  # a 2-D dataset with an MLP: the data view in the centre, the map small
        assert not the_map.legend.isVisible() and not the_map.note.isVisible()
        assert not the_map.plotItem.getAxis("left").label.isVisible()
        assert window.columns.right.indexOf(the_map) >= 0
        assert the_map.height() >= int(SMALL_MAP_HEIGHT * size[1]) - 1
        assert the_map.legend.labels and "\n" in the_map.toolTip()  # the note, in the tooltip
        swap.set_big(False)  # back in the centre: its legend, note and axes' names again
        assert the_map.legend.isVisible() and the_map.note.isVisible() and not the_map.toolTip()
        assert the_map.plotItem.getAxis("left").label.isVisible()

        loss = window.panels.loss
        key_size = loss.key.textItem.font().pointSizeF()
        axis_size = loss.plotItem.getAxis("left").label.font().pointSizeF()
        assert loss.key.isVisible() and key_size == pytest.approx(axis_size)
    finally:
        window.set_presentation(False)  # the application font is shared by the next tests
        i18n.set_language("en", remember=False)
