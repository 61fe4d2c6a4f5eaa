"""Maps benchmark: a 256 × 256 × 500-step basin map of Adam on Rosenbrock against a floor.

    python benchmarks/maps.py           # best of 3
    python benchmarks/maps.py --quick   # best of 1
    python benchmarks/maps.py --gui     # also: the window's frames while maps compute

The floor is a hand-written ``@njit`` loop over the same grid on one core: Rosenbrock's f and
∇f inline, Adam with its bias corrections by float ``**`` like the engine (and torch; the
same floor as benchmarks/engine.py), the divergence box and the reached test, and each cell
stopped as soon as it has reached the minimum (its answer is final then). It must give the
same map as ``engine.basin_map`` (checked). Printed: the floor, ``engine.basin_map`` on one
thread and on two, the ratio to the floor (target ≤ 1.5×), the 64² coarse picture a change
shows first (target ≤ 0.15 s), a 64 × 64 hyperparameter map and a 25 + 2 × 9 lr tune, the
bytes a map holds per cell, and a race's step cost with and without an lr schedule.
"""

from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from numba import njit  # noqa: E402

from descentlab import engine  # noqa: E402
from descentlab.engine.maps import races as maps  # noqa: E402

QUICK = "--quick" in sys.argv
REPEATS = 1 if QUICK else 3
N, STEPS, LR = 256, 500, 0.01


@njit(cache=True, nogil=True, error_model="numpy", fastmath=False)
def floor_basin(xs, ys, steps, lr, lo, hi, mx, my, tol, which, at):
    b1, b2, eps = 0.9, 0.999, 1e-8
    for j in range(ys.size):
        for i in range(xs.size):
            x, y = xs[i], ys[j]
            mxa = mya = vxa = vya = 0.0
            d = x - 1.0
            e = y - x * x
            gx = 2.0 * d - 400.0 * x * e
            gy = 200.0 * e
            w, s = -2, -1
            if (x - mx) ** 2 + (y - my) ** 2 <= tol * tol:
                w, s = 0, 0
            else:
                for t in range(1, steps + 1):
                    ft = float(t)
                    bc1 = 1.0 - b1**ft
                    bc2 = (1.0 - b2**ft) ** 0.5  # as the engine and torch: float pow
                    mxa += (gx - mxa) * (1.0 - b1)
                    mya += (gy - mya) * (1.0 - b1)
                    vxa = vxa * b2 + (1.0 - b2) * gx * gx
                    vya = vya * b2 + (1.0 - b2) * gy * gy
                    nx = x - lr / bc1 * mxa / (math.sqrt(vxa) / bc2 + eps)
                    ny = y - lr / bc1 * mya / (math.sqrt(vya) / bc2 + eps)
                    d = nx - 1.0
                    e = ny - nx * nx
                    f = d * d + 100.0 * e * e
                    if not (math.isfinite(f) and lo[0] <= nx <= hi[0] and lo[1] <= ny <= hi[1]):
                        w = -1
                        break
                    x, y = nx, ny
                    gx = 2.0 * d - 400.0 * x * e
                    gy = 200.0 * e
                    if (x - mx) ** 2 + (y - my) ** 2 <= tol * tol:
                        w, s = 0, t
                        break
            which[j, i] = w
            at[j, i] = s


def best(fn, repeats=REPEATS):
    out = None
    for _ in range(repeats):
        t = time.perf_counter()
        res = fn()
        dt = time.perf_counter() - t
        out = dt if out is None else min(out, dt)
    return out, res


def main() -> None:
    p = engine.as_problem("rosenbrock")
    x0, x1, y0, y1 = p.domain
    xs, ys = np.linspace(x0, x1, N), np.linspace(y0, y1, N)
    which, at = np.empty((N, N), np.int64), np.empty((N, N), np.int64)
    mx, my = p.minima[0]
    args = (xs, ys, STEPS, LR, p.box.lo, p.box.hi, mx, my, p.box.tol, which, at)
    floor_basin(*args)  # compile / load
    engine.basin_map(p, "adam", xs[:8], ys[:8], 10, lr=LR)  # load the race kernel
    t_floor, _ = best(lambda: floor_basin(*args))
    t_one, m1 = best(lambda: engine.basin_map(p, "adam", xs, ys, STEPS, threads=1, lr=LR))
    t_two, m2 = best(lambda: engine.basin_map(p, "adam", xs, ys, STEPS, lr=LR))
    cx, cy = np.linspace(x0, x1, 64), np.linspace(y0, y1, 64)
    t_coarse, _ = best(lambda: engine.basin_map(p, "adam", cx, cy, STEPS, lr=LR), 5)
    agree = (m1.which == which).mean(), (m1.steps == at).mean()
    same = bool((m1.which == m2.which).all() and (m1.steps == m2.steps).all())
    hx, hy = maps.axis_grid("sgd", "lr", 64), maps.axis_grid("sgd", "momentum", 64)
    t_hyper, _ = best(lambda: engine.hyper_map("ellipse", "sgd", None, x=("lr", hx),
                                               y=("momentum", hy), steps=STEPS))
    t_tune, _ = best(lambda: engine.tune_lr("rosenbrock", "adam", None, STEPS))
    cells = maps._Cells(p, "adam", np.zeros((1000, 2)), {"lr": LR}, {}, None, {})
    per_cell = (sum(a.nbytes for a in cells.runs) + sum(a.nbytes for a in cells.hist)) / 1000
    reached = (which >= 0).mean()
    print(f"basin map, Adam on Rosenbrock, {N}x{N} starts x {STEPS} steps, lr={LR} "
          f"({reached:.0%} of cells reach the minimum), {os.cpu_count()} cores")
    print(f"  floor (hand-written @njit, one core)   {t_floor:7.3f} s")
    print(f"  engine.basin_map, one thread           {t_one:7.3f} s   {t_one / t_floor:5.2f}x floor")
    print(f"  engine.basin_map, two threads          {t_two:7.3f} s   {t_two / t_floor:5.2f}x floor"
          "   (target <= 1.5x)")
    print(f"  coarse 64x64 picture                   {t_coarse:7.3f} s   (target <= 0.15 s)")
    print(f"  floor agrees with the engine on {agree[0]:.4%} of 'which', {agree[1]:.4%} of "
          f"'steps'; one thread == two threads: {same}")
    print(f"hyper map, SGD on the ellipse, lr x momentum 64x64 x {STEPS}   {t_hyper:7.3f} s")
    print(f"tune_lr, Adam on Rosenbrock (25 + 2 x 9 lrs x {STEPS})      {t_tune:7.3f} s")
    print(f"memory: {per_cell:.0f} bytes per cell, whatever the number of steps")
    for sched in (None, {"name": "cosine", "T_max": 1000}, {"name": "warmup_cosine"}):
        race = engine.Race("rosenbrock", history=1024)
        for _ in range(10):
            race.add_run("adam", lr=1e-4, schedule=sched)
        race.advance(1000)
        n = 20_000 if QUICK else 100_000
        t, _ = best(lambda r=race, k=n: r.advance(k))
        name = "constant" if sched is None else sched["name"]
        print(f"race step, 10 Adam runs, {name:>13} schedule: {t / (10 * n) * 1e9:6.1f} ns per "
              "optimizer-step")


def gui_frames() -> None:
    """The window's frame timer while basin maps compute: gaps between ticks and the time
    each frame takes (the race playing, the basin layer recomputed again and again)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from descentlab.gui.control.controller import RaceController
    from descentlab.gui.main_window import MainWindow
    from descentlab.gui.support.presets import find_preset

    app = QApplication.instance() or QApplication([])
    controller = RaceController()
    window = MainWindow(controller)
    window.resize(1280, 800)
    window.show()
    controller.start()
    window.apply_scene(find_preset("06-himmelblau").scene)
    while not (controller.is_ready and controller.race is not None):
        app.processEvents()
    controller.set_step_limit(None)
    layer = window.panels.map.basins
    fine = [0]
    layer.thread.computed.connect(
        lambda serial, r: fine.__setitem__(0, fine[0] + (r[1].which.shape == (256, 256))))
    window.basins_action.setChecked(True)
    while not fine[0]:  # warm: kernels loaded
        app.processEvents()
    ticks, costs = [], []
    original = window.frame

    def timed_frame():
        t = time.perf_counter()
        original()
        costs.append(time.perf_counter() - t)
        ticks.append(t)

    window.timer.timeout.disconnect()
    window.timer.timeout.connect(timed_frame)
    controller.set_playing(True)
    seen = fine[0] = 0
    window.panels.map.vb.scaleBy((0.98, 0.98))  # a zoom: the basins are asked again
    t_end = time.perf_counter() + 6.0
    while time.perf_counter() < t_end:
        if fine[0] > seen:  # the last map is in: zoom again
            seen = fine[0]
            window.panels.map.vb.scaleBy((0.98, 0.98))
        app.processEvents()
    maps_done = fine[0]
    controller.set_playing(False)
    gaps = np.diff(ticks) * 1e3
    print(f"GUI while basin maps compute ({maps_done} fine maps in 6 s, race playing): frame "
          f"timer gap median {np.median(gaps):.1f} ms, 99th pct {np.percentile(gaps, 99):.1f} ms, "
          f"max {gaps.max():.1f} ms; frame cost median {np.median(costs) * 1e3:.1f} ms, "
          f"max {max(costs) * 1e3:.1f} ms (target <= 20 ms)")
    window.close()


if __name__ == "__main__":
    main()
    if "--gui" in sys.argv:
        gui_frames()
