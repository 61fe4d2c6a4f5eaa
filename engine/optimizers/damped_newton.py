"""Damped Newton, a reference (not in torch.optim): Newton's step on H + λI.

    dₜ = (Hₜ + λI)⁻¹·gₜ   (Hₜ = ∇²f(θₜ₋₁), the exact Hessian)
    θₜ = θₜ₋₁ − α·dₜ

λ (``damping``) shifts every curvature by λ: where H is (nearly) singular — a flat
direction, a valley floor — the step stays finite, of length about |g|/λ along it, instead
of blowing up; where H's eigenvalues are much larger than λ it is Newton's step. The
default λ = 1e-3 is small beside the curvatures of the catalogue's bowls (0.5 … 10³), so the
method is Newton wherever Newton is well defined and differs only where H is singular
(Levenberg 1944; Marquardt 1963 adapt λ, this keeps it fixed). λ does not cure an indefinite
H unless it exceeds |λ_min(H)|. A singular H + λI gives a NaN direction: the run diverges.
State: only the last direction d.
"""

import math

from ..spec import HyperSpec, OptimizerSpec, lr
from ..translatable import QT_TRANSLATE_NOOP
from ._explain import Walk
from ._newton import explain_newton, step_along_direction, walk_newton

SPEC = OptimizerSpec(
    key="damped_newton",
    name=QT_TRANSLATE_NOOP("Optimizer", "Damped Newton"),
    hyper=(
        lr(1.0, slider_low=1e-3, slider_high=2.0),
        HyperSpec("damping", 1e-3, 0.0, math.inf, log=True, slider_low=1e-6, slider_high=100.0,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter", "λ: added to every curvature, (H + λI)⁻¹g")),
    ),
    equations=QT_TRANSLATE_NOOP(
        "Equations",
        "dₜ = (Hₜ + λI)⁻¹·gₜ   (Hₜ = ∇²f(θₜ₋₁), exact)\n"
        "θₜ = θₜ₋₁ − α·dₜ   (not in torch.optim)"
    ),
    reference="Levenberg (1944), Marquardt (1963); Nocedal & Wright, 'Numerical Optimization' §3.4",
    needs_hessian=True,
)
LR, DAMPING = SPEC.slots("lr", "damping")


step = step_along_direction  # θ ← θ − lr·d (engine.optimizers._newton)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES: tuple[str, ...] = ("direction",)


def explain(vec, sc, h, t, grad, update, theta):
    return explain_newton(vec, t, grad, update)


def walk(w: Walk) -> None:
    walk_newton(w, LR, float(w.h[DAMPING]))
