"""The kinds of problem, and how a race turns what it is given into one of them.

One entry per kind: the class and what it accepts besides an instance of itself. A new
kind (say, typed formulas) is one file implementing :mod:`.protocol` and one line here.
"""

from __future__ import annotations

from ..data.problem import DatasetProblem
from ..surfaces import SURFACES, Surface, get_surface
from .surface import SurfaceProblem


def _surface_key(value):
    if isinstance(value, str):
        if value not in SURFACES:
            get_surface(value)  # raises the standard message
        return SurfaceProblem(value)
    return None


# (problem class, converter from other values: returns a problem or None)
PROBLEM_KINDS = (
    (SurfaceProblem, lambda v: SurfaceProblem(v) if isinstance(v, Surface) else _surface_key(v)),
    (DatasetProblem, lambda v: None),
)


def as_problem(problem):
    """A problem for ``problem``: an instance of a registered kind, or what one accepts
    (a surface key such as ``"rosenbrock"``, a :class:`~engine.Surface`); ValueError otherwise."""
    if isinstance(problem, tuple(cls for cls, _ in PROBLEM_KINDS)):
        return problem
    for _, convert in PROBLEM_KINDS:
        made = convert(problem)
        if made is not None:
            return made
    raise ValueError(f"unknown problem {problem!r}: give a surface key such as 'rosenbrock', "
                     f"or a problem object ({', '.join(c.__name__ for c, _ in PROBLEM_KINDS)})")
