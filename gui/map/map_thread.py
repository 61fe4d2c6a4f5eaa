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
import traceback

from PySide6.QtCore import QThread, Signal

from descentlab.engine.maps.races import Cancelled

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


class MapThread(QThread):
    computed = Signal(int, object)  # serial, the job's result
    failed = Signal(str)
    cancelled = Signal(int)  # serial of a request dropped part-way (tests, status)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._cond = threading.Condition()
        self._request: tuple[int, list] | None = None
        self._cancel = threading.Event()
        self._stop = False
        self._working = False

    @property
    def idle(self) -> bool:
        """Nothing asked for and nothing in flight (its last results may still be queued
        as signals for the GUI thread)."""
        with self._cond:
            return self._request is None and not self._working

    def submit(self, serial: int, jobs: list) -> None:
        """Work on ``jobs`` next, dropping (cancelling) whatever is in flight."""
        with self._cond:
            self._cancel.set()  # the map in flight stops at its next chunk
            self._request = (serial, list(jobs))
            self._cond.notify()

    def cancel(self) -> None:
        with self._cond:
            self._cancel.set()
            self._request = None

    def stop(self, timeout_ms: int = 2000) -> bool:
        with self._cond:
            self._stop = True
            self._cancel.set()
            self._cond.notify()
        return self.wait(timeout_ms)

    def run(self) -> None:
        _be_nice()
        while True:
            with self._cond:
                while self._request is None and not self._stop:
                    self._cond.wait()
                if self._stop:
                    return
                (serial, jobs), self._request = self._request, None
                cancel = self._cancel = threading.Event()
                self._working = True
            try:
                for job in jobs:
                    result = job(cancel)
                    if cancel.is_set():
                        raise Cancelled
                    self.computed.emit(serial, result)
            except Cancelled:
                self.cancelled.emit(serial)
            except Exception:  # noqa: BLE001 — reported, never fatal
                self.failed.emit(traceback.format_exc())
            finally:
                with self._cond:
                    self._working = False
