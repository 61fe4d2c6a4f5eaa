"""The data panel with several runs: one small view per visible run for 2-D classification
(its colour, its accuracy, its regions), every run's curve in one plot for 1-D data, and the
swap that makes the data view the big picture (gui.centre_swap.DataSwap)."""

from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel, QSplitter

from descentlab import engine
from descentlab.engine.files.scene import RunConfig
from descentlab.gui.centre_swap import DataSwap
from descentlab.gui.control.controller import RunEntry
from descentlab.gui.panels.data import DataPanel

COLOURS = ("#e6194b", "#3cb44b", "#4363d8")


def controller_for(problem, enabled=(True, True, True), repeats=1):
    race = engine.Race(problem, seed=0)
    entries = []
    for i, lr in enumerate((0.5, 0.05, 0.01)):
        uid = race.add_run("sgd", lr=lr, repeats=repeats)
        cfg = RunConfig("sgd", {"lr": lr}, label=f"run {i}", enabled=enabled[i], repeats=repeats)
        entries.append(RunEntry(uid, cfg, COLOURS[i]))
    race.advance(40)
    c = SimpleNamespace(race=race, look=SimpleNamespace(data_view=True), entries=entries,
                        selected_uid=entries[0].uid)
    c.entry = lambda uid: next(e for e in c.entries if e.uid == uid)
    return c


@pytest.fixture
def panel_for(qtbot):
    def make(c):
        panel = DataPanel(c)
        qtbot.addWidget(panel)
        panel.resize(500, 400)
        panel.show()
        qtbot.waitExposed(panel)
        panel.scene_changed()
        panel.runs_changed()
        return panel
    return make


def test_classification_shows_one_small_view_per_visible_run(panel_for):
    c = controller_for(engine.DatasetProblem("blobs", "logistic", "log"), enabled=(True, False, True))
    panel = panel_for(c)
    snap = c.race.snapshot()
    panel.refresh_table(snap)
    shown = [c.entries[0].uid, c.entries[2].uid]
    assert panel.per_run and list(panel.small) == shown and not panel.main.isVisible()
    for uid in shown:
        view, e = panel.small[uid], c.entry(uid)
        assert "accuracy" in view.title_text()
        assert view.boundary.opts["pen"].color().name() == e.colour  # its regions' edge, its colour
        assert len(view.boundary.getData()[0]) > 1
        run = next(r for r in snap.runs if r.uid == uid)
        assert f"{100 * c.race.problem.accuracy(run.position):.0f} %" in view.title_text()
    assert panel.title_text() == panel.small[c.selected_uid].title_text()
    c.entries[1].config.enabled = True  # a third run shown, the first one removed
    c.entries = c.entries[1:]
    panel.runs_changed()
    assert set(panel.small) == {e.uid for e in c.entries}
    layout = panel._grid_layout
    assert [layout.getItemPosition(layout.indexOf(panel.small[e.uid]))[:2] for e in c.entries] == [(0, 0), (0, 1)]


def test_one_dimensional_data_draws_every_run_in_one_plot(panel_for):
    c = controller_for(engine.DatasetProblem("line", "linear", "l2"))
    panel = panel_for(c)
    snap = c.race.snapshot()
    panel.refresh_table(snap)
    assert not panel.per_run and panel.small == {} and panel.main.isVisible()
    others = panel.main.other_curves()
    assert len(others) == 2
    for (x, y), e in zip(others, c.entries[1:], strict=True):
        run = next(r for r in snap.runs if r.uid == e.uid)
        assert np.allclose(y, c.race.problem.predict(run.position, x))
    assert [item.opts["pen"].color().name() for item in panel.main._others[:2]] == list(COLOURS[1:])


def test_a_fan_draws_its_repeat_zero(panel_for):
    c = controller_for(engine.DatasetProblem("line", "linear", "l2"), repeats=3)
    panel = panel_for(c)
    snap = c.race.snapshot()
    panel.refresh_table(snap)
    (x, y) = panel.main.other_curves()[0]
    run = next(r for r in snap.runs if r.uid == c.entries[1].uid)
    assert np.allclose(y, c.race.problem.predict(run.fan.positions[0], x))


def test_the_data_view_and_the_map_trade_places(qtbot):
    c = controller_for(engine.DatasetProblem("blobs", "logistic", "log"))
    columns = QSplitter()
    centre, right = QSplitter(columns), QSplitter(columns)
    the_map, data = QLabel("map"), DataPanel(c)
    centre.addWidget(the_map)
    centre.addWidget(QLabel("timeline"))
    right.addWidget(data)
    right.addWidget(QLabel("loss"))
    qtbot.addWidget(columns)
    swap = DataSwap(the_map, data)
    data.big_action.setEnabled(True)
    data.big_action.setChecked(True)  # key D
    assert swap.big and data.big
    assert centre.widget(0) is data and right.widget(0) is the_map
    data.big_action.setChecked(False)
    assert not swap.big and centre.widget(0) is the_map and right.widget(0) is data
    swap.set_big(True)  # asked by someone else (a new scene): the action follows
    assert data.big_action.isChecked()
