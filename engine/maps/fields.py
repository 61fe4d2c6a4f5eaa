"""The colour map and contour lines of a loss over a rectangle of the map: numbers only.

The GUI computes these on a thread of its own (gui.map.field_thread) and draws them; a script can
call :func:`compute_field` directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .drawing import colour_values, contour_levels, contour_pieces, nan_joined


@dataclass
class FieldRequest:
    serial: int
    evaluate: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (xs, ys) → Z[j, i]
    xrange: tuple[float, float]
    yrange: tuple[float, float]
    nx: int = 256
    ny: int = 256
    coarse: int = 0  # > 0: a coarse × coarse field first (gui.map.field_thread sends both)


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
    contours = nan_joined(contour_pieces(xs, ys, t, levels))
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
