"""The data panel (dataset problems only): the points and what the runs have learnt.

2-D classification: one small data view per visible run — its colour and name, its train and
test accuracy, its decision regions — side by side, so the boundaries can be compared at a
glance. 1-D data: one plot, every visible run's curve over the same points (the selected
run's drawn widest, with its scores in the title). Other data (2-D regression): the selected
run's fit. A seed fan (engine.race.fans) shows its repeat 0: a real model, not a median of
parameters.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from ..plots.data_plot import DataView
from ..support.i18n import QT_TRANSLATE_NOOP, bind
from .base import Panel

BIG_ABOVE = 2  # models of more parameters show the data view as the big picture by default

SMALL_MIN = (120, 100)  # a run's own small view: its minimum size


def shown_theta(run):
    """The parameters a run's fit is drawn with: a seed fan's repeat 0."""
    return run.position if run.fan is None else run.fan.positions[0]


class RunDataView(DataView):
    """One run's small data view: smaller points, so its regions show between them."""

    def set_presentation(self, on: bool) -> None:
        super().set_presentation(on)
        self._point_size = 7 if on else 5
        if self.problem is not None and self._mode != "none":
            self._draw_points()

    def retranslate(self) -> None:
        super().retranslate()
        for axis in ("left", "bottom"):
            self.plotItem.hideAxis(axis)


class DataPanel(QWidget, Panel):
    # View → Data view in the centre toggled: the map's place (True) or back (gui.centre_swap.DataSwap)
    place_wanted = Signal(bool)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.big = False  # in the map's place (DataSwap says so through big_changed)
        self.big_action = QAction(self, checkable=True, shortcut=QKeySequence(Qt.Key.Key_D),
                                  objectName="data_big")
        bind(self.big_action.setText, QT_TRANSLATE_NOOP("DataPanel", "&Data view in the centre (datasets)"))
        self.big_action.setEnabled(False)
        self.big_action.toggled.connect(self.place_wanted)
        self.main = DataView()  # the selected run's fit (1-D data: every run's curve)
        self.grid = QWidget()  # 2-D classification: one small view per visible run
        self._grid_layout = QGridLayout(self.grid)
        self._grid_layout.setContentsMargins(0, 0, 0, 0)
        self._grid_layout.setSpacing(2)
        self.small: dict[int, DataView] = {}
        self._presentation = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.main)
        layout.addWidget(self.grid)
        self.grid.hide()
        self.setMinimumSize(self.main.minimumSize())

    # ---------------------------------------------------------- what tests and the window read
    @property
    def per_run(self) -> bool:
        """Whether each run has its own small view (2-D classification)."""
        return self.main._mode == "classification2d"

    def current(self) -> DataView:
        """The view that shows the selected run."""
        if self.per_run and self.small:
            return self.small.get(self.controller.selected_uid, next(iter(self.small.values())))
        return self.main

    def title_text(self) -> str:
        return self.current().title_text()

    def legend_names(self) -> list[str]:
        return self.current().legend_names()

    @property
    def plotItem(self):  # noqa: N802 — pyqtgraph's name
        return self.current().plotItem

    # ------------------------------------------------------------------------- hooks
    def shown_for(self, look) -> bool:
        return look is not None and look.data_view

    def share(self, look) -> float:
        return 0.36

    def menu_actions(self) -> list[QAction]:
        return [self.big_action]

    def big_changed(self, on: bool) -> None:
        self.big = on
        if self.big_action.isChecked() != on:
            self.big_action.blockSignals(True)
            self.big_action.setChecked(on)
            self.big_action.blockSignals(False)

    def scene_changed(self) -> None:
        c = self.controller
        problem = c.race.problem if c.look.data_view else None
        # The big picture: the data for a model whose map is a slice; the map otherwise.
        self.big_action.setEnabled(problem is not None)
        self.big_action.setChecked(problem is not None and problem.n_params > BIG_ABOVE)
        self.main.set_problem(problem)
        for view in self.small.values():
            self._small_problem(view, problem)
        self._arrange()

    @staticmethod
    def _small_problem(view: DataView, problem) -> None:
        """A small view shows the data's box exactly (no aspect lock: its field covers what is
        seen at any size, before its first layout too) and no axes (the title says it all)."""
        view.set_problem(problem)
        view.vb.setAspectLocked(False)
        for axis in ("left", "bottom"):  # (setting a label shows an axis again)
            view.plotItem.hideAxis(axis)
        if problem is not None and view._mode != "none":
            view._set_range()

    def runs_changed(self) -> None:
        self._arrange()

    def _arrange(self) -> None:
        """One small view per visible run (2-D classification), made once per run."""
        c = self.controller
        uids = [e.uid for e in c.entries if e.config.enabled] if self.per_run else []
        for uid in list(self.small):
            if uid not in uids:
                view = self.small.pop(uid)
                self._grid_layout.removeWidget(view)
                view.deleteLater()
        for uid in uids:
            if uid not in self.small:
                view = RunDataView()
                view.setMinimumSize(*SMALL_MIN)
                view.set_presentation(self._presentation)
                self._small_problem(view, self.main.problem)
                self.small[uid] = view
        cols = 1 if len(uids) <= 1 else 2 if len(uids) <= 4 else 3
        for i, uid in enumerate(uids):
            self._grid_layout.addWidget(self.small[uid], i // cols, i % cols)
        self.main.setVisible(not uids)
        self.grid.setVisible(bool(uids))

    def set_presentation(self, on: bool) -> None:
        self._presentation = on
        for view in (self.main, *self.small.values()):
            view.set_presentation(on)

    def retranslate(self) -> None:
        for view in (self.main, *self.small.values()):
            view.retranslate()

    def selection_changed(self, snapshot) -> None:
        if snapshot is not None:
            self.refresh_table(snapshot)

    def refresh_table(self, snapshot) -> None:
        """The fits follow the runs (5 times a second, like the table)."""
        if not self.isVisible():
            return
        c = self.controller
        runs = {r.uid: r for r in snapshot.runs}
        if self.small:
            for uid, view in self.small.items():
                run = runs.get(uid)
                if run is None:
                    view.clear_fit()
                    continue
                e = c.entry(uid)
                view.show_fit(shown_theta(run), e.colour, e.label)
            return
        run = runs.get(c.selected_uid)
        if run is None:
            self.main.clear_fit()
            self.main.set_other_fits([])
            return
        e = c.entry(run.uid)
        fan = run.fan is not None
        self.main.show_fit(shown_theta(run), e.colour, e.label,
                           loss=None if fan else run.loss,
                           test_loss=None if fan else run.test_loss)
        others = [(shown_theta(runs[o.uid]), o.colour) for o in c.entries
                  if o.config.enabled and o.uid != run.uid and o.uid in runs]
        self.main.set_other_fits(others)
