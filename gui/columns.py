"""The window's three columns (left, centre, right) and how they share its width."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

LEFT, CENTRE, RIGHT = "left", "centre", "right"


@dataclass(frozen=True)
class Column:
    width: int  # pixels at the window's default size (1280 wide)
    share: float  # of the width after switching presentation mode off…
    presentation_share: float  # …and on (large type needs wider side panels)
    stretch: int = 0
    min_width: int | None = None
    max_width: int | None = None


COLUMNS = {
    LEFT: Column(285, 0.22, 0.22, min_width=260, max_width=460),
    CENTRE: Column(655, 0.51, 0.48, stretch=1),
    RIGHT: Column(340, 0.27, 0.30),
}


class _ColumnWidget(QWidget):
    """A column at least ``floor`` wide, and never narrower than what its panels need
    (an explicit minimum width would let the splitter squeeze them: cut buttons)."""

    def __init__(self, parent, floor: int):
        super().__init__(parent)
        self._floor = floor

    def minimumSizeHint(self) -> QSize:  # noqa: N802 — Qt's name
        hint = super().minimumSizeHint()
        return QSize(max(self._floor, hint.width()), hint.height())


class Columns(QSplitter):
    """Left: panels stacked (one may stretch). Centre: the map. Right: a vertical splitter."""

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        left = _ColumnWidget(self, COLUMNS[LEFT].min_width)
        self._left = QVBoxLayout(left)
        self._left.setContentsMargins(0, 0, 0, 0)
        self._centre = QSplitter(Qt.Orientation.Vertical, self)
        self.right = QSplitter(Qt.Orientation.Vertical, self)
        self._columns = {LEFT: left, CENTRE: self._centre, RIGHT: self.right}
        for index, (key, widget) in enumerate(self._columns.items()):
            spec = COLUMNS[key]
            if spec.min_width is not None and widget is not left:
                widget.setMinimumWidth(spec.min_width)
            if spec.max_width is not None:
                widget.setMaximumWidth(spec.max_width)
            self.setStretchFactor(index, spec.stretch)
        self.setSizes([COLUMNS[key].width for key in self._columns])
        self._panels: dict[str, list] = {key: [] for key in self._columns}

    def add(self, panel, column: str, stretch: int = 0) -> None:
        self._panels[column].append(panel)
        if hasattr(panel, "needs_height"):  # a panel asking for room (the leaderboard's rows)
            panel.needs_height.connect(lambda height, p=panel: self._give_room(p, height))
        if column == LEFT:
            self._left.addWidget(panel, stretch)
        else:
            self._columns[column].addWidget(panel)

    def show_for(self, look) -> None:
        """Show the panels a problem wants; re-share a column whose set of panels changed."""
        for key, panels in self._panels.items():
            changed = False
            for panel in panels:
                wanted = panel.shown_for(look)
                if wanted == panel.isHidden():
                    panel.setVisible(wanted)
                    changed = True
            if changed and key != LEFT:
                self._share(self._columns[key], panels, look)

    def start(self, look) -> None:
        """First layout, before any scene: hidden panels get no height."""
        for key, panels in self._panels.items():
            for panel in panels:
                panel.setVisible(panel.shown_for(look))
            if key != LEFT and len(panels) > 1:
                self._columns[key].setSizes([panel.initial_height if panel.shown_for(look) else 0
                                             for panel in panels])

    @staticmethod
    def _give_room(panel, height: int) -> None:
        splitter = panel.parentWidget()
        if isinstance(splitter, QSplitter):
            at_least(splitter, panel, height)

    @staticmethod
    def _share(splitter: QSplitter, panels, look) -> None:
        total = sum(splitter.sizes())
        splitter.setSizes([int(total * (panel.share(look) if panel.shown_for(look) else 0.0))
                           for panel in panels])

    def set_presentation(self, on: bool) -> None:
        total = sum(self.sizes())
        self.setSizes([int(total * (COLUMNS[key].presentation_share if on else COLUMNS[key].share))
                       for key in self._columns])


def at_least(splitter: QSplitter, widget, height: int) -> None:
    """``widget`` at least ``height`` tall in the vertical ``splitter`` (a share, not a minimum:
    the window's least size stays): the others give the difference, the one with the most room
    above its own least height first."""
    sizes = splitter.sizes()
    i = splitter.indexOf(widget)
    short = height - sizes[i] if i >= 0 else 0
    if short <= 0 or sum(sizes) <= 0:
        return

    def room(k: int) -> int:
        other = splitter.widget(k)
        least = max(other.minimumHeight(), other.minimumSizeHint().height())
        return max(0, sizes[k] - least) if sizes[k] > 0 else 0

    for k in sorted((k for k in range(len(sizes)) if k != i), key=room, reverse=True):
        given = min(short, room(k))
        sizes[k] -= given
        sizes[i] += given
        short -= given
        if short <= 0:
            break
    splitter.setSizes(sizes)
