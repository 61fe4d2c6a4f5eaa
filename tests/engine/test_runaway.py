"""Runaway numbers: every optimizer on every surface, learning rates from 1e-8 to 1e4 and
the other hyperparameters at the ends of their ranges. Nothing raises, nothing warns, each
run is either diverged or still going, and what is recorded stays finite and in bounds."""

import math
import warnings

import numpy as np
import pytest

import engine

LRS = [1e-8, 1e-4, 1e-1, 1.0, 1e2, 1e4]


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


@pytest.mark.parametrize("surface", list(engine.SURFACES))
def test_every_optimizer_survives_every_learning_rate(surface):
    race = engine.Race(surface, history=64)
    labels = []
    for key, spec in engine.OPTIMIZERS.items():
        for hyper in combos(spec):
            race.add_run(key, **hyper)
            labels.append(f"{key} {hyper}")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(4):
            race.advance(500)
        snap = race.snapshot()
    p = race.problem
    for label, run in zip(labels, snap.runs, strict=True):
        assert run.status in ("running", "diverged"), label
        assert np.all(np.isfinite(run.path)), label
        assert np.all(np.isfinite(run.losses)), label
        assert np.all((run.path >= p.lower) & (run.path <= p.upper)), label
        assert np.isfinite(run.loss) and np.all(np.isfinite(run.position)), label
        if run.status == "running":
            assert run.step == 2000, label
        else:
            assert 0 <= run.diverged_at <= 2000, label
    # the huge learning rates do blow up somewhere: divergence is a result, not an error
    assert any(r.status == "diverged" for r in snap.runs)


def test_noise_with_huge_sigma_is_also_just_a_result():
    race = engine.Race("bowl", noise=1e6, seed=3, history=32)
    for key in engine.OPTIMIZERS:
        race.add_run(key, lr=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        race.advance(1000)
    assert all(r.status in ("running", "diverged") for r in race.snapshot().runs)

