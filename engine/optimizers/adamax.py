"""AdaMax, exactly as ``torch.optim.Adamax``: Adam with the infinity norm.

    g ← g + λ·θ                              (weight decay, if λ ≠ 0)
    m_t = β₁·m_{t−1} + (1 − β₁)·g
    u_t = max(β₂·u_{t−1}, |g| + ε)
    θ_t = θ_{t−1} − α/(1 − β₁ᵗ) · m_t / u_t

Kingma & Ba, 'Adam: A Method for Stochastic Optimization' (ICLR 2015), section 7.1.
"""

import numpy as np
from numba import njit

from ..spec import OptimizerSpec, beta1, beta2, eps, lr, weight_decay
from ..translatable import QT_TRANSLATE_NOOP
from ._common import addcdiv, decayed, lerp, maximum, one_minus_pow
from ._explain import Walk
from ._explain import fmt_number as n_

SPEC = OptimizerSpec(
    key="adamax",
    name="AdaMax",
    hyper=(lr(2e-3), beta1(), beta2(), eps(1e-8), weight_decay()),
    equations=(
        "mₜ = β₁·mₜ₋₁ + (1−β₁)·gₜ\n"
        "uₜ = max(β₂·uₜ₋₁, |gₜ| + ε)\n"
        "θₜ = θₜ₋₁ − α/(1−β₁ᵗ) · mₜ/uₜ"
    ),
    reference="Kingma & Ba, ICLR 2015, §7.1",
    torch_name="Adamax",
)
LR, BETA1, BETA2, EPS, WEIGHT_DECAY = SPEC.slots("lr", "beta1", "beta2", "eps", "weight_decay")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    lr_, b1, b2, epsilon, wd = h[LR], h[BETA1], h[BETA2], h[EPS], h[WEIGHT_DECAY]
    exp_avg, exp_inf = vec[0], vec[1]
    neg_clr = -(lr_ / one_minus_pow(b1, t))
    for i in range(theta.size):
        x = theta[i]
        gi = decayed(g[i], x, wd)
        m = lerp(exp_avg[i], gi, 1.0 - b1)
        u = maximum(exp_inf[i] * b2, abs(gi) + epsilon)
        exp_avg[i] = m
        exp_inf[i] = u
        theta[i] = addcdiv(x, m, u, neg_clr)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("exp_avg", "exp_inf")


def explain(vec, sc, h, t, grad, update, theta):
    bc1 = 1.0 - h[BETA1] ** t
    return {"exp_avg": vec[0].copy(), "exp_inf": vec[1].copy(), "step": float(t),
            "bias_correction1": bc1, "m_hat": vec[0] / bc1, "lr_eff": h[LR] / vec[1],
            "grad": grad.copy(), "update": update.copy()}


def walk(w: Walk) -> None:
    lr_, b1, b2, epsilon, wd = (float(w.h[i]) for i in (LR, BETA1, BETA2, EPS, WEIGHT_DECAY))
    g = w.grad_line(-1)
    g = w.weight_decay(0, g, wd)
    m = w.line(0, f"m ← {n_(b1)}·m + {n_(1 - b1)}·g", "exp_avg", b1 * w.vec[0] + (1 - b1) * g)
    u = w.line(1, f"u ← max({n_(b2)}·u, |g| + {n_(epsilon)})", "exp_inf",
               np.maximum(b2 * w.vec[1], np.abs(g) + epsilon))
    bc1 = float(w.note("bias_correction1", 1.0 - b1 ** w.t))
    m_hat = w.line(2, f"m̂ = m/(1−β₁ᵗ) = m/{n_(bc1)}", "m_hat", m / bc1, "momentum", None,
                   QT_TRANSLATE_NOOP("Walk", "momentum step −α·m̂"))
    lr_eff = w.line(2, f"α/u = {n_(lr_)}/u", "lr_eff", lr_ / u, "box", None,
                    QT_TRANSLATE_NOOP("Walk", "effective lr α/u per axis"))
    w.finish(2, "θ ← θ − α_eff·m̂", w.theta - lr_eff * m_hat)
