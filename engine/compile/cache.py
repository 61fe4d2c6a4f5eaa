"""Where Numba keeps compiled kernels: a per-user cache folder, movable by an env variable.

Must run before the first ``@njit(cache=True)`` decorator is evaluated. An unwritable
folder falls back to a fresh temporary one: that costs a recompile, never a crash.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import tempfile
import warnings
from pathlib import Path

from ..files.user_dirs import user_dir
from . import numba_speed as _numba_speed
from . import shipped

ENV_VAR = "DESCENTLAB_CACHE_DIR"
# Set by the app for its compiling child processes (engine.compile.precompile): the exact folder
# the parent uses, fingerprint subfolder (or fallback temporary folder) included.
EXACT_ENV_VAR = "DESCENTLAB_CACHE_EXACT"


def default_cache_dir() -> Path:
    """Where the compiled kernels go unless ``DESCENTLAB_CACHE_DIR`` says otherwise."""
    return user_dir("cache")


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
        return True
    except OSError:
        return False


def source_fingerprint(*, with_times: bool = False) -> str:
    """A short hash of the engine's source (or of its version when frozen without it).

    Numba re-validates a cached kernel only against its own file's timestamp, not against
    the files of the functions it inlined; a folder per source version keeps a changed
    surface or optimizer from running stale machine code. ``with_times`` adds every
    file's size and modification time — what Numba itself checks a cached kernel
    against — for stamps that must change whenever Numba would recompile.
    """
    digest = hashlib.sha1()
    here = Path(__file__).resolve().parent.parent  # engine/
    sources = sorted(here.rglob("*.py"))
    for src in sources:
        try:
            digest.update(src.relative_to(here).as_posix().encode())
            digest.update(src.read_bytes())
            if with_times:
                st = src.stat()
                digest.update(f" {st.st_size} {st.st_mtime_ns}\n".encode())
        except OSError:
            pass
    if not sources:
        from .._version import __version__

        digest.update(__version__.encode())
    return digest.hexdigest()[:12]


def configure_cache() -> Path:
    """Point Numba's cache at our folder (or a temporary one) and return it.

    With shipped kernels for a target this host runs (engine.compile.shipped), the folder
    is one for that target, filled from the shipped kernels the first time.
    """
    global SHIPPED_TARGET
    exact = os.environ.get(EXACT_ENV_VAR)
    wanted = os.environ.get(ENV_VAR)
    SHIPPED_TARGET = None if exact else shipped.select_target()
    if exact:
        path = Path(exact)
    else:
        path = (Path(wanted) if wanted else default_cache_dir()) / source_fingerprint()
        if SHIPPED_TARGET:
            path = path / SHIPPED_TARGET
    if not _writable(path):
        path = Path(tempfile.mkdtemp(prefix="descentlab-numba-"))
    if SHIPPED_TARGET:
        shipped.compile_for(SHIPPED_TARGET)
        try:
            shipped.copy_shipped(shipped.shipped_root() / SHIPPED_TARGET, path)
        except OSError as exc:  # what is not copied is compiled (for the same target)
            warnings.warn(f"Descent Lab: could not copy the shipped kernels ({exc})", stacklevel=2)
    os.environ["NUMBA_CACHE_DIR"] = str(path)
    if "numba" in sys.modules:  # imported before us: its config has already read the env
        from numba.core import config

        config.CACHE_DIR = str(path)
    return path


SHIPPED_TARGET: str | None = None  # the CPU target of the shipped kernels in use, if any
CACHE_DIR = configure_cache()
# Cache files keyed by module name and stamped with the source fingerprint, not by each
# file's path and time: in the frozen app, and wherever shipped kernels are made or used.
MODULE_KEYED = bool(getattr(sys, "frozen", False) or shipped.shipped_root())


# ---------------------------------------------------------------- robustness and the frozen app
#
# Numba crashes on a damaged cache file (an UnpicklingError from a truncated .nbi or .nbc) and
# on a cache folder that cannot be written while it saves. For the engine's own kernels such a
# failure is turned into a warning and a recompile, and a damaged index is replaced by an
# empty one, so the compiled kernel is saved over it and the launch after that is fast again.
#
# In the frozen app (PyInstaller) Numba's own locators key the cache on the absolute path of
# each function's .py file and need that file to exist; there the path is relative to the
# current directory or absent, and it changes with the folder the app was unpacked to. So
# the frozen app files the engine's kernels under CACHE_DIR/<module name>/ and stamps them
# with the source fingerprint (CACHE_DIR is already one folder per fingerprint): the same
# build finds its kernels from any current directory and any unpack location. Shipped
# kernels (engine.compile.shipped) are filed the same way, frozen or not. Elsewhere
# Numba's locators are left alone.


_ENGINE = __package__.rpartition(".")[0]  # descentlab.engine: every kernel of the engine


def _ours(py_func) -> bool:
    module = getattr(py_func, "__module__", None) or ""
    return module == _ENGINE or module.startswith(_ENGINE + ".")


@functools.cache
def _scratch_dir() -> str:
    """A temporary cache folder for this process only (the last resort), removed at exit."""
    import atexit
    import shutil

    path = tempfile.mkdtemp(prefix="descentlab-numba-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


_warned = []


def _guard_cache_io(method):
    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # a damaged file, a full disk, a folder gone read-only
            if not _ours(getattr(self, "_py_func", None)):
                raise
            if not _warned:  # once per process: one damaged folder damages many files
                _warned.append(exc)
                warnings.warn(f"Descent Lab: the compile cache in {self.cache_path} is unusable "
                              f"({exc.__class__.__name__}: {exc}); compiling instead", stacklevel=2)
            if method.__name__ == "load_overload":
                try:  # an empty index in place of the damaged one: the next save repairs it
                    self.flush()
                except Exception:
                    pass
            return None

    guarded._descentlab_guard = True
    return guarded


def _make_frozen_locator():
    from numba.core import caching, config

    class FrozenAppLocator(caching._CacheLocator):
        """CACHE_DIR/<module>/ for the engine's kernels, stamped with the source fingerprint."""

        def __init__(self, py_func, py_file, base):
            self._py_file = py_file
            self._lineno = py_func.__code__.co_firstlineno
            self._cache_path = os.path.join(base, py_func.__module__)

        def get_cache_path(self):
            return self._cache_path

        def get_source_stamp(self):
            return _FINGERPRINT

        def get_disambiguator(self):
            return str(self._lineno)

        @classmethod
        def from_function(cls, py_func, py_file):
            if not _ours(py_func):
                return None
            for base in (lambda: config.CACHE_DIR, _scratch_dir):  # the second only if needed
                try:
                    folder = base()
                    if folder:
                        locator = cls(py_func, py_file, folder)
                        locator.ensure_cache_path()
                        return locator
                except OSError:
                    continue
            return None

    return FrozenAppLocator


def install_numba_hooks(frozen: bool | None = None) -> None:
    """Guard the cache I/O of the engine's kernels; when frozen (or ``MODULE_KEYED``), also
    use FrozenAppLocator.

    Idempotent. Runs on import, before the first ``@njit(cache=True)`` of the engine.
    """
    from numba.core import caching

    for name in ("load_overload", "save_overload"):
        method = getattr(caching.Cache, name)
        if not getattr(method, "_descentlab_guard", False):
            setattr(caching.Cache, name, _guard_cache_io(method))
    if frozen is None:
        frozen = MODULE_KEYED
    if frozen:
        impl = getattr(caching, "CacheImpl", None) or caching._CacheImpl  # numba >= 0.62 / older
        if not any(c.__name__ == "FrozenAppLocator" for c in impl._locator_classes):
            impl._locator_classes.insert(0, _make_frozen_locator())


_FINGERPRINT = source_fingerprint()
install_numba_hooks()
_numba_speed.install()
