"""The panels in Chinese (issue 23): every problem page and the panels beside it show none of
the panels' own English texts in zh_CN, and a live switch changes the leaderboard, the run
cards, the equations and the timeline back and forth while the race runs.

"The panels' own texts" are the sources of resources/translations/zh_CN/panels.ts: what
the engine names (surfaces, optimizers, losses) is the engine's translation, and what the
window's other files show is theirs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from language_walk import english, visible_texts
from PySide6.QtWidgets import QApplication

from descentlab.gui.support import i18n
from descentlab.gui.support.presets import find_preset
from descentlab.gui.support.resources import resources_dir

PANELS_TS = resources_dir() / "translations" / "zh_CN" / "panels.ts"


def _pattern(source: str) -> re.Pattern | None:
    """A visible text made from ``source``: its %1 … filled with anything. A one-word source
    ("run", "loss") only as the whole text (a header, an axis); a longer one anywhere in it
    (rich text joins several)."""
    if not re.search(r"[A-Za-z]{2}", source):
        return None
    parts = re.split(r"%\d", source.replace("&", ""))
    body = ".+?".join(re.escape(p) for p in parts)
    if len(re.findall(r"[A-Za-z]{2,}", source)) < 2:
        return re.compile(rf"^\s*{body}\s*$")
    return re.compile(body, re.DOTALL)


def panel_sources() -> list[tuple[str, re.Pattern]]:
    out = []
    for message in ET.parse(PANELS_TS).getroot().iter("message"):
        source = message.findtext("source")
        pattern = _pattern(source)
        if pattern is not None:
            out.append((source, pattern))
    return out


SOURCES = panel_sources()


def english_of_the_panels(window) -> list[tuple[str, str, str]]:
    """(where, text, source) for every visible text made from one of the panels' English
    sources; only the English among them (a translation may keep a Latin word)."""
    QApplication.processEvents()
    # The panels' widgets, and the View menu where the panels' actions sit (the Presets menu
    # holds the presets' long English descriptions, which are the engine's).
    menus = [a.text() for a in window.menuBar().actions()]
    view = menus[2]
    texts = english([(where, text) for where, text in visible_texts(window)
                     if where not in ("window title", "menu bar")
                     and (not where.startswith(tuple(menus)) or where.startswith(view))])
    return [(where, text, source) for where, text in texts for source, pattern in SOURCES
            if pattern.search(text)]


@pytest.fixture
def chinese(window):
    i18n.set_language("zh_CN", remember=False)
    yield window
    i18n.set_language("en", remember=False)


def test_the_panels_sources_are_all_translated():
    """The test below means something only if the panels' texts are in the file, translated."""
    assert len(SOURCES) > 150
    root = ET.parse(PANELS_TS).getroot()
    unfinished = [m.findtext("source") for m in root.iter("message")
                  if m.find("translation").get("type") == "unfinished"]
    assert unfinished == []


def test_the_pattern_finds_a_filled_text():
    """The matching itself: "min at %1" is the whole text; a long source anywhere."""
    found = {source for source, pattern in SOURCES if pattern.search("min at 312")}
    assert found == {"min at %1"}
    found = {source for source, pattern in SOURCES
             if pattern.search("x  live numbers, step 12: g = 1")}
    assert "live numbers, step %1:" in found
    assert not any(pattern.search("第 312 步到达最小值") for _, pattern in SOURCES)


@pytest.mark.parametrize("preset", ["beale-classic", "gd-minibatch-sgd", "xor-mlp", "spirals-adam-vs-sgd"])
def test_no_english_of_the_panels_on_a_problem_page(chinese, qtbot, preset):
    window = chinese
    window.apply_scene(find_preset(preset).scene)
    qtbot.waitUntil(lambda: not window.controller.loading and window.controller.race is not None)
    window.advance_and_draw(60)
    if window.controller.map_frame.minima():  # the map's layers too: the step explained, the basins
        window.explain_action.setChecked(True)
        window.basins_action.setChecked(True)
        window.advance_and_draw(1)
        assert window.panels.map.basins.legend.isVisible()
        # a surface's basins; a dataset's map by final training loss (issue 25: no minimum to reach)
        legend = window.panels.map.basins.legend.toPlainText()
        assert "吸引域" in legend or "最终训练损失" in legend
        assert "下一步的讲解" in window.panels.map.explain.legend.toPlainText()
    left = english_of_the_panels(window)
    assert left == [], "\n".join(f"{where}: {text!r} (from {source!r})" for where, text, source in left)


def test_no_english_of_the_panels_on_the_formula_page(chinese, qtbot):
    window = chinese
    panel = window.panels.problem
    panel.select("formula")
    qtbot.waitUntil(lambda: window.controller.scene.kind == "formula" and not window.controller.loading,
                    timeout=60_000)  # a formula's kernels may still be loading on a busy machine
    page = panel.pages["formula"]
    window.advance_and_draw(30)
    assert "定义域内的最低点" in page.preview.text()
    assert english_of_the_panels(window) == []
    page.text.setText("x**2 + * y")
    page.apply()
    assert page.error.isVisible() and page.preview.text().startswith("地图仍显示")
    page.xmin.setValue(5.0)  # above x's upper bound: the domain's own message
    assert page.error.text().startswith("定义域的 x 范围必须从小到大"), page.error.text()
    left = english_of_the_panels(window)
    assert left == [], left


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_presentation_mode_in_chinese_has_no_english_of_the_panels(chinese, qtbot, size):
    window = chinese
    window.apply_scene(find_preset("narrow-ellipse").scene)
    window.set_presentation(True)
    try:
        window.showNormal()
        window.resize(*size)
        qtbot.waitUntil(lambda: window.width() == size[0])
        window.advance_and_draw(80)
        assert english_of_the_panels(window) == []
    finally:
        window.set_presentation(False)


def _texts(window) -> dict[str, str]:
    """The switched texts this test follows, read off the widgets."""
    board, card = window.panels.board, next(iter(window.panels.runs.cards.values()))
    form = card.form
    schedule_row = next(r for r in range(form.rowCount())
                        if form.itemAt(r, form.ItemRole.FieldRole).widget() is card.schedule)
    return {
        "header": board.horizontalHeaderItem(3).text(),
        "standing": board.item(0, 3).text(),
        "card row": form.itemAt(schedule_row, form.ItemRole.LabelRole).widget().text(),
        "card tip": card.enabled.toolTip(),
        "add": window.panels.runs.add.itemText(0),
        "equations": window.panels.equations.text(),
        "timeline": window.panels.timeline.label.text() if hasattr(window.panels, "timeline") else "",
        "loss axis": window.panels.loss.plotItem.getAxis("bottom").labelText,
        "hyper map": window.panels.hyper.title.text() if hasattr(window.panels, "hyper") else "",
        "tab": window.panels.problem.choice.tabText(0),
        "epochs action": window.epochs_action.text(),
    }


def test_a_live_switch_changes_the_panels_while_the_race_runs(window, qtbot):
    c = window.controller
    window.apply_scene(find_preset("beale-classic").scene)
    qtbot.waitUntil(lambda: not c.loading and c.race is not None)
    window.advance_and_draw(20)
    english_texts = _texts(window)
    assert english_texts["header"] == "standing" and english_texts["card row"] == "schedule"
    assert english_texts["standing"] in ("running",) or " at " in english_texts["standing"]
    assert "live numbers" in english_texts["equations"] and english_texts["tab"] == "Surface"
    c.set_playing(True)
    try:
        qtbot.waitUntil(lambda: c.playing and window._last_snapshot is not None
                        and window._last_snapshot.step > 20, timeout=30_000)
        i18n.set_language("zh_CN", remember=False)
        try:
            chinese = _texts(window)
            assert chinese["header"] == "状态" and chinese["card row"] == "调度"
            assert chinese["card tip"] == "显示这个运行" and chinese["add"] == "添加优化器…"
            assert "实时数值" in chinese["equations"] and "live numbers" not in chinese["equations"]
            assert chinese["standing"] == "进行中" or "步" in chinese["standing"]
            assert chinese["loss axis"] == "步" and chinese["tab"] == "曲面"
            assert chinese["epochs action"].startswith("按轮显示损失")
            if chinese["timeline"]:
                assert chinese["timeline"].startswith("第 ")
            if chinese["hyper map"]:
                assert "到达最小值所需的步数" in chinese["hyper map"]
            # The race went on through the switch, and its new standings come in Chinese.
            step = window._last_snapshot.step
            qtbot.waitUntil(lambda: window._last_snapshot.step > step, timeout=30_000)
            window.draw(window._last_snapshot, force_table=True)
            assert all(not re.search(r"[A-Za-z]{3}", window.panels.board.item(r, 3).text())
                       for r in range(window.panels.board.rowCount()))
        finally:
            i18n.set_language("en", remember=False)
        back = _texts(window)
        for key in ("header", "card row", "card tip", "add", "tab", "loss axis", "epochs action"):
            assert back[key] == english_texts[key], key
        assert "live numbers" in back["equations"]
        assert c.playing
        step = window._last_snapshot.step
        qtbot.waitUntil(lambda: window._last_snapshot.step > step, timeout=30_000)
    finally:
        c.set_playing(False)


def test_a_live_switch_changes_the_dataset_page_and_the_data_view(window, qtbot):
    c = window.controller
    window.apply_scene(find_preset("gd-minibatch-sgd").scene)
    qtbot.waitUntil(lambda: not c.loading and c.race is not None and c.scene.kind == "dataset")
    window.advance_and_draw(20)
    page = window.panels.problem.pages["dataset"]
    summary = page.message.text()
    assert "training +" in summary and page.resample.text() == "new sample"
    title = window.panels.data.title_text()
    assert "loss" in title
    i18n.set_language("zh_CN", remember=False)
    try:
        assert "个训练点" in page.message.text() and page.resample.text() == "新样本"
        assert page.loss.itemText(0).startswith("默认")
        window.draw(window._last_snapshot, force_table=True)
        assert "损失" in window.panels.data.title_text()
        assert window.panels.map.note.toPlainText().startswith("地图：")
        assert window.panels.loss.key.textItem.toPlainText().startswith("训练")
    finally:
        i18n.set_language("en", remember=False)
    assert page.message.text() == summary and page.resample.text() == "new sample"
    window.draw(window._last_snapshot, force_table=True)
    assert window.panels.data.title_text() == title
    assert window.panels.map.note.toPlainText().startswith("map: ")
    assert window.panels.loss.key.textItem.toPlainText().startswith("training")
