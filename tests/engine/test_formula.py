"""Typed formulas: values and exact gradients against SymPy, races, divergence, minima."""

import math

import numpy as np
import pytest
import sympy as sp

from descentlab import engine
from descentlab.engine.formula import kernels as fk
from descentlab.engine.formula.config import FormulaConfig
from descentlab.engine.formula.problem import START_CLEARANCE

X, Y = sp.symbols("x y", real=True)

# (typed text, the same function built independently with SymPy's own operators)
CASES = [
    ("x + y", lambda x, y: x + y),
    ("x - y - 1", lambda x, y: x - y - 1),
    ("3*x*y", lambda x, y: 3 * x * y),
    ("x / y", lambda x, y: x / y),
    ("1 / (x*y) / 2", lambda x, y: 1 / (x * y) / 2),
    ("x^3 - y^2", lambda x, y: x**3 - y**2),
    ("x**3 + y**0.5", lambda x, y: x**3 + sp.sqrt(y)),
    ("2^x", lambda x, y: 2**x),
    ("x^y", lambda x, y: x**y),
    ("x^y^2", lambda x, y: x ** (y**2)),  # right associative
    ("2^3^2 * x", lambda x, y: 512 * x),
    ("2*x^2", lambda x, y: 2 * x**2),  # ^ binds tighter than *
    ("-x^2 + (-y)^2", lambda x, y: -(x**2) + y**2),
    ("x^-1 + y^(-2)", lambda x, y: 1 / x + y**-2),
    ("x^(y/2)", lambda x, y: x ** (y / 2)),
    ("(x^2)^1.5", lambda x, y: (x**2) ** sp.Rational(3, 2)),
    ("x^0 + y^1", lambda x, y: 1 + y),
    ("-(x - y)", lambda x, y: -(x - y)),
    ("+x - -y", lambda x, y: x + y),
    ("pi*x + e*y", lambda x, y: sp.pi * x + sp.E * y),
    ("1e-3*x + 2.5*y + .5", lambda x, y: sp.Rational(1, 1000) * x + sp.Rational(5, 2) * y + sp.Rational(1, 2)),
    ("sin(x) * cos(y)", lambda x, y: sp.sin(x) * sp.cos(y)),
    ("tan(x/2) + y", lambda x, y: sp.tan(x / 2) + y),
    ("exp(-x^2 - y^2)", lambda x, y: sp.exp(-(x**2) - y**2)),
    ("log(x) + log(x*y + 1)", lambda x, y: sp.log(x) + sp.log(x * y + 1)),
    ("log1p(x^2 + y)", lambda x, y: sp.log(1 + x**2 + y)),
    ("sqrt(x^2 + y^2 + 1)", lambda x, y: sp.sqrt(x**2 + y**2 + 1)),
    ("abs(x - 2*y)", lambda x, y: sp.Abs(x - 2 * y)),
    ("tanh(x*y)", lambda x, y: sp.tanh(x * y)),
    ("sinh(x) + cosh(y)", lambda x, y: sp.sinh(x) + sp.cosh(y)),
    ("atan(x/y)", lambda x, y: sp.atan(x / y)),
    ("min(x^2, y)", lambda x, y: sp.Min(x**2, y)),
    ("max(x, y^2) * y", lambda x, y: sp.Max(x, y**2) * y),
    ("(1 - x)^2 + 100*(y - x^2)^2", lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2),
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2),
    ("sin(cos(exp(x/3)) * sqrt(y)) / (1 + abs(tanh(x - y)))",
     lambda x, y: sp.sin(sp.cos(sp.exp(x / 3)) * sp.sqrt(y)) / (1 + sp.Abs(sp.tanh(x - y)))),
    ("x*y - x/y + x - y*x*2/3", lambda x, y: x * y - x / y + x - y * x * 2 / 3),
    ("(x + y)*(x - y)/(x*2)", lambda x, y: (x + y) * (x - y) / (x * 2)),
]
# points where every case is defined (x, y > 0) and away from the ties of min/max
POINTS = [(0.7, 1.3), (1.9, 0.45), (0.35, 2.2), (1.25, 0.8)]


@pytest.mark.parametrize("text, reference", CASES, ids=[c[0] for c in CASES])
def test_values_and_gradients_match_sympy(text, reference):
    expr = reference(X, Y)
    dx, dy = sp.diff(expr, X), sp.diff(expr, Y)
    surface = engine.FormulaSurface(text, minima=[])
    xs = np.array([p[0] for p in POINTS])
    ys = np.array([p[1] for p in POINTS])
    values, grads = surface.f(xs, ys), surface.grad(xs, ys)
    for k, (x, y) in enumerate(POINTS):
        subs = {X: sp.Float(x, 30), Y: sp.Float(y, 30)}
        want = [float(e.evalf(30, subs=subs)) for e in (expr, dx, dy)]
        got = [values[k], grads[0, k], grads[1, k]]
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-11, err_msg=f"{text} at {(x, y)}")
        assert surface.f(x, y) == values[k]  # scalars take the same path
        np.testing.assert_array_equal(surface.grad(x, y), grads[:, k])


def test_shapes_follow_engine_surfaces():
    s = engine.FormulaSurface("x^2 + 3*y", minima=[])
    assert isinstance(s.f(1.0, 2.0), float)
    assert s.grad(1.0, 2.0).shape == (2,)
    assert s.f(np.zeros((3, 4)), 1.0).shape == (3, 4)
    assert s.grad(np.zeros((3, 4)), np.ones(4)).shape == (2, 3, 4)
    xs, ys = np.linspace(-1, 1, 5), np.linspace(0, 2, 3)
    z = s.loss_grid(xs, ys)
    assert z.shape == (3, 5)
    np.testing.assert_array_equal(z, xs[None, :] ** 2 + 3 * ys[:, None])


def test_numpy_semantics_not_exceptions():
    s = engine.FormulaSurface("log(x) + 0*y", minima=[])
    assert math.isnan(s.f(-1.0, 0.0)) and s.f(0.0, 0.0) == -math.inf
    assert engine.FormulaSurface("1/x + y", minima=[]).f(0.0, 0.0) == math.inf
    assert engine.FormulaSurface("-1/x", minima=[]).f(0.0, 0.0) == -math.inf
    assert math.isnan(engine.FormulaSurface("sqrt(x)", minima=[]).f(-1.0, 0.0))
    np.testing.assert_allclose(engine.FormulaSurface("sqrt(x^2 + y^2)", minima=[]).grad(3.0, 4.0), [0.6, 0.8])
    assert engine.FormulaSurface("sqrt(x)", minima=[]).grad(0.0, 0.0)[0] == math.inf
    assert engine.FormulaSurface("abs(x)", minima=[]).grad(0.0, 0.0).tolist() == [0.0, 0.0]
    assert engine.FormulaSurface("exp(x)", minima=[]).f(1000.0, 0.0) == math.inf
    assert engine.FormulaSurface("2 ** 10 ** 10 + x", minima=[]).f(0.0, 0.0) == math.inf
    assert math.isnan(engine.FormulaSurface("(-8)^(1/3)", minima=[]).f(0.0, 0.0))
    assert engine.FormulaSurface("min(x, y)", minima=[]).grad(1.0, 2.0).tolist() == [1.0, 0.0]
    assert engine.FormulaSurface("max(x, y)", minima=[]).grad(1.0, 2.0).tolist() == [0.0, 1.0]


def test_typed_rosenbrock_follows_the_built_in_one():
    typed = engine.FormulaSurface("(1 - x)^2 + 100*(y - x^2)^2", domain=(-2, 2, -1, 3))
    a = engine.trajectory("rosenbrock", "adam", (-1.2, 1.0), 300, lr=0.01)
    b = engine.trajectory(typed, "adam", (-1.2, 1.0), 300, lr=0.01)
    assert np.all(np.isfinite(a))
    np.testing.assert_allclose(b, a, rtol=1e-9, atol=0)


def test_a_formula_races_with_other_runs():
    problem = engine.FormulaSurface("(x - 1)^2 + 2*(y + 0.5)^2", domain=(-3, 3, -3, 3), start=(-2, 2))
    race = engine.Race(problem)
    a = race.add_run("adam", lr=0.1)
    b = race.add_run("sgd", (2.0, -2.0), lr=0.1, momentum=0.9)
    c = race.add_run("gd", lr=10.0)  # far too big a step: diverges
    race.advance(400)
    runs = {r.uid: r for r in race.snapshot().runs}
    for uid in (a, b):
        np.testing.assert_allclose(runs[uid].position, [1.0, -0.5], atol=1e-3)
        assert runs[uid].reached_at is not None and runs[uid].reached_minimum == 0
    assert runs[c].diverged_at is not None
    assert np.array_equal(problem.default_start, [-2.0, 2.0])


def test_the_start_defaults_to_the_centre_of_the_domain():
    problem = engine.FormulaSurface("x^2 + y^2", domain=(0, 4, -2, 0))
    assert problem.default_start.tolist() == [2.0, -1.0]
    assert engine.FormulaSurface("x^2 + y^2").domain == (-3.0, 3.0, -3.0, 3.0)


@pytest.mark.parametrize("text", [FormulaConfig().text, "x^2 + 3*y^2", "x^2 + y^2 + 1", "abs(x) + abs(y)",
                                  "(x^2 - 1)^2 + y^2 + 0.1*x^2"])
def test_no_default_start_sits_on_a_minimum(text):
    """The centre unless a minimum sits there; then a place towards a corner, clear of all."""
    problem = FormulaConfig(text).build()
    xmin, xmax, ymin, ymax = problem.domain
    clearance = START_CLEARANCE * math.hypot(xmax - xmin, ymax - ymin)
    assert len(problem.minima) >= 1
    for x, y in problem.minima:
        assert math.hypot(problem.default_start[0] - x, problem.default_start[1] - y) >= clearance
    assert FormulaConfig(text).default_start == tuple(problem.default_start)


def test_a_default_start_off_the_minima_stays_at_the_centre_and_a_given_start_is_kept():
    assert engine.FormulaSurface("(x - 1)^2 + y^2").default_start.tolist() == [0.0, 0.0]
    assert engine.FormulaSurface("x^2 + 3*y^2").default_start.tolist() == [-1.8, 1.8]
    assert engine.FormulaSurface("x^2 + 3*y^2", start=(0, 0)).default_start.tolist() == [0.0, 0.0]


def test_an_unbounded_formula_diverges_it_does_not_raise():
    path = engine.trajectory(engine.FormulaSurface("-x^2 - y^2"), "adam", (0.3, -0.2), 5000, lr=0.5)
    assert np.isnan(path[-1]).all()
    race = engine.Race(engine.FormulaSurface("-x^2 - y^2"))
    race.add_run("gd", (0.3, -0.2), lr=0.5)
    race.advance(5000)
    assert race.snapshot().runs[0].diverged_at is not None
    race = engine.Race(engine.FormulaSurface("log(x) + y"))
    race.add_run("gd", (-1.0, 0.0))  # starts where f is NaN
    assert race.snapshot().runs[0].diverged_at == 0


def test_minima_of_himmelblau_typed_in():
    problem = engine.FormulaSurface("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", domain=(-5, 5, -5, 5))
    built_in = engine.get_surface("himmelblau")
    want = sorted((m.x, m.y) for m in built_in.minima)
    got = sorted(map(tuple, problem.minima))
    np.testing.assert_allclose(got, want, atol=1e-7)
    assert problem.minima.shape == (4, 2) and problem.minima_values.shape == (4,)
    assert all(m.is_global for m in problem.surface.minima)
    assert problem.f_min == pytest.approx(0.0, abs=1e-12)
    again = engine.FormulaSurface("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", domain=(-5, 5, -5, 5))
    assert np.array_equal(again.minima, problem.minima)  # deterministic


def test_minima_of_a_bowl_and_of_two_wells():
    bowl = engine.FormulaSurface("(x - 0.5)^2 + 3*(y + 1)^2")
    np.testing.assert_allclose(bowl.minima, [[0.5, -1.0]], atol=1e-8)
    assert bowl.surface.minima[0].is_global
    wells = engine.FormulaSurface("(x^2 - 1)^2 + y^2 + 0.2*x")
    assert len(wells.minima) == 2
    flags = {round(m.x): m.is_global for m in wells.surface.minima}
    assert flags == {-1: True, 1: False}
    assert wells.f_min == min(wells.minima_values)


def test_no_minima_for_a_saddle_a_slope_or_a_flat_valley():
    for text in ("x^2 - y^2", "x + y", "-x^2 - y^2", "x^2", "0*x"):
        assert engine.FormulaSurface(text).minima.shape == (0, 2), text
        assert math.isnan(engine.FormulaSurface(text).f_min)


def test_given_minima_are_used_and_valued():
    problem = engine.FormulaSurface("x^2 + y^2 + 1", minima=[(0, 0), (1, 1)])
    assert problem.minima.tolist() == [[0.0, 0.0], [1.0, 1.0]]
    assert problem.minima_values.tolist() == [1.0, 3.0]
    assert [m.is_global for m in problem.surface.minima] == [True, False]
    with pytest.raises(ValueError, match="minima"):
        engine.FormulaSurface("x", minima=[(0, math.nan)])


@pytest.mark.parametrize("domain", [(1, 0, 0, 1), (0, 1, 0), (0, math.inf, 0, 1), "abcd"])
def test_bad_domains_are_refused(domain):
    with pytest.raises(ValueError, match="domain"):
        engine.FormulaSurface("x", domain=domain)


def test_the_surface_the_window_reads():
    problem = engine.FormulaSurface("(1 - x)^2 + 100*(y - x^2)^2", domain=(-2, 2, -1, 3))
    s = problem.surface
    assert isinstance(problem, engine.SurfaceProblem)
    assert s.domain == problem.domain == (-2.0, 2.0, -1.0, 3.0)
    assert s.formula_html == ("(1 &minus; <i>x</i>)<sup>2</sup> + 100&middot;"
                              "(<i>y</i> &minus; <i>x</i><sup>2</sup>)<sup>2</sup>")
    assert problem.key == s.key == "formula:(1 - x)^2 + 100*(y - x^2)^2"
    assert problem.name == s.name and problem.text == s.formula
    (m,) = s.minima
    assert (m.x, m.y, m.is_global) == pytest.approx((1.0, 1.0, True))
    assert engine.as_problem(problem) is problem
    from descentlab.engine.maps.planes import SurfacePlane

    plane = SurfacePlane(problem)
    assert plane.domain == s.domain and plane.minima()[0].is_global


def test_a_new_formula_compiles_nothing():
    engine.trajectory(engine.FormulaSurface("x^2 + y^2"), "adam", (1, 1), 3)
    dispatchers = (fk.advance_formula, fk.formula_points, fk.formula_grid, fk.descend)
    before = [len(d.signatures) for d in dispatchers]
    problem = engine.FormulaSurface("sin(x)*cosh(y/3) + atan(x - y)^2 + max(x, y)")
    engine.trajectory(problem, "nadam", (1, 1), 30)
    problem.loss_grid(np.linspace(-1, 1, 3), np.linspace(-1, 1, 3))
    assert [len(d.signatures) for d in dispatchers] == before
