"""The Surface page: a surface of the catalogue, its formula and what it shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from descentlab import engine

from ...support.i18n import QT_TRANSLATE_NOOP, bind, shown


class SurfaceCombo(QComboBox):
    """The list shows each surface's name and formula; the closed box only the name (the
    formula is printed under it), so it is never cut, also in presentation type."""

    def paintEvent(self, event):  # noqa: N802 — Qt's name
        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        opt.currentText = self.shown_text()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)

    def shown_text(self) -> str:
        key = self.currentData()
        return shown(engine.SURFACES[key].name) if key in engine.SURFACES else self.currentText()


class SurfacePage(QWidget):
    KIND = "surface"  # the problem kind it edits (engine.problems.registry)
    TAB = QT_TRANSLATE_NOOP("SurfacePage", "Surface")
    TIP = QT_TRANSLATE_NOOP("SurfacePage", "a loss surface from the catalogue")

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = SurfaceCombo(self)
        for key in engine.SURFACES:
            self.combo.addItem(self._item_text(key), key)
        self.combo.setMaxVisibleItems(20)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(12)
        bind(self.combo.setToolTip, self.TIP)
        self.combo.activated.connect(self._picked)
        self.about = QLabel(self)
        self.about.setTextFormat(Qt.TextFormat.RichText)
        self.about.setWordWrap(True)
        layout.addWidget(self.combo)
        layout.addWidget(self.about)

    @staticmethod
    def _item_text(key: str) -> str:
        s = engine.SURFACES[key]
        return shown(s.name) + "   " + s.formula

    def retranslate(self) -> None:
        for i in range(self.combo.count()):
            self.combo.setItemText(i, self._item_text(self.combo.itemData(i)))
        self.combo.update()
        if getattr(self.controller, "scene", None) is not None:
            self.sync()

    def apply(self) -> None:
        """Make this page's surface the problem (the Surface choice was picked)."""
        key = self.combo.currentData() or self.controller.scene.surface
        self.controller.set_problem(key)

    def sync(self) -> None:
        scene, view = self.controller.scene, self.controller.map_frame
        self.combo.setCurrentIndex(self.combo.findData(scene.surface))
        if scene.kind == "surface" and view is not None:
            self.about.setText(f"<span style='font-size:115%'>{view.formula_html}</span>"
                               f"<br><span style='color:#555'>{shown(view.description)}</span>")

    def _picked(self, index: int) -> None:
        key = self.combo.itemData(index)
        scene = self.controller.scene
        if key and (key != scene.surface or scene.kind != "surface"):
            self.controller.set_problem(key)
