"""File → Export figure… / Export data…: SVG parsed back, PNG really rendered at 2×, the
view unchanged afterwards, the dialog's widgets, failures shown and nothing half-written."""

from __future__ import annotations

import csv
import errno
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from gui_helpers import qimage_to_array
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from descentlab.engine.files import atomic_file
from descentlab.engine.files.scene import load_scene
from descentlab.gui.export.dialog import FigureDialog, save_data, save_figure
from descentlab.gui.export.figure import ExportError, FigureRequest, export_figure, render_png

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def win(qapp, request):
    """One window for the module: Beale's race run 150 steps by hand, no worker (as --snapshot)."""
    from descentlab.gui.control.controller import RaceController
    from descentlab.gui.main_window import MainWindow
    from descentlab.gui.support.presets import find_preset

    controller = RaceController()
    window = MainWindow(controller)
    window.timer.stop()
    window.snapshot_mode = True
    window.resize(1100, 720)
    window.apply_scene(find_preset("beale-classic").scene)
    window.show()
    qapp.processEvents()
    # Laying the window out moves the map's region (its aspect lock), and the map asks for
    # that region's field 150 ms later, on its field thread. That request goes out before
    # the field is settled: its late answer would otherwise replace the settled field in the
    # middle of a test (whenever the thread is slower than the tests before it).
    QtBot(request).waitUntil(lambda: not window.panels.map._region_timer.isActive(), timeout=10_000)
    window.advance_and_draw(150)
    qapp.processEvents()
    yield window
    for thread in window.panel_threads():
        thread.stop(1000)
    window.close()


def png_array(path) -> np.ndarray:
    return qimage_to_array(QImage(str(path)))


def test_map_svg_has_vector_paths_contours_text_and_every_run_colour(win, tmp_path):
    out = export_figure(win.panels.map, tmp_path / "map.svg", FigureRequest("map", "svg"))
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == f"0 0 {win.panels.map.width()} " \
                                                            f"{win.panels.map.height()}"
    polylines = [el.get("points", "").split() for el in root.iter(f"{SVG}polyline")]
    runs = win.controller.entries
    assert sum(len(p) > 20 for p in polylines) >= len(runs)  # every run's path, point by point
    paths = [el.get("d", "") for el in root.iter(f"{SVG}path")]
    assert max(d.count("M") + d.count("m") for d in paths) > 20  # the contour lines: a path of many pieces
    texts = {"".join(el.itertext()).strip() for el in root.iter(f"{SVG}text")}
    assert {"x", "y", "0", "1"} <= texts  # axis labels and ticks as text (whole numbers: TidyAxis)
    strokes = {el.get("stroke", "").lower() for el in root.iter() if el.get("stroke")}
    for entry in win.controller.entries:
        assert QColor(entry.colour).name() in strokes, entry.config.label
    images = list(root.iter(f"{SVG}image"))
    assert len(images) <= 3  # the field (and basin layer) only; markers are shapes


def test_svg_renders_to_a_real_picture(win, tmp_path):
    from PySide6.QtSvg import QSvgRenderer

    out = export_figure(win.panels.loss, tmp_path / "loss.svg", FigureRequest("loss", "svg"))
    renderer = QSvgRenderer(str(out))
    assert renderer.isValid()
    image = QImage(400, 300, QImage.Format.Format_RGB888)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    pixels = qimage_to_array(image)
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50


def test_png_at_2x_is_rendered_at_that_resolution_and_looks_like_1x(win, qapp):
    view = win.panels.map
    one = qimage_to_array(QImage.fromData(render_png(view, 1.0))).astype(float)
    two = qimage_to_array(QImage.fromData(render_png(view, 2.0))).astype(float)
    h, w = one.shape[:2]
    assert two.shape[:2] == (2 * h, 2 * w)
    shrunk = two.reshape(h, 2, w, 2, 3).mean(axis=(1, 3))
    upscaled = one.repeat(2, axis=0).repeat(2, axis=1)
    # the same picture (lines as wide, text as large: 0.7 here; 3.2 with 1-pixel lines) …
    assert np.abs(shrunk - one).mean() < 1.5
    # … drawn with 4 times the pixels, not one pixel blown up to four
    detail = np.abs(two - upscaled).mean()
    assert detail > 1.0  # 2.4 here


def test_export_leaves_the_view_as_it_was(win, qapp):
    before = qimage_to_array(win.panels.map.grab().toImage())
    render_png(win.panels.map, 4.0)
    qapp.processEvents()
    after = qimage_to_array(win.panels.map.grab().toImage())
    assert np.array_equal(before, after)


def test_a_pixel_width_sets_the_size_and_the_whole_window_exports(win, tmp_path):
    out = export_figure(win, tmp_path / "w.png", FigureRequest("window", "png", width=550))
    image = QImage(str(out))
    assert image.width() == 550 and image.height() == round(win.height() * 550 / win.width())
    assert png_array(out).std() > 20


@pytest.mark.parametrize("name, fragment", [
    ("missing/map.png", "No such file or directory"),
    ("map.jpg", "a .png or .svg file"),
])
def test_a_bad_path_is_a_message_and_leaves_nothing(win, tmp_path, name, fragment):
    with pytest.raises(ExportError, match=fragment):
        export_figure(win.panels.map, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_is_a_message_and_keeps_the_old_picture(win, tmp_path, monkeypatch):
    (tmp_path / "map.png").write_bytes(b"old")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_file.os, "fsync", full)
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: messages.append(text))
    assert not save_figure(win, FigureRequest("map", "png"), tmp_path / "map.png")
    assert not save_data(win, tmp_path / "runs")
    assert len(messages) == 2 and all("No space left on device" in m for m in messages)
    assert str(tmp_path / "map.png") in messages[0] and "runs.csv" in messages[1]
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]
    assert (tmp_path / "map.png").read_bytes() == b"old"


def test_export_data_writes_the_window_race_and_its_scene(win, tmp_path):
    assert save_data(win, tmp_path / "runs")  # ".csv" added
    race = win.controller.race
    with (tmp_path / "runs.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == int(race.hist.count.sum())
    assert {row["run"] for row in rows} == {e.config.label for e in win.controller.entries}
    assert max(int(row["step"]) for row in rows) == 150
    scene = load_scene(tmp_path / "runs.toml")
    assert [r.optimizer for r in scene.runs] == [e.config.optimizer for e in win.controller.entries]


def test_the_dialog_builds_the_request_from_its_widgets(win):
    dialog = FigureDialog(win, FigureRequest("loss", "png", 2.0))
    assert dialog.request() == FigureRequest("loss", "png", 2.0)
    loss = win.panels.loss
    assert dialog.size_label.text() == f"{2 * loss.width()} × {2 * loss.height()} pixels"
    assert not dialog.width_box.isEnabled()
    dialog.scale_box.setCurrentIndex(dialog.scale_box.count() - 1)  # width in pixels
    dialog.width_box.setValue(1500)
    assert dialog.width_box.isEnabled()
    assert dialog.request() == FigureRequest("loss", "png", 1.0, 1500)
    next(b for b in dialog.what_buttons.buttons() if b.property("what") == "window").setChecked(True)
    dialog.format_box.setCurrentIndex(1)
    assert dialog.request().what == "window" and dialog.request().fmt == "svg"
    assert not dialog.scale_box.isEnabled() and not dialog.width_box.isEnabled()
    assert dialog.size_label.text().startswith(f"{win.width()} × {win.height()}")
    texts = [a.text() for a in win.menuBar().actions()[0].menu().actions()]
    assert any(t.startswith("Export &figure") for t in texts)
    assert any(t.startswith("Export &data") for t in texts)
    dialog.deleteLater()


def test_export_while_the_race_runs_on_its_worker(window, qtbot, tmp_path):
    controller = window.controller
    controller.set_playing(True)
    qtbot.waitUntil(lambda: controller.race.step >= 50, timeout=30_000)
    assert save_figure(window, FigureRequest("map", "svg"), tmp_path / "map")  # ".svg" added
    assert save_data(window, tmp_path / "runs.csv")
    controller.set_playing(False)
    with (tmp_path / "runs.csv").open() as f:
        rows = list(csv.DictReader(f))
    for r in {row["run_id"] for row in rows}:  # every run's rows: steps 0, 1, 2 … unbroken
        steps = [int(row["step"]) for row in rows if row["run_id"] == r]
        assert steps[0] == 0 and steps == sorted(set(steps)) and len(steps) >= 50
    assert ET.parse(tmp_path / "map.svg").getroot().tag == f"{SVG}svg"


def test_the_menu_commands_ask_then_write(win, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog, QFileDialog

    from descentlab.gui.export import dialog as export_dialog

    asked = []
    monkeypatch.setattr(FigureDialog, "exec", lambda self: (
        self.format_box.setCurrentIndex(1), QDialog.DialogCode.Accepted)[1])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, caption, start, filters: (
        asked.append((Path(start).name, filters)) or str(tmp_path / f"out{len(asked)}"), filters))
    export_dialog.ask_and_export_figure(win)
    export_dialog.ask_and_export_data(win)
    assert asked == [("map.svg", "SVG drawings (*.svg)"), ("runs.csv", "CSV files (*.csv)")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out1.svg", "out2.csv", "out2.toml"]
    assert win.last_figure_request == FigureRequest("map", "svg", 1.0)


def test_export_as_pytorch_replays_the_window_race(win, tmp_path):
    """The script's default --steps is the race's step; its paths are the window race's own
    (bit for bit without a root; to MKL's sqrt otherwise, see tests/engine/test_torch_export.py)."""
    import subprocess
    import sys

    pytest.importorskip("torch")
    from descentlab.gui.export.dialog import save_torch

    assert save_torch(win, tmp_path / "race")  # ".py" added
    assert [p.name for p in tmp_path.iterdir()] == ["race.py"]
    done = subprocess.run([sys.executable, "race.py", "--save", "paths.npz"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    race = win.controller.race
    assert race.step == 150 and "after 150 steps" in done.stdout
    with np.load(tmp_path / "paths.npz") as saved:
        for r, uid in enumerate(race.run_ids):
            info = race.run_info(uid)
            ours = race.hist.path[r, : race.step + 1]
            if info.optimizer in ("gd", "sgd", "nag", "momentum"):
                assert np.array_equal(saved[info.label], ours), info.label
            else:
                np.testing.assert_allclose(saved[info.label], ours, rtol=1e-10, err_msg=info.label)


def test_export_as_pytorch_from_the_menu_and_its_failures(win, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from descentlab.gui.export import dialog as export_dialog

    texts = [a.text() for a in win.menuBar().actions()[0].menu().actions()]
    assert "Export as &PyTorch script…" in texts
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, caption, start, filters: (
        asked.append((Path(start).name, filters)) or str(tmp_path / "mine.py"), filters))
    export_dialog.ask_and_export_torch(win)
    assert asked == [("race.py", "Python scripts (*.py)")]
    assert "torch.optim.Adam(" in (tmp_path / "mine.py").read_text()
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: messages.append(text))
    assert not export_dialog.save_torch(win, tmp_path / "missing" / "race.py")
    assert messages == [f"{tmp_path / 'missing' / 'race.py'}: cannot write there"]


def test_export_as_notebook_from_the_menu_and_its_failures(win, tmp_path, monkeypatch):
    """Next to the PyTorch script; the race cell's STEPS is the race's step."""
    import json

    from PySide6.QtWidgets import QFileDialog

    from descentlab.gui.export import dialog as export_dialog

    texts = [a.text() for a in win.menuBar().actions()[0].menu().actions()]
    assert texts.index("Export as &notebook… (Jupyter)") == texts.index("Export as &PyTorch script…") + 1
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, caption, start, filters: (
        asked.append((Path(start).name, filters)) or str(tmp_path / "mine"), filters))
    export_dialog.ask_and_export_notebook(win)
    assert asked == [("race.ipynb", "Jupyter notebooks (*.ipynb)")]
    notebook = json.loads((tmp_path / "mine.ipynb").read_text())  # ".ipynb" added
    code = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    assert "torch.optim.Adam(" in code
    assert f"STEPS = {win.controller.race.step}  #" in code
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: messages.append(text))
    assert not export_dialog.save_notebook(win, tmp_path / "missing" / "race.ipynb")
    assert messages == [f"{tmp_path / 'missing' / 'race.ipynb'}: cannot write there"]
