"""Kernels shipped with the app, compiled for portable CPU targets: a first launch that does not compile.

Numba's compiled kernels are tied to the CPU they were compiled for (its name and features
are part of every cache entry's key). The executable therefore carries its kernels compiled
for portable targets: ``x86-64-v4`` (AVX-512) and ``x86-64-v3`` (AVX2, FMA: about every x86
CPU since 2015) on x86-64, ``apple-m1`` on Apple silicon, those the build machine runs. Each
is a folder under the shipped root, a complete compile cache: every part of
engine.compile.precompile compiled and stamped, the folder marked complete.

On a launch, :func:`select_target` picks the best target the host can run whose folder is
complete; the process then compiles for that target (``NUMBA_CPU_NAME``, and
``NUMBA_CPU_FEATURES`` set to the target's: never the host's), its user cache
is a folder of its own, and :func:`copy_shipped` fills that folder from the shipped one the
first time. A host that runs no shipped target, a missing or incomplete folder, or a
``NUMBA_CPU_NAME`` the user set, all mean: compile for the host, as without shipped kernels.

``benchmarks/cpu_targets.py`` measures the targets against host-compiled kernels: equal
speed on surfaces; on datasets an AVX-512 host needs ``x86-64-v4`` (AVX2 code ran the
full-batch MLP race 1.3-1.4x slower there). Surface and formula kernels do the same
arithmetic on every target (no fast-math), so those races are bit-identical whichever kernels
run; the dataset kernels' reassociated sums follow the vector width (their tolerance with
torch is 1e-9 relative anyway).

Filling a shipped root is engine.compile.fill_shipped's job (the build's).
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

ENV_VAR = "DESCENTLAB_SHIPPED_KERNELS"  # a shipped root other than the executable's own
BUNDLE_FOLDER = "descentlab-kernels"  # the shipped root inside the executable's folder
STAMP_PREFIX = "compiled-"  # engine.compile.precompile's stamp files, one per part
COMPLETE = "complete"  # written when a fill has compiled and stamped every part

_V2 = frozenset({"cx16", "popcnt", "sahf", "sse3", "sse4.1", "sse4.2", "ssse3"})
_V3 = _V2 | {"avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave"}
_V4 = _V3 | {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}


class Target(NamedTuple):
    name: str  # LLVM's CPU name: NUMBA_CPU_NAME, and the shipped folder's name
    features: str  # NUMBA_CPU_FEATURES: "" is the CPU's own; here only tuning is changed
    needs: frozenset[str]  # the host features (LLVM's names) its code uses


# Best first. x86-64-v4 with 512-bit vectors preferred: LLVM's generic tuning keeps AVX-512
# code at 256 bits, which ran the full-batch MLP race 1.2-1.3x slower than host-compiled
# kernels on an AVX-512 host (benchmarks/cpu_targets.py); preferring 512 bits matched them.
TARGETS = {
    "x86_64": (Target("x86-64-v4", "-prefer-256-bit", _V4), Target("x86-64-v3", "", _V3)),
    "arm64-darwin": (Target("apple-m1", "", frozenset()),),  # every Apple silicon Mac runs M1 code
}
BY_NAME = {t.name: t for targets in TARGETS.values() for t in targets}


def machine() -> str:
    """This machine's kind, as :data:`TARGETS` keys it ("" if no target is shipped for it)."""
    arch = platform.machine().lower()
    if arch in ("x86_64", "amd64"):
        return "x86_64"
    if arch in ("arm64", "aarch64") and sys.platform == "darwin":
        return "arm64-darwin"
    return ""


def host_features() -> frozenset[str]:
    import llvmlite.binding as ll

    return frozenset(name for name, on in ll.get_host_cpu_features().items() if on)


def runnable_targets(kind: str | None = None, features: frozenset[str] | None = None) -> list[str]:
    """The targets of machine ``kind`` whose code ``features`` (the host's) can run, best first."""
    targets = TARGETS.get(machine() if kind is None else kind, ())
    if not targets:
        return []
    have = host_features() if features is None else features
    return [t.name for t in targets if t.needs <= have]


def shipped_root() -> Path | None:
    """The folder of shipped kernels: ``DESCENTLAB_SHIPPED_KERNELS``, else the executable's own."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    if getattr(sys, "frozen", False):
        bundle = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / BUNDLE_FOLDER
        in_app = Path(sys.executable).resolve().parent.parent / "Resources" / BUNDLE_FOLDER  # macOS
        return in_app if not bundle.is_dir() and in_app.is_dir() else bundle
    return None


def complete(folder: Path) -> bool:
    """Whether ``folder`` holds a finished fill (:func:`fill` marks it last)."""
    return (folder / COMPLETE).is_file()


def select_target(root: Path | None = None, runnable: list[str] | None = None) -> str | None:
    """The target whose shipped kernels this process should use, or None (compile for the host)."""
    if os.environ.get("NUMBA_CPU_NAME"):  # the user's (or our fill's) choice stands
        return None
    root = shipped_root() if root is None else root
    if root is None or not root.is_dir():
        return None
    for target in runnable_targets() if runnable is None else runnable:
        if complete(root / target):
            return target
    return None


def compile_for(target: str) -> None:
    """Make every kernel this process compiles from now on target ``target``."""
    features = BY_NAME[target].features
    os.environ["NUMBA_CPU_NAME"] = target
    os.environ["NUMBA_CPU_FEATURES"] = features
    if "numba" in sys.modules:  # its config has already read the environment
        from numba.core import config

        config.CPU_NAME, config.CPU_FEATURES = target, features


def copy_shipped(source: Path, cache: Path) -> int:
    """Copy the shipped kernels in ``source`` that ``cache`` lacks; return how many files.

    Files land whole (a temporary name, then a rename): a launch killed halfway leaves
    files missing, never half-written, and the next launch copies the rest.
    """
    copied = 0
    # The stamps last: a stamp says its part's kernels are there.
    for src in sorted(source.rglob("*"), key=lambda p: (p.name.startswith(STAMP_PREFIX), p)):
        if not src.is_file():
            continue
        dest = cache / src.relative_to(source)
        if dest.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".copy-")
        os.close(fd)
        try:
            shutil.copyfile(src, tmp)
            os.replace(tmp, dest)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        copied += 1
    return copied
