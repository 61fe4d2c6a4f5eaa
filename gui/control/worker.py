"""The race worker: one QThread that owns the stepping, and a mutex-guarded latest slot.

The worker advances the race in chunks sized to the chosen speed and, when the GUI has
taken the previous snapshot, leaves a fresh copy in the slot. It never touches a widget
and never emits a signal per step; the GUI's frame timer polls the slot (≤ 60 Hz), so
nothing can queue up. Edits from the GUI take the same lock between chunks.
"""

from __future__ import annotations

import math
import threading
import time
import traceback
from dataclasses import dataclass

from PySide6.QtCore import QThread, Signal

from descentlab import engine
from descentlab.engine.compile import precompile

from ..support.log import log_error
from .readiness import LATER_GROUPS, RACE, SURFACES, Readiness

# A chunk should stay short so edits and snapshots are never held up for long.
CHUNK_SECONDS = 0.01
# When the machine cannot keep up, forget debt beyond this many seconds of steps.
MAX_BACKLOG_SECONDS = 0.1


@dataclass(frozen=True)
class Published:
    """A snapshot in the latest slot, with the scene it shows: the GUI drops stale ones."""

    generation: int
    snapshot: engine.Snapshot


class RaceWorker(QThread):
    """Steps the race it was given (:meth:`set_race`) while playing, under ``lock`` (the
    lock every edit of the race takes), and marks the compile groups it loads in
    ``readiness``."""

    failed = Signal(str)  # an unexpected exception, with its traceback
    finished_limit = Signal()  # the step limit was reached

    def __init__(self, lock, readiness: Readiness,
                 precompiler: precompile.Precompiler | None = None, parent=None):
        super().__init__(parent)
        self.lock = lock
        self.readiness = readiness
        self._race: engine.Race | None = None
        self._generation = 0  # which scene the race belongs to: it goes out with each snapshot
        self._explain_uid = -1  # the run whose next step snapshots carry, walked
        # Compiles kernels in child processes on a first launch (see engine.compile.precompile).
        self.precompiler = precompiler
        self._wake = threading.Condition()
        self._stop = False
        self._playing = False
        self._pending_steps = 0
        self._speed = 200.0
        self._step_limit: int | None = None
        self._dirty = True  # the race changed since the last snapshot
        self._snapshot: Published | None = None
        self._snapshot_lock = threading.Lock()
        self._ns_per_run_step = 100.0
        self.steps_per_second = 0.0

    # ------------------------------------------------------------------ GUI side
    def set_race(self, race: engine.Race | None, generation: int, *, speed: float,
                 step_limit: int | None, playing: bool, explain_uid: int) -> None:
        """Race ``race`` (of scene ``generation``) from now on, at ``speed`` up to
        ``step_limit``, playing or paused; a snapshot of it follows, carrying run
        ``explain_uid``'s next step walked (−1: none)."""
        with self.lock:
            self._race, self._generation = race, generation
            self._explain_uid = explain_uid
        with self._wake:
            self._speed = max(1.0, float(speed))
            self._step_limit = step_limit if step_limit else None
            self._playing = playing
            self._dirty = True
            self._wake.notify()

    def set_explain_uid(self, uid: int) -> None:
        """Snapshots carry run ``uid``'s next step, walked (−1: none)."""
        self._explain_uid = uid

    def play(self) -> None:
        with self._wake:
            self._playing = True
            self._wake.notify()

    def pause(self) -> None:
        with self._wake:
            self._playing = False
            self._wake.notify()

    @property
    def playing(self) -> bool:
        return self._playing

    def step(self, n: int = 1) -> None:
        with self._wake:
            self._pending_steps += n
            self._wake.notify()

    def set_speed(self, steps_per_second: float) -> None:
        with self._wake:
            self._speed = max(1.0, float(steps_per_second))
            self._wake.notify()

    def set_step_limit(self, limit: int | None) -> None:
        with self._wake:
            self._step_limit = limit if limit else None
            self._wake.notify()

    def request_snapshot(self) -> None:
        """Ask for a fresh snapshot even while paused (after an edit, say)."""
        with self._wake:
            self._dirty = True
            self._wake.notify()

    @property
    def ns_per_run_step(self) -> float:
        """The measured cost of one step of one run (nanoseconds, a moving average)."""
        return self._ns_per_run_step

    def take_snapshot(self) -> Published | None:
        """The newest snapshot, or None if nothing new since the last call."""
        with self._snapshot_lock:
            snap, self._snapshot = self._snapshot, None
        if snap is not None:
            with self._wake:
                self._wake.notify()  # the slot is free: a newer one may follow
        return snap

    def stop(self, timeout_ms: int = 2000) -> bool:
        with self._wake:
            self._stop = True
            self._wake.notify()
        return self.wait(timeout_ms)

    # ------------------------------------------------------------------ worker side
    def run(self) -> None:
        try:
            try:
                if not self._warm_up():
                    return  # stopped while the children were compiling
            except Exception:  # noqa: BLE001 — shown to the user, the app stays up
                self.failed.emit(traceback.format_exc())
                return
            self.readiness.mark(RACE)
            self._loop()
        finally:
            self.readiness.end()
            if self.precompiler is not None:
                self.precompiler.stop()  # children still compiling end with the window

    def _check_later_groups(self) -> None:
        """Once the kernels a problem kind adds (datasets, formulas…) are compiled, load them
        here, not on the GUI thread.

        Were they cached already (no child planned), the GUI thread loads them when such a
        scene opens (≈ 0.1 s). Did their child fail, this thread compiles them: the race
        pauses for those seconds, but the window never freezes.
        """
        for group in LATER_GROUPS:
            pre = self.precompiler
            if self.readiness.loaded(group) or not pre.done(group):
                continue
            if pre.planned(group):
                if pre.failed(group):
                    self._log_child_failure(group)
                precompile.compile_group(group)
            self.readiness.mark(group)

    def _loop(self) -> None:
        last = time.perf_counter()
        debt = 0.0
        rate_window: list[tuple[float, int]] = []
        while True:
            self._check_later_groups()
            with self._wake:
                if self._stop:
                    return
                if not (self._playing or self._pending_steps or self._wants_publish()):
                    self._wake.wait(0.25)
                    last = time.perf_counter()
                    debt = 0.0
                    continue
                playing, speed = self._playing, self._speed
                manual, self._pending_steps = self._pending_steps, 0
                limit = self._step_limit
            now = time.perf_counter()
            if playing:
                debt = min(debt + (now - last) * speed, speed * MAX_BACKLOG_SECONDS + 1)
            last = now
            try:
                n = self._advance(manual + (int(debt) if playing else 0), limit)
            except Exception:  # noqa: BLE001
                self._playing = False
                self.failed.emit(traceback.format_exc())
                continue
            if n > 0:
                self._dirty = True
            if playing:
                debt = max(0.0, debt - max(0, n - manual))
            rate_window.append((now, n))
            while rate_window and now - rate_window[0][0] > 1.0:
                rate_window.pop(0)
            self.steps_per_second = sum(k for _, k in rate_window) / 1.0
            self._publish()
            if playing and n == 0:
                # Sleep until the next step is due (or 20 ms, whichever is sooner).
                wait = (1.0 - (debt - math.floor(debt))) / speed
                with self._wake:
                    if not self._stop:
                        self._wake.wait(min(max(wait, 0.001), 0.02))

    def _warm_up(self) -> bool:
        """Load (or compile) every kernel a surface race uses, off the GUI thread.

        First what building a race and drawing it need (so the GUI can load a scene
        without compiling on its own thread), then the stepping kernel, the longest to
        compile. On a first launch child processes compile both side by side (and the
        dataset kernels); this thread waits for each and then loads it from the cache.
        A group a child failed to compile is compiled here. False if stopped meanwhile.
        """
        if self.precompiler is None:
            self.precompiler = precompile.Precompiler()
        pre = self.precompiler.start()
        stopping = lambda: self._stop  # noqa: E731
        for group in (SURFACES, RACE):
            if not pre.wait(group, stopping):
                return False
            if pre.failed(group):
                self._log_child_failure(group)
            precompile.compile_group(group)
            if group == SURFACES:
                self.readiness.mark(group)  # (the race group is marked once the loop can run)
        return True

    def _log_child_failure(self, group: str) -> None:
        output = "\n".join(self.precompiler.log[-60:]) or "(no output)"
        log_error(f"The child process compiling the {group!r} kernels did not report them; "
                  f"the app compiles them itself. The children's output:\n{output}")

    def _advance(self, n: int, limit: int | None) -> int:
        with self.lock:
            race = self._race
            if race is None:
                return 0
            if limit is not None:
                if race.step >= limit and self._playing:
                    self._playing = False
                    self.finished_limit.emit()
                n = max(0, min(n, limit - race.step))
            runs = max(1, len(race.run_ids))
            max_chunk = max(1, int(CHUNK_SECONDS * 1e9 / (self._ns_per_run_step * runs)))
            n = min(n, max_chunk)
            if n > 0:
                t0 = time.perf_counter_ns()
                race.advance(n)
                elapsed = time.perf_counter_ns() - t0
                self._ns_per_run_step = 0.8 * self._ns_per_run_step + 0.2 * elapsed / (n * runs)
        return n

    def _wants_publish(self) -> bool:
        return self._dirty and self._snapshot is None

    def _publish(self) -> None:
        with self._wake:
            if not self._wants_publish():
                return
            self._dirty = False
        with self.lock:
            race = self._race
            if race is not None:
                race.walk_in_snapshots(self._explain_uid)
            snap = race.snapshot() if race is not None else None
            generation = self._generation
        if snap is not None:
            with self._snapshot_lock:
                self._snapshot = Published(generation, snap)
