"""The timeline: which moment of the race the window shows — the live end, or a recorded step.

``Timeline`` (one per controller) sits between the worker's snapshots and the panels: the
window passes every snapshot through :meth:`Timeline.shown`, which gives it back unchanged
while live and, when the slider is in the past, the snapshot cut at that step
(``engine.race.moment``: paths cut, markers, losses and standings of that row). The exact state
at that step — for the explain overlay's walk and the equations panel's live numbers —
comes from a replay of the race (``engine.race.replay``), computed a moment after the slider
stops. *Resume from here* rewinds the race itself (``Race.rewind``) and plays on.

The bar under the map is ``gui.panels.timeline``.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal

from descentlab.engine.race.moment import moment, position_of, recorded_step, timeline_positions
from descentlab.engine.race.replay import replayed

REPLAY_DELAY_MS = 120  # the replay for the exact state waits until the slider rests this long
REPLAY_BUDGET_S = 0.25  # longer replays (long dataset races) wait for Resume from here


class Timeline(QObject):
    moved = Signal()  # another moment is shown: the window redraws it
    changed = Signal()  # the range or the position changed (the bar follows)
    resuming = Signal(int)  # a long Resume replays on its own thread (to this step)
    _rewound = Signal(object, object)  # that thread is done: the race and its snapshot (queued)

    def __init__(self, controller):
        super().__init__(controller)
        self.controller = controller
        self.live = None  # the newest snapshot of the race (engine.Snapshot)
        self.step: int | None = None  # the race step shown; None: the live end
        self.replay = None  # the race replayed to ``step`` (an engine.Race), once computed
        self._cut = None  # the snapshot handed out for ``step``
        self.replaying = False  # a long Resume is replaying on its own thread
        self._rewound.connect(self._resumed)
        self._replay_timer = QTimer(self, singleShot=True, interval=REPLAY_DELAY_MS)
        self._replay_timer.timeout.connect(self._compute_replay)
        c = controller
        c.playing_changed.connect(lambda on: self.go_live() if on else None)
        for signal in (c.scene_changed, c.start_changed, c.run_edited):
            signal.connect(self.go_live)  # an edit applies to the race as it is now
        c.runs_changed.connect(self._runs_changed)
        c.selection_changed.connect(lambda _: self._selection_changed())
        c.explain.changed.connect(self._redraw_past)

    # ------------------------------------------------------------------ state
    @property
    def in_past(self) -> bool:
        return self.step is not None

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
        """Show timeline position ``index`` (the last one is the live end). Pauses the race."""
        if self.live is None or self.replaying:
            return
        c = self.controller
        if c.playing:
            c.set_playing(False)
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
        """← : one recorded step back (when paused)."""
        if self.live is None or self.controller.playing or self.position == 0:
            return False
        self.seek(self.position - 1)
        return True

    def forward(self) -> bool:
        """→ in the past: one recorded step forward (True); at the live end False (→ steps)."""
        if not self.in_past or self.controller.playing:
            return False
        self.seek(self.position + 1)
        return True

    def go_live(self) -> None:
        if self.in_past:
            self._forget_past()
            self.moved.emit()
            self.changed.emit()

    def resume(self) -> None:
        """*Resume from here*: the race goes back to the shown step, exactly (a replay), and
        plays on from there. At the live end it simply plays.

        A replay longer than a fraction of a second (a long dataset race) runs on a thread
        of its own: the window keeps drawing and says what it is doing, the race (its lock
        held) waits, and the race plays on when the replay is done."""
        c = self.controller
        if self.replaying:
            return
        if not (self.in_past and c.race is not None):
            c.set_playing(True)
            return
        step = self.step
        runs = max(1, len(c.entries))
        if step * runs * c.worker.ns_per_run_step * 1e-9 <= REPLAY_BUDGET_S:
            self._resumed(*self._rewind(step))
            return
        self.replaying = True
        self.resuming.emit(step)
        threading.Thread(target=lambda: self._rewound.emit(*self._rewind(step)), daemon=True,
                         name="descentlab-rewind").start()

    def _rewind(self, step: int) -> tuple:
        """The race rewound to ``step`` (under its lock), and its new snapshot."""
        c = self.controller
        with c.lock:
            race = c.race
            race.rewind(step)
            race.explain_uid = c.explain_uid
            return race, race.snapshot()

    def _resumed(self, race, live) -> None:
        self.replaying = False
        c = self.controller
        if race is not c.race:  # another scene was loaded meanwhile: nothing to resume
            self.changed.emit()
            return
        edited = []
        with c.lock:
            for e in c.entries:
                hyper = c.race.run_info(e.uid).hyper
                if any(e.config.hyper.get(k) != v for k, v in hyper.items() if k in e.config.hyper):
                    e.config.hyper.update({k: v for k, v in hyper.items() if k in e.config.hyper})
                    edited.append(e.uid)
            c.scene.noise = c.race.noise
        self._forget_past()
        self.live = live
        c.worker.request_snapshot()
        for uid in edited:
            c.run_edited.emit(uid)  # the run cards show the values of that step again
        self.moved.emit()
        self.changed.emit()
        c.set_playing(True)

    # ------------------------------------------------------------------ internals
    def _forget_past(self) -> None:
        self.step = None
        self.replay = None
        self._cut = None
        self._replay_timer.stop()

    def _moment(self):
        cut = moment(self.live, self.step)
        c = self.controller
        uid = c.explain_uid
        if uid >= 0 and self.replay is not None and uid in self.replay.run_ids:
            cut.walk, cut.walk_uid = self.replay.walk(uid), uid
        else:
            cut.walk, cut.walk_uid = None, -1  # the replay brings it
        self._cut = cut
        return cut

    def _compute_replay(self) -> None:
        c = self.controller
        if not self.in_past or c.race is None:
            return
        uid = c.selected_uid
        with c.lock:
            if self.step > c.race.step or uid not in c.race.run_ids:
                return
            if self.step * c.worker.ns_per_run_step * 1e-9 > REPLAY_BUDGET_S:
                return  # the live numbers and the walk of this step stay blank
            self.replay = replayed(c.race, self.step, [uid])  # the selected run's exact state
        self._redraw_past()

    def _selection_changed(self) -> None:
        if self.in_past:
            self.replay = None
            self._replay_timer.start()
            self._redraw_past()

    def _redraw_past(self) -> None:
        if self.in_past:
            self._cut = None
            self.moved.emit()

    def _runs_changed(self) -> None:
        if self.in_past and self.live is not None:
            if {e.uid for e in self.controller.entries} != {r.uid for r in self.live.runs}:
                self.go_live()
