"""Faults in front of an audience: a failing race, Ctrl+C, closing while compiling."""

import os
import signal
import subprocess
import sys
import tempfile

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def test_an_exception_in_the_worker_is_shown_logged_and_survivable(window, qtbot, monkeypatch):
    c = window.controller
    log = os.path.join(os.environ["DESCENTLAB_LOG_DIR"], "descentlab.log")
    before = open(log).read() if os.path.exists(log) else ""
    problem = c.race.problem
    original = type(problem).advance

    def broken(self, *args):
        raise FloatingPointError("injected fault for the test")

    monkeypatch.setattr(type(problem), "advance", broken)
    QTest.keyClick(window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: "injected fault" in window.status.text(), timeout=10_000)
    assert window.status.isVisible()  # (a status-bar message would sit hidden behind it)
    assert "injected fault for the test" in open(log).read()[len(before):]
    assert c.worker.isRunning()
    monkeypatch.setattr(type(problem), "advance", original)
    QTest.keyClick(window, Qt.Key.Key_R)
    QTest.keyClick(window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: c.race.step == 1, timeout=10_000)


DRIVER = r"""
import sys
from descentlab.gui import main_window
show = main_window.MainWindow.show
def shown(self):
    show(self)
    print("shown", flush=True)
main_window.MainWindow.show = shown
from descentlab.gui.app import main
sys.exit(main([]))
"""


def run_and_interrupt(cache_dir: str, sig=signal.SIGINT) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESCENTLAB_CACHE_DIR=cache_dir)
    proc = subprocess.Popen([sys.executable, "-c", DRIVER], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "shown"
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_ctrl_c_while_kernels_compile_exits_cleanly():
    with tempfile.TemporaryDirectory() as empty_cache:
        result = run_and_interrupt(empty_cache)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "QThread: Destroyed" not in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_during_a_warm_start_exits_cleanly(tmp_path):
    result = run_and_interrupt(str(tmp_path))  # fills the cache (may be interrupted)
    result = run_and_interrupt(str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "QThread: Destroyed" not in result.stderr
    assert "Traceback" not in result.stderr


def compiling_children(cache_dir: str, app: int) -> list[int]:
    """The compiling children of process ``app`` working for ``cache_dir`` (Linux: read
    from /proc): spawned (``engine.compile.precompile`` on their command line) or forked."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
            with open(f"/proc/{entry}/environ", "rb") as f:
                environ = f.read()
            with open(f"/proc/{entry}/stat", "rb") as f:
                parent = int(f.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if cache_dir.encode() in environ and (b"engine.compile.precompile" in cmdline or parent == app):
            found.append(int(entry))
    return found


def ended(pid: int, timeout: float) -> bool:
    """Whether process ``pid`` ends (or has ended) within ``timeout`` seconds."""
    import select

    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], timeout)[0])  # readable once it ended
    finally:
        os.close(fd)


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc")
def test_terminating_a_first_launch_ends_the_compiling_children_too():
    with tempfile.TemporaryDirectory() as empty_cache:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESCENTLAB_CACHE_DIR=empty_cache)
        proc = subprocess.Popen([sys.executable, "-c", DRIVER], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "shown"
        children = compiling_children(empty_cache, proc.pid)
        assert len(children) == 2  # started before the window
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err[-2000:]
        assert "Traceback" not in err
        assert all(ended(pid, 60) for pid in children)
