"""Learning-rate schedules with ``torch.optim.lr_scheduler``'s semantics and argument names.

A schedule is stepped once after every optimizer step, as in torch::

    for t in range(steps):
        optimizer.step()      # uses the lr of scheduler epoch t
        scheduler.step()

so optimizer step t (1-based) uses the lr of epoch t − 1. The kinds:

=================  =====================================================================
``constant``        no schedule: the run's lr throughout (costs nothing per step)
``step``            ``StepLR(step_size, gamma=0.1)``
``exponential``     ``ExponentialLR(gamma)``
``cosine``          ``CosineAnnealingLR(T_max, eta_min=0)``: periodic past ``T_max``
``linear``          ``LinearLR(start_factor=1/3, end_factor=1, total_iters=5)``: warm-up
``warmup_cosine``   ``SequentialLR([LinearLR(start_factor, 1.0, warmup_steps),
                    CosineAnnealingLR(T_max, eta_min)], milestones=[warmup_steps])``
=================  =====================================================================

torch computes these *recursively* (each ``get_lr`` scales the optimizer's current lr;
the closed forms are used only when an epoch is passed to ``step``, and by ``SequentialLR``
at a milestone). :func:`next_lr` reproduces that recursion operation for operation, so the
lrs equal torch's bit for bit, including cosine's special branch one step past each trough
(``(epoch − 1 − T_max) % (2·T_max) == 0``), which makes it periodic with period 2·T_max.

In the race the schedule lives in three per-run columns of ``RunState`` (``sched``: the id,
``sched_p``: up to four parameters, ``base_lr``) and :func:`next_lr` runs inside
``kernels.step_run`` before the optimizer step writes ``hyper[r, 0]`` — lr is hyperparameter
0 of every optimizer. A constant schedule is one untaken branch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from ..quoted import quoted
from ..translatable import QT_TRANSLATE_NOOP
from .state import SCHEDULE_PARAMS

# id, parameters in slot order, defaults (None: torch requires it; a default is offered here)
KINDS: dict[str, tuple[int, tuple[str, ...]]] = {
    "constant": (0, ()),
    "step": (1, ("step_size", "gamma")),
    "exponential": (2, ("gamma",)),
    "cosine": (3, ("T_max", "eta_min")),
    "linear": (4, ("start_factor", "end_factor", "total_iters")),
    "warmup_cosine": (5, ("warmup_steps", "start_factor", "T_max", "eta_min")),
}
DEFAULTS: dict[str, dict[str, float]] = {
    "constant": {},
    "step": {"step_size": 100, "gamma": 0.1},
    "exponential": {"gamma": 0.99},
    "cosine": {"T_max": 100, "eta_min": 0.0},
    "linear": {"start_factor": 1.0 / 3.0, "end_factor": 1.0, "total_iters": 5},
    "warmup_cosine": {"warmup_steps": 10, "start_factor": 0.1, "T_max": 100, "eta_min": 0.0},
}
NAMES = {"constant": QT_TRANSLATE_NOOP("Schedule", "constant"), "step": "StepLR",
         "exponential": "ExponentialLR", "cosine": "CosineAnnealingLR",
         "linear": QT_TRANSLATE_NOOP("Schedule", "LinearLR (warm-up)"),
         "warmup_cosine": QT_TRANSLATE_NOOP("Schedule", "warm-up + cosine")}
INT_PARAMS = ("step_size", "T_max", "total_iters", "warmup_steps")
PARAM_NAMES = frozenset(p for _, names in KINDS.values() for p in names)
N_PARAMS = SCHEDULE_PARAMS  # columns of RunState.sched_p


def _check_param(name: str, value) -> float:
    if name in INT_PARAMS:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer, float)) or \
                float(value) != int(value) or value < 1:
            raise ValueError(f"Invalid {name} value: {name}={quoted(value)} (allowed: an int >= 1)")
        return int(value)
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid {name} value: {name}={quoted(value)} (allowed: a number)") from None
    if isinstance(value, bool) or not math.isfinite(v):
        raise ValueError(f"Invalid {name} value: {name}={quoted(value)} (allowed: a finite number)")
    if name == "gamma" and not v > 0:
        raise ValueError(f"Invalid gamma value: gamma={quoted(value)} (allowed: (0, inf))")
    if name == "eta_min" and v < 0:
        raise ValueError(f"Invalid eta_min value: eta_min={quoted(value)} (allowed: [0, inf))")
    if name == "start_factor" and not 0 < v <= 1:  # torch's own check
        raise ValueError(f"Invalid start_factor value: start_factor={quoted(value)} (allowed: (0, 1])")
    if name == "end_factor" and not 0 <= v <= 1:
        raise ValueError(f"Invalid end_factor value: end_factor={quoted(value)} (allowed: [0, 1])")
    return v


@dataclass(frozen=True)
class Schedule:
    """A validated schedule: its kind and its parameters (torch's names)."""

    name: str = "constant"
    params: dict = field(default_factory=dict)

    @property
    def id(self) -> int:
        return KINDS[self.name][0]

    @property
    def is_constant(self) -> bool:
        return self.name == "constant"

    def vector(self) -> np.ndarray:
        out = np.zeros(N_PARAMS)
        for i, p in enumerate(KINDS[self.name][1]):
            out[i] = float(self.params[p])
        return out

    def to_dict(self) -> dict:
        """``{"name": "cosine", "T_max": 100, "eta_min": 0.0}``: what a scene stores."""
        return {"name": self.name, **self.params}

    def describe(self) -> str:
        if self.is_constant:
            return QT_TRANSLATE_NOOP("Schedule", "constant lr")
        args = ", ".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"{self.name}({args})"


CONSTANT = Schedule()


def as_schedule(schedule=None, **params) -> Schedule:
    """A :class:`Schedule` from None, a kind name, a dict with ``name`` or a Schedule, with
    ``params`` overriding; unknown kinds or parameters raise ``ValueError`` naming them."""
    if isinstance(schedule, Schedule):
        name, given = schedule.name, dict(schedule.params)
    elif schedule is None:
        name, given = ("constant" if not params else None), {}
    elif isinstance(schedule, str):
        name, given = schedule, {}
    elif isinstance(schedule, dict):
        given = dict(schedule)
        name = given.pop("name", None)
    else:
        raise ValueError(f"Invalid schedule value: schedule={quoted(schedule)} "
                         "(allowed: a name, a dict with 'name', or a Schedule)")
    given.update(params)
    if name is None:
        raise ValueError(f"schedule parameters {sorted(given)} given without a schedule name")
    if name not in KINDS:
        raise ValueError(f"unknown schedule {quoted(name)}; choose one of: {', '.join(KINDS)}")
    allowed = KINDS[name][1]
    unknown = [k for k in given if k not in allowed]
    if unknown:
        raise ValueError(f"schedule {quoted(name)} has no parameter {quoted(unknown[0])}; "
                         f"it takes: {', '.join(allowed) or 'none'}")
    values = {**DEFAULTS[name], **given}
    return Schedule(name, {k: _check_param(k, values[k]) for k in allowed})


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _cosine(p_T, eta_min, base, lr, e):
    """CosineAnnealingLR.get_lr at epoch e ≥ 1 (recursive form), from the previous lr."""
    T = p_T
    d = e - 1 - np.int64(T)
    if d >= 0 and d % (2 * np.int64(T)) == 0:
        return lr + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2
    return ((1 + math.cos(math.pi * e / T)) / (1 + math.cos(math.pi * (e - 1) / T))
            * (lr - eta_min) + eta_min)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _linear(start, end, total, lr, e):
    """LinearLR.get_lr at epoch e (0: the start factor; past total_iters: unchanged)."""
    if e == 0:
        return lr * start
    if e > total:
        return lr
    return lr * (1.0 + (end - start) / (total * start + (e - 1) * (end - start)))


@njit(cache=True, nogil=True, error_model="numpy")
def next_lr(kind, p, base, lr, e):
    """The lr of epoch ``e`` given the lr of epoch e − 1 (``lr``; at e = 0 the base lr).

    ``p`` holds the kind's parameters in :data:`KINDS` order; every branch is the
    corresponding torch ``get_lr`` (or, at SequentialLR's milestone, the closed form).
    """
    if e == 0:
        lr = base
    if kind == 1:  # StepLR
        if e == 0 or e % np.int64(p[0]) != 0:
            return lr
        return lr * p[1]
    if kind == 2:  # ExponentialLR
        return lr if e == 0 else lr * p[0]
    if kind == 3:  # CosineAnnealingLR
        return lr if e == 0 else _cosine(p[0], p[1], base, lr, e)
    if kind == 4:  # LinearLR
        return _linear(p[0], p[1], p[2], lr, e)
    if kind == 5:  # SequentialLR(LinearLR(start_factor, 1, W), CosineAnnealingLR, [W])
        W = np.int64(p[0])
        if e < W:
            return _linear(p[1], 1.0, p[0], lr, e)
        eta_min = p[3]
        if e == W:  # the milestone: cosine._update_lr(0) uses its closed form at epoch 0
            return eta_min + (base - eta_min) * (1 + math.cos(math.pi * 0 / p[2])) / 2
        return _cosine(p[2], eta_min, base, lr, e - W)
    return lr


@njit(cache=True, nogil=True, error_model="numpy")
def _lrs(kind, p, base, out):
    lr = base
    for e in range(out.size):
        lr = next_lr(kind, p, base, lr, e)
        out[e] = lr


def schedule_lrs(schedule, lr: float, steps: int, **params) -> np.ndarray:
    """The lr each optimizer step 1…``steps`` uses under ``schedule`` from base ``lr``.

    ``engine.schedule_lrs("cosine", 0.1, 300, T_max=100)`` equals the ``group["lr"]`` a
    torch optimizer sees at each ``step()`` with ``CosineAnnealingLR(opt, T_max=100)``.
    """
    sched = as_schedule(schedule, **params)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"Invalid steps value: steps={quoted(steps)} (allowed: an int >= 0)")
    out = np.empty(int(steps))
    _lrs(sched.id, sched.vector(), float(lr), out)
    return out
