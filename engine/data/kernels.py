"""Compiled maths of the dataset problems: a dense network, the loss table, a mini-batch race.

Nothing is specialised per (model, loss, optimizer): the network is described by its layer
sizes, an activation id and a bias flag; the loss by its id (see :mod:`.losses`); the
optimizer by its id (``optimizer_step``). One compiled :func:`advance_dataset` serves
every combination, and :func:`objective_rows` (value and gradient at many θ) serves
everything else — evaluation, the first batch after a reset, loss grids.

The objective, the forward pass and the loss table are compiled once each and called by
address (engine.compile.compiled_call), so each is compiled once, not once more in every caller.

Per sample the network runs forward, keeping each layer's activations, then backward
(plain loops, the weight gradient accumulated in place). The loss of a batch is the mean
of the per-sample losses, plus ``l1·Σ|w| + l2·Σw²`` over the weights.
"""

import math

import numpy as np
from llvmlite import ir as llvm_ir
from numba import njit, types
from numba.extending import intrinsic

from ..compile.compiled_call import CompiledFunction
from ..noise import GOLDEN, mix64
from ..optimizers._common import sign
from ..race.steps import DIVERGED, RUNNING, inside, needs_hessian, reached, record, step_run
from .losses import (
    BCE,
    CAUCHY_SCHWARZ,
    CHEBYSHEV,
    CUBED_HINGE,
    EXPECTATION,
    HINGE,
    L1,
    L2,
    LOG,
    REG_EXPECTATION,
    SQUARED_HINGE,
    SQUARED_LOG,
)
from .models import ACTIVATIONS

# Indexing with an unsigned index skips Numba's negative-index wrap-around, which would
# otherwise make ``theta[w + i]`` opaque to LLVM's vectoriser (w is a runtime offset).
_U = np.uint64

TANH = ACTIVATIONS["tanh"]
RELU = ACTIVATIONS["relu"]

_EPOCH_MUL = np.uint64(0xD1B54A32D192ED03)


# ------------------------------------------------------------------------------ scalars
@intrinsic
def _bits_to_float(typingctx, bits):
    """Reinterpret an int64's bits as a float64 (LLVM bitcast; vectorises)."""
    sig = types.float64(types.int64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], llvm_ir.DoubleType())

    return sig, codegen


@njit(cache=True, nogil=True, error_model="numpy")
def exp(x):
    """e^x without a libm call, so that loops over it vectorise; ≈ 1 ulp.

    Cody–Waite reduction x = k·ln2 + r (|r| ≤ ln2/2, ln2 split in two as in fdlibm),
    e^r by its Taylor series to r¹³ (truncation < 1e-17), 2^k from the exponent bits.
    x is clamped to [−708, 708] (e^±708 is still a normal number); NaN gives NaN.
    """
    xc = min(max(x, -708.0), 708.0)
    k = math.floor(xc * 1.4426950408889634 + 0.5)
    r = (xc - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10
    q = 1.6059043836821613e-10
    q = q * r + 2.08767569878681e-09
    q = q * r + 2.505210838544172e-08
    q = q * r + 2.755731922398589e-07
    q = q * r + 2.7557319223985893e-06
    q = q * r + 2.48015873015873e-05
    q = q * r + 1.984126984126984e-04
    q = q * r + 1.388888888888889e-03
    q = q * r + 8.333333333333333e-03
    q = q * r + 4.1666666666666664e-02
    q = q * r + 1.6666666666666666e-01
    q = q * r + 0.5
    q = q * r + 1.0
    q = q * r + 1.0
    out = q * _bits_to_float((np.int64(k) + 1023) << 52)
    return out if x == x else x


@njit(cache=True, nogil=True, error_model="numpy")
def tanh(x):
    """tanh to ≈ 2 ulp, branch-free so that a layer's activations vectorise.

    |x| ≥ 0.625: ±(1 − 2/(e^{2|x|} + 1)); below: x + x³·P(x²)/Q(x²), the rational
    approximation of Cephes' tanh.c (S. L. Moshier). Both are computed and one is kept.
    """
    z = abs(x)
    big = 1.0 - 2.0 / (exp(2.0 * z) + 1.0)
    big = big if x > 0.0 else -big
    s = x * x
    num = (-9.64399179425052238628e-1 * s - 9.92877231001918586564e1) * s - 1.61468768441708447952e3
    den = ((s + 1.12811678491632931402e2) * s + 2.23548839060100448583e3) * s + 4.84406305325125486048e3
    small = x + x * s * (num / den) if x != 0.0 else x  # (keeps the sign of −0.0)
    return big if z >= 0.625 else small


@njit(cache=True, nogil=True, error_model="numpy")
def sigmoid(x):
    """The logistic function 1 / (1 + e^{−x}), without overflow, branch-free."""
    e = exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0.0 else e / (1.0 + e)


@njit(cache=True, nogil=True, error_model="numpy")
def softplus(x):
    """log(1 + e^x) without overflow."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


# ------------------------------------------------------------------------------- losses
@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def _sigma_loss(lid, z, kz, c, dz, p):
    """A σ-based loss on logits z[0:kz] with class c: value; dL/dz into dz.

    p receives the softmax. One-hot y; ‖y‖ = 1.
    """
    zmax = z[0]
    for j in range(1, kz):
        if z[j] > zmax:
            zmax = z[j]
    tot = 0.0
    for j in range(kz):
        p[j] = math.exp(z[j] - zmax)
        tot += p[j]
    for j in range(kz):
        p[j] /= tot
    logpc = z[c] - zmax - math.log(tot)
    if lid == LOG or lid == BCE:
        for j in range(kz):
            dz[j] = p[j] - (1.0 if j == c else 0.0)
        return -logpc
    if lid == SQUARED_LOG:
        for j in range(kz):
            dz[j] = 2.0 * logpc * ((1.0 if j == c else 0.0) - p[j])
        return logpc * logpc
    if lid == CAUCHY_SCHWARZ:
        ss = 0.0
        for j in range(kz):
            ss += p[j] * p[j]
        for j in range(kz):
            dz[j] = p[j] * p[j] / ss - (1.0 if j == c else 0.0)
        return -logpc + 0.5 * math.log(ss)
    # Losses of p: dz ← dL/dp first, then through the softmax's Jacobian.
    loss = 0.0
    if lid == EXPECTATION:
        for j in range(kz):
            r = p[j] - (1.0 if j == c else 0.0)
            loss += abs(r)
            dz[j] = sign(r)
    elif lid == REG_EXPECTATION:
        for j in range(kz):
            r = p[j] - (1.0 if j == c else 0.0)
            loss += r * r
            dz[j] = 2.0 * r
    elif lid == CHEBYSHEV:
        jmax = 0
        for j in range(kz):
            r = abs(p[j] - (1.0 if j == c else 0.0))
            dz[j] = 0.0
            if r > loss or j == 0:
                loss = r
                jmax = j
        dz[jmax] = sign(p[jmax] - (1.0 if jmax == c else 0.0))
    else:  # TANIMOTO
        ss = 0.0
        for j in range(kz):
            ss += p[j] * p[j]
        s = p[c]
        den = ss + 1.0 - s
        loss = -s / den
        for j in range(kz):
            yj = 1.0 if j == c else 0.0
            dz[j] = -(yj * den - s * (2.0 * p[j] - yj)) / (den * den)
    gp = 0.0
    for j in range(kz):
        gp += dz[j] * p[j]
    for j in range(kz):
        dz[j] = p[j] * (dz[j] - gp)
    return loss


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def _sample_loss(lid, reg, o, k, c, yv, do, p, z, dz):
    """Loss of one sample with outputs o[0:k], class c / target yv; dL/do into do."""
    if lid == L1 or lid == L2:
        loss = 0.0
        for j in range(k):
            if reg:
                t = yv
            elif k == 1:
                t = 2.0 * c - 1.0
            else:
                t = 1.0 if j == c else 0.0
            r = o[j] - t
            if lid == L1:
                loss += abs(r)
                do[j] = sign(r)
            else:
                loss += r * r
                do[j] = 2.0 * r
        return loss
    if lid == HINGE or lid == SQUARED_HINGE or lid == CUBED_HINGE:
        loss = 0.0
        for j in range(k):
            if k == 1:
                yh = 2.0 * c - 1.0
            else:
                yh = 1.0 if j == c else -1.0
            m = 0.5 - yh * o[j]
            if m > 0.0:
                if lid == HINGE:
                    loss += m
                    do[j] = -yh
                elif lid == SQUARED_HINGE:
                    loss += m * m
                    do[j] = -2.0 * m * yh
                else:
                    loss += m * m * m
                    do[j] = -3.0 * m * m * yh
            else:
                do[j] = 0.0
        return loss
    if lid == BCE:
        x = o[0]
        do[0] = sigmoid(x) - c
        return softplus(x) - c * x
    if k == 1:  # one sigmoid output ≡ two-class softmax of the logits (0, o)
        z[0] = 0.0
        z[1] = o[0]
        loss = _sigma_loss(lid, z, k + 1, c, dz, p)  # (k + 1, not a literal 2: one compile)
        do[0] = dz[1]
        return loss
    return _sigma_loss(lid, o, k, c, do, p)


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def chunk_losses(total, lid, reg, K, samples, idx, start, mc, a_o, inv_m, work):
    """``total`` plus the losses of samples idx[start : start+mc], one after the other; each
    sample's dL/do · inv_m into ``work.da`` (the network's outputs are in ``work.acts`` from
    offset a_o, unit-major as :func:`_forward` leaves them)."""
    acts = work.acts
    da = work.da
    o = work.o
    do = work.do
    for s in range(mc):
        n = idx[start + s]
        for j in range(K):
            o[j] = acts[a_o + j * CHUNK + s]
        total += _sample_loss(lid, reg, o, K, samples.cls[n], samples.yr[n], do, work.p, work.z,
                              work.dz)
        for j in range(K):
            da[j * CHUNK + s] = do[j] * inv_m
    return total


# ------------------------------------------------------------------------------ network
# A batch is processed in chunks of CHUNK samples, each layer's values stored unit-major
# with the samples contiguous (``acts[block + j·CHUNK + s]`` is unit j of sample s), so
# every inner loop runs over the samples of the chunk: long, contiguous, vectorised.
# θ holds each layer as nn.Linear does: W (n_out × n_in, row-major), then b.
CHUNK = 256


@njit(cache=True, nogil=True, error_model="numpy", fastmath={"reassoc", "contract"})
def _dot(a, ia, b, ib, m):
    """Σ_s a[ia+s]·b[ib+s]: the only reassociated (tree-summed, vectorised) sums."""
    acc = 0.0
    for s in range(m):
        acc += a[_U(ia + s)] * b[_U(ib + s)]
    return acc


@njit(cache=True, nogil=True, error_model="numpy", fastmath={"reassoc", "contract"})
def _sum(a, ia, m):
    acc = 0.0
    for s in range(m):
        acc += a[_U(ia + s)]
    return acc


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False, fastmath={"contract"})
def _forward(theta, X, idx, start, mc, net, acts):
    """Forward pass of samples idx[start : start+mc] (mc ≤ CHUNK) of network ``net`` into acts.

    Returns the offset of the output block (K × CHUNK).
    """
    sizes = net.sizes
    act = net.act
    bias = net.bias
    d = sizes[0]
    for s in range(mc):
        n = idx[start + s]
        for i in range(d):
            acts[i * CHUNK + s] = X[n, i]
    L = sizes.shape[0] - 1
    off = 0
    a_in = 0
    for layer in range(L):
        nin = sizes[layer]
        nout = sizes[layer + 1]
        a_out = a_in + nin * CHUNK
        boff = off + nin * nout
        for j in range(nout):
            zj = a_out + j * CHUNK
            bj = theta[boff + j] if bias else 0.0
            for s in range(mc):
                acts[_U(zj + s)] = bj
            for i in range(nin):
                w = theta[off + j * nin + i]
                ai = a_in + i * CHUNK
                for s in range(mc):
                    acts[_U(zj + s)] += w * acts[_U(ai + s)]
            if layer < L - 1:
                if act == TANH:
                    for s in range(mc):
                        acts[_U(zj + s)] = tanh(acts[_U(zj + s)])
                elif act == RELU:
                    for s in range(mc):
                        x = acts[_U(zj + s)]
                        acts[_U(zj + s)] = 0.0 if x < 0.0 else x  # NaN stays NaN
                else:
                    for s in range(mc):
                        acts[_U(zj + s)] = sigmoid(acts[_U(zj + s)])
        off = boff + nout if bias else boff
        a_in = a_out
    return a_in


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False, fastmath={"contract"})
def objective(at, theta, samples, idx, start, m, net, lid, l1, l2, want_grad, g, work):
    """Mean loss over samples idx[start : start+m] (+ penalties) at θ; its gradient into g.

    ``at`` holds the addresses of the forward pass and the loss table
    (:func:`objective_addresses`); ``samples`` and ``net`` are the bundles of
    :mod:`.bundles`; the scratch ``work`` comes from the caller (no allocation, no
    reference counting).
    """
    X = samples.X
    sizes = net.sizes
    act = net.act
    bias = net.bias
    reg = net.reg
    wmask = net.wmask
    acts = work.acts
    da = work.da
    db = work.db
    P = theta.shape[0]
    L = sizes.shape[0] - 1
    K = sizes[L]
    if want_grad:
        for i in range(P):
            g[i] = 0.0
    inv_m = 1.0 / m
    total = 0.0
    for c0 in range(0, m, CHUNK):
        mc = m - c0 if m - c0 < CHUNK else CHUNK
        a_o = call_forward(at.forward, theta, X, idx, start + c0, mc, net, acts)
        total = call_chunk_losses(at.losses, total, lid, reg, K, samples, idx, start + c0, mc,
                                  a_o, inv_m, work)
        if not want_grad:
            continue
        cur = da
        nxt = db
        off = P
        a_out = a_o
        for layer in range(L - 1, -1, -1):
            nin = sizes[layer]
            nout = sizes[layer + 1]
            boff = off - nout if bias else off
            woff = boff - nin * nout
            a_in = a_out - nin * CHUNK
            for j in range(nout):
                if bias:
                    g[boff + j] += _sum(cur, j * CHUNK, mc)
                for i in range(nin):
                    g[woff + j * nin + i] += _dot(cur, j * CHUNK, acts, a_in + i * CHUNK, mc)
            if layer > 0:
                for i in range(nin):
                    di = i * CHUNK
                    for s in range(mc):
                        nxt[_U(di + s)] = 0.0
                    for j in range(nout):
                        w = theta[woff + j * nin + i]
                        dj = j * CHUNK
                        for s in range(mc):
                            nxt[_U(di + s)] += w * cur[_U(dj + s)]
                    ai = a_in + i * CHUNK
                    if act == TANH:
                        for s in range(mc):
                            a = acts[_U(ai + s)]
                            nxt[_U(di + s)] *= 1.0 - a * a
                    elif act == RELU:
                        for s in range(mc):
                            nxt[_U(di + s)] *= 1.0 if acts[_U(ai + s)] > 0.0 else 0.0
                    else:
                        for s in range(mc):
                            a = acts[_U(ai + s)]
                            nxt[_U(di + s)] *= a * (1.0 - a)
                tmp = cur
                cur = nxt
                nxt = tmp
            off = woff
            a_out = a_in
    loss = total * inv_m
    if l1 != 0.0 or l2 != 0.0:
        s1 = 0.0
        s2 = 0.0
        for i in range(P):
            if wmask[i] != 0.0:
                w = theta[i]
                s1 += abs(w)
                s2 += w * w
                if want_grad:
                    g[i] += l1 * sign(w) + 2.0 * l2 * w
        loss += l1 * s1 + l2 * s2
    return loss


def _bundle_types() -> dict:
    """The Numba types of what the objective and its parts exchange: the bundles as the
    problem builds them (contiguous arrays of fixed dtypes), a run's θ row, an index."""
    from numba import typeof

    from .bundles import Net, ObjectiveAt, Samples, Work

    return {"at": typeof(ObjectiveAt(0, 0, 0)), "row": types.float64[::1],
            "samples": typeof(Samples(np.empty((0, 1)), np.empty(0), np.empty(0, np.int64))),
            "X": types.float64[:, ::1], "idx": types.int64[::1],
            "net": typeof(Net(np.empty(0, np.int64), 0, False, False, np.empty(0))),
            "work": typeof(Work(*[np.empty(0)] * len(Work._fields)))}


def _objective_types() -> tuple:
    t = _bundle_types()
    i64, f64 = types.int64, types.float64
    return (t["at"], t["row"], t["samples"], t["idx"], i64, i64, t["net"], i64, f64, f64,
            types.boolean, t["row"], t["work"])


def _forward_types() -> tuple:
    t = _bundle_types()
    return (t["row"], t["X"], t["idx"], types.int64, types.int64, t["net"], t["row"])


def _chunk_losses_types() -> tuple:
    t = _bundle_types()
    i64, f64 = types.int64, types.float64
    return (f64, i64, types.boolean, i64, t["samples"], t["idx"], i64, i64, i64, f64, t["work"])


# Each compiled once and called by address (engine.compile.compiled_call): the objective by the
# kernels below (``at.objective``), the forward pass by the objective and forward_rows, the
# loss table by the objective — instead of a copy of each compiled into every caller.
OBJECTIVE = CompiledFunction(objective, types.float64, _objective_types)
FORWARD = CompiledFunction(_forward, types.int64, _forward_types)
CHUNK_LOSSES = CompiledFunction(chunk_losses, types.float64, _chunk_losses_types)
call_objective = OBJECTIVE.call
call_forward = FORWARD.call
call_chunk_losses = CHUNK_LOSSES.call


def objective_addresses():
    """The :class:`~.bundles.ObjectiveAt` the kernels take (compiling or loading all three)."""
    from .bundles import ObjectiveAt

    return ObjectiveAt(OBJECTIVE.address(), FORWARD.address(), CHUNK_LOSSES.address())


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def objective_rows(at, thetas, samples, idx, start, m, net, lid, l1, l2, want_grad,
                   loss_out, grad_out, g, work):
    """:func:`objective` at every row of ``thetas`` (k × P): losses and (optionally) gradients.

    ``at`` is :func:`objective_addresses`; ``g`` (P floats) and ``work`` are
    :func:`objective`'s scratch, from the caller.
    """
    P = thetas.shape[1]
    for r in range(thetas.shape[0]):
        if m == 0:
            loss_out[r] = math.nan
            continue
        loss_out[r] = call_objective(at.objective, at, thetas[r], samples, idx, start, m, net,
                                     lid, l1, l2, want_grad, g, work)
        if want_grad:
            for i in range(P):
                grad_out[r, i] = g[i]


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def forward_rows(forward_at, theta, X, idx, net, out, acts):
    """Raw network outputs o (n × K) for every point of X; ``idx`` = 0 … n−1, ``acts`` scratch.

    ``forward_at`` is ``FORWARD.address()``."""
    K = net.sizes[net.sizes.shape[0] - 1]
    for c0 in range(0, X.shape[0], CHUNK):
        mc = X.shape[0] - c0 if X.shape[0] - c0 < CHUNK else CHUNK
        a_o = call_forward(forward_at, theta, X, idx, c0, mc, net, acts)
        for s in range(mc):
            for j in range(K):
                out[c0 + s, j] = acts[a_o + j * CHUNK + s]


# ------------------------------------------------------------------------------ batches
@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def epoch_permutation(key, epoch, perm):
    """The sample order of ``epoch`` for shuffle ``key`` (uint64): Fisher–Yates, SplitMix64."""
    n = perm.shape[0]
    for i in range(n):
        perm[i] = i
    state = mix64(key ^ (np.uint64(epoch) * _EPOCH_MUL + GOLDEN))
    for i in range(n - 1, 0, -1):
        state += GOLDEN
        j = np.int64(mix64(state) % np.uint64(i + 1))
        tmp = perm[i]
        perm[i] = perm[j]
        perm[j] = tmp


# -------------------------------------------------------------------------------- race
@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def dataset_closure(ctx, x, g):
    """The closure an L-BFGS step calls: the batch loss at x (``ctx`` = the objective's
    addresses, split, order, first, count, net, loss id, l1, l2, work), its gradient into g."""
    at, split, order, s0, cnt, net, lid, l1, l2, work = ctx
    return call_objective(at.objective, at, x, split, order, s0, cnt, net, lid, l1, l2, True,
                          g, work)


@njit(cache=True, nogil=True, error_model="numpy", _nrt=False)
def advance_dataset(steps_at, at, n, runs, hist, box, own, train, test, all_idx, net,
                    perm, g, prev, work, only):
    """Advance every running run of a dataset race by ``n`` mini-batch steps.

    ``steps_at`` is ``step_addresses(runs.opt_id)`` (:mod:`engine.optimizers.dispatch`),
    ``at`` is :func:`objective_addresses`.
    ``runs``/``hist``/``box`` are the race's bundles (:mod:`engine.race.state`), ``own`` the
    problem's per-run :class:`~.bundles.DatasetRuns`, ``train``/``test`` the splits
    (:class:`~.bundles.Samples`), ``all_idx`` = 0, 1, 2, …; ``perm``, ``g``, ``prev`` and
    ``work`` are scratch.

    ``runs.grad[r]`` always holds the gradient for run r's next step: that of its next
    batch at its current θ. A step applies it, moves the run's cursor ``own.seen[r]``
    (samples consumed; epoch = seen // N) past that batch, then computes the next batch's
    loss and gradient at the new θ. Batches: run r takes the next ``own.batch[r]`` indices
    of the epoch's permutation (the last batch of an epoch may be shorter, so every sample
    is seen once per epoch); a batch ``<= 0`` or ``>= N`` is the whole set in natural order
    (GD), whose batch loss is the full training loss for free.

    The full training loss (and the test loss) are computed when ``t % eval_every[r] == 0``
    (and for GD the training loss at every step); at other steps ``loss``/``test_loss``
    keep their last values and the history rows get NaN. A run whose θ, batch loss or
    gradient becomes non-finite, or whose θ leaves the box, is DIVERGED at that step and
    frozen at its last good θ.

    ``only`` < 0 advances every run whose optimizer needs no Hessian; ``only`` = r advances
    run r alone (a Newton run: the problem computes its Hessian between steps, in NumPy).
    """
    N = train.X.shape[0]
    NT = test.X.shape[0]
    P = runs.theta.shape[1]
    for r in range(runs.theta.shape[0]):
        if runs.status[r] != RUNNING:
            continue
        if (r != only) if only >= 0 else needs_hessian(runs, r):
            continue
        lid = own.lid[r]
        l1 = own.l1[r]
        l2 = own.l2[r]
        every = own.eval_every[r]
        key = own.shuffle_key[r]
        B = own.batch[r]
        full = B <= 0 or B >= N
        epoch = own.seen[r] // N
        pos = own.seen[r] - epoch * N
        if not full:
            epoch_permutation(key, epoch, perm)
        th = runs.theta[r]
        for _ in range(n):
            # the closure of an L-BFGS step: this step's batch (all of it for GD)
            ctx = (at, train, all_idx if full else perm, 0 if full else pos,
                   N if full else (B if B < N - pos else N - pos), net, lid, l1, l2, work)
            step = step_run(steps_at, runs, r, g, prev, dataset_closure, ctx)
            if full:
                own.seen[r] += N
            else:
                used = B if B < N - pos else N - pos
                pos += used
                own.seen[r] += used
                if pos >= N:
                    pos = 0
                    epoch += 1
                    epoch_permutation(key, epoch, perm)
            evaluate = step % every == 0
            lb = math.nan
            fl = math.nan
            tl = math.nan
            gn = math.nan
            ok = True
            # One call site for the three evaluations (a smaller kernel to compile):
            # 0 = the next batch, with its gradient (for GD: the full training loss);
            # 1 = the full training loss; 2 = the test loss (no penalties). 1 and 2 only
            # on evaluation steps, and want_grad=False leaves g alone.
            for phase in range(3):
                if phase == 0:
                    if full:
                        split, order, s0, cnt = train, all_idx, 0, N
                    else:
                        split, order, s0, cnt = train, perm, pos, B if B < N - pos else N - pos
                    pl1, pl2, want = l1, l2, True
                elif phase == 1:
                    if full or not (ok and evaluate):
                        continue
                    split, order, s0, cnt = train, all_idx, 0, N
                    pl1, pl2, want = l1, l2, False
                else:
                    if NT == 0 or not (ok and evaluate):
                        continue
                    split, order, s0, cnt = test, all_idx, 0, NT
                    pl1, pl2, want = 0.0, 0.0, False
                value = call_objective(at.objective, at, th, split, order, s0, cnt, net, lid,
                                       pl1, pl2, want, g, work)
                if phase == 0:
                    lb = value
                    gn = 0.0
                    for i in range(P):
                        gn += g[i] * g[i]
                    gn = math.sqrt(gn)
                    ok = math.isfinite(lb) and math.isfinite(gn) and inside(th, box.lo, box.hi)
                    if full:
                        fl = lb
                elif phase == 1:
                    fl = value
                    ok = math.isfinite(fl)
                else:
                    tl = value
            if not ok:
                runs.status[r] = DIVERGED
                runs.diverged_at[r] = step
                for i in range(P):
                    th[i] = prev[i]
                break
            for i in range(P):
                runs.grad[r, i] = g[i]
            runs.gnorm[r] = gn
            if full or evaluate:
                runs.loss[r] = fl
            if evaluate:
                runs.test_loss[r] = tl
            record(hist, r, step, th, fl, gn, tl, runs.evals[r])
            if own.check_min[r] and runs.reached_at[r] < 0:
                mi = reached(th, box.minima, box.tol)
                if mi >= 0:
                    runs.reached_at[r] = step
                    runs.reached_evals[r] = runs.evals[r]
                    runs.reached_which[r] = mi
