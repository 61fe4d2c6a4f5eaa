"""A bad value is quoted shortened in messages: its start and its length, never whole."""

from pathlib import Path

import pytest
import tomllib

from descentlab.engine.files.scene import scene_from_dict
from descentlab.engine.quoted import QUOTE_LIMIT, quoted

PRESETS = sorted((Path(__file__).parents[2] / "resources" / "presets").glob("*.toml"))
LONG = "x" * 5000


def test_a_short_value_is_quoted_whole():
    assert quoted("adam") == "'adam'" and quoted(1.5) == "1.5" and quoted([1, 2]) == "[1, 2]"


def test_a_long_value_shows_its_start_and_its_length():
    assert quoted(LONG) == f"{repr(LONG)[:QUOTE_LIMIT]}… (5000 characters)"
    assert quoted(list(range(1000))).endswith("… (1000 items)")
    assert len(quoted(10 ** 400)) < 100


def leaves(data, path=()):
    """Every place in a scene's dict that holds a plain value (lists of numbers included)."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        if isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict)):
            yield from leaves(value, (*path, key))
        else:
            yield (*path, key)


def with_value(data, path, value):
    if len(path) == 1:
        data[path[0]] = value
    else:
        with_value(data[path[0]], path[1:], value)


def mutated_presets():
    for preset in PRESETS:
        data = tomllib.loads(preset.read_text(encoding="utf-8"))
        for path in leaves(data):
            yield pytest.param(preset, path, id=f"{preset.stem}:{'.'.join(map(str, path))}")


@pytest.mark.parametrize(("preset", "path"), list(mutated_presets()))
def test_a_five_thousand_character_value_is_refused_in_a_short_message(preset, path):
    data = tomllib.loads(preset.read_text(encoding="utf-8"))
    with_value(data, path, LONG)
    try:
        scene_from_dict(data, preset.name)
    except ValueError as exc:
        assert len(str(exc)) < 600, str(exc)[:300]
