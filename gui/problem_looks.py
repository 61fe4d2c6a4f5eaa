"""What each type of problem shows: the one registry, keyed by the problem's Python type.

A problem type's entry says which map frame it gets, how its loss axis reads, whether the
data view is shown and what the leaderboard ranks by. The lookup walks the type's MRO,
so a subclass (a formula surface, say) finds its parent's entry unless it has its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from descentlab import engine

from .map.map_frames import FittedPlaneFrame, MapFrame, ParameterPlaneFrame, RandomPlaneFrame, SurfaceFrame
from .support.i18n import QT_TRANSLATE_NOOP, shown


@dataclass(frozen=True)
class LossAxis:
    key_text: str = ""  # which line is which, in the plot's corner (e.g. training vs test)
    test_curves: bool = False  # a dashed held-out loss beside each training curve
    epochs: bool = False  # the x axis can count epochs (View → Loss against epochs)

    @property
    def key(self) -> str:
        """The key in the current language."""
        return shown(self.key_text)


@dataclass(frozen=True)
class ProblemLook:
    map_frame: Callable[..., MapFrame]  # (problem, start, seed, plane=…) → the map's frame
    loss_axis: LossAxis = LossAxis()
    data_view: bool = False  # the data view (points and the selected run's fit) is shown
    classifier: Callable[[object], object | None] = lambda problem: None  # ranks by accuracy


# A big model's map plane (View → Map plane): fitted to the runs' paths (refitted as they
# race: gui.map.plane_fit), or a random slice through the start, plain or normalised per layer.
PLANES = ("fitted", "random", "filter")


def _dataset_map(problem, start=None, seed: int = 0, plane: str = "fitted") -> MapFrame:
    if problem.n_params == 2:
        return ParameterPlaneFrame(problem)
    origin = problem.default_start if start is None else np.asarray(start, dtype=float)
    if plane == "fitted":
        return FittedPlaneFrame(problem, origin, seed)  # a random slice until the runs move
    return RandomPlaneFrame(problem, origin, seed, normalised=plane == "filter")


LOOKS: dict[type, ProblemLook] = {
    engine.SurfaceProblem: ProblemLook(map_frame=lambda problem, start=None, seed=0, plane=None: SurfaceFrame(problem)),
    engine.DatasetProblem: ProblemLook(
        map_frame=_dataset_map,
        loss_axis=LossAxis(QT_TRANSLATE_NOOP("ProblemLooks", "training ——   test - - -"), test_curves=True,
                           epochs=True),
        data_view=True,
        classifier=lambda p: p if p.dataset.task == "classification" else None,
    ),
}


def look_for(problem) -> ProblemLook:
    for cls in type(problem).__mro__:
        look = LOOKS.get(cls)
        if look is not None:
            return look
    raise ValueError(f"no look registered for problems of type {type(problem).__name__}")
