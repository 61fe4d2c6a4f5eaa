"""The panels of the main window and where each one sits: the one registry.

Adding a panel is one new file here (a widget with the hooks of :class:`Panel`, its menu
entries and keys included) and one line in :data:`PANELS`. The window builds them in this
order, top to bottom per column.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..columns import CENTRE, LEFT, RIGHT
from .base import Panel
from .data import DataPanel
from .equations import EquationsPanel
from .hyper_map import HyperMapPanel
from .leaderboard import Leaderboard
from .loss import LossPanel
from .map import MapPanel
from .problem import ProblemPanel
from .runs import RunsPanel
from .timeline_bar import TimelineBar
from .view3d import View3DPanel


@dataclass(frozen=True)
class Place:
    name: str  # the panel's attribute on MainWindow.panels
    panel: type[Panel]  # built as panel(controller, parent)
    column: str  # LEFT, CENTRE or RIGHT
    stretch: int = 0  # left column: who takes the spare height


PANELS: tuple[Place, ...] = (
    Place("problem", ProblemPanel, LEFT),
    Place("runs", RunsPanel, LEFT, stretch=1),
    Place("map", MapPanel, CENTRE),
    Place("view3d", View3DPanel, CENTRE),  # hidden until View → 3-D view (key 3)
    Place("timeline", TimelineBar, CENTRE),  # under the map (or the 3-D view)
    Place("data", DataPanel, RIGHT),
    Place("loss", LossPanel, RIGHT),
    Place("hyper", HyperMapPanel, RIGHT),
    Place("board", Leaderboard, RIGHT),
    Place("equations", EquationsPanel, RIGHT),
)


class Panels:
    """The built panels: iterable in registry order, and each one by name (``panels.map``)."""

    def __init__(self):
        self._by_name: dict[str, Panel] = {}

    def add(self, name: str, panel: Panel) -> None:
        self._by_name[name] = panel
        setattr(self, name, panel)

    def __iter__(self):
        return iter(self._by_name.values())


__all__ = ["PANELS", "Panel", "Panels", "Place"]
