"""Plain gradient descent.

    θ_t = θ_{t−1} − α · g_t

With the full data set's gradient this is batch GD; with a mini-batch's gradient it is
mini-batch GD, and with a single sample's gradient it is SGD (Robbins & Monro, 1951).
Identical to ``torch.optim.SGD`` with ``momentum=0``.
"""

from numba import njit

from ..spec import OptimizerSpec, lr
from ._common import add
from ._explain import Walk
from ._explain import fmt_number as n_

SPEC = OptimizerSpec(
    key="gd",
    name="GD",
    hyper=(lr(0.01),),
    equations="θₜ = θₜ₋₁ − α·gₜ",
    reference="Cauchy (1847); Robbins & Monro, 'A Stochastic Approximation Method' (1951)",
    torch_name="SGD(momentum=0)",
)
(LR,) = SPEC.slots("lr")


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    neg_lr = -h[LR]
    for i in range(theta.size):
        theta[i] = add(theta[i], g[i], neg_lr)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES: tuple[str, ...] = ()


def explain(vec, sc, h, t, grad, update, theta):
    return {"step": float(t), "grad": grad.copy(), "update": update.copy()}


def walk(w: Walk) -> None:
    lr_ = float(w.h[LR])
    g = w.grad_line(-1)
    w.finish(0, f"θ ← θ − {n_(lr_)}·g", w.theta - lr_ * g)
