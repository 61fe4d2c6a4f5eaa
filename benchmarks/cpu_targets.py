"""Which CPU to compile the shipped kernels for: race speed per Numba CPU target, beside the host's.

    python benchmarks/cpu_targets.py            # about three minutes
    python benchmarks/cpu_targets.py --quick    # fewer repeats

The executable ships kernels compiled for one portable CPU target (engine.compile.shipped),
so a machine where it never ran does not compile. This prints, for each target, in a fresh
process with an empty compile cache (``NUMBA_CPU_NAME=<target>``, ``NUMBA_CPU_FEATURES`` empty
(the target's own features, nothing of the host's) or as given after a colon):

* ns per optimizer-step of a surface race (13 runs, every optimizer, on Rosenbrock);
* µs per step of an MLP 2-16-16-1 race on 1,000 points, at batch 32 and at the full batch;
* the size of the compiled kernels (every part the app precompiles).

Each figure is the best of several repeats of process CPU time; the host's kernels (no
target set) are measured in the same run, first and last, so drift shows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("host", "x86-64-v4:-prefer-256-bit", "x86-64-v4", "x86-64-v3", "x86-64-v2", "x86-64", "host")

CHILD = textwrap.dedent(r"""
    import json, sys, time
    sys.path.insert(0, sys.argv[2])
    from descentlab.engine.compile.precompile import COMPILERS, compile_part
    for part in COMPILERS:
        compile_part(part)
    from common import OPTIMIZERS, LR
    from descentlab.engine import Race
    from descentlab.engine.data import DatasetProblem, Model, make_dataset

    repeats = int(sys.argv[1])

    def best(fn, steps):
        fn(max(1, steps // 10))
        out = float("inf")
        for _ in range(repeats):
            t0 = time.process_time()
            fn(steps)
            out = min(out, (time.process_time() - t0) / steps)
        return out

    race = Race("rosenbrock", history=4096)
    for name in OPTIMIZERS:
        race.add_run(name, lr=LR[name])
    surface_ns = best(race.advance, 200_000) / len(OPTIMIZERS) * 1e9

    ds = make_dataset("xor", 1000, seed=0, test_fraction=0.0)
    problem = DatasetProblem(ds, Model("mlp", hidden=(16, 16), activation="tanh"), "bce")
    mlp = {}
    for batch, steps in ((32, 20_000), (None, 400)):
        r = Race(problem, history=4096)
        r.add_run("gd", lr=0.1, batch_size=batch)
        mlp[str(batch)] = best(r.advance, steps) * 1e6
    from numba.core import config
    print(json.dumps({"surface_ns": surface_ns, "mlp_us": mlp, "cpu": config.CPU_NAME}))
""")


def measure(target: str, repeats: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="descentlab-target-") as cache:
        env = dict(os.environ, DESCENTLAB_CACHE_DIR=cache, NUMBA_NUM_THREADS="1")
        for name in ("NUMBA_CPU_NAME", "NUMBA_CPU_FEATURES", "DESCENTLAB_SHIPPED_KERNELS"):
            env.pop(name, None)
        if target != "host":  # "name" or "name:features" (LLVM's, e.g. x86-64-v4:-prefer-256-bit)
            name, _, features = target.partition(":")
            env.update(NUMBA_CPU_NAME=name, NUMBA_CPU_FEATURES=features)
        out = subprocess.run([sys.executable, "-c", CHILD, str(repeats), str(ROOT)],
                             cwd=ROOT / "benchmarks", env=env, capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(f"{target}: {out.stderr[-2000:]}")
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["kernels_bytes"] = sum(p.stat().st_size for p in Path(cache).rglob("*") if p.is_file())
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--targets", nargs="+", default=TARGETS, help="Numba CPU names ('host': none)")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    import llvmlite.binding as ll

    print(f"host CPU: {ll.get_host_cpu_name()}; best of {repeats}, process CPU time\n")
    print(f"{'target':<12} {'surface ns/opt-step':>20} {'MLP µs/step b=32':>17} "
          f"{'MLP µs/step full':>17} {'kernels MiB':>12}")
    for target in args.targets:
        r = measure(target, repeats)
        print(f"{target:<12} {r['surface_ns']:>20.1f} {r['mlp_us']['32']:>17.2f} "
              f"{r['mlp_us']['None']:>17.1f} {r['kernels_bytes'] / 2**20:>12.2f}", flush=True)


if __name__ == "__main__":
    main()
