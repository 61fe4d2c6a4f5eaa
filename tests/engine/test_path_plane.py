"""engine.path_plane: the plane the runs' paths live in (issue 25), and the map planes built on it."""

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.maps.planes import FittedPlane, SlicePlane, plane_loss, random_directions


def _known_plane(P=12, seed=0):
    rng = np.random.default_rng(seed)
    basis, _ = np.linalg.qr(rng.standard_normal((P, 2)))
    start = rng.standard_normal(P)
    return rng, basis.T, start


def test_paths_in_a_plane_give_that_plane_back():
    rng, basis, start = _known_plane()
    coords = [np.cumsum(rng.standard_normal((n, 2)), axis=0) for n in (30, 5, 60)]
    paths = [start + c @ basis for c in coords]
    plane = engine.path_plane(paths, start)
    assert isinstance(plane, engine.PathPlane)
    assert plane.explained == pytest.approx(1.0, abs=1e-12)
    assert plane.points == 95
    np.testing.assert_allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-12)
    # the same plane: each known direction lies in the fitted span, and the other way round
    np.testing.assert_allclose(np.linalg.norm(basis @ plane.directions.T, axis=1), 1.0, atol=1e-10)
    np.testing.assert_array_equal(plane.origin, start)
    # to_plane inverts the drawing: a point of the plane goes to (a, b) and back
    for theta in (paths[0][7], paths[2][-1]):
        a, b = plane.to_plane(theta)
        assert isinstance(a, float)
        np.testing.assert_allclose(plane.from_plane(a, b), theta, atol=1e-10)
    a, b = plane.to_plane(paths[1])
    np.testing.assert_allclose(plane.from_plane(a, b), paths[1], atol=1e-10)
    assert plane.to_plane(start) == (0.0, 0.0)


def test_explained_is_the_share_of_squared_displacement_the_plane_holds():
    rng, basis, start = _known_plane(P=9, seed=4)
    off = np.linalg.qr(np.c_[basis.T, rng.standard_normal(9)])[0][:, 2]  # ⟂ the plane
    paths = [start + np.outer(np.arange(1, 11), 3 * basis[0] + basis[1]) + np.outer(np.ones(10), 0.5 * off),
             start + np.outer(np.arange(1, 6), basis[1] - basis[0])]
    plane = engine.path_plane(paths, start)
    D = np.concatenate(paths) - start
    held = np.linalg.norm(D @ plane.directions.T) ** 2 / np.linalg.norm(D) ** 2
    assert 0.9 < plane.explained < 1.0
    assert plane.explained == pytest.approx(held, rel=1e-10)
    # the directions point the way the paths go (on average), and a refit keeps a given orientation
    assert (D @ plane.directions[0]).sum() > 0
    # the first two principal directions: the span of the top two eigenvectors of DᵀD
    top = np.linalg.eigh(D.T @ D)[1][:, -2:]
    assert abs(np.linalg.det(plane.directions @ top)) == pytest.approx(1.0, abs=1e-9)
    flipped = engine.PathPlane(start, -plane.directions, plane.explained)
    again = engine.path_plane(paths, start, like=flipped)
    np.testing.assert_allclose(again.directions, -plane.directions, atol=1e-12)


def test_many_random_paths_get_the_top_principal_plane():
    rng = np.random.default_rng(7)
    scales = np.geomspace(3.0, 0.01, 40)  # a falling spectrum, as a race's
    paths = [np.cumsum(rng.standard_normal((300, 40)) * scales, axis=0) for _ in range(3)]
    plane = engine.path_plane(paths, np.zeros(40))
    D = np.concatenate(paths)
    values, vectors = np.linalg.eigh(D.T @ D)
    assert abs(np.linalg.det(plane.directions @ vectors[:, -2:])) == pytest.approx(1.0, abs=1e-9)
    assert plane.explained == pytest.approx(values[-2:].sum() / values.sum(), rel=1e-10)


def test_few_points_and_diverged_rows_still_give_an_orthonormal_plane():
    start = np.zeros(10)  # more parameters than points, all on one line: rank 1
    line = np.outer(np.arange(4.0), np.eye(10)[2])
    blown = np.vstack([np.outer(np.arange(3.0), np.eye(10)[2]), np.full((1, 10), np.inf)])
    plane = engine.path_plane([line, blown], start)
    np.testing.assert_allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(plane.directions[0], np.eye(10)[2], atol=1e-12)
    assert plane.explained == pytest.approx(1.0) and plane.points == 7


@pytest.mark.parametrize("paths, start, match", [
    ([np.zeros((5, 4))], np.zeros(4), "none away from the start"),
    ([np.ones((5, 3))], np.zeros(4), r"paths\[0\].*\(n, 4\)"),
    ([np.ones((5, 4))], np.zeros((2, 2)), "start"),
])
def test_paths_that_cannot_choose_a_plane_are_refused(paths, start, match):
    with pytest.raises(ValueError, match=match):
        engine.path_plane(paths, start)
    with pytest.raises(ValueError, match="theta"):
        engine.path_plane([np.eye(4)], np.zeros(4)).to_plane(np.zeros(3))


@pytest.fixture(scope="module")
def mlp_race():
    problem = engine.DatasetProblem("spirals", engine.Model("mlp", hidden=(4,)))
    race = engine.Race(problem, seed=0)
    race.add_run("sgd", problem.default_start, lr=0.1, batch_size=16)
    race.add_run("adam", problem.default_start, lr=0.02)
    race.advance(40)
    return problem, race.snapshot()


def test_the_fitted_planes_loss_at_a_path_point_is_the_problems_loss_there(mlp_race):
    problem, snap = mlp_race
    start = problem.default_start
    # A path of two steps lies in its plane: the field there is the loss there.
    short = [snap.runs[1].path[:3]]
    fit = engine.path_plane(short, start)
    assert fit.explained == pytest.approx(1.0, abs=1e-12)
    plane = FittedPlane(problem, fit, short)
    a, b = fit.to_plane(short[0][2])
    z = plane.field(np.array([0.0, a]), np.array([0.0, b]))
    assert z[1, 1] == pytest.approx(problem.loss(short[0][2]), rel=1e-12)
    assert z[0, 0] == pytest.approx(problem.loss(start), rel=1e-12)
    np.testing.assert_allclose(plane.to_map(short[0][2]), [[a, b]], atol=1e-12)
    # All the paths: the map holds each of them, and a map point is the plane's point.
    paths = [r.path for r in snap.runs]
    plane = FittedPlane(problem, engine.path_plane(paths, start), paths)
    xmin, xmax, ymin, ymax = plane.domain
    for path in paths:
        pts = plane.to_map(path)
        assert (pts[:, 0] > xmin).all() and (pts[:, 0] < xmax).all()
        assert (pts[:, 1] > ymin).all() and (pts[:, 1] < ymax).all()
    theta = plane.from_map(0.3, -0.2)
    np.testing.assert_allclose(plane.to_map(theta), [[0.3, -0.2]], atol=1e-12)
    assert plane.field(np.array([0.3]), np.array([-0.2]))[0, 0] == pytest.approx(problem.loss(theta), rel=1e-12)


def test_the_plane_loss_on_two_threads_is_the_one_thread_loss(mlp_race):
    problem, _ = mlp_race
    u, v = problem.plane_directions(2)
    xs, ys = np.linspace(-1, 1, 7), np.linspace(-1, 1, 5)
    one = plane_loss(problem, problem.default_start, u, v, xs, ys, threads=1)
    np.testing.assert_array_equal(plane_loss(problem, problem.default_start, u, v, xs, ys, threads=2), one)
    np.testing.assert_array_equal(one, problem.loss_plane(problem.default_start, u, v, xs, ys))


def test_a_plain_random_plane_is_orthogonal_and_as_long_as_the_start(mlp_race):
    problem, _ = mlp_race
    origin = problem.default_start
    u, v = random_directions(problem, 3, origin)
    assert abs(u @ v) < 1e-9 * (u @ u)
    for d in (u, v):
        assert np.linalg.norm(d) == pytest.approx(np.linalg.norm(origin), rel=1e-12)
    plain, layered = SlicePlane(problem, origin, 3, normalised=False), SlicePlane(problem, origin, 3)
    assert not np.allclose(plain.u, layered.u)
    np.testing.assert_allclose(plain.to_map(plain.from_map(0.4, 0.1)), [[0.4, 0.1]], atol=1e-9)
