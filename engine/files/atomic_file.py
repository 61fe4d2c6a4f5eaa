"""Write files atomically: a temporary file in the same folder, then ``os.replace``.

A failure (no such folder, no permission, a full disk) leaves neither a half-written
target nor a temporary file behind, and a file already at the target stays as it was.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def _temporary(path: Path, data: bytes) -> Path:
    """``data`` written in full to a new file beside ``path``; removed again on failure."""
    # Opened with "x" (never an existing file), so it gets the usual permissions (umask).
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    out = open(tmp, "xb")  # noqa: SIM115 — closed below, before the rename
    try:
        with out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _remove(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def write_atomically(path, data: bytes | str) -> Path:
    """Write ``data`` (bytes, or text as UTF-8) to ``path`` all at once or not at all.

    Raises ``OSError`` (the temporary file removed) if anything fails.
    """
    return write_all_atomically({path: data})[0]


def write_all_atomically(files: dict) -> list[Path]:
    """Write several files ({path: data}): every one is written in full to a temporary file
    first, and only then are they all renamed into place — a failure while writing leaves
    every target as it was."""
    done: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path = Path(path)
            done.append((_temporary(path, _bytes(data)), path))
        for tmp, path in done:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in done:
            _remove(tmp)  # the ones not renamed yet
        raise
    return [path for _, path in done]


def os_error_text(path, exc: OSError) -> str:
    """One line for a user: the path and what went wrong ("No space left on device")."""
    return f"{path}: {exc.strerror or exc}"
