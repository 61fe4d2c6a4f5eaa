"""The map's field (engine.maps.fields) computed on a thread of its own.

Zooming asks for the visible region again; only the newest request is worked on, older
ones are dropped, and results carry their request number so a late one is ignored.
"""

from __future__ import annotations

from PySide6.QtCore import Signal

from descentlab.engine.maps.fields import FieldRequest, compute_field

from ..support.latest_request import LatestRequestThread


class FieldThread(LatestRequestThread):
    computed = Signal(object)  # engine.maps.fields.Field

    def submit(self, req: FieldRequest) -> None:
        self._replace(req)

    def work(self, req: FieldRequest) -> None:
        self.computed.emit(compute_field(req))
