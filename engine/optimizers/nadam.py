"""NAdam, exactly as ``torch.optim.NAdam``: Adam with Nesterov momentum.

    g ← g + λ·θ                                        (weight decay, if λ ≠ 0)
    μ_t = β₁·(1 − ½·0.96^(t·ψ)),  μ_{t+1} likewise    (ψ = momentum_decay)
    m_t = β₁·m_{t−1} + (1 − β₁)·g
    v_t = β₂·v_{t−1} + (1 − β₂)·g²,   v̂ = v_t / (1 − β₂ᵗ)
    θ_t = θ_{t−1} − α·(1 − μ_t)/(1 − Π_{i≤t} μ_i) · g/(√v̂ + ε)
                  − α·μ_{t+1}/(1 − Π_{i≤t+1} μ_i) · m_t/(√v̂ + ε)

Dozat, 'Incorporating Nesterov Momentum into Adam' (ICLR 2016 workshop).
"""

import math

import numpy as np
from numba import njit

from ..spec import HyperSpec, OptimizerSpec, beta1, beta2, eps, lr, weight_decay
from ..translatable import QT_TRANSLATE_NOOP
from ._common import addcdiv, decayed, moments, one_minus_pow
from ._explain import Walk
from ._explain import fmt_number as n_


def init_state(vec, sc, h):
    sc[0] = 1.0  # the running product of μ_t


SPEC = OptimizerSpec(
    key="nadam",
    name="NAdam",
    hyper=(lr(2e-3), beta1(), beta2(), eps(1e-8), weight_decay(),
           HyperSpec("momentum_decay", 4e-3, 0.0, slider_low=0.0, slider_high=0.1,
                     doc=QT_TRANSLATE_NOOP("Hyperparameter", "ψ: how fast the momentum schedule μ_t warms up"))),
    equations=(
        "μₜ = β₁(1 − ½·0.96^(tψ))\n"
        "mₜ = β₁·mₜ₋₁ + (1−β₁)·gₜ,  vₜ = β₂·vₜ₋₁ + (1−β₂)·gₜ²\n"
        "θₜ = θₜ₋₁ − α(1−μₜ)/(1−Πμ_(i≤t))·gₜ/(√v̂ₜ+ε) − αμₜ₊₁/(1−Πμ_(i≤t+1))·mₜ/(√v̂ₜ+ε)"
    ),
    reference="Dozat, ICLR 2016 workshop",
    torch_name="NAdam",
    init_state=init_state,
)
LR, BETA1, BETA2, EPS, WEIGHT_DECAY, MOMENTUM_DECAY = SPEC.slots(
    "lr", "beta1", "beta2", "eps", "weight_decay", "momentum_decay")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    lr_, b1, b2, epsilon, wd = h[LR], h[BETA1], h[BETA2], h[EPS], h[WEIGHT_DECAY]
    momentum_decay = h[MOMENTUM_DECAY]
    exp_avg, exp_avg_sq = vec[0], vec[1]
    bias_correction2 = one_minus_pow(b2, t)
    mu = b1 * (1.0 - 0.5 * (0.96 ** (t * momentum_decay)))
    mu_next = b1 * (1.0 - 0.5 * (0.96 ** ((t + 1.0) * momentum_decay)))
    sc[0] = sc[0] * mu
    mu_product = sc[0]
    mu_product_next = mu_product * mu_next
    grad_coef = -lr_ * (1.0 - mu) / (1.0 - mu_product)
    avg_coef = (-lr_ * mu_next) / (1.0 - mu_product_next)
    for i in range(theta.size):
        x = theta[i]
        gi = decayed(g[i], x, wd)
        m, v = moments(exp_avg[i], exp_avg_sq[i], gi, b1, b2)
        exp_avg[i] = m
        exp_avg_sq[i] = v
        denom = math.sqrt(v / bias_correction2) + epsilon
        x = addcdiv(x, gi, denom, grad_coef)
        theta[i] = addcdiv(x, m, denom, avg_coef)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("exp_avg", "exp_avg_sq")
SCALAR_NAMES = ("mu_product",)


_SLOTS = (LR, BETA1, BETA2, EPS, WEIGHT_DECAY, MOMENTUM_DECAY)


def _mu(b1, psi, t):
    return b1 * (1.0 - 0.5 * 0.96 ** (t * psi))


def explain(vec, sc, h, t, grad, update, theta):
    lr_, b1, b2, epsilon, wd, psi = (float(h[i]) for i in _SLOTS)
    mu, mu_next = _mu(b1, psi, t), _mu(b1, psi, t + 1.0)
    prod = float(sc[0])
    bc2 = 1.0 - b2 ** t
    g = grad + wd * (theta - update) if wd != 0.0 else grad
    out = {"exp_avg": vec[0].copy(), "exp_avg_sq": vec[1].copy(), "mu_product": prod,
           "step": float(t), "mu": mu, "mu_next": mu_next, "bias_correction2": bc2,
           "m_hat": (mu_next * vec[0] / (1.0 - prod * mu_next) + (1.0 - mu) * g / (1.0 - prod)),
           "v_hat": vec[1] / bc2}
    out["lr_eff"] = lr_ / (np.sqrt(out["v_hat"]) + epsilon)
    out["grad"], out["update"] = grad.copy(), update.copy()
    return out


def walk(w: Walk) -> None:
    lr_, b1, b2, epsilon, wd, psi = (float(w.h[i]) for i in _SLOTS)
    g = w.grad_line(-1)
    g = w.weight_decay(0, g, wd)
    mu = float(w.line(0, f"μₜ = {n_(b1)}·(1 − ½·0.96^(t·{n_(psi)}))", "mu", _mu(b1, psi, w.t)))
    mu_next = float(w.note("mu_next", _mu(b1, psi, w.t + 1.0)))
    prod = float(w.note("mu_product", w.sc[0] * mu))
    m = w.line(1, f"m ← {n_(b1)}·m + {n_(1 - b1)}·g", "exp_avg", b1 * w.vec[0] + (1 - b1) * g)
    v = w.line(1, f"v ← {n_(b2)}·v + {n_(1 - b2)}·g²", "exp_avg_sq",
               b2 * w.vec[1] + (1 - b2) * g * g)
    bc2 = float(w.note("bias_correction2", 1.0 - b2 ** w.t))
    m_hat = w.line(2, "m̂ = μₜ₊₁·m/(1−Πμ·μₜ₊₁) + (1−μₜ)·g/(1−Πμ)", "m_hat",
                   mu_next * m / (1.0 - prod * mu_next) + (1.0 - mu) * g / (1.0 - prod),
                   "momentum", None, QT_TRANSLATE_NOOP("Walk", "Nesterov momentum step −α·m̂"))
    v_hat = w.line(2, f"v̂ = v/{n_(bc2)}", "v_hat", v / bc2)
    lr_eff = w.line(2, f"α/(√v̂ + ε) = {n_(lr_)}/(√v̂ + {n_(epsilon)})", "lr_eff",
                    lr_ / (np.sqrt(v_hat) + epsilon), "box", None,
                    QT_TRANSLATE_NOOP("Walk", "effective lr α/(√v̂+ε) per axis"))
    w.finish(2, "θ ← θ − α_eff·m̂", w.theta - lr_eff * m_hat)
