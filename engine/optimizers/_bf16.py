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


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def f32(x):
    """A float64 rounded to float32. A float32 sum, product, quotient or square root computed
    in float64 and rounded so is the correctly rounded float32 result (53 ≥ 2·24 + 2)."""
    return np.float32(x)


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


@njit(cache=True, nogil=True, error_model="numpy")
def _norm(x, n):
    """bfloat16 ‖x[:n]‖ of bfloat16 values (memory order), as ATen's AVX-512 kernel: lane j
    sums x[d + j]² and x[d + 16 + j]² over the 32-entry chunks; the lanes are added in order,
    then the tail one by one. (Each lane is summed whole before the next is added: the
    same operations.)"""
    body = n - n % CHUNK
    s = np.float32(0.0)
    for j in range(LANES):
        lane = np.float32(0.0)
        for d in range(0, body, CHUNK):
            lo, hi = float(x[d + j]), float(x[d + LANES + j])
            lane = f32(float(lane) + lo * lo)
            lane = f32(float(lane) + hi * hi)
        s = lane if j == 0 else f32(float(s) + float(lane))
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
    return f32(float(f32(float(f32(float(p0) + float(p1))) + float(p2))) + float(p3))


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _s(x, y):
    return f32(float(x) + float(y))


@njit(cache=True, nogil=True, error_model="numpy")
def _lane(a, ai, astep, b, bi, bstep, first, stop, offset):
    """One float32 lane: Σ a·b over entries first + offset, first + offset + 128, … < stop
    (products exact, added in order)."""
    s = np.float32(0.0)
    for e in range(first + offset, stop, 128):
        s = f32(float(s) + float(a[ai + e * astep]) * float(b[bi + e * bstep]))
    return s


@njit(cache=True, nogil=True, error_model="numpy")
def _main_lane(a, ai, astep, b, bi, bstep, stop, j):
    """Lane j of the 8 accumulating registers folded as ATen's reduce(): x_r + x_(r+4), then
    + 2, then + 1 (register r holds entries 32·(r//2) + 16·(r%2) + j of each 128)."""
    r0 = _lane(a, ai, astep, b, bi, bstep, 0, stop, j)
    r1 = _lane(a, ai, astep, b, bi, bstep, 0, stop, 16 + j)
    r2 = _lane(a, ai, astep, b, bi, bstep, 0, stop, 32 + j)
    r3 = _lane(a, ai, astep, b, bi, bstep, 0, stop, 48 + j)
    r4 = _lane(a, ai, astep, b, bi, bstep, 0, stop, 64 + j)
    r5 = _lane(a, ai, astep, b, bi, bstep, 0, stop, 80 + j)
    r6 = _lane(a, ai, astep, b, bi, bstep, 0, stop, 96 + j)
    r7 = _lane(a, ai, astep, b, bi, bstep, 0, stop, 112 + j)
    return _s(_s(_s(r0, r4), _s(r2, r6)), _s(_s(r1, r5), _s(r3, r7)))


@njit(cache=True, nogil=True, error_model="numpy")
def _tail_lane(a, ai, astep, b, bi, bstep, first, stop, j):
    """Lane j of the 32-entry tail chunks: entry j, then entry 16 + j of each chunk."""
    s = np.float32(0.0)
    for c in range(first, stop, 32):
        s = f32(float(s) + float(a[ai + (c + j) * astep]) * float(b[bi + (c + j) * bstep]))
        s = f32(float(s) + float(a[ai + (c + 16 + j) * astep]) * float(b[bi + (c + 16 + j) * bstep]))
    return s


@njit(cache=True, nogil=True, error_model="numpy")
def _lanes_reduced(a, ai, astep, b, bi, bstep, first, stop, main):
    """ATen's AVX-512 vec_reduce_all(+) of 16 lanes: lane i + lane i^8, then ^4, ^2, ^1."""
    w = np.float32(0.0)
    halves = np.float32(0.0)
    for h in range(2):  # lanes with bit 0 = h
        quarter = np.float32(0.0)
        for q in range(2):  # bit 1
            pair = np.float32(0.0)
            for p in range(2):  # bit 2
                i = h + 2 * q + 4 * p
                if main:
                    lo = _main_lane(a, ai, astep, b, bi, bstep, stop, i)
                    hi = _main_lane(a, ai, astep, b, bi, bstep, stop, i + 8)
                else:
                    lo = _tail_lane(a, ai, astep, b, bi, bstep, first, stop, i)
                    hi = _tail_lane(a, ai, astep, b, bi, bstep, first, stop, i + 8)
                v = _s(lo, hi)
                pair = v if p == 0 else _s(pair, v)
            quarter = pair if q == 0 else _s(quarter, pair)
        halves = quarter if h == 0 else _s(halves, quarter)
    w = halves
    return w


@njit(cache=True, nogil=True, error_model="numpy")
def _dot_fp32(a, a_start, a_step, b, b_start, b_step, n):
    """ATen's bf16_dot_with_fp32_arith (its gemm_transa_, AVX-512): 8 registers of 16 float32
    lanes over 128-entry blocks, folded; then 16 lanes over 32-entry chunks; then the rest
    one by one."""
    main = n - n % 128
    vec_end = n - n % 32
    s = np.float32(0.0)
    if main > 0:
        s = _lanes_reduced(a, a_start, a_step, b, b_start, b_step, 0, main, True)
    if vec_end > main:
        s = _s(s, _lanes_reduced(a, a_start, a_step, b, b_start, b_step, main, vec_end, False))
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
    norm = _norm(work, size)
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
    for it in range(int(steps)):
        viewed = tall and it == 0  # torch's X is still x0's transpose, a strided view
        for i in range(k):  # gram = X Xᵀ: ATen's gemm_transa_ (gemm_transb_ on X a view)
            for j in range(k):
                if viewed:
                    dot = _dot(work, x + i * l, 1, work, x + j * l, 1, l)
                else:
                    dot = _dot_fp32(work, x + i * l, 1, work, x + j * l, 1, l)
                side[gram + i * k + j] = bf16(dot)
        for i in range(k):  # upd = addmm(gram, gram, gram, beta=b, alpha=c)
            for j in range(k):
                dot = f32(float(c32) * float(_dot(side, gram + i * k, 1, side, gram + j, k, k)))
                side[upd + i * k + j] = bf16(
                    dot if b32 == 0.0 else fma32(b32, side[gram + i * k + j], dot))
        for i in range(k):  # X = addmm(X, upd, X, beta=a): gemm_transa_ on X a view
            for j in range(l):
                if viewed:
                    dot = _dot_fp32(side, upd + i * k, 1, work, x + j, l, k)
                else:
                    dot = _dot(side, upd + i * k, 1, work, x + j, l, k)
                work[y + i * l + j] = bf16(
                    dot if a32 == 0.0 else fma32(a32, work[x + i * l + j], dot))
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
