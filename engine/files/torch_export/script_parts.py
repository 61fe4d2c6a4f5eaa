'''The fixed pieces of an exported PyTorch script, as source text (the generator picks some).

Nothing here runs in Descent Lab: these strings are written into the script, which imports
only torch, numpy (and matplotlib, if asked for a plot). Each piece is checked by the tests
that run exported scripts against the engine.
'''

from __future__ import annotations

HEADER = '''\
import argparse
import math

import numpy as np
import torch

torch.set_default_dtype(torch.float64)  # the app computes in float64
'''

C_LIBRARY = '''
# ------------------------------------------------------------------ elementary functions
# Descent Lab evaluates sin, cos, exp, ... with the C library (as Python's math module does).
# torch's own CPU versions (SLEEF, MKL) are within 1 ulp but differ on about 1 input in 100,
# and one ulp at step 1 is a visibly different path after a few hundred steps on a rough
# surface. EXACT_AS_THE_APP = False uses torch's functions instead.
EXACT_AS_THE_APP = True


def _c_library(name):
    """torch.<name> as a function of a 0-d tensor, evaluated by the C library's <name>."""
    fn = getattr(math, name)

    def apply(t):
        a = float(t)
        try:
            return torch.tensor(fn(a))
        except OverflowError:  # math raises where C returns ±inf
            return torch.tensor(math.copysign(math.inf, a) if name == "sinh" else math.inf)
        except ValueError:  # math raises where C returns -inf (a pole) or nan
            pole = (name == "log" and a == 0.0) or (name == "log1p" and a == -1.0)
            return torch.tensor(-math.inf if pole else math.nan)

    return apply if EXACT_AS_THE_APP else getattr(torch, name)


sin, cos, tan, exp, log, log1p, sqrt, tanh, sinh, cosh, atan = (
    _c_library(name) for name in
    ("sin", "cos", "tan", "exp", "log", "log1p", "sqrt", "tanh", "sinh", "cosh", "atan"))


def power(a, b):
    """a ** b for 0-d tensors by the C library's pow (torch turns a ** 3.0 into a·a·a)."""
    if not EXACT_AS_THE_APP:
        return torch.pow(a, b)
    a, b = float(a), float(b)
    try:
        return torch.tensor(math.pow(a, b))
    except OverflowError:
        return torch.tensor(-math.inf if a < 0 and b == int(b) and int(b) % 2 else math.inf)
    except ValueError:  # a negative base with a fractional exponent, or 0 to a negative power
        return torch.tensor(math.inf if a == 0.0 else math.nan)
'''

EXACT_GRADIENT = '''

class ExactGradient(torch.autograd.Function):
    """The loss f(θ) whose backward() is the app's own gradient of f.

    Autograd would differentiate value_and_gradient's value by the chain rule, which is the
    same derivative rounded differently; handing the optimizers the app's gradient is what
    makes the paths equal to the app's bit for bit.
    """

    @staticmethod
    def forward(ctx, theta):
        f, gx, gy = value_and_gradient(theta[0], theta[1])
        ctx.save_for_backward(torch.stack((gx, gy)))
        return f

    @staticmethod
    def backward(ctx, grad_output):
        (gradient,) = ctx.saved_tensors
        return grad_output * gradient


def loss_of(theta):
    return ExactGradient.apply(theta)
'''

DUAL = '''

class Dual:
    """A value with its two partial derivatives (d/dx, d/dy): forward-mode differentiation,
    each operation exactly as Descent Lab's formula machine computes it."""

    def __init__(self, v, dx, dy):
        self.v, self.dx, self.dy = v, dx, dy

    @staticmethod
    def of(a):
        if isinstance(a, Dual):
            return a
        return Dual(torch.tensor(float(a)), torch.tensor(0.0), torch.tensor(0.0))

    def __add__(a, b):
        b = Dual.of(b)
        return Dual(a.v + b.v, a.dx + b.dx, a.dy + b.dy)

    def __sub__(a, b):
        b = Dual.of(b)
        return Dual(a.v - b.v, a.dx - b.dx, a.dy - b.dy)

    def __mul__(a, b):
        b = Dual.of(b)
        return Dual(a.v * b.v, a.v * b.dx + b.v * a.dx, a.v * b.dy + b.v * a.dy)

    def __truediv__(a, b):
        b = Dual.of(b)
        q = a.v / b.v
        return Dual(q, (a.dx - q * b.dx) / b.v, (a.dy - q * b.dy) / b.v)

    def __radd__(b, a):
        return Dual.of(a) + b

    def __rsub__(b, a):
        return Dual.of(a) - b

    def __rmul__(b, a):
        return Dual.of(a) * b

    def __rtruediv__(b, a):
        return Dual.of(a) / b

    def __neg__(a):
        return Dual(-a.v, -a.dx, -a.dy)

    def __pow__(a, b):
        if not isinstance(b, Dual):  # a constant exponent
            c = float(b)
            if c == 2.0:
                return Dual(a.v * a.v, 2.0 * a.v * a.dx, 2.0 * a.v * a.dy)
            d = c * power(a.v, torch.tensor(c - 1.0)) if c != 0.0 else torch.tensor(0.0)
            return Dual(power(a.v, torch.tensor(c)), d * a.dx, d * a.dy)
        v = power(a.v, b.v)
        gx, gy = torch.tensor(0.0), torch.tensor(0.0)
        if a.dx != 0.0 or a.dy != 0.0:
            d = b.v * power(a.v, b.v - 1.0)
            gx, gy = d * a.dx, d * a.dy
        if b.dx != 0.0 or b.dy != 0.0:
            d = v * log(a.v)
            if b.dx != 0.0:
                gx = gx + d * b.dx
            if b.dy != 0.0:
                gy = gy + d * b.dy
        return Dual(v, gx, gy)

    def chain(a, v, d):
        """f(a) with value v and derivative f'(a) = d."""
        return Dual(v, d * a.dx, d * a.dy)


def c(value):
    """A constant of the formula."""
    return Dual.of(value)


def sin_(a):
    return a.chain(sin(a.v), cos(a.v))


def cos_(a):
    return a.chain(cos(a.v), -sin(a.v))


def tan_(a):
    v = tan(a.v)
    return a.chain(v, 1.0 + v * v)


def exp_(a):
    v = exp(a.v)
    return a.chain(v, v)


def log_(a):
    return a.chain(log(a.v) if a.v >= 0.0 else torch.tensor(math.nan), 1.0 / a.v)


def log1p_(a):
    return a.chain(log1p(a.v) if a.v >= -1.0 else torch.tensor(math.nan), 1.0 / (1.0 + a.v))


def sqrt_(a):
    v = sqrt(a.v) if a.v >= 0.0 else torch.tensor(math.nan)
    return a.chain(v, 0.5 / v)


def abs_(a):
    d = 1.0 if a.v > 0.0 else (-1.0 if a.v < 0.0 else (0.0 if a.v == 0.0 else math.nan))
    return a.chain(torch.abs(a.v), torch.tensor(d))


def tanh_(a):
    v = tanh(a.v)
    return a.chain(v, 1.0 - v * v)


def sinh_(a):
    return a.chain(sinh(a.v), cosh(a.v))


def cosh_(a):
    return a.chain(cosh(a.v), sinh(a.v))


def atan_(a):
    return a.chain(atan(a.v), 1.0 / (1.0 + a.v * a.v))


def min_(a, b):
    return a if (a.v <= b.v or a.v != a.v) else b  # NaN propagates, as numpy's minimum


def max_(a, b):
    return a if (a.v >= b.v or a.v != a.v) else b
'''

# The optimizers torch.optim lacks, each one only if a run uses it.
MOMENTUM = '''

class Momentum(torch.optim.Optimizer):
    """Momentum as an exponentially weighted average of gradients (the lecture note's form):

        v_t = beta * v_{t-1} + (1 - beta) * g_t        (v_0 = 0)
        theta_t = theta_{t-1} - lr * v_t

    torch's SGD(momentum=mu) sums instead (v = mu * v + g): the same path with lr scaled
    by 1 - beta, but not the same bits.
    """

    def __init__(self, params, lr=0.01, beta=0.9):
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta value: {beta}")
        super().__init__(params, dict(lr=lr, beta=beta))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["velocity"] = torch.zeros_like(p)
                v = state["velocity"]
                v.copy_(group["beta"] * v + (1.0 - group["beta"]) * p.grad)
                p.copy_(p + (-group["lr"]) * v)
'''

LION = '''

class Lion(torch.optim.Optimizer):
    """Lion (EvoLved Sign Momentum; Chen et al., NeurIPS 2023, Algorithm 2):

        theta <- theta * (1 - lr * weight_decay)
        c_t = beta1 * m_{t-1} + (1 - beta1) * g
        theta_t = theta_{t-1} - lr * sign(c_t)
        m_t = beta2 * m_{t-1} + (1 - beta2) * g
    """

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not (0.0 <= betas[0] < 1.0 and 0.0 <= betas[1] < 1.0):
            raise ValueError(f"Invalid beta parameters: {betas}")
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, (beta1, beta2), wd = group["lr"], group["betas"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["exp_avg"] = torch.zeros_like(p)
                m, g = state["exp_avg"], p.grad
                if wd != 0.0:
                    p.mul_(1.0 - lr * wd)
                update = (m * beta1).add(g, alpha=1.0 - beta1).sign()
                p.add_(update, alpha=-lr)
                m.mul_(beta2).add_(g, alpha=1.0 - beta2)
'''

ADAM_UNCORRECTED = '''

class AdamWithoutBiasCorrection(torch.optim.Optimizer):
    """torch.optim.Adam (decoupled=True: AdamW) with m-hat = m and v-hat = v: no division
    by 1 - beta^t, so the first steps are small (the slow start the correction removes).

        m_t = beta1 * m_{t-1} + (1 - beta1) * g
        v_t = beta2 * v_{t-1} + (1 - beta2) * g^2        (amsgrad: v = max(v_max, v_t))
        theta_t = theta_{t-1} - lr * m_t / (sqrt(v_t) + eps)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False, decoupled=False):
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not (0.0 <= betas[0] < 1.0 and 0.0 <= betas[1] < 1.0):
            raise ValueError(f"Invalid beta parameters: {betas}")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, decoupled=decoupled))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            wd = group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    for name in ("exp_avg", "exp_avg_sq", "max_exp_avg_sq"):
                        state[name] = torch.zeros_like(p)
                g = p.grad
                if group["decoupled"]:
                    if wd != 0.0:
                        p.mul_(1.0 - lr * wd)
                elif wd != 0.0:
                    g = g.add(p, alpha=wd)
                m, v = state["exp_avg"], state["exp_avg_sq"]
                m.lerp_(g, 1.0 - beta1)
                v.mul_(beta2).addcmul_(g, g, value=1.0 - beta2)
                if group["amsgrad"]:
                    torch.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
                    v = state["max_exp_avg_sq"]
                p.addcdiv_(m, v.sqrt() + eps, value=-lr)
'''

# Newton's methods (not in torch.optim): the optimizer and the Hessian each problem gives it.
NEWTON = '''

class Newton(torch.optim.Optimizer):
    """Newton's method (damping = 0) and damped Newton, Descent Lab's references (not in
    torch.optim):

        d = (H + damping * I)^-1 g,    theta <- theta - lr * d

    g is the gradient the loss's backward() left in .grad (the race's noise included); H is
    the exact Hessian of the same loss at theta, from hessian_at(theta) (torch.autograd).
    The app solves by Gaussian elimination with partial pivoting, torch.linalg.solve_ex by
    LAPACK, and autograd rounds H differently from the app's formulas: the paths follow the
    app's to about 1e-9, not bit for bit. A singular H + damping * I gives a NaN direction and
    the run diverges at that step, as in the app. state["direction"] is the last step's d.
    """

    def __init__(self, params, hessian_at, lr=1.0, damping=0.0):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= damping:
            raise ValueError(f"Invalid damping value: {damping}")
        super().__init__(params, dict(lr=lr, damping=damping))
        self.hessian_at = hessian_at

    @torch.no_grad()
    def step(self):
        group = self.param_groups[0]
        params = group["params"]
        theta = torch.nn.utils.parameters_to_vector(params)
        g = torch.cat([p.grad.reshape(-1) for p in params])
        with torch.enable_grad():
            H = self.hessian_at(theta.clone())
        d, info = torch.linalg.solve_ex(H + group["damping"] * torch.eye(theta.numel()), g)
        if int(info) != 0:  # singular: no Newton direction
            d = torch.full_like(g, math.nan)
        self.state[params[0]]["direction"] = d
        torch.nn.utils.vector_to_parameters(theta - group["lr"] * d, params)
'''

SURFACE_HESSIAN = '''

DIFFERENTIABLE = ("sin", "cos", "tan", "exp", "log", "log1p", "sqrt", "tanh", "sinh", "cosh", "atan")


def surface_hessian(theta):
    """The exact Hessian at theta, for Newton: autograd's Jacobian of value_and_gradient's
    gradient (the app's own), evaluated with torch's elementary functions, which autograd
    differentiates (the C library's, used for the paths, are plain numbers to it)."""
    scope = globals()
    saved = {name: scope[name] for name in DIFFERENTIABLE + ("power",)}
    scope.update({name: getattr(torch, name) for name in DIFFERENTIABLE}, power=torch.pow)
    try:
        return torch.autograd.functional.jacobian(
            lambda t: torch.stack(value_and_gradient(t[0], t[1])[1:]), theta)
    finally:
        scope.update(saved)
'''

DATASET_HESSIAN = '''


def batch_hessian(model, next_loss, loss, l1, l2):
    """hessian_at(theta) for a run's Newton optimizer: the exact Hessian (autograd, twice) of
    the objective on the batch whose gradient is in .grad (next_loss.idx), at theta."""
    names = [name for name, _ in model.named_parameters()]
    shapes = [p.shape for p in model.parameters()]

    def objective_of(theta):
        params, k = {}, 0
        for name, shape in zip(names, shapes):
            params[name] = theta[k:k + shape.numel()].reshape(shape)
            k += shape.numel()
        idx = next_loss.idx
        value = loss(torch.func.functional_call(model, params, (X[idx],)), idx).mean()
        weights = [w for name, w in params.items() if name.endswith("weight")]
        if l1 != 0.0 or l2 != 0.0:
            value = value + (l1 * sum(w.abs().sum() for w in weights)
                             + l2 * sum((w * w).sum() for w in weights))
        return value

    return lambda theta: torch.autograd.functional.hessian(objective_of, theta)
'''

MUON = '''

class MuonWithAdamW(torch.optim.Optimizer):
    """torch.optim.Muon on the weight matrices (a surface's point is a 1 x 2 matrix) and,
    as torch's documentation recommends, torch.optim.AdamW on the biases: lr is Muon's (one
    lr, one scheduler for both), the rest AdamW's own defaults (betas (0.9, 0.999),
    eps 1e-8, weight_decay 0.01)."""

    def __init__(self, params, lr=1e-3, **muon_args):
        params = list(params)
        matrices = [p for p in params if p.ndim == 2]
        vectors = [p for p in params if p.ndim != 2]
        super().__init__(params, {"lr": lr})
        self.inner = [torch.optim.Muon(matrices, lr=lr, **muon_args)]
        if vectors:
            self.inner.append(torch.optim.AdamW(vectors, lr=lr, foreach=False))

    @torch.no_grad()
    def step(self, closure=None):
        for optimizer in self.inner:
            for group in optimizer.param_groups:
                group["lr"] = self.param_groups[0]["lr"]  # a scheduler's lr
            optimizer.step()
'''
