"""torch's Newton–Schulz in bfloat16 (``torch.optim._muon._zeropower_via_newtonschulz``),
reproduced operation by operation as ATen computes it on the CPU (torch 2.13, measured).

torch casts the matrix to bfloat16 and iterates there. What its CPU kernels do with those
bfloat16 tensors (read from ATen's sources, then checked against torch on random matrices
of every shape the app's models have: the same bits on all of them):

- ``x.bfloat16()`` of float64: rounded to float32, then to bfloat16, both to nearest even
  (c10's ``round_to_nearest_even``; a double rounding, as C++'s conversion goes through
  float);
- ``X.norm()``: squares summed in float32, in memory order (the untransposed matrix's), in
  the AVX-512 kernel's 16 lanes over 32-entry chunks, the lanes then added in order and the
  tail one by one; ``sqrt`` in float32; the result rounded to bfloat16;
- ``clamp(min=eps)``, ``div_``: in float32, each result rounded to bfloat16;
- ``A @ B`` and ``torch.addmm(C, A, B, beta=β, alpha=α)`` on matrices with m·n·k ≤ 16³
  (ATen's ``cpublas`` loops; oneDNN takes larger products): products of bfloat16 values are
  exact in float32 and summed in float32, in the order of the loop ATen picks from the
  operands' strides. With both operands contiguous (``gemm_notrans_``) or the second a
  transposed view (``gemm_transb_``) it is ATen's ``sum``: four partial sums (entry l to
  sum l mod 4, a tail to sum 0, then added in order). With the first operand, in ATen's
  column-major view, a transposed one (``gemm_transa_``: X Xᵀ of a contiguous X, and the
  first iteration's product with a transposed X) it is ``bf16_dot_with_fp32_arith``: 8
  registers of 16 lanes over 128-entry blocks, folded register by register and then lane
  by lane (AVX-512's ``vec_reduce_all``: lane i + lane i^8, ^4, ^2, ^1), then 16 lanes over
  32-entry chunks, then the rest one by one. The dot then gives ``fma(β, C, α·dot)`` in
  float32 (GCC contracts ATen's ``beta*c + alpha*dot``) and one rounding to bfloat16; β and
  α are float32 (ATen's opmath type); β = 0 skips C.

Compiled (``newton_schulz``, for the race kernels: it allocates nothing, working in the
caller's scratch) and in NumPy (``newton_schulz_np``, for the step-by-step walk), the same
arithmetic; both give torch's bits on random matrices of every shape tried within 16³
(tests/engine/test_torch_parity.py). Larger products go through oneDNN in torch, whose
blocking is not reproduced here (see :mod:`.muon` for the measured difference).
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic
from numba.np.arrayobj import populate_array

_F32 = types.float32
_FLOAT = ir.FloatType()
_I32 = ir.IntType(32)

LANES, CHUNK = 16, 32  # the AVX-512 norm kernel: 16 float32 lanes, 32 bfloat16 a load


@intrinsic
def bf16(typingctx, x):
    """float32 → the nearest bfloat16 (ties to even), as float32; NaN stays NaN."""
    def codegen(context, builder, signature, args):
        (value,) = args
        if signature.args[0] != _F32:
            value = context.cast(builder, value, signature.args[0], _F32)
        bits = builder.bitcast(value, _I32)
        lsb = builder.and_(builder.lshr(bits, ir.Constant(_I32, 16)), ir.Constant(_I32, 1))
        rounded = builder.add(builder.add(bits, ir.Constant(_I32, 0x7FFF)), lsb)
        masked = builder.and_(rounded, ir.Constant(_I32, 0xFFFF0000 - (1 << 32)))
        out = builder.bitcast(masked, _FLOAT)
        is_nan = builder.fcmp_unordered("uno", value, value)
        return builder.select(is_nan, ir.Constant(_FLOAT, math.nan), out)

    return _F32(x), codegen


@intrinsic
def fma32(typingctx, a, b, c):
    """a·b + c in float32 with one rounding."""
    def codegen(context, builder, signature, args):
        values = [context.cast(builder, v, t, _F32) for v, t in zip(args, signature.args,
                                                                       strict=True)]
        return builder.fma(*values)

    return _F32(a, b, c), codegen


@intrinsic
def f32(typingctx, x):
    """A number rounded to float32 (nearest even). A float32 sum, product, quotient or
    square root computed in float64 and rounded so is the correctly rounded float32 result
    (53 ≥ 2·24 + 2)."""
    def codegen(context, builder, signature, args):
        return context.cast(builder, args[0], signature.args[0], _F32)

    return _F32(x), codegen


@intrinsic
def float32_view(typingctx, arr, start, count):
    """The float64 entries ``arr[start:start + count]`` seen as 2·count float32 slots: a
    view, owned by the caller (scratch memory for a kernel that runs without Numba's
    reference-counting runtime, and so cannot allocate)."""
    aryty = types.Array(_F32, 1, "C")
    sig = aryty(arr, types.intp, types.intp)

    def codegen(context, builder, signature, args):
        src = context.make_array(signature.args[0])(context, builder, args[0])
        first = context.cast(builder, args[1], signature.args[1], types.intp)
        n = context.cast(builder, args[2], signature.args[2], types.intp)
        data = builder.bitcast(builder.gep(src.data, [first]), _FLOAT.as_pointer())
        itemsize = context.get_constant(types.intp, 4)
        ary = context.make_array(aryty)(context, builder)
        populate_array(ary, data=data, shape=[builder.mul(n, context.get_constant(types.intp, 2))],
                       strides=[itemsize], itemsize=itemsize, meminfo=None)
        return ary._getvalue()

    return sig, codegen


@intrinsic
def _s(typingctx, x, y):
    """x + y in float32 (one rounding)."""
    def codegen(context, builder, signature, args):
        a, b = (context.cast(builder, v, t, _F32) for v, t in zip(args, signature.args,
                                                                    strict=True))
        return builder.fadd(a, b)

    return _F32(x, y), codegen


REGISTERS = 8  # bf16_dot_with_fp32_arith: 8 registers of 16 lanes, 128 entries a block
BLOCK = REGISTERS * LANES


@intrinsic
def _lane_buffer(typingctx):
    """BLOCK + LANES float32 slots on the caller's stack (allocated once, in its entry
    block): the vector registers the kernels emulated here accumulate in."""
    aryty = types.Array(_F32, 1, "C")

    def codegen(context, builder, signature, args):
        size = BLOCK + LANES
        data = cgutils.alloca_once(builder, _FLOAT, size=size)
        itemsize = context.get_constant(types.intp, 4)
        ary = context.make_array(aryty)(context, builder)
        populate_array(ary, data=data, shape=[context.get_constant(types.intp, size)],
                       strides=[itemsize], itemsize=itemsize, meminfo=None)
        return ary._getvalue()

    return aryty(), codegen


@njit(cache=True, nogil=True, error_model="numpy")
def _norm(x, n, lanes):
    """bfloat16 ‖x[:n]‖ of bfloat16 values (memory order), as ATen's AVX-512 kernel: lane j
    sums x[d + j]² and x[d + 16 + j]² over the 32-entry chunks; the lanes are added in
    order, then the tail one by one."""
    body = n - n % CHUNK
    for j in range(LANES):
        lanes[j] = 0.0
    for d in range(0, body, CHUNK):
        for j in range(LANES):
            lo, hi = float(x[d + j]), float(x[d + LANES + j])
            lanes[j] = f32(float(lanes[j]) + lo * lo)
            lanes[j] = f32(float(lanes[j]) + hi * hi)
    s = lanes[0]
    for j in range(1, LANES):
        s = _s(s, lanes[j])
    for d in range(body, n):
        v = float(x[d])
        s = f32(float(s) + v * v)
    return bf16(f32(math.sqrt(float(s))))


@njit(cache=True, nogil=True, error_model="numpy")
def _dot(a, a_start, a_step, b, b_start, b_step, n):
    """ATen's ``sum``: Σ a[a_start + l·a_step]·b[b_start + l·b_step], l < n, in float32
    with four partial sums (the products of bfloat16 values are exact)."""
    p0 = p1 = p2 = p3 = np.float32(0.0)
    i, j = a_start, b_start
    l = 0
    while l + 4 <= n:
        p0 = f32(float(p0) + float(a[i]) * float(b[j]))
        p1 = f32(float(p1) + float(a[i + a_step]) * float(b[j + b_step]))
        p2 = f32(float(p2) + float(a[i + 2 * a_step]) * float(b[j + 2 * b_step]))
        p3 = f32(float(p3) + float(a[i + 3 * a_step]) * float(b[j + 3 * b_step]))
        i += 4 * a_step
        j += 4 * b_step
        l += 4
    while l < n:
        p0 = f32(float(p0) + float(a[i]) * float(b[j]))
        i += a_step
        j += b_step
        l += 1
    return _s(_s(_s(p0, p1), p2), p3)


@njit(cache=True, nogil=True, error_model="numpy")
def _fold16(r, at):
    """AVX-512's vec_reduce_all(+) of the 16 lanes r[at:at + 16]: lane i + lane i + 8, then
    + 4, + 2, + 1 (in place); lane 0's sum."""
    half = LANES // 2
    while half > 0:
        for i in range(half):
            r[at + i] = _s(r[at + i], r[at + i + half])
        half //= 2
    return r[at]


@njit(cache=True, nogil=True, error_model="numpy")
def _dot_fp32(a, a_start, a_step, b, b_start, b_step, n, r):
    """ATen's bf16_dot_with_fp32_arith (its gemm_transa_), AVX-512: register q, lane j holds
    entry 16·q + j of each 128-entry block (r[16·q + j]); the registers are folded q + 4,
    + 2, + 1, then the lanes (:func:`_fold16`); then 16 lanes over 32-entry chunks (entry j,
    then 16 + j: r[BLOCK + j]), folded; then the rest one by one."""
    main = n - n % BLOCK
    vec_end = n - n % CHUNK
    s = np.float32(0.0)
    if main > 0:
        for e in range(BLOCK):
            r[e] = 0.0
        for c in range(0, main, BLOCK):
            for e in range(BLOCK):
                k = c + e
                r[e] = f32(float(r[e]) + float(a[a_start + k * a_step]) * float(b[b_start + k * b_step]))
        q = REGISTERS // 2
        while q > 0:
            for i in range(q * LANES):
                r[i] = _s(r[i], r[i + q * LANES])
            q //= 2
        s = _fold16(r, 0)
    if vec_end > main:
        for j in range(LANES):
            r[BLOCK + j] = 0.0
        for c in range(main, vec_end, CHUNK):
            for e in range(CHUNK):
                k = c + e
                j = BLOCK + e % LANES
                r[j] = f32(float(r[j]) + float(a[a_start + k * a_step]) * float(b[b_start + k * b_step]))
        s = _s(s, _fold16(r, BLOCK))
    for l in range(vec_end, n):
        s = f32(float(s) + float(a[a_start + l * a_step]) * float(b[b_start + l * b_step]))
    return s


@njit(cache=True, nogil=True, error_model="numpy")
def newton_schulz(u, out, start, m, n, a, b, c, steps, eps):
    """torch's ``_zeropower_via_newtonschulz`` of the m × n matrix (row-major, float64) at
    ``u[start:start + m·n]``; the result (bfloat16 values) is written to
    ``out[start:start + m·n]``, row-major m × n. Both ranges are the kernel's scratch: ``u``'s
    is overwritten, and they serve as float32 work space (2·m·n slots each)."""
    size = m * n
    work = float32_view(u, start, size)  # x and y, size slots each
    side = float32_view(out, start, size)  # gram and upd, k² ≤ size slots each
    for i in range(size):  # slot i overlays u's entry i // 2 ≤ i, already read
        work[i] = bf16(f32(u[start + i]))
    lanes = _lane_buffer()
    norm = _norm(work, size, lanes)
    floor = bf16(f32(eps))
    if norm < floor:  # clamp(min=eps); NaN stays NaN
        norm = floor
    for i in range(size):
        work[i] = bf16(f32(float(work[i]) / float(norm)))
    tall = m > n  # torch works on the transpose, k ≤ l
    k, l = (n, m) if tall else (m, n)
    x, y = 0, size  # offsets in work of X and of the next X
    if tall:
        for i in range(k):
            for j in range(l):
                work[size + i * l + j] = work[j * n + i]
        x, y = size, 0
    gram, upd = 0, k * k  # offsets in side
    a32, b32, c32 = f32(a), f32(b), f32(c)
    one = np.float32(1.0)
    zero = np.float32(0.0)
    for it in range(int(steps)):
        viewed = tall and it == 0  # torch's X is still x0's transpose, a strided view
        for op in range(3):  # one product a pass (one call site each: a smaller compile)
            if op == 0:  # gram = X Xᵀ: ATen's gemm_transa_ (gemm_transb_ on X a view)
                left, lo, li, right, ro, rq, rj = work, x + 0, l, work, x + 0, 1, l
                dest, do, dj, nj, nq = side, gram + 0, k, k, l
                beta, alpha, fp32_dot = zero, one, not viewed
            elif op == 1:  # upd = addmm(gram, gram, gram, beta=b, alpha=c): gemm_notrans_
                left, lo, li, right, ro, rq, rj = side, gram + 0, k, side, gram + 0, k, 1
                dest, do, dj, nj, nq = side, upd + 0, k, k, k
                beta, alpha, fp32_dot = b32, c32, False
            else:  # X = addmm(X, upd, X, beta=a): gemm_transa_ on X a view
                left, lo, li, right, ro, rq, rj = side, upd + 0, k, work, x + 0, l, 1
                dest, do, dj, nj, nq = work, y + 0, l, l, k
                beta, alpha, fp32_dot = a32, one, viewed
            source = dest if op != 2 else work  # C: gram (op 1), X (op 2)
            so = gram if op == 1 else x
            for i in range(k):
                for j in range(nj):
                    if fp32_dot:
                        dot = _dot_fp32(left, lo + i * li, 1, right, ro + j * rj, rq, nq, lanes)
                    else:
                        dot = _dot(left, lo + i * li, 1, right, ro + j * rj, rq, nq)
                    dot = f32(float(alpha) * float(dot))
                    if beta != 0.0:
                        dot = fma32(beta, source[so + i * dj + j], dot)
                    dest[do + i * dj + j] = bf16(dot)
        x, y = y, x
    for i in range(k):  # side's slots are free now: out's entries hold the result
        for j in range(l):
            out[start + (j * n + i if tall else i * l + j)] = work[x + i * l + j]


# ---------------------------------------------------------------- NumPy (walks)
def bf16_np(x) -> np.ndarray:
    """float32 values → the nearest bfloat16 values (ties to even), as float32."""
    x = np.asarray(x, dtype=np.float32)
    bits = x.view(np.uint32).astype(np.uint64)
    bits = ((bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000).astype(np.uint32)
    return np.where(np.isnan(x), np.float32(np.nan), bits.view(np.float32))


def fma32_np(a, b, c) -> np.ndarray:
    """a·b + c in float32 with one rounding (a·b exact in float64; the sum's float64 rounding
    error found by TwoSum decides a float32 tie)."""
    a, b, c = (np.asarray(v, dtype=np.float32).astype(np.float64) for v in (a, b, c))
    p = a * b
    s = p + c
    bb = s - p
    err = (p - (s - bb)) + (c - bb)
    r = s.astype(np.float32)
    toward = np.nextafter(r, np.where(s > r, np.float32(np.inf), np.float32(-np.inf)))
    tie = (r.astype(np.float64) + toward.astype(np.float64)) / 2 == s
    beyond = np.sign(err) == np.sign(toward.astype(np.float64) - r.astype(np.float64))
    return np.where(tie & (err != 0) & beyond, toward, r)


def _dot_np(products) -> np.ndarray:
    """ATen's four-partial-sum float32 ``sum`` over the last axis of exact products."""
    n = products.shape[-1]
    parts = np.zeros((4,) + products.shape[:-1], np.float32)
    body = n - n % 4
    for q in range(n):
        k = q % 4 if q < body else 0
        parts[k] = (parts[k].astype(np.float64) + products[..., q]).astype(np.float32)
    s = parts[0]
    for k in range(1, 4):
        s = (s.astype(np.float64) + parts[k]).astype(np.float32)
    return s


def _norm_np(x) -> np.float32:
    x = x.astype(np.float64)
    lanes = np.zeros(LANES, np.float32)
    body = x.size - x.size % CHUNK
    for d in range(0, body, CHUNK):
        for half in (x[d:d + LANES], x[d + LANES:d + CHUNK]):
            lanes = (lanes.astype(np.float64) + half * half).astype(np.float32)
    s = lanes[0]
    for v in lanes[1:]:
        s = np.float32(float(s) + float(v))
    for v in x[body:]:
        s = np.float32(float(s) + v * v)
    return bf16_np(np.float32(math.sqrt(float(s))))[()]


def _add32(x, y):
    return (np.asarray(x, np.float32).astype(np.float64) + y).astype(np.float32)


def _tree16(lanes):
    """vec_reduce_all(+) of 16 lanes (last axis): lane i + lane i^8, then ^4, ^2, ^1."""
    for half in (8, 4, 2, 1):
        idx = np.arange(16) ^ half
        lanes = _add32(lanes, lanes[..., idx].astype(np.float64))
    return lanes[..., 0]


def _dot_fp32_np(products) -> np.ndarray:
    """ATen's bf16_dot_with_fp32_arith over the last axis (see :func:`_dot_fp32`)."""
    n = products.shape[-1]
    main, vec_end = n - n % 128, n - n % 32
    lead = products.shape[:-1]
    s = np.zeros(lead, np.float32)
    if main:
        regs = np.zeros(lead + (8, 16), np.float32)
        for c in range(0, main, 128):
            block = products[..., c:c + 128].reshape(lead + (8, 16))
            regs = _add32(regs, block)
        for off in (4, 2, 1):
            regs = _add32(regs[..., :off, :], regs[..., off:2 * off, :].astype(np.float64))
        s = _tree16(regs[..., 0, :])
    if vec_end > main:
        tail = np.zeros(lead + (16,), np.float32)
        for c in range(main, vec_end, 32):
            tail = _add32(tail, products[..., c:c + 16])
            tail = _add32(tail, products[..., c + 16:c + 32])
        s = _add32(s, _tree16(tail).astype(np.float64))
    for q in range(vec_end, n):
        s = _add32(s, products[..., q])
    return s


def _addmm_np(c_mat, lhs, rhs, beta, alpha, fp32_dot=False) -> np.ndarray:
    """bfloat16 ``torch.addmm(c, lhs, rhs, beta=β, alpha=α)`` on small matrices; the dot
    products as ATen's gemm_transa_ (``fp32_dot``) or its other gemm loops."""
    products = lhs.astype(np.float64)[:, None, :] * rhs.astype(np.float64).T[None, :, :]
    dot = _dot_fp32_np(products) if fp32_dot else _dot_np(products)
    beta32, alpha32 = np.float32(beta), np.float32(alpha)
    if alpha32 != 1.0:
        dot = (alpha32.astype(np.float64) * dot).astype(np.float32)
    if beta32 == 0.0:
        return bf16_np(dot)
    return bf16_np(fma32_np(beta32, c_mat, dot))


def newton_schulz_np(u, eps: float, a: float, b: float, c: float, steps: int) -> np.ndarray:
    """NumPy twin of :func:`newton_schulz` on the matrix ``u`` (float64, any m × n)."""
    with np.errstate(all="ignore"):
        return _newton_schulz_np(np.asarray(u, dtype=np.float64), eps, a, b, c, steps)


def _newton_schulz_np(u, eps, a, b, c, steps):
    x = bf16_np(u.astype(np.float32))
    norm = _norm_np(x.ravel())
    floor = bf16_np(np.float32(eps))[()]
    if norm < floor:
        norm = floor
    x = bf16_np((x.astype(np.float64) / float(norm)).astype(np.float32))
    tall = u.shape[0] > u.shape[1]
    if tall:
        x = x.T
    for it in range(int(steps)):
        viewed = tall and it == 0  # torch's X is still a transposed view
        gram = _addmm_np(None, x, x.T, 0.0, 1.0, fp32_dot=not viewed)
        upd = _addmm_np(gram, gram, gram, b, c)
        x = _addmm_np(x, upd, x, a, 1.0, fp32_dot=viewed)
    return (x.T if tall else x).astype(np.float64)
