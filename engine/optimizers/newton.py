"""Newton's method, a reference (not in torch.optim): the step the local quadratic model asks for.

    dₜ = Hₜ⁻¹·gₜ        (Hₜ = ∇²f(θₜ₋₁), the exact Hessian)
    θₜ = θₜ₋₁ − α·dₜ

On a quadratic, α = 1 lands on the minimum in one step, whatever its conditioning (the
narrow ellipse). H is the problem's exact Hessian (``engine.hessian``: surfaces, typed
formulas, models of at most 64 parameters), kept by the race at every run's θ; the kernel
solves for d before this step (:mod:`._newton`). A singular H gives a NaN direction and the
run diverges at that step; an indefinite H is used as it is (Newton then heads for the
saddle or maximum of the local model: that is the method, shown as it is). State: only the
last direction d.
"""


from ..spec import OptimizerSpec, lr
from ..translatable import QT_TRANSLATE_NOOP
from ._explain import Walk
from ._newton import explain_newton, step_along_direction, walk_newton

SPEC = OptimizerSpec(
    key="newton",
    name=QT_TRANSLATE_NOOP("Optimizer", "Newton"),
    hyper=(lr(1.0, slider_low=1e-3, slider_high=2.0),),
    equations=QT_TRANSLATE_NOOP(
        "Equations",
        "dₜ = Hₜ⁻¹·gₜ   (Hₜ = ∇²f(θₜ₋₁), exact)\n"
        "θₜ = θₜ₋₁ − α·dₜ   (not in torch.optim)"
    ),
    reference="Newton (1669), Raphson (1690); Nocedal & Wright, 'Numerical Optimization' §3.3",
    needs_hessian=True,
)
(LR,) = SPEC.slots("lr")


step = step_along_direction  # θ ← θ − lr·d (engine.optimizers._newton)


# ---------------------------------------------------------------- explained (NumPy)
STATE_NAMES: tuple[str, ...] = ("direction",)


def explain(vec, sc, h, t, grad, update, theta):
    return explain_newton(vec, t, grad, update)


def walk(w: Walk) -> None:
    walk_newton(w, LR, 0.0)
