"""Long races keep their story: the history's head holds the first steps exactly, the tail
thins (issue 25, item 5), memory stays bounded, and everything that reads rows by step
(snapshots, moments, CSV export) agrees with where the rows really are."""

import numpy as np
import pytest

from descentlab import engine
from descentlab.engine.race.moment import moment
from descentlab.engine.race.state import head_rows, row_steps, rows_through


def test_head_rows_are_a_power_of_two_within_the_capacity():
    assert head_rows(16384) == 1024  # the default history keeps the first 1,024 steps
    assert head_rows(1 << 20) == 1024
    assert head_rows(1024) == 64
    for capacity in (2, 3, 16, 17, 64, 1023):  # small histories: only the start, as before
        assert head_rows(capacity) == 1
    for capacity in (1024, 1500, 4096, 16384):
        h = head_rows(capacity)
        assert h & (h - 1) == 0 and 16 * h <= capacity


def test_row_steps_and_rows_through_agree():
    for count, stride, head in [(10, 1, 1), (100, 8, 64), (100, 128, 64), (64, 4, 64), (3, 1, 64)]:
        steps = row_steps(count, stride, head)
        assert (np.diff(steps) > 0).all()
        for s in range(0, int(steps[-1]) + 3 * stride):
            assert rows_through(count, stride, head, s) == int((steps <= s).sum())


def test_a_ten_million_step_race_keeps_its_first_thousand_steps_exactly():
    race = engine.Race("rosenbrock")  # the default history: 16,384 rows
    uid = race.add_run("gd", lr=1e-4)
    nbytes = sum(a.nbytes for a in race.hist)
    for _ in range(4):
        race.advance(2_500_000)
    assert sum(a.nbytes for a in race.hist) == nbytes  # bounded: never grown
    run = race.snapshot().runs[0]
    assert run.uid == uid and run.step == 10_000_000
    assert run.head == 1024 and run.stride >= 10_000_000 // race.history
    assert len(run.path) <= race.history
    steps = run.steps
    assert (steps[:1024] == np.arange(1024)).all() and (np.diff(steps) > 0).all()
    assert steps[-1] <= run.step < steps[-1] + run.stride
    first = engine.trajectory("rosenbrock", "gd", steps=1023, lr=1e-4)
    assert np.array_equal(run.path[:1024], first)  # bit for bit
    assert run.last_recorded == steps[-1]


@pytest.mark.parametrize("chunks", [[20_000], [1, 999, 7_000, 12_000], [3_333] * 6])
def test_the_thinned_tail_holds_the_steps_it_claims(chunks):
    race = engine.Race("rosenbrock", history=1024)  # head 64; thinned several times
    race.add_run("adam", lr=0.01)
    for n in chunks:
        race.advance(n)
    total = sum(chunks)
    run = race.snapshot().runs[0]
    full = engine.trajectory("rosenbrock", "adam", steps=total, lr=0.01)
    assert run.stride > 1 and len(run.path) <= 1024
    assert (run.steps[:64] == np.arange(64)).all()
    assert np.array_equal(run.path, full[run.steps])
    assert run.steps[-1] == total - total % run.stride  # every step on the stride was kept
    problem = engine.as_problem("rosenbrock")
    loss, _, _ = problem.evaluate(full[run.steps])
    assert np.array_equal(run.losses, loss)


def test_a_moment_cuts_the_history_at_the_step_asked():
    race = engine.Race("rosenbrock", history=1024)
    race.add_run("adam", lr=0.01)
    race.advance(20_000)
    snap = race.snapshot()
    run = snap.runs[0]
    for step in (0, 5, 63, 64, 65, 1_000, 19_999):
        then = moment(snap, step).runs[0]
        assert (then.steps == run.steps[run.steps <= step]).all()
        assert then.step == run.steps[run.steps <= step][-1]
        assert np.array_equal(then.position, then.path[-1])


def test_the_csv_export_names_each_row_by_its_real_step():
    from descentlab.engine.files.export_data import run_tables

    race = engine.Race("rosenbrock", history=1024)
    race.add_run("gd", lr=1e-3)
    race.advance(5_000)
    table = run_tables(race)[0]
    assert (table.steps == race.snapshot().runs[0].steps).all()
    full = engine.trajectory("rosenbrock", "gd", steps=5_000, lr=1e-3)
    assert np.array_equal(table.theta, full[table.steps])
