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


def test_engine_translations_have_no_english_words():
    left = [(m["context"], form, english_words(form))
            for m in tool.messages(tool.ts_path("zh_CN", "engine")) for form in m["translations"]
            if english_words(form)]
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
