"""The map's field (colour values and contour lines) and its upsampling: Qt-free."""

import numpy as np

from descentlab import engine
from descentlab.engine.maps.fields import FieldRequest, compute_field, upsample


def test_upsample_keeps_the_grid_points_and_interpolates_between_them():
    t = np.array([[0.0, 1.0, 2.0], [10.0, 11.0, 12.0]])
    up = upsample(t, 4)
    assert up.shape == (5, 9)
    np.testing.assert_allclose(up[::4, ::4], t)
    np.testing.assert_allclose(up[0, 2], 0.5)
    np.testing.assert_allclose(up[2, 0], 5.0)


def test_a_field_covers_its_request_with_finite_levels_and_separated_contours():
    problem = engine.SurfaceProblem("rosenbrock")
    req = FieldRequest(7, problem.loss_grid, (-2.0, 2.0), (-1.0, 3.0), 64, 48)
    field = compute_field(req)
    assert field.serial == 7 and field.xrange == (-2.0, 2.0) and field.yrange == (-1.0, 3.0)
    lo, hi = field.levels
    assert np.isfinite(lo) and np.isfinite(hi) and hi > lo
    assert field.contours.ndim == 2 and field.contours.shape[1] == 2 and len(field.contours)
    assert np.isnan(field.contours[-1]).all()  # each level's polyline ends with a NaN row


def test_a_coarse_field_is_upsampled_a_fine_one_is_not():
    problem = engine.SurfaceProblem("bowl")
    coarse = compute_field(FieldRequest(0, problem.loss_grid, (-1.0, 1.0), (-1.0, 1.0), 48, 48))
    fine = compute_field(FieldRequest(0, problem.loss_grid, (-1.0, 1.0), (-1.0, 1.0), 200, 150))
    assert coarse.values.shape == (47 * 4 + 1, 47 * 4 + 1)
    assert fine.values.shape == (150, 200)


def test_a_surface_problem_gives_its_loss_on_a_grid_like_a_dataset_problem():
    problem = engine.SurfaceProblem("beale")
    xs, ys = np.linspace(-1.0, 2.0, 5), np.linspace(0.0, 1.0, 3)
    z = problem.loss_grid(xs, ys)
    assert z.shape == (3, 5)
    gx, gy = np.meshgrid(xs, ys)
    loss, _, _ = problem.evaluate(np.c_[gx.ravel(), gy.ravel()])
    np.testing.assert_allclose(z, loss.reshape(3, 5), rtol=1e-14)
