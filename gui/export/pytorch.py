"""File → Export as PyTorch script… / as notebook…, ``--export-torch`` / ``--export-notebook``:
the race as a standalone script or a Jupyter notebook (engine.files.torch_export writes them;
this module finds the race and checks the path)."""

from __future__ import annotations

from pathlib import Path

from descentlab.engine.files.atomic_file import os_error_text, write_atomically
from descentlab.engine.files.export_data import race_for_scene
from descentlab.engine.files.torch_export import torch_notebook, torch_script

from ..support.i18n import QT_TRANSLATE_NOOP, translate
from .data import target_problem
from .errors import ExportError


def torch_target_problem(path) -> str | None:
    """Why ``path`` cannot take the script (one line), or None."""
    return target_problem(path, (".py",), QT_TRANSLATE_NOOP("Export", "the PyTorch script"))


def notebook_target_problem(path) -> str | None:
    """Why ``path`` cannot take the notebook (one line), or None."""
    return target_problem(path, (".ipynb",), QT_TRANSLATE_NOOP("Export", "the notebook"))


def _target_problem(path, notebook: bool) -> str | None:
    return notebook_target_problem(path) if notebook else torch_target_problem(path)


def _write(race, path, title: str, steps: int, notebook: bool) -> Path:
    path = Path(path)
    problem = _target_problem(path, notebook)
    if problem:
        raise ExportError(problem)
    try:
        if notebook:
            text = torch_notebook(race, title=title, steps=steps)
        else:
            text = torch_script(race, title=title, steps=steps, name=path.name)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    try:
        return write_atomically(path, text)
    except OSError as exc:
        raise ExportError(os_error_text(path, exc)) from None


def export_window_torch(window, path, steps: int | None = None, notebook: bool = False) -> Path:
    """The window's race (its runs from step 0, as set now) as a PyTorch script at ``path``
    (a notebook if ``notebook``); its default ``--steps`` (the notebook's ``STEPS``) is
    the race's step (at least 1). ExportError with one line."""
    controller = window.controller
    if controller.race is None:
        raise ExportError(translate("Export", "there is no race to export yet"))
    scene = controller.current_scene()
    with controller.lock:  # the worker steps the race under this lock
        race = controller.race
        steps = max(1, race.step) if steps is None else steps
        return _write(race, path, scene.title, steps, notebook)


def export_scene_torch(scene, path, steps: int, notebook: bool = False) -> Path:
    """``--export-torch`` (``--export-notebook`` if ``notebook``) without a window:
    ``scene``'s race as a script (a notebook) for ``steps`` steps."""
    problem = _target_problem(path, notebook)
    if problem:
        raise ExportError(problem)
    return _write(race_for_scene(scene), path, scene.title, steps, notebook)
