"""Lesson files (issue 26): the format read, validated (file, line and field named), written
back, and the stops (until) the player asks a snapshot about."""

import math
from types import SimpleNamespace

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from descentlab.engine.files.lesson import (
    PANEL_NAMES,
    Ask,
    Lesson,
    LessonError,
    LessonStep,
    Until,
    builtin_lesson_paths,
    find_lesson,
    lesson_from_dict,
    lesson_to_toml,
    load_lesson,
    loads_lesson,
    save_lesson,
)
from descentlab.engine.files.scene import Scene
from descentlab.engine.translatable import LocalText

GOOD = '''\
[lesson]
title = { en = "From SGD to Adam", zh_CN = "从 SGD 到 Adam" }

[[steps]]
title = { en = "The ellipse", zh_CN = "椭圆" }
say = { en = "GD **swings** across $y$", zh_CN = "GD 在 $y$ 方向**摆动**" }
notes = "say it slowly"
preset = "narrow-ellipse"
play = 150
until = "reached:momentum lr 0.12"
hide = ["equations"]
lock = ["problem", "runs"]
view = { explain = true, basins = false, view3d = false, presentation = true }
ask = { en = "Who first?", zh_CN = "谁先？", choices = ["GD", "Momentum"], answer = "Momentum" }

[[steps]]
title = "Same scene, a question"
ask = { text = "Why?" }

[[steps]]
title = "Rosenbrock"
until = "loss:Adam<1e-3"
cite = { en = "note §5", zh_CN = "讲义第 5 节" }

[steps.scene]
title = "valley"

[steps.scene.problem]
surface = "rosenbrock"

[[steps.scene.runs]]
optimizer = "gd"
lr = 0.001

[[steps.scene.runs]]
optimizer = "adam"
lr = 0.05
'''


def refused(text):
    with pytest.raises(LessonError) as err:
        loads_lesson(text, "l.toml")
    return err.value


def test_the_contract_keys_are_read():
    lesson = loads_lesson(GOOD, "l.toml")
    assert isinstance(lesson.title, LocalText) and lesson.title.in_language("zh_CN") == "从 SGD 到 Adam"
    first, second, third = lesson.steps
    assert first.preset == "narrow-ellipse" and first.scene is None and first.play == 150
    assert first.say.in_language("zh_CN") == "GD 在 $y$ 方向**摆动**"
    assert first.until == Until("reached", run="momentum lr 0.12")
    assert first.hide == ("equations",) and first.lock == ("problem", "runs")
    assert first.view == {"explain": True, "basins": False, "view3d": False, "presentation": True}
    assert first.ask.choices == ("GD", "Momentum") and first.ask.answer_index == 1
    assert first.ask.text.in_language("zh_CN") == "谁先？"
    assert second.ask == Ask("Why?") and second.scene is None and second.preset is None
    assert lesson.scene_of(1) is lesson.scene_of(0)  # a step with neither shows the one before's
    assert lesson.scene_of(0).surface == "ellipse"
    assert third.scene.surface == "rosenbrock" and [r.optimizer for r in third.scene.runs] == ["gd", "adam"]
    assert third.until == Until("loss", run="Adam", below=1e-3)
    assert third.cite.in_language("zh_CN") == "讲义第 5 节"


def test_the_round_trip_gives_the_same_lesson(tmp_path):
    lesson = loads_lesson(GOOD, "l.toml")
    again = loads_lesson(lesson_to_toml(lesson))
    assert again == lesson
    assert again.steps[0].say.translations == lesson.steps[0].say.translations
    save_lesson(lesson, tmp_path / "02-mine.toml")
    loaded = load_lesson(tmp_path / "02-mine.toml")
    assert loaded.steps == lesson.steps and loaded.name == "mine"


def line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(("old", "new", "field", "needle", "says"), [
    ('play = 150', 'play = 150\nspeed = 3', "step 1, speed", "speed = 3", "unknown key 'speed'"),
    ('"narrow-ellipse"', '"no-such"', "step 1, preset", "no-such", "unknown preset 'no-such'"),
    ('hide = ["equations"]', 'hide = ["sliders"]', "step 1, hide", "sliders", "unknown panel 'sliders'"),
    ('lock = ["problem", "runs"]', 'lock = ["problem", 3]', "step 1, lock", "lock =", "unknown panel 3"),
    ('"reached:momentum lr 0.12"', '"reached momentum"', "step 1, until", "reached momentum", "cannot parse"),
    ('"reached:momentum lr 0.12"', '"reached:Lion"', "step 1, until", "reached:Lion", "no run named 'Lion'"),
    ('"loss:Adam<1e-3"', '"loss:Adam<tiny"', "step 3, until", "loss:Adam<tiny", "is not a number"),
    ('answer = "Momentum"', 'answer = "Adam"', "step 1, ask.answer", "answer =", "not among the choices"),
    ('presentation = true }', 'presentation = 1 }', "step 1, view.presentation", "presentation = 1",
     "expected true or false"),
    ('basins = false,', 'basin = false,', "step 1, view.basin", "basin = false", "unknown key 'basin'"),
    ('lr = 0.05', 'lr = -0.05', "step 3, scene.runs[1].lr", "lr = -0.05", "learning rate"),
    ('surface = "rosenbrock"', 'surface = "everest"', "step 3, scene.problem.surface", "everest",
     "unknown surface"),
    ('play = 150', 'play = -1', "step 1, play", "play = -1", "[0, "),
    ('notes = "say it slowly"', 'notes = { fr = "non" }', "step 1, notes.fr", "notes =", "unknown language"),
])
def test_a_bad_field_is_named_with_its_file_and_line(old, new, field, needle, says):
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    err = refused(text)
    assert (err.source, err.field) == ("l.toml", field), str(err)
    assert err.line == line_of(text, needle), str(err)
    assert says in err.reason
    assert str(err).startswith(f"l.toml:{err.line}: {field}: ")


def test_whole_file_errors():
    assert "missing section [lesson]" in str(refused('[[steps]]\npreset = "saddle"\n'))
    assert "at least one [[steps]]" in str(refused('[lesson]\ntitle = "x"\n'))
    assert "needs a preset" in str(refused('[lesson]\ntitle = "x"\n[[steps]]\nplay = 3\n'))
    err = refused('[lesson]\ntitle = "x"\n\n[[steps\n')
    assert err.line == 4 and "not valid TOML" in err.reason
    with pytest.raises(LessonError, match="no-file.toml: cannot read"):
        load_lesson("/nonexistent/no-file.toml")
    with pytest.raises(LessonError, match="from-sgd-to-adam"):
        find_lesson("no-such-lesson")


def test_hide_and_lock_take_the_names_given():
    text = GOOD.replace('hide = ["equations"]', 'hide = ["presenter"]')
    with pytest.raises(LessonError):
        loads_lesson(text)
    assert loads_lesson(text, panels=(*PANEL_NAMES, "presenter")).steps[0].hide == ("presenter",)


def run(label, optimizer="gd", loss=1.0, reached=None):
    return SimpleNamespace(label=label, optimizer=optimizer, loss=loss, reached_at=reached)


def test_until_stops_where_it_says():
    snap = SimpleNamespace(step=40, runs=[run("GD"), run("Momentum", "momentum", 0.2, reached=38)])
    assert Until.parse("step:40").met(snap) and not Until.parse("step:41").met(snap)
    assert Until.parse("reached:momentum").met(snap) and not Until.parse("reached:GD").met(snap)
    assert Until.parse(" loss : Momentum < 0.25 ").met(snap) and not Until.parse("loss:Momentum<0.2").met(snap)
    assert not Until.parse("loss:GD<0.5").met(snap)
    assert not Until.parse("reached:Lion").met(snap)  # a run that is gone never stops the race
    label = LocalText({"en": "plain GD", "zh_CN": "普通 GD"})
    assert Until.parse("loss:普通 gd<2").find_run([run(label)]) is not None
    nan = SimpleNamespace(step=1, runs=[run("GD", loss=math.nan)])
    assert not Until.parse("loss:GD<1").met(nan)
    for bad in ("", "step:", "step:0", "loss:GD", "loss:GD<inf", "reached:", "until:GD"):
        with pytest.raises(ValueError):
            Until.parse(bad)
    for text in ("step:7", "reached:Adam lr 0.1", "loss:GD<0.001"):
        assert str(Until.parse(text)) == text


def test_a_lesson_built_in_code_writes_and_reads():
    scene = Scene(surface="saddle")
    lesson = Lesson(LocalText({"en": "T", "zh_CN": "题"}),
                    [LessonStep(title="one", scene=scene, play=5, until=Until("step", step=3),
                                ask=Ask(LocalText({"en": "Q"}), ("a", "b"), "b"))])
    again = loads_lesson(lesson_to_toml(lesson))
    assert again.steps[0].scene.surface == "saddle" and again.steps[0].ask.answer == "b"
    assert again.steps[0].until == Until("step", step=3)


def test_the_built_in_lessons_are_found_by_name():
    names = [p.stem for p in builtin_lesson_paths()]
    assert any(n.endswith("from-sgd-to-adam") for n in names)
    assert find_lesson("from-sgd-to-adam").name == "from-sgd-to-adam"


# --------------------------------------------------------------------------- never a traceback
KEYS = ["title", "say", "notes", "cite", "preset", "scene", "play", "until", "hide", "lock", "view",
        "ask", "choices", "answer", "en", "zh_CN", "explain", "problem", "runs", "surface", "optimizer",
        "lr", "x", "lesson", "steps", "text"]
leaf = st.one_of(
    st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["narrow-ellipse", "saddle", "step:5", "reached:GD", "loss:Adam<0.1", "loss:x<1e999",
                     "equations", "map", "GD", "gd", "adam", "rosenbrock", "step:0", "reached:"]),
)
values = st.one_of(leaf, st.lists(leaf, max_size=3), st.dictionaries(st.sampled_from(KEYS), leaf, max_size=3))
step = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(head=st.dictionaries(st.sampled_from(KEYS), values, max_size=3),
       steps=st.lists(step, max_size=3), extra=st.dictionaries(st.sampled_from(KEYS), values, max_size=2),
       preset=st.booleans())
def test_any_keys_and_values_give_a_lesson_or_a_lesson_error(head, steps, extra, preset):
    data = {"lesson": {"title": "t", **head}, "steps": steps, **extra}
    if preset and steps:
        steps[0].setdefault("preset", "narrow-ellipse")
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):
        return  # not TOML at all (a float nan in an odd place, say)
    for attempt in (lambda: loads_lesson(text, "h.toml"), lambda: lesson_from_dict(data, "h.toml")):
        try:
            lesson = attempt()
        except LessonError as exc:
            assert str(exc).startswith("h.toml")
        else:
            assert loads_lesson(lesson_to_toml(lesson)) == lesson


@settings(max_examples=100, deadline=None)
@given(cut=st.integers(0, len(GOOD)), length=st.integers(0, 8), insert=st.text(max_size=6))
def test_a_mangled_file_gives_a_lesson_or_a_lesson_error(cut, length, insert):
    text = GOOD[:cut] + insert + GOOD[cut + length:]
    try:
        loads_lesson(text, "m.toml")
    except LessonError as exc:
        assert str(exc).startswith("m.toml")


# ------------------------------------------------------------------------- the built-in lesson
def texts_of(lesson):
    yield "lesson.title", lesson.title
    for k, step in enumerate(lesson.steps, 1):
        for key in ("title", "say", "notes", "cite"):
            yield f"step {k} {key}", getattr(step, key)
        if step.ask is not None:
            yield f"step {k} ask", step.ask.text
        if step.scene is not None:
            yield f"step {k} scene.title", step.scene.title


def test_the_built_in_lesson_follows_the_note_in_both_languages():
    lesson = find_lesson("from-sgd-to-adam")
    assert len(lesson.steps) >= 12
    for where, text in texts_of(lesson):
        assert isinstance(text, LocalText) and set(text.translations) == {"en", "zh_CN"}, where
        assert text.in_language("zh_CN") != text.in_language("en"), where
    # every step cites the note's section, in the note's order (§1 … §4)
    sections = [int(step.cite.in_language("en").split("§")[1][0]) for step in lesson.steps]
    assert sections == sorted(sections) and set(sections) == {1, 2, 3, 4}
    assert all("讲义第" in step.cite.in_language("zh_CN") for step in lesson.steps)
    again = loads_lesson(lesson_to_toml(lesson))  # dataset, formula and surface scenes written back
    assert again.steps == lesson.steps and again.title.translations == lesson.title.translations


def test_every_step_of_the_built_in_lesson_races():
    from descentlab.engine.files.export_data import race_for_scene
    from descentlab.engine.files.lesson import play_point

    lesson = find_lesson("from-sgd-to-adam")
    for k, step in enumerate(lesson.steps):
        race = race_for_scene(lesson.scene_of(k))
        race.advance(3)
        snap = race.snapshot(history=False)
        assert snap.step == 3 and all(math.isfinite(r.loss) for r in snap.runs), k + 1
        if step.until is not None:
            assert step.until.find_run(snap.runs) is not None
    # the stops the notes quote: Momentum arrives at step 38 on the narrow ellipse
    momentum = next(k for k, s in enumerate(lesson.steps) if s.until is not None)
    assert play_point(lesson, momentum) == 38


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_until_parses_or_says_why(text):
    try:
        until = Until.parse(text)
    except ValueError as exc:
        assert "step:N" in str(exc) or "step must be" in str(exc) or "finite" in str(exc)
    else:
        assert Until.parse(str(until)) == until


def test_the_play_point_stops_where_until_says():
    from descentlab.engine.files.lesson import play_point

    head = '[lesson]\ntitle = "t"\n[[steps]]\npreset = "narrow-ellipse"\n'
    lesson = loads_lesson(head + 'until = "loss:Momentum lr 0.12<0.5"\n'  # play = 0: race until the stop
                          + '[[steps]]\nplay = 20\nuntil = "reached:Adam lr 0.1"\n'  # play comes first
                          + '[[steps]]\nplay = 90\nuntil = "step:30"\n[[steps]]\nplay = 7\n')
    first = play_point(lesson, 0)
    from descentlab.engine.files.export_data import race_for_scene

    race = race_for_scene(lesson.scene_of(0))
    race.advance(first - 1)
    assert race.snapshot(history=False).runs[1].loss >= 0.5  # not yet one step before
    race.advance(1)
    assert race.snapshot(history=False).runs[1].loss < 0.5
    assert [play_point(lesson, k) for k in (1, 2, 3)] == [20, 30, 7]


def test_the_built_in_lesson_says_what_its_races_show():
    """Claims of the built-in lesson checked against its own races (issue 26: each step
    says what the note says, and what the picture shows): step 7's SGD jitters most round
    the minimum; step 10's β = 0.9 arrives first; step 12's answer arrives first."""
    from descentlab.engine.files.export_data import race_for_scene
    from descentlab.engine.files.lesson import find_lesson, play_point

    lesson = find_lesson("from-sgd-to-adam")

    def raced(k):
        race = race_for_scene(lesson.scene_of(k - 1))
        race.advance(play_point(lesson, k - 1))
        return {str(run.label): run for run in race.snapshot().runs}

    runs = raced(7)
    spread = {label: float(np.ptp(run.path[-100:, :2], axis=0).sum()) for label, run in runs.items()}
    assert lesson.steps[6].ask.answer == "SGD" and max(spread, key=spread.get).startswith("SGD")
    for k, first in ((10, "β 0.9"), (12, lesson.steps[11].ask.answer)):
        runs = raced(k)
        arrived = {label: run.reached_at for label, run in runs.items() if run.reached_at is not None}
        assert min(arrived, key=arrived.get).startswith(first), (k, arrived)
