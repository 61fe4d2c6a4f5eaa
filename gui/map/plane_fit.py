"""The fitted plane follows the race: a big model's map plane refitted to the runs' paths.

While the map shows a :class:`~gui.map.map_frames.FittedPlaneFrame`, every frame may ask
for a refit; at most one is asked for every :data:`REFIT_SECONDS`, and the fit
(``engine.path_plane``: a principal-component analysis of every run's displacements from
the common start) is computed on a thread of its own (:class:`FitThread`). The new plane
replaces the map's only when it differs enough to see (:func:`changed`): another plane, a
share of the movement that moved, or paths that left the window. The frame's note then says
at which step it was refitted; the controller's ``plane_changed`` redraws the map.
"""

from __future__ import annotations

import time

import numpy as np

from descentlab.engine.maps.planes import PathPlane, path_plane

from ..support.i18n import translate
from ..support.latest_request import LatestRequestThread
from .map_frames import FittedPlaneFrame
from .map_thread import MapThread

REFIT_SECONDS = 2.0  # while the race runs, at most one refit asked for this often
SAME_PLANE = 0.98  # |det(D_new · D_oldᵀ)| (cosines of the planes' angles) above this: the same plane
SAME_SHARE = 0.02  # the share of the movement held moved less than this: nothing new to say


def paths_of(snapshot, entries) -> list[np.ndarray]:
    """The shown runs' paths (each ending at the run's current position), finite rows only.
    A diverged run is left out: its blow-up would be the plane (it is still drawn, projected)."""
    shown = {e.uid for e in entries if e.config.enabled}
    out = []
    for run in snapshot.runs:
        if run.uid not in shown or not len(run.path) or run.diverged_at is not None:
            continue
        path = np.vstack([run.path, run.position[None, :]])
        out.append(path[np.isfinite(path).all(axis=1)])
    return out


def changed(frame: FittedPlaneFrame, fit: PathPlane, paths) -> bool:
    """Whether ``fit`` is worth a redraw of the map showing ``frame``."""
    old = frame.fit
    if old is None:
        return True
    if abs(float(np.linalg.det(fit.directions @ old.directions.T))) < SAME_PLANE:
        return True
    if abs(fit.explained - old.explained) >= SAME_SHARE:
        return True
    xmin, xmax, ymin, ymax = frame.domain
    for path in paths:
        pts = frame.to_map(path)
        if ((pts[:, 0] < xmin) | (pts[:, 0] > xmax) | (pts[:, 1] < ymin) | (pts[:, 1] > ymax)).any():
            return True
    return False


def fit_for(frame: FittedPlaneFrame, paths, start) -> PathPlane | None:
    """The paths' plane (keeping ``frame``'s orientation), or None while no run has moved."""
    try:
        return path_plane(paths, start, like=frame.fit)
    except ValueError:
        return None


class FitThread(MapThread):
    """A map thread at normal priority: a fit is short (tens of ms on an idle machine), and
    a niced one starves behind the race and the field on a busy one."""

    def run(self) -> None:
        LatestRequestThread.run(self)


class PlaneFit:
    """Refits the controller's fitted plane as the race goes (``follow``) or when asked."""

    def __init__(self, controller, parent=None):
        self.controller = controller
        self.thread = FitThread(parent)
        self.thread.computed.connect(self._fitted)
        self.thread.cancelled.connect(self._dropped)
        self.thread.failed.connect(
            lambda tb: controller.report_error(translate("PlaneFit", "Could not fit the map's plane"), tb))
        self.thread.start()
        self._serial = 0
        self._asked_at = -np.inf  # time.monotonic() of the last refit asked for
        self._asked_step = -1  # the race's step it was asked at
        self._in_flight = False  # a fit is being computed: the race waits for it, never cancels it

    @property
    def active(self) -> bool:
        return isinstance(self.controller.map_frame, FittedPlaneFrame)

    def forget(self) -> None:
        """A new scene, start or plane: the next snapshot may refit at once."""
        self._serial += 1
        self.thread.cancel()
        self._asked_at, self._asked_step, self._in_flight = -np.inf, -1, False

    def follow(self, snapshot) -> None:
        """Every frame: a refit if the race went on and the last one is old enough."""
        if not self.active or snapshot is None or snapshot.step == self._asked_step or self._in_flight:
            return  # (a busy machine: each fit finishes before the next is asked for)
        now = time.monotonic()
        if now - self._asked_at < REFIT_SECONDS:
            return
        self._ask(snapshot, force=False, now=now)

    def refit_now(self, snapshot) -> None:
        """On demand: fit to the paths as they are, shown even if little changed."""
        if self.active and snapshot is not None:
            self._ask(snapshot, force=True, now=time.monotonic())

    def settle(self, snapshot) -> None:
        """A still picture: fit now, on this thread."""
        if self.active and snapshot is not None:
            c = self.controller
            frame, paths = c.map_frame, paths_of(snapshot, c.entries)
            self._adopt(frame, fit_for(frame, paths, c.start_theta), paths, snapshot.step, False)

    def _ask(self, snapshot, force: bool, now: float) -> None:
        c = self.controller
        frame, paths, start, step = c.map_frame, paths_of(snapshot, c.entries), c.start_theta.copy(), snapshot.step
        self._asked_at, self._asked_step, self._in_flight = now, step, True
        self._serial += 1
        self.thread.submit(self._serial, [lambda cancel: (frame, fit_for(frame, paths, start), paths, step, force)])

    def _fitted(self, serial: int, result) -> None:
        if serial == self._serial:
            self._in_flight = False
            self._asked_at = time.monotonic()  # the next one REFIT_SECONDS after this one came
            self._adopt(*result)

    def _dropped(self, serial: int) -> None:
        if serial == self._serial:
            self._in_flight = False

    def _adopt(self, frame, fit, paths, step: int, force: bool) -> None:
        c = self.controller
        if fit is None or c.map_frame is not frame:  # nothing moved; or another problem or plane meanwhile
            return
        if force or changed(frame, fit, paths):
            c.set_map_frame(frame.refitted(fit, paths, step))
