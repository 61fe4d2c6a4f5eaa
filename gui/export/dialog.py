"""File → Export figure…, Export data…, Export as PyTorch script… and Export as notebook…:
dialogs, then the export.

The dialog only collects a :class:`~.figure_export.FigureRequest`; the writing is
:func:`~.figure_export.export_figure` and :func:`~.data_export.export_window_data`, so
tests drive those directly and look at the dialog's widgets without opening it.
Failures are shown in a message box and the status line, never raised.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from ..support import i18n
from ..support.i18n import QT_TRANSLATE_NOOP, bind, fill, shown, translate
from .data import export_window_data
from .figure import MAX_PIXELS, SCALES, WHAT, ExportError, FigureRequest, export_figure, figure_widget
from .pytorch import export_window_torch

PIXEL_WIDTH = QT_TRANSLATE_NOOP("FigureDialog", "width in pixels")
_last_folder: dict[str, Path] = {}  # per kind ("figure", "data"): where the last file went


class FigureDialog(QDialog):
    """What to export (map, loss curves, whole window), as PNG or SVG, at what size."""

    def __init__(self, window, request: FigureRequest | None = None, parent=None):
        super().__init__(parent or window)
        self.window_ = window
        bind(self.setWindowTitle, QT_TRANSLATE_NOOP("FigureDialog", "Export figure"))
        request = request or FigureRequest()
        form = QFormLayout(self)

        self.what_buttons = QButtonGroup(self)
        row = QHBoxLayout()
        for key in WHAT:
            button = QRadioButton()
            button.setProperty("what", key)
            button.setChecked(key == request.what)
            self.what_buttons.addButton(button)
            row.addWidget(button)
        form.addRow(_label(QT_TRANSLATE_NOOP("FigureDialog", "Export")), _boxed(row))

        self.format_box = QComboBox()
        self.format_box.addItem("", "png")
        self.format_box.addItem("", "svg")
        self.format_box.setCurrentIndex(0 if request.fmt == "png" else 1)
        form.addRow(_label(QT_TRANSLATE_NOOP("FigureDialog", "Format")), self.format_box)

        self.scale_box = QComboBox()
        for s in SCALES:
            self.scale_box.addItem(f"{s}×", s)
        self.scale_box.addItem("", None)
        self.width_box = QSpinBox()
        self.width_box.setRange(100, MAX_PIXELS)
        self.width_box.setSingleStep(100)
        bind(self.width_box.setSuffix, QT_TRANSLATE_NOOP("FigureDialog", " px wide"))
        self.width_box.setValue(request.width or 1920)
        if request.width:
            self.scale_box.setCurrentIndex(len(SCALES))
        elif request.scale in SCALES:
            self.scale_box.setCurrentIndex(SCALES.index(int(request.scale)))
        row = QHBoxLayout()
        row.addWidget(self.scale_box)
        row.addWidget(self.width_box)
        form.addRow(_label(QT_TRANSLATE_NOOP("FigureDialog", "Size")), _boxed(row))
        self.size_label = QLabel()
        form.addRow("", self.size_label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        # A button of its own: the box would give a standard OK button its own text back
        # on every switch of language.
        self.export_button = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        bind(self.export_button.setText, QT_TRANSLATE_NOOP("FigureDialog", "Export…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

        self.what_buttons.buttonToggled.connect(lambda *_: self._update())
        self.format_box.currentIndexChanged.connect(lambda *_: self._update())
        self.scale_box.currentIndexChanged.connect(lambda *_: self._update())
        self.width_box.valueChanged.connect(lambda *_: self._update())
        self.retranslate()
        i18n.language_changed().connect(self.retranslate)

    def retranslate(self) -> None:
        """The texts that are not bound: the choices in the current language, the size line."""
        for button in self.what_buttons.buttons():
            text = shown(WHAT[button.property("what")])
            button.setText(text[0].upper() + text[1:])
        self.format_box.setItemText(0, translate("FigureDialog", "PNG (picture)"))
        self.format_box.setItemText(1, translate("FigureDialog", "SVG (vector: paths and text)"))
        self.scale_box.setItemText(len(SCALES), shown(PIXEL_WIDTH))
        self._update()

    @property
    def what(self) -> str:
        return self.what_buttons.checkedButton().property("what")

    def request(self) -> FigureRequest:
        fmt = self.format_box.currentData()
        scale = self.scale_box.currentData()
        if scale is None:
            return FigureRequest(self.what, fmt, 1.0, self.width_box.value())
        return FigureRequest(self.what, fmt, float(scale))

    def _update(self) -> None:
        request = self.request()
        png = request.fmt == "png"
        self.scale_box.setEnabled(png)
        self.width_box.setEnabled(png and request.width is not None)
        widget = figure_widget(self.window_, request.what)
        if png:
            s = request.png_scale(widget)
            self.size_label.setText(fill(translate("FigureDialog", "%1 × %2 pixels"),
                                         round(widget.width() * s), round(widget.height() * s)))
        else:
            self.size_label.setText(fill(translate("FigureDialog", "%1 × %2 (scales without loss)"),
                                         widget.width(), widget.height()))


def _label(text) -> QLabel:
    """A form's label whose text follows the language."""
    label = QLabel()
    bind(label.setText, text)
    return label


def _boxed(layout) -> QWidget:
    box = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    box.setLayout(layout)
    return box


def _save_name(window, kind: str, caption: str, default: str, filters: str) -> Path | None:
    folder = _last_folder.get(kind, Path.cwd())
    path, _ = QFileDialog.getSaveFileName(window, caption, str(folder / default), filters)
    if not path:
        return None
    path = Path(path)
    _last_folder[kind] = path.parent
    return path


def _with_suffix(path: Path, suffix: str) -> Path:
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


@contextmanager
def _busy():
    """The wait cursor: a 4× window or a long race's CSV takes a second or two."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def _failed(window, title: str, message: str) -> None:
    window.notify(fill(translate("Export", "%1: %2"), title, message), 10)
    QMessageBox.warning(window, title, message)


def save_figure(window, request: FigureRequest, path) -> bool:
    """Export as ``request`` asks to ``path`` (the request's suffix added unless it ends in
    .png or .svg already); tell the user."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        path = _with_suffix(path, f".{request.fmt}")
    try:
        with _busy():
            export_figure(figure_widget(window, request.what), path, request)
    except ExportError as exc:
        _failed(window, translate("Export", "Cannot export the figure"), str(exc))
        return False
    window.notify(fill(translate("Export", "Saved %1"), path), 6)
    return True


def save_data(window, path) -> bool:
    """The race's data to ``path`` (.csv added if missing) and its scene beside it."""
    path = _with_suffix(Path(path), ".csv")
    try:
        with _busy():
            csv_path, toml_path = export_window_data(window, path)
    except ExportError as exc:
        _failed(window, translate("Export", "Cannot export the data"), str(exc))
        return False
    window.notify(fill(translate("Export", "Saved %1 and %2"), csv_path, toml_path.name), 6)
    return True


def ask_and_export_figure(window) -> None:
    dialog = FigureDialog(window, getattr(window, "last_figure_request", None))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    request = window.last_figure_request = dialog.request()
    name = {"map": "map", "loss": "loss-curves", "window": "descentlab"}[request.what]
    filters = translate("Export", "PNG pictures (*.png)") if request.fmt == "png" else \
        translate("Export", "SVG drawings (*.svg)")
    path = _save_name(window, "figure", translate("Export", "Export figure"), f"{name}.{request.fmt}", filters)
    if path is not None:
        save_figure(window, request, path)


def ask_and_export_data(window) -> None:
    path = _save_name(window, "data", translate("Export", "Export data (CSV, and the scene beside it)"),
                      "runs.csv", translate("Export", "CSV files (*.csv)"))
    if path is not None:
        save_data(window, path)


def _save_race_code(window, path, *, notebook: bool) -> bool:
    """The race as a PyTorch script (.py) or a Jupyter notebook (.ipynb) at ``path``."""
    path = _with_suffix(Path(path), ".ipynb" if notebook else ".py")
    try:
        with _busy():
            written = export_window_torch(window, path, notebook=notebook)
    except ExportError as exc:
        _failed(window, translate("Export", "Cannot export as notebook") if notebook else
                translate("Export", "Cannot export as PyTorch script"), str(exc))
        return False
    saved = translate("Export", "Saved %1: open it with jupyter lab %2") if notebook else \
        translate("Export", "Saved %1: run it with python %2")
    window.notify(fill(saved, written, written.name), 8)
    return True


def save_torch(window, path) -> bool:
    """The race as a PyTorch script at ``path`` (.py added if missing)."""
    return _save_race_code(window, path, notebook=False)


def ask_and_export_torch(window) -> None:
    path = _save_name(window, "torch", translate("Export", "Export as PyTorch script"), "race.py",
                      translate("Export", "Python scripts (*.py)"))
    if path is not None:
        save_torch(window, path)


def save_notebook(window, path) -> bool:
    """The race as a Jupyter notebook at ``path`` (.ipynb added if missing)."""
    return _save_race_code(window, path, notebook=True)


def ask_and_export_notebook(window) -> None:
    path = _save_name(window, "torch", translate("Export", "Export as notebook"), "race.ipynb",
                      translate("Export", "Jupyter notebooks (*.ipynb)"))
    if path is not None:
        save_notebook(window, path)
