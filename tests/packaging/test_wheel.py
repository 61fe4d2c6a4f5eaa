"""The package installs like any other: a wheel adds one import name, descentlab, and
works from a fresh virtual environment, run from another folder."""

import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def listed_packages() -> set[str]:
    return set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])


def test_every_subpackage_is_in_the_wheel():
    found = {"descentlab." + ".".join(p.parent.relative_to(ROOT).parts)
             for top in ("engine", "gui") for p in (ROOT / top).rglob("__init__.py")}
    assert found | {"descentlab.resources"} == listed_packages()


def running_site_packages() -> list[str]:
    """The folders the running interpreter finds its installed packages in, in its order: a
    venv's own, its base Python's if it includes them, the user's (the tests may run in any)."""
    known = {*site.getsitepackages(), site.getusersitepackages()}
    return [p for p in sys.path if p in known and Path(p).is_dir()]


def share_packages(python: Path) -> None:
    """Let the venv of ``python`` import the running environment's packages: a .pth file of
    their folders, after its own. (``--system-site-packages`` would share the base Python's
    only, which lacks them when the tests run in a venv.) The .pth files in those folders are
    not read, so an editable install of this project there stays out of the way."""
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    (Path(purelib) / "running-environment.pth").write_text("\n".join(running_site_packages()) + "\n")


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory):
    """A wheel built from this tree, installed into a new venv that reuses the running
    environment's packages for the dependencies (nothing is downloaded but the build tools)."""
    tmp = tmp_path_factory.mktemp("wheel")
    # Built from a clean copy of the sources: a build/ folder left in the checkout by an
    # earlier build would otherwise hand stale files to setuptools.
    src = tmp / "src"
    src.mkdir()
    junk = shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc")
    for name in ("engine", "gui", "resources"):
        shutil.copytree(ROOT / name, src / name, ignore=junk)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp),
                            str(src)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-3000:]
    (wheel,) = tmp.glob("descentlab-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python" if sys.platform != "win32" else venv / "Scripts" / "python.exe"
    share_packages(python)
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)],
                             capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-3000:]
    return wheel, venv, python


@pytest.mark.slow
def test_the_wheel_has_one_top_level_name_and_the_resources(installed_wheel):
    import zipfile

    wheel, _, _ = installed_wheel
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.startswith("descentlab-")}
    assert tops == {"descentlab"}
    assert "descentlab/resources/presets/03-beale-classic.toml" in names
    assert "descentlab/resources/icons/descentlab.png" in names
    assert "descentlab/resources/translations/descentlab_zh_CN.qm" in names
    assert "descentlab/resources/translations/glossary.tsv" in names
    assert "descentlab/resources/fonts/DescentLabSC.otf" in names and "descentlab/resources/fonts/OFL.txt" in names


@pytest.mark.slow
def test_the_installed_app_runs_from_another_folder(installed_wheel, tmp_path):
    _, venv, python = installed_wheel
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run([str(python), "-c", "from descentlab import engine, gui; "
                            "from descentlab.gui.support.presets import list_presets; "
                            "print(engine.__file__); print(gui.__file__); print(len(list_presets()))"],
                           cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert where.returncode == 0, where.stderr[-2000:]
    engine_file, gui_file, presets = where.stdout.split()
    assert Path(engine_file).is_relative_to(venv) and Path(gui_file).is_relative_to(venv)
    assert int(presets) == len(list((ROOT / "resources" / "presets").glob("*.toml")))
    app = venv / "bin" / "descentlab" if sys.platform != "win32" else venv / "Scripts" / "descentlab.exe"
    version = subprocess.run([str(app), "--version"], cwd=elsewhere, capture_output=True, text=True,
                             timeout=120)
    assert version.returncode == 0 and version.stdout.startswith("Descent Lab "), version.stderr
    out = elsewhere / "race.png"
    snap = subprocess.run([str(app), "--preset", "beale-classic", "--snapshot", str(out), "--steps", "20",
                           "--size", "640x400"], cwd=elsewhere, capture_output=True, text=True,
                          timeout=600, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert snap.returncode == 0, snap.stderr[-2000:]
    assert out.stat().st_size > 10_000
