"""The map's field (engine.maps.fields) computed on a thread of its own.

Zooming asks for the visible region again; only the newest request is worked on, older
ones are dropped, and results carry their request number so a late one is ignored.
"""

from __future__ import annotations

import threading
import traceback

from PySide6.QtCore import QThread, Signal

from descentlab.engine.maps.fields import FieldRequest, compute_field


class FieldThread(QThread):
    computed = Signal(object)  # engine.maps.fields.Field
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._cond = threading.Condition()
        self._request: FieldRequest | None = None
        self._stop = False
        self._working = False

    @property
    def idle(self) -> bool:
        """Nothing asked for and nothing in flight (a result may still be queued as a
        signal for the GUI thread)."""
        with self._cond:
            return self._request is None and not self._working

    def submit(self, req: FieldRequest) -> None:
        with self._cond:
            self._request = req
            self._cond.notify()

    def stop(self, timeout_ms: int = 2000) -> bool:
        with self._cond:
            self._stop = True
            self._cond.notify()
        return self.wait(timeout_ms)

    def run(self) -> None:
        while True:
            with self._cond:
                while self._request is None and not self._stop:
                    self._cond.wait()
                if self._stop:
                    return
                req, self._request = self._request, None
                self._working = True
            try:
                self.computed.emit(compute_field(req))
            except Exception:  # noqa: BLE001 — reported, never fatal
                self.failed.emit(traceback.format_exc())
            finally:
                with self._cond:
                    self._working = False
