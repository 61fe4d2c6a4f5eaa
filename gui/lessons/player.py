"""The lesson player: a lesson (engine.files.lesson) played in the main window.

Opening a lesson remembers the window as it was (the scene, the view flags); each step
loads its scene, sets the view flags it names (the others as they were before the lesson),
hides and locks panels, shows its caption on the map and its question over it, and races
to its ``play`` step — unless it asks first: then → (Page Down, the bar's ▶) reveals the
answer by playing. ``until`` stops the race: "step:N" exactly (the worker's step limit),
"reached:RUN" and "loss:RUN<X" on the first frame whose snapshot meets it. Leaving gives
the window back as it was.

Locked panels are disabled (``setEnabled(False)``): Qt delivers them no mouse or key
event. Every other route (File → Open scene…/Open CSV…, a CSV dropped on the window, the
Presets menu, Race → Tune, a run's keys) is refused at the intent: the controller's
``locks`` are the step's, its intents check them (``RaceController.refuses``) and change
nothing, and the status bar says why.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from descentlab.engine.files.export_data import race_for_scene
from descentlab.engine.files.lesson import VIEW_FLAGS, Lesson, LessonError, load_lesson, play_point
from descentlab.engine.files.scene import Scene, SceneError

from ..map.caption_layer import along
from ..support import i18n
from ..support.i18n import QT_TRANSLATE_NOOP, bind, fill, shown, translate
from .ask import AskOverlay
from .bar import LessonBar
from .caption_text import caption_of

STOPPED = QT_TRANSLATE_NOOP("LessonPlayer", "Stopped where the lesson stops: %1")
# What the status bar says when a locked part refuses an intent (a menu, a key, a drop).
REFUSED = {"problem": QT_TRANSLATE_NOOP("LessonPlayer", "This step of the lesson locks the problem "
                                        "(Lessons → Leave lesson to change it)"),
           "runs": QT_TRANSLATE_NOOP("LessonPlayer", "This step of the lesson locks the runs "
                                     "(Lessons → Leave lesson to change them)")}


@dataclass
class Before:
    """The window as it was when the lesson opened."""

    scene: Scene
    flags: dict[str, bool]


class LessonPlayer(QObject):
    """Plays one lesson at a time in ``window`` (a MainWindow); ``window.lessons``."""

    changed = Signal()  # a lesson opened or left, another step, a question revealed

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.controller = window.controller
        self.lesson: Lesson | None = None
        self.index = -1
        self.before: Before | None = None
        self.opened_at = 0.0  # time.monotonic() when the lesson opened (the presenter's clock)
        self.hidden: set[str] = set()  # panels this step hides
        self.locked: set[str] = set()
        self._stops: list[int] = []  # the step limits still to come in this step, in order
        self._own_limit: int | None = None  # the step's scene's own step limit
        self._until = None  # the step's until, while it has not stopped the race yet
        self._keep_clear = (np.zeros((0, 2)), np.zeros(0))  # map points the caption keeps clear of, weights
        self.thumbnails: dict[int, object] = {}  # step → a grab of the map as it was left (QPixmap)
        self.presenter = None
        self.bar = LessonBar(self, window)
        window.addToolBarBreak()
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.bar.hide()
        map_panel = window.panels.map
        self.caption = map_panel.caption  # (gui/map/caption_layer.py)
        self.ask = AskOverlay(map_panel)
        self.caption.avoid_widgets.append(self.ask)  # the caption never covers the question
        # Page Down / Page Up: the lesson's steps while one is open (the presets' otherwise).
        self.next_action = self._key_action(QT_TRANSLATE_NOOP("LessonPlayer", "Next step"), Qt.Key.Key_PageDown,
                                            self.next)
        self.previous_action = self._key_action(QT_TRANSLATE_NOOP("LessonPlayer", "Previous step"),
                                                Qt.Key.Key_PageUp, self.previous)
        self._preset_keys = [a for a in window.presets_menu.actions()
                             if a.shortcut() in (QKeySequence(Qt.Key.Key_PageDown), QKeySequence(Qt.Key.Key_PageUp))]
        c = self.controller
        c.limit_reached.connect(self._limit_reached)
        c.refused.connect(self._refused)
        c.playing_changed.connect(self._playing_changed)
        window.drawn.connect(self._drawn)
        i18n.language_changed().connect(self.retranslate)

    def _key_action(self, text, key, slot) -> QAction:
        action = QAction(self.window)
        bind(action.setText, text)
        action.setShortcut(QKeySequence(key))
        action.setEnabled(False)
        action.triggered.connect(lambda _=False: slot())
        self.window.addAction(action)
        return action

    # ------------------------------------------------------------------ state
    @property
    def is_open(self) -> bool:
        return self.lesson is not None

    @property
    def step(self):
        return self.lesson.steps[self.index] if self.lesson is not None and 0 <= self.index < len(self.lesson.steps) \
            else None

    @property
    def window_flags(self) -> dict[str, bool]:
        """The view flags as the window shows them now."""
        w = self.window
        return {"explain": self.controller.explain.on, "basins": w.basins_action.isChecked(),
                "view3d": w.view3d_action.isChecked(), "presentation": bool(w.presentation)}

    def _set_flag(self, name: str, on: bool) -> None:
        w = self.window
        if name == "presentation":
            if bool(w.presentation) != on:
                w.presentation_action.setChecked(on)
            return
        if name == "explain":
            self.controller.explain.set_on(on)
            return
        action = getattr(w, f"{name}_action")
        if action.isChecked() != on and (action.isEnabled() or not on):
            action.setChecked(on)  # (the 3-D view without OpenGL stays off)

    # ------------------------------------------------------------------ opening and leaving
    def open_file(self, path) -> bool:
        """Open the lesson file ``path``; a bad one is refused whole (a message), the lesson
        and scene shown stay."""
        try:
            lesson = load_lesson(Path(path))
        except LessonError as exc:
            QMessageBox.warning(self.window, translate("LessonPlayer", "Cannot open the lesson"), str(exc))
            return False
        return self.open(lesson)

    def open(self, lesson: Lesson, index: int = 0) -> bool:
        """Play ``lesson`` from step ``index`` (from 0). A lesson already open is left for
        it, but the window to come back to stays the one before the first."""
        if not lesson.steps:
            return False
        previous = (self.lesson, self.index)
        first = self.lesson is None
        if first:
            scene = self.controller.current_scene()
            for part in (*self.window.panels, self.window.transport):
                part.save_into(scene)  # the view's region too, as File → Save would write it
            self.before = Before(scene, self.window_flags)
            self.opened_at = time.monotonic()
            # Connected now, after the window's own (which shows the panels a look wants).
            self.controller.scene_changed.connect(self._scene_changed)
        self.lesson = lesson
        thumbnails, self.thumbnails = self.thumbnails, {}
        if not self.go(index):
            if first:
                self.leave(restore=False)  # nothing was changed: the scene shown stays as it is
            else:
                self.lesson, self.index = previous
                self.thumbnails = thumbnails
            return False
        for action in self._preset_keys:
            action.setEnabled(False)
        self.next_action.setEnabled(True)
        self.previous_action.setEnabled(True)
        self.bar.show()
        self.changed.emit()
        return True

    def leave(self, restore: bool = True) -> None:
        """Close the lesson: the scene, the view flags and the panels as they were before it
        (``restore=False``: the scene and flags as they are)."""
        if self.presenter is not None:
            self.presenter.close()
        before = self.before
        if self.lesson is not None:
            self.controller.scene_changed.disconnect(self._scene_changed)
        self.lesson, self.index, self.before = None, -1, None
        self._until = None
        self._stops = []
        self.ask.set_ask(None)
        self.caption.clear()
        self._set_panels((), ())
        for action in self._preset_keys:
            action.setEnabled(True)
        self.next_action.setEnabled(False)
        self.previous_action.setEnabled(False)
        self.bar.hide()
        if before is not None and restore:
            self.controller.set_playing(False)
            self.window.apply_scene(before.scene)
            for name, on in before.flags.items():
                self._set_flag(name, on)
        self.changed.emit()

    # ------------------------------------------------------------------ moving
    def next(self) -> None:
        """→ / Page Down: a question's answer first (the race plays), then the next step."""
        if self.lesson is None:
            return
        if self.ask.waiting:
            self.reveal()
        elif self.index + 1 < len(self.lesson.steps):
            self.go(self.index + 1)

    def previous(self) -> None:
        if self.lesson is not None and self.index > 0:
            self.go(self.index - 1)

    def reset_step(self) -> None:
        """The step's scene as the lesson sets it (after the audience played with it)."""
        if self.lesson is not None:
            self.go(self.index)

    def reveal(self) -> None:
        """The question's answer: marked, and the race plays to show it."""
        if self.ask.waiting:
            self.ask.reveal()
            self.controller.set_playing(True)
            self.bar.refresh()
            self.changed.emit()

    def go(self, index: int) -> bool:
        """Show step ``index`` (from 0); False, with a message, if its scene cannot be used."""
        lesson = self.lesson
        if lesson is None or not 0 <= index < len(lesson.steps):
            return False
        step = lesson.steps[index]
        try:
            scene = copy.deepcopy(lesson.scene_of(index))
        except (LessonError, SceneError) as exc:
            QMessageBox.warning(self.window, translate("LessonPlayer", "Cannot show this step"), str(exc))
            return False
        self._grab_thumbnail()
        until = step.until
        self._own_limit = scene.step_limit
        self._stops = sorted({n for n in (step.play, until.step if until is not None and until.kind == "step"
                                          else 0) if n and n > 0})
        if self._stops:
            scene.step_limit = self._stops[0]
        self.controller.set_playing(False)
        locks, self.controller.locks = self.controller.locks, frozenset()  # the lesson's own scene
        if not self.window.apply_scene(scene):
            self.controller.locks = locks
            return False
        self.index = index
        before = self.before.flags if self.before is not None else {}
        for name in VIEW_FLAGS:  # a flag the step does not name: as it was before the lesson
            if name == "presentation" and self.presenter is not None and self.presenter.own_screen:
                continue  # the audience's screen stays full screen while the presenter has its own
            self._set_flag(name, step.view.get(name, before.get(name, False)))
        self._set_panels(step.hide, step.lock)
        self._keep_clear = self._caption_points(index, scene)
        self.ask.set_ask(step.ask)  # before the caption: it keeps clear of the question
        self._show_caption(step)
        self._until = until if until is not None and until.kind != "step" else None
        self.bar.refresh()
        self.changed.emit()
        if step.play > 0 and step.ask is None:
            self.controller.set_playing(True)
        return True

    def _show_caption(self, step) -> None:
        """The step's title and caption on the map (as ``--lesson`` draws them), in the corner
        that hides least of where its runs go."""
        self.caption.show(*caption_of(step))
        self.caption.keep_clear(*self._keep_clear)

    def _caption_points(self, index: int, scene) -> tuple[np.ndarray, np.ndarray]:
        """The minima, the start and, once the engine is ready, the runs' paths to the
        step's play point: what the caption should not cover (the question, over the map,
        it never covers: ``avoid_widgets``); and their weights (a minimum and the start
        count as 25 points of a path, as on the command line)."""
        view = self.window.panels.map
        xs, ys = view.minima.getData()
        start = view.start_marker.pos()
        keep = [np.column_stack([xs, ys]).reshape(-1, 2), np.array([[start.x(), start.y()]])]
        marks = sum(len(k) for k in keep)
        readiness = self.controller.readiness
        if readiness.race_ready and readiness.scene_ready(scene):  # never compiles here
            try:
                race = race_for_scene(scene)
                if race.n_params == 2:  # the map is the parameter plane: the paths are on it
                    race.advance(play_point(self.lesson, index))
                    keep += [along(run.path[:, :2]) for run in race.snapshot().runs]
            except (ValueError, LessonError, SceneError):
                pass
        points = np.concatenate(keep)
        weights = np.ones(len(points))
        weights[:marks] = 25.0
        return points, weights

    # ------------------------------------------------------------------ panels
    def _set_panels(self, hide, lock) -> None:
        """Hide the panels ``hide`` names, disable those ``lock`` names; the others as the
        problem shown wants them, enabled."""
        look = self.controller.look
        for name in self.hidden - set(hide):
            panel = getattr(self.window.panels, name)
            panel.setVisible(panel.shown_for(look))
        for name in self.locked - set(lock):
            getattr(self.window.panels, name).setEnabled(True)
        self.hidden, self.locked = set(hide), set(lock)
        self.controller.locks = frozenset(lock)  # the intents refuse what the step locks
        self._apply_panels()

    def _apply_panels(self) -> None:
        for name in self.hidden:
            getattr(self.window.panels, name).setVisible(False)
        for name in self.locked:
            getattr(self.window.panels, name).setEnabled(False)

    def _refused(self, part: str) -> None:
        if part in REFUSED:
            self.window.notify(shown(REFUSED[part]), 5)

    def _scene_changed(self) -> None:
        if self.lesson is not None:
            self._apply_panels()  # the window showed the new look's panels: hidden ones stay hidden

    # ------------------------------------------------------------------ stops
    def _limit_reached(self) -> None:
        """A stop of the step was reached (the race paused): Space goes on to the next one."""
        if self.lesson is None:
            return
        step = self.controller.race.step if self.controller.race is not None else 0
        self._stops = [n for n in self._stops if n > step]
        own = self._own_limit if self._own_limit is not None and self._own_limit > step else None
        self.controller.set_step_limit(self._stops[0] if self._stops else own)

    def _drawn(self, snapshot) -> None:
        """Every frame drawn: an until met pauses the race (once per opening of the step)."""
        until = self._until
        if until is None or not self.controller.playing or self.controller.timeline.in_past:
            return
        if until.met(snapshot):
            self._until = None
            self.controller.set_playing(False)
            self.window.notify(fill(shown(STOPPED), str(until)), 6)

    def _playing_changed(self, on: bool) -> None:
        if on and self.ask.waiting:
            self.ask.reveal()  # Space plays: the race answers the question
            self.bar.refresh()
            self.changed.emit()

    # ------------------------------------------------------------------ presenter
    def show_presenter(self) -> None:
        if self.lesson is None:
            return
        from .presenter import PresenterView

        if self.presenter is None:
            self.presenter = PresenterView(self)
            self.presenter.destroyed.connect(self._presenter_gone)
        self.presenter.place()

    def _presenter_gone(self, *_) -> None:
        self.presenter = None

    def _grab_thumbnail(self) -> None:
        """The map of the step being left, as the presenter's thumbnail of it."""
        if self.lesson is not None and self.index >= 0 and self.window.panels.map.isVisible():
            pixmap = self.window.panels.map.grab()
            if not pixmap.isNull():
                self.thumbnails[self.index] = pixmap.scaledToWidth(
                    320, Qt.TransformationMode.SmoothTransformation)

    # ------------------------------------------------------------------ language
    def retranslate(self) -> None:
        step = self.step
        if step is None:
            return
        self._show_caption(step)
        self.ask.retranslate()
        self.bar.refresh()
        self.changed.emit()
