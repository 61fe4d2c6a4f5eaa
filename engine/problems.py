"""Problems a race can run on. A surface is the P = 2 case; datasets add bigger P.

A problem tells the race its parameter count, where runs may go before they count as
diverged, the known minima and how close counts as having reached one; it evaluates
loss and gradient at given points (``evaluate``) and advances a race's runs with its
compiled kernel (``advance``). The race owns the per-run arrays; the problem owns the maths.
"""

from __future__ import annotations

import numpy as np

from . import kernels
from .surface_kernels import surface_grid
from .surfaces import SURFACES, Surface, get_surface

# How far outside the plotting domain a run may wander before it counts as diverged,
# in domain widths on each side: generous, so overshooting is shown, not cut short.
DIVERGENCE_MARGIN = 10.0
# A run has "reached" a minimum within this fraction of the domain's diagonal.
REACHED_FRACTION = 1e-3


class SurfaceProblem:
    """A 2-D loss surface from :data:`engine.SURFACES`."""

    kind = "surface"
    n_params = 2

    def __init__(self, surface: Surface | str):
        self.surface = get_surface(surface) if isinstance(surface, str) else surface
        xmin, xmax, ymin, ymax = self.surface.domain
        w, h = xmax - xmin, ymax - ymin
        self.lower = np.array([xmin - DIVERGENCE_MARGIN * w, ymin - DIVERGENCE_MARGIN * h])
        self.upper = np.array([xmax + DIVERGENCE_MARGIN * w, ymax + DIVERGENCE_MARGIN * h])
        self.minima = np.array([[m.x, m.y] for m in self.surface.minima], dtype=float)
        self.minima = self.minima.reshape(-1, 2)
        self.minima_values = np.array([m.f for m in self.surface.minima], dtype=float)
        self.tolerance = REACHED_FRACTION * float(np.hypot(w, h))

    @property
    def key(self) -> str:
        return self.surface.key

    @property
    def name(self) -> str:
        return self.surface.name

    @property
    def default_start(self) -> np.ndarray:
        return np.array(self.surface.start, dtype=float)

    @property
    def f_min(self) -> float:
        return float(self.minima_values.min()) if self.minima_values.size else float("nan")

    def evaluate(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Loss, gradient and gradient norm at each row of ``theta`` (k × 2)."""
        theta = np.ascontiguousarray(theta, dtype=float)
        loss, gnorm = np.empty(len(theta)), np.empty(len(theta))
        grad = np.empty_like(theta)
        kernels.evaluate_surface(self.surface.id, theta, loss, grad, gnorm)
        return loss, grad, gnorm

    def loss_grid(self, xs, ys) -> np.ndarray:
        """The surface on a grid: ``Z[j, i] = f(xs[i], ys[j])`` (as ``DatasetProblem.loss_grid``)."""
        return surface_grid(self.surface.id, np.ascontiguousarray(xs, dtype=float),
                            np.ascontiguousarray(ys, dtype=float))

    def advance(self, race, n: int) -> None:
        """Advance every run of ``race`` by ``n`` steps: one compiled call."""
        kernels.advance_surface(
            self.surface.id, n, race.opt_id, race.hyper, race.theta, race.vec, race.sc,
            race.t, race.grad, race.loss, race.gnorm, race.status, race.noise_sigma, race.rng,
            self.lower, self.upper, self.minima, self.tolerance, race.reached_at,
            race.reached_which, race.diverged_at, race.hist_path, race.hist_loss,
            race.hist_gnorm, race.hist_test, race.hist_count, race.hist_stride,
            np.empty(self.n_params), np.empty(self.n_params),
        )

    def __repr__(self) -> str:
        return f"SurfaceProblem({self.key!r})"


def as_problem(problem) -> SurfaceProblem:
    """Accept a surface key, a Surface or a problem object; raise ValueError otherwise."""
    if isinstance(problem, str):
        if problem not in SURFACES:
            get_surface(problem)  # raises the standard message
        return SurfaceProblem(problem)
    if isinstance(problem, Surface):
        return SurfaceProblem(problem)
    if hasattr(problem, "kind") and hasattr(problem, "n_params"):
        return problem
    raise ValueError(f"unknown problem {problem!r}: give a surface key such as 'rosenbrock'")
