"""The engine's texts in Chinese: every translation of engine.ts and every preset's Chinese
text reads as Chinese to the walk (no English word left but names, formulas and code), and
``shown()`` turns the engine's marked texts and the presets' texts into Chinese and back to
English when the language is switched — with the .qm compiled from the .ts files now, not the
one in the repository (regenerated on merge)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import tomllib
from language_walk import english_words
from PySide6.QtCore import Qt

from descentlab.engine.data.losses import LOSSES
from descentlab.engine.files.scene import load_scene
from descentlab.engine.optimizers import get_optimizer
from descentlab.engine.race.schedules import NAMES as SCHEDULES
from descentlab.engine.surface.catalogue import SURFACES
from descentlab.gui.support import i18n

ROOT = Path(__file__).resolve().parents[2]
PRESETS = sorted((ROOT / "resources" / "presets").glob("*.toml"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def _tool():
    spec = importlib.util.spec_from_file_location("translations_tool", ROOT / "packaging" / "translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _tool()


def formula_names_removed(context: str, text: str) -> str:
    """An update rule's own names (g_prev, sign(…)) are maths, not English."""
    return re.sub(r"\b\w+_\w+\b|\bsign\(", "", text) if context == "Equations" else text


def test_engine_translations_have_no_english_words():
    left = [(m["context"], form, english_words(formula_names_removed(m["context"], form)))
            for m in tool.messages(tool.ts_path("zh_CN", "engine")) for form in m["translations"]
            if english_words(formula_names_removed(m["context"], form))]
    assert left == [], "\n".join(map(str, left))


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_preset_chinese_texts_have_no_english_words(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    texts = [data["title"]["zh_CN"], data["description"]["zh_CN"]]
    texts += [r["label"]["zh_CN"] for r in data["runs"] if isinstance(r.get("label"), dict)]
    left = [(t[:40], english_words(t)) for t in texts if english_words(t)]
    assert left == []


@pytest.fixture
def fresh_chinese(qapp, tmp_path, monkeypatch):
    """zh_CN with the .qm compiled from the .ts files as they are now; English after."""
    tool.release(out=tmp_path)
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    i18n.set_language("zh_CN", remember=False)
    yield
    i18n.set_language("en", remember=False)


def test_shown_switches_the_engine_texts_both_ways(fresh_chinese):
    bowl, saddle = SURFACES["bowl"], SURFACES["saddle"]
    lr_doc = get_optimizer("adam").hyper_spec("lr").doc
    assert i18n.shown(bowl.name) == "圆碗" and i18n.shown(saddle.name) == "鞍面"
    assert i18n.shown(lr_doc) == "学习率 α：步长"
    assert i18n.shown(get_optimizer("momentum").name) == "动量梯度下降 Momentum"
    assert i18n.shown(LOSSES["log"].name) == "对数（交叉熵）损失"
    assert i18n.shown(SCHEDULES["constant"]) == "常数"
    assert CJK.search(i18n.shown(saddle.description))
    assert i18n.shown(SURFACES["rosenbrock"].name) == "Rosenbrock"  # a proper name stays

    i18n.set_language("en", remember=False)
    assert i18n.shown(bowl.name) == "Round bowl" and i18n.shown(lr_doc) == "learning rate α: the step size"
    assert i18n.shown(saddle.description) == str(saddle.description)
    i18n.set_language("zh_CN", remember=False)
    assert i18n.shown(bowl.name) == "圆碗"


def test_shown_switches_a_preset_both_ways(fresh_chinese):
    scene = load_scene(ROOT / "resources" / "presets" / "21-losses-compared.toml", build=False)
    assert i18n.shown(scene.title) == "损失函数比较：一个模型，一个优化器，六种损失"
    labels = [i18n.shown(r.label) for r in scene.runs]
    assert "对数损失（交叉熵）" in labels and "Tanimoto" in labels
    i18n.set_language("en", remember=False)
    assert i18n.shown(scene.title) == "Losses compared: one model, one optimizer, six losses"
    assert [i18n.shown(r.label) for r in scene.runs][0] == "log loss (cross-entropy)"


def test_shown_fills_the_engine_s_texts_with_numbers_in_both_languages(fresh_chinese):
    from descentlab import engine
    from descentlab.engine.maps import explain as ex

    assert i18n.shown(ex.scale_text(5.0)) == "箭头放大 ×5 绘制（太短，看不清）"
    race = engine.Race("rosenbrock")
    uid = race.add_run("adam", (-1.2, 1.0), lr=0.01, bias_correction=False)
    race.advance(2)
    caption = {ln.name: ln.caption for ln in race.walk(uid).lines}["m_hat"]
    assert i18n.shown(caption).startswith("4. m̂ = m/(1−β₁ᵗ) = m/1   （偏差纠正已关闭） = (")
    o = ex.overlay(race.walk(uid), lambda p: p, 1e-9)  # a tiny view: every arrow scaled down
    assert i18n.shown(o.box_label).startswith("椭圆：各轴的有效学习率")
    i18n.set_language("en", remember=False)
    assert i18n.shown(caption) == str(caption) and i18n.shown(o.box_label) == str(o.box_label)
    assert i18n.shown(ex.scale_text(5.0)) == "arrows drawn ×5 (too short to see)"


def test_equations_translations_keep_every_line_of_the_rule():
    """The equations panel highlights a rule's lines by number: a translation has as many."""
    from descentlab.engine.optimizers import OPTIMIZERS
    from descentlab.engine.translatable import Msg

    eqs = [m for m in tool.messages(tool.ts_path("zh_CN", "engine")) if m["context"] == "Equations"]
    assert len(eqs) == sum(isinstance(spec.equations, Msg) for spec in OPTIMIZERS.values()) >= 6
    for m in eqs:
        assert m["translations"][0].count("\n") == m["source"].count("\n"), m["source"]
        assert CJK.search(m["translations"][0])


def test_the_presets_menu_switches_live_while_the_race_runs(window, qtbot, fresh_chinese):
    """The presets' titles and descriptions (the menu's entries and tooltips) follow a live
    switch both ways, and the race does not stop for it."""
    c = window.controller
    actions = window.presets_menu.actions()[: len(window.presets)]
    qtbot.keyClick(window, Qt.Key.Key_Space)  # play
    qtbot.waitUntil(lambda: c.race.step > 5, timeout=10_000)
    assert [a.text() for a in actions] == [str(p.title.in_language("zh_CN")) for p in window.presets]
    assert all(CJK.search(a.toolTip()) for a in actions)
    i18n.set_language("en", remember=False)
    assert [a.text() for a in actions] == [str(p.title) for p in window.presets]
    assert [a.toolTip() for a in actions] == [str(p.scene.description) for p in window.presets]
    assert not any(CJK.search(a.text() + a.toolTip()) for a in actions)
    step = c.race.step
    qtbot.waitUntil(lambda: c.race.step > step + 5, timeout=10_000)  # still racing
    i18n.set_language("zh_CN", remember=False)
    assert actions[0].text() == window.presets[0].title.in_language("zh_CN")
    step = c.race.step
    qtbot.waitUntil(lambda: c.race.step > step + 5, timeout=10_000)
