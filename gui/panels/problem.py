"""The problem panel: which surface, its formula and description, the gradient noise."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QWidget

from descentlab import engine

from .base import Panel


class ProblemPanel(QWidget, Panel):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        form = QFormLayout(self)
        form.setContentsMargins(4, 4, 4, 4)
        self.surface_combo = QComboBox(self)
        for key, s in engine.SURFACES.items():
            self.surface_combo.addItem(f"{s.name}   {s.formula}", key)
        self.surface_combo.setMaxVisibleItems(20)
        self.surface_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.surface_combo.setMinimumContentsLength(12)
        self.surface_combo.setPlaceholderText("a dataset (see Presets)")
        self.surface_combo.activated.connect(self._surface_picked)
        self.formula = QLabel(self)
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setWordWrap(True)
        self.noise = QDoubleSpinBox(self)
        self.noise.setRange(0.0, 1000.0)
        self.noise.setDecimals(3)
        self.noise.setSingleStep(0.1)
        self.noise.setMaximumWidth(120)
        self.noise.setToolTip("σ of Gaussian noise added to every gradient (0 = exact gradients)")
        self.noise.editingFinished.connect(self._noise_changed)
        form.addRow("surface", self.surface_combo)
        form.addRow(self.formula)
        form.addRow("gradient noise σ", self.noise)

    def scene_changed(self) -> None:
        scene, view = self.controller.scene, self.controller.view
        if scene.data is None:
            self.surface_combo.setCurrentIndex(self.surface_combo.findData(scene.surface))
        else:
            self.surface_combo.setCurrentIndex(-1)  # shows the placeholder: a dataset
        self.noise.setEnabled(scene.data is None)
        self.formula.setText(f"<b>{view.title}</b><br>"
                             f"<span style='font-size:115%'>{view.formula_html}</span>"
                             f"<br><span style='color:#555'>{view.description}</span>")
        self.noise.blockSignals(True)
        self.noise.setValue(scene.noise)
        self.noise.blockSignals(False)

    def _surface_picked(self, index: int) -> None:
        key = self.surface_combo.itemData(index)
        if key and key != self.controller.scene.surface:
            self.controller.set_surface(key)

    def _noise_changed(self) -> None:
        self.controller.set_noise(self.noise.value())
