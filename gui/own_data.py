"""Your own data: a CSV file opened from the File menu, the Dataset page or dropped on the window.

The file is read by the engine (``engine.load_csv``: a header row optional, the target the
last column or the one named label/target/y). A bad file is refused whole, with one message
naming the line and the column, and the current problem stays.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from descentlab.engine.data import Model
from descentlab.engine.data.models import Network
from descentlab.engine.files.scene import CSV, DataConfig

from .support.i18n import translate


def fitting_model(key: str, task: str, dim: int, n_classes: int) -> str:
    """``key`` if it fits the data, else the simplest model that does."""
    if model_misfit(key, task, dim, n_classes) is None:
        return key
    if task == "regression":
        return "linear"
    return "logistic" if n_classes == 2 else "softmax"


def model_misfit(key: str, task: str, dim: int, n_classes: int) -> str | None:
    try:
        Network(Model(key), task, dim, n_classes)
    except ValueError as exc:
        return str(exc)
    return None


def csv_config(path) -> DataConfig:
    """A dataset problem for the CSV file at ``path``: standardised features and the simplest
    model for its task (linear regression; logistic or softmax regression). Raises ValueError."""
    cfg = DataConfig(dataset=CSV, csv=str(Path(path).resolve()), model="linear")
    ds = cfg.load_data()
    cfg.model = fitting_model("none", ds.task, ds.dim, ds.n_classes)
    return cfg


def open_csv_file(parent, controller, path) -> bool:
    """Make the CSV file the problem (keeping the runs); a message box says why not (the
    status bar, if a lesson's step locks the problem)."""
    if controller.refuses("problem"):
        return False
    try:
        controller.set_problem(csv_config(path))
    except ValueError as exc:
        QMessageBox.warning(parent, translate("OwnData", "Cannot use this CSV file"), str(exc))
        return False
    return True


def ask_and_open_csv(parent, controller) -> bool:
    if controller.refuses("problem"):  # before asking for a file
        return False
    path, _ = QFileDialog.getOpenFileName(parent, translate("OwnData", "Open CSV"), "",
                                          translate("OwnData", "CSV files (*.csv);;All files (*)"))
    return bool(path) and open_csv_file(parent, controller, path)


def _csv_paths(mime) -> list[str]:
    if mime is None or not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls()
            if u.isLocalFile() and u.toLocalFile().lower().endswith(".csv")]


class CsvDrop(QObject):
    """Installed on the main window: a ``.csv`` file dropped on it opens as the problem."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802 — Qt's name
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if _csv_paths(event.mimeData()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            paths = _csv_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                open_csv_file(self.window, self.window.controller, paths[0])
                return True
        return super().eventFilter(obj, event)
