"""The presets in both languages, and the engine's marked texts behaving as the English strings
they are (comparisons, dict keys, pickling, copying)."""

from __future__ import annotations

import copy
import pickle
import re
from pathlib import Path

import pytest

from descentlab.engine.files.scene import dumps_scene, load_scene, loads_scene, save_scene
from descentlab.engine.optimizers import NAMES, get_optimizer
from descentlab.engine.surface.catalogue import SURFACES
from descentlab.engine.translatable import LocalText, Msg

PRESETS = sorted((Path(__file__).resolve().parents[2] / "resources" / "presets").glob("*.toml"))
CJK = re.compile(r"[\u4e00-\u9fff]")
# Words a run label may keep in English: the optimizers' and losses' proper names, "lr"
# (a one-letter word is a symbol: B, t).
PROPER = {get_optimizer(k).name for k in NAMES} | {"lr", "Tanimoto"}


def test_there_are_presets():
    assert len(PRESETS) >= 20


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_preset_has_its_title_and_description_in_both_languages(path):
    scene = load_scene(path, build=False)
    for text in (scene.title, scene.description):
        assert isinstance(text, LocalText)
        assert set(text.translations) == {"en", "zh_CN"}
        assert str(text) == text.in_language("en") and not CJK.search(str(text))
        chinese = text.in_language("zh_CN")
        assert CJK.search(chinese) and chinese != str(text)
        assert "（" not in str(text) and chinese.count("（") == chinese.count("）")
    assert len(scene.description.in_language("zh_CN")) < 2000


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_run_labels_with_english_words_are_translated(path):
    scene = load_scene(path, build=False)
    for run in scene.runs:
        if not run.label:
            continue
        words = set(re.findall(r"[A-Za-z]{2,}", str(run.label)))
        if isinstance(run.label, LocalText):
            assert CJK.search(run.label.in_language("zh_CN")), run.label
        else:
            assert words <= PROPER, f"{path.name}: label {run.label!r} has English words {words - PROPER}"


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_preset_round_trips_through_save_scene_in_both_languages(path, tmp_path):
    scene = load_scene(path, build=False)
    out = tmp_path / path.name
    save_scene(scene, out)
    again = load_scene(out, build=False)
    for key in ("title", "description"):
        assert getattr(again, key).translations == getattr(scene, key).translations
    assert [r.label for r in again.runs] == [r.label for r in scene.runs]  # the English
    assert [getattr(r.label, "translations", None) for r in again.runs] == \
        [getattr(r.label, "translations", None) for r in scene.runs]
    assert dumps_scene(again) == dumps_scene(scene)


def test_a_label_table_is_checked_like_a_title():
    base = 'title = "t"\n[problem]\nsurface = "bowl"\n[[runs]]\noptimizer = "gd"\n'
    scene = loads_scene(base + 'label = { en = "no penalty", zh_CN = "无惩罚" }\n', build=False)
    assert scene.runs[0].label == "no penalty"
    assert scene.runs[0].label.in_language("zh_CN") == "无惩罚"
    assert scene.runs[0].label.in_language("fr") == "no penalty"
    with pytest.raises(ValueError, match=r"runs\[0\]\.label\.fr: unknown language"):
        loads_scene(base + 'label = { fr = "sans pénalité" }\n', build=False)
    with pytest.raises(ValueError, match=r"runs\[0\]\.label"):
        loads_scene(base + f'label = {{ en = "{"x" * 81}" }}\n', build=False)


def test_marked_texts_are_the_english_strings():
    bowl = SURFACES["bowl"]
    assert isinstance(bowl.name, Msg) and bowl.name.context == "Surface"
    assert bowl.name == "Round bowl" and {"Round bowl": 1}[bowl.name] == 1
    assert f"{bowl.name}!" == "Round bowl!" and type(f"{bowl.name}") is str
    momentum = get_optimizer("momentum")
    assert momentum.name == "Momentum" and momentum.name.context == "Optimizer"
    assert get_optimizer("adam").hyper_spec("lr").doc == "learning rate α: the step size"


@pytest.mark.parametrize("clone", [copy.copy, copy.deepcopy, lambda x: pickle.loads(pickle.dumps(x))],
                         ids=["copy", "deepcopy", "pickle"])
def test_marked_texts_survive_copies_and_pickles(clone):
    surface = clone(SURFACES["saddle"])
    assert surface == SURFACES["saddle"]
    for text in (surface.name, surface.description):
        assert isinstance(text, Msg) and text.context == "Surface"
    spec = clone(get_optimizer("rmsprop"))
    doc = spec.hyper_spec("centered").doc
    assert isinstance(doc, Msg) and doc.context == "Hyperparameter"
    label = clone(LocalText({"en": "hinge", "zh_CN": "合页损失"}))
    assert label == "hinge" and label.in_language("zh_CN") == "合页损失"


# -------------------------------------------------------------------- texts with numbers
def test_a_filled_text_is_its_english_and_keeps_its_parts():
    from descentlab.engine.translatable import QT_TRANSLATE_NOOP, Filled

    template = QT_TRANSLATE_NOOP("Explain", "arrows drawn ×%1 (1/%2: too long to show)")
    text = Filled(template, "0.1", 10)
    assert text == "arrows drawn ×0.1 (1/10: too long to show)"
    assert text.template is template and text.args == ("0.1", 10)
    assert Filled("%1 and %10", "a", *range(2, 10), "ten") == "a and ten"  # %1 never eats %10
    for clone in (copy.deepcopy(text), pickle.loads(pickle.dumps(text))):
        assert clone == text and clone.template.context == "Explain" and clone.args == text.args


def test_walk_captions_with_words_are_filled_texts_with_the_same_english():
    from descentlab import engine
    from descentlab.engine.translatable import Filled

    race = engine.Race("rosenbrock")
    uid = race.add_run("adam", (-1.2, 1.0), lr=0.01, bias_correction=False)
    race.advance(2)
    captions = {ln.name: ln.caption for ln in race.walk(uid).lines}
    m_hat = captions["m_hat"]
    assert isinstance(m_hat, Filled) and m_hat.startswith("4. m̂ = m/(1−β₁ᵗ) = m/1   (bias correction off) = (")
    assert m_hat.args[1].template.context == "Walk"
    assert not isinstance(captions["exp_avg"], Filled)  # a formula alone stays a plain str
    on = engine.Race("rosenbrock")
    on_uid = on.add_run("adam", (-1.2, 1.0), lr=0.01)
    on.advance(2)
    assert not any(isinstance(ln.caption, Filled) for ln in on.walk(on_uid).lines)


def test_overlay_texts_with_numbers_are_filled_texts():
    from descentlab.engine.maps import explain as ex
    from descentlab.engine.translatable import Filled

    assert ex.scale_text(1.0) == "arrows at true length" and isinstance(ex.scale_text(1.0), Msg)
    assert ex.scale_text(5.0) == "arrows drawn ×5 (too short to see)"
    assert ex.scale_text(0.25) == "arrows drawn ×0.25 (1/4: too long to show)"
    assert isinstance(ex.scale_text(5.0), Filled) and isinstance(ex.scale_text(0.25), Filled)
    assert ex.overlay(None, lambda p: p, 1.0).message == "nothing to explain"
    assert ex.overlay(None, lambda p: p, 1.0, message="the run ended").message == "the run ended"


def test_equations_with_words_are_marked_and_match_their_html():
    from descentlab.engine.optimizers.adam import EQUATIONS
    from descentlab.engine.spec import rule_html

    for key in ("adafactor", "adamw", "asgd", "radam", "rmsprop", "rprop"):
        spec = get_optimizer(key)
        assert isinstance(spec.equations, Msg) and spec.equations.context == "Equations", key
        assert spec.equations_html == rule_html(str(spec.equations))
    assert get_optimizer("adamw").equations == "θ ← θ·(1 − α·λ)  *(decoupled weight decay)*\n" + EQUATIONS
