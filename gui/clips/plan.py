"""What a clip is: the race from step ``first`` to step ``last`` at ``fps`` frames a second.

How many steps one frame advances: ``steps_per_frame`` if given, otherwise the scene's
speed ÷ fps — so a clip plays at the pace of the live race (a scene at 12 steps/s gives
0.4 steps a frame: each step is held for 2–3 frames; one at 600 steps/s gives 20). Frame
``k`` shows step ``first + round(k · steps_per_frame)``; the last frame is step ``last``.
No Qt here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from descentlab.engine.quoted import quoted

from ..support.i18n import fill, translate

MAX_FRAMES = 36_000  # 20 minutes at 30 fps
MAX_FPS = 120


@dataclass(frozen=True)
class ClipSpec:
    path: Path
    first: int = 0
    last: int = 300
    fps: float = 30.0
    size: tuple[int, int] = (1280, 800)
    presentation: bool = False
    steps_per_frame: float | None = None  # None: the scene's speed ÷ fps


def steps_per_frame(spec: ClipSpec, speed: float) -> float:
    if spec.steps_per_frame is not None:
        return float(spec.steps_per_frame)
    return float(speed) / spec.fps


def frame_steps(spec: ClipSpec, speed: float) -> np.ndarray:
    """The step each frame shows (int64, non-decreasing, from ``first`` to ``last``).

    Raises ValueError naming the value if the clip is not one that can be made.
    """
    check_spec(spec)
    per = steps_per_frame(spec, speed)
    if not (math.isfinite(per) and per > 0):
        raise ValueError(fill(translate("ClipSpec", "steps per frame must be a positive number, got %1"),
                              quoted(per)))
    span = spec.last - spec.first
    n = int(math.floor(span / per + 1e-9)) + 1
    if n > MAX_FRAMES or (n == MAX_FRAMES and span / per > n - 1 + 1e-9):
        raise ValueError(fill(translate("ClipSpec", "the clip would have %1 frames (at most %2): "
                                        "fewer steps, or more steps per frame than %3"),
                              f"{n:,}", f"{MAX_FRAMES:,}", f"{per:g}"))
    steps = spec.first + np.rint(np.arange(n) * per).astype(np.int64)
    if steps[-1] != spec.last:
        steps = np.append(steps, spec.last)
    return steps


def check_spec(spec: ClipSpec) -> None:
    if not (isinstance(spec.first, int) and spec.first >= 0):
        raise ValueError(fill(translate("ClipSpec", "the first step must be a whole number ≥ 0, got %1"),
                              quoted(spec.first)))
    if not (isinstance(spec.last, int) and spec.last > spec.first):
        raise ValueError(fill(translate("ClipSpec", "the last step must be after the first (%1), got %2"),
                              spec.first, quoted(spec.last)))
    if not (1 <= spec.fps <= MAX_FPS):
        raise ValueError(fill(translate("ClipSpec", "frame rate %1 out of range (1 to %2 frames per second)"),
                              quoted(spec.fps), MAX_FPS))
    if spec.steps_per_frame is not None and not (spec.steps_per_frame > 0):
        raise ValueError(fill(translate("ClipSpec", "steps per frame must be positive, got %1"),
                              quoted(spec.steps_per_frame)))


def describe(spec: ClipSpec, speed: float) -> str:
    """One line for a lecturer: frames, length, steps and pace."""
    steps = frame_steps(spec, speed)
    per = steps_per_frame(spec, speed)
    return fill(translate("ClipSpec", "%1 frames, %2 s at %3 fps: steps %4 to %5, %6 steps a frame "
                          "(%7 steps/s)"),
                f"{len(steps):,}", f"{len(steps) / spec.fps:.1f}", f"{spec.fps:g}", f"{spec.first:,}",
                f"{spec.last:,}", f"{per:.3g}", f"{per * spec.fps:,.4g}")
