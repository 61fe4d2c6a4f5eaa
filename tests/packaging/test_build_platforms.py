"""packaging/build.py and packaging/smoke.py on Windows and macOS, simulated on Linux
(sys.platform, platform.machine and the tools patched): the archive's name and format, the
bundle zipped with ditto, strip only on Linux, the smoke check's per-user folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging_helpers import ROOT, build, smoke

# (sys.platform, platform.machine()) on each release runner → the archive build.py makes
RELEASES = {
    ("win32", "AMD64"): "descentlab-{v}-windows-x86_64.zip",
    ("darwin", "arm64"): "descentlab-{v}-macos-arm64.zip",
    ("darwin", "x86_64"): "descentlab-{v}-macos-x86_64.zip",
    ("linux", "x86_64"): "descentlab-{v}-linux-x86_64.tar.gz",
}


def on(monkeypatch, platform: str, machine: str = "x86_64") -> None:
    monkeypatch.setattr(build.sys, "platform", platform)
    monkeypatch.setattr(build.platform, "machine", lambda: machine)


@pytest.mark.parametrize(("system", "machine", "tag"), [
    ("win32", "AMD64", "windows-x86_64"), ("win32", "ARM64", "windows-arm64"),
    ("darwin", "arm64", "macos-arm64"), ("darwin", "x86_64", "macos-x86_64"),
    ("linux", "x86_64", "linux-x86_64"), ("linux", "aarch64", "linux-arm64"),
    ("freebsd14", "amd64", "freebsd-x86_64"), ("linux", "", "linux-unknown"),
])
def test_the_platform_tag(monkeypatch, system, machine, tag):
    on(monkeypatch, system, machine)
    assert build.platform_tag() == tag


@pytest.mark.parametrize(("system", "fmt"), [("win32", "zip"), ("darwin", "zip"), ("linux", "gztar")])
def test_the_archive_format_per_os(monkeypatch, system, fmt):
    on(monkeypatch, system)
    assert build.default_archive_format() == fmt


def a_folder(root: Path, *, app: bool = False) -> Path:
    folder = root / "descentlab"
    (folder / "_internal").mkdir(parents=True)
    (folder / "descentlab").write_text("#!/bin/sh\n")
    if app:
        (root / "Descent Lab.app" / "Contents" / "MacOS").mkdir(parents=True)
    return folder


@pytest.mark.parametrize(("system", "machine"), list(RELEASES))
def test_each_release_runner_makes_the_archive_the_readme_names(monkeypatch, tmp_path, system, machine):
    on(monkeypatch, system, machine)
    monkeypatch.setattr(build.shutil, "which", lambda tool: None)  # no ditto: Python's zip
    folder = a_folder(tmp_path / "dist")
    stem = tmp_path / "dist" / f"descentlab-{build.version()}-{build.platform_tag()}"
    out = build.make_archive(folder, stem, build.default_archive_format())
    name = RELEASES[system, machine].format(v=build.version())
    assert out.name == name and out.is_file()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert name.replace(build.version(), "<version>") in readme
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert f"name: {build.platform_tag()}," in workflow  # its build job and artifact


def test_macos_zips_the_app_bundle_with_ditto(monkeypatch, tmp_path):
    on(monkeypatch, "darwin", "arm64")
    monkeypatch.setattr(build.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    ran = []
    monkeypatch.setattr(build.subprocess, "run", lambda cmd, **kw: ran.append(cmd))
    folder = a_folder(tmp_path / "dist", app=True)
    out = build.make_archive(folder, tmp_path / "dist" / "descentlab-1.0-macos-arm64", "zip")
    assert out.name == "descentlab-1.0-macos-arm64.zip"
    # ditto keeps the bundle's symbolic links and signatures; --keepParent: "Descent Lab.app/" at the top
    assert ran == [["ditto", "-c", "-k", "--sequesterRsrc", "--keepParent",
                    str(tmp_path / "dist" / "Descent Lab.app"), str(out)]]


def test_macos_without_a_bundle_zips_the_folder(monkeypatch, tmp_path):
    on(monkeypatch, "darwin", "arm64")
    monkeypatch.setattr(build.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    ran = []
    monkeypatch.setattr(build.subprocess, "run", lambda cmd, **kw: ran.append(cmd))
    folder = a_folder(tmp_path / "dist")
    build.make_archive(folder, tmp_path / "dist" / "x", "zip")
    assert ran[0][-2] == str(folder)


def test_windows_zips_with_python_not_ditto(monkeypatch, tmp_path):
    on(monkeypatch, "win32", "AMD64")
    monkeypatch.setattr(build.shutil, "which", lambda tool: f"C:/bin/{tool}.exe")
    monkeypatch.setattr(build.subprocess, "run", lambda *a, **k: pytest.fail("ran a tool"))
    out = build.make_archive(a_folder(tmp_path / "dist"), tmp_path / "dist" / "x", "zip")
    assert out.name == "x.zip" and out.is_file()


@pytest.mark.parametrize("system", ["win32", "darwin"])
def test_symbols_are_stripped_on_linux_only(monkeypatch, tmp_path, system):
    on(monkeypatch, system)
    monkeypatch.setattr(build.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr(build.subprocess, "run", lambda *a, **k: pytest.fail("ran a tool"))
    folder = a_folder(tmp_path)
    (folder / "_internal" / "libbig.so.1").write_bytes(b"\0" * 4096)
    assert build.strip_symbols(folder) == 0


def test_the_executable_is_found_in_each_layout(tmp_path):
    windows = tmp_path / "win" / "descentlab"
    windows.mkdir(parents=True)
    (windows / "descentlab.exe").write_bytes(b"MZ")
    assert build.executable(windows) == windows / "descentlab.exe"
    mac = tmp_path / "mac" / "descentlab"
    mac.mkdir(parents=True)
    inside = tmp_path / "mac" / "Descent Lab.app" / "Contents" / "MacOS" / "descentlab"
    inside.parent.mkdir(parents=True)
    inside.write_bytes(b"\xcf\xfa\xed\xfe")
    assert build.executable(mac) == inside
    with pytest.raises(FileNotFoundError, match="no descentlab executable"):
        build.executable(tmp_path)


@pytest.mark.parametrize("system", ["win32", "darwin"])
def test_the_smoke_check_points_the_cache_at_its_sandbox_off_linux(monkeypatch, tmp_path, system):
    """No XDG off Linux: the sandbox names the cache folder itself (as on Linux, box.cache)."""
    monkeypatch.setattr(smoke.sys, "platform", system)
    box = smoke.Sandbox.create(tmp_path / "user")
    assert box.env["DESCENTLAB_CACHE_DIR"] == str(box.cache)
    assert box.env["TEMP"] == box.env["TMP"] == str(tmp_path / "user" / "tmp")  # Windows' names


def test_the_smoke_check_uses_xdg_on_linux(monkeypatch, tmp_path):
    monkeypatch.setattr(smoke.sys, "platform", "linux")
    box = smoke.Sandbox.create(tmp_path / "user")
    assert box.env["XDG_CACHE_HOME"] == str(tmp_path / "user" / "cache")
    assert "DESCENTLAB_CACHE_DIR" not in box.env
    assert box.cache == tmp_path / "user" / "cache" / "descentlab" / "numba"



def a_built_app_that_ships(root: Path, *, system: str, app: bool) -> Path:
    """A folder whose "executable" is a script doing what ``--ship-kernels ROOT`` does:
    a complete folder of kernels for one target under ROOT."""
    folder = a_folder(root, app=app)
    exe = folder / ("descentlab.exe" if system == "win32" else "descentlab")
    exe.write_text('#!/bin/sh\n[ "$1" = "--ship-kernels" ] || exit 3\n'
                   'mkdir -p "$2/x86-64-v3/mod" && echo k > "$2/x86-64-v3/mod/f.nbc" && '
                   'echo fg > "$2/x86-64-v3/complete"\n')
    exe.chmod(0o755)
    return folder


@pytest.mark.parametrize("system", ["linux", "win32", "darwin"])
def test_the_build_ships_the_kernels_the_built_app_compiles(monkeypatch, tmp_path, system):
    on(monkeypatch, system)
    signed = []
    run = build.subprocess.run
    monkeypatch.setattr(build.subprocess, "run",
                        lambda cmd, **kw: signed.append(cmd) if cmd[0] == "codesign" else run(cmd, **kw))
    monkeypatch.setattr(build.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    folder = a_built_app_that_ships(tmp_path / "dist", system=system, app=system == "darwin")
    record = build.ship_kernels(folder)
    assert record["targets"] == ["x86-64-v3"] and record["kernel_bytes"] > 0
    shipped = folder / "_internal" / build.KERNELS / "x86-64-v3"
    assert (shipped / "mod" / "f.nbc").is_file()
    assert not build.is_dev_leftover(shipped / "mod" / "f.nbc")  # not a stray dev cache
    app = tmp_path / "dist" / "Descent Lab.app"
    if system == "darwin":  # in the bundle's Resources too, and the bundle signed again over them
        assert (app / "Contents" / "Resources" / build.KERNELS / "x86-64-v3" / "complete").is_file()
        assert signed == [["codesign", "--force", "--deep", "--sign", "-", str(app)]]
    else:
        assert signed == [] and not app.exists()


def test_a_failing_kernel_fill_fails_the_build(tmp_path):
    folder = a_folder(tmp_path / "dist")
    (folder / "descentlab").write_text("#!/bin/sh\necho no luck >&2\nexit 1\n")
    (folder / "descentlab").chmod(0o755)
    with pytest.raises(SystemExit, match="no luck"):
        build.ship_kernels(folder)
