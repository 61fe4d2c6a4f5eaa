"""engine.maps.drawing's contour lines: the one contour function the map, the 3-D relief and
the data plot's decision edges share."""

import numpy as np

from descentlab.engine.maps.drawing import contour_pieces, nan_joined

XS = np.linspace(-2.0, 2.0, 81)
YS = np.linspace(-1.5, 1.5, 61)
BOWL = XS[None, :] ** 2 + YS[:, None] ** 2  # z[j, i] = x_i² + y_j²


def test_each_level_gives_its_circle_on_the_grid():
    pieces = contour_pieces(XS, YS, BOWL, [0.25, 1.0])
    assert len(pieces) == 2
    for piece, radius in zip(pieces, (0.5, 1.0), strict=True):
        assert piece.shape[1] == 2 and not np.isnan(piece).any()  # one closed line each
        np.testing.assert_allclose(np.hypot(piece[:, 0], piece[:, 1]), radius, atol=0.01)


def test_levels_outside_the_range_or_a_grid_with_nan_give_no_lines():
    assert contour_pieces(XS, YS, BOWL, [-1.0, 100.0]) == []
    holed = BOWL.copy()
    holed[30, 40] = np.nan
    assert contour_pieces(XS, YS, holed, [1.0]) == []
    assert [len(p) > 0 for p in contour_pieces(XS, YS, BOWL, [-1.0, 1.0, 100.0])] == [True]


def test_nan_joined_puts_a_nan_row_after_each_piece():
    a, b = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[2.0, 2.0]])
    joined = nan_joined([a, b])
    assert joined.shape == (5, 2)
    np.testing.assert_array_equal(joined[[0, 1, 3]], [[0, 0], [1, 1], [2, 2]])
    assert np.isnan(joined[[2, 4]]).all()
    assert nan_joined([]).shape == (0, 2)
