"""Newton's method and damped Newton in the race: the Hessian each step uses, the one-step leap
on a quadratic, singular and indefinite Hessians, datasets, and the refusal beyond 64
parameters. (Their paths against the NumPy references: test_optimizer_reference.py,
test_explain.py.)"""

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.optimizers._newton import newton_solve, newton_solve_numpy
from descentlab.engine.race.steps import DAMPING_SLOT, NEEDS_HESSIAN


def test_newton_leaps_to_the_minimum_of_a_quadratic_in_one_step():
    race = engine.Race("ellipse")
    uid = race.add_run("newton", (-4.5, 1.5))
    race.advance(1)
    snap = race.snapshot().runs[0]
    assert np.array_equal(snap.position, [0.0, 0.0])
    assert snap.reached_at == 1
    e = race.explain(uid)
    np.testing.assert_array_equal(e["direction"], [-4.5, 1.5])  # H⁻¹g = θ − θ*


@pytest.mark.parametrize("text", ["3*x^2 + x*y + 2*y^2 - x + 4*y", "(x - 1)^2 + 10*(x + y)^2"])
def test_a_typed_quadratic_too(text):
    problem = engine.FormulaSurface(text, minima=[])
    H = engine.hessian(problem, np.zeros(2))
    g0 = problem.evaluate(np.zeros((1, 2)))[1][0]
    minimum = -np.linalg.solve(H, g0)
    path = engine.trajectory(problem, "newton", (0.7, -0.4), 1)
    np.testing.assert_allclose(path[1], minimum, rtol=1e-13, atol=1e-15)


def test_damped_newton_is_newton_at_zero_damping_and_solves_h_plus_lambda():
    a = engine.trajectory("rosenbrock", "newton", (-1.2, 1.0), 12, lr=0.5)
    b = engine.trajectory("rosenbrock", "damped_newton", (-1.2, 1.0), 12, lr=0.5, damping=0.0)
    assert np.array_equal(a, b)
    lam = 3.0
    c = engine.trajectory("rosenbrock", "damped_newton", (-1.2, 1.0), 1, damping=lam)
    theta = np.array([-1.2, 1.0])
    g = engine.SurfaceProblem("rosenbrock").evaluate(theta[None])[1][0]
    H = engine.hessian("rosenbrock", theta)
    np.testing.assert_allclose(c[1], theta - np.linalg.solve(H + lam * np.eye(2), g), rtol=1e-14)


def test_newton_steps_differ_by_their_damping_only():
    """The two modules share the step θ − α·d; what differs is the direction the race solves
    before it (the damping slot): a swapped dispatch branch would change nothing."""
    newton, damped = (engine.get_optimizer(k) for k in ("newton", "damped_newton"))
    assert NEEDS_HESSIAN[newton.id] and NEEDS_HESSIAN[damped.id]
    assert DAMPING_SLOT[newton.id] == -1 and DAMPING_SLOT[damped.id] == damped.hyper_names.index("damping")
    others = [s for s in engine.OPTIMIZERS.values() if s.key not in ("newton", "damped_newton")]
    assert not any(NEEDS_HESSIAN[s.id] for s in others)
    a = engine.trajectory("himmelblau", "damped_newton", (1.0, 1.0), 5, damping=1.0)
    b = engine.trajectory("himmelblau", "newton", (1.0, 1.0), 5)
    assert not np.allclose(a, b)


def test_a_singular_hessian_makes_the_run_diverge_and_damping_avoids_it():
    problem = engine.FormulaSurface("x^2", minima=[[0.0, 0.0]])  # ∂²f/∂y² = 0: H is singular
    race = engine.Race(problem)
    newton = race.add_run("newton", (1.0, 1.0))
    damped = race.add_run("damped_newton", (1.0, 1.0), damping=0.1)
    race.advance(5)
    runs = {r.uid: r for r in race.snapshot().runs}
    assert runs[newton].diverged_at == 1
    assert np.array_equal(runs[newton].position, [1.0, 1.0])  # frozen at its last point
    assert runs[damped].diverged_at is None and np.isfinite(runs[damped].position).all()
    assert runs[damped].position[0] < 0.01 and runs[damped].position[1] == 1.0  # g_y = 0


def test_an_indefinite_hessian_sends_newton_to_the_saddle():
    """x² − y² + y⁴/2: from near the saddle's axis, pure Newton heads for the stationary point of
    its local model, the saddle (0, 0); damping does not change that (λ < |λ_min|)."""
    path = engine.trajectory("saddle", "newton", (0.5, 0.3), 30)
    np.testing.assert_allclose(path[-1], [0.0, 0.0], atol=1e-12)


def test_the_solve_is_the_numpy_mirror_bit_for_bit():
    rng = np.random.default_rng(5)
    for n in (1, 2, 5, 17, 64):
        H = rng.standard_normal((n, n))
        H = H + H.T
        H[0, 0] = 0.0  # a zero first pivot: pivoting needed
        g = rng.standard_normal(n)
        A, b = H.copy(), g.copy()
        from numba import njit

        @njit
        def solve(A, b, lam):
            newton_solve(A, b, lam)

        solve(A, b, 0.25)
        np.testing.assert_array_equal(b, newton_solve_numpy(H, g, 0.25))
        np.testing.assert_allclose(b, np.linalg.solve(H + 0.25 * np.eye(n), g), rtol=1e-9)
    assert np.isnan(newton_solve_numpy(np.zeros((2, 2)), np.ones(2), 0.0)).all()


def test_linear_regression_newton_is_the_least_squares_fit_in_one_step():
    problem = engine.DatasetProblem("line", "linear", "l2")
    race = engine.Race(problem)
    race.add_run("newton")
    race.add_run("adam", lr=0.05)
    race.advance(1)
    np.testing.assert_allclose(race.runs.theta[0], problem.minima[0], rtol=1e-12)
    assert race.snapshot().runs[0].reached_at == 1


def test_logistic_regression_newton_is_irls():
    """Full-batch Newton on the log loss is iteratively reweighted least squares, written here
    from its textbook form."""
    problem = engine.DatasetProblem("blobs", "logistic", "log", l2=0.01)
    X = np.c_[problem.X, np.ones(problem.n_train)] if problem.network.bias else problem.X
    y = problem.y.astype(float)
    mask = problem.net.wmask
    theta = problem.default_start.copy()
    path = [theta]
    for _ in range(4):
        p = 1.0 / (1.0 + np.exp(-(X @ theta)))
        g = X.T @ (p - y) / len(y) + 2 * 0.01 * mask * theta
        H = X.T @ (X * (p * (1 - p))[:, None]) / len(y) + 2 * 0.01 * np.diag(mask)
        theta = theta - 0.8 * np.linalg.solve(H, g)
        path.append(theta)
    got = engine.trajectory(problem, "newton", problem.default_start, 4, lr=0.8)
    np.testing.assert_allclose(got, np.array(path), rtol=1e-9, atol=1e-12)


def test_minibatch_newton_uses_each_batchs_hessian():
    problem = engine.DatasetProblem("moons", engine.Model("mlp", hidden=(3,)), "log")
    race = engine.Race(problem)
    uid = race.add_run("damped_newton", batch_size=16, lr=0.5, damping=0.1)
    theta = problem.default_start.copy()
    batches = problem.batches(16, 6)
    for batch in batches:
        _, g = problem._objective_rows(theta, problem.train, batch, 0, len(batch),
                                       problem._default_objective, True)
        from descentlab.engine.data.hessian import dataset_hessian

        H = dataset_hessian(problem, theta, idx=batch)
        theta = theta - 0.5 * np.linalg.solve(H + 0.1 * np.eye(problem.n_params), g[0])
    race.advance(6)
    np.testing.assert_allclose(race.runs.theta[0], theta, rtol=1e-9, atol=1e-12)
    w = race.walk(uid)
    race.advance(1)
    np.testing.assert_array_equal(w.theta_next, race.runs.theta[0])


def test_newton_is_refused_beyond_64_parameters():
    problem = engine.DatasetProblem("moons", engine.Model("mlp", hidden=(16,)), "log")
    race = engine.Race(problem)
    with pytest.raises(ValueError, match=rf"Newton needs the exact Hessian.*P = {problem.n_params}"):
        race.add_run("newton")
    assert race.runs.hess.shape[1:] == (0, 0)  # no Hessian rows kept for such a problem
    race.add_run("adam")  # the others still run


def test_newton_runs_leave_the_other_runs_bit_identical():
    alone = engine.Race("rosenbrock")
    alone.add_run("adam", (-1.2, 1.0), lr=0.01)
    alone.add_run("rprop", (-1.2, 1.0))
    mixed = engine.Race("rosenbrock")
    mixed.add_run("newton", (-1.2, 1.0), lr=0.3)
    mixed.add_run("adam", (-1.2, 1.0), lr=0.01)
    mixed.add_run("damped_newton", (-1.2, 1.0))
    mixed.add_run("rprop", (-1.2, 1.0))
    alone.advance(200)
    mixed.advance(200)
    np.testing.assert_array_equal(alone.runs.theta, mixed.runs.theta[[1, 3]])
    np.testing.assert_array_equal(alone.hist.path, mixed.hist.path[[1, 3]])


def test_rewind_replays_newton_bit_for_bit():
    problem = engine.DatasetProblem("moons", "logistic", "log")
    race = engine.Race(problem)
    race.add_run("newton", lr=0.5, batch_size=20)
    race.add_run("sgd", lr=0.1)
    race.advance(7)
    then = race.runs.theta.copy()
    race.advance(5)
    race.rewind(7)
    np.testing.assert_array_equal(race.runs.theta, then)


def test_a_basin_map_cell_is_the_newton_race_from_its_start():
    xs = np.array([-4.0, -1.0, 2.5])
    ys = np.array([-3.0, 0.5, 3.5])
    b = engine.basin_map("himmelblau", "damped_newton", xs, ys, 40, damping=0.5)
    for j, y in enumerate(ys):
        for i, x in enumerate(xs):
            race = engine.Race("himmelblau")
            race.add_run("damped_newton", (x, y), damping=0.5)
            race.advance(40)
            run = race.snapshot().runs[0]
            assert b.steps[j, i] == (-1 if run.reached_at is None else run.reached_at)
            assert b.which[j, i] == (run.reached_minimum if run.reached_at is not None else
                                     (-1 if run.diverged_at is not None else -2))
