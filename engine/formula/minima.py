"""Finding a formula's local minima on its domain, in the compiled engine.

From deterministic starts — a coarse grid (offset off the symmetry lines a typed formula
often has) and the low points of a finer grid of values, so every basin wider than its
spacing gets one — :func:`engine.formula.kernels.descend` runs BFGS with a backtracking
line search.
A point it stops at counts as a minimum if it lies in the domain, every one of eight
neighbours a little way off is strictly higher, and a descent from each neighbour comes
back to it (this drops saddles, maxima and flat valleys, whose minima are not isolated
points); points closer than ``merge`` are one minimum, represented by the lowest. No
gradient is ever approximated: the descent uses the exact one.
"""

from __future__ import annotations

import math

import numpy as np

from . import kernels
from .program import Program

GRID = 12  # starts per axis
ITERATIONS = 200  # BFGS iterations per start
MAX_MINIMA = 32  # a formula with more (a ripple, a wide Rastrigin) keeps its lowest
FINE_GRID = 96  # the grid whose low points are starts too
MAX_VALLEYS = 256
_OFFSET = (0.5 * (math.sqrt(5.0) - 1.0), math.sqrt(2.0) - 1.0)  # in cell widths: irrational


def grid_starts(domain, n: int = GRID) -> np.ndarray:
    """``n × n`` starts over ``domain``, one per cell, off the cells' centre lines."""
    xmin, xmax, ymin, ymax = domain
    fx = (np.arange(n) + _OFFSET[0]) / n
    fy = (np.arange(n) + _OFFSET[1]) / n
    gx, gy = np.meshgrid(xmin + fx * (xmax - xmin), ymin + fy * (ymax - ymin))
    return np.ascontiguousarray(np.c_[gx.ravel(), gy.ravel()])


def _grid_valleys(program: Program, stack: np.ndarray, domain, n: int = FINE_GRID) -> np.ndarray:
    """The points of an ``n × n`` grid no higher than their 8 neighbours (lowest first, at
    most MAX_VALLEYS): a start in every basin wider than the grid's spacing."""
    xmin, xmax, ymin, ymax = domain
    xs, ys = np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n)
    z = np.empty((n, n))
    kernels.formula_grid(program, stack, xs, ys, z)
    inner = z[1:-1, 1:-1]
    low = np.isfinite(inner)
    for dj in (-1, 0, 1):
        for di in (-1, 0, 1):
            if dj or di:
                low &= inner <= z[1 + dj:n - 1 + dj, 1 + di:n - 1 + di]
    j, i = np.nonzero(low)
    order = np.argsort(inner[j, i], kind="stable")[:MAX_VALLEYS]
    return np.ascontiguousarray(np.c_[xs[1 + i[order]], ys[1 + j[order]]])


def find_minima(program: Program, stack_depth: int, domain, merge: float) -> tuple[np.ndarray, np.ndarray]:
    """``(points (k × 2), values (k,))``: the isolated local minima in ``domain``, lowest first."""
    xmin, xmax, ymin, ymax = domain
    w, h = xmax - xmin, ymax - ymin
    lo = np.array([xmin - 0.5 * w, ymin - 0.5 * h])
    hi = np.array([xmax + 0.5 * w, ymax + 0.5 * h])
    stack = np.empty((stack_depth, 3))
    starts = np.concatenate([grid_starts(domain), _grid_valleys(program, stack, domain)])
    out = np.empty((len(starts), 4))
    kernels.descend(program, stack, starts, lo, hi, ITERATIONS, out)
    ok = np.isfinite(out[:, 2])
    ok &= (out[:, 0] >= xmin) & (out[:, 0] <= xmax) & (out[:, 1] >= ymin) & (out[:, 1] <= ymax)
    candidates = out[ok]
    candidates = candidates[np.lexsort((candidates[:, 1], candidates[:, 0], candidates[:, 2]))]
    kept: list[np.ndarray] = []
    for c in candidates:  # lowest first, so the first of a cluster represents it
        if any(math.hypot(c[0] - k[0], c[1] - k[1]) <= merge for k in kept):
            continue
        if _isolated(program, stack, c, merge):
            kept.append(c)
        if len(kept) == MAX_MINIMA:
            break
    points = np.array([k[:2] for k in kept], dtype=float).reshape(-1, 2) + 0.0  # no −0.0
    values = np.array([k[2] for k in kept], dtype=float)
    return points, values


def _isolated(program: Program, stack: np.ndarray, c: np.ndarray, radius: float) -> bool:
    """True if ``c`` is an isolated minimum: f at 8 points at ``radius`` around it is strictly
    higher, and a descent from each comes back to it (within radius / 4, inside a box of
    ± 2·radius). A flat valley fails the second test: its neighbours stay where they are."""
    angles = np.arange(8) * (np.pi / 4) + 0.1
    ring = np.ascontiguousarray(np.c_[c[0] + radius * np.cos(angles), c[1] + radius * np.sin(angles)])
    f, gx, gy = np.empty(8), np.empty(8), np.empty(8)
    kernels.formula_points(program, stack, np.ascontiguousarray(ring[:, 0]), np.ascontiguousarray(ring[:, 1]),
                           f, gx, gy)
    if not np.all(f > c[2]):
        return False
    out = np.empty((8, 4))
    kernels.descend(program, stack, ring, c[:2] - 2.0 * radius, c[:2] + 2.0 * radius, ITERATIONS, out)
    back = np.hypot(out[:, 0] - c[0], out[:, 1] - c[1])
    return bool(np.all(back <= 0.25 * radius))  # False for NaN: left the box
