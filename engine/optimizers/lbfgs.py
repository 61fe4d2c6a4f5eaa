"""L-BFGS, exactly as ``torch.optim.LBFGS``: one race step is one ``optimizer.step(closure)``.

    a step evaluates f and g at θ (the closure), then up to max_iter inner iterations:
    d = −H·g   (H: the two-loop recursion over the last history_size pairs
                s = θ-change, y = g-change, scaled by H_diag = sᵀy / yᵀy)
    t = min(1, 1/‖g‖₁)·α at the very first iteration, else α
    θ ← θ + t·d, then f and g again    (line_search_fn None: a fixed step)
      or t from a strong-Wolfe line search along d (line_search_fn "strong_wolfe")
    stop early when max|g| ≤ tolerance_grad, |Δf| or max|t·d| < tolerance_change, or after
    max_eval evaluations (torch's None: max_iter·5/4)

Unlike every other rule this one calls the problem itself: the race kernels pass it their
evaluator (``fg(ctx, x, g) -> f``, the closure, as two addresses: engine.compile.closure;
the step is compiled once, :data:`LBFGS_STEP`, not once in every kernel) and it returns how
many evaluations the step used, counted as torch counts them (``state["func_evals"]``; the evaluation at θ that begins
each step included). Its state does not fit the shared vectors: it lives in the race's
``RunState.lbfgs`` row (:func:`state_width` floats, laid out below), with the last step's
evaluation points (inner iterates and line-search probes, at most ``PROBES``) kept for the
map's dots: those of the last step that evaluated anywhere but at θ itself.

torch's ``line_search_fn`` (None or "strong_wolfe") is the flag ``strong_wolfe``; its
``max_eval=None`` is ``max_eval = 0``. ``history_size`` is at most ``MAX_HISTORY`` (torch's
default, 100): a run's memory is sized when it starts, so a larger history_size set while it
runs takes effect at its next restart (and one set smaller drops the oldest pairs).
"""

import math

import numpy as np
from numba import njit, types

from ..compile.closure import call_closure
from ..compile.compiled_call import CompiledFunction
from ..compile.pointers import data_pointer, rows_at
from ..noise import next_normal
from ..quoted import quoted
from ..spec import HyperSpec, OptimizerSpec, flag, lr
from ..translatable import QT_TRANSLATE_NOOP, Filled
from ._common import add
from ._explain import Walk

MAX_HISTORY = 100
PROBES = 64  # evaluation points of the last step kept for the map's dots


def check(values: dict) -> None:
    if values["max_eval"] != 0 and values["max_eval"] < 1:
        raise ValueError(f"Invalid max_eval: max_eval={quoted(values['max_eval'])} "
                         "(allowed: 0 for torch's None, or an integer ≥ 1)")


SPEC = OptimizerSpec(
    key="lbfgs",
    name="L-BFGS",
    hyper=(
        lr(1.0, slider_low=1e-3, slider_high=2.0),
        HyperSpec("max_iter", 20.0, 1.0, 1000.0, kind="int", slider_low=1.0, slider_high=100.0,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                        "the most inner iterations in one step (one step = one "
                                        "optimizer.step(closure))")),
        HyperSpec("max_eval", 0.0, 0.0, 10000.0, kind="int", slider_low=0.0, slider_high=200.0,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                        "the most function evaluations in one step (0: torch's None, "
                                        "max_iter·5/4)")),
        HyperSpec("tolerance_grad", 1e-7, 0.0, math.inf, log=True, slider_low=1e-12,
                  slider_high=1e-1,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                        "a step stops when max|g| is at most this")),
        HyperSpec("tolerance_change", 1e-9, 0.0, math.inf, log=True, slider_low=1e-14,
                  slider_high=1e-2,
                  doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                        "a step stops when the loss or θ changes less than this")),
        HyperSpec("history_size", 100.0, 1.0, float(MAX_HISTORY), kind="int", slider_low=1.0,
                  slider_high=float(MAX_HISTORY),
                  doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                        "how many (s, y) pairs the curvature estimate remembers")),
        flag("strong_wolfe", QT_TRANSLATE_NOOP(
            "Hyperparameter", "line_search_fn='strong_wolfe': a line search picks t (off: None, t = α)")),
    ),
    equations=QT_TRANSLATE_NOOP(
        "Equations",
        "one step = optimizer.step(closure): f, g at θ, then up to max_iter times:\n"
        "dₖ = −Hₖ·gₖ   (two-loop recursion over the last (s, y) pairs)\n"
        "θ ← θ + t·dₖ,   t = α (first: min(1, 1/‖g‖₁)·α) or a strong-Wolfe search\n"
        "s = t·dₖ,  y = gₖ₊₁ − gₖ;   *every f, g evaluation counts*"
    ),
    reference="Nocedal, 'Updating quasi-Newton matrices with limited storage' (1980); "
              "Liu & Nocedal (1989); torch.optim.LBFGS",
    torch_name="LBFGS",
    check=check,
    evaluates=True,
)
LR, MAX_ITER, MAX_EVAL, TOLERANCE_GRAD, TOLERANCE_CHANGE, HISTORY_SIZE, STRONG_WOLFE = SPEC.slots(
    "lr", "max_iter", "max_eval", "tolerance_grad", "tolerance_change", "history_size",
    "strong_wolfe")
N_HYPER = len(SPEC.hyper)

# ---------------------------------------------------------------- the state row's layout
# Scalars first, then P-vectors, then the ring of (y, s) pairs, ro and al, then the probes.
S_CAP, S_N_ITER, S_FUNC_EVALS, S_T, S_H_DIAG, S_PREV_LOSS, S_N_OLD, S_HEAD = range(8)
S_LAST_EVALS, S_N_PROBES, S_LAST_ITERS, S_PROBES_OLD = 8, 9, 10, 11
HEAD = 16
V_D, V_PREV_G, V_X, V_G, V_G_NEW, V_G_PREV, V_B0, V_B1 = range(8)
N_VECTORS = 8


def state_width(P: int, history_size: int) -> int:
    """Floats in a run's L-BFGS row for P parameters and ``history_size`` pairs."""
    M = int(history_size)
    return HEAD + N_VECTORS * P + 2 * M * P + 2 * M + PROBES * (P + 1)


def init_row(row: np.ndarray, P: int, history_size: int) -> None:
    """A fresh run's row: zeros, its capacity M (pairs) noted."""
    row[:] = 0.0
    row[S_CAP] = int(history_size)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _vec(st, k, P):
    return st[HEAD + k * P: HEAD + (k + 1) * P]


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _dirs_at(st, P, M):
    return HEAD + N_VECTORS * P


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _dot(a, b):
    s = 0.0
    for i in range(a.size):
        s += a[i] * b[i]
    return s


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _abs_max(a):
    m = 0.0
    for i in range(a.size):
        v = abs(a[i])
        if v > m or v != v:
            m = v
    return m


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _copy(dst, src):
    for i in range(dst.size):
        dst[i] = src[i]


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def cubic_interpolate(x1, f1, g1, x2, f2, g2, lo, hi, x_tensor, lo_tensor, hi_tensor):
    """torch's ``_cubic_interpolate``: the cubic's minimiser through two points, in [lo, hi];
    returns (t, whether torch's t is a tensor).

    torch's step sizes are Python numbers or 0-d tensors depending on where they came from,
    and one operation rounds differently with a tensor: ``3·(f1 − f2) / (x1 − x2)`` is then
    ``(x1 − x2).reciprocal()·(3·(f1 − f2))`` (torch's ``__rtruediv__``). ``x_tensor`` says
    whether x1 or x2 is a tensor, ``lo_tensor``/``hi_tensor`` the bounds'; the gradients are
    always tensors, so an interpolated t is one (a bound or a midpoint is what it is made of).
    """
    if x_tensor:
        d1 = g1 + g2 - (1.0 / (x1 - x2)) * (3.0 * (f1 - f2))
    else:
        d1 = g1 + g2 - 3.0 * (f1 - f2) / (x1 - x2)
    d2_square = d1 * d1 - g1 * g2
    if d2_square >= 0.0:
        d2 = math.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2.0 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2.0 * d2))
        m = min_pos  # Python's min(max(min_pos, lo), hi)
        m_tensor = True
        if lo > m:
            m = lo
            m_tensor = lo_tensor
        if hi < m:
            m = hi
            m_tensor = hi_tensor
        return m, m_tensor
    return (lo + hi) / 2.0, lo_tensor or hi_tensor


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def _evaluate(ev, theta, g, st, P, probe):
    """The closure at θ (``theta``, the run's row): f, and g into ``g``; noise as every
    gradient of the run gets; a probe's point kept for the dots. ``ev`` is (closure_at,
    ctx_at, σ, the run's noise stream): the kernel's evaluator (engine.compile.closure)."""
    closure_at, ctx_at, sigma, rng = ev
    f = call_closure(closure_at, ctx_at, P, data_pointer(theta), data_pointer(g))
    if sigma > 0.0:
        for i in range(P):
            g[i] += sigma * next_normal(rng, 0)
    if probe:
        if st[S_PROBES_OLD] != 0.0:  # the step's first probe replaces the last step's
            st[S_PROBES_OLD] = 0.0
            st[S_N_PROBES] = 0.0
        k = int(st[S_N_PROBES])
        if k < PROBES:
            M = int(st[S_CAP])
            at = HEAD + N_VECTORS * P + 2 * M * P + 2 * M + k * (P + 1)
            for i in range(P):
                st[at + i] = theta[i]
            st[at + P] = f
            st[S_N_PROBES] = k + 1
    return f


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def _directional(ev, theta, x, d, t, g, st, P):
    """torch's ``_directional_evaluate``: f and g at x + t·d, θ put back to x after."""
    for i in range(P):
        theta[i] = add(x[i], d[i], t)
    f = _evaluate(ev, theta, g, st, P, True)
    for i in range(P):
        theta[i] = x[i]
    return f


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def _strong_wolfe(ev, theta, st, P, t, t_tensor, f, gtd, max_ls):
    """torch's ``_strong_wolfe`` (c1 = 1e-4, c2 = 0.9, tolerance_change = 1e-9) from x = θ along
    d; returns (f_new, t, evaluations) with the chosen point's gradient in the g vector.
    Each step size carries whether torch's is a 0-d tensor (see :func:`cubic_interpolate`)."""
    c1 = 1e-4
    c2 = 0.9
    tolerance_change = 1e-9
    x = _vec(st, V_X, P)
    d = _vec(st, V_D, P)
    g = _vec(st, V_G, P)
    g_new = _vec(st, V_G_NEW, P)
    g_prev = _vec(st, V_G_PREV, P)
    b0 = _vec(st, V_B0, P)
    b1 = _vec(st, V_B1, P)
    d_norm = _abs_max(d)
    f_new = _directional(ev, theta, x, d, t, g_new, st, P)
    ls_func_evals = 1
    gtd_new = _dot(g_new, d)
    t_prev = 0.0
    tp_tensor = False  # torch's t_prev = 0, an int
    f_prev = f
    _copy(g_prev, g)
    gtd_prev = gtd
    done = False
    ls_iter = 0
    br0 = 0.0
    br1 = 0.0
    bf0 = 0.0
    bf1 = 0.0
    bgtd0 = 0.0
    bgtd1 = 0.0
    b0_tensor = False
    b1_tensor = False
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            br0, br1, bf0, bf1, bgtd0, bgtd1 = t_prev, t, f_prev, f_new, gtd_prev, gtd_new
            b0_tensor, b1_tensor = tp_tensor, t_tensor
            _copy(b0, g_prev)
            _copy(b1, g_new)
            break
        if abs(gtd_new) <= -c2 * gtd:
            br0 = t  # a bracket of one point: [t]
            br1 = t
            b0_tensor = t_tensor
            b1_tensor = t_tensor
            bf0 = f_new
            bf1 = f_new
            _copy(b0, g_new)
            done = True
            break
        if gtd_new >= 0.0:
            br0, br1, bf0, bf1, bgtd0, bgtd1 = t_prev, t, f_prev, f_new, gtd_prev, gtd_new
            b0_tensor, b1_tensor = tp_tensor, t_tensor
            _copy(b0, g_prev)
            _copy(b1, g_new)
            break
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10.0
        tmp = t
        tmp_tensor = t_tensor
        t, t_tensor = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, min_step,
                                        max_step, tp_tensor or t_tensor, tp_tensor or t_tensor,
                                        t_tensor)
        t_prev = tmp
        tp_tensor = tmp_tensor
        f_prev = f_new
        _copy(g_prev, g_new)
        gtd_prev = gtd_new
        f_new = _directional(ev, theta, x, d, t, g_new, st, P)
        ls_func_evals += 1
        gtd_new = _dot(g_new, d)
        ls_iter += 1
    if ls_iter == max_ls:
        br0, br1, bf0, bf1 = 0.0, t, f, f_new
        b0_tensor, b1_tensor = False, t_tensor
        _copy(b0, g)
        _copy(b1, g_new)
    insuf_progress = False
    low = 0 if bf0 <= bf1 else 1
    while not done and ls_iter < max_ls:
        if abs(br1 - br0) * d_norm < tolerance_change:
            break
        ordered = br0 <= br1  # the bounds cubic_interpolate takes without any
        t, t_tensor = cubic_interpolate(br0, bf0, bgtd0, br1, bf1, bgtd1,
                                        br0 if ordered else br1, br1 if ordered else br0,
                                        b0_tensor or b1_tensor,
                                        b0_tensor if ordered else b1_tensor,
                                        b1_tensor if ordered else b0_tensor)
        top_is_1 = br1 > br0  # Python's max(bracket), min(bracket)
        bottom_is_1 = br1 < br0
        top = br1 if top_is_1 else br0
        bottom = br1 if bottom_is_1 else br0
        top_tensor = b1_tensor if top_is_1 else b0_tensor
        bottom_tensor = b1_tensor if bottom_is_1 else b0_tensor
        eps = 0.1 * (top - bottom)
        if min(top - t, t - bottom) < eps:
            if insuf_progress or t >= top or t <= bottom:
                if abs(t - top) < abs(t - bottom):
                    t = top - eps
                else:
                    t = bottom + eps
                t_tensor = top_tensor or bottom_tensor
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new = _directional(ev, theta, x, d, t, g_new, st, P)
        ls_func_evals += 1
        gtd_new = _dot(g_new, d)
        ls_iter += 1
        f_low = bf0 if low == 0 else bf1
        if f_new > (f + c1 * t * gtd) or f_new >= f_low:
            if low == 0:  # the high end takes the new point
                br1, bf1, bgtd1, b1_tensor = t, f_new, gtd_new, t_tensor
                _copy(b1, g_new)
            else:
                br0, bf0, bgtd0, b0_tensor = t, f_new, gtd_new, t_tensor
                _copy(b0, g_new)
            low = 0 if bf0 <= bf1 else 1
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * ((br1 - br0) if low == 0 else (br0 - br1)) >= 0.0:
                if low == 0:  # high ← low
                    br1, bf1, bgtd1, b1_tensor = br0, bf0, bgtd0, b0_tensor
                    _copy(b1, b0)
                else:
                    br0, bf0, bgtd0, b0_tensor = br1, bf1, bgtd1, b1_tensor
                    _copy(b0, b1)
            if low == 0:
                br0, bf0, bgtd0, b0_tensor = t, f_new, gtd_new, t_tensor
                _copy(b0, g_new)
            else:
                br1, bf1, bgtd1, b1_tensor = t, f_new, gtd_new, t_tensor
                _copy(b1, g_new)
    if low == 0:
        _copy(g, b0)
        return bf0, br0, ls_func_evals
    _copy(g, b1)
    return bf1, br1, ls_func_evals


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def lbfgs_step(closure_at, ctx_at, P, theta_ptr, st_ptr, width, h_ptr, sigma, rng_ptr):
    """One ``torch.optim.LBFGS.step(closure)`` of a run: θ moved in place; returns the
    function evaluations it used (torch's ``current_evals``).

    The run's rows come as addresses (engine.compile.pointers): θ (P floats), its L-BFGS row
    (``width`` floats), its hyperparameters, and its noise stream (one uint64; σ its size).
    ``closure_at``/``ctx_at`` are the race kernel's evaluator (engine.compile.closure): f at
    x, its gradient into g. Compiled once (:data:`LBFGS_STEP`), for every kernel.
    """
    theta = rows_at(theta_ptr, 1, P)[0]
    st = rows_at(st_ptr, 1, width)[0]
    h = rows_at(h_ptr, 1, N_HYPER)[0]  # the row holds MAX_HYPER ≥ N_HYPER
    ev = (closure_at, ctx_at, sigma, rows_at(rng_ptr, 1, 1)[0])
    M = int(st[S_CAP])
    lr_ = h[LR]
    max_iter = int(h[MAX_ITER])
    max_eval = int(h[MAX_EVAL])
    if max_eval == 0:
        max_eval = max_iter * 5 // 4
    tolerance_grad = h[TOLERANCE_GRAD]
    tolerance_change = h[TOLERANCE_CHANGE]
    history = int(h[HISTORY_SIZE])
    if history > M:
        history = M
    wolfe = h[STRONG_WOLFE] != 0.0
    d = _vec(st, V_D, P)
    prev_g = _vec(st, V_PREV_G, P)
    x = _vec(st, V_X, P)
    g = _vec(st, V_G, P)
    dirs = HEAD + N_VECTORS * P  # old_dirs (y), M × P, a ring starting at S_HEAD
    stps = dirs + M * P  # old_stps (s)
    ro = stps + M * P
    al = ro + M
    st[S_PROBES_OLD] = 1.0  # a step that probes nothing (converged) keeps the last dots
    st[S_LAST_ITERS] = 0.0

    loss = _evaluate(ev, theta, g, st, P, False)  # orig_loss = closure()
    current_evals = 1
    st[S_FUNC_EVALS] += 1.0
    if _abs_max(g) <= tolerance_grad:
        st[S_LAST_EVALS] = 1.0
        return current_evals

    t = st[S_T]
    H_diag = st[S_H_DIAG]
    prev_loss = st[S_PREV_LOSS]
    n_old = int(st[S_N_OLD])
    head = int(st[S_HEAD])
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        st[S_N_ITER] += 1.0
        if st[S_N_ITER] == 1.0:
            for i in range(P):
                d[i] = -g[i]
            n_old = 0
            head = 0
            H_diag = 1.0
        else:
            ys = 0.0  # y = g − prev_g, s = d·t, kept in the ring's next slot if ys > 1e-10
            for i in range(P):
                ys += (g[i] - prev_g[i]) * (d[i] * t)
            if ys > 1e-10:
                while n_old >= history:  # torch: pop(0) when the lists are full
                    head = (head + 1) % M
                    n_old -= 1
                k = (head + n_old) % M
                yy = 0.0
                for i in range(P):
                    yi = g[i] - prev_g[i]
                    st[dirs + k * P + i] = yi
                    st[stps + k * P + i] = d[i] * t
                    yy += yi * yi
                st[ro + k] = 1.0 / ys
                n_old += 1
                H_diag = ys / yy
            for i in range(P):  # q = −g, into d
                d[i] = -g[i]
            for j in range(n_old - 1, -1, -1):
                k = (head + j) % M
                a = 0.0
                for i in range(P):
                    a += st[stps + k * P + i] * d[i]
                a = a * st[ro + k]
                st[al + j] = a
                for i in range(P):
                    d[i] = add(d[i], st[dirs + k * P + i], -a)
            for i in range(P):
                d[i] = d[i] * H_diag
            for j in range(n_old):
                k = (head + j) % M
                be = 0.0
                for i in range(P):
                    be += st[dirs + k * P + i] * d[i]
                be = be * st[ro + k]
                c = st[al + j] - be
                for i in range(P):
                    d[i] = add(d[i], st[stps + k * P + i], c)
        _copy(prev_g, g)
        prev_loss = loss
        t_tensor = False  # whether torch's t is a 0-d tensor (see cubic_interpolate)
        if st[S_N_ITER] == 1.0:
            s1 = 0.0
            for i in range(P):
                s1 += abs(g[i])
            inv = 1.0 / s1
            t_tensor = inv < 1.0  # min(1.0, 1/‖g‖₁): the tensor when it is the smaller
            t = (inv if t_tensor else 1.0) * lr_
        else:
            t = lr_
        gtd = _dot(g, d)
        if gtd > -tolerance_change:
            break
        ls_func_evals = 0
        opt_cond = False
        if wolfe:
            _copy(x, theta)
            loss, t, ls_func_evals = _strong_wolfe(ev, theta, st, P, t, t_tensor,
                                                   loss, gtd, max_eval - current_evals)
            for i in range(P):
                theta[i] = add(theta[i], d[i], t)
            opt_cond = _abs_max(g) <= tolerance_grad
        else:
            for i in range(P):
                theta[i] = add(theta[i], d[i], t)
            if n_iter != max_iter:
                loss = _evaluate(ev, theta, g, st, P, True)
                opt_cond = _abs_max(g) <= tolerance_grad
                ls_func_evals = 1
        current_evals += ls_func_evals
        st[S_FUNC_EVALS] += ls_func_evals
        if n_iter == max_iter:
            break
        if current_evals >= max_eval:
            break
        if opt_cond:
            break
        moved = 0.0
        for i in range(P):
            v = abs(d[i] * t)
            if v > moved or v != v:
                moved = v
        if moved <= tolerance_change:
            break
        if abs(loss - prev_loss) < tolerance_change:
            break
    st[S_T] = t
    st[S_H_DIAG] = H_diag
    st[S_PREV_LOSS] = prev_loss
    st[S_N_OLD] = n_old
    st[S_HEAD] = head
    st[S_LAST_EVALS] = current_evals
    st[S_LAST_ITERS] = n_iter
    return current_evals


_F64_PTR = types.CPointer(types.float64)
LBFGS_STEP = CompiledFunction(lbfgs_step, types.int64, lambda: (
    types.int64, types.int64, types.intp, _F64_PTR, _F64_PTR, types.intp, _F64_PTR, types.float64,
    types.CPointer(types.uint64)))
call_lbfgs_step = LBFGS_STEP.call  # a global name: Numba cannot look attributes up


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def step(theta, g, vec, sc, h, t):
    """The dispatch's slot: never taken (the race kernels call :data:`LBFGS_STEP`, which
    needs their evaluator); a call moves nothing."""


# ---------------------------------------------------------------- explained (NumPy)
# torch's optimizer.state names (its scratch list ``al`` aside), from the run's row.
STATE_NAMES: tuple[str, ...] = ("d", "old_dirs", "old_stps", "ro", "prev_flat_grad")
SCALAR_NAMES: tuple[str, ...] = ("func_evals", "n_iter", "t", "H_diag", "prev_loss")


def _ring(row: np.ndarray, P: int):
    M, n_old, head = int(row[S_CAP]), int(row[S_N_OLD]), int(row[S_HEAD])
    dirs = HEAD + N_VECTORS * P
    return M, dirs, dirs + M * P, [(head + j) % M for j in range(n_old)] if M else []


def row_state(row: np.ndarray, P: int) -> dict:
    """A run's L-BFGS row under torch's ``optimizer.state`` names (oldest pair first), with the
    last step's ``evals_last_step`` and ``iters_last_step``."""
    if row.size == 0:
        return {}
    M, dirs, stps, order = _ring(row, P)
    ro = stps + M * P
    return {
        "func_evals": float(row[S_FUNC_EVALS]), "n_iter": float(row[S_N_ITER]),
        "d": row[HEAD + V_D * P: HEAD + (V_D + 1) * P].copy(), "t": float(row[S_T]),
        "old_dirs": np.array([row[dirs + k * P: dirs + (k + 1) * P] for k in order]).reshape(-1, P),
        "old_stps": np.array([row[stps + k * P: stps + (k + 1) * P] for k in order]).reshape(-1, P),
        "ro": np.array([row[ro + k] for k in order]),
        "H_diag": float(row[S_H_DIAG]),
        "prev_flat_grad": row[HEAD + V_PREV_G * P: HEAD + (V_PREV_G + 1) * P].copy(),
        "prev_loss": float(row[S_PREV_LOSS]),
        "evals_last_step": float(row[S_LAST_EVALS]), "iters_last_step": float(row[S_LAST_ITERS]),
    }


def probes(row: np.ndarray, P: int) -> np.ndarray:
    """The last step's evaluation points (k × P, in order) and their losses (column P)."""
    if row.size == 0:
        return np.zeros((0, P + 1))
    M = int(row[S_CAP])
    k = int(row[S_N_PROBES])
    at = HEAD + N_VECTORS * P + 2 * M * P + 2 * M
    return row[at: at + k * (P + 1)].reshape(k, P + 1).copy()


def explain(vec, sc, h, t, grad, update, theta):
    """The step's gradient and move; the state is the run's own row (``row_state``, added by
    engine.maps.explain)."""
    return {"step": float(t), "grad": grad.copy(), "update": update.copy()}


def walk(w: Walk) -> None:
    """Not used: an L-BFGS step needs the problem's closure (engine.maps.explain takes the
    compiled step on a copy of the run, then :func:`walk_after` tells it)."""
    w.grad_line(0)
    w.finish(2, "θ ← θ + t·d", w.theta)


def walk_after(w: Walk, row: np.ndarray, theta_next) -> None:
    """The next step told line by line from the state it leaves (``row``, a copy of the run's
    L-BFGS row after the compiled step on a copy) and where it ends (``theta_next``)."""
    from ._explain import fmt_number as n_

    P = w.theta.size
    after = row_state(row, P)
    g = w.grad_line(0)
    if not after or theta_next is None:
        w.finish(2, "θ ← θ + t·d", w.theta)
        return
    pairs = int(after["ro"].size)
    iters = int(after["iters_last_step"])
    evals = int(after["evals_last_step"])
    if iters == 0:  # max|g| ≤ tolerance_grad already: torch returns without a move
        w.line(0, Filled(QT_TRANSLATE_NOOP("Walk", "max|g| ≤ %1: no iteration"),
                         n_(float(w.h[TOLERANCE_GRAD]))), "max_abs_g", np.max(np.abs(g)))
    else:
        w.line(1, Filled(QT_TRANSLATE_NOOP("Walk", "d = −H·g from %1 (s, y) pairs"), pairs), "d",
               after["d"], "momentum", after["t"] * after["d"],
               QT_TRANSLATE_NOOP("Walk", "last quasi-Newton move t·d"))
        search = QT_TRANSLATE_NOOP("Walk", "strong-Wolfe search") if w.h[STRONG_WOLFE] else "α"
        w.line(2, Filled("t (%1)", search), "t", after["t"])
        w.line(1, Filled(QT_TRANSLATE_NOOP("Walk", "inner iterations (max_iter %1)"),
                         int(w.h[MAX_ITER])), "iterations", iters)
    w.line(3, Filled(QT_TRANSLATE_NOOP("Walk", "function evaluations in this step")), "evaluations",
           evals)
    if np.array_equal(theta_next, w.theta):  # converged, or stalled: gᵀd ≥ −tolerance_change
        w.line(0, Filled(QT_TRANSLATE_NOOP("Walk", "no move: max|g| ≤ %1 or gᵀd ≥ −%2"),
                         n_(float(w.h[TOLERANCE_GRAD])), n_(float(w.h[TOLERANCE_CHANGE]))),
               "no_move", 1.0)
    w.finish(2, Filled(QT_TRANSLATE_NOOP("Walk", "θ after %1 inner iterations"), iters),
             theta_next)
