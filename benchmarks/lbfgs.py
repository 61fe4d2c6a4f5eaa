"""L-BFGS benchmark: one engine L-BFGS step against one ``torch.optim.LBFGS.step(closure)``.

Run it from anywhere::

    python benchmarks/lbfgs.py            # about half a minute after the engine's compile
    python benchmarks/lbfgs.py --quick

Both sides run the same 2-parameter problem (Rosenbrock from (−1.2, 1)) with the same
settings, and the benchmark checks they did the same work: the same function evaluations
(torch's ``state["func_evals"]``) and the same final point (autograd's gradient and the
engine's analytic one differ in the last bits, so to 1e-6; it says so if not). torch's closure is the usual one
(``zero_grad``, the loss in tensors, ``backward``), one thread, float64. The engine's step is
``Race.advance(steps)`` of one run (Python enters the kernel once per race, not per step).
Printed: µs per step and per evaluation on each side, and the ratio (issue 24 asks ≥ 100×).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or os.getcwd()).resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import numpy as np  # noqa: E402

from descentlab import engine  # noqa: E402

QUICK = "--quick" in sys.argv
START = (-1.2, 1.0)
# (label, hyperparameters, steps per race): a race runs until every step does little, so the
# figures are of steps that search (20 inner iterations, or a strong-Wolfe line search)
CASES = [
    ("no line search, lr 0.01 (20 evaluations a step)", {"lr": 0.01}, 40),
    ("strong Wolfe, defaults (to the minimum in 2 steps)", {"strong_wolfe": True}, 2),
    ("strong Wolfe, max_iter 1, max_eval 10", {"strong_wolfe": True, "max_iter": 1,
                                               "max_eval": 10}, 30),
]


def best_of(fn, repeats: int = 3, target: float = 0.3 if QUICK else 1.0) -> float:
    """Seconds per call of ``fn``, best of ``repeats`` timings of about ``target`` seconds."""
    fn()
    n, best = 1, float("inf")
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt > target / 4:
            break
        n *= 4
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def engine_race(hyper: dict, steps: int):
    race = engine.Race("rosenbrock", history=steps + 1)
    race.add_run("lbfgs", START, **hyper)

    def run():
        race.reset()
        race.advance(steps)

    def reset_only():
        race.reset()

    return race, run, reset_only


def torch_race(torch, hyper: dict, steps: int):
    kw = dict(hyper)
    if kw.pop("strong_wolfe", False):
        kw["line_search_fn"] = "strong_wolfe"
    out = {}

    def run():
        p = torch.tensor(START, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.LBFGS([p], **kw)

        def closure():
            opt.zero_grad()
            f = (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2
            f.backward()
            return f

        for _ in range(steps):
            opt.step(closure)
        out["theta"], out["evals"] = p.detach().numpy().copy(), opt.state[p]["func_evals"]

    return run, out


def main() -> None:
    try:
        import torch
    except ImportError:
        print("torch is not installed: nothing to compare with")
        return
    torch.set_num_threads(1)
    print(f"L-BFGS on Rosenbrock from {START}, float64; torch {torch.__version__}, one thread")
    print(f"{'case':<52} {'evals':>6} {'engine µs/step':>15} {'torch µs/step':>14} "
          f"{'engine ns/eval':>15} {'torch µs/eval':>14} {'ratio':>7}")
    worst = float("inf")
    for label, hyper, steps in CASES:
        race, run, reset_only = engine_race(hyper, steps)
        t_engine = best_of(run) - best_of(reset_only)  # the steps alone, not the reset
        run()
        evals = int(race.runs.evals[0])
        trun, out = torch_race(torch, hyper, steps)
        t_torch = best_of(trun, repeats=3)
        if out["evals"] != evals or not np.allclose(out["theta"], race.runs.theta[0], rtol=1e-6):
            print(f"  (not the same work: torch {out['evals']} evaluations to "
                  f"{out['theta'].tolist()}, the engine {evals} to {race.runs.theta[0].tolist()})")
        ratio = t_torch / t_engine
        worst = min(worst, ratio)
        print(f"{label:<52} {evals:>6} {1e6 * t_engine / steps:>15.2f} "
              f"{1e6 * t_torch / steps:>14.1f} {1e9 * t_engine / evals:>15.1f} "
              f"{1e6 * t_torch / evals:>14.1f} {ratio:>6.0f}×")
    print(f"smallest ratio {worst:.0f}× (target ≥ 100×)")


if __name__ == "__main__":
    main()
