"""The fitted plane's loss (issue 25, item 7): a 64² grid, the 32² shown first, beside a floor.

    python benchmarks/plane.py           # best of 3
    python benchmarks/plane.py --quick   # best of 1

The problem is the one the issue names: two spirals, 1,000 training points, an MLP 2-16-16-1
(tanh, 337 parameters). Four runs (SGD, SGD + momentum, RMSprop, Adam; mini-batches of 32)
race 1,000 steps; ``engine.path_plane`` fits the plane to their paths and the map's field is
the loss over that plane, as the window computes it (``FittedPlane.field``: the rows of the
grid shared by two threads). The floor is one full-batch loss evaluation at a point
(``problem.loss``, best of many) times the cells, on one thread: what a grid costs without
any sharing. Targets: 64² ≤ 1 s on two threads, 32² ≤ 0.3 s.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from common import best_of  # noqa: E402

from descentlab import engine  # noqa: E402
from descentlab.engine.maps.planes import FittedPlane, plane_loss  # noqa: E402

QUICK = "--quick" in sys.argv
REPEATS = 1 if QUICK else 3


def main() -> None:
    ds = engine.make_dataset("spirals", n_points=1000, noise=0.1, test_fraction=0.0)
    problem = engine.DatasetProblem(ds, engine.Model("mlp", hidden=(16, 16), activation="tanh"), "log")
    race = engine.Race(problem, seed=0, history=problem.history_hint)
    for opt, hyper in (("sgd", {"lr": 0.1}), ("sgd", {"lr": 0.1, "momentum": 0.9}),
                       ("rmsprop", {"lr": 0.01}), ("adam", {"lr": 0.01})):
        race.add_run(opt, problem.default_start, batch_size=32, **hyper)
    race.advance(1000)
    paths = [r.path for r in race.snapshot().runs]
    t0 = time.perf_counter()
    fit = engine.path_plane(paths, problem.default_start)
    t_fit = time.perf_counter() - t0
    plane = FittedPlane(problem, fit, paths)
    xmin, xmax, ymin, ymax = plane.domain

    def grid(n, threads):
        xs, ys = np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n)
        return lambda: plane_loss(problem, plane.origin, plane.u, plane.v, xs, ys, threads=threads)

    grid(4, 2)()  # compiled / loaded
    one = best_of(lambda: problem.loss(fit.from_plane(0.5, 0.5)), 50)
    print(f"problem: {problem.name}, {problem.n_params} parameters, {problem.n_train} training points;"
          f" {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"path_plane on {fit.points} path points: {t_fit * 1e3:.0f} ms; the plane holds "
          f"{100 * fit.explained:.0f} % of the movement")
    print(f"floor: one full-batch loss {one * 1e6:.0f} µs × cells, one thread")
    for n, target in ((32, 0.3), (64, 1.0)):
        t1 = best_of(grid(n, 1), REPEATS)
        t2 = best_of(grid(n, 2), REPEATS)
        floor = one * n * n
        print(f"{n}²: {t2:.3f} s on two threads (target ≤ {target} s), {t1:.3f} s on one; "
              f"floor {floor:.3f} s; two threads / floor {t2 / floor:.2f}")


if __name__ == "__main__":
    main()
