"""The timeline's costs: cutting a snapshot at a step (what dragging the slider does) and a
rewind (a replay from step 0: *Resume from here*, and the exact state for the explain
overlay and the live numbers), on a surface race and on an MLP mini-batch race.

    python benchmarks/timeline.py
"""

from __future__ import annotations

import os

from common import best_of

from descentlab import engine
from descentlab.engine.race.moment import moment
from descentlab.engine.race.replay import replayed

OPTIMIZERS = ["gd", "sgd", "momentum", "nag", "adagrad", "rmsprop", "adadelta", "adam", "nadam", "lion"]


def surface(steps: int) -> None:
    race = engine.Race("beale")
    for key in OPTIMIZERS:
        race.add_run(key, lr=1e-3)
    race.advance(steps)
    snap = race.snapshot()
    cut = best_of(lambda: moment(snap, steps // 2), 20)
    replay = best_of(lambda: replayed(race, steps // 2), 3)
    print(f"surface, 10 runs, {steps:,} steps: moment at {steps // 2:,} {cut * 1e3:.2f} ms; "
          f"replay to {steps // 2:,} {replay * 1e3:.1f} ms")


def mlp(steps: int) -> None:
    problem = engine.DatasetProblem("moons", engine.Model("mlp", hidden=(16, 16)), "log")
    race = engine.Race(problem, history=problem.history_hint)
    for batch in (1, 32, None):
        race.add_run("adam", lr=0.01, batch_size=batch)
        race.add_run("sgd", lr=0.1, batch_size=batch)
    race.advance(steps)
    snap = race.snapshot()
    cut = best_of(lambda: moment(snap, steps // 2), 20)
    replay = best_of(lambda: replayed(race, steps // 2), 2)
    print(f"moons MLP 2-16-16-1, 6 runs (batch 1, 32, all), {steps:,} steps: moment {cut * 1e3:.2f} ms; "
          f"replay to {steps // 2:,} {replay * 1e3:.1f} ms")


if __name__ == "__main__":
    print("load:", os.getloadavg())
    surface(20_000)
    surface(1_000_000)
    mlp(2_000)
    mlp(20_000)
    print("load:", os.getloadavg())
