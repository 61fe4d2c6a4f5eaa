"""Where Numba keeps compiled kernels: a per-user cache folder, movable by an env variable.

Must run before the first ``@njit(cache=True)`` decorator is evaluated. An unwritable
folder falls back to a fresh temporary one: that costs a recompile, never a crash.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

ENV_VAR = "DESCENTLAB_CACHE_DIR"


def default_cache_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "DescentLab" / "Cache" / "numba"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "DescentLab" / "numba"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "descentlab" / "numba"


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
        return True
    except OSError:
        return False


def source_fingerprint() -> str:
    """A short hash of the engine's source (or of its version when frozen without it).

    Numba re-validates a cached kernel only against its own file's timestamp, not against
    the files of the functions it inlined; a folder per source version keeps a changed
    surface or optimizer from running stale machine code.
    """
    digest = hashlib.sha1()
    here = Path(__file__).resolve().parent
    sources = sorted(here.rglob("*.py"))
    for src in sources:
        try:
            digest.update(src.relative_to(here).as_posix().encode())
            digest.update(src.read_bytes())
        except OSError:
            pass
    if not sources:
        from ._version import __version__

        digest.update(__version__.encode())
    return digest.hexdigest()[:12]


def configure_cache() -> Path:
    """Point Numba's cache at our folder (or a temporary one) and return it."""
    wanted = os.environ.get(ENV_VAR)
    path = (Path(wanted) if wanted else default_cache_dir()) / source_fingerprint()
    if not _writable(path):
        path = Path(tempfile.mkdtemp(prefix="descentlab-numba-"))
    os.environ["NUMBA_CACHE_DIR"] = str(path)
    if "numba" in sys.modules:  # imported before us: its config has already read the env
        from numba.core import config

        config.CACHE_DIR = str(path)
    return path


CACHE_DIR = configure_cache()
