"""A small picture of a scene before it is shown: its map (the surface, or the loss plane of
its model) with the runs' start, drawn on this thread — for the presenter's "next step"."""

from __future__ import annotations

import numpy as np

from descentlab.engine.maps.fields import FieldRequest, compute_field
from descentlab.engine.problems.convert import as_problem
from descentlab.engine.problems.registry import kind_of

from ..problem_looks import look_for

THUMB_GRID = 64  # field points a side: enough for 320 pixels


def render_scene(view, scene):
    """``scene``'s map drawn in ``view`` (a MapView, not shown) and grabbed: a QPixmap, or
    None if the scene cannot be built."""
    try:
        problem = as_problem(scene.build_problem())
        if kind_of(scene).has_noise or scene.start is not None:
            start = scene.start_point
        else:
            start = problem.default_start
        frame = look_for(problem).map_frame(problem, start, scene.seed)
        view.set_problem(frame, scene.xrange, scene.yrange)
        view.vb.updateViewRange()  # (a view never shown: its aspect-locked range, now)
        xr, yr = view.visible_region()
        n = min(frame.grid_size, THUMB_GRID)
        view.set_field(compute_field(FieldRequest(0, frame.field_function(), xr, yr, n, n)))
        x, y = frame.to_map(np.asarray(start, dtype=float)[None, :])[0]
        view.set_start(float(x), float(y))
    except (ValueError, ArithmeticError):
        return None
    return view.grab()
