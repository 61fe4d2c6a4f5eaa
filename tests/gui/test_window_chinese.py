"""The window's own texts in Chinese (issue 23, the "window" area): the status line, the
hyperparameter controls, the export, clip, lr-sweep and tune dialogs, and the command line
— and a live switch that changes them back and forth while the race runs."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from language_walk import _plot_texts, english, english_words, visible_texts
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QSpinBox,
    QTableWidget,
    QWidget,
)

from descentlab.gui.support import i18n

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese(window):
    i18n.set_language("zh_CN", remember=False)
    yield window
    i18n.set_language("en", remember=False)


@pytest.fixture
def back_to_english():
    yield
    i18n.set_language("en", remember=False)


def dialog_texts(dialog) -> list[tuple[str, str]]:
    """(where, text) for every readable text of a dialog: its title, labels, buttons, combo
    boxes' items, spin boxes' suffixes and special texts, tables and plots."""
    import pyqtgraph as pg

    out = [("title", dialog.windowTitle())]
    for w in dialog.findChildren(QWidget):
        if not w.isVisibleTo(dialog):
            continue
        where = type(w).__name__
        if w.toolTip():
            out.append((f"{where} (tooltip)", w.toolTip()))
        if isinstance(w, QLabel):
            out.append((where, re.sub(r"<[^>]+>", " ", w.text())))
        elif isinstance(w, QAbstractButton):
            out.append((where, w.text()))
        elif isinstance(w, QComboBox):
            out += [(f"{where} item", w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
            out += [(f"{where} suffix", w.suffix()), (f"{where} special", w.specialValueText())]
        elif isinstance(w, QTableWidget):
            for c in range(w.columnCount()):
                out.append((f"{where} header", w.horizontalHeaderItem(c).text()))
            for r in range(w.rowCount()):
                out += [(f"{where} cell", w.item(r, c).text()) for c in range(1, w.columnCount())]
        elif isinstance(w, pg.GraphicsView):
            _plot_texts(w, where, out)
    return [(where, text) for where, text in out if text and text.strip()]


def run_labels(window) -> set[str]:
    return {str(e.config.label) for e in window.controller.entries}


def _open_dialogs(window):
    from descentlab.gui.clips.dialog import open_record_dialog
    from descentlab.gui.export.dialog import FigureDialog
    from descentlab.gui.fair_race import open_lr_sweep, tune_the_race

    figure = FigureDialog(window)
    figure.show()
    return {"figure": figure, "clip": open_record_dialog(window), "sweep": open_lr_sweep(window),
            "tune": tune_the_race(window)}


def test_the_dialogs_show_no_english_in_chinese(chinese, qtbot):
    dialogs = _open_dialogs(chinese)
    qtbot.wait(1)  # (Qt's own buttons, "Cancel", are translated on the event loop)
    for name, dialog in dialogs.items():
        assert dialog is not None, name
        texts = dialog_texts(dialog)
        assert any(CJK.search(text) for _, text in texts), name
        left = english(texts, run_labels(chinese))
        assert left == [], f"{name}: " + "\n".join(f"{where}: {text!r}" for where, text in left)
        dialog.close()


def test_a_live_switch_changes_the_dialogs_and_the_window_s_texts_and_back(window, qtbot, back_to_english):
    """English → Chinese → English while the race runs: every dialog's text follows, the
    status line and the hyperparameters' tooltips too; back in English they are as before."""
    from descentlab.gui.support.hyper_controls import HyperControl

    c = window.controller
    c.set_playing(True)
    dialogs = _open_dialogs(window)
    c.set_playing(True)  # (tuning resets the race)
    qtbot.waitUntil(lambda: window._last_snapshot is not None and window._last_snapshot.step > 0, timeout=30_000)
    controls = [w for w in window.findChildren(HyperControl) if w.isVisible()]
    assert controls

    def shown():
        return ({name: dialog_texts(d) for name, d in dialogs.items()}, window.status.text(),
                [w.toolTip() for w in controls])

    english_before, status, tips = shown()
    assert "step" in status and all("allowed:" in t for t in tips)
    step_before = window._last_snapshot.step

    i18n.set_language("zh_CN", remember=False)
    # (Qt's own buttons, "Cancel", follow on the event loop)
    qtbot.waitUntil(lambda: all(english(texts, run_labels(window)) == [] for texts in shown()[0].values()),
                    timeout=5_000)
    zh, status, tips = shown()
    assert "步" in status
    for name, texts in zh.items():
        assert texts != english_before[name], name
    assert all("允许范围" in t for t in tips)
    qtbot.waitUntil(lambda: window._last_snapshot.step > step_before, timeout=30_000)  # the race goes on
    assert c.playing

    i18n.set_language("en", remember=False)
    def fixed(texts):  # (the size a figure would have follows the map's, which may move)
        return [(where, re.sub(r"^\d+ × \d+", "W × H", text)) for where, text in texts]

    qtbot.waitUntil(lambda: fixed(shown()[0]["figure"]) == fixed(english_before["figure"]), timeout=5_000)
    back, status, tips = shown()
    assert "step" in status
    for name in ("figure", "clip", "tune"):
        assert fixed(back[name]) == fixed(english_before[name]), name
    # the sweep's texts (its plots' labels and legend) are the same set again
    assert sorted(back["sweep"]) == sorted(english_before["sweep"])
    assert all("allowed:" in t for t in tips)
    for dialog in dialogs.values():
        dialog.close()


def test_the_status_line_and_the_hyperparameter_tooltips_are_chinese(chinese, qtbot):
    from descentlab.gui.support.hyper_controls import HyperControl

    qtbot.waitUntil(lambda: re.search(r"第 \d+ 步", chinese.status.text()) is not None, timeout=30_000)
    left = [(where, text) for where, text in english(visible_texts(chinese), run_labels(chinese))
            if where.startswith("StatusLine")]
    assert left == []
    controls = [w for w in chinese.findChildren(HyperControl) if w.isVisible()]
    assert controls
    for control in controls:  # what the hyperparameter does is the engine's text (its own area)
        tip = control.toolTip().replace(i18n.shown(control.spec.doc), "")
        assert "允许范围" in tip and english_words(tip.replace(control.spec.name, "")) == [], tip


def test_the_clip_summary_and_its_refusals_are_chinese(chinese):
    from descentlab.gui.clips.dialog import open_record_dialog

    dialog = open_record_dialog(chinese)
    assert "帧" in dialog.summary.text() and not english([("", dialog.summary.text())])
    dialog.path.setText(str(dialog.spec().path.with_suffix(".avi")))
    assert dialog.summary.text().startswith(str(dialog.spec().path))
    assert "视频须为 .mp4 或 .gif 文件" in dialog.summary.text()
    assert not dialog.record_button.isEnabled()
    dialog.close()


def test_a_spin_box_suffix_and_a_special_text_follow_the_language(window, back_to_english):
    from descentlab.gui.export.dialog import FigureDialog

    dialog = FigureDialog(window)
    spin = next(w for w in dialog.findChildren(QAbstractSpinBox))
    assert spin.suffix() == " px wide"
    i18n.set_language("zh_CN", remember=False)
    assert spin.suffix() == " 像素宽"
    i18n.set_language("en", remember=False)
    assert spin.suffix() == " px wide"


def descentlab(*args, cwd=None):
    code = "import sys; from descentlab.gui.app import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


@pytest.mark.parametrize("args, chinese_text", [
    (["--snapshot", "x.bmp"], "x.bmp：快照必须是 .png 或 .svg 文件"),
    (["--size", "huge", "--snapshot", "x.png"], "错误：参数 --size：应为“宽x高”"),
    (["--view", "flat"], "错误：参数 --view：无效的选择"),
    (["--no-such-option"], "错误：无法识别的参数：--no-such-option"),
    (["--preset", "no-such-preset", "--snapshot", "x.png"], "未知的预设 'no-such-preset'"),
    (["--export-torch", "race.txt"], "race.txt：PyTorch 脚本必须是 .py 文件"),
    (["--record", "race.avi"], "race.avi：视频须为 .mp4 或 .gif 文件"),
    (["--export-torch", "race.py", "--snapshot", "x.png"], "--export-torch 和 --snapshot：一次只能用一个"),
])
def test_the_command_line_says_its_errors_in_chinese(tmp_path, args, chinese_text):
    result = descentlab("--lang", "zh_CN", *args, cwd=tmp_path)
    assert result.returncode != 0
    assert chinese_text in result.stderr
    last = result.stderr.strip().splitlines()[-1].replace("descentlab", "").partition("可选：")[0]
    for arg in args:  # the user's own words, quoted back
        last = last.replace(arg, "")
    assert english_words(last) == [], last
    assert "usage:" not in result.stderr and "error:" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_the_command_line_help_is_chinese(tmp_path, monkeypatch):
    from descentlab.gui.app import _display_width

    monkeypatch.setenv("COLUMNS", "80")
    result = descentlab("--lang", "zh_CN", "--help", cwd=tmp_path)
    assert result.returncode == 0
    out = result.stdout
    # wrapped by width on the terminal (a Chinese character is two columns; a closing mark
    # may hang over), not by characters: lines twice as wide otherwise
    assert max(_display_width(line) for line in out.splitlines()) <= 80
    assert sum(_display_width(line) > 70 for line in out.splitlines()) >= 5
    assert out.startswith("用法：descentlab")
    assert "\n选项：\n" in out and "显示此帮助信息并退出" in out and "以一个预设场景启动" in out
    for word in ("usage:", "options:", "show this help message", "start with a preset"):
        assert word not in out
    english_help = descentlab("--lang", "en", "--help", cwd=tmp_path).stdout
    assert english_help.startswith("usage: descentlab") and "show this help message and exit" in english_help


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_dialogs_cut_no_text(window, qtbot, back_to_english, language):
    """Every label and button of the export, clip and tune dialogs is as wide as its text
    needs, in either language."""
    i18n.set_language(language, remember=False)
    dialogs = _open_dialogs(window)
    qtbot.wait(1)
    for name in ("figure", "clip", "tune"):
        dialog = dialogs[name]
        dialog.adjustSize()
        qtbot.waitUntil(dialog.isVisible)
        for w in dialog.findChildren(QWidget):
            if not w.isVisibleTo(dialog) or (isinstance(w, QLabel) and w.wordWrap()):
                continue
            if isinstance(w, (QLabel, QAbstractButton)) and w.text():
                assert w.width() >= w.sizeHint().width(), f"{name}: {w.text()!r} cut"
        dialog.close()
    dialogs["sweep"].close()


def test_recording_and_its_messages_are_chinese(chinese, qtbot, tmp_path, monkeypatch):
    """The progress dialog, its Cancel, the notice after it and a full disk's message."""
    import errno

    from descentlab.gui.clips.dialog import record_clip
    from descentlab.gui.clips.plan import ClipSpec
    from descentlab.gui.clips.writers import GifWriter

    spec = ClipSpec(tmp_path / "race.gif", first=0, last=200, fps=10, size=(640, 400), steps_per_frame=1)
    session = record_clip(chinese, spec, show_messages=False)
    assert session.progress.windowTitle() == "录制视频"
    qtbot.waitUntil(lambda: session.recorder is not None and session.recorder.frames_done >= 1, timeout=30_000)
    assert session.progress.labelText().startswith("正在录制 race.gif：")
    texts = dialog_texts(session.progress)
    assert english(texts) == [], texts
    session.cancel()
    assert "已取消录制" in chinese.status.text()

    def full(self, frame):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(GifWriter, "_write", full)
    session = record_clip(chinese, spec, show_messages=False)
    qtbot.waitUntil(lambda: session.done, timeout=30_000)
    assert session.error == f"无法写入 {spec.path}：磁盘已满"


def test_an_export_that_fails_says_so_in_chinese(chinese, tmp_path):
    from descentlab.gui.export.dialog import save_data, save_figure
    from descentlab.gui.export.figure import FigureRequest

    assert not save_data(chinese, tmp_path / "no-such-folder" / "runs.csv")
    assert chinese.messages[-1] == f"{tmp_path / 'no-such-folder' / 'runs.csv'}：无法写入该位置"
    assert "无法导出数据：" in chinese.status.text()
    assert not save_figure(chinese, FigureRequest("map", "png", 100.0), tmp_path / "map.png")
    assert chinese.messages[-1].startswith("缩放比例 100 超出范围")
    assert save_figure(chinese, FigureRequest("map", "png", 1.0), tmp_path / "map.png")
    assert f"已保存 {tmp_path / 'map.png'}" in chinese.status.text()


def test_pictures_and_clips_in_chinese_carry_chinese_text(tmp_path):
    """--lang zh_CN: an SVG snapshot's text is Chinese (the loss axis 步, the leaderboard's
    进行中); a GIF clip's frame differs from the English one where the words are."""
    import xml.etree.ElementTree as ET

    from PySide6.QtGui import QImage

    svg = descentlab("--lang", "zh_CN", "--snapshot", "zh.svg", "--steps", "30", cwd=tmp_path)
    assert svg.returncode == 0, svg.stderr
    text = " ".join(t for t in ET.parse(tmp_path / "zh.svg").getroot().itertext())
    assert "步" in text and "进行中" in text, text[:500]
    frames = {}
    for language in ("en", "zh_CN"):
        clip = descentlab("--lang", language, "--record", f"{language}.gif", "--steps", "4",
                          "--fps", "2", "--steps-per-frame", "2", "--size", "640x400", cwd=tmp_path)
        assert clip.returncode == 0, clip.stderr
        frames[language] = QImage(str(tmp_path / f"{language}.gif"))
    assert frames["en"].size() == frames["zh_CN"].size()
    assert frames["en"] != frames["zh_CN"]  # the same race, other words
