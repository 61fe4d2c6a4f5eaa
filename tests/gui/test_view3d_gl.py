"""The 3-D view for real: OpenGL on an X screen (Xvfb with Mesa's software renderer).

This test process renders offscreen, where Qt has no OpenGL at all; so each test runs a
child process on an Xvfb started here (tests/gui/view3d_probe.py, or the command line)
and asserts on what it reports and on its pictures. Without Xvfb the tests fail under CI
(the CI script installs it) and are skipped, saying so, elsewhere.
"""

import json
import os
import select
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from gui_helpers import qimage_to_array
from PySide6.QtGui import QImage

from descentlab.gui.support.platform_check import xcb_problem

PROBE = Path(__file__).with_name("view3d_probe.py")
NEEDS = "apt-get install xvfb xauth libgl1-mesa-dri libglx-mesa0 libxcb-cursor0 (see .ci/run)"


def _missing(reason: str):
    message = f"the 3-D tests need a real X screen with OpenGL: {reason}; {NEEDS}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def x_display():
    """An Xvfb of our own on a free display number (Xvfb picks it: -displayfd)."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        _missing("Xvfb is not installed")
    problem = xcb_problem()
    if problem:
        _missing(problem)
    read, write = os.pipe()
    proc = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], 20)
        number = os.read(read, 16).decode().strip() if ready else ""
        if not number:
            proc.kill()
            pytest.fail("Xvfb did not start (no display number within 20 s)")
        yield f":{number}"
    finally:
        os.close(read)
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_on(display: str, *args, timeout=180):
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout, env=env)


def pixels(path) -> np.ndarray:
    return qimage_to_array(QImage(str(path)))


def test_key_3_shows_the_race_on_the_relief_and_gives_the_map_back(x_display, tmp_path):
    out = tmp_path / "himmelblau-3d.png"
    result = run_on(x_display, str(PROBE), "himmelblau", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["action_enabled"] and facts["active"]
    assert facts["map_height"] == 0 and min(facts["view_size"]) > 400  # the 3-D view has the map's place
    assert facts["paths"] == facts["runs"] == 6
    assert all(n >= 2 for n in facts["path_points"])
    assert facts["markers"] == facts["minima"] + 1 + facts["runs"]  # stars, the start ring, one per run
    assert facts["ends_match"]  # each path ends on the mesh at its run's current position
    assert facts["f_resets_camera"]  # F, after a turn: the first camera again
    # a rendered picture: the relief, its valleys in the map's colour, every run's path
    assert facts["distinct_colours"] > 50 and facts["drawn_share"] > 0.1
    assert facts["valley_pixels"] > 20
    assert all(n > 20 for n in facts["run_pixels"].values()), facts["run_pixels"]
    assert facts["dark_pixels"] > 50  # the markers' black edges
    # Himmelblau is shown in linear height; the switch re-lifts everything in log height
    assert not facts["log"] and facts["log_after_toggle"] and facts["heights_changed"]
    assert facts["markers_after_toggle"] == facts["markers"]
    # key 3 again: the map is back, in its place and over the region it showed
    assert not facts["back_active"] and facts["map_height_back"] > 400
    (bx, by), (ax, ay) = facts["map_region"]
    assert ax == pytest.approx(bx) and ay[0] <= by[0] + 1e-9 and ay[1] >= by[1] - 1e-9
    assert ay[1] - ay[0] < 1.05 * (by[1] - by[0])
    assert QImage(str(out)).width() == facts["view_size"][0]


def test_view_3d_snapshot_from_the_command_line(x_display, tmp_path):
    out = tmp_path / "rosenbrock-3d.png"
    code = "import sys; from descentlab.gui.app import main; sys.exit(main(sys.argv[1:]))"
    result = run_on(x_display, "-c", code, "--preset", "rosenbrock-valley", "--view", "3d",
                    "--snapshot", str(out), "--steps", "200", "--size", "1000x700")
    assert result.returncode == 0, result.stderr[-3000:]
    px = pixels(out)
    assert px.shape == (700, 1000, 3)
    centre = px[80:650, 300:700]  # the centre column: the 3-D view
    assert len(np.unique(centre.reshape(-1, 3) // 8, axis=0)) > 150
    # the markers' black edges and the labels are in the picture (a plain widget grab loses them)
    assert (centre.max(axis=2) < 40).sum() > 50
