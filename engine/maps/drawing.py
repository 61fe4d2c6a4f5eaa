"""Numbers for drawing (no Qt): thinning long paths to what a screen can resolve, and
turning a grid of values into colour-map values, contour levels and contour lines.
"""

from __future__ import annotations

import math

import contourpy
import numpy as np
from numba import njit


@njit(cache=True, nogil=True, error_model="numpy")
def _thin(xs, ys, sx, sy, min_px, out):
    n = xs.size
    if n == 0:
        return 0
    out[0] = 0
    k = 1
    lx, ly = xs[0], ys[0]
    for i in range(1, n - 1):
        dx = (xs[i] - lx) * sx
        dy = (ys[i] - ly) * sy
        if dx * dx + dy * dy >= min_px * min_px or not (math.isfinite(dx) and math.isfinite(dy)):
            out[k] = i
            k += 1
            lx, ly = xs[i], ys[i]
    if n > 1:
        out[k] = n - 1
        k += 1
    return k


def thin_path(xs: np.ndarray, ys: np.ndarray, px_per_x: float, px_per_y: float,
              min_px: float = 1.0) -> np.ndarray:
    """Indices of the points of a polyline worth drawing at this scale.

    A point is kept when it lies at least ``min_px`` pixels from the last kept point; the
    first and last points are always kept. Unlike taking every k-th point this keeps a
    zig-zag's corners, which is the picture the lecture is about.
    """
    xs = np.ascontiguousarray(xs, dtype=float)
    ys = np.ascontiguousarray(ys, dtype=float)
    out = np.empty(xs.size, np.int64)
    k = _thin(xs, ys, float(px_per_x), float(px_per_y), float(min_px), out)
    return out[:k]


def colour_values(z: np.ndarray) -> tuple[np.ndarray, float]:
    """A log-like transform of a loss grid for a colour map: log10(z − min + δ).

    δ is a thousandth of the grid's median height above its minimum, so valleys get
    colour detail without the plateau flattening into one colour. Returns the
    transformed grid and δ (to transform contour levels back if needed).
    """
    finite = np.isfinite(z)
    if not finite.any():
        return np.zeros_like(z), 1.0
    zmin = float(z[finite].min())
    spread = float(np.median(z[finite]) - zmin)
    delta = spread * 1e-3 if spread > 0 else 1e-12
    t = np.log10(np.where(finite, z - zmin, np.nanmax(np.where(finite, z, -np.inf)) - zmin) + delta)
    return t, delta


def contour_levels(t: np.ndarray, count: int = 18) -> np.ndarray:
    """Evenly spaced levels over the bulk (1st–99th percentile) of transformed values."""
    lo, hi = np.percentile(t, [1.0, 99.0])
    if not hi > lo:
        return np.array([lo])
    return np.linspace(lo, hi, count + 2)[1:-1]


def contour_pieces(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, levels) -> list[np.ndarray]:
    """The contour lines of ``z[j, i]`` over the grid ``(xs[i], ys[j])``: for each level that
    has any, one ``(k, 2)`` array of points, a NaN row between its separate lines.

    A level outside ``z``'s range has none, and neither has any level of a grid with NaN in it.
    """
    lo, hi = np.min(z), np.max(z)
    inside = [float(v) for v in levels if lo <= v <= hi]
    if not inside:
        return []
    gen = contourpy.contour_generator(xs, ys, z, line_type="ChunkCombinedNan")
    pieces = []
    for level in inside:
        chunk = gen.lines(level)[0][0]
        if chunk is not None and len(chunk):
            pieces.append(chunk)
    return pieces


def nan_joined(pieces: list[np.ndarray]) -> np.ndarray:
    """Polylines as one ``(k, 2)`` array, a NaN row after each (one curve draws them all)."""
    if not pieces:
        return np.empty((0, 2))
    return np.concatenate([part for piece in pieces for part in (piece, np.full((1, 2), np.nan))])


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _emit_pair(out, k, lo, hi):
    """Append a column's lowest and highest point, in path order (once if the same)."""
    a, b = (lo, hi) if lo < hi else (hi, lo)
    out[k] = a
    k += 1
    if b != a:
        out[k] = b
        k += 1
    return k


@njit(cache=True, nogil=True, error_model="numpy")
def _envelope(xs, ys, x0, width, columns, out):
    n = xs.size
    k = 0
    col = -(2**62)
    lo = hi = -1
    for i in range(n):
        c = int((xs[i] - x0) / width * columns) if width > 0 else 0
        if c != col:
            if lo >= 0:
                k = _emit_pair(out, k, lo, hi)
            col = c
            lo = hi = i
            continue
        if not math.isfinite(ys[i]):
            continue
        if not math.isfinite(ys[lo]) or ys[i] < ys[lo]:
            lo = i
        if not math.isfinite(ys[hi]) or ys[i] > ys[hi]:
            hi = i
    if lo >= 0:
        k = _emit_pair(out, k, lo, hi)
    if n > 0 and (k == 0 or out[k - 1] != n - 1):
        out[k] = n - 1
        k += 1
    return k


def envelope(xs: np.ndarray, ys: np.ndarray, x0: float, x1: float, columns: int) -> np.ndarray:
    """Indices keeping, for each of ``columns`` pixel columns over [x0, x1], the lowest and
    the highest point (in order), plus the last point: a noisy curve keeps its band.

    ``xs`` must be increasing (steps). At most 2·columns + 1 points come out, however
    long the curve.
    """
    xs = np.ascontiguousarray(xs, dtype=float)
    ys = np.ascontiguousarray(ys, dtype=float)
    out = np.empty(2 * xs.size + 1, np.int64)
    k = _envelope(xs, ys, float(x0), float(x1 - x0), int(max(columns, 1)), out)
    return out[:k]
