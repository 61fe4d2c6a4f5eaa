"""A missing X11 library is named in one line before Qt can abort (exit 2, not 134)."""

import subprocess
import sys

import pytest

from descentlab.gui import app
from descentlab.gui.support import platform_check
from descentlab.gui.support.platform_check import XCB_LIBRARIES, platform_will_be_xcb, xcb_problem


def test_xcb_is_expected_on_linux_unless_another_platform_is_asked_for():
    assert platform_will_be_xcb({}, "linux")
    assert platform_will_be_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not platform_will_be_xcb({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not platform_will_be_xcb({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux")
    assert not platform_will_be_xcb({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"},
                                    "linux")
    assert not platform_will_be_xcb({}, "win32") and not platform_will_be_xcb({}, "darwin")


def test_the_message_names_the_library_and_its_packages():
    line = xcb_problem(loadable=lambda so: so != "libxcb-cursor.so.0")
    assert "\n" not in line
    assert "libxcb-cursor.so.0" in line and "(and" not in line
    assert "apt install libxcb-cursor0" in line and "dnf install xcb-util-cursor" in line
    assert xcb_problem(loadable=lambda so: True) is None


def test_several_missing_libraries_are_counted_and_all_installed_at_once():
    line = xcb_problem(loadable=lambda so: so not in ("libxcb-icccm.so.4", "libxcb-keysyms.so.1"))
    assert "libxcb-icccm.so.4 (and 1 more)" in line
    assert "apt install libxcb-icccm4 libxcb-keysyms1" in line


def test_the_table_covers_what_qt_needs_first():
    for so in ("libxcb-cursor.so.0", "libxkbcommon-x11.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"):
        assert so in XCB_LIBRARIES


def test_the_command_line_stops_with_one_line_and_exit_2(monkeypatch, capsys):
    monkeypatch.setattr(platform_check, "_loadable", lambda so: so != "libxcb-cursor.so.0")
    monkeypatch.setattr(platform_check, "platform_will_be_xcb", lambda: True)
    monkeypatch.setattr(app, "run_app", lambda *a, **k: (_ for _ in ()).throw(AssertionError("Qt started")))
    assert app.main([]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("descentlab: ") and "libxcb-cursor0" in err[0]


WINDOW_PATHS = {
    "snapshot": ["--snapshot", "{tmp}/out.png"],
    "3d snapshot": ["--view", "3d", "--snapshot", "{tmp}/out.png"],
    "record": ["--record", "{tmp}/clip.gif", "--steps", "5"],
}


@pytest.mark.parametrize("path", WINDOW_PATHS, ids=list(WINDOW_PATHS))
def test_every_command_line_path_with_a_window_checks_first(path, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")  # asked for, so not replaced by offscreen
    monkeypatch.setattr(platform_check, "_loadable", lambda so: so != "libxcb-icccm.so.4")
    never = lambda *a, **k: (_ for _ in ()).throw(AssertionError("Qt started"))  # noqa: E731
    monkeypatch.setattr(app, "run_snapshot", never)
    monkeypatch.setattr(app.clip_cli, "run_record", never)
    assert app.main([arg.format(tmp=tmp_path) for arg in WINDOW_PATHS[path]]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("descentlab: ") and "libxcb-icccm4" in err[0]


def test_an_offscreen_snapshot_needs_no_x11_library(monkeypatch, tmp_path):
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(platform_check, "_loadable", lambda so: False)
    monkeypatch.setattr(app, "run_snapshot", lambda *a, **k: 0)
    assert app.main(["--snapshot", str(tmp_path / "out.png")]) == 0


def test_a_real_launch_without_the_libraries_says_so(tmp_path):
    """On a machine where a library of the table is missing, the real app says so (exit 2);
    where all are present, the check passes silently (then only the message test runs)."""
    if not platform_check.missing_xcb_libraries():
        assert xcb_problem() is None
        return
    for extra in ([], *WINDOW_PATHS.values()):
        out = subprocess.run([sys.executable, "-m", "descentlab.gui.app",
                              *(arg.format(tmp=tmp_path) for arg in extra)],
                             env={"QT_QPA_PLATFORM": "xcb", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 2, out.stderr
        assert out.stderr.count("\n") == 1 and "apt install" in out.stderr
