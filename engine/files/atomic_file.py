"""Write files atomically: a temporary file in the same folder, then ``os.replace``.

A failure (no such folder, no permission, a full disk) leaves neither a half-written
target nor a temporary file behind, and a file already at the target stays as it was.
Every file the app writes goes this way: scenes, data and figure exports (whole bytes,
:func:`write_atomically`), and clips, which a library writes by name, frame by frame
(:func:`new_temporary`, then :func:`put_in_place` or :func:`discard`).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# O_EXCL: never an existing file; mode 0o666 less the umask: the usual permissions (mkstemp
# would give 0600); O_BINARY: no newline translation on Windows.
_CREATE = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)


def _create_beside(path: Path) -> tuple[Path, int]:
    """A new, empty file with a hidden unique name beside ``path``, and its open descriptor."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return tmp, os.open(tmp, _CREATE, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def new_temporary(path) -> Path:
    """A new, empty file beside ``path`` for a writer that opens files by name."""
    tmp, fd = _create_beside(Path(path))
    os.close(fd)
    return tmp


def put_in_place(tmp: Path, path) -> None:
    """Move the finished temporary ``tmp`` onto ``path``, its content on the disk first;
    if that fails, ``tmp`` is removed and the ``OSError`` raised."""
    try:
        fd = os.open(tmp, os.O_RDWR)  # read-write: Windows syncs only a writable descriptor
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        discard(tmp)
        raise


def discard(tmp: Path) -> None:
    """Remove a temporary file, if it is still there."""
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _temporary(path: Path, data: bytes) -> Path:
    """``data`` written in full to a new file beside ``path``; removed again on failure."""
    tmp, fd = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        discard(tmp)
        raise
    return tmp


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
            discard(tmp)  # the ones not renamed yet
        raise
    return [path for _, path in done]


def os_error_text(path, exc: OSError) -> str:
    """One line for a user: the path and what went wrong ("No space left on device")."""
    return f"{path}: {exc.strerror or exc}"
