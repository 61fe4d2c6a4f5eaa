"""What a problem is: the one interface :class:`engine.Race` and ``engine.trajectory`` use.

A problem owns its maths and its kernel; the race owns every run's state. The race never
asks what kind of problem it has, and a problem never writes into the race's arrays
outside its compiled kernel:

* the race keeps the common per-run state (:class:`engine.race.state.RunState`: θ, optimizer
  state, loss, status …) and the history (:class:`engine.race.state.History`);
* a problem may keep per-run state of its own (a dataset's batch size, sample cursor and
  per-run loss), as a ``NamedTuple`` of arrays with one row per run that it creates
  (:meth:`Problem.new_run_state`) and fills (:meth:`Problem.init_run`); the race stores it,
  resizes it with the other bundles, and hands it back to :meth:`Problem.advance`;
* at a (re)start the race asks :meth:`Problem.start_values` for the loss, the gradient of
  the first step and the held-out loss, and decides itself whether the start is in the
  box and on a minimum.

The implementations are the problem kinds' classes; :mod:`engine.problems.registry` lists
the kinds, and says what else a new one declares.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol, runtime_checkable

import numpy as np

from ..race.state import Box, History, RunState, StartValues


@runtime_checkable
class Problem(Protocol):
    key: str  # short identifier, e.g. "rosenbrock" or "moons/mlp/log"
    name: str  # for people
    n_params: int  # P
    default_start: np.ndarray  # (P,)
    minima: np.ndarray  # (k, P) known minima (k may be 0)
    minima_values: np.ndarray  # (k,) the loss at each
    f_min: float  # the lowest known minimum value (NaN if none)
    box: Box  # the divergence box and the reached tolerance
    option_names: tuple[str, ...]  # per-run options add_run passes on, e.g. "batch_size"
    reports_test_loss: bool  # snapshots carry a held-out loss curve

    def run_options(self, **options) -> dict:
        """Validate a run's options (all of ``option_names``; None = the default)."""

    def new_run_state(self, n_runs: int) -> NamedTuple:
        """The problem's own per-run arrays (one row per run), zeroed."""

    def init_run(self, state: NamedTuple, row: int, options: dict, race_seed: int,
                 uid: int) -> None:
        """Fill row ``row`` of the problem's own state for a run (re)starting at step 0."""

    def start_values(self, theta: np.ndarray, state: NamedTuple, row: int) -> StartValues:
        """Loss, first gradient and held-out loss of run ``row`` at ``theta`` (step 0)."""

    def evaluate(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Loss, gradient and gradient norm of the training objective at each row (k × P)."""

    def advance(self, runs: RunState, hist: History, state: NamedTuple, n: int) -> None:
        """Advance every running run by ``n`` steps: one compiled call."""

    def loss_grid(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """``Z[j, i]``: the loss at θ = (xs[i], ys[j]) (2-parameter problems)."""
