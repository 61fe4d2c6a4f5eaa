"""How a race turns what it is given into a problem: an object implementing
:class:`~.protocol.Problem`, or a catalogue surface (its key, or the :class:`~engine.Surface`)."""

from __future__ import annotations

from ..quoted import quoted
from ..surface.catalogue import SURFACES, Surface, get_surface
from ..surface.problem import SurfaceProblem
from .protocol import Problem

# The protocol's methods, looked up on the class: an instance's attributes may be computed
# on first use (a dataset's minima), which a check must not trigger.
_METHODS = tuple(name for name, value in vars(Problem).items()
                 if callable(value) and not name.startswith("_"))


def is_problem(value) -> bool:
    """Whether ``value``'s class implements every method of :class:`~.protocol.Problem`."""
    return all(callable(getattr(type(value), name, None)) for name in _METHODS)


def as_problem(problem):
    """A problem for ``problem``: a problem object, or a surface key such as ``"rosenbrock"``
    or a :class:`~engine.Surface`; ValueError otherwise."""
    if isinstance(problem, Surface):
        return SurfaceProblem(problem)
    if isinstance(problem, str):
        if problem not in SURFACES:
            get_surface(problem)  # raises the standard message
        return SurfaceProblem(problem)
    if is_problem(problem):
        return problem
    raise ValueError(f"unknown problem {quoted(problem)}: give a surface key such as 'rosenbrock', "
                     f"or a problem object (implementing engine.problems.Problem)")
