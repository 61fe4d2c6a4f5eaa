"""A clip being recorded from the window: a progress dialog with Cancel, driven by a timer.

The recorder works in small slices from a zero-interval timer, so the window stays
responsive and its own race runs on undisturbed; the progress dialog is not modal. Cancel,
an error, a full disk or closing the window stop it and leave no file; the outcome is
reported in the status line (done) or a message box (failed).
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from ..support.i18n import fill, translate
from .plan import ClipSpec
from .recorder import ClipRecorder, ClipResult
from .writers import ClipError


def scene_as_shown(window):
    """The window's scene as File → Save would write it: runs, start, speed, view region."""
    scene = window.controller.current_scene()
    for part in (*window.panels, window.transport):
        part.save_into(scene)
    return copy.deepcopy(scene)


def not_ready_reason(window) -> str | None:
    c = window.controller
    if c.race is None or not c.entries:
        return translate("ClipSession", "There is no race to record: add a run first.")
    if c.worker.isRunning() and (not c.is_ready or c.loading):
        return translate("ClipSession", "The engine is still being prepared (first launch only): "
                         "try again in a few seconds.")
    return None


class ClipSession(QObject):
    finished = Signal(object)  # ClipResult
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, window, spec: ClipSpec, show_messages: bool = True):
        super().__init__(window)
        self.window = window
        self.spec = spec
        self.show_messages = show_messages
        self.recorder: ClipRecorder | None = None
        self.result: ClipResult | None = None
        self.error: str | None = None
        self.done = False
        self.progress = QProgressDialog(fill(translate("ClipSession", "Recording %1…"), spec.path.name),
                                        translate("ClipSession", "Cancel"), 0, 100, window)
        self.progress.setWindowTitle(translate("ClipSession", "Record clip"))
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        self.timer = QTimer(self, interval=0)
        self.timer.timeout.connect(self._tick)
        window.installEventFilter(self)  # closing the window cancels the clip

    def start(self) -> ClipSession:
        self.progress.setLabelText(fill(translate("ClipSession", "Preparing %1…"), self.spec.path.name))
        self.progress.setValue(0)
        self.progress.show()
        QTimer.singleShot(0, self._open)  # the dialog shows before the stage is built
        return self

    def _open(self) -> None:
        if self.done:
            return
        w = self.window
        try:
            self.recorder = ClipRecorder(scene_as_shown(w), self.spec, type(w), base_font=w._base_font,
                                         explain=w.controller.explain.on,
                                         basins=w.basins_action.isChecked())
        except (ClipError, ValueError) as exc:
            self._fail(str(exc))
            return
        if self.done:  # cancelled (or the window closed) while the stage was being built
            self.recorder.cancel()
            return
        r = self.recorder
        self.progress.setMaximum(r.total_frames)
        self.progress.setLabelText(fill(translate("ClipSession", "Recording %1: %2 frames, %3 s at %4 fps"),
                                        self.spec.path.name, f"{r.total_frames:,}", f"{r.seconds:.1f}",
                                        f"{self.spec.fps:g}"))
        self.timer.start()

    def _tick(self) -> None:
        r = self.recorder
        try:
            more = r.step()
        except ClipError as exc:
            r.cancel()
            self._fail(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 — a drawing error ends the clip, not the app
            r.cancel()
            self._fail(fill(translate("ClipSession", "the clip stopped: %1"), exc))
            return
        self.progress.setValue(r.frames_done)
        if more:
            # the encoder is behind: give it the CPU rather than spin on a full queue
            self.timer.setInterval(5 if r.waiting_for_encoder else 0)
            return
        self.timer.stop()
        try:
            self.result = r.finish()
        except ClipError as exc:
            self._fail(str(exc))
            return
        self._end()
        res = self.result
        note = fill(translate("ClipSession", " — %1"), res.note()) if res.note() else ""
        self.window.notify(fill(translate("ClipSession", "Saved %1 (%2 frames, %3 s) in %4 s"), res.path,
                                f"{res.frames:,}", f"{res.seconds:.1f}", f"{res.total_s:.1f}") + note, 10)
        self.finished.emit(res)

    def cancel(self) -> None:
        if self.done:
            return
        self.timer.stop()
        if self.recorder is not None:
            self.recorder.cancel()
        self._end()
        self.window.notify(translate("ClipSession", "Clip cancelled: nothing was written"), 5)
        self.cancelled.emit()

    def _fail(self, message: str) -> None:
        self.timer.stop()
        self.error = message
        self._end()
        if self.show_messages:
            QMessageBox.warning(self.window, translate("ClipSession", "Cannot record the clip"), message)
        self.failed.emit(message)

    def _end(self) -> None:
        self.done = True
        self.window.removeEventFilter(self)
        self.progress.canceled.disconnect(self.cancel)
        self.progress.close()
        if getattr(self.window, "clip_session", None) is self:
            self.window.clip_session = None

    def eventFilter(self, obj, event):  # noqa: N802 — Qt's name
        if obj is self.window and event.type() == QEvent.Type.Close and not self.done:
            self.cancel()
        return False
