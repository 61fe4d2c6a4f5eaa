"""The preset scenes shipped in resources/presets (TOML files, validated like any scene)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from descentlab.engine.files.scene import Scene, SceneError, load_scene
from descentlab.engine.quoted import quoted

from .i18n import fill, translate
from .resources import presets_dir


@dataclass
class Preset:
    name: str  # the file's stem: what --preset takes
    title: str
    scene: Scene
    path: Path


def list_presets(folder: Path | None = None) -> list[Preset]:
    """Every valid preset, in file-name order. A broken file is skipped, never fatal.

    Dataset presets are checked without building their problems (that can compile
    kernels, and this runs before the window's first paint); tests/gui builds them all.
    """
    folder = folder or presets_dir()
    presets = []
    for path in sorted(folder.glob("*.toml")):
        try:
            scene = load_scene(path, build=False)
        except SceneError:
            continue
        presets.append(Preset(preset_name(path), scene.title or path.stem, scene, path))
    return presets


def preset_name(path: Path) -> str:
    """'03-rosenbrock-valley.toml' → 'rosenbrock-valley'."""
    stem = path.stem
    head, _, rest = stem.partition("-")
    return rest if head.isdigit() and rest else stem


def find_preset(name: str, folder: Path | None = None) -> Preset:
    presets = list_presets(folder)
    for p in presets:
        if name in (p.name, p.path.stem):
            return p
    names = ", ".join(p.name for p in presets)
    raise SceneError(fill(translate("Presets", "unknown preset %1; choose one of: %2"), quoted(name), names))
