"""Seed fans cost what their repeats cost: 4 runs × 10 repeats against 40 separate runs.

The same problem (the spirals MLP 2-16-16-1, 337 parameters, batch 32), the same optimizers
and settings: one race with 4 runs of ``repeats=10`` (engine.race.fans) and one with the same
40 runs added one by one (each repeat's seed given as the race's: the same work). Both are
stepped in chunks of 10 steps with a snapshot after each (as the window's worker does); the
ratio of the times is the fans' overhead (target ≤ 1.1).

    python benchmarks/fans.py [--steps 1000] [--chunk 10] [--repeats 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RUNS = [("sgd", {"lr": 0.1}), ("sgd", {"lr": 0.1, "momentum": 0.9}), ("rmsprop", {"lr": 0.01}),
        ("adam", {"lr": 0.01})]


def timed(race, steps: int, chunk: int) -> tuple[float, float]:
    """Seconds for ``steps`` steps in chunks (advance + snapshot), and of them the snapshots'."""
    snaps = 0.0
    t0 = time.perf_counter()
    for _ in range(steps // chunk):
        race.advance(chunk)
        s = time.perf_counter()
        race.snapshot()
        snaps += time.perf_counter() - s
    return time.perf_counter() - t0, snaps


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--chunk", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    from descentlab import engine
    from descentlab.gui.support.presets import find_preset

    problem = find_preset("spirals-adam-vs-sgd").scene.build_problem()
    N = args.repeats

    def fans():
        race = engine.Race(problem, seed=0, history=problem.history_hint)
        for key, hyper in RUNS:
            race.add_run(key, batch_size=32, repeats=N, **hyper)
        return race

    def separate():
        race = engine.Race(problem, seed=0, history=problem.history_hint)
        for key, hyper in RUNS:
            for _ in range(N):
                race.add_run(key, batch_size=32, **hyper)
        return race

    timed(fans(), 20, 10)  # compile / warm up
    timed(separate(), 20, 10)
    a, b, sa, sb = [], [], [], []
    for _ in range(args.rounds):  # alternating: drift in the machine's load hits both alike
        t, s = timed(fans(), args.steps, args.chunk)
        a.append(t)
        sa.append(s)
        t, s = timed(separate(), args.steps, args.chunk)
        b.append(t)
        sb.append(s)
    fa, fb = statistics.median(a), statistics.median(b)
    print(f"fans: {len(RUNS)} runs × {N} repeats vs {len(RUNS) * N} separate runs, spirals MLP "
          f"(P = {problem.n_params}), batch 32, {args.steps:,} steps in chunks of {args.chunk} + a snapshot each")
    print(f"  fans     {fa:7.3f} s (snapshots {statistics.median(sa):.3f} s)")
    print(f"  separate {fb:7.3f} s (snapshots {statistics.median(sb):.3f} s)")
    print(f"  ratio {fa / fb:.3f}   (target ≤ 1.1)")


if __name__ == "__main__":
    main()
