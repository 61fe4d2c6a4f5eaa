"""The kinds of problem: one line each, in the problem panel's order.

A new kind is its own module(s) — a class implementing :mod:`.protocol`, a scene config
with its reading and writing, its precompile parts, and a :class:`~.kind.ProblemKind`
declaring them — plus its line here and its page in the window (gui/panels/problem).
Scenes (engine.files.scene), the compile cache's groups (engine.compile.precompile) and
the window ask this list what a kind needs; none of them names a kind.
"""

from __future__ import annotations

from ..data.kind import DATASET
from ..formula.kind import FORMULA
from ..quoted import quoted
from ..surface.kind import SURFACE
from .kind import ProblemKind

KINDS: tuple[ProblemKind, ...] = (SURFACE, FORMULA, DATASET)

# The kind a scene is when it names no other: the one keeping its problem in the Scene's own fields.
DEFAULT_KIND = next(k for k in KINDS if k.config_attr is None)


def kind_named(name: str) -> ProblemKind:
    for kind in KINDS:
        if kind.name == name:
            return kind
    raise ValueError(f"unknown problem kind {quoted(name)}; one of: {', '.join(k.name for k in KINDS)}")


def kind_of(value) -> ProblemKind:
    """The kind of a scene (engine.files.scene.Scene), of a kind's config (a FormulaConfig,
    a DataConfig) or of a surface key: its ``.name``, and its ``.groups``, the precompile
    groups it needs before its problem can be built and raced without compiling."""
    for kind in KINDS:
        if kind.config_class is not None and isinstance(value, kind.config_class):
            return kind
    for kind in KINDS:  # a scene: the kind whose config it holds
        if kind.config_attr is not None and getattr(value, kind.config_attr, None) is not None:
            return kind
    return DEFAULT_KIND
