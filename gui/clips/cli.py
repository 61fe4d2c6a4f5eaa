"""``descentlab --record race.mp4``: a clip from the command line, without a window.

    descentlab --preset NAME --record race.mp4 --steps 300 --fps 30 --size 1920x1080
               [--from STEP] [--steps-per-frame N] [--presentation] [--explain] [--basins]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from descentlab.engine.quoted import quoted

from ..support.i18n import fill, translate
from .plan import MAX_FPS, ClipSpec, describe
from .writers import ClipError, check_target


def parse_fps(text: str) -> float:
    try:
        fps = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(fill(translate("CommandLine", "expected frames per second like 30, got %1"),
                                              quoted(text))) from None
    if not (math.isfinite(fps) and 1 <= fps <= MAX_FPS):
        raise argparse.ArgumentTypeError(fill(translate("CommandLine", "frame rate %1 out of range (1 to %2)"),
                                              quoted(text), MAX_FPS))
    return fps


def parse_steps_per_frame(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(fill(translate("CommandLine", "expected a number of steps per frame, got %1"),
                                              quoted(text))) from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(fill(translate("ClipSpec", "steps per frame must be positive, got %1"),
                                              quoted(text)))
    return value


def add_arguments(p: argparse.ArgumentParser, parse_steps) -> None:
    p.add_argument("--record", metavar="FILE",
                   help=translate("CommandLine",
                                  "record the race as a clip (.mp4 or .gif) without a window, then exit: "
                                  "from step --from to step --steps, at --fps and --size"))
    p.add_argument("--from", dest="first", type=parse_steps, default=0, metavar="STEP",
                   help=translate("CommandLine", "the clip's first step (default 0)"))
    p.add_argument("--fps", type=parse_fps, default=30.0, help=translate("CommandLine",
                                                                         "the clip's frame rate (default 30)"))
    p.add_argument("--steps-per-frame", type=parse_steps_per_frame, default=None, metavar="N",
                   help=translate("CommandLine",
                                  "steps one frame advances (default: the scene's speed ÷ fps, the live pace)"))


def spec_from_args(args) -> ClipSpec:
    """The clip the options ask for; ClipError or ValueError with a one-line message."""
    path = check_target(Path(args.record), args.size, args.fps)
    return ClipSpec(path, first=args.first, last=args.steps, fps=args.fps, size=args.size,
                    presentation=args.presentation, steps_per_frame=args.steps_per_frame)


def run_record(scene, args, make_application, window_class=None) -> int:
    """Record the clip ``args`` describe; progress lines on stdout, errors on stderr.
    ``make_application``: gui.app's, called once the options are known to be good;
    ``window_class``: the main window's (default MainWindow; a lesson's dresses itself)."""
    try:
        spec = spec_from_args(args)
        line = describe(spec, scene.speed)
    except (ClipError, ValueError) as exc:
        print(f"descentlab: {exc}", file=sys.stderr)
        return 2
    from ..main_window import MainWindow
    from .recorder import record

    make_application()
    print(fill(translate("CommandLine", "recording %1: %2, %3x%4"), spec.path, line, *spec.size), flush=True)
    shown = [-1]

    def progress(rec) -> None:
        tenth = 10 * rec.frames_done // rec.total_frames
        if tenth != shown[0]:
            shown[0] = tenth
            print(fill(translate("CommandLine", "  frame %1 of %2 (step %3)"), f"{rec.frames_done:,}",
                       f"{rec.total_frames:,}", f"{rec.race_step:,}"), flush=True)

    try:
        result = record(scene, spec, window_class or MainWindow, progress, explain=args.explain, basins=args.basins)
    except (ClipError, ValueError) as exc:
        print(f"descentlab: {exc}", file=sys.stderr)
        return 1
    print(fill(translate("CommandLine", "wrote %1: %2 frames, %3 s, in %4 s (drawing %5 s, encoding %6 s "
                         "alongside)"), result.path, f"{result.frames:,}", f"{result.seconds:.1f}",
               f"{result.total_s:.1f}", f"{result.render_s:.1f}", f"{result.encode_s:.1f}"), flush=True)
    if result.note():
        print(fill(translate("CommandLine", "  note: %1"), result.note()), flush=True)
    return 0
