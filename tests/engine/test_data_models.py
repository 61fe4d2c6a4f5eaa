"""Models: the documented θ layout (checked by a NumPy forward pass written here), analytic
gradients against central finite differences, the initialisation, the activations, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from descentlab.engine.data import Dataset, DatasetProblem, Model, make_dataset
from descentlab.engine.data import kernels as K


# ------------------------------------------------------------------ NumPy reference
def numpy_forward(theta, X, sizes, activation, bias):
    """o = W_L act(… act(W₁ x + b₁) …) + b_L with θ laid out as nn.Linear stores each layer."""
    act = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0),
           "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z))}[activation]
    a, off = np.asarray(X, float), 0
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        W = theta[off:off + n_in * n_out].reshape(n_out, n_in)
        off += n_in * n_out
        z = a @ W.T
        if bias:
            z = z + theta[off:off + n_out]
            off += n_out
        a = act(z) if k < len(sizes) - 2 else z
    assert off == len(theta)
    return a


def central_difference(f, theta, h=1e-6):
    g = np.empty_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h
        g[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return g


MODELS = [  # dataset, model, expected P
    ("line", Model("linear"), 2),
    ("blobs", Model("logistic"), 2),
    ("blobs1d", Model("logistic"), 2),
    ("blobs", Model("logistic", bias=True), 3),
    ("blobs3", Model("softmax"), 9),
    ("blobs", Model("softmax"), 6),
    ("xor", Model("mlp", hidden=(16, 16)), 337),
    ("moons", Model("mlp", hidden=(5,), activation="relu"), 21),
    ("spirals", Model("mlp", hidden=(6, 5, 4), activation="sigmoid"), 18 + 35 + 24 + 5),
    ("blobs3", Model("mlp", hidden=(4,), activation="tanh"), 12 + 15),
    ("line", Model("mlp", hidden=(8, 3), activation="tanh"), 16 + 27 + 4),
]


@pytest.mark.parametrize("dataset, model, P", MODELS)
def test_parameter_count_and_layout_match_a_numpy_forward_pass(dataset, model, P):
    problem = DatasetProblem(make_dataset(dataset, 60, seed=3), model)
    assert problem.n_params == P
    theta = np.random.default_rng(0).normal(0, 0.8, P)
    net = problem.network
    expected = numpy_forward(theta, problem.X, net.sizes, model.activation, net.bias)
    np.testing.assert_allclose(problem.outputs(theta), expected, rtol=1e-12, atol=1e-12)
    # predictions: identity / sigmoid / softmax of those outputs
    pred = problem.predict(theta)
    if problem.regression:
        np.testing.assert_allclose(pred, expected[:, 0], rtol=1e-12)
    elif expected.shape[1] == 1:
        np.testing.assert_allclose(pred, 1 / (1 + np.exp(-expected[:, 0])), rtol=1e-12)
    else:
        e = np.exp(expected - expected.max(axis=1, keepdims=True))
        np.testing.assert_allclose(pred, e / e.sum(axis=1, keepdims=True), rtol=1e-12)


def test_the_two_parameter_models_are_exactly_w_and_b():
    line = DatasetProblem("line", "linear")
    assert line.network.parameter_names() == ["w", "b"]
    x = line.X[:, 0]
    np.testing.assert_allclose(line.predict([2.0, -0.5]), 2.0 * x - 0.5, rtol=1e-15)
    logistic = DatasetProblem("blobs", "logistic")
    assert logistic.network.parameter_names() == ["w1", "w2"]
    np.testing.assert_allclose(logistic.outputs([0.3, -1.2])[:, 0], logistic.X @ [0.3, -1.2], rtol=1e-14)
    one_d = DatasetProblem("blobs1d", "logistic")
    assert one_d.network.parameter_names() == ["w", "b"]


@pytest.mark.parametrize("dataset, model, P", MODELS)
def test_every_model_gradient_matches_central_differences(dataset, model, P):
    problem = DatasetProblem(make_dataset(dataset, 50, seed=7), model, l2=0.01)
    rng = np.random.default_rng(P)
    for _ in range(2):
        theta = problem.default_start + rng.normal(0, 0.3, P)
        g = problem.grad(theta)
        fd = central_difference(problem.loss, theta)
        np.testing.assert_allclose(g, fd, rtol=2e-6, atol=2e-8 * max(1.0, np.abs(fd).max()))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hidden=st.lists(st.integers(1, 6), min_size=1, max_size=3),
       activation=st.sampled_from(["tanh", "relu", "sigmoid"]),
       dataset=st.sampled_from(["moons", "blobs3", "line"]),
       loss_index=st.integers(0, 20), seed=st.integers(0, 10_000))
def test_random_mlps_and_losses_have_correct_gradients(hidden, activation, dataset, loss_index, seed):
    ds = make_dataset(dataset, 30, seed=seed % 7)
    probe = DatasetProblem(ds, Model("mlp", hidden=tuple(hidden), activation=activation))
    fits = probe.losses_that_fit()
    loss = fits[loss_index % len(fits)]
    if loss in ("l1", "hinge", "chebyshev", "expectation") or activation == "relu":
        seed_theta = np.random.default_rng(seed).normal(0, 0.5, probe.n_params)
        problem = DatasetProblem(ds, probe.model, loss)
        # non-smooth somewhere: compare where a small step does not cross a kink
        g = problem.grad(seed_theta)
        fd = central_difference(problem.loss, seed_theta, h=1e-7)
        close = np.isclose(g, fd, rtol=1e-4, atol=1e-6)
        assert close.mean() > 0.9, f"{loss}/{activation}: {np.sum(~close)} of {g.size} differ"
        return
    problem = DatasetProblem(ds, probe.model, loss, l1=0.0, l2=0.05)
    theta = np.random.default_rng(seed).normal(0, 0.5, problem.n_params)
    g = problem.grad(theta)
    fd = central_difference(problem.loss, theta)
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-7 * max(1.0, np.abs(fd).max()))


def test_big_batches_are_processed_in_chunks_without_changing_the_result():
    """More points than one compiled chunk: the mean and its gradient still cover all of them."""
    ds = make_dataset("moons", 1301, seed=1, test_fraction=0.0)
    problem = DatasetProblem(ds, Model("mlp", hidden=(3,)), "log")
    assert problem.n_train > 2 * K.CHUNK
    theta = np.random.default_rng(2).normal(0, 1, problem.n_params)
    o = numpy_forward(theta, ds.X, problem.network.sizes, "tanh", True)[:, 0]
    y = ds.y
    ref = np.mean(np.logaddexp(0, o) - y * o)
    assert problem.loss(theta) == pytest.approx(ref, rel=1e-12)
    np.testing.assert_allclose(problem.grad(theta), central_difference(problem.loss, theta),
                               rtol=1e-6, atol=1e-9)


# -------------------------------------------------------------------- initialisation
def test_initialisation_is_seeded_glorot_or_he_with_zero_biases():
    ds = make_dataset("moons", 40)
    a = DatasetProblem(ds, Model("mlp", hidden=(32, 32)), seed=1)
    b = DatasetProblem(ds, Model("mlp", hidden=(32, 32)), seed=1)
    c = DatasetProblem(ds, Model("mlp", hidden=(32, 32)), seed=2)
    assert a.default_start.tobytes() == b.default_start.tobytes()
    assert not np.array_equal(a.default_start, c.default_start)
    for name, sl, shape in a.network.layout():
        block = a.default_start[sl]
        if name.startswith("b"):
            assert np.all(block == 0.0)
        else:
            limit = math.sqrt(6.0 / (shape[0] + shape[1]))
            assert np.abs(block).max() <= limit and np.abs(block).max() > 0.8 * limit
    relu = DatasetProblem(ds, Model("mlp", hidden=(200,), activation="relu"), seed=0)
    (_, sl, shape), *_ = relu.network.layout()
    std = relu.default_start[sl].std()
    assert std == pytest.approx(math.sqrt(2.0 / shape[1]), rel=0.15)


# ------------------------------------------------------------------------ activations
def test_the_compiled_tanh_and_exp_are_accurate_to_a_few_ulp():
    x = np.concatenate([np.linspace(-30, 30, 20001), np.geomspace(1e-300, 700, 3000),
                        -np.geomspace(1e-300, 700, 3000), [0.0, -0.0, 0.625, -0.625, 1e-8]])
    t = np.array([K.tanh(v) for v in x])
    ulp = np.spacing(np.abs(np.tanh(x)))
    assert np.max(np.abs(t - np.tanh(x)) / np.maximum(ulp, 5e-324)) <= 4
    assert K.tanh(math.inf) == 1.0 and K.tanh(-math.inf) == -1.0 and math.isnan(K.tanh(math.nan))
    assert math.copysign(1.0, K.tanh(-0.0)) == -1.0
    e = np.array([K.exp(v) for v in np.linspace(-700, 700, 20001)])
    ref = np.exp(np.linspace(-700, 700, 20001))
    assert np.max(np.abs(e - ref) / np.spacing(ref)) <= 4
    assert math.isnan(K.exp(math.nan))
    s = np.array([K.sigmoid(v) for v in np.linspace(-40, 40, 801)])
    np.testing.assert_allclose(s, 1 / (1 + np.exp(-np.linspace(-40, 40, 801))), rtol=1e-14)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("hidden, needle", [
    ((0,), "hidden size: 0"),
    ((16, 0), "hidden size: 0"),
    ((-3,), "hidden size: -3"),
    ((2.5,), "hidden size: 2.5"),
    ((), "at least one hidden layer"),
    ((4,) * 9, "at most 8 hidden layers"),
    ((5000,), "hidden size: 5000"),
    ("many", "hidden size: 'm'"),
])
def test_bad_hidden_sizes_raise_a_clear_value_error(hidden, needle):
    with pytest.raises(ValueError, match="(?i)invalid hidden size") as err:
        Model("mlp", hidden=hidden)
    assert needle in str(err.value)


@pytest.mark.parametrize("make, needle", [
    (lambda: Model("mlp", activation="gelu"), "'gelu'"),
    (lambda: Model("perceptron"), "unknown model 'perceptron'"),
    (lambda: DatasetProblem("blobs", "linear"), "regression"),
    (lambda: DatasetProblem("blobs3", "logistic"), "2 classes"),
    (lambda: DatasetProblem("line", "softmax"), "softmax regression does not fit a regression"),
    (lambda: Model("logistic", bias="yes"), "bias"),
])
def test_bad_models_raise_a_clear_value_error(make, needle):
    with pytest.raises(ValueError) as err:
        make()
    assert needle in str(err.value)


def test_a_model_too_big_is_refused():
    ds = Dataset.from_arrays(np.random.default_rng(0).normal(size=(20, 2)), np.arange(20) % 2)
    with pytest.raises(ValueError, match="parameters"):
        DatasetProblem(ds, Model("mlp", hidden=(1024, 1024)))
