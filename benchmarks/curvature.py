"""Frame cost of the curvature view (View → Curvature, key H) beside the same frame without it.

The window of ``benchmarks/frame.py`` (10 runs with 20,000-step paths on Rosenbrock,
1280×800, offscreen), the first run selected; the runs advance 10 steps a frame, so the
curvature is computed anew every frame (its worst case). Alternating blocks of frames with
the view off and on; prints both medians, their difference, and the view's own work per
frame (the map layer's ``draw`` and the lr slider's mark, timed inside the frame).
Target: ≤ 0.5 ms a frame.

    python benchmarks/curvature.py [--frames 180] [--steps 20000] [--runs 10] [--presentation]
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LR, OPTIMIZERS  # noqa: E402
from frame import repaint  # noqa: E402

from descentlab.engine.files.scene import RunConfig, Scene  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=180)
    ap.add_argument("--steps", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--presentation", action="store_true")
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from descentlab.engine.maps.fields import FieldRequest, compute_field
    from descentlab.gui.control.controller import RaceController
    from descentlab.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
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
    view = controller.map_frame
    win.panels.map.set_field(compute_field(FieldRequest(0, view.field_function(), xr, yr)))
    race = controller.race
    controller.select(controller.entries[0].uid)
    race.advance(args.steps - args.frames * 10)

    acc = [0.0]  # the view's own work in the current frame (ms)
    own: list[float] = []
    layer, runs_panel = win.panels.map.curvature, win.panels.runs
    for obj, name in ((layer, "draw"), (runs_panel, "draw")):
        original = getattr(obj, name)

        def timed(*a, _f=original, **k):
            t = time.perf_counter()
            try:
                return _f(*a, **k)
            finally:
                acc[0] += (time.perf_counter() - t) * 1e3
        setattr(obj, name, timed)

    def frames(n: int, on: bool, out: list) -> None:
        if controller.curvature.on != on:
            controller.curvature.set_on(on)
            for _ in range(3):  # the first paints allocate
                race.advance(10)
                win.draw(race.snapshot())
                repaint(win)
        for _ in range(n):
            race.advance(10)  # the points move: the curvature is computed anew every frame
            acc[0] = 0.0
            t0 = time.perf_counter()
            win.draw(race.snapshot())
            repaint(win)
            out.append((time.perf_counter() - t0) * 1e3)
            if on:
                own.append(acc[0])

    for _ in range(5):
        race.advance(10)
        win.draw(race.snapshot())
        repaint(win)
    plain, with_view = [], []
    block = max(1, args.frames // 6)
    for _ in range(3):  # alternating blocks: drift in the machine's load hits both alike
        frames(block, False, plain)
        frames(block, True, with_view)
    print(f"curvature view: rosenbrock, {args.runs} runs × {race.step:,} steps, 1280×800 offscreen"
          f"{' (presentation)' if args.presentation else ''}")
    a, b = statistics.median(plain), statistics.median(with_view)
    print(f"  frame without the view   median {a:6.2f} ms")
    print(f"  frame with the view (H)  median {b:6.2f} ms   difference of the medians {b - a:+.2f} ms")
    print(f"  the view's own work      median {statistics.median(own):6.3f} ms a frame "
          f"(map layer + lr mark; target ≤ 0.5 ms)")
    win.close()


if __name__ == "__main__":
    main()
