"""Formula benchmark: a typed surface against the built-in one of the same function.

Run it from anywhere::

    python benchmarks/formula.py            # about half a minute
    python benchmarks/formula.py --quick    # shorter timings

It prints, side by side with the catalogue's ``rosenbrock`` in the same process:

1. ns per optimizer-step, 10 Adam runs, typed ``(1 - x)^2 + 100*(y - x^2)^2`` vs built-in
   (target: ratio ≤ 5×); best of 3 timings of ~1 s each, after a warm-up.
2. A new formula's first 1,000 steps in a warm process (kernels already loaded): parse +
   program + minima search + race + 1,000 Adam steps (target ≤ 0.3 s); and the same in a
   fresh interpreter whose compile cache is warm (loading the kernels from disk included,
   ``import engine`` not).
3. The largest relative difference between the typed and the built-in Rosenbrock's
   trajectories over 300 Adam steps (target ≤ 1e-9).
4. Minima search (warm): Himmelblau typed on [-5, 5]², a bowl, Rosenbrock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import engine  # noqa: E402

QUICK = "--quick" in sys.argv
TARGET_SECONDS = 0.25 if QUICK else 1.0
ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"
ADAM = {"lr": 1e-3}


def ns_per_step(problem, runs: int = 10) -> float:
    rng = np.random.default_rng(0)
    race = engine.Race(problem, history=4096)
    for s in np.array([-1.2, 1.0]) + rng.uniform(-0.1, 0.1, size=(runs, 2)):
        race.add_run("adam", s, **ADAM)
    race.advance(1000)  # warm-up (and load the kernel)
    chunk = 1000
    best = float("inf")
    for _ in range(3):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < TARGET_SECONDS:
            race.advance(chunk)
            n += chunk
        best = min(best, (time.perf_counter() - t0) / (n * runs))
    assert all(r.diverged_at is None for r in race.snapshot().runs), "a run diverged"
    return best * 1e9


def first_thousand(text: str) -> float:
    t0 = time.perf_counter()
    problem = engine.FormulaSurface(text, domain=(-2, 2, -1, 3))
    race = engine.Race(problem)
    race.add_run("adam", (-1.2, 1.0), lr=0.01)
    race.advance(1000)
    return time.perf_counter() - t0


FRESH = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
import engine
t0 = time.perf_counter()
problem = engine.FormulaSurface("sin(x)*cos(y) + (x^2 + y^2)/10", domain=(-4, 4, -4, 4))
race = engine.Race(problem)
race.add_run("adam", (1.0, 1.0), lr=0.01)
race.advance(1000)
print(time.perf_counter() - t0)
"""


def main() -> None:
    print(f"engine.Race, 10 Adam runs, ns per optimizer-step{' (quick)' if QUICK else ''}")
    built_in = ns_per_step("rosenbrock")
    typed = ns_per_step(engine.FormulaSurface(ROSENBROCK, domain=(-2, 2, -1, 3)))
    print(f"  built-in rosenbrock     {built_in:8.1f}")
    print(f"  typed {ROSENBROCK!r}  {typed:8.1f}   ratio {typed / built_in:.2f}x  (target <= 5x)")

    first_thousand("x^2 + 3*y^2")  # loads every kernel once
    warm = min(first_thousand(f"(x - {k / 10})^2 + 10*(y - x^2)^2 + {k}") for k in range(5))
    fresh = float(subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True, check=True,
                                 env=dict(os.environ)).stdout.split()[-1])
    print("\na new formula's first 1,000 Adam steps (parse + program + minima + race + steps)")
    print(f"  warm process             {warm * 1e3:8.1f} ms  (target <= 300 ms)")
    print(f"  fresh process, warm cache{fresh * 1e3:8.1f} ms  (loading the kernels included)")

    start = (-1.2, 1.0)
    a = engine.trajectory("rosenbrock", "adam", start, 300, lr=0.01)
    b = engine.trajectory(engine.FormulaSurface(ROSENBROCK, domain=(-2, 2, -1, 3)), "adam", start, 300, lr=0.01)
    rel = float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-300)))
    print(f"\ntyped vs built-in Rosenbrock, 300 Adam steps: max relative difference {rel:.2e}  (target <= 1e-9)")

    print("\nminima search (warm), best of 5")
    for text, domain in [("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (-5, 5, -5, 5)), ("x^2 + y^2", (-3, 3, -3, 3)),
                         (ROSENBROCK, (-2, 2, -1, 3))]:
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            problem = engine.FormulaSurface(text, domain=domain)
            times.append(time.perf_counter() - t0)
        print(f"  {text:38s} {min(times) * 1e3:7.2f} ms  {len(problem.minima)} minima "
              f"({sum(m.is_global for m in problem.surface.minima)} global)")


if __name__ == "__main__":
    main()
