"""The map of a model with many parameters: the plane of the runs' paths, refitted; other planes."""

import numpy as np
import pytest

from descentlab.engine.data.config import DataConfig
from descentlab.engine.files.scene import RunConfig, Scene
from descentlab.engine.maps.fields import FieldRequest
from descentlab.gui.map import plane_fit
from descentlab.gui.map.field_thread import FieldThread
from descentlab.gui.map.map_frames import FittedPlaneFrame, RandomPlaneFrame


def _load(win, qtbot):
    c = win.controller
    scene = Scene(data=DataConfig("moons", n_points=60, model="mlp", hidden=(4,)),
                  runs=[RunConfig("adam", {"lr": 0.05}, label="Adam"),
                        RunConfig("sgd", {"lr": 0.2}, label="SGD")])
    win.apply_scene(scene)
    qtbot.waitUntil(lambda: c.race is not None and c.is_dataset and len(c.race.run_ids) == 2, timeout=60_000)
    return c


def test_the_map_shows_the_plane_the_paths_live_in(window, qtbot):
    c = _load(window, qtbot)
    m = window.panels.map
    assert isinstance(c.map_frame, FittedPlaneFrame) and c.map_frame.fit is None
    assert "slice" in m.note.toPlainText()  # nothing has moved yet
    snap = window.advance_and_draw(30)
    frame = c.map_frame
    assert frame.fit is not None and frame.step == 30
    note = m.note.toPlainText().replace("\u00a0", " ")  # (the number and % never break apart)
    assert f"holds {100 * frame.fit.explained:.0f} % of the movement" in note and "refitted at step 30" in note
    assert m.plotItem.getAxis("bottom").labelText.startswith("a (direction 1")
    for run in snap.runs:  # each path drawn in the plane: its coordinates there
        drawn = m._paths[run.uid]
        a, b = frame.fit.to_plane(run.path)
        np.testing.assert_allclose(drawn.xData, a, atol=1e-12)
        np.testing.assert_allclose(drawn.yData, b, atol=1e-12)
        assert drawn.xData[0] == 0.0 and drawn.yData[0] == 0.0  # the common start is the origin
    assert tuple(m.start_marker.pos()) == (0.0, 0.0)
    (x0, x1), (y0, y1) = m.visible_region()
    xmin, xmax, ymin, ymax = frame.domain
    assert x0 <= xmin and x1 >= xmax and y0 <= ymin and y1 >= ymax  # the paths' window is shown


def test_the_plane_is_refitted_off_the_gui_thread_as_the_race_goes(window, qtbot, monkeypatch):
    c = _load(window, qtbot)
    window.timer.stop()  # only the snapshots drawn here (the worker's would be of step 0)
    window.advance_and_draw(10)
    # The fit that step 10 may have asked for comes back first (a busy machine: late).
    qtbot.waitUntil(lambda: not window.panels.map.plane_fit._in_flight, timeout=20_000)
    first = c.map_frame
    monkeypatch.setattr(plane_fit, "REFIT_SECONDS", 0.0)
    monkeypatch.setattr(plane_fit, "changed", lambda frame, fit, paths: True)
    snap = c.advance_now(40)
    with qtbot.waitSignal(c.plane_changed, timeout=20_000):
        window.draw(snap)  # the frame asks; the fit comes back from the plane's thread
    assert c.map_frame is not first and c.map_frame.step == 50
    assert "refitted at step 50" in window.panels.map.note.toPlainText()
    # On demand (View → Map plane → Refit), even with nothing new to show.
    monkeypatch.setattr(plane_fit, "changed", lambda frame, fit, paths: False)
    before = c.map_frame
    with qtbot.waitSignal(c.plane_changed, timeout=20_000):
        window.panels.map.refit_action.trigger()
    assert c.map_frame is not before and c.map_frame.step == 50


def test_a_random_plane_remains_a_choice(window, qtbot):
    c = _load(window, qtbot)
    m = window.panels.map
    window.advance_and_draw(5)
    c.set_plane("random")
    assert isinstance(c.map_frame, RandomPlaneFrame) and not c.map_frame.plane.normalised
    assert m.plane_actions["random"].isChecked() and not m.refit_action.isEnabled()
    assert "random directions;" in m.note.toPlainText()
    c.set_plane("filter")
    assert type(c.map_frame) is RandomPlaneFrame and c.map_frame.plane.normalised
    assert "normalised per layer" in m.note.toPlainText()
    with pytest.raises(ValueError, match="plane.*'sideways'.*fitted, random, filter"):
        c.set_plane("sideways")
    assert c.plane == "filter"
    m.plane_actions["fitted"].trigger()
    assert isinstance(c.map_frame, FittedPlaneFrame) and m.refit_action.isEnabled()
    window.advance_and_draw(5)
    assert c.map_frame.fit is not None
    assert m.plane_menu.isEnabled()
    window.apply_scene(Scene(surface="beale", runs=[RunConfig("adam", {"lr": 0.05})]))
    assert not m.plane_menu.isEnabled()  # a surface has its own plane


def test_a_field_with_a_coarse_size_arrives_coarse_first(qtbot):
    thread = FieldThread()
    got = []
    thread.computed.connect(got.append)
    thread.start()
    try:
        thread.submit(FieldRequest(7, lambda xs, ys: np.add.outer(ys ** 2, xs ** 2) + 1.0, (-1, 1), (-1, 1),
                                   16, 16, coarse=8))
        qtbot.waitUntil(lambda: len(got) == 2, timeout=10_000)
    finally:
        thread.stop()
    assert [f.serial for f in got] == [7, 7]
    assert got[0].values.shape[0] < got[1].values.shape[0]  # 8 × 8 (upsampled), then 16 × 16


def test_the_fit_takes_the_shown_runs_that_did_not_diverge():
    from types import SimpleNamespace as NS

    def run(uid, diverged):
        return NS(uid=uid, path=np.full((3, 5), float(uid)), position=np.full(5, float(uid)), diverged_at=diverged)

    entries = [NS(uid=u, config=NS(enabled=u != 3)) for u in (1, 2, 3)]
    paths = plane_fit.paths_of(NS(runs=[run(1, None), run(2, 7), run(3, None)]), entries)
    assert len(paths) == 1 and paths[0].shape == (4, 5) and (paths[0] == 1.0).all()


def test_a_refit_is_shown_only_when_it_changes_what_the_map_shows(mlp_frame):
    frame, paths = mlp_frame
    fit = frame.fit
    assert not plane_fit.changed(frame, fit, paths)  # the same plane, the same paths
    d = fit.directions
    other = np.linalg.qr(np.c_[d[0], np.roll(d[1], 3)])[0].T
    assert plane_fit.changed(frame, type(fit)(fit.origin, other, fit.explained), paths)  # another plane
    assert plane_fit.changed(frame, type(fit)(fit.origin, d, fit.explained - 0.05), paths)  # another share
    xmax = frame.domain[1]
    far = [np.vstack([p, fit.from_plane(2 * xmax, 0.0)]) for p in paths]
    assert plane_fit.changed(frame, fit, far)  # a path leaves the window


@pytest.fixture(scope="module")
def mlp_frame():
    from descentlab import engine

    problem = engine.DatasetProblem("moons", engine.Model("mlp", hidden=(4,)))
    race = engine.Race(problem, seed=0)
    race.add_run("adam", problem.default_start, lr=0.05)
    race.add_run("sgd", problem.default_start, lr=0.2)
    race.advance(20)
    paths = [r.path for r in race.snapshot().runs]
    fit = engine.path_plane(paths, problem.default_start)
    return FittedPlaneFrame(problem, problem.default_start, 0, fit, paths, 20), paths
