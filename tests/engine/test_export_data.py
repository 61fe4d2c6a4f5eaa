"""engine.files.export_data: the CSV read back (columns, rows, values), the scene beside it, and
failures (no folder, a full disk) that leave nothing behind and keep what was there."""

from __future__ import annotations

import csv
import errno
import math
import os

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.data import DatasetProblem, Model, make_dataset
from descentlab.engine.files import atomic_file
from descentlab.engine.files.export_data import csv_text, export_race, parameter_names, race_for_scene
from descentlab.engine.files.scene import load_scene, loads_scene


def read_rows(text_or_path):
    text = text_or_path.read_text() if hasattr(text_or_path, "read_text") else text_or_path
    return list(csv.DictReader(text.splitlines()))


def number(cell: str) -> float:
    return math.nan if cell == "" else float(cell)


@pytest.fixture(scope="module")
def surface_race():
    race = engine.Race("rosenbrock", noise=0.5, seed=3, history=16)  # thinned: stride > 1
    race.add_run("adam", lr=0.02, label="Adam, fast")  # a comma: the label must be quoted
    race.add_run("sgd", lr=1e-4, momentum=0.9)
    race.advance(100)
    return race


def test_surface_csv_has_one_row_per_recorded_step_with_the_history_values(surface_race):
    race = surface_race
    rows = read_rows(csv_text(race))
    assert list(rows[0]) == ["run_id", "run", "optimizer", "step", "epoch", "x", "y", "loss",
                             "test_loss", "grad_norm"]
    assert len(rows) == int(race.hist.count.sum())
    for r, uid in enumerate(race.run_ids):
        mine = [row for row in rows if row["run_id"] == str(r)]
        k, stride = int(race.hist.count[r]), int(race.hist.stride[r])
        assert stride > 1 and len(mine) == k
        assert {row["run"] for row in mine} == {race.run_info(uid).label}
        assert [int(row["step"]) for row in mine] == list(range(0, k * stride, stride))
        xy = np.array([[float(row["x"]), float(row["y"])] for row in mine])
        assert np.array_equal(xy, race.hist.path[r, :k])  # repr round-trips every bit
        assert np.array_equal([float(row["loss"]) for row in mine], race.hist.loss[r, :k])
        assert all(row["epoch"] == "" and row["test_loss"] == "" for row in mine)
        # the noise-free gradient at the recorded point, though the run used a noisy one
        gx, gy = engine.get_surface("rosenbrock").grad(*xy[-1])
        assert float(mine[-1]["grad_norm"]) == pytest.approx(math.hypot(gx, gy), rel=1e-12)


@pytest.fixture(scope="module")
def dataset_race():
    problem = DatasetProblem("line", "linear", seed=1, eval_every=4)  # NaN rows in the history
    race = engine.Race(problem, seed=2)
    race.add_run("gd", lr=0.05, label="GD")
    race.add_run("sgd", lr=0.02, batch_size=8, label="mini-batch 8")
    race.add_run("sgd", lr=0.01, batch_size=1, loss="l1", label="SGD, L1 loss")
    race.advance(40)
    return race


def test_dataset_csv_names_the_parameters_and_fills_loss_epoch_and_gradient(dataset_race):
    race, problem = dataset_race, dataset_race.problem
    rows = read_rows(csv_text(race))
    assert list(rows[0])[5:] == ["w", "b", "loss", "test_loss", "grad_norm", "batch_grad_norm"]
    assert len(rows) == 3 * 41
    by_run = {r: [row for row in rows if row["run_id"] == str(r)] for r in range(3)}
    for r, uid in enumerate(race.run_ids):
        info = race.run_info(uid)
        theta = np.array([[float(row["w"]), float(row["b"])] for row in by_run[r]])
        per_epoch = problem.steps_per_epoch(info.batch_size)
        assert [float(row["epoch"]) for row in by_run[r]] == [s / per_epoch for s in range(41)]
        loss, gnorm, test = problem.run_losses(theta, info.options)
        assert np.allclose([number(row["loss"]) for row in by_run[r]], loss, rtol=1e-12)
        assert np.allclose([number(row["test_loss"]) for row in by_run[r]], test, rtol=1e-12)
        full = np.linalg.norm(problem.grad(theta), axis=1) if info.options["loss"] == "l2" else gnorm
        assert np.allclose([number(row["grad_norm"]) for row in by_run[r]], full, rtol=1e-12)
        assert np.array_equal([number(row["batch_grad_norm"]) for row in by_run[r]],
                              race.hist.gnorm[r, :41])
    gd, minibatch, l1 = by_run[0], by_run[1], by_run[2]
    assert np.allclose([float(row["loss"]) for row in gd], race.hist.loss[0, :41], rtol=1e-12)
    assert all(row["grad_norm"] == row["batch_grad_norm"] for row in gd)
    assert any(row["grad_norm"] != row["batch_grad_norm"] for row in minibatch)
    assert np.isnan(race.hist.loss[1, :41]).sum() == 30  # evaluated every 4th step only …
    assert all(row["loss"] != "" and row["test_loss"] != "" for row in minibatch)  # … filled in
    # the L1 run's loss column is its own loss, not the problem's L2
    theta = np.array([float(l1[-1]["w"]), float(l1[-1]["b"])])
    assert float(l1[-1]["loss"]) != pytest.approx(problem.loss(theta))


def test_no_test_split_leaves_test_loss_empty_and_a_model_names_every_parameter():
    problem = DatasetProblem(make_dataset("moons", test_fraction=0.0, n_points=40),
                             Model("mlp", hidden=(3,)))
    race = engine.Race(problem)
    race.add_run("adam", lr=0.01, batch_size=10)
    race.advance(5)
    rows = read_rows(csv_text(race))
    names = parameter_names(problem)
    assert len(names) == len(set(names)) == problem.n_params
    assert all(name.isidentifier() for name in names) and names[0] == "W1_0_0"
    assert list(rows[0])[5:5 + problem.n_params] == names
    assert len(rows) == 6 and all(row["test_loss"] == "" and row["loss"] != "" for row in rows)


SCENE = """
title = "two runs"
[problem]
surface = "beale"
[[runs]]
optimizer = "adam"
lr = 0.05
[[runs]]
optimizer = "momentum"
lr = 0.001
label = "Momentum \\"slow\\""
"""


def test_export_writes_the_scene_beside_it_and_the_scene_makes_the_same_csv(tmp_path):
    scene = loads_scene(SCENE)
    race = race_for_scene(scene)
    race.advance(60)
    csv_path, toml_path = export_race(race, scene, tmp_path / "runs.csv")
    assert toml_path == tmp_path / "runs.toml"
    rows = read_rows(csv_path)
    assert len(rows) == 2 * 61 and rows[-1]["run"] == 'Momentum "slow"'
    assert "--steps 60 --export-data runs.csv" in toml_path.read_text()
    again = race_for_scene(load_scene(toml_path))
    again.advance(60)
    assert csv_text(again) == csv_path.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.csv", "runs.toml"]


def test_an_unwritable_place_raises_and_leaves_nothing(tmp_path, surface_race):
    scene = loads_scene(SCENE)
    with pytest.raises(OSError):
        export_race(surface_race, scene, tmp_path / "missing" / "runs.csv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failing_write", [1, 2])  # the CSV's, then the scene's
def test_a_full_disk_leaves_no_half_file_and_keeps_the_old_ones(tmp_path, monkeypatch, surface_race,
                                                                failing_write):
    old_csv, old_toml = tmp_path / "runs.csv", tmp_path / "runs.toml"
    old_csv.write_text("old data\n")
    old_toml.write_text("# old scene\n")
    calls = []
    real_fsync = os.fsync

    def fsync(fd):
        calls.append(fd)
        if len(calls) == failing_write:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(atomic_file.os, "fsync", fsync)
    with pytest.raises(OSError) as info:
        export_race(surface_race, loads_scene(SCENE), old_csv)
    assert info.value.errno == errno.ENOSPC
    assert "No space left on device" in atomic_file.os_error_text(old_csv, info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.csv", "runs.toml"]  # no .tmp
    assert old_csv.read_text() == "old data\n" and old_toml.read_text() == "# old scene\n"
