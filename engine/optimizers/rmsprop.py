"""RMSprop, exactly as ``torch.optim.RMSprop``.

    g ← g + λ·θ                              (weight decay, if λ ≠ 0)
    v_t = a·v_{t−1} + (1 − a)·g²             (a = alpha)
    centered:  ḡ_t = a·ḡ_{t−1} + (1 − a)·g;   ṽ = v_t − ḡ_t²   (else ṽ = v_t)
    momentum μ > 0:  b_t = μ·b_{t−1} + g/(√ṽ + ε);   θ_t = θ_{t−1} − α·b_t
    otherwise:       θ_t = θ_{t−1} − α·g/(√ṽ + ε)

Hinton, Srivastava & Swersky, 'Neural Networks for Machine Learning', lecture 6e (2012);
centered form: Graves, 'Generating Sequences With Recurrent Neural Networks' (2013).
"""

import math

from numba import njit

from ..spec import HyperSpec, OptimizerSpec, eps, flag, lr, unit_interval, weight_decay
from ._common import add, add_weight_decay, addcdiv, addcmul, lerp

ID = 5  # the dispatch id: this module's place in optimizers.MODULES

SPEC = OptimizerSpec(
    key="rmsprop",
    id=ID,
    name="RMSprop",
    hyper=(
        lr(0.01),
        unit_interval("alpha", 0.99, "a: decay of the squared-gradient average"),
        eps(1e-8),
        weight_decay(),
        HyperSpec("momentum", 0.0, 0.0, 1.0, slider_low=0.0, slider_high=0.999,
                  doc="μ: momentum factor"),
        flag("centered", "divide by the variance estimate instead of the raw second moment"),
    ),
    equations="v ← a·v + (1−a)·g²\nθ ← θ − α·g/(√v + ε)",
    equations_html=(
        "v<sub>t</sub> = a·v<sub>t−1</sub> + (1−a)·g<sub>t</sub><sup>2</sup><br>"
        "θ<sub>t</sub> = θ<sub>t−1</sub> − α·g<sub>t</sub> / (√v<sub>t</sub> + ε)<br>"
        "<i>centered:</i> v − ḡ² in place of v; <i>momentum:</i> "
        "b = μb + g/(√v + ε), θ ← θ − αb"
    ),
    reference="Hinton, Coursera lecture 6e (2012); Graves (2013) for the centered form",
    torch_name="RMSprop",
)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    lr_, alpha, epsilon, wd, momentum, centered = h[0], h[1], h[2], h[3], h[4], h[5] != 0.0
    square_avg, buf, grad_avg = vec[0], vec[1], vec[2]
    add_weight_decay(g, theta, wd)
    neg_lr = -lr_
    for i in range(theta.size):
        square_avg[i] = addcmul(square_avg[i] * alpha, g[i], g[i], 1.0 - alpha)
        if centered:
            grad_avg[i] = lerp(grad_avg[i], g[i], 1.0 - alpha)
            avg = math.sqrt(addcmul(square_avg[i], grad_avg[i], grad_avg[i], -1.0))
        else:
            avg = math.sqrt(square_avg[i])
        avg = avg + epsilon
        if momentum > 0.0:
            buf[i] = addcdiv(buf[i] * momentum, g[i], avg, 1.0)
            theta[i] = add(theta[i], buf[i], neg_lr)
        else:
            theta[i] = addcdiv(theta[i], g[i], avg, neg_lr)
