"""engine/files/user_dirs.py: each platform's per-user folders, simulated here (sys.platform
and the environment patched; the paths are only computed, never created)."""

from pathlib import Path

import pytest

from descentlab.engine.files import user_dirs


@pytest.fixture
def home(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("LOCALAPPDATA", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "home"


def on(monkeypatch, platform: str) -> None:
    monkeypatch.setattr(user_dirs.sys, "platform", platform)


def test_windows_uses_local_app_data(monkeypatch, home, tmp_path):
    on(monkeypatch, "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # not Windows' convention
    assert user_dirs.cache_dir() == tmp_path / "Local" / "DescentLab" / "Cache" / "numba"
    assert user_dirs.log_dir() == tmp_path / "Local" / "DescentLab" / "Logs"


def test_windows_without_local_app_data_falls_back_under_the_home_folder(monkeypatch, home):
    on(monkeypatch, "win32")
    assert user_dirs.cache_dir() == home / "AppData" / "Local" / "DescentLab" / "Cache" / "numba"
    monkeypatch.setenv("LOCALAPPDATA", "")  # set but empty: the same
    assert user_dirs.log_dir() == home / "AppData" / "Local" / "DescentLab" / "Logs"


def test_macos_uses_the_library_folder(monkeypatch, home, tmp_path):
    on(monkeypatch, "darwin")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # ignored on macOS
    assert user_dirs.cache_dir() == home / "Library" / "Caches" / "DescentLab" / "numba"
    assert user_dirs.log_dir() == home / "Library" / "Logs" / "DescentLab"


@pytest.mark.parametrize("platform", ["linux", "freebsd14"])
def test_linux_and_other_unixes_follow_xdg(monkeypatch, home, tmp_path, platform):
    on(monkeypatch, platform)
    assert user_dirs.cache_dir() == home / ".cache" / "descentlab" / "numba"
    assert user_dirs.log_dir() == home / ".local" / "state" / "descentlab"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))  # ignored off Windows
    assert user_dirs.cache_dir() == tmp_path / "cache" / "descentlab" / "numba"
    assert user_dirs.log_dir() == tmp_path / "state" / "descentlab"


def test_the_compile_cache_defaults_to_the_platforms_folder(monkeypatch, home):
    from descentlab.engine.compile import cache

    on(monkeypatch, "darwin")
    assert cache.default_cache_dir() == home / "Library" / "Caches" / "DescentLab" / "numba"
    on(monkeypatch, "win32")
    assert cache.default_cache_dir() == Path(home, "AppData", "Local", "DescentLab", "Cache", "numba")
