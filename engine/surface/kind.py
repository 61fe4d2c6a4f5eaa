"""The catalogue surfaces as a problem kind: ``[problem]`` with ``surface = "..."``, kept
in the Scene's own fields (a scene of another kind keeps its surface too)."""

from ..problems.kind import ProblemKind

SURFACE = ProblemKind(name="surface", groups=("surfaces",), scene_key="surface")
