"""The per-user folders of Descent Lab on each platform: one source for every path.

    cache_dir()   compiled kernels (Numba's cache), before the per-source subfolder
    log_dir()     the error log

Linux follows the XDG base directories, Windows ``%LOCALAPPDATA%``, macOS ``~/Library``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# (Windows, macOS, Linux-XDG variable, Linux fallback under the home folder, tail)
_FOLDERS = {
    "cache": (("DescentLab", "Cache", "numba"), ("Library", "Caches", "DescentLab", "numba"),
              "XDG_CACHE_HOME", (".cache",), ("descentlab", "numba")),
    "logs": (("DescentLab", "Logs"), ("Library", "Logs", "DescentLab"),
             "XDG_STATE_HOME", (".local", "state"), ("descentlab",)),
}


def user_dir(kind: str) -> Path:
    """The folder for ``kind`` ("cache" or "logs") on this platform (not created)."""
    windows, macos, xdg_var, xdg_default, tail = _FOLDERS[kind]
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base.joinpath(*windows)
    if sys.platform == "darwin":
        return Path.home().joinpath(*macos)
    base = Path(os.environ.get(xdg_var) or Path.home().joinpath(*xdg_default))
    return base.joinpath(*tail)


def cache_dir() -> Path:
    return user_dir("cache")


def log_dir() -> Path:
    return user_dir("logs")
