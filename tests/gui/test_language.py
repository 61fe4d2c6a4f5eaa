"""The window's language: chosen at start, switched live with the race running, Chinese glyphs
everywhere (gui.support.i18n, gui.support.fonts)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QImage, QPainter, QRawFont, QTextLayout

from descentlab.gui.support import i18n
from descentlab.gui.support.fonts import FONT_FILE, install_cjk_fallback
from descentlab.gui.support.resources import resources_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def back_to_english():
    yield
    i18n.set_language("en", remember=False)


@pytest.mark.parametrize(("locale", "language"), [
    ("zh_CN", "zh_CN"), ("zh_TW", "zh_CN"), ("zh", "zh_CN"), ("en_US", "en"), ("de_DE", "en"), ("C", "en"),
])
def test_the_system_locale_picks_the_language(locale, language):
    assert i18n.language_for_locale(locale) == language


def test_the_command_line_beats_the_last_choice_which_beats_the_locale(monkeypatch):
    settings = QSettings()
    settings.remove(i18n.SETTINGS_KEY)
    monkeypatch.setenv("DESCENTLAB_LOCALE", "zh_CN")
    assert i18n.chosen_language() == "zh_CN"
    settings.setValue(i18n.SETTINGS_KEY, "en")
    try:
        assert i18n.chosen_language() == "en"
        assert i18n.chosen_language("zh_CN") == "zh_CN"
        settings.setValue(i18n.SETTINGS_KEY, "klingon")  # a value from elsewhere: ignored
        assert i18n.chosen_language() == "zh_CN"
    finally:
        settings.remove(i18n.SETTINGS_KEY)


def test_an_unknown_language_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="'fr'.*en, zh_CN"):
        i18n.install("fr")


def test_fill_replaces_numbered_placeholders_without_eating_longer_ones():
    assert i18n.fill("%1 of %2, %10", *range(1, 11)) == "1 of 2, 10"


def test_a_live_switch_changes_the_texts_and_the_race_goes_on(window, qtbot, back_to_english):
    controller = window.controller
    file_menu = window.menuBar().actions()[0]
    controller.set_playing(True)
    qtbot.waitUntil(lambda: window._last_snapshot is not None and window._last_snapshot.step > 5, timeout=30_000)
    i18n.set_language("zh_CN", remember=False)
    assert file_menu.text() == "文件(&F)"
    assert window.transport.play_action.text() == "❚❚ 暂停"
    assert [a.isChecked() for a in window.language_actions.actions()] == [False, True]
    assert controller.playing
    seen = window._last_snapshot.step
    qtbot.waitUntil(lambda: window._last_snapshot.step > seen + 5, timeout=30_000)  # still racing
    i18n.set_language("en", remember=False)
    assert file_menu.text() == "&File"
    assert window.transport.play_action.text() == "❚❚ Pause"
    controller.set_playing(False)


def test_the_language_menu_switches_and_remembers(window, back_to_english):
    QSettings().remove(i18n.SETTINGS_KEY)
    chinese = [a for a in window.language_actions.actions() if a.data() == "zh_CN"][0]
    chinese.trigger()
    assert i18n.current() == "zh_CN"
    assert QSettings().value(i18n.SETTINGS_KEY) == "zh_CN"
    assert window.transport.reset_action.text() == "↺ 重置"
    QSettings().remove(i18n.SETTINGS_KEY)


def test_a_scene_title_in_two_languages_follows_the_switch(window, back_to_english):
    from descentlab.engine.files.scene import scene_from_dict

    scene = scene_from_dict({"title": {"en": "Two bowls", "zh_CN": "两个碗"},
                             "problem": {"surface": "bowl"}, "runs": [{"optimizer": "gd"}]})
    window.apply_scene(scene)
    assert window.windowTitle().endswith("— Two bowls")
    i18n.set_language("zh_CN", remember=False)
    assert window.windowTitle().endswith("— 两个碗")


# ------------------------------------------------------------------------------ glyphs

GLYPHS = textwrap.dedent("""
    import sys
    from PySide6.QtGui import QFont, QTextLayout
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from descentlab.gui.support.fonts import install_cjk_fallback, system_writes_chinese
    assert not system_writes_chinese()  # the stripped machine
    if sys.argv[1] == "bundled":
        assert install_cjk_fallback()  # needed there, so installed
    text = sys.argv[2]
    layout = QTextLayout(text, QFont())
    layout.beginLayout(); layout.createLine(); layout.endLayout()
    runs = layout.lineAt(0).glyphRuns()
    print(sum(1 for run in runs for g in run.glyphIndexes() if g == 0))
""")
SAMPLE = "梯度下降，学习率。动量梯度下降 Momentum：第 312 步到达最小值"


def missing_glyphs_without_system_cjk_fonts(tmp_path, how: str) -> int:
    """Missing glyphs (boxes) when fontconfig knows no CJK font: a bare Linux machine."""
    dejavu = [d for d in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu") if os.path.isdir(d)]
    if not dejavu:
        pytest.skip("no DejaVu fonts to stand in for a bare machine's")
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{dejavu[0]}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    env = dict(os.environ, FONTCONFIG_FILE=str(tmp_path / "fonts.conf"), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", GLYPHS, how, SAMPLE], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return int(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig: Linux")
def test_chinese_shows_on_a_machine_without_cjk_fonts_thanks_to_the_bundled_one(tmp_path):
    assert missing_glyphs_without_system_cjk_fonts(tmp_path, "system") > 10  # boxes without it
    assert missing_glyphs_without_system_cjk_fonts(tmp_path, "bundled") == 0


def test_the_bundled_font_has_every_character_of_the_translations():
    font = QRawFont(str(resources_dir() / "fonts" / FONT_FILE), 12)
    assert font.isValid()
    chars = set()
    for path in (ROOT / "resources").rglob("*"):
        if path.suffix in (".ts", ".toml") and path.is_file():
            chars |= {c for c in path.read_text(encoding="utf-8") if ord(c) > 0x2E7F}
    missing = sorted(c for c in chars if not font.supportsCharacter(ord(c)))
    assert missing == [], f"run python packaging/make_cjk_font.py: {''.join(missing)}"


def test_a_picture_with_chinese_text_has_no_boxes(qapp):
    install_cjk_fallback()  # (this machine may write Chinese with its own fonts: then those)
    layout = QTextLayout(SAMPLE, QFont())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    glyphs = [g for run in layout.lineAt(0).glyphRuns() for g in run.glyphIndexes()]
    assert glyphs and 0 not in glyphs
    image = QImage(600, 40, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    painter = QPainter(image)
    layout.draw(painter, image.rect().topLeft())
    painter.end()
    inked = sum(1 for x in range(0, 600, 2) for y in range(0, 40, 2) if image.pixel(x, y) != 0xFFFFFFFF)
    assert inked > 100  # drawn, not blank


SETTLES = textwrap.dedent("""
    import time
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from descentlab.gui.support.fonts import install_cjk_fallback
    assert install_cjk_fallback(force=True)
    from descentlab.gui.control.controller import RaceController
    from descentlab.gui.main_window import MainWindow
    from descentlab.gui.support.presets import find_preset
    window = MainWindow(RaceController())
    window.timer.stop()
    window.snapshot_mode = True
    window.resize(1100, 720)
    window.apply_scene(find_preset("beale-classic").scene)
    window.show()
    timer = window.panels.map._region_timer
    deadline = time.monotonic() + 20
    app.processEvents()
    while timer.isActive() and time.monotonic() < deadline:
        app.processEvents()
    print("settled" if not timer.isActive() else "still moving")
    import os
    os._exit(0)
""")


def test_the_map_settles_with_the_bundled_font(tmp_path):
    """With the fallback family the map's y labels once swung between two widths forever (the
    aspect lock moving the ticks, the ticks moving the width); the labels' space only grows."""
    out = subprocess.run([sys.executable, "-c", SETTLES], env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
                         capture_output=True, text=True, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "settled", out.stderr[-2000:]
