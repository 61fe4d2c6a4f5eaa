"""``Race``: many runs on one problem, advanced in lockstep by one compiled kernel call.

The race keeps every run's state in the bundles of :mod:`engine.race.state` (one row per run)
so that a single call of the problem's kernel advances all of them; Python only runs
between chunks. It never asks what kind of problem it has: everything problem-specific
goes through the protocol of :mod:`engine.problems.protocol`, including the problem's own
per-run state, which the race stores and resizes but never reads. It is not thread-safe:
one thread (the GUI's worker) owns it.

History is bounded: each run keeps at most ``history`` rows. The first rows (a head of
``state.head_rows(history)``: the first 1,024 steps with the default history) hold every
step and are never thinned; when the rows are full, every other row of the tail is
dropped and from then on only every 2nd (4th, 8th …) step is recorded there, so the step
of each row follows from (head, stride) (``RunSnapshot.steps``) and a long race costs the
same memory as a short one (rows × (P + 3) × 8 bytes per run: θ, loss, gradient norm and
held-out loss) while still showing its first steps as they were.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from ..checks import integer, nonnegative, validated_start
from ..noise import stream_seed
from ..optimizers import MAX_HYPER, STATE_SCALARS, STATE_VECTORS, get_optimizer, lbfgs
from ..problems import as_problem
from ..problems.hessian import MAX_HESSIAN_PARAMS, hessian_size
from ..quoted import quoted
from . import state
from . import steps as kernels
from .fans import MAX_REPEATS, FanSnapshot, fan_summary, repeat_seed
from .life import Life
from .schedules import PARAM_NAMES as SCHEDULE_PARAM_NAMES
from .schedules import Schedule, as_schedule, schedule_lrs

DEFAULT_HISTORY = 16384


@dataclass
class RunSnapshot:
    """A copy of one run's state and history, safe to hand to another thread."""

    uid: int
    optimizer: str
    label: str
    hyper: dict[str, float]
    step: int
    position: np.ndarray
    loss: float
    grad_norm: float
    diverged_at: int | None
    reached_at: int | None
    reached_minimum: int | None
    stride: int
    path: np.ndarray
    losses: np.ndarray
    grad_norms: np.ndarray
    batch_size: int | None = None  # dataset problems: None = the full batch (GD)
    test_loss: float = float("nan")  # dataset problems: the latest evaluated test loss
    test_losses: np.ndarray | None = None  # dataset problems: per history row, NaN if not evaluated
    born: int = 0  # the race step its current life began at (added or restarted then)
    head: int = 1  # the first rows hold steps 0 … head − 1 exactly (state.head_rows)
    # A run repeated with N seeds (Race.add_run(repeats=N), engine.race.fans): the fields above
    # are then the median repeat's (losses and path: per recorded step), this holds all N.
    fan: FanSnapshot | None = None

    @property
    def repeats(self) -> int:
        return 1 if self.fan is None else self.fan.repeats
    evaluations: int = 0  # function evaluations so far (one a step; L-BFGS: torch's func_evals)
    eval_counts: np.ndarray | None = None  # per history row: evaluations up to its step
    probes: np.ndarray | None = None  # L-BFGS: its last step's evaluation points (k × P)
    reached_evals: int | None = None  # the evaluations it had used when it reached a minimum

    @property
    def status(self) -> str:
        return "diverged" if self.diverged_at is not None else "running"

    @property
    def steps(self) -> np.ndarray:
        """The step number of each history row (the head's every step, then the stride's)."""
        return state.row_steps(len(self.losses), self.stride, self.head)

    def rows_through(self, step: int) -> int:
        """How many history rows hold steps ≤ ``step`` (its own steps, ≥ 0)."""
        return state.rows_through(len(self.losses), self.stride, self.head, int(step))

    @property
    def last_recorded(self) -> int:
        """The step of the last history row (−1 without rows)."""
        n = len(self.losses)
        if n == 0:
            return -1
        return n - 1 if n <= self.head else max(self.head, self.stride) + (n - 1 - self.head) * self.stride


@dataclass
class Snapshot:
    step: int
    runs: list[RunSnapshot] = field(default_factory=list)
    # Race.explain_uid's next step, walked (engine.maps.explain.Walk), when someone asked for it
    walk: object | None = None
    walk_uid: int = -1


@dataclass
class RunInfo:
    """What a run was added with (the race's own record; see :meth:`Race.run_info`)."""

    uid: int
    optimizer: str
    label: str
    hyper: dict[str, float]
    start: np.ndarray
    options: dict = field(default_factory=dict)  # the problem's per-run options, validated
    schedule: Schedule = field(default_factory=Schedule)  # the lr schedule (engine.race.schedules)
    age: int = 0  # race steps since it was (re)started: its own clock (engine.race.replay)
    life: Life = field(default_factory=Life)  # how it began and its live edits since (replay)
    repeats: int = 1  # seeds it is run with (engine.race.fans); one row of the race each
    repeat: int = 0  # which of them this row is (the race's own rows; run_info gives repeat 0)

    @property
    def batch_size(self) -> int | None:
        return self.options.get("batch_size")


class Race:
    """Runs of any optimizers on one problem, stepped together.

    >>> race = Race("rosenbrock")
    >>> a = race.add_run("adam", lr=0.05)
    >>> b = race.add_run("sgd", lr=1e-3, momentum=0.9)
    >>> race.advance(500)
    >>> [r.loss for r in race.snapshot().runs]  # doctest: +SKIP
    """

    def __init__(self, problem, *, noise: float = 0.0, seed: int = 0,
                 history: int = DEFAULT_HISTORY):
        self.problem = as_problem(problem)
        self.history = integer("history", history, 2, allowed="an int >= 2")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(f"Invalid seed value: seed={quoted(seed)} (allowed: an integer)")
        self.noise = nonnegative("noise", noise)
        self.seed = int(seed)
        self.step = 0
        self._runs: list[RunInfo] = []
        self._next_uid = 0
        self.hess_size = hessian_size(self.problem)  # Newton runs: P, or 0 without Hessians
        self.runs = self._new_runs(0)
        self.hist = state.history(0, self.history, self.n_params)
        self.own = self.problem.new_run_state(0)  # the problem's per-run state
        self.explain_uid = -1  # ≥ 0: snapshots carry this run's next step, walked
        self._fan_cache: dict = {}  # uid → a seed fan's per-row summaries so far (engine.race.fans)

    # ----------------------------------------------------------------- run management
    @property
    def n_params(self) -> int:
        return self.problem.n_params

    @property
    def run_ids(self) -> list[int]:
        return [run.uid for run in self._runs if run.repeat == 0]

    def rows_of(self, uid: int) -> list[int]:
        """The rows of the race's bundles run ``uid`` occupies: one per repeat, repeat 0 first."""
        rows = [r for r, run in enumerate(self._runs) if run.uid == uid and not isinstance(uid, bool)]
        if not rows:
            self._index(uid)  # raises: unknown run
        return rows

    def add_run(self, optimizer: str, start=None, *, label: str | None = None, schedule=None,
                repeats: int = 1, **kwargs) -> int:
        """Add a run (validated first) and return its id. It starts at step 0.

        Keyword arguments are the optimizer's hyperparameters and the problem's per-run
        options (``problem.option_names``); a None value means "the default". Dataset
        problems take ``batch_size`` (None for the whole training set, i.e. GD; B for
        mini-batches of B; 1 for SGD) and a run's own ``loss``, ``l1``, ``l2``; surfaces
        accept ``batch_size`` and ignore it.

        ``schedule`` is an lr schedule (:mod:`engine.race.schedules`: a name such as ``"cosine"``,
        a dict ``{"name": "cosine", "T_max": 100}`` or a ``Schedule``); its parameters may
        also be given as keywords (``schedule="step", step_size=50, gamma=0.5``).

        ``repeats`` = N runs it with N seeds of the data order and the gradient noise, the same
        N for every run of the race (:mod:`engine.race.fans`): a seed fan, one run id, stepped
        as N runs; its snapshot is the median repeat plus ``fan`` (all of them).
        """
        repeats = integer("repeats", repeats, 1, MAX_REPEATS)
        spec = get_optimizer(optimizer)
        if spec.needs_hessian and self.hess_size != self.n_params:
            raise ValueError(f"{spec.name} needs the exact Hessian, offered for surfaces, typed formulas "
                             f"and models of at most {MAX_HESSIAN_PARAMS} parameters; this problem has "
                             f"P = {self.n_params}")
        names = self.problem.option_names
        given = {k: v for k, v in kwargs.items() if v is not None}  # None: the default
        sched_params = {k: given.pop(k) for k in list(given) if k in SCHEDULE_PARAM_NAMES}
        sched = as_schedule(schedule, **sched_params)
        options = self.problem.run_options(**{k: v for k, v in given.items() if k in names})
        values = spec.validate({k: v for k, v in given.items() if k not in names})
        start = self.problem.default_start if start is None else start
        start = validated_start(start, self.n_params)
        run = RunInfo(self._next_uid, spec.key, label or spec.name, values, start, options, sched,
                      repeats=repeats)
        self._next_uid += 1
        first = len(self._runs)
        self._runs.append(run)
        for k in range(1, repeats):
            self._runs.append(dataclasses.replace(run, hyper=dict(values), start=start.copy(),
                                                  options=dict(options), life=Life(), repeat=k))
        self._widen_lbfgs()
        self.runs = state.grown(self.runs, self._new_runs(repeats))
        self.hist = state.grown(self.hist, state.history(repeats, self.history, self.n_params))
        self.own = state.grown(self.own, self.problem.new_run_state(repeats))
        self._reset_rows(list(range(first, first + repeats)))
        return run.uid

    def remove_run(self, uid: int) -> None:
        gone = set(self.rows_of(uid))
        keep = [i for i in range(len(self._runs)) if i not in gone]
        self._runs = [self._runs[i] for i in keep]
        self.runs = state.with_rows(self.runs, keep)
        self.hist = state.with_rows(self.hist, keep)
        self.own = state.with_rows(self.own, keep)

    def set_hyper(self, uid: int, **hyper) -> None:
        """Change hyperparameters of a run; they apply from its next step, state is kept."""
        rows = self.rows_of(uid)
        run = self._runs[rows[0]]
        spec = get_optimizer(run.optimizer)
        values = spec.validate({**run.hyper, **hyper})
        for r in rows:
            self._apply_hyper(r, values)
            self._runs[r].life.note(self._runs[r].age, "hyper", values)  # replay applies it then

    def _apply_hyper(self, r: int, values: dict) -> None:
        run = self._runs[r]
        spec = get_optimizer(run.optimizer)
        run.hyper = dict(values)
        self.runs.hyper[r, : len(spec.hyper)] = [values[n] for n in spec.hyper_names]
        self.runs.base_lr[r] = values["lr"]
        t = int(self.runs.t[r])
        if not run.schedule.is_constant and t > 0:  # the schedule's lr of the last step taken
            self.runs.hyper[r, 0] = schedule_lrs(run.schedule, values["lr"], t)[-1]

    def set_schedule(self, uid: int, schedule=None, **params) -> None:
        """Give a run an lr schedule (None or "constant": none) and restart it."""
        rows = self.rows_of(uid)
        sched = as_schedule(schedule, **params)
        for r in rows:
            self._runs[r].schedule = sched
        self._reset_rows(rows)

    def set_options(self, uid: int, **options) -> None:
        """Change a run's problem options (batch size, loss …) and restart it with them."""
        rows = self.rows_of(uid)
        merged = {**self._runs[rows[0]].options, **options}
        valid = self.problem.run_options(**{k: v for k, v in merged.items() if v is not None})
        for r in rows:
            self._runs[r].options = dict(valid)
        self._reset_rows(rows)

    def set_label(self, uid: int, label: str) -> None:
        for r in self.rows_of(uid):
            self._runs[r].label = str(label)

    def set_start(self, start, uids=None) -> None:
        """Move the start of the given runs (all by default) and restart them there."""
        start = validated_start(start, self.n_params)
        rows = range(len(self._runs)) if uids is None else [r for u in uids for r in self.rows_of(u)]
        for r in rows:
            self._runs[r].start = start.copy()
        self._reset_rows(list(rows))

    def set_noise(self, noise: float) -> None:
        """Gradient noise σ for every run, from the next step on."""
        self.noise = nonnegative("noise", noise)
        self.runs.noise[:] = self.noise
        for run in self._runs:
            run.life.note(run.age, "noise", self.noise)

    def restart_from(self, start) -> None:
        """Every run moves its start to ``start`` and restarts there, at race step 0."""
        self.set_start(start)
        self.step = 0

    def walk_in_snapshots(self, uid: int) -> None:
        """Snapshots carry run ``uid``'s next step, walked (−1: no run's)."""
        self.explain_uid = int(uid)

    def reset(self) -> None:
        """Every run back to its start, step 0, fresh state, same noise sequence."""
        self.step = 0
        self._reset_rows(list(range(len(self._runs))))

    def run_info(self, uid: int) -> RunInfo:
        return self._runs[self._index(uid)]

    # ------------------------------------------------------------------- stepping
    def advance(self, n: int) -> None:
        """Advance every running run by ``n`` steps in one kernel call."""
        n = integer("steps", n, 0, allowed="an int >= 0")
        if n and self._runs:
            self.problem.advance(self.runs, self.hist, self.own, n)
        self.step += n
        for run in self._runs:
            run.age += n

    def rewind(self, step: int) -> None:
        """Back to race step ``step`` (0 ≤ step ≤ ``self.step``), exactly as the race was
        then: every run is replayed from its start with the same kernel, its live edits
        (hyperparameters, noise) applied at the steps they were made; later edits are
        forgotten. Continuing from there gives what the uninterrupted race gave, bit for
        bit. See :mod:`engine.race.replay`."""
        from .replay import rewind

        rewind(self, step)
        self._fan_cache = {}

    def born(self, uid: int) -> int:
        """The race step run ``uid``'s current life began at (added, or last restarted)."""
        return max(0, self.step - self._runs[self._index(uid)].age)

    def explain(self, uid: int) -> dict:
        """Run ``uid``'s last step explained: its state under torch.optim's names, ``grad``
        (before weight decay), ``update`` (θₜ − θₜ₋₁), ``step`` and the rule's intermediates.
        See :mod:`engine.maps.explain`."""
        from ..maps.explain import explain_run

        r = self._index(uid)
        return explain_run(self.runs, r, self._runs[r].optimizer)

    def walk(self, uid: int):
        """Run ``uid``'s next step recomputed line by line (an ``engine.maps.explain.Walk``), or
        None if the run has diverged."""
        from ..maps.explain import walk_run

        r = self._index(uid)
        if self.runs.status[r] != kernels.RUNNING:
            return None
        return walk_run(self.runs, r, self._runs[r].optimizer, self.problem, self.own)

    def snapshot(self, history: bool = True) -> Snapshot:
        """A copy of every run's state (and history rows, unless ``history=False``)."""
        runs, hist = self.runs, self.hist
        with_test = self.problem.reports_test_loss
        out = []
        for r, run in enumerate(self._runs):
            if run.repeat:
                continue  # in its fan, with repeat 0
            if run.repeats > 1:
                out.append(self._fan_snapshot(r, run, history, with_test))
                continue
            k = int(hist.count[r]) if history else 0
            out.append(RunSnapshot(
                uid=run.uid,
                optimizer=run.optimizer,
                label=run.label,
                hyper=dict(run.hyper),
                step=int(runs.t[r]),
                position=runs.theta[r].copy(),
                loss=float(runs.loss[r]),
                grad_norm=float(runs.gnorm[r]),
                diverged_at=int(runs.diverged_at[r]) if runs.diverged_at[r] >= 0 else None,
                reached_at=int(runs.reached_at[r]) if runs.reached_at[r] >= 0 else None,
                reached_minimum=(int(runs.reached_which[r])
                                 if runs.reached_at[r] >= 0 else None),
                stride=int(hist.stride[r]),
                path=hist.path[r, :k].copy(),
                losses=hist.loss[r, :k].copy(),
                grad_norms=hist.gnorm[r, :k].copy(),
                batch_size=run.batch_size,
                test_loss=float(runs.test_loss[r]),
                test_losses=hist.test[r, :k].copy() if with_test else None,
                born=max(0, self.step - run.age),
                head=state.head_rows(self.history),
                evaluations=int(runs.evals[r]),
                reached_evals=int(runs.reached_evals[r]) if runs.reached_at[r] >= 0 else None,
                eval_counts=hist.evals[r, :k].copy(),
                probes=(lbfgs.probes(runs.lbfgs[r], self.n_params)[:, :-1]
                        if get_optimizer(run.optimizer).evaluates else None),
            ))
        snap = Snapshot(step=self.step, runs=out)
        if self.explain_uid >= 0 and self.explain_uid in self.run_ids:
            snap.walk, snap.walk_uid = self.walk(self.explain_uid), self.explain_uid
        return snap

    def _fan_snapshot(self, r: int, run: RunInfo, history: bool, with_test: bool) -> RunSnapshot:
        rows = list(range(r, r + run.repeats))  # a fan's rows are consecutive (add_run)
        fields, cache = fan_summary(self.runs, self.hist, rows, history, self._fan_cache.get(run.uid))
        if cache is not None:
            self._fan_cache[run.uid] = cache
        if not with_test:
            fields["test_losses"] = None
        return RunSnapshot(uid=run.uid, optimizer=run.optimizer, label=run.label,
                           hyper=dict(run.hyper), grad_norms=fields.pop("grad_norms"),
                           batch_size=run.batch_size, born=max(0, self.step - run.age),
                           evaluations=int(self.runs.evals[r]), **fields)  # repeat 0's count

    @property
    def seen(self) -> np.ndarray:
        """Dataset problems: samples each run has consumed (epoch = seen // n_train)."""
        return self.own.seen

    # ------------------------------------------------------------------ internals
    def _new_runs(self, n: int) -> state.RunState:
        return state.run_state(n, self.n_params, MAX_HYPER, STATE_VECTORS, STATE_SCALARS,
                               self.hess_size, self._lbfgs_width())

    def _lbfgs_width(self) -> int:
        """Floats in every run's L-BFGS row: the most any of its L-BFGS runs needs (0 without)."""
        return max((lbfgs.state_width(self.n_params, run.hyper["history_size"])
                    for run in self._runs if get_optimizer(run.optimizer).evaluates), default=0)

    def _widen_lbfgs(self) -> None:
        """Widen the runs' L-BFGS rows to what the runs now need (their contents kept)."""
        width, rows = self._lbfgs_width(), self.runs.lbfgs
        if width > rows.shape[1]:
            wider = np.zeros((rows.shape[0], width))
            wider[:, : rows.shape[1]] = rows
            self.runs = self.runs._replace(lbfgs=wider)

    def _index(self, uid: int) -> int:
        if not isinstance(uid, bool):
            for r, run in enumerate(self._runs):
                if run.uid == uid:
                    return r
        raise ValueError(f"unknown run id {quoted(uid)}; the race has runs {self.run_ids}")

    def _reset_rows(self, rows: list[int]) -> None:
        self._widen_lbfgs()  # a restart sizes an L-BFGS run's memory by its history_size now
        runs, hist, problem = self.runs, self.hist, self.problem
        box = problem.box
        for r in rows:
            run = self._runs[r]
            self._fan_cache.pop(run.uid, None)
            spec = get_optimizer(run.optimizer)
            runs.opt_id[r] = spec.id
            runs.hyper[r] = 0.0
            runs.hyper[r, : len(spec.hyper)] = [run.hyper[n] for n in spec.hyper_names]
            runs.base_lr[r] = run.hyper["lr"]
            runs.sched[r] = run.schedule.id
            runs.sched_p[r] = run.schedule.vector()
            runs.theta[r] = run.start
            runs.vec[r] = 0.0
            runs.sc[r] = 0.0
            if spec.init_state is not None:
                spec.init_state(runs.vec[r], runs.sc[r], run.hyper)
            shapes = getattr(problem, "tensor_shapes", None)
            if spec.init_shapes is not None and shapes is not None:
                spec.init_shapes(runs.vec[r], shapes)
            runs.t[r] = 0
            runs.evals[r] = 0
            if spec.evaluates:
                lbfgs.init_row(runs.lbfgs[r], self.n_params, run.hyper["history_size"])
            elif runs.lbfgs.shape[1]:
                runs.lbfgs[r] = 0.0
            runs.prev_theta[r] = run.start
            runs.step_grad[r] = np.nan
            runs.noise[r] = self.noise
            # Common random numbers: every run meets the same noise sequence, so a
            # comparison is fair and a run's path never depends on the other runs; a
            # fan's repeat k meets repeat k's sequence (and data order) in every run.
            seed = repeat_seed(self.seed, run.repeat)
            runs.rng[r] = np.uint64(stream_seed(seed, 0))
            problem.init_run(self.own, r, run.options, seed, run.uid)
            start = problem.start_values(run.start.copy(), self.own, r)
            theta = runs.theta[r]
            if runs.hess.shape[1]:  # a Newton run's first step: the Hessian at its start
                runs.hess[r] = problem.run_hessian(run.start.copy(), self.own, r) \
                    if spec.needs_hessian else 0.0
            gnorm = start.gnorm
            runs.loss[r], runs.grad[r], runs.gnorm[r] = start.loss, start.grad, gnorm
            runs.test_loss[r] = start.test_loss
            run.age, run.life = 0, Life(dict(run.hyper), self.noise)
            hist.path[r, 0], hist.loss[r, 0], hist.gnorm[r, 0] = theta, start.loss, gnorm
            hist.test[r] = np.nan
            hist.test[r, 0] = start.test_loss
            hist.count[r], hist.stride[r] = 1, 1
            hist.evals[r] = 0
            runs.reached_at[r] = runs.reached_which[r] = runs.diverged_at[r] = -1
            runs.reached_evals[r] = 0
            ok = (kernels.inside.py_func(theta, box.lo, box.hi) and np.isfinite(start.loss)
                  and np.isfinite(gnorm))
            runs.status[r] = kernels.RUNNING if ok else kernels.DIVERGED
            if not ok:  # started out of bounds, or where the loss overflows
                runs.diverged_at[r] = 0
            elif start.can_reach:
                m = kernels.reached.py_func(theta, box.minima, box.tol)
                if m >= 0:
                    runs.reached_at[r], runs.reached_which[r] = 0, m
