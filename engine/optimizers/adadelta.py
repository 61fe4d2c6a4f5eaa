"""Adadelta, exactly as ``torch.optim.Adadelta``.

    g ← g + λ·θ                                     (weight decay, if λ ≠ 0)
    v_t = ρ·v_{t−1} + (1 − ρ)·g²
    Δ_t = √(u_{t−1} + ε) / √(v_t + ε) · g
    u_t = ρ·u_{t−1} + (1 − ρ)·Δ_t²
    θ_t = θ_{t−1} − α·Δ_t

Zeiler, 'ADADELTA: An Adaptive Learning Rate Method' (2012). α (lr) scales the step as
in PyTorch; the paper's method is α = 1.
"""

import math

import numpy as np
from numba import njit

from ..spec import HyperSpec, OptimizerSpec, eps, lr, weight_decay
from ..translatable import QT_TRANSLATE_NOOP
from ._common import add, addcmul, decayed
from ._explain import Walk
from ._explain import fmt_number as n_

SPEC = OptimizerSpec(
    key="adadelta",
    name="Adadelta",
    hyper=(
        lr(1.0, slider_low=1e-3, slider_high=100.0),
        HyperSpec("rho", 0.9, 0.0, 1.0, slider_low=0.0, slider_high=0.999,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter", "ρ: decay of both running averages")),
        eps(1e-6),
        weight_decay(),
    ),
    equations=(
        "vₜ = ρ·vₜ₋₁ + (1−ρ)·gₜ²\n"
        "Δₜ = √(uₜ₋₁ + ε) / √(vₜ + ε) · gₜ\n"
        "uₜ = ρ·uₜ₋₁ + (1−ρ)·Δₜ²\n"
        "θₜ = θₜ₋₁ − α·Δₜ"
    ),
    reference="Zeiler, arXiv:1212.5701 (2012)",
    torch_name="Adadelta",
)
LR, RHO, EPS, WEIGHT_DECAY = SPEC.slots("lr", "rho", "eps", "weight_decay")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    lr_, rho, epsilon, wd = h[LR], h[RHO], h[EPS], h[WEIGHT_DECAY]
    square_avg, acc_delta = vec[0], vec[1]
    neg_lr = -lr_
    for i in range(theta.size):
        x = theta[i]
        gi = decayed(g[i], x, wd)
        sq = addcmul(square_avg[i] * rho, gi, gi, 1.0 - rho)
        square_avg[i] = sq
        std = math.sqrt(sq + epsilon)
        acc = acc_delta[i]
        delta = math.sqrt(acc + epsilon)
        delta = delta / std
        delta = delta * gi
        acc_delta[i] = addcmul(acc * rho, delta, delta, 1.0 - rho)
        theta[i] = add(x, delta, neg_lr)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("square_avg", "acc_delta")


def explain(vec, sc, h, t, grad, update, theta):
    out = {"square_avg": vec[0].copy(), "acc_delta": vec[1].copy(), "step": float(t)}
    if h[LR] != 0.0:
        out["delta"] = -update / h[LR]
    out["grad"], out["update"] = grad.copy(), update.copy()
    return out


def walk(w: Walk) -> None:
    lr_, rho, epsilon, wd = (float(w.h[i]) for i in (LR, RHO, EPS, WEIGHT_DECAY))
    g = w.grad_line(-1)
    g = w.weight_decay(0, g, wd)
    v = w.line(0, f"v ← {n_(rho)}·v + {n_(1 - rho)}·g²", "square_avg",
               rho * w.vec[0] + (1 - rho) * g * g)
    scale = w.line(1, f"{n_(lr_)}·√(u + ε)/√(v + ε)", "lr_eff",
                   lr_ * np.sqrt(w.vec[1] + epsilon) / np.sqrt(v + epsilon), "box", None,
                   QT_TRANSLATE_NOOP("Walk", "effective lr α·√(u+ε)/√(v+ε) per axis"))
    delta = w.line(1, "Δ = √(u + ε)/√(v + ε)·g", "delta",
                   np.sqrt(w.vec[1] + epsilon) / np.sqrt(v + epsilon) * g)
    del scale
    w.line(2, f"u ← {n_(rho)}·u + {n_(1 - rho)}·Δ²", "acc_delta",
           rho * w.vec[1] + (1 - rho) * delta * delta)
    w.finish(3, f"θ ← θ − {n_(lr_)}·Δ", w.theta - lr_ * delta)
