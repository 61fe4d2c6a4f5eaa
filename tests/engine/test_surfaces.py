"""The surface catalogue: formulas, gradients, minima, defaults and the compiled dispatch."""

import html
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from descentlab.engine.surface.catalogue import SURFACES, Surface, get_surface
from descentlab.engine.surface.functions import surface_fg, surface_grid

REQUIRED_KEYS = [
    "rosenbrock",
    "beale",
    "himmelblau",
    "ellipse",
    "bowl",
    "saddle",
    "valley",
    "plateau",
    "rastrigin",
    "ackley",
    "booth",
    "goldstein_price",
    "six_hump_camel",
    "styblinski_tang",
    "two_well",
]
KEYS = list(SURFACES)

# Points where a surface is not differentiable (finite differences are meaningless there).
KINKS = {"ackley": [(0.0, 0.0)]}
# Surfaces with a lattice of local minima: only the global minimum is listed.
LATTICE = {"rastrigin", "ackley"}

_TAU = 2.0 * np.pi

# Independent numpy formulas, written from the textbook definitions (the first three exactly
# as in the specification), to check that each id dispatches to the right kernel.
REFERENCE = {
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "beale": lambda x, y: (
        (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2
    ),
    "himmelblau": lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    "ellipse": lambda x, y: x**2 / 4 + 8 * y**2,
    "bowl": lambda x, y: (x**2 + y**2) / 2,
    "saddle": lambda x, y: x**2 - y**2 + y**4 / 2,
    "valley": lambda x, y: 4 * (x - y) ** 2 + (x + y) ** 2 / 20,
    "plateau": lambda x, y: 1 - np.exp(-(x**2 + y**2) / 2),
    "rastrigin": lambda x, y: 20 + x**2 + y**2 - 10 * (np.cos(_TAU * x) + np.cos(_TAU * y)),
    "ackley": lambda x, y: (
        -20 * np.exp(-0.2 * np.sqrt(0.5 * (x**2 + y**2)))
        - np.exp(0.5 * (np.cos(_TAU * x) + np.cos(_TAU * y)))
        + np.e
        + 20
    ),
    "booth": lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    "goldstein_price": lambda x, y: (
        (1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2))
        * (30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2))
    ),
    "six_hump_camel": lambda x, y: (
        (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2
    ),
    "styblinski_tang": lambda x, y: 0.5 * (x**4 - 16 * x**2 + 5 * x + y**4 - 16 * y**2 + 5 * y),
    "two_well": lambda x, y: (x**2 - 1) ** 2 + x / 2 + y**2,
    "matyas": lambda x, y: 0.26 * (x**2 + y**2) - 0.48 * x * y,
    "three_hump_camel": lambda x, y: 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2,
    "mccormick": lambda x, y: np.sin(x + y) + (x - y) ** 2 - 1.5 * x + 2.5 * y + 1,
}


# ----------------------------------------------------------------------------- helpers


def domain_grid(s, n=15, ny=None):
    xmin, xmax, ymin, ymax = s.domain
    xs = np.linspace(xmin, xmax, n)
    ys = np.linspace(ymin, ymax, n if ny is None else ny)
    return xs, ys


def near_kink(key, x, y, radius=1e-3):
    return any(math.hypot(x - kx, y - ky) < radius for kx, ky in KINKS.get(key, ()))


def fd_gradient(s, x, y):
    """Central differences with a relative step of 1e-6."""
    hx = 1e-6 * max(1.0, abs(x))
    hy = 1e-6 * max(1.0, abs(y))
    xp, xm, yp, ym = x + hx, x - hx, y + hy, y - hy
    gx = (s.f(xp, y) - s.f(xm, y)) / (xp - xm)
    gy = (s.f(x, yp) - s.f(x, ym)) / (yp - ym)
    return gx, gy


def assert_gradient_matches_fd(s, x, y):
    f, gx, gy = surface_fg(s.id, x, y)
    fdx, fdy = fd_gradient(s, x, y)
    # round-off of the difference quotient grows with |f|; truncation with |g| and curvature
    atol = 1e-6 * max(1.0, abs(f))
    for name, g, fd in (("x", gx, fdx), ("y", gy, fdy)):
        assert math.isfinite(g), (s.key, x, y)
        assert abs(g - fd) <= 1e-5 * abs(g) + atol, (
            f"{s.key}: d/d{name} at ({x!r}, {y!r}) is {g!r}, finite differences give {fd!r}"
        )


def hessian(s, x, y, h=1e-5):
    """Hessian from central differences of the analytic gradient."""
    gxp = np.array(surface_fg(s.id, x + h, y)[1:])
    gxm = np.array(surface_fg(s.id, x - h, y)[1:])
    gyp = np.array(surface_fg(s.id, x, y + h)[1:])
    gym = np.array(surface_fg(s.id, x, y - h)[1:])
    hm = np.column_stack(((gxp - gxm) / (2 * h), (gyp - gym) / (2 * h)))
    return 0.5 * (hm + hm.T)


def grid_local_minima(s, n=301):
    """Grid points strictly lower than their 8 neighbours (interior of the domain only)."""
    xs, ys = domain_grid(s, n)
    z = surface_grid(s.id, xs, ys)
    c = z[1:-1, 1:-1]
    mask = np.ones_like(c, dtype=bool)
    for dj in (-1, 0, 1):
        for di in (-1, 0, 1):
            if dj or di:
                mask &= c < z[1 + dj : n - 1 + dj, 1 + di : n - 1 + di]
    js, is_ = np.nonzero(mask)
    return [(xs[i + 1], ys[j + 1]) for j, i in zip(js, is_, strict=True)]


def newton(s, x, y, steps=60):
    """Newton's method on the gradient; returns the point and whether it converged."""
    p = np.array([x, y], dtype=float)
    for _ in range(steps):
        g = np.array(surface_fg(s.id, p[0], p[1])[1:])
        try:
            step = np.linalg.solve(hessian(s, p[0], p[1]), g)
        except np.linalg.LinAlgError:
            return p, False
        p = p - step
        if not np.all(np.isfinite(p)):
            return p, False
        if np.linalg.norm(step) < 1e-13 * max(1.0, np.linalg.norm(p)):
            return p, True
    return p, False


def in_domain(s, x, y):
    xmin, xmax, ymin, ymax = s.domain
    return xmin <= x <= xmax and ymin <= y <= ymax


# ----------------------------------------------------------------------------- catalogue


def test_catalogue_has_the_required_surfaces_with_contiguous_ids():
    assert len(SURFACES) >= 16
    assert set(REQUIRED_KEYS) <= set(SURFACES)
    assert [s.id for s in SURFACES.values()] == list(range(len(SURFACES)))  # ordered by id
    for key, s in SURFACES.items():
        assert isinstance(s, Surface)
        assert s.key == key


@pytest.mark.parametrize("key", KEYS)
def test_catalogue_entry_is_well_formed(key):
    s = SURFACES[key]
    xmin, xmax, ymin, ymax = s.domain
    assert xmin < xmax and ymin < ymax
    assert s.name and s.description and s.formula
    assert s.minima, "every surface lists at least its global minimum"
    assert any(m.is_global for m in s.minima)
    assert all(isinstance(v, float) for v in (*s.domain, *s.start))


def test_every_surface_has_an_independent_reference_formula():
    assert set(REFERENCE) == set(SURFACES)


@pytest.mark.parametrize("key", KEYS)
def test_dispatch_matches_the_independent_formula(key):
    s = SURFACES[key]
    xs, ys = domain_grid(s, 23)
    x, y = np.meshgrid(xs, ys)
    expected = REFERENCE[key](x, y)
    got = np.array([[surface_fg(s.id, xi, yi)[0] for xi in xs] for yi in ys])
    atol = 1e-12 * max(1.0, np.abs(expected).max())
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=atol)
    np.testing.assert_allclose(s.f(x, y), expected, rtol=1e-12, atol=atol)


@pytest.mark.parametrize("sid", [-1, len(SURFACES), 10_000])
def test_unknown_id_gives_nan(sid):
    assert all(math.isnan(v) for v in surface_fg(sid, 0.5, 0.5))


def test_get_surface():
    assert get_surface("rosenbrock") is SURFACES["rosenbrock"]
    with pytest.raises(ValueError, match="nope") as info:
        get_surface("nope")
    assert "rosenbrock" in str(info.value)  # lists the choices


# ----------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("key", KEYS)
def test_gradient_matches_finite_differences_on_a_grid(key):
    s = SURFACES[key]
    xs, ys = domain_grid(s, 17)
    # shift off the symmetric lattice so that kinks are not sampled exactly
    for x in xs + 1e-3 * (xs[1] - xs[0]):
        for y in ys - 2e-3 * (ys[1] - ys[0]):
            if not near_kink(key, x, y):
                assert_gradient_matches_fd(s, float(x), float(y))


@pytest.mark.parametrize("key", KEYS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_gradient_matches_finite_differences_at_random_points(key, data):
    s = SURFACES[key]
    xmin, xmax, ymin, ymax = s.domain
    x = data.draw(st.floats(xmin, xmax, allow_nan=False), label="x")
    y = data.draw(st.floats(ymin, ymax, allow_nan=False), label="y")
    if not near_kink(key, x, y):
        assert_gradient_matches_fd(s, x, y)


def test_ackley_tip_has_zero_value_and_zero_gradient():
    s = SURFACES["ackley"]
    assert surface_fg(s.id, 0.0, 0.0) == (0.0, 0.0, 0.0)
    f, gx, gy = surface_fg(s.id, 1e-300, -1e-300)  # r underflows to tiny but nonzero
    assert all(math.isfinite(v) for v in (f, gx, gy))


# ----------------------------------------------------------------------------- minima


@pytest.mark.parametrize("key", KEYS)
def test_listed_minima_are_minima_with_the_listed_values(key):
    s = SURFACES[key]
    for m in s.minima:
        assert in_domain(s, m.x, m.y), m
        f, gx, gy = surface_fg(s.id, m.x, m.y)
        assert f == pytest.approx(m.f, rel=1e-10, abs=1e-10), m
        assert f == pytest.approx(REFERENCE[key](m.x, m.y), rel=1e-10, abs=1e-10), m
        if not near_kink(key, m.x, m.y):
            scale = max(1.0, np.abs(hessian(s, m.x, m.y)).max())
            assert math.hypot(gx, gy) < 1e-9 * scale, (m, gx, gy)
        # a strict local minimum: every point on a small ring is higher
        for r in (1e-4, 1e-2):
            for t in np.linspace(0, 2 * np.pi, 16, endpoint=False):
                assert s.f(m.x + r * np.cos(t), m.y + r * np.sin(t)) > m.f, (m, r, t)


@pytest.mark.parametrize("key", KEYS)
def test_global_flags_mark_the_lowest_minima(key):
    s = SURFACES[key]
    assert s.f_min == min(m.f for m in s.minima)
    assert set(s.global_minima) == {m for m in s.minima if m.is_global}
    for m in s.minima:
        if m.is_global:
            assert m.f == pytest.approx(s.f_min, rel=1e-12, abs=1e-12), m
        else:
            assert m.f > s.f_min + 1e-6, m


@pytest.mark.parametrize("key", KEYS)
def test_nothing_in_the_domain_is_below_the_global_minimum(key):
    s = SURFACES[key]
    rng = np.random.default_rng(20261126 + s.id)
    xmin, xmax, ymin, ymax = s.domain
    x = rng.uniform(xmin, xmax, 20_000)
    y = rng.uniform(ymin, ymax, 20_000)
    xs, ys = domain_grid(s, 401)
    lowest = min(s.f(x, y).min(), surface_grid(s.id, xs, ys).min())
    assert lowest >= s.f_min - 1e-9


@pytest.mark.parametrize("key", [k for k in KEYS if k not in LATTICE])
def test_minima_lists_are_complete(key):
    """Every strict local minimum found by a grid search + Newton's method is listed."""
    s = SURFACES[key]
    listed = np.array([[m.x, m.y] for m in s.minima])
    for x0, y0 in grid_local_minima(s):
        p, converged = newton(s, x0, y0)
        if not converged or not in_domain(s, *p):
            continue
        if np.linalg.eigvalsh(hessian(s, *p)).min() <= 1e-6:
            continue  # a saddle or a flat direction (Beale has lines where f is constant)
        distance = np.hypot(*(listed - p).T).min()
        assert distance < 1e-6, f"{key}: unlisted minimum at ({p[0]!r}, {p[1]!r}), f = {s.f(*p)!r}"


def test_known_values_from_the_literature():
    assert SURFACES["goldstein_price"].f_min == pytest.approx(3.0, abs=1e-12)
    assert SURFACES["six_hump_camel"].f_min == pytest.approx(-1.031628453489877, abs=1e-12)
    assert SURFACES["styblinski_tang"].f_min == pytest.approx(-78.33233140754282, abs=1e-10)
    g = SURFACES["styblinski_tang"].global_minima[0]
    assert (g.x, g.y) == pytest.approx((-2.903534, -2.903534), abs=1e-6)
    himmelblau = {(round(m.x, 6), round(m.y, 6)) for m in SURFACES["himmelblau"].minima}
    assert himmelblau == {
        (3.0, 2.0),
        (-2.805118, 3.131313),
        (-3.77931, -3.283186),
        (3.584428, -1.848127),
    }


# ----------------------------------------------------------------------------- grid and wrappers


@pytest.mark.parametrize("key", KEYS)
def test_surface_grid_matches_pointwise_values(key):
    s = SURFACES[key]
    xs, ys = domain_grid(s, 31, ny=17)
    z = surface_grid(s.id, xs, ys)
    assert z.shape == (17, 31)
    expected = np.array([[surface_fg(s.id, x, y)[0] for x in xs] for y in ys])
    np.testing.assert_array_equal(z, expected)
    gx, gy, gz = s.grid(31, 17)
    np.testing.assert_array_equal(gz, z)


def test_f_and_grad_accept_scalars_and_arrays():
    s = SURFACES["himmelblau"]
    assert isinstance(s.f(1, 2), float)
    assert s.f(1.0, 2.0) == surface_fg(s.id, 1.0, 2.0)[0]
    g = s.grad(1.0, 2.0)
    assert g.shape == (2,)
    np.testing.assert_array_equal(g, surface_fg(s.id, 1.0, 2.0)[1:])
    x = np.linspace(-3, 3, 12).reshape(3, 4)
    assert s.f(x, 0.5).shape == (3, 4)
    assert s.grad(x, 0.5).shape == (2, 3, 4)
    pointwise = np.array([[surface_fg(s.id, v, 0.5) for v in row] for row in x])  # (3, 4, 3)
    np.testing.assert_array_equal(s.f(x, 0.5), pointwise[..., 0])
    np.testing.assert_array_equal(s.grad(x, 0.5), np.moveaxis(pointwise[..., 1:], -1, 0))
    xt = np.asfortranarray(np.arange(6.0).reshape(2, 3))  # non-contiguous input is fine
    np.testing.assert_array_equal(s.f(xt, xt), REFERENCE["himmelblau"](xt, xt))


@pytest.mark.parametrize("key", KEYS)
def test_default_start_is_inside_the_domain_and_not_a_minimum(key):
    s = SURFACES[key]
    x, y = s.start
    assert in_domain(s, x, y)
    f, gx, gy = surface_fg(s.id, x, y)
    assert all(math.isfinite(v) for v in (f, gx, gy))
    assert math.hypot(gx, gy) > 0
    assert f > s.f_min
    xmin, xmax, ymin, ymax = s.domain
    diagonal = math.hypot(xmax - xmin, ymax - ymin)
    assert all(math.hypot(x - m.x, y - m.y) > 0.05 * diagonal for m in s.minima)


# ----------------------------------------------------------------------------- formula text

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@pytest.mark.parametrize("key", KEYS)
def test_formula_html_renders_the_same_formula(key):
    s = SURFACES[key]
    assert not set(_SUPERSCRIPTS) & set(s.formula_html)  # powers use <sup>
    assert set(re.findall(r"</?(\w+)", s.formula_html)) <= {"sup", "i"}
    assert s.formula_html.count("<sup>") == s.formula_html.count("</sup>")
    assert s.formula_html.count("<i>") == s.formula_html.count("</i>")
    plain = re.sub(
        r"<sup>(\d+)</sup>", lambda m: "".join(_SUPERSCRIPTS[int(c)] for c in m[1]), s.formula_html
    )
    plain = html.unescape(re.sub(r"</?i>", "", plain))
    assert plain == s.formula


@pytest.mark.parametrize("key", KEYS)
def test_no_default_start_sits_on_a_listed_minimum(key):
    """Else every run reads "min at 0" at once and the loss axis shows 1e-16."""
    from descentlab.engine.formula.problem import START_CLEARANCE

    s = SURFACES[key]
    xmin, xmax, ymin, ymax = s.domain
    clearance = START_CLEARANCE * math.hypot(xmax - xmin, ymax - ymin)
    for m in s.minima:
        assert math.hypot(s.start[0] - m.x, s.start[1] - m.y) >= clearance, m
