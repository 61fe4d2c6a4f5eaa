"""The exported PyTorch script (engine/files/torch_export) against the engine.

Each test writes a script, runs it with torch in a fresh interpreter (``--save paths.npz``)
and compares every run's path with the engine's. torch's Tensor.sqrt is MKL's, 1 ulp low on
about 1 input in 100 (see test_torch_parity.py), so optimizers that take a root are compared
bit for bit with a correctly rounded sqrt patched in (``exact_sqrt``), and with stock torch
to a few ulps growing along the path (rtol 1e-10); the others bit for bit with stock torch.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest
from reference_optimizers import REFERENCES

pytest.importorskip("torch")

from descentlab import engine  # noqa: E402
from descentlab.engine.files.torch_export import torch_script, write_torch_script  # noqa: E402
from descentlab.engine.files.torch_export.script_source import SQRT_OPTIMIZERS  # noqa: E402
from descentlab.engine.formula.problem import FormulaSurface  # noqa: E402
from descentlab.engine.race.race import Race  # noqa: E402
from descentlab.engine.surface.catalogue import SURFACES  # noqa: E402
from descentlab.engine.surface.functions import surface_fg  # noqa: E402

STEPS = 300
STARTS = {"rosenbrock": (-1.2, 1.0), "beale": (1.0, 1.0), "himmelblau": (-1.0, -1.0)}

# Runs the script with Tensor.sqrt correctly rounded, as IEEE 754 and the engine have it.
EXACT_SQRT = """
import runpy, sys
import numpy as np
import torch

def sqrt(self):
    return torch.from_numpy(np.asarray(np.sqrt(self.detach().numpy())))  # 0-d: L-BFGS

def sqrt_(self):
    with torch.no_grad():
        return self.copy_(sqrt(self))

torch.Tensor.sqrt, torch.Tensor.sqrt_ = sqrt, sqrt_
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
"""


def run_script(path, steps, *, exact_sqrt=False):
    """The script's ``--save`` output: {label: (steps + 1, P) path}."""
    out = path.with_suffix(".npz")
    args = [str(path), "--steps", str(steps), "--save", str(out)]
    command = [sys.executable, "-c", EXACT_SQRT, *args] if exact_sqrt else [sys.executable, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "after" in done.stdout  # the leaderboard
    with np.load(out) as saved:
        return {key: saved[key] for key in saved.files}


def import_script(path):
    spec = importlib.util.spec_from_file_location(f"exported_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def engine_paths(race, steps):
    """Each run's path as engine.trajectory gives it (NaN after a divergence)."""
    out = {}
    for uid in race.run_ids:
        info = race.run_info(uid)
        out[info.label] = engine.trajectory(race.problem, info.optimizer, info.start, steps,
                                            schedule=info.schedule, **info.hyper)
    return out


def assert_same(ours, theirs, label):
    assert ours.shape == theirs.shape, label
    same = np.array_equal(ours, theirs, equal_nan=True)
    assert same, f"{label}: largest difference {np.nanmax(np.abs(ours - theirs)):.3g}"


def reference_race(surface):
    """One run per reference case of every optimizer (every flag on somewhere) on ``surface``."""
    race = Race(surface)
    for key, ref in REFERENCES.items():
        for i, case in enumerate(ref.cases):
            if surface in case.surfaces:
                race.add_run(key, STARTS[surface], label=f"{key} {i}", **case.hyper)
    return race


@pytest.mark.parametrize("surface", sorted(STARTS))
def test_every_optimizer_reproduces_the_engine(tmp_path, surface):
    race = reference_race(surface)
    assert {race.run_info(u).optimizer for u in race.run_ids} == set(engine.OPTIMIZERS)
    path = write_torch_script(race, tmp_path / "race.py")
    expected = engine_paths(race, STEPS)
    exact = run_script(path, STEPS, exact_sqrt=True)
    stock = run_script(path, STEPS)
    assert set(exact) == set(expected)
    for label, want in expected.items():
        if engine.get_optimizer(label.split()[0]).needs_hessian:
            # Newton's methods: not in torch.optim; the script's Newton class takes autograd's
            # Hessian and LAPACK's solve, the same direction rounded differently
            for saved in (exact, stock):
                np.testing.assert_allclose(saved[label], want, rtol=1e-9, atol=1e-12, err_msg=label)
            continue
        assert_same(exact[label], want, label)
        if label.split()[0] in SQRT_OPTIMIZERS:
            np.testing.assert_allclose(stock[label], want, rtol=1e-10, atol=1e-14, err_msg=label)
        else:
            assert_same(stock[label], want, label)


@pytest.mark.parametrize("key", sorted(SURFACES))
def test_every_surface_is_the_engines_to_the_bit(tmp_path, key):
    race = Race(key)
    race.add_run("gd", SURFACES[key].start)
    script = import_script(write_torch_script(race, tmp_path / f"{key}.py"))
    xmin, xmax, ymin, ymax = SURFACES[key].domain
    rng = np.random.default_rng(SURFACES[key].id)
    points = np.column_stack((rng.uniform(xmin, xmax, 300), rng.uniform(ymin, ymax, 300)))
    points = np.vstack((points, [[0.0, 0.0], [1.0, 1.0]]))
    for x, y in points:
        got = [float(v) for v in script.value_and_gradient(script.torch.tensor(x), script.torch.tensor(y))]
        assert got == list(surface_fg(SURFACES[key].id, x, y)), (key, x, y)


@pytest.mark.parametrize("key", sorted(SURFACES))
def test_a_race_on_every_surface(tmp_path, key):
    race = Race(key)
    start = SURFACES[key].start
    race.add_run("gd", start, lr=1e-3)
    race.add_run("sgd", start, label="fast SGD", lr=0.1, momentum=0.9)  # diverges on some
    race.add_run("momentum", start)
    saved = run_script(write_torch_script(race, tmp_path / "race.py"), 200)
    for label, want in engine_paths(race, 200).items():
        assert_same(saved[label], want, f"{key}: {label}")


FORMULAS = (
    "(1 - x)^2 + 100*(y - x^2)^2",
    "sin(x)*cos(y) + exp(-(x^2 + y^2)/4) + log(1 + y^2) + sqrt(x^2 + y^2 + 1)",
    "abs(x - y)^1.5 + tanh(x)*atan(y) + max(x, y) - min(x, 2*y) + x^3/10 + 2^(x/3)",
    "cosh(x/3) + sinh(y/5)^2 + log1p(x^2) + tan(y/4) + (x*y)^2/(1 + x^2) - e*pi*y/10",
    "-(x - 1)^2 - (-y)^2 + 3 - 2*3*x/x^-1",
)


@pytest.mark.parametrize("text", FORMULAS)
def test_a_typed_formula_is_the_engines_to_the_bit(tmp_path, text):
    problem = FormulaSurface(text, domain=(-3, 3, -3, 3), start=(1.5, -1.0), minima=[(0.0, 0.0)])
    race = Race(problem)
    race.add_run("gd", (1.5, -1.0), lr=1e-3)
    race.add_run("nag", (1.5, -1.0), lr=1e-3)
    race.add_run("lion", (0.5, 2.0), lr=1e-3)
    race.add_run("rprop", (1.5, -1.0), lr=1e-3)
    race.add_run("asgd", (1.5, -1.0), lr=1e-3, t0=20.0)
    race.add_run("adafactor", (0.5, 2.0), lr=0.02)
    path = write_torch_script(race, tmp_path / "formula.py")
    script = import_script(path)
    rng = np.random.default_rng(7)
    xs, ys = rng.uniform(-3, 3, 200), rng.uniform(-3, 3, 200)
    f, gx, gy = problem._fg(xs, ys)
    for k in range(xs.size):
        got = [float(v) for v in script.value_and_gradient(script.torch.tensor(xs[k]),
                                                           script.torch.tensor(ys[k]))]
        assert np.array_equal(got, [f[k], gx[k], gy[k]], equal_nan=True), (text, xs[k], ys[k])
    saved = run_script(path, 200)
    for label, want in engine_paths(race, 200).items():
        assert_same(saved[label], want, f"{text}: {label}")


SCHEDULES = (
    {"name": "step", "step_size": 30, "gamma": 0.5},
    {"name": "exponential", "gamma": 0.99},
    {"name": "cosine", "T_max": 40, "eta_min": 1e-4},
    {"name": "linear", "start_factor": 0.25, "end_factor": 1.0, "total_iters": 20},
    {"name": "warmup_cosine", "warmup_steps": 15, "start_factor": 0.1, "T_max": 60, "eta_min": 0.0},
)


def test_lr_schedules_reproduce_the_engine(tmp_path):
    race = Race("himmelblau")
    for i, schedule in enumerate(SCHEDULES):
        race.add_run("sgd", (-1.0, -1.0), label=f"SGD {schedule['name']}", lr=2e-3, momentum=0.9,
                     schedule=schedule)
        race.add_run("adam", (-1.0, -1.0), label=f"Adam {schedule['name']}", lr=0.05,
                     schedule=schedule)
        race.add_run("lion", (1.0, 2.0), label=f"Lion {i}", lr=0.01, schedule=schedule)
        race.add_run("muon", (1.0, 2.0), label=f"Muon {i}", lr=0.05, schedule=schedule)
    path = write_torch_script(race, tmp_path / "schedules.py")
    assert "SequentialLR" in path.read_text()
    exact = run_script(path, STEPS, exact_sqrt=True)
    for label, want in engine_paths(race, STEPS).items():
        assert_same(exact[label], want, label)


def test_repeated_labels_get_numbered_keys(tmp_path):
    race = Race("bowl")
    race.add_run("gd", (1.0, 1.0))
    race.add_run("gd", (2.0, 1.0))
    saved = run_script(write_torch_script(race, tmp_path / "race.py"), 5)
    assert sorted(saved) == ["GD", "GD 2"]
    assert saved["GD 2"][0].tolist() == [2.0, 1.0]


def test_what_cannot_be_exported_says_why():
    with pytest.raises(ValueError, match="no runs"):
        torch_script(Race("bowl"))


def test_gradient_noise_is_the_engines_to_the_bit(tmp_path):
    """The same SplitMix64 stream and Box-Muller normals, added before each step, every run
    meeting the same noise: GD, Momentum and Lion on a noisy bowl and Rosenbrock."""
    for surface, start in (("bowl", (1.5, -1.0)), ("rosenbrock", (-1.2, 1.0))):
        race = Race(surface, noise=0.7, seed=11)
        race.add_run("gd", start, lr=1e-3)
        race.add_run("momentum", start, lr=1e-3, label="momentum")
        race.add_run("lion", start, lr=1e-3)
        saved = run_script(write_torch_script(race, tmp_path / f"{surface}.py"), STEPS)
        race.advance(STEPS)
        for r, uid in enumerate(race.run_ids):
            label = race.run_info(uid).label
            ours = race.hist.path[r, : STEPS + 1].copy()
            ours[int(race.hist.count[r]):] = np.nan
            assert_same(saved[label], ours, f"{surface} {label}")
    assert not np.array_equal(saved["GD"], engine_paths(race, STEPS)["GD"])  # the noise is in


def test_flattened_pairs_become_torchs_tuples():
    """etas, step_sizes and Adafactor's eps are torch's tuples again; eps1 at float64's
    machine epsilon is torch's own default, None; another eps1 is written as it is."""
    race = Race("himmelblau")
    race.add_run("rprop", eta_minus=0.3, eta_plus=1.5, step_size_min=1e-3, step_size_max=0.5)
    race.add_run("adafactor")
    race.add_run("adafactor", eps1=1e-3, eps2=0.01, d=2.0)
    race.add_run("asgd", t0=50.0)
    text = torch_script(race)
    assert "torch.optim.Rprop(model.parameters(), lr=0.01, etas=(0.3, 1.5), step_sizes=(0.001, 0.5)" in text
    assert "torch.optim.Adafactor(model.parameters(), lr=0.01, beta2_decay=-0.8, eps=(None, 0.001)," in text
    assert "eps=(0.001, 0.01), d=2.0" in text
    assert "torch.optim.ASGD(model.parameters(), lr=0.01, lambd=0.0001, alpha=0.75, t0=50.0," in text
    assert "eta_minus" not in text and "eps1" not in text


def test_muon_is_exported_with_its_coefficients_and_a_matrix_point():
    """ns_a, ns_b, ns_c are torch's ns_coefficients again, ns_steps an int; a surface's
    point is a 1 × 2 matrix (torch's Muon takes matrices only)."""
    race = Race("himmelblau")
    race.add_run("muon", (1.0, 2.0), lr=0.02, ns_b=-4.5, ns_steps=4.0)
    text = torch_script(race)
    assert ("MuonWithAdamW(model.parameters(), lr=0.02, weight_decay=0.1, momentum=0.95, "
            "nesterov=True, ns_coefficients=(3.4445, -4.5, 2.0315), eps=1e-07, ns_steps=4)") in text
    assert "Point(START_0, (1, 2))" in text or "(1, 2))" in text
    assert "ns_a" not in text


def test_the_formula_text_is_never_executed(tmp_path):
    """The script's expression comes from the parse tree: the text shows only in a docstring."""
    problem = FormulaSurface("x^2 + y^2", domain=(-3, 3, -3, 3), minima=[(0.0, 0.0)])
    race = Race(problem)
    race.add_run("gd")
    text = torch_script(race)
    assert "f = ((x ** 2.0) + (y ** 2.0))" in text


# ---------------------------------------------------------------------------- datasets
DATASET_STEPS = 200


def dataset_race(problem):
    """Mini-batch, SGD and full-batch runs, one run per loss that fits (with penalties) and
    one with a schedule: every loss, batch order and optimizer kind of a dataset race."""
    from descentlab.engine.data.losses import LOSSES

    race = Race(problem, seed=3, history=DATASET_STEPS + 1)
    race.add_run("sgd", batch_size=16, lr=0.05, momentum=0.9, label="SGD 16")
    race.add_run("sgd", batch_size=1, lr=0.01, label="SGD 1")
    race.add_run("adam", batch_size=32, lr=0.01, schedule={"name": "cosine", "T_max": 50})
    race.add_run("gd", lr=0.1)
    race.add_run("lion", batch_size=7, lr=1e-3, weight_decay=0.1)
    race.add_run("rprop", batch_size=16, lr=1e-3, label="Rprop 16")
    race.add_run("asgd", batch_size=8, lr=0.05, t0=20.0, lambd=1e-3, weight_decay=0.01,
                 label="ASGD 8")
    race.add_run("adafactor", batch_size=16, lr=0.05, label="Adafactor 16")
    race.add_run("muon", batch_size=16, lr=0.02, label="Muon 16")  # + AdamW on the biases
    net = problem.network
    for key, spec in LOSSES.items():
        if spec.fits(problem.dataset.task, net.n_outputs):
            race.add_run("nag", batch_size=10, lr=0.02, loss=key, l1=1e-3, l2=1e-2,
                         label=f"NAG {key}")
    return race


def dataset_problems():
    from descentlab.engine.data.models import Model
    from descentlab.engine.data.problem import DatasetProblem

    yield "moons-mlp", lambda: DatasetProblem("moons", Model("mlp", hidden=(8, 8)), "log")
    yield "blobs3-softmax", lambda: DatasetProblem("blobs3", Model("softmax"), "log",
                                                  shuffle="independent")
    yield "blobs3-relu", lambda: DatasetProblem("blobs3", Model("mlp", hidden=(6,), activation="relu"))
    yield "line-linear", lambda: DatasetProblem("line", Model("linear"), "l2", l2=0.01)
    yield "line-sigmoid-mlp", lambda: DatasetProblem("line", Model("mlp", hidden=(5,), activation="sigmoid"),
                                                    "l1", seed=4)
    yield "blobs-logistic", lambda: DatasetProblem("blobs", Model("logistic"), "bce")


@pytest.mark.parametrize("make", [p for _, p in dataset_problems()],
                         ids=[name for name, _ in dataset_problems()])
def test_a_dataset_race_reproduces_the_engine(tmp_path, make):
    """Same batches (shared and independent shuffles), same losses and penalties: the paths
    agree to 1e-9 relative (autograd sums in another order than the engine's loops)."""
    race = dataset_race(make())
    path = write_torch_script(race, tmp_path / "data.py")
    saved = run_script(path, DATASET_STEPS, exact_sqrt=True)
    race.advance(DATASET_STEPS)
    for r, uid in enumerate(race.run_ids):
        label = race.run_info(uid).label
        ours = race.hist.path[r, : DATASET_STEPS + 1].copy()
        ours[int(race.hist.count[r]):] = np.nan
        scale = np.nanmax(np.abs(ours))
        np.testing.assert_allclose(saved[label], ours, rtol=1e-9, atol=1e-12 * scale, err_msg=label)


def test_user_text_stays_inside_the_docstring():
    """A title, label or file name with quotes and backslashes cannot end the docstring."""
    import ast

    hostile = 'a """ title\\"""; import os #'
    race = Race("bowl")
    race.add_run("gd", label=hostile)
    text = torch_script(race, title=hostile, name=hostile + ".py")
    module = ast.parse(text)
    assert hostile in ast.get_docstring(module)
    assert not any(isinstance(node, ast.Import) and node.names[0].name == "os" for node in module.body)
    assert repr(hostile) in text  # the label itself is a Python literal


def test_gradient_noise_on_a_dataset_follows_the_parameters_order(tmp_path):
    """The noise goes to θ's components in the app's layout (each layer's W, then b)."""
    from descentlab.engine.data.models import Model
    from descentlab.engine.data.problem import DatasetProblem

    race = Race(DatasetProblem("moons", Model("mlp", hidden=(4,)), "log"), noise=0.2, seed=5,
                history=DATASET_STEPS + 1)
    race.add_run("sgd", batch_size=16, lr=0.05, momentum=0.9)
    race.add_run("gd", lr=0.1)
    saved = run_script(write_torch_script(race, tmp_path / "noisy.py"), DATASET_STEPS)
    race.advance(DATASET_STEPS)
    for r, uid in enumerate(race.run_ids):
        label = race.run_info(uid).label
        ours = race.hist.path[r, : DATASET_STEPS + 1]
        np.testing.assert_allclose(saved[label], ours, rtol=1e-9, atol=1e-12 * np.abs(ours).max(),
                                   err_msg=label)


def test_newton_on_a_formula_and_a_singular_hessian(tmp_path):
    """The script's Newton class on a typed formula: the engine's path to 1e-9; where H is
    singular (x², no curvature along y) both stop the run at step 1."""
    race = Race(FormulaSurface("x^4/4 + x*y + 2*y^2 + sin(x)", domain=(-3, 3, -3, 3)))
    race.add_run("newton", (2.0, 1.5), lr=0.8, label="Newton")
    race.add_run("damped_newton", (2.0, 1.5), damping=0.3, label="Damped")
    saved = run_script(write_torch_script(race, tmp_path / "formula.py"), 60)
    for label, want in engine_paths(race, 60).items():
        np.testing.assert_allclose(saved[label], want, rtol=1e-9, atol=1e-12, err_msg=label)
    flat = Race(FormulaSurface("x^2", minima=[[0.0, 0.0]]))
    flat.add_run("newton", (1.0, 1.0), label="Newton")
    saved = run_script(write_torch_script(flat, tmp_path / "flat.py"), 5)["Newton"]
    assert np.array_equal(saved[0], [1.0, 1.0]) and np.isnan(saved[1:]).all()  # diverged at 1
    assert flat.advance(5) is None and flat.snapshot().runs[0].diverged_at == 1


def test_newton_on_a_dataset_follows_each_batchs_hessian(tmp_path):
    from descentlab.engine.data.models import Model
    from descentlab.engine.data.problem import DatasetProblem

    problem = DatasetProblem("moons", Model("logistic"), "log", l2=0.01)
    race = Race(problem, seed=3, history=41)
    race.add_run("newton", lr=0.5, label="Newton")
    race.add_run("damped_newton", batch_size=16, lr=0.5, damping=0.5, label="Damped 16")
    race.add_run("adam", batch_size=16, lr=0.05, label="Adam 16")
    saved = run_script(write_torch_script(race, tmp_path / "newton_data.py"), 40)
    race.advance(40)
    for r, uid in enumerate(race.run_ids):
        label = race.run_info(uid).label
        ours = race.hist.path[r, :41]
        np.testing.assert_allclose(saved[label], ours, rtol=1e-9, atol=1e-12 * np.abs(ours).max(),
                                   err_msg=label)


def test_lbfgs_steps_with_a_closure_on_its_own_batch_and_noise(tmp_path):
    """L-BFGS's step(closure) in the script: every evaluation on that step's mini-batch, each
    with the race's noise, as the app's kernel evaluates (to 1e-9: autograd's sums)."""
    from descentlab.engine.data.problem import DatasetProblem

    steps = 8
    race = Race(DatasetProblem("moons", "logistic", "log"), noise=0.1, seed=3, history=steps + 1)
    race.add_run("lbfgs", batch_size=32, max_iter=3, strong_wolfe=True, label="wolfe")
    race.add_run("lbfgs", batch_size=50, lr=0.5, history_size=2, label="plain")
    saved = run_script(write_torch_script(race, tmp_path / "lbfgs.py"), steps, exact_sqrt=True)
    race.advance(steps)
    for r, uid in enumerate(race.run_ids):
        label = race.run_info(uid).label
        ours = race.hist.path[r, : steps + 1]
        np.testing.assert_allclose(saved[label], ours, rtol=1e-9, atol=1e-12 * np.abs(ours).max(),
                                   err_msg=label)
    assert race.runs.evals.min() > 2 * steps  # several evaluations a step
