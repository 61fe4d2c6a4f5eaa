"""AdaMax, exactly as ``torch.optim.Adamax``: Adam with the infinity norm.

    g ← g + λ·θ                              (weight decay, if λ ≠ 0)
    m_t = β₁·m_{t−1} + (1 − β₁)·g
    u_t = max(β₂·u_{t−1}, |g| + ε)
    θ_t = θ_{t−1} − α/(1 − β₁ᵗ) · m_t / u_t

Kingma & Ba, 'Adam: A Method for Stochastic Optimization' (ICLR 2015), section 7.1.
"""

from numba import njit

from ..spec import OptimizerSpec, beta1, beta2, eps, lr, weight_decay
from ._common import add_weight_decay, addcdiv, lerp, maximum, one_minus_pow

ID = 9  # the dispatch id: this module's place in optimizers.MODULES

SPEC = OptimizerSpec(
    key="adamax",
    id=ID,
    name="AdaMax",
    hyper=(lr(2e-3), beta1(), beta2(), eps(1e-8), weight_decay()),
    equations="m ← β₁·m + (1−β₁)·g\nu ← max(β₂·u, |g| + ε)\nθ ← θ − α/(1−β₁ᵗ) · m/u",
    equations_html=(
        "m<sub>t</sub> = β<sub>1</sub>·m<sub>t−1</sub> + (1−β<sub>1</sub>)·g<sub>t</sub><br>"
        "u<sub>t</sub> = max(β<sub>2</sub>·u<sub>t−1</sub>, |g<sub>t</sub>| + ε)<br>"
        "θ<sub>t</sub> = θ<sub>t−1</sub> − α/(1−β<sub>1</sub><sup>t</sup>) · m<sub>t</sub>/u<sub>t</sub>"
    ),
    reference="Kingma & Ba, ICLR 2015, §7.1",
    torch_name="Adamax",
)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    lr_, b1, b2, epsilon, wd = h[0], h[1], h[2], h[3], h[4]
    exp_avg, exp_inf = vec[0], vec[1]
    add_weight_decay(g, theta, wd)
    neg_clr = -(lr_ / one_minus_pow(b1, t))
    for i in range(theta.size):
        exp_avg[i] = lerp(exp_avg[i], g[i], 1.0 - b1)
        exp_inf[i] = maximum(exp_inf[i] * b2, abs(g[i]) + epsilon)
        theta[i] = addcdiv(theta[i], exp_avg[i], exp_inf[i], neg_clr)
