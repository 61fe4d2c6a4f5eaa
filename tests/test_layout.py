"""The folders show the architecture: few loose modules, one folder per concern, no name twice."""

from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LOOSE = 12  # modules directly in engine/ or gui/; the rest lives in folders that say what it is


def test_engine_and_gui_keep_few_loose_modules():
    for package in ("engine", "gui"):
        loose = sorted(p.name for p in (ROOT / package).glob("*.py"))
        assert len(loose) <= MAX_LOOSE, f"{package}/ has {len(loose)} loose modules: {loose}"


def test_each_kind_of_problem_has_its_own_folder():
    for kind in ("surface", "formula", "data"):
        assert (ROOT / "engine" / kind / "problem.py").is_file(), f"engine/{kind}/problem.py"


def test_no_module_name_means_two_things():
    """A name such as timeline.py means one thing: never in both layers, never three times."""
    stems = {package: Counter(p.stem for p in (ROOT / package).rglob("*.py")) for package in ("engine", "gui")}
    shared_by_design = {"__init__", "problem", "kind", "config", "kernels", "compile_parts"}  # one per kind
    both = (set(stems["engine"]) & set(stems["gui"])) - shared_by_design
    assert not both, f"module names in both engine/ and gui/: {sorted(both)}"
    total = stems["engine"] + stems["gui"]
    thrice = {name: n for name, n in total.items() if n > 2 and name not in shared_by_design}
    assert not thrice, f"module names used three times or more: {thrice}"


def test_the_compile_machinery_sits_apart_from_the_maths():
    compile_dir = ROOT / "engine" / "compile"
    for name in ("cache", "precompile", "forked_child", "compiled_call", "direct_call", "numba_speed"):
        assert (compile_dir / f"{name}.py").is_file(), name


def test_tests_import_the_package_by_its_name():
    """``import engine`` (the folder's name) would load every module a second time beside
    ``descentlab.engine``: a second compile cache hook, second kernels, second registries."""
    import re

    root = Path(__file__).resolve().parent
    pattern = re.compile(r"^\s*(?:from|import)\s+(?:engine|gui)\b", re.M)
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_engine_refuses_its_folder_name(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", "import engine"], cwd=root, capture_output=True, text=True)
    assert out.returncode != 0 and "descentlab.engine, not engine" in out.stderr
