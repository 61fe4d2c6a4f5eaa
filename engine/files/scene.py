"""Scenes: a problem, its runs, the start point and the view, as plain data and TOML.

A scene file is data only: it is parsed with ``tomllib`` and every field is checked
against the engine's catalogues before anything uses it. Errors name the file and the
field (``beale.toml: runs[2].lr: Invalid learning rate: lr=-1.0 (allowed: [0, inf))``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from ..data.config import CSV, DataConfig  # noqa: F401  (the window imports them from here)
from ..formula.config import DEFAULT_DOMAIN, FormulaConfig  # noqa: F401  (likewise)
from ..optimizers import OPTIMIZERS, get_optimizer
from ..problems.registry import DEFAULT_KIND, KINDS, kind_of
from ..quoted import quoted
from ..race.fans import MAX_REPEATS
from ..surface.catalogue import SURFACES
from ..translatable import LocalText
from .atomic_file import write_atomically
from .scene_fields import SceneError, check_keys, choice, fail, integer, local_text, number, pair, string  # noqa: F401

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_FILE_BYTES = 1_000_000
MAX_RUNS = 64
MAX_SPEED = 1_000_000.0
MAX_STEP_LIMIT = 1_000_000_000


@dataclass
class RunConfig:
    optimizer: str
    hyper: dict[str, float] = field(default_factory=dict)
    label: str | None = None
    enabled: bool = True
    color: str | None = None
    start: tuple[float, ...] | None = None
    # Dataset problems only (their kind's run_keys): the batch size (None = the whole training set) and an
    # objective of the run's own (a loss from the table, lasso/ridge penalties).
    batch_size: int | None = None
    loss: str | None = None
    l1: float | None = None
    l2: float | None = None
    # An lr schedule (engine.race.schedules): {"name": "cosine", "T_max": 100, ...}; None = constant
    schedule: dict | None = None
    # Seeds it is run with (engine.race.fans): N > 1 makes it a seed fan (median and band)
    repeats: int = 1


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
    curvature: bool = False  # the curvature view (View → Curvature, key H) shown
    count_evaluations: bool = False  # loss curves and leaderboard count function evaluations
    # The config of a problem kind other than the surfaces (engine.problems.registry): set,
    # and ``surface`` is unused. One field per kind (its ``config_attr``).
    data: DataConfig | None = None
    formula: FormulaConfig | None = None

    @property
    def kind(self) -> str:
        """The problem kind's name: "surface", "formula" or "dataset"."""
        return kind_of(self).name

    @property
    def start_point(self) -> tuple[float, float]:
        if self.start is not None:
            return self.start
        kind = kind_of(self)
        if kind.centre is not None:
            return kind.centre(getattr(self, kind.config_attr))
        return tuple(SURFACES[self.surface].start)

    def build_problem(self):
        """A surface key, or the problem its kind builds from its config (a FormulaSurface,
        a DatasetProblem; may raise ValueError)."""
        kind = kind_of(self)
        return self.surface if kind.build is None else kind.build(self)


# ---------------------------------------------------------------------------- parsing
_TOP_KEYS = {"title", "description", "problem", "view", "runs"}
_PROBLEM_KEYS = {"surface", "noise", "seed", "start"}
_VIEW_KEYS = {"xrange", "yrange", "speed", "step_limit", "curvature", "count_evaluations"}
_RUN_KEYS = {"optimizer", "label", "enabled", "color", "start", "schedule", "repeats"}


def _run(source, i, table, kind_keys=frozenset()) -> RunConfig:
    where = f"runs[{i}]"
    if not isinstance(table, dict):
        raise fail(source, where, f"expected a table, got {type(table).__name__}")
    if "optimizer" not in table:
        raise fail(source, f"{where}.optimizer", "missing (e.g. optimizer = \"adam\")")
    key = choice(source, f"{where}.optimizer", table["optimizer"], OPTIMIZERS, "optimizer")
    spec = get_optimizer(key)
    check_keys(source, where, table,
                _RUN_KEYS | set(spec.hyper_names) | kind_keys)
    hyper = {k: v for k, v in table.items() if k in spec.hyper_names}
    for name, value in hyper.items():
        wanted = (bool,) if spec.hyper_spec(name).kind == "bool" else (int, float)
        if not isinstance(value, wanted) or (wanted != (bool,) and isinstance(value, bool)):
            kind = "true or false" if wanted == (bool,) else "a number"
            raise fail(source, f"{where}.{name}", f"expected {kind}, got {quoted(value)}")
    try:
        validated = spec.validate(hyper)
    except ValueError as exc:
        raise fail(source, where, str(exc)) from None
    run = RunConfig(key, {k: validated[k] for k in hyper})
    if "label" in table:
        run.label = local_text(source, f"{where}.label", table["label"], 80)
    if "enabled" in table:
        if not isinstance(table["enabled"], bool):
            raise fail(source, f"{where}.enabled", f"expected true or false, got {quoted(table['enabled'])}")
        run.enabled = table["enabled"]
    if "color" in table:
        color = string(source, f"{where}.color", table["color"], 9)
        if not (color.startswith("#") and len(color) in (7, 9)
                and all(c in "0123456789abcdefABCDEF" for c in color[1:])):
            raise fail(source, f"{where}.color", f"expected a colour like \"#1f77b4\", got {quoted(color)}")
        run.color = color
    if "start" in table:
        run.start = pair(source, f"{where}.start", table["start"])
    if "repeats" in table:
        run.repeats = integer(source, f"{where}.repeats", table["repeats"], 1, MAX_REPEATS)
    if "batch_size" in table:
        run.batch_size = integer(source, f"{where}.batch_size", table["batch_size"], 1, 100_000)
    if "loss" in table:
        run.loss = string(source, f"{where}.loss", table["loss"], 40)
    for name in ("l1", "l2"):
        if name in table:
            setattr(run, name, number(source, f"{where}.{name}", table[name], low=0.0, high=1e3))
    if "schedule" in table:
        from ..race.schedules import as_schedule

        sched = table["schedule"]
        if isinstance(sched, str):
            sched = {"name": sched}
        if not isinstance(sched, dict):
            raise fail(source, f"{where}.schedule",
                        f'expected a table like {{name = "cosine", T_max = 100}}, got {quoted(sched)}')
        try:
            parsed = as_schedule(sched)
        except ValueError as exc:
            raise fail(source, f"{where}.schedule", str(exc)) from None
        run.schedule = None if parsed.is_constant else parsed.to_dict()
    return run


def scene_from_dict(data: dict, source: str = "<scene>", *, build: bool = True,
                    base_dir: Path | None = None) -> Scene:
    """Validate parsed TOML and build a Scene; raises SceneError.

    ``build=False`` skips building a dataset problem to find misfits (a loss the model
    cannot take, a batch larger than the data): building one may compile kernels, which
    listing the shipped presets at start-up must not wait for. Loading the scene into a
    race still finds those misfits, as ValueError. ``base_dir``: where a relative
    ``csv = "..."`` path starts (the scene file's folder; default: the working folder).
    """
    check_keys(source, "", data, _TOP_KEYS)
    scene = Scene()
    if "title" in data:
        scene.title = local_text(source, "title", data["title"])
    if "description" in data:
        scene.description = local_text(source, "description", data["description"], 2000)
    if "problem" not in data:
        raise fail(source, "problem", "missing section [problem] (with surface = \"...\")")
    problem = data["problem"]
    kind = DEFAULT_KIND
    given = sorted((k for k in KINDS if k.config_attr is not None and isinstance(problem, dict)
                    and k.scene_key in problem), key=lambda k: k.scene_key)
    if len(given) > 1:
        raise fail(source, "problem", f"give {' or '.join('a ' + k.scene_key for k in given)}, not both")
    if given:  # the kind reads its own keys; the scene keeps the ones every kind shares
        kind = given[0]
        setattr(scene, kind.config_attr, kind.read(source, problem, base_dir))
        problem = {k: v for k, v in problem.items() if k in kind.shared_keys}
        problem["surface"] = scene.surface
    check_keys(source, "problem", problem, _PROBLEM_KEYS)
    scene.surface = choice(source, "problem.surface", problem.get("surface"), SURFACES, "surface")
    if "noise" in problem:
        scene.noise = number(source, "problem.noise", problem["noise"], low=0.0, high=1e6)
    if "seed" in problem:
        seed = problem["seed"]
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
            raise fail(source, "problem.seed", f"expected an integer >= 0, got {quoted(seed)}")
        scene.seed = seed
    if "start" in problem:
        scene.start = pair(source, "problem.start", problem["start"])
    view = data.get("view", {})
    check_keys(source, "view", view, _VIEW_KEYS)
    if "xrange" in view:
        scene.xrange = pair(source, "view.xrange", view["xrange"], increasing=True)
    if "yrange" in view:
        scene.yrange = pair(source, "view.yrange", view["yrange"], increasing=True)
    if "speed" in view:
        scene.speed = number(source, "view.speed", view["speed"], low=1.0, high=MAX_SPEED)
    if "step_limit" in view:
        limit = view["step_limit"]
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_STEP_LIMIT:
            raise fail(source, "view.step_limit",
                        f"expected an integer in [1, {MAX_STEP_LIMIT}], got {quoted(limit)}")
        scene.step_limit = limit
    if "curvature" in view:
        if not isinstance(view["curvature"], bool):
            raise fail(source, "view.curvature", f"expected true or false, got {quoted(view['curvature'])}")
        scene.curvature = view["curvature"]
    if "count_evaluations" in view:
        value = view["count_evaluations"]
        if not isinstance(value, bool):
            raise fail(source, "view.count_evaluations",
                       f"count_evaluations={quoted(value)} (allowed: true or false)")
        scene.count_evaluations = value
    runs = data.get("runs", [])
    if not isinstance(runs, list):
        raise fail(source, "runs", "expected a list of [[runs]] tables")
    if len(runs) > MAX_RUNS:
        raise fail(source, "runs", f"too many runs ({len(runs)}, at most {MAX_RUNS})")
    scene.runs = [_run(source, i, t, kind.run_keys) for i, t in enumerate(runs)]
    if kind.check is not None and build:
        kind.check(source, scene)
    return scene


def loads_scene(text: str, source: str = "<scene>", *, build: bool = True,
                base_dir: Path | None = None) -> Scene:
    if len(text) > MAX_FILE_BYTES:
        raise fail(source, "", f"too large ({len(text):,} characters; a scene is at most "
                                f"{MAX_FILE_BYTES:,})")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise fail(source, "", f"not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses on nested arrays
        raise fail(source, "", "not valid TOML: nested too deeply") from None
    return scene_from_dict(data, source, build=build, base_dir=base_dir)


def load_scene(path, *, build: bool = True) -> Scene:
    """Read and validate a scene file. Never executes anything from it."""
    path = Path(path)
    source = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(source, "", f"too large ({size:,} bytes; a scene is at most "
                                    f"{MAX_FILE_BYTES:,})")
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(source, "", f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise fail(source, "", "not a text file (expected UTF-8 TOML)") from None
    return loads_scene(text, source, build=build, base_dir=path.resolve().parent)


def scene_to_dict(scene: Scene, base_dir: Path | None = None) -> dict:
    """Plain data for TOML; a CSV path is written relative to ``base_dir`` (the folder the
    scene is saved in) when it can be."""
    data: dict = {}
    for key in ("title", "description"):
        text = getattr(scene, key)
        if text:
            data[key] = dict(text.translations) if isinstance(text, LocalText) else str(text)
    kind = kind_of(scene)
    problem: dict = ({"surface": scene.surface} if kind.write is None
                     else kind.write(getattr(scene, kind.config_attr), base_dir))
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
    if scene.curvature:
        view["curvature"] = True
    if scene.count_evaluations:
        view["count_evaluations"] = True
    data["view"] = view
    runs = []
    for run in scene.runs:
        spec = get_optimizer(run.optimizer)
        table: dict = {"optimizer": run.optimizer}
        if run.label:
            table["label"] = dict(run.label.translations) if isinstance(run.label, LocalText) else run.label
        if not run.enabled:
            table["enabled"] = False
        if run.color:
            table["color"] = run.color
        if run.start is not None:
            table["start"] = list(run.start)
        if run.batch_size is not None:
            table["batch_size"] = run.batch_size
        if run.loss is not None:
            table["loss"] = run.loss
        for name in ("l1", "l2"):
            if getattr(run, name) is not None:
                table[name] = getattr(run, name)
        for name in spec.hyper_names:
            if name in run.hyper:
                value = run.hyper[name]
                table[name] = bool(value) if spec.hyper_spec(name).kind == "bool" else value
        if run.schedule and run.schedule.get("name", "constant") != "constant":
            table["schedule"] = dict(run.schedule)
        if run.repeats != 1:
            table["repeats"] = run.repeats
        runs.append(table)
    data["runs"] = runs
    return data


def dumps_scene(scene: Scene, base_dir: Path | None = None) -> str:
    return tomli_w.dumps(scene_to_dict(scene, base_dir))


def save_scene(scene: Scene, path) -> None:
    """Write atomically: a failed save never leaves half a file behind."""
    path = Path(path)
    write_atomically(path, dumps_scene(scene, path.resolve().parent))
