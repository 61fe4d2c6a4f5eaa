"""The loss catalogue (:mod:`engine.data.losses`) as torch functions of a batch's outputs.

Each entry is the source of ``<key>(o, idx)``: the per-sample loss of outputs ``o``
(m × K) for the training samples ``idx``, as the app's table writes it (mean and
penalties are added by the script's ``objective``). Helpers they share come first and are
emitted once. autograd differentiates them, so the gradients equal the app's hand-written
ones up to rounding (a test holds every loss to 1e-9 along a path).
"""

from __future__ import annotations

from ...data.losses import LOSSES

HELPERS = '''

def one_hot(idx, k):
    return torch.nn.functional.one_hot(CLASSES[idx], k).to(torch.float64)


def signed_labels(o, idx):
    """+1 / -1 labels: the class (one output, so that o > 0 means class 1) or one-hot."""
    if o.shape[1] == 1:
        return (2.0 * CLASSES[idx] - 1.0)[:, None]
    return 2.0 * one_hot(idx, o.shape[1]) - 1.0


def raw_targets(o, idx):
    """What the L1 and L2 losses compare the outputs with."""
    if REGRESSION:
        return TARGETS[idx][:, None]
    if o.shape[1] == 1:
        return (2.0 * CLASSES[idx] - 1.0)[:, None]
    return one_hot(idx, o.shape[1])


def logits(o):
    """One sigmoid output is the two-class softmax of the logits (0, o)."""
    return torch.cat((torch.zeros_like(o), o), 1) if o.shape[1] == 1 else o


def log_prob_of_class(o, idx):
    return torch.log_softmax(logits(o), 1).gather(1, CLASSES[idx][:, None])[:, 0]


def probabilities_and_labels(o, idx):
    z = logits(o)
    return torch.softmax(z, 1), one_hot(idx, z.shape[1])
'''

LOSS_BODIES: dict[str, str] = {
    "l1": "return (o - raw_targets(o, idx)).abs().sum(1)",
    "l2": "return ((o - raw_targets(o, idx)) ** 2).sum(1)",
    "expectation": "p, y = probabilities_and_labels(o, idx)\nreturn (p - y).abs().sum(1)",
    "regularised_expectation": "p, y = probabilities_and_labels(o, idx)\nreturn ((p - y) ** 2).sum(1)",
    "chebyshev": "p, y = probabilities_and_labels(o, idx)\nreturn (p - y).abs().max(1).values",
    "hinge": "return torch.relu(0.5 - signed_labels(o, idx) * o).sum(1)",
    "squared_hinge": "return (torch.relu(0.5 - signed_labels(o, idx) * o) ** 2).sum(1)",
    "cubed_hinge": "return (torch.relu(0.5 - signed_labels(o, idx) * o) ** 3).sum(1)",
    "log": "return -log_prob_of_class(o, idx)",
    "squared_log": "return log_prob_of_class(o, idx) ** 2",
    "tanimoto": ("p, y = probabilities_and_labels(o, idx)\ns = (p * y).sum(1)\n"
                 "return -s / ((p * p).sum(1) + 1.0 - s)"),
    "cauchy_schwarz": ("p, _ = probabilities_and_labels(o, idx)\n"
                       "return -log_prob_of_class(o, idx) + 0.5 * torch.log((p * p).sum(1))"),
    "bce": ("x, c = o[:, 0], CLASSES[idx].to(torch.float64)\n"
            "return torch.nn.functional.softplus(x) - c * x"),
}
assert set(LOSS_BODIES) == set(LOSSES), "every loss of the catalogue needs its torch form"


def loss_function(key: str) -> str:
    """The source of the script's ``<key>_loss(o, idx)`` for loss ``key``."""
    if key not in LOSS_BODIES:
        raise ValueError(f"no torch form for loss {key!r}; known: {', '.join(LOSS_BODIES)}")
    spec = LOSSES[key]
    body = "\n".join("    " + line for line in LOSS_BODIES[key].splitlines())
    return f'\n\ndef {key}_loss(o, idx):\n    """{spec.name}: {spec.formula}, per sample."""\n{body}\n'
