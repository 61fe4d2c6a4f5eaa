"""The compiled stack machine: a formula's value and exact gradient, from its program.

:func:`program_fg` runs a :class:`~engine.formula.program.Program` (postfix opcodes) at
one point with forward-mode differentiation: every stack slot holds a value and its two
partial derivatives, so f, ∂f/∂x and ∂f/∂y come out of one pass, exact up to rounding.
Every kernel here is compiled once (``cache=True``) and serves every formula: a new
formula is new data, never a new compile. The maths follows NumPy/libm: log of a negative
number is nan, division by zero ±inf, overflow inf; nothing raises.

Derivatives at the edges: abs′ = sign (0 at 0), min/max take the chosen branch's
derivative (the first argument on a tie), sqrt′(0) = inf; a power ``a^b`` with a
non-constant exponent adds ``a^b·log(a)·b′`` only where b′ ≠ 0.

``stack`` is scratch from the caller, (depth, 3) float64; callers on different threads
must pass different arrays.
"""

import math

import numpy as np
from numba import njit

from ..race.state import RUNNING
from ..race.steps import accept_2d, keep_hessian_2d, needs_hessian, step_run
from .program import (
    ABS,
    ADD,
    ATAN,
    CONST,
    COS,
    COSH,
    DIV,
    EXP,
    LOG,
    LOG1P,
    MAX,
    MIN,
    MUL,
    NEG,
    POW,
    POWC,
    SIN,
    SINH,
    SQRT,
    SQUARE,
    SUB,
    TAN,
    TANH,
    X,
    Y,
)


# Called, not inlined: its four callers share one compiled copy (inlined, each paid for its
# own: ~2 s of first-launch compile apiece). _nrt=False: it allocates nothing, and the race
# kernel's hot loop must not pay for reference counting.
@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def program_fg(program, stack, x, y):
    """(f, ∂f/∂x, ∂f/∂y) of ``program`` at (x, y)."""
    op = program.op
    arg = program.arg
    s = stack
    sp = -1  # index of the top slot
    for k in range(op.shape[0]):
        o = op[k]
        if o == X:
            sp += 1
            s[sp, 0] = x
            s[sp, 1] = 1.0
            s[sp, 2] = 0.0
        elif o == Y:
            sp += 1
            s[sp, 0] = y
            s[sp, 1] = 0.0
            s[sp, 2] = 1.0
        elif o == CONST:
            sp += 1
            s[sp, 0] = arg[k]
            s[sp, 1] = 0.0
            s[sp, 2] = 0.0
        elif o <= DIV:  # binary arithmetic: b on top, a below; the result replaces a
            b, bx, by = s[sp, 0], s[sp, 1], s[sp, 2]
            sp -= 1
            a, ax, ay = s[sp, 0], s[sp, 1], s[sp, 2]
            if o == ADD:
                s[sp, 0] = a + b
                s[sp, 1] = ax + bx
                s[sp, 2] = ay + by
            elif o == SUB:
                s[sp, 0] = a - b
                s[sp, 1] = ax - bx
                s[sp, 2] = ay - by
            elif o == MUL:
                s[sp, 0] = a * b
                s[sp, 1] = a * bx + b * ax
                s[sp, 2] = a * by + b * ay
            else:
                q = a / b
                s[sp, 0] = q
                s[sp, 1] = (ax - q * bx) / b
                s[sp, 2] = (ay - q * by) / b
        elif o == SQUARE:
            a = s[sp, 0]
            s[sp, 0] = a * a
            s[sp, 1] = 2.0 * a * s[sp, 1]
            s[sp, 2] = 2.0 * a * s[sp, 2]
        elif o == POWC:
            a = s[sp, 0]
            c = arg[k]
            s[sp, 0] = a ** c
            d = c * a ** (c - 1.0) if c != 0.0 else 0.0
            s[sp, 1] = d * s[sp, 1]
            s[sp, 2] = d * s[sp, 2]
        elif o == NEG:
            s[sp, 0] = -s[sp, 0]
            s[sp, 1] = -s[sp, 1]
            s[sp, 2] = -s[sp, 2]
        elif o == POW:
            b, bx, by = s[sp, 0], s[sp, 1], s[sp, 2]
            sp -= 1
            a, ax, ay = s[sp, 0], s[sp, 1], s[sp, 2]
            v = a ** b
            gx = 0.0
            gy = 0.0
            if ax != 0.0 or ay != 0.0:
                d = b * a ** (b - 1.0)
                gx = d * ax
                gy = d * ay
            if bx != 0.0 or by != 0.0:
                d = v * math.log(a)
                if bx != 0.0:
                    gx += d * bx
                if by != 0.0:
                    gy += d * by
            s[sp, 0] = v
            s[sp, 1] = gx
            s[sp, 2] = gy
        elif o == MIN or o == MAX:
            b = s[sp, 0]
            sp -= 1
            a = s[sp, 0]
            if o == MIN:
                take_a = a <= b or a != a  # NaN propagates, as np.minimum
            else:
                take_a = a >= b or a != a
            if not take_a:
                s[sp, 0] = b
                s[sp, 1] = s[sp + 1, 1]
                s[sp, 2] = s[sp + 1, 2]
        else:  # a function of one argument: value v, derivative d
            a = s[sp, 0]
            if o == SIN:
                v = math.sin(a)
                d = math.cos(a)
            elif o == COS:
                v = math.cos(a)
                d = -math.sin(a)
            elif o == TAN:
                v = math.tan(a)
                d = 1.0 + v * v
            elif o == EXP:
                v = math.exp(a)
                d = v
            elif o == LOG:
                v = math.log(a) if a >= 0.0 else math.nan
                d = 1.0 / a
            elif o == LOG1P:
                v = math.log1p(a) if a >= -1.0 else math.nan
                d = 1.0 / (1.0 + a)
            elif o == SQRT:
                v = math.sqrt(a) if a >= 0.0 else math.nan
                d = 0.5 / v
            elif o == ABS:
                v = abs(a)
                d = 1.0 if a > 0.0 else (-1.0 if a < 0.0 else (0.0 if a == 0.0 else math.nan))
            elif o == TANH:
                v = math.tanh(a)
                d = 1.0 - v * v
            elif o == SINH:
                v = math.sinh(a)
                d = math.cosh(a)
            elif o == COSH:
                v = math.cosh(a)
                d = math.sinh(a)
            elif o == ATAN:
                v = math.atan(a)
                d = 1.0 / (1.0 + a * a)
            else:
                v = math.nan
                d = math.nan
            s[sp, 0] = v
            s[sp, 1] = d * s[sp, 1]
            s[sp, 2] = d * s[sp, 2]
    return s[0, 0], s[0, 1], s[0, 2]


@njit(cache=True, nogil=True, error_model="numpy")
def formula_points(program, stack, xs, ys, f, gx, gy):
    """f, ∂f/∂x, ∂f/∂y at the points (xs[k], ys[k]), into ``f``, ``gx``, ``gy``."""
    for k in range(xs.shape[0]):
        f[k], gx[k], gy[k] = program_fg(program, stack, xs[k], ys[k])


@njit(cache=True, nogil=True, error_model="numpy")
def formula_grid(program, stack, xs, ys, z):
    """``z[j, i] = f(xs[i], ys[j])``."""
    for j in range(ys.shape[0]):
        for i in range(xs.shape[0]):
            z[j, i] = program_fg(program, stack, xs[i], ys[j])[0]


# ----------------------------------------------------------------------------- Hessians
# The same program differentiated twice, forward over forward: every slot holds a value, its
# two first and its three second partial derivatives (v, vx, vy, vxx, vxy, vyy). One compiled
# kernel for every formula, as program_fg: a formula is data, never a compile.
@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _chain2(s, sp, v, d1, d2):
    """Slot ``sp`` ← φ(slot) for φ with value v, φ′ = d1, φ″ = d2 (the second-order chain rule)."""
    ax, ay = s[sp, 1], s[sp, 2]
    s[sp, 0] = v
    s[sp, 3] = d1 * s[sp, 3] + d2 * ax * ax
    s[sp, 4] = d1 * s[sp, 4] + d2 * ax * ay
    s[sp, 5] = d1 * s[sp, 5] + d2 * ay * ay
    s[sp, 1] = d1 * ax
    s[sp, 2] = d1 * ay


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def program_fgh(program, stack, x, y):
    """(f, ∂f/∂x, ∂f/∂y, ∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y²) of ``program`` at (x, y).

    ``stack`` is (depth, 6) float64 scratch. The edges as :func:`program_fg`: abs″ = 0,
    min/max take the chosen branch's derivatives, a power with a non-constant exponent adds
    its log terms only where the exponent varies.
    """
    op = program.op
    arg = program.arg
    s = stack
    sp = -1
    for k in range(op.shape[0]):
        o = op[k]
        if o == X or o == Y or o == CONST:
            sp += 1
            for j in range(1, 6):
                s[sp, j] = 0.0
            if o == X:
                s[sp, 0] = x
                s[sp, 1] = 1.0
            elif o == Y:
                s[sp, 0] = y
                s[sp, 2] = 1.0
            else:
                s[sp, 0] = arg[k]
        elif o == ADD or o == SUB:
            sp -= 1
            sign = 1.0 if o == ADD else -1.0
            for j in range(6):
                s[sp, j] = s[sp, j] + sign * s[sp + 1, j]
        elif o == MUL:
            sp -= 1
            a, ax, ay, axx, axy, ayy = s[sp, 0], s[sp, 1], s[sp, 2], s[sp, 3], s[sp, 4], s[sp, 5]
            b, bx, by = s[sp + 1, 0], s[sp + 1, 1], s[sp + 1, 2]
            bxx, bxy, byy = s[sp + 1, 3], s[sp + 1, 4], s[sp + 1, 5]
            s[sp, 0] = a * b
            s[sp, 1] = a * bx + b * ax
            s[sp, 2] = a * by + b * ay
            s[sp, 3] = a * bxx + 2.0 * ax * bx + axx * b
            s[sp, 4] = a * bxy + ax * by + ay * bx + axy * b
            s[sp, 5] = a * byy + 2.0 * ay * by + ayy * b
        elif o == DIV:  # a/b = a·(1/b)
            r = 1.0 / s[sp, 0]
            _chain2(s, sp, r, -r * r, 2.0 * r * r * r)
            sp -= 1
            a, ax, ay, axx, axy, ayy = s[sp, 0], s[sp, 1], s[sp, 2], s[sp, 3], s[sp, 4], s[sp, 5]
            b, bx, by = s[sp + 1, 0], s[sp + 1, 1], s[sp + 1, 2]
            bxx, bxy, byy = s[sp + 1, 3], s[sp + 1, 4], s[sp + 1, 5]
            s[sp, 0] = a * b
            s[sp, 1] = a * bx + b * ax
            s[sp, 2] = a * by + b * ay
            s[sp, 3] = a * bxx + 2.0 * ax * bx + axx * b
            s[sp, 4] = a * bxy + ax * by + ay * bx + axy * b
            s[sp, 5] = a * byy + 2.0 * ay * by + ayy * b
        elif o == SQUARE:
            a = s[sp, 0]
            _chain2(s, sp, a * a, 2.0 * a, 2.0)
        elif o == POWC:
            a = s[sp, 0]
            c = arg[k]
            d1 = c * a ** (c - 1.0) if c != 0.0 else 0.0
            d2 = c * (c - 1.0) * a ** (c - 2.0) if c != 0.0 and c != 1.0 else 0.0
            _chain2(s, sp, a ** c, d1, d2)
        elif o == NEG:
            for j in range(6):
                s[sp, j] = -s[sp, j]
        elif o == POW:  # v = a^b: the a-terms where a varies, the log terms where b varies
            sp -= 1
            a, ax, ay, axx, axy, ayy = s[sp, 0], s[sp, 1], s[sp, 2], s[sp, 3], s[sp, 4], s[sp, 5]
            b, bx, by = s[sp + 1, 0], s[sp + 1, 1], s[sp + 1, 2]
            bxx, bxy, byy = s[sp + 1, 3], s[sp + 1, 4], s[sp + 1, 5]
            v = a ** b
            a_varies = ax != 0.0 or ay != 0.0 or axx != 0.0 or axy != 0.0 or ayy != 0.0
            b_varies = bx != 0.0 or by != 0.0 or bxx != 0.0 or bxy != 0.0 or byy != 0.0
            gx = 0.0
            gy = 0.0
            hxx = 0.0
            hxy = 0.0
            hyy = 0.0
            if a_varies:
                fa = b * a ** (b - 1.0)
                faa = b * (b - 1.0) * a ** (b - 2.0)
                gx += fa * ax
                gy += fa * ay
                hxx += fa * axx + faa * ax * ax
                hxy += fa * axy + faa * ax * ay
                hyy += fa * ayy + faa * ay * ay
            if b_varies:
                la = math.log(a)
                fb = v * la
                fbb = fb * la
                gx += fb * bx
                gy += fb * by
                hxx += fb * bxx + fbb * bx * bx
                hxy += fb * bxy + fbb * bx * by
                hyy += fb * byy + fbb * by * by
                if a_varies:
                    fab = a ** (b - 1.0) * (1.0 + b * la)
                    hxx += 2.0 * fab * ax * bx
                    hxy += fab * (ax * by + ay * bx)
                    hyy += 2.0 * fab * ay * by
            s[sp, 0] = v
            s[sp, 1] = gx
            s[sp, 2] = gy
            s[sp, 3] = hxx
            s[sp, 4] = hxy
            s[sp, 5] = hyy
        elif o == MIN or o == MAX:
            b = s[sp, 0]
            sp -= 1
            a = s[sp, 0]
            if o == MIN:
                take_a = a <= b or a != a
            else:
                take_a = a >= b or a != a
            if not take_a:
                for j in range(6):
                    s[sp, j] = s[sp + 1, j]
        else:  # a function of one argument: value v, φ′ = d1, φ″ = d2
            a = s[sp, 0]
            if o == SIN:
                v = math.sin(a)
                d1 = math.cos(a)
                d2 = -v
            elif o == COS:
                v = math.cos(a)
                d1 = -math.sin(a)
                d2 = -v
            elif o == TAN:
                v = math.tan(a)
                d1 = 1.0 + v * v
                d2 = 2.0 * v * d1
            elif o == EXP:
                v = math.exp(a)
                d1 = v
                d2 = v
            elif o == LOG:
                v = math.log(a) if a >= 0.0 else math.nan
                d1 = 1.0 / a
                d2 = -d1 * d1
            elif o == LOG1P:
                v = math.log1p(a) if a >= -1.0 else math.nan
                d1 = 1.0 / (1.0 + a)
                d2 = -d1 * d1
            elif o == SQRT:
                v = math.sqrt(a) if a >= 0.0 else math.nan
                d1 = 0.5 / v
                d2 = -0.5 * d1 / a
            elif o == ABS:
                v = abs(a)
                d1 = 1.0 if a > 0.0 else (-1.0 if a < 0.0 else (0.0 if a == 0.0 else math.nan))
                d2 = 0.0 if a == a else math.nan
            elif o == TANH:
                v = math.tanh(a)
                d1 = 1.0 - v * v
                d2 = -2.0 * v * d1
            elif o == SINH:
                v = math.sinh(a)
                d1 = math.cosh(a)
                d2 = v
            elif o == COSH:
                v = math.cosh(a)
                d1 = math.sinh(a)
                d2 = v
            elif o == ATAN:
                v = math.atan(a)
                d1 = 1.0 / (1.0 + a * a)
                d2 = -2.0 * a * d1 * d1
            else:
                v = math.nan
                d1 = math.nan
                d2 = math.nan
            _chain2(s, sp, v, d1, d2)
    return s[0, 0], s[0, 1], s[0, 2], s[0, 3], s[0, 4], s[0, 5]


@njit(cache=True, nogil=True, error_model="numpy")
def formula_hessians(program, stack, xs, ys, out):
    """The Hessian at the points (xs[k], ys[k]) into ``out`` (k × 2 × 2); ``stack`` (depth, 6)."""
    for k in range(xs.shape[0]):
        r = program_fgh(program, stack, xs[k], ys[k])
        out[k, 0, 0] = r[3]
        out[k, 0, 1] = r[4]
        out[k, 1, 0] = r[4]
        out[k, 1, 1] = r[5]


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def formula_closure(ctx, x, g):
    """The closure an L-BFGS step calls: f at x of the program ``ctx[0]`` (stack ``ctx[1]``),
    ∇f into g."""
    f, gx, gy = program_fg(ctx[0], ctx[1], x[0], x[1])
    g[0] = gx
    g[1] = gy
    return f


# _nrt=False as engine.surface.race_kernel.advance_surface: no reference counting in the hot loop;
# every buffer (g, prev, the program's stack) comes from the caller.
@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def advance_formula(steps_at, n, runs, hist, box, program, stack, g, prev):
    """Advance every running run by ``n`` steps on the formula ``program``.

    ``stack`` is (depth, 6) scratch: program_fg uses its first three columns, the Hessian
    of a Newton run (program_fgh) all six.

    ``steps_at`` is ``step_addresses(runs.opt_id)`` (:mod:`engine.optimizers.dispatch`).
    The same rules as ``advance_surface``: a run whose point or loss becomes non-finite or
    leaves the box is DIVERGED at that step and frozen at its last good point; reaching a
    known minimum is recorded once.
    """
    for r in range(runs.theta.shape[0]):
        if runs.status[r] != RUNNING:
            continue
        th = runs.theta[r]
        for _ in range(n):
            step = step_run(steps_at, runs, r, g, prev, formula_closure, (program, stack))
            f, gx, gy = program_fg(program, stack, th[0], th[1])
            if not accept_2d(runs, hist, box, r, step, prev, f, gx, gy):
                break
            if needs_hessian(runs, r):  # Newton's next step: the exact Hessian at the new θ
                _, _, _, hxx, hxy, hyy = program_fgh(program, stack, th[0], th[1])
                keep_hessian_2d(runs, r, hxx, hxy, hyy)


@njit(cache=True, nogil=True, error_model="numpy")
def descend(program, stack, starts, lo, hi, iters, out):
    """A local minimum from each start: BFGS with a backtracking (Armijo) line search.

    ``out[k]`` = (x, y, f, |∇f|) where run k stopped: at a point of (numerically) zero
    gradient, after ``iters`` iterations, or (NaN) when it left the box [lo, hi] or met a
    non-finite value.
    """
    for k in range(starts.shape[0]):
        x = starts[k, 0]
        y = starts[k, 1]
        f, gx, gy = program_fg(program, stack, x, y)
        # inverse Hessian estimate, symmetric: [[h11, h12], [h12, h22]]
        h11 = 1.0
        h12 = 0.0
        h22 = 1.0
        ok = math.isfinite(f) and math.isfinite(gx) and math.isfinite(gy)
        wx = hi[0] - lo[0]
        wy = hi[1] - lo[1]
        scale = wx if wx > wy else wy
        for _ in range(iters):
            if not ok:
                break
            gn = math.sqrt(gx * gx + gy * gy)
            if gn == 0.0:
                break
            px = -(h11 * gx + h12 * gy)
            py = -(h12 * gx + h22 * gy)
            slope = px * gx + py * gy
            if not slope < 0.0:  # not a descent direction: restart from steepest descent
                h11, h12, h22 = 1.0, 0.0, 1.0
                px, py, slope = -gx, -gy, -gn * gn
            pn = math.sqrt(px * px + py * py)
            t = 0.1 * scale / pn if pn > 0.0 else 1.0
            t = t if t < 1.0 else 1.0
            moved = False
            for _ls in range(60):
                nx = x + t * px
                ny = y + t * py
                nf, ngx, ngy = program_fg(program, stack, nx, ny)
                if nf <= f + 1e-4 * t * slope and math.isfinite(ngx) and math.isfinite(ngy):
                    moved = True
                    break
                t *= 0.5
            if not moved:
                break
            sx = nx - x
            sy = ny - y
            yx = ngx - gx
            yy = ngy - gy
            x, y, f, gx, gy = nx, ny, nf, ngx, ngy
            if not (lo[0] <= x <= hi[0] and lo[1] <= y <= hi[1]):
                ok = False
                break
            if sx == 0.0 and sy == 0.0:
                break
            sy_dot = sx * yx + sy * yy
            if sy_dot > 1e-300:  # curvature condition: update the inverse Hessian
                rho = 1.0 / sy_dot
                # H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
                a11 = 1.0 - rho * sx * yx
                a12 = -rho * sx * yy
                a21 = -rho * sy * yx
                a22 = 1.0 - rho * sy * yy
                m11 = a11 * h11 + a12 * h12
                m12 = a11 * h12 + a12 * h22
                m21 = a21 * h11 + a22 * h12
                m22 = a21 * h12 + a22 * h22
                h11 = m11 * a11 + m12 * a12 + rho * sx * sx
                h12 = m11 * a21 + m12 * a22 + rho * sx * sy
                h22 = m21 * a21 + m22 * a22 + rho * sy * sy
        if ok:
            out[k, 0] = x
            out[k, 1] = y
            out[k, 2] = f
            out[k, 3] = math.sqrt(gx * gx + gy * gy)
        else:
            out[k, :] = np.nan

