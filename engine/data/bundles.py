"""The named bundles the dataset kernels take (see :mod:`engine.race.state` for the race's)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Samples(NamedTuple):
    """One split of a dataset as the kernels read it."""

    X: np.ndarray  # (n, d) float64 features
    yr: np.ndarray  # (n,) float64 regression targets (zeros for classification)
    cls: np.ndarray  # (n,) int64 class labels (zeros for regression)


class Net(NamedTuple):
    """A dense network: layer sizes, activation id, bias flag; task and penalised weights."""

    sizes: np.ndarray  # (L + 1,) int64: input, hidden…, output widths
    act: int  # an ACTIVATIONS id
    bias: bool
    reg: bool  # regression (else classification)
    wmask: np.ndarray  # (P,) 1.0 where θᵢ is a weight (penalised), 0.0 for biases


class Work(NamedTuple):
    """Scratch of one objective evaluation (from the caller: the kernels allocate nothing)."""

    acts: np.ndarray  # Σ sizes × CHUNK: every layer's values for a chunk of samples
    da: np.ndarray  # widest layer × CHUNK: back-propagated errors …
    db: np.ndarray  # … and the next layer's
    o: np.ndarray  # max(K, 2): one sample's outputs,
    do: np.ndarray  # dL/do,
    p: np.ndarray  # its softmax,
    z: np.ndarray  # two-class logits,
    dz: np.ndarray  # and dL/dz


class ObjectiveAt(NamedTuple):
    """Entry addresses of the compiled objective and its two parts (engine.compile.compiled_call)."""

    objective: int
    forward: int  # the network's forward pass
    losses: int  # the loss table over a chunk of samples


class DatasetRuns(NamedTuple):
    """A dataset problem's own per-run state (one row per run of a race)."""

    batch: np.ndarray  # (n,) int64: batch size, 0 = the whole training set
    seen: np.ndarray  # (n,) int64: samples consumed (epoch = seen // n_train)
    lid: np.ndarray  # (n,) int64: the run's loss id
    l1: np.ndarray  # (n,): its lasso penalty
    l2: np.ndarray  # (n,): its ridge penalty
    check_min: np.ndarray  # (n,) bool: the problem's minima are the run's minima too
    eval_every: np.ndarray  # (n,) int64: full train/test loss every this many steps
    shuffle_key: np.ndarray  # (n,) uint64: the key of its epoch permutations


def dataset_runs(n: int) -> DatasetRuns:
    return DatasetRuns(batch=np.zeros(n, np.int64), seen=np.zeros(n, np.int64),
                       lid=np.zeros(n, np.int64), l1=np.zeros(n), l2=np.zeros(n),
                       check_min=np.zeros(n, np.bool_), eval_every=np.ones(n, np.int64),
                       shuffle_key=np.zeros(n, np.uint64))
