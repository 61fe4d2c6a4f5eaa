"""The bundles the compiled kernels take: a race's per-run state, its history, a problem's box.

Each bundle is a ``NamedTuple`` of arrays whose first axis is the run, so a kernel reads
``runs.theta[r]`` by name — two arrays of one dtype can never be swapped by position.
:func:`run_state` and :func:`history` make a bundle's rows, and the race grows and shrinks
every bundle with the same two row operations (:func:`grown`, :func:`with_rows`). Numba
passes named tuples of arrays to compiled functions as they are; nothing here imports Numba.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

RUNNING = 0
DIVERGED = 1
SCHEDULE_PARAMS = 4  # = engine.race.schedules.N_PARAMS


class RunState(NamedTuple):
    """Every run's current state, one row per run (what the optimizer and the race need)."""

    opt_id: np.ndarray  # (n,) int64: the optimizer's id (``OptimizerSpec.id``)
    hyper: np.ndarray  # (n, MAX_HYPER): hyperparameters in spec order
    theta: np.ndarray  # (n, P): the current point
    vec: np.ndarray  # (n, STATE_VECTORS, P): the optimizer's buffers (m, v, …)
    sc: np.ndarray  # (n, STATE_SCALARS): the optimizer's scalars
    t: np.ndarray  # (n,) int64: steps taken
    grad: np.ndarray  # (n, P): the gradient the next step will use
    loss: np.ndarray  # (n,): the latest (evaluated) training loss
    gnorm: np.ndarray  # (n,): |grad|
    test_loss: np.ndarray  # (n,): the latest held-out loss (NaN without a test split)
    status: np.ndarray  # (n,) int64: RUNNING or DIVERGED
    noise: np.ndarray  # (n,): σ of the Gaussian noise added to each gradient
    rng: np.ndarray  # (n,) uint64: the run's noise stream (SplitMix64 state)
    reached_at: np.ndarray  # (n,) int64: first step within tolerance of a minimum, or −1
    reached_which: np.ndarray  # (n,) int64: which minimum, or −1
    diverged_at: np.ndarray  # (n,) int64: the step it diverged at, or −1
    prev_theta: np.ndarray  # (n, P): θ before the last step (engine.maps.explain: update = θ − this)
    step_grad: np.ndarray  # (n, P): the gradient the last step used (noise in, weight decay not)
    sched: np.ndarray  # (n,) int64: the lr schedule's id (engine.race.schedules; 0 = constant)
    sched_p: np.ndarray  # (n, schedules.N_PARAMS): its parameters
    base_lr: np.ndarray  # (n,): the lr the schedule scales (hyper[r, 0] holds the current lr)
    hess: np.ndarray  # (n, Q, Q): the exact Hessian at θ for runs whose optimizer needs one
    #                   (Newton); Q = P where the problem offers Hessians, else 0
    evals: np.ndarray  # (n,) int64: function evaluations so far (1 a step; L-BFGS: torch's func_evals)
    reached_evals: np.ndarray  # (n,) int64: the evaluations it had used when it reached a minimum
    lbfgs: np.ndarray  # (n, W): the state of a rule that evaluates the problem itself (L-BFGS,
    #                    engine.optimizers.lbfgs); W = 0 in a race without one


class History(NamedTuple):
    """Recorded rows per run: a head of every step, then a thinned tail (see
    ``engine.race.steps.record`` and :func:`row_steps`)."""

    path: np.ndarray  # (n, H, P)
    loss: np.ndarray  # (n, H)
    gnorm: np.ndarray  # (n, H)
    test: np.ndarray  # (n, H): held-out loss, NaN where not evaluated
    count: np.ndarray  # (n,) int64: rows in use
    stride: np.ndarray  # (n,) int64: a power of two
    evals: np.ndarray  # (n, H) int64: function evaluations up to the row's step


class Box(NamedTuple):
    """Where a problem's runs may go and what counts as reaching a minimum."""

    lo: np.ndarray  # (P,): below this a run has diverged
    hi: np.ndarray  # (P,)
    minima: np.ndarray  # (k, P): known minima
    tol: float  # within this Euclidean distance a minimum is reached


class StartValues(NamedTuple):
    """What a run needs at step 0, from a problem's ``start_values``."""

    loss: float  # the training loss at the start
    grad: np.ndarray  # (P,): the gradient the first step will use
    gnorm: float  # its Euclidean norm
    test_loss: float  # held-out loss (NaN without a test split)
    can_reach: bool  # whether reaching the problem's known minima counts for this run


class NoRunState(NamedTuple):
    """The per-run state of a problem that needs none (a surface)."""


HEAD_MAX = 1024  # the first steps a long race keeps exactly (with the default history)


def head_rows(capacity: int) -> int:
    """How many of a history's first rows hold every step (0, 1, …, head − 1), never thinned:
    the largest power of two ≤ capacity / 16, at most :data:`HEAD_MAX`. The default history
    (16,384 rows) keeps the first 1,024 steps exactly; a history of fewer than 1,024 rows
    (a head under 64) keeps only its start (row 0) as its head and thins all the rest."""
    h = 1
    while h * 2 <= capacity // 16 and h * 2 <= HEAD_MAX:
        h *= 2
    return h if h >= 64 else 1


_ROW_STEPS: dict[tuple[int, int], np.ndarray] = {}  # (stride, head) → the steps of its rows


def row_steps(count: int, stride: int, head: int) -> np.ndarray:
    """The step of each of ``count`` history rows: row k < head holds step k; the tail rows
    hold the multiples of ``stride`` from max(head, stride) on, one per row. (Read-only: the
    start of one array per (stride, head), worked out once, not on every frame's snapshot.)"""
    key = (int(stride), int(head))
    steps = _ROW_STEPS.get(key)
    if steps is None or len(steps) < count:
        n = 1 << max(8, int(count - 1).bit_length())  # room to grow: a power of two ≥ count
        k = np.arange(n, dtype=np.int64)
        first = max(head, stride)
        steps = np.where(k < head, k, first + (k - head) * stride)
        steps.flags.writeable = False
        if len(_ROW_STEPS) >= 32:
            _ROW_STEPS.clear()
        _ROW_STEPS[key] = steps
    return steps[:count]


def rows_through(count: int, stride: int, head: int, step: int) -> int:
    """How many of ``count`` history rows hold steps ≤ ``step`` (≥ 0)."""
    if step < head:
        return min(step + 1, count)
    first = max(head, stride)
    tail = (step - first) // stride + 1 if step >= first else 0
    return min(head + tail, count)


def run_state(n: int, n_params: int, n_hyper: int, n_vectors: int, n_scalars: int,
              n_hess: int = 0, n_lbfgs: int = 0) -> RunState:
    P = n_params
    return RunState(
        opt_id=np.zeros(n, np.int64), hyper=np.zeros((n, n_hyper)), theta=np.zeros((n, P)),
        vec=np.zeros((n, n_vectors, P)), sc=np.zeros((n, n_scalars)), t=np.zeros(n, np.int64),
        grad=np.zeros((n, P)), loss=np.zeros(n), gnorm=np.zeros(n), test_loss=np.full(n, np.nan),
        status=np.zeros(n, np.int64), noise=np.zeros(n), rng=np.zeros(n, np.uint64),
        reached_at=np.full(n, -1, np.int64), reached_which=np.full(n, -1, np.int64),
        diverged_at=np.full(n, -1, np.int64),
        prev_theta=np.zeros((n, P)), step_grad=np.full((n, P), np.nan), sched=np.zeros(n, np.int64),
        sched_p=np.zeros((n, SCHEDULE_PARAMS)), base_lr=np.zeros(n),
        hess=np.zeros((n, n_hess, n_hess)), evals=np.zeros(n, np.int64),
        reached_evals=np.zeros(n, np.int64), lbfgs=np.zeros((n, n_lbfgs)))


def history(n: int, rows: int, n_params: int) -> History:
    return History(path=np.zeros((n, rows, n_params)), loss=np.zeros((n, rows)),
                   gnorm=np.zeros((n, rows)), test=np.full((n, rows), np.nan),
                   count=np.zeros(n, np.int64), stride=np.ones(n, np.int64),
                   evals=np.zeros((n, rows), np.int64))


def with_rows(bundle, keep) -> NamedTuple:
    """A new bundle of the same kind holding rows ``keep`` of ``bundle`` (copies)."""
    keep = np.asarray(keep, dtype=np.int64)
    return type(bundle)(*(np.ascontiguousarray(a[keep]) for a in bundle))


def grown(bundle, fresh) -> NamedTuple:
    """``bundle`` with the rows of ``fresh`` (a bundle of the same kind) appended."""
    if len(bundle) and len(bundle[0]) == 0:  # the first run: nothing to copy (a long history is MBs)
        return type(bundle)(*(np.ascontiguousarray(b) for b in fresh))
    return type(bundle)(*(np.ascontiguousarray(np.concatenate([a, b])) for a, b in
                          zip(bundle, fresh, strict=True)))
