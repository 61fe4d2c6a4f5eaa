"""The data view: points in their class colours, the selected run's fit in its colour,
a shaded field that tells the two sides of a boundary apart, and no fit for a NaN θ."""

import functools

import numpy as np
import pytest
from gui_helpers import has_colour, qimage_to_array
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

from descentlab import engine
from descentlab.engine.data import Model
from descentlab.gui.plots.data_plot import CLASS_COLOURS, REGRESSION_POINT, DataView

RUN = "#911eb4"  # a run colour that is no class colour and not in the field's palette

# A model that fits each dataset (2-parameter maps where the issue has them).
MODELS = {
    "line": "linear",
    "blobs1d": "logistic",
    "blobs": "logistic",
    "blobs3": "softmax",
    "moons": "mlp",
    "circles": "mlp",
    "xor": "mlp",
    "spirals": "mlp",
}


def test_every_dataset_has_a_model_here():
    assert set(MODELS) == set(engine.DATASETS)


@functools.cache
def _problem(dataset, model):
    return engine.DatasetProblem(dataset, Model(model, hidden=(16, 16)))


@functools.cache
def _trained(dataset, model):
    p = _problem(dataset, model)
    return engine.trajectory(p, "adam", p.default_start, 300, lr=0.05)[-1]


@pytest.fixture
def view(qtbot):
    v = DataView()
    qtbot.addWidget(v)
    v.resize(420, 380)
    v.show()
    qtbot.waitExposed(v)
    return v


def _pixels(view):
    """The plot area only: the title's run-colour square must not count as a drawn fit."""
    QApplication.processEvents()  # let the layout settle (the title's size)
    px = qimage_to_array(view.grab().toImage())
    r = view.mapFromScene(view.vb.sceneBoundingRect()).boundingRect()
    return px[max(r.top(), 0):r.bottom(), max(r.left(), 0):r.right()]


def _point_colours(problem):
    if problem.dataset.task == "regression":
        return [REGRESSION_POINT]
    return CLASS_COLOURS[: problem.dataset.n_classes]


def _pixel_at(view, x, y):
    """The widget pixel (row, column) of data point (x, y)."""
    p = view.mapFromScene(view.vb.mapViewToScene(QPointF(x, y)))
    return p.y(), p.x()


@pytest.mark.parametrize("dataset", list(MODELS))
@pytest.mark.parametrize("when", ["start", "trained"])
def test_points_and_fit_are_drawn(view, dataset, when):
    model = MODELS[dataset]
    p = _problem(dataset, model)
    theta = p.default_start if when == "start" else _trained(dataset, model)
    view.set_problem(p)
    px = _pixels(view)
    for colour in _point_colours(p):
        assert has_colour(px, colour), f"{dataset}: points in {colour} not visible"
    assert not has_colour(px, RUN), "a run colour before any fit"

    view.show_fit(theta, RUN, "Adam")
    px = _pixels(view)
    for colour in _point_colours(p):
        assert has_colour(px, colour), f"{dataset}: points in {colour} hidden by the fit"
    assert has_colour(px, RUN), f"{dataset} ({when}): the fit is not drawn in the run's colour"
    title = view.title_text()
    assert "Adam" in title
    if p.dataset.task == "classification":
        assert f"{100 * p.accuracy(theta):.0f} %" in title
    else:
        assert "loss" in title

    view.clear_fit()
    assert not has_colour(_pixels(view), RUN)


def test_trained_models_fit(view):
    """The trained θ of the test above really learnt something (or the pictures mean little)."""
    for dataset, model in MODELS.items():
        p = _problem(dataset, model)
        theta = _trained(dataset, model)
        if p.dataset.task == "classification":
            assert p.accuracy(theta) >= (0.85 if dataset != "blobs1d" else 0.8), dataset
        else:
            assert p.loss(theta) < 0.5 * p.loss(p.default_start)


@pytest.mark.parametrize("model", ["logistic", "mlp"])
def test_field_differs_across_the_boundary(view, model):
    p = _problem("blobs", model)
    theta = _trained("blobs", model)
    view.set_problem(p)
    view.show_fit(theta, RUN, "Adam")
    QApplication.processEvents()
    full = qimage_to_array(view.grab().toImage()).astype(int)
    # Beyond each cluster (centres (∓1.2, ∓0.8)), along the line through both: the model
    # is sure there, and few points are. The median of a small patch skips any point.
    sides = []
    for x, y in ((-3.0, -2.0), (3.0, 2.0)):
        assert (p.predict(theta, np.array([[x, y]]))[0] > 0.5) == (x > 0)
        r, c = _pixel_at(view, x, y)
        patch = full[r - 3:r + 4, c - 3:c + 4].reshape(-1, 3)
        sides.append(np.median(patch, axis=0))
    blue_side, orange_side = sides
    assert blue_side[2] > blue_side[0] + 20, blue_side  # pale class-0 blue: B > R
    assert orange_side[0] > orange_side[2] + 20, orange_side  # pale class-1 orange: R > B
    assert np.abs(blue_side - orange_side).max() > 40


def test_three_classes_shade_each_region(view):
    p = _problem("blobs3", "softmax")
    theta = _trained("blobs3", "softmax")
    view.set_problem(p)
    view.show_fit(theta, RUN, "Adam")
    img = view.field_rgb.image
    assert view.field_rgb.isVisible() and not view.field.isVisible()
    xs = np.linspace(*view.vb.viewRange()[0], img.shape[1])
    ys = np.linspace(*view.vb.viewRange()[1], img.shape[0])
    colours = []
    for cx, cy in 3.2 * np.c_[np.cos(np.deg2rad([90, 210, 330])), np.sin(np.deg2rad([90, 210, 330]))]:
        colours.append(img[np.abs(ys - cy).argmin(), np.abs(xs - cx).argmin()].astype(int))
    for a in range(3):
        for b in range(a + 1, 3):
            assert np.abs(colours[a] - colours[b]).max() > 30, colours


@pytest.mark.parametrize("dataset", ["line", "blobs1d", "moons", "blobs3"])
def test_non_finite_theta_draws_no_fit(view, dataset):
    p = _problem(dataset, MODELS[dataset])
    view.set_problem(p)
    view.show_fit(_trained(dataset, MODELS[dataset]), RUN, "Adam")
    assert has_colour(_pixels(view), RUN)
    bad = np.full(p.n_params, np.nan)
    bad_inf = p.default_start.copy()
    bad_inf[0] = np.inf
    for theta in (bad, bad_inf, np.zeros(p.n_params + 1), None, "junk"):
        view.show_fit(_trained(dataset, MODELS[dataset]), RUN, "Adam")
        view.show_fit(theta, RUN, "Adam")
        px = _pixels(view)
        assert not has_colour(px, RUN), f"a fit drawn for θ = {theta!r}"
        for colour in _point_colours(p):
            assert has_colour(px, colour)
        assert not view.field.isVisible() and not view.field_rgb.isVisible()
        if theta is bad or theta is bad_inf:
            assert "diverged" in view.title_text()
        else:  # a θ of another problem (a stale snapshot): just the data set's title
            assert "Adam" not in view.title_text()


def test_overflowing_theta_does_not_raise(view):
    """Finite but huge parameters (a run about to diverge) still draw or skip quietly."""
    p = _problem("moons", "mlp")
    view.set_problem(p)
    view.show_fit(np.full(p.n_params, 1e150), RUN, "Adam")
    view.show_fit(np.full(p.n_params, -1e300), RUN, "Adam")
    q = _problem("line", "linear")
    view.set_problem(q)
    view.show_fit(np.array([1e300, -1e300]), RUN, "GD")
    _pixels(view)


def test_switching_problems_and_none(view):
    view.set_problem(_problem("moons", "mlp"))
    view.show_fit(_trained("moons", "mlp"), RUN, "Adam")
    view.set_problem(_problem("line", "linear"))  # the old fit goes, the new points come
    px = _pixels(view)
    assert not has_colour(px, RUN)
    assert has_colour(px, REGRESSION_POINT) and not has_colour(px, CLASS_COLOURS[0])
    view.set_problem(None)
    view.show_fit(np.zeros(2), RUN, "Adam")  # no problem: nothing to draw, no error
    px = _pixels(view)
    assert not has_colour(px, REGRESSION_POINT) and not has_colour(px, RUN)


def test_panning_redraws_the_field_for_the_new_region(view, qtbot):
    p = _problem("moons", "mlp")
    view.set_problem(p)
    view.show_fit(_trained("moons", "mlp"), RUN, "Adam")
    before = view.field.mapRectToView(view.field.boundingRect())
    view.vb.setRange(xRange=(2.0, 6.0), yRange=(2.0, 6.0), padding=0)
    qtbot.waitUntil(lambda: view.field.mapRectToView(view.field.boundingRect()).left() > 1.5,
                    timeout=2000)
    assert view.field.mapRectToView(view.field.boundingRect()).left() != before.left()


def test_show_fit_can_follow_a_running_race(view):
    """A running race calls show_fit a few times a second: again and again, no error."""
    p = _problem("spirals", "mlp")
    theta = _trained("spirals", "mlp")
    view.set_problem(p)
    view.show_fit(theta, RUN, "Adam")
    for _ in range(10):
        view.show_fit(theta, RUN, "Adam")
    assert view.field.isVisible()


def test_csv_like_data_two_features_regression_and_many_features(view):
    """Regression on 2-D points (a CSV file): points coloured by target over a field of ŷ;
    more than two features: no picture, a message, no error."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (80, 2))
    y = 2 * X[:, 0] - X[:, 1]
    p = engine.DatasetProblem(engine.Dataset.from_arrays(X, y, task="regression", test_fraction=0.25),
                              "linear")
    view.set_problem(p)
    theta = engine.trajectory(p, "adam", p.default_start, 200, lr=0.05)[-1]
    view.show_fit(theta, RUN, "Adam")
    assert view.field.isVisible()
    px = _pixels(view)
    assert px.reshape(-1, 3).std(axis=0).max() > 20  # a coloured field, not a blank one
    view.show_fit(np.full(p.n_params, np.nan), RUN, "Adam")
    assert not view.field.isVisible()

    X3 = rng.uniform(-1, 1, (50, 3))
    q = engine.DatasetProblem(engine.Dataset.from_arrays(X3, X3.sum(axis=1), task="regression"), "linear")
    view.set_problem(q)
    view.show_fit(np.zeros(q.n_params), RUN, "Adam")
    view.clear_fit()
    assert "3 features" in view.title_text()
