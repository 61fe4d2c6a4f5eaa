"""Learning-rate schedules: an independent plain-Python reference of torch's formulas (runs in
CI), torch.optim.lr_scheduler itself where torch is installed, and schedules inside the race."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.surface.functions import surface_fg


# ----------------------------------------------------------------- the reference
def reference_lrs(name: str, base: float, steps: int, **p) -> list[float]:
    """torch's recursive get_lr, written out from its documentation and source: the lr used
    by optimizer step 1…steps (scheduler epochs 0…steps−1)."""
    out, lr = [], base

    def cosine(lr, e, T, eta_min):  # CosineAnnealingLR, epoch e >= 1
        if (e - 1 - T) % (2 * T) == 0:
            return lr + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2
        return ((1 + math.cos(math.pi * e / T)) / (1 + math.cos(math.pi * (e - 1) / T))
                * (lr - eta_min) + eta_min)

    def linear(lr, e, sf, ef, total):
        if e == 0:
            return lr * sf
        if e > total:
            return lr
        return lr * (1.0 + (ef - sf) / (total * sf + (e - 1) * (ef - sf)))

    for e in range(steps):
        if name == "constant":
            pass
        elif name == "step":
            if e > 0 and e % p["step_size"] == 0:
                lr = lr * p["gamma"]
        elif name == "exponential":
            if e > 0:
                lr = lr * p["gamma"]
        elif name == "cosine":
            if e > 0:
                lr = cosine(lr, e, p["T_max"], p.get("eta_min", 0.0))
        elif name == "linear":
            lr = linear(lr, e, p["start_factor"], p["end_factor"], p["total_iters"])
        elif name == "warmup_cosine":
            W, eta = p["warmup_steps"], p["eta_min"]
            if e < W:
                lr = linear(lr, e, p["start_factor"], 1.0, W)
            elif e == W:
                lr = eta + (base - eta) * (1 + math.cos(0.0)) / 2
            else:
                lr = cosine(lr, e - W, p["T_max"], eta)
        out.append(lr)
    return out


CASES = [
    ("constant", {}),
    ("step", {"step_size": 7, "gamma": 0.5}),
    ("step", {"step_size": 1, "gamma": 0.9}),
    ("exponential", {"gamma": 0.97}),
    ("cosine", {"T_max": 13, "eta_min": 0.001}),
    ("cosine", {"T_max": 1, "eta_min": 0.0}),
    ("cosine", {"T_max": 50, "eta_min": 0.0}),
    ("linear", {"start_factor": 0.2, "end_factor": 0.9, "total_iters": 17}),
    ("linear", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 30}),
    ("warmup_cosine", {"warmup_steps": 9, "start_factor": 0.1, "T_max": 20, "eta_min": 0.002}),
    ("warmup_cosine", {"warmup_steps": 1, "start_factor": 0.5, "T_max": 3, "eta_min": 0.0}),
]


@pytest.mark.parametrize(("name", "params"), CASES)
def test_schedule_lrs_equal_the_reference(name, params):
    got = engine.schedule_lrs(name, 0.1, 240, **params)
    want = np.array(reference_lrs(name, 0.1, 240, **params))
    assert got.shape == (240,)
    np.testing.assert_array_equal(got, want)


def test_cosine_is_periodic_past_T_max():
    lrs = engine.schedule_lrs("cosine", 1.0, 61, T_max=10)
    assert lrs[0] == 1.0 and abs(lrs[10]) < 1e-15  # epoch 10: eta_min
    np.testing.assert_allclose(lrs[20], 1.0, rtol=1e-12)  # back up at 2·T_max
    np.testing.assert_allclose(lrs[:21], lrs[40:61], atol=1e-12)
    closed = 0.5 * (1 + np.cos(np.pi * np.arange(61) / 10))
    np.testing.assert_allclose(lrs, closed, atol=1e-12)


def test_warmup_then_cosine():
    lrs = engine.schedule_lrs("warmup_cosine", 0.2, 40, warmup_steps=5, start_factor=0.1, T_max=20)
    np.testing.assert_allclose(lrs[:5], 0.2 * np.array([0.1, 0.28, 0.46, 0.64, 0.82]), rtol=1e-12)
    assert lrs[5] == 0.2 and lrs[5 + 20] < 1e-15


@pytest.mark.parametrize("bad", [
    {"schedule": "warp"},
    {"schedule": "step", "step_size": 0},
    {"schedule": "step", "step_size": 2.5},
    {"schedule": "exponential", "gamma": -1.0},
    {"schedule": "linear", "start_factor": 0.0},
    {"schedule": "cosine", "eta_min": -1.0},
    {"schedule": "cosine", "gamma": 0.5},
    {"schedule": None, "T_max": 5},
])
def test_bad_schedules_raise_naming_the_parameter(bad):
    bad = dict(bad)
    with pytest.raises(ValueError):
        engine.schedule_lrs(bad.pop("schedule"), 0.1, 10, **bad)


def test_schedule_round_trips_as_a_dict():
    s = engine.as_schedule({"name": "cosine", "T_max": 100})
    assert s.to_dict() == {"name": "cosine", "T_max": 100, "eta_min": 0.0}
    assert engine.as_schedule(s.to_dict()) == s
    assert engine.as_schedule(None).is_constant


# ------------------------------------------------------------- in the race
def _ref_sgd(start, lrs, momentum=0.0):
    th, buf, path = np.array(start, float), None, [np.array(start, float)]
    for lr in lrs:
        f, gx, gy = surface_fg(engine.get_surface("rosenbrock").id, th[0], th[1])
        g = np.array([gx, gy])
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + g
            g = buf
        th = th - lr * g
        path.append(th.copy())
    return np.array(path)


def _ref_adam(start, lrs, b1=0.9, b2=0.999, eps=1e-8):
    th, m, v, path = np.array(start, float), np.zeros(2), np.zeros(2), [np.array(start, float)]
    for t, lr in enumerate(lrs, 1):
        f, gx, gy = surface_fg(engine.get_surface("rosenbrock").id, th[0], th[1])
        g = np.array([gx, gy])
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        th = th - lr / (1 - b1**t) * m / (np.sqrt(v) / math.sqrt(1 - b2**t) + eps)
        path.append(th.copy())
    return np.array(path)


@pytest.mark.parametrize(("name", "params"), [c for c in CASES if c[0] != "constant"])
def test_scheduled_trajectories_equal_a_numpy_reference(name, params):
    lrs = reference_lrs(name, 1e-3, 300, **params)
    got = engine.trajectory("rosenbrock", "sgd", (-1.2, 1.0), 300, lr=1e-3, momentum=0.5,
                            schedule=name, **params)
    np.testing.assert_allclose(got, _ref_sgd((-1.2, 1.0), lrs, 0.5), rtol=1e-10, atol=1e-12)
    lrs = reference_lrs(name, 0.02, 300, **params)
    got = engine.trajectory("rosenbrock", "adam", (-1.2, 1.0), 300, lr=0.02,
                            schedule={"name": name, **params})
    np.testing.assert_allclose(got, _ref_adam((-1.2, 1.0), lrs), rtol=1e-9, atol=1e-11)


def test_constant_schedule_changes_nothing():
    a = engine.trajectory("beale", "adam", None, 200, lr=0.05)
    b = engine.trajectory("beale", "adam", None, 200, lr=0.05, schedule="constant")
    np.testing.assert_array_equal(a, b)


# torch reads these optimizers' lr later than at each step: Rprop only as its step sizes'
# start (at step 1), ASGD at the end of a step for the next step's η
LR_READ_LATER = {"rprop": None, "asgd": 3}


@pytest.mark.parametrize("opt", list(engine.OPTIMIZERS))
def test_every_optimizer_takes_its_scheduled_lr_as_hyper_zero(opt):
    """lr is hyperparameter 0 of every optimizer: a schedule that multiplies it by 0 from
    step 2 on (StepLR gamma≈0) freezes every optimizer after its first step (ASGD after its
    second, whose η was set at step 1; Rprop never: its lr is only Δ's starting value)."""
    assert engine.get_optimizer(opt).hyper_names[0] == "lr"
    path = engine.trajectory("rosenbrock", opt, (-1.2, 1.0), 20, lr=1e-3, schedule="step",
                             step_size=1, gamma=1e-300)
    frozen_from = LR_READ_LATER.get(opt, 2)
    if frozen_from is None:
        moved = (np.abs(np.diff(path[1:], axis=0)) >= 1e-6).any(axis=1)
        assert moved.sum() >= 15  # it goes on (a step is skipped only where a sign flips)
        return
    frozen = path[frozen_from - 1:frozen_from]
    np.testing.assert_allclose(path[frozen_from:], np.repeat(frozen, 21 - frozen_from, axis=0),
                               atol=1e-200)
    assert not np.array_equal(path[frozen_from - 1], path[frozen_from - 2])


@pytest.mark.parametrize("opt, kw", [("rprop", {"etas": (0.3, 1.5)}), ("asgd", {"t0": 20.0}),
                                     ("adafactor", {})])
@pytest.mark.parametrize(("name", "params"), [("step", {"step_size": 7, "gamma": 0.5}),
                                              ("warmup_cosine", {"warmup_steps": 10,
                                                                 "start_factor": 0.1,
                                                                 "T_max": 50})])
def test_rprop_asgd_adafactor_read_a_scheduled_lr_where_torch_does(opt, kw, name, params):
    torch = pytest.importorskip("torch")
    cls = {"rprop": torch.optim.Rprop, "asgd": torch.optim.ASGD, "adafactor": torch.optim.Adafactor}
    _, want = _torch_case(name, params, cls[opt], 1e-3, 120, **kw)
    hyper = {"eta_minus": 0.3, "eta_plus": 1.5} if opt == "rprop" else dict(kw)
    got = engine.trajectory("rosenbrock", opt, (-1.2, 1.0), 120, lr=1e-3, schedule=name,
                            **params, **hyper)
    np.testing.assert_array_equal(got, want)


def test_race_schedules_per_run_and_set_hyper_keeps_the_schedule():
    race = engine.Race("rosenbrock")
    a = race.add_run("sgd", lr=1e-3, schedule="cosine", T_max=50)
    b = race.add_run("sgd", lr=1e-3)
    assert race.run_info(a).schedule.name == "cosine"
    race.advance(30)
    assert race.runs.hyper[0, 0] == engine.schedule_lrs("cosine", 1e-3, 30, T_max=50)[-1]
    assert race.runs.hyper[1, 0] == 1e-3
    race.set_hyper(a, lr=2e-3)  # the schedule goes on from the new base lr
    assert race.runs.hyper[0, 0] == engine.schedule_lrs("cosine", 2e-3, 30, T_max=50)[-1]
    race.set_schedule(b, "exponential", gamma=0.9)  # restarts b
    assert race.run_info(b).schedule.params == {"gamma": 0.9} and race.runs.t[1] == 0


# ------------------------------------------------------------------- torch
def _torch_case(name, params, opt_cls, lr, steps, **kw):
    torch = pytest.importorskip("torch")
    L = torch.optim.lr_scheduler
    torch.set_default_dtype(torch.float64)
    try:
        p = torch.tensor([-1.2, 1.0], requires_grad=True)
        opt = opt_cls([p], lr=lr, foreach=False, **kw)
        sched = {
            "constant": lambda: None,
            "step": lambda: L.StepLR(opt, params.get("step_size", 1), params.get("gamma", 0.1)),
            "exponential": lambda: L.ExponentialLR(opt, params.get("gamma", 0.9)),
            "cosine": lambda: L.CosineAnnealingLR(opt, params.get("T_max", 1),
                                                  params.get("eta_min", 0.0)),
            "linear": lambda: L.LinearLR(opt, params.get("start_factor", 0.5),
                                         params.get("end_factor", 1.0),
                                         params.get("total_iters", 1)),
            "warmup_cosine": lambda: L.SequentialLR(opt, [
                L.LinearLR(opt, params.get("start_factor", 0.5), 1.0,
                           params.get("warmup_steps", 1)),
                L.CosineAnnealingLR(opt, params.get("T_max", 1), params.get("eta_min", 0.0))],
                milestones=[params.get("warmup_steps", 1)]),
        }[name]()
        lrs, path = [], [p.detach().clone().numpy()]
        sid = engine.get_surface("rosenbrock").id
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(steps):
                f, gx, gy = surface_fg(sid, float(p[0]), float(p[1]))
                p.grad = torch.tensor([gx, gy])
                lrs.append(opt.param_groups[0]["lr"])
                opt.step()
                if sched is not None:
                    sched.step()
                path.append(p.detach().clone().numpy())
        return np.array(lrs), np.array(path)
    finally:
        torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize(("name", "params"), CASES)
def test_schedule_lrs_equal_torch(name, params):
    torch = pytest.importorskip("torch")
    lrs, _ = _torch_case(name, params, torch.optim.SGD, 0.1, 240)
    np.testing.assert_array_equal(engine.schedule_lrs(name, 0.1, 240, **params), lrs)


@pytest.mark.parametrize(("name", "params"), CASES)
def test_scheduled_trajectories_equal_torch(name, params):
    torch = pytest.importorskip("torch")
    _, want = _torch_case(name, params, torch.optim.Adam, 0.02, 300)
    got = engine.trajectory("rosenbrock", "adam", (-1.2, 1.0), 300, lr=0.02, schedule=name,
                            **params)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    _, want = _torch_case(name, params, torch.optim.SGD, 1e-3, 300, momentum=0.9)
    got = engine.trajectory("rosenbrock", "sgd", (-1.2, 1.0), 300, lr=1e-3, momentum=0.9,
                            schedule=name, **params)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def test_scenes_save_and_load_a_runs_schedule():
    from descentlab.engine.files.scene import scene_from_dict, scene_to_dict

    data = {"problem": {"surface": "rosenbrock"},
            "runs": [{"optimizer": "adam", "lr": 0.01,
                      "schedule": {"name": "cosine", "T_max": 100}},
                     {"optimizer": "sgd"}]}
    scene = scene_from_dict(data)
    assert scene.runs[0].schedule == {"name": "cosine", "T_max": 100, "eta_min": 0.0}
    assert scene.runs[1].schedule is None
    again = scene_to_dict(scene)
    assert again["runs"][0]["schedule"] == {"name": "cosine", "T_max": 100, "eta_min": 0.0}
    assert "schedule" not in again["runs"][1]
    assert scene_from_dict(again).runs[0].schedule == scene.runs[0].schedule
    with pytest.raises(ValueError, match="schedule"):
        scene_from_dict({"problem": {"surface": "rosenbrock"},
                         "runs": [{"optimizer": "adam", "schedule": {"name": "cosine", "T_max": 0}}]})
