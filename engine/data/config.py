"""A dataset problem as scene data: ``[problem]`` with ``dataset = ...`` (engine.files.scene).

:class:`DataConfig` holds the fields, :func:`read_data` checks a scene file's table,
:func:`data_dict` writes one, :func:`check_data_scene` builds the problem once to report
misfits by field. The dataset kind (:mod:`.kind`) hands these to the scene.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..files.scene_fields import check_keys, choice, fail, integer, number, string
from ..quoted import quoted

PROBLEM_KEYS = {"dataset", "n_points", "data_noise", "data_seed", "test_fraction", "outliers",
                "model", "hidden", "activation", "loss", "l1", "l2", "seed", "start", "standardise"}
GENERATOR_KEYS = {"n_points", "data_noise", "outliers"}  # not for a CSV file's points
RUN_KEYS = {"batch_size", "loss", "l1", "l2"}  # a run's own batch and objective


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
        from . import make_dataset
        from .datasets import standardised

        if self.dataset == CSV:
            data = _read_csv(self.csv, self.test_fraction, self.data_seed)
        else:
            options = {"outliers": self.outliers} if self.outliers is not None else {}
            data = make_dataset(self.dataset, self.n_points, self.data_noise, seed=self.data_seed,
                                test_fraction=self.test_fraction, **options)
        return standardised(data) if self.standardises else data

    def build(self, seed: int = 0):
        """The engine's DatasetProblem; raises ValueError for bad values or misfits."""
        from . import DatasetProblem, Model

        model = Model(self.model, hidden=tuple(self.hidden), activation=self.activation)
        return DatasetProblem(self.load_data(), model, self.loss, l1=self.l1, l2=self.l2, seed=seed)


CSV = "csv"  # ``dataset = "csv"``: the points come from ``csv = "file.csv"``
_CSV_CACHE: dict[tuple, object] = {}  # the last few files read (a rebuild need not reread)


def _read_csv(path: str | None, test_fraction: float, seed: int):
    from . import load_csv

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


def read_data(source, problem: dict, base_dir: Path | None = None) -> DataConfig:
    """The ``[problem]`` table of a dataset scene (``dataset = ...``), checked field by field."""
    from . import DATASETS, LOSSES, MODELS

    is_csv = problem["dataset"] == CSV
    check_keys(source, "problem", problem, (PROBLEM_KEYS - GENERATOR_KEYS) | {"csv"} if is_csv
                else PROBLEM_KEYS)
    cfg = DataConfig()
    cfg.dataset = choice(source, "problem.dataset", problem["dataset"], [*DATASETS, CSV], "dataset")
    if is_csv:
        if "csv" not in problem:
            raise fail(source, "problem.csv", "missing: the file with the points "
                                               "(e.g. csv = \"data.csv\", relative to the scene)")
        given = Path(string(source, "problem.csv", problem["csv"], 1000))
        if not given.is_absolute():
            given = (base_dir or Path.cwd()) / given
        cfg.csv = str(given.resolve())
    if "standardise" in problem:
        if not isinstance(problem["standardise"], bool):
            raise fail(source, "problem.standardise",
                        f"expected true or false, got {quoted(problem['standardise'])}")
        cfg.standardise = problem["standardise"]
    if "n_points" in problem:
        cfg.n_points = integer(source, "problem.n_points", problem["n_points"], 2, 100_000)
    if "data_noise" in problem:
        cfg.data_noise = number(source, "problem.data_noise", problem["data_noise"], low=0.0, high=1e3)
    if "data_seed" in problem:
        cfg.data_seed = integer(source, "problem.data_seed", problem["data_seed"], 0, 2**63 - 1)
    if "test_fraction" in problem:
        cfg.test_fraction = number(source, "problem.test_fraction", problem["test_fraction"],
                                    low=0.0, high=0.9)
    if "outliers" in problem:
        cfg.outliers = number(source, "problem.outliers", problem["outliers"], low=0.0, high=0.5)
    if "model" in problem:
        cfg.model = choice(source, "problem.model", problem["model"], MODELS, "model")
    if "hidden" in problem:
        hidden = problem["hidden"]
        if not isinstance(hidden, list) or not 1 <= len(hidden) <= 8:
            raise fail(source, "problem.hidden", f"expected 1 to 8 layer sizes like [16, 16], got {quoted(hidden)}")
        cfg.hidden = tuple(integer(source, f"problem.hidden[{i}]", h, 1, 256)
                           for i, h in enumerate(hidden))
    if "activation" in problem:
        cfg.activation = string(source, "problem.activation", problem["activation"], 20)
    if "loss" in problem:
        cfg.loss = choice(source, "problem.loss", problem["loss"], LOSSES, "loss")
    for name in ("l1", "l2"):
        if name in problem:
            setattr(cfg, name, number(source, f"problem.{name}", problem[name], low=0.0, high=1e3))
    if is_csv:
        try:  # the file's own errors name its line and column
            _read_csv(cfg.csv, cfg.test_fraction, cfg.data_seed)
        except ValueError as exc:
            raise fail(source, "problem.csv", str(exc)) from None
    return cfg


def check_data_scene(source: str, scene) -> None:
    """Build the dataset problem once: misfits (a loss the model cannot take, a batch
    larger than the data, a start of the wrong length) are reported here, by field."""
    try:
        problem = scene.build_problem()
    except ValueError as exc:
        raise fail(source, "problem", str(exc)) from None
    from . import get_loss
    from .losses import check_fit

    n_train = len(problem.y)
    if scene.start is not None and len(scene.start) != problem.n_params:
        raise fail(source, "problem.start",
                    f"the model has {problem.n_params} parameters, the start gives {len(scene.start)}")
    for i, run in enumerate(scene.runs):
        where = f"runs[{i}]"
        if run.batch_size is not None and run.batch_size > n_train:
            raise fail(source, f"{where}.batch_size",
                        f"Invalid batch_size: {run.batch_size} (allowed: 1 to {n_train}, the training set)")
        if run.loss is not None:
            try:
                check_fit(get_loss(run.loss), problem.dataset.task, problem.network.n_outputs,
                          problem.model.describe())
            except ValueError as exc:
                raise fail(source, f"{where}.loss", str(exc)) from None


def data_dict(cfg: DataConfig, base_dir: Path | None = None) -> dict:
    """The ``[problem]`` table of a dataset scene; a CSV path relative to ``base_dir``."""
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


def fit_runs(scene, problem) -> None:
    """A scene's runs made to fit its new dataset problem: a run's own loss the model cannot
    take falls back to the problem's, a batch larger than the training set shrinks to it,
    and a start of the wrong size goes."""
    fitting = set(problem.losses_that_fit())
    for run in scene.runs:
        if run.loss is not None and run.loss not in fitting:
            run.loss = None
        if run.batch_size is not None:
            run.batch_size = min(run.batch_size, len(problem.y))
    if scene.start is not None and len(scene.start) != problem.n_params:
        scene.start = None
