"""Build the Descent Lab executable: dist/descentlab/ and an archive of it.

    python packaging/build.py                 # folder + archive in dist/
    python packaging/build.py --no-archive    # folder only
    python packaging/build.py --reuse         # skip PyInstaller if dist/descentlab is up to date

Runs PyInstaller on packaging/descentlab.spec (one-folder mode), checks that no development
caches went in, then packs the folder the way the platform expects: a .zip on Windows and
macOS (made with ``ditto`` there, which keeps the bundle's symbolic links and signatures),
a .tar.gz elsewhere (it keeps the symbolic links PyInstaller makes on Linux; a .zip made
by Python or Info-ZIP would store a copy of each linked library). ``descentlab.build.json``
beside the folder records what was built from what (``--reuse`` compares against it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "descentlab.spec"
NAME = "descentlab"
# What the folder is built from: our sources, and the versions of what gets bundled.
INPUT_DIRS = ("engine", "gui", "resources", "packaging")
BUNDLED_DISTS = ("pyinstaller", "pyinstaller-hooks-contrib", "numba", "llvmlite", "numpy",
                 "PySide6-Essentials", "shiboken6", "pyqtgraph", "contourpy", "tomli-w", "av", "pillow")
DEV_LEFTOVERS = ("__pycache__", ".nbi", ".nbc", ".pyc")
# The shipped kernels (engine.compile.shipped.BUNDLE_FOLDER): compiled by the built app itself.
KERNELS = "descentlab-kernels"


def version() -> str:
    text = (ROOT / "engine" / "_version.py").read_text(encoding="utf-8")
    return re.search(r'__version__\s*=\s*"([^"]+)"', text).group(1)


def platform_tag() -> str:
    machine = platform.machine().lower() or "unknown"
    machine = {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    return f"{system}-{machine}"


def default_archive_format() -> str:
    return "zip" if sys.platform in ("win32", "darwin") else "gztar"


def is_dev_leftover(path: Path) -> bool:
    if KERNELS in path.parts:
        return False
    return path.name == "__pycache__" or path.suffix in DEV_LEFTOVERS


def inputs_digest() -> str:
    """A hash of everything the folder is built from (sources, resources, bundled versions)."""
    h = hashlib.sha256()
    for top in INPUT_DIRS:
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and not any(is_dev_leftover(p) for p in (path, *path.parents)):
                h.update(path.relative_to(ROOT).as_posix().encode())
                h.update(path.read_bytes())
    h.update(sys.version.encode())
    for dist in BUNDLED_DISTS:
        try:
            h.update(f"{dist}=={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist} missing".encode())
    return h.hexdigest()[:16]


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def executable(folder: Path) -> Path:
    """The app's executable inside a built folder (or inside the .app on macOS)."""
    for candidate in (folder / f"{NAME}.exe", folder / NAME,
                      folder.parent / "Descent Lab.app" / "Contents" / "MacOS" / NAME):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no {NAME} executable in {folder}")


def run_pyinstaller(dist: Path, work: Path, *, clean: bool, console: bool | None) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit('build.py: PyInstaller is missing; install it with  pip install -e ".[test]"')
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work)]
    if clean:
        cmd.append("--clean")
    cmd.append(str(SPEC))
    if console is not None:
        cmd += ["--", "--console" if console else "--windowed"]
    subprocess.run(cmd, cwd=ROOT, check=True)


def strip_symbols(folder: Path, min_saving: int = 1 << 20) -> int:
    """Linux: drop the symbol tables of big shared libraries that still carry them.

    Here that is libllvmlite (19 MB of symbols) and, with a pyenv-built Python, libpython
    (17 MB of debug information); the dynamic symbols that loading needs stay. A library
    whose RPATH/RUNPATH is relative to ``$ORIGIN`` is left alone: wheels get those from
    patchelf (auditwheel), and strip can break such files. Returns the bytes saved (0 where
    ``strip`` or ``readelf`` is missing).
    """
    if not sys.platform.startswith("linux") or not (shutil.which("strip") and shutil.which("readelf")):
        return 0
    saved = 0
    for path in sorted(folder.rglob("*.so*")):
        if path.is_symlink() or not path.is_file():
            continue
        info = subprocess.run(["readelf", "-dSW", str(path)], capture_output=True, text=True).stdout
        patched = "$ORIGIN" in info
        if patched and " .debug_info " not in info or not patched and " .symtab " not in info:
            continue
        before = path.stat().st_size
        stripped = path.with_name(path.name + ".stripped")
        # A patchelf'ed library (PyAV's modules carry 25 MB of debug information) loses
        # only its debug sections, and is kept stripped only if it still loads.
        how = "--strip-debug" if patched else "--strip-unneeded"
        done = subprocess.run(["strip", how, "-o", str(stripped), str(path)], capture_output=True)
        if done.returncode == 0 and patched and not _loads(stripped, path):
            done = subprocess.CompletedProcess(done.args, 1)
        if done.returncode == 0 and before - stripped.stat().st_size >= min_saving:
            shutil.copymode(path, stripped)
            os.replace(stripped, path)
            saved += before - path.stat().st_size
        else:
            stripped.unlink(missing_ok=True)
    return saved


def _loads(candidate: Path, original: Path) -> bool:
    """Whether ``candidate`` (a stripped copy of ``original``) still loads in its place."""
    probe = original.with_name(original.name + ".probe")
    shutil.copy2(original, probe)
    try:
        shutil.copy2(candidate, original)
        code = "import ctypes, sys; ctypes.CDLL(sys.argv[1])"
        return subprocess.run([sys.executable, "-c", code, str(original)], capture_output=True).returncode == 0
    finally:
        os.replace(probe, original)


def ship_kernels(folder: Path) -> dict:
    """Compile every kernel, for each portable CPU target this machine runs, with the built
    app itself (``--ship-kernels``) into its ``_internal/descentlab-kernels``; on macOS
    also into the .app's Resources, and sign the .app again (ad hoc) over the added files.

    Returns {"targets": [...], "kernel_bytes": n, "kernel_seconds": s}.
    """
    t0 = time.perf_counter()
    root = folder / "_internal" / KERNELS
    shutil.rmtree(root, ignore_errors=True)
    exe = folder / (f"{NAME}.exe" if sys.platform == "win32" else NAME)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NUMBA_", "DESCENTLAB_")) and k != "PYTHONPATH"}
    done = subprocess.run([str(exe), "--ship-kernels", str(root)], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"build.py: compiling the shipped kernels failed:\n{done.stdout}{done.stderr}")
    targets = sorted(p.name for p in root.iterdir() if (p / "complete").is_file()) if root.is_dir() else []
    app = folder.parent / "Descent Lab.app"
    if app.is_dir() and root.is_dir():
        resources = app / "Contents" / "Resources" / KERNELS
        shutil.rmtree(resources, ignore_errors=True)
        shutil.copytree(root, resources)
        if shutil.which("codesign"):
            subprocess.run(["codesign", "--force", "--deep", "--sign", "-", str(app)], check=True)
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) if root.is_dir() else 0
    return {"targets": targets, "kernel_bytes": size,
            "kernel_seconds": round(time.perf_counter() - t0, 1)}


def check_folder(folder: Path) -> None:
    leftovers = [p for p in folder.rglob("*") if is_dev_leftover(p)]
    if leftovers:
        raise SystemExit(f"build.py: development caches in the build: {leftovers[:5]}")
    if not any((folder / "_internal" / "resources" / "presets").glob("*.toml")):
        raise SystemExit(f"build.py: resources/presets missing from {folder}")


def make_archive(folder: Path, target_stem: Path, fmt: str) -> Path:
    """Pack ``folder`` (as a top-level directory of that name) into target_stem + extension."""
    target_stem.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "zip" and sys.platform == "darwin" and shutil.which("ditto"):
        source = folder.parent / "Descent Lab.app"
        source = source if source.is_dir() else folder
        out = target_stem.with_name(target_stem.name + ".zip")
        out.unlink(missing_ok=True)
        subprocess.run(["ditto", "-c", "-k", "--sequesterRsrc", "--keepParent", str(source), str(out)],
                       check=True)
        return out
    if fmt in ("gztar", "xztar"):
        # tarfile keeps symbolic links as links; gzip level 6 packs as small as 9 here, faster.
        mode, ext, opts = ("w:gz", ".tar.gz", {"compresslevel": 6}) if fmt == "gztar" else \
            ("w:xz", ".tar.xz", {"preset": 6})
        out = target_stem.with_name(target_stem.name + ext)
        with tarfile.open(out, mode, **opts) as tar:
            tar.add(folder, arcname=folder.name)
        return out
    if fmt == "zip":
        out = Path(shutil.make_archive(str(target_stem), "zip", root_dir=folder.parent,
                                       base_dir=folder.name))
        return out
    raise ValueError(f"unknown archive format {fmt!r}")


def build(dist: Path | None = None, work: Path | None = None, *, archive: str | None = "auto",
          reuse: bool = False, clean: bool = False, console: bool | None = None,
          strip: bool = True, quiet: bool = False) -> dict:
    """Build (or reuse) dist/descentlab and, unless ``archive`` is None, archive it.

    Returns the build record (also written to <dist>/descentlab.build.json).
    """
    dist = Path(dist or ROOT / "dist").resolve()
    work = Path(work or ROOT / "build" / "pyinstaller").resolve()
    folder = dist / NAME
    stamp_path = dist / f"{NAME}.build.json"
    digest = inputs_digest()
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))

    record = None
    if reuse and stamp_path.exists() and folder.is_dir():
        old = json.loads(stamp_path.read_text(encoding="utf-8"))
        if (old.get("inputs"), old.get("console"), old.get("strip")) == (digest, console, strip):
            record = old
            say(f"build.py: {folder} is up to date (inputs {digest}), not rebuilt")
    if record is None:
        say(f"build.py: building {folder} ...")
        t0 = time.perf_counter()
        run_pyinstaller(dist, work, clean=clean, console=console)
        stripped = strip_symbols(folder) if strip else 0
        seconds = time.perf_counter() - t0
        check_folder(folder)
        kernels = ship_kernels(folder)
        record = {"version": version(), "platform": platform_tag(), "inputs": digest,
                  "console": console, "strip": strip, "stripped_bytes": stripped,
                  "build_seconds": round(seconds, 1), **kernels,
                  "folder": str(folder), "folder_bytes": folder_size(folder), "archive": None}

    if archive:
        fmt = default_archive_format() if archive == "auto" else archive
        t0 = time.perf_counter()
        out = make_archive(folder, dist / f"{NAME}-{record['version']}-{record['platform']}", fmt)
        record.update(archive=str(out), archive_bytes=out.stat().st_size,
                      archive_seconds=round(time.perf_counter() - t0, 1))
    stamp_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")

    mb = 1024 * 1024
    say(f"build.py: folder  {record['folder']}  {record['folder_bytes'] / mb:.0f} MiB"
        f"  (PyInstaller {record['build_seconds']} s)")
    say(f"build.py: kernels for {', '.join(record.get('targets') or ['no target'])}"
        f"  {record.get('kernel_bytes', 0) / mb:.1f} MiB  ({record.get('kernel_seconds')} s)")
    if record.get("archive"):
        say(f"build.py: archive {record['archive']}  {record['archive_bytes'] / mb:.0f} MiB"
            f"  ({record['archive_seconds']} s)")
    return record


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Build dist/descentlab/ and an archive of it.")
    p.add_argument("--dist", type=Path, help="output folder (default: dist/)")
    p.add_argument("--work", type=Path, help="PyInstaller's work folder (default: build/pyinstaller)")
    p.add_argument("--archive", default="auto", choices=["auto", "zip", "gztar", "xztar"],
                   help="archive format (default: zip on Windows and macOS, .tar.gz elsewhere)")
    p.add_argument("--no-archive", dest="archive", action="store_const", const=None)
    p.add_argument("--reuse", action="store_true",
                   help="keep an existing folder built from the same sources and versions")
    p.add_argument("--clean", action="store_true", help="empty PyInstaller's caches first")
    p.add_argument("--no-strip", dest="strip", action="store_false",
                   help="keep the symbol tables of big Linux libraries (see strip_symbols)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--console", dest="console", action="store_true", default=None,
                      help="keep a console window (Windows/macOS builds are windowed by default)")
    mode.add_argument("--windowed", dest="console", action="store_false")
    args = p.parse_args(argv)
    build(args.dist, args.work, archive=args.archive, reuse=args.reuse, clean=args.clean,
          console=args.console, strip=args.strip)
    return 0


if __name__ == "__main__":
    sys.exit(main())
