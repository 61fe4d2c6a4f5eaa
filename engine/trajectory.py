"""``trajectory``: the path of one optimizer from one start, as a plain array."""

from __future__ import annotations

import numpy as np

from .quoted import quoted
from .race.race import Race


def trajectory(problem, optimizer: str, start=None, steps: int = 100, batch_size: int | None = None,
               *, noise: float = 0.0, seed: int = 0, **hyper) -> np.ndarray:
    """Run ``optimizer`` on ``problem`` for ``steps`` steps and return every point visited.

    Returns a float64 array of shape ``(steps + 1, P)``; row 0 is the start. If the run
    diverges at step t, rows t, t+1, … are NaN. Hyperparameters take ``torch.optim``'s
    names and defaults (``beta1, beta2`` in place of ``betas``)::

        engine.trajectory("rosenbrock", "adam", start=(-1.5, 2.0), steps=500, lr=0.01)

    On a dataset problem ``batch_size`` picks GD (None: the whole training set),
    mini-batch GD (B) or SGD (1); surfaces ignore it. An lr schedule (``schedule="cosine",
    T_max=100``; :mod:`engine.race.schedules`) is stepped after every step, as torch's are.
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"Invalid steps value: steps={quoted(steps)} (allowed: an int >= 0)")
    steps = int(steps)
    race = Race(problem, noise=noise, seed=seed, history=max(2, steps + 1))
    race.add_run(optimizer, start, batch_size=batch_size, **hyper)
    race.advance(steps)
    # The history holds every step (its capacity is steps + 1, so it is never thinned):
    # its path is the answer, handed over without a copy; rows past a divergence are NaN.
    out = race.hist.path[0, : steps + 1]
    out[int(race.hist.count[0]):] = np.nan
    return out
