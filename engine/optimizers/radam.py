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

from numba import njit

from ..spec import OptimizerSpec, beta1, beta2, eps, lr, weight_decay
from ._common import add, add_weight_decay, addcmul, lerp, one_minus_pow, power

ID = 11  # the dispatch id: this module's place in optimizers.MODULES

SPEC = OptimizerSpec(
    key="radam",
    id=ID,
    name="RAdam",
    hyper=(lr(1e-3), beta1(), beta2(), eps(1e-8), weight_decay()),
    equations=(
        "m ← β₁·m + (1−β₁)·g,  v ← β₂·v + (1−β₂)·g²\n"
        "ρₜ = ρ∞ − 2t·β₂ᵗ/(1−β₂ᵗ)\n"
        "ρₜ > 5: θ ← θ − α·rₜ·m̂·√(1−β₂ᵗ)/(√v + ε)\n"
        "else:  θ ← θ − α·m̂"
    ),
    equations_html=(
        "m<sub>t</sub> = β<sub>1</sub>·m<sub>t−1</sub> + (1−β<sub>1</sub>)·g<sub>t</sub>, &nbsp; "
        "v<sub>t</sub> = β<sub>2</sub>·v<sub>t−1</sub> + (1−β<sub>2</sub>)·g<sub>t</sub><sup>2</sup><br>"
        "ρ<sub>t</sub> = ρ<sub>∞</sub> − 2t·β<sub>2</sub><sup>t</sup>/(1−β<sub>2</sub><sup>t</sup>)<br>"
        "ρ<sub>t</sub> &gt; 5: θ<sub>t</sub> = θ<sub>t−1</sub> − α·r<sub>t</sub>·m̂<sub>t</sub>"
        "·√(1−β<sub>2</sub><sup>t</sup>)/(√v<sub>t</sub> + ε)<br>"
        "otherwise: θ<sub>t</sub> = θ<sub>t−1</sub> − α·m̂<sub>t</sub>"
    ),
    reference="Liu et al., ICLR 2020",
    torch_name="RAdam",
)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    lr_, b1, b2, epsilon, wd = h[0], h[1], h[2], h[3], h[4]
    exp_avg, exp_avg_sq = vec[0], vec[1]
    add_weight_decay(g, theta, wd)
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
        exp_avg[i] = lerp(exp_avg[i], g[i], 1.0 - b1)
        exp_avg_sq[i] = addcmul(exp_avg_sq[i] * b2, g[i], g[i], 1.0 - b2)
        corrected = exp_avg[i] / bias_correction1
        if rectified:
            adaptive = bias_correction2_sqrt / (math.sqrt(exp_avg_sq[i]) + epsilon)
            theta[i] = add(theta[i], corrected * lr_ * adaptive * rect, -1.0)
        else:
            theta[i] = add(theta[i], corrected * lr_, -1.0)
