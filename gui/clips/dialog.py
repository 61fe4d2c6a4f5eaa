"""File → Record clip…: where to, which steps, frame rate, size, style and pace.

The line under the fields says what the clip will be (frames, length, steps a frame) or,
in red, why it cannot be made; Record is enabled only when it can.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ..support import i18n
from ..support.i18n import QT_TRANSLATE_NOOP, bind, fill, translate
from .plan import MAX_FPS, ClipSpec, describe
from .session import ClipSession, not_ready_reason
from .writers import ClipError, check_target

SIZES = ((1280, 720), (1280, 800), (1920, 1080), (2560, 1440), (3840, 2160), (800, 500), (640, 400))


def record_clip(window, spec: ClipSpec, show_messages: bool = True) -> ClipSession | None:
    """Start recording ``spec`` from ``window``'s scene (one clip at a time)."""
    if getattr(window, "clip_session", None) is not None:
        return None
    session = ClipSession(window, spec, show_messages)
    window.clip_session = session
    return session.start()


def open_record_dialog(window) -> ClipDialog | None:
    reason = not_ready_reason(window)
    if reason:
        QMessageBox.information(window, translate("ClipDialog", "Record clip"), reason)
        return None
    if getattr(window, "clip_session", None) is not None:
        QMessageBox.information(window, translate("ClipDialog", "Record clip"),
                                translate("ClipDialog", "A clip is being recorded already."))
        return None
    dlg = ClipDialog(window)
    window.clip_dialog = dlg
    dlg.show()
    return dlg


class ClipDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        bind(self.setWindowTitle, QT_TRANSLATE_NOOP("ClipDialog", "Record clip"))
        c = window.controller
        self.speed = float(c.scene.speed)
        form = QFormLayout(self)
        self.path = QLineEdit(str(Path.home() / "race.mp4"), self)
        choose = QPushButton(self)
        bind(choose.setText, QT_TRANSLATE_NOOP("ClipDialog", "Choose…"))
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        holder = QWidget(self)
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ClipDialog", "file (.mp4 or .gif)")), holder)
        with c.lock:
            now = int(c.race.step)
        self.first = QSpinBox(self, maximum=100_000_000, groupSeparatorShown=True)
        self.last = QSpinBox(self, maximum=100_000_000, groupSeparatorShown=True)
        self.last.setValue(now if now > 0 else int(c.scene.step_limit or 300))
        form.addRow(self._label(QT_TRANSLATE_NOOP("ClipDialog", "from step")), self.first)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ClipDialog", "to step")), self.last)
        self.fps = QSpinBox(self, minimum=1, maximum=MAX_FPS, value=30, suffix=" fps")
        form.addRow(self._label(QT_TRANSLATE_NOOP("ClipDialog", "frame rate")), self.fps)
        self.size_box = QComboBox(self)
        for w, h in SIZES:
            self.size_box.addItem(f"{w} × {h}", (w, h))
        ww, wh = window.width() // 2 * 2, window.height() // 2 * 2
        self.size_box.addItem("", (ww, wh))
        self.size_box.setCurrentIndex(2)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ClipDialog", "size")), self.size_box)
        self.presentation = QCheckBox(self)
        bind(self.presentation.setText,
             QT_TRANSLATE_NOOP("ClipDialog", "presentation style (large type, thick lines, legend)"))
        self.presentation.setChecked(window.presentation)
        form.addRow(self._label(QT_TRANSLATE_NOOP("ClipDialog", "style")), self.presentation)
        self.pace = QDoubleSpinBox(self, minimum=0.0, maximum=1e6, decimals=2, singleStep=1.0)
        bind(self.pace.setSpecialValueText, QT_TRANSLATE_NOOP("ClipDialog", "live pace (speed ÷ frame rate)"))
        form.addRow(self._label(QT_TRANSLATE_NOOP("ClipDialog", "steps a frame")), self.pace)
        self.summary = QLabel(self, wordWrap=True)
        form.addRow(self.summary)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.record_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        bind(self.record_button.setText, QT_TRANSLATE_NOOP("ClipDialog", "Record"))
        self.buttons.accepted.connect(self._record)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        for w in (self.first, self.last, self.fps, self.pace):
            w.valueChanged.connect(self._update)
        self.path.textChanged.connect(self._update)
        self.size_box.currentIndexChanged.connect(self._update)
        self.retranslate()
        i18n.language_changed().connect(self.retranslate)

    def _label(self, text) -> QLabel:
        """A form's label whose text follows the language."""
        label = QLabel(self)
        bind(label.setText, text)
        return label

    def retranslate(self) -> None:
        """The texts made with numbers in them: the window's size, the summary line."""
        ww, wh = self.size_box.itemData(len(SIZES))
        self.size_box.setItemText(len(SIZES), fill(translate("ClipDialog", "%1 × %2 (the window)"), ww, wh))
        self._update()

    def spec(self) -> ClipSpec:
        return ClipSpec(Path(self.path.text().strip()).expanduser(), first=self.first.value(),
                        last=self.last.value(), fps=float(self.fps.value()),
                        size=self.size_box.currentData(), presentation=self.presentation.isChecked(),
                        steps_per_frame=self.pace.value() or None)

    def _update(self) -> None:
        try:
            spec = self.spec()
            check_target(spec.path, spec.size, spec.fps)
            text, ok = describe(spec, self.speed), True
        except (ClipError, ValueError) as exc:
            text, ok = str(exc), False
        self.summary.setText(text)
        self.summary.setStyleSheet("" if ok else "color: #c0392b")
        self.record_button.setEnabled(ok)

    def _choose(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(self, translate("ClipDialog", "Record clip"), self.path.text(),
                                                   translate("ClipDialog", "MP4 video (*.mp4);;Animated GIF (*.gif)"))
        if path:
            if not Path(path).suffix:
                path += ".gif" if "*.gif" in chosen.lower() else ".mp4"
            self.path.setText(path)

    def _record(self) -> None:
        spec = self.spec()
        if spec.path.exists():
            answer = QMessageBox.question(self, translate("ClipDialog", "Record clip"),
                                          fill(translate("ClipDialog", "%1 exists. Replace it?"), spec.path))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.accept()
        record_clip(self.window_, spec)
