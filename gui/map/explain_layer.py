"""The step explained on the map (key E): arrows, the effective-learning-rate ellipse, a legend
and, step by step, a caption — drawn from ``engine.maps.explain.overlay``'s numbers.

``ExplainState`` (one per controller) holds what is asked for: the overlay on or off, the
step-by-step walk and its current line. ``ExplainLayer`` (one per map) owns the plot items,
created once and fed with ``setData``; it draws the selected run's walk that the worker's
snapshots carry (``Snapshot.walk``) and nothing else.
"""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal

from descentlab.engine.maps import explain as ex
from descentlab.engine.maps.planes import SlicePlane

from ..support.i18n import fill, shown, translate
from .strokes import Stroke, Strokes

_HAT = re.compile("(.\u0302)")


def with_hats(text: str) -> str:
    """Rich text with m̂, v̂ … drawn in a font that places the combining hat (DejaVu Sans,
    Qt's default here, puts it beside the letter, or on the line above)."""
    return _HAT.sub(lambda m: f"<span style=\"font-family:'DejaVu Serif'\">{m.group(1)}</span>",
                    text)


def _dark(colour: str) -> bool:
    """True for a run colour close to the black of the gradient arrow."""
    c = colour.lstrip("#")
    if len(c) != 6:
        return False
    r, g, b = (int(c[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.3



def selected_run(map_view, snap, entries=None, selected: int | None = None):
    """(entry, run snapshot, uid) of the selected run — the controller's unless ``entries``
    and ``selected`` are given (a clip's or the timeline's); entry or run None if not shown."""
    c = map_view.controller if entries is None else None
    entries = c.entries if entries is None else entries
    selected = c.selected_uid if selected is None else selected
    entry = next((e for e in entries if e.uid == selected), None)
    run = next((r for r in snap.runs if r.uid == selected), None)
    return entry, run, selected

def arrow_points(start, end, sx: float, sy: float, head: float) -> tuple[np.ndarray, np.ndarray]:
    """A segment from ``start`` to ``end`` (map units) with a head of ``head`` pixels (sx, sy:
    pixels per map unit): NaN-separated points for one line item."""
    xs, ys = [start[0], end[0]], [start[1], end[1]]
    d = np.array([(end[0] - start[0]) * sx, (end[1] - start[1]) * sy])
    n = float(np.hypot(*d))
    if n > 1.0:
        u = d / n
        size = min(head, 0.6 * n)
        for turn in (0.45, -0.45):
            c, s = math.cos(math.pi - turn), math.sin(math.pi - turn)
            w = np.array([c * u[0] - s * u[1], s * u[0] + c * u[1]]) * size
            xs += [np.nan, end[0], end[0] + w[0] / sx]
            ys += [np.nan, end[1], end[1] + w[1] / sy]
    return np.array(xs, float), np.array(ys, float)


class ExplainState(QObject):
    """Overlay on/off, step by step on/off and the current line of the walk."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.on = False
        self.step_by_step = False
        self.line = 0  # the walk's line shown last (step by step)
        self.walk = None  # the newest walk drawn (engine.maps.explain.Walk), for the equations panel

    def set_on(self, on: bool) -> None:
        on = bool(on)
        if on != self.on:
            self.on = on
            if not on:
                self.step_by_step = False
            self.changed.emit()

    def set_step_by_step(self, on: bool) -> None:
        on = bool(on)
        if on and not self.on:
            self.on = True
        if on != self.step_by_step or on:
            self.step_by_step = on
            self.line = 0
            self.changed.emit()

    @property
    def n_lines(self) -> int:
        return len(self.walk.lines) if self.walk is not None else 0

    def take_step(self) -> bool:
        """→ in step-by-step mode: the next line (True), or, after the last, False — the run
        then takes its step and the walk of the next one begins at its first line."""
        if not (self.on and self.step_by_step):
            return False
        if self.line + 1 < self.n_lines:
            self.line += 1
            self.changed.emit()
            return True
        self.line = 0
        return False

    def set_walk(self, walk) -> None:
        self.walk = walk
        if self.line >= max(self.n_lines, 1):
            self.line = 0

    @property
    def current_line(self):
        if not (self.step_by_step and self.walk is not None and self.walk.lines):
            return None
        return self.walk.lines[min(self.line, len(self.walk.lines) - 1)]


class ExplainLayer:
    """The overlay's plot items on one MapView."""

    STYLE = {  # kind → (dark outline?, width factor, dash)
        "grad": ("#111111", 1.0, Qt.PenStyle.SolidLine),
        "momentum": (None, 1.6, Qt.PenStyle.DashLine),
        "step": (None, 2.6, Qt.PenStyle.SolidLine),
    }

    def __init__(self, map_frame, state: ExplainState):
        self.map = map_frame
        self.state = state
        self.presentation = False
        # Arrows, halos and the ellipse: one item paints them (gui/map/strokes.py), over the
        # paths, the start ring and the run markers.
        self.strokes = Strokes(map_frame.vb)
        self.strokes.setZValue(25)
        map_frame.addItem(self.strokes, ignoreBounds=True)
        self.arrows: dict[str, Stroke] = {}
        self.halos: dict[str, Stroke] = {}  # a white edge: seen on paths and colours
        self.box = self.strokes.stroke(0)
        for z, kind in enumerate(("step", "momentum", "grad")):  # the thinnest on top
            for store, z0 in ((self.halos, 1), (self.arrows, 5)):  # every halo below every arrow
                store[kind] = self.strokes.stroke(z0 + z)
        self.legend = pg.TextItem(anchor=(1, 0), fill=pg.mkBrush(255, 255, 255, 225),
                                  border=pg.mkPen("#888"))
        self.legend.setZValue(45)
        map_frame.addItem(self.legend, ignoreBounds=True)
        self.caption = pg.TextItem(anchor=(0, 1), fill=pg.mkBrush(255, 255, 240, 240),
                                   border=pg.mkPen("#444", width=2))
        self.caption.setZValue(46)
        map_frame.addItem(self.caption, ignoreBounds=True)
        for text in (self.legend, self.caption):  # rich text is dear to paint: paint it once
            text.textItem.setCacheMode(pg.QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._html = {}  # item → the rich text it shows (setHtml only when it changes)
        self._pens = {}  # item → the pen key it has (setPen only when it changes)
        self.last = None  # the newest snapshot drawn
        self.overlay: ex.Overlay | None = None
        self.hide()

    # ------------------------------------------------------------------ drawing
    def items(self) -> list:
        return [*self.arrows.values(), *self.halos.values(), self.box, self.legend, self.caption]

    def hide(self) -> None:
        for item in self.items():
            item.hide()

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        self.redraw()

    def forget(self) -> None:
        """A new problem: the snapshot kept for redrawing belongs to the old one."""
        self.last = None
        self.overlay = None
        self.hide()

    def redraw(self) -> None:
        if self.last is not None:
            self.draw(self.last)
        elif not self.state.on:
            self.hide()

    def draw(self, snap, entries=None, selected: int | None = None) -> None:
        self.last = snap
        state = self.state
        if not state.on:
            self.overlay = None
            self.hide()
            return
        entry, run, selected = selected_run(self.map, snap, entries, selected)
        if entry is None or run is None:
            return self._say(translate("ExplainLayer", "select a run to see its step explained"))
        if getattr(snap, "walk_uid", -1) != selected:
            for item in (*self.arrows.values(), *self.halos.values(), self.box, self.caption):
                item.hide()  # another run's arrows: the worker's next snapshot brings these
            return
        walk = snap.walk
        state.set_walk(walk)
        view = self.map.map_frame
        if walk is None:
            name = entry.label
            if run.diverged_at is not None:
                return self._say(fill(translate("ExplainLayer", "%1 diverged at step %2: nothing to explain"),
                                      name, run.diverged_at))
            return self._say(fill(translate("ExplainLayer", "%1 diverged: nothing to explain"), name))
        (x0, x1), (y0, y1) = self.map.visible_region()
        projected = view is not None and isinstance(view.plane, SlicePlane)
        to_map = view.to_map if view is not None else (lambda p: p)
        upto = state.line if state.step_by_step else None
        o = ex.overlay(walk, to_map, min(x1 - x0, y1 - y0), upto=upto, projected=projected)
        self.overlay = o
        if not o.ok:
            return self._say(shown(o.message))
        self._draw_arrows(o, entry.colour)
        self._draw_box(o, entry.colour)
        self._draw_legend(o, entry, run)
        if o.caption:
            self._show_caption(shown(o.caption))
        else:
            self.caption.hide()

    def _px(self) -> tuple[float, float]:
        sx, sy = self.map.pixel_scale()
        return max(sx, 1e-300), max(sy, 1e-300)

    def _width(self, factor: float) -> float:
        return factor * (3.0 if self.presentation else 2.0)

    def _draw_arrows(self, o: ex.Overlay, colour: str) -> None:
        sx, sy = self._px()
        head = 22.0 if self.presentation else 13.0  # pixels
        shown = set()
        for a in o.arrows:
            item = self.arrows[a.kind]
            dark, factor, dash = self.STYLE[a.kind]
            xs, ys = arrow_points(a.start, a.end, sx, sy, head)
            halo = self.halos[a.kind]
            for it in (halo, item):
                it.setData(xs, ys)
                it.show()
            if dark is not None and _dark(colour):
                dark = "#8c8c8c"  # a dark run colour: the gradient arrow in grey, told apart
            self._pen(item, dark or colour, self._width(factor), dash)
            self._pen(halo, "#ffffff", self._width(factor) + (4.0 if self.presentation else 3.0),
                      Qt.PenStyle.SolidLine)
            shown.add(a.kind)
        for kind, item in self.arrows.items():
            if kind not in shown:
                item.hide()
                self.halos[kind].hide()

    def _draw_box(self, o: ex.Overlay, colour: str) -> None:
        if o.box is None:
            self.box.hide()
            return
        (cx, cy), (hx, hy) = o.box
        t = np.linspace(0.0, 2.0 * np.pi, 73)
        self.box.setData(cx + hx * np.cos(t), cy + hy * np.sin(t))
        self._pen(self.box, colour, self._width(1.0), Qt.PenStyle.DotLine)
        self.box.show()

    def _pen(self, item, colour: str, width: float, style) -> None:
        key = (colour, width, style)
        if self._pens.get(item) != key:
            pen = pg.mkPen(colour, width=width, style=style)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            item.setPen(pen)
            self._pens[item] = key

    def _set_html(self, item, text: str) -> None:
        if self._html.get(item) != text:
            item.setHtml(text)
            self._html[item] = text

    def _legend_html(self, o: ex.Overlay, entry, run) -> str:
        size = "15pt" if self.presentation else "9pt"
        grad = "#8c8c8c" if _dark(entry.colour) else "#111111"
        glyph = {"grad": (grad, "──"), "momentum": (entry.colour, "╌╌"),
                 "step": (entry.colour, "━━"), "box": (entry.colour, "◌")}
        name = f"<b style='color:{entry.colour}'>{html.escape(entry.label)}</b>"
        rows = [fill(translate("ExplainLayer", "%1 — its next step, explained"), name)]
        for kind, text in o.legend:
            if kind == "scale":
                rows.append(f"<i>{html.escape(shown(text))}</i>")
                continue
            c, g = glyph.get(kind, ("#333", "·"))
            rows.append(f"<span style='color:{c}; font-weight:bold'>{g}</span> "
                        f"{html.escape(shown(text))}")
        if o.message:
            rows.append(f"<i>{html.escape(shown(o.message))}</i>")
        return with_hats(f"<div style='font-size:{size}; color:#222'>" + "<br>".join(rows)
                         + "</div>")

    def _draw_legend(self, o: ex.Overlay, entry, run) -> None:
        self._set_html(self.legend, self._legend_html(o, entry, run))
        self._place_legend()

    def _place_legend(self) -> None:
        """Top right, under the map's run legend when that is shown (it has the corner)."""
        (x0, x1), (y0, y1) = self.map.visible_region()
        runs = self.map.legend
        if runs.isVisible():
            _, sy = self.map.pixel_scale()
            y1 -= (runs.boundingRect().height() + 16) / max(sy, 1e-300)
        self.legend.setPos(x1, y1)
        self.legend.show()

    def _show_caption(self, text: str) -> None:
        size = 22 if self.presentation else 13
        self._set_html(self.caption, with_hats(
            f"<div style='font-size:{size}pt; font-weight:bold; color:#111'>"
            f"&nbsp;{html.escape(text)}&nbsp;</div>"))
        (x0, x1), (y0, y1) = self.map.visible_region()
        self.caption.setPos(x0, y0)
        self.caption.show()

    def _say(self, text: str) -> None:
        """Nothing to draw: say why, in the legend's place."""
        self.overlay = None
        for item in (*self.arrows.values(), *self.halos.values(), self.box, self.caption):
            item.hide()
        size = "15pt" if self.presentation else "9pt"
        self._set_html(self.legend, f"<div style='font-size:{size}; color:#222'><i>"
                                    f"{html.escape(text)}</i></div>")
        self._place_legend()
