"""Independent NumPy reference implementations of every Descent Lab optimizer.

Written from the published update equations (the ``torch.optim`` documentation's algorithm boxes,
Kingma & Ba 2015, Loshchilov & Hutter 2019, Dozat 2016, Liu et al. 2020, Zeiler 2012, Duchi et al.
2011, Hinton's RMSprop lecture, Chen et al. 2023), one small function per optimizer, deliberately
plain and slow. They share nothing with the engine: they exist so the engine's kernels have
something independent to be checked against (to ~1e-10, not bit for bit: operation order differs).

``reference_path(optimizer, grad_fn, start, steps, **hyper)`` returns the ``(steps + 1, P)`` path,
row 0 the start; ``grad_fn(theta) -> g`` gives the gradient at ``theta`` (a float64 vector).
``reference_state(...)`` (same arguments) returns the state after the last step instead, under
torch.optim's state names, with ``grad`` (before weight decay), ``update`` and ``step``, and the
rule's intermediates (``m_hat``, ``v_hat``, ``lr_eff`` …): each step function fills ``state``.
Hyperparameters follow PyTorch's names and defaults, with ``beta1, beta2`` for ``betas``: each
function's keyword arguments (``HYPERPARAMETERS`` is read from them).

Each function is registered once, by ``@reference(*cases)``: the cases (hyperparameters, steps,
surfaces) that test_optimizer_reference, test_explain and test_torch_parity run it on. Those
tests parametrise from the engine's registry, so an optimizer without a reference here fails.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

ALL = ("rosenbrock", "beale", "himmelblau")
GENTLE = ("beale", "himmelblau")  # where lr = 1e-2 plain GD does not overshoot


@dataclass(frozen=True)
class Case:
    """One test case: hyperparameters, steps (500 unless a shorter run is noted) and surfaces.

    Some adaptive runs end up oscillating across a valley floor, where the dynamics are
    chaotic: a relative perturbation of 4e-16 in the gradient (one ulp, i.e. a different but
    equally correct operation order) grows past 1e-12 within a few hundred steps. Those runs
    are cut to the length over which such a perturbation stays below 1e-12 (checked
    empirically for every start the tests use), so a 1e-10 tolerance keeps a 100x margin and a
    mismatch means a different formula, not a different rounding.
    """

    hyper: dict
    steps: int = 500
    surfaces: tuple[str, ...] = ALL


@dataclass(frozen=True)
class Reference:
    path: Callable  # path(grad_fn, start, steps, **hyper) -> (steps + 1, P)
    cases: tuple[Case, ...]


REFERENCES: dict[str, Reference] = {}


def reference(*cases: Case):
    """Register the decorated function as the reference of the optimizer of its name, with the
    test cases that cover every flag and branch of its rule."""
    def register(path):
        REFERENCES[path.__name__] = Reference(path, cases)
        return path

    return register


_STATE: dict | None = None  # reference_state's dict, filled by the step functions


def _keep(**values):
    if _STATE is not None:
        _STATE.update({k: np.array(v, dtype=np.float64) for k, v in values.items()})


def _run(step_fn, grad_fn, start, steps):
    """Drive ``step_fn(theta, g, t) -> new theta`` for ``steps`` steps, t = 1, 2, ..."""
    theta = np.array(start, dtype=np.float64)
    path = np.empty((steps + 1, theta.size))
    path[0] = theta
    for t in range(1, steps + 1):
        g = np.asarray(grad_fn(theta.copy()), dtype=np.float64)
        new = step_fn(theta, g, t)
        _keep(grad=g, update=new - theta, step=float(t))
        theta = new
        path[t] = theta
    return path


# --- plain gradient descent and momentum ---------------------------------------------------------


@reference(Case({"lr": 1e-3}), Case({"lr": 1e-2}, surfaces=GENTLE))
def gd(grad_fn, start, steps, *, lr=0.01):
    """theta <- theta - lr * g."""

    def step(theta, g, t):
        return theta - lr * g

    return _run(step, grad_fn, start, steps)


@reference(
    Case({"lr": 1e-3, "beta": 0.9}),
    Case({"lr": 2e-3, "beta": 0.5}),
    Case({"lr": 1e-2, "beta": 0.5}, surfaces=GENTLE),
)
def momentum(grad_fn, start, steps, *, lr=0.01, beta=0.9):
    """Lecture-note momentum, an exponentially weighted average of gradients.

    v_0 = 0;  v <- beta * v + (1 - beta) * g;  theta <- theta - lr * v.
    """
    v = np.zeros(len(start))

    def step(theta, g, t):
        nonlocal v
        v = beta * v + (1.0 - beta) * g
        _keep(velocity=v)
        return theta - lr * v

    return _run(step, grad_fn, start, steps)


@reference(
    Case({"lr": 1e-3}),
    Case({"lr": 1e-3, "weight_decay": 0.1}),
    Case({"lr": 1e-4, "momentum": 0.9}),
    Case({"lr": 2e-4, "momentum": 0.9, "dampening": 0.5, "weight_decay": 0.1}),
    Case({"lr": 1e-4, "momentum": 0.8, "nesterov": True, "weight_decay": 0.05}),
)
def sgd(
    grad_fn, start, steps, *, lr=0.01, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0
):
    """torch.optim.SGD: L2 weight decay, buffer b_1 = g_1 (not dampened), Nesterov look-ahead.

    g <- g + wd * theta;  b_1 = g, b_t = mu * b_{t-1} + (1 - tau) * g;
    direction = g + mu * b (Nesterov) or b;  theta <- theta - lr * direction.
    """
    buf = None

    def step(theta, g, t):
        nonlocal buf
        if weight_decay != 0:
            g = g + weight_decay * theta
        if momentum != 0:
            if t == 1:
                buf = g.copy()
            else:
                buf = momentum * buf + (1.0 - dampening) * g
            _keep(momentum_buffer=buf)
            g = g + momentum * buf if nesterov else buf
        return theta - lr * g

    return _run(step, grad_fn, start, steps)


@reference(Case({"lr": 1e-4}), Case({"lr": 5e-4, "momentum": 0.5}))
def nag(grad_fn, start, steps, *, lr=0.01, momentum=0.9):
    """Nesterov accelerated gradient in torch's form: SGD with nesterov=True, no dampening."""
    return sgd(grad_fn, start, steps, lr=lr, momentum=momentum, nesterov=True)


# --- adaptive per-coordinate learning rates ------------------------------------------------------


@reference(
    Case({"lr": 0.1}),
    Case({"lr": 0.5, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "weight_decay": 0.01}),
    Case({"lr": 0.2, "eps": 1e-3}),
)
def adagrad(
    grad_fn,
    start,
    steps,
    *,
    lr=0.01,
    lr_decay=0.0,
    weight_decay=0.0,
    initial_accumulator_value=0.0,
    eps=1e-10,
):
    """Duchi et al. 2011 with torch's learning-rate decay.

    lr_t = lr / (1 + (t - 1) * lr_decay);  g <- g + wd * theta;  s <- s + g^2 (s_0 = initial value);
    theta <- theta - lr_t * g / (sqrt(s) + eps).
    """
    state_sum = np.full(len(start), float(initial_accumulator_value))

    def step(theta, g, t):
        nonlocal state_sum
        clr = lr / (1.0 + (t - 1) * lr_decay)
        if weight_decay != 0:
            g = g + weight_decay * theta
        state_sum = state_sum + g * g
        _keep(sum=state_sum, clr=clr, lr_eff=clr / (np.sqrt(state_sum) + eps))
        return theta - clr * g / (np.sqrt(state_sum) + eps)

    return _run(step, grad_fn, start, steps)


@reference(
    Case({"lr": 3e-3}),
    Case({"lr": 1e-3, "centered": True, "momentum": 0.9}),
    Case({"lr": 1e-3, "centered": True, "momentum": 0.9, "weight_decay": 0.01}),
    # chaotic from ~280 steps on Rosenbrock from (-1.2, 1)
    Case({"lr": 1e-3, "alpha": 0.95, "centered": True, "weight_decay": 0.01}, steps=250),
    Case({"lr": 1e-3, "momentum": 0.5, "eps": 1e-4}),
)
def rmsprop(
    grad_fn,
    start,
    steps,
    *,
    lr=0.01,
    alpha=0.99,
    eps=1e-8,
    weight_decay=0.0,
    momentum=0.0,
    centered=False,
):
    """Hinton's RMSprop with torch's centred (Graves 2013) and momentum variants.

    v <- alpha v + (1 - alpha) g^2;  centred: gbar <- alpha gbar + (1 - alpha) g, v~ = v - gbar^2;
    u = g / (sqrt(v~) + eps);  momentum: b <- mu b + u, theta <- theta - lr b;  else theta - lr u.
    """
    n = len(start)
    square_avg = np.zeros(n)
    grad_avg = np.zeros(n)
    buf = np.zeros(n)

    def step(theta, g, t):
        nonlocal square_avg, grad_avg, buf
        if weight_decay != 0:
            g = g + weight_decay * theta
        square_avg = alpha * square_avg + (1.0 - alpha) * g * g
        v_tilde = square_avg
        if centered:
            grad_avg = alpha * grad_avg + (1.0 - alpha) * g
            v_tilde = square_avg - grad_avg * grad_avg
        update = g / (np.sqrt(v_tilde) + eps)
        _keep(square_avg=square_avg, lr_eff=lr / (np.sqrt(v_tilde) + eps))
        if centered:
            _keep(grad_avg=grad_avg, v_centered=v_tilde)
        if momentum > 0:
            buf = momentum * buf + update
            _keep(momentum_buffer=buf)
            return theta - lr * buf
        return theta - lr * update

    return _run(step, grad_fn, start, steps)


@reference(
    # lr = 1 Adadelta zigzags across Rosenbrock's valley: chaotic from ~220 steps
    Case({"lr": 1.0}, steps=200),
    Case({"lr": 0.2, "rho": 0.99, "eps": 1e-3, "weight_decay": 0.01}),
)
def adadelta(grad_fn, start, steps, *, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
    """Zeiler 2012, scaled by torch's lr.

    v <- rho v + (1 - rho) g^2;  dx = sqrt(u + eps) / sqrt(v + eps) * g;
    u <- rho u + (1 - rho) dx^2;
    theta <- theta - lr * dx.
    """
    n = len(start)
    square_avg = np.zeros(n)
    acc_delta = np.zeros(n)

    def step(theta, g, t):
        nonlocal square_avg, acc_delta
        if weight_decay != 0:
            g = g + weight_decay * theta
        square_avg = rho * square_avg + (1.0 - rho) * g * g
        delta = np.sqrt(acc_delta + eps) / np.sqrt(square_avg + eps) * g
        acc_delta = rho * acc_delta + (1.0 - rho) * delta * delta
        _keep(square_avg=square_avg, acc_delta=acc_delta, delta=delta)
        return theta - lr * delta

    return _run(step, grad_fn, start, steps)


# --- the Adam family -----------------------------------------------------------------------------


def _adam(grad_fn, start, steps, *, lr, beta1, beta2, eps, weight_decay, amsgrad, decoupled,
          bias_correction=True):
    """Kingma & Ba 2015 (+ AMSGrad, Reddi et al. 2018), with coupled or decoupled weight decay.

    coupled (Adam): g <- g + wd theta;  decoupled (AdamW): theta <- theta (1 - lr wd).
    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  m^ = m / (1 - b1^t);
    v^ = max_{s<=t} v_s / (1 - b2^t) (AMSGrad) or v / (1 - b2^t);
    theta <- theta - lr m^ / (sqrt(v^) + eps).
    """
    n = len(start)
    m = np.zeros(n)
    v = np.zeros(n)
    v_max = np.zeros(n)

    def step(theta, g, t):
        nonlocal m, v, v_max
        if weight_decay != 0:
            if decoupled:
                theta = theta * (1.0 - lr * weight_decay)
            else:
                g = g + weight_decay * theta
        m = beta1 * m + (1.0 - beta1) * g
        v = beta2 * v + (1.0 - beta2) * g * g
        bc1 = 1.0 - beta1**t if bias_correction else 1.0  # off: Descent Lab's flag, not torch's
        bc2 = 1.0 - beta2**t if bias_correction else 1.0
        m_hat = m / bc1
        if amsgrad:
            v_max = np.maximum(v_max, v)
            v_hat = v_max / bc2
            _keep(max_exp_avg_sq=v_max)
        else:
            v_hat = v / bc2
        _keep(exp_avg=m, exp_avg_sq=v, m_hat=m_hat, v_hat=v_hat, bias_correction1=bc1,
              bias_correction2=bc2, lr_eff=lr / (np.sqrt(v_hat) + eps))
        return theta - lr * m_hat / (np.sqrt(v_hat) + eps)

    return _run(step, grad_fn, start, steps)


@reference(
    Case({"lr": 1e-2}),
    Case({"lr": 1e-2, "amsgrad": True}),
    Case({"lr": 5e-3, "amsgrad": True, "weight_decay": 0.1}),
    Case({"lr": 5e-3, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.1}),
    Case({"lr": 1e-2, "bias_correction": False}),
)
def adam(
    grad_fn,
    start,
    steps,
    *,
    lr=1e-3,
    beta1=0.9,
    beta2=0.999,
    eps=1e-8,
    weight_decay=0.0,
    amsgrad=False,
    bias_correction=True,
):
    return _adam(
        grad_fn,
        start,
        steps,
        lr=lr,
        beta1=beta1,
        beta2=beta2,
        eps=eps,
        weight_decay=weight_decay,
        amsgrad=amsgrad,
        decoupled=False,
        bias_correction=bias_correction,
    )


@reference(
    Case({"lr": 1e-2}),  # default weight_decay = 0.01
    Case({"lr": 1e-2, "weight_decay": 0.0}),
    Case({"lr": 1e-2, "amsgrad": True, "weight_decay": 0.1}),
    Case({"lr": 1e-2, "bias_correction": False}),
)
def adamw(
    grad_fn,
    start,
    steps,
    *,
    lr=1e-3,
    beta1=0.9,
    beta2=0.999,
    eps=1e-8,
    weight_decay=0.01,
    amsgrad=False,
    bias_correction=True,
):
    """Loshchilov & Hutter 2019: Adam with decoupled weight decay theta <- theta (1 - lr wd)."""
    return _adam(
        grad_fn,
        start,
        steps,
        lr=lr,
        beta1=beta1,
        beta2=beta2,
        eps=eps,
        weight_decay=weight_decay,
        amsgrad=amsgrad,
        decoupled=True,
        bias_correction=bias_correction,
    )


@reference(
    Case({"lr": 1e-2}),
    Case({"lr": 5e-3, "beta1": 0.8, "weight_decay": 0.01}),
    Case({"lr": 5e-3, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.01}),
)
def adamax(grad_fn, start, steps, *, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    """Kingma & Ba 2015, section 7.1 (infinity norm), with torch's eps inside the max.

    m <- b1 m + (1 - b1) g;  u <- max(b2 u, |g| + eps);  theta <- theta - lr m / ((1 - b1^t) u).
    """
    n = len(start)
    m = np.zeros(n)
    u = np.zeros(n)

    def step(theta, g, t):
        nonlocal m, u
        if weight_decay != 0:
            g = g + weight_decay * theta
        m = beta1 * m + (1.0 - beta1) * g
        u = np.maximum(beta2 * u, np.abs(g) + eps)
        _keep(exp_avg=m, exp_inf=u, m_hat=m / (1.0 - beta1**t), lr_eff=lr / u)
        return theta - lr * m / ((1.0 - beta1**t) * u)

    return _run(step, grad_fn, start, steps)


@reference(
    Case({"lr": 1e-2}),
    Case({"lr": 1e-2, "momentum_decay": 0.05, "weight_decay": 0.01}),
)
def nadam(
    grad_fn,
    start,
    steps,
    *,
    lr=2e-3,
    beta1=0.9,
    beta2=0.999,
    eps=1e-8,
    weight_decay=0.0,
    momentum_decay=4e-3,
):
    """Dozat 2016 with torch's momentum schedule mu_t = b1 (1 - 0.5 * 0.96^(t psi)).

    m^ = mu_{t+1} m / (1 - prod_{i<=t+1} mu_i) + (1 - mu_t) g / (1 - prod_{i<=t} mu_i);
    v^ = v / (1 - b2^t);  theta <- theta - lr m^ / (sqrt(v^) + eps).  L2 (coupled) weight decay.
    """
    n = len(start)
    m = np.zeros(n)
    v = np.zeros(n)
    mu_product = 1.0  # prod_{i=1}^{t} mu_i

    def mu(t):
        return beta1 * (1.0 - 0.5 * 0.96 ** (t * momentum_decay))

    def step(theta, g, t):
        nonlocal m, v, mu_product
        if weight_decay != 0:
            g = g + weight_decay * theta
        mu_t, mu_next = mu(t), mu(t + 1)
        mu_product = mu_product * mu_t
        m = beta1 * m + (1.0 - beta1) * g
        v = beta2 * v + (1.0 - beta2) * g * g
        m_hat = mu_next * m / (1.0 - mu_product * mu_next) + (1.0 - mu_t) * g / (1.0 - mu_product)
        v_hat = v / (1.0 - beta2**t)
        _keep(exp_avg=m, exp_avg_sq=v, mu_product=mu_product, mu=mu_t, mu_next=mu_next,
              m_hat=m_hat, v_hat=v_hat, lr_eff=lr / (np.sqrt(v_hat) + eps))
        return theta - lr * m_hat / (np.sqrt(v_hat) + eps)

    return _run(step, grad_fn, start, steps)


# RAdam's rectification (rho_t > 5) starts at step 6 for both beta2 = 0.999 and 0.99
@reference(
    Case({"lr": 1e-3}),
    Case({"lr": 5e-4, "beta2": 0.99, "weight_decay": 0.01}),
)
def radam(grad_fn, start, steps, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    """Liu et al. 2020 with torch's switch: rectify only when rho_t > 5, else step lr * m_hat.

    rho_inf = 2 / (1 - b2) - 1;  rho_t = rho_inf - 2 t b2^t / (1 - b2^t);
    rho_t > 5:  r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t)),
                l = sqrt(1 - b2^t) / (sqrt(v) + eps),  theta <- theta - lr m^ r l;
    otherwise:  theta <- theta - lr m^.
    """
    n = len(start)
    m = np.zeros(n)
    v = np.zeros(n)
    rho_inf = 2.0 / (1.0 - beta2) - 1.0

    def step(theta, g, t):
        nonlocal m, v
        if weight_decay != 0:
            g = g + weight_decay * theta
        m = beta1 * m + (1.0 - beta1) * g
        v = beta2 * v + (1.0 - beta2) * g * g
        m_hat = m / (1.0 - beta1**t)
        rho_t = rho_inf - 2.0 * t * beta2**t / (1.0 - beta2**t)
        _keep(exp_avg=m, exp_avg_sq=v, m_hat=m_hat, rho_t=rho_t, lr_eff=np.full(n, lr))
        if rho_t > 5.0:
            r = math.sqrt(
                (rho_t - 4.0)
                * (rho_t - 2.0)
                * rho_inf
                / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t)
            )
            ell = math.sqrt(1.0 - beta2**t) / (np.sqrt(v) + eps)
            _keep(rect=r, lr_eff=lr * r * ell)
            return theta - lr * m_hat * r * ell
        return theta - lr * m_hat

    return _run(step, grad_fn, start, steps)


@reference(
    Case({"lr": 1e-3}),
    Case({"lr": 1e-3, "weight_decay": 0.1}),
    Case({"lr": 3e-3, "beta1": 0.95, "beta2": 0.98, "weight_decay": 0.1}),
)
def lion(grad_fn, start, steps, *, lr=1e-4, beta1=0.9, beta2=0.99, weight_decay=0.0):
    """Chen et al. 2023 (EvoLved Sign Momentum), decoupled weight decay.

    c = b1 m + (1 - b1) g;  theta <- theta (1 - lr wd);  theta <- theta - lr sign(c);
    m <- b2 m + (1 - b2) g.
    """
    m = np.zeros(len(start))

    def step(theta, g, t):
        nonlocal m
        c = beta1 * m + (1.0 - beta1) * g
        theta = theta * (1.0 - lr * weight_decay)
        theta = theta - lr * np.sign(c)
        m = beta2 * m + (1.0 - beta2) * g
        _keep(exp_avg=m)
        return theta

    return _run(step, grad_fn, start, steps)


# --- sign steps, averaged iterates, relative steps -----------------------------------------------


@reference(
    Case({}),
    Case({"lr": 0.1, "eta_minus": 0.3, "eta_plus": 1.5, "step_size_min": 1e-3,
          "step_size_max": 0.5}),
    Case({"lr": 1e-3, "eta_minus": 0.7, "eta_plus": 1.05, "step_size_min": 2e-3,
          "step_size_max": 0.01}, surfaces=GENTLE),
)
def rprop(grad_fn, start, steps, *, lr=0.01, eta_minus=0.5, eta_plus=1.2, step_size_min=1e-6,
          step_size_max=50.0):
    """Riedmiller & Braun 1993 as in torch's algorithm box (torch's etas, step_sizes pairs).

    eta_0 = lr per coordinate, g_prev = 0;  if g g_prev > 0: eta <- eta eta+;
    if g g_prev < 0: eta <- eta eta-, g <- 0;  eta <- clip(eta, min, max);
    theta <- theta - eta sign(g);  g_prev <- g.
    """
    prev = np.zeros(len(start))
    size = np.full(len(start), float(lr))

    def step(theta, g, t):
        nonlocal prev, size
        g = g.copy()
        for i in range(g.size):
            if g[i] * prev[i] > 0:
                size[i] = size[i] * eta_plus
            elif g[i] * prev[i] < 0:
                size[i] = size[i] * eta_minus
                g[i] = 0.0
        # torch's code clamps every step size every step (its box only the changed ones): the
        # same unless lr lies outside [min, max], which the third case tests
        size = np.clip(size, step_size_min, step_size_max)
        theta = theta - size * np.sign(g)
        prev = g
        _keep(prev=prev, step_size=size)
        return theta

    return _run(step, grad_fn, start, steps)


@reference(
    Case({"lr": 1e-3}),
    Case({"lr": 1e-3, "t0": 50.0, "lambd": 0.01, "alpha": 0.5, "weight_decay": 0.1}),
    Case({"lr": 2e-3, "t0": 0.0, "lambd": 0.1}, surfaces=GENTLE),
)
def asgd(grad_fn, start, steps, *, lr=0.01, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0.0):
    """Averaged SGD (Polyak & Juditsky 1992) with torch's step schedule.

    eta_1 = lr, mu_1 = 1;  g <- g + wd theta;  theta <- theta (1 - lambd eta) - eta g;
    ax <- theta if mu = 1 else ax + mu (theta - ax);
    eta <- lr / (1 + lambd lr t)^alpha;  mu <- 1 / max(1, t - t0).
    """
    eta, mu = float(lr), 1.0
    ax = np.zeros(len(start))

    def step(theta, g, t):
        nonlocal eta, mu, ax
        if weight_decay != 0:
            g = g + weight_decay * theta
        theta = theta * (1.0 - lambd * eta) - eta * g
        ax = theta.copy() if mu == 1.0 else ax + mu * (theta - ax)
        eta = lr / (1.0 + lambd * lr * t) ** alpha
        mu = 1.0 / max(1.0, t - t0)
        _keep(ax=ax, eta=eta, mu=mu)
        return theta

    return _run(step, grad_fn, start, steps)


@reference(
    # chaotic near Beale's minimum from ~230 steps (sign-like steps of a fixed relative size),
    # and the second case near Himmelblau's from ~108
    Case({}, steps=200),
    Case({"lr": 0.1, "beta2_decay": -0.5, "eps1": 1e-3, "eps2": 1e-2, "d": 2.0,
          "weight_decay": 0.1}, steps=100),
    Case({"lr": 0.05, "beta2_decay": 0.0, "eps2": 0.5, "d": 1.5}, surfaces=GENTLE),
)
def adafactor(grad_fn, start, steps, *, lr=0.01, beta2_decay=-0.8, eps1=2.220446049250313e-16,
              eps2=1e-3, d=1.0, weight_decay=0.0):
    """Shazeer & Stern 2018 on one vector, as torch's algorithm box (no factoring for a vector).

    rho = min(lr, 1/sqrt(t));  s = max(eps2, RMS(theta)) rho;  theta <- theta (1 - lr wd);
    v <- (1 - t^tau) v + t^tau g^2;  u = g / max(sqrt(v), eps1);  u <- u / max(1, RMS(u)/d);
    theta <- theta - s u.  eps1's default is float64's machine epsilon (torch's None).
    """
    v = np.zeros(len(start))

    def rms(x):
        return math.sqrt(float(np.mean(x * x)))

    def step(theta, g, t):
        nonlocal v
        rho = min(lr, 1.0 / math.sqrt(t))
        scale = max(eps2, rms(theta)) * rho
        theta = theta * (1.0 - lr * weight_decay)
        beta = float(t) ** beta2_decay
        v = (1.0 - beta) * v + beta * g * g
        u = g / np.maximum(np.sqrt(v), eps1)
        u = u / max(1.0, rms(u) / d)
        _keep(variance=v, one_minus_beta2_t=beta, rho_t=rho, step_scale=scale)
        return theta - scale * u

    return _run(step, grad_fn, start, steps)


# --- Newton's method (not in torch.optim) ---------------------------------------------------------
# The Hessian comes with the gradient: ``grad_fn.hessian(theta)``, the surface's analytic Hessian
# (HESSIANS below, derived by SymPy from the surfaces' published formulas), solved with NumPy.

def _surface_hessians():
    import sympy as sp

    x, y = sp.symbols("x y", real=True)
    r = sp.Rational
    formulas = {
        "rosenbrock": (1 - x) ** 2 + 100 * (y - x**2) ** 2,
        "beale": (r(3, 2) - x + x * y) ** 2 + (r(9, 4) - x + x * y**2) ** 2
        + (r(21, 8) - x + x * y**3) ** 2,
        "himmelblau": (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    }
    out = {}
    for name, f in formulas.items():
        fn = sp.lambdify((x, y), sp.hessian(f, (x, y)), modules="numpy")
        out[name] = lambda theta, fn=fn: np.array(fn(float(theta[0]), float(theta[1])), dtype=float)
    return out


HESSIANS = _surface_hessians()


def _hessian_of(grad_fn):
    hess = getattr(grad_fn, "hessian", None)
    if hess is None:
        raise ValueError("Newton's reference needs grad_fn.hessian(theta): the exact Hessian")
    return hess


def _newton_run(grad_fn, start, steps, lr, damping):
    hess = _hessian_of(grad_fn)

    def step(theta, g, t):
        H = hess(theta) + damping * np.eye(theta.size)
        d = np.linalg.solve(H, g)
        _keep(direction=d)
        return theta - lr * d

    return _run(step, grad_fn, start, steps)


# --- Muon: momentum orthogonalised by Newton-Schulz, in bfloat16 -------------------------------


def _bf16(x: float) -> float:
    """torch's float64 -> bfloat16 on the CPU: to float32, then to bfloat16, nearest even."""
    bits = int(np.array(x, dtype=np.float32).view(np.uint32))
    if math.isnan(x):
        return math.nan
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return float(np.array(bits, dtype=np.uint32).view(np.float32))


def _f32(q) -> float:
    """The exact rational ``q`` rounded once to float32 (nearest even; normal range)."""
    q = Fraction(q)
    if q == 0:
        return 0.0
    e = math.frexp(float(abs(q)))[1]
    while abs(q) >= Fraction(2) ** e:
        e += 1
    while abs(q) < Fraction(2) ** (e - 1):
        e -= 1
    scale = Fraction(2) ** (24 - e)
    return float(Fraction(round(q * scale)) / scale)  # round(): half to even


def _newton_schulz_row(x, a, b, c, steps, eps):
    """torch's _zeropower_via_newtonschulz of a 1 x n matrix, in bfloat16 as ATen's CPU
    kernels compute it: every tensor rounded to bfloat16, each operation in float32 (sums of
    squares in order; addmm as fma(beta, C, alpha * dot), one rounding)."""
    x = [_bf16(v) for v in x]
    sq = 0.0
    for v in x:
        sq = _f32(Fraction(sq) + Fraction(v) * Fraction(v))
    norm = max(_bf16(_f32(math.sqrt(sq))), _bf16(_f32(eps)))  # sqrt in float32: correctly rounded
    x = [_bf16(_f32(Fraction(v) / Fraction(norm))) for v in x]
    a32, b32, c32 = _f32(a), _f32(b), _f32(c)
    for _ in range(steps):
        gram = 0.0
        for v in x:  # X Xt: one dot product (ATen's partial sums are one for n < 4)
            gram = _f32(Fraction(gram) + Fraction(v) * Fraction(v))
        gram = _bf16(gram)
        dot = _f32(Fraction(c32) * Fraction(gram) * Fraction(gram))
        upd = _bf16(_f32(Fraction(b32) * Fraction(gram) + Fraction(dot)))
        x = [_bf16(_f32(Fraction(a32) * Fraction(v) + Fraction(upd) * Fraction(v))) for v in x]
    return np.array(x)


@reference(
    Case({}),
    Case({"lr": 0.02}),
    Case({"lr": 0.05, "momentum": 0.5, "nesterov": False, "weight_decay": 0.0}),
    Case({"lr": 0.01, "ns_a": 2.0, "ns_b": -1.5, "ns_c": 0.5, "ns_steps": 3, "eps": 1e-3},
         surfaces=GENTLE),
)
def muon(grad_fn, start, steps, *, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
         ns_a=3.4445, ns_b=-4.775, ns_c=2.0315, eps=1e-7, ns_steps=5):
    """Muon (Jordan 2024) as torch.optim.Muon's code, the point a 1 x 2 matrix:
    B <- B + (1 - mu)(g - B);  B~ = g + mu (B - g) (Nesterov) or B;
    O = NS(B~) in bfloat16;  theta <- theta (1 - lr wd) - lr sqrt(max(1, A/B)) O  (= lr here).
    (torch's documentation writes B <- mu B + g; its code's lerp is the average above.)"""
    buf = np.zeros(len(start))

    def step(theta, g, t):
        nonlocal buf
        buf = buf + (1.0 - momentum) * (g - buf)
        direction = g + momentum * (buf - g) if nesterov else buf
        ortho = _newton_schulz_row(direction, ns_a, ns_b, ns_c, int(ns_steps), eps)
        _keep(momentum_buffer=buf)
        return theta * (1.0 - lr * weight_decay) - lr * ortho

    return _run(step, grad_fn, start, steps)


# Full steps converge quadratically: within a few steps the direction is rounding noise (1e-16),
# which no two solvers agree on to 1e-9, so the Rosenbrock cases (test_explain's) take short
# steps and converge linearly. Full Newton steps from Beale's starts cross ill-conditioned
# regions (the direction's rounding grows past 1e-10 there): Himmelblau only, where Newton
# climbs to the local maximum (H is negative definite at both starts) — that is the method.
@reference(
    Case({}, steps=40, surfaces=("himmelblau",)),
    Case({"lr": 0.1}, steps=100),
)
def newton(grad_fn, start, steps, *, lr=1.0):
    """Newton's method: d = H^-1 g;  theta <- theta - lr * d."""
    return _newton_run(grad_fn, start, steps, lr, 0.0)


@reference(
    Case({}, steps=40, surfaces=GENTLE),
    Case({"lr": 0.7, "damping": 2.0}, steps=120),
)
def damped_newton(grad_fn, start, steps, *, lr=1.0, damping=1e-3):
    """Damped Newton: d = (H + damping I)^-1 g;  theta <- theta - lr * d."""
    return _newton_run(grad_fn, start, steps, lr, damping)


# --- L-BFGS: several evaluations a step ---------------------------------------------------------


def _dot(a, b) -> float:
    """Σ aᵢbᵢ summed in order, each product rounded (BLAS ddot on two entries)."""
    total = 0.0
    for ai, bi in zip(a, b, strict=True):
        total += float(ai) * float(bi)
    return total


def _axpy(a, x, y):
    """a·x + y rounded once per entry, as torch's ``y.add(x, alpha=a)`` is on a CPU with FMA
    (exact rational arithmetic, then one rounding)."""
    return np.array([float(Fraction(a) * Fraction(xi) + Fraction(yi)) for xi, yi in zip(x, y, strict=True)])


def _cubic_min(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimiser of the cubic through (x1, f1, g1), (x2, f2, g2), clipped to ``bounds``
    (Nocedal & Wright eq. 3.59; torch's _cubic_interpolate)."""
    lo, hi = bounds if bounds is not None else sorted((x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 * d1 - g1 * g2
    if d2_square < 0:
        return (lo + hi) / 2.0
    d2 = math.sqrt(d2_square)
    if x1 <= x2:
        m = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        m = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(m, lo), hi)


def _wolfe_search(fg, x, t, d, f, g, gtd, max_ls, c1=1e-4, c2=0.9, tol=1e-9):
    """A strong-Wolfe line search along d from x (torch's _strong_wolfe: bracketing with cubic
    extrapolation, then zoom by cubic interpolation with a 10 % safeguard). Returns
    (f, g, t, evaluations)."""
    d_norm = np.max(np.abs(d))
    f_new, g_new = fg(_axpy(t, d, x))
    n = 1
    gtd_new = _dot(g_new, d)
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g.copy(), gtd
    done, it = False, 0
    br = None
    while it < max_ls:
        if f_new > f + c1 * t * gtd or (it > 1 and f_new >= f_prev):
            br = [[t_prev, f_prev, g_prev, gtd_prev], [t, f_new, g_new.copy(), gtd_new]]
            break
        if abs(gtd_new) <= -c2 * gtd:
            br, done = [[t, f_new, g_new, gtd_new]], True
            break
        if gtd_new >= 0:
            br = [[t_prev, f_prev, g_prev, gtd_prev], [t, f_new, g_new.copy(), gtd_new]]
            break
        t_next = _cubic_min(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                            (t + 0.01 * (t - t_prev), t * 10))
        t_prev, f_prev, g_prev, gtd_prev = t, f_new, g_new.copy(), gtd_new
        t = t_next
        f_new, g_new = fg(_axpy(t, d, x))
        n += 1
        gtd_new = _dot(g_new, d)
        it += 1
    if it == max_ls:
        br = [[0.0, f, g, None], [t, f_new, g_new, None]]
    low, high = (0, 1) if br[0][1] <= br[-1][1] else (1, 0)
    insuf = False
    while not done and it < max_ls:
        if abs(br[1][0] - br[0][0]) * d_norm < tol:
            break
        t = _cubic_min(br[0][0], br[0][1], br[0][3], br[1][0], br[1][1], br[1][3])
        top, bottom = max(br[0][0], br[1][0]), min(br[0][0], br[1][0])
        eps = 0.1 * (top - bottom)
        if min(top - t, t - bottom) < eps:
            if insuf or t >= top or t <= bottom:
                t = top - eps if abs(t - top) < abs(t - bottom) else bottom + eps
                insuf = False
            else:
                insuf = True
        else:
            insuf = False
        f_new, g_new = fg(_axpy(t, d, x))
        n += 1
        gtd_new = _dot(g_new, d)
        it += 1
        if f_new > f + c1 * t * gtd or f_new >= br[low][1]:
            br[high] = [t, f_new, g_new.copy(), gtd_new]
            low, high = (0, 1) if br[0][1] <= br[1][1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (br[high][0] - br[low][0]) >= 0:
                br[high] = br[low]
            br[low] = [t, f_new, g_new.copy(), gtd_new]
    return br[low][1], br[low][2], br[low][0], n


@reference(
    Case({}, steps=8),
    Case({"strong_wolfe": True}, steps=8),
    Case({"lr": 0.1, "max_iter": 5, "history_size": 3}, steps=12,
         surfaces=("rosenbrock", "himmelblau")),  # Beale's valley: 5e-8 apart by step 12
    Case({"lr": 0.5, "max_eval": 7, "tolerance_change": 1e-5, "strong_wolfe": True}, steps=10),
)
def lbfgs(grad_fn, start, steps, *, lr=1.0, max_iter=20, max_eval=0, tolerance_grad=1e-7,
          tolerance_change=1e-9, history_size=100, strong_wolfe=False):
    """L-BFGS as torch.optim.LBFGS documents it (after minFunc): each step evaluates f and g at
    theta, then up to max_iter iterations of d = -H g (two-loop recursion over the last
    history_size (s, y) pairs, H0 = s'y / y'y), theta += t d with t = lr (min(1, 1/|g|_1) lr the
    very first time) or a strong-Wolfe search; stopping on max_eval (0: max_iter * 5 // 4)
    evaluations, |g|_inf <= tolerance_grad, or changes below tolerance_change. ``grad_fn.f``
    is the function. Also keeps ``func_evals`` per step (``reference_evals``)."""
    f_of = grad_fn.f
    max_eval = max_eval or int(max_iter) * 5 // 4
    max_iter, history_size = int(max_iter), int(history_size)

    def fg(x):
        return float(f_of(*x)), np.asarray(grad_fn(x.copy()), dtype=np.float64)

    x = np.array(start, dtype=np.float64)
    path = [x.copy()]
    S = {"func_evals": 0, "n_iter": 0, "d": None, "t": None, "ys": [], "ss": [], "ro": [],
         "H_diag": 1.0, "prev_g": None, "prev_loss": None}
    REFERENCE_EVALS.clear()
    for _ in range(steps):
        loss, g = fg(x)
        g0, x0 = g.copy(), x.copy()
        evals = 1
        S["func_evals"] += 1
        if np.max(np.abs(g)) > tolerance_grad:
            n_iter = 0
            while n_iter < max_iter:
                n_iter += 1
                S["n_iter"] += 1
                if S["n_iter"] == 1:
                    d = -g
                    S["ys"], S["ss"], S["ro"], S["H_diag"] = [], [], [], 1.0
                else:
                    y, s = g - S["prev_g"], S["d"] * S["t"]
                    ys = _dot(y, s)
                    if ys > 1e-10:
                        if len(S["ys"]) == history_size:
                            del S["ys"][0], S["ss"][0], S["ro"][0]
                        S["ys"].append(y)
                        S["ss"].append(s)
                        S["ro"].append(1.0 / ys)
                        S["H_diag"] = ys / _dot(y, y)
                    q, al = -g, []
                    for yi, si, ri in reversed(list(zip(S["ys"], S["ss"], S["ro"], strict=True))):
                        a = _dot(si, q) * ri
                        al.append(a)
                        q = _axpy(-a, yi, q)
                    al.reverse()
                    d = q * S["H_diag"]
                    for yi, si, ri, a in zip(S["ys"], S["ss"], S["ro"], al, strict=True):
                        d = _axpy(a - _dot(yi, d) * ri, si, d)
                S["d"], S["prev_g"], S["prev_loss"] = d, g.copy(), loss
                t = min(1.0, 1.0 / np.sum(np.abs(g))) * lr if S["n_iter"] == 1 else lr
                S["t"] = t
                gtd = _dot(g, d)
                if gtd > -tolerance_change:
                    break
                n_ls = 0
                if strong_wolfe:
                    loss, g, t, n_ls = _wolfe_search(fg, x, t, d, loss, g, gtd,
                                                     max_eval - evals)
                    S["t"] = t
                    x = _axpy(t, d, x)
                else:
                    x = _axpy(t, d, x)
                    if n_iter != max_iter:
                        loss, g = fg(x)
                        n_ls = 1
                evals += n_ls
                S["func_evals"] += n_ls
                if (n_iter == max_iter or evals >= max_eval or np.max(np.abs(g)) <= tolerance_grad
                        or np.max(np.abs(d * t)) <= tolerance_change
                        or abs(loss - S["prev_loss"]) < tolerance_change):
                    break
        REFERENCE_EVALS.append(evals)
        _keep(func_evals=S["func_evals"], n_iter=S["n_iter"], d=S["d"], t=S["t"],
              H_diag=S["H_diag"], prev_flat_grad=S["prev_g"], prev_loss=S["prev_loss"],
              ro=np.array(S["ro"]), old_dirs=np.array(S["ys"]).reshape(-1, x.size),
              old_stps=np.array(S["ss"]).reshape(-1, x.size), step=float(len(path)),
              grad=g0, update=x - x0)
        path.append(x.copy())
    return np.array(path)


REFERENCE_EVALS: list[int] = []  # lbfgs: the evaluations each step of the last path used


# Every optimizer's hyperparameters and their defaults (PyTorch's where torch.optim has one), in
# torch's order: its reference's keyword arguments.
HYPERPARAMETERS: dict[str, dict[str, object]] = {
    key: {name: p.default for name, p in inspect.signature(ref.path).parameters.items()
          if p.kind is p.KEYWORD_ONLY}
    for key, ref in REFERENCES.items()
}


def reference_path(optimizer: str, grad_fn, start, steps: int, **hyper) -> np.ndarray:
    """The ``(steps + 1, P)`` path of ``optimizer`` from ``start``; row 0 is ``start``."""
    unknown = set(hyper) - set(HYPERPARAMETERS[optimizer])
    if unknown:
        raise TypeError(f"{optimizer} has no hyperparameter(s) {sorted(unknown)}")
    params = {**HYPERPARAMETERS[optimizer], **hyper}
    return REFERENCES[optimizer].path(grad_fn, start, steps, **params)


def reference_state(optimizer: str, grad_fn, start, steps: int, **hyper) -> dict[str, np.ndarray]:
    """The state after ``steps`` steps (see the module's docstring): torch.optim's names."""
    global _STATE
    _STATE = {}
    try:
        reference_path(optimizer, grad_fn, start, steps, **hyper)
        return _STATE
    finally:
        _STATE = None
