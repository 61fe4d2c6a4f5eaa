"""engine.compile.precompile: child processes fill the compile cache that the app then loads."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from descentlab.engine.compile import precompile

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter with its own empty cache folder: the children compile every
# group, then a second fresh interpreter must find every kernel it uses in that cache.
FILL = textwrap.dedent("""
    import json
    from descentlab.engine.compile import precompile
    forked = []
    fork = precompile.ForkedChild
    precompile.ForkedChild = lambda *a, **k: forked.append(fork(*a, **k)) or forked[-1]
    before = precompile.Precompiler().plan
    times = precompile.compile_all()
    after = precompile.Precompiler().plan
    print(json.dumps({"before": before, "after": after, "groups": sorted(times),
                      "forked": len(forked), "reaped": [c.returncode is not None for c in forked]}))
""")

USE = textwrap.dedent("""
    import json
    import numba
    from descentlab.engine.compile import precompile
    for group in precompile.GROUPS:  # what the app runs: everything must come from the cache
        precompile.compile_group(group)
    from descentlab.engine.maps import drawing
    from descentlab.engine.race import steps
    from descentlab.engine.surface import functions as surface_kernels, race_kernel as kernels
    from descentlab.engine.data import kernels as data_kernels
    from descentlab.engine.formula import kernels as formula_kernels
    from descentlab.engine.optimizers import dispatch
    loaded, compiled = [], []
    for module in (kernels, steps, surface_kernels, drawing, data_kernels, dispatch, formula_kernels):
        for name in dir(module):
            f = getattr(module, name)
            if isinstance(f, numba.core.registry.CPUDispatcher) and f.overloads:
                (compiled if f.stats.cache_misses else loaded).append(name)
    print(json.dumps({"loaded": sorted(loaded), "compiled": sorted(compiled),
                      "step_signatures": len(dispatch.optimizer_step.signatures)}))
""")


def run_python(code: str, cache: Path) -> dict:
    env = dict(os.environ, DESCENTLAB_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    for name in ("NUMBA_CACHE_DIR", precompile.EXACT_ENV_VAR):
        env.pop(name, None)
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_children_fill_the_cache_that_a_fresh_process_then_loads(tmp_path):
    filled = run_python(FILL, tmp_path)
    assert filled["before"] == [list(parts) for parts in precompile.PLAN]
    assert filled["groups"] == sorted(precompile.GROUPS)
    assert filled["after"] == []  # stamped: the next launch starts no child
    if sys.platform.startswith("linux"):  # one thread: the children were this process, forked
        assert filled["forked"] == len(precompile.PLAN) and all(filled["reaped"])
    used = run_python(USE, tmp_path)
    assert used["compiled"] == []
    assert used["step_signatures"] == 1  # compiled for the one signature the kernels call
    for kernel in ("advance_surface", "advance_dataset", "objective_rows", "forward_rows",
                   "evaluate_surface", "_thin", "_envelope", "advance_formula",
                   "formula_grid"):
        assert kernel in used["loaded"]


# A part compiles kernels for the types of their arguments, without running them (the
# functions they call by address may not be compiled yet); the same kernels called later
# with such arguments must come from the cache.
PART_ALONE = textwrap.dedent("""
    import json, sys
    from descentlab.engine.compile import precompile
    from descentlab.engine.data import kernels as data_kernels
    from descentlab.engine.optimizers import dispatch
    precompile.compile_part(sys.argv[1])
    print(json.dumps({"step": bool(dispatch.optimizer_step.overloads),
                      "objective": bool(data_kernels.objective.overloads),
                      "network": bool(data_kernels._forward.overloads),
                      "losses": bool(data_kernels.chunk_losses.overloads)}))
""")

RACES_RUN = textwrap.dedent("""
    import json
    from descentlab import engine
    from descentlab.engine.surface import race_kernel as kernels
    from descentlab.engine.data import kernels as data_kernels
    race = engine.Race("rosenbrock")
    race.add_run("adam")
    race.advance(3)
    problem = engine.DatasetProblem("moons", "mlp")
    dataset_race = engine.Race(problem)
    dataset_race.add_run("sgd", batch_size=8)
    dataset_race.advance(3)
    problem.outputs(problem.default_start)
    print(json.dumps({k.py_func.__name__: [len(k.stats.cache_hits), len(k.stats.cache_misses)]
                      for k in (kernels.advance_surface, data_kernels.advance_dataset,
                                data_kernels.objective_rows, data_kernels.forward_rows)}))
""")


@pytest.mark.slow
def test_kernels_compiled_for_their_argument_types_are_the_ones_a_race_loads(tmp_path):
    env = dict(os.environ, DESCENTLAB_CACHE_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    for part in ("surface-race", "dataset-race", "dataset-eval", "objective"):
        out = subprocess.run([sys.executable, "-c", PART_ALONE, part], env=env, timeout=600,
                             capture_output=True, text=True, check=True)
        # none compiles the optimizer step, the objective, the network or the loss table
        # (other parts, maybe the other child's) but its own: those are called by address
        assert json.loads(out.stdout.strip().splitlines()[-1]) == {
            "step": False, "objective": part == "objective", "network": False, "losses": False}
    assert run_python(RACES_RUN, tmp_path) == {
        "advance_surface": [1, 0], "advance_dataset": [1, 0], "objective_rows": [1, 0],
        "forward_rows": [1, 0]}


def test_every_group_the_window_waits_for_has_parts():
    assert set(precompile.PARTS) == set(precompile.GROUPS)


def test_a_stamp_for_other_sources_does_not_count(monkeypatch, tmp_path):
    monkeypatch.setattr(precompile, "CACHE_DIR", tmp_path)
    precompile.mark_compiled("race")
    assert precompile.is_compiled("race") and precompile.is_compiled("steps")
    assert not precompile.is_compiled("datasets")
    (tmp_path / "compiled-surface-race").write_text("written by another version")
    assert not precompile.is_compiled("race")  # one of its parts is not
    assert precompile.is_compiled("fg")
    planned = [p for parts in precompile.Precompiler().plan for p in parts]
    assert "surface-race" in planned and "fg" not in planned and "steps" not in planned


def fake_children(monkeypatch, tmp_path, code: str):
    """Children that run ``code`` instead of compiling; nothing is stamped yet."""
    monkeypatch.setattr(precompile, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(precompile, "child_command",
                        lambda groups: [sys.executable, "-c", code, *groups])


def test_a_child_that_fails_leaves_its_groups_to_the_parent(monkeypatch, tmp_path):
    fake_children(monkeypatch, tmp_path,
                  "import sys; print('compiled', sys.argv[1], flush=True); "
                  "print('Traceback: boom'); sys.exit(3)")
    pre = precompile.Precompiler().start()
    for group in precompile.GROUPS:
        assert pre.wait(group)
        assert pre.done(group)
    # each child reported its first part, then died before the second
    first = [parts[0] for parts in precompile.PLAN]
    assert all(pre.compiled(p) for p in first)
    assert not pre.compiled("race") and pre.failed("race")  # the parent compiles the rest
    assert not pre.compiled("datasets")
    assert "Traceback: boom" in pre.log
    pre.stop()


def test_a_child_that_cannot_start_is_not_an_error(monkeypatch, tmp_path):
    monkeypatch.setattr(precompile, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(precompile, "child_command", lambda groups: [str(tmp_path / "missing")])
    pre = precompile.Precompiler().start()
    assert all(pre.done(g) and not pre.compiled(g) for g in precompile.GROUPS)
    assert any("could not start" in line for line in pre.log)


def test_stop_ends_children_and_releases_waiters(monkeypatch, tmp_path):
    fake_children(monkeypatch, tmp_path, "import time; time.sleep(600)")
    pre = precompile.Precompiler().start()
    assert not pre.done("race")
    assert pre.wait("race", should_stop=lambda: True) is False  # a stopping worker gives up
    pre.stop()
    assert pre.wait("race") and pre.wait("datasets")
    assert not pre.compiled("race")
    assert pre._procs == []


def test_nothing_starts_when_everything_is_stamped(monkeypatch, tmp_path):
    fake_children(monkeypatch, tmp_path, "raise SystemExit('must not run')")
    for group in precompile.GROUPS:
        precompile.mark_compiled(group)
    pre = precompile.Precompiler()
    assert not pre.needed
    pre.start()
    assert pre._procs == []
    assert all(pre.done(g) for g in precompile.GROUPS)


@pytest.mark.parametrize("argv", [[], ["no-such-part"], ["race"]])
def test_the_child_command_line_rejects_bad_parts(argv, capsys):
    assert precompile.main(argv) == 2  # (a child is given parts, not groups)
    assert ("parts: fg, steps, surface-race, drawing, lbfgs, formulas, network, losses, objective, "
            "dataset-race, dataset-eval"
            in capsys.readouterr().err)


def test_the_frozen_app_is_its_own_child(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert precompile.child_command(["race"]) == [sys.executable, "--precompile", "race"]
    monkeypatch.setattr(sys, "frozen", False)
    assert precompile.child_command(["race"])[1:] == ["-m", "descentlab.engine.compile.precompile", "race"]


def test_a_child_that_hangs_is_waited_for_only_so_long(monkeypatch, tmp_path):
    fake_children(monkeypatch, tmp_path, "import time; time.sleep(600)")
    pre = precompile.Precompiler(timeout=1.0).start()
    assert not pre.done("race")
    assert pre.wait("race") and pre.done("datasets")  # returns once the time is up
    assert not pre.compiled("race")
    pre.stop()


def test_a_child_ends_when_its_parent_does(tmp_path):
    """The app's children hold a pipe from it: when it closes (the app died), they exit."""
    env = dict(os.environ, DESCENTLAB_CACHE_DIR=str(tmp_path), PYTHONPATH=str(ROOT),
               **{precompile.CHILD_ENV_VAR: "1"})
    with subprocess.Popen([sys.executable, "-m", "descentlab.engine.compile.precompile", "objective"], env=env,
                          cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True) as child:
        child.stdin.close()  # what the parent's death does to the pipe
        assert child.wait(timeout=60) == 0
        assert "compiled datasets" not in child.stdout.read()  # it left long before compiling


def test_the_frozen_app_smoke_check_compiles_the_parts_of_three_groups():
    import importlib.util

    spec = importlib.util.spec_from_file_location("smoke", ROOT / "packaging" / "smoke.py")
    smoke = importlib.util.module_from_spec(spec)
    sys.modules["smoke"] = smoke  # (its dataclasses look their module up)
    try:
        spec.loader.exec_module(smoke)
    finally:
        del sys.modules["smoke"]
    wanted = {p for g in ("surfaces", "race", "datasets") for p in precompile.PARTS[g]}
    assert set(smoke.CHILD_PARTS) == wanted


# Forked children (Linux): run in a fresh interpreter, the only way to have a single thread.
# ``compile_part`` is replaced before the fork, so the children run the stand-in.
FORKED = textwrap.dedent("""
    import json, os, sys, threading
    from descentlab.engine.compile import precompile
    mode = sys.argv[1]

    def stand_in(part):
        print(part, "sees scipy.linalg as", repr(sys.modules.get("scipy.linalg", "not imported")))
        if mode == "hang":
            threading.Event().wait()
        if part not in ("fg", "steps"):  # each child's first part
            raise RuntimeError("boom in " + part)

    precompile.compile_part = stand_in
    pre = precompile.Precompiler(fork=True).start()
    if mode == "hang":
        print(json.dumps({"pids": [p.pid for p in pre._procs]}), flush=True)
        os._exit(0)  # the app dies: no clean-up at all
    for group in precompile.GROUPS:
        pre.wait(group)
    procs = list(pre._procs)
    pre.stop()
    print(json.dumps({"forked": pre.forked, "compiled": sorted(pre._compiled),
                      "failed": [g for g in precompile.GROUPS if pre.failed(g)],
                      "exit": [p.wait() for p in procs], "log": pre.log}))
""")


def run_forked(mode: str, tmp_path) -> dict:
    env = dict(os.environ, DESCENTLAB_CACHE_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", FORKED, mode], env=env, cwd=ROOT, timeout=120,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="children are forked on Linux only")


@linux_only
def test_forked_children_report_their_parts_and_their_failures(tmp_path):
    got = run_forked("fail", tmp_path)
    assert got["forked"] is True
    assert got["compiled"] == ["fg", "steps"]  # each child's first part, then it failed
    assert set(got["failed"]) == set(precompile.GROUPS)  # the parent compiles the rest
    assert got["exit"] == [1, 1]
    log = "\n".join(got["log"])
    assert "Traceback" in log and "RuntimeError: boom in surface-race" in log
    assert "RuntimeError: boom in drawing" in log
    # Numba's first compile would import SciPy for its BLAS, which no kernel uses: blocked
    assert "fg sees scipy.linalg as None" in log and "steps sees scipy.linalg as None" in log


@linux_only
def test_forked_children_end_when_their_parent_dies(tmp_path):
    import select

    pids = run_forked("hang", tmp_path)["pids"]
    assert len(pids) == len(precompile.PLAN)
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue  # gone already
        try:
            ready, _, _ = select.select([fd], [], [], 60)  # readable once the process ended
            assert ready, f"child {pid} outlived its parent"
        finally:
            os.close(fd)
            try:
                os.kill(pid, 9)  # (when the assertion failed)
            except ProcessLookupError:
                pass


def test_no_fork_while_another_thread_runs(monkeypatch, tmp_path):
    import threading

    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not precompile.can_fork()
        fake_children(monkeypatch, tmp_path, "import sys; print('compiled', sys.argv[1], flush=True)")
        pre = precompile.Precompiler(fork=True).start()  # spawns instead
        assert pre.wait("race")
        assert pre.forked is False and pre.compiled("fg")
        pre.stop()
    finally:
        release.set()
        thread.join()
