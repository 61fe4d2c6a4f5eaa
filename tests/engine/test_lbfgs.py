"""L-BFGS (issue 24): one race step is one torch ``step(closure)``; its function evaluations are
counted as torch counts them, kept per history row and drawn from the last step's probes.

The path itself is checked against the NumPy reference (test_optimizer_reference) and against
torch bit for bit (test_torch_parity); here: the counts, datasets and formulas, the state's
memory, the snapshot, bad input.
"""

from __future__ import annotations

import numpy as np
import pytest
from reference_optimizers import REFERENCE_EVALS, reference_path

from descentlab import engine
from descentlab.engine.optimizers import lbfgs
from descentlab.engine.surface.functions import surface_fg

SID = engine.SURFACES["rosenbrock"].id
START = (-1.2, 1.0)
CASES = [{}, {"strong_wolfe": True}, {"lr": 0.1, "max_iter": 5, "history_size": 3},
         {"lr": 0.5, "max_eval": 7, "tolerance_change": 1e-5, "strong_wolfe": True},
         {"max_iter": 1}]


def grad_fn(theta):
    _, gx, gy = surface_fg(SID, float(theta[0]), float(theta[1]))
    return np.array([gx, gy])


grad_fn.f = lambda x, y: surface_fg(SID, float(x), float(y))[0]


def counts(race, uid, steps):
    out = []
    for _ in range(steps):
        race.advance(1)
        out.append(next(r for r in race.snapshot(history=False).runs if r.uid == uid).evaluations)
    return out


@pytest.mark.parametrize("hyper", CASES, ids=lambda h: ",".join(f"{k}={v}" for k, v in h.items()))
def test_evaluation_counts_are_the_references(hyper):
    steps = 12
    reference_path("lbfgs", grad_fn, START, steps, **hyper)
    want = np.cumsum(REFERENCE_EVALS).tolist()
    race = engine.Race("rosenbrock")
    uid = race.add_run("lbfgs", START, **hyper)
    assert counts(race, uid, steps) == want
    assert want[-1] > steps or hyper.get("max_iter") == 1  # several evaluations a step


@pytest.mark.parametrize("hyper", CASES[:4], ids=lambda h: ",".join(map(str, h.values())) or "defaults")
def test_evaluation_counts_are_torchs(hyper):
    torch = pytest.importorskip("torch")
    from test_torch_parity import torch_optimizer

    p = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = torch_optimizer("lbfgs", [p], hyper)

    def closure():
        x, y = p.detach().tolist()
        f, gx, gy = surface_fg(SID, x, y)
        p.grad = torch.tensor([gx, gy], dtype=torch.float64)
        return torch.tensor(f, dtype=torch.float64)

    want = []
    for _ in range(10):
        opt.step(closure)
        want.append(int(opt.state[p]["func_evals"]))
    race = engine.Race("rosenbrock")
    uid = race.add_run("lbfgs", START, **hyper)
    assert counts(race, uid, 10) == want


def test_first_order_runs_count_one_evaluation_a_step_and_history_keeps_the_counts():
    race = engine.Race("rosenbrock", history=8)
    a = race.add_run("adam", START, lr=0.01)
    b = race.add_run("lbfgs", START)
    race.advance(20)  # past 8 rows: the history thins, the counts follow their rows
    snap = {r.uid: r for r in race.snapshot().runs}
    assert snap[a].evaluations == 20
    np.testing.assert_array_equal(snap[a].eval_counts, snap[a].steps)
    lb = snap[b]
    assert lb.evaluations > 20
    assert lb.eval_counts[0] == 0 and np.all(np.diff(lb.eval_counts) > 0)
    assert lb.eval_counts[-1] <= lb.evaluations
    assert snap[a].probes is None
    # the last step's probes: points it evaluated, at most PROBES, for the map's dots
    assert lb.probes.shape[1] == 2 and len(lb.probes) <= lbfgs.PROBES
    race.reset()
    assert all(r.evaluations == 0 for r in race.snapshot().runs)


def test_probes_are_the_points_the_step_evaluated():
    race = engine.Race("rosenbrock")
    uid = race.add_run("lbfgs", START, strong_wolfe=True)
    race.advance(1)
    run = race.snapshot().runs[0]
    assert len(run.probes) == run.evaluations - 1  # all but the evaluation at θ itself
    for x, y in run.probes:  # each on the line search's rays, with f where it was computed
        assert np.isfinite(surface_fg(SID, x, y)[0])
    assert run.probes[-1].tolist() != list(START)
    e = race.explain(uid)
    assert e["func_evals"] == run.evaluations and e["evals_last_step"] == run.evaluations
    race.advance(20)  # converged: a step that evaluates only at θ keeps the last dots
    assert race.explain(uid)["evals_last_step"] == 1
    np.testing.assert_array_equal(race.snapshot().runs[0].probes[-1], race.runs.theta[0])


def test_a_formula_race_matches_the_same_surface():
    formula = engine.FormulaSurface("(1 - x)^2 + 100*(y - x^2)^2", minima=[])
    a = engine.trajectory(formula, "lbfgs", START, 5, strong_wolfe=True)
    b = engine.trajectory("rosenbrock", "lbfgs", START, 5, strong_wolfe=True)
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_on_a_dataset_it_matches_the_reference_with_the_problems_closure():
    problem = engine.DatasetProblem("moons", engine.Model("mlp", hidden=(3,)), "log")

    def g(theta):
        return problem.grad(theta)

    g.f = lambda *theta: problem.loss(np.array(theta))
    start = problem.default_start
    want = reference_path("lbfgs", g, start, 3, strong_wolfe=True, history_size=5)
    evals = np.cumsum(REFERENCE_EVALS).tolist()
    race = engine.Race(problem)
    uid = race.add_run("lbfgs", start, strong_wolfe=True, history_size=5)
    got = counts(race, uid, 3)
    np.testing.assert_allclose(race.runs.theta[0], want[-1], rtol=1e-8, atol=1e-10)
    assert got == evals


def test_a_mini_batch_step_evaluates_its_own_batch_and_replays_bit_for_bit():
    problem = engine.DatasetProblem("moons", "logistic", "log")
    race = engine.Race(problem, seed=2)
    uid = race.add_run("lbfgs", problem.default_start, batch_size=16, max_iter=4)
    race.add_run("sgd", problem.default_start, lr=0.1, batch_size=16)
    race.advance(6)
    theta = race.runs.theta.copy()
    race.rewind(3)
    race.advance(3)
    np.testing.assert_array_equal(race.runs.theta, theta)
    assert next(r for r in race.snapshot().runs if r.uid == uid).evaluations > 6


def test_the_step_is_compiled_once_for_every_kind_of_race():
    """Surfaces, formulas and datasets share one compiled L-BFGS step (called through its
    address with each kernel's closure): inlined into each kernel, it cost a first launch
    tens of seconds."""
    formula = engine.FormulaSurface("x^2 + 3*y^2", minima=[])
    problem = engine.DatasetProblem("line", "linear", "l2")
    for p, start in (("rosenbrock", START), (formula, START), (problem, problem.default_start)):
        race = engine.Race(p)
        race.add_run("lbfgs", start, max_iter=3)
        race.advance(2)
        assert race.snapshot(history=False).runs[0].evaluations > 2
    assert len(lbfgs.LBFGS_STEP.dispatcher.overloads) == 1


def test_history_size_memory_and_changes():
    race = engine.Race("rosenbrock")
    a = race.add_run("adam", START)
    assert race.runs.lbfgs.shape[1] == 0  # no L-BFGS run: no memory for one
    race.advance(3)
    b = race.add_run("lbfgs", START, history_size=4)
    assert race.runs.lbfgs.shape[1] == lbfgs.state_width(2, 4)
    race.advance(5)
    race.add_run("lbfgs", START, history_size=10)  # a wider row: the first run's kept
    assert race.runs.lbfgs.shape[1] == lbfgs.state_width(2, 10)
    race.set_hyper(b, history_size=50)  # larger than its memory: capped until a restart
    race.advance(30)
    assert race.explain(b)["old_dirs"].shape[0] <= 4
    race.remove_run(a)
    assert np.isfinite(race.runs.theta).all()


@pytest.mark.parametrize("bad, words", [
    ({"history_size": 101}, "history_size=101"), ({"max_iter": 0}, "max_iter=0"),
    ({"max_iter": 2.5}, "max_iter=2.5"), ({"tolerance_grad": -1}, "tolerance_grad=-1"),
    ({"max_eval": -3}, "max_eval=-3"), ({"strong_wolfe": 2}, "strong_wolfe"),
])
def test_bad_hyperparameters_are_refused_by_name(bad, words):
    race = engine.Race("rosenbrock")
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(".", r"\.")):
        race.add_run("lbfgs", START, **bad)
    assert race.run_ids == []
