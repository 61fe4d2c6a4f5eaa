"""The map panel: the problem's plane with its field, the runs' paths and their start.

It asks for the field of the visible region (on a thread of its own) whenever the region
or the problem changes; clicks and drags on it move the runs' start.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu

from descentlab.engine.maps.fields import FieldRequest, compute_field

from ..map.average_layer import AverageLayer
from ..map.basin_layer import BasinLayer
from ..map.curvature_layer import CurvatureLayer
from ..map.explain_layer import ExplainLayer
from ..map.field_thread import FieldThread
from ..map.map_frames import RandomPlaneFrame
from ..map.map_widget import MapView
from ..map.plane_fit import PlaneFit
from ..plots.style import set_axis_font
from ..support.i18n import QT_TRANSLATE_NOOP, bind, translate
from .base import Panel

FIELD_MARGIN = 0.05  # the field covers a little more than the view: a small pan shows no edge


class MapPanel(MapView, Panel):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self._field_serial = 0
        self._field_waiting = False
        self.fields = FieldThread(self)
        self.fields.computed.connect(self._field_ready)
        self.fields.failed.connect(
            lambda tb: controller.report_error(translate("MapPanel", "Could not draw the surface"), tb))
        self.fields.start()
        controller.readiness.group_ready.connect(self._field_kernels_ready)
        self.start_picked.connect(self._start_picked)
        self.view_region_changed.connect(self.request_field)
        # Blanked (a presenter remote's "."): a dark cover over the whole map.
        self.blank_cover = QLabel(self)
        bind(self.blank_cover.setText, QT_TRANSLATE_NOOP("MapPanel", "blanked — press . to show the map"))
        self.blank_cover.setAlignment(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignRight)
        self.blank_cover.setStyleSheet("background: #111; color: #444; padding: 8px")
        self.blank_cover.hide()
        self.explain = ExplainLayer(self, controller.explain)  # key E: the step explained
        controller.explain.changed.connect(self.explain.redraw)
        self.view_region_changed.connect(self.explain.redraw)  # the arrows' scale follows the view
        self.basins = BasinLayer(self, controller)  # the basin map (View → Basins, key B)
        self.plane_fit = PlaneFit(controller, self)  # a big model's plane follows the paths
        self._last_snapshot = None
        controller.plane_changed.connect(self._plane_changed)
        self.averages = AverageLayer(self)  # ASGD's averaged point ax: a hollow marker, a faint path
        self.curvature = CurvatureLayer(self, controller.curvature)  # key H: the curvature a step feels
        controller.curvature.changed.connect(self.curvature.redraw)
        controller.curvature.refreshed.connect(self.curvature.redraw)
        self.view_region_changed.connect(self.curvature.redraw)  # its size follows the view
        # a lesson's caption never covers a legend
        self.caption.avoid += (self.explain.legend, self.basins.legend, self.curvature.legend)
        self.caption.light += (self.explain.caption,)
        controller.explain.changed.connect(self.caption.recheck)  # after the overlay's redraw
        self.view_region_changed.connect(self.caption.recheck)

    @property
    def blanked(self) -> bool:
        return self.blank_cover.isVisible()

    def set_blank(self, on: bool) -> None:
        self.blank_cover.setGeometry(self.rect())
        self.blank_cover.setVisible(on)
        self.blank_cover.raise_()

    def resizeEvent(self, event):  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        cover = getattr(self, "blank_cover", None)  # (Qt resizes the view while it is built)
        if cover is not None:
            cover.setGeometry(self.rect())

    # ------------------------------------------------------------------ hooks
    def scene_changed(self) -> None:
        scene = self.controller.scene
        self.explain.forget()  # its snapshot is the last problem's: never redrawn on this one
        self._last_snapshot = None
        self.plane_fit.forget()
        self._follow_plane_choice()
        self.curvature.forget()
        self.averages.forget()
        self.controller.curvature.set_on(scene.curvature)  # the scene says whether it is shown
        self.set_problem(self.controller.map_frame, scene.xrange, scene.yrange)
        self.request_field()
        self.basins.request()

    def retranslate(self) -> None:
        self.label_frame()
        self.explain.redraw()
        self.curvature.set_presentation(self.curvature.presentation)  # its texts made again
        self.basins.retranslate()

    def runs_changed(self) -> None:
        self.set_runs(self.controller.entries)
        self.basins.request()

    def run_edited(self, uid: int) -> None:
        if uid == self.controller.selected_uid:
            self.basins.request()

    def start_changed(self) -> None:
        self.plane_fit.forget()  # the paths start again: refit as soon as they move
        self._place_start()

    def _place_start(self) -> None:
        c = self.controller
        x, y = c.map_frame.to_map(c.start_theta[None, :])[0]
        self.set_start(float(x), float(y))

    def draw(self, snapshot) -> None:
        self._last_snapshot = snapshot
        self.update_runs(snapshot, self.controller.entries)
        self.averages.draw(snapshot, self.controller.entries)
        self.explain.draw(snapshot)
        self.plane_fit.follow(snapshot)
        self.curvature.draw(snapshot)
        self.caption.recheck()  # the legends as this frame placed them

    def selection_changed(self, snapshot) -> None:
        self.basins.request()  # the basins are the selected run's
        if snapshot is not None:
            self.explain.draw(snapshot)  # says "…" until a snapshot with the new run's walk
            self.curvature.draw(snapshot)
            self.caption.recheck()

    def set_presentation(self, on: bool) -> None:
        super().set_presentation(on)
        set_axis_font(self)
        self.explain.set_presentation(on)
        self.curvature.set_presentation(on)
        self.averages.set_presentation(on)

    def save_into(self, scene) -> None:
        scene.xrange, scene.yrange = self.visible_region()
        scene.curvature = self.controller.curvature.on

    def menu_actions(self) -> list[QAction]:
        """L the legend, . blank, E explain the step, S step by step, B the basins, H the curvature."""
        legend = QAction(self, checkable=True, shortcut=QKeySequence(Qt.Key.Key_L), objectName="legend")
        bind(legend.setText, QT_TRANSLATE_NOOP("MapPanel", "&Legend on the map"))
        legend.toggled.connect(self.show_legend)
        blank = QAction(self, checkable=True, objectName="blank")
        bind(blank.setText, QT_TRANSLATE_NOOP("MapPanel", "&Blank the map"))
        blank.setShortcut(QKeySequence(Qt.Key.Key_Period))  # B is the basin map
        blank.toggled.connect(self.set_blank)
        explain = self.controller.explain
        explain_action = QAction(self, checkable=True, shortcut=QKeySequence(Qt.Key.Key_E), objectName="explain")
        bind(explain_action.setText, QT_TRANSLATE_NOOP("MapPanel", "&Explain the step"))
        explain_action.toggled.connect(explain.set_on)
        step_by_step = QAction(self, checkable=True, shortcut=QKeySequence(Qt.Key.Key_S),
                               objectName="step_by_step")
        bind(step_by_step.setText, QT_TRANSLATE_NOOP("MapPanel", "&Step by step (→ walks the rule)"))
        step_by_step.toggled.connect(explain.set_step_by_step)

        def follow():  # the state changes from elsewhere too (Space leaves the walk)
            for action, on in ((explain_action, explain.on), (step_by_step, explain.step_by_step)):
                if action.isChecked() != on:
                    action.blockSignals(True)
                    action.setChecked(on)
                    action.blockSignals(False)

        explain.changed.connect(follow)
        basins = QAction(self, checkable=True, shortcut=QKeySequence(Qt.Key.Key_B), objectName="basins")
        bind(basins.setText, QT_TRANSLATE_NOOP("MapPanel", "&Basins of attraction"))
        bind(basins.setToolTip, QT_TRANSLATE_NOOP("MapPanel", "colour every start by the minimum the selected run's "
                                                  "optimizer reaches from there"))
        basins.toggled.connect(lambda on: self.basins.set_on(on))
        curvature = self.controller.curvature
        curvature_action = QAction(self, checkable=True, shortcut=QKeySequence(Qt.Key.Key_H),
                                   objectName="curvature")
        bind(curvature_action.setText, QT_TRANSLATE_NOOP("MapPanel", "&Curvature (what a step feels)"))
        bind(curvature_action.setToolTip, QT_TRANSLATE_NOOP("MapPanel", "at the selected run's point: the "
                                                            "Hessian's eigen-directions, κ, Newton's step "
                                                            "and the stable lr 2/λ_max"))
        curvature_action.toggled.connect(curvature.set_on)

        def follow_curvature():  # a scene can turn it on
            if curvature_action.isChecked() != curvature.on:
                curvature_action.blockSignals(True)
                curvature_action.setChecked(curvature.on)
                curvature_action.blockSignals(False)

        curvature.changed.connect(follow_curvature)
        return [legend, blank, explain_action, step_by_step, basins, curvature_action, self._plane_menu()]

    def _plane_menu(self) -> QAction:
        """View → Map plane (a model with many parameters): fitted to the paths, random,
        random normalised per layer; and a refit now."""
        menu = QMenu(self)
        bind(menu.setTitle, QT_TRANSLATE_NOOP("MapPanel", "Map &plane (models with many parameters)"))
        group = QActionGroup(menu)
        self.plane_actions = {}
        for key, text in (("fitted", QT_TRANSLATE_NOOP("MapPanel", "&Fitted to the paths")),
                          ("random", QT_TRANSLATE_NOOP("MapPanel", "&Random")),
                          ("filter", QT_TRANSLATE_NOOP("MapPanel", "Random, &normalised per layer"))):
            action = QAction(menu, checkable=True, objectName=f"plane_{key}")
            bind(action.setText, text)
            action.setChecked(key == self.controller.plane)
            action.triggered.connect(lambda _=False, k=key: self.controller.set_plane(k))
            group.addAction(action)
            menu.addAction(action)
            self.plane_actions[key] = action
        menu.addSeparator()
        self.refit_action = QAction(menu, objectName="plane_refit")
        bind(self.refit_action.setText, QT_TRANSLATE_NOOP("MapPanel", "Refit the plane to the &paths now"))
        self.refit_action.triggered.connect(lambda: self.plane_fit.refit_now(self._last_snapshot))
        menu.addAction(self.refit_action)
        self.plane_menu = menu
        action = menu.menuAction()
        action.setObjectName("plane")
        self._follow_plane_choice()
        return action

    def _follow_plane_choice(self) -> None:
        """The plane menu: enabled for models with many parameters; the choice ticked."""
        menu = getattr(self, "plane_menu", None)
        if menu is None:
            return
        frame = self.controller.map_frame
        menu.setEnabled(isinstance(frame, RandomPlaneFrame))
        self.plane_actions[self.controller.plane].setChecked(True)
        self.refit_action.setEnabled(self.plane_fit.active)

    def _plane_changed(self) -> None:
        """Another plane (chosen, or refitted): the map, its field and the paths on it."""
        self._follow_plane_choice()
        self.set_problem(self.controller.map_frame)
        self._region_timer.stop()  # the new region's field is asked for here, not again
        self._place_start()
        self.request_field()
        self.basins.request()
        if self._last_snapshot is not None:
            self.draw(self._last_snapshot)

    def threads(self) -> tuple:
        return (self.fields, self.basins.thread, self.plane_fit.thread)

    def fit(self) -> None:
        """Back to the problem's whole domain."""
        self.set_problem(self.controller.map_frame)
        self.request_field()
        self.basins.request()

    def set_problem(self, view, xrange=None, yrange=None) -> None:
        super().set_problem(view, xrange, yrange)
        if hasattr(self, "basins"):
            self.basins.colour_minima()

    # ------------------------------------------------------------------ fields
    def request_field(self) -> None:
        self._field_serial += 1
        view = self.controller.map_frame
        if view is None:
            return
        if not self.controller.readiness.fields_ready:
            # First launch: the field's kernel comes with the worker's first group (see
            # engine.compile.precompile); the field follows as soon as that is loaded.
            self._field_waiting = True
            return
        xr, yr = self.visible_region()
        w, h = xr[1] - xr[0], yr[1] - yr[0]
        n = view.grid_size
        self.fields.submit(FieldRequest(self._field_serial, view.field_function(),
                                        (xr[0] - FIELD_MARGIN * w, xr[1] + FIELD_MARGIN * w),
                                        (yr[0] - FIELD_MARGIN * h, yr[1] + FIELD_MARGIN * h), n, n,
                                        coarse=view.coarse_size))

    def settle(self) -> None:
        """The field of the visible region (and the basins, if shown), computed right now."""
        c = self.controller
        if self.plane_fit.active:  # the plane of the paths as they are now
            with c.lock:
                snap = c.race.snapshot() if c.race is not None else None
            self.plane_fit.settle(snap)
        xr, yr = self.visible_region()
        self._field_serial += 1
        view = self.controller.map_frame
        self.set_field(compute_field(FieldRequest(self._field_serial, view.field_function(),
                                                  xr, yr, view.grid_size, view.grid_size)))
        self.basins.settle()

    def _field_ready(self, field) -> None:
        if field.serial == self._field_serial:
            self.set_field(field)

    def _field_kernels_ready(self) -> None:
        if self._field_waiting and self.controller.readiness.fields_ready:
            self._field_waiting = False
            self.request_field()

    # ------------------------------------------------------------------ mouse
    def _start_picked(self, x: float, y: float, only_selected: bool) -> None:
        c = self.controller
        if only_selected and c.selected_uid >= 0:
            c.set_start(x, y, c.selected_uid)
        else:
            c.set_start(x, y)
