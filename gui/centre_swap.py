"""The centre column's turns: the 3-D view (key 3) takes the map's place and gives it back.

Neither panel knows the other; the window wires them here. Switching the 3-D view on shows
the region the map showed and folds the map away; switching it off gives the map back its
place and that region (unless a new scene has set the map's region since).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QSplitter


class CentreSwap:
    def __init__(self, map_panel, view3d):
        self.map = map_panel
        self.view3d = view3d
        self._map_minimum = 0
        view3d.place_wanted.connect(self.show_3d)

    def show_3d(self, on: bool) -> None:
        """The 3-D view in the map's place (``on``), or the map back in its own."""
        map_panel, view3d = self.map, self.view3d
        if bool(on) == view3d.active:
            return
        splitter = view3d.parentWidget()
        if on:
            if not view3d.set_active(True, map_panel.visible_region()):
                return  # no OpenGL: the panel said why
            self._map_minimum = map_panel.minimumHeight()
            map_panel.setMinimumHeight(0)  # so the splitter can fold it away
            if isinstance(splitter, QSplitter):
                _give_place(splitter, map_panel, view3d)
            view3d.view.setFocus()
            return
        region = view3d.map_region
        view3d.set_active(False)
        map_panel.setMinimumHeight(self._map_minimum)
        if isinstance(splitter, QSplitter):
            _give_place(splitter, view3d, map_panel)
        if region is not None:  # folded away, the map's aspect lock changed its range: back
            (x0, x1), (y0, y1) = region
            map_panel.vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
            QTimer.singleShot(0, lambda: map_panel.vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0))


def _give_place(splitter: QSplitter, old, new) -> None:
    """``new`` takes ``old``'s height and its own in ``splitter``; the others (the timeline
    bar under them) keep theirs."""
    widgets = [splitter.widget(i) for i in range(splitter.count())]
    sizes = splitter.sizes()
    # (sum of all minus the others': a widget just hidden reports 0 but its room is there)
    others = sum(size for w, size in zip(widgets, sizes, strict=True) if w is not old and w is not new)
    pair = max(0, (splitter.height() if splitter.orientation() == Qt.Orientation.Vertical
                   else splitter.width()) - others - splitter.handleWidth() * (len(widgets) - 1))
    splitter.setSizes([pair if w is new else 0 if w is old else size
                       for w, size in zip(widgets, sizes, strict=True)])
