"""Fill a shipped root: every kernel compiled for each portable CPU target this machine runs.

    python -m descentlab.engine.compile.fill_shipped ROOT [TARGET ...]
    descentlab --ship-kernels ROOT [TARGET ...]        # the frozen app: packaging/build.py runs it

Each target's parts are compiled by a child (``--precompile``, the app's own compiling
child) with ``NUMBA_CPU_NAME`` and ``NUMBA_CPU_FEATURES`` set to the target's, into
``ROOT/<target>/``; the folder is marked complete once every part is stamped
(engine.compile.shipped reads these folders at launch).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .cache import EXACT_ENV_VAR
from .precompile import COMPILERS, child_command
from .shipped import BY_NAME, COMPLETE, ENV_VAR, STAMP_PREFIX, runnable_targets


def fill_command(target: str, root: Path) -> tuple[list[str], dict[str, str]]:
    """The child that compiles every part for ``target`` into ``root/target``: command, env."""
    env = dict(os.environ, NUMBA_CPU_NAME=target, NUMBA_CPU_FEATURES=BY_NAME[target].features,
               NUMBA_NUM_THREADS="1")
    env[EXACT_ENV_VAR] = str(root / target)
    env[ENV_VAR] = str(root)  # module-keyed cache files, as the launches that load them use
    return child_command(list(COMPILERS)), env


def fill(root: Path, targets: list[str] | None = None) -> list[str]:
    """Compile every part for each target this machine can run (in parallel children) into
    ``root/<target>/``; return the targets filled. Raises RuntimeError if a child fails."""
    targets = runnable_targets() if targets is None else targets
    procs = []
    for target in targets:
        shutil.rmtree(root / target, ignore_errors=True)
        (root / target).mkdir(parents=True)
        cmd, env = fill_command(target, root)
        procs.append((target, subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                               stderr=subprocess.STDOUT, text=True)))
    for target, proc in procs:
        out, _ = proc.communicate()
        stamped = all((root / target / f"{STAMP_PREFIX}{part}").is_file() for part in COMPILERS)
        if proc.returncode or not stamped:
            raise RuntimeError(f"compiling the shipped kernels for {target} failed:\n{out[-3000:]}")
        (root / target / COMPLETE).write_text(" ".join(COMPILERS) + "\n")
    return targets


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m descentlab.engine.compile.fill_shipped ROOT [TARGET ...]", file=sys.stderr)
        return 2
    filled = fill(Path(args[0]), args[1:] or None)
    print(f"shipped kernels for {', '.join(filled) or 'no target (none runs here)'} in {args[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
