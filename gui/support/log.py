"""The error log: one file under the user's log folder (or ``$DESCENTLAB_LOG_DIR``)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from descentlab.engine.files.user_dirs import log_dir


def log_error(details: str) -> Path | None:
    """Append an error to the user's log file; returns its path (None if unwritable)."""
    path = Path(os.environ.get("DESCENTLAB_LOG_DIR") or log_dir()) / "descentlab.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(f"--- {datetime.datetime.now().isoformat(timespec='seconds')}\n{details}\n")
    except OSError:
        return None
    return path
