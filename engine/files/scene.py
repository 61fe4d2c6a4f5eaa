"""Scenes: a problem, its runs, the start point and the view, as plain data and TOML.

A scene file is data only: it is parsed with ``tomllib`` and every field is checked
against the engine's catalogues before anything uses it. Errors name the file and the
field (``beale.toml: runs[2].lr: Invalid learning rate: lr=-1.0 (allowed: [0, inf))``).
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from ..formula.problem import DEFAULT_DOMAIN
from ..optimizers import OPTIMIZERS, get_optimizer
from ..surface.catalogue import SURFACES
from .atomic_file import write_atomically

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
    start: tuple[float, ...] | None = None
    # Dataset problems only: the batch size (None = the whole training set) and an
    # objective of the run's own (a loss from the table, lasso/ridge penalties).
    batch_size: int | None = None
    loss: str | None = None
    l1: float | None = None
    l2: float | None = None
    # An lr schedule (engine.race.schedules): {"name": "cosine", "T_max": 100, ...}; None = constant
    schedule: dict | None = None


@dataclass
class DataConfig:
    """A dataset problem: data, model and loss (``[problem]`` with ``dataset = ...``)."""

    dataset: str = "moons"
    n_points: int | None = None
    data_noise: float | None = None
    data_seed: int = 0
    test_fraction: float = 0.25
    outliers: float | None = None
    model: str = "mlp"
    hidden: tuple[int, ...] = (16, 16)
    activation: str = "tanh"
    loss: str | None = None
    l1: float = 0.0
    l2: float = 0.0
    csv: str | None = None  # dataset "csv": the file (absolute; saved relative to the scene)
    standardise: bool | None = None  # None: on for a CSV file, off for a generated dataset

    @property
    def standardises(self) -> bool:
        return self.dataset == CSV if self.standardise is None else bool(self.standardise)

    def load_data(self):
        """The dataset (generated, or read from the CSV file); raises ValueError."""
        from ..data import make_dataset
        from ..data.datasets import standardised

        if self.dataset == CSV:
            data = _read_csv(self.csv, self.test_fraction, self.data_seed)
        else:
            options = {"outliers": self.outliers} if self.outliers is not None else {}
            data = make_dataset(self.dataset, self.n_points, self.data_noise, seed=self.data_seed,
                                test_fraction=self.test_fraction, **options)
        return standardised(data) if self.standardises else data

    def build(self, seed: int = 0):
        """The engine's DatasetProblem; raises ValueError for bad values or misfits."""
        from ..data import DatasetProblem, Model

        model = Model(self.model, hidden=tuple(self.hidden), activation=self.activation)
        return DatasetProblem(self.load_data(), model, self.loss, l1=self.l1, l2=self.l2, seed=seed)


CSV = "csv"  # ``dataset = "csv"``: the points come from ``csv = "file.csv"``
_CSV_CACHE: dict[tuple, object] = {}  # the last few files read (a rebuild need not reread)


def _read_csv(path: str | None, test_fraction: float, seed: int):
    from ..data import load_csv

    if not path:
        raise ValueError("no CSV file given (csv = \"data.csv\")")
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise ValueError(f"{p.name}: cannot read the file: {exc.strerror or exc}") from None
    key = (str(p), st.st_mtime_ns, st.st_size, float(test_fraction), int(seed))
    if key not in _CSV_CACHE:
        data = load_csv(p, test_fraction=test_fraction, seed=seed)
        while len(_CSV_CACHE) >= 4:
            _CSV_CACHE.pop(next(iter(_CSV_CACHE)))
        _CSV_CACHE[key] = data
    return _CSV_CACHE[key]


@dataclass
class FormulaConfig:
    """A surface typed as a formula f(x, y) (``[problem]`` with ``formula = "..."``)."""

    text: str = "x**2 + y**2"
    domain: tuple[float, float, float, float] = DEFAULT_DOMAIN

    @property
    def centre(self) -> tuple[float, float]:
        xmin, xmax, ymin, ymax = self.domain
        return (0.5 * (xmin + xmax), 0.5 * (ymin + ymax))

    def build(self, start=None):
        """The engine's FormulaSurface; raises ValueError (engine.FormulaError for the text).

        The last few are kept: typing, checking and loading one formula parses it (and
        searches its minima) once."""
        from .. import FormulaSurface

        start = tuple(float(v) for v in (self.centre if start is None else start))
        key = (self.text, tuple(float(v) for v in self.domain), start)
        if key not in _FORMULA_CACHE:
            surface = FormulaSurface(self.text, domain=key[1], start=start)
            while len(_FORMULA_CACHE) >= 8:
                _FORMULA_CACHE.pop(next(iter(_FORMULA_CACHE)))
            _FORMULA_CACHE[key] = surface
        return _FORMULA_CACHE[key]


_FORMULA_CACHE: dict[tuple, object] = {}


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
    data: DataConfig | None = None  # set: a dataset problem, and ``surface`` is unused
    formula: FormulaConfig | None = None  # set: a typed surface, and ``surface`` is unused

    @property
    def kind(self) -> str:
        """"surface", "formula" or "dataset"."""
        return "dataset" if self.data is not None else "formula" if self.formula else "surface"

    @property
    def start_point(self) -> tuple[float, float]:
        if self.start is not None:
            return self.start
        if self.formula is not None:
            return self.formula.centre
        return tuple(SURFACES[self.surface].start)

    def build_problem(self):
        """A surface key, a FormulaSurface, or a DatasetProblem built from ``data``
        (may raise ValueError)."""
        if self.data is not None:
            return self.data.build(self.seed)
        if self.formula is not None:
            return self.formula.build(self.start_point)
        return self.surface


# ---------------------------------------------------------------------------- parsing
_TOP_KEYS = {"title", "description", "problem", "view", "runs"}
_PROBLEM_KEYS = {"surface", "noise", "seed", "start"}
_DATA_KEYS = {"dataset", "n_points", "data_noise", "data_seed", "test_fraction", "outliers",
              "model", "hidden", "activation", "loss", "l1", "l2", "seed", "start", "standardise"}
_GENERATOR_KEYS = {"n_points", "data_noise", "outliers"}  # not for a CSV file's points
_FORMULA_KEYS = {"formula", "domain", "noise", "seed", "start"}
MAX_FORMULA_CHARS = 500
_DATA_RUN_KEYS = {"batch_size", "loss", "l1", "l2"}
_VIEW_KEYS = {"xrange", "yrange", "speed", "step_limit"}
_RUN_KEYS = {"optimizer", "label", "enabled", "color", "start", "schedule"}


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
        raise _fail(source, where, f"invalid value {value!r} (allowed: {_range_text(low, high)})")
    return value


def _range_text(low: float, high: float) -> str:
    """'a finite number', 'a finite number >= 0' or '[0, 1]': what a number field takes."""
    if math.isinf(low) and math.isinf(high):
        return "a finite number"
    if math.isinf(high):
        return f"a finite number >= {low:g}"
    if math.isinf(low):
        return f"a finite number <= {high:g}"
    return f"[{low:g}, {high:g}]"


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


def _choice(source, where, value, catalogue, what: str) -> str:
    """``value`` if it is a key of ``catalogue``, else a SceneError listing the keys."""
    if not isinstance(value, str) or value not in catalogue:
        raise _fail(source, where, f"unknown {what} {value!r}; choose one of: {', '.join(catalogue)}")
    return value


def _integer(source, where, value, low, high) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(source, where, f"expected an integer in [{low}, {high}], got {value!r}")
    return value


def _data(source, problem: dict, base_dir: Path | None = None) -> DataConfig:
    from ..data import DATASETS, LOSSES, MODELS

    is_csv = problem["dataset"] == CSV
    _check_keys(source, "problem", problem, (_DATA_KEYS - _GENERATOR_KEYS) | {"csv"} if is_csv
                else _DATA_KEYS)
    cfg = DataConfig()
    cfg.dataset = _choice(source, "problem.dataset", problem["dataset"], [*DATASETS, CSV], "dataset")
    if is_csv:
        if "csv" not in problem:
            raise _fail(source, "problem.csv", "missing: the file with the points "
                                               "(e.g. csv = \"data.csv\", relative to the scene)")
        given = Path(_string(source, "problem.csv", problem["csv"], 1000))
        if not given.is_absolute():
            given = (base_dir or Path.cwd()) / given
        cfg.csv = str(given.resolve())
    if "standardise" in problem:
        if not isinstance(problem["standardise"], bool):
            raise _fail(source, "problem.standardise",
                        f"expected true or false, got {problem['standardise']!r}")
        cfg.standardise = problem["standardise"]
    if "n_points" in problem:
        cfg.n_points = _integer(source, "problem.n_points", problem["n_points"], 2, 100_000)
    if "data_noise" in problem:
        cfg.data_noise = _number(source, "problem.data_noise", problem["data_noise"], low=0.0, high=1e3)
    if "data_seed" in problem:
        cfg.data_seed = _integer(source, "problem.data_seed", problem["data_seed"], 0, 2**63 - 1)
    if "test_fraction" in problem:
        cfg.test_fraction = _number(source, "problem.test_fraction", problem["test_fraction"],
                                    low=0.0, high=0.9)
    if "outliers" in problem:
        cfg.outliers = _number(source, "problem.outliers", problem["outliers"], low=0.0, high=0.5)
    if "model" in problem:
        cfg.model = _choice(source, "problem.model", problem["model"], MODELS, "model")
    if "hidden" in problem:
        hidden = problem["hidden"]
        if not isinstance(hidden, list) or not 1 <= len(hidden) <= 8:
            raise _fail(source, "problem.hidden", f"expected 1 to 8 layer sizes like [16, 16], got {hidden!r}")
        cfg.hidden = tuple(_integer(source, f"problem.hidden[{i}]", h, 1, 256)
                           for i, h in enumerate(hidden))
    if "activation" in problem:
        cfg.activation = _string(source, "problem.activation", problem["activation"], 20)
    if "loss" in problem:
        cfg.loss = _choice(source, "problem.loss", problem["loss"], LOSSES, "loss")
    for name in ("l1", "l2"):
        if name in problem:
            setattr(cfg, name, _number(source, f"problem.{name}", problem[name], low=0.0, high=1e3))
    if is_csv:
        try:  # the file's own errors name its line and column
            _read_csv(cfg.csv, cfg.test_fraction, cfg.data_seed)
        except ValueError as exc:
            raise _fail(source, "problem.csv", str(exc)) from None
    return cfg


def _formula(source, problem: dict) -> FormulaConfig:
    _check_keys(source, "problem", problem, _FORMULA_KEYS)
    cfg = FormulaConfig(_string(source, "problem.formula", problem["formula"], MAX_FORMULA_CHARS))
    if "domain" in problem:
        box = problem["domain"]
        if not isinstance(box, list) or len(box) != 4:
            raise _fail(source, "problem.domain",
                        f"expected four numbers [xmin, xmax, ymin, ymax] like [-3, 3, -3, 3], got {box!r}")
        xs = _pair(source, "problem.domain", box[:2], increasing=True)
        ys = _pair(source, "problem.domain", box[2:], increasing=True)
        cfg.domain = (*xs, *ys)
    start = _pair(source, "problem.start", problem["start"]) if "start" in problem else None
    try:
        cfg.build(start)  # parses the text: nothing is evaluated but the formula's own tree
    except ImportError:
        raise _fail(source, "problem.formula", "this version of Descent Lab has no typed formulas") from None
    except ValueError as exc:  # engine.FormulaError names the column
        raise _fail(source, "problem.formula", str(exc)) from None
    return cfg


def _run(source, i, table, data: bool = False) -> RunConfig:
    where = f"runs[{i}]"
    if not isinstance(table, dict):
        raise _fail(source, where, f"expected a table, got {type(table).__name__}")
    if "optimizer" not in table:
        raise _fail(source, f"{where}.optimizer", "missing (e.g. optimizer = \"adam\")")
    key = _choice(source, f"{where}.optimizer", table["optimizer"], OPTIMIZERS, "optimizer")
    spec = get_optimizer(key)
    _check_keys(source, where, table,
                _RUN_KEYS | set(spec.hyper_names) | (_DATA_RUN_KEYS if data else set()))
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
    if "batch_size" in table:
        run.batch_size = _integer(source, f"{where}.batch_size", table["batch_size"], 1, 100_000)
    if "loss" in table:
        run.loss = _string(source, f"{where}.loss", table["loss"], 40)
    for name in ("l1", "l2"):
        if name in table:
            setattr(run, name, _number(source, f"{where}.{name}", table[name], low=0.0, high=1e3))
    if "schedule" in table:
        from ..race.schedules import as_schedule

        sched = table["schedule"]
        if isinstance(sched, str):
            sched = {"name": sched}
        if not isinstance(sched, dict):
            raise _fail(source, f"{where}.schedule",
                        f'expected a table like {{name = "cosine", T_max = 100}}, got {sched!r}')
        try:
            parsed = as_schedule(sched)
        except ValueError as exc:
            raise _fail(source, f"{where}.schedule", str(exc)) from None
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
    _check_keys(source, "", data, _TOP_KEYS)
    scene = Scene()
    if "title" in data:
        scene.title = _string(source, "title", data["title"])
    if "description" in data:
        scene.description = _string(source, "description", data["description"], 2000)
    if "problem" not in data:
        raise _fail(source, "problem", "missing section [problem] (with surface = \"...\")")
    problem = data["problem"]
    if isinstance(problem, dict) and "dataset" in problem and "formula" in problem:
        raise _fail(source, "problem", "give a dataset or a formula, not both")
    if isinstance(problem, dict) and "dataset" in problem:
        scene.data = _data(source, problem, base_dir)
        problem = {k: v for k, v in problem.items() if k in ("seed", "start")}
        problem["surface"] = scene.surface
    elif isinstance(problem, dict) and "formula" in problem:
        scene.formula = _formula(source, problem)
        problem = {k: v for k, v in problem.items() if k in ("seed", "start", "noise")}
        problem["surface"] = scene.surface
    _check_keys(source, "problem", problem, _PROBLEM_KEYS)
    scene.surface = _choice(source, "problem.surface", problem.get("surface"), SURFACES, "surface")
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
    scene.runs = [_run(source, i, t, scene.data is not None) for i, t in enumerate(runs)]
    if scene.data is not None and build:
        _check_data_scene(source, scene)
    return scene


def _check_data_scene(source: str, scene: Scene) -> None:
    """Build the dataset problem once: misfits (a loss the model cannot take, a batch
    larger than the data, a start of the wrong length) are reported here, by field."""
    try:
        problem = scene.build_problem()
    except ValueError as exc:
        raise _fail(source, "problem", str(exc)) from None
    from ..data import get_loss
    from ..data.losses import check_fit

    n_train = len(problem.y)
    if scene.start is not None and len(scene.start) != problem.n_params:
        raise _fail(source, "problem.start",
                    f"the model has {problem.n_params} parameters, the start gives {len(scene.start)}")
    for i, run in enumerate(scene.runs):
        where = f"runs[{i}]"
        if run.batch_size is not None and run.batch_size > n_train:
            raise _fail(source, f"{where}.batch_size",
                        f"Invalid batch_size: {run.batch_size} (allowed: 1 to {n_train}, the training set)")
        if run.loss is not None:
            try:
                check_fit(get_loss(run.loss), problem.dataset.task, problem.network.n_outputs,
                          problem.model.describe())
            except ValueError as exc:
                raise _fail(source, f"{where}.loss", str(exc)) from None


def loads_scene(text: str, source: str = "<scene>", *, build: bool = True,
                base_dir: Path | None = None) -> Scene:
    if len(text) > MAX_FILE_BYTES:
        raise _fail(source, "", f"too large ({len(text):,} characters; a scene is at most "
                                f"{MAX_FILE_BYTES:,})")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, "", f"not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses on nested arrays
        raise _fail(source, "", "not valid TOML: nested too deeply") from None
    return scene_from_dict(data, source, build=build, base_dir=base_dir)


def load_scene(path, *, build: bool = True) -> Scene:
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
    return loads_scene(text, source, build=build, base_dir=path.resolve().parent)


def scene_to_dict(scene: Scene, base_dir: Path | None = None) -> dict:
    """Plain data for TOML; a CSV path is written relative to ``base_dir`` (the folder the
    scene is saved in) when it can be."""
    data: dict = {}
    if scene.title:
        data["title"] = scene.title
    if scene.description:
        data["description"] = scene.description
    if scene.data is not None:
        problem: dict = _data_dict(scene.data, base_dir)
    elif scene.formula is not None:
        problem = {"formula": scene.formula.text, "domain": list(scene.formula.domain)}
    else:
        problem = {"surface": scene.surface}
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
        runs.append(table)
    data["runs"] = runs
    return data


def _data_dict(cfg: DataConfig, base_dir: Path | None = None) -> dict:
    out: dict = {"dataset": cfg.dataset, "model": cfg.model}
    if cfg.dataset == CSV and cfg.csv:
        out["csv"] = _relative(cfg.csv, base_dir)
    if cfg.standardise is not None:
        out["standardise"] = bool(cfg.standardise)
    for name in ("n_points", "data_noise", "outliers", "loss"):
        if getattr(cfg, name) is not None:
            out[name] = getattr(cfg, name)
    if cfg.data_seed:
        out["data_seed"] = cfg.data_seed
    if cfg.test_fraction != 0.25:
        out["test_fraction"] = cfg.test_fraction
    if cfg.model == "mlp":
        out["hidden"] = list(cfg.hidden)
        out["activation"] = cfg.activation
    for name in ("l1", "l2"):
        if getattr(cfg, name):
            out[name] = getattr(cfg, name)
    return out


def _relative(path: str, base_dir: Path | None) -> str:
    """``path`` relative to ``base_dir`` (forward slashes), or as it is if it cannot be."""
    if base_dir is None:
        return Path(path).as_posix()
    try:
        return Path(os.path.relpath(path, Path(base_dir).resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(path).as_posix()


def dumps_scene(scene: Scene, base_dir: Path | None = None) -> str:
    return tomli_w.dumps(scene_to_dict(scene, base_dir))


def save_scene(scene: Scene, path) -> None:
    """Write atomically: a failed save never leaves half a file behind."""
    path = Path(path)
    write_atomically(path, dumps_scene(scene, path.resolve().parent))
