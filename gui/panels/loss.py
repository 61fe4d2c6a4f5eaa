"""The loss panel: every run's loss curve (and test curve), against steps or epochs."""

from __future__ import annotations

from ..loss_view import LossView
from ..plot_style import set_axis_font
from .base import Panel


class LossPanel(LossView, Panel):
    initial_height = 330
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller

    def share(self, look) -> float:
        return 0.27 if look is not None and look.data_view else 0.47

    def scene_changed(self) -> None:
        c = self.controller
        self.set_problem(c.race.problem, c.look.loss_axis)

    def runs_changed(self) -> None:
        self.set_runs(self.controller.entries)

    def draw(self, snapshot) -> None:
        self.update_runs(snapshot, self.controller.entries)

    def set_presentation(self, on: bool) -> None:
        super().set_presentation(on)
        set_axis_font(self)

    def set_per_epoch(self, on: bool) -> None:
        self.per_epoch = on
        if self.controller.race is not None:
            self.scene_changed()
