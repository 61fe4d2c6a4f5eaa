"""engine.maps.curvature: the local quadratic model a step feels, and the stability limits.

The limits are checked by racing: GD (and heavy-ball momentum) just below the limit the
curvature gives converges on a quadratic, just above it diverges.
"""

import math

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.maps.curvature import curvature_at, lr_limit, model_curves, stable_outline, step_regime
from descentlab.engine.maps.planes import SlicePlane


def _final_distance(optimizer: str, lr: float, steps: int = 3000, **hyper) -> float:
    path = engine.trajectory("ellipse", optimizer, (-4.5, 1.0), steps, lr=lr, **hyper)
    last = path[-1]
    return float(np.hypot(*last)) if np.all(np.isfinite(last)) else math.inf


def test_the_narrow_ellipse_has_its_known_curvature():
    c = curvature_at("ellipse", [-4.5, 1.0])  # x²/4 + 8y²: λ = 16 (y) and 0.5 (x)
    np.testing.assert_allclose(c.eigenvalues, [16.0, 0.5])
    np.testing.assert_allclose(np.abs(c.directions), [[0.0, 1.0], [1.0, 0.0]], atol=1e-15)
    assert c.kappa == pytest.approx(32.0)
    assert c.limit == pytest.approx(2.0 / 16.0)
    np.testing.assert_allclose(c.point + c.newton, [0.0, 0.0], atol=1e-12)  # a quadratic: one leap
    assert not c.saddle and not c.negative and not c.projected
    assert "32" in c.words()


@pytest.mark.parametrize("factor, converges", [(0.99, True), (1.01, False)])
def test_gd_at_the_stability_limit(factor, converges):
    c = curvature_at("ellipse", [-4.5, 1.0])
    d = _final_distance("gd", factor * c.limit)
    assert (d < 1e-6) if converges else (d > 1e3)


@pytest.mark.parametrize("optimizer, hyper", [("sgd", {"momentum": 0.6}), ("momentum", {"beta": 0.5})])
@pytest.mark.parametrize("factor, converges", [(0.99, True), (1.01, False)])
def test_heavy_ball_at_its_stability_limit(optimizer, hyper, factor, converges):
    lam = curvature_at("ellipse", [1.0, 1.0]).lam_max
    limit = lr_limit(optimizer, hyper, lam)
    d = _final_distance(optimizer, factor * limit, **hyper)
    assert (d < 1e-6) if converges else (d > 1e3)


def test_lr_limits_follow_the_formulas():
    assert lr_limit("gd", {}, 4.0) == pytest.approx(0.5)
    assert lr_limit("gd", {"weight_decay": 1.0}, 4.0) == pytest.approx(0.4)  # wd adds to λ
    assert lr_limit("sgd", {"momentum": 0.5}, 4.0) == pytest.approx(2 * 1.5 / 4)
    assert lr_limit("sgd", {"momentum": 0.5, "dampening": 0.5}, 4.0) == pytest.approx(2 * 1.5 / 2)
    assert lr_limit("momentum", {"beta": 0.5}, 4.0) == pytest.approx(2 * 1.5 / (0.5 * 4))
    assert lr_limit("gd", {}, -1.0) == math.inf  # no positive curvature: no limit
    assert lr_limit("adam", {}, 4.0) is None
    assert lr_limit("sgd", {"momentum": 0.5, "nesterov": 1.0}, 4.0) is None


def test_a_saddle_is_drawn_and_said_as_one():
    c = curvature_at("saddle", [-2.5, 1e-5])  # x² − y² + y⁴/2: λ = 2, −2 at y = 0
    np.testing.assert_allclose(c.eigenvalues, [2.0, -2.0], atol=1e-9)
    assert c.saddle and c.negative
    assert "saddle" in c.words() and "negative curvature" in c.words()
    np.testing.assert_allclose(c.point + c.newton, [0.0, 0.0], atol=1e-6)  # Newton heads for the saddle
    m = model_curves(c, 0.5)
    for xs, _ys in (m.positive, m.negative, m.asymptotes):
        assert np.isfinite(xs).sum() > 2
    # the level curves of q(d) = ½ dᵀHd: +q on one pair of branches, −q on the other, 0 on the asymptotes

    def q(xs, ys):
        d = np.c_[xs - c.point[0], ys - c.point[1]]
        return 0.5 * np.einsum("ki,ij,kj->k", d, c.hessian, d)

    pos, neg = q(*m.positive), q(*m.negative)
    assert np.nanmin(pos) > 0 and np.nanmax(neg) < 0
    np.testing.assert_allclose(pos[np.isfinite(pos)], pos[0])
    np.testing.assert_allclose(q(*m.asymptotes)[np.isfinite(m.asymptotes[0])], 0.0, atol=1e-12)


def test_the_ellipse_is_a_level_curve_long_along_the_flat_direction():
    c = curvature_at("ellipse", [-4.5, 1.0])
    m = model_curves(c, 1.0)
    xs, ys = m.positive
    d = np.c_[xs - c.point[0], ys - c.point[1]]
    q = 0.5 * np.einsum("ki,ij,kj->k", d, c.hessian, d)
    np.testing.assert_allclose(q, q[0])
    assert np.ptp(xs) == pytest.approx(2.0) and np.ptp(ys) == pytest.approx(2.0 / math.sqrt(32.0))
    assert m.negative[0].size == 0 and m.asymptotes[0].size == 0


def test_a_bigger_model_is_projected_on_the_maps_slice():
    problem = engine.DatasetProblem("moons", engine.Model("mlp", hidden=(3,)), "log")
    theta = problem.default_start
    plane = SlicePlane(problem, theta, seed=1)
    c = curvature_at(problem, theta, plane)
    H = engine.hessian(problem, theta)
    B = np.c_[plane.u, plane.v]
    np.testing.assert_allclose(c.hessian, B.T @ H @ B, rtol=1e-9, atol=1e-12)
    assert c.projected
    assert c.lam_max == pytest.approx(np.linalg.eigvalsh(H)[-1])  # the limit: the full Hessian's
    np.testing.assert_allclose(c.point, [0.0, 0.0], atol=1e-12)
    with pytest.raises(ValueError, match="slice plane"):
        curvature_at(problem, theta)


def test_bad_input_is_refused_with_the_value_and_what_is_allowed():
    with pytest.raises(ValueError, match=r"Invalid theta: shape \(3,\).*\(2,\)"):
        curvature_at("bowl", [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Invalid theta.*finite"):
        curvature_at("bowl", [np.nan, 0.0])
    with pytest.raises(ValueError, match="Invalid radius: -1.*> 0"):
        model_curves(curvature_at("bowl", [1.0, 0.0]), -1.0)


def test_stable_outline_over_a_hyper_maps_axes():
    betas = np.array([0.0, 0.5, 0.9])
    xs, ys = stable_outline("sgd", {"momentum": 0.0}, 4.0, ("lr", np.geomspace(1e-3, 10, 5)),
                            ("momentum", betas))
    np.testing.assert_allclose(xs, 2 * (1 + betas) / 4.0)
    np.testing.assert_array_equal(ys, betas)
    xs, ys = stable_outline("sgd", {}, 4.0, ("momentum", betas), ("lr", np.geomspace(1e-3, 10, 5)))
    np.testing.assert_allclose(ys, 2 * (1 + betas) / 4.0)  # swapped axes
    (x,), _ = stable_outline("gd", {}, 4.0, ("lr", np.geomspace(1e-3, 10, 5)))
    assert x == pytest.approx(0.5)
    assert stable_outline("adam", {}, 4.0, ("lr", betas)) is None
    assert stable_outline("sgd", {}, 4.0, ("momentum", betas), ("dampening", betas)) is None
    assert stable_outline("gd", {}, -1.0, ("lr", betas)) is None


def test_step_regime_says_what_lr_lambda_does():
    assert "zig-zags" in step_regime(0.1, 16.0)
    assert "crawls" in step_regime(0.1, 0.5)
    assert "diverges" in step_regime(0.2, 16.0)
    assert "away" in step_regime(0.1, -2.0)
