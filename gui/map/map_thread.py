"""Maps (engine.maps: basins, hyperparameter maps) computed on a thread of their own.

A request is a serial number and a list of jobs — callables taking a cancel flag, coarse
first — whose results are emitted one by one. A new request cancels the one in flight:
its flag is set, the engine stops between two chunks of steps (``engine.maps.Cancelled``)
and the thread moves on to the newest request. The kernels release the GIL, so the GUI
keeps its frame while a map computes.
"""

from __future__ import annotations

import os
import threading

from PySide6.QtCore import Signal

from descentlab.engine.maps.races import Cancelled

from ..support.latest_request import LatestRequestThread

MAP_NICENESS = 10  # CPU weight ≈ 1/10 of the GUI's and the race's: maps never starve a frame


def _be_nice() -> None:
    """Lower this thread's CPU priority (Linux: per thread, inherited by the two helper
    threads a big map starts), so the GUI thread and the race worker win every contest for
    a core. Unlike an idle-class thread, a niced one still gets CPU under load, so it cannot
    sit on the GIL for long."""
    if hasattr(os, "setpriority") and hasattr(threading, "get_native_id"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), MAP_NICENESS)
        except OSError:
            pass


class MapThread(LatestRequestThread):
    computed = Signal(int, object)  # serial, the job's result
    cancelled = Signal(int)  # serial of a request dropped part-way (tests, status)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._cancel = threading.Event()  # the flag of the map in flight

    def submit(self, serial: int, jobs: list) -> None:
        """Work on ``jobs`` next, dropping (cancelling) whatever is in flight."""
        self._replace((serial, list(jobs)))

    def cancel(self) -> None:
        self._drop()

    def _abandon(self) -> None:
        self._cancel.set()  # the map in flight stops at its next chunk

    def _take(self, request):
        self._cancel = threading.Event()
        return (*request, self._cancel)

    def run(self) -> None:
        _be_nice()
        super().run()

    def work(self, request) -> None:
        serial, jobs, cancel = request
        try:
            for job in jobs:
                result = job(cancel)
                if cancel.is_set():
                    raise Cancelled
                self.computed.emit(serial, result)
        except Cancelled:
            self.cancelled.emit(serial)
