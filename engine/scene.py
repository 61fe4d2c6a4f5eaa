"""Scenes: a problem, its runs, the start point and the view, as plain data and TOML.

A scene file is data only: it is parsed with ``tomllib`` and every field is checked
against the engine's catalogues before anything uses it. Errors name the file and the
field (``beale.toml: runs[2].lr: Invalid learning rate: lr=-1.0 (allowed: [0, inf))``).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from .optimizers import OPTIMIZERS, get_optimizer
from .surfaces import SURFACES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_FILE_BYTES = 1_000_000
MAX_RUNS = 64
MAX_SPEED = 1_000_000.0
MAX_STEP_LIMIT = 1_000_000_000


class SceneError(ValueError):
    """A scene that cannot be used; the message names the file and the field."""


@dataclass
class RunConfig:
    optimizer: str
    hyper: dict[str, float] = field(default_factory=dict)
    label: str | None = None
    enabled: bool = True
    color: str | None = None
    start: tuple[float, float] | None = None


@dataclass
class Scene:
    surface: str = "beale"
    runs: list[RunConfig] = field(default_factory=list)
    title: str = ""
    description: str = ""
    start: tuple[float, float] | None = None
    noise: float = 0.0
    seed: int = 0
    xrange: tuple[float, float] | None = None
    yrange: tuple[float, float] | None = None
    speed: float = 200.0
    step_limit: int | None = None

    @property
    def start_point(self) -> tuple[float, float]:
        return self.start if self.start is not None else tuple(SURFACES[self.surface].start)


# ---------------------------------------------------------------------------- parsing
_TOP_KEYS = {"title", "description", "problem", "view", "runs"}
_PROBLEM_KEYS = {"surface", "noise", "seed", "start"}
_VIEW_KEYS = {"xrange", "yrange", "speed", "step_limit"}
_RUN_KEYS = {"optimizer", "label", "enabled", "color", "start"}


def _fail(source: str, where: str, message: str) -> SceneError:
    return SceneError(f"{source}: {where}: {message}" if where else f"{source}: {message}")


def _check_keys(source, where, table, allowed):
    if not isinstance(table, dict):
        raise _fail(source, where, f"expected a table, got {type(table).__name__}")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _fail(source, f"{where}.{unknown[0]}" if where else unknown[0],
                    f"unknown key; allowed keys: {', '.join(sorted(allowed))}")


def _number(source, where, value, *, low=-math.inf, high=math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(source, where, f"expected a number, got {value!r}")
    try:
        value = float(value)
    except OverflowError:  # a TOML integer with hundreds of digits
        value = math.inf if value > 0 else -math.inf
    if not math.isfinite(value) or not (low <= value <= high):
        raise _fail(source, where, f"invalid value {value!r} (allowed: [{low:g}, {high:g}])")
    return value


def _pair(source, where, value, *, increasing=False) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise _fail(source, where, f"expected two numbers like [-2.0, 2.0], got {value!r}")
    a, b = (_number(source, f"{where}[{i}]", v) for i, v in enumerate(value))
    if increasing and not a < b:
        raise _fail(source, where, f"the first number must be below the second, got {value!r}")
    return a, b


def _string(source, where, value, max_len=200) -> str:
    if not isinstance(value, str):
        raise _fail(source, where, f"expected a string, got {value!r}")
    if len(value) > max_len:
        raise _fail(source, where, f"too long ({len(value)} characters, at most {max_len})")
    return value


def _run(source, i, table) -> RunConfig:
    where = f"runs[{i}]"
    if not isinstance(table, dict):
        raise _fail(source, where, f"expected a table, got {type(table).__name__}")
    if "optimizer" not in table:
        raise _fail(source, f"{where}.optimizer", "missing (e.g. optimizer = \"adam\")")
    key = table["optimizer"]
    if not isinstance(key, str) or key not in OPTIMIZERS:
        raise _fail(source, f"{where}.optimizer",
                    f"unknown optimizer {key!r}; choose one of: {', '.join(OPTIMIZERS)}")
    spec = get_optimizer(key)
    _check_keys(source, where, table, _RUN_KEYS | set(spec.hyper_names))
    hyper = {k: v for k, v in table.items() if k in spec.hyper_names}
    for name, value in hyper.items():
        wanted = (bool,) if spec.hyper_spec(name).kind == "bool" else (int, float)
        if not isinstance(value, wanted) or (wanted != (bool,) and isinstance(value, bool)):
            kind = "true or false" if wanted == (bool,) else "a number"
            raise _fail(source, f"{where}.{name}", f"expected {kind}, got {value!r}")
    try:
        validated = spec.validate(hyper)
    except ValueError as exc:
        raise _fail(source, where, str(exc)) from None
    run = RunConfig(key, {k: validated[k] for k in hyper})
    if "label" in table:
        run.label = _string(source, f"{where}.label", table["label"], 80)
    if "enabled" in table:
        if not isinstance(table["enabled"], bool):
            raise _fail(source, f"{where}.enabled", f"expected true or false, got {table['enabled']!r}")
        run.enabled = table["enabled"]
    if "color" in table:
        color = _string(source, f"{where}.color", table["color"], 9)
        if not (color.startswith("#") and len(color) in (7, 9)
                and all(c in "0123456789abcdefABCDEF" for c in color[1:])):
            raise _fail(source, f"{where}.color", f"expected a colour like \"#1f77b4\", got {color!r}")
        run.color = color
    if "start" in table:
        run.start = _pair(source, f"{where}.start", table["start"])
    return run


def scene_from_dict(data: dict, source: str = "<scene>") -> Scene:
    """Validate parsed TOML and build a Scene; raises SceneError."""
    _check_keys(source, "", data, _TOP_KEYS)
    scene = Scene()
    if "title" in data:
        scene.title = _string(source, "title", data["title"])
    if "description" in data:
        scene.description = _string(source, "description", data["description"], 2000)
    if "problem" not in data:
        raise _fail(source, "problem", "missing section [problem] (with surface = \"...\")")
    problem = data["problem"]
    _check_keys(source, "problem", problem, _PROBLEM_KEYS)
    surface = problem.get("surface")
    if not isinstance(surface, str) or surface not in SURFACES:
        raise _fail(source, "problem.surface",
                    f"unknown surface {surface!r}; choose one of: {', '.join(SURFACES)}")
    scene.surface = surface
    if "noise" in problem:
        scene.noise = _number(source, "problem.noise", problem["noise"], low=0.0, high=1e6)
    if "seed" in problem:
        seed = problem["seed"]
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
            raise _fail(source, "problem.seed", f"expected an integer >= 0, got {seed!r}")
        scene.seed = seed
    if "start" in problem:
        scene.start = _pair(source, "problem.start", problem["start"])
    view = data.get("view", {})
    _check_keys(source, "view", view, _VIEW_KEYS)
    if "xrange" in view:
        scene.xrange = _pair(source, "view.xrange", view["xrange"], increasing=True)
    if "yrange" in view:
        scene.yrange = _pair(source, "view.yrange", view["yrange"], increasing=True)
    if "speed" in view:
        scene.speed = _number(source, "view.speed", view["speed"], low=1.0, high=MAX_SPEED)
    if "step_limit" in view:
        limit = view["step_limit"]
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_STEP_LIMIT:
            raise _fail(source, "view.step_limit",
                        f"expected an integer in [1, {MAX_STEP_LIMIT}], got {limit!r}")
        scene.step_limit = limit
    runs = data.get("runs", [])
    if not isinstance(runs, list):
        raise _fail(source, "runs", "expected a list of [[runs]] tables")
    if len(runs) > MAX_RUNS:
        raise _fail(source, "runs", f"too many runs ({len(runs)}, at most {MAX_RUNS})")
    scene.runs = [_run(source, i, t) for i, t in enumerate(runs)]
    return scene


def loads_scene(text: str, source: str = "<scene>") -> Scene:
    if len(text) > MAX_FILE_BYTES:
        raise _fail(source, "", f"too large ({len(text):,} characters; a scene is at most "
                                f"{MAX_FILE_BYTES:,})")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, "", f"not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses on nested arrays
        raise _fail(source, "", "not valid TOML: nested too deeply") from None
    return scene_from_dict(data, source)


def load_scene(path) -> Scene:
    """Read and validate a scene file. Never executes anything from it."""
    path = Path(path)
    source = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(source, "", f"too large ({size:,} bytes; a scene is at most "
                                    f"{MAX_FILE_BYTES:,})")
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(source, "", f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(source, "", "not a text file (expected UTF-8 TOML)") from None
    return loads_scene(text, source)


def scene_to_dict(scene: Scene) -> dict:
    data: dict = {}
    if scene.title:
        data["title"] = scene.title
    if scene.description:
        data["description"] = scene.description
    problem: dict = {"surface": scene.surface}
    if scene.noise:
        problem["noise"] = scene.noise
    if scene.seed:
        problem["seed"] = scene.seed
    if scene.start is not None:
        problem["start"] = list(scene.start)
    data["problem"] = problem
    view: dict = {"speed": scene.speed}
    if scene.xrange is not None:
        view["xrange"] = list(scene.xrange)
    if scene.yrange is not None:
        view["yrange"] = list(scene.yrange)
    if scene.step_limit is not None:
        view["step_limit"] = scene.step_limit
    data["view"] = view
    runs = []
    for run in scene.runs:
        spec = get_optimizer(run.optimizer)
        table: dict = {"optimizer": run.optimizer}
        if run.label:
            table["label"] = run.label
        if not run.enabled:
            table["enabled"] = False
        if run.color:
            table["color"] = run.color
        if run.start is not None:
            table["start"] = list(run.start)
        for name in spec.hyper_names:
            if name in run.hyper:
                value = run.hyper[name]
                table[name] = bool(value) if spec.hyper_spec(name).kind == "bool" else value
        runs.append(table)
    data["runs"] = runs
    return data


def dumps_scene(scene: Scene) -> str:
    return tomli_w.dumps(scene_to_dict(scene))


def save_scene(scene: Scene, path) -> None:
    """Write atomically: a failed save never leaves half a file behind."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(dumps_scene(scene), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
