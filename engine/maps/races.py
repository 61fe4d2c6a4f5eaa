"""Maps of many races at once: basins of attraction, hyperparameter landscapes, lr sweeps.

Every cell of a map *is* a run: the cells are rows of the race bundles of
:mod:`engine.race.state` (history = 2 rows, so a map costs its grid, never per-step history),
advanced by the problem's own compiled kernel in chunks of steps — the same code path as a
single ``engine.Race`` run, so each cell equals the race from its start with its settings.

* :func:`basin_map` — one optimizer, a grid of *starts*: which known minimum each start
  reaches (``which``; −1 diverged, −2 neither) and when (``steps``: ``reached_at`` or −1).
  A cell's answer is final once it has reached a minimum, so such cells are frozen between
  chunks (exact: ``reached_at`` is set once and never cleared).
* :func:`hyper_map` — one start, a grid over two hyperparameters: steps to reach a minimum
  and the final loss (``RunSnapshot.loss`` after ``steps`` steps).
* :func:`lr_sweep`, :func:`tune_lr`, :func:`tune_race` — one-dimensional maps over lr.

Both maps also keep every cell's loss at :data:`TRACE_POINTS` evenly spaced checkpoints
(``trace_steps``, ``trace``): a dataset problem has no minimum to reach, so its maps are
coloured by the final training loss (log, :func:`loss_rgba`) or by the steps to reach a
target loss (:meth:`HyperMap.steps_to`, :func:`target_rgba`; by default 1.05 × the best loss
any cell reached). :func:`map_steps` caps a map's race length so that a map finishes in
seconds whatever the step limit.

Big maps are split into two interleaved halves computed on two threads (the kernels are
``nogil``). ``cancel`` (a callable returning True, or a ``threading.Event``) is checked
between chunks; a cancelled map raises :class:`Cancelled`.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from ..optimizers import get_optimizer
from ..problems import as_problem
from ..quoted import quoted
from ..race import state
from ..race import steps as kernels
from ..race.race import Race
from ..race.schedules import PARAM_NAMES as SCHEDULE_PARAM_NAMES
from ..spec import coerce_hyper

FROZEN = 2  # a map-only status: the cell's answer is final, the kernel skips it
CHUNK_SECONDS = 0.02  # a chunk of steps between two cancel checks lasts about this long
FIRST_CHUNK_WORK = 50_000  # at most this many cell-steps in the first chunk (speed unknown)
THREADED_WORK = 400_000  # below this many cell-steps one thread is quicker
DEFAULT_STEPS = 500
TRACE_POINTS = 64  # checkpoints of every cell's loss (steps to a target loss)
MAP_SECONDS = 8.0  # a map's races cost about this much CPU time at most (two threads: half)
MIN_MAP_STEPS = 10  # …unless that would leave fewer steps than this
CHEAP_STEP_SECONDS = 100e-9  # a cell-step of a surface or a formula (Adam on Rosenbrock in a
#                              map, measured on a busy 2-core machine: 83 ns)
MAC_SECONDS = 1e-9  # a multiply-add of a dataset model's step, and its overhead per step:
STEP_OVERHEAD_SECONDS = 3e-6  # measured 2.8 µs (a line), 10.6 µs (MLP 2-16-16-1, batch 8)
DEFAULT_TARGET_FACTOR = 1.05  # the default target loss: this × the best loss any cell reached


class Cancelled(Exception):
    """A map was cancelled (its ``cancel`` flag was set) before it finished."""


class _Traced:
    """Loss checkpoints shared by the two maps: ``trace[..., c]`` is a cell's latest loss
    after ``trace_steps[c]`` steps (inf once it diverged; NaN where never evaluated)."""

    @property
    def best_loss(self) -> float:
        """The lowest loss any cell reached at any checkpoint (NaN if none is finite)."""
        t = self.trace
        t = t[np.isfinite(t)] if t is not None else np.array([])
        return float(t.min()) if t.size else float("nan")

    def default_target(self) -> float:
        """1.05 × :attr:`best_loss` (a negative best: 0.95 ×, still just above it)."""
        b = self.best_loss
        return b * DEFAULT_TARGET_FACTOR if b >= 0 else b * (2.0 - DEFAULT_TARGET_FACTOR)

    def start_ceiling(self) -> float | None:
        """The loss at the start (every cell's, a hyper map's one start) when some cells end
        above it and some below: the colour scale stops there (worse than the start is all
        one colour, and the cells that learned keep the scale). None otherwise."""
        if self.trace is None or not self.trace.size:
            return None
        start = self.trace[..., 0]
        start = start[np.isfinite(start)]
        final = self.final_loss[np.isfinite(self.final_loss) & (self.which != -1)]
        if not start.size or not final.size:
            return None
        top = float(start.max())
        return top if final.min() < top < final.max() else None

    def steps_to(self, target: float) -> np.ndarray:
        """Per cell: the first checkpoint step at which its loss was ≤ ``target``, or −1."""
        t = self.trace
        hit = np.isfinite(t) & (t <= float(target))
        first = hit.argmax(axis=-1)
        return np.where(hit.any(axis=-1), self.trace_steps[first], -1).astype(np.int64)


@dataclass
class BasinMap(_Traced):
    xs: np.ndarray
    ys: np.ndarray
    which: np.ndarray  # (len(ys), len(xs)) int64: minimum index, −1 diverged, −2 neither
    steps: np.ndarray  # (len(ys), len(xs)) int64: reached_at, or −1
    n_steps: int
    minima: np.ndarray  # (k, 2): the problem's known minima
    final_loss: np.ndarray | None = None  # (len(ys), len(xs)): the loss after the last step
    trace_steps: np.ndarray | None = None  # (T,) int64: the checkpoints
    trace: np.ndarray | None = None  # (len(ys), len(xs), T): the loss at each checkpoint

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return float(self.xs[0]), float(self.xs[-1]), float(self.ys[0]), float(self.ys[-1])


@dataclass
class HyperMap(_Traced):
    x_name: str
    x_values: np.ndarray
    y_name: str | None
    y_values: np.ndarray
    steps: np.ndarray  # (len(y), len(x)) int64: reached_at, or −1
    final_loss: np.ndarray  # (len(y), len(x)): the loss after the last step (last good point)
    which: np.ndarray  # (len(y), len(x)) int64: as BasinMap.which
    n_steps: int
    trace_steps: np.ndarray | None = None  # (T,) int64: the checkpoints
    trace: np.ndarray | None = None  # (len(y), len(x), T): the loss at each checkpoint

    @property
    def diverged(self) -> np.ndarray:
        return self.which == -1


@dataclass
class TuneResult:
    lr: float  # the best lr found
    old_lr: float
    steps: int  # its steps to reach a minimum, or −1
    final_loss: float
    tried: np.ndarray = field(repr=False)  # every lr evaluated, ascending
    tried_steps: np.ndarray = field(repr=False)
    tried_loss: np.ndarray = field(repr=False)


# --------------------------------------------------------------------- the cells
def _is_cancelled(cancel) -> bool:
    if cancel is None:
        return False
    if hasattr(cancel, "is_set"):
        return cancel.is_set()
    return bool(cancel())


def _split_kwargs(kwargs: dict, problem) -> tuple[dict, dict, dict]:
    """(hyperparameters, problem options, schedule parameters) from one keyword dict."""
    hyper, options, sched = {}, {}, {}
    for k, v in kwargs.items():
        if v is None:
            continue
        if k in problem.option_names:
            options[k] = v
        elif k in SCHEDULE_PARAM_NAMES:
            sched[k] = v
        else:
            hyper[k] = v
    return hyper, options, sched


class _Cells:
    """The bundles of k runs of one optimizer, each row set up as ``Race._reset_rows`` would."""

    def __init__(self, problem, optimizer, starts, hyper, options, schedule, sched_params,
                 columns=None, noise=0.0, seed=0, cancel=None):
        self.cancel = cancel
        template = Race(problem, noise=noise, seed=seed, history=2)
        template.add_run(optimizer, starts[0], schedule=schedule, **hyper, **options,
                         **sched_params)
        self.problem = template.problem
        k = len(starts)
        rows = np.zeros(k, np.int64)
        runs = state.with_rows(template.runs, rows)
        hist = state.with_rows(template.hist, rows)
        own = state.with_rows(template.own, rows)
        self.runs, self.hist, self.own = runs, hist, own
        if columns:  # hyperparameters per cell (a hyper map): validated per column
            spec = get_optimizer(optimizer)
            base = template.run_info(0).hyper
            for name, values in columns.items():
                runs.hyper[:, spec.hyper_names.index(name)] = values
                if name == "lr":
                    runs.base_lr[:] = values
            if spec.check is not None or spec.init_state is not None:
                names = list(columns)
                for r in range(k):
                    h = {**base, **{n: float(columns[n][r]) for n in names}}
                    if spec.check is not None:
                        spec.check(h)
                    if spec.init_state is not None:
                        runs.vec[r] = 0.0
                        runs.sc[r] = 0.0
                        spec.init_state(runs.vec[r], runs.sc[r], h)
        starts = np.ascontiguousarray(starts, dtype=float)
        if (starts != starts[0]).any():
            self._set_starts(template, starts)
            if get_optimizer(optimizer).needs_hessian:
                self._set_hessians(starts)

    def _set_hessians(self, starts):
        """A Newton cell's first step uses the Hessian at its own start, not the template's."""
        runs, problem = self.runs, self.problem
        if len(self.own) == 0 and hasattr(problem, "hessian"):  # θ alone decides: batched
            runs.hess[:] = problem.hessian(starts)
            return
        for r in range(len(starts)):
            if r % 256 == 0 and _is_cancelled(self.cancel):
                raise Cancelled
            runs.hess[r] = problem.run_hessian(starts[r].copy(), self.own, r)

    def _set_starts(self, template, starts):
        runs, hist, own, problem = self.runs, self.hist, self.own, self.problem
        runs.theta[:] = starts
        first = problem.start_values(starts[0].copy(), template.own, 0)
        vectorised = len(own) == 0 and hasattr(problem, "evaluate")
        if vectorised:  # start values depend on θ alone
            loss, grad, gnorm = problem.evaluate(starts)
            vectorised = (loss[0] == first.loss or (np.isnan(loss[0]) and np.isnan(first.loss)))
        if vectorised:
            runs.loss[:], runs.grad[:], runs.gnorm[:] = loss, grad, gnorm
            runs.test_loss[:] = first.test_loss
            can_reach = np.full(len(starts), first.can_reach)
        else:
            can_reach = np.empty(len(starts), bool)
            for r in range(len(starts)):
                if r % 256 == 0 and _is_cancelled(self.cancel):
                    raise Cancelled
                sv = problem.start_values(starts[r].copy(), own, r)
                runs.loss[r], runs.grad[r], runs.gnorm[r] = sv.loss, sv.grad, sv.gnorm
                runs.test_loss[r] = sv.test_loss
                can_reach[r] = sv.can_reach
        hist.path[:, 0] = starts
        hist.loss[:, 0] = runs.loss
        hist.gnorm[:, 0] = runs.gnorm
        hist.test[:, 0] = runs.test_loss
        box = problem.box
        ok = ((starts >= box.lo) & (starts <= box.hi)).all(axis=1)
        ok &= np.isfinite(runs.loss) & np.isfinite(runs.gnorm)
        runs.status[:] = np.where(ok, kernels.RUNNING, kernels.DIVERGED)
        runs.diverged_at[:] = np.where(ok, -1, 0)
        runs.reached_at[:] = -1
        runs.reached_which[:] = -1
        minima = np.asarray(box.minima, dtype=float).reshape(-1, starts.shape[1])
        if minima.size:
            d2 = ((starts[:, None, :] - minima[None, :, :]) ** 2).sum(axis=2)
            near = d2 <= box.tol * box.tol
            hit = ok & can_reach & near.any(axis=1)
            runs.reached_at[hit] = 0
            runs.reached_which[hit] = near.argmax(axis=1)[hit]

    def advance(self, steps: int, freeze_reached: bool, cancel, every: int = 0) -> list:
        """``steps`` steps in chunks of about CHUNK_SECONDS each (sized from the speed of the
        previous chunk); reached cells frozen between chunks if asked. With ``every`` > 0 no
        chunk crosses a multiple of it, and the cells' losses there are returned (a list of
        (step, loss copy); a diverged cell's loss is inf)."""
        runs = self.runs
        k = len(runs.t)
        chunk = 1 if len(self.own) else max(1, min(steps, FIRST_CHUNK_WORK // max(k, 1)))
        done = 0
        trace = [(0, self._losses())] if every else []
        while done < steps:
            if _is_cancelled(cancel):
                raise Cancelled
            if freeze_reached:
                runs.status[(runs.reached_at >= 0) & (runs.status == kernels.RUNNING)] = FROZEN
            if not (runs.status == kernels.RUNNING).any():
                break
            n = min(chunk, steps - done)
            if every:
                n = min(n, every - done % every)
            t0 = time.perf_counter()
            self.problem.advance(runs, self.hist, self.own, n)
            dt = time.perf_counter() - t0
            done += n
            if every and (done % every == 0 or done == steps):
                trace.append((done, self._losses()))
            chunk = max(1, min(steps, int(n * CHUNK_SECONDS / max(dt, 1e-6))))
        if _is_cancelled(cancel):
            raise Cancelled
        if every and trace[-1][0] < steps:  # every cell stopped early: they stay where they are
            last = self._losses()
            c = trace[-1][0]
            while c < steps:
                c = min(steps, (c // every + 1) * every)
                trace.append((c, last))
        return trace

    def _losses(self) -> np.ndarray:
        runs = self.runs
        return np.where(runs.status == kernels.DIVERGED, np.inf, runs.loss)


def trace_every(steps: int) -> int:
    """The steps between two loss checkpoints of a map of ``steps`` steps."""
    return max(1, -(-int(steps) // TRACE_POINTS))


def _race_cells(problem, optimizer, starts, kwargs, *, schedule=None, columns=None,
                steps, freeze_reached, cancel, threads, noise=0.0, seed=0):
    """Run k cells; returns (reached_at, reached_which, loss, trace_steps, trace) in cell order
    (``trace``: (k, T) losses at the checkpoints ``trace_steps``)."""
    problem = as_problem(problem)
    steps = int(steps)
    if steps < 0:
        raise ValueError(f"Invalid steps value: steps={quoted(steps)} (allowed: an int >= 0)")
    hyper, options, sched = _split_kwargs(kwargs, problem)
    starts = np.atleast_2d(np.asarray(starts, dtype=float))
    k = len(starts)
    columns = columns or {}
    every = trace_every(steps)
    parts = 2 if (threads is None or threads > 1) and k * steps >= THREADED_WORK and k > 1 else 1
    index = [np.arange(p, k, parts) for p in range(parts)]
    cells = [_Cells(problem, optimizer, starts[ix], hyper, options, schedule, sched,
                    {n: np.asarray(v, dtype=float)[ix] for n, v in columns.items()},
                    noise, seed, cancel) for ix in index]
    traces = [None] * parts
    if parts == 1:
        traces[0] = cells[0].advance(steps, freeze_reached, cancel, every)
    else:
        errors = []

        def work(p, c):
            try:
                traces[p] = c.advance(steps, freeze_reached, cancel, every)
            except BaseException as exc:  # noqa: BLE001 - re-raised on the caller's thread
                errors.append(exc)

        pool = [threading.Thread(target=work, args=(p, c), daemon=True)
                for p, c in enumerate(cells)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        if errors:
            raise errors[0]
    reached_at = np.empty(k, np.int64)
    which = np.empty(k, np.int64)
    status = np.empty(k, np.int64)
    loss = np.empty(k)
    trace_steps = np.array([c for c, _ in traces[0]], np.int64)
    trace = np.empty((k, len(trace_steps)))
    for ix, c, tr in zip(index, cells, traces, strict=True):
        reached_at[ix] = c.runs.reached_at
        which[ix] = c.runs.reached_which
        status[ix] = c.runs.status
        loss[ix] = c.runs.loss
        trace[ix] = np.column_stack([v for _, v in tr])
    which = np.where(reached_at >= 0, which, np.where(status == kernels.DIVERGED, -1, -2))
    return reached_at, which, loss, trace_steps, trace


def step_seconds(problem, options: dict | None = None) -> float:
    """An estimate of one cell-step's CPU time: a few tens of nanoseconds on a surface or a
    formula; on a dataset the model's multiply-adds for a batch (forward and backward)."""
    problem = as_problem(problem)
    macs = getattr(problem, "_macs", None)
    if not len(problem.new_run_state(0)) or macs is None:
        return CHEAP_STEP_SECONDS
    n = int(getattr(problem, "n_train", 1))
    batch = (options or {}).get("batch_size") or n
    batch = min(int(batch), n) if batch > 0 else n
    return MAC_SECONDS * (3.0 * batch * macs + 10.0 * problem.n_params) + STEP_OVERHEAD_SECONDS


def evaluations_per_step(optimizer: str, hyper: dict | None = None) -> int:
    """The most function evaluations one step of ``optimizer`` with ``hyper`` can make: 1, or
    for a rule that evaluates the problem itself (L-BFGS) its max_eval (torch's None, 0:
    max_iter·5/4)."""
    spec = get_optimizer(optimizer)
    if not spec.evaluates:
        return 1
    h = spec.validate(dict(hyper or {}))
    return max(1, int(h["max_eval"]) or int(h["max_iter"]) * 5 // 4)


def map_steps(problem, cells: int, steps: int, options: dict | None = None,
              seconds: float = MAP_SECONDS, evaluations: int = 1) -> int:
    """The race length of a map of ``cells`` cells under a step limit of ``steps``: the limit,
    capped so that the map costs about ``seconds`` of CPU time (at least MIN_MAP_STEPS; the
    cap rounded down to 1, 2 or 5 × 10ᵏ so a caption reads well) when a step makes at most
    ``evaluations`` function evaluations (:func:`evaluations_per_step`). Deterministic: it
    follows from the problem's size, not from a clock."""
    steps = int(steps)
    if steps < 0:
        raise ValueError(f"Invalid steps value: steps={quoted(steps)} (allowed: an int >= 0)")
    budget = seconds / (max(int(cells), 1) * step_seconds(problem, options) * max(int(evaluations), 1))
    if budget >= steps:
        return steps
    cap = max(MIN_MAP_STEPS, int(budget))
    decade = 10 ** int(math.floor(math.log10(cap)))
    nice = max(m * decade for m in (1, 2, 5) if m * decade <= cap)
    return min(steps, nice)


# ------------------------------------------------------------------------ the maps
def basin_map(problem, optimizer: str, xs, ys, steps: int = DEFAULT_STEPS, *, cancel=None,
              threads: int | None = None, schedule=None, noise: float = 0.0, seed: int = 0,
              **hyper) -> BasinMap:
    """Which minimum ``optimizer`` reaches from every start (xs[i], ys[j]) in ``steps`` steps.

    ``which[j, i]`` is ``RunSnapshot.reached_minimum`` of the race from that start (−1 if it
    diverged without reaching one, −2 if neither), ``steps[j, i]`` its ``reached_at`` (−1).
    Keywords are the optimizer's hyperparameters, the problem's run options and an lr
    ``schedule`` with its parameters, as for ``Race.add_run``.
    """
    problem = as_problem(problem)
    if problem.n_params != 2:
        raise ValueError(f"a basin map needs a 2-parameter problem; {problem.name} has "
                         f"{problem.n_params}")
    xs = np.ascontiguousarray(xs, dtype=float).ravel()
    ys = np.ascontiguousarray(ys, dtype=float).ravel()
    X, Y = np.meshgrid(xs, ys)
    starts = np.column_stack([X.ravel(), Y.ravel()])
    reached_at, which, loss, trace_steps, trace = _race_cells(
        problem, optimizer, starts, hyper, schedule=schedule, steps=steps, freeze_reached=True,
        cancel=cancel, threads=threads, noise=noise, seed=seed)
    shape = (len(ys), len(xs))
    return BasinMap(xs, ys, which.reshape(shape), reached_at.reshape(shape), int(steps),
                    np.asarray(problem.minima, dtype=float).reshape(-1, 2), loss.reshape(shape),
                    trace_steps, trace.reshape(shape + (len(trace_steps),)))


def _axis_values(spec, name, values) -> np.ndarray:
    h = spec.hyper_spec(name)
    values = np.ascontiguousarray(values, dtype=float).ravel()
    for v in np.unique(values):
        coerce_hyper(h, float(v))  # raises naming the parameter and its range
    return values


def hyper_map(problem, optimizer: str, start=None, x=("lr", None), y=None,
              steps: int = DEFAULT_STEPS, *, cancel=None, threads: int | None = None,
              schedule=None, noise: float = 0.0, seed: int = 0, **hyper) -> HyperMap:
    """A grid of races from one start over two hyperparameters ``x = (name, values)`` and
    ``y = (name, values)`` (``y=None``: a single row). Cell [j, i] is the race with
    ``name_x = x_values[i]``, ``name_y = y_values[j]`` and the other hyperparameters from
    ``hyper``; ``steps`` is its ``reached_at`` (−1), ``final_loss`` its loss after ``steps``.
    """
    problem = as_problem(problem)
    spec = get_optimizer(optimizer)
    x_name, x_values = x
    if x_values is None:
        x_values = axis_grid(optimizer, x_name, 32)
    x_values = _axis_values(spec, x_name, x_values)
    if y is None:
        y_name, y_values = None, np.array([np.nan])
    else:
        y_name, y_values = y
        y_values = _axis_values(spec, y_name, y_values)
        if y_name == x_name:
            raise ValueError(f"the two axes of a hyperparameter map must differ (both {quoted(x_name)})")
    start = problem.default_start if start is None else start
    start = np.asarray(start, dtype=float).ravel()
    nx, ny = len(x_values), len(y_values)
    columns = {x_name: np.tile(x_values, ny)}
    if y_name is not None:
        columns[y_name] = np.repeat(y_values, nx)
    kwargs = {k: v for k, v in hyper.items() if k not in columns}
    starts = np.tile(start, (nx * ny, 1))
    reached_at, which, loss, trace_steps, trace = _race_cells(
        problem, optimizer, starts, kwargs, schedule=schedule, columns=columns, steps=steps,
        freeze_reached=False, cancel=cancel, threads=threads, noise=noise, seed=seed)
    shape = (ny, nx)
    return HyperMap(x_name, x_values, y_name, y_values, reached_at.reshape(shape),
                    loss.reshape(shape), which.reshape(shape), int(steps), trace_steps,
                    trace.reshape(shape + (len(trace_steps),)))


def axis_grid(optimizer: str, name: str, n: int) -> np.ndarray:
    """``n`` cell centres over a hyperparameter's slider range (geometric for log ones)."""
    h = get_optimizer(optimizer).hyper_spec(name)
    if h.kind == "bool":
        return np.array([0.0, 1.0])
    lo, hi = h.slider_range
    if h.kind == "int":  # whole numbers, at most n of them
        return np.unique(np.round(np.linspace(lo, hi, n)))
    f = (np.arange(n) + 0.5) / n
    if h.log and lo > 0:
        return np.exp(math.log(lo) + f * (math.log(hi) - math.log(lo)))
    return lo + f * (hi - lo)


def default_axes(optimizer: str) -> tuple[str, str | None]:
    """lr and the optimizer's momentum-like coefficient (momentum, β₁, β, α, ρ …)."""
    spec = get_optimizer(optimizer)
    for name in ("momentum", "beta1", "beta", "alpha", "rho", "lr_decay"):
        if name in spec.hyper_names:
            return "lr", name
    rest = [h.name for h in spec.hyper if h.kind == "float" and h.name != "lr"]
    return "lr", (rest[0] if rest else None)


# ------------------------------------------------------------------ lr sweep, tune
def lr_sweep(problem, optimizer: str, start=None, lrs=None, steps: int = DEFAULT_STEPS, *,
             cancel=None, **hyper) -> HyperMap:
    """Final loss and steps to reach against lr: a one-row :func:`hyper_map`."""
    lrs = axis_grid(optimizer, "lr", 41) if lrs is None else lrs
    return hyper_map(problem, optimizer, start, x=("lr", lrs), y=None, steps=steps,
                     cancel=cancel, **{k: v for k, v in hyper.items() if k != "lr"})


def _rank_key(steps: np.ndarray, loss: np.ndarray) -> np.ndarray:
    """Order of preference: reached first (fewest steps), then lowest final loss."""
    never = steps < 0
    loss = np.where(np.isfinite(loss), loss, np.inf)
    return np.lexsort((loss, np.where(never, np.iinfo(np.int64).max, steps)))


def tune_lr(problem, optimizer: str, start=None, steps: int = DEFAULT_STEPS, *, lrs=None,
            rounds: int = 2, points: int = 9, cancel=None, **hyper) -> TuneResult:
    """The lr (over a log grid, refined ``rounds`` times around the best) that reaches a
    minimum first; ties and never-reached are broken by the final loss, diverged runs last.
    Every other setting (hyperparameters, options, schedule) is kept."""
    old = float(hyper.get("lr", get_optimizer(optimizer).defaults["lr"]))
    grid = axis_grid(optimizer, "lr", 25) if lrs is None else np.asarray(lrs, dtype=float)
    tried_lr, tried_steps, tried_loss = [], [], []
    kwargs = {k: v for k, v in hyper.items() if k != "lr"}
    for rnd in range(rounds + 1):
        m = hyper_map(problem, optimizer, start, x=("lr", grid), steps=steps, cancel=cancel,
                      **kwargs)
        tried_lr.extend(grid)
        tried_steps.extend(m.steps[0])
        tried_loss.extend(np.where(m.which[0] == -1, np.inf, m.final_loss[0]))
        lr_all = np.array(tried_lr)
        order = _rank_key(np.array(tried_steps), np.array(tried_loss))
        best = float(lr_all[order[0]])
        if rnd == rounds:
            break
        ranked = np.unique(lr_all)
        i = int(np.searchsorted(ranked, best))
        lo = ranked[max(i - 1, 0)]
        hi = ranked[min(i + 1, len(ranked) - 1)]
        if lo == hi:
            break
        grid = np.geomspace(lo, hi, points + 2)[1:-1]
        grid = grid[~np.isin(grid, lr_all)]
        if not grid.size:
            break
    lr_all = np.array(tried_lr)
    s_all, l_all = np.array(tried_steps, np.int64), np.array(tried_loss)
    sort = np.argsort(lr_all)
    order = _rank_key(s_all, l_all)
    b = order[0]
    return TuneResult(float(lr_all[b]), old, int(s_all[b]), float(l_all[b]), lr_all[sort],
                      s_all[sort], l_all[sort])


def tune_race(race: Race, steps: int = DEFAULT_STEPS, *, cancel=None, **kw) -> dict:
    """:func:`tune_lr` for every run of ``race`` from its own start: ``{uid: TuneResult}``."""
    out = {}
    for uid in race.run_ids:
        info = race.run_info(uid)
        out[uid] = tune_lr(race.problem, info.optimizer, info.start, steps, cancel=cancel,
                           schedule=info.schedule, noise=race.noise, seed=race.seed,
                           **info.hyper, **info.options, **kw)
    return out


# ------------------------------------------------------------------- colours
# One hue per listed minimum (distinct, readable from a projector); the minima's markers
# are drawn in the same hue when the basin layer is on.
BASIN_HUES = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#e377c2",
              "#8c564b", "#bcbd22", "#7f7f7f")
DIVERGED_RGB = (34, 34, 38)
RUNNING_RGB = (168, 168, 168)


def _rgb(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    return np.array([int(h[i:i + 2], 16) for i in (0, 2, 4)], dtype=float)


def minimum_colour(index: int) -> str:
    return BASIN_HUES[index % len(BASIN_HUES)]


def reached_range(steps: np.ndarray) -> tuple[int, int]:
    """The fewest and most steps any cell took to reach a minimum (0, 0 if none did)."""
    r = steps[steps >= 0]
    return (int(r.min()), int(r.max())) if r.size else (0, 0)


def speed_shade(steps: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """0 for the quickest cell (``lo`` steps) … 1 for the slowest (``hi``), on a log scale."""
    a, b = math.log1p(max(lo, 0)), math.log1p(max(hi, 0))
    s = (np.log1p(np.maximum(steps, 0).astype(float)) - a) / max(b - a, 1e-12)
    return np.clip(s, 0.0, 1.0)


def basin_rgba(m: BasinMap, alpha: int = 215) -> np.ndarray:
    """(ny, nx, 4) uint8: the minimum's hue, light where it is reached quickly and deep where
    slowly (log steps); dark where the run diverged, grey where it is still running."""
    out = np.empty(m.which.shape + (4,), np.uint8)
    rgb = np.empty(m.which.shape + (3,))
    rgb[:] = RUNNING_RGB
    rgb[m.which == -1] = DIVERGED_RGB
    shade = speed_shade(m.steps, *reached_range(m.steps))[..., None]
    for k in range(max(len(m.minima), int(m.which.max(initial=-1)) + 1)):
        sel = m.which == k
        if sel.any():
            hue = _rgb(minimum_colour(k))
            light = hue + (255.0 - hue) * 0.72  # a pale tint of the hue
            deep = hue * 0.55
            mix = light + (deep - light) * shade[sel]
            rgb[sel] = mix
    out[..., :3] = np.clip(np.rint(rgb), 0, 255)
    out[..., 3] = alpha
    return out


# reached cells: viridis' stops, quickest (yellow) to slowest (purple)
SPEED_LUT = np.array([_rgb(c) for c in ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")])
SPEED_STOPS = np.linspace(0.0, 1.0, len(SPEED_LUT))


def hyper_rgba(m: HyperMap) -> np.ndarray:
    """(ny, nx, 4) uint8: reached cells from bright yellow (the map's fewest steps) to deep
    purple (its most; viridis, log scale); cells that never reach a minimum in grey by their final loss (log, darker =
    higher); diverged cells near black."""
    ny, nx = m.steps.shape
    rgb = np.empty((ny, nx, 3))
    reached = m.steps >= 0
    s = speed_shade(m.steps, *reached_range(m.steps))
    for c in range(3):
        rgb[..., c] = np.interp(s, SPEED_STOPS, SPEED_LUT[:, c])
    loss = np.where(np.isfinite(m.final_loss), m.final_loss, np.nan)
    other = ~reached & (m.which != -1)
    if other.any():
        lv = np.log10(np.abs(loss[other]) + 1e-300)
        lo, hi = np.nanmin(lv), np.nanmax(lv)
        g = np.zeros_like(lv) if not hi > lo else (lv - lo) / (hi - lo)
        g = np.where(np.isfinite(g), g, 1.0)
        grey = 225.0 - 140.0 * g  # low loss light grey, high loss dark grey
        rgb[other] = grey[:, None]
    rgb[m.which == -1] = DIVERGED_RGB
    out = np.empty((ny, nx, 4), np.uint8)
    out[..., :3] = np.clip(np.rint(rgb), 0, 255)
    out[..., 3] = 255
    return out


# ------------------------------------------------------- maps of a dataset's loss
def loss_shade(loss: np.ndarray) -> np.ndarray:
    """0 for the lowest finite loss … 1 for the highest, on a log scale (linear when the
    losses are too close for their logarithms to differ); NaN where not finite. Cells whose
    losses differ never get the same shade unless they differ by less than a rounding."""
    loss = np.asarray(loss, dtype=float)
    out = np.full(loss.shape, np.nan)
    ok = np.isfinite(loss)
    if not ok.any():
        return out
    v = loss[ok]
    lo, hi = float(v.min()), float(v.max())
    if lo > 0 and math.log10(hi) - math.log10(lo) > 1e-9:
        lv = np.log10(v)
        s = (lv - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
    elif hi > lo:
        s = (v - lo) / (hi - lo)
    else:
        s = np.zeros_like(v)
    out[ok] = np.clip(s, 0.0, 1.0)
    return out


def _viridis(s: np.ndarray) -> np.ndarray:
    rgb = np.empty(s.shape + (3,))
    for c in range(3):
        rgb[..., c] = np.interp(s, SPEED_STOPS, SPEED_LUT[:, c])
    return rgb


def _rgba(rgb: np.ndarray, alpha: int) -> np.ndarray:
    out = np.empty(rgb.shape[:-1] + (4,), np.uint8)
    out[..., :3] = np.clip(np.rint(rgb), 0, 255)
    out[..., 3] = alpha
    return out


def loss_rgba(final_loss: np.ndarray, diverged: np.ndarray, alpha: int = 255,
              ceiling: float | None = None) -> np.ndarray:
    """(…, 4) uint8: the final training loss on viridis, yellow = the map's lowest … purple =
    its highest, or ``ceiling`` and above (log scale); diverged cells (and non-finite
    losses) near black."""
    loss = np.where(diverged, np.nan, final_loss)
    if ceiling is not None:
        loss = np.minimum(loss, ceiling)
    s = loss_shade(loss)
    rgb = _viridis(np.where(np.isfinite(s), s, 0.0))
    rgb[~np.isfinite(s)] = DIVERGED_RGB
    return _rgba(rgb, alpha)


def target_rgba(steps_to: np.ndarray, diverged: np.ndarray, alpha: int = 255) -> np.ndarray:
    """(…, 4) uint8: the steps to reach a target loss, yellow = soonest … purple = latest
    (log); grey where the target was never reached, near black where the run diverged."""
    reached = steps_to >= 0
    rgb = _viridis(speed_shade(steps_to, *reached_range(steps_to)))
    rgb[~reached] = RUNNING_RGB
    rgb[diverged & ~reached] = DIVERGED_RGB
    return _rgba(rgb, alpha)
