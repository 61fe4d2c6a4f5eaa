"""The exact Hessian of a dataset problem's training objective (NumPy, at most 64 parameters).

Forward-mode directional derivatives of the exact gradient, all P directions at once: the
gradient of :func:`engine.data.kernels.objective` (forward pass, loss table, back-propagation,
penalties) is written once more over :class:`_Dual` numbers — a value and its P tangents
∂/∂θᵢ — so the tangents of the gradient are the Hessian's rows, exact up to rounding (no
step size, no truncation). The maths follows the kernels: the same activations, the same
per-sample losses and their branches (the hinge's kink, Chebyshev's largest residual, abs and
the lasso penalty take the derivative of the branch the kernel takes: their second derivative
is 0 away from the kink).

The cost grows as P² × samples × width, so it is offered up to :data:`MAX_HESSIAN_PARAMS`
parameters; beyond that :func:`dataset_hessian` refuses with a message naming P.
"""

from __future__ import annotations

import numpy as np

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

MAX_HESSIAN_PARAMS = 64
_CHUNK = 2048  # samples per pass: tangents are P × chunk × width floats

TANH = ACTIVATIONS["tanh"]
RELU = ACTIVATIONS["relu"]


class _Dual:
    """A value array ``v`` (shape S) and its tangents ``t`` (shape (P,) + S)."""

    __slots__ = ("t", "v")
    __array_ufunc__ = None  # ndarray ∘ dual defers to the dual's reflected operator

    def __init__(self, v, t):
        self.v = v
        self.t = t

    @staticmethod
    def const(v, P):
        v = np.asarray(v, dtype=float)
        return _Dual(v, np.zeros((P, *v.shape)))

    def __add__(self, o):
        if isinstance(o, _Dual):
            return _Dual(self.v + o.v, self.t + o.t)
        return _Dual(self.v + o, self.t)

    __radd__ = __add__

    def __neg__(self):
        return _Dual(-self.v, -self.t)

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o

    def __mul__(self, o):
        if isinstance(o, _Dual):
            return _Dual(self.v * o.v, self.t * o.v + self.v * o.t)
        return _Dual(self.v * o, self.t * o)

    __rmul__ = __mul__

    def __truediv__(self, o):
        if isinstance(o, _Dual):
            q = self.v / o.v
            return _Dual(q, (self.t - q * o.t) / o.v)
        return _Dual(self.v / o, self.t / o)

    def __getitem__(self, k):
        k = k if isinstance(k, tuple) else (k,)
        return _Dual(self.v[k], self.t[(slice(None), *k)])

    def apply(self, v, d):
        """φ(self) with value v = φ(self.v) and φ′ = d."""
        return _Dual(v, self.t * d)

    def sum(self, axis):
        return _Dual(self.v.sum(axis=axis), self.t.sum(axis=axis + 1 if axis >= 0 else axis))

    def col(self, j):
        return _Dual(self.v[:, j:j + 1], self.t[:, :, j:j + 1])


def _exp(a):
    v = np.exp(a.v)
    return a.apply(v, v)


def _log(a):
    return a.apply(np.log(a.v), 1.0 / a.v)


def _sigmoid(a):
    v = 1.0 / (1.0 + np.exp(-a.v))
    return a.apply(v, v * (1.0 - v))


def _where(mask, a, b):
    return _Dual(np.where(mask, a.v, b.v), np.where(mask, a.t, b.t))


def _matmul(a, b):
    """a @ b for duals of 2-D arrays."""
    return _Dual(a.v @ b.v, a.t @ b.v + a.v @ b.t)


def _T(a):
    return _Dual(a.v.T, a.t.transpose(0, 2, 1))


def _softmax_grad(lid, z, c, P):
    """dL/dz for a σ-based loss on the logits z (N × kz): the kernels' ``_sigma_loss``."""
    N, kz = z.v.shape
    Y = np.zeros((N, kz))
    Y[np.arange(N), c] = 1.0
    zmax = z.v.max(axis=1, keepdims=True)  # a shift: the softmax does not depend on it
    e = _exp(z - zmax)
    tot = e.sum(1)
    p = e / _Dual(tot.v[:, None], tot.t[:, :, None])
    if lid in (LOG, BCE):
        return p - Y
    if lid == SQUARED_LOG:
        zc = z[np.arange(N), c]
        logpc = zc - zmax[:, 0] - _log(tot)
        return _Dual(logpc.v[:, None], logpc.t[:, :, None]) * (Y - p) * 2.0
    pp = p * p
    ss = pp.sum(1)
    ss_ = _Dual(ss.v[:, None], ss.t[:, :, None])
    if lid == CAUCHY_SCHWARZ:
        return pp / ss_ - Y
    r = p - Y
    if lid == EXPECTATION:
        dp = _Dual.const(np.sign(r.v), P)
    elif lid == REG_EXPECTATION:
        dp = r * 2.0
    elif lid == CHEBYSHEV:
        jmax = np.argmax(np.abs(r.v), axis=1)
        d = np.zeros((N, kz))
        d[np.arange(N), jmax] = np.sign(r.v[np.arange(N), jmax])
        dp = _Dual.const(d, P)
    else:  # TANIMOTO
        s = p[np.arange(N), c]
        s_ = _Dual(s.v[:, None], s.t[:, :, None])
        den = ss_ + 1.0 - s_
        dp = -(den * Y - s_ * (p * 2.0 - Y)) / (den * den)
    gp = (dp * p).sum(1)
    return p * (dp - _Dual(gp.v[:, None], gp.t[:, :, None]))


def _output_grad(lid, reg, o, cls, yr, P):
    """dL/do per sample (N × K): the kernels' ``_sample_loss``."""
    N, K = o.v.shape
    if lid in (L1, L2):
        if reg:
            target = np.repeat(yr[:, None], K, axis=1)
        elif K == 1:
            target = (2.0 * cls - 1.0)[:, None]
        else:
            target = np.zeros((N, K))
            target[np.arange(N), cls] = 1.0
        r = o - target
        return _Dual.const(np.sign(r.v), P) if lid == L1 else r * 2.0
    if lid in (HINGE, SQUARED_HINGE, CUBED_HINGE):
        if K == 1:
            yh = (2.0 * cls - 1.0)[:, None]
        else:
            yh = -np.ones((N, K))
            yh[np.arange(N), cls] = 1.0
        m = 0.5 - o * yh
        if lid == HINGE:
            d = _Dual.const(-yh * np.ones((N, K)), P)
        elif lid == SQUARED_HINGE:
            d = m * (-2.0 * yh)
        else:
            d = m * m * (-3.0 * yh)
        return _where(m.v > 0.0, d, _Dual.const(np.zeros((N, K)), P))
    if lid == BCE:
        return _sigmoid(o) - cls[:, None].astype(float)
    if K == 1:  # one sigmoid output: the two-class softmax of the logits (0, o)
        z = _Dual(np.concatenate([np.zeros((N, 1)), o.v], axis=1),
                  np.concatenate([np.zeros((P, N, 1)), o.t], axis=2))
        return _softmax_grad(lid, z, cls, P).col(1)
    return _softmax_grad(lid, o, cls, P)


def _activation(act, z):
    if act == TANH:
        v = np.tanh(z.v)
        return z.apply(v, 1.0 - v * v)
    if act == RELU:
        return z.apply(np.where(z.v < 0.0, 0.0, z.v), np.where(z.v > 0.0, 1.0, 0.0))
    return _sigmoid(z)


def _activation_slope(act, a):
    """φ′ from the activation's output a, as the kernel's back-propagation computes it."""
    if act == TANH:
        return 1.0 - a * a
    if act == RELU:
        return _Dual.const(np.where(a.v > 0.0, 1.0, 0.0), a.t.shape[0])
    return a * (1.0 - a)


def gradient_dual(theta, net, layers, X, cls, yr, lid, l1, l2):
    """The objective's gradient at θ with its tangents: a :class:`_Dual` of shape (P,)
    whose ``t`` is the Hessian (row i: ∂∇L/∂θᵢ)."""
    theta = np.asarray(theta, dtype=float)
    P = theta.size
    seed = np.eye(P)
    params = []
    for layer in layers:
        ws = layer.w_slice
        W = _Dual(theta[ws].reshape(layer.n_out, layer.n_in),
                  seed[:, ws].reshape(P, layer.n_out, layer.n_in))
        b = None
        if layer.b_slice is not None:
            b = _Dual(theta[layer.b_slice], seed[:, layer.b_slice])
        params.append((W, b))
    g = _Dual(np.zeros(P), np.zeros((P, P)))
    N = X.shape[0]
    act = int(net.act)
    for c0 in range(0, N, _CHUNK):
        sl = slice(c0, min(N, c0 + _CHUNK))
        a = _Dual.const(X[sl], P)
        acts = [a]
        for k, (W, b) in enumerate(params):
            z = _matmul(a, _T(W))
            if b is not None:
                z = z + _Dual(b.v[None, :], b.t[:, None, :])
            a = _activation(act, z) if k < len(params) - 1 else z
            acts.append(a)
        delta = _output_grad(lid, bool(net.reg), a, cls[sl], yr[sl], P) * (1.0 / N)
        for k in range(len(params) - 1, -1, -1):
            W, b = params[k]
            layer = layers[k]
            gW = _matmul(_T(delta), acts[k])
            g.v[layer.w_slice] += gW.v.reshape(-1)
            g.t[:, layer.w_slice] += gW.t.reshape(P, -1)
            if b is not None:
                gb = delta.sum(0)
                g.v[layer.b_slice] += gb.v
                g.t[:, layer.b_slice] += gb.t
            if k > 0:
                delta = _matmul(delta, W) * _activation_slope(act, acts[k])
    if l1 != 0.0 or l2 != 0.0:
        mask = np.asarray(net.wmask)
        g.v += mask * (l1 * np.sign(theta) + 2.0 * l2 * theta)
        g.t += np.diag(mask * 2.0 * l2)
    return g


def dataset_hessian(problem, theta, options: dict | None = None, *, obj=None,
                    idx=None) -> np.ndarray:
    """The exact (P, P) Hessian of ``problem``'s full training objective at θ (with a run's
    own loss and penalties, as ``run_options`` gives them; None: the problem's). ``obj``
    (loss id, l1, l2) overrides ``options``; ``idx`` selects a batch of training samples
    (the mean over them, as the race's batch objective)."""
    P = problem.n_params
    if P > MAX_HESSIAN_PARAMS:
        raise ValueError(f"Hessian refused: this model has P = {P} parameters; exact Hessians are "
                         f"offered for at most {MAX_HESSIAN_PARAMS}")
    theta = np.asarray(theta, dtype=float).reshape(P)
    if obj is None:
        obj = problem._default_objective if options is None else problem._objective_of(options)
    lid, l1, l2 = obj
    tr = problem.train
    X, cls, yr = (tr.X, tr.cls, tr.yr) if idx is None else (tr.X[idx], tr.cls[idx], tr.yr[idx])
    g = gradient_dual(theta, problem.net, problem.network.layers, X, cls, yr,
                      int(lid), float(l1), float(l2))
    H = g.t
    return 0.5 * (H + H.T)
