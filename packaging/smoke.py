"""Smoke check of the frozen app: it starts, draws, finds its files and reuses its compile cache.

    python packaging/smoke.py                      # build (or reuse an up-to-date dist/), then check
    python packaging/smoke.py --app dist/descentlab   # check an existing folder as it is

The checks (tests/packaging/test_frozen_app.py runs the same ones under pytest):

1. ``descentlab --version`` prints the version and exits 0.
2. A first launch (empty per-user cache) from one current directory renders a real picture
   with ``--snapshot`` and compiles nothing: its cache holds the shipped kernels of one CPU
   target (engine.compile.shipped), copied. Told to use no shipped kernels, a first launch
   compiles its kernels into the cache instead.
3. A second launch from another current directory renders again and adds or rewrites no
   cache file: nothing was compiled.
4. A copy of the folder in another place (as if unpacked elsewhere) does not recompile either.
5. A cache folder that is a file (unusable), and a cache whose .nbi/.nbc files are damaged,
   each cost a recompile, never a failure; the damaged cache is repaired by that launch.

Every launch runs offscreen with its own temporary per-user folders; nothing touches the real
cache. Prints the launch times (a ``--snapshot`` run: process start → picture saved).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


def load_packaging_module(name: str):
    """packaging/<name>.py as a module (under a prefixed name: "build" is also a PyPI package)."""
    full = f"descentlab_packaging_{name}"
    if full not in sys.modules:
        spec = importlib.util.spec_from_file_location(full, Path(__file__).resolve().parent / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module
        spec.loader.exec_module(module)
    return sys.modules[full]


build_mod = load_packaging_module("build")

SNAPSHOT_SIZE = (1280, 800)
STEPS = 100
TIMEOUT = 600  # seconds per launch; a cold compile takes ~10 s here
# What the app's first-launch children compile for a surface and a dataset race (the parts
# of engine.compile.precompile's groups surfaces, race and datasets), here all in one child.
CHILD_PARTS = ("fg", "steps", "surface-race", "drawing", "network", "losses", "objective",
               "dataset-race", "dataset-eval")


# ---------------------------------------------------------------- launching the frozen app


@dataclass
class Launch:
    args: list[str]
    cwd: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    picture: Path | None = None

    def describe(self) -> str:
        return (f"descentlab {' '.join(self.args)} (cwd {self.cwd}) -> exit {self.returncode} "
                f"in {self.seconds:.2f} s\n--- stdout\n{self.stdout[-2000:]}\n--- stderr\n"
                f"{self.stderr[-4000:]}")


@dataclass
class Sandbox:
    """Per-user folders for the frozen app, all inside one temporary folder."""

    root: Path
    env: dict = field(default_factory=dict)

    @classmethod
    def create(cls, root: Path) -> Sandbox:
        root.mkdir(parents=True, exist_ok=True)
        for sub in ("cache", "logs", "tmp"):
            (root / sub).mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PYTHON", "NUMBA_", "DESCENTLAB_", "QT_"))}
        env.update(QT_QPA_PLATFORM="offscreen", DESCENTLAB_LOG_DIR=str(root / "logs"),
                   TMPDIR=str(root / "tmp"), TEMP=str(root / "tmp"), TMP=str(root / "tmp"))
        if sys.platform.startswith("linux"):
            env["XDG_CACHE_HOME"] = str(root / "cache")  # the default per-user location
        else:
            env["DESCENTLAB_CACHE_DIR"] = str(root / "cache" / "descentlab" / "numba")
        return cls(root, env)

    @property
    def cache(self) -> Path:
        return self.root / "cache" / "descentlab" / "numba"


def launch(exe: Path, args: list[str], cwd: Path, env: dict, timeout: float = TIMEOUT) -> Launch:
    cwd.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    proc = subprocess.run([str(exe), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    return Launch(args, cwd, proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - t0)


def snapshot(exe: Path, cwd: Path, env: dict, name: str = "out.png") -> Launch:
    """``--snapshot name --steps 100`` with a relative picture path: it lands in ``cwd``."""
    result = launch(exe, ["--snapshot", name, "--steps", str(STEPS)], cwd, env)
    result.picture = cwd / name
    return result


# ---------------------------------------------------------------- checks


def picture_problems(path: Path, size: tuple[int, int] = SNAPSHOT_SIZE) -> list[str]:
    """Why ``path`` is not a real picture of the window (an empty list if it is one)."""
    if not path.is_file():
        return [f"{path} was not written"]
    if path.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
        return [f"{path} is not a PNG file"]
    from PySide6.QtGui import QImage

    img = QImage(str(path))
    if img.isNull():
        return [f"{path} cannot be decoded"]
    problems = []
    if (img.width(), img.height()) != size:
        problems.append(f"{path} is {img.width()}x{img.height()}, expected {size[0]}x{size[1]}")
    colours, counts = set(), {}
    for y in range(0, img.height(), 7):
        for x in range(0, img.width(), 7):
            c = img.pixel(x, y)
            colours.add(c)
            counts[c] = counts.get(c, 0) + 1
    total = sum(counts.values())
    if len(colours) < 64:
        problems.append(f"{path} has only {len(colours)} colours: blank or nearly so")
    if max(counts.values()) > 0.9 * total:
        problems.append(f"{path} is more than 90 % one colour")
    return problems


def cache_files(cache: Path) -> dict[str, tuple[int, int]]:
    """Every compiled-kernel file under ``cache``: relative path → (size, mtime in ns)."""
    if not cache.is_dir():
        return {}
    out = {}
    for p in cache.rglob("*"):
        if p.suffix in (".nbi", ".nbc") and p.is_file():
            st = p.stat()
            out[p.relative_to(cache).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


def cache_changes(before: dict, after: dict) -> list[str]:
    """Files that appeared or were rewritten between two ``cache_files`` listings."""
    return sorted(k for k in after if before.get(k) != after[k])


def bundle_problems(folder: Path) -> list[str]:
    """What should (not) be in the folder: resources in, dev caches, tests and other Qt bindings out."""
    internal = folder / "_internal"
    problems = []
    presets = sorted((internal / "resources" / "presets").glob("*.toml"))
    if not presets:
        problems.append("no preset scenes under _internal/resources/presets")
    icons = internal / "resources" / "icons"
    if not (icons / "descentlab.png").is_file():
        problems.append("the app icon resources/icons/descentlab.png is missing")
    for needed, why in ((internal / "resources" / "translations" / "descentlab_zh_CN.qm", "the Chinese translation"),
                        (internal / "resources" / "fonts" / "DescentLabSC.otf", "the Chinese font"),
                        (internal / "PySide6" / "Qt" / "translations" / "qtbase_zh_CN.qm",
                         "Qt's own Chinese (dialogs, buttons)")):
        if not needed.is_file():
            problems.append(f"{why} is missing: {needed.relative_to(folder)}")
    for p in folder.rglob("*"):
        if build_mod.is_dev_leftover(p):
            problems.append(f"development cache shipped: {p.relative_to(folder)}")
        elif p.is_dir() and p.name == "tests":
            problems.append(f"tests shipped: {p.relative_to(folder)}")
    for unwanted in ("PyQt5", "PyQt6", "PySide2", "scipy", "torch", "matplotlib", "IPython",
                     "tkinter", "pytest", "hypothesis"):
        if (internal / unwanted).exists():
            problems.append(f"{unwanted} is in the bundle")
    pyside = internal / "PySide6"
    for module in ("QtTest", "QtSvgWidgets", "QtNetwork", "QtQml", "QtQuick", "QtWebEngineCore"):
        if list(pyside.glob(f"{module}.*")):
            problems.append(f"unused Qt module PySide6.{module} is in the bundle")
    for module, use in (("QtWidgets", "the window"), ("QtSvg", "SVG export")):
        if not list(pyside.glob(f"{module}.*")):
            problems.append(f"PySide6.{module} ({use}) is missing")
    if not list((internal / "descentlab" / "engine").rglob("*.py")):
        problems.append("the engine's .py sources (its cache fingerprint) are missing")
    return problems


# ---------------------------------------------------------------- the whole sequence


@dataclass
class Report:
    version: Launch | None = None
    cold: Launch | None = None
    warm: Launch | None = None
    moved: Launch | None = None
    unusable: Launch | None = None
    damaged: Launch | None = None
    repaired: Launch | None = None
    unshipped: Launch | None = None  # a first launch told to use no shipped kernels
    children: Launch | None = None  # ``--precompile``: the app as its own compiling child
    after_children: Launch | None = None
    exports: Launch | None = None  # --snapshot out.svg --export-data runs.csv (QtSvg is in)
    compiled: dict = field(default_factory=dict)  # the cache after the cold launch
    shipped_target: str | None = None  # the CPU target whose shipped kernels it loaded
    cold_cache: Path | None = None  # the per-user cache folder of the first launch
    compiled_unshipped: dict = field(default_factory=dict)  # the cache after ``unshipped``
    changes: dict = field(default_factory=dict)  # launch name -> cache files it (re)wrote
    failures: list = field(default_factory=list)


def export_problems(cwd: Path) -> list[str]:
    """Why ``out.svg``, ``runs.csv`` and ``runs.toml`` in ``cwd`` are not what
    ``--snapshot out.svg --export-data runs.csv`` writes (an empty list if they are)."""
    import xml.etree.ElementTree as ET

    problems = [f"{name} was not written" for name in ("out.svg", "runs.csv", "runs.toml")
                if not (cwd / name).is_file()]
    if problems:
        return problems
    try:
        root = ET.parse(cwd / "out.svg").getroot()
    except ET.ParseError as exc:
        return [f"out.svg does not parse: {exc}"]
    if len(root.findall(".//{http://www.w3.org/2000/svg}polyline")) < 10:
        problems.append("out.svg has no vector paths")
    lines = (cwd / "runs.csv").read_text(encoding="utf-8").splitlines()
    if len(lines) < 2 or not lines[0].startswith("run_id,run,optimizer,step"):
        problems.append(f"runs.csv starts {lines[:1]!r}")
    return problems


def shipped_root(folder: Path) -> Path:
    return folder / "_internal" / build_mod.KERNELS


def shipped_problems(folder: Path, cache: Path) -> tuple[str | None, list[str]]:
    """The target whose shipped kernels fill ``cache`` after a first launch, and why the
    cache is not exactly a copy of them (nothing compiled, nothing missing)."""
    shipped = {p.name: cache_files(p) for p in sorted(shipped_root(folder).glob("*")) if p.is_dir()}
    used = [p for p in cache.glob("*/*") if p.is_dir() and p.name in shipped]
    if len(used) != 1:
        return None, [f"first launch: expected one shipped target's folder under {cache}, found "
                      f"{[p.name for p in used]} (shipped: {sorted(shipped)})"]
    target, have = used[0].name, cache_files(used[0])
    want = shipped[target]
    problems = [f"first launch compiled {k} (not a copy of the shipped file)"
                for k in sorted(have) if k not in want or have[k][0] != want[k][0]]
    problems += [f"first launch did not copy the shipped {k}" for k in sorted(set(want) - set(have))]
    others = [k for k in cache_files(cache) if not (cache / k).is_relative_to(used[0])]
    problems += [f"first launch wrote {k} beside the shipped kernels" for k in others]
    return target, problems


def check_launch(report: Report, name: str, result: Launch, picture: bool = True) -> None:
    if result.returncode != 0:
        report.failures.append(f"{name}: " + result.describe())
        return
    if "Traceback" in result.stderr:
        report.failures.append(f"{name}: a traceback on stderr\n" + result.describe())
    if picture:
        report.failures += [f"{name}: {p}" for p in picture_problems(result.picture)]


def run_all(folder: Path, scratch: Path, *, robustness: bool = True) -> Report:
    """Every check above against the built ``folder``; ``scratch`` is an empty temporary folder."""
    exe = build_mod.executable(folder)
    report = Report()
    report.failures += bundle_problems(folder)
    box = Sandbox.create(scratch / "user")

    report.version = r = launch(exe, ["--version"], scratch / "cwd-version", box.env, timeout=120)
    expected = f"Descent Lab {build_mod.version()}"
    if r.returncode != 0 or expected not in r.stdout + r.stderr:
        report.failures.append(f"--version: expected {expected!r}\n" + r.describe())

    report.cold = snapshot(exe, scratch / "cwd-one", box.env)
    check_launch(report, "first launch", report.cold)
    report.compiled, report.cold_cache = cache_files(box.cache), box.cache
    if not report.compiled:
        report.failures.append(f"first launch: no compiled kernels under {box.cache}")
    if any(shipped_root(folder).glob("*/complete")):  # none where the build ran no target
        report.shipped_target, problems = shipped_problems(folder, box.cache)
        report.failures += problems

    plain = Sandbox.create(scratch / "unshipped")
    (scratch / "no-kernels").mkdir()
    plain.env["DESCENTLAB_SHIPPED_KERNELS"] = str(scratch / "no-kernels")
    report.unshipped = snapshot(exe, scratch / "cwd-unshipped", plain.env)
    check_launch(report, "first launch without shipped kernels", report.unshipped)
    report.compiled_unshipped = cache_files(plain.cache)
    if not any(k.endswith(".nbc") for k in report.compiled_unshipped):
        report.failures.append(f"first launch without shipped kernels: nothing compiled into {plain.cache}")

    report.warm = snapshot(exe, scratch / "cwd-two" / "deeper", box.env)
    check_launch(report, "second launch", report.warm)
    after = cache_files(box.cache)
    report.changes["second launch"] = cache_changes(report.compiled, after)

    report.exports = r = launch(exe, ["--snapshot", "out.svg", "--export-data", "runs.csv", "--steps",
                                      str(STEPS)], scratch / "cwd-exports", box.env)
    check_launch(report, "SVG and CSV export", r, picture=False)
    report.failures += [f"SVG and CSV export: {p}" for p in export_problems(r.cwd)]

    moved = scratch / "elsewhere" / "Descent Lab copy"
    shutil.copytree(folder, moved, symlinks=True)
    report.moved = snapshot(build_mod.executable(moved), scratch / "cwd-three", box.env)
    check_launch(report, "relocated copy", report.moved)
    report.changes["relocated copy"] = cache_changes(after, cache_files(box.cache))
    shutil.rmtree(moved, ignore_errors=True)

    # The app's first-launch children: the executable itself with --precompile (no window),
    # into an empty cache; a launch after them must compile nothing.
    kids = Sandbox.create(scratch / "children")
    report.children = r = launch(exe, ["--precompile", *CHILD_PARTS], scratch / "cwd-children",
                                 kids.env)
    reported = [line for line in r.stdout.splitlines() if line.startswith("compiled ")]
    if r.returncode != 0 or reported != [f"compiled {p}" for p in CHILD_PARTS]:
        report.failures.append(f"--precompile: expected {len(CHILD_PARTS)} 'compiled' lines\n"
                               + r.describe())
    filled = cache_files(kids.cache)
    report.after_children = snapshot(exe, scratch / "cwd-after-children", kids.env)
    check_launch(report, "launch after --precompile", report.after_children)
    report.changes["after --precompile"] = cache_changes(filled, cache_files(kids.cache))

    for name in ("second launch", "relocated copy", "after --precompile"):
        if report.changes[name]:
            report.failures.append(f"{name} compiled again: {report.changes[name][:5]}")

    if robustness:
        # A cache "folder" that is a file: the app must fall back to a temporary folder.
        blocker = scratch / "not-a-folder"
        blocker.write_text("a file where the cache folder should be\n")
        env = dict(box.env, DESCENTLAB_CACHE_DIR=str(blocker))
        report.unusable = snapshot(exe, scratch / "cwd-unusable", env)
        check_launch(report, "unusable cache folder", report.unusable)
        if blocker.read_text() != "a file where the cache folder should be\n":
            report.failures.append("unusable cache folder: the file in its place was changed")

        # Damaged files: truncate every index, overwrite every data file with garbage.
        damaged_root = scratch / "damaged-cache"
        shutil.copytree(box.cache, damaged_root / "descentlab" / "numba")
        damaged = damaged_root / "descentlab" / "numba"
        for p in damaged.rglob("*.nbi"):
            p.write_bytes(p.read_bytes()[:40])
        for p in damaged.rglob("*.nbc"):
            p.write_bytes(os.urandom(256))
        env = dict(box.env, DESCENTLAB_CACHE_DIR=str(damaged))
        report.damaged = snapshot(exe, scratch / "cwd-damaged", env)
        check_launch(report, "damaged cache", report.damaged)
        repaired = cache_files(damaged)
        report.repaired = snapshot(exe, scratch / "cwd-repaired", env)
        check_launch(report, "after the damaged cache", report.repaired)
        report.changes["after the damaged cache"] = cache_changes(repaired, cache_files(damaged))
        if report.changes["after the damaged cache"]:
            report.failures.append("the damaged cache was not repaired: the launch after it "
                                   f"compiled again: {report.changes['after the damaged cache'][:5]}")
    return report


def summary(report: Report) -> str:
    rows = [("--version", report.version), ("first launch (cold cache)", report.cold),
            ("second launch, other cwd", report.warm),
            ("first launch, no shipped kernels", report.unshipped), ("relocated copy", report.moved),
            ("unusable cache folder", report.unusable), ("damaged cache", report.damaged),
            ("launch after the damaged one", report.repaired),
            (f"--precompile ({len(CHILD_PARTS)} parts, 1 process)", report.children),
            ("launch after --precompile", report.after_children),
            ("--snapshot .svg --export-data", report.exports)]
    lines = [f"  {name:<30} {r.seconds:6.2f} s   exit {r.returncode}" for name, r in rows if r]
    lines.append(f"  compiled-kernel files after the first launch: {len(report.compiled)}"
                 f" (shipped for {report.shipped_target or 'no target'})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--app", type=Path, help="a built folder (default: build or reuse dist/descentlab)")
    p.add_argument("--quick", action="store_true", help="skip the unusable/damaged cache launches")
    args = p.parse_args(argv)
    folder = args.app
    if folder is None:
        folder = Path(build_mod.build(archive=None, reuse=True)["folder"])
    with tempfile.TemporaryDirectory(prefix="descentlab-smoke-") as tmp:
        report = run_all(folder.resolve(), Path(tmp), robustness=not args.quick)
    print(summary(report))
    if report.failures:
        print("\nFAILED:\n" + "\n\n".join(report.failures), file=sys.stderr)
        return 1
    print("smoke: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
