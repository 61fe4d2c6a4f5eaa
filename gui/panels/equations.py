"""The update rule of the selected run's optimizer, as rich text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from descentlab import engine

from .base import Panel


def format_value(value: float, kind: str) -> str:
    if kind == "bool":
        return "on" if value else "off"
    return f"{value:g}"


def equations_html(optimizer: str, hyper: dict[str, float], label: str, colour: str) -> str:
    spec = engine.get_optimizer(optimizer)
    values = ", ".join(f"{h.name} = {format_value(hyper.get(h.name, h.default), h.kind)}"
                       for h in spec.hyper)
    return (
        f"<div style='font-size:110%'><b style='color:{colour}'>{label}</b> — {spec.name}</div>"
        f"<div style='font-size:125%; margin:6px 0'>{spec.equations_html}</div>"
        f"<div style='color:#555'>g = ∇f(θ) &nbsp;·&nbsp; {values}</div>"
        f"<div style='color:#777; font-size:90%'>{spec.reference}</div>"
    )


class EquationsPanel(QLabel, Panel):
    initial_height = 170
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setMargin(6)
        self.show_nothing()

    def show_nothing(self) -> None:
        self.setText("<i>Add a run to see its update rule.</i>")

    def show_run(self, optimizer: str, hyper: dict[str, float], label: str, colour: str) -> None:
        self.setText(equations_html(optimizer, hyper, label, colour))

    def share(self, look) -> float:
        return 0.15 if look is not None and look.data_view else 0.24

    def runs_changed(self) -> None:
        self.show_selected()

    def selection_changed(self, snapshot) -> None:
        self.show_selected()

    def run_edited(self, uid: int) -> None:
        if uid == self.controller.selected_uid:
            self.show_selected()

    def show_selected(self) -> None:
        c = self.controller
        try:
            e = c.entry(c.selected_uid)
        except ValueError:
            self.show_nothing()
            return
        self.show_run(e.config.optimizer, c.hyper_of(e.uid), e.config.label or "", e.colour)
