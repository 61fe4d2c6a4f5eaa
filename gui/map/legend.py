"""The map's legend: each run's colour and marker beside its label, in the map's corner.

In full screen the run cards are off to the side of a lecture hall's view; the legend
says which path is which on the map itself. Rebuilt when the runs change (rarely), never
per frame.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFont


class MapLegend(pg.LegendItem):
    def __init__(self, viewbox):
        super().__init__(offset=(-10, 10), brush=pg.mkBrush(255, 255, 255, 215),
                         pen=pg.mkPen("#888"), labelTextColor="#111")
        self.setParentItem(viewbox)
        self.setZValue(50)
        self._large = False
        self._entries: list = []
        self.hide()

    def set_runs(self, entries) -> None:
        self._entries = [e for e in entries if e.config.enabled]
        self._rebuild()

    def set_large(self, on: bool) -> None:
        self._large = on
        self._rebuild()

    @property
    def labels(self) -> list[str]:
        return [label.text for _, label in self.items]

    def _rebuild(self) -> None:
        self.clear()
        # Large type for the back row, but never more than a map of 720 lines can hold.
        height = self.parentItem().sceneBoundingRect().height() if self.parentItem() else 800.0
        points = min(16.0, max(10.0, height / 40.0)) if self._large else 10.0
        size = f"{points:.0f}pt"
        width = 4 if self._large else 2
        marker = 16 if self._large else 10
        for e in self._entries:
            sample = pg.PlotDataItem(pen=pg.mkPen(e.colour, width=width), symbol=e.symbol,
                                     symbolBrush=e.colour, symbolPen="#111", symbolSize=marker)
            self.addItem(sample, e.label)
        for _, label in self.items:
            label.setText(label.text, size=size)
            font = QFont(label.item.font())
            font.setBold(True)
            label.item.setFont(font)
