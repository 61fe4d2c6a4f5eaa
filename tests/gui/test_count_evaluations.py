"""View → Count function evaluations: the loss curves' x axis and the leaderboard in function
evaluations (an L-BFGS step makes several), saved in the scene; L-BFGS's probes as dots."""

from __future__ import annotations

from descentlab.engine.files.scene import RunConfig, Scene


def _scene(count: bool) -> Scene:
    return Scene(surface="rosenbrock", start=(-1.2, 1.0), count_evaluations=count,
                 runs=[RunConfig("adam", {"lr": 0.05}, label="A"),  # selected: its hyper map is quick
                       RunConfig("lbfgs", {"strong_wolfe": True}, label="L")])


def _standing(window, label: str) -> str:
    board = window.panels.board
    row = next(r for r in range(board.rowCount()) if board.item(r, 1).text() == label)
    return board.item(row, 3).text()


def test_the_toggle_counts_evaluations_on_the_loss_axis_and_in_the_leaderboard(window, qtbot):
    c = window.controller
    window.apply_scene(_scene(True))
    qtbot.waitUntil(lambda: not c.loading and c.race is not None)
    action = window.count_evaluations_action
    assert action.isChecked()  # the scene's view says so
    loss = window.panels.loss
    assert loss.plotItem.getAxis("bottom").labelText == "function evaluations"
    snap = window.advance_and_draw(4)
    runs = {r.label: r for r in snap.runs}
    lbfgs, adam = runs["L"], runs["A"]
    assert lbfgs.evaluations > 20 and adam.evaluations == 4
    x = {uid: rec.xData for uid, rec in loss._curves.items()}
    assert x[lbfgs.uid].max() == lbfgs.eval_counts[-1] and x[adam.uid].max() == 4
    assert _standing(window, "L") == f"min after {lbfgs.reached_evals} evaluations"
    # the last step's evaluation points are dots on the map (it converged: its last search's)
    dots = window.panels.map.probes.getData()
    assert len(dots[0]) == len(lbfgs.probes) > 0

    action.setChecked(False)  # back to steps: the axis, the curves, the scene, the table
    assert loss.plotItem.getAxis("bottom").labelText == "step"
    assert c.current_scene().count_evaluations is False
    snap = window.advance_and_draw(1)
    x = {uid: rec.xData for uid, rec in loss._curves.items()}
    assert x[lbfgs.uid].max() == 5
    assert _standing(window, "L") == f"min at {lbfgs.reached_at}"
    window.apply_scene(_scene(False))
    qtbot.waitUntil(lambda: not c.loading and c.race is not None)
    assert not action.isChecked()
