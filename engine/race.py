"""``Race``: many runs on one problem, advanced in lockstep by one compiled kernel call.

The race keeps every run's state in flat arrays (one row per run) so that a single call
of :func:`engine.kernels.advance_surface` advances all of them; Python only runs between
chunks. It is not thread-safe: one thread (the GUI's worker) owns it.

History is bounded: each run keeps at most ``history`` rows. When they are full, every
other row is dropped and from then on only every 2nd (4th, 8th …) step is recorded, so
row k always holds step k·stride and a long race costs the same memory as a short one
(rows × (P + 3) × 8 bytes per run: θ, loss, gradient norm and, for datasets, test loss).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import kernels
from .noise import stream_seed
from .optimizers import MAX_HYPER, STATE_SCALARS, STATE_VECTORS, get_optimizer
from .problems import as_problem

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

    @property
    def status(self) -> str:
        return "diverged" if self.diverged_at is not None else "running"

    @property
    def steps(self) -> np.ndarray:
        """The step number of each history row."""
        return np.arange(len(self.losses), dtype=np.int64) * self.stride


@dataclass
class Snapshot:
    step: int
    runs: list[RunSnapshot] = field(default_factory=list)


@dataclass
class _Run:
    uid: int
    optimizer: str
    label: str
    hyper: dict[str, float]
    start: np.ndarray
    batch_size: int = 0  # 0 = the full batch


def _validated_start(start, n_params: int) -> np.ndarray:
    try:
        arr = np.array(start, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid start: {start!r} (allowed: {n_params} finite numbers)") from None
    if arr.size != n_params or not np.all(np.isfinite(arr)):
        raise ValueError(f"Invalid start: {start!r} (allowed: {n_params} finite numbers)")
    return arr


def _validated_batch(batch_size, problem) -> int:
    """0 for None (the full batch), else an int in [1, n_train] (surfaces: any int >= 1, ignored)."""
    if batch_size is None:
        return 0
    n = getattr(problem, "n_train", None)
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1 or (n is not None and batch_size > n):
        allowed = f"an integer in [1, {n}]" if n is not None else "an integer >= 1"
        raise ValueError(f"Invalid batch_size: {batch_size!r} (allowed: None for the full batch, "
                         f"or {allowed})")
    return int(batch_size)


def _validated_noise(noise) -> float:
    try:
        value = float(noise)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"Invalid noise value: noise={noise!r} (allowed: [0, inf))")
    return value


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
        if isinstance(history, bool) or not isinstance(history, (int, np.integer)) or history < 2:
            raise ValueError(f"Invalid history value: history={history!r} (allowed: an int >= 2)")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(f"Invalid seed value: seed={seed!r} (allowed: an integer)")
        self.noise = _validated_noise(noise)
        self.seed = int(seed)
        self.history = int(history)
        self.step = 0
        self._runs: list[_Run] = []
        self._next_uid = 0
        self._alloc(0)

    # ----------------------------------------------------------------- run management
    @property
    def n_params(self) -> int:
        return self.problem.n_params

    @property
    def run_ids(self) -> list[int]:
        return [run.uid for run in self._runs]

    def add_run(self, optimizer: str, start=None, *, label: str | None = None,
                batch_size: int | None = None, **hyper) -> int:
        """Add a run (validated first) and return its id. It starts at step 0.

        ``batch_size`` (dataset problems): None for the whole training set (GD), B for
        mini-batches of B, 1 for SGD; surfaces ignore it.
        """
        spec = get_optimizer(optimizer)
        values = spec.validate(hyper)
        batch = _validated_batch(batch_size, self.problem)
        start = self.problem.default_start if start is None else start
        start = _validated_start(start, self.n_params)
        run = _Run(self._next_uid, spec.key, label or spec.name, values, start, batch)
        self._next_uid += 1
        old = self._arrays()
        self._runs.append(run)
        self._alloc(len(self._runs))
        self._copy_rows(old, slice(0, len(self._runs) - 1))
        self._reset_rows([len(self._runs) - 1])
        return run.uid

    def remove_run(self, uid: int) -> None:
        r = self._index(uid)
        keep = [i for i in range(len(self._runs)) if i != r]
        old = self._arrays()
        del self._runs[r]
        self._alloc(len(self._runs))
        for name, arr in old.items():
            getattr(self, name)[...] = arr[keep]

    def set_hyper(self, uid: int, **hyper) -> None:
        """Change hyperparameters of a run; they apply from its next step, state is kept."""
        r = self._index(uid)
        run = self._runs[r]
        spec = get_optimizer(run.optimizer)
        values = spec.validate({**run.hyper, **hyper})
        run.hyper = values
        self.hyper[r, : len(spec.hyper)] = [values[n] for n in spec.hyper_names]

    def set_label(self, uid: int, label: str) -> None:
        self._runs[self._index(uid)].label = str(label)

    def set_start(self, start, uids=None) -> None:
        """Move the start of the given runs (all by default) and restart them there."""
        start = _validated_start(start, self.n_params)
        rows = range(len(self._runs)) if uids is None else [self._index(u) for u in uids]
        for r in rows:
            self._runs[r].start = start.copy()
        self._reset_rows(list(rows))

    def set_noise(self, noise: float) -> None:
        """Gradient noise σ for every run, from the next step on."""
        self.noise = _validated_noise(noise)
        self.noise_sigma[:] = self.noise

    def reset(self) -> None:
        """Every run back to its start, step 0, fresh state, same noise sequence."""
        self.step = 0
        self._reset_rows(list(range(len(self._runs))))

    def run_info(self, uid: int) -> _Run:
        return self._runs[self._index(uid)]

    # ------------------------------------------------------------------- stepping
    def advance(self, n: int) -> None:
        """Advance every running run by ``n`` steps in one kernel call."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"Invalid steps value: n={n!r} (allowed: an int >= 0)")
        if n == 0 or not self._runs:
            self.step += int(n)
            return
        self.problem.advance(self, int(n))
        self.step += int(n)

    def snapshot(self, history: bool = True) -> Snapshot:
        """A copy of every run's state (and history rows, unless ``history=False``)."""
        runs = []
        for r, run in enumerate(self._runs):
            k = int(self.hist_count[r]) if history else 0
            runs.append(RunSnapshot(
                uid=run.uid,
                optimizer=run.optimizer,
                label=run.label,
                hyper=dict(run.hyper),
                step=int(self.t[r]),
                position=self.theta[r].copy(),
                loss=float(self.loss[r]),
                grad_norm=float(self.gnorm[r]),
                diverged_at=int(self.diverged_at[r]) if self.diverged_at[r] >= 0 else None,
                reached_at=int(self.reached_at[r]) if self.reached_at[r] >= 0 else None,
                reached_minimum=(int(self.reached_which[r])
                                 if self.reached_at[r] >= 0 else None),
                stride=int(self.hist_stride[r]),
                path=self.hist_path[r, :k].copy(),
                losses=self.hist_loss[r, :k].copy(),
                grad_norms=self.hist_gnorm[r, :k].copy(),
                batch_size=run.batch_size or None,
                test_loss=float(self.test_loss[r]),
                test_losses=(self.hist_test[r, :k].copy()
                             if getattr(self.problem, "kind", "") == "dataset" else None),
            ))
        return Snapshot(step=self.step, runs=runs)

    # ------------------------------------------------------------------ internals
    _ARRAYS = ("opt_id", "hyper", "theta", "vec", "sc", "t", "grad", "loss", "gnorm",
               "status", "noise_sigma", "rng", "reached_at", "reached_which", "diverged_at",
               "hist_path", "hist_loss", "hist_gnorm", "hist_count", "hist_stride",
               "batch", "seen", "test_loss", "hist_test")

    def _alloc(self, n_runs: int) -> None:
        P, H = self.n_params, self.history
        self.opt_id = np.zeros(n_runs, np.int64)
        self.hyper = np.zeros((n_runs, MAX_HYPER))
        self.theta = np.zeros((n_runs, P))
        self.vec = np.zeros((n_runs, STATE_VECTORS, P))
        self.sc = np.zeros((n_runs, STATE_SCALARS))
        self.t = np.zeros(n_runs, np.int64)
        self.grad = np.zeros((n_runs, P))
        self.loss = np.zeros(n_runs)
        self.gnorm = np.zeros(n_runs)
        self.status = np.zeros(n_runs, np.int64)
        self.noise_sigma = np.full(n_runs, self.noise)
        self.rng = np.zeros(n_runs, np.uint64)
        self.reached_at = np.full(n_runs, -1, np.int64)
        self.reached_which = np.full(n_runs, -1, np.int64)
        self.diverged_at = np.full(n_runs, -1, np.int64)
        self.hist_path = np.zeros((n_runs, H, P))
        self.hist_loss = np.zeros((n_runs, H))
        self.hist_gnorm = np.zeros((n_runs, H))
        self.hist_count = np.zeros(n_runs, np.int64)
        self.hist_stride = np.ones(n_runs, np.int64)
        # Dataset problems (surfaces leave them alone): batch size (0 = full), samples
        # consumed (epoch = seen // n_train), latest test loss and its history.
        self.batch = np.zeros(n_runs, np.int64)
        self.seen = np.zeros(n_runs, np.int64)
        self.test_loss = np.full(n_runs, np.nan)
        self.hist_test = np.full((n_runs, H), np.nan)

    def _arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in self._ARRAYS}

    def _copy_rows(self, old: dict[str, np.ndarray], rows: slice) -> None:
        for name, arr in old.items():
            getattr(self, name)[rows] = arr

    def _index(self, uid: int) -> int:
        if isinstance(uid, bool):
            raise ValueError(f"unknown run id {uid!r}; the race has runs {self.run_ids}")
        for r, run in enumerate(self._runs):
            if run.uid == uid:
                return r
        raise ValueError(f"unknown run id {uid!r}; the race has runs {self.run_ids}")

    def _reset_rows(self, rows: list[int]) -> None:
        if not rows:
            return
        for r in rows:
            run = self._runs[r]
            spec = get_optimizer(run.optimizer)
            self.opt_id[r] = spec.id
            self.hyper[r] = 0.0
            self.hyper[r, : len(spec.hyper)] = [run.hyper[n] for n in spec.hyper_names]
            self.theta[r] = run.start
            self.vec[r] = 0.0
            self.sc[r] = 0.0
            if spec.init_state is not None:
                spec.init_state(self.vec[r], self.sc[r], run.hyper)
            self.t[r] = 0
            self.status[r] = kernels.RUNNING
            self.noise_sigma[r] = self.noise
            # Common random numbers: every run meets the same noise sequence, so a
            # comparison is fair and a run's path never depends on the other runs.
            self.rng[r] = np.uint64(stream_seed(self.seed, 0))
            self.reached_at[r] = -1
            self.reached_which[r] = -1
            self.diverged_at[r] = -1
            self.hist_count[r] = 0
            self.hist_stride[r] = 1
            self.batch[r] = run.batch_size
            self.seen[r] = 0
            self.test_loss[r] = np.nan
            self.hist_test[r] = np.nan
        idx = np.array(rows)
        self._evaluate_start(idx)

    def _evaluate_start(self, idx: np.ndarray) -> None:
        theta = np.ascontiguousarray(self.theta[idx])
        loss, grad, gnorm = self.problem.evaluate(theta)
        self.loss[idx], self.grad[idx], self.gnorm[idx] = loss, grad, gnorm
        minima, tol = self.problem.minima, self.problem.tolerance
        for j, r in enumerate(idx):
            self.hist_path[r, 0] = theta[j]
            self.hist_loss[r, 0] = loss[j]
            self.hist_gnorm[r, 0] = gnorm[j]
            self.hist_count[r] = 1
            inside = bool(np.all((self.problem.lower <= theta[j]) & (theta[j] <= self.problem.upper)))
            if not (inside and np.isfinite(loss[j]) and np.all(np.isfinite(grad[j]))):
                self.status[r] = kernels.DIVERGED  # started out of bounds, or where f overflows
                self.diverged_at[r] = 0
            elif minima.size:
                dist = np.sqrt(((minima - theta[j]) ** 2).sum(axis=1))
                if dist.min() <= tol:
                    self.reached_at[r] = 0
                    self.reached_which[r] = int(dist.argmin())
        start_runs = getattr(self.problem, "start_runs", None)
        if start_runs is not None:  # dataset problems: per-run batch / loss, test loss
            start_runs(self, idx)
