"""Problems a race can run on: one protocol (:mod:`.protocol`), one file per kind, one
registry (:mod:`.registry`). A surface is the P = 2 case; datasets add bigger P."""

from ..race.state import StartValues
from ..surface.problem import DIVERGENCE_MARGIN, REACHED_FRACTION, SurfaceProblem
from .protocol import Problem
from .registry import PROBLEM_KINDS, as_problem, register_kind

__all__ = ["DIVERGENCE_MARGIN", "PROBLEM_KINDS", "REACHED_FRACTION", "Problem", "StartValues",
           "SurfaceProblem", "as_problem", "register_kind"]
