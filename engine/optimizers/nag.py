"""Nesterov accelerated gradient, in the form ``torch.optim.SGD(nesterov=True)`` uses.

    b_1 = g_1;  b_t = μ·b_{t−1} + g_t
    θ_t = θ_{t−1} − α·(g_t + μ·b_t)

Nesterov, 'A method for solving a convex programming problem with convergence rate
O(1/k²)' (1983); reformulated for deep learning by Sutskever et al. (ICML 2013).
"""

from numba import njit

from ..spec import HyperSpec, OptimizerSpec, lr
from ..translatable import QT_TRANSLATE_NOOP
from ._explain import Walk
from .sgd import sgd_update, sgd_walk

SPEC = OptimizerSpec(
    key="nag",
    name="NAG",
    hyper=(
        lr(0.01),
        HyperSpec("momentum", 0.9, 0.0, 1.0, low_open=True, slider_low=0.0, slider_high=0.999,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter", "μ: momentum factor")),
    ),
    equations="bₜ = μ·bₜ₋₁ + gₜ  (b₁ = g₁)\nθₜ = θₜ₋₁ − α·(gₜ + μ·bₜ)",
    reference="Nesterov (1983); Sutskever et al. (ICML 2013)",
    torch_name="SGD(nesterov=True, momentum=0.9)",
)
LR, MOMENTUM = SPEC.slots("lr", "momentum")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    sgd_update(theta, g, vec[0], sc, h[LR], h[MOMENTUM], 0.0, True, 0.0)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("momentum_buffer",)


def explain(vec, sc, h, t, grad, update, theta):
    return {"momentum_buffer": vec[0].copy(), "step": float(t), "grad": grad.copy(),
            "update": update.copy()}


def walk(w: Walk) -> None:
    sgd_walk(w, float(w.h[LR]), float(w.h[MOMENTUM]), 0.0, True, 0.0, rules=(0, 0, 1))
