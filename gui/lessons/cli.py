"""``descentlab --lesson NAME|FILE [--lesson-step K] --snapshot out.png`` (or ``--record``):
one step of a lesson drawn without a window, as it looks at its play point. (Without
either, gui/app.py opens the window playing the lesson from step K.)

The step's scene is raced to its play point (:func:`engine.files.lesson.play_point`: its
``play`` steps, or where its ``until`` stops the race), its view flags set (explain,
basins, 3-D, presentation), its hidden panels hidden, and its caption — the step's title
in bold, then what it says, its source small under it — drawn large on the map
(gui/map/caption_layer.py). A bad lesson file or a step past the last is one line on
stderr and exit 2.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

import numpy as np

from descentlab.engine.files.lesson import Lesson, LessonStep, find_lesson, play_point
from descentlab.engine.quoted import quoted

from ..map.caption_layer import along
from ..support.i18n import fill, shown, translate
from .caption_text import caption_of


def parse_lesson_step(text: str) -> int:
    try:
        k = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(fill(translate("CommandLine", "expected a step number like 3, got %1"),
                                              quoted(text))) from None
    if k < 1:
        raise argparse.ArgumentTypeError(fill(translate("CommandLine", "steps are numbered from 1, got %1"), k))
    return k


def add_arguments(p: argparse.ArgumentParser, sources) -> None:
    """``--lesson`` (one of the ``sources``: not with --preset or --scene) and ``--lesson-step``."""
    sources.add_argument("--lesson", metavar="NAME|FILE",
                         help=translate("CommandLine",
                                        "a lesson: a built-in one's name (from-sgd-to-adam) or a lesson file "
                                        "(.toml): the window plays it; with --snapshot or --record, draws one "
                                        "of its steps"))
    p.add_argument("--lesson-step", type=parse_lesson_step, default=1, metavar="K",
                   help=translate("CommandLine",
                                  "the lesson's step to open or draw, from 1 (default 1): its scene at its "
                                  "play point, its caption on the map"))


@dataclass
class LessonShot:
    """One step of a lesson, ready to draw: its scene and the race step it is shown at."""

    lesson: Lesson
    index: int  # from 0
    scene: object
    steps: int

    @property
    def step(self) -> LessonStep:
        return self.lesson.steps[self.index]


def open_step(args) -> LessonShot:
    """The step ``args.lesson_step`` of ``args.lesson``; LessonError (a bad file) or
    ValueError (no such step) with a one-line message. Sets ``args``' view options
    (presentation, explain, basins, view) from the step's ``view`` table."""
    lesson = find_lesson(args.lesson)
    n = len(lesson.steps)
    k = args.lesson_step
    if k > n:
        raise ValueError(fill(translate("CommandLine", "--lesson-step %1: “%2” has %3 steps (1 to %3)"),
                              k, shown(lesson.title), n))
    view = lesson.steps[k - 1].view
    args.presentation = args.presentation or view.get("presentation", False)
    args.explain = args.explain or view.get("explain", False)
    args.basins = args.basins or view.get("basins", False)
    if view.get("view3d") and (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        args.view = "3d"
    return LessonShot(lesson, k - 1, lesson.scene_of(k - 1), play_point(lesson, k - 1))


def dress(window, step: LessonStep, points=None) -> None:
    """The step's look on ``window``: hidden panels, the caption, in the corner of the map
    that hides least of ``points`` (data coordinates; default: the paths as drawn now) and
    of the minima and the start (each as much as 25 points of a path)."""
    for name in step.hide:
        panel = getattr(window.panels, name, None)
        if panel is not None:
            panel.setVisible(False)
    view = window.panels.map
    if points is None:
        points = [along(np.column_stack([rec.xData, rec.yData])) for rec in view._paths.values()
                  if getattr(rec, "xData", None) is not None and len(rec.xData)]
    xs, ys = view.minima.getData()
    start = view.start_marker.pos()
    keep = [np.asarray(p, dtype=float).reshape(-1, 2) for p in points]
    marks = np.vstack([np.column_stack([xs, ys]).reshape(-1, 2), [[start.x(), start.y()]]])
    weights = np.concatenate([np.ones(sum(len(k) for k in keep)), np.full(len(marks), 25.0)])
    view.caption.show(*caption_of(step))
    view.caption.keep_clear(np.concatenate([*keep, marks]), weights)  # a minimum counts as 25 points


def race_points(shot: LessonShot) -> np.ndarray:
    """Where the runs of ``shot`` go up to its play point (a 2-parameter problem's map is
    its parameter plane; other problems: none), for the caption to keep clear of."""
    from descentlab.engine.files.export_data import race_for_scene

    race = race_for_scene(shot.scene)
    if race.n_params != 2:
        return np.zeros((0, 2))
    race.advance(shot.steps)
    paths = [along(run.path[:, :2]) for run in race.snapshot().runs]
    return np.concatenate(paths) if paths else np.zeros((0, 2))


def paint_over_3d(window, picture, step: LessonStep) -> None:
    """The caption over a 3-D picture (``window.grab()``), where the map is not shown."""
    from PySide6.QtGui import QPainter

    from ..map.caption_layer import caption_document, paint_caption

    panel = getattr(window.panels, "view3d", None)
    if panel is None or not panel.active or panel.view is None:
        return
    text, cite = caption_of(step)
    if not text and not cite:
        return
    origin = panel.view.mapTo(window, panel.view.rect().topLeft())
    doc, box, pad = caption_document(text, cite, panel.view.width(), panel.view.height())
    painter = QPainter(picture)
    painter.translate(origin.x() + 10, origin.y() + 10)
    paint_caption(painter, doc, box, pad)
    painter.end()


def window_class(shot: LessonShot):
    """A main window's class for a clip of ``shot`` (gui.clips.recorder builds the window,
    then loads the scene): the window dresses itself each time its scene is loaded, its
    caption placed clear of where the runs will go."""
    from ..main_window import MainWindow

    points = race_points(shot)

    def make(controller, *args, **kwargs):
        window = MainWindow(controller, *args, **kwargs)
        controller.scene_changed.connect(lambda: dress(window, shot.step, points))  # after the window's own
        return window

    return make
