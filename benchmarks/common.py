"""What several benchmarks share: the 13-optimizer race they draw, and a best-of timer.

The benchmarks are scripts (``python benchmarks/x.py``): this folder is first on their
``sys.path``, so ``from common import …`` finds this file.
"""

from __future__ import annotations

import time

# One run of every optimizer, each with an lr that keeps it moving on the presets' surfaces
# (benchmarks/frame.py and benchmarks/view3d.py draw this race).
OPTIMIZERS = ["gd", "momentum", "sgd", "nag", "adagrad", "rmsprop", "adadelta", "adam",
              "adamax", "nadam", "radam", "lion", "adamw"]
LR = {"gd": 1e-3, "momentum": 1e-3, "sgd": 5e-4, "nag": 2e-4, "adagrad": 0.1, "rmsprop": 1e-3,
      "adadelta": 1.0, "adam": 1e-2, "adamax": 1e-2, "nadam": 5e-3, "radam": 1e-2,
      "lion": 1e-3, "adamw": 1e-2}


def best_of(fn, repeat: int = 5) -> float:
    """The shortest of ``repeat`` wall-clock timings of ``fn()``, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)
