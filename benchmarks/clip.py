"""Time to record a clip: by default a 10 s 1080p 30 fps MP4 (and GIF) of a preset.

    python benchmarks/clip.py [--preset rastrigin] [--seconds 10] [--size 1920x1080]
                              [--fps 30] [--formats mp4,gif]

Prints, per format: the total (setup included), the setup (the hidden window), the GUI
thread's stepping + drawing + rendering, the encoder thread's conversion + encoding (they
overlap) and the time the GUI thread waited for the encoder, with the machine's load.
Target: a 10 s 1080p 30 fps MP4 in ≤ 30 s on the 2-core build machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from descentlab.gui.app import _application, parse_size  # noqa: E402
from descentlab.gui.clips.plan import ClipSpec  # noqa: E402
from descentlab.gui.clips.recorder import record  # noqa: E402
from descentlab.gui.main_window import MainWindow  # noqa: E402
from descentlab.gui.support.presets import find_preset  # noqa: E402


def load() -> str:
    try:
        return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "load unknown"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--preset", default="rastrigin")
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--size", type=parse_size, default=(1920, 1080))
    p.add_argument("--fps", type=float, default=30.0)
    p.add_argument("--formats", default="mp4,gif")
    p.add_argument("--keep", metavar="FOLDER", help="keep the clips in FOLDER")
    args = p.parse_args(argv)
    _application()
    scene = find_preset(args.preset).scene
    frames = int(round(args.seconds * args.fps))
    folder = Path(args.keep or tempfile.mkdtemp(prefix="descentlab-clip-"))
    folder.mkdir(parents=True, exist_ok=True)
    w, h = args.size
    print(f"{args.preset}: {frames + 1} frames ({args.seconds:g} s at {args.fps:g} fps), {w}x{h}, "
          f"1 step a frame; {os.cpu_count()} cores, {load()}")
    for fmt in args.formats.split(","):
        spec = ClipSpec(folder / f"clip.{fmt}", first=0, last=frames, fps=args.fps, size=args.size,
                        steps_per_frame=1)
        r = record(scene, spec, MainWindow)
        size_mb = r.path.stat().st_size / 1e6
        print(f"  {fmt}: {r.total_s:5.1f} s total — setup {r.setup_s:.1f} s, drawing {r.render_s:.1f} s "
              f"({1000 * r.render_s / r.frames:.0f} ms/frame), encoding {r.encode_s:.1f} s "
              f"({1000 * r.encode_s / r.frames:.0f} ms/frame, alongside), waiting for the encoder "
              f"{r.wait_s:.1f} s; {size_mb:.1f} MB; {load()}")
        if not args.keep:
            r.path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
