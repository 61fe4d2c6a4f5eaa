"""Element-wise helpers shared by the optimizer kernels.

They reproduce ATen's CPU formulas for the tensor operations ``torch.optim`` uses, so that
the kernels agree with ``torch.optim`` in float64 bit for bit. On CPUs with FMA, ATen
computes ``a.add(b, alpha=s)``, ``a.addcmul(b, c, value=v)`` and ``lerp`` with one fused
multiply-add (a single rounding); :func:`fma` does the same here. ``addcdiv`` is not fused.

The kernels read each element of θ, g and their state once into a local and write it back
once: torch's tensor operations are element-wise, so one pass per element gives the same
bits as torch's pass per operation, and Numba compiles a local in a fraction of the time of
an array access (the thirteen rules are a first launch's largest compile).

The one-line helpers are intrinsics: their few LLVM instructions are written at each call
site. As ``@njit`` functions each was a compile of its own (≈ 50 ms at a first launch, for
eleven of them, and a copy linked into every caller); ``inline="always"`` instead makes
the rules' type inference slower than that. Arguments are converted to float64, as
``float()`` would; every comparison is the one Python's operator makes (NaN included).
"""

import math

from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

_F64 = types.float64
_DOUBLE = ir.DoubleType()


def _floats(context, builder, signature, args):
    return [context.cast(builder, a, t, _F64) for a, t in zip(args, signature.args, strict=True)]


def _c(value: float):
    return ir.Constant(_DOUBLE, value)


@intrinsic
def fma(typingctx, a, b, c):
    """a·b + c with a single rounding (llvm.fma)."""
    def codegen(context, builder, signature, args):
        return builder.fma(*_floats(context, builder, signature, args))

    return _F64(a, b, c), codegen


@intrinsic
def add(typingctx, a, b, alpha):
    """``a.add(b, alpha=alpha)``: fma(alpha, b, a)."""
    def codegen(context, builder, signature, args):
        a_, b_, alpha_ = _floats(context, builder, signature, args)
        return builder.fma(alpha_, b_, a_)

    return _F64(a, b, alpha), codegen


@intrinsic
def decayed(typingctx, g, theta, wd):
    """One element of ``g.add(θ, alpha=λ)`` if λ ≠ 0 (else g): torch.optim's L2 weight decay.

    g + λ·θ with :func:`add`'s single rounding. (AdamW's and Lion's decoupled decay
    θ ← θ·(1 − α·λ) is a different formula.)
    """
    def codegen(context, builder, signature, args):
        g_, theta_, wd_ = _floats(context, builder, signature, args)
        return builder.select(builder.fcmp_unordered("!=", wd_, _c(0.0)),
                              builder.fma(wd_, theta_, g_), g_)

    return _F64(g, theta, wd), codegen


@intrinsic
def addcmul(typingctx, a, b, c, value):
    """``a.addcmul(b, c, value=value)``: fma(value·b, c, a)."""
    def codegen(context, builder, signature, args):
        a_, b_, c_, value_ = _floats(context, builder, signature, args)
        return builder.fma(builder.fmul(value_, b_), c_, a_)

    return _F64(a, b, c, value), codegen


@intrinsic
def addcdiv(typingctx, a, b, c, value):
    """``a.addcdiv(b, c, value=value)``: a + value·b / c, not fused in ATen."""
    def codegen(context, builder, signature, args):
        a_, b_, c_, value_ = _floats(context, builder, signature, args)
        return builder.fadd(a_, builder.fdiv(builder.fmul(value_, b_), c_))

    return _F64(a, b, c, value), codegen


@intrinsic
def lerp(typingctx, start, end, weight):
    """``torch.lerp``: start + w·(end − start), computed from the nearer end:
    fma(w, end − start, start) if |w| < ½, else fma(−(end − start), 1 − w, end)."""
    def codegen(context, builder, signature, args):
        start_, end_, w = _floats(context, builder, signature, args)
        diff = builder.fsub(end_, start_)
        fabs = builder.module.declare_intrinsic("llvm.fabs", [_DOUBLE])
        near_start = builder.fcmp_ordered("<", builder.call(fabs, [w]), _c(0.5))
        return builder.select(near_start, builder.fma(w, diff, start_),
                              builder.fma(builder.fneg(diff), builder.fsub(_c(1.0), w), end_))

    return _F64(start, end, weight), codegen


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def moments(m, v, g, b1, b2):
    """One element of Adam's two moment estimates: ``m.lerp_(g, 1 − β₁)`` and
    ``v.mul_(β₂).addcmul_(g, g, value=1 − β₂)`` (Adam, AdamW, NAdam, RAdam)."""
    return lerp(m, g, 1.0 - b1), addcmul(v * b2, g, g, 1.0 - b2)


@intrinsic
def sign(typingctx, x):
    """1, −1 or 0 by the sign of x (0 for ±0); NaN for NaN."""
    def codegen(context, builder, signature, args):
        (x_,) = _floats(context, builder, signature, args)
        r = builder.select(builder.fcmp_ordered("==", x_, _c(0.0)), _c(0.0), _c(math.nan))
        r = builder.select(builder.fcmp_ordered("<", x_, _c(0.0)), _c(-1.0), r)
        return builder.select(builder.fcmp_ordered(">", x_, _c(0.0)), _c(1.0), r)

    return _F64(x), codegen


@intrinsic
def maximum(typingctx, a, b):
    """``torch.maximum``: NaN wins, like ATen (a plain max() would hide a NaN)."""
    def codegen(context, builder, signature, args):
        a_, b_ = _floats(context, builder, signature, args)
        larger = builder.select(builder.fcmp_ordered(">", a_, b_), a_, b_)
        return builder.select(builder.fcmp_unordered("uno", a_, b_), _c(math.nan), larger)

    return _F64(a, b), codegen


@njit(cache=True, nogil=True, error_model="numpy")
def one_minus_pow(b, t):
    """1 − bᵗ (a bias correction) as torch computes it, with a shortcut that changes no bit.

    Once t·(1 − b) > 40, bᵗ ≤ e^(−t(1−b)) < 2⁻⁵⁴ and 1 − bᵗ rounds to exactly 1.0; pow
    itself would crawl through subnormal numbers there (3–5× slower per step).
    """
    if t * (1.0 - b) > 40.0:
        return 1.0
    return 1.0 - b**t


@njit(cache=True, nogil=True, error_model="numpy")
def power(b, t):
    """bᵗ for 0 ≤ b < 1; exactly 0.0 once it is below the smallest subnormal (e^−745)."""
    if t * (1.0 - b) > 750.0:
        return 0.0
    return b**t
