"""Frame cost of the window: 10 runs with 20,000-step paths, 1280×800, offscreen.

One frame = take a snapshot of the race + every setData + a full synchronous paint of the
window. Prints the median and 90th percentile in milliseconds (target: median ≤ 8 ms).

    python benchmarks/frame.py [--frames 120] [--steps 20000] [--runs 10] [--presentation]
                               [--explain] [--repeats N [--baseline]]

``--repeats 10 --runs 4`` is the seed-fan case (engine.race.fans): 4 runs of 10 seeds each, with
gradient noise, each drawn as a median curve with its band and 10 faint paths (target ≤ 8 ms).

``--baseline`` (with ``--repeats``) measures the same runs without repeats too, in a second
window, in alternating blocks of frames, and prints both: the fans' cost against the plain
runs' measured in the same minutes (the machine's load drifts).

``--explain`` measures the same window with and without the step-explained overlay (key E,
on the first run), in alternating blocks of frames, and prints both side by side; the
snapshot then includes the selected run's walk (``Snapshot.walk``, made on the worker
thread in the app).
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

from common import LR, OPTIMIZERS  # noqa: E402

from descentlab.engine.files.scene import RunConfig, Scene  # noqa: E402


def repaint(win) -> None:
    """Paint, synchronously, every widget a frame changes (QWidget.repaint on the window
    itself does not reach into the plot views' viewports)."""
    data = win.panels.data
    for w in (win.panels.map.viewport(), win.panels.loss.viewport(), win.panels.board.viewport(), win.status,
              *(v.viewport() for v in (data.main, *data.small.values()))):
        if w.isVisible():
            w.repaint()


class Bench:
    """One window racing the benchmark's scene (``repeats`` seeds per run), warmed up."""

    def __init__(self, args, repeats: int):
        if args.preset:
            from descentlab.gui.support.presets import find_preset

            scene = find_preset(args.preset).scene
            scene.runs = (scene.runs * args.runs)[: args.runs]
        else:
            runs = [RunConfig(k, {"lr": LR[k]}) for k in (OPTIMIZERS * 2)[: args.runs]]
            scene = Scene(surface="rosenbrock", runs=runs, start=(-1.5, 2.0))
        if args.repeats > 1:  # the same noise with and without repeats (--baseline)
            for run in scene.runs:
                run.repeats = repeats
            if scene.data is None:
                scene.noise = 0.3
        self.controller, self.win = controller, win = open_window(scene, args.presentation)
        self.race = race = controller.race
        race.advance(args.steps - args.frames * 10)
        for _ in range(5):  # warm up (first paints allocate caches)
            race.advance(10)
            win.draw(race.snapshot())
            repaint(win)


def open_window(scene, presentation: bool):
    """The benchmarks' window: 1280×800 offscreen, the frame timer stopped (each benchmark
    draws its own frames), ``scene`` applied with its field drawn. Returns (controller, window)."""
    from PySide6.QtWidgets import QApplication

    from descentlab.engine.maps.fields import FieldRequest, compute_field
    from descentlab.gui.control.controller import RaceController
    from descentlab.gui.main_window import MainWindow

    controller = RaceController()
    win = MainWindow(controller)
    win.timer.stop()
    win.resize(1280, 800)
    win.apply_scene(scene)
    if presentation:
        win.set_presentation(True)
        win.showNormal()
        win.resize(1280, 800)
    win.show()
    QApplication.instance().processEvents()
    xr, yr = win.panels.map.visible_region()
    view = controller.map_frame
    win.panels.map.set_field(compute_field(FieldRequest(0, view.field_function(), xr, yr)))
    return controller, win


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument("--steps", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--presentation", action="store_true")
    ap.add_argument("--repeats", type=int, default=1, help="seeds per run (a seed fan); adds noise 0.3")
    ap.add_argument("--baseline", action="store_true",
                    help="with --repeats: the same runs without repeats too, side by side")
    ap.add_argument("--explain", action="store_true",
                    help="with and without the step-explained overlay, side by side")
    ap.add_argument("--preset", help="a preset instead (e.g. spirals-adam-vs-sgd); its runs "
                                     "are repeated up to --runs")
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    if args.baseline and args.repeats <= 1:
        ap.error("--baseline compares against --repeats N (N > 1)")
    if args.baseline and args.explain:
        ap.error("--baseline and --explain are two different comparisons: one at a time")
    main_bench = Bench(args, args.repeats)
    plain_bench = Bench(args, 1) if args.baseline else None
    race, controller = main_bench.race, main_bench.controller

    def frames(bench: Bench, n: int, explain: bool, out: dict) -> None:
        controller, race, win = bench.controller, bench.race, bench.win
        if controller.explain.on != explain:
            controller.explain.set_on(explain)
            race.explain_uid = controller.explain_uid
            for _ in range(3):  # the overlay's first paint allocates too
                race.advance(10)
                win.draw(race.snapshot())
                repaint(win)
        for _ in range(n):
            race.advance(10)  # paths keep growing, as in a live race
            t0 = time.perf_counter()
            snap = race.snapshot()
            t1 = time.perf_counter()
            win.draw(snap)
            t2 = time.perf_counter()
            repaint(win)
            t3 = time.perf_counter()
            out["total"].append((t3 - t0) * 1e3)
            out["snapshot"].append((t1 - t0) * 1e3)
            out["setData"].append((t2 - t1) * 1e3)

    plain = {"total": [], "snapshot": [], "setData": []}
    with_overlay = {"total": [], "snapshot": [], "setData": []}
    baseline = {"total": [], "snapshot": [], "setData": []}
    if args.explain:
        controller.select(controller.entries[0].uid)
        block = max(1, args.frames // 6)
        for _ in range(3):  # alternating blocks: drift in the machine's load hits both alike
            frames(main_bench, block, False, plain)
            frames(main_bench, block, True, with_overlay)
    elif plain_bench is not None:
        block = max(1, args.frames // 6)
        for _ in range(6):  # alternating blocks, as above
            frames(main_bench, block, False, plain)
            frames(plain_bench, block, False, baseline)
    else:
        frames(main_bench, args.frames, False, plain)
    what = args.preset or "rosenbrock"
    fans = f" × {args.repeats} repeats" if args.repeats > 1 else ""
    print(f"frame: {what}, {args.runs} runs{fans} × {race.step:,} steps, 1280×800 offscreen"
          f"{' (presentation)' if args.presentation else ''}")

    def line(label: str, t: dict) -> str:
        med = statistics.median(t["total"])
        q = statistics.quantiles(t["total"], n=10) if len(t["total"]) > 1 else [med]
        snap, set_data = statistics.median(t["snapshot"]), statistics.median(t["setData"])
        return (f"  {label}median {med:6.2f} ms   p90 {q[-1]:6.2f} ms   of which snapshot "
                f"{snap:.2f} ms, setData {set_data:.2f} ms, paint {med - snap - set_data:.2f} ms")

    if args.explain:
        print(line("without overlay  ", plain))
        print(line("with overlay (E) ", with_overlay))
        diff = statistics.median(with_overlay["total"]) - statistics.median(plain["total"])
        print(f"  difference of the medians {diff:+.2f} ms   (target: within 1 ms)")
    elif plain_bench is not None:
        print(line(f"{args.repeats} repeats   ", plain) + "   (target ≤ 8 ms)")
        print(line("no repeats   ", baseline) + "   (baseline, same minutes)")
    else:
        print(line("", plain) + "   (target ≤ 8 ms)")
    for bench in (main_bench, plain_bench):
        if bench is not None:
            bench.win.close()


if __name__ == "__main__":
    main()
