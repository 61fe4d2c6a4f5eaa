"""The catalogue of 2-D loss surfaces: formulas, plotting domains, known minima, default starts.

Plain data plus thin numpy wrappers around the compiled kernels in
:mod:`engine.surface.functions`, which own the surface ids.  Domains follow the
Surjanovic & Bingham "Virtual Library of Simulation Experiments" (sfu.ca/~ssurjano)
where a surface is listed there, trimmed or widened so that the picture is good.

Every minimum below was refined offline (Newton's method in 50-digit arithmetic on an
independent symbolic formula) and its value evaluated exactly at the stored float64
coordinates; nothing is solved at import time.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import numpy as np

from ..quoted import quoted
from ..translatable import QT_TRANSLATE_NOOP
from .functions import (
    ACKLEY,
    BEALE,
    BOOTH,
    BOWL,
    ELLIPSE,
    GOLDSTEIN_PRICE,
    HIMMELBLAU,
    MATYAS,
    MCCORMICK,
    N_SURFACES,
    PLATEAU,
    RASTRIGIN,
    ROSENBROCK,
    SADDLE,
    SIX_HUMP_CAMEL,
    STYBLINSKI_TANG,
    THREE_HUMP_CAMEL,
    TWO_WELL,
    VALLEY,
    surface_fg,
    surface_fg_points,
    surface_grid,
)

__all__ = ["SURFACES", "Minimum", "Surface", "get_surface"]


@dataclass(frozen=True)
class Minimum:
    """A known local minimum; ``is_global`` marks the lowest value on the surface."""

    x: float
    y: float
    f: float
    is_global: bool


@dataclass(frozen=True)
class Surface:
    """One loss surface of the catalogue; ``id`` selects its compiled kernel."""

    key: str
    id: int
    name: str
    formula: str
    formula_html: str
    description: str
    domain: tuple[float, float, float, float]  # xmin, xmax, ymin, ymax
    minima: tuple[Minimum, ...]
    start: tuple[float, float]
    reference: str = ""

    def f(self, x, y):
        """Value at (x, y): a float for scalars, else an array of the broadcast shape."""
        if np.ndim(x) == 0 and np.ndim(y) == 0:
            return surface_fg(self.id, float(x), float(y))[0]
        return self._fg_arrays(x, y)[0]

    def grad(self, x, y) -> np.ndarray:
        """Gradient at (x, y): shape (2,) for scalars, else (2, *broadcast shape)."""
        if np.ndim(x) == 0 and np.ndim(y) == 0:
            _, gx, gy = surface_fg(self.id, float(x), float(y))
            return np.array([gx, gy])
        _, gx, gy = self._fg_arrays(x, y)
        return np.stack((gx, gy))

    def grid(self, nx: int = 200, ny: int | None = None):
        """``(xs, ys, Z)`` over the domain, ``Z[j, i] = f(xs[i], ys[j])``, for contour maps."""
        xmin, xmax, ymin, ymax = self.domain
        xs = np.linspace(xmin, xmax, nx)
        ys = np.linspace(ymin, ymax, nx if ny is None else ny)
        return xs, ys, surface_grid(self.id, xs, ys)

    @property
    def f_min(self) -> float:
        """The lowest known value (nan if no minimum is listed)."""
        return min((m.f for m in self.minima), default=float("nan"))

    @property
    def global_minima(self) -> tuple[Minimum, ...]:
        return tuple(m for m in self.minima if m.is_global)

    def _fg_arrays(self, x, y):
        xb, yb = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        flat_x = np.ascontiguousarray(xb).ravel()
        flat_y = np.ascontiguousarray(yb).ravel()
        f, gx, gy = surface_fg_points(self.id, flat_x, flat_y)
        return f.reshape(xb.shape), gx.reshape(xb.shape), gy.reshape(xb.shape)


# ---------------------------------------------------------------------------- formula to HTML

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_ENTITIES = {"−": "&minus;", "·": "&middot;", "√": "&radic;", "½": "&frac12;", "π": "&pi;"}


def _to_html(formula: str) -> str:
    """Qt rich text for a unicode formula: <sup> powers, italic x and y, HTML entities."""
    text = html.escape(formula, quote=False)
    text = re.sub(
        f"[{_SUPERSCRIPTS}]+",
        lambda m: "<sup>" + "".join(str(_SUPERSCRIPTS.index(c)) for c in m.group()) + "</sup>",
        text,
    )
    # italicise the variables, also in products like "xy", but not the letters of exp/cos/sin
    text = re.sub(
        "[A-Za-z]+",
        lambda m: f"<i>{m.group()}</i>" if set(m.group()) <= {"x", "y"} else m.group(),
        text,
    )
    return "".join(_ENTITIES.get(c, c) for c in text)


def _surface(key, sid, name, formula, description, domain, minima, start, reference):
    return Surface(
        key=key,
        id=sid,
        name=name,
        formula=formula,
        formula_html=_to_html(formula),
        description=description,
        domain=tuple(float(v) for v in domain),
        minima=tuple(Minimum(float(x), float(y), float(f), g) for x, y, f, g in minima),
        start=(float(start[0]), float(start[1])),
        reference=reference,
    )


# ---------------------------------------------------------------------------- the catalogue
# minima: (x, y, f, is_global); listed completely except where a surface has a lattice of them.

_CATALOGUE = (
    _surface(
        "rosenbrock", ROSENBROCK, "Rosenbrock",
        "(1 − x)² + 100(y − x²)²",
        QT_TRANSLATE_NOOP(
            "Surface",
            "A curved banana-shaped valley: reaching the valley is easy, following its almost flat "
            "floor to (1, 1) is slow, so step size and momentum decide the race."),
        (-2.0, 2.0, -1.0, 3.0),
        [(1.0, 1.0, 0.0, True)],
        (-1.2, 1.0),
        "H. H. Rosenbrock, The Computer Journal 3 (1960) 175–184",
    ),
    _surface(
        "beale", BEALE, "Beale",
        "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
        QT_TRANSLATE_NOOP(
            "Surface",
            "Steep walls meet long flat arms near the minimum, so a learning rate that is safe on "
            "the walls crawls on the flats: a classic test for adaptive step sizes."),
        (-4.5, 4.5, -4.5, 4.5),
        [(3.0, 0.5, 0.0, True)],
        (1.0, 1.75),
        "E. M. L. Beale, On an iterative method for finding a local minimum (1958)",
    ),
    _surface(
        "himmelblau", HIMMELBLAU, "Himmelblau",
        "(x² + y − 11)² + (x + y² − 7)²",
        QT_TRANSLATE_NOOP(
            "Surface",
            "Four equally deep minima around a central hill: which one a run reaches depends on "
            "its optimizer, learning rate and momentum, not only on where it starts."),
        (-5.0, 5.0, -5.0, 5.0),
        [
            (3.0, 2.0, 0.0, True),
            (-2.805118086952745, 3.131312518250573, 0.0, True),
            (-3.779310253377747, -3.2831859912861696, 0.0, True),
            (3.5844283403304917, -1.8481265269644036, 0.0, True),
        ],
        (-0.3, -0.9),
        "D. M. Himmelblau, Applied Nonlinear Programming, McGraw-Hill (1972)",
    ),
    _surface(
        "ellipse", ELLIPSE, QT_TRANSLATE_NOOP("Surface", "Elongated bowl"),
        "x²/4 + 8y²",
        QT_TRANSLATE_NOOP("Surface", "The lecture's ill-conditioned bowl (condition number 32): plain gradient descent "
        "zig-zags across the narrow axis, momentum and RMSprop damp the swings and speed "
        "along the long one."),
        (-5.0, 5.0, -3.0, 3.0),
        [(0.0, 0.0, 0.0, True)],
        (-4.5, 1.0),
        "A. Ng, deeplearning.ai: gradient descent with momentum",
    ),
    _surface(
        "bowl", BOWL, QT_TRANSLATE_NOOP("Surface", "Round bowl"),
        "(x² + y²)/2",
        QT_TRANSLATE_NOOP(
            "Surface",
            "A perfectly round bowl whose gradient points straight at the minimum: the baseline "
            "on which to see what noise, batch size and learning rate do on their own."),
        (-3.0, 3.0, -3.0, 3.0),
        [(0.0, 0.0, 0.0, True)],
        (-2.5, 2.0),
        "isotropic quadratic",
    ),
    _surface(
        "saddle", SADDLE, QT_TRANSLATE_NOOP("Surface", "Saddle"),
        "x² − y² + y⁴/2",
        QT_TRANSLATE_NOOP(
            "Surface",
            "A saddle point at the origin: a run started near its ridge slows to a crawl there "
            "before sliding into one of the minima at (0, ±1); noise and adaptive steps escape sooner."),
        (-3.0, 3.0, -2.0, 2.0),
        [(0.0, -1.0, -0.5, True), (0.0, 1.0, -0.5, True)],
        (-2.5, 0.001),
        "saddle x² − y² stabilised by a quartic term",
    ),
    _surface(
        "valley", VALLEY, QT_TRANSLATE_NOOP("Surface", "Diagonal ravine"),
        "4(x − y)² + (x + y)²/20",
        QT_TRANSLATE_NOOP(
            "Surface",
            "A long straight ravine at 45° (condition number 80): it is not aligned with the axes, "
            "so per-coordinate methods (Adagrad, RMSprop, Adam) cannot straighten it; momentum can."),
        (-5.0, 5.0, -5.0, 5.0),
        [(0.0, 0.0, 0.0, True)],
        (-4.5, -3.5),
        "rotated ill-conditioned quadratic",
    ),
    _surface(
        "plateau", PLATEAU, QT_TRANSLATE_NOOP("Surface", "Plateau"),
        "1 − exp(−(x² + y²)/2)",
        QT_TRANSLATE_NOOP(
            "Surface",
            "A nearly flat plain around a narrow well: far out the gradient almost vanishes, so plain "
            "gradient descent barely moves while methods that normalise the step cross it quickly."),
        (-4.0, 4.0, -4.0, 4.0),
        [(0.0, 0.0, 0.0, True)],
        (-3.0, 2.5),
        "inverted Gaussian well",
    ),
    _surface(
        "rastrigin", RASTRIGIN, "Rastrigin",
        "20 + x² + y² − 10(cos 2πx + cos 2πy)",
        QT_TRANSLATE_NOOP(
            "Surface",
            "A bowl covered by a regular lattice of local minima: gradient methods stop in a nearby "
            "dimple, which is why non-convex landscapes need noise, restarts or luck."),
        (-5.12, 5.12, -5.12, 5.12),
        [(0.0, 0.0, 0.0, True)],
        (-2.3, 1.7),
        "L. A. Rastrigin, Systems of Extremal Control (1974); domain: Surjanovic & Bingham",
    ),
    _surface(
        "ackley", ACKLEY, "Ackley",
        "−20·exp(−0.2√(½(x² + y²))) − exp(½(cos 2πx + cos 2πy)) + e + 20",
        QT_TRANSLATE_NOOP(
            "Surface",
            "A bumpy, almost flat plateau around a deep funnel: local minima everywhere, and a "
            "cone-shaped global minimum whose gradient never shrinks (it is undefined at the tip)."),
        (-5.0, 5.0, -5.0, 5.0),
        [(0.0, 0.0, 0.0, True)],
        (2.5, -1.5),
        "D. H. Ackley, A Connectionist Machine for Genetic Hillclimbing (1987)",
    ),
    _surface(
        "booth", BOOTH, "Booth",
        "(x + 2y − 7)² + (2x + y − 5)²",
        QT_TRANSLATE_NOOP(
            "Surface",
            "A tilted quadratic bowl (condition number 9) with its minimum at (1, 3): a gentle "
            "first race that every sensible optimizer finishes."),
        (-10.0, 10.0, -10.0, 10.0),
        [(1.0, 3.0, 0.0, True)],
        (-6.0, -8.0),
        "Booth function; Surjanovic & Bingham",
    ),
    _surface(
        "goldstein_price", GOLDSTEIN_PRICE, "Goldstein–Price",
        "[1 + (x + y + 1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]"
        "·[30 + (2x − 3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]",
        QT_TRANSLATE_NOOP(
            "Surface",
            "Values range from 3 to about a million, so no single plain learning rate suits both the "
            "walls and the floor, and four minima (3, 30, 84, 840) catch runs at different depths."),
        (-2.0, 2.0, -2.0, 2.0),
        [
            (0.0, -1.0, 3.0, True),
            (-0.6, -0.4, 30.0, False),
            (1.8, 0.2, 84.0, False),
            (1.2, 0.8, 840.0, False),
        ],
        (-0.9, -0.3),
        "A. A. Goldstein, J. F. Price, Mathematics of Computation 25 (1971) 569–574",
    ),
    _surface(
        "six_hump_camel", SIX_HUMP_CAMEL, QT_TRANSLATE_NOOP("Surface", "Six-hump camel"),
        "(4 − 2.1x² + x⁴/3)x² + xy + (4y² − 4)y²",
        QT_TRANSLATE_NOOP(
            "Surface",
            "Six minima, two of them global: the basin a run ends in shows how far its momentum "
            "or adaptive step carries it."),
        (-2.0, 2.0, -1.2, 1.2),
        [
            (0.08984201310031806, -0.7126564030207396, -1.0316284534898774, True),
            (-0.08984201310031806, 0.7126564030207396, -1.0316284534898774, True),
            (1.703606714969981, -0.7960835686726251, -0.21546382438371764, False),
            (-1.703606714969981, 0.7960835686726251, -0.21546382438371764, False),
            (1.6071047529201972, 0.5686514548841314, 2.1042503103112584, False),
            (-1.6071047529201972, -0.5686514548841314, 2.1042503103112584, False),
        ],
        (-1.2, 0.0),
        "L. C. W. Dixon, G. P. Szegő, Towards Global Optimisation 2 (1978)",
    ),
    _surface(
        "styblinski_tang", STYBLINSKI_TANG, "Styblinski–Tang",
        "½(x⁴ − 16x² + 5x + y⁴ − 16y² + 5y)",
        QT_TRANSLATE_NOOP("Surface", "Four wells of different depth: from the far corner gradient descent stops in the "
        "nearest, shallowest one, while enough momentum rolls on into a deeper one."),
        (-5.0, 5.0, -5.0, 5.0),
        [
            (-2.903534027771177, -2.903534027771177, -78.33233140754282, True),
            (-2.903534027771177, 2.746802770990837, -64.19561235905536, False),
            (2.746802770990837, -2.903534027771177, -64.19561235905536, False),
            (2.746802770990837, 2.746802770990837, -50.05889331056788, False),
        ],
        (4.5, 4.2),
        "M. A. Styblinski, T.-S. Tang, Neural Networks 3 (1990) 467–483",
    ),
    _surface(
        "two_well", TWO_WELL, QT_TRANSLATE_NOOP("Surface", "Two wells"),
        "(x² − 1)² + x/2 + y²",
        QT_TRANSLATE_NOOP("Surface", "A shallow well next to a deeper one with a bump between them: gradient descent "
        "settles in the near, shallow well, momentum can roll over the bump into the deep one."),
        (-2.0, 2.0, -1.5, 1.5),
        [
            (-1.057453770738378, 0.0, -0.5147536412757056, True),
            (0.9304029265558517, 0.0, 0.48325149171475085, False),
        ],
        (1.8, 0.9),
        "tilted double-well potential",
    ),
    _surface(
        "matyas", MATYAS, "Matyas",
        "0.26(x² + y²) − 0.48xy",
        QT_TRANSLATE_NOOP(
            "Surface",
            "A wide, flat valley along y = x: gradients are small everywhere, so plain gradient "
            "descent is slow and momentum pays off."),
        (-10.0, 10.0, -10.0, 10.0),
        [(0.0, 0.0, 0.0, True)],
        (-8.0, -3.0),
        "J. Matyas, Automation and Remote Control 26 (1965); Surjanovic & Bingham",
    ),
    _surface(
        "three_hump_camel", THREE_HUMP_CAMEL, QT_TRANSLATE_NOOP("Surface", "Three-hump camel"),
        "2x² − 1.05x⁴ + x⁶/6 + xy + y²",
        QT_TRANSLATE_NOOP("Surface", "A global minimum at the origin between two shallow local ones: the learning rate "
        "and momentum decide which a run falls into."),
        (-2.5, 2.5, -2.5, 2.5),
        [
            (0.0, 0.0, 0.0, True),
            (-1.7475523458302888, 0.8737761729151444, 0.2986384422368598, False),
            (1.7475523458302888, -0.8737761729151444, 0.2986384422368598, False),
        ],
        (-2.0, -1.5),
        "three-hump camel function; Surjanovic & Bingham",
    ),
    _surface(
        "mccormick", MCCORMICK, "McCormick",
        "sin(x + y) + (x − y)² − 1.5x + 2.5y + 1",
        QT_TRANSLATE_NOOP(
            "Surface",
            "A sloping valley along x − y = 1 with a wavy floor: runs that drop into the valley "
            "upstream get stuck in the local dip before the global minimum."),
        (-1.5, 4.0, -3.0, 4.0),
        [
            (-0.5471975511965977, -1.5471975511965979, -1.9132229549810364, True),
            (2.5943951023931957, 1.5943951023931955, 1.2283696986087569, False),
        ],
        (-1.0, 3.5),
        "G. P. McCormick (1976); domain: Surjanovic & Bingham",
    ),
)

if [s.id for s in _CATALOGUE] != list(range(N_SURFACES)):  # pragma: no cover - catalogue bug
    raise RuntimeError("surface ids must be 0..N_SURFACES-1 in catalogue order")

SURFACES: dict[str, Surface] = {s.key: s for s in _CATALOGUE}


def get_surface(key: str) -> Surface:
    """The surface called ``key``; ValueError naming the key and the choices otherwise."""
    try:
        return SURFACES[key]
    except (KeyError, TypeError):
        raise ValueError(f"unknown surface {quoted(key)}; choose one of: {', '.join(SURFACES)}") from None
