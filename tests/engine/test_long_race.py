"""A long lecture: ten runs, ten million steps each, in constant memory.

The bound: a race's history is ``runs × history × (P + 2) × 8`` bytes (10 × 16,384 × 4 × 8
≈ 5.2 MB here) and never grows; the whole process may grow by at most 40 MB over the
race (snapshots come and go). RSS is read from /proc/self/statm.
"""

import os
import sys

import pytest

from descentlab import engine

RSS_GROWTH_BOUND = 40 * 2**20


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_ten_runs_for_ten_million_steps_stay_in_bounded_memory():
    race = engine.Race("rosenbrock")
    keys = ["gd", "momentum", "sgd", "nag", "adagrad", "rmsprop", "adadelta", "adam",
            "nadam", "lion"]
    for key in keys:
        race.add_run(key, lr=1e-4)
    race.advance(1000)
    history_bytes = sum(a.nbytes for a in (race.hist.path, race.hist.loss, race.hist.gnorm))
    assert history_bytes <= 10 * 16384 * 4 * 8
    before = rss_bytes()
    peak = before
    for _ in range(100):
        race.advance(100_000)
        snap = race.snapshot()  # as the GUI does, many times a second
        peak = max(peak, rss_bytes())
    assert race.step == 10_001_000
    assert peak - before < RSS_GROWTH_BOUND, f"grew by {(peak - before) / 2**20:.1f} MB"
    for run in snap.runs:
        assert run.step == 10_001_000 or run.diverged_at is not None
        assert len(run.path) <= race.history
        assert run.stride >= 10_001_000 // race.history  # thinned, not grown
    assert sum(a.nbytes for a in (race.hist.path, race.hist.loss, race.hist.gnorm)) == history_bytes
