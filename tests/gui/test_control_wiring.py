"""One direction of data flow (gui.control): readiness is one object, a change of problem
visits the worker once and nothing calls the controller back, no panel reaches another
panel or the window, and a panel declares its own menu entries and keys."""

import ast
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

import descentlab.gui.panels as panels_package
from descentlab.engine.files.scene import DataConfig, FormulaConfig, RunConfig, Scene
from descentlab.gui.control.readiness import QUASI_NEWTON, RACE, SURFACES, Readiness, groups_for_scene
from descentlab.gui.panels import PANELS, Panel, Place

FORMULA, DATASETS = "formula", "datasets"  # the groups the formula and dataset kinds add


def test_readiness_waits_for_each_group_while_a_worker_compiles():
    surface, formula, data = Scene(surface="beale"), Scene(formula=FormulaConfig()), Scene(data=DataConfig())
    assert groups_for_scene(surface) == {SURFACES}
    assert groups_for_scene(formula) == {SURFACES, FORMULA}
    assert groups_for_scene(data) == {SURFACES, DATASETS}
    r = Readiness()
    assert r.scene_ready(data) and r.fields_ready and r.race_ready  # no worker: whoever needs compiles
    assert not r.loaded(RACE)
    r.begin()
    marked = []
    r.group_ready.connect(marked.append)
    assert not (r.scene_ready(surface) or r.fields_ready or r.config_ready(formula.formula) or r.race_ready)
    r.mark(SURFACES)
    assert marked == [SURFACES] and r.fields_ready and r.scene_ready(surface)
    assert not r.scene_ready(formula) and not r.scene_ready(data) and not r.race_ready
    r.mark(FORMULA)
    assert r.config_ready(formula.formula) and r.scene_ready(formula) and not r.scene_ready(data)
    # L-BFGS's step compiles on its own: only a race with an L-BFGS run waits for it
    quasi = Scene(surface="beale", runs=[RunConfig("adam"), RunConfig("lbfgs")])
    assert groups_for_scene(quasi) == {SURFACES, QUASI_NEWTON}
    assert not r.scene_ready(quasi)
    r.mark(QUASI_NEWTON)
    assert r.scene_ready(quasi)
    r.end()  # the worker ended (stopped, or failed): nothing waits for it any more
    assert r.scene_ready(data) and r.race_ready and not r.loaded(RACE)


def test_picking_a_surface_visits_the_worker_once_and_nothing_calls_the_controller_back(window, monkeypatch):
    c = window.controller
    calls = []
    for name in ("set_race", "set_explain_uid", "set_speed", "set_step_limit", "request_snapshot",
                 "play", "pause", "step"):
        method = getattr(c.worker, name)
        monkeypatch.setattr(c.worker, name, lambda *a, _m=method, _n=name, **k: (calls.append(_n), _m(*a, **k))[1])
    for name in ("set_playing", "set_problem", "step", "seek", "resume", "step_back"):
        method = getattr(c, name)
        monkeypatch.setattr(c, name, lambda *a, _m=method, _n=name, **k: (calls.append(_n), _m(*a, **k))[1])
    combo = window.panels.problem.surface_combo
    index = combo.findData("himmelblau")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what picking it in the list does
    assert c.scene.surface == "himmelblau" and c.race.problem.surface.key == "himmelblau"
    assert calls == ["set_problem", "set_race"]
    assert not c.playing


def test_no_panel_reaches_another_panel_or_the_window():
    """(The window's own helpers beside a panel, such as gui.panels.view3d.paint_over, take
    the window as their argument: only the panels' classes are read.)"""
    folder = Path(panels_package.__file__).parent
    for path in sorted(folder.rglob("*.py")):
        classes = [node for node in ast.parse(path.read_text(encoding="utf-8")).body
                   if isinstance(node, ast.ClassDef)]
        reaches = [f"{cls.name}: {node.attr}" for cls in classes for node in ast.walk(cls)
                   if isinstance(node, ast.Attribute) and node.attr in ("panels", "main_window", "parentWidget")]
        assert not reaches, f"{path.name} reaches outside its panel: {reaches}"


class ToyPanel(QWidget, Panel):
    """A new panel: one file with one menu entry and its key."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.toggles = 0

    def menu_actions(self):
        action = QAction("&Toy", self, shortcut=QKeySequence(Qt.Key.Key_T), objectName="toy")
        action.triggered.connect(self._toggle)
        return [action]

    def _toggle(self):
        self.toggles += 1


def test_a_panel_is_one_file_and_one_line_its_entry_and_key_included(qtbot, monkeypatch):
    from descentlab.gui import main_window
    from descentlab.gui.columns import RIGHT
    from descentlab.gui.control.controller import RaceController

    monkeypatch.setattr(main_window, "PANELS", (*PANELS, Place("toy", ToyPanel, RIGHT)))  # the one line
    win = main_window.MainWindow(RaceController())
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    view = next(a.menu() for a in win.menuBar().actions() if a.text() == "&View")
    texts = [a.text() for a in view.actions()]
    assert texts[:2] == ["&Presentation mode", "&Fit the surface"]
    assert texts[2:11] == ["&Legend on the map", "&Blank the map", "&Explain the step",
                           "&Step by step (→ walks the rule)", "Loss against &epochs (datasets)",
                           "Count function e&valuations", "&Basins of attraction",
                           "&Curvature (what a step feels)", "Map &plane (models with many parameters)"]
    assert texts[11].startswith("&3-D view") and texts[12:-2] == ["Log &height (3-D)",
                                                                    "&Data view in the centre (datasets)", "&Toy"]
    assert texts[-2:] == ["", "&Language"]  # the window's own, after every panel's entry
    assert win.toy_action is view.actions()[-3]
    QTest.keyClick(win, Qt.Key.Key_T)
    assert win.panels.toy.toggles == 1
    win.close()
