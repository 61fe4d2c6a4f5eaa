"""Seed fans (engine.race.fans): a run repeated with N seeds is one run id, its repeats are
distinct, reproducible and paired across runs, the band holds the median, and a fan with one
repeat is the plain run, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from descentlab.engine import Race
from descentlab.engine.data import DatasetProblem
from descentlab.engine.files.scene import SceneError, scene_from_dict, scene_to_dict
from descentlab.engine.race.fans import MAX_REPEATS, median0, quantiles, repeat_seed


def noisy_race(seed=3):
    race = Race("rosenbrock", noise=2.0, seed=seed)
    a = race.add_run("adam", lr=0.02, repeats=6)
    b = race.add_run("sgd", lr=1e-3, momentum=0.9, repeats=6)
    return race, a, b


def fan(snap, uid):
    (run,) = [r for r in snap.runs if r.uid == uid]
    return run


def test_a_fan_is_one_run_of_n_distinct_repeats():
    race, a, b = noisy_race()
    race.advance(200)
    snap = race.snapshot()
    assert race.run_ids == [a, b] and [r.uid for r in snap.runs] == [a, b]
    run = fan(snap, a)
    assert run.repeats == 6 and run.fan.paths.shape[:2] == (6, 201)
    assert len(set(run.fan.final_losses.tolist())) == 6  # distinct noise per repeat
    assert len(run.losses) == 201 and run.path.shape == (201, 2)
    assert race.rows_of(a) == [0, 1, 2, 3, 4, 5] and race.rows_of(b) == [6, 7, 8, 9, 10, 11]


def test_repeats_are_reproducible_and_paired_across_runs():
    race, a, b = noisy_race()
    race.advance(150)
    again, _, _ = noisy_race()
    again.advance(150)
    one, two = race.snapshot(), again.snapshot()
    for uid in (a, b):
        assert np.array_equal(fan(one, uid).fan.paths, fan(two, uid).fan.paths)
    # Paired: repeat k of both runs met the same noise. Two identical runs in one race, one
    # added as a fan and one alone with the repeat's seed, take identical first steps.
    k = 4
    alone = Race("rosenbrock", noise=2.0, seed=repeat_seed(3, k))
    u = alone.add_run("sgd", lr=1e-3, momentum=0.9)
    alone.advance(150)
    assert np.array_equal(fan(one, b).fan.paths[k], fan(alone.snapshot(), u).path)
    # a different race seed gives different repeats
    other, _, _ = noisy_race(seed=4)
    other.advance(150)
    assert not np.array_equal(fan(other.snapshot(), a).fan.paths, fan(one, a).fan.paths)


def test_one_repeat_is_the_plain_run_bit_for_bit():
    plain = Race("rosenbrock", noise=1.0, seed=7)
    u = plain.add_run("adam", lr=0.02)
    fanned = Race("rosenbrock", noise=1.0, seed=7)
    v = fanned.add_run("adam", lr=0.02, repeats=5)
    plain.advance(100)
    fanned.advance(100)
    assert np.array_equal(fan(plain.snapshot(), u).path, fan(fanned.snapshot(), v).fan.paths[0])
    assert fan(plain.snapshot(), u).fan is None


def test_the_band_contains_the_median_and_the_stats_are_of_the_repeats():
    race, a, _ = noisy_race()
    race.advance(300)
    run = fan(race.snapshot(), a)
    ok = np.isfinite(run.losses)
    assert ok.all()
    assert np.all(run.fan.low <= run.losses) and np.all(run.losses <= run.fan.high)
    assert np.any(run.fan.low < run.fan.high)
    assert np.array_equal(run.losses, np.median(run.fan.losses, axis=0))
    assert np.allclose(run.fan.low, np.quantile(run.fan.losses, 0.1, axis=0), rtol=1e-12)
    mean, sd, n = run.fan.final_stats()
    assert n == 6 and mean == pytest.approx(run.fan.final_losses.mean())
    assert sd == pytest.approx(run.fan.final_losses.std(ddof=1))
    assert np.array_equal(run.path[-1], np.median(run.fan.paths[:, -1], axis=0))


def test_quantiles_ignore_nans_like_numpy():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(7, 50))
    v[rng.random(v.shape) < 0.3] = np.nan
    v[:, 3] = np.nan
    lo, hi = quantiles(v, (0.1, 0.9))
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        want = np.nanquantile(v, [0.1, 0.9], axis=0)
    assert np.allclose(lo, want[0], equal_nan=True) and np.allclose(hi, want[1], equal_nan=True)


def test_summaries_kept_between_snapshots_equal_fresh_ones_through_thinning():
    race = Race("beale", noise=0.5, seed=1, history=64)
    a = race.add_run("adam", lr=0.01, repeats=4)
    race.snapshot()
    for n in (10, 50, 3, 200, 1):  # the history thins (stride 1 → 8) between snapshots
        race.advance(n)
        kept = fan(race.snapshot(), a)
        fresh = Race("beale", noise=0.5, seed=1, history=64)
        fresh.add_run("adam", lr=0.01, repeats=4)
        fresh.advance(race.step)
        new = fan(fresh.snapshot(), a)
        assert kept.stride == new.stride and kept.stride > 1 or n != 1
        for name in ("losses", "path", "grad_norms"):
            assert np.array_equal(getattr(kept, name), getattr(new, name), equal_nan=True), name
        assert np.array_equal(kept.fan.low, new.fan.low, equal_nan=True)


def test_a_snapshot_keeps_its_fan_as_taken_while_the_race_goes_on():
    """Snapshots share the fan's summaries (no copy) and later snapshots write past them: an
    earlier snapshot's arrays never change, and they cannot be written to."""
    race = Race("beale", noise=0.5, seed=1, history=256)
    a = race.add_run("adam", lr=0.01, repeats=5)
    taken = []
    for n in (3, 1, 40, 7, 300, 2):  # growing in place, then thinned (stride 1 → 2)
        race.advance(n)
        run = fan(race.snapshot(), a)
        names = ("losses", "path", "grad_norms")
        taken.append((run, [getattr(run, k).copy() for k in names],
                      [getattr(run.fan, k).copy() for k in ("losses", "low", "high")]))
    assert fan(race.snapshot(), a).stride > 1
    for run, mine, band in taken:
        for k, was in zip(("losses", "path", "grad_norms"), mine, strict=True):
            assert np.array_equal(getattr(run, k), was, equal_nan=True), k
        for k, was in zip(("losses", "low", "high"), band, strict=True):
            assert np.array_equal(getattr(run.fan, k), was, equal_nan=True), k
        with pytest.raises(ValueError):
            run.losses[0] = 1.0


def test_quantiles_and_medians_are_numpys_to_the_bit():
    rng = np.random.default_rng(2)
    for n in (1, 2, 5, 10, 64):
        v = rng.normal(size=(n, 40)) * 10.0 ** rng.integers(-6, 6, size=40)
        qs = (0.1, 0.5, 0.9, 0.0, 1.0)
        assert all(np.array_equal(m, w) for m, w in zip(quantiles(v, qs), np.quantile(v, qs, axis=0),
                                                           strict=True))
        v[rng.random(v.shape) < 0.1] = np.nan  # (np.median: NaN where a column has one)
        paths = np.stack([v, -v], axis=-1)
        assert np.array_equal(median0(paths), np.median(paths, axis=0), equal_nan=True)


def test_fans_rewind_and_edit_as_one_run():
    race, a, b = noisy_race()
    race.advance(100)
    before = fan(race.snapshot(), a)
    race.advance(50)
    race.set_hyper(a, lr=0.05)
    race.advance(20)
    race.rewind(100)
    assert np.array_equal(fan(race.snapshot(), a).fan.paths, before.fan.paths)
    race.remove_run(a)
    assert race.run_ids == [b] and len(race.runs.theta) == 6
    race.set_options(b, batch_size=None)
    assert race.run_info(b).repeats == 6


def test_mini_batch_fans_differ_in_data_order_and_full_batch_ones_do_not():
    problem = DatasetProblem("blobs", "logistic", "log")
    race = Race(problem, seed=2)
    gd = race.add_run("sgd", lr=0.1, repeats=3)
    mini = race.add_run("sgd", lr=0.1, batch_size=8, repeats=3)
    race.advance(30)
    snap = race.snapshot()
    assert np.ptp(fan(snap, gd).fan.final_losses) == 0.0  # no randomness in full-batch GD
    assert len(set(fan(snap, mini).fan.final_losses.tolist())) == 3
    assert np.all(fan(snap, mini).fan.low <= fan(snap, mini).losses)


def test_bad_repeats_are_refused_and_change_nothing():
    race = Race("beale")
    for bad in (0, -1, MAX_REPEATS + 1, 2.5, True, "3"):
        with pytest.raises(ValueError, match="repeats"):
            race.add_run("adam", repeats=bad)
    assert race.run_ids == [] and len(race.runs.theta) == 0


def test_the_scene_key_repeats():
    data = {"problem": {"surface": "beale", "noise": 0.5},
            "runs": [{"optimizer": "adam", "repeats": 10}, {"optimizer": "sgd"}]}
    scene = scene_from_dict(data, "fan.toml")
    assert [r.repeats for r in scene.runs] == [10, 1]
    out = scene_to_dict(scene)
    assert out["runs"][0]["repeats"] == 10 and "repeats" not in out["runs"][1]
    for bad in (0, MAX_REPEATS + 1, 1.5, "ten"):
        data["runs"][0]["repeats"] = bad
        with pytest.raises(SceneError, match=r"fan\.toml: runs\[0\]\.repeats"):
            scene_from_dict(data, "fan.toml")


# --- fans on the head-aware history (issue 25 items 3 + 5): a fan's rows are picked by step -----

def own_history(problem, seed, noise, optimizer, hyper, steps, history):
    """A repeat run as a race of its own (``seed=repeat_seed(…)``), its history never thinned:
    row t is step t (shorter if it diverged); ``.kept``: its last recorded step in a history
    of ``history`` rows (where a stopped repeat's path stops). Independent of engine.race.fans."""
    runs = []
    for rows in (steps + 2, history):
        race = Race(problem, noise=noise, seed=seed, history=rows)
        race.add_run(optimizer, **hyper)
        race.advance(steps)
        runs.append(race.snapshot().runs[0])
    run = runs[0]
    assert run.stride == 1 and np.array_equal(run.steps, np.arange(len(run.losses)))
    run.kept = runs[1].last_recorded
    return run


def at_steps(values, steps):
    """``values[t]`` for each step t, NaN past the end (a diverged repeat recorded no more)."""
    out = np.full(len(steps), np.nan)
    inside = steps < len(values)
    out[inside] = values[steps[inside]]
    return out


@pytest.mark.parametrize("history, steps, head, stride", [(64, 3000, 1, 64), (1024, 6000, 64, 8)])
def test_a_fans_band_at_each_recorded_step_is_the_quantiles_of_its_repeats_own_losses(
        history, steps, head, stride):
    seed, noise, N = 7, 30.0, 6
    runs = {"sgd": dict(lr=1e-3, momentum=0.9), "adam": dict(lr=0.02)}  # sgd: some seeds diverge
    race = Race("rosenbrock", noise=noise, seed=seed, history=history)
    uids = {key: race.add_run(key, repeats=N, **hyper) for key, hyper in runs.items()}
    own = {key: [own_history("rosenbrock", repeat_seed(seed, k), noise, key, hyper, steps, history)
                 for k in range(N)] for key, hyper in runs.items()}
    diverged = [r.diverged_at for r in own["sgd"]]
    assert 0 < sum(d is not None for d in diverged) < N  # a fan with stopped repeats and live ones
    chunks = [7, 50, 200, 600, steps]  # snapshots in between: the kept summaries thin as they go
    done = 0
    for until in chunks:
        race.advance(min(until, steps) - done)
        done = race.step
        snap = race.snapshot()
        for key, uid in uids.items():
            run = fan(snap, uid)
            t = run.steps
            assert run.head == head and np.array_equal(run.fan.steps, t)
            assert np.array_equal(t, np.concatenate([np.arange(min(head, len(t))), t[head:]]))
            assert np.all(t[head:] % run.stride == 0) and np.all(np.diff(t) > 0)
            assert t[-1] <= done < t[-1] + run.stride  # every recorded step, up to the last
            each = np.array([at_steps(r.losses, t) for r in own[key]])  # (N, K)
            assert np.array_equal(run.fan.losses, each, equal_nan=True)
            for j in range(len(t)):
                v = each[:, j][np.isfinite(each[:, j])]
                assert len(v)  # some repeat is alive at every recorded step
                lo, med, hi = np.quantile(v, [0.1, 0.5, 0.9])
                assert run.losses[j] == pytest.approx(med, rel=1e-12, abs=0)
                assert run.fan.low[j] == pytest.approx(lo, rel=1e-12, abs=0)
                assert run.fan.high[j] == pytest.approx(hi, rel=1e-12, abs=0)
            # faint paths: each repeat's own positions at their steps (a stopped one at its last row)
            ps = run.fan.path_steps
            assert ps[0] == 0 and ps[-1] == t[-1] and np.isin(ps, t).all()
            assert np.array_equal(ps[:128], t[:128])  # thinned or not: the first rows all there
            for k, r in enumerate(own[key]):
                want = r.path[np.minimum(ps, r.kept if r.diverged_at is not None else ps)]
                assert np.array_equal(run.fan.paths[k], want)
    assert fan(snap, uids["sgd"]).stride == stride  # the stride doubled several times
    assert (len(fan(snap, uids["sgd"]).fan.path_steps) < len(t)) == (history > 512)  # faint: thinned
    adam = fan(snap, uids["adam"])
    target = float(np.median(adam.fan.final_losses))
    want = [next((int(s) for s in adam.steps if r.losses[s] <= target), -1) for r in own["adam"]]
    assert adam.fan.steps_to(target).tolist() == want


def test_a_fan_at_an_old_step_is_its_repeats_as_they_were_then():
    from descentlab.engine.race.moment import moment

    seed, noise, N, steps = 7, 30.0, 6, 3000
    hyper = dict(lr=1e-3, momentum=0.9)
    race = Race("rosenbrock", noise=noise, seed=seed, history=64)
    uid = race.add_run("sgd", repeats=N, **hyper)
    race.advance(steps)
    own = [own_history("rosenbrock", repeat_seed(seed, k), noise, "sgd", hyper, steps, 64)
           for k in range(N)]
    live = fan(race.snapshot(), uid)
    old = 1000  # after some repeats stopped, before others did
    d = np.array([r.diverged_at if r.diverged_at is not None else steps + 1 for r in own])
    assert (d <= old).any() and (d > old).any()
    then = fan(moment(race.snapshot(), old), uid)
    t = then.steps
    assert t[-1] <= old < t[-1] + then.stride and np.array_equal(then.fan.steps, t)
    assert np.array_equal(then.fan.low, live.fan.low[:len(t)], equal_nan=True)
    assert then.fan.path_steps[-1] <= old and np.array_equal(then.fan.diverged_at, np.where(d <= old, d, -1))
    for k, r in enumerate(own):
        last = min(int(t[-1]), len(r.losses) - 1)  # its last recorded step by then
        seen = [s for s in t if s <= last]
        assert then.fan.final_losses[k] == r.losses[seen[-1]]
        assert np.array_equal(then.fan.positions[k], r.path[min(int(then.fan.path_steps[-1]), r.kept)])
