"""Rprop, exactly as ``torch.optim.Rprop``: per-coordinate sign steps that grow and shrink.

    each coordinate keeps its own step size Δ (Δ₁ = α) and the last gradient g_prev (0 at first)
    g·g_prev > 0:  Δ ← min(Δ·η₊, Δ_max)          (the same sign again: grow)
    g·g_prev < 0:  Δ ← max(Δ·η₋, Δ_min), g ← 0   (the sign flipped: shrink, and skip this move)
    otherwise:     Δ unchanged
    θ_t = θ_{t−1} − Δ·sign(g);   g_prev ← g

Only the sign of the gradient moves θ, never its size. torch's pairs ``etas`` and
``step_sizes`` are flattened here as ``eta_minus, eta_plus`` and ``step_size_min,
step_size_max``. The learning rate is only Δ's starting value (torch reads it once, at the
first step): a later change of lr, or an lr schedule after step 1, moves nothing.

Riedmiller & Braun, 'A Direct Adaptive Method for Faster Backpropagation Learning: The RPROP
Algorithm' (ICNN 1993).
"""

import math

import numpy as np
from numba import njit

from ..quoted import quoted
from ..spec import HyperSpec, OptimizerSpec, lr
from ..translatable import QT_TRANSLATE_NOOP
from ._common import sign
from ._explain import Walk
from ._explain import fmt_number as n_


def check(values: dict) -> None:
    """torch refuses etas outside 0 < η₋ < 1 < η₊ (the ranges say so one at a time) and
    accepts step_size_min > step_size_max (every Δ then clamps to the max); that is refused."""
    low, high = values["step_size_min"], values["step_size_max"]
    if low > high:
        raise ValueError(
            f"Invalid step sizes: step_size_min={quoted(low)} is above "
            f"step_size_max={quoted(high)} (allowed: step_size_min ≤ step_size_max)")


def init_state(vec, sc, h):
    vec[1] = h["lr"]  # every coordinate's step size starts at lr (shown at step 0)


SPEC = OptimizerSpec(
    key="rprop",
    name="Rprop",
    hyper=(
        lr(1e-2),
        HyperSpec("eta_minus", 0.5, 0.0, 1.0, low_open=True, high_open=True,
                  slider_low=0.05, slider_high=0.95,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                        "η₋: shrink factor of a step size when the gradient's sign flips "
                                        "(torch's etas[0])")),
        HyperSpec("eta_plus", 1.2, 1.0, math.inf, low_open=True, slider_low=1.01,
                  slider_high=3.0,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                        "η₊: growth factor of a step size while the sign stays (torch's etas[1])")),
        HyperSpec("step_size_min", 1e-6, 0.0, math.inf, log=True, slider_low=1e-9,
                  slider_high=1.0, doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                                         "Δ_min: the smallest step size (torch's step_sizes[0])")),
        HyperSpec("step_size_max", 50.0, 0.0, math.inf, log=True, slider_low=1e-3,
                  slider_high=100.0, doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                                           "Δ_max: the largest step size (torch's step_sizes[1])")),
    ),
    equations=QT_TRANSLATE_NOOP(
        "Equations",
        "Δ₁ = α  (per coordinate);  g·g_prev > 0:  Δ ← min(η₊·Δ, Δ_max)\n"
        "g·g_prev < 0:  Δ ← max(η₋·Δ, Δ_min),  g ← 0\n"
        "θₜ = θₜ₋₁ − Δ·sign(gₜ),   g_prev ← gₜ"
    ),
    reference="Riedmiller & Braun, ICNN 1993",
    torch_name="Rprop",
    check=check,
    init_state=init_state,
)
LR, ETA_MINUS, ETA_PLUS, STEP_SIZE_MIN, STEP_SIZE_MAX = SPEC.slots(
    "lr", "eta_minus", "eta_plus", "step_size_min", "step_size_max")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    etaminus, etaplus = h[ETA_MINUS], h[ETA_PLUS]
    low, high = h[STEP_SIZE_MIN], h[STEP_SIZE_MAX]
    prev, step_size = vec[0], vec[1]
    first = t == 1.0  # torch's state starts here: step_size = lr, prev = 0
    for i in range(theta.size):
        gi = g[i]
        size = h[LR] if first else step_size[i]
        product = gi * prev[i]  # torch: grad.mul(prev).sign(), then the factors by sign
        if product > 0.0:
            factor = etaplus
        elif product < 0.0:
            factor = etaminus
        elif product == 0.0:
            factor = 1.0
        else:
            factor = product  # NaN stays NaN
        size = size * factor
        # clamp_(min, max): NaN stays NaN
        if size < low:
            size = low
        if size > high:
            size = high
        step_size[i] = size
        if factor == etaminus:
            gi = 0.0
        theta[i] = theta[i] - sign(gi) * size  # addcmul_(sign, Δ, value=−1): one rounding
        prev[i] = gi


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("prev", "step_size")


def explain(vec, sc, h, t, grad, update, theta):
    out = {"prev": vec[0].copy(), "step_size": vec[1].copy(), "step": float(t)}
    out["lr_eff"] = vec[1].copy()  # the move per coordinate is ±Δ
    out["grad"], out["update"] = grad.copy(), update.copy()
    return out


def walk(w: Walk) -> None:
    etaminus, etaplus, low, high = (
        float(w.h[i]) for i in (ETA_MINUS, ETA_PLUS, STEP_SIZE_MIN, STEP_SIZE_MAX))
    g = w.grad_line(-1)
    prev = w.vec[0]
    size = np.full_like(g, float(w.h[LR])) if w.t == 1.0 else w.vec[1]
    product = g * prev
    factor = np.where(product > 0, etaplus, np.where(product < 0, etaminus, 1.0))
    factor = np.where(np.isnan(product), np.nan, factor)
    w.line(0, f"g·g_prev > 0 → ×{n_(etaplus)},  < 0 → ×{n_(etaminus)},  else ×1",
           "factor", factor)
    size = w.line(1, f"Δ ← clamp(factor·Δ, {n_(low)}, {n_(high)})", "step_size",
                  np.minimum(np.maximum(size * factor, low), high), "box", None,
                  QT_TRANSLATE_NOOP("Walk", "step size Δ per axis"))
    flipped = factor == etaminus
    g = w.line(1, "g ← 0 where the sign flipped", "prev", np.where(flipped, 0.0, g))
    w.finish(2, "θ ← θ − Δ·sign(g)", w.theta - np.sign(g) * size)
