"""Adafactor, exactly as ``torch.optim.Adafactor``: per tensor, a matrix's second moment factored.

    ρ_t = min(α, 1/√t),   s_t = max(ε₂, RMS(θ_{t−1}))·ρ_t     (a step relative to θ's size)
    θ ← θ·(1 − α·λ)                                      (decoupled weight decay, if λ ≠ 0)
    v_t = (1 − t^τ)·v_{t−1} + t^τ·g²                      (τ = beta2_decay ≤ 0: t^τ falls to 0)
    u = g / max(√v_t, ε₁),   û = u / max(1, RMS(u)/d)     (update clipped to RMS ≤ d)
    θ_t = θ − s_t·û

RMS(x) = ‖x‖₂/√n. The step is *relative*: its size is ρ_t times the parameters' own RMS
(at least ε₂), so the same lr moves a point near the origin much less than a far one.

torch applies this to each parameter tensor on its own: RMS(θ) and RMS(u) are the
tensor's, and an m × n weight matrix keeps no v of its own but row and column averages of
g², R (m) and C (n), with v = R·Cᵀ / max(mean(R), ε₁) (not factored: a vector keeps
``variance``). A surface's or formula's point is one vector; a dataset model's θ is its
``nn.Linear`` weights and biases laid end to end, and the problem's ``tensor_shapes`` are
marked in the state (``init_shapes``, vector ``LAYOUT``) so the step works per tensor, as
torch does. R sits in state vector 0 and C in vector 1, at their matrix's offset.

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
from ..translatable import QT_TRANSLATE_NOOP, Filled
from ._common import add, fma, lerp
from ._explain import Walk
from ._explain import fmt_number as n_

FLOAT64_EPS = float(np.finfo(np.float64).eps)  # torch's eps1=None for float64 parameters

LAYOUT = 2  # the state vector that marks where each tensor starts (see init_shapes)


def init_shapes(vec, shapes):
    """Mark the tensors torch would hold θ in (``shapes``, in θ order) in ``vec[LAYOUT]``:
    at a tensor's first entry its number of rows if it is a matrix, −1 if a vector; 0
    elsewhere. All zeros (a surface's point) is one vector."""
    vec[LAYOUT] = 0.0
    start = 0
    for shape in shapes:
        vec[LAYOUT, start] = shape[0] if len(shape) == 2 else -1.0
        start += int(np.prod(shape))


SPEC = OptimizerSpec(
    key="adafactor",
    name="Adafactor",
    hyper=(
        lr(1e-2),
        HyperSpec("beta2_decay", -0.8, -math.inf, 0.0, slider_low=-1.0, slider_high=0.0,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                        "τ: the new g² weighs t^τ in v (the decay rate's exponent; ≤ 0)")),
        HyperSpec("eps1", FLOAT64_EPS, 0.0, math.inf, log=True, slider_low=1e-16,
                  slider_high=1e-2,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                        "ε₁: floor of √v (torch's eps[0]; its None is float64's machine "
                                        "epsilon, this default)")),
        HyperSpec("eps2", 1e-3, 0.0, math.inf, log=True, slider_low=1e-6, slider_high=1.0,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter", "ε₂: floor of RMS(θ) in the relative step (torch's eps[1])")),
        HyperSpec("d", 1.0, 1.0, math.inf, slider_low=1.0, slider_high=10.0,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                        "d: clipping threshold, the update's RMS is at most d (≥ 1)")),
        weight_decay(),
    ),
    equations=QT_TRANSLATE_NOOP(
        "Equations",
        "ρₜ = min(α, 1/√t),   sₜ = max(ε₂, RMS(θₜ₋₁))·ρₜ   *(relative to θ's size)*\n"
        "vₜ = (1 − t^τ)·vₜ₋₁ + t^τ·gₜ²\n"
        "u = gₜ / max(√vₜ, ε₁),   û = u / max(1, RMS(u)/d)\n"
        "θₜ = θₜ₋₁·(1 − αλ) − sₜ·û"
    ),
    reference="Shazeer & Stern, ICML 2018",
    torch_name="Adafactor",
    init_shapes=init_shapes,
)
LR, BETA2_DECAY, EPS1, EPS2, D, WEIGHT_DECAY = SPEC.slots(
    "lr", "beta2_decay", "eps1", "eps2", "d", "weight_decay")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def norm(x, start, stop, stride):
    """``x[start:stop:stride].norm(2)`` as torch computes it for up to 3 entries: √(fma chain
    of x²). (For longer vectors torch sums in vector lanes; this stays within a few ulp.)"""
    s = x[start] * x[start]
    for i in range(start + stride, stop, stride):
        s = fma(x[i], x[i], s)
    return math.sqrt(s)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def tensor_end(layout, start):
    """Where the tensor starting at ``start`` ends: the next mark in ``layout``, or its end."""
    end = start + 1
    while end < layout.size and layout[end] == 0.0:
        end += 1
    return end


@njit(cache=True, nogil=True, error_model="numpy")
def update(theta, g, vec, h, t):
    lr_, beta2_decay, eps1, eps2, d, wd = (
        h[LR], h[BETA2_DECAY], h[EPS1], h[EPS2], h[D], h[WEIGHT_DECAY])
    layout = vec[LAYOUT]
    one_minus_beta2_t = t**beta2_decay
    rho = 1.0 / (t**0.5)
    if not rho < lr_:  # Python's min(lr, ρ)
        rho = lr_
    floor = eps1 * eps1
    shrink = 1.0 - lr_ * wd
    start = 0
    while start < theta.size:  # torch's loop over the parameter tensors
        end = tensor_end(layout, start)
        size = end - start
        root_n = float(size) ** 0.5
        rms = norm(theta, start, end, 1) / root_n
        alpha = (rms if rms > eps2 else eps2) * rho  # Python's max(eps2, RMS)
        rows = int(layout[start])
        if rows > 0:  # an m × n weight matrix (row-major): factored
            m, n = rows, size // rows
            row_var, col_var = vec[0], vec[1]  # row_var[start + j], col_var[start + i]
            total = 0.0
            for j in range(m):
                r = norm(g, start + j * n, start + (j + 1) * n, 1)
                rv = lerp(row_var[start + j], (r * r) / n, one_minus_beta2_t)
                row_var[start + j] = rv
                total += rv
            for i in range(n):
                c = norm(g, start + i, end, n)
                col_var[start + i] = lerp(col_var[start + i], (c * c) / m, one_minus_beta2_t)
            mean = total / m
            if mean < eps1:  # clamp_(min=eps1): NaN stays NaN
                mean = eps1
            for j in range(m):
                for i in range(n):
                    k = start + j * n + i
                    v = (row_var[start + j] * col_var[start + i]) / mean
                    if v < floor:
                        v = floor
                    g[k] = (1.0 / math.sqrt(v)) * g[k]
        else:  # a vector: variance element by element
            variance = vec[0]
            for k in range(start, end):
                gk = g[k]
                v = lerp(variance[k], gk * gk, one_minus_beta2_t)
                variance[k] = v
                if v < floor:  # clamp_(min=eps1²): NaN stays NaN
                    v = floor
                g[k] = (1.0 / math.sqrt(v)) * gk  # rsqrt_ then mul_(grad); g is ours
        ratio = norm(g, start, end, 1) / (root_n * d)
        denom = ratio if ratio > 1.0 else 1.0  # Python's max(1.0, ratio)
        neg = -alpha / denom
        for k in range(start, end):
            x = theta[k]
            if wd != 0.0:
                x = x * shrink
            theta[k] = add(x, g[k], neg)
        start = end


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    # A call, not inlined into optimizer_step's chain: the per-tensor rule is the largest of
    # the rules, and inlined it made the chain's first compile ≈ 0.3 s CPU slower (3.3 s
    # instead of 3.0 s; measured with a fresh cache). One call per run-step costs nothing.
    update(theta, g, vec, h, t)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("variance", "row_var", "col_var")


def tensors(layout) -> list[tuple[int, int, int]]:
    """(start, end, rows) of each tensor marked in ``layout`` (rows 0 for a vector)."""
    marks = [int(i) for i in np.flatnonzero(layout)]
    starts = sorted({0, *marks})
    ends = starts[1:] + [layout.size]
    return [(a, b, max(int(layout[a]), 0)) for a, b in zip(starts, ends, strict=True)]


def _rms(x) -> float:
    return float(np.sqrt(np.sum(x * x)) / math.sqrt(x.size))


def _state(vec) -> dict:
    """torch's state under its names: ``variance`` of the vectors, ``row_var`` and
    ``col_var`` of the matrices (each concatenated in θ order), as far as there are any."""
    parts: dict[str, list] = {"variance": [], "row_var": [], "col_var": []}
    for a, b, rows in tensors(vec[LAYOUT]):
        if rows:
            parts["row_var"].append(vec[0, a:a + rows])
            parts["col_var"].append(vec[1, a:a + (b - a) // rows])
        else:
            parts["variance"].append(vec[0, a:b])
    return {k: np.concatenate(v) for k, v in parts.items() if v}


def _scales(theta, layout, rho, eps2):
    """s = max(ε₂, RMS(θ))·ρ per tensor, one value per coordinate."""
    out = np.empty_like(theta)
    for a, b, _ in tensors(layout):
        out[a:b] = max(eps2, _rms(theta[a:b])) * rho
    return out


def explain(vec, sc, h, t, grad, update, theta):
    lr_, tau, eps2 = float(h[LR]), float(h[BETA2_DECAY]), float(h[EPS2])
    out = {**_state(vec), "step": float(t)}
    if t > 0:
        rho = min(lr_, 1.0 / math.sqrt(t))
        scale = _scales(theta - update, vec[LAYOUT], rho, eps2)
        out.update(one_minus_beta2_t=t**tau, rho_t=rho,
                   step_scale=scale if len(tensors(vec[LAYOUT])) > 1 else float(scale[0]))
    out["grad"], out["update"] = grad.copy(), update.copy()
    return out


def walk(w: Walk) -> None:
    lr_, tau, eps1, eps2, d, wd = (
        float(w.h[i]) for i in (LR, BETA2_DECAY, EPS1, EPS2, D, WEIGHT_DECAY))
    t, layout = w.t, w.vec[LAYOUT]
    parts = tensors(layout)
    one = len(parts) == 1
    g = w.grad_line(-1)
    rho = float(w.line(0, f"ρ = min({n_(lr_)}, 1/√{t:g})", "rho_t", min(lr_, 1.0 / math.sqrt(t))))
    scale = _scales(w.theta, layout, rho, eps2)
    if one:
        w.line(0, f"s = max({n_(eps2)}, RMS(θ) = {n_(_rms(w.theta))})·ρ", "step_scale", scale[0])
    else:
        w.line(0, Filled(QT_TRANSLATE_NOOP("Walk", "s = max(%1, RMS of each tensor)·ρ"), n_(eps2)), "step_scale",
               scale)
    beta = float(w.note("one_minus_beta2_t", t**tau))
    new = w.vec.copy()
    v = np.empty_like(g)  # the second-moment estimate per coordinate
    for a, b, rows in parts:
        if rows:  # a matrix: torch's row and column factors
            m, n = rows, (b - a) // rows
            gm = g[a:b].reshape(m, n)
            row = new[0, a:a + m] + beta * ((gm * gm).mean(axis=1) - new[0, a:a + m])
            col = new[1, a:a + n] + beta * ((gm * gm).mean(axis=0) - new[1, a:a + n])
            new[0, a:a + m], new[1, a:a + n] = row, col
            v[a:b] = (np.outer(row, col) / max(row.mean(), eps1)).ravel()
        else:
            new[0, a:b] = new[0, a:b] + beta * (g[a:b] * g[a:b] - new[0, a:b])
            v[a:b] = new[0, a:b]
    state = _state(new)
    if "variance" in state:
        w.line(1, f"v ← {n_(1 - beta)}·v + {n_(beta)}·g²", "variance", state["variance"])
    if "row_var" in state:
        w.line(1, Filled(QT_TRANSLATE_NOOP("Walk", "R, C ← %1·(R, C) + %2·(row, column means of g²)"),
                         n_(1 - beta), n_(beta)),
               "row_var", state["row_var"])
        w.note("col_var", state["col_var"])
    root = np.sqrt(np.maximum(v, eps1 * eps1))
    u = g / root
    w.line(2, f"u = g/max(√v, {n_(eps1)})", "u", u, "momentum", -scale * u, QT_TRANSLATE_NOOP("Walk",
                                                                                              "unclipped step −s·u"))
    denom = np.empty_like(g)
    for a, b, _ in parts:
        denom[a:b] = max(1.0, _rms(u[a:b]) / d)
    what = f"u/{n_(denom[0])}" if one else "per tensor"
    u_hat = w.line(2, f"û = u/max(1, RMS(u)/{n_(d)}) = {what}", "u_hat", u / denom)
    w.line(2, "s/(max(√v, ε₁)·max(1, RMS(u)/d)) per axis", "lr_eff", scale / (root * denom),
           "box", None, QT_TRANSLATE_NOOP("Walk", "effective lr per axis"))
    theta = w.theta * (1.0 - lr_ * wd) if wd != 0.0 else w.theta
    shown = n_(scale[0]) if one else "s"
    w.finish(3, f"θ ← θ·(1 − {n_(lr_)}·{n_(wd)}) − {shown}·û" if wd != 0.0
             else f"θ ← θ − {shown}·û", theta - scale * u_hat)
