"""Fill the compile cache in parallel child processes, so a first launch uses every core.

Numba compiles one function at a time in a process (a global lock), and the engine's
kernels take seconds to compile. On a first launch (an empty cache) the app therefore
starts child processes that compile groups of kernels side by side and save them to the
shared cache folder; the app loads each group from there (a fraction of a second) as soon
as the children report it. Groups, in the order the window needs them:

    surfaces   evaluating surfaces (a race's start, the map's field), lr schedules, drawing helpers
    race       the surface race kernel, with the optimizer step the other races share
    formula    typed formulas: points, grid, minima search and their race kernel
    datasets   the dataset kernels: the objective, forward pass, shuffles and the race

The first two every race and the window need; the others come from the problem kinds
(each kind's ``precompile``, engine.problems.registry).

A group is made of parts (``PARTS``), and the children compile parts, so that both can
work on one group. Where it is safe (Linux, no other Python thread yet: the app starts them
before Qt) a child is this process forked, the engine already imported; elsewhere it is
``python -m descentlab.engine.compile.precompile PART ...`` (in the frozen app, ``descentlab
--precompile PART ...``). Either prints ``compiled PART`` after each part.
Once a part has been compiled, a stamp in the cache folder says so and later launches start
no child for it. Anything going wrong in a child (it crashes, it is killed, it cannot
start) only means the parent compiles those parts itself, as it would without children.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..problems.registry import KINDS
from .cache import CACHE_DIR, EXACT_ENV_VAR, MODULE_KEYED, source_fingerprint
from .compile_only import compile_only
from .forked_child import ForkedChild, can_fork

# A child that has not reported a part by then (it hangs, or the machine is very slow) is
# no longer waited for: the parent compiles that part itself.
TIMEOUT_SECONDS = 120.0
CHILD_ENV_VAR = "DESCENTLAB_PRECOMPILE_CHILD"  # set for the app's children only


# ------------------------------------------------------------------- what each part runs
def _compile_fg() -> None:
    from ..race.race import Race
    from ..race.schedules import schedule_lrs

    schedule_lrs("cosine", 0.1, 2, T_max=2)  # a race step and the run cards call them
    race = Race("bowl", history=4)
    race.add_run("adam")  # evaluates the start point: the surfaces' f and ∇f
    race.add_run("newton")  # and their Hessians (a Newton run's start)


def _compile_steps() -> None:
    from ..optimizers.dispatch import OPTIMIZER_STEP

    OPTIMIZER_STEP.address()


def _compile_lbfgs() -> None:
    from ..optimizers.lbfgs import LBFGS_STEP

    LBFGS_STEP.address()


def _compile_surface_race() -> None:
    from ..race.race import Race
    from ..surface import problem as surface

    race = Race("bowl", history=4)
    compile_only(surface._advance_surface, race.problem.advance_args(race.runs, race.hist, 2, (0, 0)))


def _compile_drawing() -> None:
    import numpy as np

    from ..maps import drawing

    # (the map's field and points evaluate the surfaces with the fg part's kernel)
    xs = np.linspace(-1.0, 1.0, 4)
    drawing.thin_path(xs, xs, 1.0, 1.0)
    drawing.envelope(np.arange(4.0), xs, 0.0, 4.0, 2)


# A group is ready once all its parts are compiled. Parts are what the children compile;
# they are split so that the two children can share the work of one group: the race and
# dataset kernels call the optimizer step and the dataset objective through their compiled
# addresses (engine.compile.compiled_call), so each compiles without the other compiled first.
# The groups every race and the window need are these; each problem kind adds its own
# (its ProblemKind.precompile, engine.problems.registry), in the registry's order.
_BASE_PARTS = {
    "fg": _compile_fg,  # the surfaces' f and ∇f (a race's start, the map's field and points),
    #                     the lr schedules (a race step, the run cards' sparklines)
    "steps": _compile_steps,  # the optimizer step (every update rule but L-BFGS's)
    "surface-race": _compile_surface_race,  # the surface race kernel
    "drawing": _compile_drawing,  # the path drawing helpers
    "lbfgs": _compile_lbfgs,  # L-BFGS's step (its own: only a race with an L-BFGS run waits)
}
BASE_GROUPS = {"surfaces": ("fg", "drawing"), "race": ("fg", "steps", "surface-race")}
# Groups only a race with such an optimizer needs (engine.optimizers.dispatch.step_addresses),
# loaded as they come, like a problem kind's.
QUASI_NEWTON = "quasi-newton"  # L-BFGS's step: a race with an L-BFGS run
OPTIMIZER_GROUPS = {QUASI_NEWTON: ("lbfgs",)}
_KIND_COMPILERS = {group: parts for kind in KINDS for group, parts in kind.precompile.items()}
KIND_GROUPS = {group: tuple(parts) for group, parts in _KIND_COMPILERS.items()}
PARTS = {**BASE_GROUPS, **KIND_GROUPS, **OPTIMIZER_GROUPS}
GROUPS = tuple(PARTS)
COMPILERS = {**_BASE_PARTS, **{p: f for parts in _KIND_COMPILERS.values() for p, f in parts.items()}}
# Two children, one a core, balanced by the times each part takes on a first launch
# (benchmarks/compile_profile.py measures them): the surface race is ready after the
# drawing helpers, the dataset kernels once both children are through their dataset parts,
# and the typed formulas, which no first scene needs, come last. A part no child is given
# here (a new kind's) goes to the child with fewer parts.
_BALANCED = (("fg", "surface-race", "losses", "objective", "formulas"),
             ("steps", "drawing", "network", "dataset-race", "dataset-eval", "lbfgs"))
_UNPLANNED = tuple(p for p in COMPILERS if all(p not in child for child in _BALANCED))
PLAN = tuple(child + _UNPLANNED if child is min(_BALANCED, key=len) else child for child in _BALANCED)
assert set(COMPILERS) == {p for parts in PARTS.values() for p in parts} == \
    {p for parts in PLAN for p in parts}, "every part is compiled by a child and for a group"
assert not set(COMPILERS) & set(PARTS), "a part and a group share a name (they are looked up by name)"


def compile_part(name: str) -> None:
    """Compile (or load) every kernel of part ``name`` in this process, and stamp it."""
    COMPILERS[name]()
    mark_compiled(name)


def compile_group(name: str) -> None:
    """Compile (or load) every kernel of group ``name`` in this process, and stamp its parts."""
    for part in PARTS[name]:
        compile_part(part)


# ------------------------------------------------------------------------- the stamps
def _source_stamp() -> str:
    """Changes whenever Numba would recompile: the sources' contents, and (with Numba's own
    locators, which check them) their sizes and times."""
    return source_fingerprint(with_times=not MODULE_KEYED)


def _stamp_path(name: str) -> Path:
    return Path(CACHE_DIR) / f"compiled-{name}"


def is_compiled(name: str) -> bool:
    """Whether part ``name`` (or every part of group ``name``) is stamped as compiled."""
    if name in PARTS:
        return all(is_compiled(part) for part in PARTS[name])
    try:
        return _stamp_path(name).read_text() == _source_stamp()
    except OSError:
        return False


def mark_compiled(name: str) -> None:
    """Stamp part ``name`` (or every part of group ``name``) as compiled."""
    for part in PARTS.get(name, (name,)):
        try:
            _stamp_path(part).write_text(_source_stamp())
        except OSError:  # a read-only cache: the next launch compiles again, no harm done
            pass


# --------------------------------------------------------------------------- children
def child_command(groups) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, "--precompile", *groups]
    return [sys.executable, "-m", "descentlab.engine.compile.precompile", *groups]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env[EXACT_ENV_VAR] = str(CACHE_DIR)  # the very folder this process uses
    env[CHILD_ENV_VAR] = "1"
    env.setdefault("NUMBA_NUM_THREADS", "1")
    package = Path(__file__).resolve().parents[2]  # the folder that is ``descentlab``
    if not getattr(sys, "frozen", False) and package.name == "descentlab":
        # A copy laid out as descentlab/engine (a wheel, a test's copy): the child imports
        # this very copy. (An editable checkout maps the name itself.)
        root = str(package.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def child_creation_flags() -> int:
    """Windows: no console window, and below the app's priority (elsewhere the child lowers
    its own, ``_behave_as_a_child``); 0 where subprocess has no such flags."""
    return (getattr(subprocess, "CREATE_NO_WINDOW", 0)
            | getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0))


class Precompiler:
    """Child processes compiling the parts of the groups; ask :meth:`wait` for a group.

    Parts already stamped as compiled are left out; if nothing is left, no child starts.
    Thread-safe: the worker thread waits while the GUI thread may ask :meth:`done`.
    """

    def __init__(self, plan=PLAN, timeout: float = TIMEOUT_SECONDS, fork: bool = False):
        self.plan = [tuple(g for g in groups if not is_compiled(g)) for groups in plan]
        self.plan = [groups for groups in self.plan if groups]
        self._done = {g: threading.Event() for groups in self.plan for g in groups}
        self._compiled: set[str] = set()
        self.reported_at: dict[str, float] = {}  # part → time.perf_counter() of its report
        self._procs: list = []  # subprocess.Popen or forked_child.ForkedChild
        self._lock = threading.Lock()
        self.log: list[str] = []  # what the children printed besides their reports
        self.started = False
        self.timeout = timeout
        self._deadline = math.inf
        # Fork the children if asked and safe when they start (see engine.compile.forked_child):
        # a forked child skips a fresh interpreter's ≈ 0.6 s of start-up and imports.
        self.fork = fork
        self.forked = False

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
            self.forked = self.fork and bool(self.plan) and can_fork()
            started = []
            for parts in self.plan:  # every child first: a reader thread would stop a fork
                try:
                    started.append((self._start_child(parts, [c for c, _ in started]), parts))
                except OSError as exc:
                    self.log.append(f"could not start {parts}: {exc}")
                    for p in parts:
                        self._done[p].set()
            for proc, parts in started:
                self._procs.append(proc)
                threading.Thread(target=self._read, args=(proc, parts), daemon=True,
                                 name="descentlab-precompile").start()
        return self

    def _start_child(self, parts, siblings):
        if self.forked:
            return ForkedChild(lambda out, lifeline: _compile_in_child(parts, out, lifeline),
                               close=[fd for sibling in siblings for fd in sibling.fds()])
        return subprocess.Popen(child_command(parts), env=_child_env(), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                creationflags=child_creation_flags())

    def _read(self, proc, parts) -> None:
        try:
            for line in proc.stdout:
                word, _, part = line.strip().partition(" ")
                if word == "compiled" and part in self._done:
                    self.reported_at[part] = time.perf_counter()
                    self._compiled.add(part)
                    self._done[part].set()
                elif line.strip():
                    self.log.append(line.rstrip())
        except (OSError, ValueError):
            pass
        finally:
            proc.wait()
            for p in parts:  # whatever it did not report, the parent compiles itself
                self._done[p].set()
            for pipe in (proc.stdin, proc.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass

    def _planned_parts(self, name: str) -> list[str]:
        return [p for p in PARTS.get(name, (name,)) if p in self._done]

    def done(self, group: str) -> bool:
        """True once ``group`` (or a part) is compiled, or no child will (in time) any more."""
        if time.monotonic() > self._deadline:
            return True
        return all(self._done[p].is_set() for p in self._planned_parts(group))

    def compiled(self, group: str) -> bool:
        """True if the children compiled every planned part of ``group`` (as opposed to
        giving up on one)."""
        parts = self._planned_parts(group)
        return bool(parts) and all(p in self._compiled for p in parts)

    def planned(self, group: str) -> bool:
        """True if a child was to compile a part of ``group`` (not stamped as compiled)."""
        return bool(self._planned_parts(group))

    def failed(self, group: str) -> bool:
        """True if a child was to compile a part of ``group`` and is done without doing so."""
        return self.planned(group) and self.done(group) and not self.compiled(group)

    def reported(self, group: str) -> float | None:
        """When the last planned part of ``group`` was reported (time.perf_counter())."""
        times = [self.reported_at.get(p) for p in self._planned_parts(group)]
        return max(times) if times and None not in times else None

    def wait(self, group: str, should_stop=None, poll: float = 0.05) -> bool:
        """Block until :meth:`done`; False if ``should_stop()`` turned true first."""
        for part in self._planned_parts(group):
            event = self._done[part]
            while not event.wait(poll) and not self.done(part):
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
    """Compile every part not yet stamped, in parallel children.

    Returns the seconds from the call until each group was ready, i.e. its last part was
    reported (groups already compiled are left out); raises RuntimeError with the
    children's output if one failed.
    """
    t0 = time.perf_counter()
    pre = Precompiler(plan, fork=True).start()
    for parts in pre.plan:
        for p in parts:
            pre.wait(p)
    pre.stop()
    missing = [p for parts in pre.plan for p in parts if not pre.compiled(p)]
    if missing:
        raise RuntimeError(f"the children did not compile {missing}:\n" + "\n".join(pre.log))
    return {g: pre.reported(g) - t0 for g in GROUPS if pre.planned(g)}


def _behave_as_a_child(lifeline) -> None:
    """Yield the CPU to the app's window, and end when the app ends, however it ends
    (the app holds the other end of the pipe ``lifeline`` open until then).

    And skip SciPy's BLAS: Numba's first compile in a process checks for it (for
    ``np.dot``), importing ``scipy.linalg`` if SciPy is installed (≈ 0.3 s). No kernel of
    the engine uses BLAS, and a child compiles nothing else."""
    if "scipy.linalg" not in sys.modules:
        sys.modules["scipy.linalg"] = None  # importing it now raises ImportError: no BLAS
    if hasattr(os, "nice"):  # Windows: the app starts us below its priority instead
        os.nice(10)
    if lifeline is None:
        return

    def watch():
        try:
            lifeline.read()  # returns when the pipe closes: the parent is gone
        except (OSError, ValueError):
            return
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="descentlab-parent-watch").start()


def _compile_in_child(parts, out, lifeline) -> None:
    """A forked child's work: compile ``parts``, reporting each on ``out``."""
    _behave_as_a_child(lifeline)
    for p in parts:
        compile_part(p)
        print(f"compiled {p}", file=out, flush=True)


def main(argv=None) -> int:
    parts = list(sys.argv[1:] if argv is None else argv)
    unknown = [p for p in parts if p not in COMPILERS]
    if unknown or not parts:
        print(f"usage: python -m descentlab.engine.compile.precompile PART ...; "
              f"parts: {', '.join(COMPILERS)}"
              f"{'; unknown: ' + ', '.join(unknown) if unknown else ''}", file=sys.stderr)
        return 2
    if os.environ.get(CHILD_ENV_VAR) == "1":
        _behave_as_a_child(sys.stdin)
    for p in parts:
        compile_part(p)
        print(f"compiled {p}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
