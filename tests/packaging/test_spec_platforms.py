"""packaging/descentlab.spec per platform, without PyInstaller building anything: the spec is
run as PyInstaller runs it, with sys.platform patched and its build steps (Analysis, EXE,
COLLECT, BUNDLE, …) replaced by recorders, over a copy of the few files it reads."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from packaging_helpers import ROOT

pytest.importorskip("PyInstaller", reason="PyInstaller is in the test extra: pip install -e '.[test]'")


def run_spec(monkeypatch, tmp_path: Path, platform: str, *, icons=("png", "ico"), args=(),
             pillow: bool = True) -> dict:
    """What the spec asks of PyInstaller on ``platform``: {step name: its keyword arguments}."""
    root = tmp_path / "tree"
    (root / "packaging").mkdir(parents=True)
    shutil.copy(ROOT / "packaging" / "descentlab.spec", root / "packaging")
    (root / "engine").mkdir()
    shutil.copy(ROOT / "engine" / "_version.py", root / "engine")
    (root / "gui").mkdir()
    (root / "resources" / "icons").mkdir(parents=True)
    for suffix in icons:
        (root / "resources" / "icons" / f"descentlab.{suffix}").write_bytes(b"icon")

    import PyInstaller.depend.bindepend  # noqa: F401  (imported for real, before the platform is patched)
    import PyInstaller.utils.hooks as hooks

    monkeypatch.setattr(hooks, "collect_submodules", lambda name: [])
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(sys, "argv", ["descentlab.spec", *args])  # as PyInstaller sets it
    if not pillow:
        import importlib.util

        real = importlib.util.find_spec
        monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "PIL" else real(name, *a))

    calls: dict = {}

    def step(name):
        def record(*args, **kwargs):
            calls[name] = kwargs
            return SimpleNamespace(binaries=[], datas=[], pure=[], scripts=[])
        return record

    names = ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")
    spec_globals = {n: step(n) for n in names} | {"SPECPATH": str(root / "packaging"), "__name__": "__main__"}
    code = (root / "packaging" / "descentlab.spec").read_text(encoding="utf-8")
    exec(compile(code, "descentlab.spec", "exec"), spec_globals)  # noqa: S102 - our own spec file
    return calls


def icon(calls, step="EXE") -> str | None:
    path = calls[step]["icon"]
    return Path(path).name if path else None


def test_windows_gets_the_ico_a_windowed_exe_and_no_bundle(monkeypatch, tmp_path):
    calls = run_spec(monkeypatch, tmp_path, "win32")
    assert icon(calls) == "descentlab.ico"
    assert calls["EXE"]["console"] is False
    assert "BUNDLE" not in calls


def test_windows_console_on_request(monkeypatch, tmp_path):
    assert run_spec(monkeypatch, tmp_path, "win32", args=["--console"])["EXE"]["console"] is True


def test_macos_gets_a_windowed_app_bundle_with_the_icns(monkeypatch, tmp_path):
    calls = run_spec(monkeypatch, tmp_path, "darwin", icons=("png", "ico", "icns"))
    assert calls["EXE"]["console"] is False
    assert icon(calls) == icon(calls, "BUNDLE") == "descentlab.icns"
    bundle = calls["BUNDLE"]
    assert bundle["name"] == "Descent Lab.app"  # build.py's executable() and ditto look for it
    assert bundle["bundle_identifier"] == "org.descentlab.DescentLab"
    version = (ROOT / "engine" / "_version.py").read_text().split('"')[1]
    assert bundle["version"] == bundle["info_plist"]["CFBundleShortVersionString"] == version
    assert bundle["info_plist"]["NSHighResolutionCapable"] is True


def test_macos_without_an_icns_converts_the_png_if_pillow_is_there(monkeypatch, tmp_path):
    assert icon(run_spec(monkeypatch, tmp_path, "darwin")) == "descentlab.png"


def test_macos_without_an_icns_nor_pillow_keeps_the_default_icon(monkeypatch, tmp_path, capsys):
    assert icon(run_spec(monkeypatch, tmp_path, "darwin", pillow=False)) is None
    assert "default icon" in capsys.readouterr().out


def test_linux_keeps_its_console_and_carries_no_icon(monkeypatch, tmp_path):
    calls = run_spec(monkeypatch, tmp_path, "linux", icons=("png", "ico", "icns"))
    assert calls["EXE"]["console"] is True
    assert icon(calls) is None  # the window's icon is set at run time from the .png
    assert "BUNDLE" not in calls
    assert calls["COLLECT"]["name"] == "descentlab"
