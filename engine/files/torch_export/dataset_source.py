"""A dataset problem in torch: the training data as literals, the model as an nn.Module laid
out as the app's θ, the objective (mean loss + penalties) and the app's batch order.

The batches are the engine's (:func:`engine.data.kernels.epoch_permutation`): every epoch a
Fisher–Yates shuffle driven by SplitMix64 from the run's shuffle key, batches taken in turn
(the last one of an epoch may be shorter); the script reimplements it with Python integers.
"""

from __future__ import annotations

import numpy as np

from .loss_table import HELPERS, loss_function

ACTIVATION_MODULES = {"tanh": "torch.nn.Tanh()", "relu": "torch.nn.ReLU()",
                      "sigmoid": "torch.nn.Sigmoid()"}

BATCHES = '''

# The app's batch order: SplitMix64 (Steele, Lea & Flood 2014) drives a Fisher-Yates shuffle
# of the training set per epoch; a run takes the next batch_size samples in turn.
MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
EPOCH_MIX = 0xD1B54A32D192ED03


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def epoch_permutation(key, epoch, n):
    perm = list(range(n))
    state = mix64(key ^ ((epoch * EPOCH_MIX + GOLDEN) & MASK))
    for i in range(n - 1, 0, -1):
        state = (state + GOLDEN) & MASK
        j = mix64(state) % (i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    return perm


def batches(key, batch_size):
    """The sample indices of every step's batch, in the app's order (None: all, i.e. GD)."""
    n = len(X)
    if batch_size is None or batch_size >= n:
        while True:
            yield torch.arange(n)
    epoch, pos, perm = 0, 0, epoch_permutation(key, 0, n)
    while True:
        used = min(batch_size, n - pos)
        yield torch.tensor(perm[pos:pos + used])
        pos += used
        if pos >= n:
            epoch, pos = epoch + 1, 0
            perm = epoch_permutation(key, epoch, n)


def objective(model, idx, loss, l1, l2):
    """The mean loss over the samples idx, plus l1·Σ|w| + l2·Σw² over the weights (not biases)."""
    value = loss(model(X[idx]), idx).mean()
    if l1 != 0.0 or l2 != 0.0:
        weights = [layer.weight for layer in model if isinstance(layer, torch.nn.Linear)]
        value = value + (l1 * sum(w.abs().sum() for w in weights)
                         + l2 * sum((w * w).sum() for w in weights))
    return value


def batch_losses(model, batch_size, shuffle_key, loss, l1, l2):
    """The objective on each next batch in turn (a function without arguments; its .idx is
    the batch it took last, its .again() that batch's objective once more)."""
    order = batches(shuffle_key, batch_size)

    def next_loss():
        next_loss.idx = next(order)
        return objective(model, next_loss.idx, loss, l1, l2)

    # L-BFGS's closure evaluates the same batch again, as often as its step needs
    next_loss.again = lambda: objective(model, next_loss.idx, loss, l1, l2)
    return next_loss


def set_parameters(model, theta):
    """Load θ (the app's flat layout: W1, b1, W2, b2, ... row-major) into the model."""
    torch.nn.utils.vector_to_parameters(torch.tensor(theta), model.parameters())
'''


def _rows(array: np.ndarray, as_int: bool) -> str:
    def one(v):
        return str(int(v)) if as_int else repr(float(v))

    if array.ndim == 1:
        body = ", ".join(one(v) for v in array)
        return "[" + body + "]"
    return "[\n" + "".join("    [" + ", ".join(one(v) for v in row) + "],\n" for row in array) + "]"


def dataset_source(problem, losses_used: list[str]) -> tuple[str, str]:
    """(a line naming the problem, the code of its data, model, objective and losses)."""
    ds, net, model = problem.dataset, problem.network, problem.model
    regression = problem.regression
    layers = []
    for k, layer in enumerate(net.layers):
        layers.append(f"torch.nn.Linear({layer.n_in}, {layer.n_out}, bias={net.bias})")
        if k < len(net.layers) - 1:
            layers.append(ACTIVATION_MODULES[net.activation])
    names = ", ".join(name for name, _, _ in net.layout())
    what = (f"{ds.name} ({problem.n_train} training samples, {ds.dim} features, {ds.task}), "
            f"{model.describe()}, {net.n_params} parameters")
    data = (
        "\n\n# ------------------------------------------------------------------ the data\n"
        f"REGRESSION = {regression}\n"
        f"X = torch.tensor({_rows(problem.X, False)})\n"
        + (f"TARGETS = torch.tensor({_rows(problem.y.astype(float), False)})\nCLASSES = None\n"
           if regression else
           f"CLASSES = torch.tensor({_rows(problem.y.astype(np.int64), True)})\nTARGETS = None\n")
    )
    model_code = (
        "\n\ndef make_model():\n"
        f'    """{model.describe()}: θ = ({names}), as the app lays it out."""\n'
        "    return torch.nn.Sequential(\n"
        + "".join(f"        {layer},\n" for layer in layers)
        + "    )\n"
    )
    loss_code = HELPERS + "".join(loss_function(key) for key in losses_used)
    return what, data + model_code + BATCHES + loss_code
