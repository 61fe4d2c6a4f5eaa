"""Stochastic gradient descent with momentum, exactly as ``torch.optim.SGD``.

    g ← g + λ·θ                                  (weight decay, if λ ≠ 0)
    b_1 = g;  b_t = μ·b_{t−1} + (1 − τ)·g        (if μ ≠ 0; τ = dampening)
    g ← g + μ·b_t  (Nesterov)   or   g ← b_t
    θ ← θ − α·g

Sutskever, Martens, Dahl & Hinton, 'On the importance of initialization and momentum in
deep learning' (ICML 2013) for the momentum and Nesterov forms used here.
"""

import numpy as np
from numba import njit

from ..quoted import quoted
from ..spec import HyperSpec, OptimizerSpec, flag, lr, weight_decay
from ..translatable import QT_TRANSLATE_NOOP
from ._common import add, decayed
from ._explain import Walk
from ._explain import fmt_number as n_

SPEC_HYPER = (
    lr(0.01),
    HyperSpec("momentum", 0.0, 0.0, 1.0, slider_low=0.0, slider_high=0.999,
              doc=QT_TRANSLATE_NOOP("Hyperparameter", "μ: momentum factor")),
    HyperSpec("dampening", 0.0, 0.0, 1.0, doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                                                "τ: dampening of new gradients in the buffer")),
    flag("nesterov", QT_TRANSLATE_NOOP("Hyperparameter", "use Nesterov momentum")),
    weight_decay(),
)


def check(h: dict[str, float]) -> None:
    if h["nesterov"] and (h["momentum"] <= 0 or h["dampening"] != 0):
        raise ValueError(
            "Nesterov momentum requires a momentum and zero dampening "
            f"(got nesterov=True, momentum={quoted(h['momentum'])}, dampening={quoted(h['dampening'])})"
        )


SPEC = OptimizerSpec(
    key="sgd",
    name="SGD",
    hyper=SPEC_HYPER,
    equations=(
        "gₜ ← gₜ + λθₜ₋₁\n"
        "bₜ = μ·bₜ₋₁ + (1−τ)·gₜ  (b₁ = g₁)\n"
        "θₜ = θₜ₋₁ − α·bₜ  (Nesterov: θₜ = θₜ₋₁ − α·(gₜ + μ·bₜ))"
    ),
    reference="Sutskever et al., 'On the importance of initialization and momentum' (ICML 2013)",
    torch_name="SGD",
    check=check,
)
LR, MOMENTUM, DAMPENING, NESTEROV, WEIGHT_DECAY = SPEC.slots(
    "lr", "momentum", "dampening", "nesterov", "weight_decay")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def sgd_update(theta, g, buf, sc, lr_, momentum, dampening, nesterov, wd):
    """The body of torch's single-tensor SGD; ``sc[0]`` marks an initialised buffer."""
    first = sc[0] == 0.0
    neg_lr = -lr_
    for i in range(theta.size):
        x = theta[i]
        d = decayed(g[i], x, wd)
        if momentum != 0.0:
            b = d if first else add(buf[i] * momentum, d, 1.0 - dampening)
            buf[i] = b
            d = add(d, b, momentum) if nesterov else b
        theta[i] = add(x, d, neg_lr)
    if momentum != 0.0:
        sc[0] = 1.0


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    sgd_update(theta, g, vec[0], sc, h[LR], h[MOMENTUM], h[DAMPENING], h[NESTEROV] != 0.0,
               h[WEIGHT_DECAY])


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("momentum_buffer",)


def explain(vec, sc, h, t, grad, update, theta):
    out = {"step": float(t), "grad": grad.copy(), "update": update.copy()}
    if h[MOMENTUM] != 0.0:
        out["momentum_buffer"] = vec[0].copy()
    return out


def sgd_walk(w: Walk, lr_, momentum, dampening, nesterov, wd, rules=(0, 1, 2)) -> None:
    """torch's SGD, one line per operation; ``rules``: the equation lines of (decay, b, θ)."""
    g = w.grad_line(-1)
    g = w.weight_decay(rules[0], g, wd)
    d = g
    if momentum != 0.0:
        first = w.sc[0] == 0.0
        b_prev = np.zeros_like(g) if first else w.vec[0]
        carried = momentum * b_prev if not nesterov else momentum * momentum * b_prev
        if first:
            b = w.line(rules[1], "b ← g   (the first step)", "momentum_buffer", g.copy(),
                       "momentum", -lr_ * carried, QT_TRANSLATE_NOOP("Walk", "momentum carried −α·μ·b"))
        else:
            b = w.line(rules[1], f"b ← {n_(momentum)}·b + {n_(1 - dampening)}·g",
                       "momentum_buffer", momentum * b_prev + (1 - dampening) * g,
                       "momentum", -lr_ * carried,
                       "momentum carried " + ("−α·μ²·b" if nesterov else "−α·μ·b"))
        if nesterov:
            d = w.line(rules[2], f"d = g + {n_(momentum)}·b", "direction", g + momentum * b)
        else:
            d = b
    w.finish(rules[2], f"θ ← θ − {n_(lr_)}·" + ("d" if nesterov else "b" if momentum else "g"),
             w.theta - lr_ * d)


def walk(w: Walk) -> None:
    h = w.h
    sgd_walk(w, float(h[LR]), float(h[MOMENTUM]), float(h[DAMPENING]), h[NESTEROV] != 0.0,
             float(h[WEIGHT_DECAY]))
