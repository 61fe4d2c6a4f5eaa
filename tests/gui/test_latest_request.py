"""gui.support.latest_request: the newest request wins; failures are reported, never fatal."""

import threading

from PySide6.QtCore import Signal

from descentlab.gui.support.latest_request import LatestRequestThread


class Echo(LatestRequestThread):
    """Keeps and emits each request it works on; the first waits until the test lets it go."""

    done = Signal(object)

    def __init__(self):
        super().__init__()
        self.started = threading.Event()
        self.go_on = threading.Event()
        self.worked = []  # filled on the thread, before it is idle again

    def submit(self, request) -> None:
        self._replace(request)

    def work(self, request) -> None:
        self.started.set()
        assert self.go_on.wait(30)
        if request == "boom":
            raise RuntimeError("boom")
        self.worked.append(request)
        self.done.emit(request)


def test_requests_that_wait_are_replaced_by_the_newest(qtbot):
    thread = Echo()
    thread.start()
    try:
        thread.submit(1)
        assert thread.started.wait(30)  # 1 is in flight: it runs to its end
        for n in (2, 3, 4):
            thread.submit(n)
        assert not thread.idle
        thread.go_on.set()
        qtbot.waitUntil(lambda: thread.idle, timeout=30_000)
        assert thread.worked == [1, 4]
    finally:
        assert thread.stop(30_000)


def test_a_failure_is_reported_and_the_thread_works_on(qtbot):
    thread = Echo()
    thread.go_on.set()
    seen = []
    thread.done.connect(seen.append)
    thread.start()
    try:
        with qtbot.waitSignal(thread.failed, timeout=30_000) as failed:
            thread.submit("boom")
        assert "RuntimeError: boom" in failed.args[0]
        thread.submit("after")
        qtbot.waitUntil(lambda: seen == ["after"], timeout=30_000)
    finally:
        assert thread.stop(30_000)


def test_dropping_the_waiting_request_leaves_nothing_to_do(qtbot):
    thread = Echo()
    thread.start()
    try:
        thread.submit(1)
        assert thread.started.wait(30)
        thread.submit(2)
        thread._drop()
        thread.go_on.set()
        qtbot.waitUntil(lambda: thread.idle, timeout=30_000)  # (not idle while 2 waits or runs)
        assert thread.worked == [1]
    finally:
        assert thread.stop(30_000)
