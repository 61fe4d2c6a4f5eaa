"""The timeline (engine.race.replay, engine.race.moment): a race taken back to step k by replay equals
the race as it was at k, and going on from there equals the uninterrupted race — bit for bit,
every array of the run state, the history and the problem's own state.

Races are small (a few runs, a few hundred steps, a short history so that thinning happens).
"""

from __future__ import annotations

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine import Race
from descentlab.engine.race.moment import moment, position_of, recorded_step, timeline_positions, timeline_unit
from descentlab.engine.race.replay import replayed

H = 64  # history rows: races of a few hundred steps get thinned (stride 4, 8 …)


def assert_same_race(a: Race, b: Race) -> None:
    """Every array of the two races' bundles identical, byte for byte (NaN payloads, −0.0)."""
    assert a.step == b.step
    assert a.run_ids == b.run_ids
    for name, bundle_a, bundle_b in (("runs", a.runs, b.runs), ("hist", a.hist, b.hist), ("own", a.own, b.own)):
        for field, x, y in zip(bundle_a._fields, bundle_a, bundle_b, strict=True):
            assert x.dtype == y.dtype and x.shape == y.shape, f"{name}.{field}"
            assert np.ascontiguousarray(x).tobytes() == np.ascontiguousarray(y).tobytes(), f"{name}.{field} differs"
    for uid in a.run_ids:
        assert a.run_info(uid).hyper == b.run_info(uid).hyper


def advance_in_chunks(race: Race, n: int, chunks=(1, 7, 64, 3)) -> None:
    """Advance by ``n`` steps in uneven chunks, as the worker does."""
    i = 0
    while n > 0:
        k = min(n, chunks[i % len(chunks)])
        race.advance(k)
        n -= k
        i += 1


def surface_race(noise: float = 0.0) -> Race:
    race = Race("rosenbrock", noise=noise, seed=7, history=H)
    race.add_run("adam", (-1.2, 1.0), lr=0.05)
    race.add_run("sgd", (-1.5, 2.0), lr=1e-4, momentum=0.9, nesterov=True)
    race.add_run("rmsprop", (0.5, -0.5), lr=1e-3, centered=True, momentum=0.5)
    race.add_run("sgd", (-1.0, 1.0), lr=0.01, schedule="cosine", T_max=50)
    race.add_run("gd", (-1.2, 1.0), lr=0.05)  # diverges early
    return race


def dataset_race() -> Race:
    problem = engine.DatasetProblem(engine.make_dataset("moons", 80, seed=3), engine.Model("mlp", hidden=(4,)),
                                    "log", seed=1)
    race = Race(problem, seed=5, history=H)
    race.add_run("sgd", lr=0.1, batch_size=1)
    race.add_run("adam", lr=0.02, batch_size=8)
    race.add_run("sgd", lr=0.2, momentum=0.9)  # the full batch: GD
    return race


MAKERS = {"surface": surface_race, "noisy surface": lambda: surface_race(noise=0.5), "mini-batch dataset": dataset_race}


@pytest.mark.parametrize("kind", list(MAKERS))
def test_rewound_race_equals_the_race_at_that_step_and_goes_on_identically(kind):
    make = MAKERS[kind]
    k = 150
    at_k = make()
    at_k.advance(k)
    whole = make()
    whole.advance(2 * k)

    race = make()
    advance_in_chunks(race, k + 111)
    race.rewind(k)
    assert_same_race(race, at_k)  # the optimizer state, the history, the batches' position
    advance_in_chunks(race, k, chunks=(5, 50, 2))
    assert_same_race(race, whole)


def test_the_diverged_run_is_replayed_too():
    race = surface_race()
    race.advance(300)
    diverged = race.snapshot().runs[-1]
    assert diverged.diverged_at is not None and diverged.diverged_at < 300  # the test needs it
    race.rewind(diverged.diverged_at - 1)
    assert race.snapshot().runs[-1].diverged_at is None
    race.advance(301 - diverged.diverged_at)
    assert race.snapshot().runs[-1].diverged_at == diverged.diverged_at


def test_a_live_hyperparameter_edit_is_replayed_where_it_was_made_and_forgotten_before():
    def edited(steps_after: int) -> Race:
        race = surface_race(noise=0.2)
        race.advance(100)
        race.set_hyper(0, lr=0.01)  # state kept: a live change
        race.set_noise(0.05)
        race.advance(steps_after)
        return race

    race = edited(200)
    race.rewind(250)
    assert_same_race(race, edited(150))
    assert race.run_info(0).hyper["lr"] == 0.01
    race.rewind(100)  # the moment of the edit: the race left it with the new values
    assert_same_race(race, edited(0))
    race.rewind(60)  # before it: the edit is forgotten
    plain = surface_race(noise=0.2)
    plain.advance(60)
    assert_same_race(race, plain)
    assert race.run_info(0).hyper["lr"] == 0.05 and race.noise == 0.2
    race.advance(90)
    plain.advance(90)
    assert_same_race(race, plain)


def test_runs_added_or_restarted_mid_race_begin_their_life_again_when_rewound_before_it():
    def race_with_late_runs() -> Race:
        race = surface_race()
        race.advance(100)
        race.add_run("adam", (0.0, 0.0), lr=0.1, label="late")  # born at step 100
        race.set_start((1.5, 1.5), uids=[1])  # run 1 restarts at step 100
        return race

    race = race_with_late_runs()
    race.advance(200)
    snap = race.snapshot()
    assert [r.born for r in snap.runs] == [0, 100, 0, 0, 0, 100]
    reference = race_with_late_runs()
    reference.advance(80)
    race.rewind(180)
    assert_same_race(race, reference)

    race.rewind(40)  # before their lives began: they wait at their starts
    snap = race.snapshot()
    late, restarted = snap.runs[-1], snap.runs[1]
    assert late.step == 0 and late.born == 40 and late.position.tolist() == [0.0, 0.0]
    assert restarted.step == 0 and restarted.position.tolist() == [1.5, 1.5]
    race.advance(30)
    alone = engine.trajectory("rosenbrock", "adam", (0.0, 0.0), 30, lr=0.1)
    assert race.snapshot().runs[-1].position.tobytes() == alone[-1].tobytes()


def test_explain_at_the_rewound_step_equals_the_uninterrupted_race():
    race, at_k = surface_race(), surface_race()
    race.advance(400)
    at_k.advance(123)
    race.rewind(123)
    for uid in (0, 2, 3):
        a, b = race.explain(uid), at_k.explain(uid)
        assert a.keys() == b.keys()
        for name in a:
            assert np.asarray(a[name]).tobytes() == np.asarray(b[name]).tobytes(), name


def test_rewind_refuses_steps_the_race_has_not_taken_and_changes_nothing():
    race = surface_race()
    race.advance(20)
    before = race.snapshot()
    for bad in (-1, 21, 2.5, True):
        with pytest.raises(ValueError, match=rf"step={bad!r}.*\[0, 20\]"):
            race.rewind(bad)
    assert race.step == 20 and race.snapshot().runs[0].position.tobytes() == before.runs[0].position.tobytes()


def test_moment_cut_from_the_history_matches_the_replayed_race_at_recorded_steps():
    race = surface_race()
    race.advance(500)
    snap = race.snapshot()
    unit = timeline_unit(snap)
    assert unit == 8  # 500 steps in 64 rows
    assert timeline_positions(snap) == 500 // 8 + 2  # every recorded step, and the last one
    assert recorded_step(snap, 3) == 24 and recorded_step(snap, timeline_positions(snap) - 1) == 500
    assert position_of(snap, 30) == 3 and position_of(snap, 500) == timeline_positions(snap) - 1
    for k in (0, 8, 200, 496):
        cut = moment(snap, k)
        exact = replayed(race, k).snapshot()
        assert cut.step == k
        for a, b in zip(cut.runs, exact.runs, strict=True):
            assert a.position.tobytes() == b.position.tobytes()
            assert a.loss == b.loss and a.grad_norm == b.grad_norm
            assert a.diverged_at == b.diverged_at and a.reached_at == b.reached_at
            assert a.path[-1].tobytes() == b.path[-1].tobytes()
            if a.diverged_at is None:
                assert len(a.path) == k // a.stride + 1
    assert moment(snap, 500) is snap


def test_moment_of_a_dataset_race_keeps_the_last_evaluated_loss():
    race = dataset_race()
    race.advance(100)
    snap = race.snapshot()
    cut = moment(snap, 40)
    for run in cut.runs:
        assert np.isfinite(run.loss) and run.step <= 40 and len(run.path) == 40 // run.stride + 1
        assert run.test_losses is not None and len(run.test_losses) == len(run.path)
