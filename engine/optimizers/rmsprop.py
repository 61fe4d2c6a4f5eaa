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

import numpy as np
from numba import njit

from ..spec import HyperSpec, OptimizerSpec, eps, flag, lr, unit_interval, weight_decay
from ..translatable import QT_TRANSLATE_NOOP
from ._common import add, addcdiv, addcmul, decayed, lerp
from ._explain import Walk
from ._explain import fmt_number as n_

SPEC = OptimizerSpec(
    key="rmsprop",
    name="RMSprop",
    hyper=(
        lr(0.01),
        unit_interval("alpha", 0.99, QT_TRANSLATE_NOOP("Hyperparameter", "a: decay of the squared-gradient average")),
        eps(1e-8),
        weight_decay(),
        HyperSpec("momentum", 0.0, 0.0, 1.0, slider_low=0.0, slider_high=0.999,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter", "μ: momentum factor")),
        flag("centered", QT_TRANSLATE_NOOP("Hyperparameter",
                                           "divide by the variance estimate instead of the raw second moment")),
    ),
    equations=QT_TRANSLATE_NOOP(
        "Equations",
        "vₜ = a·vₜ₋₁ + (1−a)·gₜ²\n"
        "θₜ = θₜ₋₁ − α·gₜ / (√vₜ + ε)\n"
        "*centered:* v − ḡ² in place of v; *momentum:* b = μb + g/(√v + ε), θ ← θ − αb"
    ),
    reference="Hinton, Coursera lecture 6e (2012); Graves (2013) for the centered form",
    torch_name="RMSprop",
)
LR, ALPHA, EPS, WEIGHT_DECAY, MOMENTUM, CENTERED = SPEC.slots(
    "lr", "alpha", "eps", "weight_decay", "momentum", "centered")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    lr_, alpha, epsilon, wd = h[LR], h[ALPHA], h[EPS], h[WEIGHT_DECAY]
    momentum, centered = h[MOMENTUM], h[CENTERED] != 0.0
    square_avg, buf, grad_avg = vec[0], vec[1], vec[2]
    neg_lr = -lr_
    for i in range(theta.size):
        x = theta[i]
        gi = decayed(g[i], x, wd)
        sq = addcmul(square_avg[i] * alpha, gi, gi, 1.0 - alpha)
        square_avg[i] = sq
        if centered:
            ga = lerp(grad_avg[i], gi, 1.0 - alpha)
            grad_avg[i] = ga
            avg = math.sqrt(addcmul(sq, ga, ga, -1.0))
        else:
            avg = math.sqrt(sq)
        avg = avg + epsilon
        if momentum > 0.0:
            b = addcdiv(buf[i] * momentum, gi, avg, 1.0)
            buf[i] = b
            theta[i] = add(x, b, neg_lr)
        else:
            theta[i] = addcdiv(x, gi, avg, neg_lr)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("square_avg", "momentum_buffer", "grad_avg")


def explain(vec, sc, h, t, grad, update, theta):
    out = {"square_avg": vec[0].copy(), "step": float(t)}
    v = vec[0]
    if h[MOMENTUM] > 0.0:
        out["momentum_buffer"] = vec[1].copy()
    if h[CENTERED] != 0.0:
        out["grad_avg"] = vec[2].copy()
        v = vec[0] - vec[2] * vec[2]
        out["v_centered"] = v
    out["lr_eff"] = h[LR] / (np.sqrt(v) + h[EPS])
    out["grad"], out["update"] = grad.copy(), update.copy()
    return out


def walk(w: Walk) -> None:
    lr_, alpha, epsilon, wd, momentum = (
        float(w.h[i]) for i in (LR, ALPHA, EPS, WEIGHT_DECAY, MOMENTUM))
    centered = w.h[CENTERED] != 0.0
    g = w.grad_line(-1)
    g = w.weight_decay(0, g, wd)
    v = w.line(0, f"v ← {n_(alpha)}·v + {n_(1 - alpha)}·g²", "square_avg",
               alpha * w.vec[0] + (1 - alpha) * g * g)
    if centered:
        gbar = w.line(2, f"ḡ ← {n_(alpha)}·ḡ + {n_(1 - alpha)}·g", "grad_avg",
                      alpha * w.vec[2] + (1 - alpha) * g)
        v = w.line(2, "ṽ = v − ḡ²", "v_centered", v - gbar * gbar)
    lr_eff = w.line(1, f"α/(√v + ε) = {n_(lr_)}/(√v + {n_(epsilon)})", "lr_eff",
                    lr_ / (np.sqrt(v) + epsilon), "box", None, QT_TRANSLATE_NOOP("Walk",
                                                                                 "effective lr α/(√v+ε) per axis"))
    if momentum > 0.0:
        b_prev = w.vec[1]
        b = w.line(2, f"b ← {n_(momentum)}·b + g/(√v + ε)", "momentum_buffer",
                   momentum * b_prev + g / (np.sqrt(v) + epsilon), "momentum",
                   -lr_ * momentum * b_prev, QT_TRANSLATE_NOOP("Walk", "momentum carried −α·μ·b"))
        w.finish(2, f"θ ← θ − {n_(lr_)}·b", w.theta - lr_ * b)
    else:
        w.finish(1, "θ ← θ − α_eff·g", w.theta - lr_eff * g)
