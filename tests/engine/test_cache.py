"""engine.compile.cache: where Numba keeps compiled kernels.

DESCENTLAB_CACHE_DIR moves the cache, an unusable folder falls back to a temporary one (a
recompile, never a crash), and a second process with the same folder loads the kernels instead
of compiling them again. Each cold compile costs several seconds, so the subprocess runs are
few: one module-scoped cache folder is compiled once and reused.

The subprocesses import a snapshot copy of the ``engine`` package taken when the module starts:
the cache folder is named after a hash of the engine's sources, so an edit to the live tree
between two runs would otherwise look like a cache miss.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.compile import cache as _cache

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter: where the cache went, whether advance_surface was loaded from it
# or compiled, and a small trajectory to compare with this process's numbers.
PROBE = """
import json, os, sys
from descentlab import engine
import descentlab.engine.surface.race_kernel as kernels
path = engine.trajectory("rosenbrock", "adam", start=(-1.5, 2.0), steps=25, lr=0.05)
stats = kernels.advance_surface.stats
print(json.dumps({
    "numba_cache_dir": os.environ["NUMBA_CACHE_DIR"],
    "engine_cache_dir": str(engine.CACHE_DIR),
    "numba_config_cache_dir": __import__("numba").core.config.CACHE_DIR,
    "fingerprint": engine.compile.cache.source_fingerprint(),
    "hits": len(stats.cache_hits),
    "misses": len(stats.cache_misses),
    "path": path.tolist(),
}))
"""


@pytest.fixture(scope="module")
def engine_copy(tmp_path_factory) -> Path:
    """A frozen copy of the engine package (sources only) for the subprocesses to import."""
    src = tmp_path_factory.mktemp("engine-src")
    shutil.copytree(ROOT / "engine", src / "descentlab" / "engine",
                    ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
    return src


def run_probe(src: Path, cache_dir: Path, **env_overrides) -> dict:
    env = dict(os.environ)
    env["DESCENTLAB_CACHE_DIR"] = str(cache_dir)
    env["PYTHONPATH"] = str(src)
    env.update(env_overrides)
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=src, env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, f"exit code {proc.returncode}\n{proc.stderr[-3000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def expected_path() -> np.ndarray:
    return engine.trajectory("rosenbrock", "adam", start=(-1.5, 2.0), steps=25, lr=0.05)


def inside(child, parent) -> bool:
    return Path(child).resolve().is_relative_to(Path(parent).resolve())


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory, engine_copy):
    """One cache folder, filled by a first (cold) process and reused by a second (warm) one."""
    root = tmp_path_factory.mktemp("descentlab-cache")
    decoy = tmp_path_factory.mktemp("numba-env-decoy")
    # A NUMBA_CACHE_DIR inherited from the environment must not win over DESCENTLAB_CACHE_DIR.
    cold = run_probe(engine_copy, root / "numba", NUMBA_CACHE_DIR=str(decoy))
    warm = run_probe(engine_copy, root / "numba", NUMBA_CACHE_DIR=str(decoy))
    return root / "numba", decoy, cold, warm


@pytest.mark.slow
def test_the_env_var_moves_the_cache_and_compiled_files_land_there(warm_cache):
    cache_dir, decoy, cold, _ = warm_cache
    for key in ("numba_cache_dir", "engine_cache_dir", "numba_config_cache_dir"):
        assert inside(cold[key], cache_dir), f"{key} = {cold[key]} is not inside {cache_dir}"
    assert Path(cold["engine_cache_dir"]) == cache_dir / cold["fingerprint"]
    index = list(cache_dir.rglob("*.nbi"))
    data = list(cache_dir.rglob("*.nbc"))
    assert index and data, f"no compiled kernels under {cache_dir}"
    assert any("advance_surface" in p.name for p in index)
    assert not any(decoy.rglob("*")), "the inherited NUMBA_CACHE_DIR was used"


@pytest.mark.slow
def test_a_cold_cache_compiles(warm_cache):
    _, _, cold, _ = warm_cache
    assert cold["misses"] >= 1 and cold["hits"] == 0


@pytest.mark.slow
def test_a_second_process_with_the_same_cache_does_not_recompile(warm_cache):
    _, _, cold, warm = warm_cache
    assert warm["numba_cache_dir"] == cold["numba_cache_dir"]
    assert warm["hits"] >= 1, "advance_surface was not loaded from the cache"
    assert warm["misses"] == 0, "advance_surface was compiled again"


@pytest.mark.slow
def test_cached_and_fresh_kernels_compute_the_same_numbers(warm_cache):
    _, _, cold, warm = warm_cache
    expected = expected_path()
    np.testing.assert_array_equal(np.array(cold["path"]), expected)
    np.testing.assert_array_equal(np.array(warm["path"]), expected)


def unusable_dir(tmp_path: Path) -> Path:
    """A cache folder that cannot be used: read-only, or (as root, who ignores modes) a file."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        (folder / "probe").mkdir()
    except OSError:
        return folder  # a normal user: the mode is enough
    (folder / "probe").rmdir()
    folder.chmod(0o700)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be\n")
    return blocker


@pytest.mark.slow
def test_an_unwritable_cache_falls_back_to_a_temporary_folder(tmp_path, engine_copy):
    target = unusable_dir(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    try:
        result = run_probe(engine_copy, target, TMPDIR=str(scratch))
    finally:
        if target.is_dir():
            target.chmod(0o700)
    assert not inside(result["numba_cache_dir"], target)
    assert inside(result["numba_cache_dir"], scratch), "the fallback should be a temporary folder"
    assert result["numba_cache_dir"] == result["engine_cache_dir"] == result["numba_config_cache_dir"]
    np.testing.assert_array_equal(np.array(result["path"]), expected_path())
    if target.is_file():
        assert target.read_text() == "a file where the cache folder should be\n"


# ------------------------------------------------------------ in-process, no compiling involved


@pytest.fixture
def isolated_config(monkeypatch, tmp_path):
    """Let configure_cache() run here without leaving its settings behind for other tests."""
    from numba.core import config

    monkeypatch.setattr(config, "CACHE_DIR", config.CACHE_DIR)
    monkeypatch.setenv("NUMBA_CACHE_DIR", os.environ.get("NUMBA_CACHE_DIR", ""))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


def test_configure_cache_uses_the_env_var_with_a_per_source_subfolder(monkeypatch, tmp_path,
                                                                     isolated_config):
    from numba.core import config

    monkeypatch.setenv(_cache.ENV_VAR, str(tmp_path / "here"))
    path = _cache.configure_cache()
    assert path == tmp_path / "here" / _cache.source_fingerprint()
    assert path.is_dir()
    assert os.environ["NUMBA_CACHE_DIR"] == str(path) == config.CACHE_DIR


def test_configure_cache_falls_back_when_the_folder_is_a_file(monkeypatch, tmp_path, isolated_config):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(_cache.ENV_VAR, str(blocker))
    path = _cache.configure_cache()
    assert inside(path, isolated_config)
    assert path.is_dir() and os.environ["NUMBA_CACHE_DIR"] == str(path)
    assert blocker.read_text() == "x"


def test_writable(tmp_path):
    assert _cache._writable(tmp_path / "a" / "b")
    assert (tmp_path / "a" / "b").is_dir()
    (tmp_path / "f").write_text("x")
    assert not _cache._writable(tmp_path / "f")
    assert not _cache._writable(tmp_path / "f" / "sub")


def test_the_default_cache_dir_follows_xdg_on_linux(monkeypatch, tmp_path):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("XDG is a Linux convention")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _cache.default_cache_dir() == tmp_path / "descentlab" / "numba"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert _cache.default_cache_dir() == Path.home() / ".cache" / "descentlab" / "numba"


def test_the_source_fingerprint_is_stable_and_short():
    a, b = _cache.source_fingerprint(), _cache.source_fingerprint()
    assert a == b and len(a) == 12 and all(c in "0123456789abcdef" for c in a)
