"""The 3-D view where OpenGL is missing (this process renders offscreen: Qt has no OpenGL
there): the action is disabled and says why, key 3 says it too, nothing is built, nothing
breaks. The view itself is tested for real on an X screen: test_view3d_gl.py."""

import os
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from descentlab.gui.view3d.gl_check import opengl_problem


def test_without_opengl_the_action_is_disabled_and_says_why(window, qtbot):
    reason = opengl_problem()
    assert reason is not None and "OpenGL" in reason and "offscreen" in reason
    action = window.view3d_action
    assert not action.isEnabled() and "needs OpenGL" in action.text()
    assert action.toolTip() == reason and action.statusTip() == reason
    assert not window.log_height_action.isEnabled()
    assert action.shortcut().toString() == "3"
    QTest.keyClick(window, Qt.Key.Key_3)  # a disabled action's key: explained in the status line
    assert "OpenGL" in window.status.text()
    panel = window.panels.view3d
    assert not panel.active and panel.isHidden() and panel.view is None
    window.centre.show_3d(True)  # asked anyway (a script, --view 3d): refused, not built
    assert not panel.active and panel.view is None
    assert window.panels.map.isVisible() and window.panels.map.height() > 300
    snap = window.advance_and_draw(20)  # the race and the map go on as ever
    assert snap.step == 20 and not panel.active


def test_view_3d_snapshot_without_opengl_exits_with_the_reason(tmp_path):
    code = "import sys; from descentlab.gui.app import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run([sys.executable, "-c", code, "--preset", "himmelblau", "--view", "3d", "--snapshot",
                             str(tmp_path / "x.png"), "--steps", "5"], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 2
    assert "--view 3d" in result.stderr and "OpenGL" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()
