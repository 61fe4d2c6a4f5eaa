"""The problem panel: one choice per problem kind — Surface, Formula, Dataset — each with its own page.

Picking a choice makes its page's problem the race's; every change on a page rebuilds the
problem through the controller (``set_problem``), which keeps the runs and restarts them
at step 0 from the new default start. What cannot be built is shown on the page, and the
current problem stays. The gradient noise σ (surfaces and formulas) sits under the pages.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from descentlab.engine.problems.registry import kind_named

from ...support.i18n import QT_TRANSLATE_NOOP, bind, shown
from ..base import Panel
from .dataset import DatasetPage
from .formula import FormulaPage
from .surface import SurfacePage

# The pages, in the tabs' order: one per problem kind, each naming its kind (KIND), its
# tab (TAB, TIP), and making its problem the race's (apply) or showing the scene's (sync).
PAGES = (SurfacePage, FormulaPage, DatasetPage)
KINDS = tuple(page.KIND for page in PAGES)


class ProblemPanel(QWidget, Panel):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        self.choice = QTabBar(self)
        for page in PAGES:
            self.choice.setTabToolTip(self.choice.addTab(shown(page.TAB)), shown(page.TIP))
        self.choice.setExpanding(True)
        self.choice.setDrawBase(False)
        self.choice.currentChanged.connect(self._choice_picked)
        # The pages sit in the layout itself, only the chosen one shown: a hidden page takes
        # no height, and a wrapped description gets all the height it needs.
        self.pages = {page.KIND: page(controller, self) for page in PAGES}
        self.noise = QDoubleSpinBox(self)
        self.noise.setRange(0.0, 1000.0)
        self.noise.setDecimals(3)
        self.noise.setSingleStep(0.1)
        self.noise.setMaximumWidth(120)
        bind(self.noise.setToolTip, QT_TRANSLATE_NOOP(
            "ProblemPanel", "σ of Gaussian noise added to every gradient (0 = exact gradients)"))
        self.noise.editingFinished.connect(self._noise_changed)
        self.noise_row = QWidget(self)
        row = QHBoxLayout(self.noise_row)
        row.setContentsMargins(0, 0, 0, 0)
        noise_label = QLabel(self.noise_row)
        bind(noise_label.setText, QT_TRANSLATE_NOOP("ProblemPanel", "gradient noise σ"))
        row.addWidget(noise_label)
        row.addWidget(self.noise)
        row.addStretch(1)
        layout.addWidget(self.choice)
        for page in self.pages.values():
            layout.addWidget(page)
        layout.addWidget(self.noise_row)
        self._show_page(KINDS[0])
        # Resume from here may bring back the noise of that step (engine/race/life.py)
        timeline = getattr(controller, "timeline", None)
        if timeline is not None:
            timeline.moved.connect(self._show_noise)

    def retranslate(self) -> None:
        for i, page in enumerate(PAGES):
            self.choice.setTabText(i, shown(page.TAB))
            self.choice.setTabToolTip(i, shown(page.TIP))
        for page in self.pages.values():
            page.retranslate()

    def _show_noise(self) -> None:
        scene = self.controller.scene
        if scene is not None and self.noise.value() != scene.noise:
            self.noise.blockSignals(True)
            self.noise.setValue(scene.noise)
            self.noise.blockSignals(False)

    @property
    def surface_combo(self):
        """The Surface page's list of surfaces."""
        return self.pages["surface"].combo

    @property
    def kind(self) -> str:
        """The choice shown: "surface", "formula" or "dataset"."""
        return KINDS[self.choice.currentIndex()]

    def select(self, kind: str) -> None:
        """Pick a choice as a click on its tab would (its page's problem becomes the race's)."""
        self.choice.setCurrentIndex(KINDS.index(kind))

    def _show_page(self, kind: str) -> None:
        for name, page in self.pages.items():
            page.setVisible(name == kind)
        self.noise_row.setVisible(kind_named(kind).has_noise)

    def _choice_picked(self, index: int) -> None:
        kind = KINDS[index]
        self._show_page(kind)
        if kind != self.controller.scene.kind:
            self.pages[kind].apply()

    # ------------------------------------------------------------------ hooks
    def scene_changed(self) -> None:
        scene = self.controller.scene
        kind = scene.kind
        self.choice.blockSignals(True)
        self.choice.setCurrentIndex(KINDS.index(kind))
        self.choice.blockSignals(False)
        self._show_page(kind)
        self.pages[kind].sync()
        if kind != "surface":  # the Surface page keeps showing the scene's surface
            self.surface_combo.setCurrentIndex(self.surface_combo.findData(scene.surface))
        self.noise.blockSignals(True)
        self.noise.setValue(scene.noise)
        self.noise.blockSignals(False)

    def start_changed(self) -> None:
        for page in self.pages.values():
            if hasattr(page, "start_moved"):  # a page showing the start (the Formula page)
                page.start_moved()

    def _noise_changed(self) -> None:
        self.controller.set_noise(self.noise.value())
