import contextlib
import tempfile

import pytest
from PySide6.QtCore import QSettings

# The window remembers its geometry in QSettings: tests never read or write the user's own.
SETTINGS_DIR = tempfile.mkdtemp(prefix="descentlab-test-settings-")
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
for _scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
    QSettings.setPath(QSettings.Format.IniFormat, _scope, SETTINGS_DIR)


@pytest.fixture(scope="session", autouse=True)
def compiled_kernels():
    """Compile every kernel group once, as a first launch would (in child processes).

    Without this, each window test on an empty cache would start compiling children of
    its own and end them again when its window closes.
    """
    from descentlab.engine.compile import precompile

    precompile.compile_all()


@contextlib.contextmanager
def open_window(qtbot, monkeypatch, register=lambda win: None):
    """The main window with its worker running and the default scene loaded; closed after.
    ``register(window)`` is called before it is shown (``qtbot.addWidget``)."""
    import shiboken6
    from PySide6.QtWidgets import QApplication, QMessageBox

    from descentlab.gui.app import DEFAULT_PRESET
    from descentlab.gui.control.controller import RaceController
    from descentlab.gui.main_window import MainWindow
    from descentlab.gui.support.presets import find_preset

    font = QApplication.font()  # presentation mode enlarges the application's font
    messages = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text, *a, **k: messages.append(text))
    controller = RaceController()
    win = MainWindow(controller)
    win.messages = messages
    register(win)
    fields = win.panels.map.fields
    try:
        win.show()
        controller.start()
        win.apply_scene(find_preset(DEFAULT_PRESET).scene)
        qtbot.waitUntil(lambda: controller.is_ready and controller.race is not None,
                        timeout=60_000)
        yield win
    finally:
        win.close()
        QApplication.setFont(font)
        # A thread may still be inside a compile (cold cache): it ends by itself. (The map's
        # thread may be deleted already, with the window pytest-qt closed: then it has ended.)
        qtbot.waitUntil(lambda: not controller.worker.isRunning()
                        and not (shiboken6.isValid(fields) and fields.isRunning()), timeout=120_000)


@pytest.fixture
def window(qtbot, monkeypatch):
    """The main window with its worker running and the default scene loaded."""
    with open_window(qtbot, monkeypatch, register=qtbot.addWidget) as win:
        yield win


@pytest.fixture(scope="module")
def module_window(qapp, request):
    """One ``window`` shared by a module's tests (for tests that only look, each leaving it as
    it found it): a window costs seconds to open and close."""
    from pytestqt.qtbot import QtBot

    with pytest.MonkeyPatch.context() as monkeypatch, open_window(QtBot(request), monkeypatch) as win:
        yield win
