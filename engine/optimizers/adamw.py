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
    # Adam's rule (EQUATIONS) after the decay line, written out: a marked text is one literal.
    equations=QT_TRANSLATE_NOOP(
        "Equations",
        "θ ← θ·(1 − α·λ)  *(decoupled weight decay)*\n"
        "mₜ = β₁·mₜ₋₁ + (1−β₁)·gₜ\n"
        "vₜ = β₂·vₜ₋₁ + (1−β₂)·gₜ²\n"
        "m̂ₜ = mₜ / (1−β₁ᵗ),  v̂ₜ = vₜ / (1−β₂ᵗ)\n"
        "θₜ = θₜ₋₁ − α·m̂ₜ / (√v̂ₜ + ε)"
    ),
    reference="Loshchilov & Hutter, ICLR 2019",
    torch_name="AdamW",
)
if not SPEC.equations.endswith("\n" + EQUATIONS):  # pragma: no cover - the copy drifted from Adam's
    raise RuntimeError("AdamW's equations must end with Adam's")
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
