"""engine.hessian: every catalogue surface and ≥ 30 typed formulas against SymPy (1e-9
relative), datasets against central differences of the exact gradient."""

import math

import numpy as np
import pytest
import sympy as sp
from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

from descentlab import engine
from descentlab.engine import DatasetProblem, FormulaSurface, Model, hessian
from descentlab.engine.data.hessian import MAX_HESSIAN_PARAMS
from descentlab.engine.surface.functions import surface_hessian

X, Y = sp.symbols("x y", real=True)
_R = sp.Rational

# Written from the surfaces' published formulas, independently of engine/surface/functions.py.
SYMBOLIC = {
    "rosenbrock": (1 - X) ** 2 + 100 * (Y - X**2) ** 2,
    "beale": (_R(3, 2) - X + X * Y) ** 2 + (_R(9, 4) - X + X * Y**2) ** 2
    + (_R(21, 8) - X + X * Y**3) ** 2,
    "himmelblau": (X**2 + Y - 11) ** 2 + (X + Y**2 - 7) ** 2,
    "ellipse": X**2 / 4 + 8 * Y**2,
    "bowl": (X**2 + Y**2) / 2,
    "saddle": X**2 - Y**2 + Y**4 / 2,
    "valley": 4 * (X - Y) ** 2 + (X + Y) ** 2 / 20,
    "plateau": 1 - sp.exp(-(X**2 + Y**2) / 2),
    "rastrigin": 20 + X**2 + Y**2 - 10 * (sp.cos(2 * sp.pi * X) + sp.cos(2 * sp.pi * Y)),
    "ackley": -20 * sp.exp(-_R(1, 5) * sp.sqrt((X**2 + Y**2) / 2))
    - sp.exp((sp.cos(2 * sp.pi * X) + sp.cos(2 * sp.pi * Y)) / 2) + sp.E + 20,
    "booth": (X + 2 * Y - 7) ** 2 + (2 * X + Y - 5) ** 2,
    "goldstein_price": (1 + (X + Y + 1) ** 2 * (19 - 14 * X + 3 * X**2 - 14 * Y + 6 * X * Y + 3 * Y**2))
    * (30 + (2 * X - 3 * Y) ** 2 * (18 - 32 * X + 12 * X**2 + 48 * Y - 36 * X * Y + 27 * Y**2)),
    "six_hump_camel": (4 - _R(21, 10) * X**2 + X**4 / 3) * X**2 + X * Y + (-4 + 4 * Y**2) * Y**2,
    "styblinski_tang": (X**4 - 16 * X**2 + 5 * X + Y**4 - 16 * Y**2 + 5 * Y) / 2,
    "two_well": (X**2 - 1) ** 2 + X / 2 + Y**2,
    "matyas": _R(26, 100) * (X**2 + Y**2) - _R(48, 100) * X * Y,
    "three_hump_camel": 2 * X**2 - _R(105, 100) * X**4 + X**6 / 6 + X * Y + Y**2,
    "mccormick": sp.sin(X + Y) + (X - Y) ** 2 - _R(3, 2) * X + _R(5, 2) * Y + 1,
}


def sympy_hessian(expr, points):
    H = sp.hessian(expr, (X, Y))
    out = []
    for x, y in points:
        at = H.subs({X: sp.Float(x, 40), Y: sp.Float(y, 40)}).evalf(30)
        out.append(np.array(at.tolist(), dtype=float))
    return np.array(out)


def assert_relative(got, expected, rtol=1e-9):
    """Each Hessian within rtol of its largest entry (a relative error of the matrix)."""
    for g, e in zip(got, expected, strict=True):
        scale = np.abs(e).max()
        assert np.all(np.isfinite(g))
        assert np.abs(g - e).max() <= rtol * scale, (g, e)


def domain_points(domain, n, seed):
    rng = np.random.default_rng(seed)
    xmin, xmax, ymin, ymax = domain
    return np.c_[rng.uniform(xmin, xmax, n), rng.uniform(ymin, ymax, n)]


def test_every_catalogue_surface_has_a_symbolic_reference():
    assert set(SYMBOLIC) == set(engine.SURFACES)


@pytest.mark.parametrize("key", sorted(SYMBOLIC))
def test_surface_hessian_matches_sympy(key):
    s = engine.SURFACES[key]
    points = np.r_[domain_points(s.domain, 6, s.id), [[0.3, -0.7]], [list(s.start)]]
    got = np.array([hessian(key, p) for p in points])
    assert_relative(got, sympy_hessian(SYMBOLIC[key], points))
    # the batched form gives the same matrices
    np.testing.assert_array_equal(engine.SurfaceProblem(key).hessian(points), got)


def test_ackley_has_no_hessian_at_its_cone_tip():
    assert all(math.isnan(v) for v in surface_hessian(engine.SURFACES["ackley"].id, 0.0, 0.0))


def test_unknown_surface_id_gives_nan():
    assert all(math.isnan(v) for v in surface_hessian(10_000, 0.5, 0.5))


# ------------------------------------------------------------------------------ formulas
_LOCALS = {"x": X, "y": Y, "e": sp.E, "pi": sp.pi, "abs": sp.Abs, "min": sp.Min, "max": sp.Max,
           "log1p": lambda a: sp.log(1 + a), "atan": sp.atan}

FORMULAS = [
    "(1 - x)^2 + 100*(y - x^2)^2",
    "x^2 + y^2",
    "x*y",
    "x/y + y/x",
    "sin(x)*cos(y)",
    "tan(x/3) + y^2",
    "exp(x*y/4)",
    "log(x^2 + y^2 + 1)",
    "log1p(x^2 + y^4)",
    "sqrt(x^2 + y^2 + 0.5)",
    "abs(x - 3)*y^2 + abs(y + 5)",
    "tanh(x + 2*y)",
    "sinh(x/2)*cosh(y/2)",
    "atan(x*y)",
    "min(x^2, 10 + y) + max(y^3, -20)",
    "x^3 - 3*x*y^2",
    "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    "x^y",
    "(x^2 + 1)^(y/2)",
    "2^(x + y)",
    "e^(x - y^2)",
    "pi*x^2 - e*y",
    "-x^4 + y^(-2)",
    "(x + y)^0.5 * x",
    "x^1.5 + y^2.5",
    "1/(1 + x^2 + y^2)",
    "-(x - 1)*(y + 2)/(x^2 + 3)",
    "sin(x)^2 + cos(y)^3",
    "exp(-(x^2 + y^2)/2)*sin(3*x)",
    "x*sin(1/(y^2 + 1))",
    "sqrt(abs(x) + 1) + y",
    "log(x) + log(y)",
    "(x - y)^4 + 0.1*(x + y)^2",
    "cos(x*y)*x - y",
    "x^2*y^2*exp(-x)",
    "atan(y/x) + tanh(x*y)^2",
]
# inside every formula's domain and away from its kinks (abs, min, max)
POINTS = np.array([[0.7, 1.3], [1.9, 0.45], [0.35, 2.2], [1.2, 1.6]])


def test_at_least_thirty_formulas():
    assert len(FORMULAS) >= 30


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_hessian_matches_sympy(text):
    expr = parse_expr(text, local_dict=dict(_LOCALS),
                      transformations=standard_transformations + (convert_xor,))
    surface = FormulaSurface(text, domain=(0.1, 3.0, 0.1, 3.0), minima=[])
    got = np.array([hessian(surface, p) for p in POINTS])
    assert_relative(got, sympy_hessian(expr, POINTS))
    np.testing.assert_array_equal(surface.hessian(POINTS), got)


def test_formula_hessian_is_symmetric_data_not_a_compile():
    a = FormulaSurface("x^3*y + sin(y)", minima=[])
    b = FormulaSurface("x*y^3 + cos(x)", minima=[])
    Ha, Hb = hessian(a, np.array([0.5, 0.25])), hessian(b, np.array([0.5, 0.25]))
    assert Ha[0, 1] == Ha[1, 0] and Hb[0, 1] == Hb[1, 0]
    from descentlab.engine.formula.kernels import formula_hessians
    assert len(formula_hessians.signatures) == 1  # one compiled kernel served both formulas


# ------------------------------------------------------------------------------ datasets
def central_hessian(problem, theta, eps=1e-5):
    rows = [(problem.grad(theta + eps * e) - problem.grad(theta - eps * e)) / (2 * eps)
            for e in np.eye(problem.n_params)]
    return np.array(rows)


DATASET_CASES = [
    ("line", "linear", "l2", {}),
    ("blobs", "logistic", "log", {}),
    ("moons", Model("mlp", hidden=(4,)), "log", {"l2": 0.05}),
    ("moons", Model("mlp", hidden=(3,), activation="sigmoid"), "squared_hinge", {}),
    ("circles", Model("mlp", hidden=(3, 3), activation="tanh"), "bce", {}),
    ("blobs3", "softmax", "log", {"l2": 0.01}),
    ("blobs3", "softmax", "squared_log", {}),
    ("blobs3", "softmax", "cauchy_schwarz", {}),
    ("blobs3", "softmax", "regularised_expectation", {}),
    ("blobs3", "softmax", "tanimoto", {}),
    ("blobs3", "softmax", "cubed_hinge", {}),
    ("xor", Model("mlp", hidden=(4,), activation="relu"), "log", {}),
    ("moons", "logistic", "tanimoto", {}),
    ("moons", "logistic", "l2", {}),
]


@pytest.mark.parametrize(("dataset", "model", "loss", "pen"), DATASET_CASES)
def test_dataset_hessian_matches_central_differences_of_the_gradient(dataset, model, loss, pen):
    problem = DatasetProblem(dataset, model, loss, **pen)
    assert problem.n_params <= MAX_HESSIAN_PARAMS
    rng = np.random.default_rng(3)
    theta = problem.default_start + 0.3 * rng.standard_normal(problem.n_params)
    H = hessian(problem, theta)
    assert H.shape == (problem.n_params, problem.n_params) and H.dtype == np.float64
    np.testing.assert_array_equal(H, H.T)
    Hc = central_hessian(problem, theta)
    scale = np.abs(Hc).max()
    assert scale > 0
    assert np.abs(H - Hc).max() <= 1e-6 * max(scale, 1.0)


def test_dataset_gradient_of_the_dual_pass_is_the_kernels():
    from descentlab.engine.data.hessian import gradient_dual
    problem = DatasetProblem("spirals", Model("mlp", hidden=(5,)), "log", l1=0.01, l2=0.02)
    theta = problem.default_start + 0.1
    t = problem.train
    g = gradient_dual(theta, problem.net, problem.network.layers, t.X, t.cls, t.yr,
                      *problem._default_objective)
    np.testing.assert_allclose(g.v, problem.grad(theta), rtol=1e-12, atol=1e-14)


def test_linear_regression_hessian_is_the_normal_matrix():
    problem = DatasetProblem("line", "linear", "l2", l2=0.1)
    A = np.c_[problem.X, np.ones(problem.n_train)]
    expected = 2.0 * A.T @ A / problem.n_train + 2.0 * 0.1 * np.diag(problem.net.wmask)
    np.testing.assert_allclose(hessian(problem, np.array([0.3, -0.2])), expected, rtol=1e-13)


def test_a_run_options_hessian_uses_its_own_loss():
    problem = DatasetProblem("moons", "logistic", "log")
    theta = problem.default_start + 0.2
    options = problem.run_options(loss="l2", l2=0.5)
    own = problem.hessian(theta, options)
    assert not np.allclose(own, problem.hessian(theta))
    other = DatasetProblem("moons", "logistic", "l2", l2=0.5)
    np.testing.assert_allclose(own, other.hessian(theta), rtol=1e-14)


def test_more_than_64_parameters_is_refused_naming_p():
    problem = DatasetProblem("moons", Model("mlp", hidden=(16,)), "log")
    assert problem.n_params > 64
    with pytest.raises(ValueError, match=rf"P = {problem.n_params}\b.*at most 64"):
        hessian(problem, problem.default_start)


def test_bad_theta_and_problems_are_refused():
    with pytest.raises(ValueError, match="shape"):
        hessian("bowl", np.zeros(3))
    with pytest.raises(ValueError, match="unknown"):
        hessian("no-such-surface", np.zeros(2))
