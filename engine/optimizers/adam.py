"""Adam, exactly as ``torch.optim.Adam`` (and, with decoupled decay, ``torch.optim.AdamW``).

    g ← g + λ·θ                              (L2 weight decay, if λ ≠ 0)
    m_t = β₁·m_{t−1} + (1 − β₁)·g
    v_t = β₂·v_{t−1} + (1 − β₂)·g²
    m̂_t = m_t / (1 − β₁ᵗ),   v̂_t = v_t / (1 − β₂ᵗ)
    AMSGrad: v_max = max(v_max, v_t), used in place of v_t
    θ_t = θ_{t−1} − α · m̂_t / (√v̂_t + ε)

Kingma & Ba, 'Adam: A Method for Stochastic Optimization' (ICLR 2015); AMSGrad: Reddi,
Kale & Kumar, 'On the Convergence of Adam and Beyond' (ICLR 2018).
"""

import math

from numba import njit

from ..spec import OptimizerSpec, beta1, beta2, eps, flag, lr, weight_decay
from ._common import add_weight_decay, addcdiv, addcmul, lerp, maximum, one_minus_pow

EQUATIONS = (
    "m ← β₁·m + (1−β₁)·g\n"
    "v ← β₂·v + (1−β₂)·g²\n"
    "m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ)\n"
    "θ ← θ − α·m̂/(√v̂ + ε)"
)
EQUATIONS_HTML = (
    "m<sub>t</sub> = β<sub>1</sub>·m<sub>t−1</sub> + (1−β<sub>1</sub>)·g<sub>t</sub><br>"
    "v<sub>t</sub> = β<sub>2</sub>·v<sub>t−1</sub> + (1−β<sub>2</sub>)·g<sub>t</sub><sup>2</sup><br>"
    "m̂<sub>t</sub> = m<sub>t</sub> / (1−β<sub>1</sub><sup>t</sup>), &nbsp; "
    "v̂<sub>t</sub> = v<sub>t</sub> / (1−β<sub>2</sub><sup>t</sup>)<br>"
    "θ<sub>t</sub> = θ<sub>t−1</sub> − α·m̂<sub>t</sub> / (√v̂<sub>t</sub> + ε)"
)

ID = 7  # the dispatch id: this module's place in optimizers.MODULES

SPEC = OptimizerSpec(
    key="adam",
    id=ID,
    name="Adam",
    hyper=(lr(1e-3), beta1(), beta2(), eps(1e-8), weight_decay(),
           flag("amsgrad", "AMSGrad: divide by the running maximum of v")),
    equations=EQUATIONS,
    equations_html=EQUATIONS_HTML,
    reference="Kingma & Ba, ICLR 2015; AMSGrad: Reddi et al., ICLR 2018",
    torch_name="Adam",
)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def adam_update(theta, g, vec, h, t, decoupled):
    lr_, b1, b2, epsilon, wd, amsgrad = h[0], h[1], h[2], h[3], h[4], h[5] != 0.0
    exp_avg, exp_avg_sq, max_exp_avg_sq = vec[0], vec[1], vec[2]
    if decoupled:
        if wd != 0.0:
            for i in range(theta.size):
                theta[i] = theta[i] * (1.0 - lr_ * wd)
    else:
        add_weight_decay(g, theta, wd)
    bias_correction1 = one_minus_pow(b1, t)
    bias_correction2 = one_minus_pow(b2, t)
    neg_step_size = -(lr_ / bias_correction1)
    bias_correction2_sqrt = bias_correction2**0.5
    for i in range(theta.size):
        exp_avg[i] = lerp(exp_avg[i], g[i], 1.0 - b1)
        exp_avg_sq[i] = addcmul(exp_avg_sq[i] * b2, g[i], g[i], 1.0 - b2)
        if amsgrad:
            max_exp_avg_sq[i] = maximum(max_exp_avg_sq[i], exp_avg_sq[i])
            denom = math.sqrt(max_exp_avg_sq[i]) / bias_correction2_sqrt + epsilon
        else:
            denom = math.sqrt(exp_avg_sq[i]) / bias_correction2_sqrt + epsilon
        theta[i] = addcdiv(theta[i], exp_avg[i], denom, neg_step_size)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    adam_update(theta, g, vec, h, t, False)
