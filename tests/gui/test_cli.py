"""The command line, run as a user would run it: in a fresh process."""

import subprocess
import sys

import numpy as np
import pytest
from gui_helpers import qimage_to_array
from PySide6.QtGui import QImage

from descentlab.gui.support.presets import list_presets


def descentlab(*args, cwd=None):
    env_code = "import sys; from descentlab.gui.app import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", env_code, *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def image_pixels(path):
    return qimage_to_array(QImage(str(path)))


def test_snapshot_writes_a_real_picture(tmp_path, qapp):
    out = tmp_path / "race.png"
    result = descentlab("--preset", "beale-classic", "--snapshot", str(out), "--steps", "200",
                        "--size", "1000x700")
    assert result.returncode == 0, result.stderr
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1000, 700)
    pixels = image_pixels(out)
    assert pixels.std() > 20
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 500  # a picture, not a blank


def test_version():
    from descentlab.engine import __version__

    result = descentlab("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"Descent Lab {__version__}"


BAD_OPTIONS = [
    (["--preset", "no-such-preset"], "unknown preset 'no-such-preset'"),
    (["--scene", "/nonexistent/scene.toml"], "scene.toml: cannot read"),
    (["--snapshot", "/nonexistent-dir/x.png"], "cannot write there"),
    (["--snapshot", "out.jpg"], "must be a .png"),
    (["--steps", "many", "--snapshot", "x.png"], "expected a whole number"),
    (["--size", "huge", "--snapshot", "x.png"], "expected WIDTHxHEIGHT"),
    (["--export-data", "/nonexistent-dir/runs.csv"], "cannot write there"),
    (["--export-data", "runs.txt"], "must be a .csv file"),
    (["--export-data", "/nonexistent-dir/runs.csv", "--snapshot", "x.png"], "cannot write there"),
    (["--export-torch", "/nonexistent-dir/race.py"], "cannot write there"),
    (["--export-torch", "race.txt"], "the PyTorch script must be a .py file"),
    (["--export-torch", "race.py", "--snapshot", "x.png"], "--export-torch and --snapshot: one at a time"),
    (["--export-notebook", "/nonexistent-dir/race.ipynb"], "cannot write there"),
    (["--export-notebook", "race.py"], "the notebook must be a .ipynb file"),
    (["--export-notebook", "r.ipynb", "--export-torch", "r.py"], "--export-torch and --export-notebook: one at a time"),
    (["--export-notebook", "race.ipynb", "--record", "x.mp4"], "--export-notebook and --record: one at a time"),
]

# The bad options above, each in a folder of its own, one after the other in one fresh process
# (a process per case cost a second of CPU each, importing Qt and the engine): each call's exit
# code as a process would have it, and what it wrote to stderr (a traceback included).
BATCH_SCRIPT = """
import contextlib, io, json, os, sys, traceback
from descentlab.gui.app import main

def exit_code(code, err):
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=err)  # as sys.exit("text") does
    return 1

out = []
for folder, args in json.loads(sys.stdin.read()):
    os.chdir(folder)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = exit_code(main(args), err)
        except SystemExit as exc:
            code = exit_code(exc.code, err)
        except BaseException:
            traceback.print_exc()
            code = 1
    out.append({"returncode": code, "stderr": err.getvalue()})
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def bad_option_results(tmp_path_factory):
    import json

    folders = [tmp_path_factory.mktemp("bad-option") for _ in BAD_OPTIONS]
    todo = [(str(folder), args) for folder, (args, _) in zip(folders, BAD_OPTIONS, strict=True)]
    result = subprocess.run([sys.executable, "-c", BATCH_SCRIPT], input=json.dumps(todo),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    return {i: (folder, answer) for i, (folder, answer) in enumerate(zip(folders, answers, strict=True))}


@pytest.mark.parametrize("case", range(len(BAD_OPTIONS)),
                         ids=[" ".join(args) for args, _ in BAD_OPTIONS])
def test_bad_options_give_one_line_and_a_nonzero_exit(bad_option_results, case):
    _, fragment = BAD_OPTIONS[case]
    tmp_path, result = bad_option_results[case]
    assert result["returncode"] != 0
    assert fragment in result["stderr"]
    assert "Traceback" not in result["stderr"]
    assert not list(tmp_path.glob("*.png"))
    assert not list(tmp_path.iterdir())


def test_snapshot_as_svg_and_the_data_in_one_call(tmp_path):
    import csv
    import xml.etree.ElementTree as ET

    from descentlab.engine.files.scene import load_scene

    result = descentlab("--preset", "saddle", "--steps", "40", "--size", "1000x700",
                        "--snapshot", "race.svg", "--export-data", "runs.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race.svg", "runs.csv", "runs.toml"]
    root = ET.parse(tmp_path / "race.svg").getroot()
    assert root.get("viewBox") == "0 0 1000 700"
    assert len(root.findall(".//{http://www.w3.org/2000/svg}polyline")) > 50
    assert len(root.findall(".//{http://www.w3.org/2000/svg}text")) > 20
    scene = load_scene(tmp_path / "runs.toml")
    with (tmp_path / "runs.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 41 * len(scene.runs)  # no thinning yet: steps 0 … 40 of every run
    assert max(int(r["step"]) for r in rows) == 40


def test_every_preset_is_listed_and_valid():
    from pathlib import Path

    from descentlab.engine.files.scene import load_scene
    from descentlab.gui.support.resources import presets_dir

    files = sorted(Path(presets_dir()).glob("*.toml"))
    assert len(list_presets()) == len(files) >= 1
    for path in files:  # fully, dataset problems built: no misfit hides in a preset
        load_scene(path, build=True)


REGRESSION_SCRIPT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication
app = QApplication([])
w = pg.PlotWidget()
items = [w.plot(pen=pg.mkPen(i, width=2)) for i in range(8)]
for k in range(5):
    for i, item in enumerate(items):
        item.setData(np.arange(100.0), np.random.default_rng(i).standard_normal(100))
w.show()
app.processEvents()
w.grab()
print("alive")
"""


def test_plot_items_updated_before_the_first_paint_do_not_abort():
    """PySide6 6.12.0 + pyqtgraph aborts here ("Fatal Python error: none_dealloc"); the pin
    in pyproject.toml keeps it out. This test fails if a crashing combination comes back."""
    result = subprocess.run([sys.executable, "-c", REGRESSION_SCRIPT], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "alive"


def test_a_scene_with_a_broken_csv_is_refused_in_one_line(tmp_path):
    (tmp_path / "bad.csv").write_text("height,weight,label\n170,60,a\n180,oops,b\n")
    (tmp_path / "own.toml").write_text('[problem]\ndataset = "csv"\ncsv = "bad.csv"\n')
    (tmp_path / "gone.toml").write_text('[problem]\ndataset = "csv"\ncsv = "data/gone.csv"\n')
    for scene, message in (("own.toml", "own.toml: problem.csv: bad.csv, line 3, column 'weight': "
                                        "'oops' is not a number"),
                           ("gone.toml", "gone.toml: problem.csv: gone.csv: cannot read the file")):
        result = descentlab("--scene", str(tmp_path / scene), "--snapshot", str(tmp_path / "x.png"))
        assert result.returncode == 2
        assert result.stderr.startswith(f"descentlab: {message}")
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.png"))


def test_export_torch_writes_a_script_that_replays_the_preset(tmp_path):
    """``--export-torch`` needs no window; the script's paths are the engine's (GD, SGD, NAG and
    Momentum bit for bit; the optimizers with a root to MKL's sqrt, see test_torch_export)."""
    pytest.importorskip("torch")
    from descentlab import engine
    from descentlab.engine.files.export_data import race_for_scene
    from descentlab.gui.support.presets import find_preset

    result = descentlab("--preset", "beale-classic", "--export-torch", "race.py", "--steps", "80",
                        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["race.py"]
    run = subprocess.run([sys.executable, "race.py", "--save", "paths.npz"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "after 80 steps" in run.stdout  # --steps became the script's default
    race = race_for_scene(find_preset("beale-classic").scene)
    with np.load(tmp_path / "paths.npz") as saved:
        assert sorted(saved.files) == sorted(race.run_info(u).label for u in race.run_ids)
        for uid in race.run_ids:
            info = race.run_info(uid)
            want = engine.trajectory(race.problem, info.optimizer, info.start, 80,
                                     schedule=info.schedule, **info.hyper)
            if info.optimizer in ("gd", "sgd", "nag", "momentum"):
                assert np.array_equal(saved[info.label], want), info.label
            else:
                np.testing.assert_allclose(saved[info.label], want, rtol=1e-10, err_msg=info.label)


def test_export_notebook_writes_the_preset_as_a_notebook(tmp_path):
    """``--export-notebook`` needs no window (nor torch); --steps is the race cell's STEPS, and
    every optimizer of the preset has its update rule in a markdown cell."""
    import json

    from descentlab.engine.files.export_data import race_for_scene
    from descentlab.engine.optimizers import get_optimizer
    from descentlab.gui.support.presets import find_preset

    result = descentlab("--preset", "beale-classic", "--export-notebook", "race.ipynb", "--steps", "80",
                        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["race.ipynb"]
    notebook = json.loads((tmp_path / "race.ipynb").read_text())
    assert notebook["nbformat"] == 4
    code = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    markdown = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert "STEPS = 80  #" in code
    race = race_for_scene(find_preset("beale-classic").scene)
    for uid in race.run_ids:
        assert get_optimizer(race.run_info(uid).optimizer).equations_html in markdown


def test_a_noisy_scene_exports_with_its_noise(tmp_path):
    """Gradient noise is exported (the app's own random stream), script and notebook alike."""
    for target in ("race.py", "race.ipynb"):
        option = "--export-torch" if target.endswith(".py") else "--export-notebook"
        result = descentlab("--preset", "noisy-bowl", option, target, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        text = (tmp_path / target).read_text(encoding="utf-8")
        assert "GradientNoise(NOISE, NOISE_STATE)" in text and "class GradientNoise" in text


@pytest.mark.parametrize(("extra", "last"), [((), 14), (("--steps", "20"), 20)])
def test_a_scene_with_a_step_limit_is_drawn_where_its_race_stops(tmp_path, extra, last):
    """Without --steps, a scene that stops at step 14 (the curvature saddle) is drawn and
    exported at step 14, as the window shows it, not raced on to 300; --steps still rules."""
    from descentlab.gui.app import main

    out = tmp_path / "runs.csv"
    assert main(["--preset", "curvature-saddle", "--export-data", str(out), *extra]) == 0
    steps = np.loadtxt(out, delimiter=",", skiprows=1, usecols=3)  # run_id, run, optimizer, step, …
    assert steps.max() == last
