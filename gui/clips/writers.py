"""Clip files: an MP4 (H.264, yuv420p) through PyAV, a GIF through Pillow, frame by frame.

No Qt here: a writer takes frames as ``(height, width, 4)`` uint8 arrays in the byte order
of a ``QImage.Format_RGB32`` on this machine (B, G, R, X on little-endian) and writes them
to a temporary file beside the target (engine.files.atomic_file); ``close()`` moves it into
place, ``abort()`` removes it. A failure, a cancel or a full disk never leaves a half file.

Errors the user should read arrive as ``ClipError`` with the path and the reason.
"""

from __future__ import annotations

import errno
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np

from descentlab.engine.files import atomic_file
from descentlab.engine.quoted import quoted

from ..support.i18n import fill, translate

SUFFIXES = (".mp4", ".gif")
GIF_MAX_FPS = 50  # a GIF frame lasts a whole number of centiseconds; browsers slow < 2 cs down
BYTE_ORDER = "bgra" if sys.byteorder == "little" else "argb"  # QImage.Format_RGB32 in memory
H264_PRESET = "veryfast"  # 1080p at ≈ 4× real time on two cores; "medium" is ≈ 2.5× slower
H264_CRF = "20"  # visually lossless for flat plot colours and thin lines


class ClipError(Exception):
    """A clip that cannot be written: the message names the file and the reason."""


def describe_os_error(path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        reason = translate("ClipWriter", "the disk is full")
    else:
        reason = exc.strerror or str(exc)
    return fill(translate("ClipWriter", "cannot write %1: %2"), path, reason)


def check_target(path, size: tuple[int, int], fps: float) -> Path:
    """The clip's path as given, or ClipError if its suffix, size or frame rate cannot be
    written (nothing is created)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ClipError(fill(translate("ClipWriter", "%1: a clip is a .mp4 or a .gif file, not %2"), path,
                             quoted(suffix or translate("ClipWriter", "no suffix"))))
    w, h = size
    if suffix == ".mp4" and (w % 2 or h % 2):
        raise ClipError(fill(translate("ClipWriter", "%1: H.264 needs an even width and height, got %2x%3"),
                             path, w, h))
    if suffix == ".gif" and fps > GIF_MAX_FPS:
        raise ClipError(fill(translate("ClipWriter", "%1: a GIF plays at most %2 frames per second, got %3"),
                             path, GIF_MAX_FPS, f"{fps:g}"))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ClipError(fill(translate("ClipWriter", "cannot write %1: the folder %2 does not exist"),
                             path, folder))
    return path


class ClipWriter:
    """What both writers do: frames in, one finished file out (or none at all)."""

    def __init__(self, path, size: tuple[int, int], fps: float):
        self.path = check_target(path, size, fps)
        self.size = (int(size[0]), int(size[1]))
        self.fps = float(fps)
        self.frames = 0
        self.key_colours: list[tuple[int, int, int]] = []
        try:
            self._temp = atomic_file.new_temporary(self.path)
        except OSError as exc:
            raise ClipError(describe_os_error(self.path, exc)) from None
        try:
            self._open(self._temp)
        except OSError as exc:
            atomic_file.discard(self._temp)
            raise ClipError(describe_os_error(self.path, exc)) from None

    def write(self, frame: np.ndarray) -> None:
        """One frame, ``(height, width, 4)`` uint8 as a QImage.Format_RGB32 holds it."""
        h, w = frame.shape[:2]
        if (w, h) != self.size or frame.shape[2:] != (4,) or frame.dtype != np.uint8:
            raise ValueError(f"frame of shape {frame.shape} ({frame.dtype}); expected "
                             f"({self.size[1]}, {self.size[0]}, 4) uint8")
        try:
            self._write(frame)
        except OSError as exc:
            raise ClipError(describe_os_error(self.path, exc)) from None
        self.frames += 1

    def close(self) -> Path:
        """Finish the file and move it into place; ClipError (and no file) if that fails."""
        try:
            self._finish()
        except OSError as exc:
            self._close_quietly()
            atomic_file.discard(self._temp)
            raise ClipError(describe_os_error(self.path, exc)) from None
        try:
            atomic_file.put_in_place(self._temp, self.path)
        except OSError as exc:
            raise ClipError(describe_os_error(self.path, exc)) from None
        return self.path

    def keep_colours(self, colours) -> None:
        """Colours (``"#rrggbb"``) the clip must show exactly, e.g. the runs' (a GIF's
        palette reserves them; an MP4 needs no hint)."""
        self.key_colours = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in colours
                            if isinstance(c, str) and len(c) == 7 and c.startswith("#")]

    def abort(self) -> None:
        """Stop and remove what was written: no file is left."""
        self._close_quietly()
        atomic_file.discard(self._temp)

    def _close_quietly(self) -> None:
        try:
            self._release()
        except Exception:  # noqa: BLE001 — the file goes anyway
            pass

    # the format's own part
    def _open(self, temp: Path) -> None:
        raise NotImplementedError

    def _write(self, frame: np.ndarray) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        raise NotImplementedError

    def _release(self) -> None:
        raise NotImplementedError


class Mp4Writer(ClipWriter):
    """H.264 (libx264 in PyAV's wheels), yuv420p, BT.709 limited range, +faststart: what
    PowerPoint, Keynote, QuickTime and browsers play."""

    def _open(self, temp: Path) -> None:
        import av

        self._container = av.open(str(temp), mode="w", format="mp4", options={"movflags": "+faststart"})
        stream = self._container.add_stream("libx264", rate=Fraction(self.fps).limit_denominator(1001))
        stream.width, stream.height = self.size
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": H264_PRESET, "crf": H264_CRF}
        cc = stream.codec_context
        cc.colorspace = cc.color_primaries = cc.color_trc = 1  # BT.709, as the frames are converted
        cc.color_range = 1  # limited ("TV") range, what players expect
        self._stream = stream
        self._av = av

    def _write(self, frame: np.ndarray) -> None:
        video = self._av.VideoFrame.from_ndarray(frame, format=BYTE_ORDER)
        video = video.reformat(format="yuv420p", dst_colorspace="ITU709")
        video.pts = self.frames
        for packet in self._stream.encode(video):
            self._container.mux(packet)

    def _finish(self) -> None:
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self._container.close()

    def _release(self) -> None:
        self._container.close()


class GifWriter(ClipWriter):
    """An animated GIF that loops, streamed: one palette for the whole clip — the runs'
    colours exactly (``keep_colours``), the rest median-cut from the first frame — and
    each later frame stored as the rectangle that changed, its unchanged pixels
    transparent (they compress to almost nothing). Memory stays one frame, whatever the
    length."""

    COLOURS = 255  # palette entries for pictures; index 255 is "unchanged" (transparent)
    CLEAR = 255

    def _open(self, temp: Path) -> None:
        self._fp = open(temp, "wb")  # noqa: SIM115 — closed in _finish / _release
        self._palette_image = None
        self._palette_values: list[int] = []
        self._previous: np.ndarray | None = None
        self._time_cs = 0  # where the clip is, in the GIF's centiseconds

    def _duration_ms(self) -> int:
        """Whole centiseconds that add up to the frame rate (30 fps: 3, 4, 3, 3, 4, 3 …)."""
        end = round((self.frames + 1) * 100 / self.fps)
        cs = max(end - self._time_cs, 1)
        self._time_cs += cs
        return cs * 10

    def _indexed(self, indices: np.ndarray):
        from PIL import Image

        im = Image.fromarray(indices, "P")
        im.putpalette(self._palette_values)
        return im

    def _write(self, frame: np.ndarray) -> None:
        from PIL import GifImagePlugin, Image

        w, h = self.size
        rgb = Image.frombuffer("RGB", (w, h), np.ascontiguousarray(frame), "raw",
                               "BGRX" if BYTE_ORDER == "bgra" else "XRGB", 0, 1)
        duration = self._duration_ms()
        if self._palette_image is None:
            self._palette_image = self._palette(rgb)
        indices = np.asarray(rgb.quantize(palette=self._palette_image, dither=Image.Dither.NONE))
        if self._previous is None:
            first = self._indexed(indices)
            for chunk in GifImagePlugin.getheader(first, info={"loop": 0, "duration": duration})[0]:
                self._fp.write(chunk)
            chunks = GifImagePlugin.getdata(first, (0, 0), duration=duration)
        else:
            changed = indices != self._previous
            box = _changed_box(changed)
            if box is None:  # nothing moved: one clear pixel keeps the timing
                box = (0, 0, 1, 1)
            left, top, right, bottom = box
            part = indices[top:bottom, left:right].copy()
            part[~changed[top:bottom, left:right]] = self.CLEAR
            chunks = GifImagePlugin.getdata(self._indexed(part), (left, top), duration=duration,
                                            transparency=self.CLEAR, disposal=1)
        for chunk in chunks:
            self._fp.write(chunk)
        self._previous = indices

    def _palette(self, rgb):
        """A "P" image whose 255 colours are the key colours, then the first frame's median
        cut (index 255, the transparent one, is never chosen for a picture's pixel)."""
        from PIL import Image

        keys = list(dict.fromkeys(self.key_colours))[:64]
        n = self.COLOURS - len(keys)
        cut = rgb.quantize(n, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        found = cut.getpalette()[: 3 * n]
        values = [v for c in keys for v in c] + found + [0] * (3 * n - len(found))
        holder = Image.new("P", (1, 1))
        holder.putpalette(values)  # 255 entries: quantizing to it never gives index 255
        self._palette_values = values + [255, 0, 255]  # the transparent entry (never shown)
        return holder

    def _finish(self) -> None:
        self._fp.write(b";")
        self._fp.close()

    def _release(self) -> None:
        self._fp.close()


def _changed_box(diff: np.ndarray) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) around the True pixels of ``diff``, or None."""
    rows = np.flatnonzero(diff.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(diff[rows[0]:rows[-1] + 1].any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def open_writer(path, size: tuple[int, int], fps: float) -> ClipWriter:
    """The writer for ``path``'s suffix (.mp4 or .gif); ClipError if it cannot be written."""
    suffix = Path(path).suffix.lower()
    check_target(path, size, fps)
    module, package = ("av", "av") if suffix == ".mp4" else ("PIL", "pillow")
    try:
        __import__(module)
    except ImportError:
        raise ClipError(f"{path}: writing {suffix} needs the {package} package "
                        f"(pip install {package})") from None
    return (Mp4Writer if suffix == ".mp4" else GifWriter)(path, size, fps)
