"""A surface typed as a formula, as a :class:`~engine.problems.protocol.Problem`.

``FormulaSurface("(1 - x)^2 + 100*(y - x^2)^2", domain=(-2, 2, -1, 3))`` works wherever a
surface key does (``engine.trajectory``, ``engine.Race``). The text is parsed against an
allow-list (:mod:`engine.formula.parse`, never evaluated by Python) into a program for the
one compiled stack machine, so a new formula costs no compilation. It subclasses
:class:`SurfaceProblem`, so it has a surface's box, options and look in the window; its
``surface`` is a :class:`FormulaInfo` with the attributes of an :class:`engine.Surface`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..checks import validated_start
from ..compile.direct_call import DirectCall
from ..optimizers.dispatch import step_addresses
from ..quoted import quoted
from ..race.state import StartValues
from ..surface.catalogue import Minimum
from ..surface.problem import REACHED_FRACTION, SurfaceProblem, surface_box
from ..translatable import QT_TRANSLATE_NOOP
from . import FormulaError, build, parse, to_html
from . import kernels as fk
from .minima import find_minima

DEFAULT_DOMAIN = (-3.0, 3.0, -3.0, 3.0)
# A default start closer than this fraction of the domain's diagonal to a minimum is "on" it:
# every run would read "min at 0" at once.
START_CLEARANCE = 0.05
# Where a default start may go if not the centre, as fractions of the domain: towards a corner.
_START_PLACES = ((0.2, 0.8), (0.8, 0.8), (0.2, 0.2), (0.8, 0.2), (0.5, 0.85), (0.15, 0.5))
_NAME_LENGTH = 48

_advance_formula = DirectCall(fk.advance_formula)


@dataclass(frozen=True)
class FormulaInfo:
    """What the window reads from a surface (``problem.surface``), for a typed formula."""

    key: str
    name: str
    formula: str  # the text as typed
    formula_html: str  # Qt rich text: italic x, y, <sup> powers, &minus;
    description: str
    domain: tuple[float, float, float, float]
    minima: tuple[Minimum, ...]
    start: tuple[float, float]
    reference: str = ""

    @property
    def f_min(self) -> float:
        return min((m.f for m in self.minima), default=math.nan)

    @property
    def global_minima(self) -> tuple[Minimum, ...]:
        return tuple(m for m in self.minima if m.is_global)


def _domain(domain) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(v) for v in domain)
    except (TypeError, ValueError):
        values = ()
    if len(values) != 4 or not all(math.isfinite(v) for v in values) \
            or not (values[0] < values[1] and values[2] < values[3]):
        raise ValueError(f"Invalid domain: {quoted(domain)} (allowed: (xmin, xmax, ymin, ymax), finite, "
                         "xmin < xmax and ymin < ymax)")
    return values


def default_start(domain, minima) -> tuple[float, float]:
    """The domain's centre, or if a minimum sits there the first of ``_START_PLACES`` clear
    of every minimum (the place farthest from them if none is)."""
    xmin, xmax, ymin, ymax = domain
    clearance = START_CLEARANCE * math.hypot(xmax - xmin, ymax - ymin)
    points = np.asarray(minima, dtype=float).reshape(-1, 2)
    places = [(0.5 * (xmin + xmax), 0.5 * (ymin + ymax))]
    places += [(round(xmin + fx * (xmax - xmin), 9), round(ymin + fy * (ymax - ymin), 9))  # -1.8, not -1.7999…
               for fx, fy in _START_PLACES]
    best, best_gap = None, -1.0
    for place in places:
        gap = float(np.min(np.hypot(points[:, 0] - place[0], points[:, 1] - place[1]))) \
            if len(points) else math.inf
        if gap >= clearance:
            return place
        if gap > best_gap:
            best, best_gap = place, gap
    return best


def _given_minima(minima) -> np.ndarray:
    try:
        points = np.array(minima, dtype=float).reshape(-1, 2)
    except (TypeError, ValueError):
        points = np.full((1, 2), np.nan)
    if not np.all(np.isfinite(points)):
        raise ValueError(f"Invalid minima: {quoted(minima)} (allowed: a list of (x, y) pairs of finite numbers)")
    return np.ascontiguousarray(points)


class FormulaSurface(SurfaceProblem):
    """f(x, y) given as text: its exact gradient, its minima (found if not given), a race kernel."""

    def __init__(self, text: str, domain=DEFAULT_DOMAIN, start=None, minima=None):
        tree = parse(text)  # FormulaError (a ValueError) with .position
        try:
            compiled = build(tree)
        except ValueError as exc:
            raise FormulaError(f"{exc}", 0, text) from None
        self.text = text
        self.tree = tree
        self.program = compiled.program
        self.stack_depth = compiled.stack_depth
        dom = _domain(domain)
        if start is not None:
            start = validated_start(start, 2)
        merge = REACHED_FRACTION * math.hypot(dom[1] - dom[0], dom[3] - dom[2])
        if minima is None:
            points, values = find_minima(self.program, self.stack_depth, dom, merge)
            self.minima_found = True
        else:
            points = _given_minima(minima)
            values = self._fg(points[:, 0], points[:, 1])[0]
            self.minima_found = False
        if start is None:
            start = default_start(dom, points)
        lowest = np.min(values) if values.size and np.any(np.isfinite(values)) else math.nan
        is_global = [bool(math.isfinite(lowest) and v <= lowest + 1e-9 * max(1.0, abs(lowest)))
                     for v in values]
        key = "formula:" + text.strip()
        name = text.strip() if len(text.strip()) <= _NAME_LENGTH else text.strip()[: _NAME_LENGTH - 1] + "…"
        self.surface = FormulaInfo(
            key=key, name=name, formula=text.strip(), formula_html=to_html(tree),
            description=(QT_TRANSLATE_NOOP("Formula", "a typed formula; minima found numerically on the domain")
                         if minima is None
                         else QT_TRANSLATE_NOOP("Formula", "a typed formula with the minima given")),
            domain=dom,
            minima=tuple(Minimum(float(p[0]), float(p[1]), float(v), g)
                         for p, v, g in zip(points, values, is_global, strict=True)),
            start=(float(start[0]), float(start[1])))
        self.box = surface_box(dom, points)
        self.minima = self.box.minima
        self.minima_values = np.asarray(values, dtype=float)

    # ------------------------------------------------------------------ the maths
    def _fg(self, xs: np.ndarray, ys: np.ndarray):
        xs = np.ascontiguousarray(xs, dtype=float).ravel()
        ys = np.ascontiguousarray(ys, dtype=float).ravel()
        f, gx, gy = np.empty(xs.size), np.empty(xs.size), np.empty(xs.size)
        fk.formula_points(self.program, np.empty((self.stack_depth, 3)), xs, ys, f, gx, gy)
        return f, gx, gy

    def _fg_broadcast(self, x, y):
        xb, yb = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        f, gx, gy = self._fg(xb, yb)
        return f.reshape(xb.shape), gx.reshape(xb.shape), gy.reshape(xb.shape)

    def f(self, x, y):
        """Value at (x, y): a float for scalars, else an array of the broadcast shape."""
        f, _, _ = self._fg_broadcast(x, y)
        return float(f) if f.ndim == 0 else f

    def grad(self, x, y) -> np.ndarray:
        """Exact gradient at (x, y): shape (2,) for scalars, else (2, *broadcast shape)."""
        _, gx, gy = self._fg_broadcast(x, y)
        return np.stack((gx, gy))

    def grid(self, nx: int = 200, ny: int | None = None):
        """``(xs, ys, Z)`` over the domain, ``Z[j, i] = f(xs[i], ys[j])``."""
        xmin, xmax, ymin, ymax = self.domain
        xs = np.linspace(xmin, xmax, nx)
        ys = np.linspace(ymin, ymax, nx if ny is None else ny)
        return xs, ys, self.loss_grid(xs, ys)

    def evaluate(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Loss, gradient and gradient norm at each row of ``theta`` (k × 2)."""
        theta = np.ascontiguousarray(theta, dtype=float).reshape(-1, 2)
        f, gx, gy = self._fg(theta[:, 0], theta[:, 1])
        return f, np.c_[gx, gy], np.hypot(gx, gy)

    def hessian(self, theta) -> np.ndarray:
        """The exact Hessian at θ (2 × 2), or at each row of ``theta`` (k × 2 → k × 2 × 2): the
        program differentiated twice by the one compiled kernel (``program_fgh``)."""
        arr = np.asarray(theta, dtype=float)
        rows = arr.reshape(-1, 2)
        out = np.empty((len(rows), 2, 2))
        fk.formula_hessians(self.program, np.empty((self.stack_depth, 6)),
                            np.ascontiguousarray(rows[:, 0]), np.ascontiguousarray(rows[:, 1]), out)
        return out[0] if arr.ndim == 1 else out.reshape(*arr.shape[:-1], 2, 2)

    def loss_grid(self, xs, ys) -> np.ndarray:
        """``Z[j, i] = f(xs[i], ys[j])`` (safe from any thread: its own scratch)."""
        xs = np.ascontiguousarray(xs, dtype=float).ravel()
        ys = np.ascontiguousarray(ys, dtype=float).ravel()
        z = np.empty((ys.size, xs.size))
        fk.formula_grid(self.program, np.empty((self.stack_depth, 3)), xs, ys, z)
        return z

    # -------------------------------------------------------------- for the race
    def start_values(self, theta, state, row) -> StartValues:
        loss, grad, gnorm = self.evaluate(theta[None, :])
        return StartValues(float(loss[0]), grad[0], float(gnorm[0]), math.nan, True)

    def advance(self, runs, hist, state, n: int) -> None:
        _advance_formula(step_addresses(runs.opt_id), n, runs, hist, self.box, self.program,
                         np.empty((self.stack_depth, 6)), np.empty(2), np.empty(2))

    def __repr__(self) -> str:
        return f"FormulaSurface({self.text!r}, domain={self.domain!r})"

