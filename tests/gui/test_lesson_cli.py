"""Lessons on the command line (issue 26 items 6, 7) and the caption drawn on the map."""

import numpy as np
import pytest

from descentlab.engine.files import lesson as lesson_file
from descentlab.engine.files.lesson import PANEL_NAMES, loads_lesson
from descentlab.gui.lessons import cli as lesson_cli
from descentlab.gui.map.caption_layer import caption_html, tex_to_text

TINY = '''\
[lesson]
title = { en = "Tiny", zh_CN = "小" }

[[steps]]
title = { en = "First", zh_CN = "第一步" }
say = { en = "GD **swings** with $\\\\beta^2$", zh_CN = "GD **摆动** $\\\\beta^2$" }
cite = "note §4"
play = 5
hide = ["equations"]

[steps.scene.problem]
surface = "ellipse"
start = [-4.5, 1.5]

[[steps.scene.runs]]
optimizer = "gd"
lr = 0.1
'''


def test_the_engine_knows_the_panel_registry_and_the_resources_folder():
    from descentlab.gui.panels import PANELS
    from descentlab.gui.support.resources import presets_dir, resources_dir

    assert PANEL_NAMES == tuple(place.name for place in PANELS)
    assert lesson_file.resources_dir() == resources_dir()
    assert lesson_file.presets_dir() == presets_dir()


def test_captions_write_bold_and_simple_tex_as_plain_maths():
    assert tex_to_text(r"v = \beta v + (1-\beta) g") == "v = β v + (1-β) g"
    assert tex_to_text(r"\frac{dW}{\sqrt{S_{dW}}}") == "dW/√S\x01sub\x02dW\x01/sub\x02"
    assert tex_to_text(r"\beta_1^t \cdot x^2 \approx 10") == "β₁ᵗ · x² ≈ 10"
    assert caption_html("a **b** <c> $\\alpha$") == "a <b>b</b> &lt;c&gt; <i>α</i>"
    assert caption_html("$S_{dW}$\nnext") == "<i>S<sub>dW</sub></i><br>next"


def run_main(*args):
    from descentlab.gui.app import main

    return main(list(args))


def test_a_step_past_the_last_is_refused_in_one_line(tmp_path, capsys):
    n = len(lesson_file.find_lesson("from-sgd-to-adam").steps)
    code = run_main("--lesson", "from-sgd-to-adam", "--lesson-step", str(n + 1), "--lang", "en",
                    "--snapshot", str(tmp_path / "x.png"))
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == f"descentlab: --lesson-step {n + 1}: “From SGD to Adam” has {n} steps (1 to {n})"
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("old", "new", "where"), [
    ("play = 5", 'play = 5\nuntil = "reached:Adam"', "bad.toml:9: step 1, until: no run named 'Adam'"),
    ('hide = ["equations"]', 'hide = ["slides"]', "bad.toml:9: step 1, hide: unknown panel 'slides'"),
    ('surface = "ellipse"', 'surface = "k2"', "bad.toml:12: step 1, scene.problem.surface: unknown surface"),
])
def test_a_bad_lesson_file_is_refused_in_one_line(tmp_path, capsys, old, new, where):
    path = tmp_path / "bad.toml"
    path.write_text(TINY.replace(old, new), encoding="utf-8")
    code = run_main("--lesson", str(path), "--lang", "en", "--snapshot", str(tmp_path / "x.png"))
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"descentlab: {where}"), err
    assert not (tmp_path / "x.png").exists()


def test_a_step_is_dressed_on_the_window(window, qtbot):
    lesson = loads_lesson(TINY)
    step = lesson.steps[0]
    window.apply_scene(lesson.scene_of(0))
    qtbot.waitUntil(lambda: window.controller.race is not None and window.controller.scene.surface == "ellipse")
    window.advance_and_draw(5)
    caption = window.panels.map.caption
    lesson_cli.dress(window, step)
    assert window.panels.equations.isHidden()
    assert caption.isVisible()
    assert caption.shown_text.splitlines() == ["First", "GD swings with β²", "note §4"]
    # the box moves off the points it is asked to keep clear: a cloud in the top left corner
    (x0, x1), (y0, y1) = window.panels.map.visible_region()
    cloud = np.column_stack([np.linspace(x0, x0 + 0.4 * (x1 - x0), 50),
                             np.linspace(y1, y1 - 0.4 * (y1 - y0), 50)])
    caption.keep_clear(cloud)
    assert caption.corner != "top left"
    caption.clear()
    assert not caption.isVisible() and caption.shown_text == ""


def test_the_snapshot_of_a_step(tmp_path, capsys):
    from PySide6.QtGui import QImage

    path = tmp_path / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    out = tmp_path / "step.png"
    assert run_main("--lesson", str(path), "--lesson-step", "1", "--lang", "en",
                    "--size", "900x600", "--snapshot", str(out)) == 0, capsys.readouterr().err
    assert QImage(str(out)).size().width() == 900


def test_lesson_without_snapshot_opens_the_window_playing_it(window, qtbot, tmp_path, monkeypatch, capsys):
    """``descentlab --lesson FILE --lesson-step K``: the window opens at step K (main's
    setup, without the event loop); a K past the end is the same one-line refusal."""
    from descentlab.gui import app

    path = tmp_path / "two.toml"
    path.write_text(TINY + TINY.split("\n", 3)[3].replace("First", "Second"), encoding="utf-8")
    calls = []
    monkeypatch.setattr(app, "run_app", lambda scene, *a, **k: calls.append((scene, a, k)) or 0)
    assert run_main("--lesson", str(path), "--lesson-step", "2", "--lang", "en") == 0
    assert run_main("--lesson", str(path), "--lesson-step", "3", "--lang", "en") == 2
    assert capsys.readouterr().err.strip() == "descentlab: --lesson-step 3: “Tiny” has 2 steps (1 to 2)"
    assert run_main("--lesson", str(tmp_path / "none.toml"), "--lang", "en") == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert len(calls) == 1
    scene, a, k = calls[0]
    assert scene.surface != "ellipse"  # the default scene: what Leave lesson gives back
    app.set_up_window(window, scene, *a, **k)
    player = window.lessons
    assert player.is_open and player.index == 1 and player.bar.isVisible()
    assert player.caption.shown_text.splitlines()[0] == "Second"
    assert window.panels.equations.isHidden()
    qtbot.waitUntil(lambda: window.controller.scene.surface == "ellipse")
    player.leave()
    assert window.controller.scene.surface == scene.surface


def test_the_caption_keeps_clear_of_the_lines_between_steps():
    from descentlab.gui.map.caption_layer import along

    path = np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 0.1]])
    points = along(path, pieces=10)
    assert points[0].tolist() == [0.0, 0.0] and points[-1].tolist() == [10.0, 0.1]
    assert np.max(np.diff(points[:, 0])) <= 1.0 + 1e-12  # a long step is points along its line
    assert np.all(points[:, 1] >= 0) and len(along(path[:1])) == 1
