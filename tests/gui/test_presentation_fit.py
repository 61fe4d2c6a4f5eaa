"""Presentation mode at lecture-hall sizes: run labels are never cut, and the map has a legend."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QTableWidget

from descentlab.gui.support import i18n
from descentlab.gui.support.presets import find_preset


@pytest.fixture(params=["en", "zh_CN"])
def language(request, window):
    """Both languages: Chinese texts are shorter or longer than English ones (issue 23)."""
    i18n.set_language(request.param, remember=False)
    yield request.param
    i18n.set_language("en", remember=False)


def visible_text_fits(line_edit) -> bool:
    margins = line_edit.textMargins()
    room = line_edit.contentsRect().width() - margins.left() - margins.right() - 8
    return line_edit.fontMetrics().horizontalAdvance(line_edit.text()) <= room


def cell_text_fits(table: QTableWidget, row: int, col: int) -> bool:
    """The cell's text fits its cell as the table draws it (wrapped if it wraps), uncut."""
    item = table.item(row, col)
    rect = table.visualItemRect(item).adjusted(3, 0, -3, 0)
    wrap = Qt.TextFlag.TextWordWrap if table.wordWrap() else Qt.TextFlag.TextSingleLine
    bound = QFontMetrics(item.font()).boundingRect(rect, int(wrap), item.text())
    return bound.width() <= rect.width() and bound.height() <= rect.height() + 2


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
@pytest.mark.parametrize("preset", ["narrow-ellipse", "xor-mlp"])
def test_presentation_mode_cuts_no_run_label(window, qtbot, size, preset, language):
    window.apply_scene(find_preset(preset).scene)
    window.set_presentation(True)
    try:
        check_nothing_is_cut(window, qtbot, size)
    finally:
        window.set_presentation(False)  # the application font is shared by the next tests


def check_nothing_is_cut(window, qtbot, size):
    window.showNormal()  # offscreen "full screen" has no real screen size: set it ourselves
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    QApplication.processEvents()  # let the columns and cards lay themselves out
    snap = window.advance_and_draw(50)
    QApplication.processEvents()
    for card in window.panels.runs.cards.values():
        assert visible_text_fits(card.label), (card.label.text(), card.label.contentsRect().width(),
                                               card.label.fontMetrics().horizontalAdvance(card.label.text()))
    board = window.panels.board
    assert board.rowCount() == len(snap.runs)
    for row in range(board.rowCount()):
        name = board.item(row, 1)  # one line a row: a long name is elided, in full in its tooltip
        assert cell_text_fits(board, row, 1) or name.toolTip() == name.text(), name.text()
        assert cell_text_fits(board, row, 3), board.item(row, 3).text()  # the standing
    legend = window.panels.map.legend
    assert legend.isVisible() != window.panels.map.small  # a small map beside the data view has none
    assert legend.labels == [e.label for e in window.controller.entries]


def test_the_legend_follows_the_runs_and_the_l_key(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    legend = window.panels.map.legend
    assert not legend.isVisible()  # normal mode: the run cards sit beside the map
    QTest.keyClick(window, Qt.Key.Key_L)
    assert legend.isVisible()
    uid = window.controller.add_run("adam", label="Adam, the new one")
    assert legend.labels[-1] == "Adam, the new one"
    window.controller.set_enabled(uid, False)
    assert "Adam, the new one" not in legend.labels
    QTest.keyClick(window, Qt.Key.Key_L)
    assert not legend.isVisible()


def _cut_widgets(panel) -> list[str]:
    """The problem panel's visible boxes and buttons whose text does not fit them."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QPushButton, QTabBar

    cut = []
    for w in panel.findChildren(QAbstractSpinBox):
        if w.isVisibleTo(panel) and w.isEnabled():
            edit = w.lineEdit()
            if edit.fontMetrics().horizontalAdvance(edit.text()) > edit.width() - 2:
                cut.append(f"spin box {edit.text()!r}: {edit.width()} px")
    for w in panel.findChildren(QPushButton):
        if w.isVisibleTo(panel) and w.fontMetrics().horizontalAdvance(w.text()) > w.width() - 8:
            cut.append(f"button {w.text()!r}: {w.width()} px for {w.fontMetrics().horizontalAdvance(w.text())}")
    for w in panel.findChildren(QComboBox):
        if w.isVisibleTo(panel) and w.isEnabled():
            text = w.shown_text() if hasattr(w, "shown_text") else w.currentText()
            if w.fontMetrics().horizontalAdvance(text) > w.width() - 24:  # the arrow's room
                cut.append(f"box {text!r}: {w.width()} px")
    for bar in panel.findChildren(QTabBar):
        for i in range(bar.count()):
            if not bar.tabRect(i).intersects(bar.rect()) or bar.tabRect(i).right() > bar.width():
                cut.append(f"tab {bar.tabText(i)!r}")
    return cut


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_presentation_mode_cuts_nothing_on_the_problem_pages(window, qtbot, size, language):
    window.apply_scene(find_preset("gd-minibatch-sgd").scene)
    window.set_presentation(True)
    try:
        window.showNormal()
        window.resize(*size)
        qtbot.waitUntil(lambda: window.width() == size[0])
        QApplication.processEvents()
        panel = window.panels.problem
        for name in ("dataset", "surface", "formula"):
            panel._show_page(name)  # shown, as a click on its tab would, without a new problem
            QApplication.processEvents()
            assert _cut_widgets(panel) == [], name
    finally:
        window.set_presentation(False)


@pytest.mark.parametrize("preset", ["beale-classic", "gd-minibatch-sgd"])
def test_the_window_fits_a_1024_pixel_screen(window, preset):
    """No panel's minimum (a long title row, a wide bar) pushes the window past 1024 × 700."""
    window.apply_scene(find_preset(preset).scene)
    QApplication.processEvents()
    hint = window.minimumSizeHint()
    assert hint.width() <= 1000 and hint.height() <= 700, hint
