"""Where the app's data files are: the source tree, an installed copy or a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)  # PyInstaller unpacks data beside the code
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"  # gui/support/ → the package


def presets_dir() -> Path:
    return resources_dir() / "presets"


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / name
