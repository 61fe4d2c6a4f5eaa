"""Plain-data descriptions of optimizers and their hyperparameters, and input validation.

Everything here is pure Python: the GUI builds its controls from these specs, and every
value that reaches a compiled kernel has been checked here first.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .quoted import quoted
from .translatable import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class HyperSpec:
    """One hyperparameter: its default, its valid range and how a GUI should offer it.

    ``low``/``high`` are the valid range; ``low_open``/``high_open`` say whether the end
    itself is excluded. ``kind`` is ``"float"``, ``"bool"`` or ``"int"`` (a whole number, held
    as a float like the others: Muon's ``ns_steps``). ``log`` asks for a
    logarithmic slider between ``slider_low`` and ``slider_high`` (the range a lecturer
    would explore, narrower than the valid range).
    """

    name: str
    default: float
    low: float = 0.0
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    kind: str = "float"
    log: bool = False
    slider_low: float | None = None
    slider_high: float | None = None
    doc: str = ""

    def range_text(self) -> str:
        if self.kind == "bool":
            return "True or False"
        if self.kind == "int":
            return f"an integer in [{self.low:g}, {self.high:g}]"
        left = "(" if self.low_open else "["
        right = ")" if self.high_open or math.isinf(self.high) else "]"
        high = "inf" if math.isinf(self.high) else f"{self.high:g}"
        return f"{left}{self.low:g}, {high}{right}"

    def contains(self, value: float) -> bool:
        if self.kind == "bool":
            return value in (0.0, 1.0)
        if not math.isfinite(value) or (self.kind == "int" and value != int(value)):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below

    @property
    def slider_range(self) -> tuple[float, float]:
        low = self.slider_low if self.slider_low is not None else self.low
        high = self.slider_high if self.slider_high is not None else self.high
        return float(low), float(high)


# Every optimizer's first hyperparameter is its learning rate: lr schedules rewrite this slot.
LR_SLOT = 0


@dataclass(frozen=True)
class OptimizerSpec:
    """An optimizer as the rest of the app sees it (the maths lives in its kernel).

    ``hyper`` is ordered: the i-th hyperparameter is slot i of the run's hyper vector in
    the kernels (:meth:`slots` names them); the first is always ``lr`` (LR_SLOT). ``check``
    validates combinations of values (after each value was checked against its own range)
    and raises ``ValueError``. ``init_state(vectors, scalars, hyper)`` fills a fresh run's
    state where it does not start at zero. ``id`` is the optimizer's place in the registry
    (``engine.optimizers.NAMES``), which sets it. ``init_shapes(vectors, shapes)``, for a
    rule that depends on how torch splits θ into tensors (Adafactor factors a matrix and
    takes each tensor's own RMS), writes the problem's tensor shapes (``tensor_shapes``, a
    dataset model's weights and biases in θ order) into the fresh state, where the compiled
    step, explain and walk find them; a problem without them is one vector.
    ``needs_hessian``: the rule needs the exact Hessian at θ (Newton's methods, not in
    torch.optim): the race keeps it in ``RunState.hess`` and the step receives the Newton
    direction (H + λI)⁻¹g in place of g, λ its ``damping`` hyperparameter if it has one
    (:mod:`engine.optimizers._newton`); only problems that offer Hessians take such runs.
    ``evaluates``: the rule calls the problem itself, several times a step (L-BFGS: the race
    kernels hand it their evaluator, and its state lives in ``RunState.lbfgs``).
    """

    key: str
    name: str
    hyper: tuple[HyperSpec, ...]
    equations: str
    reference: str
    torch_name: str | None = None
    check: Callable[[dict[str, float]], None] | None = field(default=None, compare=False)
    init_state: Callable[[np.ndarray, np.ndarray, dict[str, float]], None] | None = field(
        default=None, compare=False
    )
    init_shapes: Callable[[np.ndarray, list[tuple[int, ...]]], None] | None = field(
        default=None, compare=False
    )
    needs_hessian: bool = False
    evaluates: bool = False
    id: int = -1

    def __post_init__(self):
        if self.hyper[LR_SLOT].name != "lr":
            raise ValueError(f"{self.name}: the first hyperparameter must be lr")

    def slots(self, *names: str) -> tuple[int, ...]:
        """The hyper-vector slots of ``names``: ``LR, EPS = SPEC.slots("lr", "eps")``."""
        for name in names:
            self.hyper_spec(name)  # raises, naming the valid names
        return tuple(self.hyper_names.index(name) for name in names)

    @cached_property
    def equations_html(self) -> str:
        """The rule as Qt rich text, one ``<br>``-separated line per line of ``equations``."""
        return rule_html(self.equations)

    @property
    def hyper_names(self) -> tuple[str, ...]:
        return tuple(h.name for h in self.hyper)

    @property
    def defaults(self) -> dict[str, float]:
        return {h.name: h.default for h in self.hyper}

    def hyper_spec(self, name: str) -> HyperSpec:
        for h in self.hyper:
            if h.name == name:
                return h
        raise ValueError(
            f"{self.name} has no hyperparameter {quoted(name)}; "
            f"it takes: {', '.join(self.hyper_names)}"
        )

    def validate(self, values: dict[str, object]) -> dict[str, float]:
        """Complete ``values`` with defaults and check them; returns plain floats.

        Raises ``ValueError`` naming the parameter, the value and the allowed range.
        """
        unknown = [k for k in values if k not in self.hyper_names]
        if unknown:
            self.hyper_spec(unknown[0])  # raises with the list of valid names
        out = self.defaults
        for name, value in values.items():
            out[name] = coerce_hyper(self.hyper_spec(name), value)
        if self.check is not None:
            self.check(out)
        return out


_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉ₜᵢ₊₋", "0123456789ti+−", strict=True))
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹ᵗ", "0123456789t", strict=True))
_PARENTHESISED = r"(?:[^()]|\([^()]*\))*"  # text with (one level of) parentheses
_MARKUP = (
    (re.compile(f"[{''.join(_SUBSCRIPTS)}]+"),
     lambda m: "<sub>" + "".join(_SUBSCRIPTS[c] for c in m.group()) + "</sub>"),
    (re.compile(f"[{''.join(_SUPERSCRIPTS)}]+"),
     lambda m: "<sup>" + "".join(_SUPERSCRIPTS[c] for c in m.group()) + "</sup>"),
    (re.compile(rf"_\(({_PARENTHESISED})\)"), r"<sub>\1</sub>"),  # what unicode lacks
    (re.compile(rf"\^\(({_PARENTHESISED})\)"), r"<sup>\1</sup>"),
    (re.compile(r"\*([^*]+)\*"), r"<i>\1</i>"),
    (re.compile(" {2,}"), " &nbsp; "),
    (re.compile("⁄"), "&frasl;"),
    (re.compile("\n"), "<br>"),
)


def rule_html(equations: str) -> str:
    """Qt rich text for an update rule: unicode sub- and superscripts (and ``_(…)``, ``^(…)``
    for what unicode lacks) as <sub>/<sup>, ``*…*`` italic, a gap of spaces kept, lines
    joined by <br>."""
    text = html.escape(equations, quote=False)
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return text


def coerce_hyper(spec: HyperSpec, value: object) -> float:
    """Turn a user value into the float a kernel stores, or raise a clear ValueError."""
    if spec.kind == "bool":
        if isinstance(value, bool) or value in (0, 1):
            return float(bool(value))
        raise ValueError(f"Invalid {spec.name} value: {quoted(value)} (allowed: True or False)")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)  # numpy scalars, numeric strings from a file
        except (TypeError, ValueError):
            raise ValueError(
                f"Invalid {spec.name} value: {quoted(value)} (allowed: a number in {spec.range_text()})"
            ) from None
    try:
        value = float(value)
    except OverflowError:  # an int too large for a float
        value = math.inf if value > 0 else -math.inf
    if not spec.contains(value):
        label = _TORCH_LABELS.get(spec.name, f"{spec.name} value")
        raise ValueError(
            f"Invalid {label}: {spec.name}={quoted(value)} (allowed: {spec.range_text()})"
        )
    return value


# torch.optim's wording for the common checks, so messages read the same as there.
_TORCH_LABELS = {
    "lr": "learning rate",
    "eps": "epsilon value",
    "beta1": "beta parameter at index 0",
    "beta2": "beta parameter at index 1",
    "eta_minus": "eta value",  # Rprop's etas
    "eta_plus": "eta value",
    "eps1": "epsilon1 value",  # Adafactor's eps
    "eps2": "epsilon2 value",
    "d": "clipping threshold",
}


# Shared hyperparameter specs, so every optimizer offers them alike.
def lr(default: float, slider_low: float = 1e-5, slider_high: float = 10.0) -> HyperSpec:
    return HyperSpec("lr", default, 0.0, math.inf, log=True,
                     slider_low=slider_low, slider_high=slider_high,
                     doc=QT_TRANSLATE_NOOP("Hyperparameter", "learning rate α: the step size"))


def unit_interval(name: str, default: float, doc: str) -> HyperSpec:
    """A coefficient in [0, 1) such as β (an EMA decay)."""
    return HyperSpec(name, default, 0.0, 1.0, high_open=True, doc=doc,
                     slider_low=0.0, slider_high=0.999)


def eps(default: float) -> HyperSpec:
    return HyperSpec("eps", default, 0.0, math.inf, low_open=True, log=True,
                     slider_low=1e-12, slider_high=1.0,
                     doc=QT_TRANSLATE_NOOP("Hyperparameter", "ε: keeps the denominator away from zero"))


def weight_decay(default: float = 0.0) -> HyperSpec:
    return HyperSpec("weight_decay", default, 0.0, math.inf,
                     slider_low=0.0, slider_high=1.0, doc=QT_TRANSLATE_NOOP("Hyperparameter",
                                                                            "λ: L2 penalty (weight decay)"))


def flag(name: str, doc: str, default: bool = False) -> HyperSpec:
    return HyperSpec(name, float(default), 0.0, 1.0, kind="bool", doc=doc)


def beta1(default: float = 0.9) -> HyperSpec:
    return unit_interval("beta1", default, QT_TRANSLATE_NOOP("Hyperparameter",
                                                             "β₁: decay of the first-moment (mean) average"))


def beta2(default: float = 0.999) -> HyperSpec:
    return unit_interval("beta2", default, QT_TRANSLATE_NOOP("Hyperparameter",
                                                             "β₂: decay of the second-moment average"))
