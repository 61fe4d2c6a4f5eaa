"""ASGD, exactly as ``torch.optim.ASGD``: SGD with a decaying step and an averaged point.

    g ← g + λ_wd·θ                                 (weight decay, if λ_wd ≠ 0)
    θ_t = θ_{t−1}·(1 − λ·η_t) − η_t·g              (η₁ = α)
    ax_t = θ_t while μ_t = 1,  else ax_t = ax_{t−1} + μ_t·(θ_t − ax_{t−1})
    η_{t+1} = α / (1 + λ·α·t)^a,   μ_{t+1} = 1 / max(1, t − t₀)

``ax`` is the Polyak–Ruppert average of the iterates: it copies θ for the first ``t0`` steps
and from then on averages every later θ (μ = 1/(t − t₀)); the path itself is plain SGD with
a slowly decaying step η. The average is state (``ax``), not the run's position. torch's
names: ``lambd`` (λ, the decay term), ``alpha`` (a, the power of η's decay), ``t0``.

Polyak & Juditsky, 'Acceleration of Stochastic Approximation by Averaging' (SIAM J. Control
Optim. 1992); the step schedule of Bottou, 'Stochastic Gradient Descent Tricks' (2012).
"""

import math

from numba import njit

from ..spec import HyperSpec, OptimizerSpec, lr, weight_decay
from ..translatable import QT_TRANSLATE_NOOP, Filled
from ._common import add, decayed
from ._explain import Walk
from ._explain import fmt_number as n_


def init_state(vec, sc, h):
    sc[0] = h["lr"]  # η: torch's state "eta" starts at lr
    sc[1] = 1.0  # μ: torch's state "mu" starts at 1 (ax follows θ)


SPEC = OptimizerSpec(
    key="asgd",
    name="ASGD",
    hyper=(
        lr(1e-2),
        HyperSpec("lambd", 1e-4, 0.0, math.inf, slider_low=0.0, slider_high=0.1,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter", "λ: decay term; shrinks θ by (1 − λη) and slows η's decay")),
        HyperSpec("alpha", 0.75, 0.0, math.inf, slider_low=0.0, slider_high=2.0,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter", "a: power of η's decay, η = α/(1 + λαt)^a")),
        HyperSpec("t0", 1e6, 0.0, math.inf, log=True, slider_low=1.0, slider_high=1e6,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter", "t₀: the step after which the averaging starts")),
        weight_decay(),
    ),
    equations=QT_TRANSLATE_NOOP(
        "Equations",
        "θₜ = θₜ₋₁·(1 − λ·ηₜ) − ηₜ·gₜ\n"
        "axₜ = axₜ₋₁ + μₜ·(θₜ − axₜ₋₁)   (ax = θ while μ = 1)\n"
        "ηₜ₊₁ = α / (1 + λαt)^a,   μₜ₊₁ = 1 / max(1, t − t₀)"
    ),
    reference="Polyak & Juditsky, SIAM J. Control Optim. 1992",
    torch_name="ASGD",
    init_state=init_state,
)
LR, LAMBD, ALPHA, T0, WEIGHT_DECAY = SPEC.slots("lr", "lambd", "alpha", "t0", "weight_decay")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def next_eta_mu(lr_, lambd, alpha, t0, t):
    """torch's η and μ for the step after step t (Python floats there, the same operations)."""
    eta = lr_ / ((1.0 + lambd * lr_ * t) ** alpha)
    since = t - t0
    mu = 1.0 / since if since > 1.0 else 1.0  # 1 / max(1, t − t₀)
    return eta, mu


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    lr_, lambd, alpha, t0, wd = h[LR], h[LAMBD], h[ALPHA], h[T0], h[WEIGHT_DECAY]
    ax = vec[0]
    if t == 1.0:  # torch's state starts at the first step, from the lr of that step
        sc[0] = lr_
        sc[1] = 1.0
    eta, mu = sc[0], sc[1]
    shrink = 1.0 - lambd * eta
    averaging = mu != 1.0
    for i in range(theta.size):
        x = theta[i]
        gi = decayed(g[i], x, wd)
        x = add(x * shrink, gi, -eta)
        theta[i] = x
        if averaging:
            a = ax[i]
            ax[i] = a + (x - a) * mu
        else:
            ax[i] = x
    sc[0], sc[1] = next_eta_mu(lr_, lambd, alpha, t0, t)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("ax",)
SCALAR_NAMES = ("eta", "mu")


def explain(vec, sc, h, t, grad, update, theta):
    out = {"ax": vec[0].copy(), "eta": float(sc[0]), "mu": float(sc[1]), "step": float(t)}
    out["grad"], out["update"] = grad.copy(), update.copy()
    return out


def walk(w: Walk) -> None:
    lr_, lambd, alpha, t0, wd = (float(w.h[i]) for i in (LR, LAMBD, ALPHA, T0, WEIGHT_DECAY))
    eta, mu = (lr_, 1.0) if w.t == 1.0 else (float(w.sc[0]), float(w.sc[1]))
    g = w.grad_line(-1)
    g = w.weight_decay(0, g, wd)
    w.note("eta_used", eta)
    theta = w.theta * (1.0 - lambd * eta) - eta * g
    if mu != 1.0:
        w.line(1, f"ax ← ax + {n_(mu)}·(θ − ax)", "ax", w.vec[0] + mu * (theta - w.vec[0]))
    else:
        w.line(1, Filled(QT_TRANSLATE_NOOP("Walk", "ax ← θ   (averaging starts after t₀ = %1 steps)"), n_(t0)),
               "ax", theta)
    eta_next = lr_ / ((1.0 + lambd * lr_ * w.t) ** alpha)
    w.line(2, f"η ← {n_(lr_)}/(1 + {n_(lambd)}·{n_(lr_)}·{w.t:g})^{n_(alpha)}", "eta", eta_next)
    w.line(2, f"μ ← 1/max(1, {w.t:g} − {n_(t0)})", "mu", 1.0 / max(1.0, w.t - t0))
    w.finish(0, f"θ ← θ·(1 − {n_(lambd)}·{n_(eta)}) − {n_(eta)}·g", theta)
