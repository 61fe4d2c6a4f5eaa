"""A 2-D loss surface from the catalogue, as a :class:`~engine.problems.protocol.Problem`."""

from __future__ import annotations

import math

import numpy as np

from ..checks import validated_batch_size
from ..compile.direct_call import DirectCall
from ..optimizers.dispatch import step_addresses
from ..race.state import Box, NoRunState, StartValues
from .catalogue import Surface, get_surface
from .functions import evaluate_surface, surface_grid, surface_hessians
from .race_kernel import advance_surface

# How far outside the plotting domain a run may wander before it counts as diverged,
# in domain widths on each side: generous, so overshooting is shown, not cut short.
DIVERGENCE_MARGIN = 10.0
# A run has "reached" a minimum within this fraction of the domain's diagonal.
REACHED_FRACTION = 1e-3

_advance_surface = DirectCall(advance_surface)


def surface_box(domain, minima: np.ndarray) -> Box:
    """The divergence box and tolerance of a surface plotted over ``domain``."""
    xmin, xmax, ymin, ymax = domain
    w, h = xmax - xmin, ymax - ymin
    return Box(lo=np.array([xmin - DIVERGENCE_MARGIN * w, ymin - DIVERGENCE_MARGIN * h]),
               hi=np.array([xmax + DIVERGENCE_MARGIN * w, ymax + DIVERGENCE_MARGIN * h]),
               minima=np.ascontiguousarray(minima, dtype=float).reshape(-1, 2),
               tol=REACHED_FRACTION * float(np.hypot(w, h)))


class SurfaceProblem:
    """A 2-D loss surface from :data:`engine.SURFACES`: f and ∇f compiled, no per-run state."""

    n_params = 2
    option_names = ("batch_size",)  # accepted for symmetry with datasets, and ignored
    reports_test_loss = False

    def __init__(self, surface: Surface | str):
        self.surface = get_surface(surface) if isinstance(surface, str) else surface
        minima = np.array([[m.x, m.y] for m in self.surface.minima], dtype=float).reshape(-1, 2)
        self.box = surface_box(self.surface.domain, minima)
        self.minima = self.box.minima
        self.minima_values = np.array([m.f for m in self.surface.minima], dtype=float)

    @property
    def key(self) -> str:
        return self.surface.key

    @property
    def name(self) -> str:
        return self.surface.name

    @property
    def domain(self) -> tuple[float, float, float, float]:
        return self.surface.domain

    @property
    def default_start(self) -> np.ndarray:
        return np.array(self.surface.start, dtype=float)

    @property
    def f_min(self) -> float:
        return float(self.minima_values.min()) if self.minima_values.size else math.nan

    # ------------------------------------------------------------------ the maths
    def evaluate(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Loss, gradient and gradient norm at each row of ``theta`` (k × 2)."""
        theta = np.ascontiguousarray(theta, dtype=float).reshape(-1, 2)
        loss, gnorm = np.empty(len(theta)), np.empty(len(theta))
        grad = np.empty_like(theta)
        evaluate_surface(self.surface.id, theta, loss, grad, gnorm)
        return loss, grad, gnorm

    def hessian(self, theta) -> np.ndarray:
        """The exact Hessian at θ (2 × 2), or at each row of ``theta`` (k × 2 → k × 2 × 2)."""
        arr = np.asarray(theta, dtype=float)
        rows = np.ascontiguousarray(arr.reshape(-1, 2))
        out = np.empty((len(rows), 2, 2))
        surface_hessians(self.surface.id, rows, out)
        return out[0] if arr.ndim == 1 else out.reshape(*arr.shape[:-1], 2, 2)

    def run_hessian(self, theta, state, row) -> np.ndarray:
        """The Hessian a run's next Newton step uses: the exact one at θ."""
        return self.hessian(np.asarray(theta, dtype=float))

    def loss_grid(self, xs, ys) -> np.ndarray:
        """``Z[j, i] = f(xs[i], ys[j])``."""
        return surface_grid(self.surface.id, np.ascontiguousarray(xs, dtype=float),
                            np.ascontiguousarray(ys, dtype=float))

    # -------------------------------------------------------------- for the race
    def run_options(self, batch_size=None) -> dict:
        return {"batch_size": validated_batch_size(batch_size)}

    def new_run_state(self, n_runs: int) -> NoRunState:
        return NoRunState()

    def init_run(self, state, row, options, race_seed, uid) -> None:
        pass

    def start_values(self, theta, state, row) -> StartValues:
        loss, grad, gnorm = self.evaluate(theta[None, :])
        return StartValues(float(loss[0]), grad[0], float(gnorm[0]), math.nan, True)

    def advance(self, runs, hist, state, n: int) -> None:
        _advance_surface(*self.advance_args(runs, hist, n, step_addresses(runs.opt_id)))

    def advance_args(self, runs, hist, n: int, steps_at: tuple[int, int]) -> tuple:
        """The race kernel's arguments (engine.compile.precompile compiles it for their types)."""
        return (steps_at, self.surface.id, n, runs, hist, self.box, np.empty(self.n_params),
                np.empty(self.n_params))

    def __repr__(self) -> str:
        return f"SurfaceProblem({self.key!r})"
