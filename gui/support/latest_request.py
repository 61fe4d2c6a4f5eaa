"""A worker thread that works on the newest request only.

A request submitted while another waits replaces it; the one in flight runs to its end
unless the subclass abandons it (:meth:`LatestRequestThread._abandon`). Zooming the map or
dragging a slider asks again and again; only the last question is worth the CPU.
"""

from __future__ import annotations

import threading
import traceback

from PySide6.QtCore import QThread, Signal


class LatestRequestThread(QThread):
    """Subclasses define :meth:`work`; an exception in it is reported by ``failed``."""

    failed = Signal(str)  # the traceback

    def __init__(self, parent=None):
        super().__init__(parent)
        self._cond = threading.Condition()  # an RLock: subclasses may hold it around these calls
        self._request = None
        self._stop = False
        self._working = False

    @property
    def idle(self) -> bool:
        """Nothing asked for and nothing in flight (a result may still be queued as a
        signal for the GUI thread)."""
        with self._cond:
            return self._request is None and not self._working

    def stop(self, timeout_ms: int = 2000) -> bool:
        with self._cond:
            self._stop = True
            self._abandon()
            self._cond.notify()
        return self.wait(timeout_ms)

    def _replace(self, request) -> None:
        """Work on ``request`` next, instead of any request still waiting."""
        with self._cond:
            self._abandon()
            self._request = request
            self._cond.notify()

    def _drop(self) -> None:
        """Forget the request still waiting, if any."""
        with self._cond:
            self._abandon()
            self._request = None

    def _abandon(self) -> None:
        """Called under the lock when the work in flight is no longer wanted."""

    def _take(self, request):
        """Called under the lock as ``request`` is taken; returns what :meth:`work` gets."""
        return request

    def work(self, request) -> None:
        raise NotImplementedError

    def run(self) -> None:
        while True:
            with self._cond:
                while self._request is None and not self._stop:
                    self._cond.wait()
                if self._stop:
                    return
                request, self._request = self._take(self._request), None
                self._working = True
            try:
                self.work(request)
            except Exception:  # noqa: BLE001 — reported, never fatal
                self.failed.emit(traceback.format_exc())
            finally:
                with self._cond:
                    self._working = False
