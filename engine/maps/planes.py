"""Map planes: the 2-D plane a problem's runs are drawn on, and the loss over it.

- :class:`SurfacePlane`: a surface's own (x, y);
- :class:`ParameterPlane`: a 2-parameter model's (θ₁, θ₂); the field is its true training loss;
- :class:`SlicePlane`: a bigger model: a 2-D slice through ``origin`` along two random
  directions, normalised per layer (Li et al. 2018); points are projected onto it by least
  squares.

Each gives its ``domain`` (xmin, xmax, ymin, ymax), ``to_map`` (k × P parameters → k × 2
map points), ``from_map`` (a map point → parameters), ``field(xs, ys)`` (the loss on a grid,
``Z[j, i]``), its ``minima`` on the map, ``minima_values`` and ``f_min``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MapMinimum:
    x: float
    y: float
    is_global: bool


class MapPlane:
    """A problem's two parameters are the map's two axes (no projection)."""

    def __init__(self, problem):
        self.problem = problem

    @property
    def domain(self) -> tuple[float, float, float, float]:
        return self.problem.domain

    def minima(self) -> list[MapMinimum]:
        return []

    @property
    def minima_values(self) -> tuple[float, ...]:
        return ()

    @property
    def f_min(self) -> float:
        return self.problem.f_min

    def field(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        return self.problem.loss_grid(xs, ys)

    def to_map(self, points: np.ndarray) -> np.ndarray:
        return np.asarray(points, dtype=float)

    def from_map(self, x: float, y: float) -> np.ndarray:
        return np.array([x, y], dtype=float)


class SurfacePlane(MapPlane):
    """A loss surface (``engine.SurfaceProblem``) over its own (x, y)."""

    @property
    def domain(self):
        return self.problem.surface.domain

    def minima(self):
        return [MapMinimum(m.x, m.y, m.is_global) for m in self.problem.surface.minima]

    @property
    def minima_values(self):
        return tuple(self.problem.minima_values)


class ParameterPlane(MapPlane):
    """A 2-parameter model (``engine.DatasetProblem``) over its parameters."""

    def minima(self):
        return [MapMinimum(float(m[0]), float(m[1]), True) for m in self.problem.minima]

    @property
    def minima_values(self):
        p = self.problem
        return tuple(float(v) for v in p.loss(p.minima)) if p.minima.size else ()


class SlicePlane(MapPlane):
    """``origin + α·u + β·v`` for a model with many parameters; α, β in [−1, 1]."""

    def __init__(self, problem, origin: np.ndarray, seed: int = 0):
        super().__init__(problem)
        self.origin = np.asarray(origin, dtype=float)
        self.u, self.v = problem.plane_directions(seed, self.origin)
        self._pinv = np.linalg.pinv(np.c_[self.u, self.v])

    @property
    def domain(self):
        return (-1.0, 1.0, -1.0, 1.0)

    def field(self, xs, ys):
        return self.problem.loss_plane(self.origin, self.u, self.v, xs, ys)

    def to_map(self, points):
        pts = np.asarray(points, dtype=float).reshape(-1, self.origin.size)
        return (pts - self.origin) @ self._pinv.T

    def from_map(self, x, y):
        return self.origin + x * self.u + y * self.v
