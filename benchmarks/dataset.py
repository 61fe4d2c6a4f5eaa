"""Dataset race speed: an MLP 2-16-16-1 (tanh, BCE) on 1,000 points, engine vs torch.optim.SGD.

    python benchmarks/dataset.py            # the table
    python benchmarks/dataset.py --quick    # fewer repeats

Prints, side by side, µs per step and steps per second of

* the engine's race kernel (one run of plain SGD, lr 0.1), with the losses recorded as the app
  records them (automatic interval) and without any loss recording ("gradient step only");
* ``torch.optim.SGD`` on the same model in float64 on the CPU with one thread (skipped when torch
  is not installed — it is not a dependency);
* a hand-written Numba step using ``np.dot`` (BLAS, which needs SciPy inside Numba; skipped when
  SciPy is missing) — the alternative to the engine's plain loops;

at batch size 32 and at the full batch, then eight runs at batch 32 (the issue's 30-fps case)
and the compile figures: cold (empty DESCENTLAB_CACHE_DIR) and warm, in fresh processes.
Timings are the best of several repeats of process CPU time, which a busy machine disturbs
less than wall time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

N_POINTS = 1000
HIDDEN = (16, 16)
LR = 0.1


def best_of(fn, steps: int, repeats: int) -> float:
    """Seconds per step: best of ``repeats`` timings of ``fn(steps)`` (process CPU time)."""
    fn(max(1, steps // 10))  # warm up
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        fn(steps)
        best = min(best, (time.process_time() - t0) / steps)
    return best


def make_problem(eval_every=None):
    from descentlab.engine.data import DatasetProblem, Model, make_dataset

    ds = make_dataset("xor", N_POINTS, seed=0, test_fraction=0.0)
    return DatasetProblem(ds, Model("mlp", hidden=HIDDEN, activation="tanh"), "bce",
                          eval_every=eval_every)


def engine_timer(batch, eval_every=None, runs=1):
    from descentlab.engine import Race

    problem = make_problem(eval_every)
    race = Race(problem, history=4096)
    for _ in range(runs):
        race.add_run("gd", lr=LR, batch_size=batch)
    return race.advance


def torch_timer(batch):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    problem = make_problem()
    net = torch.nn.Sequential(torch.nn.Linear(2, HIDDEN[0]), torch.nn.Tanh(),
                              torch.nn.Linear(HIDDEN[0], HIDDEN[1]), torch.nn.Tanh(),
                              torch.nn.Linear(HIDDEN[1], 1)).double()
    opt = torch.optim.SGD(net.parameters(), lr=LR)
    lossf = torch.nn.BCEWithLogitsLoss()
    X = torch.from_numpy(problem.X)
    y = torch.from_numpy(problem.y.astype(float)).unsqueeze(1)
    n = len(X)
    batches = [torch.from_numpy(b) for b in problem.batches(batch, 4 * problem.steps_per_epoch(batch))]

    def run(steps):
        for k in range(steps):
            if batch is None:
                xb, yb = X, y
            else:
                idx = batches[k % len(batches)]
                xb, yb = X[idx], y[idx]
            opt.zero_grad()
            loss = lossf(net(xb), yb)
            loss.backward()
            opt.step()

    assert n == N_POINTS
    return run


def numba_dot_timer(batch):
    """The same SGD step written with np.dot on whole batches (needs SciPy for BLAS)."""
    try:
        import scipy  # noqa: F401
    except ImportError:
        return None
    from numba import njit

    from descentlab.engine.data.kernels import tanh

    @njit(nogil=True, error_model="numpy")
    def _tanh2(z):
        out = np.empty_like(z)
        for i in range(z.shape[0]):
            for j in range(z.shape[1]):
                out[i, j] = tanh(z[i, j])
        return out

    @njit(nogil=True, error_model="numpy")
    def steps_dot(n_steps, W1, b1, W2, b2, W3, b3, X, y, perm, B, lr):
        n = X.shape[0]
        pos = 0
        for _ in range(n_steps):
            if pos + B > n:
                pos = 0
            idx = perm[pos:pos + B]
            pos += B
            Xb = X[idx]
            yb = y[idx]
            A1 = _tanh2(np.dot(Xb, W1.T) + b1)
            A2 = _tanh2(np.dot(A1, W2.T) + b2)
            o = np.dot(A2, W3.T)[:, 0] + b3[0]
            d3 = (1.0 / (1.0 + np.exp(-o)) - yb) / B
            gW3 = np.dot(d3.reshape(1, -1), A2)
            gb3 = d3.sum()
            d2 = np.outer(d3, W3[0]) * (1.0 - A2 * A2)
            gW2 = np.dot(d2.T, A1)
            gb2 = d2.sum(axis=0)
            d1 = np.dot(d2, W2) * (1.0 - A1 * A1)
            gW1 = np.dot(d1.T, Xb)
            gb1 = d1.sum(axis=0)
            W1 -= lr * gW1
            b1 -= lr * gb1
            W2 -= lr * gW2
            b2 -= lr * gb2
            W3 -= lr * gW3
            b3[0] -= lr * gb3

    problem = make_problem()
    rng = np.random.default_rng(0)
    params = [rng.uniform(-0.5, 0.5, s) for s in ((16, 2), (16,), (16, 16), (16,), (1, 16), (1,))]
    B = N_POINTS if batch is None else batch
    perm = problem.epoch_order(0)
    args = (*params, problem.X, problem.y.astype(float), perm, B, LR)
    return lambda steps: steps_dot(steps, *args)


COMPILE_SCRIPT = textwrap.dedent("""
    import time, json, sys
    t0 = time.perf_counter()
    from descentlab import engine
    from descentlab.engine.data import DatasetProblem, Model, make_dataset
    t_import = time.perf_counter() - t0
    t1 = time.perf_counter()
    p = DatasetProblem(make_dataset("xor", 200), Model("mlp", hidden=(16, 16)), "bce")
    t_problem = time.perf_counter() - t1
    t2 = time.perf_counter()
    r = engine.Race(p)
    r.add_run("adam", lr=0.01, batch_size=32)
    r.advance(1)
    p.predict(p.default_start)
    t_race = time.perf_counter() - t2
    t3 = time.perf_counter()
    engine.trajectory("rosenbrock", "adam", (-1.0, 1.0), 5, lr=0.01)
    t_surface = time.perf_counter() - t3
    print(json.dumps({"import": t_import, "problem": t_problem, "race": t_race,
                      "surface": t_surface, "total": time.perf_counter() - t0}))
""")


def compile_figures():
    import json

    with tempfile.TemporaryDirectory(prefix="descentlab-bench-") as cache:
        env = {**os.environ, "DESCENTLAB_CACHE_DIR": cache}
        out = []
        for _ in range(2):  # cold, then warm
            res = subprocess.run([sys.executable, "-c", COMPILE_SCRIPT], env=env, cwd=ROOT,
                                 capture_output=True, text=True, check=True)
            out.append(json.loads(res.stdout.strip().splitlines()[-1]))
    return out


def fmt(sec):
    return "—" if sec is None else f"{sec * 1e6:9.1f} µs  {1 / sec:10,.0f}/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--no-compile", action="store_true", help="skip the compile figures")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7

    from descentlab import engine  # noqa: F401  (sets the cache folder before anything compiles)

    print(f"MLP 2-{HIDDEN[0]}-{HIDDEN[1]}-1 (tanh, BCE), {N_POINTS} points, plain SGD lr={LR}, float64; "
          f"best of {repeats}, process CPU time per step")
    problem = make_problem()
    print(f"P = {problem.n_params}; the app records train loss every "
          f"{problem.eval_interval(32)} steps at batch 32, every step at the full batch")
    rows = []
    for label, batch, steps in (("batch 32", 32, 4000), ("full batch", None, 200)):
        e_auto = best_of(engine_timer(batch), steps, repeats)
        e_pure = best_of(engine_timer(batch, eval_every=1 << 30), steps, repeats)
        t = torch_timer(batch)
        t_sec = best_of(t, max(50, steps // 10), repeats) if t else None
        d = numba_dot_timer(batch)
        d_sec = best_of(d, steps, repeats) if d else None
        rows.append((label, e_auto, e_pure, t_sec, d_sec))
    w = 26
    print()
    print(f"{'':12}{'engine (as in the app)':>{w}}{'engine, gradient step only':>{w + 2}}"
          f"{'torch.optim.SGD, 1 thread':>{w + 2}}{'Numba + np.dot (SciPy)':>{w + 2}}")
    for label, e_auto, e_pure, t_sec, d_sec in rows:
        print(f"{label:12}{fmt(e_auto):>{w}}  {fmt(e_pure):>{w}}  {fmt(t_sec):>{w}}  {fmt(d_sec):>{w}}")
    print()
    for label, e_auto, e_pure, t_sec, d_sec in rows:
        if t_sec:
            print(f"{label}: engine {t_sec / e_auto:5.1f}× torch "
                  f"(gradient step only: {t_sec / e_pure:5.1f}×)")
        if d_sec:
            print(f"{label}: engine plain loops vs Numba + np.dot: {d_sec / e_pure:5.2f}× "
                  f"({'loops faster' if e_pure < d_sec else 'np.dot faster'})")
    eight = best_of(engine_timer(32, runs=8), 1000, repeats)
    print(f"\n8 runs at batch 32: {eight * 1e6:.1f} µs per lockstep step "
          f"→ {1 / eight:,.0f} steps/s for all eight; at 30 fps a frame of 33 ms fits "
          f"{0.033 / eight:,.0f} steps")

    if not args.no_compile:
        cold, warm = compile_figures()
        print("\ncompile, fresh processes, empty cache folder (cold) then the same folder (warm):")
        for name, res in (("cold", cold), ("warm", warm)):
            print(f"  {name}: from descentlab import engine {res['import']:.2f} s; DatasetProblem() "
                  f"{res['problem']:.2f} s; first race chunk + predict {res['race']:.2f} s; "
                  f"then the surface race {res['surface']:.2f} s; total {res['total']:.2f} s")
        print(f"  the dataset kernels add {cold['problem'] + cold['race']:.1f} s to a cold start")


if __name__ == "__main__":
    main()
