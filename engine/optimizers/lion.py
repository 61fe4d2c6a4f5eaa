"""Lion (EvoLved Sign Momentum).

    θ ← θ·(1 − α·λ)                              (decoupled weight decay)
    c_t = β₁·m_{t−1} + (1 − β₁)·g
    θ_t = θ_{t−1} − α·sign(c_t)
    m_t = β₂·m_{t−1} + (1 − β₂)·g

Every coordinate moves by exactly ±α, so Lion wants a learning rate 3–10× smaller than
Adam's. Chen et al., 'Symbolic Discovery of Optimization Algorithms' (NeurIPS 2023),
Algorithm 2.
"""

import numpy as np
from numba import njit

from ..spec import OptimizerSpec, beta1, beta2, lr, weight_decay
from ..translatable import QT_TRANSLATE_NOOP
from ._common import add, sign
from ._explain import Walk
from ._explain import fmt_number as n_

SPEC = OptimizerSpec(
    key="lion",
    name="Lion",
    hyper=(lr(1e-4), beta1(0.9), beta2(0.99), weight_decay()),
    equations=(
        "cₜ = β₁·mₜ₋₁ + (1−β₁)·gₜ\n"
        "θₜ = θₜ₋₁ − α·(sign(cₜ) + λθₜ₋₁)\n"
        "mₜ = β₂·mₜ₋₁ + (1−β₂)·gₜ"
    ),
    reference="Chen et al., 'Symbolic Discovery of Optimization Algorithms', NeurIPS 2023",
)
LR, BETA1, BETA2, WEIGHT_DECAY = SPEC.slots("lr", "beta1", "beta2", "weight_decay")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    lr_, b1, b2, wd = h[LR], h[BETA1], h[BETA2], h[WEIGHT_DECAY]
    exp_avg = vec[0]
    neg_lr = -lr_
    for i in range(theta.size):
        x = theta[i]
        if wd != 0.0:
            x = x * (1.0 - lr_ * wd)
        m = exp_avg[i]
        gi = g[i]
        update = sign(add(m * b1, gi, 1.0 - b1))
        theta[i] = add(x, update, neg_lr)
        exp_avg[i] = add(m * b2, gi, 1.0 - b2)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("exp_avg",)


def explain(vec, sc, h, t, grad, update, theta):
    return {"exp_avg": vec[0].copy(), "step": float(t), "grad": grad.copy(),
            "update": update.copy()}


def walk(w: Walk) -> None:
    lr_, b1, b2, wd = (float(w.h[i]) for i in (LR, BETA1, BETA2, WEIGHT_DECAY))
    g = w.grad_line(-1)
    m_prev = w.vec[0]
    c = w.line(0, f"c = {n_(b1)}·m + {n_(1 - b1)}·g", "c", b1 * m_prev + (1 - b1) * g,
               "momentum", None, QT_TRANSLATE_NOOP("Walk", "interpolated momentum −α·c"))
    theta = w.theta * (1.0 - lr_ * wd) if wd != 0.0 else w.theta
    s = np.sign(c)
    w.line(1, "sign(c)", "sign_c", s)
    w.line(2, f"m ← {n_(b2)}·m + {n_(1 - b2)}·g", "exp_avg", b2 * m_prev + (1 - b2) * g)
    w.finish(1, f"θ ← θ − {n_(lr_)}·(sign(c) + {n_(wd)}·θ)", theta - lr_ * s)
