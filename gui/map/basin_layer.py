"""The map's basin layer (View → Basins of attraction, key B): engine.basin_map drawn over
the surface for the selected run's optimizer and hyperparameters.

Every change (zoom, pan, the selected run, its hyperparameters, the step limit) asks for
the visible region again: a 64² picture first, then 256²; the map in flight is cancelled
(gui.map.map_thread). Each cell is coloured by the minimum its start reaches (the minima's stars
take the same hues), lighter where it is reached quickly (log steps), dark where the run
diverges and grey where it is still running after the step limit. A click still moves the
start there (the map's own click). On a dataset (a line to fit: two parameters) each start
is coloured by its final training loss instead (log; yellow = lowest). Each cell races the
step limit capped by ``engine.maps.races.map_steps``, and the legend says how long.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer

from descentlab import engine
from descentlab.engine.maps.races import (
    DIVERGED_RGB,
    RUNNING_RGB,
    SPEED_LUT,
    basin_rgba,
    evaluations_per_step,
    loss_rgba,
    map_steps,
    minimum_colour,
    reached_range,
)

from ..support.i18n import fill, shown, translate
from .map_thread import MapThread

COARSE, FINE = 64, 256
FINE_DATA = 128  # a dataset problem's step costs a pass over its data: a coarser fine map
REGION_DEBOUNCE_MS = 30  # a zoom or pan asks again this soon (the field waits 150 ms)


def cell_centres(lo: float, hi: float, n: int) -> np.ndarray:
    return lo + (np.arange(n) + 0.5) * (hi - lo) / n


class BasinLayer:
    def __init__(self, map_frame, controller):
        self.map = map_frame
        self.controller = controller
        self.on = False
        self.serial = 0
        self.last: engine.maps.BasinMap | None = None
        self.last_region: tuple | None = None
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-15)  # over the field, under the contour lines and paths
        self.image.hide()
        map_frame.addItem(self.image, ignoreBounds=True)
        self.legend = pg.TextItem(anchor=(0, 1), fill=pg.mkBrush(255, 255, 255, 225),
                                  border=pg.mkPen("#888"))
        self.legend.setZValue(45)
        self.legend.hide()
        map_frame.addItem(self.legend, ignoreBounds=True)
        map_frame.vb.sigRangeChanged.connect(lambda *_: self._place_legend())
        self._region_timer = QTimer(map_frame, singleShot=True, interval=REGION_DEBOUNCE_MS)
        self._region_timer.timeout.connect(self.request)
        map_frame.vb.sigRangeChanged.connect(lambda *_: self.on and self._region_timer.start())
        self.thread = MapThread(map_frame)
        self.thread.computed.connect(self._computed)
        self.thread.failed.connect(
            lambda tb: controller.report_error(translate("BasinLayer", "Could not compute the basin map"), tb))
        self.thread.start()

    # ------------------------------------------------------------------ state
    @property
    def available(self) -> bool:
        c = self.controller
        return (c.race is not None and c.race.problem.n_params == 2 and c.selected_uid >= 0
                and c.map_frame is not None)

    def set_on(self, on: bool) -> None:
        self.on = bool(on)
        self.colour_minima()
        if not self.on:
            self.serial += 1
            self.thread.cancel()
            self.image.hide()
            self.legend.hide()
            return
        self.request()

    def settings(self) -> dict | None:
        """What the map is computed for: the selected run's settings and the visible region."""
        if not self.available:
            return None
        s = self.controller.map_settings()
        if s is None:
            return None
        (x0, x1), (y0, y1) = self.map.visible_region()
        cells = self._fine(s) ** 2
        return {**s, "region": (x0, x1, y0, y1),
                "map_steps": map_steps(s["problem"], cells, s["steps"], s["options"],
                                       evaluations=evaluations_per_step(s["optimizer"], s["hyper"]))}

    def _job(self, s: dict, n: int):
        x0, x1, y0, y1 = s["region"]
        xs, ys = cell_centres(x0, x1, n), cell_centres(y0, y1, n)

        def job(cancel):
            m = engine.basin_map(s["problem"], s["optimizer"], xs, ys, s["map_steps"], cancel=cancel,
                                 schedule=s["schedule"], noise=s["noise"], seed=s["seed"],
                                 **s["hyper"], **s["options"])
            return s, m
        return job

    def request(self) -> None:
        if not self.on:
            return
        s = self.settings()
        self.serial += 1
        if s is None:
            self.thread.cancel()
            self.image.hide()
            self.legend.hide()
            return
        self.thread.submit(self.serial, [self._job(s, COARSE), self._job(s, self._fine(s))])

    def _fine(self, s: dict) -> int:
        return FINE if len(s["problem"].new_run_state(0)) == 0 else FINE_DATA

    def settle(self) -> None:
        """The fine map now, on this thread (``--snapshot``, tests)."""
        if not self.on:
            return
        s = self.settings()
        if s is not None:
            self.serial += 1
            self.show(*self._job(s, self._fine(s))(None))

    # ---------------------------------------------------------------- drawing
    def _computed(self, serial: int, result) -> None:
        if serial == self.serial and self.on:
            self.show(*result)

    def show(self, s: dict, m) -> None:
        self.last = m
        self.last_region = s["region"]
        x0, x1, y0, y1 = s["region"]
        rgba = loss_rgba(m.final_loss, m.which == -1, 215) if self._by_loss(s) else basin_rgba(m)
        self.image.setImage(rgba, autoLevels=False)
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.image.show()
        self.last_settings = s
        self.legend.setHtml(self._legend_html(s, m))
        self.legend.show()
        self._place_legend()

    def retranslate(self) -> None:
        """The legend of the map shown, in the current language."""
        if self.last is not None and self.legend.isVisible() and getattr(self, "last_settings", None):
            self.legend.setHtml(self._legend_html(self.last_settings, self.last))

    @staticmethod
    def _by_loss(s: dict) -> bool:
        """A dataset's map is coloured by the final loss: it has no minimum to reach."""
        return len(s["problem"].new_run_state(0)) > 0

    @staticmethod
    def _raced(s: dict) -> str:
        if s["map_steps"] < s["steps"]:
            return fill(translate("BasinLayer", "%1 steps each (the step limit, %2, capped for the map)"),
                        f"{s['map_steps']:,}", f"{s['steps']:,}")
        return fill(translate("BasinLayer", "%1 steps"), f"{s['map_steps']:,}")

    def _legend_html(self, s: dict, m) -> str:
        def box(colour: str) -> str:
            return f'<span style="color:{colour}">&#9632;</span>'

        rgb = "#{:02x}{:02x}{:02x}"
        if self._by_loss(s):
            ok = (m.which != -1) & np.isfinite(m.final_loss)
            rows = ["<b>" + fill(translate("BasinLayer", "Final training loss: %1"), shown(s["label"])) + "</b>, "
                    + self._raced(s)]
            if ok.any():
                lo, hi = float(m.final_loss[ok].min()), float(m.final_loss[ok].max())
                rows.append(f"{box(rgb.format(*SPEED_LUT[0].astype(int)))} … "
                            f"{box(rgb.format(*SPEED_LUT[-1].astype(int)))} "
                            + fill(translate("BasinLayer", "lowest (%1) … highest (%2), log scale"),
                                   f"{lo:.3g}", f"{hi:.3g}"))
            rows.append(f"{box(rgb.format(*DIVERGED_RGB))} "
                        + fill(translate("BasinLayer", "diverged %1"), f"{float((~ok).mean()):.0%}"))
            return '<div style="font-size:9pt; color:#222">' + "<br>".join(rows) + "</div>"
        view = self.controller.map_frame
        minima = view.minima() if view is not None else []
        rows = ["<b>" + fill(translate("BasinLayer", "Basins: %1"), shown(s["label"])) + "</b>, "
                + self._raced(s)]
        for k, mm in enumerate(minima):
            share = float((m.which == k).mean())
            rows.append(f"{box(minimum_colour(k))} → "
                        + fill(translate("BasinLayer", "minimum (%1, %2) %3"), f"{mm.x:.3g}", f"{mm.y:.3g}",
                               f"{share:.0%}"))
        rows.append(f"{box(rgb.format(*DIVERGED_RGB))} "
                    + fill(translate("BasinLayer", "diverged %1"), f"{float((m.which == -1).mean()):.0%}"))
        rows.append(f"{box(rgb.format(*RUNNING_RGB))} "
                    + fill(translate("BasinLayer", "still running %1"), f"{float((m.which == -2).mean()):.0%}"))
        if (m.steps >= 0).any():
            lo, hi = reached_range(m.steps)
            rows.append(fill(translate("BasinLayer", "lighter = reached sooner (%1–%2 steps, log scale)"), lo, hi))
        else:  # never "(0–0 steps)"
            rows.append(translate("BasinLayer", "no start reached a minimum"))
        return '<div style="font-size:9pt; color:#222">' + "<br>".join(rows) + "</div>"

    def _place_legend(self) -> None:
        (x0, _), (y0, _) = self.map.vb.viewRange()
        self.legend.setPos(x0, y0)

    def colour_minima(self) -> None:
        """The minima's stars in their basin's hue while the layer is on; white otherwise."""
        view = self.controller.map_frame
        if view is None:
            return
        minima = view.minima()
        if not minima:
            return
        if self.on:
            brushes = [pg.mkBrush(minimum_colour(k)) for k in range(len(minima))]
        else:
            brushes = [pg.mkBrush("#fff" if mm.is_global else "#bbb") for mm in minima]
        self.map.minima.setData([mm.x for mm in minima], [mm.y for mm in minima],
                                brush=brushes)
