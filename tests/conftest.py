"""Test setup shared by every test: Qt renders offscreen, logs go to a temporary folder."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DESCENTLAB_LOCALE", "en_US")  # the window in English whatever the machine speaks
os.environ.setdefault("DESCENTLAB_LOG_DIR", tempfile.mkdtemp(prefix="descentlab-test-logs-"))


# The files that take longest, longest first (seconds of one worker, measured on 2 loaded
# cores, December 2026). pytest-xdist's --dist loadfile hands out files in order of their
# number of tests, so a long file with few tests (the frozen build: 11) used to start late and
# finish alone while the other worker idled. Starting these first lets the many short files
# fill in around them, and both workers end together.
LONGEST_FIRST = (
    "tests/packaging/test_frozen_app.py",
    "tests/engine/test_shipped_kernels.py",
    "tests/gui/test_clips.py",
    "tests/gui/test_chinese_walk.py",
    "tests/gui/test_cli.py",
    "tests/gui/test_window.py",
    "tests/packaging/test_wheel.py",  # 3 tests, 40 s of CPU: builds and installs a wheel
)


def pytest_xdist_make_scheduler(config, log):
    """--dist loadfile, with the files of LONGEST_FIRST handed out before the others."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LongestFirst(LoadFileScheduling):
        def _assign_work_unit(self, node):
            if not getattr(self, "_longest_first", False):
                self._longest_first = True
                for scope in reversed(LONGEST_FIRST):
                    if scope in self.workqueue:
                        self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return LongestFirst(config, log)
