"""The timeline: which moment of the race the window shows — the live end, or a recorded step.

``Timeline`` (one per controller, which drives it) sits between the worker's snapshots and
the panels: the window passes every snapshot through :meth:`Timeline.shown`, which gives it
back unchanged while live and, when the slider is in the past, the snapshot cut at that step
(``engine.race.moment``: paths cut, markers, losses and standings of that row). The exact state
at that step — for the explain overlay's walk and the equations panel's live numbers —
comes from a replay of the race (``engine.race.replay``), computed a moment after the slider
stops. *Resume from here* rewinds the race itself (``Race.rewind``) and plays on.

It knows nothing of the controller: the controller tells it the race, the selected run and
the run explained, and calls it when the user moves it; it answers with signals. The bar
under the map is ``gui.panels.timeline_bar``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from descentlab.engine.race.moment import moment, position_of, recorded_step, timeline_positions
from descentlab.engine.race.replay import replayed

REPLAY_DELAY_MS = 120  # the replay for the exact state waits until the slider rests this long
REPLAY_BUDGET_S = 0.25  # longer replays (long dataset races) wait for Resume from here


class Timeline(QObject):
    moved = Signal()  # another moment is shown: the window redraws it
    changed = Signal()  # the range or the position changed (the bar follows)
    resuming = Signal(int)  # a long Resume replays on its own thread (to this step)
    rewound = Signal(object, object)  # Resume's rewind is done: the race and its snapshot (queued)

    def __init__(self, lock, cost_per_run_step: Callable[[], float], parent=None):
        """``lock``: the race's; ``cost_per_run_step``: the measured nanoseconds of one step
        of one run (the worker's), to tell a quick replay from a long one."""
        super().__init__(parent)
        self._lock = lock
        self._cost_per_run_step = cost_per_run_step
        self.race = None  # the controller's race (set by it, under the lock)
        self.selected_uid = -1  # the run whose exact state a replay computes
        self.explain_uid = -1  # the run whose walk a moment carries (−1: none)
        self.live = None  # the newest snapshot of the race (engine.Snapshot)
        self.step: int | None = None  # the race step shown; None: the live end
        self.replay = None  # the race replayed to ``step`` (an engine.Race), once computed
        self._cut = None  # the snapshot handed out for ``step``
        self.replaying = False  # a long Resume is replaying on its own thread
        self._replay_timer = QTimer(self, singleShot=True, interval=REPLAY_DELAY_MS)
        self._replay_timer.timeout.connect(self._compute_replay)

    # ------------------------------------------------------------------ state
    @property
    def in_past(self) -> bool:
        return self.step is not None

    @property
    def can_move(self) -> bool:
        """Whether there is a moment to go to (a snapshot, and no Resume replaying)."""
        return self.live is not None and not self.replaying

    @property
    def positions(self) -> int:
        return timeline_positions(self.live) if self.live is not None else 1

    @property
    def position(self) -> int:
        if self.live is None:
            return 0
        return position_of(self.live, self.step if self.in_past else self.live.step)

    @property
    def shown_step(self) -> int:
        return self.step if self.in_past else (self.live.step if self.live is not None else 0)

    def shown(self, snap):
        """What the panels draw for ``snap``, the newest snapshot: itself while live, else the
        moment of the timeline's step cut from it."""
        if snap is self._cut:
            return snap  # the window redrawing what it has
        self.live = snap
        if self.in_past and self.step >= snap.step:  # reset, or a new race: nothing to go back to
            self._forget_past()
        out = self._moment() if self.in_past else snap
        self.changed.emit()
        return out

    # ------------------------------------------------------------------ moving
    def seek(self, index: int) -> None:
        """Show timeline position ``index`` (the last one is the live end). The controller
        pauses the race first (``RaceController.seek``)."""
        if not self.can_move:
            return
        last = self.positions - 1
        index = min(max(int(index), 0), last)
        step = None if index >= last else recorded_step(self.live, index)
        if step == self.step:
            return
        self.step = step
        self.replay = None
        if step is not None:
            self._replay_timer.start()
        self.moved.emit()
        self.changed.emit()

    def back(self) -> bool:
        """← : one recorded step back (the race paused)."""
        if self.live is None or self.position == 0:
            return False
        self.seek(self.position - 1)
        return True

    def forward(self) -> bool:
        """→ in the past: one recorded step forward (True); at the live end False (→ steps)."""
        if not self.in_past:
            return False
        self.seek(self.position + 1)
        return True

    def go_live(self) -> None:
        if self.in_past:
            self._forget_past()
            self.moved.emit()
            self.changed.emit()

    def rewind(self, runs: int) -> None:
        """*Resume from here*, the race's part: rewind it to the shown step, exactly (a
        replay of its ``runs`` runs), and emit ``rewound``.

        A replay longer than a fraction of a second (a long dataset race) runs on a thread
        of its own: the window keeps drawing and says what it is doing, the race (its lock
        held) waits."""
        step = self.step
        if step * runs * self._cost_per_run_step() * 1e-9 <= REPLAY_BUDGET_S:
            self.rewound.emit(*self._rewind(step))
            return
        self.replaying = True
        self.resuming.emit(step)
        threading.Thread(target=lambda: self.rewound.emit(*self._rewind(step)), daemon=True,
                         name="descentlab-rewind").start()

    def _rewind(self, step: int) -> tuple:
        """The race rewound to ``step`` (under its lock), and its new snapshot."""
        with self._lock:
            race = self.race
            race.rewind(step)
            race.walk_in_snapshots(self.explain_uid)
            return race, race.snapshot()

    def rewind_dropped(self) -> None:
        """Another scene was loaded while rewinding: nothing to resume."""
        self.replaying = False
        self.changed.emit()

    def live_again(self, live) -> None:
        """The race was rewound to the shown step: that is the live end now (``live``, its
        snapshot). Quiet: :meth:`announce` follows."""
        self.replaying = False
        self._forget_past()
        self.live = live

    def announce(self) -> None:
        self.moved.emit()
        self.changed.emit()

    # ------------------------------------------------------------------ the controller's news
    def runs_changed(self, uids: set[int]) -> None:
        """The race's runs are now ``uids``: a past that shows other runs is left."""
        if self.in_past and self.live is not None:
            if uids != {r.uid for r in self.live.runs}:
                self.go_live()

    def selection_changed(self) -> None:
        if self.in_past:
            self.replay = None
            self._replay_timer.start()
            self.redraw_past()

    def redraw_past(self) -> None:
        if self.in_past:
            self._cut = None
            self.moved.emit()

    # ------------------------------------------------------------------ internals
    def _forget_past(self) -> None:
        self.step = None
        self.replay = None
        self._cut = None
        self._replay_timer.stop()

    def _moment(self):
        cut = moment(self.live, self.step)
        uid = self.explain_uid
        if uid >= 0 and self.replay is not None and uid in self.replay.run_ids:
            cut.walk, cut.walk_uid = self.replay.walk(uid), uid
        else:
            cut.walk, cut.walk_uid = None, -1  # the replay brings it
        self._cut = cut
        return cut

    def _compute_replay(self) -> None:
        if not self.in_past or self.race is None:
            return
        uid = self.selected_uid
        with self._lock:
            race = self.race
            if self.step > race.step or uid not in race.run_ids:
                return
            if self.step * self._cost_per_run_step() * 1e-9 > REPLAY_BUDGET_S:
                return  # the live numbers and the walk of this step stay blank
            self.replay = replayed(race, self.step, [uid])  # the selected run's exact state
        self.redraw_past()
