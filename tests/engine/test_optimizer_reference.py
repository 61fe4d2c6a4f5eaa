"""The engine's optimizers against independent NumPy references (reference_optimizers.py).

The gradients used by the references are written here from the surfaces' formulas, not taken
from the engine, so a wrong surface or a wrong update rule both show up as a mismatch.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pytest
from numba import njit
from reference_optimizers import ALL, HESSIANS, HYPERPARAMETERS, REFERENCES, reference_path

from descentlab import engine
from descentlab.engine.compile.pointers import data_pointer
from descentlab.engine.optimizers import (
    MAX_HYPER,
    MODULES,
    OPTIMIZERS,
    STATE_SCALARS,
    STATE_VECTORS,
)
from descentlab.engine.optimizers.dispatch import optimizer_step

# --- the surfaces, written from their formulas ---------------------------------------------------


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def rosenbrock_grad(theta):
    x, y = theta
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def beale(x, y):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def beale_grad(theta):
    x, y = theta
    t1 = 1.5 - x + x * y
    t2 = 2.25 - x + x * y**2
    t3 = 2.625 - x + x * y**3
    return np.array(
        [
            2 * t1 * (y - 1) + 2 * t2 * (y**2 - 1) + 2 * t3 * (y**3 - 1),
            2 * t1 * x + 2 * t2 * (2 * x * y) + 2 * t3 * (3 * x * y**2),
        ]
    )


def himmelblau(x, y):
    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2


def himmelblau_grad(theta):
    x, y = theta
    a = x * x + y - 11
    b = x + y * y - 7
    return np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])


SURFACE_FUNCS = {"rosenbrock": rosenbrock, "beale": beale, "himmelblau": himmelblau}
GRADIENTS = {"rosenbrock": rosenbrock_grad, "beale": beale_grad, "himmelblau": himmelblau_grad}
for _surface, _grad in GRADIENTS.items():  # Newton's references take the exact Hessian with g
    _grad.hessian = HESSIANS[_surface]
    _grad.f = SURFACE_FUNCS[_surface]  # and L-BFGS's the function (its closure returns f)
STARTS = {
    "rosenbrock": [(-1.2, 1.0), (1.5, 2.0)],
    "beale": [(1.0, 1.0), (2.0, -0.5)],
    "himmelblau": [(0.0, 0.0), (-1.0, -1.0)],
}


def _fmt(hyper):
    return ",".join(f"{k}={v}" for k, v in hyper.items()) or "defaults"


def _cases():
    """Every case of every optimizer in the engine's registry (its reference's cases)."""
    for optimizer in OPTIMIZERS:
        if optimizer not in REFERENCES:
            yield pytest.param(optimizer, None, 0, None, None, id=f"{optimizer}-no-reference")
            continue
        for case in REFERENCES[optimizer].cases:
            for surface in case.surfaces:
                for i, start in enumerate(STARTS[surface]):
                    yield pytest.param(
                        optimizer,
                        case.hyper,
                        case.steps,
                        surface,
                        start,
                        id=f"{optimizer}[{_fmt(case.hyper)}]-{surface}-start{i}",
                    )


# --- the references' own gradients are right -----------------------------------------------------


@pytest.mark.parametrize("surface", ALL)
def test_numpy_gradients_match_finite_differences(surface):
    f, grad = SURFACE_FUNCS[surface], GRADIENTS[surface]
    h = 1e-6
    for x, y in [(-1.2, 1.0), (0.3, -0.7), (2.0, 0.5), (1.0, 1.0), (-2.5, 1.5)]:
        numeric = [(f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)]
        np.testing.assert_allclose(grad((x, y)), numeric, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("surface", ALL)
def test_engine_surface_agrees_with_formula(surface):
    """Diagnostic: a failure here means the surface, not an optimizer, is what differs."""
    from descentlab.engine.surface.functions import surface_fg

    sid = engine.SURFACES[surface].id
    for x, y in [(-1.2, 1.0), (0.3, -0.7), (2.0, 0.5), (1.0, 1.0), (-2.5, 1.5)]:
        f, gx, gy = surface_fg(sid, x, y)
        np.testing.assert_allclose(f, SURFACE_FUNCS[surface](x, y), rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose([gx, gy], GRADIENTS[surface]((x, y)), rtol=1e-13, atol=1e-12)


# --- the spec uses torch's names and defaults ----------------------------------------------------


def test_every_optimizer_has_an_independent_reference():
    """Every optimizer the engine offers is checked against a reference of its own, and there
    is no reference for an optimizer the engine does not have."""
    missing = set(engine.OPTIMIZERS) - set(REFERENCES)
    assert not missing, f"optimizers without a NumPy reference: {sorted(missing)}"
    assert set(REFERENCES) == set(engine.OPTIMIZERS)
    assert set(HYPERPARAMETERS) == set(engine.OPTIMIZERS)
    for key, ref in REFERENCES.items():  # written in reference_optimizers.py, not borrowed
        assert ref.path.__module__ == "reference_optimizers", key
        assert ref.cases, f"{key}: a reference without test cases"


@pytest.mark.parametrize("optimizer", sorted(engine.OPTIMIZERS))
def test_hyperparameter_names_and_defaults(optimizer):
    spec = engine.OPTIMIZERS[optimizer]
    assert spec.key == optimizer
    # spec.hyper: a mapping name -> HyperSpec, or a sequence of HyperSpec with a .name
    hyper = spec.hyper if isinstance(spec.hyper, Mapping) else {h.name: h for h in spec.hyper}
    assert list(hyper) == list(HYPERPARAMETERS[optimizer])  # torch's order
    for name, default in HYPERPARAMETERS[optimizer].items():
        if name == "lr" and optimizer in ("gd", "momentum", "sgd", "nag"):
            continue  # the brief leaves these learning rates' defaults to the engine
        assert hyper[name].default == default, name


# --- engine vs reference -------------------------------------------------------------------------


@pytest.mark.parametrize("optimizer, hyper, steps, surface, start", list(_cases()))
def test_matches_reference(optimizer, hyper, steps, surface, start):
    assert optimizer in REFERENCES, f"{optimizer} has no reference in reference_optimizers.py"
    ref = reference_path(optimizer, GRADIENTS[surface], start, steps, **hyper)
    assert np.isfinite(ref).all(), "test case must not diverge"
    path = engine.trajectory(surface, optimizer, start, steps, **hyper)
    assert path.shape == (steps + 1, 2)
    assert path.dtype == np.float64
    np.testing.assert_allclose(path, ref, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_defaults_match_reference(optimizer):
    """Without any hyperparameter the engine runs torch's defaults."""
    start, steps = (0.0, 0.0), 300
    ref = reference_path(optimizer, himmelblau_grad, start, steps)
    path = engine.trajectory("himmelblau", optimizer, start, steps)
    np.testing.assert_allclose(path, ref, rtol=1e-10, atol=1e-12)


def test_radam_switches_to_rectified_update_at_step_6():
    """rho_t <= 5 for t <= 5 (beta2 = 0.999): those steps are theta - lr * m_hat; step 6 is the
    first rectified one, much shorter than lr * m_hat."""
    lr, beta1, start = 1e-3, 0.9, (0.0, 0.0)
    path = engine.trajectory("himmelblau", "radam", start, 8, lr=lr)
    np.testing.assert_allclose(
        path, reference_path("radam", himmelblau_grad, start, 8, lr=lr), rtol=1e-13
    )
    m = np.zeros(2)
    for t in range(1, 7):
        m = beta1 * m + (1 - beta1) * himmelblau_grad(path[t - 1])
        plain = path[t - 1] - lr * m / (1 - beta1**t)
        if t <= 5:
            np.testing.assert_allclose(path[t], plain, rtol=1e-13, err_msg=f"step {t}")
        else:
            assert np.all(np.abs(path[t] - path[t - 1]) < 0.5 * np.abs(plain - path[t - 1]))


# --- shape, start row, zero steps ----------------------------------------------------------------


@pytest.mark.parametrize("optimizer", sorted(engine.OPTIMIZERS))
def test_shape_and_first_row(optimizer):
    start = (-1.2345678901234567, 0.98765432109876)
    path = engine.trajectory("rosenbrock", optimizer, start, 7, lr=1e-4)
    assert isinstance(path, np.ndarray)
    assert path.shape == (8, 2)
    assert path.dtype == np.float64
    assert path[0, 0] == start[0] and path[0, 1] == start[1]  # exactly, no round trip
    assert np.isfinite(path).all()
    assert not np.array_equal(path[1], path[0])


@pytest.mark.parametrize("optimizer", sorted(engine.OPTIMIZERS))
def test_zero_steps_returns_the_start(optimizer):
    path = engine.trajectory("beale", optimizer, np.array([1.25, -0.5]), 0, lr=1e-3)
    assert path.shape == (1, 2)
    assert path.dtype == np.float64
    assert np.array_equal(path, [[1.25, -0.5]])


def test_start_accepts_list_tuple_and_array_and_is_not_modified():
    start = np.array([-1.2, 1.0])
    a = engine.trajectory("rosenbrock", "adam", start, 20, lr=1e-2)
    b = engine.trajectory("rosenbrock", "adam", (-1.2, 1.0), 20, lr=1e-2)
    c = engine.trajectory("rosenbrock", "adam", [-1.2, 1.0], 20, lr=1e-2)
    assert np.array_equal(start, [-1.2, 1.0])
    assert np.array_equal(a, b) and np.array_equal(b, c)


def test_same_call_twice_is_bit_identical():
    a = engine.trajectory("beale", "nadam", (1.0, 1.0), 200, lr=1e-2)
    b = engine.trajectory("beale", "nadam", (1.0, 1.0), 200, lr=1e-2)
    assert np.array_equal(a, b)


# --- divergence ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "optimizer, hyper",
    [
        ("gd", {"lr": 1e6}),
        ("momentum", {"lr": 1e6}),
        ("sgd", {"lr": 1e6, "momentum": 0.9}),
        ("nag", {"lr": 1e6}),
    ],
    ids=["gd", "momentum", "sgd", "nag"],
)
def test_divergence_turns_into_nan_rows_quietly(optimizer, hyper):
    steps = 60
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = engine.trajectory("rosenbrock", optimizer, (-1.2, 1.0), steps, **hyper)
    assert path.shape == (steps + 1, 2)
    finite_rows = np.isfinite(path).all(axis=1)
    nan_rows = np.isnan(path).all(axis=1)
    assert not finite_rows.all(), "lr = 1e6 on Rosenbrock must diverge within 60 steps"
    first_bad = int(np.argmin(finite_rows))
    assert first_bad >= 1
    assert finite_rows[:first_bad].all()
    assert nan_rows[first_bad:].all(), "after divergence every row is NaN (no inf, no half rows)"


# --- gradient noise ------------------------------------------------------------------------------


def test_zero_noise_is_the_noiseless_path():
    a = engine.trajectory("rosenbrock", "adam", (-1.2, 1.0), 200, lr=1e-2)
    b = engine.trajectory("rosenbrock", "adam", (-1.2, 1.0), 200, lr=1e-2, noise=0.0)
    c = engine.trajectory("rosenbrock", "adam", (-1.2, 1.0), 200, lr=1e-2, noise=0.0, seed=12345)
    assert np.array_equal(a, b) and np.array_equal(a, c)


@pytest.mark.parametrize("optimizer", ["gd", "sgd", "adam", "lion"])
def test_noise_is_reproducible_per_seed(optimizer):
    # near the minimum (3, 2) the noise dominates the gradient, so even Lion's sign() sees it
    start, kw = (2.9, 2.1), dict(lr=1e-3, noise=5.0)
    a = engine.trajectory("himmelblau", optimizer, start, 200, seed=7, **kw)
    b = engine.trajectory("himmelblau", optimizer, start, 200, seed=7, **kw)
    c = engine.trajectory("himmelblau", optimizer, start, 200, seed=8, **kw)
    clean = engine.trajectory("himmelblau", optimizer, start, 200, lr=1e-3)
    assert np.isfinite(a).all()
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert not np.array_equal(a, clean)
    assert np.array_equal(a[0], clean[0])


def test_gd_noise_is_unbiased_with_spread_lr_sigma():
    """GD with gradient noise sigma: each step is the noiseless step from the same point plus
    -lr * sigma * xi, xi ~ N(0, 1). Fixed seed, so deterministic; bounds are ~5 standard errors."""
    from descentlab.engine.surface.functions import surface_fg

    lr, sigma, steps = 0.05, 2.0, 5000
    sid = engine.SURFACES["bowl"].id
    path = engine.trajectory("bowl", "gd", (1.0, -0.5), steps, lr=lr, noise=sigma, seed=2024)
    assert np.isfinite(path).all()
    grads = np.array([surface_fg(sid, x, y)[1:] for x, y in path[:-1]])
    deviation = (path[1:] - path[:-1]) + lr * grads  # = -lr * sigma * xi
    z = deviation / (lr * sigma)
    n = z.size
    assert abs(z.mean()) < 5 / np.sqrt(n)
    assert abs(z.std() - 1.0) < 5 / np.sqrt(2 * n)
    # the two coordinates get independent noise
    assert abs(np.corrcoef(z[:, 0], z[:, 1])[0, 1]) < 5 / np.sqrt(steps)


# --- the compiled dispatch runs each optimizer's own step ----------------------------------------


@njit(cache=True)
def _dispatched_step(oid, theta, g, vec, sc, h, t):
    """``optimizer_step`` called the way ``kernels.step_run`` calls it."""
    optimizer_step(oid, theta.size, data_pointer(theta), data_pointer(g), data_pointer(vec),
                   data_pointer(sc), data_pointer(h), t)


def _dispatch_hyper(module):
    """The module's hyper vector: defaults, with any weight decay and momentum switched on so
    that no optimizer's step coincides with another's (SGD with momentum 0 would be GD). The
    slots past the module's own hyperparameters hold 0.3, not 0: its step never reads them,
    and another step reading them (GD's vector as SGD's) does not fall back to GD."""
    spec = module.SPEC
    values = spec.defaults
    for name, value in (("weight_decay", 0.05), ("momentum", 0.5), ("lr", 0.05)):
        if name in values:
            values[name] = value
    values = spec.validate(values)
    h = np.full(MAX_HYPER, 0.3)
    h[: len(spec.hyper)] = [values[n] for n in spec.hyper_names]
    return values, h


def _three_steps(step, module, values, h):
    """θ, g, state after three steps of ``step(theta, g, vec, sc, h, t)`` from a fixed state."""
    P = 3
    theta = np.array([0.7, -1.3, 0.2])
    vec = np.zeros((STATE_VECTORS, P))
    sc = np.zeros(STATE_SCALARS)
    if module.SPEC.init_state is not None:
        module.SPEC.init_state(vec, sc, values)
    g = np.zeros(P)
    for t in range(1, 4):
        g[:] = theta**3 - theta + np.array([0.5, -0.25, 0.125])
        step(theta, g, vec, sc, h, float(t))
    return np.concatenate([theta, g, vec.ravel(), sc])


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.SPEC.key)
def test_dispatch_runs_the_modules_own_step(module):
    """optimizer_step(id, ...) is bit for bit the module's own ``step``, and differs from every
    other module's step on the same input (so a swapped branch would show)."""
    values, h = _dispatch_hyper(module)
    oid = MODULES.index(module)  # the id is the place in the registry
    assert module.SPEC.id == OPTIMIZERS[module.SPEC.key].id == oid
    own = _three_steps(module.step, module, values, h)
    dispatched = _three_steps(lambda *args: _dispatched_step(oid, *args), module, values, h)
    assert np.isfinite(own).all()
    assert np.array_equal(dispatched, own)
    for other in MODULES:
        if other.SPEC.needs_hessian and module.SPEC.needs_hessian:
            # Newton's and damped Newton's steps are one rule, θ − α·d: they differ in the
            # direction d solved before the step (the damping slot, steps.DAMPING_SLOT),
            # which test_newton_steps_differ_by_their_damping_only checks.
            continue
        if other is not module:
            result = _three_steps(other.step, module, values, h)
            assert not np.array_equal(result, own, equal_nan=True), other.SPEC.key
