"""Qt threads at the window's end: a busy one is retired, never destroyed while it runs."""

from __future__ import annotations

from PySide6.QtCore import QThread

_RETIRED: set[QThread] = set()


def retire(thread: QThread) -> None:
    """Let a stopped thread that is still busy (in a compile, say) finish on its own.

    Qt aborts the process if a QThread object is destroyed while it runs; a closed window
    would destroy its threads with it. A retired thread loses its parent and is kept alive
    here until it has finished.
    """
    if thread.isRunning():
        thread.setParent(None)
        _RETIRED.add(thread)
        thread.finished.connect(lambda: _RETIRED.discard(thread))
