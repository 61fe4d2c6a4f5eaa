"""engine.maps.relief: the 3-D view's heights, and points lifted onto them."""

import numpy as np
import pytest

from descentlab.engine.maps.planes import SurfacePlane
from descentlab.engine.maps.relief import HEIGHT, OFFSET, bilinear, compute_relief, prefers_log, until_outside
from descentlab.engine.problems import as_problem


def plane(xs, ys):
    x, y = np.meshgrid(xs, ys)  # Z[j, i]
    return 3.0 * x - 2.0 * y + 10.0


def surface_field(key):
    return SurfacePlane(as_problem(key)).field


def test_heights_span_zero_to_height_and_follow_the_loss():
    r = compute_relief(plane, (-1, 1, 0, 2), 21, log=False)
    assert r.heights.shape == (21, 21)
    assert r.heights.min() == pytest.approx(0.0)
    assert r.heights.max() == pytest.approx(HEIGHT)
    # linear: heights are the loss rescaled, so the lowest loss is the lowest node
    assert np.unravel_index(r.heights.argmin(), r.heights.shape) == np.unravel_index(r.loss.argmin(), r.loss.shape)
    assert np.allclose(r.heights, (r.loss - r.loss.min()) / np.ptp(r.loss) * HEIGHT)


def test_log_height_is_the_maps_colour_transform_rescaled():
    r = compute_relief(surface_field("rosenbrock"), (-2, 2, -1, 3), 40, log=True)
    lin = compute_relief(surface_field("rosenbrock"), (-2, 2, -1, 3), 40, log=False, loss=r.loss)
    t = r.colour
    assert np.allclose(r.heights, (t - t.min()) / np.ptp(t) * HEIGHT)
    # the valley floor rises out of the flat: the median node is far higher in log height
    assert np.median(r.heights) > 3 * np.median(lin.heights)
    assert r.log and not lin.log


def test_auto_log_height_for_beale_not_for_a_bowl():
    beale = surface_field("beale")(np.linspace(-4.5, 4.5, 60), np.linspace(-4.5, 4.5, 60))
    assert prefers_log(beale)
    assert not prefers_log(plane(np.linspace(-1, 1, 30), np.linspace(-1, 1, 30)))
    assert compute_relief(surface_field("beale"), (-4.5, 4.5, -4.5, 4.5), 60).log


def test_lift_puts_points_on_the_mesh_at_its_nodes_and_between():
    r = compute_relief(plane, (-1, 1, 0, 2), 11, log=False)
    nodes = np.array([[r.xs[3], r.ys[7]], [r.xs[0], r.ys[0]], [r.xs[10], r.ys[10]]])
    lifted = r.lift(nodes)
    assert np.allclose(lifted[:, 2], [r.heights[7, 3] + OFFSET, r.heights[0, 0] + OFFSET, r.heights[10, 10] + OFFSET])
    # a plane is reproduced exactly between nodes by bilinear interpolation
    pts = np.array([[0.123, 0.77], [-0.9, 1.95]])
    expected = (plane(pts[:, 0], pts[:, 1]).diagonal() - r.loss.min()) / np.ptp(r.loss) * HEIGHT
    assert np.allclose(r.lift(pts, offset=0.0)[:, 2], expected)
    # world x, y: the longer side spans 2 and the region's centre is the origin
    assert np.allclose(r.lift(np.array([[0.0, 1.0]]))[0, :2], [0.0, 0.0])
    assert r.world_box == pytest.approx((-1.0, 1.0, -1.0, 1.0))


def test_world_box_keeps_proportions_unless_the_axes_are_not_comparable():
    same = compute_relief(plane, (0, 4, 0, 1), 5, log=False)
    assert same.world_box == pytest.approx((-1.0, 1.0, -0.25, 0.25))
    stretched = compute_relief(plane, (0, 4, 0, 1), 5, log=False, same_units=False)
    assert stretched.world_box == pytest.approx((-1.0, 1.0, -1.0, 1.0))


def test_bilinear_clamps_points_outside_the_grid_to_its_edge():
    xs, ys = np.array([0.0, 1.0]), np.array([0.0, 1.0])
    grid = np.array([[0.0, 1.0], [2.0, 3.0]])  # grid[j, i]
    assert bilinear(xs, ys, grid, np.array([0.5, 5.0, -3.0]), np.array([0.5, 0.0, 1.0])).tolist() == [1.5, 1.0, 2.0]


def test_contour_segments_lie_on_the_mesh():
    r = compute_relief(surface_field("himmelblau"), (-5, 5, -5, 5), 50, log=False)
    seg = r.contour_segments(offset=0.0)
    assert len(seg) > 100 and len(seg) % 2 == 0
    assert np.isfinite(seg).all()
    on_mesh = r.height_at(seg[:, 0] / r.scale[0] + r.centre[0], seg[:, 1] / r.scale[1] + r.centre[1])
    assert np.allclose(seg[:, 2], on_mesh)


def test_skirt_walls_run_from_the_edge_down_to_the_floor():
    r = compute_relief(plane, (-1, 1, 0, 2), 9, log=False)
    verts, faces = r.skirt()
    assert verts.shape == (4 * 2 * 9, 3)
    assert faces.shape == (4 * 2 * 8, 3) and faces.max() < len(verts)
    assert set(np.round(verts[:, 2], 9)) >= {0.0}
    top = verts[verts[:, 2] > 0]
    assert np.allclose(np.abs(top[:, :2]).max(axis=1), 1.0)  # every top vertex on the box's edge


def test_until_outside_cuts_a_diverged_path_where_it_leaves():
    path = np.array([[0.0, 0.0], [0.5, 0.5], [3.0, 0.0], [0.1, 0.1]])
    assert until_outside(path, (-1, 1, -1, 1)).tolist() == [[0.0, 0.0], [0.5, 0.5]]
    assert until_outside(path[:2], (-1, 1, -1, 1)).shape == (2, 2)
    assert until_outside(np.array([[5.0, 5.0]]), (-1, 1, -1, 1)).shape == (1, 2)


@pytest.mark.parametrize("region, n, fragment", [
    ((1, 0, 0, 1), 10, "x0 < x1"),
    ((0, 1, 0, float("nan")), 10, "finite"),
    ((0, 1, 0, 1), 1, "n must be 2"),
])
def test_bad_input_is_named(region, n, fragment):
    with pytest.raises(ValueError, match=fragment):
        compute_relief(plane, region, n)

