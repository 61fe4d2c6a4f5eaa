"""File → Export data… and ``--export-data``: the race's recorded steps as CSV, the scene
beside it (engine.files.export_data writes both; this module finds the race and checks paths)."""

from __future__ import annotations

import os
from pathlib import Path

from descentlab.engine.files.atomic_file import os_error_text
from descentlab.engine.files.export_data import export_race, race_record, scene_path_for

from ..support.i18n import QT_TRANSLATE_NOOP, fill, shown, translate
from .errors import ExportError


def target_problem(path, suffixes: tuple[str, ...], what: str) -> str | None:
    """Why ``path`` cannot be written (one line), or None if it looks writable. ``what``
    names the file (a marked text: QT_TRANSLATE_NOOP)."""
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        return fill(translate("Export", "%1: %2 must be a %3 file"), path, shown(what),
                    translate("Export", " or ").join(suffixes))
    folder = path.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        return fill(translate("Export", "%1: cannot write there"), path)
    if path.is_dir():
        return fill(translate("Export", "%1: is a folder"), path)
    return None


def data_target_problem(path) -> str | None:
    problem = target_problem(path, (".csv",), QT_TRANSLATE_NOOP("Export", "the data file"))
    if problem is None and scene_path_for(path).is_dir():
        problem = fill(translate("Export", "%1: is a folder (the scene is written there)"), scene_path_for(path))
    return problem


def export_window_data(window, path) -> tuple[Path, Path]:
    """The window's race (as it is now) to ``path`` and its scene beside it.

    Raises ExportError with a one-line message; nothing is left behind then.
    """
    problem = data_target_problem(path)
    if problem:
        raise ExportError(problem)
    controller = window.controller
    if controller.race is None:
        raise ExportError(translate("Export", "there is no race to export yet"))
    scene = controller.current_scene()
    for part in (*window.panels, window.transport):
        part.save_into(scene)
    with controller.lock:  # the worker steps the race under this lock: copy, then let go
        record = race_record(controller.race)
    try:
        return export_race(record, scene, path)
    except OSError as exc:
        raise ExportError(os_error_text(path, exc)) from None


def export_scene_data(scene, path, steps: int) -> tuple[Path, Path]:
    """``--export-data`` without a window: run ``scene`` for ``steps`` steps, write both."""
    from descentlab.engine.files.export_data import race_for_scene

    problem = data_target_problem(path)
    if problem:
        raise ExportError(problem)
    race = race_for_scene(scene)
    race.advance(steps)
    try:
        return export_race(race, scene, path)
    except OSError as exc:
        raise ExportError(os_error_text(path, exc)) from None
