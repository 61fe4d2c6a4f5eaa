"""Adagrad, exactly as ``torch.optim.Adagrad``.

    g ← g + λ·θ                              (weight decay, if λ ≠ 0)
    α_t = α / (1 + (t − 1)·η)                (η = lr_decay)
    s_t = s_{t−1} + g²                       (s_0 = initial_accumulator_value)
    θ_t = θ_{t−1} − α_t · g / (√s_t + ε)

Duchi, Hazan & Singer, 'Adaptive Subgradient Methods for Online Learning and Stochastic
Optimization' (JMLR 2011).
"""

import math

import numpy as np
from numba import njit

from ..spec import HyperSpec, OptimizerSpec, eps, lr, weight_decay
from ..translatable import QT_TRANSLATE_NOOP
from ._common import addcdiv, addcmul, decayed
from ._explain import Walk
from ._explain import fmt_number as n_


def init_state(vec, sc, h):
    vec[0, :] = h["initial_accumulator_value"]


SPEC = OptimizerSpec(
    key="adagrad",
    name="Adagrad",
    hyper=(
        lr(0.01),
        HyperSpec("lr_decay", 0.0, 0.0, slider_low=0.0, slider_high=0.1,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter", "η: learning-rate decay per step")),
        weight_decay(),
        HyperSpec("initial_accumulator_value", 0.0, 0.0, slider_low=0.0, slider_high=1.0,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter", "s₀: starting value of the squared-gradient sum")),
        eps(1e-10),
    ),
    equations="sₜ = sₜ₋₁ + gₜ²\nθₜ = θₜ₋₁ − ^(α)⁄_(1+(t−1)η) · gₜ / (√sₜ + ε)",
    reference="Duchi, Hazan & Singer, JMLR 12 (2011)",
    torch_name="Adagrad",
    init_state=init_state,
)
LR, LR_DECAY, WEIGHT_DECAY, EPS = SPEC.slots("lr", "lr_decay", "weight_decay", "eps")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    lr_, lr_decay, wd, epsilon = h[LR], h[LR_DECAY], h[WEIGHT_DECAY], h[EPS]
    acc = vec[0]
    neg_clr = -(lr_ / (1.0 + (t - 1.0) * lr_decay))
    for i in range(theta.size):
        x = theta[i]
        gi = decayed(g[i], x, wd)
        a = addcmul(acc[i], gi, gi, 1.0)
        acc[i] = a
        std = math.sqrt(a) + epsilon
        theta[i] = addcdiv(x, gi, std, neg_clr)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("sum",)


def explain(vec, sc, h, t, grad, update, theta):
    clr = h[LR] / (1.0 + (t - 1.0) * h[LR_DECAY])
    return {"sum": vec[0].copy(), "step": float(t), "clr": float(clr),
            "lr_eff": clr / (np.sqrt(vec[0]) + h[EPS]), "grad": grad.copy(),
            "update": update.copy()}


def walk(w: Walk) -> None:
    lr_, lr_decay, wd, epsilon = (float(w.h[i]) for i in (LR, LR_DECAY, WEIGHT_DECAY, EPS))
    g = w.grad_line(-1)
    g = w.weight_decay(0, g, wd)
    s = w.line(0, "s ← s + g²", "sum", w.vec[0] + g * g)
    clr = w.note("clr", lr_ / (1.0 + (w.t - 1.0) * lr_decay))
    lr_eff = w.line(1, f"α/(1+(t−1)η)/(√s + ε) = {n_(float(clr))}/(√s + {n_(epsilon)})", "lr_eff",
                    clr / (np.sqrt(s) + epsilon), "box", None, QT_TRANSLATE_NOOP("Walk",
                                                                                 "effective lr α/(√s+ε) per axis"))
    w.finish(1, "θ ← θ − α_eff·g", w.theta - lr_eff * g)
