"""Start-up time: launch → the window's first paint, and → the first frame with moving
paths, with an empty compile cache (cold) and again with it filled (warm).

    python benchmarks/startup.py

Each figure is measured in a fresh process (offscreen), from just before the interpreter
starts. Targets: window ≤ 1 s either way; first moving frame ≤ 1.5 s warm, ≤ 6 s cold.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import os, sys, time
T0 = float(os.environ["STARTUP_T0"])
sys.path.insert(0, os.environ["STARTUP_ROOT"])
from descentlab.gui.app import _application, DEFAULT_PRESET   # imports numba/engine first, like the app
from descentlab.engine.compile.precompile import Precompiler
precompiler = Precompiler().start()                  # as gui.app.run_app does
from PySide6.QtCore import QObject, QEvent, QTimer
from descentlab.gui.control.controller import RaceController
from descentlab.gui.main_window import MainWindow
from descentlab.gui.support.presets import find_preset

app = _application()
controller = RaceController(precompiler=precompiler)
window = MainWindow(controller)
marks = {}

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "window" not in marks:
            marks["window"] = time.time() - T0
        return False

watcher = FirstPaint()
window.installEventFilter(watcher)
original_draw = window.draw

def draw(snap, force_table=False):
    original_draw(snap, force_table)
    if "moving" not in marks and snap.step > 0:
        marks["moving"] = time.time() - T0
        print(f"window {marks.get('window', float('nan')):.3f} moving {marks['moving']:.3f}")
        window.close()
        app.quit()

window.draw = draw
window.show()
controller.start()
window.apply_scene(find_preset(DEFAULT_PRESET).scene)
controller.readiness.group_ready.connect(lambda group: group == "race" and controller.set_playing(True))
QTimer.singleShot(60_000, app.quit)
app.exec()
controller.shutdown(2000)
"""


def measure(cache_dir: str) -> tuple[float, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESCENTLAB_CACHE_DIR=cache_dir,
               STARTUP_ROOT=str(ROOT), STARTUP_T0=repr(time.time()))
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                         text=True, timeout=300)
    for line in out.stdout.splitlines():
        if line.startswith("window"):
            parts = line.split()
            return float(parts[1]), float(parts[3])
    raise RuntimeError(f"the child did not report:\n{out.stdout}\n{out.stderr}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="descentlab-startup-") as cache:
        cold = measure(cache)
        warm = [measure(cache) for _ in range(3)]
    warm_window = sorted(w for w, _ in warm)[1]
    warm_moving = sorted(m for _, m in warm)[1]
    print("start-up (offscreen, launch → ...)        window   first moving frame")
    print(f"  cold (empty compile cache)             {cold[0]:6.2f} s   {cold[1]:6.2f} s"
          "   (targets ≤ 1 s, ≤ 6 s)")
    print(f"  warm (median of 3)                     {warm_window:6.2f} s   {warm_moving:6.2f} s"
          "   (targets ≤ 1 s, ≤ 1.5 s)")


if __name__ == "__main__":
    main()
