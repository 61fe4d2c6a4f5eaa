"""Recording a clip: frames drawn on the GUI thread (a ClipStage), encoded on another.

``ClipRecorder.step()`` does one small slice — render the frame drawn in the previous
slice and hand it to the encoder, then advance the stage's race to the next frame's step
and draw it — so a window can call it from a zero-interval timer and stay responsive (the
event loop settles the layout between drawing a frame and rendering it). The encoder
thread holds at most ``QUEUE_FRAMES`` frames: memory stays bounded at any length, and
PyAV encodes with the GIL released, so drawing and encoding overlap on two cores.

``record()`` runs a whole clip (the command line, the benchmark). A cancel, an error or
a full disk leaves no file (gui.clips.writers).
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QApplication

from ..support.i18n import QT_TRANSLATE_NOOP, fill, shown, translate
from .plan import ClipSpec, frame_steps, steps_per_frame
from .stage import ClipStage
from .writers import ClipError, open_writer

QUEUE_FRAMES = 4  # 1080p: 8 MB a frame
PANEL_NAMES = {"HyperMapPanel": QT_TRANSLATE_NOOP("ClipResult", "the hyperparameter map"),
               "MapPanel": QT_TRANSLATE_NOOP("ClipResult", "the map's field or basins")}


@dataclass(frozen=True)
class ClipResult:
    path: Path
    frames: int
    seconds: float  # the clip's length when played
    render_s: float  # stepping, drawing and rendering the frames (GUI thread)
    encode_s: float  # converting and encoding them (the encoder thread, overlapping)
    wait_s: float  # the GUI thread waiting for the encoder (its queue full)
    setup_s: float  # building the stage (the hidden window) and opening the file
    total_s: float  # from the first call to the finished file
    unfinished: tuple[str, ...] = ()  # panels shown as they were: their maps took too long

    def note(self) -> str:
        """A line about what the clip shows unfinished, or ""."""
        if not self.unfinished:
            return ""
        names = translate("ClipResult", ", ").join(shown(PANEL_NAMES.get(n, n)) for n in self.unfinished)
        return fill(translate("ClipResult", "still computing when the clip began, so shown as it was "
                              "throughout: %1"), names)


class ClipRecorder:
    def __init__(self, scene, spec: ClipSpec, window_class, *, base_font=None, explain: bool = False,
                 basins: bool = False):
        """ValueError for a clip that cannot be made, ClipError for a file that cannot be
        written: either before anything is drawn, and no file is left. ``window_class``:
        gui.main_window.MainWindow (see gui.clips.stage)."""
        self._t0 = time.perf_counter()
        self.spec = spec
        self.steps = frame_steps(spec, scene.speed)
        self.steps_per_frame = steps_per_frame(spec, scene.speed)
        self._writer = open_writer(spec.path, spec.size, spec.fps)
        try:
            self._stage = ClipStage(scene, spec.size, window_class, spec.presentation, base_font,
                                    explain, basins)
        except BaseException:
            self._writer.abort()
            raise
        self._writer.keep_colours(["#000000", "#ffffff", *(e.colour for e in self._stage.controller.entries)])
        try:
            self._stage.settle(spec.fps, self.steps_per_frame)
        except BaseException:
            self._stage.close()
            self._writer.abort()
            raise
        self.setup_s = time.perf_counter() - self._t0
        self.frames_done = 0  # frames handed to the encoder
        self.render_s = 0.0
        self.encode_s = 0.0
        self.wait_s = 0.0
        self._drawn = False
        self._waited = 0.0
        self._error: ClipError | None = None
        self._stopping = False
        self._closed = False
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUE_FRAMES)
        self._encoder = threading.Thread(target=self._encode, name="clip encoder", daemon=True)
        self._encoder.start()

    @property
    def total_frames(self) -> int:
        return len(self.steps)

    @property
    def seconds(self) -> float:
        return self.total_frames / self.spec.fps

    @property
    def waiting_for_encoder(self) -> bool:
        """A frame is ready and the encoder's queue is full: come back a little later."""
        return self._drawn and self._queue.full()

    @property
    def race_step(self) -> int:
        return self._stage.step

    # ------------------------------------------------------------ the GUI side
    def step(self, block: bool = False) -> bool:
        """One slice of the work; True while frames remain. With ``block`` False it never
        waits for the encoder (a full queue: it returns at once, try again).
        Raises ClipError if the encoder failed (then call ``cancel()``)."""
        if self._error is not None:
            raise self._error
        if self.frames_done >= self.total_frames:
            return False
        t0 = time.perf_counter()
        try:
            if self._drawn:
                if not block and self._queue.full():
                    return True
                self._stage.settle_if_moved(self.spec.fps, self.steps_per_frame)
                self._put(self._stage.render())
                self.frames_done += 1
                self._drawn = False
                if self.frames_done == self.total_frames:
                    return False
            if self._stage.advance_towards(int(self.steps[self.frames_done])):
                self._stage.draw(self.spec.fps, self.steps_per_frame)
                self._drawn = True
            return True
        finally:
            self.render_s += time.perf_counter() - t0 - self._waited
            self._waited = 0.0

    def _put(self, frame) -> None:
        t0 = time.perf_counter()
        try:
            while True:
                if self._error is not None:
                    raise self._error
                try:
                    self._queue.put(frame, timeout=0.1)
                    return
                except queue.Full:
                    continue
        finally:
            self._waited = time.perf_counter() - t0
            self.wait_s += self._waited

    def finish(self) -> ClipResult:
        """Wait for the encoder, finish the file and move it into place. ClipError (and
        no file) if that fails."""
        self._stop_encoder()
        try:
            if self._error is not None:
                self._writer.abort()
                raise self._error
            if self.frames_done < self.total_frames:
                self._writer.abort()
                raise ClipError(fill(translate("ClipRecorder", "%1: the clip was not finished (%2 of %3 frames)"),
                                     self.spec.path, self.frames_done, self.total_frames))
            path = self._writer.close()
        finally:
            self._close_stage()
        return ClipResult(path, self.frames_done, self.seconds, self.render_s, self.encode_s,
                          self.wait_s, self.setup_s, time.perf_counter() - self._t0,
                          tuple(dict.fromkeys(self._stage.unfinished)))

    def cancel(self) -> None:
        """Stop now; nothing is left on disk. Safe to call more than once."""
        self._stopping = True
        self._stop_encoder()
        self._writer.abort()
        self._close_stage()

    def _stop_encoder(self) -> None:
        if self._encoder.is_alive():
            self._queue.put(None)  # the encoder drains the queue, so this never waits long
            self._encoder.join()

    def _close_stage(self) -> None:
        if not self._closed:
            self._closed = True
            self._stage.close()

    # ------------------------------------------------------------ the encoder thread
    def _encode(self) -> None:
        while True:
            frame = self._queue.get()
            if frame is None:
                return
            if self._error is not None or self._stopping:
                continue  # keep draining: the GUI side never blocks on a dead encoder
            t0 = time.perf_counter()
            try:
                self._writer.write(frame)
            except ClipError as exc:
                self._error = exc
            except Exception as exc:  # noqa: BLE001 — an encoder's own error, shown to the user
                self._error = ClipError(fill(translate("ClipWriter", "cannot write %1: %2"), self.spec.path, exc))
            self.encode_s += time.perf_counter() - t0


def record(scene, spec: ClipSpec, window_class, progress=None, **options) -> ClipResult:
    """Record a whole clip on this thread (it must be the GUI thread); ``progress(recorder)``
    after each slice. Any error cancels it: no file is left."""
    recorder = ClipRecorder(scene, spec, window_class, **options)
    try:
        while recorder.step(block=True):
            QApplication.processEvents()  # the layout settles before the frame is rendered
            if progress is not None:
                progress(recorder)
    except BaseException:
        recorder.cancel()
        raise
    return recorder.finish()
