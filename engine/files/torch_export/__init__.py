"""A race as a standalone PyTorch script or notebook (File → Export as PyTorch script… and
Export as notebook…, ``--export-torch``, ``--export-notebook``).

The script rebuilds the problem in torch, creates each run's ``torch.optim`` optimizer and lr
scheduler with the run's settings, steps them and prints a leaderboard; ``--save paths.npz``
writes the paths, which equal the engine's (see :mod:`.script_source`). The notebook is the
same code in cells, with markdown between them (:mod:`.notebook_source`).
"""

from __future__ import annotations

from pathlib import Path

from ..atomic_file import write_atomically
from .notebook_source import torch_notebook
from .script_source import torch_script


def write_torch_script(race, path, title: str = "", steps: int = 300) -> Path:
    """Write ``race`` as a PyTorch script to ``path`` (atomically); ValueError if it cannot be."""
    path = Path(path)
    text = torch_script(race, title=title, steps=steps, name=path.name)
    return write_atomically(path, text)


def write_torch_notebook(race, path, title: str = "", steps: int = 300) -> Path:
    """Write ``race`` as a notebook (.ipynb) to ``path`` (atomically); ValueError if it cannot be."""
    return write_atomically(Path(path), torch_notebook(race, title=title, steps=steps))


__all__ = ["torch_notebook", "torch_script", "write_torch_notebook", "write_torch_script"]
