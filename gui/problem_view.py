"""How a race's problem appears on the map: which plane, which field, which axes.

- a surface: the (x, y) plane itself;
- a 2-parameter model (linear regression, logistic regression): its parameters (w, b)
  are the plane, and the field is the true training loss over them;
- a bigger model: a 2-D slice through the start along two random directions, normalised
  per layer (Li et al. 2018); paths are projected onto it, and the map says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import engine
from engine.surface_kernels import surface_grid


@dataclass
class MapMinimum:
    x: float
    y: float
    is_global: bool


class ProblemView:
    kind = "surface"
    grid_size = 256
    lock_aspect = True
    note = ""

    def __init__(self, problem):
        self.problem = problem

    # what the map shows ----------------------------------------------------
    title: str = ""
    formula_html: str = ""
    description: str = ""
    x_label = "x"
    y_label = "y"

    @property
    def domain(self) -> tuple[float, float, float, float]:
        raise NotImplementedError

    def minima(self) -> list[MapMinimum]:
        return []

    def field_function(self) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        raise NotImplementedError

    # coordinates -------------------------------------------------------------
    def to_map(self, points: np.ndarray) -> np.ndarray:
        return np.asarray(points, dtype=float)

    def from_map(self, x: float, y: float) -> np.ndarray:
        return np.array([x, y], dtype=float)

    @property
    def f_min(self) -> float:
        return self.problem.f_min

    @property
    def minima_values(self) -> tuple[float, ...]:
        return tuple(getattr(self.problem, "minima_values", ()))


class SurfaceView(ProblemView):
    def __init__(self, problem: engine.SurfaceProblem):
        super().__init__(problem)
        s = problem.surface
        self.surface = s
        self.title, self.formula_html, self.description = s.name, s.formula_html, s.description

    @property
    def domain(self):
        return self.surface.domain

    def minima(self):
        return [MapMinimum(m.x, m.y, m.is_global) for m in self.surface.minima]

    def field_function(self):
        sid = self.surface.id
        return lambda xs, ys: surface_grid(sid, xs, ys)


class ParameterPlaneView(ProblemView):
    """A 2-parameter model: the map is its loss over (θ₁, θ₂)."""

    kind = "data2"
    grid_size = 160
    lock_aspect = False

    def __init__(self, problem):
        super().__init__(problem)
        self.title = problem.name
        self.formula_html = problem.model.spec.formula_html if hasattr(problem.model, "spec") else ""
        self.description = f"the training loss over the model's two parameters ({problem.loss_key})"
        names = ("w", "b") if problem.dataset.dim == 1 or problem.model.key == "linear" else ("w₁", "w₂")
        self.x_label, self.y_label = names
        self.note = f"map: training loss over ({names[0]}, {names[1]})"

    @property
    def domain(self):
        return self.problem.domain

    def minima(self):
        return [MapMinimum(float(m[0]), float(m[1]), True) for m in self.problem.minima]

    @property
    def minima_values(self):
        p = self.problem
        return tuple(float(v) for v in p.loss(p.minima)) if p.minima.size else ()

    def field_function(self):
        p = self.problem
        return lambda xs, ys: p.loss_grid(xs, ys)


class RandomPlaneView(ProblemView):
    """A model with many parameters: a slice through ``origin`` along ``u`` and ``v``."""

    kind = "plane"
    grid_size = 48
    lock_aspect = True
    x_label, y_label = "α (direction 1)", "β (direction 2)"

    def __init__(self, problem, origin: np.ndarray, seed: int = 0):
        super().__init__(problem)
        self.origin = np.asarray(origin, dtype=float)
        self.u, self.v = problem.plane_directions(seed, self.origin)
        self.title = problem.name
        self.formula_html = ""
        self.description = (f"{problem.model.describe()}, {problem.n_params} parameters: "
                            "a 2-D slice of the loss")
        self.note = ("a 2-D slice through the start, along two random directions\n"
                     "(normalised per layer); the paths are projected onto it")
        basis = np.c_[self.u, self.v]
        self._pinv = np.linalg.pinv(basis)

    @property
    def domain(self):
        return (-1.0, 1.0, -1.0, 1.0)

    def field_function(self):
        p, o, u, v = self.problem, self.origin, self.u, self.v
        return lambda xs, ys: p.loss_plane(o, u, v, xs, ys)

    def to_map(self, points):
        pts = np.asarray(points, dtype=float).reshape(-1, self.origin.size)
        return (pts - self.origin) @ self._pinv.T

    def from_map(self, x, y):
        return self.origin + x * self.u + y * self.v

    @property
    def minima_values(self):
        return ()


def view_for(problem, start=None, seed: int = 0) -> ProblemView:
    if isinstance(problem, engine.SurfaceProblem):
        return SurfaceView(problem)
    if problem.n_params == 2:
        return ParameterPlaneView(problem)
    origin = problem.default_start if start is None else np.asarray(start, dtype=float)
    return RandomPlaneView(problem, origin, seed)

