"""The exported notebook (engine/files/torch_export/notebook_source.py).

Valid nbformat 4 (checked with nbformat, a test extra), markdown between the script's own
code; with torch, its code cells run top to bottom as one script give the engine's paths.
Where nbclient and ipykernel are installed, the notebook itself runs in a kernel.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.files.torch_export import torch_notebook, torch_script, write_torch_notebook
from descentlab.engine.files.torch_export.script_source import script_sections
from descentlab.engine.formula.problem import FormulaSurface
from descentlab.engine.optimizers import get_optimizer
from descentlab.engine.race.race import Race

# Runs before the cells: no matplotlib, so the plot cell must say so instead of failing.
NO_MATPLOTLIB = "import sys\nsys.modules['matplotlib'] = None\n"


def surface_race():
    race = Race("himmelblau")
    race.add_run("gd", (-1.0, -1.0), lr=2e-3)
    race.add_run("nag", (-1.0, -1.0), lr=2e-3, label="NAG, stepped")
    race.add_run("lion", (1.0, 2.0), lr=0.01, schedule={"name": "step", "step_size": 30, "gamma": 0.5})
    race.add_run("momentum", (2.0, -2.0), lr=0.01)
    return race


def dataset_race():
    from descentlab.engine.data.models import Model
    from descentlab.engine.data.problem import DatasetProblem

    race = Race(DatasetProblem("moons", Model("mlp", hidden=(6,)), "log"), seed=3, history=101)
    race.add_run("sgd", batch_size=16, lr=0.05, momentum=0.9, label="SGD 16")
    race.add_run("gd", lr=0.1)
    race.add_run("lion", batch_size=7, lr=1e-3, weight_decay=0.1)
    return race


def formula_race():
    race = Race(FormulaSurface("(1 - x)^2 + 100*(y - x^2)^2", domain=(-3, 3, -3, 3),
                               start=(-1.2, 1.0), minima=[(1.0, 1.0)]))
    race.add_run("adam", lr=0.02)
    return race


def cells(text):
    return json.loads(text)["cells"]


def code_of(text):
    return "\n".join("".join(c["source"]) for c in cells(text) if c["cell_type"] == "code")


def markdown_of(text):
    return "\n".join("".join(c["source"]) for c in cells(text) if c["cell_type"] == "markdown")


@pytest.mark.parametrize("make", [surface_race, dataset_race, formula_race])
def test_the_notebook_is_valid_nbformat_4(make):
    nbformat = pytest.importorskip("nbformat")
    text = torch_notebook(make(), title="A race", steps=40)
    notebook = nbformat.reads(text, as_version=4)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    kinds = [c.cell_type for c in notebook.cells]
    assert kinds[0] == "markdown" and "code" in kinds
    assert all(a != b or a == "code" for a, b in zip(kinds, kinds[1:], strict=False))


def test_markdown_shows_the_problem_and_each_optimizers_update_rule():
    race = surface_race()
    text = markdown_of(torch_notebook(race))
    assert "Himmelblau" in text
    for key in ("gd", "nag", "lion", "momentum"):
        spec = get_optimizer(key)
        assert f"### {spec.name}" in text and spec.equations_html in text, key
    assert text.count("### ") == 4
    assert "NAG, stepped" in text and "step(" in text  # a run's label and its schedule


def test_the_cells_hold_the_scripts_own_code():
    """No second copy of the generator: every part of the script but its command line."""
    race = dataset_race()
    sections = script_sections(race)
    code = code_of(torch_notebook(race))
    for part in (sections.header, sections.problem_source, sections.make_runs, sections.run_loop):
        assert part.strip() in code
        assert part.strip() in torch_script(race)
    assert "argparse.ArgumentParser" not in code
    assert "STEPS = 300" in code


def test_user_text_cannot_become_code_or_markup():
    hostile = 'a """ <script>alert(1)</script> *bold* `x`\nimport os'
    race = Race("bowl")
    race.add_run("gd", label=hostile)
    text = torch_notebook(race, title=hostile)
    md = markdown_of(text)
    assert "<script>" not in md and "*bold*" not in md and "`x`" not in md
    assert "&lt;script&gt;" in md
    code = code_of(text)
    assert repr(hostile) in code and "\nimport os" not in code


def test_what_cannot_be_exported_says_why(tmp_path):
    with pytest.raises(ValueError, match="no runs"):
        write_torch_notebook(Race("bowl"), tmp_path / "race.ipynb")
    assert not list(tmp_path.iterdir())


def run_cells(tmp_path, text, steps):
    """The code cells, top to bottom, as one script with STEPS and SAVE_PATHS set (as a user
    sets them in the race cell): {label: path}, and what it printed."""
    torch = pytest.importorskip("torch")
    assert torch
    code = code_of(text)
    assert code.count("STEPS = 300  #") == 1 and code.count("SAVE_PATHS = None  #") == 1
    code = code.replace("STEPS = 300  #", f"STEPS = {steps}  #").replace(
        "SAVE_PATHS = None  #", "SAVE_PATHS = 'paths.npz'  #")
    script = tmp_path / "cells.py"
    script.write_text(NO_MATPLOTLIB + code)
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with np.load(tmp_path / "paths.npz") as saved:
        return {key: saved[key] for key in saved.files}, done.stdout


def test_the_cells_replay_a_surface_race_bit_for_bit(tmp_path):
    race = surface_race()
    saved, printed = run_cells(tmp_path, torch_notebook(race), 150)
    assert "after 150 steps" in printed  # the leaderboard cell
    assert "matplotlib is not installed" in printed  # the plot cell, without matplotlib
    for uid in race.run_ids:
        info = race.run_info(uid)
        want = engine.trajectory(race.problem, info.optimizer, info.start, 150,
                                 schedule=info.schedule, **info.hyper)
        assert np.array_equal(saved[info.label], want, equal_nan=True), info.label


def test_the_cells_replay_a_race_with_gradient_noise(tmp_path):
    race = Race("rosenbrock", noise=0.5, seed=2)
    race.add_run("adam", (-1.2, 1.0), lr=0.01)
    race.add_run("nag", (-1.2, 1.0), lr=1e-3)
    saved, _ = run_cells(tmp_path, torch_notebook(race), 80)
    race.advance(80)
    for r, uid in enumerate(race.run_ids):
        label = race.run_info(uid).label
        np.testing.assert_allclose(saved[label], race.hist.path[r, :81], rtol=1e-12, err_msg=label)


def test_the_cells_replay_a_dataset_race(tmp_path):
    race = dataset_race()
    saved, _ = run_cells(tmp_path, torch_notebook(race), 100)
    race.advance(100)
    for r, uid in enumerate(race.run_ids):
        label = race.run_info(uid).label
        ours = race.hist.path[r, :101].copy()
        ours[int(race.hist.count[r]):] = np.nan
        np.testing.assert_allclose(saved[label], ours, rtol=1e-9, atol=1e-12 * np.nanmax(np.abs(ours)),
                                   err_msg=label)


def test_the_notebook_runs_in_a_kernel(tmp_path):
    """Only where nbclient and ipykernel are installed (they are not test extras)."""
    pytest.importorskip("torch")
    pytest.importorskip("ipykernel")
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    race = surface_race()
    text = torch_notebook(race, steps=60).replace("SAVE_PATHS = None  #", "SAVE_PATHS = 'paths.npz'  #")
    notebook = nbformat.reads(text, as_version=4)
    nbclient.NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(tmp_path)}}).execute()
    with np.load(tmp_path / "paths.npz") as saved:
        for uid in race.run_ids:
            info = race.run_info(uid)
            want = engine.trajectory(race.problem, info.optimizer, info.start, 60,
                                     schedule=info.schedule, **info.hyper)
            assert np.array_equal(saved[info.label], want, equal_nan=True), info.label
