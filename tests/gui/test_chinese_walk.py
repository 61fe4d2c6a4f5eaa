"""The window in Chinese: no visible text still in English (issue 23's walk).

Run alone to see what is left: ``python -m pytest tests/gui/test_chinese_walk.py -n 0 -rA``
prints every English text with where it is.
"""

from __future__ import annotations

import pytest
from language_walk import english, menu_texts, visible_texts

from descentlab.gui.support import i18n
from descentlab.gui.support.presets import find_preset, list_presets


@pytest.fixture
def chinese(window):
    i18n.set_language("zh_CN", remember=False)
    yield window
    i18n.set_language("en", remember=False)


@pytest.fixture(scope="module")
def chinese_shared(module_window):
    """One Chinese window for the walks below, which each load their own scene (a window per
    preset cost 26 window openings). The tests above have a window of their own."""
    i18n.set_language("zh_CN", remember=False)
    yield module_window
    i18n.set_language("en", remember=False)


def run_labels(window) -> set[str]:
    """The runs' labels: the user's own words, shown as written."""
    return {str(e.config.label) for e in window.controller.entries}


def test_the_window_s_own_menus_are_chinese(chinese):
    """The menu bar, File, Lessons, Race and Help (the presets' and the panels' entries come
    with the rest of the walk below)."""
    bar = chinese.menuBar().actions()
    assert [a.text() for a in bar] == ["文件(&F)", "预设(&P)", "课程(&L)", "视图(&V)", "比赛(&R)", "帮助(&H)"]
    later = (bar[1].text(), bar[3].text())
    left = english([t for t in menu_texts(chinese) if not t[0].startswith(later)])
    assert left == [], "\n".join(f"{where}: {text!r}" for where, text in left)


def assert_chinese(window) -> None:
    left = english(visible_texts(window), run_labels(window))
    assert left == [], f"{len(left)} English texts:\n" + "\n".join(f"{where}: {text!r}" for where, text in left)


def test_everything_shown_is_chinese(chinese):
    assert_chinese(chinese)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_presentation_mode_is_chinese(chinese, size):
    window = chinese
    window.set_presentation(True)
    try:
        window.showNormal()
        window.resize(*size)
        window.advance_and_draw(20)
        assert_chinese(window)
    finally:
        window.set_presentation(False)


@pytest.mark.parametrize("kind", ["surface", "formula", "dataset"])
def test_every_problem_page_is_chinese(chinese_shared, qtbot, kind):
    window = chinese_shared
    window.panels.problem.select(kind)
    qtbot.waitUntil(lambda: window.controller.scene.kind == kind and not window.controller.loading,
                    timeout=60_000)
    window.advance_and_draw(20)
    assert_chinese(window)


@pytest.mark.parametrize("preset", [p.name for p in list_presets()])
def test_every_preset_raced_and_explained_is_chinese(chinese_shared, qtbot, preset):
    """Each preset, raced 40 steps, with the step explained and (where there are minima) the
    basins: the panels, the map's layers, the leaderboard's standings, the status line."""
    window = chinese_shared
    window.apply_scene(find_preset(preset).scene)
    qtbot.waitUntil(lambda: not window.controller.loading and window.controller.race is not None,
                    timeout=60_000)
    try:
        window.explain_action.setChecked(True)
        if window.controller.map_frame.minima():
            window.basins_action.setChecked(True)
        window.advance_and_draw(40)
        assert_chinese(window)
    finally:  # as a new window has them, for the next preset
        window.explain_action.setChecked(False)
        window.basins_action.setChecked(False)
