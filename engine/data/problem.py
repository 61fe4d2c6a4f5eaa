"""``DatasetProblem``: a dataset, a model and a loss, raced like a surface.

It implements the problem protocol (:mod:`engine.problems.protocol`), so that
:class:`engine.Race` and :func:`engine.trajectory` take it as they take a surface. What
differs from a surface:

* every run has a batch size (``Race.add_run(..., batch_size=B)``; None = the whole
  training set, i.e. GD; 1 = SGD). Each epoch is a fresh seeded permutation of the
  training set; a run takes the next B indices of it (the last batch of an epoch may be
  shorter). By default all runs share the permutation sequence, so runs with the same
  batch size see the same batches (``shuffle="independent"`` gives each run its own).
  The permutations depend on the problem's ``seed``, the race's ``seed`` and, if
  independent, the run's id.
* the recorded loss is the full training objective (data loss + penalties) and the test
  loss (data loss on the held-out split). For GD the training loss comes free with every
  step; otherwise both are computed every ``eval_every`` steps (auto: every step when the
  data are small, else a power of two that keeps the evaluation under ~25 % of the step
  cost) and history rows in between hold NaN. The race's ``loss`` / ``test_loss`` hold
  the latest evaluated values.
* a run may carry its own loss and penalties (``Race.add_run(..., loss="hinge", l2=0.1)``),
  e.g. to compare several losses of the lecture's table on one dataset.

The problem's per-run state (batch, cursor, loss id, penalties …) is its own
:class:`~.bundles.DatasetRuns`, kept by the race beside its own bundles.
"""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np

from ..checks import nonnegative, validated_batch_size
from ..compile.direct_call import DirectCall
from ..noise import stream_seed
from ..optimizers.dispatch import step_addresses
from ..quoted import quoted
from ..race.state import RUNNING, Box, StartValues
from ..race.steps import NEEDS_HESSIAN
from . import kernels
from .bundles import DatasetRuns, Net, ObjectiveAt, Samples, Work, dataset_runs
from .datasets import Dataset, make_dataset
from .hessian import dataset_hessian
from .losses import LOSSES, LossSpec, check_fit, get_loss, losses_for
from .models import Model, Network, as_model

REACHED_FRACTION = 1e-3  # as for surfaces: a fraction of the map's diagonal
DIVERGENCE_FACTOR = 1e3  # |θᵢ| beyond 1000 × the scale of the start / minimum
EVAL_BUDGET = 0.25  # evaluation ≤ this fraction of a step's cost …
EVAL_ALWAYS_MACS = 20_000  # … unless it is this cheap anyway (multiply-adds)
MAX_EVAL_EVERY = 4096

_SHUFFLE = ("shared", "independent")

_advance_dataset = DirectCall(kernels.advance_dataset)
_objective_rows_kernel = DirectCall(kernels.objective_rows)


def default_loss(task: str) -> str:
    return "l2" if task == "regression" else "log"


class DatasetProblem:
    """A dataset with a model and a loss: ``DatasetProblem("moons", Model("mlp"), "log")``.

    ``dataset``: a :class:`Dataset` or a key of :data:`DATASETS` (generated with its
    defaults); ``model``: a :class:`Model` or a key of :data:`MODELS`; ``loss``: a key of
    :data:`LOSSES` (None: L2 for regression, log loss for classification); ``l1``, ``l2``:
    lasso and ridge penalties on the weights; ``seed``: the initial θ (``default_start``)
    and the shuffling.
    """

    option_names = ("batch_size", "loss", "l1", "l2")
    reports_test_loss = True

    def __init__(self, dataset, model="mlp", loss=None, *, l1: float = 0.0, l2: float = 0.0,
                 seed: int = 0, shuffle: str = "shared", eval_every: int | None = None):
        self.dataset = dataset if isinstance(dataset, Dataset) else make_dataset(dataset)
        self.model = as_model(model)
        ds = self.dataset
        self.network = Network(self.model, ds.task, ds.dim, ds.n_classes)
        net = self.network
        self.loss_spec = get_loss(default_loss(ds.task) if loss is None else loss)
        check_fit(self.loss_spec, ds.task, net.n_outputs, self.model.describe())
        self.l1 = nonnegative("l1", l1)
        self.l2 = nonnegative("l2", l2)
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"Invalid seed value: seed={quoted(seed)} (allowed: an integer >= 0)")
        self.seed = int(seed)
        if shuffle not in _SHUFFLE:
            raise ValueError(f"Invalid shuffle value: {quoted(shuffle)} (allowed: {', '.join(_SHUFFLE)})")
        self.shuffle = shuffle
        if eval_every is not None and (isinstance(eval_every, bool)
                                       or not isinstance(eval_every, (int, np.integer))
                                       or not 1 <= eval_every <= 1 << 30):
            raise ValueError(f"Invalid eval_every value: {quoted(eval_every)} (allowed: None for automatic, "
                             f"or an integer >= 1)")
        self.eval_every = None if eval_every is None else int(eval_every)
        self.n_params = net.n_params
        self.regression = ds.task == "regression"

        # The arrays the kernels read (contiguous, fixed dtypes: one compiled version).
        self.X = np.ascontiguousarray(ds.X, dtype=float)
        self.y = ds.y.copy()
        self.X_test = np.ascontiguousarray(ds.X_test, dtype=float).reshape(-1, ds.dim)
        self.y_test = ds.y_test.copy()
        self.n_train, self.n_test = len(self.X), len(self.X_test)
        if self.regression:
            yr, yrt = self.y.astype(float), self.y_test.astype(float)
            cls, clst = np.zeros(self.n_train, np.int64), np.zeros(self.n_test, np.int64)
        else:
            yr, yrt = np.zeros(self.n_train), np.zeros(self.n_test)
            cls, clst = self.y.astype(np.int64), self.y_test.astype(np.int64)
        self.train = Samples(self.X, yr, cls)
        self.test = Samples(self.X_test, yrt, clst)
        self._idx = np.arange(max(self.n_train, self.n_test, 1), dtype=np.int64)
        self.net = Net(net.sizes, int(net.act_id), bool(net.bias), bool(self.regression),
                       net.weight_mask)
        sizes = net.sizes
        self._width = int(max(2, sizes.max()))
        self._macs = int(sum(int(a) * int(b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)))

        self.default_start = net.init(self.seed)
        self.minima = self._known_minimum().reshape(-1, self.n_params)
        self.minima_values = np.array([self.loss(m) for m in self.minima])
        scale = max(1.0, float(np.abs(self.default_start).max(initial=0.0)),
                    float(np.abs(self.minima).max(initial=0.0)))
        if self.n_params == 2 and self.minima.size:
            xmin, xmax, ymin, ymax = self.domain
            tolerance = REACHED_FRACTION * float(np.hypot(xmax - xmin, ymax - ymin))
        else:
            gap = np.linalg.norm(self.minima[0] - self.default_start) if self.minima.size else 1.0
            tolerance = REACHED_FRACTION * max(1.0, float(gap))
        self.box = Box(lo=np.full(self.n_params, -DIVERGENCE_FACTOR * scale),
                       hi=np.full(self.n_params, DIVERGENCE_FACTOR * scale),
                       minima=np.ascontiguousarray(self.minima), tol=tolerance)

    # ------------------------------------------------------------------ description
    @property
    def key(self) -> str:
        return f"{self.dataset.key}/{self.model.key}/{self.loss_spec.key}"

    @property
    def name(self) -> str:
        pen = []
        if self.l1:
            pen.append(f"L1 {self.l1:g}")
        if self.l2:
            pen.append(f"L2 {self.l2:g}")
        extra = f" + {', '.join(pen)}" if pen else ""
        return f"{self.dataset.name} · {self.model.describe()} · {self.loss_spec.name}{extra}"

    @property
    def loss_key(self) -> str:
        return self.loss_spec.key

    @property
    def f_min(self) -> float:
        return float(self.minima_values.min()) if self.minima_values.size else float("nan")

    def losses_that_fit(self) -> list[str]:
        return losses_for(self.dataset.task, self.network.n_outputs)

    def __repr__(self) -> str:
        return (f"DatasetProblem({self.dataset.key!r}, {self.model!r}, {self.loss_spec.key!r}, "
                f"l1={self.l1:g}, l2={self.l2:g}, seed={self.seed})")

    # -------------------------------------------------------------- per-run options
    def run_options(self, batch_size=None, loss=None, l1=None, l2=None) -> dict:
        """A run's batch size and its own loss and penalties (None: the problem's)."""
        spec = self.loss_spec if loss is None else get_loss(loss)
        check_fit(spec, self.dataset.task, self.network.n_outputs, self.model.describe())
        return {"batch_size": validated_batch_size(batch_size, self.n_train),
                "loss": spec.key,
                "l1": self.l1 if l1 is None else nonnegative("l1", l1),
                "l2": self.l2 if l2 is None else nonnegative("l2", l2)}

    def _objective_of(self, options: dict) -> tuple[int, float, float]:
        return (LOSSES[options["loss"]].id, float(options["l1"]), float(options["l2"]))

    @property
    def _default_objective(self) -> tuple[int, float, float]:
        return (self.loss_spec.id, self.l1, self.l2)

    # ------------------------------------------------------------------- the maths
    def _objective_rows(self, thetas, samples, idx, start, m, obj, want_grad):
        thetas = np.ascontiguousarray(np.asarray(thetas, dtype=float).reshape(-1, self.n_params))
        loss = np.empty(len(thetas))
        grad = np.empty((len(thetas), self.n_params) if want_grad else (0, self.n_params))
        _objective_rows_kernel(*self.objective_rows_args(kernels.objective_addresses(), thetas,
                                                         samples, idx, start, m, obj, want_grad,
                                                         loss, grad))
        return loss, grad

    def objective_rows_args(self, at, thetas, samples, idx, start, m, obj, want_grad,
                            loss, grad) -> tuple:
        """``objective_rows``' arguments (engine.compile.precompile compiles it for their types)."""
        lid, l1, l2 = obj
        return (at, thetas, samples, idx, int(start), int(m), self.net, int(lid),
                float(l1), float(l2), bool(want_grad), loss, grad, np.empty(self.n_params),
                self._work())

    def _train(self, thetas, obj=None, want_grad=True):
        return self._objective_rows(thetas, self.train, self._idx, 0, self.n_train,
                                    obj or self._default_objective, want_grad)

    def _test(self, thetas, lid=None):
        if self.n_test == 0:
            thetas = np.asarray(thetas, dtype=float).reshape(-1, self.n_params)
            return np.full(len(thetas), np.nan)
        lid = self.loss_spec.id if lid is None else lid
        return self._objective_rows(thetas, self.test, self._idx, 0, self.n_test,
                                    (lid, 0.0, 0.0), False)[0]

    def _check_theta(self, theta) -> np.ndarray:
        arr = np.asarray(theta, dtype=float)
        if arr.shape[-1:] != (self.n_params,):
            raise ValueError(f"Invalid theta: shape {arr.shape} (allowed: (..., {self.n_params}))")
        return arr

    def loss(self, theta) -> float | np.ndarray:
        """Full training objective (data loss + penalties) at θ (or at each row)."""
        arr = self._check_theta(theta)
        out = self._train(arr, want_grad=False)[0]
        return float(out[0]) if arr.ndim == 1 else out.reshape(arr.shape[:-1])

    def grad(self, theta) -> np.ndarray:
        """Gradient of the full training objective at θ (or at each row)."""
        arr = self._check_theta(theta)
        out = self._train(arr)[1]
        return out[0] if arr.ndim == 1 else out.reshape(arr.shape)

    def loss_and_grad(self, theta) -> tuple[float, np.ndarray]:
        arr = self._check_theta(theta).reshape(self.n_params)
        loss, grad = self._train(arr)
        return float(loss[0]), grad[0]

    def hessian(self, theta, options: dict | None = None) -> np.ndarray:
        """The exact (P, P) Hessian of the full training objective at θ (a run's own loss and
        penalties with ``options``); refused beyond 64 parameters (:mod:`.hessian`)."""
        return dataset_hessian(self, self._check_theta(theta).reshape(self.n_params), options)

    def test_loss(self, theta) -> float:
        """Data loss (no penalties) on the held-out split; NaN without one."""
        return float(self._test(self._check_theta(theta).reshape(self.n_params))[0])

    def evaluate(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Loss, gradient and gradient norm of the full training objective at each row (k × P)."""
        loss, grad = self._train(theta)
        return loss, grad, np.sqrt((grad * grad).sum(axis=1))

    def run_losses(self, thetas, options: dict | None = None):
        """At each row of ``thetas`` (k × P), for a run with ``options`` (its own loss and
        penalties, as ``run_options`` gives them; None: the problem's): the full training
        objective, the norm of its full-batch gradient and the held-out data loss (NaN
        without a test split). Three arrays of k values."""
        thetas = self._check_theta(thetas).reshape(-1, self.n_params)
        obj = self._default_objective if options is None else self._objective_of(options)
        loss, grad = self._train(thetas, obj)
        return loss, np.sqrt((grad * grad).sum(axis=1)), self._test(thetas, obj[0])

    # ---------------------------------------------------------------- predictions
    def outputs(self, theta, X=None) -> np.ndarray:
        """Raw network outputs o, shape (n, K)."""
        theta = np.ascontiguousarray(self._check_theta(theta).reshape(self.n_params))
        X = self.X if X is None else np.ascontiguousarray(np.asarray(X, dtype=float)
                                                          .reshape(-1, self.dataset.dim))
        out = np.empty((len(X), self.network.n_outputs))
        kernels.forward_rows(*self.forward_rows_args(kernels.FORWARD.address(), theta, X, out))
        return out

    def forward_rows_args(self, forward_at, theta, X, out) -> tuple:
        """``forward_rows``' arguments (engine.compile.precompile compiles it for their types)."""
        return (forward_at, theta, X, np.arange(len(X), dtype=np.int64), self.net, out,
                self._work().acts)

    def predict(self, theta, X=None) -> np.ndarray:
        """Regression: ŷ (n,). Two classes: P(class 1) (n,). K classes: probabilities (n, K)."""
        o = self.outputs(theta, X)
        kind = self.network.output
        if kind == "identity":
            return o[:, 0]
        if kind == "sigmoid":
            return 1.0 / (1.0 + np.exp(-np.clip(o[:, 0], -700, 700)))
        e = np.exp(o - o.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def classify(self, theta, X=None) -> np.ndarray:
        """Predicted class labels (classification only)."""
        if self.regression:
            raise ValueError("classify() needs a classification problem")
        o = self.outputs(theta, X)
        return (o[:, 0] > 0).astype(np.int64) if o.shape[1] == 1 else o.argmax(axis=1)

    def accuracy(self, theta, test: bool = False) -> float:
        """Fraction of correctly classified points (train, or test with ``test=True``)."""
        X, y = (self.X_test, self.y_test) if test else (self.X, self.y)
        if len(X) == 0:
            return float("nan")
        return float((self.classify(theta, X) == y).mean())

    def predict_grid(self, theta, xs, ys) -> np.ndarray:
        """``predict`` on the grid (xs[i], ys[j]) of a 2-D dataset: shape (ny, nx[, K]).

        For the data view's decision boundary: a shaded P(class 1) field (two classes) or
        per-class probabilities (K classes); the boundary is the 0.5 contour / argmax change.
        """
        if self.dataset.dim != 2:
            raise ValueError(f"predict_grid needs 2-D data; this dataset has {self.dataset.dim} "
                             f"feature(s) (use predict on a line of x values)")
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        gx, gy = np.meshgrid(xs, ys)
        pred = self.predict(theta, np.c_[gx.ravel(), gy.ravel()])
        return pred.reshape(len(ys), len(xs), *pred.shape[1:])

    # ------------------------------------------------------------------ loss maps
    def loss_grid(self, xs, ys) -> np.ndarray:
        """The true loss surface of a 2-parameter model: ``Z[j, i] = L(θ = (xs[i], ys[j]))``."""
        if self.n_params != 2:
            raise ValueError(f"loss_grid needs a 2-parameter model; this one has {self.n_params} "
                             f"(use loss_plane on a 2-D slice)")
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        gx, gy = np.meshgrid(xs, ys)
        return self._train(np.c_[gx.ravel(), gy.ravel()], want_grad=False)[0].reshape(len(ys), len(xs))

    def grid(self, nx: int = 200, ny: int | None = None):
        """``(xs, ys, Z)`` over :attr:`domain`, like ``Surface.grid``."""
        xmin, xmax, ymin, ymax = self.domain
        xs = np.linspace(xmin, xmax, nx)
        ys = np.linspace(ymin, ymax, nx if ny is None else ny)
        return xs, ys, self.loss_grid(xs, ys)

    @cached_property
    def domain(self) -> tuple[float, float, float, float]:
        """A map window for 2-parameter models: the start and the minimum with a margin.

        Without a known minimum, the end of 3,000 full-batch Adam steps stands in for it.
        """
        if self.n_params != 2:
            raise ValueError(f"domain is defined for 2-parameter models; this one has {self.n_params}")
        pts = [self.default_start]
        if self.minima.size:
            pts += list(self.minima)
        else:
            from ..trajectory import trajectory

            path = trajectory(self, "adam", self.default_start, 3000, lr=0.05)
            end = path[np.isfinite(path).all(axis=1)][-1]
            pts.append(end)
        pts = np.array(pts)
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        pad = max(0.6 * float((hi - lo).max()), 1.0)
        return (float(lo[0] - pad), float(hi[0] + pad), float(lo[1] - pad), float(hi[1] + pad))

    def plane_directions(self, seed: int = 0, origin=None) -> tuple[np.ndarray, np.ndarray]:
        """Two random directions for a 2-D slice of parameter space, normalised per layer.

        Each block (a layer's weights, its biases) of each direction is scaled to the norm
        of the same block of ``origin`` (default: the start), as in Li et al., "Visualizing
        the Loss Landscape of Neural Nets" (2018); blocks of ``origin`` that are 0 keep
        unit norm. Then the second is made orthogonal to the first.
        """
        origin = self.default_start if origin is None else self._check_theta(origin)
        rng = np.random.default_rng([int(seed), 0xD1CE])
        dirs = []
        for _ in range(2):
            d = rng.standard_normal(self.n_params)
            for _, sl, _shape in self.network.layout():
                nd, no = np.linalg.norm(d[sl]), np.linalg.norm(origin[sl])
                d[sl] *= (no if no > 0 else 1.0) / nd
            dirs.append(d)
        u, v = dirs
        v = v - (v @ u) / (u @ u) * u
        v *= np.linalg.norm(u) / np.linalg.norm(v)
        return u, v

    def loss_plane(self, origin, u, v, alphas, betas) -> np.ndarray:
        """``Z[j, i] = L(origin + alphas[i]·u + betas[j]·v)``: the loss on a 2-D slice."""
        origin, u, v = (self._check_theta(a).reshape(self.n_params) for a in (origin, u, v))
        alphas, betas = np.asarray(alphas, dtype=float), np.asarray(betas, dtype=float)
        a, b = np.meshgrid(alphas, betas)
        thetas = origin + a.reshape(-1, 1) * u + b.reshape(-1, 1) * v
        return self._train(thetas, want_grad=False)[0].reshape(len(betas), len(alphas))

    @staticmethod
    def project(points, origin, u, v) -> np.ndarray:
        """Coordinates (α, β) of points (k × P) on the plane origin + α·u + β·v (least squares)."""
        basis = np.c_[np.asarray(u, float), np.asarray(v, float)]
        diff = np.asarray(points, dtype=float).reshape(-1, basis.shape[0]) - np.asarray(origin, float)
        return np.linalg.lstsq(basis, diff.T, rcond=None)[0].T

    @property
    def tensor_shapes(self) -> list[tuple[int, ...]]:
        """The shapes torch holds θ in (``nn.Linear`` weights and biases, in θ order): what
        a per-tensor optimizer sees (Adafactor; ``OptimizerSpec.init_shapes``)."""
        return [shape for _, _, shape in self.network.layout()]

    @property
    def history_hint(self) -> int:
        """A ``Race(history=…)`` that keeps a run's history near 2 MB (every row stores θ).

        The race's default, 16,384 rows, costs 16,384 × (P + 3) × 8 bytes per run: 44 MB for
        the 337 parameters of an MLP 2-16-16-1, and copying eight such histories into a
        snapshot takes ~0.3 s. The hint is 16,384 rows for P ≤ 13 (the 2-parameter maps keep
        their full paths) and 1,024 rows for P ≥ 253 (still ≥ 1,000 points per loss curve).
        """
        return int(max(1024, min(16384, (1 << 18) // (self.n_params + 3))))

    # --------------------------------------------------------------------- batches
    def steps_per_epoch(self, batch_size: int | None) -> int:
        """Steps that make one pass over the training set: ⌈N / B⌉ (1 for the full batch)."""
        if batch_size is None or batch_size <= 0 or batch_size >= self.n_train:
            return 1
        return -(-self.n_train // int(batch_size))

    def shuffle_key(self, race_seed: int = 0, uid: int = 0) -> int:
        """The 64-bit key of the epoch permutations (independent shuffles mix in the run id)."""
        run = int(uid) + 1 if self.shuffle == "independent" else 0
        return stream_seed(stream_seed(self.seed, int(race_seed) + 0x5EED), run)

    def epoch_order(self, epoch: int, race_seed: int = 0, uid: int = 0) -> np.ndarray:
        """The permutation of the training indices that epoch ``epoch`` walks through."""
        perm = np.empty(self.n_train, np.int64)
        kernels.epoch_permutation(np.uint64(self.shuffle_key(race_seed, uid)), int(epoch), perm)
        return perm

    def batches(self, batch_size: int | None, steps: int, race_seed: int = 0,
                uid: int = 0) -> list[np.ndarray]:
        """The index batches of a run's first ``steps`` steps, in order (what the kernel uses)."""
        if batch_size is None or batch_size <= 0 or batch_size >= self.n_train:
            return [np.arange(self.n_train)] * steps
        out, epoch, pos = [], 0, 0
        perm = self.epoch_order(0, race_seed, uid)
        for _ in range(steps):
            m = min(batch_size, self.n_train - pos)
            out.append(perm[pos:pos + m].copy())
            pos += m
            if pos >= self.n_train:
                epoch, pos = epoch + 1, 0
                perm = self.epoch_order(epoch, race_seed, uid)
        return out

    def eval_interval(self, batch_size: int | None) -> int:
        """Every how many steps a run with this batch size records its full train/test loss."""
        if self.eval_every is not None:
            return self.eval_every
        full = batch_size is None or batch_size <= 0 or batch_size >= self.n_train
        B = self.n_train if full else int(batch_size)
        step = 3.0 * B * self._macs + 10.0 * self.n_params
        cost = (self.n_test if full else self.n_train + self.n_test) * self._macs
        if cost <= max(EVAL_BUDGET * step, EVAL_ALWAYS_MACS):
            return 1
        every = 1 << math.ceil(math.log2(cost / (EVAL_BUDGET * step)))
        return min(every, MAX_EVAL_EVERY)

    # ------------------------------------------------------------------ the race
    def _work(self) -> Work:
        """Fresh scratch for one kernel call (calls may run on several threads at once)."""
        w, c = self._width, kernels.CHUNK
        return Work(np.empty(int(self.net.sizes.sum()) * c), np.empty(w * c), np.empty(w * c),
                    np.empty(w), np.empty(w), np.empty(w), np.empty(w), np.empty(w))

    def new_run_state(self, n_runs: int) -> DatasetRuns:
        return dataset_runs(n_runs)

    def init_run(self, state: DatasetRuns, row: int, options: dict, race_seed: int,
                 uid: int) -> None:
        obj = self._objective_of(options)
        batch = options["batch_size"] or 0
        state.batch[row] = batch
        state.seen[row] = 0
        state.lid[row], state.l1[row], state.l2[row] = obj
        state.check_min[row] = bool(self.minima.size) and obj == self._default_objective
        state.eval_every[row] = self.eval_interval(batch)
        state.shuffle_key[row] = np.uint64(self.shuffle_key(race_seed, uid))

    def start_values(self, theta, state: DatasetRuns, row: int) -> StartValues:
        """The run's own objective at its start, its test loss, and the gradient of its
        first batch (not the full one)."""
        obj = (int(state.lid[row]), float(state.l1[row]), float(state.l2[row]))
        loss, grad = self._train(theta, obj)
        loss, grad = float(loss[0]), grad[0]
        B = int(state.batch[row])
        if 0 < B < self.n_train:
            perm = np.empty(self.n_train, np.int64)
            kernels.epoch_permutation(state.shuffle_key[row], 0, perm)
            grad = self._objective_rows(theta, self.train, perm, 0, B, obj, True)[1][0]
        gnorm = float(np.sqrt(grad @ grad))
        test = float(self._test(theta, obj[0])[0])
        return StartValues(loss, grad, gnorm, test, bool(state.check_min[row]))

    def advance(self, runs, hist, state: DatasetRuns, n: int) -> None:
        """Advance every run of a race by ``n`` steps: one compiled call; a Newton run (its
        optimizer needs the Hessian) one compiled step at a time, its exact Hessian for the
        next batch computed in NumPy between them."""
        steps_at, at = step_addresses(runs.opt_id), kernels.objective_addresses()
        _advance_dataset(*self.advance_args(runs, hist, state, n, steps_at, at))
        newton = [r for r, oid in enumerate(runs.opt_id.tolist())
                  if 0 <= oid < len(NEEDS_HESSIAN) and NEEDS_HESSIAN[oid]]
        for r in newton:
            for _ in range(n):
                if runs.status[r] != RUNNING:
                    break
                _advance_dataset(*self.advance_args(runs, hist, state, 1, steps_at, at, r))
                if runs.status[r] == RUNNING:
                    runs.hess[r] = self.run_hessian(runs.theta[r], state, r)

    def advance_args(self, runs, hist, state: DatasetRuns, n: int, steps_at: tuple[int, int],
                     at: ObjectiveAt, only: int = -1) -> tuple:
        """The race kernel's arguments (engine.compile.precompile compiles it for their types)."""
        P = self.n_params
        return (steps_at, at, n, runs, hist, self.box, state, self.train, self.test,
                self._idx, self.net, np.empty(self.n_train, np.int64), np.empty(P), np.empty(P),
                self._work(), int(only))

    def run_hessian(self, theta, state: DatasetRuns, row: int) -> np.ndarray:
        """The exact Hessian of run ``row``'s next batch (its own loss and penalties) at θ:
        what its next Newton step uses, as the gradient it uses is that batch's."""
        obj = (int(state.lid[row]), float(state.l1[row]), float(state.l2[row]))
        B, N = int(state.batch[row]), self.n_train
        if 0 < B < N:
            epoch, pos = divmod(int(state.seen[row]), N)
            perm = np.empty(N, np.int64)
            kernels.epoch_permutation(state.shuffle_key[row], epoch, perm)
            idx = perm[pos:pos + min(B, N - pos)]
        else:
            idx = None
        return dataset_hessian(self, np.asarray(theta, dtype=float), obj=obj, idx=idx)

    # --------------------------------------------------------------- known minima
    def _known_minimum(self) -> np.ndarray:
        """Linear regression with the L2 loss (and ridge, no lasso): the exact minimiser."""
        if not (self.model.key == "linear" and self.loss_spec.id == LOSSES["l2"].id
                and self.l1 == 0.0):
            return np.empty((0, self.n_params))
        A = np.c_[self.X, np.ones(self.n_train)] if self.network.bias else self.X
        if np.linalg.matrix_rank(A) < A.shape[1]:
            return np.empty((0, self.n_params))  # a valley of minima, not a point
        if self.l2 == 0.0:
            return np.linalg.lstsq(A, self.train.yr, rcond=None)[0]
        H = A.T @ A / self.n_train + self.l2 * np.diag(self.net.wmask)
        return np.linalg.solve(H, A.T @ self.train.yr / self.n_train)


def make_problem(dataset="moons", model="mlp", loss=None, **kwargs) -> DatasetProblem:
    """Shorthand: ``make_problem("spirals", Model("mlp", hidden=(32, 32)), "log")``."""
    return DatasetProblem(dataset, model, loss, **kwargs)


__all__ = ["DatasetProblem", "LossSpec", "Model", "make_problem"]
