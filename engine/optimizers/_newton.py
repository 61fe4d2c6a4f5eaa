"""The Newton direction (H + λI)⁻¹g: one solve, compiled for the race and mirrored in NumPy.

Gaussian elimination with partial pivoting, in place (the race's cached Hessian is consumed
by the step that uses it: the next one is computed at the new θ). The NumPy mirror performs
the same operations in the same order, so the walk ends where the kernel's step does, bit
for bit. (np.linalg.solve would differ in the last bits.)

A singular (H + λI) — a zero pivot after pivoting, or a non-finite entry — gives a NaN
direction: the run's next θ is not finite and the race marks it DIVERGED at that step, frozen
at its last point. An indefinite H is solved as it is: pure Newton heads for the stationary
point of the local quadratic model, a saddle or a maximum included; that is the method.
"""

import math

import numpy as np
from numba import njit

from ..spec import LR_SLOT
from ._common import add


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def newton_solve(A, b, lam):
    """b ← (A + λI)⁻¹ b, overwriting A (n × n) and b (n); NaN where singular or mis-sized."""
    n = b.size
    if A.shape[0] != n or A.shape[1] != n:
        for i in range(n):
            b[i] = math.nan
        return
    for i in range(n):
        A[i, i] += lam
    for k in range(n):
        p = k
        best = abs(A[k, k])
        for i in range(k + 1, n):
            a = abs(A[i, k])
            if a > best:
                best = a
                p = i
        if not (best > 0.0 and best < math.inf):
            for i in range(n):
                b[i] = math.nan
            return
        if p != k:
            for j in range(k, n):
                tmp = A[k, j]
                A[k, j] = A[p, j]
                A[p, j] = tmp
            tmp = b[k]
            b[k] = b[p]
            b[p] = tmp
        piv = A[k, k]
        for i in range(k + 1, n):
            f = A[i, k] / piv
            for j in range(k + 1, n):
                A[i, j] = A[i, j] - f * A[k, j]
            b[i] = b[i] - f * b[k]
    for i in range(n - 1, -1, -1):
        s = b[i]
        for j in range(i + 1, n):
            s = s - A[i, j] * b[j]
        b[i] = s / A[i, i]


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step_along_direction(theta, g, vec, sc, h, t):
    """Both Newtons' step: g is already the direction d (the race solved (H + λI)·d = g
    before the step); θ ← θ − lr·d, and d is the state."""
    neg_lr = -h[LR_SLOT]
    for i in range(theta.size):
        vec[0, i] = g[i]
        theta[i] = add(theta[i], g[i], neg_lr)


def newton_solve_numpy(H, g, lam) -> np.ndarray:
    """(H + λI)⁻¹g by the compiled solve's operations, in NumPy (H and g are not touched)."""
    A = np.array(H, dtype=float)
    b = np.array(g, dtype=float)
    n = b.size
    if A.shape != (n, n):
        return np.full(n, np.nan)
    A[np.arange(n), np.arange(n)] += lam
    for k in range(n):
        col = np.abs(A[k:, k])
        p = k + int(np.argmax(col))  # the first largest, as the kernel's strict >
        best = float(col.max()) if col.size else 0.0
        if not (best > 0.0 and best < math.inf):
            return np.full(n, np.nan)
        if p != k:
            A[[k, p], k:] = A[[p, k], k:]
            b[[k, p]] = b[[p, k]]
        f = A[k + 1:, k] / A[k, k]
        A[k + 1:, k + 1:] = A[k + 1:, k + 1:] - f[:, None] * A[k, k + 1:][None, :]
        b[k + 1:] = b[k + 1:] - f * b[k]
    for i in range(n - 1, -1, -1):
        s = b[i]
        for j in range(i + 1, n):
            s = s - A[i, j] * b[j]
        b[i] = s / A[i, i]
    return b


# ------------------------------------------------------------------- explained (NumPy)
def explain_newton(vec, t, grad, update) -> dict:
    """The state after a Newton step: the direction d it took (vec[0]); nothing else is kept."""
    return {"step": float(t), "grad": grad.copy(), "update": update.copy(),
            "direction": vec[0].copy()}


def walk_newton(w, lr_slot: int, lam: float) -> None:
    """The next Newton step, line by line, from the race's Hessian at θ (``w.hess``)."""
    from ._explain import fmt_number as n_

    lr_ = float(w.h[lr_slot])
    g = w.grad_line(0)
    H = np.full((g.size, g.size), np.nan) if w.hess is None else np.array(w.hess, dtype=float)
    damped = f" + {n_(lam)}·I" if lam else ""
    w.note("H", H)
    if H.shape == (2, 2):
        shown = f"[{n_(H[0, 0])}, {n_(H[0, 1])}; {n_(H[1, 0])}, {n_(H[1, 1])}]"
    else:
        shown = f"∇²f(θ), {H.shape[0]}×{H.shape[1]}"
    inverse = f"(H{damped})⁻¹" if lam else "H⁻¹"
    d = w.line(0, f"d = {inverse}·g, H = {shown}", "direction", newton_solve_numpy(H, g, lam))
    w.finish(1, f"θ ← θ − {n_(lr_)}·d", w.theta - lr_ * d)
