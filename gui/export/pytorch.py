"""File → Export as PyTorch script… and ``--export-torch``: the race as a standalone script
(engine.files.torch_export writes it; this module finds the race and checks the path)."""

from __future__ import annotations

from pathlib import Path

from descentlab.engine.files.atomic_file import os_error_text, write_atomically
from descentlab.engine.files.export_data import race_for_scene
from descentlab.engine.files.torch_export import torch_script

from .data import target_problem
from .errors import ExportError


def torch_target_problem(path) -> str | None:
    """Why ``path`` cannot take the script (one line), or None."""
    return target_problem(path, (".py",), "the PyTorch script")


def _write(race, path, title: str, steps: int) -> Path:
    path = Path(path)
    problem = torch_target_problem(path)
    if problem:
        raise ExportError(problem)
    try:
        text = torch_script(race, title=title, steps=steps, name=path.name)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    try:
        return write_atomically(path, text)
    except OSError as exc:
        raise ExportError(os_error_text(path, exc)) from None


def export_window_torch(window, path, steps: int | None = None) -> Path:
    """The window's race (its runs from step 0, as set now) as a PyTorch script at ``path``;
    its default ``--steps`` is the race's step (at least 1). ExportError with one line."""
    controller = window.controller
    if controller.race is None:
        raise ExportError("there is no race to export yet")
    scene = controller.current_scene()
    with controller.lock:  # the worker steps the race under this lock
        race = controller.race
        steps = max(1, race.step) if steps is None else steps
        return _write(race, path, scene.title, steps)


def export_scene_torch(scene, path, steps: int) -> Path:
    """``--export-torch`` without a window: ``scene``'s race as a script for ``steps`` steps."""
    problem = torch_target_problem(path)
    if problem:
        raise ExportError(problem)
    return _write(race_for_scene(scene), path, scene.title, steps)
