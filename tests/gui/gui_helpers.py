"""Helpers for the window tests: render a scene by hand and look at its pixels."""

import numpy as np


def render(win, steps: int = 200):
    """Advance the race by hand, draw it with a synchronously computed field, grab the map."""
    snap = win.advance_and_draw(steps)
    return snap, qimage_to_array(win.panels.map.grab().toImage())


def qimage_to_array(img) -> np.ndarray:
    from PySide6.QtGui import QImage

    img = img.convertToFormat(QImage.Format.Format_RGB888)
    w, h = img.width(), img.height()
    buf = np.frombuffer(img.constBits(), np.uint8, count=img.bytesPerLine() * h)
    return buf.reshape(h, img.bytesPerLine())[:, : w * 3].reshape(h, w, 3).copy()


def has_colour(pixels: np.ndarray, hex_colour: str, tol: int = 12) -> bool:
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return bool((np.abs(pixels.astype(int) - rgb).max(axis=2) <= tol).any())


def threads_stopper(win):
    """A check that the window's worker and field thread have ended, safe after the window is
    deleted: pytest-qt deletes the window (deleteLater) before fixtures tear down, and a
    waitUntil's event loop runs that deletion; a thread that had already stopped goes with it
    (a running one was retired, unparented, by closeEvent). Take it before closing."""
    from shiboken6 import isValid

    threads = (win.controller.worker, win.panels.map.fields)
    return lambda: all(not isValid(t) or not t.isRunning() for t in threads)
