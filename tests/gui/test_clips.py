"""Clips (File → Record clip…, --record): what is written is read back, and a failure,
a cancel or a full disk leaves no file."""

import dataclasses
import errno
import subprocess
import sys

import av
import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication, QPushButton

from descentlab.gui.clips.plan import ClipSpec, frame_steps
from descentlab.gui.clips.writers import BYTE_ORDER, ClipError, GifWriter, Mp4Writer, open_writer

W, H = 320, 200


def as_frame(rgb: np.ndarray) -> np.ndarray:
    """An RGB picture as a QImage.Format_RGB32 holds it (B, G, R, X on little-endian)."""
    x = np.full(rgb.shape[:2] + (1,), 255, np.uint8)
    return np.concatenate([rgb[..., ::-1], x] if BYTE_ORDER == "bgra" else [x, rgb], axis=2)


def moving_square(k: int) -> np.ndarray:
    """Frame ``k``: grey, a red square moving right, a blue band that stays."""
    rgb = np.full((H, W, 3), 200, np.uint8)
    rgb[40:80, 10 + 20 * k:50 + 20 * k] = (220, 30, 30)
    rgb[150:160, :] = (30, 30, 220)
    return as_frame(rgb)


def expected_rgb(k: int) -> np.ndarray:
    f = moving_square(k)
    return f[..., 2::-1] if BYTE_ORDER == "bgra" else f[..., 1:]


def decode_mp4(path):
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        cc = s.codec_context
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(s)]
        return cc.name, cc.pix_fmt, (s.width, s.height), float(s.average_rate), frames


def gif_frames(path):
    with Image.open(path) as im:
        out = []
        for k in range(im.n_frames):
            im.seek(k)
            out.append(np.asarray(im.convert("RGB")))
        return im.size, out


def only(folder):
    return sorted(p.name for p in folder.iterdir())


# ------------------------------------------------------------------ the writers
def test_mp4_reads_back_as_h264_yuv420p_with_every_frame(tmp_path):
    w = open_writer(tmp_path / "c.mp4", (W, H), 10)
    assert isinstance(w, Mp4Writer)
    for k in range(10):
        w.write(moving_square(k))
    w.close()
    name, pix_fmt, size, rate, frames = decode_mp4(tmp_path / "c.mp4")
    assert (name, pix_fmt, size, rate, len(frames)) == ("h264", "yuv420p", (W, H), 10.0, 10)
    for k in (0, 9):  # the square where it was drawn, in its colours: BT.709, as tagged
        red = np.median(frames[k][45:75, 15 + 20 * k:45 + 20 * k].reshape(-1, 3), axis=0)
        blue = np.median(frames[k][152:158, 100:200].reshape(-1, 3), axis=0)
        assert np.abs(red - (220, 30, 30)).max() <= 6 and np.abs(blue - (30, 30, 220)).max() <= 6
    assert only(tmp_path) == ["c.mp4"]


def test_gif_frames_are_the_frames_written(tmp_path):
    w = open_writer(tmp_path / "c.gif", (W, H), 30)
    assert isinstance(w, GifWriter)
    for k in (0, 1, 2, 2, 3, 5, 7, 7):  # repeats: the delta frames must still add up
        w.write(moving_square(k))
    w.close()
    size, frames = gif_frames(tmp_path / "c.gif")
    assert size == (W, H) and len(frames) == 8
    for got, k in zip(frames, (0, 1, 2, 2, 3, 5, 7, 7), strict=True):
        np.testing.assert_array_equal(got, expected_rgb(k))
    with Image.open(tmp_path / "c.gif") as im:  # 30 fps in whole centiseconds: 3, 4, 3, …
        durations = []
        for k in range(im.n_frames):
            im.seek(k)
            durations.append(im.info["duration"])
        assert im.info.get("loop") == 0
    assert durations[:3] == [30, 40, 30] and abs(sum(durations) - 8000 / 30) <= 10


def test_a_gif_keeps_the_runs_colours_exactly_among_a_thousand_others(tmp_path):
    rgb = np.zeros((H, W, 3), np.uint8)  # > 256 colours: the median cut must merge some
    rgb[..., 0] = np.linspace(0, 255, W)[None, :]
    rgb[..., 1] = np.linspace(0, 255, H)[:, None]
    rgb[..., 2] = 128
    rgb[5:8, 5:8] = (0x14, 0xA0, 0x3C)  # a run's colour, 9 pixels of it
    ramp = as_frame(rgb)
    w = open_writer(tmp_path / "c.gif", (W, H), 10)
    w.keep_colours(["#14a03c"])
    w.write(ramp)
    w.write(ramp)
    w.close()
    _, frames = gif_frames(tmp_path / "c.gif")
    assert (frames[1][6, 6] == (0x14, 0xA0, 0x3C)).all()


@pytest.mark.parametrize("name, size, fps, fragment", [
    ("c.avi", (W, H), 30, "a .mp4 or a .gif"),
    ("c.mp4", (321, 200), 30, "even width and height, got 321x200"),
    ("c.gif", (W, H), 60, "at most 50 frames per second"),
    ("missing/c.mp4", (W, H), 30, "does not exist"),
])
def test_clips_that_cannot_be_written_are_refused_before_anything_is_made(tmp_path, name, size, fps, fragment):
    with pytest.raises(ClipError, match=fragment):
        open_writer(tmp_path / name, size, fps)
    assert only(tmp_path) == []


def test_an_unwritable_folder_gives_its_reason_and_no_file(tmp_path, monkeypatch):
    from descentlab.engine.files import atomic_file

    def refuse(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic_file.os, "open", refuse)  # (the tests may run as root, who can write anywhere)
    with pytest.raises(ClipError, match=r"cannot write .*c\.mp4: Permission denied"):
        open_writer(tmp_path / "c.mp4", (W, H), 30)
    assert only(tmp_path) == []


@pytest.mark.parametrize("suffix, cls, when", [(".mp4", Mp4Writer, "_write"), (".gif", GifWriter, "_write"),
                                               (".mp4", Mp4Writer, "_finish")])
def test_a_full_disk_says_so_and_leaves_no_half_file(tmp_path, monkeypatch, suffix, cls, when):
    real = getattr(cls, when)
    calls = []

    def fill_up(self, *args):
        calls.append(1)
        if len(calls) > 3 or when == "_finish":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args)

    monkeypatch.setattr(cls, when, fill_up)
    w = open_writer(tmp_path / f"c{suffix}", (W, H), 10)
    with pytest.raises(ClipError, match="the disk is full"):
        for k in range(6):
            w.write(moving_square(k))
        w.close()
    w.abort()
    assert only(tmp_path) == []


# ------------------------------------------------------------------ the plan
def test_frames_follow_the_live_pace_or_the_steps_per_frame_asked_for():
    slow = frame_steps(ClipSpec("c.mp4", first=0, last=12, fps=30), speed=12)  # 0.4 steps a frame
    assert len(slow) == 31 and slow[0] == 0 and slow[-1] == 12 and (np.diff(slow) >= 0).all()
    assert np.bincount(slow).min() >= 2  # every step is held for 2–3 frames, as live
    fast = frame_steps(ClipSpec("c.mp4", first=100, last=400, fps=30, steps_per_frame=7), speed=12)
    assert fast[0] == 100 and fast[-1] == 400 and set(np.diff(fast[:-1])) == {7}
    with pytest.raises(ValueError, match="at most 36,000"):
        frame_steps(ClipSpec("c.mp4", last=10**6, fps=30, steps_per_frame=1), speed=1)
    with pytest.raises(ValueError, match="after the first"):
        frame_steps(ClipSpec("c.mp4", first=50, last=50), speed=30)


# ------------------------------------------------------------------ the command line
def descentlab(*args, cwd):
    code = "import sys; from descentlab.gui.app import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def test_record_on_the_command_line_writes_the_mp4_it_announces(tmp_path):
    r = descentlab("--preset", "himmelblau", "--record", "race.mp4", "--from", "5", "--steps", "16",
                   "--steps-per-frame", "1", "--fps", "12", "--size", "320x200", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "12 frames, 1.0 s at 12 fps" in r.stdout and "wrote race.mp4" in r.stdout
    name, pix_fmt, size, rate, frames = decode_mp4(tmp_path / "race.mp4")
    assert (name, pix_fmt, size, rate, len(frames)) == ("h264", "yuv420p", (320, 200), 12.0, 12)
    assert frames[0].std() > 20 and not np.array_equal(frames[0], frames[-1])  # a picture that moves
    assert only(tmp_path) == ["race.mp4"]


@pytest.mark.parametrize("args, fragment", [
    (["--record", "race.avi"], "a .mp4 or a .gif file, not '.avi'"),
    (["--record", "race.mp4", "--fps", "0"], "frame rate '0' out of range"),
    (["--record", "race.mp4", "--from", "300"], "the last step must be after the first (300)"),
    (["--record", "no/such/folder/race.gif"], "does not exist"),
    (["--record", "race.mp4", "--snapshot", "x.png"], "one at a time"),
])
def test_bad_record_options_give_one_line_and_exit_2(tmp_path, monkeypatch, capsys, args, fragment):
    from descentlab.gui.app import main

    monkeypatch.chdir(tmp_path)
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own refusals
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert fragment in err.splitlines()[-1] and "Traceback" not in err
    assert only(tmp_path) == []


# ------------------------------------------------------------------ from the window
def test_the_same_clip_twice_is_the_same_file_and_shows_the_whole_window(qapp, tmp_path):
    from descentlab.gui.clips.recorder import record
    from descentlab.gui.clips.stage import ClipStage
    from descentlab.gui.main_window import MainWindow
    from descentlab.gui.support.presets import find_preset

    scene = find_preset("beale-classic").scene
    spec = ClipSpec(tmp_path / "a.gif", first=0, last=12, fps=10, size=(960, 600), steps_per_frame=3)
    a = record(scene, spec, MainWindow)
    b = record(scene, dataclasses.replace(spec, path=tmp_path / "b.gif"), MainWindow)
    assert a.frames == b.frames == 5
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()
    stage = ClipStage(scene, (W, H), MainWindow)  # the whole window is drawn, then scaled: no corner crop
    try:
        rw, rh = stage.render_size
        assert stage.window.size().toTuple() == (rw, rh) and rw >= W and abs(rw / rh - W / H) < 0.01
        assert rw >= 1280 and rh >= 720  # drawn as the window looks at 720 lines at least
        assert stage.render().shape == (H, W, 4)
    finally:
        stage.close()
    stage = ClipStage(scene, (960, 540), MainWindow)  # a small 16:9 clip: the 1280×720 layout
    try:
        assert stage.render_size == (1280, 720) and stage.render().shape == (540, 960, 4)
    finally:
        stage.close()


def wait_for(qtbot, session):
    qtbot.waitUntil(lambda: session.done, timeout=60_000)


def test_recording_from_the_window_leaves_its_race_and_font_alone(window, qtbot, tmp_path):
    from descentlab.gui.clips.dialog import record_clip

    c = window.controller
    c.set_playing(False)
    qtbot.waitUntil(lambda: not c.worker.playing)
    c.step(25)
    qtbot.waitUntil(lambda: c.race.step == 25)
    race, before = c.race, c.race.snapshot()
    font = QApplication.font()
    file_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&File")
    next(a for a in file_menu.actions() if a.text() == "&Record clip…").trigger()
    dlg = window.clip_dialog  # the dialog offers what the window shows
    assert dlg.isVisible()
    assert dlg.last.value() == 25 and dlg.record_button.isEnabled()
    dlg.path.setText(str(tmp_path / "x.avi"))
    assert not dlg.record_button.isEnabled() and ".avi" in dlg.summary.text()
    dlg.close()
    spec = ClipSpec(tmp_path / "race.gif", first=0, last=9, fps=10, size=(W, H), presentation=True,
                    steps_per_frame=1)
    session = record_clip(window, spec, show_messages=False)
    assert record_clip(window, spec) is None  # one clip at a time
    wait_for(qtbot, session)
    assert session.error is None and session.result.frames == 10
    size, frames = gif_frames(tmp_path / "race.gif")
    assert size == (W, H) and len(frames) == 10
    assert not np.array_equal(frames[0], frames[-1])
    # the window's race was not advanced, swapped or restarted, and its type size is as it was
    assert c.race is race and c.race.step == 25
    for now, then in zip(c.race.snapshot().runs, before.runs, strict=True):
        np.testing.assert_array_equal(now.path, then.path)
    assert QApplication.font() == font and not window.presentation
    assert only(tmp_path) == ["race.gif"]


def test_cancel_and_a_full_disk_from_the_window_leave_no_file(window, qtbot, tmp_path, monkeypatch):
    from descentlab.gui.clips.dialog import record_clip

    spec = ClipSpec(tmp_path / "race.mp4", first=0, last=400, fps=30, size=(W, H), steps_per_frame=1)
    session = record_clip(window, spec, show_messages=False)
    qtbot.waitUntil(lambda: session.recorder is not None and session.recorder.frames_done >= 3,
                    timeout=30_000)
    session.progress.findChild(QPushButton).click()  # the progress dialog's Cancel
    assert session.done and session.result is None
    assert only(tmp_path) == []

    real = Mp4Writer._write

    def full(self, frame):
        if self.frames >= 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, frame)

    monkeypatch.setattr(Mp4Writer, "_write", full)
    session = record_clip(window, spec, show_messages=False)
    wait_for(qtbot, session)
    assert "the disk is full" in session.error and str(spec.path) in session.error
    assert only(tmp_path) == []

    monkeypatch.undo()
    session = record_clip(window, spec, show_messages=False)  # closing the window stops it too
    qtbot.waitUntil(lambda: session.recorder is not None and session.recorder.frames_done >= 2,
                    timeout=30_000)
    window.close()
    assert session.done and session.result is None
    assert only(tmp_path) == []
