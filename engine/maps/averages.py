"""The averaged point of ASGD (torch's state ``ax``) along a run's recorded path, for drawing.

ASGD's own path is SGD with a slowly shrinking step; from step t₀ + 2 on it also keeps
``ax``, the plain average of every θ since (μₜ = 1/(t − 1 − t₀), ``engine.optimizers.asgd``):
``ax_t = mean(θ_{t₀+2}, …, θ_t)``, and ``ax_t = θ_t`` before. The map draws it as a second,
hollow marker with its own faint path (``gui/map/average_layer.py``). Because it is a function
of the path alone, the timeline's past steps and clips get it from the path they cut.

While the history keeps every step (stride 1) this is torch's ``ax`` up to rounding (the
recurrence ``ax + μ(θ − ax)`` and the running mean differ in the last bits); a thinned
history (stride > 1) averages the points it kept since t₀ + 2, an estimate of the same mean.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["averaged_path"]


def averaged_path(optimizer: str, hyper: dict, path: np.ndarray, stride: int = 1) -> np.ndarray | None:
    """``ax`` at each row of ``path`` (rows at steps 0, stride, 2·stride, …), or None when the
    optimizer keeps no averaged point or the averaging has not begun by the last row."""
    if optimizer != "asgd":
        return None
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or len(path) == 0:
        raise ValueError(f"Invalid path: shape {path.shape} (allowed: (rows, parameters), rows ≥ 1)")
    stride = int(stride)
    if stride < 1:
        raise ValueError(f"Invalid stride: {stride} (allowed: ≥ 1)")
    t0 = float(hyper.get("t0", 1e6))
    first_step = t0 + 2.0  # μ = 1/(t − 1 − t₀) < 1 from here: the first step averaged with the next
    if not math.isfinite(first_step):
        return None
    first = max(1, math.ceil(first_step / stride))  # the first row averaged (row 0 is the start)
    if first >= len(path):
        return None
    ax = path.copy()
    tail = path[first:]
    ax[first:] = np.cumsum(tail, axis=0) / np.arange(1, len(tail) + 1)[:, None]
    return ax
