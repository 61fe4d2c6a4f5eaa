"""A scene's speed survives the window: the slider reaches every allowed speed, saving keeps it."""

import copy

import pytest

from descentlab.engine.files.scene import MAX_SPEED, load_scene
from descentlab.gui.support.presets import find_preset
from descentlab.gui.transport import slider_from_speed, speed_from_slider


def test_the_slider_spans_every_speed_a_scene_allows():
    assert speed_from_slider(0) == 1.0
    assert speed_from_slider(slider_from_speed(MAX_SPEED)) == MAX_SPEED


@pytest.mark.parametrize("speed", [12.0, 25.0, 500_000.0, 1_000_000.0])
def test_saving_keeps_the_scenes_speed(window, tmp_path, speed):
    scene = copy.deepcopy(find_preset("beale-classic").scene)
    scene.speed = speed
    window.apply_scene(scene)
    assert window.transport.speed_label.text() == f"{int(speed):,} steps/s"
    path = tmp_path / "s.toml"
    assert window.save_scene_file(path)
    assert load_scene(path).speed == speed


def test_moving_the_slider_sets_the_speed_that_is_saved(window, tmp_path):
    window.transport.speed.setValue(slider_from_speed(MAX_SPEED))
    path = tmp_path / "s.toml"
    assert window.save_scene_file(path)
    assert load_scene(path).speed == MAX_SPEED
