"""Map planes: what the map shows of a problem (domain, projection, field, minima): Qt-free."""

import numpy as np

from descentlab import engine
from descentlab.engine.maps.planes import ParameterPlane, SlicePlane, SurfacePlane


def test_a_surface_plane_is_the_surface_itself():
    problem = engine.SurfaceProblem("himmelblau")
    plane = SurfacePlane(problem)
    assert plane.domain == problem.surface.domain
    pts = np.array([[1.0, 2.0], [-3.0, 0.5]])
    np.testing.assert_array_equal(plane.to_map(pts), pts)
    np.testing.assert_array_equal(plane.from_map(0.5, -1.5), [0.5, -1.5])
    minima = plane.minima()
    assert len(minima) == len(problem.surface.minima) == len(plane.minima_values)
    assert all(m.is_global for m in minima)  # Himmelblau: four equal minima
    assert plane.f_min == problem.f_min
    xs, ys = np.linspace(-1, 1, 4), np.linspace(-2, 2, 3)
    np.testing.assert_array_equal(plane.field(xs, ys), problem.loss_grid(xs, ys))


def test_a_two_parameter_model_plane_is_its_parameters():
    problem = engine.DatasetProblem("line", "linear")
    plane = ParameterPlane(problem)
    assert plane.domain == problem.domain
    assert len(plane.minima()) == len(problem.minima) == len(plane.minima_values)
    np.testing.assert_allclose(plane.minima_values, problem.loss(problem.minima))
    xs, ys = np.linspace(-1, 1, 4), np.linspace(-2, 2, 3)
    np.testing.assert_array_equal(plane.field(xs, ys), problem.loss_grid(xs, ys))


def test_a_slice_plane_projects_its_own_points_back_onto_the_map():
    problem = engine.DatasetProblem("moons", "mlp")
    origin = problem.default_start
    plane = SlicePlane(problem, origin, seed=3)
    assert plane.domain == (-1.0, 1.0, -1.0, 1.0)
    assert plane.minima() == [] and plane.minima_values == ()
    np.testing.assert_allclose(plane.to_map(origin[None, :]), [[0.0, 0.0]], atol=1e-12)
    theta = plane.from_map(0.3, -0.7)
    assert theta.shape == (problem.n_params,)
    np.testing.assert_allclose(plane.to_map(theta), [[0.3, -0.7]], atol=1e-9)
    z = plane.field(np.array([0.0, 0.3]), np.array([-0.7, 0.0]))
    np.testing.assert_allclose(z[1, 0], problem.loss(origin), rtol=1e-12)
    np.testing.assert_allclose(z[0, 1], problem.loss(theta), rtol=1e-12)
