"""The first launch's compiling children on Windows and macOS, simulated on Linux: spawned
(never forked), started without a console window and below the app's priority on Windows,
lowering their own priority elsewhere."""

import os
import subprocess
import sys
import types

import pytest

from descentlab.engine.compile import forked_child, precompile

CREATE_NO_WINDOW, BELOW_NORMAL_PRIORITY_CLASS = 0x08000000, 0x00004000  # Windows' values


@pytest.fixture
def one_thread(monkeypatch):
    """As if no other Python thread ran (pytest's own may)."""
    monkeypatch.setattr(forked_child.threading, "active_count", lambda: 1)


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_no_fork_on_macos_or_windows(monkeypatch, one_thread, platform):
    monkeypatch.setattr(forked_child.sys, "platform", platform)
    assert not forked_child.can_fork()


def test_fork_on_linux_only_where_os_has_fork(monkeypatch, one_thread):
    monkeypatch.setattr(forked_child.sys, "platform", "linux")
    assert forked_child.can_fork() == hasattr(os, "fork")
    monkeypatch.delattr(os, "fork", raising=False)
    assert not forked_child.can_fork()


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_the_children_are_spawned_on_macos_and_windows(monkeypatch, tmp_path, one_thread, platform):
    monkeypatch.setattr(precompile, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(precompile, "child_command",
                        lambda parts: [sys.executable, "-c", "import sys; print('compiled', sys.argv[1], flush=True)",
                                       *parts])
    monkeypatch.setattr(precompile, "ForkedChild", lambda *a, **k: pytest.fail("forked"))
    with monkeypatch.context() as m:
        m.setattr(forked_child.sys, "platform", platform)
        pre = precompile.Precompiler(fork=True).start()
    try:
        assert pre.forked is False
        first = [parts[0] for parts in precompile.PLAN]
        for part in first:
            assert pre.wait(part) and pre.compiled(part)  # reported by a spawned child
    finally:
        pre.stop()


def test_windows_children_have_no_console_and_a_lower_priority(monkeypatch, tmp_path):
    monkeypatch.setattr(subprocess, "CREATE_NO_WINDOW", CREATE_NO_WINDOW, raising=False)
    monkeypatch.setattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", BELOW_NORMAL_PRIORITY_CLASS, raising=False)
    assert precompile.child_creation_flags() == CREATE_NO_WINDOW | BELOW_NORMAL_PRIORITY_CLASS

    started = []

    def popen(cmd, **kwargs):  # record, then fail as a missing executable would
        started.append(kwargs["creationflags"])
        raise OSError("simulated")

    monkeypatch.setattr(precompile, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(precompile.subprocess, "Popen", popen)
    pre = precompile.Precompiler().start()
    assert started == [CREATE_NO_WINDOW | BELOW_NORMAL_PRIORITY_CLASS] * len(precompile.PLAN)
    assert all(pre.done(g) and not pre.compiled(g) for g in precompile.GROUPS)  # the parent compiles


def test_elsewhere_children_get_no_creation_flags(monkeypatch):
    for name in ("CREATE_NO_WINDOW", "BELOW_NORMAL_PRIORITY_CLASS"):
        monkeypatch.delattr(subprocess, name, raising=False)
    assert precompile.child_creation_flags() == 0  # Popen refuses any other off Windows


@pytest.fixture
def no_scipy_change(monkeypatch):
    """_behave_as_a_child hides scipy.linalg; here it finds a stand-in and leaves it."""
    monkeypatch.setitem(sys.modules, "scipy.linalg", types.ModuleType("scipy.linalg"))


def test_a_posix_child_lowers_its_own_priority(monkeypatch, no_scipy_change):
    niced = []
    monkeypatch.setattr(os, "nice", niced.append, raising=False)
    precompile._behave_as_a_child(None)
    assert niced == [10]


def test_a_windows_child_has_no_nice_and_does_without(monkeypatch, no_scipy_change):
    monkeypatch.delattr(os, "nice", raising=False)  # Windows has none: Popen's flags did it
    precompile._behave_as_a_child(None)
