"""Write a file atomically: a temporary file in the same folder, then ``os.replace``.

A failure (no such folder, no permission, a full disk) leaves neither a half-written
target nor the temporary file behind, and an existing file at the target stays as it was.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def write_atomically(path, data: bytes | str) -> Path:
    """Write ``data`` (bytes, or text written as UTF-8) to ``path`` all at once or not at all.

    Raises ``OSError`` (the temporary file removed) if anything fails.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    # Opened with "x" (never an existing file) so that it gets the usual permissions (umask).
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    out = open(tmp, "xb")  # noqa: SIM115 — closed below, before the rename
    try:
        with out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def os_error_text(path, exc: OSError) -> str:
    """One line for a user: the path and what went wrong ("No space left on device")."""
    return f"{path}: {exc.strerror or exc}"
