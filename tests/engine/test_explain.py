"""Race.explain (the last step, named like torch.optim's state), Race.walk (the next step, line
by line) and the overlay's numbers (engine.maps.explain), against independent references."""

from __future__ import annotations

import math

import numpy as np
import pytest
from reference_optimizers import HESSIANS, REFERENCES, reference_state

from descentlab import engine
from descentlab.engine.maps import explain as ex
from descentlab.engine.optimizers import MODULES, module_for
from descentlab.engine.surface.functions import surface_fg

START = (-1.2, 1.0)
SID = engine.SURFACES["rosenbrock"].id


def _cases():
    """(optimizer, hyperparameters): the Rosenbrock cases of every optimizer in the engine's
    registry (its reference's cases, which switch every flag on somewhere)."""
    for key in engine.OPTIMIZERS:
        if key not in REFERENCES:
            yield key, None  # its tests fail: no reference
            continue
        for case in REFERENCES[key].cases:
            if "rosenbrock" in case.surfaces:
                yield key, case.hyper


CASES = list(_cases())
IDS = [f"{k}[{','.join(f'{a}={b}' for a, b in (h or {}).items())}]" for k, h in CASES]
STEPS = (1, 7, 60)


def grad_fn(theta):
    _, gx, gy = surface_fg(SID, float(theta[0]), float(theta[1]))
    return np.array([gx, gy])


grad_fn.hessian = HESSIANS["rosenbrock"]  # for Newton's references
grad_fn.f = lambda x, y: surface_fg(SID, float(x), float(y))[0]  # for L-BFGS's (its closure)


def race_at(optimizer, hyper, steps, **race_kw):
    assert hyper is not None, f"{optimizer} has no reference in reference_optimizers.py"
    race = engine.Race("rosenbrock", **race_kw)
    uid = race.add_run(optimizer, START, **hyper)
    race.advance(steps)
    return race, uid


def test_every_optimizer_is_covered():
    assert {k for k, h in CASES if h is not None} == set(engine.OPTIMIZERS)
    for mod in MODULES:  # one source, next to the rule
        assert callable(mod.explain) and callable(mod.walk)
        assert isinstance(mod.STATE_NAMES, tuple)


@pytest.mark.parametrize("steps", STEPS)
@pytest.mark.parametrize("optimizer, hyper", CASES, ids=IDS)
def test_explain_matches_the_numpy_reference(optimizer, hyper, steps):
    race, uid = race_at(optimizer, hyper, steps)
    got = race.explain(uid)
    want = reference_state(optimizer, grad_fn, START, steps, **hyper)
    for key in ("grad", "update", "step"):
        assert key in want
    missing = set(want) - set(got)
    assert not missing, f"explain() lacks {sorted(missing)}"
    for key, value in want.items():
        np.testing.assert_allclose(got[key], value, rtol=1e-9, atol=1e-300, err_msg=key)
    # the state names are the rule's own, and each is there exactly when the reference has it
    mod = module_for(optimizer)
    named = set(mod.STATE_NAMES) | set(getattr(mod, "SCALAR_NAMES", ()))
    assert named & set(got) == named & set(want)


def test_explain_at_step_zero_has_no_step_yet():
    race, uid = race_at("adam", {}, 0)
    e = race.explain(uid)
    assert e["step"] == 0.0
    np.testing.assert_array_equal(e["grad"], grad_fn(race.runs.theta[0]))  # the start's gradient
    assert np.isnan(e["update"]).all()
    assert (e["exp_avg"] == 0).all()
    for key, hyper in CASES:  # every optimizer explains its step 0 without an error
        race, uid = race_at(key, hyper, 0)
        assert race.explain(uid)["step"] == 0.0


def test_explain_grad_is_before_weight_decay_and_includes_noise():
    race, uid = race_at("sgd", {"lr": 1e-3, "weight_decay": 0.5}, 5, noise=0.3, seed=4)
    e = race.explain(uid)
    prev = race.runs.theta[0] - e["update"]
    clean = grad_fn(prev)
    assert not np.allclose(e["grad"], clean)  # noise is in
    # update = −α(g + λθ): so g is the gradient before weight decay
    np.testing.assert_allclose(e["update"], -1e-3 * (e["grad"] + 0.5 * prev), rtol=1e-12)


def test_explain_follows_the_run_among_many():
    race = engine.Race("rosenbrock")
    a = race.add_run("adam", START, lr=0.01)
    b = race.add_run("rmsprop", (0.5, 0.5), lr=0.01)
    race.advance(7)
    race.remove_run(a)
    c = race.add_run("gd", START, lr=1e-3)
    race.advance(3)
    assert race.explain(b)["step"] == 10.0
    assert race.explain(c)["step"] == 3.0
    want = reference_state("gd", grad_fn, START, 3, lr=1e-3)
    np.testing.assert_allclose(race.explain(c)["update"], want["update"], rtol=1e-12)


# ------------------------------------------------------------------------- torch.optim
TORCH_CASES = [(k, h) for k, h in CASES if engine.OPTIMIZERS[k].torch_name is not None
               and "bias_correction" not in (h or {})]  # not a torch option


@pytest.mark.parametrize("steps", STEPS)
@pytest.mark.parametrize(
    "optimizer, hyper", TORCH_CASES,
    ids=[f"{k}[{','.join(map(str, (h or {}).values()))}]" for k, h in TORCH_CASES])
def test_explain_matches_torch_optimizer_state(optimizer, hyper, steps):
    torch = pytest.importorskip("torch")
    from test_torch_parity import torch_optimizer

    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        shape = (1, 2) if optimizer == "muon" else (2,)  # Muon takes matrices: a 1 × 2 point
        p = torch.tensor(START, dtype=torch.float64).reshape(shape).requires_grad_()
        opt = torch_optimizer(optimizer, [p], hyper)

        def closure():  # L-BFGS's step(closure) evaluates f and the gradient itself
            p.grad = torch.tensor(grad_fn(p.detach().numpy().ravel()),
                                  dtype=torch.float64).reshape(shape)
            return torch.tensor(grad_fn.f(*p.detach().numpy().ravel()), dtype=torch.float64)

        for _ in range(steps):
            if optimizer == "lbfgs":
                opt.step(closure)
                continue
            p.grad = torch.tensor(grad_fn(p.detach().numpy().ravel()),
                                  dtype=torch.float64).reshape(shape)
            opt.step()
        state = {k: (np.array([x.detach().numpy() for x in v]) if isinstance(v, list) and v
                     and hasattr(v[0], "detach") else
                     v.detach().numpy().ravel().copy() if hasattr(v, "detach") else np.array(v))
                 for k, v in opt.state[p].items()
                 if k != "al"}  # L-BFGS's scratch of the two-loop recursion (None-padded), not state
    finally:
        torch.set_default_dtype(previous)
    race, uid = race_at(optimizer, hyper, steps)
    got = race.explain(uid)
    if not hyper.get("momentum") and optimizer in ("gd", "sgd"):
        assert state == {}  # torch's SGD without momentum keeps nothing, and neither do we
    for key, value in state.items():
        assert key in got, f"torch has {key!r}, explain() has not"
        np.testing.assert_allclose(got[key], value, rtol=1e-12, atol=1e-300, err_msg=key)
    mod = module_for(optimizer)
    named = (set(mod.STATE_NAMES) | set(getattr(mod, "SCALAR_NAMES", ()))) & set(got)
    assert named == set(state) - {"step"}


# ----------------------------------------------------------------------------- walks
@pytest.mark.parametrize("steps", (0, 1, 6, 59))
@pytest.mark.parametrize("optimizer, hyper", CASES, ids=IDS)
def test_walk_ends_at_the_engines_next_position(optimizer, hyper, steps):
    race, uid = race_at(optimizer, hyper, steps, noise=0.5 if steps == 6 else 0.0, seed=3)
    w = race.walk(uid)
    before = race.runs.theta[0].copy()
    race.advance(1)
    after = race.runs.theta[0]
    # an L-BFGS run that has converged (by step 59: max|g| ≤ tolerance_grad, or gᵀd above
    # −tolerance_change) does not move: torch's step(closure) stops first, and its walk says so
    if "no_move" not in w.terms:
        assert not np.array_equal(before, after)
    np.testing.assert_allclose(w.theta_next, after, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(w.terms["update"], after - before, rtol=1e-9, atol=1e-15)
    # and the walk's terms are the explained step's
    e = race.explain(uid)
    for key in set(w.terms) & set(e) - {"step"}:
        np.testing.assert_allclose(w.terms[key], e[key], rtol=1e-9, atol=1e-300, err_msg=key)
    # captions: numbered, with the numbers, highlighting lines of the rule
    spec = engine.get_optimizer(optimizer)
    n_rule = len(spec.equations_html.split("<br>"))
    for i, line in enumerate(w.lines, 1):
        assert line.caption.startswith(f"{i}. ")
        assert "=" in line.caption
        assert -1 <= line.rule < n_rule
    assert w.lines[-1].draw == "step"
    assert w.lines[0].draw == "grad"


def test_walk_does_not_touch_the_race():
    race, uid = race_at("nadam", {}, 5, noise=0.2)
    copies = [a.copy() for a in race.runs]
    race.walk(uid)
    race.snapshot()
    for a, b in zip(copies, race.runs, strict=True):
        np.testing.assert_array_equal(a, b)


def test_walk_on_a_dataset_problem_and_a_bigger_model():
    for problem in (engine.DatasetProblem("line", "linear"), engine.DatasetProblem("moons", "mlp")):
        race = engine.Race(problem)
        for key, hyper in (("adam", {"lr": 0.05}), ("sgd", {"lr": 0.05, "momentum": 0.9}),
                           ("radam", {}), ("rprop", {}), ("asgd", {"t0": 2.0}),
                           ("adafactor", {"lr": 0.05, "weight_decay": 0.1}),
                           ("muon", {"lr": 0.02})):
            uid = race.add_run(key, batch_size=4, **hyper)
        race.advance(5)
        for r, uid in enumerate(race.run_ids):
            w = race.walk(uid)
            before = race.runs.theta[r].copy()
            race2 = race  # the walk is taken before the step
            race2.advance(1)
            np.testing.assert_allclose(w.theta_next, race.runs.theta[r], rtol=1e-12, atol=1e-15)
            assert not np.array_equal(before, race.runs.theta[r])


def test_a_diverged_run_has_no_walk():
    race, uid = race_at("gd", {"lr": 10.0}, 50)
    assert race.snapshot().runs[0].diverged_at is not None
    assert race.walk(uid) is None
    o = ex.overlay(None, lambda p: p, 1.0, message="diverged")
    assert not o.ok and o.message == "diverged" and not o.arrows


def test_snapshots_carry_the_walk_only_when_asked():
    race, uid = race_at("adam", {"lr": 0.01}, 3)
    assert race.snapshot().walk is None
    race.explain_uid = uid
    snap = race.snapshot(history=False)
    assert snap.walk_uid == uid and snap.walk.theta_next is not None
    race.remove_run(uid)
    assert race.snapshot().walk is None


# ----------------------------------------------------------------------------- overlay
def test_arrow_scale():
    assert ex.arrow_scale([0.2, 0.01], 1.0) == 1.0
    k = ex.arrow_scale([1e-4], 1.0)
    assert k > 1 and ex.VISIBLE_MIN <= k * 1e-4 <= ex.VISIBLE_MAX
    k = ex.arrow_scale([50.0], 1.0)
    assert k < 1 and ex.VISIBLE_MIN <= k * 50 <= ex.VISIBLE_MAX
    # a short step beside a long momentum arrow: grown for the step, the long one still fits
    k = ex.arrow_scale([0.3, 0.01], 1.0, main=0.01)
    assert k > 1 and 0.3 * k <= 0.9 and 0.01 * k >= 0.02
    assert ex.arrow_scale([], 1.0) == 1.0 and ex.arrow_scale([math.nan], 1.0) == 1.0
    assert "×1000" in ex.scale_text(1000.0)
    for x in (3e-7, 0.013, 7.0, 4e5):
        n = ex.nice(x)
        assert n <= x < 10 * n and round(n / 10 ** math.floor(math.log10(n)), 9) in (1, 2, 5)


def test_overlay_of_adam_the_steep_axis_gets_the_short_side():
    race, uid = race_at("adam", {"lr": 0.01}, 20)
    w = race.walk(uid)
    o = ex.overlay(w, lambda p: p, 3.0)
    assert o.ok
    kinds = [a.kind for a in o.arrows]
    assert kinds == ["grad", "momentum", "step"]
    centre, half = o.box
    lr_eff = w.terms["lr_eff"]
    assert np.allclose(half / half.max(), lr_eff / lr_eff.max())
    steep = int(np.argmax(np.abs(w.terms["v_hat"])))
    assert half[steep] == half.min()
    step = o.arrows[-1]
    np.testing.assert_allclose((step.end - step.start) / step.scale, w.terms["update"],
                               rtol=1e-12)
    assert step.scale >= o.scale
    assert any("arrows" in text for kind, text in o.legend if kind == "scale")


def test_an_arrow_too_short_beside_the_others_gets_its_own_factor():
    w = ex.Walk(theta=np.zeros(2), g=np.array([1.0, 0.0]), vec=np.zeros((3, 2)), sc=np.zeros(2),
                h=np.array([1.0]), t=1.0)
    w.grad_line(-1)
    w.line(0, "m", "m", [0.0, 1.0], "momentum", np.array([0.0, -1.0]), "momentum")
    w.finish(0, "θ", np.array([1e-4, 0.0]))
    o = ex.overlay(w, lambda p: p, 4.0)
    grad, mom, step = o.arrows
    assert grad.scale == mom.scale == o.scale == 1.0
    assert step.scale > 1 and "drawn ×" in step.label
    assert np.hypot(*(step.end - step.start)) >= 0.5 * ex.VISIBLE_MIN * 4.0


def test_overlay_step_by_step_shows_the_lines_so_far():
    race, uid = race_at("momentum", {"lr": 0.01}, 5)
    w = race.walk(uid)
    first = ex.overlay(w, lambda p: p, 3.0, upto=0)
    assert [a.kind for a in first.arrows] == ["grad"] and first.caption.startswith("1. g")
    last = ex.overlay(w, lambda p: p, 3.0, upto=len(w.lines) - 1)
    assert [a.kind for a in last.arrows] == ["grad", "momentum", "step"]
    assert first.scale == last.scale  # the scale does not jump while walking


def test_overlay_of_a_non_finite_state_says_so():
    race, uid = race_at("adam", {"lr": 0.01}, 3)
    w = race.walk(uid)
    w.theta_next = w.theta_next * np.nan
    o = ex.overlay(w, lambda p: p, 1.0)
    assert not o.ok and "not finite" in o.message and not o.arrows and o.box is None


def test_overlay_projected_on_a_slice():
    from descentlab.engine.maps.planes import SlicePlane

    problem = engine.DatasetProblem("moons", "mlp")
    race = engine.Race(problem)
    uid = race.add_run("adam", lr=0.05)
    race.advance(4)
    plane = SlicePlane(problem, race.runs.theta[0].copy())
    o = ex.overlay(race.walk(uid), plane.to_map, 2.0, projected=True)
    assert o.ok and o.box is None and "projected" in o.message
    assert len(o.arrows) == 3 and all(a.end.shape == (2,) for a in o.arrows)


# -------------------------------------------------------------------- bias correction
def test_bias_correction_flag_is_last_and_on_by_default():
    for key in ("adam", "adamw"):
        spec = engine.get_optimizer(key)
        assert spec.hyper[-1].name == "bias_correction"
        assert spec.hyper[-1].kind == "bool" and spec.defaults["bias_correction"] == 1.0
        assert spec.hyper_names[:6] == ("lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad")


def test_bias_correction_off_starts_slowly():
    on = engine.trajectory("rosenbrock", "adam", START, 10, lr=0.01)
    off = engine.trajectory("rosenbrock", "adam", START, 10, lr=0.01, bias_correction=False)
    # the first step without the correction is (1−β₁)/√(1−β₂) = 0.1/0.0316 ≈ 3.2× longer? No:
    # m = 0.1 g, v = 0.001 g², so m/√v = 3.16 sign(g) — larger, not smaller; but the rate
    # m̂/√v̂ stays 1 with the correction. What a lecturer sees: the paths differ from step 1.
    assert not np.allclose(on[1], off[1])
    race, uid = race_at("adam", {"lr": 0.01, "bias_correction": False}, 1)
    e = race.explain(uid)
    assert e["bias_correction1"] == 1.0 and e["bias_correction2"] == 1.0
    np.testing.assert_array_equal(e["m_hat"], e["exp_avg"])


def test_bias_correction_round_trips_through_a_scene(tmp_path):
    from descentlab.engine.files.scene import RunConfig, Scene, load_scene, save_scene

    scene = Scene(runs=[RunConfig("adam", {"lr": 0.01, "bias_correction": 0.0})])
    save_scene(scene, tmp_path / "s.toml")
    text = (tmp_path / "s.toml").read_text()
    assert "bias_correction = false" in text
    assert load_scene(tmp_path / "s.toml").runs[0].hyper["bias_correction"] == 0.0


def test_adafactor_explains_its_factored_state_on_a_model():
    """On an MLP torch keeps row_var and col_var for each weight matrix and variance for each
    bias: explain() names them so (concatenated in θ order), and the walk, per tensor, ends
    where the engine's step does."""
    problem = engine.DatasetProblem("moons", "mlp")
    race = engine.Race(problem)
    uid = race.add_run("adafactor", batch_size=8)
    race.advance(4)
    got = race.explain(uid)
    shapes = problem.tensor_shapes
    matrices = [s for s in shapes if len(s) == 2]
    assert got["row_var"].size == sum(m for m, _ in matrices)
    assert got["col_var"].size == sum(n for _, n in matrices)
    assert got["variance"].size == sum(s[0] for s in shapes if len(s) == 1)
    assert np.all(got["row_var"] > 0) and np.all(got["col_var"] > 0)
    assert got["step_scale"].shape == (problem.n_params,)  # each tensor's own RMS
    w = race.walk(uid)
    race.advance(1)
    np.testing.assert_allclose(w.theta_next, race.runs.theta[0], rtol=1e-12, atol=1e-15)
    again = race.explain(uid)
    for key in ("row_var", "col_var", "variance"):
        np.testing.assert_allclose(w.terms[key], again[key], rtol=1e-12, err_msg=key)
