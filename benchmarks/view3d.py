"""Frames per second of the 3-D view: 13 runs' paths on a 100×100 mesh, 1280×800, on the
X screen's OpenGL (under Xvfb: Mesa's llvmpipe, software). Starts an Xvfb of its own when
there is no DISPLAY.

One frame = advance the race 10 steps, take a snapshot, feed every path and marker
(setData), ask for a paint and wait until the frame is swapped onto the screen (Qt's
frameSwapped), then for OpenGL to finish (glFinish). Target ≥ 30 fps.

    python benchmarks/view3d.py [--frames 120] [--steps 20000] [--window] [--presentation]

Default: the 3-D view alone at 1280×800. ``--window``: the whole window at 1280×800 in the
3-D view (every panel's frame work and paint, as benchmarks/frame.py measures the map).
"""

from __future__ import annotations

import argparse
import os
import select
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import LR, OPTIMIZERS  # noqa: E402


def own_xvfb() -> subprocess.Popen | None:
    if os.environ.get("DISPLAY"):
        return None
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        sys.exit("benchmarks/view3d.py: no DISPLAY and no Xvfb (apt-get install xvfb libgl1-mesa-dri)")
    read, write = os.pipe()
    proc = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    ready, _, _ = select.select([read], [], [], 20)
    number = os.read(read, 16).decode().strip() if ready else ""  # (read stays open: Xvfb may write again)
    if not number:
        proc.kill()
        sys.exit("benchmarks/view3d.py: Xvfb did not start")
    os.environ["DISPLAY"] = f":{number}"
    return proc


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument("--steps", type=int, default=20_000)
    ap.add_argument("--window", action="store_true", help="the whole window in the 3-D view")
    ap.add_argument("--presentation", action="store_true")
    args = ap.parse_args()
    xvfb = own_xvfb()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    run(args)
    sys.stdout.flush()
    if xvfb is not None:  # Qt still holds the display: leave before it goes
        xvfb.terminate()
        os._exit(0)


def run(args) -> None:
    from descentlab.engine.files.scene import RunConfig, Scene  # noqa: I001 — numba before Qt
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)  # two GL views: shared shaders
    app = QApplication.instance() or QApplication([])
    from OpenGL import GL

    from descentlab.gui.control.controller import RaceController
    from descentlab.gui.main_window import MainWindow

    runs = [RunConfig(k, {"lr": LR[k]}) for k in OPTIMIZERS]
    scene = Scene(surface="rosenbrock", runs=runs, start=(-1.5, 2.0))
    controller = RaceController()
    win = MainWindow(controller)
    win.timer.stop()
    win.snapshot_mode = True
    win.resize(1280, 800)
    win.apply_scene(scene)
    win.show()
    app.processEvents()
    if win.view3d_action.isEnabled() is False:
        sys.exit(f"benchmarks/view3d.py: {win.view3d_action.toolTip()}")
    if args.presentation:
        win.set_presentation(True)
        win.showNormal()
        win.resize(1280, 800)
    win.view3d_action.setChecked(True)
    panel = win.panels.view3d
    view = panel.view
    if not args.window:  # the 3-D view alone, at 1280×800: a view of its own, fed as the panel feeds its own
        from descentlab.gui.view3d.relief_scene import ReliefView

        view = ReliefView()
        view.set_presentation(args.presentation)
        view.resize(1280, 800)
        cv = controller.map_frame
        view.set_relief(panel.relief, cv.minima(), cv.x_label, cv.y_label, "loss")
        view.set_runs(controller.entries)
        view.set_start(*cv.to_map(controller.start_theta[None, :])[0])
        view.show()
    app.processEvents()
    race = controller.race
    race.advance(max(0, args.steps - args.frames * 10))
    ny, nx = panel.relief.heights.shape
    renderer = ""

    def frame() -> tuple[float, float]:
        race.advance(10)  # paths keep growing, as in a live race
        t0 = time.perf_counter()
        snap = race.snapshot()
        if args.window:
            win.draw(snap)
        else:
            view.draw(snap, controller.entries, controller.map_frame)
        t1 = time.perf_counter()
        seen = swapped[0]
        if args.window:
            for w in (win.panels.loss.viewport(), win.panels.board.viewport(), win.status):
                if w.isVisible():
                    w.repaint()
        view.update()
        while swapped[0] == seen:  # until the frame is on the screen (composed and swapped)
            app.processEvents()
        view.makeCurrent()
        GL.glFinish()
        view.doneCurrent()
        return t0, t1

    swapped = [0]
    view.frameSwapped.connect(lambda: swapped.__setitem__(0, swapped[0] + 1))
    for _ in range(5):  # warm up: first paints compile shaders and allocate buffers
        frame()
    view.makeCurrent()
    renderer = GL.glGetString(GL.GL_RENDERER).decode()
    view.doneCurrent()
    totals, feeds = [], []
    for _ in range(args.frames):
        t0, t1 = frame()
        t2 = time.perf_counter()
        totals.append((t2 - t0) * 1e3)
        feeds.append((t1 - t0) * 1e3)
    med = statistics.median(totals)
    p90 = statistics.quantiles(totals, n=10)[-1]
    points = sum(len(item.pos) for item in view.paths.values())
    what = "whole window in 3-D" if args.window else "3-D view alone"
    print(f"view3d: {what}, {len(race.snapshot().runs)} runs × {race.step:,} steps ({points:,} path points drawn), "
          f"{nx}×{ny} mesh, {view.width()}×{view.height()} px{' (presentation)' if args.presentation else ''}, "
          f"{renderer}")
    print(f"  median {med:6.2f} ms = {1000 / med:5.1f} fps   p90 {p90:6.2f} ms   of which snapshot + setData "
          f"{statistics.median(feeds):.2f} ms   (target ≥ 30 fps)")
    print(f"  load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    for thread in win.panel_threads():
        thread.stop(1000)
    win.close()


if __name__ == "__main__":
    main()
