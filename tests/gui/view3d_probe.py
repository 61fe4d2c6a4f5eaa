"""Run by tests/gui/test_view3d_gl.py in a child process on a real X screen (Xvfb + Mesa):
build the window, switch to the 3-D view, race, render, and print what it saw as JSON.

    QT_QPA_PLATFORM=xcb DISPLAY=:n python tests/gui/view3d_probe.py PRESET OUT.png
"""

from __future__ import annotations

import json
import sys

import numpy as np
from gui_helpers import qimage_to_array  # (run as a script from this folder)

from descentlab import engine  # noqa: F401 — numba before Qt


def near(px: np.ndarray, colour: str, tol: int = 40) -> int:
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(px.astype(int) - rgb).max(axis=2) <= tol).sum())


def main(preset: str, out: str) -> int:
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)  # as the app does
    app = QApplication(sys.argv[:1])
    from descentlab.gui.control.controller import RaceController
    from descentlab.gui.main_window import MainWindow
    from descentlab.gui.support.presets import find_preset

    facts: dict = {}
    controller = RaceController()
    win = MainWindow(controller)
    win.timer.stop()
    win.snapshot_mode = True
    win.resize(1280, 800)
    win.apply_scene(find_preset(preset).scene)
    win.show()
    for _ in range(3):  # the layout settles (the map's aspect lock adjusts its range to its size)
        app.processEvents()
    panel = win.panels.view3d
    facts["action_enabled"] = win.view3d_action.isEnabled()
    region_before = win.panels.map.visible_region()
    win.view3d_action.trigger()  # as key 3 does
    app.processEvents()
    snap = win.advance_and_draw(300)
    app.processEvents()
    view = panel.view
    facts["active"] = panel.active
    facts["map_height"] = win.panels.map.height()
    facts["view_size"] = [view.width(), view.height()]
    facts["paths"] = len(view.paths)
    facts["runs"] = len(snap.runs)
    facts["path_points"] = [int(len(item.pos)) for item in view.paths.values()]
    facts["markers"] = len(view.markers.points)
    facts["minima"] = len(controller.map_frame.minima())
    facts["log"] = panel.relief.log
    # every run's path ends where its marker is: on the mesh, at the run's current position
    ends = [view.paths[r.uid].pos[-1].tolist() for r in snap.runs]
    expect = [panel.relief.lift(controller.map_frame.to_map(r.position[None, :]))[0].tolist() for r in snap.runs]
    facts["ends_match"] = bool(np.allclose(ends, expect, atol=1e-4))
    frame = view.grabFramebuffer()
    frame.save(out)
    px = qimage_to_array(frame)
    facts["distinct_colours"] = int(len(np.unique(px.reshape(-1, 3) // 8, axis=0)))
    facts["drawn_share"] = float((np.abs(px.astype(int) - 255).max(axis=2) > 6).mean())  # not background
    # the valleys in the map's blue-grey (#9fb3c8), lit (the mesh's shader: 55 … 105 %)
    valley = [(min(255, int(0x9f * s)), min(255, int(0xb3 * s)), min(255, int(0xc8 * s))) for s in (0.7, 0.85, 1.0)]
    facts["valley_pixels"] = max(near(px, "#{:02x}{:02x}{:02x}".format(*rgb), 6) for rgb in valley)
    facts["run_pixels"] = {e.config.label: near(px, e.colour, 30) for e in controller.entries}
    # the start ring and the markers are painted in black-edged symbols: dark pixels exist
    facts["dark_pixels"] = int((px.max(axis=2) < 40).sum())
    first_camera = dict(view.cameraParams())
    view.orbit(40, 10)  # as a drag does
    turned = dict(view.cameraParams()) != first_camera
    win.fit_view()  # key F
    facts["f_resets_camera"] = turned and dict(view.cameraParams()) == first_camera
    heights_linear = panel.relief.heights.copy()
    win.log_height_action.trigger()
    app.processEvents()
    facts["log_after_toggle"] = panel.relief.log
    facts["heights_changed"] = bool(not np.allclose(heights_linear, panel.relief.heights))
    facts["markers_after_toggle"] = len(view.markers.points)
    win.view3d_action.trigger()  # back to the map
    for _ in range(3):
        app.processEvents()
    facts["back_active"] = panel.active
    facts["map_height_back"] = win.panels.map.height()
    region_after = win.panels.map.visible_region()
    facts["map_region"] = [region_before, region_after]
    for thread in win.panel_threads():
        thread.stop(1000)
    win.close()
    print(json.dumps(facts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
