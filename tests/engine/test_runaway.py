"""Runaway numbers: every optimizer on every surface, learning rates from 1e-8 to 1e4 and
the other hyperparameters at the ends of their ranges. Nothing raises, nothing warns; a run
that diverges stops at the step that left the box, frozen at its last good point; what is
recorded stays finite and in bounds; tiny learning rates never diverge and huge ones do."""

import math
import warnings

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.surface.functions import surface_fg

LRS = [1e-8, 1e-4, 1e-1, 1.0, 1e2, 1e4]
STEPS = 2000

# Optimizers whose step is set by lr alone, whatever the gradient's size: the first step moves
# a coordinate by about lr (Adagrad, Adam, AdamW, AdaMax, NAdam), 10·lr (RMSprop: v₁ = 0.01·g²)
# or exactly lr (Lion). (RAdam is not one: its first five steps are lr·m̂, like SGD's.)
SCALE_FREE = ("adagrad", "rmsprop", "adam", "adamw", "adamax", "nadam", "lion")
# Optimizers whose first step is lr (times a factor ≥ 0.1) times the raw gradient.
# Newton's methods too, on the bowl these tests use: H = I, so d = (H + λI)⁻¹g ≈ g.
RAW_GRADIENT = ("gd", "momentum", "sgd", "nag", "radam", "asgd", "newton", "damped_newton")
# Optimizers whose step is bounded whatever the gradient: Rprop's by its step sizes (the first
# exactly lr per coordinate, later ones up to step_size_max: lr is only where Δ starts, so a
# tiny lr with a large eta_plus grows to Δ_max and may well leave the box); Adafactor's by
# the parameters' own RMS times min(lr, 1/√t) (the update's RMS is clipped to d).
BOUNDED = ("rprop", "adafactor", "muon")
# Muon's step is lr·√max(1, A/B)·O, O Newton–Schulz's quintic iterated from B̃/‖B̃‖: bounded
# (singular values ≈ 0.7–1.2; on a surface a step of ≈ 0.7·lr) with torch's coefficients,
# not with a coefficient at 1e4 (σ ↦ 1e4·σ + …, overflowing bfloat16 within five steps):
# such a run leaves at its first step whatever lr, as torch's own Newton–Schulz says.
MUON_COEFFICIENTS = ("ns_a", "ns_b", "ns_c")


def torch_newton_schulz_overflows(hyper, g) -> bool | None:
    """Whether torch's Newton–Schulz of the 1 × 2 gradient ``g`` with ``hyper``'s
    coefficients is not finite (None without torch)."""
    try:
        import torch
        from torch.optim._muon import _zeropower_via_newtonschulz
    except ImportError:
        return None
    spec = engine.get_optimizer("muon")
    h = spec.validate(hyper)
    out = _zeropower_via_newtonschulz(torch.tensor([list(g)], dtype=torch.float64),
                                      tuple(h[k] for k in MUON_COEFFICIENTS),
                                      int(h["ns_steps"]), h["eps"])
    return not bool(torch.isfinite(out).all())


def extremes(h: engine.HyperSpec) -> list[float]:
    """The ends of a hyperparameter's valid range (an open end approached closely)."""
    if h.kind == "bool":
        return [0.0, 1.0]
    low = h.low if not h.low_open else (h.low + 1e-12 if h.low == 0 else math.nextafter(h.low, math.inf))
    high = h.high if not math.isinf(h.high) else 1e4
    if h.high_open:
        high = 1.0 - 1e-12 if h.high == 1.0 else math.nextafter(high, -math.inf)
    return [low, high]


def combos(spec: engine.OptimizerSpec):
    others = [h for h in spec.hyper if h.name != "lr"]
    for lr in LRS:
        yield {"lr": lr}
        for h in others:  # one hyperparameter at a time at each end
            for value in extremes(h):
                hyper = {"lr": lr, h.name: value}
                try:
                    spec.validate(hyper)
                except ValueError:
                    continue  # e.g. nesterov needs momentum > 0: not a valid setting
                yield hyper


def assert_recorded_sanely(run, problem, steps, label):
    """A run's record after ``steps`` steps: finite and in bounds, and a diverged run stopped
    at the step that went bad, with nothing of that step in its history."""
    assert np.all(np.isfinite(run.path)), label
    assert np.all(np.isfinite(run.losses)), label
    assert np.all((run.path >= problem.box.lo) & (run.path <= problem.box.hi)), label
    assert np.isfinite(run.loss) and np.all(np.isfinite(run.position)), label
    assert np.all((run.position >= problem.box.lo) & (run.position <= problem.box.hi)), label
    if run.diverged_at is None:
        assert run.step == steps, label
        assert steps - run.stride < run.steps[-1] <= steps, label  # the history is current
    else:
        assert 1 <= run.diverged_at <= steps, label  # every start here is inside the box
        assert run.step == run.diverged_at, label  # it stopped there
        assert run.steps[-1] < run.diverged_at, label  # the bad step is not recorded


@pytest.mark.parametrize("surface", list(engine.SURFACES))
def test_every_optimizer_survives_every_learning_rate(surface):
    race = engine.Race(surface, history=64)
    runs = []
    for key, spec in engine.OPTIMIZERS.items():
        for hyper in combos(spec):
            race.add_run(key, **hyper)
            runs.append((key, hyper))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(4):
            race.advance(STEPS // 4)
        snap = race.snapshot()
    p = race.problem
    start = np.asarray(p.default_start, dtype=float)
    _, gx, gy = surface_fg(engine.SURFACES[surface].id, start[0], start[1])
    for (key, hyper), run in zip(runs, snap.runs, strict=True):
        label = f"{key} {hyper}"
        assert_recorded_sanely(run, p, STEPS, label)
        if key == "muon" and set(hyper) & set(MUON_COEFFICIENTS):
            if hyper["lr"] <= 1e-8:  # leaves at once exactly when torch's NS overflows
                overflows = torch_newton_schulz_overflows(hyper, (gx, gy))
                assert overflows is None or (run.diverged_at == 1) == overflows, label
        elif hyper["lr"] <= 1e-8 and key != "rprop":
            # 2000 steps of ~1e-8 (1e-2 at most, RMSprop with alpha → 1) cannot leave the box
            assert run.diverged_at is None, label
        if hyper == {"lr": 1e4} and key in SCALE_FREE:
            # a first step of ~1e4 per coordinate leaves every box (the widest is 420)
            assert run.diverged_at == 1, label
        if hyper.keys() == {"lr"} and key == "gd":
            # GD's first step is exactly lr·∇f(start): it diverges there iff that leaves the box
            first = start - hyper["lr"] * np.array([gx, gy])
            leaves = not np.all((p.box.lo <= first) & (first <= p.box.hi))
            assert (run.diverged_at == 1) == leaves, label


def test_noise_with_huge_sigma_is_also_just_a_result():
    """Gradient noise σ = 1e6 with lr = 1: the optimizers that step along the raw gradient are
    thrown out of the box at once; those whose step is set by lr are not."""
    race = engine.Race("bowl", noise=1e6, seed=3, history=32)
    for key in engine.OPTIMIZERS:
        race.add_run(key, lr=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        race.advance(1000)
    p = race.problem
    start = np.asarray(p.default_start, dtype=float)
    lion_min_steps = math.floor(np.min(np.minimum(start - p.box.lo, p.box.hi - start))) + 1
    for run in race.snapshot().runs:
        assert_recorded_sanely(run, p, 1000, run.optimizer)
        if run.optimizer in RAW_GRADIENT:  # a first step of ~0.1·σ = 1e5 ≫ the box (±63)
            assert run.diverged_at == 1, run.optimizer
            assert np.array_equal(run.position, start), run.optimizer  # its last good point
        elif run.optimizer == "lbfgs":
            # one step is up to max_iter = 20 moves: the first at most lr (lr·g/‖g‖₁), the
            # later ones scaled by sᵀy/yᵀy of pairs the noise makes: out of the box within its
            # first step here — a result, recorded as any other (above)
            assert run.diverged_at == 1 and np.array_equal(run.position, start)
        elif run.optimizer == "lion":
            # every coordinate moves by exactly lr = 1 a step (or 0): it cannot cross from the
            # start to the box's nearest edge (60.5 away: 61 steps) any sooner
            assert run.diverged_at is None or run.diverged_at >= lion_min_steps, run.optimizer
        else:  # Adadelta's first step is lr·√(ε/(1−ρ)) ≈ 3e-3; the others' ≤ 10·lr (Rprop's
            # exactly lr, Adafactor's at most RMS(θ)·lr per coordinate on average, Muon's
            # ≈ 0.7·lr in all)
            assert run.optimizer in SCALE_FREE + BOUNDED + ("adadelta",)
            assert run.diverged_at is None or run.diverged_at > 1, run.optimizer

