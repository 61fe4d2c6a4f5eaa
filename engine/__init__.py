"""Descent Lab's engine: optimizers, loss surfaces and a compiled lockstep race.

Numbers only — nothing here imports Qt, so it works from a notebook or a script::

    from descentlab import engine
    path = engine.trajectory("rosenbrock", "adam", start=(-1.5, 2.0), steps=500, lr=0.01)
    path.shape  # (501, 2)
"""

if __name__ != "descentlab.engine":
    # Under its folder's name (``import engine`` from the checkout) every module would load a
    # second time beside descentlab's: and Numba's cache keys a kernel by its file's path but
    # pickles its module's name, so kernels saved that way drag the second copy into every
    # later process that loads them.
    raise ImportError(f"import the engine as descentlab.engine, not {__name__}")

from .compile.cache import CACHE_DIR  # noqa: E402,F401  (first: sets Numba's cache folder)
from .data import DATASETS, LOSSES, MODELS, Dataset, DatasetProblem, Model, load_csv, make_dataset
from .formula import FormulaError
from .formula.problem import FormulaSurface
from .maps.planes import PathPlane, path_plane
from .maps.races import basin_map, hyper_map, lr_sweep, tune_lr, tune_race
from .optimizers import OPTIMIZERS, get_optimizer
from .problems import SurfaceProblem, as_problem
from .problems.hessian import hessian
from .race.race import Race, RunSnapshot, Snapshot
from .race.schedules import Schedule, as_schedule, schedule_lrs
from .spec import HyperSpec, OptimizerSpec
from .surface.catalogue import SURFACES, Surface, get_surface
from .trajectory import trajectory

__all__ = [
    "DATASETS",
    "LOSSES",
    "MODELS",
    "OPTIMIZERS",
    "SURFACES",
    "Dataset",
    "DatasetProblem",
    "FormulaError",
    "FormulaSurface",
    "HyperSpec",
    "Model",
    "OptimizerSpec",
    "PathPlane",
    "Race",
    "RunSnapshot",
    "Schedule",
    "Snapshot",
    "Surface",
    "SurfaceProblem",
    "as_problem",
    "as_schedule",
    "basin_map",
    "get_optimizer",
    "get_surface",
    "hessian",
    "hyper_map",
    "load_csv",
    "lr_sweep",
    "make_dataset",
    "path_plane",
    "schedule_lrs",
    "trajectory",
    "tune_lr",
    "tune_race",
]

from ._version import __version__  # noqa: E402,F401
