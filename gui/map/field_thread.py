"""The map's field (engine.maps.fields) computed on a thread of its own.

Zooming asks for the visible region again; only the newest request is worked on, older
ones are dropped, and results carry their request number so a late one is ignored.
A request with a ``coarse`` size is answered twice, coarse first (an expensive loss: a
big model's plane); the fine field is skipped if a newer request is waiting by then.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal

from descentlab.engine.maps.fields import FieldRequest, compute_field

from ..support.latest_request import LatestRequestThread


class FieldThread(LatestRequestThread):
    computed = Signal(object)  # engine.maps.fields.Field

    def submit(self, req: FieldRequest) -> None:
        self._replace(req)

    def work(self, req: FieldRequest) -> None:
        if 0 < req.coarse < max(req.nx, req.ny):
            self.computed.emit(compute_field(replace(req, nx=req.coarse, ny=req.coarse)))
            with self._cond:
                if self._request is not None:
                    return  # the view moved meanwhile: its field, not this one
        self.computed.emit(compute_field(req))
