"""``engine.trajectory`` for one run against a floor that records the same columns.

One run of Adam on Rosenbrock, 400,000 steps (issue 15: target ≤ 1.5× the floor). The
floor is a hand-specialised ``@njit`` loop with the same arithmetic that stores what the
engine's history stores for each step — the point (2 columns), the loss, the gradient norm
and the held-out loss (NaN on a surface) — into arrays allocated inside the timed call,
as ``trajectory`` allocates its own. Also printed: the floor storing the path only, and
``trajectory``'s own parts (building the race, stepping).

    python benchmarks/trajectory.py [--steps 400000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
from numba import njit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import best_of  # noqa: E402

from descentlab import engine  # noqa: E402

ADAM = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
START = (-1.2, 1.0)


@njit(nogil=True, cache=False)
def _floor(x, y, n, lr, b1, b2, eps, path, loss, gnorm, test, all_columns):
    a, b = 1.0 - x, y - x * x
    gx, gy = -2.0 * a - 400.0 * x * b, 200.0 * b
    mx = my = vx = vy = 0.0
    path[0, 0], path[0, 1] = x, y
    if all_columns:
        loss[0] = a * a + 100.0 * b * b
        gnorm[0] = math.sqrt(gx * gx + gy * gy)
        test[0] = np.nan
    for step in range(1, n + 1):
        t = float(step)
        mx = b1 * mx + (1.0 - b1) * gx
        my = b1 * my + (1.0 - b1) * gy
        vx = b2 * vx + (1.0 - b2) * gx * gx
        vy = b2 * vy + (1.0 - b2) * gy * gy
        bias_correction1 = 1.0 - b1**t
        bias_correction2_sqrt = (1.0 - b2**t) ** 0.5
        step_size = lr / bias_correction1
        x -= step_size * mx / (math.sqrt(vx) / bias_correction2_sqrt + eps)
        y -= step_size * my / (math.sqrt(vy) / bias_correction2_sqrt + eps)
        a, b = 1.0 - x, y - x * x
        gx, gy = -2.0 * a - 400.0 * x * b, 200.0 * b
        path[step, 0] = x
        path[step, 1] = y
        if all_columns:
            loss[step] = a * a + 100.0 * b * b
            gnorm[step] = math.sqrt(gx * gx + gy * gy)
            test[step] = np.nan


def floor(n: int, all_columns: bool) -> np.ndarray:
    path = np.empty((n + 1, 2))
    cols = n + 1 if all_columns else 1
    loss, gnorm, test = np.empty(cols), np.empty(cols), np.empty(cols)
    _floor(START[0], START[1], n, ADAM["lr"], ADAM["beta1"], ADAM["beta2"], ADAM["eps"],
           path, loss, gnorm, test, all_columns)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=400_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    n = args.steps

    engine.trajectory("rosenbrock", "adam", START, 10, **ADAM)  # load the compiled kernels
    floor(10, True)
    floor(10, False)
    ref = engine.trajectory("rosenbrock", "adam", START, 1000, **ADAM)
    same = np.allclose(floor(1000, True), ref, rtol=1e-9, atol=1e-12)

    t_traj = best_of(lambda: engine.trajectory("rosenbrock", "adam", START, n, **ADAM), args.repeat)
    t_all = best_of(lambda: floor(n, True), args.repeat)
    t_path = best_of(lambda: floor(n, False), args.repeat)
    warm = [np.zeros((n + 1, 2)), np.zeros(n + 1), np.zeros(n + 1), np.zeros(n + 1)]  # pages touched

    def floor_reused():
        _floor(START[0], START[1], n, ADAM["lr"], ADAM["beta1"], ADAM["beta2"], ADAM["eps"], *warm, True)

    t_reused = best_of(floor_reused, args.repeat)

    def parts():
        t0 = time.perf_counter()
        race = engine.Race("rosenbrock", history=n + 1)
        race.add_run("adam", START, **ADAM)
        t1 = time.perf_counter()
        race.advance(n)
        t2 = time.perf_counter()
        return t1 - t0, t2 - t1

    split = min((parts() for _ in range(args.repeat)), key=sum)

    ns = 1e9 / n
    print(f"trajectory: Adam on Rosenbrock, one run, {n:,} steps (best of {args.repeat})")
    print(f"  engine.trajectory                        {t_traj * ns:7.1f} ns/step  ({t_traj * 1e3:.1f} ms)")
    print(f"  floor recording the same columns         {t_all * ns:7.1f} ns/step")
    print(f"  floor recording the path only            {t_path * ns:7.1f} ns/step")
    print(f"  floor, same columns, buffers reused      {t_reused * ns:7.1f} ns/step  (no allocation, pages warm)")
    print(f"  of trajectory: build the race {split[0] * 1e3:.2f} ms, step {split[1] * ns:.1f} ns/step "
          "(the history's path is the result: no copy)")
    print(f"  ratio trajectory / floor (same columns)  {t_traj / t_all:7.2f}×   (target ≤ 1.5×)")
    print(f"  ratio trajectory / floor (path only)     {t_traj / t_path:7.2f}×")
    print(f"  ratio trajectory / floor (buffers reused){t_traj / t_reused:7.2f}×")
    if not same:
        print("  warning: the floor's path differs from the engine's: the comparison is unfair")


if __name__ == "__main__":
    main()
