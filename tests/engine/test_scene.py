"""engine.files.scene: TOML round trip, and every broken input gives a SceneError naming file and field.

A scene file comes from anywhere (a colleague's e-mail, a USB stick in the lecture hall): loading
one must never crash the app with anything but a SceneError, and must never execute anything.
"""

from __future__ import annotations

import errno
import math
import pathlib

import pytest
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from descentlab import engine
from descentlab.engine.files import atomic_file
from descentlab.engine.files import scene as scene_mod
from descentlab.engine.files.scene import (
    MAX_FILE_BYTES,
    MAX_RUNS,
    RunConfig,
    Scene,
    SceneError,
    dumps_scene,
    load_scene,
    loads_scene,
    save_scene,
    scene_from_dict,
)

tomllib = scene_mod.tomllib  # tomllib on 3.11+, tomli before

GOOD = """\
[problem]
surface = "beale"

[[runs]]
optimizer = "adam"
lr = 0.01
"""


def full_scene() -> Scene:
    """A scene that uses every field, including bool hyperparameters set to true."""
    return Scene(
        surface="rosenbrock",
        title="Every field",
        description="A scene that sets everything.\nTwo lines, \"quotes\" and ünïcödé.",
        start=(-1.5, 2.0),
        noise=0.25,
        seed=12345,
        xrange=(-2.5, 2.5),
        yrange=(-1.0, 3.5),
        speed=750.0,
        step_limit=20_000,
        runs=[
            RunConfig("adam", {"lr": 0.01, "amsgrad": 1.0, "weight_decay": 0.001},
                      label="Adam (AMSGrad)", enabled=True, color="#1f77b4", start=(0.5, -0.5)),
            RunConfig("sgd", {"lr": 0.001, "momentum": 0.9, "nesterov": 1.0, "dampening": 0.0},
                      label="Nesterov", enabled=False, color="#ff7f0eCC"),
            RunConfig("rmsprop", {"centered": 1.0, "alpha": 0.9}, label="centred RMSprop"),
            RunConfig("lion", {}),
            RunConfig("adamw", {"amsgrad": 0.0}, start=(1.0, 1.0)),
        ],
    )


def test_round_trip_keeps_every_field():
    scene = full_scene()
    text = dumps_scene(scene)
    again = loads_scene(text)
    assert again == scene
    assert dumps_scene(again) == text


def test_bool_hyperparameters_are_written_as_toml_booleans():
    data = tomllib.loads(dumps_scene(full_scene()))
    runs = data["runs"]
    assert runs[0]["amsgrad"] is True
    assert runs[1]["nesterov"] is True
    assert runs[2]["centered"] is True
    assert runs[4]["amsgrad"] is False
    assert runs[1]["enabled"] is False


def test_save_and_load_through_a_file(tmp_path):
    path = tmp_path / "every-field.toml"
    save_scene(full_scene(), path)
    assert load_scene(path) == full_scene()
    assert [p.name for p in tmp_path.iterdir()] == ["every-field.toml"]  # no temp file left over


def test_a_save_that_fails_on_a_full_disk_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "scene.toml"
    path.write_text("# the old scene\n")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_file.os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        save_scene(full_scene(), path)
    assert path.read_text() == "# the old scene\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scene.toml"]


def test_a_minimal_scene_gets_the_defaults():
    scene = loads_scene('[problem]\nsurface = "himmelblau"\n')
    assert scene == Scene(surface="himmelblau")
    assert scene.start_point == engine.SURFACES["himmelblau"].start


# ------------------------------------------------------------------------------ broken inputs


def with_run(extra: str, optimizer: str = "adam") -> str:
    return f'[problem]\nsurface = "beale"\n\n[[runs]]\noptimizer = "{optimizer}"\n{extra}\n'


def with_problem(extra: str) -> str:
    return f'[problem]\nsurface = "beale"\n{extra}\n'


def with_view(extra: str) -> str:
    return f'[problem]\nsurface = "beale"\n\n[view]\n{extra}\n'


MANY_RUNS = '[problem]\nsurface = "beale"\n' + '[[runs]]\noptimizer = "gd"\n' * (MAX_RUNS + 1)

# name → (file text, words the message must contain besides the file name)
BROKEN = {
    "malformed-toml": ('[problem\nsurface = "beale"\n', ["TOML"]),
    "unterminated-string": ('title = "oops\n[problem]\nsurface = "beale"\n', ["TOML"]),
    "duplicate-key": ('[problem]\nsurface = "beale"\nsurface = "bowl"\n', ["TOML"]),
    "surface-number": ("[problem]\nsurface = 3\n", ["problem.surface", "3"]),
    "surface-unknown": ('[problem]\nsurface = "moon"\n', ["problem.surface", "'moon'", "beale"]),
    "problem-missing": ('title = "no problem"\n', ["problem"]),
    "problem-not-table": ("problem = 3\n", ["problem"]),
    "top-level-unknown": ('colour = "red"\n' + GOOD, ["colour"]),
    "problem-unknown-key": (with_problem("gravity = 9.81"), ["problem.gravity"]),
    "view-unknown-key": (with_view("zoom = 2"), ["view.zoom"]),
    "run-unknown-key": (with_run("speed = 3"), ["runs[0].speed"]),
    "run-hyper-of-another-optimizer": (with_run("momentum = 0.9"), ["runs[0].momentum"]),
    "run-torch-betas": (with_run("betas = [0.9, 0.99]"), ["runs[0].betas"]),
    "optimizer-unknown": (with_run("", optimizer="adamz"), ["runs[0].optimizer", "'adamz'"]),
    "optimizer-missing": ('[problem]\nsurface = "beale"\n[[runs]]\nlr = 0.1\n', ["runs[0].optimizer"]),
    "optimizer-number": ('[problem]\nsurface = "beale"\n[[runs]]\noptimizer = 7\n',
                         ["runs[0].optimizer"]),
    "lr-text": (with_run('lr = "fast"'), ["runs[0]", "lr", "fast"]),
    "lr-negative": (with_run("lr = -1.0"), ["runs[0]", "lr", "-1"]),
    "lr-inf": (with_run("lr = inf"), ["runs[0]", "lr", "inf"]),
    "lr-nan": (with_run("lr = nan"), ["runs[0]", "lr", "nan"]),
    "lr-huge-integer": (with_run("lr = 1" + "0" * 400), ["runs[0]", "lr"]),
    "lr-array": (with_run("lr = [0.1]"), ["runs[0]", "lr"]),
    "lr-date": (with_run("lr = 1979-05-27"), ["runs[0]", "lr"]),
    "bool-hyper-2": (with_run("amsgrad = 2"), ["runs[0]", "amsgrad", "2"]),
    "bool-hyper-text": (with_run('amsgrad = "yes"'), ["runs[0]", "amsgrad", "yes"]),
    "nesterov-without-momentum": (with_run("nesterov = true", optimizer="sgd"),
                                  ["runs[0]", "nesterov"]),
    "enabled-text": (with_run('enabled = "yes"'), ["runs[0].enabled", "yes"]),
    "label-number": (with_run("label = 5"), ["runs[0].label"]),
    "label-too-long": (with_run(f'label = "{"x" * 500}"'), ["runs[0].label"]),
    "color-name": (with_run('color = "red"'), ["runs[0].color", "red"]),
    "run-start-short": (with_run("start = [1]"), ["runs[0].start"]),
    "run-start-text": (with_run('start = ["a", 1]'), ["runs[0].start[0]"]),
    "run-not-table": ('runs = [1, 2]\n[problem]\nsurface = "beale"\n', ["runs[0]"]),
    "runs-not-list": ('runs = 3\n[problem]\nsurface = "beale"\n', ["runs"]),
    "too-many-runs": (MANY_RUNS, ["runs", str(MAX_RUNS + 1)]),
    "problem-start-short": (with_problem("start = [1]"), ["problem.start"]),
    "problem-start-three": (with_problem("start = [1, 2, 3]"), ["problem.start"]),
    "problem-start-inf": (with_problem("start = [inf, 0.0]"), ["problem.start[0]", "inf"]),
    "problem-start-nan": (with_problem("start = [0.0, nan]"), ["problem.start[1]", "nan"]),
    "problem-start-huge-integer": (with_problem("start = [0, 1" + "0" * 400 + "]"),
                                   ["problem.start[1]"]),
    "noise-negative": (with_problem("noise = -0.5"), ["problem.noise", "-0.5"]),
    "noise-inf": (with_problem("noise = inf"), ["problem.noise", "inf"]),
    "noise-nan": (with_problem("noise = nan"), ["problem.noise", "nan"]),
    "noise-text": (with_problem('noise = "lots"'), ["problem.noise", "lots"]),
    "noise-huge-integer": (with_problem("noise = 9" + "9" * 400), ["problem.noise"]),
    "seed-negative": (with_problem("seed = -1"), ["problem.seed", "-1"]),
    "seed-float": (with_problem("seed = 1.5"), ["problem.seed", "1.5"]),
    "seed-bool": (with_problem("seed = true"), ["problem.seed", "True"]),
    "seed-huge": (with_problem("seed = 1" + "0" * 30), ["problem.seed"]),
    "xrange-reversed": (with_view("xrange = [2, 1]"), ["view.xrange"]),
    "xrange-equal": (with_view("xrange = [1, 1]"), ["view.xrange"]),
    "yrange-text": (with_view('yrange = "wide"'), ["view.yrange"]),
    "xrange-nan": (with_view("xrange = [nan, 1]"), ["view.xrange[0]", "nan"]),
    "speed-zero": (with_view("speed = 0"), ["view.speed"]),
    "speed-inf": (with_view("speed = inf"), ["view.speed", "inf"]),
    "speed-huge-integer": (with_view("speed = 1" + "0" * 400), ["view.speed"]),
    "step-limit-zero": (with_view("step_limit = 0"), ["view.step_limit", "0"]),
    "step-limit-float": (with_view("step_limit = 10.5"), ["view.step_limit"]),
    "view-not-table": ('view = 3\n[problem]\nsurface = "beale"\n', ["view"]),
    "title-number": ("title = 3\n" + GOOD, ["title"]),
    "title-too-long": (f'title = "{"t" * 1000}"\n' + GOOD, ["title"]),
    "deeply-nested-array": ("title = " + "[" * 50_000 + "]" * 50_000 + "\n" + GOOD, []),
    "deeply-nested-table": ("title = " + "{a = " * 50_000 + "1" + "}" * 50_000 + "\n" + GOOD, []),
}


@pytest.mark.parametrize("text, words", list(BROKEN.values()), ids=list(BROKEN))
def test_broken_scene_file_raises_scene_error_naming_file_and_field(tmp_path, text, words):
    path = tmp_path / "broken-scene.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SceneError) as excinfo:
        load_scene(path)
    message = str(excinfo.value)
    assert message.startswith("broken-scene.toml: "), message
    for word in words:
        assert word in message, f"{word!r} not in {message[:300]!r}"
    assert len(message) < 2000, "the message should be readable in a dialog box"


@pytest.mark.parametrize("text, words", list(BROKEN.values()), ids=list(BROKEN))
def test_broken_scene_text_raises_scene_error_naming_the_source(text, words):
    with pytest.raises(SceneError) as excinfo:
        loads_scene(text, source="pasted")
    assert str(excinfo.value).startswith("pasted: ")


def test_scene_error_is_a_value_error():
    assert issubclass(SceneError, ValueError)


def test_65_runs_is_too_many_but_64_is_fine():
    ok = '[problem]\nsurface = "beale"\n' + '[[runs]]\noptimizer = "gd"\n' * MAX_RUNS
    assert len(loads_scene(ok).runs) == MAX_RUNS == 64


def test_a_file_larger_than_1_mb_fails_on_its_size_before_it_is_read_or_parsed(tmp_path, monkeypatch):
    path = tmp_path / "huge.toml"
    with path.open("w", encoding="utf-8") as f:
        f.write(GOOD)
        f.write("# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    assert path.stat().st_size > MAX_FILE_BYTES == 1_000_000

    def forbidden(*args, **kwargs):
        raise AssertionError("an oversized scene file must be refused before reading/parsing it")

    class NoToml:
        loads = load = staticmethod(forbidden)
        TOMLDecodeError = tomllib.TOMLDecodeError

    monkeypatch.setattr(scene_mod, "tomllib", NoToml)
    monkeypatch.setattr(pathlib.Path, "read_bytes", forbidden)
    monkeypatch.setattr(pathlib.Path, "read_text", forbidden)
    with pytest.raises(SceneError) as excinfo:
        load_scene(path)
    assert str(excinfo.value).startswith("huge.toml: ")
    assert "large" in str(excinfo.value)


def test_a_text_larger_than_1_mb_is_refused():
    with pytest.raises(SceneError, match="large"):
        loads_scene(GOOD + "#" * MAX_FILE_BYTES, source="big")


def test_a_file_just_under_the_limit_loads(tmp_path):
    path = tmp_path / "padded.toml"
    padding = "# padding\n" * ((MAX_FILE_BYTES - len(GOOD)) // 10)
    path.write_text(GOOD + padding, encoding="utf-8")
    assert path.stat().st_size <= MAX_FILE_BYTES
    assert load_scene(path).surface == "beale"


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00\x00binary\x80\x81", bytes(range(256)), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
     GOOD.encode("utf-16")],
    ids=["garbage", "all-bytes", "png-header", "utf-16"],
)
def test_a_binary_or_non_utf8_file_raises_scene_error(tmp_path, content):
    path = tmp_path / "picture.toml"
    path.write_bytes(content)
    with pytest.raises(SceneError) as excinfo:
        load_scene(path)
    assert str(excinfo.value).startswith("picture.toml: ")


def test_a_utf8_file_with_nul_bytes_raises_scene_error(tmp_path):
    path = tmp_path / "nul.toml"
    path.write_bytes(GOOD.encode() + b"\x00\x00")
    with pytest.raises(SceneError, match="nul.toml"):
        load_scene(path)


def test_a_missing_file_raises_scene_error(tmp_path):
    with pytest.raises(SceneError) as excinfo:
        load_scene(tmp_path / "missing.toml")
    assert str(excinfo.value).startswith("missing.toml: ")


def test_a_directory_raises_scene_error(tmp_path):
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(SceneError, match="folder.toml"):
        load_scene(folder)


def test_a_file_with_a_bom_is_either_read_or_refused_cleanly(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    try:
        assert load_scene(path).surface == "beale"
    except SceneError as exc:
        assert str(exc).startswith("bom.toml: ")


# ------------------------------------------------------------------------- nothing is executed

PAYLOADS = [
    "__import__('os').system('touch {marker}')",
    "{{ __import__('os').system('touch {marker}') }}",
    "$(touch {marker})",
    "`touch {marker}`",
    "!!python/object/apply:os.system ['touch {marker}']",
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", ["title", "label", "surface", "optimizer", "lr", "color", "seed"])
def test_loading_a_scene_never_evaluates_anything(tmp_path, monkeypatch, payload, field):
    marker = tmp_path / "X"
    monkeypatch.chdir(tmp_path)
    value = payload.format(marker=marker)
    quoted = tomli_w.dumps({"v": value}).split("=", 1)[1].strip()
    problem = {"surface": '"beale"', "seed": "1"}
    run = {"optimizer": '"adam"', "lr": "0.01", "label": '"ok"', "color": '"#123456"'}
    title = '"ok"'
    if field == "title":
        title = quoted
    elif field in problem:
        problem[field] = quoted
    else:
        run[field] = quoted
    text = (f"title = {title}\n[problem]\n" + "".join(f"{k} = {v}\n" for k, v in problem.items())
            + "[[runs]]\n" + "".join(f"{k} = {v}\n" for k, v in run.items()))
    path = tmp_path / "evil.toml"
    path.write_text(text, encoding="utf-8")
    try:
        scene = load_scene(path)
    except SceneError:
        pass
    else:
        assert field in ("title", "label")
        got = scene.title if field == "title" else scene.runs[0].label
        assert got == value  # kept as a plain string, never interpreted
    assert not marker.exists()
    assert not (tmp_path / "X").exists()


# -------------------------------------------------------------------------- property tests

SCENE_KEYS = (sorted(scene_mod._TOP_KEYS | scene_mod._PROBLEM_KEYS | scene_mod._VIEW_KEYS
                     | scene_mod._RUN_KEYS)
              + sorted({h for spec in engine.OPTIMIZERS.values() for h in spec.hyper_names}))

leaves = st.one_of(
    st.none(),  # dropped below: TOML has no null
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from([10**400, -(10**400), 2**63, 2**63 - 1, -1, 0, 1, 64, 65]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-300, 1e300, 0.5, 0.999, 1.0, 2.0]),
    st.text(max_size=30),
    st.sampled_from(sorted(engine.SURFACES) + sorted(engine.OPTIMIZERS) + ["#1f77b4", ""]),
    st.dates(),
    st.datetimes(),
    st.times(),
)
keys = st.one_of(st.sampled_from(SCENE_KEYS), st.text(min_size=1, max_size=12))


def _drop_none(value):
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value if v is not None]
    return value


toml_values = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=20,
)
scene_like = st.fixed_dictionaries(
    {},
    optional={
        "title": toml_values,
        "description": toml_values,
        "problem": st.one_of(st.dictionaries(keys, toml_values, max_size=5), toml_values),
        "view": st.one_of(st.dictionaries(keys, toml_values, max_size=5), toml_values),
        "runs": st.one_of(
            st.lists(st.dictionaries(keys, toml_values, max_size=7), max_size=4), toml_values),
    },
).flatmap(lambda d: st.dictionaries(keys, toml_values, max_size=2).map(lambda extra: {**extra, **d}))


HOSTILE = [10**400, -(10**400), 2**63, -1, math.inf, -math.inf, math.nan, "", "0.1", True, [], {}]


def mostly(valid):
    """Usually a valid value, sometimes a hostile one or anything at all."""
    return st.one_of(valid, valid, st.sampled_from(HOSTILE), leaves)


@st.composite
def scene_shaped(draw):
    """Known sections and keys with real optimizer names; values mostly valid, some hostile."""
    def maybe(table, key, strategy):
        if draw(st.booleans()):
            table[key] = draw(strategy)

    pair = st.lists(st.floats(-3.0, 3.0), min_size=2, max_size=2)
    data = {"problem": {"surface": draw(mostly(st.sampled_from(sorted(engine.SURFACES))))}}
    maybe(data, "title", mostly(st.text(max_size=40)))
    maybe(data["problem"], "noise", mostly(st.floats(0.0, 2.0)))
    maybe(data["problem"], "seed", mostly(st.integers(0, 2**40)))
    maybe(data["problem"], "start", mostly(pair))
    if draw(st.booleans()):
        view = data["view"] = {}
        maybe(view, "xrange", mostly(st.just([-2.0, 2.0])))
        maybe(view, "speed", mostly(st.floats(1.0, 1e4)))
        maybe(view, "step_limit", mostly(st.integers(1, 10**6)))
    runs = data["runs"] = []
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from(sorted(engine.OPTIMIZERS)))
        run = {"optimizer": key}
        for h in engine.OPTIMIZERS[key].hyper:
            valid = st.booleans() if h.kind == "bool" else st.just(h.default)
            maybe(run, h.name, mostly(valid))
        maybe(run, "label", mostly(st.text(min_size=1, max_size=20)))
        maybe(run, "enabled", mostly(st.booleans()))
        maybe(run, "start", mostly(pair))
        runs.append(run)
    return data


def only_scene_errors(call):
    try:
        result = call()
    except SceneError:
        return None
    assert isinstance(result, Scene)
    return result


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scene_like.map(_drop_none))
def test_random_dicts_give_a_scene_or_a_scene_error(data):
    only_scene_errors(lambda: scene_from_dict(data, "random"))
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):
        return  # not representable as TOML (e.g. a list of tables mixed with values)
    only_scene_errors(lambda: loads_scene(text, "random.toml"))


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scene_shaped().map(_drop_none))
@example(data={"problem": {"surface": "bowl", "noise": 10**400}})
@example(data={"problem": {"surface": "bowl"}, "runs": [{"optimizer": "adam", "lr": -(10**400)}]})
def test_random_scene_shaped_dicts_give_a_scene_or_a_scene_error(data):
    """Mostly valid structure (known sections and keys, real optimizer names), random values."""
    only_scene_errors(lambda: scene_from_dict(data, "random"))
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):
        return
    only_scene_errors(lambda: loads_scene(text, "random.toml"))


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400))
def test_random_text_gives_a_scene_or_a_scene_error(text):
    only_scene_errors(lambda: loads_scene(text, "random.toml"))


fragments = st.sampled_from([
    "[problem]\n", '[problem]\nsurface = "beale"\n', "[[runs]]\n", '[[runs]]\noptimizer = "adam"\n',
    "[view]\n", "lr = 0.1\n", "lr = inf\n", "lr = nan\n", "lr = 1" + "0" * 400 + "\n",
    "amsgrad = true\n", "nesterov = true\n", "momentum = 0.9\n", "seed = -1\n",
    "start = [1, 2]\n", "start = [1]\n", "xrange = [2, 1]\n", "speed = 1e400\n",
    'optimizer = "sgd"\n', 'surface = "bowl"\n', 'enabled = "yes"\n', 'color = "#fff"\n',
    "title = [[[[]]]]\n", "a = {b = {c = 1}}\n", "x = 1979-05-27T07:32:00Z\n", "= 1\n", "[\n",
])


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(fragments, max_size=12))
def test_random_scene_like_text_gives_a_scene_or_a_scene_error(parts):
    only_scene_errors(lambda: loads_scene("".join(parts), "random.toml"))


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)


@st.composite
def valid_scenes(draw):
    runs = []
    for _ in range(draw(st.integers(0, 4))):
        key = draw(st.sampled_from(sorted(engine.OPTIMIZERS)))
        spec = engine.OPTIMIZERS[key]
        hyper = {}
        for h in spec.hyper:
            if h.kind == "float" and h.name != "lr" and draw(st.booleans()):
                continue
            if h.kind == "bool":
                if key == "sgd" and h.name == "nesterov":
                    continue
                hyper[h.name] = float(draw(st.booleans()))
            elif h.name == "lr":
                hyper["lr"] = draw(st.floats(0.0, 10.0))
        runs.append(RunConfig(
            key, hyper,
            label=draw(st.one_of(st.none(), st.text(min_size=1, max_size=80))),
            enabled=draw(st.booleans()),
            color=draw(st.one_of(st.none(), st.sampled_from(["#000000", "#1f77b4", "#ABCDEF12"]))),
            start=draw(st.one_of(st.none(), st.tuples(finite, finite))),
        ))
    x0 = draw(finite)
    return Scene(
        surface=draw(st.sampled_from(sorted(engine.SURFACES))),
        runs=runs,
        title=draw(st.text(max_size=200)),
        description=draw(st.text(max_size=300)),
        start=draw(st.one_of(st.none(), st.tuples(finite, finite))),
        noise=draw(st.floats(0.0, 1e6)),
        seed=draw(st.integers(0, 2**63 - 1)),
        xrange=draw(st.one_of(st.none(), st.just((x0, x0 + 1.0)))),
        yrange=draw(st.one_of(st.none(), st.just((-3.0, 3.0)))),
        speed=draw(st.floats(1.0, 1e6)),
        step_limit=draw(st.one_of(st.none(), st.integers(1, 10**9))),
    )


@settings(max_examples=200, deadline=None)
@given(scene=valid_scenes())
def test_any_valid_scene_round_trips(scene):
    assert loads_scene(dumps_scene(scene)) == scene


def test_nan_compares_unequal_so_round_trip_scenes_never_hold_nan():
    # guard for the property above: a scene that loaded cannot contain NaN anywhere
    scene = loads_scene(dumps_scene(full_scene()))
    numbers = [scene.noise, scene.speed, *scene.start, *scene.xrange, *scene.yrange]
    numbers += [v for run in scene.runs for v in run.hyper.values()]
    assert all(math.isfinite(v) for v in numbers)
