"""Which compiled kernels the window may use without compiling on the GUI thread.

A first launch compiles the kernels in child processes (engine.compile.precompile); the
race worker loads each group as it is done and marks it here. Everything else asks here:
whether a scene can load, whether fields can be drawn, whether the race can run.

While no worker is compiling (before it starts, after it ends, or without one: tests and
``--snapshot``) everything counts as ready: whoever needs a kernel then compiles it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from descentlab.engine.compile.precompile import KIND_GROUPS, OPTIMIZER_GROUPS, QUASI_NEWTON
from descentlab.engine.optimizers import OPTIMIZERS
from descentlab.engine.problems.registry import kind_of

SURFACES = "surfaces"  # building a race and drawing fields: scenes can load
RACE = "race"  # the stepping kernel: the race can run
# What problem kinds add (formulas, datasets…) and what some optimizers need (L-BFGS),
# loaded as they come.
LATER_GROUPS = tuple(KIND_GROUPS) + tuple(OPTIMIZER_GROUPS)


def groups_for_scene(scene) -> frozenset[str]:
    """The compile groups a scene needs before it can be built and raced: its problem kind's
    (engine.problems.registry), and L-BFGS's if one of its runs uses it. A kind's config (a
    FormulaConfig…) answers too."""
    groups = set(kind_of(scene).groups)
    if any(getattr(OPTIMIZERS.get(run.optimizer), "evaluates", False) for run in getattr(scene, "runs", ())):
        groups.add(QUASI_NEWTON)
    return frozenset(groups)


class Readiness(QObject):
    """The compile groups loaded so far. Marked by the worker's thread; read anywhere."""

    group_ready = Signal(str)  # a group was loaded (queued to the GUI thread)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._loaded: set[str] = set()
        self._compiling = False

    def begin(self) -> None:
        """A worker starts loading the groups: until each is marked, it is not ready."""
        self._compiling = True

    def end(self) -> None:
        """The worker has ended: whatever it did not load is compiled where it is used."""
        self._compiling = False

    def mark(self, group: str) -> None:
        self._loaded.add(group)
        self.group_ready.emit(group)

    def has(self, group: str) -> bool:
        return not self._compiling or group in self._loaded

    def loaded(self, group: str) -> bool:
        """Whether the worker has loaded ``group`` (compiling or not)."""
        return group in self._loaded

    def scene_ready(self, scene) -> bool:
        """Whether ``scene``'s problem can be built and raced without compiling here."""
        return all(self.has(g) for g in groups_for_scene(scene))

    @property
    def fields_ready(self) -> bool:
        """Fields (and reliefs) can be drawn."""
        return self.has(SURFACES)

    def config_ready(self, config) -> bool:
        """Whether a kind's config (a FormulaConfig, a DataConfig) can be built here."""
        return all(self.has(g) for g in groups_for_scene(config))

    @property
    def race_ready(self) -> bool:
        """The race can run."""
        return self.has(RACE)
