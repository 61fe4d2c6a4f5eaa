"""What a kind of problem declares, so that scenes, the compile cache and the window can
handle it without naming it: one :class:`ProblemKind` per kind, listed in
:mod:`engine.problems.registry`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProblemKind:
    name: str  # "surface", "formula", "dataset": Scene.kind, the problem panel's page
    # The precompile groups (engine.compile.precompile.GROUPS) a scene of this kind needs
    # before it can be built and drawn without compiling on the GUI thread.
    groups: tuple[str, ...]
    # The precompile groups this kind adds: group → {part: function compiling it}.
    precompile: dict[str, dict[str, Callable[[], None]]] = field(default_factory=dict)
    # How a scene file holds it. ``scene_key`` in ``[problem]`` marks the kind; ``read``
    # checks that table (source, table, base_dir) → config, kept in the Scene field
    # ``config_attr``; ``write`` (config, base_dir) → the table back; ``check`` (source,
    # scene) reports what only building the problem finds. The kind without a config
    # (the surfaces) is the one a scene is when no other kind's key is given.
    scene_key: str = ""
    config_attr: str | None = None
    read: Callable | None = None
    write: Callable | None = None
    check: Callable | None = None
    config_class: type | None = None  # the type of the Scene field ``config_attr``
    # [problem] keys the Scene itself keeps (seed, start, the gradient noise) besides the config.
    shared_keys: frozenset[str] = frozenset({"seed", "start", "noise"})
    run_keys: frozenset[str] = frozenset()  # [[runs]] keys only this kind takes
    build: Callable | None = None  # scene → its problem; None: the scene's surface key
    # scene → None: what building it would check (raising ValueError), without compiling anything
    precheck: Callable | None = None
    # (scene, its built problem) → None: the runs' own options made to fit the new problem
    # (a loss the model cannot take, a batch larger than the data), when the problem changes
    fit_runs: Callable | None = None
    centre: Callable | None = None  # config → the start when the scene gives none; None: the surface's

    @property
    def has_noise(self) -> bool:
        """Its scenes take a gradient noise σ."""
        return "noise" in self.shared_keys
