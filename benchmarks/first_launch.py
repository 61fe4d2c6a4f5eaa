"""The executable's first launch against its second: time to a picture of a moving race.

    python benchmarks/first_launch.py                       # dist/descentlab (build it first:
    python benchmarks/first_launch.py --app PATH --rounds 5 #   python packaging/build.py)

A first launch is one with an empty per-user compile cache, as on a lecture-hall PC where
the app never ran; the second launch reuses that cache. Each launch is a whole process,
``descentlab --snapshot`` of a scene after 100 steps (start → picture saved), offscreen,
with its own temporary user folders. Three scenes: the default race (surfaces), a dataset
race (spirals, an MLP) and a typed formula. Two ways, in the same minutes, interleaved:

* shipped: the executable as built, with its kernels compiled for portable CPU targets
  (engine.compile.shipped);
* compiled: the same executable told to use no shipped kernels (``DESCENTLAB_SHIPPED_KERNELS``
  pointing at an empty folder), i.e. compiling for the host on a first launch, as before.

Prints the median of each and first ÷ second (target: ≤ 1.3 with shipped kernels).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMULA_SCENE = ('[problem]\nformula = "sin(x) * cos(y) + 0.1 * (x^2 + y^2)"\n'
                 '[[runs]]\noptimizer = "adam"\nlr = 0.05\n[[runs]]\noptimizer = "momentum"\nlr = 0.01\n')
SCENES = {"default race": [], "dataset (spirals)": ["--preset", "spirals-adam-vs-sgd"],
          "typed formula": ["--scene", "{formula}"]}


def smoke_module():
    spec = importlib.util.spec_from_file_location("descentlab_smoke", ROOT / "packaging" / "smoke.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def launch(exe: Path, args: list[str], env: dict, cwd: Path) -> float:
    t0 = time.perf_counter()
    done = subprocess.run([str(exe), *args, "--steps", "100", "--snapshot", str(cwd / "out.png")],
                          env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - t0
    if done.returncode or not (cwd / "out.png").is_file():
        raise SystemExit(f"{args}: exit {done.returncode}\n{done.stderr[-3000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / "descentlab")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    smoke = smoke_module()
    exe = smoke.build_mod.executable(args.app)
    times = {(scene, way, which): [] for scene in SCENES for way in ("shipped", "compiled")
             for which in ("first", "second")}
    with tempfile.TemporaryDirectory(prefix="descentlab-first-launch-") as tmp:
        tmp = Path(tmp)
        (tmp / "formula.toml").write_text(FORMULA_SCENE)
        (tmp / "none").mkdir()
        for r in range(args.rounds):
            for scene, scene_args in SCENES.items():
                scene_args = [a.format(formula=tmp / "formula.toml") for a in scene_args]
                for way in ("shipped", "compiled"):
                    box_dir = tmp / f"box-{r}-{way}-{len(scene_args)}-{scene[:3]}"
                    box = smoke.Sandbox.create(box_dir)
                    if way == "compiled":
                        box.env["DESCENTLAB_SHIPPED_KERNELS"] = str(tmp / "none")
                    for which in ("first", "second"):
                        times[scene, way, which].append(launch(exe, scene_args, box.env, box_dir))
                    shutil.rmtree(box_dir, ignore_errors=True)
            print(f"round {r + 1} of {args.rounds} done", flush=True)
    print(f"\n{exe}: median of {args.rounds} launches each (seconds, start → picture saved)\n")
    print(f"{'scene':<20} {'kernels':<9} {'first':>7} {'second':>7} {'first/second':>13}")
    for scene in SCENES:
        for way in ("shipped", "compiled"):
            first = statistics.median(times[scene, way, "first"])
            second = statistics.median(times[scene, way, "second"])
            print(f"{scene:<20} {way:<9} {first:>7.2f} {second:>7.2f} {first / second:>13.2f}")


if __name__ == "__main__":
    main()
