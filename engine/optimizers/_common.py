"""Element-wise helpers shared by the optimizer kernels.

They reproduce ATen's CPU formulas for the tensor operations ``torch.optim`` uses, so that
the kernels agree with ``torch.optim`` in float64 bit for bit. On CPUs with FMA, ATen
computes ``a.add(b, alpha=s)``, ``a.addcmul(b, c, value=v)`` and ``lerp`` with one fused
multiply-add (a single rounding); :func:`fma` does the same here. ``addcdiv`` is not fused.

The kernels read each element of θ, g and their state once into a local and write it back
once: torch's tensor operations are element-wise, so one pass per element gives the same
bits as torch's pass per operation, and Numba compiles a local in a fraction of the time of
an array access (the thirteen rules are a first launch's largest compile).
"""

import math

from numba import njit, types
from numba.extending import intrinsic


@intrinsic
def _fma(typingctx, a, b, c):
    sig = types.float64(types.float64, types.float64, types.float64)

    def codegen(context, builder, signature, args):
        return builder.fma(*args)

    return sig, codegen


@njit(cache=True, nogil=True, error_model="numpy")
def fma(a, b, c):
    """a·b + c with a single rounding (llvm.fma)."""
    return _fma(float(a), float(b), float(c))


@njit(cache=True, nogil=True, error_model="numpy")
def add(a, b, alpha):
    """``a.add(b, alpha=alpha)``."""
    return fma(alpha, b, a)


@njit(cache=True, nogil=True, error_model="numpy")
def decayed(g, theta, wd):
    """One element of ``g.add(θ, alpha=λ)`` if λ ≠ 0 (else g): torch.optim's L2 weight decay.

    g + λ·θ with :func:`add`'s single rounding. (AdamW's and Lion's decoupled decay
    θ ← θ·(1 − α·λ) is a different formula.)
    """
    return add(g, theta, wd) if wd != 0.0 else g


@njit(cache=True, nogil=True, error_model="numpy")
def addcmul(a, b, c, value):
    """``a.addcmul(b, c, value=value)``."""
    return fma(value * b, c, a)


@njit(cache=True, nogil=True, error_model="numpy")
def addcdiv(a, b, c, value):
    """``a.addcdiv(b, c, value=value)``: not fused in ATen."""
    return a + value * b / c


@njit(cache=True, nogil=True, error_model="numpy")
def lerp(start, end, weight):
    """``torch.lerp``: start + w·(end − start), computed from the nearer end."""
    if abs(weight) < 0.5:
        return fma(weight, end - start, start)
    return fma(-(end - start), 1.0 - weight, end)


@njit(cache=True, nogil=True, error_model="numpy")
def moments(m, v, g, b1, b2):
    """One element of Adam's two moment estimates: ``m.lerp_(g, 1 − β₁)`` and
    ``v.mul_(β₂).addcmul_(g, g, value=1 − β₂)`` (Adam, AdamW, NAdam, RAdam)."""
    return lerp(m, g, 1.0 - b1), addcmul(v * b2, g, g, 1.0 - b2)


@njit(cache=True, nogil=True, error_model="numpy")
def sign(x):
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return -1.0
    return 0.0 if x == 0.0 else math.nan


@njit(cache=True, nogil=True, error_model="numpy")
def maximum(a, b):
    """``torch.maximum``: NaN wins, like ATen (a plain max() would hide a NaN)."""
    if a != a or b != b:
        return math.nan
    return a if a > b else b


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
