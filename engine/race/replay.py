"""The timeline: a race taken back to an earlier step by replaying it, bit for bit.

Everything a run does follows from how its life began (optimizer, hyperparameters, start,
problem options, schedule, noise σ, the race's seed) and the number of steps it has taken:
gradient noise and mini-batch shuffles come from per-run counter-based streams kept in its
state. So the race at step k is rebuilt by restarting every run and advancing it again with
the same compiled kernel — no state needs to be stored per step, and what comes out equals
what the race held then, float64 for float64, history rows included (the history's thinning
depends only on the step count, too).

What breaks a pure replay, and how each is handled:

- *A live hyperparameter edit* (``Race.set_hyper``, state kept) and *a noise change*
  (``Race.set_noise``) are noted in the run's ``Life`` (:mod:`engine.race.life`) with the run's age; the replay
  applies them after the same number of steps. Rewinding to step k keeps the edits made at
  or before k (the values the race left step k with) and forgets the later ones: the run's
  hyperparameters become those in effect at k.
- *Edits that restart a run* — moving its start, its batch size or loss, its schedule, a
  reset — begin a new life (age 0, no edits). A run added mid-race also begins at the race
  step it was added at (``RunSnapshot.born``). Rewound to a step before its life began, a
  run waits at its start (step 0) and begins its life again from there when the race goes on.
- *Removed runs* stay removed; *labels* keep their current text (they are not numbers).
- The race's step counter is the timeline's clock; a run's own step count stops when it
  diverges, its age does not.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..checks import integer
from .life import Edit, Life
from .state import RUNNING

HELD = 2  # the status of a row that has reached its step: the kernels step RUNNING rows only


def replayed(race, step: int, uids=None):
    """A new ``Race``: ``race`` as it was at race step ``step``, replayed from every run's start
    (only runs ``uids``, if given: a replay costs steps × runs).

    ``race`` itself is not touched (the two share the problem object: not thread-safe).
    """
    step = integer("step", step, 0, race.step, allowed=f"an int in [0, {race.step}] (steps the race has taken)")
    clone = type(race)(race.problem, noise=race.noise, seed=race.seed, history=race.history)
    clone._next_uid = race._next_uid
    clone.explain_uid = race.explain_uid
    noise_then = noise_at(race, step)
    infos, plan = [], []
    for info in race._runs:
        if uids is not None and info.uid not in uids:
            continue
        j = step - (race.step - info.age)  # its own clock at ``step``
        if j < 0:  # its life had not begun yet: it waits at its start
            j, hyper0, noise0, edits = 0, info.life.hyper0, noise_then, []
        else:
            hyper0, noise0, edits = info.life.hyper0, info.life.noise0, info.life.until(j)
        infos.append(dataclasses.replace(info, hyper=dict(hyper0), start=info.start.copy(),
                                         options=dict(info.options), age=0, life=Life()))
        plan.append((j, noise0, edits))
    n = len(infos)
    clone._runs = infos
    clone.runs = clone._new_runs(n)
    clone.hist = type(race.hist)(*(np.zeros_like(a) for a in race.hist))
    clone.own = race.problem.new_run_state(n)
    for r, (_, noise0, edits) in enumerate(plan):
        clone.noise = noise0
        clone._reset_rows([r])
        infos[r].life.edits = list(edits)
    _advance_rows(clone, [j for j, _, _ in plan], [list(e) for _, _, e in plan])
    for r, (j, _, _) in enumerate(plan):
        infos[r].age = j
        infos[r].hyper = infos[r].life.at(j)[0]
    clone.step = step
    clone.noise = noise_then
    return clone


def rewind(race, step: int) -> None:
    """Take ``race`` back to race step ``step`` in place (see :func:`replayed`)."""
    clone = replayed(race, step)
    race._runs, race.runs, race.hist, race.own = clone._runs, clone.runs, clone.hist, clone.own
    race.step, race.noise = clone.step, clone.noise


def noise_at(race, step: int) -> float:
    """The race's noise σ at race step ``step`` (from a run alive then; else the current σ)."""
    for info in race._runs:
        j = step - (race.step - info.age)
        if j >= 0:
            return info.life.at(j)[1]
    return race.noise


def _advance_rows(race, targets: list[int], pending: list[list[Edit]]) -> None:
    """Advance row r by ``targets[r]`` steps, applying its edits after as many steps as they
    were made after: all rows in lockstep, a row that is done held out of the kernel."""
    n = len(targets)
    clock = np.zeros(n, np.int64)
    target = np.asarray(targets, dtype=np.int64)
    status = race.runs.status
    while True:
        for r in range(n):
            while pending[r] and pending[r][0].age == clock[r]:
                _apply(race, r, pending[r].pop(0))
        active = clock < target
        if not active.any():
            return
        stops = [min(target[r], pending[r][0].age if pending[r] else target[r]) - clock[r]
                 for r in range(n) if active[r]]
        d = int(min(stops))
        held = np.flatnonzero(~active & (status == RUNNING))
        status[held] = HELD
        try:
            race.problem.advance(race.runs, race.hist, race.own, d)
        finally:
            status[held] = RUNNING
        clock[active] += d


def _apply(race, r: int, edit: Edit) -> None:
    if edit.kind == "hyper":
        race._apply_hyper(r, edit.value)
    else:
        race.runs.noise[r] = edit.value
