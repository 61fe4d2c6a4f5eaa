"""Shared looks of the plot widgets."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication


def set_axis_font(plot) -> None:
    """Give a plot's axes (ticks and labels) the application's font, e.g. presentation size."""
    font = QApplication.font()
    for axis in ("left", "bottom"):
        ax = plot.plotItem.getAxis(axis)
        ax.setStyle(tickFont=QFont(font))
        ax.label.setFont(QFont(font))
