"""Frame cost of the window: 10 runs with 20,000-step paths, 1280×800, offscreen.

One frame = take a snapshot of the race + every setData + a full synchronous paint of the
window. Prints the median and 90th percentile in milliseconds (target: median ≤ 8 ms).

    python benchmarks/frame.py [--frames 120] [--steps 20000] [--runs 10] [--presentation]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from descentlab.engine.scene import RunConfig, Scene  # noqa: E402

OPTIMIZERS = ["gd", "momentum", "sgd", "nag", "adagrad", "rmsprop", "adadelta", "adam",
              "adamax", "nadam", "radam", "lion", "adamw"]
LR = {"gd": 1e-3, "momentum": 1e-3, "sgd": 5e-4, "nag": 2e-4, "adagrad": 0.1, "rmsprop": 1e-3,
      "adadelta": 1.0, "adam": 1e-2, "adamax": 1e-2, "nadam": 5e-3, "radam": 1e-2,
      "lion": 1e-3, "adamw": 1e-2}


def repaint(win) -> None:
    """Paint, synchronously, every widget a frame changes (QWidget.repaint on the window
    itself does not reach into the plot views' viewports)."""
    for w in (win.panels.map.viewport(), win.panels.loss.viewport(), win.panels.board.viewport(), win.status,
              win.panels.data.viewport()):
        if w.isVisible():
            w.repaint()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument("--steps", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--presentation", action="store_true")
    ap.add_argument("--preset", help="a preset instead (e.g. spirals-adam-vs-sgd); its runs "
                                     "are repeated up to --runs")
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from descentlab.engine.fields import FieldRequest, compute_field
    from descentlab.gui.controller import RaceController
    from descentlab.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    if args.preset:
        from descentlab.gui.presets import find_preset

        scene = find_preset(args.preset).scene
        scene.runs = (scene.runs * args.runs)[: args.runs]
    else:
        runs = [RunConfig(k, {"lr": LR[k]}) for k in (OPTIMIZERS * 2)[: args.runs]]
        scene = Scene(surface="rosenbrock", runs=runs, start=(-1.5, 2.0))
    controller = RaceController()
    win = MainWindow(controller)
    win.timer.stop()
    win.resize(1280, 800)
    win.apply_scene(scene)
    if args.presentation:
        win.set_presentation(True)
        win.showNormal()
        win.resize(1280, 800)
    win.show()
    app.processEvents()
    xr, yr = win.panels.map.visible_region()
    view = controller.view
    win.panels.map.set_field(compute_field(FieldRequest(0, view.field_function(), xr, yr)))
    race = controller.race
    race.advance(args.steps - args.frames * 10)
    for _ in range(5):  # warm up (first paints allocate caches)
        race.advance(10)
        win.draw(race.snapshot())
        repaint(win)
    times, snap_times, draw_times = [], [], []
    for _ in range(args.frames):
        race.advance(10)  # paths keep growing, as in a live race
        t0 = time.perf_counter()
        snap = race.snapshot()
        t1 = time.perf_counter()
        win.draw(snap)
        t2 = time.perf_counter()
        repaint(win)
        t3 = time.perf_counter()
        times.append((t3 - t0) * 1e3)
        snap_times.append((t1 - t0) * 1e3)
        draw_times.append((t2 - t1) * 1e3)
    q = statistics.quantiles(times, n=10)
    what = args.preset or "rosenbrock"
    print(f"frame: {what}, {args.runs} runs × {race.step:,} steps, 1280×800 offscreen"
          f"{' (presentation)' if args.presentation else ''}")
    print(f"  median {statistics.median(times):6.2f} ms   p90 {q[-1]:6.2f} ms   (target ≤ 8 ms)")
    print(f"  of which snapshot {statistics.median(snap_times):.2f} ms, "
          f"setData {statistics.median(draw_times):.2f} ms, "
          f"paint {statistics.median(times) - statistics.median(snap_times) - statistics.median(draw_times):.2f} ms")
    win.close()


if __name__ == "__main__":
    main()
