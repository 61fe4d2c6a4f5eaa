"""Validation shared by the race and the problems: a bad value raises ValueError naming it."""

from __future__ import annotations

import math

import numpy as np

from .quoted import quoted


def validated_start(start, n_params: int) -> np.ndarray:
    try:
        arr = np.array(start, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid start: {quoted(start)} (allowed: {n_params} finite numbers)") from None
    if arr.size != n_params or not np.all(np.isfinite(arr)):
        raise ValueError(f"Invalid start: {quoted(start)} (allowed: {n_params} finite numbers)")
    return arr


def validated_batch_size(batch_size, n_train: int | None = None) -> int | None:
    """None (the full batch) or an int in [1, n_train] (any int >= 1 without n_train)."""
    if batch_size is None:
        return None
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1 or (n_train is not None and batch_size > n_train):
        allowed = f"an integer in [1, {n_train}]" if n_train is not None else "an integer >= 1"
        raise ValueError(f"Invalid batch_size: {quoted(batch_size)} (allowed: None for the full batch, "
                         f"or {allowed})")
    return int(batch_size)


def nonnegative(name: str, value) -> float:
    """A finite number >= 0 (noise σ, penalties)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if isinstance(value, bool) or not (math.isfinite(v) and v >= 0.0):
        raise ValueError(f"Invalid {name} value: {name}={quoted(value)} (allowed: a number in [0, inf))")
    return v


def integer(name: str, value, low: int, high: int | None = None, allowed: str | None = None) -> int:
    """An int in [low, high] (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low \
            or (high is not None and value > high):
        allowed = allowed or (f"an int >= {low}" if high is None else f"an int in [{low}, {high}]")
        raise ValueError(f"Invalid {name} value: {name}={quoted(value)} (allowed: {allowed})")
    return int(value)
