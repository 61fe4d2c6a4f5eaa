"""Muon, as ``torch.optim.Muon``: momentum, then the update orthogonalised by Newton–Schulz.

    B_t = μ·B_{t−1} + (1 − μ)·g_t            (torch's ``buf.lerp_(grad, 1 − μ)``)
    B̃_t = μ·B_t + (1 − μ)·g_t  (Nesterov)  or  B_t
    O_t = NS(B̃_t): X = B̃/max(‖B̃‖, ε), then k times X ← aX + (b·XXᵀ + c·(XXᵀ)²)·X
    θ_t = θ_{t−1}·(1 − αλ) − α·√max(1, A/B)·O_t          (θ an A × B matrix)

NS pushes every singular value of B̃ towards ≈ 1 (Keller Jordan's quintic: singular values
end between ≈ 0.7 and 1.1, not exactly 1), so O keeps B̃'s singular vectors and forgets its
scale. (torch's documentation writes B_t = μB_{t−1} + g_t; its code, reproduced here, keeps
the average above.) torch runs NS in bfloat16; :mod:`._bf16` reproduces its CPU arithmetic.

torch's Muon takes only 2-D parameters:

- **on a surface or a formula** θ is one 1 × 2 matrix (torch: ``θ.view(1, 2)``). Its XXᵀ
  is the 1 × 1 matrix ‖X‖² = 1, so NS multiplies X = B̃/‖B̃‖ by the quintic
  p(s) = a·s + b·s³ + c·s⁵ iterated k times from 1 (≈ 0.70 for k = 5): **Muon is a step of
  fixed length α·0.70 in the momentum's direction**, its size independent of the
  gradient's (in bfloat16: the direction to about 3 significant digits, the length 0.68–0.72).
- **on a dataset** each ``nn.Linear`` weight matrix is a Muon parameter and each bias vector
  goes to ``torch.optim.AdamW``, the split torch's documentation recommends. The AdamW part
  takes Muon's lr (one lr, one schedule for the whole model: the exported script gives both
  optimizers the same scheduler) and torch AdamW's own defaults for the rest: β = (0.9,
  0.999), ε = 1e-8, λ = 0.01 (:data:`ADAMW`). Its state sits in the bias entries of state
  vectors 0 (``exp_avg``) and 1 (``exp_avg_sq``); Muon's ``momentum_buffer`` in the weight
  entries of vector 0 and the last step's O (``ortho`` in explain()) in vector 1's; vector 2
  marks the tensors (Adafactor's ``init_shapes``). Newton–Schulz works in float32 in the
  weights' slots of g (the step's own copy) and of vector 1: the kernel allocates nothing.

Hyperparameters (torch's order): lr, weight_decay, momentum, nesterov, ``ns_a, ns_b, ns_c``
(torch's ``ns_coefficients`` tuple), eps, ns_steps. torch's ``adjust_lr_fn`` is its default
only (None, the same as "original": α·√max(1, A/B)); "match_rms_adamw" is not offered,
the spec system having no choice-valued hyperparameter.

Agreement with torch 2.13 (CPU, AVX-512, measured; tests/engine/test_torch_parity.py):
on surfaces bit for bit over 300 steps (every reference case, Rosenbrock, Beale,
Himmelblau). On dataset models whose matrices keep NS's products within ATen's own loops
(k²·l ≤ 16³ for a k × l matrix, k ≤ l: every layer of the default MLP 2-16-16-1, linear,
logistic and softmax models) the weights equal torch's bit for bit over 300 steps; θ as a
whole within 1e-15 relative (MKL's float64 sqrt in the biases' AdamW). Larger products go
through oneDNN in torch, whose blocking is not reproduced: one NS differs from torch's in
2 % of O's entries for a 32 × 32 matrix, 10 % for 64 × 64 (by one bfloat16 rounding, at
most 1.5 % of O's largest entry), and a training path drifts from torch's: 4e-3 of θ's size
after 300 steps on an MLP 2-32-32-1 (moons). torch's bfloat16 kernels depend on the CPU's
vector width (AVX-512 here); on another CPU torch itself may round otherwise.

Keller Jordan, 'Muon: An optimizer for hidden layers in neural networks' (2024); Liu et al.,
'Muon is Scalable for LLM Training' (2025).
"""

import math

import numpy as np
from numba import njit

from ..spec import HyperSpec, OptimizerSpec, eps, flag, lr, weight_decay
from ..translatable import QT_TRANSLATE_NOOP, Filled
from ._bf16 import newton_schulz, newton_schulz_np
from ._common import add, addcdiv, lerp, moments, one_minus_pow
from ._explain import Walk
from ._explain import fmt_number as n_
from .adafactor import LAYOUT, init_shapes, tensor_end, tensors

# torch.optim.AdamW's defaults for the biases of a dataset model (lr: Muon's)
ADAMW = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01}
_B1, _B2, _EPS, _WD = ADAMW["beta1"], ADAMW["beta2"], ADAMW["eps"], ADAMW["weight_decay"]
MAX_NS_STEPS = 99  # torch: "Number of steps must be less than 100"


def _coefficient(name: str, default: float, doc) -> HyperSpec:
    return HyperSpec(name, default, -math.inf, math.inf, slider_low=-6.0, slider_high=6.0, doc=doc)


SPEC = OptimizerSpec(
    key="muon",
    name="Muon",
    hyper=(
        lr(1e-3),
        weight_decay(0.1),
        HyperSpec("momentum", 0.95, 0.0, 1.0, slider_low=0.0, slider_high=0.999,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                        "μ: momentum (the buffer averages gradients with weight 1 − μ)")),
        flag("nesterov", QT_TRANSLATE_NOOP("Hyperparameter", "Nesterov: orthogonalise μ·B + (1 − μ)·g instead of B"),
             default=True),
        _coefficient("ns_a", 3.4445, QT_TRANSLATE_NOOP(
            "Hyperparameter", "a: first coefficient of Newton–Schulz's quintic aX + bXXᵀX + c(XXᵀ)²X "
                              "(torch's ns_coefficients)")),
        _coefficient("ns_b", -4.775, QT_TRANSLATE_NOOP(
            "Hyperparameter", "b: second coefficient of Newton–Schulz's quintic aX + bXXᵀX + c(XXᵀ)²X "
                              "(torch's ns_coefficients)")),
        _coefficient("ns_c", 2.0315, QT_TRANSLATE_NOOP(
            "Hyperparameter", "c: third coefficient of Newton–Schulz's quintic aX + bXXᵀX + c(XXᵀ)²X "
                              "(torch's ns_coefficients)")),
        eps(1e-7),
        HyperSpec("ns_steps", 5.0, 0.0, float(MAX_NS_STEPS), kind="int", slider_low=0.0,
                  slider_high=10.0, doc=QT_TRANSLATE_NOOP(
                      "Hyperparameter", "k: Newton–Schulz iterations (torch allows fewer than 100)")),
    ),
    equations=QT_TRANSLATE_NOOP(
        "Equations",
        "Bₜ = μ·Bₜ₋₁ + (1 − μ)·gₜ\n"
        "B̃ₜ = μ·Bₜ + (1 − μ)·gₜ  (Nesterov)  or  B̃ₜ = Bₜ\n"
        "Oₜ = NS(B̃ₜ):  X = B̃ₜ/‖B̃ₜ‖, k times X ← aX + (b·XXᵀ + c·(XXᵀ)²)X   *(bfloat16)*\n"
        "θₜ = θₜ₋₁·(1 − αλ) − α·√max(1, A/B)·Oₜ   *(θ an A×B matrix)*\n"
        "*Surface: θ is a 1×2 matrix, Oₜ = p(1)·B̃ₜ/‖B̃ₜ‖ (p(1) ≈ 0.70 at k = 5): a step of "
        "length ≈ 0.7·α along the momentum*\n"
        "*Dataset: each weight matrix by Muon; biases by AdamW (lr α, β 0.9, 0.999, "
        "ε 1e-8, λ 0.01)*"
    ),
    reference="Jordan, 'Muon' (2024); Liu et al., 'Muon is Scalable for LLM Training' (2025)",
    torch_name="Muon",
    init_shapes=init_shapes,
)
LR, WEIGHT_DECAY, MOMENTUM, NESTEROV, NS_A, NS_B, NS_C, EPS, NS_STEPS = SPEC.slots(
    "lr", "weight_decay", "momentum", "nesterov", "ns_a", "ns_b", "ns_c", "eps", "ns_steps")


@njit(cache=True, nogil=True, error_model="numpy")
def adjusted_ratio(rows, cols):
    """torch's ``_adjust_lr`` for adjust_lr_fn None/"original": √max(1, A/B)."""
    r = rows / cols
    return math.sqrt(r) if r > 1.0 else 1.0


@njit(cache=True, nogil=True, error_model="numpy")
def update(theta, g, vec, h, t):
    lr_, wd, mu = h[LR], h[WEIGHT_DECAY], h[MOMENTUM]
    nesterov = h[NESTEROV] != 0.0
    layout = vec[LAYOUT]
    buf, side = vec[0], vec[1]  # side: exp_avg_sq at the biases, the last O at the weights
    start = 0
    while start < theta.size:  # torch's parameter tensors
        end = tensor_end(layout, start)
        size = end - start
        mark = layout[start]
        if mark >= 0.0:  # a weight matrix (unmarked: a surface's point, 1 × P)
            rows = int(mark) if mark > 0.0 else 1
            cols = size // rows
            for k in range(start, end):
                b = lerp(buf[k], g[k], 1.0 - mu)
                buf[k] = b
                g[k] = lerp(g[k], b, mu) if nesterov else b  # g is ours: NS's input
            newton_schulz(g, side, start, rows, cols, h[NS_A], h[NS_B], h[NS_C], h[NS_STEPS],
                          h[EPS])
            neg = -(lr_ * adjusted_ratio(rows, cols))
            shrink = 1.0 - lr_ * wd
            for k in range(start, end):
                theta[k] = add(theta[k] * shrink, side[k], neg)
        else:  # a bias vector: torch.optim.AdamW(lr=α) with its defaults
            shrink = 1.0 - lr_ * _WD
            neg_step_size = -(lr_ / one_minus_pow(_B1, t))
            bias_correction2_sqrt = one_minus_pow(_B2, t) ** 0.5
            for k in range(start, end):
                m, v = moments(buf[k], side[k], g[k], _B1, _B2)
                buf[k] = m
                side[k] = v
                denom = math.sqrt(v) / bias_correction2_sqrt + _EPS
                theta[k] = addcdiv(theta[k] * shrink, m, denom, neg_step_size)
        start = end


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    # A call, not inlined into optimizer_step's chain (as Adafactor's): Newton–Schulz is the
    # largest rule of all.
    update(theta, g, vec, h, t)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("momentum_buffer", "exp_avg", "exp_avg_sq")


def _parts(layout):
    """(start, end, rows, cols) of each Muon matrix and (start, end, 0, 0) of each AdamW
    vector, in θ order; an unmarked layout (a surface's point) is one 1 × P matrix."""
    out = []
    for a, b, rows in tensors(layout):
        if layout[a] < 0:
            out.append((a, b, 0, 0))
        else:
            rows = rows or 1
            out.append((a, b, rows, (b - a) // rows))
    return out


def _state(vec) -> dict:
    weights, biases = [], []
    for a, b, rows, _ in _parts(vec[LAYOUT]):
        (weights if rows else biases).append((a, b))
    out = {}
    if weights:
        out["momentum_buffer"] = np.concatenate([vec[0, a:b] for a, b in weights])
    if biases:
        out["exp_avg"] = np.concatenate([vec[0, a:b] for a, b in biases])
        out["exp_avg_sq"] = np.concatenate([vec[1, a:b] for a, b in biases])
    return out


def explain(vec, sc, h, t, grad, update, theta):
    out = {**_state(vec), "step": float(t)}
    weights = [(a, b) for a, b, rows, _ in _parts(vec[LAYOUT]) if rows]
    if t > 0 and weights:  # the step's O = NS(B̃), kept in vector 1 at the weights
        out["ortho"] = np.concatenate([vec[1, a:b] for a, b in weights])
    out["grad"], out["update"] = grad.copy(), update.copy()
    return out


def walk(w: Walk) -> None:
    lr_, wd, mu = float(w.h[LR]), float(w.h[WEIGHT_DECAY]), float(w.h[MOMENTUM])
    nesterov = w.h[NESTEROV] != 0.0
    coefficients = (float(w.h[NS_A]), float(w.h[NS_B]), float(w.h[NS_C]))
    steps, epsilon = int(w.h[NS_STEPS]), float(w.h[EPS])
    parts = _parts(w.vec[LAYOUT])
    matrices = [p for p in parts if p[2]]
    vectors = [p for p in parts if not p[2]]
    point = len(parts) == 1  # a surface's 1 × P point
    g = w.grad_line(-1)
    new = w.vec.copy()
    direction = np.zeros_like(g)
    ortho = np.zeros_like(g)
    scale = np.zeros_like(g)  # α·√max(1, A/B) per entry
    for a, b, rows, cols in matrices:
        buf = w.vec[0, a:b] + (1.0 - mu) * (g[a:b] - w.vec[0, a:b])
        new[0, a:b] = buf
        direction[a:b] = g[a:b] + mu * (buf - g[a:b]) if nesterov else buf
        with np.errstate(all="ignore"):
            ortho[a:b] = newton_schulz_np(direction[a:b].reshape(rows, cols), epsilon,
                                          *coefficients, steps).ravel()
        scale[a:b] = lr_ * (math.sqrt(rows / cols) if rows > cols else 1.0)
    weights = np.concatenate([np.arange(a, b) for a, b, _, _ in matrices])
    w.line(0, f"B ← {n_(mu)}·B + {n_(1 - mu)}·g", "momentum_buffer", new[0, weights])
    if nesterov:
        w.line(1, f"B̃ = {n_(mu)}·B + {n_(1 - mu)}·g", "nesterov", direction[weights])
    if point:
        size = float(np.linalg.norm(direction))
        w.note("norm", size)
        length = float(np.linalg.norm(ortho))
        w.line(2, f"O = NS(B̃) = {n_(length)}·B̃/‖B̃‖   (‖B̃‖ = {n_(size)}, bfloat16)", "ortho",
               ortho, "momentum", -scale * ortho, QT_TRANSLATE_NOOP("Walk", "Muon step −α·O"))
    else:
        w.line(2, Filled(QT_TRANSLATE_NOOP("Walk", "O = NS(B̃), %1 steps in bfloat16, per weight matrix"),
                         steps), "ortho", ortho[weights])
    theta = w.theta.copy()
    shrink = 1.0 - lr_ * wd
    for a, b, _, _ in matrices:
        theta[a:b] = theta[a:b] * shrink - scale[a:b] * ortho[a:b]
    if vectors:  # AdamW on the biases
        biases = np.concatenate([np.arange(a, b) for a, b, _, _ in vectors])
        gb = g[biases]
        m = w.vec[0, biases] + (1.0 - _B1) * (gb - w.vec[0, biases])
        v = _B2 * w.vec[1, biases] + (1.0 - _B2) * gb * gb
        w.line(5, Filled(QT_TRANSLATE_NOOP("Walk", "biases (AdamW): m ← %1·m + %2·g"), n_(_B1), n_(1 - _B1)),
               "exp_avg", m)
        w.line(5, Filled(QT_TRANSLATE_NOOP("Walk", "biases (AdamW): v ← %1·v + %2·g²"), n_(_B2), n_(1 - _B2)),
               "exp_avg_sq", v)
        bc1, bc2 = 1.0 - _B1 ** w.t, 1.0 - _B2 ** w.t
        theta[biases] = (w.theta[biases] * (1.0 - lr_ * _WD)
                         - (lr_ / bc1) * m / (np.sqrt(v) / math.sqrt(bc2) + _EPS))
    if point:
        decay = f"θ·(1 − {n_(lr_)}·{n_(wd)})" if wd != 0.0 else "θ"
        w.finish(3, f"θ ← {decay} − {n_(lr_)}·O", theta)
    else:
        rule = (QT_TRANSLATE_NOOP("Walk", "θ ← θ·(1 − %1·%2) − α·√max(1, A/B)·O per matrix; biases by AdamW")
                if vectors else QT_TRANSLATE_NOOP("Walk", "θ ← θ·(1 − %1·%2) − α·√max(1, A/B)·O per matrix"))
        w.finish(3, Filled(rule, n_(lr_), n_(wd)), theta)
