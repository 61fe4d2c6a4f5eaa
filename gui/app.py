"""``descentlab``: the command line and the application's start.

    descentlab [--preset NAME | --scene FILE] [--snapshot PNG|SVG [--size WxH]]
               [--export-data CSV] [--export-torch PY] [--export-notebook IPYNB] [--steps N]
               [--basins] [--presentation] [--explain] [--view {map,3d}] [--version]
    descentlab [--preset NAME | --scene FILE] --record CLIP.mp4|.gif [--from A] [--steps B]
               [--fps F] [--size WxH] [--presentation] [--explain] [--basins]
    descentlab --lesson NAME|FILE [--lesson-step K] [--lang zh_CN] [--snapshot PNG | --record CLIP]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import unicodedata
from contextlib import contextmanager
from pathlib import Path

# numba (through engine) before Qt: on Windows the two clash over a DLL otherwise.
from descentlab import engine  # noqa: I001
from descentlab.engine.files.scene import Scene, SceneError, load_scene
from descentlab.engine.quoted import quoted

from .clips import cli as clip_cli
from .lessons import cli as lesson_cli
from .support.i18n import LANGUAGES, QT_TRANSLATE_NOOP, fill, translate

DEFAULT_PRESET = "beale-classic"

# argparse's own words (it asks gettext for them: ``argparse._``), the ones our command line
# can show; the parser below asks our translations instead, in the language chosen.
ARGPARSE_WORDS = (
    QT_TRANSLATE_NOOP("argparse", "usage: "),
    QT_TRANSLATE_NOOP("argparse", "options"),
    QT_TRANSLATE_NOOP("argparse", "show this help message and exit"),
    QT_TRANSLATE_NOOP("argparse", "%(prog)s: error: %(message)s\n"),
    QT_TRANSLATE_NOOP("argparse", "argument %(argument_name)s: %(message)s"),
    QT_TRANSLATE_NOOP("argparse", "expected one argument"),
    QT_TRANSLATE_NOOP("argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP("argparse", "invalid %(type)s value: %(value)r"),
    QT_TRANSLATE_NOOP("argparse", "unrecognized arguments: %s"),
    QT_TRANSLATE_NOOP("argparse", "not allowed with argument %s"),
    QT_TRANSLATE_NOOP("argparse", "ambiguous option: %(option)s could match %(matches)s"),
    QT_TRANSLATE_NOOP("argparse", "ignored explicit argument %r"),
)


@contextmanager
def _argparse_in_language():
    """argparse's words from our translations while the block runs (argparse looks its
    gettext function ``_`` up each time it needs a word)."""
    before = argparse._
    argparse._ = lambda text: translate("argparse", text)
    try:
        yield
    finally:
        argparse._ = before


CLOSING_MARKS = "，。、；：！？）》」"


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class HelpFormatter(argparse.HelpFormatter):
    """Help lines wrapped by their width on the terminal: a Chinese character takes two
    columns, and a line may break between two of them (there are no spaces to break at),
    though never before a closing mark."""

    def format_help(self):
        # argparse writes a section's heading and ":" itself; after a Chinese heading, "："
        return re.sub(r"^(\S.*[\u4e00-\u9fff]):$", "\\1：", super().format_help(), flags=re.M)

    def _split_lines(self, text, width):
        if _display_width(text) == len(text):
            return super()._split_lines(text, width)
        lines: list[list[str]] = []
        line: list[str] = []
        for token in re.findall(r"[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+|\s+",
                                " ".join(text.split())):
            if line and _display_width("".join(line) + token.rstrip()) > width:
                carried = []
                while token in CLOSING_MARKS and line and (line[-1] in CLOSING_MARKS or not carried):
                    carried.insert(0, line.pop())  # a closing mark takes the character before it along
                lines.append(line)
                line = [*carried] if token.isspace() else [*carried, token]
            else:
                line.append(token)
        lines.append(line)
        return [out for out in ("".join(tokens).strip() for tokens in lines) if out]


class ArgumentParser(argparse.ArgumentParser):
    """argparse in the language chosen (--lang, the last choice, the system's): its usage
    line, section titles, -h's help and error messages as well as ours."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        with _argparse_in_language():
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with _argparse_in_language():  # "unrecognized arguments" is said here
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with _argparse_in_language():
            return super().parse_known_args(args, namespace)

    def format_usage(self):
        with _argparse_in_language():
            return super().format_usage()

    def format_help(self):
        with _argparse_in_language():
            return super().format_help()

    def error(self, message):
        with _argparse_in_language():
            super().error(message)


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(fill(translate("CommandLine", "expected WIDTHxHEIGHT like 1280x800, got %1"),
                                              quoted(text))) from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise argparse.ArgumentTypeError(fill(translate("CommandLine", "size %1 out of range (200–8000 pixels a side)"),
                                              quoted(text)))
    return w, h


DEFAULT_STEPS = 300  # --steps when not given (fewer where the scene stops sooner)


def parse_steps(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(fill(translate("CommandLine", "expected a whole number of steps, got %1"),
                                              quoted(text))) from None
    if not 0 <= n <= 100_000_000:
        raise argparse.ArgumentTypeError(fill(translate("CommandLine", "steps %1 out of range (0 to 100,000,000)"), n))
    return n


def build_parser() -> argparse.ArgumentParser:
    """The command line, its help in the language chosen (set_up_language, called first)."""
    p = ArgumentParser(prog="descentlab",
                       description=translate("CommandLine", "Watch gradient-descent optimizers race, live."))
    src = p.add_mutually_exclusive_group()
    src.add_argument("--preset", metavar="NAME", help=translate("CommandLine", "start with a preset scene"))
    src.add_argument("--scene", metavar="FILE", help=translate("CommandLine", "start with a scene file (.toml)"))
    lesson_cli.add_arguments(p, src)
    p.add_argument("--snapshot", metavar="PNG|SVG",
                   help=translate("CommandLine",
                                  "run the scene without a window and save a picture of it (.png, or .svg: "
                                  "vector paths and text), then exit"))
    p.add_argument("--export-data", metavar="CSV",
                   help=translate("CommandLine",
                                  "run the scene without a window and write every run's recorded steps to "
                                  "CSV (and the scene beside it, .toml), then exit"))
    p.add_argument("--export-torch", metavar="PY",
                   help=translate("CommandLine",
                                  "write the scene as a standalone PyTorch script (its problem, every run's "
                                  "torch.optim optimizer and lr scheduler; --steps is its default), then exit"))
    p.add_argument("--export-notebook", metavar="IPYNB",
                   help=translate("CommandLine",
                                  "write the scene as a Jupyter notebook: the PyTorch script's code in cells, "
                                  "with the problem, each optimizer's update rule, the leaderboard and a plot "
                                  "between them (--steps is its STEPS), then exit"))
    p.add_argument("--steps", type=parse_steps, default=None,
                   help=translate("CommandLine",
                                  "steps to run before --snapshot / --export-data, the last step of --record "
                                  "(default 300, or the scene's \"stop at step\" if sooner)"))
    p.add_argument("--size", type=parse_size, default=(1280, 800), metavar="WxH",
                   help=translate("CommandLine", "window size for --snapshot and --record (default 1280x800)"))
    clip_cli.add_arguments(p, parse_steps)
    p.add_argument("--basins", action="store_true",
                   help=translate("CommandLine", "show the basin map of the selected run (View → Basins, key B)"))
    p.add_argument("--presentation", action="store_true",
                   help=translate("CommandLine", "full screen, large type, colour-blind-safe colours"))
    p.add_argument("--explain", action="store_true",
                   help=translate("CommandLine", "show the step explained (the overlay of key E) for the selected run"))
    p.add_argument("--view", choices=("map", "3d"), default="map",
                   help=translate("CommandLine",
                                  "start in the map or in the 3-D view (View → 3-D view, key 3; needs OpenGL)"))
    p.add_argument("--lang", choices=tuple(LANGUAGES), metavar="{" + ",".join(LANGUAGES) + "}",
                   help=translate("CommandLine",
                                  "the language of the window, pictures, clips and messages (default: the one "
                                  "chosen last in View → Language, else the system's)"))
    p.add_argument("--version", action="version", version=f"Descent Lab {engine.__version__}",
                   help=translate("CommandLine", "show the version number and exit"))
    return p


def early_language(argv: list[str]) -> str | None:
    """``--lang X`` (or ``--lang=X``) from the command line before it is parsed, so that the
    parser's own messages are in that language; None if absent or not a language."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else \
            arg.partition("=")[2] if arg.startswith("--lang=") else None
        if value in LANGUAGES:
            return value
    return None


def set_up_language(argv: list[str]) -> None:
    """The language from --lang, else the one chosen last, else the system's: installed now
    (the command line's messages) and again into the application when it is made."""
    from PySide6.QtCore import QCoreApplication

    from .support import i18n

    QCoreApplication.setOrganizationName("DescentLab")  # where QSettings keeps the choice
    QCoreApplication.setApplicationName("Descent Lab")
    i18n.install(i18n.chosen_language(early_language(argv)))


def initial_scene(args) -> Scene:
    from .support.presets import find_preset

    if args.scene:
        return load_scene(args.scene)
    return find_preset(args.preset or DEFAULT_PRESET).scene


def main(argv: list[str] | None = None) -> int:
    set_up_language(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    lesson = None
    asked = {"presentation": args.presentation, "explain": args.explain, "basins": args.basins}
    try:
        if args.lesson:  # a lesson's step (gui/lessons/cli.py); LessonError is a ValueError
            lesson = lesson_cli.open_step(args)
            scene = lesson.scene
        else:
            scene = initial_scene(args)
    except (SceneError, ValueError) as exc:
        print(f"descentlab: {exc}", file=sys.stderr)
        return 2
    if lesson is not None:
        if lesson.step.view.get("view3d") and args.view != "3d" and (args.snapshot or args.record):
            print("descentlab: " + fill(translate("CommandLine", "step %1 shows the 3-D view, which needs a "
                                                  "display with OpenGL; drawing the map"), lesson.index + 1),
                  file=sys.stderr)
        args.steps = lesson.steps if (args.snapshot or lesson.steps) else args.steps
    if args.steps is None:  # never past the step the scene's race stops at
        args.steps = DEFAULT_STEPS if scene.step_limit is None else min(DEFAULT_STEPS, scene.step_limit)
    if args.export_torch or args.export_notebook:
        this = "--export-torch" if args.export_torch else "--export-notebook"
        other = "--export-notebook" if args.export_torch and args.export_notebook else \
            "--record" if args.record else "--snapshot" if args.snapshot else \
            "--export-data" if args.export_data else None
        if other:
            print("descentlab: " + fill(translate("CommandLine", "%1 and %2: one at a time"), this, other),
                  file=sys.stderr)
            return 2
        if args.export_notebook:
            return run_export_torch(scene, Path(args.export_notebook), args.steps, notebook=True)
        return run_export_torch(scene, Path(args.export_torch), args.steps)
    if args.record:
        other = "--snapshot" if args.snapshot else "--export-data" if args.export_data else \
            "--view 3d" if args.view == "3d" else None
        if other:
            print("descentlab: " + fill(translate("CommandLine", "%1 and %2: one at a time"), "--record", other),
                  file=sys.stderr)
            return 2
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        if problem := platform_problem():
            print(f"descentlab: {problem}", file=sys.stderr)
            return 2
        if lesson is not None:
            return clip_cli.run_record(scene, args, _application, lesson_cli.window_class(lesson))
        return clip_cli.run_record(scene, args, _application)
    data_target = Path(args.export_data) if args.export_data else None
    if data_target is not None:
        from .export.data import data_target_problem

        problem = data_target_problem(data_target)
        if problem:
            print(f"descentlab: {problem}", file=sys.stderr)
            return 2
    if args.snapshot:
        target = Path(args.snapshot)
        if target.suffix.lower() not in (".png", ".svg"):
            print("descentlab: " + fill(translate("CommandLine", "%1: the snapshot must be a .png or .svg file"),
                                        target), file=sys.stderr)
            return 2
        if not target.parent.exists() or not os.access(target.parent, os.W_OK):
            print("descentlab: " + fill(translate("Export", "%1: cannot write there"), target), file=sys.stderr)
            return 2
        if not (args.view == "3d" and (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a 3-D picture needs a display's OpenGL
        if problem := platform_problem():
            print(f"descentlab: {problem}", file=sys.stderr)
            return 2
        dressing = {} if lesson is None else {
            "dress": lambda window: lesson_cli.dress(window, lesson.step),
            "overlay": lambda window, picture: lesson_cli.paint_over_3d(window, picture, lesson.step)}
        return run_snapshot(scene, target, args.steps, args.size, args.presentation,
                            args.explain, basins=args.basins, export_data=data_target,
                            view=args.view, **dressing)
    if data_target is not None:
        return run_export_data(scene, data_target, args.steps)
    if problem := platform_problem():
        print(f"descentlab: {problem}", file=sys.stderr)
        return 2
    if lesson is not None:  # the window, playing the lesson from its step K (the step sets the view)
        return run_app(initial_scene(args), **asked, lesson=lesson)  # Leave lesson: the default scene
    return run_app(scene, args.presentation, args.explain, basins=args.basins, view=args.view)


def platform_problem() -> str | None:
    """One line if Qt's display plugin cannot load (asked after QT_QPA_PLATFORM is settled),
    before any path creates a QApplication: Qt would abort with five lines otherwise."""
    from .support import platform_check

    return platform_check.xcb_problem() if platform_check.platform_will_be_xcb() else None


def _application():
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:  # the 3-D view's GL resources survive a new context
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Descent Lab")
    app.setOrganizationName("DescentLab")
    app.setApplicationVersion(engine.__version__)
    from .support import i18n
    from .support.resources import icon_path

    i18n.install(i18n.current())  # the translators into the application (set_up_language chose)

    icon = icon_path("descentlab.png")
    if icon.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    return app


def run_app(scene: Scene, presentation: bool = False, explain: bool = False,
            basins: bool = False, view: str = "map", lesson=None) -> int:
    """The window: ``scene`` shown as the options ask, or ``lesson`` (a
    gui.lessons.cli.LessonShot) played from its step."""
    # First launch: children start compiling now, while Qt and the window load.
    from descentlab.engine.compile.precompile import Precompiler

    precompiler = Precompiler(fork=True).start()
    app = _application()
    from PySide6.QtCore import QTimer

    from .control.controller import RaceController
    from .main_window import MainWindow

    # Ctrl+C in the terminal closes the window like the close button does — from the very
    # first moment, so an early Ctrl+C never tears down running threads.
    state: dict = {"window": None, "interrupted": False}

    def interrupted(*_):
        state["interrupted"] = True
        if state["window"] is not None:
            state["window"].close()
        app.quit()

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)  # a polite kill closes the window the same way
    controller = RaceController(precompiler=precompiler)
    window = MainWindow(controller)
    state["window"] = window
    window.remember_geometry()
    window.show()
    controller.start()
    set_up_window(window, scene, presentation, explain, basins=basins, view=view, lesson=lesson)
    poke = QTimer(interval=200)  # lets Python see the signal while Qt's loop runs
    poke.timeout.connect(lambda: None)
    poke.start()
    if state["interrupted"]:
        window.close()
    code = 0 if state["interrupted"] else app.exec()
    precompiler.stop()  # no compiling child outlives the window
    if window.threads_running():
        # A thread is inside a compile that cannot be interrupted. Leave now rather than
        # make a lecturer wait: Numba writes its cache files atomically, so nothing is
        # left half-written, and Qt would abort on a QThread destroyed while running.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def set_up_window(window, scene: Scene, presentation: bool = False, explain: bool = False,
                  basins: bool = False, view: str = "map", lesson=None) -> None:
    """``window`` (shown, its controller started) as the command line asks: ``scene`` with
    the options; then ``lesson`` (a gui.lessons.cli.LessonShot) played from its step, if
    given (leaving it gives ``scene`` back)."""
    window.apply_scene(scene)
    if presentation:
        window.set_presentation(True)
    if explain:
        window.controller.explain.set_on(True)
    if basins:
        window.basins_action.setChecked(True)
    if view == "3d":
        from .panels.view3d import start_in_3d

        problem = start_in_3d(window)
        if problem:
            print("descentlab: " + fill(translate("CommandLine", "%1; showing the map"), problem), file=sys.stderr)
    if lesson is not None:  # the flags the step does not name stay as the options set them
        window.lessons.open(lesson.lesson, lesson.index)


def run_export_data(scene: Scene, target: Path, steps: int) -> int:
    """``--export-data`` alone: the race run without Qt, its CSV and scene written."""
    from .export.data import export_scene_data
    from .export.errors import ExportError

    try:
        export_scene_data(scene, target, steps)
    except (ExportError, ValueError) as exc:
        print(f"descentlab: {exc}", file=sys.stderr)
        return 1
    return 0


def run_export_torch(scene: Scene, target: Path, steps: int, notebook: bool = False) -> int:
    """``--export-torch`` (``--export-notebook`` if ``notebook``): the scene as a PyTorch
    script (a notebook), without Qt."""
    from .export.errors import ExportError
    from .export.pytorch import export_scene_torch

    try:
        export_scene_torch(scene, target, steps, notebook)
    except (ExportError, ValueError) as exc:
        print(f"descentlab: {exc}", file=sys.stderr)
        return 1
    return 0


def run_snapshot(scene: Scene, target: Path, steps: int, size: tuple[int, int],
                 presentation: bool = False, explain: bool = False, basins: bool = False,
                 export_data: Path | None = None, view: str = "map", dress=None, overlay=None) -> int:
    """Run ``scene`` for ``steps`` steps on this thread, draw it once, save a PNG or SVG
    (with the first run's step explained if ``explain``: the overlay, for slides; with the
    basin map if ``basins``; in the 3-D view if ``view == "3d"``, a PNG); and the race's
    data as CSV if ``export_data``. ``dress(window)``: called once the race is drawn (a
    lesson's caption and hidden panels); ``overlay(window, picture)``: paints over a 3-D
    picture."""
    app = _application()
    if view == "3d":
        from .view3d.gl_check import opengl_problem

        if problem := opengl_problem():  # before any window or thread exists
            print(f"descentlab: --view 3d: {problem}", file=sys.stderr)
            return 2
    from .control.controller import RaceController
    from .main_window import MainWindow

    controller = RaceController()
    window = MainWindow(controller)
    window.timer.stop()
    window.snapshot_mode = True
    window.resize(*size)
    if not window.apply_scene(scene):
        return 2
    if presentation:
        window.set_presentation(True)
        window.showNormal()
        window.resize(*size)
    if explain:
        controller.explain.set_on(True)
    if basins:
        window.basins_action.setChecked(True)
    window.show()
    app.processEvents()
    if view == "3d":
        from .panels.view3d import start_in_3d

        start_in_3d(window)
    snap = window.advance_and_draw(steps)
    if dress is not None:
        dress(window)
    app.processEvents()
    window._each("settle")  # the field again: the layout may have moved the map's region
    window.draw(snap, force_table=True)  # again, now that the layout has settled
    app.processEvents()
    from .export.figure import ExportError, FigureRequest, export_figure

    failed = None
    try:
        if view == "3d":
            from .export.figure import write_image
            from .panels.view3d import paint_over

            picture = window.grab()  # the GL picture; its markers and labels painted over it
            paint_over(window, picture)
            if overlay is not None:
                overlay(window, picture)
            write_image(picture.toImage(), target)
        else:
            export_figure(window, target, FigureRequest("window", target.suffix.lower().lstrip(".")))
        if export_data is not None:
            from .export.data import export_window_data

            export_window_data(window, export_data)
    except ExportError as exc:
        failed = str(exc)
    for thread in window.panel_threads():
        thread.stop(1000)
    window.close()
    if failed:
        print(f"descentlab: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
