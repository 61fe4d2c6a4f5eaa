"""engine.compile.shipped: kernels compiled for a portable CPU, loaded on a first launch instead of compiling."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from descentlab.engine.compile import precompile, shipped

ROOT = Path(__file__).resolve().parents[2]
AVX2 = shipped._V3
AVX512 = shipped._V4

# A first launch: empty user cache, shipped kernels given. Every part the app precompiles is
# loaded, then a race of each problem kind runs; nothing may be compiled.
FIRST_LAUNCH = textwrap.dedent("""
    import gc, json
    import numpy as np
    from numba.core.dispatcher import Dispatcher
    from descentlab.engine.compile import cache, precompile
    needed = precompile.Precompiler().needed
    for part in precompile.COMPILERS:
        precompile.compile_part(part)
    import races
    paths = races.paths()
    compiled = sorted(f"{d.py_func.__module__}.{d.py_func.__name__}" for d in gc.get_objects()
                      if isinstance(d, Dispatcher) and d.py_func.__module__.startswith("descentlab")
                      and d.stats.cache_misses)
    from numba.core import config
    print(json.dumps({"target": cache.SHIPPED_TARGET, "cpu": config.CPU_NAME,
                      "features": config.CPU_FEATURES, "needed": needed,
                      "cache": str(cache.CACHE_DIR), "compiled": compiled,
                      "paths": {k: v.tolist() for k, v in paths.items()}}))
""")

RACES = textwrap.dedent("""
    import numpy as np
    from descentlab.engine import Race
    from descentlab.engine.data import DatasetProblem, Model, make_dataset
    from descentlab.engine.formula.problem import FormulaSurface
    from descentlab.engine.optimizers import NAMES

    def paths():
        out = {}
        race = Race("rosenbrock", history=600)
        for name in NAMES:
            race.add_run(name, lr=1e-3)
        race.advance(500)
        for run in race.snapshot().runs:
            out[f"surface-{run.optimizer}"] = run.path
        formula = Race(FormulaSurface("sin(x) * cos(y) + 0.1 * (x^2 + y^2)"), history=300)
        formula.add_run("adam", lr=0.05)
        formula.advance(200)
        out["formula-adam"] = formula.snapshot().runs[0].path
        data = DatasetProblem(make_dataset("xor", 200, seed=0, test_fraction=0.0),
                              Model("mlp", hidden=(8, 8), activation="tanh"), "bce")
        mlp = Race(data, history=300)
        mlp.add_run("adam", lr=0.01, batch_size=None)
        mlp.add_run("sgd", lr=0.1, batch_size=16)
        mlp.advance(200)
        for run in mlp.snapshot().runs:
            out[f"mlp-{run.optimizer}"] = run.path
        return out
""")


def env_for(cache: Path, shipped_root: Path | None, tmp_path: Path) -> dict:
    env = dict(os.environ, DESCENTLAB_CACHE_DIR=str(cache),
               PYTHONPATH=os.pathsep.join((str(tmp_path), str(ROOT))))
    for name in ("NUMBA_CACHE_DIR", "NUMBA_CPU_NAME", "NUMBA_CPU_FEATURES", shipped.ENV_VAR,
                 precompile.EXACT_ENV_VAR):
        env.pop(name, None)
    if shipped_root is not None:
        env[shipped.ENV_VAR] = str(shipped_root)
    return env


# ------------------------------------------------------------------ choosing a target


@pytest.mark.parametrize("features, expected", [
    (AVX512 | {"avx512vnni"}, ["x86-64-v4", "x86-64-v3"]),
    (AVX2 | {"sha"}, ["x86-64-v3"]),
    (AVX2 - {"fma"}, []),  # an AVX CPU without FMA (Sandy Bridge) runs neither
    (frozenset({"sse2", "sse3"}), []),
])
def test_runnable_targets_are_those_whose_features_the_host_has_best_first(features, expected):
    assert shipped.runnable_targets("x86_64", frozenset(features)) == expected


def test_apple_silicon_runs_m1_code_and_other_machines_get_none():
    assert shipped.runnable_targets("arm64-darwin", frozenset()) == ["apple-m1"]
    assert shipped.runnable_targets("", AVX512) == []


def make_root(tmp_path, targets):
    root = tmp_path / "kernels"
    for target, done in targets.items():
        (root / target).mkdir(parents=True)
        if done:
            (root / target / shipped.COMPLETE).write_text("fg\n")
    return root


def test_select_target_takes_the_best_complete_folder_the_host_runs(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CPU_NAME", raising=False)
    both = ["x86-64-v4", "x86-64-v3"]
    root = make_root(tmp_path, {"x86-64-v4": True, "x86-64-v3": True})
    assert shipped.select_target(root, both) == "x86-64-v4"
    assert shipped.select_target(root, ["x86-64-v3"]) == "x86-64-v3"
    assert shipped.select_target(root, []) is None  # the host runs neither: compile


def test_select_target_skips_an_unfinished_fill(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CPU_NAME", raising=False)
    root = make_root(tmp_path, {"x86-64-v4": False, "x86-64-v3": True})
    assert shipped.select_target(root, ["x86-64-v4", "x86-64-v3"]) == "x86-64-v3"
    assert shipped.select_target(tmp_path / "nowhere", ["x86-64-v3"]) is None


def test_a_cpu_the_user_chose_stands(tmp_path, monkeypatch):
    root = make_root(tmp_path, {"x86-64-v3": True})
    monkeypatch.setenv("NUMBA_CPU_NAME", "generic")
    assert shipped.select_target(root, ["x86-64-v3"]) is None


def test_no_shipped_root_outside_the_frozen_app_unless_given(tmp_path, monkeypatch):
    monkeypatch.delenv(shipped.ENV_VAR, raising=False)
    assert shipped.shipped_root() is None
    monkeypatch.setenv(shipped.ENV_VAR, str(tmp_path))
    assert shipped.shipped_root() == tmp_path


def test_frozen_app_finds_its_kernels_beside_its_libraries_or_in_the_app_resources(tmp_path, monkeypatch):
    monkeypatch.delenv(shipped.ENV_VAR, raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    internal = tmp_path / "descentlab" / "_internal"
    monkeypatch.setattr(sys, "_MEIPASS", str(internal), raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "descentlab" / "descentlab"))
    (internal / shipped.BUNDLE_FOLDER).mkdir(parents=True)
    assert shipped.shipped_root() == internal / shipped.BUNDLE_FOLDER
    app = tmp_path / "Descent Lab.app" / "Contents"
    monkeypatch.setattr(sys, "_MEIPASS", str(app / "Frameworks"))
    monkeypatch.setattr(sys, "executable", str(app / "MacOS" / "descentlab"))
    (app / "Resources" / shipped.BUNDLE_FOLDER).mkdir(parents=True)
    assert shipped.shipped_root() == app / "Resources" / shipped.BUNDLE_FOLDER


# ------------------------------------------------------------------ copying into the user cache


def test_copy_shipped_adds_what_is_missing_keeps_what_is_there_and_stamps_last(tmp_path, monkeypatch):
    source = tmp_path / "shipped"
    (source / "descentlab.engine.race.steps").mkdir(parents=True)
    (source / "descentlab.engine.race.steps" / "f-12.py311.nbi").write_bytes(b"index")
    (source / "descentlab.engine.race.steps" / "f-12.py311.1.nbc").write_bytes(b"code")
    (source / "compiled-fg").write_text("stamp")
    cache = tmp_path / "cache"
    (cache / "descentlab.engine.race.steps").mkdir(parents=True)
    (cache / "descentlab.engine.race.steps" / "f-12.py311.nbi").write_bytes(b"newer index")
    order = []
    copy = shipped.shutil.copyfile
    monkeypatch.setattr(shipped.shutil, "copyfile", lambda s, d: order.append(Path(s).name) or copy(s, d))

    assert shipped.copy_shipped(source, cache) == 2
    assert order == ["f-12.py311.1.nbc", "compiled-fg"]  # the stamp once its kernels are there
    assert (cache / "descentlab.engine.race.steps" / "f-12.py311.nbi").read_bytes() == b"newer index"
    assert (cache / "compiled-fg").read_text() == "stamp"
    assert not list(cache.rglob(".copy-*"))
    assert shipped.copy_shipped(source, cache) == 0


# ------------------------------------------------------------------ a first launch, for real


@pytest.fixture(scope="module")
def shipped_root(tmp_path_factory):
    """Every kernel compiled by the shipping fill (as the build runs it), for the best portable
    target this host runs: the one a first launch picks. (That the build fills every target
    the host runs, tests/packaging/test_frozen_app.py checks: one full compile less here.)"""
    if not shipped.runnable_targets():
        pytest.skip("this host runs none of the shipped CPU targets")
    root = tmp_path_factory.mktemp("shipped")
    scratch = tmp_path_factory.mktemp("filler-cache")
    best = shipped.runnable_targets()[0]
    out = subprocess.run([sys.executable, "-m", "descentlab.engine.compile.fill_shipped", str(root), best],
                         env=env_for(scratch, None, scratch), cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return root


def first_launch(tmp_path, cache, root):
    (tmp_path / "races.py").write_text(RACES)
    out = subprocess.run([sys.executable, "-c", FIRST_LAUNCH], env=env_for(cache, root, tmp_path),
                         cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_fill_ships_every_part_stamped_and_marks_the_folder_complete(shipped_root):
    assert [p.name for p in shipped_root.iterdir()] == shipped.runnable_targets()[:1]
    for folder in shipped_root.iterdir():
        assert shipped.complete(folder)
        assert {p.name for p in folder.glob(f"{shipped.STAMP_PREFIX}*")} == \
            {f"{shipped.STAMP_PREFIX}{part}" for part in precompile.COMPILERS}
        assert list(folder.rglob("*.nbc")), "no compiled kernel in the shipped folder"


def test_first_launch_with_an_empty_cache_loads_the_shipped_kernels_and_compiles_nothing(shipped_root,
                                                                                         tmp_path):
    cache = tmp_path / "user-cache"
    launch = first_launch(tmp_path, cache, shipped_root)
    best = shipped.runnable_targets()[0]
    assert launch["target"] == launch["cpu"] == best
    assert launch["features"] == shipped.BY_NAME[best].features
    assert Path(launch["cache"]).name == best and Path(launch["cache"]).is_relative_to(cache)
    assert launch["needed"] is False  # every part stamped: no compiling child starts
    assert launch["compiled"] == []
    # Surface and formula races are the host-compiled engine's bit for bit (no fast-math:
    # nothing reordered or fused). The dataset kernels sum with reassociation and fuse
    # multiply-adds where the CPU has them, so their last bits follow the vector width: they
    # agree to the engine's dataset tolerance with torch, 1e-9 relative.
    sys.path.insert(0, str(tmp_path))
    try:
        import races
        here = races.paths()
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("races", None)
    assert set(here) == set(launch["paths"])
    for key, path in here.items():
        shipped_path = np.asarray(launch["paths"][key])
        if key.startswith("mlp-"):
            np.testing.assert_allclose(shipped_path, path, rtol=1e-9, atol=1e-12, err_msg=key)
        else:
            np.testing.assert_array_equal(shipped_path, path, err_msg=key)



@pytest.mark.parametrize(("system", "arch", "kind"), [
    ("linux", "x86_64", "x86_64"), ("win32", "AMD64", "x86_64"), ("darwin", "x86_64", "x86_64"),
    ("darwin", "arm64", "arm64-darwin"), ("linux", "aarch64", ""), ("win32", "ARM64", ""),
])
def test_each_release_machine_knows_its_targets(monkeypatch, system, arch, kind):
    monkeypatch.setattr(shipped.sys, "platform", system)
    monkeypatch.setattr(shipped.platform, "machine", lambda: arch)
    assert shipped.machine() == kind
