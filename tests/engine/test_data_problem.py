"""DatasetProblem in a race and in trajectory: shapes, determinism, train/test loss history,
divergence, per-run losses, the views' helpers (predictions, loss grids), datasets and CSV files."""

from __future__ import annotations

import math

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine import Race
from descentlab.engine.data import DATASETS, LOSSES, Dataset, DatasetProblem, Model, load_csv, make_dataset


def bits(a):
    return np.ascontiguousarray(a, dtype=np.float64).tobytes()


def run_of(race, uid):
    (run,) = [r for r in race.snapshot().runs if r.uid == uid]
    return run


# ---------------------------------------------------------------------------- trajectory
@pytest.mark.parametrize("dataset, model, batch", [
    ("line", "linear", None), ("line", "linear", 1), ("blobs", "logistic", 16),
    ("blobs3", "softmax", 5), ("spirals", Model("mlp", hidden=(16, 16)), 32),
    ("circles", Model("mlp", hidden=(4,), activation="relu"), None),
])
def test_trajectory_returns_steps_plus_one_rows_of_p_parameters(dataset, model, batch):
    problem = DatasetProblem(dataset, model)
    path = engine.trajectory(problem, "adam", None, 77, batch, lr=0.01)
    assert path.shape == (78, problem.n_params) and path.dtype == np.float64
    assert bits(path[0]) == bits(problem.default_start)
    assert np.all(np.isfinite(path))
    assert engine.trajectory(problem, "gd", None, 0, batch).shape == (1, problem.n_params)


def test_same_seeds_give_identical_bits_and_other_seeds_do_not():
    def make(data_seed=0, problem_seed=0, race_seed=0):
        ds = make_dataset("moons", 150, seed=data_seed)
        problem = DatasetProblem(ds, Model("mlp", hidden=(8, 8)), "log", seed=problem_seed)
        race = Race(problem, seed=race_seed)
        for opt, b in (("sgd", 1), ("adam", 16), ("gd", None)):
            race.add_run(opt, lr=0.05, batch_size=b)
        race.advance(250)
        return race.snapshot()

    a, b = make(), make()
    for ra, rb in zip(a.runs, b.runs, strict=True):
        for name in ("path", "losses", "grad_norms", "test_losses"):
            assert bits(getattr(ra, name)) == bits(getattr(rb, name))
    for other in (make(data_seed=1), make(problem_seed=1), make(race_seed=1)):
        assert bits(other.runs[1].path) != bits(a.runs[1].path)
    # the full batch does not shuffle: the race seed does not matter to GD
    assert bits(make(race_seed=1).runs[2].path) == bits(a.runs[2].path)
    d1, d2 = make_dataset("spirals", seed=9), make_dataset("spirals", seed=9)
    assert bits(d1.X) == bits(d2.X) and bits(d1.X_test) == bits(d2.X_test)


# ------------------------------------------------------------ train and test loss history
def test_the_recorded_losses_are_the_full_training_and_test_losses():
    problem = DatasetProblem("moons", Model("mlp", hidden=(5,)), "log", l2=0.01, eval_every=1)
    race = Race(problem)
    uids = [race.add_run("adam", lr=0.02, batch_size=b) for b in (1, 10, None)]
    race.advance(60)
    for uid in uids:
        run = run_of(race, uid)
        assert len(run.losses) == len(run.test_losses) == 61
        expected = problem.loss(run.path)
        np.testing.assert_allclose(run.losses, expected, rtol=1e-12)
        np.testing.assert_allclose(run.test_losses, [problem.test_loss(t) for t in run.path], rtol=1e-12)
        assert run.loss == run.losses[-1] and run.test_loss == run.test_losses[-1]
        assert not np.allclose(run.losses, run.test_losses)  # train has the penalty, test does not


def test_big_data_records_its_losses_on_a_power_of_two_interval():
    ds = make_dataset("xor", 2000, test_fraction=0.2)
    problem = DatasetProblem(ds, Model("mlp", hidden=(16, 16)), "log")
    every = problem.eval_interval(1)
    assert every > 1 and every & (every - 1) == 0
    assert problem.eval_interval(None) == 1  # GD gets its training loss for free
    race = Race(problem)
    sgd = race.add_run("sgd", lr=0.01, batch_size=1)
    gd = race.add_run("gd", lr=0.1)
    race.advance(3 * every)
    run = run_of(race, sgd)
    evaluated = np.isfinite(run.losses)
    assert np.array_equal(np.flatnonzero(evaluated), np.arange(0, 3 * every + 1, every))
    assert np.array_equal(evaluated, np.isfinite(run.test_losses))
    np.testing.assert_allclose(run.losses[evaluated], problem.loss(run.path[evaluated]), rtol=1e-12)
    assert run.loss == run.losses[-1]
    assert np.all(np.isfinite(run_of(race, gd).losses))


def test_history_halving_keeps_test_losses_aligned():
    problem = DatasetProblem("line", "linear", eval_every=1)
    race = Race(problem, history=16)
    uid = race.add_run("gd", lr=0.05, batch_size=4)
    race.advance(100)
    run = run_of(race, uid)
    assert run.stride > 1
    np.testing.assert_allclose(run.losses, problem.loss(run.path), rtol=1e-12)
    np.testing.assert_allclose(run.test_losses, [problem.test_loss(t) for t in run.path], rtol=1e-12)


# --------------------------------------------------------------------------- divergence
def test_a_diverging_run_is_frozen_and_the_others_go_on():
    problem = DatasetProblem("line", "linear")
    race = Race(problem)
    bad = race.add_run("gd", lr=5.0, batch_size=4)
    good = race.add_run("gd", lr=0.01, batch_size=4)
    race.advance(500)
    b, g = run_of(race, bad), run_of(race, good)
    assert b.diverged_at is not None and b.status == "diverged"
    assert np.all(np.isfinite(b.position)) and np.all(np.abs(b.position) <= problem.box.hi)
    assert b.step == b.diverged_at  # (as on surfaces: the step that failed is counted)
    assert bits(b.position) == bits(b.path[-1])
    assert g.diverged_at is None and g.step == 500
    path = engine.trajectory(problem, "gd", None, 500, 4, lr=5.0)
    assert np.all(np.isnan(path[b.diverged_at:])) and np.all(np.isfinite(path[:b.diverged_at]))


# ----------------------------------------------------------------------- per-run losses
def test_a_run_can_carry_its_own_loss_and_penalties():
    problem = DatasetProblem("blobs", "logistic", "log")
    race = Race(problem)
    base = race.add_run("gd", lr=0.1)
    hinge = race.add_run("gd", lr=0.1, loss="hinge")
    ridge = race.add_run("gd", lr=0.1, l2=0.5)
    race.advance(40)

    def objective(uid):
        options = race.run_info(uid).options
        return options["loss"], options["l1"], options["l2"]

    assert objective(hinge) == ("hinge", 0.0, 0.0)
    assert objective(ridge) == ("log", 0.0, 0.5)
    for uid, other in ((base, problem), (hinge, DatasetProblem("blobs", "logistic", "hinge")),
                       (ridge, DatasetProblem("blobs", "logistic", "log", l2=0.5))):
        run = run_of(race, uid)
        np.testing.assert_allclose(run.losses, other.loss(run.path), rtol=1e-12)
        expected = engine.trajectory(other, "gd", None, 40, lr=0.1)
        np.testing.assert_allclose(run.path, expected, rtol=1e-13)
    with pytest.raises(ValueError, match="Invalid l1 value"):
        race.set_options(base, loss="log", l1=-1)


def test_a_run_objective_must_fit_the_model():
    problem = DatasetProblem("blobs3", "softmax")
    race = Race(problem)
    with pytest.raises(ValueError, match="Invalid loss: 'bce'"):
        race.add_run("gd", loss="bce")
    assert race.run_ids == []


# --------------------------------------------------------------------- views' helpers
def test_loss_grid_is_the_true_loss_over_w_and_b():
    problem = DatasetProblem("line", "linear")
    xs, ys = np.linspace(-1, 3, 7), np.linspace(-2, 2, 5)
    Z = problem.loss_grid(xs, ys)
    assert Z.shape == (5, 7)
    for j, b in enumerate(ys):
        for i, w in enumerate(xs):
            assert Z[j, i] == pytest.approx(np.mean((w * problem.X[:, 0] + b - problem.y) ** 2), rel=1e-12)
    xs, ys, Z = problem.grid(50)
    xmin, xmax, ymin, ymax = problem.domain
    assert xs[0] == xmin and ys[-1] == ymax and Z.shape == (50, 50)
    w, b = problem.minima[0]
    assert xmin < w < xmax and ymin < b < ymax
    assert Z.min() >= problem.f_min - 1e-12
    with pytest.raises(ValueError, match="2-parameter"):
        DatasetProblem("moons", "mlp").loss_grid(xs, ys)


def test_logistic_domain_covers_the_start_and_the_optimum():
    problem = DatasetProblem("blobs", "logistic")
    xmin, xmax, ymin, ymax = problem.domain
    w = engine.trajectory(problem, "adam", None, 3000, lr=0.05)[-1]
    for p in (problem.default_start, w):
        assert xmin < p[0] < xmax and ymin < p[1] < ymax


def test_predictions_for_the_data_view():
    moons = DatasetProblem("moons", Model("mlp", hidden=(16,)))
    theta = engine.trajectory(moons, "adam", None, 600, lr=0.02)[-1]
    field = moons.predict_grid(theta, np.linspace(-2, 2, 30), np.linspace(-1.5, 1.5, 20))
    assert field.shape == (20, 30) and np.all((field >= 0) & (field <= 1))
    assert moons.accuracy(theta) > 0.9 and moons.accuracy(theta, test=True) > 0.85
    three = DatasetProblem("blobs3", "softmax")
    probs = three.predict_grid(three.default_start, np.linspace(-3, 3, 4), np.linspace(-3, 3, 5))
    assert probs.shape == (5, 4, 3)
    np.testing.assert_allclose(probs.sum(axis=2), 1.0, rtol=1e-12)
    line = DatasetProblem("line", "linear")
    xs = np.linspace(-1, 3, 9)
    np.testing.assert_allclose(line.predict([1.5, 0.5], xs), 1.5 * xs + 0.5, rtol=1e-15)
    with pytest.raises(ValueError, match="2-D data"):
        line.predict_grid([1.0, 0.0], xs, xs)
    with pytest.raises(ValueError, match="classification"):
        line.classify([1.0, 0.0])


def test_a_plane_through_parameter_space_for_big_models():
    problem = DatasetProblem("spirals", Model("mlp", hidden=(8, 8)))
    u, v = problem.plane_directions(seed=1)
    assert abs(u @ v) < 1e-9 * (u @ u)
    origin = problem.default_start
    for name, sl, _ in problem.network.layout():
        if name.startswith("W"):
            assert np.linalg.norm(u[sl]) == pytest.approx(np.linalg.norm(origin[sl]), rel=1e-12)
    alphas, betas = np.linspace(-1, 1, 5), np.linspace(-1, 1, 3)
    Z = problem.loss_plane(origin, u, v, alphas, betas)
    assert Z.shape == (3, 5)
    assert Z[1, 2] == pytest.approx(problem.loss(origin), rel=1e-14)
    assert Z[2, 0] == pytest.approx(problem.loss(origin - u + v), rel=1e-12)
    pts = origin + np.outer([0.5, -0.25], u) + np.outer([0.1, 0.3], v)
    np.testing.assert_allclose(problem.project(pts, origin, u, v), [[0.5, 0.1], [-0.25, 0.3]], atol=1e-10)


# ------------------------------------------------------------------------------ datasets
@pytest.mark.parametrize("key", list(DATASETS))
def test_every_dataset_is_seeded_split_and_balanced(key):
    spec = DATASETS[key]
    ds = make_dataset(key, 120, seed=3, test_fraction=0.25)
    assert ds.n_train + ds.n_test == 120 and ds.n_test == pytest.approx(30, abs=2)
    assert ds.X.shape == (ds.n_train, spec.dim) and ds.X_test.shape == (ds.n_test, spec.dim)
    assert np.all(np.isfinite(ds.X))
    if spec.task == "classification":
        assert ds.y.dtype == np.int64 and set(np.unique(ds.y)) == set(range(spec.n_classes))
        counts = np.bincount(np.r_[ds.y, ds.y_test])
        assert counts.max() - counts.min() <= 1
    again = make_dataset(key, 120, seed=3, test_fraction=0.25)
    assert bits(again.X) == bits(ds.X) and np.array_equal(again.y, ds.y)
    assert bits(make_dataset(key, 120, seed=4).X) != bits(ds.X)
    assert make_dataset(key, 50, test_fraction=0.0).n_test == 0


def test_outliers_pull_an_l2_line_but_not_an_l1_line():
    ds = make_dataset("line", 200, 0.3, outliers=0.15, test_fraction=0.0)
    l2 = DatasetProblem(ds, "linear", "l2")
    l1 = DatasetProblem(ds, "linear", "l1")
    fit1 = engine.trajectory(l1, "adam", [0.0, 0.0], 6000, lr=0.01)[-1]
    assert abs(l2.minima[0][1] - 0.5) > 0.5  # the L2 intercept is dragged up
    assert abs(fit1[0] - 1.5) < 0.2 and abs(fit1[1] - 0.5) < 0.3


@pytest.mark.parametrize("call, needle", [
    (lambda: make_dataset("moons", 0), "n_points"),
    (lambda: make_dataset("moons", -5), "n_points"),
    (lambda: make_dataset("moons", 100, noise=math.nan), "noise"),
    (lambda: make_dataset("moons", 100, noise=-1), "noise"),
    (lambda: make_dataset("moons", 100, test_fraction=1.0), "test_fraction"),
    (lambda: make_dataset("moons", 100, seed=-1), "seed"),
    (lambda: make_dataset("line", 100, outliers=0.9), "outliers"),
    (lambda: make_dataset("moons", 100, outliers=0.1), "no option 'outliers'"),
    (lambda: make_dataset("banana"), "unknown dataset 'banana'"),
    (lambda: Dataset.from_arrays([[0.0, np.nan], [1.0, 2.0]], [0, 1]), "NaN"),
    (lambda: Dataset.from_arrays([[0.0, 1.0], [1.0, 2.0]], [0, np.inf]), "NaN or infinite target"),
    (lambda: Dataset.from_arrays([[0.0], [1.0]], [1, 1], task="classification"), "at least 2 classes"),
    (lambda: Dataset.from_arrays([[0.0], [1.0]], [1, 2, 3]), "3 targets for 2 points"),
    (lambda: DatasetProblem("moons", "mlp", l2=-0.1), "l2"),
    (lambda: DatasetProblem("moons", "mlp", l1=math.inf), "l1"),
    (lambda: DatasetProblem("moons", "mlp", eval_every=0), "eval_every"),
    (lambda: DatasetProblem("moons", "mlp", shuffle="sometimes"), "shuffle"),
])
def test_bad_dataset_input_raises_a_clear_value_error(call, needle):
    with pytest.raises(ValueError) as err:
        call()
    assert needle in str(err.value)


def test_csv_files_load_and_bad_cells_are_named(tmp_path):
    good = tmp_path / "points.csv"
    good.write_text("x1,x2,label\n0.0,1.0,0\n1.5,-2.0,1\n2.0,0.5,1\n-1.0,-1.0,0\n0.2,0.1,1\n")
    ds = load_csv(good, test_fraction=0.0)
    assert ds.task == "classification" and ds.n_classes == 2 and ds.X.shape == (5, 2)
    assert np.array_equal(ds.y, [0, 1, 1, 0, 1])
    problem = DatasetProblem(ds, "logistic")
    assert problem.n_params == 2 and math.isfinite(problem.loss([0.1, 0.2]))
    reg = tmp_path / "reg.csv"
    reg.write_text("1.0, 2.5\n2.0, 4.1\n3.0, 6.2\n4.0, 7.7\n")
    assert load_csv(reg).task == "regression"
    for text, needle in [
        ("x,y\n1.0,2.0\nnan,3.0\n", "row 3, column 1"),
        ("x,y\n1.0,2.0\n2.0,inf\n", "NaN or infinite"),
        ("x,y\n1.0,2.0\n2.0,abc\n", "'abc' is not a number"),
        ("x,y\n1.0,2.0\n2.0\n", "1 columns, expected 2"),
        ("x,y\n", "no data rows"),
        ("", "no data rows"),
        ("1.0\n2.0\n", "at least 2 columns"),
    ]:
        bad = tmp_path / "bad.csv"
        bad.write_text(text)
        with pytest.raises(ValueError) as err:
            load_csv(bad)
        assert needle in str(err.value), (text, str(err.value))
    with pytest.raises(ValueError, match="cannot read"):
        load_csv(tmp_path / "missing.csv")


def test_catalogues_are_exported():
    assert engine.DATASETS is DATASETS and engine.LOSSES is LOSSES
    assert set(engine.MODELS) == {"linear", "logistic", "softmax", "mlp"}
    problem = DatasetProblem("line", "linear")
    assert engine.as_problem(problem) is problem


def test_history_hint_bounds_the_memory_of_big_models():
    assert DatasetProblem("line", "linear").history_hint == 16384
    big = DatasetProblem("xor", Model("mlp", hidden=(16, 16)))
    assert big.history_hint == 1024
    race = Race(big, history=big.history_hint)
    race.add_run("adam", lr=0.01, batch_size=32)
    assert race.hist.path.nbytes <= 3 * 2**20
