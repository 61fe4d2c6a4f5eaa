"""The dependency ranges leave out the releases known to break the app."""

import sys
from pathlib import Path

from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def requirement(name: str) -> Requirement:
    deps = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    return next(Requirement(d) for d in deps if Requirement(d).name.lower() == name.lower())


def test_pyside6_leaves_out_the_releases_that_break_pyqtgraph():
    spec = requirement("PySide6-Essentials").specifier
    assert "6.11.3" in spec  # tested
    assert "6.9.1" not in spec  # breaks pyqtgraph (fixed in 6.9.2)
    assert "6.12.0" not in spec  # aborts the interpreter on Python 3.11 (none_dealloc)
    assert "6.9.2" in spec


def test_pyqtgraph_starts_at_the_release_without_the_slow_down():
    spec = requirement("pyqtgraph").specifier
    assert "0.13.7" not in spec  # severe slow-down with PySide6 6.10
    assert "0.14.0" in spec


def test_nbformat_is_a_test_extra_not_an_app_dependency():
    """The app writes notebooks as plain JSON; only the tests validate them with nbformat."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    assert not any(Requirement(d).name.lower() == "nbformat" for d in project["dependencies"])
    spec = next(Requirement(d) for d in project["optional-dependencies"]["test"]
                if Requirement(d).name.lower() == "nbformat").specifier
    assert "5.11.1" in spec  # tested
    assert "5.8.0" not in spec and "6.0.0" not in spec
