"""The kinds of problem, and how a race turns what it is given into one of them.

One entry per kind: the class and what it accepts besides an instance of itself. A kind
registers itself in its own file with one line (``register_kind(DatasetProblem)``), so
nothing here imports the kinds that build on the race (a dataset problem runs a race to
find its map window). A new kind — say, typed formulas — is one file implementing
:mod:`.protocol`, ending with its ``register_kind`` line, and one import in
``engine/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..surface.catalogue import SURFACES, Surface, get_surface
from ..surface.problem import SurfaceProblem


def _surface(value):
    if isinstance(value, Surface):
        return SurfaceProblem(value)
    if isinstance(value, str):
        if value not in SURFACES:
            get_surface(value)  # raises the standard message
        return SurfaceProblem(value)
    return None


# (problem class, converter from other values: returns a problem or None)
PROBLEM_KINDS: list[tuple[type, Callable]] = [(SurfaceProblem, _surface)]


def register_kind(cls: type, convert: Callable | None = None) -> None:
    """Make ``cls`` a problem kind; ``convert(value)`` may build one from other values."""
    if all(c is not cls for c, _ in PROBLEM_KINDS):
        PROBLEM_KINDS.append((cls, convert or (lambda value: None)))


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
