"""RAdam, exactly as ``torch.optim.RAdam``: Adam with a rectified warm-up.

    g ← g + λ·θ                                   (weight decay, if λ ≠ 0)
    m_t = β₁·m_{t−1} + (1 − β₁)·g,   m̂ = m_t/(1 − β₁ᵗ)
    v_t = β₂·v_{t−1} + (1 − β₂)·g²
    ρ_∞ = 2/(1 − β₂) − 1,   ρ_t = ρ_∞ − 2t·β₂ᵗ/(1 − β₂ᵗ)
    if ρ_t > 5:  r_t = √((ρ_t−4)(ρ_t−2)ρ_∞ / ((ρ_∞−4)(ρ_∞−2)ρ_t))
                 θ_t = θ_{t−1} − α·m̂·√(1 − β₂ᵗ)/(√v_t + ε)·r_t
    else:        θ_t = θ_{t−1} − α·m̂                (plain momentum while v is unreliable)

Liu et al., 'On the Variance of the Adaptive Learning Rate and Beyond' (ICLR 2020).
"""

import math

import numpy as np
from numba import njit

from ..spec import OptimizerSpec, beta1, beta2, eps, lr, weight_decay
from ..translatable import QT_TRANSLATE_NOOP
from ._common import add, decayed, moments, one_minus_pow, power
from ._explain import Walk
from ._explain import fmt_number as n_

SPEC = OptimizerSpec(
    key="radam",
    name="RAdam",
    hyper=(lr(1e-3), beta1(), beta2(), eps(1e-8), weight_decay()),
    equations=QT_TRANSLATE_NOOP(
        "Equations",
        "mₜ = β₁·mₜ₋₁ + (1−β₁)·gₜ,  vₜ = β₂·vₜ₋₁ + (1−β₂)·gₜ²\n"
        "ρₜ = ρ_(∞) − 2t·β₂ᵗ/(1−β₂ᵗ)\n"
        "ρₜ > 5: θₜ = θₜ₋₁ − α·rₜ·m̂ₜ·√(1−β₂ᵗ)/(√vₜ + ε)\n"
        "otherwise: θₜ = θₜ₋₁ − α·m̂ₜ"
    ),
    reference="Liu et al., ICLR 2020",
    torch_name="RAdam",
)
LR, BETA1, BETA2, EPS, WEIGHT_DECAY = SPEC.slots("lr", "beta1", "beta2", "eps", "weight_decay")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    lr_, b1, b2, epsilon, wd = h[LR], h[BETA1], h[BETA2], h[EPS], h[WEIGHT_DECAY]
    exp_avg, exp_avg_sq = vec[0], vec[1]
    bias_correction1 = one_minus_pow(b1, t)
    bias_correction2 = one_minus_pow(b2, t)
    rho_inf = 2.0 / (1.0 - b2) - 1.0
    rho_t = rho_inf - 2.0 * t * power(b2, t) / bias_correction2
    rectified = rho_t > 5.0
    if rectified:
        rect = ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf
                / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t)) ** 0.5
        bias_correction2_sqrt = bias_correction2**0.5
    for i in range(theta.size):
        x = theta[i]
        gi = decayed(g[i], x, wd)
        m, v = moments(exp_avg[i], exp_avg_sq[i], gi, b1, b2)
        exp_avg[i] = m
        exp_avg_sq[i] = v
        corrected = m / bias_correction1
        if rectified:
            adaptive = bias_correction2_sqrt / (math.sqrt(v) + epsilon)
            theta[i] = add(x, corrected * lr_ * adaptive * rect, -1.0)
        else:
            theta[i] = add(x, corrected * lr_, -1.0)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("exp_avg", "exp_avg_sq")


def _rect(b2, t):
    """ρ∞, ρₜ and rₜ (NaN while ρₜ ≤ 5); NumPy floats, so step 0 gives NaN, not an error."""
    b2, t = np.float64(b2), np.float64(t)
    rho_inf = 2.0 / (1.0 - b2) - 1.0
    bt = b2 ** t
    rho_t = rho_inf - 2.0 * t * bt / (1.0 - bt)
    if not rho_t > 5.0:
        return float(rho_inf), float(rho_t), float("nan")
    r = np.sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf
                / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
    return float(rho_inf), float(rho_t), float(r)


def _lr_eff(lr_, b2, epsilon, t, v, r):
    if r != r:
        return np.full_like(v, lr_)
    return lr_ * r * math.sqrt(1.0 - b2 ** t) / (np.sqrt(v) + epsilon)


def explain(vec, sc, h, t, grad, update, theta):
    lr_, b1, b2, epsilon = (float(h[i]) for i in (LR, BETA1, BETA2, EPS))
    rho_inf, rho_t, r = _rect(b2, t)
    bc1 = 1.0 - b1 ** t
    return {"exp_avg": vec[0].copy(), "exp_avg_sq": vec[1].copy(), "step": float(t),
            "bias_correction1": bc1, "bias_correction2": 1.0 - b2 ** t, "m_hat": vec[0] / bc1,
            "rho_inf": rho_inf, "rho_t": rho_t, "rect": r,
            "lr_eff": _lr_eff(lr_, b2, epsilon, t, vec[1], r), "grad": grad.copy(),
            "update": update.copy()}


def walk(w: Walk) -> None:
    lr_, b1, b2, epsilon, wd = (float(w.h[i]) for i in (LR, BETA1, BETA2, EPS, WEIGHT_DECAY))
    g = w.grad_line(-1)
    g = w.weight_decay(0, g, wd)
    m = w.line(0, f"m ← {n_(b1)}·m + {n_(1 - b1)}·g", "exp_avg", b1 * w.vec[0] + (1 - b1) * g)
    v = w.line(0, f"v ← {n_(b2)}·v + {n_(1 - b2)}·g²", "exp_avg_sq",
               b2 * w.vec[1] + (1 - b2) * g * g)
    w.note("bias_correction1", 1.0 - b1 ** w.t)
    w.note("bias_correction2", 1.0 - b2 ** w.t)
    rho_inf, rho_t, r = _rect(b2, w.t)
    w.note("rho_inf", rho_inf)
    w.line(1, f"ρₜ = {n_(rho_inf)} − 2t·β₂ᵗ/(1−β₂ᵗ)", "rho_t", rho_t)
    m_hat = w.line(2 if r == r else 3, f"m̂ = m/{n_(1.0 - b1 ** w.t)}", "m_hat",
                   m / (1.0 - b1 ** w.t), "momentum", None, QT_TRANSLATE_NOOP("Walk", "momentum step −α·m̂"))
    if r == r:
        w.line(2, "rₜ = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))", "rect", r)
        lr_eff = w.line(2, "α·rₜ·√(1−β₂ᵗ)/(√v + ε)", "lr_eff", _lr_eff(lr_, b2, epsilon, w.t, v, r),
                        "box", None, QT_TRANSLATE_NOOP("Walk", "effective lr α·rₜ·√(1−β₂ᵗ)/(√v+ε) per axis"))
        w.finish(2, "θ ← θ − α_eff·m̂", w.theta - lr_eff * m_hat)
    else:
        w.note("rect", r)
        w.note("lr_eff", np.full_like(m, lr_))
        w.finish(3, f"ρₜ ≤ 5: θ ← θ − {n_(lr_)}·m̂", w.theta - lr_ * m_hat)
