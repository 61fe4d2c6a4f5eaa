"""The per-step pieces every race kernel shares: one copy of what a kernel does besides
evaluating its problem.

``step_run`` (noise, step count, the lr schedule, the optimizer), ``record`` (the bounded
history), ``inside`` (the box), ``reached`` (a known minimum) and ``accept_2d`` (after a step
of a 2-parameter run). Runs are rows of the bundles in :mod:`engine.race.state`; every piece
is inlined into its kernel (the surface race, the formula race, the dataset race).
"""

import math

import numpy as np
from numba import njit

from ..compile.closure import bind_closure
from ..compile.pointers import data_pointer
from ..noise import next_normal
from ..optimizers import MODULES
from ..optimizers._newton import newton_solve
from ..optimizers.dispatch import EVALUATES, call_optimizer_step
from ..optimizers.lbfgs import call_lbfgs_step
from .schedules import next_lr
from .state import DIVERGED, RUNNING
from .state import head_rows as _head_rows

head_rows = njit(cache=True, nogil=True, inline="always")(_head_rows)

__all__ = ["DIVERGED", "RUNNING", "accept_2d", "inside", "keep_hessian_2d", "needs_hessian",
           "reached", "record", "step_run"]

# Per optimizer id (the registry's order): whether its rule takes the Newton direction
# (SPEC.needs_hessian), and the hyper slot of its damping λ (−1: none, λ = 0). Constants in
# the compiled kernels, as the dispatch's slots are.
NEEDS_HESSIAN = np.array([m.SPEC.needs_hessian for m in MODULES], dtype=np.bool_)
DAMPING_SLOT = np.array([m.SPEC.hyper_names.index("damping") if "damping" in m.SPEC.hyper_names
                         else -1 for m in MODULES], dtype=np.int64)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def needs_hessian(runs, r):
    """Whether run ``r``'s optimizer needs the exact Hessian at its θ (``runs.hess[r]``)."""
    oid = runs.opt_id[r]
    return 0 <= oid < NEEDS_HESSIAN.size and NEEDS_HESSIAN[oid]


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def keep_hessian_2d(runs, r, hxx, hxy, hyy):
    """Store a 2-parameter run's Hessian at its new θ (for its next Newton step)."""
    if runs.hess.shape[1] == 2:
        H = runs.hess[r]
        H[0, 0] = hxx
        H[0, 1] = hxy
        H[1, 0] = hxy
        H[1, 1] = hyy


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def record(hist, r, step, theta, loss, gnorm, test_loss, evals):
    """Keep row ``step`` of run ``r`` in ``hist`` if it falls on the stride; thin when full.

    The first ``head_rows(capacity)`` rows hold steps 0, 1, 2 … exactly and are never
    thinned (a long race keeps its first zig-zags); the tail holds the multiples of
    ``stride`` from max(head, stride) on. When the rows are full, the tail keeps its rows on
    twice the stride and the stride doubles, so the step of every row follows from
    (head, stride) alone (``engine.race.state.row_steps``). ``test_loss`` is the held-out loss
    of dataset problems (NaN for surfaces and unevaluated steps); ``evals`` the run's
    function evaluations so far.
    """
    stride = hist.stride[r]
    if step & (stride - 1):  # stride is a power of two (and 1 while within the head)
        return
    capacity = hist.loss.shape[1]
    if hist.count[r] == capacity:
        head = head_rows(capacity)
        kept = head
        for k in range(head, capacity):
            s = max(head, stride) + (k - head) * stride
            if s & (2 * stride - 1) == 0:
                if kept != k:
                    for i in range(hist.path.shape[2]):
                        hist.path[r, kept, i] = hist.path[r, k, i]
                    hist.loss[r, kept] = hist.loss[r, k]
                    hist.gnorm[r, kept] = hist.gnorm[r, k]
                    hist.test[r, kept] = hist.test[r, k]
                    hist.evals[r, kept] = hist.evals[r, k]
                kept += 1
        hist.count[r] = kept
        stride *= 2
        hist.stride[r] = stride
        if step & (stride - 1):
            return
    k = hist.count[r]
    for i in range(theta.size):
        hist.path[r, k, i] = theta[i]
    hist.loss[r, k] = loss
    hist.gnorm[r, k] = gnorm
    hist.test[r, k] = test_loss
    hist.evals[r, k] = evals
    hist.count[r] = k + 1


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def reached(theta, minima, tol):
    """Index of a minimum within ``tol`` of ``theta`` (Euclidean), or −1."""
    for m in range(minima.shape[0]):
        d2 = 0.0
        for i in range(theta.size):
            d = theta[i] - minima[m, i]
            d2 += d * d
        if d2 <= tol * tol:
            return m
    return -1


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def inside(theta, lo, hi):
    """True if lo ≤ θ ≤ hi in every coordinate (False for NaN)."""
    for i in range(theta.size):
        if not (lo[i] <= theta[i] <= hi[i]):  # also False for NaN
            return False
    return True


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step_run(steps_at, runs, r, g, prev, fg, ctx):
    """One optimizer step of run ``r``, shared by the surface and dataset races.

    ``steps_at`` is ``step_addresses(runs.opt_id)`` (:mod:`engine.optimizers.dispatch`): the
    compiled optimizer step's address and L-BFGS's (0 in a race without L-BFGS).
    Keeps the last good θ in ``prev`` (and in ``runs.prev_theta[r]``), takes the cached
    gradient ``runs.grad[r]`` (plus seeded noise of size ``runs.noise[r]``) into ``g`` (and
    ``runs.step_grad[r]``), counts the step, sets the lr of a scheduled run
    (``runs.sched[r]`` ≠ 0) and applies the run's optimizer to ``runs.theta[r]`` in place.
    A run whose optimizer needs the Hessian (Newton) gets the direction (H + λI)⁻¹g instead
    of g, solved in place with ``runs.hess[r]`` (the Hessian at θ, consumed: the kernel
    keeps the next one at the new θ). A run whose rule evaluates the problem itself (L-BFGS)
    takes its step through ``fg(ctx, x, g) -> f``, the kernel's evaluator (the closure).
    ``runs.evals[r]`` counts the function evaluations: one a step, L-BFGS's as torch counts
    them. Returns the new step number.
    """
    th = runs.theta[r]
    sigma = runs.noise[r]
    P = th.size
    for i in range(P):
        prev[i] = th[i]
        g[i] = runs.grad[r, i]
        if sigma > 0.0:
            g[i] += sigma * next_normal(runs.rng, r)
        runs.prev_theta[r, i] = prev[i]  # kept for Race.explain (two stores a coordinate)
        runs.step_grad[r, i] = g[i]
    runs.t[r] += 1
    if runs.sched[r] != 0:  # an lr schedule (engine.race.schedules): lr is hyperparameter 0
        runs.hyper[r, 0] = next_lr(runs.sched[r], runs.sched_p[r], runs.base_lr[r],
                                   runs.hyper[r, 0], runs.t[r] - 1)
    if needs_hessian(runs, r):  # Newton: the step takes d = (H + λI)⁻¹g in place of g
        slot = DAMPING_SLOT[runs.opt_id[r]]
        newton_solve(runs.hess[r], g, runs.hyper[r, slot] if slot >= 0 else 0.0)
    oid = runs.opt_id[r]
    if 0 <= oid < EVALUATES.size and EVALUATES[oid]:  # L-BFGS: one step(closure)
        closure_at, ctx_at = bind_closure(fg, ctx)
        runs.evals[r] += call_lbfgs_step(steps_at[1], closure_at, ctx_at, P, data_pointer(th),
                                         data_pointer(runs.lbfgs[r]), runs.lbfgs.shape[1],
                                         data_pointer(runs.hyper[r]), sigma,
                                         data_pointer(runs.rng[r:r + 1]))
        return runs.t[r]
    call_optimizer_step(steps_at[0], oid, P, data_pointer(th), data_pointer(g),
                        data_pointer(runs.vec[r]), data_pointer(runs.sc[r]),
                        data_pointer(runs.hyper[r]), float(runs.t[r]))
    runs.evals[r] += 1
    return runs.t[r]


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def accept_2d(runs, hist, box, r, step, prev, f, gx, gy):
    """After a step of a 2-parameter run: f and ∇f at its new point. A non-finite loss or a
    point outside the box marks it DIVERGED at ``step`` and puts it back at ``prev``
    (returns False); otherwise its loss, gradient and history are updated and reaching a
    known minimum is noted once (returns True). Shared by the surface and formula races."""
    th = runs.theta[r]
    if not (math.isfinite(f) and inside(th, box.lo, box.hi)):
        runs.status[r] = DIVERGED
        runs.diverged_at[r] = step
        for i in range(th.size):
            th[i] = prev[i]
        return False
    runs.loss[r] = f
    runs.grad[r, 0] = gx
    runs.grad[r, 1] = gy
    gn = math.sqrt(gx * gx + gy * gy)
    runs.gnorm[r] = gn
    record(hist, r, step, th, f, gn, math.nan, runs.evals[r])
    if runs.reached_at[r] < 0:
        m = reached(th, box.minima, box.tol)
        if m >= 0:
            runs.reached_at[r] = step
            runs.reached_evals[r] = runs.evals[r]
            runs.reached_which[r] = m
    return True
