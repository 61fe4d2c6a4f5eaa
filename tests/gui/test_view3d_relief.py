"""The 3-D panel's relief off the GUI thread: a dataset slice's (costly) on the panel's own
thread, a surface's (milliseconds) at once. OpenGL is not needed for this: the GL widget is
replaced by a stand-in that records what the panel gives it (the real view is tested on an
X screen in test_view3d_gl.py)."""

import threading

import pytest
from PySide6.QtWidgets import QWidget

from descentlab.gui.panels import view3d as view3d_panel
from descentlab.gui.support.presets import find_preset


class StandInView(QWidget):
    """What View3DPanel calls on gui.view3d.ReliefView, recorded."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.reliefs, self.runs, self.draws = [], [], 0

    def set_relief(self, relief, minima, x_label, y_label, z_label):
        self.reliefs.append(relief)

    def set_runs(self, entries):
        self.runs.append(len(entries))

    def set_start(self, x, y):
        pass

    def draw(self, snapshot, entries, view):
        self.draws += 1

    def set_presentation(self, on):
        pass


@pytest.fixture
def panel(window, monkeypatch):
    import descentlab.gui.view3d.relief_scene as gl_view

    monkeypatch.setattr(view3d_panel, "opengl_problem", lambda: None)
    monkeypatch.setattr(gl_view, "ReliefView", StandInView)
    return window.panels.view3d


def evaluated_on(window, monkeypatch) -> list:
    """Record the thread each evaluation of the map's function runs on."""
    threads = []
    view = window.controller.map_frame
    field = view.field_function()

    def recorded(xs, ys):
        threads.append(threading.get_ident())
        return field(xs, ys)

    monkeypatch.setattr(view, "field_function", lambda: recorded)
    return threads


def test_a_dataset_slice_relief_is_computed_off_the_gui_thread(window, panel, qtbot, monkeypatch):
    window.apply_scene(find_preset("xor-mlp").scene)
    qtbot.waitUntil(lambda: window.controller.readiness.fields_ready, timeout=120_000)
    assert window.controller.map_frame.grid_size < view3d_panel.MESH  # a costly view
    threads = evaluated_on(window, monkeypatch)
    window.centre.show_3d(True)
    assert panel.active and panel._pending and panel.title.text() == view3d_panel.COMPUTING
    assert panel.view.reliefs == []  # nothing shown yet …
    panel.draw(None)  # (no event has been processed: the thread's answer cannot be in yet)
    assert panel.view.draws == 0  # … and no race drawn on another problem's relief
    qtbot.waitUntil(lambda: len(panel.view.reliefs) == 1, timeout=60_000)
    assert threads and threading.get_ident() not in threads  # evaluated on the panel's thread
    assert not panel._pending and "in 3-D" in panel.title.text()
    n = window.controller.map_frame.grid_size  # 64 on the fitted plane (48 on a random slice)
    assert panel.relief is panel.view.reliefs[-1] and panel.relief.loss.shape == (n, n)
    assert panel.view.runs  # then the runs, the start and the race are put on it
    window.advance_and_draw(5)
    assert panel.view.draws > 0
    assert panel.thread in window.panel_threads()  # stopped with the window


def test_settle_computes_a_pending_relief_at_once(window, panel, qtbot, monkeypatch):
    window.apply_scene(find_preset("xor-mlp").scene)
    qtbot.waitUntil(lambda: window.controller.readiness.fields_ready, timeout=120_000)
    window.centre.show_3d(True)
    assert panel._pending
    panel.settle()  # what a picture or a clip does before it renders
    assert not panel._pending and len(panel.view.reliefs) == 1
    late = panel._relief_serial - 1
    panel._relief_computed(late, object())  # the thread's answer to the replaced request
    assert len(panel.view.reliefs) == 1 and panel.relief is panel.view.reliefs[0]


def test_a_surface_relief_is_computed_at_once(window, panel, qtbot, monkeypatch):
    qtbot.waitUntil(lambda: window.controller.readiness.fields_ready, timeout=120_000)
    assert window.controller.map_frame.grid_size >= view3d_panel.MESH
    threads = evaluated_on(window, monkeypatch)
    window.centre.show_3d(True)
    assert not panel._pending and len(panel.view.reliefs) == 1
    assert threads == [threading.get_ident()]
    assert panel.relief.loss.shape == (view3d_panel.MESH, view3d_panel.MESH)
