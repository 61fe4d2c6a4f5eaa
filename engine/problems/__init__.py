"""Problems a race can run on: one protocol (:mod:`.protocol`), what a race accepts as one
(:mod:`.convert`), and the kinds of problem (:mod:`.registry`, each declared by a
:class:`~.kind.ProblemKind`). A surface is the P = 2 case; datasets add bigger P."""

from ..race.state import StartValues
from ..surface.problem import DIVERGENCE_MARGIN, REACHED_FRACTION, SurfaceProblem
from .convert import as_problem, is_problem
from .protocol import Problem

__all__ = ["DIVERGENCE_MARGIN", "REACHED_FRACTION", "Problem", "StartValues", "SurfaceProblem", "as_problem",
           "is_problem"]
