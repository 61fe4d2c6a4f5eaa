"""Adam, exactly as ``torch.optim.Adam`` (and, with decoupled decay, ``torch.optim.AdamW``).

    g ← g + λ·θ                              (L2 weight decay, if λ ≠ 0)
    m_t = β₁·m_{t−1} + (1 − β₁)·g
    v_t = β₂·v_{t−1} + (1 − β₂)·g²
    m̂_t = m_t / (1 − β₁ᵗ),   v̂_t = v_t / (1 − β₂ᵗ)
    AMSGrad: v_max = max(v_max, v_t), used in place of v_t
    θ_t = θ_{t−1} − α · m̂_t / (√v̂_t + ε)

``bias_correction`` (on by default) is not a torch.optim option: switched off, m̂ = m and
v̂ = v, so a lecturer can show the slow start that the correction removes.

Kingma & Ba, 'Adam: A Method for Stochastic Optimization' (ICLR 2015); AMSGrad: Reddi,
Kale & Kumar, 'On the Convergence of Adam and Beyond' (ICLR 2018).
"""

import math

import numpy as np
from numba import njit

from ..spec import OptimizerSpec, beta1, beta2, eps, flag, lr, weight_decay
from ..translatable import QT_TRANSLATE_NOOP, Filled
from ._common import addcdiv, decayed, maximum, moments, one_minus_pow
from ._explain import Walk
from ._explain import fmt_number as n_

EQUATIONS = (
    "mₜ = β₁·mₜ₋₁ + (1−β₁)·gₜ\n"
    "vₜ = β₂·vₜ₋₁ + (1−β₂)·gₜ²\n"
    "m̂ₜ = mₜ / (1−β₁ᵗ),  v̂ₜ = vₜ / (1−β₂ᵗ)\n"
    "θₜ = θₜ₋₁ − α·m̂ₜ / (√v̂ₜ + ε)"
)


def bias_correction():
    """Adam's and AdamW's switch for m̂, v̂ (the last hyperparameter; not a torch option)."""
    return flag("bias_correction", QT_TRANSLATE_NOOP("Hyperparameter",
                                                     "divide m and v by 1 − βᵗ (off: m̂ = m, v̂ = v; not in torch)"),
                default=True)


SPEC = OptimizerSpec(
    key="adam",
    name="Adam",
    hyper=(lr(1e-3), beta1(), beta2(), eps(1e-8), weight_decay(),
           flag("amsgrad", QT_TRANSLATE_NOOP("Hyperparameter",
                                             "AMSGrad: divide by the running maximum of v")), bias_correction()),
    equations=EQUATIONS,
    reference="Kingma & Ba, ICLR 2015; AMSGrad: Reddi et al., ICLR 2018",
    torch_name="Adam",
)
# adam_update and adam_walk read these slots for AdamW too: AdamW's hyper names are Adam's.
LR, BETA1, BETA2, EPS, WEIGHT_DECAY, AMSGRAD, BIAS_CORRECTION = SPEC.slots(
    "lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad", "bias_correction")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def adam_update(theta, g, vec, h, t, decoupled):
    lr_, b1, b2, epsilon, wd = h[LR], h[BETA1], h[BETA2], h[EPS], h[WEIGHT_DECAY]
    amsgrad = h[AMSGRAD] != 0.0
    exp_avg, exp_avg_sq, max_exp_avg_sq = vec[0], vec[1], vec[2]
    l2 = 0.0 if decoupled else wd
    shrink = 1.0 - lr_ * wd if decoupled and wd != 0.0 else 1.0
    if h[BIAS_CORRECTION] != 0.0:
        bias_correction1 = one_minus_pow(b1, t)
        bias_correction2 = one_minus_pow(b2, t)
    else:
        bias_correction1 = bias_correction2 = 1.0
    neg_step_size = -(lr_ / bias_correction1)
    bias_correction2_sqrt = bias_correction2**0.5
    for i in range(theta.size):
        x = theta[i]
        gi = decayed(g[i], x, l2)
        if shrink != 1.0:
            x = x * shrink
        m, v = moments(exp_avg[i], exp_avg_sq[i], gi, b1, b2)
        exp_avg[i] = m
        exp_avg_sq[i] = v
        if amsgrad:
            v = maximum(max_exp_avg_sq[i], v)
            max_exp_avg_sq[i] = v
        denom = math.sqrt(v) / bias_correction2_sqrt + epsilon
        theta[i] = addcdiv(x, m, denom, neg_step_size)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    adam_update(theta, g, vec, h, t, False)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")


def explain(vec, sc, h, t, grad, update, theta):
    lr_, b1, b2, epsilon = h[LR], h[BETA1], h[BETA2], h[EPS]
    amsgrad, corrected = h[AMSGRAD] != 0.0, h[BIAS_CORRECTION] != 0.0
    bc1 = 1.0 - b1 ** t if corrected else 1.0
    bc2 = 1.0 - b2 ** t if corrected else 1.0
    out = {"exp_avg": vec[0].copy(), "exp_avg_sq": vec[1].copy()}
    v = vec[1]
    if amsgrad:
        out["max_exp_avg_sq"] = v = vec[2].copy()
    out.update(step=float(t), bias_correction1=bc1, bias_correction2=bc2, m_hat=vec[0] / bc1,
               v_hat=v / bc2)
    out["lr_eff"] = lr_ / (np.sqrt(out["v_hat"]) + epsilon)
    out["grad"], out["update"] = grad.copy(), update.copy()
    return out


def adam_walk(w: Walk, decoupled: bool) -> None:
    lr_, b1, b2, epsilon, wd = (float(w.h[i]) for i in (LR, BETA1, BETA2, EPS, WEIGHT_DECAY))
    amsgrad, corrected = w.h[AMSGRAD] != 0.0, w.h[BIAS_CORRECTION] != 0.0
    k = 1 if decoupled else 0  # AdamW's rule has its decay line first
    g = w.grad_line(-1)
    theta = w.theta
    if decoupled:
        if wd != 0.0:
            theta = w.line(0, f"θ ← θ·(1 − {n_(lr_)}·{n_(wd)})", "θ_decayed",
                           theta * (1.0 - lr_ * wd))
    else:
        g = w.weight_decay(0, g, wd)
    m = w.line(k, f"m ← {n_(b1)}·m + {n_(1 - b1)}·g", "exp_avg", b1 * w.vec[0] + (1 - b1) * g)
    v = w.line(k + 1, f"v ← {n_(b2)}·v + {n_(1 - b2)}·g²", "exp_avg_sq",
               b2 * w.vec[1] + (1 - b2) * g * g)
    if amsgrad:
        v = w.line(k + 1, "v_max ← max(v_max, v)", "max_exp_avg_sq", np.maximum(w.vec[2], v))
    bc1 = float(w.note("bias_correction1", 1.0 - b1 ** w.t if corrected else 1.0))
    bc2 = float(w.note("bias_correction2", 1.0 - b2 ** w.t if corrected else 1.0))
    def how(formula):
        return formula if corrected else Filled(QT_TRANSLATE_NOOP("Walk", "%1   (bias correction off)"), formula)

    m_hat = w.line(k + 2, how(f"m̂ = m/(1−β₁ᵗ) = m/{n_(bc1)}"), "m_hat", m / bc1, "momentum",
                   None, QT_TRANSLATE_NOOP("Walk", "momentum step −α·m̂"))
    v_hat = w.line(k + 2, how(f"v̂ = v/(1−β₂ᵗ) = v/{n_(bc2)}"), "v_hat", v / bc2)
    lr_eff = w.line(k + 3, f"α/(√v̂ + ε) = {n_(lr_)}/(√v̂ + {n_(epsilon)})", "lr_eff",
                    lr_ / (np.sqrt(v_hat) + epsilon), "box", None,
                    QT_TRANSLATE_NOOP("Walk", "effective lr α/(√v̂+ε) per axis"))
    w.finish(k + 3, "θ ← θ − α_eff·m̂", theta - lr_eff * m_hat)


def walk(w: Walk) -> None:
    adam_walk(w, False)
