"""The window on a first launch, when child processes compile the kernels (engine.compile.precompile).

The children are stand-ins here (small scripts that report parts, fail or wait): what is
tested is how the window and the worker wait for them and what they do when one fails.
The real children are tested in tests/engine/test_precompile.py.
"""

import sys

import pytest
from gui_helpers import threads_stopper

from descentlab import engine
from descentlab.engine.compile import precompile


@pytest.fixture
def first_launch(monkeypatch, tmp_path):
    """Nothing counts as compiled; children run the given script instead of compiling."""
    monkeypatch.setattr(precompile, "CACHE_DIR", tmp_path)  # stamps go here, not the real cache

    def use(script: str) -> precompile.Precompiler:
        monkeypatch.setattr(precompile, "child_command",
                            lambda parts: [sys.executable, "-c", script, *parts])
        pre = precompile.Precompiler()
        assert pre.needed
        return pre

    return use


@pytest.fixture
def make_window(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from descentlab.gui.control.controller import RaceController
    from descentlab.gui.main_window import MainWindow

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    made = []

    def make(pre):
        controller = RaceController(precompiler=pre)
        win = MainWindow(controller)
        qtbot.addWidget(win)
        win.show()
        controller.start()
        made.append(win)
        return win

    yield make
    for win in made:
        stopped = threads_stopper(win)
        win.close()
        qtbot.waitUntil(stopped, timeout=120_000)


def preset(name):
    from descentlab.gui.support.presets import find_preset

    return find_preset(name).scene


def test_children_that_fail_leave_the_compiling_to_the_worker(first_launch, make_window, qtbot):
    import os
    from pathlib import Path

    log = Path(os.environ["DESCENTLAB_LOG_DIR"]) / "descentlab.log"
    before = log.read_text() if log.exists() else ""
    pre = first_launch("import sys; print('child trouble 42'); sys.exit(1)")
    win = make_window(pre)
    controller = win.controller
    win.apply_scene(preset("beale-classic"))
    qtbot.waitUntil(lambda: controller.is_ready and controller.race is not None,
                    timeout=120_000)
    assert not any(pre.compiled(g) for g in precompile.GROUPS)
    controller.worker.step(5)
    qtbot.waitUntil(lambda: controller.race.step == 5, timeout=10_000)
    assert precompile.is_compiled("race")  # the worker stamped what it compiled itself
    logged = log.read_text()[len(before):]
    assert "'race' kernels did not report" in logged and "child trouble 42" in logged
    # the dataset kernels too are compiled by the worker, not later on the GUI thread
    qtbot.waitUntil(lambda: controller.readiness.loaded("datasets"), timeout=120_000)
    assert "'datasets' kernels did not report" in log.read_text()[len(before):]
    win.apply_scene(preset("xor-mlp"))
    assert not controller.loading and isinstance(controller.race.problem, engine.DatasetProblem)


GATED = """
import os, sys, time
gate = {gate!r}
for part in sys.argv[1:]:
    if part == "objective":  # a part of the dataset kernels
        while not os.path.exists(gate):
            time.sleep(0.01)
    print("compiled", part, flush=True)
"""


def test_a_dataset_scene_waits_for_the_dataset_kernels(first_launch, make_window, qtbot,
                                                        tmp_path):
    gate = tmp_path / "datasets-compiled"
    pre = first_launch(GATED.format(gate=str(gate)))
    win = make_window(pre)
    controller = win.controller
    win.apply_scene(preset("beale-classic"))
    qtbot.waitUntil(lambda: controller.is_ready and controller.race is not None,
                    timeout=120_000)
    win.apply_scene(preset("xor-mlp"))
    assert controller.loading  # waits instead of compiling on this (the GUI) thread
    assert isinstance(controller.race.problem, engine.SurfaceProblem)  # the surface race is still there
    controller.worker.step(3)  # … and still runs meanwhile
    qtbot.waitUntil(lambda: controller.race.step == 3, timeout=10_000)
    qtbot.waitUntil(lambda: "preparing" in win.status.text(), timeout=10_000)
    assert "opens as soon as the dataset kernels are compiled" in win.status.text()
    gate.touch()
    qtbot.waitUntil(lambda: isinstance(controller.race.problem, engine.DatasetProblem), timeout=120_000)
    assert "opens as soon as" not in win.status.text()
    assert not controller.loading
    assert controller.readiness.loaded("datasets")
    assert controller.scene.data.dataset == "xor"


def test_closing_while_children_compile_ends_them(first_launch, make_window, qtbot):
    pre = first_launch("import time; time.sleep(600)")
    win = make_window(pre)
    win.apply_scene(preset("beale-classic"))
    assert win.controller.loading
    qtbot.waitUntil(lambda: len(pre._procs) == 2, timeout=10_000)
    procs = list(pre._procs)
    win.close()
    qtbot.waitUntil(lambda: not win.controller.worker.isRunning(), timeout=5_000)
    assert all(p.poll() is not None for p in procs)


USE_WINDOW = """
import json, os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import numba
from descentlab.gui.app import _application
from descentlab.gui.control.controller import RaceController
from descentlab.gui.main_window import MainWindow
from descentlab.gui.support.presets import find_preset
from descentlab.engine.maps import drawing
from descentlab.engine.race import steps
from descentlab.engine.surface import functions as surface_kernels, race_kernel as kernels
from descentlab.engine.data import kernels as data_kernels
from descentlab.engine.optimizers import dispatch

app = _application()
window = MainWindow(RaceController())  # no worker: everything runs on this thread
window.resize(1000, 700)
window.show()
for name in ("beale-classic", "noisy-bowl", "gd-minibatch-sgd", "xor-mlp"):
    window.apply_scene(find_preset(name).scene)
    window.advance_and_draw(300)
    app.processEvents()
compiled = sorted(
    name for module in (kernels, steps, surface_kernels, drawing, data_kernels, dispatch)
    for name in dir(module)
    if isinstance(getattr(module, name), numba.core.registry.CPUDispatcher)
    and getattr(module, name).stats.cache_misses)
window.panels.map.fields.stop(1000)
window.close()
print(json.dumps(compiled))
"""


@pytest.mark.slow
def test_the_children_compile_everything_the_window_then_uses(tmp_path):
    """A first launch's children leave nothing for the app to compile: surfaces, their
    fields, a noisy race, a 2-parameter loss map, an MLP's random plane, the drawing."""
    import json
    import os
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, DESCENTLAB_CACHE_DIR=str(tmp_path), PYTHONPATH=str(root))
    env.pop(precompile.EXACT_ENV_VAR, None)
    fill = "from descentlab.engine.compile import precompile; precompile.compile_all()"
    for code in (fill, USE_WINDOW):
        out = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, text=True,
                             capture_output=True, timeout=600)
        assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


GATED_RACE = """
import os, sys, time
gate = {gate!r}
for part in sys.argv[1:]:
    if part == "surface-race":
        while not os.path.exists(gate):
            time.sleep(0.01)
    print("compiled", part, flush=True)
"""


def test_space_pressed_while_compiling_starts_the_race_when_ready(first_launch, make_window, qtbot,
                                                                  tmp_path):
    gate = tmp_path / "race-compiled"
    win = make_window(first_launch(GATED_RACE.format(gate=str(gate))))
    controller = win.controller
    win.apply_scene(preset("beale-classic"))
    win.transport.play_action.trigger()  # Space, while the race kernel is still "compiling"
    assert not controller.is_ready
    assert controller.waiting_to_play
    assert "starts as soon as the engine is ready" in win.status.text()
    assert win.transport.play_action.text() == "❚❚ Pause"
    gate.touch()
    qtbot.waitUntil(lambda: controller.race is not None and controller.race.step > 0, timeout=120_000)
    assert controller.playing and not controller.waiting_to_play


def test_pausing_before_ready_forgets_the_wish(first_launch, make_window, qtbot, tmp_path):
    gate = tmp_path / "race-compiled"
    win = make_window(first_launch(GATED_RACE.format(gate=str(gate))))
    controller = win.controller
    win.apply_scene(preset("beale-classic"))
    win.transport.play_action.trigger()
    assert controller.waiting_to_play
    win.transport.play_action.trigger()  # changed its mind
    assert not controller.waiting_to_play
    gate.touch()
    qtbot.waitUntil(lambda: controller.is_ready and controller.race is not None, timeout=120_000)
    assert not controller.playing and controller.race.step == 0
