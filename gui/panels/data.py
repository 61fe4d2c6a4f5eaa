"""The data panel (dataset problems only): the points and the selected run's fit."""

from __future__ import annotations

from ..plots.data_plot import DataView
from .base import Panel


class DataPanel(DataView, Panel):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller

    def shown_for(self, look) -> bool:
        return look is not None and look.data_view

    def share(self, look) -> float:
        return 0.36

    def scene_changed(self) -> None:
        c = self.controller
        self.set_problem(c.race.problem if c.look.data_view else None)


    def selection_changed(self, snapshot) -> None:
        if snapshot is not None:
            self.refresh_table(snapshot)

    def refresh_table(self, snapshot) -> None:
        """The fit follows the selected run (5 times a second, like the table)."""
        if not self.isVisible():
            return
        c = self.controller
        run = next((r for r in snapshot.runs if r.uid == c.selected_uid), None)
        if run is None:
            self.clear_fit()
            return
        e = c.entry(run.uid)
        self.show_fit(run.position, e.colour, e.label, loss=run.loss,
                      test_loss=run.test_loss)
