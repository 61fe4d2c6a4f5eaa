"""Why each optimizer moves: its last step explained, its next step walked, the overlay's numbers.

- :func:`explain_run` (``Race.explain``): the run's last step as a dict of named arrays — its
  state under torch.optim's names, ``grad``, ``update``, ``step`` and the rule's
  intermediates. It reads the state arrays after the chunk; nothing is recorded per step
  (the kernel keeps only θ before the step and the gradient it used, ``RunState.prev_theta``
  and ``step_grad``).
- :func:`walk_run` (``Race.walk``): the *next* step recomputed line by line of the rule from
  copies of the state (each optimizer module's ``walk``, plain NumPy): captions with the real
  numbers, every term, and the position the step will end at.
- :func:`overlay`: what the map draws for a walk — arrows and the effective-learning-rate box
  in map coordinates, one common scale factor so that the arrows can be seen, and the
  legend's text. Qt-free; ``gui/map/explain_layer.py`` draws it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..noise import next_normal
from ..optimizers import get_optimizer, module_for
from ..optimizers._explain import Line, Walk, fmt_number, fmt_value
from ..race import state
from ..translatable import QT_TRANSLATE_NOOP, Filled

__all__ = ["Arrow", "Line", "Overlay", "Walk", "arrow_scale", "explain_run", "fmt_number",
           "fmt_value", "overlay", "walk_run"]


def explain_run(runs: state.RunState, r: int, optimizer: str) -> dict[str, np.ndarray | float]:
    """Row ``r``'s last step, explained (see the module's docstring). At step 0 there was no
    step: the state is the initial one, ``grad`` the gradient at the start (without noise)
    and ``update`` NaN."""
    mod = module_for(optimizer)
    n_hyper = len(get_optimizer(optimizer).hyper)
    t = int(runs.t[r])
    theta = runs.theta[r].copy()
    if t == 0:
        grad = runs.grad[r].copy()
        update = np.full_like(theta, np.nan)
    else:
        grad = runs.step_grad[r].copy()
        update = theta - runs.prev_theta[r]
    hyper = runs.hyper[r].copy()
    hyper[n_hyper:] = 0.0
    with np.errstate(all="ignore"):  # step 0 (0/0) or a state gone to NaN: values, not warnings
        out = mod.explain(runs.vec[r].copy(), runs.sc[r].copy(), hyper, float(t), grad, update,
                          theta)
    if get_optimizer(optimizer).evaluates:  # L-BFGS: its own row, under torch's state names
        out.update(mod.row_state(runs.lbfgs[r], theta.size))
    return out


def next_gradient(runs: state.RunState, r: int) -> np.ndarray:
    """The gradient the next step of row ``r`` will use: the cached one plus the run's next
    noise draws (from a copy of its stream; the race's own stream is not touched)."""
    g = runs.grad[r].copy()
    sigma = float(runs.noise[r])
    if sigma > 0.0:
        rng = runs.rng[r : r + 1].copy()
        for i in range(g.size):
            g[i] += sigma * next_normal(rng, 0)
    return g


def walk_run(runs: state.RunState, r: int, optimizer: str, problem=None, own=None) -> Walk:
    """Row ``r``'s next step, line by line (``Walk``); ``walk.theta_next`` is where it ends.

    A rule that evaluates the problem itself (L-BFGS) cannot be walked without it: its step
    is the compiled one, taken by ``problem.advance`` on a one-row copy of the run (``own``
    the problem's per-run state), and its module's ``walk_after`` tells it line by line."""
    mod = module_for(optimizer)
    if get_optimizer(optimizer).evaluates:
        return _walk_closure_step(runs, r, mod, problem, own)
    hess = runs.hess[r].copy() if get_optimizer(optimizer).needs_hessian else None
    w = Walk(theta=runs.theta[r].copy(), g=next_gradient(runs, r), vec=runs.vec[r].copy(),
             sc=runs.sc[r].copy(), h=runs.hyper[r].copy(), t=float(runs.t[r] + 1), hess=hess)
    with np.errstate(all="ignore"):
        mod.walk(w)
    return w


def _walk_closure_step(runs, r, mod, problem, own) -> Walk:
    P = runs.theta.shape[1]
    one = state.with_rows(runs, [r])
    hist = state.history(1, 2, P)
    hist.count[0], hist.stride[0] = 1, 1 << 62  # records nothing: the step is all we want
    if problem is not None:
        problem.advance(one, hist, state.with_rows(own, [r]), 1)
    w = Walk(theta=runs.theta[r].copy(), g=next_gradient(runs, r), vec=runs.vec[r].copy(),
             sc=runs.sc[r].copy(), h=runs.hyper[r].copy(), t=float(runs.t[r] + 1))
    with np.errstate(all="ignore"):
        mod.walk_after(w, one.lbfgs[0], one.theta[0].copy() if problem is not None else None)
    return w


# ----------------------------------------------------------------------------- overlay


@dataclass(frozen=True)
class Arrow:
    kind: str  # "grad" (thin), "momentum", "step" (thick)
    label: str
    start: np.ndarray  # (2,) map coordinates
    end: np.ndarray  # (2,) map coordinates, after scaling
    scale: float = 1.0  # end − start = scale × the true displacement on the map


@dataclass
class Overlay:
    """What the map shows for one run's next step (map coordinates, already scaled)."""

    ok: bool
    message: str = ""  # why nothing is drawn, or what to know about what is (projected …)
    point: np.ndarray | None = None  # (2,) the run's current point on the map
    arrows: list[Arrow] = field(default_factory=list)
    box: tuple[np.ndarray, np.ndarray] | None = None  # (centre, half-axes) on the map
    box_label: str = ""  # the legend's line (steady: the legend is redrawn only on change)
    box_values: str = ""  # with the numbers (for a still picture, or a tooltip)
    scale: float = 1.0  # arrows are drawn × this
    legend: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    caption: str = ""  # the current line's caption (step by step)


VISIBLE_MIN = 0.10  # the longest arrow shorter than this share of the view is scaled up …
VISIBLE_MAX = 0.45  # … longer than this, scaled down (both seen from a lecture hall's back row)
TARGET = 0.25  # to about this share of the view
_NICE = (1.0, 2.0, 5.0)


def nice(x: float) -> float:
    """The 1-2-5 number nearest below ``x`` (x > 0)."""
    e = math.floor(math.log10(x))
    best = 10.0**e
    for m in _NICE:
        if m * 10.0**e <= x * (1 + 1e-12):
            best = m * 10.0**e
    return best


def arrow_scale(lengths, span: float, main: float | None = None) -> float:
    """One factor for all arrows so the longest is visible on a view ``span`` wide.

    1 when the longest arrow is between VISIBLE_MIN and VISIBLE_MAX of the span; otherwise a
    1-2-5 factor that brings it near TARGET. If the ``main`` arrow (the step taken) would
    still be shorter than VISIBLE_MIN, the factor grows for it, as long as the longest arrow
    stays within ~0.9 of the view.
    """
    lengths = [x for x in lengths if math.isfinite(x) and x > 0.0]
    if not lengths or not (math.isfinite(span) and span > 0.0):
        return 1.0
    longest = max(lengths)
    k = 1.0
    if not VISIBLE_MIN * span <= longest <= VISIBLE_MAX * span:
        k = nice(TARGET * span / longest)
    if main is not None and math.isfinite(main) and 0.0 < main * k < VISIBLE_MIN * span:
        k = max(k, min(nice(VISIBLE_MIN * span / main), nice(0.9 * span / longest)))
    return k


def own_scale(length: float, k: float, span: float) -> float:
    """An arrow's factor: the common ``k``, or more if it would still be too short to see
    (under half of VISIBLE_MIN of the view) beside longer ones."""
    drawn = length * k
    if not (math.isfinite(drawn) and drawn > 0.0) or drawn >= 0.5 * VISIBLE_MIN * span:
        return k
    return k * nice(VISIBLE_MIN * span / drawn)


def scale_text(k: float) -> str:
    if k == 1.0:
        return QT_TRANSLATE_NOOP("Explain", "arrows at true length")
    if k > 1.0:
        return Filled(QT_TRANSLATE_NOOP("Explain", "arrows drawn ×%1 (too short to see)"), fmt_number(k))
    return Filled(QT_TRANSLATE_NOOP("Explain", "arrows drawn ×%1 (1/%2: too long to show)"), fmt_number(k),
                  fmt_number(1.0 / k))


def overlay(walk: Walk | None, to_map, span: float, upto: int | None = None,
            projected: bool = False, message: str = "") -> Overlay:
    """The overlay of ``walk`` (None: nothing to draw, ``message`` says why).

    ``to_map`` maps k × P parameters to k × 2 map points (a plane's ``to_map``); ``span``
    is the visible view's smaller side in map units; ``upto`` shows only the pieces of the
    walk's lines 0..upto (step by step) and that line's caption. ``projected``: the map is a
    slice of a bigger model, arrows are projections and the box is not drawn.
    """
    if walk is None:
        return Overlay(False, message or QT_TRANSLATE_NOOP("Explain", "nothing to explain"))
    lines = walk.lines if upto is None else walk.lines[: upto + 1]
    values = [walk.theta, walk.g, walk.theta_next]
    values += [ln.shape for ln in walk.lines if ln.shape is not None]
    if not all(np.isfinite(v).all() for v in values):
        return Overlay(False, QT_TRANSLATE_NOOP("Explain",
                                                "the state is not finite (the run diverged): nothing to draw"))
    p0 = np.asarray(to_map(walk.theta[None, :]), dtype=float)[0]
    pieces: list[tuple[Line, np.ndarray]] = []
    for ln in lines:
        if ln.draw in ("grad", "momentum", "step"):
            end = np.asarray(to_map((walk.theta + ln.shape)[None, :]), dtype=float)[0]
            pieces.append((ln, end - p0))
    all_disp = [np.asarray(to_map((walk.theta + ln.shape)[None, :]), dtype=float)[0] - p0
                for ln in walk.lines if ln.draw in ("grad", "momentum", "step")]
    k = arrow_scale([float(np.hypot(*d)) for d in all_disp], span)
    out = Overlay(True, message, point=p0, scale=k)
    if projected:
        projection = QT_TRANSLATE_NOOP("Explain", "arrows projected onto the slice")
        out.message = Filled("%1 %2", message, projection) if message else projection
    drawn_step = 0.0
    for ln, d in pieces:
        ki, label = own_scale(float(np.hypot(*d)), k, span), ln.label
        if ki != k:
            label = Filled(QT_TRANSLATE_NOOP("Explain", "%1 (drawn ×%2: too short beside the others)"), label,
                           fmt_number(ki))
        out.arrows.append(Arrow(ln.draw, label, p0, p0 + ki * d, ki))
        out.legend.append((ln.draw, label))
        if ln.draw == "step":
            drawn_step = ki * float(np.hypot(*d))
    box = next((ln for ln in lines if ln.draw == "box"), None)
    if box is not None and not projected and walk.theta.size == 2:
        lr_eff = np.abs(box.shape)
        # the ellipse's longest half-axis: the step arrow's drawn length (or, before the
        # step's line, what it will be), so it sits around the point like the step does
        step_len = drawn_step or own_scale(float(np.hypot(*all_disp[-1])), k, span) * float(
            np.hypot(*all_disp[-1]))
        biggest = float(lr_eff.max())
        if biggest > 0.0 and step_len > 0.0:
            half = lr_eff / biggest * step_len
            out.box = (p0, half)
            out.box_label = Filled(QT_TRANSLATE_NOOP("Explain", "ellipse: %1"), box.label)
            out.box_values = Filled("%1: x %2, y %3", box.label, fmt_number(float(lr_eff[0])),
                                    fmt_number(float(lr_eff[1])))
            out.legend.append(("box", out.box_label))
    out.legend.append(("scale", scale_text(k)))
    if upto is not None and lines:
        out.caption = lines[-1].caption
    return out
