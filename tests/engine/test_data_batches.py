"""Batches and the mini-batch race: epochs cover every sample once, runs with the same batch size
see the same batches, and the paths equal hand-written NumPy loops (GD, mini-batch GD, SGD)."""

from __future__ import annotations

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine import Race
from descentlab.engine.data import Dataset, DatasetProblem, Model, make_dataset


def bits(a):
    return np.ascontiguousarray(a, dtype=np.float64).tobytes()


def run_of(race, uid):
    (run,) = [r for r in race.snapshot().runs if r.uid == uid]
    return run


# ------------------------------------------------------------------- NumPy references
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def logistic_grad(w, X, y):
    """∇ of the mean log loss of P(y=1) = s(X·w) (no bias)."""
    return ((sigmoid(X @ w) - y)[:, None] * X).mean(axis=0)


def line_grad(theta, x, y):
    """∇ of the mean (w·x + b − y)² over (w, b)."""
    r = theta[0] * x + theta[1] - y
    return np.array([(2 * r * x).mean(), (2 * r).mean()])


# -------------------------------------------------------------------------- epochs
@pytest.mark.parametrize("batch", [1, 7, 32, 50, 99, 100])
def test_every_sample_is_seen_exactly_once_per_epoch(batch):
    problem = DatasetProblem(make_dataset("moons", 134, seed=4), "mlp")  # 100 training points
    n = problem.n_train
    assert n == 100
    per_epoch = problem.steps_per_epoch(batch)
    assert per_epoch == -(-n // batch)
    batches = problem.batches(batch, 3 * per_epoch)
    for e in range(3):
        epoch = batches[e * per_epoch:(e + 1) * per_epoch]
        assert all(len(b) == batch for b in epoch[:-1]) and 1 <= len(epoch[-1]) <= batch
        assert np.array_equal(np.sort(np.concatenate(epoch)), np.arange(n))
    if batch < n:  # reshuffled every epoch
        assert not np.array_equal(np.concatenate(batches[:per_epoch]),
                                  np.concatenate(batches[per_epoch:2 * per_epoch]))


def test_epoch_orders_are_seeded_permutations():
    problem = DatasetProblem(make_dataset("xor", 300, seed=1, test_fraction=0.0), "mlp", seed=5)
    orders = [problem.epoch_order(e) for e in range(4)]
    for o in orders:
        assert np.array_equal(np.sort(o), np.arange(300))
    assert len({o.tobytes() for o in orders}) == 4
    assert problem.epoch_order(2).tobytes() == orders[2].tobytes()
    other_race_seed = problem.epoch_order(0, race_seed=1)
    other_problem_seed = DatasetProblem(problem.dataset, "mlp", seed=6).epoch_order(0)
    assert other_race_seed.tobytes() != orders[0].tobytes() != other_problem_seed.tobytes()


def test_full_batch_is_the_whole_set_in_order():
    problem = DatasetProblem("line", "linear")
    for b in (None, problem.n_train, 10**6 if False else problem.n_train):
        assert problem.steps_per_epoch(b) == 1
        (batch,) = problem.batches(b, 1)
        assert np.array_equal(batch, np.arange(problem.n_train))


# -------------------------------------------------------------- GD equals NumPy GD
def test_full_batch_gd_on_logistic_regression_equals_a_numpy_loop():
    problem = DatasetProblem("blobs", "logistic", "log")
    X, y = problem.X, problem.y.astype(float)
    w = np.array([-2.0, 1.5])
    path = engine.trajectory(problem, "gd", w, 200, lr=0.5)
    ref = [w]
    for _ in range(200):
        w = w - 0.5 * logistic_grad(w, X, y)
        ref.append(w)
    np.testing.assert_allclose(path, np.array(ref), rtol=1e-12, atol=1e-14)


def test_full_batch_gd_on_linear_regression_equals_a_numpy_loop_and_reaches_lstsq():
    problem = DatasetProblem("line", "linear", "l2")
    x, y = problem.X[:, 0], problem.y
    theta = np.array([-1.0, 2.0])
    path = engine.trajectory(problem, "gd", theta, 3000, lr=0.05)
    ref = [theta]
    for _ in range(3000):
        theta = theta - 0.05 * line_grad(theta, x, y)
        ref.append(theta)
    np.testing.assert_allclose(path, np.array(ref), rtol=1e-11, atol=1e-13)
    lstsq = np.linalg.lstsq(np.c_[x, np.ones_like(x)], y, rcond=None)[0]
    np.testing.assert_allclose(problem.minima[0], lstsq, rtol=1e-12)
    np.testing.assert_allclose(path[-1], lstsq, rtol=1e-9, atol=1e-12)
    race = Race(problem)
    uid = race.add_run("gd", theta, lr=0.05)
    race.advance(3000)
    assert run_of(race, uid).reached_at is not None


def test_ridge_minimum_is_listed_and_reached():
    problem = DatasetProblem("line", "linear", "l2", l2=0.3)
    x, y = problem.X[:, 0], problem.y
    A = np.c_[x, np.ones_like(x)]
    n = len(x)
    expected = np.linalg.solve(A.T @ A / n + 0.3 * np.diag([1.0, 0.0]), A.T @ y / n)
    np.testing.assert_allclose(problem.minima[0], expected, rtol=1e-12)
    assert np.linalg.norm(problem.grad(expected)) < 1e-12
    path = engine.trajectory(problem, "adam", None, 4000, lr=0.05)
    np.testing.assert_allclose(path[-1], expected, atol=1e-6)
    assert DatasetProblem("line", "linear", "l2", l1=0.1).minima.shape == (0, 2)
    assert DatasetProblem("line", "linear", "l1").minima.shape == (0, 2)


# ------------------------------------------------------- mini-batches equal NumPy loops
@pytest.mark.parametrize("batch", [1, 8, 30])
def test_mini_batch_gd_equals_a_numpy_loop_over_the_same_batches(batch):
    problem = DatasetProblem("line", "linear", "l2")
    x, y = problem.X[:, 0], problem.y
    theta = np.array([0.0, -1.0])
    steps = 3 * problem.steps_per_epoch(batch) + 5
    path = engine.trajectory(problem, "gd", theta, steps, batch, lr=0.02)
    ref = [theta]
    for idx in problem.batches(batch, steps):
        theta = theta - 0.02 * line_grad(theta, x[idx], y[idx])
        ref.append(theta)
    np.testing.assert_allclose(path, np.array(ref), rtol=1e-12, atol=1e-13)


def test_mini_batch_logistic_regression_equals_a_numpy_loop_with_seeded_shuffles():
    problem = DatasetProblem("blobs", "logistic", "log", seed=3)
    X, y = problem.X, problem.y.astype(float)
    w = np.array([1.0, -1.0])
    path = engine.trajectory(problem, "gd", w, 120, 16, lr=0.3, seed=11)
    ref = [w]
    for idx in problem.batches(16, 120, race_seed=11):
        w = w - 0.3 * logistic_grad(w, X[idx], y[idx])
        ref.append(w)
    np.testing.assert_allclose(path, np.array(ref), rtol=1e-12, atol=1e-14)


def test_mlp_training_matches_torch_step_for_step():
    """The same MLP, the same batches, torch.optim.SGD with momentum: the same parameters."""
    torch = pytest.importorskip("torch")
    problem = DatasetProblem(make_dataset("moons", 120, seed=2), Model("mlp", hidden=(8, 5)), "bce")
    theta0 = problem.default_start
    path = engine.trajectory(problem, "sgd", theta0, 40, 16, lr=0.2, momentum=0.9)
    net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 5),
                              torch.nn.Tanh(), torch.nn.Linear(5, 1)).double()
    with torch.no_grad():
        params = list(net.parameters())
        for p, (_, sl, shape) in zip(params, problem.network.layout(), strict=True):
            p.copy_(torch.from_numpy(theta0[sl].reshape(shape)))
    opt = torch.optim.SGD(net.parameters(), lr=0.2, momentum=0.9)
    X, y = torch.from_numpy(problem.X), torch.from_numpy(problem.y.astype(float))
    for k, idx in enumerate(problem.batches(16, 40)):
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(net(X[idx])[:, 0], y[idx])
        loss.backward()
        opt.step()
        flat = torch.cat([p.detach().reshape(-1) for p in net.parameters()]).numpy()
        np.testing.assert_allclose(path[k + 1], flat, rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------- the runs share batches
def test_runs_with_the_same_batch_size_see_the_same_batches():
    problem = DatasetProblem("moons", Model("mlp", hidden=(6,)), "log")
    race = Race(problem, seed=4)
    a = race.add_run("gd", lr=0.1, batch_size=10)
    race.add_run("adam", lr=0.01, batch_size=3)
    b = race.add_run("gd", lr=0.1, batch_size=10)
    race.add_run("gd", lr=0.1)
    race.advance(137)
    assert bits(run_of(race, a).path) == bits(run_of(race, b).path)
    # ... and a run with its own shuffle does not
    own = DatasetProblem("moons", Model("mlp", hidden=(6,)), "log", shuffle="independent")
    race = Race(own, seed=4)
    a = race.add_run("gd", lr=0.1, batch_size=10)
    b = race.add_run("gd", lr=0.1, batch_size=10)
    race.advance(50)
    assert bits(run_of(race, a).path) != bits(run_of(race, b).path)


def test_chunking_does_not_change_the_numbers():
    problem = DatasetProblem("spirals", Model("mlp", hidden=(8, 8)), "log")

    def run(chunks):
        race = Race(problem, seed=2)
        for opt, b in (("adam", 7), ("sgd", 1), ("gd", None), ("rmsprop", 64)):
            race.add_run(opt, lr=0.01, batch_size=b)
        for c in chunks:
            race.advance(c)
        return race.snapshot()

    a, b = run([300]), run([1, 2, 37, 5, 100, 155])
    for ra, rb in zip(a.runs, b.runs, strict=True):
        for name in ("path", "losses", "grad_norms", "test_losses"):
            assert bits(getattr(ra, name)) == bits(getattr(rb, name)), (ra.label, name)


def test_the_cursor_counts_samples_and_epochs():
    problem = DatasetProblem(make_dataset("xor", 100, test_fraction=0.0), "mlp")
    race = Race(problem)
    sgd = race.add_run("gd", lr=0.01, batch_size=1)
    mini = race.add_run("gd", lr=0.01, batch_size=30)
    gd = race.add_run("gd", lr=0.01)
    race.advance(9)
    seen = dict(zip(race.run_ids, race.seen, strict=True))
    # 30, 30, 30, 10 | 30, 30, 30, 10 | 30 → 9 steps = 2 epochs + 30 samples
    assert seen == {sgd: 9, mini: 230, gd: 900}
    assert problem.steps_per_epoch(30) == 4
    race.reset()
    assert list(race.seen) == [0, 0, 0]
    assert [run_of(race, u).batch_size for u in (sgd, mini, gd)] == [1, 30, None]


# --------------------------------------------------------------------- batch validation
@pytest.mark.parametrize("bad", [0, -1, 101, 2.5, True, "8", 1e3])
def test_a_bad_batch_size_raises_a_clear_value_error(bad):
    problem = DatasetProblem(make_dataset("moons", 100, test_fraction=0.0), "mlp")
    race = Race(problem)
    with pytest.raises(ValueError, match=r"Invalid batch_size: ") as err:
        race.add_run("gd", lr=0.1, batch_size=bad)
    assert repr(bad) in str(err.value) and "[1, 100]" in str(err.value)
    assert race.run_ids == []
    with pytest.raises(ValueError, match=r"Invalid batch_size: "):
        engine.trajectory(problem, "gd", None, 5, bad, lr=0.1)


def test_surfaces_accept_and_ignore_a_batch_size():
    plain = engine.trajectory("rosenbrock", "adam", (-1.0, 1.0), 50, lr=0.01)
    batched = engine.trajectory("rosenbrock", "adam", (-1.0, 1.0), 50, 8, lr=0.01)
    assert bits(plain) == bits(batched)
    with pytest.raises(ValueError, match="Invalid batch_size"):
        Race("rosenbrock").add_run("gd", batch_size=0)


def test_zero_points_is_a_clear_value_error():
    with pytest.raises(ValueError, match="zero points"):
        Dataset.from_arrays(np.zeros((0, 2)), np.zeros(0))
    with pytest.raises(ValueError, match="n_points"):
        make_dataset("moons", 0)
