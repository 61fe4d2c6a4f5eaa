"""The colour map and contour lines of a surface, computed on a thread of their own.

Zooming asks for the visible region again; only the newest request is worked on, older
ones are dropped, and results carry their request number so a late one is ignored.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass

import contourpy
import numpy as np
from PySide6.QtCore import QThread, Signal

from engine.drawing import colour_values, contour_levels


@dataclass
class FieldRequest:
    serial: int
    evaluate: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (xs, ys) → Z[j, i]
    xrange: tuple[float, float]
    yrange: tuple[float, float]
    nx: int = 256
    ny: int = 256


@dataclass
class Field:
    serial: int
    xrange: tuple[float, float]
    yrange: tuple[float, float]
    values: np.ndarray  # (ny, nx) colour values (log-like)
    levels: tuple[float, float]  # colour levels
    contours: np.ndarray  # (k, 2) NaN-separated polyline points


def compute_field(req: FieldRequest) -> Field:
    xs = np.linspace(*req.xrange, req.nx)
    ys = np.linspace(*req.yrange, req.ny)
    z = np.asarray(req.evaluate(xs, ys), dtype=float)
    t, _ = colour_values(z)
    levels = contour_levels(t)
    gen = contourpy.contour_generator(xs, ys, t, line_type="ChunkCombinedNan")
    pieces = []
    for level in levels:
        chunk = gen.lines(float(level))[0][0]
        if chunk is not None and len(chunk):
            pieces.append(chunk)
            pieces.append(np.full((1, 2), np.nan))
    contours = np.concatenate(pieces) if pieces else np.empty((0, 2))
    lo, hi = np.percentile(t, [0.5, 99.5])
    image = upsample(t, 4) if max(req.nx, req.ny) < 128 else t
    return Field(req.serial, req.xrange, req.yrange, image, (float(lo), float(max(hi, lo + 1e-9))),
                 contours)


def upsample(t: np.ndarray, factor: int) -> np.ndarray:
    """Bilinear upsampling, so a coarse grid (an expensive loss) is not drawn as blocks."""
    ny, nx = t.shape
    xs = np.linspace(0, nx - 1, (nx - 1) * factor + 1)
    ys = np.linspace(0, ny - 1, (ny - 1) * factor + 1)
    rows = np.array([np.interp(xs, np.arange(nx), row) for row in t])
    return np.array([np.interp(ys, np.arange(ny), col) for col in rows.T]).T


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


class FieldThread(QThread):
    computed = Signal(object)  # Field
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._cond = threading.Condition()
        self._request: FieldRequest | None = None
        self._stop = False

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
            try:
                self.computed.emit(compute_field(req))
            except Exception:  # noqa: BLE001 — reported, never fatal
                self.failed.emit(traceback.format_exc())

