"""Frame cost of the curvature view (View → Curvature, key H) beside the same frame without it.

The window of ``benchmarks/frame.py`` (10 runs with 20,000-step paths on Rosenbrock,
1280×800, offscreen), the first run selected; the runs advance 10 steps a frame, so the
curvature is computed anew every frame (its worst case). Alternating blocks of frames with
the view off and on; prints both medians, their difference, and the view's own work per
frame (the map layer's ``draw`` and the lr slider's mark, timed inside the frame). Each in
wall-clock time and in the GUI thread's CPU time (``time.thread_time``): on a machine shared
with other work the wall clock also counts the time other processes held the cores.
Target: ≤ 0.5 ms a frame.

    python benchmarks/curvature.py [--frames 180] [--steps 20000] [--runs 10] [--presentation]
                                   [--moving]

``--moving``: the selected run is one whose point moves several pixels a frame (Adam near its
start), so the view cannot keep its drawing (it redraws only what moved at least half a
pixel, and its texts at most every 0.2 s while a run races on).
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
from frame import open_window, repaint  # noqa: E402

from descentlab.engine.files.scene import RunConfig, Scene  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=180)
    ap.add_argument("--steps", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--presentation", action="store_true")
    ap.add_argument("--moving", action="store_true", help="select a run whose point moves pixels a frame")
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    runs = [RunConfig(k, {"lr": LR[k]}) for k in (OPTIMIZERS * 2)[: args.runs]]
    scene = Scene(surface="rosenbrock", runs=runs, start=(-1.5, 2.0))
    controller, win = open_window(scene, args.presentation)
    race = controller.race
    race.advance(args.steps - args.frames * 10)
    selected = controller.entries[0].uid
    if args.moving:  # the run whose point moved the most over the last frame's 10 steps
        before = {r.uid: r.position.copy() for r in race.snapshot().runs}
        race.advance(10)
        px = win.panels.map.pixel_scale()
        moved = {r.uid: abs((r.position - before[r.uid])[0]) * px[0] + abs((r.position - before[r.uid])[1]) * px[1]
                 for r in race.snapshot().runs if r.diverged_at is None}
        selected = max(moved, key=moved.get)
    controller.select(selected)

    acc = [0.0, 0.0]  # the view's own work in the current frame (ms): wall, CPU
    own: list[float] = []
    own_cpu: list[float] = []
    layer, runs_panel = win.panels.map.curvature, win.panels.runs
    for obj, name in ((layer, "draw"), (runs_panel, "draw")):
        original = getattr(obj, name)

        def timed(*a, _f=original, **k):
            t, c = time.perf_counter(), time.thread_time()
            try:
                return _f(*a, **k)
            finally:
                acc[0] += (time.perf_counter() - t) * 1e3
                acc[1] += (time.thread_time() - c) * 1e3
        setattr(obj, name, timed)

    def frames(n: int, on: bool, out: list, out_cpu: list) -> None:
        if controller.curvature.on != on:
            controller.curvature.set_on(on)
            for _ in range(3):  # the first paints allocate
                race.advance(10)
                win.draw(race.snapshot())
                repaint(win)
        for _ in range(n):
            race.advance(10)  # the points move: the curvature is computed anew every frame
            acc[0] = acc[1] = 0.0
            t0, c0 = time.perf_counter(), time.thread_time()
            win.draw(race.snapshot())
            repaint(win)
            out.append((time.perf_counter() - t0) * 1e3)
            out_cpu.append((time.thread_time() - c0) * 1e3)
            if on:
                own.append(acc[0])
                own_cpu.append(acc[1])

    for _ in range(5):
        race.advance(10)
        win.draw(race.snapshot())
        repaint(win)
    plain, with_view, plain_cpu, with_cpu = [], [], [], []
    block = max(1, args.frames // 12)
    for _ in range(6):  # alternating blocks: drift in the machine's load hits both alike
        frames(block, False, plain, plain_cpu)
        frames(block, True, with_view, with_cpu)
    label = controller.entry(selected).label
    print(f"curvature view: rosenbrock, {args.runs} runs × {race.step:,} steps, 1280×800 offscreen"
          f"{' (presentation)' if args.presentation else ''}; selected: {label}")
    med = statistics.median
    print("                           wall clock            GUI thread's CPU")
    print(f"  frame without the view   {med(plain):6.2f} ms             {med(plain_cpu):6.2f} ms")
    print(f"  frame with the view (H)  {med(with_view):6.2f} ms             {med(with_cpu):6.2f} ms")
    print(f"  difference (medians)     {med(with_view) - med(plain):+6.2f} ms             "
          f"{med(with_cpu) - med(plain_cpu):+6.2f} ms")
    print(f"  the view's own work      {med(own):6.3f} ms            {med(own_cpu):6.3f} ms   "
          f"(map layer + lr mark, inside the frame; target ≤ 0.5 ms)")
    win.close()


if __name__ == "__main__":
    main()
