"""The one place where the GUI's idea of the scene meets the engine's race.

Data flows one way: panels send intents to the controller; it validates through the
engine, edits the race under the lock and announces what changed with signals; the worker
(gui.control.worker) publishes snapshots; panels draw them. The controller drives the
worker and the timeline (gui.control.timeline) with explicit calls; neither knows it. It
keeps the current ``Scene`` in step, so File → Save writes exactly what is on screen.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from descentlab import engine
from descentlab.engine.files.scene import RunConfig, Scene
from descentlab.engine.maps.races import DEFAULT_STEPS as MAP_STEPS
from descentlab.engine.optimizers import get_optimizer
from descentlab.engine.problems.registry import KINDS, kind_of
from descentlab.engine.quoted import quoted

from ..map.curvature_layer import CurvatureState
from ..map.explain_layer import ExplainState
from ..problem_looks import PLANES, look_for
from ..support.i18n import QT_TRANSLATE_NOOP, fill, shown, translate
from ..support.palette import run_colour, run_symbol
from ..support.threads import retire
from .readiness import RACE, Readiness
from .timeline import Timeline
from .worker import RaceWorker

# A run's options some kinds take (a dataset's batch and objective): cleared where the new kind has none.
RUN_OPTION_KEYS = frozenset().union(*(k.run_keys for k in KINDS))


@dataclass
class RunEntry:
    """A run as the GUI knows it: the engine's run id plus how to show it."""

    uid: int
    config: RunConfig
    colour: str
    symbol: str = "o"

    @property
    def label(self) -> str:
        """The run's label as shown: in the window's language where the scene gives it in
        several (a preset's), else as the user wrote it; the optimizer's name if none."""
        return shown(self.config.label) or shown(get_optimizer(self.config.optimizer).name)


class RaceController(QObject):
    scene_changed = Signal()  # a new problem or scene: rebuild everything
    runs_changed = Signal()  # runs added, removed, relabelled or recoloured
    run_edited = Signal(int)  # a run's hyperparameters changed (its uid)
    start_changed = Signal()
    selection_changed = Signal(int)  # uid, or -1
    playing_changed = Signal(bool)
    play_deferred = Signal()  # Space before the engine is ready: the race starts when it is
    limit_reached = Signal()
    failed = Signal(str, str)  # what failed, the traceback (shown and logged by the window)
    plane_changed = Signal()  # the map's frame was replaced: another plane, or the fitted one refitted
    refused = Signal(str)  # an intent a lesson's lock refused: the part locked ("problem" or "runs")

    def __init__(self, parent=None, precompiler=None):
        super().__init__(parent)
        self.lock = threading.RLock()
        self.race: engine.Race | None = None
        self.map_frame = None  # how the problem is shown on the map (gui.map.map_frames)
        self.look = None  # what the problem's type shows (gui.problem_looks)
        self.plane = PLANES[0]  # a big model's map plane: "fitted", "random" or "filter" (this session)
        self.generation = 0  # +1 per loaded scene; published snapshots carry it
        self.start_theta = np.zeros(2)
        self.scene = Scene()
        self.entries: list[RunEntry] = []
        self.colour_blind_safe = False
        self._pending_scene: Scene | None = None
        # What a lesson's step locks (gui/lessons/player.py sets it): "problem", "runs".
        self.locks: frozenset[str] = frozenset()
        # Which kernels are loaded (a first launch compiles them while the window is up).
        self.readiness = Readiness(self)
        self.worker = RaceWorker(self.lock, self.readiness, precompiler)
        worker = self.worker
        # Which moment the window shows (the slider under the map).
        self.timeline = Timeline(self.lock, lambda: worker.ns_per_run_step, self)
        self._selected_uid = -1
        self.explain = ExplainState(self)  # the step explained (key E), step by step
        self.explain.changed.connect(self._share_selection)  # first: snapshots follow at once
        self.explain.changed.connect(self.worker.request_snapshot)
        self.curvature = CurvatureState(self)  # the curvature a step feels (key H)
        self._drive_timeline()
        self.readiness.group_ready.connect(self._group_ready)
        self._play_when_ready = False
        self.worker.finished_limit.connect(self._limit_reached)
        self.worker.failed.connect(
            lambda tb: self.report_error(QT_TRANSLATE_NOOP("RaceController", "The race stopped"), tb))

    def _drive_timeline(self) -> None:
        """What the controller's news means for the moment shown: an edit applies to the
        race as it is now (the live end); Resume's rewind comes back to ``_resumed``."""
        t = self.timeline
        self.playing_changed.connect(lambda on: t.go_live() if on else None)
        for signal in (self.scene_changed, self.start_changed, self.run_edited):
            signal.connect(t.go_live)
        self.runs_changed.connect(lambda: t.runs_changed({e.uid for e in self.entries}))
        self.selection_changed.connect(lambda _: t.selection_changed())
        self.explain.changed.connect(t.redraw_past)
        t.rewound.connect(self._resumed)

    def refuses(self, *parts: str) -> bool:
        """True, and ``refused`` emitted (once), if a lesson's step locks one of ``parts``:
        the intent asking must then change nothing."""
        for part in parts:
            if part in self.locks:
                self.refused.emit(part)
                return True
        return False

    # ------------------------------------------------------------- the scene
    @property
    def loading(self) -> bool:
        """A scene waits for the kernels it needs to be compiled (first launch only)."""
        return self._pending_scene is not None

    def load_scene(self, scene: Scene, problem=None) -> None:
        """Replace the problem and every run. ``scene`` must be valid (engine.files.scene).

        While the worker is still compiling the kernels a race needs (or child processes
        the dataset kernels, for a dataset scene), the scene waits and loads as soon as
        they are ready: the GUI thread never compiles. ``problem``: the scene's problem,
        if the caller has built it already.
        """
        if not self.readiness.scene_ready(scene):
            self.check_scene(scene)
            self._pending_scene = copy.deepcopy(scene)
            return
        self._pending_scene = None
        if problem is None:
            problem = scene.build_problem()
        if kind_of(scene).has_noise:
            race = engine.Race(problem, noise=scene.noise, seed=scene.seed)
            start = scene.start_point
        else:
            race = engine.Race(problem, seed=scene.seed, history=problem.history_hint)
            start = scene.start if scene.start is not None else problem.default_start
        look = look_for(race.problem)
        view = look.map_frame(race.problem, start, scene.seed, plane=self.plane)
        entries = []
        for i, cfg in enumerate(scene.runs):
            run_start = cfg.start if cfg.start is not None else start
            uid = self._add_to_race(race, cfg, run_start)
            shown = copy.deepcopy(cfg)
            shown.label = cfg.label or engine.get_optimizer(cfg.optimizer).name
            entries.append(RunEntry(uid, shown, cfg.color or self._colour(i), self._symbol(i)))
        # A new scene starts paused, unless play was asked for before it could load.
        play = self._play_when_ready and self.readiness.race_ready
        with self.lock:
            self.generation += 1
            self.race = race
            self.map_frame = view
            self.look = look
            self.start_theta = np.array(start, dtype=float)
            self.scene = copy.deepcopy(scene)
            self.entries = entries
            self._selected_uid = entries[0].uid if entries else -1
            self.timeline.race = race
            self._show_selection_in_timeline()
            self.worker.set_race(race, self.generation, speed=scene.speed, step_limit=scene.step_limit,
                                 playing=play, explain_uid=self.explain_uid)
        self.scene_changed.emit()
        if play:
            if self.explain.step_by_step:
                self.explain.set_step_by_step(False)  # as Space does: it races on
            self._playing_now(True)
        elif not self._play_when_ready:
            self.playing_changed.emit(False)

    @staticmethod
    def _add_to_race(race, cfg: RunConfig, start) -> int:
        # None options mean "the problem's default"; a surface ignores the dataset ones.
        return race.add_run(cfg.optimizer, start, label=cfg.label, batch_size=cfg.batch_size,
                            loss=cfg.loss, l1=cfg.l1, l2=cfg.l2, schedule=cfg.schedule,
                            repeats=cfg.repeats, **cfg.hyper)

    @property
    def is_dataset(self) -> bool:
        return self.scene.data is not None

    def set_run_data(self, uid: int, **changes) -> None:
        """Change a run's batch size, loss or penalties: the race restarts with them.

        Raises ValueError (and changes nothing) if the scene would not be valid.
        """
        if self.refuses("runs"):
            return
        scene = self.current_scene()
        index = [e.uid for e in self.entries].index(uid)
        for name, value in changes.items():
            setattr(scene.runs[index], name, value)
        from descentlab.engine.files.scene import scene_from_dict, scene_to_dict

        scene_from_dict(scene_to_dict(scene), "this scene")  # validates, or raises
        self.load_scene(scene)

    def _group_ready(self, group: str) -> None:
        if group == RACE:
            self._play_if_asked()
        elif self._pending_scene is not None:
            self.load_scene(self._pending_scene)

    @staticmethod
    def check_scene(scene: Scene) -> None:
        """What building its race would check, without compiling anything."""
        kind = kind_of(scene)
        if kind.precheck is not None:
            kind.precheck(scene)
        for cfg in scene.runs:
            engine.get_optimizer(cfg.optimizer).validate(cfg.hyper)

    def current_scene(self) -> Scene:
        """The scene as it is now (runs, start, speed), ready to save."""
        if self._pending_scene is not None:
            return copy.deepcopy(self._pending_scene)
        with self.lock:
            scene = copy.deepcopy(self.scene)
            scene.runs = [copy.deepcopy(e.config) for e in self.entries]
        return scene

    def set_problem(self, problem, start=None) -> None:
        """Switch to ``problem`` — a surface key or a kind's config (a typed formula's
        FormulaConfig, a dataset's DataConfig; engine.problems.registry) — keeping the
        runs (optimizers, hyperparameters, labels, colours, batch sizes): each restarts at
        step 0 from the new problem's default start (or ``start``).

        Raises ValueError, and changes nothing, if the problem cannot be built (a formula
        that does not parse, a CSV file that is refused, a loss the model cannot take …).
        A run's own loss that the new model cannot take falls back to the problem's; a batch
        larger than the new training set shrinks to it. Refused (nothing changes) while a
        lesson locks the problem.
        """
        if self.refuses("problem"):
            return
        kind = kind_of(problem)
        scene = self.current_scene()
        for other in KINDS:
            if other.config_attr is not None:
                setattr(scene, other.config_attr, None)
        if kind.config_attr is not None:
            setattr(scene, kind.config_attr, copy.deepcopy(problem))
        elif isinstance(problem, str):
            scene.surface = engine.get_surface(problem).key
        else:
            kinds = ", ".join(k.config_class.__name__ for k in KINDS if k.config_class is not None)
            raise ValueError(f"unknown problem {quoted(problem)}: a surface key or one of {kinds}")
        scene.start = None if start is None else tuple(float(v) for v in start)
        scene.xrange = scene.yrange = None
        for run in scene.runs:
            run.start = None
            for key in RUN_OPTION_KEYS - kind.run_keys:
                setattr(run, key, None)
        if not self.readiness.scene_ready(scene):
            self.load_scene(scene)  # it waits for the kernels; nothing is built here
            return
        built = scene.build_problem()  # raises ValueError for what cannot be built
        if kind.fit_runs is not None:
            kind.fit_runs(scene, built)
        self.load_scene(scene, built)

    def set_noise(self, sigma: float) -> None:
        if self.refuses("problem"):
            return
        self.timeline.go_live()  # the change applies to the race as it is now
        with self.lock:
            self.race.set_noise(sigma)
            self.scene.noise = float(sigma)
        self.worker.request_snapshot()

    # -------------------------------------------------------------- the runs
    def add_run(self, optimizer: str, label: str | None = None, *, schedule: dict | None = None,
                repeats: int = 1, **hyper) -> int | None:
        """A new run (its uid); None, nothing added, while a lesson locks the runs."""
        if self.refuses("runs"):
            return None
        spec = engine.get_optimizer(optimizer)
        with self.lock:
            cfg = RunConfig(optimizer, dict(hyper), label=label or spec.name, schedule=schedule,
                            repeats=repeats)
            uid = self._add_to_race(self.race, cfg, self.start_theta)
            n = len(self.entries)
            self.entries.append(RunEntry(uid, cfg, self._colour(n), self._symbol(n)))
            self.selected_uid = uid
        self.worker.request_snapshot()
        self.runs_changed.emit()
        self.selection_changed.emit(uid)
        return uid

    def duplicate_run(self, uid: int) -> int | None:
        if self.refuses("runs"):
            return None
        entry = self.entry(uid)
        if self.is_dataset:  # same batch size and objective too
            cfg = copy.deepcopy(entry.config)
            cfg.label = fill(translate("Controller", "%1 (copy)"), entry.label)
            cfg.color = None
            scene = self.current_scene()
            scene.runs.append(cfg)
            self.load_scene(scene)
            return self.entries[-1].uid
        return self.add_run(entry.config.optimizer, fill(translate("Controller", "%1 (copy)"), entry.label),
                            schedule=copy.deepcopy(entry.config.schedule), repeats=entry.config.repeats,
                            **entry.config.hyper)

    def remove_run(self, uid: int) -> None:
        if self.refuses("runs"):
            return
        with self.lock:
            self.race.remove_run(uid)
            self.entries = [e for e in self.entries if e.uid != uid]
            if self.selected_uid == uid:
                self.selected_uid = self.entries[0].uid if self.entries else -1
        self.worker.request_snapshot()
        self.runs_changed.emit()
        self.selection_changed.emit(self.selected_uid)

    def set_hyper(self, uid: int, name: str, value) -> None:
        """Change one hyperparameter live. Raises ValueError (and changes nothing) if bad."""
        if self.refuses("runs"):
            return
        with self.lock:
            self.race.set_hyper(uid, **{name: value})
            entry = self.entry(uid)
            entry.config.hyper[name] = self.race.run_info(uid).hyper[name]
        self.worker.request_snapshot()
        self.run_edited.emit(uid)

    def set_hypers(self, uid: int, **values) -> None:
        """Set several hyperparameters at once and restart the run (a map was clicked)."""
        if self.refuses("runs"):
            return
        with self.lock:
            info = self.race.run_info(uid)
            self.race.set_hyper(uid, **values)
            entry = self.entry(uid)
            for name in values:
                entry.config.hyper[name] = self.race.run_info(uid).hyper[name]
            self.race.set_start(info.start, [uid])
        self.worker.request_snapshot()
        self.run_edited.emit(uid)

    def set_schedule(self, uid: int, schedule: dict | None) -> None:
        """Give a run an lr schedule (engine.race.schedules; None = constant): it restarts.
        Raises ValueError (and changes nothing) if the schedule is not valid."""
        if self.refuses("runs"):
            return
        sched = engine.as_schedule(schedule)
        with self.lock:
            self.race.set_schedule(uid, sched)
            self.entry(uid).config.schedule = None if sched.is_constant else sched.to_dict()
        self.worker.request_snapshot()
        self.run_edited.emit(uid)

    def schedule_of(self, uid: int) -> engine.Schedule:
        with self.lock:
            return self.race.run_info(uid).schedule

    def map_settings(self) -> dict | None:
        """The selected run as the maps race it (basins, hyperparameter map): its problem,
        optimizer, hyperparameters, options, schedule, start, the race's noise and seed, the
        step limit; copies taken under the lock. None without a selected run."""
        if self.race is None or self.selected_uid < 0:
            return None
        with self.lock:
            try:
                info = self.race.run_info(self.selected_uid)
            except ValueError:
                return None
            problem, noise, seed = self.race.problem, self.race.noise, self.race.seed
        return dict(problem=problem, optimizer=info.optimizer, hyper=dict(info.hyper),
                    options={k: v for k, v in info.options.items() if v is not None},
                    schedule=info.schedule, start=info.start.copy(), noise=noise, seed=seed,
                    steps=int(self.scene.step_limit or MAP_STEPS), label=info.label,
                    uid=self.selected_uid)

    def hyper_of(self, uid: int) -> dict[str, float]:
        with self.lock:
            return dict(self.race.run_info(uid).hyper)

    def set_label(self, uid: int, label: str) -> None:
        if self.refuses("runs"):
            return
        with self.lock:
            self.race.set_label(uid, label)
            self.entry(uid).config.label = label
        self.runs_changed.emit()

    def set_enabled(self, uid: int, enabled: bool) -> None:
        if self.refuses("runs"):
            return
        self.entry(uid).config.enabled = bool(enabled)
        self.worker.request_snapshot()
        self.runs_changed.emit()

    @property
    def selected_uid(self) -> int:
        return self._selected_uid

    @selected_uid.setter
    def selected_uid(self, uid: int) -> None:
        self._selected_uid = uid
        self._share_selection()

    def _share_selection(self) -> None:
        """The worker and the timeline follow the selected run and the run explained."""
        self._show_selection_in_timeline()
        self.worker.set_explain_uid(self.explain_uid)

    def _show_selection_in_timeline(self) -> None:
        self.timeline.selected_uid = self._selected_uid
        self.timeline.explain_uid = self.explain_uid

    def select(self, uid: int) -> None:
        if uid != self.selected_uid:
            self.selected_uid = uid
            self.selection_changed.emit(uid)
            if self.explain.on:
                self.worker.request_snapshot()  # with the newly selected run's walk

    @property
    def explain_uid(self) -> int:
        """The run whose next step snapshots carry, walked (−1: none; see gui.map.explain_layer)."""
        return self.selected_uid if self.explain.on else -1

    def explain_selected(self) -> dict | None:
        """The selected run's last step explained (``Race.explain``), or None."""
        with self.lock:
            race = self.timeline.replay if self.timeline.in_past else self.race  # (None: replaying)
            if race is None or self.selected_uid not in race.run_ids:
                return None
            return race.explain(self.selected_uid)

    def entry(self, uid: int) -> RunEntry:
        for e in self.entries:
            if e.uid == uid:
                return e
        raise ValueError(f"unknown run id {quoted(uid)}")

    def set_colour_blind_safe(self, on: bool) -> None:
        self.colour_blind_safe = on
        for i, e in enumerate(self.entries):
            if not e.config.color:
                e.colour = self._colour(i)
            e.symbol = self._symbol(i)
        self.runs_changed.emit()

    def _colour(self, index: int) -> str:
        return run_colour(index, self.colour_blind_safe)

    def _symbol(self, index: int) -> str:
        """Distinct marker shapes back up colour in presentation mode (colour-blind safe)."""
        return run_symbol(index) if self.colour_blind_safe else "o"

    # ------------------------------------------------------------- the map's plane
    def set_plane(self, plane: str) -> None:
        """Show a model with many parameters on another plane: ``"fitted"`` to the runs'
        paths, ``"random"`` or ``"filter"`` (random, normalised per layer)."""
        if plane not in PLANES:
            raise ValueError(f"Invalid plane value: {quoted(plane)} (allowed: {', '.join(PLANES)})")
        self.plane = plane
        if self.race is None or self.look is None:
            return
        self.set_map_frame(self.look.map_frame(self.race.problem, self.start_theta, self.scene.seed,
                                               plane=plane))

    def set_map_frame(self, frame) -> None:
        """Replace the map's frame (the same problem on another plane, or the fitted plane
        refitted: gui.map.plane_fit); the map redraws."""
        with self.lock:
            self.map_frame = frame
        self.plane_changed.emit()

    # ------------------------------------------------------- start and reset
    def set_start(self, x: float, y: float, uid: int | None = None) -> None:
        """Move every run's start (or one run's) to the map point (x, y) and restart them.

        On a slice of a big model the point stands for origin + x·u + y·v.
        """
        theta = self.map_frame.from_map(x, y)
        keep = tuple(float(v) for v in theta) if theta.size == 2 else None
        with self.lock:
            if uid is None:
                self.race.restart_from(theta)
                self.start_theta = theta
                self.scene.start = keep
                for e in self.entries:
                    e.config.start = None
            else:
                self.race.set_start(theta, [uid])
                self.entry(uid).config.start = keep
        self.worker.request_snapshot()
        self.start_changed.emit()

    def reset(self) -> None:
        with self.lock:
            if self.race is not None:
                self.race.reset()
        self.worker.request_snapshot()

    # ------------------------------------------------------------- transport
    @property
    def is_ready(self) -> bool:
        """The worker has loaded the stepping kernel (gui.control.readiness)."""
        return self.readiness.loaded(RACE)

    @property
    def playing(self) -> bool:
        """Racing, or asked to race as soon as the engine is ready."""
        return self.worker.playing or self._play_when_ready

    @property
    def steps_per_second(self) -> float:
        return self.worker.steps_per_second if self.worker.playing else 0.0

    @property
    def waiting_to_play(self) -> bool:
        """Play was asked for while the engine (or the scene's kernels) was not ready."""
        return self._play_when_ready

    def set_playing(self, on: bool) -> None:
        if on and self.explain.step_by_step:
            self.explain.set_step_by_step(False)  # Space leaves the walk and races on
        if on and not self._can_play():
            self._play_when_ready = True  # remembered: it starts as soon as it can
            self.playing_changed.emit(True)
            self.play_deferred.emit()
            return
        if on:
            self.worker.play()
        else:
            self.worker.pause()
        self._playing_now(on)

    def _playing_now(self, on: bool) -> None:
        self._play_when_ready = False
        self.playing_changed.emit(on)

    def _can_play(self) -> bool:
        return self.readiness.race_ready and not self.loading and self.race is not None

    def _play_if_asked(self) -> None:
        if self._play_when_ready and self._can_play():
            self.set_playing(True)

    def step(self, n: int = 1) -> None:
        if n == 1 and self.explain.step_by_step and self.timeline.in_past:
            self.timeline.go_live()  # step by step walks the race's next step, from its end
        if n == 1 and not self.playing and self.timeline.forward():
            return  # the timeline is in the past: → shows the next recorded step
        if n == 1 and self.explain.take_step():
            return  # step by step: → showed the next line of the rule instead
        self.worker.step(n)

    # -------------------------------------------------------------- the timeline
    def seek(self, index: int) -> None:
        """Show timeline position ``index`` (the slider under the map); pauses the race."""
        if not self.timeline.can_move:
            return
        if self.playing:
            self.set_playing(False)
        self.timeline.seek(index)

    def step_back(self) -> bool:
        """← : one recorded step back, when paused."""
        return not self.playing and self.timeline.back()

    def resume(self) -> None:
        """*Resume from here*: the race goes back to the step shown, exactly (a replay),
        and plays on from there. At the live end it simply plays."""
        t = self.timeline
        if t.replaying:
            return
        if not (t.in_past and self.race is not None):
            self.set_playing(True)
            return
        t.rewind(max(1, len(self.entries)))  # → _resumed, now or from the replay's thread

    def _resumed(self, race, live) -> None:
        """The race is rewound (``live``: its snapshot): the runs show that step's
        hyperparameters and noise again, and it plays on."""
        t = self.timeline
        if race is not self.race:  # another scene was loaded meanwhile: nothing to resume
            t.rewind_dropped()
            return
        edited = []
        with self.lock:
            for e in self.entries:
                hyper = self.race.run_info(e.uid).hyper
                if any(e.config.hyper.get(k) != v for k, v in hyper.items() if k in e.config.hyper):
                    e.config.hyper.update({k: v for k, v in hyper.items() if k in e.config.hyper})
                    edited.append(e.uid)
            self.scene.noise = self.race.noise
        t.live_again(live)
        self.worker.request_snapshot()
        for uid in edited:
            self.run_edited.emit(uid)  # the run cards show the values of that step again
        t.announce()
        self.set_playing(True)

    # ------------------------------------------------- speed, limit, snapshots
    def set_speed(self, steps_per_second: float) -> None:
        self.worker.set_speed(steps_per_second)
        self.scene.speed = steps_per_second

    def set_step_limit(self, limit: int | None) -> None:
        self.worker.set_step_limit(limit)
        self.scene.step_limit = limit

    def set_count_evaluations(self, on: bool) -> None:
        """Loss curves and the leaderboard count function evaluations (on) or steps; kept in
        the scene's view. A fresh snapshot redraws them."""
        self.scene.count_evaluations = bool(on)
        self.worker.request_snapshot()

    def _limit_reached(self) -> None:
        self.set_playing(False)
        self.limit_reached.emit()

    def report_error(self, title: str, details: str) -> None:
        self.set_playing(False)
        self.failed.emit(title, details)

    def take_snapshot(self) -> engine.Snapshot | None:
        """The worker's newest snapshot of the current scene, if there is a new one."""
        latest = self.worker.take_snapshot()
        if latest is None or latest.generation != self.generation:
            return None  # nothing new, or taken just before a new scene was loaded
        return latest.snapshot

    def advance_now(self, steps: int) -> engine.Snapshot:
        """Run ``steps`` steps on this thread (no worker: ``--snapshot`` and tests)."""
        with self.lock:
            self.race.advance(steps)
            self.race.walk_in_snapshots(self.explain_uid)
            return self.race.snapshot()

    # ------------------------------------------------------------- lifetime
    def start(self) -> None:
        self.readiness.begin()  # from now until the worker ends, kernels wait for it
        self.worker.start()

    @property
    def is_running(self) -> bool:
        return self.worker.isRunning()

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the worker; True if it has ended. Still inside a compile, it is retired
        (gui.support.threads) and ends by itself."""
        if not self.worker.isRunning():
            return True
        stopped = self.worker.stop(timeout_ms)
        retire(self.worker)
        return stopped
