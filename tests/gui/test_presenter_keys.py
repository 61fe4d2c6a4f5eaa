"""A presenter remote: Page Down / Page Up walk the presets, "." blanks the map (B is the
basin map)."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def titles(window):
    return [p.scene.title for p in window.presets]


def test_page_down_and_up_walk_the_presets_in_menu_order(window, qtbot):
    names = titles(window)
    here = names.index(window.controller.scene.title)
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    assert window.controller.scene.title == names[(here + 1) % len(names)]
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    QTest.keyClick(window, Qt.Key.Key_PageUp)
    assert window.controller.scene.title == names[(here + 1) % len(names)]


def test_the_walk_wraps_round_and_keeps_full_screen(window, qtbot):
    window.set_presentation(True)
    window.load_preset(window.presets[-1])
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    assert window.controller.scene.title == titles(window)[0]
    QTest.keyClick(window, Qt.Key.Key_PageUp)
    assert window.controller.scene.title == titles(window)[-1]
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert window.presentation


def test_period_blanks_the_map_and_brings_it_back(window, qtbot):
    cover = window.panels.map.blank_cover
    assert not window.panels.map.blanked
    QTest.keyClick(window, Qt.Key.Key_Period)
    assert window.panels.map.blanked and cover.geometry() == window.panels.map.rect()
    QTest.keyClick(window, Qt.Key.Key_Period)
    assert not window.panels.map.blanked
