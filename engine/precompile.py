"""Fill the compile cache in parallel child processes, so a first launch uses every core.

Numba compiles one function at a time in a process (a global lock), and the engine's
kernels take seconds to compile. On a first launch (an empty cache) the app therefore
starts child processes that compile groups of kernels side by side and save them to the
shared cache folder; the app loads each group from there (a fraction of a second) as soon
as its child reports it. Groups, in the order the window needs them:

    surfaces   evaluating surfaces (a race's start, the map's field), lr schedules, drawing helpers
    race       the surface race kernel, with the optimizer step the other races share
    formula    typed formulas: points, grid, minima search and their race kernel
    datasets   the dataset kernels: the objective, forward pass, shuffles and the race

A child is ``python -m descentlab.engine.precompile GROUP ...`` (in the frozen app, ``descentlab
--precompile GROUP ...``); it prints ``compiled GROUP`` after each. Once a group has been
compiled, a stamp in the cache folder says so and later launches start no child for it.
Anything going wrong in a child (it crashes, it is killed, it cannot start) only means the
parent compiles that group itself, as it would without children.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from ._cache import CACHE_DIR, EXACT_ENV_VAR, source_fingerprint

GROUPS = ("surfaces", "race", "formula", "datasets")
# Two children: the race kernel (the window's first moving frame waits for it), then the
# typed formulas on one core; the surfaces' fields, then the dataset kernels on the other.
# The formula and dataset races reuse the optimizer step that the race group saved.
PLAN = (("race", "formula"), ("surfaces", "datasets"))
# A child that has not reported a group by then (it hangs, or the machine is very slow) is
# no longer waited for: the parent compiles that group itself.
TIMEOUT_SECONDS = 120.0
CHILD_ENV_VAR = "DESCENTLAB_PRECOMPILE_CHILD"  # set for the app's children only


# ------------------------------------------------------------------ what each group runs
def _compile_surfaces() -> None:
    import numpy as np

    from . import drawing
    from .race import Race
    from .schedules import schedule_lrs
    from .surface_kernels import surface_fg_points, surface_grid

    # First what the race group's kernel calls, so that the other child loads it from the
    # cache instead of compiling it too: the lr schedules and the surfaces' f and ∇f.
    schedule_lrs("cosine", 0.1, 2, T_max=2)  # also the run cards' lr sparklines
    race = Race("bowl", history=4)
    race.add_run("adam")  # evaluates the start point
    xs = np.linspace(-1.0, 1.0, 4)
    surface_grid(0, xs, xs)
    surface_fg_points(0, xs, xs)
    drawing.thin_path(xs, xs, 1.0, 1.0)
    drawing.envelope(np.arange(4.0), xs, 0.0, 4.0, 2)


def _compile_race() -> None:
    from .optimizers.dispatch import OPTIMIZER_STEP
    from .race import Race

    # The optimizer step first (the longest compile): meanwhile the surfaces child compiles
    # the surface functions and lr schedules the race kernel calls, and they come from the
    # cache here.
    OPTIMIZER_STEP.address()
    race = Race("bowl", history=4)
    race.add_run("adam")
    race.advance(2)


def _compile_formula() -> None:
    import numpy as np

    from .problems.formula import FormulaSurface
    from .race import Race

    # points and minima search (building one), the map's grid, the race kernel
    formula = FormulaSurface("x^2 + y^2")
    xs = np.linspace(-1.0, 1.0, 4)
    formula.loss_grid(xs, xs)
    race = Race(formula, history=4)
    race.add_run("adam")
    race.advance(2)


def _compile_datasets() -> None:
    from .data import DatasetProblem, Model, make_dataset
    from .race import Race

    problem = DatasetProblem(make_dataset("moons", 24, seed=0),
                             Model("mlp", hidden=(3,), activation="tanh"))
    race = Race(problem, history=4)
    race.add_run("adam", problem.default_start, batch_size=4)
    race.advance(2)
    problem.outputs(problem.default_start)
    problem.epoch_order(1)


COMPILERS = {"surfaces": _compile_surfaces, "race": _compile_race, "formula": _compile_formula,
             "datasets": _compile_datasets}


def compile_group(name: str) -> None:
    """Compile (or load) every kernel of group ``name`` in this process, and stamp it."""
    COMPILERS[name]()
    mark_compiled(name)


# ------------------------------------------------------------------------- the stamps
def _source_stamp() -> str:
    """Changes whenever Numba would recompile: the sources' contents, sizes and times."""
    return source_fingerprint(with_times=True)


def _stamp_path(name: str) -> Path:
    return Path(CACHE_DIR) / f"compiled-{name}"


def is_compiled(name: str) -> bool:
    try:
        return _stamp_path(name).read_text() == _source_stamp()
    except OSError:
        return False


def mark_compiled(name: str) -> None:
    try:
        _stamp_path(name).write_text(_source_stamp())
    except OSError:  # a read-only cache: the next launch compiles again, no harm done
        pass


# --------------------------------------------------------------------------- children
def child_command(groups) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, "--precompile", *groups]
    return [sys.executable, "-m", "descentlab.engine.precompile", *groups]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env[EXACT_ENV_VAR] = str(CACHE_DIR)  # the very folder this process uses
    env[CHILD_ENV_VAR] = "1"
    env.setdefault("NUMBA_NUM_THREADS", "1")
    package = Path(__file__).resolve().parent.parent  # the folder that is ``descentlab``
    if not getattr(sys, "frozen", False) and package.name == "descentlab":
        # A copy laid out as descentlab/engine (a wheel, a test's copy): the child imports
        # this very copy. (An editable checkout maps the name itself.)
        root = str(package.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


# Windows: no console window, and below the app's priority (elsewhere main() lowers it).
_CHILD_FLAGS = (getattr(subprocess, "CREATE_NO_WINDOW", 0)
                | getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0))


class Precompiler:
    """Child processes compiling groups of kernels; ask :meth:`wait` for a group.

    Groups already stamped as compiled are left out; if nothing is left, no child starts.
    Thread-safe: the worker thread waits while the GUI thread may ask :meth:`done`.
    """

    def __init__(self, plan=PLAN, timeout: float = TIMEOUT_SECONDS):
        self.plan = [tuple(g for g in groups if not is_compiled(g)) for groups in plan]
        self.plan = [groups for groups in self.plan if groups]
        self._done = {g: threading.Event() for groups in self.plan for g in groups}
        self._compiled: set[str] = set()
        self.reported_at: dict[str, float] = {}  # group → time.perf_counter() of its report
        self._procs: list[subprocess.Popen] = []
        self._lock = threading.Lock()
        self.log: list[str] = []  # what the children printed besides their reports
        self.started = False
        self.timeout = timeout
        self._deadline = math.inf

    @property
    def needed(self) -> bool:
        return bool(self.plan)

    def start(self) -> Precompiler:
        """Start one child per entry of the plan (none if everything is compiled)."""
        with self._lock:
            if self.started:
                return self
            self.started = True
            self._deadline = time.monotonic() + self.timeout
            for groups in self.plan:
                try:
                    proc = subprocess.Popen(
                        child_command(groups), env=_child_env(), stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                        creationflags=_CHILD_FLAGS)
                except OSError as exc:
                    self.log.append(f"could not start {groups}: {exc}")
                    for g in groups:
                        self._done[g].set()
                    continue
                self._procs.append(proc)
                threading.Thread(target=self._read, args=(proc, groups), daemon=True,
                                 name="descentlab-precompile").start()
        return self

    def _read(self, proc: subprocess.Popen, groups) -> None:
        try:
            for line in proc.stdout:
                word, _, group = line.strip().partition(" ")
                if word == "compiled" and group in self._done:
                    self.reported_at[group] = time.perf_counter()
                    self._compiled.add(group)
                    self._done[group].set()
                elif line.strip():
                    self.log.append(line.rstrip())
        except (OSError, ValueError):
            pass
        finally:
            proc.wait()
            for g in groups:  # whatever it did not report, the parent compiles itself
                self._done[g].set()
            for pipe in (proc.stdin, proc.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass

    def done(self, group: str) -> bool:
        """True once ``group`` is compiled, or no child will (in time) any more."""
        event = self._done.get(group)
        return event is None or event.is_set() or time.monotonic() > self._deadline

    def compiled(self, group: str) -> bool:
        """True if a child compiled ``group`` (as opposed to giving up on it)."""
        return group in self._compiled

    def planned(self, group: str) -> bool:
        """True if a child was to compile ``group`` (it was not stamped as compiled)."""
        return group in self._done

    def failed(self, group: str) -> bool:
        """True if a child was to compile ``group`` and is done without doing so."""
        return self.planned(group) and self.done(group) and not self.compiled(group)

    def wait(self, group: str, should_stop=None, poll: float = 0.05) -> bool:
        """Block until :meth:`done`; False if ``should_stop()`` turned true first."""
        event = self._done.get(group)
        while event is not None and not event.wait(poll) and not self.done(group):
            if should_stop is not None and should_stop():
                return False
        return True

    def stop(self) -> None:
        """End every child still running (its finished kernels stay in the cache)."""
        with self._lock:
            procs, self._procs = self._procs, []
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        for proc in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass


def compile_all(plan=PLAN) -> dict[str, float]:
    """Compile every group not yet stamped, in parallel children.

    Returns the seconds from the call until each group was reported (groups already
    compiled are left out); raises RuntimeError with the children's output if one failed.
    """
    t0 = time.perf_counter()
    pre = Precompiler(plan).start()
    for groups in pre.plan:
        for g in groups:
            pre.wait(g)
    pre.stop()
    missing = [g for groups in pre.plan for g in groups if not pre.compiled(g)]
    if missing:
        raise RuntimeError(f"the children did not compile {missing}:\n" + "\n".join(pre.log))
    return {g: t - t0 for g, t in pre.reported_at.items()}


def _behave_as_a_child() -> None:
    """Yield the CPU to the app's window, and end when the app ends, however it ends
    (the app holds our stdin pipe open until then)."""
    if os.environ.get(CHILD_ENV_VAR) != "1":
        return
    if hasattr(os, "nice"):  # Windows: the app starts us below its priority instead
        os.nice(10)
    stdin = sys.stdin
    if stdin is None:
        return

    def watch():
        try:
            stdin.read()  # returns when the pipe closes: the parent is gone
        except (OSError, ValueError):
            return
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="descentlab-parent-watch").start()


def main(argv=None) -> int:
    groups = list(sys.argv[1:] if argv is None else argv)
    unknown = [g for g in groups if g not in COMPILERS]
    if unknown or not groups:
        print(f"usage: python -m descentlab.engine.precompile GROUP ...; groups: {', '.join(GROUPS)}"
              f"{'; unknown: ' + ', '.join(unknown) if unknown else ''}", file=sys.stderr)
        return 2
    _behave_as_a_child()
    for g in groups:
        compile_group(g)
        print(f"compiled {g}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
