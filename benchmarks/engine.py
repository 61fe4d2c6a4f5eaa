"""Engine benchmark: the cost of one optimizer-step in ``engine.Race``, against a floor.

Run it from anywhere::

    python benchmarks/engine.py            # about a minute (two cold compiles included)
    python benchmarks/engine.py --quick    # shorter timings, same table

It prints one table:

1. ns per optimizer-step of ``engine.Race`` on Rosenbrock: 10 runs of mixed optimizers (all 13
   cycled), 1,000 mixed runs, 10 Adam runs, and the floor: a hand-specialised ``@njit`` loop
   doing the same Adam-on-Rosenbrock work (analytic f and ∇f inline, Adam with bias corrections
   by float ``**`` like the engine, every point stored into a preallocated array). The ratio
   Race-Adam / floor is the price of generality (target ≤ 1.5×).
2. Compile time, each in a fresh interpreter: cold (empty DESCENTLAB_CACHE_DIR) ``from descentlab import engine``
   + first ``trajectory``; warm (same folder again) ``from descentlab import engine`` + first chunk
   (targets: cold ≤ 5 s, warm ≤ 0.5 s); and every kernel (surfaces, race, datasets) into
   another empty folder the way the app's first launch does it: two child processes
   (``engine.compile.precompile.compile_all``), with the time each group was reported.
3. If torch is importable: ``torch.optim.Adam`` on the same 2-parameter problem, one thread.

Figures are best-of-3 wall-clock timings of ~1 s each, after a warm-up.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This script is itself called engine.py: keep its folder off sys.path so that ``from descentlab import engine``
# finds the package at the repository root, not this file.
sys.path[:] = [p for p in sys.path if Path(p or os.getcwd()).resolve() != HERE]
sys.path.insert(0, str(ROOT))

import numba  # noqa: E402
import numpy as np  # noqa: E402
from numba import njit  # noqa: E402

from descentlab import engine  # noqa: E402

QUICK = "--quick" in sys.argv
TARGET_SECONDS = 0.25 if QUICK else 1.0
REPEATS = 3

# Small learning rates so that no run diverges (a diverged run stops costing anything, which
# would flatter the figures); the benchmark checks that none did.
MIXED_HYPER = {
    "gd": {"lr": 1e-4},
    "momentum": {"lr": 1e-4, "beta": 0.9},
    "sgd": {"lr": 1e-4, "momentum": 0.9},
    "nag": {"lr": 1e-4, "momentum": 0.9},
    "adagrad": {"lr": 0.01},
    "rmsprop": {"lr": 1e-4},
    "adadelta": {"lr": 1.0},
    "adam": {"lr": 1e-3},
    "adamw": {"lr": 1e-3},
    "adamax": {"lr": 1e-3},
    "nadam": {"lr": 1e-3},
    "radam": {"lr": 1e-3},
    "lion": {"lr": 1e-4},
}
# The thirteen of the first rounds, so that the figure compares across versions (issue 24:
# the step of the old optimizers is unchanged while the dispatch grew); the newer ones
# (Rprop, ASGD, Adafactor, Muon, the Newtons with their Hessians) are not in this mix.
assert set(MIXED_HYPER) <= set(engine.OPTIMIZERS), "MIXED_HYPER names an unknown optimizer"

ADAM = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


def starts(n: int) -> np.ndarray:
    """``n`` distinct starts around Rosenbrock's default start (-1.2, 1)."""
    rng = np.random.default_rng(0)
    return np.array([-1.2, 1.0]) + rng.uniform(-0.1, 0.1, size=(n, 2))


# ---------------------------------------------------------------------------------- timing
#
# Every timed call starts its runs at step 1 (Race.reset, excluded from the time; the floor
# restarts by itself). That matters: ``b ** t`` in the Adam family costs ~8 ns while the result
# is normal but ~30-40 ns once it underflows (glibc's slow path), i.e. after t ≈ 7,000 steps for
# β₁ = 0.9 and t ≈ 710,000 for β₂ = 0.999, so a figure depends on which steps it covers.
# Both are shown: a long race (steps 1…N) and the opening (steps 1…5,000, repeated).

WINDOW = 5_000


def calibrate(measure, start: int) -> int:
    """The smallest n (×4 steps) for which ``measure(n)`` takes about TARGET_SECONDS."""
    n = max(1, start)
    while True:
        dt = measure(n)
        if dt > 0.05 * TARGET_SECONDS or n >= 10**9:
            return max(1, int(n * TARGET_SECONDS / max(dt, 1e-9)))
        n *= 4


def best_of(measure, n: int) -> float:
    return min(measure(n) for _ in range(REPEATS))


def make_race(keys: list[str], history: int) -> engine.Race:
    race = engine.Race("rosenbrock", history=history)
    for key, start in zip(keys, starts(len(keys)), strict=True):
        race.add_run(key, start, **MIXED_HYPER[key])
    race.advance(100)  # warm-up: loads or compiles the kernels
    return race


def race_ns_per_step(keys: list[str], history: int) -> tuple[float, int, int]:
    """ns per optimizer-step over steps 1…n; also n and how many runs diverged."""
    race = make_race(keys, history)

    def measure(n):
        race.reset()
        t0 = time.perf_counter()
        race.advance(n)
        return time.perf_counter() - t0

    n = calibrate(measure, 100)
    seconds = best_of(measure, n)
    diverged = sum(r.diverged_at is not None for r in race.snapshot(history=False).runs)
    return seconds / (n * len(keys)) * 1e9, n, diverged


def race_window_ns_per_step(keys: list[str], history: int) -> float:
    """ns per optimizer-step over steps 1…WINDOW only (reset, advance(WINDOW), repeated)."""
    race = make_race(keys, history)

    def measure(k):
        total = 0.0
        for _ in range(k):
            race.reset()
            t0 = time.perf_counter()
            race.advance(WINDOW)
            total += time.perf_counter() - t0
        return total

    k = calibrate(measure, 1)
    return best_of(measure, k) / (k * WINDOW * len(keys)) * 1e9


def race_chunk_overhead_us(runs: int) -> float:
    """µs per ``advance(1)`` call: the fixed cost of one chunk, paid per GUI frame."""
    race = make_race([list(MIXED_HYPER)[i % len(MIXED_HYPER)] for i in range(runs)], 64)

    def measure(k):
        t0 = time.perf_counter()
        for _ in range(k):
            race.advance(1)
        return time.perf_counter() - t0

    k = calibrate(measure, 100)
    return best_of(measure, k) / k * 1e6


# The floor: Adam on Rosenbrock and nothing else. Same arithmetic as the engine (bias corrections
# with float ``**`` and ``** 0.5``, f and ∇f once per step at the new point, each point stored),
# but no dispatch, no divergence/box/minimum checks, no history decimation, plain a*b+c.
@njit(nogil=True, cache=False)
def floor_adam(starts, n, lr, b1, b2, eps, path):
    acc = 0.0
    for r in range(starts.shape[0]):
        x, y = starts[r, 0], starts[r, 1]
        a, b = 1.0 - x, y - x * x
        gx, gy = -2.0 * a - 400.0 * x * b, 200.0 * b
        mx = my = vx = vy = 0.0
        path[0, 0], path[0, 1] = x, y
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
            acc += a * a + 100.0 * b * b
            gx, gy = -2.0 * a - 400.0 * x * b, 200.0 * b
            path[step, 0] = x
            path[step, 1] = y
    return acc


def floor_ns_per_step(runs: int, n: int | None = None) -> tuple[float, int]:
    """ns per step of the floor over steps 1…n (calibrated when n is None)."""
    s = starts(runs)
    buffers: dict[int, np.ndarray] = {}

    def measure(n):
        if n not in buffers:
            buffers.clear()
            buffers[n] = np.empty((n + 1, 2))
            buffers[n][:] = 0.0  # touch the pages before timing
        t0 = time.perf_counter()
        floor_adam(s, n, ADAM["lr"], ADAM["beta1"], ADAM["beta2"], ADAM["eps"], buffers[n])
        return time.perf_counter() - t0

    measure(100)  # compile
    if n is None:
        n = calibrate(measure, 1000)
        return best_of(measure, n) / (n * runs) * 1e9, n

    def repeated(k):  # the opening only: k calls of n steps each
        return sum(measure(n) for _ in range(k))

    k = calibrate(repeated, 1)
    return best_of(repeated, k) / (k * n * runs) * 1e9, n


def floor_matches_engine() -> bool:
    """Sanity check: the floor computes (nearly) the engine's Adam path."""
    s = np.array([[-1.2, 1.0]])
    path = np.empty((1001, 2))
    floor_adam(s, 1000, ADAM["lr"], ADAM["beta1"], ADAM["beta2"], ADAM["eps"], path)
    ref = engine.trajectory("rosenbrock", "adam", (-1.2, 1.0), 1000, **ADAM)
    return bool(np.allclose(path, ref, rtol=1e-9, atol=1e-12))


# --------------------------------------------------------------------------------- compile

COLD = """
import json, time
t0 = time.perf_counter()
from descentlab import engine
t1 = time.perf_counter()
engine.trajectory("rosenbrock", "adam", (-1.2, 1.0), 10, lr=1e-3)
t2 = time.perf_counter()
import descentlab.engine.surface.race_kernel as k
print(json.dumps({"import": t1 - t0, "total": t2 - t0, "misses": len(k.advance_surface.stats.cache_misses)}))
"""

WARM = """
import json, time
t0 = time.perf_counter()
from descentlab import engine
t1 = time.perf_counter()
race = engine.Race("rosenbrock")
race.add_run("adam", lr=1e-3)
race.add_run("sgd", lr=1e-4, momentum=0.9)
race.advance(200)
t2 = time.perf_counter()
import descentlab.engine.surface.race_kernel as k
print(json.dumps({"import": t1 - t0, "total": t2 - t0, "misses": len(k.advance_surface.stats.cache_misses)}))
"""

PARALLEL = """
import json, time
t0 = time.perf_counter()
from descentlab import engine
from descentlab.engine.compile import precompile
t1 = time.perf_counter()
groups = precompile.compile_all()
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "total": t2 - t0, "groups": groups, "misses": 0}))
"""


def compile_figures() -> dict[str, dict]:
    """Cold and warm start in fresh interpreters with an empty, then reused, cache folder.

    They import a copy of the engine taken now, so that somebody editing the live tree between
    the two runs cannot turn the warm run into a cold one (the cache folder is per source hash).
    """
    out = {}
    with tempfile.TemporaryDirectory(prefix="descentlab-bench-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT / "engine", src / "descentlab" / "engine",
                        ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
        for name, code, cache in (("cold", COLD, "cache"), ("warm", WARM, "cache"),
                                  ("parallel", PARALLEL, "cache-parallel")):
            env = dict(os.environ, DESCENTLAB_CACHE_DIR=str(Path(tmp) / cache), PYTHONPATH=str(src))
            env.pop("NUMBA_CACHE_DIR", None)
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", code], cwd=src, env=env,
                                  capture_output=True, text=True, timeout=900)
            wall = time.perf_counter() - t0
            if proc.returncode != 0:
                raise RuntimeError(f"{name} compile run failed:\n{proc.stderr[-2000:]}")
            out[name] = {**json.loads(proc.stdout.strip().splitlines()[-1]), "process": wall}
    return out


# ----------------------------------------------------------------------------------- torch


def torch_figures() -> dict[str, float] | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    p = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=ADAM["lr"], betas=(ADAM["beta1"], ADAM["beta2"]), eps=ADAM["eps"])

    def autograd_steps(n):
        for _ in range(n):
            opt.zero_grad()
            x, y = p[0], p[1]
            loss = (1 - x) ** 2 + 100 * (y - x * x) ** 2
            loss.backward()
            opt.step()

    q = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)
    opt_q = torch.optim.Adam([q], lr=ADAM["lr"], betas=(ADAM["beta1"], ADAM["beta2"]), eps=ADAM["eps"])
    q.grad = torch.zeros_like(q)

    def step_only(n):  # analytic gradient written into .grad: the optimizer's own cost
        g = q.grad
        for _ in range(n):
            with torch.no_grad():
                x, y = float(q[0]), float(q[1])
                b = y - x * x
                g[0] = -2.0 * (1.0 - x) - 400.0 * x * b
                g[1] = 200.0 * b
            opt_q.step()

    figures = {"version": torch.__version__}
    for name, fn in (("autograd", autograd_steps), ("step_only", step_only)):
        def measure(n, fn=fn):
            t0 = time.perf_counter()
            fn(n)
            return time.perf_counter() - t0

        measure(50)  # warm-up
        n = calibrate(measure, 50)
        figures[name] = best_of(measure, n) / n * 1e6
    return figures


# ------------------------------------------------------------------------------------ main


def main() -> None:
    keys = list(MIXED_HYPER)
    print(f"Descent Lab engine benchmark — Python {platform.python_version()}, numpy "
          f"{np.__version__}, numba {numba.__version__}, {os.cpu_count()} CPUs, "
          f"{platform.machine()}{', quick' if QUICK else ''}")
    print(f"engine cache: {engine.CACHE_DIR}")
    if hasattr(os, "getloadavg"):  # other work on the machine inflates every figure
        print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(flush=True)

    rows = []
    mixed10 = [keys[i % len(keys)] for i in range(10)]
    mixed1000 = [keys[i % len(keys)] for i in range(1000)]
    for label, run_keys, history in (
        ("Race, mixed optimizers (13 cycled)", mixed10, 1024),
        ("Race, mixed optimizers (13 cycled)", mixed1000, 64),
        ("Race, Adam", ["adam"] * 10, 1024),
    ):
        ns, steps, diverged = race_ns_per_step(run_keys, history)
        rows.append((label, len(run_keys), f"1…{steps:,}", ns, diverged))
        print(f"  measured: {label}, {len(run_keys)} runs", flush=True)
    race_adam = rows[-1][3]
    floor_ns, floor_steps = floor_ns_per_step(10)
    rows.append(("floor: hand-written @njit Adam-on-Rosenbrock", 10, f"1…{floor_steps:,}", floor_ns, 0))
    window_race = race_window_ns_per_step(["adam"] * 10, 1024)
    rows.append(("Race, Adam, opening only", 10, f"1…{WINDOW:,}", window_race, 0))
    window_floor, _ = floor_ns_per_step(10, WINDOW)
    rows.append(("floor, opening only", 10, f"1…{WINDOW:,}", window_floor, 0))
    print("  measured: floor", flush=True)
    overhead = race_chunk_overhead_us(10)
    compile_ = compile_figures()
    print("  measured: compile", flush=True)
    torch_ = torch_figures()
    print("  measured: torch\n" if torch_ else "  torch not importable\n", flush=True)

    w = 52
    line = "-" * (w + 40)
    print(line)
    print(f"{'1. Stepping, rosenbrock, float64':<{w}}{'runs':>6}{'steps t':>14}{'ns/opt-step':>14}")
    print(line)
    for label, runs, steps, ns, diverged in rows:
        note = f"   ({diverged} diverged!)" if diverged else ""
        print(f"  {label:<{w - 2}}{runs:>6,}{steps:>14}{ns:>14.1f}{note}")
    for label, ratio in (("ratio Race-Adam / floor, long race", race_adam / floor_ns),
                         ("ratio Race-Adam / floor, opening", window_race / window_floor)):
        verdict = "ok" if ratio <= 1.5 else "OVER TARGET"
        print(f"  {label:<{w - 2}}{'':>20}{ratio:>13.2f}×   target ≤ 1.5× — {verdict}")
    print(f"  {'fixed cost of one advance() call, 10 runs':<{w - 2}}{'':>20}{overhead:>11.1f} µs")
    if not floor_matches_engine():
        print("  warning: the floor's Adam path differs from the engine's: the comparison is unfair")
    print(line)
    print(f"{'2. Compile, fresh interpreter each':<{w}}{'import':>9}{'+ first call':>14}"
          f"{'process':>10}{'target':>9}")
    print(line)
    for name, label, target in (("cold", "cold: from descentlab import engine + first trajectory()", 5.0),
                                ("warm", "warm: from descentlab import engine + first chunk (advance)", 0.5)):
        c = compile_[name]
        flag = "" if c["total"] <= target else "  OVER"
        recompiled = "" if name == "cold" or c["misses"] == 0 else "  (recompiled!)"
        print(f"  {label:<{w - 2}}{c['import']:>8.2f}s{c['total']:>13.2f}s{c['process']:>9.2f}s"
              f"{'≤ ' + format(target, 'g') + ' s':>9}{flag}{recompiled}")
    c = compile_["parallel"]
    groups = c["groups"]
    surface = max(groups.get("race", math.nan), groups.get("surfaces", math.nan))
    datasets = groups.get("datasets", math.nan)
    print(f"  {'cold, as the app: 2 child processes compile':<{w - 2}}")
    print(f"    {'the surface engine (groups race + surfaces)':<{w - 4}}{c['import']:>8.2f}s"
          f"{surface:>13.2f}s{'':>10}{'≤ 4 s':>9}{'' if surface <= 4.0 else '  OVER'}")
    print(f"    {'… and the dataset kernels too (in the background)':<{w - 4}}{'':>9}"
          f"{datasets:>13.2f}s{'':>10}{'≤ 6 s':>9}{'' if datasets <= 6.0 else '  OVER'}")
    print(f"    {'… and the typed formulas (in the background)':<{w - 4}}{'':>9}"
          f"{groups.get('formula', math.nan):>13.2f}s")
    print("  ('+ first call' includes the import; 'process' adds interpreter start-up.)")
    print(line)
    if torch_:
        print(f"{'3. Contrast: torch ' + torch_['version'] + ', 1 thread, same problem':<{w}}"
              f"{'':>18}{'µs/step':>14}")
        print(line)
        print(f"  {'torch.optim.Adam + autograd loss.backward()':<{w - 2}}{'':>18}{torch_['autograd']:>14.1f}")
        print(f"  {'torch.optim.Adam.step() alone (gradient set by hand)':<{w - 2}}{'':>18}"
              f"{torch_['step_only']:>14.1f}")
        print(f"  {'Race-Adam, for comparison':<{w - 2}}{'':>18}{race_adam / 1000:>14.4f}")
        print(f"  → torch + autograd takes {torch_['autograd'] * 1000 / race_adam:,.0f}× the Race's time per step")
        print(line)
    else:
        print("3. torch is not importable: no contrast figure")
    if hasattr(os, "getloadavg"):
        print(f"load average at end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
