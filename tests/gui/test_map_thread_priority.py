"""The map thread lowers its own CPU priority where the OS lets a thread do that (Linux,
macOS), and does without on Windows, which has no os.setpriority (simulated here)."""

import os
import threading

from descentlab.gui.map import map_thread


def test_the_map_thread_lowers_its_priority_where_it_can(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "setpriority", lambda *args: calls.append(args), raising=False)
    monkeypatch.setattr(os, "PRIO_PROCESS", 0, raising=False)
    map_thread._be_nice()
    assert calls == [(0, threading.get_native_id(), map_thread.MAP_NICENESS)]


def test_windows_has_no_setpriority_and_the_map_thread_does_without(monkeypatch):
    monkeypatch.delattr(os, "setpriority", raising=False)
    map_thread._be_nice()  # no AttributeError


def test_a_refused_priority_change_is_not_an_error(monkeypatch):
    def refuse(*args):
        raise PermissionError("not allowed")

    monkeypatch.setattr(os, "setpriority", refuse, raising=False)
    map_thread._be_nice()
