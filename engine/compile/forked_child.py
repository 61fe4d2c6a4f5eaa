"""A child process forked from this one, with the part of ``subprocess.Popen`` a caller reads.

A forked child starts with everything this process has imported (NumPy, Numba, the
engine): a spawned interpreter spends ≈ 0.6 s on those before it does any work. Forking
is only safe where the platform allows it after such imports (Linux: macOS's system
libraries do not survive a fork, Windows has none) and while this process runs no other
Python thread, which could hold a lock the child then waits for forever: see
:func:`can_fork`.

The child runs ``work(out, lifeline)`` and ends with ``os._exit`` (no exit handlers of the parent's,
no flushing of the parent's buffers): 0 if ``work`` returned, 1 if it raised (the
traceback goes to ``out``). Its output (``out``, and its file descriptors 1 and 2) is this
object's ``stdout``. It holds the read end of a pipe whose write end only the parent has
(``stdin``): when that closes — the parent closed it or died — ``lifeline`` is at its end.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import traceback


def can_fork() -> bool:
    """Whether forking this process now is safe: Linux, and no Python thread but this one."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


class ForkedChild:
    """``ForkedChild(work, close=fds)``: fork, and run ``work(out, lifeline)`` in the child.

    ``close``: file descriptors of this process that the child must not keep open (the
    pipes of its siblings, so that a sibling's lifeline ends with the parent alone).
    """

    def __init__(self, work, close=()):
        out_read, out_write = os.pipe()
        life_read, life_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _run_child(work, out_write, life_read, (out_read, life_write, *close))
        os.close(out_write)
        os.close(life_read)
        self.pid = pid
        self.args = ("fork", pid)
        self.stdout = os.fdopen(out_read, "r", encoding="utf-8", errors="replace")
        self.stdin = os.fdopen(life_write, "w")
        self.returncode: int | None = None
        self._lock = threading.Lock()

    def fds(self) -> tuple[int, ...]:
        """This object's own file descriptors (for the next sibling to close)."""
        return tuple(f.fileno() for f in (self.stdout, self.stdin) if not f.closed)

    def poll(self) -> int | None:
        with self._lock:
            if self.returncode is None:
                try:
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                except ChildProcessError:  # reaped already (someone waited on every child)
                    pid, status = self.pid, 0
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
            return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.args, timeout)
            time.sleep(0.01)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass


def _run_child(work, out_fd: int, life_fd: int, close) -> None:
    code = 1
    try:
        for fd in close:
            try:
                os.close(fd)
            except OSError:
                pass
        os.dup2(out_fd, 1)  # what anything prints (Numba's warnings too) goes to the parent
        os.dup2(out_fd, 2)
        out = os.fdopen(out_fd, "w", encoding="utf-8", errors="replace")
        lifeline = os.fdopen(life_fd, "r")
        try:
            work(out, lifeline)
            code = 0
        except BaseException:  # noqa: BLE001 - whatever it was, the parent reads it
            traceback.print_exc(file=out)
        out.flush()
    finally:
        os._exit(code)
