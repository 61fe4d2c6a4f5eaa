"""The Dataset page: a generated dataset or a CSV file, the model, the loss, penalties.

Every change rebuilds the problem through the controller (the runs keep their optimizers,
hyperparameters and batch sizes and restart at step 0). A change that cannot be built is
shown under the controls, and the current problem stays.
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from descentlab.engine.data import ACTIVATIONS, DATASETS, LOSSES, MODELS, Model
from descentlab.engine.data.config import CSV, DataConfig
from descentlab.engine.data.losses import check_fit
from descentlab.engine.data.models import Network
from descentlab.engine.quoted import quoted

from ...own_data import ask_and_open_csv, fitting_model, model_misfit
from ...support.i18n import QT_TRANSLATE_NOOP, bind, fill, shown, translate

MAX_HIDDEN = 256  # per layer, as scenes allow
MAX_LAYERS = 8


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"16, 16"`` → (16, 16); ValueError naming the bad part."""
    parts = [p for p in re.split(r"[,\s]+", text.strip()) if p]
    if not parts:
        raise ValueError(translate("DatasetPage", "hidden sizes: give at least one layer, e.g. 16, 16"))
    if len(parts) > MAX_LAYERS:
        raise ValueError(fill(translate("DatasetPage", "hidden sizes: at most %1 layers, got %2"), MAX_LAYERS,
                              len(parts)))
    sizes = []
    for p in parts:
        if not p.isdigit() or not 1 <= int(p) <= MAX_HIDDEN:
            raise ValueError(fill(translate("DatasetPage", "hidden sizes: %1 is not a layer size (a whole number "
                                            "from 1 to %2)"), quoted(p), MAX_HIDDEN))
        sizes.append(int(p))
    return tuple(sizes)


def _shape(cfg: DataConfig, current) -> tuple[str, int, int]:
    """(task, features, classes) of the data ``cfg`` describes, without building it."""
    if cfg.dataset == CSV:
        ds = current.dataset if current is not None and cfg.csv == _csv_of(current) \
            else cfg.load_data()
        return ds.task, ds.dim, ds.n_classes
    spec = DATASETS[cfg.dataset]
    return spec.task, spec.dim, spec.n_classes


def _csv_of(problem) -> str | None:
    return problem.dataset.params.get("csv") if problem is not None else None


def _number(parent, lo, hi, decimals, step, tip) -> QDoubleSpinBox:
    """A number box; ``tip`` a marked text (QT_TRANSLATE_NOOP), bound to the language."""
    box = QDoubleSpinBox(parent)
    box.setRange(lo, hi)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setKeyboardTracking(False)
    bind(box.setToolTip, tip)
    # no explicit minimum: Qt sizes the box for its widest value, so no value is ever cut
    return box


OUTLIERS_TIP = QT_TRANSLATE_NOOP("DatasetPage", "the fraction of points pushed far off the line")


def _disable_item(combo: QComboBox, index: int, why: str | None) -> None:
    item = combo.model().item(index)
    item.setEnabled(why is None)
    combo.setItemData(index, why or combo.itemData(index, Qt.ItemDataRole.UserRole + 1),
                      Qt.ItemDataRole.ToolTipRole)


class DatasetPage(QWidget):
    KIND = "dataset"  # the problem kind it edits (engine.problems.registry)
    TAB = QT_TRANSLATE_NOOP("DatasetPage", "Dataset")
    TIP = QT_TRANSLATE_NOOP("DatasetPage", "a model fitted to data: generated, or your own CSV file")

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self._syncing = False
        self._csv_path: str | None = None  # the last CSV file used (it stays in the list)
        g = QGridLayout(self)
        g.setContentsMargins(0, 0, 0, 0)
        g.setVerticalSpacing(3)
        self.source = QComboBox(self)
        for key, spec in DATASETS.items():
            self.source.addItem(shown(spec.name), key)
            self.source.setItemData(self.source.count() - 1, shown(spec.description),
                                    Qt.ItemDataRole.ToolTipRole)
        self.source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source.setMinimumContentsLength(7)  # the button beside it keeps its whole text
        self.source.activated.connect(self._source_picked)
        self.open_csv = QPushButton(self)
        bind(self.open_csv.setText, QT_TRANSLATE_NOOP("DatasetPage", "Open CSV…"))
        bind(self.open_csv.setToolTip, QT_TRANSLATE_NOOP("DatasetPage", "your own data: numeric feature columns and "
                                                         "a target column (the last one, or one named label, target "
                                                         "or y)"))
        self.open_csv.clicked.connect(self._open_csv)
        self.points = QSpinBox(self)
        self.points.setRange(2, 100_000)
        self.points.setKeyboardTracking(False)
        bind(self.points.setToolTip, QT_TRANSLATE_NOOP("DatasetPage", "points in all (training + test)"))
        self.noise = _number(self, 0.0, 100.0, 3, 0.05,
                             QT_TRANSLATE_NOOP("DatasetPage", "the spread of the points (for the line: of y)"))
        self.outliers = _number(self, 0.0, 0.5, 2, 0.05, OUTLIERS_TIP)
        self.test = _number(self, 0.0, 0.9, 2, 0.05,
                            QT_TRANSLATE_NOOP("DatasetPage", "the fraction of points held out as the test set"))
        self.seed = QSpinBox(self)
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setKeyboardTracking(False)
        bind(self.seed.setToolTip, QT_TRANSLATE_NOOP("DatasetPage", "the seed of the points and of the train/test "
                                                     "split"))
        self.resample = QPushButton(self)
        bind(self.resample.setText, QT_TRANSLATE_NOOP("DatasetPage", "new sample"))
        bind(self.resample.setToolTip, QT_TRANSLATE_NOOP("DatasetPage", "draw new points (the next data seed)"))
        self.resample.clicked.connect(lambda: self.seed.setValue(self.seed.value() + 1))
        self.model = QComboBox(self)
        for key, spec in MODELS.items():
            self.model.addItem(shown(spec.name), key)
            self.model.setItemData(self.model.count() - 1, shown(spec.description), Qt.ItemDataRole.UserRole + 1)
        self.model.activated.connect(self._changed)
        self.hidden = QLineEdit("16, 16", self)
        bind(self.hidden.setToolTip, QT_TRANSLATE_NOOP("DatasetPage", "the MLP's hidden layer sizes, e.g. 16, 16"))
        self.hidden.editingFinished.connect(self._hidden_finished)
        self.activation = QComboBox(self)
        bind(self.activation.setToolTip, QT_TRANSLATE_NOOP("DatasetPage", "the MLP's activation function"))
        for key in ACTIVATIONS:
            self.activation.addItem(key, key)
        self.activation.activated.connect(self._changed)
        self.loss = QComboBox(self)
        self.loss.addItem(translate("DatasetPage", "default"), None)
        for key, spec in LOSSES.items():
            self.loss.addItem(shown(spec.name), key)
            self.loss.setItemData(self.loss.count() - 1, shown(spec.name), Qt.ItemDataRole.UserRole + 1)
        self.loss.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.loss.setMinimumContentsLength(8)
        self.loss.activated.connect(self._changed)
        self.l1 = _number(self, 0.0, 1000.0, 4, 0.001,
                          QT_TRANSLATE_NOOP("DatasetPage", "λ₁: lasso penalty λ₁ Σ|w| on the weights"))
        self.l2 = _number(self, 0.0, 1000.0, 4, 0.001,
                          QT_TRANSLATE_NOOP("DatasetPage", "λ₂: ridge penalty λ₂ Σw² on the weights"))
        self.standardise = QCheckBox(self)
        bind(self.standardise.setText, QT_TRANSLATE_NOOP("DatasetPage", "standardise features"))
        bind(self.standardise.setToolTip, QT_TRANSLATE_NOOP("DatasetPage", "shift and scale every feature to mean 0, "
                                                            "standard deviation 1 (on the training set): it changes "
                                                            "the shape of the loss"))
        self.standardise.toggled.connect(self._changed)
        for box in (self.points, self.noise, self.outliers, self.test, self.seed, self.l1, self.l2):
            box.valueChanged.connect(self._changed)
        for w in (self.points, self.seed, self.hidden, self.activation):  # buttons keep their text
            w.setMinimumWidth(56)
        for combo in (self.source, self.model, self.loss):
            combo.setMinimumWidth(80)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self._syncing = True
        self._show_config(DataConfig())  # moons and an MLP until a dataset scene is shown
        self._syncing = False

        g.addWidget(self.source, 0, 0, 1, 3)
        g.addWidget(self.open_csv, 0, 3)
        rows = ((QT_TRANSLATE_NOOP("DatasetPage", "points"), self.points,
                 QT_TRANSLATE_NOOP("DatasetPage", "noise"), self.noise),
                (QT_TRANSLATE_NOOP("DatasetPage", "outliers"), self.outliers,
                 QT_TRANSLATE_NOOP("DatasetPage", "test"), self.test),
                (QT_TRANSLATE_NOOP("DatasetPage", "data seed"), self.seed, None, self.resample),
                (QT_TRANSLATE_NOOP("DatasetPage", "model"), self.model, None, None),
                (QT_TRANSLATE_NOOP("DatasetPage", "hidden"), self.hidden,
                 QT_TRANSLATE_NOOP("DatasetPage", "act."), self.activation),
                (QT_TRANSLATE_NOOP("DatasetPage", "loss"), self.loss, None, None),
                ("L1 λ₁", self.l1, "L2 λ₂", self.l2))
        for r, (a, wa, b, wb) in enumerate(rows, start=1):
            g.addWidget(self._label(a), r, 0)
            if wb is None:  # the whole row
                g.addWidget(wa, r, 1, 1, 3)
                continue
            g.addWidget(wa, r, 1)
            if b is not None:
                g.addWidget(self._label(b), r, 2)
                g.addWidget(wb, r, 3)
            else:
                g.addWidget(wb, r, 2, 1, 2)
        g.addWidget(self.standardise, len(rows) + 1, 0, 1, 4)
        g.addWidget(self.message, len(rows) + 2, 0, 1, 4)
        g.setColumnStretch(1, 1)
        g.setColumnStretch(3, 1)

    def _label(self, text) -> QLabel:
        label = QLabel(self)
        bind(label.setText, text)
        return label

    def retranslate(self) -> None:
        """The lists' items (names and descriptions from the engine), then the scene's
        dataset shown again: the tooltips that say why, the summary."""
        for combo, table in ((self.source, DATASETS), (self.model, MODELS)):
            for i in range(combo.count()):
                spec = table.get(combo.itemData(i))
                if spec is not None:
                    combo.setItemText(i, shown(spec.name))
                    role = Qt.ItemDataRole.ToolTipRole if combo is self.source else Qt.ItemDataRole.UserRole + 1
                    combo.setItemData(i, shown(spec.description), role)
        self.loss.setItemText(0, translate("DatasetPage", "default"))
        for i in range(1, self.loss.count()):
            name = shown(LOSSES[self.loss.itemData(i)].name)
            self.loss.setItemText(i, name)
            self.loss.setItemData(i, name, Qt.ItemDataRole.UserRole + 1)
        self._show_csv_item()
        c = self.controller
        if getattr(c, "scene", None) is not None and c.scene.data is not None and c.race is not None:
            self.sync()

    # ------------------------------------------------------------------ reading
    def config(self) -> DataConfig:
        """What the controls describe; raises ValueError for what cannot be read."""
        key = self.source.currentData()
        cfg = DataConfig(dataset=key)
        if key == CSV:
            cfg.csv = self._csv_path
        else:
            cfg.n_points = self.points.value()
            cfg.data_noise = self.noise.value()
            if "outliers" in DATASETS[key].options:
                cfg.outliers = self.outliers.value()
        cfg.test_fraction = self.test.value()
        cfg.data_seed = self.seed.value()
        cfg.model = self.model.currentData()
        cfg.activation = self.activation.currentData()
        if cfg.model == "mlp":
            cfg.hidden = parse_hidden(self.hidden.text())
        cfg.loss = self.loss.currentData()
        cfg.l1, cfg.l2 = self.l1.value(), self.l2.value()
        cfg.standardise = self.standardise.isChecked()
        if cfg.standardise == (key == CSV):
            cfg.standardise = None  # the default for this source
        return cfg

    def apply(self, cfg: DataConfig | None = None) -> bool:
        """Rebuild the problem from the controls (or ``cfg``); True if it was accepted."""
        c = self.controller
        current = c.race.problem if c.race is not None and c.is_dataset else None
        try:
            cfg = self.config() if cfg is None else copy.deepcopy(cfg)
            task, dim, n_classes = _shape(cfg, current)
            cfg.model = fitting_model(cfg.model, task, dim, n_classes)
            if cfg.loss is not None:
                net = Network(Model(cfg.model, hidden=cfg.hidden, activation=cfg.activation),
                              task, dim, n_classes)
                try:
                    check_fit(LOSSES[cfg.loss], task, net.n_outputs, "")
                except ValueError:
                    cfg.loss = None  # the new model's default loss
            c.set_problem(cfg)
        except ValueError as exc:
            self._say(str(exc), error=True)
            return False
        return True

    def _open_csv(self) -> None:
        ask_and_open_csv(self, self.controller)

    def _changed(self, *_) -> None:
        if not self._syncing:
            self.apply()

    def _hidden_finished(self) -> None:
        cfg = self.controller.scene.data
        try:
            hidden = parse_hidden(self.hidden.text())
        except ValueError as exc:
            self._say(str(exc), error=True)
            return
        if cfg is None or hidden != tuple(cfg.hidden) or cfg.model != "mlp":
            self._changed()

    def _source_picked(self, index: int) -> None:
        key = self.source.itemData(index)
        if key != CSV:  # a generator's own defaults
            spec = DATASETS[key]
            self._syncing = True
            self.points.setValue(spec.n_points)
            self.noise.setValue(spec.noise)
            self.outliers.setValue(spec.options.get("outliers", 0.0))
            self.standardise.setChecked(False)
            self._syncing = False
        else:
            self.standardise.setChecked(True)
        self._changed()

    def _say(self, text: str, error: bool = False) -> None:
        colour = "#b00020" if error else "#555"
        self.message.setText(f"<span style='color:{colour}'>{html.escape(text, quote=False)}</span>")

    # ------------------------------------------------------------------ showing
    def sync(self) -> None:
        """Show the current scene's dataset problem (called on every new scene)."""
        c = self.controller
        cfg = c.scene.data
        if cfg is None or c.race is None:
            return
        problem = c.race.problem
        self._syncing = True
        try:
            self._show_config(cfg, problem.dataset.n_train + problem.dataset.n_test)
            self._show_fits(problem)
        finally:
            self._syncing = False
        self._say(self._summary(problem))

    def _show_config(self, cfg: DataConfig, n_points: int | None = None) -> None:
        if cfg.dataset == CSV:
            self._csv_path = cfg.csv
        self._show_csv_item()
        self.source.setCurrentIndex(self.source.findData(cfg.dataset))
        spec = DATASETS.get(cfg.dataset)
        generated = spec is not None
        self.points.setValue(cfg.n_points or (spec.n_points if generated else n_points or 2))
        self.noise.setValue(cfg.data_noise if cfg.data_noise is not None else spec.noise if generated else 0.0)
        self.outliers.setValue(cfg.outliers or 0.0)
        for w in (self.points, self.noise):
            w.setEnabled(generated)
            own = "" if generated else "\n" + translate("DatasetPage", "(the CSV file's own)")
            w.setToolTip(w.toolTip().split("\n")[0] + own)
        self.outliers.setEnabled(generated and "outliers" in spec.options)
        if self.outliers.isEnabled():
            self.outliers.setToolTip(shown(OUTLIERS_TIP))
        else:
            self.outliers.setToolTip(translate("DatasetPage", "only the noisy line has outliers"))
        self.test.setValue(cfg.test_fraction)
        self.seed.setValue(cfg.data_seed)
        self.model.setCurrentIndex(self.model.findData(cfg.model))
        self.hidden.setText(", ".join(str(h) for h in cfg.hidden))
        self.activation.setCurrentIndex(self.activation.findData(cfg.activation))
        is_mlp = cfg.model == "mlp"
        self.hidden.setEnabled(is_mlp)
        self.activation.setEnabled(is_mlp)
        self.l1.setValue(cfg.l1)
        self.l2.setValue(cfg.l2)
        self.standardise.setChecked(cfg.standardises)
        self.loss.setCurrentIndex(max(0, self.loss.findData(cfg.loss)))

    def _show_csv_item(self) -> None:
        """The CSV file last used, an item of the list (named after its file)."""
        i = self.source.findData(CSV)
        if self._csv_path and i < 0:
            self.source.addItem("", CSV)
            i = self.source.count() - 1
        if i >= 0:
            self.source.setItemText(i, fill(translate("DatasetPage", "CSV: %1"), Path(self._csv_path).name))
            self.source.setItemData(i, self._csv_path, Qt.ItemDataRole.ToolTipRole)

    def _show_fits(self, problem) -> None:
        """Models and losses that do not fit the data are disabled; their tooltips say why."""
        ds = problem.dataset
        for i in range(self.model.count()):
            _disable_item(self.model, i, model_misfit(self.model.itemData(i), ds.task, ds.dim, ds.n_classes))
        net = problem.network
        self.loss.setItemText(0, fill(translate("DatasetPage", "default (%1)"), shown(LOSSES[problem.loss_key].name)))
        for i in range(1, self.loss.count()):
            try:
                check_fit(LOSSES[self.loss.itemData(i)], ds.task, net.n_outputs, problem.model.describe())
                why = None
            except ValueError as exc:
                why = str(exc).split("; losses that fit")[0]
            _disable_item(self.loss, i, why)

    @staticmethod
    def _summary(problem) -> str:
        ds = problem.dataset
        if ds.task == "classification":
            kind = fill(translate("DatasetPage", "%1 classes"), ds.n_classes)
        else:
            kind = translate("DatasetPage", "regression")
        scaled = translate("DatasetPage", ", standardised") if ds.params.get("standardised") else ""
        return (fill(translate("DatasetPage", "%1 training + %2 test points, %3 feature(s), %4"), ds.n_train,
                     ds.n_test, ds.dim, kind + scaled)
                + " · " + fill(translate("DatasetPage", "%1 parameters"), problem.n_params))

