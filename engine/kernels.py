"""The compiled race kernel: advance every run of a surface race by ``n`` steps at once.

Runs are rows of flat state arrays (see ``race.RaceState``); the kernel dispatches on the
surface id and each run's optimizer id at run time, so one compiled function serves every
(optimizer, surface) pair. Each step costs one evaluation of f and ∇f: the gradient at
the current point is cached from the previous step.
"""

import math

from numba import njit

from .noise import next_normal
from .optimizers.dispatch import data_pointer, optimizer_step
from .surface_kernels import surface_fg

RUNNING = 0
DIVERGED = 1


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def record(r, step, theta, loss, gnorm, test_loss, hist_path, hist_loss, hist_gnorm, hist_test,
           hist_count, hist_stride):
    """Keep row ``step`` of run ``r`` if it falls on the stride; halve the history when full.

    Row k always holds step k·stride, so no step numbers need to be stored. ``test_loss``
    is the held-out loss of dataset problems (NaN for surfaces and unevaluated steps).
    """
    stride = hist_stride[r]
    if step & (stride - 1):  # stride is a power of two
        return
    capacity = hist_loss.shape[1]
    if hist_count[r] == capacity:
        half = (capacity + 1) // 2
        for k in range(1, half):
            for i in range(hist_path.shape[2]):
                hist_path[r, k, i] = hist_path[r, 2 * k, i]
            hist_loss[r, k] = hist_loss[r, 2 * k]
            hist_gnorm[r, k] = hist_gnorm[r, 2 * k]
            hist_test[r, k] = hist_test[r, 2 * k]
        hist_count[r] = half
        stride *= 2
        hist_stride[r] = stride
        if step & (stride - 1):
            return
    k = hist_count[r]
    for i in range(theta.size):
        hist_path[r, k, i] = theta[i]
    hist_loss[r, k] = loss
    hist_gnorm[r, k] = gnorm
    hist_test[r, k] = test_loss
    hist_count[r] = k + 1


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
def _inside(theta, lo, hi):
    for i in range(theta.size):
        if not (lo[i] <= theta[i] <= hi[i]):  # also False for NaN
            return False
    return True


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step_run(r, th, g, prev, grad, sigma, rng, t, opt_id, vec, sc, hyper):
    """One optimizer step of run ``r`` (θ row ``th``), shared by the surface and dataset races.

    Keeps the last good θ in ``prev``, takes the cached gradient ``grad[r]`` (plus seeded
    noise of size ``sigma``) into ``g``, counts the step and applies the run's optimizer.
    Returns the new step number.
    """
    P = th.size
    for i in range(P):
        prev[i] = th[i]
        g[i] = grad[r, i]
        if sigma > 0.0:
            g[i] += sigma * next_normal(rng, r)
    t[r] += 1
    optimizer_step(opt_id[r], P, data_pointer(th), data_pointer(g), data_pointer(vec[r]),
                   data_pointer(sc[r]), data_pointer(hyper[r]), float(t[r]))
    return t[r]


@njit(cache=True, nogil=True, error_model="numpy")
def evaluate_surface(sid, theta, loss, grad, gnorm):
    """f, ∇f and |∇f| at every run's current point (after a start or a reset)."""
    for r in range(theta.shape[0]):
        f, gx, gy = surface_fg(sid, theta[r, 0], theta[r, 1])
        loss[r] = f
        grad[r, 0] = gx
        grad[r, 1] = gy
        gnorm[r] = math.sqrt(gx * gx + gy * gy)


# _nrt=False: no reference counting inside the hot loop. With it, every array view and
# every inlined helper costs atomic increments (measured: ~50 ns per step, more than the
# whole Adam update). The kernel allocates nothing, so it needs no runtime; its scratch
# buffers ``g`` and ``prev`` (P floats each) come from the caller.
@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def advance_surface(sid, n, opt_id, hyper, theta, vec, sc, t, grad, loss, gnorm, status,
                    noise, rng, lo, hi, minima, tol, reached_at, reached_which, diverged_at,
                    hist_path, hist_loss, hist_gnorm, hist_test, hist_count, hist_stride, g,
                    prev):
    """Advance every running run by ``n`` steps on surface ``sid``.

    A run whose point or loss becomes non-finite, or leaves the box [lo, hi], is marked
    DIVERGED at that step and frozen at its last good point. A run that comes within
    ``tol`` of a known minimum gets ``reached_at`` set once and keeps going.
    """
    P = theta.shape[1]
    for r in range(theta.shape[0]):
        if status[r] != RUNNING:
            continue
        sigma = noise[r]
        th = theta[r]
        for _ in range(n):
            step_run(r, th, g, prev, grad, sigma, rng, t, opt_id, vec, sc, hyper)
            f, gx, gy = surface_fg(sid, th[0], th[1])
            if not (math.isfinite(f) and _inside(th, lo, hi)):
                status[r] = DIVERGED
                diverged_at[r] = t[r]
                for i in range(P):
                    th[i] = prev[i]
                break
            loss[r] = f
            grad[r, 0] = gx
            grad[r, 1] = gy
            gn = math.sqrt(gx * gx + gy * gy)
            gnorm[r] = gn
            record(r, t[r], th, f, gn, math.nan, hist_path, hist_loss, hist_gnorm, hist_test,
                   hist_count, hist_stride)
            if reached_at[r] < 0:
                m = reached(th, minima, tol)
                if m >= 0:
                    reached_at[r] = t[r]
                    reached_which[r] = m
