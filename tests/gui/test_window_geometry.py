"""The window opens fitted to its screen, centred, then where it last closed; --snapshot and
--record neither use nor overwrite what it remembers. (QSettings point at a temporary folder:
tests/gui/conftest.py; the child processes get one of their own.)"""

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QRect, QSettings, QSize

from descentlab.gui import app
from descentlab.gui.support.presets import find_preset
from descentlab.gui.support.window_geometry import GEOMETRY_KEY, fitted_rect

# One launch of the interactive window in a child process whose offscreen screen is
# 1920 × 1080 (this process's is 800 × 800, narrower than the window's least width):
# prints where it opened, then moves it to argv[2] (if given) and closes it.
LAUNCH = """
import sys
from PySide6.QtCore import QRect, QSettings
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[1])
from descentlab.gui import app
from descentlab.gui.control.controller import RaceController
from descentlab.gui.main_window import MainWindow
qt = app._application()
win = MainWindow(RaceController())
win.remember_geometry()
win.show()
qt.processEvents()
print(win.geometry().getRect(), flush=True)
if len(sys.argv) > 2:
    win.setGeometry(QRect(*map(int, sys.argv[2].split(","))))
    qt.processEvents()
win.close()
"""


def launch(tmp_path, move_to: str | None = None) -> str:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "hd", "x": 0, "y": 0, "width": 1920,
                                               "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96,
                                               "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    out = subprocess.run([sys.executable, "-c", LAUNCH, str(tmp_path / "settings"),
                          *([move_to] if move_to else [])], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


@pytest.fixture
def settings():
    s = QSettings()
    s.remove(GEOMETRY_KEY)
    yield s
    s.remove(GEOMETRY_KEY)


def test_the_fitted_size_is_85_percent_of_the_screen_and_centred():
    full_hd = QRect(0, 0, 1920, 1080)
    rect = fitted_rect(full_hd)
    assert (rect.width(), rect.height()) == (1632, 918) and rect.center() == full_hd.center()
    second = QRect(1920, 40, 1280, 984)  # a screen to the right, under a top bar
    rect = fitted_rect(second)
    assert second.contains(rect) and rect.center() == second.center()
    small = QRect(0, 0, 1024, 600)  # the window's least size wins, within the screen
    rect = fitted_rect(small, least=QSize(900, 640))
    assert (rect.width(), rect.height()) == (900, 600) and small.contains(rect)


def test_the_window_opens_fitted_and_then_where_it_last_closed(tmp_path):
    assert launch(tmp_path, "100,60,1200,800") == "(144, 81, 1632, 918)"  # 85 %, centred
    assert launch(tmp_path) == "(100, 60, 1200, 800)"


def test_a_snapshot_neither_uses_nor_overwrites_the_saved_geometry(qtbot, settings, tmp_path):
    settings.setValue(GEOMETRY_KEY, b"not a geometry")
    target = tmp_path / "shot.png"
    assert app.run_snapshot(find_preset(app.DEFAULT_PRESET).scene, target, 3, (900, 600)) == 0
    from PySide6.QtGui import QImage

    image = QImage(str(target))
    assert (image.width(), image.height()) == (900, 600)
    assert settings.value(GEOMETRY_KEY) == b"not a geometry"
