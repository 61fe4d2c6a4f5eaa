"""Adafactor, exactly as ``torch.optim.Adafactor`` on one vector of parameters.

    ρ_t = min(α, 1/√t),   s_t = max(ε₂, RMS(θ_{t−1}))·ρ_t     (a step relative to θ's size)
    θ ← θ·(1 − α·λ)                                      (decoupled weight decay, if λ ≠ 0)
    v_t = (1 − t^τ)·v_{t−1} + t^τ·g²                      (τ = beta2_decay ≤ 0: t^τ falls to 0)
    u = g / max(√v_t, ε₁),   û = u / max(1, RMS(u)/d)     (update clipped to RMS ≤ d)
    θ_t = θ − s_t·û

RMS(x) = ‖x‖₂/√n. The step is *relative*: its size is ρ_t times the parameters' own RMS
(at least ε₂), so the same lr moves a point near the origin much less than a far one.

torch factors the second moment of a matrix (row and column averages) and takes each
tensor's own RMS; on a vector, as here (a surface's or a formula's point is one vector), it
keeps ``variance`` element by element, which is this rule. A dataset model's parameters are
several tensors in torch (weight matrices, biases), so dataset problems refuse Adafactor
rather than run a different rule (:func:`engine.spec.check_tensors`).

torch's pair ``eps=(eps1, eps2)`` is flattened as ``eps1, eps2``. torch's default
``eps1=None`` means the machine epsilon of the parameters' dtype; the engine computes in
float64, so its default eps1 is float64's, 2.220446049250313e-16 (what torch then uses),
and the PyTorch-script export writes it back as ``None``. torch refuses d < 1.

Shazeer & Stern, 'Adafactor: Adaptive Learning Rates with Sublinear Memory Cost' (ICML 2018).
"""

import math

import numpy as np
from numba import njit

from ..spec import HyperSpec, OptimizerSpec, lr, weight_decay
from ._common import add, fma, lerp
from ._explain import Walk
from ._explain import fmt_number as n_

FLOAT64_EPS = float(np.finfo(np.float64).eps)  # torch's eps1=None for float64 parameters

SPEC = OptimizerSpec(
    key="adafactor",
    name="Adafactor",
    hyper=(
        lr(1e-2),
        HyperSpec("beta2_decay", -0.8, -math.inf, 0.0, slider_low=-1.0, slider_high=0.0,
                  doc="τ: the new g² weighs t^τ in v (the decay rate's exponent; ≤ 0)"),
        HyperSpec("eps1", FLOAT64_EPS, 0.0, math.inf, log=True, slider_low=1e-16,
                  slider_high=1e-2,
                  doc="ε₁: floor of √v (torch's eps[0]; its None is float64's machine "
                      "epsilon, this default)"),
        HyperSpec("eps2", 1e-3, 0.0, math.inf, log=True, slider_low=1e-6, slider_high=1.0,
                  doc="ε₂: floor of RMS(θ) in the relative step (torch's eps[1])"),
        HyperSpec("d", 1.0, 1.0, math.inf, slider_low=1.0, slider_high=10.0,
                  doc="d: clipping threshold, the update's RMS is at most d (≥ 1)"),
        weight_decay(),
    ),
    equations=(
        "ρₜ = min(α, 1/√t),   sₜ = max(ε₂, RMS(θₜ₋₁))·ρₜ   *(relative to θ's size)*\n"
        "vₜ = (1 − t^τ)·vₜ₋₁ + t^τ·gₜ²\n"
        "u = gₜ / max(√vₜ, ε₁),   û = u / max(1, RMS(u)/d)\n"
        "θₜ = θₜ₋₁·(1 − αλ) − sₜ·û"
    ),
    reference="Shazeer & Stern, ICML 2018",
    torch_name="Adafactor",
    shape_aware=True,
)
LR, BETA2_DECAY, EPS1, EPS2, D, WEIGHT_DECAY = SPEC.slots(
    "lr", "beta2_decay", "eps1", "eps2", "d", "weight_decay")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def norm(x):
    """``x.norm(2)`` as torch computes it for up to 3 entries: √(fma chain of x²).
    (For longer vectors torch sums in vector lanes; this stays within a few ulp of that.)"""
    s = x[0] * x[0]
    for i in range(1, x.size):
        s = fma(x[i], x[i], s)
    return math.sqrt(s)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    lr_, beta2_decay, eps1, eps2, d, wd = (
        h[LR], h[BETA2_DECAY], h[EPS1], h[EPS2], h[D], h[WEIGHT_DECAY])
    variance = vec[0]
    root_n = float(theta.size) ** 0.5
    one_minus_beta2_t = t**beta2_decay
    rho = 1.0 / (t**0.5)
    if not rho < lr_:  # Python's min(lr, ρ)
        rho = lr_
    rms = norm(theta) / root_n
    alpha = (rms if rms > eps2 else eps2) * rho  # Python's max(eps2, RMS)
    floor = eps1 * eps1
    for i in range(theta.size):
        gi = g[i]
        v = lerp(variance[i], gi * gi, one_minus_beta2_t)
        variance[i] = v
        if v < floor:  # clamp_(min=eps1²): NaN stays NaN
            v = floor
        g[i] = (1.0 / math.sqrt(v)) * gi  # rsqrt_ then mul_(grad); g is ours to overwrite
    ratio = norm(g) / (root_n * d)
    denom = ratio if ratio > 1.0 else 1.0  # Python's max(1.0, ratio)
    neg = -alpha / denom
    shrink = 1.0 - lr_ * wd
    for i in range(theta.size):
        x = theta[i]
        if wd != 0.0:
            x = x * shrink
        theta[i] = add(x, g[i], neg)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("variance",)


def _rms(x) -> float:
    return float(np.sqrt(np.sum(x * x)) / math.sqrt(x.size))


def explain(vec, sc, h, t, grad, update, theta):
    lr_, tau, eps2 = float(h[LR]), float(h[BETA2_DECAY]), float(h[EPS2])
    out = {"variance": vec[0].copy(), "step": float(t)}
    if t > 0:
        rho = min(lr_, 1.0 / math.sqrt(t))
        out.update(one_minus_beta2_t=t**tau, rho_t=rho,
                   step_scale=max(eps2, _rms(theta - update)) * rho)
    out["grad"], out["update"] = grad.copy(), update.copy()
    return out


def walk(w: Walk) -> None:
    lr_, tau, eps1, eps2, d, wd = (
        float(w.h[i]) for i in (LR, BETA2_DECAY, EPS1, EPS2, D, WEIGHT_DECAY))
    t = w.t
    g = w.grad_line(-1)
    rho = float(w.line(0, f"ρ = min({n_(lr_)}, 1/√{t:g})", "rho_t", min(lr_, 1.0 / math.sqrt(t))))
    rms = _rms(w.theta)
    scale = float(w.line(0, f"s = max({n_(eps2)}, RMS(θ) = {n_(rms)})·ρ", "step_scale",
                         max(eps2, rms) * rho))
    beta = float(w.note("one_minus_beta2_t", t**tau))
    v = w.line(1, f"v ← {n_(1 - beta)}·v + {n_(beta)}·g²", "variance",
               w.vec[0] + beta * (g * g - w.vec[0]))
    u = g / np.sqrt(np.maximum(v, eps1 * eps1))
    w.line(2, f"u = g/max(√v, {n_(eps1)})", "u", u, "momentum", -scale * u,
           "unclipped step −s·u")
    denom = max(1.0, _rms(u) / d)
    u_hat = w.line(2, f"û = u/max(1, RMS(u)/{n_(d)}) = u/{n_(denom)}", "u_hat", u / denom)
    w.line(2, "s/(max(√v, ε₁)·max(1, RMS(u)/d)) per axis", "lr_eff",
           scale / (np.sqrt(np.maximum(v, eps1 * eps1)) * denom), "box", None,
           "effective lr per axis")
    theta = w.theta * (1.0 - lr_ * wd) if wd != 0.0 else w.theta
    w.finish(3, f"θ ← θ·(1 − {n_(lr_)}·{n_(wd)}) − {n_(scale)}·û" if wd != 0.0
             else f"θ ← θ − {n_(scale)}·û", theta - scale * u_hat)
