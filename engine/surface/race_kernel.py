"""The surface race kernel: advance every run of a surface race by ``n`` steps at once.

The kernel dispatches on the surface id and each run's optimizer id at run time, so one
compiled function serves every (optimizer, surface) pair. Each step costs one evaluation
of f and ∇f: the gradient at the current point is cached from the previous step.
"""

from numba import njit

from ..race.state import RUNNING
from ..race.steps import accept_2d, keep_hessian_2d, needs_hessian, step_run
from .functions import surface_fg, surface_hessian

__all__ = ["advance_surface"]


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def surface_closure(ctx, x, g):
    """The closure an L-BFGS step calls: f at x on surface ``ctx[0]``, ∇f into g."""
    f, gx, gy = surface_fg(ctx[0], x[0], x[1])
    g[0] = gx
    g[1] = gy
    return f


# _nrt=False: no reference counting inside the hot loop. With it, every array view and
# every inlined helper costs atomic increments (measured: ~50 ns per step, more than the
# whole Adam update). The kernel allocates nothing, so it needs no runtime; its scratch
# buffers ``g`` and ``prev`` (P floats each) come from the caller.
@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def advance_surface(steps_at, sid, n, runs, hist, box, g, prev):
    """Advance every running run by ``n`` steps on surface ``sid``.

    ``steps_at`` is ``step_addresses(runs.opt_id)`` (:mod:`engine.optimizers.dispatch`).
    A run whose point or loss becomes non-finite, or leaves the box [lo, hi], is marked
    DIVERGED at that step and frozen at its last good point. A run that comes within
    ``box.tol`` of a known minimum gets ``reached_at`` set once and keeps going.
    """
    for r in range(runs.theta.shape[0]):
        if runs.status[r] != RUNNING:
            continue
        th = runs.theta[r]
        for _ in range(n):
            step = step_run(steps_at, runs, r, g, prev, surface_closure, (sid,))
            f, gx, gy = surface_fg(sid, th[0], th[1])
            if not accept_2d(runs, hist, box, r, step, prev, f, gx, gy):
                break
            if needs_hessian(runs, r):  # Newton's next step: the exact Hessian at the new θ
                hxx, hxy, hyy = surface_hessian(sid, th[0], th[1])
                keep_hessian_2d(runs, r, hxx, hxy, hyy)
