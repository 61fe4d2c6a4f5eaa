"""Momentum as an exponentially weighted average of gradients (the lecture note's form).

    v_t = β · v_{t−1} + (1 − β) · g_t        (v_0 = 0)
    θ_t = θ_{t−1} − α · v_t

The (1 − β) factor makes v an average, so α keeps its meaning as a step size; PyTorch's
SGD momentum instead sums (v = μv + g), which is the same up to a rescaled α.
Polyak, 'Some methods of speeding up the convergence of iteration methods' (1964);
Ng, Deep Learning Specialization, course 2 (2017).
"""

from numba import njit

from ..spec import OptimizerSpec, lr, unit_interval
from ..translatable import QT_TRANSLATE_NOOP
from ._explain import Walk
from ._explain import fmt_number as n_

SPEC = OptimizerSpec(
    key="momentum",
    name=QT_TRANSLATE_NOOP("Optimizer", "Momentum"),
    hyper=(lr(0.01), unit_interval("beta", 0.9, QT_TRANSLATE_NOOP("Hyperparameter",
                                                                  "β: how much of the past velocity is kept"))),
    equations="vₜ = β·vₜ₋₁ + (1−β)·gₜ\nθₜ = θₜ₋₁ − α·vₜ",
    reference=QT_TRANSLATE_NOOP(
        "Reference", "Polyak (1964); the exponentially-weighted-average form of Ng's Deep Learning course"),
)
LR, BETA = SPEC.slots("lr", "beta")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    neg_lr, beta = -h[LR], h[BETA]
    v = vec[0]
    for i in range(theta.size):
        vi = beta * v[i] + (1.0 - beta) * g[i]
        v[i] = vi
        theta[i] = theta[i] + neg_lr * vi


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("velocity",)


def explain(vec, sc, h, t, grad, update, theta):
    return {"velocity": vec[0].copy(), "step": float(t), "grad": grad.copy(),
            "update": update.copy()}


def walk(w: Walk) -> None:
    lr_, beta = float(w.h[LR]), float(w.h[BETA])
    g = w.grad_line(-1)
    v_prev = w.vec[0]
    w.note("carried", beta * v_prev)
    v = w.line(0, f"v ← {n_(beta)}·v + {n_(1 - beta)}·g", "velocity", beta * v_prev + (1 - beta) * g,
               "momentum", -lr_ * beta * v_prev, QT_TRANSLATE_NOOP("Walk", "carried velocity −α·β·v"))
    w.finish(1, f"θ ← θ − {n_(lr_)}·v", w.theta - lr_ * v)
