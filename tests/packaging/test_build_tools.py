"""packaging/build.py and packaging/smoke.py helpers that need no PyInstaller run (fast)."""

from __future__ import annotations

import os
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging_helpers import ROOT, build, smoke

from descentlab import engine


def test_the_version_is_the_engines():
    assert build.version() == engine.__version__


def test_the_platform_tag_names_system_and_machine():
    system, machine = build.platform_tag().split("-", 1)
    assert system in ("linux", "windows", "macos", "freebsd") or system == sys.platform
    assert machine and " " not in machine


def test_the_default_archive_is_zip_on_windows_and_macos_and_tar_gz_elsewhere():
    expected = "zip" if sys.platform in ("win32", "darwin") else "gztar"
    assert build.default_archive_format() == expected


def test_the_inputs_digest_is_stable():
    assert build.inputs_digest() == build.inputs_digest()


def tree(root: Path) -> Path:
    folder = root / "descentlab"
    (folder / "_internal" / "lib").mkdir(parents=True)
    (folder / "descentlab").write_bytes(b"#!/bin/sh\necho hi\n")
    (folder / "descentlab").chmod(0o755)
    (folder / "_internal" / "lib" / "libthing.so.1").write_bytes(os.urandom(4096))
    if hasattr(os, "symlink") and sys.platform != "win32":
        os.symlink("lib/libthing.so.1", folder / "_internal" / "libthing.so.1")
    return folder


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_tar_gz_keeps_symbolic_links_and_the_executable_bit(tmp_path):
    folder = tree(tmp_path / "src")
    out = build.make_archive(folder, tmp_path / "out" / "descentlab-1.0-linux-x86_64", "gztar")
    assert out.name == "descentlab-1.0-linux-x86_64.tar.gz"
    with tarfile.open(out) as tar:
        members = {m.name: m for m in tar.getmembers()}
    link = members["descentlab/_internal/libthing.so.1"]
    assert link.issym() and link.linkname == "lib/libthing.so.1"
    assert members["descentlab/descentlab"].mode & 0o111


def test_a_zip_holds_the_folder_under_its_name(tmp_path):
    folder = tree(tmp_path / "src")
    out = build.make_archive(folder, tmp_path / "out" / "descentlab-1.0-windows-x86_64", "zip")
    assert out.suffix == ".zip"
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
    assert "descentlab/_internal/lib/libthing.so.1" in names
    assert all(n.startswith("descentlab/") for n in names)


def test_dev_leftovers_are_recognised():
    for name in ("__pycache__", "x.nbi", "x.nbc", "x.pyc"):
        assert build.is_dev_leftover(Path("a") / name)
    for name in ("x.py", "x.toml", "x.png", "x.so"):
        assert not build.is_dev_leftover(Path("a") / name)


def test_the_spec_has_no_absolute_paths():
    spec = (ROOT / "packaging" / "descentlab.spec").read_text(encoding="utf-8")
    for marker in ("/root/", "/home/", "/work/", "C:\\", "/Users/", "site-packages"):
        assert marker not in spec


# ---------------------------------------------------------------- the picture check itself


def test_a_blank_picture_is_rejected_and_a_busy_one_accepted(tmp_path):
    from PySide6.QtGui import QColor, QImage, QPainter

    blank = QImage(1280, 800, QImage.Format.Format_RGB32)
    blank.fill(QColor("white"))
    blank.save(str(tmp_path / "blank.png"))
    assert smoke.picture_problems(tmp_path / "blank.png")

    busy = QImage(1280, 800, QImage.Format.Format_RGB32)
    busy.fill(QColor("white"))
    p = QPainter(busy)
    for i in range(0, 1280, 5):
        p.fillRect(i, (i * 7) % 800, 5, 800 - (i * 7) % 800, QColor.fromHsv(i % 360, 200, 200))
    p.end()
    busy.save(str(tmp_path / "busy.png"))
    assert smoke.picture_problems(tmp_path / "busy.png") == []
    assert smoke.picture_problems(tmp_path / "busy.png", size=(640, 400))  # wrong size
    assert smoke.picture_problems(tmp_path / "missing.png")


def test_cache_changes_report_new_and_rewritten_files():
    before = {"a.nbi": (10, 1), "a.1.nbc": (20, 1)}
    assert smoke.cache_changes(before, dict(before)) == []
    assert smoke.cache_changes(before, {**before, "b.nbi": (5, 2)}) == ["b.nbi"]
    assert smoke.cache_changes(before, {**before, "a.nbi": (10, 2)}) == ["a.nbi"]
