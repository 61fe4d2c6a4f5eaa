"""How a race's problem is drawn on the map: titles, axis labels, a note, grid resolution.

The numbers (the plane, its field, projections onto it) are engine.maps.planes; a frame adds
only what a person reads. Which frame a problem gets is chosen in gui.problem_looks.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from descentlab.engine.maps.planes import (
    FittedPlane,
    MapMinimum,
    MapPlane,
    ParameterPlane,
    PathPlane,
    SlicePlane,
    SurfacePlane,
)

from ..support.i18n import fill, translate


class MapFrame:
    grid_size = 256
    coarse_size = 0  # > 0: a field this coarse is drawn first (an expensive loss)
    lock_aspect = True
    note = ""
    title: str = ""
    formula_html: str = ""
    description: str = ""
    x_label = "x"
    y_label = "y"

    def __init__(self, plane: MapPlane):
        self.plane = plane
        self.problem = plane.problem

    @property
    def domain(self) -> tuple[float, float, float, float]:
        return self.plane.domain

    def minima(self) -> list[MapMinimum]:
        return self.plane.minima()

    def field_function(self) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        return self.plane.field

    def to_map(self, points: np.ndarray) -> np.ndarray:
        return self.plane.to_map(points)

    def from_map(self, x: float, y: float) -> np.ndarray:
        return self.plane.from_map(x, y)

    @property
    def f_min(self) -> float:
        return self.plane.f_min

    @property
    def minima_values(self) -> tuple[float, ...]:
        return self.plane.minima_values


class SurfaceFrame(MapFrame):
    def __init__(self, problem):
        super().__init__(SurfacePlane(problem))
        s = problem.surface
        self.surface = s
        self.title, self.formula_html, self.description = s.name, s.formula_html, s.description


class ParameterPlaneFrame(MapFrame):
    """A 2-parameter model: the map is its loss over (θ₁, θ₂)."""

    grid_size = 160
    lock_aspect = False

    def __init__(self, problem):
        super().__init__(ParameterPlane(problem))
        self.title = problem.name
        self.formula_html = problem.model.spec.formula_html if hasattr(problem.model, "spec") else ""
        self._loss_key = problem.loss_key
        names = ("w", "b") if problem.dataset.dim == 1 or problem.model.key == "linear" else ("w₁", "w₂")
        self.x_label, self.y_label = names

    # What a person reads is made when it is read: in the language shown then.
    @property
    def description(self) -> str:
        return fill(translate("MapFrame", "the training loss over the model's two parameters (%1)"),
                    self._loss_key)

    @property
    def note(self) -> str:
        return fill(translate("MapFrame", "map: training loss over (%1, %2)"), self.x_label, self.y_label)


class RandomPlaneFrame(MapFrame):
    """A model with many parameters: a slice through ``origin`` along two random directions
    (normalised per layer unless ``normalised`` is False)."""

    grid_size = 48
    coarse_size = 24
    lock_aspect = True

    def __init__(self, problem, origin: np.ndarray, seed: int = 0, normalised: bool = True):
        super().__init__(SlicePlane(problem, origin, seed, normalised))
        self.title = problem.name
        self.formula_html = ""
        self._model, self._n_params = problem.model.describe(), problem.n_params

    @property
    def x_label(self) -> str:
        return translate("MapFrame", "α (direction 1)")

    @property
    def y_label(self) -> str:
        return translate("MapFrame", "β (direction 2)")

    @property
    def description(self) -> str:
        return fill(translate("MapFrame", "%1, %2 parameters: a 2-D slice of the loss"), self._model,
                    self._n_params)

    @property
    def note(self) -> str:
        if not self.plane.normalised:
            return translate("MapFrame", "a 2-D slice through the start, along two random directions;\n"
                             "the paths are projected onto it")
        return translate("MapFrame", "a 2-D slice through the start, along two random directions\n"
                         "(normalised per layer); the paths are projected onto it")


class FittedPlaneFrame(RandomPlaneFrame):
    """A model with many parameters on the plane its runs' paths live in
    (engine.maps.planes.FittedPlane), refitted as they race (gui.map.plane_fit).

    Without a fit (the runs have not moved yet) it shows the random slice through the start,
    normalised per layer, and says the plane follows the paths once they move.
    """

    grid_size = 64
    coarse_size = 32

    def __init__(self, problem, origin: np.ndarray, seed: int = 0, fit: PathPlane | None = None,
                 paths=(), step: int = 0):
        super().__init__(problem, origin, seed)
        self.seed, self.fit, self.step = seed, fit, int(step)
        if fit is not None:
            self.plane = FittedPlane(problem, fit, paths)

    def refitted(self, fit: PathPlane, paths, step: int) -> FittedPlaneFrame:
        """The same problem on a newer fit."""
        return FittedPlaneFrame(self.problem, fit.origin, self.seed, fit, paths, step)

    @property
    def x_label(self) -> str:
        if self.fit is None:
            return super().x_label
        return translate("MapFrame", "a (direction 1 of the paths)")

    @property
    def y_label(self) -> str:
        if self.fit is None:
            return super().y_label
        return translate("MapFrame", "b (direction 2 of the paths)")

    @property
    def note(self) -> str:
        if self.fit is None:
            return translate("MapFrame", "a 2-D slice through the start, along two random directions;\n"
                             "once the runs move, the plane their paths live in")
        held = f"{100.0 * self.fit.explained:.0f}\u00a0%"  # (never broken between the number and %)
        return (fill(translate("MapFrame", "the plane holds %1 of the movement"), held)
                + "\n" + fill(translate("MapFrame", "plane refitted at step %1"), self.step))
