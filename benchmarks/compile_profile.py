"""Where a first launch's compile time goes: every Numba function a part compiles, by own time.

    python benchmarks/compile_profile.py                        # every part, one child each
    python benchmarks/compile_profile.py objective dataset-race  # just these

Each part (``engine.compile.precompile.COMPILERS``; the groups the app waits for are made of them)
is compiled in a fresh interpreter with an empty cache folder, the way the app's children
do it (the parts it finds compiled on a first launch are compiled first, into the same
folder, and not counted). Numba reports a ``numba:compile`` event around every function it
compiles; a function's *own* time is its event's span less the spans of the functions
compiled inside it. The table lists the functions with the largest own time, then the
total, so a change to a kernel can be judged by the seconds it saves.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What each measured part finds compiled before it on a first launch (the other child's
# earlier parts, its own child's earlier parts): compiled first, not counted.
BEFORE = {"fg": (), "steps": (), "surface-race": ("fg",), "drawing": ("steps",),
          "network": ("steps", "drawing"), "losses": ("fg", "surface-race"),
          "objective": ("fg", "surface-race", "losses"),
          "dataset-race": ("steps", "drawing", "network"),
          "dataset-eval": ("steps", "drawing", "network", "dataset-race"),
          "formulas": ("fg", "surface-race", "losses", "objective"),
          "lbfgs": ("steps", "drawing", "network", "dataset-race", "dataset-eval")}

CHILD = r"""
import json, sys, time
from numba.core import event
from descentlab.engine.compile import precompile
for p in sys.argv[2:]:
    precompile.compile_part(p)
part = sys.argv[1]
t0 = time.perf_counter()
with event.install_recorder("numba:compile") as rec:
    precompile.compile_part(part)
wall = time.perf_counter() - t0
stack, own = [], {}
for t, ev in rec.buffer:
    name = ev.data["dispatcher"].py_func.__module__.replace("descentlab.engine.", "") + "." + \
        ev.data["dispatcher"].py_func.__qualname__
    if ev.is_start:
        stack.append([name, t, 0.0])
    else:
        name, start, inner = stack.pop()
        span = t - start
        own[name] = own.get(name, 0.0) + span - inner
        if stack:
            stack[-1][2] += span
print(json.dumps({"wall": wall, "own": own}))
"""


def profile(part: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="descentlab-cprof-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT / "engine", src / "descentlab" / "engine",
                        ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
        env = dict(os.environ, DESCENTLAB_CACHE_DIR=str(Path(tmp) / "cache"), PYTHONPATH=str(src))
        env.pop("NUMBA_CACHE_DIR", None)
        proc = subprocess.run([sys.executable, "-c", CHILD, part, *BEFORE[part]], cwd=src,
                              env=env, capture_output=True, text=True, timeout=900)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-3000:])
        return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    from descentlab.engine.compile import precompile

    assert set(BEFORE) == set(precompile.COMPILERS), "update BEFORE for the new parts"
    parts = sys.argv[1:] or list(precompile.COMPILERS)
    if hasattr(os, "getloadavg"):
        print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for part in parts:
        result = profile(part)
        own = sorted(result["own"].items(), key=lambda kv: -kv[1])
        counted = sum(v for _, v in own)
        print(f"\n{part}: {result['wall']:.2f} s wall, {counted:.2f} s inside Numba compiles, "
              f"{len(own)} functions")
        for name, seconds in own[:12]:
            print(f"  {seconds:7.2f} s  {name}")


if __name__ == "__main__":
    main()
