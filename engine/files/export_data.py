"""A race's recorded steps as a CSV file, with the scene that made them beside it.

One row per recorded step per run (what the race's history holds: every step, or its first
steps and every 2nd, 4th … after them once a long race has thinned it; see
:mod:`engine.race`)::

    run_id, run, optimizer, step, epoch, <θ columns>, loss, test_loss, grad_norm[, batch_grad_norm]

- ``run_id``: the run's place in the race (0, 1, …); ``run``: its label.
- ``epoch``: dataset problems only, step ÷ steps per epoch (0.5 = half way through the
  first pass over the training set); empty for surfaces.
- θ columns: ``x, y`` for a surface; for a model its parameters' names (``w, b`` for a
  line; ``W1_j_i`` for the weight from input i to unit j of layer 1, ``b1_j`` …); else
  ``theta_0, theta_1, …``.
- ``loss``: the training loss (for a dataset the full training objective of the run's own
  loss and penalties, computed at the recorded θ where the race evaluated only a
  mini-batch); ``test_loss``: the held-out loss, empty without a test split.
- ``grad_norm``: the norm of the full gradient at the recorded θ (for a dataset the
  full-batch training gradient, computed from the problem; noise-free on a noisy
  surface). Datasets add ``batch_grad_norm``: the norm of the mini-batch gradient the
  next step used (as recorded; equal to ``grad_norm`` for GD).

The file is plain CSV (no comment lines), so ``pandas.read_csv(path)`` reads it as it is.
Both files are written atomically.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..race.race import Race
from ..race.state import head_rows, row_steps
from .atomic_file import write_all_atomically

FIXED_BEFORE = ("run_id", "run", "optimizer", "step", "epoch")
FIXED_AFTER = ("loss", "test_loss", "grad_norm")


@dataclass
class RunTable:
    """One run's recorded rows, ready to write."""

    run_id: int
    label: str
    optimizer: str
    steps: np.ndarray  # (k,) int64
    epochs: np.ndarray | None  # (k,) or None (surfaces)
    theta: np.ndarray  # (k, P)
    loss: np.ndarray  # (k,)
    test_loss: np.ndarray | None  # (k,) or None (no test split)
    grad_norm: np.ndarray  # (k,): the full gradient's norm
    batch_grad_norm: np.ndarray | None  # (k,): datasets only


def parameter_names(problem) -> list[str]:
    """Column names for θ: x, y (surfaces), the model's parameter names, or theta_i."""
    network = getattr(problem, "network", None)
    if network is not None:
        names = [re.sub(r"\W+", "_", name).strip("_") for name in network.parameter_names()]
        if len(set(names)) == len(names) == problem.n_params:
            return names
    if problem.n_params == 2 and network is None:
        return ["x", "y"]
    return [f"theta_{i}" for i in range(problem.n_params)]


def _is_dataset(problem) -> bool:
    return hasattr(problem, "run_losses")


@dataclass
class RaceRecord:
    """Copies of what a race has recorded: cheap to take (under the lock of the thread
    that steps the race), everything else is computed from it afterwards."""

    problem: object
    step: int
    runs: list  # (RunInfo, θ rows, recorded losses, recorded gradient norms, row steps)


def race_record(race: Race) -> RaceRecord:
    hist = race.hist
    runs = []
    for uid in race.run_ids:
        r = race.rows_of(uid)[0]  # a seed fan (engine.race.fans): its repeat 0
        k = int(hist.count[r])
        runs.append((copy.deepcopy(race.run_info(uid)), hist.path[r, :k].copy(),
                     hist.loss[r, :k].copy(), hist.gnorm[r, :k].copy(),
                     row_steps(k, int(hist.stride[r]), head_rows(race.history))))
    return RaceRecord(race.problem, race.step, runs)


def _record(race) -> RaceRecord:
    return race if isinstance(race, RaceRecord) else race_record(race)


def run_tables(race: Race | RaceRecord) -> list[RunTable]:
    """Every run's recorded rows (see the module's notes for what each column holds)."""
    record = _record(race)
    problem = record.problem
    dataset = _is_dataset(problem)
    with_test = dataset and getattr(problem, "n_test", 0) > 0
    out = []
    for r, (info, theta, recorded_loss, recorded_gnorm, steps) in enumerate(record.runs):
        if dataset:
            loss, gnorm, test = problem.run_losses(theta, info.options)
            epochs = steps / problem.steps_per_epoch(info.batch_size)
            table = RunTable(r, info.label, info.optimizer, steps, epochs, theta, loss,
                             test if with_test else None, gnorm, recorded_gnorm)
        else:
            table = RunTable(r, info.label, info.optimizer, steps, None, theta, recorded_loss,
                             None, recorded_gnorm, None)
        out.append(table)
    return out


def header(race: Race | RaceRecord) -> list[str]:
    extra = ("batch_grad_norm",) if _is_dataset(race.problem) else ()
    return [*FIXED_BEFORE, *parameter_names(race.problem), *FIXED_AFTER, *extra]


def _cell(value: float) -> str:
    return "" if value != value else repr(value)  # NaN: an empty cell; repr: round-trips


def csv_text(race: Race | RaceRecord) -> str:
    """The whole CSV file as text."""
    record = _record(race)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header(record))
    for t in run_tables(record):
        numbers = [t.theta, t.loss[:, None],
                   (t.test_loss if t.test_loss is not None else np.full(len(t.loss), np.nan))[:, None],
                   t.grad_norm[:, None]]
        if t.batch_grad_norm is not None:
            numbers.append(t.batch_grad_norm[:, None])
        values = np.hstack(numbers).tolist()
        epochs = [""] * len(t.steps) if t.epochs is None else [_cell(e) for e in t.epochs.tolist()]
        for step, epoch, row in zip(t.steps.tolist(), epochs, values, strict=True):
            writer.writerow([t.run_id, t.label, t.optimizer, step, epoch, *map(_cell, row)])
    return out.getvalue()


def scene_path_for(csv_path) -> Path:
    """The scene file written beside ``runs.csv``: ``runs.toml``."""
    return Path(csv_path).with_suffix(".toml")


def scene_text(scene, csv_path, steps: int) -> str:
    """The scene as TOML, with a comment saying how to make the CSV again."""
    from .scene import dumps_scene

    csv_path = Path(csv_path)
    toml = scene_path_for(csv_path)
    comment = (f"# The scene behind {csv_path.name} ({steps:,} steps). Make it again with\n"
               f"#     descentlab --scene {toml.name} --steps {steps} --export-data {csv_path.name}\n")
    return comment + dumps_scene(scene, csv_path.resolve().parent)


def export_race(race: Race | RaceRecord, scene, csv_path) -> tuple[Path, Path]:
    """Write ``race``'s recorded steps (or a :class:`RaceRecord` of them) to ``csv_path``
    and ``scene`` beside it (same name, .toml). Both are written in full to temporary
    files before either is renamed into place; raises OSError (nothing left behind, old
    files kept) if writing fails."""
    csv_path = Path(csv_path)
    toml_path = scene_path_for(csv_path)
    if toml_path == csv_path:
        raise ValueError(f"{csv_path}: the data file must not be a .toml file")
    record = _record(race)
    write_all_atomically({csv_path: csv_text(record), toml_path: scene_text(scene, csv_path, record.step)})
    return csv_path, toml_path


def race_for_scene(scene) -> Race:
    """The race a scene describes, built as the app builds it (its runs added, step 0)."""
    problem = scene.build_problem()
    if scene.data is None:
        race = Race(problem, noise=scene.noise, seed=scene.seed)
        start = scene.start_point
    else:
        race = Race(problem, seed=scene.seed, history=problem.history_hint)
        start = scene.start if scene.start is not None else race.problem.default_start
    for cfg in scene.runs:
        race.add_run(cfg.optimizer, cfg.start if cfg.start is not None else start, label=cfg.label,
                     batch_size=cfg.batch_size, loss=cfg.loss, l1=cfg.l1, l2=cfg.l2,
                     schedule=cfg.schedule, repeats=cfg.repeats, **cfg.hyper)
    return race
