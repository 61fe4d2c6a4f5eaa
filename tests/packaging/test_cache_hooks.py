"""engine/compile/cache.py's Numba hooks, in-process and fast (tiny kernels only).

- FrozenAppLocator (used in the frozen app) files each engine module's kernels under
  CACHE_DIR/<module name>/ whatever the current directory or the unpack location, stamps them
  with the source fingerprint, and falls back to a temporary folder when that one is unusable.
- The I/O guard turns a damaged cache file into a warning and a recompile, and repairs it.
"""

from __future__ import annotations

import os
import pickle
import warnings

import pytest
from numba import njit
from numba.core import caching, config

from descentlab.engine.compile import cache as _cache


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setattr(config, "CACHE_DIR", str(folder))
    # (Numba re-reads its config from the environment whenever that changed: the same folder)
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(folder))
    monkeypatch.setattr(_cache, "_warned", [])
    return folder


def engine_function():
    from descentlab.engine.surface import race_kernel as kernels

    return kernels.advance_surface.py_func


def test_the_frozen_locator_uses_the_module_name_and_the_fingerprint(cache_dir, monkeypatch, tmp_path):
    locator_cls = _cache._make_frozen_locator()
    func = engine_function()
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    for py_file in ("engine/surface/race_kernel.py", "/unpacked/here/_internal/engine/surface/race_kernel.py"):
        loc = locator_cls.from_function(func, py_file)
        assert loc.get_cache_path() == str(cache_dir / "descentlab.engine.surface.race_kernel")
        assert loc.get_source_stamp() == _cache.source_fingerprint()
        assert loc.get_disambiguator() == str(func.__code__.co_firstlineno)
    assert (cache_dir / "descentlab.engine.surface.race_kernel").is_dir()


def test_the_frozen_locator_leaves_other_code_to_numba(cache_dir):
    def not_ours(x):
        return x

    assert _cache._make_frozen_locator().from_function(not_ours, __file__) is None


def test_the_frozen_locator_falls_back_when_its_folder_is_blocked(cache_dir, monkeypatch, tmp_path):
    (cache_dir / "descentlab.engine.surface.race_kernel").write_text("a file in the way")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(_cache, "_scratch_dir", lambda: str(scratch))
    loc = _cache._make_frozen_locator().from_function(engine_function(), "engine/surface/race_kernel.py")
    assert loc.get_cache_path() == str(scratch / "descentlab.engine.surface.race_kernel")


def test_hooks_are_installed_once_and_the_locator_only_when_frozen():
    impl = getattr(caching, "CacheImpl", None) or caching._CacheImpl
    before = list(impl._locator_classes)
    _cache.install_numba_hooks(frozen=False)
    _cache.install_numba_hooks(frozen=False)
    assert impl._locator_classes == before
    assert caching.Cache.load_overload._descentlab_guard
    assert not getattr(caching.Cache.load_overload.__wrapped__, "_descentlab_guard", False)


def make_kernel():
    """A tiny cached kernel that the guard counts as the engine's (by its module name)."""
    def add_one(x):
        return x + 1

    add_one.__module__ = "descentlab.engine.test_probe"
    return njit(cache=True)(add_one)


def test_a_damaged_cache_costs_a_recompile_and_is_repaired(cache_dir):
    first = make_kernel()
    assert first(1) == 2
    index = list(cache_dir.rglob("*.nbi"))
    data = list(cache_dir.rglob("*.nbc"))
    assert len(index) == 1 and data
    index[0].write_bytes(index[0].read_bytes()[:30])  # truncated

    with pytest.warns(UserWarning, match="compiling instead"):
        second = make_kernel()
        assert second(41) == 42
    assert second.stats.cache_misses and not second.stats.cache_hits
    with open(index[0], "rb") as f:  # a readable index again
        pickle.load(f)
        pickle.loads(f.read())

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        third = make_kernel()
        assert third(1) == 2
    assert third.stats.cache_hits and not third.stats.cache_misses


def test_garbage_data_files_cost_a_recompile(cache_dir):
    assert make_kernel()(1) == 2
    for p in cache_dir.rglob("*.nbc"):
        p.write_bytes(os.urandom(200))
    with pytest.warns(UserWarning, match="compiling instead"):
        again = make_kernel()
        assert again(2) == 3
    assert make_kernel()(3) == 4  # and loads fine after that


def test_errors_in_other_code_are_not_swallowed(cache_dir, monkeypatch):
    class Boom(Exception):
        pass

    class Fake:
        _py_func = staticmethod(lambda: None)  # module: this test file, not the engine

    def method(self, *args):
        raise Boom

    guarded = _cache._guard_cache_io(method)
    with pytest.raises(Boom):
        guarded(Fake())
