"""Descent Lab's engine: optimizers, loss surfaces and a compiled lockstep race.

Numbers only — nothing here imports Qt, so it works from a notebook or a script::

    import engine
    path = engine.trajectory("rosenbrock", "adam", start=(-1.5, 2.0), steps=500, lr=0.01)
    path.shape  # (501, 2)
"""

from ._cache import CACHE_DIR  # noqa: F401  (first: sets Numba's cache folder)
from .optimizers import OPTIMIZERS, get_optimizer
from .problems import SurfaceProblem, as_problem
from .race import Race, RunSnapshot, Snapshot
from .spec import HyperSpec, OptimizerSpec
from .surfaces import SURFACES, Surface, get_surface
from .trajectory import trajectory

__all__ = [
    "OPTIMIZERS",
    "SURFACES",
    "HyperSpec",
    "OptimizerSpec",
    "Race",
    "RunSnapshot",
    "Snapshot",
    "Surface",
    "SurfaceProblem",
    "as_problem",
    "get_optimizer",
    "get_surface",
    "trajectory",
]

from ._version import __version__  # noqa: E402,F401
