"""The loss as a relief for the 3-D view: heights over a grid, and points lifted onto it.

Numbers only (the GUI draws them, gui.view3d). The grid is the same loss the map colours
(a surface, a 2-parameter model's plane, a bigger model's slice); heights are the loss
above the grid's minimum (linear) or ``log10(f − f_min + δ)`` (log height, for
Rosenbrock-like ranges), with δ a thousandth of the grid's median height above its
minimum (as the map's colour values, engine.maps.drawing.colour_values). Everything is put
into a box of world units: the region's longer side spans 2 (the shorter in proportion,
or 2 as well when the plane's axes are not comparable), heights span ``HEIGHT``.

Points (paths, markers, contour lines) are lifted by bilinear interpolation of the same
height grid, plus a small offset: they sit on the drawn mesh, not under it, even where
the mesh's straight facets cut over a curved valley.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..quoted import quoted
from .drawing import colour_values, contour_levels, contour_pieces, nan_joined

HEIGHT = 1.0  # world units from the lowest to the highest point of the mesh
OFFSET = 0.012  # world units: paths and markers float this far above the mesh
AUTO_LOG_SHARE = 0.03  # auto: log height if half the grid lies below this share of the height


@dataclass(frozen=True)
class Relief:
    xs: np.ndarray  # (nx,) map coordinates of the grid's columns
    ys: np.ndarray  # (ny,) map coordinates of the grid's rows
    loss: np.ndarray  # (ny, nx) the loss, Z[j, i] as engine.maps.planes gives it
    heights: np.ndarray  # (ny, nx) world z of every node, 0 … HEIGHT
    colour: np.ndarray  # (ny, nx) colour-map values (the map's log-like transform)
    colour_levels: tuple[float, float]
    contours: np.ndarray  # (k, 2) NaN-separated contour polylines in map coordinates
    log: bool
    scale: tuple[float, float]  # world units per map unit, x and y
    centre: tuple[float, float]  # the region's centre in map coordinates

    @property
    def region(self) -> tuple[float, float, float, float]:
        return float(self.xs[0]), float(self.xs[-1]), float(self.ys[0]), float(self.ys[-1])

    def world_xy(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (np.asarray(x) - self.centre[0]) * self.scale[0], (np.asarray(y) - self.centre[1]) * self.scale[1]

    def height_at(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """World z of the mesh at map points (bilinear; points outside use the nearest edge)."""
        return bilinear(self.xs, self.ys, self.heights, np.asarray(x, float), np.asarray(y, float))

    def lift(self, points: np.ndarray, offset: float = OFFSET) -> np.ndarray:
        """(n, 2) map points → (n, 3) world points on the mesh, ``offset`` above it."""
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        wx, wy = self.world_xy(points[:, 0], points[:, 1])
        z = self.height_at(points[:, 0], points[:, 1]) + offset
        return np.column_stack([wx, wy, z])

    def contour_segments(self, offset: float = OFFSET * 0.5) -> np.ndarray:
        """The contour polylines lifted, as (2k, 3) segment end points (for a 'lines' item)."""
        pts = self.contours
        if len(pts) < 2:
            return np.empty((0, 3))
        a, b = pts[:-1], pts[1:]
        keep = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
        pairs = np.empty((2 * int(keep.sum()), 2))
        pairs[0::2], pairs[1::2] = a[keep], b[keep]
        return self.lift(pairs, offset)

    def skirt(self) -> tuple[np.ndarray, np.ndarray]:
        """The four side walls from the mesh's edge down to z = 0, as (vertices (m, 3),
        triangles (k, 3)): the relief reads as a block of ground, not a sheet in the air."""
        ny, nx = self.heights.shape
        edges = [(np.arange(nx), np.zeros(nx, int)), (np.full(ny, nx - 1), np.arange(ny)),
                 (np.arange(nx)[::-1], np.full(nx, ny - 1)), (np.zeros(ny, int), np.arange(ny)[::-1])]
        verts, faces, base = [], [], 0
        for i, j in edges:
            wx, wy = self.world_xy(self.xs[i], self.ys[j])
            top = np.column_stack([wx, wy, self.heights[j, i]])
            bottom = np.column_stack([wx, wy, np.zeros(len(i))])
            verts += [top, bottom]
            m = len(i)
            k = np.arange(m - 1)
            t0, t1, b0, b1 = base + k, base + k + 1, base + m + k, base + m + k + 1
            faces += [np.column_stack([t0, b0, t1]), np.column_stack([t1, b0, b1])]
            base += 2 * m
        return np.vstack(verts), np.vstack(faces).astype(np.int64)

    @property
    def world_box(self) -> tuple[float, float, float, float]:
        """(x0, x1, y0, y1) of the mesh in world units."""
        x0, x1, y0, y1 = self.region
        (a, b), (c, d) = self.world_xy(np.array([x0, x1]), np.array([y0, y1]))
        return float(a), float(b), float(c), float(d)


def bilinear(xs: np.ndarray, ys: np.ndarray, grid: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``grid[j, i]`` (over increasing ``ys[j]``, ``xs[i]``) interpolated at the points (x, y)."""
    nx, ny = len(xs), len(ys)
    fx = np.interp(x, xs, np.arange(nx, dtype=float))
    fy = np.interp(y, ys, np.arange(ny, dtype=float))
    fx = np.nan_to_num(fx, nan=0.0)
    fy = np.nan_to_num(fy, nan=0.0)
    i0 = np.clip(np.floor(fx).astype(np.int64), 0, max(nx - 2, 0))
    j0 = np.clip(np.floor(fy).astype(np.int64), 0, max(ny - 2, 0))
    i1 = np.minimum(i0 + 1, nx - 1)
    j1 = np.minimum(j0 + 1, ny - 1)
    tx = np.clip(fx - i0, 0.0, 1.0)
    ty = np.clip(fy - j0, 0.0, 1.0)
    top = grid[j0, i0] * (1 - tx) + grid[j0, i1] * tx
    bottom = grid[j1, i0] * (1 - tx) + grid[j1, i1] * tx
    return top * (1 - ty) + bottom * ty


def prefers_log(loss: np.ndarray) -> bool:
    """Whether linear heights would squash most of the surface flat (Rosenbrock, Beale):
    the median lies in the lowest ``AUTO_LOG_SHARE`` of the grid's range."""
    finite = loss[np.isfinite(loss)]
    if finite.size == 0:
        return False
    lo, hi = float(finite.min()), float(finite.max())
    if not hi > lo:
        return False
    return (float(np.median(finite)) - lo) / (hi - lo) < AUTO_LOG_SHARE


def world_scale(region: tuple[float, float, float, float], same_units: bool) -> tuple[float, float]:
    x0, x1, y0, y1 = region
    w, h = max(x1 - x0, 1e-300), max(y1 - y0, 1e-300)
    if same_units:
        s = 2.0 / max(w, h)
        return s, s
    return 2.0 / w, 2.0 / h


def heights_of(loss: np.ndarray, log: bool) -> np.ndarray:
    """Node heights 0 … HEIGHT: the loss above its minimum, or its log (colour_values)."""
    finite = np.isfinite(loss)
    if not finite.any():
        return np.zeros_like(loss, dtype=float)
    if log:
        h, _ = colour_values(loss)
    else:
        top = float(loss[finite].max())
        h = np.where(finite, loss, top) - float(loss[finite].min())
    lo, hi = float(h.min()), float(h.max())
    if not hi > lo:
        return np.zeros_like(h, dtype=float)
    return (h - lo) * (HEIGHT / (hi - lo))


def compute_relief(evaluate: Callable[[np.ndarray, np.ndarray], np.ndarray],
                   region: tuple[float, float, float, float], n: int = 100, *,
                   log: bool | None = None, same_units: bool = True,
                   loss: np.ndarray | None = None) -> Relief:
    """The relief of ``evaluate`` ((xs, ys) → Z[j, i]) over ``region`` on an n × n grid.

    ``log=None`` chooses (:func:`prefers_log`). Pass ``loss`` (a grid computed before over
    the same region and n) to switch the height mode without evaluating again.
    """
    x0, x1, y0, y1 = (float(v) for v in region)
    if not (np.isfinite([x0, x1, y0, y1]).all() and x1 > x0 and y1 > y0):
        raise ValueError(f"region must be finite with x0 < x1 and y0 < y1, got {quoted(region)}")
    if not 2 <= int(n) <= 1000:
        raise ValueError(f"n must be 2 … 1000 grid points a side, got {quoted(n)}")
    n = int(n)
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    if loss is None:
        loss = np.asarray(evaluate(xs, ys), dtype=float)
    if loss.shape != (n, n):
        raise ValueError(f"the loss grid has shape {loss.shape}, expected {(n, n)}")
    if log is None:
        log = prefers_log(loss)
    t, _ = colour_values(loss)
    lo, hi = np.percentile(t, [0.5, 99.5])
    levels = contour_levels(t, 14)
    contours = nan_joined(contour_pieces(xs, ys, t, levels))
    return Relief(xs, ys, loss, heights_of(loss, bool(log)), t, (float(lo), float(max(hi, lo + 1e-9))),
                  contours, bool(log), world_scale((x0, x1, y0, y1), same_units),
                  (0.5 * (x0 + x1), 0.5 * (y0 + y1)))


def until_outside(path: np.ndarray, region: tuple[float, float, float, float]) -> np.ndarray:
    """A path up to (not including) its first point outside ``region`` — a diverged run's
    swing out to enormous values would otherwise be drawn along the mesh's edge."""
    x0, x1, y0, y1 = region
    inside = (path[:, 0] >= x0) & (path[:, 0] <= x1) & (path[:, 1] >= y0) & (path[:, 1] <= y1)
    if inside.all():
        return path
    first = int(np.argmin(inside))
    return path[:max(first, 1)]
