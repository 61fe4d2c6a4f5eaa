"""The 3-D view (View → 3-D view, key 3): the loss as a relief with the runs' paths on it.

It takes the map's place in the centre column (gui.centre_swap, wired by the window: the
panel asks with ``place_wanted``, and shows the region the map showed). The GL widget
(gui.view3d) is built the first time the view is shown, and only where gui.view3d.gl_check
says OpenGL works; elsewhere the action is disabled and says why.

A costly problem's relief (a dataset model's slice: every grid point is a pass over the
data, up to seconds) is computed on a thread of the panel's own (gui.map.map_thread), so the
window keeps drawing; a surface's takes milliseconds and is computed at once.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from descentlab.engine.maps.relief import compute_relief

from ..map.map_thread import MapThread
from ..support.i18n import QT_TRANSLATE_NOOP, bind, fill, shown, translate
from ..view3d.gl_check import opengl_problem
from .base import Panel

MESH = 100  # grid points a side (a dataset slice's view asks for fewer: it is costly)
COMPUTING = QT_TRANSLATE_NOOP("View3DPanel", "computing the 3-D relief…")
HINT = QT_TRANSLATE_NOOP("View3DPanel", "drag: turn · wheel: zoom · Ctrl+drag: pan · F: reset · 3: map")


class View3DPanel(QWidget, Panel):
    place_wanted = Signal(bool)  # View → 3-D view toggled: the map's place (True) or back (False)
    notice = Signal(str, float)  # for the status line: text, seconds

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.active = False
        self.view = None  # gui.view3d.ReliefView, built when first shown
        self.relief = None
        self._stale = True  # the relief is for another problem (or none yet)
        self._log: bool | None = None  # None: chosen per problem (engine.maps.relief.prefers_log)
        self.map_region = None  # the region the map showed when this view took its place
        self._last_snapshot = None  # the newest drawn (this scene's)
        self._presentation = False
        self.thread: MapThread | None = None  # costly reliefs; started with the GL view
        self._relief_serial = 0
        controller.plane_changed.connect(self._plane_changed)  # a big model's plane, refitted
        self._pending = False  # a relief is being computed on the thread
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 0)
        self.title = QLabel("")
        self.hint = QLabel()
        bind(self.hint.setText, HINT)
        self.hint.setStyleSheet("color: #666")
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the window
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.log_box = QCheckBox()
        bind(self.log_box.setText, QT_TRANSLATE_NOOP("View3DPanel", "log height"))
        bind(self.log_box.setToolTip, QT_TRANSLATE_NOOP("View3DPanel", "heights log₁₀(f − f_min + δ): the valley "
                                                        "floor of a surface like Rosenbrock's becomes visible"))
        self._title = ("", ())  # the title's text and its %1 …: made again after a switch
        self.log_box.toggled.connect(self._log_toggled)
        bar.addWidget(self.title)
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.log_box)
        layout.addLayout(bar)
        self.body = QVBoxLayout()
        layout.addLayout(self.body, 1)
        self.legend = QLabel(self)
        self.legend.setStyleSheet("background: rgba(255,255,255,215); border: 1px solid #888; padding: 4px")
        self.legend.hide()

    def _set_title(self, text, *args) -> None:
        self._title = (text, args)
        self.title.setText(fill(shown(text), *(shown(a) for a in args)))

    def retranslate(self) -> None:
        self._set_title(self._title[0], *self._title[1])
        self._say_why()
        if self.view is not None:
            self._label_frame()

    # ------------------------------------------------------------------ switching
    def shown_for(self, look) -> bool:
        return self.active

    def set_active(self, on: bool, map_region=None) -> bool:
        """Show the 3-D view (of ``map_region``, the map's; None: the scene's or the
        problem's domain) or hide it. The window's gui.centre_swap calls it and moves the
        map; False if it cannot be shown (no OpenGL: the panel says why)."""
        on = bool(on)
        if on == self.active:
            return True
        if on and opengl_problem() is not None:
            self.notice.emit(opengl_problem(), 8)
            return False
        if on:
            self.map_region = map_region
            self._build()
            self.active = True
            self.refresh()
            self.setVisible(True)
        else:
            self.active = False
            self.setVisible(False)
        return True

    def _build(self) -> None:
        if self.view is not None:
            return
        from ..view3d.relief_scene import ReliefView  # pyqtgraph.opengl: only where OpenGL works

        self.view = ReliefView(self)
        self.thread = MapThread(self)
        self.thread.computed.connect(self._relief_computed)
        self.thread.failed.connect(self._relief_failed)
        self.thread.start()
        self.body.addWidget(self.view)
        self.view.set_presentation(self._presentation)
        self.legend.setParent(self.view)

    def threads(self) -> tuple:
        return () if self.thread is None else (self.thread,)

    # ------------------------------------------------------------------ hooks
    def scene_changed(self) -> None:
        self._stale = True
        self._log = None
        self.map_region = None  # a new scene sets the map's region itself
        self._last_snapshot = None  # the previous scene's
        if self.active:
            self.refresh()

    def _plane_changed(self) -> None:
        """The same problem on another plane: its relief, over the new plane's domain."""
        self._stale = True
        self.map_region = None
        if self.active:
            self.refresh()

    def runs_changed(self) -> None:
        if self.view is not None:
            self.view.set_runs(self.controller.entries)
            self._update_legend()

    def start_changed(self) -> None:
        c = self.controller
        if self.view is not None and c.map_frame is not None and c.start_theta is not None:
            x, y = c.map_frame.to_map(np.asarray(c.start_theta)[None, :])[0]
            self.view.set_start(float(x), float(y))

    def draw(self, snapshot) -> None:
        self._last_snapshot = snapshot
        if self._pending:  # the relief shown is another problem's: nothing to put on it yet
            return
        if self.active and self.view is not None and self.controller.map_frame is not None:
            self.view.draw(snapshot, self.controller.entries, self.controller.map_frame)

    def settle(self) -> None:
        """The relief computed right now (pictures, clips), not on the thread."""
        if self.active and (self._stale or self._pending):
            self._stale = True
            self.refresh(now=True)

    def set_presentation(self, on: bool) -> None:
        self._presentation = on
        font = self.font()
        self.hint.setVisible(not on)  # full screen: the hall needs the room, the lecturer knows
        if self.view is not None:
            self.view.set_presentation(on)
            self._label_frame()
        self._update_legend()
        self.title.setFont(font)

    # ------------------------------------------------------------------ relief
    def refresh(self, now: bool = False) -> None:
        """The relief of the current problem (if stale), the runs, the start, the legend.
        A costly relief is handed to the thread unless ``now``; the rest follows it."""
        c = self.controller
        if self.view is None or c.map_frame is None:
            return
        if not c.readiness.fields_ready:
            return  # first launch: the field kernels are still compiling; the next scene_changed comes
        if self._stale:
            self._compute_relief(now=now)
        if self._pending:
            return
        self._show_runs()

    def _show_runs(self) -> None:
        self.runs_changed()
        self.start_changed()
        if self._last_snapshot is not None:
            self.draw(self._last_snapshot)

    def _region(self):
        if self.map_region is not None:
            (x0, x1), (y0, y1) = self.map_region
            return x0, x1, y0, y1
        scene, view = self.controller.scene, self.controller.map_frame
        x0, x1, y0, y1 = view.domain
        if scene is not None and scene.xrange and scene.yrange:
            (x0, x1), (y0, y1) = scene.xrange, scene.yrange
        return x0, x1, y0, y1

    def _compute_relief(self, reuse: bool = False, now: bool = False) -> None:
        view = self.controller.map_frame
        n = min(MESH, view.grid_size)
        loss = self.relief.loss if reuse and self.relief is not None else None
        region = self.relief.region if loss is not None else self._region()
        self._stale = False
        self._relief_serial += 1  # a relief still on its way is for an older request
        self._pending = False
        args = (view.field_function(), region, n)
        kwargs = dict(log=self._log, same_units=view.lock_aspect, loss=loss)
        if loss is not None or now or view.grid_size >= MESH or self.thread is None:
            self._set_relief(compute_relief(*args, **kwargs))
            return
        self._pending = True
        self._set_title(COMPUTING)
        self.thread.submit(self._relief_serial, [lambda cancel: compute_relief(*args, **kwargs)])

    def _relief_computed(self, serial: int, relief) -> None:
        if serial != self._relief_serial or not self._pending:
            return  # for a problem or region since replaced
        self._pending = False
        self._set_relief(relief)
        self._show_runs()

    def _relief_failed(self, traceback: str) -> None:
        self._pending = False
        self._set_title(QT_TRANSLATE_NOOP("View3DPanel", "the 3-D relief could not be computed"))
        self.controller.report_error(translate("View3DPanel", "Could not compute the 3-D relief"), traceback)

    def _set_relief(self, relief) -> None:
        self.relief = relief
        view = self.controller.map_frame
        self.log_box.blockSignals(True)
        self.log_box.setChecked(self.relief.log)
        self.log_box.blockSignals(False)
        if view.title:
            self._set_title(QT_TRANSLATE_NOOP("View3DPanel", "<b>%1</b> in 3-D"), view.title)
        else:
            self._set_title(QT_TRANSLATE_NOOP("View3DPanel", "3-D"))
        self._label_frame()

    def _label_frame(self) -> None:
        view = self.controller.map_frame
        if self.relief is None or view is None:
            return
        z = translate("View3DPanel", "log₁₀ loss") if self.relief.log else translate("View3DPanel", "loss")
        self.view.set_relief(self.relief, view.minima(), shown(view.x_label), shown(view.y_label), z)

    def _log_toggled(self, on: bool) -> None:
        self._log = bool(on)
        if self.view is not None and (self.relief is not None or self._pending):
            self._compute_relief(reuse=not self._pending)  # one still on its way: asked anew
            self.start_changed()
            if self._last_snapshot is not None:
                self.draw(self._last_snapshot)

    def set_log_height(self, on: bool) -> None:
        self.log_box.setChecked(bool(on))

    # ------------------------------------------------------------------ legend
    def _update_legend(self) -> None:
        entries = [e for e in self.controller.entries if e.config.enabled]
        if self.view is None or not entries:
            self.legend.hide()
            return
        # Large type for the back row, but never more than the view's height can hold.
        size = min(15.0, max(9.0, self.view.height() / (2.2 * max(len(entries), 8)))) if self._presentation else 10
        rows = [f'<span style="color:{e.colour}">&#9632;</span> {e.label}'
                for e in entries]
        self.legend.setText(f'<div style="font-size:{size:.0f}pt; color:#111"><b>' + "<br>".join(rows) + "</b></div>")
        self.legend.adjustSize()
        self.legend.move(max(0, self.view.width() - self.legend.width() - 10), 10)
        self.legend.show()
        self.legend.raise_()

    def resizeEvent(self, event):  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        if self.view is not None and self.legend.isVisible():
            self.legend.move(max(0, self.view.width() - self.legend.width() - 10), 10)

    # ------------------------------------------------------------------ menu
    def menu_actions(self) -> list[QAction]:
        """View → 3-D view (key 3) and Log height; disabled, saying why, without OpenGL."""
        action = QAction(self, checkable=True, shortcut=QKeySequence(Qt.Key.Key_3), objectName="view3d")
        problem = opengl_problem()
        if problem is None:
            bind(action.setText, QT_TRANSLATE_NOOP("View3DPanel", "&3-D view"))
        else:
            action.setEnabled(False)
            bind(action.setText, QT_TRANSLATE_NOOP("View3DPanel", "&3-D view (needs OpenGL)"))
            self._gl_action = action
            self._say_why()
            # A disabled action's key does nothing; this one says why (a window's key: this
            # panel is hidden).
            explain = QShortcut(QKeySequence(Qt.Key.Key_3), self.window())
            explain.activated.connect(lambda: self.notice.emit(_sentence(opengl_problem()), 8))
        action.toggled.connect(self.place_wanted)
        log_action = QAction(self, checkable=True, objectName="log_height")
        bind(log_action.setText, QT_TRANSLATE_NOOP("View3DPanel", "Log &height (3-D)"))
        log_action.setEnabled(problem is None)
        log_action.toggled.connect(self.set_log_height)
        self.log_box.toggled.connect(lambda on: log_action.setChecked(on) if log_action.isChecked() != on else None)
        return [action, log_action]

    def _say_why(self) -> None:
        """The disabled 3-D action's tooltip: why there is no OpenGL, in the language shown."""
        action = getattr(self, "_gl_action", None)
        problem = opengl_problem()
        if action is not None and problem is not None:
            action.setToolTip(problem)
            action.setStatusTip(problem)


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def start_in_3d(window) -> str | None:
    """``--view 3d``: switch ``window`` to the 3-D view; the reason if it cannot be shown."""
    problem = opengl_problem()
    if problem is not None:
        window.notify(_sentence(problem), 15)
        return problem
    window.view3d_action.setChecked(True)
    return None


def paint_over(window, image) -> None:
    """Paint the 3-D view's own picture into ``image``, a ``window.grab()``: a widget grab
    renders the GL scene but loses what the view paints with QPainter (markers, labels)."""
    panel = getattr(window.panels, "view3d", None)
    if panel is None or not panel.active or panel.view is None:
        return
    from PySide6.QtGui import QPainter

    picture = panel.view.grabFramebuffer()
    origin = panel.view.mapTo(window, panel.view.rect().topLeft())
    painter = QPainter(image)
    painter.drawImage(origin, picture.scaled(panel.view.size()) if picture.size() != panel.view.size() else picture)
    for child in panel.view.findChildren(QLabel):  # the legend, over the picture
        if child.isVisible():
            painter.drawPixmap(origin + child.pos(), child.grab())
    painter.end()
