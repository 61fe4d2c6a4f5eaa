"""A race's snapshot as it was at an earlier step, cut from the history it already holds.

Cheap (slicing, no stepping): what the timeline slider shows while it is dragged. A run
keeps a history row for each of its first steps (its head) and then every ``stride`` of its
own steps, so the moment of run r at race step k is its last row at or before its own step
k − born; the recorded steps of the race are
the multiples of the coarsest stride (:func:`timeline_unit`). The exact state at any step —
the optimizer's buffers, what ``Race.explain`` reports — comes from a replay
(:mod:`engine.race.replay`).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .race import RunSnapshot, Snapshot


def timeline_unit(snap: Snapshot) -> int:
    """The step between two recorded steps of the race: the coarsest history stride."""
    return max((run.stride for run in snap.runs), default=1)


def recorded_step(snap: Snapshot, index: int) -> int:
    """The race step of timeline position ``index`` (0 … :func:`timeline_positions` − 1)."""
    return min(int(index) * timeline_unit(snap), snap.step)


def timeline_positions(snap: Snapshot) -> int:
    """How many positions the timeline has: every recorded step, and the last step."""
    unit = timeline_unit(snap)
    return snap.step // unit + 1 + (1 if snap.step % unit else 0)


def position_of(snap: Snapshot, step: int) -> int:
    """The timeline position at or before race step ``step`` (the last one for the end)."""
    if step >= snap.step:
        return timeline_positions(snap) - 1
    return max(0, int(step)) // timeline_unit(snap)


def moment(snap: Snapshot, step: int) -> Snapshot:
    """``snap`` as it was at race step ``step`` (0 ≤ step ≤ snap.step): each run's history cut
    after its last row at or before that step, its marker, loss and standing from that row (a
    seed fan's band, faint paths and per-repeat losses too: ``FanSnapshot.at``).
    A run whose life began after ``step`` is shown at its start."""
    step = int(step)
    if step >= snap.step:
        return snap
    return Snapshot(step=step, runs=[_run_at(run, step) for run in snap.runs])


def _run_at(run: RunSnapshot, step: int) -> RunSnapshot:
    own = max(0, step - run.born)  # its own step then (0: its life had not begun)
    if own >= run.step:  # it had stopped (diverged) or was where it is now
        return run
    rows = max(1, run.rows_through(own))
    last = rows - 1
    last_step = int(run.steps[last]) if last else 0
    tests = run.test_losses[:rows] if run.test_losses is not None else None
    test_loss = run.test_loss
    if tests is not None:
        seen = np.flatnonzero(np.isfinite(tests))
        test_loss = float(tests[seen[-1]]) if seen.size else float("nan")
    losses = run.losses[:rows]
    finite = np.flatnonzero(np.isfinite(losses))  # dataset runs evaluate every few steps only
    reached = run.reached_at is not None and run.reached_at <= last_step
    return dataclasses.replace(
        run,
        step=last_step,
        position=run.path[last].copy(),
        loss=float(losses[finite[-1]]) if finite.size else float("nan"),
        grad_norm=float(run.grad_norms[last]),
        diverged_at=None,
        reached_at=run.reached_at if reached else None,
        reached_minimum=run.reached_minimum if reached else None,
        path=run.path[:rows],
        losses=losses,
        grad_norms=run.grad_norms[:rows],
        test_loss=test_loss,
        test_losses=tests,
        fan=run.fan.at(rows, last_step) if run.fan is not None else None,  # a seed fan's band, paths
        evaluations=int(run.eval_counts[last]) if run.eval_counts is not None else run.evaluations,
        eval_counts=run.eval_counts[:rows] if run.eval_counts is not None else None,
        reached_evals=run.reached_evals if reached else None,
        probes=None,  # the probes are of the live step
    )
