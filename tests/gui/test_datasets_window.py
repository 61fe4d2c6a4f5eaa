"""Dataset scenes in the window: the data view, the maps, batch sizes and losses per run."""

import numpy as np
from gui_helpers import render

from descentlab.gui.map.map_frames import ParameterPlaneFrame, RandomPlaneFrame
from descentlab.gui.support.presets import find_preset


def test_a_two_parameter_model_maps_its_real_loss(window):
    window.apply_scene(find_preset("gd-minibatch-sgd").scene)
    c = window.controller
    assert isinstance(c.map_frame, ParameterPlaneFrame)
    assert window.panels.data.isVisible()
    snap, pixels = render(window, steps=200)
    assert "training loss over" in window.panels.map.note.toPlainText()
    assert window.panels.map.plotItem.getAxis("bottom").labelText == "w"
    batches = sorted((r.batch_size or 0) for r in snap.runs)
    assert batches[0] == 0 and 1 in batches  # GD (full batch) and SGD race together
    assert pixels.std() > 10


def test_a_big_model_maps_a_slice_and_projects_the_paths(window):
    window.apply_scene(find_preset("spirals-adam-vs-sgd").scene)
    c = window.controller
    assert isinstance(c.map_frame, RandomPlaneFrame)  # (the plane fitted to the paths is one, refitted)
    assert "slice" in window.panels.map.note.toPlainText()  # until the runs move
    snap, _ = render(window, steps=50)
    assert "movement" in window.panels.map.note.toPlainText()  # then the plane of their paths
    for run in snap.runs:
        x, y = window.panels.map._paths[run.uid].xData, window.panels.map._paths[run.uid].yData
        assert len(x) >= 2 and np.all(np.isfinite(x)) and np.all(np.isfinite(y))
        # the start projects onto the plane's origin
        assert abs(x[0]) < 1e-9 and abs(y[0]) < 1e-9
    tests = [window.panels.loss._tests[r.uid] for r in snap.runs]
    assert any(t.xData is not None and len(t.xData) for t in tests), "no test-loss curve"
    assert "accuracy" in window.panels.data.title_text()


def test_changing_a_runs_batch_size_restarts_the_race_with_it(window, qtbot):
    window.apply_scene(find_preset("gd-minibatch-sgd").scene)
    c = window.controller
    uid = c.entries[0].uid
    card = window.panels.runs.cards[uid]
    card.batch.setValue(5)
    card.batch.editingFinished.emit()
    qtbot.waitUntil(lambda: c.entries[0].config.batch_size == 5, timeout=5_000)
    with c.lock:
        snap = c.race.snapshot()
    assert snap.runs[0].batch_size == 5 and snap.step == 0


def test_a_batch_larger_than_the_data_is_refused(window, qtbot):
    window.apply_scene(find_preset("gd-minibatch-sgd").scene)
    c = window.controller
    before = c.current_scene()
    uid = c.entries[0].uid
    try:
        c.set_run_data(uid, batch_size=10**6)
    except ValueError as exc:
        assert "batch_size" in str(exc)
    else:
        raise AssertionError("an impossible batch size was accepted")
    assert c.current_scene() == before


def test_each_run_can_carry_its_own_loss(window, qtbot):
    window.apply_scene(find_preset("losses-compared").scene)
    c = window.controller
    losses = {e.config.loss for e in c.entries}
    assert len(losses) >= 4
    snap, _ = render(window, steps=100)
    texts = [window.panels.board.item(r, 3).text() for r in range(window.panels.board.rowCount())]
    assert all(t.startswith("accuracy") for t in texts)


def test_newton_on_a_model_too_big_for_hessians_is_refused_with_a_notice(window, qtbot):
    window.apply_scene(find_preset("spirals-adam-vs-sgd").scene)
    c = window.controller
    n = len(c.entries)
    shown = []
    window.panels.runs.notice.connect(lambda text, seconds: shown.append(text))
    window.panels.runs.add.activated.emit(window.panels.runs.add.findData("newton"))
    assert len(c.entries) == n
    with c.lock:
        assert len(c.race.run_ids) == n
        P = c.race.n_params
    assert shown and f"P = {P}" in shown[0] and "at most 64" in shown[0]
