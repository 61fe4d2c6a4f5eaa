"""The loss table: values and gradients against NumPy references written here from the formulas.

The engine is driven through its public API only. A trick makes the network's output o a free
parameter: every point sits at x = 0, so o = b (the biases) and the loss of θ is the batch mean
of the per-sample losses at o = b. The references below never call engine code.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.data import LOSSES, SQUARED_LOG_NOTE, Dataset, DatasetProblem, Model

CLASSIFICATION = [k for k, s in LOSSES.items() if "classification" in s.tasks]


# --------------------------------------------------------------------- the references
def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def sigma(o):
    """σ(o): the softmax; for one output the two-class distribution (1 − s(o), s(o))."""
    o = np.asarray(o, dtype=float)
    if o.size == 1:
        s = sigmoid(o[0])
        return np.array([1.0 - s, s])
    e = np.exp(o - o.max())
    return e / e.sum()


def onehot(c, k):
    y = np.zeros(max(k, 2))
    y[c] = 1.0
    return y


def reference_loss(key, o, c, *, target=None):
    """One sample's loss, straight from the table (and the module's stated conventions)."""
    o = np.asarray(o, dtype=float)
    k = o.size
    if target is not None:  # regression
        t = np.array([target])
    elif k == 1:
        t = np.array([2.0 * c - 1.0])  # one output: the ±1 label
    else:
        t = onehot(c, k)
    yhat = np.array([2.0 * c - 1.0]) if k == 1 else 2.0 * onehot(c, k) - 1.0
    p, y = (sigma(o), onehot(c, k)) if target is None else (None, None)
    if key == "l1":
        return np.abs(t - o).sum()
    if key == "l2":
        return ((t - o) ** 2).sum()
    if key == "expectation":
        return np.abs(y - p).sum()
    if key == "regularised_expectation":
        return ((y - p) ** 2).sum()
    if key == "chebyshev":
        return np.abs(p - y).max()
    if key == "hinge":
        return np.maximum(0.0, 0.5 - yhat * o).sum()
    if key == "squared_hinge":
        return (np.maximum(0.0, 0.5 - yhat * o) ** 2).sum()
    if key == "cubed_hinge":
        return (np.maximum(0.0, 0.5 - yhat * o) ** 3).sum()
    if key == "log":
        return -(y * np.log(p)).sum()
    if key == "squared_log":
        return ((y * np.log(p)) ** 2).sum()
    if key == "tanimoto":
        s = (p * y).sum()
        return -s / ((p**2).sum() + (y**2).sum() - s)
    if key == "cauchy_schwarz":
        return -math.log((p * y).sum() / (np.linalg.norm(p) * np.linalg.norm(y)))
    if key == "bce":
        a = sigmoid(o[0])
        return -(c * math.log(a) + (1 - c) * math.log(1 - a))
    raise KeyError(key)


def reference_mean(key, o, labels, targets=None):
    if targets is not None:
        return np.mean([reference_loss(key, o, 0, target=t) for t in targets])
    return np.mean([reference_loss(key, o, c) for c in labels])


def central_difference(f, o, h=1e-6):
    o = np.asarray(o, dtype=float)
    g = np.empty_like(o)
    for j in range(o.size):
        e = np.zeros_like(o)
        e[j] = h
        g[j] = (f(o + e) - f(o - e)) / (2 * h)
    return g


def near_kink(key, o, labels, targets=None, gap=1e-3):
    """True where a non-smooth loss is within ``gap`` of a kink (finite differences fail there)."""
    o = np.asarray(o, dtype=float)
    k = o.size
    if targets is not None:
        return key == "l1" and any(abs(o[0] - t) < gap for t in targets)
    for c in labels:
        if key == "l1":
            t = np.array([2.0 * c - 1.0]) if k == 1 else onehot(c, k)
            if np.any(np.abs(o - t) < gap):
                return True
        if key in ("hinge", "squared_hinge", "cubed_hinge"):
            yh = np.array([2.0 * c - 1.0]) if k == 1 else 2.0 * onehot(c, k) - 1.0
            if np.any(np.abs(0.5 - yh * o) < gap):
                return True
        if key == "chebyshev" and k > 2:  # (two classes: both entries are |p₁ − y₁|, smooth)
            d = np.sort(np.abs(sigma(o) - onehot(c, k)))
            if d.size > 1 and d[-1] - d[-2] < gap:
                return True
    return False


# ------------------------------------------------------------------ problems at x = 0
def classification_problem(loss, labels, n_outputs, l1=0.0, l2=0.0):
    """Points at x = 0 with these labels; o = the output biases.

    One output: logistic regression on 1-D data, θ = (w, b). K outputs: softmax regression,
    θ = (W (K × 1), b (K)).
    """
    labels = np.asarray(labels)
    ds = Dataset.from_arrays(np.zeros((len(labels), 1)), labels, task="classification")
    model = "logistic" if n_outputs == 1 else "softmax"
    problem = DatasetProblem(ds, model, loss, l1=l1, l2=l2)
    assert problem.network.n_outputs == n_outputs
    return problem


def theta_for(problem, o, w=0.7):
    """θ whose output biases are o (the weights multiply x = 0 and do not matter)."""
    o = np.atleast_1d(np.asarray(o, dtype=float))
    return np.r_[np.full(o.size, w), o]


CASES = [  # (n_outputs, labels): binary with one sigmoid output, and 3 classes / 2 classes softmax
    (1, [0, 1, 1, 0, 1]),
    (3, [0, 1, 2, 2, 1, 0, 2]),
    (2, [0, 1, 1]),
]


@pytest.mark.parametrize("key, n_outputs, labels", [
    (key, k, labels) for key in CLASSIFICATION for k, labels in CASES if key != "bce" or k == 1])
def test_classification_loss_value_and_gradient_match_the_formula(key, n_outputs, labels):
    problem = classification_problem(key, labels, n_outputs)
    rng = np.random.default_rng(abs(hash((key, n_outputs))) % 2**32)
    checked = tries = 0
    while checked < 12:
        tries += 1
        assert tries < 1000, "could not find outputs away from the kinks"
        o = rng.normal(0.0, 2.0, n_outputs)
        if near_kink(key, o, labels):
            continue
        theta = theta_for(problem, o)
        expected = reference_mean(key, o, labels)
        assert problem.loss(theta) == pytest.approx(expected, rel=1e-12, abs=1e-14)
        g = problem.grad(theta)
        assert np.all(g[:n_outputs] == 0.0), "the weights multiply x = 0"
        expected_grad = central_difference(lambda v: reference_mean(key, v, labels), o)
        np.testing.assert_allclose(g[n_outputs:], expected_grad, rtol=1e-6, atol=1e-8)
        checked += 1


@pytest.mark.parametrize("key", ["l1", "l2"])
def test_regression_losses_match_the_formula(key):
    targets = np.array([-1.5, 0.25, 2.0, 3.5])
    ds = Dataset.from_arrays(np.zeros((4, 1)), targets, task="regression")
    problem = DatasetProblem(ds, "linear", key)
    rng = np.random.default_rng(1)
    for o in rng.normal(0.0, 3.0, 20):
        if near_kink(key, [o], None, targets):
            continue
        theta = np.array([0.3, o])
        ref = np.mean([abs(t - o) if key == "l1" else (t - o) ** 2 for t in targets])
        assert problem.loss(theta) == pytest.approx(ref, rel=1e-13)
        dref = np.mean([np.sign(o - t) if key == "l1" else 2 * (o - t) for t in targets])
        assert problem.grad(theta)[1] == pytest.approx(dref, rel=1e-12, abs=1e-15)


def test_the_analytic_gradients_of_the_log_losses_are_exact():
    """d/do of the log loss is σ(o) − y; of the squared log 2 log σ_c (y − σ)."""
    labels = [0, 2, 1]
    problem = classification_problem("log", labels, 3)
    squared = classification_problem("squared_log", labels, 3)
    o = np.array([0.3, -1.1, 2.0])
    p = sigma(o)
    expected = np.mean([p - onehot(c, 3) for c in labels], axis=0)
    np.testing.assert_allclose(problem.grad(theta_for(problem, o))[3:], expected, rtol=1e-13)
    expected2 = np.mean([2 * math.log(p[c]) * (onehot(c, 3) - p) for c in labels], axis=0)
    np.testing.assert_allclose(squared.grad(theta_for(squared, o))[3:], expected2, rtol=1e-12)


def test_log_loss_on_one_output_is_binary_cross_entropy():
    labels = [0, 1, 1, 0]
    a, b = classification_problem("log", labels, 1), classification_problem("bce", labels, 1)
    for o in (-30.0, -2.0, 0.0, 0.7, 25.0):
        theta = theta_for(a, o)
        assert a.loss(theta) == pytest.approx(b.loss(theta), rel=1e-12)
        np.testing.assert_allclose(a.grad(theta), b.grad(theta), rtol=1e-12, atol=1e-300)


def test_log_losses_stay_finite_for_large_outputs():
    """log σ is computed as o − logsumexp(o), not log of an underflowed probability."""
    for key in ("log", "squared_log", "cauchy_schwarz", "bce"):
        problem = classification_problem(key, [0, 1], 1)
        for o in (-800.0, 800.0):
            assert math.isfinite(problem.loss(theta_for(problem, o)))
            assert np.all(np.isfinite(problem.grad(theta_for(problem, o))))
    problem = classification_problem("log", [0, 1, 2], 3)
    assert problem.loss(theta_for(problem, [900.0, -900.0, 0.0])) == pytest.approx(1800 / 3 + 900 / 3)


# ------------------------------------------------------------- minima sit on the label
def _grid(n_outputs):
    if n_outputs == 1:
        return np.linspace(-6.0, 6.0, 1201).reshape(-1, 1)
    axis = np.linspace(-3.0, 3.0, 13)
    return np.array(np.meshgrid(*[axis] * n_outputs)).reshape(n_outputs, -1).T


@pytest.mark.parametrize("key, n_outputs", [
    (key, k) for key in CLASSIFICATION for k in (1, 3) if key != "bce" or k == 1])
def test_every_classification_loss_is_smallest_where_the_prediction_matches_the_label(key, n_outputs):
    """On a grid of outputs, the engine's one-sample loss (the test loss of a one-point test set)
    is smallest only where the predicted class is the label, and it matches the table there."""
    k = max(n_outputs, 2)
    grid = _grid(n_outputs)
    for c in range(k):
        ds = Dataset.from_arrays(np.zeros((k, 1)), np.arange(k), task="classification",
                                 X_test=np.zeros((1, 1)), y_test=[c])
        problem = DatasetProblem(ds, "logistic" if n_outputs == 1 else "softmax", key)
        values = np.array([problem.test_loss(theta_for(problem, o)) for o in grid])
        np.testing.assert_allclose(values, [reference_loss(key, o, c) for o in grid],
                                   rtol=1e-10, atol=1e-12)
        best = values.min()
        if n_outputs == 1:
            predicted = np.where(grid[:, 0] > 0, 1, np.where(grid[:, 0] < 0, 0, -1))
        else:  # a tie in the arg max is no prediction at all
            predicted = grid.argmax(axis=1)
            predicted[(grid == grid.max(axis=1, keepdims=True)).sum(axis=1) > 1] = -1
        at_min = values <= best + 1e-12 * max(1.0, abs(best))
        assert np.all(predicted[at_min] == c), f"{key}: a minimiser predicts another class"
        assert values[predicted != c].min() > best, f"{key}: a wrong prediction is as good"


def test_the_squared_log_loss_fixes_the_printed_sign_and_says_so():
    spec = LOSSES["squared_log"]
    assert not spec.formula.lstrip().startswith("−") and not spec.formula.lstrip().startswith("-")
    assert spec.note == SQUARED_LOG_NOTE
    assert "sign" in spec.note and "−Σ" in spec.note


def test_every_loss_has_a_name_symbol_and_both_formula_strings():
    assert len(LOSSES) == 13
    for spec in LOSSES.values():
        assert spec.name and spec.symbol and spec.formula and spec.formula_html
        assert spec.formula_html.count("<sub>") == spec.formula_html.count("</sub>")
        assert spec.formula_html.count("<sup>") == spec.formula_html.count("</sup>")
    assert engine.LOSSES is LOSSES


# ----------------------------------------------------------------------- penalties
@pytest.mark.parametrize("l1, l2", [(0.3, 0.0), (0.0, 0.25), (0.1, 0.4)])
def test_l1_and_l2_penalties_apply_to_the_weights_not_the_biases(l1, l2):
    ds = engine.make_dataset("moons", 40, seed=2)
    plain = DatasetProblem(ds, Model("mlp", hidden=(4, 3)), "log")
    pen = DatasetProblem(ds, Model("mlp", hidden=(4, 3)), "log", l1=l1, l2=l2)
    theta = np.random.default_rng(5).normal(0, 1, plain.n_params)
    weights = np.zeros(plain.n_params, bool)
    for name, sl, _ in plain.network.layout():
        weights[sl] = name.startswith("W")
    assert weights.sum() == 2 * 4 + 4 * 3 + 3 * 1
    w = theta[weights]
    assert pen.loss(theta) - plain.loss(theta) == pytest.approx(l1 * np.abs(w).sum() + l2 * (w**2).sum(),
                                                                rel=1e-10)
    dg = pen.grad(theta) - plain.grad(theta)
    np.testing.assert_allclose(dg[weights], l1 * np.sign(w) + 2 * l2 * w, rtol=1e-9, atol=1e-12)
    assert np.all(dg[~weights] == 0.0)


# ------------------------------------------------------------------------- fitting
@pytest.mark.parametrize("dataset, model, loss, needle", [
    ("line", "linear", "hinge", "regression"),
    ("line", "linear", "log", "regression"),
    ("blobs3", "softmax", "bce", "one (sigmoid) output"),
    ("blobs", "logistic", "nonsense", "unknown loss"),
])
def test_a_loss_that_does_not_fit_the_model_is_a_clear_value_error(dataset, model, loss, needle):
    with pytest.raises(ValueError) as err:
        DatasetProblem(dataset, model, loss)
    msg = str(err.value)
    assert repr(loss) in msg and needle in msg
    if needle != "unknown loss":
        assert "losses that fit" in msg
