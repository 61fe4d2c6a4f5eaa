"""AdamW, exactly as ``torch.optim.AdamW``: Adam with decoupled weight decay.

    θ ← θ·(1 − α·λ)                          (decay applied to the weights, not the gradient)
    then the Adam step of ``adam.py`` with λ = 0

Loshchilov & Hutter, 'Decoupled Weight Decay Regularization' (ICLR 2019).
"""

from numba import njit

from ..spec import OptimizerSpec, beta1, beta2, eps, flag, lr, weight_decay
from ..translatable import QT_TRANSLATE_NOOP
from . import adam
from ._explain import Walk
from .adam import EQUATIONS, adam_update, adam_walk, bias_correction
from .adam import explain as adam_explain

SPEC = OptimizerSpec(
    key="adamw",
    name="AdamW",
    hyper=(lr(1e-3), beta1(), beta2(), eps(1e-8), weight_decay(0.01),
           flag("amsgrad", QT_TRANSLATE_NOOP("Hyperparameter",
                                             "AMSGrad: divide by the running maximum of v")), bias_correction()),
    equations="θ ← θ·(1 − α·λ)  *(decoupled weight decay)*\n" + EQUATIONS,
    reference="Loshchilov & Hutter, ICLR 2019",
    torch_name="AdamW",
)
assert SPEC.hyper_names == adam.SPEC.hyper_names, "adam_update reads Adam's slots"


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    adam_update(theta, g, vec, h, t, True)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")


def explain(vec, sc, h, t, grad, update, theta):
    return adam_explain(vec, sc, h, t, grad, update, theta)


def walk(w: Walk) -> None:
    adam_walk(w, True)
