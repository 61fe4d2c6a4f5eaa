"""Pure-NumPy pieces every optimizer module uses to explain itself (no Numba, no Qt).

Each optimizer module has, next to its compiled ``step``:

- ``STATE_NAMES``: its state vectors' names (``vec[k]``), torch.optim's own names where
  torch has the optimizer;
- ``explain(vec, sc, h, t, grad, update, theta) -> dict``: the state after step ``t`` under
  those names, plus ``grad``, ``update``, ``step`` and every intermediate its rule names
  (``theta`` is θ after the step: NAdam's L2 decay needs θ before it, ``theta − update``);
- ``walk(w: Walk)``: the next step recomputed line by line of its rule, from copies of the
  state — an independent NumPy recomputation, not the kernel — for the step-by-step mode
  and the overlay. It ends with ``w.finish(θ_new)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..spec import LR_SLOT
from ..translatable import QT_TRANSLATE_NOOP, Filled


def fmt_number(x: float) -> str:
    """A short, readable number: 4 significant digits, a real minus sign."""
    if x != x:
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    a = abs(x)
    text = f"{x:.3g}" if (a != 0 and (a < 1e-3 or a >= 1e5)) else f"{x:.4g}"
    return text.replace("-", "−").replace("e−0", "e−").replace("e+0", "e").replace("e+", "e")


def fmt_value(v) -> str:
    """A scalar, or a vector as (a, b) — long vectors by their first two entries and size, a
    table by its size."""
    arr = np.asarray(v, dtype=float)
    if arr.ndim == 0:
        return fmt_number(float(arr))
    if arr.ndim > 1:  # a table (L-BFGS's pairs): its size
        return Filled(QT_TRANSLATE_NOOP("Explain", "(%1 × %2 values)"), arr.shape[0],
                      int(np.prod(arr.shape[1:])))
    if arr.size == 0:
        return "()"
    if arr.size <= 3:
        return "(" + ", ".join(fmt_number(float(x)) for x in arr) + ")"
    return Filled(QT_TRANSLATE_NOOP("Explain", "(%1, %2, … %3 values)"), fmt_number(float(arr[0])),
                  fmt_number(float(arr[1])), arr.size)


@dataclass(frozen=True)
class Line:
    """One line of a walk through an update rule.

    ``rule`` is the line of the optimizer's ``SPEC.equations`` it highlights; ``caption`` the
    text with the real numbers; ``name`` the term it computes and ``value`` its value.
    ``draw`` says what the overlay shows for it: ``"grad"`` (the plain gradient step −α·g),
    ``"momentum"`` (a momentum/velocity displacement), ``"box"`` (the per-coordinate
    effective learning rate), ``"step"`` (the step taken), or ``""`` (numbers only);
    ``shape`` is that piece's vector (a displacement, or the box's lr per axis) and
    ``label`` its legend text.
    """

    rule: int
    caption: str
    name: str
    value: np.ndarray
    draw: str = ""
    shape: np.ndarray | None = None
    label: str = ""


@dataclass
class Walk:
    """The next step of one run, recomputed from copies of its state.

    Optimizer modules fill it through :meth:`line` and :meth:`finish`; ``terms`` then holds
    every named intermediate (the live numbers), ``lines`` the captions in order, and
    ``theta_next`` the position the step ends at.
    """

    theta: np.ndarray  # θ before the step
    g: np.ndarray  # the gradient the step uses (noise in, weight decay not)
    vec: np.ndarray  # copies: the walk may change them
    sc: np.ndarray
    h: np.ndarray
    t: float  # the number of the step being taken (1-based)
    hess: np.ndarray | None = None  # the exact Hessian at θ, for the rules that use it (Newton)
    lines: list[Line] = field(default_factory=list)
    terms: dict[str, np.ndarray] = field(default_factory=dict)
    theta_next: np.ndarray | None = None

    def line(self, rule: int, formula: str, name: str, value, draw: str = "", shape=None,
             label: str = "") -> np.ndarray:
        value = np.array(value, dtype=float)
        self.terms[name] = value
        if name == "lr_eff":  # the effective learning rate, named in the caption
            formula = Filled("α_eff = %1", formula) if isinstance(formula, Filled) else f"α_eff = {formula}"
        caption = f"{len(self.lines) + 1}. {formula} = {fmt_value(value)}"
        if isinstance(formula, Filled):  # words in it: the window translates them
            caption = Filled("%1. %2 = %3", len(self.lines) + 1, formula, fmt_value(value))
        if shape is None and draw == "momentum":
            shape = -float(self.h[LR_SLOT]) * value  # a momentum term drawn as the step it would take
        elif shape is None and draw == "box":
            shape = value  # the effective learning rate per axis
        shape = None if shape is None else np.array(shape, dtype=float)
        self.lines.append(Line(rule, caption, name, value, draw, shape, label))
        return value

    def note(self, name: str, value) -> np.ndarray:
        """A term with a value but no line of its own (a bias correction, say)."""
        value = np.array(value, dtype=float)
        self.terms[name] = value
        return value

    def finish(self, rule: int, formula: str, theta_next) -> None:
        theta_next = np.array(theta_next, dtype=float)
        step = theta_next - self.theta
        self.terms["update"] = step
        self.line(rule, formula, "θ", theta_next, "step", step, QT_TRANSLATE_NOOP("Walk", "step taken Δθ"))
        self.theta_next = theta_next

    def grad_line(self, rule: int = 0) -> np.ndarray:
        """The gradient used, and the plain gradient step −α·g drawn for comparison."""
        g = self.g.copy()
        self.line(rule, "g = ∇f(θ)", "g", g, "grad", -self.h[LR_SLOT] * g, QT_TRANSLATE_NOOP("Walk",
                                                                                             "gradient step −α·g"))
        return g

    def weight_decay(self, rule: int, g: np.ndarray, wd: float) -> np.ndarray:
        """torch's L2 weight decay g ← g + λ·θ, as a line if λ ≠ 0."""
        if wd == 0.0:
            return g
        return self.line(rule, f"g ← g + {fmt_number(wd)}·θ", "g_wd", g + wd * self.theta)

