"""The frozen app: build it with PyInstaller once, then run packaging/smoke.py's checks on it.

The build goes into a temporary folder (about 20–40 s here), the launches take about 40 s
more (two of them compile the kernels from scratch on purpose: the unusable and the damaged
cache). To check a folder built beforehand instead, point DESCENTLAB_FROZEN_APP at it
(for example ``python packaging/build.py`` then ``DESCENTLAB_FROZEN_APP=dist/descentlab``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("PyInstaller", reason="PyInstaller is in the test extra: pip install -e '.[test]'")

from packaging_helpers import build, smoke  # noqa: E402

pytestmark = pytest.mark.slow

MB = 1024 * 1024


@pytest.fixture(scope="module")
def frozen(tmp_path_factory) -> Path:
    given = os.environ.get("DESCENTLAB_FROZEN_APP")
    if given:
        return Path(given).resolve()
    out = tmp_path_factory.mktemp("frozen")
    # On Windows a windowed .exe may have no stdout for --version to print to; a console
    # build differs only in that flag.
    console = True if sys.platform == "win32" else None
    record = build.build(out / "dist", out / "work", archive=None, console=console, quiet=True)
    return Path(record["folder"])


@pytest.fixture(scope="module")
def report(frozen, tmp_path_factory) -> smoke.Report:
    result = smoke.run_all(frozen, tmp_path_factory.mktemp("smoke"))
    print("\n" + smoke.summary(result))
    return result


def assert_ran(launch: smoke.Launch) -> None:
    assert launch.returncode == 0, launch.describe()
    assert "Traceback" not in launch.stderr, launch.describe()
    problems = smoke.picture_problems(launch.picture)
    assert not problems, "\n".join(problems)


def test_the_folder_holds_what_it_should_and_nothing_else(frozen):
    problems = smoke.bundle_problems(frozen)
    assert not problems, "\n".join(problems)


def test_the_folder_stays_within_its_budget(frozen):
    """480 MiB with clips (PyAV's FFmpeg ≈ 100 MiB), the 3-D view and SVG (issue 14)."""
    size = build.folder_size(frozen)
    assert size <= 480 * 2**20, f"{frozen} is {size / 2**20:.0f} MiB"


def test_version_prints_and_exits_0(report):
    r = report.version
    assert r.returncode == 0, r.describe()
    assert f"Descent Lab {build.version()}" in r.stdout + r.stderr


def test_first_launch_draws_a_picture_with_the_shipped_kernels_and_compiles_none(frozen, report):
    from descentlab.engine.compile import shipped

    assert_ran(report.cold)
    assert any("advance_surface" in name for name in report.compiled)
    built = {p.parent.name for p in smoke.shipped_root(frozen).glob("*/complete")}
    assert built == set(shipped.runnable_targets()), "the build ships every target it can run"
    assert report.shipped_target == shipped.runnable_targets()[0]  # the best this host runs
    target, problems = smoke.shipped_problems(frozen, report.cold_cache)
    assert problems == [], problems  # a copy of the shipped kernels: nothing compiled


def test_without_shipped_kernels_the_first_launch_compiles_into_the_user_cache(report):
    assert_ran(report.unshipped)
    assert any(name.endswith(".nbc") and "advance_surface" in name for name in report.compiled_unshipped)


def test_second_launch_from_another_directory_does_not_recompile(report):
    assert_ran(report.warm)
    assert report.changes["second launch"] == []


def test_a_copy_in_another_place_does_not_recompile(report):
    assert_ran(report.moved)
    assert report.changes["relocated copy"] == []


def test_an_unusable_cache_folder_only_costs_a_recompile(report):
    assert_ran(report.unusable)


def test_a_damaged_cache_only_costs_a_recompile_and_is_repaired(report):
    assert_ran(report.damaged)
    assert_ran(report.repaired)
    assert report.changes["after the damaged cache"] == []


def test_no_other_failure(report):
    assert not report.failures, "\n\n".join(report.failures)


def test_the_app_is_its_own_compiling_child_and_its_kernels_are_used(report):
    r = report.children
    assert r.returncode == 0, r.describe()
    assert [line for line in r.stdout.splitlines() if line.startswith("compiled ")] == [
        "compiled fg", "compiled steps", "compiled surface-race", "compiled drawing",
        "compiled network", "compiled losses", "compiled objective", "compiled dataset-race",
        "compiled dataset-eval"]
    assert_ran(report.after_children)
    assert report.changes["after --precompile"] == []
