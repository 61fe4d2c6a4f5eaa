"""The centre column's turns: the 3-D view (key 3) takes the map's place and gives it back;
the data view (key D, :class:`DataSwap`) and the map trade places.

Neither panel knows the other; the window wires them here. Switching the 3-D view on shows
the region the map showed and folds the map away; switching it off gives the map back its
place and that region (unless a new scene has set the map's region since).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QSplitter, QWidget

from .columns import at_least


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


SMALL_MAP_HEIGHT = 0.2  # the small map's least height: this share of the window's height


class DataSwap:
    """The data view as the big picture (View → Data view in the centre, key D): the data panel
    takes the map's place in the centre column and the map takes the data panel's on the right;
    asked again, each goes back. The data panel asks with ``place_wanted`` (by default for models
    of more than 2 parameters, whose map is only a slice); the 3-D view, which takes the map's
    place, first puts the map back."""

    def __init__(self, map_panel, data_panel, view3d=None):
        self.map = map_panel
        self.data = data_panel
        self.big = False
        self._map_minimum = map_panel.minimumSize()
        self._window = None  # the window whose height sets the small map's least height
        self._filter = _ResizeWatch(self)
        data_panel.place_wanted.connect(self.set_big)
        if view3d is not None:  # connected before CentreSwap's: the map is back in the centre first
            view3d.place_wanted.connect(lambda on: self.set_big(False) if on else None)

    def _small_minimum(self) -> None:
        window = self.map.window()
        if window is not self._window and window is not None:  # follow its resizes from now on
            self._window = window
            window.installEventFilter(self._filter)
        self.map.setMinimumSize(0, int(SMALL_MAP_HEIGHT * (window.height() if window else 720)))

    def set_big(self, on: bool) -> None:
        on = bool(on)
        if on == self.big:
            return
        centre_widget, right_widget = (self.data, self.map) if self.big else (self.map, self.data)
        centre, right = centre_widget.parentWidget(), right_widget.parentWidget()
        if not isinstance(centre, QSplitter) or not isinstance(right, QSplitter) or centre is right:
            return
        i, j = centre.indexOf(centre_widget), right.indexOf(right_widget)
        centre_sizes, right_sizes = centre.sizes(), right.sizes()
        if on:  # small on the right, but a picture still: the loss panel under it gives room
            self._small_minimum()
        hidden = {widget: widget.isHidden() for widget in (centre_widget, right_widget)}
        holder = QWidget()
        centre.replaceWidget(i, holder)
        right.replaceWidget(j, centre_widget)
        centre.replaceWidget(i, right_widget)
        holder.deleteLater()
        for widget, was_hidden in hidden.items():  # as they were: the columns show and share them
            widget.setVisible(not was_hidden)
        if not on:
            self.map.setMinimumSize(self._map_minimum)
        centre.setSizes(centre_sizes)
        right.setSizes(right_sizes)
        if on:  # the data panel's room was its share; the map needs at least its least height
            at_least(right, self.map, self.map.minimumHeight())
        self.big = on
        if hasattr(self.map, "set_small"):
            self.map.set_small(on)
        self.data.big_changed(on)


class _ResizeWatch(QObject):
    """The window resized (presentation mode, full screen): the small map's least height follows."""

    def __init__(self, swap: DataSwap):
        super().__init__()
        self.swap = swap

    def eventFilter(self, watched, event):  # noqa: N802 — Qt's name
        if event.type() == QEvent.Type.Resize and self.swap.big:
            self.swap._small_minimum()
        return False
