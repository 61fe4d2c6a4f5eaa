"""engine.Race: lockstep stepping, determinism, divergence, reaching a minimum, bounded history,
run management between chunks, validation and snapshots.

The reference for "the right numbers" is ``engine.trajectory`` for one run alone, and, where the
arithmetic is simple enough (GD on the bowl, whose gradient is θ), a computation done by hand.
Paths are compared bit for bit (``tobytes``), not with a tolerance.
"""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from descentlab import engine
from descentlab.engine import Race

# One run of every optimizer, with non-default hyperparameters and different starts, all of them
# staying finite on Rosenbrock for the lengths used here.
MIXED = [
    ("gd", {"lr": 1e-3}, (-1.2, 1.0)),
    ("momentum", {"lr": 2e-4, "beta": 0.8}, (0.5, -0.5)),
    ("sgd", {"lr": 1e-4, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}, (-1.5, 2.0)),
    ("nag", {"lr": 1e-4, "momentum": 0.5}, (1.5, 1.5)),
    ("adagrad", {"lr": 0.05, "lr_decay": 1e-3, "initial_accumulator_value": 0.1}, (0.0, 0.0)),
    ("rmsprop", {"lr": 1e-3, "centered": True, "momentum": 0.5}, (-1.0, -0.5)),
    ("adadelta", {"rho": 0.95}, (-1.2, 1.0)),
    ("adam", {"lr": 0.05}, (-1.2, 1.0)),
    ("adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}, (1.8, -0.8)),
    ("adamw", {"lr": 0.02}, (-0.5, 2.5)),
    ("adamax", {"lr": 0.01, "beta2": 0.99}, (-1.2, 1.0)),
    ("nadam", {"lr": 0.01, "momentum_decay": 0.01}, (0.3, 0.3)),
    ("radam", {"lr": 1e-3, "beta1": 0.8}, (-1.9, 2.9)),
    ("lion", {"lr": 1e-3, "beta1": 0.95}, (-1.2, 1.0)),
]


def bits(a: np.ndarray) -> bytes:
    """Exact bytes of a float64 array (so that -0.0 ≠ 0.0 and NaN == NaN with the same payload)."""
    return np.ascontiguousarray(a, dtype=np.float64).tobytes()


def assert_same_bits(actual, expected, what=""):
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    if bits(actual) != bits(expected):
        diff = np.flatnonzero(actual.view(np.int64).ravel() != expected.view(np.int64).ravel())
        i = diff[0]
        raise AssertionError(
            f"{what}: {diff.size} values differ, first at flat index {i}: "
            f"{actual.ravel()[i]!r} != {expected.ravel()[i]!r}"
        )


def run_of(snapshot: engine.Snapshot, uid: int) -> engine.RunSnapshot:
    (run,) = [r for r in snapshot.runs if r.uid == uid]
    return run


def build(problem="rosenbrock", runs=MIXED, **race_kwargs) -> tuple[Race, list[int]]:
    race = Race(problem, **race_kwargs)
    uids = [race.add_run(opt, start, **hyper) for opt, hyper, start in runs]
    return race, uids


def advance_in(race: Race, chunks) -> None:
    for n in chunks:
        race.advance(n)


def check_against_trajectory(race, uids, runs, steps, problem="rosenbrock"):
    snap = race.snapshot()
    for uid, (opt, hyper, start) in zip(uids, runs, strict=True):
        run = run_of(snap, uid)
        expected = engine.trajectory(problem, opt, start, steps, **hyper)
        assert run.stride == 1
        assert run.step == steps
        assert_same_bits(run.path, expected, f"{opt} {hyper} from {start}")


# ------------------------------------------------------------------------------------- lockstep


@pytest.mark.parametrize(
    "chunks",
    [[1000], [100] * 10, [1] * 1000, [7, 993], [0, 500, 0, 499, 1], [333, 333, 334]],
    ids=["1x1000", "10x100", "1000x1", "7+993", "with-zeros", "3x333"],
)
def test_every_run_of_a_race_follows_its_own_trajectory_whatever_the_chunking(chunks):
    race, uids = build(history=2048)
    advance_in(race, chunks)
    assert race.step == 1000
    for run in race.snapshot().runs:
        assert run.diverged_at is None, f"{run.optimizer} {run.hyper} diverged; pick other settings"
    check_against_trajectory(race, uids, MIXED, 1000)


@settings(max_examples=25, deadline=None)
@given(chunks=st.lists(st.integers(0, 120), min_size=1, max_size=12))
def test_random_chunkings_give_the_same_numbers_as_one_chunk(chunks):
    total = sum(chunks)
    race, uids = build(history=2048)
    advance_in(race, chunks)
    ref, ref_uids = build(history=2048)
    ref.advance(total)
    a, b = race.snapshot(), ref.snapshot()
    for ua, ub in zip(uids, ref_uids, strict=True):
        ra, rb = run_of(a, ua), run_of(b, ub)
        assert ra.step == rb.step == total
        assert_same_bits(ra.path, rb.path, ra.optimizer)
        assert_same_bits(ra.losses, rb.losses, ra.optimizer)
        assert_same_bits(ra.grad_norms, rb.grad_norms, ra.optimizer)
        assert_same_bits(ra.position, rb.position, ra.optimizer)


def test_a_diverging_run_in_the_race_does_not_disturb_the_others_and_matches_its_trajectory():
    runs = MIXED[:4] + [("gd", {"lr": 0.01}, (-1.2, 1.0))] + MIXED[4:]
    race, uids = build(runs=runs, history=1024)
    advance_in(race, [10, 90, 400])
    snap = race.snapshot()
    for uid, (opt, hyper, start) in zip(uids, runs, strict=True):
        run = run_of(snap, uid)
        expected = engine.trajectory("rosenbrock", opt, start, 500, **hyper)
        assert_same_bits(run.path, expected[: len(run.path)], opt)
        assert np.isnan(expected[len(run.path):]).all()


# --------------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_same_scene_and_seed_give_the_same_numbers(noise):
    def make():
        race, uids = build(noise=noise, seed=1234, history=4096)
        advance_in(race, [250, 1, 749])
        return race.snapshot()

    a, b = make(), make()
    assert len(a.runs) == len(b.runs)
    for ra, rb in zip(a.runs, b.runs, strict=True):
        for name in ("path", "losses", "grad_norms", "position"):
            assert_same_bits(getattr(ra, name), getattr(rb, name), f"{ra.optimizer}.{name}")
        assert (ra.step, ra.diverged_at, ra.reached_at) == (rb.step, rb.diverged_at, rb.reached_at)


def test_noise_changes_the_path_and_the_seed_changes_the_noise():
    clean = engine.trajectory("rosenbrock", "adam", steps=200, lr=0.01)
    noisy = engine.trajectory("rosenbrock", "adam", steps=200, lr=0.01, noise=0.5, seed=1)
    other = engine.trajectory("rosenbrock", "adam", steps=200, lr=0.01, noise=0.5, seed=2)
    assert bits(clean) != bits(noisy)
    assert bits(noisy) != bits(other)
    assert bits(noisy) == bits(engine.trajectory("rosenbrock", "adam", steps=200, lr=0.01,
                                                 noise=0.5, seed=1))


def test_noisy_runs_do_not_depend_on_the_chunking():
    def make(chunks):
        race, _ = build(noise=0.3, seed=7, history=2048)
        advance_in(race, chunks)
        return race.snapshot()

    a, b = make([1000]), make([1] * 300 + [700])
    for ra, rb in zip(a.runs, b.runs, strict=True):
        assert_same_bits(ra.path, rb.path, ra.optimizer)


@pytest.mark.parametrize("where", ["after", "before", "before-then-removed"])
def test_a_runs_noise_does_not_depend_on_the_other_runs_in_the_race(where):
    """Turning another contestant on or off must not change this run's noisy path."""
    alone = Race("rosenbrock", noise=0.5, seed=3)
    a = alone.add_run("adam", lr=0.01)
    alone.advance(300)
    expected = run_of(alone.snapshot(), a).path

    race = Race("rosenbrock", noise=0.5, seed=3)
    if where == "after":
        a = race.add_run("adam", lr=0.01)
        race.add_run("gd", lr=1e-3)
    else:
        other = race.add_run("gd", lr=1e-3)
        a = race.add_run("adam", lr=0.01)
        if where == "before-then-removed":
            race.remove_run(other)
            race.reset()
    race.advance(300)
    assert_same_bits(run_of(race.snapshot(), a).path, expected, f"adam with another run {where} it")


# ---------------------------------------------------------------------------------- divergence


@pytest.mark.parametrize("lr", [10.0, 0.01])
def test_a_diverging_run_is_marked_frozen_at_its_last_finite_point_and_the_others_go_on(lr):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning (overflow, invalid value…) anywhere
        race = Race("rosenbrock", history=1024)
        bad = race.add_run("gd", lr=lr)
        good = race.add_run("adam", lr=1e-3)
        race.advance(50)
        first = race.snapshot()
        race.advance(50)
        snap = race.snapshot()
        path = engine.trajectory("rosenbrock", "gd", steps=100, lr=lr)

    run = run_of(snap, bad)
    t = run.diverged_at
    assert isinstance(t, int) and t > 0
    assert run.status == "diverged"
    assert run_of(first, bad).diverged_at == t
    # frozen at the last finite point, which is the last history row
    assert np.isfinite(run.position).all()
    assert len(run.path) == t
    assert_same_bits(run.position, run.path[-1], "position vs last history row")
    assert math.isfinite(run.loss) and run.loss == run.losses[-1]
    assert_same_bits(run.position, run_of(first, bad).position, "frozen position")
    # the trajectory: finite before t, NaN from t on
    assert np.isfinite(path[:t]).all()
    assert np.isnan(path[t:]).all()
    assert_same_bits(run.path, path[:t])
    # the other run keeps going
    other = run_of(snap, good)
    assert other.status == "running" and other.diverged_at is None
    assert run_of(first, good).step == 50 and other.step == 100
    assert len(other.path) == 101


def test_leaving_the_box_counts_as_diverged_even_while_the_loss_is_finite():
    # GD with lr = 2.5 on the bowl (∇f = θ): θ ← −1.5·θ, so |θ| grows by 1.5 per step and the
    # loss stays finite for hundreds of steps; the run must stop at the box instead.
    problem = engine.as_problem("bowl")
    lr = 2.5
    theta = problem.default_start.copy()
    t = 0
    while True:
        t += 1
        theta = theta - lr * theta
        if not ((problem.box.lo <= theta) & (theta <= problem.box.hi)).all():
            break
    assert t < 50 and np.isfinite(0.5 * theta @ theta)
    race = Race("bowl")
    uid = race.add_run("gd", lr=lr)
    race.advance(100)
    run = run_of(race.snapshot(), uid)
    assert run.diverged_at == t
    assert run.status == "diverged"
    assert ((problem.box.lo <= run.position) & (run.position <= problem.box.hi)).all()
    assert_same_bits(run.position, run.path[-1])
    path = engine.trajectory("bowl", "gd", steps=100, lr=lr)
    assert np.isfinite(path[:t]).all() and np.isnan(path[t:]).all()


@pytest.mark.parametrize("surface", sorted(engine.SURFACES))
def test_a_huge_finite_start_is_rejected_or_handled_without_warnings(surface):
    """A start far outside the box must give a clean ValueError or a run, never a numpy warning."""
    race = Race(surface)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            uid = race.add_run("gd", start=(1e200, -1e200))
        except ValueError as exc:
            assert "start" in str(exc)
            return
        race.advance(5)
        run = run_of(race.snapshot(), uid)
    assert run.diverged_at is not None, "a run starting outside the box cannot be running"


# ------------------------------------------------------------------------------------- reached


def first_step_near(path, minimum, tol):
    dist = np.sqrt(((path - minimum) ** 2).sum(axis=1))
    hits = np.flatnonzero(dist <= tol)
    return int(hits[0]) if hits.size else None


def test_reached_at_is_the_first_step_within_tolerance_of_the_minimum():
    problem = engine.as_problem("bowl")
    race = Race("bowl")
    uid = race.add_run("adam", lr=0.05)
    race.advance(400)
    race.advance(600)
    run = run_of(race.snapshot(), uid)
    path = engine.trajectory("bowl", "adam", steps=1000, lr=0.05)
    expected = first_step_near(path, problem.minima[0], problem.box.tol)
    assert expected is not None and expected > 0
    assert run.reached_at == expected
    assert run.reached_minimum == 0
    assert run.status == "running"  # reaching does not stop a run
    assert run.step == 1000


def test_different_starts_on_himmelblau_reach_different_minima():
    problem = engine.as_problem("himmelblau")
    race = Race("himmelblau")
    starts = [tuple(0.8 * m) for m in problem.minima]
    uids = [race.add_run("adam", start, lr=0.01) for start in starts]
    race.advance(3000)
    snap = race.snapshot()
    reached = []
    for uid, start in zip(uids, starts, strict=True):
        run = run_of(snap, uid)
        assert run.reached_minimum is not None
        path = engine.trajectory("himmelblau", "adam", start, 3000, lr=0.01)
        m = run.reached_minimum
        assert run.reached_at == first_step_near(path, problem.minima[m], problem.box.tol)
        assert np.hypot(*(run.position - problem.minima[m])) <= problem.box.tol
        reached.append(m)
    assert sorted(reached) == [0, 1, 2, 3]


@pytest.mark.parametrize("surface", sorted(k for k, s in engine.SURFACES.items() if s.minima))
def test_a_start_exactly_at_a_minimum_has_reached_it_at_step_0(surface):
    s = engine.SURFACES[surface]
    race = Race(surface)
    uids = [race.add_run("gd", (m.x, m.y)) for m in s.minima]
    for i, uid in enumerate(uids):
        run = run_of(race.snapshot(), uid)
        assert run.reached_at == 0, f"minimum {i} of {surface}"
        assert run.reached_minimum == i
        assert run.diverged_at is None


def test_a_run_that_never_gets_close_has_not_reached():
    race = Race("rosenbrock")
    uid = race.add_run("gd", lr=1e-5)
    race.advance(100)
    run = run_of(race.snapshot(), uid)
    assert run.reached_at is None and run.reached_minimum is None


# ------------------------------------------------------------------------------------- history


@pytest.mark.parametrize("chunks", [[1000], [1] * 1000, [3, 997], [100] * 10])
def test_a_decimated_history_row_k_holds_step_k_times_stride(chunks):
    problem = engine.as_problem("rosenbrock")
    race = Race("rosenbrock", history=16)
    uid = race.add_run("adam", lr=0.01)
    advance_in(race, chunks)
    run = run_of(race.snapshot(), uid)
    full = engine.trajectory("rosenbrock", "adam", steps=1000, lr=0.01)
    stride, count = run.stride, len(run.path)
    assert stride > 1 and stride & (stride - 1) == 0, f"stride {stride} is not a power of two"
    assert 16 // 2 <= count <= 16
    assert len(run.losses) == len(run.grad_norms) == count
    assert (run.steps == np.arange(count) * stride).all()
    assert run.steps[-1] == (1000 // stride) * stride  # every step on the stride was kept
    assert_same_bits(run.path, full[run.steps], "history rows vs trajectory")
    loss, _, gnorm = problem.evaluate(full[run.steps])
    assert_same_bits(run.losses, loss, "history losses")
    assert_same_bits(run.grad_norms, gnorm, "history gradient norms")
    assert_same_bits(run.position, full[1000], "current position")


@pytest.mark.parametrize("history", [2, 3, 5, 16, 17])
def test_decimation_keeps_the_invariant_for_odd_and_tiny_capacities(history):
    race = Race("bowl", history=history)
    uid = race.add_run("gd", lr=1e-3)
    full = engine.trajectory("bowl", "gd", steps=777, lr=1e-3)
    for n in [1, 2, 5, 50, 719]:
        race.advance(n)
        run = run_of(race.snapshot(), uid)
        assert len(run.path) <= history
        assert_same_bits(run.path, full[run.steps], f"history={history} at step {run.step}")
        assert run.steps[-1] == (run.step // run.stride) * run.stride


def test_history_memory_is_bounded():
    race = Race("rosenbrock", history=16)
    race.add_run("adam", lr=0.01)
    race.add_run("gd", lr=1e-3)

    def nbytes():
        return {name: array.nbytes for bundle in (race.hist, race.runs)
                for name, array in zip(bundle._fields, bundle, strict=True)}

    race.advance(10)
    after_10 = nbytes()
    race.advance(100_000 - 10)
    after_1e5 = nbytes()
    race.advance(1_000_000 - 100_000)
    after_1e6 = nbytes()
    assert after_10 == after_1e5 == after_1e6
    for run in race.snapshot().runs:
        assert run.step == 1_000_000
        assert len(run.path) <= 16
        assert run.steps[-1] <= 1_000_000 < run.steps[-1] + run.stride


# ------------------------------------------------------------------------ changing a race live


def fma_gd_bowl(theta, lrs):
    """GD on the bowl by hand: θ ← θ + (−lr)·θ with one rounding (the engine's fused add)."""
    out = [np.array(theta, dtype=float)]
    for lr in lrs:
        out.append(np.array([float(Fraction(x) + Fraction(-lr) * Fraction(x)) for x in out[-1]]))
    return np.array(out)


def test_set_hyper_takes_effect_from_the_next_step():
    race = Race("bowl")
    uid = race.add_run("gd", lr=0.1)
    other = race.add_run("adam", lr=0.05)
    race.advance(5)
    race.set_hyper(uid, lr=0.3)
    assert race.run_info(uid).hyper["lr"] == 0.3
    race.advance(7)
    snap = race.snapshot()
    expected = fma_gd_bowl(engine.SURFACES["bowl"].start, [0.1] * 5 + [0.3] * 7)
    assert_same_bits(run_of(snap, uid).path, expected, "gd on the bowl, lr 0.1 then 0.3")
    assert run_of(snap, uid).hyper["lr"] == 0.3
    # the other run is untouched
    assert_same_bits(run_of(snap, other).path, engine.trajectory("bowl", "adam", steps=12, lr=0.05))


def test_set_hyper_keeps_the_optimizer_state():
    """Adam with lr changed mid-way: the moments carry over, so the path is not a fresh start."""
    race = Race("rosenbrock")
    uid = race.add_run("adam", lr=0.01)
    race.advance(100)
    race.set_hyper(uid, lr=0.01)  # same value: nothing may change
    race.advance(100)
    assert_same_bits(run_of(race.snapshot(), uid).path,
                     engine.trajectory("rosenbrock", "adam", steps=200, lr=0.01))


@pytest.mark.parametrize("bad", [{"lr": -1.0}, {"lr": math.nan}, {"lr": "fast"}, {"beta": 0.5},
                                 {"lr": math.inf}])
def test_set_hyper_with_a_bad_value_raises_and_keeps_the_old_value(bad):
    race = Race("bowl")
    uid = race.add_run("gd", lr=0.1)
    race.advance(3)
    with pytest.raises(ValueError) as excinfo:
        race.set_hyper(uid, **bad)
    (name,) = bad
    assert name in str(excinfo.value)
    assert race.run_info(uid).hyper == {"lr": 0.1}
    race.advance(3)
    run = run_of(race.snapshot(), uid)
    assert run.hyper == {"lr": 0.1}
    assert_same_bits(run.path, fma_gd_bowl(engine.SURFACES["bowl"].start, [0.1] * 6))


def test_set_hyper_on_an_unknown_run_raises():
    race = Race("bowl")
    race.add_run("gd")
    with pytest.raises(ValueError, match="99"):
        race.set_hyper(99, lr=0.1)


def test_removing_a_run_leaves_the_others_untouched():
    runs = MIXED[:5]
    race, uids = build(runs=runs, history=1024)
    race.advance(300)
    before = race.snapshot()
    race.remove_run(uids[2])
    after = race.snapshot()
    assert [r.uid for r in after.runs] == uids[:2] + uids[3:]
    for run in after.runs:
        old = run_of(before, run.uid)
        for name in ("path", "losses", "grad_norms", "position"):
            assert_same_bits(getattr(run, name), getattr(old, name), f"{run.optimizer}.{name}")
        assert (run.step, run.hyper, run.optimizer) == (old.step, old.hyper, old.optimizer)
    race.advance(200)
    kept = [r for i, r in enumerate(runs) if i != 2]
    check_against_trajectory(race, uids[:2] + uids[3:], kept, 500)
    with pytest.raises(ValueError):
        race.remove_run(uids[2])


def test_adding_a_run_mid_race_starts_it_at_step_0_and_leaves_the_others_alone():
    race = Race("rosenbrock", history=1024)
    a = race.add_run("adam", lr=0.02)
    race.advance(100)
    b = race.add_run("rmsprop", (0.5, 0.5), lr=1e-3)
    snap = race.snapshot()
    assert run_of(snap, b).step == 0 and len(run_of(snap, b).path) == 1
    race.advance(100)
    snap = race.snapshot()
    assert_same_bits(run_of(snap, a).path, engine.trajectory("rosenbrock", "adam", steps=200, lr=0.02))
    assert_same_bits(run_of(snap, b).path,
                     engine.trajectory("rosenbrock", "rmsprop", (0.5, 0.5), 100, lr=1e-3))


def test_removing_every_run_then_adding_one_works():
    race = Race("bowl")
    uids = [race.add_run("gd", lr=0.1) for _ in range(3)]
    race.advance(4)
    for uid in uids:
        race.remove_run(uid)
    race.advance(4)
    assert race.snapshot().runs == []
    new = race.add_run("gd", lr=0.1)
    race.advance(4)
    assert_same_bits(run_of(race.snapshot(), new).path,
                     fma_gd_bowl(engine.SURFACES["bowl"].start, [0.1] * 4))


def test_set_start_moves_the_run_and_restarts_it_at_step_0():
    race = Race("rosenbrock", history=1024)
    a = race.add_run("adam", lr=0.01)
    b = race.add_run("gd", lr=1e-3)
    race.advance(50)
    race.set_start((0.5, -0.5), uids=[a])
    run = run_of(race.snapshot(), a)
    assert run.step == 0 and len(run.path) == 1
    assert run.reached_at is None and run.diverged_at is None
    assert_same_bits(run.position, [0.5, -0.5])
    assert_same_bits(run.path, [[0.5, -0.5]])
    assert run_of(race.snapshot(), b).step == 50
    race.advance(100)
    snap = race.snapshot()
    assert_same_bits(run_of(snap, a).path,
                     engine.trajectory("rosenbrock", "adam", (0.5, -0.5), 100, lr=0.01))
    assert_same_bits(run_of(snap, b).path, engine.trajectory("rosenbrock", "gd", steps=150, lr=1e-3))


def test_set_start_for_every_run_and_its_validation():
    race, uids = build(runs=MIXED[:3])
    race.advance(20)
    race.set_start((0.1, 0.2))
    for run in race.snapshot().runs:
        assert run.step == 0
        assert_same_bits(run.position, [0.1, 0.2])
    for bad in [(math.nan, 0.0), (1.0,), "ab", (1.0, 2.0, 3.0)]:
        with pytest.raises(ValueError, match="start"):
            race.set_start(bad)
    for run in race.snapshot().runs:
        assert_same_bits(run.position, [0.1, 0.2])


def test_restart_from_moves_every_start_and_takes_the_race_back_to_step_0():
    race, uids = build(runs=MIXED[:3])
    race.advance(20)
    race.restart_from((0.1, 0.2))
    assert race.step == 0
    for run in race.snapshot().runs:
        assert run.step == 0 and run.born == 0 and len(run.path) == 1
        assert_same_bits(run.position, [0.1, 0.2])
    with pytest.raises(ValueError, match="start"):
        race.restart_from((math.nan, 0.0))
    assert race.step == 0


def test_walk_in_snapshots_puts_that_runs_next_step_into_each_snapshot():
    race = Race("rosenbrock")
    race.add_run("adam", lr=0.01)
    b = race.add_run("gd", lr=1e-3)
    race.advance(5)
    assert race.snapshot().walk is None
    race.walk_in_snapshots(b)
    snap = race.snapshot()
    assert snap.walk_uid == b
    assert_same_bits(snap.walk.theta_next, race.walk(b).theta_next)
    race.walk_in_snapshots(-1)
    assert race.snapshot().walk is None and race.snapshot().walk_uid == -1


@pytest.mark.parametrize("noise", [0.0, 0.4])
def test_reset_goes_back_to_step_0_and_replays_the_same_path(noise):
    race, uids = build(noise=noise, seed=11, history=4096)
    race.advance(700)
    first = race.snapshot()
    race.reset()
    assert race.step == 0
    snap = race.snapshot()
    for run, (_, _, start) in zip(snap.runs, MIXED, strict=True):
        assert run.step == 0
        assert len(run.path) == len(run.losses) == 1
        assert run.stride == 1
        assert run.diverged_at is None and run.reached_at is None
        assert_same_bits(run.position, start)
    advance_in(race, [300, 400])
    again = race.snapshot()
    for ra, rb in zip(first.runs, again.runs, strict=True):
        assert_same_bits(ra.path, rb.path, ra.optimizer)
        assert (ra.reached_at, ra.diverged_at) == (rb.reached_at, rb.diverged_at)


def test_reset_clears_divergence_and_reached():
    race = Race("bowl")
    bad = race.add_run("gd", lr=2.5)
    good = race.add_run("adam", lr=0.05)
    race.advance(1000)
    snap = race.snapshot()
    assert run_of(snap, bad).diverged_at is not None and run_of(snap, good).reached_at is not None
    race.reset()
    snap = race.snapshot()
    assert run_of(snap, bad).diverged_at is None and run_of(snap, bad).status == "running"
    assert run_of(snap, good).reached_at is None


# ---------------------------------------------------------------------------------- validation


BAD_INPUT = {
    "Race-unknown-problem": (lambda: Race("nope"), ["'nope'"]),
    "Race-not-a-problem": (lambda: Race(42), ["42"]),
    "Race-negative-noise": (lambda: Race("bowl", noise=-1), ["noise", "-1"]),
    "Race-nan-noise": (lambda: Race("bowl", noise=math.nan), ["noise", "nan"]),
    "Race-text-noise": (lambda: Race("bowl", noise="loud"), ["noise", "loud"]),
    "Race-history-1": (lambda: Race("bowl", history=1), ["history", "1"]),
    "Race-text-seed": (lambda: Race("bowl", seed="x"), ["seed", "x"]),
    "add_run-unknown-optimizer": (lambda: Race("bowl").add_run("nope"), ["optimizer", "'nope'"]),
    "add_run-nan-start": (lambda: Race("bowl").add_run("adam", start=(math.nan, 0)), ["start", "nan"]),
    "add_run-short-start": (lambda: Race("bowl").add_run("adam", start=(1.0,)), ["start", "1.0"]),
    "add_run-inf-start": (lambda: Race("bowl").add_run("adam", start=(0.0, math.inf)), ["start", "inf"]),
    "add_run-negative-lr": (lambda: Race("bowl").add_run("adam", lr=-0.1), ["lr", "-0.1"]),
    "add_run-huge-int-lr": (lambda: Race("bowl").add_run("adam", lr=10**400), ["lr"]),
    "add_run-torch-betas": (lambda: Race("bowl").add_run("adam", betas=(0.9, 0.99)), ["betas"]),
    "advance-negative": (lambda: Race("bowl").advance(-1), ["-1"]),
    "advance-float": (lambda: Race("bowl").advance(2.5), ["2.5"]),
    "advance-bool": (lambda: Race("bowl").advance(True), ["True"]),
    "advance-text": (lambda: Race("bowl").advance("10"), ["'10'"]),
}


@pytest.mark.parametrize("call, words", list(BAD_INPUT.values()), ids=list(BAD_INPUT))
def test_bad_input_raises_value_error_naming_the_parameter_and_value(call, words):
    with pytest.raises(ValueError) as excinfo:
        call()
    message = str(excinfo.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def test_advance_rejects_bad_steps_without_changing_anything():
    race = Race("bowl")
    uid = race.add_run("gd", lr=0.1)
    race.advance(3)
    for bad in (-1, 2.5, None):
        with pytest.raises(ValueError):
            race.advance(bad)
    assert race.step == 3 and run_of(race.snapshot(), uid).step == 3
    race.advance(np.int64(2))
    assert race.step == 5


def test_a_failed_add_run_leaves_the_race_as_it_was():
    race = Race("bowl")
    uid = race.add_run("gd", lr=0.1)
    race.advance(2)
    with pytest.raises(ValueError):
        race.add_run("adam", lr=-1)
    assert race.run_ids == [uid]
    race.advance(2)
    assert_same_bits(run_of(race.snapshot(), uid).path,
                     fma_gd_bowl(engine.SURFACES["bowl"].start, [0.1] * 4))


# ----------------------------------------------------------------------------------- snapshots


def test_a_snapshot_is_a_copy():
    race, uids = build(runs=MIXED[:3], history=256)
    race.advance(50)
    snap = race.snapshot()
    saved = [(r.position.copy(), r.path.copy(), r.losses.copy(), r.grad_norms.copy(), dict(r.hyper))
             for r in snap.runs]
    # mutating the snapshot does not change the race
    for run in snap.runs:
        run.position[:] = 99.0
        run.path[:] = 99.0
        run.losses[:] = 99.0
        run.grad_norms[:] = 99.0
        run.hyper["lr"] = 99.0
    fresh = race.snapshot()
    for run, (pos, path, losses, gnorms, hyper) in zip(fresh.runs, saved, strict=True):
        assert_same_bits(run.position, pos)
        assert_same_bits(run.path, path)
        assert_same_bits(run.losses, losses)
        assert_same_bits(run.grad_norms, gnorms)
        assert run.hyper == hyper
        assert race.run_info(run.uid).hyper == hyper
    # advancing the race does not change an old snapshot
    race.advance(50)
    race.set_hyper(uids[0], lr=0.5)
    for run, (pos, path, _, _, hyper) in zip(fresh.runs, saved, strict=True):
        assert run.step == 50 and fresh.step == 50
        assert_same_bits(run.position, pos)
        assert_same_bits(run.path, path)
        assert run.hyper == hyper
    assert race.snapshot().step == 100


def test_a_snapshot_without_history_has_empty_rows_but_the_current_state():
    race, _ = build(runs=MIXED[:2])
    race.advance(10)
    full, light = race.snapshot(), race.snapshot(history=False)
    for a, b in zip(full.runs, light.runs, strict=True):
        assert len(b.path) == len(b.losses) == len(b.grad_norms) == 0
        assert_same_bits(a.position, b.position)
        assert a.loss == b.loss and a.step == b.step


def test_a_race_without_runs_can_advance():
    race = Race("rosenbrock")
    race.advance(100)
    race.advance(0)
    snap = race.snapshot()
    assert snap.runs == [] and snap.step == 100
    race.reset()
    assert race.snapshot().step == 0


# ------------------------------------------------------------------------------- property test


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picks=st.lists(st.integers(0, len(MIXED) - 1), min_size=1, max_size=6),
    steps=st.integers(0, 300),
)
def test_any_mix_of_runs_matches_each_trajectory(picks, steps):
    runs = [MIXED[i] for i in picks]
    race, uids = build(runs=runs, history=512)
    race.advance(steps)
    check_against_trajectory(race, uids, runs, steps)
