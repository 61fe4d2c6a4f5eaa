"""The catalogue surfaces as a problem kind: ``[problem]`` with ``surface = "..."``, kept
in the Scene's own fields (a scene of another kind keeps its surface too)."""

from ..problems.kind import ProblemKind
from .catalogue import get_surface

SURFACE = ProblemKind(name="surface", groups=("surfaces",), scene_key="surface",
                      precheck=lambda scene: get_surface(scene.surface))
